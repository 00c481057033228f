//! The annex's risk section (`[risk]`): its figures are `schemes --draws`'s for the same
//! seed, every format holds them, the fan charts are drawn, names from input files are
//! escaped, and without `[risk]` (or with `risk_draws = 0`) there is no section.

use crate::annex::{check_formats_agree, table_ids};
use crate::util::{Case, Record, number, rows, stderr};

/// The tiny schemes model with a high-needs block, a deficit target and `[risk]` (need
/// between its "central" and "high" forecasts: the tiny rates have no "low").
const RISK: &str = "extends = \"schemes.toml\"\n\n[high_needs]\ngrant = 2000000\ngrant_growth = 0.1\n\
                    deficit_brought_forward = 400000\nmainstream_top_ups = 300000\nalternative_provision = 50000\n\
                    further_education = 80000\nsupport_services = 20000\ndeficit_target = -2800000\n\n[risk]\n\
                    need_variants = [\"central\", \"high\"]\n";

fn run(case: &Case, args: &[&str]) {
    let o = case.run(args);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Pounds as the annex's tables round them: to the nearest £1,000.
fn thousands(v: f64) -> f64 {
    let r = (v / 1000.0).round() * 1000.0;
    if r == 0.0 { 0.0 } else { r }
}

fn find<'a>(rows: &'a [Record], figure: &str, year: &str) -> &'a Record {
    rows.iter()
        .find(|r| r["figure"] == figure && r["year"] == year)
        .unwrap_or_else(|| panic!("no {figure} {year} in {rows:?}"))
}

