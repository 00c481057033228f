//! One run writes into an output folder at a time: the run holds an exclusive lock on the
//! folder's lock file, `.sufficiency-lock`, while it writes, and removes the file when done.
//! A second run waits for the first to finish writing (writing takes a second or so; the
//! solving before it, which may take minutes, holds no lock), up to a limit, and then
//! refuses with a message naming the folder.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::optimise::run::Error;

/// The name of the lock file in an output folder.
pub(super) const LOCK_NAME: &str = ".sufficiency-lock";

/// How long a run waits for another run writing into the same folder:
/// `SUFFICIENCY_TEST_LOCK_WAIT` (seconds, for tests only), else 60 seconds.
fn longest_wait() -> Duration {
    let seconds = std::env::var("SUFFICIENCY_TEST_LOCK_WAIT").ok().and_then(|s| s.trim().parse().ok());
    Duration::from_secs_f64(seconds.unwrap_or(60.0))
}

/// The lock of one output folder, held until dropped.
#[derive(Debug)]
pub(super) struct FolderLock {
    file: File,
    path: PathBuf,
}

impl FolderLock {
    /// Takes the lock of `folder` (which exists), waiting for another run's write to end.
    ///
    /// # Errors
    /// [`Error::Output`] naming the folder if the lock file cannot be made, if another run
    /// holds it longer than the wait allows, or if Ctrl-C or TERM came while waiting.
    pub(super) fn take(folder: &Path) -> Result<FolderLock, Error> {
        let fail = |source| Error::Output { path: folder.to_path_buf(), source };
        let path = folder.join(LOCK_NAME);
        let wait = longest_wait();
        let start = Instant::now();
        loop {
            let file = match OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path) {
                Ok(file) => file,
                // On Windows a lock file its run has just removed cannot be opened until that
                // run closes it: wait as for a held lock.
                Err(e)
                    if cfg!(windows) && e.kind() == std::io::ErrorKind::PermissionDenied && start.elapsed() < wait =>
                {
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
                Err(e) => return Err(fail(e)),
            };
            match file.try_lock() {
                Ok(()) => {
                    // The run before may have removed the file between our opening it and
                    // locking it: the lock counts only on the file now at the name.
                    let same = same_file::Handle::from_path(&path)
                        .and_then(|at_name| Ok(at_name == same_file::Handle::from_file(file.try_clone()?)?));
                    if same.unwrap_or(false) {
                        return Ok(FolderLock { file, path });
                    }
                }
                // A file system that cannot lock (some network drives): written as before,
                // without the lock.
                Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                    return Ok(FolderLock { file, path });
                }
                Err(TryLockError::Error(e)) => return Err(fail(e)),
                Err(TryLockError::WouldBlock) => {
                    if super::interruption::requested() {
                        return Err(fail(std::io::Error::other(
                            "interrupted while waiting for another run writing into this folder: nothing was written",
                        )));
                    }
                    if start.elapsed() >= wait {
                        return Err(fail(std::io::Error::other(format!(
                            "another sufficiency run is writing into this folder (it holds {LOCK_NAME}): waited {} s; expected it to finish first: run again when it has",
                            wait.as_secs_f64()
                        ))));
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }
}

impl Drop for FolderLock {
    /// The lock file is removed while still locked, then closed (which unlocks it): a run
    /// waiting on it finds it gone and makes a new one.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The locks a run holds, one a folder (named as written, absolute), all released when
/// dropped.
#[derive(Debug, Default)]
pub(super) struct Locks {
    held: std::collections::BTreeMap<PathBuf, FolderLock>,
}

impl Locks {
    /// Takes the lock of `folder` unless already held.
    ///
    /// # Errors
    /// As [`FolderLock::take`].
    pub(super) fn hold(&mut self, folder: &Path) -> Result<(), Error> {
        if !self.held.contains_key(folder) {
            let lock = FolderLock::take(folder)?;
            self.held.insert(folder.to_path_buf(), lock);
        }
        Ok(())
    }
}
