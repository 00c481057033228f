//! What one more place is worth: the last year planned solved again with one more place at
//! each home locality in the borough, for each need and phase, against the year without it.

use std::collections::BTreeMap;

use super::program::Block;
use super::{Appraiser, Outcome};
use crate::model::{LocalityIx, Money, Need, Phase, SettingIx};
use crate::optimise::flow::{self, PlaceArc, WithEachOffer};
use crate::optimise::formulation::tie_charge;
use crate::optimise::plan::Summary;
use crate::optimise::program::{Row, Sense};
use crate::optimise::run::Error;
use crate::optimise::solve::{Solver, solve_program};
use crate::planning::portfolio::Portfolio;
use crate::planning::year_plan::plan_of;

/// What one more place of a need and phase in a locality would save in a year, before its
/// own running cost: money, and apart from it the policy weights, which are not money.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaceValue {
    /// Where the place would be (a home locality in the borough).
    pub locality: LocalityIx,
    /// Need it is for.
    pub need: Need,
    /// Phase it is for.
    pub phase: Phase,
    /// What the optimiser values it at: `money` + `out_of_borough_weight` + `unmet_penalty`,
    /// £ a year (places are ranked by it).
    pub weighted: Money,
    /// Money saved a year: fees, top-ups and transport, £ (negative when it costs more, as a
    /// place for a child who had none: their journey).
    pub money: Money,
    /// Out-of-borough weight avoided (a policy weight, not money), £ a year.
    pub out_of_borough_weight: Money,
    /// Unmet penalty avoided (a policy weight, not money), £ a year.
    pub unmet_penalty: Money,
    /// Whether it would go, at least in part, to a child who otherwise has no suitable place.
    pub meets_unmet: bool,
    /// Home locality of the child it would go to.
    pub from: LocalityIx,
    /// Children of this need and phase without a suitable place within a reasonable journey
    /// of it.
    pub unmet_in_reach: f64,
}

/// How each offer's year with one more place is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// Where the year is a network, by shortest paths from its optimal flow.
    Paths,
    /// Where the year is a network, by the network simplex, solving each offer again (the
    /// method the paths are tested against).
    #[cfg_attr(not(test), allow(dead_code))]
    SolveAgain,
    /// By the linear-programming solver.
    Lp,
}

impl Appraiser {
    /// The last year planned with `portfolio`'s modules fixed, solved without and then with
    /// one more place for each offer: where the year is a network, by shortest paths from its
    /// optimal flow ([`How::Paths`]: [`flow::one_more_place_by_paths`]) or by the network
    /// simplex solving each offer again ([`How::SolveAgain`]: [`flow::one_more_place_each`]);
    /// else, or with [`How::Lp`], each offer's program solved afresh by `solver`'s LP (its
    /// objective with the tie-break added, as the choice's).
    ///
    /// Each offer's plan is kept only as its summary and the children on the offer's arcs
    /// (its values per column are let go as soon as summed); on a network the offers are
    /// gathered on every core.
    ///
    /// # Errors
    /// Solver failure.
    fn with_one_place_more(
        &self,
        block: &Block,
        portfolio: &Portfolio,
        offers: &[Vec<PlaceArc>],
        solver: Solver,
        how: How,
    ) -> Result<WithEachOffer<(Summary, Vec<f64>)>, Error> {
        let f = &block.formulation;
        let tie = f.tie_break();
        let summed =
            |values: Vec<f64>, place: Vec<f64>| (plan_of(&block.model, f, &values).summary(&block.model), place);
        if how != How::Lp {
            let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
            let objective = &f.program.objective;
            let modules = Some(portfolio.0.as_slice());
            let m = &block.model;
            let solved = match how {
                How::Paths => flow::one_more_place_by_paths(m, f, modules, objective, tie, offers, threads, summed),
                _ => flow::one_more_place_each(m, f, modules, objective, tie, offers, threads, summed),
            };
            if let Some(solved) = solved {
                return Ok(solved.map_err(crate::optimise::solve::SolveError::from)?);
            }
        }
        // The year's program with the portfolio's modules fixed; a scheme not built takes
        // no child.
        let n_settings = self.model.settings.len();
        let mut p = f.program.clone();
        for (j, column) in f.scheme_modules.iter().enumerate() {
            let Some(column) = column else { continue };
            let modules = portfolio.0[j];
            if modules == 0 {
                for (c, a) in f.arcs.iter().enumerate() {
                    if a.setting == SettingIx(n_settings + j) {
                        p.upper[c] = 0.0;
                    }
                }
            }
            p.fix_column(column.0, f64::from(modules));
        }
        for (o, t) in p.objective.iter_mut().zip(tie) {
            *o += t;
        }
        let columns = p.columns.len();
        let values = solve_program(&p, solver.lp())?[..columns].to_vec();
        let mut out = Vec::with_capacity(offers.len());
        for offer in offers {
            let mut q = p.clone();
            let mut place = Vec::new();
            for a in offer {
                let Some(row) = f.demand_row[a.demand] else { continue };
                let c = q.add_column(format!("one_more_place_{}", a.demand), a.cost + a.tie);
                q.rows[row.0].terms.push((c, 1.0));
                place.push((c, 1.0));
            }
            q.rows.push(Row { name: "one_more_place".into(), terms: place.clone(), sense: Sense::AtMost, rhs: 1.0 });
            let x = solve_program(&q, solver.lp())?;
            out.push(summed(x[..columns].to_vec(), place.iter().map(|&(c, _)| x[c]).collect()));
        }
        Ok((values, out))
    }

