//! `annex` on the whole-caseload sample (`models/cheshire-east-all-plans.toml`): every plan by
//! type of setting adds up to the children `solve` plans each year, the sections of the whole
//! caseload are there (and absent from a specialist model's annex), and no withheld count in
//! their tables can be worked out from a row's or a column's total.

#[allow(dead_code)]
#[path = "e2e/util.rs"]
mod util;

use std::path::Path;

use util::{Case, FEW_FUTURES, stderr, stdout};

fn sample(model: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models").join(model).to_string_lossy().into_owned()
}

/// A CSV file as text cells, headings first.
fn grid(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_path(path).expect("csv written");
    r.records().map(|rec| rec.expect("record").iter().map(str::to_string).collect()).collect()
}

fn annex(case: &Case, model: &str) -> std::path::PathBuf {
    let out = case.path("out");
    let o = case.run(&["annex", &sample(model), "--out", out.to_str().unwrap(), "--draws", FEW_FUTURES]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// A withheld cell is never the only one in a line that has its total shown: rows ending
/// in a total column (when `row_totals`) and columns ending in a total row.
fn no_lone_withheld(id: &str, g: &[Vec<String>], row_totals: bool) {
    let body = &g[1..];
    for c in 1..g[0].len() {
        let withheld = body.iter().filter(|r| r[c] == "c").count();
        assert_ne!(withheld, 1, "{id}: column {}", g[0][c]);
    }
    if row_totals {
        for r in body {
            assert_ne!(r[1..].iter().filter(|v| *v == "c").count(), 1, "{id}: row {r:?}");
        }
    }
}

#[test]
fn the_whole_caseload_is_in_the_annex_by_type_of_setting_and_adds_up_to_the_plans_children() {
    let case = Case { dir: tempfile::tempdir().expect("temp dir") };
    // The children `solve` plans each year.
    let o = case.run(&["solve", &sample("cheshire-east-all-plans.toml"), "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    let line = said.lines().find(|l| l.starts_with("Children with an EHC plan,")).expect("summary line");
    let planned: Vec<f64> = line.split(',').skip(2).filter(|v| !v.is_empty()).map(|v| v.parse().unwrap()).collect();
    assert_eq!(planned.len(), 5, "{line}");

    let out = annex(&case, "cheshire-east-all-plans.toml");
    let tables = out.join("tables");
    let by_type = grid(&tables.join("every-plan-by-setting-type.csv"));
    let total = by_type.last().unwrap();
    assert_eq!(total[0], "All EHC plans");
    for (y, children) in planned.iter().enumerate() {
        let shown: f64 = total[y + 1].parse().unwrap();
        assert_eq!(shown, children.round(), "year {}", by_type[0][y + 1]);
        // The types add up to it, give or take their rounding (none withheld after the base year).
        if y > 0 {
            let parts: f64 = by_type[1..by_type.len() - 1].iter().map(|r| r[y + 1].parse::<f64>().unwrap()).sum();
            assert!((parts - shown).abs() <= (by_type.len() - 2) as f64 / 2.0, "year {y}: {parts} against {shown}");
        }
    }
    // The base year is the published caseload's 4,871.
    assert_eq!(total[1], "4871");
    let names: Vec<&str> = by_type[1..].iter().map(|r| r[0].as_str()).collect();
    for name in
        ["Mainstream school with support", "Alternative provision", "Further education college", "Early years setting"]
    {
        assert!(names.contains(&name), "{names:?}");
    }

    // The sections, and their tables, with no withheld count left alone beside a total.
    let html = std::fs::read_to_string(out.join("annex.html")).expect("html");
    let md = std::fs::read_to_string(out.join("annex.md")).expect("md");
    for (id, row_totals) in [
        ("every-plan-by-setting-type", false),
        ("plans-by-setting-need-2025-26", true),
        ("plans-by-setting-need-2029-30", true),
        ("inclusion-and-ap-places", false),
        ("post-16-by-setting-type", false),
        ("post-19-by-setting-type", false),
        ("early-years-by-setting-type", false),
    ] {
        let g = grid(&tables.join(format!("{id}.csv")));
        assert!(html.contains(&format!("id=\"table-{id}\"")), "{id} in the page");
        if id != "inclusion-and-ap-places" {
            no_lone_withheld(id, &g, row_totals);
        }
        // Every figure of the table is in the Markdown too (its last row, as shown).
        let last = g.last().unwrap();
        assert!(md.contains(&last[0]), "{id}: {last:?}");
    }
    for section in ["id=\"section-every-plan\"", "id=\"section-post-16\"", "id=\"section-early-years\""] {
        assert!(html.contains(section), "{section}");
    }
    // The need tables and the summary count every plan, not only those needing a specialist place.
    assert!(md.contains("4,871 children and young people have EHC plans in 2025/26"), "summary");
    assert!(!md.contains("need a specialist place in 2025/26"));
    assert!(md.contains("**Children with an EHC plan by primary need and phase, 2025/26**"));
    let published = grid(&tables.join("ehc-plans-by-setting-type.csv"));
    assert!(published[1..].iter().all(|r| r[3].starts_with("Yes") || r[3].is_empty()), "{published:?}");
    // The sample's post-19 phase (years 15 to 20) has its table.
    assert!(tables.join("post-19-by-setting-type.csv").exists());
    // Small counts of pupils are withheld in the base year, and only there.
    let post16 = grid(&tables.join("post-16-by-setting-type.csv"));
    for row in &post16[1..] {
        for v in &row[2..] {
            assert_ne!(v, "c", "{row:?}");
        }
    }
}

#[test]
fn a_specialist_models_annex_has_none_of_the_whole_caseloads_tables() {
    let case = Case { dir: tempfile::tempdir().expect("temp dir") };
    let out = annex(&case, "cheshire-east.toml");
    let html = std::fs::read_to_string(out.join("annex.html")).expect("html");
    for id in [
        "every-plan-by-setting-type",
        "inclusion-and-ap-places",
        "post-16-by-setting-type",
        "early-years-by-setting-type",
    ] {
        assert!(!out.join("tables").join(format!("{id}.csv")).exists(), "{id}");
        assert!(!html.contains(&format!("id=\"table-{id}\"")), "{id}");
    }
    assert!(!html.contains("id=\"section-every-plan\""));
}
