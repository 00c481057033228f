//! Candidate capital schemes (`tables.schemes`, `tables.scheme_places`), `[appraisal]`, and
//! `[annex]` (the budget the annex chooses schemes within, and disclosure control).
//!
//! A scheme is either a new setting (kind, coordinates and borough given) or an expansion
//! of an existing one (`expands` names it; kind, position and borough are the setting's).
//! Its places come in pools by need and phase, per module.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::model_file::{AnnexFile, AppraisalFile, CapitalFile};
use super::table::Row;
use super::table::name_problem;
use super::{Ids, Loader, Problem, Problems, Tables, first_use, position, quoted, tidy};
use crate::model::{
    AnnexSettings, Appraisal, CapitalMethod, CodeSet, Money, Provision, Scheme, SchemePlaces, SchemeSite, SchoolYear,
    Setting, SettingKind,
};

/// Most modules a scheme may have.
const MAX_MODULES: f64 = 100.0;

impl Loader<'_> {
    /// `[appraisal]`, with the Green Book's defaults.
    pub(crate) fn appraisal(&mut self, a: &AppraisalFile) -> Appraisal {
        let default = Appraisal::default();
        let rate = a.discount_rate.unwrap_or(default.discount_rate);
        if !(rate.is_finite() && (0.0..=0.5).contains(&rate)) {
            self.problem("discount_rate", format!("{rate}: expected a rate a year from 0 to 0.5 (0.035 is 3.5%)"));
        }
        let inflation = a.inflation.unwrap_or(default.inflation);
        if !(inflation.is_finite() && (-0.05..=0.2).contains(&inflation)) {
            self.problem(
                "inflation",
                format!("{inflation}: expected general inflation a year from -0.05 to 0.2 (0.02 is 2%)"),
            );
        }
        let residual = a.residual_years.unwrap_or(f64::from(default.residual_years));
        if !(residual.is_finite() && residual.fract() == 0.0 && (0.0..=60.0).contains(&residual)) {
            self.problem("residual_years", format!("{residual}: expected a whole number of years from 0 to 60"));
        }
        let life = a.asset_life_years.unwrap_or(default.asset_life_years);
        if !(life.is_finite() && (1.0..=200.0).contains(&life)) {
            self.problem("asset_life_years", format!("{life}: expected a number of years from 1 to 200"));
        }
        let capital = match a.capital {
            None | Some(CapitalFile::Annualised) => CapitalMethod::Annualised,
            Some(CapitalFile::Upfront) => CapitalMethod::Upfront,
        };
        let variants = a.variants.clone().unwrap_or_default();
        for (i, v) in variants.iter().enumerate() {
            if variants[..i].contains(v) {
                self.problem("variants", format!("{} is listed twice: expected each forecast variant once", quoted(v)));
            }
        }
        let mut funding = |key: &str, value: Option<f64>, default: Money| {
            let v = value.unwrap_or(default.0);
            if !(v.is_finite() && (0.0..=1_000_000.0).contains(&v)) {
                self.problem(key, format!("{v}: expected £ a year from 0 to 1,000,000"));
            }
            Money(v)
        };
        let place_funding_special =
            funding("place_funding_special", a.place_funding_special, default.place_funding_special);
        let place_funding_resourced =
            funding("place_funding_resourced", a.place_funding_resourced, default.place_funding_resourced);
        Appraisal {
            discount_rate: rate,
            inflation,
            // Checked above: a whole number from 0 to 60.
            residual_years: residual.clamp(0.0, 60.0) as u32,
            capital,
            asset_life_years: life,
            variants,
            place_funding_special,
            place_funding_resourced,
        }
    }

    /// `[annex]`, with its defaults.
    pub(crate) fn annex(&mut self, a: &AnnexFile) -> AnnexSettings {
        let default = AnnexSettings::default();
        let threshold = a.suppression_threshold.unwrap_or(default.suppression_threshold);
        if !(threshold.is_finite() && threshold.fract() == 0.0 && (1.0..=100.0).contains(&threshold)) {
            self.problem(
                "suppression_threshold",
                format!(
                    "{threshold}: expected a whole number of children from 1 to 100 (5 withholds counts of 1 to 4)"
                ),
            );
        }
        let capital_budget = a.capital_budget.map(Money);
        if let Some(b) = a.capital_budget
            && !(b.is_finite() && b >= 0.0)
        {
            self.problem("capital_budget", format!("{b}: expected pounds, 0 or more"));
        }
        let council = a.council.as_deref().map(str::trim).map(str::to_string);
        match council.as_deref() {
            Some("") => self.problem("council", "expected the council's name, like \"Cheshire East\"".into()),
            Some(name) => {
                if let Some(why) = name_problem(name) {
                    self.problem("council", why);
                }
            }
            None => {}
        }
        let mut text = |field: &str, value: &Option<String>| -> Option<String> {
            let v = value.as_deref().map(str::trim)?;
            match name_problem(v) {
                _ if v.is_empty() => {
                    self.problem(field, "is empty: expected some words in double quotes, or leave the key out".into());
                    None
                }
                Some(why) => {
                    self.problem(field, why);
                    None
                }
                None => Some(v.to_string()),
            }
        };
        let contact = text("contact", &a.contact);
        let review_date = text("review_date", &a.review_date);
        let mut whole = |field: &str, value: Option<f64>, most: f64| -> Option<f64> {
            let v = value?;
            if v.is_finite() && v.fract() == 0.0 && (0.0..=most).contains(&v) {
                Some(v)
            } else {
                self.problem(field, format!("{v}: expected a whole number from 0 to {most}"));
                None
            }
        };
        let risk_draws = whole("risk_draws", a.risk_draws, 100_000.0).map(|v| v as usize);
        let risk_seed = whole("risk_seed", a.risk_seed, 1e15).map_or(default.risk_seed, |v| v as u64);
        AnnexSettings {
            contact,
            review_date,
            name_providers: a.name_providers.unwrap_or(false),
            risk_draws: risk_draws.unwrap_or(default.risk_draws),
            risk_seed,
            suppression_threshold: threshold,
            capital_budget,
            council,
            commentary: Vec::new(),
            caseload: None,
            areas: None,
        }
    }
}

