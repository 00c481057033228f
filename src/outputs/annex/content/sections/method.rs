//! The method appendix, in plain English: how children were matched to places and how
//! places were costed, how children's privacy is protected (said once, here), the model's
//! assumptions, and where the figures come from. No solver terms, policy weights, paths or
//! command lines: a reader needs what was done, not how the program was run.

use crate::model::{CapitalMethod, Model, ObjectiveMode};
use crate::outputs::annex::markdown::escape;
use crate::outputs::annex::{Column, Disclosure, Unit, WITHHELD, disclosure};

use crate::outputs::annex::content::builder::{Builder, Part};
use crate::outputs::annex::content::draft::{Draft, text};
use crate::outputs::annex::content::grouping::phase_name;
use crate::outputs::annex::content::sufficiency::ROOM;
use crate::outputs::annex::content::words::{NEED_NAMES, plain, pounds_exact};

/// The heading the page's pointer near the top names.
pub(in crate::outputs::annex::content) const PRIVACY_HEADING: &str = "Protecting children's privacy";

/// How children's privacy is protected, in plain words, once.
pub(in crate::outputs::annex::content) fn privacy(d: &Disclosure) -> String {
    match d {
        Disclosure::Controlled { threshold, base_year, primary, secondary, grouped, .. } => {
            let grouping = if *grouped == 0 {
                String::new()
            } else {
                "Needs and phases with few children are shown together in groups (the glossary and the \"Grouping\" \
                 row below say which). "
                    .to_string()
            };
            let withheld = if *threshold <= 1.0 {
                "No count is held back.".to_string()
            } else {
                format!(
                    "Where fewer than {} children with plans in {base_year} (the base year) would be counted, the \
                     number is not shown and appears as '{WITHHELD}'. So that such a number cannot be worked out by \
                     adding and subtracting others, some other numbers are not shown either: {primary} small numbers \
                     and {secondary} others in all. Whatever published figures are combined, each number not shown \
                     could be anything in a range at least {} children wide. This applies to the tables, charts, \
                     maps and captions alike.",
                    plain(*threshold),
                    plain(disclosure::protection_width(*threshold))
                )
            };
            format!(
                "{grouping}{withheld} Forecasts, places and money are not counts of children today: they are rounded, \
                 never held back."
            )
        }
        Disclosure::Off => d.statement(),
    }
}

