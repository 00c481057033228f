//! Journey times and distances from each home locality to the settings it could reach.
//!
//! Only journeys a child could make are kept: those within the longest journey limit of any
//! phase (and those of children already placed, who keep their place wherever it is). The
//! table is sparse, a list of reachable settings per locality, so it grows with the settings
//! near each locality, not with localities × settings.
//!
//! With a road network, each locality and setting joins the network at its nearest node
//! (found with an R-tree; an access leg: straight-line distance × circuity at the average
//! speed), and the journey between nodes is the quickest path: one Dijkstra search per node
//! where localities join, stopped at the journey limit. Without a network, a journey is the
//! great-circle distance (geo's Haversine) × circuity at the average speed, and an R-tree
//! finds the settings within the limit's distance. The table says which method made it.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use geo::Point;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::model::input::reach::on_sphere;
pub use crate::model::input::reach::{NodeFinder, components, straight_line_km};
use crate::model::{Journey, LocalityIx, Model, RoadNetwork, SettingIx, TransportCosts};

/// How journeys were worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TravelMethod {
    /// Quickest paths on the model's road network.
    RoadNetwork,
    /// Straight-line distance × circuity at an average speed.
    StraightLine,
}

impl TravelMethod {
    /// A sentence for reports.
    #[must_use]
    pub fn describe(self, transport: &TransportCosts) -> String {
        match self {
            TravelMethod::RoadNetwork => format!(
                "quickest paths on the model's road network (access legs to the nearest node at straight-line distance × {} at {} km/h)",
                transport.circuity, transport.average_speed_kmh
            ),
            TravelMethod::StraightLine => format!(
                "straight-line distance × {} at {} km/h (no road network in the model)",
                transport.circuity, transport.average_speed_kmh
            ),
        }
    }
}

/// The journeys from each locality to the settings within reach: those no longer than the
/// longest journey limit of any phase, and every setting where a child from the locality
/// already has a place. Any other pair has no journey (`None`): out of reach or no route.
#[derive(Debug, Clone)]
pub struct JourneyTable {
    /// How the journeys were worked out.
    pub method: TravelMethod,
    /// The longest journey kept (minutes), but for children already placed.
    pub reach_minutes: f64,
    /// Where each locality's journeys start in `journeys`; one more entry than localities.
    start: Vec<usize>,
    /// Per locality in turn, its reachable settings in setting order.
    journeys: Vec<(SettingIx, Journey)>,
}

impl JourneyTable {
    /// Works out every journey within reach for the model.
    #[must_use]
    pub fn build(model: &Model) -> JourneyTable {
        let reach = model.phases.iter().map(|p| p.max_journey_minutes).fold(0.0, f64::max);
        // Settings where children from each locality already have places: kept at any length.
        let mut placed: HashMap<usize, Vec<SettingIx>> = HashMap::new();
        for st in &model.staying {
            placed.entry(model.demand[st.demand].locality.0).or_default().push(st.setting);
        }
        let mut table = JourneyTable {
            method: if model.network.is_some() { TravelMethod::RoadNetwork } else { TravelMethod::StraightLine },
            reach_minutes: reach,
            start: Vec::with_capacity(model.localities.len() + 1),
            journeys: Vec::new(),
        };
        table.start.push(0);
        // A step of the independent market is a typical journey from anywhere, not a place.
        let market: Vec<(SettingIx, Journey)> = model
            .settings
            .iter()
            .enumerate()
            .filter_map(|(s, x)| x.market.map(|m| (SettingIx(s), m.journey)))
            .collect();
        let mut row: Vec<(SettingIx, Journey)> = Vec::new();
        match &model.network {
            None => {
                let t = &model.transport;
                let radius_km = reach / 60.0 * t.average_speed_kmh / t.circuity;
                let index = sites(model);
                for (l, locality) in model.localities.iter().enumerate() {
                    row.clear();
                    let near = index.locate_within_distance(on_sphere(locality.position), chord_squared(radius_km));
                    for found in near {
                        let s = found.data;
                        let j = estimate(t, locality.position, model.settings[s].position);
                        if j.minutes <= reach {
                            row.push((SettingIx(s), j));
                        }
                    }
                    row.extend_from_slice(&market);
                    for &s in placed.get(&l).into_iter().flatten() {
                        if !row.iter().any(|(x, _)| *x == s) {
                            row.push((s, estimate(t, locality.position, model.setting(s).position)));
                        }
                    }
                    table.push_row(&mut row);
                }
            }
            Some(network) => table.fill_from_network(model, network, (reach, &market), &placed, &mut row),
        }
        table
    }

