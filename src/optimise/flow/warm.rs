//! A year placed again and again as the schemes' modules change, each time from the last
//! optimal tree (a warm start), for choosing a portfolio by cuts.
//!
//! Between two portfolios only the places of the schemes' pools change. Each pool's arc is
//! split into one arc per module (its places per module; the first also holds the pool's
//! places without modules and the children who stay), and a module not built is closed by
//! a cost rather than a capacity: [`closed_cost`], more than any child's unmet penalty less
//! the cost of any arc into the pool, so that a child through a closed module could always
//! go unmet for less (a cycle of negative cost), and no optimum uses one. The open modules
//! hold exactly the places the pool has with those modules built, so the program is the
//! same as [`super::solve_with_modules`]'s; only the costs change between portfolios, and
//! [`FlowSolver::set_costs`] keeps the last optimal tree and its flow (still feasible) and
//! goes on from there. Arcs left out by pricing are priced again after each change.
//!
//! The optimum is the same (the same program, solved exactly in integers); where a year has
//! several optimal plans or several row prices, the tree it starts from may end at another
//! of them: each a true optimum of the year, so that a cut from its prices is as valid.

use super::{ARCS_PER_ROUND, FIRST_ARCS_PER_ROW, FlowSolution, Layout, TIE_EXPONENT, layout};
use crate::model::Model;
use crate::optimise::formulation::Formulation;
use crate::optimise::network::{FlowSolver, NetworkArc, NetworkError, largest_cost, price_in};

/// One module arc of a pool: the network arc, its scheme, and the module it holds (0: the
/// places without modules, always open).
#[derive(Debug, Clone, Copy)]
struct ModuleArc {
    arc: usize,
    scheme: usize,
    module: u32,
}

/// A year's placement program ready to be placed under any modules built, each from the
/// last optimal tree.
pub struct WarmYear {
    layout: Layout,
    module_arcs: Vec<ModuleArc>,
    /// The aim's costs per arc (modules open), its scale, and its closed cost.
    aim: (Vec<i64>, f64, i64),
    /// The tie-break's costs per arc, its scale, and its closed cost.
    tie: (Vec<i64>, f64, i64),
    /// Placement arcs (the first arcs of the network).
    placement_arcs: usize,
    /// Whether arcs are priced in.
    price: bool,
    /// Each scheme's modules column, with the scheme.
    modules_columns: Vec<(usize, usize)>,
    /// The last optimal tree under the aim, the arcs handed to it (in its order), and
    /// which arcs are in.
    solved: Option<(FlowSolver, Vec<usize>, Vec<bool>)>,
}

/// The cost that closes a module: more than the dearest arc less the cheapest (so more
/// than any unmet penalty less the cost of any arc into a pool).
fn closed_cost(costs: &[i64]) -> i64 {
    let most = costs.iter().copied().max().unwrap_or(0).max(0);
    let least = costs.iter().copied().min().unwrap_or(0).min(0);
    most.saturating_sub(least).saturating_add(1)
}

