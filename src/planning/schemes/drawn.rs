//! Choosing the portfolio on futures drawn as `[risk]` spreads them: the least mean cost over
//! the futures, or the least CVaR (the mean cost of the worst share of them, e.g. the worst
//! 10%).
//!
//! Each future drawn is its own model ([`crate::planning::risk::Spread::future`]): its need,
//! its prices, each scheme's capital and opening year. Its years are blocks of the schemes
//! program as a forecast variant's are, and its own capital and running costs count in it.
//! A future's discounted cost `C_s` is its schemes' capital and running costs plus its years'
//! placement costs (places, transport and the policy weights).
//!
//! By cuts (the network simplex): one estimate `θ` per year of each future, bounded below by
//! the cuts of the portfolios placed so far, as [`Appraiser::choose_by_cuts`] does. For the
//! mean, the master minimises `Σ_s C_s / K`; for the CVaR of a share `a` of the `K` futures,
//! `η + Σ_s u_s / (a K)` with `u_s ≥ 0` and `u_s ≥ C_s − η` (Rockafellar and Uryasev: at the
//! optimum `η` is the cost at the share's edge, and the sum the worst futures' excess over
//! it). `η` is kept at or above 0, which loses nothing as no future costs less than nothing.
//! The master's optimum is a lower bound on the best possible; each portfolio placed gives an
//! upper bound. The choice ends when the master picks a portfolio already placed (the best
//! placed is then the best possible) or at a limit of rounds, reporting how far the best
//! placed may be from the best possible.

use super::cuts::{CUT_SCALE, Weights};
use super::{Appraiser, Choice, Portfolio};
use crate::model::{Model, Money};
use crate::optimise::program::{Row, Sense};
use crate::optimise::run::Error;
use crate::optimise::solve::{Solver, solve_program};

/// What a choice on drawn futures makes least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Criterion {
    /// The mean discounted cost over the futures.
    #[default]
    #[value(help = "The mean discounted cost over the futures")]
    Mean,
    /// The mean discounted cost of the worst share of the futures (`--cvar-share`).
    #[value(help = "The mean discounted cost of the worst share of the futures")]
    Cvar,
}

/// How to choose on drawn futures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnDrawsRule {
    /// What to make least.
    pub criterion: Criterion,
    /// For the CVaR, the share of the futures counted as the worst (above 0, at most 1).
    pub share: f64,
    /// The most rounds of cuts before stopping with the best found (at least 1).
    pub rounds: usize,
}

/// The portfolio chosen on the futures drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct OnDraws {
    /// The schemes built.
    pub portfolio: Portfolio,
    /// Per future: its discounted cost with the portfolio.
    pub costs: Vec<Money>,
    /// The criterion's value with the portfolio (the mean or the CVaR of `costs`).
    pub value: Money,
    /// No portfolio within the choice does better than this on these futures.
    pub bound: Money,
    /// Rounds of cuts (1 for the whole program).
    pub rounds: usize,
    /// Whether the portfolio is proved the best possible (else the limit of rounds stopped it).
    pub exact: bool,
}

impl OnDraws {
    /// How far the portfolio may be from the best possible on these futures: its value less
    /// the bound (0 when proved).
    #[must_use]
    pub fn gap(&self) -> Money {
        if self.exact { Money(0.0) } else { Money((self.value.0 - self.bound.0).max(0.0)) }
    }
}

/// The mean of the worst `share` of `costs` (the highest): the highest ⌊share·K⌋ whole and
/// the fraction left of the next, over share·K. For share 1 the mean.
#[must_use]
pub fn cvar(costs: &[f64], share: f64) -> f64 {
    let mut v = costs.to_vec();
    v.sort_by(|a, b| b.total_cmp(a));
    let weight = share * v.len() as f64;
    if weight <= 0.0 {
        return v.first().copied().unwrap_or(0.0);
    }
    let mut left = weight;
    let mut sum = 0.0;
    for c in v {
        let take = left.min(1.0);
        sum += take * c;
        left -= take;
        if left <= 1e-12 {
            break;
        }
    }
    sum / weight
}

