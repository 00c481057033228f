//! The multi-year inputs: the `[horizon]` section, the cohort and its forecast rates (or
//! demand by year), children placed now, and places by year.

use std::collections::HashMap;
use std::path::Path;

use super::model_file::{HorizonFile, TablesFile};
use super::{Loader, Problem, Problems, Tables, provision_at, quoted, tidy};
use crate::model::{
    CohortRow, CurrentPlacement, DEFAULT_PHASE_YEAR_GROUPS, Horizon, LocalityIx, NeedByYear, Provision, Rates,
    SchoolYear, SettingIx, YearGroup,
};

/// The checked `[horizon]` section.
pub(crate) struct HorizonHead {
    pub(crate) first_year: SchoolYear,
    pub(crate) years: usize,
    pub(crate) variant: String,
    phase_year_groups: Vec<(YearGroup, YearGroup)>,
}

impl HorizonHead {
    /// The model's last year group: 14, or the last of a phase past it.
    fn last(&self) -> YearGroup {
        self.phase_year_groups.iter().map(|(_, b)| *b).fold(YearGroup::LAST_POST_16, YearGroup::max)
    }
}

/// Year groups from N1 to 20 (nursery to the last post-19 year): the width of a model's
/// tables by year group (rates, population, the forecast's grid).
pub const YEAR_GROUPS: usize = 23;

/// Longest horizon accepted.
const MAX_YEARS: i64 = 30;

impl Loader<'_> {
    pub(crate) fn horizon_head(&mut self, h: &HorizonFile, phase_codes: &[String]) -> Option<HorizonHead> {
        let first_year = SchoolYear::parse(&h.first_year);
        if first_year.is_none() {
            self.problem("first_year", format!("'{}' is not a school year: expected e.g. \"2025/26\"", h.first_year));
        }
        if !(1..=MAX_YEARS).contains(&h.years) {
            self.problem("years", format!("{}: expected a whole number of years from 1 to {MAX_YEARS}", h.years));
        }
        let mut ranges = Vec::new();
        for key in h.phase_year_groups.keys() {
            if !phase_codes.iter().any(|c| c.eq_ignore_ascii_case(key)) {
                self.problem(key, format!("phase_year_groups names phase '{key}', which is not declared"));
            }
        }
        for code in phase_codes {
            let given = h.phase_year_groups.iter().find(|(k, _)| k.eq_ignore_ascii_case(code)).map(|(_, v)| v.as_str());
            let range = match given {
                Some(text) => {
                    let parsed = text.split_once('-').and_then(|(a, b)| Some((YearGroup::parse(a)?, YearGroup::parse(b)?)));
                    match parsed {
                        Some((a, b)) if a <= b => Some((a, b)),
                        _ => {
                            self.problem(code, format!("'{text}' is not a range of year groups: expected e.g. \"R-6\", \"7-11\" or \"15-20\" (N1 to 20)"));
                            None
                        }
                    }
                }
                None => DEFAULT_PHASE_YEAR_GROUPS
                    .iter()
                    .find(|(c, ..)| c == code)
                    .map(|(_, a, b)| (YearGroup(*a), YearGroup(*b)))
                    .or_else(|| {
                        // Named where the phase is declared (only a declared phase has no default).
                        self.problem("phases", format!("phase {} has no year groups: add `{code} = \"FIRST-LAST\"` under [horizon.phase_year_groups]", quoted(code)));
                        None
                    }),
            };
            ranges.push(range);
        }
        let ranges: Vec<(YearGroup, YearGroup)> = ranges.into_iter().collect::<Option<_>>()?;
        for (i, a) in ranges.iter().enumerate() {
            for b in &ranges[i + 1..] {
                if a.0 <= b.1 && b.0 <= a.1 {
                    self.problem(
                        "phase_year_groups",
                        "two phases share year groups: expected ranges that do not overlap".into(),
                    );
                }
            }
        }
        Some(HorizonHead {
            first_year: first_year?,
            years: usize::try_from(h.years).ok().filter(|y| (1..=30).contains(y))?,
            variant: h.variant.clone().unwrap_or_else(|| "central".into()),
            phase_year_groups: ranges,
        })
    }
}

