//! `forecast`: need by year, need and phase for a multi-year model.

use std::path::{Path, PathBuf};

use crate::optimise::run::Error;
use crate::outputs::files::{print, write_files};
use crate::outputs::report::horizon;

use super::shared::{read_model, usage};

/// Options of `forecast`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ForecastOptions {
    /// The model file (TOML) with a [horizon] section.
    pub model: PathBuf,
    /// Also write forecast.csv here (year, locality, need, year group, phase, provision).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `forecast`: need by year, need and phase for a multi-year model; forecast.csv in `out`.
///
/// # Errors
/// The model's problems, a model without a horizon, or output that cannot be written.
pub fn forecast(model: &Path, out: Option<&Path>) -> Result<(), Error> {
    let model = read_model(model, None)?;
    let Some(ahead) = model.years_ahead() else {
        return Err(usage(
            "MODEL",
            format!("{} has no [horizon] section: a forecast needs a multi-year model", model.sources[0]),
        ));
    };
    let grids = crate::planning::forecast::project(ahead);
    if let Some(dir) = out {
        write_files(&[(dir.join("forecast.csv"), horizon::forecast_csv(ahead, &grids).text())])?;
    }
    print(&horizon::forecast_text(ahead, &grids))
}
