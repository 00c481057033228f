//! Input hardening: encodings, limits on names, planner-language errors from the model
//! file, and one problem for one mistake (no follow-on errors).

use crate::util::{Case, stderr};

/// The tiny fixture's settings table with a name in Windows-1252 bytes (’ – €).
fn windows_1252_settings(case: &Case) {
    let text = std::fs::read_to_string(case.path("settings.csv")).unwrap();
    let mut bytes = text.into_bytes();
    let from = b"Near Special School";
    let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
    bytes.splice(at..at + from.len(), b"St Mary\x92s \x96 \x80 School".iter().copied());
    std::fs::write(case.path("settings.csv"), bytes).unwrap();
}

#[test]
fn a_windows_1252_table_is_read_with_a_note_naming_the_encoding() {
    let case = Case::fixture("tiny");
    windows_1252_settings(&case);
    let out = case.run(&["solve", "model.toml", "--out", "out"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("note: ")).collect::<Vec<_>>(),
        ["note: settings.csv: is not UTF-8: read as Windows-1252 (Excel's 'CSV'); save as 'CSV UTF-8' to be sure"]
    );
    let placements = std::fs::read_to_string(case.path("out/setting_use.csv")).unwrap();
    assert!(placements.contains("St Mary’s – € School"), "{placements}");
}

#[test]
fn a_stray_byte_in_a_utf8_table_is_one_error_naming_its_line() {
    let case = Case::fixture("tiny");
    case.edit("localities.csv", "Crewe,53", "Crewe – Café,53");
    let mut bytes = std::fs::read(case.path("localities.csv")).unwrap();
    let at = bytes.windows(8).position(|w| w == b"Nantwich").unwrap();
    bytes.insert(at + 8, 0x92);
    std::fs::write(case.path("localities.csv"), bytes).unwrap();
    let out = case.run(&["check", "model.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error: ")).collect::<Vec<_>>(),
        ["error: localities.csv:3: has a byte that is not UTF-8 (0x92) in a file that is otherwise UTF-8: \
          retype the character there, or save as 'CSV UTF-8'"],
        "{err}"
    );
}

#[test]
fn a_windows_1252_model_file_is_read_with_a_note() {
    let case = Case::fixture("tiny");
    let text = std::fs::read_to_string(case.path("model.toml")).unwrap();
    let mut bytes = text.replacen("Tiny test authority", "Tiny \x01", 1).into_bytes();
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    bytes.splice(at..=at, b"council\x92s plan".iter().copied());
    std::fs::write(case.path("model.toml"), bytes).unwrap();
    let out = case.run(&["check", "model.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("note: model.toml: is not UTF-8: read as Windows-1252; save it as UTF-8 to be sure"), "{err}");
    assert!(crate::util::stdout(&out).contains("Tiny council’s plan"), "{}", crate::util::stdout(&out));
}

/// A private copy of the sample authority: models/ and sample-data/ as in the repository.
fn sample() -> Case {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in [
        "models",
        "models/scenarios",
        "sample-data",
        "sample-data/cheshire-east",
        "sample-data/cheshire-east/commentary",
    ] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), dir.path().join(folder).join(entry.file_name())).unwrap();
            }
        }
    }
    Case { dir }
}

/// The `error:` lines of a run that must fail with status 1.
fn errors(case: &Case, args: &[&str]) -> Vec<String> {
    let out = case.run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err.lines().filter(|l| l.starts_with("error: ")).map(str::to_string).collect()
}

const LOCALITIES: &str = "sample-data/cheshire-east/localities.csv";
const SETTINGS: &str = "sample-data/cheshire-east/settings.csv";

