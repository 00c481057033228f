//! Commissioning over the years: each option set planned over every year of the horizon with
//! children staying put, children keeping the terms they were bought on, and block contracts
//! held as signed.
//!
//! Year by year (the horizon's own year models: [`plan_years_with`]), each year's children are
//! bought by the purchase routes of the options open that year, at that year's prices. The
//! children who stay at a covered school, need and phase keep last year's routes there in
//! proportion (a lower bound on each route); a route no longer open (the option ended) puts
//! them on spot, as do children placed before an option started. Providers' acceptance
//! applies to new children only. A block contract's blocks are chosen in its first year and
//! held for its term, used or not: its empty places (voids) are paid for. Kept children beyond
//! a block's room or a framework's cap at a school are bought at spot.

use std::collections::BTreeMap;

use super::{Evaluation, Purchase, Route, evaluate_with};
use crate::model::{Model, Money, Need, Phase, PurchasingOption, PurchasingTerms, SchoolYear, SettingIx, YearsAhead};
use crate::optimise::formulation::{Kept, KeptRoute};
use crate::optimise::plan::SMALLEST_FLOW;
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::planning::horizon::plan_years_with;
use crate::planning::transport_options::{TransportAppraisal, appraise};
use crate::travel::JourneyTable;

/// One option set in one year.
#[derive(Debug, Clone)]
pub struct YearOfSet {
    /// The year.
    pub year: SchoolYear,
    /// The options in force that year, at that year's prices (the evaluation's indices are
    /// into these).
    pub options: Vec<PurchasingOption>,
    /// Each of `options`' index in the model's own options.
    pub model_index: Vec<usize>,
    /// The year evaluated.
    pub evaluation: Evaluation,
    /// Children through options who kept their terms from an earlier year.
    pub kept_through_options: f64,
    /// The model's transport options appraised against the year's plan, at the year's prices
    /// ([`crate::planning::transport_options`]; none without transport options).
    pub transport: Vec<TransportAppraisal>,
}

impl YearOfSet {
    /// Children bought through any option (kept and new).
    #[must_use]
    pub fn through_options(&self) -> f64 {
        self.evaluation.uses.iter().map(|u| u.children).sum()
    }

    /// Children newly bought through an option this year.
    #[must_use]
    pub fn new_through_options(&self) -> f64 {
        (self.through_options() - self.kept_through_options).max(0.0)
    }

    /// Block places paid for.
    #[must_use]
    pub fn block_places(&self) -> f64 {
        self.evaluation.uses.iter().map(|u| u.block_places).sum()
    }

    /// Children in block places (not those beyond the blocks).
    #[must_use]
    pub fn children_in_blocks(&self) -> f64 {
        self.evaluation
            .purchases
            .iter()
            .filter(|p| matches!(p.route, Route::Option(o) if self.options[o].is_block()))
            .map(|p| p.children)
            .sum()
    }

    /// Block places paid for and empty.
    #[must_use]
    pub fn voids(&self) -> f64 {
        self.evaluation.unused_places()
    }
}

/// One option set over every year of the horizon.
#[derive(Debug, Clone)]
pub struct SetOverYears {
    /// "Spot purchase only", an option's name, or "Every option open".
    pub label: String,
    /// Options open (indices into [`Model::purchasing`]), whenever they run.
    pub open: Vec<usize>,
    /// Each year, in order.
    pub years: Vec<YearOfSet>,
}

impl SetOverYears {
    /// Present value of the spend over the years: Σ discount(k) × spend in year k, with
    /// the business case's discount factors ([`crate::model::Appraisal::discount`]).
    #[must_use]
    pub fn present_value(&self, model: &Model) -> Money {
        self.years.iter().enumerate().map(|(k, y)| y.evaluation.spend() * model.appraisal.discount(k)).sum()
    }
}

