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
//! added to their setting's; an arc that takes no new child (an upper bound on its column,
//! [`crate::optimise::formulation::Arc::takes_new`]) has no capacity beyond them.
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
//! model's own costs.
//!
//! **Bounds.** Children and places are summed in `i128`: a program whose positive supplies
//! and finite capacities come to more than the simplex's [`MAX_FLOW_TOTAL`] (2⁶² billionths,
//! about 4.6 billion children) is no network here (`layout` gives `None`) and goes to the
//! LP backend. The loader's bounds (10 million children or places a row, 100 million children
//! a year's demand table: `crate::model::input`) keep any real model far inside. Row prices (the duals that place values and an optimality certificate
//! read) are the node potentials, in the LP backends' sign convention. Lexicographic aims are
//! solved in exact stages ([`solve_in_stages`]): each stage fixes what all its optima agree
//! on, by complementary slackness, instead of keeping its optimum as a side row.

use crate::model::Model;
use crate::optimise::formulation::Formulation;
use crate::optimise::network::{FlowSolver, MAX_FLOW_TOTAL, Network, NetworkArc, NetworkError, largest_cost, price_in};

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
    /// Per column: its arc ([`NO_ARC`] for a scheme's modules column, fixed in advance).
    arc_of_column: Vec<usize>,
    /// Per column without an arc: its fixed value (the modules built).
    fixed_value: Vec<f64>,
    /// Per column: the children who stay on it, in flow units.
    staying: Vec<i64>,
    /// Per row: (minus, plus, a cap): its price is potential[plus] − potential[minus], the
    /// reduced cost of its cap's arc, and for a cap at most 0 (an arc below its cap prices
    /// its row at 0: see [`Layout::answer`]).
    row_nodes: Vec<(usize, usize, bool)>,
    /// Per network arc: its column, if it is one (places arcs are not).
    column_of_arc: Vec<Option<usize>>,
}

impl Layout {
    /// A value per column (children who stay and the flow on its arc) and a price per row
    /// (the LP dual, in £ a child at `scale` units a £). A demand row's is
    /// potential[sink] − potential[row]. A cap's (places, places per need, a scheme pool) is
    /// the reduced cost of its arc where that is below 0, else 0: an arc below its cap with a
    /// positive reduced cost carries nothing, and pricing its row above 0 would break the
    /// dual's sign. Every column's reduced cost in the program is then its arc's in the
    /// network plus what the clamps took off, so at least 0, and 0 where it carries children.
    fn answer(&self, flow: &[i64], potential: &[i64], scale: f64) -> (Vec<f64>, Vec<f64>) {
        let values = self
            .arc_of_column
            .iter()
            .zip(&self.staying)
            .zip(&self.fixed_value)
            .map(|((&a, &staying), &fixed)| if a == NO_ARC { fixed } else { (staying + flow[a]) as f64 / FLOW_UNIT })
            .collect();
        let row_prices = self
            .row_nodes
            .iter()
            .map(|&(minus, plus, cap)| {
                let price = i128::from(potential[plus]) - i128::from(potential[minus]);
                (if cap { price.min(0) } else { price }) as f64 / scale
            })
            .collect();
        (values, row_prices)
    }
}

/// The sink: every child ends there.
const SINK: usize = 0;
/// A column with no arc.
const NO_ARC: usize = usize::MAX;

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

/// Children in flow units, in `i128` so that no sum of them can overflow before the layout
/// checks them against the simplex's bounds (a figure beyond `i128` saturates, and is refused
/// there too).
fn units(children: f64) -> i128 {
    (children * FLOW_UNIT).round() as i128
}

