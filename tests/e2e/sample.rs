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

#[test]
fn the_sample_shows_the_real_tension() {
    let plan = solve_json(&[]);
    let s = &plan["summary"];
    let f = |k: &str| s[k].as_f64().unwrap();
    // Between 2,500 and 4,500 children, some out of borough, all accounted for.
    assert!((2_500.0..=4_500.0).contains(&f("children")));
    assert!(f("placed_out_of_borough") > 100.0);
    assert!((f("placed_in_borough") + f("placed_out_of_borough") + f("unmet") - f("children")).abs() < 1e-4);
    assert_eq!(plan["facts"]["travel_method"], "road-network");
    // Secondary SEMH and ASD children go out of borough: local places are short.
    let out_secondary = |need: &str| -> f64 {
        plan["placements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["need"] == need && l["phase"] == "secondary" && l["in_borough"] == false)
            .map(|l| l["children"].as_f64().unwrap())
            .sum()
    };
    assert!(out_secondary("SEMH") > 50.0 && out_secondary("ASD") > 50.0);
    // No journey beyond the phase limit.
    for l in plan["placements"].as_array().unwrap() {
        let limit = if l["phase"] == "primary" || l["phase"] == "early-years" { 45.0 } else { 75.0 };
        assert!(l["journey_minutes"].as_f64().unwrap() <= limit + 1e-9, "{l}");
    }
}

#[test]
fn every_solver_in_this_build_reaches_the_same_optimum_on_the_sample() {
    let out = sufficiency(&["solvers"]);
    let names: Vec<String> = stdout(&out).lines().map(|l| l.split_whitespace().next().unwrap().to_string()).collect();
    assert!(names.contains(&"microlp".to_string()));
    let optima: Vec<f64> =
        names.iter().map(|n| solve_json(&["--solver", n])["facts"]["stages"][0][1].as_f64().unwrap()).collect();
    for (n, v) in names.iter().zip(&optima) {
        assert!((v - optima[0]).abs() <= 1e-6 * optima[0], "{n}: {v} vs {}", optima[0]);
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

#[test]
fn the_five_year_sample_plans_each_year() {
    let out = sufficiency(&["solve", "models/cheshire-east-horizon.toml", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let years = plan["years"].as_array().unwrap();
    assert_eq!(years.len(), 5);
    let children: Vec<f64> = years.iter().map(|y| y["summary"]["children"].as_f64().unwrap()).collect();
    assert!(children.windows(2).all(|w| w[1] > w[0]), "central growth: {children:?}");
    for y in years {
        let s = &y["summary"];
        let placed = s["placed_in_borough"].as_f64().unwrap() + s["placed_out_of_borough"].as_f64().unwrap();
        assert!((placed + s["unmet"].as_f64().unwrap() - s["children"].as_f64().unwrap()).abs() < 1e-4);
    }
}

#[test]
fn every_solver_follows_the_same_five_year_path() {
    let out = sufficiency(&["solvers"]);
    let names: Vec<String> = stdout(&out).lines().map(|l| l.split_whitespace().next().unwrap().to_string()).collect();
    let path = |solver: &str| -> Vec<(f64, f64, f64)> {
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
                    s["unmet"].as_f64().unwrap(),
                    s["placed_out_of_borough"].as_f64().unwrap(),
                    s["placement_cost"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let first = path(&names[0]);
    for n in &names[1..] {
        for (a, b) in first.iter().zip(path(n)) {
            assert!(
                (a.0 - b.0).abs() < 1e-4 && (a.1 - b.1).abs() < 1e-4 && (a.2 - b.2).abs() < 1.0,
                "{n}: {a:?} vs {b:?}"
            );
        }
    }
}
