//! Numbers, names and lists in words, as the annex's paragraphs and method note write them.

use crate::model::{Model, Money, PurchasingOption};
use crate::outputs::annex::Unit;
use crate::planning::business_case::Payback;
use crate::planning::commissioning::Evaluation;
use crate::planning::schemes::Portfolio;

/// Who the need tables count: children "needing a specialist place", or, in a model of every
/// EHC plan ([`Model::holds_every_plan`]), children "with an EHC plan".
pub(super) fn needing(model: &Model) -> &'static str {
    if model.holds_every_plan() { "with an EHC plan" } else { "needing a specialist place" }
}

/// A list in words: "a", "a and b", "a, b and c".
pub(super) fn in_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Pounds as the model holds them: "£1,500", "£1.10", "£0.25".
pub(super) fn pounds_exact(m: Money) -> String {
    let v = m.pounds();
    if (v - v.round()).abs() < 1e-9 {
        Unit::Pounds.format(v.round())
    } else {
        let sign = if v < 0.0 { "-" } else { "" };
        let whole = v.abs().trunc();
        let pence = ((v.abs() - whole) * 100.0).round();
        let (whole, pence) = if pence >= 100.0 { (whole + 1.0, 0.0) } else { (whole, pence) };
        format!("{sign}£{}.{pence:02.0}", crate::model::group_thousands(whole))
    }
}

/// A number as the model holds it, without trailing zeros: 3.5, 40, 0.035.
pub(super) fn plain(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// Full names of the DfE's primary need codes, for the method note.
pub(super) const NEED_NAMES: [(&str, &str); 12] = [
    ("ASD", "autistic spectrum disorder"),
    ("SEMH", "social, emotional and mental health"),
    ("SLCN", "speech, language and communication needs"),
    ("MLD", "moderate learning difficulty"),
    ("SLD", "severe learning difficulty"),
    ("PMLD", "profound and multiple learning difficulty"),
    ("SpLD", "specific learning difficulty"),
    ("HI", "hearing impairment"),
    ("VI", "visual impairment"),
    ("MSI", "multi-sensory impairment"),
    ("PD", "physical disability"),
    ("OTH", "other difficulty or disability"),
];

/// The chosen schemes by name, a scheme built in units with how many and their places in
/// all: "New SEMH school (Crewe site); ASD resource base (3 units of 8 places, 24 in all)".
pub(super) fn portfolio_names(model: &Model, portfolio: &Portfolio) -> String {
    let names: Vec<String> = model
        .schemes
        .iter()
        .zip(&portfolio.0)
        .filter(|(_, m)| **m > 0)
        .map(|(s, &m)| if s.max_modules > 1 { format!("{} ({})", s.name, units(s, m)) } else { s.name.clone() })
        .collect();
    if names.is_empty() { "no scheme".into() } else { names.join("; ") }
}

/// Units of a scheme in words, saying the places are in all: "3 units of 8 places, 24 in
/// all"; "1 unit of 8 places".
pub(super) fn units(s: &crate::model::Scheme, m: u32) -> String {
    let each = s.places_per_module();
    if m == 1 {
        format!("1 unit of {} places", plain(each))
    } else {
        format!("{m} units of {} places, {} in all", plain(each), plain(each * f64::from(m)))
    }
}

/// A purchasing option's name as published: a block contract names its provider only when
/// the council says so (`[annex] name_providers`); else "Block contract 1", "Block contract
/// 2", ... in the order of `options` (the model's own, so that a contract keeps its number
/// in every year, open or not). Frameworks (regional purchasing systems) are public and
/// always named.
pub(super) fn option_name(options: &[PurchasingOption], o: &PurchasingOption, name_providers: bool) -> String {
    if name_providers || !o.is_block() {
        return o.name.clone();
    }
    let n = options.iter().filter(|x| x.is_block()).position(|x| x.id == o.id).map_or(0, |i| i + 1);
    format!("Block contract {n}")
}

/// The purchasing options an evaluation uses (its indices into `options`, a year's), by name,
/// block contracts numbered in the order of `all` (the model's options): "North West
/// purchasing system; Block contract 1 (2 blocks)".
pub(super) fn options_used(
    all: &[PurchasingOption],
    options: &[PurchasingOption],
    e: &Evaluation,
    name_providers: bool,
) -> String {
    let parts: Vec<String> = crate::planning::commissioning::options_in_use(options, e)
        .into_iter()
        .map(|(o, blocks)| match blocks {
            Some(taken) => format!("{} ({taken} blocks)", option_name(all, o, name_providers)),
            None => option_name(all, o, name_providers),
        })
        .collect();
    if parts.is_empty() { "spot purchase only".into() } else { parts.join("; ") }
}

/// Whether a business case pays back within the years planned, in words.
pub(super) fn pays_back(payback: Payback, capital: Money) -> String {
    match payback {
        Payback::Within(y) => format!("pays back in {y}"),
        Payback::Beyond(y) => {
            format!("does not pay back within the years planned (at the last year's saving it would in {y})")
        }
        Payback::Never if capital.pounds() <= 0.0 => "has no capital to repay".into(),
        Payback::Never => "does not pay back: by the last year planned it saves nothing".into(),
    }
}
