//! Risk over many futures: a chosen portfolio's business case in each of many futures drawn
//! around the model's own (need growth, independent fee rises, market prices, capital
//! overruns, schemes opening late, as `[risk]` spreads them), and what a finance officer
//! reads from them: the 10th, 50th and 90th percentile of the saving each year and of the
//! present value, and the chance of paying back by each year; with `[high_needs]`, the
//! block's cumulative deficit at the end, with and without, and the chance of meeting the
//! model's target.
//!
//! Each future has its own random numbers, from the seed and its number, so the figures
//! are the same for a seed however many threads run the futures.

mod choice;
mod draws;
mod summary;

pub use choice::{PortfolioRisk, RiskChoice, choose_on_draws, drawn_models};
pub use draws::{Factors, Spread, business_cases};
pub use summary::{DeficitRisk, PaybackBy, Percentiles, RiskSummary, nearest_rank};

#[cfg(test)]
mod tests;

use std::path::Path;

use crate::model::input::{Problem, Problems};
use crate::model::{Model, NeedByYear};
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::planning::business_case::BusinessCase;
use crate::planning::portfolio::Portfolio;

/// The spread futures are drawn with around `model` (read from `path`; its `[risk]` low and
/// high forecast variants read from it too, where its need is a cohort aged forward with
/// rates).
///
/// # Errors
/// A forecast variant that cannot be read or does not line up with the model.
pub fn spread_of(path: &Path, model: &Model) -> Result<Spread, Error> {
    let cohort = matches!(model.horizon.as_ref().map(|h| &h.need), Some(NeedByYear::Cohort { .. }));
    match model.risk.need_variants.as_ref().filter(|_| cohort) {
        None => Spread::new(model, None),
        Some((low, high)) => {
            let variants = crate::planning::ready::load_variants(path, &[low, high]).map_err(|mut p| {
                for problem in &mut p.0 {
                    problem.message.push_str(" (the need variants of [risk], by default \"low\" and \"high\")");
                }
                Error::Input(p)
            })?;
            Spread::new(model, Some((&variants[0], &variants[1])))
        }
    }
    .map_err(|message| {
        Error::Input(Problems(vec![Problem {
            sheet: None,
            file: path.to_path_buf(),
            line: None,
            field: Some("need_variants".to_string()),
            message,
        }]))
    })
}

/// `portfolio`'s business case in `draws` futures drawn with `seed` around `model` (read
/// from `path`, as [`spread_of`]), summed up. `done` is told as each future ends.
///
/// # Errors
/// A forecast variant that cannot be read, or a future whose plans fail.
pub fn over_futures(
    path: &Path,
    model: &Model,
    portfolio: &Portfolio,
    draws: usize,
    seed: u64,
    solver: Solver,
    done: &(dyn Fn() + Sync),
) -> Result<RiskSummary, Error> {
    futures(path, model, portfolio, draws, seed, solver, done).map(|(summary, _)| summary)
}

/// As [`over_futures`], with each future's business case, in order (the annex draws the
/// deficit year by year from them).
///
/// # Errors
/// As [`over_futures`].
pub fn futures(
    path: &Path,
    model: &Model,
    portfolio: &Portfolio,
    draws: usize,
    seed: u64,
    solver: Solver,
    done: &(dyn Fn() + Sync),
) -> Result<(RiskSummary, Vec<BusinessCase>), Error> {
    let spread = spread_of(path, model)?;
    let cases = business_cases(&spread, portfolio, draws, seed, solver, done)?;
    let mut summary = RiskSummary::of(&cases, seed);
    summary.deficit = DeficitRisk::of(model, &cases);
    Ok((summary, cases))
}
