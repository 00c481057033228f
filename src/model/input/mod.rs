//! Reading a model: the TOML model file and the CSV tables it names, checked row by row.
//!
//! Raw text becomes the validated [`Model`] in one pass. Every problem found is collected,
//! with its file, line and field, and all are returned together, so a planner can fix a
//! spreadsheet in one go. Nothing here panics on bad input.

mod areas;
mod horizon;
mod keys;
mod market;
mod model_file;
pub mod problem;
mod purchasing;
mod scenario;
mod schemes;
pub mod sen2;
pub mod table;
mod text;
mod workbook;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use geo::Point;

use crate::model::{
    CodeSet, DEFAULT_PHASES, DFE_NEED_CODES, DemandRow, Journey, Locality, LocalityCap, LocalityIx, MAX_CODES, Model,
    Money, Need, NeedTerms, ObjectiveMode, Phase, PhaseInfo, Policy, Provision, RoadEdge, RoadNetwork, RoadNode,
    Setting, SettingIx, SettingKind, TransportCosts,
};
use crate::model::{NeedByYear, SchoolYear, Uplift};
use crate::travel;
use model_file::{ModelFile, ObjectiveFile};
pub use problem::{Problem, Problems};
pub use scenario::TABLE_KEYS;
use table::{Table, is_valid_id};
pub use text::{grouped, quoted};

/// Longest description in a model file, in characters.
pub const LONGEST_DESCRIPTION: usize = 2_000;

/// Default penalty per child left without a place: far above any placement cost.
pub const DEFAULT_UNMET_PENALTY: f64 = 1_000_000.0;

/// Reads and checks the model at `path`, every file it extends, and every table they name.
///
/// # Errors
/// Every problem found in any of the files, each naming file, line and field.
pub fn load(path: &Path) -> Result<Model, Problems> {
    load_variant(path, None)
}

