//! The `sufficiency` command: a thin layer over the library.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use sufficiency::domain::{Model, ObjectiveMode, SchoolYear};
use sufficiency::formulation::Formulation;
use sufficiency::horizon::{YearRun, plan_horizon};
use sufficiency::report::horizon;
use sufficiency::report::{self, Tables};
use sufficiency::solve::Solver;
use sufficiency::travel::JourneyTable;
use sufficiency::{Error, input};

/// Plan specialist school places for children with EHC plans: least-cost, close to home,
/// with shortfalls reported as unmet need.
#[derive(Parser)]
#[command(name = "sufficiency", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check a model and summarise its inputs, without solving.
    Check {
        /// The model file (TOML).
        model: PathBuf,
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
    /// List the solvers compiled into this build.
    Solvers,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Aligned tables for the terminal.
    Table,
    /// Every table as CSV, each headed by a `# name` line.
    Csv,
    /// Every table in one JSON document.
    Json,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        let mut cmd = <Cli as clap::CommandFactory>::command();
        let _ = cmd.print_help();
        return ExitCode::SUCCESS;
    };
    match execute(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = match &e {
                Error::Input(problems) => {
                    for p in problems.iter() {
                        eprintln!("error: {p}");
                    }
                    let n = problems.len();
                    eprintln!("{n} problem{} found; nothing was solved or written.", if n == 1 { "" } else { "s" });
                    1
                }
                other => {
                    eprintln!("error: {other}");
                    3
                }
            };
            ExitCode::from(code)
        }
    }
}

fn execute(command: Command) -> Result<(), Error> {
    match command {
        Command::Solvers => {
            for (i, s) in Solver::available().iter().enumerate() {
                println!("{}{}", s.name(), if i == 0 { " (default)" } else { "" });
            }
            Ok(())
        }
        Command::Check { model } => {
            let model = input::load(&model).map_err(Error::Input)?;
            let journeys = JourneyTable::build(&model);
            let formulation = Formulation::build(&model, &journeys);
            print(&report::inputs::summary(&model, &journeys, &formulation))
        }
        Command::Solve { model, out, format, solver, objective, write_lp } => {
            let solver = pick_solver(solver)?;
            let mut model = input::load(&model).map_err(Error::Input)?;
            if let Some(o) = objective {
                model.policy.objective = match o {
                    Objective::Weighted => ObjectiveMode::Weighted,
                    Objective::Lexicographic => ObjectiveMode::Lexicographic,
                };
            }
            if model.horizon.is_some() {
                return solve_horizon(&model, solver, out.as_deref(), format, write_lp.as_deref());
            }
            let run = sufficiency::run(model, solver)?;
            let tables = Tables::new(&run);
            let mut files = Vec::new();
            if let Some(path) = &write_lp {
                files.push((path.clone(), lp_text(&run)));
            }
            if let Some(dir) = &out {
                files.push((dir.join("summary.csv"), report::csv::summary(&tables)));
                files.push((dir.join("placements.csv"), report::csv::placements(&tables)));
                files.push((dir.join("setting_use.csv"), report::csv::setting_use(&tables)));
                files.push((dir.join("gaps.csv"), report::csv::gaps(&tables)));
                files.push((dir.join("plan.json"), report::json::all(&tables)));
            }
            write_files(&files)?;
            print(&match format {
                Format::Table => report::text::plan(&run, &tables),
                Format::Csv => report::csv::all(&tables),
                Format::Json => report::json::all(&tables),
            })
        }
        Command::Forecast { model, out } => {
            let model = input::load(&model).map_err(Error::Input)?;
            if model.horizon.is_none() {
                return Err(usage(
                    "MODEL",
                    format!("{} has no [horizon] section: a forecast needs a multi-year model", model.sources[0]),
                ));
            }
            let grids = sufficiency::forecast::project(&model);
            if let Some(dir) = &out {
                write_files(&[(dir.join("forecast.csv"), horizon::forecast_csv(&model, &grids).text())])?;
            }
            print(&horizon::forecast_text(&model, &grids))
        }
        Command::Compare { models, out, format, solver } => {
            let solver = pick_solver(solver)?;
            let mut scenarios = Vec::new();
            let mut problems = input::Problems::default();
            let mut loaded = Vec::new();
            for path in &models {
                match input::load(path) {
                    Ok(m) => loaded.push(m),
                    Err(p) => problems.0.extend(p.0),
                }
            }
            if !problems.is_empty() {
                return Err(Error::Input(problems));
            }
            for model in &loaded {
                let years = plan_any(model, solver)?;
                scenarios.push(horizon::ScenarioFigures {
                    name: model.name.clone(),
                    years: years.iter().map(horizon::YearFigures::of).collect(),
                });
            }
            let table = horizon::compare_table(&scenarios);
            if let Some(dir) = &out {
                write_files(&[(dir.join("compare.csv"), table.text())])?;
            }
            print(&match format {
                CompareFormat::Table => horizon::compare_text(&scenarios),
                CompareFormat::Csv => table.text(),
            })
        }
    }
}

