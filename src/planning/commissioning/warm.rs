//! Solved choices kept to start later choices from: each round of the cuts for the best
//! combination goes on from the tree of the nearest choice already placed (the options it
//! takes beyond are added; those it takes fewer of are given back, at a cost that moves the
//! children off them), so each round is a few pivots, not a solve from spot purchase alone.
//! The answer is the same from any start (the network simplex is exact); a start whose given
//! back places still hold children is dropped for a solve from the nearest choice taking no
//! more.

use super::fixed::{Chain, OptionNetwork, Placed};
use crate::optimise::run::Error;

/// Chains kept (each a copy of the network's working state: megabytes at region size).
const KEPT: usize = 4;

/// The chains placed last, at most [`KEPT`].
pub(crate) struct Warm {
    chains: Vec<Chain>,
    /// Where the next chain kept goes (the oldest is replaced).
    next: usize,
    /// Starts dropped because places given back still held children.
    pub(crate) restarts: usize,
}

/// How far `from` is from `to`: the cap arcs added or given back.
fn distance(net: &OptionNetwork, from: &[u32], to: &[u32]) -> usize {
    from.iter().zip(to).enumerate().map(|(k, (&a, &b))| net.arcs_of(k) * a.abs_diff(b) as usize).sum()
}

impl Warm {
    /// None kept yet.
    pub(crate) fn new() -> Warm {
        Warm { chains: Vec::new(), next: 0, restarts: 0 }
    }

    /// Keeps `chain`, in place of the oldest when [`KEPT`] are.
    pub(crate) fn keep(&mut self, chain: Chain) {
        if self.chains.len() < KEPT {
            self.chains.push(chain);
        } else {
            self.chains[self.next] = chain;
        }
        self.next = (self.next + 1) % KEPT;
    }

    /// The kept chain nearest `taken`, if nearer than spot purchase alone; with `dominated`,
    /// only those taking no more of any option than `taken`.
    fn nearest(&self, net: &OptionNetwork, taken: &[u32], dominated: bool) -> Option<&Chain> {
        let zero = vec![0; taken.len()];
        let cold = distance(net, &zero, taken);
        self.chains
            .iter()
            .filter(|c| !dominated || c.taken().iter().zip(taken).all(|(a, b)| a <= b))
            .map(|c| (distance(net, c.taken(), taken), c))
            .filter(|&(d, _)| d < cold)
            .min_by_key(|&(d, c)| (d, std::cmp::Reverse(c.pivots())))
            .map(|(_, c)| c)
    }

    /// Places `taken` from the nearest chain kept, and keeps its chain.
    ///
    /// # Errors
    /// If the network simplex fails.
    pub(crate) fn place(&mut self, net: &OptionNetwork, taken: &[u32]) -> Result<Placed, Error> {
        let mut chain = self.nearest(net, taken, false).cloned().unwrap_or_else(|| net.start());
        chain.give_back(net, taken)?;
        let mut placed = go_on(net, &mut chain, taken)?;
        if chain.holds_given_back(net) {
            self.restarts += 1;
            chain = self.nearest(net, taken, true).cloned().unwrap_or_else(|| net.start());
            placed = go_on(net, &mut chain, taken)?;
        }
        self.keep(chain);
        Ok(placed)
    }
}

/// Takes `taken` on `chain` and places it.
fn go_on(net: &OptionNetwork, chain: &mut Chain, taken: &[u32]) -> Result<Placed, Error> {
    for (k, &t) in taken.iter().enumerate() {
        chain.take(net, k, t, None)?;
    }
    net.placed(chain, None)
}

/// Places `taken` going on from a copy of `chain` (a choice placed, kept as it is), what it
/// takes beyond `taken` given back; from spot purchase alone where a place given back still
/// holds children.
///
/// # Errors
/// If the network simplex fails.
pub(crate) fn place_from(net: &OptionNetwork, chain: &Chain, taken: &[u32]) -> Result<Placed, Error> {
    let mut near = chain.clone();
    near.give_back(net, taken)?;
    let placed = go_on(net, &mut near, taken)?;
    if near.holds_given_back(net) {
        return go_on(net, &mut net.start(), taken);
    }
    Ok(placed)
}
