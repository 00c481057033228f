//! The release's tables beside the caseload, read for the authority and January chosen as
//! the caseload is: the primary need of all plans by type of placement, plans by age, and
//! residential placements.

use std::path::Path;

use super::{
    ALL_PLANS, AgeBand, AgeRow, Ages, BY_AGE, BY_PLACEMENT, NEED_COLUMNS, NeedMix, PlacementNeeds, Published,
    RESIDENTIAL_COLUMNS, Residential, WIDE_COLUMNS, check_columns, is_subtotal, january_of, read_figure, topic_rows,
};
use crate::model::input::problem::{Problem, Problems};
use crate::model::input::table::{Row, Table};
use crate::model::input::text::quoted;

/// The plans by primary need of `sen_needs_all_plans.csv`: the `All EHC plans` row and the
/// rows by type of placement, for the authority and January chosen as [`read`] says.
pub(super) fn needs_from(
    table: &Table,
    shown: &Path,
    la: Option<&str>,
    model_name: &str,
    january: u16,
    name_one: &str,
) -> Result<NeedMix, Problems> {
    let mut columns = vec!["breakdown_topic", "breakdown", "ehc_plans"];
    columns.extend(NEED_COLUMNS.iter().map(|c| c.0));
    check_columns(table, shown, &columns, "the DfE's sen_needs_all_plans.csv (a column for each primary need)")?;
    // The file of new plans (sen_need_newplans.csv) has the same columns, by calendar year.
    if let Some(r) = table.rows().find(|r| r.text("time_identifier").eq_ignore_ascii_case("calendar year")) {
        return Err(Problems(vec![r.problem(
            "time_identifier",
            "is 'Calendar year': this is the need of new plans (sen_need_newplans.csv); expected the plans active in January (sen_needs_all_plans.csv, Academic year)",
        )]));
    }
    let Some((authority, rows)) = topic_rows(table, shown, BY_PLACEMENT, (la, model_name, january, name_one))? else {
        return Err(Problems(vec![Problem::file(
            shown,
            format!(
                "has no local-authority rows with breakdown_topic {}: expected the need of plans by type of placement",
                quoted(BY_PLACEMENT)
            ),
        )]));
    };
    let mut problems = Problems::default();
    let row_needs = |r: &Row<'_>, problems: &mut Problems| PlacementNeeds {
        placement: r.text("breakdown").to_string(),
        subtotal: is_subtotal(r.text("breakdown")),
        plans: read_figure(r, "ehc_plans", problems).ok().flatten(),
        needs: NEED_COLUMNS.iter().map(|c| read_figure(r, c.0, problems).ok().flatten()).collect(),
    };
    let placements: Vec<PlacementNeeds> = rows.iter().map(|r| row_needs(r, &mut problems)).collect();
    let all = table
        .rows()
        .filter(|r| r.text("geographic_level").eq_ignore_ascii_case("local authority"))
        .filter(|r| r.text("la_name") == authority.la_name && r.text("breakdown").eq_ignore_ascii_case(ALL_PLANS))
        .find(|r| january_of(r.text("time_period")) == Some(authority.january))
        .map(|r| row_needs(&r, &mut problems));
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(NeedMix { authority, all, placements })
}

/// The plans by age of `caseload.csv` (2025 layout), `None` if it has no rows by age.
pub(super) fn ages_from(
    table: &Table,
    shown: &Path,
    la: Option<&str>,
    model_name: &str,
    january: u16,
    name_one: &str,
) -> Result<Option<Ages>, Problems> {
    let Some((authority, rows)) = topic_rows(table, shown, BY_AGE, (la, model_name, january, name_one))? else {
        return Ok(None);
    };
    let mut problems = Problems::default();
    let mut out = Vec::new();
    for r in &rows {
        let Some(band) = AgeBand::parse(r.text("breakdown")) else {
            problems.push(r.problem(
                "breakdown",
                format!(
                    "{} is not an age: expected 'under 3', 'age 10' or 'age 20 and over'",
                    quoted(r.text("breakdown"))
                ),
            ));
            continue;
        };
        let mut types = Vec::new();
        for (column, group, name) in WIDE_COLUMNS {
            if let Ok(children) = read_figure(r, column, &mut problems) {
                types.push(Published { group: group.to_string(), establishment_type: name.to_string(), children });
            }
        }
        out.push(AgeRow { band, types });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    out.sort_by_key(|a| (a.band.low, a.band.high));
    Ok(Some(Ages { authority, rows: out }))
}

/// The residential placements of `residential_settings.csv`: the `All residential
/// placements` row and the rows by type of placement of the same January.
pub(super) fn residential_from(
    table: &Table,
    shown: &Path,
    la: Option<&str>,
    model_name: &str,
    january: u16,
    name_one: &str,
) -> Result<Residential, Problems> {
    let mut columns = vec!["breakdown_topic", "breakdown"];
    columns.extend(RESIDENTIAL_COLUMNS);
    check_columns(table, shown, &columns, "the DfE's residential_settings.csv (Res_3851, Res_52, Res_tot)")?;
    const ALL: &str = "All residential placements";
    let Some((authority, rows)) = topic_rows(table, shown, ALL, (la, model_name, january, name_one))? else {
        return Err(Problems(vec![Problem::file(
            shown,
            format!(
                "has no local-authority rows with breakdown_topic {}: expected one for each authority and year",
                quoted(ALL)
            ),
        )]));
    };
    let mut problems = Problems::default();
    let three =
        |r: &Row<'_>, problems: &mut Problems| RESIDENTIAL_COLUMNS.map(|c| read_figure(r, c, problems).ok().flatten());
    let all = three(&rows[0], &mut problems);
    let placements = table
        .rows()
        .filter(|r| r.text("geographic_level").eq_ignore_ascii_case("local authority"))
        .filter(|r| {
            r.text("la_name") == authority.la_name && r.text("breakdown_topic").eq_ignore_ascii_case(BY_PLACEMENT)
        })
        .filter(|r| january_of(r.text("time_period")) == Some(authority.january))
        .map(|r| (r.text("breakdown").to_string(), is_subtotal(r.text("breakdown")), three(&r, &mut problems)))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Residential { authority, all, placements })
}
