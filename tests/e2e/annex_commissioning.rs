//! The annex's commissioning section over the years, read back from its CSV tables: the
//! savings are spot purchase's spend less each set's, voids are block places less the
//! children in them, what voids cost and the whole-term values are worked out from the
//! figures shown, and block contracts stay unnamed.

use std::collections::BTreeMap;

use crate::util::{Case, Record, rows, stderr};

/// The tiny authority over three years (2025/26 to 2027/28) with a framework and a block
/// contract of two places a block (£52,000 a place against the school's £60,000) from
/// 2026/27, signed for two years with a 3% uplift, one year's notice and a break after one.
/// Children placed before it starts stay on spot terms, so it fills with new children only.
fn tiny_over_three_years() -> Case {
    let case = Case::fixture("tiny");
    case.write(
        "options.csv",
        "id,name,kind,settings,needs,phases,discount,joining_fee,fee_per_placement,max_children_per_setting,\
         block_places,block_price,max_blocks,price_above,max_above,starts,contract_years,uplift,notice_years,\
         break_after\n\
         rps,Regional purchasing system,framework,independent,,,0.05,5000,100,,,,,,,,,,,\n\
         block,Stoke block of two,block,indep,SEMH;ASD,secondary,,,,,2,104000,2,,,2026/27,2,0.03,1,1\n",
    );
    case.write(
        "years.toml",
        "extends = \"horizon.toml\"\nname = \"Tiny, three years, commissioning\"\n\n[tables]\n\
         purchasing_options = \"options.csv\"\n",
    );
    let o = case.run(&["annex", "years.toml", "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    case
}

/// A cell as a number; blank is none.
fn cell(row: &Record, column: &str) -> Option<f64> {
    let v = &row[column];
    (!v.is_empty()).then(|| v.parse().unwrap_or_else(|_| panic!("{column}: {v:?}")))
}

fn at(row: &Record, column: &str) -> f64 {
    cell(row, column).unwrap_or_else(|| panic!("{column} blank: {row:?}"))
}

#[test]
fn the_years_table_adds_up_from_what_it_shows() {
    let case = tiny_over_three_years();
    let years = rows(&case, "out/tables/commissioning-years.csv");
    // Spot purchase only, each option alone, every option open: 4 sets × 3 years.
    assert_eq!(years.len(), 4 * 3, "{years:?}");
    let spot: BTreeMap<String, f64> = years
        .iter()
        .filter(|r| r["Option set"] == "Spot purchase only")
        .map(|r| (r["Year"].clone(), at(r, "Spend a year (£)")))
        .collect();
    assert_eq!(spot.len(), 3);
    let mut blocks_paid = 0.0;
    for r in &years {
        // Money to the nearest £1,000: a difference of two rounded figures is out by at most
        // one £1,000 from the saving rounded.
        let saving = spot[&r["Year"]] - at(r, "Spend a year (£)");
        assert!((saving - at(r, "Saving against spot purchase (£)")).abs() <= 1000.0, "{r:?}");
        // Whole places and children: out by at most one.
        let places = at(r, "Block places paid for (places)");
        let voids = at(r, "Voids (block places empty) (places)");
        assert!((voids - (places - at(r, "Children in block places (children)"))).abs() <= 1.0, "{r:?}");
        assert!((0.0..=places).contains(&voids), "{r:?}");
        blocks_paid += places;
    }
    // The block (£52,000 a place against £60,000) is taken in 2026/27 for the new children.
    assert!(blocks_paid > 0.0, "{years:?}");
    // Spot purchase only buys nothing through an option; its saving is 0.
    for r in years.iter().filter(|r| r["Option set"] == "Spot purchase only") {
        assert_eq!(at(r, "Saving against spot purchase (£)"), 0.0);
        assert_eq!(at(r, "Children through options, new (children)"), 0.0);
    }
    // The block contract is numbered, not named, in every commissioning table.
    for id in [
        "commissioning",
        "commissioning-years",
        "commissioning-blocks",
        "commissioning-whole-term",
        "commissioning-break-even",
        "commissioning-break-points",
    ] {
        let text = std::fs::read_to_string(case.path(&format!("out/tables/{id}.csv"))).expect(id);
        assert!(!text.contains("Stoke block") && text.contains("Block contract 1"), "{id}: {text}");
    }
}

#[test]
fn voids_and_whole_term_values_are_worked_out_from_the_tables() {
    let case = tiny_over_three_years();
    // Held from the start: 2 places a block, £52,000 a place risen 3% a year from 2026/27
    // (£53,560 in 2027/28, shown to the nearest £100); voids cost the voids × the price a
    // place (voids to whole places: out by half a place at most).
    let blocks = rows(&case, "out/tables/commissioning-blocks.csv");
    assert_eq!(blocks.len(), 2 * 2, "blocks 1 and 2, two years each: {blocks:?}");
    for (r, k) in blocks.iter().zip([0, 1, 0, 1]) {
        let each = 52_000.0 * 1.03_f64.powi(k);
        assert_eq!(at(r, "Price a place (£)"), (each / 100.0).round() * 100.0, "{r:?}");
        assert_eq!(at(r, "Places paid for (places)"), 2.0 * at(r, "Blocks held"));
        let cost = at(r, "What the voids cost (£)");
        assert!((cost - at(r, "Voids (places empty) (places)") * each).abs() <= 0.5 * each + 500.0, "{r:?}");
    }
    assert_eq!(blocks[2]["Year"], "2026/27");
    assert_eq!(blocks[3]["Price a place (£)"], "53600");
    // Two blocks held for the two new children: places paid for and left empty.
    assert!(at(&blocks[2], "Voids (places empty) (places)") >= 1.0, "{blocks:?}");
    // Each whole-term value is the sum of its savings shown × the discount factors stated.
    let md = std::fs::read_to_string(case.path("out/annex.md")).expect("md");
    let stated = md.split("(the discount rate and inflation of the business case): ").nth(1).expect("factors");
    let factors: Vec<f64> =
        stated[..stated.find(" by year").expect("by year")].split(", ").map(|f| f.parse().expect("factor")).collect();
    // 1 ÷ ((1 + 3.5%) × (1 + 2%))^k, the business case's defaults.
    assert_eq!(factors, [1.0, 0.947, 0.897]);
    let terms = rows(&case, "out/tables/commissioning-whole-term.csv");
    assert!(terms.len() >= 4, "{terms:?}");
    for r in &terms {
        let savings = ["2025/26", "2026/27", "2027/28"].map(|y| cell(r, &format!("Saving in {y} (£)")));
        let pv: f64 = savings.iter().zip(&factors).filter_map(|(s, f)| s.map(|s| s * f)).sum();
        // Three savings each to the nearest £1,000, factors to 0.001, the value to £1,000.
        let slack = 500.0 * 3.0 + 500.0 + 0.0005 * savings.iter().flatten().map(|s| s.abs()).sum::<f64>();
        assert!((pv - at(r, "Present value of the saving (£)")).abs() <= slack, "{r:?}: {pv}");
    }
    // Ending at the break point against keeping to the term: the difference as shown.
    let breaks = rows(&case, "out/tables/commissioning-break-points.csv");
    assert!(!breaks.is_empty());
    for r in &breaks {
        assert_eq!(r["Notice by"], "2026/27", "a year after 2026/27, less a year's notice");
        let ends = at(r, "Saving if ended (£)") - at(r, "Saving if kept to term (£)");
        assert!((ends - at(r, "What ending saves (£)")).abs() <= 1000.0, "{r:?}");
    }
    // Break-even figures in one table: the framework's discount and acceptance, the block's
    // price for each number of blocks held over its term.
    let even = rows(&case, "out/tables/commissioning-break-even.csv");
    let framework = even.iter().find(|r| r["Kind"] == "framework").expect("framework row");
    assert_eq!(at(framework, "Acceptance assumed (%)"), 100.0);
    // Its price at its start, and for 2027/28 risen a year by 3% (£107,120, to the nearest
    // £1,000).
    let block = even.iter().find(|r| r["Kind"] == "block contract").expect("block row");
    assert_eq!(at(block, "Price a block at its start (£)"), 104_000.0);
    assert_eq!(at(block, "Price a block, 2027/28 (£)"), 107_000.0);
    let held: Vec<f64> = even.iter().filter(|r| r["Kind"] == "block contract").map(|r| at(r, "Blocks")).collect();
    assert_eq!(held, [1.0, 2.0]);
}