/// The network of `formulation`'s program (its arcs at cost 0: each stage prices them with
/// [`Layout::costs`]), or `None` when the program is not a network, or when its children
/// and places, in flow units, are beyond what the simplex's integers hold (positive supplies
/// and finite capacities summing to more than [`MAX_FLOW_TOTAL`], about 4.6 billion
/// children): every sum is taken in `i128` first, and such a program is left to the LP
/// backend, never solved with a wrapped sum. With `modules` (the
/// modules built of each scheme), scheme places are a network too: each pool's row caps the
/// flow through a node of its own at its places per module × the modules built.
fn layout(model: &Model, formulation: &Formulation, modules: Option<&[u32]>) -> Option<Layout> {
    let program = &formulation.program;
    if !formulation.is_network_given(modules.is_some()) {
        return None;
    }
    // Nodes: the sink, demand rows, settings with places, settings and needs with caps,
    // scheme pools.
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
    // Each scheme pool's node, the column of its scheme's modules, its places per module;
    // and the pool (if any) each column is in.
    let mut pool_of_column = vec![None; program.columns.len()];
    let mut modules_column = vec![None; program.columns.len()];
    for (k, r) in formulation.pool_rows.iter().enumerate() {
        node_of_row[r.row.0] = nodes;
        nodes += 1;
        let m = formulation.scheme_modules[r.scheme]?.0;
        modules_column[m] = Some(r.scheme);
        for &(c, _) in &program.rows[r.row.0].terms {
            if c != m {
                if pool_of_column[c].is_some() {
                    return None;
                }
                pool_of_column[c] = Some(k);
            }
        }
    }
    let mut supply = vec![0i128; nodes];
    let mut arcs = Vec::with_capacity(program.columns.len() + nodes);
    let mut arc_of_column = vec![NO_ARC; program.columns.len()];
    let mut row_nodes = vec![(SINK, SINK, false); program.rows.len()];
    // Where each setting's children go next: its places node, or the sink.
    let setting_node = |s: usize| formulation.places_row[s].map_or(SINK, |r| node_of_row[r.0]);
    let need_nodes: std::collections::HashMap<(usize, crate::model::Need), usize> =
        formulation.need_places_rows.iter().map(|r| ((r.setting.0, r.need), node_of_row[r.row.0])).collect();
    let need_node = |s: usize, n| need_nodes.get(&(s, n)).copied();
    // A demand row's price: one more child costs π(sink) − π(row).
    for row in formulation.demand_row.iter().flatten() {
        let node = node_of_row[row.0];
        supply[node] += units(program.rows[row.0].rhs);
        row_nodes[row.0] = (node, SINK, false);
    }
    // Children fixed into each node by those who stay, through it to the sink.
    let mut fixed = vec![0i128; nodes];
    let mut staying_units = vec![0i64; program.columns.len()];
    for (c, arc) in formulation.arcs.iter().enumerate() {
        let tail = node_of_row[formulation.demand_row[arc.demand]?.0];
        let need_at = need_node(arc.setting.0, model.demand[arc.demand].need);
        let pool_at = pool_of_column[c].map(|k| node_of_row[formulation.pool_rows[k].row.0]);
        if need_at.is_some() && pool_at.is_some() {
            // Two caps on one arc, one inside the other: not modelled as a network.
            return None;
        }
        let need_at = need_at.or(pool_at);
        let head = need_at.unwrap_or_else(|| setting_node(arc.setting.0));
        // Rounded down, so that children who stay never add up to more than their places.
        let staying = (program.lower[c] * FLOW_UNIT).floor() as i128;
        staying_units[c] = i64::try_from(staying).ok()?;
        supply[tail] -= staying;
        supply[head] += staying;
        fixed[head] += staying;
        if need_at.is_some() {
            fixed[setting_node(arc.setting.0)] += staying;
        }
        // An arc that takes no new child (its upper bound is the children who stay) carries
        // no flow beyond them.
        let capacity = match program.upper[c].is_finite() {
            true => Some(i64::try_from(((program.upper[c] * FLOW_UNIT).floor() as i128 - staying).max(0)).ok()?),
            false => None,
        };
        arc_of_column[c] = arcs.len();
        arcs.push(NetworkArc { tail, head, capacity, cost: 0 });
    }
    for (r, u) in formulation.unmet_column.iter().enumerate() {
        let Some(u) = u else { continue };
        let tail = node_of_row[formulation.demand_row[r]?.0];
        arc_of_column[u.0] = arcs.len();
        arcs.push(NetworkArc { tail, head: SINK, capacity: None, cost: 0 });
    }
    let mut fixed_value = vec![0.0; program.columns.len()];
    for (c, scheme) in modules_column.iter().enumerate() {
        if let Some(j) = scheme {
            fixed_value[c] = f64::from(*modules?.get(*j)?);
        }
    }
    if (0..program.columns.len()).any(|c| arc_of_column[c] == NO_ARC && modules_column[c].is_none()) {
        return None;
    }
    // Places, and places per need: within their caps (never below the children who stay,
    // which rounding could otherwise put a billionth over). A places row's price (≤ 0) is
    // π(setting) − π(sink); a need row's, π(setting and need) − π(setting).
    // Scheme pools: within places per module × modules built; a pool row's price is
    // π(pool) − π(setting), as a need row's.
    let mut pool_arcs = Vec::new();
    let mut through_pools = vec![0i128; nodes];
    for r in &formulation.pool_rows {
        let node = node_of_row[r.row.0];
        let row = &program.rows[r.row.0];
        let m = formulation.scheme_modules[r.scheme]?.0;
        let first = row.terms.iter().find(|&&(c, _)| c != m)?.0;
        let to = setting_node(formulation.arcs.get(first)?.setting.0);
        let per_module = -row.terms.iter().find(|&&(c, _)| c == m)?.1;
        let built = f64::from(*modules?.get(r.scheme)?);
        let cap = units(per_module * built + row.rhs).max(fixed[node]);
        through_pools[to] += cap;
        pool_arcs.push(NetworkArc { tail: node, head: to, capacity: Some(i64::try_from(cap).ok()?), cost: 0 });
        row_nodes[r.row.0] = (to, node, true);
    }
    // A setting's places are no limit when only its pools feed it and they hold no more:
    // then the pools' rows, which move with the modules built, carry the price (were both
    // limits to bind, the price could fall on either).
    let mut direct = vec![false; nodes];
    for a in &arcs {
        direct[a.head] = true;
    }
    for r in &formulation.need_places_rows {
        direct[setting_node(r.setting.0)] = true;
    }
    for row in formulation.places_row.iter().flatten() {
        let node = node_of_row[row.0];
        let cap = units(program.rows[row.0].rhs).max(fixed[node]);
        let redundant = !direct[node] && through_pools[node] > 0 && cap >= through_pools[node];
        let capacity = if redundant { None } else { Some(i64::try_from(cap).ok()?) };
        arcs.push(NetworkArc { tail: node, head: SINK, capacity, cost: 0 });
        row_nodes[row.0] = (SINK, node, true);
    }
    arcs.extend(pool_arcs);
    for r in &formulation.need_places_rows {
        let node = node_of_row[r.row.0];
        let to = setting_node(r.setting.0);
        let cap = units(program.rows[r.row.0].rhs).max(fixed[node]);
        arcs.push(NetworkArc { tail: node, head: to, capacity: Some(i64::try_from(cap).ok()?), cost: 0 });
        row_nodes[r.row.0] = (to, node, true);
    }
    supply[SINK] = -supply[1..].iter().sum::<i128>();
    // Within the simplex's bounds, checked here so that a program too large for its integers
    // goes to the LP backend rather than to a refusal.
    let flow_total = supply.iter().filter(|&&s| s > 0).sum::<i128>()
        + arcs.iter().filter_map(|a| a.capacity).map(i128::from).sum::<i128>();
    // (with a child to spare, for the place [`one_more_place`] adds).
    if flow_total + units(1.0) > MAX_FLOW_TOTAL {
        return None;
    }
    let supply = supply.into_iter().map(i64::try_from).collect::<Result<Vec<i64>, _>>().ok()?;
    let mut column_of_arc = vec![None; arcs.len()];
    for (c, &a) in arc_of_column.iter().enumerate().filter(|(_, a)| **a != NO_ARC) {
        column_of_arc[a] = Some(c);
    }
    Some(Layout {
        network: Network { nodes, supply, arcs },
        arc_of_column,
        fixed_value,
        staying: staying_units,
        row_nodes,
        column_of_arc,
    })
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

/// Children and money in a network written out: thousandths of a child, pence.
const DIMACS_FLOW_PER_CHILD: i64 = 1_000;
const DIMACS_COST_PER_POUND: f64 = 100.0;

/// The program's network under `objective` (one cost per column) in the DIMACS minimum-cost
/// flow format, for other solvers to read: nodes numbered from 1 (1 is the sink), supplies in
/// thousandths of a child, costs in pence a child, arcs of no limit given the total supply as
/// their capacity. Children who stay are taken out as in the solve (so the optimum leaves
/// out their cost, which is fixed). Rounding to these units
/// moves the optimum by at most a few pence a child. `None` when the program is not a
/// network.
#[must_use]
pub fn dimacs(model: &Model, formulation: &Formulation, objective: &[f64], comments: &[String]) -> Option<String> {
    use std::fmt::Write;
    let layout = layout(model, formulation, None)?;
    let net = &layout.network;
    let per_unit = FLOW_UNIT as i64 / DIMACS_FLOW_PER_CHILD;
    let to_units = |flow: i64| (flow as f64 / per_unit as f64).round() as i64;
    let mut supply: Vec<i64> = net.supply.iter().map(|&s| to_units(s)).collect();
    supply[SINK] = -supply[1..].iter().sum::<i64>();
    let total: i64 = supply.iter().filter(|&&s| s > 0).sum();
    let mut text = String::new();
    for c in comments {
        let _ = writeln!(text, "c {c}");
    }
    let _ = writeln!(text, "c supplies in thousandths of a child, costs in pence a child; node 1 is the sink");
    let _ = writeln!(text, "c children who stay where they are are left out: their cost is fixed");
    let _ = writeln!(text, "p min {} {}", net.nodes, net.arcs.len());
    for (i, &s) in supply.iter().enumerate().filter(|(_, s)| **s != 0) {
        let _ = writeln!(text, "n {} {s}", i + 1);
    }
    for (a, arc) in net.arcs.iter().enumerate() {
        let cost = layout.column_of_arc[a].map_or(0, |c| (objective[c] * DIMACS_COST_PER_POUND).round() as i64);
        let capacity = arc.capacity.map_or(total, to_units);
        let _ = writeln!(text, "a {} {} 0 {capacity} {cost}", arc.tail + 1, arc.head + 1);
    }
    Some(text)
}

/// Reads a network in the DIMACS minimum-cost flow format (as [`dimacs`] writes it: no lower
/// bounds). Capacities of at least the total supply are read as no limit.
///
/// # Errors
/// A line that is not a comment, problem, node or arc line of the format, with its number.
pub fn read_dimacs(text: &str) -> Result<Network, String> {
    let mut net = Network::default();
    for (i, line) in text.lines().enumerate() {
        let bad = || format!("line {}: expected a DIMACS min-cost flow line, found {line:?}", i + 1);
        let fields: Vec<&str> = line.split_whitespace().collect();
        let number = |k: usize| fields.get(k).and_then(|f| f.parse::<i64>().ok()).ok_or_else(bad);
        match fields.first().copied() {
            None | Some("c") => {}
            Some("p") => {
                let nodes = usize::try_from(number(2)?).map_err(|_| bad())?;
                net = Network { nodes, supply: vec![0; nodes], arcs: Vec::new() };
            }
            Some("n") => {
                let node = usize::try_from(number(1)? - 1).map_err(|_| bad())?;
                *net.supply.get_mut(node).ok_or_else(bad)? = number(2)?;
            }
            Some("a") => {
                let tail = usize::try_from(number(1)? - 1).map_err(|_| bad())?;
                let head = usize::try_from(number(2)? - 1).map_err(|_| bad())?;
                if number(3)? != 0 {
                    return Err(format!("line {}: lower bounds are not read", i + 1));
                }
                net.arcs.push(NetworkArc { tail, head, capacity: Some(number(4)?), cost: number(5)? });
            }
            Some(_) => return Err(bad()),
        }
    }
    let total: i64 = net.supply.iter().filter(|&&s| s > 0).sum();
    for arc in &mut net.arcs {
        if arc.capacity.is_some_and(|c| c >= total) {
            arc.capacity = None;
        }
    }
    Ok(net)
}

/// The network simplex prices arcs in ([`solve_by`]) when a network has more placement arcs
/// than this: each round is a warm start from the last optimal tree, so pricing pays from
/// fewer arcs than a linear-programming solver's rounds do
/// ([`crate::optimise::solve::LP_PRICED_ABOVE_ARCS`], a separate rule).
pub const NETWORK_PRICED_ABOVE_ARCS: usize = 20_000;

/// Placement arcs of each demand row in the first network solved when pricing (its cheapest).
const FIRST_ARCS_PER_ROW: usize = 1;

/// Arcs added per node and round of pricing (its most negative). Timing `solve_by` on the
/// generated region (seed 1), one a round took 14 rounds and 2.3 s, five 7 rounds and 1.8 s;
/// on England 21 s and 14 s, in a little more memory.
const ARCS_PER_ROUND: usize = 5;

/// Solves `formulation`'s program as a minimum-cost flow: under each of `aims` in turn (one
/// cost per column each; lexicographic when there are several, the last carrying the
/// tie-break charge), then, if `tie` is given, under the tie-break alone, to choose one plan
/// among those the aims price the same. Arcs are priced in above [`NETWORK_PRICED_ABOVE_ARCS`] arcs.
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
    solve_by(model, formulation, None, aims, tie, formulation.arcs.len() > NETWORK_PRICED_ABOVE_ARCS)
}

