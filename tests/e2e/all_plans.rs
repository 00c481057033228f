//! The whole caseload (models/cheshire-east-all-plans.toml: every EHC plan of January 2025,
//! not only those needing a specialist place) through the real binary: every child placed
//! each year at a setting of their tier, the specialist children placed as in the five-year
//! sample, and the reports saying "children with an EHC plan" and how many of them need a
//! specialist place.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use crate::util::{Case, stderr, stdout};

const ALL_PLANS: &str = "models/cheshire-east-all-plans.toml";
const SPECIALIST: &str = "models/cheshire-east-horizon.toml";

fn sufficiency(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_sufficiency"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("binary runs");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

type Row = BTreeMap<String, String>;

fn rows(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().expect("headers").clone();
    r.records()
        .map(|rec| headers.iter().zip(rec.expect("record").iter()).map(|(h, v)| (h.into(), v.into())).collect())
        .collect()
}

fn number(row: &Row, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

/// A figure of a multi-year summary.csv, by year.
fn figure(summary: &[Row], name: &str, years: &[String]) -> Vec<f64> {
    let row = summary.iter().find(|r| r["figure"] == name).unwrap_or_else(|| panic!("no figure {name:?}"));
    years.iter().map(|y| number(row, y)).collect()
}

/// Whether a child of tier `provision` may be at a setting of `kind`, as the tiers are
/// defined (models/README.md): supported mainstream at a mainstream school, a general FE
/// college, an early years setting or anything of a higher tier (never AP or other
/// arrangements); a specialist tier only at a specialist setting (a resourced provision also
/// at a special school, a special school's tier not at a resourced provision); alternative
/// provision and other arrangements only at their own kind.
fn meets(provision: &str, kind: &str) -> bool {
    const SPECIAL: [&str; 6] = [
        "maintained-special",
        "academy-special",
        "independent-special",
        "non-maintained-special",
        "other-authority-special",
        "specialist-post-16",
    ];
    let special = SPECIAL.contains(&kind) || kind == "independent-market";
    match provision {
        "mainstream" => !matches!(kind, "alternative-provision" | "other-arrangements"),
        "resourced-provision" => special || kind == "resourced-provision",
        "special-school" => special,
        "alternative-provision" => kind == "alternative-provision",
        "elsewhere" => kind == "other-arrangements",
        other => panic!("unknown tier {other}"),
    }
}

fn specialist_tier(provision: &str) -> bool {
    matches!(provision, "resourced-provision" | "special-school")
}

/// Every placement of a solve's plan.json: (year, provision, kind of setting, children),
/// at full precision (placements.csv rounds each line to a thousandth of a child).
fn placements(out: &Path) -> (serde_json::Value, Vec<(String, String, String, f64)>) {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).expect("plan.json")).expect("JSON");
    let mut lines = Vec::new();
    for y in json["years"].as_array().expect("years") {
        let year = y["facts"]["planning_year"].as_str().expect("year");
        for p in y["placements"].as_array().expect("placements") {
            let text = |k: &str| p[k].as_str().expect(k).to_string();
            lines.push((year.to_string(), text("provision"), text("kind"), p["children"].as_f64().expect("children")));
        }
    }
    (json, lines)
}

/// Children placed by (year, kind of setting), of the placements of tiers `keep` keeps.
fn by_kind(
    placements: &[(String, String, String, f64)],
    keep: impl Fn(&str) -> bool,
) -> BTreeMap<(String, String), f64> {
    let mut out = BTreeMap::new();
    for (year, _, kind, children) in placements.iter().filter(|p| keep(&p.1)) {
        *out.entry((year.clone(), kind.clone())).or_insert(0.0) += children;
    }
    out
}

