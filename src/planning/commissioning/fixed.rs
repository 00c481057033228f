//! Commissioning options with their whole-number choices fixed, as a minimum-cost flow.
//!
//! Once it is fixed which frameworks are joined and how many blocks of each contract are
//! bought, the commissioning program (every option open) is a network: a node per demand
//! row, per school, need and phase an option covers (its children are bought there), per
//! option's cap (a framework's children at one school, a contract's block places, its
//! places beyond the blocks), per setting's places and per capped need, and one sink. A
//! child's arc goes from their demand row to the school, need and phase (its fee left out);
//! from there one arc per route: spot purchase at the school's fee straight on, the option's
//! price or a block's 0 through the option's cap, whose arc onward holds the places bought.
//! The network simplex ([`crate::optimise::network`]) solves it exactly in integers, as
//! [`crate::optimise::flow`] does for the placement program, and starts each fixed choice
//! from the tree of spot purchase alone (the caps' arcs join at flow 0).
//!
//! Not a network, and left to the mixed-integer program: a framework's providers accepting
//! only a share of the children offered, locality caps, children who stay, and an option's
//! cap over needs that have places of their own at the school (the cap and the need's
//! places then overlap).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{Model, Need, Phase, PurchasingTerms, SettingIx};
use crate::optimise::flow::{FLOW_UNIT, cost_scale};
use crate::optimise::formulation::{Extensions, Formulation, Route, arc_cost};
use crate::optimise::network::{FlowSolver, NetworkArc, NetworkError, largest_cost};
use crate::optimise::run::Error;
use crate::travel::JourneyTable;

/// The sink: every child ends there.
const SINK: usize = 0;

/// One arc holding what an option buys: its capacity is `per_taken` × taken, at most `most`.
/// A framework's route is its own cap arc (a column, at the route's price) where its cap is
/// no less than the school's places: it is open when joined, and the places hold the rest.
#[derive(Debug, Clone, Copy)]
struct CapArc {
    tail: usize,
    head: usize,
    per_taken: f64,
    most: f64,
    setting: SettingIx,
    column: Option<usize>,
}

/// Every option open, as a network for any fixed choice.
pub(crate) struct OptionNetwork {
    /// The commissioning program with every option open.
    pub f: Formulation,
    /// Per entry of `f.options_taken`: the most it may take (1 for a framework).
    pub most: Vec<u32>,
    /// Money units per £.
    scale: f64,
    /// The bound on the nodes the scale was chosen for.
    nodes_bound: usize,
    /// The largest |cost| of an arc.
    max_cost: u64,
    /// Spot purchase alone, solved: every arc but the caps'.
    base: FlowSolver,
    /// Per arc of `base`: its column, if it is one.
    column_of_arc: Vec<Option<usize>>,
    /// Per arc of `base`: its cost.
    costs: Vec<i64>,
    /// Per entry of `f.options_taken`: its cap arcs.
    caps: Vec<Vec<CapArc>>,
    /// Placement arcs left out of `base` (far dearer than spot purchase's plan), with their
    /// columns: priced in when a choice makes them worth using.
    left_out: Vec<(NetworkArc, Option<usize>)>,
}

/// A placement arc costing more than this (£ a child) above what spot purchase's plan
/// prices it at is left out of each solve until its price says it is worth adding.
const LEFT_OUT_ABOVE: f64 = 20_000.0;

/// A fixed choice placed.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    /// Per entry of `f.options_taken`: what it takes.
    pub taken: Vec<u32>,
    /// A value per column.
    pub values: Vec<f64>,
    /// The objective with the tie-break, at `values`.
    pub value: f64,
    /// The objective alone (the spend and weights), at `values`.
    pub cost: f64,
    /// Per entry of `f.options_taken`, per cap arc: £ a year for one more place there (≤ 0),
    /// the places each one taken gives, and whether one taken gives them all (places beyond
    /// a contract's blocks: any block opens them).
    pub slopes: Vec<Vec<(f64, f64, bool)>>,
}

fn units(children: f64) -> i64 {
    (children * FLOW_UNIT).round() as i64
}

