//! Property tests of the loaders: whatever bytes a planner's files hold, reading a model
//! never panics, and either every problem names its file and line (or is one of the few
//! about a file or the model as a whole) on one line in planners' words, or the model
//! passes what `sufficiency check` checks.
//!
//! Two small worlds, each a folder of files on tmpfs (where there is one) written once:
//! a single-year model with every single-year table (the tiny fixture's, with a market,
//! locality caps, transport options and the council's boundaries of its localities), and a
//! scenario over a multi-year model with every multi-year table (cohort, rates, population,
//! current placements, places by year, schemes). Each case writes one file and reads the
//! model through the library's `check`.
//!
//! Run alone with `cargo test --test loaders_prop`; the number of cases of each property is
//! in its `ProptestConfig` (over 100,000 in all).

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::Config as ProptestConfig;

use sufficiency::Error;
use sufficiency::model::input::Problem;

#[path = "prop/mutate.rs"]
mod mutate;
use mutate::{Mutation, WORDS, apply, mutated, mutation};

/// A folder of model files, and each file's first text.
struct World {
    dir: tempfile::TempDir,
    /// The model file read.
    model: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    /// The file a case changed, to put back before the next case.
    changed: RefCell<Option<usize>>,
}

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny");

const MARKET: &str =
    "id,name,needs,phases,places,cost_per_place,journey_minutes,journey_km,residence,transport_per_child
market-day,Independent day places,all,all,10,62000,40,30,day,
market-52,Residential places,SEMH;ASD,secondary;post-16,,150000,90,,52-week,3000
";

const TRANSPORT: &str = "id,name,kind,needs,phases,take_up,cost_per_child,lasts_years,per_mile,saving_share
train,Travel training,travel-training,,secondary;post-16,0.1,3000,2,,
budget,Personal budgets,personal-budget,ASD;SEMH,,0.15,,,1.00,
shared,Shared routes,shared-route,,,0.3,,,,0.25
";

const CAPS: &str = "setting,locality,max_children\nnear,crewe,3\nunit,nantwich,2\n";

const POPULATION: &str = "locality,year,year_group,population
crewe,2025/26,R,900
crewe,2026/27,R,910
nantwich,2025/26,7,400
";

const SINGLE_MODEL: &str = r#"# Every single-year table.
name = "Tiny, every table"
planning_year = "2025/26"
needs = ["ASD", "SEMH", "SLCN"]

[tables]
localities = "localities.csv"
settings = "settings.csv"
setting_needs = "setting_needs.csv"
demand = "demand.csv"
road_nodes = "road_nodes.csv"
road_edges = "road_edges.csv"
market = "market.csv"
locality_caps = "locality_caps.csv"
purchasing_options = "purchasing_options.csv"
purchasing_prices = "purchasing_prices.csv"
transport_options = "transport_options.csv"

[policy]
out_of_borough_weight = 5000
unmet_penalty = 1000000

[policy.max_journey_minutes]
primary = 45

[transport]
fixed_per_child = 1000
cost_per_km = 1.0

[uplift]
default = 0.02

[annex]
areas = "areas.geojson"
"#;

const HORIZON_MODEL: &str = r#"# Every multi-year table.
name = "Tiny over three years"
needs = ["ASD", "SEMH", "SLCN", "MLD"]
phases = ["early-years", "primary", "secondary", "post-16"]

[horizon]
first_year = "2025/26"
years = 3
variant = "central"

[tables]
localities = "localities.csv"
settings = "settings.csv"
setting_needs = "setting_needs.csv"
cohort = "cohort.csv"
forecast_rates = "forecast_rates.csv"
population = "population.csv"
current_placements = "current_placements.csv"
setting_places = "setting_places.csv"
road_nodes = "road_nodes.csv"
road_edges = "road_edges.csv"
schemes = "schemes.csv"
scheme_places = "scheme_places.csv"

[policy]
unmet_penalty = 1000000

[appraisal]
variants = ["central", "high"]
discount_rate = 0.035

[annex]
suppression_threshold = 5
"#;

const SCENARIO: &str = r#"extends = "horizon.toml"
name = "A new unit"

[policy]
out_of_borough_weight = 20000

[[add_rows]]
table = "settings"
file = "extra-settings.csv"

[[remove_rows]]
table = "setting_places"
ids = ["near"]

[[places]]
setting = "unit"
from_year = "2027/28"
places = 0
"#;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURE).join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