/// Reads the schemes and their places. `window` is the first year and number of years
/// planned; a scheme must open within it.
pub(crate) fn read(
    tables: &Tables<'_>,
    (schemes_path, places_path): (Option<&Path>, Option<&Path>),
    window: Option<(SchoolYear, usize)>,
    loader: &mut Loader<'_>,
) -> Vec<crate::model::Scheme> {
    let adds = tables.src.adds("schemes");
    if schemes_path.is_none() && !adds {
        if places_path.is_some() {
            loader.problem("scheme_places", "tables.scheme_places needs tables.schemes too".into());
        }
        return Vec::new();
    }
    let problems = &mut *loader.problems;
    let Some(table) = tables.src.open("schemes", schemes_path, problems) else {
        return Vec::new();
    };
    let file_name = schemes_path.map_or_else(|| "schemes".into(), tidy);
    let mut out: Vec<Scheme> = Vec::new();
    let mut requires_text: Vec<(usize, String, usize)> = Vec::new();
    let mut lines: Vec<usize> = Vec::new();
    let mut ids = Ids::default();
    let mut seen = HashMap::new();
    for row in table.rows() {
        let id = row.id("id", problems);
        let name = row.name("name", problems);
        let site = site_at(tables, &row, problems);
        let opens = opens_at(&row, window, problems);
        let capital = row.number("capital_cost", 0.0, problems);
        let fixed = row.optional_number("fixed_annual_cost", 0.0, problems).unwrap_or(0.0);
        let modules = modules_at(&row, problems);
        let profile = profile_at(&row, problems);
        let fill = fill_years_at(&row, problems);
        let group = match row.text("exclusive_group") {
            "" => Some(None),
            g => match name_problem(g) {
                None => Some(Some(g.to_string())),
                Some(why) => {
                    problems.push(row.problem("exclusive_group", why.replace("a name", "a group")));
                    None
                }
            },
        };
        let share = share_at(&row, window, problems);
        let moves_from = match &site {
            Some((_, setting)) => programme_at(&row, setting.kind, problems),
            None => programme_checked(&row, problems),
        };
        let programme = match (moves_from, share) {
            (Some(tiers), Some(Some(_))) if tiers.is_empty() => {
                problems.push(
                    row.problem("share", "is given for a capital scheme: expected it blank, or programme inclusion"),
                );
                None
            }
            (Some(tiers), Some(share)) => Some((tiers, share)),
            _ => None,
        };
        let (
            Some(id),
            Some(name),
            Some((site, setting)),
            Some((moves_from, share)),
            Some(opens),
            Some(capital),
            Some((min, max)),
            Some(profile),
            Some(fill),
            Some(group),
        ) = (id, name, site, programme, opens, capital, modules, profile, fill, group)
        else {
            ids.reject(row.text("id"));
            continue;
        };
        if !first_use(&mut seen, &id, &row, "id", problems) {
            continue;
        }
        if tables.setting_ids.contains(&id) {
            problems.push(row.problem(
                "id",
                format!(
                    "{} is already a setting's id: expected a new id (a scheme's places are reported under it)",
                    quoted(&id)
                ),
            ));
            ids.reject(&id);
            continue;
        }
        ids.add(&id);
        let mut setting = setting;
        setting.id.clone_from(&id);
        setting.name.clone_from(&name);
        setting.programme_tiers = moves_from;
        if !row.text("requires").is_empty() {
            requires_text.push((out.len(), row.text("requires").to_string(), row.line));
        }
        lines.push(row.line);
        out.push(Scheme {
            id,
            name,
            site,
            setting,
            opens,
            capital_cost: Money(capital),
            fixed_annual_cost: Money(fixed),
            min_modules: min,
            max_modules: max,
            exclusive_group: group,
            requires: Vec::new(),
            places: Vec::new(),
            capital_profile: profile,
            fill_years: fill,
            share,
        });
    }
    for id in table.broken_cells("id") {
        ids.reject(id);
    }
    for (i, text, line) in requires_text {
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match ids.get(part) {
                Some(k) if k == i => problems.push(Problem::field(
                    &file_name,
                    line,
                    "requires",
                    format!("scheme {} requires itself: expected other scheme ids", quoted(part)),
                )),
                Some(k) => out[i].requires.push(k),
                // The scheme's own row has a problem, already reported.
                None if ids.explained(part) => {}
                None => problems.push(Problem::field(
                    &file_name,
                    line,
                    "requires",
                    format!("{} is not a scheme id in the schemes table: expected ids separated by ';'", quoted(part)),
                )),
            }
        }
    }
    // A scheme and everything it needs must be buildable together.
    for (i, line) in lines.iter().enumerate() {
        let mut need = vec![i];
        let mut k = 0;
        while k < need.len() {
            for &r in &out[need[k]].requires {
                if !need.contains(&r) {
                    need.push(r);
                }
            }
            k += 1;
        }
        let clash = need.iter().skip(1).find(|&&r| {
            out[r].exclusive_group.is_some()
                && need.iter().any(|&o| o != r && out[o].exclusive_group == out[r].exclusive_group)
        });
        if let Some(&r) = clash {
            problems.push(Problem::field(
                &file_name,
                *line,
                "requires",
                format!(
                    "scheme '{}' needs '{}', which excludes another scheme it needs (group {}): expected schemes that can be built together",
                    out[i].id,
                    out[r].id,
                    out[r].exclusive_group.as_deref().unwrap_or_default()
                ),
            ));
        }
    }
    let troubled = read_places(tables, places_path, (&ids, window), &mut out, problems);
    for (i, (scheme, line)) in out.iter_mut().zip(&lines).enumerate() {
        // Unless the scheme's rows there have problems (already reported).
        let explained = troubled.as_ref().is_none_or(|t| t.contains(&i));
        if scheme.places.is_empty() && places_path.is_some() && !explained {
            problems.push(Problem::at(
                &file_name,
                *line,
                format!("scheme '{}' has no rows in the scheme_places table: expected the places it adds", scheme.id),
            ));
        }
        if scheme.is_programme() && scheme.places.len() > 1 {
            problems.push(Problem::at(
                &file_name,
                *line,
                format!(
                    "inclusion programme '{}' has {} rows in the scheme_places table: expected one (its needs and phases as ;-lists), as its share counts them together",
                    scheme.id,
                    scheme.places.len()
                ),
            ));
        }
        // The setting its children are placed at: every need and phase of its pools, with
        // room for its largest build.
        let (mut needs, mut phases) = (CodeSet::default(), CodeSet::default());
        for pool in &scheme.places {
            for i in 0..crate::model::MAX_CODES {
                if pool.needs.contains(i) {
                    needs.insert(i);
                }
                if pool.phases.contains(i) {
                    phases.insert(i);
                }
            }
        }
        scheme.setting.needs = needs;
        scheme.setting.phases = phases;
        scheme.setting.places = scheme.places_per_module() * f64::from(scheme.max_modules);
        for terms in &mut scheme.setting.need_terms {
            terms.places = None;
        }
    }
    if places_path.is_none() && !out.is_empty() {
        loader.problem("schemes", "tables.schemes needs tables.scheme_places: the places each scheme adds".into());
    }
    out
}

