//! Which authority's rows a published file is read for: the one named (by code or name) or
//! found in the model's name, its latest January up to the base year, and the rows of that
//! authority and January refused when they would be counted twice (a row given twice, two
//! authorities under one name).

use std::collections::HashMap;
use std::path::Path;

use super::january_of;
use crate::model::input::problem::{Problem, Problems};
use crate::model::input::table::Row;
use crate::model::input::text::quoted;

/// Rows of one authority and January that would be counted twice: a row that repeats an
/// earlier one cell for cell.
fn repeated_rows(rows: &[&Row<'_>]) -> Problems {
    let mut seen: HashMap<Vec<&str>, usize> = HashMap::new();
    let mut problems = Problems::default();
    for r in rows {
        let cells: Vec<&str> = r.cells().collect();
        match seen.get(&cells) {
            Some(first) => problems.push(r.row_problem(format!(
                "repeats line {first} cell for cell: expected each row once (it would be counted twice)"
            ))),
            None => {
                seen.insert(cells, r.line);
            }
        }
    }
    problems
}

/// The authority of `rows` (local-authority rows) chosen as [`read`] says, and its latest
/// January no later than `january`.
pub(super) fn pick(
    shown: &Path,
    rows: &[Row<'_>],
    la: Option<&str>,
    model_name: &str,
    january: u16,
    name_one: &str,
) -> Result<(String, u16), Problems> {
    let matches = |r: &Row<'_>, key: &str| {
        let k = key.trim();
        r.text("old_la_code").eq_ignore_ascii_case(k)
            || r.text("new_la_code").eq_ignore_ascii_case(k)
            || r.text("la_name").eq_ignore_ascii_case(k)
    };
    let mut names: Vec<&str> = rows.iter().map(|r| r.text("la_name")).collect();
    names.sort_unstable();
    names.dedup();
    let chosen: Option<String> = match la {
        Some(key) => rows.iter().find(|r| matches(r, key)).map(|r| r.text("la_name").to_string()),
        None => {
            let lower = model_name.to_lowercase();
            let by_name = names
                .iter()
                .filter(|n| !n.is_empty() && lower.contains(&n.to_lowercase()))
                .max_by_key(|n| n.len())
                .map(ToString::to_string);
            by_name.or_else(|| (names.len() == 1).then(|| names[0].to_string()))
        }
    };
    let Some(la_name) = chosen else {
        let message = match la {
            Some(key) => format!(
                "has no local-authority rows for {}: expected an authority's old_la_code, new_la_code or la_name",
                quoted(key)
            ),
            None => format!(
                "has no local authority named in the model's name or description ({}): name one with {name_one} (its code or name)",
                quoted(model_name.lines().next().unwrap_or_default())
            ),
        };
        return Err(Problems(vec![Problem::file(shown, message)]));
    };
    let mut problems = Problems::default();
    let mut years: Vec<u16> = Vec::new();
    for r in rows.iter().filter(|r| r.text("la_name") == la_name) {
        match january_of(r.text("time_period")) {
            Some(y) => years.push(y),
            None => problems.push(r.problem(
                "time_period",
                format!("{} is not a year: expected 2024 or 202425", quoted(r.text("time_period"))),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(year) = years.iter().copied().filter(|y| *y <= january).max() else {
        return Err(Problems(vec![Problem::file(
            shown,
            format!(
                "has no figures for {la_name} for January {january} or earlier: expected the year of the model's base year or before"
            ),
        )]));
    };
    let of_year: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.text("la_name") == la_name && january_of(r.text("time_period")) == Some(year))
        .collect();
    // Two authorities under one name in one year would be added together. (Across years a
    // name may change code: Dorset and Buckinghamshire did when they became unitary.)
    let mut codes: Vec<&str> = of_year.iter().map(|r| r.text("new_la_code")).filter(|c| !c.is_empty()).collect();
    codes.sort_unstable();
    codes.dedup();
    if codes.len() > 1 {
        return Err(Problems(vec![Problem::file(
            shown,
            format!(
                "has {} authorities named {} (new_la_code {}): expected one authority a name, as the DfE publishes",
                codes.len(),
                quoted(&la_name),
                codes.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ")
            ),
        )]));
    }
    let repeated = repeated_rows(&of_year);
    if !repeated.is_empty() {
        return Err(repeated);
    }
    Ok((la_name, year))
}