#[rstest::rstest]
#[case::single_year("models/cheshire-east.toml")]
#[case::horizon("models/cheshire-east-horizon.toml")]
fn one_bad_latitude_in_the_sample_is_one_error(#[case] model: &str) {
    // Crewe is named by demand (or the cohort and current placements) on dozens of rows:
    // each used to fail too, 59 (or 499) errors for one mistake.
    let case = sample();
    case.edit(LOCALITIES, "crewe,Crewe,53.0988,", "crewe,Crewe,553.0988,");
    assert_eq!(
        errors(&case, &["check", model]),
        [format!("error: {LOCALITIES}:2: field 'latitude': '553.0988': expected a number from -90 to 90")]
    );
}

#[rstest::rstest]
#[case::bad_setting_cost(SETTINGS, ",96,all,SLD;PMLD;MLD;MSI;PD;VI;HI;OTH,", ",96,all,SLD;PMLD;MLD;MSI;PD;VI;HI;OTH,x")]
#[case::missing_locality_column(LOCALITIES, "id,name,latitude", "id,name,lat")]
#[case::missing_setting_column(SETTINGS, "places,phases", "place,phases")]
#[case::bad_road_node("sample-data/cheshire-east/road_nodes.csv", "\ncrewe,Crewe,53.", "\ncrewe,Crewe,553.")]
#[case::unquoted_comma_in_a_locality(LOCALITIES, "crewe,Crewe,", "crewe,Crewe, Cheshire,")]
#[case::unquoted_comma_in_a_setting(SETTINGS, "larkfield,Larkfield School,", "larkfield,Larkfield, School,")]
fn one_mistake_the_sample_refers_to_is_one_error(#[case] file: &str, #[case] from: &str, #[case] to: &str) {
    for model in ["models/cheshire-east.toml", "models/cheshire-east-horizon.toml"] {
        let case = sample();
        case.edit(file, from, to);
        let errors = errors(&case, &["check", model]);
        assert_eq!(errors.len(), 1, "{model}: {errors:#?}");
        assert!(errors[0].starts_with(&format!("error: {file}:")), "{errors:?}");
    }
}

#[test]
fn a_scheme_with_a_bad_row_is_one_error_though_its_places_and_dependants_name_it() {
    let case = Case::fixture("tiny");
    // semh-base: its places row and asd-unit's `requires` name it.
    case.edit("schemes.csv", "yes,2026/27,300000,", "yes,2026/27,lots,");
    case.edit("schemes.csv", "200000,15000,,1,2,,", "200000,15000,,1,2,,semh-base");
    assert_eq!(
        errors(&case, &["check", "schemes.toml"]),
        ["error: schemes.csv:2: field 'capital_cost': 'lots' is not a number: expected a number of at least 0"]
    );
}

#[rstest::rstest]
#[case::fraction("2.5")]
#[case::zero("0")]
#[case::too_many("11")]
#[case::words("three")]
fn a_bad_fill_years_is_one_error_naming_the_cell(#[case] cell: &str) {
    let case = Case::fixture("tiny");
    case.edit("schemes.csv", "exclusive_group,requires", "exclusive_group,requires,fill_years");
    case.edit("schemes.csv", "yes,2026/27,300000,18000,,,,,", &format!("yes,2026/27,300000,18000,,,,,,{cell}"));
    case.edit("schemes.csv", "500000,,,,,,", "500000,,,,,,,3");
    case.edit("schemes.csv", "200000,15000,,1,2,,", "200000,15000,,1,2,,,");
    assert_eq!(
        errors(&case, &["check", "schemes.toml"]),
        [format!("error: schemes.csv:2: field 'fill_years': '{cell}': expected a whole number of years from 1 to 10")]
    );
}

#[test]
fn a_bad_planning_year_is_one_error_though_every_scheme_opens_in_a_year() {
    let case = Case::fixture("tiny");
    case.edit("model.toml", "[tables]", "[tables]\nschemes = \"schemes.csv\"\nscheme_places = \"scheme_places.csv\"");
    case.edit("model.toml", "planning_year = \"2025/26\"", "planning_year = \"this year\"");
    assert_eq!(
        errors(&case, &["check", "model.toml"]),
        ["error: model.toml:3: field 'planning_year': 'this year' is not a school year: expected e.g. \"2025/26\""]
    );
}

