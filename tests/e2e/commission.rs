//! Commissioning options through the real binary: the comparison on the tiny authority
//! checked against hand-worked figures, the files written, and bad option tables.

use rstest::rstest;

use crate::util::{Case, number, rows, stderr, stdout};

#[test]
fn options_are_compared_against_hand_worked_figures() {
    // The tiny authority places 4 SEMH secondary children at Stoke Independent (£65,000
    // for SEMH): £260,000 a year at spot prices, £546,333 spent in all (as `solve` says).
    // The purchasing system: 5% off, capped at £55,000 for SEMH secondary, plus £100 a
    // placement and £5,000 to join: 4 × £55,100 + £5,000 = £225,400.
    // Two blocks of two places at £104,000: £208,000, no place unused; the best combination
    // is the blocks alone (one block and two through the system would be £219,200).
    let case = Case::fixture("tiny");
    let out = case.run(&["commission", "commission.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sets = rows(&case, "out/commissioning.csv");
    let labels: Vec<&str> = sets.iter().map(|r| r["option_set"].as_str()).collect();
    assert_eq!(labels, ["Spot purchase only", "Regional purchasing system", "Stoke block of two", "Best combination"]);
    let independent: Vec<f64> = sets.iter().map(|r| number(r, "independent_spend")).collect();
    assert_eq!(independent, [260_000.0, 225_400.0, 208_000.0, 208_000.0]);
    assert_eq!(number(&sets[0], "spend"), 546_333.0);
    assert_eq!(sets[3]["options_used"], "block×2");
    for r in &sets {
        assert_eq!(number(r, "unmet"), 0.0);
        assert_eq!(number(r, "unused_block_places"), 0.0);
        assert_eq!(number(r, "saving_against_spot"), 546_333.0 - number(r, "spend"));
    }
    // Break-even: 4 × (£65,000 × d) must beat £5,000 + 4 × £100: d > 2.08%.
    let be = rows(&case, "out/break_even.csv");
    assert_eq!(be.len(), 1);
    assert!((number(&be[0], "break_even_discount") - 5_400.0 / 260_000.0).abs() < 0.001, "{be:?}");
    // Fees 10% higher: spot £286,000 at Stoke; the blocks are contracted and stay £208,000.
    let sens = rows(&case, "out/sensitivity.csv");
    assert_eq!(sens[1]["case"], "Independent fees +10%");
    assert_eq!(number(&sens[1], "spot_spend") - number(&sens[1], "best_spend"), 78_000.0);
    // The spot-only spend is what `solve` reports.
    let solve = case.run(&["solve", "model.toml"]);
    assert!(stdout(&solve).contains("£546,333"), "{}", stdout(&solve));
    assert!(stdout(&out).contains("2.1%"), "{}", stdout(&out));
}

#[test]
fn a_model_without_options_is_refused_in_one_line() {
    let case = Case::fixture("tiny");
    let out = case.run(&["commission", "model.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("has no commissioning options"), "{}", stderr(&out));
}

#[test]
fn option_names_cannot_become_formulas() {
    let case = Case::fixture("tiny");
    case.edit("purchasing_options.csv", "Regional purchasing system", "=HYPERLINK(\"x\")");
    let out = case.run(&["commission", "commission.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(case.path("out/commissioning.csv")).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
}

#[rstest]
#[case::unknown_kind(
    "framework,independent",
    "frame,independent",
    "purchasing_options.csv:2: field 'kind': 'frame' is not a kind of option"
)]
#[case::unknown_setting(
    "block,indep,",
    "block,stoke,",
    "purchasing_options.csv:3: field 'settings': 'stoke' is not a setting id"
)]
#[case::block_at_two_schools(
    "block,indep,",
    "block,indep;near,",
    "purchasing_options.csv:3: field 'settings': names 2 settings"
)]
#[case::discount_over_one(",0.05,", ",5,", "purchasing_options.csv:2: field 'discount'")]
#[case::framework_with_block_price(
    ",0.05,5000,100,,,,,,",
    ",0.05,5000,100,,,9,,,",
    "purchasing_options.csv:2: field 'block_price': is given for a framework"
)]
fn bad_option_tables_are_reported_by_file_line_and_field(#[case] from: &str, #[case] to: &str, #[case] message: &str) {
    let case = Case::fixture("tiny");
    case.edit("purchasing_options.csv", from, to);
    let out = case.run(&["commission", "commission.toml", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.lines().any(|l| l.contains(message)), "{err}");
    assert!(!case.path("out").exists());
}

#[test]
fn a_price_rule_for_a_block_contract_is_refused() {
    let case = Case::fixture("tiny");
    case.edit("purchasing_prices.csv", "rps,SEMH", "block,SEMH");
    let out = case.run(&["commission", "commission.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("purchasing_prices.csv:2: field 'option': 'block' is a block contract"),
        "{}",
        stderr(&out)
    );
}

#[rstest]
#[case::contract_years(
    ["0", "", ""],
    "",
    "purchasing_options.csv:2: field 'contract_years': '0': expected a whole number of years from 1 to 50"
)]
#[case::uplift(["", "0.9", ""], "", "purchasing_options.csv:2: field 'uplift'")]
#[case::acceptance_over_one(["", "", "1.5"], "", "purchasing_options.csv:2: field 'acceptance'")]
#[case::acceptance_on_a_block(["", "", ""], "0.5", "purchasing_options.csv:3: field 'acceptance': is for frameworks")]
fn bad_contract_terms_are_reported_by_file_line_and_field(
    #[case] framework: [&str; 3],
    #[case] block_acceptance: &str,
    #[case] message: &str,
) {
    // framework: its contract_years, uplift and acceptance; then the block's acceptance.
    let [years, uplift, acceptance] = framework;
    let case = Case::fixture("tiny");
    case.write(
        "purchasing_options.csv",
        &format!(
            "id,name,kind,settings,needs,phases,discount,joining_fee,fee_per_placement,max_children_per_setting,\
             block_places,block_price,max_blocks,price_above,max_above,contract_years,uplift,acceptance\n\
             rps,Regional purchasing system,framework,independent,,,0.05,5000,100,,,,,,,{years},{uplift},{acceptance}\n\
             block,Stoke block of two,block,indep,SEMH;ASD,secondary,,,,,2,104000,2,,,,,{block_acceptance}\n"
        ),
    );
    let out = case.run(&["commission", "commission.toml", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.lines().any(|l| l.contains(message)), "{message:?} not in {err}");
    assert!(!case.path("out").exists());
}
