//! `check --against`: the model's base year beside the DfE's published caseload of EHC
//! plans by establishment type ([`crate::model::input::sen2`]), so a planner sees at once
//! whether the base year is plausible.
//!
//! The model holds only children in specialist places, so its kinds of setting are
//! compared with four groups of the DfE's establishment types; the rest (mainstream
//! schools, alternative provision, further education, education elsewhere, none) are shown
//! as "not in the model". The model's figure is the children placed in the base year
//! (`current_placements` of a multi-year model); a model without them is compared by its
//! places, and says so.
//!
//! From the other files of the release come three more comparisons, each a function
//! returning the figures ([`ages`], [`need_mix`], [`residential`]) and the text built from
//! it: the caseload by age in the four groups (age at 31 August before the January, so year
//! group = age − 4), the primary need mix of the four groups (detail rows, never subtotals),
//! and residential placements against the market's residential steps. [`report_all`] prints
//! every one read.

use super::text::{children, grid, with_sign};
use crate::model::input::sen2::{
    Against, AgeRow, Ages, Authority, BY_AGE, Caseload, NEED_COLUMNS, NeedMix, PlacementNeeds, Residential,
};
use crate::model::{DEFAULT_PHASE_YEAR_GROUPS, Model, NeedByYear, Residence, SettingKind, YearGroup};

/// A group of settings compared with the published figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Maintained, academy and free special schools, in the borough or another authority's.
    StateSpecial,
    /// Independent and non-maintained special schools, and places bought from the market.
    IndependentSpecial,
    /// Resourced provisions and SEN units in mainstream schools.
    ResourcedProvision,
    /// Specialist post-16 institutions.
    SpecialistPost16,
}

impl Group {
    /// In report order.
    pub const ALL: [Group; 4] =
        [Group::StateSpecial, Group::IndependentSpecial, Group::ResourcedProvision, Group::SpecialistPost16];

    /// As the report names it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Group::StateSpecial => "State special schools",
            Group::IndependentSpecial => "Independent and non-maintained special",
            Group::ResourcedProvision => "Resourced provision and SEN units",
            Group::SpecialistPost16 => "Specialist post-16 institutions",
        }
    }

    /// The group of a kind of setting.
    #[must_use]
    pub fn of_kind(kind: SettingKind) -> Group {
        match kind {
            SettingKind::MaintainedSpecial | SettingKind::AcademySpecial | SettingKind::OtherAuthoritySpecial => {
                Group::StateSpecial
            }
            SettingKind::IndependentSpecial | SettingKind::NonMaintainedSpecial | SettingKind::IndependentMarket => {
                Group::IndependentSpecial
            }
            SettingKind::ResourcedProvision => Group::ResourcedProvision,
            SettingKind::SpecialistPost16 => Group::SpecialistPost16,
        }
    }

    /// The group of a DfE establishment type (with its group, for types named only by it),
    /// `None` for one the model does not hold (mainstream, alternative provision, further
    /// education, elsewhere). By words in the name: "resourced provision" or "SEN unit";
    /// "specialist post-16" or "independent specialist provider"; "independent" or
    /// "non-maintained" with "special"; any other "special".
    #[must_use]
    pub fn of_type(group: &str, establishment_type: &str) -> Option<Group> {
        let t = format!("{} {}", group, establishment_type).to_lowercase();
        let ty = establishment_type.to_lowercase();
        if ty.contains("resourced provision") || ty.contains("sen unit") {
            return Some(Group::ResourcedProvision);
        }
        // "Independent specialist providers" is the older name of specialist post-16
        // institutions: without this it would read as an independent special school.
        if ty.contains("specialist post-16")
            || ty.contains("specialist post 16")
            || ty.contains("independent specialist provider")
        {
            return Some(Group::SpecialistPost16);
        }
        if !ty.contains("special") || ty.contains("mainstream") {
            return None;
        }
        if t.contains("independent") || t.contains("non-maintained") || t.contains("non maintained") {
            return Some(Group::IndependentSpecial);
        }
        Some(Group::StateSpecial)
    }
}

/// A figure, or `c` where the published one is missing.
fn shown(v: Option<f64>) -> String {
    v.map_or_else(|| "c".to_string(), children)
}

