//! The sample authority through the real binary, as a new user would run it.

use std::path::Path;
use std::process::Command;

use crate::util::{stderr, stdout};

fn sufficiency(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sufficiency"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("binary runs")
}

fn solve_json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["solve", "models/cheshire-east.toml", "--format", "json"];
    args.extend_from_slice(extra);
    let out = sufficiency(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn the_sample_model_checks_cleanly() {
    let out = sufficiency(&["check", "models/cheshire-east.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("The model is ready to solve"));
}

/// Ids of the market's residential steps (residence not day), read from the sample's
/// market table: the only places a child may be beyond the phase's journey limit.
fn residential_market_steps() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/cheshire-east/market.csv");
    let mut reader = csv::Reader::from_path(path).expect("market.csv");
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, residence) = (col("id"), col("residence"));
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| !matches!(&r[residence], "" | "day"))
        .map(|r| r[id].to_string())
        .collect();
    assert!(!ids.is_empty(), "the sample's market has a residential step");
    ids
}

/// Every placement line is within its phase's journey limit, except at a residential step
/// of the market; returns the children placed beyond the limit.
fn check_journeys(placements: &serde_json::Value, residential: &[String]) -> f64 {
    let mut beyond = 0.0;
    for l in placements.as_array().unwrap() {
        let limit = if l["phase"] == "primary" || l["phase"] == "early-years" { 45.0 } else { 75.0 };
        if l["journey_minutes"].as_f64().unwrap() > limit + 1e-9 {
            assert_eq!(l["kind"], "independent-market", "{l}");
            assert!(residential.iter().any(|r| l["setting"] == r.as_str()), "a day place beyond the limit: {l}");
            beyond += l["children"].as_f64().unwrap();
        }
    }
    beyond
}

fn children_of(placements: &serde_json::Value, keep: impl Fn(&serde_json::Value) -> bool) -> f64 {
    placements.as_array().unwrap().iter().filter(|l| keep(l)).map(|l| l["children"].as_f64().unwrap()).sum()
}

fn independent(l: &serde_json::Value) -> bool {
    matches!(l["kind"].as_str(), Some("independent-special" | "non-maintained-special" | "independent-market"))
}

#[test]
fn the_sample_shows_the_real_tension() {
    let plan = solve_json(&[]);
    let s = &plan["summary"];
    let f = |k: &str| s[k].as_f64().unwrap();
    // The published January 2025 position: 1,553 children in specialist settings.
    assert!((1_553.0 - f("children")).abs() < 1.0, "{}", f("children"));
    // The market has a place for every need and phase: no child is unmet.
    assert!(f("unmet") < 1e-6, "unmet {}", f("unmet"));
    assert!((f("placed_in_borough") + f("placed_out_of_borough") + f("unmet") - f("children")).abs() < 1e-4);
    assert_eq!(plan["facts"]["travel_method"], "road-network");
    let placements = &plan["placements"];
    // In-borough places (778 state and resourced, 110 independent, 57 at colleges) are all
    // used; some 600 children go outside.
    assert!((f("placed_in_borough") - 945.0).abs() < 1e-6, "{}", f("placed_in_borough"));
    assert!((550.0..=650.0).contains(&f("placed_out_of_borough")), "{}", f("placed_out_of_borough"));
    // The published 448 at independent and non-maintained schools: every state, resourced and
    // college place is full, so the rest are at independent places, named or bought from the
    // market, at a mean fee near figures.md's ~£64k; and the market is used.
    let at_independent = children_of(placements, independent);
    assert!((at_independent - 448.0).abs() <= 0.05 * 448.0, "{at_independent}");
    assert!((at_independent - f("placed_independent")).abs() < 1e-4);
    let market = children_of(placements, |l| l["kind"] == "independent-market");
    assert!(market > 50.0 && market < at_independent, "{market}");
    let fees: f64 = placements
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| independent(l))
        .map(|l| l["cost_per_place"].as_f64().unwrap() * l["children"].as_f64().unwrap())
        .sum();
    let mean_fee = fees / at_independent;
    assert!((55_000.0..=80_000.0).contains(&mean_fee), "{mean_fee}");
    // Secondary SEMH and ASD children go out of borough: local places are short.
    let out_secondary = |need: &str| {
        children_of(placements, |l| l["need"] == need && l["phase"] == "secondary" && l["in_borough"] == false)
    };
    assert!(out_secondary("SEMH") > 50.0 && out_secondary("ASD") > 50.0);
    // No journey beyond the phase limit but at a residential place of the market.
    check_journeys(placements, &residential_market_steps());
}

