//! The annex as a council would publish it: findings first, plain words, no paths, command
//! lines or solver terms, a glossary of every need code used, and the figures that used to
//! disagree explained (issue 27, parts 2 and 4).

use std::path::Path;

use crate::util::{Case, FEW_FUTURES, rows, stderr};

/// Runs `annex` on a sample model into `out` of a new case folder.
fn sample(model: &str) -> Case {
    let case = Case::fixture("tiny");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = case.path("out");
    let o = case.run(&[
        "annex",
        root.join(model).to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--draws",
        FEW_FUTURES,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    case
}

fn read(case: &Case, name: &str) -> String {
    std::fs::read_to_string(case.path(name)).expect(name)
}

/// The text of the Markdown section headed `heading`, to the next section.
fn md_section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md.find(&format!("\n## {heading}\n")).unwrap_or_else(|| panic!("no section {heading}"));
    let rest = &md[start + 1..];
    &rest[..rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3)]
}

#[test]
fn the_published_annex_has_no_paths_command_lines_or_solver_terms() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for model in ["models/cheshire-east.toml", "models/cheshire-east-horizon.toml"] {
        let case = sample(model);
        let out = case.path("out");
        for file in ["annex.html", "annex.md", "tables/method.csv"] {
            let text = read(&case, &format!("out/{file}"));
            for banned in [
                model,
                root.to_str().unwrap(),
                out.to_str().unwrap(),
                "sample-data/cheshire-east/",
                "--out",
                ".toml",
                ".geojson",
                "network simplex",
                "linear program",
                "policy weight",
                "least weighted cost",
                "solver",
                "Solver",
                "Disclosure control:",
            ] {
                assert!(!text.contains(banned), "{model}: {file} says {banned:?}");
            }
        }
        // How privacy is protected is said once, plainly, in the method appendix, with a
        // pointer near the top.
        let html = read(&case, "out/annex.html");
        assert_eq!(html.matches("could be anything in a range").count(), 1, "{model}");
        // Headings never skip a level (axe's heading-order): each at most one below the last.
        let mut last = 1;
        for (i, _) in html.match_indices("<h") {
            if let Some(level) = html[i + 2..].chars().next().and_then(|c| c.to_digit(10)) {
                assert!(level <= last + 1, "{model}: an h{level} after an h{last}");
                last = level;
            }
        }
        let pointer = html.find("To protect children's privacy").expect("pointer");
        assert!(pointer < html.find("<nav").unwrap(), "{model}: the pointer is near the top");
        let method = html.find(r#"id="section-method""#).unwrap();
        assert!(html.find("could be anything in a range").unwrap() > method, "{model}");
    }
}

