//! Break-even figures of the commissioning options, for one year: each framework's discount
//! and acceptance at which joining it first costs less than spot purchase alone (by
//! bisection), and each block or cost-and-volume contract's block price at which buying its
//! blocks costs the same as not buying them (in closed form).

use super::sensitivity::{held, signed_of};
use super::{Comparison, Prepared, evaluate, evaluation_of, fixed, warm};
use crate::model::{Model, Money, PurchasingTerms};
use crate::optimise::formulation::Kept;
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::travel::JourneyTable;

/// [`break_even_discount`] with framework `o`'s choices placed on the network `net`: it costs
/// less than `spot` at a discount where joining it places the children for less (the
/// tie-break included) than not joining, and its cost, priced, is below `spot`.
pub(super) fn break_even_by_flow(
    model: &Model,
    net: &fixed::OptionNetwork,
    o: usize,
    spot: Money,
) -> Result<Option<f64>, Error> {
    let not_joined = net.place(&vec![0; net.most.len()])?.value;
    // Joined, at the framework's own prices: each discount goes on from the last's tree.
    let mut chain = net.start();
    chain.take(net, o, 1, None)?;
    bisect(|discount| {
        let m = at_discount(model, o, discount);
        let joined = net.place_repriced(&m, o, &mut chain)?;
        Ok(joined.value < not_joined && joined.cost < spot.0 - 0.5)
    })
}

/// The model with framework `o`'s price rules replaced by `discount` off every school's fee.
fn at_discount(model: &Model, o: usize, discount: f64) -> Model {
    let mut m = model.clone();
    if let PurchasingTerms::Framework { discount: d, prices, .. } = &mut m.purchasing[o].terms {
        *d = discount;
        prices.clear();
    }
    m
}

/// The least discount off spot fees (to 0.1%) at which framework `o`, with its fees and caps
/// but its price rules replaced by that discount alone, costs less than `spot`.
pub(super) fn break_even_discount(
    model: &Model,
    journeys: &JourneyTable,
    o: usize,
    spot: Money,
    solver: Solver,
) -> Result<Option<f64>, Error> {
    bisect(|discount| {
        let m = at_discount(model, o, discount);
        let e = evaluate(&m, journeys, &[o], "", solver)?;
        Ok(e.total().0 < spot.0 - 0.5)
    })
}

/// The least acceptance (the share of children offered that its providers take, 0 to 1, to
/// within 0.01) at which joining framework `o` alone, on its own terms otherwise, costs less
/// than `spot`; none if it does not at acceptance 1. Each share is the program with the
/// framework joined (a share below 1 is not a network).
///
/// # Errors
/// As [`evaluate`].
pub fn break_even_acceptance(
    model: &Model,
    journeys: &JourneyTable,
    o: usize,
    spot: Money,
    solver: Solver,
) -> Result<Option<f64>, Error> {
    // Joined, each share placed with the joining fixed (not joining costs `spot`).
    let mut joined = vec![0; model.purchasing.len()];
    joined[o] = 1;
    bisect_in(0.0, 1.0, ACCEPTANCE_STEP, |acceptance| {
        let mut m = model.clone();
        m.purchasing[o].acceptance = acceptance;
        let e = held(&m, journeys, None, &joined, "", solver)?;
        Ok(e.total().0 < spot.0 - 0.5)
    })
}

/// How close the break-even acceptance is found.
const ACCEPTANCE_STEP: f64 = 0.01;

/// The least discount from 0 to 90% (to 0.1%) at which `at` holds, by halving, if it holds
/// at 90%.
fn bisect(at: impl FnMut(f64) -> Result<bool, Error>) -> Result<Option<f64>, Error> {
    bisect_in(0.0, 0.9, 0.0005, at)
}

/// The least value from `lo` to `hi` (to within `step`) at which `at` holds, by halving, if
/// it holds at `hi` (`at` holding from some value upwards).
fn bisect_in(
    mut lo: f64,
    mut hi: f64,
    step: f64,
    mut at: impl FnMut(f64) -> Result<bool, Error>,
) -> Result<Option<f64>, Error> {
    // The two ends, then the halvings (as many whatever the answers).
    let steps = 2 + bisection_steps(lo, hi, step);
    let told = crate::observe::counting(crate::observe::Loop::Bisection);
    told.counted(0, steps);
    if !at(hi)? {
        return Ok(None);
    }
    told.counted(1, steps);
    if at(lo)? {
        return Ok(Some(lo));
    }
    let mut done = 2;
    told.counted(done, steps);
    while hi - lo > step {
        let mid = 0.5 * (lo + hi);
        if at(mid)? {
            hi = mid
        } else {
            lo = mid
        }
        done += 1;
        told.counted(done, steps.max(done));
    }
    Ok(Some(hi))
}

