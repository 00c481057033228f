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

/// Non-tree arc at flow 0.
const LOWER: i8 = 1;
/// Non-tree arc at its capacity.
const UPPER: i8 = -1;
/// Tree arc.
const TREE: i8 = 0;
/// Non-tree arc fixed at its flow, never priced: a self-loop (settled before the simplex),
/// or an arc a later stage may not move ([`FlowSolver::keep_optima`]). [`LOWER`] and
/// [`UPPER`] are odd, [`TREE`] and `FIXED` even, which is how pricing tells them apart.
const FIXED: i8 = 2;
/// Block size: this times √(number of arcs), and at least [`MIN_BLOCK`]. A quarter of
/// √(arcs) prices a placement network of 1 million arcs in a third of the time √(arcs)
/// takes and needs barely more pivots.
const BLOCK_FACTOR: f64 = 0.25;
/// The smallest block.
const MIN_BLOCK: f64 = 10.0;
/// Unlimited capacity or residual.
const INF: i64 = i64::MAX;
/// No node.
const NONE: usize = usize::MAX;

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

/// The network simplex's working state: arcs `0..n` are the artificial arcs (node `i`'s is
/// arc `i`), `n..` the network's; node `n` is the root. Nodes and arcs are
/// numbered in `u32`, which keeps the records small: the thread walk and the pricing are
/// bound by memory, not arithmetic.
#[derive(Clone)]
struct Simplex {
    tail: Vec<u32>,
    head: Vec<u32>,
    cost: Vec<i64>,
    /// Capacity, [`INF`] if unlimited.
    capacity: Vec<i64>,
    flow: Vec<i64>,
    /// [`LOWER`], [`UPPER`], [`TREE`] or [`FIXED`].
    state: Vec<i8>,
    /// Each node's potential and place in the depth-first order.
    order: Vec<Order>,
    /// Each node's place in the tree.
    tree: Vec<Place>,
    /// Where pricing resumes, and how many arcs a block holds.
    next_arc: usize,
    block: usize,
    pivots: u64,
    /// Scratch for rehanging a subtree, kept between pivots.
    path: Vec<PathNode>,
    /// Each node's supply.
    supply: Vec<i64>,
}

/// A node's potential (held modulo 2⁶⁴: only differences are used), the next node in a
/// depth-first order of the tree (cyclic, from the root) and the one before. One record,
/// so that walking the order to update potentials costs one cache miss a node.
#[derive(Clone, Copy)]
struct Order {
    potential: i64,
    thread: u32,
    rev_thread: u32,
}

/// A node's parent ([`NIL`] at the root), the tree arc joining them, how many nodes its
/// subtree holds (itself included) and the last of them in the depth-first order.
#[derive(Clone, Copy)]
struct Place {
    parent: u32,
    pred: u32,
    size: u32,
    last: u32,
}

/// A node on the path of a subtree being rehung, with what the tree said of it before: its
/// last descendant, the nodes before it and after that descendant in the order, its size.
#[derive(Clone, Copy)]
struct PathNode {
    node: u32,
    last: u32,
    before: u32,
    after_last: u32,
    size: u32,
}

/// No node or arc, in `u32`.
const NIL: u32 = u32::MAX;

impl Simplex {
    /// The artificial network and its strongly feasible starting tree: every node hangs
    /// from the root by its artificial arc (node `i`'s is arc `i`); real arcs are pushed
    /// after.
    fn new(supply: &[i64], big_cost: i64) -> Self {
        let n = supply.len();
        let root = n as u32;
        let mut s = Simplex {
            tail: Vec::with_capacity(n),
            head: Vec::with_capacity(n),
            cost: Vec::with_capacity(n),
            capacity: Vec::with_capacity(n),
            flow: Vec::with_capacity(n),
            state: Vec::with_capacity(n),
            order: vec![Order { potential: 0, thread: 0, rev_thread: 0 }; n + 1],
            tree: (0..=root).map(|i| Place { parent: root, pred: NIL, size: 1, last: i }).collect(),
            next_arc: 0,
            block: 0,
            pivots: 0,
            path: Vec::new(),
            supply: supply.to_vec(),
        };
        for (i, &supply) in supply.iter().enumerate() {
            if supply >= 0 {
                s.tail.push(i as u32);
                s.head.push(root);
                s.flow.push(supply);
                s.order[i].potential = -big_cost;
            } else {
                s.tail.push(root);
                s.head.push(i as u32);
                s.flow.push(-supply);
                s.order[i].potential = big_cost;
            }
            s.cost.push(big_cost);
            s.capacity.push(INF);
            s.state.push(TREE);
            s.tree[i].pred = i as u32;
            s.order[i].thread = i as u32 + 1;
            s.order[i + 1].rev_thread = i as u32;
        }
        // The order is root, 0, 1, …, n − 1 and round again (thread[n − 1] = root is set).
        let r = root as usize;
        s.tree[r] = Place { parent: NIL, pred: NIL, size: root + 1, last: if n == 0 { root } else { root - 1 } };
        if n == 0 {
            s.order[r].thread = root;
            s.order[r].rev_thread = root;
        } else {
            s.order[r].thread = 0;
            s.order[0].rev_thread = root;
        }
        s.resize_block();
        s
    }

    /// Nodes of the network (the root not counted).
    fn nodes(&self) -> usize {
        self.supply.len()
    }

