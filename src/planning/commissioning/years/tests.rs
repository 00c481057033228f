//! Tests of commissioning over the years: children keeping their terms, a block's voids as
//! demand falls and a whole-term value worked by hand, and the property that with no
//! contract terms each year equals the one-year evaluation.

use super::*;
use crate::model::{Contract, Model, SchoolYear};
use crate::testing::ModelBuilder;
use proptest::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0) + 0.02
}

fn every_lp(model: &Model) -> Vec<OverTheYears> {
    crate::testing::lp_solvers()
        .into_iter()
        .map(|s| over_the_years(model.years_ahead().unwrap(), s).unwrap_or_else(|e| panic!("{s}: {e}")))
        .collect()
}

fn spend(set: &SetOverYears) -> Vec<f64> {
    set.years.iter().map(|y| y.evaluation.spend().0).collect()
}

/// One independent school (£60,000 for SEMH secondary, 10 places), no transport cost; the
/// base year's `base` children in year 8, and `new` new plans a year from the second year
/// in year 7; a framework at 10% off from 2026/27 (the second year), providers accepting
/// `acceptance` of the children offered.
fn keeping_case(base: f64, new: f64, acceptance: f64) -> Model {
    let mut model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("indep", "independent-special", 53.02, -2.0, false, 10.0, "secondary", "SEMH", 60_000.0)
        .transport(0.0, 0.0)
        .horizon(2, &[("home", "SEMH", 8, base)], &[("SEMH", 7, new, 0.0, 0.0)])
        .framework("rps", &["indep"], "all", "all", 0.10, 0.0, 0.0, None)
        .build();
    model.purchasing[0].contract = Contract { starts: Some(SchoolYear(2026)), ..Contract::default() };
    model.purchasing[0].acceptance = acceptance;
    model
}

#[test]
fn a_child_placed_before_a_framework_starts_keeps_the_spot_fee() {
    // By hand. 2025/26: the framework has not started; the one child pays the spot fee,
    // £60,000. 2026/27: that child stays (year 9) and keeps the spot fee, £60,000; the new
    // child (year 7) takes the framework's price, £54,000: £114,000. (Placed afresh, the one
    // year's comparison would put both through the framework: £108,000.)
    for over in every_lp(&keeping_case(1.0, 1.0, 1.0)) {
        let rps = &over.sets[1];
        assert_eq!(rps.label, "rps");
        let got = spend(rps);
        assert!(close(got[0], 60_000.0) && close(got[1], 114_000.0), "{got:?}");
        let y2 = &rps.years[1];
        let bought = |route: Route| -> f64 {
            y2.evaluation.purchases.iter().filter(|p| p.route == route).map(|p| p.children).sum()
        };
        assert!(close(bought(Route::Spot), 1.0) && close(bought(Route::Option(0)), 1.0));
        assert!(close(y2.kept_through_options, 0.0) && close(y2.new_through_options(), 1.0));
        // Spot purchase only: £60,000 then £120,000; the saving is the new child's £6,000.
        assert!(close(spend(&over.sets[0])[1], 120_000.0));
        // The framework runs from its second year: its whole-term value counts that year only,
        // discounted one year: £6,000 ÷ (1.035 × 1.02).
        assert_eq!(over.contracts[0].years, vec![1]);
        assert!(close(over.contracts[0].saving.0, 6_000.0 / (1.035 * 1.02)), "{}", over.contracts[0].saving);
    }
}

#[test]
fn providers_accept_a_share_of_the_new_children_only() {
    // Two children placed at spot in 2025/26 (£120,000); in 2026/27 both stay at spot and two
    // new children come. Providers accept half the NEW children: one through the framework
    // (£54,000), one at spot: 3 × £60,000 + £54,000 = £234,000. (Were acceptance applied to
    // all four children there, both new children could go through it: £228,000.)
    for over in every_lp(&keeping_case(2.0, 2.0, 0.5)) {
        let got = spend(&over.sets[1]);
        assert!(close(got[0], 120_000.0) && close(got[1], 234_000.0), "{got:?}");
    }
    // Accepted in full, both new children go through it: £228,000.
    for over in every_lp(&keeping_case(2.0, 2.0, 1.0)) {
        assert!(close(spend(&over.sets[1])[1], 228_000.0));
    }
}

/// One independent school (£60,000, 10 places), no transport; 5 SEMH children in year 8
/// in the base year, two in five leaving after it and one in three of the rest after the
/// next, no new plans: 5, 3, then 2 children. A block contract there: one block of 5 places
/// for £250,000 a year (£50,000 a place), three years, which the council may end after one.
fn falling_case() -> Model {
    let mut model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("indep", "independent-special", 53.02, -2.0, false, 10.0, "secondary", "SEMH", 60_000.0)
        .transport(0.0, 0.0)
        .horizon(3, &[("home", "SEMH", 8, 5.0)], &[("SEMH", 8, 0.0, 0.4, 0.0), ("SEMH", 9, 0.0, 1.0 / 3.0, 0.0)])
        .block("blk", "indep", 5.0, 250_000.0, 1, None)
        .build();
    model.purchasing[0].contract = Contract { years: Some(3), break_after: vec![1], ..Contract::default() };
    model
}

