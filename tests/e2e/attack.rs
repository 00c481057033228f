//! The annex attacked as an outsider would attack it (the audit statistical offices make,
//! as tau-argus's): every number it publishes is read back from the files (the tables in
//! CSV, checked to be the same in the HTML, the Markdown and the workbook; the maps' hover
//! labels and captions in the HTML), the sums an outsider knows (a table's rows add up to its
//! "All" row; a setting's map label is its row of the settings table; the caption's totals
//! add up the labels), and for each withheld cell the least and the most it could be, by two
//! small linear programs (the cells 0 or more, the sums kept). None may be pinned to a range
//! narrower than the protection interval: the suppression threshold.

use std::collections::BTreeMap;

use good_lp::{Expression, Solution, SolverModel, Variable, microlp, variable, variables};

use crate::annex::{check_formats_agree, csv_grid, table_ids, unescape_html};
use crate::util::{Case, FEW_FUTURES, stderr};

/// A published figure: a number, or an unknown (withheld, 'c').
#[derive(Debug, Clone, Copy)]
enum Term {
    Known(f64),
    Unknown(usize),
}

/// What the outsider knows: the unknowns (each named where it was read), and the sums.
#[derive(Default)]
struct Attack {
    unknowns: Vec<String>,
    /// What each unknown is said to be at least and at most ("fewer than 5": 1 to 4).
    limits: Vec<(f64, f64)>,
    /// Each: terms that add up to nought (a sum less its total).
    sums: Vec<Vec<(f64, Term)>>,
    /// A figure read in two places, by what it is.
    seen: BTreeMap<String, Term>,
}

impl Attack {
    /// The figure as shown ("c" or a number, "no" as nought), read at `place`.
    fn read(&mut self, shown: &str, place: &str) -> Term {
        let s = shown.trim();
        let limits = if s == "c" {
            Some((0.0, 1e5))
        } else {
            s.strip_prefix("fewer than ").map(|n| (1.0, n.parse::<f64>().expect("a threshold") - 1.0))
        };
        if let Some(limits) = limits {
            self.unknowns.push(place.to_string());
            self.limits.push(limits);
            return Term::Unknown(self.unknowns.len() - 1);
        }
        if s == "no" {
            return Term::Known(0.0);
        }
        Term::Known(s.replace([',', '£', '%'], "").parse().unwrap_or_else(|_| panic!("{place}: {shown:?}")))
    }

    /// A figure that is `what` (a setting's children, say): the same figure read elsewhere
    /// must be the same.
    fn same(&mut self, what: &str, t: Term) {
        match self.seen.get(what) {
            Some(&first) => self.sums.push(vec![(1.0, first), (-1.0, t)]),
            None => {
                self.seen.insert(what.to_string(), t);
            }
        }
    }

    fn sum(&mut self, parts: &[Term], total: Term) {
        let mut terms: Vec<(f64, Term)> = parts.iter().map(|&p| (1.0, p)).collect();
        terms.push((-1.0, total));
        self.sums.push(terms);
    }

    /// The least and the most each unknown could be. Counts are first taken as exact (the
    /// attack on whole children); where they cannot all be (counts of forecast children,
    /// rounded, need not add up), each figure shown as within half a child of what it is.
    fn ranges(&self) -> Vec<(f64, f64)> {
        // Sums of known figures only say nothing of the unknowns: left out.
        let sums: Vec<&Vec<(f64, Term)>> =
            self.sums.iter().filter(|s| s.iter().any(|(_, t)| matches!(t, Term::Unknown(_)))).collect();
        let solve = |target: usize, sign: f64, rounding: f64| {
            let mut vars = variables!();
            let x: Vec<Variable> = self.unknowns.iter().map(|_| vars.add(variable().min(0.0).max(1e5))).collect();
            let objective: Expression = sign * x[target];
            let mut model = vars.minimise(objective).using(microlp);
            for s in &sums {
                let mut e = Expression::from(0.0);
                let mut known = 0.0;
                for &(k, t) in s.iter() {
                    match t {
                        Term::Known(v) => {
                            e += k * v;
                            known += 1.0;
                        }
                        Term::Unknown(u) => e += k * x[u],
                    }
                }
                if rounding == 0.0 {
                    model = model.with(e.eq(0.0));
                } else {
                    model = model.with(e.clone().leq(rounding * known)).with(e.geq(-rounding * known));
                }
            }
            model.solve().ok().map(|solution| solution.value(x[target]))
        };
        let rounding = if self.unknowns.is_empty() || solve(0, 1.0, 0.0).is_some() { 0.0 } else { 0.5 };
        (0..self.unknowns.len())
            .map(|target| {
                let bound = |sign: f64| {
                    solve(target, sign, rounding).unwrap_or_else(|| panic!("the published figures disagree"))
                };
                (bound(1.0), bound(-1.0))
            })
            .collect()
    }
}