    /// Road-network journeys: one bounded search per node where localities join.
    fn fill_from_network(
        &mut self,
        model: &Model,
        network: &RoadNetwork,
        (reach, market): (f64, &[(SettingIx, Journey)]),
        placed: &HashMap<usize, Vec<SettingIx>>,
        row: &mut Vec<(SettingIx, Journey)>,
    ) {
        let t = &model.transport;
        let graph = graph(network);
        let nodes = NodeFinder::new(network);
        let mut settings_at: Vec<Vec<(SettingIx, Journey)>> = vec![Vec::new(); network.nodes.len()];
        let mut setting_node = Vec::with_capacity(model.settings.len());
        for (s, setting) in model.settings.iter().enumerate() {
            let (node, _) = nodes.nearest(setting.position);
            setting_node.push(node);
            if setting.market.is_some() {
                continue;
            }
            settings_at[node].push((SettingIx(s), estimate(t, setting.position, network.nodes[node].position)));
        }
        let locality_node: Vec<usize> = model.localities.iter().map(|l| nodes.nearest(l.position).0).collect();
        // Localities in node order, so that each node is searched from once.
        let mut order: Vec<usize> = (0..model.localities.len()).collect();
        order.sort_by_key(|&l| locality_node[l]);
        let mut rows: Vec<Vec<(SettingIx, Journey)>> = vec![Vec::new(); model.localities.len()];
        let mut search = Search::new(network.nodes.len());
        // The node the last search within the limit started from (MAX: none, or the last
        // search covered the whole network, so the next locality searches afresh).
        let mut searched_from = usize::MAX;
        for l in order {
            let locality = &model.localities[l];
            let node = locality_node[l];
            if searched_from != node {
                search.run(&graph, node, reach);
                searched_from = node;
            }
            let access = estimate(t, locality.position, network.nodes[node].position);
            row.clear();
            for &n in &search.reached {
                let path = search.best[n].expect("reached nodes have a journey");
                for &(s, s_access) in &settings_at[n] {
                    // Same node: a local trip, straight there.
                    let j = if n == node {
                        estimate(t, locality.position, model.setting(s).position)
                    } else {
                        access + path + s_access
                    };
                    if j.minutes <= reach {
                        row.push((s, j));
                    }
                }
            }
            row.extend_from_slice(market);
            for &s in placed.get(&l).into_iter().flatten() {
                if row.iter().any(|(x, _)| *x == s) {
                    continue;
                }
                // A place beyond the limit: search the whole network, once (rare).
                if searched_from != usize::MAX {
                    search.run(&graph, node, f64::INFINITY);
                    searched_from = usize::MAX;
                }
                let to = setting_node[s.0];
                let j = if to == node {
                    Some(estimate(t, locality.position, model.setting(s).position))
                } else {
                    let s_access = estimate(t, model.setting(s).position, network.nodes[to].position);
                    search.best[to].map(|path| access + path + s_access)
                };
                if let Some(j) = j {
                    row.push((s, j));
                }
            }
            rows[l] = std::mem::take(row);
        }
        for mut row in rows {
            self.push_row(&mut row);
        }
    }

    fn push_row(&mut self, row: &mut [(SettingIx, Journey)]) {
        row.sort_unstable_by_key(|(s, _)| *s);
        self.journeys.extend_from_slice(row);
        self.start.push(self.journeys.len());
    }

