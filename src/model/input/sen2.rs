//! The DfE's published EHC plan statistics (Explore Education Statistics, "Education,
//! health and care plans", from the SEN2 return), for `check --against`: the caseload by
//! establishment type and by age, the primary need mix, residential placements.
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
//!
//! [`read_all`] reads several files of the release, each told by its columns ([`Kind`]): the
//! caseload (and, from `caseload.csv`, its rows by age: [`Ages`]), the primary need of all
//! plans by type of placement (`sen_needs_all_plans.csv`: [`NeedMix`]) and residential
//! placements (`residential_settings.csv`: [`Residential`]).

mod authority;
mod topics;

use authority::pick;

use std::path::Path;

use super::problem::{Problem, Problems};
use super::table::{Row, Table, parse_number};
use super::text::{grouped, quoted};
use topics::{ages_from, needs_from, residential_from};

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
    let table = open(path, shown)?;
    caseload_from(&table, shown, la, model_name, january, name_one)
}

/// Reads a file of the release with the standard columns every file has.
fn open(path: &Path, shown: &Path) -> Result<Table, Problems> {
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
    Ok(table)
}

/// The caseload by establishment type of a table read by [`open`], as [`read`] says.
fn caseload_from(
    table: &Table,
    shown: &Path,
    la: Option<&str>,
    model_name: &str,
    january: u16,
    name_one: &str,
) -> Result<Caseload, Problems> {
    let mut problems = Problems::default();
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
    let (la_name, year) = pick(shown, &rows, la, model_name, january, name_one)?;
    let of_la: Vec<_> = rows.iter().filter(|r| r.text("la_name") == la_name).collect();
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
    let mut total_row = None;
    for r in of_la.iter().filter(|r| january_of(r.text("time_period")) == Some(year)) {
        caseload.old_la_code = r.text("old_la_code").to_string();
        caseload.new_la_code = r.text("new_la_code").to_string();
        if layout == Layout::From2025 {
            if let Ok(total) = read_figure(r, count, &mut problems) {
                caseload.total = Some(total);
                total_row = Some(r);
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
                total_row = Some(r);
            }
            continue;
        }
        caseload.types.push(Published { group, establishment_type, children });
    }
    // The parts may fall short of the total (a suppressed cell), never exceed it.
    if let (Some(Some(total)), Some(r)) = (caseload.total, total_row) {
        let parts: f64 = caseload.types.iter().filter_map(|t| t.children).sum();
        if parts > total {
            problems.push(r.problem(
                count,
                format!(
                    "{} is less than its establishment types add up to ({}): expected the parts within the total",
                    grouped(total as usize),
                    grouped(parts as usize)
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(caseload)
}

/// The authority and January a table's figures are for.
#[derive(Debug, Clone, PartialEq)]
pub struct Authority {
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
}

/// What a file given to `check --against` holds, told by its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The caseload by establishment type: `caseload.csv` (2025 on, also read for its
    /// rows by age) or `sen2_estab_caseload.csv` (earlier releases).
    Caseload,
    /// The primary need of all plans, by type of placement: `sen_needs_all_plans.csv`
    /// (`number_asd`, ...).
    Needs,
    /// Residential placements: `residential_settings.csv` (`Res_tot`).
    Residential,
}

impl Kind {
    /// Tells a table's kind by its columns, `None` for a file `check --against` does not read.
    #[must_use]
    pub fn of(table: &Table) -> Option<Kind> {
        if table.has_column("res_tot") {
            Some(Kind::Residential)
        } else if table.has_column("number_asd") {
            Some(Kind::Needs)
        } else if (WIDE_TOTAL.iter().any(|c| table.has_column(c)) && table.has_column("breakdown"))
            || table.has_column("establishment_type")
        {
            Some(Kind::Caseload)
        } else {
            None
        }
    }

    /// In words, for messages.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Caseload => "the caseload by establishment type",
            Kind::Needs => "the primary need of all plans",
            Kind::Residential => "the residential placements",
        }
    }
}

/// The `breakdown_topic` of the rows by placement, in the needs and residential files.
pub const BY_PLACEMENT: &str = "Type of placement";

/// The `breakdown_topic` of the rows by age now (not age when the plan started).
pub const BY_AGE: &str = "Child or young persons age";

/// The primary need columns of `sen_needs_all_plans.csv`, each with the model's need code
/// (`""` for a plan whose primary need is not recorded) and the label of the data guidance.
/// Down syndrome is counted under "other difficulty/disability" (the guidance's footnote).
pub const NEED_COLUMNS: [(&str, &str, &str); 13] = [
    ("number_asd", "ASD", "Autistic spectrum disorder"),
    ("number_semh", "SEMH", "Social, emotional and mental health"),
    ("number_slcn", "SLCN", "Speech, language and communication needs"),
    ("number_mld", "MLD", "Moderate learning difficulty"),
    ("number_sld", "SLD", "Severe learning difficulty"),
    ("number_pmld", "PMLD", "Profound & multiple learning difficulty"),
    ("number_spld", "SpLD", "Specific learning difficulty"),
    ("number_hi", "HI", "Hearing impairment"),
    ("number_vi", "VI", "Visual impairment"),
    ("number_msi", "MSI", "Multisensory impairment"),
    ("number_pd", "PD", "Physical disability"),
    ("number_oth", "OTH", "Other difficulty/disability"),
    ("number_need_unknown", "", "Primary need is not recorded"),
];

/// The residential columns: 38 to 51 weeks, 52 weeks, and their total.
pub const RESIDENTIAL_COLUMNS: [&str; 3] = ["res_3851", "res_52", "res_tot"];

/// Whether a `breakdown` of the rows by placement is a subtotal of the rows above it
/// ("Special - total", "Mainstream - total", "FE - total", ...).
#[must_use]
pub fn is_subtotal(breakdown: &str) -> bool {
    let b = breakdown.trim().to_ascii_lowercase();
    b == "total" || b.ends_with("- total") || b.ends_with(" total")
}

/// One type of placement's plans by primary need.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementNeeds {
    /// `breakdown` (for the whole, `All EHC plans`).
    pub placement: String,
    /// Whether it is a subtotal of other rows ([`is_subtotal`]).
    pub subtotal: bool,
    /// `ehc_plans`.
    pub plans: Option<f64>,
    /// Plans by need, in the order of [`NEED_COLUMNS`]; `None` where missing.
    pub needs: Vec<Option<f64>>,
}

/// An authority's plans by primary need and type of placement (`sen_needs_all_plans.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct NeedMix {
    /// Whose, and when.
    pub authority: Authority,
    /// The `All EHC plans` row, if the file has one.
    pub all: Option<PlacementNeeds>,
    /// The rows by type of placement, subtotals included (marked).
    pub placements: Vec<PlacementNeeds>,
}

