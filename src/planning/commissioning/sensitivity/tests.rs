//! Tests of the sensitivity with the signed options held: voids worked by hand, and the
//! network and the mixed-integer program agreeing with the choices fixed.

use super::super::tests::{block_case, close, random_market};
use super::*;
use crate::model::Provision;
use crate::planning::commissioning::{Prepared, compare};
use crate::testing::ModelBuilder;

/// Every solver that can place a held choice: the network simplex and the build's LP solvers.
fn solvers() -> Vec<Solver> {
    let mut out = vec![Solver::Network];
    out.extend(crate::testing::lp_solvers());
    out
}

#[test]
fn a_block_held_under_low_demand_has_its_empty_places_paid_for() {
    // Ten children, blocks of 5 at £250,000 (at most 2), spot £60,000 at the same school:
    // as given two blocks (£500,000) beat spot (£600,000) and one block + 5 at spot
    // (£550,000). Low demand, 7 children: held to the two blocks, 7 are in them, 3 places
    // are empty (voids) and paid for at £250,000 ÷ 5 = £50,000 each = £150,000; the places
    // cost £500,000 against £420,000 at spot (−£80,000). Chosen afresh: one block and 2 at
    // spot, £370,000; so being held to two costs £130,000. Transport is the same for every
    // child (one school), so it cancels in every difference.
    for solver in solvers() {
        let given = block_case(10.0, 250_000.0, 2);
        let c = compare(&given, solver).unwrap();
        assert_eq!(c.signed(), vec![("block".to_string(), 2)]);
        let low = block_case(7.0, 250_000.0, 2);
        let case = sensitivity(&[("Demand: low forecast".into(), low)], &c.signed(), solver).unwrap().remove(0);
        let what = case.held.plan.solver;
        assert_eq!(case.held.uses[0].taken, 2, "{what}");
        assert!(close(case.held.uses[0].children, 7.0), "{what}");
        assert!(close(case.held.unused_places(), 3.0), "{what}: {}", case.held.unused_places());
        assert!(close(case.held.void_cost().0, 150_000.0), "{what}: {}", case.held.void_cost());
        assert!(close(case.held.summary.placement_cost.0, 500_000.0), "{what}");
        assert!(close((case.spot.spend() - case.held.spend()).0, -80_000.0), "{what}");
        assert_eq!(case.best.uses[0].taken, 1, "{what}");
        assert!(close(case.best.summary.placement_cost.0, 370_000.0), "{what}");
        assert!(close(case.best.unused_places(), 0.0), "{what}");
        assert!(close(case.cost_of_holding().0, 130_000.0), "{what}: {}", case.cost_of_holding());
        // Every child still placed, in the blocks first.
        assert!(close(case.held.summary.unmet, 0.0));
    }
}

#[test]
fn a_framework_held_with_half_the_acceptance_buys_the_rest_at_spot() {
    // Four children at one school (£60,000), a framework 20% off (£48,000) with a £10,000
    // fee: joined as given (4 × £12,000 saved > £10,000). With acceptance × 0.5, held
    // joined: 2 through it and 2 at spot, 2 × £48,000 + 2 × £60,000 + £10,000 = £226,000;
    // saving against spot £14,000; still joined when chosen afresh (2 × £12,000 > £10,000).
    let given = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("a", "independent-special", 53.1, -2.0, false, 10.0, "primary", "ASD", 60_000.0)
        .demand("home", "ASD", "primary", 4.0, Provision::SpecialSchool)
        .framework("rps", &["a"], "all", "all", 0.2, 10_000.0, 0.0, None)
        .build();
    for solver in solvers() {
        let c = compare(&given, solver).unwrap();
        assert_eq!(c.signed(), vec![("rps".to_string(), 1)]);
        let half = with_acceptance(&given, 0.5);
        assert!(close(half.purchasing[0].acceptance, 0.5));
        let case = sensitivity(&[("half".into(), half)], &c.signed(), solver).unwrap().remove(0);
        assert!(close(case.held.summary.placement_cost.0, 226_000.0), "{}", case.held.summary.placement_cost);
        assert!(close((case.spot.spend() - case.held.spend()).0, 14_000.0));
        assert!(close(case.held.void_cost().0, 0.0));
        assert!(close(case.cost_of_holding().0, 0.0));
    }
}

/// Every choice of `most` (0 to each entry's most).
fn choices(most: &[u32]) -> Vec<Vec<u32>> {
    most.iter().fold(vec![Vec::new()], |acc, &m| {
        acc.into_iter().flat_map(|c| (0..=m).map(move |t| [c.clone(), vec![t]].concat())).collect()
    })
}

