//! The `sufficiency` command: the command line, parsed, handed to [`sufficiency::commands`].

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use sufficiency::model::ObjectiveMode;
use sufficiency::outputs::progress::Progress;
use sufficiency::planning::schemes::Robust;
use sufficiency::tools::generate;
use sufficiency::{Error, commands};

/// `--version`: the version and the solvers this build has, as `sufficiency solvers` lists
/// them (the default first).
#[cfg(not(feature = "highs"))]
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (solvers: network, microlp)");
#[cfg(feature = "highs")]
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (solvers: network, highs, microlp)");

/// Plan specialist school places for children with EHC plans: least-cost, close to home,
/// with shortfalls reported as unmet need.
#[derive(Parser)]
#[command(name = "sufficiency", version = VERSION, about, long_about = None)]
struct Cli {
    /// Show no progress on standard error (it is shown only on a terminal anyway).
    #[arg(long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check a model and summarise its inputs, without solving.
    Check {
        /// The model file (TOML).
        model: PathBuf,
        /// Also compare the base year with what the DfE publishes on EHC plans: the caseload
        /// by establishment type and by age (caseload.csv, or sen2_estab_caseload.csv), the
        /// primary need by type of placement (sen_needs_all_plans.csv) and residential
        /// placements (residential_settings.csv). Repeat it for several files, or name a
        /// folder holding them; each file is told by its columns.
        #[arg(long, value_name = "FILE_OR_FOLDER")]
        against: Vec<PathBuf>,
        /// The authority in that file: its code (895, E06000049) or name (default: the one
        /// named in the model's name or description).
        #[arg(long, value_name = "CODE_OR_NAME", requires = "against")]
        la: Option<String>,
    },
    /// Make a model's tables from what the DfE publishes.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Find the least-cost placement of every child and report it.
    Solve {
        /// The model file (TOML).
        model: PathBuf,
        /// Also write summary.csv, placements.csv, setting_use.csv, gaps.csv and plan.json here
        /// (for a multi-year model, every year, with a year column).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// What to print on standard output.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Solver to use (default: the best in this build).
        #[arg(long, value_name = "NAME")]
        solver: Option<String>,
        /// Override the model's objective.
        #[arg(long, value_enum)]
        objective: Option<Objective>,
        /// Write the exact program solved, in CPLEX LP format (one file a year for a
        /// multi-year model: FILE-2025-26.lp, ...).
        #[arg(long, value_name = "FILE")]
        write_lp: Option<PathBuf>,
        /// Write the placement network (weighted cost with the tie-break charge) in the
        /// DIMACS min-cost flow format, for other network solvers (a single-year model).
        #[arg(long, value_name = "FILE")]
        write_network: Option<PathBuf>,
    },
    /// Forecast need by year, need and phase for a multi-year model.
    Forecast {
        /// The model file (TOML) with a [horizon] section.
        model: PathBuf,
        /// Also write forecast.csv here (year, locality, need, year group, phase, provision).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Solve several models (a base and scenarios) and show them side by side.
    Compare {
        /// The base model first, then the scenarios.
        #[arg(required = true, num_args = 1..)]
        models: Vec<PathBuf>,
        /// Also write compare.csv here.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// What to print on standard output.
        #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
        format: CompareFormat,
        /// Solver to use (default: the best in this build).
        #[arg(long, value_name = "NAME")]
        solver: Option<String>,
    },
    /// Choose the capital schemes that cost least over the years planned, within a budget,
    /// and appraise each.
    Schemes {
        /// The model file (TOML) with tables.schemes and tables.scheme_places.
        model: PathBuf,
        /// Most capital to spend, £ (e.g. 12000000, 12m, 500k). Default: no limit.
        #[arg(long, value_name = "AMOUNT", value_parser = commands::parse_money)]
        budget: Option<f64>,
        /// Force a scheme in (repeat for more).
        #[arg(long = "with", value_name = "ID")]
        with: Vec<String>,
        /// Leave a scheme out (repeat for more).
        #[arg(long = "without", value_name = "ID")]
        without: Vec<String>,
        /// Also show the best portfolio at a range of budgets.
        #[arg(long)]
        curve: bool,
        /// Budgets for the curve, £, comma-separated (default: round steps up to every scheme).
        #[arg(long, value_name = "AMOUNTS", value_delimiter = ',', value_parser = commands::parse_money)]
        curve_budgets: Vec<f64>,
        /// Choose one portfolio across the forecast variants of [appraisal] variants.
        #[arg(long, value_enum)]
        robust: Option<RobustArg>,
        /// Also write schemes.csv, portfolios.csv (and budget_curve.csv, variants.csv) here.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Solver to use (default: the best in this build).
        #[arg(long, value_name = "NAME")]
        solver: Option<String>,
        /// Write the mixed-integer program, in CPLEX LP format.
        #[arg(long, value_name = "FILE")]
        write_lp: Option<PathBuf>,
    },
    /// Compare ways of buying independent places: spot purchase, each option, the best combination.
    Commission {
        /// The model file (with tables.purchasing_options).
        model: PathBuf,
        /// The year to evaluate, e.g. 2027/28 (default: the last year planned).
        #[arg(long, value_name = "YEAR")]
        year: Option<String>,
        /// Fee rises for the sensitivity table, as fractions, comma-separated.
        #[arg(long, value_name = "RISES", value_delimiter = ',', default_value = "0.1,0.25")]
        fee_rises: Vec<f64>,
        /// Also write commissioning.csv, option_use.csv, break_even.csv and sensitivity.csv here.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Solver to use (default: the best in this build).
        #[arg(long, value_name = "NAME")]
        solver: Option<String>,
    },
    /// Write the sufficiency statement annex: a self-contained HTML page (tables, charts and a
    /// map), a workbook, the tables as CSV and a Markdown version, with small needs and phases
    /// grouped, small counts of pupils withheld, and forecasts, places and money rounded.
    Annex {
        /// The model file (TOML).
        model: PathBuf,
        /// Folder to write annex.html, annex.xlsx, annex.md and tables/*.csv into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Show every count, every need and phase on its own: turns disclosure control off,
        /// for internal use only (the output says so on every page and sheet).
        #[arg(long)]
        no_suppression: bool,
        /// Capital budget for the schemes shown, £ (default: [annex] capital_budget, else
        /// no limit).
        #[arg(long, value_name = "AMOUNT", value_parser = commands::parse_money)]
        budget: Option<f64>,
        /// Solver to use (default: the best in this build).
        #[arg(long, value_name = "NAME")]
        solver: Option<String>,
    },
    /// Write the template of a model kept in one workbook: model.xlsx (a sheet for every table,
    /// a Help sheet, drop-down lists, the tiny example filled in) and model.toml naming its sheets.
    Init {
        /// Folder to write model.toml and model.xlsx into (new or empty, unless --force).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Write into a folder that already holds files, replacing a model there.
        #[arg(long)]
        force: bool,
    },
    /// Write a synthetic model of any size (for measuring scale): clustered towns, the national
    /// need mix and costs, settings of every kind and a road network; the same seed gives the
    /// same files.
    Generate {
        /// Home localities.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
        localities: u32,
        /// Settings.
        #[arg(long, value_name = "M", value_parser = clap::value_parser!(u32).range(7..=100_000))]
        settings: u32,
        /// Years planned (more than 1: a multi-year model).
        #[arg(long, value_name = "Y", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20))]
        years: u32,
        /// Seed for the pseudo-random numbers.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// Folder to write model.toml and its tables into (new or empty, unless --force).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Write into a folder that already holds files, replacing a model there.
        #[arg(long)]
        force: bool,
    },
    /// Measure scale: generate a borough (20 localities, 60 settings), a region (900, 800) and
    /// England (6,800, 4,000), solve each with every solver compiled in, and print a table of
    /// time per stage, peak memory, model size and optimum.
    Bench {
        /// Sizes to run, comma-separated (borough, region, england).
        #[arg(long, value_delimiter = ',', default_value = "borough,region,england")]
        sizes: Vec<String>,
        /// Solvers to run, comma-separated (default: every solver compiled in).
        #[arg(long, value_delimiter = ',')]
        solvers: Vec<String>,
        /// Seed for the generated models.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop any one run after this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 900)]
        time_limit: u64,
        /// Measure one size with one solver in this process and print it as JSON (what the
        /// table's child processes run).
        #[arg(long, value_name = "SIZE", hide = true)]
        one: Option<String>,
        /// The solver for --one.
        #[arg(long, hide = true)]
        solver: Option<String>,
    },
    /// List the solvers compiled into this build.
    Solvers,
}

#[derive(Subcommand)]
enum ImportSource {
    /// A settings table from the register of schools (GIAS "all establishment data" CSV):
    /// open special schools and the resourced provisions and SEN units of mainstream schools,
    /// in the borough and within --within km of it.
    Gias {
        /// The GIAS file as downloaded (edubasealldataYYYYMMDD.csv).
        file: PathBuf,
        /// A model file (its localities place the borough; its settings give the costs), or
        /// an authority's 3-digit LA code or name as GIAS spells it.
        #[arg(long, value_name = "MODEL_OR_LA")]
        near: String,
        /// Keep settings outside the borough within this many km (straight line) of the
        /// model's localities, or of the authority's open establishments.
        #[arg(long, value_name = "KM", default_value_t = 30.0)]
        within: f64,
        /// The settings table to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The base year's placements and need from the council's own SEN2 person-level return
    /// (the COLLECT "Blade" CSV export): current_placements.csv, cohort.csv and demand.csv,
    /// counts only, with a reconciliation.
    Sen2 {
        /// The export's folder, or its files (Blade-Export_DD-MM-YYYY_<module>.csv).
        #[arg(required = true, num_args = 1..)]
        export: Vec<PathBuf>,
        /// The model: its settings (matched by their urn or ukprn columns, or an id that is a
        /// URN), localities, needs and phases.
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        /// Postcode to locality: a CSV of postcode,locality, or the ONS postcode directory
        /// (pcds,lat,long: each postcode to the model's nearest locality).
        #[arg(long, value_name = "FILE")]
        postcodes: PathBuf,
        /// The folder to write the tables into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RobustArg {
    /// Least cost averaged over the variants.
    Expected,
    /// Least worst regret: the most any variant costs above its own best portfolio.
    Regret,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Aligned tables for the terminal.
    Table,
    /// Every table as CSV, each headed by a `# name` line.
    Csv,
    /// Every table in one JSON document.
    Json,
    /// Settings, home localities and flows as one GeoJSON feature collection (for GIS).
    Geojson,
}

#[derive(Clone, Copy, ValueEnum)]
enum CompareFormat {
    /// Aligned table for the terminal.
    Table,
    /// CSV.
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum Objective {
    /// Cost + out-of-borough weight + unmet penalty.
    Weighted,
    /// Fewest unmet, then fewest out of borough, then least cost.
    Lexicographic,
}

impl From<RobustArg> for Robust {
    fn from(r: RobustArg) -> Robust {
        match r {
            RobustArg::Expected => Robust::Expected,
            RobustArg::Regret => Robust::Regret,
        }
    }
}

impl From<Format> for commands::Format {
    fn from(f: Format) -> commands::Format {
        match f {
            Format::Table => commands::Format::Table,
            Format::Csv => commands::Format::Csv,
            Format::Json => commands::Format::Json,
            Format::Geojson => commands::Format::Geojson,
        }
    }
}

impl From<CompareFormat> for commands::CompareFormat {
    fn from(f: CompareFormat) -> commands::CompareFormat {
        match f {
            CompareFormat::Table => commands::CompareFormat::Table,
            CompareFormat::Csv => commands::CompareFormat::Csv,
        }
    }
}

impl From<Objective> for ObjectiveMode {
    fn from(o: Objective) -> ObjectiveMode {
        match o {
            Objective::Weighted => ObjectiveMode::Weighted,
            Objective::Lexicographic => ObjectiveMode::Lexicographic,
        }
    }
}

/// Input problems printed before the rest are only counted.
const SHOWN_PROBLEMS: usize = 50;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        let mut cmd = <Cli as clap::CommandFactory>::command();
        let _ = cmd.print_help();
        return ExitCode::SUCCESS;
    };
    let progress = Progress::new(cli.quiet);
    // The library's loops (pricing rounds, rounds of cuts, ...) are counted on the line.
    let result = progress.watch(|| execute(command, &progress));
    // The progress line is cleared before any error is printed.
    drop(progress);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = match &e {
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
            };
            ExitCode::from(code)
        }
    }
}