/// The halvings [`bisect_in`] makes from `lo` and `hi` to within `step`: the same whichever
/// half each step keeps, as both halves are as wide.
fn bisection_steps(mut lo: f64, hi: f64, step: f64) -> usize {
    let mut steps = 0;
    while hi - lo > step {
        lo = 0.5 * (lo + hi);
        steps += 1;
    }
    steps
}

/// The break-even block price of one block or cost-and-volume contract.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockPrice {
    /// Index into [`Model::purchasing`].
    pub option: usize,
    /// Whether the other options are held as the best combination takes them (true: it
    /// buys this contract's blocks) or not taken (false: the contract alone, against spot
    /// purchase only).
    pub in_best: bool,
    /// Blocks bought: as many as the best combination buys, else the contract alone, else 1.
    pub blocks: u32,
    /// Spend and weights a year without the contract (its blocks not bought).
    pub without: Money,
    /// Spend and weights a year with the blocks bought at a block price of 0.
    pub free: Money,
    /// The contract's own price a block.
    pub block_price: Money,
}

impl BlockPrice {
    /// The block price a year at which buying the blocks costs the same as not buying them:
    /// (spend without − spend with the blocks free) ÷ blocks.
    #[must_use]
    pub fn break_even(&self) -> Money {
        Money((self.without.0 - self.free.0) / f64::from(self.blocks))
    }
}

/// The break-even figures `commission` shows beside the comparison's break-even discounts.
#[derive(Debug, Clone, Default)]
pub struct BreakEvens {
    /// Per framework (index into [`Model::purchasing`]): its break-even acceptance.
    pub acceptance: Vec<(usize, Option<f64>)>,
    /// Whether the break-even acceptances were left out (a large model: see
    /// [`super::MOST_COLUMNS`]); `acceptance` is then empty.
    pub acceptance_left_out: bool,
    /// Per block or cost-and-volume contract: its break-even block price.
    pub block_prices: Vec<BlockPrice>,
}

/// Each framework's break-even acceptance and each contract's break-even block price, for
/// the year compared in `c` (of `model`).
///
/// A contract's blocks are priced with every other option held as the best combination takes
/// it, where the best combination buys the contract; otherwise the contract alone is priced
/// against spot purchase only, at as many blocks as it buys alone (1 if none). Its placements
/// with the blocks fixed do not depend on the block price, so the spend with the blocks at
/// any price `p` is the spend with them free plus `blocks × p`: equal to the spend without at
/// [`BlockPrice::break_even`].
///
/// # Errors
/// As [`evaluate`].
pub fn break_evens(model: &Model, c: &Comparison, solver: Solver) -> Result<BreakEvens, Error> {
    break_evens_on(model, &Prepared::new(model, solver)?, c, solver, true)
}

