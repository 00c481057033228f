//! `compare`: a base model and its scenarios, each solved, side by side.

use std::path::PathBuf;

use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::outputs::files::{print, write_files};
use crate::outputs::progress::Progress;
use crate::outputs::report::horizon;
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
    for (k, model) in loaded.iter().enumerate() {
        // The model's name last: a long one is cut on a narrow line, not the count of models.
        let what = format!("model {} of {}, planning each year: {}", k + 1, loaded.len(), model.name);
        let years = plan_any(model, solver, progress, &what)?;
        scenarios.push(horizon::ScenarioFigures {
            name: model.name.clone(),
            years: years.iter().map(horizon::YearFigures::of).collect(),
        });
    }
    progress.finish();
    let table = horizon::compare_table(&scenarios);
    if let Some(dir) = &options.out {
        write_files(&[(dir.join("compare.csv"), table.text())])?;
    }
    print(&match options.format {
        CompareFormat::Table => horizon::compare_text(&scenarios),
        CompareFormat::Csv => table.text(),
    })
}
