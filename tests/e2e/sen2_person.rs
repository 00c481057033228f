//! `import sen2`: the council's own SEN2 person-level export (the synthetic one of
//! tests/fixtures/sen2-person, ~2,000 made-up children) read into the base year's tables,
//! every count compared with the one the fixture's script worked out, and a model built
//! from the tables solved.

use std::collections::BTreeMap;

use crate::util::{Case, number, rows, stderr, stdout};

fn import(case: &Case, lookup: &str, out: &str) -> std::process::Output {
    case.run(&["import", "sen2", ".", "--model", "model.toml", "--postcodes", lookup, "--out", out])
}

fn expected(case: &Case) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(case.path("expected.json")).expect("expected.json")).expect("json")
}

/// Children of a table summed by a column.
fn by(case: &Case, file: &str, column: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for r in rows(case, file) {
        *out.entry(r[column].clone()).or_default() += number(&r, "children");
    }
    out
}

fn as_map(v: &serde_json::Value) -> BTreeMap<String, f64> {
    v.as_object().expect("object").iter().map(|(k, n)| (k.clone(), n.as_f64().expect("number"))).collect()
}

#[test]
fn sen2_import_reproduces_the_scripts_counts() {
    let case = Case::fixture("sen2-person");
    let out = import(&case, "postcodes.csv", "out");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let want = expected(&case);
    // Every count of the reconciliation, and no other.
    let mut got: Vec<(String, String, u64)> = rows(&case, "out/reconciliation.csv")
        .into_iter()
        .map(|r| (r["measure"].clone(), r["key"].clone(), r["children"].parse().expect("count")))
        .collect();
    let mut wanted: Vec<(String, String, u64)> = want["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| {
            (
                c["measure"].as_str().expect("measure").to_string(),
                c["key"].as_str().expect("key").to_string(),
                c["children"].as_u64().expect("children"),
            )
        })
        .collect();
    got.sort();
    wanted.sort();
    assert_eq!(got, wanted);
    // The tables: the children written, by setting, locality, need, year group and phase.
    let written = &want["written"];
    assert_eq!(by(&case, "out/current_placements.csv", "setting"), as_map(&written["by_setting"]));
    assert_eq!(by(&case, "out/current_placements.csv", "locality"), as_map(&written["by_locality"]));
    assert_eq!(by(&case, "out/cohort.csv", "need"), as_map(&written["by_need"]));
    assert_eq!(by(&case, "out/cohort.csv", "year_group"), as_map(&written["by_year_group"]));
    assert_eq!(by(&case, "out/demand.csv", "phase"), as_map(&written["by_phase"]));
    // Children who board are rows of their own, with the weeks in `residence` (the fixture's
    // flags, `RSC`, `1`, `Y`, do not say 52, so 38-week).
    let mut residential = BTreeMap::new();
    for r in rows(&case, "out/current_placements.csv") {
        match r["residence"].as_str() {
            "" => {}
            "38-week" => *residential.entry(r["setting"].clone()).or_default() += number(&r, "children"),
            other => panic!("residence {other:?}"),
        }
    }
    assert_eq!(residential, as_map(&written["residential_by_setting"]));
    // The printed reconciliation says the same, and that the files hold counts only.
    let count = |measure: &str| -> u64 { wanted.iter().filter(|(m, ..)| m == measure).map(|(.., n)| n).sum() };
    let line = |label: &str, n: u64| {
        let shown = if n >= 1000 { format!("{},{:03}", n / 1000, n % 1000) } else { n.to_string() };
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(label) && l.trim_end().ends_with(&format!(" {shown}"))),
            "{label} {shown}:\n{text}"
        );
    };
    line("children read", count("read"));
    line("with an active plan at the census", count("active"));
    line("main placement at a setting of the model", count("specialist"));
    line("postcode not found in the lookup", count("postcode_not_found"));
    line("written to the tables", count("written"));
    assert!(text.contains("census date 16 January 2025 (school year 2024/25)"), "{text}");
    assert!(text.contains("They hold counts only"), "{text}");
    assert!(text.contains("URN   130001"), "{text}");
    // Settings not in the model, each with its children.
    let not_in: u64 = rows(&case, "out/settings_not_in_model.csv").iter().map(|r| number(r, "children") as u64).sum();
    assert_eq!(not_in, count("not_in_model_urn") + count("not_in_model_ukprn"));

    // The ONS postcode directory's form gives the same tables (each of its points is nearest
    // its own locality).
    let onspd = import(&case, "onspd.csv", "out-onspd");
    assert!(onspd.status.success(), "{}", stderr(&onspd));
    assert!(stdout(&onspd).contains("the ONS postcode directory"), "{}", stdout(&onspd));
    for file in ["current_placements.csv", "cohort.csv", "demand.csv", "reconciliation.csv"] {
        let a = std::fs::read_to_string(case.path(&format!("out/{file}"))).expect("read");
        let b = std::fs::read_to_string(case.path(&format!("out-onspd/{file}"))).expect("read");
        assert_eq!(a, b, "{file}");
    }
}

