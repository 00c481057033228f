//! What the futures say, as a finance officer reads it: the 10th, 50th and 90th percentile
//! of the saving each year, of the capital and of the present value, and the chance of
//! paying back by each year; with `[high_needs]`, the cumulative deficit at the end of the
//! last year with and without the programme, and the chance it ends at or below the target.

use crate::model::{Model, Money, SchoolYear};
use crate::planning::business_case::{BusinessCase, Payback};
use crate::planning::high_needs::Block;

/// The 10th, 50th and 90th percentile of a figure over the futures (nearest rank).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percentiles {
    /// One future in ten is at or below it.
    pub p10: Money,
    /// The median.
    pub p50: Money,
    /// Nine futures in ten are at or below it.
    pub p90: Money,
}

impl Percentiles {
    /// Of `values` (any order).
    #[must_use]
    pub fn of(values: impl Iterator<Item = f64>) -> Percentiles {
        let mut v: Vec<f64> = values.collect();
        v.sort_by(f64::total_cmp);
        Percentiles {
            p10: Money(nearest_rank(&v, 10.0)),
            p50: Money(nearest_rank(&v, 50.0)),
            p90: Money(nearest_rank(&v, 90.0)),
        }
    }
}

/// The `p`th percentile of `sorted` (ascending) by nearest rank: the value at rank
/// ⌈p/100 × n⌉ (from 1), so always one of the values; 0 for none.
#[must_use]
pub fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let n = sorted.len() as f64;
    let rank = (p / 100.0 * n).ceil().clamp(1.0, n) as usize;
    sorted[rank - 1]
}

/// The chance of having paid back by the end of a year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaybackBy {
    /// The school year.
    pub year: SchoolYear,
    /// Share of the futures whose savings to date reach the capital by then (0 to 1).
    pub chance: f64,
}

/// The futures summed up.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskSummary {
    /// Futures drawn.
    pub draws: usize,
    /// The seed they were drawn with.
    pub seed: u64,
    /// Year by year: the saving (places and transport).
    pub saving: Vec<(SchoolYear, Percentiles)>,
    /// Capital in all.
    pub capital: Percentiles,
    /// Savings less capital, discounted.
    pub present_value: Percentiles,
    /// With the residual value added (the last year's saving going on for the appraisal's
    /// residual years), when a future has one; shown apart as in the business case.
    pub with_residual: Option<Percentiles>,
    /// The chance of paying back by each year planned.
    pub payback_by: Vec<PaybackBy>,
    /// The chance of paying back at all, within the years planned or after them at the last
    /// year's saving.
    pub pays_back: f64,
    /// The high-needs block's cumulative deficit at the end of the last year, if the model
    /// states the block.
    pub deficit: Option<DeficitRisk>,
}

/// The high-needs block's cumulative deficit at the end of the last year planned over the
/// futures, with and without the programme, and the chance of ending at or below the target.
#[derive(Debug, Clone, PartialEq)]
pub struct DeficitRisk {
    /// The last year planned.
    pub year: SchoolYear,
    /// Without the programme.
    pub without: Percentiles,
    /// With it.
    pub with: Percentiles,
    /// The model's target, if stated, and the share of futures (0 to 1) ending at or below it
    /// without and with the programme.
    pub target: Option<(Money, f64, f64)>,
}

impl DeficitRisk {
    /// Of the business cases of the futures of `model` (the block is not drawn: the grant
    /// and the other lines are the model's in every future; only the spend on places
    /// changes). `None` without `[high_needs]` or futures.
    #[must_use]
    pub fn of(model: &Model, cases: &[BusinessCase]) -> Option<DeficitRisk> {
        let last = |case: &BusinessCase| -> Option<(SchoolYear, f64, f64)> {
            let block = Block::of_case(model, case)?;
            let year = block.with.years().last()?.year;
            Some((year, block.without.deficit_at(year)?.0, block.with.deficit_at(year)?.0))
        };
        let ends: Vec<(SchoolYear, f64, f64)> = cases.iter().map(last).collect::<Option<_>>()?;
        let year = ends.first()?.0;
        let share = |count: usize| count as f64 / ends.len() as f64;
        let target = model.high_needs.as_ref().and_then(|b| b.deficit_target).map(|t| {
            let at_most = |pick: fn(&(SchoolYear, f64, f64)) -> f64| ends.iter().filter(|e| pick(e) <= t.0).count();
            (t, share(at_most(|e| e.1)), share(at_most(|e| e.2)))
        });
        Some(DeficitRisk {
            year,
            without: Percentiles::of(ends.iter().map(|e| e.1)),
            with: Percentiles::of(ends.iter().map(|e| e.2)),
            target,
        })
    }
}

impl RiskSummary {
    /// Of the business cases of the futures drawn with `seed`.
    #[must_use]
    pub fn of(cases: &[BusinessCase], seed: u64) -> RiskSummary {
        let n = cases.len();
        let share = |count: usize| if n == 0 { 0.0 } else { count as f64 / n as f64 };
        let years: Vec<SchoolYear> =
            cases.first().map(|c| c.years.iter().map(|y| y.year).collect()).unwrap_or_default();
        let saving = years
            .iter()
            .enumerate()
            .map(|(k, &year)| (year, Percentiles::of(cases.iter().map(|c| c.years[k].saving().0))))
            .collect();
        let payback_by = years
            .iter()
            .map(|&year| PaybackBy {
                year,
                chance: share(cases.iter().filter(|c| matches!(c.payback, Payback::Within(y) if y <= year)).count()),
            })
            .collect();
        RiskSummary {
            draws: n,
            seed,
            saving,
            capital: Percentiles::of(cases.iter().map(|c| c.capital.0)),
            present_value: Percentiles::of(cases.iter().map(|c| c.present_value.0)),
            with_residual: cases
                .iter()
                .any(|c| c.residual_value.0 != 0.0)
                .then(|| Percentiles::of(cases.iter().map(|c| c.with_residual().0))),
            payback_by,
            pays_back: share(cases.iter().filter(|c| c.payback != Payback::Never).count()),
            deficit: None,
        }
    }
}
