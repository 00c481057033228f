//! The whole caseload compared: for a model of every EHC plan, its children placed in the
//! base year by type of setting (mainstream, resourced provision, special, alternative
//! provision, further education, educated elsewhere, early years), beside the DfE's
//! published caseload, so a finance officer can check the base year line by line.

use crate::model::input::sen2::{Caseload, WIDE_COLUMNS};
use crate::model::{Model, SettingKind};
use crate::outputs::report::text::{children, grid};

use super::caseload::Group;
use super::table::{difference, shown};

/// A line of the comparison of every plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// Mainstream schools, inclusion bases among them (not their resourced provision or units).
    Mainstream,
    /// Resourced provisions and SEN units in mainstream schools.
    ResourcedProvision,
    /// Maintained, academy and free special schools.
    StateSpecial,
    /// Independent and non-maintained special schools.
    IndependentSpecial,
    /// Alternative provision and pupil referral units.
    AlternativeProvision,
    /// Further education: general FE and sixth form colleges, specialist post-16, UKRLP.
    FurtherEducation,
    /// Educated elsewhere: other arrangements, home education, NEET and the like.
    Elsewhere,
    /// Non-maintained early years settings.
    EarlyYears,
    /// The DfE's "placement not recorded": no kind of setting of the model.
    NotRecorded,
}

impl Setting {
    /// In report order.
    pub const ALL: [Setting; 9] = [
        Setting::Mainstream,
        Setting::ResourcedProvision,
        Setting::StateSpecial,
        Setting::IndependentSpecial,
        Setting::AlternativeProvision,
        Setting::FurtherEducation,
        Setting::Elsewhere,
        Setting::EarlyYears,
        Setting::NotRecorded,
    ];

    /// As the report names it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Setting::Mainstream => "Mainstream schools (incl. inclusion bases)",
            Setting::ResourcedProvision => "Resourced provision and SEN units",
            Setting::StateSpecial => "State special schools",
            Setting::IndependentSpecial => "Independent and non-maintained special",
            Setting::AlternativeProvision => "Alternative provision",
            Setting::FurtherEducation => "Further education",
            Setting::Elsewhere => "Educated elsewhere (other arrangements)",
            Setting::EarlyYears => "Early years settings",
            Setting::NotRecorded => "Placement not recorded",
        }
    }

    /// The line of a kind of setting of the model.
    #[must_use]
    pub fn of_kind(kind: SettingKind) -> Setting {
        match kind {
            SettingKind::Mainstream | SettingKind::InclusionBase => Setting::Mainstream,
            SettingKind::ResourcedProvision => Setting::ResourcedProvision,
            SettingKind::MaintainedSpecial | SettingKind::AcademySpecial | SettingKind::OtherAuthoritySpecial => {
                Setting::StateSpecial
            }
            SettingKind::IndependentSpecial | SettingKind::NonMaintainedSpecial | SettingKind::IndependentMarket => {
                Setting::IndependentSpecial
            }
            SettingKind::AlternativeProvision => Setting::AlternativeProvision,
            SettingKind::GeneralFe | SettingKind::SpecialistPost16 => Setting::FurtherEducation,
            SettingKind::OtherArrangements => Setting::Elsewhere,
            SettingKind::EarlyYears => Setting::EarlyYears,
        }
    }

    /// The line of a DfE establishment type (with its group): the specialist groups as
    /// [`Group::of_type`] reads them (specialist post-16 into further education), then by
    /// words: "mainstream"; "alternative provision" or "pupil referral"; "further
    /// education", "college", "sixth form" or "UKRLP"; "early years"; "not recorded" or
    /// "unknown"; anything else is educated elsewhere.
    #[must_use]
    pub fn of_type(group: &str, establishment_type: &str) -> Setting {
        match Group::of_type(group, establishment_type) {
            Some(Group::StateSpecial) => return Setting::StateSpecial,
            Some(Group::IndependentSpecial) => return Setting::IndependentSpecial,
            Some(Group::ResourcedProvision) => return Setting::ResourcedProvision,
            Some(Group::SpecialistPost16) => return Setting::FurtherEducation,
            None => {}
        }
        let t = format!("{group} {establishment_type}").to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        if has(&["not recorded", "unknown"]) {
            Setting::NotRecorded
        } else if has(&["mainstream"]) {
            Setting::Mainstream
        } else if has(&["alternative provision", "pupil referral"]) {
            Setting::AlternativeProvision
        } else if has(&["further education", "college", "sixth form", "ukrlp"]) {
            Setting::FurtherEducation
        } else if has(&["early years"]) {
            Setting::EarlyYears
        } else {
            Setting::Elsewhere
        }
    }
}

