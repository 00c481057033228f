//! `scap`, the DfE's SCAP specialist-provision return, through the real binary: on the
//! sample (its totals against what `forecast` and `solve` write), on names that need quoting,
//! and on a folder it cannot write.

#[allow(dead_code)]
#[path = "e2e/util.rs"]
mod util;

use std::collections::BTreeMap;
use std::path::Path;

use util::{Case, Record, number, rows, stderr, stdout};

/// A case folder with no files: for running the binary on the sample by absolute paths.
fn empty_case() -> Case {
    Case { dir: tempfile::tempdir().expect("temp dir") }
}

fn sample(model: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models").join(model).to_string_lossy().into_owned()
}

fn add(map: &mut BTreeMap<(String, String), f64>, year: &str, phase: &str, v: f64) {
    *map.entry((year.to_string(), phase.to_string())).or_default() += v;
}

fn assert_same(a: &BTreeMap<(String, String), f64>, b: &BTreeMap<(String, String), f64>, what: &str) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{what}");
    for (k, v) in a {
        assert!((v - b[k]).abs() < 1e-6, "{what} {k:?}: {v} against {}", b[k]);
    }
}

/// The sample's settings in the return: state-funded special schools and resourced
/// provision in the borough, with their places in the base year (settings.csv's column).
fn sample_places_in_return() -> (usize, f64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/cheshire-east/settings.csv");
    let mut r = csv::Reader::from_path(path).expect("settings.csv");
    let (mut n, mut places) = (0, 0.0);
    for rec in r.deserialize::<Record>() {
        let rec = rec.expect("row");
        let kind = rec["kind"].as_str();
        if rec["in_borough"] == "yes"
            && ["maintained-special", "academy-special", "resourced-provision"].contains(&kind)
        {
            n += 1;
            places += number(&rec, "places");
        }
    }
    (n, places)
}

#[test]
fn the_five_year_samples_return_adds_up_to_its_forecast_and_its_plan() {
    let case = empty_case();
    let five = sample("cheshire-east-horizon.toml");
    let out = case.run(&["--quiet", "scap", &five, "--out", "scap"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Capacity as at May 2026"), "{}", stdout(&out));
    let out = case.run(&["--quiet", "forecast", &five, "--out", "forecast"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // The forecast: by year, phase and national curriculum year, as forecast.csv has it
    // (every locality of the sample is in the borough).
    let scap = rows(&case, "scap/scap_forecast.csv");
    let mut by_year_group: BTreeMap<(String, String), f64> = BTreeMap::new();
    let mut by_phase: BTreeMap<(String, String), f64> = BTreeMap::new();
    for r in &scap {
        assert_eq!(r["time_period"], r["school_year"].replace('/', ""));
        add(&mut by_year_group, &r["school_year"], &format!("{} {}", r["phase"], r["nc_year"]), number(r, "pupils"));
        add(&mut by_phase, &r["school_year"], &r["phase"], number(r, "pupils"));
    }
    let mut forecast_by_year_group = BTreeMap::new();
    for r in rows(&case, "forecast/forecast.csv") {
        add(
            &mut forecast_by_year_group,
            &r["year"],
            &format!("{} {}", r["phase"], r["year_group"]),
            number(&r, "children"),
        );
    }
    assert_same(&by_year_group, &forecast_by_year_group, "by year group against forecast.csv");
    assert_eq!(by_phase.len(), 15, "five years of three phases");

    // The plan `solve` makes: each year's children placed and unmet, by phase.
    let out = case.run(&["--quiet", "solve", &five, "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut solved = BTreeMap::new();
    for y in plan["years"].as_array().unwrap() {
        let year = y["facts"]["planning_year"].as_str().unwrap();
        for p in y["placements"].as_array().unwrap().iter().chain(y["gaps"].as_array().unwrap()) {
            add(&mut solved, year, p["phase"].as_str().unwrap(), p["children"].as_f64().unwrap());
        }
    }
    assert_same(&by_phase, &solved, "by phase against solve");
    let first: f64 = by_phase.iter().filter(|((y, _), _)| y == "2025/26").map(|(_, v)| v).sum();
    assert!((first - 1552.8).abs() < 1e-6, "{first}");

    // The capacity: a line per special school and resourced provision in the borough.
    let capacity = rows(&case, "scap/scap_capacity.csv");
    let (n, places) = sample_places_in_return();
    assert_eq!(capacity.len(), n);
    let total: f64 = capacity.iter().map(|r| number(r, "capacity")).sum();
    assert!((total - places).abs() < 1e-9 && places > 0.0, "{total} against {places}");
    assert!(capacity.iter().all(|r| r["time_period"] == "202526" && r["school_urn"].is_empty()));
    let kinds: Vec<&str> = capacity.iter().map(|r| r["provision_type"].as_str()).collect();
    for kind in ["Special school", "SEN unit", "Resourced provision"] {
        assert!(kinds.contains(&kind), "{kind}: {kinds:?}");
    }
    let saltersford = capacity.iter().find(|r| r["setting"] == "saltersford-academy").unwrap();
    assert_eq!((saltersford["school_phase"].as_str(), saltersford["secondary_capacity"].as_str()), ("Secondary", "59"));
}

#[test]
fn the_one_year_sample_is_forecast_by_phase() {
    let case = empty_case();
    let out = case.run(&["--quiet", "scap", &sample("cheshire-east.toml"), "--out", "scap"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let scap = rows(&case, "scap/scap_forecast.csv");
    let got: Vec<(&str, &str, &str)> =
        scap.iter().map(|r| (r["education_phase"].as_str(), r["nc_year"].as_str(), r["pupils"].as_str())).collect();
    assert_eq!(got, [("Primary", "", "524.300"), ("Secondary", "", "765.300"), ("Post-16", "", "263.200")]);
}

#[test]
fn names_with_commas_quotes_and_formulas_are_written_as_they_read() {
    let case = Case::fixture("tiny");
    case.edit("settings.csv", "near,Near Special School,", "near,\"Near, the \"\"Big\"\" School\",");
    case.edit("settings.csv", "unit,Nantwich Unit,", "unit,=HYPERLINK(\"x\"),");
    let out = case.run(&["--quiet", "scap", "model.toml", "--out", "scap"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let capacity = rows(&case, "scap/scap_capacity.csv");
    let names: Vec<&str> = capacity.iter().map(|r| r["school_name"].as_str()).collect();
    assert_eq!(names, ["Near, the \"Big\" School", "'=HYPERLINK(\"x\")"]);
    // The unit is a unit by its kind, whatever its name now says.
    assert_eq!(capacity[1]["provision_type"], "Resourced provision");
    let text = std::fs::read_to_string(case.path("scap/scap_capacity.csv")).unwrap();
    assert!(text.contains("\"Near, the \"\"Big\"\" School\""), "{text}");
}

#[test]
fn a_file_that_cannot_be_written_leaves_neither() {
    let case = Case::fixture("tiny");
    // scap_forecast.csv is a folder: it cannot be written, so scap_capacity.csv is not either.
    std::fs::create_dir_all(case.path("scap/scap_forecast.csv")).unwrap();
    let out = case.run(&["--quiet", "scap", "model.toml", "--out", "scap"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("scap_forecast.csv"), "{}", stderr(&out));
    assert!(!case.path("scap/scap_capacity.csv").exists());
    assert!(stdout(&out).is_empty());
}