/// As [`load`], with the forecast variant `variant` in place of the model's own (for a
/// robust choice of schemes across variants).
///
/// # Errors
/// As [`load`]; also if the model has no horizon to take a variant.
pub fn load_variant(path: &Path, variant: Option<&str>) -> Result<Model, Problems> {
    let resolved = scenario::resolve(path)?;
    let missing = keys::missing(&resolved.value, &resolved.chain[0].0);
    if !missing.is_empty() {
        return Err(Problems(missing));
    }
    let file = model_file(&resolved)?;
    let mut problems = Problems::default();
    let chain = &resolved.chain;
    let mut loader = Loader { chain, problems: &mut problems };

    if let Some(why) = table::name_problem(&file.name) {
        loader.problem("name", why);
    }
    if file.description.chars().count() > LONGEST_DESCRIPTION {
        loader.problem(
            "description",
            format!(
                "is {} characters: expected at most {} (it heads every report)",
                text::grouped(file.description.chars().count()),
                text::grouped(LONGEST_DESCRIPTION)
            ),
        );
    }
    let (needs, mut rejected) = loader.codes("needs", file.needs.as_deref(), &DFE_NEED_CODES);
    let default_phase_codes: Vec<&str> = DEFAULT_PHASES.iter().map(|p| p.0).collect();
    let (phase_codes, refused_phases) = loader.codes("phases", file.phases.as_deref(), &default_phase_codes);
    rejected.extend(refused_phases);
    let phases = loader.phases(&phase_codes, &file.policy.max_journey_minutes);
    let policy = loader.policy(&file);
    let transport = loader.transport(&file);
    let uplift = loader.uplift(&file);
    let mut horizon_head = file.horizon.as_ref().and_then(|h| loader.horizon_head(h, &phase_codes));
    if let Some(v) = variant {
        match &mut horizon_head {
            Some(head) => head.variant = v.to_string(),
            None if file.horizon.is_none() => loader.problem(
                "variants",
                format!("forecast variant '{v}' asked for, but the model has no [horizon] to forecast with"),
            ),
            None => {}
        }
    }
    let single_year = match (&file.horizon, &file.planning_year) {
        (Some(_), _) => None,
        (None, None) => {
            loader.problem(
                "planning_year",
                "is missing: expected planning_year = \"2025/26\" (or a [horizon] section)".into(),
            );
            None
        }
        (None, Some(text)) => {
            let year = SchoolYear::parse(text);
            if year.is_none() {
                loader.problem("planning_year", format!("'{text}' is not a school year: expected e.g. \"2025/26\""));
            }
            year
        }
    };

    let t = &file.tables;
    let (workbook, sheets) = workbook_sheets(&resolved, t, &mut problems);
    let src = Sources {
        chain: &resolved.chain,
        overrides: &resolved.overrides,
        notes: std::cell::RefCell::default(),
        sheets,
        workbook,
    };
    let codes = Codes { needs: &needs, phases: &phase_codes, rejected };
    let (localities, locality_lines, locality_ids) = read_localities(&src, Path::new(&t.localities), &mut problems);
    let (mut settings, setting_lines, setting_ids) = read_settings(&src, Path::new(&t.settings), &codes, &mut problems);
    if t.setting_needs.is_some() || src.adds("setting_needs") {
        let ids = (&setting_ids, &mut settings[..]);
        read_setting_needs(&src, t.setting_needs.as_deref().map(Path::new), &codes, ids, &mut problems);
    }
    let network = match (&t.road_nodes, &t.road_edges) {
        (Some(n), Some(e)) => read_network(&src, Path::new(n), Path::new(e), &transport, &mut problems),
        (None, None) => None,
        _ => {
            Loader { chain, problems: &mut problems }
                .problem("road_nodes", "a road network needs both road_nodes and road_edges".into());
            None
        }
    };
    if let Some(net) = &network {
        check_reach(
            net,
            &transport,
            (&src.source("localities", Path::new(&t.localities)), &localities, &locality_lines),
            (&src.source("settings", Path::new(&t.settings)), &settings, &setting_lines),
            &mut problems,
        );
    }
    let tables = Tables {
        src: &src,
        codes: &codes,
        localities: &localities,
        settings: &settings,
        locality_ids: &locality_ids,
        setting_ids: &setting_ids,
    };
    let (demand, horizon) = match &horizon_head {
        None => {
            for key in ["cohort", "forecast_rates", "population", "current_placements", "setting_places"] {
                if table_named(t, key).is_some() {
                    Loader { chain, problems: &mut problems }
                        .problem(key, format!("tables.{key} is for a multi-year model: add a [horizon] section"));
                }
            }
            let demand = match &t.demand {
                Some(d) => tables.demand(Some(Path::new(d)), None, &mut problems).into_iter().map(|(_, r)| r).collect(),
                None => {
                    Loader { chain, problems: &mut problems }
                        .problem("tables.demand", "is missing: expected demand = \"demand.csv\" under [tables]".into());
                    Vec::new()
                }
            };
            (demand, None)
        }
        Some(head) => match horizon::assemble(head, t, &tables, &mut Loader { chain, problems: &mut problems }) {
            Some(h) => {
                let first = match &h.need {
                    NeedByYear::Direct(years) => years.first().cloned().unwrap_or_default(),
                    NeedByYear::Cohort { .. } => Vec::new(),
                };
                (first, Some(h))
            }
            None => (Vec::new(), None),
        },
    };

    let appraisal = Loader { chain, problems: &mut problems }.appraisal(&file.appraisal);
    let mut annex = Loader { chain, problems: &mut problems }.annex(&file.annex);
    annex.commentary = read_commentary(&file.annex.commentary, &mut problems);
    let mut area_notes = Vec::new();
    match (&file.annex.areas, &file.annex.area_name) {
        (Some(p), name) => {
            annex.areas = areas::read(Path::new(p), name.as_deref(), &localities, &mut problems, &mut area_notes);
        }
        (None, Some(_)) => Loader { chain, problems: &mut problems }.problem(
            "area_name",
            "names the property of areas, but [annex] has no areas file: expected areas = \"areas.geojson\" too".into(),
        ),
        (None, None) => {}
    }
    let window = match &horizon_head {
        Some(h) => Some((h.first_year, h.years)),
        None => single_year.map(|y| (y, 1)),
    };
    if let (Some(file_path), Some((first, _))) = (&file.annex.caseload, window) {
        // The authority is the one the annex names, or the model's name or description does.
        let named = [file.annex.council.as_deref(), Some(&file.name), Some(&file.description)];
        let named = named.into_iter().flatten().collect::<Vec<_>>().join("\n");
        let path = Path::new(file_path);
        let shown = tidy(path);
        let la = file.annex.caseload_la.as_deref();
        match sen2::read(path, &shown, la, &named, first.0 + 1, "[annex] caseload_la") {
            Ok(caseload) => {
                let name = path.file_name().map_or_else(|| shown.display().to_string(), |n| n.to_string_lossy().into());
                annex.caseload = Some((name, caseload));
            }
            Err(mut wrong) => problems.0.append(&mut wrong.0),
        }
    }
    let schemes = schemes::read(
        &tables,
        (t.schemes.as_deref().map(Path::new), t.scheme_places.as_deref().map(Path::new)),
        window,
        &mut Loader { chain, problems: &mut problems },
    );

    let purchasing = purchasing::read(
        &tables,
        (t.purchasing_options.as_deref().map(Path::new), t.purchasing_prices.as_deref().map(Path::new)),
        &mut Loader { chain, problems: &mut problems },
    );

    let market = if t.market.is_some() || src.adds("market") {
        let taken: Vec<String> = settings.iter().map(|s| s.id.clone()).collect();
        let longest = phases.iter().map(|p| p.max_journey_minutes).fold(0.0, f64::max);
        market::read(
            &src,
            t.market.as_deref().map(Path::new),
            &codes,
            (&localities, &transport, &taken, longest),
            &mut problems,
        )
    } else {
        Vec::new()
    };
    let locality_caps = if t.locality_caps.is_some() || src.adds("locality_caps") {
        tables.locality_caps(t.locality_caps.as_deref().map(Path::new), &mut problems)
    } else {
        Vec::new()
    };

    if !problems.is_empty() {
        return Err(problems);
    }
    let mut sources = vec![tidy(path).display().to_string()];
    for (p, _) in chain.iter().skip(1) {
        sources.push(p.display().to_string());
    }
    for key in [
        "localities",
        "settings",
        "setting_needs",
        "demand",
        "road_nodes",
        "road_edges",
        "cohort",
        "forecast_rates",
        "population",
        "current_placements",
        "setting_places",
        "schemes",
        "scheme_places",
        "purchasing_options",
        "purchasing_prices",
        "locality_caps",
        "market",
    ] {
        if let Some(rel) = table_named(t, key) {
            sources.push(src.source(key, Path::new(rel)).describe());
        }
    }
    for add in &resolved.overrides.add_rows {
        sources.push(add.file.display().to_string());
    }
    if let Some(p) = &file.annex.areas {
        sources.push(tidy(Path::new(p)).display().to_string());
    }
    // The market's steps are settings after the table's (no other table names them), with
    // the same places every year.
    let mut horizon = horizon;
    if let Some(h) = &mut horizon {
        let n = settings.len();
        let years = h.places.len() / n.max(1);
        h.places = (0..years)
            .flat_map(|k| h.places[k * n..(k + 1) * n].iter().copied().chain(market.iter().map(|s| s.places)))
            .collect();
    }
    settings.extend(market);
    // Problems were returned above, so a single-year model has its year here.
    let planning_year = horizon.as_ref().map(|h| h.first_year).or(single_year).unwrap_or(SchoolYear(0));
    let mut notes = resolved.notes.clone();
    notes.extend(src.notes.take());
    notes.extend(area_notes);
    let mut model = Model {
        notes,
        name: file.name,
        planning_year,
        description: file.description,
        needs,
        phases,
        localities,
        settings,
        demand,
        staying: Vec::new(),
        locality_caps,
        policy,
        transport,
        network,
        sources,
        horizon: None,
        schemes,
        appraisal,
        purchasing,
        annex,
        uplift,
    };
    if let Some(h) = horizon {
        if let NeedByYear::Cohort { .. } = h.need {
            model.horizon = Some(h);
            let first = model.years_ahead().map(crate::planning::forecast::project_first).unwrap_or_default();
            model.demand = first;
        } else {
            model.horizon = Some(h);
        }
    }
    model.count_in_child_units();
    if let Some(problem) = too_big(&model, MOST_ARCS) {
        return Err(Problems(vec![problem]));
    }
    Ok(model)
}

/// Largest commentary file, in bytes.
const LARGEST_COMMENTARY: u64 = 1_000_000;

/// The council's commentary files (`[annex.commentary]`, paths already relative to the
/// model's folder), read as the model files are: regular files of at most 1 MB, UTF-8 or
/// Windows-1252. In the order of [`crate::model::COMMENTARY_SECTIONS`].
fn read_commentary(
    files: &std::collections::BTreeMap<String, String>,
    problems: &mut Problems,
) -> Vec<(String, String)> {
    let mut read = Vec::new();
    for (key, section) in crate::model::COMMENTARY_SECTIONS {
        let Some(path) = files.get(key) else { continue };
        let path = Path::new(path);
        let shown = tidy(path);
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() => {
                problems.push(Problem::file(&shown, "is not a regular file: expected a text file of commentary"));
                continue;
            }
            Ok(m) if m.len() > LARGEST_COMMENTARY => {
                problems.push(Problem::file(&shown, "is over 1 MB: expected a text file of commentary"));
                continue;
            }
            _ => {}
        }
        note_read(path);
        match std::fs::read(path) {
            Ok(bytes) => match text::decode(&bytes, &shown, text::FileKind::ModelFile) {
                Ok(decoded) => read.push((section.to_string(), decoded.text)),
                Err(mut wrong) => problems.0.append(&mut wrong),
            },
            Err(e) => problems.push(Problem::file(&shown, text::unreadable(&e))),
        }
    }
    read
}

