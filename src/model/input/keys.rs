//! The keys a model file may have and what each holds, in planners' words, and the check of
//! each file of a chain against them.
//!
//! serde's own messages ("invalid type: string \"abc\", expected f64", "unknown field",
//! "missing field") speak Rust and lose the line once a chain of files is merged. So each
//! file is checked here first, with the line of every key: an unknown section or key, or a
//! value of the wrong kind, is one problem naming the file, the line, the key and what was
//! expected (`model.toml:15: field 'policy.unmet_penalty': expected a number of pounds,
//! found "abc"`). Keys a model cannot do without are checked on the merged chain
//! ([`missing`]). What serde then reads cannot fail but on a case missed here, which
//! [`super::model_file`]'s caller still reports.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::problem::Problem;
use super::schema::{Named, TABLES};
use super::text::{grouped, one_line};

/// Longest piece of a value quoted back in a problem, in characters.
const QUOTED: usize = 60;

/// What a key holds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Holds {
    /// Text in double quotes: what it is.
    Text(&'static str),
    /// A name or description in double quotes, its length held in [`super::load`]: what it is.
    Prose(&'static str),
    /// A number, whole or not: what it counts.
    Number(&'static str),
    /// A whole number: what it counts.
    Whole(&'static str),
    /// `true` or `false`, without quotes: what it says.
    YesNo(&'static str),
    /// One of these words, in double quotes.
    Choice(&'static [&'static str]),
    /// A list of text in double quotes: what the list is.
    TextList(&'static str),
    /// A section with these keys.
    Section(&'static [Key]),
    /// A section whose keys are codes (phases), each holding the same: what a key is, and
    /// what each holds.
    Codes(&'static str, &'static Holds),
    /// A list of sections, written `[[key]]`, with these keys.
    Entries(&'static [Key]),
}

/// One key of a model file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Key {
    name: &'static str,
    holds: Holds,
    /// A key every entry of a `[[list]]` must have (sections' required keys are checked on
    /// the merged chain, by [`missing`]).
    required: bool,
}

const fn key(name: &'static str, holds: Holds) -> Key {
    Key { name, holds, required: false }
}

const fn needed(name: &'static str, holds: Holds) -> Key {
    Key { name, holds, required: true }
}

const POUNDS: Holds = Holds::Number("a number of pounds");

/// A commentary file of the council's own words for a section of the annex.
const COMMENTARY: Holds =
    Holds::Text("the council's commentary for this section: a text file, like \"commentary/need.md\"");
const RISE: Holds = Holds::Number("a rise a year, from -0.2 to 0.5 (0.05 is 5%)");
const GROWTH: Holds = Holds::Number("a growth rate a year, from -0.2 to 0.5 (0.03 is 3%)");
const FEE_RISE: Holds = Holds::Number("a change in the rise a year, from -0.2 to 0.5 (0.02 is 2 points)");
const MARKET: Holds = Holds::Number("a multiplier on market prices, from 0.1 to 10 (1.2 is 20% dearer)");
const OVERRUN: Holds = Holds::Number("a multiplier on capital, from 0.1 to 10 (1.24 is 24% over)");
const CSV: Holds =
    Holds::Text("the CSV file of the table (or, with a workbook, the name of its sheet), in double quotes");
const MINUTES: Holds = Holds::Number("a number of minutes");
const SHARE: Holds = Holds::Number("a share from 0 to 1 (0.15 is 15%)");
const YEAR_GROUPS: Holds = Holds::Text("a range of year groups in double quotes, like \"R-6\"");

/// The keys of `[tables]`: `workbook`, then each table of [`TABLES`], those every model (or
/// every single-year model) names first.
const TABLES_SECTION: [Key; TABLES.len() + 1] = {
    let workbook =
        Holds::Text("the workbook (.xlsx, .xlsm, .xlsb, .xls or .ods) holding the tables as sheets, in double quotes");
    let mut keys = [key("workbook", workbook); TABLES.len() + 1];
    let mut at = 1;
    let mut pass = 0;
    while pass < 2 {
        let mut i = 0;
        while i < TABLES.len() {
            let first = matches!(TABLES[i].named, Named::Always | Named::SingleYear);
            if first == (pass == 0) {
                keys[at] = key(TABLES[i].key, CSV);
                at += 1;
            }
            i += 1;
        }
        pass += 1;
    }
    keys
};

/// Every key of a model file (and of a scenario, which may add `extends` and the lists of
/// rows added and removed and places changed).
pub(crate) const MODEL_FILE: &[Key] = &[
    key("name", Holds::Prose("the name of the authority or scenario, in double quotes")),
    key("planning_year", Holds::Text("a school year in double quotes, like \"2025/26\"")),
    key("description", Holds::Prose("a description in double quotes")),
    key("needs", Holds::TextList("a list of need codes, like [\"ASD\", \"SEMH\"]")),
    key("phases", Holds::TextList("a list of phase codes, like [\"primary\", \"secondary\"]")),
    key("extends", Holds::Text("the model file this one extends, in double quotes")),
    key("tables", Holds::Section(&TABLES_SECTION)),
    key(
        "policy",
        Holds::Section(&[
            key("objective", Holds::Choice(&["weighted", "lexicographic"])),
            key("out_of_borough_weight", POUNDS),
            key("unmet_penalty", POUNDS),
            key("max_journey_minutes", Holds::Codes("phase", &MINUTES)),
            key("share_transported", Holds::Codes("setting kind", &SHARE)),
        ]),
    ),
    key(
        "transport",
        Holds::Section(&[
            key("fixed_per_child", POUNDS),
            key("cost_per_km", POUNDS),
            key("cost_per_minute", POUNDS),
            key("journeys_per_day", Holds::Number("a number of journeys a school day")),
            key("school_days", Holds::Number("a number of school days a year")),
            key("circuity", Holds::Number("a number of road km per straight-line km")),
            key("average_speed_kmh", Holds::Number("a speed in km an hour")),
            key("max_access_km", Holds::Number("a number of km")),
        ]),
    ),
    key(
        "horizon",
        Holds::Section(&[
            key("first_year", Holds::Text("a school year in double quotes, like \"2025/26\"")),
            key("years", Holds::Whole("a whole number of years")),
            key("variant", Holds::Text("the name of a forecast variant, in double quotes")),
            key("phase_year_groups", Holds::Codes("phase", &YEAR_GROUPS)),
        ]),
    ),
    key(
        "appraisal",
        Holds::Section(&[
            key("discount_rate", Holds::Number("a rate a year, from 0 to 0.5 (0.035 is 3.5%)")),
            key("inflation", Holds::Number("general inflation a year, from -0.05 to 0.2 (0.02 is 2%)")),
            key("residual_years", Holds::Whole("a whole number of years from 0 to 60")),
            key("capital", Holds::Choice(&["annualised", "upfront"])),
            key("asset_life_years", Holds::Number("a number of years")),
            key("variants", Holds::TextList("a list of forecast variants, like [\"low\", \"central\", \"high\"]")),
            key("place_funding_special", POUNDS),
            key("place_funding_resourced", POUNDS),
        ]),
    ),
    key(
        "annex",
        Holds::Section(&[
            key("council", Holds::Text("the council's name in double quotes, like \"Cheshire East\"")),
            key("suppression_threshold", Holds::Number("a whole number of children from 1 to 100")),
            key("capital_budget", POUNDS),
            key(
                "caseload",
                Holds::Text(
                    "the DfE's EHC plan caseload by establishment type, a CSV file like \"sen2_estab_caseload.csv\"",
                ),
            ),
            key(
                "contact",
                Holds::Text("who to contact about the statement, in double quotes, like \"send@council.gov.uk\""),
            ),
            key(
                "review_date",
                Holds::Text("when the statement is next reviewed, in double quotes, like \"September 2027\""),
            ),
            key(
                "name_providers",
                Holds::YesNo("true to name rejected sites and block contracts' providers, false to describe them"),
            ),
            key("risk_draws", Holds::Number("the futures the annex's risk section draws, a whole number (0: none)")),
            key("risk_seed", Holds::Number("the seed of the annex's futures, a whole number")),
            key("caseload_la", Holds::Text("the authority in the caseload file: its code or name, like \"895\"")),
            key(
                "areas",
                Holds::Text("the GeoJSON file of the localities' boundaries, in double quotes, like \"areas.geojson\""),
            ),
            key(
                "area_name",
                Holds::Text("the property of each area naming its locality, in double quotes, like \"WD24NM\""),
            ),
            key(
                "commentary",
                Holds::Section(&[
                    key("introduction", COMMENTARY),
                    key("need", COMMENTARY),
                    key("places", COMMENTARY),
                    key("places_required", COMMENTARY),
                    key("placements", COMMENTARY),
                    key("schemes", COMMENTARY),
                    key("commissioning", COMMENTARY),
                    key("method", COMMENTARY),
                ]),
            ),
        ]),
    ),
    key("uplift", Holds::Section(&[key("default", RISE), key("independent", RISE), key("transport", RISE)])),
    key(
        "high_needs",
        Holds::Section(&[
            key("grant", POUNDS),
            key("grant_growth", GROWTH),
            key("deficit_brought_forward", POUNDS),
            key("deficit_target", POUNDS),
            key("mainstream_top_ups", POUNDS),
            key("mainstream_top_ups_growth", GROWTH),
            key("alternative_provision", POUNDS),
            key("alternative_provision_growth", GROWTH),
            key("further_education", POUNDS),
            key("further_education_growth", GROWTH),
            key("support_services", POUNDS),
            key("support_services_growth", GROWTH),
        ]),
    ),
    key(
        "risk",
        Holds::Section(&[
            key("need_variants", Holds::TextList("the low and high forecast variants, like [\"low\", \"high\"]")),
            key("fee_rise_low", FEE_RISE),
            key("fee_rise_high", FEE_RISE),
            key("market_low", MARKET),
            key("market_likely", MARKET),
            key("market_high", MARKET),
            key("overrun_low", OVERRUN),
            key("overrun_likely", OVERRUN),
            key("overrun_high", OVERRUN),
            key("late_chance", Holds::Number("a chance from 0 to 1 (0.1 is one in ten)")),
        ]),
    ),
    key(
        "add_rows",
        Holds::Entries(&[
            needed("table", Holds::Text("the name of a table, in double quotes, like \"settings\"")),
            needed("file", Holds::Text("the CSV file of the rows to add, in double quotes")),
        ]),
    ),
    key(
        "remove_rows",
        Holds::Entries(&[
            needed("table", Holds::Text("the name of a table, in double quotes, like \"settings\"")),
            needed("ids", Holds::TextList("a list of the ids of the rows to remove, like [\"crewe\"]")),
        ]),
    ),
    key(
        "places",
        Holds::Entries(&[
            needed("setting", Holds::Text("a setting id, in double quotes")),
            needed("from_year", Holds::Text("a school year in double quotes, like \"2026/27\"")),
            needed("places", Holds::Number("a number of places")),
        ]),
    ),
];

/// Longest text value, in characters (a path or a name; a description is held to less in
/// [`super::load`]).
const LONGEST_TEXT: usize = 4_000;

/// Checks one file of a chain, `text` (shown as `file`), against [`MODEL_FILE`].
pub(crate) fn check(text: &str, file: &Path) -> Vec<Problem> {
    // Syntax is checked first by the caller: a file that does not parse has no keys to check.
    let Ok(table) = DeTable::parse(text) else {
        return Vec::new();
    };
    let ends = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
    let mut check = Check { ends, file, problems: Vec::new() };
    check.section(table.get_ref(), MODEL_FILE, "", "");
    check.problems.sort_by_key(|p| p.line);
    check.problems
}

/// The problems found in one file.
struct Check<'a> {
    /// Where each line ends.
    ends: Vec<usize>,
    file: &'a Path,
    problems: Vec<Problem>,
}

type Value<'i> = toml::Spanned<DeValue<'i>>;

impl Check<'_> {
    /// The line (from 1) holding byte `offset`.
    fn line(&self, offset: usize) -> usize {
        self.ends.partition_point(|&end| end < offset) + 1
    }

    /// The keys of a section (`path` is `""` at the top, else like `policy`; `place` is how
    /// the section is written, `[policy]` or `[[add_rows]]`).
    fn section(&mut self, table: &DeTable<'_>, keys: &[Key], path: &str, place: &str) {
        for (name, value) in table {
            let name_text: &str = name.get_ref();
            let line = self.line(name.span().start);
            match keys.iter().find(|k| k.name == name_text) {
                Some(k) => self.value(&k.holds, value, &dotted(path, name_text)),
                None => self.unknown(name_text, value, (keys, path, place), line),
            }
        }
    }

    fn unknown(&mut self, name: &str, value: &Value<'_>, (keys, path, place): (&[Key], &str, &str), line: usize) {
        let sections: Vec<String> = keys
            .iter()
            .filter(|k| matches!(k.holds, Holds::Section(_) | Holds::Codes(..)))
            .map(|k| format!("[{}]", dotted(path, k.name)))
            .collect();
        let lists: Vec<String> =
            keys.iter().filter(|k| matches!(k.holds, Holds::Entries(_))).map(|k| format!("[[{}]]", k.name)).collect();
        let plain: Vec<&str> = keys
            .iter()
            .filter(|k| !matches!(k.holds, Holds::Section(_) | Holds::Codes(..) | Holds::Entries(_)))
            .map(|k| k.name)
            .collect();
        let shown = one_line(name, QUOTED);
        let message = match value.get_ref() {
            DeValue::Table(_) => {
                format!("unknown section [{}]: expected one of {}", dotted(path, &shown), sections.join(", "))
            }
            DeValue::Array(items)
                if !lists.is_empty()
                    && !items.is_empty()
                    && items.iter().all(|i| matches!(i.get_ref(), DeValue::Table(_))) =>
            {
                format!("unknown list [[{shown}]]: expected one of {}", lists.join(", "))
            }
            _ => {
                let place = if place.is_empty() { String::new() } else { format!(" in {place}") };
                let mut expected = plain.join(", ");
                let others: Vec<String> = sections.into_iter().chain(lists).collect();
                if !others.is_empty() {
                    expected.push_str(&format!(", or a section {}", others.join(", ")));
                }
                // A key of the top written under a section: every key after a [header] is its.
                if !path.is_empty() && MODEL_FILE.iter().any(|k| k.name == name) {
                    expected.push_str(&format!(" ({shown} goes before the first [section] of the file)"));
                }
                format!("unknown key '{shown}'{place}: expected one of {expected}")
            }
        };
        self.problems.push(Problem::at(self.file, line, message));
    }

    /// A value of the key at `path`.
    fn value(&mut self, holds: &Holds, value: &Value<'_>, path: &str) {
        let v = value.get_ref();
        let wrong = match holds {
            Holds::Text(what) => match v {
                DeValue::String(s) if s.chars().count() > LONGEST_TEXT => Some(format!(
                    "is {} characters: expected at most {}",
                    super::text::grouped(s.chars().count()),
                    super::text::grouped(LONGEST_TEXT)
                )),
                DeValue::String(_) => None,
                _ => Some(format!("expected {what}, found {}", found(v))),
            },
            Holds::Prose(what) => match v {
                DeValue::String(_) => None,
                _ => Some(format!("expected {what}, found {}", found(v))),
            },
            Holds::Number(what) => match v {
                DeValue::Integer(_) | DeValue::Float(_) => None,
                DeValue::String(s) if super::table::read_number(s).is_ok() => {
                    Some(format!("expected {what}, found {}: write the number without quotes, £ or commas", found(v)))
                }
                _ => Some(format!("expected {what}, found {}", found(v))),
            },
            Holds::Whole(what) => match v {
                DeValue::Integer(_) => None,
                _ => Some(format!("expected {what}, found {}", found(v))),
            },
            Holds::YesNo(what) => match v {
                DeValue::Boolean(_) => None,
                _ => Some(format!("expected {what} (true or false, without quotes), found {}", found(v))),
            },
            Holds::Choice(words) => match v {
                DeValue::String(s) if words.contains(&&**s) => None,
                _ => Some(format!(
                    "expected one of {}, found {}",
                    words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", "),
                    found(v)
                )),
            },
            Holds::TextList(what) => match v {
                DeValue::Array(items) => items.iter().find(|i| !matches!(i.get_ref(), DeValue::String(_))).map(|i| {
                    format!("expected {what}, each in double quotes, found {} in the list", found(i.get_ref()))
                }),
                _ => Some(format!("expected {what}, found {}", found(v))),
            },
            Holds::Section(keys) => match v {
                DeValue::Table(t) => {
                    self.section(t, keys, path, &format!("[{path}]"));
                    None
                }
                _ => Some(format!("expected a section [{path}], found {}", found(v))),
            },
            Holds::Codes(what, each) => match v {
                DeValue::Table(t) => {
                    for (code, value) in t {
                        self.value(each, value, &dotted(path, code.get_ref()));
                    }
                    None
                }
                _ => Some(format!("expected a section [{path}] of {what} = value lines, found {}", found(v))),
            },
            Holds::Entries(keys) => match v {
                DeValue::Array(items) => {
                    for item in items {
                        self.entry(item, keys, path);
                    }
                    None
                }
                _ => Some(format!("expected [[{path}]] sections, found {}", found(v))),
            },
        };
        if let Some(message) = wrong {
            let line = self.line(value.span().start);
            self.problems.push(Problem::field(self.file, line, path, message));
        }
    }

    /// One `[[path]]` entry.
    fn entry(&mut self, item: &Value<'_>, keys: &[Key], path: &str) {
        let line = self.line(item.span().start);
        let DeValue::Table(t) = item.get_ref() else {
            let message = format!("expected [[{path}]] sections, found {}", found(item.get_ref()));
            self.problems.push(Problem::field(self.file, line, path, message));
            return;
        };
        self.section(t, keys, path, &format!("[[{path}]]"));
        for k in keys.iter().filter(|k| k.required) {
            if !t.iter().any(|(name, _)| &**name.get_ref() == k.name) {
                let what = match &k.holds {
                    Holds::Text(w) | Holds::Prose(w) | Holds::Number(w) | Holds::TextList(w) | Holds::Whole(w) => *w,
                    _ => "a value",
                };
                self.problems.push(Problem::field(
                    self.file,
                    line,
                    path,
                    format!("missing {}: expected {} = {what}", k.name, k.name),
                ));
            }
        }
    }
}

/// A model file that is not TOML at all, at the line `error` names: in planners' words
/// where the line is `key = value` and the key is known (what the value should be), else
/// with the parser's own description of the line.
pub(crate) fn syntax_problem(text: &str, file: &Path, error: &toml::de::Error) -> Problem {
    let Some(span) = error.span() else {
        return Problem::file(file, format!("is not a model file: {}", error.message().trim().replace('\n', " ")));
    };
    let line = super::line_of_offset(text, span.start);
    let own = text.lines().nth(line - 1).unwrap_or("").trim();
    // The section the line is in: the last [header] above it.
    let section = text
        .lines()
        .take(line - 1)
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix('[').and_then(|h| h.trim_start_matches('[').split(']').next()).map(str::trim)
        })
        .last()
        .unwrap_or("");
    // The value as written, without a comment after it.
    let assigned =
        own.split_once('=').map(|(k, v)| (k.trim().trim_matches('"'), v.split('#').next().unwrap_or(v).trim()));
    let toml_said = error.message().trim().replace('\n', " ");
    match assigned {
        Some((key, _)) if toml_said.starts_with("duplicate key") => Problem::field(
            file,
            line,
            &dotted(section, key),
            "is given twice: expected each key once in its section (and each [section] once)",
        ),
        Some((key, value)) if !key.is_empty() && !key.contains(['[', ' ']) => {
            let path = dotted(section, key);
            let advice = match holds_at(&path) {
                Some(Holds::Number(what) | Holds::Whole(what)) => {
                    format!("expected {what}, written without quotes, £ or commas (like 1500)")
                }
                Some(Holds::Text(what) | Holds::Prose(what) | Holds::TextList(what)) => format!("expected {what}"),
                Some(Holds::YesNo(what)) => format!("expected {what}: true or false, without quotes"),
                Some(Holds::Choice(words)) => format!(
                    "expected one of {}",
                    words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")
                ),
                _ => "expected a number, text in double quotes, or a list in [ ] (see models/README.md)".into(),
            };
            Problem::field(file, line, &path, format!("cannot read {}: {advice}", super::text::quoted(value)))
        }
        _ => Problem::at(
            file,
            line,
            format!(
                "cannot read this line ({toml_said}): expected `key = value` lines under [section] headers (see \
                 models/README.md)"
            ),
        ),
    }
}