/// Reads the horizon's tables. `None` (with problems recorded) if they are unusable.
pub(crate) fn assemble(
    head: &HorizonHead,
    t: &TablesFile,
    tables: &Tables<'_>,
    loader: &mut Loader<'_>,
) -> Option<Horizon> {
    let before = loader.problems.len();
    let need = match (t.get("cohort"), t.get("demand")) {
        (Some(cohort), None) => {
            let cohort = read_cohort(tables, head, Path::new(cohort), loader.problems);
            let rates = match t.get("forecast_rates") {
                Some(rates) => read_rates(tables, head, Path::new(rates), loader.problems),
                None => {
                    loader.problem("cohort", "a cohort needs tables.forecast_rates to age it forward".into());
                    Vec::new()
                }
            };
            let population = t.get("population").map(|p| read_population(tables, head, Path::new(p), loader.problems));
            let tiers = if t.get("tier_policy").is_some() || tables.src.adds("tier_policy") {
                super::tier_policy::read(tables, t.get("tier_policy").map(Path::new), loader.problems)
            } else {
                Vec::new()
            };
            NeedByYear::Cohort { cohort, rates, population, tiers }
        }
        (None, Some(demand)) => {
            if t.get("tier_policy").is_some() {
                loader.problem(
                    "tier_policy",
                    "tables.tier_policy splits the new plans of a cohort: expected tables.cohort, not tables.demand"
                        .into(),
                );
            }
            let rows = tables.demand(Some(Path::new(demand)), Some((head.first_year, head.years)), loader.problems);
            let mut years = vec![Vec::new(); head.years];
            for (k, row) in rows {
                years[k].push(row);
            }
            for (k, rows) in years.iter().enumerate() {
                if rows.is_empty() && loader.problems.len() == before {
                    loader.problems.push(Problem::file(
                        &tidy(Path::new(demand)),
                        format!(
                            "has no rows for {}: expected demand for every year of the horizon",
                            head.first_year.plus(k)
                        ),
                    ));
                }
            }
            NeedByYear::Direct(years)
        }
        (Some(_), Some(_)) => {
            loader.problem(
                "cohort",
                "give either tables.cohort (a forecast from the cohort) or tables.demand (demand by year), not both"
                    .into(),
            );
            return None;
        }
        (None, None) => {
            loader.problem(
                "tables",
                "a multi-year model needs tables.cohort (with forecast_rates) or tables.demand with a year column"
                    .into(),
            );
            return None;
        }
    };
    let current = t
        .get("current_placements")
        .map(|p| read_current(tables, head, Path::new(p), loader.problems))
        .unwrap_or_default();
    let places = read_places(tables, head, t.get("setting_places").map(Path::new), loader);
    (loader.problems.len() == before).then_some(Horizon {
        first_year: head.first_year,
        years: head.years,
        variant: head.variant.clone(),
        phase_year_groups: head.phase_year_groups.clone(),
        need,
        current,
        places,
    })
}

/// The year group of a row: N1 to 14, or past 14 up to the model's `last` (a phase names it).
fn year_group_at(row: &super::table::Row<'_>, last: YearGroup, problems: &mut Problems) -> Option<YearGroup> {
    let text = row.text("year_group");
    let yg = YearGroup::parse(text).filter(|yg| *yg <= last);
    if yg.is_none() {
        let expected = if last > YearGroup::LAST_POST_16 {
            format!("N1, N2, R or 1 to {last}")
        } else {
            "N1, N2, R or 1 to 14 (15 to 20 where a phase names them in [horizon.phase_year_groups])".into()
        };
        problems.push(row.problem("year_group", format!("{} is not a year group: expected {expected}", quoted(text))));
    }
    yg
}

fn read_cohort(tables: &Tables<'_>, head: &HorizonHead, path: &Path, problems: &mut Problems) -> Vec<CohortRow> {
    let mut out = Vec::new();
    let Some(table) = tables.src.open("cohort", Some(path), problems) else {
        return out;
    };
    let mut seen = HashMap::new();
    for row in table.rows() {
        let locality = tables.locality_at(&row, problems);
        let need = tables.codes.need_at(&row, "need", problems);
        let yg = year_group_at(&row, head.last(), problems);
        let provision = provision_at(&row, problems);
        let children = row.count("children", problems);
        let (Some(l), Some(need), Some(yg), Some(provision), Some(children)) =
            (locality, need, yg, provision, children)
        else {
            continue;
        };
        if let Some(first) = super::first_line(&mut seen, (l, need, yg, provision), row.line) {
            problems.push(row.row_problem(format!(
                "duplicate cohort row for {}, {}, {yg}, {}: first at line {first}",
                row.text("locality"),
                tables.codes.needs[need.0],
                provision.code()
            )));
            continue;
        }
        out.push(CohortRow { locality: LocalityIx(l), need, year_group: yg, provision, children });
    }
    out
}

