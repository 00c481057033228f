//! Solving through the real binary: outputs agree with each other and with the inputs.

use sufficiency::optimise::program::{LinearProgram, Row, Sense};
use sufficiency::optimise::solve::{Solver, solve_program};

use crate::util::{Case, rows, stderr, stdout};

#[test]
fn the_tiny_model_solves_and_every_output_is_written() {
    let case = Case::fixture("tiny");
    let out = case.run(&["solve", "model.toml", "--out", "out", "--write-lp", "out/model.lp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Tiny test authority — placement plan for 2025/26"), "{text}");
    for name in [
        "summary.csv",
        "placements.csv",
        "setting_use.csv",
        "gaps.csv",
        "placement_reasons.csv",
        "plan.json",
        "model.lp",
    ] {
        assert!(case.path("out").join(name).is_file(), "{name} missing");
    }
    let leftovers: Vec<_> = std::fs::read_dir(case.path("out"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
    // The placements written are the plan worked by hand (below): six lines, 15.5 children,
    // 4 of them at the independent school (Stoke).
    let placements = rows(&case, "out/placements.csv");
    let children = |r: &crate::util::Record| r["children"].parse::<f64>().unwrap();
    assert_eq!(placements.len(), 6);
    assert!((placements.iter().map(children).sum::<f64>() - 15.5).abs() < 1e-9);
    let at_stoke: f64 = placements.iter().filter(|r| r["setting"] == "indep").map(children).sum();
    assert!((at_stoke - 4.0).abs() < 1e-9, "{at_stoke}");
}

#[test]
fn the_json_plan_is_the_plan_worked_by_hand() {
    // The least-cost plan of the tiny model, worked by hand in commission.rs
    // (spot_spend_by_hand): Crewe ASD primary 1.5 at Near and 2.5 at the Unit; Crewe SEMH
    // secondary 2 at Near (its SEMH places) and 4 at Stoke; Nantwich ASD secondary 3 at Near;
    // Nantwich SLCN primary 2.5 at the Unit. Places £478,000; spend £546,332.75.
    let case = Case::fixture("tiny");
    let out = case.run(&["solve", "model.toml", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let mut lines: Vec<(String, f64)> = plan["placements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let key = ["locality", "need", "phase", "setting"].map(|k| l[k].as_str().unwrap().to_string()).join(" ");
            (key, l["children"].as_f64().unwrap())
        })
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    let expected = [
        ("crewe ASD primary near", 1.5),
        ("crewe ASD primary unit", 2.5),
        ("crewe SEMH secondary indep", 4.0),
        ("crewe SEMH secondary near", 2.0),
        ("nantwich ASD secondary near", 3.0),
        ("nantwich SLCN primary unit", 2.5),
    ];
    assert_eq!(lines.len(), expected.len(), "{lines:?}");
    for ((key, children), (k, c)) in lines.iter().zip(expected) {
        assert!(key == k && (children - c).abs() < 1e-9, "{key} {children} against {k} {c}");
    }
    let s = &plan["summary"];
    let f = |k: &str| s[k].as_f64().unwrap();
    assert_eq!((f("children"), f("placed_in_borough"), f("placed_out_of_borough"), f("unmet")), (15.5, 11.5, 4.0, 0.0));
    assert!((f("placement_cost") - 478_000.0).abs() < 1e-6, "{s}");
    let spend = crate::commission::spot_spend_by_hand();
    assert!((f("placement_cost") + f("transport_cost") - spend).abs() < 1e-6, "{s} against {spend}");
    // Each line's annual cost is its children × (place + transport); they add up to the spend.
    let cost: f64 = plan["placements"].as_array().unwrap().iter().map(|l| l["annual_cost"].as_f64().unwrap()).sum();
    assert!((cost - spend).abs() < 1e-6);
}

#[test]
fn lexicographic_mode_keeps_the_fewest_out_of_borough() {
    // Only Near (2 SEMH places) and Stoke take Crewe's 6 SEMH secondary children, so at least
    // 4 go out of the borough; everyone else fits in it. So both modes place exactly 4 out of
    // the borough, and the lexicographic stages are 0 unmet, 4 out of borough, then the spend
    // £546,332.75; the weighted optimum adds 4 × £5,000 of weight.
    let case = Case::fixture("tiny");
    let json = |args: &[&str]| -> serde_json::Value {
        let out = case.run(args);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let weighted = json(&["solve", "model.toml", "--format", "json"]);
    let lex = json(&["solve", "model.toml", "--format", "json", "--objective", "lexicographic"]);
    let oob = |v: &serde_json::Value| v["summary"]["placed_out_of_borough"].as_f64().unwrap();
    assert_eq!((oob(&lex), oob(&weighted)), (4.0, 4.0));
    let spend = crate::commission::spot_spend_by_hand();
    let stages = |v: &serde_json::Value| -> Vec<(String, f64)> {
        v["facts"]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s[0].as_str().unwrap().to_string(), s[1].as_f64().unwrap()))
            .collect()
    };
    let expected = [("unmet_children", 0.0), ("out_of_borough_children", 4.0), ("cost", spend)];
    let got = stages(&lex);
    assert_eq!(got.len(), 3);
    for ((name, value), (n, v)) in got.iter().zip(expected) {
        assert!(name == n && (value - v).abs() < 1e-6, "{got:?}");
    }
    let got = stages(&weighted);
    assert!(got.len() == 1 && (got[0].1 - (spend + 20_000.0)).abs() < 1e-6, "{got:?}");
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

/// An LP file as written by `--write-lp`, read back by a reader written here (CPLEX LP
/// format as the program writes it: one statement a line, long term lists continued on lines
/// that begin with three spaces), into the library's solver-neutral program.
struct LpFile {
    /// The comment lines at the top, without `\ `.
    header: Vec<String>,
    program: LinearProgram,
    /// Names of the columns with a term in the objective, in order.
    objective_terms: Vec<String>,
}

/// `+ 3.5 x0_a - 1 x1_b ...` as (name, coefficient) pairs.
fn lp_terms(text: &str) -> Vec<(String, f64)> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(tokens.len() % 3, 0, "terms come as sign, number, name: {text}");
    tokens
        .chunks(3)
        .map(|t| {
            let sign = match t[0] {
                "+" => 1.0,
                "-" => -1.0,
                other => panic!("a sign, not {other:?}: {text}"),
            };
            (t[2].to_string(), sign * t[1].parse::<f64>().unwrap_or_else(|_| panic!("{:?}: {text}", t[1])))
        })
        .collect()
}

fn read_lp(text: &str) -> LpFile {
    let mut header = Vec::new();
    let mut section = "";
    let mut statements: Vec<(&str, String)> = Vec::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("\\ ") {
            assert!(section.is_empty(), "comments only at the top: {line}");
            header.push(comment.to_string());
        } else if let Some(more) = line.strip_prefix("   ") {
            let last = statements.last_mut().expect("a statement to continue");
            last.1.push(' ');
            last.1.push_str(more);
        } else if let Some(statement) = line.strip_prefix(' ') {
            assert!(!section.is_empty() && section != "End", "a statement outside a section: {line}");
            statements.push((section, statement.to_string()));
        } else {
            assert!(["Minimize", "Subject To", "Bounds", "General", "End"].contains(&line), "{line:?}");
            section = match line {
                "Minimize" => "objective",
                "Subject To" => "rows",
                "Bounds" => "bounds",
                "General" => "general",
                _ => "End",
            };
        }
    }
    assert_eq!(section, "End", "the file ends with End");
    // Columns: one bound each, in order.
    let mut program = LinearProgram::default();
    for (_, b) in statements.iter().filter(|(s, _)| *s == "bounds") {
        let t: Vec<&str> = b.split_whitespace().collect();
        let (name, lower, upper) = match t.as_slice() {
            [name, ">=", lower] => (*name, lower.parse::<f64>().unwrap(), f64::INFINITY),
            [lower, "<=", name, "<=", upper] => (*name, lower.parse().unwrap(), upper.parse().unwrap()),
            _ => panic!("a bound: {b}"),
        };
        assert!(!program.columns.iter().any(|c| c == name), "column {name} declared twice");
        let c = program.add_column(name.to_string(), 0.0);
        program.lower[c] = lower;
        program.upper[c] = upper;
    }
    let column = |name: &str| {
        program.columns.iter().position(|c| c == name).unwrap_or_else(|| panic!("{name} is not a declared column"))
    };
    let mut objective = vec![0.0; program.columns.len()];
    let mut objective_terms = Vec::new();
    let mut rows = Vec::new();
    let mut integer = vec![false; program.columns.len()];
    for (section, statement) in &statements {
        match *section {
            "objective" => {
                let terms = statement.strip_prefix("obj:").expect("the objective is named obj");
                for (name, coefficient) in lp_terms(terms) {
                    let c = column(&name);
                    assert_eq!(objective[c], 0.0, "{name} twice in the objective");
                    objective[c] = coefficient;
                    objective_terms.push(name);
                }
            }
            "rows" => {
                let (name, rest) = statement.split_once(':').expect("a named row");
                let t: Vec<&str> = rest.split_whitespace().collect();
                let (op, rhs) = (t[t.len() - 2], t[t.len() - 1].parse::<f64>().unwrap());
                let sense = match op {
                    "<=" => Sense::AtMost,
                    "=" => Sense::Equal,
                    ">=" => Sense::AtLeast,
                    _ => panic!("{statement}"),
                };
                let terms = lp_terms(&t[..t.len() - 2].join(" ")).into_iter().map(|(n, a)| (column(&n), a)).collect();
                rows.push(Row { name: name.to_string(), terms, sense, rhs });
            }
            "general" => integer[column(statement.trim())] = true,
            _ => {}
        }
    }
    program.objective = objective;
    program.rows = rows;
    program.integer = integer;
    LpFile { header, program, objective_terms }
}

/// The two optima the header states: without and with the tie-break charge.
fn stated_optima(lp: &LpFile) -> (f64, f64) {
    let line = lp.header.iter().find(|l| l.starts_with("optimum ")).expect("an optimum line");
    let number = |t: &str| t.trim_end_matches([';', ',']).parse::<f64>().unwrap();
    let words: Vec<&str> = line.split_whitespace().collect();
    (number(words[1]), number(words.last().unwrap()))
}

/// Writes the tiny model's program with `args` added, and returns the file read back and the
/// JSON plan.
fn written_lp(args: &[&str]) -> (LpFile, serde_json::Value) {
    let case = Case::fixture("tiny");
    let mut all = vec!["solve", "model.toml", "--write-lp", "tiny.lp", "--format", "json"];
    all.extend_from_slice(args);
    let out = case.run(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (read_lp(&std::fs::read_to_string(case.path("tiny.lp")).unwrap()), plan)
}

/// What holds of every LP file `solve` writes: the columns and rows `facts` counts, each
/// of a kind the formulation makes (x: a demand row at a setting, unmet; rows demand,
/// places, cap, stage), each column in exactly one demand row; the JSON plan meets every
/// row and bound and prices at the stated optimum; and the file, solved again here by
/// microlp, has that optimum: so another solver reading it finds the tool's answer.
fn check_lp_file(lp: &LpFile, plan: &serde_json::Value) {
    let p = &lp.program;
    let facts = &plan["facts"];
    assert_eq!(p.columns.len() as u64, facts["columns"].as_u64().unwrap(), "columns");
    assert_eq!(p.rows.len() as u64, facts["rows"].as_u64().unwrap(), "rows");
    let kind = |name: &str, kinds: &[&str]| {
        kinds.iter().any(|k| name.strip_prefix(k).is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit())))
    };
    for c in &p.columns {
        assert!(kind(c, &["x", "unmet"]), "column {c}");
    }
    for r in &p.rows {
        assert!(kind(&r.name, &["demand", "places", "cap", "stage"]), "row {}", r.name);
    }
    let mut names: Vec<&str> = p.rows.iter().map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), p.rows.len(), "row names are unique");
    for (c, name) in p.columns.iter().enumerate() {
        let in_demand = p.rows.iter().filter(|r| r.name.starts_with("demand") && r.terms.iter().any(|t| t.0 == c));
        assert_eq!(in_demand.count(), 1, "{name} in one demand row");
    }
    // The plan as columns: x{i}_{locality}_{need}_{phase}_{setting} (one provision per
    // locality, need and phase in the tiny model); no child is unmet.
    let mut x = vec![0.0; p.columns.len()];
    for l in plan["placements"].as_array().unwrap() {
        let suffix = format!(
            "_{}_{}_{}_{}",
            l["locality"].as_str().unwrap(),
            l["need"].as_str().unwrap(),
            l["phase"].as_str().unwrap(),
            l["setting"].as_str().unwrap()
        );
        let matching: Vec<usize> = (0..p.columns.len())
            .filter(|&c| p.columns[c].starts_with('x') && p.columns[c].ends_with(&suffix))
            .collect();
        assert_eq!(matching.len(), 1, "{suffix}");
        x[matching[0]] += l["children"].as_f64().unwrap();
    }
    assert_eq!(plan["summary"]["unmet"].as_f64().unwrap(), 0.0);
    for r in &p.rows {
        let lhs: f64 = r.terms.iter().map(|&(c, a)| a * x[c]).sum();
        assert!(r.sense.holds(lhs, r.rhs, 1e-6), "the plan breaks {}: {lhs} against {}", r.name, r.rhs);
    }
    assert!(x.iter().zip(&p.lower).zip(&p.upper).all(|((v, l), u)| v >= l && v <= u));
    let (optimum, with_charge) = stated_optima(lp);
    let stages = facts["stages"].as_array().unwrap();
    let last = stages.last().unwrap()[1].as_f64().unwrap();
    assert!((optimum - last).abs() < 0.005, "{optimum} vs {last}");
    // The plan is read back in whole thousandths of a child; an LP solver's lexicographic
    // stages keep each optimum within a relative 10⁻⁷, so its raw values (which the header
    // prices) may differ from the plan's by that much.
    assert!((p.value_of(&x) - with_charge).abs() < 1e-7 * with_charge + 0.005, "{} vs {with_charge}", p.value_of(&x));
    let again = solve_program(p, Solver::Microlp).expect("the file solves");
    assert!(
        (p.value_of(&again) - with_charge).abs() <= 1e-6 * with_charge,
        "microlp finds {} for the file, not {with_charge}",
        p.value_of(&again)
    );
}

