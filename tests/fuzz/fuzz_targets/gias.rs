//! Fuzz target: The register of schools (`import gias`): the first byte says whether the borough is named by its LA code or by the tiny model, the rest is the GIAS file. Whatever the bytes, the reader gives a result or one-line problems
//! naming the file (see `tests/prop/readers.rs`, which the property tests share).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../prop/readers.rs"]
mod readers;

thread_local! {
    static GIAS: readers::Gias = readers::Gias::new();
}

/// A broken rule is a crash, as a panic is.
fn held(outcome: Result<(), String>) {
    if let Err(why) = outcome {
        panic!("{why}");
    }
}

fuzz_target!(|data: &[u8]| {
    let (by_la, bytes) = data.split_first().map_or((false, data), |(b, rest)| (b % 2 == 1, rest));
    GIAS.with(|r| held(r.read(bytes, by_la)));
});
