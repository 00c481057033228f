//! The primary need mix of specialist placements, the model's beside the DfE's.

use crate::model::Model;
use crate::model::input::sen2::{NEED_COLUMNS, NeedMix, PlacementNeeds};
use crate::outputs::report::text::{children, grid};

use super::caseload::Group;
use super::table::{cells, heading, share, shown};
use super::{Basis, placed, sum_published};

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
/// model without them its base-year demand, of the specialist tiers only
/// ([`crate::model::Provision::is_specialist`]: a model of every EHC plan holds the others too).
#[must_use]
pub fn need_mix(model: &Model, mix: &NeedMix) -> NeedComparison {
    let mut by_need = vec![0.0; model.needs.len()];
    let basis = match placed(model) {
        Some(current) => {
            for p in current.iter().filter(|p| p.provision.is_specialist()) {
                by_need[p.need.index()] += p.children;
            }
            Basis::Placed
        }
        None => {
            for d in model.demand.iter().filter(|d| d.provision.is_specialist()) {
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
