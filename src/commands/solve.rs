//! `solve`: the least-cost placement of every child (every year of a multi-year model), the
//! files asked for, and the plan printed; with the program written in CPLEX LP format or the
//! placement network in DIMACS for other solvers.

use std::path::PathBuf;

use crate::model::{Model, ObjectiveMode};
use crate::optimise::run::{Error, Run};
use crate::optimise::solve::Solver;
use crate::outputs::files::{print, write_files};
use crate::outputs::progress::Progress;
use crate::outputs::report::{self, Tables, horizon};
use crate::planning::horizon::YearRun;

use super::shared::{file_option, plan_years, read_model, run_shown, solver_named, usage};

/// What `solve` prints on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned tables for the terminal.
    #[default]
    Table,
    /// Every table as CSV, each headed by a `# name` line.
    Csv,
    /// Every table in one JSON document.
    Json,
    /// Settings, home localities and flows as one GeoJSON feature collection (for GIS).
    Geojson,
}

/// Options of `solve`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SolveOptions {
    /// The model file (TOML).
    pub model: PathBuf,
    /// Also write summary.csv, placements.csv, setting_use.csv, gaps.csv and plan.json here
    /// (for a multi-year model, every year, with a year column).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Solver to use (default: the best in this build).
    #[arg(long, value_name = "NAME", value_parser = solver_named)]
    pub solver: Option<Solver>,
    /// Override the model's objective.
    #[arg(long, value_enum)]
    pub objective: Option<ObjectiveMode>,
    /// Write the exact program solved, in CPLEX LP format (one file a year for a
    /// multi-year model: FILE-2025-26.lp, ...).
    #[arg(long, value_name = "FILE")]
    pub write_lp: Option<PathBuf>,
    /// Write the placement network (weighted cost with the tie-break charge) in the
    /// DIMACS min-cost flow format, for other network solvers (a single-year model).
    #[arg(long, value_name = "FILE")]
    pub write_network: Option<PathBuf>,
}

/// `solve`: finds the least-cost placement of every child (every year of a multi-year
/// model), writes the files asked for and prints the plan.
///
/// # Errors
/// A bad option, the model's problems, solver failure, a failed check, or output that
/// cannot be written.
pub fn solve(options: &SolveOptions, progress: &Progress) -> Result<(), Error> {
    let solver = options.solver.unwrap_or_else(Solver::best);
    progress.stage("reading the model");
    let mut model = read_model(&options.model, Some(progress))?;
    file_option("--write-lp", options.write_lp.as_deref(), options.out.as_deref())?;
    file_option("--write-network", options.write_network.as_deref(), options.out.as_deref())?;
    if let Some(o) = options.objective {
        model.policy.objective = o;
    }
    if let Some(ahead) = model.years_ahead() {
        if options.write_network.is_some() {
            return Err(usage(
                "--write-network",
                "a single-year model only: write one year with --year in a scenario".into(),
            ));
        }
        let years = plan_years(ahead, solver, progress)?;
        progress.finish();
        return solve_horizon(&model, &years, options);
    }
    let run = run_shown(model, solver, progress)?;
    progress.finish();
    let tables = Tables::new(&run);
    let mut files = Vec::new();
    if let Some(path) = &options.write_lp {
        files.push((path.clone(), lp_text(&run)));
    }
    if let Some(path) = &options.write_network {
        files.push((
            path.clone(),
            network_text(&run).ok_or_else(|| {
                usage("--write-network", "the program is not a network (it has scheme, purchase or cap rows)".into())
            })?,
        ));
    }
    if let Some(dir) = &options.out {
        files.push((dir.join("summary.csv"), report::csv::summary(&tables)));
        files.push((dir.join("placements.csv"), report::csv::placements(&tables)));
        files.push((dir.join("setting_use.csv"), report::csv::setting_use(&tables)));
        files.push((dir.join("gaps.csv"), report::csv::gaps(&tables)));
        files.push((dir.join("placement_reasons.csv"), report::csv::placement_reasons(&tables)));
        files.push((dir.join("plan.json"), report::json::all(&tables)));
    }
    let layers = crate::outputs::geojson::Layers::of(&run, &run.model.planning_year.to_string());
    if let Some(dir) = &options.out {
        files.extend(layers.files().into_iter().map(|(name, text)| (dir.join(name), text)));
    }
    write_files(&files)?;
    print(&match options.format {
        Format::Table => report::text::plan(&run, &tables),
        Format::Csv => report::csv::all(&tables),
        Format::Json => report::json::all(&tables),
        Format::Geojson => layers.one(),
    })
}

/// `solve` for a multi-year model, once every year is planned.
fn solve_horizon(model: &Model, years: &[YearRun], options: &SolveOptions) -> Result<(), Error> {
    let mut files = Vec::new();
    if let Some(path) = &options.write_lp {
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
    let layers = || {
        crate::outputs::geojson::Layers::joined(
            years.iter().map(|y| crate::outputs::geojson::Layers::of(&y.run, &y.year.to_string())).collect(),
        )
    };
    if let Some(dir) = &options.out {
        for (name, table) in &csvs {
            files.push((dir.join(name), table.text()));
        }
        // Not in `csvs`: --format csv prints the tables it always printed.
        let reasons = horizon::each_year(years, report::csv::placement_reasons_table);
        files.push((dir.join("placement_reasons.csv"), reasons.text()));
        files.push((dir.join("plan.json"), json()));
        files.extend(layers().files().into_iter().map(|(name, text)| (dir.join(name), text)));
    }
    write_files(&files)?;
    print(&match options.format {
        Format::Table => horizon::plan_text(model, years),
        Format::Csv => csvs
            .iter()
            .map(|(name, t)| format!("# {}\n{}", name.trim_end_matches(".csv"), t.text()))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => json(),
        Format::Geojson => layers().one(),
    })
}

/// The placement network in DIMACS (weighted cost with the tie-break charge), or `None`.
fn network_text(run: &Run) -> Option<String> {
    let mut objective = run.formulation.objective(crate::optimise::formulation::Aim::Weighted);
    for (c, t) in objective.iter_mut().zip(run.formulation.tie_break()) {
        *c += t;
    }
    let header = [format!(
        "{} — {}: placement network written by sufficiency {} (weighted cost with the tie-break charge)",
        run.model.name,
        run.model.planning_year,
        env!("CARGO_PKG_VERSION")
    )];
    crate::optimise::flow::dimacs(&run.model, &run.formulation, &objective, &header)
}

/// The program a run solved, in CPLEX LP format, headed by what it is.
fn lp_text(run: &Run) -> String {
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
            crate::optimise::solve::TIE_BREAK_PER_MINUTE
        ),
        "columns x*: children of a demand row at a setting; unmet*: children without a place".into(),
    ];
    run.solved.program.to_lp_format(&header)
}