fn pick_solver(name: Option<String>) -> Result<Solver, Error> {
    match name {
        Some(name) => Solver::from_name(&name).map_err(|m| usage("--solver", m)),
        None => Ok(Solver::best()),
    }
}

/// Every year of a model: the horizon's, or the one year of a single-year model.
fn plan_any(model: &Model, solver: Solver) -> Result<Vec<YearRun>, Error> {
    if model.horizon.is_some() {
        return plan_horizon(model, solver);
    }
    let run = sufficiency::run(model.clone(), solver)?;
    let year = SchoolYear::parse(&model.planning_year).unwrap_or(SchoolYear(0));
    Ok(vec![YearRun { year, run, staying: 0.0, moved_by_cuts: 0.0 }])
}

fn solve_horizon(
    model: &Model,
    solver: Solver,
    out: Option<&Path>,
    format: Format,
    write_lp: Option<&Path>,
) -> Result<(), Error> {
    let years = plan_horizon(model, solver)?;
    let mut files = Vec::new();
    if let Some(path) = write_lp {
        // One LP file a year: model.lp becomes model-2025-26.lp, ...
        for y in &years {
            let stem = path.file_stem().map_or_else(|| "model".into(), |s| s.to_string_lossy().into_owned());
            let name = format!("{stem}-{}.lp", y.year.to_string().replace('/', "-"));
            files.push((path.with_file_name(name), lp_text(&y.run)));
        }
    }
    let csvs = [
        ("summary.csv", horizon::summary_by_year(&years)),
        ("placements.csv", horizon::each_year(&years, report::csv::placements_table)),
        ("setting_use.csv", horizon::each_year(&years, report::csv::setting_use_table)),
        ("gaps.csv", horizon::each_year(&years, report::csv::gaps_table)),
    ];
    let json = || {
        let tables: Vec<Tables> = years.iter().map(|y| Tables::new(&y.run)).collect();
        serde_json::to_string_pretty(&serde_json::json!({ "model": model.name, "years": tables })).unwrap_or_default()
            + "\n"
    };
    if let Some(dir) = out {
        for (name, table) in &csvs {
            files.push((dir.join(name), table.text()));
        }
        files.push((dir.join("plan.json"), json()));
    }
    write_files(&files)?;
    print(&match format {
        Format::Table => horizon::plan_text(model, &years),
        Format::Csv => csvs
            .iter()
            .map(|(name, t)| format!("# {}\n{}", name.trim_end_matches(".csv"), t.text()))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => json(),
    })
}

fn lp_text(run: &sufficiency::Run) -> String {
    let optimum = run.plan.stages.last().map_or(0.0, |s| s.value);
    let with_charge = run.solved.program.value_of(&run.solved.values);
    let header = vec![
        format!(
            "{} — {}: placement program written by sufficiency {}",
            run.model.name,
            run.model.planning_year,
            env!("CARGO_PKG_VERSION")
        ),
        format!(
            "objective: {} (the last stage solved, earlier stages' optima kept as rows)",
            run.model.policy.objective.code()
        ),
        format!(
            "optimum {optimum:.2}; with the tie-break charge of {} a minute of journey included in these coefficients, {with_charge:.2}",
            sufficiency::solve::TIE_BREAK_PER_MINUTE
        ),
        "columns x*: children of a demand row at a setting; unmet*: children without a place".into(),
    ];
    run.solved.program.to_lp_format(&header)
}

fn usage(flag: &str, message: String) -> Error {
    Error::Input(input::Problems(vec![input::Problem {
        file: PathBuf::from("command line"),
        line: None,
        field: Some(flag.into()),
        message,
    }]))
}

fn print(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not an error for the planner.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Output { path: "standard output".into(), source: e })
        }
        _ => Ok(()),
    }
}

/// Writes every file or none: each goes to a hidden temporary name beside it first, and
/// only when all are written are they renamed into place.
fn write_files(files: &[(PathBuf, String)]) -> Result<(), Error> {
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    let pid = std::process::id();
    let mut written: Vec<(PathBuf, &PathBuf)> = Vec::new();
    let mut result = Ok(());
    for (path, body) in files {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(".{name}.{pid}.partial"));
        let step = std::fs::create_dir_all(dir)
            .map_err(fail(dir))
            .and_then(|()| std::fs::write(&tmp, body).map_err(fail(path)));
        if let Err(e) = step {
            let _ = std::fs::remove_file(&tmp);
            result = Err(e);
            break;
        }
        written.push((tmp, path));
    }
    if result.is_err() {
        for (tmp, _) in &written {
            let _ = std::fs::remove_file(tmp);
        }
        return result;
    }
    for (tmp, path) in &written {
        std::fs::rename(tmp, path).map_err(fail(path))?;
    }
    Ok(())
}