/// Most placement arcs a model may have: about 16 GB at the 530 bytes an arc the England
/// benchmark peaks at (2.3 GB for 4.4 million arcs; README, "Scale").
pub const MOST_ARCS: f64 = 30_000_000.0;

/// Bytes of memory an arc takes at the peak of a solve (README, "Scale").
const BYTES_AN_ARC: f64 = 530.0;

/// A model whose estimated arcs ([`crate::travel::estimated_arcs`]) exceed `most` (the
/// loader gives [`MOST_ARCS`]), as a problem saying its size and what to do.
fn too_big(model: &Model, most: f64) -> Option<Problem> {
    let arcs = crate::travel::estimated_arcs(model);
    (arcs > most).then(|| Problem { sheet: None,
        file: model.sources.first().map(PathBuf::from).unwrap_or_default(),
        line: None,
        field: None,
        message: format!(
            "{} localities and {} settings within reach of each other make about {:.0} million placements to weigh (about {:.0} GB of memory): expected at most {:.0} million; group localities into larger areas, or shorten [policy.max_journey_minutes]",
            model.localities.len(),
            model.settings.len(),
            arcs / 1e6,
            arcs * BYTES_AN_ARC / 1e9,
            most / 1e6
        ),
    })
}

/// Every input file read in this run, by its canonical path, so that no output is ever
/// written over one (see [`is_input`]). One list for the process: the CLI reads its models,
/// then writes.
static FILES_READ: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Notes `path` as an input file read.
pub(crate) fn note_read(path: &Path) {
    if let (Ok(canonical), Ok(mut read)) = (std::fs::canonicalize(path), FILES_READ.lock())
        && !read.contains(&canonical)
    {
        read.push(canonical);
    }
}

/// Whether `path` is a file this run read its model from (an output must never replace one).
#[must_use]
pub fn is_input(path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|c| FILES_READ.lock().is_ok_and(|read| read.contains(&c)))
}

/// Reads and checks each model in `paths` (as [`load`]): a base and its scenarios.
///
/// # Errors
/// Every problem found in any of them, in the order given.
pub fn load_each(paths: &[PathBuf]) -> Result<Vec<Model>, Problems> {
    gather(paths.iter().map(|p| load(p)))
}

/// Reads the model at `path` once for each forecast variant in `variants` (as
/// [`load_variant`]), in that order.
///
/// # Errors
/// Every problem found in any of them.
pub fn load_variants<S: AsRef<str>>(path: &Path, variants: &[S]) -> Result<Vec<Model>, Problems> {
    gather(variants.iter().map(|v| load_variant(path, Some(v.as_ref()))))
}

/// The models read, or every problem found in any of them.
fn gather(loads: impl Iterator<Item = Result<Model, Problems>>) -> Result<Vec<Model>, Problems> {
    let mut models = Vec::new();
    let mut problems = Problems::default();
    for load in loads {
        match load {
            Ok(m) => models.push(m),
            Err(p) => problems.0.extend(p.0),
        }
    }
    if problems.is_empty() { Ok(models) } else { Err(problems) }
}

/// The merged model file as its serde struct; a problem names the file and line of the key.
fn model_file(resolved: &scenario::Resolved) -> Result<ModelFile, Problems> {
    let text = toml::to_string(&resolved.value).unwrap_or_default();
    toml::from_str::<ModelFile>(&text).map_err(|e| {
        let message = e.message().trim().replace('\n', " ");
        // Find the key the error is about, then the file of the chain that sets it.
        let key = e
            .span()
            .map(|span| {
                let start = span.start.min(text.len());
                let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
                let to = text[start..].find('\n').map_or(text.len(), |i| start + i);
                text[from..to].to_string()
            })
            .and_then(|l| l.split('=').next().map(|k| k.trim().trim_matches('"').to_string()))
            .filter(|k| !k.is_empty() && !k.starts_with('['))
            .or_else(|| message.split('`').nth(1).map(str::to_string));
        let (file, line) = key
            .as_deref()
            .and_then(|k| resolved.chain.iter().find_map(|(f, t)| line_of_key(t, k).map(|l| (f.clone(), Some(l)))))
            .unwrap_or_else(|| (resolved.chain[0].0.clone(), None));
        Problems(vec![Problem {
            sheet: None,
            file,
            line,
            field: None,
            message: format!("{message} (see models/README.md for the format)"),
        }])
    })
}

/// The path a model file gives for a table, by its key.
fn table_named<'a>(t: &'a model_file::TablesFile, key: &str) -> Option<&'a str> {
    match key {
        "localities" => Some(&t.localities),
        "settings" => Some(&t.settings),
        "setting_needs" => t.setting_needs.as_deref(),
        "demand" => t.demand.as_deref(),
        "road_nodes" => t.road_nodes.as_deref(),
        "road_edges" => t.road_edges.as_deref(),
        "cohort" => t.cohort.as_deref(),
        "forecast_rates" => t.forecast_rates.as_deref(),
        "population" => t.population.as_deref(),
        "current_placements" => t.current_placements.as_deref(),
        "setting_places" => t.setting_places.as_deref(),
        "schemes" => t.schemes.as_deref(),
        "scheme_places" => t.scheme_places.as_deref(),
        "purchasing_options" => t.purchasing_options.as_deref(),
        "purchasing_prices" => t.purchasing_prices.as_deref(),
        "locality_caps" => t.locality_caps.as_deref(),
        "market" => t.market.as_deref(),
        _ => None,
    }
}

/// The model's workbook, if `[tables] workbook` names one, and the tables kept as its
/// sheets, by key: with a workbook, a table named by anything but a `.csv` file is a sheet,
/// named as written (the merged value is a path made relative to the working folder, so the
/// name is taken from the file of the chain that sets it).
fn workbook_sheets(
    resolved: &scenario::Resolved,
    t: &model_file::TablesFile,
    problems: &mut Problems,
) -> (Option<std::cell::RefCell<workbook::Workbook>>, HashMap<String, String>) {
    let Some(path) = &t.workbook else {
        return (None, HashMap::new());
    };
    let book = workbook::Workbook::open(Path::new(path), &tidy(Path::new(path)), problems);
    let mut sheets = HashMap::new();
    for (key, _) in scenario::TABLE_KEYS {
        let written = resolved.chain.iter().find_map(|(_, text)| {
            let value: toml::Table = text.parse().ok()?;
            value.get("tables")?.get(key)?.as_str().map(str::to_string)
        });
        if let Some(name) = written.filter(|w| !w.to_ascii_lowercase().ends_with(".csv")) {
            sheets.insert(key.to_string(), name);
        }
    }
    (Some(std::cell::RefCell::new(book)), sheets)
}

