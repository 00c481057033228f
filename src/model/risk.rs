//! `[risk]`: how the futures of `schemes --draws` spread around the model's own: need growth
//! between the low and high forecast variants, the yearly rise of independent fees, market
//! prices, capital overruns and schemes opening a year late.

/// A spread from `low` to `high`, most likely `likely`: a triangular distribution, as a
/// finance officer's three-point estimate (least, most likely, most).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Triangle {
    /// The least it may be.
    pub low: f64,
    /// The most likely.
    pub likely: f64,
    /// The most it may be.
    pub high: f64,
}

impl Triangle {
    /// No spread: always `v`.
    #[must_use]
    pub fn fixed(v: f64) -> Triangle {
        Triangle { low: v, likely: v, high: v }
    }

    /// The value with probability `u` (from 0 to 1) of being at or below it (the inverse of
    /// the distribution). With no spread, `likely` exactly.
    #[must_use]
    pub fn at(&self, u: f64) -> f64 {
        let Triangle { low, likely, high } = *self;
        let width = high - low;
        if width <= 0.0 {
            return likely;
        }
        let split = (likely - low) / width;
        if u < split {
            low + (u * width * (likely - low)).sqrt()
        } else {
            high - ((1.0 - u) * width * (high - likely)).sqrt()
        }
    }
}

/// `[risk]`, checked: the spreads of the futures `schemes --draws` runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    /// The forecast variants at the low and high ends of need growth (the model's own
    /// variant the most likely); none: need as the model's own variant.
    pub need_variants: Option<(String, String)>,
    /// Added to `[uplift] independent` in each future, drawn once a future (a market whose
    /// fees rise fast one year tends to the next): most likely 0.
    pub fee_rise: Triangle,
    /// Multiplier on every price of the independent market's steps (market.csv).
    pub market_price: Triangle,
    /// Multiplier on each scheme's capital, drawn scheme by scheme.
    pub capital_overrun: Triangle,
    /// The chance a scheme opens a year late (its capital spent as planned).
    pub late_chance: f64,
}

impl Risk {
    /// Every spread zero: each future is the model's own.
    #[must_use]
    pub fn none() -> Risk {
        Risk {
            need_variants: None,
            fee_rise: Triangle::fixed(0.0),
            market_price: Triangle::fixed(1.0),
            capital_overrun: Triangle::fixed(1.0),
            late_chance: 0.0,
        }
    }
}

impl Default for Risk {
    /// The defaults models/README.md gives the reasons for: need between the "low" and
    /// "high" variants; fee rises 2 points either side; market prices 10% below to 20% above;
    /// capital the Green Book's optimism bias for standard buildings (2% to 24% over); one
    /// scheme in ten a year late.
    fn default() -> Risk {
        Risk {
            need_variants: Some(("low".to_string(), "high".to_string())),
            fee_rise: Triangle { low: -0.02, likely: 0.0, high: 0.02 },
            market_price: Triangle { low: 0.9, likely: 1.0, high: 1.2 },
            capital_overrun: Triangle { low: 1.0, likely: 1.02, high: 1.24 },
            late_chance: 0.1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_triangle_is_its_three_points_at_the_ends_and_the_split() {
        let t = Triangle { low: 1.0, likely: 1.5, high: 3.0 };
        assert!((t.at(0.0) - 1.0).abs() < 1e-12 && (t.at(1.0) - 3.0).abs() < 1e-12);
        // A quarter of the area lies below the most likely value: (1.5 − 1) / (3 − 1).
        assert!((t.at(0.25) - 1.5).abs() < 1e-12);
        // Half the area: below m where (3 − m)² / (2 × 1.5) = 1/2, m = 3 − √1.5.
        assert!((t.at(0.5) - (3.0 - 1.5_f64.sqrt())).abs() < 1e-12);
        assert_eq!(Triangle::fixed(1.07).at(0.9), 1.07);
    }
}