/// The rates of `head`'s variant by need and year group. A row with a `tier` (a provision
/// code, as the cohort's) gives that tier's ceasing rate only: its new plans and growth
/// blank or 0 (new plans are shared among the tiers by the tier policy).
fn read_rates(tables: &Tables<'_>, head: &HorizonHead, path: &Path, problems: &mut Problems) -> Vec<Rates> {
    let variant = head.variant.as_str();
    let mut out = vec![Rates::default(); tables.codes.needs.len() * YEAR_GROUPS];
    let Some(table) = tables.src.open("forecast_rates", Some(path), problems) else {
        return out;
    };
    let mut variants: Vec<String> = Vec::new();
    let mut seen = HashMap::new();
    let mut by_tier = Vec::new();
    for row in table.rows() {
        let v = row.text("variant");
        if !variants.iter().any(|x| x == v) {
            variants.push(v.to_string());
        }
        let need = tables.codes.need_at(&row, "need", problems);
        let yg = year_group_at(&row, head.last(), problems);
        let tier = tier_at(&row, problems);
        let new_plans = row.optional_count("new_plans", problems).unwrap_or(0.0);
        let new_per_1000 = row.optional_number("new_per_1000", 0.0, problems).unwrap_or(0.0);
        let ceasing = row.optional_number("ceasing_rate", 0.0, problems).unwrap_or(0.0);
        if ceasing > 1.0 {
            problems.push(row.problem("ceasing_rate", format!("{ceasing}: expected a share from 0 to 1")));
        }
        let growth = row.optional_number("growth", -1.0, problems).unwrap_or(0.0);
        let (Some(need), Some(yg), Some(tier)) = (need, yg, tier) else {
            continue;
        };
        if let Some(p) = tier {
            for (column, value) in [("new_plans", new_plans), ("growth", growth), ("new_per_1000", new_per_1000)] {
                if value != 0.0 {
                    problems.push(row.problem(
                        column,
                        format!(
                            "{value} in a row for tier {}: expected blank or 0 (a tier's row gives only its ceasing rate; new plans are shared among the tiers by the tier policy)",
                            p.code()
                        ),
                    ));
                }
            }
        }
        if v != variant {
            continue;
        }
        if let Some(first) = super::first_line(&mut seen, (need, yg, tier), row.line) {
            let of_tier = tier.map(|p| format!(", tier {}", p.code())).unwrap_or_default();
            problems.push(row.row_problem(format!(
                "duplicate rates for {variant}, {}, {yg}{of_tier}: first at line {first}",
                tables.codes.needs[need.0]
            )));
            continue;
        }
        let i = need.0 * YEAR_GROUPS + yg.index();
        match tier {
            Some(p) => by_tier.push((i, p, ceasing.min(1.0))),
            None => {
                out[i] = Rates { new_plans, new_per_1000, ceasing_rate: ceasing.min(1.0), growth, ..out[i] };
            }
        }
    }
    for (i, p, ceasing) in by_tier {
        let t = Provision::ALL.iter().position(|q| *q == p).unwrap_or(0);
        out[i].tier_ceasing[t] = Some(ceasing);
    }
    for v in table.broken_cells("variant") {
        if !variants.iter().any(|x| x == v) {
            variants.push(v.to_string());
        }
    }
    if !variants.is_empty() && !variants.iter().any(|v| v == variant) {
        problems.push(
            table
                .source
                .whole(format!("has no rows for variant '{variant}': its variants are {}", variants.join(", "))),
        );
    }
    out
}

/// The `tier` of a rates row: blank for every tier, or a provision code. `None` if unreadable.
fn tier_at(row: &super::table::Row<'_>, problems: &mut Problems) -> Option<Option<Provision>> {
    let text = row.text("tier").trim().to_ascii_lowercase();
    if text.is_empty() {
        return Some(None);
    }
    let tier = Provision::from_code(&text);
    if tier.is_none() {
        let codes: Vec<&str> = Provision::ALL.iter().map(|p| p.code()).collect();
        problems.push(row.problem(
            "tier",
            format!("{} is not a tier: expected blank (every tier) or one of {}", quoted(&text), codes.join(", ")),
        ));
    }
    tier.map(Some)
}

