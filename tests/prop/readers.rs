//! Each reader of a planner's or the DfE's file as a function of the bytes of that one file,
//! the rest of its folder sound: a model's table and model file, a model kept in one
//! workbook, the council's boundaries (GeoJSON), the register of schools (`import gias`),
//! the DfE's published SEN2 files (`check --against`) and the council's SEN2 person-level
//! export (`import sen2`). Each returns `Err` when the reader broke the rule every reader
//! keeps: a result, or problems each on one line naming its file (as given) and, where it
//! names a line, a line the file has. A panic or an abort is the reader's own.
//!
//! Shared by the readers' property tests (`tests/readers_prop.rs`) and the `cargo fuzz`
//! targets (`tests/fuzz`), which call these functions with whatever bytes they are given.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use sufficiency::Error;
use sufficiency::model::Model;
use sufficiency::model::input::Problems;
use sufficiency::tools::import;

/// The repository (this file is built from `tests/` and from `tests/fuzz/`).
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    if here.join("tests/fixtures").is_dir() { here.to_path_buf() } else { here.join("../..") }
}

/// A fixture file's bytes.
pub fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures").join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A folder of files on tmpfs (where there is one).
pub struct Folder {
    pub dir: tempfile::TempDir,
}

impl Folder {
    /// A folder holding `files` (names may have a folder before them).
    pub fn of<B: AsRef<[u8]>>(files: &[(&str, B)]) -> Folder {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("temp dir");
        let folder = Folder { dir };
        for (name, bytes) in files {
            folder.write(name, bytes.as_ref());
        }
        folder
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(path, bytes).expect("write");
    }
}

/// Whether `problems` keep the rule: at least one, each on one line, starting with its
/// file as given; a file inside `dir` (or a path a model file names, as written); a line
/// the file has, shown as `:LINE:` (in a workbook, a row of a sheet: not counted here).
pub fn located(problems: &Problems, dir: &Path) -> Result<(), String> {
    if problems.is_empty() {
        return Err("refused with no problem".into());
    }
    for p in &problems.0 {
        let shown = p.to_string();
        let fail = |why: &str| Err(format!("{why}: {shown}"));
        if shown.lines().count() != 1 || shown.chars().count() > 1_200 {
            return fail("not one short line");
        }
        if !shown.starts_with(&p.file.display().to_string()) {
            return fail("does not start with its file");
        }
        if !p.file.starts_with(dir) {
            // An option naming what is not there (`--near 999`).
            if p.file == Path::new("command line") && p.field.as_deref().is_some_and(|f| f.starts_with("--")) {
                continue;
            }
            // A path a model file names that is not there (or is not a file), as written.
            let unusable = ["cannot read the file", "is not a regular file", "is a folder"];
            if p.line.is_none() && unusable.iter().any(|u| p.message.starts_with(u)) {
                continue;
            }
            return fail("not a file of the folder");
        }
        if let (Some(line), None) = (p.line, &p.sheet) {
            let text = std::fs::read(&p.file).unwrap_or_default();
            let lines = text.split(|&b| b == b'\n' || b == b'\r').count().max(1);
            if line == 0 || line > lines {
                return fail(&format!("line {line} of a file of {lines} lines"));
            }
            if !shown.contains(&format!(":{line}:")) {
                return fail("line not shown");
            }
        }
    }
    Ok(())
}

/// What `check` says of the model at `path`: read, or refused with located problems.
pub fn checked(path: &Path, dir: &Path) -> Result<(), String> {
    match refused(path)? {
        None => Ok(()),
        Some(problems) => located(&problems, dir),
    }
}

/// The problems `check` finds in the model at `path` (`None`: it passes); `Err` for an
/// error that is not the input's.
fn refused(path: &Path) -> Result<Option<Problems>, String> {
    match sufficiency::commands::checked(path) {
        Ok(_) => Ok(None),
        Err(Error::Input(problems)) => Ok(Some(problems)),
        Err(other) => Err(format!("not an input problem: {other}")),
    }
}