/// What the key at a dotted path holds, if it is known.
fn holds_at(path: &str) -> Option<&'static Holds> {
    let mut keys = MODEL_FILE;
    let mut holds: Option<&'static Holds> = None;
    for part in path.split('.') {
        let h: &'static Holds = match holds {
            None | Some(Holds::Section(_) | Holds::Entries(_)) => &keys.iter().find(|k| k.name == part)?.holds,
            Some(Holds::Codes(_, each)) => each,
            Some(_) => return None,
        };
        if let Holds::Section(k) | Holds::Entries(k) = h {
            keys = k;
        }
        holds = Some(h);
    }
    holds
}

/// `policy` and `unmet_penalty` as `policy.unmet_penalty`.
fn dotted(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_string() } else { format!("{path}.{name}") }
}

/// A value as a problem shows what was found.
fn found(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => {
            let n = s.chars().count();
            let shown = one_line(s, QUOTED);
            if n > QUOTED { format!("\"{shown}\" ({} characters)", grouped(n)) } else { format!("\"{shown}\"") }
        }
        DeValue::Integer(i) => i.to_string(),
        DeValue::Float(f) => f.to_string(),
        DeValue::Boolean(b) => format!("{b} (yes/no)"),
        DeValue::Datetime(d) => format!("{d} (a date)"),
        DeValue::Array(_) => "a list in [ ]".into(),
        DeValue::Table(_) => "a section".into(),
    }
}

