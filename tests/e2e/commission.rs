//! Commissioning options through the real binary: the comparison on the tiny authority
//! checked against hand-worked figures, the files written, and bad option tables.

use rstest::rstest;

use crate::util::{Case, number, rows, stderr, stdout};

/// The tiny authority's spend a year at spot prices, worked out by hand from its tables
/// (tests/fixtures/tiny: settings.csv, setting_needs.csv, demand.csv, the road network and
/// model.toml's transport), not read from the program.
///
/// Journeys. Crewe and Nantwich sit on their road nodes; Stoke Independent sits on the
/// Stoke node. Near Special School joins at the Crewe node, Nantwich Unit at the Nantwich
/// node, each by an access leg of straight line × 1.3 (circuity): a = 1.3 × 0.0401 km
/// = 0.0521 km to Near, b = 1.3 × 0.0299 km = 0.0389 km to the Unit. Roads: Crewe–Nantwich
/// 7 km, Crewe–Stoke 25 km. Transport a child: £1,000 + £1/km × km × 2 journeys × 190 days
/// = £1,000 + £380 × km.
///
/// Placement. 6 Crewe SEMH secondary children can go only to Near (at most 2 SEMH there) or
/// Stoke (SEMH fee £65,000, out of borough): 2 at Near, 4 at Stoke. The other 9.5 children
/// (Crewe ASD primary 4, Nantwich ASD secondary 3 needing a special school, Nantwich SLCN
/// primary 2.5) fit in the borough (Near 10, Unit 5 places). The Unit (£15,000) is £7,000
/// cheaper than Near (£22,000); for a Nantwich SLCN child it also saves the journey, for a
/// Crewe ASD child it costs £380 × 7 km = £2,660 more transport, still £4,340 less in all;
/// Nantwich ASD children need a special school, so not the Unit. So the Unit takes SLCN 2.5
/// and Crewe ASD 2.5; Near takes Crewe ASD 1.5, Nantwich ASD 3 and Crewe SEMH 2 (6.5 of 10).
///
/// Places: 5 × £15,000 + 6.5 × £22,000 + 4 × £65,000 = £75,000 + £143,000 + £260,000
/// = £478,000. Transport: 15.5 × £1,000 + £380 × km, with km = Crewe–Near 3.5a +
/// Nantwich–Near 3 × (7 + a) + Crewe–Unit 2.5 × (7 + b) + Nantwich–Unit 2.5b +
/// Crewe–Stoke 4 × 25 = 138.5 + 6.5a + 5b = 139.0336 km: £15,500 + £52,832.75 = £68,332.75.
/// Spend: £546,332.75, shown as £546,333.
pub(crate) fn spot_spend_by_hand() -> f64 {
    use crate::util::haversine_km;
    let (crewe, nantwich) = ((53.0988, -2.4405), (53.0632, -2.5193));
    let (near, unit) = ((53.0990, -2.4400), (53.0630, -2.5190));
    let a = 1.3 * haversine_km(crewe, near);
    let b = 1.3 * haversine_km(nantwich, unit);
    let km = 3.5 * a + 3.0 * (7.0 + a) + 2.5 * (7.0 + b) + 2.5 * b + 4.0 * 25.0;
    let places = 5.0 * 15_000.0 + 6.5 * 22_000.0 + 4.0 * 65_000.0;
    let transport = 15.5 * 1_000.0 + 380.0 * km;
    assert!((a - 0.0521).abs() < 5e-5 && (b - 0.0389).abs() < 5e-5, "{a} {b}");
    assert!((places + transport - 546_332.75).abs() < 0.01, "{}", places + transport);
    places + transport
}