/// A contract ended at a break point, against kept to its term.
#[derive(Debug, Clone)]
pub struct BreakValue {
    /// A block contract: the blocks held (as chosen in its first year, or held from its
    /// start).
    pub blocks: Option<u32>,
    /// Years after the start at which it ends.
    pub after: u32,
    /// The year notice must be given by.
    pub notice_by: SchoolYear,
    /// Present value of the saving against spot over the years of the full term planned.
    pub saving: Money,
    /// The same, kept to its term.
    pub kept_to_term: Money,
}

/// An option's value over its whole term (the years it runs within the horizon).
#[derive(Debug, Clone)]
pub struct ContractValue {
    /// Index into [`Model::purchasing`].
    pub option: usize,
    /// The years it runs that are planned (0: the first year planned).
    pub years: Vec<usize>,
    /// Present value of the saving against spot purchase only over those years (the option
    /// alone, with spot purchase).
    pub saving: Money,
    /// A block contract: blocks held.
    pub blocks: Option<u32>,
    /// A block contract with blocks held: the block price (at its start) at which the
    /// present value of its spend over those years equals spot purchase's.
    pub break_even_price: Option<Money>,
    /// A block contract: each number of blocks from 1 to its most, held from its start.
    pub held_from_start: Vec<BlocksHeld>,
    /// Ended at each break point.
    pub breaks: Vec<BreakValue>,
}

/// A block contract with a number of blocks held from its start, whatever its first year's
/// children: what a commissioner signing for the term would pay.
#[derive(Debug, Clone)]
pub struct BlocksHeld {
    /// Blocks held.
    pub blocks: u32,
    /// Block places paid for and empty, each year planned.
    pub voids: Vec<f64>,
    /// Saving against spot purchase only, each year planned.
    pub savings: Vec<Money>,
    /// Present value of the saving against spot over the years it runs.
    pub saving: Money,
    /// As [`ContractValue::break_even_price`].
    pub break_even_price: Option<Money>,
}

/// Every option set over the years, and each option's whole-term value.
#[derive(Debug, Clone)]
pub struct OverTheYears {
    /// Spot purchase only, each option alone, then every option open (with two or more).
    pub sets: Vec<SetOverYears>,
    /// Each option's whole-term value.
    pub contracts: Vec<ContractValue>,
}

