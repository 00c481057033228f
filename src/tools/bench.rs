//! Measuring scale: generated models of three sizes (a borough, a region, England), solved
//! by [`crate::optimise::run::run_observed`] with each solver compiled in, timing every stage and reading
//! peak memory.
//!
//! Each size and solver runs in a child process of its own (`bench --one`), so that its
//! peak memory is its own and a run that overruns its time limit can be stopped. The parent
//! gathers one JSON line from each child and prints a table.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::optimise::run::{Error, RunStage};
use crate::optimise::solve::Solver;
use crate::planning::ready;
use crate::tools::generate::{Spec, generate};

/// A size of problem to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Name on the command line and in the table.
    pub name: &'static str,
    /// Home localities.
    pub localities: usize,
    /// Settings.
    pub settings: usize,
}

/// The sizes of issue 7: one borough, a regional purchasing system's 23 authorities, and
/// England's neighbourhood areas and specialist settings. Every generated model has 12 needs
/// and 4 phases.
pub const SIZES: [Size; 3] = [
    Size { name: "borough", localities: 20, settings: 60 },
    Size { name: "region", localities: 900, settings: 800 },
    Size { name: "england", localities: 6_800, settings: 4_000 },
];

/// Finds a size by name.
///
/// # Errors
/// A message listing the sizes.
pub fn size_named(name: &str) -> Result<Size, String> {
    SIZES.iter().copied().find(|s| s.name.eq_ignore_ascii_case(name)).ok_or_else(|| {
        let names: Vec<&str> = SIZES.iter().map(|s| s.name).collect();
        format!("unknown size '{name}': expected one of {}", names.join(", "))
    })
}

/// Seconds spent in each stage of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Stages {
    /// Reading and checking the model files.
    pub load: f64,
    /// The journey table.
    pub travel: f64,
    /// Finding the usable arcs.
    pub arcs: f64,
    /// Building the program, handing it to the solver, and pricing arcs between solves.
    pub build: f64,
    /// The solver's own work.
    pub solve: f64,
    /// The plan, its independent check, and the CSV reports.
    pub report: f64,
}

impl Stages {
    /// All stages.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.load + self.travel + self.arcs + self.build + self.solve + self.report
    }
}

/// One size solved with one solver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Size name.
    pub size: String,
    /// Solver name.
    pub solver: String,
    /// Localities, settings and demand rows of the generated model.
    pub localities: usize,
    /// Settings named in the settings table (the market's steps left out).
    pub settings: usize,
    /// Demand rows (locality × need × phase with children).
    pub demand_rows: usize,
    /// Journeys within reach.
    pub journeys: usize,
    /// Arcs (columns for placements).
    pub arcs: usize,
    /// Rows of the program.
    pub rows: usize,
    /// Columns of the program.
    pub columns: usize,
    /// Non-zero coefficients.
    pub non_zeros: usize,
    /// Seconds per stage.
    pub stages: Stages,
    /// Peak resident memory of the process, KB (Linux; `None` elsewhere).
    pub peak_kb: Option<u64>,
    /// Optimum: weighted cost, £ a year.
    pub objective: f64,
    /// Children left without a place.
    pub unmet: f64,
    /// Solves of the restricted program, when arcs were priced in (0: solved whole).
    pub pricing_rounds: usize,
    /// Columns handed to the solver in the last solve.
    pub columns_solved: usize,
}

