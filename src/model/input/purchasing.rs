//! Commissioning options (`tables.purchasing_options`, `tables.purchasing_prices`): ways of
//! buying independent places besides spot purchase.
//!
//! An option is a framework (a regional purchasing system: a discount, caps or bands by
//! need and phase, a fee to join and per placement) or a block contract at one school
//! (whole blocks of places for a fixed sum; a cost-and-volume contract adds children beyond
//! the blocks at an agreed price).
//!
//! An option covers named schools, the market's steps (`tables.market`: places bought by
//! need and phase), or both; a market step's price through it is worked out from the step's
//! cost a place as a school's fee is.

use std::collections::HashMap;
use std::path::Path;

use super::table::Row;
use super::{Ids, Loader, Problem, Problems, Tables, first_use, quoted, tidy};
use crate::model::{
    CodeSet, Contract, Money, PriceRule, PriceRuleKind, PurchasingOption, PurchasingTerms, Setting, SettingIx,
    SettingKind,
};

/// Most blocks one contract may offer.
const MAX_BLOCKS: f64 = 100.0;

/// The kinds of option, as written in the `kind` column.
const KINDS: [&str; 3] = ["framework", "block", "cost-and-volume"];

/// The market's steps, which follow the settings table's settings, and whether every row of
/// `tables.market` was read (if not, an id not found may be a step whose row has a problem,
/// already reported).
pub(crate) type MarketSteps<'a> = (&'a [Setting], bool);

/// Reads the options and their price rules.
pub(crate) fn read(
    tables: &Tables<'_>,
    (options_path, prices_path): (Option<&Path>, Option<&Path>),
    market: MarketSteps<'_>,
    loader: &mut Loader<'_>,
) -> Vec<PurchasingOption> {
    if options_path.is_none() && !tables.src.adds("purchasing_options") {
        if prices_path.is_some() {
            loader.problem("purchasing_prices", "tables.purchasing_prices needs tables.purchasing_options too".into());
        }
        return Vec::new();
    }
    let problems = &mut *loader.problems;
    let Some(table) = tables.src.open("purchasing_options", options_path, problems) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut ids = Ids::default();
    let mut seen = HashMap::new();
    for row in table.rows() {
        let id = row.id("id", problems);
        let name = row.name("name", problems);
        let settings = settings_at(tables, market, &row, problems);
        let needs = codes_or_all(&row, "needs", tables, true, problems);
        let phases = codes_or_all(&row, "phases", tables, false, problems);
        let terms = terms_at(tables, &row, settings.as_deref(), problems);
        let contract = contract_at(&row, problems);
        let acceptance =
            if row.text("acceptance").is_empty() { Some(1.0) } else { row.number_in("acceptance", 0.0, 1.0, problems) };
        let (
            Some(id),
            Some(name),
            Some(settings),
            Some(needs),
            Some(phases),
            Some(terms),
            Some(contract),
            Some(acceptance),
        ) = (id, name, settings, needs, phases, terms, contract, acceptance)
        else {
            ids.reject(row.text("id"));
            continue;
        };
        if acceptance < 1.0 && !matches!(terms, PurchasingTerms::Framework { .. }) {
            problems.push(row.problem("acceptance", "is for frameworks: a block contract's places are reserved"));
            ids.reject(&id);
            continue;
        }
        if first_use(&mut seen, &id, &row, "id", problems) {
            ids.add(&id);
            out.push(PurchasingOption { id, name, settings, needs, phases, terms, contract, acceptance });
        }
    }
    for id in table.broken_cells("id") {
        ids.reject(id);
    }
    read_prices(tables, prices_path, (&ids, &mut out), problems);
    out
}