/// New setting or expansion, and the setting the scheme's places behave as.
fn site_at(tables: &Tables<'_>, row: &Row<'_>, problems: &mut Problems) -> Option<(SchemeSite, Setting)> {
    let expands = row.text("expands");
    let kind_text = row.text("kind");
    let kind = if kind_text.is_empty() { None } else { Some(super::kind_at(row, problems)?) };
    let cost = row.optional_number("cost_per_place", 0.0, problems);
    if expands.is_empty() {
        let position = position(row, problems);
        let in_borough = row.yes_no("in_borough", problems);
        if kind.is_none() {
            problems.push(row.problem("kind", "is empty: a new setting needs its kind (or name a setting in expands)"));
        }
        if cost.is_none() && row.text("cost_per_place").is_empty() {
            problems.push(row.problem("cost_per_place", "is empty: a new setting needs its annual cost per place"));
        }
        let setting = Setting {
            id: String::new(),
            name: String::new(),
            kind: kind?,
            position: position?,
            in_borough: in_borough?,
            places: 0.0,
            phases: CodeSet::default(),
            needs: CodeSet::default(),
            cost_per_place: Money(cost?),
            need_terms: Vec::new(),
            register: crate::model::Register::default(),
            programme_tiers: Vec::new(),
            market: None,
        };
        return Some((SchemeSite::New, setting));
    }
    let s = tables.setting_at(row, "expands", problems)?;
    for column in ["latitude", "longitude", "in_borough"] {
        if !row.text(column).is_empty() {
            problems.push(row.problem(
                column,
                format!("is given for an expansion: leave it blank (the scheme is at setting '{expands}')"),
            ));
        }
    }
    let mut setting = tables.settings[s].clone();
    if let Some(kind) = kind
        && kind != setting.kind
    {
        problems.push(row.problem(
            "kind",
            format!(
                "'{kind_text}' differs from setting '{expands}' ({}): leave it blank for an expansion",
                setting.kind.code()
            ),
        ));
        return None;
    }
    if let Some(cost) = cost {
        setting.cost_per_place = Money(cost);
        setting.need_terms.clear();
    }
    Some((SchemeSite::Expands(crate::model::SettingIx(s)), setting))
}

