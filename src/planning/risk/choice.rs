//! A choice that accounts for risk: the portfolio chosen on futures drawn as `[risk]` spreads
//! them (the first of the futures the risk is run over), and both it and the portfolio chosen
//! for the central forecast over the same futures, side by side.

use crate::model::{Model, Money};
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::planning::portfolio::Portfolio;
use crate::planning::schemes::{Appraiser, Choice, OnDraws, OnDrawsRule, cvar};

use super::{DeficitRisk, Factors, RiskSummary, Spread, business_cases};

/// The models of futures 0 to `k` − 1 drawn with `seed` (the first `k` of the futures the
/// risk is run over with that seed).
#[must_use]
pub fn drawn_models(spread: &Spread, k: usize, seed: u64) -> Vec<Model> {
    (0..k as u64).map(|i| spread.future(&Factors::draw(&spread.model, seed, i))).collect()
}

/// A portfolio over the futures drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioRisk {
    /// The schemes built.
    pub portfolio: Portfolio,
    /// Capital as planned (undrawn).
    pub capital: Money,
    /// Percentiles, payback chances and the deficit.
    pub summary: RiskSummary,
    /// The mean present value over the futures.
    pub mean_value: Money,
    /// The mean present value of the worst share of the futures (the lowest values).
    pub worst_value: Money,
}

impl PortfolioRisk {
    /// `portfolio`'s business case in futures 0 to `draws` − 1 drawn with `seed`, the worst
    /// `share` of them averaged apart; `done` told as each future ends.
    ///
    /// # Errors
    /// The first future whose plans fail.
    pub fn over(
        spread: &Spread,
        portfolio: &Portfolio,
        (draws, seed, share): (usize, u64, f64),
        solver: Solver,
        done: &(dyn Fn() + Sync),
    ) -> Result<PortfolioRisk, Error> {
        let cases = business_cases(spread, portfolio, draws, seed, solver, done)?;
        let mut summary = RiskSummary::of(&cases, seed);
        summary.deficit = DeficitRisk::of(&spread.model, &cases);
        let values: Vec<f64> = cases.iter().map(|c| c.present_value.0).collect();
        let mean = if values.is_empty() { 0.0 } else { values.iter().sum::<f64>() / values.len() as f64 };
        let lowest: Vec<f64> = values.iter().map(|v| -v).collect();
        Ok(PortfolioRisk {
            portfolio: portfolio.clone(),
            capital: portfolio.capital(&spread.model),
            summary,
            mean_value: Money(mean),
            worst_value: Money(-cvar(&lowest, share)),
        })
    }
}

/// The portfolio chosen on the futures drawn beside the one chosen for the central forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskChoice {
    /// How it was chosen.
    pub rule: OnDrawsRule,
    /// The futures it was chosen on (the first of those drawn).
    pub chosen_on: usize,
    /// The choice: its portfolio, value on those futures, bound and rounds.
    pub found: OnDraws,
    /// The central forecast's portfolio's value on the same futures, by the same criterion.
    pub central_value: Money,
    /// The central forecast's portfolio over all the futures drawn.
    pub central: PortfolioRisk,
    /// The portfolio chosen on the futures over all of them.
    pub drawn: PortfolioRisk,
}

/// The portfolio within `choice` best by `rule` on the first `k` futures drawn with `seed`,
/// and by the same criterion there the value of `central` (the portfolio chosen for the
/// central forecast).
///
/// # Errors
/// Solver failure.
pub fn choose_on_draws(
    spread: &Spread,
    choice: &Choice,
    central: &Portfolio,
    (k, seed): (usize, u64),
    rule: OnDrawsRule,
    solver: Solver,
) -> Result<(OnDraws, Money), Error> {
    let futures = drawn_models(spread, k, seed);
    let appraiser = Appraiser::build_drawn(&spread.model, &futures);
    let found = appraiser.choose_on_draws(choice, rule, Some(central), solver)?;
    let fixed = Choice { fixed: Some(central.clone()), ..choice.clone() };
    let central_value = appraiser.choose_on_draws(&fixed, rule, None, solver)?.value;
    Ok((found, central_value))
}
