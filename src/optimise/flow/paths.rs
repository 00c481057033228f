//! What one more place is worth, for every place offered at once: the year's optimal flow
//! searched once for the cheapest way to fill a place, instead of the year solved again for
//! each place.
//!
//! **The method.** One more place (a node of its own, with an arc from each demand row that
//! may take it and an arc to the sink of one child) changes an optimal flow by a
//! circulation carrying one child through the place. Such a circulation splits into cycles
//! through the place and cycles not through it; at an optimum no cycle of the residual
//! network costs less than 0, so the change costs at least one child times the cheapest
//! cycle through the place, and a cycle that cheap which can carry a whole child attains it
//! (Ahuja, Magnanti and Orlin, *Network Flows*, ch. 9: the negative cycle optimality
//! conditions). Every such cycle is a path from the sink to a demand row in the residual
//! network, then the row's arc into the place, then the place's arc to the sink. So one
//! shortest-path tree from the sink gives every offer's cycle: Dijkstra's method on the
//! reduced costs of the optimal tree's node potentials, which are never below 0 on the
//! residual network at an optimum.
//!
//! **The same answer as solving again.** Costs are carried as pairs (the aim, then the
//! tie-break) and compared in that order, each pair reduced by its own stage's potentials:
//! the aim stage's, and the tie-break stage's, which hold on every arc the aim leaves free.
//! The cheapest pair is then the optimum of the aim and, among its optima, of the
//! tie-break: the plan [`super::one_more_place_each`] finds by solving again, unless two
//! cycles cost exactly the same pair (then either may be chosen, and the money and the
//! policy weights they split the same saving into, or the child the place goes to, may
//! differ). The tree is grown twice: over arcs that can carry a whole child, and over every
//! arc with room. Where the cheapest cycle of the second costs less than the first's (a
//! cheaper way exists only in fractions of a child), the offer is solved again as before.

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

/// A shortest-path tree from the sink over the residual network: per node its distance in
/// reduced cost pairs (`None`: not reached), and the arc it is reached by (its index and
/// whether it is used forwards).
struct Tree {
    dist: Vec<Option<Pair>>,
    parent: Vec<Option<(usize, bool)>>,
}

/// The residual network of `flow` over arcs with at least `room` flow units to spare either
/// way, each at its reduced pair, from the sink by Dijkstra's method: `None` if a residual
/// arc's reduced pair is below (0, 0) (the potentials are no certificate of this flow).
fn shortest_from_sink(arcs: &[NetworkArc], flow: &[i64], reduced: &[Pair], nodes: usize, room: i64) -> Option<Tree> {
    let mut out: Vec<Vec<(usize, usize, bool, Pair)>> = vec![Vec::new(); nodes];
    for (a, arc) in arcs.iter().enumerate() {
        let (r0, r1) = reduced[a];
        if arc.capacity.is_none_or(|c| c - flow[a] >= room) {
            if (r0, r1) < (0, 0) {
                return None;
            }
            out[arc.tail].push((arc.head, a, true, (r0, r1)));
        }
        if flow[a] >= room {
            if (-r0, -r1) < (0, 0) {
                return None;
            }
            out[arc.head].push((arc.tail, a, false, (-r0, -r1)));
        }
    }
    let mut dist: Vec<Option<Pair>> = vec![None; nodes];
    let mut parent = vec![None; nodes];
    let mut done = vec![false; nodes];
    let mut heap = BinaryHeap::new();
    dist[SINK] = Some((0, 0));
    heap.push(Reverse(((0i128, 0i128), SINK)));
    while let Some(Reverse((d, u))) = heap.pop() {
        if std::mem::replace(&mut done[u], true) {
            continue;
        }
        for &(v, a, forward, (c0, c1)) in &out[u] {
            let next = (d.0 + c0, d.1 + c1);
            if !done[v] && dist[v].is_none_or(|old| next < old) {
                dist[v] = Some(next);
                parent[v] = Some((a, forward));
                heap.push(Reverse((next, v)));
            }
        }
    }
    Some(Tree { dist, parent })
}

/// [`super::one_more_place_each`] by shortest paths (see the module documentation): the
/// year solved once under the aim and the tie-break, then each offer's cheapest cycle read
/// from one shortest-path tree, each offer solved again only where a cheaper way exists in
/// fractions of a child alone. The same arguments and answers; `each` and the offers'
/// answers gathered on up to `threads` threads.
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

