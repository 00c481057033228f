//! What later tables are read against: the localities and settings read, their ids, the
//! declared codes, and where tables come from.

use std::collections::HashMap;
use std::path::Path;

use geo::Point;

use super::codes::Codes;
use super::ids::{Ids, first_line, reference};
use super::sources::Sources;
use super::{Problems, table};
use crate::model::{Locality, LocalityCap, LocalityIx, Setting, SettingIx};

/// What later tables are read against.
pub(crate) struct Tables<'a> {
    pub(super) src: &'a Sources<'a>,
    pub(super) codes: &'a Codes<'a>,
    pub(super) localities: &'a [Locality],
    pub(super) settings: &'a [Setting],
    pub(super) locality_ids: &'a Ids,
    pub(super) setting_ids: &'a Ids,
}

impl Tables<'_> {
    /// The locality a row's `locality` cell names.
    pub(super) fn locality_at(&self, row: &table::Row<'_>, problems: &mut Problems) -> Option<usize> {
        reference(row, "locality", self.locality_ids, "a locality id in the localities table", problems)
    }

    /// The setting a row's `column` names.
    pub(super) fn setting_at(&self, row: &table::Row<'_>, column: &str, problems: &mut Problems) -> Option<usize> {
        reference(row, column, self.setting_ids, "a setting id in the settings table", problems)
    }

    /// `tables.locality_caps`: most children from a locality at a setting (columns
    /// `setting`, `locality`, `max_children`), one row per pair.
    pub(super) fn locality_caps(&self, path: Option<&Path>, problems: &mut Problems) -> Vec<LocalityCap> {
        let Some(table) = self.src.open("locality_caps", path, problems) else {
            return Vec::new();
        };
        let mut caps = Vec::new();
        let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
        for row in table.rows() {
            let setting = self.setting_at(&row, "setting", problems);
            let locality = self.locality_at(&row, problems);
            let max = row.count("max_children", problems);
            let (Some(s), Some(l), Some(max_children)) = (setting, locality, max) else {
                continue;
            };
            if let Some(first) = first_line(&mut seen, (s, l), row.line) {
                problems.push(row.row_problem(format!(
                    "duplicate cap for setting '{}' and locality '{}': first at line {first}",
                    row.text("setting"),
                    row.text("locality")
                )));
                continue;
            }
            caps.push(LocalityCap { setting: SettingIx(s), locality: LocalityIx(l), max_children });
        }
        caps
    }
}

/// A row's `latitude` and `longitude`, each in range and the point in the UK (see
/// [`super::england`]: swapped ones are named); one outside England is checked against the
/// row's `in_borough` by [`in_borough_position`].
pub(super) fn position(row: &table::Row<'_>, problems: &mut Problems) -> Option<Point<f64>> {
    let lat = row.number_in("latitude", -90.0, 90.0, problems);
    let lon = row.number_in("longitude", -180.0, 180.0, problems);
    let (lat, lon) = (lat?, lon?);
    if let Some(why) = super::england::problem(lat, lon, None) {
        problems.push(row.problem("latitude", why));
        return None;
    }
    Some(Point::new(lon, lat))
}

/// Whether a point read by [`position`] may be where it is, given the row's `in_borough`: a
/// problem if it is in the borough but outside England.
pub(super) fn in_borough_position(
    row: &table::Row<'_>,
    position: Point<f64>,
    in_borough: bool,
    problems: &mut Problems,
) -> bool {
    match super::england::problem(position.y(), position.x(), Some(in_borough)) {
        Some(why) => {
            problems.push(row.problem("latitude", why));
            false
        }
        None => true,
    }
}