#[test]
fn a_code_the_model_file_cannot_declare_is_one_error_though_the_tables_use_it() {
    let case = Case::fixture("tiny");
    case.edit("model.toml", "planning_year", "needs = [\"ASD\", \"SEMH\", \"SLCN\", \"SEMH/ASD\"]\nplanning_year");
    case.edit("demand.csv", "crewe,SEMH,secondary", "crewe,SEMH/ASD,secondary");
    case.edit("settings.csv", "ASD;SLCN", "ASD;SLCN;SEMH/ASD");
    assert_eq!(
        errors(&case, &["check", "model.toml"]),
        ["error: model.toml:3: field 'needs': 'SEMH/ASD' is not a valid code: expected letters, digits, '-', '_' or \
             '.', at most 64 characters"]
    );
}

#[rstest::rstest]
#[case::wrong_kind(
    "unmet_penalty = 1000000",
    "unmet_penalty = \"abc\"",
    "error: model.toml:15: field 'policy.unmet_penalty': expected a number of pounds, found \"abc\""
)]
#[case::wrong_kind_boolean(
    "cost_per_km = 1.0",
    "cost_per_km = true",
    "error: model.toml:19: field 'transport.cost_per_km': expected a number of pounds, found true (yes/no)"
)]
#[case::text_not_quoted(
    "planning_year = \"2025/26\"",
    "planning_year = 2025",
    "error: model.toml:3: field 'planning_year': expected a school year in double quotes, like \"2025/26\", found 2025"
)]
#[case::unknown_section(
    "[policy]",
    "[polcy]",
    "error: model.toml:13: unknown section [polcy]: expected one of [tables], [policy], [transport], [horizon], \
     [appraisal], [annex], [uplift], [high_needs], [risk]"
)]
#[case::not_toml(
    "unmet_penalty = 1000000",
    "unmet_penalty = £1,000,000",
    "error: model.toml:15: field 'policy.unmet_penalty': cannot read '£1,000,000': expected a number of pounds, \
     written without quotes, £ or commas (like 1500)"
)]
#[case::missing_key(
    "settings = \"settings.csv\"\n",
    "",
    "error: model.toml: field 'tables.settings': is missing: expected settings = \"settings.csv\" under [tables]"
)]
#[case::choice(
    "[policy]",
    "[policy]\nobjective = \"cheapest\"",
    "error: model.toml:14: field 'policy.objective': expected one of \"weighted\", \"lexicographic\", found \"cheapest\""
)]
fn a_model_file_mistake_is_one_line_in_planners_words(#[case] from: &str, #[case] to: &str, #[case] expected: &str) {
    let case = Case::fixture("tiny");
    case.edit("model.toml", from, to);
    let errors = errors(&case, &["check", "model.toml"]);
    assert_eq!(errors, [expected]);
    for jargon in ["invalid type", "f64", "i64", "expected a map", "sequence", "unknown field", "variant `"] {
        assert!(!errors[0].contains(jargon), "{jargon}: {errors:?}");
    }
}

#[test]
fn a_scenario_entry_of_the_wrong_kind_is_named_at_the_scenario_line() {
    let case = Case::fixture("tiny");
    case.write(
        "scenario-bad-places.toml",
        "extends = \"horizon.toml\"\nname = \"Bad places\"\n\n[[places]]\nsetting = \"near\"\nfrom_year = \"2026/27\"\n\
         places = \"ten\"\n",
    );
    assert_eq!(
        errors(&case, &["check", "scenario-bad-places.toml"]),
        ["error: scenario-bad-places.toml:7: field 'places.places': expected a number of places, found \"ten\""]
    );
}

