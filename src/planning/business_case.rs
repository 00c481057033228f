//! The business case of a capital portfolio, as a council's finance officer reads one.
//!
//! The years planned are solved twice as `solve` plans them, children staying where they
//! are placed until they change phase: once with the places that exist or are planned
//! (the baseline, the same plan `solve` prints), and once with the portfolio's schemes
//! added, each pool of a scheme's places a setting from the year it opens. A new place
//! fills with new and moving children; a child already at an independent school stays
//! there until their next phase. Year by year the business case sets the capital spent
//! against the money saved: on the high-needs block (places: place funding, top-ups and
//! independent fees, and the new places' own running costs and place funding, paid filled
//! or empty) and on home-to-school transport. Capital is spent by each scheme's profile
//! (by default all in the year before it opens); a scheme's pools may open in stages. Every figure is the difference of the two
//! plans, so a finance officer can recompute it from the two years' summaries.

use crate::model::{Model, Money, SchoolYear, SettingIx};
use crate::optimise::plan::Summary;
use crate::optimise::run::{Error, run};
use crate::optimise::solve::Solver;
use crate::planning::portfolio::Portfolio;

/// One year of a plan: the figures a business case compares.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanYear {
    /// The school year.
    pub year: SchoolYear,
    /// The plan's headline figures.
    pub summary: Summary,
    /// Children in the portfolio's new places (0 in the baseline).
    pub in_new_places: f64,
    /// The new places open this year.
    pub new_places: f64,
    /// Running costs and place funding of the new places open this year, paid filled or not.
    pub fixed_cost: Money,
}

impl PlanYear {
    /// Money spent on places this year: the plan's places and the new places' fixed costs
    /// (the high-needs block).
    #[must_use]
    pub fn high_needs_spend(&self) -> Money {
        self.summary.placement_cost + self.fixed_cost
    }
}

/// One year of the business case: the portfolio against the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseYear {
    /// The school year.
    pub year: SchoolYear,
    /// Capital spent this year.
    pub capital: Money,
    /// The baseline's spend on places (high-needs block) and transport.
    pub without: (Money, Money),
    /// The portfolio's spend on places (with the new places' fixed costs) and transport.
    pub with: (Money, Money),
    /// Children in the new places.
    pub in_new_places: f64,
    /// New places open and not filled.
    pub empty_new_places: f64,
    /// Fewer children placed outside the borough than in the baseline.
    pub back_in_borough: f64,
    /// Fewer children at independent and non-maintained schools (named or bought).
    pub fewer_independent: f64,
    /// Fewer children without a place.
    pub fewer_unmet: f64,
}

impl CaseYear {
    /// Saved on the high-needs block (places).
    #[must_use]
    pub fn high_needs_saving(&self) -> Money {
        self.without.0 - self.with.0
    }

    /// Saved on home-to-school transport.
    #[must_use]
    pub fn transport_saving(&self) -> Money {
        self.without.1 - self.with.1
    }

    /// Saved in all.
    #[must_use]
    pub fn saving(&self) -> Money {
        self.high_needs_saving() + self.transport_saving()
    }
}

/// When the savings repay the capital.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payback {
    /// In this year planned: the first in which the savings to date reach the capital (with
    /// no capital, are above nothing).
    Within(SchoolYear),
    /// After the years planned, if the last year's saving went on: in this year.
    Beyond(SchoolYear),
    /// Never at the last year's saving (it saves nothing).
    Never,
}

impl Payback {
    /// The payback year as a report reads it: `2028/29`, `2031/32 (after the years planned)`,
    /// or `-`.
    #[must_use]
    pub fn describe(self) -> String {
        match self {
            Payback::Within(y) => y.to_string(),
            Payback::Beyond(y) => format!("{y} (after the years planned)"),
            Payback::Never => "-".to_string(),
        }
    }
}