fn network_error(e: NetworkError) -> Error {
    Error::Check(format!("the network simplex failed on the commissioning options: {e:?}"))
}

impl OptionNetwork {
    /// The network of `model` with every option open, spot purchase solved; `None` when the
    /// program is not a network (see the module documentation).
    ///
    /// # Errors
    /// If the network simplex fails.
    pub fn new(model: &Model, journeys: &JourneyTable) -> Result<Option<OptionNetwork>, Error> {
        let all: Vec<usize> = (0..model.purchasing.len()).collect();
        if model.purchasing.iter().any(|o| o.acceptance < 1.0) || !model.locality_caps.is_empty() {
            return Ok(None);
        }
        let f = Formulation::build_with(model, journeys, Extensions { purchasing: &all, ..Extensions::default() });
        layout(model, f)
    }

    /// Places the choice `taken` (one per entry of `f.options_taken`).
    ///
    /// # Errors
    /// If the network simplex fails.
    pub fn place(&self, taken: &[u32]) -> Result<Placed, Error> {
        self.place_keeping(taken).map(|(_, placed)| placed)
    }

    /// [`OptionNetwork::place`], keeping the chain it placed `taken` on (to go on from).
    ///
    /// # Errors
    /// If the network simplex fails.
    pub(crate) fn place_keeping(&self, taken: &[u32]) -> Result<(Chain, Placed), Error> {
        let mut chain = self.start();
        for (k, &t) in taken.iter().enumerate() {
            chain.take(self, k, t, None)?;
        }
        let placed = self.placed(&mut chain, None)?;
        Ok((chain, placed))
    }

    /// [`OptionNetwork::place`] with the prices of `model`'s framework `o` (a copy of the model
    /// with its terms changed), going on from `chain` (the choice to place, solved at any
    /// prices): every arc is given its cost at these prices and the solve goes on from the
    /// last tree.
    ///
    /// # Errors
    /// If the network simplex fails.
    pub fn place_repriced(&self, model: &Model, o: usize, chain: &mut Chain) -> Result<Placed, Error> {
        let mut objective = self.f.program.objective.clone();
        let tie = self.f.tie_break();
        for r in self.f.routes.iter().filter(|r| r.route == Route::Option(o)) {
            let fee = model.setting(r.setting).cost_for(r.need);
            objective[r.column.0] = model.purchasing[o].price(fee, r.need, r.phase).0;
        }
        let priced = |c: usize| ((objective[c] + tie[c]) * self.scale).round() as i64;
        let mut costs: Vec<i64> =
            self.column_of_arc.iter().zip(&self.costs).map(|(c, &x)| c.map_or(x, priced)).collect();
        for ((c, x), &back) in chain.columns.iter().zip(&mut chain.costs).zip(&chain.back) {
            if !back {
                *x = c.map_or(*x, priced);
            }
            costs.push(*x);
        }
        let repriced: Vec<i64> =
            self.f.routes.iter().filter(|r| r.route == Route::Option(o)).map(|r| priced(r.column.0)).collect();
        let max_cost = largest_cost(&costs).max(largest_cost(&repriced)).max(self.max_cost);
        chain.solver.set_costs(&costs, max_cost).map_err(network_error)?;
        self.placed(chain, Some(&objective))
    }

