//! The DfE's school capacity survey (SCAP) specialist-provision return: the capacity of the
//! borough's state-funded special schools, SEN units and resourced provisions as at May of
//! the base year, and the forecast of resident pupils with an EHC plan who need a specialist
//! place, by year, phase and national curriculum year, checked against the plan's need.
//!
//! What counts (models/README.md, "The SCAP return"): capacity is that of maintained,
//! academy and free special schools and of resourced provisions and units in the borough;
//! not independent or non-maintained schools, other authorities' schools or colleges. The
//! forecast is the plan's whole need for specialist places (a resourced provision or a
//! special school, however the child is then placed: in the borough, elsewhere, independent
//! or a specialist post-16 institution) of children living in the borough's localities.

use std::collections::BTreeMap;

use crate::model::{
    DEFAULT_PHASE_YEAR_GROUPS, Model, NeedByYear, Phase, SchoolYear, Setting, SettingIx, SettingKind, YearGroup,
};

use super::forecast;

/// Children closer than this are the same number (sums of the same cells in another order).
const SAME: f64 = 1e-6;

/// A phase as the SCAP return names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScapPhase {
    /// Nursery (N1, N2): outside the return's capacity and forecasts; shown apart.
    EarlyYears,
    /// Reception to year 6.
    Primary,
    /// Years 7 to 11.
    Secondary,
    /// Years 12 to 14 (counted with secondary in the capacity of secondary provision).
    Post16,
}

impl ScapPhase {
    /// The name written in the return.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ScapPhase::EarlyYears => "Early years",
            ScapPhase::Primary => "Primary",
            ScapPhase::Secondary => "Secondary",
            ScapPhase::Post16 => "Post-16",
        }
    }

    /// The SCAP phase of the year groups `first..=last`, if they lie within one.
    #[must_use]
    pub fn of_year_groups(first: YearGroup, last: YearGroup) -> Option<ScapPhase> {
        if last.0 <= -1 {
            Some(ScapPhase::EarlyYears)
        } else if first.0 >= 0 && last.0 <= 6 {
            Some(ScapPhase::Primary)
        } else if first.0 >= 7 && last.0 <= 11 {
            Some(ScapPhase::Secondary)
        } else if first.0 >= 12 && last.0 <= 14 {
            // Post-19 (years 15 to 20) is not in the return: it is of pupils to 18.
            Some(ScapPhase::Post16)
        } else {
            None
        }
    }
}

/// The year groups of a model's phase: the horizon's, or for a one-year model the default
/// phases' by code (`None` for a phase of another name).
#[must_use]
pub fn year_groups(model: &Model, phase: Phase) -> Option<(YearGroup, YearGroup)> {
    match &model.horizon {
        Some(h) => h.phase_year_groups.get(phase.0).copied(),
        None => DEFAULT_PHASE_YEAR_GROUPS
            .iter()
            .find(|(code, _, _)| *code == model.phase_code(phase))
            .map(|(_, a, b)| (YearGroup(*a), YearGroup(*b))),
    }
}

/// The SCAP phase of a model's phase, if its year groups lie within one.
#[must_use]
pub fn scap_phase(model: &Model, phase: Phase) -> Option<ScapPhase> {
    year_groups(model, phase).and_then(|(a, b)| ScapPhase::of_year_groups(a, b))
}

/// The kind of provision as the SCAP return names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvisionType {
    /// A maintained, academy or free special school.
    SpecialSchool,
    /// A special educational needs unit in a mainstream school.
    SenUnit,
    /// Resourced provision in a mainstream school.
    ResourcedProvision,
}

impl ProvisionType {
    /// The name written in the return.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ProvisionType::SpecialSchool => "Special school",
            ProvisionType::SenUnit => "SEN unit",
            ProvisionType::ResourcedProvision => "Resourced provision",
        }
    }
}

/// Whether a setting's places are in the return's capacity: a state-funded special school,
/// resourced provision or unit in the borough. Independent and non-maintained schools, the
/// market, specialist post-16 institutions (colleges) and other authorities' schools (they
/// return their own) are not.
#[must_use]
pub fn in_return(setting: &Setting) -> bool {
    setting.in_borough
        && matches!(
            setting.kind,
            SettingKind::MaintainedSpecial | SettingKind::AcademySpecial | SettingKind::ResourcedProvision
        )
}

