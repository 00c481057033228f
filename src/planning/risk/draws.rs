//! The futures drawn: each future's factors from its own random numbers, the model of that
//! future, and its business case (the portfolio against building nothing, both planned in
//! that future).

use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::model::{Model, NeedByYear, Rates, Triangle, YearGroup};
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::planning::business_case::{BusinessCase, compare, plan_years_both};
use crate::planning::portfolio::Portfolio;

/// What one future changes from the model's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Factors {
    /// Need growth by need and phase (index: need × phases + phase): −1 the low variant's
    /// rates, 0 the model's own, 1 the high variant's, every rate interpolated between.
    pub need: Vec<f64>,
    /// Added to the yearly rise of independent fees (`[uplift] independent`).
    pub fee_rise: f64,
    /// Multiplier on the market's prices.
    pub market_price: f64,
    /// Multiplier on each scheme's capital.
    pub capital: Vec<f64>,
    /// Whether each scheme opens a year late.
    pub late: Vec<bool>,
}

impl Factors {
    /// The model's own future: nothing changed.
    #[must_use]
    pub fn central(model: &Model) -> Factors {
        Factors {
            need: vec![0.0; model.needs.len() * model.phases.len()],
            fee_rise: 0.0,
            market_price: 1.0,
            capital: vec![1.0; model.schemes.len()],
            late: vec![false; model.schemes.len()],
        }
    }

    /// Future `index` of the futures drawn with `seed`: its random numbers are stream
    /// `index` of the ChaCha8 generator seeded with `seed`, taken in a fixed order (need by
    /// need and phase, the fee rise, the market, then each scheme's capital and opening), as
    /// many whatever the spreads.
    #[must_use]
    pub fn draw(model: &Model, seed: u64, index: u64) -> Factors {
        let risk = &model.risk;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(index);
        let mut u = || rng.random::<f64>();
        let position = Triangle { low: -1.0, likely: 0.0, high: 1.0 };
        let spread = risk.need_variants.is_some();
        let need = (0..model.needs.len() * model.phases.len())
            .map(|_| {
                let v = u();
                if spread { position.at(v) } else { 0.0 }
            })
            .collect();
        let fee_rise = risk.fee_rise.at(u());
        let market_price = risk.market_price.at(u());
        let mut capital = Vec::with_capacity(model.schemes.len());
        let mut late = Vec::with_capacity(model.schemes.len());
        for _ in &model.schemes {
            capital.push(risk.capital_overrun.at(u()));
            late.push(u() < risk.late_chance);
        }
        Factors { need, fee_rise, market_price, capital, late }
    }
}

/// The model and what its futures are drawn around: the rates of the low and high forecast
/// variants, where need growth spreads.
#[derive(Debug, Clone)]
pub struct Spread {
    /// The model (its own forecast variant the most likely future).
    pub model: Model,
    /// The low and high variants' rates, in the order of the model's.
    pub variants: Option<(Vec<Rates>, Vec<Rates>)>,
}

impl Spread {
    /// The spread around `model`, need growth between `variants` (the low and the high
    /// variant's models, read from the same file) if given.
    ///
    /// # Errors
    /// A variant whose need is not a cohort aged forward with rates as the model's is.
    pub fn new(model: &Model, variants: Option<(&Model, &Model)>) -> Result<Spread, String> {
        let rates = |m: &Model| match m.horizon.as_ref().map(|h| &h.need) {
            Some(NeedByYear::Cohort { rates, .. }) => Some(rates.clone()),
            _ => None,
        };
        let variants = match variants {
            None => None,
            Some((low, high)) => {
                let own = rates(model).ok_or_else(|| {
                    "need growth spreads between forecast variants only for a cohort aged forward with \
                     forecast_rates: expected need_variants = [] under [risk]"
                        .to_string()
                })?;
                let (Some(l), Some(h)) = (rates(low), rates(high)) else {
                    return Err("a forecast variant has no rates to spread need growth with".to_string());
                };
                if l.len() != own.len() || h.len() != own.len() {
                    return Err("the forecast variants' rates do not line up with the model's".to_string());
                }
                Some((l, h))
            }
        };
        Ok(Spread { model: model.clone(), variants })
    }