#[test]
fn the_risk_section_holds_the_figures_schemes_draws_gives_for_the_seed() {
    let case = Case::fixture("tiny");
    case.write("risk.toml", RISK);
    run(&case, &["annex", "risk.toml", "--out", "out", "--draws", "30", "--seed", "5"]);
    run(&case, &["schemes", "risk.toml", "--draws", "30", "--seed", "5", "--out", "s"]);
    let risk = rows(&case, "s/risk.csv");
    let saving = rows(&case, "out/tables/risk-saving.csv");
    assert_eq!(saving.len(), 3);
    for r in &saving {
        let year = r["Year"].as_str();
        let s = find(&risk, "saving", year);
        assert_eq!(number(r, "Saving, 10th percentile (£)"), thousands(number(s, "p10")), "{year}");
        assert_eq!(number(r, "Saving, middle (£)"), thousands(number(s, "p50")), "{year}");
        assert_eq!(number(r, "Saving, 90th percentile (£)"), thousands(number(s, "p90")), "{year}");
        let paid = find(&risk, "paid_back_by", year);
        assert_eq!(number(r, "Paid back by the end of the year (%)"), (number(paid, "chance") * 1000.0).round() / 10.0);
    }
    let totals = rows(&case, "out/tables/risk-totals.csv");
    let total = |figure: &str| totals.iter().find(|r| r["Figure"].starts_with(figure)).expect(figure);
    for (name, figure) in [("Capital", "capital"), ("Present value", "present_value")] {
        let s = find(&risk, figure, "");
        for (ours, theirs) in [("10th percentile (£)", "p10"), ("Middle (£)", "p50"), ("90th percentile (£)", "p90")]
        {
            assert_eq!(number(total(name), ours), thousands(number(s, theirs)), "{name} {ours}");
        }
    }
    let pays_back = risk.iter().find(|r| r["figure"] == "pays_back").expect("pays_back");
    assert_eq!(number(total("Pays back"), "Share of futures (%)"), number(pays_back, "chance") * 100.0);
    // The deficit at the end of the last year, without and with, is the summary's; the
    // target's shares too.
    let deficit = rows(&case, "out/tables/risk-deficit.csv");
    let last = deficit.last().expect("rows");
    assert_eq!(last["Year"], "2027/28");
    for (side, figure) in [("Without", "deficit_without"), ("With", "deficit_with")] {
        let s = find(&risk, figure, "2027/28");
        for (ours, theirs) in [("10th percentile", "p10"), ("middle", "p50"), ("90th percentile", "p90")] {
            assert_eq!(number(last, &format!("{side}, {ours} (£)")), thousands(number(s, theirs)), "{side} {ours}");
        }
    }
    for (side, figure) in [("without", "at_or_below_target_without"), ("with", "at_or_below_target_with")] {
        let ours = totals.iter().find(|r| r["Figure"].ends_with(&format!("{side} the schemes"))).expect(side);
        let theirs = find(&risk, figure, "2027/28");
        assert_eq!(number(ours, "Share of futures (%)"), (number(theirs, "chance") * 1000.0).round() / 10.0, "{side}");
    }
    // The section says what was varied, and draws both fan charts with their figures.
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    assert!(html.contains("Risk: the programme in many possible futures"), "{html}");
    assert!(html.contains("worked out again in 30 possible futures"));
    assert!(
        html.contains("between the &#39;central&#39; and the &#39;high&#39; forecasts")
            || html.contains("between the 'central' and the 'high' forecasts")
    );
    for id in ["chart-risk-saving", "chart-risk-deficit"] {
        let at = html.find(&format!(r#"id="figure-{id}""#)).unwrap_or_else(|| panic!("{id}"));
        let figure = &html[at..at + html[at..].find("</figure>").expect("figure ends")];
        assert!(figure.contains(r#"class="band""#) && figure.contains(r#"class="middle""#), "{figure}");
        assert!(figure.contains("The figures in this chart"), "{figure}");
    }
    assert!(html.contains(r#"class="target""#), "the deficit target as a line");
    let md = std::fs::read_to_string(case.path("out/annex.md")).unwrap();
    assert!(md.contains("## Risk: the programme in many possible futures"), "{md}");
    check_formats_agree(&case);
    // The same from [annex] keys: the same futures, the same tables.
    let case2 = Case::fixture("tiny");
    case2.write("risk.toml", &format!("{RISK}\n[annex]\nrisk_draws = 30\nrisk_seed = 5\n"));
    run(&case2, &["annex", "risk.toml", "--out", "out"]);
    for id in ["risk-saving", "risk-totals", "risk-deficit"] {
        let path = format!("out/tables/{id}.csv");
        assert_eq!(
            std::fs::read_to_string(case.path(&path)).unwrap(),
            std::fs::read_to_string(case2.path(&path)).unwrap(),
            "{id}"
        );
    }
}

#[test]
fn without_risk_or_with_no_draws_the_annex_has_no_risk_section() {
    let case = Case::fixture("tiny");
    run(&case, &["annex", "schemes.toml", "--out", "out"]);
    let ids = table_ids(&case);
    assert!(ids.contains(&"schemes".to_string()), "{ids:?}");
    assert!(!ids.iter().any(|id| id.starts_with("risk")), "{ids:?}");
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    assert!(!html.contains("possible futures") && !html.contains("chart-risk"), "no risk section");
    // [risk] given, but no futures asked for.
    let case = Case::fixture("tiny");
    case.write("risk.toml", &format!("{RISK}\n[annex]\nrisk_draws = 0\n"));
    run(&case, &["annex", "risk.toml", "--out", "out"]);
    assert!(!table_ids(&case).iter().any(|id| id.starts_with("risk")));
    // A bad number of draws is one line naming the file, the key and what was expected.
    case.write("bad.toml", &format!("{RISK}\n[annex]\nrisk_draws = 2.5\n"));
    let o = case.run(&["annex", "bad.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.lines().next().unwrap().contains("bad.toml"), "{err}");
    assert!(err.contains("risk_draws") && err.contains("expected a whole number from 0 to 100000"), "{err}");
}

#[test]
fn hostile_scheme_names_are_escaped_in_the_risk_section() {
    let case = Case::fixture("tiny");
    case.write("risk.toml", RISK);
    case.edit("schemes.csv", "Crewe SEMH base", "<script>alert(1)</script> & \"q\"");
    run(&case, &["annex", "risk.toml", "--out", "out", "--draws", "4"]);
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    let at = html.find("Risk: the programme in many possible futures").expect("section");
    let section = &html[at..];
    assert!(!html.contains("<script>alert"), "markup from input");
    assert!(
        section.contains("the chosen schemes (&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"),
        "{section}"
    );
    let md = std::fs::read_to_string(case.path("out/annex.md")).unwrap();
    assert!(!md.contains("<script>"), "markup in markdown");
}
