//! The method note: how the plan is made, the model's assumptions, grouping and
//! disclosure control, and the sources.

use crate::model::{CapitalMethod, Money, ObjectiveMode};
use crate::optimise::formulation::Aim;
use crate::outputs::annex::{Column, Unit};

use crate::outputs::annex::content::builder::{Builder, Part};
use crate::outputs::annex::content::draft::{Draft, text};
use crate::outputs::annex::content::grouping::phase_name;
use crate::outputs::annex::content::sufficiency::ROOM;
use crate::outputs::annex::content::words::{NEED_NAMES, plain, pounds_exact};

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn method_section(&mut self, disclosure: &str) {
        let model = self.model;
        let inputs = self.inputs;
        self.section("method", "Method and assumptions");
        let plan = &self.inputs.years[0].run.plan;
        let stages: Vec<String> = plan
            .stages
            .iter()
            .filter(|s| s.aim != Aim::TieBreak)
            .map(|s| match s.aim {
                Aim::Weighted => format!("least weighted cost {} a year", Money(s.value)),
                Aim::Cost => format!("least cost {} a year", Money(s.value)),
                Aim::Unmet => format!("fewest children with no place available {}", Unit::Children.format(s.value)),
                Aim::OutOfBorough => format!("fewest children out of the borough {}", Unit::Children.format(s.value)),
                Aim::TieBreak => String::new(),
            })
            .collect();
        let solver = match plan.solver {
            "network" => "the network simplex built into this tool".to_string(),
            "microlp" => "the microlp simplex".to_string(),
            "highs" => "HiGHS".to_string(),
            other => other.to_string(),
        };
        let policy = &model.policy;
        let objective = match policy.objective {
            ObjectiveMode::Weighted => format!(
                "least cost of places and transport, plus {} a year for each child placed out of the borough and {} a \
                 year for each child with no place available (policy weights, not money spent)",
                pounds_exact(policy.out_of_borough_weight),
                pounds_exact(policy.unmet_penalty)
            ),
            ObjectiveMode::Lexicographic => "fewest children with no place available, then fewest placed out of the \
                                             borough, then least cost of places and transport"
                .to_string(),
        };
        self.add(Part::Paragraph(format!(
            "Each year, a linear program places every child needing a specialist place at a suitable setting (one \
             that takes the child's need, phase and provision, within the phase's journey limit, with places free), \
             choosing the {objective}. Children already placed stay where they are from year to year. Every answer \
             is checked against the inputs outside the solver. Every figure below is read from the model file."
        )));
        let mut t = Draft::new(
            "method",
            "Method, parameters and sources",
            "Generated from the model file: enough to reproduce every figure in this annex.",
            vec![Column::new("Item", Unit::Text), Column::new("Value", Unit::Text)],
        );
        let mut row = |k: &str, v: String| t.rows.push(vec![text(k), text(v)]);
        row("Council", self.council.clone());
        row("Scenario", model.name.clone());
        row("Description", model.description.clone());
        row("Years", self.years_covered());
        row(
            "Base year",
            if self.tallies.len() > 1 {
                format!(
                    "{}: children with plans now and where they are placed (real pupils, protected); later years are \
                     forecast",
                    self.first()
                )
            } else {
                format!("{}: children with plans (real pupils, protected)", self.first())
            },
        );
        if let Some(h) = &model.horizon {
            row("Forecast variant", h.variant.clone());
        }
        let needs: Vec<String> = model
            .needs
            .iter()
            .map(|n| match NEED_NAMES.iter().find(|(code, _)| code.eq_ignore_ascii_case(n)) {
                Some((_, name)) => format!("{n} ({name})"),
                None => n.clone(),
            })
            .collect();
        row("Primary needs", needs.join(", "));
        for p in &model.phases {
            row(
                &format!("Journey limit, {}", phase_name(&p.code).to_lowercase()),
                format!("{} minutes one way", plain(p.max_journey_minutes)),
            );
        }
        row("Objective", objective);
        row(
            "Additional places required",
            format!(
                "children placed out of the borough whose every suitable setting in the borough has less than {} \
                 place free (for their need and home locality too, where those are capped), with children with no \
                 place available",
                plain(ROOM)
            ),
        );
        row("Travel times", self.inputs.years[0].run.journeys.method.describe(&model.transport));
        let tr = &model.transport;
        row(
            "Transport cost",
            format!(
                "{} a child a year + {} a km + {} a minute of each journey, {} journeys a day, {} school days a year",
                pounds_exact(tr.fixed_per_child),
                pounds_exact(tr.cost_per_km),
                pounds_exact(tr.cost_per_minute),
                plain(tr.journeys_per_day),
                plain(tr.school_days)
            ),
        );
        if model.uplift.any() {
            let u = &model.uplift;
            row(
                "Cost rise a year after the base year",
                format!(
                    "{}% for places at state settings, {}% for independent fees, {}% for transport",
                    plain(u.default * 100.0),
                    plain(u.independent * 100.0),
                    plain(u.transport * 100.0)
                ),
            );
        }
        if let Some(part) = inputs.schemes {
            let a = &model.appraisal;
            let capital = match a.capital {
                CapitalMethod::Annualised => {
                    format!(
                        "capital as an equivalent annual cost over an asset life of {} years",
                        plain(a.asset_life_years)
                    )
                }
                CapitalMethod::Upfront => "capital in full in the year a scheme opens".to_string(),
            };
            row(
                "Capital appraisal",
                format!(
                    "discount rate {}% a year; {capital}; place funding {} a year for a new special school place and \
                     {} for a new resourced provision place, paid filled or empty; {}",
                    plain(a.discount_rate * 100.0),
                    pounds_exact(a.place_funding_special),
                    pounds_exact(a.place_funding_resourced),
                    part.budget.map_or_else(|| "no capital budget".to_string(), |b| format!("a capital budget of {b}"))
                ),
            );
        }
        row("Solver", format!("{solver}, optimal; {} in {}", stages.join(", then "), self.inputs.years[0].year));
        row(
            "Rounding",
            "counts of children (now and forecast) to whole children, places to whole places, sums of money to the \
             nearest £1,000, amounts a child or a place to the nearest £100, percentages and minutes to one decimal \
             place; totals are worked out before rounding, so parts may not add up to their total by a little"
                .to_string(),
        );
        row("Grouping", self.grouping.describe(model));
        row("Disclosure control", disclosure.to_string());
        row("Software", format!("sufficiency {}", env!("CARGO_PKG_VERSION")));
        row("Produced", inputs.produced.clone());
        row("Command", inputs.command.clone());
        for (i, s) in model.sources.iter().enumerate() {
            row(if i == 0 { "Model file" } else { "Data source" }, s.clone());
        }
        self.add(Part::Table(t));
    }
}
