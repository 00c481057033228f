//! Journey times and distances from each home locality to each setting.
//!
//! With a road network, each locality and setting joins the network at its nearest node
//! (an access leg: straight-line distance × circuity at the average speed), and the journey
//! between nodes is the quickest path (petgraph's Dijkstra, once per locality node). Without
//! a network, a journey is the great-circle distance (geo's Haversine) × circuity at the
//! average speed. The table says which method made it.

use geo::{Distance, Haversine, Point};
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;

use crate::domain::{Journey, LocalityIx, Model, RoadNetwork, SettingIx, TransportCosts};

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

/// Journey from every locality to every setting (`None` where no route exists).
#[derive(Debug, Clone)]
pub struct JourneyTable {
    /// How the journeys were worked out.
    pub method: TravelMethod,
    settings: usize,
    journeys: Vec<Option<Journey>>,
}

impl JourneyTable {
    /// Works out every journey for the model.
    #[must_use]
    pub fn build(model: &Model) -> JourneyTable {
        let settings = model.settings.len();
        let t = &model.transport;
        let estimate = |a: Point<f64>, b: Point<f64>| {
            let km = straight_line_km(a, b) * t.circuity;
            Journey { minutes: km / t.average_speed_kmh * 60.0, km }
        };
        let mut journeys = Vec::with_capacity(model.localities.len() * settings);
        match &model.network {
            None => {
                for l in &model.localities {
                    journeys.extend(model.settings.iter().map(|s| Some(estimate(l.position, s.position))));
                }
                JourneyTable { method: TravelMethod::StraightLine, settings, journeys }
            }
            Some(network) => {
                let graph = graph(network);
                let setting_access: Vec<(usize, Journey)> = model
                    .settings
                    .iter()
                    .map(|s| {
                        let (node, _) = nearest_node(network, s.position);
                        (node, estimate(s.position, network.nodes[node].position))
                    })
                    .collect();
                for l in &model.localities {
                    let (node, _) = nearest_node(network, l.position);
                    let access = estimate(l.position, network.nodes[node].position);
                    let paths = petgraph::algo::dijkstra(&graph, NodeIndex::new(node), None, |e| *e.weight());
                    for (s, &(s_node, s_access)) in model.settings.iter().zip(&setting_access) {
                        let journey = if s_node == node {
                            // Same node: a local trip, straight there.
                            Some(estimate(l.position, s.position))
                        } else {
                            paths.get(&NodeIndex::new(s_node)).map(|&path| access + path + s_access)
                        };
                        journeys.push(journey);
                    }
                }
                JourneyTable { method: TravelMethod::RoadNetwork, settings, journeys }
            }
        }
    }

    /// The journey from a locality to a setting, if there is a route.
    #[must_use]
    pub fn get(&self, locality: LocalityIx, setting: SettingIx) -> Option<Journey> {
        self.journeys[locality.0 * self.settings + setting.0]
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

/// Great-circle distance in km.
#[must_use]
pub fn straight_line_km(a: Point<f64>, b: Point<f64>) -> f64 {
    Haversine.distance(a, b) / 1000.0
}

/// The network node nearest `p`, and its straight-line distance in km.
///
/// # Panics
/// If the network has no nodes (the loader never builds one without).
#[must_use]
pub fn nearest_node(network: &RoadNetwork, p: Point<f64>) -> (usize, f64) {
    network
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (i, straight_line_km(p, n.position)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a road network has at least one node")
}

/// A label per node: nodes with equal labels are joined by roads.
#[must_use]
pub fn components(network: &RoadNetwork) -> Vec<usize> {
    let mut uf = UnionFind::new(network.nodes.len());
    for e in &network.edges {
        uf.union(e.from, e.to);
    }
    (0..network.nodes.len()).map(|i| uf.find(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{RoadEdge, RoadNode};
    use crate::testing::tiny_model;

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
        let table = JourneyTable::build(&model);
        assert_eq!(table.method, TravelMethod::StraightLine);
        let j = table.get(LocalityIx(0), SettingIx(0)).unwrap();
        let expected_km =
            straight_line_km(model.localities[0].position, model.settings[0].position) * model.transport.circuity;
        assert!((j.km - expected_km).abs() < 1e-9);
        assert!((j.minutes - expected_km / model.transport.average_speed_kmh * 60.0).abs() < 1e-9);
    }
}
