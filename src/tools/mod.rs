//! Tools for measuring the tool: synthetic models of any size ([`generate`]) and the scale
//! benchmark ([`bench`](mod@bench)); importing settings from the register of schools ([`import`]);
//! the template of a model kept in one workbook ([`template`]).

pub mod bench;
pub mod generate;
pub mod import;
pub mod template;