#[test]
fn every_plan_is_placed_each_year_at_a_setting_of_its_tier() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (all, five) = (dir.path().join("all"), dir.path().join("five"));
    let text = stdout(&sufficiency(&["solve", ALL_PLANS, "--out", all.to_str().unwrap()]));
    sufficiency(&["solve", SPECIALIST, "--out", five.to_str().unwrap()]);

    let summary = rows(&all.join("summary.csv"));
    let years: Vec<String> = (2025..2030).map(|y| format!("{y}/{}", (y + 1) % 100)).collect();
    let children = figure(&summary, "Children with an EHC plan", &years);
    // The base year: 1,552.8 in specialist places and 3,318.0 others, of the 4,871 published
    // (sample-data/README.md, "The whole caseload").
    assert!((children[0] - 4_870.8).abs() < 0.005, "{children:?}");
    assert!((children[0] - 4_871.0).abs() < 0.5);
    assert!(figure(&summary, "Unmet need", &years).iter().all(|u| *u == 0.0), "unmet {summary:?}");

    let (json, placed) = placements(&all);
    for (year, provision, kind, children) in &placed {
        assert!(meets(provision, kind), "{year}: {children} {provision} children at a {kind}");
    }
    // Everyone forecast is placed, each year: the placements add up to the summary's children.
    for (y, want) in years.iter().zip(&children) {
        let total: f64 = placed.iter().filter(|p| &p.0 == y).map(|p| p.3).sum();
        assert!((total - want).abs() < 0.01, "{y}: placed {total}, children {want}");
    }

    // The specialist children: as many as the five-year sample's, placed at the same kinds.
    let five_summary = rows(&five.join("summary.csv"));
    let specialist = figure(&summary, "of whom needing a specialist place", &years);
    let five_children = figure(&five_summary, "Children needing a specialist place", &years);
    for (a, b) in specialist.iter().zip(&five_children) {
        assert!((a - b).abs() < 0.5, "specialist {specialist:?} against the five-year sample's {five_children:?}");
    }
    let (five_json, five_placed) = placements(&five);
    let mine = by_kind(&placed, specialist_tier);
    let theirs = by_kind(&five_placed, |_| true);
    let keys: std::collections::BTreeSet<_> = mine.keys().chain(theirs.keys()).collect();
    assert!(keys.len() >= 5 * 6, "{keys:?}");
    for k in keys {
        let (a, b) = (mine.get(k).copied().unwrap_or(0.0), theirs.get(k).copied().unwrap_or(0.0));
        assert!((a - b).abs() < 0.5, "{k:?}: {a} here, {b} in the five-year sample");
    }

    // The words: every plan, and of whom needing a specialist place, in text and JSON.
    assert!(
        text.contains("Children with an EHC plan ") && text.contains("  of whom needing a specialist place "),
        "{text}"
    );
    assert!(!text.contains("Children needing a specialist place"), "{text}");
    let first = &json["years"][0]["summary"];
    assert!((first["specialist_children"].as_f64().unwrap() - specialist[0]).abs() < 0.005, "{first}");
    // A model of specialist places only says what it always said.
    assert!(five_json["years"][0]["summary"].get("specialist_children").is_none());
    assert!(!five_summary.iter().any(|r| r["figure"].contains("of whom needing a specialist place")));
}

