//! The commands of the `sufficiency` program, one function each: read the model, run the
//! library, write the files asked for (all or none) and print the report on standard output.
//!
//! Each takes its options as plain types, so the program's argument parser is the only
//! part that knows about the command line. A mistake in the options is an
//! [`Error::Input`] naming the flag, as `command line: field '--solver': ...`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::model::input;
use crate::model::{Model, Money, ObjectiveMode, SchoolYear};
use crate::optimise::formulation::Formulation;
use crate::optimise::run::{Error, Run};
use crate::optimise::solve::Solver;
use crate::outputs::files::{print, today, write_files};
use crate::outputs::progress::Progress;
use crate::outputs::report::{self, Tables, horizon};
use crate::planning::horizon::YearRun;
use crate::planning::ready;
use crate::planning::schemes::Robust;
use crate::travel::JourneyTable;

/// What `solve` prints on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned tables for the terminal.
    #[default]
    Table,
    /// Every table as CSV, each headed by a `# name` line.
    Csv,
    /// Every table in one JSON document.
    Json,
    /// Settings, home localities and flows as one GeoJSON feature collection.
    Geojson,
}

/// What `compare` prints on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompareFormat {
    /// Aligned table for the terminal.
    #[default]
    Table,
    /// CSV.
    Csv,
}

/// Options of `solve`.
#[derive(Debug, Clone, Default)]
pub struct SolveOptions {
    /// The model file.
    pub model: PathBuf,
    /// Folder for summary.csv, placements.csv, setting_use.csv, gaps.csv and plan.json.
    pub out: Option<PathBuf>,
    /// What to print.
    pub format: Format,
    /// Solver by name (default: the best in this build).
    pub solver: Option<String>,
    /// The objective, in place of the model's own.
    pub objective: Option<ObjectiveMode>,
    /// File for the program solved, in CPLEX LP format (one a year for a multi-year model).
    pub write_lp: Option<PathBuf>,
    /// File for the placement network, in the DIMACS min-cost flow format (a single-year
    /// model).
    pub write_network: Option<PathBuf>,
}

/// Options of `compare`.
#[derive(Debug, Clone, Default)]
pub struct CompareOptions {
    /// The base model first, then the scenarios.
    pub models: Vec<PathBuf>,
    /// Folder for compare.csv.
    pub out: Option<PathBuf>,
    /// What to print.
    pub format: CompareFormat,
    /// Solver by name (default: the best in this build).
    pub solver: Option<String>,
}

/// Options of `schemes`.
#[derive(Debug, Clone, Default)]
pub struct SchemesOptions {
    /// The model file, with candidate schemes.
    pub model: PathBuf,
    /// Most capital to spend, £ (none: no limit).
    pub budget: Option<f64>,
    /// Schemes forced in, by id.
    pub with: Vec<String>,
    /// Schemes left out, by id.
    pub without: Vec<String>,
    /// Whether to show the best portfolio at a range of budgets.
    pub curve: bool,
    /// Budgets for the curve, £ (empty: round steps up to every scheme).
    pub curve_budgets: Vec<f64>,
    /// One portfolio chosen across the forecast variants of `[appraisal]`, and how.
    pub robust: Option<Robust>,
    /// Folder for schemes.csv, portfolios.csv and the rest.
    pub out: Option<PathBuf>,
    /// Solver by name (default: the best in this build).
    pub solver: Option<String>,
    /// File for the mixed-integer program, in CPLEX LP format.
    pub write_lp: Option<PathBuf>,
}

/// Options of `commission`.
#[derive(Debug, Clone, Default)]
pub struct CommissionOptions {
    /// The model file, with purchasing options.
    pub model: PathBuf,
    /// The school year to evaluate, as written (e.g. 2027/28; none: the last year planned).
    pub year: Option<String>,
    /// Fee rises for the sensitivity table, as fractions.
    pub fee_rises: Vec<f64>,
    /// Folder for commissioning.csv, option_use.csv, break_even.csv and sensitivity.csv.
    pub out: Option<PathBuf>,
    /// Solver by name (default: the best in this build).
    pub solver: Option<String>,
}

