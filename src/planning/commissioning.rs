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
use crate::optimise::formulation::{Extensions, Formulation, Kept};
use crate::optimise::plan::{Plan, SMALLEST_FLOW, Summary};
use crate::optimise::program::LinearProgram;
use crate::optimise::run::Error;
use crate::optimise::solve::{SolveError, Solver, solve_program};
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
    /// Where the best combination's search stopped at a stated gap ([`compare_within`]):
    /// the least the spend and weights of any combination could be. `None` when this plan
    /// is proven the least.
    pub best_possible: Option<Money>,
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

    /// How close this plan is to the least possible, as `schemes` says it of a portfolio:
    /// proven best, or within its bound ([`Evaluation::best_possible`]).
    #[must_use]
    pub fn proof(&self) -> crate::planning::schemes::Proof {
        use crate::planning::schemes::Proof;
        self.best_possible.map_or(Proof::Best, |bound| Proof::Within { value: self.total(), bound })
    }

    /// How far the spend and weights may be above the best possible, in £ and as a share
    /// of them; `None` when proven the least.
    #[must_use]
    pub fn gap(&self) -> Option<(Money, f64)> {
        let bound = self.best_possible?;
        let gap = self.total() - bound;
        Some((gap, gap.0 / self.total().0.abs().max(1.0)))
    }
}

/// The gap `commission` stops the best combination's search at unless told otherwise
/// ([`compare_within`]): none, so the answer is proven best wherever the master's search
/// settles within its limit of relaxations (a gap of 0.05% gave the sample a dearer
/// combination, £4,400 a year above the best; see README, "The planning commands at scale").
pub const DEFAULT_GAP: f64 = 0.0;

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
    evaluate_with(model, journeys, open, label, solver, Kept::default())
}

/// As [`evaluate`], with terms `kept` from earlier years: children on the routes they were
/// bought by, and blocks held ([`years`]).
///
/// # Errors
/// As [`evaluate`].
pub fn evaluate_with(
    model: &Model,
    journeys: &JourneyTable,
    open: &[usize],
    label: &str,
    solver: Solver,
    kept: Kept<'_>,
) -> Result<Evaluation, Error> {
    let f = Formulation::build_with(model, journeys, Extensions { purchasing: open, kept, ..Extensions::default() });
    let mut program = f.program.clone();
    for (c, t) in program.objective.iter_mut().zip(f.tie_break()) {
        *c += t;
    }
    let values = solve_whole(&program, solver)?;
    // solve_program hands every program to an LP solver (the network simplex takes none of
    // these), so name the one that solved it.
    evaluation_of(model, journeys, &f, &values, (open, kept), label, solver.lp().name())
}

/// `program` solved by `solver`; where its branch and bound fails, by [`by_each_choice`].
///
/// # Errors
/// The solver's failure, where the choices are too many to try one by one.
pub(super) fn solve_whole(program: &LinearProgram, solver: Solver) -> Result<Vec<f64>, SolveError> {
    solve_program(program, solver).or_else(|failed| by_each_choice(program, solver).ok_or(failed))
}

/// Most whole-number choices [`by_each_choice`] tries one by one.
const MOST_CHOICES_TRIED: usize = 4096;

/// Where the solver's branch and bound fails on `program` (microlp can, on a framework at a
/// market step with no limit of places), its optimum found by fixing each choice of its
/// whole-number columns (frameworks joined, blocks bought) in turn and solving what is left,
/// a linear program, keeping the least; the first of equals in the order tried. `None` if
/// the choices are more than [`MOST_CHOICES_TRIED`] or a linear program fails.
fn by_each_choice(program: &LinearProgram, solver: Solver) -> Option<Vec<f64>> {
    let whole: Vec<usize> = (0..program.columns.len()).filter(|&c| program.integer[c]).collect();
    let counts: Vec<usize> = whole
        .iter()
        .map(|&c| (program.upper[c].min(1e6) - program.lower[c].ceil()).floor().max(-1.0) as i64 + 1)
        .map(|n| usize::try_from(n).unwrap_or(0))
        .collect();
    let total = counts.iter().try_fold(1usize, |acc, &n| acc.checked_mul(n).filter(|&t| t <= MOST_CHOICES_TRIED))?;
    let mut fixed = program.clone();
    for &c in &whole {
        fixed.integer[c] = false;
    }
    let mut best: Option<(f64, Vec<f64>)> = None;
    for k in 0..total {
        let mut rest = k;
        for (&c, &n) in whole.iter().zip(&counts) {
            let v = program.lower[c].ceil() + (rest % n) as f64;
            rest /= n;
            fixed.lower[c] = v;
            fixed.upper[c] = v;
        }
        // A choice that leaves no plan (a held block's room below its children kept) is skipped.
        let Ok(values) = solve_program(&fixed, solver) else { continue };
        let value = fixed.value_of(&values);
        if best.as_ref().is_none_or(|(b, _)| value < *b - 1e-9 * b.abs().max(1.0)) {
            best = Some((value, values));
        }
    }
    best.map(|(_, values)| values)
}