/// Spot purchase only, each option alone and every option open, each planned over every year
/// of `model`'s horizon with children staying put and keeping their terms; then each option's
/// whole-term value, each block's break-even price and each break point's value.
///
/// # Errors
/// As [`super::evaluate`], for any year.
pub fn over_the_years(ahead: YearsAhead<'_>, solver: Solver) -> Result<OverTheYears, Error> {
    let model = ahead.model();
    let n = model.purchasing.len();
    let mut sets = vec![plan_set(ahead, &[], "Spot purchase only", solver, &[])?];
    for (o, option) in model.purchasing.iter().enumerate() {
        sets.push(plan_set(ahead, &[o], &option.name, solver, &[])?);
    }
    if n > 1 {
        sets.push(plan_set(ahead, &(0..n).collect::<Vec<_>>(), "Every option open", solver, &[])?);
    }
    let first = model.planning_year;
    let spot = &sets[0];
    let mut contracts = Vec::new();
    for (o, option) in model.purchasing.iter().enumerate() {
        let alone = &sets[1 + o];
        let years: Vec<usize> = alone
            .years
            .iter()
            .enumerate()
            .filter(|(_, y)| option.contract.open_in(first, y.year))
            .map(|(k, _)| k)
            .collect();
        let saving = pv_saving(model, spot, alone, &years);
        let blocks = option.is_block().then(|| held_blocks(alone, o)).flatten();
        let break_even_price = blocks.and_then(|t| break_even(model, o, alone, &years, saving, t));
        let mut held_from_start = Vec::new();
        if let PurchasingTerms::Block { max_blocks, .. } = option.terms {
            for t in 1..=max_blocks {
                let set = plan_set(ahead, &[o], &option.name, solver, &[(o, t)])?;
                let saving = pv_saving(model, spot, &set, &years);
                let price = break_even(model, o, &set, &years, saving, t);
                let voids = set.years.iter().map(YearOfSet::voids).collect();
                let savings = spot
                    .years
                    .iter()
                    .zip(&set.years)
                    .map(|(s, y)| s.evaluation.spend() - y.evaluation.spend())
                    .collect();
                held_from_start.push(BlocksHeld { blocks: t, voids, savings, saving, break_even_price: price });
            }
        }
        // Each break point: with the blocks chosen in the first year, and with each number
        // held from the start (a contract ended early frees the council of its blocks).
        let mut breaks = Vec::new();
        let start = option.contract.first_year(first);
        let mut variants: Vec<(Option<u32>, Money)> = vec![(blocks, saving)];
        variants.extend(held_from_start.iter().map(|h| (Some(h.blocks), h.saving)));
        for &after in &option.contract.break_after {
            let mut ended = model.clone();
            ended.purchasing[o].contract.years = Some(after);
            let Some(ended) = ended.years_ahead() else { continue };
            let notice_by = SchoolYear(
                (start.0 + u16::try_from(after).unwrap_or(u16::MAX))
                    .saturating_sub(u16::try_from(option.contract.notice_years).unwrap_or(u16::MAX)),
            );
            for (k, &(held, kept_to_term)) in variants.iter().enumerate() {
                let fixed: Vec<(usize, u32)> =
                    if k == 0 { Vec::new() } else { held.map(|t| (o, t)).into_iter().collect() };
                let set = plan_set(ended, &[o], &option.name, solver, &fixed)?;
                let saving = pv_saving(model, spot, &set, &years);
                breaks.push(BreakValue { blocks: held, after, notice_by, saving, kept_to_term });
            }
        }
        contracts.push(ContractValue { option: o, years, saving, blocks, break_even_price, held_from_start, breaks });
    }
    Ok(OverTheYears { sets, contracts })
}

/// The block price (at the start of block contract `o`) at which the present value of
/// `set`'s spend over `years` equals spot purchase's, with `t` blocks held and the children
/// placed as in `set`: price + saving ÷ (t × Σ discount(k) × (1 + uplift)^(years since the
/// start)), where `saving` is the present value of the saving at the contract's price.
fn break_even(model: &Model, o: usize, set: &SetOverYears, years: &[usize], saving: Money, t: u32) -> Option<Money> {
    let option = &model.purchasing[o];
    let PurchasingTerms::Block { block_price, .. } = option.terms else { return None };
    let growth: f64 = years
        .iter()
        .map(|&k| {
            let since = option.contract.years_in(model.planning_year, set.years[k].year);
            model.appraisal.discount(k) * (1.0 + option.contract.uplift).powi(since)
        })
        .sum();
    (t > 0 && growth > 0.0).then(|| block_price + saving * (1.0 / (f64::from(t) * growth)))
}

/// Present value of `set`'s saving against `spot` over years `years` (0: the first planned).
fn pv_saving(model: &Model, spot: &SetOverYears, set: &SetOverYears, years: &[usize]) -> Money {
    years
        .iter()
        .map(|&k| (spot.years[k].evaluation.spend() - set.years[k].evaluation.spend()) * model.appraisal.discount(k))
        .sum()
}

/// The blocks of option `o` (index into the model's options) held in `set`, if it ran.
fn held_blocks(set: &SetOverYears, o: usize) -> Option<u32> {
    set.years.iter().find_map(|y| {
        let j = y.model_index.iter().position(|&b| b == o)?;
        y.evaluation.uses.iter().find(|u| u.option == j).map(|u| u.taken)
    })
}