#[test]
fn the_forecast_and_check_of_every_plan_say_how_many_need_a_specialist_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = stdout(&sufficiency(&["forecast", ALL_PLANS, "--out", dir.path().to_str().unwrap()]));
    assert!(
        text.contains("Central growth, every EHC plan — children with an EHC plan, forecast variant central"),
        "{text}"
    );
    // The forecast file by tier, summed by hand: all plans and the specialist tiers.
    let forecast = rows(&dir.path().join("forecast.csv"));
    let total = |year: &str, keep: &dyn Fn(&str) -> bool| -> f64 {
        forecast.iter().filter(|r| r["year"] == year && keep(&r["provision"])).map(|r| number(r, "children")).sum()
    };
    assert!((total("2025/26", &|_| true) - 4_870.8).abs() < 0.005);
    let line =
        text.lines().find(|l| l.trim_start().starts_with("of whom needing a specialist place")).expect("the line");
    let shown: Vec<f64> = line.split_whitespace().skip(6).map(|v| v.replace(',', "").parse().unwrap()).collect();
    let years: Vec<String> = (2025..2030).map(|y| format!("{y}/{}", (y + 1) % 100)).collect();
    assert_eq!(shown.len(), years.len(), "{line}");
    for (y, v) in years.iter().zip(&shown) {
        assert!((total(y, &|p| specialist_tier(p)) - v).abs() < 0.05, "{y}: {line}");
    }
    // 1,552.8 of the base year's children need a specialist place (the five-year sample's).
    assert_eq!(shown[0], 1_552.8);

    let check = stdout(&sufficiency(&["check", ALL_PLANS]));
    assert!(check.contains("\nChildren with an EHC plan, by need and phase\n"), "{check}");
    assert!(check.contains("\nof whom needing a specialist place: 1,552.8 children\n"), "{check}");
    // Against the published caseload and need (the real excerpts of tests/fixtures/sen2),
    // the tables by age and need are the five-year sample's: the specialist tiers only.
    let against = |model: &str| {
        let text = stdout(&sufficiency(&[
            "check",
            model,
            "--against",
            "tests/fixtures/sen2/real_caseload_2025.csv",
            "--against",
            "tests/fixtures/sen2/real_sen_needs_all_plans_2025.csv",
            "--la",
            "895",
        ]));
        let from = text.find("EHC plans in specialist settings by age").expect("the table by age");
        let (name_end, table) = text[from..].split_once('\n').expect("lines");
        assert!(!name_end.is_empty());
        table.lines().filter(|l| !l.contains(" — base year ")).collect::<Vec<_>>().join("\n")
    };
    let (all, five) = (against(ALL_PLANS), against(SPECIALIST));
    assert!(all.contains("All   All needs ") && all.contains("1,552.8"), "{all}");
    assert_eq!(all, five);
    let five = stdout(&sufficiency(&["check", SPECIALIST]));
    assert!(
        five.contains("\nChildren needing a specialist place, by need and phase\n") && !five.contains("of whom"),
        "{five}"
    );
}

/// The share of children at a kind of setting who get transport in the whole-caseload sample
/// (`[policy.share_transported]` of models/cheshire-east-all-plans.toml).
fn share_transported(kind: &str) -> f64 {
    match kind {
        "mainstream" | "early-years" | "general-fe" => 0.2,
        "other-arrangements" => 0.0,
        _ => 1.0,
    }
}

#[test]
fn transport_is_paid_for_the_share_of_each_kind_transported_and_the_specialist_as_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (all, five) = (dir.path().join("all"), dir.path().join("five"));
    sufficiency(&["solve", ALL_PLANS, "--out", all.to_str().unwrap()]);
    sufficiency(&["solve", SPECIALIST, "--out", five.to_str().unwrap()]);
    let base_year = |out: &Path| -> Vec<Row> {
        rows(&out.join("placements.csv")).into_iter().filter(|r| r["year"] == "2025/26").collect()
    };
    let (mine, theirs) = (base_year(&all), base_year(&five));
    // Outside the specialist settings, each line's transport a child is the share times the
    // formula of models/cheshire-east-horizon.toml: £1,500 + £1.10 a km × 2 × 190 (journey_km
    // is written to 0.1 km, so to within £21).
    let mut kinds = std::collections::BTreeSet::new();
    for r in mine.iter().filter(|r| !specialist_tier(&r["provision"])) {
        let full = 1_500.0 + 1.1 * number(r, "journey_km") * 380.0;
        let want = share_transported(&r["kind"]) * full;
        assert!((number(r, "transport_per_child") - want).abs() <= 21.0, "{r:?}: expected about {want}");
        kinds.insert(r["kind"].clone());
    }
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    // Mainstream pools at the locality's centre: 0 km, so 0.2 × £1,500 = £300 a child.
    assert!(mine.iter().any(|r| r["kind"] == "mainstream" && r["transport_per_child"] == "300.00"));
    // The specialist tiers' transport, by kind of setting, is the five-year sample's.
    let transport = |rows: &[Row]| -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for r in rows.iter().filter(|r| specialist_tier(&r["provision"])) {
            *out.entry(r["kind"].clone()).or_insert(0.0) += number(r, "children") * number(r, "transport_per_child");
        }
        out
    };
    let (a, b) = (transport(&mine), transport(&theirs));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (kind, pounds) in &a {
        assert!((pounds - b[kind]).abs() < 1.0, "{kind}: £{pounds} here, £{} in the five-year sample", b[kind]);
    }
}

