//! A minimum-cost flow solver: the primal network simplex, in integers.
//!
//! The yearly placement program is a minimum-cost flow: children flow from their home
//! localities through the settings that suit them to the places there, at the cost of each
//! route. This module solves such a network exactly, in whole units, without a general
//! linear-programming solver.
//!
//! # Method
//!
//! The primal network simplex as set out by Ahuja, Magnanti and Orlin, *Network Flows*
//! (1993), chapter 11:
//!
//! - an artificial root node is joined to every node by an artificial arc of unlimited
//!   capacity and cost `M = (n + 1) × max |cost| + 1` (from a node with supply, or none, to
//!   the root; from the root to a node with demand). That start is a strongly feasible
//!   spanning tree. `M` is exact, not a heuristic: a cycle of the residual network through
//!   the root that lowers artificial flow costs at most `(n − 1) × max |cost| − 2M < 0`, so
//!   an optimum of the enlarged network carries no artificial flow if any flow meets the
//!   supplies. If it does carry some, the problem is infeasible;
//! - the tree is kept as parent, predecessor arc, thread (a depth-first order of the nodes),
//!   reverse thread, subtree size and last node of the subtree in the thread, in flat
//!   vectors; a pivot relinks the thread in time proportional to the pivot cycle and
//!   updates the potentials of the subtree cut off by the leaving arc;
//! - the entering arc is found by block search (Király and Kovács, "Efficient
//!   implementations of minimum-cost flow algorithms", 2012): arcs are scanned cyclically in
//!   blocks of a quarter of √(number of arcs), at least 10, and the most violating arc of
//!   the first block that has any enters;
//! - the leaving arc is the *last* blocking arc met when the pivot cycle is traversed along
//!   its orientation from the join (apex) node, which keeps the tree strongly feasible
//!   (Cunningham, 1976) and so rules out cycling in degenerate pivots.
//!
//! # Signs
//!
//! An arc's reduced cost is `cost + potential[tail] − potential[head]`. At the optimum it is
//! `≥ 0` on every arc whose flow is below its capacity and `≤ 0` on every arc that carries
//! flow (so `0` on arcs strictly between). Potentials are exact integers.
//!
//! # Bounds
//!
//! All arithmetic is in `i64`, with `i128` for the total cost and the input checks. An input
//! is refused ([`NetworkError::BadInput`]) unless `(n + 1) × max |cost| + 1 ≤ 2⁵⁹` (which
//! keeps every potential difference and reduced cost within `5 × 2⁵⁹`) and the positive
//! supplies plus all finite capacities sum to at most `2⁶²` (which bounds every flow), and
//! unless nodes and arcs together number fewer than `2³² − 1`. During the pivots potentials
//! are held modulo `2⁶⁴` (only their differences are used, and those fit); they are reported
//! relative to the artificial root, so they too lie within `2⁶⁰`.

/// A minimum-cost flow problem in integers: flows in whole units, costs in whole units.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Network {
    /// Number of nodes.
    pub nodes: usize,
    /// Supply at each node (positive: supply; negative: demand). Must sum to 0.
    pub supply: Vec<i64>,
    /// Arcs: tail, head, capacity (None: no limit), cost per unit. No lower bounds (the
    /// caller shifts them).
    pub arcs: Vec<NetworkArc>,
}

/// An arc of a [`Network`]: flow goes from `tail` to `head`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkArc {
    /// The node flow leaves.
    pub tail: usize,
    /// The node flow enters.
    pub head: usize,
    /// Most flow the arc can carry (`None`: no limit). At least 0.
    pub capacity: Option<i64>,
    /// Cost per unit of flow (may be negative).
    pub cost: i64,
}

/// An optimal flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// Flow on each arc, in the order given.
    pub flow: Vec<i64>,
    /// A potential (dual price) per node such that every arc's reduced cost
    /// `cost + potential[tail] − potential[head]` is `≥ 0` where its flow is below capacity
    /// and `≤ 0` where its flow is above 0.
    pub potential: Vec<i64>,
    /// Total cost Σ cost × flow, exactly.
    pub cost: i128,
    /// Simplex pivots made.
    pub pivots: u64,
}

