//! Importing what the DfE already publishes: the settings table from the register of
//! schools, Get Information About Schools ([`gias`]), with its British National Grid
//! references converted to latitude and longitude ([`bng`]); and the base year's placements
//! and need from the council's own SEN2 person-level return ([`sen2`]).

pub mod bng;
pub mod gias;
pub mod sen2;
