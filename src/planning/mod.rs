//! Planning over the years: need forecast by year, each year planned with children staying
//! put, capital schemes chosen and their business case, and ways of buying independent
//! places compared.
//!
//! The modules here use one another in one direction only, from the bottom:
//!
//! 1. [`forecast`] and [`horizon`]: the need year by year, and each year planned with
//!    children staying put.
//! 2. [`portfolio`] (the schemes built), [`year_plan`] (the plan of one year's solved
//!    program) and [`transport_options`] (transport commissioning options appraised against
//!    a plan): on nothing else in planning.
//! 3. [`business_case`]: a portfolio's years planned against building nothing (on
//!    `portfolio` and `horizon`).
//!    [`high_needs`]: the high-needs block's ledger with and without a portfolio (on
//!    `business_case`).
//! 4. [`schemes`]: the program that chooses a portfolio and appraises it (on `business_case`,
//!    `portfolio`, `year_plan` and `forecast`).
//! 5. [`commissioning`]: ways of buying independent places (on `year_plan`, `forecast` and
//!    `transport_options`).
//! 6. [`risk`]: a portfolio's business case over many futures drawn (on `business_case`).
//!
//! So the choice of schemes uses the business case, and the business case knows nothing of
//! the choice: both take the portfolio from below them.

pub mod business_case;
pub mod commissioning;
pub mod forecast;
pub mod high_needs;
pub mod horizon;
pub mod portfolio;
pub mod ready;
pub mod risk;
pub mod scap;
pub mod schemes;
pub mod transport_options;
pub mod year_plan;
