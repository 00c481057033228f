//! JSON: every table and the run's facts in one document, for other programs.

use super::Tables;

/// The tables as pretty-printed JSON.
#[must_use]
pub fn all(tables: &Tables) -> String {
    // Serialising plain structs of numbers and strings cannot fail.
    serde_json::to_string_pretty(tables).unwrap_or_default() + "\n"
}