/// The comparison, as the terminal shows it.
#[must_use]
pub fn report(model: &Model, caseload: &Caseload, file: &str) -> String {
    let current = model.horizon.as_ref().map(|h| &h.current).filter(|c| !c.is_empty());
    let mut by_group = [0.0; 4];
    let mut kinds: [Vec<&'static str>; 4] = Default::default();
    for kind in SettingKind::ALL {
        let g = Group::ALL.iter().position(|g| *g == Group::of_kind(kind)).unwrap_or(0);
        kinds[g].push(kind.code());
    }
    match current {
        Some(placed) => {
            for p in placed {
                let g = Group::of_kind(model.setting(p.setting).kind);
                by_group[Group::ALL.iter().position(|x| *x == g).unwrap_or(0)] += p.children;
            }
        }
        None => {
            for s in model.settings.iter().filter(|s| s.market.is_none()) {
                let g = Group::of_kind(s.kind);
                by_group[Group::ALL.iter().position(|x| *x == g).unwrap_or(0)] += s.places;
            }
        }
    }
    let mut published: [Option<f64>; 4] = [Some(0.0); 4];
    let mut mapping: Vec<Vec<String>> = Vec::new();
    let mut outside: Option<f64> = Some(0.0);
    // Groups of the model with a suppressed figure show `c`: their sum is not known.
    for p in &caseload.types {
        let g = Group::of_type(&p.group, &p.establishment_type);
        let slot = match g {
            Some(g) => &mut published[Group::ALL.iter().position(|x| *x == g).unwrap_or(0)],
            None => &mut outside,
        };
        *slot = slot.zip(p.children).map(|(a, b)| a + b);
        mapping.push(vec![
            p.group.clone(),
            p.establishment_type.clone(),
            shown(p.children),
            g.map_or("not in the model", Group::name).to_string(),
        ]);
    }
    let what = if current.is_some() {
        "children placed in the base year (current_placements)"
    } else {
        "places (the model has no children placed in its base year: current_placements of a multi-year model)"
    };
    let mut out = format!(
        "{} — base year {} against the DfE's published EHC plans by establishment type\n\
         Published: {file}, {} ({}, {}), January {}, {}; suppressed figures (c, x, z) are missing, never 0.\n\
         Model: {what}, by kind of setting.\n\
         Difference = model − published; % of published.\n\n",
        model.name,
        model.planning_year,
        caseload.la_name,
        caseload.old_la_code,
        caseload.new_la_code,
        if caseload.january == caseload.asked {
            format!("{} (the base year's January)", caseload.january)
        } else {
            format!("{} (the latest in the file up to the base year's January, {})", caseload.january, caseload.asked)
        },
        caseload.layout.describe(),
    );
    let mut rows = Vec::new();
    let row = |name: &str, kinds: String, m: f64, p: Option<f64>| {
        let (diff, pc) = match p {
            Some(p) => {
                let d = m - p;
                let pc = if p > 0.0 {
                    let pc = 100.0 * d / p;
                    format!("{}%", with_sign(format!("{:.1}", pc.abs()), pc))
                } else {
                    "-".into()
                };
                (with_sign(children(d.abs()), d), pc)
            }
            None => ("-".into(), "-".into()),
        };
        vec![name.to_string(), kinds, children(m), shown(p), diff, pc]
    };
    for (i, g) in Group::ALL.iter().enumerate() {
        rows.push(row(g.name(), kinds[i].join(", "), by_group[i], published[i]));
    }
    let total_model: f64 = by_group.iter().sum();
    let total_published = published.iter().try_fold(0.0, |a, p| p.map(|p| a + p));
    rows.push(row("All specialist settings", String::new(), total_model, total_published));
    let demand: f64 = model.demand.iter().map(|d| d.children).sum();
    rows.push(row("Forecast need in the base year (demand)", String::new(), demand, total_published));
    out.push_str(&grid(
        &["group", "model kinds", "model", "published", "difference", "%"],
        &rows,
        &[false, false, true, true, true, true],
    ));
    let suppressed = caseload
        .types
        .iter()
        .filter(|p| Group::of_type(&p.group, &p.establishment_type).is_none() && p.children.is_none())
        .count();
    let known: f64 = caseload
        .types
        .iter()
        .filter(|p| Group::of_type(&p.group, &p.establishment_type).is_none())
        .filter_map(|p| p.children)
        .sum();
    out.push_str(&format!(
        "\nNot in the model (mainstream, alternative provision, further education, elsewhere, none): {} children published{}.\n",
        children(known),
        match suppressed {
            0 => String::new(),
            1 => ", not counting 1 suppressed figure".to_string(),
            n => format!(", not counting {n} suppressed figures"),
        }
    ));
    if let Some(total) = caseload.total {
        out.push_str(&format!("All EHC plans published for {}: {}.\n", caseload.la_name, shown(total)));
    }
    out.push_str("\nMapping of the DfE's establishment types:\n");
    out.push_str(&grid(
        &["establishment_group", "establishment_type", "published", "compared with"],
        &mapping,
        &[false, false, true, false],
    ));
    out
}

/// What the model's figure in a comparison is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Children placed in the base year (`current_placements` of a multi-year model).
    Placed,
    /// The base year's need (`demand`, or the cohort of a multi-year model).
    Need,
    /// Places the model offers.
    Places,
}

/// Children placed in the base year, if the model has any.
fn placed(model: &Model) -> Option<&[crate::model::CurrentPlacement]> {
    model.horizon.as_ref().map(|h| h.current.as_slice()).filter(|c| !c.is_empty())
}

/// A sum of published figures: missing if any is.
fn sum_published(figures: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    figures.into_iter().try_fold(0.0, |a, p| p.map(|p| a + p))
}

/// One need: the model's figure beside the DfE's.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedRow {
    /// The model's need code (`""` for the DfE's "not recorded").
    pub code: String,
    /// The DfE's name for it.
    pub label: String,
    /// The model's children of this need; `None` where the model has no such need code.
    pub model: Option<f64>,
    /// The DfE's plans of this need in the four specialist groups; `None` where missing.
    pub published: Option<f64>,
}

/// The need mix of specialist placements, the model's beside the DfE's.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedComparison {
    /// What the model's figures are: [`Basis::Placed`] or [`Basis::Need`].
    pub basis: Basis,
    /// Each of the DfE's needs, in its order, "not recorded" last.
    pub rows: Vec<NeedRow>,
    /// The model's needs with no DfE column, and their children.
    pub unmatched: Vec<(String, f64)>,
    /// The DfE's rows by type of placement summed (details only, no subtotal) and their plans.
    pub summed: Vec<(String, Option<f64>)>,
}

