//! Reading a model from its file, in one pass: the model file's own values, then each table
//! it names, then the model assembled; every problem found is returned together.

use std::path::{Path, PathBuf};

use super::codes::Codes;
use super::horizon::HorizonHead;
use super::model_file::{ModelFile, TablesFile};
use super::network::read_network;
use super::reach::check_reach;
use super::schema::{Named, TABLES};
use super::settings::{read_localities, read_setting_needs, read_settings};
use super::sources::{Sources, workbook_sheets};
use super::{
    LONGEST_DESCRIPTION, Loader, Problem, Problems, Tables, areas, horizon, keys, line_of_key, market, note_read,
    purchasing, scenario, schemes, sen2, table, text, tidy, transport_options,
};
use crate::model::{
    AnnexSettings, DEFAULT_PHASES, DFE_NEED_CODES, DemandRow, Horizon, Locality, Model, NeedByYear, PhaseInfo, Policy,
    SchoolYear, TransportCosts, Uplift,
};

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

    let FileValues { needs, phase_codes, rejected, phases, policy, transport, uplift, horizon_head, single_year } =
        file_values(&file, variant, &mut loader);
    let risk = loader.risk(&file);

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
    let (localities, locality_lines, locality_ids) =
        read_localities(&src, Path::new(t.always("localities")), &mut problems);
    let (mut settings, setting_lines, setting_ids) =
        read_settings(&src, Path::new(t.always("settings")), &codes, &localities, &mut problems);
    if t.get("setting_needs").is_some() || src.adds("setting_needs") {
        let ids = (&setting_ids, &mut settings[..]);
        read_setting_needs(&src, t.get("setting_needs").map(Path::new), &codes, ids, &mut problems);
    }
    let network = match (t.get("road_nodes"), t.get("road_edges")) {
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
            (&src.source("localities", Path::new(t.always("localities"))), &localities, &locality_lines),
            (&src.source("settings", Path::new(t.always("settings"))), &settings, &setting_lines),
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
    let (demand, horizon) =
        read_need(horizon_head.as_ref(), t, &tables, &mut Loader { chain, problems: &mut problems });

    let appraisal = Loader { chain, problems: &mut problems }.appraisal(&file.appraisal);
    let high_needs = file.high_needs.as_ref().and_then(|h| Loader { chain, problems: &mut problems }.high_needs(h));
    let window = match &horizon_head {
        Some(h) => Some((h.first_year, h.years)),
        None => single_year.map(|y| (y, 1)),
    };
    let (annex, area_notes) = read_annex(&file, &localities, window, &mut Loader { chain, problems: &mut problems });

    let schemes = schemes::read(
        &tables,
        (t.get("schemes").map(Path::new), t.get("scheme_places").map(Path::new)),
        window,
        &mut Loader { chain, problems: &mut problems },
    );

    let transport_options = transport_options::read(&tables, t.get("transport_options").map(Path::new), &mut problems);

    // The market is read before the options, which may cover its steps.
    let problems_before_market = problems.len();
    let market = if t.get("market").is_some() || src.adds("market") {
        let taken: Vec<String> = settings.iter().map(|s| s.id.clone()).collect();
        let longest = phases.iter().map(|p| p.max_journey_minutes).fold(0.0, f64::max);
        market::read(
            &src,
            t.get("market").map(Path::new),
            &codes,
            (&localities, &transport, &taken, longest),
            &mut problems,
        )
    } else {
        Vec::new()
    };
    let purchasing = purchasing::read(
        &tables,
        (t.get("purchasing_options").map(Path::new), t.get("purchasing_prices").map(Path::new)),
        (&market, problems.len() == problems_before_market),
        &mut Loader { chain, problems: &mut problems },
    );
    let locality_caps = if t.get("locality_caps").is_some() || src.adds("locality_caps") {
        tables.locality_caps(t.get("locality_caps").map(Path::new), &mut problems)
    } else {
        Vec::new()
    };

    if !problems.is_empty() {
        return Err(problems);
    }
    let sources = sources_read(path, &resolved, &file, &src);

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
        transport_options,
        annex,
        uplift,
        high_needs,
        risk,
    };
    // A cohort model's base-year demand is projected where it is needed
    // (`crate::planning::ready`), as is the check of its size.
    model.horizon = horizon;
    model.count_in_child_units();
    Ok(model)
}

/// The model file's own values, checked: the needs and phases declared (and those refused),
/// journey limits, policy, transport costs, uplift, and the years planned.
struct FileValues {
    needs: Vec<String>,
    phase_codes: Vec<String>,
    /// Codes declared but refused.
    rejected: Vec<String>,
    phases: Vec<PhaseInfo>,
    policy: Policy,
    transport: TransportCosts,
    uplift: Uplift,
    /// The `[horizon]` section, checked (with the variant asked for).
    horizon_head: Option<HorizonHead>,
    /// A single-year model's planning year.
    single_year: Option<SchoolYear>,
}

