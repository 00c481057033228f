//! Hand-solved and brute-forced placement problems: each optimum is worked out outside the
//! solver and written in the test, and every compiled-in solver must reach it. The
//! independent checker also runs on every answer (inside [`crate::optimise::run::run`]).
//!
//! Test models use straight-line travel at 60 km/h with circuity 1, so minutes equal km;
//! 0.1° of latitude is about 11.1 km.

use rstest::rstest;

use crate::model::{Model, Provision, SettingIx};
use crate::optimise::run::{Run, run};
use crate::optimise::solve::Solver;
use crate::testing::{Lcg, ModelBuilder};

const RP: Provision = Provision::ResourcedProvision;

/// Solves with every compiled-in solver; returns the runs.
fn solve_all(model: &Model) -> Vec<Run> {
    Solver::available().into_iter().map(|s| run(model.clone(), s).unwrap_or_else(|e| panic!("{s}: {e}"))).collect()
}

/// Children placed at the setting with this id.
fn at(run: &Run, id: &str) -> f64 {
    run.plan.placements.iter().filter(|p| run.model.setting(p.setting).id == id).map(|p| p.children).sum()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * b.abs().max(1.0)
}

#[test]
fn binding_capacity_sends_the_rest_to_the_next_cheapest() {
    // 5 children; "near" has 3 places at £20k, "indep" 10 at £60k. Optimum: 3 + 2,
    // 3×20,000 + 2×60,000 = £180,000.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("near", "maintained-special", 53.01, -2.0, true, 3.0, "primary", "ASD", 20_000.0)
        .setting("indep", "independent-special", 53.02, -2.0, true, 10.0, "primary", "ASD", 60_000.0)
        .demand("home", "ASD", "primary", 5.0, RP)
        .build();
    for r in solve_all(&model) {
        assert!(close(at(&r, "near"), 3.0) && close(at(&r, "indep"), 2.0), "{}", r.plan.solver);
        assert!(close(r.plan.stages[0].value, 180_000.0));
        assert!(close(r.plan.summary(&r.model).placement_cost.pounds(), 180_000.0));
    }
}

#[rstest]
// "cheap" is 0.5° away: ~55.6 minutes. Primary's limit is 45, so the £30k school nearby takes
// all 4 (£120,000); secondary's is 75, so the £10k school takes them (£40,000).
#[case("primary", "dear", 120_000.0)]
#[case("secondary", "cheap", 40_000.0)]
fn journey_limit_excludes_a_setting(#[case] phase: &str, #[case] chosen: &str, #[case] optimum: f64) {
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("cheap", "maintained-special", 53.5, -2.0, true, 10.0, "all", "ASD", 10_000.0)
        .setting("dear", "maintained-special", 53.01, -2.0, true, 10.0, "all", "ASD", 30_000.0)
        .demand("home", "ASD", phase, 4.0, RP)
        .build();
    for r in solve_all(&model) {
        assert!(close(at(&r, chosen), 4.0), "{}: {:?}", r.plan.solver, r.plan.placements);
        assert!(close(r.plan.stages[0].value, optimum));
        // Each placement within its own phase's limit (45 minutes for primary, 75 for
        // secondary): the "dear" school is 1 km away, the "cheap" one 55 km.
        for p in &r.plan.placements {
            let limit = r.model.phases[r.model.demand[p.demand].phase.0].max_journey_minutes;
            assert!(p.journey.minutes <= limit, "{}: {} minutes against {limit}", r.plan.solver, p.journey.minutes);
        }
    }
}

