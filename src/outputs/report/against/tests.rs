//! Tests of the comparisons with the DfE's published figures.

use super::*;
use crate::model::SettingKind;

#[rstest::rstest]
#[case("Special school", "LA maintained special school", Some(Group::StateSpecial))]
#[case("Special school", "Academy/free special school", Some(Group::StateSpecial))]
#[case("Independent school", "Independent special school", Some(Group::IndependentSpecial))]
#[case("Special school", "Non-maintained special school", Some(Group::IndependentSpecial))]
#[case("Mainstream school", "Resourced provision", Some(Group::ResourcedProvision))]
#[case("Mainstream school", "SEN unit", Some(Group::ResourcedProvision))]
#[case("Further education", "Specialist post-16 institution", Some(Group::SpecialistPost16))]
#[case("Mainstream school", "LA maintained mainstream school", None)]
#[case("Further education", "General FE and tertiary college", None)]
#[case("Alternative provision", "Pupil referral unit", None)]
#[case("Other", "Educated elsewhere", None)]
// The 2023 and 2024 releases' spellings (DFE-Digital/education-benchmarking-and-insights,
// data-pipeline/src/pipeline/input_schemas.py, la_sen2_eval).
#[case("Mainstream school", "Mainstream - LA maintained", None)]
#[case("Mainstream school", "Mainstream - Academy", None)]
#[case("Mainstream school", "Mainstream - Free school", None)]
#[case("Mainstream school", "Mainstream - Independent", None)]
#[case("Mainstream school", "Mainstream - Academy - Resourced Provision", Some(Group::ResourcedProvision))]
#[case("Mainstream school", "Mainstream - Academy - SEN unit", Some(Group::ResourcedProvision))]
#[case("Mainstream school", "Mainstream - Free school - Resourced provision", Some(Group::ResourcedProvision))]
#[case("Mainstream school", "Mainstream - LA maintained - SEN unit", Some(Group::ResourcedProvision))]
#[case("Special school", "Special - LA maintained", Some(Group::StateSpecial))]
#[case("Special school", "Special - Academy/free", Some(Group::StateSpecial))]
#[case("Special school", "Special - Academy", Some(Group::StateSpecial))]
#[case("Special school", "Special - Free school", Some(Group::StateSpecial))]
#[case("Special school", "Special - Independent", Some(Group::IndependentSpecial))]
#[case("Special school", "Special - Non-maintained", Some(Group::IndependentSpecial))]
#[case("Special school", "Hospital School", None)]
#[case("Alternative provision/Pupil referral unit", "AP/PRU - LA maintained", None)]
#[case("Further education", "General FE and tertiary colleges/HE", None)]
#[case("Further education", "Specialist post-16 institutions", Some(Group::SpecialistPost16))]
#[case("Further education", "Independent specialist providers", Some(Group::SpecialistPost16))]
#[case("Further education", "Sixth form college", None)]
#[case("Further education", "UKRLP provider", None)]
#[case("Non-maintained early years", "Non-maintained early years", None)]
#[case("Educated elsewhere", "Elective home education", None)]
#[case("NEET", "NEET", None)]
#[case("Unknown", "Unknown", None)]
fn establishment_types_map_to_groups(#[case] group: &str, #[case] ty: &str, #[case] to: Option<Group>) {
    assert_eq!(Group::of_type(group, ty), to);
}

/// Every column the 2025 layout is read by has the group its name says.
#[test]
fn the_2025_columns_map_to_groups() {
    use crate::model::input::sen2::WIDE_COLUMNS;
    for (column, group, name) in WIDE_COLUMNS {
        let want = if column.contains("resourced_provision") || column.contains("senunit") {
            Some(Group::ResourcedProvision)
        } else if column == "specialist_post_16_institutions" {
            Some(Group::SpecialistPost16)
        } else if column == "special_independent" || column == "special_non_maintained" {
            Some(Group::IndependentSpecial)
        } else if column.starts_with("special_") {
            Some(Group::StateSpecial)
        } else {
            None
        };
        assert_eq!(Group::of_type(group, name), want, "{column}");
    }
}

/// Every column of the 2025 layout has the line of every plan its name says, by the column
/// names (a different reading from the labels `Setting::of_type` reads).
#[test]
fn the_2025_columns_map_to_lines_of_every_plan() {
    use crate::model::input::sen2::WIDE_COLUMNS;
    for (column, group, name) in WIDE_COLUMNS {
        let want = if column.contains("resourced_provision") || column.contains("senunit") {
            Setting::ResourcedProvision
        } else if column.starts_with("mainstream_") {
            Setting::Mainstream
        } else if column == "special_independent" || column == "special_non_maintained" {
            Setting::IndependentSpecial
        } else if column.starts_with("special_") {
            Setting::StateSpecial
        } else if column.starts_with("ap_pru_") {
            Setting::AlternativeProvision
        } else if ["general_fe_tertiary_colleges", "specialist_post_16_institutions", "ukrlp_provider"]
            .contains(&column)
        {
            Setting::FurtherEducation
        } else if column == "ed_elsewhere" {
            Setting::Elsewhere
        } else if column == "nm_early_years" {
            Setting::EarlyYears
        } else {
            assert_eq!(column, "placement_unknown");
            Setting::NotRecorded
        };
        assert_eq!(Setting::of_type(group, name), want, "{column}");
    }
}