/// Opens tables with the rows a scenario adds and removes.
struct Sources<'a> {
    /// The model file and those it extends, with their text.
    chain: &'a [(PathBuf, String)],
    overrides: &'a scenario::Overrides,
    /// Notes on how the tables opened were read (an encoding assumed).
    notes: std::cell::RefCell<Vec<Problem>>,
    /// Tables kept as sheets of the workbook, by key: the sheet's name.
    sheets: HashMap<String, String>,
    /// The model's workbook, if it has one.
    workbook: Option<std::cell::RefCell<workbook::Workbook>>,
}

impl Sources<'_> {
    /// Where table `name` (named `path` in the model file) is read from.
    fn source(&self, name: &str, path: &Path) -> table::Source {
        match (self.sheets.get(name), &self.workbook) {
            (Some(sheet), Some(book)) => {
                table::Source { file: book.borrow().shown().to_path_buf(), sheet: Some(sheet.clone()) }
            }
            _ => table::Source::csv(&tidy(path)),
        }
    }

    /// Whether a scenario adds rows to this table.
    fn adds(&self, name: &str) -> bool {
        self.overrides.add_rows.iter().any(|a| a.table == name)
    }

    /// Reads table `name` from `path` (if the model names one), adds and removes the rows
    /// scenarios say. `None` when there is nothing usable.
    fn open(
        &self,
        name: &str,
        path: Option<&Path>,
        required: &[&str],
        optional: &[&str],
        problems: &mut Problems,
    ) -> Option<Table> {
        let mut table = match (self.sheets.get(name), &self.workbook) {
            (Some(sheet), Some(book)) => book.borrow_mut().table(name, sheet, (required, optional), problems),
            // `/` or `..`: a folder, named at the key that names it (it has no file name).
            _ if path.is_some_and(|p| p.file_name().is_none()) => {
                let (file, line) = self
                    .chain
                    .iter()
                    .find_map(|(f, t)| line_of_key(t, name).map(|l| (f.clone(), Some(l))))
                    .unwrap_or_else(|| (self.chain[0].0.clone(), None));
                let written = path.map(|p| p.display().to_string()).unwrap_or_default();
                problems.push(Problem {
                    file,
                    line,
                    field: Some(format!("tables.{name}")),
                    message: format!("{} is a folder: expected a CSV file", quoted(&written)),
                    sheet: None,
                });
                return None;
            }
            _ => path.and_then(|p| Table::read(p, &tidy(p), required, optional, problems)),
        };
        if let Some(t) = &mut table {
            self.notes.borrow_mut().append(&mut t.notes);
        }
        if path.is_some() && table.is_none() {
            return None;
        }
        for add in self.overrides.add_rows.iter().filter(|a| a.table == name) {
            if let Some(mut extra) = Table::read(&add.file, &add.file, required, optional, problems) {
                self.notes.borrow_mut().append(&mut extra.notes);
                match &mut table {
                    Some(t) => t.append(extra),
                    None => table = Some(extra),
                }
            }
        }
        let key = scenario::TABLE_KEYS.iter().find(|(t, _)| *t == name).map_or("id", |(_, k)| *k);
        for rm in self.overrides.remove_rows.iter().filter(|r| r.table == name) {
            let missing = match &mut table {
                Some(t) => t.remove(key, &rm.ids),
                None => rm.ids.clone(),
            };
            for id in missing {
                problems.push(Problem {
                    sheet: None,
                    file: rm.origin.file.clone(),
                    line: rm.origin.line,
                    field: Some("ids".into()),
                    message: format!("remove_rows names '{id}', which is not in the {name} table ({key} column)"),
                });
            }
        }
        table
    }
}

/// What later tables are read against.
pub(crate) struct Tables<'a> {
    src: &'a Sources<'a>,
    codes: &'a Codes<'a>,
    localities: &'a [Locality],
    settings: &'a [Setting],
    locality_ids: &'a Ids,
    setting_ids: &'a Ids,
}

impl Tables<'_> {
    /// The locality a row's `locality` cell names.
    fn locality_at(&self, row: &table::Row<'_>, problems: &mut Problems) -> Option<usize> {
        reference(row, "locality", self.locality_ids, "a locality id in the localities table", problems)
    }

    /// The setting a row's `column` names.
    fn setting_at(&self, row: &table::Row<'_>, column: &str, problems: &mut Problems) -> Option<usize> {
        reference(row, column, self.setting_ids, "a setting id in the settings table", problems)
    }

    /// `tables.locality_caps`: most children from a locality at a setting (columns
    /// `setting`, `locality`, `max_children`), one row per pair.
    fn locality_caps(&self, path: Option<&Path>, problems: &mut Problems) -> Vec<LocalityCap> {
        let required = ["setting", "locality", "max_children"];
        let Some(table) = self.src.open("locality_caps", path, &required, &[], problems) else {
            return Vec::new();
        };
        let mut caps = Vec::new();
        let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
        for row in table.rows() {
            let setting = self.setting_at(&row, "setting", problems);
            let locality = self.locality_at(&row, problems);
            let max = row.count("max_children", problems);
            let (Some(s), Some(l), Some(max_children)) = (setting, locality, max) else {
                continue;
            };
            if let Some(first) = first_line(&mut seen, (s, l), row.line) {
                problems.push(row.row_problem(format!(
                    "duplicate cap for setting '{}' and locality '{}': first at line {first}",
                    row.text("setting"),
                    row.text("locality")
                )));
                continue;
            }
            caps.push(LocalityCap { setting: SettingIx(s), locality: LocalityIx(l), max_children });
        }
        caps
    }
}

/// Declared codes, for resolving table cells.
struct Codes<'a> {
    needs: &'a [String],
    phases: &'a [String],
    /// Codes declared but refused: a cell naming one is not a second problem.
    rejected: Vec<String>,
}