#[rstest]
// In borough £30k, out of borough £25k, 5 children. Weight £0: out (5×25k = £125,000).
// Weight £10k: in (5×30k = £150,000 < 5×35k). Break-even at £5k.
#[case(0.0, "out", 125_000.0)]
#[case(4_999.0, "out", 125_000.0 + 5.0 * 4_999.0)]
#[case(10_000.0, "in", 150_000.0)]
fn out_of_borough_weight_changes_the_choice(#[case] weight: f64, #[case] chosen: &str, #[case] optimum: f64) {
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("in", "maintained-special", 53.01, -2.0, true, 10.0, "primary", "SEMH", 30_000.0)
        .setting("out", "other-authority-special", 53.02, -2.0, false, 10.0, "primary", "SEMH", 25_000.0)
        .demand("home", "SEMH", "primary", 5.0, RP)
        .out_of_borough_weight(weight)
        .build();
    for r in solve_all(&model) {
        assert!(close(at(&r, chosen), 5.0), "{}", r.plan.solver);
        assert!(close(r.plan.stages[0].value, optimum), "{} vs {optimum}", r.plan.stages[0].value);
        let s = r.plan.summary(&r.model);
        assert!(close(s.out_of_borough_weight.pounds(), weight * s.placed_out_of_borough));
    }
}

#[test]
fn unmet_need_is_reported_when_places_run_out() {
    // 10 children, 6 places at £20k: 4 unmet. Objective 6×20,000 + 4×1,000,000.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("only", "maintained-special", 53.01, -2.0, true, 6.0, "secondary", "SLD", 20_000.0)
        .demand("home", "SLD", "secondary", 10.0, Provision::SpecialSchool)
        .build();
    for r in solve_all(&model) {
        assert!(close(r.plan.unmet[0], 4.0));
        assert!(close(r.plan.stages[0].value, 4_120_000.0));
        let tables = crate::outputs::report::Tables::new(&r);
        assert_eq!(tables.gaps.len(), 1);
        assert!(close(tables.gaps[0].unmet, 4.0));
        assert_eq!(
            tables.gaps[0].reason,
            "suitable places within reach are full; the model has no independent market (tables.market)"
        );
    }
}

#[test]
fn unmet_need_with_no_setting_in_reach_says_why() {
    // The only PMLD school is a resourced provision, and these children need a special school.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("unit", "resourced-provision", 53.01, -2.0, true, 6.0, "primary", "PMLD", 15_000.0)
        .demand("home", "PMLD", "primary", 2.5, Provision::SpecialSchool)
        .build();
    for r in solve_all(&model) {
        assert!(close(r.plan.unmet[0], 2.5));
        assert!(r.plan.placements.is_empty());
        let tables = crate::outputs::report::Tables::new(&r);
        assert_eq!(
            tables.gaps[0].reason,
            "no suitable setting within 45 minutes; the model has no independent market (tables.market)"
        );
    }
}