/// [`one_more_place_by_paths`] on the network with its place; and how many offers were
/// solved again.
fn by_paths<T: Send>(
    w: &WithPlace,
    threads: usize,
    each: impl Fn(Vec<f64>, Vec<f64>) -> T + Sync,
) -> Result<(WithEachOffer<T>, usize), NetworkError> {
    let net = &w.lay.network;
    let solver = w.aim_solver()?;
    let aim_potential = solver.potentials();
    let tied = w.tie_stage(solver.clone(), &[])?;
    let tie_potential = tied.potentials();
    let base: Vec<i64> = tied.flow().to_vec();
    let (values, _) = w.answer(&base);
    // The network without the place's own arc (nothing reaches the place yet).
    let arcs = &net.arcs[..net.arcs.len() - 1];
    let reduce = |cost: i64, p: &[i64], a: &NetworkArc| i128::from(cost) + i128::from(p[a.tail]) - i128::from(p[a.head]);
    let reduced: Vec<Pair> = arcs
        .iter()
        .enumerate()
        .map(|(k, a)| (reduce(w.aim_costs[k], &aim_potential, a), reduce(w.tie_costs[k], &tie_potential, a)))
        .collect();
    let unit = FLOW_UNIT as i64;
    let trees = shortest_from_sink(arcs, &base, &reduced, net.nodes, unit)
        .zip(shortest_from_sink(arcs, &base, &reduced, net.nodes, 1));
    // A path's cost to node `u` from its reduced cost: Σ cost = reduced − π(sink) + π(u).
    let actual = |d: Pair, u: usize| {
        let (a, t) = (&aim_potential, &tie_potential);
        (d.0 - i128::from(a[SINK]) + i128::from(a[u]), d.1 - i128::from(t[SINK]) + i128::from(t[u]))
    };
    // The cheapest cycle of an offer in a tree: its cost and the arc into the place.
    let cheapest = |tree: &Tree, offer: &[(NetworkArc, i64)]| -> Option<(Pair, usize)> {
        let mut best: Option<(Pair, usize)> = None;
        for (k, (arc, tie)) in offer.iter().enumerate() {
            let Some(d) = tree.dist[arc.tail] else { continue };
            let (a, t) = actual(d, arc.tail);
            let cost = (a + i128::from(arc.cost), t + i128::from(*tie));
            if best.is_none_or(|(b, _)| cost < b) {
                best = Some((cost, k));
            }
        }
        best
    };
    let again = std::sync::atomic::AtomicUsize::new(0);
    let solved_again = |offer: &[(NetworkArc, i64)]| {
        again.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        w.solved_again(&solver, offer)
    };
    let one = |i: usize| -> Result<T, NetworkError> {
        let offer = &w.offer_arcs[i];
        let Some((whole, full)) = &trees else {
            let (values, added) = solved_again(offer)?;
            return Ok(each(values, added));
        };
        let best_full = cheapest(full, offer);
        let (values, added) = match (cheapest(whole, offer), best_full) {
            // No cycle costs less than nothing: the place stays empty.
            (_, None) => (values.clone(), vec![0.0; offer.len()]),
            (_, Some((f, _))) if f >= (0, 0) => (values.clone(), vec![0.0; offer.len()]),
            (Some((c, k)), Some((f, _))) if c == f => {
                // One child round the cycle: into the place from row k's node, and back
                // along the tree to the sink.
                let mut flow = base.clone();
                let mut u = offer[k].0.tail;
                while let Some((a, forward)) = whole.parent[u] {
                    if forward {
                        flow[a] += unit;
                        u = arcs[a].tail;
                    } else {
                        flow[a] -= unit;
                        u = arcs[a].head;
                    }
                }
                *flow.last_mut().expect("the place's arc") += unit;
                let (values, _) = w.answer(&flow);
                let mut added = vec![0.0; offer.len()];
                added[k] = 1.0;
                (values, added)
            }
            _ => solved_again(offer)?,
        };
        Ok(each(values, added))
    };
    let out = on_threads(w.offer_arcs.len(), threads, one)?;
    Ok(((values, out), again.into_inner()))
}

#[cfg(test)]
mod tests;
