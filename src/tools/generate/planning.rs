//! The planning tables of a generated model, in proportion to the Cheshire East sample
//! (1,553 children in its first year): the independent market, candidate capital schemes
//! and their places, and ways of buying independent places.
//!
//! For every 1,553 children of the first year the sample has a market of two capped day
//! steps (100 and 150 places) before an unlimited day step and an unlimited residential step;
//! eight candidate schemes (two sites for a new SEMH school, a satellite of one, resource
//! bases built in modules, a post-16 unit, a nurture base and an expansion of a special
//! school); and, besides one regional framework, a block contract and a cost-and-volume
//! contract. A generated model has as many of each as its children make, so a region of
//! 47,000 children has 31 groups of schemes and contracts, each sited round a locality.

use std::fmt::Write as _;

use super::Random;

/// Children in the sample's first year: the unit the tables are scaled by.
pub const SAMPLE_CHILDREN: f64 = 1_553.0;

/// Capital budget of `sufficiency schemes --budget` on the sample (£12m), per sample's worth
/// of children.
pub const SAMPLE_BUDGET: f64 = 12_000_000.0;

/// What the planning tables are drawn round: the first year's children, the years planned,
/// the localities' positions (kilometres), and the settings generated (id, kind, in the
/// borough).
pub struct Basis<'a> {
    /// Children needing a place in the first year.
    pub children: f64,
    /// Years planned.
    pub years: usize,
    /// Each locality's position.
    pub homes: &'a [(f64, f64)],
    /// Each setting's id, kind code and whether it is in the borough.
    pub settings: &'a [(String, &'static str, bool)],
}