/// Generates `size` with `seed` into `dir` and measures one run with `solver`.
///
/// # Errors
/// If the files cannot be written, the generated model fails its checks (a bug), or the
/// solver fails.
pub fn measure(size: Size, seed: u64, solver: Solver, dir: &Path) -> Result<Measure, Error> {
    let spec = Spec { localities: size.localities, settings: size.settings, years: 1, seed };
    for (name, text) in generate(&spec) {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| Error::Output { path, source })?;
    }
    let mut stages = Stages::default();
    let clock = Instant::now();
    let model = ready::load(&dir.join("model.toml")).map_err(Error::Input)?;
    stages.load = clock.elapsed().as_secs_f64();
    let run = crate::optimise::run::run_observed(model, solver, &mut |stage, taken| {
        let seconds = taken.as_secs_f64();
        match stage {
            RunStage::Travel => stages.travel += seconds,
            RunStage::Arcs => stages.arcs += seconds,
            RunStage::Build => stages.build += seconds,
            RunStage::Solve => stages.solve += seconds,
            RunStage::Check => stages.report += seconds,
        }
    })?;
    let clock = Instant::now();
    let tables = crate::outputs::report::Tables::new(&run);
    let reports = [
        crate::outputs::report::csv::placements(&tables),
        crate::outputs::report::csv::setting_use(&tables),
        crate::outputs::report::csv::gaps(&tables),
    ];
    std::hint::black_box(&reports);
    stages.report += clock.elapsed().as_secs_f64();
    let p = &run.formulation.program;
    Ok(Measure {
        size: size.name.into(),
        solver: solver.name().into(),
        localities: run.model.localities.len(),
        // The named settings: the market's steps are settings of their own, not of the size.
        settings: run.model.settings.iter().filter(|s| s.market.is_none()).count(),
        demand_rows: run.model.demand.len(),
        journeys: run.journeys.len(),
        arcs: run.formulation.arcs.len(),
        rows: p.rows.len(),
        columns: p.columns.len(),
        non_zeros: p.non_zeros(),
        stages,
        peak_kb: peak_kb(),
        objective: run.solved.stages.last().map_or(0.0, |s| s.value),
        unmet: run.plan.unmet.iter().sum(),
        pricing_rounds: run.solved.pricing.map_or(0, |p| p.rounds),
        columns_solved: run.solved.pricing.map_or(p.columns.len(), |p| p.columns_used),
    })
}

/// Peak resident memory of this process in KB, from `/proc/self/status` (Linux).
#[must_use]
pub fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// How one child run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<M = Measure> {
    /// Measured.
    Done(Box<M>),
    /// Stopped at the time limit.
    TimedOut(Duration),
    /// The child failed: its message.
    Failed(String),
}

/// Runs `exe bench --one SIZE --solver SOLVER --seed SEED` and waits at most `limit`.
#[must_use]
pub fn run_child(exe: &Path, size: Size, solver: Solver, seed: u64, limit: Duration) -> Outcome {
    let child = Command::new(exe)
        .args(["--quiet", "bench", "--one", size.name, "--solver", solver.name(), "--seed", &seed.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(format!("cannot start {}: {e}", exe.display())),
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let mut out = String::new();
                let mut err = String::new();
                if let Some(mut o) = child.stdout.take() {
                    let _ = o.read_to_string(&mut out);
                }
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                if !status.success() {
                    return Outcome::Failed(err.lines().next().unwrap_or("failed").to_string());
                }
                return match serde_json::from_str::<Measure>(out.trim()) {
                    Ok(m) => Outcome::Done(Box::new(m)),
                    Err(e) => Outcome::Failed(format!("unreadable result: {e}")),
                };
            }
            Ok(None) if start.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Outcome::TimedOut(limit);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Outcome::Failed(e.to_string()),
        }
    }
}

/// Years of the models the annex and the planning commands are timed on: the five-year
/// horizon councils plan over.
pub const ANNEX_YEARS: usize = 5;

/// One command timed in a child process: from starting it to its end.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnexMeasure {
    /// Seconds from starting the command to its end.
    pub seconds: f64,
    /// Peak resident memory of the command's process, KB (read while it ran).
    pub peak_kb: Option<u64>,
    /// CPU seconds it used, user and system, on every core (Linux; `None` elsewhere).
    pub cpu_seconds: Option<f64>,
}

