//! The `sufficiency` command: a thin layer over the library.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use sufficiency::domain::{Model, ObjectiveMode, SchoolYear};
use sufficiency::formulation::Formulation;
use sufficiency::horizon::{YearRun, plan_horizon};
use sufficiency::progress::Progress;
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
    /// Choose the capital schemes that cost least over the years planned, within a budget,
    /// and appraise each.
    Schemes {
        /// The model file (TOML) with tables.schemes and tables.scheme_places.
        model: PathBuf,
        /// Most capital to spend, £ (e.g. 12000000, 12m, 500k). Default: no limit.
        #[arg(long, value_name = "AMOUNT", value_parser = parse_money)]
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
        #[arg(long, value_name = "AMOUNTS", value_delimiter = ',', value_parser = parse_money)]
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
    /// map), a workbook, the tables as CSV and a Markdown version, with small counts withheld.
    Annex {
        /// The model file (TOML).
        model: PathBuf,
        /// Folder to write annex.html, annex.xlsx, annex.md and tables/*.csv into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Show every count: turns disclosure control off, for internal use only (the
        /// output says so on every page and sheet).
        #[arg(long)]
        no_suppression: bool,
        /// Capital budget for the schemes shown, £ (default: [annex] capital_budget, else
        /// no limit).
        #[arg(long, value_name = "AMOUNT", value_parser = parse_money)]
        budget: Option<f64>,
        /// Solver to use (default: the best in this build).
        #[arg(long, value_name = "NAME")]
        solver: Option<String>,
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
        /// Folder to write model.toml and its tables into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
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

#[derive(Clone, Copy, ValueEnum)]
enum RobustArg {
    /// Least cost averaged over the variants.
    Expected,
    /// Least worst regret: the most any variant costs above its own best portfolio.
    Regret,
}

/// An amount of money as planners write it: `12000000`, `£12,000,000`, `12m`, `500k`.
fn parse_money(text: &str) -> Result<f64, String> {
    let t = text.trim().trim_start_matches('£').replace(',', "");
    let (number, scale) = match t.chars().last().map(|c| c.to_ascii_lowercase()) {
        Some('m') => (&t[..t.len() - 1], 1e6),
        Some('k') => (&t[..t.len() - 1], 1e3),
        _ => (t.as_str(), 1.0),
    };
    match number.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 && v * scale <= 1e12 => Ok(v * scale),
        _ => Err(format!("'{text}' is not an amount: expected pounds such as 12000000, 12m or 500k")),
    }
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
    let progress = Progress::new(cli.quiet);
    let result = execute(command, &progress);
    // The progress line is cleared before any error is printed.
    drop(progress);
    match result {
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

fn execute(command: Command, progress: &Progress) -> Result<(), Error> {
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
            progress.stage("reading the model");
            let mut model = input::load(&model).map_err(Error::Input)?;
            if let Some(o) = objective {
                model.policy.objective = match o {
                    Objective::Weighted => ObjectiveMode::Weighted,
                    Objective::Lexicographic => ObjectiveMode::Lexicographic,
                };
            }
            if model.horizon.is_some() {
                progress.stage("planning each year");
                let years = plan_horizon(&model, solver)?;
                progress.finish();
                return solve_horizon(&model, &years, out.as_deref(), format, write_lp.as_deref());
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
        Command::Schemes { model, budget, with, without, curve, curve_budgets, robust, out, solver, write_lp } => {
            let solver = pick_solver(solver)?;
            schemes_command(
                progress,
                &model,
                budget,
                &with,
                &without,
                curve,
                &curve_budgets,
                robust,
                out.as_deref(),
                solver,
                write_lp.as_deref(),
            )
        }
        Command::Commission { model, year, fee_rises, out, solver } => {
            let solver = pick_solver(solver)?;
            commission_command(progress, &model, year.as_deref(), &fee_rises, out.as_deref(), solver)
        }
        Command::Generate { localities, settings, years, seed, out } => {
            let spec = sufficiency::generate::Spec {
                localities: localities as usize,
                settings: settings as usize,
                years: years as usize,
                seed,
            };
            let files: Vec<(PathBuf, String)> =
                sufficiency::generate::generate(&spec).into_iter().map(|(name, text)| (out.join(name), text)).collect();
            write_files(&files)?;
            print(&format!("Wrote {} ({} files)\n", out.join("model.toml").display(), files.len()))
        }
        Command::Bench { sizes, solvers, seed, time_limit, one, solver } => {
            bench_command(progress, &sizes, &solvers, seed, time_limit, one.as_deref(), solver)
        }
        Command::Annex { model, out, no_suppression, budget, solver } => {
            let solver = pick_solver(solver)?;
            annex_command(progress, &model, &out, no_suppression, budget, solver)
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
                progress.stage(&format!("solving {}", model.name));
                let years = plan_any(model, solver)?;
                scenarios.push(horizon::ScenarioFigures {
                    name: model.name.clone(),
                    years: years.iter().map(horizon::YearFigures::of).collect(),
                });
            }
            progress.finish();
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

#[allow(clippy::too_many_arguments)]
fn schemes_command(
    progress: &Progress,
    path: &Path,
    budget: Option<f64>,
    with: &[String],
    without: &[String],
    curve: bool,
    curve_budgets: &[f64],
    robust: Option<RobustArg>,
    out: Option<&Path>,
    solver: Solver,
    write_lp: Option<&Path>,
) -> Result<(), Error> {
    use sufficiency::domain::Money;
    use sufficiency::schemes::{self, Appraiser, Choice, Robust};
    progress.stage("reading the model");
    let model = input::load(path).map_err(Error::Input)?;
    if model.schemes.is_empty() {
        return Err(usage(
            "MODEL",
            format!("{} has no candidate schemes: add tables.schemes and tables.scheme_places", model.sources[0]),
        ));
    }
    let ids = |flag: &str, list: &[String]| -> Result<Vec<usize>, Error> {
        list.iter()
            .map(|id| {
                model.schemes.iter().position(|s| s.id == *id).ok_or_else(|| {
                    let known: Vec<&str> = model.schemes.iter().map(|s| s.id.as_str()).collect();
                    usage(flag, format!("'{id}' is not a scheme: expected one of {}", known.join(", ")))
                })
            })
            .collect()
    };
    let choice = Choice {
        budget: budget.map(Money),
        with: ids("--with", with)?,
        without: ids("--without", without)?,
        fixed: None,
    };
    if let Some(why) = choice.impossible(&model) {
        return Err(usage("--with", format!("no portfolio is possible: {why}")));
    }
    // The futures: the model's own forecast variant, then the others listed in [appraisal].
    let mut models = vec![model.clone()];
    let mut names = vec![model.horizon.as_ref().map_or_else(|| "as given".to_string(), |h| h.variant.clone())];
    if robust.is_some() {
        if model.appraisal.variants.is_empty() || model.horizon.is_none() {
            return Err(usage(
                "--robust",
                format!(
                    "{} lists no forecast variants: add `variants = [\"low\", \"central\", \"high\"]` under [appraisal] (needs a [horizon])",
                    model.sources[0]
                ),
            ));
        }
        let mut problems = input::Problems::default();
        for v in &model.appraisal.variants {
            if names.contains(v) {
                continue;
            }
            match input::load_variant(path, Some(v)) {
                Ok(m) => {
                    models.push(m);
                    names.push(v.clone());
                }
                Err(p) => problems.0.extend(p.0),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Input(problems));
        }
    }
    progress.stage("building the schemes program");
    let appraiser = Appraiser::build(&models);
    progress.stage("choosing and appraising the schemes");
    let how = robust.map(|r| match r {
        RobustArg::Expected => Robust::Expected,
        RobustArg::Regret => Robust::Regret,
    });
    let appraised = schemes::appraise(&appraiser, &choice, how, names, solver)?;
    let points = if curve || !curve_budgets.is_empty() {
        let budgets: Vec<Money> = if curve_budgets.is_empty() {
            schemes::curve_budgets(&model, 8)
        } else {
            curve_budgets.iter().copied().map(Money).collect()
        };
        let possible: Vec<Money> = budgets
            .into_iter()
            .filter(|b| Choice { budget: Some(*b), ..choice.clone() }.impossible(&model).is_none())
            .collect();
        progress.stage("the budget curve");
        Some(schemes::budget_curve(&appraiser, &Choice { budget: None, ..choice.clone() }, &possible, solver)?)
    } else {
        None
    };
    let mut files = Vec::new();
    if let Some(lp) = write_lp {
        let (cols, rows, ints) = appraiser.size();
        let header = vec![
            format!("{}: capital schemes program written by sufficiency {}", model.name, env!("CARGO_PKG_VERSION")),
            format!(
                "{cols} columns ({ints} whole-number), {rows} rows; build*/modules*: schemes; other columns as in `solve --write-lp`, suffixed _v<variant>y<year>"
            ),
        ];
        files.push((lp.to_path_buf(), appraiser.lp_text(&choice, &header)));
    }
    if let Some(dir) = out {
        for (name, text) in sufficiency::report::schemes::csv_files(&model, &appraised, points.as_deref()) {
            files.push((dir.join(name), text));
        }
    }
    write_files(&files)?;
    progress.finish();
    print(&sufficiency::report::schemes::text(&model, &appraised, points.as_deref()))
}

fn commission_command(
    progress: &Progress,
    path: &Path,
    year: Option<&str>,
    fee_rises: &[f64],
    out: Option<&Path>,
    solver: Solver,
) -> Result<(), Error> {
    use sufficiency::commissioning;
    use sufficiency::domain::SchoolYear;
    let model = input::load(path).map_err(Error::Input)?;
    if model.purchasing.is_empty() {
        return Err(usage(
            "MODEL",
            format!("{} has no commissioning options: add tables.purchasing_options", model.sources[0]),
        ));
    }
    if let Some(r) = fee_rises.iter().find(|r| !(r.is_finite() && (-0.9..=10.0).contains(*r))) {
        return Err(usage("--fee-rises", format!("{r}: expected fractions such as 0.1 for 10%")));
    }
    let year = match year {
        None => None,
        Some(text) => Some(
            SchoolYear::parse(text)
                .ok_or_else(|| usage("--year", format!("'{text}' is not a school year: expected e.g. 2027/28")))?,
        ),
    };
    let one = commissioning::year_model(&model, year).map_err(|m| usage("--year", m))?;
    progress.stage("comparing the options");
    let comparison = commissioning::compare(&one, solver)?;
    let mut cases = vec![("As given".to_string(), one.clone())];
    for r in fee_rises {
        cases.push((
            format!("Independent fees {:+}%", (r * 100.0 * 10.0).round() / 10.0),
            commissioning::with_fees_raised(&one, *r),
        ));
    }
    // Demand in the other forecast variants of [appraisal], the same year.
    if let Some(h) = &model.horizon {
        let mut problems = input::Problems::default();
        for v in model.appraisal.variants.iter().filter(|v| **v != h.variant) {
            match input::load_variant(path, Some(v)) {
                Ok(m) => {
                    let y = year.or_else(|| SchoolYear::parse(&one.planning_year));
                    let m = commissioning::year_model(&m, y).map_err(|e| usage("--year", e))?;
                    cases.push((format!("Demand: {v} forecast"), m));
                }
                Err(p) => problems.0.extend(p.0),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Input(problems));
        }
    }
    progress.stage("sensitivity");
    let sensitivity = commissioning::sensitivity(&cases, solver)?;
    progress.finish();
    if let Some(dir) = out {
        let files: Vec<(PathBuf, String)> =
            sufficiency::report::commissioning::csv_files(&one, &comparison, &sensitivity)
                .into_iter()
                .map(|(name, text)| (dir.join(name), text))
                .collect();
        write_files(&files)?;
    }
    print(&sufficiency::report::commissioning::text(&one, &comparison, &sensitivity))
}

fn annex_command(
    progress: &Progress,
    path: &Path,
    out: &Path,
    no_suppression: bool,
    budget: Option<f64>,
    solver: Solver,
) -> Result<(), Error> {
    use sufficiency::annex::{self, Annex, Inputs, SchemesPart};
    use sufficiency::domain::Money;
    use sufficiency::schemes::{self, Appraiser, Choice};
    progress.stage("reading the model");
    let model = input::load(path).map_err(Error::Input)?;
    progress.stage("planning each year");
    let years = plan_any(&model, solver)?;
    let cli_budget = budget;
    let budget = budget.map(Money).or(model.annex.capital_budget);
    let appraised = if model.schemes.is_empty() {
        None
    } else {
        progress.stage("choosing capital schemes");
        let appraiser = Appraiser::build(std::slice::from_ref(&model));
        let choice = Choice { budget, with: Vec::new(), without: Vec::new(), fixed: None };
        let names = vec![model.horizon.as_ref().map_or_else(|| "as given".to_string(), |h| h.variant.clone())];
        Some(schemes::appraise(&appraiser, &choice, None, names, solver)?)
    };
    let comparison = if model.purchasing.is_empty() {
        None
    } else {
        progress.stage("comparing commissioning options");
        let one = sufficiency::commissioning::year_model(&model, None).map_err(|m| usage("MODEL", m))?;
        Some(sufficiency::commissioning::compare(&one, solver)?)
    };
    let mut command = format!("sufficiency annex {} --out {}", path.display(), out.display());
    if no_suppression {
        command.push_str(" --no-suppression");
    }
    if let Some(b) = cli_budget {
        command.push_str(&format!(" --budget {b}"));
    }
    let inputs = Inputs {
        model: &model,
        years: &years,
        schemes: appraised.as_ref().map(|appraised| SchemesPart { appraised, budget }),
        commissioning: comparison.as_ref(),
        threshold: if no_suppression { None } else { Some(model.annex.suppression_threshold) },
        produced: today(),
        command,
    };
    progress.stage("tables and disclosure control");
    let annex = Annex::build(&inputs);
    progress.stage("writing");
    let xlsx = annex::xlsx::workbook(&annex)
        .map_err(|e| Error::Output { path: out.join("annex.xlsx"), source: std::io::Error::other(e) })?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (out.join("annex.html"), annex::html::page(&annex).into_bytes()),
        (out.join("annex.xlsx"), xlsx),
        (out.join("annex.md"), annex::markdown::document(&annex).into_bytes()),
    ];
    for (name, text) in annex.csv_files() {
        files.push((out.join("tables").join(name), text.into_bytes()));
    }
    write_files(&files)?;
    progress.finish();
    let mut text = format!("{}: {}, {}\n", annex.model, annex.title, annex.years);
    text.push_str(&format!("{}\n", annex.disclosure.statement()));
    text.push_str(&format!(
        "Wrote {} ({} tables, {} figures), annex.xlsx, annex.md and tables/*.csv to {}\n",
        "annex.html",
        annex.tables().count(),
        annex.figures().count(),
        out.display()
    ));
    print(&text)
}

/// Today's date (UTC) as 2026-11-25; `SOURCE_DATE_EPOCH` (seconds) fixes it, for
/// reproducible output.
fn today() -> String {
    let seconds =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    // Days to civil date (H. Hinnant's algorithm).
    let z = seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
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
    years: &[YearRun],
    out: Option<&Path>,
    format: Format,
    write_lp: Option<&Path>,
) -> Result<(), Error> {
    let mut files = Vec::new();
    if let Some(path) = write_lp {
        // One LP file a year: model.lp becomes model-2025-26.lp, ...
        for y in years {
            let stem = path.file_stem().map_or_else(|| "model".into(), |s| s.to_string_lossy().into_owned());
            let name = format!("{stem}-{}.lp", y.year.to_string().replace('/', "-"));
            files.push((path.with_file_name(name), lp_text(&y.run)));
        }
    }
    let csvs = [
        ("summary.csv", horizon::summary_by_year(years)),
        ("placements.csv", horizon::each_year(years, report::csv::placements_table)),
        ("setting_use.csv", horizon::each_year(years, report::csv::setting_use_table)),
        ("gaps.csv", horizon::each_year(years, report::csv::gaps_table)),
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
        Format::Table => horizon::plan_text(model, years),
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
fn write_files<B: AsRef<[u8]>>(files: &[(PathBuf, B)]) -> Result<(), Error> {
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

/// `bench`: one size and solver in this process (`--one`), or every size and solver, each in
/// a child process, gathered into a table.
fn bench_command(
    progress: &Progress,
    sizes: &[String],
    solvers: &[String],
    seed: u64,
    time_limit: u64,
    one: Option<&str>,
    solver: Option<String>,
) -> Result<(), Error> {
    use sufficiency::bench;
    if let Some(size) = one {
        let size = bench::size_named(size).map_err(|m| usage("--one", m))?;
        let solver = pick_solver(solver)?;
        let dir = tempfile_dir()?;
        let measured = bench::measure(size, seed, solver, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        return print(&format!("{}\n", serde_json::to_string(&measured?).unwrap_or_default()));
    }
    let sizes: Vec<bench::Size> =
        sizes.iter().map(|s| bench::size_named(s)).collect::<Result<_, _>>().map_err(|m| usage("--sizes", m))?;
    let solvers: Vec<Solver> = if solvers.is_empty() {
        Solver::available()
    } else {
        solvers.iter().map(|s| Solver::from_name(s)).collect::<Result<_, _>>().map_err(|m| usage("--solvers", m))?
    };
    let exe = std::env::current_exe().map_err(|source| Error::Output { path: "this program".into(), source })?;
    let mut results = Vec::new();
    for size in &sizes {
        for &solver in &solvers {
            progress.stage(&format!("{} with {solver}", size.name));
            let outcome = bench::run_child(&exe, *size, solver, seed, std::time::Duration::from_secs(time_limit));
            results.push((*size, solver, outcome));
        }
    }
    progress.finish();
    let head = format!(
        "sufficiency {} bench, seed {seed}; {} cores; times in seconds, peak resident memory in MB\n\n",
        env!("CARGO_PKG_VERSION"),
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    print(&(head + &bench::table(&results)))
}

/// A fresh folder under the system's temporary folder.
fn tempfile_dir() -> Result<PathBuf, Error> {
    let dir = std::env::temp_dir().join(format!("sufficiency-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| Error::Output { path: dir.clone(), source })?;
    Ok(dir)
}
