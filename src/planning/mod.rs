//! Planning over the years: need forecast by year, each year planned with children staying
//! put, capital schemes chosen and their business case, and ways of buying independent
//! places compared.

pub mod business_case;
pub mod commissioning;
pub mod forecast;
pub mod horizon;
pub mod ready;
pub mod schemes;
