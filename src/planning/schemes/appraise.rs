//! A choice appraised: the chosen portfolio against building nothing and against each
//! scheme alone, what one more place would save, and each portfolio's business case.

use super::{Appraiser, Choice, Outcome, PlaceValue, Robust, with_prerequisites};
use crate::model::{Model, Money};
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::planning::business_case::{self, BusinessCase, CaseYear, Payback};
use crate::planning::portfolio::Portfolio;

/// What a portfolio buys compared with building nothing, from its business case: in the
/// last year planned, and over the years.
#[derive(Debug, Clone, PartialEq)]
pub struct Gain {
    /// Places added.
    pub places: f64,
    /// Children in the new places in the last year.
    pub children: f64,
    /// Fewer children placed outside the borough in the last year.
    pub back_in_borough: f64,
    /// Fewer children without a suitable place in the last year.
    pub unmet_met: f64,
    /// Money saved in the last year (places, transport, the new places' running costs and
    /// place funding); negative when it costs more.
    pub annual_saving: Money,
    /// Capital spent.
    pub capital: Money,
    /// Capital per place added.
    pub cost_per_place: Option<Money>,
    /// When the savings repay the capital.
    pub payback: Payback,
    /// Savings less capital over the years, discounted.
    pub net_present_value: Money,
    /// The last year's saving going on for the appraisal's residual years, discounted
    /// (0 without residual years); shown apart from the present value.
    pub residual_value: Money,
}

impl Gain {
    /// The headline figures of a business case.
    #[must_use]
    pub fn of(model: &Model, case: &BusinessCase) -> Gain {
        let places = case.portfolio.places(model);
        let last = case.years.last();
        let capital = case.capital;
        Gain {
            places,
            children: last.map_or(0.0, |y| y.in_new_places),
            back_in_borough: last.map_or(0.0, |y| y.back_in_borough),
            unmet_met: last.map_or(0.0, |y| y.fewer_unmet),
            annual_saving: last.map_or(Money(0.0), CaseYear::saving),
            capital,
            cost_per_place: (places > 0.0).then(|| Money(capital.0 / places)),
            payback: case.payback,
            net_present_value: case.present_value,
            residual_value: case.residual_value,
        }
    }
}

/// A choice made and appraised.
#[derive(Debug, Clone)]
pub struct Appraised {
    /// What was asked.
    pub choice: Choice,
    /// The best portfolio.
    pub chosen: Outcome,
    /// No schemes.
    pub baseline: Outcome,
    /// Each scheme alone (with the schemes it needs), at its best number of modules.
    pub alone: Vec<Outcome>,
    /// For a robust choice: how it was made, and each future's best cost.
    pub robust: Option<(Robust, Vec<Money>)>,
    /// Names of the futures (forecast variants), in order.
    pub futures: Vec<String>,
    /// What one more place would save in the last year, with the chosen schemes built,
    /// most first.
    pub place_values: Vec<PlaceValue>,
    /// The chosen portfolio's business case, children staying put.
    pub case: BusinessCase,
    /// Each scheme alone's business case.
    pub cases_alone: Vec<BusinessCase>,
}

impl Appraised {
    /// The chosen portfolio against the baseline.
    #[must_use]
    pub fn gain(&self, model: &Model) -> Gain {
        Gain::of(model, &self.case)
    }

    /// Each scheme alone against the baseline.
    #[must_use]
    pub fn gains_alone(&self, model: &Model) -> Vec<Gain> {
        self.cases_alone.iter().map(|c| Gain::of(model, c)).collect()
    }
}

/// Chooses under `choice` (least expected cost, or least regret) and appraises the answer
/// against the baseline and each scheme alone.
///
/// # Errors
/// As [`Appraiser::choose`].
pub fn appraise(
    appraiser: &Appraiser,
    choice: &Choice,
    robust: Option<Robust>,
    futures: Vec<String>,
    solver: Solver,
) -> Result<Appraised, Error> {
    use crate::observe::{Loop, counting};
    let model = &appraiser.model;
    // The chosen portfolio, building nothing, and each scheme alone.
    let portfolios = counting(Loop::Portfolio);
    let total = model.schemes.len() + 2;
    portfolios.counted(0, total);
    let (chosen, best) = match robust {
        Some(Robust::Regret) => {
            let (o, best) = appraiser.choose_least_regret(choice, solver)?;
            (o, Some((Robust::Regret, best)))
        }
        Some(Robust::Expected) => (appraiser.choose(choice, solver)?, Some((Robust::Expected, Vec::new()))),
        None => (appraiser.choose(choice, solver)?, None),
    };
    portfolios.counted(1, total);
    let all: Vec<usize> = (0..model.schemes.len()).collect();
    let baseline = appraiser.choose(&Choice { without: all.clone(), ..Choice::default() }, solver)?;
    portfolios.counted(2, total);
    let mut alone = Vec::new();
    for j in 0..model.schemes.len() {
        let with = with_prerequisites(model, j);
        let without = all.iter().copied().filter(|k| !with.contains(k)).collect();
        alone.push(appraiser.choose(&Choice { with, without, ..Choice::default() }, solver)?);
        portfolios.counted(3 + j, total);
    }
    drop(portfolios);
    let place_values = appraiser.place_values(&chosen, solver)?;
    // The business cases, children staying put: against the years `solve` plans (the
    // baseline's years first, counted as step 0).
    let cases = counting(Loop::BusinessCase);
    let total = alone.len() + 1;
    cases.counted(0, total);
    let none = Portfolio(vec![0; model.schemes.len()]);
    let plans = business_case::plan_years(model, &none, solver)?;
    let case = business_case::business_case(model, &plans, &chosen.portfolio, solver)?;
    cases.counted(1, total);
    let cases_alone = alone
        .iter()
        .enumerate()
        .map(|(j, o)| {
            let case = business_case::business_case(model, &plans, &o.portfolio, solver);
            cases.counted(2 + j, total);
            case
        })
        .collect::<Result<_, _>>()?;
    drop(cases);
    Ok(Appraised {
        choice: choice.clone(),
        chosen,
        baseline,
        alone,
        robust: best,
        futures,
        place_values,
        case,
        cases_alone,
    })
}
