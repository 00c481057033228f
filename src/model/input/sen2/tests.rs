use super::*;

#[rstest::rstest]
#[case("2024", Some(2024))]
#[case("202425", Some(2025))]
#[case("2024/25", None)]
#[case("", None)]
fn time_periods_give_the_january(#[case] text: &str, #[case] january: Option<u16>) {
    assert_eq!(january_of(text), january);
}

#[rstest::rstest]
#[case("1,234", Some(1234.0))]
#[case("56", Some(56.0))]
#[case("c", None)]
#[case("x", None)]
#[case("z", None)]
fn suppressed_figures_are_missing_not_nought(#[case] text: &str, #[case] v: Option<f64>) {
    assert_eq!(figure(text), v);
}

/// A fixture of real excerpts (tests/fixtures/sen2/README.md).
fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sen2").join(name)
}

fn read_one(name: &str, la: Option<&str>, january: u16) -> Result<Against, Problems> {
    read_all(&[fixture(name)], la, "Cheshire East (synthetic sample)", january, "--la")
}

#[rstest::rstest]
#[case("under 3", Some((0, 2)))]
#[case("age 2 and under", Some((0, 2)))]
#[case("age 10", Some((10, 10)))]
#[case("age 20 and over", Some((20, 25)))]
#[case("Age 5 to 10", None)]
#[case("unknown", None)]
fn age_bands_parse(#[case] text: &str, #[case] ages: Option<(u8, u8)>) {
    assert_eq!(AgeBand::parse(text).map(|b| (b.low, b.high)), ages);
}

#[rstest::rstest]
#[case("Special - total", true)]
#[case("FE - total", true)]
#[case("Mainstream - total", true)]
#[case("Special - LA maintained", false)]
#[case("Mainstream - academy (resourced provision)", false)]
fn subtotals_are_told(#[case] breakdown: &str, #[case] subtotal: bool) {
    assert_eq!(is_subtotal(breakdown), subtotal);
}

/// Cheshire East, January 2025, from the real sen_needs_all_plans.csv: the figures below
/// were read off the file by hand (awk on the fixture).
#[test]
fn the_need_mix_of_cheshire_east_by_type_of_placement() {
    let read = read_one("real_sen_needs_all_plans_2025.csv", None, 2026).unwrap();
    assert!(read.caseload.is_none() && read.residential.is_none());
    let (_, mix) = read.needs.unwrap();
    assert_eq!(
        (mix.authority.la_name.as_str(), mix.authority.old_la_code.as_str(), mix.authority.new_la_code.as_str()),
        ("Cheshire East", "895", "E06000049")
    );
    assert_eq!((mix.authority.january, mix.authority.asked), (2025, 2026));
    // 32 rows by type of placement (a type with no plans has no row: no LA maintained SEN unit).
    assert_eq!(mix.placements.len(), 32);
    let row = |name: &str| mix.placements.iter().find(|p| p.placement == name).unwrap();
    let la_special = row("Special - LA maintained");
    assert!(!la_special.subtotal);
    assert_eq!(la_special.plans, Some(473.0));
    // ASD, SEMH, SLCN, MLD, SLD, PMLD, SpLD, HI, VI, MSI, PD, OTH, not recorded.
    let want = [121.0, 37.0, 100.0, 49.0, 84.0, 12.0, 2.0, 6.0, 6.0, 10.0, 23.0, 23.0, 0.0];
    assert_eq!(la_special.needs, want.map(Some).to_vec());
    assert!(row("Special - total").subtotal);
    assert_eq!(row("Special - total").plans, Some(1297.0));
    // The four special rows add up to the subtotal: it must not be counted as well.
    let special: f64 = mix
        .placements
        .iter()
        .filter(|p| p.placement.starts_with("Special - ") && !p.subtotal)
        .filter_map(|p| p.plans)
        .sum();
    assert_eq!(special, 473.0 + 376.0 + 381.0 + 67.0);
    assert_eq!(special, 1297.0);
    assert_eq!(mix.all.as_ref().and_then(|a| a.plans), Some(4871.0));
}

