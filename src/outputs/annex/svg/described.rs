//! A chart in words and its figures in a table: the SVG's title and description (what a
//! screen reader says for it), and the figures it draws, year by year, for anyone who cannot
//! see it or wants the numbers. Both are written from the figures the chart draws, which are
//! already the published ones (withheld counts are not drawn), so they publish nothing more.

use maud::{Markup, html};

use super::{Bar, Panel};

/// A count as the tables show it: "1,234"; a figure not drawn (withheld) as "c".
fn count(v: Option<f64>) -> String {
    let Some(v) = v else { return "c".to_string() };
    let digits = format!("{:.0}", v.round().abs());
    let mut out = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if v.round() < 0.0 { format!("-{out}") } else { out }
}

/// "2025/26 to 2029/30", or the one year.
pub(super) fn span(years: &[String]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
        (Some(a), _) => a.clone(),
        _ => String::new(),
    }
}

/// A series in words: "612 in 2025/26, rising to 790 in 2029/30"; `None` when nothing of
/// it is drawn.
fn series_words(years: &[String], values: &[Option<f64>]) -> Option<String> {
    if values.iter().all(Option::is_none) {
        return None;
    }
    let first = values.first().copied().flatten();
    let last = values.last().copied().flatten();
    if years.len() < 2 {
        return Some(format!("{} in {}", count(first), years.first().map_or("", String::as_str)));
    }
    let (a, b) = (&years[0], &years[years.len() - 1]);
    let verb = match (first, last) {
        (Some(x), Some(y)) if y.round() > x.round() => "rising to",
        (Some(x), Some(y)) if y.round() < x.round() => "falling to",
        (Some(_), Some(_)) => "and",
        _ => "to",
    };
    Some(format!("{} in {a}, {verb} {} in {b}", count(first), count(last)))
}

/// The small multiples' title and description.
pub(super) fn describe_panels(years: &[String], panels: &[Panel], who: &str) -> (String, String) {
    let title = format!("Children {who} by need, {}", span(years));
    let mut parts = Vec::new();
    for p in panels {
        let mut said = Vec::new();
        if let Some(w) = series_words(years, &p.bars) {
            said.push(format!("children needing a place {w}"));
        }
        if let Some(w) = series_words(years, &p.line) {
            said.push(format!("places in the borough {w}"));
        }
        if let Some(w) = series_words(years, &p.second) {
            said.push(format!("children placed in the borough {w}"));
        }
        if let (Some(y), Some(Some((lo, hi)))) = (years.last(), p.range.last()) {
            said.push(format!("forecasts for {y} from {} to {}", count(Some(*lo)), count(Some(*hi))));
        }
        if !said.is_empty() {
            parts.push(format!("{}: {}", p.title, said.join("; ")));
        }
    }
    let desc = format!(
        "Bar charts, one a need, of children {who} each year. {}. Every figure is in the table below the chart \
         ('c': withheld).",
        parts.join(". ")
    );
    (title, desc)
}

/// The stacked bars' title and description.
pub(super) fn describe_bars(bars: &[Bar], names: &[&str], unit: &str) -> (String, String) {
    let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    let title = if names.len() == 1 {
        format!(
            "{}, {} to {}",
            capital(unit),
            labels.first().map_or("", String::as_str),
            labels.last().map_or("", String::as_str)
        )
    } else {
        format!("{}, {}", names.join("; "), span(&labels))
    };
    let desc = if names.len() == 1 {
        let each: Vec<String> =
            bars.iter().map(|b| format!("{} {}", b.label, count(b.parts.first().copied().flatten()))).collect();
        format!(
            "A bar chart of {unit}: {}. The figures are also in the table below the chart ('c': withheld).",
            each.join(", ")
        )
    } else {
        let each: Vec<String> = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let values: Vec<Option<f64>> = bars.iter().map(|b| b.parts.get(i).copied().flatten()).collect();
                series_words(&labels, &values).map(|w| format!("{n}: {w}"))
            })
            .collect();
        format!(
            "Stacked bars of {unit}, one a year. {}. Every figure is in the table below the chart ('c': withheld).",
            each.join(". ")
        )
    };
    (title, desc)
}

/// `text` with a capital first letter.
fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A table of figures, folded under the chart: `rows` of (names of the row, figures).
pub(super) fn table(caption: &str, heads: &[&str], columns: &[String], rows: &[(Vec<String>, Vec<String>)]) -> Markup {
    html! {
        details class="figures" {
            summary { "The figures in this chart" }
            table {
                caption { (caption) }
                thead {
                    tr {
                        @for h in heads { th scope="col" { (h) } }
                        @for c in columns { th scope="col" class="n" { (c) } }
                    }
                }
                tbody {
                    @for (names, figures) in rows {
                        tr {
                            @for n in names { th scope="row" { (n) } }
                            @for (c, f) in columns.iter().zip(figures) { td class="n" data-label=(c) { (f) } }
                        }
                    }
                }
            }
        }
    }
}

/// The small multiples' figures: a row for each series drawn in each panel.
pub(super) fn panels_table(years: &[String], panels: &[Panel]) -> Markup {
    let mut rows = Vec::new();
    for p in panels {
        let series: [(&str, &Vec<Option<f64>>); 3] = [
            ("Children needing a place", &p.bars),
            ("Places in the borough", &p.line),
            ("Placed in the borough", &p.second),
        ];
        for (name, values) in series {
            if values.iter().any(Option::is_some) {
                rows.push((vec![p.title.clone(), name.to_string()], values.iter().map(|v| count(*v)).collect()));
            }
        }
        if p.range.iter().any(Option::is_some) {
            let shown = p
                .range
                .iter()
                .map(|r| r.map_or_else(String::new, |(lo, hi)| format!("{} to {}", count(Some(lo)), count(Some(hi)))))
                .collect();
            rows.push((vec![p.title.clone(), "Lowest to highest forecast".to_string()], shown));
        }
    }
    table("Figures drawn in the chart, by need and year", &["Need", "Figure"], years, &rows)
}

/// The stacked bars' figures: a row for each bar.
pub(super) fn bars_table(bars: &[Bar], names: &[&str], unit: &str) -> Markup {
    let columns: Vec<String> = names.iter().map(|n| format!("{n} ({unit})")).collect();
    let rows: Vec<(Vec<String>, Vec<String>)> = bars
        .iter()
        .map(|b| (vec![b.label.clone()], (0..names.len()).map(|i| count(b.parts.get(i).copied().flatten())).collect()))
        .collect();
    // The bars are years or bands (of journey time, say).
    let years = bars.iter().all(|b| b.label.len() == 7 && b.label.as_bytes()[4] == b'/');
    table("Figures drawn in the chart", &[if years { "Year" } else { "Band" }], &columns, &rows)
}