impl NeedComparison {
    /// The model's total, every need.
    #[must_use]
    pub fn model_total(&self) -> f64 {
        self.rows.iter().filter_map(|r| r.model).sum::<f64>() + self.unmatched.iter().map(|u| u.1).sum::<f64>()
    }

    /// The DfE's total, every need and "not recorded" (missing if any figure is).
    #[must_use]
    pub fn published_total(&self) -> Option<f64> {
        sum_published(self.rows.iter().map(|r| r.published))
    }
}

/// The model's need mix in the base year beside the DfE's for the four specialist groups
/// (the detail rows by type of placement that [`Group::of_type`] places in a group; the
/// subtotals "Special - total", "Mainstream - total", "FE - total" are left out so nothing
/// is counted twice). The model's figure is the children placed in the base year, or for a
/// model without them its base-year demand.
#[must_use]
pub fn need_mix(model: &Model, mix: &NeedMix) -> NeedComparison {
    let mut by_need = vec![0.0; model.needs.len()];
    let basis = match placed(model) {
        Some(current) => {
            for p in current {
                by_need[p.need.index()] += p.children;
            }
            Basis::Placed
        }
        None => {
            for d in &model.demand {
                by_need[d.need.index()] += d.children;
            }
            Basis::Need
        }
    };
    let rows_used: Vec<&PlacementNeeds> =
        mix.placements.iter().filter(|p| !p.subtotal && Group::of_type("", &p.placement).is_some()).collect();
    let mut matched = vec![false; model.needs.len()];
    let rows = NEED_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, (_, code, label))| {
            let at = model.needs.iter().position(|n| !code.is_empty() && n.eq_ignore_ascii_case(code));
            if let Some(at) = at {
                matched[at] = true;
            }
            NeedRow {
                code: (*code).to_string(),
                label: (*label).to_string(),
                model: at.map(|at| by_need[at]),
                published: sum_published(rows_used.iter().map(|p| p.needs.get(i).copied().flatten())),
            }
        })
        .collect();
    let unmatched = model
        .needs
        .iter()
        .zip(&by_need)
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|((n, v), _)| (n.clone(), *v))
        .collect();
    NeedComparison {
        basis,
        rows,
        unmatched,
        summed: rows_used.iter().map(|p| (p.placement.clone(), p.plans)).collect(),
    }
}

/// A band of ages compared: the phases of education, by age at 31 August before the January
/// counted (the age the national curriculum year goes by: year group + 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    /// Ages 0 to 3: N1, N2 and younger.
    EarlyYears,
    /// Ages 4 to 10: reception to year 6.
    Primary,
    /// Ages 11 to 15: years 7 to 11.
    Secondary,
    /// Ages 16 to 18: years 12 to 14.
    Post16,
    /// Ages 19 to 25: beyond the model's year groups.
    Over19,
}

impl Band {
    /// In report order.
    pub const ALL: [Band; 5] = [Band::EarlyYears, Band::Primary, Band::Secondary, Band::Post16, Band::Over19];

    /// The ages, youngest and oldest.
    #[must_use]
    pub fn ages(self) -> (u8, u8) {
        match self {
            Band::EarlyYears => (0, 3),
            Band::Primary => (4, 10),
            Band::Secondary => (11, 15),
            Band::Post16 => (16, 18),
            Band::Over19 => (19, 25),
        }
    }

    /// As the report names it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Band::EarlyYears => "Early years (N1, N2; age 3 and under)",
            Band::Primary => "Primary (R to 6; ages 4 to 10)",
            Band::Secondary => "Secondary (7 to 11; ages 11 to 15)",
            Band::Post16 => "Post-16 (12 to 14; ages 16 to 18)",
            Band::Over19 => "19 and over (ages 19 to 25)",
        }
    }

    /// The band of an age.
    #[must_use]
    pub fn of_age(age: u8) -> Band {
        Band::ALL.into_iter().find(|b| b.ages().1 >= age).unwrap_or(Band::Over19)
    }
}

/// Age at 31 August before the January counted, of a national curriculum year group
/// (N1 = 2, R = 4, 11 = 15, 14 = 18).
#[must_use]
pub fn age_of(year_group: YearGroup) -> u8 {
    u8::try_from(year_group.0 + 4).unwrap_or(0)
}

/// One line of a comparison: a name, the model's figure (`None`: the model cannot hold
/// it), the DfE's (`None`: missing).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// What is compared.
    pub name: String,
    /// The model's figure.
    pub model: Option<f64>,
    /// The DfE's figure.
    pub published: Option<f64>,
}

/// The caseload in specialist settings by age, the model's beside the DfE's.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeComparison {
    /// What the model's figures are.
    pub basis: Basis,
    /// By phase band, in [`Band::ALL`] order.
    pub bands: Vec<Line>,
    /// By age and year group, when the model has year groups (placements or a cohort):
    /// each DfE age to 18 (its name "age 10 (year 6)"), then 19 and over.
    pub by_age: Vec<Line>,
    /// The model's phases that are not within one band, and their children (need by phase only).
    pub unbanded: Vec<(String, f64)>,
}

