//! The annex's sections, one a file, each adding its paragraphs, tables and figures to the
//! [`Builder`](super::builder::Builder) in the order they are published.

pub(super) mod accessibility;
mod codes;
mod commissioning;
mod every_plan;
pub(super) mod glossary;
pub(super) mod high_needs;
mod method;
mod need;
mod out_of_borough;
mod placements;
mod places;
mod plan;
mod required;
pub(super) mod risk;
mod schemes;
pub(super) mod summary;