#[test]
fn each_tier_is_placed_at_its_own_kind_or_above_and_ap_and_other_arrangements_only_at_theirs() {
    // All 1 km from home, primary ASD. Places and £ a year: mainstream 4 at £8k, base 2 at
    // £12k, unit 2 at £16k, special 10 at £25k, AP 1 at £18k, other arrangements 10 at £5k.
    // Children: mainstream tier 6, base tier 3, special school 2, AP 2, elsewhere 1.
    // By hand: elsewhere's 1 at other arrangements (£5k; no one else may use its cheap
    // places); AP's 2 have only the AP place: 1 there (£18k), 1 unmet; special's 2 at the
    // special school (£50k); mainstream's 4 places go to the mainstream tier (only it may use
    // them: £32k); the other 2 mainstream and 3 base children take the base (2 × £12k), the
    // unit (2 × £16k) and one special place (£25k): £81k. Placement cost £186,000; the
    // objective adds 1 × £1,000,000 for the AP child unmet.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("ms", "mainstream", 53.009, -2.0, true, 4.0, "primary", "ASD", 8_000.0)
        .setting("base", "inclusion-base", 53.009, -2.0, true, 2.0, "primary", "ASD", 12_000.0)
        .setting("rp", "resourced-provision", 53.009, -2.0, true, 2.0, "primary", "ASD", 16_000.0)
        .setting("sp", "maintained-special", 53.009, -2.0, true, 10.0, "primary", "ASD", 25_000.0)
        .setting("ap", "alternative-provision", 53.009, -2.0, true, 1.0, "primary", "ASD", 18_000.0)
        .setting("other", "other-arrangements", 53.009, -2.0, true, 10.0, "primary", "ASD", 5_000.0)
        .demand("home", "ASD", "primary", 6.0, Provision::Mainstream)
        .demand("home", "ASD", "primary", 3.0, Provision::InclusionBase)
        .demand("home", "ASD", "primary", 2.0, Provision::SpecialSchool)
        .demand("home", "ASD", "primary", 2.0, Provision::AlternativeProvision)
        .demand("home", "ASD", "primary", 1.0, Provision::Elsewhere)
        .transport(0.0, 0.0)
        .build();
    let row = |r: &Run, d: usize, id: &str| -> f64 {
        r.plan
            .placements
            .iter()
            .filter(|p| p.demand == d && r.model.setting(p.setting).id == id)
            .map(|p| p.children)
            .sum()
    };
    for r in solve_all(&model) {
        let s = r.plan.solver;
        for (id, children) in [("ms", 4.0), ("base", 2.0), ("rp", 2.0), ("sp", 3.0), ("ap", 1.0), ("other", 1.0)] {
            assert!(close(at(&r, id), children), "{s}: {id} {} {:?}", at(&r, id), r.plan.placements);
        }
        assert!(close(row(&r, 0, "ms"), 4.0) && close(row(&r, 2, "sp"), 2.0), "{s}");
        assert!(close(row(&r, 3, "ap"), 1.0) && close(row(&r, 4, "other"), 1.0), "{s}");
        assert!(close(row(&r, 1, "ms"), 0.0) && close(row(&r, 0, "other"), 0.0), "{s}");
        assert_eq!(
            r.plan.unmet.iter().map(|u| (u * 1000.0).round() / 1000.0).collect::<Vec<_>>(),
            [0.0, 0.0, 0.0, 1.0, 0.0]
        );
        assert!(close(r.plan.summary(&r.model).placement_cost.pounds(), 186_000.0), "{s}");
        assert!(close(r.plan.stages[0].value, 1_186_000.0), "{s}: {}", r.plan.stages[0].value);
        let tables = crate::outputs::report::Tables::new(&r);
        assert_eq!(tables.gaps.len(), 1);
        assert_eq!(tables.gaps[0].provision, "alternative provision");
    }
}

#[test]
fn per_need_places_cap_one_need_within_the_total() {
    // "gen" has 10 places at £20k but takes at most 2 SEMH; "semh" costs £40k.
    // 4 SEMH + 3 ASD: gen takes 3 ASD + 2 SEMH, semh takes 2 SEMH.
    // 5×20,000 + 2×40,000 = £180,000.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("gen", "academy-special", 53.01, -2.0, true, 10.0, "primary", "ASD;SEMH", 20_000.0)
        .setting("semh", "independent-special", 53.02, -2.0, true, 10.0, "primary", "SEMH", 40_000.0)
        .need_terms("gen", "SEMH", Some(2.0), None)
        .demand("home", "SEMH", "primary", 4.0, RP)
        .demand("home", "ASD", "primary", 3.0, RP)
        .build();
    for r in solve_all(&model) {
        assert!(close(at(&r, "gen"), 5.0) && close(at(&r, "semh"), 2.0));
        assert!(close(r.plan.stages[0].value, 180_000.0));
    }
}

#[test]
fn per_need_fee_prices_that_need() {
    // "indep" charges £50k, but £70k for SEMH; "other" £60k for all. 2 SEMH go to other.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("indep", "independent-special", 53.01, -2.0, true, 10.0, "secondary", "all", 50_000.0)
        .setting("other", "independent-special", 53.02, -2.0, true, 10.0, "secondary", "SEMH", 60_000.0)
        .need_terms("indep", "SEMH", None, Some(70_000.0))
        .demand("home", "SEMH", "secondary", 2.0, RP)
        .build();
    for r in solve_all(&model) {
        assert!(close(at(&r, "other"), 2.0));
        assert!(close(r.plan.stages[0].value, 120_000.0));
    }
}

