//! Choosing a portfolio: the least expected cost across the forecasts, or the least worst
//! regret, and how the chosen portfolio fares year by year, each year's plan checked
//! independently.

use super::program::capital_charge;
use super::{Appraiser, Choice, check_rules};
use crate::model::{Covers, Money, SchoolYear};
use crate::optimise::checking;
use crate::optimise::plan::{Plan, Summary};
use crate::optimise::program::{Row, Sense};
use crate::optimise::run::Error;
use crate::optimise::solve::{Solver, solve_program};
use crate::planning::portfolio::Portfolio;
use crate::planning::year_plan::plan_of;

/// One year of one future under a portfolio.
#[derive(Debug, Clone)]
pub struct YearOutcome {
    /// The year.
    pub year: SchoolYear,
    /// Placement plan (settings: the model's, then one per scheme).
    pub plan: Plan,
    /// Headline figures (scheme places counted as the setting they behave as).
    pub summary: Summary,
    /// Children placed in each scheme's places.
    pub in_schemes: Vec<f64>,
    /// Fixed running cost of the schemes open, £.
    pub fixed_running_cost: Money,
}

impl YearOutcome {
    /// Money spent this year: places, transport and fixed running costs.
    #[must_use]
    pub fn spend(&self) -> Money {
        self.summary.annual_cost() + self.fixed_running_cost
    }
}

/// How far a chosen portfolio may be from the best possible within its choice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Proof {
    /// No portfolio costs less (to a billionth of the cost).
    Best,
    /// The search stopped at the gap asked for ([`Appraiser::with_gap`]): no portfolio
    /// costs less than `bound` (the lower bound the cuts prove), and this one costs `value`
    /// (both £ present value, with the policy weights, as the choice counts them).
    Within {
        /// The chosen portfolio's cost as the choice counts it.
        value: Money,
        /// The least any portfolio can cost.
        bound: Money,
    },
}

impl Proof {
    /// How much more the portfolio may cost than the best possible (0 when proven best).
    #[must_use]
    pub fn gap(&self) -> Money {
        match *self {
            Proof::Best => Money(0.0),
            Proof::Within { value, bound } => Money((value.0 - bound.0).max(0.0)),
        }
    }

    /// The words for a report: "proven best", or "within £X (Y%) of the best possible".
    #[must_use]
    pub fn words(&self) -> String {
        match *self {
            Proof::Best => "proven best".into(),
            Proof::Within { value, .. } => {
                let gap = self.gap();
                format!("within {} ({:.4}%) of the best possible", gap, 100.0 * gap.0 / value.0.abs().max(1.0))
            }
        }
    }
}

/// A portfolio and how it fares in each future.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The schemes built.
    pub portfolio: Portfolio,
    /// Capital spent, £ (undiscounted).
    pub capital: Money,
    /// Per future (forecast variant), per year.
    pub futures: Vec<Vec<YearOutcome>>,
    /// Per future: the discounted cost over the years (spend, capital as appraised, and the
    /// policy weights), the last year's going on for the residual years, £ present value.
    pub present_cost: Vec<Money>,
    /// Per future: the discounted money spent (places, transport, running costs and capital
    /// as appraised, without the policy weights).
    pub present_spend: Vec<Money>,
    /// Whether the portfolio is proven the best within its choice, or how far it may be.
    pub proof: Proof,
}

impl Appraiser {
    /// The best portfolio under `choice`, least expected cost across the futures.
    ///
    /// # Errors
    /// Solver failure, or an answer that fails its independent check.
    pub fn choose(&self, choice: &Choice, solver: Solver) -> Result<Outcome, Error> {
        if solver == Solver::Network
            && let Some(found) = self.choose_by_cuts(choice, &self.expected_weights(), solver, self.gap)?
        {
            let mut outcome = self.outcome(&found.chosen.values, choice)?;
            if found.value - found.bound > super::cuts::tolerance(found.value) {
                outcome.proof = Proof::Within { value: Money(found.value), bound: Money(found.bound) };
            }
            return Ok(outcome);
        }
        let p = self.program_for(choice);
        let values = solve_program(&p, solver)?;
        self.outcome(&values, choice)
    }

    /// The portfolio whose worst regret across the futures is least: regret being what a
    /// future costs with it above what that future costs with its own best portfolio (each
    /// within the same choice). Returns the portfolio's outcome and each future's best cost.
    ///
    /// # Errors
    /// As [`Appraiser::choose`].
    pub fn choose_least_regret(&self, choice: &Choice, solver: Solver) -> Result<(Outcome, Vec<Money>), Error> {
        if solver == Solver::Network
            && let Some(found) = self.least_regret_with_networks(choice, solver)?
        {
            return Ok(found);
        }
        let mut best = Vec::new();
        for v in 0..self.futures.len() {
            let mut p = self.program_for(choice);
            p.objective = vec![0.0; p.columns.len()];
            for &(c, o) in &self.future_cost[v] {
                p.objective[c] += o;
            }
            for (c, t) in self.program.objective.iter().zip(&self.plain).enumerate().map(|(c, (a, b))| (c, a - b)) {
                p.objective[c] += t;
            }
            let values = solve_program(&p, solver)?;
            let cost: f64 = self.future_cost[v].iter().map(|&(c, o)| o * values[c]).sum();
            best.push(cost);
        }
        let mut p = self.program_for(choice);
        let regret = p.add_column("worst_regret".into(), 1.0);
        p.upper[regret] = f64::INFINITY;
        for (c, o) in p.objective.iter_mut().enumerate() {
            if c != regret {
                // Keep only the tie-break charges, far below £1, to choose among equals.
                *o = (*o - self.plain.get(c).copied().unwrap_or(0.0)) * 1e-3;
            }
        }
        for (v, terms) in self.future_cost.iter().enumerate() {
            let mut terms = terms.clone();
            terms.push((regret, -1.0));
            p.rows.push(Row { name: format!("regret_v{v}"), terms, sense: Sense::AtMost, rhs: best[v] });
        }
        let values = solve_program(&p, solver)?;
        let portfolio = self.portfolio_of(&values);
        // The regret program only keeps each future within the worst regret, so a future
        // that is not the worst may be placed at more than its least cost. With the
        // portfolio fixed, place every future at its least cost.
        let fixed = Choice { fixed: Some(portfolio), ..choice.clone() };
        let values = solve_program(&self.program_for(&fixed), solver)?;
        Ok((self.outcome(&values, choice)?, best.into_iter().map(Money).collect()))
    }

