//! Commissioning options: which way of buying independent places costs least for the same
//! children.
//!
//! One year's placement program ([`crate::optimise::formulation`]) with the fee of each place bought
//! from a provider split by route: spot purchase at the school's own fee (always open), a
//! framework's price, a block contract's reserved places (paid for by the block, used or
//! not) or a cost-and-volume contract's places beyond its blocks. For every setting, need
//! and phase an option covers, the children placed there equal the children bought by all
//! routes. Whole-number columns say whether a framework is joined (its fee is paid) and how
//! many blocks of a contract are bought. The optimiser decides which route serves each child.

use std::collections::BTreeMap;

use crate::model::{Model, Money, Need, Phase, PurchasingOption, PurchasingTerms, SettingIx};
use crate::optimise::checking;
use crate::optimise::formulation::{Extensions, Formulation};
use crate::optimise::plan::{Plan, SMALLEST_FLOW, Summary};
use crate::optimise::run::Error;
use crate::optimise::solve::{Solver, solve_program};
use crate::travel::JourneyTable;

pub use crate::optimise::formulation::Route;

/// Children bought one way.
#[derive(Debug, Clone, PartialEq)]
pub struct Purchase {
    /// The school.
    pub setting: SettingIx,
    /// Their need.
    pub need: Need,
    /// Their phase.
    pub phase: Phase,
    /// How.
    pub route: Route,
    /// Children.
    pub children: f64,
    /// £ a year each (0 for block places: the block is paid for).
    pub price: Money,
}

/// What one option is used for.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionUse {
    /// Index into [`Model::purchasing`].
    pub option: usize,
    /// Framework: 1 if joined. Block contract: blocks bought.
    pub taken: u32,
    /// Children bought through it (block places and beyond).
    pub children: f64,
    /// Block places paid for (0 for a framework).
    pub block_places: f64,
    /// Block places paid for and not used.
    pub unused_places: f64,
    /// £ a year paid whatever the use: joining fee, or blocks.
    pub fixed_cost: Money,
    /// £ a year paid per child through it.
    pub placement_cost: Money,
}

/// One option set evaluated for one year.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// What was open: "Spot purchase only", an option's name, or "Best combination".
    pub label: String,
    /// Options open (indices into [`Model::purchasing`]).
    pub open: Vec<usize>,
    /// Where the children are placed.
    pub plan: Plan,
    /// Headline figures; the cost of places includes what the options cost.
    pub summary: Summary,
    /// Children bought by route, at schools an open option covers.
    pub purchases: Vec<Purchase>,
    /// Each open option's use.
    pub uses: Vec<OptionUse>,
    /// £ a year on places at independent and non-maintained schools, with option fees.
    pub independent_spend: Money,
    /// Children at independent and non-maintained schools.
    pub independent_children: f64,
}

impl Evaluation {
    /// Spend a year: places (with option fees) and transport.
    #[must_use]
    pub fn spend(&self) -> Money {
        self.summary.annual_cost()
    }

    /// What the choice minimises: spend plus the policy weights.
    #[must_use]
    pub fn total(&self) -> Money {
        self.summary.weighted_total()
    }

    /// Block places paid for and not used, over every option.
    #[must_use]
    pub fn unused_places(&self) -> f64 {
        self.uses.iter().map(|u| u.unused_places).sum()
    }
}

/// The spot fee of a child of need `n` at school `s`.
fn spot_fee(model: &Model, s: SettingIx, n: Need) -> Money {
    model.setting(s).cost_for(n)
}

