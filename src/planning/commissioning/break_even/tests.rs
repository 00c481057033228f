//! Tests of the break-even figures, worked by hand: a contract's block price, checked by
//! re-solving at it and either side, and a framework's acceptance.

use super::super::tests::{block_case, close};
use super::*;
use crate::model::Provision;
use crate::planning::commissioning::sensitivity::signed_of;
use crate::planning::commissioning::{compare, sensitivity::held};
use crate::testing::ModelBuilder;

/// Blocks of contract 0 the least-cost choice buys, with `model`'s block price set to `price`.
fn blocks_bought(model: &Model, price: f64, solver: Solver) -> u32 {
    let mut m = model.clone();
    if let PurchasingTerms::Block { block_price, .. } = &mut m.purchasing[0].terms {
        *block_price = Money(price);
    }
    compare(&m, solver).unwrap().evaluations[1].uses[0].taken
}

#[test]
fn a_block_price_breaks_even_where_the_blocks_cost_what_spot_purchase_does() {
    // Ten children at one school (£60,000 spot), blocks of 5 (at most 2) at £250,000: the
    // contract buys 2. Without it: 10 × £60,000 = £600,000 of places; with the 2 blocks
    // free: £0. Break-even: £600,000 ÷ 2 = £300,000 a block (transport and the
    // out-of-borough weight are the same either way and cancel).
    // Four children, one block at most, at £250,000: not bought, so priced at 1 block:
    // 4 × £60,000 ÷ 1 = £240,000.
    for (n, max, blocks, in_best, want) in [(10.0, 2, 2, true, 300_000.0), (4.0, 1, 1, false, 240_000.0)] {
        let model = block_case(n, 250_000.0, max);
        for solver in [Solver::Network, Solver::Microlp] {
            let c = compare(&model, solver).unwrap();
            let b = break_evens(&model, &c, solver).unwrap();
            assert!(b.acceptance.is_empty());
            let p = &b.block_prices[0];
            assert_eq!((p.option, p.blocks, p.in_best), (0, blocks, in_best), "{n} children");
            assert!(close(p.break_even().0, want), "{n} children: {}", p.break_even());
            assert!(close(p.without.0 - p.free.0, n * 60_000.0));
            assert!(close(p.block_price.0, 250_000.0));
            // Re-solved at the break-even price, the blocks cost what not buying them does.
            let mut at = model.clone();
            if let PurchasingTerms::Block { block_price, .. } = &mut at.purchasing[0].terms {
                *block_price = p.break_even();
            }
            let journeys = JourneyTable::build(&at);
            let with = held(&at, &journeys, None, &[blocks], "", solver).unwrap();
            let without = held(&at, &journeys, None, &[0], "", solver).unwrap();
            assert!(close(with.total().0, without.total().0), "{n}: {} vs {}", with.total(), without.total());
            assert!(close(without.total().0, p.without.0));
            // 1% below, the blocks are bought; 1% above, none is (one block fewer costs a
            // block's price less but its 5 children at spot, £300,000, more).
            assert_eq!(blocks_bought(&model, 0.99 * want, solver), blocks, "{n} children, 1% below");
            assert_eq!(blocks_bought(&model, 1.01 * want, solver), 0, "{n} children, 1% above");
        }
    }
}

#[test]
fn a_block_price_is_found_beside_the_other_options_of_the_best_combination() {
    // Twelve children at one school (£60,000 spot), blocks of 5 (at most 2) at £250,000, and
    // a framework 10% off (£54,000) with no fee: the best combination buys the 2 blocks and
    // places the other 2 through the framework, £608,000 (the framework alone £648,000, one
    // block and 7 through it £628,000). Without the blocks, the framework held joined
    // places the twelve at £54,000: £648,000; with the blocks free, 2 × £54,000 = £108,000;
    // so the blocks break even at (£648,000 − £108,000) ÷ 2 = £270,000 a block (£60,000 ×
    // 10 ÷ 2 = £300,000 against spot alone).
    let model = crate::testing::ModelBuilder::from(block_case(12.0, 250_000.0, 2))
        .framework("rps", &["indep"], "all", "all", 0.1, 0.0, 0.0, None)
        .build();
    for solver in [Solver::Network, Solver::Microlp] {
        let c = compare(&model, solver).unwrap();
        let b = break_evens(&model, &c, solver).unwrap();
        let p = &b.block_prices[0];
        assert_eq!(c.signed(), vec![("block".to_string(), 2), ("rps".to_string(), 1)]);
        assert!(p.in_best && p.blocks == 2);
        assert!(close(p.break_even().0, 270_000.0), "{}", p.break_even());
    }
}

