//! Tools for measuring the tool: synthetic models of any size ([`generate`]) and the scale
//! benchmark ([`bench`](mod@bench)).

pub mod bench;
pub mod generate;
pub mod template;