/// The least-cost plan for one year with options `open`, checked independently.
///
/// # Errors
/// Solver failure, or an answer that fails its independent check.
pub fn evaluate(
    model: &Model,
    journeys: &JourneyTable,
    open: &[usize],
    label: &str,
    solver: Solver,
) -> Result<Evaluation, Error> {
    let f = Formulation::build_with(model, journeys, Extensions { purchasing: open, ..Extensions::default() });
    let mut program = f.program.clone();
    for (c, t) in program.objective.iter_mut().zip(f.tie_break()) {
        *c += t;
    }
    let values = solve_program(&program, solver)?;
    let mut plan = crate::planning::year_plan::plan_of(model, &f, &values);
    // solve_program hands every program to an LP solver (the network simplex takes none of
    // these), so name the one that solved it.
    plan.solver = solver.lp().name();
    let purchases: Vec<Purchase> = f
        .routes
        .iter()
        .filter(|r| r.column.of(&values) > SMALLEST_FLOW)
        .map(|r| Purchase {
            setting: r.setting,
            need: r.need,
            phase: r.phase,
            route: r.route,
            children: r.column.of(&values),
            price: r.price,
        })
        .collect();
    let uses: Vec<OptionUse> = f
        .options_taken
        .iter()
        .map(|&(o, c)| {
            let taken = c.of(&values).round().max(0.0) as u32;
            let through: Vec<&Purchase> =
                purchases.iter().filter(|p| matches!(p.route, Route::Option(q) | Route::Above(q) if q == o)).collect();
            let children: f64 = through.iter().map(|p| p.children).sum();
            let placement_cost: Money = through.iter().map(|p| p.price * p.children).sum();
            let (fixed_cost, block_places, in_blocks) = match &model.purchasing[o].terms {
                PurchasingTerms::Framework { joining_fee, .. } => (*joining_fee * f64::from(taken), 0.0, 0.0),
                PurchasingTerms::Block { block_places, block_price, .. } => {
                    let in_blocks: f64 =
                        through.iter().filter(|p| p.route == Route::Option(o)).map(|p| p.children).sum();
                    (*block_price * f64::from(taken), block_places * f64::from(taken), in_blocks)
                }
            };
            OptionUse {
                option: o,
                taken,
                children,
                block_places,
                unused_places: (block_places - in_blocks).max(0.0),
                fixed_cost,
                placement_cost,
            }
        })
        .collect();
    let evaluation = priced(model, label, open, plan, purchases, uses);
    let wrong = check(model, journeys, &evaluation, f.program.value_of(&values));
    if !wrong.is_empty() {
        return Err(Error::Check(wrong.join("\n")));
    }
    Ok(evaluation)
}

/// The evaluation's figures, priced from the model (not from the solver's objective).
fn priced(
    model: &Model,
    label: &str,
    open: &[usize],
    plan: Plan,
    purchases: Vec<Purchase>,
    uses: Vec<OptionUse>,
) -> Evaluation {
    let mut summary = plan.summary(model);
    // Children at schools an option covers were priced at the spot fee; price them by route.
    let covered = |s: SettingIx, n: Need, p: Phase| open.iter().any(|&o| model.purchasing[o].covers_at(s, n, p));
    let mut spot_priced = Money(0.0);
    for pl in &plan.placements {
        let d = &model.demand[pl.demand];
        if covered(pl.setting, d.need, d.phase) {
            spot_priced += spot_fee(model, pl.setting, d.need) * pl.children;
        }
    }
    let bought: Money = purchases.iter().map(|p| p.price * p.children).sum();
    let fixed: Money = uses.iter().map(|u| u.fixed_cost).sum();
    summary.placement_cost = summary.placement_cost - spot_priced + bought + fixed;
    let independent = |s: SettingIx| model.setting(s).kind.is_independent();
    let mut independent_spend = Money(0.0);
    let mut independent_children = 0.0;
    for pl in &plan.placements {
        let d = &model.demand[pl.demand];
        if independent(pl.setting) {
            independent_children += pl.children;
            if !covered(pl.setting, d.need, d.phase) {
                independent_spend += spot_fee(model, pl.setting, d.need) * pl.children;
            }
        }
    }
    independent_spend += purchases.iter().filter(|p| independent(p.setting)).map(|p| p.price * p.children).sum();
    independent_spend += uses
        .iter()
        .filter(|u| model.purchasing[u.option].settings.iter().any(|&s| independent(s)))
        .map(|u| u.fixed_cost)
        .sum();
    Evaluation {
        label: label.to_string(),
        open: open.to_vec(),
        plan,
        summary,
        purchases,
        uses,
        independent_spend,
        independent_children,
    }
}