/// The evaluation of options `open` from `values` of `f` (a program with at least those
/// options open; any other option's routes carry no children), checked independently.
fn evaluation_of(
    model: &Model,
    journeys: &JourneyTable,
    f: &Formulation,
    values: &[f64],
    (open, kept): (&[usize], Kept<'_>),
    label: &str,
    solver: &'static str,
) -> Result<Evaluation, Error> {
    let mut plan = crate::planning::year_plan::plan_of(model, f, values);
    plan.solver = solver;
    let is_open = |route: Route| match route {
        Route::Spot => true,
        Route::Option(o) | Route::Above(o) => open.contains(&o),
    };
    let purchases: Vec<Purchase> = f
        .routes
        .iter()
        .filter(|r| r.column.of(values) > SMALLEST_FLOW)
        .filter(|r| is_open(r.route) && open.iter().any(|&o| model.purchasing[o].covers_at(r.setting, r.need, r.phase)))
        .map(|r| Purchase {
            setting: r.setting,
            need: r.need,
            phase: r.phase,
            route: r.route,
            children: r.column.of(values),
            price: r.price,
        })
        .collect();
    let uses: Vec<OptionUse> = f
        .options_taken
        .iter()
        .filter(|(o, _)| open.contains(o))
        .map(|&(o, c)| {
            let taken = c.of(values).round().max(0.0) as u32;
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
    let wrong = check(model, journeys, &evaluation, f.program.value_of(values), kept);
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
        best_possible: None,
    }
}

/// What the answer must satisfy, checked outside the solver: the plan as for `solve`;
/// every child at a covered school bought once, by a route open to them, at the option's
/// price; frameworks used only when joined and within their caps; blocks within the
/// places bought; children keeping their terms (`kept`) on their routes, providers'
/// acceptance applied to new children only, and held blocks held; and the solver's optimum
/// equal to the evaluation priced from the model.
fn check(model: &Model, journeys: &JourneyTable, e: &Evaluation, optimum: f64, kept: Kept<'_>) -> Vec<String> {
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
        // Providers accept a share of the new children only: kept ones are bought already.
        let (kept_here, kept_all) =
            (kept.at(p.setting, p.need, p.phase, Some(p.route)), kept.at(p.setting, p.need, p.phase, None));
        if p.children - kept_here > share * (there - kept_all) + tolerance(there) {
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
    years::check_kept(model, e, kept, &mut wrong);
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
/// With the network simplex (`solver`), and where the options make a network once their
/// whole-number choices are fixed, each choice is placed as a minimum-cost flow and the
/// whole numbers are chosen by trying each (an option alone) or by cuts (every option open):
/// [`choose`]. Otherwise, and with any other solver, each option set is one mixed-integer
/// program. Both give the same optimum, proven best ([`compare_within`] may stop sooner).
///
/// # Errors
/// As [`evaluate`].
pub fn compare(model: &Model, solver: Solver) -> Result<Comparison, Error> {
    compare_within(model, solver, 0.0)
}

/// As [`compare`], the best combination's search by cuts stopping once the best found is
/// within `gap` (a share, 0 for proven best) of the least any combination could cost; its
/// evaluation says how far that may be ([`Evaluation::gap`]).
///
/// # Errors
/// As [`evaluate`].
pub fn compare_within(model: &Model, solver: Solver, gap: f64) -> Result<Comparison, Error> {
    compare_on(model, &Prepared::new(model, solver)?, solver, gap)
}

/// One year's options laid out once for `commission`'s stages: the journeys and, with the
/// network simplex where the options make one, the network each fixed choice is placed on
/// ([`compare_on`], [`break_evens_on`], and repriced for the fee rises of
/// [`sensitivity_on`]).
pub struct Prepared {
    journeys: JourneyTable,
    net: Option<fixed::OptionNetwork>,
}

impl Prepared {
    /// `model`'s journeys and, where `solver` is the network simplex and the options make a
    /// network, that network with spot purchase solved.
    ///
    /// # Errors
    /// If the network simplex fails.
    pub fn new(model: &Model, solver: Solver) -> Result<Prepared, Error> {
        let journeys = JourneyTable::build(model);
        let net = by_flow(model, &journeys, solver)?;
        Ok(Prepared { journeys, net })
    }
}

/// [`compare_within`] on `prepared` (of `model` and `solver`).
///
/// # Errors
/// As [`evaluate`].
pub fn compare_on(model: &Model, prepared: &Prepared, solver: Solver, gap: f64) -> Result<Comparison, Error> {
    let journeys = &prepared.journeys;
    let net = prepared.net.as_ref();
    // Spot purchase, each option, and the best combination of two or more.
    let options = crate::observe::counting(crate::observe::Loop::CommissioningOption);
    let total = 1 + model.purchasing.len() + usize::from(model.purchasing.len() > 1);
    options.counted(0, total);
    // Each option alone's choices, placed once: the best combination's cuts start from them.
    let mut seeds = net.map(choose::Seeds::new);
    let mut evaluations = vec![option_set(model, journeys, net, &[], "Spot purchase only", solver, &mut seeds)?];
    options.counted(1, total);
    for (o, option) in model.purchasing.iter().enumerate() {
        evaluations.push(option_set(model, journeys, net, &[o], &option.name, solver, &mut seeds)?);
        options.counted(2 + o, total);
    }
    let all: Vec<usize> = (0..model.purchasing.len()).collect();
    if all.len() > 1 {
        let set = OptionSet { journeys, net, open: &all, label: "Best combination", solver, gap };
        evaluations.push(option_set_within(model, &set, &mut seeds)?);
        options.counted(total, total);
    }
    drop(options);
    let spot = evaluations[0].total();
    let mut break_even = Vec::new();
    for (o, option) in model.purchasing.iter().enumerate() {
        if option.is_block() {
            continue;
        }
        let found = match net {
            Some(net) => break_even_by_flow(model, net, o, spot)?,
            None => break_even_discount(model, journeys, o, spot, solver)?,
        };
        break_even.push((o, found));
    }
    Ok(Comparison { year: model.planning_year.to_string(), options: model.purchasing.clone(), evaluations, break_even })
}

/// The options of `model` as a network for each fixed choice, when `solver` is the network
/// simplex and they make one.
fn by_flow(model: &Model, journeys: &JourneyTable, solver: Solver) -> Result<Option<fixed::OptionNetwork>, Error> {
    if solver != Solver::Network || model.purchasing.is_empty() {
        return Ok(None);
    }
    fixed::OptionNetwork::new(model, journeys)
}

/// The least-cost plan with options `open`: by the network `net` where given (no option,
/// one, or all), else by [`evaluate`]. `seeds` (with `net`): each option alone placed so far,
/// which the best combination's cuts start from (and take). The best combination's search
/// stops at [`DEFAULT_GAP`] (the sensitivity's cases; not yet given `--gap`).
fn option_set(
    model: &Model,
    journeys: &JourneyTable,
    net: Option<&fixed::OptionNetwork>,
    open: &[usize],
    label: &str,
    solver: Solver,
    seeds: &mut Option<choose::Seeds>,
) -> Result<Evaluation, Error> {
    let set = OptionSet { journeys, net, open, label, solver, gap: DEFAULT_GAP };
    option_set_within(model, &set, seeds)
}

/// An option set to evaluate, and how: [`option_set_within`].
#[derive(Clone, Copy)]
struct OptionSet<'a> {
    journeys: &'a JourneyTable,
    net: Option<&'a fixed::OptionNetwork>,
    open: &'a [usize],
    label: &'a str,
    solver: Solver,
    /// Where the best combination's search by cuts may stop ([`compare_within`]).
    gap: f64,
}

/// As [`option_set`], the best combination's search stopping at `set.gap`.
fn option_set_within(
    model: &Model,
    set: &OptionSet<'_>,
    seeds: &mut Option<choose::Seeds>,
) -> Result<Evaluation, Error> {
    let OptionSet { journeys, net, open, label, solver, gap } = *set;
    let Some(net) = net else { return evaluate(model, journeys, open, label, solver) };
    let (placed, bound) = match open {
        [] => (net.place(&vec![0; net.most.len()])?, None),
        [o] => (choose::alone(net, *o, seeds.get_or_insert_with(|| choose::Seeds::new(net)))?, None),
        _ if open.len() == model.purchasing.len() => {
            let taken = seeds.take().unwrap_or_else(|| choose::Seeds::new(net));
            let best = choose::best(net, gap, taken)?;
            let bound = (best.bound < best.placed.value).then_some(best.bound);
            (best.placed, bound)
        }
        _ => return evaluate(model, journeys, open, label, solver),
    };
    let mut e =
        evaluation_of(model, journeys, &net.f, &placed.values, (open, Kept::default()), label, Solver::Network.name())?;
    // The bound is of the value with the tie-break (far below £1): the same gap below the total.
    e.best_possible = bound.map(|b| e.total() - Money(placed.value - b));
    Ok(e)
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

mod break_even;
mod choose;
mod fixed;
mod scope;
mod sensitivity;
#[cfg(test)]
pub(crate) mod tests;
mod warm;
pub mod years;

pub use break_even::{BlockPrice, BreakEvens, break_even_acceptance, break_evens, break_evens_on};
use break_even::{break_even_by_flow, break_even_discount};
pub use scope::{LeftOut, MOST_COLUMNS, Scope};
pub use sensitivity::{Case, SensitivityCase, sensitivity, sensitivity_on, sensitivity_once_signed, with_acceptance};