/// Tiers an inclusion programme's places may take, beyond an inclusion base's or mainstream
/// school's own, in the order of [`Provision::ALL`].
const MOVABLE: [Provision; 3] = [Provision::InclusionBase, Provision::ResourcedProvision, Provision::SpecialSchool];

/// An inclusion programme's `share` cell: the share of the forecast's new plans its places
/// may hold (blank: no share, its places alone limit it). New plans are forecast from the
/// second year planned, so a share needs years ahead.
fn share_at(row: &Row<'_>, window: Option<(SchoolYear, usize)>, problems: &mut Problems) -> Option<Option<f64>> {
    let text = row.text("share");
    if text.is_empty() {
        return Some(None);
    }
    match super::table::parse_number(text) {
        Some(v) if v > 0.0 && v <= 1.0 => {
            if window.is_some_and(|(_, years)| years < 2) {
                problems.push(row.problem(
                    "share",
                    "is given in a model of one year: new plans are forecast for the years after the first, so leave it blank (or plan over a horizon)",
                ));
                return None;
            }
            Some(Some(v))
        }
        _ => {
            problems.push(row.problem(
                "share",
                format!("{}: expected a share of new plans above 0 and at most 1 (0.25 is a quarter)", quoted(text)),
            ));
            None
        }
    }
}

/// The `programme` and `moves_from` cells of a scheme whose setting could not be read (its
/// problems reported): only the cells' own problems are told.
fn programme_checked(row: &Row<'_>, problems: &mut Problems) -> Option<Vec<Provision>> {
    programme_at(row, SettingKind::InclusionBase, problems)?;
    None
}

