//! Synthetic models of any size, for measuring how the optimiser scales: clustered towns,
//! the national need mix and costs of `shared/domain/figures.md`, settings of every kind and
//! a road network joining them. The same seed gives the same files, byte for byte.
//!
//! Geography: the area grows with the number of localities (about 20 km² each, as England's
//! 130,000 km² over ~6,800 neighbourhood areas); localities gather round towns (one town to
//! about 20 localities) and settings sit near localities. Roads: each locality to its town
//! (30 km/h), towns to each other along a spanning tree and their nearest neighbours (60 km/h).

use std::fmt::Write as _;

use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

pub mod planning;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct Spec {
    /// Home localities.
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedI64ValueParser::<usize>::new().range(1..=100_000))]
    pub localities: usize,
    /// Settings (special schools, resourced provisions, independent and other places).
    #[arg(long, value_name = "M", help = "Settings", value_parser = clap::builder::RangedI64ValueParser::<usize>::new().range(7..=100_000))]
    pub settings: usize,
    /// Years planned (1: a single-year model).
    #[arg(long, value_name = "Y", help = "Years planned (more than 1: a multi-year model)", default_value_t = 1, value_parser = clap::builder::RangedI64ValueParser::<usize>::new().range(1..=20))]
    pub years: usize,
    /// Seed for the pseudo-random numbers.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

/// Primary needs and their national shares of EHC plans (DfE, January 2025).
const NEEDS: [(&str, f64); 12] = [
    ("ASD", 0.315),
    ("SLCN", 0.213),
    ("SEMH", 0.207),
    ("MLD", 0.106),
    ("PD", 0.039),
    ("SLD", 0.039),
    ("SpLD", 0.023),
    ("HI", 0.014),
    ("PMLD", 0.013),
    ("OTH", 0.012),
    ("VI", 0.008),
    ("MSI", 0.003),
];

/// Phases and their shares of children in specialist places.
const PHASES: [(&str, f64); 4] = [("early-years", 0.04), ("primary", 0.33), ("secondary", 0.43), ("post-16", 0.20)];

/// A kind of setting: code, share of settings, places (low, high), cost per place (low, high),
/// phases, in the borough.
type KindMix = (&'static str, f64, (f64, f64), (f64, f64), &'static str, bool);

const KINDS: [KindMix; 7] = [
    ("maintained-special", 0.22, (80.0, 200.0), (21_400.0, 27_600.0), "all", true),
    ("academy-special", 0.18, (50.0, 150.0), (21_400.0, 27_600.0), "primary;secondary;post-16", true),
    ("resourced-provision", 0.32, (7.0, 20.0), (16_000.0, 20_000.0), "primary;secondary", true),
    ("independent-special", 0.13, (20.0, 80.0), (45_000.0, 90_000.0), "secondary;post-16", false),
    ("non-maintained-special", 0.03, (30.0, 90.0), (50_000.0, 80_000.0), "all", false),
    ("other-authority-special", 0.06, (60.0, 150.0), (25_000.0, 32_000.0), "all", false),
    ("specialist-post-16", 0.06, (40.0, 120.0), (30_000.0, 45_000.0), "post-16", true),
];

/// The seeded random numbers the model is drawn from: ChaCha8 (rand_chacha), the same on
/// every machine and in every version of rand_chacha 0.9.
struct Random(ChaCha8Rng);

