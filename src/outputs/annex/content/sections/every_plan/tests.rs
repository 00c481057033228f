//! The whole caseload's tables on a tiny model with a setting of every type, counted by hand.

use super::{Stage, TYPES};
use crate::model::{Model, Provision, SchoolYear, SettingKind};
use crate::optimise::solve::Solver;
use crate::outputs::annex::content::Inputs;
use crate::outputs::annex::{Annex, Table};
use crate::planning::horizon::YearRun;
use crate::testing::ModelBuilder;

/// One locality; a setting of every type with room for its tier's children, each cheaper
/// than the tier above, so that the plan places every child at its own tier.
fn every_tier() -> Model {
    let at = |b: ModelBuilder, id: &str, kind: &str, places: f64, phase: &str, cost: f64| {
        b.setting(id, kind, 53.0, -2.0, true, places, phase, "ASD", cost)
    };
    let mut b = ModelBuilder::new().locality("home", 53.0, -2.0, true);
    b = at(b, "pool", "mainstream", 10.0, "primary", 5_000.0);
    b = at(b, "base", "inclusion-base", 6.0, "primary", 8_000.0);
    b = at(b, "unit", "resourced-provision", 5.0, "primary", 15_000.0);
    b = at(b, "special", "maintained-special", 8.0, "primary", 20_000.0);
    b = at(b, "indep", "independent-special", 10.0, "secondary", 50_000.0);
    b = at(b, "sp16", "specialist-post-16", 4.0, "post-16", 40_000.0);
    b = at(b, "pru", "alternative-provision", 5.0, "secondary", 18_000.0);
    b = at(b, "college", "general-fe", 20.0, "post-16", 6_000.0);
    b = at(b, "nursery", "early-years", 5.0, "early-years", 4_000.0);
    b = at(b, "eotas", "other-arrangements", 5.0, "secondary", 3_000.0);
    b.demand("home", "ASD", "primary", 7.0, Provision::Mainstream)
        .demand("home", "ASD", "primary", 6.0, Provision::InclusionBase)
        .demand("home", "ASD", "primary", 5.0, Provision::ResourcedProvision)
        .demand("home", "ASD", "primary", 8.0, Provision::SpecialSchool)
        .demand("home", "ASD", "secondary", 3.0, Provision::SpecialSchool)
        .demand("home", "ASD", "post-16", 4.0, Provision::SpecialSchool)
        .demand("home", "ASD", "secondary", 2.0, Provision::AlternativeProvision)
        .demand("home", "ASD", "post-16", 9.0, Provision::Mainstream)
        .demand("home", "ASD", "early-years", 3.0, Provision::Mainstream)
        .demand("home", "ASD", "secondary", 1.0, Provision::Elsewhere)
        .build()
}

fn annex_of(model: &Model) -> Annex {
    annex_with(model, None)
}

fn annex_with(model: &Model, threshold: Option<f64>) -> Annex {
    let run = crate::optimise::run::run(model.clone(), Solver::Network).expect("solves");
    let years = [YearRun { year: SchoolYear(2025), run, staying: 0.0, moved_by_cuts: 0.0 }];
    Annex::build(&Inputs {
        model,
        years: &years,
        schemes: None,
        commissioning: None,
        threshold,
        produced: "2026-01-01".into(),
        command: "test".into(),
        bands: Vec::new(),
        risk: None,
    })
}

fn grid(a: &Annex, id: &str) -> Vec<Vec<String>> {
    let t: &Table = a.tables().find(|t| t.id == id).unwrap_or_else(|| panic!("no table {id}"));
    t.csv().rows
}

fn rows(g: &[Vec<String>]) -> Vec<(String, String)> {
    g.iter().map(|r| (r[0].clone(), r[r.len() - 1].clone())).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(a, b)| ((*a).to_string(), (*b).to_string())).collect()
}

#[test]
fn every_kind_of_setting_is_in_one_type() {
    for kind in SettingKind::ALL {
        let n = TYPES.iter().filter(|t| t.kinds.contains(&kind)).count();
        assert_eq!(n, 1, "{kind:?}");
    }
}