/// A portfolio's business case over the years planned.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessCase {
    /// The schemes built.
    pub portfolio: Portfolio,
    /// Capital in all.
    pub capital: Money,
    /// Year by year.
    pub years: Vec<CaseYear>,
    /// When it pays back.
    pub payback: Payback,
    /// Savings less capital over the years planned, each year's cash discounted to the first
    /// ([`crate::model::Appraisal::discount`]: deflated by inflation, then at the real rate).
    pub present_value: Money,
    /// The last year's saving taken to go on, in real terms, for the appraisal's residual
    /// years after the years planned, discounted to the first year (0 with none); never in
    /// [`BusinessCase::present_value`].
    pub residual_value: Money,
}

impl BusinessCase {
    /// The present value of the years planned and the residual value together.
    #[must_use]
    pub fn with_residual(&self) -> Money {
        self.present_value + self.residual_value
    }

    /// Savings less capital to the end of each year.
    #[must_use]
    pub fn cumulative(&self) -> Vec<Money> {
        let mut total = Money(0.0);
        self.years
            .iter()
            .map(|y| {
                total += y.saving() - y.capital;
                total
            })
            .collect()
    }
}

/// The model with `portfolio` built: each pool of a built scheme's places a setting after the
/// model's own, with its pool's needs and phases, its places open each year
/// ([`crate::model::Scheme::pool_places_open`]: none before it opens, then filling over the scheme's
/// `fill_years`) × the modules built, an inclusion programme's no more than its share of new
/// plans ([`crate::planning::schemes::programme_caps`]), priced per child at the top-up (the
/// place funding is a fixed cost). Returns the model and, per setting added, its scheme.
#[must_use]
pub fn with_portfolio(model: &Model, portfolio: &Portfolio) -> (Model, Vec<(SettingIx, usize)>) {
    let mut m = model.clone();
    let n = model.settings.len();
    let mut added = Vec::new();
    // Per setting added: its scheme, pool and the modules built.
    let mut open: Vec<(usize, usize, f64)> = Vec::new();
    let caps = crate::planning::schemes::programme_caps(model);
    for (j, scheme) in model.schemes.iter().enumerate() {
        let modules = f64::from(portfolio.0[j]);
        if modules == 0.0 {
            continue;
        }
        let per_child = scheme.setting_per_child(&model.appraisal);
        for (q, pool) in scheme.places.iter().enumerate() {
            let mut s = per_child.clone();
            if scheme.places.len() > 1 {
                s.id = format!("{}-{}", scheme.id, q + 1);
                s.name = format!("{} (places {} of {})", scheme.name, q + 1, scheme.places.len());
            } else {
                s.id.clone_from(&scheme.id);
                s.name.clone_from(&scheme.name);
            }
            s.needs = pool.needs;
            s.phases = pool.phases;
            s.need_terms.retain(|t| pool.needs.contains(t.need.0));
            for t in &mut s.need_terms {
                t.places = None;
            }
            s.places = (scheme.pool_places_open(pool, model.planning_year) * modules).min(caps[j][0]);
            open.push((j, q, modules));
            added.push((SettingIx(m.settings.len()), j));
            m.settings.push(s);
        }
    }
    if let Some(h) = &mut m.horizon {
        let years: Vec<SchoolYear> = h.years().collect();
        let old = std::mem::take(&mut h.places);
        for (k, &year) in years.iter().enumerate() {
            h.places.extend_from_slice(&old[k * n..(k + 1) * n]);
            h.places.extend(open.iter().map(|&(j, q, modules)| {
                let scheme = &model.schemes[j];
                (scheme.pool_places_open(&scheme.places[q], year) * modules).min(caps[j][k])
            }));
        }
    }
    (m, added)
}

/// The years planned, as `solve` plans them (children staying put), with the portfolio's
/// schemes built (none: the baseline).
///
/// # Errors
/// As [`crate::optimise::run::run`], for any year.
pub fn plan_years(model: &Model, portfolio: &Portfolio, solver: Solver) -> Result<Vec<PlanYear>, Error> {
    let (m, added) = with_portfolio(model, portfolio);
    let runs: Vec<(SchoolYear, crate::optimise::run::Run)> = if let Some(ahead) = m.years_ahead() {
        crate::planning::horizon::plan_horizon(ahead, solver)?.into_iter().map(|y| (y.year, y.run)).collect()
    } else {
        vec![(m.planning_year, run(m.clone(), solver)?)]
    };
    Ok(runs
        .into_iter()
        .map(|(year, r)| {
            plan_year(model, portfolio, &added, year, &r, added.iter().map(|(s, _)| r.model.setting(*s).places))
        })
        .collect())
}