#[test]
fn the_network_and_the_mixed_integer_program_agree_with_the_choices_held() {
    // Every choice of the random markets, and of 3 children with up to 2 blocks of 5 (one
    // block: 2 voids; two: 7), held: placed as a flow and solved as the program with its
    // whole-number columns' bounds fixed, the same optimum and the same use.
    let mut voids = 0;
    let mut models: Vec<(String, Model)> = (1..=4).map(|seed| (format!("seed {seed}"), random_market(seed))).collect();
    models.push(("3 children".into(), block_case(3.0, 250_000.0, 2)));
    for (name, model) in &models {
        let journeys = JourneyTable::build(model);
        let net = fixed::OptionNetwork::new(model, &journeys).unwrap().expect("a network");
        let order: Vec<usize> = net.f.options_taken.iter().map(|&(o, _)| o).collect();
        assert_eq!(order, (0..model.purchasing.len()).collect::<Vec<_>>());
        for taken in choices(&net.most) {
            let flow = held(model, &journeys, Some(&net), &taken, "", Solver::Network).unwrap();
            for solver in crate::testing::lp_solvers() {
                let mip = held(model, &journeys, None, &taken, "", solver).unwrap();
                let what = format!("{name} {taken:?} {}", mip.plan.solver);
                assert!(close(flow.total().0, mip.total().0), "{what}: {} vs {}", flow.total(), mip.total());
                // The program opens only the options taken; the network every one.
                let uses = |e: &Evaluation| {
                    e.uses.iter().filter(|u| u.taken > 0).map(|u| (u.option, u.taken)).collect::<Vec<_>>()
                };
                assert_eq!(uses(&flow), uses(&mip), "{what}");
                let want: Vec<(usize, u32)> = taken.iter().copied().enumerate().filter(|&(_, t)| t > 0).collect();
                assert_eq!(uses(&mip), want, "{what}");
                assert_eq!(flow.uses.iter().map(|u| u.taken).collect::<Vec<_>>(), taken, "{what}");
                assert!(close(flow.unused_places(), mip.unused_places()), "{what}");
                assert!(close(flow.void_cost().0, mip.void_cost().0), "{what}");
            }
            voids += usize::from(flow.unused_places() > 0.5);
            if name == "3 children" {
                let want = [0.0, 2.0, 7.0][taken[0] as usize];
                assert!(close(flow.unused_places(), want), "{taken:?}: {}", flow.unused_places());
                assert!(close(flow.void_cost().0, want * 50_000.0));
            }
        }
        // Held at the best combination's own choice, the best combination's optimum.
        let best = compare(model, Solver::Network).unwrap();
        let signed: Vec<u32> = best.signed().into_iter().map(|(_, t)| t).collect();
        let again = held(model, &journeys, None, &signed, "", Solver::Microlp).unwrap();
        assert!(close(again.total().0, best.evaluations.last().unwrap().total().0), "{name}");
    }
    // The choices tried include several that leave block places empty.
    assert!(voids >= 4, "only {voids} choices with empty places");
}

#[test]
fn fee_rises_placed_on_the_comparisons_network_are_worked_by_hand() {
    // Seven children, blocks of 5 at £250,000 (at most 2), spot £60,000: as given one block
    // and 2 at spot (£370,000) is signed. Fees +25% (spot £75,000; the block's price is
    // contracted): one block + 2 × £75,000 = £400,000 against two blocks £500,000 and spot
    // 7 × £75,000 = £525,000, so held and chosen afresh agree. Fees +150% (spot £150,000):
    // two blocks (£500,000, 3 places empty) beat one block + 2 × £150,000 = £550,000, so
    // being held to one block costs £50,000; spot 7 × £150,000 = £1,050,000.
    let given = block_case(7.0, 250_000.0, 2);
    for solver in solvers() {
        let prepared = Prepared::new(&given, solver).unwrap();
        let c = super::super::compare_on(&given, &prepared, solver, 0.0).unwrap();
        assert_eq!(c.signed(), vec![("block".to_string(), 1)]);
        let cases = [("+25%".to_string(), Case::FeesRaised(0.25)), ("+150%".to_string(), Case::FeesRaised(1.5))];
        let got = sensitivity_on(&given, &prepared, &cases, &c.signed(), solver).unwrap();
        let what = format!("{solver:?}");
        for (case, spot, best, held, best_blocks) in
            [(&got[0], 525_000.0, 400_000.0, 400_000.0, 1), (&got[1], 1_050_000.0, 500_000.0, 550_000.0, 2)]
        {
            assert!(close(case.spot.summary.placement_cost.0, spot), "{what} {}", case.case);
            assert!(close(case.best.summary.placement_cost.0, best), "{what} {}", case.case);
            assert!(close(case.held.summary.placement_cost.0, held), "{what} {}", case.case);
            assert_eq!(case.best.uses[0].taken, best_blocks, "{what} {}", case.case);
            assert_eq!(case.held.uses[0].taken, 1, "{what} {}", case.case);
            assert!(close(case.cost_of_holding().0, held - best), "{what} {}", case.case);
        }
        assert!(close(got[1].best.unused_places(), 3.0), "{what}");
    }
}

