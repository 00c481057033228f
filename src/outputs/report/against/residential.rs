//! Residential placements, the model's (the market's residential steps) beside the DfE's.

use crate::model::input::sen2::Residential;
use crate::model::{Model, Residence};
use crate::outputs::report::text::children;

use super::caseload::Group;
use super::table::{heading, lines_table, shown};
use super::{Basis, Line, placed, sum_published};

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
    out.push_str(&lines_table(&c.lines, "residence"));
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
