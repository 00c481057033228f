//! Whether a model is small enough to solve: the placements it would weigh, estimated before
//! any journey is worked out, against the memory a solve may take (README, "Scale").

use std::path::PathBuf;

use crate::model::Model;
use crate::model::input::Problem;

/// Most placement arcs a model may have: about 16 GB at the 530 bytes an arc the England
/// benchmark peaks at (2.3 GB for 4.4 million arcs on the earlier generator's model; 2.4 GB
/// for 4.6 million, 520 bytes, on today's; README, "Scale").
pub const MOST_ARCS: f64 = 30_000_000.0;

/// Bytes of memory an arc takes at the peak of a solve (README, "Scale").
const BYTES_AN_ARC: f64 = 530.0;

/// A model whose estimated arcs ([`crate::travel::estimated_arcs`]) exceed `most` (the
/// commands give [`MOST_ARCS`]), as a problem saying its size and what to do.
#[must_use]
pub fn too_big(model: &Model, most: f64) -> Option<Problem> {
    let arcs = crate::travel::estimated_arcs(model);
    (arcs > most).then(|| Problem { sheet: None,
        file: model.sources.first().map(PathBuf::from).unwrap_or_default(),
        line: None,
        field: None,
        message: format!(
            "{} localities and {} settings within reach of each other make about {:.0} million placements to weigh (about {:.0} GB of memory): expected at most {:.0} million; group localities into larger areas, or shorten [policy.max_journey_minutes]",
            model.localities.len(),
            model.settings.len(),
            arcs / 1e6,
            arcs * BYTES_AN_ARC / 1e9,
            most / 1e6
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_with_more_arcs_than_memory_allows_is_refused_with_its_size() {
        // tiny_model: one demand row of 4 children within reach of 2 settings: 2 arcs.
        let model = crate::testing::tiny_model();
        assert_eq!(crate::travel::estimated_arcs(&model), 2.0);
        assert!(too_big(&model, 2.0).is_none());
        let p = too_big(&model, 1.0).expect("refused");
        assert!(
            p.message
                .starts_with("1 localities and 2 settings within reach of each other make about 0 million placements")
                && p.message.contains("expected at most 0 million; group localities into larger areas"),
            "{}",
            p.message
        );
    }
}