#[test]
fn the_caseload_by_age_of_cheshire_west_and_chester() {
    let read = read_one("real_caseload_2025.csv", Some("896"), 2026).unwrap();
    let (_, caseload) = read.caseload.unwrap();
    assert_eq!(caseload.layout, Layout::From2025);
    let ages = read.ages.unwrap();
    assert_eq!(ages.authority.la_name, "Cheshire West and Chester");
    assert_eq!(ages.authority.january, 2025);
    // under 3, then 3 to 25: youngest first.
    assert_eq!(ages.rows.len(), 24);
    assert_eq!(ages.rows[0].band.label, "under 3");
    assert_eq!(ages.rows[23].band.label, "age 25");
    let at = |age: u8, column: &str| {
        let row = ages.rows.iter().find(|r| r.band.low == age && r.band.high == age).unwrap();
        let i = WIDE_COLUMNS.iter().position(|c| c.0 == column).unwrap();
        row.types[i].children
    };
    // age 11: 112 + 37 in state special schools; 4 in specialist post-16 at age 16.
    assert_eq!(at(11, "special_la_maintained").zip(at(11, "special_academy_free")).map(|(a, b)| a + b), Some(149.0));
    assert_eq!(at(16, "specialist_post_16_institutions"), Some(4.0));
}

#[test]
fn residential_placements_of_the_latest_year_up_to_the_base_year() {
    let (_, r) = read_one("real_residential_settings_2025.csv", None, 2026).unwrap().residential.unwrap();
    assert_eq!((r.authority.la_name.as_str(), r.authority.january), ("Cheshire East", 2025));
    assert_eq!(r.all, [Some(3.0), Some(3.0), Some(6.0)]);
    let independent = r.placements.iter().find(|p| p.0 == "Special - independent").unwrap();
    assert_eq!(independent.2, [Some(3.0), Some(1.0), Some(4.0)]);
    // A base year of 2022/23 reads January 2023 (202223): 4 + 5 = 9; no rows by placement that year.
    let (_, r) = read_one("real_residential_settings_2025.csv", None, 2023).unwrap().residential.unwrap();
    assert_eq!((r.authority.january, r.all), (2023, [Some(4.0), Some(5.0), Some(9.0)]));
    assert!(r.placements.is_empty());
    let (_, r) = read_one("real_residential_settings_2025.csv", Some("E06000050"), 2026).unwrap().residential.unwrap();
    assert_eq!(r.all, [Some(2.0), Some(3.0), Some(5.0)]);
}

/// A file of no kind read, and the need of new plans (the same columns, by calendar
/// year), are refused on one line naming the file.
#[test]
fn files_of_another_kind_are_refused_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("newplans.csv");
    std::fs::write(
        &other,
        "time_period,geographic_level,la_name,new_ehc_plans\n2024,Local authority,Cheshire East,5\n",
    )
    .unwrap();
    let e = read_all(std::slice::from_ref(&other), None, "Cheshire East", 2026, "--la").unwrap_err();
    assert_eq!(e.len(), 1);
    let line = e.iter().next().unwrap().to_string();
    assert!(
        line.contains("newplans.csv:1: is not a file check --against reads: expected the DfE's caseload"),
        "{line}"
    );
    assert!(!line.contains('\n'));
    let text = std::fs::read_to_string(fixture("real_sen_needs_all_plans_2025.csv")).unwrap();
    let new_plans = dir.path().join("sen_need_newplans.csv");
    std::fs::write(&new_plans, text.replace("202425,Academic year", "2024,Calendar year")).unwrap();
    let e = read_all(&[new_plans], None, "Cheshire East", 2026, "--la").unwrap_err();
    assert!(e.iter().next().unwrap().to_string().contains("this is the need of new plans"), "{e:?}");
    // In a folder the other file is skipped and named; two of one kind are refused.
    std::fs::copy(fixture("real_residential_settings_2025.csv"), dir.path().join("residential_settings.csv")).unwrap();
    std::fs::remove_file(dir.path().join("sen_need_newplans.csv")).unwrap();
    let read = read_all(&[dir.path().to_path_buf()], None, "Cheshire East", 2026, "--la").unwrap();
    assert!(read.residential.is_some());
    assert_eq!(read.skipped, vec![other.display().to_string()]);
    let e = read_all(
        &[dir.path().to_path_buf(), fixture("real_residential_settings_2025.csv")],
        None,
        "Cheshire East",
        2026,
        "--la",
    )
    .unwrap_err();
    assert!(e.iter().next().unwrap().to_string().contains("holds the residential placements as"), "{e:?}");
}