/// The model's base year by age beside the DfE's caseload by age in the four specialist
/// groups' establishment types. The model's figure is the children placed in the base year
/// by year group; for a model without them, its base-year cohort by year group, or else its
/// demand by phase (placed in a band by the phase's year groups).
#[must_use]
pub fn ages(model: &Model, ages: &Ages) -> AgeComparison {
    let by_yg: Option<(Basis, Vec<(YearGroup, f64)>)> = match (placed(model), model.horizon.as_ref().map(|h| &h.need)) {
        (Some(current), _) => Some((Basis::Placed, current.iter().map(|p| (p.year_group, p.children)).collect())),
        (None, Some(NeedByYear::Cohort { cohort, .. })) => {
            Some((Basis::Need, cohort.iter().map(|c| (c.year_group, c.children)).collect()))
        }
        _ => None,
    };
    let specialist = |row: &AgeRow| {
        sum_published(
            row.types.iter().filter(|p| Group::of_type(&p.group, &p.establishment_type).is_some()).map(|p| p.children),
        )
    };
    let mut band_model = [0.0; 5];
    let mut unbanded = Vec::new();
    let basis = match &by_yg {
        Some((basis, list)) => {
            for (yg, children) in list {
                band_model[Band::ALL.iter().position(|b| *b == Band::of_age(age_of(*yg))).unwrap_or(0)] += children;
            }
            *basis
        }
        None => {
            let ranges: Vec<(YearGroup, YearGroup)> = match &model.horizon {
                Some(h) => h.phase_year_groups.clone(),
                None => model
                    .phases
                    .iter()
                    .map(|p| {
                        DEFAULT_PHASE_YEAR_GROUPS
                            .iter()
                            .find(|d| d.0.eq_ignore_ascii_case(&p.code))
                            .map_or((YearGroup(99), YearGroup(-99)), |d| (YearGroup(d.1), YearGroup(d.2)))
                    })
                    .collect(),
            };
            let mut by_phase = vec![0.0; model.phases.len()];
            for d in &model.demand {
                by_phase[d.phase.index()] += d.children;
            }
            for (i, v) in by_phase.iter().enumerate() {
                let band = ranges.get(i).filter(|(a, b)| a <= b).and_then(|(a, b)| {
                    let band = Band::of_age(age_of(*a));
                    (band == Band::of_age(age_of(*b))).then_some(band)
                });
                match band {
                    Some(band) => band_model[Band::ALL.iter().position(|x| *x == band).unwrap_or(0)] += v,
                    None => unbanded.push((model.phases[i].code.clone(), *v)),
                }
            }
            Basis::Need
        }
    };
    let bands = Band::ALL
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (lo, hi) = b.ages();
            Line {
                name: b.name().to_string(),
                model: (*b != Band::Over19).then_some(band_model[i]),
                published: sum_published(
                    ages.rows.iter().filter(|r| r.band.low >= lo && r.band.high <= hi).map(&specialist),
                ),
            }
        })
        .collect();
    let mut by_age = Vec::new();
    if let Some((_, list)) = &by_yg {
        for row in ages.rows.iter().filter(|r| r.band.high <= 18) {
            let in_row = |yg: &YearGroup| (row.band.low..=row.band.high).contains(&age_of(*yg));
            let ygs: Vec<String> = YearGroup::all().filter(in_row).map(|y| y.to_string()).collect();
            let name = match ygs.as_slice() {
                [] => row.band.label.clone(),
                [one] => format!("{} (year {one})", row.band.label),
                [first, .., last] => format!("{} (years {first} to {last})", row.band.label),
            };
            let model: f64 = list.iter().filter(|(yg, _)| in_row(yg)).map(|(_, c)| c).sum();
            by_age.push(Line { name, model: Some(model), published: specialist(row) });
        }
        by_age.push(Line {
            name: "19 and over".to_string(),
            model: None,
            published: sum_published(ages.rows.iter().filter(|r| r.band.low >= 19).map(&specialist)),
        });
    }
    AgeComparison { basis, bands, by_age, unbanded }
}

/// Residential placements, the model's beside the DfE's.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidentialComparison {
    /// [`Basis::Placed`] (children placed at residential settings in the base year) or
    /// [`Basis::Places`] (the places of the market's residential steps).
    pub basis: Basis,
    /// 38 to 51 weeks (the model's 38-week), 52 weeks, and all: the model's (infinite where
    /// a step has no limit) and the DfE's.
    pub lines: Vec<Line>,
    /// The market's residential steps: id, name, residence, places (infinite: any number).
    pub steps: Vec<(String, String, Residence, f64)>,
    /// The DfE's residential placements in the four specialist groups' types of placement
    /// (detail rows only), if the file has rows by type of placement.
    pub specialist: Option<Option<f64>>,
}

