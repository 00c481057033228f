//! `sufficiency annex`: every format holds the same numbers, they are the solver's, small
//! counts of pupils are withheld (and only those: forecasts, places and money are rounded),
//! places required are kept apart from out-of-borough placements, and names from input files
//! are inert everywhere.

use std::collections::BTreeMap;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::util::{Case, FEW_FUTURES, number, rows, stderr, stdout};

/// A table as text cells: headings, then rows.
type Grid = Vec<Vec<String>>;

pub(crate) fn csv_grid(case: &Case, id: &str) -> Grid {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(case.path(&format!("out/tables/{id}.csv")))
        .expect("csv written");
    r.records().map(|rec| rec.expect("record").iter().map(str::to_string).collect()).collect()
}

pub(crate) fn table_ids(case: &Case) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(case.path("out/tables"))
        .expect("tables folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().trim_end_matches(".csv").to_string())
        .collect();
    ids.sort();
    ids
}

pub(crate) fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The cells of the HTML table with this id.
/// The cells of one part of a table on the page (header row first).
fn html_part(html: &str, div_id: &str) -> Option<Grid> {
    let start = html.find(&format!(r#"id="{div_id}"><table>"#))?;
    let body = &html[start..start + html[start..].find("</table>").expect("table ends")];
    let mut grid = Vec::new();
    for row in body.split("<tr").skip(1) {
        let mut cells = Vec::new();
        let mut rest = row;
        while let Some(open) = rest.find("<t") {
            let after = &rest[open..];
            let Some(gt) = after.find('>') else { break };
            let tag = &after[..gt];
            if !(tag.starts_with("<th") || tag.starts_with("<td")) {
                rest = &after[gt + 1..];
                continue;
            }
            let content = &after[gt + 1..];
            let end = content.find("</t").expect("cell ends");
            cells.push(unescape_html(&content[..end]));
            rest = &content[end..];
        }
        grid.push(cells);
    }
    Some(grid)
}

/// A table on the page, its parts (a wide table is split into parts of columns, each
/// repeating the columns that name the rows) joined back into one grid.
fn html_grid(html: &str, id: &str) -> Grid {
    let mut grid = html_part(html, &format!("table-{id}")).expect("table in page");
    for k in 2.. {
        let Some(part) = html_part(html, &format!("table-{id}-{k}")) else { break };
        let labels = grid[0].iter().zip(&part[0]).take_while(|(a, b)| a == b).count();
        assert!(labels > 0 && labels < part[0].len(), "{id} part {k}: {:?}", part[0]);
        assert_eq!(grid.len(), part.len(), "{id} part {k}: rows");
        for (row, more) in grid.iter_mut().zip(part) {
            row.extend(more.into_iter().skip(labels));
        }
    }
    grid
}

/// The rows of the Markdown table under `**title**`.
fn markdown_grid(md: &str, title: &str) -> Grid {
    let marker = format!("**{}**", sufficiency::outputs::annex::markdown::escape(title));
    let start = md.find(&marker).expect("table in markdown");
    md[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| {
            let inner = &l[2..l.len() - 2];
            // Split on " | " not preceded by a backslash.
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut chars = inner.chars().peekable();
            while let Some(ch) = chars.next() {
                if ch == '\\' {
                    if let Some(next) = chars.next() {
                        cell.push(next);
                    }
                } else if ch == '|' {
                    cells.push(cell.trim().to_string());
                    cell.clear();
                } else {
                    cell.push(ch);
                }
            }
            cells.push(cell.trim().to_string());
            cells.into_iter().map(|c| unescape_html(c.trim_matches('*'))).collect()
        })
        .collect()
}

/// A shown number as a value: "£1,234" → 1234, "12.5%" → 12.5.
fn shown_number(s: &str) -> Option<f64> {
    s.replace(['£', ',', '%'], "").parse().ok()
}

/// The CSV's cell and another format's agree: the same number, the same mark, or the same
/// text (the CSV's made safe for spreadsheets).
fn agree(csv: &str, other: &str) -> bool {
    match (csv.parse::<f64>(), shown_number(other)) {
        (Ok(a), Some(b)) => (a - b).abs() < 1e-9,
        _ => csv == other || csv.strip_prefix('\'').is_some_and(|t| t == other),
    }
}

fn xlsx_grid(case: &Case, id: &str) -> Grid {
    let mut book: Xlsx<_> = open_workbook(case.path("out/annex.xlsx")).expect("workbook");
    let sheet: String = id.chars().take(31).collect();
    let range = book.worksheet_range(&sheet).expect("sheet");
    let formulas = book.worksheet_formula(&sheet).expect("formulas");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "{id}: a cell holds a formula");
    range
        .rows()
        .skip(4)
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn run_annex(case: &Case, model: &str, extra: &[&str]) -> String {
    let mut args = vec!["annex", model, "--out", "out"];
    args.extend_from_slice(extra);
    let o = case.run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

pub(crate) fn check_formats_agree(case: &Case) {
    let html = std::fs::read_to_string(case.path("out/annex.html")).expect("html");
    let md = std::fs::read_to_string(case.path("out/annex.md")).expect("md");
    let ids = table_ids(case);
    assert!(ids.len() >= 10, "{ids:?}");
    for id in &ids {
        let csv = csv_grid(case, id);
        // A detail table (every year, need, phase and area) is named on the page with where
        // it is, not shown: it is compared in the workbook and the Markdown.
        let detail = html.find(&format!(r#"<div class="table detail" id="table-{id}"><p class="note"><strong>"#));
        let caption = if let Some(at) = detail {
            let said = &html[at..at + html[at..].find("</div>").expect("detail ends")];
            assert!(said.contains(&format!("tables/{id}.csv")), "{id}: the page says where it is: {said}");
            unescape_html(&said[said.find("<strong>").unwrap() + 8..said.find("</strong>").unwrap()])
        } else {
            let title_start = html.find(&format!(r#"id="table-{id}"><table><caption>"#)).expect("caption");
            let caption = &html[title_start..];
            unescape_html(&caption[caption.find("<caption>").unwrap() + 9..caption.find("</caption>").unwrap()])
        };
        let caption = caption.split(" (part 1 of ").next().unwrap_or_default().to_string();
        let mut formats = vec![("xlsx", xlsx_grid(case, id)), ("md", markdown_grid(&md, &caption))];
        if detail.is_none() {
            formats.push(("html", html_grid(&html, id)));
        }
        for (format, other) in formats {
            assert_eq!(csv.len(), other.len(), "{id} in {format}: rows");
            for (r, (a, b)) in csv.iter().zip(&other).enumerate() {
                assert_eq!(a.len(), b.len(), "{id} in {format}: row {r} {a:?} vs {b:?}");
                for (x, y) in a.iter().zip(b) {
                    assert!(agree(x, y), "{id} in {format}, row {r}: csv {x:?} vs {y:?}");
                }
            }
        }
    }
}

#[test]
fn every_format_holds_the_same_tables() {
    let case = Case::fixture("tiny");
    let said = run_annex(&case, "model.toml", &["--no-suppression"]);
    assert!(said.contains("FOR INTERNAL USE ONLY"), "{said}");
    check_formats_agree(&case);
    // With disclosure control on, the withheld marks agree too.
    let case = Case::fixture("tiny");
    run_annex(&case, "model.toml", &[]);
    check_formats_agree(&case);
}

#[test]
fn annex_tables_add_up_from_the_placements_and_by_hand() {
    // The tiny model by hand: near takes every need but only 2 SEMH, the unit takes ASD and
    // SLCN in primary and secondary but no special-school provision, and Stoke (out of the
    // borough) takes SEMH and ASD in secondary. So the 6 Crewe SEMH are 2 at near and 4 at
    // Stoke (£65,000: near's SEMH places are full, so these 4 are places required); the 3
    // Nantwich ASD (special school) at near; the 4 + 2.5 primary children fill the unit's 5
    // places (£15,000 < £22,000 at near) and 1.5 go to near. Places: 5 × 15,000 + 6.5 ×
    // 22,000 + 4 × 65,000 = £478,000.
    let case = Case::fixture("tiny");
    let o = case.run(&["solve", "model.toml", "--out", "solved"]);
    assert!(o.status.success(), "{}", stderr(&o));
    run_annex(&case, "model.toml", &["--no-suppression"]);
    let year = &rows(&case, "out/tables/placements-by-year.csv")[0];
    for (column, by_hand) in [
        ("Children needing a place (children)", 16.0), // 4 + 6 + 3 + 2.5 = 15.5
        ("Placed in borough (children)", 12.0),        // 11.5
        ("Placed out of borough (children)", 4.0),
        ("No place available (children)", 0.0),
        ("Additional places required (children)", 4.0),
        ("At independent or non-maintained schools (children)", 4.0),
        ("Cost of places (£)", 478_000.0),
    ] {
        assert_eq!(number(year, column), by_hand, "{column}");
    }
    // The rest worked out here from the plan's own placements (solve's placements.csv, a
    // row a home locality, need, phase and setting), not from its summary: children, cost
    // of places and of transport, and journeys summed over the rows.
    let placements = rows(&case, "solved/placements.csv");
    let sum = |f: &dyn Fn(&crate::util::Record) -> f64| placements.iter().map(f).sum::<f64>();
    let children = sum(&|r| number(r, "children"));
    let inside = sum(&|r| if r["in_borough"] == "yes" { number(r, "children") } else { 0.0 });
    let places = sum(&|r| number(r, "children") * number(r, "cost_per_place"));
    let transport = sum(&|r| number(r, "children") * number(r, "transport_per_child"));
    let minutes = sum(&|r| number(r, "children") * number(r, "journey_minutes"));
    let longest = placements.iter().map(|r| number(r, "journey_minutes")).fold(0.0, f64::max);
    assert!((children - 15.5).abs() < 1e-9 && (inside - 11.5).abs() < 1e-9, "{children} {inside}");
    assert!((places - 478_000.0).abs() < 1.0, "{places}");
    // Transport, about £68,333, to the nearest £1,000; the total with it.
    let thousands = |v: f64| (v / 1000.0).round() * 1000.0;
    assert_eq!(number(year, "Cost of transport (£)"), thousands(transport), "{transport}");
    assert_eq!(number(year, "Cost of transport (£)"), 68_000.0);
    assert_eq!(number(year, "Total spend (£)"), thousands(places + transport));
    assert_eq!(number(year, "Total spend (£)"), 546_000.0);
    // Journeys: each row's minutes are shown to 0.1, so the mean of them is within 0.05 of
    // the plan's, itself shown to 0.1. The longest is Crewe to Stoke, 25 minutes.
    let mean = number(year, "Mean journey (minutes)");
    assert!((mean - minutes / children).abs() <= 0.1 + 1e-9, "{mean} against {}", minutes / children);
    assert_eq!(number(year, "Longest journey (minutes)"), longest);
    assert_eq!(longest, 25.0);
    // Need by phase, by hand from demand.csv: ASD 4 primary + 3 secondary, SEMH 6
    // secondary, SLCN 2.5 primary (shown as 3); totals from unrounded figures.
    let need = rows(&case, "out/tables/need-by-phase.csv");
    let cell = |need_code: &str, column: &str| {
        number(need.iter().find(|r| r["Primary need"] == need_code).expect("row"), &format!("{column} (children)"))
    };
    assert_eq!(cell("ASD", "Primary"), 4.0);
    assert_eq!(cell("ASD", "Secondary"), 3.0);
    assert_eq!(cell("ASD", "All phases"), 7.0);
    assert_eq!(cell("SEMH", "Secondary"), 6.0);
    assert_eq!(cell("SLCN", "Primary"), 3.0);
    assert_eq!(cell("All needs", "Primary"), 7.0, "6.5 before rounding");
    assert_eq!(cell("All needs", "All phases"), 16.0, "15.5 before rounding");
    // Journeys add up to children placed; children by kind too.
    let journeys = rows(&case, "out/tables/journey-times.csv");
    let placed: f64 = journeys.iter().take(journeys.len() - 1).map(|r| number(r, "2025/26 (children)")).sum();
    assert_eq!(placed, number(journeys.last().unwrap(), "2025/26 (children)"));
    assert_eq!(placed, children.round());
    // Every journey but Stoke's is within 15 minutes (11.5 children, shown as 12); Stoke's 4
    // are between 15 and 30.
    let band = |name: &str| {
        number(journeys.iter().find(|r| r["Journey one way"] == name).expect("band"), "2025/26 (children)")
    };
    assert_eq!((band("0 to 15 minutes"), band("15 to 30 minutes"), band("30 to 45 minutes")), (12.0, 4.0, 0.0));
}

#[test]
fn small_counts_are_withheld_everywhere_and_protected() {
    let case = Case::fixture("tiny");
    let said = run_annex(&case, "model.toml", &[]);
    assert!(
        said.contains("counts of 1 to 4 pupils (children with plans in 2025/26, the base year) are withheld"),
        "{said}"
    );
    let mut withheld = 0;
    for id in table_ids(&case) {
        let grid = csv_grid(&case, &id);
        for (c, heading) in grid[0].iter().enumerate() {
            if !heading.ends_with("(children)") {
                continue;
            }
            for row in &grid[1..] {
                match row[c].as_str() {
                    "c" => withheld += 1,
                    v => {
                        let n: f64 = v.parse().unwrap_or_else(|_| panic!("{id}: {v:?}"));
                        assert!(n == 0.0 || n >= 5.0, "{id}: {heading} shows {n}");
                    }
                }
            }
        }
    }
    assert!(withheld > 0);
    // Need by phase: a withheld cell never stands alone in a row or column with a total.
    let grid = csv_grid(&case, "need-by-phase");
    for row in &grid[1..] {
        assert_ne!(row.iter().filter(|c| *c == "c").count(), 1, "{row:?}");
    }
    for c in 1..grid[0].len() {
        assert_ne!(grid[1..].iter().filter(|r| r[c] == "c").count(), 1, "column {c}");
    }
    // The threshold comes from the model.
    let case = Case::fixture("tiny");
    case.edit("model.toml", "[policy]", "[annex]\nsuppression_threshold = 7\n\n[policy]");
    let said = run_annex(&case, "model.toml", &[]);
    assert!(said.contains("counts of 1 to 6 pupils"), "{said}");
    let need = rows(&case, "out/tables/need-by-phase.csv");
    let semh = need.iter().find(|r| r["Primary need"] == "SEMH").unwrap();
    assert_eq!(semh["Secondary (children)"], "c", "6 is below 7");
}

#[test]
fn a_bad_threshold_is_named_by_file_line_and_field() {
    let case = Case::fixture("tiny");
    case.edit("model.toml", "[policy]", "[annex]\nsuppression_threshold = 2.5\n\n[policy]");
    let o = case.run(&["annex", "model.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("model.toml") && err.contains("suppression_threshold") && err.contains("whole number"),
        "{err}"
    );
    assert!(err.lines().next().unwrap().contains(":"), "{err}");
    assert!(!case.path("out").exists(), "nothing written");
}

#[test]
fn hostile_names_are_inert_in_every_output() {
    let case = Case::fixture("tiny");
    case.edit("model.toml", r#"name = "Tiny test authority""#, r#"name = "=HYPERLINK(\"http://evil.example\",\"x\")""#);
    case.edit("model.toml", "planning_year", "description = \"<img src=x onerror=alert(1)>\"\nplanning_year");
    case.edit("settings.csv", "Near Special School", "<script>alert(1)</script>");
    case.edit("localities.csv", "Nantwich,", "@SUM(1+1)<b>,");
    run_annex(&case, "model.toml", &["--no-suppression"]);
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"), "markup from input");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the setting is named, escaped, on the map");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"));
    let md = std::fs::read_to_string(case.path("out/annex.md")).unwrap();
    assert!(!md.contains("<script") && !md.contains("<img"), "markup in markdown");
    // CSV and XLSX: no cell starts a formula.
    for id in table_ids(&case) {
        for row in csv_grid(&case, &id) {
            for cell in row {
                assert!(!cell.starts_with(['=', '+', '@']), "{id}: {cell:?}");
                assert!(!cell.starts_with('-') || cell.parse::<f64>().is_ok(), "{id}: {cell:?}");
            }
        }
        for row in xlsx_grid(&case, &id) {
            for cell in row {
                assert!(!cell.starts_with(['=', '+', '@']), "{id} xlsx: {cell:?}");
            }
        }
    }
    let method = rows(&case, "out/tables/method.csv");
    for item in ["Scenario", "Council"] {
        let row = method.iter().find(|r| r["Item"] == item).unwrap();
        assert_eq!(row["Value"], r#"'=HYPERLINK("http://evil.example","x")"#, "{item}");
    }
}

#[test]
fn schemes_and_commissioning_appear_when_the_model_has_them() {
    let case = Case::fixture("tiny");
    run_annex(&case, "schemes.toml", &[]);
    let ids = table_ids(&case);
    assert!(
        ids.contains(&"schemes".to_string()) && ids.contains(&"out-of-borough-with-schemes".to_string()),
        "{ids:?}"
    );
    let case = Case::fixture("tiny");
    run_annex(&case, "commission.toml", &[]);
    let options = rows(&case, "out/tables/commissioning.csv");
    assert_eq!(options[0]["Option set"], "Spot purchase only");
    assert_eq!(number(&options[0], "Saving against spot purchase (£)"), 0.0);
    // The commissioning spend is the `commission` command's.
    let o = case.run(&["commission", "commission.toml", "--out", "c"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let c = rows(&case, "c/commissioning.csv");
    assert_eq!(c.len(), options.len());
    for (a, b) in options.iter().zip(&c) {
        assert_eq!(number(a, "Spend a year (£)"), (number(b, "spend") / 1000.0).round() * 1000.0, "{b:?}");
    }
}

#[test]
fn each_schemes_residual_value_is_in_the_annex_beside_its_present_value() {
    // With residual years the schemes table gains a residual value column: each scheme's the
    // `schemes` command's, to the nearest £1,000 as the annex shows money; without, none.
    let case = Case::fixture("tiny");
    case.edit("schemes.toml", "[appraisal]\n", "[appraisal]\nresidual_years = 4\n");
    run_annex(&case, "schemes.toml", &[]);
    let annexed = rows(&case, "out/tables/schemes.csv");
    let o = case.run(&["schemes", "schemes.toml", "--out", "s"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let schemes = rows(&case, "s/schemes.csv");
    assert_eq!(annexed.len(), schemes.len());
    let mut some = false;
    for (a, s) in annexed.iter().zip(&schemes) {
        let by_command = (number(s, "residual_value") / 1000.0).round() * 1000.0;
        assert_eq!(number(a, "Residual value (£)"), by_command, "{a:?} {s:?}");
        some |= by_command.abs() >= 1000.0;
    }
    assert!(some, "a scheme saves money in its last year: {schemes:?}");
    let portfolio = rows(&case, "out/tables/scheme-portfolio.csv");
    assert!(portfolio[0].contains_key("Residual value (£)"), "{portfolio:?}");
    let plain = Case::fixture("tiny");
    run_annex(&plain, "schemes.toml", &[]);
    assert!(!rows(&plain, "out/tables/schemes.csv")[0].contains_key("Residual value (£)"));
}

#[test]
fn a_folder_that_cannot_be_written_leaves_nothing_behind() {
    let case = Case::fixture("tiny");
    let o = case.run(&["annex", "model.toml", "--out", "model.toml/annex"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("model.toml/annex"), "{err}");
}

#[test]
fn the_sample_annex_has_its_charts_and_map() {
    let case = Case::fixture("tiny");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = case.path("out");
    let o =
        case.run(&["annex", root.join("models/cheshire-east.toml").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(out.join("annex.html")).unwrap();
    assert_eq!(html.matches(r#"<svg class="chart""#).count(), 3);
    assert_eq!(html.matches(r#"<svg class="map""#).count(), 2, "the borough, and where children outside it go");
    let flows = html.matches(r#"class="flow""#).count();
    assert!((1..=15).contains(&flows), "{flows} flows drawn");
    assert_eq!(html.matches(r#"class="area""#).count(), 18, "an area for each locality");
    assert!(html.matches(r#"class="label""#).count() >= 18, "every locality labelled");
    assert_eq!(html.matches(r#"<g class="scale-bar">"#).count(), 2);
    assert!(!html.contains("<script"), "no scripts");
    // Wide tables are split into parts of columns; joined again, every format agrees.
    assert!(html.contains(r#"-2"><table>"#), "a wide table is split");
    check_formats_agree(&case);
    // The captions account for every child placed, in and out of the borough (each number
    // rounded on its own, so within a child or two).
    let md = std::fs::read_to_string(out.join("annex.md")).unwrap();
    let caption = |title: &str| md.lines().find(|l| l.starts_with(&format!("*Figure: {title}"))).unwrap().to_string();
    let children_in = |text: &str| -> Vec<f64> {
        let words: Vec<&str> = text.split([' ', '(', ')', ',', '.', ':']).filter(|w| !w.is_empty()).collect();
        words.windows(2).filter(|w| w[1] == "children").filter_map(|w| w[0].parse().ok()).collect()
    };
    let year = rows(&case, "out/tables/placements-by-year.csv").remove(0);
    let borough = caption("Places required and journeys to school");
    let flows_said = children_in(&borough[borough.find("Lines show").unwrap()..]);
    assert_eq!(flows_said.len(), 3, "{borough}");
    let placed_in = number(&year, "Placed in borough (children)");
    assert!((flows_said.iter().sum::<f64>() - placed_in).abs() <= 2.0, "{flows_said:?} against {placed_in}");
    let away = caption("Where children placed outside the borough go");
    let said = children_in(&away);
    let placed_out = number(&year, "Placed out of borough (children)");
    assert_eq!(said[0], placed_out, "{away}");
    assert!((said[1] + said[2] - placed_out).abs() <= 1.0, "{away}");
}

#[test]
fn the_tables_folder_holds_only_this_runs_tables() {
    // A table left by an earlier run (here a stray one, as an unsuppressed run could leave)
    // is removed; the folder's other files are not touched.
    let case = Case::fixture("tiny");
    std::fs::create_dir_all(case.path("annex/tables")).unwrap();
    case.write("annex/tables/old-unsuppressed.csv", "need,children\nASD,3\n");
    case.write("annex/tables/notes.txt", "kept\n");
    let out = case.run(&["annex", "model.toml", "--out", "annex"]);
    assert!(out.status.success(), "{}", crate::util::stderr(&out));
    assert!(!case.path("annex/tables/old-unsuppressed.csv").exists());
    assert!(case.path("annex/tables/notes.txt").exists());
    assert!(case.path("annex/tables/method.csv").exists());
}

/// The value of the row whose first cells are `labels`, in `column`.
fn cell<'a>(table: &'a [crate::util::Record], labels: &[(&str, &str)], column: &str) -> &'a str {
    let row =
        table.iter().find(|r| labels.iter().all(|(k, v)| r[*k] == *v)).unwrap_or_else(|| panic!("no row {labels:?}"));
    &row[column]
}

#[test]
fn places_required_are_kept_apart_from_out_of_borough_placements() {
    // The tiny authority with three more kinds of out-of-borough placement and a child no
    // setting serves. Near Special School takes only ASD, SEMH and SLCN here.
    //  - SEMH secondary, Crewe, 6: Near takes at most 2 SEMH children (setting_needs) and the
    //    unit none, so 4 go to Stoke Independent: out of the borough because local places are
    //    full: 4 places required.
    //  - HI primary, Crewe, 2: no setting in the borough takes HI, so both go to Stoke
    //    Sensory School: out of the borough, no suitable setting in it, not places required.
    //  - PD secondary, Crewe, 3: Crewe Independent (in the borough, £150,000) has 10 places
    //    free, but Stoke Council School (£20,000 + £5,000 weight + £10,500 transport) costs
    //    less: out of the borough with a local place free, not places required.
    //  - VI post-16, Nantwich, 1: no setting takes VI: no place available, 1 place required.
    let case = Case::fixture("tiny");
    case.edit("settings.csv", "yes,10,all,all,22000", "yes,10,all,ASD;SEMH;SLCN,22000");
    let settings = std::fs::read_to_string(case.path("settings.csv")).unwrap()
        + "sensory,Stoke Sensory School,non-maintained-special,53.0027,-2.1794,no,5,all,HI,40000\n\
           dear,Crewe Independent,independent-special,53.0990,-2.4400,yes,10,all,PD,150000\n\
           council,Stoke Council School,other-authority-special,53.0027,-2.1794,no,10,all,PD,20000\n";
    case.write("settings.csv", &settings);
    let demand = std::fs::read_to_string(case.path("demand.csv")).unwrap()
        + "crewe,HI,primary,2,\ncrewe,PD,secondary,3,\nnantwich,VI,post-16,1,\n";
    case.write("demand.csv", &demand);
    run_annex(&case, "model.toml", &["--no-suppression"]);
    let y = "2025/26 (children)";

    let required = rows(&case, "out/tables/places-required.csv");
    let labels: Vec<(String, String, String)> =
        required.iter().map(|r| (r["Primary need"].clone(), r["Phase"].clone(), r[y].clone())).collect();
    let want = [("SEMH", "Secondary", "4"), ("VI", "Post-16", "1"), ("All needs", "All phases", "5")];
    assert_eq!(labels.len(), want.len(), "{labels:?}");
    for ((n, p, v), (wn, wp, wv)) in labels.iter().zip(want) {
        assert_eq!((n.as_str(), p.as_str(), v.as_str()), (wn, wp, wv));
    }
    let by_area = rows(&case, "out/tables/places-required-by-area.csv");
    assert_eq!(cell(&by_area, &[("Home area", "Crewe")], y), "4");
    assert_eq!(cell(&by_area, &[("Home area", "Nantwich")], y), "1");
    assert_eq!(cell(&by_area, &[("Home area", "All areas")], y), "5");

    let out = rows(&case, "out/tables/out-of-borough-by-year.csv");
    for (column, want) in [
        ("Placed out of borough (children)", 9.0),
        ("Because local places are full (children)", 4.0),
        ("No suitable setting in borough (children)", 2.0),
        ("A suitable local place was free (children)", 3.0),
        // 4 × £65,000 (Stoke Independent's SEMH fee) + 2 × £40,000 + 3 × £20,000.
        ("Cost of places (£)", 400_000.0),
        // 9 × (£1,000 + 25 km × 2 journeys × 190 days × £1): £94,500, to the nearest £1,000.
        ("Cost of transport (£)", 95_000.0),
    ] {
        assert_eq!(number(&out[0], column), want, "{column}");
    }
    let by_need = rows(&case, "out/tables/out-of-borough-by-need.csv");
    let seen: Vec<(String, String, f64)> =
        by_need.iter().map(|r| (r["Primary need"].clone(), r["Phase"].clone(), number(r, y))).collect();
    assert_eq!(
        seen,
        [
            ("SEMH".to_string(), "Secondary".to_string(), 4.0),
            ("HI".to_string(), "Primary".to_string(), 2.0),
            ("PD".to_string(), "Secondary".to_string(), 3.0),
            ("All needs".to_string(), "All phases".to_string(), 9.0),
        ]
    );
    let by_kind = rows(&case, "out/tables/out-of-borough-by-kind.csv");
    for (kind, children, places) in [
        ("Independent special school", 4.0, 260_000.0),
        ("Non-maintained special school", 2.0, 80_000.0),
        ("Another authority's special school", 3.0, 60_000.0),
        ("All kinds", 9.0, 400_000.0),
    ] {
        let row = by_kind.iter().find(|r| r["Kind of setting"] == kind).unwrap();
        assert_eq!(number(row, "Children 2025/26 (children)"), children, "{kind}");
        assert_eq!(number(row, "Cost of places 2025/26 (£)"), places, "{kind}");
    }
    let year = &rows(&case, "out/tables/placements-by-year.csv")[0];
    for (column, want) in [
        ("Children needing a place (children)", 22.0), // 15.5 + 2 + 3 + 1 = 21.5
        ("Placed in borough (children)", 12.0),        // 11.5
        ("Placed out of borough (children)", 9.0),
        ("No place available (children)", 1.0),
        ("Additional places required (children)", 5.0),
    ] {
        assert_eq!(number(year, column), want, "{column}");
    }
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    assert!(html.contains("Additional places required in Tiny test authority"));
    assert!(!html.to_lowercase().contains("shortfall"), "no shortfall adds out-of-borough to unmet need");
}

#[test]
fn the_council_names_the_annex_and_the_scenario_is_named_beside_it() {
    let case = Case::fixture("tiny");
    let said = run_annex(&case, "model.toml", &[]);
    assert!(
        said.starts_with("Tiny test authority: SEND sufficiency statement, annex of evidence\n2025/26\n"),
        "{said}"
    );
    let case = Case::fixture("tiny");
    case.edit("model.toml", "[policy]", "[annex]\ncouncil = \"Cheshire West and Chester\"\n\n[policy]");
    let said = run_annex(&case, "model.toml", &[]);
    assert!(said.starts_with("Cheshire West and Chester: SEND sufficiency statement, annex of evidence\n"), "{said}");
    assert!(said.contains("Scenario: Tiny test authority. 2025/26"), "{said}");
    let md = std::fs::read_to_string(case.path("out/annex.md")).unwrap();
    assert!(md.starts_with("# Cheshire West and Chester: SEND sufficiency statement, annex of evidence\n"), "{md}");
    assert!(md.contains("## Need: children in Cheshire West and Chester with EHC plans"), "{md}");
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    assert!(html.contains("<h1>Cheshire West and Chester: SEND sufficiency statement, annex of evidence</h1>"));
    // An empty name is refused, naming the field.
    let case = Case::fixture("tiny");
    case.edit("model.toml", "[policy]", "[annex]\ncouncil = \" \"\n\n[policy]");
    let o = case.run(&["annex", "model.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("council"), "{}", stderr(&o));
}

#[test]
fn the_lowest_and_highest_forecasts_are_shown_need_by_need_in_the_table_and_the_chart() {
    // The tiny authority over three years with two forecast variants (central and high,
    // util::need_by_hand), disclosure control off so that every figure shows.
    let case = Case::fixture("tiny");
    case.edit("horizon.toml", "[policy]", "[appraisal]\nvariants = [\"central\", \"high\"]\n\n[policy]");
    run_annex(&case, "horizon.toml", &["--no-suppression"]);
    let need = rows(&case, "out/tables/need-by-year.csv");
    let (low, high) = ("Lowest forecast, 2027/28 (children)", "Highest forecast, 2027/28 (children)");
    let by_hand = |r: &crate::util::Rates, code: Option<&str>| -> f64 {
        crate::util::need_by_hand(r, 2).iter().filter(|row| code.is_none_or(|c| row.1 == c)).map(|row| row.4).sum()
    };
    for code in ["ASD", "SEMH", "SLCN"] {
        let row = [("Primary need", code)];
        // ASD 2027/28: central 4 + 3 + 2.1 + 2.205 = 11.305, high 4 + 3 + 3.3 + 3.63 = 13.93.
        assert_eq!(number_of(cell(&need, &row, low)), by_hand(&crate::util::CENTRAL, Some(code)).round(), "{code}");
        assert_eq!(number_of(cell(&need, &row, high)), by_hand(&crate::util::HIGH, Some(code)).round(), "{code}");
        assert_eq!(cell(&need, &row, low), cell(&need, &row, "2027/28 (children)"), "the central is the lower");
    }
    let all = [("Primary need", "All needs")];
    assert_eq!(number_of(cell(&need, &all, high)), by_hand(&crate::util::HIGH, None).round());
    let bands = rows(&case, "out/tables/need-forecast-bands.csv");
    assert_eq!(cell(&bands, &[("Forecast", "high")], "2027/28 (children)"), cell(&need, &all, high));

    // The chart draws a whisker where the forecasts differ: each year after the first, in
    // the panel of all needs and in each need's (three), and says what they are.
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    assert_eq!(html.matches(r#"<g class="whisker">"#).count(), 2 * 4, "{html}");
    // (Needs with no children have panels too, without: the legend says so.)
    assert!(html.contains(">Lowest to highest forecast (some panels)<"));
    assert!(
        html.contains(
            "The whiskers span the lowest to the highest of the forecasts the model names (central and high)."
        )
    );
    let high_asd = by_hand(&crate::util::HIGH, Some("ASD"));
    assert!(html.contains(&format!(
        "<title>2027/28: {:.0} to {high_asd:.0}</title>",
        by_hand(&crate::util::CENTRAL, Some("ASD"))
    )));

    // With one forecast there is no range: neither the columns nor the whiskers.
    let case = Case::fixture("tiny");
    run_annex(&case, "horizon.toml", &["--no-suppression"]);
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    assert!(!html.contains("whisker") && !html.contains("Lowest forecast"));
}

fn number_of(text: &str) -> f64 {
    text.parse().unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

#[test]
fn forecasts_are_rounded_and_only_counts_of_pupils_are_withheld() {
    // The tiny authority over three years, disclosure control on: 2025/26 counts children with
    // plans now; 2026/27 and 2027/28 are forecasts (util::need_by_hand), shown rounded however
    // small.
    let case = Case::fixture("tiny");
    let said = run_annex(&case, "horizon.toml", &[]);
    assert!(said.contains("counts of 1 to 4 pupils (children with plans in 2025/26, the base year)"), "{said}");
    let need = rows(&case, "out/tables/need-by-year.csv");
    for k in 1..3 {
        let column = format!("{}/{} (children)", 2025 + k, 26 + k);
        let hand = crate::util::need_by_hand(&crate::util::CENTRAL, k);
        for code in ["ASD", "SEMH", "SLCN"] {
            let by_hand: f64 = hand.iter().filter(|r| r.1 == code).map(|r| r.4).sum();
            let shown: f64 = cell(&need, &[("Primary need", code)], &column).parse().unwrap();
            assert_eq!(shown, by_hand.round(), "{code} {column}");
        }
    }
    // SLCN: 2.5 in 2025/26 (a count of pupils below 5: withheld), 3.55 in 2026/27 (a forecast:
    // shown as 4).
    assert_eq!(cell(&need, &[("Primary need", "SLCN")], "2025/26 (children)"), "c");
    assert_eq!(cell(&need, &[("Primary need", "SLCN")], "2026/27 (children)"), "4");
    // SEMH's 6 is withheld with it: from the total, SLCN could otherwise be worked out to
    // within fewer than 5 children (the protection interval is as wide as the threshold).
    assert_eq!(cell(&need, &[("Primary need", "SEMH")], "2025/26 (children)"), "c");
    // Nowhere is a forecast, a number of places or a sum of money withheld.
    let mut withheld = 0;
    for id in table_ids(&case) {
        let grid = csv_grid(&case, &id);
        for row in &grid[1..] {
            for (c, value) in row.iter().enumerate() {
                if value != "c" {
                    continue;
                }
                withheld += 1;
                let heading = &grid[0][c];
                let label = row.first().map(String::as_str).unwrap_or_default();
                let base_year = heading.contains("2025/26")
                    || label == "2025/26"
                    || id == "need-by-phase"
                    || id == "placements-2025-26"
                    || id == "children-by-kind-and-need"
                    || id == "places-by-kind"
                    || id == "settings"
                    || id == "cost-by-kind";
                // A growth from 2025/26 is withheld with its first year's count; occupancy,
                // spare places and money for a group of pupils, which would give their count
                // away, with that count in the same row.
                let growth = heading.starts_with("Growth 2025/26");
                let with_count = row.iter().zip(&grid[0]).any(|(v, h)| v == "c" && h.ends_with("(children)"));
                assert!(
                    base_year && (heading.ends_with("(children)") || growth || with_count),
                    "{id}: {heading} of {row:?} withheld"
                );
                assert!(growth || !(heading.contains("2026/27") || heading.contains("2027/28")), "{id}: {heading}");
            }
        }
    }
    assert!(withheld > 0);
}

#[test]
fn the_sample_annex_withholds_only_a_few_counts_of_pupils_and_holds_the_solvers_numbers() {
    let case = Case::fixture("tiny");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = case.path("out");
    let model = root.join("models/cheshire-east-horizon.toml");
    let o = case.run(&["annex", model.to_str().unwrap(), "--out", out.to_str().unwrap(), "--draws", FEW_FUTURES]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    // Before grouping: 1,507 counts withheld as small and 113 to protect them. (The sample
    // recalibrated to the published January 2025 position: no early years, so 36 cells.)
    // (With the children still placed outside the borough after the programme, by home area.)
    assert!(said.contains("(5 withheld as small, 10 to protect them)"), "{said}");
    // (With the lowest and highest forecast of 2029/30 for each of the need table's rows; and
    // the high-needs block's 10 figures a year over 5 years; and the risk section's 51:
    // saving and payback by year, the totals, the deficit's percentiles by year; and the
    // residual value of each of the 8 schemes and of the chosen set; and the commissioning
    // section's 295 over the years: 1,496 before.)
    assert!(said.contains("rounded, never withheld (1,791 figures)"), "{said}");
    assert!(
        said.contains("36 of the model's 48 need-and-phase cells a year are published within groups, as 24"),
        "{said}"
    );
    assert!(said.starts_with("Cheshire East (synthetic sample): SEND sufficiency statement, annex of evidence\n"));
    assert!(said.contains("Scenario: Central growth. 2025/26 to 2029/30"), "{said}");

    // Every withheld cell is a count of children in 2025/26, the base year.
    let forecast_years = ["2026/27", "2027/28", "2028/29", "2029/30"];
    let mut withheld = Vec::new();
    // (Not counting the DfE's own suppression in the figures it publishes, below.)
    for id in table_ids(&case).into_iter().filter(|id| id != "ehc-plans-by-setting-type") {
        let grid = csv_grid(&case, &id);
        for row in &grid[1..] {
            for (c, value) in row.iter().enumerate() {
                if value == "c" {
                    let heading = grid[0][c].clone();
                    // (An occupancy is withheld with the count of its row.)
                    let with_count = row.iter().zip(&grid[0]).any(|(v, h)| v == "c" && h.ends_with("(children)"));
                    assert!(
                        heading.ends_with("(children)") || (heading == "Occupancy (%)" && with_count),
                        "{id}: {heading} withheld"
                    );
                    assert!(!forecast_years.iter().any(|y| heading.contains(y) || row[0] == *y), "{id}: {heading}");
                    assert!(!id.contains("2029-30") && id != "commissioning", "{id}: a forecast withheld");
                    withheld.push(format!("{id}: {} / {heading}", row[..2].join(" ")));
                }
            }
        }
    }
    assert_eq!(withheld.len(), 23, "{withheld:#?}");

    // A row a setting (47 in the sample, not the market's steps), in the borough first; every
    // setting holds at least 5 children in the base year (the published position fills them),
    // so no setting's count is withheld.
    let settings = csv_grid(&case, "settings");
    assert_eq!(settings.len(), 1 + 47);
    assert_eq!(
        settings[1],
        [
            "Hollins Brook School",
            "Macclesfield",
            "Maintained special school",
            "yes",
            "ASD, SEMH",
            "Primary, Secondary",
            "50",
            "50",
            "100.0"
        ]
    );
    let withheld_settings: Vec<&str> = settings[1..].iter().filter(|r| r[7] == "c").map(|r| r[0].as_str()).collect();
    assert!(withheld_settings.is_empty(), "{withheld_settings:?}");

    // The band of forecasts: the central one is the need table's; low and high are the
    // low- and high-growth scenarios' need (`compare` gives 1,933.0 and 2,605.9 in 2029/30).
    let bands = csv_grid(&case, "need-forecast-bands");
    let need = csv_grid(&case, "need-by-year");
    let all_needs = need.iter().find(|r| r[0] == "All needs").unwrap();
    assert_eq!(
        bands[2][..6],
        all_needs[..6]
            .iter()
            .map(|c| if c == "All needs" { "central".to_string() } else { c.clone() })
            .collect::<Vec<_>>()[..]
    );
    assert_eq!((bands[1][0].as_str(), bands[1][5].as_str()), ("low", "1933"));
    assert_eq!((bands[3][0].as_str(), bands[3][5].as_str()), ("high", "2606"));
    assert!(bands[1..].iter().all(|r| r[1] == "1553"), "the same base year in each");
    // All EHC plans for context, as published (the DfE's real January 2025 figures for
    // Cheshire East: 1,553 in specialist settings of 4,871; 85 at UKRLP providers).
    let context = csv_grid(&case, "ehc-plans-by-setting-type");
    let row = |name: &str| context.iter().find(|r| r[0] == name).unwrap_or_else(|| panic!("{name}")).clone();
    assert_eq!(row("Specialist settings planned in this annex")[1..3], ["1553", "31.9"]);
    assert_eq!(row("All EHC plans")[1], "4871");
    assert_eq!(row("Further education: UKRLP providers")[1..], ["85", "1.7", "No (context)"]);
    assert_eq!(row("Special school: Independent special schools")[3], "Yes: Independent and non-maintained special");
    // The need table's lowest and highest forecasts of all needs are the low and high bands'.
    assert_eq!(all_needs[7..], ["1933", "2606"]);
    assert_eq!(need[0][7..], ["Lowest forecast, 2029/30 (children)", "Highest forecast, 2029/30 (children)"]);

    // The year-by-year figures are the solver's.
    let solved = case.run(&["solve", model.to_str().unwrap(), "--format", "json"]);
    assert!(solved.status.success(), "{}", stderr(&solved));
    let plan: serde_json::Value = serde_json::from_slice(&solved.stdout).unwrap();
    let by_year = rows(&case, "out/tables/placements-by-year.csv");
    let reasons = rows(&case, "out/tables/out-of-borough-by-year.csv");
    for (k, y) in plan["years"].as_array().unwrap().iter().enumerate() {
        let s = &y["summary"];
        let get = |f: &str| s[f].as_f64().unwrap();
        let row = &by_year[k];
        assert_eq!(number(row, "Children needing a place (children)"), get("children").round());
        assert_eq!(number(row, "Placed in borough (children)"), get("placed_in_borough").round());
        assert_eq!(number(row, "Placed out of borough (children)"), get("placed_out_of_borough").round());
        assert_eq!(number(row, "No place available (children)"), get("unmet").round());
        assert_eq!(number(row, "Cost of places (£)"), (get("placement_cost") / 1000.0).round() * 1000.0);
        assert_eq!(number(row, "Cost of transport (£)"), (get("transport_cost") / 1000.0).round() * 1000.0);
        // Places required are those out of the borough because local places are full, with
        // those with no place available; the reasons add up to those out of the borough (each
        // rounded on its own: to within a child).
        let r = &reasons[k];
        // In the base year a reason that counts 1 to 4 pupils is withheld, and so is the
        // other reason that would give it away; they are not worked out here either.
        if ["Because local places are full (children)", "No suitable setting in borough (children)"]
            .iter()
            .any(|c| r[*c] == "c")
        {
            assert_eq!(k, 0, "only base-year counts are withheld: {r:?}");
            assert_eq!(row["Additional places required (children)"], "c", "it would give them away: {row:?}");
            continue;
        }
        let (out, full) =
            (number(r, "Placed out of borough (children)"), number(r, "Because local places are full (children)"));
        let others = number(r, "No suitable setting in borough (children)")
            + number(r, "A suitable local place was free (children)");
        assert_eq!(out, number(row, "Placed out of borough (children)"));
        assert!((full + others - out).abs() <= 1.0, "{r:?}");
        let required = number(row, "Additional places required (children)");
        assert!((full + number(row, "No place available (children)") - required).abs() <= 1.0, "{row:?}");
        assert!(required <= out + number(row, "No place available (children)"));
    }
    // 2029/30: 1,094 out of the borough, every one because local places are full (each need
    // and phase has a suitable setting in it): places required are all 1,094 (no child is
    // without a place).
    let last = &reasons[4];
    assert_eq!(number(last, "Placed out of borough (children)"), 1094.0);
    assert_eq!(number(last, "No suitable setting in borough (children)"), 0.0);
    assert_eq!(number(&by_year[4], "Additional places required (children)"), 1094.0);

    // Words: parameters read from the model, no internal names, the schemes appraised.
    let md = std::fs::read_to_string(out.join("annex.md")).unwrap();
    assert!(md.contains("£1.10 a km"), "transport cost per km is the model's 1.1");
    assert!(!md.contains("weighted_cost") && !md.contains("unmet_children"));
    assert!(md.contains("## Capital schemes appraised"));
    assert!(!md.to_lowercase().contains("will build"));
    for file in ["schemes.csv", "purchasing_options.csv"] {
        let mut r = csv::Reader::from_path(root.join("sample-data/cheshire-east").join(file)).unwrap();
        for rec in r.records() {
            let id = rec.unwrap()[0].to_string();
            assert!(!md.contains(&id), "{file}: the id {id} is shown where it has a name");
        }
    }
}

#[test]
fn the_councils_commentary_is_placed_in_its_section_and_a_missing_file_named() {
    let case = Case::fixture("tiny");
    std::fs::create_dir_all(case.path("words")).unwrap();
    case.write("words/need.md", "Need for places is rising in Crewe.\n\n- One <em>point</em>\n");
    let model = std::fs::read_to_string(case.path("model.toml")).unwrap();
    case.write("model.toml", &format!("{model}\n[annex.commentary]\nneed = \"words/need.md\"\n"));
    run_annex(&case, "model.toml", &[]);
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    let need = &html[html.find(r#"<section id="section-need">"#).expect("need section")..];
    let first_p = &need[need.find("<p>").unwrap()..];
    // Rendered from Markdown: a paragraph, then a list; the raw HTML escaped.
    assert!(
        first_p
            .starts_with("<p>Need for places is rising in Crewe.</p>\n<ul>\n<li>One &lt;em&gt;point&lt;/em&gt;</li>"),
        "{first_p:.200}"
    );
    let md = std::fs::read_to_string(case.path("out/annex.md")).unwrap();
    assert!(md.contains("Need for places is rising in Crewe."), "in the Markdown too");
    // A commentary file that is not there: one line naming it.
    std::fs::remove_file(case.path("words/need.md")).unwrap();
    let o = case.run(&["annex", "model.toml", "--out", "out2"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("words/need.md") && err.lines().count() == 2, "{err}");
}

#[test]
fn all_ehc_plans_by_type_of_setting_are_shown_for_context_as_published() {
    // The tiny authority (named "Tiny test authority") with the DfE's caseload for two
    // authorities (tests/fixtures/sen2): it must be told which.
    let case = Case::fixture("tiny");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("tests/fixtures/sen2/caseload.csv"), case.path("caseload.csv")).unwrap();
    let model = std::fs::read_to_string(case.path("model.toml")).unwrap();
    case.write("model.toml", &format!("{model}\n[annex]\ncaseload = \"caseload.csv\"\n"));
    let o = case.run(&["annex", "model.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("caseload.csv") && err.contains("name one with [annex] caseload_la"), "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");

    // Named by code: Cheshire West and Chester (896), the latest January up to the base
    // year's (2025/26: January 2026) is January 2025.
    case.write("model.toml", &format!("{model}\n[annex]\ncaseload = \"caseload.csv\"\ncaseload_la = \"896\"\n"));
    run_annex(&case, "model.toml", &[]);
    let t = rows(&case, "out/tables/ehc-plans-by-setting-type.csv");
    let published = |kind: &str| -> f64 {
        number(
            t.iter().find(|r| r["Type of setting"] == kind).unwrap_or_else(|| panic!("{kind}")),
            "EHC plans (children)",
        )
    };
    // The file's total for 896 in 2024/25 (January 2025), read here by its column's name; the
    // rows the annex plans add up to what `check --against` publishes for specialist settings.
    let mut file = csv::Reader::from_path(root.join("tests/fixtures/sen2/caseload.csv")).unwrap();
    let headers = file.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let total: f64 = file
        .records()
        .map(Result::unwrap)
        .find(|r| {
            &r[at("time_period")] == "202425"
                && &r[at("old_la_code")] == "896"
                && &r[at("breakdown")] == "All EHC plans"
        })
        .map(|r| r[at("ehcplans")].parse().unwrap())
        .unwrap();
    let planned: f64 = t
        .iter()
        .filter(|r| r["Planned in this annex"].starts_with("Yes"))
        .map(|r| number(r, "EHC plans (children)"))
        .sum();
    let o = case.run(&["check", "model.toml", "--against", "caseload.csv", "--la", "896"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let checked = stdout(&o);
    let line = checked.lines().find(|l| l.starts_with("All specialist settings")).unwrap();
    let published_there: f64 = line.split_whitespace().nth(4).unwrap().replace(',', "").parse().unwrap();
    assert_eq!(planned, published_there, "{line}");
    assert_eq!(published("Specialist settings planned in this annex"), planned);
    assert_eq!(published("All EHC plans"), total);
    let share = number(t.iter().find(|r| r["Type of setting"] == "All EHC plans").unwrap(), "Share of all (%)");
    assert_eq!(share, 100.0);
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    assert!(html.contains("All EHC plans maintained by Cheshire West and Chester by type of setting, January 2025"));
    assert!(html.contains("the base year's is January 2026"), "said when the figures are older");
    // They are the DfE's: not counted among the annex's rounded figures.
    let without = Case::fixture("tiny");
    let said_without = run_annex(&without, "model.toml", &[]);
    let said = stdout(&case.run(&["annex", "model.toml", "--out", "out3"]));
    let figures = |s: &str| s[s.find("never withheld (").unwrap()..].split(' ').nth(2).unwrap().to_string();
    assert_eq!(figures(&said), figures(&said_without), "{said}");
}

/// The borough map's shaded areas: (name, fill, path), from its `class="area"` paths.
fn shaded_areas(html: &str) -> Vec<(String, String, String)> {
    let map = &html[html.find(r#"<svg class="map""#).expect("a map")..];
    let map = &map[..map.find("</svg>").unwrap()];
    map.match_indices(r#"<path class="area""#)
        .map(|(i, _)| {
            let tag = &map[i..i + map[i..].find("</path>").unwrap()];
            let attr = |name: &str| {
                let at =
                    tag.find(&format!(r#" {name}=""#)).unwrap_or_else(|| panic!("{name} in {tag}")) + name.len() + 3;
                tag[at..at + tag[at..].find('"').unwrap()].to_string()
            };
            assert_eq!(attr("fill-rule"), "evenodd", "holes and further polygons left unfilled: {tag}");
            let title = &tag[tag.find("<title>").unwrap() + 7..];
            (title[..title.find(':').unwrap()].to_string(), attr("fill"), attr("d"))
        })
        .collect()
}

#[test]
fn the_councils_boundaries_are_shaded_by_the_places_required_the_tables_count() {
    let case = Case::fixture("tiny");
    let o = case.run(&["annex", "areas.toml", "--out", "out", "--no-suppression"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("areas.geojson: 1 area names no locality of the model and is left out: 'Wybunbury'"));
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    let areas = shaded_areas(&html);
    assert_eq!(areas.len(), 2, "one shaded path a locality: {areas:?}");
    // Crewe needs 4 places and Nantwich none, as the table of places required says.
    let required: BTreeMap<String, f64> = rows(&case, "out/tables/places-required-by-area.csv")
        .iter()
        .map(|r| (r["Home area"].clone(), number(r, "2025/26 (children)")))
        .collect();
    assert_eq!(required["Crewe"], 4.0);
    assert_eq!(required["Nantwich"], 0.0);
    let legend = &html[html.find(r#"<g class="legend">"#).unwrap()..];
    let legend = &legend[..legend.find("</g>").unwrap()];
    for (name, fill, d) in &areas {
        if required[name] > 0.0 {
            // The band for 1 or more, darker than land, and in the legend with its words.
            assert_ne!(fill, "#f4f6f8", "{name}");
            let swatch = &legend[legend.find(&format!(r#"fill="{fill}""#)).expect("the shade in the legend")..];
            assert!(swatch[..swatch.find("</text>").unwrap()].ends_with(">1 or more"), "{swatch}");
        } else {
            assert_eq!(fill, "#f4f6f8", "{name}: no places required, not shaded");
        }
        // Two rings each: Crewe's square and its hole, Nantwich's two squares.
        assert_eq!(d.matches('M').count(), 2, "{name}: {d}");
        // Every point inside the map's frame: the projection fits the areas too (Nantwich's
        // second square lies west of every locality and setting).
        for xy in d.split(['M', 'L', 'Z']).filter(|p| !p.is_empty()) {
            let (x, y) = xy.split_once(',').unwrap();
            let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            assert!((6.0..=500.0).contains(&x) && (6.0..=594.0).contains(&y), "{name}: {xy} outside the frame");
        }
    }
    // No outline around the places over the council's own boundaries; the caption says whose.
    let borough_map = &html[html.find(r#"<svg class="map""#).unwrap()..];
    assert!(!borough_map[..borough_map.find("</svg>").unwrap()].contains(r#"class="borough""#));
    // (The caption names no file: a reader needs whose boundaries, not where they were read.)
    assert!(html.contains("Each home locality's area is the council's boundary for it, not the part"));
    assert!(!html.contains("areas.geojson"));
    // The map of destinations draws the borough as those boundaries too: the four rings of
    // Crewe's and Nantwich's areas, not a dashed outline round the points.
    let away = &html[html.find("<title>Where children placed outside the borough go").unwrap()..];
    let away = &away[..away.find("</svg>").unwrap()];
    let outline = &away[away.find(r#"<path class="borough""#).expect("the borough drawn")..];
    let outline = &outline[..outline.find('>').unwrap()];
    assert!(outline.contains(r#"fill-rule="evenodd""#) && !outline.contains("dasharray"), "{outline}");
    assert_eq!(outline.matches('M').count(), 4, "{outline}");
    // With disclosure control on, Crewe's 4 are withheld ('c'), on the map as in the table, and
    // its area is shaded as withheld, not as none.
    let o = case.run(&["annex", "areas.toml", "--out", "published"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(case.path("published/annex.html")).unwrap();
    let areas = shaded_areas(&html);
    assert_eq!(areas.len(), 2);
    assert!(html.contains("<title>Crewe: c places required</title>"));
    assert_eq!(areas.iter().find(|a| a.0 == "Crewe").unwrap().1, "#d9d9d9");
}

#[test]
fn without_boundaries_the_areas_are_the_nearest_localitys() {
    let case = Case::fixture("tiny");
    run_annex(&case, "model.toml", &["--no-suppression"]);
    let html = std::fs::read_to_string(case.path("out/annex.html")).unwrap();
    assert!(!html.contains("evenodd"));
    assert!(html.contains("nearer its centre than any other"));
    // Both maps draw the borough as a dashed outline round its localities and settings.
    assert_eq!(html.matches(r#"stroke-dasharray="5 3""#).count(), 2);
    assert!(!html.contains("boundary for it"));
}

/// Issue 27: the five-year sample's annex prints in about twenty A4 pages, not 137: the
/// phone's layout (a card a row) is for screens only, so print keeps the tables; no table is
/// split into parts of one column; the contents are printed and each page is numbered; rows
/// of needs are codes with a key; the detail by year, need, phase and area is in the workbook
/// and CSV only, the page saying where.
#[test]
fn the_sample_annex_prints_whole_tables_with_the_phone_layout_on_screens_only() {
    let case = Case::fixture("tiny");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = case.path("out");
    let model = root.join("models/cheshire-east-horizon.toml");
    let o = case.run(&["annex", model.to_str().unwrap(), "--out", out.to_str().unwrap(), "--draws", FEW_FUTURES]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(case.path("out/annex.html")).expect("html");
    let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    assert!(style.contains("@media screen and (max-width: 48rem)"), "the phone rule is for screens");
    assert!(!style.contains("@media (max-width"), "no width rule that print would match too");
    assert!(style.contains("@bottom-center { content: \"Page \" counter(page)"), "pages numbered");
    let print = &style[style.find("@media print").expect("a print rule")..];
    assert!(!print.contains("nav { display: none"), "the contents are printed");

    // Every part of a split table keeps at least two columns of figures.
    let mut parts = 0;
    for piece in html.split(r#"<div class="table"#).skip(1) {
        let Some(head) = piece.find("<thead>").map(|i| &piece[i..i + piece[i..].find("</thead>").unwrap()]) else {
            continue;
        };
        let id = &piece[piece.find("id=\"").unwrap() + 4..];
        let id = &id[..id.find('"').unwrap()];
        let figures = head.matches(r#"<th scope="col" class="n">"#).count();
        parts += 1;
        if piece.contains(" (part ") {
            assert!(figures >= 2, "{id}: a part of {figures} column of figures");
        }
    }
    let split = html.matches(" (part 1 of ").count();
    assert!(split <= 4, "{split} tables split");
    // (31 with the high-needs block's table; 34 with the risk section's three; 39 with the
    // commissioning section's five over the years, the years table in one part.)
    assert!(parts <= 39, "{parts} tables on the page");

    // Needs by code, with the key under the table.
    let need = csv_grid(&case, "need-by-year");
    let rows: Vec<&str> = need[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(rows.contains(&"MLD/SpLD") && rows.contains(&"ASD"), "{rows:?}");
    assert!(html.contains("Need codes: ASD autistic spectrum disorder;"), "the key");

    // The detail tables are in the files, and the page says where.
    for id in
        ["need-by-phase-and-year", "places-required", "places-required-by-area-and-need", "out-of-borough-by-need"]
    {
        assert!(case.path(&format!("out/tables/{id}.csv")).exists(), "{id}.csv");
        assert!(!html.contains(&format!(r#"id="table-{id}"><table>"#)), "{id} not on the page");
        // (A worksheet's name is at most 31 characters.)
        let sheet: String = id.chars().take(31).collect();
        assert!(html.contains(&format!(r#"(sheet &quot;{sheet}&quot;) and in tables/{id}.csv"#)), "{id} named");
    }
    // Settings with the area they are in, and the largest named on the borough map.
    let settings = csv_grid(&case, "settings");
    assert_eq!(settings[0][1], "Nearest area");
    let map = &html[html.find(r#"<figure id="figure-map""#).unwrap()..];
    let map = &map[..map.find("</figure>").unwrap()];
    let named = settings[1..].iter().filter(|r| map.contains(&format!(">{}</text>", r[0]))).count();
    assert!((5..=8).contains(&named), "{named} settings named on the map");
}