    /// [`Appraiser::choose_least_regret`] by cuts, each year placed by the network simplex;
    /// `None` if a year's program is not a network.
    fn least_regret_with_networks(
        &self,
        choice: &Choice,
        solver: Solver,
    ) -> Result<Option<(Outcome, Vec<Money>)>, Error> {
        let mut best = Vec::new();
        for v in 0..self.futures.len() {
            let Some(placed) = self.choose_by_cuts(choice, &self.variant_weights(v), solver, 0.0)? else {
                return Ok(None);
            };
            best.push(self.future_cost[v].iter().map(|&(c, o)| o * placed.chosen.values[c]).sum::<f64>());
        }
        let Some(portfolio) = self.least_regret_by_cuts(choice, &best, solver)? else { return Ok(None) };
        // With the portfolio fixed, every variant at its least cost.
        let fixed = Choice { fixed: Some(portfolio), ..choice.clone() };
        let Some(placed) = self.choose_by_cuts(&fixed, &self.expected_weights(), solver, 0.0)? else {
            return Ok(None);
        };
        Ok(Some((self.outcome(&placed.chosen.values, choice)?, best.into_iter().map(Money).collect())))
    }

    /// Reads a solution: the portfolio and each year's plan, checked independently.
    fn outcome(&self, values: &[f64], choice: &Choice) -> Result<Outcome, Error> {
        let portfolio = self.portfolio_of(values);
        let mut wrong = check_rules(&self.model, &portfolio, choice);
        let n_settings = self.model.settings.len();
        let mut futures = Vec::new();
        let mut present_cost = Vec::new();
        let mut present_spend = Vec::new();
        for future in &self.futures {
            let mut years = Vec::new();
            let (mut cost, mut spend) = (0.0, 0.0);
            for block in &future.years {
                let plan = plan_of(&block.model, &block.formulation, &block.values(values));
                wrong.extend(
                    checking::check_plan(&block.model, &self.journeys, &plan)
                        .into_iter()
                        .map(|w| format!("{}: {w}", block.year)),
                );
                let mut in_schemes = vec![0.0; self.model.schemes.len()];
                let mut in_pools: Vec<Vec<f64>> =
                    self.model.schemes.iter().map(|s| vec![0.0; s.places.len()]).collect();
                for p in &plan.placements {
                    if p.setting.0 >= n_settings {
                        let j = p.setting.0 - n_settings;
                        in_schemes[j] += p.children;
                        let d = &block.model.demand[p.demand];
                        match self.model.schemes[j].places.iter().position(|pool| pool.covers(d.need, d.phase)) {
                            Some(q) => in_pools[j][q] += p.children,
                            None => wrong.push(format!(
                                "{}: {:.3} {} {} children in scheme {}, which has no places for them",
                                block.year,
                                p.children,
                                self.model.need_code(d.need),
                                self.model.phase_code(d.phase),
                                self.model.schemes[j].id
                            )),
                        }
                    }
                }
                for (j, scheme) in self.model.schemes.iter().enumerate() {
                    for (q, pool) in scheme.places.iter().enumerate() {
                        let room = scheme.pool_places_open(pool, block.year) * f64::from(portfolio.0[j]);
                        if in_pools[j][q] > room + 1e-6 * room.max(1.0) {
                            wrong.push(format!(
                                "{}: {:.3} children in scheme {} pool {} with room for {room}",
                                block.year,
                                in_pools[j][q],
                                scheme.id,
                                q + 1
                            ));
                        }
                    }
                }
                let fixed: Money = self
                    .model
                    .schemes
                    .iter()
                    .zip(&portfolio.0)
                    .map(|(s, &m)| s.fixed_cost_per_module(&self.model.appraisal, block.year) * f64::from(m))
                    .sum();
                let summary = plan.summary(&block.model);
                let delta = self.weight(block.k);
                cost += delta * (summary.weighted_total() + fixed).0;
                spend += delta * (summary.annual_cost() + fixed).0;
                years.push(YearOutcome { year: block.year, plan, summary, in_schemes, fixed_running_cost: fixed });
            }
            let capital =
                capital_charge(&self.model, &portfolio, &future.years.iter().map(|b| b.year).collect::<Vec<_>>());
            present_cost.push(Money(cost + capital.0));
            present_spend.push(Money(spend + capital.0));
            futures.push(years);
        }
        if !wrong.is_empty() {
            return Err(Error::Check(wrong.join("\n")));
        }
        let capital = portfolio.capital(&self.model);
        Ok(Outcome { portfolio, capital, futures, present_cost, present_spend, proof: Proof::Best })
    }
}
