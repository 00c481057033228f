//! Property tests of the readers of the DfE's files and the council's boundaries: whatever
//! bytes the register of schools (`import gias`), a published SEN2 file (`check
//! --against`), a SEN2 person-level export (`import sen2`) or the boundaries GeoJSON hold,
//! reading never panics, aborts or hangs, and either gives a result or problems each on one
//! line naming the file and, where it names a line, a line the file has. What `import gias`
//! would write passes `check`; `import sen2` and `import gias` run as commands write all
//! their output or none.
//!
//! The readers are called in this process through `tests/prop/readers.rs` (the `cargo
//! fuzz` targets in `tests/fuzz` call the same functions). Run alone with `cargo test --test
//! readers_prop`; the number of cases of each property is in its `ProptestConfig`.

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::Config as ProptestConfig;

#[path = "prop/mutate.rs"]
mod mutate;
#[path = "prop/readers.rs"]
mod readers;

use mutate::{Mutation, cell, mutated, mutation};
use readers::{Gias, Sen2Person, Sen2Published, Tiny};

/// `n` cases, times `READERS_PROP_SCALE` when it is set (for a longer run:
/// `READERS_PROP_SCALE=20 cargo test --release --test readers_prop`).
fn cases(n: u32) -> u32 {
    n * std::env::var("READERS_PROP_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1)
}

thread_local! {
    static GIAS: Gias = Gias::new();
    static PUBLISHED: Sen2Published = Sen2Published::new();
    static PERSON: Sen2Person = Sen2Person::new();
    static TINY: Tiny = Tiny::new();
}

/// Sets field `column` of line `line` (not the header) to
/// `value`, splitting lines on commas as a hand edit would.
fn set_cell(bytes: &[u8], line: Index, column: &Column, value: &str) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    if lines.len() < 2 {
        return bytes.to_vec();
    }
    let n = lines.len() - 1;
    let header = lines[0].clone();
    let row = &mut lines[1 + line.index(n)];
    let mut fields: Vec<Vec<u8>> = row.split(|&b| b == b',').map(<[u8]>::to_vec).collect();
    let k = fields.len();
    fields[column.at(&header, k)] = value.as_bytes().to_vec();
    *row = fields.join(&b","[..]);
    lines.join(&b"\n"[..])
}

/// Sets field `column` of line `line` to that field of line `from` (a key given twice, a
/// reference to another row).
fn copy_cell(bytes: &[u8], line: Index, column: &Column, from: Index) -> Vec<u8> {
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if lines.len() < 2 {
        return bytes.to_vec();
    }
    let source = lines[1 + from.index(lines.len() - 1)];
    let fields: Vec<&[u8]> = source.split(|&b| b == b',').collect();
    let value = fields.get(column.at(lines[0], fields.len())).copied().unwrap_or_default();
    set_cell(bytes, line, column, &String::from_utf8_lossy(value))
}

/// One change to a cell: a value the file's readers meet, any cell, or another row's value
/// in that column. The column is any, or (`Named`) one the reader reads.
#[derive(Debug, Clone)]
enum CellChange {
    Set(Index, Column, String),
    Copy(Index, Column, Index),
}

/// A column by its position, or by its name in the header.
#[derive(Debug, Clone)]
enum Column {
    Any(Index),
    Named(&'static str),
}

impl Column {
    /// The column's position among `k` fields, under `header`.
    fn at(&self, header: &[u8], k: usize) -> usize {
        match self {
            Column::Any(i) => i.index(k),
            Column::Named(name) => {
                let names = header.split(|&b| b == b',');
                let at = names.into_iter().position(|n| n.trim_ascii().eq_ignore_ascii_case(name.as_bytes()));
                at.unwrap_or(0).min(k - 1)
            }
        }
    }
}

fn cell_change(words: &'static [&'static str], columns: &'static [&'static str]) -> impl Strategy<Value = CellChange> {
    let column = prop_oneof![
        1 => any::<Index>().prop_map(Column::Any),
        3 => select(columns).prop_map(Column::Named),
    ];
    prop_oneof![
        3 => (any::<Index>(), column.clone(), select(words).prop_map(str::to_string))
            .prop_map(|(l, c, v)| CellChange::Set(l, c, v)),
        2 => (any::<Index>(), column.clone(), cell()).prop_map(|(l, c, v)| CellChange::Set(l, c, v)),
        2 => (any::<Index>(), column, any::<Index>()).prop_map(|(l, c, f)| CellChange::Copy(l, c, f)),
    ]
}