/// The years planned without any scheme and with `portfolio`, as two calls of
/// [`plan_years`] would give them, planning once the years before the first of the
/// portfolio's places opens (the two plans are the same until then: the schemes' settings
/// have no places and so no arcs).
///
/// # Errors
/// As [`plan_years`].
pub fn plan_years_both(
    model: &Model,
    portfolio: &Portfolio,
    solver: Solver,
) -> Result<(Vec<PlanYear>, Vec<PlanYear>), Error> {
    let nothing = Portfolio(vec![0; model.schemes.len()]);
    let (m, added) = with_portfolio(model, portfolio);
    let (Some(ahead), Some(h)) = (model.years_ahead(), m.horizon.as_ref()) else {
        return Ok((plan_years(model, &nothing, solver)?, plan_years(model, portfolio, solver)?));
    };
    let n = m.settings.len();
    let opens_in = |k: usize| added.iter().any(|(s, _)| h.places[k * n + s.0] > 0.0);
    let first = (0..h.years).find(|&k| opens_in(k)).unwrap_or(h.years);
    let (without, entering) =
        crate::planning::horizon::plan_horizon_from(ahead, solver, None, Some(first), &mut |_, _| {})?;
    let with = match (m.years_ahead(), &entering) {
        (Some(ahead), Some(entering)) => {
            crate::planning::horizon::plan_horizon_from(ahead, solver, Some(entering), None, &mut |_, _| {})?.0
        }
        _ => return Ok((plan_years(model, &nothing, solver)?, plan_years(model, portfolio, solver)?)),
    };
    let baseline: Vec<PlanYear> =
        without.iter().map(|y| plan_year(model, &nothing, &[], y.year, &y.run, std::iter::empty())).collect();
    let mut planned = Vec::with_capacity(without.len());
    for (k, y) in without.iter().enumerate().take(first) {
        // Before the first opens: the baseline's plan, the schemes' settings empty.
        let new_places = added.iter().map(|(s, _)| h.places[k * n + s.0]);
        planned.push(plan_year(model, portfolio, &added, y.year, &y.run, new_places));
    }
    for y in &with {
        let new_places = added.iter().map(|(s, _)| y.run.model.setting(*s).places);
        planned.push(plan_year(model, portfolio, &added, y.year, &y.run, new_places));
    }
    Ok((baseline, planned))
}

/// One year of a plan with `portfolio` (its settings `added`, with `new_places` open) from
/// the year's run.
fn plan_year(
    model: &Model,
    portfolio: &Portfolio,
    added: &[(SettingIx, usize)],
    year: SchoolYear,
    r: &crate::optimise::run::Run,
    new_places: impl Iterator<Item = f64>,
) -> PlanYear {
    let in_new_places =
        r.plan.placements.iter().filter(|p| added.iter().any(|(s, _)| *s == p.setting)).map(|p| p.children).sum();
    let fixed_cost = model
        .schemes
        .iter()
        .zip(&portfolio.0)
        .map(|(s, &k)| s.fixed_cost_per_module(&model.appraisal, year) * f64::from(k))
        .sum();
    // An inclusion programme's places beyond its share of new plans are funded and stay
    // empty: counted among the new places open (its one pool's places × the modules built).
    let new_places = new_places
        .zip(added)
        .map(|(places, &(_, j))| {
            let scheme = &model.schemes[j];
            if scheme.is_programme() && scheme.share.is_some() {
                scheme.places_open(year) * f64::from(portfolio.0[j])
            } else {
                places
            }
        })
        .sum();
    PlanYear { year, summary: r.plan.summary(&r.model), in_new_places, new_places, fixed_cost }
}

