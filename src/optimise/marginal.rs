//! What the plan's other choices would cost: the reduced cost of every placement arc, read
//! off the optimal plan itself, so that every solver gives the same figures.
//!
//! **The network.** As in [`crate::optimise::flow`]: a node per demand row, per setting with
//! a limit of places and per setting and need with a cap, and the sink. Given the plan, its
//! *residual* network has, for each arc of the program, the move it can still make: a child
//! of a row sent to a setting (always; a place arc into a full setting leads nowhere but
//! onward through the children it would displace), a child taken off an arc (where children
//! are placed on it beyond those who stay: at minus its cost), a place taken at a setting with
//! one free, a place given back where children are placed, and a child left unmet or placed
//! who was unmet (at plus or minus the penalty).
//!
//! **Potentials.** `d(v)` is the cost of the cheapest way in that residual network to take one
//! more unit of flow from node `v` to the sink: for a demand row, what one more child of it
//! would cost (its marginal cost, the LP dual of its demand row); for a setting, what one more
//! child arriving there would cost onward (nothing with a place free, else the cheapest
//! chain of children moved on to make room: minus the LP dual of its places row). At an
//! optimum the residual network has no cycle of negative cost, so these shortest paths
//! exist; they are found by a Bellman–Ford search from the sink (queue-based, O(arcs) a
//! pass, a pass per link of the longest chain), and they are valid optimal LP duals: every
//! arc's reduced cost is at least 0, and 0 where children are placed (tested).
//!
//! **Extra.** The extra of arc (row `r` → setting `s`) is its reduced cost under these
//! potentials: cost(r → s) + d(s) − d(r), i.e. what one more child of the row would cost
//! placed at `s` (making room there if it is full) less what one more child of the row costs
//! placed the cheapest way. By the theory of shortest augmenting paths it is exactly the
//! difference of two optima: the program with one more child of the row forced onto the arc,
//! less the program with one more child of the row (for a small enough number of children; for
//! one whole child when places and forecasts are whole numbers, as the paths then carry a
//! whole child). It is also a lower bound on the cost of *moving* one of the row's children
//! onto the arc (any optimal dual's reduced cost is; the dual may not be unique). Both claims
//! are tested against re-solves. Each part of the cost (money: place and transport; children
//! out of borough; children unmet; the tie-break's pennies) is summed along the same two paths,
//! so the money and the policy weight are reported apart.
//!
//! Under a lexicographic objective paths are compared by (children unmet, children out of
//! borough, money), the order the plan is optimal in. Programs that are not networks (with
//! locality caps) have no figures here (`None`).

use std::ops::{Add, Neg, Sub};

use crate::model::{Model, ObjectiveMode};
use crate::optimise::formulation::Formulation;
use crate::optimise::plan::SMALLEST_FLOW;

/// The cost of a move of one child, by part.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Extra {
    /// Places and transport, £ a year.
    pub money: f64,
    /// Children out of borough (more or fewer).
    pub out_of_borough: f64,
    /// Children unmet (more or fewer).
    pub unmet: f64,
    /// The tie-break's charge, £ (pennies: only to make every solver pick one plan).
    pub tie: f64,
}

impl Add for Extra {
    type Output = Extra;
    fn add(self, o: Extra) -> Extra {
        Extra {
            money: self.money + o.money,
            out_of_borough: self.out_of_borough + o.out_of_borough,
            unmet: self.unmet + o.unmet,
            tie: self.tie + o.tie,
        }
    }
}

impl Neg for Extra {
    type Output = Extra;
    fn neg(self) -> Extra {
        Extra { money: -self.money, out_of_borough: -self.out_of_borough, unmet: -self.unmet, tie: -self.tie }
    }
}

impl Sub for Extra {
    type Output = Extra;
    fn sub(self, o: Extra) -> Extra {
        self + -o
    }
}

impl Extra {
    /// The policy weights of the move, £ (not money): out-of-borough weight and unmet penalty.
    #[must_use]
    pub fn policy_weight(&self, model: &Model) -> f64 {
        self.out_of_borough * model.policy.out_of_borough_weight.pounds()
            + self.unmet * model.policy.unmet_penalty.pounds()
    }