#[test]
fn transport_cost_is_part_of_the_optimum() {
    // Both £20k. "a" is 0.1° away (11.12 km), "b" 0.2° (22.24 km). £1,000 fixed + £1/km
    // × 2 × 190: a costs 1,000 + 380×11.12 ≈ £5,226 a child. 3 children at a.
    let model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("a", "maintained-special", 53.1, -2.0, true, 10.0, "primary", "ASD", 20_000.0)
        .setting("b", "maintained-special", 53.2, -2.0, true, 10.0, "primary", "ASD", 20_000.0)
        .demand("home", "ASD", "primary", 3.0, RP)
        .transport(1_000.0, 1.0)
        .build();
    let km = crate::travel::straight_line_km(geo::Point::new(-2.0, 53.0), geo::Point::new(-2.0, 53.1));
    assert!((km - 11.12).abs() < 0.01);
    let expected = 3.0 * (20_000.0 + 1_000.0 + 380.0 * km);
    for r in solve_all(&model) {
        assert!(close(at(&r, "a"), 3.0));
        assert!(close(r.plan.stages[0].value, expected));
    }
}

#[test]
fn only_the_share_transported_of_mainstream_children_pays_transport() {
    // Two localities 0.1° either side of a mainstream pool (£6,000) and a special school
    // (£20,000), both 11.12 km from each. A journey T = £1,000 + 380 × 11.12 km ≈ £5,226 a
    // child. 2 + 3 children need mainstream with support, 1 a special school. Everyone
    // transported: 5 × 6,000 + 20,000 + 6T. A quarter of mainstream children transported:
    // 5 × 6,000 + 20,000 + (5 × 0.25 + 1)T = 50,000 + 2.25T, 3.75T ≈ £19,598 less; the special
    // school child's transport is as before.
    let mut model = ModelBuilder::new()
        .locality("north", 53.0, -2.0, true)
        .locality("south", 53.2, -2.0, true)
        .setting("m", "mainstream", 53.1, -2.0, true, 10.0, "primary", "ASD", 6_000.0)
        .setting("sp", "maintained-special", 53.1, -2.0, true, 10.0, "primary", "ASD", 20_000.0)
        .demand("north", "ASD", "primary", 2.0, Provision::Mainstream)
        .demand("south", "ASD", "primary", 3.0, Provision::Mainstream)
        .demand("north", "ASD", "primary", 1.0, Provision::SpecialSchool)
        .transport(1_000.0, 1.0)
        .build();
    let km = crate::travel::straight_line_km(geo::Point::new(-2.0, 53.0), geo::Point::new(-2.0, 53.1));
    let journey = 1_000.0 + 380.0 * km;
    assert!((journey - 5_226.0).abs() < 5.0);
    for r in solve_all(&model) {
        assert!(close(at(&r, "m"), 5.0) && close(at(&r, "sp"), 1.0));
        assert!(close(r.plan.stages[0].value, 50_000.0 + 6.0 * journey));
    }
    model.policy.share_transported.set(crate::model::SettingKind::Mainstream, 0.25);
    for r in solve_all(&model) {
        assert!(close(at(&r, "m"), 5.0) && close(at(&r, "sp"), 1.0));
        assert!(close(r.plan.stages[0].value, 50_000.0 + 2.25 * journey));
        assert!(close(r.plan.summary(&r.model).transport_cost.pounds(), 2.25 * journey));
    }
}

#[test]
fn lexicographic_mode_puts_fewest_out_of_borough_first() {
    // In borough £50k (5 places); out £20k (10 places); 8 children; no weight.
    // Weighted: all 8 out, £160,000. Lexicographic: unmet 0, then 3 out, then cost
    // 5×50,000 + 3×20,000 = £310,000.
    let base = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("in", "maintained-special", 53.01, -2.0, true, 5.0, "secondary", "ASD", 50_000.0)
        .setting("out", "independent-special", 53.02, -2.0, false, 10.0, "secondary", "ASD", 20_000.0)
        .demand("home", "ASD", "secondary", 8.0, RP);
    for r in solve_all(&base.clone().build()) {
        assert!(close(at(&r, "out"), 8.0));
        assert!(close(r.plan.stages[0].value, 160_000.0));
    }
    let lex = base.lexicographic().build();
    for r in solve_all(&lex) {
        let values: Vec<f64> = r.plan.stages.iter().map(|s| s.value).collect();
        assert_eq!(values.len(), 3);
        assert!(close(values[0], 0.0) && close(values[1], 3.0) && close(values[2], 310_000.0), "{values:?}");
        assert!(close(at(&r, "in"), 5.0) && close(at(&r, "out"), 3.0));
    }
}

