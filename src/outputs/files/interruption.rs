//! Ctrl-C and TERM while outputs are written: from the first write on, either signal only
//! asks the run to stop, and the writer stops between two steps, undoing what it had done or,
//! once every new file is complete, finishing. Also the steps' count, and a pause or a
//! failure after step N that only the tests ask for.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// The flag INT and TERM set, once the first write has asked for it.
fn flag() -> &'static Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            // Without the handler (a platform that has none), the signal ends the run as
            // before: the next run finishes or undoes the write from its journal.
            let _ = signal_hook::flag::register(signal, Arc::clone(&flag));
        }
        flag
    })
}

/// From now on Ctrl-C and TERM ask the run to stop rather than end it. Called when files
/// are about to be written: before that (reading, solving) they end the run at once, as
/// nothing has been written.
pub(super) fn watch() {
    flag();
}

/// Whether Ctrl-C or TERM has asked the run to stop.
pub(super) fn requested() -> bool {
    flag().load(Ordering::SeqCst)
}

/// What the tests ask the writer to do after one step, from `SUFFICIENCY_TEST_WRITE_STEP`
/// (for tests only: `pause:N` waits after step N for a line on standard input, having said
/// so on standard error; `fail:N` fails there, as a disk might; `list` names each step on
/// standard error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hook {
    Pause(usize),
    Fail(usize),
    List,
}

/// The steps of one write, counted: each file written aside, each journal, each move.
#[derive(Debug)]
pub(super) struct Steps {
    done: usize,
    hook: Option<Hook>,
}

impl Steps {
    /// No step done yet; the tests' hook read from the environment.
    pub(super) fn new() -> Steps {
        let hook = std::env::var("SUFFICIENCY_TEST_WRITE_STEP").ok().and_then(|v| {
            if v == "list" {
                return Some(Hook::List);
            }
            let (what, n) = v.split_once(':')?;
            let n = n.trim().parse().ok()?;
            match what {
                "pause" => Some(Hook::Pause(n)),
                "fail" => Some(Hook::Fail(n)),
                _ => None,
            }
        });
        Steps { done: 0, hook }
    }

    /// Step `what` is done.
    ///
    /// # Errors
    /// Only the failure a test asked for.
    pub(super) fn done(&mut self, what: &str) -> std::io::Result<()> {
        self.done += 1;
        match self.hook {
            Some(Hook::Pause(n)) if n == self.done => {
                eprintln!("sufficiency: paused after write step {n} ({what}) for a test");
                let mut line = String::new();
                let _ = std::io::stdin().read_line(&mut line);
            }
            Some(Hook::Fail(n)) if n == self.done => {
                return Err(std::io::Error::other(format!("failed after write step {n} ({what}) for a test")));
            }
            Some(Hook::List) => eprintln!("sufficiency: write step {}: {what}", self.done),
            _ => {}
        }
        Ok(())
    }
}
