//! The yearly placement program as a minimum-cost flow, solved by the network simplex
//! ([`crate::optimise::network`]).
//!
//! The program is a network when it has no rows beyond demand, places and places per need
//! (no scheme, purchase-route or policy rows: [`Formulation::is_network`]) and no
//! whole-number column. Its network: a node per demand row, supplying its children; a node
//! per setting with a limit of places, and per setting and need with a cap; one sink taking
//! every child. Each arc of the program is an arc from its demand row to its setting's node
//! (or the setting-and-need node, or straight to the sink for a market step without a
//! limit); a setting's node flows to the sink within its places, a setting-and-need node to
//! its setting within its cap; a demand row's unmet need is an arc to the sink at the
//! penalty. Children who stay are flow fixed in advance: taken off their row's supply and
//! added to their setting's.
//!
//! **Exact in integers.** Children are counted in billionths ([`FLOW_UNIT`]) and money in
//! units of `1/scale` £, `scale` the largest power of ten up to 10⁶ for which the simplex's
//! sums cannot overflow ([`cost_scale`]). The simplex then works without round-off. What is
//! rounded is the input: each forecast, place count and staying figure to a billionth of a
//! child, to the nearest for forecasts and places and down for children who stay, so that
//! they never add up to more than their places (no row moves by more than 10⁻⁹ children a
//! term, far below the independent check's tolerance of 10⁻⁵; forecasts given to a few
//! decimals are exact), and each cost a child to
//! `1/scale` £ (at 10⁶, a millionth of a pound: the optimum of the rounded costs is within
//! (children) × 5 × 10⁻⁷ £ of the true one). The optimum reported is the flow priced at the
//! model's own costs. Row prices (the duals that place values and an optimality certificate
//! read) are the node potentials, in the LP backends' sign convention. Lexicographic aims are
//! solved in exact stages ([`solve_in_stages`]): each stage fixes what all its optima agree
//! on, by complementary slackness, instead of keeping its optimum as a side row.

use crate::model::Model;
use crate::optimise::formulation::Formulation;
use crate::optimise::network::{FlowSolver, Network, NetworkArc, NetworkError};

/// Flow units in one child.
pub const FLOW_UNIT: f64 = 1_000_000_000.0;

/// A flow solution of the placement program: a value per column and a price per row.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowSolution {
    /// A value per column of the program.
    pub values: Vec<f64>,
    /// A price per row of the program, as an LP dual: the cost of one more unit of the row's
    /// right-hand side (a demand row: one more child; a places row: one more place, ≤ 0).
    pub row_prices: Vec<f64>,
    /// Pivots the simplex made.
    pub pivots: u64,
    /// Networks solved (more than one when arcs were priced in).
    pub rounds: usize,
    /// Arcs in the last network solved.
    pub arcs_used: usize,
}

/// How the program's rows and columns map onto the network.
struct Layout {
    network: Network,
    /// Per column: its arc.
    arc_of_column: Vec<usize>,
    /// Per column: the children who stay on it, in flow units.
    staying: Vec<i64>,
    /// Per row: (minus, plus): its price is potential[plus] − potential[minus].
    row_nodes: Vec<(usize, usize)>,
    /// Per network arc: its column, if it is one (places arcs are not).
    column_of_arc: Vec<Option<usize>>,
}

impl Layout {
    /// A value per column (children who stay and the flow on its arc) and a price per row
    /// (the LP dual: potential[plus] − potential[minus], in £ a child at `scale` units a £).
    fn answer(&self, flow: &[i64], potential: &[i64], scale: f64) -> (Vec<f64>, Vec<f64>) {
        let values = self
            .arc_of_column
            .iter()
            .zip(&self.staying)
            .map(|(&a, &staying)| (staying + flow[a]) as f64 / FLOW_UNIT)
            .collect();
        let row_prices = self
            .row_nodes
            .iter()
            .map(|&(minus, plus)| (i128::from(potential[plus]) - i128::from(potential[minus])) as f64 / scale)
            .collect();
        (values, row_prices)
    }
}

/// The sink: every child ends there.
const SINK: usize = 0;

/// Money units per £ for costs up to `largest` £ on a network of `nodes` nodes: the largest
/// power of ten up to 10⁶ such that (nodes + 1) × largest × scale stays below 2⁵⁸, within
/// the network simplex's own bound of 2⁵⁹ (its artificial arcs cost that much, and
/// potentials are sums of costs along paths).
#[must_use]
pub fn cost_scale(largest: f64, nodes: usize) -> Option<f64> {
    scale_up_to(largest, nodes, 6)
}