/// `starts` (a school year such as 2026/27; blank: the first year planned), `contract_years`
/// (a whole number of years from the start, 1 to 50; blank: as long as is planned), `uplift`
/// (a rise a year of the option's own prices, -0.2 to 0.5; blank: 0), `notice_years` (whole
/// years, 0 to 10; blank: 0) and `break_after` (`;`-separated whole years after the start,
/// each within the contract's years, at which the council may end it).
fn contract_at(row: &Row<'_>, problems: &mut Problems) -> Option<Contract> {
    let whole = |column: &str, most: u32, problems: &mut Problems| -> Result<Option<u32>, ()> {
        match row.text(column) {
            "" => Ok(None),
            text => match text.parse::<u32>() {
                Ok(y) if (u32::from(column != "notice_years")..=most).contains(&y) => Ok(Some(y)),
                _ => {
                    let least = u32::from(column != "notice_years");
                    problems.push(row.problem(
                        column,
                        format!("{}: expected a whole number of years from {least} to {most}", quoted(text)),
                    ));
                    Err(())
                }
            },
        }
    };
    let years = whole("contract_years", 50, problems).ok()?;
    let notice_years = whole("notice_years", 10, problems).ok()?.unwrap_or(0);
    let starts = match row.text("starts") {
        "" => None,
        text => match crate::model::SchoolYear::parse(text) {
            Some(y) => Some(y),
            None => {
                problems
                    .push(row.problem("starts", format!("{}: expected a school year such as 2026/27", quoted(text))));
                return None;
            }
        },
    };
    let mut break_after = Vec::new();
    for part in row.text("break_after").split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<u32>() {
            Ok(b) if b >= 1 && years.is_none_or(|y| b < y) && !break_after.contains(&b) => break_after.push(b),
            _ => {
                let within = years.map_or_else(String::new, |y| format!(" below its contract_years ({y})"));
                problems.push(row.problem(
                    "break_after",
                    format!("{}: expected whole years after the start, from 1{within}, each once", quoted(part)),
                ));
                return None;
            }
        }
    }
    break_after.sort_unstable();
    let uplift = if row.text("uplift").is_empty() { 0.0 } else { row.number_in("uplift", -0.2, 0.5, problems)? };
    Some(Contract { starts, years, uplift, notice_years, break_after })
}

/// What `settings` may hold, for its messages.
const SETTINGS_EXPECTED: &str = "expected setting ids or market step ids separated by ';', `independent` (every independent and \
     non-maintained special school) or `market` (every step of the market)";

/// `settings`: `;`-separated parts, each a setting id, a market step's id, `independent` (every
/// independent and non-maintained special school in the settings table) or `market` (every
/// step of `tables.market`). A market step is setting `tables.settings.len() + i`.
fn settings_at(
    tables: &Tables<'_>,
    (steps, market_complete): MarketSteps<'_>,
    row: &Row<'_>,
    problems: &mut Problems,
) -> Option<Vec<SettingIx>> {
    let first_step = tables.settings.len();
    let mut out = Vec::new();
    let add = |s: SettingIx, out: &mut Vec<SettingIx>| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for part in row.text("settings").split(';').map(str::trim).filter(|p| !p.is_empty()) {
        if part.eq_ignore_ascii_case("independent") {
            let before = out.len();
            // The named schools: the market's steps are `market`.
            for (i, s) in tables.settings.iter().enumerate() {
                if matches!(s.kind, SettingKind::IndependentSpecial | SettingKind::NonMaintainedSpecial) {
                    add(SettingIx(i), &mut out);
                }
            }
            // Unless a setting's row has a problem (already reported): it may be one of them.
            if out.len() == before && tables.setting_ids.complete() {
                problems.push(row.problem(
                    "settings",
                    "has `independent`, but the settings table has no independent or non-maintained special schools",
                ));
                return None;
            }
        } else if part.eq_ignore_ascii_case("market") {
            if steps.is_empty() {
                if market_complete {
                    problems.push(row.problem(
                        "settings",
                        "has `market`, but the model has no market steps (tables.market): expected a market \
                         table, or setting ids",
                    ));
                }
                return None;
            }
            for i in 0..steps.len() {
                add(SettingIx(first_step + i), &mut out);
            }
        } else if let Some(s) = tables.setting_ids.get(part) {
            add(SettingIx(s), &mut out);
        } else if let Some(i) = steps.iter().position(|s| s.id == part) {
            add(SettingIx(first_step + i), &mut out);
        } else if tables.setting_ids.explained(part) || !market_complete {
            // The setting's or step's own row has a problem, already reported.
            return None;
        } else {
            problems.push(row.problem(
                "settings",
                format!("{} is not a setting id or a market step id: {SETTINGS_EXPECTED}", quoted(part)),
            ));
            return None;
        }
    }
    if out.is_empty() {
        problems.push(row.problem("settings", format!("is empty: {SETTINGS_EXPECTED}")));
        return None;
    }
    Some(out)
}