#[test]
fn a_framework_breaks_even_at_the_acceptance_its_fee_needs() {
    // Ten children at one school (£60,000), a framework 10% off (£6,000 a child saved) with
    // a £27,000 fee: with a share a accepted, joining saves 10 × a × £6,000 − £27,000, more
    // than nothing above a = 0.45. The bisection halves from 0 to 1 until within 0.01 and
    // gives the end that saves: from 0.45 to 0.46.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("a", "independent-special", 53.1, -2.0, false, 12.0, "primary", "ASD", 60_000.0)
        .demand("home", "ASD", "primary", 10.0, Provision::SpecialSchool)
        .framework("rps", &["a"], "all", "all", 0.1, 27_000.0, 0.0, None)
        .build();
    for solver in [Solver::Network, Solver::Microlp] {
        let c = compare(&model, solver).unwrap();
        let b = break_evens(&model, &c, solver).unwrap();
        assert!(b.block_prices.is_empty());
        let (o, found) = b.acceptance[0];
        let a = found.expect("joining saves at full acceptance");
        assert_eq!(o, 0);
        assert!(a > 0.45 && a <= 0.46 + 1e-9, "{a}");
        // Either side, by hand: at 0.44 joining loses £600, at 0.47 it saves £1,200.
        let journeys = JourneyTable::build(&model);
        let spot = evaluate(&model, &journeys, &[], "", solver).unwrap().total();
        for (share, saves) in [(0.44, -600.0), (0.47, 1_200.0)] {
            let mut m = model.clone();
            m.purchasing[0].acceptance = share;
            let joined = held(&m, &journeys, None, &[1], "", solver).unwrap();
            assert!(close((spot - joined.total()).0, saves), "{share}: {}", spot - joined.total());
        }
    }
    // A fee no share recovers (over 10 × £6,000): none.
    let mut dear = model.clone();
    if let PurchasingTerms::Framework { joining_fee, .. } = &mut dear.purchasing[0].terms {
        *joining_fee = Money(61_000.0);
    }
    let journeys = JourneyTable::build(&dear);
    let spot = evaluate(&dear, &journeys, &[], "", Solver::Microlp).unwrap().total();
    assert_eq!(break_even_acceptance(&dear, &journeys, 0, spot, Solver::Microlp).unwrap(), None);
}

/// The break-even block prices worked out the first way: [`held`] placed afresh from spot
/// purchase alone on both sides of every contract.
fn afresh(model: &Model, c: &Comparison, solver: Solver) -> Vec<BlockPrice> {
    let prepared = Prepared::new(model, solver).unwrap();
    let net = prepared.net.as_ref();
    let best = c.evaluations.last().unwrap();
    let signed = signed_of(model, best);
    let mut out = Vec::new();
    for (o, option) in model.purchasing.iter().enumerate() {
        let PurchasingTerms::Block { block_price, .. } = option.terms else { continue };
        let alone = c.evaluations[1 + o].uses.iter().find(|u| u.option == o).map_or(0, |u| u.taken);
        let (mut base, blocks, in_best) = if signed[o] > 0 {
            (signed.clone(), signed[o], true)
        } else {
            (vec![0; signed.len()], alone.max(1), false)
        };
        base[o] = 0;
        let without = held(model, &prepared.journeys, net, &base, "", solver).unwrap().total();
        base[o] = blocks;
        let with = held(model, &prepared.journeys, net, &base, "", solver).unwrap().total();
        out.push(BlockPrice {
            option: o,
            in_best,
            blocks,
            without,
            free: with - block_price * f64::from(blocks),
            block_price,
        });
    }
    out
}

