//! The return's fields as the import reads them: dates, year groups, postcodes, flags and
//! residential placements.

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, from 1.
    pub day: u32,
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

impl Date {
    /// Reads a date as the export writes it, `2022-Sep-28 00:00:00`, or as a spreadsheet may
    /// have rewritten it: `2022-09-28` (with or without a time) or `28/09/2022`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Date> {
        let day_part = text.trim().split([' ', 'T']).next()?;
        let (y, m, d) = if let Some((d, rest)) = day_part.split_once('/') {
            let (m, y) = rest.split_once('/')?;
            (y, m, d)
        } else {
            let mut parts = day_part.splitn(3, '-');
            (parts.next()?, parts.next()?, parts.next()?)
        };
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && y.len() == 4 && all_digits(d) && d.len() <= 2) {
            return None;
        }
        let month = if all_digits(m) && m.len() <= 2 {
            m.parse().ok()?
        } else {
            let lower = m.to_ascii_lowercase();
            u32::try_from(MONTHS.iter().position(|n| *n == lower)?).ok()? + 1
        };
        let date = Date { year: y.parse().ok()?, month, day: d.parse().ok()? };
        ((1..=12).contains(&month) && (1..=date.days_in_month()).contains(&date.day)).then_some(date)
    }

    fn days_in_month(self) -> u32 {
        match self.month {
            2 if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Whole years from `birth` to this date.
    #[must_use]
    pub fn age_of(self, birth: Date) -> i32 {
        self.year - birth.year - i32::from((self.month, self.day) < (birth.month, birth.day))
    }

    /// The year the school year holding this date began (1 September).
    #[must_use]
    pub fn school_year_start(self) -> i32 {
        if self.month >= 9 { self.year } else { self.year - 1 }
    }

    /// `16 January 2025`.
    #[must_use]
    pub fn long(self) -> String {
        const NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{} {} {}", self.day, NAMES[(self.month as usize).clamp(1, 12) - 1], self.year)
    }
}

/// The national curriculum year of a child born on `birth`, in the school year holding
/// `census`: their age on the 31 August before that year began, less 4 (reception is 0).
#[must_use]
pub fn year_group(birth: Date, census: Date) -> i32 {
    let before = Date { year: census.school_year_start(), month: 8, day: 31 };
    before.age_of(birth) - 4
}

/// `N1`, `N2`, `R`, `1`, ... as the model writes year groups (N1 to 14 only are written).
pub(super) fn year_group_code(ncy: i32) -> String {
    match ncy {
        0 => "R".into(),
        n if n < 0 => format!("N{}", 3 + n),
        n => n.to_string(),
    }
}

/// Postcodes compare without spaces, in upper case.
pub(super) fn postcode_key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

/// Yes in a flag column: `1`, `Y`, `yes`, `true` (any case).
pub(super) fn flag(text: &str) -> bool {
    matches!(text.trim().to_ascii_lowercase().as_str(), "1" | "y" | "yes" | "true" | "t")
}

/// A residential placement in a residential column (`res`, `planres`): anything but blank,
/// `0`, `N`, `no`, `false` or `NA`.
pub(super) fn residential(text: &str) -> bool {
    !matches!(text.trim().to_ascii_lowercase().as_str(), "" | "0" | "n" | "no" | "false" | "f" | "na" | "n/a" | "none")
}

/// The weeks a residential column says a child boards: 0 (a day placement), 52 where its
/// value says 52 (`52`, `RES52`, ...), else 38 (the DfE counts 38 to 51 weeks and 52 weeks).
pub(super) fn boarding_weeks(text: &str) -> u8 {
    match (residential(text), text.contains("52")) {
        (false, _) => 0,
        (true, true) => 52,
        (true, false) => 38,
    }
}