/// What the answer must satisfy, checked outside the solver: the plan as for `solve`;
/// every child at a covered school bought once, by a route open to them, at the option's
/// price; frameworks used only when joined and within their caps; blocks within the
/// places bought; and the solver's optimum equal to the evaluation priced from the model.
fn check(model: &Model, journeys: &JourneyTable, e: &Evaluation, optimum: f64) -> Vec<String> {
    let mut wrong = checking::check_plan(model, journeys, &e.plan);
    let tolerance = |x: f64| 1e-6 * x.abs().max(1.0);
    let mut placed: BTreeMap<(SettingIx, Need, Phase), f64> = BTreeMap::new();
    for pl in &e.plan.placements {
        let d = &model.demand[pl.demand];
        if e.open.iter().any(|&o| model.purchasing[o].covers_at(pl.setting, d.need, d.phase)) {
            *placed.entry((pl.setting, d.need, d.phase)).or_default() += pl.children;
        }
    }
    let mut bought: BTreeMap<(SettingIx, Need, Phase), f64> = BTreeMap::new();
    for p in &e.purchases {
        *bought.entry((p.setting, p.need, p.phase)).or_default() += p.children;
        let fee = spot_fee(model, p.setting, p.need);
        let price = match p.route {
            Route::Spot => Some(fee),
            Route::Option(o) | Route::Above(o)
                if !e.open.contains(&o) || !model.purchasing[o].covers_at(p.setting, p.need, p.phase) =>
            {
                wrong.push(format!("{:.3} children bought through option {o}, which is not open to them", p.children));
                None
            }
            Route::Option(o) => Some(model.purchasing[o].price(fee, p.need, p.phase)),
            Route::Above(o) => match model.purchasing[o].terms {
                PurchasingTerms::Block { above: Some((price, _)), .. } => Some(price),
                _ => {
                    wrong.push(format!("children beyond the blocks of option {o}, which has no such places"));
                    None
                }
            },
        };
        if let Some(price) = price
            && (price.0 - p.price.0).abs() > 1e-6
        {
            wrong.push(format!("a purchase priced {} where the terms give {}", p.price, price));
        }
    }
    for p in e.purchases.iter().filter(|p| matches!(p.route, Route::Option(_))) {
        let Route::Option(o) = p.route else { continue };
        let share = model.purchasing[o].acceptance;
        let there = placed.get(&(p.setting, p.need, p.phase)).copied().unwrap_or(0.0);
        if p.children > share * there + tolerance(there) {
            wrong.push(format!(
                "{:.3} children through {} at {}, above the {share} of {there:.3} its providers accept",
                p.children,
                model.purchasing[o].id,
                model.setting(p.setting).id
            ));
        }
    }
    for (key, &children) in &placed {
        let b = bought.get(key).copied().unwrap_or(0.0);
        if (b - children).abs() > tolerance(children) {
            wrong.push(format!(
                "{:.3} children placed at {} ({} {}) but {b:.3} bought",
                children,
                model.setting(key.0).id,
                model.need_code(key.1),
                model.phase_code(key.2)
            ));
        }
    }
    for u in &e.uses {
        let option = &model.purchasing[u.option];
        let through = |route: Route, s: Option<SettingIx>| -> f64 {
            e.purchases
                .iter()
                .filter(|p| p.route == route && s.is_none_or(|s| p.setting == s))
                .map(|p| p.children)
                .sum()
        };
        match &option.terms {
            PurchasingTerms::Framework { max_children_per_setting, .. } => {
                for &s in &option.settings {
                    let n = through(Route::Option(u.option), Some(s));
                    let cap = if u.taken == 0 { 0.0 } else { max_children_per_setting.unwrap_or(f64::INFINITY) };
                    if n > cap + tolerance(cap) {
                        wrong.push(format!(
                            "{n:.3} children through {} at {}, above {cap}",
                            option.id,
                            model.setting(s).id
                        ));
                    }
                }
            }
            PurchasingTerms::Block { block_places, above, .. } => {
                let n = through(Route::Option(u.option), None);
                let room = block_places * f64::from(u.taken);
                if n > room + tolerance(room) {
                    wrong.push(format!("{n:.3} children in {} blocks of {} with {room} places", u.taken, option.id));
                }
                let beyond = through(Route::Above(u.option), None);
                let most = match (above, u.taken) {
                    (Some((_, m)), t) if t > 0 => *m,
                    _ => 0.0,
                };
                if beyond > most + tolerance(most) {
                    wrong.push(format!("{beyond:.3} children beyond the blocks of {}, above {most}", option.id));
                }
            }
        }
    }
    let total = e.total().0;
    if (total - optimum).abs() > 1e-6 * total.abs().max(1.0) + 0.01 {
        wrong.push(format!(
            "the solver's optimum £{optimum:.2} differs from the plan priced from the model £{total:.2}"
        ));
    }
    wrong
}