impl Random {
    fn seeded(seed: u64) -> Random {
        Random(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    fn between(&mut self, (low, high): (f64, f64)) -> f64 {
        low + (high - low) * self.unit()
    }

    fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n)
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// An index drawn with the given weights.
    fn pick(&mut self, weights: impl Iterator<Item = f64> + Clone) -> usize {
        let total: f64 = weights.clone().sum();
        let mut x = self.unit() * total;
        let mut last = 0;
        for (i, w) in weights.enumerate() {
            if x < w {
                return i;
            }
            x -= w;
            last = i;
        }
        last
    }
}

/// Kilometres east and north of the centre, as latitude and longitude.
fn to_degrees((x, y): (f64, f64)) -> (f64, f64) {
    const LAT0: f64 = 52.5;
    let lat = LAT0 + y / 111.2;
    let lon = -1.5 + x / (111.2 * LAT0.to_radians().cos());
    (lat, lon)
}

fn km((ax, ay): (f64, f64), (bx, by): (f64, f64)) -> f64 {
    ((ax - bx).powi(2) + (ay - by).powi(2)).sqrt()
}

/// The files of a generated model: (file name, text). `model.toml` names the others.
#[must_use]
pub fn generate(spec: &Spec) -> Vec<(String, String)> {
    let mut rng = Random::seeded(spec.seed);
    let n = spec.localities.max(1);
    let side = (20.0 * n as f64).sqrt();
    let towns: Vec<(f64, f64)> = (0..n.div_ceil(20).max(1))
        .map(|_| (rng.between((-side / 2.0, side / 2.0)), rng.between((-side / 2.0, side / 2.0))))
        .collect();
    let spread = (side / (2.0 * (towns.len() as f64).sqrt())).clamp(1.5, 6.0);
    let mut homes = Vec::with_capacity(n);
    let mut home_town = Vec::with_capacity(n);
    for i in 0..n {
        let t = if i < towns.len() { i } else { rng.below(towns.len()) };
        let (tx, ty) = towns[t];
        homes.push((tx + spread * rng.normal(), ty + spread * rng.normal()));
        home_town.push(t);
    }

    let mut localities = String::from("id,name,latitude,longitude,in_borough\n");
    let mut weights = Vec::with_capacity(n);
    for (i, &p) in homes.iter().enumerate() {
        let (lat, lon) = to_degrees(p);
        let _ = writeln!(localities, "l{i},Locality {i},{lat:.5},{lon:.5},yes");
        weights.push((0.6 * rng.normal()).exp());
    }

    // Settings near localities, of every kind.
    let mut settings = String::from("id,name,kind,latitude,longitude,in_borough,places,phases,needs,cost_per_place\n");
    let mut in_borough_places = 0.0;
    let mut generated: Vec<(String, &'static str, bool)> = Vec::with_capacity(spec.settings);
    for s in 0..spec.settings {
        let k = if s < KINDS.len() { s } else { rng.pick(KINDS.iter().map(|k| k.1)) };
        let (code, _, places, cost, phases, in_borough) = KINDS[k];
        let near = homes[rng.below(n)];
        let at = (near.0 + rng.between((-2.0, 2.0)), near.1 + rng.between((-2.0, 2.0)));
        let (lat, lon) = to_degrees(at);
        let places = rng.between(places).round();
        if in_borough {
            in_borough_places += places;
        }
        generated.push((format!("s{s}"), code, in_borough));
        let needs = needs_served(&mut rng, code);
        let _ = writeln!(
            settings,
            "s{s},Setting {s},{code},{lat:.5},{lon:.5},{},{places},{phases},{needs},{:.0}",
            if in_borough { "yes" } else { "no" },
            (rng.between(cost) / 100.0).round() * 100.0
        );
    }

    // Need: a little more than the borough's own places, spread over localities, needs and
    // phases; growing 5% a year.
    let total = 1.05 * in_borough_places.max(10.0 * n as f64 / 20.0);
    let weight_sum: f64 = weights.iter().sum();
    let mut demand = String::new();
    let mut first_year = 0.0;
    if spec.years > 1 {
        demand.push_str("year,");
    }
    demand.push_str("locality,need,phase,children,provision\n");
    for y in 0..spec.years.max(1) {
        let year = format!("{}/{:02}", 2025 + y, (26 + y) % 100);
        let growth = 1.05f64.powi(y as i32);
        for (i, w) in weights.iter().enumerate() {
            for (need, ns) in NEEDS {
                for (phase, ps) in PHASES {
                    let children = (total * growth * w / weight_sum * ns * ps * 10.0).round() / 10.0;
                    if children > 0.0 {
                        if y == 0 {
                            first_year += children;
                        }
                        if spec.years > 1 {
                            let _ = write!(demand, "{year},");
                        }
                        let _ = writeln!(demand, "l{i},{need},{phase},{children:.1},");
                    }
                }
            }
        }
    }

    let (nodes, edges) = roads(&towns, &homes, &home_town);
    let basis = planning::Basis { children: first_year, years: spec.years, homes: &homes, settings: &generated };
    let planning = planning::tables(&mut rng, &basis);
    let model = model_file(spec, planning::budget(first_year));
    let mut files = vec![
        ("model.toml".into(), model),
        ("localities.csv".into(), localities),
        ("settings.csv".into(), settings),
        ("demand.csv".into(), demand),
        ("road_nodes.csv".into(), nodes),
        ("road_edges.csv".into(), edges),
    ];
    files.extend(planning);
    files
}

/// The needs a setting takes, as the settings table writes them.
fn needs_served(rng: &mut Random, kind: &str) -> String {
    let choose = |rng: &mut Random, from: &[&str], count: usize| -> String {
        let mut chosen: Vec<&str> = Vec::new();
        while chosen.len() < count.min(from.len()) {
            let c = from[rng.below(from.len())];
            if !chosen.contains(&c) {
                chosen.push(c);
            }
        }
        chosen.join(";")
    };
    let (from, least, extra): (&[&str], usize, usize) = match kind {
        "resourced-provision" => (&["ASD", "SLCN", "SEMH", "HI", "MLD", "SpLD", "VI", "PD"], 1, 2),
        "independent-special" => (&["ASD", "SEMH", "SLCN", "MLD", "SpLD"], 1, 3),
        "academy-special" => (&["ASD", "SEMH", "SLCN", "MLD", "SLD", "PD"], 2, 3),
        _ => return "all".into(),
    };
    let count = least + rng.below(extra);
    choose(rng, from, count)
}

/// Road nodes (towns and localities) and edges: locality to its town, towns along a
/// spanning tree and to their two nearest neighbours.
fn roads(towns: &[(f64, f64)], homes: &[(f64, f64)], home_town: &[usize]) -> (String, String) {
    let mut nodes = String::from("id,name,latitude,longitude\n");
    for (t, &p) in towns.iter().enumerate() {
        let (lat, lon) = to_degrees(p);
        let _ = writeln!(nodes, "t{t},Town {t},{lat:.5},{lon:.5}");
    }
    for (i, &p) in homes.iter().enumerate() {
        let (lat, lon) = to_degrees(p);
        let _ = writeln!(nodes, "l{i},Locality {i},{lat:.5},{lon:.5}");
    }
    let mut edges = String::from("from,to,minutes,km\n");
    let road = |edges: &mut String, a: String, b: String, dist: f64, kmh: f64| {
        let road_km = (dist * 1.25).max(0.1);
        let _ = writeln!(edges, "{a},{b},{:.1},{road_km:.2}", (road_km / kmh * 60.0).max(0.1));
    };
    for (i, &t) in home_town.iter().enumerate() {
        road(&mut edges, format!("l{i}"), format!("t{t}"), km(homes[i], towns[t]), 30.0);
    }
    // Prim's spanning tree over towns, then each town to its two nearest.
    let m = towns.len();
    let mut joined = vec![false; m];
    let mut best = vec![(f64::INFINITY, 0usize); m];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    if m > 0 {
        joined[0] = true;
        for j in 1..m {
            best[j] = (km(towns[0], towns[j]), 0);
        }
        for _ in 1..m {
            let Some(j) = (0..m).filter(|&j| !joined[j]).min_by(|&a, &b| best[a].0.total_cmp(&best[b].0)) else {
                break;
            };
            joined[j] = true;
            pairs.push((best[j].1.min(j), best[j].1.max(j)));
            for k in 0..m {
                if !joined[k] && km(towns[j], towns[k]) < best[k].0 {
                    best[k] = (km(towns[j], towns[k]), j);
                }
            }
        }
    }
    for a in 0..m {
        let mut near: Vec<usize> = (0..m).filter(|&b| b != a).collect();
        near.sort_by(|&x, &y| km(towns[a], towns[x]).total_cmp(&km(towns[a], towns[y])));
        for &b in near.iter().take(2) {
            pairs.push((a.min(b), a.max(b)));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (a, b) in pairs {
        road(&mut edges, format!("t{a}"), format!("t{b}"), km(towns[a], towns[b]), 60.0);
    }
    (nodes, edges)
}

fn model_file(spec: &Spec, budget: f64) -> String {
    let mut text = format!(
        "# Generated by `sufficiency generate --localities {} --settings {} --years {} --seed {}`:\n\
         # a synthetic model for measuring scale, not a real authority.\n\
         name = \"Synthetic model: {} localities, {} settings (seed {})\"\n",
        spec.localities, spec.settings, spec.years, spec.seed, spec.localities, spec.settings, spec.seed
    );
    if spec.years > 1 {
        let _ = write!(text, "\n[horizon]\nfirst_year = \"2025/26\"\nyears = {}\n", spec.years);
    } else {
        text.push_str("planning_year = \"2025/26\"\n");
    }
    text.push_str(
        "\n[tables]\nlocalities = \"localities.csv\"\nsettings = \"settings.csv\"\ndemand = \"demand.csv\"\n\
         road_nodes = \"road_nodes.csv\"\nroad_edges = \"road_edges.csv\"\nmarket = \"market.csv\"\n\
         schemes = \"schemes.csv\"\nscheme_places = \"scheme_places.csv\"\n\
         purchasing_options = \"purchasing_options.csv\"\npurchasing_prices = \"purchasing_prices.csv\"\n\n\
         [policy]\nout_of_borough_weight = 10000\nunmet_penalty = 1000000\n\n\
         [transport]\nfixed_per_child = 1500\ncost_per_km = 1.1\naverage_speed_kmh = 40\n",
    );
    // The schemes the annex shows: the best within the budget in proportion to the sample's.
    let _ = write!(text, "\n[annex]\ncapital_budget = {budget:.0}\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_model_loads_and_has_what_was_asked() {
        let spec = Spec { localities: 20, settings: 60, years: 1, seed: 1 };
        let model = crate::testing::generated(&spec);
        assert_eq!(model.localities.len(), 20);
        assert_eq!(model.settings.iter().filter(|s| s.market.is_none()).count(), 60);
        assert_eq!(model.needs.len(), 12);
        // Every kind of named specialist setting (the market's steps are settings of their own
        // kind; the generator writes no mainstream, base, AP, college or other settings).
        for kind in crate::model::SettingKind::ALL
            .into_iter()
            .filter(|k| *k != crate::model::SettingKind::IndependentMarket && k.is_specialist())
        {
            assert!(model.settings.iter().any(|s| s.kind == kind), "{kind:?}");
        }
        assert!(model.total_children() > 0.0);
        assert!(model.network.is_some());
        let years = crate::testing::generated(&Spec { years: 3, ..spec });
        assert_eq!(years.horizon.as_ref().map(|h| h.years), Some(3));
    }

    #[test]
    fn the_same_seed_gives_the_same_files_with_need_shared_between_phases_as_set() {
        let spec = Spec { localities: 50, settings: 40, years: 2, seed: 7 };
        assert_eq!(generate(&spec), generate(&spec));
        assert_ne!(generate(&spec), generate(&Spec { seed: 8, ..spec }));
        // The children by phase, counted from the model as loaded, in the shares of
        // `PHASES` (4%, 33%, 43%, 20%) to within 3 points.
        let model = crate::testing::generated(&Spec { localities: 200, settings: 40, years: 1, seed: 7 });
        let total = model.total_children();
        for (code, share) in PHASES {
            let phase = model.phases.iter().position(|p| p.code == code).expect("a phase generated");
            let children: f64 = model.demand.iter().filter(|d| d.phase.0 == phase).map(|d| d.children).sum();
            assert!((children / total - share).abs() < 0.03, "{code}: {children} of {total}");
        }
    }

    #[test]
    fn a_generated_model_has_a_market_schemes_and_options_in_proportion_and_no_child_unmet() {
        let spec = Spec { localities: 20, settings: 60, years: 1, seed: 1 };
        let model = crate::testing::generated_with_market(&spec);
        // 3,618 children in the first year: two sample's worth (1,553), rounded.
        let children = model.total_children();
        assert_eq!(planning::groups(children), 2, "{children}");
        assert_eq!(model.schemes.len(), 16, "eight schemes a sample's worth of children");
        // A framework, then a block and a cost-and-volume contract a group.
        assert_eq!(model.purchasing.len(), 5);
        let steps: Vec<_> = model.settings.iter().filter_map(|s| s.market.as_ref()).collect();
        assert_eq!(steps.len(), 4);
        assert_eq!(planning::budget(children), 28_000_000.0, "£12m × 3,618 ÷ 1,553, to the £1m");
        // The market places every child the borough's schools cannot.
        let run = crate::optimise::run::run(model, crate::optimise::solve::Solver::Network).expect("solves");
        let unmet: f64 = run.plan.unmet.iter().sum();
        assert!(unmet < 1e-9, "{unmet} children unmet");
        // Over five years, schemes open within the years planned (the model loads) and the
        // files hold the horizon.
        let years = crate::testing::generated_with_market(&Spec { years: 5, ..spec });
        assert!(years.schemes.iter().any(|s| s.opens.to_string() == "2028/29"));
    }

    #[test]
    fn a_generated_borough_has_the_same_optimum_by_two_solvers() {
        use crate::optimise::solve::Solver;
        let model = crate::testing::generated(&Spec { localities: 20, settings: 60, years: 1, seed: 3 });
        // The network simplex and microlp's simplex, two methods that share nothing but the
        // program; each run's plan passes the independent check.
        let network = crate::optimise::run::run(model.clone(), Solver::Network).expect("solves");
        let microlp = crate::optimise::run::run(model, Solver::Microlp).expect("solves");
        let (a, b) = (network.solved.stages.last().unwrap().value, microlp.solved.stages.last().unwrap().value);
        assert!((a - b).abs() <= 1e-6 * a.abs(), "{a} against {b}");
        assert!(network.plan.summary(&network.model).placed_in_borough > 0.0);
    }
}