/// The solvers `sufficiency solvers` lists, default first.
fn solver_names() -> Vec<String> {
    let out = sufficiency(&["solvers"]);
    stdout(&out).lines().map(|l| l.split_whitespace().next().unwrap().to_string()).collect()
}

/// Whether a comparison of the solvers that actually solved (`used`, one per run) compares
/// two different solvers; if not, says so loudly: comparing a solver with itself checks
/// nothing.
fn different_solvers(used: &[String], what: &str) -> bool {
    let mut distinct = used.to_vec();
    distinct.sort();
    distinct.dedup();
    if distinct.len() < 2 {
        eprintln!("SKIPPED: {what}: only {distinct:?} solved, so there is nothing to compare");
    }
    distinct.len() >= 2
}

#[test]
fn every_solver_in_this_build_reaches_the_same_optimum_on_the_sample() {
    let names = solver_names();
    // Every build has at least the network simplex and microlp, so solvers are compared.
    assert!(names.len() >= 2 && names[0] == "network" && names.contains(&"microlp".to_string()), "{names:?}");
    let runs: Vec<(String, f64)> = names
        .iter()
        .map(|n| {
            let plan = solve_json(&["--solver", n]);
            (plan["facts"]["solver"].as_str().unwrap().to_string(), plan["facts"]["stages"][0][1].as_f64().unwrap())
        })
        .collect();
    // The sample's program is a network, so each solver asked for is the one that solved:
    // had the network simplex handed it to microlp, microlp would be compared with itself.
    let used: Vec<String> = runs.iter().map(|r| r.0.clone()).collect();
    assert_eq!(&used, &names, "the solver asked for is the one that solved");
    if !different_solvers(&used, "comparing solvers on the sample") {
        return;
    }
    for (n, v) in &runs {
        assert!((v - runs[0].1).abs() <= 1e-6 * runs[0].1, "{n}: {v} vs {} ({})", runs[0].1, runs[0].0);
    }
}

#[test]
fn the_five_year_sample_and_every_scenario_check_cleanly() {
    let mut files = vec!["models/cheshire-east-horizon.toml".to_string()];
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push(format!("models/scenarios/{}", path.file_name().unwrap().to_string_lossy()));
        }
    }
    assert!(files.len() >= 4, "{files:?}");
    for f in &files {
        let out = sufficiency(&["check", f]);
        assert!(out.status.success(), "{f}: {}", stderr(&out));
        assert!(stdout(&out).contains("horizon: 2025/26 to 2029/30 (5 years)"), "{f}");
    }
}