/// Why no optimal flow was found.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum NetworkError {
    /// No flow meets the supplies within the capacities.
    #[error("no flow meets the supplies within the capacities")]
    Infeasible,
    /// Flows meet the supplies, and a cycle of negative cost and unlimited capacity lowers
    /// the cost without end.
    #[error("a cycle of negative cost and unlimited capacity makes the cost unbounded below")]
    Unbounded,
    /// The network is malformed or could overflow (the reason is given).
    #[error("bad network: {0}")]
    BadInput(String),
}

/// The largest artificial cost allowed: potentials and reduced costs stay within `5 × 2⁵⁹`.
const MAX_BIG_COST: i128 = 1 << 59;
/// The largest sum of positive supplies and finite capacities allowed: no flow exceeds it.
pub const MAX_FLOW_TOTAL: i128 = 1 << 62;

mod simplex;

use simplex::{FIXED, INF, Simplex};

/// Solves `net` for a minimum-cost flow by the primal network simplex.
///
/// A self-loop carries its capacity if its cost is negative, else nothing (one of negative
/// cost and no limit makes the problem unbounded).
///
/// # Errors
/// [`NetworkError::BadInput`] if the supplies do not match the nodes or do not sum to 0, an arc
/// names a node out of range, a capacity is negative, or the numbers break the bounds in the
/// module documentation; [`NetworkError::Infeasible`] if no flow meets the supplies (even
/// when a negative cycle of unlimited capacity also exists); [`NetworkError::Unbounded`] if
/// flows meet the supplies and a cycle of negative cost and unlimited capacity exists.
pub fn min_cost_flow(net: &Network) -> Result<Flow, NetworkError> {
    let mut solver = FlowSolver::for_network(net)?;
    solver.add_arcs(&net.arcs)?;
    solver.solve()?;
    Ok(solver.answer())
}

/// [`min_cost_flow`] by pricing arcs in, for large networks: first each node's cheapest arc of
/// no limit and every arc with a limit, then, round by round, each node's
/// [`PRICED_PER_ROUND`] arcs left out with the most negative reduced costs, each round from
/// the last round's tree, until no arc left out has a negative reduced cost. Arcs left out
/// carry no flow and have no limit, so the optimality conditions then hold on the whole
/// network: the same optimum. (The placement program prices its own way, by demand row, in
/// [`crate::optimise::flow`]; this is the same rule for any network.)
///
/// # Errors
/// As [`min_cost_flow`].
pub fn min_cost_flow_priced(net: &Network) -> Result<Flow, NetworkError> {
    let mut solver = FlowSolver::for_network(net)?;
    let mut cheapest: Vec<Option<usize>> = vec![None; net.nodes];
    for (a, arc) in net.arcs.iter().enumerate() {
        if arc.capacity.is_none() && cheapest[arc.tail].is_none_or(|b| arc.cost < net.arcs[b].cost) {
            cheapest[arc.tail] = Some(a);
        }
    }
    let mut active: Vec<bool> = net.arcs.iter().map(|a| a.capacity.is_some()).collect();
    for a in cheapest.into_iter().flatten() {
        active[a] = true;
    }
    let mut kept: Vec<usize> = (0..net.arcs.len()).filter(|&a| active[a]).collect();
    match price_in(&mut solver, net.arcs.len(), |a| net.arcs[a], &mut active, &mut kept, PRICED_PER_ROUND) {
        Ok(_) => {}
        // Unbounded or infeasible: the whole network says which.
        Err(NetworkError::Unbounded) => return min_cost_flow(net),
        Err(e) => return Err(e),
    }
    solver.solve()?;
    let answer = solver.answer();
    let mut flow = vec![0; net.arcs.len()];
    for (k, &a) in kept.iter().enumerate() {
        flow[a] = answer.flow[k];
    }
    Ok(Flow { flow, ..answer })
}