    /// The model of the future `f`.
    #[must_use]
    pub fn future(&self, f: &Factors) -> Model {
        let mut m = self.model.clone();
        let phases = m.phases.len();
        if let (Some((low, high)), Some(h)) = (&self.variants, &mut m.horizon) {
            let phase_of: Vec<Option<usize>> = YearGroup::all().map(|yg| h.phase_of(yg).map(|p| p.0)).collect();
            if let NeedByYear::Cohort { rates, .. } = &mut h.need {
                for (i, r) in rates.iter_mut().enumerate() {
                    let (need, yg) = (i / phase_of.len(), i % phase_of.len());
                    let Some(phase) = phase_of[yg] else { continue };
                    let t = f.need[need * phases + phase];
                    if t != 0.0 {
                        *r = between(*r, if t < 0.0 { low[i] } else { high[i] }, t.abs());
                    }
                }
            }
        }
        if f.fee_rise != 0.0 {
            m.uplift.independent += f.fee_rise;
        }
        if f.market_price != 1.0 {
            for s in m.settings.iter_mut().filter(|s| s.market.is_some()) {
                s.cost_per_place = s.cost_per_place * f.market_price;
                for t in &mut s.need_terms {
                    t.cost_per_place = t.cost_per_place.map(|c| c * f.market_price);
                }
            }
        }
        for ((s, &capital), &late) in m.schemes.iter_mut().zip(&f.capital).zip(&f.late) {
            s.capital_cost = s.capital_cost * capital;
            if late {
                // A year later, its places and their stages too; the capital spent as
                // planned (a share of nothing in the year before it now opens).
                s.opens = s.opens.plus(1);
                for p in &mut s.places {
                    p.opens = p.opens.plus(1);
                }
                s.capital_profile.push(0.0);
            }
        }
        m
    }
}

/// Rates a share `t` of the way from `from` to `to`.
fn between(from: Rates, to: Rates, t: f64) -> Rates {
    let at = |a: f64, b: f64| a + (b - a) * t;
    Rates {
        new_plans: at(from.new_plans, to.new_plans),
        new_per_1000: at(from.new_per_1000, to.new_per_1000),
        ceasing_rate: at(from.ceasing_rate, to.ceasing_rate),
        growth: at(from.growth, to.growth),
        tier_ceasing: std::array::from_fn(|i| match (from.tier_ceasing[i], to.tier_ceasing[i]) {
            (None, None) => None,
            (a, b) => Some(at(a.unwrap_or(from.ceasing_rate), b.unwrap_or(to.ceasing_rate))),
        }),
    }
}

/// The business case of `portfolio` in the future `f`: both plans, with and without it,
/// made in that future.
///
/// # Errors
/// As [`plan_years_both`].
pub fn business_case(
    spread: &Spread,
    f: &Factors,
    portfolio: &Portfolio,
    solver: Solver,
) -> Result<BusinessCase, Error> {
    let m = spread.future(f);
    let (baseline, with) = plan_years_both(&m, portfolio, solver)?;
    Ok(compare(&m, &baseline, &with, portfolio))
}

/// The business cases of `portfolio` in futures 0 to `draws` − 1 drawn with `seed`, in
/// order, run on every core (rayon's pool), telling `done` as each ends.
///
/// # Errors
/// The first future (in order) whose plans fail.
pub fn business_cases(
    spread: &Spread,
    portfolio: &Portfolio,
    draws: usize,
    seed: u64,
    solver: Solver,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<BusinessCase>, Error> {
    (0..draws as u64)
        .into_par_iter()
        .map(|k| {
            let case = business_case(spread, &Factors::draw(&spread.model, seed, k), portfolio, solver);
            done();
            case
        })
        .collect()
}