/// A need or phase list; blank means all.
pub(super) fn codes_or_all(
    row: &Row<'_>,
    column: &str,
    tables: &Tables<'_>,
    need: bool,
    problems: &mut Problems,
) -> Option<CodeSet> {
    let codes = tables.codes;
    let declared = if need { codes.needs } else { codes.phases };
    if row.text(column).is_empty() {
        return Some(CodeSet::all(declared.len()));
    }
    if need { codes.needs_at(row, column, problems) } else { codes.phases_at(row, column, problems) }
}

/// The terms for the row's kind; columns of another kind must be blank.
fn terms_at(
    tables: &Tables<'_>,
    row: &Row<'_>,
    settings: Option<&[SettingIx]>,
    problems: &mut Problems,
) -> Option<PurchasingTerms> {
    let kind = row.text("kind").to_ascii_lowercase();
    let framework_columns = ["discount", "joining_fee", "fee_per_placement", "max_children_per_setting"];
    let block_columns = ["block_places", "block_price", "max_blocks"];
    let above_columns = ["price_above", "max_above"];
    let blank = |columns: &[&str], why: &str, problems: &mut Problems| {
        let mut ok = true;
        for c in columns {
            if !row.text(c).is_empty() {
                problems.push(row.problem(c, format!("is given for a {kind}: leave it blank ({why})")));
                ok = false;
            }
        }
        ok
    };
    match kind.as_str() {
        "framework" => {
            let ok = blank(&block_columns, "it is for block contracts", problems)
                & blank(&above_columns, "it is for cost-and-volume contracts", problems);
            let discount =
                if row.text("discount").is_empty() { Some(0.0) } else { row.number_in("discount", 0.0, 1.0, problems) };
            let joining = row.optional_number("joining_fee", 0.0, problems);
            let per = row.optional_number("fee_per_placement", 0.0, problems);
            let cap = row.optional_count("max_children_per_setting", problems);
            let bad = |c: &str| !row.text(c).is_empty();
            if !ok
                || discount.is_none()
                || (joining.is_none() && bad("joining_fee"))
                || (per.is_none() && bad("fee_per_placement"))
                || (cap.is_none() && bad("max_children_per_setting"))
            {
                return None;
            }
            Some(PurchasingTerms::Framework {
                discount: discount.unwrap_or(0.0),
                prices: Vec::new(),
                joining_fee: Money(joining.unwrap_or(0.0)),
                fee_per_placement: Money(per.unwrap_or(0.0)),
                max_children_per_setting: cap,
            })
        }
        "block" | "cost-and-volume" => {
            let mut ok = blank(&framework_columns, "it is for frameworks", problems);
            if kind == "block" {
                ok &= blank(&above_columns, "use kind cost-and-volume for children beyond the blocks", problems);
            }
            // One school, or steps of the market (places reserved there by need and phase).
            let first_step = tables.settings.len();
            let at_market = settings.is_some_and(|s| s.iter().all(|s| s.0 >= first_step));
            let keyword = row.text("settings").split(';').any(|p| p.trim().eq_ignore_ascii_case("independent"));
            if let Some(s) = settings
                && !at_market
                && (s.len() != 1 || keyword)
            {
                problems.push(row.problem(
                    "settings",
                    format!(
                        "names {} settings: expected the one school the contract is with, or market steps",
                        s.len()
                    ),
                ));
                ok = false;
            }
            let places = row.count("block_places", problems);
            if places == Some(0.0) {
                problems.push(row.problem("block_places", "is 0: expected the places in one block (above 0)"));
                ok = false;
            }
            let price = row.number("block_price", 0.0, problems);
            let max_blocks = if row.text("max_blocks").is_empty() {
                Some(1)
            } else {
                match row.text("max_blocks").parse::<f64>() {
                    Ok(v) if v.fract() == 0.0 && (1.0..=MAX_BLOCKS).contains(&v) => Some(v as u32),
                    _ => {
                        problems.push(row.problem(
                            "max_blocks",
                            format!("'{}': expected a whole number of blocks from 1 to 100", row.text("max_blocks")),
                        ));
                        None
                    }
                }
            };
            let above = if kind == "cost-and-volume" {
                let price_above = row.number("price_above", 0.0, problems);
                let most = match (row.text("max_above").is_empty(), settings) {
                    (true, Some(_)) if at_market => {
                        problems.push(row.problem(
                            "max_above",
                            "missing: a contract at market steps needs the most children beyond its blocks",
                        ));
                        None
                    }
                    (true, Some(s)) if s.len() == 1 => Some(tables.settings[s[0].0].places),
                    (true, _) => None,
                    (false, _) => row.count("max_above", problems),
                };
                match (price_above, most) {
                    (Some(p), Some(m)) => Some(Some((Money(p), m))),
                    _ => None,
                }
            } else {
                Some(None)
            };
            let (true, Some(block_places), Some(block_price), Some(max_blocks), Some(above)) =
                (ok, places, price, max_blocks, above)
            else {
                return None;
            };
            Some(PurchasingTerms::Block { block_places, block_price: Money(block_price), max_blocks, above })
        }
        other => {
            problems.push(
                row.problem("kind", format!("'{other}' is not a kind of option: expected one of {}", KINDS.join(", "))),
            );
            None
        }
    }
}

