//! Running the real binary on a private copy of a fixture.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