impl Codes<'_> {
    /// Whether a cell's code, not declared, is explained by a problem with the declaration.
    fn explained(&self, declared: &[String], text: &str) -> bool {
        declared.is_empty() || self.rejected.iter().any(|c| c.eq_ignore_ascii_case(text))
    }

    /// A cell of needs: `all` or codes separated by ';'.
    fn needs_at(&self, row: &table::Row<'_>, column: &str, problems: &mut Problems) -> Option<CodeSet> {
        let explained = |t: &str| self.explained(self.needs, t);
        code_list(row, column, (self.needs, &explained), |t| self.need(t), Need::index, problems)
    }

    /// A cell of phases: `all` or codes separated by ';'.
    fn phases_at(&self, row: &table::Row<'_>, column: &str, problems: &mut Problems) -> Option<CodeSet> {
        let explained = |t: &str| self.explained(self.phases, t);
        code_list(row, column, (self.phases, &explained), |t| self.phase(t), Phase::index, problems)
    }

    /// The need in a cell, or a problem naming the declared ones.
    fn need_at(&self, row: &table::Row<'_>, column: &str, problems: &mut Problems) -> Option<Need> {
        let text = row.text(column);
        let need = self.need(text);
        if need.is_none() && !self.explained(self.needs, text) {
            let expected = self.needs.join(", ");
            problems.push(
                row.problem(column, format!("{} is not a declared need: expected one of {expected}", quoted(text))),
            );
        }
        need
    }

    /// The phase in a cell, or a problem naming the declared ones.
    fn phase_at(&self, row: &table::Row<'_>, column: &str, problems: &mut Problems) -> Option<Phase> {
        let text = row.text(column);
        let phase = self.phase(text);
        if phase.is_none() && !self.explained(self.phases, text) {
            let expected = self.phases.join(", ");
            problems.push(
                row.problem(column, format!("{} is not a declared phase: expected one of {expected}", quoted(text))),
            );
        }
        phase
    }

    fn need(&self, text: &str) -> Option<Need> {
        self.needs.iter().position(|c| c.eq_ignore_ascii_case(text)).map(Need)
    }
    fn phase(&self, text: &str) -> Option<Phase> {
        self.phases.iter().position(|c| c.eq_ignore_ascii_case(text)).map(Phase)
    }
}

/// Checks on the model file itself.
pub(crate) struct Loader<'a> {
    chain: &'a [(PathBuf, String)],
    problems: &'a mut Problems,
}

impl Loader<'_> {
    /// A problem with a key of the model file: named at the file of the chain that sets it.
    fn problem(&mut self, key: &str, message: String) {
        let (file, line) = self
            .chain
            .iter()
            .find_map(|(f, t)| line_of_key(t, key).map(|l| (f.clone(), Some(l))))
            .unwrap_or_else(|| (self.chain[0].0.clone(), None));
        self.problems.push(Problem { sheet: None, file, line, field: Some(key.to_string()), message });
    }

    /// The codes declared under `key` (else `default`), and those refused (invalid, or
    /// beyond the [`MAX_CODES`] a model can hold), each refusal a problem.
    fn codes(&mut self, key: &str, declared: Option<&[String]>, default: &[&str]) -> (Vec<String>, Vec<String>) {
        let Some(declared) = declared else {
            return (default.iter().map(|s| (*s).to_string()).collect(), Vec::new());
        };
        let mut out: Vec<String> = Vec::new();
        let mut refused = Vec::new();
        for code in declared {
            if !is_valid_id(code) {
                self.problem(
                    key,
                    format!(
                        "{} is not a valid code: expected letters, digits, '-', '_' or '.', at most 64 characters",
                        quoted(code)
                    ),
                );
                refused.push(code.clone());
            } else if out.iter().any(|c| c.eq_ignore_ascii_case(code)) {
                self.problem(key, format!("{} is declared twice", quoted(code)));
            } else {
                out.push(code.clone());
            }
        }
        if out.is_empty() {
            self.problem(key, "declares no codes: expected at least one".into());
        }
        if out.len() > MAX_CODES {
            self.problem(key, format!("declares {} codes: at most {MAX_CODES} are supported", out.len()));
            refused.extend(out.split_off(MAX_CODES));
        }
        (out, refused)
    }

    fn phases(&mut self, codes: &[String], limits: &std::collections::BTreeMap<String, f64>) -> Vec<PhaseInfo> {
        for (key, minutes) in limits {
            if !codes.iter().any(|c| c.eq_ignore_ascii_case(key)) {
                self.problem(
                    key,
                    format!(
                        "max_journey_minutes names phase '{key}', which is not declared: expected one of {}",
                        codes.join(", ")
                    ),
                );
            } else if !(minutes.is_finite() && *minutes > 0.0) {
                self.problem(
                    key,
                    format!("max_journey_minutes for '{key}' is {minutes}: expected a positive number of minutes"),
                );
            }
        }
        codes
            .iter()
            .map(|code| {
                let given = limits.iter().find(|(k, _)| k.eq_ignore_ascii_case(code)).map(|(_, v)| *v);
                let default = DEFAULT_PHASES.iter().find(|(c, _)| *c == code).map(|(_, m)| *m);
                let minutes = given.or(default).unwrap_or_else(|| {
                    // Named where the phase is declared (only a declared phase has no default).
                    self.problem("phases", format!("phase {} has no maximum journey: add `{code} = MINUTES` under [policy.max_journey_minutes]", quoted(code)));
                    0.0
                });
                PhaseInfo { code: code.clone(), max_journey_minutes: minutes }
            })
            .collect()
    }

    /// A non-negative (or positive) amount from the model file.
    fn amount(&mut self, key: &str, value: Option<f64>, default: f64, positive: bool) -> f64 {
        let v = value.unwrap_or(default);
        let ok = v.is_finite() && v <= 1e12 && if positive { v > 0.0 } else { v >= 0.0 };
        if !ok {
            let expected = if positive { "a number above 0" } else { "a number of at least 0" };
            self.problem(key, format!("{v}: expected {expected} and at most 1,000,000,000,000"));
        }
        v
    }

    /// `[uplift]`: rises a year, from -0.2 to 0.5 (0.05 is 5%); none unless given.
    fn uplift(&mut self, file: &ModelFile) -> Uplift {
        let u = &file.uplift;
        let mut rate = |key: &str, value: Option<f64>| {
            let v = value.unwrap_or(0.0);
            if !(v.is_finite() && (-0.2..=0.5).contains(&v)) {
                self.problem(key, format!("{v}: expected a rise a year from -0.2 to 0.5 (0.05 is 5%)"));
            }
            v
        };
        Uplift {
            default: rate("default", u.default),
            independent: rate("independent", u.independent),
            transport: rate("transport", u.transport),
        }
    }

    fn policy(&mut self, file: &ModelFile) -> Policy {
        let p = &file.policy;
        let objective = match p.objective {
            None | Some(ObjectiveFile::Weighted) => ObjectiveMode::Weighted,
            Some(ObjectiveFile::Lexicographic) => ObjectiveMode::Lexicographic,
        };
        Policy {
            objective,
            out_of_borough_weight: Money(self.amount("out_of_borough_weight", p.out_of_borough_weight, 0.0, false)),
            unmet_penalty: Money(self.amount("unmet_penalty", p.unmet_penalty, DEFAULT_UNMET_PENALTY, true)),
        }
    }

    fn transport(&mut self, file: &ModelFile) -> TransportCosts {
        let t = &file.transport;
        let circuity = self.amount("circuity", t.circuity, 1.3, true);
        if circuity < 1.0 {
            self.problem(
                "circuity",
                format!("{circuity}: expected at least 1 (roads are never shorter than a straight line)"),
            );
        }
        TransportCosts {
            fixed_per_child: Money(self.amount("fixed_per_child", t.fixed_per_child, 1_500.0, false)),
            cost_per_km: Money(self.amount("cost_per_km", t.cost_per_km, 0.9, false)),
            cost_per_minute: Money(self.amount("cost_per_minute", t.cost_per_minute, 0.0, false)),
            journeys_per_day: self.amount("journeys_per_day", t.journeys_per_day, 2.0, false),
            school_days: self.amount("school_days", t.school_days, 190.0, false),
            circuity,
            average_speed_kmh: self.amount("average_speed_kmh", t.average_speed_kmh, 40.0, true),
            max_access_km: self.amount("max_access_km", t.max_access_km, 15.0, true),
        }
    }
}