/// The tiny authority's model and every table it names.
const TINY: [&str; 12] = [
    "model.toml",
    "areas.toml",
    "areas.geojson",
    "localities.csv",
    "settings.csv",
    "setting_needs.csv",
    "demand.csv",
    "road_nodes.csv",
    "road_edges.csv",
    "purchasing_options.csv",
    "purchasing_prices.csv",
    "current_placements.csv",
];

/// The tiny authority's model, as `check` reads it, with one file replaced.
pub struct Tiny {
    folder: Folder,
    /// The file a case changed.
    changed: std::cell::Cell<Option<usize>>,
}

impl Tiny {
    pub fn new() -> Tiny {
        let files: Vec<(&str, Vec<u8>)> = TINY.iter().map(|n| (*n, fixture(&format!("tiny/{n}")))).collect();
        let tiny = Tiny { folder: Folder::of(&files), changed: std::cell::Cell::new(None) };
        tiny.check("areas.toml").expect("the tiny model is sound");
        tiny
    }

    /// The tables (CSV files).
    pub fn tables() -> Vec<&'static str> {
        TINY.iter().copied().filter(|n| n.ends_with(".csv")).collect()
    }

    /// Writes `bytes` as `name` (putting back the file the last case changed) and reads
    /// the model `model`.
    pub fn read(&self, name: &str, bytes: &[u8], model: &str) -> Result<(), String> {
        self.put(name, bytes);
        self.check(model)
    }

    /// Writes `bytes` as `name`, putting back the file the last case changed.
    fn put(&self, name: &str, bytes: &[u8]) {
        if let Some(last) = self.changed.take() {
            self.folder.write(TINY[last], &fixture(&format!("tiny/{}", TINY[last])));
        }
        self.folder.write(name, bytes);
        self.changed.set(TINY.iter().position(|n| *n == name));
    }

    fn check(&self, model: &str) -> Result<(), String> {
        checked(&self.folder.path(model), self.folder.dir.path())
    }

    /// `bytes` as the table `tables()[pick % n]` of the model with boundaries.
    pub fn table(&self, pick: usize, bytes: &[u8]) -> Result<(), String> {
        let tables = Tiny::tables();
        self.read(tables[pick % tables.len()], bytes, "areas.toml")
    }

    /// `bytes` as the model file (which the scenario with boundaries extends).
    pub fn model_file(&self, bytes: &[u8]) -> Result<(), String> {
        self.read("model.toml", bytes, "areas.toml")
    }

    /// `bytes` as the council's boundaries: read, or every problem one about the file as
    /// a whole or a feature or locality of it.
    pub fn areas(&self, bytes: &[u8]) -> Result<(), String> {
        self.put("areas.geojson", bytes);
        match refused(&self.folder.path("areas.toml"))? {
            None => Ok(()),
            Some(problems) => {
                located(&problems, self.folder.dir.path())?;
                about_areas(&problems)
            }
        }
    }
}

/// Whether every problem is about the boundaries file: the file as a whole, a feature (by
/// its number and name) or a locality; never a line (GeoJSON is not read by lines).
fn about_areas(problems: &Problems) -> Result<(), String> {
    const KINDS: [&str; 8] = [
        "is not a regular file",
        "cannot read the file",
        "is not UTF-8",
        "is not JSON",
        "is not GeoJSON",
        "is a single ",
        "feature ",
        "locality ",
    ];
    for p in &problems.0 {
        let about = p.file.file_name().is_some_and(|n| n == "areas.geojson");
        if !about || p.line.is_some() || !KINDS.iter().any(|k| p.message.starts_with(k)) {
            return Err(format!("not about the boundaries as a whole, a feature or a locality: {p}"));
        }
    }
    Ok(())
}

/// The model in one workbook that `init` writes, its workbook replaced.
pub struct Workbook {
    folder: Folder,
}

impl Workbook {
    pub fn new() -> Workbook {
        let files = sufficiency::tools::template::files().expect("the template");
        let folder = Folder::of(&files);
        checked(&folder.path("model.toml"), folder.dir.path()).expect("the template is sound");
        Workbook { folder }
    }

