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
    // ~40% of 3,834 plans (2023) grown 10% a year to 2025/26: about 1,850 children.
    assert!((1_700.0..=2_000.0).contains(&f("children")), "{}", f("children"));
    // The market has a place for every need and phase: no child is unmet.
    assert!(f("unmet") < 1e-6, "unmet {}", f("unmet"));
    assert!((f("placed_in_borough") + f("placed_out_of_borough") + f("unmet") - f("children")).abs() < 1e-4);
    assert_eq!(plan["facts"]["travel_method"], "road-network");
    let placements = &plan["placements"];
    // In-borough specialist places, about 490, are all used; most children go outside.
    assert!((450.0..=800.0).contains(&f("placed_in_borough")), "{}", f("placed_in_borough"));
    assert!(f("placed_out_of_borough") > f("placed_in_borough"));
    // Some hundreds at independent schools, named and bought from the market, at a mean fee
    // near figures.md's ~£64k; and the market is used.
    let at_independent = children_of(placements, independent);
    assert!((600.0..=1_100.0).contains(&at_independent), "{at_independent}");
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
    // Central growth: about 10% a year, like England's plans (figures.md).
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
    // As need outgrows places, some older children are bought residential places beyond the
    // day journey limits; only secondary and post-16 (the market's residential phases).
    assert!(beyond > 1.0, "{beyond}");
    for y in years {
        for l in y["placements"].as_array().unwrap() {
            if residential.iter().any(|r| l["setting"] == r.as_str()) {
                assert!(l["phase"] == "secondary" || l["phase"] == "post-16", "{l}");
            }
        }
    }
    // In-borough places grow (490 to ~670 planned and committed) and stay full.
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