#[test]
fn a_name_over_the_limit_is_one_line_naming_the_limit() {
    // A megabyte name made `solve` print 57 MB.
    let case = Case::fixture("tiny");
    case.edit("settings.csv", "Nantwich Unit", &"N".repeat(1_000_000));
    let out = case.run(&["solve", "model.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.len() < 1_000, "{} bytes", out.stderr.len());
    assert_eq!(
        errors(&case, &["check", "model.toml"]),
        [format!(
            "error: settings.csv:3: field 'name': '{}…' (1,000,000 characters) is too long: expected a name of at \
             most 200 characters",
            "N".repeat(60)
        )]
    );
}

#[test]
fn a_model_name_over_the_limit_is_refused_by_check() {
    // A 40,000-character name used to pass `check` and fail at the end of `annex`.
    let case = Case::fixture("tiny");
    case.edit("model.toml", "Tiny test authority", &"T".repeat(40_000));
    assert_eq!(
        errors(&case, &["check", "model.toml"]),
        [format!(
            "error: model.toml:2: field 'name': '{}…' (40,000 characters) is too long: expected a name of at most \
             200 characters",
            "T".repeat(60)
        )]
    );
}

#[test]
fn a_name_of_200_characters_goes_through_to_the_annex() {
    let case = Case::fixture("tiny");
    case.edit("settings.csv", "Nantwich Unit", &"N".repeat(200));
    case.edit("model.toml", "Tiny test authority", &"T".repeat(200));
    case.edit("model.toml", "planning_year", &format!("description = \"{}\"\nplanning_year", "D".repeat(2_000)));
    let out = case.run(&["annex", "model.toml", "--out", "annex"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(case.path("annex/annex.xlsx").exists());
}

#[test]
fn a_description_over_the_limit_is_refused() {
    let case = Case::fixture("tiny");
    case.edit("model.toml", "planning_year", &format!("description = \"{}\"\nplanning_year", "D".repeat(2_001)));
    assert_eq!(
        errors(&case, &["check", "model.toml"]),
        [
            "error: model.toml:3: field 'description': is 2,001 characters: expected at most 2,000 (it heads every report)"
        ]
    );
}

#[test]
fn more_codes_than_a_model_holds_is_one_error_not_a_panic() {
    // The 65th code used in a table overflowed the set of codes (found by tests/loaders_prop.rs).
    let case = Case::fixture("tiny");
    let codes: Vec<String> = (0..70).map(|i| format!("\"C{i}\"")).collect();
    case.edit("model.toml", "planning_year", &format!("needs = [{}]\nplanning_year", codes.join(", ")));
    case.edit("settings.csv", "ASD;SLCN", "C0;C65");
    let errors = errors(&case, &["check", "model.toml"]);
    assert_eq!(errors[0], "error: model.toml:3: field 'needs': declares 70 codes: at most 64 are supported");
    assert!(errors.iter().all(|e| !e.contains("'C65'")), "{errors:#?}");
}

#[test]
fn a_table_named_as_the_root_folder_is_named_at_its_key() {
    // Found by the loaders' property test: `market = "/"` gave a problem about "/", which
    // names no file of the model.
    let case = Case::fixture("tiny");
    case.edit("model.toml", "[tables]\n", "[tables]\nmarket = \"/\"\n");
    let out = case.run(&["check", "model.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).lines().next(),
        Some("error: model.toml:6: field 'tables.market': '/' is a folder: expected a CSV file")
    );
}

/// `check` counts the market's steps apart from the settings: tests/fixtures/staying has 4
/// settings (settings.csv: far, near, semh, senior) and 1 market step (market.csv: day); a
/// second step makes 2.
#[test]
fn check_counts_market_steps_apart_from_settings() {
    let case = Case::fixture("staying");
    let out = case.run(&["check", "beyond_limit.toml"]);
    let text = crate::util::stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.contains("1 localities, 4 settings and 1 market step, 1 demand rows, 3.0 children;"), "{text}");
    case.edit(
        "market.csv",
        "day,Independent day places,ASD,all,,62000,25,25,day,",
        "day,Independent day places,ASD,all,2,62000,25,25,day,\nres,Independent residential places,ASD,all,,150000,40,40,52-week,3000",
    );
    let out = case.run(&["check", "beyond_limit.toml"]);
    let text = crate::util::stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.contains("1 localities, 4 settings and 2 market steps, 1 demand rows, 3.0 children;"), "{text}");
}

/// Issue 26, case 11: latitude and longitude swapped in the localities, a setting in Sydney, a
/// setting of the borough in Inverness, and the boundaries with latitude and longitude
/// swapped, each one error naming the file, line (or feature) and field; a setting outside
/// the borough in Inverness (a residential school over the border) is read.
#[rstest::rstest]
#[case::locality_swapped(
    "localities.csv",
    "crewe,Crewe,53.0988,-2.4405,",
    "crewe,Crewe,-2.4405,53.0988,",
    "model.toml",
    "error: localities.csv:2: field 'latitude': latitude and longitude look swapped: latitude -2.4405, longitude 53.0988 is outside the UK, but latitude 53.0988, longitude -2.4405 is in England"
)]
#[case::setting_abroad(
    "settings.csv",
    "53.0027,-2.1794,no",
    "-33.8700,151.2100,no",
    "model.toml",
    "error: settings.csv:4: field 'latitude': latitude -33.87, longitude 151.21 is outside the UK: expected a point in England"
)]
#[case::borough_setting_in_scotland(
    "settings.csv",
    "53.0990,-2.4400,yes",
    "57.4800,-4.2200,yes",
    "model.toml",
    "error: settings.csv:2: field 'latitude': latitude 57.48, longitude -4.22 is outside England but marked in the borough"
)]
#[case::areas_swapped(
    "areas.geojson",
    "[[-2.48, 53.08], [-2.40, 53.08],",
    "[[53.08, -2.48], [-2.40, 53.08],",
    "areas.toml",
    "error: areas.geojson: feature 1 ('Crewe'), field 'geometry': latitude and longitude look swapped: an outer ring has the position [53.08, -2.48]"
)]
fn points_swapped_or_out_of_place_are_one_error_each(
    #[case] file: &str,
    #[case] from: &str,
    #[case] to: &str,
    #[case] model: &str,
    #[case] expected: &str,
) {
    let case = Case::fixture("tiny");
    case.edit(file, from, to);
    let errors = errors(&case, &["check", model]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].starts_with(expected), "{errors:#?}");
}

