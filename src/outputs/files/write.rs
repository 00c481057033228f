//! Writing a command's files all or none, even when the run is stopped or another run
//! writes into the same folder: under each folder's lock, every new file is written beside
//! its place, then (the journal written) moved in, old files set aside until all are in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::optimise::run::Error;

use super::interruption::{self, Steps};
use super::journal::{self, Entry, Journal, Kind, State};
use super::lock::Locks;

/// The error for `path`.
fn fail(path: &Path) -> impl FnOnce(std::io::Error) -> Error + use<> {
    let path = path.to_path_buf();
    move |source| Error::Output { path, source }
}

/// Writes `files`, all or none, and when `replacing` names a folder and an extension,
/// removes (in the same write) every file of that extension in that folder that is not
/// one of `files`.
///
/// # Errors
/// [`Error::Output`] naming the file or folder that could not be written, locked or
/// removed, or saying the run was interrupted.
pub(super) fn write<B: AsRef<[u8]>>(files: &[(PathBuf, B)], replacing: Option<(&Path, &str)>) -> Result<(), Error> {
    // An output never replaces a file the model was read from (`--write-lp demand.csv`).
    if let Some((path, _)) = files.iter().find(|(p, _)| crate::model::input::is_input(p)) {
        return Err(Error::Output {
            path: path.clone(),
            source: std::io::Error::other("it is one of the model's input files: expected a new file name"),
        });
    }
    if files.is_empty() {
        return Ok(());
    }
    interruption::watch();
    // Each folder made as needed and named absolutely, so that two runs naming one folder
    // differently take the same lock, and take their locks in the same order.
    let mut folders: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut targets: Vec<(&Path, PathBuf)> = Vec::new();
    let mut absolute = |dir: &Path| -> Result<PathBuf, Error> {
        std::fs::create_dir_all(dir).map_err(fail(dir))?;
        let canonical = dir.canonicalize().map_err(fail(dir))?;
        folders.entry(canonical.clone()).or_insert_with(|| dir.to_path_buf());
        Ok(canonical)
    };
    for (path, _) in files {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let folder = absolute(dir)?;
        let name = path.file_name().ok_or_else(|| fail(path)(std::io::Error::other("expected a file name")))?;
        let target = folder.join(name);
        if targets.iter().any(|(_, t)| *t == target) {
            return Err(fail(path)(std::io::Error::other(
                "it is named twice among this run's outputs: expected a different file for each",
            )));
        }
        targets.push((path, target));
    }
    let replacing = match replacing {
        Some((folder, extension)) if folder.is_dir() => Some((absolute(folder)?, folder, extension)),
        _ => None,
    };
    let mut locks = Locks::default();
    for folder in folders.keys() {
        locks.hold(folder)?;
    }
    for folder in folders.keys() {
        journal::recover(folder, &mut |other| if other.is_dir() { locks.hold(other) } else { Ok(()) })?;
    }
    for folder in folders.keys() {
        journal::remove_stale(folder);
    }
    let entries = plan(&targets, replacing)?;
    let mut steps = Steps::new();
    let result = move_in(files, entries, &folders, &mut steps);
    drop(locks);
    result
}

/// What becomes of each file: the new ones (replacing or created), then the old ones
/// dropped, before anything is written. Nothing is replaced unless every target can be: one
/// that is a folder (or anything but a file) stops the run here.
fn plan(targets: &[(&Path, PathBuf)], replacing: Option<(PathBuf, &Path, &str)>) -> Result<Vec<Entry>, Error> {
    let pid = std::process::id();
    let aside = |target: &Path, suffix: &str| {
        let name = target.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        target.with_file_name(format!(".{name}.{pid}.{suffix}"))
    };
    let mut entries = Vec::new();
    for (shown, target) in targets {
        let meta = target.symlink_metadata();
        if meta.as_ref().is_ok_and(|m| !m.is_file()) {
            return Err(fail(shown)(std::io::Error::other(
                "it is a folder (or not a file): expected a file to replace",
            )));
        }
        let kind = if meta.is_ok() { Kind::Replace } else { Kind::Create };
        entries.push(Entry {
            kind,
            target: target.clone(),
            partial: Some(aside(target, "partial")),
            backup: (kind == Kind::Replace).then(|| aside(target, "old")),
            shown: shown.to_path_buf(),
        });
    }
    if let Some((folder, shown_folder, extension)) = replacing {
        let listing = std::fs::read_dir(&folder).map_err(fail(shown_folder))?;
        let mut dropped = Vec::new();
        for item in listing {
            let item = item.map_err(fail(shown_folder))?;
            let name = item.file_name();
            let path = folder.join(&name);
            let ours = targets.iter().any(|(_, t)| *t == path);
            let hidden = name.to_string_lossy().starts_with('.');
            if ours || hidden || path.extension().is_none_or(|e| e != extension) {
                continue;
            }
            let shown = shown_folder.join(&name);
            if item.file_type().map_err(fail(&shown))?.is_dir() {
                return Err(fail(&shown)(std::io::Error::other(
                    "it is a folder: expected a file this run can remove (it writes none of that name)",
                )));
            }
            dropped.push(Entry {
                kind: Kind::Drop,
                backup: Some(aside(&path, "old")),
                target: path,
                partial: None,
                shown,
            });
        }
        dropped.sort_by(|a, b| a.target.cmp(&b.target));
        entries.extend(dropped);
    }
    Ok(entries)
}