#[test]
fn a_network_repriced_for_a_fee_rise_is_the_network_laid_out_afresh() {
    // The repriced network's program is the one the formulation builds for the raised fees,
    // to the bit; and every choice placed on it has the optimum of a network laid out afresh
    // (the same value with the tie-break, column by column).
    let mut models: Vec<(String, Model)> = (1..=8).map(|seed| (format!("seed {seed}"), random_market(seed))).collect();
    models.push(("7 children".into(), block_case(7.0, 250_000.0, 2)));
    for (name, model) in &models {
        let journeys = JourneyTable::build(model);
        let net = fixed::OptionNetwork::new(model, &journeys).unwrap().expect("a network");
        for rise in [0.1, 0.25, -0.3, 1.5] {
            let m = super::super::with_fees_raised(model, rise);
            let what = format!("{name} {rise}");
            let repriced = net.repriced(&m).unwrap().expect("the same money scale");
            let fresh = fixed::OptionNetwork::new(&m, &journeys).unwrap().expect("a network");
            assert_eq!(repriced.f.program.objective, fresh.f.program.objective, "{what}");
            let prices = |n: &fixed::OptionNetwork| n.f.routes.iter().map(|r| r.price.0).collect::<Vec<_>>();
            assert_eq!(prices(&repriced), prices(&fresh), "{what}");
            let fees = |n: &fixed::OptionNetwork| n.f.arcs.iter().map(|a| a.place_cost.0).collect::<Vec<_>>();
            assert_eq!(fees(&repriced), fees(&fresh), "{what}");
            for taken in choices(&net.most) {
                let (a, b) = (repriced.place(&taken).unwrap(), fresh.place(&taken).unwrap());
                assert!((a.value - b.value).abs() <= 1e-6 * b.value.abs().max(1.0), "{what} {taken:?}");
                for (x, y) in a.values.iter().zip(&b.values) {
                    assert!((x - y).abs() <= 1e-9, "{what} {taken:?}: {x} vs {y}");
                }
                // And as the program priced from the model: the independent check passes.
                held(&m, &journeys, Some(&repriced), &taken, "", Solver::Network).unwrap();
            }
        }
    }
}

#[test]
fn the_sensitivity_beside_the_comparison_gives_the_cases_in_turn() {
    // On another thread, the signed choice handed over by a channel once the comparison has
    // it, the cases are those worked out in turn: the fee rises of the hand-worked case
    // above (+25%: best £400,000; +150%: best £500,000, held at one block £550,000) and a
    // random market's. Where nothing is signed (the comparison failed), there are none.
    let mut models = vec![block_case(7.0, 250_000.0, 2)];
    models.extend((1..=3).map(random_market));
    for given in &models {
        let prepared = Prepared::new(given, Solver::Network).unwrap();
        let cases = [("+25%".to_string(), Case::FeesRaised(0.25)), ("+150%".to_string(), Case::FeesRaised(1.5))];
        let (beside, c) = std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::channel();
            let side =
                s.spawn(|| sensitivity_once_signed(given, &prepared, &cases, move || rx.recv().ok(), Solver::Network));
            let c = super::super::compare_on(given, &prepared, Solver::Network, 0.0).unwrap();
            tx.send(c.signed()).unwrap();
            (side.join().unwrap().unwrap().expect("signed"), c)
        });
        let in_turn = sensitivity_on(given, &prepared, &cases, &c.signed(), Solver::Network).unwrap();
        assert_eq!(beside.len(), 2);
        for (a, b) in beside.iter().zip(&in_turn) {
            assert_eq!(a.case, b.case);
            for (x, y) in [(&a.spot, &b.spot), (&a.best, &b.best), (&a.held, &b.held)] {
                assert_eq!(x.total().0.to_bits(), y.total().0.to_bits(), "{}", a.case);
                assert_eq!(x.uses, y.uses, "{}", a.case);
            }
        }
        if given.purchasing.len() == 1 {
            assert!(close(beside[0].best.summary.placement_cost.0, 400_000.0));
            assert!(close(beside[1].held.summary.placement_cost.0, 550_000.0));
        }
        let none = sensitivity_once_signed(given, &prepared, &cases, || None, Solver::Network).unwrap();
        assert!(none.is_none());
    }
}
