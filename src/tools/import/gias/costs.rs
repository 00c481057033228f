//! Each kind's cost per place for the settings an import writes: GIAS has no costs, so the
//! median of the model's settings of that kind, or a default, with where it came from.

use super::{Imported, Near};
use crate::model::SettingKind;

/// Cost per place, £ a year, of a kind the model has no settings of: the median of the
/// synthetic sample's settings of that kind (sample-data/cheshire-east/settings.csv, whose
/// fees and top-ups are sourced in sample-data/README.md). A planner should replace them
/// with the council's own.
pub const DEFAULT_COST: [(SettingKind, f64); 7] = [
    (SettingKind::MaintainedSpecial, 24_600.0),
    (SettingKind::AcademySpecial, 24_000.0),
    (SettingKind::ResourcedProvision, 15_500.0),
    (SettingKind::IndependentSpecial, 60_500.0),
    (SettingKind::NonMaintainedSpecial, 72_000.0),
    (SettingKind::OtherAuthoritySpecial, 28_000.0),
    (SettingKind::SpecialistPost16, 37_500.0),
];

/// A kind's cost per place and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct KindCost {
    /// The kind.
    pub kind: SettingKind,
    /// £ a year.
    pub pounds: f64,
    /// Where it came from, in words.
    pub from: String,
}

/// Each kind's cost per place: the median of the model's settings of that kind, else the
/// default.
pub(super) fn costs(settings: &[Imported], near: &Near) -> Vec<KindCost> {
    let mut out = Vec::new();
    for kind in SettingKind::ALL {
        if !settings.iter().any(|s| s.kind == kind) {
            continue;
        }
        let mut model_costs: Vec<f64> = match near {
            Near::Model(m) => m.settings.iter().filter(|s| s.kind == kind).map(|s| s.cost_per_place.pounds()).collect(),
            Near::Authority(_) => Vec::new(),
        };
        model_costs.sort_by(f64::total_cmp);
        let default = DEFAULT_COST.iter().find(|(k, _)| *k == kind).map_or(0.0, |d| d.1);
        let kc = match median(&model_costs) {
            Some(pounds) => KindCost {
                kind,
                pounds,
                from: format!(
                    "the median of the model's {} {} setting{}",
                    model_costs.len(),
                    kind.code(),
                    if model_costs.len() == 1 { "" } else { "s" }
                ),
            },
            None => KindCost {
                kind,
                pounds: default,
                from: "the default for the kind (the sample authority's median): replace it with the council's own"
                    .into(),
            },
        };
        out.push(kc);
    }
    out
}

/// The median of sorted numbers.
pub(super) fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some(f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])),
    }
}