/// The error for a run stopped by Ctrl-C or TERM.
fn interrupted(path: &Path, what: &str) -> Error {
    fail(path)(std::io::Error::new(std::io::ErrorKind::Interrupted, format!("interrupted (Ctrl-C or TERM): {what}")))
}

/// Writes each new file beside its place, then the journal, then makes the moves; undoes
/// everything on a failure, and on Ctrl-C or TERM before the journal; finishes after it.
fn move_in<B: AsRef<[u8]>>(
    files: &[(PathBuf, B)],
    entries: Vec<Entry>,
    folders: &BTreeMap<PathBuf, PathBuf>,
    steps: &mut Steps,
) -> Result<(), Error> {
    let first_folder = folders.values().next().map_or_else(|| PathBuf::from("."), Clone::clone);
    let mut journal = Journal {
        run: format!("{}-{:?}", std::process::id(), std::time::SystemTime::now()),
        state: State::Forward,
        folders: folders.keys().cloned().collect(),
        entries,
    };
    // Before the journal that counts, a failure or an interruption leaves the old files as
    // they were: only the new files aside and the journal copies are removed.
    let undo_unbegun = |journal: &Journal, error: Error| {
        let _ = journal.back();
        journal.close();
        Err(error)
    };
    for (entry, (_, body)) in journal.entries.iter().zip(files) {
        let Some(partial) = &entry.partial else { continue };
        let written = std::fs::write(partial, body).and_then(|()| steps.done("wrote a new file aside"));
        if let Err(e) = written {
            return undo_unbegun(&journal, fail(&entry.shown)(e));
        }
        if interruption::requested() {
            return undo_unbegun(&journal, interrupted(&first_folder, "nothing was changed"));
        }
    }
    // The copies first, the journal that counts (in the first folder) last.
    let mut order: Vec<PathBuf> = journal.folders.clone();
    order.rotate_left(1);
    let first = order.last().cloned();
    for folder in &order {
        let shown = folders.get(folder).map_or(folder.as_path(), PathBuf::as_path);
        let saved = journal.save(folder).map_err(fail(shown));
        let counts = Some(folder) == first.as_ref();
        if let Err(e) = saved {
            return undo_unbegun(&journal, e);
        }
        if let Err(e) = steps.done(if counts { "wrote the journal" } else { "wrote a copy of the journal" }) {
            if counts {
                return undo_begun(&mut journal, fail(shown)(e));
            }
            return undo_unbegun(&journal, fail(shown)(e));
        }
        if !counts && interruption::requested() {
            return undo_unbegun(&journal, interrupted(&first_folder, "nothing was changed"));
        }
    }
    // From here on the write is finished even if interrupted: every new file is complete.
    if let Err((path, e)) = journal.forward(Some(steps)) {
        return undo_begun(&mut journal, fail(&path)(e));
    }
    journal.finish(Some(steps));
    if interruption::requested() {
        return Err(interrupted(&first_folder, "every new file had been written: the new output is in place, whole"));
    }
    Ok(())
}

/// Undoes a write whose journal counts, after `error`.
fn undo_begun(journal: &mut Journal, error: Error) -> Result<(), Error> {
    match journal.undo() {
        Ok(()) => Err(error),
        Err(e) => Err(Error::Output {
            path: journal.folders.first().cloned().unwrap_or_default(),
            source: std::io::Error::other(format!(
                "{error}; then could not put the old files back ({e}): the next run into this folder will"
            )),
        }),
    }
}

#[cfg(test)]
mod tests;