/// `purchasing_prices`: a framework's caps and bands by need and phase.
fn read_prices(
    tables: &Tables<'_>,
    path: Option<&Path>,
    (index, options): (&Ids, &mut [PurchasingOption]),
    problems: &mut Problems,
) {
    if path.is_none() && !tables.src.adds("purchasing_prices") {
        return;
    }
    let Some(table) = tables.src.open("purchasing_prices", path, problems) else {
        return;
    };
    let file = path.map_or_else(|| "purchasing_prices".into(), tidy);
    let codes = tables.codes;
    for row in table.rows() {
        let option = super::reference(&row, "option", index, "an option id in the purchasing_options table", problems);
        let needs = codes.needs_at(&row, "needs", problems);
        let phases = codes.phases_at(&row, "phases", problems);
        let rule = match row.text("rule").to_ascii_lowercase().as_str() {
            "cap" => Some(PriceRuleKind::Cap),
            "band" => Some(PriceRuleKind::Band),
            other => {
                problems
                    .push(row.problem("rule", format!("{} is not a price rule: expected cap or band", quoted(other))));
                None
            }
        };
        let price = row.number("price", 0.0, problems);
        let (Some(o), Some(needs), Some(phases), Some(kind), Some(price)) = (option, needs, phases, rule, price) else {
            continue;
        };
        let PurchasingTerms::Framework { prices, .. } = &mut options[o].terms else {
            problems.push(Problem::field(
                &file,
                row.line,
                "option",
                format!(
                    "'{}' is a block contract: expected a framework (blocks are priced by block_price)",
                    options[o].id
                ),
            ));
            continue;
        };
        let overlap = prices.iter().any(|r| {
            (0..codes.needs.len()).any(|n| r.needs.contains(n) && needs.contains(n))
                && (0..codes.phases.len()).any(|p| r.phases.contains(p) && phases.contains(p))
        });
        if overlap {
            problems.push(row.row_problem(format!(
                "option '{}' already has a price for some of these needs and phases: expected each need and phase in one row of an option",
                options[o].id
            )));
            continue;
        }
        prices.push(PriceRule { needs, phases, kind, price: Money(price) });
    }
}