/// Checks the model file's own values, in the order they are written.
fn file_values(file: &ModelFile, variant: Option<&str>, loader: &mut Loader<'_>) -> FileValues {
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
    let policy = loader.policy(file);
    let transport = loader.transport(file);
    let uplift = loader.uplift(file);
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
    FileValues { needs, phase_codes, rejected, phases, policy, transport, uplift, horizon_head, single_year }
}

/// The model's need: a single-year model's demand, or a multi-year model's need by year
/// (with its first year's demand, when given year by year).
fn read_need(
    horizon_head: Option<&HorizonHead>,
    t: &TablesFile,
    tables: &Tables<'_>,
    loader: &mut Loader<'_>,
) -> (Vec<DemandRow>, Option<Horizon>) {
    match horizon_head {
        None => {
            for key in TABLES.iter().filter(|s| s.named == Named::MultiYear).map(|s| s.key) {
                if t.get(key).is_some() {
                    loader.problem(key, format!("tables.{key} is for a multi-year model: add a [horizon] section"));
                }
            }
            let demand = match t.get("demand") {
                Some(d) => {
                    tables.demand(Some(Path::new(d)), None, loader.problems).into_iter().map(|(_, r)| r).collect()
                }
                None => {
                    loader
                        .problem("tables.demand", "is missing: expected demand = \"demand.csv\" under [tables]".into());
                    Vec::new()
                }
            };
            (demand, None)
        }
        Some(head) => match horizon::assemble(head, t, tables, loader) {
            Some(h) => {
                let first = match &h.need {
                    NeedByYear::Direct(years) => years.first().cloned().unwrap_or_default(),
                    NeedByYear::Cohort { .. } => Vec::new(),
                };
                (first, Some(h))
            }
            None => (Vec::new(), None),
        },
    }
}

/// `[annex]`: how the annex is published, the council's commentary, the localities' areas
/// and the DfE's caseload for the years planned (`window`: first year and count); with the
/// notes on how the areas were read.
fn read_annex(
    file: &ModelFile,
    localities: &[Locality],
    window: Option<(SchoolYear, usize)>,
    loader: &mut Loader<'_>,
) -> (AnnexSettings, Vec<Problem>) {
    let mut annex = loader.annex(&file.annex);
    // With `[risk]`, the annex shows the chosen schemes over futures unless told otherwise.
    if file.risk.is_some() && file.annex.risk_draws.is_none() {
        annex.risk_draws = crate::model::DEFAULT_RISK_DRAWS;
    }
    annex.commentary = read_commentary(&file.annex.commentary, loader.problems);
    let mut area_notes = Vec::new();
    match (&file.annex.areas, &file.annex.area_name) {
        (Some(p), name) => {
            annex.areas = areas::read(Path::new(p), name.as_deref(), localities, loader.problems, &mut area_notes);
        }
        (None, Some(_)) => loader.problem(
            "area_name",
            "names the property of areas, but [annex] has no areas file: expected areas = \"areas.geojson\" too".into(),
        ),
        (None, None) => {}
    }
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
            Err(mut wrong) => loader.problems.0.append(&mut wrong.0),
        }
    }
    (annex, area_notes)
}

/// The files the model was read from, as its reports list them: the model file and those it
/// extends, each table named (a CSV file or a sheet), rows added, the areas.
fn sources_read(path: &Path, resolved: &scenario::Resolved, file: &ModelFile, src: &Sources<'_>) -> Vec<String> {
    let mut sources = vec![tidy(path).display().to_string()];
    for (p, _) in resolved.chain.iter().skip(1) {
        sources.push(p.display().to_string());
    }
    for key in TABLES.iter().map(|s| s.key) {
        if let Some(rel) = file.tables.get(key) {
            sources.push(src.source(key, Path::new(rel)).describe());
        }
    }
    for add in &resolved.overrides.add_rows {
        sources.push(add.file.display().to_string());
    }
    if let Some(p) = &file.annex.areas {
        sources.push(tidy(Path::new(p)).display().to_string());
    }
    sources
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
///
/// # Errors
/// Every problem found in any of them, in the order given.
pub fn gather(loads: impl Iterator<Item = Result<Model, Problems>>) -> Result<Vec<Model>, Problems> {
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
pub(super) fn model_file(resolved: &scenario::Resolved) -> Result<ModelFile, Problems> {
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

/// Largest commentary file, in bytes.
const LARGEST_COMMENTARY: u64 = 1_000_000;

/// The council's commentary files (`[annex.commentary]`, paths already relative to the
/// model's folder), read as the model files are: regular files of at most 1 MB, UTF-8 or
/// Windows-1252. In the order of [`crate::model::COMMENTARY_SECTIONS`].
pub(super) fn read_commentary(
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
