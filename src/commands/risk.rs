//! `schemes --draws`: the chosen portfolio's business case over many futures, and with
//! `--choose-on-draws` the portfolio chosen on them beside it, with the progress shown as
//! the futures end.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::model::Model;
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::outputs::progress::Progress;
use crate::planning::portfolio::Portfolio;
use crate::planning::risk::{self, PortfolioRisk, RiskChoice, RiskSummary};
use crate::planning::schemes::{Choice, OnDrawsRule};

/// `portfolio` over `draws` futures drawn with `seed` (default 1) around the model at `path`.
///
/// # Errors
/// As [`risk::over_futures`].
pub fn over_futures(
    path: &Path,
    model: &Model,
    portfolio: &Portfolio,
    draws: u32,
    seed: Option<u64>,
    solver: Solver,
    progress: &Progress,
) -> Result<RiskSummary, Error> {
    let n = draws as usize;
    let ended = AtomicUsize::new(0);
    let done = || progress.step("the futures drawn", ended.fetch_add(1, Ordering::Relaxed) + 1, n);
    risk::over_futures(path, model, portfolio, n, seed.unwrap_or(1), solver, &done)
}

/// `schemes --draws N --choose-on-draws K`: the portfolio within `choice` best by `rule` on
/// the first `k` futures drawn with `seed` (default 1), and it and `central` (the portfolio
/// chosen for the central forecast) each over all `draws` futures.
///
/// # Errors
/// As [`risk::over_futures`], or a solver failure in the choice.
#[allow(clippy::too_many_arguments)]
pub fn choice_on_draws(
    path: &Path,
    model: &Model,
    choice: &Choice,
    central: &Portfolio,
    (draws, k, seed): (u32, u32, Option<u64>),
    rule: OnDrawsRule,
    solver: Solver,
    progress: &Progress,
) -> Result<RiskChoice, Error> {
    let (n, seed) = (draws as usize, seed.unwrap_or(1));
    let spread = risk::spread_of(path, model)?;
    progress.stage("choosing the portfolio on the futures drawn");
    let (found, central_value) = risk::choose_on_draws(&spread, choice, central, (k as usize, seed), rule, solver)?;
    let over = |portfolio: &Portfolio, label: &str| {
        let ended = AtomicUsize::new(0);
        let done = || progress.step(label, ended.fetch_add(1, Ordering::Relaxed) + 1, n);
        PortfolioRisk::over(&spread, portfolio, (n, seed, rule.share), solver, &done)
    };
    let central_risk = over(central, "the futures drawn (the central forecast's portfolio)")?;
    let drawn_risk = if found.portfolio == *central {
        PortfolioRisk { portfolio: found.portfolio.clone(), ..central_risk.clone() }
    } else {
        over(&found.portfolio, "the futures drawn (the portfolio chosen on them)")?
    };
    Ok(RiskChoice { rule, chosen_on: k as usize, found, central_value, central: central_risk, drawn: drawn_risk })
}