fn position(row: &table::Row<'_>, problems: &mut Problems) -> Option<Point<f64>> {
    let lat = row.number_in("latitude", -90.0, 90.0, problems);
    let lon = row.number_in("longitude", -180.0, 180.0, problems);
    Some(Point::new(lon?, lat?))
}

/// The ids of a table's rows, for resolving references to them, and what is known of the
/// rows that could not be read.
///
/// One mistake is one problem: a reference to a row that had a problem of its own (a
/// locality with a bad latitude), or to a table that could not be read at all, is left
/// unresolved without a second problem. The first problem already stops the load, so
/// nothing is silently dropped; once it is fixed, any reference still wrong is reported.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    index: HashMap<String, usize>,
    /// Ids (as written) of rows that had problems.
    rejected: std::collections::HashSet<String>,
    /// The table could not be read (a problem says why).
    unreadable: bool,
}

impl Ids {
    /// The ids of a table that could not be read.
    fn unreadable() -> Ids {
        Ids { unreadable: true, ..Ids::default() }
    }

    /// Adds the id of the next row read.
    fn add(&mut self, id: &str) {
        let n = self.index.len();
        self.index.entry(id.to_string()).or_insert(n);
    }

    /// Records the id (as written) of a row that had problems.
    fn reject(&mut self, id: &str) {
        if !self.index.contains_key(id) {
            self.rejected.insert(id.to_string());
        }
    }

    /// The position of `id`'s row.
    fn get(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Whether `id` is a row read.
    fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Whether a reference to `id`, not found, is already explained by another problem.
    fn explained(&self, id: &str) -> bool {
        self.unreadable || self.rejected.contains(id)
    }

    /// Whether every row of the table was read.
    fn complete(&self) -> bool {
        !self.unreadable && self.rejected.is_empty()
    }
}

/// The row a cell refers to in another table, or a problem naming that table (unless the
/// row or table referred to has a problem of its own: see [`Ids`]).
fn reference(row: &table::Row<'_>, column: &str, ids: &Ids, what: &str, problems: &mut Problems) -> Option<usize> {
    let text = row.text(column);
    let found = ids.get(text);
    if found.is_none() && !ids.explained(text) {
        problems.push(row.problem(column, format!("{} is not {what}", quoted(text))));
    }
    found
}

/// The line a key was first seen at, if it was; else `None`, and the key is remembered at
/// `line` (a repeat keeps the first line, so a third copy still names the first).
pub(crate) fn first_line<K: std::hash::Hash + Eq>(seen: &mut HashMap<K, usize>, key: K, line: usize) -> Option<usize> {
    match seen.entry(key) {
        std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(line);
            None
        }
    }
}

/// Records the first line of each id; a later duplicate is a problem.
fn first_use(
    seen: &mut HashMap<String, usize>,
    id: &str,
    row: &table::Row<'_>,
    column: &str,
    problems: &mut Problems,
) -> bool {
    if let Some(first) = seen.get(id) {
        problems.push(row.problem(column, format!("duplicate id '{id}': first used at line {first}")));
        false
    } else {
        seen.insert(id.to_string(), row.line);
        true
    }
}

fn read_localities(src: &Sources<'_>, path: &Path, problems: &mut Problems) -> (Vec<Locality>, Vec<usize>, Ids) {
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let Some(table) =
        src.open("localities", Some(path), &["id", "name", "latitude", "longitude", "in_borough"], &[], problems)
    else {
        return (out, lines, Ids::unreadable());
    };
    let mut ids = Ids::default();
    let mut seen = HashMap::new();
    for row in table.rows() {
        let id = row.id("id", problems);
        let name = row.name("name", problems);
        let position = position(&row, problems);
        let in_borough = row.yes_no("in_borough", problems);
        let (Some(id), Some(name), Some(position), Some(in_borough)) = (id, name, position, in_borough) else {
            ids.reject(row.text("id"));
            continue;
        };
        if first_use(&mut seen, &id, &row, "id", problems) {
            ids.add(&id);
            out.push(Locality { id, name, position, in_borough });
            lines.push(row.line);
        }
    }
    for id in table.broken_cells("id") {
        ids.reject(id);
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(Problem::file(&tidy(path), "has no localities: expected at least one row"));
    }
    (out, lines, ids)
}

/// Whether a code, not declared, is explained by a problem already reported.
type Explained<'a> = dyn Fn(&str) -> bool + 'a;

/// A `;`-separated list of codes, or `all`.
fn code_list<T>(
    row: &table::Row<'_>,
    column: &str,
    (declared, explained): (&[String], &Explained<'_>),
    resolve: impl Fn(&str) -> Option<T>,
    index: impl Fn(T) -> usize,
    problems: &mut Problems,
) -> Option<CodeSet> {
    let text = row.text(column);
    if text.eq_ignore_ascii_case("all") {
        return Some(CodeSet::all(declared.len()));
    }
    let mut set = CodeSet::default();
    let mut ok = true;
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match resolve(part) {
            Some(code) => set.insert(index(code)),
            None if explained(part) => ok = false,
            None => {
                problems.push(row.problem(
                    column,
                    format!(
                        "{} is not a declared code: expected `all` or codes separated by ';' from {}",
                        quoted(part),
                        declared.join(", ")
                    ),
                ));
                ok = false;
            }
        }
    }
    if ok && set.is_empty() {
        problems.push(row.problem(
            column,
            format!("is empty: expected `all` or codes separated by ';' from {}", declared.join(", ")),
        ));
        ok = false;
    }
    ok.then_some(set)
}

/// The kind of setting in a row's `kind` cell, or a problem naming the kinds.
fn kind_at(row: &table::Row<'_>, problems: &mut Problems) -> Option<SettingKind> {
    let text = row.text("kind");
    let kind = SettingKind::from_code(&text.to_ascii_lowercase());
    if kind.is_none() {
        let kinds: Vec<&str> = SettingKind::ALL.iter().map(|k| k.code()).collect();
        problems.push(row.problem(
            "kind",
            format!("{} is not a kind of setting: expected one of {}", quoted(text), kinds.join(", ")),
        ));
    }
    kind
}