#[test]
fn a_share_transported_must_name_a_kind_of_setting_and_be_from_0_to_1() {
    for (lines, expected) in [
        (
            "taxi = 0.5",
            "field 'taxi': share_transported names setting kind 'taxi': expected one of maintained-special,",
        ),
        (
            "mainstream = 1.5",
            "field 'mainstream': share_transported for 'mainstream' is 1.5: expected a share from 0 to 1",
        ),
    ] {
        let case = Case::fixture("tiny");
        case.edit("model.toml", "[transport]", &format!("[policy.share_transported]\n{lines}\n\n[transport]"));
        let out = case.run(&["solve", "model.toml", "--out", "out"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.lines().any(|l| l.starts_with("error: model.toml:") && l.contains(expected)),
            "{expected:?} in {err}"
        );
        assert!(!case.path("out").exists());
    }
}

/// A model extending the whole-caseload sample with a tier policy table of these lines.
fn with_tier_policy(dir: &Path, lines: &str) -> std::path::PathBuf {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join(ALL_PLANS);
    let model = dir.join("tiers.toml");
    std::fs::write(
        &model,
        format!(
            "extends = {:?}\nname = \"Tier policy\"\n\n[tables]\ntier_policy = \"tier_policy.csv\"\n",
            sample.to_str().unwrap()
        ),
    )
    .expect("model");
    std::fs::write(dir.join("tier_policy.csv"), lines).expect("table");
    model
}

#[test]
fn a_tier_policy_sends_the_new_plans_of_its_need_and_phase_to_the_tiers_it_names() {
    // Secondary SEMH, all new plans in mainstream, or all in a special school. The new plans
    // of 2026/27 are forecast_rates.csv's (central) for SEMH, years 7 to 11, grown once by 9%:
    // (73.48 + 10.92 + 39.24 + 12.65 + 18.58) × 1.09 = 168.75. They are the whole difference
    // between the two forecasts: that many more in mainstream, as many fewer in special
    // schools, every other tier, need and phase the same.
    let dir = tempfile::tempdir().expect("temp dir");
    let forecast = |name: &str, lines: &str| -> Vec<Row> {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        let model = with_tier_policy(&sub, lines);
        let out = sub.join("out");
        sufficiency(&["forecast", model.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        rows(&out.join("forecast.csv"))
    };
    let header =
        "need,phase,mainstream,inclusion_base,resourced_provision,special_school,alternative_provision,elsewhere\n";
    let mainstream = forecast("mainstream", &format!("{header}SEMH,secondary,1,,,,,\n"));
    let special = forecast("special", &format!("{header}SEMH,secondary,0,0,0,1.0,0,0\n"));
    let sum = |rows: &[Row], keep: &dyn Fn(&Row) -> bool| -> f64 {
        rows.iter().filter(|r| r["year"] == "2026/27" && keep(r)).map(|r| number(r, "children")).sum()
    };
    let semh_secondary =
        |tier: &'static str| move |r: &Row| r["need"] == "SEMH" && r["phase"] == "secondary" && r["provision"] == tier;
    let more = sum(&mainstream, &semh_secondary("mainstream")) - sum(&special, &semh_secondary("mainstream"));
    let fewer = sum(&special, &semh_secondary("special-school")) - sum(&mainstream, &semh_secondary("special-school"));
    let new_plans = (73.48 + 10.92 + 39.24 + 12.65 + 18.58) * 1.09;
    // Each of 18 localities × 5 year groups is counted in tenths of a child.
    assert!((more - new_plans).abs() < 1.0 && (fewer - new_plans).abs() < 1.0, "{more}, {fewer}, {new_plans}");
    let others = |r: &Row| !(r["need"] == "SEMH" && r["phase"] == "secondary");
    assert!((sum(&mainstream, &others) - sum(&special, &others)).abs() < 1e-6);
    // The base year is the cohort's, whatever the policy.
    let base =
        |rows: &[Row]| rows.iter().filter(|r| r["year"] == "2025/26").map(|r| number(r, "children")).sum::<f64>();
    assert!((base(&mainstream) - 4_870.8).abs() < 0.005 && (base(&special) - 4_870.8).abs() < 0.005);
}

#[test]
fn a_bad_tier_policy_row_is_one_line_naming_the_file_line_and_field() {
    let header = "need,phase,mainstream,special_school\n";
    for (lines, expected) in [
        (
            "SEMH,secondary,0.6,0.3\n",
            "tier_policy.csv:2: field 'elsewhere': the shares of mainstream, inclusion_base, resourced_provision, special_school, alternative_provision, elsewhere add to 0.9: expected shares adding to 1 (within 0.001)",
        ),
        ("SEMH,secondary,1.5,\n", "tier_policy.csv:2: field 'mainstream': '1.5': expected a number from 0 to 1"),
        ("XYZ,secondary,1,\n", "tier_policy.csv:2: field 'need': 'XYZ' is not a declared need"),
        ("SEMH,sixth-form,1,\n", "tier_policy.csv:2: field 'phase': 'sixth-form' is not a declared phase"),
        (
            "SEMH,secondary,1,\nSEMH,secondary,0,1\n",
            "tier_policy.csv:3: duplicate tier policy for SEMH, secondary: first at line 2",
        ),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let model = with_tier_policy(dir.path(), &format!("{header}{lines}"));
        let out = Command::new(env!("CARGO_BIN_EXE_sufficiency"))
            .args(["forecast", model.to_str().unwrap(), "--out", dir.path().join("out").to_str().unwrap()])
            .output()
            .expect("binary runs");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.lines().any(|l| l.starts_with("error: ") && l.contains(expected)), "{expected:?} in {err}");
        assert!(!dir.path().join("out").exists());
    }
}

/// `import sen2` with a model of every plan (tests/fixtures/sen2-person/model-all-plans.toml:
/// the fixture's six settings and pools without a URN): children whose main placement the
/// model does not name are carried into the tables at the pool of their kind nearest home,
/// with its tier, and every count is the one the fixture's script worked out
/// (expected-all-plans.json); a model of specialist settings only pools no one.
#[test]
fn sen2_import_with_a_model_of_every_plan_carries_every_child_at_the_tier_of_their_setting() {
    let case = Case::fixture("sen2-person");
    let out = case.run(&[
        "import",
        "sen2",
        ".",
        "--model",
        "model-all-plans.toml",
        "--postcodes",
        "postcodes.csv",
        "--out",
        "out",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let want: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.path("expected-all-plans.json")).unwrap()).unwrap();
    let table = |file: &str| crate::util::rows(&case, file);
    let mut got: Vec<(String, String, u64)> = table("out/reconciliation.csv")
        .into_iter()
        .map(|r| (r["measure"].clone(), r["key"].clone(), r["children"].parse().expect("count")))
        .collect();
    let mut wanted: Vec<(String, String, u64)> = want["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["measure"].as_str().unwrap().into(), c["key"].as_str().unwrap().into(), c["children"].as_u64().unwrap())
        })
        .collect();
    got.sort();
    wanted.sort();
    assert_eq!(got, wanted);
    let by = |file: &str, column: &str, keep: &dyn Fn(&crate::util::Record) -> bool| -> BTreeMap<String, f64> {
        let mut m = BTreeMap::new();
        for r in table(file).iter().filter(|r| keep(r)) {
            *m.entry(r[column].clone()).or_insert(0.0) += crate::util::number(r, "children");
        }
        m
    };
    let as_map = |v: &serde_json::Value| -> BTreeMap<String, f64> {
        v.as_object().unwrap().iter().map(|(k, n)| (k.clone(), n.as_f64().unwrap())).collect()
    };
    let written = &want["written"];
    assert_eq!(by("out/current_placements.csv", "setting", &|_| true), as_map(&written["by_setting"]));
    assert_eq!(by("out/cohort.csv", "need", &|_| true), as_map(&written["by_need"]));
    assert_eq!(by("out/demand.csv", "phase", &|_| true), as_map(&written["by_phase"]));
    let pooled = |r: &crate::util::Record| matches!(r["provision"].as_str(), "mainstream" | "elsewhere");
    assert_eq!(by("out/cohort.csv", "provision", &pooled), as_map(&written["by_provision"]));
    // Each child at a pool is at their own town's (the pools are at the towns' centres).
    for r in table("out/current_placements.csv") {
        if let Some(town) = r["setting"].strip_prefix("ms-").or_else(|| r["setting"].strip_prefix("oa-")) {
            assert_eq!(town, r["locality"], "{r:?}");
        }
    }
    // More children are carried than with the specialist model, and the summary says so.
    let text = stdout(&out);
    assert!(text.contains("put in the model's pools (every plan), by kind"), "{text}");
    let specialist =
        case.run(&["import", "sen2", ".", "--model", "model.toml", "--postcodes", "postcodes.csv", "--out", "out2"]);
    assert!(specialist.status.success(), "{}", stderr(&specialist));
    assert!(!stdout(&specialist).contains("pools"));
    let total = |file: &str| by(file, "setting", &|_| true).values().sum::<f64>();
    assert!(total("out/current_placements.csv") > total("out2/current_placements.csv") + 600.0);
}

/// The base year of every plan beside the published caseload by type of setting (the real
/// excerpt tests/fixtures/sen2/real_caseload_2025.csv, Cheshire East, January 2025). The
/// published figures summed by hand from the file's columns: mainstream 659 + 1,564 + 67 +
/// 87 = 2,377 (not its resourced provision and units: 24 + 0 + 116 + 19 + 0 + 0 = 159);
/// special 473 + 376 = 849 state, 381 + 67 = 448 independent and non-maintained; AP 6 + 2 +
/// 3 = 11; FE 458 + 97 + 85 = 640; ed_elsewhere 274; early years 48; not recorded 65; all
/// 4,871 (ehcplans, and the nine lines' sum). The sample places the 65 not recorded at other
/// arrangements (sample-data/README.md, "The whole caseload"), so elsewhere shows +65.
#[test]
fn check_against_the_published_caseload_compares_every_type_of_setting() {
    let check = |model: &str| {
        stdout(&sufficiency(&[
            "check",
            model,
            "--against",
            "tests/fixtures/sen2/real_caseload_2025.csv",
            "--la",
            "895",
        ]))
    };
    let text = check(ALL_PLANS);
    let from = text.find("\nEvery EHC plan by type of setting:").expect("the table of every plan");
    let table: Vec<&str> = text[from..].lines().skip(4).take(10).collect();
    let want: [(&str, f64, f64); 10] = [
        ("Mainstream schools (incl. inclusion bases)", 2_377.0, 2_377.0),
        ("Resourced provision and SEN units", 159.0, 159.0),
        ("State special schools", 849.0, 849.0),
        ("Independent and non-maintained special", 447.8, 448.0),
        ("Alternative provision", 11.0, 11.0),
        ("Further education", 640.0, 640.0),
        ("Educated elsewhere (other arrangements)", 339.0, 274.0),
        ("Early years settings", 48.0, 48.0),
        ("Placement not recorded", 0.0, 65.0),
        ("All EHC plans", 4_870.8, 4_871.0),
    ];
    let figure = |s: &str| -> f64 { s.replace(',', "").parse().unwrap_or_else(|_| panic!("{s:?}")) };
    for (line, (name, model, published)) in table.iter().zip(want) {
        let rest = line.strip_prefix(name).unwrap_or_else(|| panic!("{line:?}, expected {name}"));
        let cells: Vec<&str> = rest.split_whitespace().collect();
        assert_eq!((figure(cells[0]), figure(cells[1])), (model, published), "{line}");
        assert!((figure(cells[2]) - (model - published)).abs() < 0.05, "{line}");
    }
    // The published lines add up to the published total, as the model's to its own.
    assert!((want[..9].iter().map(|w| w.2).sum::<f64>() - 4_871.0).abs() < 1e-9);
    assert!((want[..9].iter().map(|w| w.1).sum::<f64>() - 4_870.8).abs() < 1e-6);
    assert!(
        text.contains(
            "Further education = general_fe_tertiary_colleges + specialist_post_16_institutions + ukrlp_provider;"
        ),
        "{text}"
    );
    // A model of specialist places only shows what it always showed.
    assert!(!check(SPECIALIST).contains("Every EHC plan by type of setting"));
}

/// The sample's tier policy (sample-data/cheshire-east/all-plans/tier_policy.csv, written by
/// derive_all_plans.py from newplans.csv): outside the specialist tiers, new plans are shared
/// as Cheshire East's published new plans of 2024. Read off newplans.csv by hand ("Age when
/// plan started" rows): at 16 and over, mainstream schools 9 + 3 + 1, colleges and training
/// providers 9 + 1 + 1, the one at 19: 25; educated elsewhere and not recorded 4 + 4 + 3 + 1 =
/// 12; AP none (the 3 AP plans started at 16 are counted in secondary). Of those, post-19 (19
/// and over) is the college's one at 19 and the one educated elsewhere at 20 and over, so
/// post-16 is 24 and 11, post-19 1 and 1. At 11 to 15:
/// mainstream 159, elsewhere 10, AP 1 + 3 = 4. The specialist tiers' shares are the base
/// year's, which every_plan_is_placed_each_year_at_a_setting_of_its_tier checks by result.
#[test]
fn the_samples_tier_policy_shares_new_plans_outside_specialist_places_as_published() {
    let policy = rows(Path::new("sample-data/cheshire-east/all-plans/tier_policy.csv"));
    let mut seen = 0;
    for r in &policy {
        let (ms, ap, el) = (number(r, "mainstream"), number(r, "alternative_provision"), number(r, "elsewhere"));
        let rest = ms + ap + el;
        let want = match r["phase"].as_str() {
            "post-16" => [24.0, 0.0, 11.0],
            "post-19" => [1.0, 0.0, 1.0],
            "secondary" => [159.0, 4.0, 10.0],
            _ => continue,
        };
        let sum: f64 = want.iter().sum();
        for (got, w) in [ms, ap, el].iter().zip(want) {
            assert!((got - rest * w / sum).abs() < 5e-6, "{r:?}");
        }
        assert_eq!(number(r, "inclusion_base"), 0.0);
        seen += 1;
    }
    assert!(seen >= 3 * 10, "{seen} rows of secondary, post-16 and post-19");
    let models = std::fs::read_to_string(ALL_PLANS).expect("the model");
    assert!(models.contains("tier_policy = \"../sample-data/cheshire-east/all-plans/tier_policy.csv\""));
}

/// The whole caseload's post-19 phase and the ceasing rates of the tiers outside specialist
/// places: the 195.7 young people of 19 to 23 outside specialist places (caseload.csv: 255
/// of 19 and over, less the specialist sample's 59, which it keeps in year 14) are in year
/// groups 15 to 19 of `post-19` and age on through it; year 12 outside specialist places in
/// 2026/27 is year 11's of 2025/26 within 5% (the published caseload has about as many of
/// them at 16 as at 15), where the specialist sample's rates at year 11 made it 121.9 of
/// 221.4; and the specialist tiers are the five-year sample's every year.
#[test]
fn the_whole_caseload_has_a_post_19_phase_and_keeps_its_young_people_at_16() {
    let dir = tempfile::tempdir().expect("temp dir");
    let forecast = |model: &str, name: &str| -> Vec<Row> {
        let out = dir.path().join(name);
        sufficiency(&["forecast", model, "--out", out.to_str().unwrap()]);
        rows(&out.join("forecast.csv"))
    };
    let all = forecast(ALL_PLANS, "all");
    let five = forecast(SPECIALIST, "five");
    let sum = |rows: &[Row], year: &str, keep: &dyn Fn(&Row) -> bool| -> f64 {
        rows.iter().filter(|r| r["year"] == year && keep(r)).map(|r| number(r, "children")).sum()
    };
    let post_19 = |r: &Row| r["phase"] == "post-19";
    assert!((sum(&all, "2025/26", &post_19) - 195.7).abs() < 0.005, "{}", sum(&all, "2025/26", &post_19));
    for r in all.iter().filter(|r| post_19(r)) {
        let yg: i32 = r["year_group"].parse().expect("a year group");
        assert!((15..=20).contains(&yg) && !specialist_tier(&r["provision"]), "{r:?}");
    }
    // Year 15 of 2026/27 is year 14's young people a year on (no new plans at post-19).
    let at = |yg: &'static str| move |r: &Row| r["year_group"] == yg && !specialist_tier(&r["provision"]);
    let (y14, y15) = (sum(&all, "2025/26", &at("14")), sum(&all, "2026/27", &at("15")));
    assert!(y15 > 0.5 * y14 && y15 < y14, "{y14} in year 14, {y15} in year 15 a year on");
    let (y11, y12) = (sum(&all, "2025/26", &at("11")), sum(&all, "2026/27", &at("12")));
    assert!((y12 / y11 - 1.0).abs() < 0.05, "{y11} in year 11, {y12} in year 12 a year on");
    // The specialist tiers as the five-year sample's, by year and phase (none in post-19), to
    // within 0.3 of a child (new plans are written to two decimals).
    for year in (2025..2030).map(|y| format!("{y}/{}", (y + 1) % 100)) {
        for phase in ["early-years", "primary", "secondary", "post-16", "post-19"] {
            let keep = |r: &Row| r["phase"] == phase && specialist_tier(&r["provision"]);
            let (a, b) = (sum(&all, &year, &keep), sum(&five, &year, &keep));
            assert!((a - b).abs() < 0.3, "{year} {phase}: {a} against {b}");
        }
    }
    // SCAP is of pupils to 18: the whole caseload's forecast of pupils needing a specialist
    // place is the five-year sample's, row for row (new plans are written to two decimals).
    let scap = |model: &str, name: &str| {
        let out = dir.path().join(name);
        sufficiency(&["scap", model, "--out", out.to_str().unwrap()]);
        rows(&out.join("scap_forecast.csv"))
    };
    let (a, b) = (scap(ALL_PLANS, "scap-all"), scap(SPECIALIST, "scap-five"));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        let key = |r: &Row| (r["time_period"].clone(), r["phase"].clone(), r["nc_year"].clone());
        assert_eq!(key(x), key(y));
        assert!(x["phase"] != "post-19" && (number(x, "pupils") - number(y, "pupils")).abs() < 0.05, "{x:?} {y:?}");
    }
}

