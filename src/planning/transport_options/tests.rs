//! Transport options appraised against plans written by hand: each kind's saving worked out
//! as eligible children × take-up × (cost before − cost after) a child.

use super::*;
use crate::model::{CodeSet, Journey, KM_PER_MILE, Model, Provision, SettingIx, TransportKind, TransportOption};
use crate::optimise::plan::Placement;
use crate::testing::ModelBuilder;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Transport costs £1,000 a child plus £1 a km of each journey, 2 journeys a day, 190 days:
/// 1,000 + 380 × km a year. Demand: 0 ASD secondary, 1 SEMH primary, 2 ASD secondary.
/// Settings: 0 a special school, 1 a mainstream school where half the children are
/// transported, 2 a residential step of the market (£3,000 a year of journeys home).
fn model(options: Vec<TransportOption>) -> Model {
    let mut m = ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("special", "maintained-special", 53.1, -2.0, true, 50.0, "all", "all", 20_000.0)
        .setting("mainstream", "mainstream", 53.05, -2.0, true, 50.0, "all", "all", 6_000.0)
        .market_step("res", "all", "all", None, 160_000.0, 90.0, crate::model::Residence::Weeks52, Some(3_000.0))
        .demand("home", "ASD", "secondary", 12.0, Provision::SpecialSchool)
        .demand("home", "SEMH", "primary", 4.0, Provision::SpecialSchool)
        .demand("home", "ASD", "secondary", 2.0, Provision::SpecialSchool)
        .transport(1_000.0, 1.0)
        .build();
    m.policy.share_transported.set(crate::model::SettingKind::Mainstream, 0.5);
    m.transport_options = options;
    m
}

/// 6 ASD secondary at the special school 20 km away (£8,600 each a year), 4 at the mainstream
/// school 5 km away (£2,900 each, half of them transported: 2), 4 SEMH primary at the special
/// school 10 km away (£4,800 each), 2 ASD secondary at the residential step (left out).
fn plan() -> Plan {
    let at = |demand: usize, setting: usize, children: f64, km: f64| Placement {
        demand,
        setting: SettingIx(setting),
        children,
        journey: Journey { minutes: km, km },
        staying: 0.0,
    };
    Plan {
        placements: vec![at(0, 0, 6.0, 20.0), at(0, 1, 4.0, 5.0), at(1, 0, 4.0, 10.0), at(2, 2, 2.0, 90.0)],
        unmet: vec![0.0; 3],
        stages: Vec::new(),
        solver: "by hand",
    }
}

fn option(m: &Model, kind: TransportKind, needs: &[&str], phases: &[&str], take_up: f64) -> TransportOption {
    let set = |codes: &[&str], all: &[String]| {
        let mut s = CodeSet::default();
        for c in codes {
            s.insert(all.iter().position(|x| x == c).unwrap());
        }
        if codes.is_empty() { CodeSet::all(all.len()) } else { s }
    };
    let phase_codes: Vec<String> = m.phases.iter().map(|p| p.code.clone()).collect();
    TransportOption {
        id: kind.code().into(),
        name: kind.code().into(),
        kind,
        needs: set(needs, &m.needs),
        phases: set(phases, &phase_codes),
        take_up,
    }
}

fn appraised(kind: TransportKind, needs: &[&str], phases: &[&str], take_up: f64) -> TransportAppraisal {
    let blank = model(Vec::new());
    let m = model(vec![option(&blank, kind, needs, phases, take_up)]);
    let a = appraise(&m, &plan());
    assert_eq!(a.len(), 1);
    a[0].clone()
}

#[test]
fn travel_training_saves_the_journey_less_its_cost_spread_over_the_years_it_lasts() {
    // ASD secondary by day: 6 at the special school and 4 × 0.5 = 2 transported from
    // mainstream, 8 eligible (the 2 residential left out); half take it: 3 + 1.
    // Before: 3 × 8,600 + 1 × 2,900 = 28,700. After: £3,000 over 3 years = £1,000 each: 4,000.
    let kind = TransportKind::TravelTraining { cost_per_child: Money(3_000.0), lasts_years: 3.0 };
    let a = appraised(kind, &["ASD"], &["secondary"], 0.5);
    assert!(close(a.eligible, 8.0) && close(a.taking, 4.0), "{a:?}");
    assert!(close(a.before.0, 28_700.0) && close(a.after.0, 4_000.0), "{a:?}");
    assert!(close(a.saving().0, 24_700.0));
    assert!(close(a.taking * (a.before_each().0 - a.after_each().0), a.saving().0));
}