/// Least weighted cost over every whole-child assignment: each demand row's children
/// placed at settings or left unmet, within places. Exhaustive, so only for tiny instances.
struct BruteForce<'a> {
    model: &'a Model,
    journeys: &'a crate::travel::JourneyTable,
    left: Vec<f64>,
    best: f64,
}

impl BruteForce<'_> {
    fn optimum(model: &Model, journeys: &crate::travel::JourneyTable) -> f64 {
        let left = model.settings.iter().map(|s| s.places).collect();
        let mut search = BruteForce { model, journeys, left, best: f64::INFINITY };
        search.row(0, 0.0);
        search.best
    }

    /// Places demand row `r` and every later row.
    fn row(&mut self, r: usize, cost: f64) {
        match self.model.demand.get(r) {
            None => self.best = self.best.min(cost),
            Some(d) => self.split(r, 0, d.children as u32, cost),
        }
    }

    /// Puts 0..=remaining of row `r`'s children at setting `s`, the rest at later settings.
    fn split(&mut self, r: usize, s: usize, remaining: u32, cost: f64) {
        let m = self.model;
        let d = &m.demand[r];
        if s == m.settings.len() {
            return self.row(r + 1, cost + f64::from(remaining) * m.policy.unmet_penalty.pounds());
        }
        let setting = &m.settings[s];
        let journey = self.journeys.get(d.locality, SettingIx(s));
        let usable = setting.serves(d.need, d.phase, d.provision)
            && journey.is_some_and(|j| {
                j.minutes <= m.phases[d.phase.0].max_journey_minutes || setting.beyond_journey_limits()
            });
        let most = if usable { remaining.min(self.left[s] as u32) } else { 0 };
        let weight = if setting.in_borough { 0.0 } else { m.policy.out_of_borough_weight.pounds() };
        let per_child = setting.cost_for(d.need).pounds()
            + m.transport_cost(SettingIx(s), journey.unwrap_or_default()).pounds()
            + weight;
        for k in 0..=most {
            self.left[s] -= f64::from(k);
            self.split(r, s + 1, remaining - k, cost + f64::from(k) * per_child);
            self.left[s] += f64::from(k);
        }
    }
}

#[rstest]
fn random_small_instances_match_brute_force(#[values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)] seed: u64) {
    let mut g = Lcg(seed);
    let mut b = crate::testing::random_settings(&mut g);
    // Half the instances have a market: a few day places, then residential without limit.
    if g.next(2) == 0 {
        use crate::model::Residence::{Day, Weeks38};
        let day = 1.0 + g.next(3) as f64;
        b = b.market_step("day", "all", "all", Some(day), 65_000.0, 30.0, Day, None).market_step(
            "res",
            "all",
            "all",
            None,
            150_000.0,
            120.0,
            Weeks38,
            Some(3_000.0),
        );
    }
    for (loc, need, phase) in [("a", "ASD", "primary"), ("b", "SEMH", "secondary"), ("a", "SEMH", "secondary")] {
        let provision = if g.next(2) == 0 { RP } else { Provision::SpecialSchool };
        b = b.demand(loc, need, phase, g.next(4) as f64, provision);
    }
    let model = b.build();
    let journeys = crate::travel::JourneyTable::build(&model);
    let expected = BruteForce::optimum(&model, &journeys);
    for r in solve_all(&model) {
        let got = r.plan.stages[0].value;
        assert!(
            (got - expected).abs() < 1e-6 * expected.max(1.0),
            "seed {seed} {}: {got} vs brute force {expected}",
            r.plan.solver
        );
    }
}