fn read_population(tables: &Tables<'_>, head: &HorizonHead, path: &Path, problems: &mut Problems) -> Vec<f64> {
    let nl = tables.localities.len();
    let mut out = vec![0.0; head.years * nl * YEAR_GROUPS];
    let Some(table) = tables.src.open("population", Some(path), problems) else {
        return out;
    };
    for row in table.rows() {
        let locality = tables.locality_at(&row, problems);
        let year_text = row.text("year");
        let year = SchoolYear::parse(year_text);
        if year.is_none() {
            problems.push(
                row.problem("year", format!("{} is not a school year: expected e.g. 2026/27", quoted(year_text))),
            );
        }
        let yg = year_group_at(&row, head.last(), problems);
        let pop = row.number("population", 0.0, problems);
        let (Some(l), Some(year), Some(yg), Some(pop)) = (locality, year, yg, pop) else {
            continue;
        };
        if year >= head.first_year && usize::from(year.0 - head.first_year.0) < head.years {
            let k = usize::from(year.0 - head.first_year.0);
            out[(k * nl + l) * YEAR_GROUPS + yg.index()] = pop;
        }
    }
    out
}

fn read_current(
    tables: &Tables<'_>,
    head: &HorizonHead,
    path: &Path,
    problems: &mut Problems,
) -> Vec<CurrentPlacement> {
    let mut out = Vec::new();
    let Some(table) = tables.src.open("current_placements", Some(path), problems) else {
        return out;
    };
    for row in table.rows() {
        let setting = tables.setting_at(&row, "setting", problems);
        let locality = tables.locality_at(&row, problems);
        let need = tables.codes.need_at(&row, "need", problems);
        let yg = year_group_at(&row, head.last(), problems);
        if let Some(yg) = yg
            && !head.phase_year_groups.iter().any(|(a, b)| (*a..=*b).contains(&yg))
        {
            problems.push(row.problem("year_group", format!("{yg} is in no phase of the model")));
        }
        let provision = provision_at(&row, problems);
        let residence = super::market::residence_at(&row, problems);
        let children = row.count("children", problems);
        let (Some(s), Some(l), Some(need), Some(yg), Some(provision), Some(residence), Some(children)) =
            (setting, locality, need, yg, provision, residence, children)
        else {
            continue;
        };
        out.push(CurrentPlacement {
            setting: SettingIx(s),
            locality: LocalityIx(l),
            need,
            year_group: yg,
            provision,
            residence,
            children,
        });
    }
    out
}

/// Places per setting per year: the settings table's places, changed from a year on by
/// `setting_places` rows and `[[places]]` overrides, in year order.
fn read_places(tables: &Tables<'_>, head: &HorizonHead, path: Option<&Path>, loader: &mut Loader<'_>) -> Vec<f64> {
    let ns = tables.settings.len();
    let mut changes: Vec<(SchoolYear, usize, f64)> = Vec::new();
    if (path.is_some() || tables.src.adds("setting_places"))
        && let Some(table) = tables.src.open("setting_places", path, loader.problems)
    {
        for row in table.rows() {
            let setting = tables.setting_at(&row, "setting", loader.problems);
            let text = row.text("from_year");
            let year = SchoolYear::parse(text);
            if year.is_none() {
                loader.problems.push(
                    row.problem("from_year", format!("{} is not a school year: expected e.g. 2027/28", quoted(text))),
                );
            }
            let places = row.count("places", loader.problems);
            if let (Some(s), Some(y), Some(p)) = (setting, year, places) {
                changes.push((y, s, p));
            }
        }
    }
    for o in &tables.src.overrides.places {
        let setting = tables.setting_ids.get(&o.setting);
        let year = SchoolYear::parse(&o.from_year);
        let problem = |message: String| Problem {
            sheet: None,
            file: o.origin.file.clone(),
            line: o.origin.line,
            field: Some("places".into()),
            message,
        };
        match (setting, year) {
            (Some(s), Some(y)) => changes.push((y, s, o.places)),
            // The setting's own row has a problem, already reported.
            (None, _) if tables.setting_ids.explained(&o.setting) => {}
            (None, _) => loader
                .problems
                .push(problem(format!("names setting {}, which is not in the settings table", quoted(&o.setting)))),
            (_, None) => loader.problems.push(problem(format!(
                "from_year {} is not a school year: expected e.g. 2027/28",
                quoted(&o.from_year)
            ))),
        }
    }
    changes.sort_by_key(|(y, ..)| *y);
    let mut places = Vec::with_capacity(head.years * ns);
    let mut now: Vec<f64> = tables.settings.iter().map(|s| s.places).collect();
    for k in 0..head.years {
        let year = head.first_year.plus(k);
        for (y, s, p) in &changes {
            if *y <= year {
                now[*s] = *p;
            }
        }
        places.extend_from_slice(&now);
    }
    places
}