    /// Adds an arc at flow 0 (a self-loop of negative cost and a limit at its limit: it is
    /// settled now, never priced, never in the tree).
    fn push_arc(&mut self, arc: &NetworkArc) {
        let capacity = arc.capacity.unwrap_or(INF);
        self.tail.push(arc.tail as u32);
        self.head.push(arc.head as u32);
        self.cost.push(arc.cost);
        self.capacity.push(capacity);
        if arc.tail == arc.head {
            self.state.push(FIXED);
            self.flow.push(if arc.cost < 0 && arc.capacity.is_some() { capacity } else { 0 });
        } else {
            self.state.push(LOWER);
            self.flow.push(0);
        }
    }

    /// Works out every potential from the tree: the root's is 0, and each tree arc's reduced
    /// cost is 0. The order visits a parent before its children.
    fn recompute_potentials(&mut self) {
        let root = self.nodes() as u32;
        self.order[root as usize].potential = 0;
        let mut v = self.order[root as usize].thread;
        while v != root {
            let place = self.tree[v as usize];
            let a = place.pred as usize;
            let parent = self.order[place.parent as usize].potential;
            // cost + π(tail) − π(head) = 0.
            self.order[v as usize].potential =
                if self.tail[a] == v { parent.wrapping_sub(self.cost[a]) } else { parent.wrapping_add(self.cost[a]) };
            v = self.order[v as usize].thread;
        }
    }

    /// Sets the block size for the arcs there are.
    fn resize_block(&mut self) {
        self.block = ((self.cost.len() as f64).sqrt() * BLOCK_FACTOR).ceil().max(MIN_BLOCK) as usize;
    }

    /// Pivots until no arc violates the optimality conditions.
    fn run(&mut self) -> Result<(), NetworkError> {
        if self.unbounded_self_loop() {
            return Err(NetworkError::Unbounded);
        }
        while let Some(entering) = self.entering_arc() {
            self.pivot(entering)?;
            self.pivots += 1;
        }
        Ok(())
    }

    /// Whether a self-loop of negative cost has no limit.
    fn unbounded_self_loop(&self) -> bool {
        (0..self.tail.len()).any(|a| self.tail[a] == self.head[a] && self.cost[a] < 0 && self.capacity[a] == INF)
    }

    /// The potentials, relative to the root's.
    fn potentials(&self) -> Vec<i64> {
        let (root, nodes) = self.order.split_last().expect("the root");
        nodes.iter().map(|o| o.potential.wrapping_sub(root.potential)).collect()
    }

    /// Block search: the most violating arc of the first block, from where the last search
    /// stopped, that has a violating arc; `None` at the optimum.
    fn entering_arc(&mut self) -> Option<usize> {
        let all = self.cost.len();
        let mut best = 0i64;
        let mut best_arc = NONE;
        let mut start = self.next_arc;
        let mut scanned = 0;
        while scanned < all {
            let end = (start + self.block).min(all);
            for a in start..end {
                let state = self.state[a];
                if state & 1 != 0 {
                    let violation = i64::from(state) * self.reduced_cost(a);
                    if violation < best {
                        best = violation;
                        best_arc = a;
                    }
                }
            }
            scanned += end - start;
            start = if end == all { 0 } else { end };
            if best_arc != NONE {
                break;
            }
        }
        self.next_arc = start;
        (best_arc != NONE).then_some(best_arc)
    }

    /// `arc`'s reduced cost: exact although potentials wrap, as the difference fits.
    fn reduced_cost(&self, arc: usize) -> i64 {
        let from = self.order[self.tail[arc] as usize].potential;
        let to = self.order[self.head[arc] as usize].potential;
        self.cost[arc] + from.wrapping_sub(to)
    }

    /// Room to raise `arc`'s flow.
    fn room_up(&self, arc: usize) -> i64 {
        if self.capacity[arc] == INF { INF } else { self.capacity[arc] - self.flow[arc] }
    }

    /// Sends flow round the cycle `entering` closes, and swaps it into the tree for the last
    /// blocking arc.
    fn pivot(&mut self, entering: usize) -> Result<(), NetworkError> {
        let e = entering;
        let rising = self.state[e] == LOWER;
        // The cycle's orientation: along `e` from `first` to `second` (with the arc if its
        // flow rises), then back up the tree from `second` to the join and down to `first`.
        let (first, second) = if rising { (self.tail[e], self.head[e]) } else { (self.head[e], self.tail[e]) };
        let join = self.join(first, second);

        // The last blocking arc along the orientation from the join: down to `first`, then
        // `e`, then up from `second`. Walking up from `first` meets that part backwards, so
        // a tie there keeps the arc met first (strict <); elsewhere later arcs win ties (≤).
        let mut down_delta = INF;
        let mut down_node = NIL;
        let mut u = first;
        while u != join {
            let place = self.tree[u as usize];
            let arc = place.pred as usize;
            // The cycle crosses this arc from parent to `u`.
            let room = if self.tail[arc] == u { self.flow[arc] } else { self.room_up(arc) };
            if room < down_delta {
                down_delta = room;
                down_node = u;
            }
            u = place.parent;
        }
        let entering_room = self.capacity[e];
        let (mut delta, mut leaving_node, mut leaving_down) =
            if entering_room <= down_delta { (entering_room, NIL, false) } else { (down_delta, down_node, true) };
        let mut u = second;
        while u != join {
            let place = self.tree[u as usize];
            let arc = place.pred as usize;
            // The cycle crosses this arc from `u` to parent.
            let room = if self.tail[arc] == u { self.room_up(arc) } else { self.flow[arc] };
            if room <= delta {
                delta = room;
                leaving_node = u;
                leaving_down = false;
            }
            u = place.parent;
        }
        if delta == INF {
            return Err(NetworkError::Unbounded);
        }

        if delta > 0 {
            self.flow[e] += if rising { delta } else { -delta };
            for (start, sign) in [(first, -delta), (second, delta)] {
                let mut u = start;
                while u != join {
                    let place = self.tree[u as usize];
                    let arc = place.pred as usize;
                    // Up from `first` the cycle runs against the tree; up from `second`, with it.
                    self.flow[arc] += if self.tail[arc] == u { sign } else { -sign };
                    u = place.parent;
                }
            }
        }

        if leaving_node == NIL {
            // `e` itself blocks: it moves to its other bound and the tree stands.
            self.state[e] = -self.state[e];
            return Ok(());
        }
        let leaving = self.tree[leaving_node as usize].pred as usize;
        self.state[leaving] = if self.flow[leaving] == 0 { LOWER } else { UPPER };
        self.state[e] = TREE;
        // The subtree below the leaving arc holds one end of `e`: rehang it from there.
        let (inner, outer) = if leaving_down { (first, second) } else { (second, first) };
        let reduced = self.reduced_cost(e);
        let shift = if inner == self.head[e] { reduced } else { -reduced };
        self.rehang(inner, outer, leaving_node, join, e as u32, shift);
        Ok(())
    }

