//! The caseload compared: the model's kinds of setting in four groups of the DfE's
//! establishment types, beside the EHC plans published for each.

use crate::model::input::sen2::Caseload;
use crate::model::{Model, SettingKind};
use crate::outputs::report::text::{children, grid};

use super::table::{difference, january_text, shown};

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

    /// The group of a kind of setting; `None` for a kind that is not a specialist setting
    /// (mainstream, a base, alternative provision, a college, early years, other
    /// arrangements), which this comparison of specialist places leaves out.
    #[must_use]
    pub fn of_kind(kind: SettingKind) -> Option<Group> {
        match kind {
            SettingKind::MaintainedSpecial | SettingKind::AcademySpecial | SettingKind::OtherAuthoritySpecial => {
                Some(Group::StateSpecial)
            }
            SettingKind::IndependentSpecial | SettingKind::NonMaintainedSpecial | SettingKind::IndependentMarket => {
                Some(Group::IndependentSpecial)
            }
            SettingKind::ResourcedProvision => Some(Group::ResourcedProvision),
            SettingKind::SpecialistPost16 => Some(Group::SpecialistPost16),
            SettingKind::Mainstream
            | SettingKind::InclusionBase
            | SettingKind::AlternativeProvision
            | SettingKind::GeneralFe
            | SettingKind::EarlyYears
            | SettingKind::OtherArrangements => None,
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

/// The comparison, as the terminal shows it.
#[must_use]
pub fn report(model: &Model, caseload: &Caseload, file: &str) -> String {
    let current = model.horizon.as_ref().map(|h| &h.current).filter(|c| !c.is_empty());
    let mut by_group = [0.0; 4];
    let mut kinds: [Vec<&'static str>; 4] = Default::default();
    let slot = |g: Group| Group::ALL.iter().position(|x| *x == g).unwrap_or(0);
    for kind in SettingKind::ALL {
        if let Some(g) = Group::of_kind(kind) {
            kinds[slot(g)].push(kind.code());
        }
    }
    match current {
        Some(placed) => {
            for p in placed {
                if let Some(g) = Group::of_kind(model.setting(p.setting).kind) {
                    by_group[slot(g)] += p.children;
                }
            }
        }
        None => {
            for s in model.settings.iter().filter(|s| s.market.is_none()) {
                if let Some(g) = Group::of_kind(s.kind) {
                    by_group[slot(g)] += s.places;
                }
            }
        }
    }
    // A model of every EHC plan holds the types outside the four groups too.
    let every_plan = model.holds_every_plan();
    let outside_name = if every_plan { "outside the four specialist groups" } else { "not in the model" };
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
            g.map_or(outside_name, Group::name).to_string(),
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
        january_text(caseload.january, caseload.asked),
        caseload.layout.describe(),
    );
    let mut rows = Vec::new();
    let row = |name: &str, kinds: String, m: f64, p: Option<f64>| {
        let (diff, pc) = difference(m, p);
        vec![name.to_string(), kinds, children(m), shown(p), diff, pc]
    };
    for (i, g) in Group::ALL.iter().enumerate() {
        rows.push(row(g.name(), kinds[i].join(", "), by_group[i], published[i]));
    }
    let total_model: f64 = by_group.iter().sum();
    let total_published = published.iter().try_fold(0.0, |a, p| p.map(|p| a + p));
    rows.push(row("All specialist settings", String::new(), total_model, total_published));
    // The published groups are specialist places: a model of every EHC plan sets only its
    // children needing one beside them.
    let demand_line = if every_plan {
        "Forecast need for a specialist place in the base year (demand)"
    } else {
        "Forecast need in the base year (demand)"
    };
    rows.push(row(demand_line, String::new(), model.specialist_children(), total_published));
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
    let not_counted = match suppressed {
        0 => String::new(),
        1 => ", not counting 1 suppressed figure".to_string(),
        n => format!(", not counting {n} suppressed figures"),
    };
    let groups = "(mainstream, alternative provision, further education, elsewhere, none)";
    if every_plan {
        out.push_str(&format!(
            "\nNot in this comparison {groups}: {} children published{not_counted}; the model holds {} children \
             of the tiers short of a specialist place in its base year (demand).\n",
            children(known),
            children(model.total_children() - model.specialist_children()),
        ));
    } else {
        out.push_str(&format!("\nNot in the model {groups}: {} children published{not_counted}.\n", children(known)));
    }
    if let Some(total) = caseload.total {
        out.push_str(&format!("All EHC plans published for {}: {}.\n", caseload.la_name, shown(total)));
    }
    if every_plan {
        out.push_str(&super::every_plan::every_plan_report(model, caseload));
    }
    out.push_str("\nMapping of the DfE's establishment types:\n");
    out.push_str(&grid(
        &["establishment_group", "establishment_type", "published", "compared with"],
        &mapping,
        &[false, false, true, false],
    ));
    out
}