    /// The journey from a locality to a setting, if it is within reach (or a child from the
    /// locality already has a place there) and there is a route.
    #[must_use]
    pub fn get(&self, locality: LocalityIx, setting: SettingIx) -> Option<Journey> {
        let row = self.from(locality);
        row.binary_search_by_key(&setting, |(s, _)| *s).ok().map(|i| row[i].1)
    }

    /// The settings within reach of a locality, in setting order, with their journeys.
    #[must_use]
    pub fn from(&self, locality: LocalityIx) -> &[(SettingIx, Journey)] {
        &self.journeys[self.start[locality.0]..self.start[locality.0 + 1]]
    }

    /// How many journeys the table holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.journeys.len()
    }

    /// Whether the table holds no journey.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.journeys.is_empty()
    }
}

/// Mean radius of the Earth in km, as geo's Haversine uses.
const EARTH_RADIUS_KM: f64 = 6_371.008_8;

/// A point on the unit sphere: straight-line (chord) distance between two such points grows
/// with great-circle distance, so an R-tree over them finds points within a distance exactly.
/// An estimate of the placement arcs `model` will have, made before any journey is worked
/// out, so that a model too big for memory is refused before it is built: for an even sample
/// of up to [`SAMPLED_LOCALITIES`] localities, each demand row's settings that serve it within
/// its phase's journey limit in a straight line at the model's average speed (as without a
/// road network), scaled up to every locality; plus one arc a demand row for each step of
/// the market.
#[must_use]
pub fn estimated_arcs(model: &Model) -> f64 {
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); model.localities.len()];
    for (r, d) in model.demand.iter().enumerate() {
        rows[d.locality.0].push(r);
    }
    let market = model.settings.iter().filter(|s| s.market.is_some()).count();
    let reach = model.phases.iter().map(|p| p.max_journey_minutes).fold(0.0, f64::max);
    let t = &model.transport;
    let radius_km = reach / 60.0 * t.average_speed_kmh / t.circuity;
    let index = sites(model);
    let step = model.localities.len().div_ceil(SAMPLED_LOCALITIES).max(1);
    let (mut sampled, mut arcs) = (0usize, 0usize);
    for (l, locality) in model.localities.iter().enumerate().step_by(step) {
        sampled += 1;
        for found in index.locate_within_distance(on_sphere(locality.position), chord_squared(radius_km)) {
            let setting = &model.settings[found.data];
            let minutes = estimate(t, locality.position, setting.position).minutes;
            arcs += rows[l]
                .iter()
                .map(|&r| &model.demand[r])
                .filter(|d| d.children > 0.0 && minutes <= model.phases[d.phase.0].max_journey_minutes)
                .filter(|d| setting.serves(d.need, d.phase, d.provision))
                .count();
        }
    }
    let scale = if sampled == 0 { 0.0 } else { model.localities.len() as f64 / sampled as f64 };
    arcs as f64 * scale + (model.demand.len() * market) as f64
}

/// The settings with a site (not the market's steps), indexed by their point on the unit
/// sphere for searches within a distance.
fn sites(model: &Model) -> RTree<GeomWithData<[f64; 3], usize>> {
    RTree::bulk_load(
        model
            .settings
            .iter()
            .enumerate()
            .filter(|(_, x)| x.market.is_none())
            .map(|(s, x)| GeomWithData::new(on_sphere(x.position), s))
            .collect(),
    )
}

/// Localities sampled by [`estimated_arcs`].
pub const SAMPLED_LOCALITIES: usize = 200;

/// Squared chord on the unit sphere for a great-circle distance in km, a hair wider so that
/// rounding never drops a point on the edge (the exact distance is checked after).
fn chord_squared(km: f64) -> f64 {
    let half_angle = (km / (2.0 * EARTH_RADIUS_KM)).min(std::f64::consts::FRAC_PI_2);
    let chord = 2.0 * half_angle.sin();
    chord * chord * (1.0 + 1e-9) + 1e-15
}