    /// Its weighted cost, £, as the weighted objective (with the tie-break) prices it.
    #[must_use]
    pub fn weighted(&self, model: &Model) -> f64 {
        self.money + self.policy_weight(model) + self.tie
    }
}

/// How moves are compared: the model's objective.
#[derive(Debug, Clone, Copy)]
pub struct Order {
    lexicographic: bool,
    weight: f64,
    penalty: f64,
}

/// Money below this (£) is no difference: below a thousandth of a penny is the network
/// simplex's rounding of costs, and a cycle that much below 0 must not be chased.
const MONEY_TOLERANCE: f64 = 1e-4;
/// Children below this are none (solver round-off).
const CHILD_TOLERANCE: f64 = 1e-7;

impl Order {
    /// The order of `model`'s objective.
    #[must_use]
    pub fn of(model: &Model) -> Order {
        Order {
            lexicographic: model.policy.objective == ObjectiveMode::Lexicographic,
            weight: model.policy.out_of_borough_weight.pounds(),
            penalty: model.policy.unmet_penalty.pounds(),
        }
    }

    /// A move's rank for choosing among moves: its cost under the objective in pennies
    /// (under a lexicographic objective, millionths of a child unmet, then out of borough,
    /// then pennies), without the tie-break's charge, so that moves within a penny rank the
    /// same however their paths were found.
    #[must_use]
    pub fn rank(&self, e: &Extra) -> (i64, i64, i64) {
        let pennies = |pounds: f64| (pounds * 100.0).round() as i64;
        let millionths = |children: f64| (children * 1e6).round() as i64;
        if self.lexicographic {
            (millionths(e.unmet), millionths(e.out_of_borough), pennies(e.money))
        } else {
            (0, 0, pennies(e.money + e.out_of_borough * self.weight + e.unmet * self.penalty))
        }
    }

    /// Whether `a` is cheaper than `b` by more than round-off.
    #[must_use]
    pub fn less(&self, a: &Extra, b: &Extra) -> bool {
        self.compare(a, b) == std::cmp::Ordering::Less
    }

    /// `a` against `b`, equal within round-off.
    #[must_use]
    pub fn compare(&self, a: &Extra, b: &Extra) -> std::cmp::Ordering {
        use std::cmp::Ordering::Equal;
        let near = |x: f64, y: f64, tol: f64| {
            if (x - y).abs() <= tol + 1e-12 * x.abs().max(y.abs()) { Equal } else { x.total_cmp(&y) }
        };
        if self.lexicographic {
            near(a.unmet, b.unmet, CHILD_TOLERANCE)
                .then(near(a.out_of_borough, b.out_of_borough, CHILD_TOLERANCE))
                .then(near(a.money + a.tie, b.money + b.tie, MONEY_TOLERANCE))
        } else {
            let w = |e: &Extra| e.money + e.out_of_borough * self.weight + e.unmet * self.penalty + e.tie;
            near(w(a), w(b), MONEY_TOLERANCE)
        }
    }
}

/// The reduced costs of a plan's placement arcs.
#[derive(Debug, Clone, PartialEq)]
pub struct Marginal {
    /// Per arc of the formulation: the extra of one more child of its row placed on it (see
    /// the module's docs); `None` where no room could be made there (its places are all held
    /// by children who stay).
    pub arcs: Vec<Option<Extra>>,
    /// Per demand row: what one more child of it would cost, placed the cheapest way (`None`
    /// for rows without children).
    pub rows: Vec<Option<Extra>>,
}

/// A residual arc: one unit from `from` to `to` at `cost`.
#[derive(Debug, Clone, Copy)]
struct Edge {
    from: usize,
    to: usize,
    cost: Extra,
}

const SINK: usize = 0;

/// The reduced costs of the plan `values` (a value per column of `formulation`'s program),
/// or `None` when the program is not a network (locality caps, schemes, purchase routes) or
/// its residual network has a cycle of negative cost (the plan is not optimal under the
/// model's objective: a bug elsewhere, never shown as a figure).
#[must_use]
pub fn marginal(model: &Model, formulation: &Formulation, values: &[f64]) -> Option<Marginal> {
    marginal_priced(model, formulation, values, None)
}