/// The data the model holds, in words, by the tables it reads (a table the list does not
/// know is not named: its file name is not for publication).
fn sources_in_words(model: &Model) -> String {
    const KNOWN: [(&str, &str); 14] = [
        ("localities", "the borough's home areas"),
        ("settings", "settings and their places and costs"),
        ("setting_needs", "the needs each setting takes"),
        ("setting_places", "settings' places year by year"),
        ("road_nodes", "the road network"),
        ("demand", "children needing a specialist place"),
        ("cohort", "the population of each age"),
        ("forecast_rates", "rates of EHC plans by age and need"),
        ("current_placements", "where children are placed now"),
        ("schemes", "candidate capital schemes"),
        ("purchasing_options", "ways of buying independent places"),
        ("market", "independent places bought by need"),
        ("locality_caps", "limits on places by home area"),
        ("ehc-plans-by-setting-type", "the DfE's published EHC plans by type of setting"),
    ];
    let stems: Vec<String> = model
        .sources
        .iter()
        .filter_map(|p| std::path::Path::new(p).file_stem().map(|s| s.to_string_lossy().to_lowercase()))
        .collect();
    let found: Vec<&str> =
        KNOWN.iter().filter(|(stem, _)| stems.iter().any(|s| s == stem)).map(|(_, words)| *words).collect();
    if found.is_empty() {
        "the council's own records".into()
    } else {
        format!("the council's own records: {}", found.join("; "))
    }
}

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn method_section(&mut self, disclosure: &Disclosure) {
        let model = self.model;
        let inputs = self.inputs;
        self.section("method", "Method appendix: how the figures were made");
        let policy = &model.policy;
        let shortage = match policy.objective {
            ObjectiveMode::Weighted => {
                "Where there are not enough suitable places, it prefers a place in the borough to one outside it, \
                 unless the place in the borough would cost a great deal more, and leaves a child without a place \
                 only when no suitable place is free anywhere. Among equally good matches it takes the one that \
                 costs least for places and transport."
            }
            ObjectiveMode::Lexicographic => {
                "Where there are not enough suitable places, it first finds every child a place where one is free, \
                 then keeps as many children in the borough as it can, and only then takes the match that costs \
                 least for places and transport."
            }
        };
        let transport = &model.transport;
        let schemes = if inputs.schemes.is_some() {
            let a = &model.appraisal;
            let capital = match a.capital {
                CapitalMethod::Annualised => {
                    format!("spread evenly over a building's life of {} years", plain(a.asset_life_years))
                }
                CapitalMethod::Upfront => "counted when it is spent".to_string(),
            };
            let residual = match a.residual_years {
                0 => String::new(),
                n => format!(
                    " The choice also takes the last year's saving to go on for {n} more year{} after the years \
                     planned (a residual value); the present values shown are for the years planned alone.",
                    if n == 1 { "" } else { "s" }
                ),
            };
            format!(
                "\n\nCapital schemes were compared by their whole cost over the years planned (places, transport, \
                 running costs and capital), in cash, with money in later years counting for less: first taken back \
                 to this year's prices ({}% a year inflation), then {}% a year less, and capital {capital}.{residual} \
                 A new place is funded whether or not it is filled. The programme is the set of schemes, within the \
                 capital budget, that does most for the children for the least cost: it places children in the \
                 borough who would otherwise go outside it, and leaves fewer without a place.",
                plain(a.inflation * 100.0),
                plain(a.discount_rate * 100.0)
            )
        } else {
            String::new()
        };
        let minutes = if transport.cost_per_minute.pounds() > 0.0 {
            format!(" and {} a minute", pounds_exact(transport.cost_per_minute))
        } else {
            String::new()
        };
        let who = if self.model.holds_every_plan() {
            "with an EHC plan (at the tier of provision the plan needs, or a higher one)"
        } else {
            "who needs a specialist place"
        };
        self.add(Part::Markdown(format!(
            "# How children were matched to places\n\n\
             Each year, every child {who} is matched to a suitable setting: one that takes the \
             child's primary need and phase (and the kind of provision the child needs, where that is recorded), that \
             the child can reach within the phase's longest journey, and that has a place free. Children already \
             placed stay where they are until they change phase. {shortage} The match is worked out exactly by \
             computer (the best under these rules, not an estimate), and every result is checked against the data \
             before it is published.\n\n\
             # How places were costed\n\n\
             Each place costs what the council pays for it in a year: the setting's cost per place (place funding and \
             top-up, or an independent school's fee), with transport to it: {} a child a year, plus {} a kilometre{minutes} \
             of each journey, {} journeys a day on {} school days a year.{schemes}\n\n\
             # {PRIVACY_HEADING}\n\n{}\n",
            pounds_exact(transport.fixed_per_child),
            pounds_exact(transport.cost_per_km),
            plain(transport.journeys_per_day),
            plain(transport.school_days),
            escape(&privacy(disclosure))
        )));
        let mut t = Draft::new(
            "method",
            "Assumptions and sources",
            "The assumptions every figure in this annex is worked out from.",
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
                CapitalMethod::Upfront => "capital counted when it is spent".to_string(),
            };
            row(
                "Capital appraisal",
                format!(
                    "money in cash, deflated by {}% a year general inflation and discounted at {}% a year real; \
                     {}; {capital}; place funding {} a year for a new special school place and {} for a new \
                     resourced provision place, paid filled or empty; {}",
                    plain(a.inflation * 100.0),
                    plain(a.discount_rate * 100.0),
                    match a.residual_years {
                        0 => "no residual value".to_string(),
                        1 => "a residual value of the last year's saving for 1 more year, in the choice".to_string(),
                        n => format!("a residual value of the last year's saving for {n} more years, in the choice"),
                    },
                    pounds_exact(a.place_funding_special),
                    pounds_exact(a.place_funding_resourced),
                    part.budget.map_or_else(|| "no capital budget".to_string(), |b| format!("a capital budget of {b}"))
                ),
            );
        }
        row(
            "Rounding",
            "counts of children (now and forecast) to whole children, places to whole places, sums of money to the \
             nearest £1,000, amounts a child or a place to the nearest £100, percentages and minutes to one decimal \
             place; totals are worked out before rounding, so parts may not add up to their total by a little"
                .to_string(),
        );
        row("Grouping", self.grouping.describe(model));
        row("Software", format!("sufficiency {}", env!("CARGO_PKG_VERSION")));
        row("Produced", inputs.produced.clone());
        row("Sources", sources_in_words(model));
        self.add(Part::Table(t));
    }
}