/// A model extending a sample with rows added to one of its tables (`[[add_rows]]`).
fn with_rows(dir: &Path, sample: &str, table: &str, lines: &str) -> std::path::PathBuf {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join(sample);
    let model = dir.join("added.toml");
    std::fs::write(
        &model,
        format!(
            "extends = {:?}\nname = \"Added\"\n\n[[add_rows]]\ntable = {table:?}\nfile = \"added.csv\"\n",
            sample.to_str().unwrap()
        ),
    )
    .expect("model");
    std::fs::write(dir.join("added.csv"), lines).expect("table");
    model
}

#[test]
fn a_year_group_past_14_or_a_bad_tiers_rate_is_one_line_naming_the_file_line_and_field() {
    let cohort = "locality,need,year_group,children,provision\n";
    let rates = "variant,need,year_group,tier,new_plans,ceasing_rate,growth\n";
    for (sample, table, lines, expected) in [
        (
            SPECIALIST,
            "cohort",
            format!("{cohort}crewe,ASD,15,1,\n"),
            "added.csv:2: field 'year_group': '15' is not a year group: expected N1, N2, R or 1 to 14 (15 to 20 where a phase names them in [horizon.phase_year_groups])",
        ),
        (
            ALL_PLANS,
            "cohort",
            format!("{cohort}crewe,ASD,21,1,mainstream\n"),
            "added.csv:2: field 'year_group': '21' is not a year group: expected N1, N2, R or 1 to 20",
        ),
        (
            ALL_PLANS,
            "forecast_rates",
            format!("{rates}central,ASD,10,mainstream,5,0.1,\n"),
            "added.csv:2: field 'new_plans': 5 in a row for tier mainstream: expected blank or 0",
        ),
        (
            ALL_PLANS,
            "forecast_rates",
            format!("{rates}central,ASD,10,sixth-form,,0.1,\n"),
            "added.csv:2: field 'tier': 'sixth-form' is not a tier: expected blank (every tier) or one of mainstream",
        ),
        (
            ALL_PLANS,
            "forecast_rates",
            format!("{rates}central,ASD,12,mainstream,,0.1,\n"),
            "added.csv:2: duplicate rates for central, ASD, 12, tier mainstream: first at line",
        ),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let model = with_rows(dir.path(), sample, table, &lines);
        let out = Command::new(env!("CARGO_BIN_EXE_sufficiency"))
            .args(["forecast", model.to_str().unwrap(), "--out", dir.path().join("out").to_str().unwrap()])
            .output()
            .expect("binary runs");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.lines().any(|l| l.starts_with("error: ") && l.contains(expected)), "{expected:?} in {err}");
        assert!(!dir.path().join("out").exists());
    }
}
