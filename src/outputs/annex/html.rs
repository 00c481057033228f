//! The annex as one self-contained HTML page: inline styles and SVG only (a content
//! security policy forbids anything else), readable on a phone, printable to A4. Every text
//! from an input file is escaped.

use maud::{DOCTYPE, Markup, PreEscaped, html};

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

const STYLE: &str = r#"
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
@media screen and (max-width: 48rem) {
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
/* Charts and maps (accessibility): on a narrow screen a drawing is never shrunk below 786 px
   wide, so its smallest text (11 px) shows at 12 px or more; the reader scrolls it sideways
   (or zooms). Its figures are in a table folded under it. */
.drawing { overflow-x: auto; }
@media screen and (max-width: 48rem) {
  .drawing > svg { width: 786px; max-width: none; }
}
details.figures summary { color: #1d3557; text-decoration: underline; padding: 0.3rem 0; }
/* Page numbers in the bottom margin of every printed page (Chromium 131 and later). */
@page { size: A4; margin: 12mm 11mm 14mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #444; } }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; line-height: 1.35; }
  h2 { margin-top: 1.2rem; font-size: 1.15rem; }
  table { font-size: 7.5pt; }
  th, td { padding: 0.1rem 0.3rem; }
  thead { display: table-header-group; }
  h2, h3, caption { break-after: avoid; }
  figure, tr, .table.short { break-inside: avoid; }
  figure svg { max-height: 230mm; }
  nav ol { columns: 2; font-size: 9pt; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// The page. Every text is escaped by the template (maud), so a name from an input file
/// cannot open markup; the line breaks between its parts keep the page's source readable.
#[must_use]
pub fn page(annex: &Annex) -> String {
    let off = matches!(annex.disclosure, Disclosure::Off);
    let pointer = annex.disclosure.pointer();
    html! {
        (DOCTYPE) "\n"
        html lang="en-GB" {
            "\n"
            head {
                "\n"
                meta charset="utf-8"; "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"; "\n"
                title { (annex.title) } "\n"
                // Safe: the page's own style sheet, a constant of this file.
                style { (PreEscaped(STYLE)) } "\n"
            }
            "\n"
            body {
                "\n"
                // The disclosure statement is the header's last part: every part of the page
                // is in a landmark (header, nav, main, footer), so a screen reader's list of
                // them misses nothing.
                header {
                    "\n"
                    h1 { (annex.title) } "\n"
                    p class="meta" { (annex.subtitle()) } "\n"
                    p class="meta" { (annex.description) } "\n"
                    p.disclosure.off[off] { (pointer) } "\n"
                }
                "\n"
                nav {
                    h2 { "Contents" }
                    ol {
                        "\n"
                        @for s in &annex.sections {
                            li { a href={ "#section-" (s.id) } { (s.heading) } } "\n"
                        }
                    }
                }
                "\n"
                main {
                    "\n"
                    @for s in &annex.sections {
                        section id={ "section-" (s.id) } {
                            h2 { (s.heading) } "\n"
                            @for item in &s.items {
                                (item_html(item))
                            }
                        }
                        "\n"
                    }
                }
                "\n"
                footer {
                    p {
                        (pointer) " Made by sufficiency " (env!("CARGO_PKG_VERSION"))
                        ". Tables are also in annex.xlsx and as CSV files beside this page."
                    }
                }
                "\n"
            }
            "\n"
        }
        "\n"
    }
    .into_string()
}

/// A part of a section: a paragraph, the council's commentary, a table or a figure.
fn item_html(item: &Item) -> Markup {
    match item {
        Item::Paragraph(p) => html! { p { (p) } "\n" },
        Item::Markdown(m) => super::markdown::to_html(m),
        Item::Table(t) => table(t),
        Item::Figure(f) => {
            // The drawing in a region of its own that scrolls sideways on a phone (and can be
            // reached with the keyboard to scroll it); its table of figures after.
            let (svg, figures) = (&f.svg.picture, &f.svg.figures);
            html! {
                figure id={ "figure-" (f.id) } {
                    h3 { (f.title) }
                    div class="drawing" tabindex="0" role="region" aria-label={ (f.title) " (drawing)" } { (svg) }
                    (figures)
                    figcaption { (f.caption) }
                }
                "\n"
            }
        }
    }
}

/// Widest a table part may be, in characters of its text (about 900 px on screen at the
/// page's size, and the width of A4 in print at the print's table size): wider tables are
/// split into parts of columns.
const WIDEST_PART: usize = 126;

/// Characters a line of words may take in a column before it wraps.
const WORDS_WRAP: usize = 14;

/// Characters a column needs: its widest number, or its words wrapped at spaces (lines of at
/// most [`WORDS_WRAP`] characters, or the longest word), and its heading wrapped at spaces,
/// with room for padding.
fn column_chars(t: &Table, c: usize) -> usize {
    let longest_word = |s: &str| s.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
    let head = longest_word(&t.columns[c].heading_with_unit());
    let cells = t
        .rows
        .iter()
        .filter_map(|r| r.get(c))
        .map(|v| {
            let shown = t.shown(c, v);
            match v {
                Value::Text(_) => longest_word(&shown).max(shown.chars().count().min(WORDS_WRAP)),
                _ => shown.chars().count(),
            }
        })
        .max()
        .unwrap_or(0);
    head.max(cells) + 2
}

/// How many columns, from the first, name the rows: those of words before the first number
/// column (at least one; and never every column).
fn row_header_columns(t: &Table) -> usize {
    t.columns.iter().take_while(|c| c.unit == Unit::Text).count().min(t.columns.len().saturating_sub(1)).max(1)
}

/// The table's columns in parts that each fit [`WIDEST_PART`]: every part starts with the
/// columns of words that name a row (those before the first number column, as many as take
/// at most half the width, at least the first), then an even share of the rest, in order:
/// the fewest parts that fit, so a table is split only when it must be, and never into parts
/// of one column while parts of two would fit.
fn column_parts(t: &Table) -> Vec<Vec<usize>> {
    let leading = t.columns.iter().take_while(|c| c.unit == Unit::Text).count().min(t.columns.len().saturating_sub(1));
    let mut labels = 0;
    let mut label_chars = 0;
    while labels < leading && (labels == 0 || label_chars + column_chars(t, labels) <= WIDEST_PART / 2) {
        label_chars += column_chars(t, labels);
        labels += 1;
    }
    let rest: Vec<usize> = (labels..t.columns.len()).collect();
    let fits = |part: &[usize]| label_chars + part.iter().map(|&c| column_chars(t, c)).sum::<usize>() <= WIDEST_PART;
    let mut k = 1;
    let chunks = loop {
        let size = rest.len().div_ceil(k).max(1);
        let chunks: Vec<&[usize]> = rest.chunks(size).collect();
        if size <= 2 || chunks.iter().all(|p| fits(p)) {
            break chunks;
        }
        k += 1;
    };
    chunks.into_iter().map(|p| (0..labels).chain(p.iter().copied()).collect()).collect()
}

/// Tables of every year × need × phase × home area: published in the workbook and as CSV,
/// not on the page, which summarises them in the tables beside and says where they are.
pub const DETAIL_TABLES: [&str; 4] =
    ["need-by-phase-and-year", "places-required", "places-required-by-area-and-need", "out-of-borough-by-need"];

/// Where a detail table ([`DETAIL_TABLES`]) is, in place of the table: its title, the
/// workbook's sheet and the CSV file.
fn detail(t: &Table) -> Markup {
    let rows = t.rows.len().saturating_sub(t.totals);
    html! {
        div class="table detail" id={ "table-" (t.id) } {
            p class="note" {
                strong { (t.title) } ": " (Unit::Children.format(rows as f64)) " rows, in the workbook annex.xlsx (sheet \""
                (super::xlsx::sheet_name(t)) "\") and in tables/" (t.id) ".csv beside this page."
            }
        }
        "\n"
    }
}

/// A table, in parts of columns when it is too wide for the page ([`column_parts`]). Each
/// cell carries its column's heading (`data-label`), so on a phone every row can be read as a
/// card of labelled figures instead of a table to scroll.
fn table(t: &Table) -> Markup {
    if DETAIL_TABLES.contains(&t.id.as_str()) {
        return detail(t);
    }
    let parts = column_parts(t);
    let headers = row_header_columns(t);
    let first_total = t.rows.len().saturating_sub(t.totals);
    let short = t.rows.len() <= 30;
    html! {
        @for (k, columns) in parts.iter().enumerate() {
            @let (id, caption) = if parts.len() == 1 {
                (format!("table-{}", t.id), t.title.clone())
            } else if k == 0 {
                (format!("table-{}", t.id), format!("{} (part 1 of {})", t.title, parts.len()))
            } else {
                (format!("table-{}-{}", t.id, k + 1), format!("{} (part {} of {}, continued)", t.title, k + 1, parts.len()))
            };
            div.table.short[short] id=(id) {
                table {
                    caption { (caption) }
                    thead {
                        tr {
                            @for &c in columns {
                                th scope="col" class=[(t.columns[c].unit != Unit::Text).then_some("n")] {
                                    (t.columns[c].heading_with_unit())
                                }
                            }
                        }
                    }
                    tbody {
                        @for (r, row) in t.rows.iter().enumerate() {
                            tr class=[(r >= first_total).then_some("total")] {
                                @for &c in columns {
                                    (cell(t, c, &row[c], c < headers))
                                }
                            }
                        }
                    }
                }
                @if k + 1 == parts.len() && !t.note.is_empty() {
                    p class="note" { (t.note) }
                }
            }
            "\n"
        }
    }
}

/// One cell of a table: a row header for a column that names the rows (`names`), else a
/// cell labelled with its column's heading.
fn cell(t: &Table, c: usize, v: &Value, names: bool) -> Markup {
    let shown = t.shown(c, v);
    let label = t.columns[c].heading_with_unit();
    match v {
        // Every column that names the rows is a row header (a blank one, as in a total's
        // second name, stays a cell: an empty header names nothing).
        Value::Text(_) if names => html! { th scope="row" { (shown) } },
        Value::Text(_) | Value::Blank => html! { td data-label=(label) { (shown) } },
        Value::Number(_) => html! { td class="n" data-label=(label) { (shown) } },
        Value::Withheld => html! {
            td class="n" data-label=(label) title="withheld to protect children's identities" { (shown) }
        },
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
    fn every_text_on_the_page_is_escaped_where_it_stands() {
        use super::super::{Column, Figure, Section};
        let evil = r#"<script>"x" & 'y'</script>"#;
        let escaped = "&lt;script&gt;&quot;x&quot; &amp; 'y'&lt;/script&gt;";
        let table = Table {
            id: evil.into(),
            title: evil.into(),
            note: evil.into(),
            columns: vec![
                Column { heading: evil.into(), unit: Unit::Text },
                Column { heading: evil.into(), unit: Unit::Children },
            ],
            rows: vec![vec![Value::Text(evil.into()), Value::Withheld], vec![Value::Blank, Value::Number(3.0)]],
            totals: 0,
        };
        let figure = Figure {
            id: evil.into(),
            title: evil.into(),
            caption: evil.into(),
            svg: crate::outputs::annex::Drawing { picture: maud::html! { svg {} }, figures: maud::html! {} },
        };
        let annex = Annex {
            title: evil.into(),
            council: "Test".into(),
            scenario: evil.into(),
            description: evil.into(),
            years: "2025/26".into(),
            sections: vec![Section {
                id: evil.into(),
                heading: evil.into(),
                items: vec![
                    Item::Paragraph(evil.into()),
                    Item::Markdown(evil.into()),
                    Item::Table(table),
                    Item::Figure(figure),
                ],
            }],
            disclosure: Disclosure::Off,
            produced: "2026-12-07".into(),
        };
        let html = page(&annex);
        assert!(!html.contains("<script"), "{html}");
        assert_eq!(html.matches(r#""x""#).count(), 1, "a quote unescaped only in the commentary's text: {html}");
        // Text: the title (twice), the scenario line, the description, the contents, the
        // section's heading, the paragraph, the table's caption, both headings, its cell and
        // note, the figure's heading and caption.
        for (place, want) in [
            ("<title>", format!("<title>{escaped}</title>")),
            ("<h1>", format!("<h1>{escaped}</h1>")),
            ("subtitle", format!(r#"<p class="meta">Scenario: {escaped}. 2025/26</p>"#)),
            ("description", format!(r#"<p class="meta">{escaped}</p>"#)),
            ("contents", format!(r##"<li><a href="#section-{escaped}">{escaped}</a></li>"##)),
            ("section", format!(r#"<section id="section-{escaped}"><h2>{escaped}</h2>"#)),
            ("paragraph", format!("<p>{escaped}</p>")),
            (
                "caption",
                format!(r#"<div class="table short" id="table-{escaped}"><table><caption>{escaped}</caption>"#),
            ),
            (
                "headings",
                format!(r#"<th scope="col">{escaped}</th><th scope="col" class="n">{escaped} (children)</th>"#),
            ),
            ("row header", format!(r#"<th scope="row">{escaped}</th>"#)),
            ("data-label", format!(r#"<td class="n" data-label="{escaped} (children)" title="#)),
            ("note", format!(r#"<p class="note">{escaped}</p>"#)),
            ("figure", format!(r#"<figure id="figure-{escaped}"><h3>{escaped}</h3>"#)),
            ("aria-label", format!(r#"aria-label="{escaped} (drawing)"><svg></svg></div>"#)),
            ("figcaption", format!("<figcaption>{escaped}</figcaption>")),
        ] {
            assert!(html.contains(&want), "{place}: {want} not in {html}");
        }
        // The commentary is pulldown-cmark's, its raw HTML shown as text (a quote in text
        // needs no escaping there).
        assert!(html.contains(r#"&lt;script&gt;"x" &amp; 'y'&lt;/script&gt;<div class="table"#), "{html}");
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
            assert!(p.len() - 2 >= 2, "no part of one column: {p:?}");
        }
        // The fewest parts, in even shares (14 columns: two parts of 7, not 12 and 2).
        assert_eq!(parts.iter().map(|p| p.len() - 2).collect::<Vec<_>>(), [7, 7]);
        let html = table(&t).into_string();
        assert_eq!(html.matches("<table>").count(), parts.len());
        assert!(html.contains(r#"id="table-wide"><table><caption>Wide (part 1 of"#), "{html}");
        assert!(html.contains(r#"id="table-wide-2"><table><caption>Wide (part 2 of"#), "{html}");
        assert_eq!(html.matches("A note.").count(), 1, "the note once, after the last part");
        assert!(html.contains(r#"<td class="n" data-label="2000/01 (children)">1,000</td>"#), "{html}");
    }

    #[test]
    fn every_column_that_names_the_rows_is_a_row_header() {
        use super::super::Column;
        let column = |heading: &str, unit: Unit| Column { heading: heading.into(), unit };
        let t = Table {
            id: "two".into(),
            title: "Two names".into(),
            note: String::new(),
            columns: vec![
                column("Primary need", Unit::Text),
                column("Phase", Unit::Text),
                column("2025/26", Unit::Children),
                column("In the borough", Unit::Text),
            ],
            rows: vec![
                vec![
                    Value::Text("ASD".into()),
                    Value::Text("Primary".into()),
                    Value::Number(12.0),
                    Value::Text("yes".into()),
                ],
                vec![Value::Text("All needs".into()), Value::Blank, Value::Withheld, Value::Text("no".into())],
            ],
            totals: 1,
        };
        let html = table(&t).into_string();
        assert!(html.contains(r#"<tr><th scope="row">ASD</th><th scope="row">Primary</th><td class="n""#), "{html}");
        assert!(
            html.contains(r#"<tr class="total"><th scope="row">All needs</th><td data-label="Phase"></td>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<td data-label="In the borough">yes</td>"#),
            "a column of words after the figures is no header: {html}"
        );
        assert_eq!(html.matches(r#"<th scope="row">"#).count(), 3);
    }

    #[test]
    fn everything_on_the_page_is_in_a_landmark() {
        let annex = Annex {
            title: "Test: annex".into(),
            council: "Test".into(),
            scenario: "Test".into(),
            description: "A test.".into(),
            years: "2025/26".into(),
            sections: vec![super::super::Section {
                id: "need".into(),
                heading: "Need".into(),
                items: vec![Item::Paragraph("Words.".into())],
            }],
            disclosure: Disclosure::Off,
            produced: "2026-12-06".into(),
        };
        let html = page(&annex);
        let body = &html[html.find("<body>").unwrap() + 6..html.find("</body>").unwrap()];
        // Between the landmarks, nothing but white space.
        let mut rest = body.trim();
        for (open, close) in
            [("<header>", "</header>"), ("<nav>", "</nav>"), ("<main>", "</main>"), ("<footer>", "</footer>")]
        {
            assert!(rest.starts_with(open), "expected {open} next: {rest}");
            rest = rest[rest.find(close).unwrap() + close.len()..].trim();
        }
        assert!(rest.is_empty(), "{rest}");
        assert!(html.contains(r#"<p class="disclosure"#));
    }

    #[test]
    fn a_table_that_fits_is_whole_and_a_detail_table_is_named_not_shown() {
        use super::super::Column;
        let t = Table {
            id: "places-required".into(),
            title: "Places required by need, phase and year".into(),
            note: String::new(),
            columns: vec![
                Column { heading: "Setting".into(), unit: Unit::Text },
                Column { heading: "Kind of setting".into(), unit: Unit::Text },
                Column { heading: "Children".into(), unit: Unit::Children },
            ],
            rows: vec![vec![
                Value::Text("A school with a very long name indeed (Cheshire West and Chester)".into()),
                Value::Text("Another authority's special school".into()),
                Value::Number(12.0),
            ]],
            totals: 0,
        };
        assert_eq!(column_parts(&t), [vec![0, 1, 2]], "long words wrap: one part");
        let html = table(&t).into_string();
        assert!(!html.contains("<table>"), "{html}");
        assert!(
            html.contains("(sheet &quot;places-required&quot;) and in tables/places-required.csv"),
            "the page says where: {html}"
        );
        let t = Table { id: "settings".into(), ..t };
        let html = table(&t).into_string();
        assert_eq!(html.matches("<table>").count(), 1, "{html}");
    }

    #[test]
    fn the_phone_layout_is_for_screens_and_printed_pages_are_numbered() {
        assert!(STYLE.contains("@media screen and (max-width: 48rem)"));
        assert!(!STYLE.contains("@media (max-width"));
        assert!(STYLE.contains(r#"@bottom-center { content: "Page " counter(page) " of " counter(pages)"#));
        assert!(!STYLE.contains("nav { display: none"), "the contents are printed");
    }
}