/// [`cost_scale`] with powers of ten up to `10^exponent`.
fn scale_up_to(largest: f64, nodes: usize, exponent: i32) -> Option<f64> {
    let limit = 2f64.powi(58) / ((nodes as f64 + 1.0) * (largest.max(1.0) + 1.0));
    (0..=exponent).rev().map(|e| 10f64.powi(e)).find(|s| *s <= limit)
}

/// The final stage's scale for the tie-break alone: up to 10¹² units a £, so that the tie-break's
/// fixed number per arc (at £0.001 a minute, a thousandth of a penny) keeps nine digits, and
/// two plans the main aims price the same are told apart.
const TIE_EXPONENT: i32 = 12;

fn units(children: f64) -> i64 {
    (children * FLOW_UNIT).round() as i64
}

/// The network of `formulation`'s program (its arcs at cost 0: each stage prices them with
/// [`Layout::costs`]), or `None` when the program is not a network.
fn layout(model: &Model, formulation: &Formulation) -> Option<Layout> {
    let program = &formulation.program;
    if !formulation.is_network() || program.integer.iter().any(|i| *i) || program.upper.iter().any(|u| u.is_finite()) {
        return None;
    }
    // Nodes: the sink, demand rows, settings with places, settings and needs with caps.
    let mut node_of_row = vec![usize::MAX; program.rows.len()];
    let mut nodes = 1;
    for row in formulation.demand_row.iter().flatten() {
        node_of_row[row.0] = nodes;
        nodes += 1;
    }
    for row in formulation.places_row.iter().flatten() {
        node_of_row[row.0] = nodes;
        nodes += 1;
    }
    for r in &formulation.need_places_rows {
        node_of_row[r.row.0] = nodes;
        nodes += 1;
    }
    let mut supply = vec![0i64; nodes];
    let mut arcs = Vec::with_capacity(program.columns.len() + nodes);
    let mut arc_of_column = vec![usize::MAX; program.columns.len()];
    let mut row_nodes = vec![(SINK, SINK); program.rows.len()];
    // Where each setting's children go next: its places node, or the sink.
    let setting_node = |s: usize| formulation.places_row[s].map_or(SINK, |r| node_of_row[r.0]);
    let need_nodes: std::collections::HashMap<(usize, crate::model::Need), usize> =
        formulation.need_places_rows.iter().map(|r| ((r.setting.0, r.need), node_of_row[r.row.0])).collect();
    let need_node = |s: usize, n| need_nodes.get(&(s, n)).copied();
    // A demand row's price: one more child costs π(sink) − π(row).
    for row in formulation.demand_row.iter().flatten() {
        let node = node_of_row[row.0];
        supply[node] += units(program.rows[row.0].rhs);
        row_nodes[row.0] = (node, SINK);
    }
    // Children fixed into each node by those who stay, through it to the sink.
    let mut fixed = vec![0i64; nodes];
    let mut staying_units = vec![0i64; program.columns.len()];
    for (c, arc) in formulation.arcs.iter().enumerate() {
        let tail = node_of_row[formulation.demand_row[arc.demand]?.0];
        let need_at = need_node(arc.setting.0, model.demand[arc.demand].need);
        let head = need_at.unwrap_or_else(|| setting_node(arc.setting.0));
        // Rounded down, so that children who stay never add up to more than their places.
        let staying = (program.lower[c] * FLOW_UNIT).floor() as i64;
        staying_units[c] = staying;
        supply[tail] -= staying;
        supply[head] += staying;
        fixed[head] += staying;
        if need_at.is_some() {
            fixed[setting_node(arc.setting.0)] += staying;
        }
        arc_of_column[c] = arcs.len();
        arcs.push(NetworkArc { tail, head, capacity: None, cost: 0 });
    }
    for (r, u) in formulation.unmet_column.iter().enumerate() {
        let Some(u) = u else { continue };
        let tail = node_of_row[formulation.demand_row[r]?.0];
        arc_of_column[u.0] = arcs.len();
        arcs.push(NetworkArc { tail, head: SINK, capacity: None, cost: 0 });
    }
    if arc_of_column.contains(&usize::MAX) {
        return None;
    }
    // Places, and places per need: within their caps (never below the children who stay,
    // which rounding could otherwise put a billionth over). A places row's price (≤ 0) is
    // π(setting) − π(sink); a need row's, π(setting and need) − π(setting).
    for row in formulation.places_row.iter().flatten() {
        let node = node_of_row[row.0];
        let cap = units(program.rows[row.0].rhs).max(fixed[node]);
        arcs.push(NetworkArc { tail: node, head: SINK, capacity: Some(cap), cost: 0 });
        row_nodes[row.0] = (SINK, node);
    }
    for r in &formulation.need_places_rows {
        let node = node_of_row[r.row.0];
        let to = setting_node(r.setting.0);
        let cap = units(program.rows[r.row.0].rhs).max(fixed[node]);
        arcs.push(NetworkArc { tail: node, head: to, capacity: Some(cap), cost: 0 });
        row_nodes[r.row.0] = (to, node);
    }
    supply[SINK] = -supply[1..].iter().sum::<i64>();
    let mut column_of_arc = vec![None; arcs.len()];
    for (c, &a) in arc_of_column.iter().enumerate() {
        column_of_arc[a] = Some(c);
    }
    Some(Layout { network: Network { nodes, supply, arcs }, arc_of_column, staying: staying_units, row_nodes, column_of_arc })
}

