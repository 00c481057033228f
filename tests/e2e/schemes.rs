//! Capital schemes through the real binary: choice within a budget, forced schemes, the
//! budget curve, a robust choice, the files written, and bad scheme tables.

use rstest::rstest;

use crate::util::{CENTRAL, Case, HIGH, Rates, need_by_hand, number, rows, stderr, stdout};

#[test]
fn the_choice_keeps_within_the_budget_and_writes_its_tables() {
    let case = Case::fixture("tiny");
    let out = case.run(&["schemes", "schemes.toml", "--budget", "£450k", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Capital budget: £450,000."), "{text}");
    // Within £450,000: none, semh-base (£300,000), asd-unit×1 or ×2 (£200,000, £400,000);
    // the ASD unit with the SEMH base would be £500,000 or more. By present_cost_by_hand
    // (central): none £2,361,490; semh-base £1,687,964; asd-unit×1 £2,300,173; asd-unit×2
    // £2,298,869. The least is the SEMH base alone.
    let mut cache = Vec::new();
    let (best, least) = best_within(&case, 450_000, &mut cache);
    assert_eq!(best, "semh-base");
    assert!(text.contains("Chosen portfolio: semh-base\n"), "{text}");
    let portfolios = rows(&case, "out/portfolios.csv");
    // Each run's present cost as worked out by hand; a scheme alone at its best modules
    // (the ASD unit: ×2 is cheaper than ×1), whatever the budget.
    let by_hand = |m: [u32; 3]| present_cost_by_hand(&case, &CENTRAL, m, &mut Vec::new());
    let expected = [
        ("Baseline (no schemes)", "none", 0.0, by_hand([0, 0, 0])),
        ("Chosen portfolio", "semh-base", 300_000.0, least),
        ("semh-base alone", "semh-base", 300_000.0, by_hand([1, 0, 0])),
        ("near-expansion alone", "near-expansion", 500_000.0, by_hand([0, 1, 0])),
        ("asd-unit alone", "asd-unit×2", 400_000.0, by_hand([0, 0, 2]).min(by_hand([0, 0, 1]))),
    ];
    assert_eq!(portfolios.len(), expected.len());
    for (p, (run, schemes, capital, cost)) in portfolios.iter().zip(expected) {
        assert_eq!((p["run"].as_str(), p["schemes"].as_str(), number(p, "capital")), (run, schemes, capital));
        assert!(
            (number(p, "present_spend_and_weights") - cost).abs() <= 1.0,
            "{run}: {} against {cost:.2} by hand",
            p["present_spend_and_weights"]
        );
    }
    let schemes = rows(&case, "out/schemes.csv");
    assert_eq!(schemes.len(), 3);
    assert_eq!(schemes[0]["scheme"], "semh-base");
    assert_eq!(schemes[0]["chosen_modules"], "1");
    assert_eq!(schemes[0]["capital_per_place"], "50000");
    // One more place: money saved apart from the policy weights avoided, which add up to
    // the weighted value the places are ranked by (each rounded to the pound on its own).
    let values = rows(&case, "out/place_values.csv");
    assert!(!values.is_empty());
    for v in &values {
        let parts = number(v, "money_saved_a_year")
            + number(v, "out_of_borough_weight_avoided")
            + number(v, "unmet_penalty_avoided");
        assert!((number(v, "weighted_value") - parts).abs() <= 1.5, "{v:?}");
        if number(v, "unmet_penalty_avoided") > 0.0 {
            // A child with no place is placed: no money saved, their journey spent.
            assert!(number(v, "money_saved_a_year") <= 0.0, "{v:?}");
        }
    }
    let weighted: Vec<f64> = values.iter().map(|v| number(v, "weighted_value")).collect();
    assert!(weighted.windows(2).all(|w| w[0] >= w[1]), "ranked by the weighted value: {weighted:?}");
    assert!(text.contains("money saved a year  policy weight avoided"), "{text}");
}

#[test]
fn the_business_case_can_be_recomputed_from_solves_plan() {
    // The baseline of the business case is the plan `solve` prints, year by year; each saving
    // is without less with; cumulative is savings less capital to date; the capital is the
    // chosen schemes' (SEMH base £300,000 the year before 2026/27; ASD unit 2 × £200,000 the
    // year before 2026/27; Near expansion £500,000 the year before 2027/28).
    let case = Case::fixture("tiny");
    assert!(case.run(&["solve", "schemes.toml", "--out", "plan"]).status.success());
    let out = case.run(&["schemes", "schemes.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = rows(&case, "plan/summary.csv");
    let places = summary.iter().find(|r| r["figure"] == "Cost of places").expect("cost of places");
    let transport = summary.iter().find(|r| r["figure"] == "Cost of transport").expect("cost of transport");
    let case_rows = rows(&case, "out/business_case.csv");
    assert_eq!(case_rows.len(), 3);
    let mut cumulative = 0.0;
    for r in &case_rows {
        let year = &r["year"];
        assert!((number(r, "places_without") - number(places, year)).abs() <= 1.0, "{year}: {r:?}");
        let saving = number(r, "places_without") - number(r, "places_with") + number(r, "saving_on_transport");
        assert!((number(r, "saving") - saving).abs() <= 1.0, "{r:?}");
        cumulative += number(r, "saving") - number(r, "capital_spent");
        assert!((number(r, "cumulative") - cumulative).abs() <= 1.5, "{r:?}");
        assert!(number(transport, year) > 0.0);
    }
    let capital: Vec<f64> = case_rows.iter().map(|r| number(r, "capital_spent")).collect();
    assert_eq!(capital, vec![700_000.0, 500_000.0, 0.0]);
    assert!(stdout(&out).contains("Business case of the chosen portfolio, year by year"));
}

#[test]
fn each_schemes_residual_value_is_its_last_years_saving_going_on() {
    // With 4 residual years, each scheme's residual value is its last year's saving (the
    // third year's, k = 2) brought to a present value, 1 ÷ (1.035 × 1.02)², times
    // Σ 1 ÷ 1.035^j for j = 1 to 4 (3.673079); the saving in the table is rounded to the pound.
    let case = Case::fixture("tiny");
    case.edit("schemes.toml", "[appraisal]\n", "[appraisal]\nresidual_years = 4\n");
    let out = case.run(&["schemes", "schemes.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let factor: f64 = (1..=4).map(|j| 1.035_f64.powi(-j)).sum();
    assert!((factor - 3.673_079).abs() < 1e-6);
    let schemes = rows(&case, "out/schemes.csv");
    assert_eq!(schemes.len(), 3);
    let mut some = false;
    for s in &schemes {
        let by_hand = number(s, "saving_a_year") * (1.035_f64 * 1.02).powi(-2) * factor;
        assert!((number(s, "residual_value") - by_hand).abs() <= 3.0, "{s:?}: {by_hand:.2} by hand");
        some |= number(s, "residual_value").abs() > 1.0;
    }
    assert!(some, "at least one scheme saves money in its last year: {schemes:?}");
    assert!(stdout(&out).contains("residual value"), "{}", stdout(&out));
    // Without residual years the column is there and nought, and the text table has none.
    let plain = Case::fixture("tiny");
    let out = plain.run(&["schemes", "schemes.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(rows(&plain, "out/schemes.csv").iter().all(|s| s["residual_value"] == "0"));
    assert!(!stdout(&out).contains("residual value"), "{}", stdout(&out));
}

#[test]
fn forcing_schemes_in_and_out_is_honoured() {
    let case = Case::fixture("tiny");
    let out =
        case.run(&["schemes", "schemes.toml", "--with", "near-expansion", "--without", "semh-base", "--out", "o"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let schemes = rows(&case, "o/schemes.csv");
    let modules = |id: &str| schemes.iter().find(|r| r["scheme"] == id).unwrap()["chosen_modules"].clone();
    assert_eq!(modules("near-expansion"), "1");
    assert_eq!(modules("semh-base"), "0");
}

#[rstest]
#[case::in_and_out(&["--with", "semh-base", "--without", "semh-base"], "scheme semh-base is both forced in and left out")]
#[case::over_budget(&["--with", "near-expansion", "--budget", "100000"], "above the budget of £100,000")]
#[case::unknown(&["--with", "ghost"], "'ghost' is not a scheme: expected one of semh-base, near-expansion, asd-unit")]
#[case::bad_amount(&["--budget", "lots"], "'lots' is not an amount")]
fn impossible_requests_are_refused_in_one_line(#[case] args: &[&str], #[case] message: &str) {
    let case = Case::fixture("tiny");
    let mut all = vec!["schemes", "schemes.toml", "--out", "out"];
    all.extend_from_slice(args);
    let out = case.run(&all);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(message), "{}", stderr(&out));
    assert!(!case.path("out").exists(), "nothing written");
}

#[test]
fn the_budget_curve_is_the_best_portfolio_at_each_budget() {
    // Each point against every portfolio within its budget, costed by hand (central).
    let case = Case::fixture("tiny");
    let out = case.run(&["schemes", "schemes.toml", "--curve-budgets", "0,250k,500k,1m,2m", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let curve = rows(&case, "out/budget_curve.csv");
    let budgets: Vec<f64> = curve.iter().map(|r| number(r, "budget")).collect();
    assert_eq!(budgets, [0.0, 250_000.0, 500_000.0, 1_000_000.0, 2_000_000.0]);
    let mut cache = Vec::new();
    for r in &curve {
        let (label, cost) = best_within(&case, number(r, "budget") as u32, &mut cache);
        assert_eq!(r["schemes"], label, "{r:?}");
        let capital = every_portfolio().into_iter().find(|p| p.2 == label).unwrap().1;
        assert_eq!(number(r, "capital_used"), f64::from(capital));
        assert!((number(r, "present_spend_and_weights") - cost).abs() <= 1.0, "{r:?}: {cost:.2} by hand");
    }
    // Enough for everything: every scheme, the ASD unit with both modules.
    assert_eq!(curve[4]["schemes"], "semh-base + near-expansion + asd-unit×2");
}

/// Every portfolio the schemes table allows: modules of (semh-base, near-expansion,
/// asd-unit: 1 or 2), its capital (SEMH base £300,000; Near expansion £500,000; ASD unit
/// £200,000 a module) and the label the program gives it.
fn every_portfolio() -> Vec<([u32; 3], u32, String)> {
    let mut out = Vec::new();
    for semh in 0..=1 {
        for near in 0..=1 {
            for asd in 0..=2 {
                let mut parts = Vec::new();
                if semh > 0 {
                    parts.push("semh-base".to_string());
                }
                if near > 0 {
                    parts.push("near-expansion".to_string());
                }
                if asd > 0 {
                    parts.push(format!("asd-unit×{asd}"));
                }
                let label = if parts.is_empty() { "none".to_string() } else { parts.join(" + ") };
                out.push(([semh, near, asd], 300_000 * semh + 500_000 * near + 200_000 * asd, label));
            }
        }
    }
    out
}

/// The least present cost in the central variant by hand within `budget`, and its label.
fn best_within(case: &Case, budget: u32, cache: &mut Vec<(String, f64)>) -> (String, f64) {
    every_portfolio()
        .into_iter()
        .filter(|p| p.1 <= budget)
        .map(|(m, _, label)| (label, present_cost_by_hand(case, &CENTRAL, m, cache)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap()
}

/// The present cost of a portfolio in one variant, worked out without the schemes program:
/// each year (2025/26 to 2027/28) is the tiny model with that year's need (need_by_hand)
/// and places (Near 10, then 12 from 2026/27: setting_places.csv), each scheme open that year
/// a plain setting, solved by `solve --solver microlp`; its weighted cost (places,
/// transport, out-of-borough weight, unmet penalty) plus the schemes' fixed costs, as
/// models/README.md defines present cost (its money basis). Scheme settings: the top-up is
/// paid per child (cost per place less place funding, £6,000 a resourced place, £10,000 a
/// special school place) and the place funding for every place open, filled or not:
///   SEMH base (2026/27): resourced, 6 SEMH secondary places, £12,000 a child, £36,000 a year;
///   ASD unit (2026/27): resourced, 3 ASD places a module, £9,000 a child, £18,000 a module;
///   Near expansion (2027/28): Near's kind and site, 4 places for any need and phase (its own
///   pool: Near's cap of 2 SEMH places is on Near's places), £12,000 a child, £40,000 a year.
/// Each year's cash is discounted at 1.0557 a year (2% inflation, then 3.5% real). Capital is
/// annualised over 40 years at 3.5% real: capital at 2025/26 prices × 0.035 / (1 − 1.035^−40)
/// each year a scheme is open, discounted at 3.5% real.
fn present_cost_by_hand(case: &Case, rates: &Rates, modules: [u32; 3], cache: &mut Vec<(String, f64)>) -> f64 {
    let eac = |capital: f64| capital * 0.035 / (1.0 - 1.035_f64.powi(-40));
    let mut total = 0.0;
    for k in 0..3 {
        let open = |j: usize| if k >= [1, 2, 1][j] { modules[j] } else { 0 };
        let key = format!("{}-{k}-{}{}{}", rates.asd, open(0), open(1), open(2));
        let weighted = if let Some((_, w)) = cache.iter().find(|(c, _)| *c == key) {
            *w
        } else {
            let near = if k == 0 { 10 } else { 12 };
            let mut settings = format!(
                "id,name,kind,latitude,longitude,in_borough,places,phases,needs,cost_per_place\n\
                 near,Near Special School,maintained-special,53.0990,-2.4400,yes,{near},all,all,22000\n\
                 unit,Nantwich Unit,resourced-provision,53.0630,-2.5190,yes,5,primary;secondary,ASD;SLCN,15000\n\
                 indep,Stoke Independent,independent-special,53.0027,-2.1794,no,20,secondary;post-16,SEMH;ASD,60000\n"
            );
            if open(0) > 0 {
                settings
                    .push_str("semh-base,SEMH base,resourced-provision,53.1000,-2.4400,yes,6,secondary,SEMH,12000\n");
            }
            if open(1) > 0 {
                settings.push_str("near-exp,Near expansion,maintained-special,53.0990,-2.4400,yes,4,all,all,12000\n");
            }
            if open(2) > 0 {
                let places = 3 * open(2);
                settings.push_str(&format!(
                    "asd-unit,ASD unit,resourced-provision,53.0630,-2.5190,yes,{places},all,ASD,9000\n"
                ));
            }
            case.write(&format!("settings-{key}.csv"), &settings);
            let mut demand = "locality,need,phase,children,provision\n".to_string();
            for (l, n, p, provision, children) in need_by_hand(rates, k) {
                let provision = if provision == "special-school" { provision } else { "" };
                demand.push_str(&format!("{l},{n},{p},{children},{provision}\n"));
            }
            case.write(&format!("demand-{key}.csv"), &demand);
            case.write(
                &format!("{key}.toml"),
                &format!(
                    "name = \"{key}\"\nplanning_year = \"{}/{}\"\n\n[tables]\nlocalities = \"localities.csv\"\n\
                     settings = \"settings-{key}.csv\"\nsetting_needs = \"setting_needs.csv\"\n\
                     demand = \"demand-{key}.csv\"\nroad_nodes = \"road_nodes.csv\"\nroad_edges = \"road_edges.csv\"\n\n\
                     [policy]\nout_of_borough_weight = 5000\nunmet_penalty = 1000000\n\n\
                     [transport]\nfixed_per_child = 1000\ncost_per_km = 1.0\n",
                    2025 + k,
                    26 + k
                ),
            );
            let out = case.run(&["solve", &format!("{key}.toml"), "--format", "json", "--solver", "microlp"]);
            assert!(out.status.success(), "{key}: {}", stderr(&out));
            let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(plan["facts"]["solver"], "microlp");
            let w = plan["facts"]["stages"][0][1].as_f64().unwrap();
            cache.push((key, w));
            w
        };
        // Cash at 1.0557 a year (2% inflation, 3.5% real); the capital, spent the year before
        // each opens (near-expansion's in 2026/27: ÷ 1.02 to 2025/26 prices), charged as its
        // equivalent annual cost at 2025/26 prices, at 3.5% real.
        let running = f64::from(open(0)) * 36_000.0 + f64::from(open(1)) * 40_000.0 + f64::from(open(2)) * 18_000.0;
        let capital = f64::from(open(0)) * eac(300_000.0)
            + f64::from(open(1)) * eac(500_000.0 / 1.02)
            + f64::from(open(2)) * eac(200_000.0);
        total += (weighted + running) / 1.0557_f64.powi(k) + capital / 1.035_f64.powi(k);
    }
    total
}

#[test]
fn a_robust_choice_shows_each_variant() {
    // Every portfolio within the budget costed in both variants by present_cost_by_hand; the
    // regret choice is the one whose worst excess over each variant's own best is least.
    // By that enumeration (present cost, central and high):
    //   none                    £2,361,490  £4,244,948
    //   semh-base               £1,687,964  £3,571,423
    //   near-expansion          £2,168,713  £3,153,498
    //   asd-unit×1              £2,300,173  £3,157,851
    //   asd-unit×2              £2,298,869  £3,003,674
    //   semh-base + asd-unit×1  £1,626,647  £2,484,325
    // Within £500,000 the last is best in both variants: regret £0 in each. Within £400,000
    // (no near-expansion, no semh-base + asd-unit) the variants disagree: central is best
    // with semh-base, high with asd-unit×2 (£567,749 less); semh-base's worst regret,
    // £567,749 (high), is below asd-unit×2's, £610,905 (central), so semh-base is chosen.
    let case = Case::fixture("tiny");
    let mut cache = Vec::new();
    for (budget, capital, expected_choice) in
        [("500k", 500_000, "semh-base + asd-unit×1"), ("400k", 400_000, "semh-base")]
    {
        let within: Vec<([u32; 3], u32, String)> = every_portfolio().into_iter().filter(|p| p.1 <= capital).collect();
        let costs: Vec<[f64; 2]> = within
            .iter()
            .map(|(m, _, _)| {
                [
                    present_cost_by_hand(&case, &CENTRAL, *m, &mut cache),
                    present_cost_by_hand(&case, &HIGH, *m, &mut cache),
                ]
            })
            .collect();
        let best: Vec<f64> = (0..2).map(|v| costs.iter().map(|c| c[v]).fold(f64::INFINITY, f64::min)).collect();
        let regret = |c: &[f64; 2]| (c[0] - best[0]).max(c[1] - best[1]);
        let chosen = (0..costs.len()).min_by(|&a, &b| regret(&costs[a]).total_cmp(&regret(&costs[b]))).unwrap();
        for ((_, _, label), c) in within.iter().zip(&costs) {
            eprintln!("{budget}: {label}: central £{:.0}, high £{:.0}, regret £{:.0}", c[0], c[1], regret(c));
        }
        assert_eq!(within[chosen].2, expected_choice, "{budget}");
        // The least regret is clear (no other portfolio within £1 of it).
        assert!(costs.iter().enumerate().all(|(i, c)| i == chosen || regret(c) > regret(&costs[chosen]) + 1.0));

        let out = case.run(&["schemes", "schemes.toml", "--budget", budget, "--robust", "regret", "--out", budget]);
        assert!(out.status.success(), "{}", stderr(&out));
        let variants = rows(&case, &format!("{budget}/variants.csv"));
        let labels: Vec<&str> = variants.iter().map(|r| r["portfolio"].as_str()).collect();
        let chosen_label = format!("Chosen: {expected_choice}");
        assert_eq!(
            labels,
            [chosen_label.as_str(), "Baseline (no schemes)", "Best for that variant alone", "Regret of the chosen"]
        );
        let c = costs[chosen];
        let expected = [c, costs[0], [best[0], best[1]], [c[0] - best[0], c[1] - best[1]]];
        for (row, want) in variants.iter().zip(expected) {
            for (v, w) in ["central", "high"].iter().zip(want) {
                // The file rounds to the pound; the two sides may round differently.
                let got = number(row, v);
                assert!((got - w).abs() <= 1.0, "{budget}: {}, {v}: {got} against {w:.2} by hand", row["portfolio"]);
            }
        }
    }
    let no_variants = Case::fixture("tiny");
    let out = no_variants.run(&["schemes", "model.toml", "--robust", "expected"]);
    assert!(!out.status.success());
}

#[test]
fn text_from_the_scheme_table_cannot_become_a_formula() {
    let case = Case::fixture("tiny");
    case.edit("schemes.csv", "Crewe SEMH base", "=HYPERLINK(\"http://x\")");
    let out = case.run(&["schemes", "schemes.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(case.path("out/schemes.csv")).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
}

#[rstest]
#[case::opens_after_horizon(
    "schemes.csv",
    "yes,2026/27,300000",
    "yes,2031/32,300000",
    "schemes.csv:2: field 'opens': 2031/32 is outside the years planned: expected 2025/26 to 2027/28"
)]
#[case::unknown_expansion(
    "schemes.csv",
    ",near,",
    ",nowhere,",
    "schemes.csv:3: field 'expands': 'nowhere' is not a setting id"
)]
#[case::unknown_requirement(
    "schemes.csv",
    "15000,,1,2,,",
    "15000,,1,2,,ghost",
    "schemes.csv:4: field 'requires': 'ghost' is not a scheme id"
)]
#[case::modules_reversed(
    "schemes.csv",
    "15000,,1,2,,",
    "15000,,3,2,,",
    "schemes.csv:4: field 'max_modules': 2 is below min_modules 3"
)]
#[case::id_of_a_setting(
    "schemes.csv",
    "semh-base,Crewe SEMH base",
    "unit,Crewe SEMH base",
    "schemes.csv:2: field 'id': 'unit' is already a setting's id"
)]
#[case::overlapping_pools(
    "scheme_places.csv",
    "asd-unit,ASD,all,3",
    "asd-unit,ASD,all,3\nasd-unit,ASD;SEMH,secondary,2",
    "scheme_places.csv:5: scheme 'asd-unit' already has places for some of these needs and phases"
)]
#[case::unknown_need(
    "scheme_places.csv",
    "semh-base,SEMH,",
    "semh-base,SEHM,",
    "scheme_places.csv:2: field 'needs': 'SEHM' is not a declared code"
)]
fn bad_scheme_tables_are_reported_by_file_line_and_field(
    #[case] file: &str,
    #[case] from: &str,
    #[case] to: &str,
    #[case] message: &str,
) {
    let case = Case::fixture("tiny");
    case.edit(file, from, to);
    let out = case.run(&["schemes", "schemes.toml", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.lines().any(|l| l.contains(message)), "{err}");
    assert!(!case.path("out").exists());
}
