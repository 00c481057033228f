//! What one more place is worth, for every place offered: each offer's place filled from
//! the year's optimal flow by successive shortest paths, instead of the year solved again
//! for each place.
//!
//! **The method.** One more place (a node of its own, with an arc from each demand row that
//! may take it and an arc to the sink of one child) changes an optimal flow by a
//! circulation carrying at most one child through the place. At an optimum no cycle of the
//! residual network costs less than 0, so the cheapest such circulation is found by sending
//! the child from the sink to the place along the cheapest residual path, then the next
//! cheapest, while a path costs less than nothing (successive shortest paths: Ahuja,
//! Magnanti and Orlin, *Network Flows*, ch. 9, the negative cycle optimality conditions).
//! Several paths are needed where arcs have room for less than a child (demand rows of a
//! fraction of a child). Each path is found by Dijkstra's method on reduced costs, from the
//! optimal tree's node potentials (never below 0 on the residual network at an optimum,
//! checked; moved by the distances after each path), searching back from the place and
//! stopped at the sink.
//!
//! **The same answer as solving again.** Costs are carried as pairs (the aim, then the
//! tie-break) and compared in that order, each pair reduced by its own stage's potentials:
//! the aim stage's, and the tie-break stage's, which hold on every arc the aim leaves free.
//! The cheapest circulation is then the optimum of the aim and, among its optima, of the
//! tie-break: the plan [`super::one_more_place_each`] finds by solving again, unless two
//! plans cost exactly the same pair (then either may be chosen, and the money and the
//! policy weights they split the same saving into, or the child the place goes to, may
//! differ). Were the potentials no certificate, every offer is solved again as before.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{FLOW_UNIT, Layout, SINK, TIE_EXPONENT, WithEachOffer, money, scale_up_to};
use crate::model::Model;
use crate::optimise::flow::PlaceArc;
use crate::optimise::formulation::Formulation;
use crate::optimise::network::{FlowSolver, NetworkArc, NetworkError, largest_cost};

/// A cost as (aim, tie-break), compared in that order.
type Pair = (i128, i128);

/// The year's network with one more place: a node of its own (`place`), flowing to the
/// sink within one child, and each offer's arcs into it, priced at one scale per stage for
/// the network's arcs and every offer's.
pub(super) struct WithPlace {
    pub(super) lay: Layout,
    pub(super) aim_costs: Vec<i64>,
    pub(super) tie_costs: Vec<i64>,
    /// Per offer: its arcs (priced under the aim) and their tie-break costs.
    pub(super) offer_arcs: Vec<Vec<(NetworkArc, i64)>>,
    pub(super) aim_bound: u64,
    pub(super) tie_bound: u64,
}

impl WithPlace {
    /// `None` when the program is not a network or its costs are too large to be exact.
    pub(super) fn build(
        model: &Model,
        formulation: &Formulation,
        modules: Option<&[u32]>,
        objective: &[f64],
        tie: &[f64],
        offers: &[Vec<PlaceArc>],
    ) -> Option<WithPlace> {
        let mut lay = super::layout(model, formulation, modules)?;
        let place = lay.network.nodes;
        lay.network.nodes += 1;
        lay.network.supply.push(0);
        lay.network.arcs.push(NetworkArc { tail: place, head: SINK, capacity: Some(FLOW_UNIT as i64), cost: 0 });
        lay.column_of_arc.push(None);
        let nodes = lay.network.nodes;
        let largest = |per_column: &[f64], per_offer: fn(&PlaceArc) -> f64| {
            let columns = per_column.iter().fold(0.0f64, |m, c| m.max(c.abs()));
            offers.iter().flatten().map(per_offer).fold(columns, |m, c| m.max(c.abs()))
        };
        let aim_scale = scale_up_to(largest(objective, |a| a.cost), nodes, 6)?;
        let tie_scale = scale_up_to(largest(tie, |a| a.tie), nodes, TIE_EXPONENT)?;
        let priced = |per_column: &[f64], scale: f64| -> Vec<i64> {
            lay.column_of_arc.iter().map(|c| c.map_or(0, |c| money(per_column[c], scale))).collect()
        };
        let (aim_costs, tie_costs) = (priced(objective, aim_scale), priced(tie, tie_scale));
        let row_node = |r: usize| formulation.demand_row[r].map(|row| lay.row_nodes[row.0].0);
        let mut offer_arcs = Vec::with_capacity(offers.len());
        for offer in offers {
            let arcs: Vec<(NetworkArc, i64)> = offer
                .iter()
                .map(|a| {
                    let tail = row_node(a.demand)?;
                    let arc = NetworkArc { tail, head: place, capacity: None, cost: money(a.cost, aim_scale) };
                    Some((arc, money(a.tie, tie_scale)))
                })
                .collect::<Option<_>>()?;
            offer_arcs.push(arcs);
        }
        let bound = |costs: &[i64], extra: &mut dyn Iterator<Item = i64>| {
            largest_cost(costs).max(extra.map(i64::unsigned_abs).max().unwrap_or(0))
        };
        let aim_bound = bound(&aim_costs, &mut offer_arcs.iter().flatten().map(|(a, _)| a.cost));
        let tie_bound = bound(&tie_costs, &mut offer_arcs.iter().flatten().map(|(_, t)| *t));
        Some(WithPlace { lay, aim_costs, tie_costs, offer_arcs, aim_bound, tie_bound })
    }