/// A file's text with `cells` changed, then `changes` made.
fn changed(original: &[u8], cells: &[CellChange], changes: &[Mutation]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for c in cells {
        bytes = match c {
            CellChange::Set(l, k, v) => set_cell(&bytes, *l, k, v),
            CellChange::Copy(l, k, f) => copy_cell(&bytes, *l, k, *f),
        };
    }
    mutated(&bytes, changes)
}

/// Panics with the file's text when `outcome` broke the rule.
fn hold(what: &str, bytes: &[u8], outcome: Result<(), String>) {
    if let Err(why) = outcome {
        panic!("{why}\n{what} as\n{}", String::from_utf8_lossy(bytes));
    }
}

/// Values GIAS cells take, and values at their edges.
const GIAS_WORDS: [&str; 40] = [
    "Community special school",
    "Foundation special school",
    "Academy special converter",
    "Free schools special",
    "Non-maintained special school",
    "Other independent special school",
    "Community school",
    "Open",
    "Closed",
    "Open, but proposed to close",
    "Proposed to open",
    "Resourced provision",
    "SEN unit",
    "Resourced provision and SEN unit",
    "Not applicable",
    "ASD - Autistic Spectrum Disorder",
    "\"SEMH - Social, Emotional and Mental Health\"",
    "Not Applicable",
    "895",
    "896",
    "Cheshire East",
    "Cheshire West and Chester",
    "2",
    "19",
    "4",
    "11",
    "25",
    "-3",
    "120",
    "10001",
    "1e300",
    "370900",
    "356200",
    "0",
    "-1",
    "700000",
    "1300000",
    "999999999999",
    "\"\"",
    "",
];

/// The columns `import gias` reads.
const GIAS_COLUMNS: [&str; 21] = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "SchoolCapacity",
    "NumberOfPupils",
    "Easting",
    "Northing",
    "TypeOfResourcedProvision (name)",
    "ResourcedProvisionCapacity",
    "ResourcedProvisionOnRoll",
    "SenUnitCapacity",
    "SenUnitOnRoll",
    "SEN1 (name)",
    "SEN2 (name)",
    "SEN3 (name)",
    "SEN13 (name)",
];

fn gias_fixture() -> Vec<u8> {
    readers::fixture("gias/edubasealldata.csv")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2_000), failure_persistence: None, ..ProptestConfig::default() })]

    /// Any bytes as the register of schools, after its header or none.
    #[test]
    fn any_bytes_as_the_register_of_schools(header: bool, by_la: bool, junk in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = Vec::new();
        if header {
            bytes.extend(gias_fixture().split(|&b| b == b'\n').next().unwrap_or_default());
            bytes.push(b'\n');
        }
        bytes.extend(junk);
        GIAS.with(|g| hold("the GIAS file", &bytes, g.read(&bytes, by_la)));
    }

    /// The fixture's register of schools with cells of its columns changed, lines deleted,
    /// duplicated or swapped, bytes inserted, or the file cut short.
    #[test]
    fn a_mutated_register_of_schools(
        by_la: bool,
        cells in prop::collection::vec(cell_change(&GIAS_WORDS, &GIAS_COLUMNS), 0..5),
        changes in prop::collection::vec(mutation(), 0..3),
    ) {
        let bytes = changed(&gias_fixture(), &cells, &changes);
        GIAS.with(|g| hold("the GIAS file", &bytes, g.read(&bytes, by_la)));
    }
}

/// Values published SEN2 cells take, and values at their edges.
const PUBLISHED_WORDS: [&str; 28] = [
    "202425",
    "202324",
    "201819",
    "2025",
    "Local authority",
    "National",
    "Regional",
    "Cheshire East",
    "cheshire east",
    "Cheshire West and Chester",
    "895",
    "896",
    "E06000049",
    "All EHC plans",
    "Age",
    "Total",
    "c",
    "x",
    "z",
    "low",
    "",
    "0",
    "12.7",
    "1e308",
    "-5",
    "5743",
    "1,259",
    "NaN",
];