    /// The nearest common ancestor of `a` and `b`: an ancestor's subtree is larger, so the
    /// node with the smaller (or equal) subtree is not the join and moves up.
    fn join(&self, mut a: u32, mut b: u32) -> u32 {
        while a != b {
            let (pa, pb) = (self.tree[a as usize], self.tree[b as usize]);
            if pa.size <= pb.size {
                a = pa.parent;
            } else {
                b = pb.parent;
            }
        }
        a
    }

    /// Cuts the subtree of `cut` (which holds `inner`; `join` is above it) from its parent
    /// and hangs it from `outer` by arc `e`, rooted at `inner`; its potentials move by
    /// `shift`.
    ///
    /// With `x0 = inner, x1, …, xk = cut` the tree path up, the new depth-first order of
    /// the subtree is `x0`'s old subtree, then for each `xi` its old subtree less
    /// `x(i−1)`'s: the run from `xi` to just before `x(i−1)` and the run from just after
    /// `x(i−1)`'s last descendant to `xi`'s. These runs of the old order are relinked end
    /// to start, so the order changes in time proportional to the path; only the potentials
    /// are touched node by node.
    fn rehang(&mut self, inner: u32, outer: u32, cut: u32, join: u32, e: u32, shift: i64) {
        // The path and what the old tree says of it.
        self.path.clear();
        let mut x = inner;
        loop {
            let place = self.tree[x as usize];
            self.path.push(PathNode {
                node: x,
                last: place.last,
                before: self.order[x as usize].rev_thread,
                after_last: self.order[place.last as usize].thread,
                size: place.size,
            });
            if x == cut {
                break;
            }
            x = place.parent;
        }
        let cut_node = *self.path.last().expect("the path holds the cut node");
        let moved = cut_node.size as usize;
        let cut_parent = self.tree[cut as usize].parent;

        // Potentials of the subtree move by `shift`, or, if that is quicker, those of the
        // rest of the tree by `−shift` (potentials matter only up to a constant, which is
        // why they are held modulo 2⁶⁴). Either is walked in the old order.
        let total = self.order.len();
        let (mut w, count, shift) = if 2 * moved <= total {
            (cut, moved, shift)
        } else {
            (cut_node.after_last, total - moved, shift.wrapping_neg())
        };
        for _ in 0..count {
            let o = &mut self.order[w as usize];
            o.potential = o.potential.wrapping_add(shift);
            w = o.thread;
        }

        // Sizes: below the join, the cut side loses the subtree and the other side gains it.
        for (start, change) in [(cut_parent, moved.wrapping_neg()), (outer, moved)] {
            let mut a = start;
            while a != join {
                let place = &mut self.tree[a as usize];
                place.size = (place.size as usize).wrapping_add(change) as u32;
                a = place.parent;
            }
        }

        // Take the old subtree out of the order; ancestors it ended lose it.
        self.link(cut_node.before, cut_node.after_last);
        let mut a = cut_parent;
        while a != NIL && self.tree[a as usize].last == cut_node.last {
            self.tree[a as usize].last = cut_node.before;
            a = self.tree[a as usize].parent;
        }

        // Chain the runs in the new order; `end` is the chain's last node so far.
        let mut end = self.path[0].last;
        for i in 1..self.path.len() {
            let (below, here) = (self.path[i - 1], self.path[i]);
            self.link(end, here.node);
            end = below.before;
            if below.last != here.last {
                self.link(end, below.after_last);
                end = here.last;
            }
        }

        // Reverse the path (x0 hangs from `outer` by `e`, each x(i+1) from xi by xi's old
        // arc); each path node's subtree now runs to the chain's end, and xi's size is the
        // whole less x(i−1)'s old size.
        let mut up = outer;
        let mut arc = e;
        let mut below_size = 0;
        for p in &self.path {
            let place = &mut self.tree[p.node as usize];
            let old_arc = place.pred;
            *place = Place { parent: up, pred: arc, size: cut_node.size - below_size, last: end };
            below_size = p.size;
            up = p.node;
            arc = old_arc;
        }

        // Put the chain in just after `outer`; ancestors that `outer` ended now end with it.
        let next = self.order[outer as usize].thread;
        self.link(outer, inner);
        self.link(end, next);
        let mut a = outer;
        while a != NIL && self.tree[a as usize].last == outer {
            self.tree[a as usize].last = end;
            a = self.tree[a as usize].parent;
        }
    }