/// A model of one year: the planning year of a single-year model, or year `year` of a
/// horizon model (default: its last year, when need is greatest) with that year's need
/// placed afresh (children are not kept where they are).
///
/// # Errors
/// A message naming the years there are, if `year` is not one of them.
pub fn year_model(model: &Model, year: Option<crate::model::SchoolYear>) -> Result<Model, String> {
    let years = crate::planning::forecast::years(model);
    let k = match year {
        None => years.len() - 1,
        Some(y) => years.iter().position(|x| x.year == y).ok_or_else(|| {
            let first = years.first().map(|y| y.year.to_string()).unwrap_or_default();
            let last = years.last().map(|y| y.year.to_string()).unwrap_or_default();
            format!("{y} is not a year planned: expected {first} to {last}")
        })?,
    };
    let mut m = model.for_year(years[k].clone());
    m.policy.objective = crate::model::ObjectiveMode::Weighted;
    Ok(m)
}

/// The model with spot fees at independent and non-maintained schools (and at any school an
/// option covers) raised by `rise` (0.1: 10%). Block sums and framework caps and bands are
/// contracted and stay; a framework discount follows the fee.
#[must_use]
pub fn with_fees_raised(model: &Model, rise: f64) -> Model {
    let mut m = model.clone();
    let covered: Vec<SettingIx> = m.purchasing.iter().flat_map(|o| o.settings.iter().copied()).collect();
    for (i, s) in m.settings.iter_mut().enumerate() {
        if s.kind.is_independent() || covered.contains(&SettingIx(i)) {
            s.cost_per_place = s.cost_per_place * (1.0 + rise);
            for t in &mut s.need_terms {
                t.cost_per_place = t.cost_per_place.map(|c| c * (1.0 + rise));
            }
        }
    }
    m
}

/// Every comparison `commission` makes for one year.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The year.
    pub year: String,
    /// The options in force that year, at that year's prices, as evaluated (an option's
    /// index in an evaluation is into these).
    pub options: Vec<PurchasingOption>,
    /// Spot purchase only, each option alone, then the best combination.
    pub evaluations: Vec<Evaluation>,
    /// For each framework: the discount off spot fees at which it first costs less than
    /// spot purchase alone (with its fees), if one up to 90% does.
    pub break_even: Vec<(usize, Option<f64>)>,
}

/// Spot purchase only, each option alone (with spot purchase), and all options open (the
/// optimiser choosing the best combination); then each framework's break-even discount.
///
/// # Errors
/// As [`evaluate`].
pub fn compare(model: &Model, solver: Solver) -> Result<Comparison, Error> {
    let journeys = JourneyTable::build(model);
    // Spot purchase, each option, and the best combination of two or more.
    let options = crate::observe::counting(crate::observe::Loop::CommissioningOption);
    let total = 1 + model.purchasing.len() + usize::from(model.purchasing.len() > 1);
    options.counted(0, total);
    let mut evaluations = vec![evaluate(model, &journeys, &[], "Spot purchase only", solver)?];
    options.counted(1, total);
    for (o, option) in model.purchasing.iter().enumerate() {
        evaluations.push(evaluate(model, &journeys, &[o], &option.name, solver)?);
        options.counted(2 + o, total);
    }
    let all: Vec<usize> = (0..model.purchasing.len()).collect();
    if all.len() > 1 {
        evaluations.push(evaluate(model, &journeys, &all, "Best combination", solver)?);
        options.counted(total, total);
    }
    drop(options);
    let spot = evaluations[0].total();
    let mut break_even = Vec::new();
    for (o, option) in model.purchasing.iter().enumerate() {
        if option.is_block() {
            continue;
        }
        break_even.push((o, break_even_discount(model, &journeys, o, spot, solver)?));
    }
    Ok(Comparison { year: model.planning_year.to_string(), options: model.purchasing.clone(), evaluations, break_even })
}

/// The least discount off spot fees (to 0.1%) at which framework `o`, with its fees and caps
/// but its price rules replaced by that discount alone, costs less than `spot`.
fn break_even_discount(
    model: &Model,
    journeys: &JourneyTable,
    o: usize,
    spot: Money,
    solver: Solver,
) -> Result<Option<f64>, Error> {
    let at = |discount: f64| -> Result<bool, Error> {
        let mut m = model.clone();
        if let PurchasingTerms::Framework { discount: d, prices, .. } = &mut m.purchasing[o].terms {
            *d = discount;
            prices.clear();
        }
        let e = evaluate(&m, journeys, &[o], "", solver)?;
        Ok(e.total().0 < spot.0 - 0.5)
    };
    let (mut lo, mut hi) = (0.0, 0.9);
    // The two ends, then the halvings (as many whatever the answers).
    let steps = 2 + bisection_steps(lo, hi);
    let told = crate::observe::counting(crate::observe::Loop::Bisection);
    told.counted(0, steps);
    if !at(hi)? {
        return Ok(None);
    }
    told.counted(1, steps);
    if at(lo)? {
        return Ok(Some(0.0));
    }
    let mut done = 2;
    told.counted(done, steps);
    while hi - lo > 0.0005 {
        let mid = 0.5 * (lo + hi);
        if at(mid)? {
            hi = mid
        } else {
            lo = mid
        }
        done += 1;
        told.counted(done, steps.max(done));
    }
    Ok(Some(hi))
}

