//! Commissioning over the years through the real binary: the five-year sample's files
//! checked for their sums, and bad contract terms reported by file, line and field.

use std::collections::BTreeMap;
use std::path::Path;

use rstest::rstest;

use crate::util::{Case, number, rows, stderr, stdout};

#[test]
fn the_sample_over_the_years_adds_up() {
    let case = Case::fixture("tiny");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = root.join("models/cheshire-east-horizon.toml");
    let o = case.run(&["commission", model.to_str().unwrap(), "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(said.contains("Options over the years:") && said.contains("Whole-term value:"), "{said}");
    let years = rows(&case, "out/commissioning_years.csv");
    // 5 option sets (spot, the three options alone, every option open) × 5 years.
    assert_eq!(years.len(), 25);
    let spot: BTreeMap<String, f64> = years
        .iter()
        .filter(|r| r["option_set"] == "Spot purchase only")
        .map(|r| (r["year"].clone(), number(r, "spend")))
        .collect();
    assert_eq!(spot.len(), 5);
    for r in &years {
        // Children through options are those who kept their terms and those new to them;
        // voids are block places paid for less the children in the blocks; the saving is
        // against spot purchase only the same year.
        let (through, kept, new) = (
            number(r, "children_through_options"),
            number(r, "kept_through_options"),
            number(r, "new_through_options"),
        );
        assert!((through - kept - new).abs() <= 0.011, "{r:?}");
        let (places, voids) = (number(r, "block_places"), number(r, "voids"));
        assert!(voids >= 0.0 && voids <= places + 0.005, "{r:?}");
        assert!((voids - (places - number(r, "children_in_blocks")).max(0.0)).abs() <= 0.011, "{r:?}");
        let saving = spot[&r["year"]] - number(r, "spend");
        assert!((saving - number(r, "saving_against_spot")).abs() <= 1.0, "{r:?}");
    }
    // The framework starts in 2026/27: in 2025/26 no child goes through it; from 2027/28
    // some children keep its terms.
    let rps = |year: &str| {
        years
            .iter()
            .find(|r| r["option_set"].starts_with("North West") && r["year"] == year)
            .unwrap_or_else(|| panic!("{year}"))
    };
    assert_eq!(number(rps("2025/26"), "children_through_options"), 0.0);
    assert_eq!(number(rps("2026/27"), "kept_through_options"), 0.0);
    assert!(number(rps("2027/28"), "kept_through_options") > 0.0);
    // Each option's whole-term value is the discounted sum of its savings over its years.
    let contracts = rows(&case, "out/contracts.csv");
    assert_eq!(contracts.len(), 3);
    let label = [
        ("nw-rps", "North West SEND purchasing system (regional)"),
        ("block-meadowsweet", "Block contract: Meadowsweet House (SEMH and ASD)"),
        ("volume-trentside", "Cost and volume: Trentside (SEMH and ASD)"),
    ];
    for c in &contracts {
        let name = label.iter().find(|(id, _)| *id == c["option"]).unwrap().1;
        let (first, last) = (&c["first_year"], &c["last_year"]);
        let pv: f64 = years
            .iter()
            .filter(|r| r["option_set"] == name && &r["year"] >= first && &r["year"] <= last)
            .map(|r| number(r, "saving_against_spot") * number(r, "discount_factor"))
            .sum();
        assert!((pv - number(c, "present_value_of_saving")).abs() <= 5.0, "{c:?}: {pv}");
    }
    assert_eq!((&contracts[1]["first_year"][..], &contracts[1]["last_year"][..]), ("2027/28", "2029/30"));
    // Blocks held from the start: each number of blocks, the years the contract runs.
    let held = rows(&case, "out/blocks_held.csv");
    assert_eq!(held.len(), 4 * 3 + 5);
    assert!(held.iter().all(|r| number(r, "voids") >= 0.0));
    let breaks = rows(&case, "out/break_points.csv");
    assert!(breaks.iter().all(|r| r["option"] == "block-meadowsweet" && r["notice_by"] == "2028/29"));
    // The sample's transport options, from the same run.
    crate::commission_transport::the_samples_transport_options_add_up(&case, &said);
}

#[rstest]
#[case::starts("x", "", "", "purchasing_options.csv:2: field 'starts': 'x': expected a school year such as 2026/27")]
#[case::notice(
    "",
    "11",
    "",
    "purchasing_options.csv:2: field 'notice_years': '11': expected a whole number of years from 0 to 10"
)]
#[case::break_beyond_term(
    "",
    "",
    "3",
    "purchasing_options.csv:2: field 'break_after': '3': expected whole years after the start, from 1 below its contract_years (3), each once"
)]
#[case::break_twice("", "", "1;1", "purchasing_options.csv:2: field 'break_after': '1': expected whole years")]
fn bad_contract_terms_are_reported(
    #[case] starts: &str,
    #[case] notice: &str,
    #[case] breaks: &str,
    #[case] message: &str,
) {
    let case = Case::fixture("tiny");
    case.write(
        "purchasing_options.csv",
        &format!(
            "id,name,kind,settings,needs,phases,discount,joining_fee,fee_per_placement,max_children_per_setting,\
             block_places,block_price,max_blocks,price_above,max_above,contract_years,starts,notice_years,break_after\n\
             rps,Regional purchasing system,framework,independent,,,0.05,5000,100,,,,,,,3,{starts},{notice},{breaks}\n"
        ),
    );
    let out = case.run(&["commission", "commission.toml", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.lines().any(|l| l.contains(message)), "{message:?} not in {err}");
    assert!(!case.path("out").exists());
}
