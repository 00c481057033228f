//! What may be chosen: the capital budget and the schemes forced in or left out, how a
//! robust choice weighs the forecasts, and the rules every portfolio must keep (checked
//! outside the solver).

use crate::model::{Model, Money};
use crate::planning::portfolio::Portfolio;

/// What may be chosen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Choice {
    /// Most capital to spend (none: no limit).
    pub budget: Option<Money>,
    /// Schemes that must be built.
    pub with: Vec<usize>,
    /// Schemes that must not be built.
    pub without: Vec<usize>,
    /// Modules fixed for these schemes (to appraise a given portfolio).
    pub fixed: Option<Portfolio>,
}

/// How a robust choice weighs the futures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Robust {
    /// Least cost averaged over the variants, equally weighted.
    #[value(help = "Least cost averaged over the variants")]
    Expected,
    /// Least worst regret: the most any variant costs above its own best portfolio.
    Regret,
}

/// The rules a portfolio must keep, checked outside the solver.
#[must_use]
pub fn check_rules(model: &Model, portfolio: &Portfolio, choice: &Choice) -> Vec<String> {
    let mut wrong = Vec::new();
    for (j, (s, &m)) in model.schemes.iter().zip(&portfolio.0).enumerate() {
        if m > 0 && (m < s.min_modules || m > s.max_modules) {
            wrong.push(format!("scheme {} built with {m} modules, outside {}–{}", s.id, s.min_modules, s.max_modules));
        }
        for &k in &s.requires {
            if m > 0 && portfolio.0[k] == 0 {
                wrong.push(format!("scheme {} built without {}, which it needs", s.id, model.schemes[k].id));
            }
        }
        if choice.with.contains(&j) && m == 0 {
            wrong.push(format!("scheme {} was to be built but is not", s.id));
        }
        if choice.without.contains(&j) && m > 0 {
            wrong.push(format!("scheme {} was to be left out but is built", s.id));
        }
        if let Some(g) = &s.exclusive_group {
            let others = model.schemes[j + 1..]
                .iter()
                .zip(&portfolio.0[j + 1..])
                .filter(|(o, om)| **om > 0 && o.exclusive_group.as_ref() == Some(g))
                .count();
            if m > 0 && others > 0 {
                wrong.push(format!("more than one scheme of exclusive group {g} built"));
            }
        }
    }
    if let Some(budget) = choice.budget {
        let capital = portfolio.capital(model);
        if capital.0 > budget.0 * (1.0 + 1e-9) + 1e-6 {
            wrong.push(format!("capital {capital} exceeds the budget {budget}"));
        }
    }
    wrong
}

/// Schemes `j` needs, directly or through others, and `j` itself.
#[must_use]
pub fn with_prerequisites(model: &Model, j: usize) -> Vec<usize> {
    let mut out = vec![j];
    let mut k = 0;
    while k < out.len() {
        for &r in &model.schemes[out[k]].requires {
            if !out.contains(&r) {
                out.push(r);
            }
        }
        k += 1;
    }
    out
}

impl Choice {
    /// Why the choice has no portfolio at all, if it has none: schemes forced both in and
    /// out, forced schemes that exclude each other, or forced capital above the budget.
    #[must_use]
    pub fn impossible(&self, model: &Model) -> Option<String> {
        let mut forced: Vec<usize> = Vec::new();
        for &j in &self.with {
            for k in with_prerequisites(model, j) {
                if !forced.contains(&k) {
                    forced.push(k);
                }
            }
        }
        for &j in &forced {
            if self.without.contains(&j) {
                let id = &model.schemes[j].id;
                return Some(if self.with.contains(&j) {
                    format!("scheme {id} is both forced in and left out")
                } else {
                    format!("scheme {id} is left out, but a scheme forced in needs it")
                });
            }
        }
        for (a, &j) in forced.iter().enumerate() {
            for &k in &forced[a + 1..] {
                let (sj, sk) = (&model.schemes[j], &model.schemes[k]);
                if sj.exclusive_group.is_some() && sj.exclusive_group == sk.exclusive_group {
                    return Some(format!(
                        "schemes {} and {} are both needed but exclude each other (group {})",
                        sj.id,
                        sk.id,
                        sj.exclusive_group.as_deref().unwrap_or_default()
                    ));
                }
            }
        }
        if let Some(budget) = self.budget {
            let least: Money =
                forced.iter().map(|&j| model.schemes[j].capital_cost * f64::from(model.schemes[j].min_modules)).sum();
            if least.0 > budget.0 {
                return Some(format!(
                    "the schemes forced in need at least {least} of capital, above the budget of {budget}"
                ));
            }
        }
        None
    }
}
