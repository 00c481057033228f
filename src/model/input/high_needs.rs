//! `[high_needs]`: the high-needs block of the Dedicated Schools Grant, checked: the grant
//! for the first year planned (above 0) and its growth, the spend the placement model does
//! not decide (each line at least 0, with its growth), and the deficit brought forward.

use super::Loader;
use super::model_file::HighNeedsFile;
use crate::model::{Growing, Growth, HighNeeds, Money, OtherSpend};

/// Largest amount accepted, in pounds.
const MOST: f64 = 1e12;

impl Loader<'_> {
    /// The block, or `None` with a problem for each value out of range.
    pub(super) fn high_needs(&mut self, file: &HighNeedsFile) -> Option<HighNeeds> {
        let mut ok = true;
        let mut rate = |this: &mut Self, key: &str, value: Option<f64>| {
            let v = value.unwrap_or(0.0);
            Growth::new(v).unwrap_or_else(|| {
                this.problem(key, format!("{v}: expected a growth rate a year from -0.2 to 0.5 (0.03 is 3%)"));
                ok = false;
                Growth::default()
            })
        };
        let grant_growth = rate(self, "grant_growth", file.grant_growth);
        let growths = [
            rate(self, "mainstream_top_ups_growth", file.mainstream_top_ups_growth),
            rate(self, "alternative_provision_growth", file.alternative_provision_growth),
            rate(self, "further_education_growth", file.further_education_growth),
            rate(self, "support_services_growth", file.support_services_growth),
        ];
        let grant = match file.grant {
            None => {
                self.problem(
                    "high_needs.grant",
                    "is missing: expected grant = the high-needs grant for the first year planned, in pounds, \
                     under [high_needs]"
                        .into(),
                );
                None
            }
            Some(v) if !(v.is_finite() && v > 0.0 && v <= MOST) => {
                self.problem(
                    "grant",
                    format!("{v}: expected a number of pounds above 0 and at most 1,000,000,000,000"),
                );
                None
            }
            Some(v) => Growing::new(Money(v), grant_growth),
        };
        let amounts =
            [file.mainstream_top_ups, file.alternative_provision, file.further_education, file.support_services];
        let mut other = [Growing::default(); 4];
        for ((line, value), (slot, growth)) in OtherSpend::ALL.iter().zip(amounts).zip(other.iter_mut().zip(growths)) {
            let v = value.unwrap_or(0.0);
            match Growing::new(Money(v), growth).filter(|_| v <= MOST) {
                Some(g) => *slot = g,
                None => {
                    self.problem(
                        line.key(),
                        format!("{v}: expected a number of pounds a year, at least 0 and at most 1,000,000,000,000"),
                    );
                    ok = false;
                }
            }
        }
        let deficit = match file.deficit_brought_forward {
            None => {
                self.problem(
                    "high_needs.deficit_brought_forward",
                    "is missing: expected deficit_brought_forward = the cumulative deficit at the start of the first \
                     year planned, in pounds (0 if none, negative for a surplus), under [high_needs]"
                        .into(),
                );
                None
            }
            Some(v) if !(v.is_finite() && v.abs() <= MOST) => {
                self.problem(
                    "deficit_brought_forward",
                    format!("{v}: expected a number of pounds from -1,000,000,000,000 to 1,000,000,000,000"),
                );
                None
            }
            Some(v) => Some(Money(v)),
        };
        let deficit_target = match file.deficit_target {
            Some(v) if !(v.is_finite() && v.abs() <= MOST) => {
                self.problem(
                    "deficit_target",
                    format!("{v}: expected a number of pounds from -1,000,000,000,000 to 1,000,000,000,000"),
                );
                ok = false;
                None
            }
            v => v.map(Money),
        };
        let (grant, deficit_brought_forward) = (grant?, deficit?);
        ok.then_some(HighNeeds { grant, other, deficit_brought_forward, deficit_target })
    }
}