    /// What one more place would save in the last year planned, with `outcome`'s schemes
    /// built: for each home locality in the borough and each need and phase with children
    /// within reach, the year solved again with one more place there (a special school
    /// place, so any provision, open to every child of that need and phase within a
    /// reasonable journey, at the cost of the journey: the place's own running cost is left
    /// out), against the year without it. The difference of the two solves, split into the
    /// money saved (places and transport; the child in the new place at the cost of their
    /// journey) and the policy weights avoided (the out-of-borough weight and the unmet
    /// penalty), which together make the weighted cost the optimiser minimises. Exact for
    /// one whole place, however the children move: not a marginal price. Places worth
    /// nothing under the weighted cost are left out. Wherever the year is a network, whatever
    /// `solver`, from its optimal flow by shortest paths (exact, as solving it again for
    /// each place: [`flow::one_more_place_by_paths`]; thousands of re-solves on a region
    /// took minutes, hundreds of LP solves longer); else by `solver`'s LP.
    ///
    /// # Errors
    /// Solver failure, or a year solved without the place whose weighted cost is not the
    /// outcome's.
    pub fn place_values(&self, outcome: &Outcome, solver: Solver) -> Result<Vec<PlaceValue>, Error> {
        self.place_values_by(outcome, solver, true)
    }

    /// [`Appraiser::place_values`], by the network simplex where the year is a network only
    /// with `network_first` (else by `solver`'s LP, as for a year that is not a network).
    pub(super) fn place_values_by(
        &self,
        outcome: &Outcome,
        solver: Solver,
        network_first: bool,
    ) -> Result<Vec<PlaceValue>, Error> {
        self.place_values_how(outcome, solver, if network_first { How::Paths } else { How::Lp })
    }