    /// This network with the fees of `model`: the model it was laid out for with only its
    /// schools' fees changed (as [`super::with_fees_raised`] gives; options, places and need
    /// as they were). Every placement arc and route is priced as
    /// [`Formulation::build_with`] would price it for `model` (a framework's price following
    /// the fee, a block's and the places beyond it as contracted), and spot purchase is
    /// solved again from this network's tree rather than laid out afresh. The arcs left out
    /// stay left out until their price says they are worth adding, as in
    /// [`OptionNetwork::placed`], so each choice's flow is optimal for the whole network.
    /// `None` where the new costs need another money scale than this network's (a fresh
    /// layout, [`OptionNetwork::new`], then gives the same optimum).
    ///
    /// # Errors
    /// If the network simplex fails.
    pub fn repriced(&self, model: &Model) -> Result<Option<OptionNetwork>, Error> {
        let mut f = self.f.clone();
        let weight = model.policy.out_of_borough_weight;
        let covered: BTreeSet<(SettingIx, Need, Phase)> =
            f.routes.iter().map(|r| (r.setting, r.need, r.phase)).collect();
        for (c, arc) in f.arcs.iter_mut().enumerate() {
            let d = &model.demand[arc.demand];
            arc.place_cost = model.setting(arc.setting).cost_for(d.need);
            let mut cost = arc_cost(arc, weight).pounds();
            if covered.contains(&(arc.setting, d.need, d.phase)) {
                // The fee is on the purchase routes, as in the formulation.
                cost -= arc.place_cost.0;
            }
            f.program.objective[c] = cost;
        }
        for r in &mut f.routes {
            let fee = model.setting(r.setting).cost_for(r.need);
            let option = |o: usize| &model.purchasing[o];
            r.price = match r.route {
                Route::Spot => fee,
                Route::Option(o) => option(o).price(fee, r.need, r.phase),
                Route::Above(o) => match option(o).terms {
                    PurchasingTerms::Block { above: Some((price, _)), .. } => price,
                    _ => r.price,
                },
            };
            f.program.objective[r.column.0] = r.price.0;
        }
        let program = &f.program;
        let tie = f.tie_break();
        let largest = program.objective.iter().zip(tie).map(|(c, t)| (c + t).abs()).fold(0.0, f64::max);
        if cost_scale(largest, self.nodes_bound) != Some(self.scale) {
            return Ok(None);
        }
        let cost_of = |c: usize| ((program.objective[c] + tie[c]) * self.scale).round() as i64;
        let costs: Vec<i64> = self.column_of_arc.iter().zip(&self.costs).map(|(c, &x)| c.map_or(x, cost_of)).collect();
        let left_out: Vec<(NetworkArc, Option<usize>)> = self
            .left_out
            .iter()
            .map(|&(arc, c)| (NetworkArc { cost: c.map_or(arc.cost, cost_of), ..arc }, c))
            .collect();
        let all_costs: Vec<i64> = (0..program.columns.len()).map(cost_of).collect();
        let max_cost = largest_cost(&costs)
            .max(largest_cost(&all_costs))
            .max(left_out.iter().map(|(a, _)| a.cost.unsigned_abs()).max().unwrap_or(0));
        let mut base = self.base.clone();
        base.set_costs(&costs, max_cost).map_err(network_error)?;
        base.solve().map_err(network_error)?;
        Ok(Some(OptionNetwork {
            f,
            most: self.most.clone(),
            scale: self.scale,
            nodes_bound: self.nodes_bound,
            max_cost,
            base,
            column_of_arc: self.column_of_arc.clone(),
            costs,
            caps: self.caps.clone(),
            left_out,
        }))
    }

    /// The cap arcs of entry `k` of `f.options_taken`: how much one more or fewer taken moves.
    pub(crate) fn arcs_of(&self, k: usize) -> usize {
        self.caps[k].len()
    }

    /// Spot purchase alone, solved, to take options from.
    pub(crate) fn start(&self) -> Chain {
        Chain {
            solver: self.base.clone(),
            taken: vec![0; self.caps.len()],
            columns: Vec::new(),
            owner: Vec::new(),
            costs: Vec::new(),
            back: Vec::new(),
        }
    }

