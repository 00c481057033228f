//! The SCAP return on tiny models worked by hand.

use super::*;
use crate::model::Provision;
use crate::testing::ModelBuilder;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Eight settings, four of them in the return (64 places):
///   special-primary   maintained special, primary, in the borough     20  Special school, Primary
///   special-through   academy special, primary;secondary, in          30  Special school, All-through
///   hearing           resourced, "Oak High hearing unit", sec;post-16  8  SEN unit, Secondary
///   base              resourced, "Elm Primary base", early-years;pri   6  Resourced provision, Primary
/// and out: an independent school in the borough (10), another authority's school (5), a
/// maintained special school outside the borough (12), a specialist post-16 college in (9).
fn borough() -> ModelBuilder {
    ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .locality("away", 53.5, -2.5, false)
        .setting("special-primary", "maintained-special", 53.0, -2.0, true, 20.0, "primary", "all", 20_000.0)
        .setting("special-through", "academy-special", 53.0, -2.0, true, 30.0, "primary;secondary", "all", 20_000.0)
        .setting("hearing", "resourced-provision", 53.0, -2.0, true, 8.0, "secondary;post-16", "HI", 15_000.0)
        .setting("base", "resourced-provision", 53.0, -2.0, true, 6.0, "early-years;primary", "ASD", 15_000.0)
        .setting("independent", "independent-special", 53.0, -2.0, true, 10.0, "all", "all", 60_000.0)
        .setting("other-la", "other-authority-special", 53.5, -2.5, false, 5.0, "all", "all", 25_000.0)
        .setting("outside", "maintained-special", 53.5, -2.5, false, 12.0, "all", "all", 25_000.0)
        .setting("college", "specialist-post-16", 53.0, -2.0, true, 9.0, "post-16", "all", 30_000.0)
}

fn named(mut model: Model) -> Model {
    model.settings[2].name = "Oak High hearing unit".into();
    model.settings[3].name = "Elm Primary base".into();
    model.settings[0].register.urn = Some("111111".into());
    model
}

#[test]
fn the_capacity_lists_the_state_funded_special_schools_and_units_of_the_borough_by_hand() {
    let model = named(borough().build());
    let places: Vec<f64> = model.settings.iter().map(|s| s.places).collect();
    let rows = capacity(&model, &places);
    let line = |ix: usize| rows.iter().find(|r| r.setting == SettingIx(ix)).expect("in the return");
    assert_eq!(rows.len(), 4);
    assert!(close(rows.iter().map(|r| r.capacity).sum(), 64.0));

    let a = line(0);
    assert_eq!((a.provision_type, a.school_phase), (ProvisionType::SpecialSchool, "Primary"));
    assert_eq!((a.primary_capacity, a.secondary_capacity), (Some(20.0), None));
    assert!(!a.notes.iter().any(|n| n.contains("URN")), "{:?}", a.notes);

    let b = line(1);
    assert_eq!((b.provision_type, b.school_phase), (ProvisionType::SpecialSchool, "All-through"));
    assert_eq!((b.capacity, b.primary_capacity, b.secondary_capacity), (30.0, None, None));
    assert!(b.notes.iter().any(|n| n.contains("no URN")));

    // Post-16 places of secondary provision are in its secondary capacity.
    let c = line(2);
    assert_eq!((c.provision_type, c.school_phase), (ProvisionType::SenUnit, "Secondary"));
    assert_eq!((c.primary_capacity, c.secondary_capacity), (None, Some(8.0)));
    assert!(c.notes.iter().any(|n| n.contains("post-16")));

    // Nursery places are not told apart: all 6 counted, as primary.
    let d = line(3);
    assert_eq!((d.provision_type, d.school_phase), (ProvisionType::ResourcedProvision, "Primary"));
    assert_eq!(d.primary_capacity, Some(6.0));
    assert!(d.notes.iter().any(|n| n.contains("nursery")));
}

#[test]
fn a_unit_is_told_by_the_word_unit_in_its_name() {
    assert!(named_unit("Dean Row Academy hearing unit"));
    assert!(named_unit("Language Unit (KS2)"));
    assert!(!named_unit("Unity Primary resource base"));
    assert!(!named_unit("Community High learning base"));
}