/// Pricing arcs in, for [`min_cost_flow_priced`] and the placement program: adds the arcs of
/// `kept` (arc indices into `arc`, which gives arc `a` of `count` with its costs), solves, and
/// then, round by round, adds each node's `per_round` arcs not yet `active` with the most
/// negative reduced costs (exact in integers), from the last round's tree, until no arc left
/// out has a negative reduced cost. `kept` ends with every arc handed to the solver, in the
/// solver's order. Each round solves the enlarged network (artificial arcs included); call
/// [`FlowSolver::solve`] after to learn whether the supplies can be met. Returns the rounds.
///
/// # Errors
/// [`NetworkError::Unbounded`] if a round is unbounded; [`NetworkError::BadInput`] as
/// [`FlowSolver::add_arcs`].
pub fn price_in(
    solver: &mut FlowSolver,
    count: usize,
    arc: impl Fn(usize) -> NetworkArc,
    active: &mut [bool],
    kept: &mut Vec<usize>,
    per_round: usize,
) -> Result<usize, NetworkError> {
    let mut batch: Vec<NetworkArc> = kept.iter().map(|&a| arc(a)).collect();
    let mut rounds = 0;
    let told = crate::observe::counting(crate::observe::Loop::PricingRound);
    while !batch.is_empty() {
        rounds += 1;
        told.round(rounds);
        solver.add_arcs(&batch)?;
        solver.simplex.run()?;
        let mut negative: Vec<(usize, i128, usize)> = (0..count)
            .filter(|&a| !active[a])
            .filter_map(|a| {
                let candidate = arc(a);
                let reduced = solver.reduced_cost(&candidate);
                (reduced < 0).then_some((candidate.tail, reduced, a))
            })
            .collect();
        negative.sort_unstable();
        batch.clear();
        let mut taken = 0;
        for (i, &(tail, _, a)) in negative.iter().enumerate() {
            taken = if i > 0 && negative[i - 1].0 == tail { taken + 1 } else { 1 };
            if taken <= per_round {
                active[a] = true;
                kept.push(a);
                batch.push(arc(a));
            }
        }
    }
    Ok(rounds)
}

/// Arcs priced in per node and round by [`min_cost_flow_priced`].
pub const PRICED_PER_ROUND: usize = 5;

/// The largest cost either way (0 for none): the bound [`FlowSolver::new`] and
/// [`FlowSolver::set_costs`] take.
#[must_use]
pub fn largest_cost(costs: &[i64]) -> u64 {
    costs.iter().map(|c| c.unsigned_abs()).max().unwrap_or(0)
}

/// A minimum-cost flow problem solved in steps: arcs may be added after a solve, and the
/// next solve starts from the last optimal spanning tree (a warm start). Arcs added to an
/// optimal tree sit at flow 0, so the tree stays strongly feasible, and only the arcs that
/// price out (negative reduced cost) cause pivots. A clone goes on from the same tree on its
/// own (to try arcs added to one optimum in turn).
#[derive(Clone)]
pub struct FlowSolver {
    simplex: Simplex,
    /// The largest |cost| any arc may have: fixes the artificial arcs' cost.
    max_cost: u64,
    /// Positive supplies plus finite capacities so far.
    flow_total: i128,
}

impl FlowSolver {
    /// A network of `nodes` nodes with these supplies and no arcs yet; every arc added later
    /// must cost at most `max_cost` a unit either way.
    ///
    /// # Errors
    /// [`NetworkError::BadInput`] if the supplies do not match the nodes or do not sum to 0,
    /// or `max_cost` over these nodes breaks the bounds in the module documentation.
    pub fn new(nodes: usize, supply: Vec<i64>, max_cost: u64) -> Result<Self, NetworkError> {
        let bad = |s: String| Err(NetworkError::BadInput(s));
        if supply.len() != nodes {
            return bad(format!("{} supplies for {nodes} nodes", supply.len()));
        }
        let total: i128 = supply.iter().map(|&s| i128::from(s)).sum();
        if total != 0 {
            return bad(format!("supplies sum to {total}, not 0"));
        }
        let flow_total: i128 = supply.iter().filter(|&&s| s > 0).map(|&s| i128::from(s)).sum();
        if flow_total > MAX_FLOW_TOTAL {
            return bad(format!("supplies and capacities sum to {flow_total}: at most 2^62 allowed"));
        }
        if nodes as u128 >= u128::from(u32::MAX) {
            return bad(format!("{nodes} nodes: fewer than 2^32 − 1 allowed"));
        }
        let big_cost = (nodes as i128 + 1) * i128::from(max_cost) + 1;
        if big_cost > MAX_BIG_COST {
            return bad(format!(
                "costs up to {max_cost} over {nodes} nodes could overflow: (n + 1) × max |cost| + 1 must be at most 2^59"
            ));
        }
        let big_cost = i64::try_from(big_cost).expect("checked against 2^59");
        Ok(FlowSolver { simplex: Simplex::new(&supply, big_cost), max_cost, flow_total })
    }