#[test]
fn the_written_lp_file_holds_every_column_and_row() {
    // The tiny model by hand (tests/fixtures/tiny). Columns: a demand row may go to a
    // setting that serves its need and phase (and provision) within the journey limit:
    //   Crewe ASD primary 4        near, unit (Stoke takes secondary and post-16 only)
    //   Crewe SEMH secondary 6     near, indep (the Unit takes ASD and SLCN)
    //   Nantwich ASD secondary 3   near, indep (needs a special school: not the Unit)
    //   Nantwich SLCN primary 2.5  near, unit
    // 8 placement columns and 4 unmet columns: 12. Rows: 4 demand, a places row for each of
    // the 3 settings and one for Near's 2 SEMH places: 8.
    let (lp, plan) = written_lp(&[]);
    check_lp_file(&lp, &plan);
    let p = &lp.program;
    let tag =
        |i: usize| ["crewe_ASD_primary", "crewe_SEMH_secondary", "nantwich_ASD_secondary", "nantwich_SLCN_primary"][i];
    let arcs =
        [(0, "near"), (0, "unit"), (1, "near"), (1, "indep"), (2, "near"), (2, "indep"), (3, "near"), (3, "unit")];
    let mut expected: Vec<String> =
        arcs.iter().enumerate().map(|(i, (d, s))| format!("x{i}_{}_{s}", tag(*d))).collect();
    let provision = ["resourced_provision", "resourced_provision", "special_school", "resourced_provision"];
    expected.extend((0..4).map(|d| format!("unmet{d}_{}_{}", tag(d), provision[d])));
    assert_eq!(p.columns, expected);
    let rows: Vec<(&str, Sense, f64)> = p.rows.iter().map(|r| (r.name.as_str(), r.sense, r.rhs)).collect();
    let demand: Vec<String> = (0..4).map(|d| format!("demand{d}_{}_{}", tag(d), provision[d])).collect();
    assert_eq!(
        rows,
        [
            (demand[0].as_str(), Sense::Equal, 4.0),
            (demand[1].as_str(), Sense::Equal, 6.0),
            (demand[2].as_str(), Sense::Equal, 3.0),
            (demand[3].as_str(), Sense::Equal, 2.5),
            ("places0_near", Sense::AtMost, 10.0),
            ("places0_near_SEMH", Sense::AtMost, 2.0),
            ("places1_unit", Sense::AtMost, 5.0),
            ("places2_indep", Sense::AtMost, 20.0),
        ]
    );
    // Weighted: every column is charged, so the objective has one term per column.
    assert_eq!(lp.objective_terms, p.columns);
    // Costs by hand (transport £1,000 + £380 a km; £5,000 out of borough; £0.001 a minute
    // of journey, plus under £0.001 for ties): Crewe SEMH at Stoke, 25 km and 25 minutes,
    // £65,000 + £10,500 + £5,000 + £0.025; Nantwich ASD at Stoke, 32 km and 37 minutes,
    // £60,000 + £13,160 + £5,000 + £0.037; unmet, the penalty £1,000,000.
    let at =
        |c: usize, lo: f64| assert!((lo..lo + 0.001).contains(&p.objective[c]), "{}: {}", p.columns[c], p.objective[c]);
    at(3, 80_500.025);
    at(5, 78_160.037);
    assert!(p.objective[8..].iter().all(|&c| c == 1_000_000.0));
    // The optimum: the spend worked out in commission.rs, £546,332.75, + 4 × £5,000.
    let (optimum, _) = stated_optima(&lp);
    assert!((optimum - 566_332.75).abs() < 0.005, "{optimum}");
}