fn money(pounds: f64, scale: f64) -> i64 {
    (pounds * scale).round() as i64
}

impl Layout {
    /// Each network arc's cost under `objective` (one per column), in units of
    /// `1/scale` £, and that scale (the largest the bounds allow, up to `10^exponent`):
    /// `None` if even £1 units could overflow.
    fn costs(&self, objective: &[f64], exponent: i32) -> Option<(Vec<i64>, f64)> {
        let largest = objective.iter().fold(0.0f64, |m, c| m.max(c.abs()));
        let scale = scale_up_to(largest, self.network.nodes, exponent)?;
        let costs = self.column_of_arc.iter().map(|c| c.map_or(0, |c| money(objective[c], scale))).collect();
        Some((costs, scale))
    }
}

/// Networks with more placement arcs than this are solved by pricing arcs in.
pub const PRICE_ABOVE_ARCS: usize = 20_000;

/// Placement arcs of each demand row in the first network solved when pricing (its cheapest).
const FIRST_ARCS_PER_ROW: usize = 1;

/// Solves `formulation`'s program as a minimum-cost flow: under each of `aims` in turn (one
/// cost per column each; lexicographic when there are several, the last carrying the
/// tie-break charge), then, if `tie` is given, under the tie-break alone, to choose one plan
/// among those the aims price the same. Arcs are priced in above [`PRICE_ABOVE_ARCS`] arcs.
/// `None` when the program is not a network (or its costs are too large to be exact): use
/// a linear-programming solver.
///
/// # Errors
/// If the network simplex fails (an infeasible or unbounded network is a bug here: every
/// demand row can go unmet).
pub fn solve(
    model: &Model,
    formulation: &Formulation,
    aims: &[Vec<f64>],
    tie: Option<&[f64]>,
) -> Option<Result<FlowSolution, NetworkError>> {
    solve_by(model, formulation, aims, tie, formulation.arcs.len() > PRICE_ABOVE_ARCS)
}