/// A journey so far, ordered for a min-heap: quickest first, then shortest, then node.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Frontier(Journey, usize);

impl Eq for Frontier {}

impl Ord for Frontier {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.minutes.total_cmp(&self.0.minutes).then(other.0.km.total_cmp(&self.0.km)).then(other.1.cmp(&self.1))
    }
}

impl PartialOrd for Frontier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Dijkstra's search from one node, stopped at a journey limit, with buffers kept between
/// searches so a search allocates nothing once they have grown.
struct Search {
    /// Quickest journey to each node reached by the last search.
    best: Vec<Option<Journey>>,
    /// Nodes reached by the last search, in the order they were settled.
    reached: Vec<usize>,
    heap: BinaryHeap<Frontier>,
}

impl Search {
    fn new(nodes: usize) -> Search {
        Search { best: vec![None; nodes], reached: Vec::new(), heap: BinaryHeap::new() }
    }

    /// Quickest journeys from `from` to every node within `limit_minutes`; `reached` lists
    /// them. Every node given a journey is pushed, so every one is settled and listed.
    fn run(&mut self, graph: &UnGraph<(), Journey>, from: usize, limit_minutes: f64) {
        for &n in &self.reached {
            self.best[n] = None;
        }
        self.reached.clear();
        self.heap.clear();
        self.best[from] = Some(Journey::default());
        self.heap.push(Frontier(Journey::default(), from));
        while let Some(Frontier(j, n)) = self.heap.pop() {
            if self.best[n] != Some(j) {
                continue; // a slower journey, since bettered
            }
            self.reached.push(n);
            for e in graph.edges(NodeIndex::new(n)) {
                let next = j + *e.weight();
                if next.minutes > limit_minutes {
                    continue;
                }
                let m = if e.source().index() == n { e.target().index() } else { e.source().index() };
                if self.best[m].is_none_or(|b| next < b) {
                    self.best[m] = Some(next);
                    self.heap.push(Frontier(next, m));
                }
            }
        }
    }
}

fn graph(network: &RoadNetwork) -> UnGraph<(), Journey> {
    let mut g = UnGraph::with_capacity(network.nodes.len(), network.edges.len());
    for _ in &network.nodes {
        g.add_node(());
    }
    for e in &network.edges {
        g.add_edge(NodeIndex::new(e.from), NodeIndex::new(e.to), e.journey);
    }
    g
}