    /// [`FlowSolver::new`] for `net`'s nodes and supplies, any arc added costing at most its
    /// arcs' largest cost; its arcs are not added.
    ///
    /// # Errors
    /// As [`FlowSolver::new`].
    pub fn for_network(net: &Network) -> Result<Self, NetworkError> {
        let costs: Vec<i64> = net.arcs.iter().map(|a| a.cost).collect();
        FlowSolver::new(net.nodes, net.supply.clone(), largest_cost(&costs))
    }

    /// Adds arcs (numbered on from those added before) at flow 0.
    ///
    /// # Errors
    /// [`NetworkError::BadInput`] if an arc names a node out of range, has a negative
    /// capacity or costs more than the bound given, or the capacities could overflow.
    pub fn add_arcs(&mut self, arcs: &[NetworkArc]) -> Result<(), NetworkError> {
        let bad = |s: String| Err(NetworkError::BadInput(s));
        let n = self.simplex.nodes();
        let first = self.arcs();
        if (n + first + arcs.len()) as u128 >= u128::from(u32::MAX) {
            return bad(format!("{n} nodes and {} arcs: fewer than 2^32 − 1 in all allowed", first + arcs.len()));
        }
        let mut flow_total = self.flow_total;
        for (k, arc) in arcs.iter().enumerate() {
            let a = first + k;
            if arc.tail >= n || arc.head >= n {
                return bad(format!("arc {a} joins {} to {}, but there are {n} nodes", arc.tail, arc.head));
            }
            if let Some(c) = arc.capacity {
                if c < 0 {
                    return bad(format!("arc {a} has capacity {c}"));
                }
                flow_total += i128::from(c);
            }
            if arc.cost.unsigned_abs() > self.max_cost {
                return bad(format!("arc {a} costs {}, beyond the bound of {}", arc.cost, self.max_cost));
            }
        }
        if flow_total > MAX_FLOW_TOTAL {
            return bad(format!("supplies and capacities sum to {flow_total}: at most 2^62 allowed"));
        }
        self.flow_total = flow_total;
        for arc in arcs {
            self.simplex.push_arc(arc);
        }
        self.simplex.resize_block();
        Ok(())
    }

    /// Arcs added so far.
    #[must_use]
    pub fn arcs(&self) -> usize {
        self.simplex.cost.len() - self.simplex.nodes()
    }

    /// Pivots to an optimum of the arcs added so far, from the last tree.
    ///
    /// # Errors
    /// [`NetworkError::Infeasible`] if no flow meets the supplies (even when a negative cycle
    /// of unlimited capacity also exists); [`NetworkError::Unbounded`] if flows meet the
    /// supplies and a cycle of negative cost and unlimited capacity exists.
    pub fn solve(&mut self) -> Result<(), NetworkError> {
        match self.simplex.run() {
            Ok(()) => {}
            Err(NetworkError::Unbounded) => {
                // Unbounded only if some flow is feasible at all: with every cost 0 there is
                // no negative cycle, so this answers feasibility.
                let s = &self.simplex;
                let n = s.nodes();
                let supply = s.supply.clone();
                let flat: Vec<NetworkArc> = (n..s.cost.len())
                    .map(|a| NetworkArc {
                        tail: s.tail[a] as usize,
                        head: s.head[a] as usize,
                        capacity: (s.capacity[a] != INF).then_some(s.capacity[a]),
                        cost: 0,
                    })
                    .collect();
                return match min_cost_flow(&Network { nodes: n, supply, arcs: flat }) {
                    Ok(_) => Err(NetworkError::Unbounded),
                    Err(err) => Err(err),
                };
            }
            Err(err) => return Err(err),
        }
        if self.simplex.flow[..self.simplex.nodes()].iter().any(|&f| f > 0) {
            return Err(NetworkError::Infeasible);
        }
        Ok(())
    }