fn horizon_json(model: &str) -> serde_json::Value {
    let out = sufficiency(&["solve", model, "--format", "json"]);
    assert!(out.status.success(), "{model}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn spend(year: &serde_json::Value) -> f64 {
    year["summary"]["placement_cost"].as_f64().unwrap() + year["summary"]["transport_cost"].as_f64().unwrap()
}

#[test]
fn the_five_year_sample_plans_each_year() {
    let plan = horizon_json("models/cheshire-east-horizon.toml");
    let years = plan["years"].as_array().unwrap();
    assert_eq!(years.len(), 5);
    let children: Vec<f64> = years.iter().map(|y| y["summary"]["children"].as_f64().unwrap()).collect();
    // Central growth: 9.4% a year, the council's 2019-2025 series (caseload.csv).
    for w in children.windows(2) {
        assert!((1.07..=1.13).contains(&(w[1] / w[0])), "central growth: {children:?}");
    }
    let residential = residential_market_steps();
    let mut beyond = 0.0;
    for y in years {
        let s = &y["summary"];
        let placed = s["placed_in_borough"].as_f64().unwrap() + s["placed_out_of_borough"].as_f64().unwrap();
        assert!((placed + s["unmet"].as_f64().unwrap() - s["children"].as_f64().unwrap()).abs() < 1e-4);
        assert!(s["unmet"].as_f64().unwrap() < 1e-6, "no child unmet: {s}");
        beyond += check_journeys(&y["placements"], &residential);
    }
    // Day places never run out in the market (they get dearer), so however need outgrows
    // places no child is bought a residential place.
    assert!(beyond.abs() < 1e-9, "{beyond}");
    for y in years {
        for l in y["placements"].as_array().unwrap() {
            if residential.iter().any(|r| l["setting"] == r.as_str()) {
                assert!(l["phase"] == "secondary" || l["phase"] == "post-16", "{l}");
            }
        }
    }
    // In-borough places grow (778 to 943 state and resourced, planned and committed) and
    // stay full.
    let in_borough: Vec<f64> = years.iter().map(|y| y["summary"]["placed_in_borough"].as_f64().unwrap()).collect();
    assert!(in_borough[4] - in_borough[0] > 150.0, "{in_borough:?}");
}

#[test]
fn low_central_high_growth_order_the_spend_in_every_later_year() {
    let plans: Vec<serde_json::Value> =
        ["models/scenarios/low-growth.toml", "models/cheshire-east-horizon.toml", "models/scenarios/high-growth.toml"]
            .iter()
            .map(|m| horizon_json(m))
            .collect();
    let spends: Vec<Vec<f64>> =
        plans.iter().map(|p| p["years"].as_array().unwrap().iter().map(spend).collect()).collect();
    // The base year is the same cohort in every variant.
    assert!((spends[0][0] - spends[1][0]).abs() < 1.0 && (spends[2][0] - spends[1][0]).abs() < 1.0, "{spends:?}");
    for k in 1..5 {
        assert!(spends[0][k] < spends[1][k] && spends[1][k] < spends[2][k], "year {k}: {spends:?}");
    }
}

#[test]
fn every_solver_follows_the_same_five_year_path() {
    let names = solver_names();
    // Per solver asked for: the solver that solved each year, and the year's figures.
    let path = |solver: &str| -> Vec<(String, (f64, f64, f64))> {
        let out = sufficiency(&["solve", "models/cheshire-east-horizon.toml", "--format", "json", "--solver", solver]);
        assert!(out.status.success(), "{}", stderr(&out));
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        plan["years"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| {
                let s = &y["summary"];
                (
                    y["facts"]["solver"].as_str().unwrap().to_string(),
                    (
                        s["unmet"].as_f64().unwrap(),
                        s["placed_out_of_borough"].as_f64().unwrap(),
                        s["placement_cost"].as_f64().unwrap(),
                    ),
                )
            })
            .collect()
    };
    assert!(names.len() >= 2, "two solvers at least to compare: {names:?}");
    let first = path(&names[0]);
    assert_eq!(first.len(), 5);
    for n in &names[1..] {
        for (k, (a, b)) in first.iter().zip(path(n)).enumerate() {
            if !different_solvers(&[a.0.clone(), b.0.clone()], &format!("{} against {n}, year {k}", names[0])) {
                continue;
            }
            let (a, b) = (a.1, b.1);
            assert!(
                (a.0 - b.0).abs() < 1e-4 && (a.1 - b.1).abs() < 1e-4 && (a.2 - b.2).abs() < 1.0,
                "{n}: {a:?} vs {b:?}"
            );
        }
    }
}

/// The DfE's published caseload: the whole real file beside the project when it is there,
/// else the repository's copy of Cheshire East's rows of it (both Open Government Licence).
fn published_caseload() -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/data/dfe-ehc-plans-2025/caseload.csv");
    if shared.is_file() { shared } else { root.join("tests/fixtures/sen2/published-2025-cheshire-east.csv") }
}