/// One line of the capacity part of the return: a school or unit.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityRow {
    /// The setting.
    pub setting: SettingIx,
    /// Special school, SEN unit or resourced provision.
    pub provision_type: ProvisionType,
    /// Primary, Secondary or All-through (post-16 counted with secondary), Early years
    /// (nursery only), or Not known (phases the return has no name for).
    pub school_phase: &'static str,
    /// Places as at May of the base year.
    pub capacity: f64,
    /// The places, where all are primary.
    pub primary_capacity: Option<f64>,
    /// The places, where all are secondary (post-16 places included).
    pub secondary_capacity: Option<f64>,
    /// What a reader should know about the line.
    pub notes: Vec<&'static str>,
}

/// One line of the forecast part of the return.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastRow {
    /// The academic year.
    pub year: SchoolYear,
    /// The model's phase.
    pub phase: Phase,
    /// Its SCAP name, if it has one.
    pub scap_phase: Option<ScapPhase>,
    /// The national curriculum year, where the model ages a cohort by year group.
    pub nc_year: Option<YearGroup>,
    /// Resident pupils with an EHC plan needing a specialist place.
    pub pupils: f64,
}

/// The return: its two parts and what the check compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    /// The base year (capacity as at May of it).
    pub base_year: SchoolYear,
    /// A line per school or unit, in the settings table's order.
    pub capacity: Vec<CapacityRow>,
    /// A line per year, phase (and national curriculum year).
    pub forecast: Vec<ForecastRow>,
    /// Children of localities outside the borough, in all years: in the plan, not the return.
    pub not_resident: f64,
}

impl Return {
    /// Total capacity.
    #[must_use]
    pub fn total_capacity(&self) -> f64 {
        self.capacity.iter().map(|r| r.capacity).sum()
    }
}

/// Whether `name` has the word "unit" in it (any case): SCAP's SEN unit, as the settings
/// table has one kind for units and resourced provision.
fn named_unit(name: &str) -> bool {
    name.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case("unit"))
}

/// The capacity lines: each setting in the return with its places as at May of the base
/// year (`places`, in the order of the settings).
#[must_use]
pub fn capacity(model: &Model, places: &[f64]) -> Vec<CapacityRow> {
    let mut rows = Vec::new();
    for (i, (s, &capacity)) in model.settings.iter().zip(places).enumerate() {
        if !in_return(s) {
            continue;
        }
        let mut notes = Vec::new();
        let provision_type = match s.kind {
            SettingKind::ResourcedProvision if named_unit(&s.name) => {
                notes.push("SEN unit: its name says unit (the settings table has one kind for both)");
                ProvisionType::SenUnit
            }
            SettingKind::ResourcedProvision => ProvisionType::ResourcedProvision,
            _ => ProvisionType::SpecialSchool,
        };
        let served: Vec<Option<ScapPhase>> = (0..model.phases.len())
            .map(Phase)
            .filter(|p| s.phases.contains(p.0))
            .map(|p| scap_phase(model, p))
            .collect();
        let primary = served.contains(&Some(ScapPhase::Primary));
        let secondary = served.iter().any(|p| matches!(p, Some(ScapPhase::Secondary | ScapPhase::Post16)));
        if served.contains(&Some(ScapPhase::EarlyYears)) {
            notes.push("nursery places are not told apart from the others: all are counted");
        }
        if served.contains(&Some(ScapPhase::Post16)) {
            notes.push("post-16 places counted in the secondary capacity");
        }
        let school_phase = if served.contains(&None) {
            notes.push("a phase served has no SCAP name: capacity not split by phase");
            "Not known"
        } else {
            match (primary, secondary) {
                (true, true) => {
                    notes.push("all-through: the model does not split its places between primary and secondary");
                    "All-through"
                }
                (true, false) => "Primary",
                (false, true) => "Secondary",
                (false, false) => "Early years",
            }
        };
        if s.register.urn.is_none() {
            notes.push("no URN in the settings table");
        }
        if capacity == 0.0 {
            notes.push("no places as at May of the base year (places planned later)");
        }
        rows.push(CapacityRow {
            setting: SettingIx(i),
            provision_type,
            school_phase,
            capacity,
            primary_capacity: (school_phase == "Primary").then_some(capacity),
            secondary_capacity: (school_phase == "Secondary").then_some(capacity),
            notes,
        });
    }
    rows
}

/// Whether the plan's children of locality `l` are residents of the borough.
fn resident(model: &Model, l: crate::model::LocalityIx) -> bool {
    model.locality(l).in_borough
}

