//! The `sufficiency` command: a thin layer over the library.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use sufficiency::domain::ObjectiveMode;
use sufficiency::formulation::Formulation;
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
        /// Also write summary.csv, placements.csv, setting_use.csv, gaps.csv and plan.json here.
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
        /// Write the exact program solved, in CPLEX LP format.
        #[arg(long, value_name = "FILE")]
        write_lp: Option<PathBuf>,
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
                    eprintln!(
                        "{n} problem{} found; nothing was solved or written.",
                        if n == 1 { "" } else { "s" }
                    );
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
        Command::Solve {
            model,
            out,
            format,
            solver,
            objective,
            write_lp,
        } => {
            let solver = match solver {
                Some(name) => Solver::from_name(&name).map_err(|m| usage(&model, "--solver", m))?,
                None => Solver::best(),
            };
            let mut model = input::load(&model).map_err(Error::Input)?;
            if let Some(o) = objective {
                model.policy.objective = match o {
                    Objective::Weighted => ObjectiveMode::Weighted,
                    Objective::Lexicographic => ObjectiveMode::Lexicographic,
                };
            }
            let run = sufficiency::run(model, solver)?;
            let tables = Tables::new(&run);
            if let Some(path) = &write_lp {
                let header = vec![
                    format!("{} — {}: placement program written by sufficiency {}", run.model.name, run.model.planning_year, env!("CARGO_PKG_VERSION")),
                    format!("objective: {}; stage solved last shown; optimum {}", run.model.policy.objective.code(), run.plan.stages.last().map_or(0.0, |s| s.value)),
                    "columns x*: children of a demand row at a setting; unmet*: children without a place".into(),
                ];
                write_files(
                    path.parent().unwrap_or(Path::new(".")),
                    &[(file_name(path), run.solved.program.to_lp_format(&header))],
                )?;
            }
            if let Some(dir) = &out {
                let files = vec![
                    ("summary.csv".to_string(), report::csv::summary(&tables)),
                    (
                        "placements.csv".to_string(),
                        report::csv::placements(&tables),
                    ),
                    (
                        "setting_use.csv".to_string(),
                        report::csv::setting_use(&tables),
                    ),
                    ("gaps.csv".to_string(), report::csv::gaps(&tables)),
                    ("plan.json".to_string(), report::json::all(&tables)),
                ];
                write_files(dir, &files)?;
            }
            print(&match format {
                Format::Table => report::text::plan(&run, &tables),
                Format::Csv => report::csv::all(&tables),
                Format::Json => report::json::all(&tables),
            })
        }
    }
}

fn usage(model: &Path, flag: &str, message: String) -> Error {
    let _ = model;
    Error::Input(input::Problems(vec![input::Problem {
        file: PathBuf::from("command line"),
        line: None,
        field: Some(flag.into()),
        message,
    }]))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| "model.lp".into(), |n| n.to_string_lossy().into_owned())
}

fn print(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not an error for the planner.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output {
            path: "standard output".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Writes every file or none: each goes to a hidden temporary name in `dir` first, and
/// only when all are written are they renamed into place.
fn write_files(dir: &Path, files: &[(String, String)]) -> Result<(), Error> {
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    std::fs::create_dir_all(dir).map_err(fail(dir))?;
    let pid = std::process::id();
    let mut written = Vec::new();
    for (name, body) in files {
        let tmp = dir.join(format!(".{name}.{pid}.partial"));
        if let Err(e) = std::fs::write(&tmp, body) {
            for t in &written {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(fail(&dir.join(name))(e));
        }
        written.push(tmp);
    }
    for ((name, _), tmp) in files.iter().zip(&written) {
        std::fs::rename(tmp, dir.join(name)).map_err(fail(&dir.join(name)))?;
    }
    Ok(())
}
