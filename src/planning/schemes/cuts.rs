//! Choosing a portfolio by cuts (Benders decomposition), each year placed by the network
//! simplex.
//!
//! With the modules of every scheme fixed, the schemes program falls apart into one
//! placement program per year and forecast variant, each a minimum-cost flow in which a
//! scheme's pools are caps of places per module × modules built
//! ([`crate::optimise::flow::solve_with_modules`]). Its optimum `Q(m)`, as a function of the
//! modules `m`, is convex and piecewise linear (the value of a linear program as its
//! right-hand sides move), and the prices of the pool rows give a slope: for any `m'`,
//! `Q(m') ≥ Q(m) + Σⱼ gⱼ (m'ⱼ − mⱼ)`, with `gⱼ` the sum over scheme `j`'s pools of the row's
//! price × its places per module. That is a cut.
//!
//! The master program chooses the modules (whole numbers, within every rule, budget and
//! choice of the full program) and one estimate `θ` per year and variant, bounded below by the
//! cuts found so far; at any portfolio its value is at most the portfolio's true cost, and
//! equal at a portfolio placed. Each portfolio it gives is placed year by year (exactly, by
//! the network simplex), which gives one new cut per year, tight at that portfolio. The
//! master is not solved to its optimum each round ([`super::master`]): it is asked for a
//! portfolio whose value is below the best placed cost less a tolerance, found by a branch and
//! bound that stops at the first; when there is none, no portfolio does better than the best
//! placed (to that tolerance, a billionth). Each round places a new portfolio (or finds a
//! placed one better than the best), and there are finitely many, so this ends. Asked for a
//! gap (`schemes --gap`), the master is asked for a portfolio below the best less that share
//! of it, so the rounds end sooner, with the least any portfolio can cost (the last search's
//! bound) to say how far the best placed may be from the best possible.
//!
//! The answer is the same as the full program's (the tests check against it and against
//! every portfolio priced on its own): each year's objective is the full program's share of
//! it, the tie-break charges included.

use std::collections::HashMap;
use std::sync::Arc;

use super::block_cache::{self, HeldYear, WarmYears};
use super::master;
use super::{Appraiser, Choice, Portfolio};
use crate::optimise::flow;
use crate::optimise::program::{LinearProgram, Row, Sense};
use crate::optimise::run::Error;
use crate::optimise::solve::{Solver, solve_program};

/// Cut rows are held in £ millions, so that the master's solver sees numbers near 1.
pub(super) const CUT_SCALE: f64 = 1e6;
/// Slopes below this (£ a module) come from the tie-break charges, not from places: a cut
/// leaves them out, lowered to stay valid.
const SMALLEST_SLOPE: f64 = 1.0;
/// How far below the best placed portfolio's value the master must find a portfolio for it
/// to count as better: a billionth of the value (at least £0.000001), above the master's
/// rounding and below any difference the tie-break charges make between portfolios (and, as
/// commissioning's cuts use it too, between choices of options).
pub(crate) fn tolerance(value: f64) -> f64 {
    1e-9 * value.abs().max(1e3)
}
/// The most rounds of cuts on the master without whole numbers before those with them
/// ([`Appraiser::first_cuts_relaxed`]).
const RELAXED_ROUNDS: usize = 30;

/// A master ready to solve: the program, each block's estimate column, the portfolios
/// placed so far.
pub(super) type Start = (LinearProgram, Vec<usize>, HashMap<Portfolio, Placed>);

/// The best portfolio the cuts found (or its placing), its value, and a lower bound on any
/// portfolio's value under the same choice.
#[derive(Debug, Clone)]
pub(super) struct Chosen<T> {
    /// The portfolio, or its placing.
    pub chosen: T,
    /// Its value as the rounds count it.
    pub value: f64,
    /// No portfolio's value is below this.
    pub bound: f64,
}