/// [`marginal`], faster with the solver's row prices (optimal LP duals of the weighted
/// program: the network simplex's), when it gives them: they price every residual arc at
/// least 0, so the same shortest paths are found by Dijkstra's search, each node once, in
/// place of Bellman–Ford's passes. The figures are the same, but for a choice between two
/// ways of equal cost (within £0.0001).
#[must_use]
pub fn marginal_priced(
    model: &Model,
    formulation: &Formulation,
    values: &[f64],
    row_prices: Option<&[f64]>,
) -> Option<Marginal> {
    if !formulation.is_network() {
        return None;
    }
    let program = &formulation.program;
    let order = Order::of(model);
    // Nodes: the sink, demand rows, settings with a limit of places, settings and needs with a cap.
    let mut nodes = 1;
    let mut row_node = vec![usize::MAX; model.demand.len()];
    for (r, row) in formulation.demand_row.iter().enumerate() {
        if row.is_some() {
            row_node[r] = nodes;
            nodes += 1;
        }
    }
    let mut setting_node = vec![SINK; model.settings.len()];
    for (s, row) in formulation.places_row.iter().enumerate() {
        if row.is_some() {
            setting_node[s] = nodes;
            nodes += 1;
        }
    }
    let mut need_node = std::collections::HashMap::new();
    for r in &formulation.need_places_rows {
        need_node.insert((r.setting.0, r.need), nodes);
        nodes += 1;
    }
    // Children through each node, and of them those who stay.
    let mut used = vec![0.0; nodes];
    let mut staying = vec![0.0; nodes];
    let mut heads = Vec::with_capacity(formulation.arcs.len());
    for (c, arc) in formulation.arcs.iter().enumerate() {
        let need = model.demand[arc.demand].need;
        let s = setting_node[arc.setting.0];
        let head = match need_node.get(&(arc.setting.0, need)) {
            Some(&n) => {
                used[n] += values[c];
                staying[n] += program.lower[c];
                n
            }
            None => s,
        };
        used[s] += values[c];
        staying[s] += program.lower[c];
        heads.push(head);
    }
    let mut edges = Vec::with_capacity(2 * formulation.arcs.len() + 2 * nodes);
    let tie = formulation.tie_break();
    for (c, arc) in formulation.arcs.iter().enumerate() {
        let tail = row_node[arc.demand];
        let cost = arc_extra(arc, tie[c]);
        edges.push(Edge { from: tail, to: heads[c], cost });
        if values[c] - program.lower[c] > SMALLEST_FLOW {
            edges.push(Edge { from: heads[c], to: tail, cost: -cost });
        }
    }
    for (r, u) in formulation.unmet_column.iter().enumerate() {
        let Some(u) = u else { continue };
        let cost = Extra { unmet: 1.0, ..Extra::default() };
        edges.push(Edge { from: row_node[r], to: SINK, cost });
        if u.of(values) > SMALLEST_FLOW {
            edges.push(Edge { from: SINK, to: row_node[r], cost: -cost });
        }
    }
    // A cap's arc, from its node to where its children go next: a place free, a place given back.
    let mut cap = |node: usize, next: usize, places: f64| {
        if places - used[node] > SMALLEST_FLOW {
            edges.push(Edge { from: node, to: next, cost: Extra::default() });
        }
        if used[node] - staying[node] > SMALLEST_FLOW {
            edges.push(Edge { from: next, to: node, cost: Extra::default() });
        }
    };
    for (s, row) in formulation.places_row.iter().enumerate() {
        if let Some(row) = row {
            cap(setting_node[s], SINK, program.rows[row.0].rhs);
        }
    }
    for r in &formulation.need_places_rows {
        cap(need_node[&(r.setting.0, r.need)], setting_node[r.setting.0], program.rows[r.row.0].rhs);
    }
    let potentials = row_prices.filter(|_| !order.lexicographic).map(|prices| {
        let mut phi = vec![0.0; nodes];
        for (r, row) in formulation.demand_row.iter().enumerate() {
            if let Some(row) = row {
                phi[row_node[r]] = row.of(prices);
            }
        }
        for (s, row) in formulation.places_row.iter().enumerate() {
            if let Some(row) = row {
                phi[setting_node[s]] = -row.of(prices);
            }
        }
        for r in &formulation.need_places_rows {
            phi[need_node[&(r.setting.0, r.need)]] = phi[setting_node[r.setting.0]] - r.row.of(prices);
        }
        phi
    });
    let d = match potentials {
        Some(phi) if phi.iter().all(|p| p.is_finite()) => to_sink_from(nodes, &edges, model, &phi),
        _ => to_sink(nodes, &edges, order)?,
    };
    let arcs = formulation
        .arcs
        .iter()
        .enumerate()
        .map(|(c, arc)| Some(arc_extra(arc, tie[c]) + d[heads[c]]? - d[row_node[arc.demand]]?))
        .collect();
    let rows = row_node.iter().map(|&n| if n == usize::MAX { None } else { d[n] }).collect();
    Some(Marginal { arcs, rows })
}

