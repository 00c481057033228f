//! The journal of a write: once every new file is complete beside its place (as
//! `.NAME.PID.partial`), the run writes the list of moves it is about to make, then makes
//! them (each old file set aside as `.NAME.PID.old`, the new one moved in, each old file the
//! run drops set aside), then removes what it set aside and the journal. A run stopped at any
//! point (even by KILL) leaves a folder the next run into it makes whole again, holding the
//! folder's lock: with a journal, it finishes the moves (or, if the run was undoing them,
//! undoes them); without one, nothing had moved, and the hidden files are removed.
//!
//! A write into several folders (the annex and its tables) keeps a copy of the journal in
//! each, written before the first folder's: the write counts as begun only once that
//! first journal is there.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::interruption::Steps;

/// The name of the journal in a folder.
pub(super) const JOURNAL_NAME: &str = ".sufficiency-journal";

/// What becomes of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum Kind {
    /// A new file where there was none.
    Create,
    /// A new file in place of an old one.
    Replace,
    /// An old file this run does not write again, removed.
    Drop,
}

/// One file of the write.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    pub(super) kind: Kind,
    /// Where the file goes (or the old file dropped).
    pub(super) target: PathBuf,
    /// The new file, complete, beside it (none when dropped).
    pub(super) partial: Option<PathBuf>,
    /// Where the old file is set aside (none when there was none).
    pub(super) backup: Option<PathBuf>,
    /// The file as the command named it, for messages.
    pub(super) shown: PathBuf,
}

/// Whether the moves are being made or undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum State {
    Forward,
    Back,
}

/// The journal of one write.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Journal {
    /// The run that wrote it (process id and time).
    pub(super) run: String,
    pub(super) state: State,
    /// Every folder the write touches; the first holds the journal that counts.
    pub(super) folders: Vec<PathBuf>,
    pub(super) entries: Vec<Entry>,
}