    /// The chain's choice placed (solved from its last tree).
    ///
    /// # Errors
    /// If the network simplex fails.
    pub(crate) fn placed(&self, chain: &mut Chain, objective: Option<&[f64]>) -> Result<Placed, Error> {
        let program = &self.f.program;
        let objective = objective.unwrap_or(&program.objective);
        let tie = self.f.tie_break();
        // Solve, then add every arc left out whose reduced cost is below 0, until none is: the
        // flow is then optimal for the whole network (arcs left out carry nothing and have
        // no limit), as in `crate::optimise::flow`'s pricing.
        let mut added = vec![false; self.left_out.len()];
        loop {
            chain.solver.solve().map_err(network_error)?;
            let mut arcs = Vec::new();
            for (k, (arc, column)) in self.left_out.iter().enumerate() {
                if !added[k] && chain.solver.reduced_cost(arc) < 0 {
                    added[k] = true;
                    arcs.push(*arc);
                    chain.columns.push(*column);
                    chain.owner.push(None);
                    chain.costs.push(arc.cost);
                    chain.back.push(false);
                }
            }
            if arcs.is_empty() {
                break;
            }
            chain.solver.add_arcs(&arcs).map_err(network_error)?;
        }
        let flow = chain.solver.flow();
        let mut values = vec![0.0; program.columns.len()];
        for (a, c) in self.column_of_arc.iter().chain(&chain.columns).enumerate() {
            if let Some(c) = *c {
                values[c] += flow[a] as f64 / FLOW_UNIT;
            }
        }
        for (k, &(_, c)) in self.f.options_taken.iter().enumerate() {
            values[c.0] = f64::from(chain.taken[k]);
        }
        let value = objective.iter().zip(tie).zip(&values).map(|((c, t), v)| (c + t) * v).sum();
        let cost = objective.iter().zip(&values).map(|(c, v)| c * v).sum();
        // Each cap's price: its arc's reduced cost, whether added or not (an arc not added
        // has no places: any price below 0 is its dual).
        let slopes = self
            .caps
            .iter()
            .map(|caps| {
                caps.iter()
                    .map(|cap| {
                        let cost = cap.column.map_or(0, |c| ((objective[c] + tie[c]) * self.scale).round() as i64);
                        let arc = NetworkArc { tail: cap.tail, head: cap.head, capacity: None, cost };
                        let rc = chain.solver.reduced_cost(&arc);
                        ((rc.min(0) as f64) / self.scale, cap.per_taken, cap.most.is_finite())
                    })
                    .collect()
            })
            .collect();
        Ok(Placed { taken: chain.taken.clone(), values, value, cost, slopes })
    }
}

/// A choice being built up from spot purchase alone: more taken of an option adds arcs
/// (one a block, of its places; the places beyond the blocks with the first; a framework's
/// routes when joined), and each solve goes on from the last tree.
#[derive(Clone)]
pub(crate) struct Chain {
    solver: FlowSolver,
    /// Per entry of `f.options_taken`: taken so far.
    taken: Vec<u32>,
    /// Per arc added: its column, if it is one.
    columns: Vec<Option<usize>>,
    /// Per arc added: the entry of `f.options_taken` and the one taken (from 0) it came
    /// with, if a cap's.
    owner: Vec<Option<(usize, u32)>>,
    /// Per arc added: its cost now (the largest any arc may have once given back).
    costs: Vec<i64>,
    /// Per arc added: whether it was given back.
    back: Vec<bool>,
}

impl Chain {
    /// Gives back what the chain takes beyond `to` (entry by entry; no more taken where it
    /// takes no more): the arcs that came with it cost the most any arc may, so that the
    /// next solve moves the children off them. Whether it did is [`Chain::holds_given_back`]:
    /// if nothing is left on them, the flow is optimal without them.
    ///
    /// # Errors
    /// If the network simplex refuses the costs.
    pub(crate) fn give_back(&mut self, net: &OptionNetwork, to: &[u32]) -> Result<(), Error> {
        if self.taken.iter().zip(to).all(|(a, b)| a <= b) {
            return Ok(());
        }
        let most = i64::try_from(net.max_cost).unwrap_or(i64::MAX);
        for ((owner, cost), back) in self.owner.iter().zip(&mut self.costs).zip(&mut self.back) {
            if let Some((k, t)) = *owner
                && t >= to[k]
            {
                *cost = most;
                *back = true;
            }
        }
        for (k, &t) in to.iter().enumerate() {
            self.taken[k] = self.taken[k].min(t);
        }
        let costs: Vec<i64> = net.costs.iter().chain(&self.costs).copied().collect();
        self.solver.set_costs(&costs, net.max_cost).map_err(network_error)
    }

