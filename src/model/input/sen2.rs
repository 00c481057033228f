//! The DfE's published caseload of EHC plans by establishment type (Explore Education
//! Statistics, "Education, health and care plans", from the SEN2 return), for
//! `check --against`.
//!
//! Three layouts have been published, and each is read (checked against the sources named in
//! tests/fixtures/sen2/README.md):
//! - up to the 2022 release, `sen2_estab_caseload.csv`: `establishment_group`,
//!   `establishment_type` and the count in `Total_all` (with `Total_ehc`, `Total_st` and
//!   their percentages);
//! - the 2023 and 2024 releases, `sen2_estab_caseload.csv` again: `establishment_group`,
//!   `establishment_type`, `ehcp_or_statement` and the count in `num_caseload` (with
//!   `pc_caseload`); only the `ehcp_or_statement` = `Total` rows are read, since the file
//!   also splits the count into EHC plans and statements;
//! - from the 2025 release, `caseload.csv`: one row for each authority, year and
//!   `breakdown` (only `All EHC plans` is read), the total in `ehcplans` and a column for each
//!   establishment type (`special_la_maintained`, `mainstream_academy_senunit`, ...).
//!
//! Each has the standard columns (`time_period`, `geographic_level`, `old_la_code`,
//! `new_la_code`, `la_name`, ...). The symbols `c` (suppressed), `x` (unavailable) and `z`
//! (not applicable) are missing figures, never 0.

use std::path::Path;

use super::problem::{Problem, Problems};
use super::table::{Table, parse_number};
use super::text::quoted;

/// Which of the three layouts a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Releases up to 2022: a row for each establishment type, the count in `Total_all`.
    To2022,
    /// The 2023 and 2024 releases: a row for each establishment type and EHC plan or
    /// statement, the count in `num_caseload`.
    From2023,
    /// From the 2025 release (`caseload.csv`): a column for each establishment type.
    From2025,
}

impl Layout {
    /// In words, for the report.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Layout::To2022 => "the layout of the releases up to 2022 (count in Total_all)",
            Layout::From2023 => {
                "the layout of the 2023 and 2024 releases (count in num_caseload, ehcp_or_statement Total)"
            }
            Layout::From2025 => {
                "the layout from the 2025 release (breakdown 'All EHC plans', a column for each establishment type)"
            }
        }
    }
}

/// The breakdown of the 2025 layout that counts every plan.
pub const ALL_PLANS: &str = "All EHC plans";

/// The 2025 layout's total of EHC plans (`ehcplans`; `ehc_plans` is accepted too).
pub const WIDE_TOTAL: [&str; 2] = ["ehcplans", "ehc_plans"];

/// The 2025 layout's columns read, each with a group and a name for the report: the name is
/// the column's label in the release's data guidance. The subtotals (`mainstream_total`,
/// `special_total`, `ap_pru_total`, `fe_total`), the percentages (`..._pc`) and the parts of
/// `ed_elsewhere` (elective home education, other arrangements, NEET, ...) are not read, so
/// nothing is counted twice: these columns add up to `ehcplans`.
pub const WIDE_COLUMNS: [(&str, &str, &str); 23] = [
    ("mainstream_la_maintained", "Mainstream school", "Mainstream LA maintained schools"),
    (
        "mainstream_la_maintained_resourced_provision",
        "Mainstream school",
        "Mainstream LA maintained schools - resourced provision",
    ),
    ("mainstream_la_maintained_senunit", "Mainstream school", "Mainstream LA maintained schools - SEN units"),
    ("mainstream_academy", "Mainstream school", "Mainstream academies"),
    ("mainstream_academy_resourced_provision", "Mainstream school", "Mainstream academies - resourced provision"),
    ("mainstream_academy_senunit", "Mainstream school", "Mainstream academies - SEN units"),
    ("mainstream_free_school", "Mainstream school", "Mainstream free schools"),
    (
        "mainstream_free_school_resourced_provision",
        "Mainstream school",
        "Mainstream free schools - resourced provision",
    ),
    ("mainstream_free_school_senunit", "Mainstream school", "Mainstream free schools - SEN units"),
    ("mainstream_independent", "Mainstream school", "Mainstream independent schools"),
    ("special_la_maintained", "Special school", "LA maintained special schools"),
    ("special_academy_free", "Special school", "Special academies and free schools"),
    ("special_independent", "Special school", "Independent special schools"),
    ("special_non_maintained", "Special school", "Non maintained special schools"),
    ("ap_pru_academy", "Alternative provision", "Alternative provision academies"),
    ("ap_pru_free_school", "Alternative provision", "Alternative provision free schools"),
    ("ap_pru_la_maintained", "Alternative provision", "Pupil referral units"),
    ("general_fe_tertiary_colleges", "Further education", "FE colleges and sixth forms"),
    ("specialist_post_16_institutions", "Further education", "Specialist post 16 establishments"),
    ("ukrlp_provider", "Further education", "UKRLP providers"),
    ("ed_elsewhere", "Educated elsewhere", "Total educated elsewhere"),
    ("nm_early_years", "Non maintained early years", "Non maintained early years"),
    ("placement_unknown", "Placement not recorded", "Placement not recorded"),
];

