//! What the annex is made from: the solved years, the schemes and commissioning results,
//! the forecast variants, and how it is to be published.

use crate::model::{Model, Money};
use crate::planning::business_case::BusinessCase;
use crate::planning::commissioning::years::OverTheYears;
use crate::planning::commissioning::{BreakEvens, Comparison, LeftOut};
use crate::planning::horizon::YearRun;
use crate::planning::risk::RiskSummary;
use crate::planning::schemes::Appraised;

/// The chosen capital schemes and what they were chosen under.
#[derive(Debug, Clone, Copy)]
pub struct SchemesPart<'a> {
    /// The appraisal.
    pub appraised: &'a Appraised,
    /// The capital budget it was chosen within (none: no limit).
    pub budget: Option<Money>,
}

/// The chosen schemes over drawn futures (`[risk]`): the summary, and each future's
/// business case, in order.
#[derive(Debug, Clone, Copy)]
pub struct RiskPart<'a> {
    /// The futures summed up.
    pub summary: &'a RiskSummary,
    /// Each future's business case.
    pub cases: &'a [BusinessCase],
}

/// Ways of buying independent places compared: in one year (the last planned), with
/// break-even figures, and over the years for a multi-year model.
#[derive(Debug, Clone, Copy)]
pub struct CommissioningPart<'a> {
    /// The one-year comparison.
    pub comparison: &'a Comparison,
    /// Break-even acceptance and block prices for that year.
    pub break_evens: &'a BreakEvens,
    /// Each option set over every year planned, and each option's whole-term value (a
    /// multi-year model).
    pub over: Option<&'a OverTheYears>,
    /// Figures not worked out at this size, each with the reason (`commission`'s rule:
    /// [`crate::planning::commissioning::MOST_COLUMNS`]).
    pub left_out: &'a [LeftOut],
}

/// Everything the annex is made from.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// The model as loaded.
    pub model: &'a Model,
    /// Each year planned, in order (one for a single-year model).
    pub years: &'a [YearRun],
    /// Capital schemes chosen and appraised, if the model has candidates.
    pub schemes: Option<SchemesPart<'a>>,
    /// Ways of buying independent places compared, if the model has options.
    pub commissioning: Option<CommissioningPart<'a>>,
    /// Counts of pupils below this are withheld; `None` turns disclosure control (grouping
    /// included) off.
    pub threshold: Option<f64>,
    /// When the annex was made (e.g. 2026-11-25).
    pub produced: String,
    /// The command that made it, to reproduce it.
    pub command: String,
    /// The forecast variants the model names (`[appraisal] variants`), each with its
    /// children needing a place in each year planned: the low, central and high bands.
    pub bands: Vec<Band>,
    /// The chosen schemes over drawn futures, if the model has `[risk]` and schemes.
    pub risk: Option<RiskPart<'a>>,
}

/// One forecast variant's children needing a place, as `forecast` gives them.
#[derive(Debug, Clone)]
pub struct Band {
    /// The variant's name (`low`, `central`, `high`, ...).
    pub variant: String,
    /// Children needing a place, `by_need[year][need]` (the model's needs, in order).
    pub by_need: Vec<Vec<f64>>,
}

impl Band {
    /// Children needing a place in year `y` with any of the `needs` (all needs if `None`).
    #[must_use]
    pub fn children(&self, y: usize, needs: Option<&[usize]>) -> f64 {
        let year = &self.by_need[y];
        match needs {
            None => year.iter().sum(),
            Some(needs) => needs.iter().filter_map(|&n| year.get(n)).sum(),
        }
    }
}