/// The `programme` and `moves_from` cells: blank for a capital scheme (no tiers beyond its
/// kind's); `inclusion` for an inclusion programme, whose places at an inclusion base or
/// mainstream school also take children of the tiers in `moves_from` (`;`-list of
/// `inclusion-base`, `resourced-provision`, `special-school`, each above the kind's own).
fn programme_at(row: &Row<'_>, kind: SettingKind, problems: &mut Problems) -> Option<Vec<Provision>> {
    let programme = row.text("programme");
    let moves = row.text("moves_from");
    match programme {
        "" => {
            if !moves.is_empty() {
                problems.push(row.problem(
                    "moves_from",
                    format!(
                        "{} is given for a capital scheme: expected it blank, or programme inclusion",
                        quoted(moves)
                    ),
                ));
                return None;
            }
            return Some(Vec::new());
        }
        "inclusion" => {}
        other => {
            problems.push(row.problem(
                "programme",
                format!("{}: expected inclusion (an inclusion programme) or blank (a capital scheme)", quoted(other)),
            ));
            return None;
        }
    }
    if !matches!(kind, SettingKind::InclusionBase | SettingKind::Mainstream) {
        problems.push(row.problem(
            "programme",
            format!(
                "inclusion is for places at an inclusion base or mainstream school, not {}: expected kind inclusion-base or mainstream",
                kind.code()
            ),
        ));
        return None;
    }
    if moves.is_empty() {
        problems.push(row.problem(
            "moves_from",
            "is empty: an inclusion programme needs the tiers it takes children from (e.g. resourced-provision;special-school)",
        ));
        return None;
    }
    let mut tiers = Vec::new();
    for part in moves.split(';').map(str::trim) {
        let tier = MOVABLE.into_iter().find(|t| t.code() == part);
        match tier {
            Some(t) if t.met_by(kind) => {
                problems.push(row.problem(
                    "moves_from",
                    format!(
                        "{} is met by {} places already: expected tiers above it (resourced-provision, special-school)",
                        quoted(part),
                        kind.code()
                    ),
                ));
                return None;
            }
            Some(t) if !tiers.contains(&t) => tiers.push(t),
            _ => {
                problems.push(row.problem(
                    "moves_from",
                    format!(
                        "{}: expected tiers separated by ';', each inclusion-base, resourced-provision or special-school, once",
                        quoted(part)
                    ),
                ));
                return None;
            }
        }
    }
    tiers.sort();
    Some(tiers)
}

/// A `capital_profile` cell: percentages of the capital spent in the years before the scheme
/// opens, earliest first, the last in the year before it opens (`30;70`); blank: all in the
/// year before. They must add to 100.
fn profile_at(row: &Row<'_>, problems: &mut Problems) -> Option<Vec<f64>> {
    let text = row.text("capital_profile");
    if text.is_empty() {
        return Some(vec![1.0]);
    }
    let parts: Vec<Option<f64>> =
        text.split(';').map(|p| super::table::parse_number(p.trim()).filter(|v| *v >= 0.0)).collect();
    let total: f64 = parts.iter().flatten().sum();
    if parts.iter().any(Option::is_none) || parts.len() > 10 || (total - 100.0).abs() > 0.01 {
        problems.push(row.problem(
            "capital_profile",
            format!(
                "'{text}': expected percentages of the capital by year before opening, earliest first, adding to 100 (e.g. 30;70)"
            ),
        ));
        return None;
    }
    Some(parts.into_iter().flatten().map(|p| p / 100.0).collect())
}

/// Most years a scheme's places may take to fill.
const MAX_FILL_YEARS: f64 = 10.0;

/// A `fill_years` cell: the years a scheme's places take to fill (blank: 1, all open at once).
fn fill_years_at(row: &Row<'_>, problems: &mut Problems) -> Option<u32> {
    let text = row.text("fill_years");
    if text.is_empty() {
        return Some(1);
    }
    match super::table::parse_number(text) {
        Some(v) if v.fract() == 0.0 && (1.0..=MAX_FILL_YEARS).contains(&v) => Some(v as u32),
        _ => {
            problems.push(
                row.problem("fill_years", format!("{}: expected a whole number of years from 1 to 10", quoted(text))),
            );
            None
        }
    }
}

/// The year a scheme opens, within the years planned.
fn opens_at(row: &Row<'_>, window: Option<(SchoolYear, usize)>, problems: &mut Problems) -> Option<SchoolYear> {
    let text = row.text("opens");
    let Some(year) = SchoolYear::parse(text) else {
        problems.push(row.problem("opens", format!("{} is not a school year: expected e.g. 2027/28", quoted(text))));
        return None;
    };
    // No years planned: the model file's planning_year or [horizon] has a problem, reported.
    let (first, years) = window?;
    let last = first.plus(years - 1);
    if year < first || year > last {
        let span = if years == 1 { format!("{first}, the year planned") } else { format!("{first} to {last}") };
        problems.push(row.problem(
            "opens",
            format!("{year} is outside the years planned: expected {span} (a scheme opening later cannot help)"),
        ));
        return None;
    }
    Some(year)
}