#[test]
fn children_who_stay_keep_their_places_from_cheaper_newcomers() {
    // "near" (3 places, £20k) is by locality a; "indep" (10, £60k) by locality b. Transport
    // £1/km × 380 journeys. A place at near saves ~£48k for an a child but ~£32k for a b
    // child, so without staying the optimum gives near to a's 2 children and 1 of b's.
    // With 2 of b's children staying at near, one place is left: a gets it, a's other
    // child goes to indep.
    let base = ModelBuilder::new()
        .locality("a", 53.0, -2.0, true)
        .locality("b", 53.2, -2.0, true)
        .setting("near", "maintained-special", 53.01, -2.0, true, 3.0, "secondary", "ASD", 20_000.0)
        .setting("indep", "independent-special", 53.2, -2.0, true, 10.0, "secondary", "ASD", 60_000.0)
        .demand("a", "ASD", "secondary", 2.0, RP)
        .demand("b", "ASD", "secondary", 3.0, RP)
        .transport(0.0, 1.0);
    let free = base.clone().build();
    for r in solve_all(&free) {
        let a_near: f64 =
            r.plan.placements.iter().filter(|p| p.demand == 0 && p.setting.0 == 0).map(|p| p.children).sum();
        assert!(close(a_near, 2.0));
    }
    let mut held = base.build();
    held.staying.push(crate::model::Staying { demand: 1, setting: crate::model::SettingIx(0), children: 2.0 });
    let km = |lat_a: f64, lat_b: f64| {
        crate::travel::straight_line_km(geo::Point::new(-2.0, lat_a), geo::Point::new(-2.0, lat_b))
    };
    let per = |place: f64, km: f64| place + 380.0 * km;
    // b: 2 at near (staying), 1 at indep (0 km); a: 1 at near, 1 at indep.
    let expected = 2.0 * per(20_000.0, km(53.2, 53.01))
        + per(60_000.0, 0.0)
        + per(20_000.0, km(53.0, 53.01))
        + per(60_000.0, km(53.0, 53.2));
    for r in solve_all(&held) {
        let at_near = |row: usize| -> f64 {
            r.plan.placements.iter().filter(|p| p.demand == row && p.setting.0 == 0).map(|p| p.children).sum()
        };
        assert!(close(at_near(1), 2.0) && close(at_near(0), 1.0), "{:?}", r.plan.placements);
        assert!(close(r.plan.stages[0].value, expected), "{} vs {expected}", r.plan.stages[0].value);
    }
}

#[test]
fn a_staying_child_keeps_a_place_the_rules_would_not_give_today() {
    // The child's school is 0.5° (~56 min) away, over primary's 45-minute limit, but they
    // already go there and stay.
    let mut model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("old", "maintained-special", 53.5, -2.0, true, 5.0, "primary", "ASD", 20_000.0)
        .demand("home", "ASD", "primary", 1.0, RP)
        .build();
    model.staying.push(crate::model::Staying { demand: 0, setting: crate::model::SettingIx(0), children: 1.0 });
    for r in solve_all(&model) {
        assert!(close(at(&r, "old"), 1.0) && close(r.plan.unmet[0], 0.0));
        assert!(r.plan.placements[0].journey.minutes > 45.0);
    }
}

#[test]
fn children_staying_where_the_rules_would_not_place_them_today_take_no_new_child_with_them() {
    // 3 ASD primary children; 1 stays at "old" (~56 minutes, over primary's 45) and 0.5 at
    // "semh" (SEMH only), both cheaper than anywhere the rules allow. By hand: the other 1.5
    // go to "near" (2 places, £30k): 20,000 + 0.5 × 10,000 + 1.5 × 30,000 = £70,000. Every
    // solver; the network simplex's row prices certify it (the arcs kept for children staying
    // are fixed at them, so their reduced costs may be below 0).
    let mut model = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("old", "maintained-special", 53.5, -2.0, true, 5.0, "primary", "ASD", 20_000.0)
        .setting("semh", "maintained-special", 53.01, -2.0, true, 5.0, "primary", "SEMH", 10_000.0)
        .setting("near", "maintained-special", 53.02, -2.0, true, 2.0, "primary", "ASD", 30_000.0)
        .demand("home", "ASD", "primary", 3.0, RP)
        .build();
    for (s, children) in [(0, 1.0), (1, 0.5)] {
        model.staying.push(crate::model::Staying { demand: 0, setting: crate::model::SettingIx(s), children });
    }
    for r in solve_all(&model) {
        let solver = r.plan.solver;
        assert!(close(at(&r, "old"), 1.0) && close(at(&r, "semh"), 0.5) && close(at(&r, "near"), 1.5), "{solver}");
        assert!(close(r.plan.stages[0].value, 70_000.0), "{solver}: {}", r.plan.stages[0].value);
        if r.solved.solver == Solver::Network {
            assert_eq!(r.optimality, crate::optimise::checking::Optimality::Certified);
        }
    }
}