#[test]
fn a_block_is_held_for_its_term_and_its_empty_places_are_paid_for() {
    // By hand. 2025/26: 5 children; the block (£250,000) costs less than spot (£300,000):
    // one block, full. It is held: 2026/27, 3 children (kept in the block) and 2 voids,
    // £250,000 (spot £180,000); 2027/28, 2 children and 3 voids, £250,000 (spot £120,000).
    for over in every_lp(&falling_case()) {
        let (spot, blk) = (&over.sets[0], &over.sets[1]);
        let s = spend(spot);
        assert!(close(s[0], 300_000.0) && close(s[1], 180_000.0) && close(s[2], 120_000.0), "{s:?}");
        let b = spend(blk);
        assert!(b.iter().all(|&x| close(x, 250_000.0)), "{b:?}");
        let voids: Vec<f64> = blk.years.iter().map(YearOfSet::voids).collect();
        assert!(close(voids[0], 0.0) && close(voids[1], 2.0) && close(voids[2], 3.0), "{voids:?}");
        assert!(blk.years.iter().all(|y| close(y.block_places(), 5.0)));
        assert!(close(blk.years[1].kept_through_options, 3.0) && close(blk.years[2].kept_through_options, 2.0));
        assert_eq!(over.contracts[0].blocks, Some(1));
    }
}

#[test]
fn a_whole_term_value_and_break_even_price_worked_by_hand() {
    // Discount factors (3.5% real, 2% inflation): d0 = 1, d1 = 1 ÷ (1.035 × 1.02) =
    // 1 ÷ 1.0557 = 0.947239, d2 = 1 ÷ 1.0557² = 1 ÷ 1.11450249 = 0.897262.
    // Saving against spot by year (above): £50,000, −£70,000, −£130,000.
    // Whole-term value: 50,000 − 70,000 × 0.947239 − 130,000 × 0.897262 = −£132,950.68.
    // Break-even block price: 250,000 + (−132,950.68) ÷ (1 block × (1 + 0.947239 + 0.897262))
    // = 250,000 − 132,950.68 ÷ 2.844501 = £203,260.5 (at that price the present value of the
    // block, 2.844501 × P, equals spot's 300,000 + 180,000 d1 + 120,000 d2 = £578,182.5).
    // Ended after one year (notice 0: by 2026/27), the children go to spot from 2026/27:
    // the saving is year one's £50,000 alone, which costs less than keeping it to term.
    let model = falling_case();
    assert!(close(model.appraisal.discount_rate, 0.035) && close(model.appraisal.inflation, 0.02));
    let (d1, d2): (f64, f64) = (1.0 / 1.0557, 1.0 / 1.114_502_49);
    let pv = 50_000.0 - 70_000.0 * d1 - 130_000.0 * d2;
    assert!((pv + 132_950.68).abs() < 0.05, "{pv}");
    let price = 250_000.0 + pv / (1.0 + d1 + d2);
    assert!((price - 203_260.5).abs() < 0.5, "{price}");
    assert!(((1.0 + d1 + d2) * price - (300_000.0 + 180_000.0 * d1 + 120_000.0 * d2)).abs() < 0.01);
    for over in every_lp(&model) {
        let c = &over.contracts[0];
        assert_eq!(c.years, vec![0, 1, 2]);
        assert!(close(c.saving.0, pv), "{} vs {pv}", c.saving);
        assert!(close(c.break_even_price.unwrap().0, price), "{:?}", c.break_even_price);
        // The break with the block chosen in its first year (one), and with one held from
        // the start (the same here): £50,000 either way, against −£132,950.68 kept to term.
        assert_eq!(c.breaks.len(), 2);
        for b in &c.breaks {
            assert_eq!((b.blocks, b.after, b.notice_by), (Some(1), 1, SchoolYear(2026)));
            assert!(close(b.saving.0, 50_000.0) && close(b.kept_to_term.0, pv), "{} {}", b.saving, b.kept_to_term);
        }
        // One block held from the start is the block chosen in its first year.
        let [held] = &c.held_from_start[..] else { panic!("one block at most") };
        assert!(held.voids.iter().zip([0.0, 2.0, 3.0]).all(|(&a, b)| close(a, b)), "{:?}", held.voids);
        assert!(close(held.saving.0, pv) && close(held.break_even_price.unwrap().0, price));
        // Present value of each set's spend: spot 300,000 + 180,000 d1 + 120,000 d2.
        assert!(close(over.sets[0].present_value(&model).0, 300_000.0 + 180_000.0 * d1 + 120_000.0 * d2));
    }
}

