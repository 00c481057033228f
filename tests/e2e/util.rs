//! Running the real binary on a private copy of a fixture.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Futures an annex of a sample runs for its risk section in tests of other sections: a
/// debug build takes about 0.4 s a future, and the section's figures are tested on their
/// own (annex_risk.rs), so the sample's 200 would only slow every test of the annex.
pub const FEW_FUTURES: &str = "10";

/// A private copy of a fixture folder, and a way to run the binary on it.
pub struct Case {
    pub dir: tempfile::TempDir,
}

impl Case {
    /// Copies `tests/fixtures/NAME` into a new temporary folder.
    pub fn fixture(name: &str) -> Case {
        let dir = tempfile::tempdir().expect("temp dir");
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        for entry in std::fs::read_dir(&from).expect("fixture exists") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
        }
        Case { dir }
    }

    /// A path inside the case folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Replaces the text of a file.
    pub fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).expect("write");
    }

    /// Replaces `from` with `to` in a file (which must contain it).
    pub fn edit(&self, name: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path(name)).expect("read");
        assert!(text.contains(from), "{name} does not contain {from:?}");
        self.write(name, &text.replacen(from, to, 1));
    }

    /// Runs the binary in the case folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sufficiency"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("binary runs")
    }
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A CSV row written by the binary, as header → cell.
pub type Record = std::collections::HashMap<String, String>;

/// Rows of a CSV file the binary wrote in the case's folder.
pub fn rows(case: &Case, name: &str) -> Vec<Record> {
    let mut r = csv::Reader::from_path(case.path(name)).expect("csv written");
    let headers = r.headers().expect("headers").clone();
    r.records()
        .map(|rec| {
            headers.iter().zip(rec.expect("record").iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect()
}

/// A cell as a number.
pub fn number(row: &Record, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

/// Great-circle distance in km between two (latitude, longitude) points, on a sphere of the
/// Earth's mean radius (6,371.0088 km): the haversine formula, written out here so that
/// tests can work journeys out by hand rather than take them from the program.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6_371.008_8 * h.sqrt().asin()
}

/// A forecast variant's rates, from tests/fixtures/tiny/forecast_rates.csv: new plans a
/// year (ASD at reception, SEMH at year 7, SLCN at reception), the share of SEMH children
/// who leave after year 7 (no other year group has a ceasing rate), and growth a year.
pub struct Rates {
    pub asd: f64,
    pub semh: f64,
    pub semh_leave_after_7: f64,
    pub slcn: f64,
    pub growth: f64,
}

pub const CENTRAL: Rates = Rates { asd: 2.0, semh: 2.0, semh_leave_after_7: 0.1, slcn: 1.0, growth: 0.05 };
pub const HIGH: Rates = Rates { asd: 3.0, semh: 4.0, semh_leave_after_7: 0.05, slcn: 2.0, growth: 0.10 };

/// The tiny cohort (cohort.csv) aged by hand to year k after 2025/26: (locality, need,
/// phase, provision, children).
/// Base: Crewe ASD year 2: 4; Crewe SEMH year 9: 6; Nantwich ASD year 8: 3 (special
/// school); Nantwich SLCN reception: 2.5. Nobody changes phase within three years (year 2
/// reaches year 4, year 8 year 10). New plans in year j: rate × (1 + growth)^j, shared
/// among localities as the base cohort of the need (ASD: Crewe 4/7, Nantwich 3/7; SEMH all
/// Crewe; SLCN all Nantwich), all resourced-provision (as the base primary ASD, secondary
/// SEMH and primary SLCN cohorts). SEMH arrivals of earlier years have passed year 7 and
/// lost their leavers. Central, 2027/28: Crewe ASD 4 + 1.2 + 1.26 = 6.46; Nantwich ASD
/// primary 0.9 + 0.945; Crewe SEMH 6 + 2.1 × 0.9 + 2.205 = 10.095; Nantwich SLCN
/// 2.5 + 1.05 + 1.1025.
pub fn need_by_hand(r: &Rates, k: i32) -> Vec<(&'static str, &'static str, &'static str, &'static str, f64)> {
    let new = |rate: f64, j: i32| rate * (1.0 + r.growth).powi(j);
    let asd: f64 = (1..=k).map(|j| new(r.asd, j)).sum();
    let semh: f64 = (1..=k).map(|j| new(r.semh, j) * if j < k { 1.0 - r.semh_leave_after_7 } else { 1.0 }).sum();
    let slcn: f64 = (1..=k).map(|j| new(r.slcn, j)).sum();
    let rp = "resourced-provision";
    let mut rows = vec![
        ("crewe", "ASD", "primary", rp, 4.0 + asd * 4.0 / 7.0),
        ("crewe", "SEMH", "secondary", rp, 6.0 + semh),
        ("nantwich", "ASD", "secondary", "special-school", 3.0),
        ("nantwich", "SLCN", "primary", rp, 2.5 + slcn),
    ];
    if k > 0 {
        rows.push(("nantwich", "ASD", "primary", rp, asd * 3.0 / 7.0));
    }
    rows
}
