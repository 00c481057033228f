//! The schemes section: the capital schemes chosen, what they cost and save, and the
//! business case.

use crate::outputs::annex::disclosure::CellId;
use crate::outputs::annex::{Column, Unit, Value};
use crate::planning::business_case::Payback;
use crate::planning::schemes::Outcome;

use crate::outputs::annex::content::builder::{Builder, Part, key};
use crate::outputs::annex::content::draft::{Cell, Draft, number, text};
use crate::outputs::annex::content::inputs::SchemesPart;
use crate::outputs::annex::content::words::{in_words, pays_back, plain, portfolio_names, units};

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn schemes_section(&mut self, part: SchemesPart<'_>) {
        let model = self.model;
        let a = part.appraised;
        self.section("schemes", "Capital schemes appraised: the business case");
        let budget = part.budget.map_or_else(|| "no budget limit".to_string(), |b| format!("a budget of {b}"));
        let chosen = portfolio_names(model, &a.chosen.portfolio);
        let gains = a.gains_alone(model);
        let g = a.gain(model);
        // A scheme not chosen is described, not named, unless the council says otherwise: its
        // site may be under negotiation.
        let mut unnamed = 0;
        let names: Vec<String> = model
            .schemes
            .iter()
            .zip(&a.chosen.portfolio.0)
            .map(|(s, &m)| {
                if m > 0 || model.annex.name_providers {
                    s.name.clone()
                } else {
                    unnamed += 1;
                    format!("Scheme not chosen {unnamed} ({})", s.setting.kind.name().to_lowercase())
                }
            })
            .collect();
        let not_paying: Vec<String> = model
            .schemes
            .iter()
            .zip(&gains)
            .filter(|(_, g)| !matches!(g.payback, Payback::Within(_)) && g.capital.pounds() > 0.0)
            .map(|(s, _)| names[model.schemes.iter().position(|x| std::ptr::eq(x, s)).unwrap_or(0)].clone())
            .collect();
        let negative: Vec<String> = model
            .schemes
            .iter()
            .zip(&gains)
            .filter(|(_, g)| g.net_present_value.pounds() < 0.0)
            .map(|(s, _)| names[model.schemes.iter().position(|x| std::ptr::eq(x, s)).unwrap_or(0)].clone())
            .collect();
        let alone = match not_paying.len() {
            0 => "Each scheme appraised on its own pays back within the years planned.".to_string(),
            1 => format!("{} does not pay back within the years planned.", not_paying[0]),
            _ => format!("{} do not pay back within the years planned.", in_words(&not_paying)),
        };
        let value = match negative.len() {
            0 => String::new(),
            1 => format!(
                " {} costs more than it saves over the years planned (its present value is negative).",
                negative[0]
            ),
            _ => format!(
                " {} cost more than they save over the years planned (their present values are negative).",
                in_words(&negative)
            ),
        };
        let set = if a.chosen.portfolio.0.iter().all(|&m| m == 0) {
            "No set of schemes costs less than building nothing.".to_string()
        } else {
            let value = Unit::Pounds.format(Unit::Pounds.round(g.net_present_value.0));
            let weights = if g.net_present_value.0 < 0.0 {
                " In money alone it costs more than it saves over the years planned: it is chosen for the children \
                 it brings back into the borough or finds a place for."
            } else {
                ""
            };
            format!(
                "The set that costs least is {chosen}: {} of capital, {} places; it {}, and its present value in \
                 money is {value}.{weights}",
                g.capital,
                Unit::Places.format(g.places),
                pays_back(g.payback, g.capital),
            )
        };
        self.add(Part::Paragraph(format!(
            "Candidate capital schemes, appraised together over the years planned within {budget}: the set chosen is \
             the one that costs least in present value (places, transport, running costs and capital, in cash \
             deflated by {}% a year inflation and discounted at {}% a year), counting each child placed outside the borough, or left without a place, as something to \
             avoid. The set chosen is the council's programme (see \"What the council will do\"). {set} \
             {alone}{value}",
            plain(model.appraisal.inflation * 100.0),
            plain(model.appraisal.discount_rate * 100.0)
        )));
        let mut t = Draft::new(
            "schemes",
            "Candidate capital schemes, each appraised against building nothing",
            "Each scheme's business case: the years planned as the plan places children (staying where they are \
             until they change phase), with and without the scheme. Saving a year is for the last year planned \
             (negative: it costs more than it saves); payback is the first year in which the savings to date reach \
             the capital; present value is the savings less the capital over all years planned, discounted. A \
             scheme is appraised with any scheme it requires (a satellite with its main school). A \
             scheme that can be built in units is appraised with the number of units that suits it best on its own \
             (\"Appraised as\"): its places and capital are for all those units together, not a unit each; \
             \"Chosen\" gives the units in the programme.",
            vec![
                Column::new("Scheme", Unit::Text),
                Column::new("Kind", Unit::Text),
                Column::new("Opens", Unit::Text),
                Column::new("Chosen", Unit::Text),
                Column::new("Appraised as", Unit::Text),
                Column::new("Places", Unit::Places),
                Column::new("Capital", Unit::Pounds),
                Column::new("Capital per place", Unit::PoundsEach),
                Column::new("Saving a year", Unit::Pounds),
                Column::new("Pays back", Unit::Text),
                Column::new("Present value", Unit::Pounds),
            ],
        );
        // With residual years, each scheme's residual value is a column of its own, beside
        // (never added into) the present value, as in the business case.
        let residual = model.appraisal.residual_years > 0;
        if residual {
            t.note.push_str(&residual_note(model.appraisal.residual_years));
            t.columns.push(Column::new("Residual value", Unit::Pounds));
        }
        for (j, s) in model.schemes.iter().enumerate() {
            let g = &gains[j];
            let modules = a.chosen.portfolio.0[j];
            let alone = a.alone.get(j).map_or(1, |o| o.portfolio.0[j]);
            let payback = match g.payback {
                Payback::Within(y) => y.to_string(),
                Payback::Beyond(y) => format!("not within the years planned (in {y} at the last year's saving)"),
                Payback::Never if g.capital.pounds() <= 0.0 => "no capital".into(),
                Payback::Never => "never".into(),
            };
            t.rows.push(vec![
                text(names[j].clone()),
                text(s.setting.kind.name()),
                text(crate::outputs::report::schemes::opens_text(s)),
                text(match modules {
                    0 => "no".to_string(),
                    m if s.max_modules > 1 => format!("yes: {}", units(s, m)),
                    _ => "yes".to_string(),
                }),
                text(if s.max_modules > 1 { units(s, alone) } else { "one scheme".into() }),
                number(g.places),
                number(g.capital.0),
                g.cost_per_place.map_or(Cell::Value(Value::Blank), |c| number(c.0)),
                number(g.annual_saving.0),
                text(payback),
                number(g.net_present_value.0),
            ]);
            if residual {
                t.rows.last_mut().expect("a row was pushed").push(number(g.residual_value.0));
            }
        }
        self.add(Part::Table(t));
        let case = &a.case;
        let mut t = Draft::new(
            "business-case",
            format!("Business case of the chosen schemes ({chosen}), year by year"),
            format!(
                "Spend without and with the schemes, children staying where they are placed until they change phase. \
                 Spend on places is the high-needs block (place funding, top-ups and independent fees, with the new \
                 places' running costs and place funding, paid filled or empty). Saving = without less with; \
                 cumulative = savings to date less capital to date (negative until the capital is repaid). The chosen \
                 set {}.",
                pays_back(case.payback, case.capital)
            ),
            vec![
                Column::new("Year", Unit::Text),
                Column::new("Capital spent", Unit::Pounds),
                Column::new("Places, without", Unit::Pounds),
                Column::new("Places, with", Unit::Pounds),
                Column::new("Transport, without", Unit::Pounds),
                Column::new("Transport, with", Unit::Pounds),
                Column::new("Saving", Unit::Pounds),
                Column::new("Cumulative", Unit::Pounds),
                Column::new("Children in new places", Unit::Children),
            ],
        );
        for (y, cumulative) in case.years.iter().zip(case.cumulative()) {
            t.rows.push(vec![
                text(y.year.to_string()),
                number(y.capital.0),
                number(y.without.0.0),
                number(y.with.0.0),
                number(y.without.1.0),
                number(y.with.1.0),
                number(y.saving().0),
                number(cumulative.0),
                number(y.in_new_places),
            ]);
        }
        self.add(Part::Table(t));
        let mut t = Draft::new(
            "scheme-portfolio",
            "The chosen schemes against building nothing",
            "Last year planned, from the business case.",
            vec![
                Column::new("Schemes", Unit::Text),
                Column::new("Capital", Unit::Pounds),
                Column::new("Places added", Unit::Places),
                Column::new("Back in the borough", Unit::Children),
                Column::new("Placed where none was available", Unit::Children),
                Column::new("Saving a year", Unit::Pounds),
                Column::new("Present value", Unit::Pounds),
            ],
        );
        t.rows.push(vec![
            text(chosen),
            number(g.capital.0),
            number(g.places),
            number(g.back_in_borough),
            number(g.unmet_met),
            number(g.annual_saving.0),
            number(g.net_present_value.0),
        ]);
        if residual {
            t.note.push_str(&residual_note(model.appraisal.residual_years));
            t.columns.push(Column::new("Residual value", Unit::Pounds));
            t.rows[0].push(number(g.residual_value.0));
        }
        self.add(Part::Table(t));
        self.schemes_out_of_borough(part);
    }

    /// Children placed out of the borough by need group, without and with the chosen schemes,
    /// from the appraisal (which plans each year afresh, so its figures differ from the
    /// year-by-year plan's).
    fn schemes_out_of_borough(&mut self, part: SchemesPart<'_>) {
        let a = part.appraised;
        let model = self.model;
        let groups = self.grouping.needs.clone();
        let mut group_of = vec![0; model.needs.len()];
        for (k, g) in groups.iter().enumerate() {
            for &n in &g.members {
                group_of[n] = k;
            }
        }
        // Per year: children out of the borough by need group, and with no place available.
        let by_group = |o: &Outcome| -> Vec<(String, Vec<f64>, f64)> {
            outside_by(model, o, groups.len(), |d| group_of[d.need.0])
                .into_iter()
                .zip(&o.futures[0])
                .map(|((year, out), y)| (year, out, y.plan.unmet.iter().sum()))
                .collect()
        };
        let before = by_group(&a.baseline);
        let after = by_group(&a.chosen);
        let mut columns = vec![Column::new("Primary need", Unit::Text)];
        for (year, _, _) in &before {
            columns.push(Column::new(format!("{year} without schemes"), Unit::Children));
            columns.push(Column::new(format!("{year} with schemes"), Unit::Children));
        }
        let mut t = Draft::new(
            "out-of-borough-with-schemes",
            "Children placed out of the borough, without and with the chosen capital schemes",
            "From the schemes appraisal, which plans each year afresh (children may move setting), so its figures \
             differ from the year-by-year plan above. The last row, children with no place available, is not part \
             of the total above it.",
            columns,
        );
        for (tag, series) in [("before", &before), ("after", &after)] {
            for (year, by_need, unmet) in series {
                let parts: Vec<CellId> = groups
                    .iter()
                    .enumerate()
                    .map(|(k, g)| self.counts.cell(key(tag, year, &[&g.label]), by_need[k]))
                    .collect();
                self.counts.sum(key(tag, year, &["*"]), &parts);
                self.counts.cell(key(&format!("{tag}-unmet"), year, &["*"]), *unmet);
            }
        }
        let labels: Vec<String> = groups.iter().map(|g| g.label.clone()).collect();
        for (label, measure, need) in labels
            .iter()
            .map(|l| (l.as_str(), "", l.as_str()))
            .chain([("All needs", "", "*"), ("No place available, all needs", "-unmet", "*")])
        {
            let ids: Vec<CellId> = before
                .iter()
                .flat_map(|(y, _, _)| {
                    [format!("before{measure}"), format!("after{measure}")].map(|tag| (tag, y.clone()))
                })
                .map(|(tag, y)| self.id(&tag, &y, &[need]))
                .collect();
            if need != "*" && ids.iter().all(|&c| self.value(c) < 0.5) {
                continue;
            }
            let mut row = vec![text(label)];
            for id in ids {
                self.counts.published[id] = true;
                row.push(Cell::Count(id));
            }
            t.rows.push(row);
        }
        t.totals = 2;
        self.add(Part::Table(t));
    }
}