/// How each year's placement cost is weighed, per block (variant and year).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Weights {
    /// Multiplies the year's weighted cost (the discount factor, and the variant's share).
    pub cost: f64,
    /// Multiplies the year's tie-break charge.
    pub tie: f64,
}

/// A portfolio placed year by year.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    /// A value per column of the full program.
    pub values: Vec<f64>,
    /// Per block: its weighted cost at the optimum.
    pub cost: Vec<f64>,
    /// Per block, per scheme: the slope of its cost in the scheme's modules.
    pub slope: Vec<Vec<f64>>,
}

/// One block (a year of a variant) placed: its program's values, its weighted cost and the
/// slope of that cost in each scheme's modules.
#[derive(Debug, Clone)]
struct BlockPlaced {
    values: Vec<f64>,
    cost: f64,
    slope: Vec<f64>,
}

/// A block's place in the order of blocks, and how its placing ended.
type BlockResult = (usize, Result<Option<BlockPlaced>, Error>);

/// A block's objective under weights `w`: its weighted cost and tie-break charges, the
/// modules columns (fixed, and costed by the master) at 0.
pub(super) fn block_objective(block: &super::program::Block, w: Weights) -> Vec<f64> {
    let f = &block.formulation;
    let tie = f.tie_break();
    let mut objective: Vec<f64> = f.program.objective.iter().zip(tie).map(|(o, t)| w.cost * o + w.tie * t).collect();
    for m in f.scheme_modules.iter().flatten() {
        objective[m.0] = 0.0;
    }
    objective
}

/// Places `portfolio` in block `b` with weights `w` by the network simplex, from the last
/// tree of that block and weights in `warm` when there is one ([`flow::WarmYear`]); `None`
/// if the year's program is not a network.
fn place_block(
    b: usize,
    block: &super::program::Block,
    portfolio: &Portfolio,
    w: Weights,
    warm: &WarmYears,
) -> Result<Option<BlockPlaced>, Error> {
    let f = &block.formulation;
    let tie = f.tie_break();
    let objective = block_objective(block, w);
    let mut year = warm.take(b, w.cost, w.tie).or_else(|| {
        let most: Vec<u32> = block.model.schemes.iter().map(|s| s.max_modules).collect();
        flow::WarmYear::build(&block.model, f, &most, &objective, tie)
    });
    let solved = match year.as_mut() {
        Some(year) => Some(year.place(&portfolio.0)),
        None => flow::solve_with_modules(&block.model, f, &portfolio.0, std::slice::from_ref(&objective), Some(tie)),
    };
    if let Some(year) = year {
        warm.put(b, w.cost, w.tie, year);
    }
    let Some(solved) = solved else { return Ok(None) };
    let solved = solved.map_err(crate::optimise::solve::SolveError::from)?;
    let cost = objective.iter().zip(&solved.values).map(|(o, v)| o * v).sum();
    let mut g = vec![0.0; portfolio.0.len()];
    for r in &f.pool_rows {
        let m = f.scheme_modules[r.scheme].expect("a pool row has a modules column").0;
        let row = &f.program.rows[r.row.0];
        let per_module = -row.terms.iter().find(|&&(c, _)| c == m).map_or(0.0, |t| t.1);
        g[r.scheme] += r.row.of(&solved.row_prices) * per_module;
    }
    Ok(Some(BlockPlaced { values: solved.values, cost, slope: g }))
}

impl Appraiser {
    /// Places `portfolio` in every block given weights (`None`: left out), each year by the
    /// network simplex. `None` if some year's program is not a network.
    ///
    /// # Errors
    /// If the network simplex fails.
    pub(super) fn place(&self, portfolio: &Portfolio, weights: &[Option<Weights>]) -> Result<Option<Placed>, Error> {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        self.place_on(portfolio, weights, threads)
    }