/// A band of ages (in years) as the DfE names it: `under 3` is 0 to 2, `age 20 and over` 20
/// to 25.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeBand {
    /// The youngest age.
    pub low: u8,
    /// The oldest age.
    pub high: u8,
    /// `breakdown` as published.
    pub label: String,
}

impl AgeBand {
    /// Reads `under 3`, `age 2 and under`, `age 10`, `age 20 and over`; `None` otherwise.
    #[must_use]
    pub fn parse(text: &str) -> Option<AgeBand> {
        let t = text.trim().to_ascii_lowercase();
        let t = t.strip_prefix("age ").unwrap_or(&t).trim();
        let (low, high) = if let Some(n) = t.strip_prefix("under ") {
            (0, n.trim().parse::<u8>().ok()?.checked_sub(1)?)
        } else if let Some(n) = t.strip_suffix("and under") {
            (0, n.trim().parse().ok()?)
        } else if let Some(n) = t.strip_suffix("and over") {
            (n.trim().parse().ok()?, 25)
        } else {
            let n: u8 = t.parse().ok()?;
            (n, n)
        };
        (low <= high).then(|| AgeBand { low, high, label: text.trim().to_string() })
    }
}

/// One age band's plans by establishment type.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeRow {
    /// The ages.
    pub band: AgeBand,
    /// Each establishment type, in the order of [`WIDE_COLUMNS`].
    pub types: Vec<Published>,
}

