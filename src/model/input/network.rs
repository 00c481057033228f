//! The road network's tables: its nodes (towns and junctions) and the roads between them.

use std::collections::HashMap;
use std::path::Path;

use super::ids::{Ids, first_use, reference};
use super::reach::straight_line_km;
use super::sources::Sources;
use super::tables::position;
use super::{Problem, Problems, tidy};
use crate::model::{Journey, RoadEdge, RoadNetwork, RoadNode, TransportCosts};

pub(super) fn read_network(
    src: &Sources<'_>,
    node_path: &Path,
    edge_path: &Path,
    transport: &TransportCosts,
    problems: &mut Problems,
) -> Option<RoadNetwork> {
    let before = problems.len();
    let nodes_table = src.open("road_nodes", Some(node_path), problems)?;
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
    let edges_table = src.open("road_edges", Some(edge_path), problems)?;
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
        let km = km.unwrap_or_else(|| straight_line_km(nodes[from].position, nodes[to].position) * transport.circuity);
        edges.push(RoadEdge { from, to, journey: Journey { minutes, km } });
    }
    if nodes.is_empty() && problems.len() == before {
        problems.push(Problem::file(&tidy(node_path), "has no nodes: expected at least one row"));
    }
    (problems.len() == before).then_some(RoadNetwork { nodes, edges })
}
