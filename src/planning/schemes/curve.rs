//! The budget curve: the best portfolio at each capital budget, from nothing to enough for
//! every scheme.

use super::{Appraiser, Choice, Outcome};
use crate::model::{Model, Money};
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;

/// One point of the budget curve.
#[derive(Debug, Clone)]
pub struct CurvePoint {
    /// The budget.
    pub budget: Money,
    /// The best portfolio within it.
    pub outcome: Outcome,
}

/// Budgets for a curve: from nothing to enough for every scheme, in round steps.
#[must_use]
pub fn curve_budgets(model: &Model, steps: usize) -> Vec<Money> {
    let total: f64 = model.schemes.iter().map(|s| s.capital_cost.0 * f64::from(s.max_modules)).sum();
    if total <= 0.0 || steps == 0 {
        return vec![Money(0.0)];
    }
    let raw = total / steps as f64;
    let scale = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * scale).find(|s| *s >= raw).unwrap_or(10.0 * scale);
    let mut out = Vec::new();
    let mut b = 0.0;
    while b < total + step {
        out.push(Money(b));
        if b >= total {
            break;
        }
        b += step;
    }
    out
}

/// The best cost at each budget, within the choice's other rules.
///
/// # Errors
/// As [`Appraiser::choose`].
pub fn budget_curve(
    appraiser: &Appraiser,
    choice: &Choice,
    budgets: &[Money],
    solver: Solver,
) -> Result<Vec<CurvePoint>, Error> {
    budgets
        .iter()
        .map(|&b| {
            let c = Choice { budget: Some(b), ..choice.clone() };
            Ok(CurvePoint { budget: b, outcome: appraiser.choose(&c, solver)? })
        })
        .collect()
}
