//! The DfE's published caseload of EHC plans by establishment type (Explore Education
//! Statistics, "Education, health and care plans", from the SEN2 return:
//! `sen2_estab_caseload.csv`, later `caseload.csv`), for `check --against`.
//!
//! Both layouts are read: the file of 2010 to 2022, which gives the count in `Total_all`,
//! and the file from 2023 (when SEN2 became a person-level return), which gives it in
//! `num_caseload`. Each has the standard columns (`time_period`, `geographic_level`,
//! `old_la_code`, `new_la_code`, `la_name`, ...), `establishment_group` and
//! `establishment_type`, one row for each authority, year and type, with `Total` rows for
//! the sums. The symbols `c` (suppressed), `x` (unavailable) and `z` (not applicable) are
//! missing figures, never 0.

use std::path::Path;

use super::problem::{Problem, Problems};
use super::table::{Table, parse_number};
use super::text::quoted;

/// Which of the two layouts a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 2010 to 2022: the count in `Total_all`.
    To2022,
    /// From 2023: the count in `num_caseload`.
    From2023,
}

impl Layout {
    /// In words, for the report.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Layout::To2022 => "the layout of 2010 to 2022 (count in Total_all)",
            Layout::From2023 => "the layout from 2023 (count in num_caseload)",
        }
    }
}

/// One establishment type's published figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// `establishment_group`, if the file has one.
    pub group: String,
    /// `establishment_type`.
    pub establishment_type: String,
    /// Children and young people with an EHC plan; `None` where suppressed or unavailable.
    pub children: Option<f64>,
}

/// One authority's caseload in one January.
#[derive(Debug, Clone, PartialEq)]
pub struct Caseload {
    /// The file's layout.
    pub layout: Layout,
    /// `old_la_code` (3 digits).
    pub old_la_code: String,
    /// `new_la_code` (E06…).
    pub new_la_code: String,
    /// `la_name`.
    pub la_name: String,
    /// The January counted.
    pub january: u16,
    /// The January asked for (the latest no later than it is counted).
    pub asked: u16,
    /// Each establishment type (no `Total` rows).
    pub types: Vec<Published>,
    /// The `Total`/`Total` row, if the file has one.
    pub total: Option<Option<f64>>,
}

/// The January of a `time_period`: `2024` is January 2024; `202425` (the school year
/// 2024/25) is January 2025.
#[must_use]
pub fn january_of(time_period: &str) -> Option<u16> {
    let t = time_period.trim();
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match t.len() {
        4 => t.parse().ok(),
        6 => t[..4].parse::<u16>().ok().map(|y| y + 1),
        _ => None,
    }
}

/// A published figure: a number, or `None` for `c`, `x`, `z`, `low` or blank.
#[must_use]
pub fn figure(text: &str) -> Option<f64> {
    parse_number(text).filter(|v| *v >= 0.0)
}

/// Reads the caseload of the authority `la` (its old or new code, or its name, ignoring
/// case; when `None`, the authority named in `model_name` (the model's name and description;
/// the longest name found), or the only one in the file) for the latest January no later than `january`.
///
/// # Errors
/// The file cannot be read, lacks a column, has no such authority, or no January up to
/// `january` for it. `name_one` says how to name the authority when the model's name does
/// not (`--la`, or the model file's key).
pub fn read(
    path: &Path,
    shown: &Path,
    la: Option<&str>,
    model_name: &str,
    january: u16,
    name_one: &str,
) -> Result<Caseload, Problems> {
    let mut problems = Problems::default();
    let required = ["time_period", "geographic_level", "la_name", "establishment_type"];
    let optional = ["establishment_group", "old_la_code", "new_la_code", "num_caseload", "total_all"];
    let Some(table) = Table::read(path, shown, &required, &optional, &mut problems) else { return Err(problems) };
    if !problems.is_empty() {
        return Err(problems);
    }
    let (layout, count) = if table.has_column("num_caseload") {
        (Layout::From2023, "num_caseload")
    } else if table.has_column("total_all") {
        (Layout::To2022, "total_all")
    } else {
        return Err(Problems(vec![Problem::at(
            shown,
            1,
            "has neither 'num_caseload' nor 'Total_all': expected the DfE's EHC plan caseload by establishment type (sen2_estab_caseload.csv)",
        )]));
    };
    let rows: Vec<_> =
        table.rows().filter(|r| r.text("geographic_level").eq_ignore_ascii_case("local authority")).collect();
    let matches = |r: &super::table::Row, key: &str| {
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
    let of_la: Vec<_> = rows.iter().filter(|r| r.text("la_name") == la_name).collect();
    let mut years: Vec<u16> = Vec::new();
    for r in &of_la {
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
    let mut caseload = Caseload {
        layout,
        old_la_code: String::new(),
        new_la_code: String::new(),
        la_name: la_name.clone(),
        january: year,
        asked: january,
        types: Vec::new(),
        total: None,
    };
    for r in of_la.iter().filter(|r| january_of(r.text("time_period")) == Some(year)) {
        caseload.old_la_code = r.text("old_la_code").to_string();
        caseload.new_la_code = r.text("new_la_code").to_string();
        let group = r.text("establishment_group").to_string();
        let establishment_type = r.text("establishment_type").to_string();
        let children = figure(r.text(count));
        let cell = r.text(count);
        if children.is_none() && !matches!(cell.to_ascii_lowercase().as_str(), "c" | "x" | "z" | "low" | "") {
            problems.push(r.problem(
                count,
                format!("{} is not a number: expected a count of children, or c, x or z", quoted(cell)),
            ));
            continue;
        }
        let is_total = |t: &str| t.eq_ignore_ascii_case("total");
        if is_total(&establishment_type) {
            if group.is_empty() || is_total(&group) {
                caseload.total = Some(children);
            }
            continue;
        }
        caseload.types.push(Published { group, establishment_type, children });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(caseload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case("2024", Some(2024))]
    #[case("202425", Some(2025))]
    #[case("2024/25", None)]
    #[case("", None)]
    fn time_periods_give_the_january(#[case] text: &str, #[case] january: Option<u16>) {
        assert_eq!(january_of(text), january);
    }

    #[rstest::rstest]
    #[case("1,234", Some(1234.0))]
    #[case("56", Some(56.0))]
    #[case("c", None)]
    #[case("x", None)]
    #[case("z", None)]
    fn suppressed_figures_are_missing_not_nought(#[case] text: &str, #[case] v: Option<f64>) {
        assert_eq!(figure(text), v);
    }
}