/// `found` against [`afresh`]'s figures: the same contracts, blocks and prices; the spend
/// with and without to the cent, and to the bit where the same choice is placed the same way
/// (spot purchase alone without a contract the best does not buy, and with one it buys 1 of
/// alone, placed afresh; the best combination, placed afresh once). Counts (in the best, not
/// in it and bought alone, not bought alone).
fn assert_as_afresh(model: &Model, c: &Comparison, found: &[BlockPrice], what: &str) -> [usize; 3] {
    let want = afresh(model, c, Solver::Network);
    assert_eq!(found.len(), want.len(), "{what}");
    let mut kinds = [0; 3];
    for (f, w) in found.iter().zip(&want) {
        let at = format!("{what}, option {}", f.option);
        assert_eq!(
            (f.option, f.in_best, f.blocks, f.block_price),
            (w.option, w.in_best, w.blocks, w.block_price),
            "{at}"
        );
        assert!((f.without.0 - w.without.0).abs() < 0.005, "{at}: without {} vs {}", f.without, w.without);
        assert!((f.free.0 - w.free.0).abs() < 0.005, "{at}: free {} vs {}", f.free, w.free);
        let alone = c.evaluations[1 + f.option].uses.iter().find(|u| u.option == f.option).map_or(0, |u| u.taken);
        if f.in_best {
            kinds[0] += 1;
            assert_eq!(f.free.0.to_bits(), w.free.0.to_bits(), "{at}");
        } else {
            kinds[if alone > 0 { 1 } else { 2 }] += 1;
            assert_eq!(f.without.0.to_bits(), w.without.0.to_bits(), "{at}");
            if alone == 0 {
                assert_eq!(f.free.0.to_bits(), w.free.0.to_bits(), "{at}");
            }
        }
    }
    kinds
}

#[test]
fn the_block_prices_from_placements_already_made_equal_those_placed_afresh_on_random_markets() {
    let mut kinds = [0; 3];
    for seed in 1..=40 {
        let model = crate::planning::commissioning::tests::random_market(seed);
        let c = compare(&model, Solver::Network).unwrap();
        let b = break_evens(&model, &c, Solver::Network).unwrap();
        for (k, n) in assert_as_afresh(&model, &c, &b.block_prices, &format!("seed {seed}")).into_iter().enumerate() {
            kinds[k] += n;
        }
    }
    // Every way a figure is found is met: a contract the best buys (given back from the
    // best's tree), one it does not that is bought alone (its option-alone evaluation), and
    // one not bought even alone (placed at 1 block): 51, 22 and 7 of them on these 40.
    assert!(kinds.iter().all(|&n| n >= 5), "in the best, bought alone, not bought: {kinds:?}");
}

#[test]
fn the_block_prices_from_placements_already_made_are_those_worked_by_hand() {
    // Twelve children at one school (£60,000 spot); a contract of blocks of 5 (at most 2) at
    // £200,000 (£40,000 a place), a dearer one at £250,000 (£50,000 a place), and a framework
    // 10% off (£54,000) with no fee. Best: the cheap contract's 2 blocks and 2 children
    // through the framework, £400,000 + £108,000 = £508,000 (the dear contract's blocks
    // instead cost £100,000 more; a block of each leaves 2 children in places paid for
    // twice). So the cheap contract is priced beside the framework: without it, 12 ×
    // £54,000 = £648,000; with its blocks free, £108,000: (648,000 − 108,000) ÷ 2 =
    // £270,000 a block. The dear one alone buys 2 blocks (2 × £250,000 + 2 × £60,000 =
    // £620,000, against £670,000 for one and £720,000 for none) and is priced against
    // spot purchase: (720,000 − 120,000) ÷ 2 = £300,000 a block. (Transport and the
    // out-of-borough weight are the same each way and cancel.)
    let model = crate::testing::ModelBuilder::from(block_case(12.0, 200_000.0, 2))
        .block("dear", "indep", 5.0, 250_000.0, 2, None)
        .framework("rps", &["indep"], "all", "all", 0.1, 0.0, 0.0, None)
        .build();
    let c = compare(&model, Solver::Network).unwrap();
    assert_eq!(c.signed().iter().map(|(_, t)| *t).collect::<Vec<_>>(), vec![2, 0, 1]);
    let b = break_evens(&model, &c, Solver::Network).unwrap();
    assert_eq!(assert_as_afresh(&model, &c, &b.block_prices, "by hand"), [1, 1, 0]);
    let [cheap, dear] = &b.block_prices[..] else { panic!("two contracts") };
    assert!(cheap.in_best && cheap.blocks == 2 && !dear.in_best && dear.blocks == 2);
    assert!(close(cheap.without.0 - cheap.free.0, 540_000.0), "{}", cheap.without - cheap.free);
    assert!(close(cheap.break_even().0, 270_000.0), "{}", cheap.break_even());
    assert!(close(dear.without.0 - dear.free.0, 600_000.0), "{}", dear.without - dear.free);
    assert!(close(dear.break_even().0, 300_000.0), "{}", dear.break_even());
    // The same figures by the mixed-integer program.
    let by_mip = break_evens(&model, &compare(&model, Solver::Microlp).unwrap(), Solver::Microlp).unwrap();
    for (f, m) in b.block_prices.iter().zip(&by_mip.block_prices) {
        assert!(close(f.break_even().0, m.break_even().0), "{} vs {}", f.break_even(), m.break_even());
    }
}