#[test]
fn options_are_compared_against_hand_worked_figures() {
    // Spot purchase: £546,333 a year in all (spot_spend_by_hand), of which the 4 SEMH
    // secondary children at Stoke Independent (£65,000 for SEMH) are £260,000.
    // The purchasing system: 5% off, capped at £55,000 for SEMH secondary, plus £100 a
    // placement and £5,000 to join: 4 × £55,100 + £5,000 = £225,400 (saves £34,600).
    // Two blocks of two places at £104,000: £208,000, no place unused (saves £52,000); the
    // best combination is the blocks alone (one block and two through the system would be
    // £104,000 + 2 × £55,100 + £5,000 = £219,200). No option moves a child: the cheapest
    // route to Stoke for Nantwich's ASD children (£57,100 through the system, + £13,160
    // transport for 32 km + £5,000 weight) is far dearer than Near (£22,000 + £3,680).
    let spot = spot_spend_by_hand().round();
    let case = Case::fixture("tiny");
    let out = case.run(&["commission", "commission.toml", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sets = rows(&case, "out/commissioning.csv");
    let labels: Vec<&str> = sets.iter().map(|r| r["option_set"].as_str()).collect();
    assert_eq!(labels, ["Spot purchase only", "Regional purchasing system", "Stoke block of two", "Best combination"]);
    let independent: Vec<f64> = sets.iter().map(|r| number(r, "independent_spend")).collect();
    assert_eq!(independent, [260_000.0, 225_400.0, 208_000.0, 208_000.0]);
    let spend: Vec<f64> = sets.iter().map(|r| number(r, "spend")).collect();
    assert_eq!(spend, [spot, spot - 34_600.0, spot - 52_000.0, spot - 52_000.0]);
    assert_eq!(sets[3]["options_used"], "block×2");
    for r in &sets {
        assert_eq!(number(r, "unmet"), 0.0);
        assert_eq!(number(r, "unused_block_places"), 0.0);
        assert_eq!(number(r, "saving_against_spot"), spot - number(r, "spend"));
    }
    // Break-even: 4 × (£65,000 × d) must beat £5,000 + 4 × £100: d > 2.08%.
    let be = rows(&case, "out/break_even.csv");
    assert_eq!(be.len(), 2);
    assert_eq!((be[0]["option"].as_str(), be[0]["kind"].as_str()), ("rps", "framework"));
    assert!((number(&be[0], "break_even_discount") - 5_400.0 / 260_000.0).abs() < 0.001, "{be:?}");
    // Break-even acceptance: a share a of the 4 through the system saves 4a × (£65,000 −
    // £55,100) against its £5,000 fee: a > 5,000 / 39,600 = 0.126 (found to within 0.01).
    let a = number(&be[0], "break_even_acceptance");
    assert!(a > 5_000.0 / 39_600.0 && a <= 5_000.0 / 39_600.0 + 0.01, "{be:?}");
    // Break-even block price: the best combination buys both blocks (the system not joined);
    // without them the 4 cost £260,000 at spot, with them free £0: £260,000 ÷ 2 = £130,000.
    assert_eq!(
        (be[1]["option"].as_str(), be[1]["kind"].as_str(), be[1]["beside"].as_str()),
        ("block", "block", "best combination")
    );
    assert_eq!(number(&be[1], "blocks"), 2.0);
    assert_eq!(number(&be[1], "without_blocks") - number(&be[1], "with_blocks_free"), 260_000.0);
    assert_eq!(number(&be[1], "break_even_block_price"), 130_000.0);
    assert_eq!(number(&be[1], "block_price"), 104_000.0);
    // Fees 10% higher: spot £286,000 at Stoke; the blocks are contracted and stay £208,000,
    // held or chosen afresh, with no place empty.
    let sens = rows(&case, "out/sensitivity.csv");
    assert_eq!(sens[1]["case"], "Independent fees +10%");
    assert_eq!(number(&sens[1], "spot_spend") - number(&sens[1], "best_spend"), 78_000.0);
    assert_eq!(number(&sens[1], "held_saving_against_spot"), 78_000.0);
    assert_eq!(sens[1]["held_uses"], "block×2");
    assert_eq!(
        (number(&sens[1], "voids"), number(&sens[1], "void_cost"), number(&sens[1], "cost_of_holding")),
        (0.0, 0.0, 0.0)
    );
    // Half the acceptance: the blocks held as signed, still the best.
    assert_eq!(sens[3]["case"], "Framework acceptance ×0.5");
    assert_eq!(number(&sens[3], "cost_of_holding"), 0.0);
    // Every combination chosen afresh is proven best on a model this small, and says so.
    assert!(sens.iter().all(|r| r["best_how_close"] == "proven best"), "{sens:?}");
    // `solve` prints the same spot spend.
    let solve = case.run(&["solve", "model.toml"]);
    assert!(
        stdout(&solve).contains("Annual cost: total spend                                     £546,333"),
        "{}",
        stdout(&solve)
    );
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
