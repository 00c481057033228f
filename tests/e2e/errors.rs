//! Bad input: one case per kind of problem. Each must give a one-line error naming the
//! file, the line and the field, exit 1, and write nothing.

use rstest::rstest;

use crate::util::{Case, stderr};

#[rstest]
#[case::unknown_locality(
    "demand.csv",
    "nantwich,SLCN",
    "nowhere,SLCN",
    "demand.csv:5: field 'locality': 'nowhere' is not a locality id"
)]
#[case::unknown_setting(
    "setting_needs.csv",
    "indep,SEMH",
    "ghost,SEMH",
    "setting_needs.csv:3: field 'setting': 'ghost' is not a setting id"
)]
#[case::duplicate_id(
    "settings.csv",
    "unit,Nantwich Unit",
    "near,Nantwich Unit",
    "settings.csv:3: field 'id': duplicate id 'near': first used at line 2"
)]
#[case::negative_count(
    "demand.csv",
    "crewe,ASD,primary,4,",
    "crewe,ASD,primary,-4,",
    "demand.csv:2: field 'children': '-4' is below 0"
)]
#[case::huge_count(
    "demand.csv",
    "crewe,ASD,primary,4,",
    "crewe,ASD,primary,1e308,",
    "demand.csv:2: field 'children': '1e308' is too large: expected at most 1,000,000,000"
)]
#[case::non_numeric_places(
    "settings.csv",
    "yes,5,primary",
    "yes,five,primary",
    "settings.csv:3: field 'places': 'five' is not a number"
)]
#[case::missing_column(
    "localities.csv",
    "id,name,latitude,longitude,in_borough",
    "id,name,lat,longitude,in_borough",
    "localities.csv:1: missing column 'latitude'"
)]
#[case::latitude_out_of_range(
    "localities.csv",
    "53.0988,-2.4405",
    "153.0988,-2.4405",
    "localities.csv:2: field 'latitude': '153.0988': expected a number from -90 to 90"
)]
#[case::longitude_out_of_range(
    "settings.csv",
    "53.0027,-2.1794",
    "53.0027,-200",
    "settings.csv:4: field 'longitude': '-200': expected a number from -180 to 180"
)]
#[case::undeclared_need(
    "demand.csv",
    "crewe,ASD,primary",
    "crewe,AUT,primary",
    "demand.csv:2: field 'need': 'AUT' is not a declared need"
)]
#[case::undeclared_phase(
    "demand.csv",
    "crewe,SEMH,secondary",
    "crewe,SEMH,college",
    "demand.csv:3: field 'phase': 'college' is not a declared phase"
)]
#[case::undeclared_need_in_list(
    "settings.csv",
    "ASD;SLCN",
    "ASD;SLCNX",
    "settings.csv:3: field 'needs': 'SLCNX' is not a declared code"
)]
#[case::unknown_kind(
    "settings.csv",
    "resourced-provision",
    "unit-base",
    "settings.csv:3: field 'kind': 'unit-base' is not a kind of setting"
)]
#[case::bad_in_borough(
    "localities.csv",
    "-2.5193,yes",
    "-2.5193,maybe",
    "localities.csv:3: field 'in_borough': 'maybe': expected yes or no"
)]
#[case::bad_provision(
    "demand.csv",
    ",special-school",
    ",hospital",
    "demand.csv:4: field 'provision': 'hospital' is not a kind of provision"
)]
#[case::duplicate_demand(
    "demand.csv",
    "nantwich,SLCN,primary",
    "crewe,ASD,primary",
    "demand.csv:5: duplicate demand for crewe, ASD, primary, resourced-provision: first at line 2"
)]
#[case::need_not_served(
    "setting_needs.csv",
    "near,SEMH,2,",
    "unit,SEMH,2,",
    "setting_needs.csv:2: field 'need': setting 'unit' does not serve SEMH"
)]
#[case::unknown_node(
    "road_edges.csv",
    "crewe,stoke",
    "crewe,leek",
    "road_edges.csv:3: field 'to': 'leek' is not a node id"
)]
#[case::locality_beyond_network(
    "localities.csv",
    "53.0632,-2.5193",
    "53.0632,-3.5193",
    "localities.csv:3: locality 'nantwich' is 66.8 km from the nearest road node (nantwich): the network cannot reach it"
)]
#[case::model_unknown_key(
    "model.toml",
    "unmet_penalty",
    "unmet_penalti",
    "model.toml:15: unknown key 'unmet_penalti' in [policy]: expected one of objective, out_of_borough_weight, unmet_penalty"
)]
#[case::model_bad_value(
    "model.toml",
    "cost_per_km = 1.0",
    "cost_per_km = -1.0",
    "model.toml:19: field 'cost_per_km': -1: expected a number of at least 0 and at most 1,000,000,000,000"
)]
#[case::model_bad_planning_year(
    "model.toml",
    "planning_year = \"2025/26\"",
    "planning_year = \"next year\"",
    "model.toml:3: field 'planning_year': 'next year' is not a school year"
)]
#[case::model_bad_uplift(
    "model.toml",
    "[transport]",
    "[uplift]\nindependent = 0.9\n\n[transport]",
    "field 'independent': 0.9: expected a rise a year from -0.2 to 0.5"
)]
#[case::model_bad_risk_chance(
    "model.toml",
    "[transport]",
    "[risk]\nlate_chance = 2\n\n[transport]",
    "field 'late_chance': 2: expected a chance from 0 to 1 (0.1 is one in ten)"
)]
#[case::model_risk_out_of_order(
    "model.toml",
    "[transport]",
    "[risk]\noverrun_low = 1.5\n\n[transport]",
    "field 'overrun_low': 1.5: expected at most overrun_likely (1.02)"
)]
#[case::model_risk_two_variants(
    "model.toml",
    "[transport]",
    "[risk]\nneed_variants = [\"low\"]\n\n[transport]",
    "field 'need_variants': lists 1 variants: expected two, the low and the high"
)]
#[case::model_missing_table(
    "model.toml",
    "demand = \"demand.csv\"",
    "demand = \"missing.csv\"",
    "missing.csv: cannot read the file"
)]
#[case::undeclared_phase_limit(
    "model.toml",
    "[transport]",
    "[policy.max_journey_minutes]\nsixth-form = 60\n\n[transport]",
    "field 'sixth-form': max_journey_minutes names phase 'sixth-form', which is not declared"
)]
fn bad_input_is_one_line_naming_file_line_and_field(
    #[case] file: &str,
    #[case] from: &str,
    #[case] to: &str,
    #[case] expected: &str,
) {
    let case = Case::fixture("tiny");
    case.edit(file, from, to);
    let out = case.run(&["solve", "model.toml", "--out", "out"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.lines().any(|l| l.starts_with("error: ") && l.contains(expected)), "expected {expected:?} in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!case.path("out").exists(), "no output may be written on bad input");
}

#[test]
fn every_problem_in_a_file_is_reported_together() {
    let case = Case::fixture("tiny");
    case.write(
        "demand.csv",
        "locality,need,phase,children\ncrewe,ASD,primary,x\nhome,ASD,primary,1\ncrewe,ZZZ,primary,1\n",
    );
    let out = case.run(&["check", "model.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    for expected in [
        "demand.csv:2: field 'children'",
        "demand.csv:3: field 'locality'",
        "demand.csv:4: field 'need'",
        "3 problems found",
    ] {
        assert!(err.contains(expected), "{expected:?} not in:\n{err}");
    }
}

#[test]
fn every_repeat_of_a_duplicate_row_names_the_first() {
    let case = Case::fixture("tiny");
    case.write(
        "demand.csv",
        "locality,need,phase,children\ncrewe,ASD,primary,4\ncrewe,ASD,primary,4\ncrewe,ASD,primary,4\n",
    );
    let out = case.run(&["check", "model.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for line in [3, 4] {
        let expected = format!(
            "demand.csv:{line}: duplicate demand for crewe, ASD, primary, resourced-provision: first at line 2"
        );
        assert!(err.contains(&expected), "{expected:?} not in:\n{err}");
    }
}

#[test]
fn an_unknown_solver_is_refused_with_the_list_of_solvers() {
    // As any value no option takes (issue 26: exit 2 for every bad option value).
    let case = Case::fixture("tiny");
    let out = case.run(&["solve", "model.toml", "--solver", "cplex"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "error: invalid value 'cplex' for '--solver <NAME>': unknown solver 'cplex': this build has network"
        ),
        "{err}"
    );
    assert_eq!(
        err.lines().filter(|l| !l.trim().is_empty()).count(),
        2,
        "one line, and clap's pointer to --help: {err}"
    );
}

#[test]
fn a_penalty_below_the_dearest_placement_is_refused() {
    let case = Case::fixture("tiny");
    case.edit("model.toml", "unmet_penalty = 1000000", "unmet_penalty = 50000");
    let out = case.run(&["solve", "model.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("field 'policy.unmet_penalty': £50,000 is not above the dearest placement"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_locality_on_a_part_of_the_network_with_no_setting_is_refused() {
    let case = Case::fixture("tiny");
    case.edit(
        "localities.csv",
        "nantwich,Nantwich,53.0632,-2.5193,yes",
        "nantwich,Nantwich,53.0632,-2.5193,yes\naudlem,Audlem,52.9890,-2.5080,yes",
    );
    case.edit("road_nodes.csv", "stoke,Stoke-on-Trent", "audlem,Audlem,52.9890,-2.5080\nstoke,Stoke-on-Trent");
    let out = case.run(&["check", "model.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("localities.csv:4: locality 'audlem' joins the road network at node 'audlem', from which no setting can be reached"), "{}", stderr(&out));
}

#[test]
fn a_file_of_many_bad_rows_prints_fifty_and_counts_the_rest() {
    let case = Case::fixture("tiny");
    let mut demand = String::from("locality,need,phase,children\n");
    for _ in 0..80 {
        demand.push_str("crewe,ASD,primary,x\n");
    }
    case.write("demand.csv", &demand);
    let out = case.run(&["check", "model.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(err.lines().filter(|l| l.starts_with("error: ")).count(), 50, "{err}");
    assert!(err.contains("... and 30 more."), "{err}");
    assert!(err.contains("80 problems found"), "{err}");
}

#[rstest]
#[case::decimal_comma("1,5", "'1,5' has a decimal comma: expected a decimal point (1.5)")]
#[case::grouping("1,2,3", "'1,2,3' is not a number")]
fn numbers_a_spreadsheet_could_misread_are_refused(#[case] children: &str, #[case] expected: &str) {
    let case = Case::fixture("tiny");
    case.edit("demand.csv", "crewe,ASD,primary,4,", &format!("crewe,ASD,primary,\"{children}\","));
    let out = case.run(&["check", "model.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(expected), "{expected:?} not in:\n{err}");
}

#[test]
fn an_output_that_cannot_be_written_exits_5_not_as_a_solver_failure() {
    let case = Case::fixture("tiny");
    // A file where the output folder should be.
    case.write("taken", "not a folder");
    let out = case.run(&["solve", "model.toml", "--out", "taken/out"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
}

#[rstest]
#[case::check(&["check", "model.toml"], "model.toml")]
#[case::solve(&["solve", "model.toml"], "model.toml")]
#[case::schemes(&["schemes", "schemes.toml"], "schemes.toml")]
#[case::annex(&["annex", "model.toml", "--out", "a"], "model.toml")]
fn a_penalty_below_the_dearest_placement_is_refused_by_every_command(#[case] args: &[&str], #[case] file: &str) {
    // `check` used to say "ready to solve" and `schemes` to choose a portfolio anyway.
    let case = Case::fixture("tiny");
    case.edit(file, "unmet_penalty = 1000000", "unmet_penalty = 1000");
    let out = case.run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("field 'policy.unmet_penalty'") && err.contains("is not above the dearest placement"),
        "{err}"
    );
}

#[test]
fn an_output_folder_that_cannot_take_every_file_is_left_as_it_was() {
    // placements.csv is a folder and an old summary.csv is there: nothing is replaced and no
    // partial file is left.
    let case = Case::fixture("tiny");
    std::fs::create_dir_all(case.path("o/placements.csv")).unwrap();
    case.write("o/summary.csv", "old summary\n");
    let out = case.run(&["solve", "model.toml", "--out", "o"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("placements.csv"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(case.path("o/summary.csv")).unwrap(), "old summary\n");
    let left: Vec<String> = std::fs::read_dir(case.path("o"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut left = left;
    left.sort();
    assert_eq!(left, ["placements.csv", "summary.csv"], "only what was there before");
}

#[test]
fn no_output_replaces_an_input_file_and_a_mistyped_folder_is_not_made() {
    let case = Case::fixture("tiny");
    let demand = std::fs::read_to_string(case.path("demand.csv")).unwrap();
    for args in [
        &["solve", "model.toml", "--write-lp", "demand.csv"][..],
        &["solve", "model.toml", "--write-lp", "./model.toml"],
        &["schemes", "schemes.toml", "--write-lp", "schemes.csv"],
    ] {
        let out = case.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("is one of the model's input files"), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(std::fs::read_to_string(case.path("demand.csv")).unwrap(), demand);
    let out = case.run(&["solve", "model.toml", "--write-lp", "no-such-folder/model.lp"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("the folder no-such-folder does not exist"), "{}", stderr(&out));
    assert!(!case.path("no-such-folder").exists());
}

#[test]
fn bad_boundaries_are_one_line_each_and_nothing_is_written() {
    let case = Case::fixture("tiny");
    case.edit("areas.geojson", "[[-2.48, 53.08], [-2.40, 53.08]", "[[365000, 352000], [-2.40, 53.08]");
    let o = case.run(&["annex", "areas.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "areas.geojson: feature 1 ('Crewe'), field 'geometry': an outer ring has a position (365000, 352000) out \
             of range: expected longitude from -180 to 180"
        ),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!case.path("out").exists(), "nothing written");
    // The property named, but no file of areas.
    let case = Case::fixture("tiny");
    case.edit("areas.toml", r#"areas = "areas.geojson""#, r#"area_name = "WD24NM""#);
    let o = case.run(&["check", "areas.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "areas.toml:7: field 'area_name': names the property of areas, but [annex] has no areas file: expected \
             areas = \"areas.geojson\" too"
        ),
        "{err}"
    );
}

#[test]
fn no_output_replaces_the_file_of_areas() {
    // The areas file kept where `solve --out` writes its GIS layer of the same name.
    let case = Case::fixture("tiny");
    std::fs::create_dir(case.path("gis")).unwrap();
    std::fs::rename(case.path("areas.geojson"), case.path("gis/localities.geojson")).unwrap();
    case.edit("areas.toml", r#"areas = "areas.geojson""#, r#"areas = "gis/localities.geojson""#);
    let before = std::fs::read(case.path("gis/localities.geojson")).unwrap();
    let o = case.run(&["solve", "areas.toml", "--out", "gis"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "error: cannot write gis/localities.geojson: it is one of the model's input files: expected a new file name"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(case.path("gis/localities.geojson")).unwrap(), before);
}

/// Ten demand rows of `children` each, across the tiny authority's localities, needs and
/// phases.
fn ten_rows_of(children: &str) -> String {
    let mut demand = String::from("locality,need,phase,children,provision\n");
    for (locality, need, phase) in [
        ("crewe", "ASD", "primary"),
        ("crewe", "ASD", "secondary"),
        ("crewe", "SEMH", "primary"),
        ("crewe", "SEMH", "secondary"),
        ("crewe", "SLCN", "primary"),
        ("nantwich", "ASD", "primary"),
        ("nantwich", "ASD", "secondary"),
        ("nantwich", "SEMH", "primary"),
        ("nantwich", "SEMH", "secondary"),
        ("nantwich", "SLCN", "secondary"),
    ] {
        demand.push_str(&format!("{locality},{need},{phase},\"{children}\",\n"));
    }
    demand
}

#[test]
fn a_billion_children_a_row_is_refused_at_load_not_overflowed_in_the_solver() {
    // Issue 24: ten rows of 10⁹ children overflowed the network simplex's sum of supplies
    // ("bad network: supplies sum to 18446744073709551616, not 0", and a panic in a debug
    // build). The loader refuses each row, one line each.
    let case = Case::fixture("tiny");
    case.write("demand.csv", &ten_rows_of("1000000000"));
    let out = case.run(&["solve", "model.toml", "--out", "out"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for line in 2..=11 {
        let expected = format!(
            "error: demand.csv:{line}: field 'children': '1000000000' is too large: expected at most 10,000,000"
        );
        assert!(err.lines().any(|l| l == expected), "{expected:?} not in:\n{err}");
    }
    assert!(!err.contains("panicked") && !err.contains("bad network"), "{err}");
    assert!(!case.path("out").exists());
}

#[test]
fn a_year_of_more_than_a_hundred_million_children_is_refused_at_the_row_that_passes_it() {
    let case = Case::fixture("tiny");
    let mut demand = ten_rows_of("10,000,000");
    demand.push_str("nantwich,SLCN,primary,0.5,\n");
    case.write("demand.csv", &demand);
    let out = case.run(&["check", "model.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("demand.csv:12: field 'children': takes the year's demand to 100,000,001 children: expected at most 100,000,000 in all"),
        "{err}"
    );
    assert!(err.contains("1 problem found"), "{err}");
}

#[test]
fn children_places_and_costs_at_the_loaders_bounds_are_solved_exactly_by_the_network_simplex() {
    // 100 million children (ten rows of 10 million, the most a row and a year may hold),
    // each setting 10 million places, the independent school at £1,000,000,000 a place (the
    // most a cost may be). Every place fills (the penalty, £10¹¹, is far above any
    // placement), so by hand: 30 million placed, 70 million unmet, and placements costing
    // 10⁷ × (£22,000 + £15,000 + £1,000,000,000) = £10,000,370,000,000,000. The network
    // simplex solves it (no overflow, no refusal), and microlp agrees.
    let case = Case::fixture("tiny");
    case.write("demand.csv", &ten_rows_of("10,000,000"));
    for (from, to) in
        [(",10,all,all,22000", ",\"10,000,000\",all,all,22000"), (",5,primary", ",\"10,000,000\",primary")]
    {
        case.edit("settings.csv", from, to);
    }
    case.edit(
        "settings.csv",
        ",20,secondary;post-16,SEMH;ASD,60000",
        ",\"10,000,000\",secondary;post-16,SEMH;ASD,\"1,000,000,000\"",
    );
    case.edit("setting_needs.csv", "indep,SEMH,,65000", "indep,SEMH,,1000000000");
    case.edit("model.toml", "unmet_penalty = 1000000", "unmet_penalty = 100000000000");
    let solve = |solver: &str| -> serde_json::Value {
        let out = case.run(&["solve", "model.toml", "--format", "json", "--solver", solver]);
        assert_eq!(out.status.code(), Some(0), "{solver}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("valid JSON")
    };
    let (network, lp) = (solve("network"), solve("microlp"));
    assert_eq!(network["facts"]["solver"], "network");
    assert_eq!(lp["facts"]["solver"], "microlp");
    let figure = |plan: &serde_json::Value, key: &str| plan["summary"][key].as_f64().unwrap();
    assert_eq!(figure(&network, "children"), 100_000_000.0);
    assert_eq!(figure(&network, "unmet"), 70_000_000.0);
    assert_eq!(figure(&network, "placement_cost"), 10_000_370_000_000_000.0);
    assert_eq!(figure(&network, "unmet_penalty"), 7e18);
    for key in ["unmet", "placement_cost", "unmet_penalty"] {
        let (a, b) = (figure(&network, key), figure(&lp, key));
        assert!((a - b).abs() <= 1e-9 * a, "{key}: network {a}, microlp {b}");
    }
    let stage = |plan: &serde_json::Value| plan["facts"]["stages"][0][1].as_f64().unwrap();
    let (a, b) = (stage(&network), stage(&lp));
    assert!((a - b).abs() <= 1e-9 * a, "optimum: network {a}, microlp {b}");
}

/// A workbook or a table given where the model file goes is told what to do, on one line, by
/// every command that reads a model (issue 26 #17: it was "cannot read this line").
#[rstest]
#[case::workbook("model.xlsx", "is a workbook: expected a model file (TOML) that names it")]
#[case::opendocument("Model.ODS", "is a workbook: expected a model file (TOML) that names it")]
#[case::table("demand.csv", "is a table: expected a model file (TOML) that names it under [tables]")]
fn a_workbook_or_table_given_as_the_model_file_is_told_what_to_do(#[case] file: &str, #[case] expected: &str) {
    let case = Case::fixture("tiny");
    if !case.path(file).exists() {
        case.write(file, "not a model file\n");
    }
    for command in ["check", "solve"] {
        let out = case.run(&[command, file]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        assert!(
            err.lines().next().is_some_and(|l| l.starts_with(&format!("error: {file}: {expected}"))),
            "{command}: {err}"
        );
    }
}

/// Found by the property tests (`a_mutated_model_file`, one run in a few): the borough's areas
/// named as the root folder, a path with no file name, are refused on one line naming it.
#[test]
fn areas_named_as_a_folder_with_no_file_name_are_refused_on_one_line() {
    let case = Case::fixture("tiny");
    case.edit("areas.toml", "areas = \"areas.geojson\"", "areas = \"/\"");
    let out = case.run(&["check", "areas.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("error: /: is not a regular file: expected a GeoJSON file of areas\n"), "{err}");
}

/// Runs `sufficiency ARGS` in the case folder through `sh`, with `redirect` applied to its
/// standard output (`>&-` closes it, as a shell or a cron job may).
fn run_redirected(case: &Case, args: &str, redirect: &str) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" {args} {redirect}"))
        .arg(env!("CARGO_BIN_EXE_sufficiency"))
        .current_dir(case.dir.path())
        .output()
        .expect("sh runs")
}

#[test]
#[cfg(target_os = "linux")]
fn a_closed_standard_output_is_an_output_error_on_one_line() {
    let case = Case::fixture("tiny");
    let out = run_redirected(&case, "solve model.toml", ">&-");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: cannot write standard output: it is closed"), "{err}");
    // /dev/null opened for reading and writing is what a closed one becomes: refused too.
    assert_eq!(run_redirected(&case, "solve model.toml", "1<>/dev/null").status.code(), Some(5));
}

#[test]
fn standard_output_sent_to_dev_null_a_pipe_or_a_file_is_written_as_asked() {
    let case = Case::fixture("tiny");
    for redirect in [">/dev/null", "| head -c 10 >/dev/null", "", "> report.txt"] {
        let out = run_redirected(&case, "solve model.toml", redirect);
        assert_eq!(out.status.code(), Some(0), "{redirect}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{redirect}: {}", stderr(&out));
    }
    assert!(std::fs::read_to_string(case.path("report.txt")).unwrap().contains("placement plan for 2025/26"));
    // A program discarding the report as Rust's Stdio::null() does (/dev/null for writing).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sufficiency"))
        .args(["solve", "model.toml"])
        .current_dir(case.dir.path())
        .stdout(std::process::Stdio::null())
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_model_too_big_for_the_memory_available_is_refused_with_the_memory_found() {
    // SUFFICIENCY_MEMORY states the memory a run may take, as a control group's limit would
    // (issue 26, case 16: under a 6 GB limit an accepted model aborted).
    let case = Case::fixture("tiny");
    let run = |bytes: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sufficiency"))
            .args(["solve", "model.toml"])
            .current_dir(case.dir.path())
            .env("SUFFICIENCY_MEMORY", bytes)
            .output()
            .expect("binary runs")
    };
    // The tiny model weighs about 8 placements: 4,240 bytes, three quarters of 5,653.
    let out = run("5000");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: model.toml: ")
            && err.contains("make about 8 placements to weigh")
            && err.contains("expected at most 7 with 0 MB of memory as SUFFICIENCY_MEMORY states; group localities into larger areas"),
        "{err}"
    );
    assert_eq!(run("6000000000").status.code(), Some(0));
}
