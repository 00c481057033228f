//! Fuzz target: A model's table (CSV): the first byte picks which of the tiny model's tables, the rest is its text. Whatever the bytes, the reader gives a result or one-line problems
//! naming the file (see `tests/prop/readers.rs`, which the property tests share).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../prop/readers.rs"]
mod readers;

thread_local! {
    static TINY: readers::Tiny = readers::Tiny::new();
}

/// A broken rule is a crash, as a panic is.
fn held(outcome: Result<(), String>) {
    if let Err(why) = outcome {
        panic!("{why}");
    }
}

fuzz_target!(|data: &[u8]| {
    let (pick, bytes) = data.split_first().map_or((0, data), |(p, rest)| (usize::from(*p), rest));
    TINY.with(|r| held(r.table(pick, bytes)));
});