/// The business case of `portfolio` against `baseline` (the years planned with no scheme
/// built, from [`plan_years`]).
///
/// # Errors
/// As [`plan_years`].
pub fn business_case(
    model: &Model,
    baseline: &[PlanYear],
    portfolio: &Portfolio,
    solver: Solver,
) -> Result<BusinessCase, Error> {
    let with = plan_years(model, portfolio, solver)?;
    Ok(compare(model, baseline, &with, portfolio))
}

/// The business case from the two plans.
#[must_use]
pub fn compare(model: &Model, baseline: &[PlanYear], with: &[PlanYear], portfolio: &Portfolio) -> BusinessCase {
    let first = baseline.first().map_or(model.planning_year, |y| y.year);
    let years: Vec<CaseYear> = baseline
        .iter()
        .zip(with)
        .map(|(b, w)| {
            let capital =
                model.schemes.iter().zip(&portfolio.0).map(|(s, &k)| s.capital_in(b.year, first) * f64::from(k)).sum();
            CaseYear {
                year: b.year,
                capital,
                without: (b.high_needs_spend(), b.summary.transport_cost),
                with: (w.high_needs_spend(), w.summary.transport_cost),
                in_new_places: w.in_new_places,
                empty_new_places: (w.new_places - w.in_new_places).max(0.0),
                back_in_borough: b.summary.placed_out_of_borough - w.summary.placed_out_of_borough,
                fewer_independent: b.summary.placed_independent - w.summary.placed_independent,
                fewer_unmet: b.summary.unmet - w.summary.unmet,
            }
        })
        .collect();
    let capital = portfolio.capital(model);
    let payback = payback(&years, capital);
    let a = &model.appraisal;
    let present_value = years.iter().enumerate().map(|(k, y)| (y.saving() - y.capital) * a.discount(k)).sum();
    let residual_value =
        years.last().map_or(Money(0.0), |y| y.saving() * (a.discount(years.len() - 1) * a.residual_factor()));
    BusinessCase { portfolio: portfolio.clone(), capital, years, payback, present_value, residual_value }
}