impl Appraiser {
    /// The schemes program over `futures` drawn around `central`: each future's blocks and
    /// its own capital and running costs; the capital budget and the rules as `central`
    /// states them.
    ///
    /// # Panics
    /// If `futures` is empty.
    #[must_use]
    pub fn build_drawn(central: &Model, futures: &[Model]) -> Appraiser {
        let mut appraiser = Appraiser::build(futures);
        appraiser.model = central.clone();
        appraiser
    }

    /// The portfolio within `choice` best by `rule` over the futures: by cuts with the
    /// network simplex (to `rule.rounds`), else the whole program. `known`, a portfolio within
    /// `choice` (the one chosen for the central forecast), is placed first by the cuts: its
    /// cuts are in the master from the start, and a choice stopped by the limit of rounds is
    /// never worse than it.
    ///
    /// # Errors
    /// Solver failure.
    pub fn choose_on_draws(
        &self,
        choice: &Choice,
        rule: OnDrawsRule,
        known: Option<&Portfolio>,
        solver: Solver,
    ) -> Result<OnDraws, Error> {
        if solver == Solver::Network
            && let Some(found) = self.on_draws_by_cuts(choice, rule, known, solver)?
        {
            return Ok(found);
        }
        self.on_draws_whole(choice, rule, solver)
    }

    /// Each future's costs per portfolio column (its schemes' capital and running costs).
    fn own_costs(&self) -> Vec<Vec<(usize, f64)>> {
        let n = self.portfolio_columns;
        self.future_cost.iter().map(|t| t.iter().filter(|(c, _)| *c < n).copied().collect()).collect()
    }

    /// The criterion's value of the futures' costs.
    fn value_of(rule: OnDrawsRule, costs: &[f64]) -> f64 {
        match rule.criterion {
            Criterion::Mean => costs.iter().sum::<f64>() / costs.len() as f64,
            Criterion::Cvar => cvar(costs, rule.share),
        }
    }

    /// [`Appraiser::choose_on_draws`] by cuts; `None` if a year is not a network.
    fn on_draws_by_cuts(
        &self,
        choice: &Choice,
        rule: OnDrawsRule,
        known: Option<&Portfolio>,
        solver: Solver,
    ) -> Result<Option<OnDraws>, Error> {
        let weights: Vec<Option<Weights>> = self
            .futures
            .iter()
            .flat_map(|f| &f.years)
            .map(|b| Some(Weights { cost: self.model.appraisal.discount(b.k), tie: 0.0 }))
            .collect();
        let Some((mut master, theta, mut placed)) = self.start(choice, &weights, 0.0)? else { return Ok(None) };
        let n = self.portfolio_columns;
        let k = self.futures.len() as f64;
        // The tie-break charges on the modules, a thousandth of them, to choose among equals.
        let ties: Vec<f64> = (0..n).map(|c| (self.program.objective[c] - self.plain[c]) * 1e-3).collect();
        master.objective[..n].copy_from_slice(&ties);
        let own = self.own_costs();
        let mut blocks = Vec::new();
        let mut b = 0;
        for f in &self.futures {
            blocks.push(b..b + f.years.len());
            b += f.years.len();
        }
        match rule.criterion {
            Criterion::Mean => {
                for (s, range) in blocks.iter().enumerate() {
                    for &(c, o) in &own[s] {
                        master.objective[c] += o / k;
                    }
                    for bl in range.clone() {
                        master.objective[theta[bl]] = 1.0 / k;
                    }
                }
            }
            Criterion::Cvar => {
                let edge = master.add_column("cost_at_edge".into(), 1.0);
                for (s, range) in blocks.iter().enumerate() {
                    let excess = master.add_column(format!("excess_{s}"), 1.0 / (rule.share * k));
                    let mut terms = vec![(excess, 1.0), (edge, 1.0)];
                    terms.extend(own[s].iter().map(|&(c, o)| (c, -o)));
                    terms.extend(range.clone().map(|bl| (theta[bl], -1.0)));
                    for t in &mut terms {
                        t.1 /= CUT_SCALE;
                    }
                    master.rows.push(Row { name: format!("excess_{s}"), terms, sense: Sense::AtLeast, rhs: 0.0 });
                }
            }
        }
        let costs_of = |p: &super::cuts::Placed| -> Vec<f64> {
            blocks
                .iter()
                .enumerate()
                .map(|(s, range)| {
                    let capital: f64 = own[s].iter().map(|&(c, o)| o * p.values[c]).sum();
                    capital + p.cost[range.clone()].iter().sum::<f64>()
                })
                .collect()
        };
        let mut best: Option<(f64, Portfolio, Vec<f64>)> = None;
        if let Some(known) = known {
            if !placed.contains_key(known) {
                let Some(p) = self.place(known, &weights)? else { return Ok(None) };
                master.rows.extend(self.cuts(&theta, &weights, known, &p));
                placed.insert(known.clone(), p);
            }
            let costs = costs_of(&placed[known]);
            best = Some((Self::value_of(rule, &costs), known.clone(), costs));
        }
        let mut bound = f64::NEG_INFINITY;
        let mut exact = false;
        let mut rounds = 0;
        let told = crate::observe::counting(crate::observe::Loop::CutRound);
        for round in 1..=rule.rounds.max(1) {
            told.round(round);
            rounds = round;
            let values = solve_program(&master, solver.lp())?;
            let lower: f64 = master.objective.iter().zip(&values).map(|(o, v)| o * v).sum::<f64>()
                - (0..n).map(|c| ties[c] * values[c]).sum::<f64>();
            bound = bound.max(lower);
            let portfolio = self.portfolio_of(&values);
            let seen = placed.contains_key(&portfolio);
            if !seen {
                let Some(p) = self.place(&portfolio, &weights)? else { return Ok(None) };
                master.rows.extend(self.cuts(&theta, &weights, &portfolio, &p));
                placed.insert(portfolio.clone(), p);
            }
            let costs = costs_of(&placed[&portfolio]);
            let value = Self::value_of(rule, &costs);
            if best.as_ref().is_none_or(|(v, _, _)| value < *v) {
                best = Some((value, portfolio, costs));
            }
            if seen {
                // Its estimates are tight there: no portfolio does better than the best placed.
                exact = true;
                break;
            }
        }
        let (value, portfolio, costs) = best.expect("a round ran");
        Ok(Some(OnDraws {
            portfolio,
            costs: costs.into_iter().map(Money).collect(),
            value: Money(value),
            bound: Money(bound.min(value)),
            rounds,
            exact,
        }))
    }