/// Options of `annex`.
#[derive(Debug, Clone, Default)]
pub struct AnnexOptions {
    /// The model file.
    pub model: PathBuf,
    /// Folder for annex.html, annex.xlsx, annex.md and tables/*.csv.
    pub out: PathBuf,
    /// Whether to show every count (disclosure control off, for internal use only).
    pub no_suppression: bool,
    /// Capital budget for the schemes shown, £ (none: `[annex] capital_budget`, else no limit).
    pub budget: Option<f64>,
    /// Solver by name (default: the best in this build).
    pub solver: Option<String>,
}

/// Options of `bench`.
#[derive(Debug, Clone, Default)]
pub struct BenchOptions {
    /// Sizes to run, by name (borough, region, england).
    pub sizes: Vec<String>,
    /// Solvers to run, by name (empty: every solver compiled in).
    pub solvers: Vec<String>,
    /// Seed for the generated models.
    pub seed: u64,
    /// Longest any one run may take.
    pub time_limit: Duration,
    /// Measure this one size in this process and print it as JSON (what the table's child
    /// processes run).
    pub one: Option<String>,
    /// The solver for `one`.
    pub solver: Option<String>,
}

/// `solvers`: lists the solvers compiled into this build, the default first.
pub fn solvers() {
    for (i, s) in Solver::available().iter().enumerate() {
        println!("{}{}", s.name(), if i == 0 { " (default)" } else { "" });
    }
}

/// `check`: reads a model and summarises its inputs, without solving.
///
/// # Errors
/// The model's problems, or if standard output cannot be written.
pub fn check(model: &Path, progress: &Progress) -> Result<(), Error> {
    progress.stage("reading the model, working out journeys and building the program");
    let (model, journeys, formulation) = checked(model)?;
    progress.finish();
    tell_notes(&[&model], None);
    print(&report::inputs::summary(&model, &journeys, &formulation))
}

/// `check MODEL --against FILE...`: checks the model as `check` does, then prints its base
/// year beside what the DfE publishes (the files or folders `against`: the caseload by
/// establishment type and by age, the need mix, residential placements) for the authority
/// `la` (by default the one named in the model's name or description).
///
/// # Errors
/// The model's problems, or the published file's.
pub fn check_against(model: &Path, against: &[PathBuf], la: Option<&str>) -> Result<(), Error> {
    let (model, _, _) = checked(model)?;
    tell_notes(&[&model], None);
    let january = model.planning_year.0 + 1;
    let named = format!("{}\n{}", model.name, model.description);
    let read = input::sen2::read_all(against, la, &named, january, "--la").map_err(Error::Input)?;
    print(&report::against::report_all(&model, &read))
}

/// Options of `import gias`.
#[derive(Debug, Clone)]
pub struct ImportGiasOptions {
    /// The GIAS "all establishment data" CSV.
    pub file: PathBuf,
    /// A model file, or an authority's code or name.
    pub near: String,
    /// Settings outside the borough are kept within this distance, km.
    pub within_km: f64,
    /// The settings table to write.
    pub out: PathBuf,
}

/// `import gias`: writes a settings table from the register of schools (see
/// [`crate::tools::import::gias`]); tells each kind's cost per place and every warning on
/// standard error, and what was kept on standard output.
///
/// # Errors
/// A bad option, the model's problems (when `--near` names one), the file's, or output that
/// cannot be written.
pub fn import_gias(options: &ImportGiasOptions) -> Result<(), Error> {
    use crate::tools::import::gias::{Near, import};
    if !(options.within_km.is_finite() && options.within_km >= 0.0) {
        return Err(usage("--within", format!("{} is not a distance: expected km, 0 or more", options.within_km)));
    }
    file_option("--out", Some(&options.out), None)?;
    let near_path = Path::new(&options.near);
    let model = if near_path.is_file() { Some(read_model(near_path, None)?) } else { None };
    let near = match &model {
        Some(m) => Near::Model(m),
        None => Near::Authority(&options.near),
    };
    let imported = import(&options.file, &options.file, &near, options.within_km).map_err(Error::Input)?;
    for w in &imported.warnings {
        eprintln!("warning: {w}");
    }
    for c in &imported.costs {
        eprintln!("cost per place, {}: £{}, {}", c.kind.code(), input::grouped(c.pounds.round() as usize), c.from);
    }
    write_files(&[(options.out.clone(), imported.settings_csv())])?;
    print(&imported.summary(&options.out, options.within_km))
}

