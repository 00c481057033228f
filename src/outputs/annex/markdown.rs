//! The annex as Markdown, for pasting into a committee report: headings, paragraphs and
//! pipe tables (charts and the map are in the HTML). Text from input files is escaped so it
//! cannot become markup, a link or raw HTML when the Markdown is rendered.

use std::fmt::Write as _;

use super::{Annex, Item, Table, Unit};

/// Text made inert in Markdown: punctuation that starts markup is backslash-escaped and
/// `<`, `>`, `&` become entities (Markdown passes raw HTML through).
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The document.
#[must_use]
pub fn document(annex: &Annex) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&annex.title));
    let _ = writeln!(out, "{}\n", escape(&annex.subtitle()));
    if !annex.description.is_empty() {
        let _ = writeln!(out, "{}\n", escape(&annex.description));
    }
    let _ = writeln!(out, "> {}\n", escape(&annex.disclosure.statement()));
    for s in &annex.sections {
        let _ = writeln!(out, "## {}\n", escape(&s.heading));
        for item in &s.items {
            match item {
                Item::Paragraph(p) => {
                    let _ = writeln!(out, "{}\n", escape(p));
                }
                Item::Table(t) => table(&mut out, t),
                Item::Figure(f) => {
                    let _ = writeln!(out, "*Figure: {}* (in annex.html). {}\n", escape(&f.title), escape(&f.caption));
                }
            }
        }
    }
    out
}

fn table(out: &mut String, t: &Table) {
    let _ = writeln!(out, "**{}**\n", escape(&t.title));
    let heads: Vec<String> = t.columns.iter().map(|c| escape(&c.heading_with_unit())).collect();
    let _ = writeln!(out, "| {} |", heads.join(" | "));
    let rules: Vec<&str> = t.columns.iter().map(|c| if c.unit == Unit::Text { "---" } else { "---:" }).collect();
    let _ = writeln!(out, "| {} |", rules.join(" | "));
    let first_total = t.rows.len().saturating_sub(t.totals);
    for (r, row) in t.rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, v)| {
                let shown = escape(&t.shown(c, v));
                if r >= first_total && !shown.is_empty() { format!("**{shown}**") } else { shown }
            })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    if !t.note.is_empty() {
        let _ = writeln!(out, "\n{}", escape(&t.note));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_text_cannot_become_markup() {
        assert_eq!(escape("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(escape("[a](javascript:b) | c"), "\\[a\\](javascript:b) \\| c");
    }
}