    /// Flow on each arc, in the order added.
    #[must_use]
    pub fn flow(&self) -> &[i64] {
        &self.simplex.flow[self.simplex.nodes()..]
    }

    /// A potential per node (see [`Flow::potential`]).
    #[must_use]
    pub fn potentials(&self) -> Vec<i64> {
        self.simplex.potentials()
    }

    /// The reduced cost of a possible arc under the current potentials, exactly.
    #[must_use]
    pub fn reduced_cost(&self, arc: &NetworkArc) -> i128 {
        let o = &self.simplex.order;
        i128::from(arc.cost) + i128::from(o[arc.tail].potential.wrapping_sub(o[arc.head].potential))
    }

    /// Keeps only the optima of the last solve for the solves to come: every arc whose
    /// reduced cost is not 0 is fixed at its flow (by complementary slackness, an arc of
    /// positive reduced cost is empty and one of negative reduced cost full in every optimum,
    /// and any flow that keeps them so and meets the supplies is optimal). Call after a
    /// successful [`FlowSolver::solve`]; the tree stays as it is.
    pub fn keep_optima(&mut self) {
        let s = &mut self.simplex;
        for a in s.nodes()..s.cost.len() {
            if s.state[a] & 1 != 0 && s.reduced_cost(a) != 0 {
                s.state[a] = FIXED;
            }
        }
    }

    /// Gives the arcs new costs (one per arc added, in order; every one at most `max_cost`
    /// either way; a self-loop's may not change) and goes on from the current tree: its flow is unchanged and still
    /// feasible, the potentials are worked out afresh from the tree. Call after a successful
    /// [`FlowSolver::solve`], so that no artificial arc carries flow.
    ///
    /// # Errors
    /// [`NetworkError::BadInput`] if the costs do not match the arcs, one exceeds `max_cost`
    /// or changes a self-loop's, or `max_cost` breaks the bounds in the module documentation.
    pub fn set_costs(&mut self, costs: &[i64], max_cost: u64) -> Result<(), NetworkError> {
        let bad = |s: String| Err(NetworkError::BadInput(s));
        let n = self.simplex.nodes();
        if costs.len() != self.arcs() {
            return bad(format!("{} costs for {} arcs", costs.len(), self.arcs()));
        }
        if let Some(a) = costs.iter().position(|c| c.unsigned_abs() > max_cost) {
            return bad(format!("arc {a} costs {}, beyond the bound of {max_cost}", costs[a]));
        }
        let big_cost = (n as i128 + 1) * i128::from(max_cost) + 1;
        if big_cost > MAX_BIG_COST {
            return bad(format!(
                "costs up to {max_cost} over {n} nodes could overflow: (n + 1) × max |cost| + 1 must be at most 2^59"
            ));
        }
        let big_cost = i64::try_from(big_cost).expect("checked against 2^59");
        let s = &mut self.simplex;
        // A self-loop was settled by its cost when added and is never priced.
        if let Some(k) = (0..costs.len()).find(|&k| s.tail[n + k] == s.head[n + k] && s.cost[n + k] != costs[k]) {
            return bad(format!("arc {k} is a self-loop, whose cost cannot change"));
        }
        self.max_cost = max_cost;
        s.cost[..n].fill(big_cost);
        s.cost[n..].copy_from_slice(costs);
        s.recompute_potentials();
        Ok(())
    }

    /// Pivots made so far.
    #[must_use]
    pub fn pivots(&self) -> u64 {
        self.simplex.pivots
    }

    /// The optimal flow of the last solve.
    #[must_use]
    pub fn answer(&self) -> Flow {
        let n = self.simplex.nodes();
        let flow = self.flow().to_vec();
        let s = &self.simplex;
        let cost = (n..s.cost.len()).map(|a| i128::from(s.cost[a]) * i128::from(s.flow[a])).sum();
        Flow { flow, potential: self.potentials(), cost, pivots: s.pivots }
    }
}

#[cfg(test)]
mod tests;
