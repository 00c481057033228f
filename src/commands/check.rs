//! `check`: a model read and summarised without solving, and its base year set beside what
//! the DfE publishes on EHC plans (`check --against`).

use std::path::{Path, PathBuf};

use crate::model::input;
use crate::optimise::run::Error;
use crate::outputs::files::print;
use crate::outputs::progress::Progress;
use crate::outputs::report;

use super::shared::{checked, tell_notes};

/// Options of `check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckOptions {
    /// The model file (TOML).
    pub model: PathBuf,
    /// Also compare the base year with what the DfE publishes on EHC plans: the caseload
    /// by establishment type and by age (caseload.csv, or sen2_estab_caseload.csv), the
    /// primary need by type of placement (sen_needs_all_plans.csv) and residential
    /// placements (residential_settings.csv). Repeat it for several files, or name a
    /// folder holding them; each file is told by its columns.
    #[arg(long, value_name = "FILE_OR_FOLDER")]
    pub against: Vec<PathBuf>,
    /// The authority in that file: its code (895, E06000049) or name (default: the one
    /// named in the model's name or description).
    #[arg(long, value_name = "CODE_OR_NAME", requires = "against")]
    pub la: Option<String>,
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