/// The real caseload fixture, changed by `edit`, read for Cheshire East as of January 2025.
fn caseload_edited(edit: impl Fn(&str) -> String) -> Result<Against, Problems> {
    let text = std::fs::read_to_string(fixture("real_caseload_2025.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.csv");
    std::fs::write(&path, edit(&text)).unwrap();
    read_all(&[path], None, "Cheshire East (synthetic sample)", 2025, "--la")
}

/// Line 14 of the fixture: Cheshire East, 2024/25, all EHC plans (4,871 of them).
const CHESHIRE_EAST_2025: &str = "E06000049,895,Cheshire East,All EHC plans,All EHC plans,4871,";

fn one_line(read: Result<Against, Problems>) -> String {
    let Err(problems) = read else { panic!("refused") };
    assert_eq!(problems.0.len(), 1, "{problems}");
    problems.to_string()
}

#[test]
fn the_fixture_as_published_is_read() {
    let read = caseload_edited(str::to_string).unwrap();
    let (_, caseload) = read.caseload.unwrap();
    assert_eq!((caseload.january, caseload.total), (2025, Some(Some(4871.0))));
}

#[test]
fn a_file_with_its_rows_given_twice_is_refused_not_counted_twice() {
    // Case 12 of issue 26: the totals came out doubled (2,518 against 1,259).
    let twice = |t: &str| {
        let body: String = t.lines().skip(1).map(|l| format!("{l}\n")).collect();
        format!("{t}{body}")
    };
    let message = one_line(caseload_edited(twice));
    // 60 rows after the header: line 14's copy is line 74.
    assert!(message.contains(":74: repeats line 14 cell for cell"), "{message}");
}

#[test]
fn two_authorities_under_one_name_are_refused() {
    let shared = |t: &str| t.replace(",Cheshire West and Chester,", ",Cheshire East,");
    let message = one_line(caseload_edited(shared));
    assert!(
        message.contains("has 2 authorities named 'Cheshire East' (new_la_code 'E06000049', 'E06000050')"),
        "{message}"
    );
}

#[rstest::rstest]
#[case("12.7", "'12.7' is not a whole number")]
#[case("1e308", "'1e308' is more than 10,000,000")]
fn a_count_that_is_no_count_of_children_is_refused(#[case] total: &str, #[case] expected: &str) {
    let message =
        one_line(caseload_edited(|t| t.replace(CHESHIRE_EAST_2025, &CHESHIRE_EAST_2025.replace("4871", total))));
    assert!(message.contains(":14:") && message.contains("ehcplans") && message.contains(expected), "{message}");
}

#[test]
fn a_total_below_its_parts_is_refused() {
    // Case 13 of issue 26: ehcplans 1 while its establishment types add up to more.
    // Cheshire East's 22 types in January 2025 add up to 4,807 (the fixture's line 14, by
    // hand: the 64 left are in types the file does not split out).
    let message =
        one_line(caseload_edited(|t| t.replace(CHESHIRE_EAST_2025, &CHESHIRE_EAST_2025.replace("4871", "1"))));
    assert!(
        message.contains(":14:") && message.contains("1 is less than its establishment types add up to"),
        "{message}"
    );
    let parts: f64 =
        caseload_edited(str::to_string).unwrap().caseload.unwrap().1.types.iter().filter_map(|t| t.children).sum();
    assert!(message.contains(&format!("({})", super::super::text::grouped(parts as usize))), "{message} {parts}");
}

#[test]
fn an_authority_whose_code_changed_over_the_years_is_one_authority() {
    // Dorset became a unitary authority in 2019 with a new code: its rows of earlier years
    // carry the old one. Here Cheshire East's rows before 2024/25 are given another code.
    let renamed = |t: &str| {
        t.lines()
            .map(|l| if l.starts_with("2024") { l.to_string() } else { l.replace("E06000049", "E10000099") })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (_, caseload) = caseload_edited(renamed).unwrap().caseload.unwrap();
    assert_eq!((caseload.january, caseload.new_la_code.as_str()), (2025, "E06000049"));
}