/// The columns `check --against` reads.
const PUBLISHED_COLUMNS: [&str; 14] = [
    "time_period",
    "geographic_level",
    "la_name",
    "old_la_code",
    "new_la_code",
    "breakdown_topic",
    "breakdown",
    "establishment_type",
    "ehcplans",
    "num_caseload",
    "total_all",
    "number_asd",
    "Res_tot",
    "Res_52",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(4_000), failure_persistence: None, ..ProptestConfig::default() })]

    /// A published SEN2 file (caseload, need mix or residential placements) with cells
    /// changed, lines deleted, duplicated or swapped, bytes inserted, or cut short; the
    /// authority by the model's name or by `--la`.
    #[test]
    fn a_mutated_published_sen2_file(
        pick: Index,
        by_code: bool,
        cells in prop::collection::vec(cell_change(&PUBLISHED_WORDS, &PUBLISHED_COLUMNS), 0..5),
        changes in prop::collection::vec(mutation(), 0..3),
    ) {
        let i = pick.index(readers::PUBLISHED.len());
        let bytes = changed(&readers::fixture(&format!("sen2/{}", readers::PUBLISHED[i])), &cells, &changes);
        PUBLISHED.with(|p| hold(readers::PUBLISHED[i], &bytes, p.read(i, &bytes, by_code)));
    }

    /// Any bytes as a published SEN2 file, after its header or none.
    #[test]
    fn any_bytes_as_a_published_sen2_file(pick: Index, header: bool, junk in prop::collection::vec(any::<u8>(), 0..300)) {
        let i = pick.index(readers::PUBLISHED.len());
        let mut bytes = Vec::new();
        if header {
            let original = readers::fixture(&format!("sen2/{}", readers::PUBLISHED[i]));
            bytes.extend(original.split(|&b| b == b'\n').next().unwrap_or_default());
            bytes.push(b'\n');
        }
        bytes.extend(junk);
        PUBLISHED.with(|p| hold(readers::PUBLISHED[i], &bytes, p.read(i, &bytes, false)));
    }
}

/// Values the SEN2 person-level export's cells take, and values at their edges.
const PERSON_WORDS: [&str; 32] = [
    "2025-Jan-16 00:00:00",
    "2024-Oct-18 00:00:00",
    "2010-Aug-31 00:00:00",
    "2010-Sep-01 00:00:00",
    "1900-Jan-01 00:00:00",
    "2099-Dec-31 00:00:00",
    "2025-Feb-30 00:00:00",
    "16/01/2025",
    "2025-01-16",
    "ASD",
    "SEMH",
    "OTH",
    "XYZ",
    "111001",
    "130002",
    "10012345",
    "999999",
    "true",
    "false",
    "1",
    "0",
    "2",
    "-1",
    "999",
    "CW1 1EW",
    "cw11ew",
    "ZZ99 9ZZ",
    "Y",
    "N",
    "A",
    "FT",
    "",
];

/// The columns `import sen2` reads most.
const PERSON_COLUMNS: [&str; 12] = [
    "referencedate",
    "lea",
    "personbirthdate",
    "postcode",
    "startdate",
    "ceasedate",
    "urn",
    "ukprn",
    "placementrank",
    "leavingdate",
    "sentype",
    "sentyperank",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1_800), failure_persistence: None, ..ProptestConfig::default() })]

    /// A module of the SEN2 person-level export (or the postcode lookup) with cells
    /// changed (among them keys given twice and references to other rows), lines deleted,
    /// duplicated or swapped, bytes inserted, or cut short.
    #[test]
    fn a_mutated_sen2_export(
        pick: Index,
        cells in prop::collection::vec(cell_change(&PERSON_WORDS, &PERSON_COLUMNS), 0..5),
        changes in prop::collection::vec(mutation(), 0..3),
    ) {
        PERSON.with(|p| {
            let i = pick.index(p.files.len());
            let bytes = changed(&p.files[i].1, &cells, &changes);
            hold(&p.files[i].0, &bytes, p.read(i, &bytes));
        });
    }

    /// Any bytes as a module of the export (or the lookup), after its header or none.
    #[test]
    fn any_bytes_as_a_sen2_export_module(pick: Index, header: bool, junk in prop::collection::vec(any::<u8>(), 0..300)) {
        PERSON.with(|p| {
            let i = pick.index(p.files.len());
            let mut bytes = Vec::new();
            if header {
                bytes.extend(p.files[i].1.split(|&b| b == b'\n').next().unwrap_or_default());
                bytes.push(b'\n');
            }
            bytes.extend(junk);
            hold(&p.files[i].0, &bytes, p.read(i, &bytes));
        });
    }
}

