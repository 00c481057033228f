//! CSV: the summary and each table, as spreadsheets read them. Text from input files is
//! neutralised so a cell cannot start a formula.

use super::{Tables, text::summary_lines};

/// Text from an input file, safe in a spreadsheet: a cell beginning with `=`, `+`, `-`, `@`,
/// tab or carriage return is prefixed with `'` so it is shown, not evaluated.
#[must_use]
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() }
}

/// A cell as written: a number (`-2.5`, or money as the reports format it, `-£4,899,327`,
/// read as the input tables read numbers) or a lone `-` as it is; any other text without
/// control characters and neutralised ([`safe_cell`]), so that no cell of any CSV the tool
/// writes, headers included, can start a formula.
fn csv_cell(text: &str) -> String {
    if text == "-" || crate::model::input::table::read_number(text).is_ok() {
        return text.to_string();
    }
    safe_cell(&crate::outputs::files::without_control_characters(text))
}

fn number(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() { s[1..].to_string() } else { s }
}

fn yes_no(b: bool) -> String {
    if b { "yes".into() } else { "no".into() }
}

/// A table's header and cells, ready to write as CSV.
pub struct CsvTable {
    /// Column names.
    pub headers: Vec<String>,
    /// Cells, row by row.
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    fn new(headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> CsvTable {
        CsvTable { headers: headers.iter().map(|h| (*h).to_string()).collect(), rows: rows.collect() }
    }

    /// The table as CSV text.
    #[must_use]
    pub fn text(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail. Every cell is made safe here, whatever its source.
        let _ = w.write_record(self.headers.iter().map(|h| csv_cell(h)));
        for row in &self.rows {
            let _ = w.write_record(row.iter().map(|c| csv_cell(c)));
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// One table of several years' tables, with a `year` column first.
    #[must_use]
    pub fn by_year(years: Vec<(String, CsvTable)>) -> CsvTable {
        let mut headers = vec!["year".to_string()];
        let mut rows = Vec::new();
        for (i, (year, table)) in years.into_iter().enumerate() {
            if i == 0 {
                headers.extend(table.headers);
            }
            rows.extend(table.rows.into_iter().map(|r| std::iter::once(year.clone()).chain(r).collect()));
        }
        CsvTable { headers, rows }
    }
}

/// `summary.csv`: figure, value, unit.
#[must_use]
pub fn summary_table(tables: &Tables) -> CsvTable {
    let s = &tables.summary;
    let mut values = vec![
        s.children,
        s.placed_in_borough,
        s.placed_out_of_borough,
        s.placed_independent,
        s.unmet,
        s.placement_cost.pounds(),
        s.transport_cost.pounds(),
        s.annual_cost().pounds(),
        s.out_of_borough_weight.pounds(),
        s.unmet_penalty.pounds(),
        s.mean_journey_minutes,
        s.mean_journey_km,
        s.worst_journey_minutes,
    ];
    if let Some(specialist) = s.specialist_children {
        values.insert(1, specialist);
    }
    let lines = summary_lines(tables);
    CsvTable::new(
        &["figure", "value", "unit"],
        lines.into_iter().zip(values).map(|((name, _, unit), v)| {
            vec![
                name.trim().to_string(),
                number(v, 2),
                if unit == "a year" { "£ a year".to_string() } else { unit.to_string() },
            ]
        }),
    )
}

/// `placements.csv`.
#[must_use]
pub fn placements_table(tables: &Tables) -> CsvTable {
    CsvTable::new(
        &[
            "locality",
            "locality_name",
            "need",
            "phase",
            "provision",
            "setting",
            "setting_name",
            "kind",
            "in_borough",
            "residence",
            "children",
            "staying",
            "journey_minutes",
            "journey_km",
            "cost_per_place",
            "transport_per_child",
            "annual_cost",
        ],
        tables.placements.iter().map(|p| {
            vec![
                safe_cell(&p.locality),
                safe_cell(&p.locality_name),
                safe_cell(&p.need),
                safe_cell(&p.phase),
                p.provision.to_string(),
                safe_cell(&p.setting),
                safe_cell(&p.setting_name),
                p.kind.to_string(),
                yes_no(p.in_borough),
                p.residence.unwrap_or_default().to_string(),
                number(p.children, 3),
                number(p.staying, 3),
                number(p.journey_minutes, 1),
                number(p.journey_km, 1),
                number(p.cost_per_place, 2),
                number(p.transport_per_child, 2),
                number(p.annual_cost, 2),
            ]
        }),
    )
}

/// `setting_use.csv`.
#[must_use]
pub fn setting_use_table(tables: &Tables) -> CsvTable {
    CsvTable::new(
        &["setting", "setting_name", "kind", "in_borough", "need", "places", "used", "free"],
        tables.setting_use.iter().map(|u| {
            vec![
                safe_cell(&u.setting),
                safe_cell(&u.setting_name),
                u.kind.to_string(),
                yes_no(u.in_borough),
                safe_cell(&u.need),
                u.places.map_or(String::new(), |p| number(p, 3)),
                number(u.used, 3),
                u.free.map_or(String::new(), |f| number(f, 3)),
            ]
        }),
    )
}

/// `gaps.csv`.
#[must_use]
pub fn gaps_table(tables: &Tables) -> CsvTable {
    CsvTable::new(
        &["need", "phase", "locality", "locality_name", "provision", "forecast", "placed", "unmet", "reason"],
        tables.gaps.iter().map(|g| {
            vec![
                safe_cell(&g.need),
                safe_cell(&g.phase),
                safe_cell(&g.locality),
                safe_cell(&g.locality_name),
                g.provision.to_string(),
                number(g.forecast, 3),
                number(g.placed, 3),
                number(g.unmet, 3),
                g.reason.clone(),
            ]
        }),
    )
}

/// `placement_reasons.csv`: why each demand row is placed where it is.
#[must_use]
pub fn placement_reasons_table(tables: &Tables) -> CsvTable {
    let money = |v: Option<f64>| v.map_or(String::new(), |v| number(v, 2));
    CsvTable::new(
        &[
            "need",
            "phase",
            "locality",
            "locality_name",
            "provision",
            "children",
            "setting",
            "setting_name",
            "setting_children",
            "other_settings",
            "placed_out_of_borough",
            "unmet",
            "next_best_setting",
            "next_best_setting_name",
            "next_best_in_borough",
            "extra_cost",
            "extra_policy_weight",
            "out_of_borough_reason",
        ],
        tables.placement_reasons.iter().map(|l| {
            vec![
                safe_cell(&l.need),
                safe_cell(&l.phase),
                safe_cell(&l.locality),
                safe_cell(&l.locality_name),
                l.provision.to_string(),
                number(l.children, 3),
                l.setting.as_deref().map_or(String::new(), safe_cell),
                l.setting_name.as_deref().map_or(String::new(), safe_cell),
                number(l.setting_children, 3),
                l.other_settings.to_string(),
                number(l.placed_out_of_borough, 3),
                number(l.unmet, 3),
                l.next_best_setting.as_deref().map_or(String::new(), safe_cell),
                l.next_best_setting_name.as_deref().map_or(String::new(), safe_cell),
                l.next_best_in_borough.map_or(String::new(), yes_no),
                money(l.extra_cost),
                money(l.extra_policy_weight),
                l.out_of_borough_reason.unwrap_or_default().to_string(),
            ]
        }),
    )
}

/// `summary.csv`.
#[must_use]
pub fn summary(tables: &Tables) -> String {
    summary_table(tables).text()
}

/// `placements.csv`.
#[must_use]
pub fn placements(tables: &Tables) -> String {
    placements_table(tables).text()
}

/// `setting_use.csv`.
#[must_use]
pub fn setting_use(tables: &Tables) -> String {
    setting_use_table(tables).text()
}

/// `gaps.csv`.
#[must_use]
pub fn gaps(tables: &Tables) -> String {
    gaps_table(tables).text()
}

/// `placement_reasons.csv`.
#[must_use]
pub fn placement_reasons(tables: &Tables) -> String {
    placement_reasons_table(tables).text()
}

/// Every table one after another, each headed by a `# name` line, for standard output.
#[must_use]
pub fn all(tables: &Tables) -> String {
    let mut out = String::new();
    for (name, body) in [
        ("summary", summary(tables)),
        ("placements", placements(tables)),
        ("setting_use", setting_use(tables)),
        ("gaps", gaps(tables)),
    ] {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("# {name}\n"));
        out.push_str(&body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn every_cell_and_header_of_every_table_is_made_safe() {
        // A scenario name reaches compare.csv's header; names may carry escape codes.
        let t = CsvTable {
            headers: vec!["figure".into(), "=HYPERLINK(\"http://evil\",\"x\")".into()],
            rows: vec![vec!["Oak\u{1b}[2J School".into(), "-2.5".into()], vec!["-".into(), "@x".into()]],
        };
        assert_eq!(t.text(), "figure,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"\nOak?[2J School,-2.5\n-,'@x\n");
    }

    #[rstest]
    #[case("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")")]
    #[case("+1", "'+1")]
    #[case("-1", "'-1")]
    #[case("@SUM(A1)", "'@SUM(A1)")]
    #[case("Oak School", "Oak School")]
    fn formula_cells_are_neutralised(#[case] text: &str, #[case] safe: &str) {
        assert_eq!(safe_cell(text), safe);
    }

    /// A plan of 3 children needing supported mainstream and 4 a specialist place.
    fn tables(mainstream: f64) -> Tables {
        use crate::model::Provision;
        let mut b = crate::testing::ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("ms", "mainstream", 53.01, -2.0, true, 10.0, "primary", "ASD", 8_000.0)
            .setting("sp", "maintained-special", 53.01, -2.0, true, 10.0, "primary", "ASD", 20_000.0)
            .demand("home", "ASD", "primary", 4.0, Provision::ResourcedProvision);
        if mainstream > 0.0 {
            b = b.demand("home", "ASD", "primary", mainstream, Provision::Mainstream);
        }
        let run = crate::optimise::run::run(b.build(), crate::optimise::solve::Solver::Network).unwrap();
        Tables::new(&run)
    }

    #[test]
    fn a_model_of_every_plan_says_how_many_need_a_specialist_place() {
        let every = summary(&tables(3.0));
        let lines: Vec<&str> = every.lines().take(3).collect();
        assert_eq!(
            lines,
            [
                "figure,value,unit",
                "Forecast children with an EHC plan,7.00,children",
                "of whom needing a specialist place,4.00,children"
            ]
        );
        assert!(every.contains("\nPlaced in borough,7.00,children\n"), "{every}");
        let text = crate::outputs::report::text::summary_lines(&tables(3.0));
        assert_eq!(text[1], ("  of whom needing a specialist place".to_string(), "4.0".to_string(), "children"));
        // Only children needing a specialist place: as before, one line.
        let specialist = summary(&tables(0.0));
        assert!(
            specialist.starts_with(
                "figure,value,unit\nForecast children needing a specialist place,4.00,children\nPlaced in borough,4.00,"
            ),
            "{specialist}"
        );
        assert!(!specialist.contains("of whom"));
        let json = crate::outputs::report::json::all(&tables(0.0));
        assert!(!json.contains("specialist_children"));
        assert!(crate::outputs::report::json::all(&tables(3.0)).contains("\"specialist_children\": 4.0"));
    }

    #[test]
    fn negative_zero_is_written_as_zero() {
        assert_eq!(number(-0.0001, 2), "0.00");
        assert_eq!(number(-1.5, 1), "-1.5");
    }
}