    /// [`Appraiser::place`] on at most `threads` threads: the years (and variants) are
    /// placed apart, each by its own network simplex, so they may be placed at once; the
    /// answer is the same whatever the threads (each block's solve is deterministic and
    /// its results are gathered in block order).
    ///
    /// # Errors
    /// If the network simplex fails.
    pub(super) fn place_on(
        &self,
        portfolio: &Portfolio,
        weights: &[Option<Weights>],
        threads: usize,
    ) -> Result<Option<Placed>, Error> {
        let blocks: Vec<&super::program::Block> = self.futures.iter().flat_map(|f| &f.years).collect();
        // Each block with weights: held from an earlier portfolio, or to be placed.
        let mut held: Vec<Option<Arc<HeldYear>>> = vec![None; blocks.len()];
        let mut jobs: Vec<(usize, &super::program::Block, Weights)> = Vec::new();
        for (b, (block, w)) in blocks.iter().zip(weights).enumerate() {
            let Some(w) = *w else { continue };
            held[b] = self.placed_blocks.get(&block_cache::key(b, block, portfolio, w.cost, w.tie));
            if held[b].is_none() {
                jobs.push((b, block, w));
            }
        }
        let threads = threads.clamp(1, jobs.len().max(1));
        let mut solved: Vec<Option<BlockPlaced>> = vec![None; jobs.len()];
        if threads == 1 {
            for (slot, &(b, block, w)) in solved.iter_mut().zip(&jobs) {
                let Some(p) = place_block(b, block, portfolio, w, &self.warm_years)? else { return Ok(None) };
                *slot = Some(p);
            }
        } else {
            // Thread t places jobs t, t + threads, t + 2 × threads, ...
            let results: Vec<Vec<BlockResult>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let jobs = &jobs;
                        let warm = &self.warm_years;
                        scope.spawn(move || {
                            (t..jobs.len())
                                .step_by(threads)
                                .map(|i| (i, place_block(jobs[i].0, jobs[i].1, portfolio, jobs[i].2, warm)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().expect("a placing thread ends")).collect()
            });
            let mut results: Vec<BlockResult> = results.into_iter().flatten().collect();
            results.sort_by_key(|r| r.0);
            for (i, result) in results {
                let Some(p) = result? else { return Ok(None) };
                solved[i] = Some(p);
            }
        }
        for (&(b, block, w), p) in jobs.iter().zip(solved) {
            let p = p.expect("each block to place placed");
            let year = Arc::new(HeldYear::new(&p.values, p.cost, p.slope));
            self.placed_blocks.put(block_cache::key(b, block, portfolio, w.cost, w.tie), Arc::clone(&year));
            held[b] = Some(year);
        }
        // The blocks' values that are not zero (the rest are), then the portfolio's own
        // columns (a block held from another portfolio may hold other modules of a scheme
        // whose places it does not hold).
        let mut values = vec![0.0; self.program.columns.len()];
        let mut cost = Vec::new();
        let mut slope = Vec::new();
        for (block, year) in blocks.iter().zip(&held) {
            let Some(year) = year else {
                cost.push(0.0);
                slope.push(vec![0.0; portfolio.0.len()]);
                continue;
            };
            for &(c, v) in &year.values {
                values[block.at[c as usize]] = v;
            }
            cost.push(year.cost);
            slope.push(year.slope.clone());
        }
        for (j, &m) in portfolio.0.iter().enumerate() {
            values[self.built[j]] = f64::from(u8::from(m > 0));
            values[self.modules[j]] = f64::from(m);
        }
        Ok(Some(Placed { values, cost, slope }))
    }

    /// The blocks' weights for variant `v` alone: its years discounted, with the tie-break
    /// charges as the full program has them; the other variants left out.
    pub(super) fn variant_weights(&self, v: usize) -> Vec<Option<Weights>> {
        let share = 1.0 / self.futures.len() as f64;
        self.futures
            .iter()
            .enumerate()
            .flat_map(|(u, f)| f.years.iter().map(move |b| (u, b)))
            .map(|(u, b)| (u == v).then(|| Weights { cost: self.weight(b.k), tie: share }))
            .collect()
    }

    /// The blocks' weights when every variant counts by its share (the full program's).
    pub(super) fn expected_weights(&self) -> Vec<Option<Weights>> {
        let share = 1.0 / self.futures.len() as f64;
        self.futures
            .iter()
            .flat_map(|f| &f.years)
            .map(|b| Some(Weights { cost: self.weight(b.k) * share, tie: share }))
            .collect()
    }

    /// The master program under `choice`: the full program's columns and rows that concern
    /// only the portfolio (build, modules, rules, budget), its costs per module and
    /// tie-break charges, and no estimate yet.
    fn master(&self, choice: &Choice) -> LinearProgram {
        let full = self.program_for(choice);
        let n = self.portfolio_columns;
        LinearProgram {
            columns: full.columns[..n].to_vec(),
            objective: full.objective[..n].to_vec(),
            lower: full.lower[..n].to_vec(),
            upper: full.upper[..n].to_vec(),
            integer: full.integer[..n].to_vec(),
            rows: full.rows.into_iter().filter(|r| r.terms.iter().all(|&(c, _)| c < n)).collect(),
        }
    }

    /// The cuts a placed portfolio gives: per block with weights, `θ_b − Σⱼ gⱼ mⱼ ≥ Q_b(m̂) − Σⱼ gⱼ m̂ⱼ`,
    /// tight at `portfolio`.
    pub(super) fn cuts(
        &self,
        theta: &[usize],
        weights: &[Option<Weights>],
        portfolio: &Portfolio,
        p: &Placed,
    ) -> Vec<Row> {
        let mut rows = Vec::new();
        for (b, &t) in theta.iter().enumerate() {
            if weights[b].is_none() {
                continue;
            }
            let mut terms = vec![(t, 1.0 / CUT_SCALE)];
            let mut rhs = p.cost[b];
            for (j, &g) in p.slope[b].iter().enumerate() {
                let m = f64::from(portfolio.0[j]);
                if g.abs() < SMALLEST_SLOPE {
                    // Left out, and the cut lowered by the most it could give for any modules
                    // from 0 to the most: still valid, and within pennies of tight.
                    let most = f64::from(self.model.schemes[j].max_modules);
                    rhs -= g.abs() * m.max(most - m);
                } else {
                    terms.push((self.modules[j], -g / CUT_SCALE));
                    rhs -= g * m;
                }
            }
            rows.push(Row { name: format!("cut_{b}"), terms, sense: Sense::AtLeast, rhs: rhs / CUT_SCALE });
        }
        rows
    }

    /// The master under `choice` with an estimate per block, each at least its cost with
    /// every scheme at its most modules (no portfolio places children more cheaply: more
    /// places never cost more), and that portfolio's cuts. `None` if a year is not a network.
    ///
    /// # Errors
    /// If the network simplex fails.
    pub(super) fn start(
        &self,
        choice: &Choice,
        weights: &[Option<Weights>],
        estimate_cost: f64,
    ) -> Result<Option<Start>, Error> {
        let mut master = self.master(choice);
        let most = Portfolio(self.model.schemes.iter().map(|s| s.max_modules).collect());
        let Some(first) = self.place(&most, weights)? else { return Ok(None) };
        let theta: Vec<usize> = (0..weights.len())
            .map(|b| {
                let c = master.add_column(format!("estimate_{b}"), estimate_cost);
                master.lower[c] = first.cost[b];
                c
            })
            .collect();
        master.rows.extend(self.cuts(&theta, weights, &most, &first));
        let mut placed = HashMap::new();
        placed.insert(most, first);
        Ok(Some((master, theta, placed)))
    }

    /// The rounds of cuts after the first: each asks the master ([`master::below`]) for a
    /// portfolio whose estimate is below the best placed portfolio's `value` less
    /// [`tolerance`], places it and adds its cuts, until there is none; then the best placed
    /// is optimal to that tolerance. The portfolios placed before the rounds (for their cuts
    /// alone) count only once the master finds them, as they may break its rules.
    ///
    /// Each round places a new portfolio or finds one placed before that is better than the
    /// best (its value is exact, so it is left out of the search when it is not), so the
    /// rounds end. With a `gap` (a share of the best value, e.g. 0.0001) the master is asked
    /// for a portfolio below the best less that share instead, so the rounds end once no
    /// portfolio can be better by more. Returns the best portfolio and a lower bound on any
    /// portfolio's value (from the last search, [`master::Searched::least`]); `None` if some
    /// year's program is not a network.
    ///
    /// # Errors
    /// If a solver fails.
    fn rounds(
        &self,
        master: &mut LinearProgram,
        theta: &[usize],
        weights: &[Option<Weights>],
        placed: &mut HashMap<Portfolio, Placed>,
        value: &dyn Fn(&Placed) -> f64,
        gap: f64,
    ) -> Result<Option<Chosen<Portfolio>>, Error> {
        let mut best: Option<(f64, Portfolio)> = None;
        let mut searched = master::Searched::default();
        let told = crate::observe::counting(crate::observe::Loop::CutRound);
        for round in 1.. {
            told.round(round);
            let target = best.as_ref().map_or(f64::INFINITY, |(c, _)| c - tolerance(*c).max(gap * c.abs()));
            let skip = |values: &[f64]| placed.get(&self.portfolio_of(values)).is_some_and(|p| value(p) >= target);
            let Some(values) = master::below(master, target, &skip, &mut searched)? else { break };
            let portfolio = self.portfolio_of(&values);
            if !placed.contains_key(&portfolio) {
                let Some(p) = self.place(&portfolio, weights)? else { return Ok(None) };
                master.rows.extend(self.cuts(theta, weights, &portfolio, &p));
                placed.insert(portfolio.clone(), p);
            }
            let cost = value(&placed[&portfolio]);
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, portfolio));
            }
        }
        Ok(best.map(|(value, chosen)| Chosen { chosen, value, bound: searched.least.min(value) }))
    }

    /// Cuts found cheaply before the whole-number rounds: up to [`RELAXED_ROUNDS`] times,
    /// the master solved without whole numbers, its modules rounded to a portfolio, and that
    /// portfolio placed and its cuts added, until a portfolio comes again. Cuts are valid
    /// at any portfolio, so the rounds after end at the same optimum (they still end only
    /// when the master picks a portfolio already placed, its estimate then its true cost);
    /// they need fewer of the whole-number masters, which are the dear ones.
    ///
    /// # Errors
    /// If a solver fails.
    fn first_cuts_relaxed(
        &self,
        master: &mut LinearProgram,
        theta: &[usize],
        weights: &[Option<Weights>],
        placed: &mut HashMap<Portfolio, Placed>,
        solver: Solver,
    ) -> Result<(), Error> {
        for _ in 0..RELAXED_ROUNDS {
            let relaxed = LinearProgram { integer: vec![false; master.columns.len()], ..master.clone() };
            let values = solve_program(&relaxed, solver.lp())?;
            let portfolio = self.portfolio_of(&values);
            if placed.contains_key(&portfolio) {
                break;
            }
            let Some(p) = self.place(&portfolio, weights)? else { return Ok(()) };
            master.rows.extend(self.cuts(theta, weights, &portfolio, &p));
            placed.insert(portfolio, p);
        }
        Ok(())
    }

    /// The portfolio of least cost under `choice`, the blocks weighed by `weights`, by cuts,
    /// with a lower bound on any portfolio's cost: to a billionth of the cost at `gap` 0,
    /// else to within that share of it ([`Appraiser::rounds`]); `None` if some year's program
    /// is not a network (then use the full program).
    ///
    /// # Errors
    /// If a solver fails.
    pub(super) fn choose_by_cuts(
        &self,
        choice: &Choice,
        weights: &[Option<Weights>],
        solver: Solver,
        gap: f64,
    ) -> Result<Option<Chosen<Placed>>, Error> {
        let Some((mut master, theta, mut placed)) = self.start(choice, weights, 1.0)? else { return Ok(None) };
        // The full program's objective at a placed portfolio: its own columns' costs (with
        // their tie-break charges), then each block's.
        let n = self.portfolio_columns;
        let objective = master.objective[..n].to_vec();
        let total = |p: &Placed| -> f64 {
            (0..n).map(|c| objective[c] * p.values[c]).sum::<f64>() + p.cost.iter().sum::<f64>()
        };
        self.first_cuts_relaxed(&mut master, &theta, weights, &mut placed, solver)?;
        let Some(found) = self.rounds(&mut master, &theta, weights, &mut placed, &total, gap)? else {
            return Ok(None);
        };
        Ok(placed.remove(&found.chosen).map(|p| Chosen { chosen: p, value: found.value, bound: found.bound }))
    }

    /// The portfolio of least worst regret under `choice` by cuts, given each variant's
    /// least cost (`best`, as [`Appraiser::choose_least_regret`] defines them): the master
    /// minimises `r` (and a thousandth of the modules' tie-break charges) with, for each
    /// variant, `r ≥ Σⱼ cⱼ mⱼ + Σ_{years} θ − best`, each `θ` the year's discounted cost
    /// without tie-break charges. `None` if some year's program is not a network.
    ///
    /// # Errors
    /// If a solver fails. (`_solver` is not used: the master is searched by
    /// [`master::below`] whatever the solver.)
    pub(super) fn least_regret_by_cuts(
        &self,
        choice: &Choice,
        best: &[f64],
        _solver: Solver,
    ) -> Result<Option<Portfolio>, Error> {
        let weights: Vec<Option<Weights>> = self
            .futures
            .iter()
            .flat_map(|f| &f.years)
            .map(|b| Some(Weights { cost: self.weight(b.k), tie: 0.0 }))
            .collect();
        let Some((mut master, theta, mut placed)) = self.start(choice, &weights, 0.0)? else { return Ok(None) };
        let n = self.portfolio_columns;
        // The portfolio's own costs, without and with their tie-break charges.
        let plain = self.plain[..n].to_vec();
        let ties: Vec<f64> = (0..n).map(|c| master.objective[c] - plain[c]).collect();
        for (o, t) in master.objective.iter_mut().zip(&ties) {
            *o = t * 1e-3;
        }
        // At least 0: no variant costs less than its own best.
        let regret = master.add_column("worst_regret".into(), 1.0);
        let mut block = 0;
        for (v, future) in self.futures.iter().enumerate() {
            let mut terms = vec![(regret, 1.0)];
            terms.extend((0..n).filter(|&c| plain[c] != 0.0).map(|c| (c, -plain[c])));
            for _ in &future.years {
                terms.push((theta[block], -1.0));
                block += 1;
            }
            for t in &mut terms {
                t.1 /= CUT_SCALE;
            }
            master.rows.push(Row {
                name: format!("regret_v{v}"),
                terms,
                sense: Sense::AtLeast,
                rhs: -best[v] / CUT_SCALE,
            });
        }
        let worst = |p: &Placed| -> f64 {
            let own: f64 = (0..n).map(|c| plain[c] * p.values[c]).sum();
            let mut block = 0;
            let mut worst = f64::NEG_INFINITY;
            for (v, future) in self.futures.iter().enumerate() {
                let cost: f64 = own + p.cost[block..block + future.years.len()].iter().sum::<f64>();
                block += future.years.len();
                worst = worst.max(cost - best[v]);
            }
            worst + (0..n).map(|c| ties[c] * 1e-3 * p.values[c]).sum::<f64>()
        };
        Ok(self.rounds(&mut master, &theta, &weights, &mut placed, &worst, 0.0)?.map(|c| c.chosen))
    }
}