impl WarmYear {
    /// The year of `formulation` under `objective` then the tie-break `tie` (one cost per
    /// column each), its schemes' pools split by module up to `most` modules of each
    /// scheme. `None` when the program is not a network, a pool's places fall as modules
    /// are added, or the costs are too large to be exact.
    #[must_use]
    pub fn build(
        model: &Model,
        formulation: &Formulation,
        most: &[u32],
        objective: &[f64],
        tie: &[f64],
    ) -> Option<WarmYear> {
        let mut layout = layout(model, formulation, Some(most))?;
        let program = &formulation.program;
        let mut module_arcs = Vec::new();
        for r in &formulation.pool_rows {
            let (to, node, _) = layout.row_nodes[r.row.0];
            let net = &layout.network;
            let a = (0..net.arcs.len())
                .find(|&a| layout.column_of_arc[a].is_none() && net.arcs[a].tail == node && net.arcs[a].head == to)?;
            // Children who stay in the pool: its places never below them.
            let fixed: i128 = (0..layout.arc_of_column.len())
                .filter(|&c| layout.arc_of_column[c] != super::NO_ARC)
                .filter(|&c| net.arcs[layout.arc_of_column[c]].head == node)
                .map(|c| i128::from(layout.staying[c]))
                .sum();
            let m = formulation.scheme_modules[r.scheme]?.0;
            let row = &program.rows[r.row.0];
            let per_module = -row.terms.iter().find(|&&(c, _)| c == m)?.1;
            let cap = |k: u32| super::units(per_module * f64::from(k) + row.rhs).max(fixed);
            let mut before = 0i128;
            for k in 0..=most[r.scheme] {
                let now = cap(k);
                let part = i64::try_from(now.checked_sub(before).filter(|p| *p >= 0)?).ok()?;
                before = now;
                let arc = if k == 0 {
                    layout.network.arcs[a].capacity = Some(part);
                    a
                } else {
                    layout.network.arcs.push(NetworkArc { tail: node, head: to, capacity: Some(part), cost: 0 });
                    layout.column_of_arc.push(None);
                    layout.network.arcs.len() - 1
                };
                module_arcs.push(ModuleArc { arc, scheme: r.scheme, module: k });
            }
        }
        let (aim, aim_scale) = layout.costs(objective, 6)?;
        let (ties, tie_scale) = layout.costs(tie, TIE_EXPONENT)?;
        let aim_closed = closed_cost(&aim);
        let tie_closed = closed_cost(&ties);
        // Within the simplex's bound on costs with the closed cost among them (else the
        // year is placed cold).
        let nodes = layout.network.nodes as i128;
        for (costs, closed) in [(&aim, aim_closed), (&ties, tie_closed)] {
            let most = i128::from(largest_cost(costs).max(closed.unsigned_abs()));
            if (nodes + 1) * most + 1 > 1 << 59 {
                return None;
            }
        }
        let modules_columns =
            formulation.scheme_modules.iter().enumerate().filter_map(|(j, m)| m.map(|m| (m.0, j))).collect();
        let placement_arcs = formulation.arcs.len();
        Some(WarmYear {
            layout,
            module_arcs,
            aim: (aim, aim_scale, aim_closed),
            tie: (ties, tie_scale, tie_closed),
            placement_arcs,
            price: placement_arcs > super::NETWORK_PRICED_ABOVE_ARCS,
            modules_columns,
            solved: None,
        })
    }

    /// `costs` with the modules not built in `modules` closed at `closed`.
    fn with_modules(&self, costs: &[i64], closed: i64, modules: &[u32]) -> Vec<i64> {
        let mut costs = costs.to_vec();
        for m in &self.module_arcs {
            if m.module > modules[m.scheme] {
                costs[m.arc] = closed;
            }
        }
        costs
    }

    /// The arcs in the first network solved: every arc, or when pricing, each demand row's
    /// cheapest placement arc and every arc with a limit or children staying.
    fn first_active(&self, costs: &[i64]) -> Vec<bool> {
        let net = &self.layout.network;
        let mut active = vec![true; net.arcs.len()];
        if !self.price {
            return active;
        }
        // Placement arcs are the network's first, grouped by demand row (see `layout`).
        let mut start = 0;
        let arcs = &net.arcs;
        while start < self.placement_arcs {
            let mut end = start;
            while end < self.placement_arcs && arcs[end].tail == arcs[start].tail {
                end += 1;
            }
            let mut group: Vec<usize> = (start..end).collect();
            group.sort_by_key(|&a| (costs[a], a));
            for &a in &group[FIRST_ARCS_PER_ROW.min(group.len())..] {
                active[a] = false;
            }
            start = end;
        }
        for a in 0..self.placement_arcs {
            if self.layout.staying[a] > 0 || arcs[a].capacity.is_some() {
                active[a] = true;
            }
        }
        active
    }