/// What `import sen2` reads and where it writes.
#[derive(Debug)]
pub struct ImportSen2Options {
    /// The export's folder, or its module files.
    pub inputs: Vec<PathBuf>,
    /// The model: its settings, localities, needs and phases.
    pub model: PathBuf,
    /// The postcode lookup: `postcode,locality`, or the ONS postcode directory's
    /// `pcds,lat,long`.
    pub postcodes: PathBuf,
    /// The folder to write the tables into.
    pub out: PathBuf,
}

/// `import sen2`: the base year's placements and need from the council's SEN2 person-level
/// return (see [`crate::tools::import::sen2`]); writes `current_placements.csv`,
/// `cohort.csv`, `demand.csv`, `settings_not_in_model.csv` and `reconciliation.csv` into the
/// folder, all or none, and prints the reconciliation.
///
/// # Errors
/// The model's problems, the export's or the lookup's, or output that cannot be written.
pub fn import_sen2(options: &ImportSen2Options) -> Result<(), Error> {
    use crate::tools::import::sen2::import;
    if options.out.exists() && !options.out.is_dir() {
        return Err(usage(
            "--out",
            format!("{} is a file: expected a folder to write the tables into", options.out.display()),
        ));
    }
    let model = read_model(&options.model, None)?;
    let imported = import(&options.inputs, &options.postcodes, &model).map_err(Error::Input)?;
    let files = [
        ("current_placements.csv", imported.current_placements_csv()),
        ("cohort.csv", imported.cohort_csv()),
        ("demand.csv", imported.demand_csv()),
        ("settings_not_in_model.csv", imported.not_in_model_csv()),
        ("reconciliation.csv", imported.reconciliation_csv()),
    ];
    let files: Vec<(PathBuf, String)> = files.into_iter().map(|(name, body)| (options.out.join(name), body)).collect();
    write_files(&files)?;
    print(&imported.summary(&options.out))
}

/// What `check` checks, without printing: the model read, and the penalty rule every
/// command applies before solving. Returns the model with its journeys and program.
///
/// # Errors
/// The model's problems.
pub fn checked(model: &Path) -> Result<(Model, JourneyTable, Formulation), Error> {
    let model = ready::load(model).map_err(Error::Input)?;
    let journeys = JourneyTable::build(&model);
    let formulation = Formulation::build(&model, &journeys);
    // The same rule `solve` applies before solving, so that `check` and every command agree.
    if let Some(problem) = crate::optimise::run::penalty_problem(&model, &formulation) {
        return Err(Error::Input(input::Problems(vec![problem])));
    }
    Ok((model, journeys, formulation))
}

/// Tells the notes on how the models were read (a table's encoding assumed) on standard
/// error, each once, as `note: ...` lines (above the progress line, if one is shown).
fn tell_notes(models: &[&Model], progress: Option<&Progress>) {
    let mut told: Vec<String> = Vec::new();
    for note in models.iter().flat_map(|m| &m.notes) {
        let line = format!("note: {note}");
        if !told.contains(&line) {
            match progress {
                Some(p) => p.say(&line),
                None => eprintln!("{line}"),
            }
            told.push(line);
        }
    }
}

/// Reads the model at `path` ([`input::load`]) and tells its notes.
fn read_model(path: &Path, progress: Option<&Progress>) -> Result<Model, Error> {
    let model = ready::load(path).map_err(Error::Input)?;
    tell_notes(&[&model], progress);
    Ok(model)
}