/// Rows of a table's CSV (headings first).
fn children_columns(grid: &[Vec<String>]) -> Vec<usize> {
    (0..grid[0].len()).filter(|&c| grid[0][c].ends_with("(children)")).collect()
}

/// The sums within a row an outsider reads off the headings: (the total's column, its parts'
/// columns). A column headed "All ..." adds up every other count column but those of growth
/// and of forecast ranges; a row of children needing a place is split into those placed in
/// and out of the borough and those with no place; children placed out of the borough, into
/// the reasons.
fn row_sums(headings: &[String], columns: &[usize]) -> Vec<(usize, Vec<usize>)> {
    let at = |name: &str| headings.iter().position(|h| h == name);
    let mut sums = Vec::new();
    if let Some(all) = columns.iter().copied().find(|&c| headings[c].starts_with("All ")) {
        let parts: Vec<usize> = columns
            .iter()
            .copied()
            .filter(|&c| c != all && !headings[c].starts_with("Lowest") && !headings[c].starts_with("Highest"))
            .collect();
        sums.push((all, parts));
    }
    let splits: [(&str, &[&str]); 2] = [
        (
            "Children needing a place (children)",
            &["Placed in borough (children)", "Placed out of borough (children)", "No place available (children)"],
        ),
        (
            "Placed out of borough (children)",
            &[
                "Because local places are full (children)",
                "No suitable setting in borough (children)",
                "A suitable local place was free (children)",
            ],
        ),
    ];
    for (total, parts) in splits {
        let parts: Option<Vec<usize>> = parts.iter().map(|p| at(p)).collect();
        if let (Some(total), Some(parts)) = (at(total), parts) {
            sums.push((total, parts));
        }
    }
    sums
}

