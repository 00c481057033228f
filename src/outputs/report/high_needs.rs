//! The high-needs block in the reports: the Dedicated Schools Grant's high-needs block year
//! by year, with and without the programme, as a finance officer's DSG management plan lays
//! it out (lines down, years across) for the terminal, and one row a year for spreadsheets
//! (`high_needs.csv`) and other programs (`high_needs.json`). Transport is shown beside the
//! block: it is paid from the council's general fund.

use serde::Serialize;

use super::csv::CsvTable;
use super::text::grid;
use crate::model::{Money, OtherSpend};
use crate::planning::high_needs::{Block, Ledger};

/// The columns of `high_needs.csv`, one row a year.
pub const COLUMNS: [&str; 16] = [
    "year",
    "grant",
    "places_without",
    "places_with",
    "mainstream_top_ups",
    "alternative_provision",
    "further_education",
    "support_services",
    "spend_without",
    "spend_with",
    "in_year_balance_without",
    "in_year_balance_with",
    "cumulative_deficit_without",
    "cumulative_deficit_with",
    "transport_without",
    "transport_with",
];

/// One year of the block, as `high_needs.csv` and `high_needs.json` give it (whole pounds).
#[derive(Debug, Clone, Serialize)]
pub struct YearRow {
    pub year: String,
    pub grant: i64,
    pub places_without: i64,
    pub places_with: i64,
    pub mainstream_top_ups: i64,
    pub alternative_provision: i64,
    pub further_education: i64,
    pub support_services: i64,
    pub spend_without: i64,
    pub spend_with: i64,
    pub in_year_balance_without: i64,
    pub in_year_balance_with: i64,
    pub cumulative_deficit_without: i64,
    pub cumulative_deficit_with: i64,
    pub transport_without: i64,
    pub transport_with: i64,
}

/// Whole pounds.
fn pounds(m: Money) -> i64 {
    // Amounts are at most £1,000,000,000,000 a line: well within an i64.
    #[allow(clippy::cast_possible_truncation)]
    let whole = m.0.round() as i64;
    whole
}

/// The block's rows, one a year.
#[must_use]
pub fn rows(block: &Block) -> Vec<YearRow> {
    let (dw, dv) = (block.without.cumulative_deficit(), block.with.cumulative_deficit());
    block
        .without
        .years()
        .iter()
        .zip(block.with.years())
        .zip(dw.iter().zip(&dv))
        .zip(&block.transport)
        .map(|(((w, v), (dw, dv)), (tw, tv))| YearRow {
            year: w.year.to_string(),
            grant: pounds(w.grant),
            places_without: pounds(w.places),
            places_with: pounds(v.places),
            mainstream_top_ups: pounds(w.other[0]),
            alternative_provision: pounds(w.other[1]),
            further_education: pounds(w.other[2]),
            support_services: pounds(w.other[3]),
            spend_without: pounds(w.spend()),
            spend_with: pounds(v.spend()),
            in_year_balance_without: pounds(w.balance()),
            in_year_balance_with: pounds(v.balance()),
            cumulative_deficit_without: pounds(*dw),
            cumulative_deficit_with: pounds(*dv),
            transport_without: pounds(*tw),
            transport_with: pounds(*tv),
        })
        .collect()
}

/// `high_needs.csv`: one row a year, plain whole pounds.
#[must_use]
pub fn csv(block: &Block) -> String {
    let rows = rows(block)
        .into_iter()
        .map(|r| {
            let n = |v: i64| v.to_string();
            vec![
                r.year,
                n(r.grant),
                n(r.places_without),
                n(r.places_with),
                n(r.mainstream_top_ups),
                n(r.alternative_provision),
                n(r.further_education),
                n(r.support_services),
                n(r.spend_without),
                n(r.spend_with),
                n(r.in_year_balance_without),
                n(r.in_year_balance_with),
                n(r.cumulative_deficit_without),
                n(r.cumulative_deficit_with),
                n(r.transport_without),
                n(r.transport_with),
            ]
        })
        .collect();
    CsvTable { headers: COLUMNS.iter().map(|h| (*h).to_string()).collect(), rows }.text()
}

/// `high_needs.json`: the deficit brought forward and the rows, for other programs.
#[must_use]
pub fn json(model_name: &str, block: &Block) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        model: &'a str,
        /// What the figures are.
        note: &'static str,
        deficit_brought_forward: i64,
        years: Vec<YearRow>,
    }
    let doc = Document {
        model: model_name,
        note: NOTE,
        deficit_brought_forward: pounds(block.without.brought_forward()),
        years: rows(block),
    };
    // Plain numbers and strings cannot fail to serialise.
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// What the block's figures are, in a sentence.
pub const NOTE: &str = "High-needs block of the Dedicated Schools Grant, pounds a year in the model's prices: the \
                        grant and the other lines as [high_needs] states them; places is the plan's spend on \
                        specialist places (place funding, top-ups and independent fees, with the new places' running \
                        costs and place funding); in-year balance = grant less spend (negative: an overspend); \
                        cumulative deficit = deficit brought forward less the balances to date. Transport is paid \
                        from the general fund and is not in the block.";

/// The block for the terminal: lines down, years across.
#[must_use]
pub fn text(block: &Block) -> String {
    let years: Vec<String> = block.without.years().iter().map(|y| y.year.to_string()).collect();
    let mut headers = vec!["£ a year".to_string()];
    headers.extend(years.iter().cloned());
    let line = |name: &str, values: Vec<Money>| -> Vec<String> {
        std::iter::once(name.to_string()).chain(values.into_iter().map(|m| m.to_string())).collect()
    };
    let each = |l: &Ledger, f: &dyn Fn(&crate::planning::high_needs::BlockYear) -> Money| -> Vec<Money> {
        l.years().iter().map(f).collect()
    };
    let (w, v) = (&block.without, &block.with);
    let mut rows = vec![
        line("Grant", each(w, &|y| y.grant)),
        line("Specialist places, without the programme", each(w, &|y| y.places)),
        line("Specialist places, with the programme", each(v, &|y| y.places)),
    ];
    for (i, l) in OtherSpend::ALL.iter().enumerate() {
        rows.push(line(l.name(), each(w, &|y| y.other[i])));
    }
    rows.extend([
        line("Spend, without", each(w, &|y| y.spend())),
        line("Spend, with", each(v, &|y| y.spend())),
        line("In-year balance, without", each(w, &|y| y.balance())),
        line("In-year balance, with", each(v, &|y| y.balance())),
        line("Cumulative deficit, without", w.cumulative_deficit()),
        line("Cumulative deficit, with", v.cumulative_deficit()),
        line("Transport (general fund), without", block.transport.iter().map(|t| t.0).collect()),
        line("Transport (general fund), with", block.transport.iter().map(|t| t.1).collect()),
    ]);
    let numeric: Vec<bool> = (0..headers.len()).map(|i| i > 0).collect();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    grid(&headers, &rows, &numeric)
}