/// [`solve`] for a program with scheme places ([`Extensions::schemes`]), with each scheme's
/// modules built fixed (`modules[j]` of scheme `j`): its modules columns take those values,
/// and its pools are caps.
///
/// [`Extensions::schemes`]: crate::optimise::formulation::Extensions
///
/// # Errors
/// As [`solve`].
pub fn solve_with_modules(
    model: &Model,
    formulation: &Formulation,
    modules: &[u32],
    aims: &[Vec<f64>],
    tie: Option<&[f64]>,
) -> Option<Result<FlowSolution, NetworkError>> {
    solve_by(model, formulation, Some(modules), aims, tie, formulation.arcs.len() > NETWORK_PRICED_ABOVE_ARCS)
}

/// [`solve`], pricing arcs in or not.
///
/// **Pricing.** The network is first solved with each demand row's [`FIRST_ARCS_PER_ROW`]
/// cheapest placement arcs under the first aim (and every arc with children staying on it,
/// every arc that takes no new child, every unmet-need arc and every places arc); every arc
/// left out is then priced with the node potentials, each node's [`ARCS_PER_ROUND`] most negative (reduced cost + π(tail) −
/// π(head), exact in integers) are added, and the simplex goes on from its last spanning tree (a warm start:
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
    modules: Option<&[u32]>,
    aims: &[Vec<f64>],
    tie: Option<&[f64]>,
    price: bool,
) -> Option<Result<FlowSolution, NetworkError>> {
    let layout = layout(model, formulation, modules)?;
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
        // Arcs left out must have no limit (so that pricing's optimality holds): arcs with a
        // limit, those that take no new child, are always in.
        for c in 0..placement_arcs {
            let a = layout.arc_of_column[c];
            if layout.staying[c] > 0 || net.arcs[a].capacity.is_some() {
                active[a] = true;
            }
        }
    }
    let with_cost = |a: usize, costs: &[i64]| NetworkArc { cost: costs[a], ..net.arcs[a] };
    let mut solver = match FlowSolver::new(net.nodes, net.supply.clone(), largest_cost(first)) {
        Ok(s) => s,
        Err(e) => return Some(Err(e)),
    };
    // Arcs in the order handed to the solver.
    let mut kept: Vec<usize> = (0..net.arcs.len()).filter(|&a| active[a]).collect();
    let arc = |a: usize| with_cost(a, first);
    let rounds = match price_in(&mut solver, net.arcs.len(), arc, &mut active, &mut kept, ARCS_PER_ROUND)
        .and_then(|rounds| solver.solve().map(|()| rounds))
    {
        Ok(rounds) => rounds,
        Err(e) => return Some(Err(e)),
    };
    let arcs_used = kept.len();
    if stages.len() > 1 {
        // Arcs left out at a reduced cost of 0 are free in the stages to come.
        let mut batch = Vec::new();
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
        if let Err(e) = solver.set_costs(&kept_costs, largest_cost(&kept_costs)).and_then(|()| solver.solve()) {
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

/// A way for a demand row's children into one more place ([`one_more_place`]): the row (its
/// index in the model's demand) and the cost of a child there under the aim and under the
/// tie-break, £ a year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaceArc {
    /// The demand row.
    pub demand: usize,
    /// Cost of a child there under the aim (the weighted cost: the journey, for a place of
    /// its own running cost left out).
    pub cost: f64,
    /// Its tie-break charge.
    pub tie: f64,
}

/// The year re-solved with one more place, for each of `offers` in turn.
#[derive(Debug, Clone, PartialEq)]
pub struct WithOnePlaceMore {
    /// The plan without it: a value per column.
    pub values: Vec<f64>,
    /// Per offer: a value per column, and the children on each of its arcs (in all at most 1).
    pub offers: Vec<(Vec<f64>, Vec<f64>)>,
}

/// The year's optimum (under `objective`, then the tie-break `tie`, as [`solve`] with both),
/// and for each offer the optimum with one more place that the offer's demand rows can take
/// (one place: its arcs carry one child between them): the difference of two solves, exact
/// in integers as [`solve`]. The place is a node of its own, which flows to the sink within
/// one child; the network is solved once, every arc in (no pricing: an arc left out could
/// price in once the place is there), and each offer goes on from a copy of that optimal
/// tree with its arcs added (a warm start), then the tie-break stage. `modules` as in
/// [`solve_with_modules`]. `None` when the program is not a network or its costs are too large
/// to be exact.
///
/// # Errors
/// As [`solve`].
#[must_use]
pub fn one_more_place(
    model: &Model,
    formulation: &Formulation,
    modules: Option<&[u32]>,
    objective: &[f64],
    tie: &[f64],
    offers: &[Vec<PlaceArc>],
) -> Option<Result<WithOnePlaceMore, NetworkError>> {
    let each = |values: Vec<f64>, added: Vec<f64>| (values, added);
    let solved = one_more_place_each(model, formulation, modules, objective, tie, offers, 1, each)?;
    Some(solved.map(|(values, offers)| WithOnePlaceMore { values, offers }))
}

/// The year's values without any offer, and what was kept of each offer's answer
/// ([`one_more_place_each`]).
pub type WithEachOffer<T> = (Vec<f64>, Vec<T>);

/// [`one_more_place`], each offer's answer (its value per column, and the children on each
/// of its arcs) handed to `each` as soon as it is found, and only what `each` returns kept
/// (a year's values per offer, for thousands of offers, would hold gigabytes); the offers
/// solved on up to `threads` threads, each from its own copy of the optimal tree. The
/// answers are the same whatever the threads (each offer's solve is deterministic, and the
/// answers are gathered in the offers' order). Returns the values without any offer, and
/// what `each` returned per offer.
///
/// # Errors
/// As [`solve`].
#[allow(clippy::too_many_arguments)]
pub fn one_more_place_each<T: Send>(
    model: &Model,
    formulation: &Formulation,
    modules: Option<&[u32]>,
    objective: &[f64],
    tie: &[f64],
    offers: &[Vec<PlaceArc>],
    threads: usize,
    each: impl Fn(Vec<f64>, Vec<f64>) -> T + Sync,
) -> Option<Result<WithEachOffer<T>, NetworkError>> {
    let w = paths::WithPlace::build(model, formulation, modules, objective, tie, offers)?;
    let run = || -> Result<WithEachOffer<T>, NetworkError> {
        let solver = w.aim_solver()?;
        let (values, _) = w.answer(w.tie_stage(solver.clone(), &[])?.flow());
        // Each offer from a copy of the optimal tree without it.
        let one = |i: usize| w.solved_again(&solver, &w.offer_arcs[i]).map(|(values, added)| each(values, added));
        let out = paths::on_threads(w.offer_arcs.len(), threads, one)?;
        Ok((values, out))
    };
    Some(run())
}

mod paths;
mod warm;
pub use paths::one_more_place_by_paths;
pub use warm::WarmYear;

#[cfg(test)]
mod tests;