/// One child on `arc`, by part, with its tie-break charge.
fn arc_extra(arc: &crate::optimise::formulation::Arc, tie: f64) -> Extra {
    Extra {
        money: (arc.place_cost + arc.transport_cost).pounds(),
        out_of_borough: f64::from(u8::from(arc.out_of_borough)),
        unmet: 0.0,
        tie,
    }
}

/// The arcs by the node they enter: the arcs into node `v` are
/// `into[start[v]..start[v + 1]]`, indexes into `edges`.
fn arcs_into(nodes: usize, edges: &[Edge]) -> (Vec<usize>, Vec<usize>) {
    let mut start = vec![0usize; nodes + 1];
    for e in edges {
        start[e.to + 1] += 1;
    }
    for v in 0..nodes {
        start[v + 1] += start[v];
    }
    let mut into = vec![0usize; edges.len()];
    let mut fill = start.clone();
    for (i, e) in edges.iter().enumerate() {
        into[fill[e.to]] = i;
        fill[e.to] += 1;
    }
    (start, into)
}

/// The cheapest cost from each node to the sink (`None`: none), by a queue-based
/// Bellman–Ford search over the arcs into each node; `None` if a cycle of negative cost
/// keeps lowering them.
fn to_sink(nodes: usize, edges: &[Edge], order: Order) -> Option<Vec<Option<Extra>>> {
    let (start, into) = arcs_into(nodes, edges);
    let mut d: Vec<Option<Extra>> = vec![None; nodes];
    d[SINK] = Some(Extra::default());
    let mut queue = std::collections::VecDeque::from([SINK]);
    let mut queued = vec![false; nodes];
    queued[SINK] = true;
    // Without a negative cycle, no node is lowered more than once a pass, and there are at
    // most `nodes` passes.
    let mut lowered = vec![0usize; nodes];
    while let Some(w) = queue.pop_front() {
        queued[w] = false;
        let dw = d[w]?;
        for &i in &into[start[w]..start[w + 1]] {
            let e = &edges[i];
            let through = e.cost + dw;
            if d[e.from].is_none_or(|old| order.less(&through, &old)) {
                d[e.from] = Some(through);
                lowered[e.from] += 1;
                if lowered[e.from] > nodes {
                    return None;
                }
                if !queued[e.from] {
                    queued[e.from] = true;
                    queue.push_back(e.from);
                }
            }
        }
    }
    Some(d)
}

/// [`to_sink`] under the weighted objective by Dijkstra's search, with node potentials `phi`
/// (from optimal duals) that make every arc's reduced cost at least 0 (a rounding below 0 is
/// taken as 0).
fn to_sink_from(nodes: usize, edges: &[Edge], model: &Model, phi: &[f64]) -> Vec<Option<Extra>> {
    use std::cmp::Reverse;
    let (start, into) = arcs_into(nodes, edges);
    let mut d: Vec<Option<Extra>> = vec![None; nodes];
    let mut reduced = vec![f64::INFINITY; nodes];
    let mut settled = vec![false; nodes];
    d[SINK] = Some(Extra::default());
    reduced[SINK] = 0.0;
    // Keys at least 0: their bits order as the numbers do.
    let mut heap = std::collections::BinaryHeap::from([Reverse((0u64, SINK))]);
    while let Some(Reverse((_, w))) = heap.pop() {
        if settled[w] {
            continue;
        }
        settled[w] = true;
        let Some(dw) = d[w] else { continue };
        for &i in &into[start[w]..start[w + 1]] {
            let e = &edges[i];
            if settled[e.from] {
                continue;
            }
            let key = reduced[w] + (e.cost.weighted(model) + phi[w] - phi[e.from]).max(0.0);
            if key < reduced[e.from] {
                reduced[e.from] = key;
                d[e.from] = Some(e.cost + dw);
                heap.push(Reverse((key.to_bits(), e.from)));
            }
        }
    }
    d
}

