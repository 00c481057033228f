//! Multi-year models, scenarios and comparisons through the real binary.

use crate::util::{Case, number, rows, stderr, stdout};

fn json(case: &Case, args: &[&str]) -> serde_json::Value {
    let out = case.run(args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn a_multi_year_model_reports_each_year() {
    let case = Case::fixture("tiny");
    let plan = json(&case, &["solve", "horizon.toml", "--format", "json"]);
    let years: Vec<&str> =
        plan["years"].as_array().unwrap().iter().map(|y| y["facts"]["planning_year"].as_str().unwrap()).collect();
    assert_eq!(years, ["2025/26", "2026/27", "2027/28"]);
    // "near" grows from 10 to 12 places in 2026/27.
    let places = |k: usize| -> f64 {
        plan["years"][k]["setting_use"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["setting"] == "near" && u["need"] == "all")
            .unwrap()["places"]
            .as_f64()
            .unwrap()
    };
    assert_eq!((places(0), places(1), places(2)), (10.0, 12.0, 12.0));
    // Children placed now stay: 3 at near and 4 at indep in the base year.
    let staying: f64 =
        plan["years"][0]["placements"].as_array().unwrap().iter().map(|p| p["staying"].as_f64().unwrap()).sum();
    assert!((staying - 7.0).abs() < 1e-9);
    let out = case.run(&["solve", "horizon.toml", "--out", "out", "--write-lp", "out/plan.lp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = std::fs::read_to_string(case.path("out/summary.csv")).unwrap();
    assert!(summary.starts_with("figure,unit,2025/26,2026/27,2027/28,all_years\n"), "{summary}");
    let placements = std::fs::read_to_string(case.path("out/placements.csv")).unwrap();
    assert!(placements.starts_with("year,locality,"), "{placements}");
    // Why each group is placed where it is: a row per year and demand row with children, as
    // each year's `placement_reasons` in the JSON.
    let reasons = std::fs::read_to_string(case.path("out/placement_reasons.csv")).unwrap();
    assert!(reasons.starts_with("year,need,phase,locality,"), "{reasons}");
    for (k, year) in ["2025/26", "2026/27", "2027/28"].iter().enumerate() {
        let rows = reasons.lines().filter(|l| l.starts_with(&format!("{year},"))).count();
        assert_eq!(rows, plan["years"][k]["placement_reasons"].as_array().unwrap().len(), "{year}");
        assert!(rows > 0, "{year}");
    }
    for year in ["2025-26", "2026-27", "2027-28"] {
        assert!(case.path(&format!("out/plan-{year}.lp")).is_file());
    }
}

#[test]
fn forecast_prints_and_writes_need_by_year() {
    let case = Case::fixture("tiny");
    let out = case.run(&["forecast", "horizon.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("forecast variant central") && text.contains("2027/28"), "{text}");
    let csv = std::fs::read_to_string(case.path("out/forecast.csv")).unwrap();
    assert!(csv.starts_with("year,locality,need,year_group,phase,provision,children\n"));
    // Each year's need by locality, need, phase and provision is the cohort aged by hand
    // (util::need_by_hand, central rates); the file gives children to 3 decimals a year group.
    for k in 0..3 {
        let year = format!("{}/{},", 2025 + k, 26 + k);
        let hand = crate::util::need_by_hand(&crate::util::CENTRAL, k);
        let mut total = 0.0;
        for (l, n, p, provision, children) in &hand {
            let key = format!("{l},{n},");
            let tail = format!(",{p},{provision},");
            let file: f64 = csv
                .lines()
                .filter(|line| line.starts_with(&year) && line[year.len()..].starts_with(&key) && line.contains(&tail))
                .map(|line| line.rsplit(',').next().unwrap().parse::<f64>().unwrap())
                .sum();
            assert!((file - children).abs() < 0.002, "{year} {l} {n} {p}: {file} in the file, {children} by hand");
            total += children;
        }
        let all: f64 = csv
            .lines()
            .filter(|line| line.starts_with(&year))
            .map(|line| line.rsplit(',').next().unwrap().parse::<f64>().unwrap())
            .sum();
        assert!((all - total).abs() < 0.005, "{year}: {all} in the file, {total} by hand");
    }
    let single = case.run(&["forecast", "model.toml"]);
    assert_eq!(single.status.code(), Some(1));
    assert!(stderr(&single).contains("has no [horizon] section"));
}

#[test]
fn a_scenario_overrides_values_and_adds_rows() {
    let case = Case::fixture("tiny");
    let plan = json(&case, &["solve", "scenario-unit.toml", "--format", "json"]);
    let y = &plan["years"][1];
    // The added SEMH unit is used; the unit closed from 2027/28 has no places then.
    let used = |k: usize, id: &str| -> f64 {
        plan["years"][k]["setting_use"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["setting"] == id && u["need"] == "all")
            .unwrap()["used"]
            .as_f64()
            .unwrap()
    };
    // By hand: 4 of Crewe's 6 SEMH children stay at Stoke; the other 2 take the new unit
    // (£18,000, against Near's 2 SEMH places at £22,000 or Stoke at £65,000 + £20,000 weight)
    // and stay there; 2.1 new year 7 children join them in 2026/27 (4.1 of 8 places); in
    // 2027/28 those 2.1 less the 10% who leave after year 7 stay, and 2.205 more arrive:
    // 2 + 1.89 + 2.205 = 6.095.
    assert!((used(0, "semh-unit") - 2.0).abs() < 1e-9, "{y}");
    assert!((used(1, "semh-unit") - 4.1).abs() < 1e-9, "{y}");
    assert!((used(2, "semh-unit") - 6.095).abs() < 1e-9, "{y}");
    assert_eq!(used(2, "unit"), 0.0);
    assert!(
        plan["years"][0]["facts"]["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().ends_with("extra-settings.csv"))
    );
    // The weight override: the out-of-borough weight is 20,000 a child.
    let s = &y["summary"];
    assert!(
        (s["out_of_borough_weight"].as_f64().unwrap() - 20_000.0 * s["placed_out_of_borough"].as_f64().unwrap()).abs()
            < 1e-6
    );
}

#[test]
fn a_cycle_of_extends_is_an_error_naming_the_file_and_line() {
    let case = Case::fixture("tiny");
    let out = case.run(&["check", "cycle-a.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "cycle-b.toml:2: field 'extends': extends 'cycle-a.toml', which leads back to this file: a cycle"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn removing_a_row_that_is_not_there_is_an_error_naming_the_file_and_line() {
    let case = Case::fixture("tiny");
    let out = case.run(&["check", "scenario-bad-remove.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "scenario-bad-remove.toml:6: field 'ids': remove_rows names 'ghost', which is not in the settings table"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_override_of_an_absent_setting_is_an_error() {
    let case = Case::fixture("tiny");
    case.edit("scenario-unit.toml", "setting = \"unit\"", "setting = \"nowhere\"");
    let out = case.run(&["check", "scenario-unit.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "scenario-unit.toml:13: field 'places': names setting 'nowhere', which is not in the settings table"
        ),
        "{}",
        stderr(&out)
    );
}

/// Each year's spend of `model` (a multi-year model of the tiny fixture), priced here from
/// the rows of its placements.csv: every row's fee is the one read by hand from settings.csv,
/// setting_needs.csv and extra-settings.csv, its transport the model's formula (£1,000 a
/// child + £1 a km, 2 journeys a day, 190 days) on the row's distance, and its cost their sum
/// times the children; the year's spend is the sum of its rows.
fn spend_priced_here(case: &Case, model: &str) -> Vec<f64> {
    let out = format!("priced-{model}");
    let run = case.run(&["solve", model, "--out", &out]);
    assert!(run.status.success(), "{}", stderr(&run));
    let fee = |setting: &str, need: &str| match (setting, need) {
        ("indep", "SEMH") => 65_000.0,
        ("near", _) => 22_000.0,
        ("unit", _) => 15_000.0,
        ("indep", _) => 60_000.0,
        ("semh-unit", _) => 18_000.0,
        other => panic!("no such setting in the fixture: {other:?}"),
    };
    let years = ["2025/26", "2026/27", "2027/28"];
    let mut spend = vec![0.0; years.len()];
    for row in rows(case, &format!("{out}/placements.csv")) {
        let children = number(&row, "children");
        let place = fee(&row["setting"], &row["need"]);
        assert!((number(&row, "cost_per_place") - place).abs() < 0.005, "{model}: {row:?}");
        // The distance is shown to 0.1 km: the transport within 0.05 km × 380 of the formula.
        let transport = number(&row, "transport_per_child");
        let by_formula = 1_000.0 + number(&row, "journey_km") * 2.0 * 190.0;
        assert!((transport - by_formula).abs() <= 0.05 * 380.0 + 0.01, "{model}: {row:?}");
        let cost = number(&row, "annual_cost");
        assert!((cost - children * (place + transport)).abs() <= 0.005 * children + 0.01, "{model}: {row:?}");
        spend[years.iter().position(|y| *y == row["year"]).expect("a year planned")] += cost;
    }
    spend
}

#[test]
fn compare_totals_are_each_models_placements_priced_row_by_row() {
    let case = Case::fixture("tiny");
    let base = spend_priced_here(&case, "horizon.toml");
    let high = spend_priced_here(&case, "scenario-high.toml");
    let unit = spend_priced_here(&case, "scenario-unit.toml");
    // What the fixture makes plain without solving: need grows each year (the cohort ages in
    // and new plans are added), and faster in the high variant from the second year on.
    assert!(base.windows(2).all(|w| w[1] > w[0]) && high.windows(2).all(|w| w[1] > w[0]), "{base:?} {high:?}");
    assert!(high.iter().zip(&base).skip(1).all(|(h, b)| h > b), "the high variant costs more: {high:?} {base:?}");
    let out = case.run(&["compare", "horizon.toml", "scenario-high.toml", "scenario-unit.toml", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[3], "Tiny test authority, three years");
    assert_eq!(&headers[5], "New SEMH unit");
    assert_eq!(&headers[6], "change: High growth");
    let pounds = |s: &str| -> f64 {
        let negative = s.starts_with('-');
        let v: f64 = s.trim_start_matches(['+', '-']).trim_start_matches('£').replace(',', "").parse().unwrap();
        if negative { -v } else { v }
    };
    let mut checked = 0;
    for row in reader.records().map(Result::unwrap) {
        if &row[0] != "Total spend" {
            continue;
        }
        let (b, h, u) = match &row[2] {
            "all years" => (base.iter().sum::<f64>(), high.iter().sum::<f64>(), unit.iter().sum::<f64>()),
            year => {
                let k = ["2025/26", "2026/27", "2027/28"].iter().position(|y| *y == year).unwrap();
                (base[k], high[k], unit[k])
            }
        };
        // Whole pounds shown, each row's cost to the penny: within £1.
        assert!((pounds(&row[3]) - b).abs() <= 1.0, "{row:?}: {b}");
        assert!((pounds(&row[4]) - h).abs() <= 1.0, "{row:?}: {h}");
        assert!((pounds(&row[5]) - u).abs() <= 1.0, "{row:?}: {u}");
        assert!((pounds(&row[6]) - (h - b)).abs() <= 1.0, "{row:?}: {} vs {}", pounds(&row[6]), h - b);
        assert!((pounds(&row[7]) - (u - b)).abs() <= 1.0, "{row:?}");
        checked += 1;
    }
    assert_eq!(checked, 4, "three years and all years");
}

#[test]
fn demand_can_be_given_by_year_directly() {
    let case = Case::fixture("tiny");
    let plan = json(&case, &["solve", "horizon-direct.toml", "--format", "json"]);
    let children: Vec<f64> =
        plan["years"].as_array().unwrap().iter().map(|y| y["summary"]["children"].as_f64().unwrap()).collect();
    assert_eq!(children, [10.0, 13.0]);
    // Children placed in the first year are spread evenly over their phase's year groups;
    // all but those in the phase's last year group stay in the second year.
    assert!(plan["years"][1]["placements"].as_array().unwrap().iter().any(|p| p["staying"].as_f64().unwrap() > 0.0));
}

#[test]
fn demand_by_year_must_cover_the_horizon_and_no_more() {
    let case = Case::fixture("tiny");
    case.edit("demand_by_year.csv", "2026/27,crewe,ASD", "2027/28,crewe,ASD");
    case.edit("demand_by_year.csv", "2026/27,crewe,SEMH", "2028/29,crewe,SEMH");
    let out = case.run(&["check", "horizon-direct.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "demand_by_year.csv:4: field 'year': '2027/28' is not a year of the horizon: expected 2025/26 to 2026/27"
        ),
        "{err}"
    );
}

#[test]
fn a_scenario_can_extend_a_scenario() {
    let case = Case::fixture("tiny");
    let out = case.run(&["check", "scenario-chain.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Name from the last file, variant from the middle one, tables from the first.
    let text = stdout(&out);
    assert!(text.starts_with("High growth, in borough first — inputs for 2025/26"), "{text}");
    assert!(text.contains("with the 'high' rates"), "{text}");
    let plan = json(&case, &["solve", "scenario-chain.toml", "--format", "json"]);
    let s = &plan["years"][0]["summary"];
    assert!(
        (s["out_of_borough_weight"].as_f64().unwrap() - 30_000.0 * s["placed_out_of_borough"].as_f64().unwrap()).abs()
            < 1e-6
    );
}