#[rstest::rstest]
// The 2023 and 2024 releases' spellings.
#[case("Mainstream school", "Mainstream - Academy", Setting::Mainstream)]
#[case("Mainstream school", "Mainstream - Academy - SEN unit", Setting::ResourcedProvision)]
#[case("Special school", "Special - Non-maintained", Setting::IndependentSpecial)]
#[case("Special school", "Hospital School", Setting::Elsewhere)]
#[case("Alternative provision/Pupil referral unit", "AP/PRU - LA maintained", Setting::AlternativeProvision)]
#[case("Further education", "Other FE", Setting::FurtherEducation)]
#[case("Further education", "Specialist post-16 institutions", Setting::FurtherEducation)]
#[case("Educated elsewhere", "Elective home education", Setting::Elsewhere)]
#[case("Educated elsewhere", "Other arrangements by local authority", Setting::Elsewhere)]
#[case("Non-maintained early years", "Non-maintained early years", Setting::EarlyYears)]
#[case("Placement not recorded", "Not recorded", Setting::NotRecorded)]
fn establishment_types_map_to_lines_of_every_plan(#[case] group: &str, #[case] ty: &str, #[case] to: Setting) {
    assert_eq!(Setting::of_type(group, ty), to);
}

#[test]
fn every_kind_has_a_line_of_every_plan() {
    use std::collections::BTreeSet;
    let lines: BTreeSet<usize> = SettingKind::ALL
        .into_iter()
        .map(|k| Setting::ALL.iter().position(|s| *s == Setting::of_kind(k)).unwrap())
        .collect();
    // Every line but "placement not recorded" holds a kind of the model.
    assert_eq!(lines.len(), Setting::ALL.len() - 1);
    assert_eq!(Setting::of_kind(SettingKind::InclusionBase), Setting::Mainstream);
    assert_eq!(Setting::of_kind(SettingKind::SpecialistPost16), Setting::FurtherEducation);
}

#[test]
fn every_kind_has_a_group() {
    // Every specialist kind has a group; the others are left out of this comparison.
    for kind in SettingKind::ALL {
        assert_eq!(Group::of_kind(kind).is_some(), kind.is_specialist(), "{kind:?}");
    }
    assert_eq!(Group::of_kind(SettingKind::OtherAuthoritySpecial), Some(Group::StateSpecial));
    assert_eq!(Group::of_kind(SettingKind::IndependentMarket), Some(Group::IndependentSpecial));
}

/// The tiny test models and the real excerpts of tests/fixtures (their figures read off
/// the files by hand: tests/fixtures/sen2/README.md).
fn tiny(name: &str) -> Model {
    crate::model::input::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny").join(name))
        .unwrap()
}

fn published(file: &str, la: &str) -> crate::model::input::sen2::Against {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sen2").join(file);
    crate::model::input::sen2::read_all(&[path], Some(la), "", 2026, "--la").unwrap()
}

