//! The need section: children with EHC plans needing a specialist place, by need and
//! phase, year by year, with the caseload as the DfE publishes it and the forecast
//! variants.

use crate::outputs::annex::{Column, Unit, Value};

use super::codes::with_need_codes;
use crate::outputs::annex::content::builder::{Builder, Part};
use crate::outputs::annex::content::draft::{Cell, Draft, number, text};
use crate::outputs::annex::content::figures::{Sketch, forecast_range};
use crate::outputs::annex::content::words::{in_words, needing};

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn need_section(&mut self) {
        let (first, last) = (self.first(), self.last());
        let council = self.council.clone();
        let every_plan = self.model.holds_every_plan();
        let who = needing(self.model);
        if every_plan {
            self.section("need", &format!("Need: children and young people in {council} with EHC plans"));
        } else {
            self.section("need", &format!("Need: children in {council} with EHC plans needing a specialist place"));
        }
        let grouped = if self.grouping.counts().1 > 0 {
            " Needs and phases with few children are shown in groups (see \"Grouping\" in the method note)."
        } else {
            ""
        };
        let whom = if every_plan {
            "Every child and young person with an education, health and care plan, wherever the plan places them \
             (mainstream schools and colleges, alternative provision, early years settings and elsewhere as well as \
             special schools and resourced provision: see \"Every EHC plan\" for the type of setting), by primary \
             need and phase."
        } else {
            "Children and young people with education, health and care plans who need a place in a special school, \
             resourced provision or specialist post-16 institution, by primary need and phase."
        };
        self.add(Part::Paragraph(format!("{whom} {}{grouped}", self.base_and_forecast())));
        let phases = self.phase_labels();
        let needs = self.need_labels();
        let mut columns = vec![Column::new("Primary need", Unit::Text)];
        columns.extend(phases.iter().map(|p| Column::new(p.clone(), Unit::Children)));
        columns.push(Column::new("All phases", Unit::Children));
        let mut t = Draft::new(
            "need-by-phase",
            format!("Children {who} by primary need and phase, {first}"),
            "Children with plans now, rounded to whole children; totals are worked out before rounding.",
            columns,
        );
        for need in needs.iter().map(String::as_str).chain(["*"]) {
            let mut row = vec![text(if need == "*" { "All needs" } else { need })];
            for phase in phases.iter().map(String::as_str).chain(["*"]) {
                row.push(self.count("needing", &first, &[need, phase]));
            }
            t.rows.push(row);
        }
        t.totals = 1;
        with_need_codes(&mut t, 0);
        self.add(Part::Table(t));
        self.caseload_table();

        if self.tallies.len() > 1 {
            let years = self.years();
            let mut columns = vec![Column::new("Primary need", Unit::Text)];
            columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
            columns.push(Column::new(format!("Growth {first} to {last}"), Unit::Percent));
            let variants = &self.inputs.bands;
            let ranged = forecast_range(variants, years.len(), None).is_some();
            if ranged {
                columns.push(Column::new(format!("Lowest forecast, {last}"), Unit::Children));
                columns.push(Column::new(format!("Highest forecast, {last}"), Unit::Children));
            }
            let range_note = if ranged {
                format!(
                    " The lowest and highest forecasts for {last} are the least and the most of the forecasts the \
                     model names ({}), need by need.",
                    in_words(&variants.iter().map(|b| b.variant.clone()).collect::<Vec<_>>())
                )
            } else {
                String::new()
            };
            let mut t = Draft::new(
                "need-by-year",
                format!("Children {who} by primary need, {first} to {last}"),
                format!(
                    "{} Forecasts are rounded to whole children; growth is the change from the first year to the \
                     last.{range_note}",
                    self.base_and_forecast()
                ),
                columns,
            );
            let members: Vec<Option<Vec<usize>>> =
                self.grouping.needs.iter().map(|g| Some(g.members.clone())).chain([None]).collect();
            for (need, members) in needs.iter().map(String::as_str).chain(["*"]).zip(members) {
                let label = if need == "*" { "All needs" } else { need };
                let mut row = self.row_by_year(&[label], "needing", &years, &[need, "*"]);
                let a = self.id("needing", &first, &[need, "*"]);
                let b = self.id("needing", &last, &[need, "*"]);
                row.push(self.growth(a, b));
                if let Some(range) = forecast_range(variants, years.len(), members.as_deref()) {
                    let (low, high) = range[years.len() - 1];
                    row.extend([number(low), number(high)]);
                }
                t.rows.push(row);
            }
            t.totals = 1;
            with_need_codes(&mut t, 0);
            self.add(Part::Table(t));
            self.bands_table(&years);

            let mut t = self.by_need_phase_and_year(
                "needing",
                "need-by-phase-and-year",
                format!("Children {who} by primary need and phase, {first} to {last}"),
                "Rows with no child in any year are left out.".into(),
            );
            t.columns.push(Column::new(format!("Growth {first} to {last}"), Unit::Percent));
            let pairs: Vec<(String, String)> = t
                .rows
                .iter()
                .map(|r| match (&r[0], &r[1]) {
                    (Cell::Value(Value::Text(a)), Cell::Value(Value::Text(b))) => (a.clone(), b.clone()),
                    _ => unreachable!("rows start with their labels"),
                })
                .collect();
            for (row, (need, phase)) in t.rows.iter_mut().zip(pairs) {
                let (need, phase) = if need == "All needs" { ("*".into(), "*".into()) } else { (need, phase) };
                let a = self.id("needing", &first, &[&need, &phase]);
                let b = self.id("needing", &last, &[&need, &phase]);
                row.push(self.growth(a, b));
            }
            self.add(Part::Table(t));
        }
        self.add(Part::Figure(Sketch::NeedAgainstPlaces));
    }

    /// Every EHC plan the authority maintains, by type of setting, as the DfE publishes them
    /// (`[annex] caseload`): the context of the specialist places this annex plans. The
    /// figures are the DfE's, already published (with its own suppression, shown as `c`):
    /// not counts of this model's, so not withheld again.
    fn caseload_table(&mut self) {
        use crate::outputs::report::against::Group;
        let Some((_, caseload)) = &self.model.annex.caseload else { return };
        let planned = |p: &crate::model::input::sen2::Published| Group::of_type(&p.group, &p.establishment_type);
        let known = |keep: &dyn Fn(Option<Group>) -> bool| -> Option<f64> {
            caseload.types.iter().filter(|p| keep(planned(p))).try_fold(0.0, |sum, p| p.children.map(|c| sum + c))
        };
        let specialist = known(&|g| g.is_some());
        let all = caseload.total.unwrap_or_else(|| known(&|_| true));
        let share = |v: Option<f64>| match (v, all) {
            (Some(v), Some(all)) if all > 0.0 => number(100.0 * v / all),
            _ => Cell::Value(Value::Blank),
        };
        let figure = |v: Option<f64>| v.map_or(Cell::Value(Value::Withheld), number);
        let la = &caseload.la_name;
        let every_plan = self.model.holds_every_plan();
        let note = if every_plan {
            "As the DfE publishes them (Education, health and care plans; c is the DfE's own suppression): this \
             model holds every plan, so every type of setting is planned in this annex (see \"Every EHC plan\"); the \
             specialist ones are also in the places this annex plans. Shares are of all EHC plans."
        } else {
            "As the DfE publishes them (Education, health and care plans; c is the DfE's own suppression), for \
             context: children and young people in mainstream schools, colleges, alternative provision and elsewhere \
             are not planned in this annex. Shares are of all EHC plans."
        };
        let mut t = Draft::new(
            "ehc-plans-by-setting-type",
            format!("All EHC plans maintained by {la} by type of setting, January {}", caseload.january),
            note,
            vec![
                Column::new("Type of setting", Unit::Text),
                Column::new("EHC plans", Unit::Children),
                Column::new("Share of all", Unit::Percent),
                Column::new("Planned in this annex", Unit::Text),
            ],
        );
        for p in &caseload.types {
            let name = if p.group.is_empty() || p.group == p.establishment_type {
                p.establishment_type.clone()
            } else {
                format!("{}: {}", p.group, p.establishment_type)
            };
            let planned = match planned(p) {
                Some(g) => format!("Yes: {}", g.name()),
                None if every_plan => "Yes: every plan".to_string(),
                None => "No (context)".to_string(),
            };
            t.rows.push(vec![text(name), figure(p.children), share(p.children), text(planned)]);
        }
        t.rows.push(vec![
            text(if every_plan { "Specialist settings" } else { "Specialist settings planned in this annex" }),
            figure(specialist),
            share(specialist),
            text(""),
        ]);
        t.rows.push(vec![text("All EHC plans"), figure(all), share(all), text("")]);
        t.totals = 2;
        t.theirs = true;
        let shown =
            |v: Option<f64>| v.map_or_else(|| "an unpublished number of".to_string(), |v| Unit::Children.format(v));
        let rest = if every_plan {
            "; the rest are in mainstream schools, colleges, alternative provision or elsewhere, and this model \
             plans them too"
        } else {
            "; the rest are in mainstream schools, colleges, alternative provision or elsewhere"
        };
        self.add(Part::Paragraph(format!(
            "For context, the DfE published {} EHC plans maintained by {la} in January {}, {} of them in the kinds \
             of specialist setting this annex plans places for (special schools, resourced provisions and units, \
             specialist post-16 institutions){rest}.{}",
            shown(all),
            caseload.january,
            shown(specialist),
            if caseload.january == caseload.asked {
                String::new()
            } else {
                format!(
                    " (January {} is the latest in the file; the base year's is January {}.)",
                    caseload.january, caseload.asked
                )
            }
        )));
        self.add(Part::Table(t));
    }

    /// Children needing a place in each forecast variant the model names, year by year: the
    /// band the central forecast sits in. Forecasts, rounded, never withheld (the base year,
    /// the same in every variant, is the need table's above).
    fn bands_table(&mut self, years: &[String]) {
        let bands = &self.inputs.bands;
        if forecast_range(bands, years.len(), None).is_none() {
            return;
        }
        let mut columns = vec![Column::new("Forecast", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        columns.push(Column::new(format!("Growth {} to {}", years[0], years[years.len() - 1]), Unit::Percent));
        let mut t = Draft::new(
            "need-forecast-bands",
            format!(
                "Children {}: forecasts {}",
                needing(self.model),
                in_words(&bands.iter().map(|b| b.variant.clone()).collect::<Vec<_>>())
            ),
            "Each forecast variant the model names, from the same base year: they differ in the new plans, \
             leavers and growth assumed. This annex's plans are for the central forecast; the others show \
             the range it sits in. Forecasts rounded to whole children.",
            columns,
        );
        for band in bands {
            let need: Vec<f64> = (0..years.len()).map(|y| band.children(y, None)).collect();
            let mut row = vec![text(band.variant.clone())];
            row.extend(need.iter().map(|&v| number(v)));
            let growth = if need[0] > 0.0 { 100.0 * (need[need.len() - 1] / need[0] - 1.0) } else { f64::NAN };
            row.push(number(growth));
            t.rows.push(row);
        }
        self.add(Part::Table(t));
    }
}
