//! Reading a model: the TOML model file and the CSV tables it names, checked row by row.
//!
//! Raw text becomes the validated [`Model`] in one pass. Every problem found is collected,
//! with its file, line and field, and all are returned together, so a planner can fix a
//! spreadsheet in one go. Nothing here panics on bad input.
//!
//! The model is returned as read: a cohort model's base-year demand is projected, and its
//! size checked, by the step that plans with it (`crate::planning::ready`).

mod areas;
mod codes;
mod demand;
pub mod england;
mod high_needs;
mod horizon;
mod ids;
mod keys;
mod load;
mod loader;
mod located;
mod market;
mod model_file;
mod network;
pub mod problem;
mod purchasing;
pub mod reach;
mod risk;
mod scenario;
pub mod schema;
mod schemes;
pub mod sen2;
mod settings;
mod sources;
pub mod table;
mod tables;
mod text;
mod tier_policy;
mod transport_options;
mod workbook;

use codes::Codes;
use demand::provision_at;
pub use horizon::YEAR_GROUPS;
pub(crate) use ids::first_line;
use ids::{Ids, first_use, reference};
pub use load::{gather, load, load_each, load_variant, load_variants};
pub(crate) use loader::Loader;
use located::{line_of_key, line_of_offset, tidy};
pub use problem::{Problem, Problems};
use settings::kind_at;
use sources::Sources;
pub use sources::is_input;
pub(crate) use sources::note_read;
pub(crate) use tables::Tables;
use tables::position;
pub use text::{grouped, quoted};
pub use workbook::{MEMORY_ROOM, read_sheet};

/// Longest description in a model file, in characters.
pub const LONGEST_DESCRIPTION: usize = 2_000;

/// Default penalty per child left without a place: far above any placement cost.
pub const DEFAULT_UNMET_PENALTY: f64 = 1_000_000.0;