/// Cheshire East's specialist need mix, January 2025: the detail rows of the four groups
/// (Special - LA maintained, academy/free, independent, non-maintained; academy and LA
/// maintained resourced provision, academy SEN unit; FE specialist post-16), summed by
/// hand with awk: 1,553 plans, ASD 427, SEMH 412, ... Beside the tiny model's 3 ASD and
/// 4 SEMH children placed in its base year.
#[test]
fn the_need_mix_is_the_specialist_detail_rows_beside_the_children_placed() {
    let (_, mix) = published("real_sen_needs_all_plans_2025.csv", "895").needs.unwrap();
    let c = need_mix(&tiny("horizon.toml"), &mix);
    assert_eq!(c.basis, Basis::Placed);
    let want = [
        ("ASD", 3.0, 427.0),
        ("SEMH", 4.0, 412.0),
        ("SLCN", 0.0, 298.0),
        ("MLD", 0.0, 149.0),
        ("SLD", 0.0, 113.0),
        ("PMLD", 0.0, 19.0),
        ("SpLD", 0.0, 6.0),
        ("HI", 0.0, 21.0),
        ("VI", 0.0, 8.0),
        ("MSI", 0.0, 19.0),
        ("PD", 0.0, 38.0),
        ("OTH", 0.0, 43.0),
    ];
    for (row, (code, m, p)) in c.rows.iter().zip(want) {
        assert_eq!((row.code.as_str(), row.model, row.published), (code, Some(m), Some(p)));
    }
    assert_eq!((c.rows[12].code.as_str(), c.rows[12].model, c.rows[12].published), ("", None, Some(0.0)));
    assert_eq!((c.model_total(), c.published_total()), (7.0, Some(1553.0)));
    assert_eq!(c.summed.len(), 8);
    assert!(c.summed.iter().all(|(p, _)| !p.contains("total")));
    let text = need_mix_report(&tiny("horizon.toml"), &mix, "needs.csv");
    assert!(text.contains("Model: children placed in the base year (current_placements), by need."), "{text}");
    let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(squeezed.contains("ASD Autistic spectrum disorder 3.0 42.9% 427.0 27.5% -424.0 -99.3%"), "{text}");
    // A model without placements is compared by its demand: 7 ASD, 6 SEMH, 2.5 SLCN.
    let c = need_mix(&tiny("model.toml"), &mix);
    assert_eq!(c.basis, Basis::Need);
    assert_eq!((c.rows[0].model, c.rows[1].model, c.rows[2].model), (Some(7.0), Some(6.0), Some(2.5)));
}

/// Cheshire West and Chester's specialist plans by age, January 2025 (the four groups'
/// columns of the rows by age, summed by hand with awk): age 3: 2; 4 to 10: 69, 70, 77,
/// 77, 65, 72, 74 (504); 11 to 15: 172, 149, 147, 133, 131 (732); 16 to 18: 65, 44, 21
/// (130); 19 and over: 12, 2, 1, 1, 1, 1, 0 (18).
#[test]
fn ages_compare_by_phase_band_and_by_year_group() {
    let read = published("real_caseload_2025.csv", "896");
    let ages_read = read.ages.unwrap();
    let c = ages(&tiny("horizon.toml"), &ages_read);
    assert_eq!(c.basis, Basis::Placed);
    let bands: Vec<(Option<f64>, Option<f64>)> = c.bands.iter().map(|l| (l.model, l.published)).collect();
    assert_eq!(
        bands,
        vec![
            (Some(0.0), Some(2.0)),
            (Some(3.0), Some(504.0)),
            (Some(4.0), Some(732.0)),
            (Some(0.0), Some(130.0)),
            (None, Some(18.0))
        ]
    );
    // The bands add up to the specialist groups of the caseload's All EHC plans row.
    let (_, caseload) = read.caseload.unwrap();
    let specialist: f64 = caseload
        .types
        .iter()
        .filter(|p| Group::of_type(&p.group, &p.establishment_type).is_some())
        .filter_map(|p| p.children)
        .sum();
    assert_eq!(specialist, 2.0 + 504.0 + 732.0 + 130.0 + 18.0);
    // under 3 and ages 3 to 18, then 19 and over; year 2 is age 6, year 9 age 13.
    assert_eq!(c.by_age.len(), 18);
    let line = |name: &str| c.by_age.iter().find(|l| l.name == name).map(|l| (l.model, l.published));
    assert_eq!(line("age 6 (year 2)"), Some((Some(3.0), Some(77.0))));
    assert_eq!(line("age 13 (year 9)"), Some((Some(4.0), Some(147.0))));
    assert_eq!(line("under 3 (year N1)"), Some((Some(0.0), Some(0.0))));
    assert_eq!(line("19 and over"), Some((None, Some(18.0))));
    // Without placements: the cohort by year group (ASD 4 in year 2, SEMH 6 in 9, ASD 3
    // in 8, SLCN 2.5 in R).
    let mut model = tiny("horizon.toml");
    model.horizon.as_mut().unwrap().current.clear();
    let c = ages(&model, &ages_read);
    assert_eq!((c.basis, c.bands[1].model, c.bands[2].model), (Basis::Need, Some(6.5), Some(9.0)));
    assert_eq!(c.by_age.iter().find(|l| l.name == "age 4 (year R)").unwrap().model, Some(2.5));
    // A single-year model: its demand by phase (primary 4 + 2.5, secondary 6 + 3), no ages.
    let c = ages(&tiny("model.toml"), &ages_read);
    assert_eq!((c.bands[1].model, c.bands[2].model), (Some(6.5), Some(9.0)));
    assert!(c.by_age.is_empty() && c.unbanded.is_empty());
}