/// Of demand row `r`'s arcs (indices into the formulation's arcs) at settings where it has
/// no child, the one whose extra is least under the model's objective, to the penny and
/// without the tie-break's charge ([`Order::rank`]; ties: the first setting in the model),
/// with that extra.
#[must_use]
pub fn next_best(
    model: &Model,
    formulation: &Formulation,
    values: &[f64],
    marginal: &Marginal,
    r: usize,
) -> Option<(usize, Extra)> {
    let order = Order::of(model);
    let first = formulation.arcs.partition_point(|a| a.demand < r);
    let last = formulation.arcs.partition_point(|a| a.demand <= r);
    let mut best: Option<(usize, Extra)> = None;
    for (c, (&value, extra)) in values[first..last].iter().zip(&marginal.arcs[first..last]).enumerate() {
        let Some(extra) = extra.filter(|_| value <= SMALLEST_FLOW) else { continue };
        if best.is_none_or(|(_, b)| order.rank(&extra) < order.rank(&b)) {
            best = Some((first + c, extra));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::model::Provision;
    use crate::optimise::solve::{Solver, solve_program};
    use crate::testing::ModelBuilder;

    /// Localities a and b, in borough; A near a, in borough, 1 place, £20,000, ASD only; B near
    /// b, in borough, 5 places, £30,000; C out of borough, 10 places, £25,000, weighted
    /// £10,000 more. Two ASD children from a, one SEMH child from b (all primary, all within
    /// the limit, no transport cost).
    fn two_localities_three_settings() -> crate::model::Model {
        ModelBuilder::new()
            .locality("a", 53.0, -2.0, true)
            .locality("b", 53.05, -2.0, true)
            .setting("A", "maintained-special", 53.0, -2.01, true, 1.0, "primary", "ASD", 20_000.0)
            .setting("B", "maintained-special", 53.05, -2.01, true, 5.0, "primary", "all", 30_000.0)
            .setting("C", "independent-special", 53.02, -2.05, false, 10.0, "primary", "all", 25_000.0)
            .out_of_borough_weight(10_000.0)
            .demand("a", "ASD", "primary", 2.0, Provision::SpecialSchool)
            .demand("b", "SEMH", "primary", 1.0, Provision::SpecialSchool)
            .build()
    }

    fn setting_of(run: &crate::optimise::run::Run, c: usize) -> &str {
        &run.model.setting(run.formulation.arcs[c].setting).id
    }

    #[test]
    fn hand_worked_next_best_and_its_extra() {
        // The optimum: a's children at A (full) and B; b's child at B: £80,000. For each row
        // the next best is C: one more child of a would go to B (A is full), so a child at C
        // instead costs £25,000 − £30,000 = −£5,000 of money and £10,000 of weight; b's the
        // same. Forcing one of a's children from B to C: £85,000, £5,000 more, as the extra's
        // weighted total says.
        let model = two_localities_three_settings();
        let run = crate::optimise::run::run(model.clone(), Solver::Network).unwrap();
        let values = &run.solved.values;
        let m = marginal(&model, &run.formulation, values).expect("a network");
        for r in 0..2 {
            let (c, extra) = next_best(&model, &run.formulation, values, &m, r).expect("a next best");
            assert_eq!(setting_of(&run, c), "C", "row {r}");
            assert!((extra.money + 5_000.0).abs() < 1e-6, "row {r}: {extra:?}");
            assert!((extra.policy_weight(&model) - 10_000.0).abs() < 1e-6, "row {r}: {extra:?}");
            assert!(extra.tie.abs() < 1.0);
        }
        // One more child of a costs £30,000 (at B); of b, £30,000.
        for r in 0..2 {
            assert!((m.rows[r].unwrap().money - 30_000.0).abs() < 1e-6);
        }
        // The re-solve: one of a's children forced onto C.
        let c = (0..run.formulation.arcs.len())
            .find(|&c| run.formulation.arcs[c].demand == 0 && setting_of(&run, c) == "C");
        let mut p = run.formulation.program.clone();
        p.lower[c.unwrap()] = 1.0;
        let forced = solve_program(&p, Solver::Microlp).unwrap();
        let cost = |v: &[f64]| run.formulation.placement_value(&model, v);
        assert!((cost(&forced) - cost(values) - 5_000.0).abs() < 1e-6);
    }

    /// The weighted objective with the tie-break charge: what the plan is optimal for.
    fn objective_with_tie(run: &crate::optimise::run::Run) -> Vec<f64> {
        let f = &run.formulation;
        f.program.objective.iter().zip(f.tie_break()).map(|(c, t)| c + t).collect()
    }

    fn optimum(p: &crate::optimise::program::LinearProgram) -> f64 {
        let v = solve_program(p, Solver::Network.lp()).unwrap();
        p.objective.iter().zip(&v).map(|(c, x)| c * x).sum()
    }

    #[rstest]
    fn extras_are_the_difference_of_two_optima_and_bound_a_move(
        #[values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)] seed: u64,
    ) {
        // Whole children and places: the plan is whole, so is every residual capacity, and a
        // shortest path carries a whole child. For every arc of every row with none of its
        // children (the arcs a next best is chosen from), the extra's
        // weighted total is exactly (optimum with one more child of the row, forced onto the
        // arc) − (optimum with one more child of the row), and at most (optimum with one of
        // the row's children moved onto the arc) − optimum. Each optimum is a re-solve by the
        // LP solver, of the weighted objective with the tie-break charge.
        let model = crate::optimise::properties::random_model(seed);
        let run = crate::optimise::run::run(model.clone(), Solver::Network).unwrap();
        let f = &run.formulation;
        let values = &run.solved.values;
        let m = marginal(&model, f, values).expect("a network");
        let mut p = f.program.clone();
        p.objective = objective_with_tie(&run);
        let base = optimum(&p);
        let tol = |v: f64| 1e-6 * v.abs().max(1.0) + 1e-3;
        let mut checked = 0;
        for (c, arc) in f.arcs.iter().enumerate() {
            // Arcs without children, as reported (an arc with children has an extra of 0, and
            // a path of the residual network may take a child off it, which the forced
            // re-solve forbids).
            let Some(extra) = m.arcs[c].filter(|_| values[c] <= SMALLEST_FLOW) else { continue };
            let row = f.demand_row[arc.demand].unwrap();
            let mut more = p.clone();
            more.rows[row.0].rhs += 1.0;
            let one_more = optimum(&more);
            assert!((one_more - base - m.rows[arc.demand].unwrap().weighted(&model)).abs() <= tol(base), "seed {seed}");
            more.lower[c] = values[c] + 1.0;
            let forced = optimum(&more);
            let w = extra.weighted(&model);
            assert!(w >= -1e-3, "seed {seed}, arc {c}: {w}");
            assert!((forced - one_more - w).abs() <= tol(forced), "seed {seed}, arc {c}: {} vs {w}", forced - one_more);
            let mut moved = p.clone();
            moved.lower[c] = values[c] + 1.0;
            if values[c] + 1.0 <= model.demand[arc.demand].children {
                assert!(optimum(&moved) - base >= w - tol(base), "seed {seed}, arc {c}");
            }
            checked += 1;
        }
        assert!(checked >= 4, "seed {seed}: {checked} arcs");
    }

    #[rstest]
    fn the_extras_are_an_optimal_dual_and_the_same_from_every_solver(#[values(1, 2, 3, 4, 5, 6, 7, 8)] seed: u64) {
        // Reduced costs at least 0, and 0 on arcs with children placed beyond those who stay
        // (complementary slackness). Read off the network simplex's plan or microlp's (the
        // same plan, by the tie-break): the same figures.
        let mut model = crate::optimise::properties::random_model(seed);
        model.settings[0].need_terms.push(crate::model::NeedTerms {
            need: crate::model::Need(0),
            places: Some(1.0),
            cost_per_place: None,
        });
        let net = crate::optimise::run::run(model.clone(), Solver::Network).unwrap();
        let lp = crate::optimise::run::run(model.clone(), Solver::Network.lp()).unwrap();
        let f = &net.formulation;
        let a = marginal(&model, f, &net.solved.values).unwrap();
        let b = marginal(&model, &lp.formulation, &lp.solved.values).unwrap();
        // Dijkstra's search with the network simplex's row prices: the same figures.
        let prices = net.solved.row_prices.as_deref();
        assert!(prices.is_some());
        let c = marginal_priced(&model, f, &net.solved.values, prices).unwrap();
        for (x, y) in a.arcs.iter().zip(&c.arcs) {
            let (x, y) = (x.unwrap(), y.unwrap());
            assert!((x.weighted(&model) - y.weighted(&model)).abs() < 1e-3, "seed {seed}: {x:?} vs {y:?}");
            assert!((x.money - y.money).abs() < 1e-3, "seed {seed}: {x:?} vs {y:?}");
        }
        for (c, (x, y)) in a.arcs.iter().zip(&b.arcs).enumerate() {
            let (Some(x), Some(y)) = (x, y) else {
                assert_eq!(x.is_none(), y.is_none());
                continue;
            };
            assert!(
                (x.money - y.money).abs() < 1e-3 && (x.out_of_borough - y.out_of_borough).abs() < 1e-6,
                "seed {seed}"
            );
            let w = x.weighted(&model);
            assert!(w >= -1e-3, "seed {seed}, arc {c}: {w}");
            if net.solved.values[c] - f.program.lower[c] > SMALLEST_FLOW {
                assert!(w.abs() < 1e-3, "seed {seed}, arc {c} carries children at {w}");
            }
        }
    }

    #[rstest]
    fn dijkstra_with_the_row_prices_finds_what_bellman_ford_finds(#[values(1, 2, 3)] seed: u64) {
        // Generated models of 30 localities and 40 settings: long chains of full settings.
        let spec = crate::tools::generate::Spec { localities: 30, settings: 40, years: 1, seed };
        let model = crate::testing::generated(&spec);
        let run = crate::optimise::run::run(model.clone(), Solver::Network).unwrap();
        let (f, v) = (&run.formulation, &run.solved.values);
        let a = marginal(&model, f, v).unwrap();
        let b = marginal_priced(&model, f, v, run.solved.row_prices.as_deref()).unwrap();
        let mut differ = 0;
        for (x, y) in a.arcs.iter().zip(&b.arcs) {
            let (Some(x), Some(y)) = (x, y) else { panic!("seed {seed}: {x:?} vs {y:?}") };
            assert!((x.weighted(&model) - y.weighted(&model)).abs() < 1e-3, "seed {seed}: {x:?} vs {y:?}");
            differ += usize::from((x.money - y.money).abs() > 1e-3);
        }
        assert_eq!(differ, 0, "seed {seed}: {differ} of {} arcs split differently", a.arcs.len());
    }

    #[test]
    fn a_program_with_locality_caps_has_no_figures() {
        let model = ModelBuilder::from(two_localities_three_settings()).locality_cap("B", "a", 1.0).build();
        let run = crate::optimise::run::run(model.clone(), Solver::Network).unwrap();
        assert!(marginal(&model, &run.formulation, &run.solved.values).is_none());
    }

    #[test]
    fn lexicographic_plans_are_priced_in_their_own_order() {
        // Fewest out of borough first: a's second child goes to B (£30,000) not C; moving a
        // child of a to C puts one more child out of borough: +1 first, whatever the money.
        let model = ModelBuilder::from(two_localities_three_settings()).lexicographic().build();
        let run = crate::optimise::run::run(model.clone(), Solver::Network).unwrap();
        let m = marginal(&model, &run.formulation, &run.solved.values).unwrap();
        let (c, extra) = next_best(&model, &run.formulation, &run.solved.values, &m, 0).unwrap();
        assert_eq!(setting_of(&run, c), "C");
        assert_eq!((extra.out_of_borough, extra.unmet), (1.0, 0.0));
        assert!((extra.money + 5_000.0).abs() < 1e-6);
    }
}
