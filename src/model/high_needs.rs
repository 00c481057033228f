//! The high-needs block of the Dedicated Schools Grant, as the model states it (`[high_needs]`):
//! the grant for the first year planned and how it grows, the high-needs spend the placement
//! model does not decide (mainstream top-ups, alternative provision, further education,
//! support services), and the deficit brought forward into the first year.
//!
//! Amounts are in the prices of the rest of the model: the first year's, each rising by its
//! own rate a year (as place costs rise by `[uplift]`).

use super::Money;

/// A yearly rate of growth, from -0.2 to 0.5 (0.03 is 3% a year). Only [`Growth::new`] makes
/// one, so a rate outside that range cannot be held.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Growth(f64);

impl Growth {
    /// The lowest rate accepted (a fall of a fifth a year).
    pub const LOWEST: f64 = -0.2;
    /// The highest rate accepted (a rise of a half a year).
    pub const HIGHEST: f64 = 0.5;

    /// `rate` if it is a number from [`Growth::LOWEST`] to [`Growth::HIGHEST`].
    #[must_use]
    pub fn new(rate: f64) -> Option<Growth> {
        (rate.is_finite() && (Growth::LOWEST..=Growth::HIGHEST).contains(&rate)).then_some(Growth(rate))
    }

    /// The rate (0.03 is 3%).
    #[must_use]
    pub fn rate(self) -> f64 {
        self.0
    }
}

/// An amount a year that grows: the first year's, then `growth` a year compounding. The
/// amount is never negative (only [`Growing::new`] makes one).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Growing {
    first: Money,
    growth: Growth,
}

impl Growing {
    /// `first` a year (finite, at least 0) growing by `growth`.
    #[must_use]
    pub fn new(first: Money, growth: Growth) -> Option<Growing> {
        (first.0.is_finite() && first.0 >= 0.0).then_some(Growing { first, growth })
    }

    /// The first year's amount.
    #[must_use]
    pub fn first(self) -> Money {
        self.first
    }

    /// The rate a year.
    #[must_use]
    pub fn growth(self) -> Growth {
        self.growth
    }

    /// The amount `k` years after the first.
    #[must_use]
    pub fn in_year(self, k: usize) -> Money {
        self.first * (1.0 + self.growth.0).powi(i32::try_from(k).unwrap_or(i32::MAX))
    }
}

/// A line of high-needs spend the placement model does not decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherSpend {
    /// Top-up funding for children with EHC plans in mainstream schools.
    MainstreamTopUps,
    /// Alternative provision (pupil referral units, AP academies, bought AP).
    AlternativeProvision,
    /// Further education colleges' high-needs students.
    FurtherEducation,
    /// Support services: outreach, sensory and hospital education, and the like.
    SupportServices,
}

impl OtherSpend {
    /// Every line, in the order reports show them.
    pub const ALL: [OtherSpend; 4] = [
        OtherSpend::MainstreamTopUps,
        OtherSpend::AlternativeProvision,
        OtherSpend::FurtherEducation,
        OtherSpend::SupportServices,
    ];

    /// The line's key in `[high_needs]` (its rate is the key with `_growth`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            OtherSpend::MainstreamTopUps => "mainstream_top_ups",
            OtherSpend::AlternativeProvision => "alternative_provision",
            OtherSpend::FurtherEducation => "further_education",
            OtherSpend::SupportServices => "support_services",
        }
    }

    /// The line as a report names it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            OtherSpend::MainstreamTopUps => "Mainstream top-ups",
            OtherSpend::AlternativeProvision => "Alternative provision",
            OtherSpend::FurtherEducation => "Further education",
            OtherSpend::SupportServices => "Support services",
        }
    }
}

/// The high-needs block as the model states it.
#[derive(Debug, Clone, PartialEq)]
pub struct HighNeeds {
    /// The high-needs grant, from the first year planned.
    pub grant: Growing,
    /// The spend the placement model does not decide, one a line of [`OtherSpend::ALL`].
    pub other: [Growing; 4],
    /// The cumulative deficit at the start of the first year planned (negative: a surplus).
    pub deficit_brought_forward: Money,
    /// The cumulative deficit the council aims to end the last year planned at or below (a
    /// Safety Valve agreement's, say), if stated: `schemes --draws` gives the chance of it.
    pub deficit_target: Option<Money>,
}

impl HighNeeds {
    /// The spend on `line`, `k` years after the first.
    #[must_use]
    pub fn other_in_year(&self, line: OtherSpend, k: usize) -> Money {
        let i = OtherSpend::ALL.iter().position(|l| *l == line).unwrap_or(0);
        self.other[i].in_year(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_outside_the_range_or_a_negative_amount_cannot_be_held() {
        assert!(Growth::new(0.5).is_some() && Growth::new(-0.2).is_some());
        assert!(Growth::new(0.51).is_none() && Growth::new(-0.21).is_none() && Growth::new(f64::NAN).is_none());
        assert!(Growing::new(Money(-1.0), Growth::default()).is_none());
        assert!(Growing::new(Money(f64::INFINITY), Growth::default()).is_none());
    }

    #[test]
    fn an_amount_grows_by_its_rate_compounding() {
        let g = Growing::new(Money(1_000.0), Growth::new(0.1).unwrap()).unwrap();
        assert_eq!(g.in_year(0), Money(1_000.0));
        assert!((g.in_year(2).0 - 1_210.0).abs() < 1e-9);
    }
}
