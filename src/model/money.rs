//! Money: amounts in pounds, added and shown as a report shows them (`£1,234,567`).

use std::fmt;
use std::ops::{Add, AddAssign, Mul, Sub};

use serde::Serialize;

/// An amount of money in pounds sterling (a year, unless said otherwise).
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Money(pub f64);

impl Money {
    /// Pounds as a plain number.
    #[must_use]
    pub fn pounds(self) -> f64 {
        self.0
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Mul<f64> for Money {
    type Output = Money;
    fn mul(self, rhs: f64) -> Money {
        Money(self.0 * rhs)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl fmt::Display for Money {
    /// Whole pounds with thousands separators: `£1,234,567`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rounded = self.0.round();
        let sign = if rounded < 0.0 { "-" } else { "" };
        write!(f, "{sign}£{}", group_thousands(rounded.abs()))
    }
}

/// `1234567.0` as `1,234,567`.
#[must_use]
pub fn group_thousands(whole: f64) -> String {
    let text = format!("{whole:.0}");
    // The sign is not a digit: -905 is "-905", not "-,905".
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |d| ("-", d));
    let mut out = String::with_capacity(text.len() + digits.len() / 3);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(0.0, "0")]
    #[case(905.0, "905")]
    #[case(-905.0, "-905")]
    #[case(1_217.0, "1,217")]
    #[case(-1_217.0, "-1,217")]
    #[case(-123_456.0, "-123,456")]
    fn thousands_are_grouped_after_the_sign(#[case] v: f64, #[case] text: &str) {
        assert_eq!(group_thousands(v), text);
    }

    #[rstest]
    #[case(0.0, "£0")]
    #[case(999.4, "£999")]
    #[case(1_000.0, "£1,000")]
    #[case(1_234_567.5, "£1,234,568")]
    #[case(-52_000.0, "-£52,000")]
    fn money_is_shown_in_whole_pounds(#[case] pounds: f64, #[case] shown: &str) {
        assert_eq!(Money(pounds).to_string(), shown);
    }
}
