//! `schemes --draws`: the chosen portfolio's business case over many futures, with the
//! progress shown as the futures end.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::model::Model;
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::outputs::progress::Progress;
use crate::planning::portfolio::Portfolio;
use crate::planning::risk::{self, RiskSummary};

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
