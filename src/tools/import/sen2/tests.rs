use super::fields::{residential, year_group_code};
use super::*;

#[rstest::rstest]
#[case("2022-Sep-28 00:00:00", (2022, 9, 28))]
#[case("2024-Feb-29 00:00:00", (2024, 2, 29))]
#[case("2025-jan-16", (2025, 1, 16))]
#[case("2025-01-16", (2025, 1, 16))]
#[case("2025-01-16T00:00:00", (2025, 1, 16))]
#[case("16/01/2025", (2025, 1, 16))]
fn dates_are_read_as_the_export_writes_them(#[case] text: &str, #[case] (year, month, day): (i32, u32, u32)) {
    assert_eq!(Date::parse(text), Some(Date { year, month, day }));
}

#[rstest::rstest]
#[case("2023-Feb-29 00:00:00")]
#[case("2022-Sept-28")]
#[case("2022-13-01")]
#[case("28-09-2022")]
#[case("")]
#[case("yesterday")]
fn other_dates_are_refused(#[case] text: &str) {
    assert_eq!(Date::parse(text), None);
}

/// The 31 August rule: a child 4 on the 31 August before the school year began is in
/// reception. Census 16 January 2025 (school year 2024/25, from 1 September 2024).
#[rstest::rstest]
#[case((2019, 9, 1), 0)] // 4 on 31 August 2024 (5 the next day): reception
#[case((2019, 8, 31), 1)] // 5 on 31 August 2024: year 1
#[case((2020, 8, 31), 0)] // 4 on 31 August 2024: reception
#[case((2020, 9, 1), -1)] // 3 on 31 August 2024: N2
#[case((2013, 3, 5), 7)] // 11: year 7
#[case((2006, 1, 16), 14)] // 18: year 14
fn year_groups_follow_the_31_august_rule(#[case] (year, month, day): (i32, u32, u32), #[case] ncy: i32) {
    let census = Date { year: 2025, month: 1, day: 16 };
    assert_eq!(year_group(Date { year, month, day }, census), ncy);
}

#[test]
fn ages_count_whole_years() {
    let census = Date { year: 2025, month: 1, day: 16 };
    assert_eq!(census.age_of(Date { year: 2000, month: 1, day: 16 }), 25);
    assert_eq!(census.age_of(Date { year: 1999, month: 1, day: 17 }), 25);
    assert_eq!(census.age_of(Date { year: 1999, month: 1, day: 16 }), 26);
    assert_eq!(census.age_of(Date { year: 2025, month: 1, day: 17 }), -1);
}

#[test]
fn year_groups_are_written_as_the_model_writes_them() {
    assert_eq!(year_group_code(-2), "N1");
    assert_eq!(year_group_code(-1), "N2");
    assert_eq!(year_group_code(0), "R");
    assert_eq!(year_group_code(14), "14");
}

#[test]
fn postcodes_compare_without_spaces_in_upper_case() {
    assert_eq!(postcode_key(" cw1 2ab "), "CW12AB");
    assert_eq!(postcode_key("CW12AB"), "CW12AB");
}

#[test]
fn boarding_weeks_are_52_only_where_the_value_says_so() {
    assert_eq!(boarding_weeks(""), 0);
    assert_eq!(boarding_weeks("N"), 0);
    assert_eq!(boarding_weeks("Y"), 38);
    assert_eq!(boarding_weeks("RES52"), 52);
    assert_eq!(boarding_weeks("52"), 52);
}

#[test]
fn flags_and_residential_codes() {
    for yes in ["1", "Y", "yes", "TRUE"] {
        assert!(flag(yes), "{yes}");
    }
    for no in ["0", "N", "", "false"] {
        assert!(!flag(no), "{no}");
    }
    assert!(residential("RSC"));
    assert!(residential("1"));
    assert!(!residential(""));
    assert!(!residential("NA"));
    assert!(!residential("0"));
}
