//! The sufficiency statement annex: the evidence a council publishes (need now and
//! forecast, places, where places fall short, placements, schemes and commissioning, method)
//! as tables, charts and a map, from one run.
//!
//! [`Annex::build`] gathers every table once, with its counts of children in one
//! [`disclosure::Counts`] pool so small counts of pupils are withheld the same way everywhere
//! (forecasts, places and money are rounded, not withheld): the maps' labels and the
//! captions' totals are cells of the same pool, and every count printed is a
//! [`disclosure::Published`] one, which only the one decision ([`disclosure::Decided`]) makes; one writer per format then turns
//! the same tables into [`html`] (one self-contained page), [`xlsx`] (a worksheet a table),
//! [`markdown`] and CSV ([`Annex::csv_files`]). Numbers are rounded once, here, to what every
//! format shows ([`Unit::round`]).

mod content;
pub use content::places_required_by_locality;
pub mod disclosure;
pub mod html;
mod map;
pub mod markdown;
mod svg;
pub mod xlsx;

use crate::outputs::report::csv::{CsvTable, safe_cell};

pub use content::{Band, CommissioningPart, Inputs, RiskPart, SchemesPart};

/// What a column holds, for headings and number formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Words.
    Text,
    /// Children (rounded to whole children).
    Children,
    /// Places (whole places).
    Places,
    /// Pounds, to the nearest £1,000 (sums of money: spend, cost, capital, savings).
    Pounds,
    /// Pounds, to the nearest £100 (an amount a child or a place).
    PoundsEach,
    /// Minutes (one decimal).
    Minutes,
    /// Per cent, as 12.5 for 12.5% (one decimal).
    Percent,
    /// Years (one decimal).
    Years,
}

impl Unit {
    /// Decimal places shown.
    #[must_use]
    pub fn decimals(self) -> usize {
        match self {
            Unit::Minutes | Unit::Percent | Unit::Years => 1,
            _ => 0,
        }
    }

    /// What a value is rounded to: 1,000 for pounds, 100 for pounds a child or place, else
    /// one unit of the last decimal shown (1 or 0.1).
    #[must_use]
    pub fn step(self) -> f64 {
        match self {
            Unit::Pounds => 1000.0,
            Unit::PoundsEach => 100.0,
            u => 10f64.powi(-(u.decimals() as i32)),
        }
    }

    /// A value rounded as this unit shows it (halves away from zero).
    #[must_use]
    pub fn round(self, v: f64) -> f64 {
        let step = self.step();
        // Solver round-off (1e-9) must not decide which way a half rounds.
        let v = (v * 1e6).round() / 1e6;
        let r = if step > 1.0 {
            (v / step).round() * step
        } else {
            let scale = 10f64.powi(self.decimals() as i32);
            (v * scale).round() / scale
        };
        if r == 0.0 { 0.0 } else { r }
    }

    /// The unit as written after a heading, e.g. "(£)".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Unit::Text => "",
            Unit::Children => "children",
            Unit::Places => "places",
            Unit::Pounds | Unit::PoundsEach => "£",
            Unit::Minutes => "minutes",
            Unit::Percent => "%",
            Unit::Years => "years",
        }
    }

    /// A number as people read it: 1,234; £1,234; 12.5%; 32.0.
    #[must_use]
    pub fn format(self, v: f64) -> String {
        let digits = format!("{:.*}", self.decimals(), v.abs());
        let (whole, fraction) = digits.split_once('.').map_or((digits.as_str(), ""), |(w, f)| (w, f));
        let mut grouped = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        if !fraction.is_empty() {
            grouped = format!("{grouped}.{fraction}");
        }
        let sign = if v < 0.0 && self.round(v) != 0.0 { "-" } else { "" };
        match self {
            Unit::Pounds | Unit::PoundsEach => format!("{sign}£{grouped}"),
            Unit::Percent => format!("{sign}{grouped}%"),
            _ => format!("{sign}{grouped}"),
        }
    }
}

/// A column: its heading and unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Heading, without the unit.
    pub heading: String,
    /// What it holds.
    pub unit: Unit,
}

impl Column {
    fn new(heading: impl Into<String>, unit: Unit) -> Column {
        Column { heading: heading.into(), unit }
    }

    /// Heading with its unit, e.g. "Cost of places (£)".
    #[must_use]
    pub fn heading_with_unit(&self) -> String {
        match self.unit {
            Unit::Text => self.heading.clone(),
            u => format!("{} ({})", self.heading, u.label()),
        }
    }
}

/// A published cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Words (from input files: escaped by every writer).
    Text(String),
    /// A number, already rounded as its column shows it.
    Number(f64),
    /// A count withheld by disclosure control, or a figure that would give one away.
    Withheld,
    /// Nothing to show.
    Blank,
}

