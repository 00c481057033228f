//! Tests of the annex's content: grouping, the reasons for out-of-borough placements, the
//! council's commentary, and what is withheld.

use super::grouping::Group;
use super::tally::kind_index;
use super::*;
use crate::model::Model;
use crate::model::{DEFAULT_PHASES, DFE_NEED_CODES, Provision, SchoolYear};
use crate::optimise::solve::Solver;
use crate::planning::horizon::YearRun;
use crate::testing::ModelBuilder;

fn codes() -> (Vec<String>, Vec<String>) {
    (
        DFE_NEED_CODES.iter().map(|c| (*c).to_string()).collect(),
        DEFAULT_PHASES.iter().map(|(c, _)| (*c).to_string()).collect(),
    )
}

/// The sample authority's children needing a place in 2025/26, by need (DfE order) and
/// phase (early years, primary, secondary, post-16), as its annex shows them.
const SAMPLE: [[f64; 4]; 12] = [
    [20.0, 205.0, 261.0, 123.0],
    [0.0, 138.0, 286.0, 82.0],
    [30.0, 112.0, 67.0, 22.0],
    [4.0, 65.0, 78.0, 41.0],
    [5.0, 28.0, 31.0, 36.0],
    [3.0, 10.0, 9.0, 10.0],
    [0.0, 8.0, 21.0, 11.0],
    [2.0, 11.0, 10.0, 7.0],
    [1.0, 5.0, 6.0, 4.0],
    [0.0, 2.0, 2.0, 1.0],
    [6.0, 22.0, 24.0, 17.0],
    [1.0, 8.0, 9.0, 6.0],
];

fn labels(groups: &[Group]) -> Vec<&str> {
    groups.iter().map(|g| g.label.as_str()).collect()
}

#[test]
fn small_needs_and_phases_are_grouped_by_the_rule() {
    let (needs, phases) = codes();
    let base: Vec<Vec<f64>> = SAMPLE.iter().map(|r| r.to_vec()).collect();
    // Control off: every need and phase alone.
    let g = Grouping::new(&needs, &phases, &base, None);
    assert_eq!(labels(&g.needs), DFE_NEED_CODES.to_vec());
    assert_eq!(labels(&g.phases), ["Early years", "Primary", "Secondary", "Post-16"]);
    assert_eq!(g.counts(), (48, 0, 48));
    // Threshold 5, so 20 children a cell: early years (20 ASD, 30 SLCN, but 4 MLD, 3 SLD
    // and PMLD...) goes with primary; SpLD (8 in primary) with MLD; PMLD (13 in early
    // years and primary) with SLD; HI, VI, MSI, PD and OTH together.
    let g = Grouping::new(&needs, &phases, &base, Some(20.0));
    assert_eq!(labels(&g.phases), ["Early years and primary", "Secondary", "Post-16"]);
    assert_eq!(g.phases[0].members, [0, 1]);
    assert_eq!(
        labels(&g.needs),
        [
            "ASD",
            "SEMH",
            "SLCN",
            "Moderate and specific learning difficulties (MLD, SpLD)",
            "Severe and profound learning difficulties (SLD, PMLD)",
            "Sensory, physical and other needs (HI, VI, MSI, PD, OTH)"
        ]
    );
    assert_eq!(g.needs[5].members, [7, 8, 9, 10, 11]);
    // 48 cells; those of ASD, SEMH and SLCN in secondary and post-16 stand alone (6).
    assert_eq!(g.counts(), (48, 42, 18));
    // A council twice the size: SpLD and PMLD still short in places, the rest not; a need
    // group is split only when every need in it is large enough in every phase.
    let double: Vec<Vec<f64>> = base.iter().map(|r| r.iter().map(|v| v * 2.0).collect()).collect();
    let g = Grouping::new(&needs, &phases, &double, Some(20.0));
    assert_eq!(labels(&g.phases), ["Early years and primary", "Secondary", "Post-16"]);
    assert_eq!(g.needs.len(), 6, "{:?}", labels(&g.needs));
    // Ten times: early years has none or at least 20 of every need group (MLD and SpLD 40,
    // the sensory group 100), so it stands alone; then every need but MSI (10 in post-16)
    // has at least 20 in each phase, so only the sensory group stays together.
    let ten: Vec<Vec<f64>> = base.iter().map(|r| r.iter().map(|v| v * 10.0).collect()).collect();
    let g = Grouping::new(&needs, &phases, &ten, Some(20.0));
    assert_eq!(labels(&g.phases), ["Early years", "Primary", "Secondary", "Post-16"]);
    assert_eq!(
        labels(&g.needs),
        [
            "ASD",
            "SEMH",
            "SLCN",
            "MLD",
            "SpLD",
            "SLD",
            "PMLD",
            "Sensory, physical and other needs (HI, VI, MSI, PD, OTH)"
        ]
    );
    assert_eq!(g.counts(), (48, 20, 32));
}

