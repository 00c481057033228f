//! Solving through the real binary: outputs agree with each other and with the inputs.

use crate::util::{Case, stderr, stdout};

#[test]
fn the_tiny_model_solves_and_every_output_is_written() {
    let case = Case::fixture("tiny");
    let out = case.run(&["solve", "model.toml", "--out", "out", "--write-lp", "out/model.lp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Tiny test authority — placement plan for 2025/26"), "{text}");
    for name in ["summary.csv", "placements.csv", "setting_use.csv", "gaps.csv", "plan.json", "model.lp"] {
        assert!(case.path("out").join(name).is_file(), "{name} missing");
    }
    let leftovers: Vec<_> = std::fs::read_dir(case.path("out"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn the_json_plan_conserves_demand_and_respects_places() {
    let case = Case::fixture("tiny");
    let out = case.run(&["solve", "model.toml", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let s = &plan["summary"];
    let total = s["children"].as_f64().unwrap();
    assert!((total - 15.5).abs() < 1e-9);
    let placed = s["placed_in_borough"].as_f64().unwrap() + s["placed_out_of_borough"].as_f64().unwrap();
    assert!((placed + s["unmet"].as_f64().unwrap() - total).abs() < 1e-6);
    let lines = plan["placements"].as_array().unwrap();
    let sum: f64 = lines.iter().map(|l| l["children"].as_f64().unwrap()).sum();
    assert!((sum - placed).abs() < 1e-6);
    // "near" takes at most 2 SEMH children; the rest of Crewe's 6 SEMH go to Stoke.
    let semh_near: f64 = lines
        .iter()
        .filter(|l| l["setting"] == "near" && l["need"] == "SEMH")
        .map(|l| l["children"].as_f64().unwrap())
        .sum();
    assert!(semh_near <= 2.0 + 1e-9);
    let cost: f64 = lines.iter().map(|l| l["annual_cost"].as_f64().unwrap()).sum();
    let spend = s["placement_cost"].as_f64().unwrap() + s["transport_cost"].as_f64().unwrap();
    assert!((cost - spend).abs() < 1e-3 * spend);
}

#[test]
fn lexicographic_mode_never_places_more_out_of_borough() {
    let case = Case::fixture("tiny");
    let json = |args: &[&str]| -> serde_json::Value {
        let out = case.run(args);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let weighted = json(&["solve", "model.toml", "--format", "json"]);
    let lex = json(&["solve", "model.toml", "--format", "json", "--objective", "lexicographic"]);
    let oob = |v: &serde_json::Value| v["summary"]["placed_out_of_borough"].as_f64().unwrap();
    assert!(oob(&lex) <= oob(&weighted) + 1e-9);
    assert_eq!(lex["facts"]["stages"].as_array().unwrap().len(), 3);
}

#[test]
fn check_summarises_inputs_without_solving() {
    let case = Case::fixture("tiny");
    let out = case.run(&["check", "model.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "2 localities, 3 settings, 4 demand rows, 15.5 children",
        "road network: 3 nodes, 2 roads",
        "Places by kind of setting",
        "Journey-time coverage",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

#[test]
fn hostile_names_are_inert_in_csv() {
    let case = Case::fixture("tiny");
    case.edit("settings.csv", "Near Special School", "=HYPERLINK(\"http://x\")");
    let out = case.run(&["solve", "model.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["placements.csv", "setting_use.csv"] {
        let text = std::fs::read_to_string(case.path("out").join(name)).unwrap();
        assert!(!text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"), "{name}:\n{text}");
        assert!(text.contains("'=HYPERLINK"), "{name}:\n{text}");
    }
}

#[test]
fn the_written_lp_file_holds_every_column_and_row() {
    let case = Case::fixture("tiny");
    let out = case.run(&["solve", "model.toml", "--write-lp", "tiny.lp", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lp = std::fs::read_to_string(case.path("tiny.lp")).unwrap();
    assert!(lp.contains("Minimize") && lp.contains("Subject To") && lp.trim_end().ends_with("End"));
    let rows = lp.lines().filter(|l| l.starts_with(" demand") || l.starts_with(" places")).count();
    assert_eq!(rows as u64, plan["facts"]["rows"].as_u64().unwrap());
}

#[test]
fn a_generated_model_passes_check_and_the_same_seed_gives_the_same_files() {
    let case = Case::fixture("tiny");
    let args = ["generate", "--localities", "20", "--settings", "60", "--years", "2", "--seed", "5", "--out"];
    for out in ["a", "b"] {
        let mut with_out = args.to_vec();
        with_out.push(out);
        let o = case.run(&with_out);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for name in ["model.toml", "localities.csv", "settings.csv", "demand.csv", "road_nodes.csv", "road_edges.csv"] {
        let a = std::fs::read(case.path(&format!("a/{name}"))).unwrap();
        let b = std::fs::read(case.path(&format!("b/{name}"))).unwrap();
        assert_eq!(a, b, "{name}");
    }
    let o = case.run(&["check", "a/model.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("20 localities, 60 settings"), "{}", stdout(&o));
    // A size out of range is refused before anything is written.
    let o = case.run(&["generate", "--localities", "0", "--settings", "60", "--out", "c"]);
    assert!(!o.status.success());
    assert!(!case.path("c").exists());
    // A folder that holds files is not written over without --force.
    let before = std::fs::read(case.path("a/model.toml")).unwrap();
    let mut again = args.to_vec();
    again[8] = "6";
    again.push("a");
    let o = case.run(&again);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("already holds files"), "{}", stderr(&o));
    assert_eq!(std::fs::read(case.path("a/model.toml")).unwrap(), before);
    again.push("--force");
    assert!(case.run(&again).status.success());
    assert_ne!(std::fs::read(case.path("a/model.toml")).unwrap(), before);
}

#[test]
fn the_benchmark_measures_a_borough_with_each_solver_and_refuses_unknown_sizes() {
    let case = Case::fixture("tiny");
    let o = case.run(&["bench", "--sizes", "borough"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("| borough |")).collect();
    let solvers = stdout(&case.run(&["solvers"])).lines().count();
    assert_eq!(lines.len(), solvers, "{out}");
    for line in lines {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // size, solver, localities, settings, demand rows, journeys, rows, columns, ...
        assert_eq!((cells[3], cells[4]), ("20", "60"), "{line}");
        let total: f64 = cells[16].parse().unwrap();
        let stages: f64 = cells[10..16].iter().map(|c| c.parse::<f64>().unwrap()).sum();
        assert!((total - stages).abs() < 0.02, "stages add up to the total: {line}");
        assert!(cells[19].parse::<f64>().unwrap() > 0.0, "an optimum: {line}");
    }
    let o = case.run(&["bench", "--sizes", "county"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("unknown size 'county'"), "{}", stderr(&o));
}

#[test]
fn progress_stays_off_standard_error_in_a_pipe_and_under_quiet() {
    let case = Case::fixture("tiny");
    for args in
        [&["solve", "horizon.toml"][..], &["--quiet", "solve", "horizon.toml"], &["solve", "horizon.toml", "--quiet"]]
    {
        let o = case.run(args);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
}

/// The tiny model with `tables.locality_caps` holding `rows`.
fn with_locality_caps(rows: &str) -> Case {
    let case = Case::fixture("tiny");
    case.write("locality_caps.csv", &format!("setting,locality,max_children\n{rows}"));
    case.edit(
        "model.toml",
        "road_edges = \"road_edges.csv\"",
        "road_edges = \"road_edges.csv\"\nlocality_caps = \"locality_caps.csv\"",
    );
    case
}

/// Children from `locality` at `setting` in a placements.csv the binary wrote.
fn children_from_at(case: &Case, locality: &str, setting: &str) -> f64 {
    crate::util::rows(case, "out/placements.csv")
        .iter()
        .filter(|r| r["locality"] == locality && r["setting"] == setting)
        .map(|r| crate::util::number(r, "children"))
        .sum()
}

#[test]
fn a_locality_cap_limits_children_from_one_locality_at_one_setting() {
    // Uncapped, 3.5 children from Crewe are at Near Special School (the nearest); with a cap
    // of 2 the other 1.5 go elsewhere and spend rises.
    let free = Case::fixture("tiny");
    assert!(free.run(&["solve", "model.toml", "--out", "out"]).status.success());
    assert!((children_from_at(&free, "crewe", "near") - 3.5).abs() < 1e-9);
    let capped = with_locality_caps("near,crewe,2\n");
    let out = capped.run(&["solve", "model.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!((children_from_at(&capped, "crewe", "near") - 2.0).abs() < 1e-9);
    let spend = |case: &Case| {
        let rows = crate::util::rows(case, "out/summary.csv");
        let row = rows.iter().find(|r| r.values().any(|v| v.contains("total spend"))).expect("total spend row").clone();
        crate::util::number(&row, "value")
    };
    assert!(spend(&capped) > spend(&free), "{} {}", spend(&capped), spend(&free));
}

#[test]
fn a_bad_locality_cap_is_named_by_file_line_and_field() {
    for (rows, expected) in [
        ("ghost,crewe,2\n", "locality_caps.csv:2: field 'setting': 'ghost' is not a setting id"),
        ("near,crewe,-1\n", "locality_caps.csv:2: field 'max_children': '-1' is below 0"),
        ("near,crewe,2\nnear,crewe,3\n", "locality_caps.csv:3: duplicate cap for setting 'near' and locality 'crewe'"),
    ] {
        let case = with_locality_caps(rows);
        let out = case.run(&["check", "model.toml"]);
        assert_eq!(out.status.code(), Some(1), "{rows}");
        assert!(stderr(&out).contains(expected), "{expected:?} not in {}", stderr(&out));
    }
}

#[test]
fn children_are_counted_to_a_thousandth_and_every_figure_adds_up() {
    // Crewe's 4 ASD primary children given as 4.000001, Nantwich's 2.5 SLCN as 2.4996: read
    // as 4 and 2.5 (the unit is a thousandth of a child), so the forecast is 15.5 and the
    // children placed and unmet add up to it exactly, with every solver and objective.
    let case = Case::fixture("tiny");
    case.edit("demand.csv", "crewe,ASD,primary,4,", "crewe,ASD,primary,4.000001,");
    case.edit("demand.csv", "nantwich,SLCN,primary,2.5,", "nantwich,SLCN,primary,2.4996,");
    for solver in ["network", "microlp"] {
        for objective in ["weighted", "lexicographic"] {
            let out =
                case.run(&["solve", "model.toml", "--format", "json", "--solver", solver, "--objective", objective]);
            assert!(out.status.success(), "{}", stderr(&out));
            let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let s = &plan["summary"];
            let figure = |k: &str| s[k].as_f64().unwrap();
            assert_eq!(figure("children"), 15.5, "{solver} {objective}");
            // Every child is placed (the tiny model has room or a market for all), 4 of them
            // out of borough: exactly 4, not 3.9999999.
            assert_eq!(figure("unmet"), 0.0, "{solver} {objective}");
            assert_eq!(figure("placed_in_borough") + figure("placed_out_of_borough"), 15.5, "{solver} {objective}");
            assert_eq!(figure("placed_out_of_borough"), 4.0, "{solver} {objective}");
            let lines: f64 =
                plan["placements"].as_array().unwrap().iter().map(|l| l["children"].as_f64().unwrap()).sum();
            assert!((lines - 15.5).abs() < 1e-9, "{solver} {objective}: {lines}");
        }
    }
    // A forecast below half a thousandth of a child is none: the plan is the plan for 0.
    let summary = || {
        let out = case.run(&["solve", "model.toml", "--format", "json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["summary"].clone()
    };
    case.edit("demand.csv", "crewe,ASD,primary,4.000001,", "crewe,ASD,primary,0.0004,");
    let tiny = summary();
    case.edit("demand.csv", "crewe,ASD,primary,0.0004,", "crewe,ASD,primary,0,");
    assert_eq!(tiny["children"].as_f64().unwrap(), 11.5);
    assert_eq!(tiny, summary());
}

#[test]
fn a_model_with_no_need_reports_zeros_not_minus_zeros() {
    let case = Case::fixture("tiny");
    let text = std::fs::read_to_string(case.path("demand.csv")).unwrap();
    let zero: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                return l.to_string();
            }
            let mut f: Vec<&str> = l.split(',').collect();
            f[3] = "0";
            f.join(",")
        })
        .collect();
    case.write("demand.csv", &(zero.join("\n") + "\n"));
    for solver in ["network", "microlp"] {
        let out = case.run(&["solve", "model.toml", "--solver", solver, "--out", "out", "--format", "json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let mut all = stdout(&out);
        for name in ["summary.csv", "placements.csv", "setting_use.csv", "gaps.csv", "plan.json"] {
            all += &std::fs::read_to_string(case.path("out").join(name)).unwrap();
        }
        assert!(!all.contains("-0"), "{solver}: a minus zero in\n{all}");
    }
}