/// The mark shown for a withheld cell (as in DfE and ONS statistics).
pub const WITHHELD: &str = "c";

/// One table of the annex.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File name stem and anchor: `need-by-phase`.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it shows and how to read it.
    pub note: String,
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows of cells, one a column.
    pub rows: Vec<Vec<Value>>,
    /// How many rows at the end are totals.
    pub totals: usize,
}

impl Table {
    /// A cell as text, as the HTML and Markdown show it.
    #[must_use]
    pub fn shown(&self, column: usize, value: &Value) -> String {
        match value {
            Value::Text(t) => t.clone(),
            Value::Number(v) => self.columns[column].unit.format(*v),
            Value::Withheld => WITHHELD.to_string(),
            Value::Blank => String::new(),
        }
    }

    /// The table as CSV: headings with units, plain numbers, text made safe for
    /// spreadsheets.
    #[must_use]
    pub fn csv(&self) -> CsvTable {
        CsvTable {
            headers: self.columns.iter().map(Column::heading_with_unit).collect(),
            rows: self
                .rows
                .iter()
                .map(|row| {
                    row.iter()
                        .zip(&self.columns)
                        .map(|(v, c)| match v {
                            Value::Text(t) => safe_cell(t),
                            Value::Number(n) => format!("{:.*}", c.unit.decimals(), n),
                            Value::Withheld => WITHHELD.to_string(),
                            Value::Blank => String::new(),
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// A chart or map, drawn as inline SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it shows, in words (also the SVG's description for screen readers).
    pub caption: String,
    /// The drawing and its figures.
    pub svg: Drawing,
}

/// A figure's drawing as the templates of svg.rs and map/ made it, every text escaped there:
/// the SVG element, and the table of the figures it draws, folded in `<details>` (empty for
/// a map whose figures are tables of their own).
#[derive(Debug, Clone)]
pub struct Drawing {
    /// The SVG element.
    pub picture: maud::Markup,
    /// The table of its figures.
    pub figures: maud::Markup,
}

impl PartialEq for Drawing {
    fn eq(&self, other: &Drawing) -> bool {
        self.picture.0 == other.picture.0 && self.figures.0 == other.figures.0
    }
}

impl Drawing {
    /// The drawing and its table as one text (for tests that look for what was drawn).
    #[must_use]
    pub fn to_text(&self) -> String {
        format!("{}{}", self.picture.0, self.figures.0)
    }
}

/// A part of a section, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A paragraph of text.
    Paragraph(String),
    /// Text written in Markdown (the council's commentary, lists and links), rendered by
    /// [`markdown::to_html`] with any raw HTML in it escaped.
    Markdown(String),
    /// A table.
    Table(Table),
    /// A chart or map.
    Figure(Figure),
}

/// A section of the annex.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Anchor.
    pub id: String,
    /// Heading.
    pub heading: String,
    /// Paragraphs, tables and figures.
    pub items: Vec<Item>,
}

/// How the annex was protected before publication.
#[derive(Debug, Clone, PartialEq)]
pub enum Disclosure {
    /// Small needs and phases grouped; counts of pupils in the base year from 1 to
    /// `threshold` less one withheld, with as many others as protect them; every other figure
    /// rounded.
    Controlled {
        /// The threshold.
        threshold: f64,
        /// The base year, whose counts are of children with plans now (real pupils).
        base_year: String,
        /// Counts withheld: small counts of pupils themselves.
        primary: usize,
        /// Counts withheld so small counts cannot be worked out from totals.
        secondary: usize,
        /// The model's need-and-phase cells in a year (needs × phases).
        cells: usize,
        /// Of those, the ones published within a group with others.
        grouped: usize,
        /// The need-and-phase cells a year as published (need groups × phase groups).
        groups: usize,
        /// Figures published rounded, not withheld: forecasts, places and money.
        rounded: usize,
    },
    /// Every count shown, every need and phase on its own: for internal use only.
    Off,
}

impl Disclosure {
    /// One line near the top of the page pointing to the method appendix's plain account
    /// (or, with control off, the warning itself).
    #[must_use]
    pub fn pointer(&self) -> String {
        match self {
            Disclosure::Controlled { .. } => format!(
                "To protect children's privacy, some small numbers are not shown and appear as '{WITHHELD}': \
                 \"Protecting children's privacy\" in the method appendix says how."
            ),
            Disclosure::Off => self.statement(),
        }
    }

    /// One paragraph for the page and every file.
    #[must_use]
    pub fn statement(&self) -> String {
        match self {
            Disclosure::Controlled { threshold, base_year, primary, secondary, cells, grouped, groups, rounded } => {
                let grouping = if *grouped == 0 {
                    "no need or phase is small enough to need grouping".to_string()
                } else {
                    format!(
                        "small needs and phases are published in groups first ({grouped} of the model's {cells} \
                         need-and-phase cells a year are published within groups, as {groups} cells)"
                    )
                };
                let withholding = if *threshold <= 1.0 {
                    "a threshold of 1 withholds no count".to_string()
                } else {
                    format!(
                        "counts of 1 to {} pupils (children with plans in {base_year}, the base year) are withheld \
                         and shown as '{WITHHELD}', in the tables, charts, maps and captions alike, with other counts \
                         withheld so that none can be worked out from everything published: from all the figures and \
                         totals shown, each withheld count could be anywhere in a range at least {} children wide \
                         ({primary} withheld as small, {secondary} to protect them)",
                        threshold - 1.0,
                        disclosure::protection_width(*threshold)
                    )
                };
                format!(
                    "Disclosure control: {grouping}; {withholding}. Forecasts, places and money are not counts of \
                     pupils: they are rounded, never withheld ({} figures).",
                    Unit::Children.format(*rounded as f64)
                )
            }
            Disclosure::Off => "FOR INTERNAL USE ONLY: disclosure control is off; small counts of children are \
                                shown and this annex must not be published."
                .to_string(),
        }
    }
}

/// The whole annex.
#[derive(Debug, Clone, PartialEq)]
pub struct Annex {
    /// Title, with the council's name: "Cheshire East: SEND sufficiency statement, annex of
    /// evidence".
    pub title: String,
    /// The council publishing it (`[annex] council`, else the model's name).
    pub council: String,
    /// The scenario planned: the model's name.
    pub scenario: String,
    /// The model's description.
    pub description: String,
    /// Years covered, e.g. "2025/26 to 2029/30".
    pub years: String,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Disclosure control applied.
    pub disclosure: Disclosure,
    /// When it was made, e.g. 2026-11-25 (also the workbook's creation date, so the same
    /// run on the same date gives the same bytes).
    pub produced: String,
}

impl Annex {
    /// The line under the title: the scenario (when it is not the council's own name) and
    /// the years.
    #[must_use]
    pub fn subtitle(&self) -> String {
        if self.scenario == self.council || self.scenario.is_empty() {
            self.years.clone()
        } else {
            format!("Scenario: {}. {}", self.scenario, self.years)
        }
    }

    /// Every table, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sections.iter().flat_map(|s| &s.items).filter_map(|i| match i {
            Item::Table(t) => Some(t),
            _ => None,
        })
    }

    /// Every figure, in order.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.sections.iter().flat_map(|s| &s.items).filter_map(|i| match i {
            Item::Figure(f) => Some(f),
            _ => None,
        })
    }

    /// One CSV file a table: (file name, text).
    #[must_use]
    pub fn csv_files(&self) -> Vec<(String, String)> {
        self.tables().map(|t| (format!("{}.csv", t.id), t.csv().text())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_people_read_them() {
        assert_eq!(Unit::Pounds.format(1_234_567.4), "£1,234,567");
        assert_eq!(Unit::Pounds.format(-1_234.0), "-£1,234");
        assert_eq!(Unit::Children.format(999.0), "999");
        assert_eq!(Unit::Children.format(1000.0), "1,000");
        assert_eq!(Unit::Percent.format(12.345), "12.3%");
        assert_eq!(Unit::Minutes.format(-0.01), "0.0");
        assert_eq!(Unit::Children.round(-0.4), 0.0);
        assert_eq!(Unit::Years.round(2.46), 2.5);
        assert_eq!(Unit::Percent.round(46.449_999_999_9), 46.5, "solver round-off does not decide a half");
        assert_eq!(Unit::Minutes.round(22.35), 22.4);
        // Money to the nearest £1,000, an amount a child or place to the nearest £100.
        assert_eq!(Unit::Pounds.round(83_232_020.0), 83_232_000.0);
        assert_eq!(Unit::Pounds.round(-4_740_500.0), -4_741_000.0);
        assert_eq!(Unit::Pounds.round(499.9), 0.0);
        assert_eq!(Unit::PoundsEach.round(54_676.0), 54_700.0);
        assert_eq!(Unit::PoundsEach.format(Unit::PoundsEach.round(69_444.4)), "£69,400");
    }

    #[test]
    fn csv_cells_from_input_files_cannot_start_a_formula() {
        let t = Table {
            id: "t".into(),
            title: "T".into(),
            note: String::new(),
            columns: vec![Column::new("Setting", Unit::Text), Column::new("Children", Unit::Children)],
            rows: vec![vec![Value::Text("=HYPERLINK(\"x\")".into()), Value::Withheld]],
            totals: 0,
        };
        assert_eq!(t.csv().text(), "Setting,Children (children)\n\"'=HYPERLINK(\"\"x\"\")\",c\n");
    }
}