/// An authority's plans by age and establishment type (the rows of `caseload.csv` with
/// `breakdown_topic` [`BY_AGE`]), youngest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Ages {
    /// Whose, and when.
    pub authority: Authority,
    /// Each age band.
    pub rows: Vec<AgeRow>,
}

/// An authority's residential placements (`residential_settings.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Residential {
    /// Whose, and when.
    pub authority: Authority,
    /// `Res_3851`, `Res_52`, `Res_tot` of the `All residential placements` row.
    pub all: [Option<f64>; 3],
    /// The rows by type of placement, if the file has them for that January: `breakdown`,
    /// whether a subtotal, and the three figures.
    pub placements: Vec<(String, bool, [Option<f64>; 3])>,
}

/// What was read from the files given to `check --against`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Against {
    /// The caseload by establishment type, and the file it came from.
    pub caseload: Option<(String, Caseload)>,
    /// The caseload by age (from the same file, if it has those rows).
    pub ages: Option<Ages>,
    /// The need mix, and its file.
    pub needs: Option<(String, NeedMix)>,
    /// The residential placements, and their file.
    pub residential: Option<(String, Residential)>,
    /// Files of a folder that are none of these (named in the report).
    pub skipped: Vec<String>,
}

/// The files of `check --against`: each path a file, or a folder whose `.csv` files are read
/// (those of another kind are skipped and named). Each file is told by its columns
/// ([`Kind::of`]); the authority is chosen in each as [`read`] chooses it.
///
/// # Errors
/// A file that cannot be read or is of no kind read (a one-line problem), two files of one
/// kind, a folder with none, or any reader's problems.
pub fn read_all(
    paths: &[std::path::PathBuf],
    la: Option<&str>,
    model_name: &str,
    january: u16,
    name_one: &str,
) -> Result<Against, Problems> {
    let mut files: Vec<(std::path::PathBuf, bool)> = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inside: Vec<_> = match std::fs::read_dir(p) {
                Ok(d) => d
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|f| f.is_file() && f.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
                    .collect(),
                Err(e) => return Err(Problems(vec![Problem::file(p, super::text::unreadable(&e))])),
            };
            inside.sort();
            if inside.is_empty() {
                return Err(Problems(vec![Problem::file(p, format!("is a folder with no .csv file: {EXPECTED}"))]));
            }
            files.extend(inside.into_iter().map(|f| (f, true)));
        } else {
            files.push((p.clone(), false));
        }
    }
    // Every file is told first, so one of no kind is named before any is read for figures.
    let mut against = Against::default();
    let mut told: Vec<(Kind, &std::path::PathBuf, Table)> = Vec::new();
    for (path, in_folder) in &files {
        let table = open(path, path)?;
        let Some(kind) = Kind::of(&table) else {
            if *in_folder {
                against.skipped.push(path.display().to_string());
                continue;
            }
            return Err(Problems(vec![Problem::at(
                path,
                1,
                format!("is not a file check --against reads: {EXPECTED}"),
            )]));
        };
        if let Some((_, first, _)) = told.iter().find(|(k, _, _)| *k == kind) {
            return Err(Problems(vec![Problem::file(
                path,
                format!("holds {} as {} does: expected one file of each kind", kind.describe(), first.display()),
            )]));
        }
        told.push((kind, path, table));
    }
    for (kind, path, table) in &told {
        let shown = path.display().to_string();
        match kind {
            Kind::Caseload => {
                let caseload = caseload_from(table, path, la, model_name, january, name_one)?;
                if caseload.layout == Layout::From2025 {
                    against.ages = ages_from(table, path, la, model_name, january, name_one)?;
                }
                against.caseload = Some((shown, caseload));
            }
            Kind::Needs => against.needs = Some((shown, needs_from(table, path, la, model_name, january, name_one)?)),
            Kind::Residential => {
                against.residential = Some((shown, residential_from(table, path, la, model_name, january, name_one)?));
            }
        }
    }
    if told.is_empty() {
        return Err(Problems(vec![Problem::file(&paths[0], format!("has no file check --against reads: {EXPECTED}"))]));
    }
    Ok(against)
}