/// The model's residential placements in the base year beside the DfE's. A model's only
/// residential places are the market's steps with `residence` 38-week or 52-week (a setting
/// of the settings table is a day place); children placed in the base year are counted at
/// them, and a model without placements is compared by the steps' places.
#[must_use]
pub fn residential(model: &Model, res: &Residential) -> ResidentialComparison {
    let residence = |ix: usize| model.settings[ix].market.map_or(Residence::Day, |m| m.residence);
    let mut by = [0.0; 2];
    let slot = |r: Residence| match r {
        Residence::Weeks38 => Some(0),
        Residence::Weeks52 => Some(1),
        Residence::Day => None,
    };
    let basis = match placed(model) {
        Some(current) => {
            // A child boards where their placement says so (current_placements' residence),
            // or at a residential step of the market.
            for p in current {
                let r = if p.residence == Residence::Day { residence(p.setting.index()) } else { p.residence };
                if let Some(i) = slot(r) {
                    by[i] += p.children;
                }
            }
            Basis::Placed
        }
        None => {
            for s in &model.settings {
                if let Some(i) = s.market.and_then(|m| slot(m.residence)) {
                    by[i] += s.places;
                }
            }
            Basis::Places
        }
    };
    let steps = model
        .settings
        .iter()
        .filter_map(|s| s.market.filter(|m| m.residence != Residence::Day).map(|m| (s, m)))
        .map(|(s, m)| (s.id.clone(), s.name.clone(), m.residence, s.places))
        .collect();
    let names = ["38 to 51 weeks (model: 38-week)", "52 weeks (model: 52-week)", "All residential placements"];
    let model_figures = [by[0], by[1], by[0] + by[1]];
    let lines = (0..3)
        .map(|i| Line { name: names[i].to_string(), model: Some(model_figures[i]), published: res.all[i] })
        .collect();
    let details: Vec<_> = res.placements.iter().filter(|(p, sub, _)| !sub && Group::of_type("", p).is_some()).collect();
    let specialist = (!res.placements.is_empty()).then(|| sum_published(details.iter().map(|(_, _, f)| f[2])));
    ResidentialComparison { basis, lines, steps, specialist }
}

/// The January a heading names.
fn january_text(january: u16, asked: u16) -> String {
    if january == asked {
        format!("{january} (the base year's January)")
    } else {
        format!("{january} (the latest in the file up to the base year's January, {asked})")
    }
}

/// The heading lines of a comparison, as the caseload's.
fn heading(model: &Model, title: &str, file: &str, a: &Authority, what: &str, basis: &str) -> String {
    format!(
        "{} — base year {} against {title}\n\
         Published: {file}, {} ({}, {}), January {}, {what}; suppressed figures (c, x, z) are missing, never 0.\n\
         Model: {basis}.\n\
         Difference = model − published; % of published.\n",
        model.name,
        model.planning_year,
        a.la_name,
        a.old_la_code,
        a.new_la_code,
        january_text(a.january, a.asked),
    )
}

/// The model's figure, the DfE's, their difference and the difference as a % of the DfE's;
/// `-` where either side has none, `any number` for a model's unlimited places.
fn cells(m: Option<f64>, p: Option<f64>) -> [String; 4] {
    let model = match m {
        Some(v) if v.is_infinite() => "any number".to_string(),
        Some(v) => children(v),
        None => "-".to_string(),
    };
    let (diff, pc) = match (m.filter(|v| v.is_finite()), p) {
        (Some(m), Some(p)) => {
            let d = m - p;
            let pc = if p > 0.0 {
                let pc = 100.0 * d / p;
                format!("{}%", with_sign(format!("{:.1}", pc.abs()), pc))
            } else {
                "-".into()
            };
            (with_sign(children(d.abs()), d), pc)
        }
        _ => ("-".into(), "-".into()),
    };
    [model, shown(p), diff, pc]
}

/// A share of a total, as a percentage to one decimal place; `-` where unknown.
fn share(v: Option<f64>, total: Option<f64>) -> String {
    match (v, total) {
        (Some(v), Some(t)) if t > 0.0 => format!("{:.1}%", 100.0 * v / t),
        _ => "-".to_string(),
    }
}

/// The need mix comparison, as the terminal shows it.
#[must_use]
pub fn need_mix_report(model: &Model, mix: &NeedMix, file: &str) -> String {
    let c = need_mix(model, mix);
    let basis = match c.basis {
        Basis::Placed => "children placed in the base year (current_placements), by need".to_string(),
        _ => "the base year's forecast need (demand), by need (the model has no children placed in its base year: \
              current_placements of a multi-year model)"
            .to_string(),
    };
    let mut out = heading(
        model,
        "the DfE's published primary need of EHC plans in specialist settings",
        file,
        &mix.authority,
        "the rows by type of placement of the four specialist groups (subtotal rows left out)",
        &basis,
    );
    out.push_str("Share = % of the column's total.\n\n");
    let model_total = c.model_total();
    let published_total = c.published_total();
    let mut rows: Vec<Vec<String>> = c
        .rows
        .iter()
        .map(|r| {
            let [m, p, d, pc] = cells(r.model, r.published);
            let code = if r.code.is_empty() { "-".to_string() } else { r.code.clone() };
            vec![
                code,
                r.label.clone(),
                m,
                share(r.model, Some(model_total)),
                p,
                share(r.published, published_total),
                d,
                pc,
            ]
        })
        .collect();
    let [m, p, d, pc] = cells(Some(model_total), published_total);
    rows.push(vec![
        "All".into(),
        "All needs".into(),
        m,
        share(Some(model_total), Some(model_total)),
        p,
        share(published_total, published_total),
        d,
        pc,
    ]);
    out.push_str(&grid(
        &["need", "the DfE's need", "model", "share", "published", "share", "difference", "%"],
        &rows,
        &[false, false, true, true, true, true, true, true],
    ));
    out.push_str(&format!(
        "\nRows by type of placement summed: {}.\n",
        if c.summed.is_empty() {
            "none".to_string()
        } else {
            c.summed.iter().map(|(p, v)| format!("{p} {}", shown(*v))).collect::<Vec<_>>().join(", ")
        }
    ));
    if !c.unmatched.is_empty() {
        out.push_str(&format!(
            "The model's needs the DfE does not publish (in the model's total): {}.\n",
            c.unmatched.iter().map(|(n, v)| format!("{n} {}", children(*v))).collect::<Vec<_>>().join(", ")
        ));
    }
    out
}