/// [`break_evens`] on `prepared` (of `model` and `solver`: the comparison `c` was made on
/// it); the break-even acceptances (each a bisection of mixed-integer programs) only if
/// `acceptance`.
///
/// On the network, the placements are those of [`held`] but mostly placed once or already
/// placed by the comparison (the network simplex is exact: the same optimum from any start):
/// spot purchase alone once for every contract the best combination does not buy, and the
/// contract alone from its option-alone evaluation; the best combination once for every
/// contract it buys, and each such contract's blocks given back from its tree.
///
/// # Errors
/// As [`evaluate`].
pub fn break_evens_on(
    model: &Model,
    prepared: &Prepared,
    c: &Comparison,
    solver: Solver,
    acceptance: bool,
) -> Result<BreakEvens, Error> {
    let journeys = &prepared.journeys;
    let spot = c.evaluations[0].total();
    let best = c.evaluations.last().expect("spot purchase only is always evaluated");
    let signed = signed_of(model, best);
    let mut placings = Placings { model, journeys, net: prepared.net.as_ref(), solver, spot: None, best: None };
    let mut out = BreakEvens { acceptance_left_out: !acceptance, ..BreakEvens::default() };
    for (o, option) in model.purchasing.iter().enumerate() {
        match option.terms {
            PurchasingTerms::Framework { .. } if acceptance => {
                out.acceptance.push((o, break_even_acceptance(model, journeys, o, spot, solver)?));
            }
            PurchasingTerms::Framework { .. } => {}
            PurchasingTerms::Block { block_price, .. } => {
                let alone_uses = &c.evaluations[1 + o];
                let alone = alone_uses.uses.iter().find(|u| u.option == o).map_or(0, |u| u.taken);
                let (without, with, blocks, in_best) = if signed[o] > 0 {
                    let (without, with) = placings.in_best(&signed, o)?;
                    (without, with, signed[o], true)
                } else {
                    // Placed alone already (the same choice, and every option open places
                    // it at the same optimum).
                    let placed_alone = (alone > 0 && placings.net.is_some()).then(|| alone_uses.total());
                    let (without, with) = placings.alone(o, alone.max(1), placed_alone)?;
                    (without, with, alone.max(1), false)
                };
                let free = with - block_price * f64::from(blocks);
                out.block_prices.push(BlockPrice { option: o, in_best, blocks, without, free, block_price });
            }
        }
    }
    Ok(out)
}

/// The placements of [`break_evens_on`]'s contracts, each shared one placed once.
struct Placings<'a> {
    model: &'a Model,
    journeys: &'a JourneyTable,
    net: Option<&'a fixed::OptionNetwork>,
    solver: Solver,
    /// On the network: spot purchase alone's spend and weights, once placed.
    spot: Option<Money>,
    /// On the network: the best combination's chain and its spend and weights, once placed.
    best: Option<(fixed::Chain, Money)>,
}

impl Placings<'_> {
    /// [`held`]'s spend and weights of `taken` (per option of [`Model::purchasing`]).
    fn held(&self, taken: &[u32]) -> Result<Money, Error> {
        Ok(held(self.model, self.journeys, self.net, taken, "", self.solver)?.total())
    }

    /// The spend and weights of `placed` (a choice on the network), every option open, as
    /// [`held`] prices it.
    fn priced(&self, net: &fixed::OptionNetwork, placed: &fixed::Placed) -> Result<Money, Error> {
        let all: Vec<usize> = (0..self.model.purchasing.len()).collect();
        let open = (all.as_slice(), Kept::default());
        let name = Solver::Network.name();
        Ok(evaluation_of(self.model, self.journeys, &net.f, &placed.values, open, "", name)?.total())
    }

    /// Without and with `blocks` of contract `o` bought, no other option taken; `placed_alone`:
    /// the spend and weights with them, where already placed.
    fn alone(&mut self, o: usize, blocks: u32, placed_alone: Option<Money>) -> Result<(Money, Money), Error> {
        let mut taken = vec![0; self.model.purchasing.len()];
        let without = match (self.net, self.spot) {
            (Some(_), Some(spot)) => spot,
            (Some(_), None) => *self.spot.insert(self.held(&taken)?),
            (None, _) => self.held(&taken)?,
        };
        taken[o] = blocks;
        let with = match placed_alone {
            Some(with) => with,
            None => self.held(&taken)?,
        };
        Ok((without, with))
    }

    /// Without and with contract `o`'s blocks, every other option held as `signed` (the best
    /// combination, which buys them) takes it: on the network, the best combination placed
    /// once and each contract's blocks given back from its tree.
    fn in_best(&mut self, signed: &[u32], o: usize) -> Result<(Money, Money), Error> {
        let mut taken = signed.to_vec();
        let Some(net) = self.net else {
            taken[o] = 0;
            let without = self.held(&taken)?;
            return Ok((without, self.held(signed)?));
        };
        let entry = |taken: &[u32]| -> Vec<u32> { net.f.options_taken.iter().map(|&(p, _)| taken[p]).collect() };
        if self.best.is_none() {
            let (chain, placed) = net.place_keeping(&entry(&taken))?;
            let with = self.priced(net, &placed)?;
            self.best = Some((chain, with));
        }
        let (chain, with) = self.best.as_ref().expect("placed above");
        let with = *with;
        taken[o] = 0;
        let placed = warm::place_from(net, chain, &entry(&taken))?;
        Ok((self.priced(net, &placed)?, with))
    }
}

#[cfg(test)]
mod tests;
