//! Years already placed, kept for the next portfolio that leaves them as they were.
//!
//! Choosing a portfolio places the same year under many portfolios: every choice starts
//! from every scheme at its most modules, each scheme alone is chosen in turn, and a year
//! before a scheme opens is the same whatever its modules. A year's placement depends on the
//! portfolio only through the places of the schemes open in it (each pool's places per
//! module × the modules built), so a year placed once under given weights is the same for
//! any portfolio with the same modules of those schemes: kept here, it is not placed again.
//! The answer is the one the network simplex gives (the same solve, its result kept), so
//! nothing moves; only the time does. At most [`MOST_HELD`] values are kept, the least
//! recently used let go first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::program::Block;
use crate::optimise::flow::WarmYear;
use crate::planning::portfolio::Portfolio;

/// The most column values kept across all years held (about 12 bytes each): a region's
/// year has some 200,000 that are not zero.
const MOST_HELD: usize = 16_000_000;

/// A year placed: its values that are not zero (column, value), its weighted cost and the
/// slope of that cost in each scheme's modules.
#[derive(Debug)]
pub(super) struct HeldYear {
    pub(super) values: Vec<(u32, f64)>,
    pub(super) cost: f64,
    pub(super) slope: Vec<f64>,
}

/// Which year (its place in the order of blocks), under which weights (their bits), with
/// which modules of the schemes whose places it holds (0 for the others).
type Key = (usize, u64, u64, Vec<u32>);

#[derive(Debug, Default)]
struct Held {
    years: HashMap<Key, (Arc<HeldYear>, u64)>,
    /// Uses so far (a clock for "least recently used").
    clock: u64,
    /// Values held in all.
    values: usize,
}

/// The years placed so far by an appraiser (empty when it is cloned).
#[derive(Debug, Default)]
pub(crate) struct BlockCache(Mutex<Held>);

impl Clone for BlockCache {
    fn clone(&self) -> Self {
        BlockCache::default()
    }
}

/// The key of `block` (number `b`) placed with `portfolio` under weights `(cost, tie)`.
pub(super) fn key(b: usize, block: &Block, portfolio: &Portfolio, cost: f64, tie: f64) -> Key {
    let f = &block.formulation;
    let mut modules = vec![0; portfolio.0.len()];
    for r in &f.pool_rows {
        let Some(m) = f.scheme_modules[r.scheme] else { continue };
        let per_module = f.program.rows[r.row.0].terms.iter().find(|&&(c, _)| c == m.0).map_or(0.0, |t| t.1);
        // A pool of no places this year holds the same (none) whatever the modules.
        if per_module != 0.0 {
            modules[r.scheme] = portfolio.0[r.scheme];
        }
    }
    (b, cost.to_bits(), tie.to_bits(), modules)
}

impl HeldYear {
    /// A year's values (dense), cost and slope, kept as those that are not zero.
    pub(super) fn new(values: &[f64], cost: f64, slope: Vec<f64>) -> HeldYear {
        let values = values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.to_bits() != 0)
            .map(|(c, &v)| (u32::try_from(c).expect("a year has fewer than 2³² columns"), v))
            .collect();
        HeldYear { values, cost, slope }
    }
}

impl BlockCache {
    /// The year held under `key`, if any.
    pub(super) fn get(&self, key: &Key) -> Option<Arc<HeldYear>> {
        let mut held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        held.clock += 1;
        let now = held.clock;
        held.years.get_mut(key).map(|(year, used)| {
            *used = now;
            Arc::clone(year)
        })
    }

    /// Keeps `year` under `key`, letting the least recently used go while more than
    /// [`MOST_HELD`] values would be held.
    pub(super) fn put(&self, key: Key, year: Arc<HeldYear>) {
        let mut held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let size = year.values.len();
        if size > MOST_HELD {
            return;
        }
        while held.values + size > MOST_HELD {
            let Some(oldest) = held.years.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone()) else {
                break;
            };
            if let Some((gone, _)) = held.years.remove(&oldest) {
                held.values -= gone.values.len();
            }
        }
        held.clock += 1;
        let now = held.clock;
        if let Some((old, _)) = held.years.insert(key, (year, now)) {
            held.values -= old.values.len();
        }
        held.values += size;
    }
}

/// Each year's last optimal tree, by year and weights (their bits), for the next portfolio
/// to start from ([`crate::optimise::flow::WarmYear`]); empty when cloned.
#[derive(Default)]
pub(crate) struct WarmYears(Mutex<HashMap<(usize, u64, u64), WarmYear>>);