    /// [`Appraiser::choose_on_draws`] as one program, solved whole.
    fn on_draws_whole(&self, choice: &Choice, rule: OnDrawsRule, solver: Solver) -> Result<OnDraws, Error> {
        let portfolio = match rule.criterion {
            Criterion::Mean => self.portfolio_of(&solve_program(&self.program_for(choice), solver)?),
            Criterion::Cvar => {
                let mut p = self.program_for(choice);
                for (c, o) in p.objective.iter_mut().enumerate() {
                    // Only the tie-break charges, far below £1, to choose among equals.
                    *o = (*o - self.plain.get(c).copied().unwrap_or(0.0)) * 1e-3;
                }
                let k = self.futures.len() as f64;
                let edge = p.add_column("cost_at_edge".into(), 1.0);
                for (s, terms) in self.future_cost.iter().enumerate() {
                    let excess = p.add_column(format!("excess_{s}"), 1.0 / (rule.share * k));
                    let mut terms: Vec<(usize, f64)> = terms.iter().map(|&(c, o)| (c, -o)).collect();
                    terms.extend([(excess, 1.0), (edge, 1.0)]);
                    p.rows.push(Row { name: format!("excess_{s}"), terms, sense: Sense::AtLeast, rhs: 0.0 });
                }
                self.portfolio_of(&solve_program(&p, solver)?)
            }
        };
        // With the portfolio fixed, every future at its least cost.
        let fixed = Choice { fixed: Some(portfolio.clone()), ..choice.clone() };
        let values = solve_program(&self.program_for(&fixed), solver)?;
        let costs: Vec<f64> =
            self.future_cost.iter().map(|t| t.iter().map(|&(c, o)| o * values[c]).sum::<f64>()).collect();
        let value = Self::value_of(rule, &costs);
        Ok(OnDraws {
            portfolio,
            costs: costs.into_iter().map(Money).collect(),
            value: Money(value),
            bound: Money(value),
            rounds: 1,
            exact: true,
        })
    }
}

#[cfg(test)]
mod tests;
