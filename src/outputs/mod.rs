//! What the tool gives people: reports in the terminal, CSV and JSON ([`report`]), the
//! sufficiency statement annex ([`annex`]), files written all or none ([`files`]), and
//! the stage of a long run on a terminal ([`progress`]). Everything that came from an input
//! file is made safe before it is written.

pub mod annex;
pub mod files;
pub mod geojson;
pub mod progress;
pub mod report;
pub mod scap;
pub mod stdout;