/// The annex in `case`'s out/ attacked: every withheld figure's range, with its place.
fn attack(case: &Case) -> Vec<(String, f64, f64)> {
    check_formats_agree(case);
    let mut a = Attack::default();
    let mut tables = BTreeMap::new();
    for id in table_ids(case) {
        let grid = csv_grid(case, &id);
        let columns = children_columns(&grid);
        let labels = grid[0].len() - grid[0].iter().filter(|h| h.ends_with(')')).count();
        let mut terms: Vec<Vec<Option<Term>>> = Vec::new();
        for (r, row) in grid.iter().enumerate().skip(1) {
            terms.push(
                (0..row.len())
                    .map(|c| {
                        columns
                            .contains(&c)
                            .then(|| a.read(&row[c], &format!("{id} row {r} {:?}", &row[..labels.max(1)])))
                    })
                    .collect(),
            );
        }
        // The rows add up to the last when it is the "All" row (rows of subtotals left out).
        let is_all = |row: &Vec<String>| row[..labels.max(1)].iter().all(|l| l.starts_with("All") || l.is_empty());
        if grid.len() > 2 && is_all(&grid[grid.len() - 1]) {
            for &c in &columns {
                let body: Vec<Term> = (1..grid.len() - 1)
                    .filter(|&r| !grid[r][..labels.max(1)].iter().any(|l| l.starts_with("All")))
                    .filter_map(|r| terms[r - 1][c])
                    .collect();
                if let Some(total) = terms[grid.len() - 2][c] {
                    a.sum(&body, total);
                }
            }
        }
        // Within each row: a column headed "All ..." adds up the row's other counts, and the
        // columns a table splits a count into add up to it.
        for row_terms in &terms {
            for (total, parts) in row_sums(&grid[0], &columns) {
                let parts: Option<Vec<Term>> = parts.iter().map(|&c| row_terms[c]).collect();
                if let (Some(parts), Some(total)) = (parts, row_terms[total]) {
                    a.sum(&parts, total);
                }
            }
        }
        tables.insert(id, (grid, terms));
    }
    // The settings table and the places required by area name the figures the maps show.
    let mut inside = Vec::new();
    let mut outside = Vec::new();
    if let Some((grid, terms)) = tables.get("settings") {
        let c = grid[0].iter().position(|h| h == "Children placed (children)").expect("children column");
        let b = grid[0].iter().position(|h| h == "In the borough").expect("in the borough");
        for r in 1..grid.len() {
            let t = terms[r - 1][c].expect("a count");
            a.same(&format!("setting {}", grid[r][0]), t);
            if grid[r][b] == "yes" { inside.push(t) } else { outside.push(t) }
        }
    }
    if let Some((grid, terms)) = tables.get("places-required-by-area") {
        for r in 1..grid.len() - 1 {
            let t = terms[r - 1][1].expect("a count");
            a.same(&format!("required {}", grid[r][0]), t);
        }
    }
    let html = std::fs::read_to_string(case.path("out/annex.html")).expect("html");
    let mut flows = Vec::new();
    for piece in html.split("<title>").skip(1) {
        let title = unescape_html(&piece[..piece.find("</title>").expect("title ends")]);
        // "36 children placed", "c children", "fewer than 5 children".
        let count = |s: &str| {
            if s.starts_with("fewer than ") {
                s.split(' ').take(3).collect::<Vec<_>>().join(" ")
            } else {
                s.split(' ').next().unwrap_or_default().to_string()
            }
        };
        if let Some((name, rest)) = title.rsplit_once("): ") {
            // A setting: "Name (kind): 40 places; 36 children placed" or "Name (kind): 36 children placed".
            let name = name.rsplit_once(" (").map_or(name, |(n, _)| n);
            let placed = rest.rsplit_once("; ").map_or(rest, |(_, p)| p);
            if placed.ends_with("placed") {
                let t = a.read(&count(placed), &format!("map label of {name}"));
                a.same(&format!("setting {name}"), t);
            }
        } else if let Some((from, rest)) = title.split_once(": ") {
            if let Some(n) = rest.strip_suffix(" places required") {
                let n = if n == "no" { "0" } else { n };
                let t = a.read(n, &format!("map label of {from}"));
                a.same(&format!("required {from}"), t);
            } else if from.contains(" to ") && (rest.ends_with("children") || rest.ends_with("child")) {
                flows.push(a.read(&count(rest), &format!("map flow {from}")));
            }
        }
    }
    // The captions' totals.
    let after = |text: &str, marker: &str| -> Option<String> {
        let i = text.find(marker)?;
        Some(text[..i].rsplit([' ', '(']).next()?.to_string())
    };
    if let Some(i) = html.find("Lines show the ").or_else(|| html.find("The line shows the ")) {
        let caption = unescape_html(&html[i..i + html[i..].find("</").expect("caption ends")]);
        let drawn = caption.find("home (").map(|k| caption[k + 6..].split(' ').next().unwrap_or_default().to_string());
        let mut parts = Vec::new();
        if let Some(d) = drawn {
            let d = a.read(&d, "flows drawn");
            a.sum(&flows, d);
            parts.push(d);
        }
        for marker in [" children to a setting within", " children.", " child."] {
            if let Some(n) = after(&caption, marker) {
                parts.push(a.read(&n, &format!("flows not drawn ({marker})")));
            }
        }
        let mut terms: Vec<(f64, Term)> = parts.iter().map(|&p| (1.0, p)).collect();
        terms.extend(inside.iter().map(|&t| (-1.0, t)));
        a.sums.push(terms);
    }
    if let Some(i) = html.find(" placed outside the borough in ") {
        let start = html[..i].rfind('>').expect("caption starts") + 1;
        let caption = unescape_html(&html[start..i + html[i..].find("</").expect("caption ends")]);
        if let Some(away) = caption.split(' ').next().filter(|w| *w != "No") {
            let away = a.read(away, "children placed outside the borough");
            let named = after(&caption, " children at the ").or_else(|| after(&caption, " child at the "));
            if let Some(named) = named {
                let named = a.read(&named, "children at the settings drawn");
                a.sum(&outside, named);
                let market = after(&caption, " children through the independent market")
                    .or_else(|| after(&caption, " child through the independent market"));
                let mut parts = vec![named];
                if let Some(m) = market {
                    parts.push(a.read(&m, "children through the market"));
                }
                a.sum(&parts, away);
            }
        }
    }
    let ranges = a.ranges();
    a.unknowns.iter().zip(ranges).map(|(place, (lo, hi))| (place.clone(), lo, hi)).collect()
}