#[test]
fn a_setting_outside_the_borough_over_the_border_is_read() {
    let case = Case::fixture("tiny");
    case.edit("settings.csv", "53.0027,-2.1794,no", "57.4800,-4.2200,no");
    // Straight-line travel: the tiny road network does not reach Inverness.
    case.write(
        "plain.toml",
        "name = \"Tiny, straight-line travel\"\nplanning_year = \"2025/26\"\n\n[tables]\nlocalities = \
         \"localities.csv\"\nsettings = \"settings.csv\"\ndemand = \"demand.csv\"\n",
    );
    let out = case.run(&["check", "plain.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Issue 26, case 11: a setting of the borough in England but far from the borough's
/// localities (in London, for the tiny authority in Cheshire) is read, with a note to check it.
#[test]
fn a_setting_of_the_borough_far_from_its_localities_is_read_with_a_note() {
    let case = Case::fixture("tiny");
    case.edit("settings.csv", "53.0990,-2.4400,yes", "51.5000,-0.1300,yes");
    case.write(
        "plain.toml",
        "name = \"Tiny, straight-line travel\"\nplanning_year = \"2025/26\"\n\n[tables]\nlocalities = \
         \"localities.csv\"\nsettings = \"settings.csv\"\ndemand = \"demand.csv\"\n",
    );
    let out = case.run(&["check", "plain.toml"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("note: ")).collect::<Vec<_>>(),
        [
            "note: settings.csv:2: field 'latitude': setting 'near' is in the borough but more than 50 km beyond the box \
             around the in-borough localities: check its latitude and longitude (read as given)"
        ]
    );
}