    /// The year placed with `modules[j]` modules of scheme `j` built: as
    /// [`super::solve_with_modules`] with the aim and the tie-break, from the last tree
    /// when there is one.
    ///
    /// # Errors
    /// If the network simplex fails.
    pub fn place(&mut self, modules: &[u32]) -> Result<FlowSolution, NetworkError> {
        let aim = self.with_modules(&self.aim.0, self.aim.2, modules);
        let max_cost = largest_cost(&self.aim.0).max(self.aim.2.unsigned_abs());
        let net = &self.layout.network;
        let arc = |a: usize| NetworkArc { cost: aim[a], ..net.arcs[a] };
        let mut rounds = 0;
        let (mut solver, mut kept, mut active) = match self.solved.take() {
            None => {
                let mut solver = FlowSolver::new(net.nodes, net.supply.clone(), max_cost)?;
                let mut active = self.first_active(&aim);
                let mut kept: Vec<usize> = (0..net.arcs.len()).filter(|&a| active[a]).collect();
                rounds += price_in(&mut solver, net.arcs.len(), arc, &mut active, &mut kept, ARCS_PER_ROUND)?;
                (solver, kept, active)
            }
            Some((mut solver, kept, active)) => {
                let kept_costs: Vec<i64> = kept.iter().map(|&a| aim[a]).collect();
                solver.set_costs(&kept_costs, max_cost)?;
                (solver, kept, active)
            }
        };
        // Arcs left out priced again under the new tree, until none prices out.
        loop {
            solver.solve()?;
            rounds += 1;
            let mut negative: Vec<(usize, i128, usize)> = (0..net.arcs.len())
                .filter(|&a| !active[a])
                .filter_map(|a| {
                    let reduced = solver.reduced_cost(&arc(a));
                    (reduced < 0).then_some((net.arcs[a].tail, reduced, a))
                })
                .collect();
            if negative.is_empty() {
                break;
            }
            negative.sort_unstable();
            let mut batch = Vec::new();
            let mut taken = 0;
            for (i, &(tail, _, a)) in negative.iter().enumerate() {
                taken = if i > 0 && negative[i - 1].0 == tail { taken + 1 } else { 1 };
                if taken <= ARCS_PER_ROUND {
                    active[a] = true;
                    kept.push(a);
                    batch.push(arc(a));
                }
            }
            solver.add_arcs(&batch)?;
        }
        let potentials = solver.potentials();
        // The tie-break stage, on a copy: arcs left out at a reduced cost of 0 first (free
        // in it), then only the aim's optima kept.
        let mut stage = solver.clone();
        let mut stage_kept = kept.clone();
        let mut batch = Vec::new();
        for a in (0..net.arcs.len()).filter(|&a| !active[a]) {
            if stage.reduced_cost(&arc(a)) == 0 {
                stage_kept.push(a);
                batch.push(arc(a));
            }
        }
        stage.add_arcs(&batch)?;
        stage.keep_optima();
        let tie = self.with_modules(&self.tie.0, self.tie.2, modules);
        let tie_costs: Vec<i64> = stage_kept.iter().map(|&a| tie[a]).collect();
        stage.set_costs(&tie_costs, largest_cost(&tie_costs))?;
        stage.solve()?;
        let mut flow = vec![0i64; net.arcs.len()];
        for (k, &a) in stage_kept.iter().enumerate() {
            flow[a] = stage.flow()[k];
        }
        // A closed module that carries children: no plan places them within the open
        // modules (a demand row without an unmet-need arc), as the cold solve finds.
        if self.module_arcs.iter().any(|m| m.module > modules[m.scheme] && flow[m.arc] > 0) {
            return Err(NetworkError::Infeasible);
        }
        let (mut values, row_prices) = self.layout.answer(&flow, &potentials, self.aim.1);
        for &(c, j) in &self.modules_columns {
            values[c] = f64::from(modules[j]);
        }
        let solution = FlowSolution { values, row_prices, pivots: stage.pivots(), rounds, arcs_used: kept.len() };
        self.solved = Some((solver, kept, active));
        Ok(solution)
    }
}
