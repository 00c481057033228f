//! The commands of the `sufficiency` program, one function each: read the model, run the
//! library, write the files asked for (all or none) and print the report on standard output.
//!
//! Each takes its options as one type of this module, which is also the command's part of
//! the command line (clap's `Args`): [`Command`] is every command with its options, and
//! [`Command::run`] runs one. A value an option never takes (`--solver cplex`, `--budget
//! lots`) is refused by clap as it parses, with exit code 2; a value wrong only for the model
//! named (`--year 2099/00`) is an [`Error::Input`] naming the flag, as `command line: field
//! '--year': ...`; [`tell_error`] prints any error and gives the program's exit code.

mod annex;
mod check;
mod commission;
mod compare;
mod forecast;
mod risk;
mod scap;
mod schemes;
mod shared;
mod solve;
mod tools;

pub use annex::{AnnexOptions, annex};
pub use check::{CheckOptions, check, check_against};
pub use commission::{CommissionOptions, commission};
pub use compare::{CompareFormat, CompareOptions, compare};
pub use forecast::{ForecastOptions, forecast};
pub use scap::{ScapOptions, scap_return};
pub use schemes::{SchemesOptions, schemes};
pub use shared::{checked, parse_money, solver_named};
pub use solve::{Format, SolveOptions, solve};
pub use tools::{
    BenchOptions, GenerateOptions, ImportGiasOptions, ImportSen2Options, InitOptions, bench, generate, import_gias,
    import_sen2, init, solvers,
};

use crate::optimise::run::Error;
use crate::outputs::progress::Progress;

/// The program's commands, each with its options.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Check a model and summarise its inputs, without solving.
    Check(CheckOptions),
    /// Make a model's tables from what the DfE publishes.
    Import {
        /// What to import.
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Find the least-cost placement of every child and report it.
    Solve(SolveOptions),
    /// Forecast need by year, need and phase for a multi-year model.
    Forecast(ForecastOptions),
    /// Solve several models (a base and scenarios) and show them side by side.
    Compare(CompareOptions),
    /// Choose the capital schemes that cost least over the years planned, within a budget,
    /// and appraise each.
    Schemes(SchemesOptions),
    /// Compare ways of buying independent places: spot purchase, each option, the best combination.
    Commission(CommissionOptions),
    /// Write the sufficiency statement annex: a self-contained HTML page (tables, charts and a
    /// map), a workbook, the tables as CSV and a Markdown version, with small needs and phases
    /// grouped, small counts of pupils withheld, and forecasts, places and money rounded.
    Annex(AnnexOptions),
    /// Write the DfE's school capacity survey (SCAP) specialist-provision return: the capacity
    /// of the borough's special schools, SEN units and resourced provision, and the forecast
    /// of resident pupils with an EHC plan needing a specialist place, checked against the plan.
    Scap(ScapOptions),
    /// Write the template of a model kept in one workbook: model.xlsx (a sheet for every table,
    /// a Help sheet, drop-down lists, the tiny example filled in) and model.toml naming its sheets.
    Init(InitOptions),
    /// Write a synthetic model of any size (for measuring scale): clustered towns, the national
    /// need mix and costs, settings of every kind and a road network; the same seed gives the
    /// same files.
    Generate(GenerateOptions),
    /// Measure scale: generate a borough (20 localities, 60 settings), a region (900, 800) and
    /// England (6,800, 4,000), solve each with every solver compiled in, and print a table of
    /// time per stage, peak memory, model size and optimum.
    Bench(BenchOptions),
    /// List the solvers compiled into this build.
    Solvers,
}

/// What `import` reads.
#[derive(clap::Subcommand)]
pub enum ImportSource {
    /// A settings table from the register of schools (GIAS "all establishment data" CSV):
    /// open special schools and the resourced provisions and SEN units of mainstream schools,
    /// in the borough and within --within km of it.
    Gias(ImportGiasOptions),
    /// The base year's placements and need from the council's own SEN2 person-level return
    /// (the COLLECT "Blade" CSV export): current_placements.csv, cohort.csv and demand.csv,
    /// counts only, with a reconciliation.
    Sen2(ImportSen2Options),
}

impl Command {
    /// Runs the command: one library call each.
    ///
    /// # Errors
    /// The command's error.
    pub fn run(self, progress: &Progress) -> Result<(), Error> {
        match self {
            Command::Solvers => {
                solvers();
                Ok(())
            }
            Command::Check(o) if o.against.is_empty() => check(&o.model, progress),
            Command::Check(o) => check_against(&o.model, &o.against, o.la.as_deref()),
            Command::Import { source: ImportSource::Gias(o) } => import_gias(&o),
            Command::Import { source: ImportSource::Sen2(o) } => import_sen2(&o),
            Command::Solve(o) => solve(&o, progress),
            Command::Forecast(o) => forecast(&o.model, o.out.as_deref()),
            Command::Compare(o) => compare(&o, progress),
            Command::Schemes(o) => schemes(&o, progress),
            Command::Commission(o) => commission(&o, progress),
            Command::Annex(o) => annex(&o, progress),
            Command::Scap(o) => scap_return(&o.model, &o.out),
            Command::Init(o) => init(&o.out, o.force),
            Command::Generate(o) => generate(&o.spec, &o.out, o.force),
            Command::Bench(o) => bench(&o, progress),
        }
    }
}

/// Input problems printed before the rest are only counted.
const SHOWN_PROBLEMS: usize = 50;

/// Prints `error` on standard error and gives the program's exit code: 1 for problems with
/// the input (the first 50 of them, then a count), 3 for a solver failure, 4 for a failed
/// check, 5 for anything else (output that cannot be written).
#[must_use]
pub fn tell_error(error: &Error) -> u8 {
    match error {
        Error::Input(problems) => {
            // The first 50, then a count: a file of a million bad rows is read in
            // seconds, not printed for minutes.
            for p in problems.iter().take(SHOWN_PROBLEMS) {
                eprintln!("error: {p}");
            }
            let n = problems.len();
            if n > SHOWN_PROBLEMS {
                eprintln!("... and {} more.", n - SHOWN_PROBLEMS);
            }
            eprintln!("{n} problem{} found; nothing was solved or written.", if n == 1 { "" } else { "s" });
            1
        }
        other => {
            eprintln!("error: {other}");
            match other {
                Error::Solve(_) => 3,
                Error::Check(_) => 4,
                _ => 5,
            }
        }
    }
}

#[cfg(test)]
mod tests;