    /// Whether any arc given back ([`Chain::give_back`]) still carries children.
    pub(crate) fn holds_given_back(&self, net: &OptionNetwork) -> bool {
        let flow = &self.solver.flow()[net.costs.len()..];
        self.back.iter().zip(flow).any(|(&b, &f)| b && f > 0)
    }

    /// Per entry of `f.options_taken`: taken so far.
    pub(crate) fn taken(&self) -> &[u32] {
        &self.taken
    }

    /// Pivots made since the network was laid out: how far this chain has come from spot
    /// purchase alone.
    pub(crate) fn pivots(&self) -> u64 {
        self.solver.pivots()
    }

    /// Takes entry `k` up to `to` (no fewer than before).
    ///
    /// # Errors
    /// If an arc cannot be added.
    pub(crate) fn take(
        &mut self,
        net: &OptionNetwork,
        k: usize,
        to: u32,
        objective: Option<&[f64]>,
    ) -> Result<(), Error> {
        let objective = objective.unwrap_or(&net.f.program.objective);
        let tie = net.f.tie_break();
        let from = self.taken[k];
        let mut arcs = Vec::new();
        for t in from..to {
            for cap in &net.caps[k] {
                // Places beyond the blocks open with the first block, all at once.
                if cap.most.is_finite() && t > 0 {
                    continue;
                }
                // A framework's route at a market step without a limit: no limit.
                let limit = cap.per_taken.min(cap.most);
                let capacity = limit.is_finite().then(|| units(limit));
                let cost = cap.column.map_or(0, |c| ((objective[c] + tie[c]) * net.scale).round() as i64);
                arcs.push(NetworkArc { tail: cap.tail, head: cap.head, capacity, cost });
                self.columns.push(cap.column);
                self.owner.push(Some((k, t)));
                self.costs.push(cost);
                self.back.push(false);
            }
        }
        self.solver.add_arcs(&arcs).map_err(network_error)?;
        self.taken[k] = self.taken[k].max(to);
        Ok(())
    }
}

