//! The annex as Markdown, for pasting into a committee report: headings, paragraphs and
//! pipe tables (charts and the map are in the HTML). Text from input files is escaped so it
//! cannot become markup, a link or raw HTML when the Markdown is rendered.

use std::fmt::Write as _;

use maud::{Markup, PreEscaped};
use pulldown_cmark::{Event, Options, Parser};

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

/// Markdown (the council's commentary, the annex's own lists and links) as HTML. Raw HTML
/// in it is escaped, shown as the text it is, never passed through: a commentary file cannot
/// add a script, a form or a style to the published page. Links keep only web, mail and
/// relative addresses (a `javascript:` link becomes its text).
#[must_use]
pub fn to_html(text: &str) -> Markup {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut safe_link = true;
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(pulldown_cmark::Tag::Link { ref dest_url, .. }) => {
            safe_link = safe_address(dest_url);
            safe_link.then_some(event)
        }
        Event::End(pulldown_cmark::TagEnd::Link) => {
            let keep = safe_link;
            safe_link = true;
            keep.then_some(event)
        }
        Event::Start(pulldown_cmark::Tag::Image { dest_url, .. }) => {
            // An image would be fetched from elsewhere (the page's policy forbids it): its
            // address is shown as text instead.
            Some(Event::Text(dest_url))
        }
        Event::End(pulldown_cmark::TagEnd::Image) => None,
        // The commentary's headings sit under the section's own (h2): `#` is h3, and so on.
        Event::Start(pulldown_cmark::Tag::Heading { level, id, classes, attrs }) => {
            Some(Event::Start(pulldown_cmark::Tag::Heading { level: deeper(level), id, classes, attrs }))
        }
        Event::End(pulldown_cmark::TagEnd::Heading(level)) => {
            Some(Event::End(pulldown_cmark::TagEnd::Heading(deeper(level))))
        }
        e => Some(e),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    // Safe: pulldown-cmark escapes every text it writes, and the raw HTML, images and unsafe
    // links of the commentary were turned into text above.
    PreEscaped(out)
}

/// A heading two levels down (at most h6), under the page's h1 and the section's h2.
fn deeper(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::{H3, H4, H5, H6};
    match level as usize {
        1 => H3,
        2 => H4,
        3 => H5,
        _ => H6,
    }
}

/// Whether a link's address may be published: web, mail or relative, never a script.
fn safe_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => matches!(scheme, "http" | "https" | "mailto"),
        _ => true,
    }
}

/// Markdown written by someone else (a council's commentary) made safe to include in the
/// Markdown annex: raw HTML's `<` becomes an entity, so no renderer passes it through, and
/// its headings go two levels down, under the section's (outside fenced code).
fn inert_html(text: &str) -> String {
    let mut fenced = false;
    let lines: Vec<String> = text
        .replace('<', "&lt;")
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
                fenced = !fenced;
            }
            if !fenced && line.starts_with('#') { format!("##{line}") } else { line.to_string() }
        })
        .collect();
    lines.join("\n")
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
    let _ = writeln!(out, "> {}\n", escape(&annex.disclosure.pointer()));
    for s in &annex.sections {
        let _ = writeln!(out, "## {}\n", escape(&s.heading));
        for item in &s.items {
            match item {
                Item::Paragraph(p) => {
                    let _ = writeln!(out, "{}\n", escape(p));
                }
                Item::Markdown(m) => {
                    let _ = writeln!(out, "{}\n", inert_html(m.trim_end()));
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

    fn to_html_text(text: &str) -> String {
        to_html(text).into_string()
    }

    #[test]
    fn input_text_cannot_become_markup() {
        assert_eq!(escape("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(escape("[a](javascript:b) | c"), "\\[a\\](javascript:b) \\| c");
    }

    #[test]
    fn commentary_markdown_is_rendered_and_its_raw_html_escaped() {
        let html = to_html_text("# Our plan\n\nWe **will** open `70` places.\n\n- one\n- two\n");
        assert!(html.contains("<h3>Our plan</h3>"), "a commentary heading sits under the section's: {html}");
        assert!(html.contains("<strong>will</strong>") && html.contains("<code>70</code>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
        let html = to_html_text("Hello <script>alert(1)</script>\n\n<div onclick=\"x\">block</div>\n");
        assert!(!html.contains("<script") && !html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        let html = to_html_text("[click](javascript:alert(1)) and [site](https://example.gov.uk) ![x](http://e/x.png)");
        assert!(!html.contains("javascript:") && !html.contains("<img"), "{html}");
        assert!(html.contains("<a href=\"https://example.gov.uk\">site</a>"), "{html}");
        assert!(inert_html("a <b>x</b>").starts_with("a &lt;b>"));
        assert_eq!(inert_html("# Plan\n```\n# not a heading\n```"), "### Plan\n```\n# not a heading\n```");
    }
}
