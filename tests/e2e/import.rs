//! `import gias` (settings from the register of schools) and `check --against` (the base
//! year beside the DfE's published caseload), on the fixtures in tests/fixtures/gias and
//! tests/fixtures/sen2.

use std::path::Path;

use crate::util::{Case, number, rows, stderr, stdout};

const GIAS: &str = "edubasealldata.csv";

/// The tiny authority, with the GIAS extract beside it and `imported.toml`: the tiny model
/// without its road network or per-need terms, reading `gias-settings.csv` (the import's).
fn tiny_with_gias() -> Case {
    let case = Case::fixture("tiny");
    let gias = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gias").join(GIAS);
    std::fs::copy(gias, case.path(GIAS)).expect("copy");
    case.write(
        "imported.toml",
        "name = \"Tiny test authority, settings from GIAS\"\nplanning_year = \"2025/26\"\n\n[tables]\n\
         localities = \"localities.csv\"\nsettings = \"gias-settings.csv\"\ndemand = \"demand.csv\"\n\n\
         [policy]\nout_of_borough_weight = 5000\nunmet_penalty = 1000000\n",
    );
    case
}

/// Cells with runs of spaces made one, to compare aligned tables.
fn squeezed(text: &str) -> String {
    text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

#[test]
fn gias_import_then_check_then_solve() {
    let case = tiny_with_gias();
    let out =
        case.run(&["import", "gias", GIAS, "--near", "model.toml", "--within", "30", "--out", "gias-settings.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(text.contains("Borough: 895 Cheshire East (the authority of the establishments nearest 2 of the model's 2 in-borough localities)"), "{text}");
    assert!(
        text.contains("Wrote gias-settings.csv: 18 settings, 14 in the borough and 4 outside it within 30 km."),
        "{text}"
    );
    // Costs: the model's medians where it has the kind, else the defaults, each said.
    assert!(
        err.contains(
            "cost per place, maintained-special: £22,000, the median of the model's 1 maintained-special setting"
        ),
        "{err}"
    );
    assert!(err.contains("cost per place, academy-special: £24,000, the default for the kind"), "{err}");
    // The bad easting, the BESD code and the blank capacity are told with file, line and field.
    assert!(err.contains("warning: edubasealldata.csv:20: field 'Easting': '39O100' is not a number"), "{err}");
    assert!(err.contains("warning: edubasealldata.csv:21: field 'SEN1 (name)': 'BESD - Behaviour"), "{err}");
    assert!(
        err.contains(
            "warning: edubasealldata.csv:19: field 'SchoolCapacity': is blank: places are the pupils on roll (48)"
        ),
        "{err}"
    );

    let settings = rows(&case, "gias-settings.csv");
    let by_id = |id: &str| settings.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("{id} kept"));
    assert_eq!(settings.len(), 18);
    // Left out: closed, proposed to open, mainstream without a unit, too far, no grid reference, bad easting.
    for id in
        ["111014", "150015", "111010", "111021", "130023", "124005", "124006", "124007", "124008", "124009", "111019"]
    {
        assert!(settings.iter().all(|r| r["id"] != id), "{id} should be left out");
    }
    let s = by_id("111001");
    assert_eq!(
        (s["name"].as_str(), s["kind"].as_str(), s["in_borough"].as_str(), s["phases"].as_str(), s["needs"].as_str()),
        ("Springfield School", "maintained-special", "yes", "all", "SLD;PMLD;ASD")
    );
    assert_eq!(number(s, "places"), 120.0);
    // 370,900 E 356,200 N, converted (53.0988, -2.4405 is 370,602 E 355,824 N).
    assert!((number(s, "latitude") - 53.1022).abs() < 0.0002 && (number(s, "longitude") + 2.4361).abs() < 0.0002);
    // Windows-1252 read: the curly apostrophe arrives as written.
    assert_eq!(by_id("111022")["name"], "St Luke’s Nurture School");
    assert_eq!(by_id("111022")["needs"], "all");
    assert_eq!(by_id("124001")["kind"], "other-authority-special");
    assert_eq!(by_id("124001")["in_borough"], "no");
    assert_eq!(by_id("124003")["kind"], "independent-special");
    assert_eq!(by_id("111016")["kind"], "independent-special");
    assert_eq!(by_id("111016")["in_borough"], "yes");
    assert_eq!(by_id("111017")["kind"], "non-maintained-special");
    assert_eq!(by_id("111018")["kind"], "specialist-post-16");
    assert_eq!(by_id("111018")["phases"], "post-16");
    // A resourced provision and an SEN unit in one school: both capacities.
    assert_eq!(by_id("111008")["kind"], "resourced-provision");
    assert_eq!(number(by_id("111008"), "places"), 14.0);
    assert_eq!(by_id("111008")["phases"], "secondary");
    assert_eq!(by_id("140003")["cost_per_place"], "24000");

    let check = case.run(&["check", "imported.toml"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).contains("2 localities, 18 settings, 4 demand rows, 15.5 children"), "{}", stdout(&check));
    let solve = case.run(&["solve", "imported.toml"]);
    assert!(solve.status.success(), "{}", stderr(&solve));
    let text = squeezed(&stdout(&solve));
    assert!(text.contains("Unmet need (no suitable place) 0.0 children"), "{text}");
    assert!(text.contains("Springfield School maintained-special in 120.0 3.0 117.0"), "{text}");
}

#[test]
fn gias_import_near_an_authority_by_code_or_name() {
    let case = tiny_with_gias();
    for near in ["895", "cheshire east"] {
        let out = case.run(&["import", "gias", GIAS, "--near", near, "--within", "30", "--out", "gias-settings.csv"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("Borough: 895 Cheshire East (named by --near)"), "{}", stdout(&out));
        // Measured from the authority's own schools, Manchester's unit (about 10 km from Wilmslow) is in reach.
        assert!(rows(&case, "gias-settings.csv").iter().any(|r| r["id"] == "124006"));
        assert!(
            stderr(&out).contains("cost per place, maintained-special: £24,600, the default for the kind"),
            "{}",
            stderr(&out)
        );
    }
}

#[rstest::rstest]
#[case::unknown_authority(&["--near", "Atlantis"], "command line: field '--near': 'Atlantis' is neither a model file nor")]
#[case::bad_distance(&["--near", "895", "--within=-3"], "command line: field '--within': -3 is not a distance")]
fn gias_import_refuses_bad_options_and_writes_nothing(#[case] args: &[&str], #[case] error: &str) {
    let case = tiny_with_gias();
    let mut all = vec!["import", "gias", GIAS, "--out", "gias-settings.csv"];
    all.extend_from_slice(args);
    let out = case.run(&all);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(error), "{}", stderr(&out));
    assert!(!case.path("gias-settings.csv").exists());
}

#[test]
fn gias_import_names_a_missing_column() {
    let case = tiny_with_gias();
    let text = std::fs::read(case.path(GIAS)).expect("read");
    let edited = String::from_utf8_lossy(&text).replacen(",Easting,", ",Eastings,", 1);
    case.write(GIAS, &edited);
    let out = case.run(&["import", "gias", GIAS, "--near", "895", "--out", "gias-settings.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("edubasealldata.csv:1: missing column 'easting'"), "{}", stderr(&out));
    assert!(!case.path("gias-settings.csv").exists());
}

#[test]
fn check_against_the_published_caseload_from_2025() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let case = Case::fixture("sen2");
    let model = root.join("models/cheshire-east-horizon.toml");
    let out = case.run(&["check", model.to_str().expect("utf-8"), "--against", "caseload.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = squeezed(&stdout(&out));
    for line in [
        "Published: caseload.csv, Cheshire East (895, E06000049), January 2025 (the latest in the file up to the base year's January, 2026), the layout from the 2025 release (breakdown 'All EHC plans', a column for each establishment type)",
        "Model: children placed in the base year (current_placements), by kind of setting.",
        "State special schools maintained-special, academy-special, other-authority-special 849.0 588.0 +261.0 +44.4%",
        "Independent and non-maintained special independent-special, non-maintained-special, independent-market 447.8 433.0 +14.8 +3.4%",
        "Resourced provision and SEN units resourced-provision 159.0 67.0 +92.0 +137.3%",
        "Specialist post-16 institutions specialist-post-16 97.0 171.0 -74.0 -43.3%",
        "All specialist settings 1,552.8 1,259.0 +293.8 +23.3%",
        "Forecast need in the base year (demand) 1,552.8 1,259.0 +293.8 +23.3%",
        "4,472.0 children published, not counting 1 suppressed figure.",
        "All EHC plans published for Cheshire East: 5,743.0.",
        "Mainstream school Mainstream academies - SEN units 7.0 Resourced provision and SEN units",
        "Mainstream school Mainstream LA maintained schools - resourced provision 30.0 Resourced provision and SEN units",
        "Special school Non maintained special schools 31.0 Independent and non-maintained special",
        "Further education Specialist post 16 establishments 171.0 Specialist post-16 institutions",
        "Further education UKRLP providers c not in the model",
        "Educated elsewhere Total educated elsewhere 236.0 not in the model",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
}

#[test]
fn check_against_the_layout_of_2010_to_2022() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let case = Case::fixture("sen2");
    let model = root.join("models/cheshire-east-horizon.toml");
    let out = case.run(&[
        "check",
        model.to_str().expect("utf-8"),
        "--against",
        "sen2_estab_caseload_2022.csv",
        "--la",
        "E06000049",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = squeezed(&stdout(&out));
    assert!(text.contains("January 2022 (the latest in the file up to the base year's January, 2026), the layout of the releases up to 2022 (count in Total_all)"), "{text}");
    assert!(text.contains("State special schools maintained-special, academy-special, other-authority-special 849.0 1,245.0 -396.0 -31.8%"), "{text}");
    assert!(text.contains("Resourced provision and SEN units resourced-provision 159.0 150.0 +9.0 +6.0%"), "{text}");
}

/// The 2023 and 2024 releases split each figure into EHC plans, statements and their total:
/// only the `Total` rows are read, so nothing is counted twice (the fixture repeats every
/// figure under `EHC plan`).
#[test]
fn check_against_the_layout_of_2023_and_2024_reads_the_totals_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let case = Case::fixture("sen2");
    let model = root.join("models/cheshire-east-horizon.toml");
    let out = case.run(&["check", model.to_str().expect("utf-8"), "--against", "sen2_estab_caseload_2024.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = squeezed(&stdout(&out));
    for line in [
        "January 2024 (the latest in the file up to the base year's January, 2026), the layout of the 2023 and 2024 releases (count in num_caseload, ehcp_or_statement Total)",
        "State special schools maintained-special, academy-special, other-authority-special 849.0 550.0 +299.0 +54.4%",
        "Independent and non-maintained special independent-special, non-maintained-special, independent-market 447.8 400.0 +47.8 +12.0%",
        "Specialist post-16 institutions specialist-post-16 97.0 158.0 -61.0 -38.6%",
        "All EHC plans published for Cheshire East: 5,221.0.",
        "Mainstream school Mainstream - Academy - Resourced Provision 16.0 Resourced provision and SEN units",
        "Special school Special - Non-maintained 29.0 Independent and non-maintained special",
        "Special school Hospital School c not in the model",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
}

/// A 2025 file whose rows are all part breakdowns (no `All EHC plans`) is refused, naming what
/// it found, rather than read as a total.
#[test]
fn check_against_a_2025_file_without_all_plans_is_refused() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let case = Case::fixture("sen2");
    let text = std::fs::read_to_string(case.path("caseload.csv")).expect("read");
    let edited: String = text.lines().filter(|l| !l.contains("All EHC plans")).map(|l| format!("{l}\n")).collect();
    case.write("parts.csv", &edited);
    let model = root.join("models/cheshire-east-horizon.toml");
    let out = case.run(&["check", model.to_str().expect("utf-8"), "--against", "parts.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("parts.csv: has no local-authority rows with breakdown 'All EHC plans': expected them to count every plan (found 'Age 5 to 10')"),
        "{}",
        stderr(&out)
    );
    // And one missing a column of the model's settings names it.
    let dropped: String = text.replace("special_non_maintained", "special_nonmaintained");
    case.write("renamed.csv", &dropped);
    let out = case.run(&["check", model.to_str().expect("utf-8"), "--against", "renamed.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("renamed.csv:1: missing column 'special_non_maintained'"), "{}", stderr(&out));
}

#[test]
fn check_against_without_an_authority_named_asks_for_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let case = Case::fixture("sen2");
    let model = root.join("tests/fixtures/tiny/model.toml");
    let model = model.to_str().expect("utf-8");
    let out = case.run(&["check", model, "--against", "caseload.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("caseload.csv: has no local authority named in the model's name or description ('Tiny test authority'): name one with --la"), "{}", stderr(&out));
    let out = case.run(&["check", model, "--against", "caseload.csv", "--la", "895"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        squeezed(&stdout(&out)).contains("Model: places (the model has no children placed in its base year"),
        "{}",
        stdout(&out)
    );
}

/// The tiny authority with the real excerpts of the DfE's 2025 files (tests/fixtures/sen2,
/// `real_*`) in a folder `dfe/` under their published names.
fn tiny_with_dfe_files() -> Case {
    let case = Case::fixture("tiny");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sen2");
    std::fs::create_dir(case.path("dfe")).expect("folder");
    for (fixture, name) in [
        ("real_caseload_2025.csv", "caseload.csv"),
        ("real_sen_needs_all_plans_2025.csv", "sen_needs_all_plans.csv"),
        ("real_residential_settings_2025.csv", "residential_settings.csv"),
    ] {
        std::fs::copy(from.join(fixture), case.path(&format!("dfe/{name}"))).expect("copy");
    }
    case
}

/// Three files named one by one, or the folder holding them, give the same comparison: the
/// tiny horizon model's 3 ASD children in year 2 and 4 SEMH in year 9 beside Cheshire East's
/// real figures for January 2025 (read off the files by hand: tests/fixtures/sen2/README.md).
#[test]
fn check_against_several_files_or_their_folder() {
    let case = tiny_with_dfe_files();
    let files = case.run(&[
        "check",
        "horizon.toml",
        "--against",
        "dfe/sen_needs_all_plans.csv",
        "--against",
        "dfe/residential_settings.csv",
        "--against",
        "dfe/caseload.csv",
        "--la",
        "Cheshire East",
    ]);
    assert!(files.status.success(), "{}", stderr(&files));
    let text = squeezed(&stdout(&files));
    for line in [
        // The caseload by establishment type, as before.
        "All specialist settings 7.0 1,553.0 -1,546.0 -99.5%",
        // By age: the specialist columns of the rows by age; year group = age - 4.
        "Tiny test authority, three years — base year 2025/26 against the DfE's published EHC plans in specialist settings by age",
        "Published: dfe/caseload.csv, Cheshire East (895, E06000049), January 2025 (the latest in the file up to the base year's January, 2026), the rows by age",
        "Model: children placed in the base year (current_placements), by year group.",
        "Primary (R to 6; ages 4 to 10) 3.0 524.0 -521.0 -99.4%",
        "Secondary (7 to 11; ages 11 to 15) 4.0 765.0 -761.0 -99.5%",
        "Post-16 (12 to 14; ages 16 to 18) 0.0 205.0 -205.0 -100.0%",
        "19 and over (ages 19 to 25) - 59.0 - -",
        "age 6 (year 2) 3.0 86.0 -83.0 -96.5%",
        "age 13 (year 9) 4.0 165.0 -161.0 -97.6%",
        // The need mix of the four groups' detail rows.
        "Published: dfe/sen_needs_all_plans.csv, Cheshire East (895, E06000049), January 2025",
        "ASD Autistic spectrum disorder 3.0 42.9% 427.0 27.5% -424.0 -99.3%",
        "SEMH Social, emotional and mental health 4.0 57.1% 412.0 26.5% -408.0 -99.0%",
        "SLCN Speech, language and communication needs 0.0 0.0% 298.0 19.2% -298.0 -100.0%",
        "All All needs 7.0 100.0% 1,553.0 100.0% -1,546.0 -99.5%",
        // Residential: the tiny model has no market.
        "38 to 51 weeks (model: 38-week) 0.0 3.0 -3.0 -100.0%",
        "All residential placements 0.0 6.0 -6.0 -100.0%",
        "The model holds none: no market step has residence 38-week or 52-week.",
        "Of those published, in the four specialist groups' types of placement: 4.0.",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
    let folder = case.run(&["check", "horizon.toml", "--against", "dfe", "--la", "895"]);
    assert!(folder.status.success(), "{}", stderr(&folder));
    let from_folder = stdout(&folder);
    // The folder's files are read in name order (caseload, residential, needs), shown in the
    // same order as when named one by one.
    assert_eq!(from_folder, stdout(&files));
}

/// A single-year model with residential market steps is compared by their places.
#[test]
fn check_against_residential_places_of_the_market() {
    let case = tiny_with_dfe_files();
    case.write(
        "market.csv",
        "id,name,needs,phases,places,cost_per_place,journey_minutes,residence,transport_per_child\n\
         boarding,Termly boarding,all,secondary,12,150000,120,38-week,3000\n\
         all-year,All-year places,all,all,,180000,150,52-week,4000\n",
    );
    let model = std::fs::read_to_string(case.path("model.toml")).expect("read");
    case.write("market.toml", &model.replace("[tables]\n", "[tables]\nmarket = \"market.csv\"\n"));
    let out = case.run(&["check", "market.toml", "--against", "dfe/residential_settings.csv", "--la", "896"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = squeezed(&stdout(&out));
    for line in [
        "Published: dfe/residential_settings.csv, Cheshire West and Chester (896, E06000050), January 2025",
        "Model: residential places (the market's steps of residence 38-week or 52-week;",
        "38 to 51 weeks (model: 38-week) 12.0 2.0 +10.0 +500.0%",
        "52 weeks (model: 52-week) any number 3.0 - -",
        "All residential placements any number 5.0 - -",
        "The model's residential places: boarding 'Termly boarding' (38-week, 12.0 places); all-year 'All-year places' (52-week, any number).",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
    // Only the residential file: no other table is shown.
    assert!(!text.contains("by establishment type"), "{text}");
}

/// A file of no kind `check --against` reads is refused on one line naming it, and nothing
/// is printed; so is a malformed figure.
#[test]
fn check_against_refuses_a_file_it_cannot_recognise() {
    let case = tiny_with_dfe_files();
    case.write(
        "plans.csv",
        "time_period,geographic_level,la_name,new_ehc_plans\n2024,Local authority,Cheshire East,310\n",
    );
    let out = case.run(&["check", "horizon.toml", "--against", "dfe/caseload.csv", "--against", "plans.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("plans.csv:1: is not a file check --against reads: expected the DfE's caseload (caseload.csv or sen2_estab_caseload.csv), primary need of all plans (sen_needs_all_plans.csv, with number_asd) or residential placements (residential_settings.csv, with Res_tot)"),
        "{err}"
    );
    assert_eq!(err.lines().filter(|l| l.contains("plans.csv")).count(), 1, "{err}");
    assert!(stdout(&out).is_empty());
    case.edit("dfe/sen_needs_all_plans.csv", "Special - LA maintained,473,121,", "Special - LA maintained,473,many,");
    let out = case.run(&["check", "horizon.toml", "--against", "dfe", "--la", "895"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("field 'number_asd': 'many' is not a number: expected a count of children, or c, x or z"),
        "{}",
        stderr(&out)
    );
}

/// Issue 26, case 10: rows the settings table would refuse (a URN that is no URN, a name too
/// long or on two lines, a capacity no school has) are not written: each is told with its
/// line and field, and the table written passes `check`.
#[test]
fn gias_rows_the_settings_table_would_refuse_are_told_not_written() {
    let case = tiny_with_gias();
    let bytes = std::fs::read(case.path(GIAS)).expect("read");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
    let mut records: Vec<csv::ByteRecord> = reader.byte_records().map(Result::unwrap).collect();
    let column = |name: &str| records[0].iter().position(|c| c == name.as_bytes()).expect(name);
    let (urn, name, capacity) = (column("URN"), column("EstablishmentName"), column("SchoolCapacity"));
    let long_urn = "1".repeat(100);
    let long_name = "a".repeat(5_000);
    // Record k is line k + 1 while no cell holds a line break; the one that does is the last.
    let edits: [(usize, usize, &str); 6] = [
        (1, urn, "900 001"),         // line 2, Springfield School
        (2, urn, "-5"),              // line 3, Park Lane School
        (3, urn, &long_urn),         // line 4, Adelaide Academy
        (4, name, &long_name),       // line 5, Oakfield Free School
        (16, capacity, "1e300"),     // line 17, Moorside Hall School
        (20, name, "Pebble\nBrook"), // line 21, Pebble Brook School
    ];
    for (k, col, value) in edits {
        let mut fields: Vec<Vec<u8>> = records[k].iter().map(<[u8]>::to_vec).collect();
        fields[col] = value.as_bytes().to_vec();
        records[k] = csv::ByteRecord::from(fields);
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    for r in &records {
        writer.write_byte_record(r).unwrap();
    }
    std::fs::write(case.path(GIAS), writer.into_inner().unwrap()).expect("write");

    let out =
        case.run(&["import", "gias", GIAS, "--near", "model.toml", "--within", "30", "--out", "gias-settings.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "edubasealldata.csv:2: field 'URN': '900 001' is not a URN: expected the establishment's number",
        "edubasealldata.csv:3: field 'URN': '-5' is not a URN",
        "edubasealldata.csv:4: field 'URN': '111111",
        "edubasealldata.csv:5: field 'EstablishmentName': 'aaaa",
        "edubasealldata.csv:17: field 'SchoolCapacity': '1e300' is more places than any school has (at most 10,000): read as blank",
        "edubasealldata.csv:21: field 'EstablishmentName': 'Pebble\\nBrook' has a line break",
    ] {
        assert!(err.contains(expected), "{expected:?} not in:\n{err}");
    }
    assert!(err.contains("is too long: expected a name of at most 200 characters"), "{err}");
    let settings = rows(&case, "gias-settings.csv");
    let ids: Vec<&str> = settings.iter().map(|r| r["id"].as_str()).collect();
    for gone in ["900 001", "-5", "140003", "147004", "111020"] {
        assert!(!ids.contains(&gone), "{gone} written: {ids:?}");
    }
    assert!(ids.iter().all(|id| id.len() <= 8 && id.bytes().all(|b| b.is_ascii_digit())), "{ids:?}");
    // Moorside Hall is kept, its places from its pupils on roll or 0, as for a blank capacity.
    let moorside = settings.iter().find(|r| r["id"] == "111016").expect("Moorside Hall kept");
    assert!(number(moorside, "places") < 10_000.0, "{moorside:?}");
    let check = case.run(&["check", "imported.toml"]);
    assert!(check.status.success(), "the table written passes check: {}", stderr(&check));
}

/// Issue 26, case 9: a GIAS file in UTF-8 but for one Windows-1252 byte is refused as the
/// model loader refuses such a table, naming the line of the stray byte; it is not read
/// whole as Windows-1252 ("SchÃ¶ol"), and nothing is written.
#[test]
fn gias_file_in_utf8_but_for_one_windows_1252_byte_is_refused_naming_its_line() {
    let case = tiny_with_gias();
    let bytes = std::fs::read(case.path(GIAS)).expect("read");
    // The fixture is Windows-1252: as UTF-8, with its curly apostrophes made plain, one
    // UTF-8 'ö' (line 2, Springfield), then one Windows-1252 'ö' (byte 0xF6, line 3, Park Lane).
    let text: String = bytes.iter().map(|&b| if b == 0x92 { '\'' } else { char::from(b) }).collect();
    assert!(text.is_ascii(), "the fixture's only byte beyond ASCII is its apostrophe");
    let mut utf8 = text.replacen("Springfield School", "Springföld School", 1).into_bytes();
    let at = utf8.windows(16).position(|w| w == b"Park Lane School").expect("Park Lane");
    utf8.splice(at + 10..at + 16, b"Sch\xF6ol".iter().copied());
    std::fs::write(case.path(GIAS), utf8).expect("write");

    let out =
        case.run(&["import", "gias", GIAS, "--near", "model.toml", "--within", "30", "--out", "gias-settings.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("edubasealldata.csv:3: has a byte that is not UTF-8 (0xF6) in a file that is otherwise UTF-8"),
        "{}",
        stderr(&out)
    );
    assert!(!case.path("gias-settings.csv").exists());
}

/// Issue 26, case 11: a school of the borough with Easting and Northing 0, 0 (off the Isles
/// of Scilly) is left out with a warning naming its line and field; one whose grid reference
/// is in England but far from the model's localities (London for Cheshire East) is kept with
/// a warning to check it; the table written passes `check`.
#[test]
fn gias_grid_references_outside_england_or_far_from_the_borough_are_told() {
    let case = tiny_with_gias();
    let bytes = std::fs::read(case.path(GIAS)).expect("read");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
    let mut records: Vec<csv::ByteRecord> = reader.byte_records().map(Result::unwrap).collect();
    let column = |name: &str| records[0].iter().position(|c| c == name.as_bytes()).expect(name);
    let (east, north) = (column("Easting"), column("Northing"));
    // Record k is line k + 1: Park Lane School (111002) at 0, 0; Springfield (111001) in London.
    for (k, e, n) in [(2, "0", "0"), (1, "530000", "180000")] {
        let mut fields: Vec<Vec<u8>> = records[k].iter().map(<[u8]>::to_vec).collect();
        fields[east] = e.as_bytes().to_vec();
        fields[north] = n.as_bytes().to_vec();
        records[k] = csv::ByteRecord::from(fields);
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    for r in &records {
        writer.write_byte_record(r).unwrap();
    }
    std::fs::write(case.path(GIAS), writer.into_inner().unwrap()).expect("write");

    let out =
        case.run(&["import", "gias", GIAS, "--near", "model.toml", "--within", "30", "--out", "gias-settings.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "warning: edubasealldata.csv:3: field 'Easting': 0 E, 0 N is outside England (latitude 49.767, longitude \
             -7.557): expected the school's grid reference; the school is left out: add it by hand"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "warning: edubasealldata.csv:2: field 'Easting': puts this school of the borough at latitude 51.5"
        ) && err.contains("more than 50 km beyond the model's in-borough localities: check its grid reference"),
        "{err}"
    );
    let settings = rows(&case, "gias-settings.csv");
    assert!(settings.iter().all(|r| r["id"] != "111002"), "Park Lane left out");
    assert!(settings.iter().any(|r| r["id"] == "111001"), "Springfield kept");
    let check = case.run(&["check", "imported.toml"]);
    assert!(check.status.success(), "the table written passes check: {}", stderr(&check));
}