impl World {
    fn new(model: &'static str, files: Vec<(&'static str, Vec<u8>)>) -> World {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("temp dir");
        for (name, bytes) in &files {
            std::fs::write(dir.path().join(name), bytes).expect("write");
        }
        let world = World { dir, model, files, changed: RefCell::new(None) };
        // The worlds are sound before anything is changed.
        if let Err(e) = world.check() {
            panic!("{e}");
        }
        world
    }

    fn single() -> World {
        let mut files: Vec<(&str, Vec<u8>)> = [
            "localities.csv",
            "settings.csv",
            "setting_needs.csv",
            "demand.csv",
            "road_nodes.csv",
            "road_edges.csv",
            "purchasing_options.csv",
            "purchasing_prices.csv",
            "areas.geojson",
        ]
        .into_iter()
        .map(|n| (n, fixture(n)))
        .collect();
        files.push(("market.csv", MARKET.into()));
        files.push(("locality_caps.csv", CAPS.into()));
        files.push(("transport_options.csv", TRANSPORT.into()));
        files.push(("model.toml", SINGLE_MODEL.into()));
        World::new("model.toml", files)
    }

    fn horizon() -> World {
        let mut files: Vec<(&str, Vec<u8>)> = [
            "localities.csv",
            "settings.csv",
            "setting_needs.csv",
            "cohort.csv",
            "forecast_rates.csv",
            "current_placements.csv",
            "setting_places.csv",
            "road_nodes.csv",
            "road_edges.csv",
            "schemes.csv",
            "scheme_places.csv",
            "extra-settings.csv",
        ]
        .into_iter()
        .map(|n| (n, fixture(n)))
        .collect();
        files.push(("population.csv", POPULATION.into()));
        files.push(("horizon.toml", HORIZON_MODEL.into()));
        files.push(("scenario.toml", SCENARIO.into()));
        World::new("scenario.toml", files)
    }

    /// The tables (every file but the model files).
    fn tables(&self) -> Vec<usize> {
        (0..self.files.len()).filter(|&i| !self.files[i].0.ends_with(".toml")).collect()
    }

    /// The model files.
    fn model_files(&self) -> Vec<usize> {
        (0..self.files.len()).filter(|&i| self.files[i].0.ends_with(".toml")).collect()
    }

    /// Writes `bytes` as file `i` (after putting back the file the last case changed).
    fn write(&self, i: usize, bytes: &[u8]) {
        if let Some(last) = self.changed.borrow_mut().take() {
            let (name, original) = &self.files[last];
            std::fs::write(self.dir.path().join(name), original).expect("write");
        }
        std::fs::write(self.dir.path().join(self.files[i].0), bytes).expect("write");
        *self.changed.borrow_mut() = Some(i);
    }

    /// Reads the model as `sufficiency check` does, and holds its outcome to the rule.
    fn check(&self) -> Result<(), String> {
        let path: PathBuf = self.dir.path().join(self.model);
        match sufficiency::commands::checked(&path) {
            Ok(_) => Ok(()),
            Err(Error::Input(problems)) => {
                if problems.is_empty() {
                    return Err("refused with no problem".into());
                }
                for p in problems.iter() {
                    self.locates(p)?;
                }
                Ok(())
            }
            Err(other) => Err(format!("not an input problem: {other}")),
        }
    }

    /// Whether `p` names one of the world's files and a line of it (or is about a file or
    /// the model as a whole), on one line, in planners' words.
    fn locates(&self, p: &Problem) -> Result<(), String> {
        let shown = p.to_string();
        let fail = |why: &str| Err(format!("{why}: {shown}"));
        let name = p.file.file_name().and_then(|n| n.to_str());
        let Some(i) = name.and_then(|name| self.files.iter().position(|(n, _)| *n == name)) else {
            // A path a model file names that is not there (or not a file) is named as written,
            // even one with no file name (`areas = "/"`: "/: is not a regular file").
            let unusable = ["cannot read the file", "is not a regular file", "is a folder"];
            if p.line.is_none() && unusable.iter().any(|u| p.message.starts_with(u)) {
                return Ok(());
            }
            return fail(if name.is_none() { "no file name" } else { "not a file of the model" });
        };
        let name = self.files[i].0;
        if shown.lines().count() != 1 || shown.chars().count() > 1_200 {
            return fail("not one short line");
        }
        if !shown.starts_with(&p.file.display().to_string()) {
            return fail("does not start with its file");
        }
        // Words quoted from the file itself are the planner's, not the program's (random bytes
        // spell `i64` in about one run in ten of `any_bytes_as_a_table`).
        let written = std::fs::read(self.dir.path().join(name)).unwrap_or_default();
        let in_file = |word: &str| written.windows(word.len()).any(|w| w == word.as_bytes());
        for jargon in
            ["invalid type", "f64", "i64", "usize", "expected a map", "sequence", "unknown field", "unknown variant"]
        {
            if shown.contains(jargon) && !in_file(jargon) {
                return fail("programmer's words");
            }
        }
        match p.line {
            Some(line) => {
                let text = std::fs::read(self.dir.path().join(name)).expect("read");
                let lines = text.split(|&b| b == b'\n' || b == b'\r').count().max(1);
                if line == 0 || line > lines {
                    return fail(&format!("line {line} of a file of {lines} lines"));
                }
                if !shown.contains(&format!(":{line}:")) {
                    return fail("line not shown");
                }
                Ok(())
            }
            None if about_the_whole(p, self.files[i].0) => Ok(()),
            None => fail("no line, and not about the file as a whole"),
        }
    }
}