/// [`solve`], pricing arcs in or not.
///
/// **Pricing.** The network is first solved with each demand row's [`FIRST_ARCS_PER_ROW`]
/// cheapest placement arcs under the first aim (and every arc with children staying on it,
/// every unmet-need arc and every places arc); every arc left out is then priced with the
/// node potentials, each node's most negative (reduced cost + π(tail) − π(head), exact in
/// integers) is added, and the simplex goes on from its last spanning tree (a warm start:
/// arcs join at flow 0, so the optimal tree of the smaller network is a strongly feasible
/// start for the larger), until no arc left out has a negative reduced cost. Arcs left out
/// carry no flow and have no limit, so at that point the flow meets the optimality
/// conditions of the whole network: the same optimum, with a far smaller network solved.
///
/// **Stages.** After each stage but the last, every arc whose reduced cost is positive
/// carries no flow in any optimum of the stage, and every arc whose reduced cost is negative
/// is full in all of them (complementary slackness), so the next stage fixes those arcs and
/// goes on, from the same tree, with the next costs: it reaches exactly the optima of the
/// stages before, without a side row. Arcs left out by pricing with a reduced cost of 0 are
/// added first (they are free in the next stage); the rest stay out (fixed at 0).
///
/// Row prices are the node potentials of the last aim's stage (those of the tie-break stage
/// would price the tie-break): they and the final flow meet the complementary slackness of
/// that stage, whose optimum the final flow is.
#[must_use]
pub fn solve_by(
    model: &Model,
    formulation: &Formulation,
    aims: &[Vec<f64>],
    tie: Option<&[f64]>,
    price: bool,
) -> Option<Result<FlowSolution, NetworkError>> {
    let layout = layout(model, formulation)?;
    let net = &layout.network;
    // The stages' costs, each at its own scale: the aims', then the tie-break's, finer.
    let mut stages = Vec::with_capacity(aims.len() + 1);
    for objective in aims {
        stages.push(layout.costs(objective, 6)?);
    }
    if let Some(tie) = tie {
        stages.push(layout.costs(tie, TIE_EXPONENT)?);
    }
    let (first, _) = stages.first()?;
    let placement_arcs = formulation.arcs.len();
    let mut active = vec![true; net.arcs.len()];
    if price {
        // The cheapest arcs of each row: arcs are grouped by demand row, in column order.
        let mut start = 0;
        while start < placement_arcs {
            let row = formulation.arcs[start].demand;
            let mut end = start;
            while end < placement_arcs && formulation.arcs[end].demand == row {
                end += 1;
            }
            let mut group: Vec<usize> = (start..end).map(|c| layout.arc_of_column[c]).collect();
            group.sort_by_key(|&a| (first[a], a));
            for &a in &group[FIRST_ARCS_PER_ROW.min(group.len())..] {
                active[a] = false;
            }
            start = end;
        }
        for c in 0..placement_arcs {
            if layout.staying[c] > 0 {
                active[layout.arc_of_column[c]] = true;
            }
        }
    }
    let with_cost = |a: usize, costs: &[i64]| NetworkArc { cost: costs[a], ..net.arcs[a] };
    let max_cost = |costs: &[i64]| costs.iter().map(|c| c.unsigned_abs()).max().unwrap_or(0);
    let mut solver = match FlowSolver::new(net.nodes, net.supply.clone(), max_cost(first)) {
        Ok(s) => s,
        Err(e) => return Some(Err(e)),
    };
    // Arcs in the order handed to the solver.
    let mut kept: Vec<usize> = (0..net.arcs.len()).filter(|&a| active[a]).collect();
    let mut rounds = 0;
    let mut batch: Vec<NetworkArc> = kept.iter().map(|&a| with_cost(a, first)).collect();
    loop {
        rounds += 1;
        if let Err(e) = solver.add_arcs(&batch).and_then(|()| solver.solve()) {
            return Some(Err(e));
        }
        // Each node's most negative arc left out, if any.
        let mut best: Vec<Option<(i128, usize)>> = vec![None; net.nodes];
        for a in (0..net.arcs.len()).filter(|&a| !active[a]) {
            let reduced = solver.reduced_cost(&with_cost(a, first));
            if reduced < 0 && best[net.arcs[a].tail].is_none_or(|(r, _)| reduced < r) {
                best[net.arcs[a].tail] = Some((reduced, a));
            }
        }
        batch.clear();
        for (_, a) in best.into_iter().flatten() {
            active[a] = true;
            kept.push(a);
            batch.push(with_cost(a, first));
        }
        if batch.is_empty() {
            break;
        }
    }
    let arcs_used = kept.len();
    if stages.len() > 1 {
        // Arcs left out at a reduced cost of 0 are free in the stages to come.
        batch.clear();
        for a in (0..net.arcs.len()).filter(|&a| !active[a]) {
            if solver.reduced_cost(&with_cost(a, first)) == 0 {
                kept.push(a);
                batch.push(with_cost(a, first));
            }
        }
        if let Err(e) = solver.add_arcs(&batch) {
            return Some(Err(e));
        }
    }
    let mut prices = (solver.potentials(), stages[0].1);
    for (k, (costs, scale)) in stages.iter().enumerate().skip(1) {
        solver.keep_optima();
        let kept_costs: Vec<i64> = kept.iter().map(|&a| costs[a]).collect();
        if let Err(e) = solver.set_costs(&kept_costs, max_cost(&kept_costs)).and_then(|()| solver.solve()) {
            return Some(Err(e));
        }
        if k < aims.len() {
            prices = (solver.potentials(), *scale);
        }
    }
    let mut flow = vec![0i64; net.arcs.len()];
    for (k, &a) in kept.iter().enumerate() {
        flow[a] = solver.flow()[k];
    }
    let (values, row_prices) = layout.answer(&flow, &prices.0, prices.1);
    Some(Ok(FlowSolution { values, row_prices, pivots: solver.pivots(), rounds, arcs_used }))
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::model::{NeedTerms, SettingIx, Staying};
    use crate::optimise::properties::random_model;
    use crate::optimise::solve::{Solver, optimise};
    use crate::travel::JourneyTable;

    /// A random model with every feature a yearly plan has: provision tiers, market steps
    /// (limited and not, day and residential), a per-need cap, children who stay.
    fn everything(seed: u64) -> Model {
        let mut model = random_model(seed);
        let asd = crate::model::Need(0);
        model.settings[0].need_terms.push(NeedTerms { need: asd, places: Some(1.0), cost_per_place: None });
        let s = SettingIx((seed % 4) as usize);
        if model.settings[s.0].places >= 1.0 {
            model.staying.push(Staying { demand: 0, setting: s, children: 0.5 });
        }
        model
    }

    #[rstest]
    fn the_network_simplex_reaches_the_linear_programs_optimum(
        #[values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)] seed: u64,
    ) {
        let model = everything(seed);
        let f = Formulation::build(&model, &JourneyTable::build(&model));
        assert!(f.is_network());
        let net = optimise(&model, &f, Solver::Network).unwrap();
        assert_eq!(net.solver, Solver::Network, "solved as a network");
        let lp = optimise(&model, &f, Solver::Network.lp()).unwrap();
        let (a, b) = (net.stages[0].value, lp.stages[0].value);
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "seed {seed}: network {a} vs {} {b}", lp.solver);
        // The flow meets every row of the program.
        let p = &f.program;
        for row in &p.rows {
            let lhs: f64 = row.terms.iter().map(|&(c, v)| v * net.values[c]).sum();
            assert!(row.sense.holds(lhs, row.rhs, 1e-6), "seed {seed}: {} {lhs} vs {}", row.name, row.rhs);
        }
        for (c, v) in net.values.iter().enumerate() {
            assert!(*v >= p.lower[c] - 1e-6, "seed {seed}: column {c} below its bound");
        }
    }

    #[rstest]
    fn lexicographic_aims_in_exact_stages_reach_the_linear_programs_optima(
        #[values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)] seed: u64,
    ) {
        // Fewest unmet, then fewest out of borough, then least cost: the network's exact
        // stages and the LP's stages (each optimum kept as a row with a slack of 10⁻⁷) agree.
        // The markets are closed, and settings scarce, so that unmet need and the
        // out-of-borough stage both bite.
        let mut model = everything(seed);
        model.settings.retain(|s| s.market.is_none());
        for d in &mut model.demand {
            d.children += 2.0;
        }
        model.policy.objective = crate::model::ObjectiveMode::Lexicographic;
        let f = Formulation::build(&model, &JourneyTable::build(&model));
        let net = optimise(&model, &f, Solver::Network).unwrap();
        assert_eq!(net.solver, Solver::Network);
        let lp = optimise(&model, &f, Solver::Network.lp()).unwrap();
        assert_eq!(net.stages.len(), 3);
        // The first stage exactly (the network's is the true optimum, the LP's within its
        // tolerance); the later ones within what the LP's slack of 10⁻⁷ on each earlier optimum
        // lets it gain (a few millionths of a child on these models).
        assert!(net.stages[0].value <= lp.stages[0].value + 1e-7, "seed {seed}: {:?}", net.stages);
        for (a, b) in net.stages.iter().zip(&lp.stages) {
            assert_eq!(a.aim, b.aim);
            assert!((a.value - b.value).abs() <= 1e-5 * b.value.abs().max(1.0), "seed {seed}: {a:?} vs {b:?}");
        }
        let p = &f.program;
        for row in &p.rows {
            let lhs: f64 = row.terms.iter().map(|&(c, v)| v * net.values[c]).sum();
            assert!(row.sense.holds(lhs, row.rhs, 1e-6), "seed {seed}: {}", row.name);
        }
    }

    #[rstest]
    fn node_potentials_are_the_row_prices_of_an_optimality_certificate(#[values(1, 2, 3, 4, 5, 6, 7, 8)] seed: u64) {
        // With the potentials as duals, no column has a negative reduced cost (none could
        // lower the cost), places rows are priced at most 0, and the dual objective equals
        // the optimum (strong duality): the flow is optimal, certified.
        let model = everything(seed);
        let f = Formulation::build(&model, &JourneyTable::build(&model));
        let mut objective = f.program.objective.clone();
        for (c, t) in objective.iter_mut().zip(f.tie_break()) {
            *c += t;
        }
        // With the tie-break stage after: the prices are still those of the weighted aim.
        let s = solve(&model, &f, std::slice::from_ref(&objective), Some(f.tie_break())).expect("a network").unwrap();
        let p = &f.program;
        let mut by_column = vec![0.0; p.columns.len()];
        for (i, row) in p.rows.iter().enumerate() {
            for &(c, v) in &row.terms {
                by_column[c] += v * s.row_prices[i];
            }
        }
        for c in 0..p.columns.len() {
            let reduced = objective[c] - by_column[c];
            assert!(reduced >= -1e-3, "seed {seed}: column {} has reduced cost {reduced}", p.columns[c]);
        }
        for row in f.places_row.iter().flatten() {
            assert!(row.of(&s.row_prices) <= 1e-6, "seed {seed}: a place priced above 0");
        }
        let primal: f64 = objective.iter().zip(&s.values).map(|(c, v)| c * v).sum();
        let fixed: f64 = (0..p.columns.len()).map(|c| by_column[c] * p.lower[c]).sum::<f64>();
        let dual: f64 = p.rows.iter().zip(&s.row_prices).map(|(r, y)| r.rhs * y).sum::<f64>()
            + primal_at_bounds(p, &objective)
            - fixed;
        assert!((dual - primal).abs() <= 1e-6 * primal.abs().max(1.0) + 1e-3, "seed {seed}: dual {dual} vs {primal}");
    }

    #[test]
    fn pricing_arcs_in_reaches_the_same_optimum() {
        // Generated models of 30 localities and 40 settings: each row has many arcs, so the
        // first network (1 a row) leaves most out, and pricing brings some back.
        let mut more_rounds = 0;
        for seed in 1..=8 {
            let spec = crate::tools::generate::Spec { localities: 30, settings: 40, years: 1, seed };
            let model = crate::testing::generated(&spec);
            let f = Formulation::build(&model, &JourneyTable::build(&model));
            assert!(f.arcs.len() > 4 * model.demand.len(), "seed {seed}: arcs enough to price");
            let mut objective = f.program.objective.clone();
            for (c, t) in objective.iter_mut().zip(f.tie_break()) {
                *c += t;
            }
            let aims = std::slice::from_ref(&objective);
            let whole = solve_by(&model, &f, aims, None, false).unwrap().unwrap();
            let priced = solve_by(&model, &f, aims, None, true).unwrap().unwrap();
            let cost = |v: &[f64]| objective.iter().zip(v).map(|(c, x)| c * x).sum::<f64>();
            let (a, b) = (cost(&priced.values), cost(&whole.values));
            assert!((a - b).abs() <= 1e-9 * b.abs(), "seed {seed}: priced {a} vs whole {b}");
            // With the tie-break stage, the one plan: the same column by column.
            let tie = Some(f.tie_break());
            let whole = solve_by(&model, &f, aims, tie, false).unwrap().unwrap();
            let priced = solve_by(&model, &f, aims, tie, true).unwrap().unwrap();
            for (c, (x, y)) in whole.values.iter().zip(&priced.values).enumerate() {
                assert!((x - y).abs() <= 1e-9, "seed {seed}: {} is {x} whole, {y} priced", f.program.columns[c]);
            }
            assert_eq!(whole.rounds, 1);
            more_rounds += usize::from(priced.rounds > 1);
        }
        assert!(more_rounds > 0, "pricing never had to add an arc");
    }

    /// Σ cost × lower bound: the cost of the children who stay, fixed in advance.
    fn primal_at_bounds(p: &crate::optimise::program::LinearProgram, objective: &[f64]) -> f64 {
        objective.iter().zip(&p.lower).map(|(c, l)| c * l).sum()
    }
}