    /// [`Appraiser::place_values`], each offer's year found as `how` says.
    fn place_values_how(&self, outcome: &Outcome, solver: Solver, how: How) -> Result<Vec<PlaceValue>, Error> {
        let block = self.futures[0].years.last().expect("a year");
        let f = &block.formulation;
        let model = &block.model;
        let places_at = self.model.settings.len() + self.model.schemes.len();
        let unmet = outcome.futures[0].last().map(|o| o.plan.unmet.clone()).unwrap_or_default();
        // One offer per home locality in the borough, need and phase: an arc from each demand
        // row of that need and phase within reach of it.
        let mut keys: Vec<(LocalityIx, Need, Phase)> = Vec::new();
        let mut index: BTreeMap<(LocalityIx, Need, Phase), usize> = BTreeMap::new();
        let mut offers: Vec<Vec<PlaceArc>> = Vec::new();
        let mut reach: Vec<f64> = Vec::new();
        for (r, d) in model.demand.iter().enumerate() {
            if f.demand_row[r].is_none() {
                continue;
            }
            let limit = model.phases[d.phase.0].max_journey_minutes;
            for (k, l) in model.localities.iter().enumerate().filter(|(_, l)| l.in_borough).enumerate() {
                let s = SettingIx(places_at + k);
                let Some(journey) = self.journeys.get(d.locality, s) else { continue };
                if journey.minutes > limit {
                    continue;
                }
                let arc = crate::optimise::formulation::Arc {
                    demand: r,
                    setting: s,
                    journey,
                    place_cost: Money(0.0),
                    transport_cost: model.transport_cost(s, journey),
                    out_of_borough: false,
                    staying: 0.0,
                    takes_new: true,
                };
                let key = (LocalityIx(l.0), d.need, d.phase);
                let i = *index.entry(key).or_insert_with(|| {
                    keys.push(key);
                    offers.push(Vec::new());
                    reach.push(0.0);
                    keys.len() - 1
                });
                offers[i].push(PlaceArc { demand: r, cost: arc.transport_cost.0, tie: tie_charge(model, &arc) });
                reach[i] += unmet.get(r).copied().unwrap_or(0.0);
            }
        }
        let (values, solved) = self.with_one_place_more(block, &outcome.portfolio, &offers, solver, how)?;
        let without = plan_of(model, f, &values);
        let primal = outcome.futures[0].last().and_then(|o| o.plan.stages.first()).map_or(0.0, |s| s.value);
        let base = &without.stages[0];
        if (base.value - primal).abs() > 1e-5 * primal.abs().max(1.0) {
            return Err(Error::Check(format!(
                "{}: the year solved again costs {:.2}, not the year's optimum {primal:.2}",
                block.year, base.value
            )));
        }
        let before = without.summary(model);
        let mut out = Vec::new();
        for (i, (after, place)) in solved.iter().enumerate() {
            let journeys: f64 = offers[i].iter().zip(place).map(|(a, y)| a.cost * y).sum();
            let money = before.annual_cost().0 - after.annual_cost().0 - journeys;
            let out_of_borough_weight = (before.out_of_borough_weight - after.out_of_borough_weight).0;
            let unmet_penalty = (before.unmet_penalty - after.unmet_penalty).0;
            let weighted = money + out_of_borough_weight + unmet_penalty;
            if weighted <= 0.5 {
                continue;
            }
            // The child it goes to: the row with most of the place (first among equals).
            let taker = offers[i]
                .iter()
                .zip(place)
                .fold(
                    None,
                    |b: Option<(usize, f64)>, (a, &y)| if b.is_none_or(|b| y > b.1) { Some((a.demand, y)) } else { b },
                )
                .map_or(0, |(r, _)| r);
            let (locality, need, phase) = keys[i];
            out.push(PlaceValue {
                locality,
                need,
                phase,
                weighted: Money(weighted),
                money: Money(money),
                out_of_borough_weight: Money(out_of_borough_weight),
                unmet_penalty: Money(unmet_penalty),
                meets_unmet: before.unmet - after.unmet > 1e-6,
                from: model.demand[taker].locality,
                unmet_in_reach: reach[i],
            });
        }
        // Most valuable to the optimiser first; among places of equal value (those meeting
        // unmet need), those within reach of most children without a place.
        out.sort_by(|a, b| {
            (b.weighted.0.round())
                .total_cmp(&a.weighted.0.round())
                .then(b.unmet_in_reach.total_cmp(&a.unmet_in_reach))
                .then((a.locality, a.need, a.phase).cmp(&(b.locality, b.need, b.phase)))
        });
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
