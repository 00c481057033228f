//! Solved choices kept to start later choices from: a choice that takes at least what a kept
//! one takes goes on from that one's tree (only the options it takes beyond are added), so
//! each round of the cuts for the best combination is a few pivots from a near choice, not
//! a solve from spot purchase alone. The answer is the same from any start: the network
//! simplex is exact.

use super::fixed::{Chain, OptionNetwork, Placed};
use crate::optimise::run::Error;

/// Chains kept (each a copy of the network's working state: a few megabytes at region size).
const KEPT: usize = 6;

/// The chains kept: those that took the most pivots from spot purchase alone.
pub(crate) struct Warm {
    chains: Vec<Chain>,
}

impl Warm {
    /// None kept yet.
    pub(crate) fn new() -> Warm {
        Warm { chains: Vec::new() }
    }

    /// Whether `chain` would be kept (there is room, or it came further than one kept).
    pub(crate) fn wants(&self, chain: &Chain) -> bool {
        self.chains.len() < KEPT || self.chains.iter().any(|c| c.pivots() < chain.pivots())
    }

    /// Keeps `chain` if [`Warm::wants`] it, in place of the one that came least far.
    pub(crate) fn keep(&mut self, chain: Chain) {
        if self.chains.len() < KEPT {
            self.chains.push(chain);
        } else if let Some(k) = (0..self.chains.len()).min_by_key(|&k| self.chains[k].pivots())
            && self.chains[k].pivots() < chain.pivots()
        {
            self.chains[k] = chain;
        }
    }

    /// The chain to start `taken` from: of those kept that take no more of any option, the
    /// one that came furthest; else spot purchase alone.
    pub(crate) fn start(&self, net: &OptionNetwork, taken: &[u32]) -> Chain {
        self.chains
            .iter()
            .filter(|c| c.taken().iter().zip(taken).all(|(a, b)| a <= b))
            .max_by_key(|c| c.pivots())
            .cloned()
            .unwrap_or_else(|| net.start())
    }

    /// Places `taken`, from the nearest chain kept, and keeps its chain if it came further.
    ///
    /// # Errors
    /// If the network simplex fails.
    pub(crate) fn place(&mut self, net: &OptionNetwork, taken: &[u32]) -> Result<Placed, Error> {
        let mut chain = self.start(net, taken);
        for (k, &t) in taken.iter().enumerate() {
            chain.take(net, k, t, None)?;
        }
        let placed = net.placed(&mut chain, None)?;
        self.keep(chain);
        Ok(placed)
    }
}