/// A JSON value of GeoJSON's shapes, nested to `depth`: positions, rings, polygons and
/// multipolygons whose numbers may be huge, not numbers at all, or nested too deep.
fn json(depth: u32) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => any::<f64>().prop_map(|v| if v.is_finite() { format!("{v:?}") } else { "1e999".into() }),
        3 => (-180.0..180.0f64).prop_map(|v| format!("{v}")),
        2 => (49.0..56.0f64).prop_map(|v| format!("{v}")),
        1 => select(&["null", "true", "\"Crewe\"", "\"nantwich\"", "{}", "[]", "1e400", "-0", "\"\""][..])
            .prop_map(str::to_string),
    ];
    leaf.prop_recursive(depth, 64, 6, |inner| {
        prop_oneof![
            4 => prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(","))),
            1 => prop::collection::vec((select(&["type", "coordinates", "name", "locality", "geometry", "properties", "features"][..]), inner), 0..4)
                .prop_map(|v| format!("{{{}}}", v.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect::<Vec<_>>().join(","))),
        ]
    })
}

/// A feature: a name (a locality's, or not), a geometry type, its coordinates.
fn feature() -> impl Strategy<Value = String> {
    let name = select(&["\"Crewe\"", "\"nantwich\"", "\" CREWE \"", "\"Stoke\"", "1", "null", "[\"Crewe\"]", "{}"][..]);
    let key = select(&["name", "locality", "NAME", "LAD24NM"][..]);
    let kind =
        select(&["Polygon", "MultiPolygon", "Point", "LineString", "GeometryCollection", "Feature", "polygon"][..]);
    (key, name, kind, json(5), any::<bool>()).prop_map(|(key, name, kind, coordinates, geometry)| {
        let geometry =
            if geometry { format!("{{\"type\":\"{kind}\",\"coordinates\":{coordinates}}}") } else { coordinates };
        format!("{{\"type\":\"Feature\",\"properties\":{{\"{key}\":{name}}},\"geometry\":{geometry}}}")
    })
}

/// A square ring around (`lon`, `lat`), `size` degrees across.
fn square(lon: f64, lat: f64, size: f64) -> String {
    let (a, b, c, d) = (lon, lat, lon + size, lat + size);
    format!("[[{a},{b}],[{c},{b}],[{c},{d}],[{a},{d}],[{a},{b}]]")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(3_000), failure_persistence: None, ..ProptestConfig::default() })]

    /// Random features (random nesting, huge or wrong coordinates, wrong types) beside the
    /// fixture's boundaries of Crewe and Nantwich.
    #[test]
    fn random_features_as_the_boundaries(features in prop::collection::vec(feature(), 0..4), keep: bool) {
        let sound = [
            format!("{{\"type\":\"Feature\",\"properties\":{{\"name\":\"Crewe\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{}]}}}}", square(-2.48, 53.08, 0.08)),
            format!("{{\"type\":\"Feature\",\"properties\":{{\"locality\":\"nantwich\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{}]}}}}", square(-2.56, 53.04, 0.07)),
        ];
        let all: Vec<String> = if keep { sound.iter().cloned().chain(features).collect() } else { features };
        let bytes = format!("{{\"type\":\"FeatureCollection\",\"features\":[{}]}}", all.join(",")).into_bytes();
        TINY.with(|t| hold("areas.geojson", &bytes, t.areas(&bytes)));
    }

    /// Any JSON of GeoJSON's shapes as the whole file, or the fixture cut, nested deep, or
    /// with bytes inserted.
    #[test]
    fn any_json_as_the_boundaries(value in json(6), depth in 0usize..3000, changes in prop::collection::vec(mutation(), 0..3), which in 0..3u8) {
        let bytes = match which {
            0 => value.into_bytes(),
            1 => format!("{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{\"name\":\"Crewe\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":{}{}{}}}}}]}}", "[".repeat(depth), square(-2.48, 53.08, 0.08), "]".repeat(depth)).into_bytes(),
            _ => mutated(&readers::fixture("tiny/areas.geojson"), &changes),
        };
        TINY.with(|t| hold("areas.geojson", &bytes, t.areas(&bytes)));
    }
}

