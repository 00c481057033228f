//! Importing what the DfE already publishes: the settings table from the register of
//! schools, Get Information About Schools ([`gias`]), with its British National Grid
//! references converted to latitude and longitude ([`bng`]).

pub mod bng;
pub mod gias;