/// A setting's optional `urn` (digits, up to 8) and `ukprn` (8 digits) cells.
fn register_at(row: &table::Row<'_>, problems: &mut Problems) -> Option<crate::model::Register> {
    let mut ok = true;
    let mut read = |column: &str, fits: fn(&str) -> bool, expected: &str| {
        let t = row.text(column);
        if t.is_empty() {
            None
        } else if fits(t) {
            Some(t.to_string())
        } else {
            problems.push(row.problem(column, format!("{} is not a {expected}", quoted(t))));
            ok = false;
            None
        }
    };
    let urn = read(
        "urn",
        |t| (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()),
        "URN: expected the school's unique reference number in digits (e.g. 111505), or blank",
    );
    let ukprn = read(
        "ukprn",
        |t| t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()),
        "UKPRN: expected the provider's 8-digit UK provider reference number (e.g. 10001234), or blank",
    );
    ok.then_some(crate::model::Register { urn, ukprn })
}

fn read_settings(
    src: &Sources<'_>,
    path: &Path,
    codes: &Codes<'_>,
    problems: &mut Problems,
) -> (Vec<Setting>, Vec<usize>, Ids) {
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let required =
        ["id", "name", "kind", "latitude", "longitude", "in_borough", "places", "phases", "needs", "cost_per_place"];
    let Some(table) = src.open("settings", Some(path), &required, &["urn", "ukprn"], problems) else {
        return (out, lines, Ids::unreadable());
    };
    let mut ids = Ids::default();
    let mut seen = HashMap::new();
    for row in table.rows() {
        let id = row.id("id", problems);
        let name = row.name("name", problems);
        let kind = kind_at(&row, problems);
        let position = position(&row, problems);
        let in_borough = row.yes_no("in_borough", problems);
        let places = row.count("places", problems);
        let phases = codes.phases_at(&row, "phases", problems);
        let needs = codes.needs_at(&row, "needs", problems);
        let cost = row.number("cost_per_place", 0.0, problems);
        let register = register_at(&row, problems);
        let (
            Some(id),
            Some(name),
            Some(kind),
            Some(position),
            Some(in_borough),
            Some(places),
            Some(phases),
            Some(needs),
            Some(cost),
            Some(register),
        ) = (id, name, kind, position, in_borough, places, phases, needs, cost, register)
        else {
            ids.reject(row.text("id"));
            continue;
        };
        if kind == SettingKind::IndependentMarket {
            problems.push(row.problem(
                "kind",
                "independent-market is for the steps of the market table (tables.market), not a named setting",
            ));
            ids.reject(&id);
            continue;
        }
        if first_use(&mut seen, &id, &row, "id", problems) {
            ids.add(&id);
            out.push(Setting {
                id,
                name,
                kind,
                position,
                in_borough,
                places,
                phases,
                needs,
                cost_per_place: Money(cost),
                need_terms: Vec::new(),
                market: None,
                register,
            });
            lines.push(row.line);
        }
    }
    for id in table.broken_cells("id") {
        ids.reject(id);
    }
    (out, lines, ids)
}

fn read_setting_needs(
    src: &Sources<'_>,
    path: Option<&Path>,
    codes: &Codes<'_>,
    (index, settings): (&Ids, &mut [Setting]),
    problems: &mut Problems,
) {
    let Some(table) = src.open("setting_needs", path, &["setting", "need"], &["places", "cost_per_place"], problems)
    else {
        return;
    };
    let mut seen: HashMap<(usize, Need), usize> = HashMap::new();
    for row in table.rows() {
        let setting_text = row.text("setting");
        let setting = reference(&row, "setting", index, "a setting id in the settings table", problems);
        let need = codes.need_at(&row, "need", problems);
        let places = row.optional_count("places", problems);
        let cost = row.optional_number("cost_per_place", 0.0, problems);
        let (Some(s), Some(need)) = (setting, need) else {
            continue;
        };
        if !settings[s].needs.contains(need.0) {
            problems.push(row.problem(
                "need",
                format!(
                    "setting '{setting_text}' does not serve {}: add it to the setting's needs or remove this row",
                    codes.needs[need.0]
                ),
            ));
            continue;
        }
        if let Some(first) = first_line(&mut seen, (s, need), row.line) {
            problems.push(row.row_problem(format!(
                "duplicate row for setting '{setting_text}' and need {}: first at line {first}",
                codes.needs[need.0]
            )));
            continue;
        }
        settings[s].need_terms.push(NeedTerms { need, places, cost_per_place: cost.map(Money) });
    }
}

/// A provision cell: blank means any specialist place.
fn provision_at(row: &table::Row<'_>, problems: &mut Problems) -> Option<Provision> {
    match row.text("provision").to_ascii_lowercase().as_str() {
        "" | "any" | "resourced-provision" => Some(Provision::ResourcedProvision),
        "special-school" => Some(Provision::SpecialSchool),
        other => {
            problems.push(row.problem(
                "provision",
                format!(
                    "{} is not a kind of provision: expected blank, resourced-provision or special-school",
                    quoted(other)
                ),
            ));
            None
        }
    }
}

impl Tables<'_> {
    /// The demand table. With `years` (first year, count) its rows need a `year` column
    /// within the horizon; returned with the year's offset.
    fn demand(
        &self,
        path: Option<&Path>,
        years: Option<(SchoolYear, usize)>,
        problems: &mut Problems,
    ) -> Vec<(usize, DemandRow)> {
        let mut out = Vec::new();
        let required: &[&str] = if years.is_some() {
            &["year", "locality", "need", "phase", "children"]
        } else {
            &["locality", "need", "phase", "children"]
        };
        let Some(table) = self.src.open("demand", path, required, &["provision"], problems) else {
            return out;
        };
        if years.is_none() && table.has_column("year") {
            problems.push(table.source.at(1, "has a year column, which needs a [horizon] section in the model file"));
        }
        let mut seen: HashMap<(usize, usize, Need, Phase, Provision), usize> = HashMap::new();
        // Each year's children so far, refused past [`table::MOST_CHILDREN`] at the row that
        // passes it.
        let mut totals: HashMap<usize, f64> = HashMap::new();
        for row in table.rows() {
            let year = match years {
                None => Some(0),
                Some((first, count)) => {
                    let text = row.text("year");
                    match SchoolYear::parse(text) {
                        Some(y) if y >= first && usize::from(y.0 - first.0) < count => Some(usize::from(y.0 - first.0)),
                        _ => {
                            let last = first.plus(count - 1);
                            problems.push(row.problem(
                                "year",
                                format!("{} is not a year of the horizon: expected {first} to {last}", quoted(text)),
                            ));
                            None
                        }
                    }
                }
            };
            let loc_text = row.text("locality");
            let locality = self.locality_at(&row, problems);
            let need = self.codes.need_at(&row, "need", problems);
            let phase = self.codes.phase_at(&row, "phase", problems);
            let provision = provision_at(&row, problems);
            let children = row.count("children", problems);
            let (Some(k), Some(l), Some(need), Some(phase), Some(provision), Some(children)) =
                (year, locality, need, phase, provision, children)
            else {
                continue;
            };
            if let Some(first) = first_line(&mut seen, (k, l, need, phase, provision), row.line) {
                problems.push(row.row_problem(format!(
                    "duplicate demand for {loc_text}, {}, {}, {}: first at line {first}",
                    self.codes.needs[need.0],
                    self.codes.phases[phase.0],
                    provision.code()
                )));
                continue;
            }
            let total = totals.entry(k).or_insert(0.0);
            *total += children;
            if *total > table::MOST_CHILDREN {
                problems.push(row.problem(
                    "children",
                    format!(
                        "takes the year's demand to {} children: expected at most {} in all",
                        text::grouped(total.ceil() as usize),
                        text::grouped(table::MOST_CHILDREN as usize)
                    ),
                ));
                // Reported once, at the row that passes the bound.
                *total = f64::NEG_INFINITY;
            }
            out.push((k, DemandRow { locality: LocalityIx(l), need, phase, provision, children }));
        }
        out
    }
}

