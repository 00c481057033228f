//! The annex as one self-contained HTML page: inline styles and SVG only (a content
//! security policy forbids anything else), readable on a phone, printable to A4. Every text
//! from an input file is escaped.

use std::fmt::Write as _;

use super::{Annex, Disclosure, Item, Table, Unit, Value};

/// Text made safe in HTML and SVG, in element content and quoted attributes alike.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #1b1f24;
  line-height: 1.45; margin: 0 auto; max-width: 62rem; padding: 1rem; }
header { border-bottom: 3px solid #1d3557; margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 0.2rem 0; color: #1d3557; }
h2 { font-size: 1.3rem; color: #1d3557; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2rem; margin-top: 2rem; }
.meta { color: #444; margin: 0.2rem 0; }
.disclosure { background: #eef4f8; border-left: 4px solid #2a6f97; padding: 0.5rem 0.8rem; }
.disclosure.off { background: #fdecea; border-left-color: #b00020; font-weight: bold; }
nav ol { columns: 2; padding-left: 1.2rem; }
.table { margin: 0.8rem 0; }
table { border-collapse: collapse; font-size: 0.88rem; min-width: 50%; }
th[scope=col] { vertical-align: bottom; }
caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.25rem 0.5rem; vertical-align: top; }
th { background: #f3f6f9; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
tr.total td, tr.total th { font-weight: bold; border-top: 2px solid #1d3557; }
.note { font-size: 0.85rem; color: #444; margin-top: 0.2rem; }
figure { margin: 1rem 0; }
figcaption { font-size: 0.85rem; color: #444; }
figure h3 { font-size: 1rem; margin: 0.3rem 0; }
svg { max-width: 100%; height: auto; }
footer { margin-top: 2rem; font-size: 0.8rem; color: #555; border-top: 1px solid #d0d7de; }
@media (max-width: 48rem) {
  body { padding: 0.5rem; } nav ol { columns: 1; }
  /* A table becomes a card a row: the row's name, then each figure with its column's heading. */
  table, tbody, tr, th[scope=row], td, caption { display: block; width: 100%; box-sizing: border-box; }
  table { min-width: 0; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border-bottom: 2px solid #d0d7de; padding: 0.3rem 0; }
  th[scope=row] { background: none; border: 0; font-weight: bold; }
  td { border: 0; display: flex; justify-content: space-between; gap: 1rem; padding: 0.1rem 0.5rem; white-space: normal; }
  td::before { content: attr(data-label); text-align: left; color: #444; }
  td.n { white-space: normal; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  h2, h3, caption { break-after: avoid; }
  figure, tr, .table.short { break-inside: avoid; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
}
";

/// The page.
#[must_use]
pub fn page(annex: &Annex) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{}</h1>
<p class="meta">{}</p>
<p class="meta">{}</p>
</header>
"#,
        escape(&annex.title),
        escape(&annex.title),
        escape(&annex.subtitle()),
        escape(&annex.description),
    );
    let off = matches!(annex.disclosure, Disclosure::Off);
    let _ = writeln!(
        out,
        r#"<p class="disclosure{}">{}</p>"#,
        if off { " off" } else { "" },
        escape(&annex.disclosure.pointer())
    );
    out.push_str("<nav><h2>Contents</h2><ol>\n");
    for s in &annex.sections {
        let _ = writeln!(out, r##"<li><a href="#section-{}">{}</a></li>"##, escape(&s.id), escape(&s.heading));
    }
    out.push_str("</ol></nav>\n<main>\n");
    for s in &annex.sections {
        let _ = writeln!(out, r#"<section id="section-{}"><h2>{}</h2>"#, escape(&s.id), escape(&s.heading));
        for item in &s.items {
            match item {
                Item::Paragraph(p) => {
                    let _ = writeln!(out, "<p>{}</p>", escape(p));
                }
                Item::Markdown(m) => out.push_str(&super::markdown::to_html(m)),
                Item::Table(t) => table(&mut out, t),
                Item::Figure(f) => {
                    let _ = writeln!(
                        out,
                        r#"<figure id="figure-{}"><h3>{}</h3>{}<figcaption>{}</figcaption></figure>"#,
                        escape(&f.id),
                        escape(&f.title),
                        f.svg,
                        escape(&f.caption)
                    );
                }
            }
        }
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "</main>\n<footer><p>{} Made by sufficiency {}. Tables are also in annex.xlsx and as CSV files beside this page.</p></footer>\n</body>\n</html>\n",
        escape(&annex.disclosure.pointer()),
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// Widest a table part may be, in characters of its text (about 900 px on screen at the
/// page's size, and the width of A4 in print): wider tables are split into parts of columns.
const WIDEST_PART: usize = 120;

/// Characters a column needs: its widest cell, and its heading wrapped at spaces (at most 16
/// characters a line, or its longest word), with room for padding.
fn column_chars(t: &Table, c: usize) -> usize {
    let heading = t.columns[c].heading_with_unit();
    let longest_word = heading.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
    let head = longest_word.max(heading.chars().count().min(16));
    let cells = t.rows.iter().filter_map(|r| r.get(c)).map(|v| t.shown(c, v).chars().count()).max().unwrap_or(0);
    head.max(cells) + 3
}

/// The table's columns in parts that each fit [`WIDEST_PART`]: every part starts with the
/// columns of words that name a row (those before the first number column), then as many of
/// the rest, in order, as fit (at least one).
fn column_parts(t: &Table) -> Vec<Vec<usize>> {
    let labels = t.columns.iter().take_while(|c| c.unit == Unit::Text).count().min(t.columns.len().saturating_sub(1));
    let label_chars: usize = (0..labels).map(|c| column_chars(t, c)).sum();
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut part: Vec<usize> = (0..labels).collect();
    let mut width = label_chars;
    for c in labels..t.columns.len() {
        let w = column_chars(t, c);
        if part.len() > labels && width + w > WIDEST_PART {
            parts.push(std::mem::replace(&mut part, (0..labels).collect()));
            width = label_chars;
        }
        part.push(c);
        width += w;
    }
    parts.push(part);
    parts
}

/// A table, in parts of columns when it is too wide for the page ([`column_parts`]). Each
/// cell carries its column's heading (`data-label`), so on a phone every row can be read as a
/// card of labelled figures instead of a table to scroll.
fn table(out: &mut String, t: &Table) {
    let parts = column_parts(t);
    let first_total = t.rows.len().saturating_sub(t.totals);
    let short = if t.rows.len() <= 30 { " short" } else { "" };
    for (k, columns) in parts.iter().enumerate() {
        let (id, caption) = if parts.len() == 1 {
            (format!("table-{}", t.id), t.title.clone())
        } else if k == 0 {
            (format!("table-{}", t.id), format!("{} (part 1 of {})", t.title, parts.len()))
        } else {
            (format!("table-{}-{}", t.id, k + 1), format!("{} (part {} of {}, continued)", t.title, k + 1, parts.len()))
        };
        let _ = write!(
            out,
            r#"<div class="table{short}" id="{}"><table><caption>{}</caption><thead><tr>"#,
            escape(&id),
            escape(&caption)
        );
        for &c in columns {
            let class = if t.columns[c].unit == Unit::Text { "" } else { r#" class="n""# };
            let _ = write!(out, r#"<th scope="col"{class}>{}</th>"#, escape(&t.columns[c].heading_with_unit()));
        }
        out.push_str("</tr></thead><tbody>");
        for (r, row) in t.rows.iter().enumerate() {
            out.push_str(if r >= first_total { r#"<tr class="total">"# } else { "<tr>" });
            for &c in columns {
                let v = &row[c];
                let shown = escape(&t.shown(c, v));
                let label = escape(&t.columns[c].heading_with_unit());
                match v {
                    Value::Text(_) if c == 0 => {
                        let _ = write!(out, r#"<th scope="row">{shown}</th>"#);
                    }
                    Value::Text(_) | Value::Blank => {
                        let _ = write!(out, r#"<td data-label="{label}">{shown}</td>"#);
                    }
                    Value::Number(_) => {
                        let _ = write!(out, r#"<td class="n" data-label="{label}">{shown}</td>"#);
                    }
                    Value::Withheld => {
                        let _ = write!(
                            out,
                            r#"<td class="n" data-label="{label}" title="withheld to protect children's identities">{shown}</td>"#
                        );
                    }
                }
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
        if k + 1 == parts.len() && !t.note.is_empty() {
            let _ = write!(out, r#"<p class="note">{}</p>"#, escape(&t.note));
        }
        out.push_str("</div>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_could_open_markup() {
        assert_eq!(
            escape(r#"<script>"x" & 'y'</script>"#),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn a_wide_table_is_split_into_parts_that_each_name_the_rows() {
        use super::super::Column;
        let column = |heading: &str, unit: Unit| Column { heading: heading.into(), unit };
        let mut columns = vec![column("Home locality", Unit::Text), column("Primary need", Unit::Text)];
        columns.extend((0..14).map(|k| column(&format!("20{k:02}/{:02}", k + 1), Unit::Children)));
        let row = |name: &str| {
            let mut r = vec![Value::Text(name.into()), Value::Text("ASD".into())];
            r.extend((0..14).map(|k| Value::Number(1_000.0 + f64::from(k))));
            r
        };
        let t = Table {
            id: "wide".into(),
            title: "Wide".into(),
            note: "A note.".into(),
            columns,
            rows: vec![row("Crewe"), row("Nantwich")],
            totals: 0,
        };
        let parts = column_parts(&t);
        assert!(parts.len() > 1, "{parts:?}");
        let numbers: Vec<usize> = parts.iter().flat_map(|p| p[2..].iter().copied()).collect();
        assert_eq!(numbers, (2..16).collect::<Vec<_>>(), "every number column once, in order");
        for p in &parts {
            assert_eq!(&p[..2], &[0, 1], "each part names its rows");
            assert!(p.iter().map(|&c| column_chars(&t, c)).sum::<usize>() <= WIDEST_PART, "{p:?}");
        }
        let mut html = String::new();
        table(&mut html, &t);
        assert_eq!(html.matches("<table>").count(), parts.len());
        assert!(html.contains(r#"id="table-wide"><table><caption>Wide (part 1 of"#), "{html}");
        assert!(html.contains(r#"id="table-wide-2"><table><caption>Wide (part 2 of"#), "{html}");
        assert_eq!(html.matches("A note.").count(), 1, "the note once, after the last part");
        assert!(html.contains(r#"<td class="n" data-label="2000/01 (children)">1,000</td>"#), "{html}");
    }
}