/// Writes `size` over [`ANNEX_YEARS`] years with `seed` into `dir` (model.toml and its tables,
/// the planning tables among them), returning the capital budget in proportion to the
/// sample's £12m.
///
/// # Errors
/// A message naming the file that could not be written.
pub fn write_five_years(size: Size, seed: u64, dir: &Path) -> Result<f64, String> {
    let spec = Spec { localities: size.localities, settings: size.settings, years: ANNEX_YEARS, seed };
    for (name, text) in generate(&spec) {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let model = std::fs::read_to_string(dir.join("model.toml")).map_err(|e| format!("cannot read model.toml: {e}"))?;
    let budget = model.lines().find_map(|l| l.strip_prefix("capital_budget = ")).and_then(|b| b.trim().parse().ok());
    budget.ok_or_else(|| "the generated model.toml has no capital_budget".to_string())
}

/// Generates `size` over [`ANNEX_YEARS`] years with `seed` into `dir`, without the planning
/// tables ([`without_planning`]), then runs `exe --quiet annex dir/model.toml --out dir/annex`
/// and waits at most `limit`, reading the child's peak memory from `/proc` as it runs (Linux).
#[must_use]
pub fn annex_child(exe: &Path, size: Size, seed: u64, dir: &Path, limit: Duration) -> Outcome<AnnexMeasure> {
    if let Err(message) = write_five_years(size, seed, dir) {
        return Outcome::Failed(message);
    }
    let path = dir.join("model.toml");
    let plain = std::fs::read_to_string(&path).map(|m| without_planning(&m));
    if let Err(e) = plain.and_then(|m| std::fs::write(&path, m)) {
        return Outcome::Failed(format!("cannot rewrite {}: {e}", path.display()));
    }
    let (model, out) = (dir.join("model.toml"), dir.join("annex"));
    command_child(exe, &["annex".as_ref(), model.as_os_str(), "--out".as_ref(), out.as_os_str()], limit)
}

/// A generated model.toml without the market, schemes, purchasing options and capital
/// budget: the annex of the plan alone, as its speed target is set (the planning commands,
/// the choice of schemes among them, are timed by `--planning`).
#[must_use]
pub fn without_planning(model: &str) -> String {
    const PLANNING: [&str; 7] = [
        "market =",
        "schemes =",
        "scheme_places =",
        "purchasing_options =",
        "purchasing_prices =",
        "[annex]",
        "capital_budget =",
    ];
    model.lines().filter(|l| !PLANNING.iter().any(|p| l.starts_with(p))).map(|l| format!("{l}\n")).collect()
}

/// The planning commands timed on a model: (what is timed, its arguments after the model,
/// the folder it writes under `dir`). `budget` is the capital budget for `schemes`.
#[must_use]
pub fn planning_commands(budget: f64) -> Vec<(&'static str, Vec<String>)> {
    vec![
        ("schemes", vec!["--budget".into(), format!("{budget:.0}"), "--out".into(), "schemes".into()]),
        ("commission", vec!["--out".into(), "commission".into()]),
        ("annex", vec!["--out".into(), "annex".into()]),
    ]
}

/// One command of [`planning_children`]: its name, the command line (model and output as
/// `MODEL` and a folder name) and how it ended.
pub type PlanningRun = (&'static str, String, Outcome<AnnexMeasure>);

/// Generates `size` over [`ANNEX_YEARS`] years into `dir` and times `schemes --budget` (the
/// sample's £12m in proportion), `commission` and `annex` on it, each in a child process
/// stopped after `limit`.
#[must_use]
pub fn planning_children(exe: &Path, size: Size, seed: u64, dir: &Path, limit: Duration) -> Vec<PlanningRun> {
    let budget = match write_five_years(size, seed, dir) {
        Ok(b) => b,
        Err(message) => return vec![("generate", String::new(), Outcome::Failed(message))],
    };
    let model = dir.join("model.toml");
    planning_commands(budget)
        .into_iter()
        .map(|(name, args)| {
            let line = format!("sufficiency {name} MODEL {}", args.join(" "));
            let mut argv: Vec<std::ffi::OsString> = vec![name.into(), model.clone().into_os_string()];
            for (k, a) in args.iter().enumerate() {
                // The folder after --out is made under `dir`.
                if k > 0 && args[k - 1] == "--out" {
                    argv.push(dir.join(a).into_os_string());
                } else {
                    argv.push(a.into());
                }
            }
            let argv: Vec<&std::ffi::OsStr> = argv.iter().map(std::ffi::OsString::as_os_str).collect();
            (name, line, command_child(exe, &argv, limit))
        })
        .collect()
}

/// Runs `exe --quiet ARGS` and waits at most `limit`, reading the child's peak memory from
/// `/proc` as it runs (Linux).
#[must_use]
pub fn command_child(exe: &Path, args: &[&std::ffi::OsStr], limit: Duration) -> Outcome<AnnexMeasure> {
    let start = Instant::now();
    let cpu_before = children_cpu_seconds();
    let child = Command::new(exe)
        .arg("--quiet")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(format!("cannot start {}: {e}", exe.display())),
    };
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = None;
    loop {
        // The high-water mark only rises, so the last reading before the end is the peak
        // but for what the last moments add.
        if let Some(kb) = std::fs::read_to_string(&status_file).ok().as_deref().and_then(high_water_kb) {
            peak_kb = Some(kb);
        }
        match child.try_wait() {
            Ok(Some(status)) => {
                let seconds = start.elapsed().as_secs_f64();
                if !status.success() {
                    let mut err = String::new();
                    if let Some(mut e) = child.stderr.take() {
                        let _ = e.read_to_string(&mut err);
                    }
                    return Outcome::Failed(err.lines().next().unwrap_or("failed").to_string());
                }
                // The child has been waited for, so its time is in this process's children's.
                let cpu_seconds = children_cpu_seconds().zip(cpu_before).map(|(after, before)| after - before);
                return Outcome::Done(Box::new(AnnexMeasure { seconds, peak_kb, cpu_seconds }));
            }
            Ok(None) if start.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Outcome::TimedOut(limit);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Outcome::Failed(e.to_string()),
        }
    }
}

/// CPU seconds (user and system) of this process's children waited for so far: fields 16
/// and 17 (cutime, cstime) of `/proc/self/stat`, in the kernel's clock ticks of 1/100 s.
fn children_cpu_seconds() -> Option<f64> {
    children_cpu_of(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

/// [`children_cpu_seconds`] from the text of a `/proc/PID/stat` file.
fn children_cpu_of(stat: &str) -> Option<f64> {
    // The command's name, in brackets, may hold spaces: count the fields after it (field 3 on).
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<u64>().ok();
    Some((ticks(16)? + ticks(17)?) as f64 / 100.0)
}

/// The load average over 1, 5 and 15 minutes, as `/proc/loadavg` gives it (Linux).
#[must_use]
pub fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

/// The risk run `bench --risk MODEL` times (issue 28's target on the five-year sample):
/// the portfolio chosen within £12m, in 1,000 futures drawn with seed 7.
pub const RISK_ARGS: [&str; 6] = ["--budget", "12m", "--draws", "1000", "--seed", "7"];

/// The risk run timed: its command line, how it ended, and the load average of the machine
/// (1, 5 and 15 minutes) as it started and as it ended, since other work shares the cores.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskRun {
    /// `sufficiency schemes MODEL ...`.
    pub line: String,
    /// Wall and CPU time, peak memory.
    pub outcome: Outcome<AnnexMeasure>,
    /// Load average as it started.
    pub load_before: Option<String>,
    /// Load average as it ended.
    pub load_after: Option<String>,
}

/// Runs `exe --quiet schemes MODEL` with [`RISK_ARGS`], writing into `dir`, stopped after
/// `limit`.
#[must_use]
pub fn risk_child(exe: &Path, model: &Path, dir: &Path, limit: Duration) -> RiskRun {
    let line = format!("sufficiency schemes {} {}", model.display(), RISK_ARGS.join(" "));
    let mut argv: Vec<&std::ffi::OsStr> = vec!["schemes".as_ref(), model.as_os_str()];
    argv.extend(RISK_ARGS.iter().map(std::ffi::OsStr::new));
    argv.extend(["--out".as_ref(), dir.as_os_str()]);
    let load_before = load_average();
    let outcome = command_child(exe, &argv, limit);
    RiskRun { line, outcome, load_before, load_after: load_average() }
}

/// The risk run as a Markdown table: wall seconds, CPU seconds, peak MB and the load.
#[must_use]
pub fn risk_table(run: &RiskRun) -> String {
    let cpu = match &run.outcome {
        Outcome::Done(m) => m.cpu_seconds.map_or_else(|| "?".to_string(), |c| format!("{c:.1}")),
        _ => String::new(),
    };
    let load = |l: &Option<String>| l.clone().unwrap_or_else(|| "?".to_string());
    format!(
        "\nThe risk run, `{}`:\n\n| wall s | peak MB | CPU s (user + system) | load average as it started | as it ended |\n\
         |--:|--:|--:|---|---|\n| {} | {cpu} | {} | {} |\n",
        run.line,
        timed_cells(&run.outcome),
        load(&run.load_before),
        load(&run.load_after)
    )
}

/// The `VmHWM` line of a `/proc/PID/status` file, KB.
fn high_water_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A timed command's seconds and peak MB as two table cells.
fn timed_cells(outcome: &Outcome<AnnexMeasure>) -> String {
    match outcome {
        Outcome::Done(m) => {
            let mb = m.peak_kb.map_or_else(|| "?".to_string(), |kb| format!("{:.0}", kb as f64 / 1024.0));
            format!("{:.2} | {mb}", m.seconds)
        }
        Outcome::TimedOut(limit) => format!("stopped after {} s | ", limit.as_secs()),
        Outcome::Failed(message) => format!("failed: {} | ", message.replace('|', "/")),
    }
}

/// A size's first cells of a timings table: `| name | localities | settings |`.
fn size_cells(size: &Size) -> String {
    format!("| {} | {} | {} |", size.name, size.localities, size.settings)
}

/// The annex timings as a Markdown table, one line a size.
#[must_use]
pub fn annex_table(results: &[(Size, Outcome<AnnexMeasure>)]) -> String {
    let mut out = format!(
        "\nThe annex (`annex MODEL --out DIR`) on each size over {ANNEX_YEARS} years (without the \
         schemes, market and purchasing options):\n\n\
         | size | localities | settings | annex s | peak MB |\n|---|--:|--:|--:|--:|\n"
    );
    for (size, outcome) in results {
        out.push_str(&format!("{} {} |\n", size_cells(size), timed_cells(outcome)));
    }
    out
}

/// The planning commands' timings as a Markdown table, one line a size and command.
#[must_use]
pub fn planning_table(results: &[(Size, Vec<PlanningRun>)]) -> String {
    let mut out = format!(
        "\nThe planning commands on each size over {ANNEX_YEARS} years (the generated schemes, market and \
         purchasing options; the budget in proportion to the sample's £12m):\n\n\
         | size | localities | settings | command | s | peak MB |\n|---|--:|--:|---|--:|--:|\n"
    );
    for (size, runs) in results {
        for (_, line, outcome) in runs {
            out.push_str(&format!("{} `{line}` | {} |\n", size_cells(size), timed_cells(outcome)));
        }
    }
    out
}

/// The results as a Markdown table, one line a size and solver.
#[must_use]
pub fn table(results: &[(Size, Solver, Outcome)]) -> String {
    let mut out = String::from(
        "| size | solver | localities | settings | demand rows | journeys | rows | columns | non-zeros | load s | travel s | arcs s | build s | solve s | report s | total s | all but solver | peak MB | objective £ | unmet | pricing rounds | columns solved |\n\
         |---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    for (size, solver, outcome) in results {
        match outcome {
            Outcome::Done(m) => {
                let s = &m.stages;
                let total = s.total();
                let share = if total > 0.0 { 100.0 * (total - s.solve) / total } else { 0.0 };
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {share:.0}% | {} | {:.0} | {:.1} | {} | {} |\n",
                    m.size,
                    m.solver,
                    m.localities,
                    m.settings,
                    m.demand_rows,
                    m.journeys,
                    m.rows,
                    m.columns,
                    m.non_zeros,
                    s.load,
                    s.travel,
                    s.arcs,
                    s.build,
                    s.solve,
                    s.report,
                    total,
                    m.peak_kb.map_or("?".into(), |kb| format!("{:.0}", kb as f64 / 1024.0)),
                    m.objective,
                    m.unmet,
                    m.pricing_rounds,
                    m.columns_solved
                ));
            }
            Outcome::TimedOut(limit) => out.push_str(&format!(
                "| {} | {solver} | {} | {} | not finished within the {} s limit ||||||||||||||||||\n",
                size.name,
                size.localities,
                size.settings,
                limit.as_secs()
            )),
            Outcome::Failed(why) => out.push_str(&format!(
                "| {} | {solver} | {} | {} | failed: {} ||||||||||||||||||\n",
                size.name,
                size.localities,
                size.settings,
                why.replace('|', "/")
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_borough_is_measured_stage_by_stage_and_its_optimum_matches_a_plain_run() {
        let dir = tempfile::tempdir().unwrap();
        let m = measure(SIZES[0], 1, Solver::Microlp, dir.path()).unwrap();
        assert_eq!((m.localities, m.settings), (20, 60));
        assert!(m.stages.total() > 0.0 && m.stages.solve > 0.0);
        assert_eq!(m.columns, m.arcs + m.demand_rows, "an unmet column per demand row with children");
        let model = ready::load(&dir.path().join("model.toml")).unwrap();
        assert_eq!(m.demand_rows, model.demand.iter().filter(|d| d.children > 0.0).count());
        // The optimum by the network simplex: another method than the bench's microlp.
        let run = crate::optimise::run::run(model, Solver::Network).unwrap();
        let plain = run.solved.stages.last().unwrap().value;
        assert!((m.objective - plain).abs() <= 1e-6 * plain.abs(), "{} vs {plain}", m.objective);
        let text = table(&[(SIZES[0], Solver::Microlp, Outcome::Done(Box::new(m)))]);
        assert!(text.lines().nth(2).unwrap().starts_with("| borough | microlp | 20 | 60 |"), "{text}");
    }

    #[test]
    fn the_planning_commands_run_on_a_generated_five_years_with_the_budget_in_proportion() {
        let dir = tempfile::tempdir().unwrap();
        let budget = write_five_years(SIZES[0], 1, dir.path()).unwrap();
        assert_eq!(budget, 28_000_000.0);
        let model = ready::load(&dir.path().join("model.toml")).unwrap();
        assert_eq!(model.horizon.as_ref().map(|h| h.years), Some(ANNEX_YEARS));
        assert!(!model.schemes.is_empty() && !model.purchasing.is_empty());
        let commands = planning_commands(budget);
        let names: Vec<&str> = commands.iter().map(|c| c.0).collect();
        assert_eq!(names, ["schemes", "commission", "annex"]);
        assert_eq!(commands[0].1[..2], ["--budget".to_string(), "28000000".to_string()]);
        let done = Outcome::Done(Box::new(AnnexMeasure { seconds: 12.345, peak_kb: Some(2048), cpu_seconds: None }));
        let text = planning_table(&[(
            SIZES[0],
            vec![
                ("schemes", "sufficiency schemes MODEL --budget 28000000".into(), done),
                ("commission", "sufficiency commission MODEL".into(), Outcome::TimedOut(Duration::from_secs(60))),
            ],
        )]);
        assert!(
            text.contains("| borough | 20 | 60 | `sufficiency schemes MODEL --budget 28000000` | 12.35 | 2 |"),
            "{text}"
        );
        assert!(text.contains("| `sufficiency commission MODEL` | stopped after 60 s |  |"), "{text}");
    }

    #[test]
    fn the_annex_is_timed_on_the_plan_alone() {
        let dir = tempfile::tempdir().unwrap();
        write_five_years(SIZES[0], 1, dir.path()).unwrap();
        let path = dir.path().join("model.toml");
        let plain = without_planning(&std::fs::read_to_string(&path).unwrap());
        std::fs::write(&path, &plain).unwrap();
        assert!(!plain.contains("capital_budget") && !plain.contains("[annex]"), "{plain}");
        let model = ready::load(&path).unwrap();
        assert_eq!(model.horizon.as_ref().map(|h| h.years), Some(ANNEX_YEARS));
        assert!(model.schemes.is_empty() && model.purchasing.is_empty());
        assert!(!model.demand.is_empty() && !model.settings.is_empty());
    }

    #[test]
    fn the_children_cpu_time_is_read_after_a_command_name_with_spaces() {
        // pid (comm) state ppid ... utime stime cutime cstime: fields 14 to 17.
        let stat = "42 (a b) S 1 2 3 4 5 6 7 8 9 10 11 12 1234 66 9 9 9";
        assert_eq!(children_cpu_of(stat), Some(13.0));
        assert_eq!(children_cpu_of("42 (x) S 1 2"), None);
    }

    #[test]
    fn the_risk_run_is_tabled_with_its_cpu_time_and_the_load() {
        let run = RiskRun {
            line: "sufficiency schemes m.toml --budget 12m --draws 1000 --seed 7".into(),
            outcome: Outcome::Done(Box::new(AnnexMeasure {
                seconds: 50.0,
                peak_kb: Some(131_072),
                cpu_seconds: Some(95.3),
            })),
            load_before: Some("1.00 0.50 0.25".into()),
            load_after: None,
        };
        let text = risk_table(&run);
        assert!(text.contains("`sufficiency schemes m.toml --budget 12m --draws 1000 --seed 7`"), "{text}");
        assert!(text.contains("| 50.00 | 128 | 95.3 | 1.00 0.50 0.25 | ? |"), "{text}");
    }

    #[test]
    fn sizes_are_found_by_name() {
        assert_eq!(size_named("Region").unwrap().localities, 900);
        assert!(size_named("county").unwrap_err().contains("borough, region, england"));
    }
}