#[test]
fn the_forecast_counts_resident_children_by_year_phase_and_year_group_by_hand() {
    // Base year 2025/26: home has 10 in year 6 and 4 in year 11; away (outside the borough)
    // 5 in year 6. No new plans; 10% leave after year 6, half after year 11.
    //   2025/26: home primary Y6 10, secondary Y11 4            (away: 5 left out)
    //   2026/27: home secondary Y7 9, post-16 Y12 2             (away: 4.5 left out)
    let model = borough()
        .horizon(
            2,
            &[("home", "ASD", 6, 10.0), ("home", "ASD", 11, 4.0), ("away", "ASD", 6, 5.0)],
            &[("ASD", 6, 0.0, 0.1, 0.0), ("ASD", 11, 0.0, 0.5, 0.0)],
        )
        .build();
    let r = scap_return(&model).expect("adds up");
    type Line<'a> = (u16, &'a str, Option<ScapPhase>, Option<i8>, f64);
    let got: Vec<Line> = r
        .forecast
        .iter()
        .map(|f| (f.year.0, model.phase_code(f.phase), f.scap_phase, f.nc_year.map(|y| y.0), f.pupils))
        .collect();
    assert_eq!(
        got,
        vec![
            (2025, "primary", Some(ScapPhase::Primary), Some(6), 10.0),
            (2025, "secondary", Some(ScapPhase::Secondary), Some(11), 4.0),
            (2026, "secondary", Some(ScapPhase::Secondary), Some(7), 9.0),
            (2026, "post-16", Some(ScapPhase::Post16), Some(12), 2.0),
        ]
    );
    assert!(close(r.not_resident, 9.5), "{}", r.not_resident);
    assert_eq!(r.base_year, SchoolYear(2025));
    assert!(close(r.total_capacity(), 64.0));
}

#[test]
fn a_one_year_model_is_forecast_by_phase_without_year_groups() {
    let model = borough()
        .demand("home", "ASD", "primary", 3.0, Provision::ResourcedProvision)
        .demand("home", "SLD", "primary", 2.5, Provision::SpecialSchool)
        .demand("home", "SEMH", "post-16", 1.0, Provision::SpecialSchool)
        .demand("away", "ASD", "primary", 7.0, Provision::SpecialSchool)
        // Plans met in mainstream, a base, alternative provision or other arrangements are
        // not need for a specialist place: not in the return.
        .demand("home", "ASD", "secondary", 9.0, Provision::Mainstream)
        .demand("home", "SEMH", "primary", 4.0, Provision::InclusionBase)
        .demand("home", "SEMH", "secondary", 2.0, Provision::AlternativeProvision)
        .demand("home", "MLD", "primary", 1.0, Provision::Elsewhere)
        .build();
    let r = scap_return(&model).expect("adds up");
    let got: Vec<(&str, Option<i8>, f64)> =
        r.forecast.iter().map(|f| (model.phase_code(f.phase), f.nc_year.map(|y| y.0), f.pupils)).collect();
    assert_eq!(got, vec![("primary", None, 5.5), ("post-16", None, 1.0)]);
    assert!(close(r.not_resident, 7.0));
    assert_eq!(r.forecast[1].scap_phase, Some(ScapPhase::Post16));
}

#[test]
fn the_check_names_the_year_and_phase_that_differ_from_the_plan() {
    let model = borough().demand("home", "ASD", "primary", 3.0, Provision::ResourcedProvision).build();
    let years = forecast::years(&model);
    let mut rows = forecast_rows(&model);
    let places = &years[0].places;
    let cap = capacity(&model, places);
    assert!(check(&model, &years, &cap, &rows).0.is_empty());
    rows[0].pupils += 1.0;
    let (problems, _) = check(&model, &years, &cap, &rows);
    assert_eq!(problems, ["forecast 2025/26 primary: the return has 4.000 pupils, the plan's need is 3.000"]);
    // A capacity line lost is caught too.
    let (problems, _) = check(&model, &years, &cap[1..], &forecast_rows(&model));
    assert!(problems[0].starts_with("capacity: the return has 44 places"), "{problems:?}");
}

#[test]
fn a_phase_of_the_horizon_is_named_by_its_year_groups() {
    let g = |a: i8, b: i8| ScapPhase::of_year_groups(YearGroup(a), YearGroup(b));
    assert_eq!(g(-2, -1), Some(ScapPhase::EarlyYears));
    assert_eq!(g(0, 6), Some(ScapPhase::Primary));
    assert_eq!(g(7, 11), Some(ScapPhase::Secondary));
    assert_eq!(g(12, 14), Some(ScapPhase::Post16));
    // A phase across the primary and secondary years has no one SCAP name.
    assert_eq!(g(5, 8), None);
}
