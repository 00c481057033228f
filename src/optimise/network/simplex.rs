//! The network simplex's working state and its pivots: the spanning tree kept in flat
//! vectors (parent, predecessor arc, thread, reverse thread, subtree size and last node),
//! block pricing of the entering arc and the leaving arc that keeps the tree strongly
//! feasible (the method is set out in [`super`]).

use super::{NetworkArc, NetworkError};

/// Non-tree arc at flow 0.
pub(super) const LOWER: i8 = 1;
/// Non-tree arc at its capacity.
pub(super) const UPPER: i8 = -1;
/// Tree arc.
pub(super) const TREE: i8 = 0;
/// Non-tree arc fixed at its flow, never priced: a self-loop (settled before the simplex),
/// or an arc a later stage may not move ([`FlowSolver::keep_optima`]). [`LOWER`] and
/// [`UPPER`] are odd, [`TREE`] and `FIXED` even, which is how pricing tells them apart.
pub(super) const FIXED: i8 = 2;
/// Block size: this times √(number of arcs), and at least [`MIN_BLOCK`]. A quarter of
/// √(arcs) prices a placement network of 1 million arcs in a third of the time √(arcs)
/// takes and needs barely more pivots.
pub(super) const BLOCK_FACTOR: f64 = 0.25;
/// The smallest block.
pub(super) const MIN_BLOCK: f64 = 10.0;
/// Unlimited capacity or residual.
pub(super) const INF: i64 = i64::MAX;
/// No node.
pub(super) const NONE: usize = usize::MAX;

/// The network simplex's working state: arcs `0..n` are the artificial arcs (node `i`'s is
/// arc `i`), `n..` the network's; node `n` is the root. Nodes and arcs are
/// numbered in `u32`, which keeps the records small: the thread walk and the pricing are
/// bound by memory, not arithmetic.
#[derive(Clone)]
pub(super) struct Simplex {
    pub(super) tail: Vec<u32>,
    pub(super) head: Vec<u32>,
    pub(super) cost: Vec<i64>,
    /// Capacity, [`INF`] if unlimited.
    pub(super) capacity: Vec<i64>,
    pub(super) flow: Vec<i64>,
    /// [`LOWER`], [`UPPER`], [`TREE`] or [`FIXED`].
    pub(super) state: Vec<i8>,
    /// Each node's potential and place in the depth-first order.
    pub(super) order: Vec<Order>,
    /// Each node's place in the tree.
    pub(super) tree: Vec<Place>,
    /// Where pricing resumes, and how many arcs a block holds.
    pub(super) next_arc: usize,
    pub(super) block: usize,
    pub(super) pivots: u64,
    /// Scratch for rehanging a subtree, kept between pivots.
    pub(super) path: Vec<PathNode>,
    /// Each node's supply.
    pub(super) supply: Vec<i64>,
}

/// A node's potential (held modulo 2⁶⁴: only differences are used), the next node in a
/// depth-first order of the tree (cyclic, from the root) and the one before. One record,
/// so that walking the order to update potentials costs one cache miss a node.
#[derive(Clone, Copy)]
pub(super) struct Order {
    pub(super) potential: i64,
    pub(super) thread: u32,
    pub(super) rev_thread: u32,
}

/// A node's parent ([`NIL`] at the root), the tree arc joining them, how many nodes its
/// subtree holds (itself included) and the last of them in the depth-first order.
#[derive(Clone, Copy)]
pub(super) struct Place {
    pub(super) parent: u32,
    pub(super) pred: u32,
    pub(super) size: u32,
    pub(super) last: u32,
}

/// A node on the path of a subtree being rehung, with what the tree said of it before: its
/// last descendant, the nodes before it and after that descendant in the order, its size.
#[derive(Clone, Copy)]
pub(super) struct PathNode {
    pub(super) node: u32,
    pub(super) last: u32,
    pub(super) before: u32,
    pub(super) after_last: u32,
    pub(super) size: u32,
}

/// No node or arc, in `u32`.
pub(super) const NIL: u32 = u32::MAX;

impl Simplex {
    /// The artificial network and its strongly feasible starting tree: every node hangs
    /// from the root by its artificial arc (node `i`'s is arc `i`); real arcs are pushed
    /// after.
    pub(super) fn new(supply: &[i64], big_cost: i64) -> Self {
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
    pub(super) fn nodes(&self) -> usize {
        self.supply.len()
    }

    /// Adds an arc at flow 0 (a self-loop of negative cost and a limit at its limit: it is
    /// settled now, never priced, never in the tree).
    pub(super) fn push_arc(&mut self, arc: &NetworkArc) {
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
    pub(super) fn recompute_potentials(&mut self) {
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
    pub(super) fn resize_block(&mut self) {
        self.block = ((self.cost.len() as f64).sqrt() * BLOCK_FACTOR).ceil().max(MIN_BLOCK) as usize;
    }

    /// Pivots until no arc violates the optimality conditions.
    pub(super) fn run(&mut self) -> Result<(), NetworkError> {
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
    pub(super) fn unbounded_self_loop(&self) -> bool {
        (0..self.tail.len()).any(|a| self.tail[a] == self.head[a] && self.cost[a] < 0 && self.capacity[a] == INF)
    }

    /// The potentials, relative to the root's.
    pub(super) fn potentials(&self) -> Vec<i64> {
        let (root, nodes) = self.order.split_last().expect("the root");
        nodes.iter().map(|o| o.potential.wrapping_sub(root.potential)).collect()
    }

    /// Block search: the most violating arc of the first block, from where the last search
    /// stopped, that has a violating arc; `None` at the optimum.
    pub(super) fn entering_arc(&mut self) -> Option<usize> {
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
    pub(super) fn reduced_cost(&self, arc: usize) -> i64 {
        let from = self.order[self.tail[arc] as usize].potential;
        let to = self.order[self.head[arc] as usize].potential;
        self.cost[arc] + from.wrapping_sub(to)
    }

    /// Room to raise `arc`'s flow.
    pub(super) fn room_up(&self, arc: usize) -> i64 {
        if self.capacity[arc] == INF { INF } else { self.capacity[arc] - self.flow[arc] }
    }

    /// Sends flow round the cycle `entering` closes, and swaps it into the tree for the last
    /// blocking arc.
    pub(super) fn pivot(&mut self, entering: usize) -> Result<(), NetworkError> {
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
    pub(super) fn join(&self, mut a: u32, mut b: u32) -> u32 {
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
    pub(super) fn rehang(&mut self, inner: u32, outer: u32, cut: u32, join: u32, e: u32, shift: i64) {
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
    pub(super) fn link(&mut self, from: u32, to: u32) {
        self.order[from as usize].thread = to;
        self.order[to as usize].rev_thread = from;
    }
}