    /// The network solved under the aim (every arc in, no offer).
    pub(super) fn aim_solver(&self) -> Result<FlowSolver, NetworkError> {
        let net = &self.lay.network;
        let mut solver = FlowSolver::new(net.nodes, net.supply.clone(), self.aim_bound)?;
        let arcs: Vec<NetworkArc> =
            net.arcs.iter().zip(&self.aim_costs).map(|(a, &cost)| NetworkArc { cost, ..*a }).collect();
        solver.add_arcs(&arcs)?;
        solver.solve()?;
        Ok(solver)
    }

    /// The tie-break stage from a copy of a solver, with `extra` tie-break costs for arcs
    /// added to it: the solver at its end.
    pub(super) fn tie_stage(&self, mut s: FlowSolver, extra: &[i64]) -> Result<FlowSolver, NetworkError> {
        s.solve()?;
        s.keep_optima();
        let costs: Vec<i64> = self.tie_costs.iter().chain(extra).copied().collect();
        s.set_costs(&costs, self.tie_bound)?;
        s.solve()?;
        Ok(s)
    }

    /// The values per column of a flow (the network's arcs first), and the flow on the arcs
    /// after them, in children.
    pub(super) fn answer(&self, flow: &[i64]) -> (Vec<f64>, Vec<f64>) {
        let net = &self.lay.network;
        let (values, _) = self.lay.answer(&flow[..net.arcs.len()], &vec![0; net.nodes], 1.0);
        let added = flow[net.arcs.len()..].iter().map(|&f| f as f64 / FLOW_UNIT).collect();
        (values, added)
    }

    /// One offer solved again from the aim's optimal tree without it (a warm start), then
    /// the tie-break stage.
    pub(super) fn solved_again(
        &self,
        solver: &FlowSolver,
        arcs: &[(NetworkArc, i64)],
    ) -> Result<(Vec<f64>, Vec<f64>), NetworkError> {
        let mut s = solver.clone();
        s.add_arcs(&arcs.iter().map(|(a, _)| *a).collect::<Vec<_>>())?;
        let ties: Vec<i64> = arcs.iter().map(|(_, t)| *t).collect();
        Ok(self.answer(self.tie_stage(s, &ties)?.flow()))
    }
}

/// `f(0)`, …, `f(n − 1)` on up to `threads` threads (thread t takes t, t + threads, …),
/// gathered in order: the same answers whatever the threads.
pub(super) fn on_threads<T: Send, E: Send>(
    n: usize,
    threads: usize,
    f: impl Fn(usize) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return (0..n).map(f).collect();
    }
    let f = &f;
    let mut found: Vec<(usize, Result<T, E>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| scope.spawn(move || (t..n).step_by(threads).map(|i| (i, f(i))).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a thread ends")).collect()
    });
    found.sort_by_key(|f| f.0);
    found.into_iter().map(|(_, r)| r).collect()
}

/// The residual network of the year without the place, both ways round each arc: per node,
/// the arcs leaving it (the node at their other end, the arc, and whether it is used
/// forwards). Whether an arc has room depends on the flow, and is checked as it is used.
fn both_ways(arcs: &[NetworkArc], nodes: usize) -> Vec<Vec<(usize, usize, bool)>> {
    let mut out = vec![Vec::new(); nodes];
    for (a, arc) in arcs.iter().enumerate() {
        out[arc.tail].push((arc.head, a, true));
        out[arc.head].push((arc.tail, a, false));
    }
    out
}

/// The cost pair of one unit on an arc, used forwards or backwards.
fn pair(costs: &[Pair], a: usize, forward: bool) -> Pair {
    let (c0, c1) = costs[a];
    if forward { (c0, c1) } else { (-c0, -c1) }
}

/// Room on an arc, used forwards or backwards, under `flow`.
fn room(arc: &NetworkArc, flow: i64, forward: bool) -> i64 {
    if forward { arc.capacity.map_or(i64::MAX, |c| c - flow) } else { flow }
}

