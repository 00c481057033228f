//! The inclusion programme on the whole-caseload sample: chosen beside the capital schemes
//! by `schemes`, with a saving and a payback in `schemes.csv`, its children only of the
//! needs, phases and tiers it takes, and never more than its places or its share.

#[allow(dead_code)]
#[path = "e2e/util.rs"]
mod util;

use std::path::Path;

fn sample(model: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models").join(model)
}

#[test]
fn print_caps() {
    let model = sufficiency::planning::ready::load(&sample("cheshire-east-all-plans.toml")).expect("loads");
    let caps = sufficiency::planning::schemes::programme_caps(&model);
    for (s, c) in model.schemes.iter().zip(&caps) {
        println!("{} {:?}", s.id, c);
    }
}