/// The halvings [`break_even_discount`] makes from `lo` and `hi`: the same whichever half
/// each step keeps, as both halves are as wide.
fn bisection_steps(mut lo: f64, hi: f64) -> usize {
    let mut steps = 0;
    while hi - lo > 0.0005 {
        lo = 0.5 * (lo + hi);
        steps += 1;
    }
    steps
}

/// One case of the sensitivity table: spot purchase only, and the best combination.
#[derive(Debug, Clone)]
pub struct SensitivityCase {
    /// What changed: "As given", "Independent fees +10%", "Demand: high", ...
    pub case: String,
    /// Spot purchase only.
    pub spot: Evaluation,
    /// Every option open.
    pub best: Evaluation,
}

/// For each model (the same year, with fees or demand changed), spot purchase only against
/// every option open.
///
/// # Errors
/// As [`evaluate`].
pub fn sensitivity(cases: &[(String, Model)], solver: Solver) -> Result<Vec<SensitivityCase>, Error> {
    let told = crate::observe::counting(crate::observe::Loop::SensitivityCase);
    told.counted(0, cases.len());
    cases
        .iter()
        .enumerate()
        .map(|(k, (case, m))| {
            let journeys = JourneyTable::build(m);
            let all: Vec<usize> = (0..m.purchasing.len()).collect();
            let one = SensitivityCase {
                case: case.clone(),
                spot: evaluate(m, &journeys, &[], "Spot purchase only", solver)?,
                best: evaluate(m, &journeys, &all, "Best combination", solver)?,
            };
            told.counted(k + 1, cases.len());
            Ok(one)
        })
        .collect()
}

/// The options an evaluation uses (a block contract taken, or another option placing
/// children), each with the blocks taken where more than one may be.
#[must_use]
pub fn options_in_use<'a>(options: &'a [PurchasingOption], e: &Evaluation) -> Vec<(&'a PurchasingOption, Option<u32>)> {
    e.uses
        .iter()
        .filter(|u| u.taken > 0 && (u.children > SMALLEST_FLOW || options[u.option].is_block()))
        .map(|u| {
            let o = &options[u.option];
            let blocks = match o.terms {
                PurchasingTerms::Block { max_blocks, .. } if max_blocks > 1 => Some(u.taken),
                _ => None,
            };
            (o, blocks)
        })
        .collect()
}