/// No name, date of birth, UPN or postcode of the export reaches any file written or the
/// output.
#[test]
fn sen2_import_writes_no_personal_data() {
    let case = Case::fixture("sen2-person");
    let out = import(&case, "postcodes.csv", "out");
    assert!(out.status.success(), "{}", stderr(&out));
    let mut written = stdout(&out) + &stderr(&out);
    for f in std::fs::read_dir(case.path("out")).expect("out") {
        written.push_str(&std::fs::read_to_string(f.expect("entry").path()).expect("read"));
    }
    let people = rows(&case, "Blade-Export_20-01-2025_person.csv");
    assert_eq!(people.len(), 2000);
    for p in &people {
        for column in ["surname", "forename", "personbirthdate", "upn", "uniquelearnernumber"] {
            let v = &p[column];
            assert!(v.is_empty() || !written.contains(v.as_str()), "{column} written");
        }
        let postcode: String = p["postcode"].chars().filter(|c| !c.is_whitespace()).collect();
        if !postcode.is_empty() {
            assert!(!written.replace(' ', "").to_uppercase().contains(&postcode.to_uppercase()), "postcode written");
        }
    }
}

/// A model built from the tables solves: the multi-year model (cohort and current
/// placements) and the single-year one (demand by phase).
#[test]
fn a_model_built_from_the_sen2_import_solves() {
    let case = Case::fixture("sen2-person");
    let out = import(&case, "postcodes.csv", "out");
    assert!(out.status.success(), "{}", stderr(&out));
    // At the default journey limits: children who stay at a setting beyond today's limit (a
    // real return holds them) keep their place, and no new child joins them.
    case.write(
        "built.toml",
        "name = \"SEN2 fixture authority, from its return\"\n\n[horizon]\nfirst_year = \"2024/25\"\nyears = 3\n\
             variant = \"central\"\n\n[tables]\nlocalities = \"localities.csv\"\nsettings = \"settings.csv\"\n\
             cohort = \"out/cohort.csv\"\nforecast_rates = \"forecast_rates.csv\"\n\
             current_placements = \"out/current_placements.csv\"\n",
    );
    let solved = case.run(&["solve", "built.toml", "--out", "plan"]);
    assert!(solved.status.success(), "{}", stderr(&solved));
    let text = stdout(&solved);
    let written = expected(&case)["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .find(|c| c["measure"] == "written")
        .and_then(|c| c["children"].as_u64())
        .expect("written");
    // The base year's need is the children written.
    let need = text.lines().find(|l| l.starts_with("Children needing a specialist place")).expect("need line");
    assert!(need.split_whitespace().nth(5) == Some(&format!("{written}.0")), "{need}");
    case.write(
        "built-single.toml",
        "name = \"SEN2 fixture authority, one year\"\nplanning_year = \"2024/25\"\n\n[tables]\n\
             localities = \"localities.csv\"\nsettings = \"settings.csv\"\ndemand = \"out/demand.csv\"\n",
    );
    let single = case.run(&["solve", "built-single.toml"]);
    assert!(single.status.success(), "{}", stderr(&single));
}

#[test]
fn sen2_export_faults_are_one_line_each_naming_file_line_and_field() {
    let case = Case::fixture("sen2-person");
    let module = |m: &str| format!("Blade-Export_20-01-2025_{m}.csv");
    // A bad date of birth (never quoted), a bad rank, a placement of no active plan, and
    // the senneed file without its rank column.
    let person = std::fs::read_to_string(case.path(&module("person"))).expect("read");
    let second = person.lines().nth(1).expect("a person");
    let birth = second.split(',').nth(7).expect("birth date").to_string();
    assert!(!birth.is_empty());
    case.edit(&module("person"), &birth, "2012-Foo-31 00:00:00");
    let placements = std::fs::read_to_string(case.path(&module("placementdetail"))).expect("read");
    let row = placements.lines().nth(1).expect("a placement").to_string();
    let cells: Vec<&str> = row.split(',').collect();
    let mut bad = cells.clone();
    bad[9] = "first";
    case.edit(&module("placementdetail"), &row, &bad.join(","));
    let row3 = placements.lines().nth(3).expect("a placement").to_string();
    let mut orphan: Vec<&str> = row3.split(',').collect();
    orphan[4] = "99999999";
    case.edit(&module("placementdetail"), &row3, &orphan.join(","));
    case.edit(&module("senneed"), "sentyperank", "sentype_rank");
    let out = import(&case, "postcodes.csv", "out");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("error: ./{}:1: missing column 'sentyperank'", module("senneed"))), "{err}");
    assert!(err.contains("1 problem found"), "{err}");
    // With the column back, the rows' faults.
    case.edit(&module("senneed"), "sentype_rank", "sentyperank");
    let out = import(&case, "postcodes.csv", "out");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "error: ./{}:2: field 'personbirthdate': is not a date: expected one like 2025-Jan-16 00:00:00",
            module("person")
        )),
        "{err}"
    );
    assert!(!err.contains("2012-Foo-31"), "a date of birth is never quoted: {err}");
    assert!(
        err.contains(&format!(
            "error: ./{}:2: field 'placementrank': 'first' is not a rank: expected a whole number, 1 for the first",
            module("placementdetail")
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "error: ./{}:4: field 'activeplanstableid': names no row of ./{}",
            module("placementdetail"),
            module("activeplans")
        )),
        "{err}"
    );
    assert!(err.contains("3 problems found; nothing was solved or written."), "{err}");
    assert!(!case.path("out").exists());
    // A lookup naming a locality the model lacks.
    case.edit(&module("person"), "2012-Foo-31 00:00:00", &birth);
    case.edit(&module("placementdetail"), &bad.join(","), &row);
    case.edit(&module("placementdetail"), &orphan.join(","), &row3);
    case.edit("postcodes.csv", ",crewe\n", ",Crew\n");
    let out = import(&case, "postcodes.csv", "out");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("postcodes.csv:"), "{err}");
    assert!(err.contains("field 'locality': 'Crew' is not a locality of the model"), "{err}");
}

/// The settings table's `urn` and `ukprn` columns are checked as the model is read.
#[test]
fn a_settings_urn_or_ukprn_that_is_not_one_is_refused() {
    let case = Case::fixture("sen2-person");
    case.edit("settings.csv", ",111001,", ",11100A,");
    case.edit("settings.csv", ",10012345", ",1001234");
    let out = case.run(&["check", "model.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("settings.csv:2: field 'urn': '11100A' is not a URN: expected the school's unique reference number in digits"),
        "{err}"
    );
    assert!(
        err.contains("settings.csv:6: field 'ukprn': '1001234' is not a UKPRN: expected the provider's 8-digit UK provider reference number"),
        "{err}"
    );
}
