//! Tests of the break-even figures, worked by hand: a contract's block price, checked by
//! re-solving at it and either side, and a framework's acceptance.

use super::super::tests::{block_case, close};
use super::*;
use crate::model::Provision;
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