/// What `check --against` reads, for messages.
const EXPECTED: &str = "expected the DfE's caseload (caseload.csv or \
     sen2_estab_caseload.csv), primary need of all plans (sen_needs_all_plans.csv, with number_asd) or residential \
     placements (residential_settings.csv, with Res_tot)";

/// The local-authority rows of `topic` (by `breakdown_topic`), the authority chosen and its
/// January; `None` when the file has no such rows at all.
fn topic_rows<'a>(
    table: &'a Table,
    shown: &Path,
    topic: &str,
    (la, model_name, january, name_one): (Option<&str>, &str, u16, &str),
) -> Result<Option<(Authority, Vec<Row<'a>>)>, Problems> {
    let plain = |t: &str| t.replace(['\'', '’'], "").to_ascii_lowercase();
    let want = plain(topic);
    let rows: Vec<Row<'a>> = table
        .rows()
        .filter(|r| r.text("geographic_level").eq_ignore_ascii_case("local authority"))
        .filter(|r| plain(r.text("breakdown_topic")) == want)
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let (la_name, year) = pick(shown, &rows, la, model_name, january, name_one)?;
    let rows: Vec<Row<'a>> = rows
        .into_iter()
        .filter(|r| r.text("la_name") == la_name && january_of(r.text("time_period")) == Some(year))
        .collect();
    let first = &rows[0];
    let authority = Authority {
        old_la_code: first.text("old_la_code").to_string(),
        new_la_code: first.text("new_la_code").to_string(),
        la_name,
        january: year,
        asked: january,
    };
    Ok(Some((authority, rows)))
}

/// Missing columns of `table` among `columns`, as a one-line problem.
fn check_columns(table: &Table, shown: &Path, columns: &[&str], what: &str) -> Result<(), Problems> {
    let missing: Vec<&str> = columns.iter().copied().filter(|c| !table.has_column(c)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Problems(vec![Problem::at(
        shown,
        1,
        format!(
            "missing column{} {}: expected the columns of {what}",
            if missing.len() > 1 { "s" } else { "" },
            missing.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
        ),
    )]))
}

/// A published figure in `column` of `r`: a number, or missing for a symbol (`c`, `x`, `z`,
/// `low`, blank); a problem for anything else.
fn read_figure(r: &Row<'_>, column: &str, problems: &mut Problems) -> Result<Option<f64>, ()> {
    let cell = r.text(column);
    let children = figure(cell);
    if children.is_none() && !matches!(cell.to_ascii_lowercase().as_str(), "c" | "x" | "z" | "low" | "") {
        problems.push(
            r.problem(column, format!("{} is not a number: expected a count of children, or c, x or z", quoted(cell))),
        );
        return Err(());
    }
    if let Some(v) = children {
        let why = if v.fract() != 0.0 {
            Some("is not a whole number")
        } else if v > MOST_PUBLISHED {
            Some("is more than 10,000,000 (England has about 640,000 plans)")
        } else {
            None
        };
        if let Some(why) = why {
            problems
                .push(r.problem(column, format!("{} {why}: expected a count of children, or c, x or z", quoted(cell))));
            return Err(());
        }
    }
    Ok(children)
}

/// The most a published count may be: far above England's EHC plans.
const MOST_PUBLISHED: f64 = 10_000_000.0;

#[cfg(test)]
mod tests;