/// Whether `path` names anything (a file, a folder, a link).
fn there(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

impl Journal {
    /// The journal in `folder`, if there is one.
    ///
    /// # Errors
    /// One that cannot be read or is not a journal.
    pub(super) fn load(folder: &Path) -> std::io::Result<Option<Journal>> {
        let path = folder.join(JOURNAL_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            std::io::Error::other(format!(
                "{}: cannot read the journal of an interrupted write ({e}): expected one this program wrote",
                path.display()
            ))
        })
    }

    /// Writes the journal into `folder`, whole or not at all (aside, then renamed).
    ///
    /// # Errors
    /// If it cannot be written.
    pub(super) fn save(&self, folder: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let aside = folder.join(format!("{JOURNAL_NAME}.{}.partial", std::process::id()));
        std::fs::write(&aside, text)?;
        std::fs::rename(&aside, folder.join(JOURNAL_NAME)).inspect_err(|_| {
            let _ = std::fs::remove_file(&aside);
        })
    }

    /// The journal that counts, in the first folder, if this is that journal or a copy of it.
    fn first(&self) -> std::io::Result<Option<Journal>> {
        let Some(folder) = self.folders.first() else { return Ok(None) };
        Ok(Journal::load(folder)?.filter(|j| j.run == self.run))
    }

    /// Makes the moves not yet made, in order: each may already be done (a run stopped
    /// part way through). `steps` counts them in a live run.
    ///
    /// # Errors
    /// The first move that fails, with its entry's file as the command named it.
    pub(super) fn forward(&self, mut steps: Option<&mut Steps>) -> Result<(), (PathBuf, std::io::Error)> {
        let mut step = |what: &str| steps.as_mut().map_or(Ok(()), |s| s.done(what));
        for e in &self.entries {
            let fail = |source| (e.shown.clone(), source);
            match (&e.partial, &e.backup) {
                (Some(partial), backup) if there(partial) => {
                    if let Some(backup) = backup
                        && there(&e.target)
                        && !there(backup)
                    {
                        std::fs::rename(&e.target, backup).map_err(fail)?;
                        step("set the old file aside").map_err(fail)?;
                    }
                    std::fs::rename(partial, &e.target).map_err(fail)?;
                    step("moved the new file in").map_err(fail)?;
                }
                (None, Some(backup)) if there(&e.target) && !there(backup) => {
                    std::fs::rename(&e.target, backup).map_err(fail)?;
                    step("set a dropped file aside").map_err(fail)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Undoes the moves made, last first: each old file back in its place, each new file
    /// where there was none removed, every new file still aside removed.
    pub(super) fn back(&self) -> std::io::Result<()> {
        let mut first_error = Ok(());
        let mut keep = |r: std::io::Result<()>| {
            if first_error.is_ok() {
                first_error = r;
            }
        };
        for e in self.entries.iter().rev() {
            match (e.kind, &e.partial, &e.backup) {
                (_, _, Some(backup)) if there(backup) => keep(std::fs::rename(backup, &e.target)),
                (Kind::Create, Some(partial), _) if !there(partial) && there(&e.target) => {
                    keep(std::fs::remove_file(&e.target));
                }
                _ => {}
            }
            if let Some(partial) = &e.partial
                && there(partial)
            {
                keep(std::fs::remove_file(partial));
            }
        }
        first_error
    }

    /// After the moves: removes the old files set aside, then the journals (the copies,
    /// then the one that counts). Nothing here can leave a folder part old, part new.
    pub(super) fn finish(&self, mut steps: Option<&mut Steps>) {
        for e in &self.entries {
            if let Some(backup) = &e.backup
                && there(backup)
            {
                let _ = std::fs::remove_file(backup);
                if let Some(s) = steps.as_mut() {
                    let _ = s.done("removed an old file set aside");
                }
            }
        }
        self.close();
    }

    /// Removes this write's journals: the copies, then the one that counts.
    pub(super) fn close(&self) {
        for folder in self.folders.iter().skip(1).chain(self.folders.first()) {
            if Journal::load(folder).ok().flatten().is_some_and(|j| j.run == self.run) {
                let _ = std::fs::remove_file(folder.join(JOURNAL_NAME));
            }
        }
    }

    /// Marks the journal that counts as being undone, then undoes the moves and removes
    /// the journals: what a run does when a move fails.
    ///
    /// # Errors
    /// If an old file cannot be put back (the journal then stays, for the next run).
    pub(super) fn undo(&mut self) -> std::io::Result<()> {
        self.state = State::Back;
        if let Some(first) = self.folders.first() {
            self.save(first)?;
        }
        self.back()?;
        self.close();
        Ok(())
    }
}

/// Makes `folder` whole again after a run that was stopped while writing into it: finishes
/// or undoes the write its journal records. `hold` takes the lock of another folder the
/// journal names (the caller holds this one's).
///
/// # Errors
/// A journal that cannot be read, a folder it names that cannot be locked, or moves that
/// can be neither finished nor undone.
pub(super) fn recover(
    folder: &Path,
    hold: &mut dyn FnMut(&Path) -> Result<(), crate::optimise::run::Error>,
) -> Result<(), crate::optimise::run::Error> {
    let fail = |source| crate::optimise::run::Error::Output { path: folder.join(JOURNAL_NAME), source };
    let Some(journal) = Journal::load(folder).map_err(fail)? else { return Ok(()) };
    for other in &journal.folders {
        hold(other)?;
    }
    match journal.first().map_err(fail)? {
        Some(mut first) if first.state == State::Forward => {
            if first.forward(None).is_err() {
                first.undo().map_err(fail)?;
            } else {
                first.finish(None);
            }
        }
        Some(first) => {
            first.back().map_err(fail)?;
            first.close();
        }
        // The write had not begun: only its new files aside and journal copies are there.
        None => {
            journal.back().map_err(fail)?;
            journal.close();
        }
    }
    Ok(())
}

/// Removes what runs that are no longer running left in `folder`: hidden new files
/// (`.NAME.PID.partial`), old files set aside (`.NAME.PID.old`) and journals being written.
/// Only called holding the folder's lock, after [`recover`]: no live run can own them.
pub(super) fn remove_stale(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_stale_name(name) && entry.file_type().is_ok_and(|t| !t.is_dir()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether `name` is one this program gives a file only while it writes:
/// `.NAME.PID.partial` or `.NAME.PID.old`.
pub(super) fn is_stale_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else { return false };
    let Some(rest) = rest.strip_suffix(".partial").or_else(|| rest.strip_suffix(".old")) else { return false };
    rest.rsplit_once('.')
        .is_some_and(|(stem, pid)| !stem.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}