/// The forecast lines: where the model ages a cohort, from its year groups (each year's
/// children by phase and national curriculum year); otherwise from each year's need by phase.
/// Children of localities outside the borough are left out.
#[must_use]
pub fn forecast_rows(model: &Model) -> Vec<ForecastRow> {
    let mut sums: BTreeMap<(SchoolYear, Phase, Option<YearGroup>), f64> = BTreeMap::new();
    match model.years_ahead() {
        Some(ahead) if matches!(ahead.horizon().need, NeedByYear::Cohort { .. }) => {
            let h = ahead.horizon();
            for (year, grid) in h.years().zip(forecast::project(ahead)) {
                for (l, _, yg, provision, children) in grid.cells() {
                    if let Some(phase) = h.phase_of(yg)
                        && resident(model, l)
                        && provision.is_specialist()
                    {
                        *sums.entry((year, phase, Some(yg))).or_default() += children;
                    }
                }
            }
        }
        _ => {
            for y in forecast::years(model) {
                for d in y.demand.iter().filter(|d| resident(model, d.locality) && d.provision.is_specialist()) {
                    *sums.entry((y.year, d.phase, None)).or_default() += d.children;
                }
            }
        }
    }
    sums.into_iter()
        .map(|((year, phase, nc_year), pupils)| ForecastRow {
            year,
            phase,
            scap_phase: scap_phase(model, phase),
            nc_year,
            pupils: crate::model::in_child_units(pupils),
        })
        .collect()
}

/// The return of `model`, checked: the forecast's totals by year and phase are the plan's
/// need of resident children (as `forecast` and `solve` count it), and the capacity's total
/// is the places of the settings in the return, split by phase without loss.
///
/// # Errors
/// What differs, if the check fails (a fault in the tool, not in the model).
pub fn scap_return(model: &Model) -> Result<Return, String> {
    let years = forecast::years(model);
    let base = years.first().ok_or("the model plans no year")?;
    let capacity = capacity(model, &base.places);
    let forecast = forecast_rows(model);

    let (problems, not_resident) = check(model, &years, &capacity, &forecast);
    if problems.is_empty() {
        Ok(Return { base_year: base.year, capacity, forecast, not_resident })
    } else {
        Err(format!("the SCAP return does not add up to the plan:\n{}", problems.join("\n")))
    }
}

/// The return's check: the problems found (none when its capacity is the settings' places
/// and its forecast is the plan's need of resident children, year by year and phase by
/// phase), and the children of localities outside the borough, left out.
fn check(
    model: &Model,
    years: &[crate::model::YearInstance],
    capacity: &[CapacityRow],
    forecast: &[ForecastRow],
) -> (Vec<String>, f64) {
    let base = &years[0];
    let mut problems = Vec::new();
    // The capacity against the settings' places, counted again from the settings table.
    let places: f64 = model.settings.iter().zip(&base.places).filter(|(s, _)| in_return(s)).map(|(_, p)| p).sum();
    let total: f64 = capacity.iter().map(|r| r.capacity).sum();
    let split: f64 = capacity
        .iter()
        .map(|r| match (r.primary_capacity, r.secondary_capacity) {
            (None, None) => r.capacity,
            (p, s) => p.unwrap_or(0.0) + s.unwrap_or(0.0),
        })
        .sum();
    if (total - places).abs() > SAME || (split - places).abs() > SAME {
        problems
            .push(format!("capacity: the return has {total} places ({split} by phase); the settings have {places}"));
    }
    // The forecast against the plan's need, year by year and phase by phase.
    let mut plan: BTreeMap<(SchoolYear, Phase), f64> = BTreeMap::new();
    let mut not_resident = 0.0;
    for y in years {
        // Only need for a specialist place: children whose plans are met in mainstream, a
        // base, alternative provision or other arrangements are not in the return.
        for d in y.demand.iter().filter(|d| d.provision.is_specialist()) {
            if resident(model, d.locality) {
                *plan.entry((y.year, d.phase)).or_default() += d.children;
            } else {
                not_resident += d.children;
            }
        }
    }
    let mut written: BTreeMap<(SchoolYear, Phase), f64> = BTreeMap::new();
    for r in forecast {
        *written.entry((r.year, r.phase)).or_default() += r.pupils;
    }
    let keys: std::collections::BTreeSet<_> = plan.keys().chain(written.keys()).collect();
    for key in keys {
        let (a, b) = (written.get(key).copied().unwrap_or(0.0), plan.get(key).copied().unwrap_or(0.0));
        if (a - b).abs() > SAME {
            problems.push(format!(
                "forecast {} {}: the return has {a:.3} pupils, the plan's need is {b:.3}",
                key.0,
                model.phase_code(key.1)
            ));
        }
    }
    (problems, not_resident)
}

#[cfg(test)]
mod tests;