#[test]
fn a_model_without_residential_places_holds_none() {
    let (_, r) = published("real_residential_settings_2025.csv", "895").residential.unwrap();
    let c = residential(&tiny("horizon.toml"), &r);
    assert_eq!(c.basis, Basis::Placed);
    let lines: Vec<(Option<f64>, Option<f64>)> = c.lines.iter().map(|l| (l.model, l.published)).collect();
    assert_eq!(lines, vec![(Some(0.0), Some(3.0)), (Some(0.0), Some(3.0)), (Some(0.0), Some(6.0))]);
    assert!(c.steps.is_empty());
    // Special - independent 4; the subtotal Special - total (4) is not added again.
    assert_eq!(c.specialist, Some(Some(4.0)));
    assert!(residential_report(&tiny("horizon.toml"), &r, "r.csv").contains("The model holds none"));
}

/// The tiny models with children of every tier short of a specialist place added (a
/// mainstream child and an alternative provision one in each of: the base year's
/// placements, the cohort and the demand): the published figures are of specialist places,
/// so the comparisons must count only the specialist tiers, as before the additions.
fn with_every_plan(name: &str) -> Model {
    let mut model = tiny(name);
    let extra = [(crate::model::Provision::Mainstream, 5.0), (crate::model::Provision::AlternativeProvision, 2.0)];
    if let Some(first) = model.demand.first().cloned() {
        for (provision, children) in extra {
            model.demand.push(crate::model::DemandRow { provision, children, ..first.clone() });
        }
    }
    if let Some(h) = model.horizon.as_mut() {
        let placed = h.current[0];
        for (provision, children) in extra {
            h.current.push(crate::model::CurrentPlacement { provision, children, ..placed });
        }
        if let crate::model::NeedByYear::Cohort { cohort, .. } = &mut h.need {
            let row = cohort[0];
            for (provision, children) in extra {
                cohort.push(crate::model::CohortRow { provision, children, ..row });
            }
        }
    }
    model
}

#[test]
fn the_need_mix_counts_only_the_specialist_tiers() {
    let (_, mix) = published("real_sen_needs_all_plans_2025.csv", "895").needs.unwrap();
    let model = |c: &NeedComparison| c.rows.iter().take(3).map(|r| r.model).collect::<Vec<_>>();
    // Placed: ASD 3, SEMH 4, as without the mainstream and AP children.
    let c = need_mix(&with_every_plan("horizon.toml"), &mix);
    assert_eq!((c.basis, model(&c), c.model_total()), (Basis::Placed, vec![Some(3.0), Some(4.0), Some(0.0)], 7.0));
    // Demand: 7 ASD, 6 SEMH, 2.5 SLCN.
    let c = need_mix(&with_every_plan("model.toml"), &mix);
    assert_eq!((c.basis, model(&c)), (Basis::Need, vec![Some(7.0), Some(6.0), Some(2.5)]));
}

#[test]
fn ages_count_only_the_specialist_tiers() {
    let ages_read = published("real_caseload_2025.csv", "896").ages.unwrap();
    let bands = |c: &AgeComparison| c.bands.iter().map(|l| l.model).collect::<Vec<_>>();
    let c = ages(&with_every_plan("horizon.toml"), &ages_read);
    assert_eq!((c.basis, bands(&c)), (Basis::Placed, vec![Some(0.0), Some(3.0), Some(4.0), Some(0.0), None]));
    let mut model = with_every_plan("horizon.toml");
    model.horizon.as_mut().unwrap().current.clear();
    let c = ages(&model, &ages_read);
    assert_eq!((c.basis, c.bands[1].model, c.bands[2].model), (Basis::Need, Some(6.5), Some(9.0)));
    let c = ages(&with_every_plan("model.toml"), &ages_read);
    assert_eq!((c.bands[1].model, c.bands[2].model), (Some(6.5), Some(9.0)));
}

/// The caseload's need line sets the model's specialist tiers (the tiny model's 7 ASD, 6
/// SEMH and 2.5 SLCN: 15.5) beside the published specialist groups, not its 7 children more
/// of the other tiers, whom it counts apart.
#[test]
fn the_caseload_sets_only_the_specialist_tiers_beside_the_specialist_groups() {
    let (_, caseload) = published("real_caseload_2025.csv", "896").caseload.unwrap();
    let squeeze = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = squeeze(report(&with_every_plan("model.toml"), &caseload, "caseload.csv"));
    assert!(text.contains("Forecast need for a specialist place in the base year (demand) 15.5 "), "{text}");
    assert!(text.contains("the model holds 7.0 children of the tiers short of a specialist place"), "{text}");
    assert!(text.contains("compared with") && !text.contains("not in the model"), "{text}");
    let text = squeeze(report(&tiny("model.toml"), &caseload, "caseload.csv"));
    assert!(
        text.contains("Forecast need in the base year (demand) 15.5 ") && text.contains("Not in the model ("),
        "{text}"
    );
}