/// Builds the network of `f` (every option open), or `None` where it is not one.
fn layout(model: &Model, f: Formulation) -> Result<Option<OptionNetwork>, Error> {
    let program = &f.program;
    let n_arcs = f.arcs.len();
    if f.arcs.iter().any(|a| a.staying > 0.0 || !a.takes_new)
        || !f.cap_rows.is_empty()
        || !f.pool_rows.is_empty()
        || f.scheme_modules.iter().any(Option::is_some)
    {
        return Ok(None);
    }
    let mut node_of_row = vec![usize::MAX; program.rows.len()];
    let mut supply = vec![0];
    let add_node = |s: i64, supply: &mut Vec<i64>| {
        supply.push(s);
        supply.len() - 1
    };
    for row in f.demand_row.iter().flatten() {
        node_of_row[row.0] = add_node(units(program.rows[row.0].rhs), &mut supply);
    }
    for row in f.places_row.iter().flatten() {
        node_of_row[row.0] = add_node(0, &mut supply);
    }
    for r in &f.need_places_rows {
        node_of_row[r.row.0] = add_node(0, &mut supply);
    }
    let need_nodes: HashMap<(SettingIx, Need), usize> =
        f.need_places_rows.iter().map(|r| ((r.setting, r.need), node_of_row[r.row.0])).collect();
    let setting_node = |s: SettingIx| f.places_row[s.0].map_or(SINK, |r| node_of_row[r.0]);
    let onward = |s: SettingIx, n: Need| need_nodes.get(&(s, n)).copied().unwrap_or_else(|| setting_node(s));
    // A node per school, need and phase covered; a node per cap.
    let mut bought: BTreeMap<(SettingIx, Need, Phase), usize> = BTreeMap::new();
    for r in &f.routes {
        bought.entry((r.setting, r.need, r.phase)).or_insert_with(|| add_node(0, &mut supply));
    }
    let position: HashMap<usize, usize> = f.options_taken.iter().enumerate().map(|(k, &(o, _))| (o, k)).collect();
    // (option entry, route kind 0 = through, 1 = beyond, setting for a framework) -> cap node.
    let mut cap_node: BTreeMap<(usize, u8, Option<SettingIx>), (usize, usize)> = BTreeMap::new();
    let mut column_of_arc = Vec::new();
    let mut base_arcs = Vec::new();
    let mut costs = Vec::new();
    let tie = f.tie_break();
    let largest = program.objective.iter().zip(tie).map(|(c, t)| (c + t).abs()).fold(0.0, f64::max);
    let nodes_bound = supply.len() + 2 * f.routes.len() + 1;
    let Some(scale) = cost_scale(largest, nodes_bound) else { return Ok(None) };
    let cost_of = |c: usize| ((program.objective[c] + tie[c]) * scale).round() as i64;
    let mut push = |tail: usize, head: usize, capacity: Option<i64>, column: Option<usize>, cost: i64| {
        base_arcs.push(NetworkArc { tail, head, capacity, cost });
        column_of_arc.push(column);
        costs.push(cost);
    };
    for (c, arc) in f.arcs.iter().enumerate() {
        // A demand row with no children has no row: its arcs carry none.
        let Some(row) = f.demand_row[arc.demand] else { continue };
        let d = &model.demand[arc.demand];
        let head = bought.get(&(arc.setting, d.need, d.phase)).copied().unwrap_or_else(|| onward(arc.setting, d.need));
        push(node_of_row[row.0], head, None, Some(c), cost_of(c));
    }
    for (r, u) in f.unmet_column.iter().enumerate() {
        if let (Some(u), Some(row)) = (u, f.demand_row[r]) {
            push(node_of_row[row.0], SINK, None, Some(u.0), cost_of(u.0));
        }
    }
    for r in &f.need_places_rows {
        push(node_of_row[r.row.0], setting_node(r.setting), Some(units(program.rows[r.row.0].rhs)), None, 0);
    }
    for row in f.places_row.iter().flatten() {
        push(node_of_row[row.0], SINK, Some(units(program.rows[row.0].rhs)), None, 0);
    }
    let mut caps: Vec<Vec<CapArc>> = vec![Vec::new(); f.options_taken.len()];
    for r in &f.routes {
        let from = bought[&(r.setting, r.need, r.phase)];
        let to = onward(r.setting, r.need);
        let (o, kind) = match r.route {
            Route::Spot => {
                push(from, to, None, Some(r.column.0), cost_of(r.column.0));
                continue;
            }
            Route::Option(o) => (o, 0u8),
            Route::Above(o) => (o, 1u8),
        };
        let k = position[&o];
        let option = &model.purchasing[o];
        if let PurchasingTerms::Framework { max_children_per_setting, .. } = option.terms {
            let mut places = model.setting(r.setting).places;
            if !places.is_finite() {
                // A market step without a limit of places: the children of this need and
                // phase who could be placed there, a capacity never reached, so a cut's
                // slope times it is finite (an infinite capacity gave a cut of NaN).
                places = f
                    .arcs
                    .iter()
                    .filter(|a| a.setting == r.setting)
                    .map(|a| &model.demand[a.demand])
                    .filter(|d| d.need == r.need && d.phase == r.phase)
                    .map(|d| d.children)
                    .sum::<f64>()
                    .ceil();
            }
            if max_children_per_setting.is_none_or(|m| m >= places) {
                let c = Some(r.column.0);
                caps[k].push(CapArc {
                    tail: from,
                    head: to,
                    per_taken: places,
                    most: f64::INFINITY,
                    setting: r.setting,
                    column: c,
                });
                continue;
            }
        }
        let framework_at = matches!(option.terms, PurchasingTerms::Framework { .. }).then_some(r.setting);
        let key = (k, kind, framework_at);
        let (node, head) = match cap_node.get(&key) {
            Some(&(node, head)) => (node, head),
            None => {
                let node = add_node(0, &mut supply);
                let (per_taken, most) = match &option.terms {
                    PurchasingTerms::Framework { max_children_per_setting, .. } => {
                        let places = model.setting(r.setting).places;
                        let cap = max_children_per_setting.map_or(places, |m| m.min(places));
                        (cap, f64::INFINITY)
                    }
                    PurchasingTerms::Block { block_places, above, .. } => match (kind, above) {
                        (0, _) => (*block_places, f64::INFINITY),
                        (_, Some((_, most))) => (*most, *most),
                        _ => return Ok(None),
                    },
                };
                caps[k].push(CapArc { tail: node, head: to, per_taken, most, setting: r.setting, column: None });
                cap_node.insert(key, (node, to));
                (node, to)
            }
        };
        if head != to {
            // The cap spans needs with places of their own: not a network.
            return Ok(None);
        }
        push(from, node, None, Some(r.column.0), cost_of(r.column.0));
    }
    // Every row accounted for: demand, places, needs, bought, and the caps' rows.
    let mut expected = f.demand_row.iter().flatten().count()
        + f.places_row.iter().flatten().count()
        + f.need_places_rows.len()
        + bought.len();
    for (k, &(o, _)) in f.options_taken.iter().enumerate() {
        expected += match model.purchasing[o].terms {
            PurchasingTerms::Framework { .. } => caps[k].iter().map(|c| c.setting).collect::<BTreeSet<_>>().len(),
            PurchasingTerms::Block { .. } => 1 + 2 * caps[k].iter().filter(|c| c.most.is_finite()).count(),
        };
    }
    let integer_ok =
        program.integer.iter().enumerate().all(|(c, &i)| !i || f.options_taken.iter().any(|&(_, t)| t.0 == c));
    let bounds_ok = program.lower.iter().take(n_arcs).all(|&l| l == 0.0);
    if expected != program.rows.len() || !integer_ok || !bounds_ok {
        return Ok(None);
    }
    let total: i64 = supply.iter().sum();
    supply[SINK] = -total;
    // Every column's cost, the routes added with the caps included.
    let all_costs: Vec<i64> = (0..program.columns.len()).map(cost_of).collect();
    let max_cost = largest_cost(&costs).max(largest_cost(&all_costs));
    let most = f
        .options_taken
        .iter()
        .map(|&(o, _)| match model.purchasing[o].terms {
            PurchasingTerms::Framework { .. } => 1,
            PurchasingTerms::Block { max_blocks, .. } => max_blocks,
        })
        .collect();
    let mut full = FlowSolver::new(supply.len(), supply.clone(), max_cost).map_err(network_error)?;
    full.add_arcs(&base_arcs).map_err(network_error)?;
    full.solve().map_err(network_error)?;
    // Each choice is solved on the placement arcs that carry children for spot purchase, or
    // cost within [`LEFT_OUT_ABOVE`] of doing so, and every other arc; the rest are priced
    // in after each solve (exact: see [`OptionNetwork::placed`]).
    let beyond = LEFT_OUT_ABOVE * scale;
    let flow = full.flow();
    let keep: Vec<bool> = (0..base_arcs.len())
        .map(|a| {
            let placement = column_of_arc[a].is_some_and(|c| c < n_arcs);
            !placement || flow[a] > 0 || (full.reduced_cost(&base_arcs[a]) as f64) <= beyond
        })
        .collect();
    let pick = |v: &[NetworkArc], keep_it: bool| -> Vec<NetworkArc> {
        v.iter().zip(&keep).filter(|&(_, &k)| k == keep_it).map(|(a, _)| *a).collect()
    };
    let left_out: Vec<(NetworkArc, Option<usize>)> = pick(&base_arcs, false)
        .into_iter()
        .zip(column_of_arc.iter().zip(&keep).filter(|&(_, &k)| !k).map(|(c, _)| *c))
        .collect();
    let kept = pick(&base_arcs, true);
    let column_of_arc: Vec<Option<usize>> =
        column_of_arc.iter().zip(&keep).filter(|&(_, &k)| k).map(|(c, _)| *c).collect();
    let costs: Vec<i64> = kept.iter().map(|a| a.cost).collect();
    let mut base = FlowSolver::new(supply.len(), supply, max_cost).map_err(network_error)?;
    base.add_arcs(&kept).map_err(network_error)?;
    base.solve().map_err(network_error)?;
    Ok(Some(OptionNetwork { f, most, scale, nodes_bound, max_cost, base, column_of_arc, costs, caps, left_out }))
}
