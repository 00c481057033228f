//! Capital schemes: choosing the portfolio that costs least over the years planned, within
//! a capital budget, and appraising what each scheme buys.
//!
//! One mixed-integer program covers every year planned (and, for a robust choice, every
//! forecast variant). Each year is the placement program of [`crate::optimise::formulation`] for that
//! year's need, with each candidate scheme as an extra setting from the year it opens; a
//! whole-number column per scheme says whether it is built (and one more its modules, for
//! schemes that scale), and rows tie the scheme's places to it. The objective is the
//! discounted sum of each year's weighted cost (places, transport, the out-of-borough weight
//! and the unmet penalty) plus each scheme's capital (annualised or upfront, see
//! [`CapitalMethod`](crate::model::CapitalMethod)) and fixed running cost. Rows keep the capital within the budget,
//! exclusive groups to one scheme, and a scheme that needs another behind it.
//!
//! Each year's need is placed afresh: children can take any suitable place, so a scheme's
//! places fill from the year it opens. The horizon plan (`solve`) keeps children where they
//! are; run it on a scenario with the chosen schemes to see the transition.
//!
//! What one more place is worth ([`Appraiser::place_values`]): the last year solved again with
//! one more place at each home locality in the borough for each need and phase, against the
//! year without it (the difference of two solves, exact for a whole place; on a network each
//! from a copy of the year's optimal tree,
//! [`flow::one_more_place`](crate::optimise::flow::one_more_place)). The difference is split
//! into the money saved (places and transport) and the policy weights avoided (the
//! out-of-borough weight, the unmet penalty), which are not money; places are ranked by the two
//! together, as the optimiser values them.
//!
//! The files, each on those before it: `choice` (what may be chosen, and the rules a portfolio
//! keeps), `program` (the program, the schemes' discounted costs and the portfolio a solution
//! builds), `cuts` (the best portfolio by cuts, each year by the network simplex), `master`
//! (the search for the next portfolio to place), `choose` (the best portfolio and how it
//! fares), `place_value` (what one more place is worth), `appraise` (a choice against
//! building nothing and each scheme alone, with the business cases), `curve` (the best
//! portfolio at each budget) and `share` (the most an inclusion programme's places may hold
//! each year, its share of new plans). The portfolio itself is [`crate::planning::portfolio`], shared
//! with the business case.

mod appraise;
mod block_cache;
mod choice;
mod choose;
mod curve;
mod cuts;
pub(crate) use cuts::tolerance;
mod drawn;
pub(crate) mod master;
mod place_value;
mod program;
mod share;
#[cfg(test)]
mod tests;

pub use appraise::{Appraised, Gain, appraise};
pub use choice::{Choice, Robust, check_rules, with_prerequisites};
pub use choose::{Outcome, Proof, YearOutcome};
pub use curve::{CurvePoint, budget_curve, curve_budgets};
pub use drawn::{Criterion, OnDraws, OnDrawsRule, cvar};
pub use place_value::PlaceValue;
pub use program::Appraiser;
pub use share::programme_caps;

use crate::model::{Model, SchemeSite};
pub use crate::planning::portfolio::Portfolio;

/// The setting a scheme's places are reported under: the expanded setting, or its own.
#[must_use]
pub fn site_name(model: &Model, j: usize) -> &str {
    match model.schemes[j].site {
        SchemeSite::Expands(s) => &model.setting(s).name,
        SchemeSite::New => &model.schemes[j].name,
    }
}