    /// `bytes` as `model.xlsx`.
    pub fn read(&self, bytes: &[u8]) -> Result<(), String> {
        self.folder.write("model.xlsx", bytes);
        checked(&self.folder.path("model.toml"), self.folder.dir.path())
    }
}

/// `import gias` near the tiny authority, and `check` on what it would write.
pub struct Gias {
    folder: Folder,
    model: Model,
}

/// The tiny authority with its settings from the import, as the CI run makes it.
const GIAS_MODEL: &str = "name = \"Tiny, settings from GIAS\"\nplanning_year = \"2025/26\"\n[tables]\n\
    localities = \"localities.csv\"\nsettings = \"settings.csv\"\ndemand = \"demand.csv\"\n";

impl Gias {
    pub fn new() -> Gias {
        let folder = Folder::of(&[
            ("model.toml", GIAS_MODEL.as_bytes().to_vec()),
            ("localities.csv", fixture("tiny/localities.csv")),
            ("demand.csv", fixture("tiny/demand.csv")),
        ]);
        let model =
            sufficiency::planning::ready::load(&root().join("tests/fixtures/tiny/model.toml")).expect("the tiny model");
        let gias = Gias { folder, model };
        gias.read(&fixture("gias/edubasealldata.csv"), false).expect("the GIAS fixture imports");
        gias
    }

    /// `bytes` as the GIAS file, near the tiny model (or, `by_la`, the authority by code).
    /// Imported, the settings table it would write is read with the tiny authority's
    /// localities and demand, and must pass `check`.
    pub fn read(&self, bytes: &[u8], by_la: bool) -> Result<(), String> {
        let path = self.folder.path("edubasealldata.csv");
        self.folder.write("edubasealldata.csv", bytes);
        let near = if by_la { import::gias::Near::Authority("895") } else { import::gias::Near::Model(&self.model) };
        match import::gias::import(&path, &path, &near, 30.0) {
            Ok(imported) => {
                let mut problems = Problems::default();
                problems.0.extend(imported.warnings.iter().cloned());
                if !problems.is_empty() {
                    located(&problems, self.folder.dir.path()).map_err(|e| format!("a warning: {e}"))?;
                }
                let settings = imported.settings_csv();
                let _ = imported.summary(&self.folder.path("settings.csv"), 30.0);
                if by_la || imported.settings.is_empty() {
                    return Ok(());
                }
                self.folder.write("settings.csv", settings.as_bytes());
                match sufficiency::commands::checked(&self.folder.path("model.toml")) {
                    Ok(_) => Ok(()),
                    Err(e) => Err(format!("the settings written do not pass check: {e}\n{settings}")),
                }
            }
            Err(problems) => located(&problems, self.folder.dir.path()),
        }
    }
}

/// The DfE's published SEN2 files `check --against` reads.
pub const PUBLISHED: [&str; 6] = [
    "caseload.csv",
    "published-2025-cheshire-east.csv",
    "real_caseload_2025.csv",
    "real_sen_needs_all_plans_2025.csv",
    "real_residential_settings_2025.csv",
    "sen2_estab_caseload_2024.csv",
];

/// `check --against` on one published file, for Cheshire East in January 2025.
pub struct Sen2Published {
    folder: Folder,
}

