//! End-to-end tests: the real `sufficiency` binary on the tiny fixture, on broken copies of
//! it, and on the sample authority. One test binary; each test gets its own folder.

mod all_plans;
mod annex;
mod annex_commissioning;
mod annex_risk;
mod annex_words;
mod appraisal;
mod attack;
mod commission;
mod commission_market;
mod commission_transport;
mod commission_years;
mod errors;
mod high_needs;
mod horizon;
mod import;
mod input;
mod interrupted;
mod risk;
mod risk_choice;
mod sample;
mod schemes;
mod sen2_person;
mod solve;
mod staying;
mod util;
mod workbook;
mod workbook_limits;