/// `solve`: finds the least-cost placement of every child (every year of a multi-year
/// model), writes the files asked for and prints the plan.
///
/// # Errors
/// A bad option, the model's problems, solver failure, a failed check, or output that
/// cannot be written.
pub fn solve(options: &SolveOptions, progress: &Progress) -> Result<(), Error> {
    let solver = pick_solver(options.solver.as_deref())?;
    progress.stage("reading the model");
    let mut model = read_model(&options.model, Some(progress))?;
    file_option("--write-lp", options.write_lp.as_deref(), options.out.as_deref())?;
    file_option("--write-network", options.write_network.as_deref(), options.out.as_deref())?;
    if let Some(o) = options.objective {
        model.policy.objective = o;
    }
    if model.horizon.is_some() {
        if options.write_network.is_some() {
            return Err(usage(
                "--write-network",
                "a single-year model only: write one year with --year in a scenario".into(),
            ));
        }
        let years = plan_years(&model, solver, progress)?;
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

/// The program a run solved, in CPLEX LP format, headed by what it is.
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

/// The penalty rule ([`crate::optimise::run::penalty_problem`]) on `model`'s own year, for the commands that
/// build their own programs and plan no year through [`crate::optimise::run::run`] first (schemes,
/// commissioning), so that they refuse what
/// `check` and `solve` refuse.
fn check_penalty(model: &Model) -> Result<(), Error> {
    let formulation = Formulation::build(model, &JourneyTable::build(model));
    match crate::optimise::run::penalty_problem(model, &formulation) {
        Some(problem) => Err(Error::Input(input::Problems(vec![problem]))),
        None => Ok(()),
    }
}

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

/// `forecast`: need by year, need and phase for a multi-year model; forecast.csv in `out`.
///
/// # Errors
/// The model's problems, a model without a horizon, or output that cannot be written.
pub fn forecast(model: &Path, out: Option<&Path>) -> Result<(), Error> {
    let model = read_model(model, None)?;
    if model.horizon.is_none() {
        return Err(usage(
            "MODEL",
            format!("{} has no [horizon] section: a forecast needs a multi-year model", model.sources[0]),
        ));
    }
    let grids = crate::planning::forecast::project(&model);
    if let Some(dir) = out {
        write_files(&[(dir.join("forecast.csv"), horizon::forecast_csv(&model, &grids).text())])?;
    }
    print(&horizon::forecast_text(&model, &grids))
}

/// `compare`: solves a base model and its scenarios and shows them side by side.
///
/// # Errors
/// A bad option, any model's problems (all of them together), solver failure, a failed
/// check, or output that cannot be written.
pub fn compare(options: &CompareOptions, progress: &Progress) -> Result<(), Error> {
    let solver = pick_solver(options.solver.as_deref())?;
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

/// `schemes`: chooses the capital schemes that cost least over the years planned, within
/// the budget, appraises each, and optionally traces the best portfolio against budget.
///
/// # Errors
/// A bad option (an unknown scheme, an impossible choice), the model's or a variant's
/// problems, solver failure, or output that cannot be written.
pub fn schemes(options: &SchemesOptions, progress: &Progress) -> Result<(), Error> {
    use crate::planning::schemes::{self, Appraiser, Choice};
    let solver = pick_solver(options.solver.as_deref())?;
    let path = &options.model;
    progress.stage("reading the model");
    let model = read_model(path, Some(progress))?;
    file_option("--write-lp", options.write_lp.as_deref(), options.out.as_deref())?;
    check_penalty(&model)?;
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
        budget: options.budget.map(Money),
        with: ids("--with", &options.with)?,
        without: ids("--without", &options.without)?,
        fixed: None,
    };
    if let Some(why) = choice.impossible(&model) {
        return Err(usage("--with", format!("no portfolio is possible: {why}")));
    }
    // The futures: the model's own forecast variant, then the others listed in [appraisal].
    let mut models = vec![model.clone()];
    let mut names = vec![model.horizon.as_ref().map_or_else(|| "as given".to_string(), |h| h.variant.clone())];
    if options.robust.is_some() {
        if model.appraisal.variants.is_empty() || model.horizon.is_none() {
            return Err(usage(
                "--robust",
                format!(
                    "{} lists no forecast variants: add `variants = [\"low\", \"central\", \"high\"]` under [appraisal] (needs a [horizon])",
                    model.sources[0]
                ),
            ));
        }
        for v in &model.appraisal.variants {
            if !names.contains(v) {
                names.push(v.clone());
            }
        }
        models.extend(ready::load_variants(path, &names[1..]).map_err(Error::Input)?);
    }
    progress.stage("building the schemes program");
    let appraiser = Appraiser::build(&models);
    progress.stage("choosing and appraising the schemes");
    let appraised = schemes::appraise(&appraiser, &choice, options.robust, names, solver)?;
    let points = if options.curve || !options.curve_budgets.is_empty() {
        let budgets: Vec<Money> = if options.curve_budgets.is_empty() {
            schemes::curve_budgets(&model, 8)
        } else {
            options.curve_budgets.iter().copied().map(Money).collect()
        };
        let possible: Vec<Money> = budgets
            .into_iter()
            .filter(|b| Choice { budget: Some(*b), ..choice.clone() }.impossible(&model).is_none())
            .collect();
        let mut curve = Vec::with_capacity(possible.len());
        for (k, budget) in possible.iter().enumerate() {
            progress.step("the budget curve", k, possible.len());
            let open = Choice { budget: None, ..choice.clone() };
            curve.extend(schemes::budget_curve(&appraiser, &open, std::slice::from_ref(budget), solver)?);
        }
        Some(curve)
    } else {
        None
    };
    let mut files = Vec::new();
    if let Some(lp) = &options.write_lp {
        let (cols, rows, ints) = appraiser.size();
        let header = vec![
            format!("{}: capital schemes program written by sufficiency {}", model.name, env!("CARGO_PKG_VERSION")),
            format!(
                "{cols} columns ({ints} whole-number), {rows} rows; build*/modules*: schemes; other columns as in `solve --write-lp`, suffixed _v<variant>y<year>"
            ),
        ];
        files.push((lp.clone(), appraiser.lp_text(&choice, &header)));
    }
    if let Some(dir) = &options.out {
        for (name, text) in report::schemes::csv_files(&model, &appraised, points.as_deref()) {
            files.push((dir.join(name), text));
        }
    }
    write_files(&files)?;
    progress.finish();
    print(&report::schemes::text(&model, &appraised, points.as_deref()))
}

/// `commission`: compares ways of buying independent places in one year (spot purchase,
/// each option, the best combination), with fee rises and the other forecast variants of
/// `[appraisal]` as sensitivities.
///
/// # Errors
/// A bad option, the model's or a variant's problems, a model without purchasing options,
/// solver failure, or output that cannot be written.
pub fn commission(options: &CommissionOptions, progress: &Progress) -> Result<(), Error> {
    use crate::planning::commissioning;
    let solver = pick_solver(options.solver.as_deref())?;
    let path = &options.model;
    let model = read_model(path, Some(progress))?;
    check_penalty(&model)?;
    if model.purchasing.is_empty() {
        return Err(usage(
            "MODEL",
            format!("{} has no commissioning options: add tables.purchasing_options", model.sources[0]),
        ));
    }
    if let Some(r) = options.fee_rises.iter().find(|r| !(r.is_finite() && (-0.9..=10.0).contains(*r))) {
        return Err(usage("--fee-rises", format!("{r}: expected fractions such as 0.1 for 10%")));
    }
    let year = match &options.year {
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
    for r in &options.fee_rises {
        cases.push((
            format!("Independent fees {:+}%", (r * 100.0 * 10.0).round() / 10.0),
            commissioning::with_fees_raised(&one, *r),
        ));
    }
    // Demand in the other forecast variants of [appraisal], the same year.
    if let Some(h) = &model.horizon {
        let others: Vec<&String> = model.appraisal.variants.iter().filter(|v| **v != h.variant).collect();
        let variants = ready::load_variants(path, &others).map_err(Error::Input)?;
        for (v, m) in others.into_iter().zip(variants) {
            let y = year.or(Some(one.planning_year));
            let m = commissioning::year_model(&m, y).map_err(|e| usage("--year", e))?;
            cases.push((format!("Demand: {v} forecast"), m));
        }
    }
    progress.stage("sensitivity");
    let sensitivity = commissioning::sensitivity(&cases, solver)?;
    progress.finish();
    if let Some(dir) = &options.out {
        let files: Vec<(PathBuf, String)> = report::commissioning::csv_files(&one, &comparison, &sensitivity)
            .into_iter()
            .map(|(name, text)| (dir.join(name), text))
            .collect();
        write_files(&files)?;
    }
    print(&report::commissioning::text(&one, &comparison, &sensitivity))
}

/// `annex`: writes the sufficiency statement annex (annex.html, annex.xlsx, annex.md and
/// tables/*.csv), with small counts withheld unless `no_suppression`, and prints what it
/// wrote.
///
/// # Errors
/// A bad option, the model's problems, solver failure, a failed check, or output that
/// cannot be written.
pub fn annex(options: &AnnexOptions, progress: &Progress) -> Result<(), Error> {
    // Names from input files may carry control characters: none reaches the page.
    let clean = |text: String| crate::outputs::files::without_control_characters(&text).into_owned().into_bytes();
    use crate::outputs::annex::{self, Annex, Inputs, SchemesPart};
    use crate::planning::schemes::{self, Appraiser, Choice};
    let solver = pick_solver(options.solver.as_deref())?;
    let (path, out) = (&options.model, &options.out);
    progress.stage("reading the model");
    let model = read_model(path, Some(progress))?;
    // Each year's plan applies the penalty rule before anything else is solved.
    let years = plan_any(&model, solver, progress, "planning each year")?;
    let budget = options.budget.map(Money).or(model.annex.capital_budget);
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
        let one = crate::planning::commissioning::year_model(&model, None).map_err(|m| usage("MODEL", m))?;
        Some(crate::planning::commissioning::compare(&one, solver)?)
    };
    let mut command = format!("sufficiency annex {} --out {}", path.display(), out.display());
    if options.no_suppression {
        command.push_str(" --no-suppression");
    }
    if let Some(b) = options.budget {
        command.push_str(&format!(" --budget {b}"));
    }
    // The forecast variants the model names, for the band of forecasts (each as `forecast`
    // would give it).
    let mut bands = Vec::new();
    if let Some(h) = &model.horizon {
        for variant in &model.appraisal.variants {
            let m = if *variant == h.variant {
                model.clone()
            } else {
                ready::load_variant(path, Some(variant)).map_err(Error::Input)?
            };
            let Some(horizon) = m.horizon.as_ref() else { continue };
            let by_need = crate::planning::forecast::project(&m)
                .iter()
                .map(|grid| {
                    let mut need = vec![0.0; m.needs.len()];
                    for (_, n, year_group, _, children) in grid.cells() {
                        if horizon.phase_of(year_group).is_some() {
                            need[n.0] += children;
                        }
                    }
                    need
                })
                .collect();
            bands.push(annex::Band { variant: variant.clone(), by_need });
        }
    }
    let inputs = Inputs {
        model: &model,
        years: &years,
        schemes: appraised.as_ref().map(|appraised| SchemesPart { appraised, budget }),
        commissioning: comparison.as_ref(),
        threshold: if options.no_suppression { None } else { Some(model.annex.suppression_threshold) },
        produced: today(),
        command,
        bands,
    };
    progress.stage("tables and disclosure control");
    let annex = Annex::build(&inputs);
    progress.stage("writing");
    let xlsx = annex::xlsx::workbook(&annex)
        .map_err(|e| Error::Output { path: out.join("annex.xlsx"), source: std::io::Error::other(e) })?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (out.join("annex.html"), clean(annex::html::page(&annex))),
        (out.join("annex.xlsx"), xlsx),
        (out.join("annex.md"), clean(annex::markdown::document(&annex))),
    ];
    for (name, text) in annex.csv_files() {
        files.push((out.join("tables").join(name), text.into_bytes()));
    }
    write_files(&files)?;
    // The tables folder holds only this run's tables: a table an earlier run wrote and this
    // one did not (say, one written without disclosure control) must not be left beside them.
    if let Ok(entries) = std::fs::read_dir(out.join("tables")) {
        for entry in entries.flatten() {
            let path = entry.path();
            let ours = files.iter().any(|(p, _)| *p == path);
            if !ours && path.extension().is_some_and(|e| e == "csv") && path.is_file() {
                std::fs::remove_file(&path).map_err(|source| Error::Output { path: path.clone(), source })?;
            }
        }
    }
    progress.finish();
    let mut text = format!("{}\n{}\n", annex.title, annex.subtitle());
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

/// A model is written only into a new or empty folder, unless `force`.
fn new_or_empty(out: &Path, force: bool) -> Result<(), Error> {
    let holds_files = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some());
    if holds_files && !force {
        return Err(usage(
            "--out",
            format!(
                "{} already holds files: expected a new or empty folder (or --force to write over a model there)",
                out.display()
            ),
        ));
    }
    Ok(())
}

/// `generate`: writes a synthetic model of the size `spec` asks for into `out` (model.toml
/// and its tables).
///
/// # Errors
/// If the files cannot be written (then none is).
pub fn generate(spec: &crate::tools::generate::Spec, out: &Path, force: bool) -> Result<(), Error> {
    new_or_empty(out, force)?;
    let files: Vec<(PathBuf, String)> =
        crate::tools::generate::generate(spec).into_iter().map(|(name, text)| (out.join(name), text)).collect();
    write_files(&files)?;
    print(&format!("Wrote {} ({} files)\n", out.join("model.toml").display(), files.len()))
}

/// `init`: writes the template of a model kept in one workbook (`model.toml` and
/// `model.xlsx`, the tiny example filled in) into `out`, which must be new or empty unless
/// `force`.
///
/// # Errors
/// A folder that holds files (without `force`); files that cannot be written.
pub fn init(out: &Path, force: bool) -> Result<(), Error> {
    new_or_empty(out, force)?;
    let files = crate::tools::template::files()
        .map_err(|e| Error::Output { path: out.join("model.xlsx"), source: std::io::Error::other(e.to_string()) })?;
    std::fs::create_dir_all(out).map_err(|source| Error::Output { path: out.to_path_buf(), source })?;
    for (name, bytes) in &files {
        let path = out.join(name);
        std::fs::write(&path, bytes).map_err(|source| Error::Output { path: path.clone(), source })?;
    }
    print(&format!(
        "Wrote {} and {}: the tiny example in one workbook; check it with `sufficiency check {}`\n",
        out.join("model.toml").display(),
        out.join("model.xlsx").display(),
        out.join("model.toml").display()
    ))
}

/// `bench`: one size and solver measured in this process and printed as JSON (`one`), or
/// every size and solver, each in a child process of this program, gathered into a table.
///
/// # Errors
/// A bad option; for `one`, the failure of its run; output that cannot be written.
pub fn bench(options: &BenchOptions, progress: &Progress) -> Result<(), Error> {
    use crate::tools::bench;
    if let Some(size) = &options.one {
        let size = bench::size_named(size).map_err(|m| usage("--one", m))?;
        let solver = pick_solver(options.solver.as_deref())?;
        let dir = std::env::temp_dir().join(format!("sufficiency-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|source| Error::Output { path: dir.clone(), source })?;
        let measured = bench::measure(size, options.seed, solver, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        return print(&format!("{}\n", serde_json::to_string(&measured?).unwrap_or_default()));
    }
    let sizes: Vec<bench::Size> = options
        .sizes
        .iter()
        .map(|s| bench::size_named(s))
        .collect::<Result<_, _>>()
        .map_err(|m| usage("--sizes", m))?;
    let solvers: Vec<Solver> = if options.solvers.is_empty() {
        Solver::available()
    } else {
        options
            .solvers
            .iter()
            .map(|s| Solver::from_name(s))
            .collect::<Result<_, _>>()
            .map_err(|m| usage("--solvers", m))?
    };
    let exe = std::env::current_exe().map_err(|source| Error::Output { path: "this program".into(), source })?;
    let mut results = Vec::new();
    for size in &sizes {
        for &solver in &solvers {
            progress.stage(&format!("{} with {solver}", size.name));
            let outcome = bench::run_child(&exe, *size, solver, options.seed, options.time_limit);
            results.push((*size, solver, outcome));
        }
    }
    progress.finish();
    let head = format!(
        "sufficiency {} bench, seed {}; {} cores; times in seconds, peak resident memory in MB\n\n",
        env!("CARGO_PKG_VERSION"),
        options.seed,
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    print(&(head + &bench::table(&results)))
}

/// An amount of money as planners write it: `12000000`, `£12,000,000`, `12m`, `500k`.
///
/// # Errors
/// A message saying what was expected, if `text` is not an amount from £0 to £1 trillion.
pub fn parse_money(text: &str) -> Result<f64, String> {
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

/// The solver named, or the best in this build.
fn pick_solver(name: Option<&str>) -> Result<Solver, Error> {
    match name {
        Some(name) => Solver::from_name(name).map_err(|m| usage("--solver", m)),
        None => Ok(Solver::best()),
    }
}

/// A multi-year model's years, each counted on the progress line as it is planned.
fn plan_years(model: &Model, solver: Solver, progress: &Progress) -> Result<Vec<YearRun>, Error> {
    plan_years_of(model, solver, progress, "planning each year")
}

/// [`plan_years`], counting the years as `what`.
fn plan_years_of(model: &Model, solver: Solver, progress: &Progress, what: &str) -> Result<Vec<YearRun>, Error> {
    progress.step(what, 0, model.horizon.as_ref().map_or(1, |h| h.years));
    crate::planning::horizon::plan_horizon_observed(model, solver, &mut |done, all| progress.step(what, done, all))
}

/// [`crate::optimise::run::run`], naming on the progress line the stage under way (each is told as the one
/// before it ends; the solver's pricing rounds follow `solving`).
fn run_shown(model: Model, solver: Solver, progress: &Progress) -> Result<crate::optimise::run::Run, Error> {
    use crate::optimise::run::RunStage;
    progress.stage("working out journeys");
    // Building is told twice: before the solve, and after it (handing over, pricing).
    let mut solved = false;
    crate::optimise::run::run_observed(model, solver, &mut |ended, _| {
        progress.stage(match ended {
            RunStage::Travel => "finding the placements within reach",
            RunStage::Arcs => "building the program",
            RunStage::Build if !solved => {
                solved = true;
                "solving"
            }
            RunStage::Build | RunStage::Solve => "checking the answer",
            RunStage::Check => "writing",
        });
    })
}

/// Every year of a model: the horizon's (counted as `what`), or the one year of a
/// single-year model.
fn plan_any(model: &Model, solver: Solver, progress: &Progress, what: &str) -> Result<Vec<YearRun>, Error> {
    if model.horizon.is_some() {
        return plan_years_of(model, solver, progress, what);
    }
    let run = run_shown(model.clone(), solver, progress)?;
    let year = model.planning_year;
    Ok(vec![YearRun { year, run, staying: 0.0, moved_by_cuts: 0.0 }])
}

/// A mistake on the command line, reported as a problem with `flag`.
/// A file option (`--write-lp FILE`), checked before any work: its folder must exist or be
/// the `--out` folder (a mistyped folder is not made), and it must not be one of the model's
/// input files.
fn file_option(flag: &str, path: Option<&Path>, out: Option<&Path>) -> Result<(), Error> {
    let Some(path) = path else { return Ok(()) };
    let folder = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !folder.is_dir() && out != Some(folder) {
        return Err(usage(
            flag,
            format!("the folder {} does not exist: expected a file in an existing folder", folder.display()),
        ));
    }
    if path.is_dir() {
        return Err(usage(flag, format!("{} is a folder: expected a file name", path.display())));
    }
    if input::is_input(path) {
        return Err(usage(
            flag,
            format!("{} is one of the model's input files: expected a new file name", path.display()),
        ));
    }
    Ok(())
}

fn usage(flag: &str, message: String) -> Error {
    Error::Input(input::Problems(vec![input::Problem {
        sheet: None,
        file: PathBuf::from("command line"),
        line: None,
        field: Some(flag.into()),
        message,
    }]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_read_as_planners_write_it() {
        assert_eq!(parse_money("12000000"), Ok(12e6));
        assert_eq!(parse_money("£12,000,000"), Ok(12e6));
        assert_eq!(parse_money("12m"), Ok(12e6));
        assert_eq!(parse_money(" 500K "), Ok(5e5));
        assert!(parse_money("-1").unwrap_err().contains("expected pounds"));
        assert!(parse_money("2000000m").is_err(), "above £1 trillion");
    }

    #[test]
    fn a_bad_solver_name_is_a_problem_with_the_flag() {
        let Err(Error::Input(problems)) = pick_solver(Some("nope")) else { panic!("expected a problem") };
        assert_eq!(problems.0[0].field.as_deref(), Some("--solver"));
    }
}
