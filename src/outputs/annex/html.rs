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
.scroll { overflow-x: auto; margin: 0.8rem 0; }
table { border-collapse: collapse; font-size: 0.88rem; min-width: 50%; }
caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.25rem 0.5rem; vertical-align: top; }
th { background: #f3f6f9; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td, tr.total th { font-weight: bold; border-top: 2px solid #1d3557; }
.note { font-size: 0.85rem; color: #444; margin-top: 0.2rem; }
figure { margin: 1rem 0; }
figcaption { font-size: 0.85rem; color: #444; }
figure h3 { font-size: 1rem; margin: 0.3rem 0; }
svg { max-width: 100%; height: auto; }
footer { margin-top: 2rem; font-size: 0.8rem; color: #555; border-top: 1px solid #d0d7de; }
@media (max-width: 40rem) { body { padding: 0.5rem; } nav ol { columns: 1; } table { font-size: 0.8rem; } }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .scroll { overflow: visible; }
  table { font-size: 8pt; }
  h2 { break-after: avoid; }
  figure, tr, caption { break-inside: avoid; }
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
        escape(&annex.disclosure.statement())
    );
    out.push_str("<nav><h2>Contents</h2><ol>\n");
    for s in &annex.sections {
        let _ = writeln!(out, r##"<li><a href="#{}">{}</a></li>"##, escape(&s.id), escape(&s.heading));
    }
    out.push_str("</ol></nav>\n<main>\n");
    for s in &annex.sections {
        let _ = writeln!(out, r#"<section id="{}"><h2>{}</h2>"#, escape(&s.id), escape(&s.heading));
        for item in &s.items {
            match item {
                Item::Paragraph(p) => {
                    let _ = writeln!(out, "<p>{}</p>", escape(p));
                }
                Item::Table(t) => table(&mut out, t),
                Item::Figure(f) => {
                    let _ = writeln!(
                        out,
                        r#"<figure id="{}"><h3>{}</h3>{}<figcaption>{}</figcaption></figure>"#,
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
        escape(&annex.disclosure.statement()),
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn table(out: &mut String, t: &Table) {
    let _ = write!(
        out,
        r#"<div class="scroll" id="{}"><table><caption>{}</caption><thead><tr>"#,
        escape(&t.id),
        escape(&t.title)
    );
    for c in &t.columns {
        let class = if c.unit == Unit::Text { "" } else { r#" class="n""# };
        let _ = write!(out, r#"<th scope="col"{class}>{}</th>"#, escape(&c.heading_with_unit()));
    }
    out.push_str("</tr></thead><tbody>");
    let first_total = t.rows.len().saturating_sub(t.totals);
    for (r, row) in t.rows.iter().enumerate() {
        out.push_str(if r >= first_total { r#"<tr class="total">"# } else { "<tr>" });
        for (c, v) in row.iter().enumerate() {
            let shown = escape(&t.shown(c, v));
            match v {
                Value::Text(_) if c == 0 => {
                    let _ = write!(out, r#"<th scope="row">{shown}</th>"#);
                }
                Value::Text(_) | Value::Blank => {
                    let _ = write!(out, "<td>{shown}</td>");
                }
                Value::Number(_) => {
                    let _ = write!(out, r#"<td class="n">{shown}</td>"#);
                }
                Value::Withheld => {
                    let _ =
                        write!(out, r#"<td class="n" title="withheld to protect children's identities">{shown}</td>"#);
                }
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    if !t.note.is_empty() {
        let _ = write!(out, r#"<p class="note">{}</p>"#, escape(&t.note));
    }
    out.push_str("</div>\n");
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
}