impl std::fmt::Debug for WarmYears {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WarmYears")
    }
}

impl Clone for WarmYears {
    fn clone(&self) -> Self {
        WarmYears::default()
    }
}

impl WarmYears {
    /// Year `b` under weights `(cost, tie)`, taken out (put it back with [`WarmYears::put`]).
    pub(super) fn take(&self, b: usize, cost: f64, tie: f64) -> Option<WarmYear> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).remove(&(b, cost.to_bits(), tie.to_bits()))
    }

    /// Keeps year `b` under weights `(cost, tie)`.
    pub(super) fn put(&self, b: usize, cost: f64, tie: f64, year: WarmYear) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).insert((b, cost.to_bits(), tie.to_bits()), year);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Appraiser, Portfolio};
    use super::key;
    use crate::model::Model;
    use crate::testing::ModelBuilder;

    /// Five years of ASD and SEMH need, an out-of-borough school, a unit of up to three
    /// modules opening in the second year and a school opening in the fourth.
    fn two_openings() -> Model {
        ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("indep", "independent-special", 53.02, -2.0, false, 100.0, "all", "ASD;SEMH", 60_000.0)
            .transport(1_000.0, 1.0)
            .horizon(
                5,
                &[("home", "SEMH", 8, 6.0), ("home", "ASD", 3, 5.0)],
                &[("SEMH", 7, 2.0, 0.0, 0.0), ("ASD", 2, 2.0, 0.0, 0.0)],
            )
            .scheme("unit", "resourced-provision", (53.01, -2.0), 1, 300_000.0, 20_000.0, &[("ASD", "primary", 4.0)])
            .scheme_rules(None, &[], (1, 3))
            .scheme("school", "maintained-special", (53.01, -2.01), 3, 900_000.0, 25_000.0, &[("SEMH", "all", 5.0)])
            .build()
    }

    fn every_portfolio() -> Vec<Portfolio> {
        (0..=3).flat_map(|u| (0..=1).map(move |s| Portfolio(vec![u, s]))).collect()
    }

    #[test]
    fn a_year_is_held_for_the_modules_of_the_schemes_open_in_it_only() {
        let appraiser = Appraiser::build(&[two_openings()]);
        let blocks: Vec<_> = appraiser.futures[0].years.iter().collect();
        assert_eq!(blocks.len(), 5);
        let at = |b: usize, p: &[u32]| key(b, blocks[b], &Portfolio(p.to_vec()), 1.0, 1.0);
        // The first year holds neither scheme; the second to the fourth the unit only;
        // the last two the school too.
        assert_eq!(at(0, &[0, 0]), at(0, &[3, 1]));
        assert_eq!(at(1, &[2, 0]), at(1, &[2, 1]));
        assert_ne!(at(1, &[2, 0]), at(1, &[3, 0]));
        assert_ne!(at(3, &[2, 0]), at(3, &[2, 1]));
        assert_ne!(at(0, &[0, 0]), at(1, &[0, 0]));
        assert_ne!(key(0, blocks[0], &Portfolio(vec![0, 0]), 1.0, 0.5), at(0, &[0, 0]));
    }

    #[test]
    fn a_portfolio_placed_after_others_is_placed_as_on_its_own_to_the_bit() {
        // Every portfolio, in two orders, each under the expected weights and under the
        // regret's (no tie-break): placed by an appraiser holding the years of those before
        // it, against a clone holding none.
        let appraiser = Appraiser::build(&[two_openings()]);
        let plain: Vec<_> = appraiser
            .expected_weights()
            .into_iter()
            .map(|w| w.map(|w| super::super::cuts::Weights { tie: 0.0, ..w }))
            .collect();
        let mut order = every_portfolio();
        let reversed: Vec<Portfolio> = order.iter().rev().cloned().collect();
        order.extend(reversed);
        for weights in [appraiser.expected_weights(), plain] {
            for p in &order {
                let held = appraiser.place_on(p, &weights, 1).unwrap().expect("a network");
                let fresh = appraiser.clone().place_on(p, &weights, 1).unwrap().expect("a network");
                assert_eq!(held.values, fresh.values, "{p:?}");
                assert_eq!(held.cost, fresh.cost, "{p:?}");
                assert_eq!(held.slope, fresh.slope, "{p:?}");
                let built: f64 = (0..2).map(|j| held.values[appraiser.modules[j]]).sum();
                assert_eq!(built, f64::from(p.0[0] + p.0[1]));
            }
        }
    }
}