#[test]
fn the_summary_and_what_the_council_will_do_come_before_the_detail() {
    let case = sample("models/cheshire-east-horizon.toml");
    let html = read(&case, "out/annex.html");
    let at = |id: &str| html.find(&format!(r#"id="section-{id}""#)).unwrap_or_else(|| panic!("no {id}"));
    assert!(at("summary") < at("plan") && at("plan") < at("introduction") && at("introduction") < at("need"));
    let nav = &html[html.find("<nav").unwrap()..html.find("</nav>").unwrap()];
    assert!(nav.find("#section-summary").unwrap() < nav.find("#section-need").unwrap(), "{nav}");
    let md = read(&case, "out/annex.md");
    assert!(md.find("## Summary").unwrap() < md.find("## Need").unwrap());
    // The summary is written from the published figures.
    let summary = md_section(&md, "Summary");
    let by_year = rows(&case, "out/tables/need-by-year.csv");
    let all = by_year.iter().find(|r| r["Primary need"] == "All needs").unwrap();
    for year in ["2025/26", "2029/30"] {
        let v: f64 = all[format!("{year} (children)").as_str()].parse().unwrap();
        let shown = format!("{} ", group(v));
        assert!(summary.contains(&shown), "need in {year} ({shown}) in the summary: {summary}");
    }
    for point in ["**Need.**", "**Places.**", "**The gap.**", "**The programme.**", "**Cost.**"] {
        assert!(summary.contains(point), "{point}: {summary}");
    }
    // The contact and review date from the model, and the files linked.
    assert!(summary.contains("send.sufficiency@example.gov.uk") && summary.contains("September 2027"), "{summary}");
    assert!(html.contains(r#"<a href="annex.xlsx">annex.xlsx</a>"#));
    assert!(html.contains(r#"<a href="tables/need-by-year.csv">"#));
    // The accessibility statement names the standard and the contact.
    let statement = md_section(&md, "Accessibility statement");
    assert!(statement.contains("WCAG) version 2.2 at level AA"), "{statement}");
    assert!(statement.contains("send.sufficiency@example.gov.uk"), "{statement}");
}

/// 1553 as "1,553".
fn group(v: f64) -> String {
    let s = format!("{}", v.round() as i64);
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[test]
fn the_glossary_defines_every_need_code_and_term_used() {
    for model in ["models/cheshire-east.toml", "models/cheshire-east-horizon.toml"] {
        let case = sample(model);
        let md = read(&case, "out/annex.md");
        let glossary = md_section(&md, "Glossary");
        let body = md.replace(glossary, "");
        let codes = ["ASD", "SEMH", "SLCN", "MLD", "SLD", "PMLD", "SpLD", "HI", "VI", "MSI", "PD", "OTH"];
        let words = |w: &str| body.split(|c: char| !c.is_ascii_alphanumeric()).any(|x| x == w);
        let mut used = 0;
        for code in codes.into_iter().chain(["EHC", "SEN", "SEND", "LA", "c"]) {
            if words(code) {
                used += 1;
                let entry = if code == "EHC" { "- **EHC plan**:".to_string() } else { format!("- **{code}**:") };
                assert!(glossary.contains(&entry), "{model}: {code} is used but not in the glossary");
            }
        }
        assert!(used >= 12, "{model}: {used} codes found");
        for term in ["Resourced provision", "Independent special school", "UKRLP", "Additional places required"] {
            assert!(glossary.contains(&format!("- **{term}**:")), "{term}");
        }
    }
}

#[test]
fn what_the_council_will_do_gives_the_programme_and_what_it_leaves() {
    let case = sample("models/cheshire-east-horizon.toml");
    let programme = rows(&case, "out/tables/programme.csv");
    let find =
        |name: &str| programme.iter().find(|r| r["Scheme or setting"] == name).unwrap_or_else(|| panic!("{name}"));
    // Heronsgate Academy opens with 70 places in 2026/27: not "0 places".
    let heronsgate = find("Heronsgate Academy");
    assert_eq!(heronsgate["Opens or changes"], "opens 2026/27");
    assert!(heronsgate["Places"].contains("70 from 2026/27"), "{heronsgate:?}");
    let md = read(&case, "out/annex.md");
    assert!(md.contains("Heronsgate Academy opens 2026/27 with 70 places (see \"What the council will do\")."));
    // Resourced places fall over the years: the programme names the reduction that does it.
    let by_kind = rows(&case, "out/tables/places-by-kind.csv");
    let rp = by_kind.iter().find(|r| r["Kind of setting"] == "Resourced provision or SEN unit").unwrap();
    let (before, after): (f64, f64) = (
        rp["Places in borough 2025/26 (places)"].parse().unwrap(),
        rp["Places in borough 2029/30 (places)"].parse().unwrap(),
    );
    let reduced: f64 = programme
        .iter()
        .filter(|r| r["Kind"] == "Resourced provision or SEN unit" && r["Opens or changes"].starts_with("reduced"))
        .count() as f64;
    assert!(after >= before || reduced > 0.0, "resourced places fall {before} to {after} unexplained");
    // The chosen schemes with their units, and no market row.
    assert!(find("Primary ASD and SLCN resource base (Crewe)")["Places"].contains("in all (4 units of 8 places)"));
    assert!(!programme.iter().any(|r| r["Places"].contains("inf")), "{programme:?}");
    // Places required after the programme by area and year, adding to the appraisal's total.
    let after = rows(&case, "out/tables/after-programme-by-area.csv");
    let with = rows(&case, "out/tables/out-of-borough-with-schemes.csv");
    let total = after.iter().find(|r| r["Home area"] == "All areas").unwrap();
    let all = with.iter().find(|r| r["Primary need"] == "All needs").unwrap();
    assert_eq!(total["2029/30 (children)"], all["2029/30 with schemes (children)"]);
    // What remains, in plain words.
    let plan = md_section(&md, "What the council will do");
    let left = format!(
        "{} children are expected to need a place outside the borough in 2029/30",
        group(total["2029/30 (children)"].parse().unwrap(),)
    );
    assert!(plan.contains(&left), "{plan}");
    assert!(plan.contains("commentary"), "{plan}");
}

#[test]
fn figures_that_used_to_disagree_are_explained() {
    let case = sample("models/cheshire-east-horizon.toml");
    // Units: a scheme's places and capital say whether they are per unit or in all.
    let schemes = rows(&case, "out/tables/schemes.csv");
    assert!(schemes.iter().all(|r| !r["Chosen"].contains('(')), "{schemes:?}");
    let base = schemes.iter().find(|r| r["Scheme"].starts_with("ASD resource base")).unwrap();
    assert_eq!(base["Chosen"], "yes: 3 units of 8 places, 24 in all");
    let md = read(&case, "out/annex.md");
    let bare = md.match_indices('×').any(|(i, _)| md[i + '×'.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()));
    assert!(!bare, "no bare ×3 without saying what is multiplied");
    // Commissioning's spend beside the year-by-year plan's: said why they differ.
    let html = read(&case, "out/annex.html");
    assert!(html.contains("placed afresh at least cost") && html.contains("its total spend for 2029/30 differs"));
    // Providers of block contracts and sites not chosen are not named by default.
    // (the schools themselves are settings, listed as every setting is; the contracts with
    // them are not named).
    let commissioning = md_section(&md, "Commissioning: buying independent places");
    let csv = read(&case, "out/tables/commissioning.csv");
    for name in ["Meadowsweet", "Trentside"] {
        assert!(!commissioning.contains(name) && !csv.contains(name), "{name} named");
    }
    assert!(!html.contains("Middlewich site"), "a site not chosen is named");
    assert!(html.contains("Block contract 1"));
    // The one-year annex's chart: not "over the years", and no legend entry for a line not drawn.
    let case = sample("models/cheshire-east.toml");
    let html = read(&case, "out/annex.html");
    let chart = &html[html.find(r#"id="figure-chart-need-places""#).unwrap()..];
    let chart = &chart[..chart.find("</figure>").unwrap()];
    assert!(!chart.contains("over the years") && !chart.contains("Places in borough"), "{chart}");
    // Journeys beyond a phase's limit are explained as residential where the model has them.
    let md = read(&case, "out/annex.md");
    assert!(md.contains("are to residential places, where the child boards"), "journey note");
}

#[test]
fn the_council_may_name_its_providers() {
    let case = Case::fixture("tiny");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = root.join("models/cheshire-east-horizon.toml");
    case.write(
        "named.toml",
        &format!("extends = {:?}\nname = \"Named\"\n\n[annex]\nname_providers = true\n", base.to_str().unwrap()),
    );
    let o = case.run(&["annex", "named.toml", "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&case, "out/annex.html");
    assert!(read(&case, "out/tables/commissioning.csv").contains("Block contract: Meadowsweet House"));
    assert!(html.contains("Middlewich site"));
    // A wrong value is one line naming the file, the line and the field.
    case.write("bad.toml", &format!("extends = {:?}\n\n[annex]\nname_providers = \"yes\"\n", base.to_str().unwrap()));
    let o = case.run(&["annex", "bad.toml", "--out", "bad"]);
    assert!(!o.status.success());
    let said = stderr(&o);
    assert!(said.contains("bad.toml:4: field 'annex.name_providers'") && said.contains("true or false"), "{said}");
}

#[test]
fn the_commentary_is_rendered_from_markdown_with_raw_html_escaped() {
    let case = sample("models/cheshire-east-horizon.toml");
    let html = read(&case, "out/annex.html");
    assert!(html.contains("<h3>About this annex</h3>"), "a heading, not a paragraph");
    assert!(html.contains("<code>sufficiency</code>"), "backticks are code");
    let case = Case::fixture("tiny");
    case.write("intro.md", "# Our plan\n\nHello <script>alert(1)</script> and <b onclick=\"x\">bold</b>\n");
    let text = read(&case, "model.toml");
    case.write("model.toml", &format!("{text}\n[annex.commentary]\nintroduction = \"intro.md\"\n"));
    let o = case.run(&["annex", "model.toml", "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&case, "out/annex.html");
    assert!(html.contains("<h3>Our plan</h3>"));
    assert!(!html.contains("<script>") && !html.contains("<b onclick"), "raw HTML passed through");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let md = read(&case, "out/annex.md");
    assert!(!md.contains("<script>") && md.contains("### Our plan"), "{md}");
}
