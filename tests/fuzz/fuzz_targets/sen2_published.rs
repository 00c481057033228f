//! Fuzz target: A published SEN2 file (`check --against`): the first byte picks which fixture file's name it takes and whether the authority is named by code, the rest is its text. Whatever the bytes, the reader gives a result or one-line problems
//! naming the file (see `tests/prop/readers.rs`, which the property tests share).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../prop/readers.rs"]
mod readers;

thread_local! {
    static PUBLISHED: readers::Sen2Published = readers::Sen2Published::new();
}

/// A broken rule is a crash, as a panic is.
fn held(outcome: Result<(), String>) {
    if let Err(why) = outcome {
        panic!("{why}");
    }
}

fuzz_target!(|data: &[u8]| {
    let (pick, bytes) = data.split_first().map_or((0, data), |(p, rest)| (usize::from(*p), rest));
    PUBLISHED.with(|r| held(r.read(pick / 2, bytes, pick % 2 == 1)));
});