/// Runs the annex of `model` and attacks it: no withheld figure pinned to a range narrower
/// than `width`.
fn assert_safe(case: &Case, model: &str, width: f64) -> usize {
    let o = case.run(&["annex", model, "--out", "out", "--draws", FEW_FUTURES]);
    assert!(o.status.success(), "{}", stderr(&o));
    let found = attack(case);
    let pinned: Vec<String> = found
        .iter()
        .filter(|(_, lo, hi)| hi - lo < width - 1e-6)
        .map(|(place, lo, hi)| format!("{place}: {lo:.2} to {hi:.2}"))
        .collect();
    assert!(pinned.is_empty(), "{model}: withheld figures worked out from what is published:\n{}", pinned.join("\n"));
    found.len()
}

#[test]
fn no_withheld_figure_of_the_samples_can_be_worked_out_from_everything_published() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for model in ["models/cheshire-east.toml", "models/cheshire-east-horizon.toml"] {
        let case = Case::fixture("tiny");
        let withheld = assert_safe(&case, root.join(model).to_str().expect("path"), 5.0);
        assert!(withheld > 0, "{model}: the attack has withheld figures to work on");
    }
}

/// Generated models: seed, localities, settings, years (few, so the test stays quick).
const RANDOM: [(u32, &str, &str, &str); 6] = [
    (3, "8", "14", "1"),
    (8, "8", "14", "1"),
    (11, "12", "20", "2"),
    (19, "6", "10", "2"),
    (23, "10", "16", "1"),
    (31, "14", "24", "1"),
];

#[test]
fn no_withheld_figure_of_random_models_can_be_worked_out_from_everything_published() {
    let mut withheld = 0;
    for (seed, localities, settings, years) in RANDOM {
        let case = Case::fixture("tiny");
        let seed = seed.to_string();
        let o = case.run(&[
            "generate",
            "--localities",
            localities,
            "--settings",
            settings,
            "--years",
            years,
            "--seed",
            &seed,
            "--out",
            "g",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        withheld += assert_safe(&case, "g/model.toml", 5.0);
    }
    assert!(withheld > 0, "the random models have withheld figures to attack");
}

#[test]
fn the_sums_within_a_row_are_read_off_the_headings() {
    let headings: Vec<String> = [
        "Primary need",
        "Phase",
        "Children needing a place (children)",
        "Placed in borough (children)",
        "Placed out of borough (children)",
        "No place available (children)",
        "Additional places required (children)",
    ]
    .map(String::from)
    .to_vec();
    let columns = children_columns(std::slice::from_ref(&headings));
    assert_eq!(row_sums(&headings, &columns), vec![(2, vec![3, 4, 5])]);
    let headings: Vec<String> = [
        "Primary need",
        "2025/26 (children)",
        "2029/30 (children)",
        "Lowest forecast, 2029/30 (children)",
        "Highest forecast, 2029/30 (children)",
        "All years (children)",
    ]
    .map(String::from)
    .to_vec();
    let columns = children_columns(std::slice::from_ref(&headings));
    assert_eq!(row_sums(&headings, &columns), vec![(5, vec![1, 2])]);
}
