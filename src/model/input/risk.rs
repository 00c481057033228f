//! `[risk]` checked: the spreads of the futures `schemes --draws` runs, each problem named
//! at its key's line.

use super::Loader;
use super::model_file::ModelFile;
use crate::model::{Risk, Triangle};

impl Loader<'_> {
    /// `[risk]`: the defaults of [`Risk::default`] where a key is not given.
    pub(crate) fn risk(&mut self, file: &ModelFile) -> Risk {
        let d = Risk::default();
        let Some(r) = &file.risk else {
            return d;
        };
        let need_variants = match r.need_variants.as_deref() {
            None => d.need_variants,
            Some([]) => None,
            Some([low, high]) => Some((low.clone(), high.clone())),
            Some(other) => {
                self.problem(
                    "need_variants",
                    format!(
                        "lists {} variants: expected two, the low and the high, like [\"low\", \"high\"] (or [] for none)",
                        other.len()
                    ),
                );
                None
            }
        };
        let fee_rise = self.triangle(
            ("fee_rise_low", r.fee_rise_low, d.fee_rise.low),
            ("", None, 0.0),
            ("fee_rise_high", r.fee_rise_high, d.fee_rise.high),
            (-0.2, 0.5, "a change in the rise a year, from -0.2 to 0.5 (0.02 is 2 points)"),
        );
        let market_price = self.triangle(
            ("market_low", r.market_low, d.market_price.low),
            ("market_likely", r.market_likely, d.market_price.likely),
            ("market_high", r.market_high, d.market_price.high),
            (0.1, 10.0, "a multiplier on market prices, from 0.1 to 10 (1.2 is 20% dearer)"),
        );
        let capital_overrun = self.triangle(
            ("overrun_low", r.overrun_low, d.capital_overrun.low),
            ("overrun_likely", r.overrun_likely, d.capital_overrun.likely),
            ("overrun_high", r.overrun_high, d.capital_overrun.high),
            (0.1, 10.0, "a multiplier on capital, from 0.1 to 10 (1.24 is 24% over)"),
        );
        let late_chance = r.late_chance.unwrap_or(d.late_chance);
        if !(late_chance.is_finite() && (0.0..=1.0).contains(&late_chance)) {
            self.problem("late_chance", format!("{late_chance}: expected a chance from 0 to 1 (0.1 is one in ten)"));
        }
        Risk { need_variants, fee_rise, market_price, capital_overrun, late_chance }
    }

    /// Three points, each in `range` and in order (a key of `""` is fixed, not read).
    fn triangle(
        &mut self,
        low: (&str, Option<f64>, f64),
        likely: (&str, Option<f64>, f64),
        high: (&str, Option<f64>, f64),
        (least, most, expected): (f64, f64, &str),
    ) -> Triangle {
        let mut point = |(key, given, default): (&str, Option<f64>, f64)| {
            let v = given.unwrap_or(default);
            if !(v.is_finite() && (least..=most).contains(&v)) {
                self.problem(key, format!("{v}: expected {expected}"));
            }
            v
        };
        let t = Triangle { low: point(low), likely: point(likely), high: point(high) };
        let likely_name = if likely.0.is_empty() { "the most likely, 0" } else { likely.0 };
        if t.low > t.likely {
            self.problem(low.0, format!("{}: expected at most {likely_name} ({})", t.low, t.likely));
        } else if t.likely > t.high {
            self.problem(high.0, format!("{}: expected at least {likely_name} ({})", t.high, t.likely));
        }
        t
    }
}