/// One home locality; ASD children beyond the 2 places of the local school, HI children
/// whom no local setting takes, PD children for whom a dear local place is free but a
/// place outside costs less, and MLD children whom no setting takes.
fn four_reasons() -> Model {
    ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("local", "maintained-special", 53.0, -2.0, true, 2.0, "primary", "ASD", 20_000.0)
        .setting("away", "other-authority-special", 53.05, -2.0, false, 20.0, "primary", "ASD;HI;PD", 25_000.0)
        .setting("dear", "independent-special", 53.0, -2.0, true, 10.0, "primary", "PD", 60_000.0)
        .demand("home", "ASD", "primary", 5.0, Provision::SpecialSchool)
        .demand("home", "HI", "primary", 3.0, Provision::SpecialSchool)
        .demand("home", "PD", "primary", 4.0, Provision::SpecialSchool)
        .demand("home", "MLD", "primary", 2.0, Provision::SpecialSchool)
        .out_of_borough_weight(10_000.0)
        .build()
}

fn annex(model: &Model, years: &[YearRun], threshold: Option<f64>) -> Annex {
    Annex::build(&Inputs {
        model,
        years,
        schemes: None,
        commissioning: None,
        threshold,
        produced: "2026-01-01".into(),
        command: "test".into(),
        bands: Vec::new(),
        risk: None,
    })
}

fn table<'a>(a: &'a Annex, id: &str) -> &'a Table {
    a.tables().find(|t| t.id == id).unwrap_or_else(|| panic!("no table {id}"))
}

/// A table's cells as text, as the CSV holds them.
fn grid(t: &Table) -> Vec<Vec<String>> {
    t.csv().rows
}

#[test]
fn commentary_is_the_councils_markdown_placed_in_its_section() {
    // Placed at the start of its section, an introduction after the summary and what the
    // council will do, as Markdown the page renders with raw HTML escaped.
    let mut model = four_reasons();
    model.annex.commentary =
        vec![("introduction".into(), "Hello <script>".into()), ("need".into(), "Need is *rising*.".into())];
    let run = crate::optimise::run::run(model.clone(), Solver::Network).expect("solves");
    let years = [YearRun { year: SchoolYear(2025), run, staying: 0.0, moved_by_cuts: 0.0 }];
    let a = annex(&model, &years, None);
    let ids: Vec<&str> = a.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids[..4], ["summary", "plan", "introduction", "need"], "{ids:?}");
    assert_eq!(ids[ids.len() - 3..], ["glossary", "accessibility", "data-files"], "{ids:?}");
    let intro = &a.sections[2];
    assert_eq!(intro.heading, "Introduction");
    assert_eq!(intro.items, [Item::Markdown("Hello <script>".into())]);
    let need = a.sections.iter().find(|s| s.id == "need").unwrap();
    assert_eq!(need.items[0], Item::Markdown("Need is *rising*.".into()));
    let page = super::super::html::page(&a);
    assert!(page.contains("<p>Hello &lt;script&gt;</p>") && !page.contains("<script>"));
    assert!(page.contains("<p>Need is <em>rising</em>.</p>"));
}