/// Two localities share "near" (10 places, £20k); "other" (10 places, £25k) is the next
/// best. Locality "a" has 6 children, "b" 4.
fn shared_school() -> ModelBuilder {
    ModelBuilder::new()
        .locality("a", 53.0, -2.0, true)
        .locality("b", 53.0, -2.05, true)
        .setting("near", "maintained-special", 53.01, -2.0, true, 10.0, "primary", "ASD", 20_000.0)
        .setting("other", "maintained-special", 53.02, -2.0, true, 10.0, "primary", "ASD", 25_000.0)
        .demand("a", "ASD", "primary", 6.0, RP)
        .demand("b", "ASD", "primary", 4.0, RP)
}

/// Children from locality `l` at setting `id`.
fn from_at(run: &Run, l: &str, id: &str) -> f64 {
    run.plan
        .placements
        .iter()
        .filter(|p| {
            run.model.setting(p.setting).id == id && run.model.locality(run.model.demand[p.demand].locality).id == l
        })
        .map(|p| p.children)
        .sum()
}

#[test]
fn a_locality_cap_sends_that_localitys_other_children_to_the_next_best_place() {
    // Uncapped, all 10 go to "near": £200,000. With at most 3 from "a" at "near": 3 + 4 there,
    // a's other 3 at "other": 7×20,000 + 3×25,000 = £215,000.
    let free = shared_school().build();
    for r in solve_all(&free) {
        assert!(close(at(&r, "near"), 10.0) && close(r.plan.stages[0].value, 200_000.0), "{}", r.plan.solver);
    }
    let capped = shared_school().locality_cap("near", "a", 3.0).build();
    for r in solve_all(&capped) {
        assert!(close(from_at(&r, "a", "near"), 3.0), "{}", r.plan.solver);
        assert!(close(from_at(&r, "b", "near"), 4.0) && close(from_at(&r, "a", "other"), 3.0));
        assert!(close(r.plan.stages[0].value, 215_000.0));
        assert_eq!(r.formulation.cap_rows.len(), 1);
    }
}

#[test]
fn a_locality_cap_below_the_children_staying_keeps_them_where_they_are() {
    // 5 children from "a" stay at "near", above its cap of 3: they stay, the cap rises to 5,
    // and a's sixth child goes to "other": 9×20,000 + 25,000 = £205,000.
    let mut model = shared_school().locality_cap("near", "a", 3.0).build();
    model.staying.push(crate::model::Staying { demand: 0, setting: crate::model::SettingIx(0), children: 5.0 });
    for r in solve_all(&model) {
        assert!(close(from_at(&r, "a", "near"), 5.0) && close(from_at(&r, "a", "other"), 1.0), "{}", r.plan.solver);
        assert!(close(r.plan.stages[0].value, 205_000.0));
    }
}

/// One locality; "near" has 3 ASD places at £20,000; the market sells ASD places by day 30
/// minutes away, the first 2 at £62,000 and any more at £75,000, and residential (52-week)
/// places at £150,000 with £2,000 of transport a year. Transport is otherwise free.
fn market(children: f64, phase: &str) -> Model {
    use crate::model::Residence::{Day, Weeks52};
    ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("near", "maintained-special", 53.01, -2.0, true, 3.0, "all", "ASD", 20_000.0)
        .market_step("day-1", "ASD", "all", Some(2.0), 62_000.0, 30.0, Day, None)
        .market_step("day-2", "ASD", "all", None, 75_000.0, 30.0, Day, None)
        .market_step("res-52", "ASD", "all", None, 150_000.0, 120.0, Weeks52, Some(2_000.0))
        .demand("home", "ASD", phase, children, RP)
        .build()
}

