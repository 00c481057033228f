//! Fuzz target: A model kept in one workbook: the bytes are the model.xlsx of the template `init` writes. Whatever the bytes, the reader gives a result or one-line problems
//! naming the file (see `tests/prop/readers.rs`, which the property tests share).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../prop/readers.rs"]
mod readers;

thread_local! {
    static WORKBOOK: readers::Workbook = readers::Workbook::new();
}

/// A broken rule is a crash, as a panic is.
fn held(outcome: Result<(), String>) {
    if let Err(why) = outcome {
        panic!("{why}");
    }
}

fuzz_target!(|data: &[u8]| {
    WORKBOOK.with(|r| held(r.read(data)));
});