/// The model's children placed in the base year and the DfE's published plans, a line of
/// [`Setting::ALL`] each, then the totals (the published total is `ehcplans` where the file
/// has it). `None` for a model with no children placed in its base year.
#[must_use]
pub fn every_plan(model: &Model, caseload: &Caseload) -> Option<Vec<(Setting, f64, Option<f64>)>> {
    let placed = model.horizon.as_ref().map(|h| &h.current).filter(|c| !c.is_empty())?;
    let slot = |s: Setting| Setting::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let mut m = [0.0; 9];
    for p in placed {
        m[slot(Setting::of_kind(model.setting(p.setting).kind))] += p.children;
    }
    let mut published: [Option<f64>; 9] = [Some(0.0); 9];
    for p in &caseload.types {
        let s = &mut published[slot(Setting::of_type(&p.group, &p.establishment_type))];
        *s = s.zip(p.children).map(|(a, b)| a + b);
    }
    Some(Setting::ALL.iter().enumerate().map(|(i, s)| (*s, m[i], published[i])).collect())
}

/// The comparison of every plan, as the terminal shows it (empty for a model with no
/// children placed in its base year).
#[must_use]
pub fn every_plan_report(model: &Model, caseload: &Caseload) -> String {
    let Some(lines) = every_plan(model, caseload) else {
        return "\nEvery EHC plan by type of setting: not compared (the model has no children placed in its \
                base year: current_placements of a multi-year model).\n"
            .to_string();
    };
    let row = |name: &str, m: f64, p: Option<f64>| {
        let (diff, pc) = difference(m, p);
        vec![name.to_string(), children(m), shown(p), diff, pc]
    };
    let mut rows: Vec<Vec<String>> = lines.iter().map(|(s, m, p)| row(s.name(), *m, *p)).collect();
    let total_model: f64 = lines.iter().map(|l| l.1).sum();
    let summed = lines.iter().try_fold(0.0, |a, l| l.2.map(|p| a + p));
    rows.push(row("All EHC plans", total_model, caseload.total.unwrap_or(summed)));
    let mut out = String::from(
        "\nEvery EHC plan by type of setting: children placed in the base year (current_placements), by kind \
         of setting, against the published caseload\n",
    );
    out.push_str(&grid(
        &["type of setting", "model", "published", "difference", "%"],
        &rows,
        &[false, true, true, true, true],
    ));
    // Which published columns (or establishment types) make each line.
    let column = |group: &str, ty: &str| {
        WIDE_COLUMNS.iter().find(|c| c.1 == group && c.2 == ty).map_or_else(|| ty.to_string(), |c| c.0.to_string())
    };
    let parts: Vec<String> = Setting::ALL
        .iter()
        .map(|s| {
            let cols: Vec<String> = caseload
                .types
                .iter()
                .filter(|p| Setting::of_type(&p.group, &p.establishment_type) == *s)
                .map(|p| column(&p.group, &p.establishment_type))
                .collect();
            format!("{} = {}", s.name(), if cols.is_empty() { "none".to_string() } else { cols.join(" + ") })
        })
        .collect();
    out.push_str(&format!(
        "Published columns of each line: {}; All EHC plans = ehcplans. Model kinds: mainstream and inclusion-base \
         as mainstream; general-fe and specialist-post-16 as further education; other-arrangements as educated \
         elsewhere.\n",
        parts.join("; ")
    ));
    out
}