/// The options an evaluation uses ("rps + block-a×2"), or "spot purchase only".
#[must_use]
pub fn uses_label(options: &[PurchasingOption], e: &Evaluation) -> String {
    let parts: Vec<String> = options_in_use(options, e)
        .into_iter()
        .map(|(o, blocks)| match blocks {
            Some(taken) => format!("{}×{taken}", o.id),
            None => o.id.clone(),
        })
        .collect();
    if parts.is_empty() { "spot purchase only".into() } else { parts.join(" + ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PriceRuleKind, Provision};
    use crate::testing::ModelBuilder;
    use rstest::rstest;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0) + 0.02
    }

    /// `n` ASD primary children, an independent school 11 km away at £60,000 a year, and a
    /// block contract there: blocks of 5 places at `price`, at most `max_blocks`.
    fn block_case(n: f64, price: f64, max_blocks: u32) -> Model {
        ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("indep", "independent-special", 53.1, -2.0, false, 20.0, "primary", "ASD", 60_000.0)
            .demand("home", "ASD", "primary", n, Provision::SpecialSchool)
            .block("block", "indep", 5.0, price, max_blocks, None)
            .build()
    }

    fn run(model: &Model, open: &[usize]) -> Vec<Evaluation> {
        let journeys = JourneyTable::build(model);
        crate::testing::lp_solvers().into_iter().map(|s| evaluate(model, &journeys, open, "", s).unwrap()).collect()
    }

    #[rstest]
    #[case::four_children_buy_no_block(4.0, 250_000.0, 1, 0, 240_000.0)]
    #[case::five_children_buy_one(5.0, 250_000.0, 1, 1, 250_000.0)]
    #[case::seven_children_one_block_two_spot(7.0, 250_000.0, 2, 1, 370_000.0)]
    #[case::ten_children_two_blocks(10.0, 250_000.0, 2, 2, 500_000.0)]
    fn a_block_is_bought_only_above_a_number_of_children(
        #[case] n: f64,
        #[case] price: f64,
        #[case] max_blocks: u32,
        #[case] blocks: u32,
        #[case] cost: f64,
    ) {
        // By hand: k blocks cost k × price plus £60,000 for each child beyond 5k.
        for e in run(&block_case(n, price, max_blocks), &[0]) {
            assert_eq!(e.uses[0].taken, blocks, "{}", e.plan.solver);
            assert!(close(e.summary.placement_cost.0, cost), "{}: {}", e.plan.solver, e.summary.placement_cost);
            assert!(close(e.summary.unmet, 0.0));
        }
    }

    #[test]
    fn block_choices_match_brute_force_for_every_number_of_children() {
        for price in [220_000.0, 250_000.0, 290_000.0] {
            for n in 0..=12 {
                let n = f64::from(n);
                let best = (0..=2u32)
                    .map(|k| f64::from(k) * price + 60_000.0 * (n - 5.0 * f64::from(k)).max(0.0))
                    .fold(f64::INFINITY, f64::min);
                for e in run(&block_case(n, price, 2), &[0]) {
                    assert!(
                        close(e.summary.placement_cost.0, best),
                        "n {n}, price {price}: {} vs {best}",
                        e.summary.placement_cost
                    );
                    let u = &e.uses[0];
                    assert!(u.children <= u.block_places + 1e-6);
                    assert!(close(u.unused_places, u.block_places - u.children.min(u.block_places)));
                }
            }
        }
    }

    #[test]
    fn unused_block_places_are_counted_and_paid_for() {
        // Nine children, blocks of 5 at £220,000: one block and four at spot cost £460,000,
        // two blocks £440,000 with one place paid for and empty.
        for e in run(&block_case(9.0, 220_000.0, 2), &[0]) {
            assert_eq!(e.uses[0].taken, 2);
            assert!(close(e.uses[0].unused_places, 1.0), "{}", e.uses[0].unused_places);
            assert!(close(e.unused_places(), 1.0));
            assert!(close(e.summary.placement_cost.0, 440_000.0));
            assert!(close(e.uses[0].fixed_cost.0, 440_000.0));
        }
    }

    /// One child; school A (£60,000) 22.2 km away, school B (£64,000) 5.6 km away; transport
    /// £1 a km, two journeys a day, 190 days (so £380 a km each way); a framework covers A.
    fn flip_case(discount: f64, joining_fee: f64) -> Model {
        ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("a", "independent-special", 53.2, -2.0, false, 5.0, "primary", "ASD", 60_000.0)
            .setting("b", "independent-special", 53.05, -2.0, false, 5.0, "primary", "ASD", 64_000.0)
            .transport(0.0, 1.0)
            .demand("home", "ASD", "primary", 1.0, Provision::SpecialSchool)
            .framework("rps", &["a"], "all", "all", discount, joining_fee, 0.0, None)
            .build()
    }

    fn placed_at(model: &Model, e: &Evaluation) -> String {
        assert_eq!(e.plan.placements.len(), 1);
        model.setting(e.plan.placements[0].setting).id.clone()
    }

    #[test]
    fn a_framework_discount_flips_a_placement() {
        let model = flip_case(0.10, 0.0);
        let arcs = Formulation::build(&model, &JourneyTable::build(&model)).arcs;
        let transport = |s: usize| arcs.iter().find(|a| a.setting == SettingIx(s)).unwrap().transport_cost.0;
        let (ta, tb) = (transport(0), transport(1));
        // By hand: A 60,000 + ~8,450 transport; B 64,000 + ~2,110. Spot: B. With 10% off
        // at A: 54,000 + 8,450 < 66,110: A.
        assert!(60_000.0 + ta > 64_000.0 + tb && 54_000.0 + ta < 64_000.0 + tb, "{ta} {tb}");
        for e in run(&model, &[]) {
            assert_eq!(placed_at(&model, &e), "b");
            assert!(close(e.total().0, 64_000.0 + tb));
        }
        for e in run(&model, &[0]) {
            assert_eq!(placed_at(&model, &e), "a");
            assert!(close(e.total().0, 54_000.0 + ta), "{} vs {}", e.total(), 54_000.0 + ta);
            assert_eq!(e.uses[0].taken, 1);
            assert_eq!(e.purchases.len(), 1);
            assert_eq!(e.purchases[0].route, Route::Option(0));
        }
        // A joining fee above the saving keeps the child at B, and the framework unjoined.
        let saving = 64_000.0 + tb - (54_000.0 + ta);
        let model = flip_case(0.10, saving + 100.0);
        for e in run(&model, &[0]) {
            assert_eq!(placed_at(&model, &e), "b");
            assert_eq!(e.uses[0].taken, 0);
        }
        // The break-even discount: the fee of saving + 100 is recovered at A when
        // 60,000 × d > 60,000 + ta − (64,000 + tb) + saving + 100.
        let want = (60_000.0 + ta - 64_000.0 - tb + saving + 100.0) / 60_000.0;
        let journeys = JourneyTable::build(&model);
        let spot = evaluate(&model, &journeys, &[], "", Solver::best()).unwrap().total();
        let got = break_even_discount(&model, &journeys, 0, spot, Solver::best()).unwrap().unwrap();
        assert!((got - want).abs() <= 0.001, "{got} vs {want}");
    }

    #[test]
    fn a_framework_place_a_provider_may_decline_is_bought_at_spot_for_the_rest() {
        // As above, with 2 children and providers accepting half the children offered through
        // the framework: at A half pay the framework's £54,000 and half A's own £60,000, on
        // average £57,000 + the journey, still below B's £64,000 + its journey; so both go to
        // A, one through the framework and one at spot: 54,000 + 60,000 + 2 × journey.
        let mut model = flip_case(0.10, 0.0);
        model.demand[0].children = 2.0;
        model.purchasing[0].acceptance = 0.5;
        let arcs = Formulation::build(&model, &JourneyTable::build(&model)).arcs;
        let ta = arcs.iter().find(|a| a.setting == SettingIx(0)).unwrap().transport_cost.0;
        for e in run(&model, &[0]) {
            assert_eq!(placed_at(&model, &e), "a");
            assert!(close(e.total().0, 114_000.0 + 2.0 * ta), "{} vs {}", e.total(), 114_000.0 + 2.0 * ta);
            let through =
                |route: Route| e.purchases.iter().filter(|p| p.route == route).map(|p| p.children).sum::<f64>();
            assert!(close(through(Route::Option(0)), 1.0) && close(through(Route::Spot), 1.0));
        }
    }

    #[test]
    fn a_contract_runs_its_years_and_its_prices_rise_by_its_uplift() {
        // A framework for 2 years with fees rising 10% a year, and a block contract with no end
        // and 5% a year: in 2026/27 (a year on) the framework's £1,000 joining fee is £1,100
        // and the block's £100,000 is £105,000; in 2027/28 the framework has ended.
        use crate::model::{Contract, PurchasingTerms, SchoolYear, YearInstance};
        let mut model = flip_case(0.10, 1_000.0);
        model.purchasing[0].contract = Contract { years: Some(2), uplift: 0.1 };
        let mut with_block = ModelBuilder::from(model).block("blk", "b", 2.0, 100_000.0, 1, None).build();
        with_block.purchasing[1].contract = Contract { years: None, uplift: 0.05 };
        let year = |y: u16| YearInstance {
            year: SchoolYear(y),
            demand: with_block.demand.clone(),
            places: with_block.settings.iter().map(|s| s.places).collect(),
            staying: Vec::new(),
        };
        let next = with_block.for_year(year(2026));
        assert_eq!(next.purchasing.len(), 2);
        let PurchasingTerms::Framework { joining_fee, .. } = next.purchasing[0].terms else { panic!("framework") };
        assert!(close(joining_fee.0, 1_100.0));
        let PurchasingTerms::Block { block_price, .. } = next.purchasing[1].terms else { panic!("block") };
        assert!(close(block_price.0, 105_000.0));
        let after = with_block.for_year(year(2027));
        assert_eq!(after.purchasing.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), vec!["blk"]);
        // The comparison that year carries the options in force, which its labels name.
        let c = compare(&after, Solver::best()).unwrap();
        assert_eq!(c.options.len(), 1);
        assert!(
            c.evaluations
                .iter()
                .all(|e| uses_label(&c.options, e) == "spot purchase only"
                    || uses_label(&c.options, e).starts_with("blk"))
        );
    }

    #[rstest]
    #[case::discount(0.1, None, 54_000.0)]
    #[case::cap_below(0.0, Some((PriceRuleKind::Cap, 55_000.0)), 55_000.0)]
    #[case::cap_above(0.1, Some((PriceRuleKind::Cap, 58_000.0)), 54_000.0)]
    #[case::band(0.1, Some((PriceRuleKind::Band, 57_500.0)), 57_500.0)]
    fn framework_prices_follow_discount_caps_and_bands(
        #[case] discount: f64,
        #[case] rule: Option<(PriceRuleKind, f64)>,
        #[case] price: f64,
    ) {
        let mut b = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("a", "independent-special", 53.1, -2.0, false, 5.0, "primary", "ASD", 60_000.0)
            .demand("home", "ASD", "primary", 2.0, Provision::SpecialSchool)
            .framework("rps", &["a"], "ASD", "primary", discount, 0.0, 250.0, None);
        if let Some((kind, p)) = rule {
            b = b.price_rule("rps", "ASD", "primary", kind, p);
        }
        let model = b.build();
        for e in run(&model, &[0]) {
            // Two children at the framework price plus £250 each for the placement fee.
            assert!(close(e.summary.placement_cost.0, 2.0 * (price + 250.0)), "{}", e.summary.placement_cost);
        }
    }

    #[test]
    fn a_framework_cap_per_school_sends_the_rest_to_spot() {
        // Four children, framework at 20% off but at most 3 children a school: 3 × 48,000
        // + 60,000.
        let model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("a", "independent-special", 53.1, -2.0, false, 10.0, "primary", "ASD", 60_000.0)
            .demand("home", "ASD", "primary", 4.0, Provision::SpecialSchool)
            .framework("rps", &["a"], "all", "all", 0.2, 0.0, 0.0, Some(3.0))
            .build();
        for e in run(&model, &[0]) {
            assert!(close(e.summary.placement_cost.0, 3.0 * 48_000.0 + 60_000.0));
            assert!(close(e.uses[0].children, 3.0));
        }
    }

    /// A small market with random fees and need: two schools, a framework and two block
    /// contracts (one cost-and-volume).
    fn random_market(seed: u64) -> Model {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut b = ModelBuilder::new()
            .locality("north", 53.3, -2.2, true)
            .locality("south", 53.05, -2.4, true)
            .setting(
                "a",
                "independent-special",
                53.2,
                -2.3,
                false,
                12.0,
                "all",
                "ASD;SEMH",
                55_000.0 + 15_000.0 * next(),
            )
            .setting(
                "b",
                "independent-special",
                53.1,
                -2.2,
                false,
                12.0,
                "all",
                "ASD;SEMH",
                55_000.0 + 15_000.0 * next(),
            )
            .setting("c", "maintained-special", 53.15, -2.3, true, (8.0 * next()).round(), "all", "ASD;SEMH", 24_000.0)
            .transport(1_500.0, 1.0);
        for l in ["north", "south"] {
            for n in ["ASD", "SEMH"] {
                b = b.demand(l, n, "secondary", (6.0 * next()).round(), Provision::SpecialSchool);
            }
        }
        b.framework("rps", &["a", "b"], "all", "all", 0.05 + 0.1 * next(), 20_000.0 * next(), 500.0, Some(6.0))
            .block("block-a", "a", 4.0, 4.0 * 50_000.0 * (0.8 + 0.3 * next()), 2, None)
            .block("volume-b", "b", 3.0, 3.0 * 52_000.0 * (0.8 + 0.3 * next()), 1, Some((57_000.0, 4.0)))
            .build()
    }

    #[test]
    fn all_options_open_cost_the_least_of_every_combination() {
        let mut cheaper = 0;
        for seed in 1..=6 {
            let model = random_market(seed);
            let subsets: Vec<Vec<usize>> =
                (0..8u32).map(|mask| (0..3).filter(|o| mask & (1 << o) != 0).collect()).collect();
            let totals: Vec<f64> = subsets.iter().map(|s| run(&model, s)[0].total().0).collect();
            let least = totals.iter().copied().fold(f64::INFINITY, f64::min);
            for e in run(&model, &[0, 1, 2]) {
                assert!(close(e.total().0, least), "seed {seed} {}: {} vs {least}", e.plan.solver, e.total());
            }
            // Opening an option never costs more: each single one is at least as good as spot.
            for o in 1..4 {
                assert!(totals[1 << (o - 1)] <= totals[0] + 0.02);
            }
            cheaper += usize::from(least < totals[0] - 1.0);
        }
        // The instances are worth testing: options save money in most of them.
        assert!(cheaper >= 4, "options saved money in {cheaper} of 6");
    }
}
