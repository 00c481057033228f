use super::simplex::{NIL, TREE};
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

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

/// Seeded random numbers for the random networks (ChaCha8, the same on every machine).
struct Rng(ChaCha8Rng);

impl Rng {
    fn seeded(seed: u64) -> Rng {
        Rng(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Uniform in `low..=high`.
    fn range(&mut self, low: i64, high: i64) -> i64 {
        self.0.random_range(low..=high)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n)
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
        let mut rng = Rng::seeded(seed);
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
        let mut rng = Rng::seeded(1_000_000 + seed);
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
        let mut rng = Rng::seeded(7_000 + seed);
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
        let mut rng = Rng::seeded(90_000 + seed);
        let nodes = rng.range(2, 25) as usize;
        let arcs = rng.range(0, 150) as usize;
        let shape = Shape { nodes, arcs, units: 30, max_capacity: 6, unlimited: 2, costs: (-3, 9), unlimited_low: 0 };
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
        let mut rng = Rng::seeded(50_000 + seed);
        let nodes = rng.range(3, 30) as usize;
        let arcs = rng.range(0, 120) as usize;
        let shape = Shape { nodes, arcs, units: 20, max_capacity: 4, unlimited: 5, costs: (-2, 6), unlimited_low: 0 };
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
        let mut rng = Rng::seeded(70_000 + seed);
        let nodes = rng.range(3, 12) as usize;
        let arcs = rng.range(2, 40) as usize;
        let shape = Shape { nodes, arcs, units: 12, max_capacity: 4, unlimited: 4, costs: (-1, 3), unlimited_low: 0 };
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
    let mut rng = Rng::seeded(seed);
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