fn read_network(
    src: &Sources<'_>,
    node_path: &Path,
    edge_path: &Path,
    transport: &TransportCosts,
    problems: &mut Problems,
) -> Option<RoadNetwork> {
    let before = problems.len();
    let nodes_table = src.open("road_nodes", Some(node_path), &["id", "latitude", "longitude"], &["name"], problems)?;
    let mut nodes = Vec::new();
    let mut index = Ids::default();
    let mut seen = HashMap::new();
    for row in nodes_table.rows() {
        let id = row.id("id", problems);
        let position = position(&row, problems);
        let (Some(id), Some(position)) = (id, position) else {
            index.reject(row.text("id"));
            continue;
        };
        if first_use(&mut seen, &id, &row, "id", problems) {
            index.add(&id);
            nodes.push(RoadNode { id, position });
        }
    }
    for id in nodes_table.broken_cells("id") {
        index.reject(id);
    }
    let edges_table = src.open("road_edges", Some(edge_path), &["from", "to", "minutes"], &["km"], problems)?;
    let mut edges = Vec::new();
    for row in edges_table.rows() {
        let what = "a node id in the road nodes table";
        let from = reference(&row, "from", &index, what, problems);
        let to = reference(&row, "to", &index, what, problems);
        let minutes = row.number("minutes", 0.0, problems);
        let km = row.optional_number("km", 0.0, problems);
        let (Some(from), Some(to), Some(minutes)) = (from, to, minutes) else {
            continue;
        };
        let km = km
            .unwrap_or_else(|| travel::straight_line_km(nodes[from].position, nodes[to].position) * transport.circuity);
        edges.push(RoadEdge { from, to, journey: Journey { minutes, km } });
    }
    if nodes.is_empty() && problems.len() == before {
        problems.push(Problem::file(&tidy(node_path), "has no nodes: expected at least one row"));
    }
    (problems.len() == before).then_some(RoadNetwork { nodes, edges })
}

/// Every locality and setting must lie near the network, and every locality must reach at
/// least one setting along it.
fn check_reach(
    network: &RoadNetwork,
    transport: &TransportCosts,
    (loc_file, localities, loc_lines): (&table::Source, &[Locality], &[usize]),
    (set_file, settings, set_lines): (&table::Source, &[Setting], &[usize]),
    problems: &mut Problems,
) {
    let component = travel::components(network);
    let nodes = travel::NodeFinder::new(network);
    let mut setting_components = std::collections::HashSet::new();
    let limit = transport.max_access_km;
    for (s, line) in settings.iter().zip(set_lines) {
        let (node, km) = nodes.nearest(s.position);
        if km > limit {
            problems.push(set_file.at(*line, format!(
                "setting '{}' is {km:.1} km from the nearest road node ({}): the network cannot reach it; add a node within {limit} km or raise transport.max_access_km",
                s.id, network.nodes[node].id
            )));
        } else {
            setting_components.insert(component[node]);
        }
    }
    for (l, line) in localities.iter().zip(loc_lines) {
        let (node, km) = nodes.nearest(l.position);
        if km > limit {
            problems.push(loc_file.at(*line, format!(
                "locality '{}' is {km:.1} km from the nearest road node ({}): the network cannot reach it; add a node within {limit} km or raise transport.max_access_km",
                l.id, network.nodes[node].id
            )));
        } else if !settings.is_empty() && !setting_components.contains(&component[node]) {
            problems.push(loc_file.at(*line, format!(
                "locality '{}' joins the road network at node '{}', from which no setting can be reached: connect that part of the network",
                l.id, network.nodes[node].id
            )));
        }
    }
}

/// The 1-based line holding byte `offset` of `text`.
fn line_of_offset(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The first line assigning `key` (`key = ...`), if any.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key).or_else(|| l.strip_prefix(&format!("\"{key}\""))).is_some_and(|rest| {
                let rest = rest.trim_start_matches('"').trim_start();
                rest.starts_with('=')
            })
        })
        .map(|i| i + 1)
}

/// `models/../sample-data/x.csv` shown as `sample-data/x.csv`.
fn tidy(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() { PathBuf::from(".") } else { out.iter().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_with_more_arcs_than_memory_allows_is_refused_with_its_size() {
        // tiny_model: one demand row of 4 children within reach of 2 settings: 2 arcs.
        let model = crate::testing::tiny_model();
        assert_eq!(crate::travel::estimated_arcs(&model), 2.0);
        assert!(too_big(&model, 2.0).is_none());
        let p = too_big(&model, 1.0).expect("refused");
        assert!(
            p.message
                .starts_with("1 localities and 2 settings within reach of each other make about 0 million placements")
                && p.message.contains("expected at most 0 million; group localities into larger areas"),
            "{}",
            p.message
        );
    }

    #[test]
    fn paths_are_shown_without_dot_dot() {
        assert_eq!(tidy(Path::new("models/../sample-data/a.csv")), PathBuf::from("sample-data/a.csv"));
        assert_eq!(tidy(Path::new("../x/./a.csv")), PathBuf::from("../x/a.csv"));
    }

    #[test]
    fn key_lines_are_found() {
        let text = "name = \"x\"\n[policy]\n  unmet_penalty = 5\n";
        assert_eq!(line_of_key(text, "unmet_penalty"), Some(3));
        assert_eq!(line_of_key(text, "absent"), None);
        assert_eq!(line_of_offset(text, 12), 2);
    }
}
