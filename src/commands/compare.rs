//! `compare`: a base model and its scenarios, each solved, side by side.

use std::path::PathBuf;

use crate::model::Money;
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::outputs::files::{print, write_files};
use crate::outputs::progress::Progress;
use crate::outputs::report::horizon;
use crate::outputs::report::text::with_sign;
use crate::planning::high_needs::Ledger;
use crate::planning::ready;

use super::shared::{plan_any, solver_named, tell_notes};

/// What `compare` prints on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CompareFormat {
    /// Aligned table for the terminal.
    #[default]
    Table,
    /// CSV.
    Csv,
}

/// Options of `compare`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CompareOptions {
    /// The base model first, then the scenarios.
    #[arg(required = true, num_args = 1..)]
    pub models: Vec<PathBuf>,
    /// Also write compare.csv here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
    /// Solver to use (default: the best in this build).
    #[arg(long, value_name = "NAME", value_parser = solver_named)]
    pub solver: Option<Solver>,
}

/// `compare`: solves a base model and its scenarios and shows them side by side.
///
/// # Errors
/// A bad option, any model's problems (all of them together), solver failure, a failed
/// check, or output that cannot be written.
pub fn compare(options: &CompareOptions, progress: &Progress) -> Result<(), Error> {
    let solver = options.solver.unwrap_or_else(Solver::best);
    let loaded = ready::load_each(&options.models).map_err(Error::Input)?;
    tell_notes(&loaded.iter().collect::<Vec<_>>(), Some(progress));
    let mut scenarios = Vec::new();
    let mut ledgers = Vec::new();
    for (k, model) in loaded.iter().enumerate() {
        // The model's name last: a long one is cut on a narrow line, not the count of models.
        let what = format!("model {} of {}, planning each year: {}", k + 1, loaded.len(), model.name);
        let years = plan_any(model, solver, progress, &what)?;
        scenarios.push(horizon::ScenarioFigures {
            name: model.name.clone(),
            years: years.iter().map(horizon::YearFigures::of).collect(),
        });
        // The plan's spend on specialist places is the high-needs block's (no schemes built).
        ledgers.push(model.high_needs.as_ref().map(|block| {
            let places = years.iter().map(|y| (y.year, y.run.plan.summary(&y.run.model).placement_cost));
            Ledger::new(block, model.planning_year, places)
        }));
    }
    progress.finish();
    let mut table = horizon::compare_table(&scenarios);
    let deficit = deficit_row(&ledgers, scenarios.len());
    if let Some(row) = &deficit {
        table.rows.push(row.clone());
    }
    if let Some(dir) = &options.out {
        write_files(&[(dir.join("compare.csv"), table.text())])?;
    }
    print(&match options.format {
        CompareFormat::Table => {
            let mut text = horizon::compare_text(&scenarios);
            if let Some(row) = &deficit {
                text.push_str(&deficit_text(&scenarios, row));
            }
            text
        }
        CompareFormat::Csv => table.text(),
    })
}

/// The high-needs block's cumulative deficit at the end of the last year every run with a
/// `[high_needs]` section plans, as a row of the comparison (blank for a run without one);
/// `None` when no run has the section.
fn deficit_row(ledgers: &[Option<Ledger>], runs: usize) -> Option<Vec<String>> {
    let with: Vec<&Ledger> = ledgers.iter().flatten().collect();
    let year = with
        .first()?
        .years()
        .iter()
        .map(|y| y.year)
        .filter(|year| with.iter().all(|l| l.deficit_at(*year).is_some()))
        .max()?;
    let values: Vec<Option<Money>> = ledgers.iter().map(|l| l.as_ref().and_then(|l| l.deficit_at(year))).collect();
    let mut row = vec!["High-needs cumulative deficit".to_string(), "£".to_string(), year.to_string()];
    row.extend(values.iter().map(|v| v.map_or_else(String::new, |m| m.to_string())));
    row.extend(values.iter().skip(1).take(runs.saturating_sub(1)).map(|v| match (v, values[0]) {
        (Some(v), Some(b)) => with_sign(Money((*v - b).0.abs()).to_string(), (*v - b).0),
        _ => String::new(),
    }));
    Some(row)
}

/// The deficit row in words, under the terminal's table.
fn deficit_text(scenarios: &[horizon::ScenarioFigures], row: &[String]) -> String {
    let each: Vec<String> = scenarios
        .iter()
        .zip(&row[3..])
        .filter(|(_, v)| !v.is_empty())
        .map(|(s, v)| format!("{} {v}", s.name))
        .collect();
    format!(
        "\nHigh-needs block (Dedicated Schools Grant): cumulative deficit at the end of {} (the last year every run \
         with [high_needs] plans; no schemes built): {}.\n",
        row[2],
        each.join("; ")
    )
}