/// The options `open` (indices into the model's options) planned over every year.
/// `held`: blocks held from each block contract's start (option, blocks); the others' are
/// chosen in their first year.
fn plan_set(
    ahead: YearsAhead<'_>,
    open: &[usize],
    label: &str,
    solver: Solver,
    held: &[(usize, u32)],
) -> Result<SetOverYears, Error> {
    let model = ahead.model();
    let first = model.planning_year;
    // Last year's purchases (routes by the model's own option indices), and blocks held.
    let mut last: Vec<Purchase> = Vec::new();
    let mut held: BTreeMap<usize, u32> = held.iter().copied().collect();
    let mut solve = |mut m: Model| -> Result<(Model, YearOfSet), Error> {
        m.policy.objective = crate::model::ObjectiveMode::Weighted;
        let year = m.planning_year;
        let model_index: Vec<usize> =
            (0..model.purchasing.len()).filter(|&o| model.purchasing[o].contract.open_in(first, year)).collect();
        debug_assert_eq!(model_index.len(), m.purchasing.len());
        let open_now: Vec<usize> = (0..model_index.len()).filter(|&j| open.contains(&model_index[j])).collect();
        let routes = kept_routes(&m, &open_now, &model_index, &last, &held);
        let blocks: Vec<(usize, u32)> =
            open_now.iter().filter_map(|&j| held.get(&model_index[j]).map(|&t| (j, t))).collect();
        let journeys = JourneyTable::build(&m);
        let kept = Kept { routes: &routes, blocks: &blocks };
        let evaluation = evaluate_with(&m, &journeys, &open_now, label, solver, kept)?;
        for u in &evaluation.uses {
            if m.purchasing[u.option].is_block() {
                held.entry(model_index[u.option]).or_insert(u.taken);
            }
        }
        last = evaluation
            .purchases
            .iter()
            .map(|p| Purchase { route: in_model(p.route, &model_index), ..p.clone() })
            .collect();
        let kept_through_options = routes.iter().filter(|r| r.route != Route::Spot).map(|r| r.children).sum();
        let options = m.purchasing.clone();
        let transport = appraise(&m, &evaluation.plan);
        Ok((m, YearOfSet { year, options, model_index, evaluation, kept_through_options, transport }))
    };
    let (years, _) = plan_years_with(ahead, None, None, &mut |_, _| {}, &mut solve, |(m, y)| (m, &y.evaluation.plan))?;
    Ok(SetOverYears {
        label: label.to_string(),
        open: open.to_vec(),
        years: years.into_iter().map(|y| y.solved.1).collect(),
    })
}

/// A route of a year's options as a route of the model's own (`model_index`).
fn in_model(route: Route, model_index: &[usize]) -> Route {
    match route {
        Route::Spot => Route::Spot,
        Route::Option(j) => Route::Option(model_index[j]),
        Route::Above(j) => Route::Above(model_index[j]),
    }
}

/// A route of the model's options as one of this year's `open` options, if open.
fn in_year(route: Route, model_index: &[usize], open: &[usize]) -> Option<Route> {
    let year = |o: usize| model_index.iter().position(|&b| b == o).filter(|j| open.contains(j));
    match route {
        Route::Spot => Some(Route::Spot),
        Route::Option(o) => year(o).map(Route::Option),
        Route::Above(o) => year(o).map(Route::Above),
    }
}

type Key = (SettingIx, Need, Phase);