/// The base year of both sample models is the council's published position: each group of
/// `check --against` within ±5% of the DfE's January 2025 figures, and so is the base year's
/// need. The published figures are written here as read from the file by hand.
#[test]
fn both_sample_models_reconcile_with_the_published_january_2025_figures() {
    let file = published_caseload();
    let expected = [
        ("State special schools", 849.0),
        ("Independent and non-maintained special", 448.0),
        ("Resourced provision and SEN units", 159.0),
        ("Specialist post-16 institutions", 97.0),
        ("All specialist settings", 1553.0),
        ("Forecast need in the base year (demand)", 1553.0),
    ];
    for model in ["models/cheshire-east.toml", "models/cheshire-east-horizon.toml"] {
        let out = sufficiency(&["check", model, "--against", file.to_str().expect("a UTF-8 path")]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("January 2025"), "{text}");
        for (group, published) in expected {
            let line = text.lines().find(|l| l.starts_with(group)).unwrap_or_else(|| panic!("{group}: {text}"));
            let numbers: Vec<f64> =
                line[group.len()..].split_whitespace().filter_map(|w| w.replace(',', "").parse::<f64>().ok()).collect();
            // model, published, difference
            assert!(numbers.len() >= 3, "{line}");
            let (ours, theirs) = (numbers[numbers.len() - 3], numbers[numbers.len() - 2]);
            assert!((theirs - published).abs() < 1e-9, "{model}: {group}: published {theirs}, expected {published}");
            assert!((ours - published).abs() <= 0.05 * published, "{model}: {group}: {ours} against {published}");
        }
    }
}

/// The five-year sample's base year is the position, not a plan: every child is placed
/// where they are now (none placed afresh), and six of them board, as the DfE counted.
#[test]
fn the_five_year_samples_base_year_is_the_position() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/cheshire-east/current_placements.csv"),
    )
    .expect("current placements");
    let mut rows = csv_rows(&text);
    let header = rows.remove(0);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (children, residence) = (col("children"), col("residence"));
    let placed: f64 = rows.iter().map(|r| r[children].parse::<f64>().expect("a number")).sum();
    let boarding: f64 =
        rows.iter().filter(|r| !r[residence].is_empty()).map(|r| r[children].parse::<f64>().expect("a number")).sum();
    assert!((boarding - 6.0).abs() < 1e-9, "{boarding} boarding");
    let years = horizon_json("models/cheshire-east-horizon.toml");
    let first = &years["years"][0];
    let need = first["summary"]["children"].as_f64().expect("children");
    assert!((placed - need).abs() < 1e-6, "placed now {placed}, need {need}");
    let staying: f64 = first["placements"]
        .as_array()
        .expect("placements")
        .iter()
        .map(|p| p["staying"].as_f64().expect("staying"))
        .sum();
    assert!((staying - need).abs() < 1e-6, "{staying} staying of {need}");
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
}

/// What a finance officer would book: the sample's £12m programme saves, in the last year
/// planned, between £25,000 and £55,000 a year for each place it builds (the range councils'
/// business cases count), and every figure of the business case adds up: saving = places
/// saved + transport saved, and each of those is "without" less "with".
#[test]
fn the_twelve_million_programme_saves_what_councils_book_a_place() {
    let dir = tempfile::tempdir().expect("a folder");
    let out = dir.path().join("out");
    let run = sufficiency(&[
        "schemes",
        "models/cheshire-east-horizon.toml",
        "--budget",
        "12m",
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let read = |name: &str| csv_rows(&std::fs::read_to_string(out.join(name)).expect(name));
    let schemes = read("schemes.csv");
    let col = |rows: &[Vec<String>], name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let (chosen, places) = (col(&schemes, "chosen_modules"), col(&schemes, "places"));
    // The places of the chosen schemes (a module's places × modules chosen).
    let built: f64 = schemes[1..]
        .iter()
        .map(|r| r[chosen].parse::<f64>().expect("modules") * r[places].parse::<f64>().expect("places"))
        .sum();
    let case = read("business_case.csv");
    let last = case.last().expect("a year");
    let get = |name: &str| last[col(&case, name)].parse::<f64>().expect(name);
    let saving = get("saving");
    assert!((get("places_without") - get("places_with") - get("saving_on_places")).abs() <= 1.0);
    assert!((get("transport_without") - get("transport_with") - get("saving_on_transport")).abs() <= 1.0);
    assert!((get("saving_on_places") + get("saving_on_transport") - saving).abs() <= 1.0);
    assert!(built > 200.0, "{built} places built");
    let per_place = saving / built;
    assert!((25_000.0..=55_000.0).contains(&per_place), "£{per_place:.0} a place a year");
}
