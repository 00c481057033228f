//! `scap`: the DfE's school capacity survey (SCAP) specialist-provision return of a model:
//! scap_capacity.csv and scap_forecast.csv, checked against the plan, written all or none.

use std::path::{Path, PathBuf};

use crate::optimise::run::Error;
use crate::outputs::files::{print, write_files};
use crate::outputs::scap;

use super::shared::read_model;

/// Options of `scap`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ScapOptions {
    /// The model file (TOML): one year, or several with a [horizon] section.
    pub model: PathBuf,
    /// Write scap_capacity.csv and scap_forecast.csv here.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// `scap`: the return's two files in `out` (both or neither) and its summary on standard
/// output.
///
/// # Errors
/// The model's problems, [`Error::Check`] if the return does not add up to the plan, or
/// output that cannot be written.
pub fn scap_return(model: &Path, out: &Path) -> Result<(), Error> {
    let model = read_model(model, None)?;
    let r = crate::planning::scap::scap_return(&model).map_err(Error::Check)?;
    write_files(&[
        (out.join("scap_capacity.csv"), scap::capacity_csv(&model, &r).text()),
        (out.join("scap_forecast.csv"), scap::forecast_csv(&model, &r).text()),
    ])?;
    print(&scap::summary_text(&model, &r))
}
