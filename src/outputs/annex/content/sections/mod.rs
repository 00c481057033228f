//! The annex's sections, one a file, each adding its paragraphs, tables and figures to the
//! [`Builder`](super::builder::Builder) in the order they are published.

mod codes;
mod commissioning;
mod method;
mod need;
mod out_of_borough;
mod placements;
mod places;
mod required;
mod schemes;