/// Problems that are about a file or the model as a whole, so name no line: a file that
/// cannot be used at all or has no rows, a key the model file lacks, a table the model
/// needs that is not named, and the penalty rule (a property of the whole model).
fn about_the_whole(p: &Problem, file: &str) -> bool {
    const TABLE: [&str; 6] = [
        "is not a regular file",
        "cannot read the file",
        "has no localities: expected at least one row",
        "has no nodes: expected at least one row",
        "has no rows for",
        "is empty: expected a header row",
    ];
    const MODEL: [&str; 8] = [
        "is missing: expected",
        "is not above the dearest placement",
        "a road network needs both road_nodes and road_edges",
        "needs tables.",
        "is for a multi-year model: add a [horizon] section",
        "a multi-year model needs tables.cohort",
        "give either tables.cohort",
        "a cohort needs tables.forecast_rates",
    ];
    // The council's boundaries are GeoJSON, not lines: a problem names the file as a whole,
    // or a feature (by its number and name) or a locality.
    const AREAS: [&str; 8] = [
        "is not a regular file",
        "cannot read the file",
        "is not UTF-8",
        "is not JSON",
        "is not GeoJSON",
        "is a single ",
        "feature ",
        "locality ",
    ];
    if file.ends_with(".geojson") {
        return AREAS.iter().any(|k| p.message.starts_with(k));
    }
    let kinds: &[&str] = if file.ends_with(".toml") { &MODEL } else { &TABLE };
    kinds.iter().any(|k| p.message.contains(k))
}

thread_local! {
    static SINGLE: World = World::single();
    static HORIZON: World = World::horizon();
}

/// Runs `f` on world 0 (single-year) or 1 (the scenario over several years).
fn with_world<T>(world: bool, f: impl FnOnce(&World) -> T) -> T {
    if world { HORIZON.with(f) } else { SINGLE.with(f) }
}

/// The codes the tables use.
const CODES: [&str; 6] = ["ASD", "SEMH", "SLCN", "primary", "secondary", "post-16"];

/// A model file's value: what a planner might type after `key =`.
fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        // Lists of codes, up to more than a model holds (64), then codes the tables use.
        3 => (0..72usize, prop::collection::vec(select(&CODES[..]), 0..4)).prop_map(|(n, words)| {
            let codes = (0..n).map(|i| format!("C{i}")).chain(words.iter().map(|w| (*w).to_string()));
            format!("[{}]", codes.map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", "))
        }),
        1 => select(&WORDS[..]).prop_map(|w| format!("\"{w}\"")),
        1 => select(&WORDS[..]).prop_map(str::to_string),
        1 => any::<f64>().prop_map(|v| format!("{v:?}")),
        1 => any::<i64>().prop_map(|v| v.to_string()),
        1 => Just("true".to_string()),
        1 => Just("[\"ASD\", 2]".to_string()),
        1 => Just("[]".to_string()),
        1 => Just("{ a = 1 }".to_string()),
        1 => Just("2025-09-01".to_string()),
        1 => any::<String>().prop_map(|s| format!("{s:?}")),
    ]
}