    /// Makes `to` follow `from` in the order.
    fn link(&mut self, from: u32, to: u32) {
        self.order[from as usize].thread = to;
        self.order[to as usize].rev_thread = from;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc(tail: usize, head: usize, capacity: Option<i64>, cost: i64) -> NetworkArc {
        NetworkArc { tail, head, capacity, cost }
    }

    fn network(supply: &[i64], arcs: &[NetworkArc]) -> Network {
        Network { nodes: supply.len(), supply: supply.to_vec(), arcs: arcs.to_vec() }
    }

    /// Checks `flow` against `net`: bounds, conservation, the cost, and the optimality
    /// conditions of the potentials (which prove it optimal).
    fn verify(net: &Network, flow: &Flow) {
        assert_eq!(flow.flow.len(), net.arcs.len());
        assert_eq!(flow.potential.len(), net.nodes);
        let mut balance = net.supply.clone();
        let mut cost = 0i128;
        for (a, (arc, &f)) in net.arcs.iter().zip(&flow.flow).enumerate() {
            assert!(f >= 0, "arc {a}: flow {f}");
            if let Some(c) = arc.capacity {
                assert!(f <= c, "arc {a}: flow {f} above capacity {c}");
            }
            balance[arc.tail] -= f;
            balance[arc.head] += f;
            cost += i128::from(arc.cost) * i128::from(f);
            let reduced = arc.cost + flow.potential[arc.tail] - flow.potential[arc.head];
            if arc.capacity.is_none_or(|c| f < c) {
                assert!(reduced >= 0, "arc {a} below capacity with reduced cost {reduced}");
            }
            if f > 0 {
                assert!(reduced <= 0, "arc {a} carries flow with reduced cost {reduced}");
            }
        }
        assert!(balance.iter().all(|&b| b == 0), "flow not conserved: {balance:?}");
        assert_eq!(cost, flow.cost);
    }

    fn solve(net: &Network) -> Flow {
        let flow = min_cost_flow(net).expect("optimal");
        verify(net, &flow);
        flow
    }

    /// An independent checker: successive shortest paths with Bellman–Ford. Unlimited arcs
    /// get a capacity no optimum needs to reach; negative arcs start saturated so that the
    /// residual network has no negative cycle; then each excess goes to a deficit by a
    /// shortest path. Infeasible if an excess cannot get out; unbounded if feasible and the
    /// unlimited arcs hold a negative cycle.
    fn reference(net: &Network) -> Result<i128, NetworkError> {
        let n = net.nodes;
        let positive: i64 = net.supply.iter().filter(|&&s| s > 0).sum();
        let finite: i64 = net.arcs.iter().filter_map(|a| a.capacity).sum();
        let big = positive + finite + 1;
        let cap: Vec<i64> = net.arcs.iter().map(|a| a.capacity.unwrap_or(big)).collect();
        let mut flow = vec![0i64; net.arcs.len()];
        let mut excess = net.supply.clone();
        for (a, arc) in net.arcs.iter().enumerate() {
            if arc.cost < 0 {
                flow[a] = cap[a];
                excess[arc.tail] -= cap[a];
                excess[arc.head] += cap[a];
            }
        }
        // Residual arcs: (from, to, cost, arc, forward).
        while let Some(s) = (0..n).find(|&v| excess[v] > 0) {
            let mut dist = vec![i64::MAX; n];
            let mut via = vec![None; n];
            dist[s] = 0;
            for _ in 0..n {
                let mut changed = false;
                for (a, arc) in net.arcs.iter().enumerate() {
                    let (u, v) = (arc.tail, arc.head);
                    if flow[a] < cap[a] && dist[u] != i64::MAX && dist[u] + arc.cost < dist[v] {
                        dist[v] = dist[u] + arc.cost;
                        via[v] = Some((a, true));
                        changed = true;
                    }
                    if flow[a] > 0 && dist[v] != i64::MAX && dist[v] - arc.cost < dist[u] {
                        dist[u] = dist[v] - arc.cost;
                        via[u] = Some((a, false));
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
            let Some(t) = (0..n).filter(|&v| excess[v] < 0 && dist[v] != i64::MAX).min_by_key(|&v| dist[v]) else {
                return Err(NetworkError::Infeasible);
            };
            let mut amount = excess[s].min(-excess[t]);
            let mut v = t;
            while v != s {
                let (a, forward) = via[v].unwrap();
                let arc = &net.arcs[a];
                amount = amount.min(if forward { cap[a] - flow[a] } else { flow[a] });
                v = if forward { arc.tail } else { arc.head };
            }
            let mut v = t;
            while v != s {
                let (a, forward) = via[v].unwrap();
                let arc = &net.arcs[a];
                flow[a] += if forward { amount } else { -amount };
                v = if forward { arc.tail } else { arc.head };
            }
            excess[s] -= amount;
            excess[t] += amount;
        }
        // A negative cycle of unlimited arcs: Bellman–Ford from every node at once.
        let mut dist = vec![0i64; n];
        for round in 0..=n {
            let mut changed = false;
            for arc in net.arcs.iter().filter(|a| a.capacity.is_none()) {
                if dist[arc.tail] + arc.cost < dist[arc.head] {
                    dist[arc.head] = dist[arc.tail] + arc.cost;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
            if round == n {
                return Err(NetworkError::Unbounded);
            }
        }
        Ok(net.arcs.iter().zip(&flow).map(|(a, &f)| i128::from(a.cost) * i128::from(f)).sum())
    }

    /// A deterministic generator (splitmix64).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        /// Uniform in `low..=high`.
        fn range(&mut self, low: i64, high: i64) -> i64 {
            low + (self.next() % (high - low + 1) as u64) as i64
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// The shape of a random network: `units` units each from a random node to a random
    /// node; arcs with capacities up to `max_capacity` (one in `unlimited` with none) and
    /// costs in `costs` (unlimited arcs' costs at least `unlimited_low`).
    #[derive(Clone, Copy)]
    struct Shape {
        nodes: usize,
        arcs: usize,
        units: usize,
        max_capacity: i64,
        unlimited: usize,
        costs: (i64, i64),
        unlimited_low: i64,
    }

    fn random_network(rng: &mut Rng, shape: &Shape) -> Network {
        let Shape { nodes, arcs, units, max_capacity, unlimited, costs, unlimited_low } = *shape;
        let mut supply = vec![0; nodes];
        for _ in 0..units {
            supply[rng.below(nodes)] += 1;
            supply[rng.below(nodes)] -= 1;
        }
        let arcs = (0..arcs)
            .map(|_| {
                let (tail, head) = (rng.below(nodes), rng.below(nodes));
                if rng.below(unlimited) == 0 {
                    arc(tail, head, None, rng.range(costs.0.max(unlimited_low), costs.1))
                } else {
                    arc(tail, head, Some(rng.range(0, max_capacity)), rng.range(costs.0, costs.1))
                }
            })
            .collect();
        Network { nodes, supply, arcs }
    }

    #[test]
    fn transportation_two_by_three_with_capacities() {
        // A (5) and B (4) supply X (3), Y (4) and Z (2); A→X holds 2 and B→Y holds 2. With
        // B's flows bx, by, bz (A's are the rest of each demand) the cost is
        // 31 + 2bx − 2by − bz = 23 + 4bx + bz with by = 4 − bx − bz; bx ≥ 1 (A→X) and
        // bx + bz ≥ 2 (B→Y), so bx = bz = 1, by = 2: 28.
        let net = network(
            &[5, 4, -3, -4, -2],
            &[
                arc(0, 2, Some(2), 1),
                arc(0, 3, None, 4),
                arc(0, 4, None, 6),
                arc(1, 2, None, 3),
                arc(1, 3, Some(2), 2),
                arc(1, 4, None, 5),
            ],
        );
        let flow = solve(&net);
        assert_eq!(flow.cost, 28);
        assert_eq!(flow.flow, vec![2, 2, 1, 1, 2, 1]);
    }

    #[test]
    fn path() {
        let net = network(&[3, 0, 0, -3], &[arc(0, 1, Some(5), 2), arc(1, 2, None, 3), arc(2, 3, Some(3), 4)]);
        let flow = solve(&net);
        assert_eq!(flow.cost, 27);
        assert_eq!(flow.flow, vec![3, 3, 3]);
        // Every arc carries flow below its capacity or at a capacity: potentials rise by the
        // cost along the first two arcs (reduced cost 0).
        assert_eq!(flow.potential[1] - flow.potential[0], 2);
        assert_eq!(flow.potential[2] - flow.potential[1], 3);
    }

    #[test]
    fn unlimited_arcs_take_the_overflow() {
        // The direct arc (cost 1) holds 2; the other 3 go round by node 2 (cost 4 each).
        let net = network(&[5, -5, 0], &[arc(0, 1, Some(2), 1), arc(0, 2, None, 2), arc(2, 1, None, 2)]);
        let flow = solve(&net);
        assert_eq!(flow.cost, 14);
        assert_eq!(flow.flow, vec![2, 3, 3]);
    }

    #[test]
    fn parallel_arcs_fill_cheapest_first() {
        let net = network(&[6, -6], &[arc(0, 1, Some(3), 5), arc(0, 1, Some(2), 1), arc(0, 1, None, 3)]);
        let flow = solve(&net);
        assert_eq!(flow.cost, 14);
        assert_eq!(flow.flow, vec![0, 2, 4]);
    }

    #[test]
    fn zero_cost_arcs_and_a_zero_cost_cycle() {
        // 0 → 1 → 2 costs nothing; 0 → 2 costs 1; 2 → 0 closes a cycle of cost 0.
        let net =
            network(&[4, 0, -4], &[arc(0, 1, None, 0), arc(1, 2, None, 0), arc(0, 2, None, 1), arc(2, 0, Some(5), 0)]);
        let flow = solve(&net);
        assert_eq!(flow.cost, 0);
        assert_eq!(flow.flow[2], 0);
        assert_eq!(flow.flow[0] - flow.flow[3], 4);
    }

    #[test]
    fn degenerate_ties_and_an_isolated_node() {
        // Two routes of equal cost, each able to take everything; a closed arc of negative
        // cost between them; node 4 has no arcs. Many pivots move no flow.
        let net = network(
            &[2, 0, 0, -2, 0],
            &[
                arc(0, 1, Some(2), 1),
                arc(0, 2, Some(2), 1),
                arc(1, 3, Some(2), 1),
                arc(2, 3, Some(2), 1),
                arc(1, 2, Some(0), -1),
                arc(2, 1, Some(2), 0),
            ],
        );
        let flow = solve(&net);
        assert_eq!(flow.cost, 4);
        assert_eq!(flow.flow[4], 0);
    }

    #[test]
    fn negative_cycles_with_limits_and_self_loops() {
        // Nothing to move, but the cycle 0 → 1 → 0 earns 2 a unit up to 2 units, and the
        // self-loop at 2 earns 2 a unit up to 3; the one at 0 costs and stays empty.
        let net = network(
            &[0, 0, 0],
            &[arc(0, 1, Some(3), -1), arc(1, 0, Some(2), -1), arc(2, 2, Some(3), -2), arc(0, 0, None, 1)],
        );
        let flow = solve(&net);
        assert_eq!(flow.cost, -10);
        assert_eq!(flow.flow, vec![2, 2, 3, 0]);
    }

    #[test]
    fn no_nodes_and_no_arcs() {
        let flow = solve(&network(&[], &[]));
        assert_eq!(flow.cost, 0);
        let flow = solve(&network(&[0, 0], &[]));
        assert_eq!(flow.flow, Vec::<i64>::new());
    }

    #[test]
    fn too_little_capacity_is_infeasible() {
        let net = network(&[3, -3], &[arc(0, 1, Some(2), 1)]);
        assert_eq!(min_cost_flow(&net), Err(NetworkError::Infeasible));
        // A demand no arc reaches.
        let net = network(&[1, 0, -1], &[arc(0, 1, None, 1)]);
        assert_eq!(min_cost_flow(&net), Err(NetworkError::Infeasible));
    }

    #[test]
    fn negative_cycle_without_limit_is_unbounded() {
        let net = network(&[1, -1, 0], &[arc(0, 1, None, 1), arc(1, 2, None, -3), arc(2, 1, None, 1)]);
        assert_eq!(min_cost_flow(&net), Err(NetworkError::Unbounded));
        let net = network(&[0], &[arc(0, 0, None, -1)]);
        assert_eq!(min_cost_flow(&net), Err(NetworkError::Unbounded));
        // Infeasible as well: infeasibility is reported.
        let net = network(&[1, -1, 0], &[arc(1, 2, None, -3), arc(2, 1, None, 1)]);
        assert_eq!(min_cost_flow(&net), Err(NetworkError::Infeasible));
    }

    #[test]
    fn bad_input_is_refused() {
        let bad = |net: &Network| matches!(min_cost_flow(net), Err(NetworkError::BadInput(_)));
        assert!(bad(&network(&[1, 0], &[arc(0, 1, None, 1)])), "supplies not summing to 0");
        assert!(bad(&Network { nodes: 3, supply: vec![0, 0], arcs: vec![] }), "supplies for too few nodes");
        assert!(bad(&network(&[0, 0], &[arc(0, 2, None, 1)])), "node out of range");
        assert!(bad(&network(&[0, 0], &[arc(0, 1, Some(-1), 1)])), "negative capacity");
        assert!(bad(&network(&[0, 0], &[arc(0, 1, None, 1 << 58)])), "costs that could overflow");
        assert!(bad(&network(&[i64::MAX, -i64::MAX], &[])), "supplies that could overflow");
        assert!(bad(&network(&[0, 0], &[arc(0, 1, Some(i64::MAX), 1)])), "capacities that could overflow");
        // At the bounds it solves.
        let flow = solve(&network(&[1 << 62, -(1 << 62)], &[arc(0, 1, None, (1 << 59) / 3 - 1)]));
        assert_eq!(flow.cost, (1i128 << 62) * ((1i128 << 59) / 3 - 1));
    }

    /// Solves `net` both ways and compares.
    fn compare(net: &Network, seed: u64) -> Result<i128, NetworkError> {
        let expected = reference(net);
        let got = min_cost_flow(net);
        match (&got, &expected) {
            (Ok(flow), Ok(cost)) => {
                verify(net, flow);
                assert_eq!(flow.cost, *cost, "seed {seed}: {net:?}");
            }
            _ => assert_eq!(got.as_ref().err(), expected.as_ref().err(), "seed {seed}: {net:?}"),
        }
        expected
    }

    #[test]
    fn small_random_networks_match_successive_shortest_paths() {
        let (mut optimal, mut infeasible, mut unbounded) = (0, 0, 0);
        for seed in 0..1_000 {
            let mut rng = Rng(seed);
            let nodes = rng.range(3, 8) as usize;
            let arcs = rng.range(0, 15) as usize;
            let units = rng.range(0, 8) as usize;
            let net = random_network(
                &mut rng,
                &Shape { nodes, arcs, units, max_capacity: 5, unlimited: 4, costs: (-3, 10), unlimited_low: -1 },
            );
            match compare(&net, seed) {
                Ok(_) => optimal += 1,
                Err(NetworkError::Infeasible) => infeasible += 1,
                Err(NetworkError::Unbounded) => unbounded += 1,
                Err(err) => panic!("seed {seed}: {err}"),
            }
        }
        println!("{optimal} optimal, {infeasible} infeasible, {unbounded} unbounded");
        assert!(optimal >= 300, "{optimal} optimal");
        assert!(infeasible >= 20 && unbounded >= 5, "{infeasible} infeasible, {unbounded} unbounded");
    }

    #[test]
    fn dense_small_networks_with_many_ties_match() {
        // Few distinct costs and capacities: many ties and degenerate pivots.
        for seed in 0..300 {
            let mut rng = Rng(1_000_000 + seed);
            let nodes = rng.range(3, 6) as usize;
            let net = random_network(
                &mut rng,
                &Shape { nodes, arcs: 15, units: 6, max_capacity: 2, unlimited: 3, costs: (0, 2), unlimited_low: 0 },
            );
            compare(&net, seed).ok();
        }
    }

    #[test]
    fn larger_random_networks_match_successive_shortest_paths() {
        for seed in 0..4 {
            let mut rng = Rng(7_000 + seed);
            let nodes = rng.range(200, 300) as usize;
            let arcs = rng.range(2_000, 3_000) as usize;
            // Negative costs only where capacity is limited: bounded, and feasible.
            let net = random_network(
                &mut rng,
                &Shape { nodes, arcs, units: 300, max_capacity: 20, unlimited: 10, costs: (-5, 50), unlimited_low: 0 },
            );
            let flow = min_cost_flow(&net).expect("optimal");
            assert!(flow.pivots > 100);
            assert_eq!(compare(&net, seed), Ok(flow.cost));
        }
    }

    /// Checks the tree after a pivot: the thread is a depth-first order of the parent tree
    /// with the right sizes and last descendants, tree arcs join child and parent at reduced
    /// cost 0, and the tree is strongly feasible (every node can send a unit to the root).
    #[allow(clippy::needless_range_loop)] // parallel arrays indexed by node
    fn check_tree(s: &Simplex) {
        let total = s.order.len();
        let root = total - 1;
        let mut position = vec![usize::MAX; total];
        let mut at = vec![0; total];
        let mut v = root;
        for i in 0..total {
            assert_eq!(position[v], usize::MAX, "node {v} twice in the order");
            position[v] = i;
            at[i] = v;
            let next = s.order[v].thread as usize;
            assert_eq!(s.order[next].rev_thread as usize, v);
            v = next;
        }
        assert_eq!(v, root, "the order does not close");
        let mut children_size = vec![0; total];
        for v in 0..total {
            let place = s.tree[v];
            let (first, end) = (position[v], position[v] + place.size as usize);
            assert_eq!(at[end - 1], place.last as usize, "last of {v}");
            if v == root {
                assert_eq!((place.parent, place.size as usize), (NIL, total));
                continue;
            }
            let parent = place.parent as usize;
            children_size[parent] += place.size as usize;
            let p = s.tree[parent];
            assert!(position[parent] < first && end <= position[parent] + p.size as usize, "{v} not under {parent}");
            let arc = place.pred as usize;
            assert_eq!(s.state[arc], TREE);
            let (tail, head) = (s.tail[arc] as usize, s.head[arc] as usize);
            assert!((tail, head) == (v, parent) || (tail, head) == (parent, v), "arc {arc} does not join {v}");
            assert_eq!(s.reduced_cost(arc), 0, "tree arc {arc}");
            let room_to_root = if tail == v { s.room_up(arc) } else { s.flow[arc] };
            assert!(room_to_root > 0, "not strongly feasible at {v}");
        }
        for v in 0..total {
            assert_eq!(children_size[v] + 1, s.tree[v].size as usize, "size of {v}");
        }
        let in_tree = (0..s.tail.len()).filter(|&a| s.state[a] == TREE).count();
        assert_eq!(in_tree, total - 1);
    }

    #[test]
    fn pricing_arcs_in_reaches_the_whole_networks_optimum() {
        for seed in 0..300 {
            let mut rng = Rng(90_000 + seed);
            let nodes = rng.range(2, 25) as usize;
            let arcs = rng.range(0, 150) as usize;
            let shape =
                Shape { nodes, arcs, units: 30, max_capacity: 6, unlimited: 2, costs: (-3, 9), unlimited_low: 0 };
            let net = random_network(&mut rng, &shape);
            match (min_cost_flow_priced(&net), min_cost_flow(&net)) {
                (Ok(priced), Ok(whole)) => {
                    verify(&net, &priced);
                    assert_eq!(priced.cost, whole.cost, "seed {seed}");
                }
                (priced, whole) => assert_eq!(priced.err(), whole.err(), "seed {seed}"),
            }
        }
    }

    #[test]
    fn the_tree_stays_a_strongly_feasible_spanning_tree() {
        for seed in 0..200 {
            let mut rng = Rng(50_000 + seed);
            let nodes = rng.range(3, 30) as usize;
            let arcs = rng.range(0, 120) as usize;
            let shape =
                Shape { nodes, arcs, units: 20, max_capacity: 4, unlimited: 5, costs: (-2, 6), unlimited_low: 0 };
            let net = random_network(&mut rng, &shape);
            // The arcs in two batches: the second joins an optimal tree (a warm start).
            let mut solver = FlowSolver::for_network(&net).unwrap();
            let half = net.arcs.len() / 2;
            for batch in [&net.arcs[..half], &net.arcs[half..]] {
                solver.add_arcs(batch).unwrap();
                let simplex = &mut solver.simplex;
                check_tree(simplex);
                while let Some(entering) = simplex.entering_arc() {
                    simplex.pivot(entering).unwrap();
                    simplex.pivots += 1;
                    check_tree(simplex);
                }
            }
            // The same optimum as the whole network solved at once, and the checker's.
            match (solver.solve(), min_cost_flow(&net)) {
                (Ok(()), Ok(whole)) => {
                    assert_eq!(solver.answer().cost, whole.cost, "seed {seed}");
                    verify(&net, &solver.answer());
                }
                (warm, whole) => assert_eq!(warm.err(), whole.err(), "seed {seed}"),
            }
            compare(&net, seed).ok();
        }
    }

    #[test]
    fn a_second_stage_finds_the_least_second_cost_among_the_first_costs_optima() {
        // Lexicographic: least cost, then among those optima the least second cost. The
        // reference folds both into one cost, first × K + second, with K above any second
        // cost a flow can have.
        let mut both = 0;
        for seed in 0..300 {
            let mut rng = Rng(70_000 + seed);
            let nodes = rng.range(3, 12) as usize;
            let arcs = rng.range(2, 40) as usize;
            let shape =
                Shape { nodes, arcs, units: 12, max_capacity: 4, unlimited: 4, costs: (-1, 3), unlimited_low: 0 };
            let net = random_network(&mut rng, &shape);
            // Arcs without a limit cost at least 0 in both, so neither stage is unbounded.
            let second: Vec<i64> = net
                .arcs
                .iter()
                .map(|a| match (a.tail == a.head, a.capacity) {
                    (true, _) => a.cost,
                    (false, None) => rng.range(0, 9),
                    (false, Some(_)) => rng.range(-5, 9),
                })
                .collect();
            const K: i64 = 1_000_000;
            let folded = Network {
                arcs: net.arcs.iter().zip(&second).map(|(a, &c)| NetworkArc { cost: a.cost * K + c, ..*a }).collect(),
                ..net.clone()
            };
            let mut solver = FlowSolver::for_network(&net).unwrap();
            solver.add_arcs(&net.arcs).unwrap();
            let first = solver.solve();
            let Ok(expected) = reference(&folded) else {
                assert!(first.is_err(), "seed {seed}: solved where the reference found none");
                continue;
            };
            first.unwrap();
            let first_optimum = solver.answer().cost;
            solver.keep_optima();
            let second_max = largest_cost(&second);
            solver.set_costs(&second, second_max).unwrap();
            check_tree(&solver.simplex);
            solver.solve().unwrap();
            check_tree(&solver.simplex);
            let flow = solver.flow();
            let cost = |costs: &mut dyn Iterator<Item = i64>| -> i128 {
                costs.zip(flow).map(|(c, &f)| i128::from(c) * i128::from(f)).sum()
            };
            let first_cost = cost(&mut net.arcs.iter().map(|a| a.cost));
            let second_cost = cost(&mut second.iter().copied());
            assert_eq!(first_cost, first_optimum, "seed {seed}: the first optimum is kept");
            assert_eq!(first_cost * i128::from(K) + second_cost, expected, "seed {seed}: the least second cost");
            let mut balance = net.supply.clone();
            for (arc, &f) in net.arcs.iter().zip(flow) {
                assert!(f >= 0 && arc.capacity.is_none_or(|c| f <= c), "seed {seed}: flow {f} out of bounds");
                balance[arc.tail] -= f;
                balance[arc.head] += f;
            }
            assert!(balance.iter().all(|&b| b == 0), "seed {seed}: flow not conserved");
            both += 1;
        }
        assert!(both > 100, "only {both} networks had both stages");
    }

    /// A placement-like network: `localities` supply nodes (1 to 10 children each) with
    /// `per_locality` arcs of no limit to random ones of `schools`, each school's places an
    /// arc to the sink, and unmet need straight to the sink at a high cost.
    fn placement_network(seed: u64, localities: usize, schools: usize, per_locality: usize) -> Network {
        let mut rng = Rng(seed);
        let sink = localities + schools;
        let mut supply = vec![0i64; sink + 1];
        let mut arcs = Vec::with_capacity(localities * (per_locality + 1) + schools);
        for (l, supply) in supply.iter_mut().enumerate().take(localities) {
            *supply = rng.range(1, 10);
            for _ in 0..per_locality {
                arcs.push(arc(l, localities + rng.below(schools), None, rng.range(1, 1_000)));
            }
            arcs.push(arc(l, sink, None, 100_000));
        }
        for s in 0..schools {
            arcs.push(arc(localities + s, sink, Some(rng.range(0, 100)), 0));
        }
        supply[sink] = -supply.iter().sum::<i64>();
        Network { nodes: sink + 1, supply, arcs }
    }

    fn time_placement(localities: usize, schools: usize, per_locality: usize) {
        let net = placement_network(42, localities, schools, per_locality);
        let start = std::time::Instant::now();
        let flow = min_cost_flow(&net).expect("optimal");
        let elapsed = start.elapsed();
        verify(&net, &flow);
        println!(
            "{} nodes, {} arcs: cost {}, {} pivots, {:.2} s",
            net.nodes,
            net.arcs.len(),
            flow.cost,
            flow.pivots,
            elapsed.as_secs_f64()
        );
    }

    /// Timing by hand: `cargo test --release --lib network -- --ignored --nocapture`.
    #[test]
    #[ignore = "a timing, not a test: run by hand in release"]
    fn scale_one_million_arcs() {
        time_placement(50_000, 10_000, 20);
    }

    /// Timing by hand: the size of a large region's yearly program.
    #[test]
    #[ignore = "a timing, not a test: run by hand in release"]
    fn scale_four_point_six_million_arcs() {
        time_placement(250_000, 50_000, 17);
    }
}
