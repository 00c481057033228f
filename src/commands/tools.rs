//! The commands around the plan: `init` (a model template in one workbook), `generate` (a
//! synthetic model), `bench` (the scale benchmark), `import gias` and `import sen2` (tables
//! from what the DfE publishes and the council's own return), and `solvers`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::model::input;
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::outputs::files::{print, write_files};
use crate::outputs::progress::Progress;

use super::shared::{file_option, read_model, seconds, solver_named, usage};

/// Options of `init`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InitOptions {
    /// Folder to write model.toml and model.xlsx into (new or empty, unless --force).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write into a folder that already holds files, replacing a model there.
    #[arg(long)]
    pub force: bool,
}

/// Options of `generate`.
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateOptions {
    /// The size of model and the seed.
    #[command(flatten)]
    pub spec: crate::tools::generate::Spec,
    /// Folder to write model.toml and its tables into (new or empty, unless --force).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write into a folder that already holds files, replacing a model there.
    #[arg(long)]
    pub force: bool,
}

/// Options of `bench`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BenchOptions {
    /// Sizes to run, comma-separated (borough, region, england).
    #[arg(long, value_delimiter = ',', default_value = "borough,region,england")]
    pub sizes: Vec<String>,
    /// Solvers to run, comma-separated (default: every solver compiled in).
    #[arg(long, value_delimiter = ',')]
    pub solvers: Vec<String>,
    /// Seed for the generated models.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Stop any one run after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value = "900", value_parser = seconds)]
    pub time_limit: Duration,
    /// Measure one size with one solver in this process and print it as JSON (what the
    /// table's child processes run).
    #[arg(long, value_name = "SIZE", hide = true)]
    pub one: Option<String>,
    /// The solver for --one.
    #[arg(long, hide = true, value_parser = solver_named)]
    pub solver: Option<Solver>,
    /// Also time the annex (`annex MODEL --out DIR`) on each size over five years.
    #[arg(long)]
    pub annex: bool,
    /// Also time the planning commands on each size over five years, with the generated
    /// schemes, market and purchasing options: `schemes --budget` (the sample's £12m in
    /// proportion), `commission` and `annex`.
    #[arg(long)]
    pub planning: bool,
    /// Time only the risk run on this model (the five-year sample,
    /// models/cheshire-east-horizon.toml): `schemes MODEL --budget 12m --draws 1000 --seed 7`,
    /// its wall and CPU time and the load average.
    #[arg(long, value_name = "MODEL")]
    pub risk: Option<PathBuf>,
}

/// Options of `import gias`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportGiasOptions {
    /// The GIAS file as downloaded (edubasealldataYYYYMMDD.csv).
    pub file: PathBuf,
    /// A model file (its localities place the borough; its settings give the costs), or
    /// an authority's 3-digit LA code or name as GIAS spells it.
    #[arg(long, value_name = "MODEL_OR_LA")]
    pub near: String,
    /// Keep settings outside the borough within this many km (straight line) of the
    /// model's localities, or of the authority's open establishments.
    #[arg(long = "within", value_name = "KM", default_value_t = 30.0)]
    pub within_km: f64,
    /// The settings table to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// What `import sen2` reads and where it writes.
#[derive(Debug, clap::Args)]
pub struct ImportSen2Options {
    /// The export's folder, or its files (Blade-Export_DD-MM-YYYY_<module>.csv).
    #[arg(value_name = "EXPORT", required = true, num_args = 1..)]
    pub inputs: Vec<PathBuf>,
    /// The model: its settings (matched by their urn or ukprn columns, or an id that is a
    /// URN), localities, needs and phases.
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// Postcode to locality: a CSV of postcode,locality, or the ONS postcode directory
    /// (pcds,lat,long: each postcode to the model's nearest locality).
    #[arg(long, value_name = "FILE")]
    pub postcodes: PathBuf,
    /// The folder to write the tables into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// `solvers`: lists the solvers compiled into this build, the default first.
pub fn solvers() {
    for (i, s) in Solver::available().iter().enumerate() {
        println!("{}{}", s.name(), if i == 0 { " (default)" } else { "" });
    }
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
        let solver = options.solver.unwrap_or_else(Solver::best);
        let dir = std::env::temp_dir().join(format!("sufficiency-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|source| Error::Output { path: dir.clone(), source })?;
        let measured = bench::measure(size, options.seed, solver, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        return print(&format!("{}\n", serde_json::to_string(&measured?).unwrap_or_default()));
    }
    if let Some(model) = &options.risk {
        let exe = std::env::current_exe().map_err(|source| Error::Output { path: "this program".into(), source })?;
        let dir = std::env::temp_dir().join(format!("sufficiency-bench-risk-{}", std::process::id()));
        progress.stage("the risk run");
        let run = bench::risk_child(&exe, model, &dir, options.time_limit);
        let _ = std::fs::remove_dir_all(&dir);
        progress.finish();
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        return print(&format!(
            "sufficiency {} bench; {cores} cores\n{}",
            env!("CARGO_PKG_VERSION"),
            bench::risk_table(&run)
        ));
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
    let mut annexes = Vec::new();
    if options.annex {
        for size in &sizes {
            progress.stage(&format!("{} annex", size.name));
            let dir =
                std::env::temp_dir().join(format!("sufficiency-bench-annex-{}-{}", std::process::id(), size.name));
            std::fs::create_dir_all(&dir).map_err(|source| Error::Output { path: dir.clone(), source })?;
            annexes.push((*size, bench::annex_child(&exe, *size, options.seed, &dir, options.time_limit)));
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    let mut planning = Vec::new();
    if options.planning {
        for size in &sizes {
            progress.stage(&format!("{} planning commands", size.name));
            let dir =
                std::env::temp_dir().join(format!("sufficiency-bench-planning-{}-{}", std::process::id(), size.name));
            std::fs::create_dir_all(&dir).map_err(|source| Error::Output { path: dir.clone(), source })?;
            planning.push((*size, bench::planning_children(&exe, *size, options.seed, &dir, options.time_limit)));
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    progress.finish();
    let mut annex_table = if annexes.is_empty() { String::new() } else { bench::annex_table(&annexes) };
    if !planning.is_empty() {
        annex_table.push_str(&bench::planning_table(&planning));
    }
    let head = format!(
        "sufficiency {} bench, seed {}; {} cores; times in seconds, peak resident memory in MB\n\n",
        env!("CARGO_PKG_VERSION"),
        options.seed,
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    print(&(head + &bench::table(&results) + &annex_table))
}