#[test]
fn a_block_not_bought_in_its_first_year_stays_unbought() {
    // The blocks are chosen in the contract's first year and held: 4 children in 2025/26,
    // a block of 5 at £290,000 costs more than 4 × £60,000 = £240,000, so none is bought,
    // and none later as need grows (3 new plans a year): 4, 7 then 10 children at spot,
    // £240,000, £420,000, £600,000. Held from its start, one block would cost £290,000,
    // £290,000 + 2 × £60,000 = £410,000 and £290,000 + 5 × £60,000 = £590,000.
    let mut model = falling_case();
    model.horizon.as_mut().unwrap().need = {
        let m = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("indep", "independent-special", 53.02, -2.0, false, 10.0, "secondary", "SEMH", 60_000.0)
            .horizon(3, &[("home", "SEMH", 8, 4.0)], &[("SEMH", 7, 3.0, 0.0, 0.0)])
            .build();
        m.horizon.unwrap().need
    };
    if let PurchasingTerms::Block { block_price, .. } = &mut model.purchasing[0].terms {
        *block_price = Money(290_000.0);
    }
    // Present value held from the start: saving −50,000 + 10,000 d1 + 10,000 d2.
    let (d1, d2): (f64, f64) = (1.0 / 1.0557, 1.0 / 1.114_502_49);
    for over in every_lp(&model) {
        let b = spend(&over.sets[1]);
        assert!(close(b[0], 240_000.0) && close(b[1], 420_000.0) && close(b[2], 600_000.0), "{b:?}");
        assert_eq!(over.contracts[0].blocks, Some(0));
        assert_eq!(over.contracts[0].break_even_price, None);
        let [held] = &over.contracts[0].held_from_start[..] else { panic!("one block at most") };
        assert!(held.voids.iter().zip([1.0, 0.0, 0.0]).all(|(&a, b)| close(a, b)), "{:?}", held.voids);
        assert!(close(held.saving.0, -50_000.0 + 10_000.0 * d1 + 10_000.0 * d2), "{}", held.saving);
    }
}

/// A random horizon model: two to three years, one or two independent schools and a
/// maintained one, and a framework with no contract terms (no start, term, uplift or fees;
/// providers accept every child).
fn random_case(seed: u64) -> Model {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut b = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .locality("away", 53.1, -2.1, true)
        .setting(
            "a",
            "independent-special",
            53.02,
            -2.0,
            false,
            rng.random_range(2.0..8.0),
            "secondary",
            "SEMH;ASD",
            rng.random_range(50_000.0..70_000.0),
        )
        .setting(
            "b",
            "independent-special",
            53.12,
            -2.1,
            false,
            rng.random_range(2.0..8.0),
            "secondary",
            "SEMH;ASD",
            rng.random_range(50_000.0..70_000.0),
        )
        .setting(
            "m",
            "maintained-special",
            53.05,
            -2.05,
            true,
            rng.random_range(0.0..6.0),
            "secondary",
            "SEMH;ASD",
            25_000.0,
        )
        .horizon(
            rng.random_range(2..=3),
            &[("home", "SEMH", 8, rng.random_range(0.0..5.0)), ("away", "ASD", 9, rng.random_range(0.0..5.0))],
            &[("SEMH", 7, rng.random_range(0.0..3.0), 0.1, 0.0), ("ASD", 7, rng.random_range(0.0..3.0), 0.0, 0.0)],
        );
    let one = rng.random_bool(0.5);
    let settings: &[&str] = if one { &["a"] } else { &["a", "b"] };
    b = b.framework("rps", settings, "all", "all", rng.random_range(0.0..0.3), 0.0, 0.0, None);
    b.build()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// With acceptance 1 and no contract terms, keeping terms costs nothing: each year of the
    /// framework over the years equals the one-year evaluation of that same year's model (its
    /// children staying put), planned in turn without kept terms.
    #[test]
    fn with_no_contract_terms_each_year_equals_the_one_year_evaluation(seed in 0u64..1_000_000) {
        let model = random_case(seed);
        let solver = Solver::best();
        let over = over_the_years(model.years_ahead().unwrap(), solver).unwrap();
        let mut one_year = |m: Model| -> Result<(Model, Evaluation), Error> {
            let journeys = JourneyTable::build(&m);
            let e = super::super::evaluate(&m, &journeys, &[0], "rps", solver)?;
            Ok((m, e))
        };
        let (years, _) = plan_years_with(
            model.years_ahead().unwrap(), None, None, &mut |_, _| {}, &mut one_year, |(m, e)| (m, &e.plan),
        ).unwrap();
        prop_assert_eq!(years.len(), over.sets[1].years.len());
        for (y, kept) in years.iter().zip(&over.sets[1].years) {
            let (a, b) = (y.solved.1.spend().0, kept.evaluation.spend().0);
            prop_assert!((a - b).abs() <= 1e-6 * a.abs().max(1.0), "{}: {} vs {}", y.year, a, b);
        }
    }
}