#[test]
fn a_personal_budget_pays_by_the_mile_of_each_journey_instead_of_the_transport() {
    // Every need and phase by day: 6 + 2 + 4 = 12 eligible; a quarter take it: 1.5 at 20 km,
    // 0.5 at 5 km, 1 at 10 km. Before: 1.5 × 8,600 + 0.5 × 2,900 + 1 × 4,800 = 19,150.
    // After: £0.90 a mile × 2 journeys × 190 days = £342 a mile of the journey each way a
    // year, over 1.5 × 20 + 0.5 × 5 + 1 × 10 = 42.5 km ÷ 1.609344 km a mile.
    let a = appraised(TransportKind::PersonalBudget { per_mile: Money(0.9) }, &[], &[], 0.25);
    assert!(close(a.eligible, 12.0) && close(a.taking, 3.0), "{a:?}");
    assert!(close(a.before.0, 19_150.0), "{a:?}");
    assert!(close(a.after.0, 342.0 * 42.5 / KM_PER_MILE), "{a:?}");
    assert!(close(a.saving().0, 19_150.0 - 342.0 * 42.5 / 1.609_344));
}

#[test]
fn a_shared_route_takes_its_share_off_the_transport() {
    // SEMH primary: 4 eligible, all take it; before 4 × 4,800 = 19,200; after 70% of it.
    let a = appraised(TransportKind::SharedRoute { saving_share: 0.3 }, &["SEMH"], &["primary"], 1.0);
    assert!(close(a.eligible, 4.0) && close(a.taking, 4.0), "{a:?}");
    assert!(close(a.before.0, 19_200.0) && close(a.after.0, 13_440.0), "{a:?}");
    assert!(close(a.saving().0, 5_760.0));
}

#[test]
fn an_option_for_children_not_placed_serves_no_one_and_saves_nothing() {
    let a = appraised(TransportKind::SharedRoute { saving_share: 0.5 }, &["SLCN"], &[], 1.0);
    assert_eq!((a.eligible, a.taking, a.before, a.after), (0.0, 0.0, Money(0.0), Money(0.0)));
    // Nobody takes it: the mean a child is 0, not a division by zero.
    assert_eq!(a.before_each(), Money(0.0));
}

#[test]
fn each_option_is_appraised_on_its_own_against_the_same_plan() {
    // Two options for the same SEMH primary children: each is appraised as if alone (the
    // same before), so their savings are alternatives, not a sum.
    let blank = model(Vec::new());
    let shared = option(&blank, TransportKind::SharedRoute { saving_share: 0.3 }, &["SEMH"], &["primary"], 1.0);
    let training = option(
        &blank,
        TransportKind::TravelTraining { cost_per_child: Money(2_000.0), lasts_years: 2.0 },
        &["SEMH"],
        &["primary"],
        1.0,
    );
    let a = appraise(&model(vec![shared, training]), &plan());
    assert_eq!(a.iter().map(|a| a.option).collect::<Vec<_>>(), [0, 1]);
    assert!(close(a[0].before.0, 19_200.0) && close(a[1].before.0, 19_200.0));
    assert!(close(a[1].after.0, 4_000.0), "{:?}", a[1]);
}

#[test]
fn a_years_option_terms_rise_with_transport() {
    // [uplift] transport 10%: two years on, £ terms × 1.21; a share stays a share.
    let kind = TransportKind::TravelTraining { cost_per_child: Money(3_000.0), lasts_years: 3.0 };
    let blank = model(Vec::new());
    let raised = option(&blank, kind, &[], &[], 0.5).raised(1.1_f64.powi(2));
    assert!(matches!(raised.kind, TransportKind::TravelTraining { cost_per_child, lasts_years }
        if close(cost_per_child.0, 3_630.0) && lasts_years == 3.0));
    let shared = option(&blank, TransportKind::SharedRoute { saving_share: 0.3 }, &[], &[], 0.5).raised(1.21);
    assert_eq!(shared.kind, TransportKind::SharedRoute { saving_share: 0.3 });
}