/// A scheme's terms as the sample has them: capital, cost a place, fixed annual cost,
/// `min_modules,max_modules`, exclusive group, required scheme, capital profile, years to fill.
type Terms = (f64, f64, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

/// How many sample's worth of children the model has (at least one).
#[must_use]
pub fn groups(children: f64) -> usize {
    ((children / SAMPLE_CHILDREN).round() as usize).max(1)
}

/// The capital budget in proportion to the sample's £12m for its children, rounded to £1m.
#[must_use]
pub fn budget(children: f64) -> f64 {
    (SAMPLE_BUDGET * children / SAMPLE_CHILDREN / 1e6).round().max(1.0) * 1e6
}

/// The tables: (file name, text) for market.csv, schemes.csv, scheme_places.csv,
/// purchasing_options.csv and purchasing_prices.csv.
pub(super) fn tables(rng: &mut Random, basis: &Basis<'_>) -> Vec<(String, String)> {
    let scale = basis.children / SAMPLE_CHILDREN;
    let groups = groups(basis.children);
    // The market: the sample's steps, the capped ones in proportion.
    let mut market = String::from(
        "id,name,needs,phases,places,cost_per_place,journey_minutes,journey_km,residence,transport_per_child\n",
    );
    let (first, next) = ((100.0 * scale).round().max(1.0), (150.0 * scale).round().max(1.0));
    let _ = writeln!(market, "market-day-1,Independent day places (first {first}),all,all,{first},58000,40,30,day,");
    let _ = writeln!(market, "market-day-2,Independent day places (next {next}),all,all,{next},62000,45,35,day,");
    market.push_str("market-day-3,Independent day places (any number),all,all,,66000,45,35,day,\n");
    market.push_str(
        "market-residential,Independent residential places (52-week),all,secondary;post-16,,160000,90,110,52-week,3000\n",
    );

    let mut schemes = String::from(
        "id,name,kind,expands,latitude,longitude,in_borough,opens,capital_cost,cost_per_place,fixed_annual_cost,\
         min_modules,max_modules,exclusive_group,requires,capital_profile,fill_years\n",
    );
    let mut places = String::from("scheme,needs,phases,places\n");
    // The year a scheme opens, `after` years after the first (the last year planned at most).
    let opens = |after: usize| {
        let y = after.min(basis.years.max(1) - 1);
        format!("{}/{:02}", 2025 + y, (26 + y) % 100)
    };
    let special: Vec<&str> =
        basis.settings.iter().filter(|s| s.1 == "maintained-special" && s.2).map(|s| s.0.as_str()).collect();
    let independent: Vec<&str> =
        basis.settings.iter().filter(|s| s.1 == "independent-special").map(|s| s.0.as_str()).collect();
    for g in 0..groups {
        let home = basis.homes[rng.below(basis.homes.len())];
        let mut site = || {
            let at = (home.0 + rng.between((-3.0, 3.0)), home.1 + rng.between((-3.0, 3.0)));
            let (lat, lon) = super::to_degrees(at);
            format!("{lat:.5},{lon:.5}")
        };
        let capital = |base: f64, rng: &mut Random| (base * rng.between((0.85, 1.15)) / 10_000.0).round() * 10_000.0;
        // (id, name, kind, site, opens, capital, cost a place, fixed, modules, group, requires, profile, fill)
        let rows: [(String, String, &str, String, String); 7] = [
            (
                format!("g{g}-semh-school-a"),
                "New SEMH secondary school (site A)".into(),
                "academy-special",
                site(),
                opens(2),
            ),
            (
                format!("g{g}-semh-school-b"),
                "New SEMH secondary school (site B)".into(),
                "academy-special",
                site(),
                opens(3),
            ),
            (format!("g{g}-semh-satellite"), "SEMH school satellite".into(), "academy-special", site(), opens(3)),
            (
                format!("g{g}-asd-rp-secondary"),
                "ASD resource base at a high school".into(),
                "resourced-provision",
                site(),
                opens(1),
            ),
            (format!("g{g}-post16-unit"), "Post-16 SEMH and ASD unit".into(), "specialist-post-16", site(), opens(1)),
            (
                format!("g{g}-primary-nurture"),
                "Primary SEMH nurture base".into(),
                "resourced-provision",
                site(),
                opens(1),
            ),
            (
                format!("g{g}-primary-asd-slcn"),
                "Primary ASD and SLCN resource base".into(),
                "resourced-provision",
                site(),
                opens(1),
            ),
        ];
        let details: [Terms; 7] = [
            (3_500_000.0, 24_500.0, "150000", ",", "semh-school", "", "30;70", "3"),
            (3_300_000.0, 24_500.0, "150000", ",", "semh-school", "", "30;70", "3"),
            (800_000.0, 24_500.0, "", ",", "", "a", "", "2"),
            (380_000.0, 16_500.0, "", "1,3", "", "", "", ""),
            (1_100_000.0, 30_000.0, "", ",", "", "", "", ""),
            (500_000.0, 18_500.0, "", ",", "", "", "", ""),
            (380_000.0, 15_000.0, "", "1,4", "", "", "", ""),
        ];
        for ((id, name, kind, at, year), (cap, cost, fixed, modules, group, requires, profile, fill)) in
            rows.into_iter().zip(details)
        {
            let group = if group.is_empty() { String::new() } else { format!("g{g}-{group}") };
            let requires = if requires.is_empty() { String::new() } else { format!("g{g}-semh-school-a") };
            let _ = writeln!(
                schemes,
                "{id},{name} {g},{kind},,{at},yes,{year},{:.0},{cost:.0},{fixed},{modules},{group},{requires},{profile},{fill}",
                capital(cap, rng)
            );
        }
        for (scheme, needs, phases, n) in [
            ("semh-school-a", "SEMH", "secondary", 60),
            ("semh-school-a", "SEMH", "post-16", 12),
            ("semh-school-b", "SEMH", "secondary", 60),
            ("semh-school-b", "SEMH", "post-16", 12),
            ("semh-satellite", "SEMH", "secondary", 16),
            ("asd-rp-secondary", "ASD", "secondary", 8),
            ("post16-unit", "SEMH;ASD", "post-16", 24),
            ("primary-nurture", "SEMH", "early-years;primary", 10),
            ("primary-asd-slcn", "ASD;SLCN", "early-years;primary", 8),
        ] {
            let _ = writeln!(places, "g{g}-{scheme},{needs},{phases},{n}");
        }
        // An expansion of one of the borough's special schools (they take every need).
        if !special.is_empty() {
            let of = special[rng.below(special.len())];
            let _ = writeln!(
                schemes,
                "g{g}-expansion,Special school expansion {g},,{of},,,,{},{:.0},,,,,,,,",
                opens(2),
                capital(1_550_000.0, rng)
            );
            let _ = writeln!(places, "g{g}-expansion,ASD;SLCN,primary,16");
            let _ = writeln!(places, "g{g}-expansion,ASD;SLD;PMLD,secondary,16");
        }
    }

    // Ways of buying: one regional framework; a block and a cost-and-volume contract a group.
    let mut options = String::from(
        "id,name,kind,settings,needs,phases,discount,joining_fee,fee_per_placement,max_children_per_setting,\
         block_places,block_price,max_blocks,price_above,max_above\n",
    );
    options
        .push_str("regional-framework,Regional SEND purchasing system,framework,independent,,,0.04,60000,300,,,,,,\n");
    for g in 0..groups {
        if let Some(block) = independent.get(2 * g) {
            let _ = writeln!(
                options,
                "g{g}-block,Block contract {g},block,{block},SEMH;ASD,secondary;post-16,,,,,10,545000,4,,"
            );
        }
        if let Some(volume) = independent.get(2 * g + 1) {
            let _ = writeln!(
                options,
                "g{g}-volume,Cost and volume {g},cost-and-volume,{volume},SEMH;ASD,secondary;post-16,,,,,20,1060000,1,55500,30"
            );
        }
    }
    let prices = String::from(
        "option,needs,phases,rule,price\n\
         regional-framework,SEMH,secondary;post-16,cap,68000\n\
         regional-framework,ASD,secondary;post-16,cap,59000\n",
    );
    vec![
        ("market.csv".into(), market),
        ("schemes.csv".into(), schemes),
        ("scheme_places.csv".into(), places),
        ("purchasing_options.csv".into(), options),
        ("purchasing_prices.csv".into(), prices),
    ]
}
