//! The high-needs block section: the Dedicated Schools Grant's high-needs block year by year
//! with and without the chosen schemes (the council's programme), and a chart of the
//! cumulative deficit. Only with a `[high_needs]` section in the model. Money, not counts:
//! nothing here goes through disclosure control.

use std::collections::BTreeMap;

use crate::model::OtherSpend;
use crate::outputs::annex::svg::{self, Bar};
use crate::outputs::annex::{Column, Figure, Table, Unit, Value};
use crate::planning::high_needs::Block;

use crate::outputs::annex::content::builder::{Builder, Part};
use crate::outputs::annex::content::draft::{Draft, number, text};
use crate::outputs::annex::content::figures::Sketch;
use crate::outputs::annex::content::inputs::SchemesPart;
use crate::outputs::annex::content::words::plain;

/// The table's id, which the chart reads.
const TABLE: &str = "high-needs-block";
/// The columns of the cumulative deficit without and with, in [`TABLE`].
const DEFICIT: (usize, usize) = (9, 10);

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn high_needs_section(&mut self, part: SchemesPart<'_>) {
        let model = self.model;
        let Some(block) = Block::of_case(model, &part.appraised.case) else { return };
        let Some(h) = &model.high_needs else { return };
        self.section("high-needs", "The high-needs budget, with and without the programme");
        let first = self.first();
        let last_of = |d: Vec<crate::model::Money>| d.last().copied().unwrap_or_default();
        let (without, with) = (last_of(block.without.cumulative_deficit()), last_of(block.with.cumulative_deficit()));
        let last = block.without.years().last().map(|y| y.year.to_string()).unwrap_or_default();
        let pounds = |m: crate::model::Money| Unit::Pounds.format(Unit::Pounds.round(m.0));
        let lines: Vec<String> = OtherSpend::ALL
            .iter()
            .zip(&h.other)
            .map(|(l, g)| {
                format!(
                    "{} {} ({}% a year)",
                    l.name().to_lowercase(),
                    pounds(g.first()),
                    plain(g.growth().rate() * 100.0)
                )
            })
            .collect();
        let change = if with.0 <= without.0 {
            format!("{} less", pounds(without - with))
        } else {
            format!("{} more", pounds(with - without))
        };
        self.add(Part::Paragraph(format!(
            "Special school places are paid for from the high-needs block of the Dedicated Schools Grant. The \
             council's grant for {first} is {} (rising {}% a year in these figures), and it brings a cumulative \
             deficit of {} into {first}. Besides the specialist places the plan decides, the block pays for {} in \
             {first}. With the chosen schemes, the cumulative deficit at the end of {last} is {}, against {} without \
             them: {change}. Home-to-school transport is paid from the council's general fund, not from the block, \
             and is not counted here.",
            pounds(h.grant.first()),
            plain(h.grant.growth().rate() * 100.0),
            pounds(block.without.brought_forward()),
            lines.join(", "),
            pounds(with),
            pounds(without),
        )));
        let mut t = Draft::new(
            TABLE,
            "The high-needs block by year, with and without the chosen schemes",
            "Money a year in the model's prices. Specialist places: the business case's spend on places (place \
             funding, top-ups and independent fees, with the new places' running costs and place funding). Other \
             spend: mainstream top-ups, alternative provision, further education and support services, the same \
             with and without the schemes. In-year balance = grant less spend (negative: an overspend); cumulative \
             deficit = the deficit brought forward less the balances to date.",
            vec![
                Column::new("Year", Unit::Text),
                Column::new("Grant", Unit::Pounds),
                Column::new("Specialist places, without", Unit::Pounds),
                Column::new("Specialist places, with", Unit::Pounds),
                Column::new("Other high-needs spend", Unit::Pounds),
                Column::new("Spend, without", Unit::Pounds),
                Column::new("Spend, with", Unit::Pounds),
                Column::new("In-year balance, without", Unit::Pounds),
                Column::new("In-year balance, with", Unit::Pounds),
                Column::new("Cumulative deficit, without", Unit::Pounds),
                Column::new("Cumulative deficit, with", Unit::Pounds),
            ],
        );
        let (dw, dv) = (block.without.cumulative_deficit(), block.with.cumulative_deficit());
        for (((w, v), dw), dv) in block.without.years().iter().zip(block.with.years()).zip(dw).zip(dv) {
            t.rows.push(vec![
                text(w.year.to_string()),
                number(w.grant.0),
                number(w.places.0),
                number(v.places.0),
                number(w.other.iter().map(|m| m.0).sum()),
                number(w.spend().0),
                number(v.spend().0),
                number(w.balance().0),
                number(v.balance().0),
                number(dw.0),
                number(dv.0),
            ]);
        }
        self.add(Part::Table(t));
        if chartable(&block) {
            self.add(Part::Figure(Sketch::HighNeedsDeficit));
        } else {
            self.add(Part::Paragraph(
                "No chart of the cumulative deficit is drawn: it is below zero in some year, or the schemes raise it, \
                 which stacked bars cannot show. The table gives every figure."
                    .into(),
            ));
        }
    }
}

/// Whether the chart's stacked bars can show the deficits: every year's at least 0, and the
/// deficit with the schemes no more than without.
fn chartable(block: &Block) -> bool {
    let (dw, dv) = (block.without.cumulative_deficit(), block.with.cumulative_deficit());
    dw.iter().zip(&dv).all(|(w, v)| v.0 >= 0.0 && v.0 <= w.0)
}

/// The chart of the cumulative deficit, from the published table: a bar a year, its lower
/// part the deficit with the schemes, the part above it what building nothing would add.
pub(in crate::outputs::annex::content) fn deficit_chart(tables: &BTreeMap<String, Table>) -> Figure {
    let t = &tables[TABLE];
    let cell = |r: usize, c: usize| match t.rows[r].get(c) {
        Some(Value::Number(v)) => Some(*v / 1e6),
        _ => None,
    };
    let bars: Vec<Bar> = (0..t.rows.len())
        .map(|r| {
            let label = match t.rows[r].first() {
                Some(Value::Text(y)) => y.clone(),
                _ => String::new(),
            };
            let (without, with) = (cell(r, DEFICIT.0), cell(r, DEFICIT.1));
            Bar { label, parts: vec![with, without.zip(with).map(|(a, b)| (a - b).max(0.0))] }
        })
        .collect();
    Figure {
        id: "chart-high-needs-deficit".into(),
        title: "The high-needs block's cumulative deficit, with and without the chosen schemes".into(),
        caption: "Stacked bars, each year of the plan, in £ million: the cumulative deficit at the end of the year \
                  with the chosen schemes (dark), and what it would add to that without them (light); the whole bar \
                  is the deficit without the schemes. The table above gives the figures to the pound."
            .into(),
        svg: svg::stacked_bars(&bars, &["Deficit with the schemes", "Added without the schemes"], "£ million"),
    }
}