/// A journey estimated without the network: straight-line distance × circuity at the
/// average speed.
#[must_use]
pub fn estimate(transport: &TransportCosts, a: Point<f64>, b: Point<f64>) -> Journey {
    let km = straight_line_km(a, b) * transport.circuity;
    Journey { minutes: km / transport.average_speed_kmh * 60.0, km }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RoadEdge, RoadNode};
    use crate::testing::{generated, tiny_model};
    use crate::tools::generate::Spec;

    #[test]
    fn the_estimate_of_arcs_is_the_count_when_every_locality_is_sampled() {
        // Straight-line travel, no market, no one staying, 150 localities (all sampled): the
        // estimate counts exactly the arcs the formulation makes.
        let mut model = generated(&Spec { localities: 150, settings: 120, years: 1, seed: 3 });
        model.network = None;
        model.settings.retain(|s| s.market.is_none());
        let journeys = JourneyTable::build(&model);
        let arcs = crate::optimise::formulation::usable_arcs(&model, &journeys).len();
        assert!(arcs > 1_000, "{arcs}");
        assert_eq!(crate::travel::estimated_arcs(&model), arcs as f64);
        // With 600 localities, a third are sampled: the estimate is within a tenth.
        let mut model = generated(&Spec { localities: 600, settings: 120, years: 1, seed: 4 });
        model.network = None;
        model.settings.retain(|s| s.market.is_none());
        let arcs = crate::optimise::formulation::usable_arcs(&model, &JourneyTable::build(&model)).len() as f64;
        let estimate = crate::travel::estimated_arcs(&model);
        assert!((estimate / arcs - 1.0).abs() < 0.1, "{estimate} for {arcs}");
    }

    /// Every journey worked out the slow way: nearest nodes by scanning every node, and a
    /// full Dijkstra search (petgraph's) from each locality, for every locality × setting.
    fn every_pair(model: &Model) -> Vec<Vec<Option<Journey>>> {
        let t = &model.transport;
        let nearest = |net: &RoadNetwork, p| {
            (0..net.nodes.len()).min_by(|&a, &b| {
                straight_line_km(p, net.nodes[a].position).total_cmp(&straight_line_km(p, net.nodes[b].position))
            })
        };
        model
            .localities
            .iter()
            .map(|l| match &model.network {
                None => model.settings.iter().map(|s| Some(estimate(t, l.position, s.position))).collect(),
                Some(net) => {
                    let node = nearest(net, l.position).unwrap();
                    let access = estimate(t, l.position, net.nodes[node].position);
                    let paths = petgraph::algo::dijkstra(&graph(net), NodeIndex::new(node), None, |e| *e.weight());
                    model
                        .settings
                        .iter()
                        .map(|s| {
                            let to = nearest(net, s.position).unwrap();
                            if to == node {
                                return Some(estimate(t, l.position, s.position));
                            }
                            let s_access = estimate(t, s.position, net.nodes[to].position);
                            paths.get(&NodeIndex::new(to)).map(|&p| access + p + s_access)
                        })
                        .collect()
                }
            })
            .collect()
    }

    #[rstest::rstest]
    fn the_table_holds_exactly_the_journeys_within_reach(
        #[values(1, 2, 3)] seed: u64,
        #[values(true, false)] roads: bool,
        #[values(12.0, 25.0, 60.0)] limit: f64,
    ) {
        let mut model = generated(&Spec { localities: 40, settings: 50, years: 1, seed });
        if !roads {
            model.network = None;
        }
        for phase in &mut model.phases {
            phase.max_journey_minutes = limit;
        }
        let table = JourneyTable::build(&model);
        let all = every_pair(&model);
        let mut kept = 0;
        for (l, row) in all.iter().enumerate() {
            for (s, expected) in row.iter().enumerate() {
                let got = table.get(LocalityIx(l), SettingIx(s));
                match expected {
                    Some(j) if j.minutes <= limit => {
                        let g = got.unwrap_or_else(|| panic!("l{l} s{s}: {j:?} within reach but missing"));
                        assert!((g.minutes - j.minutes).abs() < 1e-9 && (g.km - j.km).abs() < 1e-9, "{g:?} {j:?}");
                        kept += 1;
                    }
                    _ => assert_eq!(got, None, "l{l} s{s}: beyond reach or no route, yet kept"),
                }
            }
        }
        assert_eq!(table.len(), kept);
        // The limit matters at the two smaller values: some pairs are out of reach.
        let pairs = model.localities.len() * model.settings.len();
        assert!(kept > 0 && (limit > 30.0 || kept < pairs), "{kept} of {pairs}");
    }

    #[rstest::rstest]
    fn a_place_already_held_beyond_reach_keeps_its_journey(#[values(true, false)] roads: bool) {
        let mut model = generated(&Spec { localities: 40, settings: 50, years: 1, seed: 4 });
        if !roads {
            model.network = None;
        }
        for phase in &mut model.phases {
            phase.max_journey_minutes = 10.0;
        }
        let row = model.demand.iter().position(|d| d.locality == LocalityIx(0)).unwrap();
        let all = every_pair(&model);
        let (far, journey) = all[0]
            .iter()
            .enumerate()
            .filter_map(|(s, j)| j.map(|j| (s, j)))
            .max_by(|a, b| a.1.minutes.total_cmp(&b.1.minutes))
            .unwrap();
        assert!(journey.minutes > 10.0);
        assert_eq!(JourneyTable::build(&model).get(LocalityIx(0), SettingIx(far)), None);
        model.staying.push(crate::model::Staying { demand: row, setting: SettingIx(far), children: 1.0 });
        let got = JourneyTable::build(&model).get(LocalityIx(0), SettingIx(far)).unwrap();
        assert!((got.minutes - journey.minutes).abs() < 1e-9 && (got.km - journey.km).abs() < 1e-9);
    }

    #[test]
    fn straight_line_distance_matches_known_towns() {
        // figures.md: Crewe–Macclesfield 27.5 km, Crewe–Stoke 20.5 km in a straight line.
        let crewe = Point::new(-2.4405, 53.0988);
        let macc = Point::new(-2.1257, 53.2586);
        let stoke = Point::new(-2.1794, 53.0027);
        assert!((straight_line_km(crewe, macc) - 27.5).abs() < 0.5);
        assert!((straight_line_km(crewe, stoke) - 20.5).abs() < 0.5);
    }

    #[test]
    fn network_journeys_take_the_quickest_path_and_add_access_legs() {
        // Locality at node a; setting at node c. a–c direct takes 50 min; a–b–c takes 20+20.
        let mut model = tiny_model();
        let a = Point::new(-2.0, 53.0);
        let b = Point::new(-2.0, 53.1);
        let c = Point::new(-2.0, 53.2);
        model.localities[0].position = a;
        model.settings[0].position = c;
        model.settings.truncate(1);
        let node = |id: &str, p| RoadNode { id: id.into(), position: p };
        let edge = |from, to, minutes, km| RoadEdge { from, to, journey: Journey { minutes, km } };
        model.network = Some(RoadNetwork {
            nodes: vec![node("a", a), node("b", b), node("c", c)],
            edges: vec![edge(0, 2, 50.0, 20.0), edge(0, 1, 20.0, 12.0), edge(1, 2, 20.0, 12.0)],
        });
        let table = JourneyTable::build(&model);
        assert_eq!(table.method, TravelMethod::RoadNetwork);
        let j = table.get(LocalityIx(0), SettingIx(0)).unwrap();
        assert!((j.minutes - 40.0).abs() < 1e-9, "{j:?}");
        assert!((j.km - 24.0).abs() < 1e-9, "{j:?}");
    }

    #[test]
    fn unconnected_settings_have_no_journey() {
        let mut model = tiny_model();
        let a = Point::new(-2.0, 53.0);
        let c = Point::new(-2.0, 53.2);
        model.localities[0].position = a;
        model.settings[0].position = c;
        model.settings.truncate(1);
        model.network = Some(RoadNetwork {
            nodes: vec![RoadNode { id: "a".into(), position: a }, RoadNode { id: "c".into(), position: c }],
            edges: vec![],
        });
        assert_eq!(components(model.network.as_ref().unwrap()), vec![0, 1]);
        assert!(JourneyTable::build(&model).get(LocalityIx(0), SettingIx(0)).is_none());
    }

    #[test]
    fn without_a_network_journeys_are_straight_line_times_circuity() {
        let mut model = tiny_model();
        model.localities[0].position = Point::new(-2.4405, 53.0988);
        model.settings[0].position = Point::new(-2.1794, 53.0027);
        // Crewe to Stoke by the haversine on a sphere of 6,371.0088 km, worked out apart
        // (Python's math module): 20.4636 km. A circuity of 1.25 and 48 km an hour: 25.5795 km
        // in 31.97 minutes.
        model.transport.circuity = 1.25;
        model.transport.average_speed_kmh = 48.0;
        let table = JourneyTable::build(&model);
        assert_eq!(table.method, TravelMethod::StraightLine);
        let j = table.get(LocalityIx(0), SettingIx(0)).unwrap();
        assert!((j.km - 25.579_468).abs() < 1e-5, "{}", j.km);
        assert!((j.minutes - 31.974_335).abs() < 1e-4, "{}", j.minutes);
    }
}