/// Keys and section headers of model files, to insert as lines.
const TOML_KEYS: [&str; 56] = [
    "name",
    "planning_year",
    "description",
    "needs",
    "phases",
    "extends",
    "[tables]",
    "localities",
    "settings",
    "demand",
    "cohort",
    "market",
    "schemes",
    "[policy]",
    "objective",
    "unmet_penalty",
    "out_of_borough_weight",
    "[policy.max_journey_minutes]",
    "primary",
    "post-16",
    "[transport]",
    "circuity",
    "max_access_km",
    "average_speed_kmh",
    "[horizon]",
    "first_year",
    "years",
    "variant",
    "[horizon.phase_year_groups]",
    "[appraisal]",
    "variants",
    "discount_rate",
    "inflation",
    "residual_years",
    "capital",
    "place_funding_special",
    "[high_needs]",
    "grant",
    "grant_growth",
    "deficit_brought_forward",
    "deficit_target",
    "[risk]",
    "need_variants",
    "fee_rise_low",
    "late_chance",
    "[annex]",
    "suppression_threshold",
    "capital_budget",
    "risk_draws",
    "risk_seed",
    "[uplift]",
    "[[add_rows]]",
    "[[remove_rows]]",
    "[[places]]",
    "table",
    "ids",
];

/// A line for a model file: a section header, or `key = value`.
fn toml_line() -> impl Strategy<Value = Vec<u8>> {
    (select(&TOML_KEYS[..]), toml_value()).prop_map(|(key, value)| {
        if key.starts_with('[') { key.as_bytes().to_vec() } else { format!("{key} = {value}").into_bytes() }
    })
}

/// Writes `bytes` as the `pick`-th file of `choose`'s list in a world, and checks the model.
fn run(world: bool, choose: fn(&World) -> Vec<usize>, pick: Index, bytes: impl FnOnce(&[u8]) -> Vec<u8>) {
    with_world(world, |w| {
        let files = choose(w);
        let i = files[pick.index(files.len())];
        let text = bytes(&w.files[i].1);
        w.write(i, &text);
        if let Err(why) = w.check() {
            panic!("{} as\n{}\n: {why}", w.files[i].0, String::from_utf8_lossy(&text));
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 15_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any bytes as a table, after its own header or none.
    #[test]
    fn any_bytes_as_a_table(world: bool, pick: Index, header: bool, junk in prop::collection::vec(any::<u8>(), 0..200)) {
        run(world, World::tables, pick, |original| {
            let mut out = Vec::new();
            if header {
                out.extend(original.split(|&b| b == b'\n').next().unwrap_or_default());
                out.push(b'\n');
            }
            out.extend(junk);
            out
        });
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any bytes as a model file, or a scenario.
    #[test]
    fn any_bytes_as_a_model_file(world: bool, pick: Index, junk in prop::collection::vec(any::<u8>(), 0..200)) {
        run(world, World::model_files, pick, |_| junk);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 27_500, failure_persistence: None, ..ProptestConfig::default() })]

    /// A single-year model's table with lines deleted, duplicated or swapped, a field
    /// changed, a separator, quote or control character inserted, or the file cut short.
    #[test]
    fn a_mutated_single_year_table(pick: Index, changes in prop::collection::vec(mutation(), 1..4)) {
        run(false, World::tables, pick, |original| mutated(original, &changes));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 27_500, failure_persistence: None, ..ProptestConfig::default() })]

    /// The same for a multi-year scenario's tables.
    #[test]
    fn a_mutated_multi_year_table(pick: Index, changes in prop::collection::vec(mutation(), 1..4)) {
        run(true, World::tables, pick, |original| mutated(original, &changes));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 25_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// A model file or scenario with lines deleted, duplicated or swapped, a value
    /// replaced by what a planner might type, bytes inserted, or the file cut short.
    #[test]
    fn a_mutated_model_file(
        world: bool,
        pick: Index,
        changes in prop::collection::vec((mutation(), toml_value(), (toml_line(), any::<Index>(), any::<bool>())), 1..4),
    ) {
        run(world, World::model_files, pick, |original| {
            let mut bytes = original.to_vec();
            for (m, value, (line, at, insert)) in &changes {
                let m = match m {
                    // Half the time a line of a key (known or not) and a value is added instead.
                    _ if *insert => Mutation::InsertLine(*at, line.clone()),
                    Mutation::SetField(l, c, _) => Mutation::SetField(*l, *c, value.clone()),
                    other => other.clone(),
                };
                apply(&mut bytes, &m, true);
            }
            bytes
        });
    }
}