/// The first year in which the savings to date reach the capital; beyond the years planned,
/// the year they would at the last year's saving. With no capital (an inclusion programme,
/// a revenue scheme), the first year in which the savings to date are above nothing: its
/// running costs are in each year's saving, so it pays its way from that year.
fn payback(years: &[CaseYear], capital: Money) -> Payback {
    let mut saved = 0.0;
    for y in years {
        saved += y.saving().0;
        if (capital.0 > 0.0 && saved >= capital.0) || (capital.0 <= 0.0 && saved > 0.0) {
            return Payback::Within(y.year);
        }
    }
    match years.last() {
        Some(last) if last.saving().0 > 0.0 => {
            let more = ((capital.0 - saved) / last.saving().0).ceil().max(1.0);
            Payback::Beyond(last.year.plus(more as usize))
        }
        _ => Payback::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ModelBuilder;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6 * b.abs().max(1.0)
    }

    /// 6 SEMH children in year 8 at an independent school out of the borough (£60,000), 2
    /// new plans a year at year 7, nobody leaving, no transport cost. Candidate: a new
    /// special school unit of `places` at £25,000 a place (£10,000 place funding + £15,000
    /// top-up), opening in the third year, 2027/28, for `capital`.
    fn model(places: f64, capital: f64) -> Model {
        ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("indep", "independent-special", 53.02, -2.0, false, 20.0, "secondary", "SEMH", 60_000.0)
            .horizon(3, &[("home", "SEMH", 8, 6.0)], &[("SEMH", 7, 2.0, 0.0, 0.0)])
            .scheme("unit", "maintained-special", (53.01, -2.0), 2, capital, 25_000.0, &[("SEMH", "secondary", places)])
            .build()
    }

    fn case(model: &Model) -> Vec<BusinessCase> {
        Solver::available()
            .into_iter()
            .map(|s| {
                let baseline = plan_years(model, &Portfolio(vec![0]), s).unwrap();
                business_case(model, &baseline, &Portfolio(vec![1]), s).unwrap()
            })
            .collect()
    }

    #[test]
    fn both_plans_at_once_are_the_two_plans_each_made_alone() {
        // The unit opens in the third year: the two years before it are planned once.
        // Built bigger, late by a year (none of its places open within the years planned),
        // or not at all, the plans are still those made one by one.
        let mut late = model(4.0, 500_000.0);
        late.schemes[0].opens = late.schemes[0].opens.plus(1);
        for p in &mut late.schemes[0].places {
            p.opens = p.opens.plus(1);
        }
        for s in Solver::available() {
            for (m, k) in
                [(model(4.0, 500_000.0), 1), (model(10.0, 900_000.0), 2), (late.clone(), 1), (model(4.0, 0.0), 0)]
            {
                let alone =
                    (plan_years(&m, &Portfolio(vec![0]), s).unwrap(), plan_years(&m, &Portfolio(vec![k]), s).unwrap());
                assert_eq!(plan_years_both(&m, &Portfolio(vec![k]), s).unwrap(), alone, "{s}, {k} built");
            }
        }
    }

    #[test]
    fn children_already_placed_stay_put_and_empty_places_still_cost_their_funding() {
        // Baseline: 6, 8 and 10 children at £60,000: £360,000, £480,000, £600,000.
        // With a 10-place unit in 2027/28: the 8 already placed stay at the independent
        // school; only the 2 new children take unit places (2 × £15,000 top-up), and all 10
        // places are funded (10 × £10,000): 480,000 + 30,000 + 100,000 = £610,000, £10,000
        // more than the baseline. The £500,000 is spent in 2026/27, the year before it opens.
        for c in case(&model(10.0, 500_000.0)) {
            let [y1, y2, y3] = &c.years[..] else { panic!("three years") };
            assert!(close(y1.saving().0, 0.0) && close(y2.saving().0, 0.0));
            assert!(close(y1.capital.0, 0.0) && close(y2.capital.0, 500_000.0) && close(y3.capital.0, 0.0));
            assert!(close(y3.without.0.0, 600_000.0) && close(y3.with.0.0, 610_000.0));
            assert!(close(y3.high_needs_saving().0, -10_000.0) && close(y3.transport_saving().0, 0.0));
            assert!(close(y3.in_new_places, 2.0) && close(y3.empty_new_places, 8.0));
            assert!(close(y3.back_in_borough, 2.0) && close(y3.fewer_independent, 2.0));
            assert_eq!(c.payback, Payback::Never);
            let cumulative: Vec<f64> = c.cumulative().iter().map(|m| m.0).collect();
            assert!(close(cumulative[2], -510_000.0), "{cumulative:?}");
        }
    }

    #[test]
    fn a_place_that_replaces_a_dearer_one_saves_money_and_pays_back() {
        // A 2-place unit for £100,000: in 2027/28 the 2 new children take it: 8 × £60,000 +
        // 2 × £15,000 + 2 × £10,000 = £530,000 against £600,000, a saving of £70,000.
        // Cumulative: 0, −100,000, −30,000; at £70,000 a year the last £30,000 is repaid in
        // 2028/29, after the years planned. Present value, the cash deflated by 2% a year and
        // discounted at 3.5% real, so at 1.035 × 1.02 = 1.0557 a year on cash:
        // −100,000/1.0557 + 70,000/1.0557².
        for c in case(&model(2.0, 100_000.0)) {
            let y3 = &c.years[2];
            assert!(close(y3.saving().0, 70_000.0) && close(y3.empty_new_places, 0.0));
            assert_eq!(c.payback, Payback::Beyond(SchoolYear(2028)));
            let pv = -100_000.0 / 1.0557 + 70_000.0 / (1.0557 * 1.0557);
            assert!(close(c.present_value.0, pv), "{} {pv}", c.present_value);
        }
    }

    #[test]
    fn the_residual_value_is_the_last_years_saving_for_the_years_after_shown_apart() {
        // model(2.0, 100,000) with 5 residual years: the last year's £70,000 saving, in
        // 2027/28 cash, is 70,000 ÷ 1.0557² = £62,808.29 today; it goes on in real terms for
        // 5 more years at 3.5% real: × (1/1.035 + … + 1/1.035⁵ = 4.515052) = £283,582.74.
        // The present value of the years planned is unchanged: −100,000/1.0557 +
        // 70,000/1.0557² = −£31,915.59; together £251,667.15.
        let mut m = model(2.0, 100_000.0);
        m.appraisal.residual_years = 5;
        for c in case(&m) {
            assert!(close(c.present_value.0, -31_915.586), "{}", c.present_value);
            assert!(close(c.residual_value.0, 283_582.737), "{}", c.residual_value);
            assert!(close(c.with_residual().0, 251_667.151), "{}", c.with_residual());
        }
        // None by default.
        for c in case(&model(2.0, 100_000.0)) {
            assert!(close(c.residual_value.0, 0.0) && close(c.with_residual().0, c.present_value.0));
        }
    }

    #[test]
    fn both_plans_and_their_savings_are_the_hand_worked_figures() {
        // model(2.0, 100_000.0), worked by hand. The baseline: 6, 8 and 10 SEMH children in
        // 2025/26, 2026/27 and 2027/28, every one at the independent school out of the
        // borough at £60,000: £360,000, £480,000 and £600,000 on places, no transport, no
        // new places. With the unit (2 places from 2027/28): the first two years as the
        // baseline; in 2027/28 the 8 already placed stay put and the 2 new children take the
        // unit: 8 × £60,000 + 2 × £15,000 top-up = £510,000 on places, and 2 × £10,000 place
        // funding = £20,000 paid for the new places, 8 children out of the borough.
        // Savings: 0, 0 and 600,000 − 530,000 = £70,000; the £100,000 spent in 2026/27.
        let m = model(2.0, 100_000.0);
        let baseline_by_hand = [(2025, 6.0, 360_000.0), (2026, 8.0, 480_000.0), (2027, 10.0, 600_000.0)];
        // Per year: places, fixed cost, children in the new places, out of the borough.
        let with_by_hand = [(360_000.0, 0.0, 0.0, 6.0), (480_000.0, 0.0, 0.0, 8.0), (510_000.0, 20_000.0, 2.0, 8.0)];
        for s in Solver::available() {
            let baseline = plan_years(&m, &Portfolio(vec![0]), s).unwrap();
            let with = plan_years(&m, &Portfolio(vec![1]), s).unwrap();
            assert_eq!((baseline.len(), with.len()), (3, 3));
            for (b, (year, children, places)) in baseline.iter().zip(baseline_by_hand) {
                assert_eq!(b.year, SchoolYear(year));
                assert!(close(b.summary.placement_cost.0, places) && close(b.summary.transport_cost.0, 0.0), "{s}");
                assert!(close(b.summary.placed_out_of_borough, children) && close(b.summary.unmet, 0.0), "{s}");
                assert!(close(b.fixed_cost.0, 0.0) && close(b.in_new_places, 0.0) && close(b.new_places, 0.0));
            }
            for (w, (places, fixed, in_new, out)) in with.iter().zip(with_by_hand) {
                assert!(close(w.summary.placement_cost.0, places) && close(w.fixed_cost.0, fixed), "{s} {}", w.year);
                assert!(close(w.summary.transport_cost.0, 0.0) && close(w.summary.placed_out_of_borough, out));
                assert!(close(w.in_new_places, in_new) && close(w.new_places, in_new), "{s} {}", w.year);
            }
            let c = compare(&m, &baseline, &with, &Portfolio(vec![1]));
            for (y, (saving, capital)) in c.years.iter().zip([(0.0, 0.0), (0.0, 100_000.0), (70_000.0, 0.0)]) {
                assert!(close(y.saving().0, saving) && close(y.capital.0, capital), "{s} {}: {y:?}", y.year);
            }
            // The baseline is also the plan `solve` prints for the same years.
            let solved = crate::planning::horizon::plan_horizon(m.years_ahead().unwrap(), s).unwrap();
            for (b, y) in baseline.iter().zip(&solved) {
                assert_eq!(b.summary, y.run.plan.summary(&y.run.model));
            }
        }
    }

    #[test]
    fn a_school_that_fills_over_three_years_is_funded_and_filled_a_third_at_a_time() {
        // 12 SEMH children at year 7 and 12 new plans there a year, nobody placed before; a 30-place unit open from
        // 2025/26 for £300,000 (spent the year before, so counted in 2025/26), filling over
        // 3 years: 10, 20, 30 places open, each funded at £10,000, a child there costing the
        // £15,000 top-up against £60,000 at the independent school. Children stay put:
        //   2025/26: 10 new to the unit, 2 to the independent school:
        //            10 × 15,000 + 2 × 60,000 + 10 × 10,000 = £370,000 against 12 × 60,000
        //            = £720,000: saving £350,000.
        //   2026/27: 10 of the 12 new to the unit (20 open), 2 more to the independent school:
        //            20 × 15,000 + 4 × 60,000 + 20 × 10,000 = £740,000 against £1,440,000:
        //            saving £700,000.
        //   2027/28: 30 × 15,000 + 6 × 60,000 + 30 × 10,000 = £1,110,000 against £2,160,000:
        //            saving £1,050,000.
        // Cumulative: 50,000, 750,000, 1,800,000; pays back in 2025/26.
        let mut m = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("indep", "independent-special", 53.02, -2.0, false, 100.0, "secondary", "SEMH", 60_000.0)
            .horizon(3, &[("home", "SEMH", 7, 12.0)], &[("SEMH", 7, 12.0, 0.0, 0.0)])
            .scheme("unit", "maintained-special", (53.01, -2.0), 0, 300_000.0, 25_000.0, &[("SEMH", "secondary", 30.0)])
            .build();
        m.schemes[0].fill_years = 3;
        for c in case(&m) {
            let [y1, y2, y3] = &c.years[..] else { panic!("three years") };
            for (y, (with, without, placed)) in [y1, y2, y3].into_iter().zip([
                (370_000.0, 720_000.0, 10.0),
                (740_000.0, 1_440_000.0, 20.0),
                (1_110_000.0, 2_160_000.0, 30.0),
            ]) {
                assert!(close(y.with.0.0, with) && close(y.without.0.0, without), "{}: {}", y.year, y.with.0);
                assert!(close(y.in_new_places, placed) && close(y.empty_new_places, 0.0), "{}", y.year);
                assert!(close(y.transport_saving().0, 0.0));
            }
            assert!(close(y1.capital.0, 300_000.0) && close(y1.saving().0, 350_000.0));
            let cumulative: Vec<f64> = c.cumulative().iter().map(|m| m.0).collect();
            assert!(close(cumulative[0], 50_000.0) && close(cumulative[2], 1_800_000.0), "{cumulative:?}");
            assert_eq!(c.payback, Payback::Within(SchoolYear(2025)));
            let pv = 50_000.0 + 700_000.0 / 1.0557 + 1_050_000.0 / (1.0557 * 1.0557);
            assert!(close(c.present_value.0, pv), "{} {pv}", c.present_value);
        }
    }

    #[test]
    fn places_open_in_stages_and_capital_follows_its_profile() {
        // A unit opening in 2026/27 with 2 SEMH places, and 3 ASD places from 2027/28 (no ASD
        // child needs one: they stand empty but are funded). Capital £200,000, half two years
        // before opening (2024/25, before the years planned, so counted in 2025/26) and half
        // the year before: all £200,000 in 2025/26.
        //   2026/27: 6 stay at the independent school; the 2 new take the unit:
        //            360,000 + 2 × 15,000 + 2 × 10,000 = £410,000 against £480,000.
        //   2027/28: the 2 stay at the unit; 2 more new go to the independent school:
        //            8 × 60,000 + 2 × 15,000 + 5 × 10,000 = £560,000 against £600,000.
        let mut m = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("indep", "independent-special", 53.02, -2.0, false, 20.0, "secondary", "SEMH", 60_000.0)
            .horizon(3, &[("home", "SEMH", 8, 6.0)], &[("SEMH", 7, 2.0, 0.0, 0.0)])
            .scheme(
                "unit",
                "maintained-special",
                (53.01, -2.0),
                1,
                200_000.0,
                25_000.0,
                &[("SEMH", "secondary", 2.0), ("ASD", "secondary", 3.0)],
            )
            .build();
        m.schemes[0].places[1].opens = SchoolYear(2027);
        m.schemes[0].capital_profile = vec![0.5, 0.5];
        for c in case(&m) {
            let [y1, y2, y3] = &c.years[..] else { panic!("three years") };
            assert!(close(y1.capital.0, 200_000.0) && close(y2.capital.0, 0.0) && close(y3.capital.0, 0.0));
            assert!(close(y2.with.0.0, 410_000.0) && close(y2.saving().0, 70_000.0), "{}", y2.with.0);
            assert!(close(y3.with.0.0, 560_000.0) && close(y3.saving().0, 40_000.0), "{}", y3.with.0);
            assert!(close(y2.empty_new_places, 0.0) && close(y3.empty_new_places, 3.0));
        }
        let s = &m.schemes[0];
        let first = SchoolYear(2025);
        assert!(close(s.capital_in(SchoolYear(2025), first).0, 200_000.0));
        let later = crate::model::Scheme { opens: SchoolYear(2028), ..s.clone() };
        assert!(close(later.capital_in(SchoolYear(2026), first).0, 100_000.0));
        assert!(close(later.capital_in(SchoolYear(2027), first).0, 100_000.0));
        assert!(close(later.capital_in(SchoolYear(2028), first).0, 0.0));
    }

    #[test]
    fn payback_within_the_years_planned_is_the_first_year_savings_reach_the_capital() {
        let year = |y: u16, capital: f64, saving: f64| CaseYear {
            year: SchoolYear(y),
            capital: Money(capital),
            without: (Money(saving), Money(0.0)),
            with: (Money(0.0), Money(0.0)),
            in_new_places: 0.0,
            empty_new_places: 0.0,
            back_in_borough: 0.0,
            fewer_independent: 0.0,
            fewer_unmet: 0.0,
        };
        // Savings 0, 200, 100, 50: £300 is reached in 2027; £400 would need £50 more, one
        // more year at the last year's £50.
        let years = vec![year(2025, 300.0, 0.0), year(2026, 0.0, 200.0), year(2027, 0.0, 100.0), year(2028, 0.0, 50.0)];
        assert_eq!(payback(&years, Money(300.0)), Payback::Within(SchoolYear(2027)));
        assert_eq!(payback(&years, Money(400.0)), Payback::Beyond(SchoolYear(2029)));
        // No capital (an inclusion programme): the first year its savings to date are above
        // nothing, 2026 here; a programme costing £20 more than it saves in its first year
        // (−20, then +10 a year) is above nothing in its third year, 2027, and one still £5
        // down at the last year's £10 a year is so a year after the years planned.
        assert_eq!(payback(&years, Money(0.0)), Payback::Within(SchoolYear(2026)));
        let revenue = vec![year(2025, 0.0, -20.0), year(2026, 0.0, 10.0), year(2027, 0.0, 10.1)];
        assert_eq!(payback(&revenue, Money(0.0)), Payback::Within(SchoolYear(2027)));
        let late = vec![year(2025, 0.0, -25.0), year(2026, 0.0, 10.0), year(2027, 0.0, 10.0)];
        assert_eq!(payback(&late, Money(0.0)), Payback::Beyond(SchoolYear(2028)));
        // Nothing saved and no capital (building nothing): never.
        let none = vec![year(2025, 0.0, 0.0), year(2026, 0.0, 0.0)];
        assert_eq!(payback(&none, Money(0.0)), Payback::Never);
    }
}
