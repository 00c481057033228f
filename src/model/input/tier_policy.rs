//! The council's tier policy (`tables.tier_policy`): for new plans of a need and phase, the
//! share met in mainstream with support, in an inclusion base, in a resourced provision, in a
//! special school, in alternative provision and by other arrangements. A need and phase
//! without a row take the base year's split.

use std::collections::HashMap;
use std::path::Path;

use super::ids::first_line;
use super::{Problems, Tables};
use crate::model::{Provision, TierSplit};

/// The share columns, in [`Provision::ALL`]'s order.
pub(crate) const TIER_COLUMNS: [&str; Provision::ALL.len()] =
    ["mainstream", "inclusion_base", "resourced_provision", "special_school", "alternative_provision", "elsewhere"];

/// How far a row's shares may add to other than 1.
const TOLERANCE: f64 = 0.001;

/// Reads the tier policy: one row a need and phase, shares from 0 to 1 (blank: 0) adding to 1.
pub(super) fn read(tables: &Tables<'_>, path: Option<&Path>, problems: &mut Problems) -> Vec<TierSplit> {
    let mut out = Vec::new();
    let Some(table) = tables.src.open("tier_policy", path, problems) else {
        return out;
    };
    let mut seen = HashMap::new();
    for row in table.rows() {
        let need = tables.codes.need_at(&row, "need", problems);
        let phase = tables.codes.phase_at(&row, "phase", problems);
        let mut shares = [0.0; Provision::ALL.len()];
        let mut read_all = true;
        for (share, column) in shares.iter_mut().zip(TIER_COLUMNS) {
            if row.text(column).is_empty() {
                continue;
            }
            match row.number_in(column, 0.0, 1.0, problems) {
                Some(v) => *share = v,
                None => read_all = false,
            }
        }
        let (Some(need), Some(phase)) = (need, phase) else {
            continue;
        };
        if !read_all {
            continue;
        }
        let total: f64 = shares.iter().sum();
        if (total - 1.0).abs() > TOLERANCE {
            problems.push(row.problem(
                TIER_COLUMNS[TIER_COLUMNS.len() - 1],
                format!(
                    "the shares of {} add to {}: expected shares adding to 1 (within {TOLERANCE})",
                    TIER_COLUMNS.join(", "),
                    round(total)
                ),
            ));
            continue;
        }
        if let Some(first) = first_line(&mut seen, (need, phase), row.line) {
            problems.push(row.row_problem(format!(
                "duplicate tier policy for {}, {}: first at line {first}",
                tables.codes.needs[need.0], tables.codes.phases[phase.0]
            )));
            continue;
        }
        out.push(TierSplit { need, phase, shares });
    }
    out
}

/// A sum as a reader would write it (to six places, no trailing zeros).
fn round(v: f64) -> String {
    let text = format!("{v:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
