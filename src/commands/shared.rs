//! What the commands share: the model read and its notes told, the penalty rule applied
//! before anything is solved, the years planned with the stage shown on the progress line,
//! file options checked before any work, and the values of options read (money, solvers,
//! seconds). A mistake in an option is an [`Error::Input`] naming the flag.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::model::input;
use crate::model::{Model, YearsAhead};
use crate::optimise::formulation::Formulation;
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::outputs::progress::Progress;
use crate::planning::horizon::YearRun;
use crate::planning::ready;
use crate::travel::JourneyTable;

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
pub(super) fn tell_notes(models: &[&Model], progress: Option<&Progress>) {
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
pub(super) fn read_model(path: &Path, progress: Option<&Progress>) -> Result<Model, Error> {
    let model = ready::load(path).map_err(Error::Input)?;
    tell_notes(&[&model], progress);
    Ok(model)
}

/// The penalty rule ([`crate::optimise::run::penalty_problem`]) on `model`'s own year, for the commands that
/// build their own programs and plan no year through [`crate::optimise::run::run`] first (schemes,
/// commissioning), so that they refuse what
/// `check` and `solve` refuse.
pub(super) fn check_penalty(model: &Model) -> Result<(), Error> {
    let formulation = Formulation::build(model, &JourneyTable::build(model));
    match crate::optimise::run::penalty_problem(model, &formulation) {
        Some(problem) => Err(Error::Input(input::Problems(vec![problem]))),
        None => Ok(()),
    }
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

/// A multi-year model's years, each counted on the progress line as it is planned.
pub(super) fn plan_years(ahead: YearsAhead<'_>, solver: Solver, progress: &Progress) -> Result<Vec<YearRun>, Error> {
    plan_years_of(ahead, solver, progress, "planning each year")
}

/// [`plan_years`], counting the years as `what`.
pub(super) fn plan_years_of(
    ahead: YearsAhead<'_>,
    solver: Solver,
    progress: &Progress,
    what: &str,
) -> Result<Vec<YearRun>, Error> {
    progress.step(what, 0, ahead.horizon().years);
    crate::planning::horizon::plan_horizon_observed(ahead, solver, &mut |done, all| progress.step(what, done, all))
}

/// [`crate::optimise::run::run`], naming on the progress line the stage under way (each is told as the one
/// before it ends; the solver's pricing rounds follow `solving`).
pub(super) fn run_shown(model: Model, solver: Solver, progress: &Progress) -> Result<crate::optimise::run::Run, Error> {
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
pub(super) fn plan_any(model: &Model, solver: Solver, progress: &Progress, what: &str) -> Result<Vec<YearRun>, Error> {
    if let Some(ahead) = model.years_ahead() {
        return plan_years_of(ahead, solver, progress, what);
    }
    let run = run_shown(model.clone(), solver, progress)?;
    let year = model.planning_year;
    Ok(vec![YearRun { year, run, staying: 0.0, moved_by_cuts: 0.0 }])
}

/// A file option (`--write-lp FILE`), checked before any work: its folder must exist or be
/// the `--out` folder (a mistyped folder is not made), and it must not be one of the model's
/// input files.
pub(super) fn file_option(flag: &str, path: Option<&Path>, out: Option<&Path>) -> Result<(), Error> {
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

/// A mistake on the command line, reported as a problem with `flag`.
pub(super) fn usage(flag: &str, message: String) -> Error {
    Error::Input(input::Problems(vec![input::Problem {
        sheet: None,
        file: PathBuf::from("command line"),
        line: None,
        field: Some(flag.into()),
        message,
    }]))
}

/// A solver by its name on the command line (`--solver`), any case: one compiled into this
/// build.
///
/// # Errors
/// A message listing the solvers in this build ([`Solver::from_name`]), which clap prints
/// after the flag and value it refused (exit code 2, as for any value no option takes).
pub fn solver_named(name: &str) -> Result<Solver, String> {
    Solver::from_name(name)
}

/// A time limit given in whole seconds (`--time-limit`).
pub(super) fn seconds(text: &str) -> Result<Duration, std::num::ParseIntError> {
    text.parse::<u64>().map(Duration::from_secs)
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
}
