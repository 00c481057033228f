//! Where the road network reaches: the node nearest a point, the parts of the network
//! joined by roads, and the check, as a model is read, that every locality and setting is
//! near the network and every locality can reach a setting along it.

use geo::{Distance, Haversine, Point};
use petgraph::unionfind::UnionFind;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::{Problems, table};
use crate::model::{Locality, RoadNetwork, Setting, TransportCosts};

/// A point on the unit sphere, for searches by straight-line distance in an R-tree.
#[must_use]
pub fn on_sphere(p: Point<f64>) -> [f64; 3] {
    let (lat, lon) = (p.y().to_radians(), p.x().to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Finds the road node nearest a point (an R-tree over the nodes).
pub struct NodeFinder<'a> {
    network: &'a RoadNetwork,
    index: RTree<GeomWithData<[f64; 3], usize>>,
}

impl<'a> NodeFinder<'a> {
    /// Indexes the network's nodes.
    #[must_use]
    pub fn new(network: &'a RoadNetwork) -> NodeFinder<'a> {
        let points = network.nodes.iter().enumerate().map(|(i, n)| GeomWithData::new(on_sphere(n.position), i));
        NodeFinder { network, index: RTree::bulk_load(points.collect()) }
    }

    /// The node nearest `p`, and its straight-line distance in km.
    ///
    /// # Panics
    /// If the network has no nodes (the loader never builds one without).
    #[must_use]
    pub fn nearest(&self, p: Point<f64>) -> (usize, f64) {
        let node = self.index.nearest_neighbor(on_sphere(p)).expect("a road network has at least one node").data;
        (node, straight_line_km(p, self.network.nodes[node].position))
    }
}

/// Great-circle distance in km.
#[must_use]
pub fn straight_line_km(a: Point<f64>, b: Point<f64>) -> f64 {
    Haversine.distance(a, b) / 1000.0
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

/// Every locality and setting must lie near the network, and every locality must reach at
/// least one setting along it.
pub(super) fn check_reach(
    network: &RoadNetwork,
    transport: &TransportCosts,
    (loc_file, localities, loc_lines): (&table::Source, &[Locality], &[usize]),
    (set_file, settings, set_lines): (&table::Source, &[Setting], &[usize]),
    problems: &mut Problems,
) {
    let component = components(network);
    let nodes = NodeFinder::new(network);
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