/// The age comparison, as the terminal shows it.
#[must_use]
pub fn ages_report(model: &Model, a: &Ages, file: &str) -> String {
    let c = ages(model, a);
    let basis = match (c.basis, c.by_age.is_empty()) {
        (Basis::Placed, _) => "children placed in the base year (current_placements), by year group".to_string(),
        (_, false) => "the base year's cohort (cohort), by year group (the model has no children placed in its base \
                       year: current_placements of a multi-year model)"
            .to_string(),
        _ => "the base year's forecast need (demand), by phase (the model has no year groups: cohort or \
              current_placements of a multi-year model)"
            .to_string(),
    };
    let mut out = heading(
        model,
        "the DfE's published EHC plans in specialist settings by age",
        file,
        &a.authority,
        &format!(
            "the rows by age (breakdown_topic '{BY_AGE}'), the columns of the four specialist groups; age at 31 August \
             before the January, so year group = age − 4"
        ),
        &basis,
    );
    out.push('\n');
    let table = |lines: &[Line], head: &str| {
        let rows: Vec<Vec<String>> = lines
            .iter()
            .map(|l| {
                let [m, p, d, pc] = cells(l.model, l.published);
                vec![l.name.clone(), m, p, d, pc]
            })
            .collect();
        grid(&[head, "model", "published", "difference", "%"], &rows, &[false, true, true, true, true])
    };
    out.push_str(&table(&c.bands, "phase"));
    if !c.unbanded.is_empty() {
        out.push_str(&format!(
            "\nThe model's phases not within one band (not counted above): {}.\n",
            c.unbanded.iter().map(|(p, v)| format!("{p} {}", children(*v))).collect::<Vec<_>>().join(", ")
        ));
    }
    if !c.by_age.is_empty() {
        out.push('\n');
        out.push_str(&table(&c.by_age, "age (year group)"));
    }
    out.push_str("\nThe model's year groups end at 14 (age 18): plans of 19 and over are not in it.\n");
    out
}