impl Sen2Published {
    pub fn new() -> Sen2Published {
        let files: Vec<(&str, Vec<u8>)> = PUBLISHED.iter().map(|n| (*n, fixture(&format!("sen2/{n}")))).collect();
        let published = Sen2Published { folder: Folder::of(&files) };
        for (i, (name, bytes)) in files.iter().enumerate() {
            published.read(i, bytes, false).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        published
    }

    /// `bytes` as the `pick % n`-th published file, the authority by the model's name (or,
    /// `by_code`, by `--la 895`).
    pub fn read(&self, pick: usize, bytes: &[u8], by_code: bool) -> Result<(), String> {
        let path = self.folder.path(PUBLISHED[pick % PUBLISHED.len()]);
        std::fs::write(&path, bytes).expect("write");
        let la = by_code.then_some("895");
        let named = "Cheshire East, central growth";
        match sufficiency::model::input::sen2::read_all(std::slice::from_ref(&path), la, named, 2025, "--la") {
            Ok(_) => Ok(()),
            Err(problems) => located(&problems, self.folder.dir.path()),
        }
    }
}

/// The modules of the SEN2 person-level export, and for each the column of its parent's key
/// (the return itself has none).
pub const MODULES: [(&str, &str, &str); 9] = [
    ("sen2", "sen2tableid", ""),
    ("person", "persontableid", "sen2tableid"),
    ("requests", "requeststableid", "persontableid"),
    ("assessment", "assessmenttableid", "requeststableid"),
    ("namedplan", "namedplantableid", "assessmenttableid"),
    ("plandetail", "plandetailtableid", "namedplantableid"),
    ("activeplans", "activeplanstableid", "requeststableid"),
    ("placementdetail", "placementdetailtableid", "activeplanstableid"),
    ("senneed", "senneedtableid", "activeplanstableid"),
];

/// `import sen2` on a small export: the first children of the synthetic fixture (made by
/// its script) with every row that hangs from them, and its model and postcode lookup.
pub struct Sen2Person {
    folder: Folder,
    model: Model,
    /// Each module's first text, then the lookup's.
    pub files: Vec<(String, Vec<u8>)>,
}

/// How many children of the fixture the small export keeps.
const CHILDREN: usize = 40;

impl Sen2Person {
    pub fn new() -> Sen2Person {
        let mut kept: std::collections::HashMap<&str, std::collections::HashSet<String>> = Default::default();
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for (module, key, parent) in MODULES {
            let name = format!("export/Blade-Export_20-01-2025_{module}.csv");
            let text = String::from_utf8(fixture(&format!("sen2-person/{}", &name[7..]))).expect("UTF-8");
            let mut lines = text.lines();
            let header = lines.next().expect("header");
            let columns: Vec<&str> = header.split(',').collect();
            let at = |c: &str| columns.iter().position(|h| *h == c).expect("column");
            let mut out = vec![header.to_string()];
            let mut keys = std::collections::HashSet::new();
            for line in lines {
                let fields: Vec<&str> = line.split(',').collect();
                let keep = match module {
                    "sen2" => true,
                    "person" => keys.len() < CHILDREN,
                    _ => kept[parent].contains(fields[at(parent)]),
                };
                if keep {
                    keys.insert(fields[at(key)].to_string());
                    out.push(line.to_string());
                }
            }
            kept.insert(key, keys);
            files.push((name, (out.join("\n") + "\n").into_bytes()));
        }
        files.push(("postcodes.csv".into(), fixture("sen2-person/postcodes.csv")));
        let mut all: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        for n in ["model.toml", "localities.csv", "settings.csv", "demand.csv"] {
            all.push((n, fixture(&format!("sen2-person/{n}"))));
        }
        let folder = Folder::of(&all);
        let model = sufficiency::planning::ready::load(&folder.path("model.toml")).expect("the fixture's model");
        let person = Sen2Person { folder, model, files };
        person.read(0, &person.files[0].1.clone()).expect("the small export imports");
        person
    }

    /// `bytes` as the `pick % n`-th file (a module of the export, or the lookup).
    pub fn read(&self, pick: usize, bytes: &[u8]) -> Result<(), String> {
        let i = pick % self.files.len();
        for (j, (name, original)) in self.files.iter().enumerate() {
            self.folder.write(name, if i == j { bytes } else { original });
        }
        match import::sen2::import(&[self.folder.path("export")], &self.folder.path("postcodes.csv"), &self.model) {
            Ok(imported) => {
                let out = self.folder.path("out");
                for text in [
                    imported.current_placements_csv(),
                    imported.cohort_csv(),
                    imported.demand_csv(),
                    imported.not_in_model_csv(),
                    imported.reconciliation_csv(),
                    imported.summary(&out),
                ] {
                    if text.is_empty() {
                        return Err("an empty table".into());
                    }
                }
                Ok(())
            }
            Err(problems) => located(&problems, self.folder.dir.path()),
        }
    }
}
