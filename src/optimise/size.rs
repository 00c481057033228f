//! Whether a model is small enough to solve: the placements it would weigh, estimated before
//! any journey is worked out, against the memory this run may take ([`memory`]; README,
//! "Scale").

mod memory;

use std::path::PathBuf;

pub use memory::{Memory, STATED, available};

use crate::model::Model;
use crate::model::input::{Problem, grouped};

/// Most placement arcs a model may have where the memory available cannot be read (not on
/// Linux): about 16 GB at [`BYTES_AN_ARC`].
pub const MOST_ARCS: f64 = 30_000_000.0;

/// Bytes of memory an arc takes at the peak of a solve, the whole run's peak over its arcs:
/// 2.3 GB for 4.4 million arcs on the earlier generator's England benchmark; 2.4 GB for 4.6
/// million, 520 bytes, on today's (README, "Scale").
pub const BYTES_AN_ARC: f64 = 530.0;

/// Share of the memory available a solve is planned to take: the rest is the margin for the
/// estimate of the arcs, for the solver's own working space and for other work on the machine.
pub const SHARE_OF_MEMORY: f64 = 0.75;

/// Most placement arcs a run with `memory` may weigh: [`SHARE_OF_MEMORY`] of it at
/// [`BYTES_AN_ARC`]; [`MOST_ARCS`] where no figure was found.
#[must_use]
pub fn most_arcs(memory: Option<&Memory>) -> f64 {
    memory.map_or(MOST_ARCS, |m| m.bytes as f64 * SHARE_OF_MEMORY / BYTES_AN_ARC)
}

/// A model whose estimated arcs ([`crate::travel::estimated_arcs`]) exceed what `memory`
/// allows ([`most_arcs`]; the commands give [`available`]), as a problem saying its size, the
/// memory found and what to do.
#[must_use]
pub fn too_big(model: &Model, memory: Option<&Memory>) -> Option<Problem> {
    let arcs = crate::travel::estimated_arcs(model);
    let most = most_arcs(memory);
    let allowed = match memory {
        Some(m) => format!("with {} of memory {}", bytes(m.bytes as f64), m.found),
        None => "as the memory available could not be read".to_string(),
    };
    (arcs > most).then(|| Problem { sheet: None,
        file: model.sources.first().map(PathBuf::from).unwrap_or_default(),
        line: None,
        field: None,
        message: format!(
            "{} localities and {} settings within reach of each other make about {} placements to weigh (about {} of memory): expected at most {} {allowed}; group localities into larger areas, or shorten [policy.max_journey_minutes]",
            model.localities.len(),
            model.settings.len(),
            placements(arcs),
            bytes(arcs * BYTES_AN_ARC),
            placements(most),
        ),
    })
}

/// A number of placements as told: `1.2 million`, or `35,000` below a million.
fn placements(n: f64) -> String {
    if n >= 1e6 { format!("{:.1} million", n / 1e6) } else { grouped(n.round() as usize) }
}

/// A number of bytes as told: `5.8 GB`, or `120 MB` below a gigabyte.
fn bytes(n: f64) -> String {
    if n >= 1e9 { format!("{:.1} GB", n / 1e9) } else { format!("{:.0} MB", n / 1e6) }
}

#[cfg(test)]
mod tests;
