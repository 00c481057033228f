//! The `check` report: what the model holds, before any solving. Children by need and
//! phase, places by kind of setting, and how many children have at least one suitable
//! setting within their phase's journey limit.

use std::fmt::Write as _;

use super::text::{children, grid, need_phase_table};
use super::{need_phase_grid, places_by_kind};
use crate::model::Model;
use crate::optimise::formulation::Formulation;
use crate::travel::JourneyTable;

/// The inputs summary for the terminal.
#[must_use]
pub fn summary(model: &Model, journeys: &JourneyTable, formulation: &Formulation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — inputs for {}", model.name, model.planning_year);
    // The market's steps are places bought by need, not settings: counted apart.
    let steps = model.settings.iter().filter(|s| s.market.is_some()).count();
    let settings = match steps {
        0 => format!("{} settings", model.settings.len()),
        _ => format!(
            "{} settings and {steps} market step{}",
            model.settings.len() - steps,
            if steps == 1 { "" } else { "s" }
        ),
    };
    let _ = writeln!(
        out,
        "{} localities, {settings}, {} demand rows, {} children; travel: {}",
        model.localities.len(),
        model.demand.len(),
        children(model.total_children()),
        journeys.method.describe(&model.transport)
    );
    if let Some(h) = &model.horizon {
        let last = h.first_year.plus(h.years - 1);
        let route = match &h.need {
            crate::model::NeedByYear::Cohort { cohort, .. } => {
                format!("a cohort of {} rows aged forward with the '{}' rates", cohort.len(), h.variant)
            }
            crate::model::NeedByYear::Direct(_) => "demand given by year".to_string(),
        };
        let placed: f64 = h.current.iter().map(|c| c.children).sum();
        let n = model.settings.len();
        let changing = (0..n).filter(|&s| (1..h.years).any(|k| h.places[k * n + s] != h.places[s])).count();
        let _ = writeln!(
            out,
            "horizon: {} to {last} ({} years); need from {route}; {} children placed now; places change over the years at {changing} setting{}",
            h.first_year,
            h.years,
            children(placed),
            if changing == 1 { "" } else { "s" }
        );
        out.push_str("(the tables below are for the base year)\n");
    }
    if let Some(net) = &model.network {
        let _ = writeln!(out, "road network: {} nodes, {} roads", net.nodes.len(), net.edges.len());
    }

    // A model of every EHC plan holds children of tiers short of a specialist place too.
    let every_plan = model.holds_every_plan();
    let whom = if every_plan { "Children with an EHC plan" } else { "Children needing a specialist place" };
    let _ = writeln!(out, "\n{whom}, by need and phase");
    let demand = model.demand.iter().map(|d| (d.need, d.phase, d.children));
    let table = need_phase_table(model, &need_phase_grid(model, demand), true);
    out.push_str(table.as_deref().unwrap_or("none\n"));
    if every_plan {
        let _ = writeln!(out, "of whom needing a specialist place: {} children", children(model.specialist_children()));
    }

    out.push_str("\nPlaces by kind of setting\n");
    let kinds = places_by_kind(model);
    let mut rows: Vec<Vec<String>> =
        kinds.iter().map(|(k, i, o)| vec![k.code().to_string(), children(*i), children(*o), children(i + o)]).collect();
    let (ti, to) = kinds.iter().fold((0.0, 0.0), |(a, b), (_, i, o)| (a + i, b + o));
    rows.push(vec!["total".into(), children(ti), children(to), children(ti + to)]);
    out.push_str(&grid(&["kind", "in borough", "out of borough", "total"], &rows, &[false, true, true, true]));

    out.push_str("\nJourney-time coverage: children with at least one suitable setting within the limit\n");
    let mut covered = vec![false; model.demand.len()];
    for arc in &formulation.arcs {
        covered[arc.demand] = true;
    }
    let mut rows = Vec::new();
    for (p, phase) in model.phases.iter().enumerate() {
        let (mut all, mut ok) = (0.0, 0.0);
        for (d, c) in model.demand.iter().zip(&covered) {
            if d.phase.0 == p {
                all += d.children;
                if *c {
                    ok += d.children;
                }
            }
        }
        let share = if all > 0.0 { format!("{:.1}%", 100.0 * ok / all) } else { "-".into() };
        rows.push(vec![
            phase.code.clone(),
            format!("{}", phase.max_journey_minutes),
            children(all),
            children(ok),
            share,
        ]);
    }
    out.push_str(&grid(
        &["phase", "limit (min)", "children", "covered", "share"],
        &rows,
        &[false, true, true, true, true],
    ));
    let _ = writeln!(out, "\nThe model is ready to solve: {} possible placements (arcs).", formulation.arcs.len());
    out
}