#[test]
fn out_of_borough_placements_are_sorted_by_why_and_only_some_are_places_required() {
    let model = four_reasons();
    let run = crate::optimise::run::run(model.clone(), Solver::Network).expect("solves");
    // The plan, by hand: 2 ASD at the local school and 3 away (£35,000 with the weight,
    // against £1,000,000 left without); 3 HI away; 4 PD away (£35,000 against £60,000 at
    // the dear local school); 2 MLD with no place.
    let s = Sufficiency::of(&run);
    let (asd, hi, pd, mld) = (0, 7, 10, 3);
    assert_eq!(s.out[&(asd, 1, 0)], [3.0, 0.0, 0.0]);
    assert_eq!(s.out[&(hi, 1, 0)], [0.0, 3.0, 0.0]);
    assert_eq!(s.out[&(pd, 1, 0)], [0.0, 0.0, 4.0]);
    assert_eq!(s.unmet[&(mld, 1, 0)], 2.0);
    assert_eq!(s.out_by_kind[&kind_index(SettingKind::OtherAuthoritySpecial)], (10.0, 250_000.0, 0.0));
    // The map shades the one home locality by the same 5 places required (3 ASD + 2 MLD).
    assert_eq!(places_required_by_locality(&run), [5.0]);

    let years = [YearRun { year: SchoolYear(2025), run, staying: 0.0, moved_by_cuts: 0.0 }];
    let a = annex(&model, &years, None);
    assert_eq!(
        grid(table(&a, "places-required")),
        [vec!["ASD", "Primary", "3"], vec!["MLD", "Primary", "2"], vec!["All needs", "All phases", "5"],]
    );
    assert_eq!(grid(table(&a, "out-of-borough-by-year")), [vec!["2025/26", "10", "3", "3", "4", "250000", "0"]]);
    assert_eq!(
        grid(table(&a, "placements-2025-26")),
        [
            vec!["ASD", "Primary", "5", "2", "3", "0", "3"],
            vec!["MLD", "Primary", "2", "0", "0", "2", "2"],
            vec!["HI", "Primary", "3", "0", "3", "0", "0"],
            vec!["PD", "Primary", "4", "0", "4", "0", "0"],
            vec!["All needs", "All phases", "14", "2", "10", "2", "5"],
        ]
    );
    assert_eq!(a.title, "test: SEND sufficiency statement, annex of evidence");
}

#[test]
fn a_forecast_is_shown_however_small_and_the_same_count_of_pupils_withheld() {
    // The same plan as the base year and as a forecast a year on.
    let model = four_reasons();
    let run = crate::optimise::run::run(model.clone(), Solver::Network).expect("solves");
    let years = [
        YearRun { year: SchoolYear(2025), run: run.clone(), staying: 0.0, moved_by_cuts: 0.0 },
        YearRun { year: SchoolYear(2026), run, staying: 0.0, moved_by_cuts: 0.0 },
    ];
    let a = annex(&model, &years, Some(5.0));
    let required = grid(table(&a, "places-required"));
    // Pupils: 3 and 2 withheld, and their total 5 with them (each must be able to be 5 more
    // or less than it is, and the maps publish the places required by home area too);
    // forecasts: 3, 2 and 5 shown.
    // (Grouped first: early years, with none, goes with primary, and MLD with SpLD.)
    assert_eq!(required[0], ["ASD", "Early years and primary", "c", "3"]);
    assert_eq!(
        required[1],
        ["Moderate and specific learning difficulties (MLD, SpLD)", "Early years and primary", "c", "2"]
    );
    assert_eq!(required[required.len() - 1][2..], ["c", "5"]);
    for t in a.tables() {
        for row in grid(t) {
            for (c, cell) in row.iter().enumerate() {
                assert!(
                    // (A growth from 2025/26 goes with its first year's count.)
                    cell != "c"
                        || !t.columns[c].heading.contains("2026/27")
                        || t.columns[c].heading.starts_with("Growth"),
                    "{}: {} withheld in {row:?}",
                    t.id,
                    t.columns[c].heading
                );
            }
        }
    }
    let Disclosure::Controlled { base_year, primary, rounded, .. } = &a.disclosure else { panic!("control is on") };
    assert_eq!(base_year, "2025/26");
    assert!(*primary > 0 && *rounded > 0);
    assert!(a.disclosure.statement().contains("published within groups"));
    // Without disclosure control, every need and phase on its own and every count shown.
    let a = annex(&model, &years, None);
    assert_eq!(grid(table(&a, "places-required"))[0], ["ASD", "Primary", "3", "3"]);
}