#[test]
fn a_lexicographic_lp_file_keeps_the_earlier_stages_as_rows() {
    // The last stage minimises cost; unmet columns cost nothing in it, so without rows
    // keeping the earlier optima (no child unmet, then 4 out of borough) the file's optimum
    // would be to leave every child unmet, at £0. With them it is the spend, £546,332.75.
    for solver in ["network", "microlp"] {
        let (lp, plan) = written_lp(&["--objective", "lexicographic", "--solver", solver]);
        check_lp_file(&lp, &plan);
        let stage = |name: &str| {
            lp.program.rows.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("{solver}: no row {name}"))
        };
        assert!(stage("stage1_unmet_children").rhs.abs() < 1e-6, "{solver}");
        assert!((stage("stage2_out_of_borough_children").rhs - 4.0).abs() < 1e-6, "{solver}");
        assert!((stated_optima(&lp).0 - 546_332.75).abs() < 0.01, "{solver}");
    }
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
    let mut optima = Vec::new();
    for line in &lines {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // size, solver, localities, settings, demand rows, journeys, rows, columns, ...
        assert_eq!((cells[3], cells[4]), ("20", "60"), "{line}");
        let total: f64 = cells[16].parse().unwrap();
        let stages: f64 = cells[10..16].iter().map(|c| c.parse::<f64>().unwrap()).sum();
        // Seven figures each rounded to 0.01 s: the six stages and the total may differ by
        // up to 7 × 0.005 s.
        assert!((total - stages).abs() <= 0.035 + 1e-9, "stages add up to the total: {line}");
        optima.push((cells[2].to_string(), cells[19].parse::<f64>().unwrap()));
    }
    // Every solver reaches the same optimum (shown to the pound); the network simplex and
    // microlp are always two different solvers.
    assert!(optima.len() >= 2 && optima[0].0 != optima[1].0, "{optima:?}");
    for (solver, v) in &optima {
        assert!(*v > 0.0 && (v - optima[0].1).abs() <= 1.0, "{solver}: {v} against {optima:?}");
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
    // Uncapped, 3.5 children from Crewe are at Near (1.5 ASD, 2 SEMH: the hand plan in
    // the_json_plan_is_the_plan_worked_by_hand). Capped at 2, 1.5 must leave. An SEMH child
    // can only go to Stoke (£65,000 + £10,500 transport + £5,000 weight against £22,000 +
    // £1,020 at Near); an ASD primary child only to the Unit, which is full, so a Nantwich
    // SLCN child moves from the Unit to Near in exchange. With a, b the access legs of
    // Near and the Unit (km) and transport £1,000 + £380 a km, per child moved:
    //   SLCN Unit → Near: (22,000 + 380 × (7 + a)) − (15,000 + 380b) = 9,660 + 380(a − b)
    //   ASD  Near → Unit: (15,000 + 380 × (7 + b)) − (22,000 + 380a) = −4,340 − 380(a − b)
    // together £5,320 a child, far less than sending SEMH children out. So Crewe at Near is
    // 2 SEMH, and the spend rises by 1.5 × £5,320 = £7,980.
    let free = Case::fixture("tiny");
    assert!(free.run(&["solve", "model.toml", "--out", "out"]).status.success());
    assert!((children_from_at(&free, "crewe", "near") - 3.5).abs() < 1e-9);
    let capped = with_locality_caps("near,crewe,2\n");
    let out = capped.run(&["solve", "model.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!((children_from_at(&capped, "crewe", "near") - 2.0).abs() < 1e-9);
    let at = |case: &Case, locality: &str, need: &str, setting: &str| -> f64 {
        crate::util::rows(case, "out/placements.csv")
            .iter()
            .filter(|r| r["locality"] == locality && r["need"] == need && r["setting"] == setting)
            .map(|r| crate::util::number(r, "children"))
            .sum()
    };
    let moved = [("crewe", "SEMH", "near", 2.0), ("crewe", "ASD", "unit", 4.0), ("nantwich", "SLCN", "near", 1.5)];
    for (l, n, s, c) in moved {
        assert!((at(&capped, l, n, s) - c).abs() < 1e-9, "{l} {n} at {s}: {}", at(&capped, l, n, s));
    }
    let spend = |case: &Case| {
        let rows = crate::util::rows(case, "out/summary.csv");
        let row = rows.iter().find(|r| r.values().any(|v| v.contains("total spend"))).expect("total spend row").clone();
        crate::util::number(&row, "value")
    };
    let rise = spend(&capped) - spend(&free);
    assert!((rise - 7_980.0).abs() <= 0.02, "{} {}", spend(&capped), spend(&free));
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
        for name in
            ["summary.csv", "placements.csv", "setting_use.csv", "gaps.csv", "placement_reasons.csv", "plan.json"]
        {
            all += &std::fs::read_to_string(case.path("out").join(name)).unwrap();
        }
        assert!(!all.contains("-0"), "{solver}: a minus zero in\n{all}");
    }
}

#[test]
fn why_each_group_is_placed_where_it_is_agrees_with_the_plan_and_every_solver() {
    // A row per demand row with children; its setting is the one with most of its children
    // in placements.csv; the next best is a setting it has none at; the same file from the
    // network simplex and from microlp (the figures are read off the plan, not the solver).
    let case = Case::fixture("tiny");
    let mut files = Vec::new();
    for solver in ["network", "microlp"] {
        let out = case.run(&["solve", "model.toml", "--solver", solver, "--out", "out", "--format", "json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        files.push(std::fs::read_to_string(case.path("out/placement_reasons.csv")).unwrap());
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        let reasons = plan["placement_reasons"].as_array().unwrap();
        let demand = std::fs::read_to_string(case.path("demand.csv")).unwrap();
        assert_eq!(reasons.len(), demand.lines().skip(1).filter(|l| !l.trim().is_empty()).count());
        let placements = plan["placements"].as_array().unwrap();
        for r in reasons {
            let of_row: Vec<&serde_json::Value> = placements
                .iter()
                .filter(|p| ["locality", "need", "phase", "provision"].iter().all(|k| p[k] == r[k]))
                .collect();
            let most = of_row.iter().map(|p| p["children"].as_f64().unwrap()).fold(0.0, f64::max);
            let main = of_row.iter().find(|p| p["setting"] == r["setting"]).expect("the main setting placed");
            assert_eq!(main["children"].as_f64().unwrap(), most, "{r}");
            assert_eq!(r["other_settings"].as_u64().unwrap() as usize, of_row.len() - 1);
            assert!(of_row.iter().all(|p| p["setting"] != r["next_best_setting"]), "{r}");
            let out: f64 =
                of_row.iter().filter(|p| p["in_borough"] == false).map(|p| p["children"].as_f64().unwrap()).sum();
            assert_eq!(r["out_of_borough_reason"].is_null(), out == 0.0, "{r}");
        }
        // The main settings of the plan worked by hand (the_json_plan_is_the_plan_worked_by_hand):
        // Crewe ASD primary 2.5 of 4 at the Unit, Crewe SEMH secondary 4 of 6 at Stoke.
        let mut mains: Vec<String> = reasons
            .iter()
            .map(|r| ["locality", "need", "phase", "setting"].map(|k| r[k].as_str().unwrap().to_string()).join(" "))
            .collect();
        mains.sort();
        assert_eq!(
            mains,
            [
                "crewe ASD primary unit",
                "crewe SEMH secondary indep",
                "nantwich ASD secondary near",
                "nantwich SLCN primary unit"
            ],
            "{solver}"
        );
    }
    assert_eq!(files[0], files[1]);
    assert!(files[0].starts_with("need,phase,locality,locality_name,provision,children,setting,"), "{}", files[0]);
}

#[test]
fn the_version_names_the_solvers_of_the_build() {
    let case = Case::fixture("tiny");
    let version = stdout(&case.run(&["--version"]));
    let listed: Vec<String> =
        stdout(&case.run(&["solvers"])).lines().map(|l| l.trim_end_matches(" (default)").to_string()).collect();
    assert!(listed.len() >= 2, "{listed:?}");
    assert_eq!(
        version.trim(),
        format!("sufficiency {} (solvers: {})", env!("CARGO_PKG_VERSION"), listed.join(", ")),
        "{version}"
    );
}

#[test]
fn the_plan_as_geojson_reads_back_into_the_plan() {
    use geojson::{FeatureCollection, GeometryValue};
    let case = Case::fixture("tiny");
    let out = case.run(&["solve", "model.toml", "--out", "out", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let layer = |name: &str| -> FeatureCollection {
        std::fs::read_to_string(case.path("out").join(name)).unwrap().parse().expect("GeoJSON")
    };
    let number = |f: &geojson::Feature, key: &str| f.property(key).and_then(serde_json::Value::as_f64).unwrap();
    let name =
        |f: &geojson::Feature, key: &str| f.property(key).and_then(serde_json::Value::as_str).unwrap().to_string();
    // Settings at their sites from settings.csv (longitude first, as GeoJSON has it), with
    // the children placed there as the plan's setting use says.
    let settings = layer("settings.geojson");
    assert_eq!(settings.features.len(), 3);
    let near = settings.features.iter().find(|f| name(f, "id") == "near").unwrap();
    assert_eq!(near.geometry.as_ref().unwrap().value, GeometryValue::new_point([-2.44, 53.099]));
    assert_eq!(number(near, "places"), 10.0);
    for f in &settings.features {
        let used: f64 = plan["placements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["setting"] == name(f, "id").as_str())
            .map(|l| l["children"].as_f64().unwrap())
            .sum();
        assert!((number(f, "children_placed") - used).abs() < 1e-9, "{}", name(f, "id"));
    }
    // Home localities: Crewe's 4 ASD primary and 6 SEMH secondary, Nantwich's 3 ASD secondary
    // and 2.5 SLCN primary (demand.csv); each placed in or out of the borough or not at all.
    let homes = layer("localities.geojson");
    let home = |id: &str| homes.features.iter().find(|f| name(f, "id") == id).unwrap().clone();
    assert_eq!(number(&home("crewe"), "children_needing_a_place"), 10.0);
    assert_eq!(number(&home("nantwich"), "children_needing_a_place"), 5.5);
    let s = &plan["summary"];
    let total = |key: &str| homes.features.iter().map(|f| number(f, key)).sum::<f64>();
    assert_eq!(total("placed_in_borough"), s["placed_in_borough"].as_f64().unwrap());
    assert_eq!(total("placed_out_of_borough"), s["placed_out_of_borough"].as_f64().unwrap());
    assert_eq!(total("no_place_available"), s["unmet"].as_f64().unwrap());
    for f in &homes.features {
        let required = number(f, "places_required");
        assert!(required >= number(f, "no_place_available") - 1e-9);
        assert!(required <= number(f, "no_place_available") + number(f, "placed_out_of_borough") + 1e-9);
    }
    // Flows: a line from home to setting for each pair with children, adding up to the
    // children placed (the tiny model has no market steps, which have no site).
    let flows = layer("flows.geojson");
    let placed: f64 = flows.features.iter().map(|f| number(f, "children")).sum();
    assert!(
        (placed - s["placed_in_borough"].as_f64().unwrap() - s["placed_out_of_borough"].as_f64().unwrap()).abs() < 1e-9
    );
    for f in &flows.features {
        let GeometryValue::LineString { coordinates } = &f.geometry.as_ref().unwrap().value else { panic!("a line") };
        let from = home(&name(f, "locality"));
        let GeometryValue::Point { coordinates: at } = &from.geometry.as_ref().unwrap().value else {
            panic!("a point")
        };
        assert_eq!(&coordinates[0], at);
    }
    // `--format geojson`: the three layers in one collection, each feature naming its layer.
    let out = case.run(&["solve", "model.toml", "--format", "geojson"]);
    let one: FeatureCollection = String::from_utf8(out.stdout).unwrap().parse().unwrap();
    assert_eq!(one.features.len(), settings.features.len() + homes.features.len() + flows.features.len());
    assert_eq!(one.features.iter().filter(|f| name(f, "layer") == "flow").count(), flows.features.len());
}

#[test]
fn with_the_councils_boundaries_each_locality_is_its_area_with_the_same_properties() {
    use geojson::{FeatureCollection, GeometryValue};
    let case = Case::fixture("tiny");
    for (model, out) in [("model.toml", "points"), ("areas.toml", "areas")] {
        let o = case.run(&["solve", model, "--out", out]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let layer = |dir: &str| -> FeatureCollection {
        std::fs::read_to_string(case.path(dir).join("localities.geojson")).unwrap().parse().expect("GeoJSON")
    };
    let (points, areas) = (layer("points"), layer("areas"));
    assert_eq!(points.features.len(), 2);
    assert_eq!(areas.features.len(), 2, "the area naming no locality is left out");
    for (p, a) in points.features.iter().zip(&areas.features) {
        assert_eq!(p.properties, a.properties, "the same properties, points or areas");
        assert!(matches!(p.geometry.as_ref().unwrap().value, GeometryValue::Point { .. }));
    }
    let square = |w: f64, s: f64, e: f64, n: f64| -> Vec<Vec<f64>> {
        vec![vec![w, s], vec![e, s], vec![e, n], vec![w, n], vec![w, s]]
    };
    let rings = |rings: &[Vec<geojson::Position>]| -> Vec<Vec<Vec<f64>>> {
        rings.iter().map(|r| r.iter().map(|p| p.as_slice().to_vec()).collect()).collect()
    };
    // Crewe: a square with a hole, each ring closed as in the file.
    let GeometryValue::Polygon { coordinates } = &areas.features[0].geometry.as_ref().unwrap().value else {
        panic!("Crewe a Polygon")
    };
    assert_eq!(rings(coordinates), [square(-2.48, 53.08, -2.40, 53.12), square(-2.465, 53.10, -2.455, 53.11)]);
    // Nantwich: two squares.
    let GeometryValue::MultiPolygon { coordinates } = &areas.features[1].geometry.as_ref().unwrap().value else {
        panic!("Nantwich a MultiPolygon")
    };
    let polygons: Vec<_> = coordinates.iter().map(|p| rings(p)).collect();
    assert_eq!(polygons, [vec![square(-2.56, 53.04, -2.49, 53.08)], vec![square(-2.60, 53.05, -2.58, 53.06)]]);
}

/// A demand row with the provision blank (any specialist place will do) shows as such in the
/// gaps table and gaps.csv, not as a resourced provision; a special-school row keeps its code.
/// The tiny model with 400 ASD primary children from Crewe (blank) and 300 ASD secondary from
/// Nantwich (special-school): far more than its 3 settings' places, so both rows have gaps.
#[test]
fn a_blank_provision_gap_is_any_specialist_place() {
    let case = Case::fixture("tiny");
    case.edit("demand.csv", "crewe,ASD,primary,4,", "crewe,ASD,primary,400,");
    case.edit("demand.csv", "nantwich,ASD,secondary,3,special-school", "nantwich,ASD,secondary,300,special-school");
    let out = case.run(&["solve", "model.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let gaps_table = text.split("Gaps: unmet need by need, phase and locality").nth(1).expect("a gaps table");
    let gaps_table = gaps_table.split("\n\n").next().unwrap_or_default();
    assert!(!gaps_table.contains("resourced-provision"), "{gaps_table}");
    let line = |need: &str, phase: &str| {
        gaps_table
            .lines()
            .find(|l| l.starts_with(&format!("{need} ")) && l.contains(&format!(" {phase} ")))
            .unwrap_or_else(|| panic!("{need} {phase} in {gaps_table}"))
            .to_string()
    };
    assert!(line("ASD", "primary").contains(" any specialist place "), "{gaps_table}");
    assert!(line("ASD", "secondary").contains(" special-school "), "{gaps_table}");
    let gaps = rows(&case, "out/gaps.csv");
    let provision = |phase: &str| {
        gaps.iter().find(|g| g["need"] == "ASD" && g["phase"] == phase).expect("a gap")["provision"].clone()
    };
    assert_eq!(provision("primary"), "any specialist place");
    assert_eq!(provision("secondary"), "special-school");
}

#[test]
fn children_in_mainstream_and_alternative_provision_are_placed_at_their_own_tier() {
    // The tiny model with Crewe's mainstream schools (50 places, £7,000 top-up) and a pupil
    // referral unit (2 places): 20 ASD primary children whose plans are met in mainstream all
    // go there (the cheapest suitable place; nothing else is cheaper), and of 3 SEMH
    // secondary children who need alternative provision, 2 take the unit's places and 1 is
    // unmet, since no other kind of setting meets that need.
    let case = Case::fixture("tiny");
    let settings = std::fs::read_to_string(case.path("settings.csv")).expect("read");
    case.write(
        "settings.csv",
        &format!(
            "{settings}ms-crewe,Crewe mainstream schools,mainstream,53.0990,-2.4400,yes,50,all,all,7000\n\
             ap,Crewe Pupil Referral Unit,alternative-provision,53.0990,-2.4400,yes,2,all,all,19000\n"
        ),
    );
    let demand = std::fs::read_to_string(case.path("demand.csv")).expect("read");
    case.write(
        "demand.csv",
        &format!("{demand}crewe,ASD,primary,20,mainstream\ncrewe,SEMH,secondary,3,alternative-provision\n"),
    );
    let out = case.run(&["solve", "model.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let placements = rows(&case, "out/placements.csv");
    let placed = |provision: &str, setting: &str| -> f64 {
        placements
            .iter()
            .filter(|p| p["provision"] == *provision && p["setting"] == *setting)
            .map(|p| crate::util::number(p, "children"))
            .sum()
    };
    assert_eq!(placed("mainstream", "ms-crewe"), 20.0);
    assert_eq!(placed("alternative-provision", "ap"), 2.0);
    // Only mainstream children use the mainstream places, only AP children the unit's.
    for p in &placements {
        assert_eq!(&p["setting"] == "ms-crewe", &p["provision"] == "mainstream", "{p:?}");
        assert_eq!(&p["setting"] == "ap", &p["provision"] == "alternative-provision", "{p:?}");
    }
    let gaps = rows(&case, "out/gaps.csv");
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(
        (&gaps[0]["provision"], &gaps[0]["unmet"]),
        (&"alternative provision".to_string(), &"1.000".to_string())
    );
    // A kind or tier the model does not know is named in one line.
    case.write("demand.csv", &format!("{demand}crewe,ASD,primary,20,mainstreem\n"));
    let out = case.run(&["solve", "model.toml", "--out", "bad"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("demand.csv") && err.contains("'mainstreem' is not a kind of provision"), "{err}");
    assert!(err.contains("mainstream, inclusion-base, resourced-provision, special-school"), "{err}");
}