#[rstest]
// 3 children: all at "near", £60,000. 5: 3 + the 2 first market places, 60,000 + 124,000 =
// £184,000. 10: 3 + 2 + 5 at £75,000 = £559,000. Never a child unmet, and more need costs
// more at every step (the marginal child costs £20,000, then £62,000, then £75,000).
#[case(3.0, 60_000.0, 0.0, 0.0)]
#[case(5.0, 184_000.0, 2.0, 0.0)]
#[case(10.0, 559_000.0, 2.0, 5.0)]
fn market_steps_fill_cheapest_first(
    #[case] children: f64,
    #[case] optimum: f64,
    #[case] first_step: f64,
    #[case] second_step: f64,
) {
    for r in solve_all(&market(children, "primary")) {
        assert!(close(r.plan.stages[0].value, optimum), "{}: {}", r.plan.solver, r.plan.stages[0].value);
        assert!(close(at(&r, "day-1"), first_step) && close(at(&r, "day-2"), second_step));
        assert!(close(at(&r, "res-52"), 0.0) && r.plan.unmet.iter().all(|u| *u == 0.0));
        let s = r.plan.summary(&r.model);
        assert!(close(s.placed_out_of_borough, children - at(&r, "near")));
        assert!(close(s.placed_independent, first_step + second_step));
    }
}

#[test]
fn residential_places_are_the_fallback_beyond_the_journey_limit() {
    // Day places 60 minutes away: beyond primary's 45-minute limit, within secondary's 75.
    // 5 primary children: 3 at "near", 2 residential at £150,000 + £2,000 = £364,000.
    // 5 secondary: 3 at "near", 2 by day at £62,000 = £184,000.
    let mut primary = market(5.0, "primary");
    let mut secondary = market(5.0, "secondary");
    for m in [&mut primary, &mut secondary] {
        for s in &mut m.settings {
            if let Some(step) = &mut s.market
                && step.residence == crate::model::Residence::Day
            {
                step.journey.minutes = 60.0;
            }
        }
    }
    for r in solve_all(&primary) {
        assert!(close(at(&r, "res-52"), 2.0) && close(r.plan.stages[0].value, 364_000.0), "{}", r.plan.solver);
        assert!(close(r.plan.summary(&r.model).transport_cost.pounds(), 4_000.0));
    }
    for r in solve_all(&secondary) {
        assert!(close(at(&r, "day-1"), 2.0) && close(r.plan.stages[0].value, 184_000.0), "{}", r.plan.solver);
    }
}

#[test]
fn only_what_cannot_be_bought_is_unmet_and_the_gap_says_why() {
    // 2 SEMH children: "near" and the market take only ASD, so both are unmet.
    let mut model = market(3.0, "primary");
    let semh = crate::model::Need(model.needs.iter().position(|n| n == "SEMH").unwrap());
    model.demand.push(crate::model::DemandRow { need: semh, children: 2.0, ..model.demand[0].clone() });
    for r in solve_all(&model) {
        assert!(close(r.plan.unmet[1], 2.0) && close(r.plan.unmet[0], 0.0), "{}", r.plan.solver);
        let reason = crate::outputs::report::gap_reason(&r, 1);
        assert_eq!(
            reason,
            "no suitable setting within 45 minutes; the independent market offers no place for this need and phase"
        );
    }
}

#[test]
fn a_market_that_runs_out_leaves_the_rest_unmet_and_says_so() {
    // The market's second day step holds 3 places and there is no residential step: of 10
    // children, 3 + 2 + 3 are placed and 2 are unmet: 60,000 + 124,000 + 225,000 + 2 × the
    // £1,000,000 penalty.
    let mut model = market(10.0, "primary");
    model.settings.retain(|s| s.id != "res-52");
    model.settings[2].places = 3.0;
    for r in solve_all(&model) {
        assert!(close(r.plan.unmet[0], 2.0), "{}", r.plan.solver);
        assert!(close(r.plan.stages[0].value, 2_409_000.0));
        assert_eq!(
            crate::outputs::report::gap_reason(&r, 0),
            "suitable places within reach are full; the places the independent market offers for it are all bought"
        );
    }
}
