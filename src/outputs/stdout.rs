//! Whether standard output was closed when the program started (`sufficiency solve … >&-`):
//! the report would be lost, so it is an output error, not a silent success.
//!
//! A closed standard output cannot be seen directly: before `main`, Rust's standard library
//! (`sanitize_standard_fds`) reopens a closed standard input, output or error on /dev/null,
//! opened for reading and writing, so that writing to it succeeds and is thrown away. A
//! shell's `> /dev/null`, and a Rust program's `Stdio::null()`, open /dev/null for writing
//! only; a pipe, a file or a terminal is not /dev/null. So, on Linux, standard output that
//! is /dev/null opened for reading and writing (the flags in /proc/self/fdinfo/1) was closed
//! at the start. Python's `subprocess.DEVNULL` (and a shell's `1<>/dev/null`) also open
//! /dev/null for reading and writing, and look the same: they are refused too, the message
//! saying how to discard the report instead (`> /dev/null`, or in Python
//! `stdout=open(os.devnull, "w")`). Elsewhere than Linux nothing is checked.

use crate::optimise::run::Error;

/// What the planner is told when standard output was closed.
pub const CLOSED: &str = "it is closed, or is /dev/null opened for reading and writing (as Python's \
                          subprocess.DEVNULL does): expected somewhere to write the report; to discard it, \
                          redirect it to /dev/null for writing (> /dev/null, or in Python stdout=open(os.devnull, \"w\"))";

/// Fails if standard output was closed when the program started ([`closed_at_start`]).
///
/// # Errors
/// [`Error::Output`] naming standard output, with [`CLOSED`].
pub fn check_open() -> Result<(), Error> {
    if was_closed() {
        Err(Error::Output { path: "standard output".into(), source: std::io::Error::other(CLOSED) })
    } else {
        Ok(())
    }
}

/// Whether standard output is the /dev/null Rust's standard library put in place of a closed
/// one. Anything that cannot be read from /proc counts as open.
#[cfg(target_os = "linux")]
fn was_closed() -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let (Ok(out), Ok(null)) = (std::fs::metadata("/proc/self/fd/1"), std::fs::metadata("/dev/null")) else {
        return false;
    };
    let is_null = out.dev() == null.dev() && out.ino() == null.ino();
    is_null && std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| closed_at_start(&info))
}

/// Elsewhere than Linux nothing is checked.
#[cfg(not(target_os = "linux"))]
fn was_closed() -> bool {
    false
}

/// Whether /dev/null, with `fdinfo` the text of /proc/self/fdinfo/1 (`flags:` in octal), is
/// open for reading and writing (`O_RDWR`), as the standard library reopens a closed stream;
/// no flags found means open.
#[must_use]
pub fn closed_at_start(fdinfo: &str) -> bool {
    const ACCESS_MODE: u32 = 0o3;
    const READ_WRITE: u32 = 0o2;
    fdinfo
        .lines()
        .find_map(|line| line.strip_prefix("flags:"))
        .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
        .is_some_and(|flags| flags & ACCESS_MODE == READ_WRITE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_null_opened_for_reading_and_writing_is_a_closed_standard_output() {
        // As read on Linux x86-64: std's reopening of a closed fd 1; `> /dev/null`; a
        // file (append); no flags line.
        assert!(closed_at_start("pos:\t0\nflags:\t0100002\nmnt_id:\t27\nino:\t5\n"));
        assert!(closed_at_start("pos:\t0\nflags:\t02\n"));
        assert!(!closed_at_start("pos:\t0\nflags:\t0100001\nmnt_id:\t27\nino:\t5\n"));
        assert!(!closed_at_start("pos:\t0\nflags:\t0102001\n"));
        assert!(!closed_at_start("pos:\t0\nflags:\t0100000\n"));
        assert!(!closed_at_start("pos:\t0\n"));
        assert!(!closed_at_start("flags:\tnot octal\n"));
    }
}