fn add(a: Pair, b: Pair) -> Pair {
    (a.0 + b.0, a.1 + b.1)
}

fn sub(a: Pair, b: Pair) -> Pair {
    (a.0 - b.0, a.1 - b.1)
}

/// The year with one more place, from its optimal `base` flow and node potentials `potential`
/// (pairs: the aim's and the tie-break's): one child sent from the sink to the place along
/// the cheapest paths of the residual network in turn (successive shortest paths), while a
/// path costs less than nothing; each closes a cycle with the place's arc to the sink, and
/// several are needed where arcs have room for less than a child. Each path is found by
/// Dijkstra's method on reduced costs searching back from the place and stopped at the
/// sink: the offer's rows, where their children are and the sink are near the place, where
/// every node is near the sink. The flow on the network's arcs, the flow into the place on
/// each of the offer's arcs, and the paths taken.
fn fill_place(
    ctx: &Context,
    offer: &[(NetworkArc, i64)],
    base: &[i64],
    potential: &[Pair],
) -> (Vec<i64>, Vec<i64>, usize) {
    let (arcs, place, nodes) = (ctx.arcs, ctx.place, potential.len());
    let mut flow = base.to_vec();
    let mut added = vec![0i64; offer.len()];
    let mut pi = potential.to_vec();
    // The place's potential: every offer arc's reduced cost at least 0.
    let offer_cost = |k: usize| (i128::from(offer[k].0.cost), i128::from(offer[k].1));
    pi[place] = (0..offer.len()).map(|k| add(offer_cost(k), pi[offer[k].0.tail])).min().unwrap_or((0, 0));
    let reduced = |pi: &[Pair], a: usize, forward: bool| {
        let arc = &arcs[a];
        let (from, to) = if forward { (arc.tail, arc.head) } else { (arc.head, arc.tail) };
        sub(add(pair(ctx.costs, a, forward), pi[from]), pi[to])
    };
    let mut remaining = FLOW_UNIT as i64;
    let mut paths = 0;
    let mut dist: Vec<Option<Pair>> = vec![None; nodes];
    // Where each node's path to the place goes first: a network arc (and whether forwards),
    // or (from a row) offer arc k, numbered after the network's arcs.
    let mut next: Vec<Option<(usize, bool)>> = vec![None; nodes];
    let mut settled = vec![false; nodes];
    let mut touched: Vec<usize> = Vec::new();
    while remaining > 0 {
        for &v in &touched {
            (dist[v], next[v], settled[v]) = (None, None, false);
        }
        touched.clear();
        let mut heap = BinaryHeap::new();
        dist[place] = Some((0, 0));
        touched.push(place);
        heap.push(Reverse(((0i128, 0i128), place)));
        let mut reached = false;
        while let Some(Reverse((d, v))) = heap.pop() {
            if std::mem::replace(&mut settled[v], true) {
                continue;
            }
            if v == SINK {
                reached = true;
                break;
            }
            // No path through a node at least as far as the sink's best so far can better it
            // (no reduced cost is below 0): such nodes are left unreached.
            let bound = dist[SINK];
            let mut relax = |u: usize, via: (usize, bool), c: Pair| {
                let through = add(d, c);
                let useful = u == SINK || bound.is_none_or(|b| through < b);
                if useful && !settled[u] && dist[u].is_none_or(|old| through < old) {
                    if dist[u].is_none() {
                        touched.push(u);
                    }
                    dist[u] = Some(through);
                    next[u] = Some(via);
                    heap.push(Reverse((through, u)));
                }
            };
            if v == place {
                for (k, (arc, _)) in offer.iter().enumerate() {
                    relax(arc.tail, (arcs.len() + k, true), sub(add(offer_cost(k), pi[arc.tail]), pi[place]));
                }
                continue;
            }
            // Arcs into v: arc a used the other way round from its entry at v.
            for &(u, a, forward) in &ctx.out[v] {
                if room(&arcs[a], flow[a], !forward) > 0 {
                    relax(u, (a, !forward), reduced(&pi, a, !forward));
                }
            }
        }
        if !reached {
            break;
        }
        let big_d = dist[SINK].expect("reached");
        // What the cycle costs: the path's reduced cost less the potentials' difference.
        if add(sub(big_d, pi[SINK]), pi[place]) >= (0, 0) {
            break;
        }
        // The path from the sink, and the most it can carry.
        let mut path = Vec::new();
        let mut u = SINK;
        let mut most = remaining;
        while u != place {
            let (a, forward) = next[u].expect("a path to the place");
            if a >= arcs.len() {
                path.push((a - arcs.len(), true, true));
                u = place;
                continue;
            }
            most = most.min(room(&arcs[a], flow[a], forward));
            path.push((a, forward, false));
            u = if forward { arcs[a].head } else { arcs[a].tail };
        }
        for &(a, forward, offer_arc) in &path {
            match (offer_arc, forward) {
                (true, _) => added[a] += most,
                (false, true) => flow[a] += most,
                (false, false) => flow[a] -= most,
            }
        }
        remaining -= most;
        paths += 1;
        // Potentials moved by the distances (those beyond the sink by its own): every arc
        // with room keeps a reduced cost of at least 0.
        for (v, p) in pi.iter_mut().enumerate() {
            let by = match dist[v] {
                Some(d) if settled[v] => d,
                _ => big_d,
            };
            *p = sub(*p, by);
        }
    }
    let moved = FLOW_UNIT as i64 - remaining;
    *flow.last_mut().expect("the place's arc") += moved;
    (flow, added, paths)
}

