//! Times the network simplex on a network in the DIMACS min-cost flow format, as
//! `sufficiency solve MODEL --write-network FILE` writes it, for a like-for-like comparison
//! with another solver on the same file (`benches/ortools-ratio.sh`): the whole network at
//! once, and by pricing arcs in (`min_cost_flow_priced`).
//!
//! `cargo bench --bench min_cost_flow -- FILE...`

use std::time::Instant;

use sufficiency::optimise::flow::read_dimacs;
use sufficiency::optimise::network::{Flow, Network, NetworkError, min_cost_flow, min_cost_flow_priced};

/// A way to solve a network.
type Solve = fn(&Network) -> Result<Flow, NetworkError>;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        eprintln!("usage: cargo bench --bench min_cost_flow -- FILE...");
        return;
    }
    for file in files {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(1);
            }
        };
        let net = match read_dimacs(&text) {
            Ok(n) => n,
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(1);
            }
        };
        let ways: [(&str, Solve); 2] = [("whole", min_cost_flow), ("priced", min_cost_flow_priced)];
        for (way, solve) in ways {
            let start = Instant::now();
            match solve(&net) {
                Ok(flow) => println!(
                    "{file}: {} nodes, {} arcs, {way}: optimum {} in {:.3} s ({} pivots)",
                    net.nodes,
                    net.arcs.len(),
                    flow.cost,
                    start.elapsed().as_secs_f64(),
                    flow.pivots
                ),
                Err(e) => {
                    eprintln!("{file}: {e}");
                    std::process::exit(1);
                }
            }
        }
    }
}