/// Runs the command: one library call each.
fn execute(command: Command, progress: &Progress) -> Result<(), Error> {
    match command {
        Command::Solvers => {
            commands::solvers();
            Ok(())
        }
        Command::Check { model, against, .. } if against.is_empty() => commands::check(&model, progress),
        Command::Check { model, against, la } => commands::check_against(&model, &against, la.as_deref()),
        Command::Import { source: ImportSource::Gias { file, near, within, out } } => {
            commands::import_gias(&commands::ImportGiasOptions { file, near, within_km: within, out })
        }
        Command::Import { source: ImportSource::Sen2 { export, model, postcodes, out } } => {
            commands::import_sen2(&commands::ImportSen2Options { inputs: export, model, postcodes, out })
        }
        Command::Solve { model, out, format, solver, objective, write_lp, write_network } => {
            let options = commands::SolveOptions {
                model,
                out,
                format: format.into(),
                solver,
                objective: objective.map(Into::into),
                write_lp,
                write_network,
            };
            commands::solve(&options, progress)
        }
        Command::Forecast { model, out } => commands::forecast(&model, out.as_deref()),
        Command::Compare { models, out, format, solver } => {
            commands::compare(&commands::CompareOptions { models, out, format: format.into(), solver }, progress)
        }
        Command::Schemes { model, budget, with, without, curve, curve_budgets, robust, out, solver, write_lp } => {
            let options = commands::SchemesOptions {
                model,
                budget,
                with,
                without,
                curve,
                curve_budgets,
                robust: robust.map(Into::into),
                out,
                solver,
                write_lp,
            };
            commands::schemes(&options, progress)
        }
        Command::Commission { model, year, fee_rises, out, solver } => {
            commands::commission(&commands::CommissionOptions { model, year, fee_rises, out, solver }, progress)
        }
        Command::Annex { model, out, no_suppression, budget, solver } => {
            commands::annex(&commands::AnnexOptions { model, out, no_suppression, budget, solver }, progress)
        }
        Command::Init { out, force } => commands::init(&out, force),
        Command::Generate { localities, settings, years, seed, out, force } => {
            let spec = generate::Spec {
                localities: localities as usize,
                settings: settings as usize,
                years: years as usize,
                seed,
            };
            commands::generate(&spec, &out, force)
        }
        Command::Bench { sizes, solvers, seed, time_limit, one, solver } => {
            let time_limit = Duration::from_secs(time_limit);
            commands::bench(&commands::BenchOptions { sizes, solvers, seed, time_limit, one, solver }, progress)
        }
    }
}