#[test]
fn every_plan_is_counted_by_type_of_setting_stage_and_tier() {
    let a = annex_of(&every_tier());
    let by_type = grid(&a, "every-plan-by-setting-type");
    assert_eq!(
        rows(&by_type),
        pairs(&[
            ("Mainstream school with support", "7"),
            ("Inclusion base (enhanced mainstream)", "6"),
            ("Resourced provision or SEN unit", "5"),
            ("State special school (the council's, an academy or another authority's)", "8"),
            ("Independent or non-maintained special school", "3"),
            ("Specialist post-16 institution", "4"),
            ("Alternative provision", "2"),
            ("Further education college", "9"),
            ("Early years setting", "3"),
            ("Educated elsewhere (other arrangements)", "1"),
            ("All EHC plans", "48"),
        ])
    );
    // By need: the one need (ASD) and all needs agree with the types.
    let by_need = grid(&a, "plans-by-setting-need-2025-26");
    assert_eq!(by_need.len(), by_type.len());
    for (n, t) in by_need.iter().zip(&by_type) {
        assert_eq!(n[0], t[0]);
        assert_eq!(n[n.len() - 1], t[t.len() - 1]);
    }
    assert_eq!(
        rows(&grid(&a, "post-16-by-setting-type")),
        pairs(&[
            ("Specialist post-16 institution", "4"),
            ("Further education college", "9"),
            ("All in the post-16 phase", "13"),
        ])
    );
    assert_eq!(
        rows(&grid(&a, "early-years-by-setting-type")),
        pairs(&[("Early years setting", "3"), ("All in the early years", "3")])
    );
    // No phase of years 15 and over: no post-19 table.
    assert!(a.tables().all(|t| t.id != "post-19-by-setting-type"));
    // Places, children, spare places and shortfall for mainstream, inclusion bases and AP.
    let inclusion = grid(&a, "inclusion-and-ap-places");
    assert_eq!(inclusion[0], ["2025/26", "10", "7", "3", "0", "6", "6", "0", "0", "5", "2", "3", "0"]);
    let ids: Vec<&str> = a.sections.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.contains(&"every-plan") && ids.contains(&"post-16") && ids.contains(&"early-years"), "{ids:?}");
}

#[test]
fn a_tier_short_of_places_shows_its_shortfall() {
    // The inclusion base has 4 places for 6 children: 2 go to the resourced provision's
    // spare places (a higher tier).
    let mut model = every_tier();
    let base = model.settings.iter().position(|s| s.id == "base").unwrap();
    model.settings[base].places = 4.0;
    let unit = model.settings.iter().position(|s| s.id == "unit").unwrap();
    model.settings[unit].places = 7.0;
    let a = annex_of(&model);
    let inclusion = grid(&a, "inclusion-and-ap-places");
    assert_eq!(inclusion[0][5..9], ["4", "4", "0", "2"]);
}

#[test]
fn a_specialist_model_has_none_of_the_whole_caseloads_sections() {
    let model = crate::testing::tiny_model();
    assert!(!model.holds_every_plan());
    let a = annex_of(&model);
    for id in ["every-plan", "post-16", "early-years"] {
        assert!(a.sections.iter().all(|s| s.id != id), "{id}");
    }
}

#[test]
fn stages_follow_the_phases_year_groups() {
    let mut model = every_tier();
    let stages: Vec<Stage> = (0..model.phases.len()).map(|p| Stage::of(&model, p)).collect();
    assert_eq!(stages, [Stage::EarlyYears, Stage::School, Stage::School, Stage::Post16]);
    // A phase named otherwise is placed by its year groups when the model has years ahead.
    model.phases[3].code = "sixth-form".into();
    assert_eq!(Stage::of(&model, 3), Stage::School, "no year groups: by its code");
    model.phases.push(crate::model::PhaseInfo { code: "post-19".into(), max_journey_minutes: 75.0 });
    assert_eq!(Stage::of(&model, 4), Stage::Post19);
}

#[test]
fn a_withheld_count_of_a_stage_cannot_be_worked_out_from_the_types_totals() {
    // Post-16: 4 at the specialist post-16 institution (withheld, under 5) and 9 at the
    // college. Colleges take only post-16 students (the settings table says so), so the
    // college's total in the table of every plan is its post-16 count: with the post-16
    // total, it would give away the 4 unless one of them is withheld too.
    let a = annex_with(&every_tier(), Some(5.0));
    let by_type = grid(&a, "every-plan-by-setting-type");
    let post16 = grid(&a, "post-16-by-setting-type");
    let value = |g: &[Vec<String>], name: &str| g.iter().find(|r| r[0] == name).map(|r| r[1].clone());
    assert_eq!(value(&post16, "Specialist post-16 institution").as_deref(), Some("c"));
    // What a reader knows of each post-16 row: as shown, or the type's total where only
    // post-16 settings are of that type.
    let only_post16 = ["Specialist post-16 institution", "Further education college"];
    let mut unknown = 0;
    for row in &post16[..post16.len() - 1] {
        let known = if row[1] == "c" && only_post16.contains(&row[0].as_str()) {
            value(&by_type, &row[0]).filter(|v| v != "c")
        } else {
            (row[1] != "c").then(|| row[1].clone())
        };
        unknown += usize::from(known.is_none());
    }
    let total_shown = post16.last().unwrap()[1] != "c";
    assert!(unknown != 1 || !total_shown, "{post16:?} {by_type:?}");
}