/// Keys a model cannot do without, and the sections that need them, in the merged chain:
/// one problem for each missing, at the first file of the chain.
pub(crate) fn missing(merged: &toml::Table, file: &Path) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut need = |present: bool, key: &str, example: &str| {
        if !present {
            out.push(Problem {
                sheet: None,
                file: file.to_path_buf(),
                line: None,
                field: Some(key.to_string()),
                message: format!("is missing: expected {example}"),
            });
        }
    };
    need(merged.contains_key("name"), "name", "name = \"...\", the name of the authority or scenario");
    match merged.get("tables") {
        Some(toml::Value::Table(t)) => {
            for table in TABLES.iter().filter(|t| t.named == Named::Always) {
                let example = format!("{0} = \"{0}.csv\" under [tables]", table.key);
                need(t.contains_key(table.key), &format!("tables.{}", table.key), &example);
            }
        }
        _ => need(false, "tables", "a [tables] section naming the CSV files (localities, settings, ...)"),
    }
    if let Some(toml::Value::Table(h)) = merged.get("horizon") {
        need(h.contains_key("first_year"), "horizon.first_year", "first_year = \"2025/26\" under [horizon]");
        need(h.contains_key("years"), "horizon.years", "years = 5 (the number of years planned) under [horizon]");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        check(text, Path::new("model.toml")).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_value_of_the_wrong_kind_names_the_key_and_what_was_expected_in_planners_words() {
        let text = "name = \"x\"\n[policy]\nunmet_penalty = \"abc\"\nobjective = \"best\"\n[horizon]\nyears = 2.5\n";
        assert_eq!(
            problems(text),
            [
                "model.toml:3: field 'policy.unmet_penalty': expected a number of pounds, found \"abc\"",
                "model.toml:4: field 'policy.objective': expected one of \"weighted\", \"lexicographic\", found \"best\"",
                "model.toml:6: field 'horizon.years': expected a whole number of years, found 2.5",
            ]
        );
    }

    #[test]
    fn a_number_in_quotes_is_told_to_drop_them() {
        assert_eq!(
            problems("[transport]\ncost_per_km = \"£1,000\"\n"),
            ["model.toml:2: field 'transport.cost_per_km': expected a number of pounds, found \"£1,000\": write \
              the number without quotes, £ or commas"]
        );
    }

    #[test]
    fn text_lists_and_sections_of_the_wrong_kind() {
        let text = "name = 5\nneeds = \"ASD\"\nphases = [\"primary\", 2]\n[policy]\nmax_journey_minutes = 45\n\
                    [horizon.phase_year_groups]\nprimary = true\n";
        assert_eq!(
            problems(text),
            [
                "model.toml:1: field 'name': expected the name of the authority or scenario, in double quotes, found 5",
                "model.toml:2: field 'needs': expected a list of need codes, like [\"ASD\", \"SEMH\"], found \"ASD\"",
                "model.toml:3: field 'phases': expected a list of phase codes, like [\"primary\", \"secondary\"], \
                 each in double quotes, found 2 in the list",
                "model.toml:5: field 'policy.max_journey_minutes': expected a section [policy.max_journey_minutes] \
                 of phase = value lines, found 45",
                "model.toml:7: field 'horizon.phase_year_groups.primary': expected a range of year groups in double \
                 quotes, like \"R-6\", found true (yes/no)",
            ]
        );
    }

    #[test]
    fn an_unknown_section_or_key_has_its_line_and_the_choices() {
        let text = "name = \"x\"\n\n[polcy]\nunmet_penalty = 5\n[policy]\nunmet_penalti = 5\n[[add_rows]]\n\
                    table = \"settings\"\nfile = \"s.csv\"\nplanning_year = \"2025/26\"\n";
        let p = problems(text);
        assert_eq!(p.len(), 3, "{p:#?}");
        assert_eq!(
            p[0],
            "model.toml:3: unknown section [polcy]: expected one of [tables], [policy], [transport], [horizon], \
             [appraisal], [annex], [uplift], [high_needs], [risk]"
        );
        assert_eq!(
            p[1],
            "model.toml:6: unknown key 'unmet_penalti' in [policy]: expected one of objective, \
             out_of_borough_weight, unmet_penalty, or a section [policy.max_journey_minutes], \
             [policy.share_transported]"
        );
        assert_eq!(
            p[2],
            "model.toml:10: unknown key 'planning_year' in [[add_rows]]: expected one of table, file \
             (planning_year goes before the first [section] of the file)"
        );
    }

    #[test]
    fn a_scenario_entry_missing_a_key_or_holding_the_wrong_kind_is_named_at_its_line() {
        let text = "[[add_rows]]\ntable = \"settings\"\n\n[[places]]\nsetting = \"near\"\nfrom_year = \"2026/27\"\n\
                    places = \"ten\"\n";
        assert_eq!(
            problems(text),
            [
                "model.toml:1: field 'add_rows': missing file: expected file = the CSV file of the rows to add, \
                 in double quotes",
                "model.toml:7: field 'places.places': expected a number of places, found \"ten\"",
            ]
        );
    }

    #[test]
    fn a_line_that_is_not_toml_says_what_the_value_should_be() {
        let said = |text: &str| {
            let e = text.parse::<toml::Table>().unwrap_err();
            syntax_problem(text, Path::new("model.toml"), &e).to_string()
        };
        assert_eq!(
            said("name = \"x\"\n[policy]\nunmet_penalty = £1,000,000   # £ per child\n"),
            "model.toml:3: field 'policy.unmet_penalty': cannot read '£1,000,000': expected a number of pounds, \
             written without quotes, £ or commas (like 1500)"
        );
        assert_eq!(
            said("planning_year = 2025/26\n"),
            "model.toml:1: field 'planning_year': cannot read '2025/26': expected a school year in double quotes, \
             like \"2025/26\""
        );
        assert_eq!(
            said("[policy]\nunmet_penalty = 1\nunmet_penalty = 2\n"),
            "model.toml:3: field 'policy.unmet_penalty': is given twice: expected each key once in its section \
             (and each [section] once)"
        );
        assert!(said("[policy\n").starts_with("model.toml:1: cannot read this line ("), "{}", said("[policy\n"));
    }

    #[test]
    fn keys_a_model_needs_are_missing_at_the_file() {
        let merged: toml::Table = "[tables]\nlocalities = \"l.csv\"\n[horizon]\nyears = 3\n".parse().unwrap();
        let p: Vec<String> = missing(&merged, Path::new("m.toml")).iter().map(ToString::to_string).collect();
        assert_eq!(
            p,
            [
                "m.toml: field 'name': is missing: expected name = \"...\", the name of the authority or scenario",
                "m.toml: field 'tables.settings': is missing: expected settings = \"settings.csv\" under [tables]",
                "m.toml: field 'horizon.first_year': is missing: expected first_year = \"2025/26\" under [horizon]",
            ]
        );
    }
}