/// One establishment type's published figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// `establishment_group` (in the 2025 layout, which has none, the group of
    /// [`WIDE_COLUMNS`]).
    pub group: String,
    /// `establishment_type` (in the 2025 layout, the column's label).
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
    let required = ["time_period", "geographic_level", "la_name"];
    let optional = [
        "establishment_group",
        "establishment_type",
        "ehcp_or_statement",
        "breakdown",
        "old_la_code",
        "new_la_code",
        "num_caseload",
        "total_all",
        "ehcplans",
    ];
    let Some(table) = Table::read(path, shown, &required, &optional, &mut problems) else { return Err(problems) };
    if !problems.is_empty() {
        return Err(problems);
    }
    let wide_total = WIDE_TOTAL.iter().copied().find(|c| table.has_column(c));
    let (layout, count) = match wide_total {
        Some(total) if table.has_column("breakdown") => (Layout::From2025, total),
        _ if !table.has_column("establishment_type") => {
            return Err(Problems(vec![Problem::at(
                shown,
                1,
                "has neither 'establishment_type' nor 'breakdown' and 'ehcplans': expected the DfE's EHC plan caseload by establishment type (sen2_estab_caseload.csv, or caseload.csv from 2025)",
            )]));
        }
        _ if table.has_column("num_caseload") => (Layout::From2023, "num_caseload"),
        _ if table.has_column("total_all") => (Layout::To2022, "total_all"),
        _ => {
            return Err(Problems(vec![Problem::at(
                shown,
                1,
                "has neither 'num_caseload' nor 'Total_all': expected the DfE's EHC plan caseload by establishment type (sen2_estab_caseload.csv)",
            )]));
        }
    };
    if layout == Layout::From2025 {
        let missing: Vec<&str> = WIDE_COLUMNS.iter().map(|c| c.0).filter(|c| !table.has_column(c)).collect();
        if !missing.is_empty() {
            return Err(Problems(vec![Problem::at(
                shown,
                1,
                format!(
                    "missing column{} {}: expected the columns of the DfE's caseload.csv (2025 release), one for each establishment type",
                    if missing.len() > 1 { "s" } else { "" },
                    missing.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
                ),
            )]));
        }
    }
    // The rows that count every plan: the 2023 and 2024 layout splits each figure into EHC
    // plans, statements and their `Total`; the 2025 layout into breakdowns by age, need and
    // so on, with `All EHC plans` the whole.
    let (filter_column, filter_value) = match layout {
        Layout::From2025 => ("breakdown", ALL_PLANS),
        Layout::From2023 if table.has_column("ehcp_or_statement") => ("ehcp_or_statement", "Total"),
        _ => ("", ""),
    };
    let (rows, others): (Vec<_>, Vec<_>) = table
        .rows()
        .filter(|r| r.text("geographic_level").eq_ignore_ascii_case("local authority"))
        .partition(|r| filter_column.is_empty() || r.text(filter_column).eq_ignore_ascii_case(filter_value));
    if rows.is_empty() && !others.is_empty() {
        let mut found: Vec<&str> = others.iter().map(|r| r.text(filter_column)).collect();
        found.sort_unstable();
        found.dedup();
        found.truncate(5);
        return Err(Problems(vec![Problem::file(
            shown,
            format!(
                "has no local-authority rows with {filter_column} {}: expected them to count every plan (found {})",
                quoted(filter_value),
                found.iter().map(|f| quoted(f)).collect::<Vec<_>>().join(", ")
            ),
        )]));
    }
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
    // A published figure: a number, or missing for a symbol; a problem for anything else.
    let read_figure = |r: &super::table::Row, column: &str, problems: &mut Problems| {
        let cell = r.text(column);
        let children = figure(cell);
        if children.is_none() && !matches!(cell.to_ascii_lowercase().as_str(), "c" | "x" | "z" | "low" | "") {
            problems.push(r.problem(
                column,
                format!("{} is not a number: expected a count of children, or c, x or z", quoted(cell)),
            ));
            return Err(());
        }
        Ok(children)
    };
    for r in of_la.iter().filter(|r| january_of(r.text("time_period")) == Some(year)) {
        caseload.old_la_code = r.text("old_la_code").to_string();
        caseload.new_la_code = r.text("new_la_code").to_string();
        if layout == Layout::From2025 {
            if let Ok(total) = read_figure(r, count, &mut problems) {
                caseload.total = Some(total);
            }
            for (column, group, name) in WIDE_COLUMNS {
                if let Ok(children) = read_figure(r, column, &mut problems) {
                    caseload.types.push(Published {
                        group: group.to_string(),
                        establishment_type: name.to_string(),
                        children,
                    });
                }
            }
            continue;
        }
        let group = r.text("establishment_group").to_string();
        let establishment_type = r.text("establishment_type").to_string();
        let Ok(children) = read_figure(r, count, &mut problems) else { continue };
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