/// The note a table with a residual value column gains: what the figure is, and that it is
/// not in the present value.
fn residual_note(years: u32) -> String {
    let span = if years == 1 { "1 more year".to_string() } else { format!("{years} more years") };
    format!(
        " Residual value is the last year's saving going on for {span} after the years planned, discounted; \
         it is shown apart and is not in the present value."
    )
}

/// Children the appraisal's outcome `o` places outside the borough, for each year it planned
/// (the year's name, then `slots` sums): each placement counted in the slot `slot_of` gives its
/// demand row. A setting past the model's own is one of the model's schemes, in the borough
/// as its setting is.
pub(super) fn outside_by(
    model: &crate::model::Model,
    o: &Outcome,
    slots: usize,
    slot_of: impl Fn(&crate::model::DemandRow) -> usize,
) -> Vec<(String, Vec<f64>)> {
    let demand_by_year: Vec<Vec<crate::model::DemandRow>> =
        crate::planning::forecast::years(model).into_iter().map(|y| y.demand).collect();
    let n_settings = model.settings.len();
    let in_borough = |s: usize| {
        if s < n_settings {
            model.settings[s].in_borough
        } else {
            model.schemes.get(s - n_settings).is_none_or(|sc| sc.setting.in_borough)
        }
    };
    o.futures[0]
        .iter()
        .zip(&demand_by_year)
        .map(|(y, demand)| {
            let mut out = vec![0.0; slots];
            for p in &y.plan.placements {
                if !in_borough(p.setting.0) {
                    out[slot_of(&demand[p.demand])] += p.children;
                }
            }
            (y.year.to_string(), out)
        })
        .collect()
}