/// Files in `dir` and below.
fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_in(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// Runs the program with `args`; holds it to the rule of a command: no panic or abort,
/// and either success with every output in `outputs` written, or failure with none of them
/// and nothing left behind in `out` (the folder written into).
fn run_command(args: &[&std::ffi::OsStr], out: &Path, outputs: &[&Path]) -> Result<(), String> {
    let output = Command::new(env!("CARGO_BIN_EXE_sufficiency")).args(args).output().expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    if code.is_none() || code == Some(101) || code == Some(134) || stderr.contains("panicked") {
        return Err(format!("exit {code:?}: {stderr}"));
    }
    let written: Vec<_> = outputs.iter().filter(|p| p.is_file()).collect();
    let left = files_in(out);
    if output.status.success() {
        if written.len() != outputs.len() || left.len() != outputs.len() {
            return Err(format!(
                "success, but {} of {} outputs written; in the folder: {left:?}",
                written.len(),
                outputs.len()
            ));
        }
    } else if !left.is_empty() {
        return Err(format!("failed ({stderr}), but left {left:?}"));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(128), failure_persistence: None, ..ProptestConfig::default() })]

    /// `import gias` on a mutated register: writes its settings table or nothing.
    #[test]
    fn import_gias_writes_all_or_none(
        cells in prop::collection::vec(cell_change(&GIAS_WORDS, &GIAS_COLUMNS), 0..4),
        changes in prop::collection::vec(mutation(), 0..2),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let gias = dir.path().join("edubasealldata.csv");
        std::fs::write(&gias, changed(&gias_fixture(), &cells, &changes)).expect("write");
        let out = dir.path().join("out");
        std::fs::create_dir(&out).expect("folder");
        let settings = out.join("settings.csv");
        let model = readers::root().join("tests/fixtures/tiny/model.toml");
        let args = [gias.as_os_str(), "--near".as_ref(), model.as_os_str(), "--out".as_ref(), settings.as_os_str()];
        let args: Vec<&std::ffi::OsStr> = ["import".as_ref(), "gias".as_ref()].into_iter().chain(args).collect();
        if let Err(why) = run_command(&args, &out, &[&settings]) {
            panic!("import gias: {why}");
        }
    }

    /// `import sen2` on a mutated export: writes its five tables or none.
    #[test]
    fn import_sen2_writes_all_or_none(
        pick: Index,
        cells in prop::collection::vec(cell_change(&PERSON_WORDS, &PERSON_COLUMNS), 0..4),
        changes in prop::collection::vec(mutation(), 0..2),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = PERSON.with(|p| p.files.clone());
        let i = pick.index(files.len());
        for (j, (name, bytes)) in files.iter().enumerate() {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
            let bytes = if i == j { changed(bytes, &cells, &changes) } else { bytes.clone() };
            std::fs::write(path, bytes).expect("write");
        }
        for n in ["model.toml", "localities.csv", "settings.csv", "demand.csv"] {
            std::fs::write(dir.path().join(n), readers::fixture(&format!("sen2-person/{n}"))).expect("write");
        }
        let out = dir.path().join("out");
        let (export, model, postcodes) = (dir.path().join("export"), dir.path().join("model.toml"), dir.path().join("postcodes.csv"));
        let args: Vec<&std::ffi::OsStr> = vec![
            "import".as_ref(), "sen2".as_ref(), export.as_os_str(), "--model".as_ref(), model.as_os_str(),
            "--postcodes".as_ref(), postcodes.as_os_str(), "--out".as_ref(), out.as_os_str(),
        ];
        let tables = ["current_placements.csv", "cohort.csv", "demand.csv", "settings_not_in_model.csv", "reconciliation.csv"]
            .map(|n| out.join(n));
        let outputs: Vec<&Path> = tables.iter().map(std::path::PathBuf::as_path).collect();
        if let Err(why) = run_command(&args, &out, &outputs) {
            panic!("import sen2: {why}");
        }
    }
}

/// `bytes` with the first `from` replaced by `to`.
fn replaced(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let at = bytes.windows(from.len()).position(|w| w == from.as_bytes()).expect("in the fixture");
    [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
}

/// Found by `a_mutated_register_of_schools`: a school whose name is blank was written with
/// none, and `check` refused the table `import gias` wrote. It is left out with a warning
/// naming the line and the field.
#[test]
fn a_school_with_a_blank_name_is_left_out_with_a_warning() {
    let bytes = replaced(&gias_fixture(), "Springfield School", " ");
    GIAS.with(|g| hold("the GIAS file", &bytes, g.read(&bytes, false)));
    let dir = tempfile::tempdir().expect("temp dir");
    let (gias, out) = (dir.path().join("edubasealldata.csv"), dir.path().join("settings.csv"));
    std::fs::write(&gias, &bytes).expect("write");
    let model = readers::root().join("tests/fixtures/tiny/model.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_sufficiency"))
        .args(["import".as_ref(), "gias".as_ref(), gias.as_os_str(), "--near".as_ref(), model.as_os_str()])
        .args(["--out".as_ref(), out.as_os_str()])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let warning = format!("warning: {}:2: field 'EstablishmentName': is blank", gias.display());
    assert!(stderr.contains(&warning), "{stderr}");
    let written = std::fs::read_to_string(&out).expect("written");
    assert!(!written.contains("111001,"), "{written}");
    assert!(written.contains("111002,Park Lane School"), "{written}");
}