/// The routes this year's stayers at covered schools keep: last year's routes there in
/// proportion (`last`, by the model's option indices), spot where a route is no longer open
/// or there were none; then each block's room (`held`) and each framework's cap per school
/// kept to, the rest on spot.
fn kept_routes(
    m: &Model,
    open: &[usize],
    model_index: &[usize],
    last: &[Purchase],
    held: &BTreeMap<usize, u32>,
) -> Vec<KeptRoute> {
    if open.is_empty() {
        return Vec::new();
    }
    let mut stayers: BTreeMap<Key, f64> = BTreeMap::new();
    for st in &m.staying {
        let d = &m.demand[st.demand];
        if open.iter().any(|&j| m.purchasing[j].covers_at(st.setting, d.need, d.phase)) {
            *stayers.entry((st.setting, d.need, d.phase)).or_default() += st.children;
        }
    }
    let mut before: BTreeMap<Key, Vec<(Route, f64)>> = BTreeMap::new();
    for p in last {
        before.entry((p.setting, p.need, p.phase)).or_default().push((p.route, p.children));
    }
    let mut out = Vec::new();
    // A hair under the stayers, so round-off never asks for more than stay.
    let shave = 1.0 - 1e-9;
    for (&(setting, need, phase), &n) in &stayers {
        let routes = before.get(&(setting, need, phase)).map_or(&[][..], Vec::as_slice);
        let total: f64 = routes.iter().map(|r| r.1).sum();
        let mut push = |route: Route, children: f64| {
            if children > 0.0 {
                out.push(KeptRoute { setting, need, phase, route, children: children * shave });
            }
        };
        if total <= SMALLEST_FLOW {
            push(Route::Spot, n);
            continue;
        }
        for &(route, children) in routes {
            push(in_year(route, model_index, open).unwrap_or(Route::Spot), n * children / total);
        }
    }
    for &j in open {
        let option = &m.purchasing[j];
        match &option.terms {
            PurchasingTerms::Block { block_places, above, .. } => {
                let blocks = f64::from(held.get(&model_index[j]).copied().unwrap_or(0));
                within(&mut out, |r| r.route == Route::Option(j), block_places * blocks);
                let most = above.map_or(0.0, |(_, most)| if blocks > 0.0 { most } else { 0.0 });
                within(&mut out, |r| r.route == Route::Above(j), most);
            }
            PurchasingTerms::Framework { max_children_per_setting, .. } => {
                for &s in &option.settings {
                    let places = m.setting(s).places;
                    let cap = max_children_per_setting.map_or(places, |c| c.min(places));
                    within(&mut out, |r| r.route == Route::Option(j) && r.setting == s, cap);
                }
            }
        }
    }
    out
}

/// The kept routes `pick` chooses scaled down to `room` in all, the rest kept on spot.
fn within(out: &mut Vec<KeptRoute>, pick: impl Fn(&KeptRoute) -> bool, room: f64) {
    let total: f64 = out.iter().filter(|r| pick(r)).map(|r| r.children).sum();
    if total <= room {
        return;
    }
    let keep = room.max(0.0) / total;
    let mut spot = Vec::new();
    for r in out.iter_mut().filter(|r| pick(r)) {
        spot.push(KeptRoute { route: Route::Spot, children: r.children * (1.0 - keep), ..*r });
        r.children *= keep;
    }
    out.extend(spot);
}

/// The checks of kept terms (for [`super::check`]): each kept route carries at least its
/// kept children, and each held block is held.
pub(super) fn check_kept(model: &Model, e: &Evaluation, kept: Kept<'_>, wrong: &mut Vec<String>) {
    for k in kept.routes {
        let bought: f64 = e
            .purchases
            .iter()
            .filter(|p| p.setting == k.setting && p.need == k.need && p.phase == k.phase && p.route == k.route)
            .map(|p| p.children)
            .sum();
        if bought < k.children - 1e-6 * k.children.max(1.0) {
            wrong.push(format!(
                "{bought:.3} children bought by {:?} at {} where {:.3} keep their terms",
                k.route,
                model.setting(k.setting).id,
                k.children
            ));
        }
    }
    for &(o, blocks) in kept.blocks {
        if let Some(u) = e.uses.iter().find(|u| u.option == o)
            && u.taken != blocks
        {
            wrong.push(format!("{} blocks of {} bought where {blocks} are held", u.taken, model.purchasing[o].id));
        }
    }
}

#[cfg(test)]
mod tests;