/// Fewest and most modules (both 1 if neither is given).
fn modules_at(row: &Row<'_>, problems: &mut Problems) -> Option<(u32, u32)> {
    let whole = |column: &str, problems: &mut Problems| -> Option<Option<u32>> {
        let t = row.text(column);
        if t.is_empty() {
            return Some(None);
        }
        match t.parse::<f64>() {
            Ok(v) if v.fract() == 0.0 && (1.0..=MAX_MODULES).contains(&v) => Some(Some(v as u32)),
            _ => {
                problems.push(
                    row.problem(column, format!("{}: expected a whole number of modules from 1 to 100", quoted(t))),
                );
                None
            }
        }
    };
    let min = whole("min_modules", problems)?;
    let max = whole("max_modules", problems)?;
    let (min, max) = (min.unwrap_or(1), max.unwrap_or(min.unwrap_or(1)));
    if min > max {
        problems.push(row.problem("max_modules", format!("{max} is below min_modules {min}: expected at least {min}")));
        return None;
    }
    Some((min, max))
}

/// `scheme_places`: pools of places per module by need and phase. Returns the schemes with
/// a row that has a problem (`None` if that cannot be known: the table could not be read, or
/// a row with a problem names no scheme).
fn read_places(
    tables: &Tables<'_>,
    path: Option<&Path>,
    (index, window): (&Ids, Option<(SchoolYear, usize)>),
    schemes: &mut [Scheme],
    problems: &mut Problems,
) -> Option<HashSet<usize>> {
    let mut troubled = HashSet::new();
    if path.is_none() && !tables.src.adds("scheme_places") {
        return Some(troubled);
    }
    let table = tables.src.open("scheme_places", path, problems)?;
    let codes = tables.codes;
    let mut unknown = false;
    for row in table.rows() {
        let Some(s) = super::reference(&row, "scheme", index, "a scheme id in the schemes table", problems) else {
            unknown = true;
            continue;
        };
        match pool_at(&row, &schemes[s], (codes, window), problems) {
            Some(pool) => schemes[s].places.push(pool),
            None => {
                troubled.insert(s);
            }
        }
    }
    for cell in table.broken_cells("scheme") {
        match index.get(cell) {
            Some(s) => {
                troubled.insert(s);
            }
            None => unknown = true,
        }
    }
    (!unknown).then_some(troubled)
}

/// One row of `scheme_places`: a pool of `scheme`'s places, or `None` with problems.
fn pool_at(
    row: &Row<'_>,
    scheme: &Scheme,
    (codes, window): (&super::Codes<'_>, Option<(SchoolYear, usize)>),
    problems: &mut Problems,
) -> Option<SchemePlaces> {
    let needs = codes.needs_at(row, "needs", problems);
    let phases = codes.phases_at(row, "phases", problems);
    let places = row.count("places", problems);
    let (Some(needs), Some(phases), Some(places)) = (needs, phases, places) else {
        return None;
    };
    if places <= 0.0 {
        problems.push(row.problem("places", "is 0: expected the places per module (above 0)"));
        return None;
    }
    let overlap = scheme.places.iter().any(|p| {
        (0..codes.needs.len()).any(|n| p.needs.contains(n) && needs.contains(n))
            && (0..codes.phases.len()).any(|ph| p.phases.contains(ph) && phases.contains(ph))
    });
    if overlap {
        problems.push(row.row_problem(format!(
            "scheme '{}' already has places for some of these needs and phases: expected each need and phase in one row of a scheme",
            scheme.id
        )));
        return None;
    }
    // Places that open in stages: a pool may open after its scheme, within the years planned.
    let opens = if row.text("opens").is_empty() {
        scheme.opens
    } else {
        let year = opens_at(row, window, problems)?;
        if year < scheme.opens {
            problems.push(row.problem(
                "opens",
                format!("{year} is before scheme '{}' opens ({}): expected its year or later", scheme.id, scheme.opens),
            ));
            return None;
        }
        year
    };
    Some(SchemePlaces { needs, phases, places, opens })
}