/// What every offer's place is filled from: the year's arcs (without the place's own), their
/// cost pairs, and the residual network both ways.
struct Context<'a> {
    arcs: &'a [NetworkArc],
    costs: &'a [Pair],
    out: Vec<Vec<(usize, usize, bool)>>,
    place: usize,
}

/// [`super::one_more_place_each`] by shortest paths (see the module documentation): the
/// year solved once under the aim and the tie-break, then each offer's place filled from
/// that optimal flow by successive shortest paths. The same arguments and answers; `each`
/// and the offers' answers gathered on up to `threads` threads.
///
/// # Errors
/// As [`super::solve`].
#[allow(clippy::too_many_arguments)]
pub fn one_more_place_by_paths<T: Send>(
    model: &Model,
    formulation: &Formulation,
    modules: Option<&[u32]>,
    objective: &[f64],
    tie: &[f64],
    offers: &[Vec<PlaceArc>],
    threads: usize,
    each: impl Fn(Vec<f64>, Vec<f64>) -> T + Sync,
) -> Option<Result<WithEachOffer<T>, NetworkError>> {
    let w = WithPlace::build(model, formulation, modules, objective, tie, offers)?;
    Some(by_paths(&w, threads, each).map(|(answers, _)| answers))
}

/// [`one_more_place_by_paths`] on the network with its place; and how many offers took more
/// than one path (`None`: the potentials were no certificate, and every offer was solved
/// again).
fn by_paths<T: Send>(
    w: &WithPlace,
    threads: usize,
    each: impl Fn(Vec<f64>, Vec<f64>) -> T + Sync,
) -> Result<(WithEachOffer<T>, Option<usize>), NetworkError> {
    let net = &w.lay.network;
    let solver = w.aim_solver()?;
    let aim_potential = solver.potentials();
    let tied = w.tie_stage(solver.clone(), &[])?;
    let tie_potential = tied.potentials();
    let base: Vec<i64> = tied.flow().to_vec();
    let (values, _) = w.answer(&base);
    // The network without the place's own arc (it closes every cycle).
    let arcs = &net.arcs[..net.arcs.len() - 1];
    let costs: Vec<Pair> =
        w.aim_costs.iter().zip(&w.tie_costs).map(|(&a, &t)| (i128::from(a), i128::from(t))).collect();
    let potential: Vec<Pair> =
        aim_potential.iter().zip(&tie_potential).map(|(&a, &t)| (i128::from(a), i128::from(t))).collect();
    let ctx = Context { arcs, costs: &costs, out: both_ways(arcs, net.nodes), place: net.nodes - 1 };
    // At an optimum no arc with room has a reduced pair below (0, 0); were one to, the
    // offers are solved again.
    let certified = (0..arcs.len()).all(|a| {
        [true, false].iter().all(|&forward| {
            let (from, to) = if forward { (arcs[a].tail, arcs[a].head) } else { (arcs[a].head, arcs[a].tail) };
            room(&arcs[a], base[a], forward) == 0
                || sub(add(pair(&costs, a, forward), potential[from]), potential[to]) >= (0, 0)
        })
    });
    let many = std::sync::atomic::AtomicUsize::new(0);
    let one = |i: usize| -> Result<T, NetworkError> {
        let offer = &w.offer_arcs[i];
        if !certified {
            let (values, added) = w.solved_again(&solver, offer)?;
            return Ok(each(values, added));
        }
        let (mut flow, added, paths) = fill_place(&ctx, offer, &base, &potential);
        many.fetch_add(usize::from(paths > 1), std::sync::atomic::Ordering::Relaxed);
        flow.extend(added);
        let (values, added) = w.answer(&flow);
        Ok(each(values, added))
    };
    let out = on_threads(w.offer_arcs.len(), threads, one)?;
    Ok(((values, out), certified.then(|| many.into_inner())))
}

#[cfg(test)]
mod tests;