/// The residential comparison, as the terminal shows it.
#[must_use]
pub fn residential_report(model: &Model, r: &Residential, file: &str) -> String {
    let c = residential(model, r);
    let basis = match c.basis {
        Basis::Placed => {
            "children placed in the base year (current_placements) who board: their residence 38-week or 52-week, \
             or a residential step of the market"
        }
        _ => {
            "residential places (the market's steps of residence 38-week or 52-week; the model has no children \
             placed in its base year: current_placements of a multi-year model)"
        }
    };
    let mut out = heading(
        model,
        "the DfE's published residential placements",
        file,
        &r.authority,
        "'All residential placements' (Res_3851, Res_52, Res_tot)",
        basis,
    );
    out.push('\n');
    let rows: Vec<Vec<String>> = c
        .lines
        .iter()
        .map(|l| {
            let [m, p, d, pc] = cells(l.model, l.published);
            vec![l.name.clone(), m, p, d, pc]
        })
        .collect();
    out.push_str(&grid(
        &["residence", "model", "published", "difference", "%"],
        &rows,
        &[false, true, true, true, true],
    ));
    out.push('\n');
    if c.steps.is_empty() {
        out.push_str("The model holds none: no market step has residence 38-week or 52-week.\n");
    } else {
        out.push_str(&format!(
            "The model's residential places: {}.\n",
            c.steps
                .iter()
                .map(|(id, name, res, places)| format!(
                    "{id} '{name}' ({}, {})",
                    res.code(),
                    if places.is_finite() { format!("{} places", children(*places)) } else { "any number".into() }
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ));
        if c.basis == Basis::Placed {
            out.push_str(
                "current_placements name settings of the settings table, which are day places: the model places a \
                 child residentially only when it solves (solve's placements at these steps).\n",
            );
        }
    }
    if let Some(s) = c.specialist {
        out.push_str(&format!(
            "Of those published, in the four specialist groups' types of placement: {}.\n",
            shown(s)
        ));
    }
    out
}

/// Every comparison of what was read, in the order caseload, ages, need mix, residential.
#[must_use]
pub fn report_all(model: &Model, against: &Against) -> String {
    let mut parts = Vec::new();
    if let Some((file, c)) = &against.caseload {
        parts.push(report(model, c, file));
    }
    if let (Some(a), Some((file, _))) = (&against.ages, &against.caseload) {
        parts.push(ages_report(model, a, file));
    }
    if let Some((file, n)) = &against.needs {
        parts.push(need_mix_report(model, n, file));
    }
    if let Some((file, r)) = &against.residential {
        parts.push(residential_report(model, r, file));
    }
    let mut out = parts.join("\n");
    if !against.skipped.is_empty() {
        out.push_str(&format!("\nNot read (not a file check --against reads): {}.\n", against.skipped.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case("Special school", "LA maintained special school", Some(Group::StateSpecial))]
    #[case("Special school", "Academy/free special school", Some(Group::StateSpecial))]
    #[case("Independent school", "Independent special school", Some(Group::IndependentSpecial))]
    #[case("Special school", "Non-maintained special school", Some(Group::IndependentSpecial))]
    #[case("Mainstream school", "Resourced provision", Some(Group::ResourcedProvision))]
    #[case("Mainstream school", "SEN unit", Some(Group::ResourcedProvision))]
    #[case("Further education", "Specialist post-16 institution", Some(Group::SpecialistPost16))]
    #[case("Mainstream school", "LA maintained mainstream school", None)]
    #[case("Further education", "General FE and tertiary college", None)]
    #[case("Alternative provision", "Pupil referral unit", None)]
    #[case("Other", "Educated elsewhere", None)]
    // The 2023 and 2024 releases' spellings (DFE-Digital/education-benchmarking-and-insights,
    // data-pipeline/src/pipeline/input_schemas.py, la_sen2_eval).
    #[case("Mainstream school", "Mainstream - LA maintained", None)]
    #[case("Mainstream school", "Mainstream - Academy", None)]
    #[case("Mainstream school", "Mainstream - Free school", None)]
    #[case("Mainstream school", "Mainstream - Independent", None)]
    #[case("Mainstream school", "Mainstream - Academy - Resourced Provision", Some(Group::ResourcedProvision))]
    #[case("Mainstream school", "Mainstream - Academy - SEN unit", Some(Group::ResourcedProvision))]
    #[case("Mainstream school", "Mainstream - Free school - Resourced provision", Some(Group::ResourcedProvision))]
    #[case("Mainstream school", "Mainstream - LA maintained - SEN unit", Some(Group::ResourcedProvision))]
    #[case("Special school", "Special - LA maintained", Some(Group::StateSpecial))]
    #[case("Special school", "Special - Academy/free", Some(Group::StateSpecial))]
    #[case("Special school", "Special - Academy", Some(Group::StateSpecial))]
    #[case("Special school", "Special - Free school", Some(Group::StateSpecial))]
    #[case("Special school", "Special - Independent", Some(Group::IndependentSpecial))]
    #[case("Special school", "Special - Non-maintained", Some(Group::IndependentSpecial))]
    #[case("Special school", "Hospital School", None)]
    #[case("Alternative provision/Pupil referral unit", "AP/PRU - LA maintained", None)]
    #[case("Further education", "General FE and tertiary colleges/HE", None)]
    #[case("Further education", "Specialist post-16 institutions", Some(Group::SpecialistPost16))]
    #[case("Further education", "Independent specialist providers", Some(Group::SpecialistPost16))]
    #[case("Further education", "Sixth form college", None)]
    #[case("Further education", "UKRLP provider", None)]
    #[case("Non-maintained early years", "Non-maintained early years", None)]
    #[case("Educated elsewhere", "Elective home education", None)]
    #[case("NEET", "NEET", None)]
    #[case("Unknown", "Unknown", None)]
    fn establishment_types_map_to_groups(#[case] group: &str, #[case] ty: &str, #[case] to: Option<Group>) {
        assert_eq!(Group::of_type(group, ty), to);
    }

    /// Every column the 2025 layout is read by has the group its name says.
    #[test]
    fn the_2025_columns_map_to_groups() {
        use crate::model::input::sen2::WIDE_COLUMNS;
        for (column, group, name) in WIDE_COLUMNS {
            let want = if column.contains("resourced_provision") || column.contains("senunit") {
                Some(Group::ResourcedProvision)
            } else if column == "specialist_post_16_institutions" {
                Some(Group::SpecialistPost16)
            } else if column == "special_independent" || column == "special_non_maintained" {
                Some(Group::IndependentSpecial)
            } else if column.starts_with("special_") {
                Some(Group::StateSpecial)
            } else {
                None
            };
            assert_eq!(Group::of_type(group, name), want, "{column}");
        }
    }

    #[test]
    fn every_kind_has_a_group() {
        for kind in SettingKind::ALL {
            let _ = Group::of_kind(kind);
        }
        assert_eq!(Group::of_kind(SettingKind::OtherAuthoritySpecial), Group::StateSpecial);
        assert_eq!(Group::of_kind(SettingKind::IndependentMarket), Group::IndependentSpecial);
    }

    /// The tiny test models and the real excerpts of tests/fixtures (their figures read off
    /// the files by hand: tests/fixtures/sen2/README.md).
    fn tiny(name: &str) -> Model {
        crate::model::input::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny").join(name),
        )
        .unwrap()
    }

    fn published(file: &str, la: &str) -> crate::model::input::sen2::Against {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sen2").join(file);
        crate::model::input::sen2::read_all(&[path], Some(la), "", 2026, "--la").unwrap()
    }

    /// Cheshire East's specialist need mix, January 2025: the detail rows of the four groups
    /// (Special - LA maintained, academy/free, independent, non-maintained; academy and LA
    /// maintained resourced provision, academy SEN unit; FE specialist post-16), summed by
    /// hand with awk: 1,553 plans, ASD 427, SEMH 412, ... Beside the tiny model's 3 ASD and
    /// 4 SEMH children placed in its base year.
    #[test]
    fn the_need_mix_is_the_specialist_detail_rows_beside_the_children_placed() {
        let (_, mix) = published("real_sen_needs_all_plans_2025.csv", "895").needs.unwrap();
        let c = need_mix(&tiny("horizon.toml"), &mix);
        assert_eq!(c.basis, Basis::Placed);
        let want = [
            ("ASD", 3.0, 427.0),
            ("SEMH", 4.0, 412.0),
            ("SLCN", 0.0, 298.0),
            ("MLD", 0.0, 149.0),
            ("SLD", 0.0, 113.0),
            ("PMLD", 0.0, 19.0),
            ("SpLD", 0.0, 6.0),
            ("HI", 0.0, 21.0),
            ("VI", 0.0, 8.0),
            ("MSI", 0.0, 19.0),
            ("PD", 0.0, 38.0),
            ("OTH", 0.0, 43.0),
        ];
        for (row, (code, m, p)) in c.rows.iter().zip(want) {
            assert_eq!((row.code.as_str(), row.model, row.published), (code, Some(m), Some(p)));
        }
        assert_eq!((c.rows[12].code.as_str(), c.rows[12].model, c.rows[12].published), ("", None, Some(0.0)));
        assert_eq!((c.model_total(), c.published_total()), (7.0, Some(1553.0)));
        assert_eq!(c.summed.len(), 8);
        assert!(c.summed.iter().all(|(p, _)| !p.contains("total")));
        let text = need_mix_report(&tiny("horizon.toml"), &mix, "needs.csv");
        assert!(text.contains("Model: children placed in the base year (current_placements), by need."), "{text}");
        let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squeezed.contains("ASD Autistic spectrum disorder 3.0 42.9% 427.0 27.5% -424.0 -99.3%"), "{text}");
        // A model without placements is compared by its demand: 7 ASD, 6 SEMH, 2.5 SLCN.
        let c = need_mix(&tiny("model.toml"), &mix);
        assert_eq!(c.basis, Basis::Need);
        assert_eq!((c.rows[0].model, c.rows[1].model, c.rows[2].model), (Some(7.0), Some(6.0), Some(2.5)));
    }

    /// Cheshire West and Chester's specialist plans by age, January 2025 (the four groups'
    /// columns of the rows by age, summed by hand with awk): age 3: 2; 4 to 10: 69, 70, 77,
    /// 77, 65, 72, 74 (504); 11 to 15: 172, 149, 147, 133, 131 (732); 16 to 18: 65, 44, 21
    /// (130); 19 and over: 12, 2, 1, 1, 1, 1, 0 (18).
    #[test]
    fn ages_compare_by_phase_band_and_by_year_group() {
        let read = published("real_caseload_2025.csv", "896");
        let ages_read = read.ages.unwrap();
        let c = ages(&tiny("horizon.toml"), &ages_read);
        assert_eq!(c.basis, Basis::Placed);
        let bands: Vec<(Option<f64>, Option<f64>)> = c.bands.iter().map(|l| (l.model, l.published)).collect();
        assert_eq!(
            bands,
            vec![
                (Some(0.0), Some(2.0)),
                (Some(3.0), Some(504.0)),
                (Some(4.0), Some(732.0)),
                (Some(0.0), Some(130.0)),
                (None, Some(18.0))
            ]
        );
        // The bands add up to the specialist groups of the caseload's All EHC plans row.
        let (_, caseload) = read.caseload.unwrap();
        let specialist: f64 = caseload
            .types
            .iter()
            .filter(|p| Group::of_type(&p.group, &p.establishment_type).is_some())
            .filter_map(|p| p.children)
            .sum();
        assert_eq!(specialist, 2.0 + 504.0 + 732.0 + 130.0 + 18.0);
        // under 3 and ages 3 to 18, then 19 and over; year 2 is age 6, year 9 age 13.
        assert_eq!(c.by_age.len(), 18);
        let line = |name: &str| c.by_age.iter().find(|l| l.name == name).map(|l| (l.model, l.published));
        assert_eq!(line("age 6 (year 2)"), Some((Some(3.0), Some(77.0))));
        assert_eq!(line("age 13 (year 9)"), Some((Some(4.0), Some(147.0))));
        assert_eq!(line("under 3 (year N1)"), Some((Some(0.0), Some(0.0))));
        assert_eq!(line("19 and over"), Some((None, Some(18.0))));
        // Without placements: the cohort by year group (ASD 4 in year 2, SEMH 6 in 9, ASD 3
        // in 8, SLCN 2.5 in R).
        let mut model = tiny("horizon.toml");
        model.horizon.as_mut().unwrap().current.clear();
        let c = ages(&model, &ages_read);
        assert_eq!((c.basis, c.bands[1].model, c.bands[2].model), (Basis::Need, Some(6.5), Some(9.0)));
        assert_eq!(c.by_age.iter().find(|l| l.name == "age 4 (year R)").unwrap().model, Some(2.5));
        // A single-year model: its demand by phase (primary 4 + 2.5, secondary 6 + 3), no ages.
        let c = ages(&tiny("model.toml"), &ages_read);
        assert_eq!((c.bands[1].model, c.bands[2].model), (Some(6.5), Some(9.0)));
        assert!(c.by_age.is_empty() && c.unbanded.is_empty());
    }

    #[test]
    fn a_model_without_residential_places_holds_none() {
        let (_, r) = published("real_residential_settings_2025.csv", "895").residential.unwrap();
        let c = residential(&tiny("horizon.toml"), &r);
        assert_eq!(c.basis, Basis::Placed);
        let lines: Vec<(Option<f64>, Option<f64>)> = c.lines.iter().map(|l| (l.model, l.published)).collect();
        assert_eq!(lines, vec![(Some(0.0), Some(3.0)), (Some(0.0), Some(3.0)), (Some(0.0), Some(6.0))]);
        assert!(c.steps.is_empty());
        // Special - independent 4; the subtotal Special - total (4) is not added again.
        assert_eq!(c.specialist, Some(Some(4.0)));
        assert!(residential_report(&tiny("horizon.toml"), &r, "r.csv").contains("The model holds none"));
    }
}
