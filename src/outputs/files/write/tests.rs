//! Unit tests of writing files all or none: old files dropped in the same write, and a
//! folder left by a stopped run made whole by the next.

use std::path::{Path, PathBuf};

use super::super::journal::{Entry, JOURNAL_NAME, Journal, Kind, State, is_stale_name};
use super::write;

/// Every name in `dir` and its subfolders, hidden ones too, with the text of each file.
fn listing(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
                out.push((name, "<folder>".into()));
            } else {
                out.push((name, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = items.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect();
    v.sort();
    v
}

#[test]
fn names_of_files_left_while_writing_are_known_and_no_others() {
    assert!(is_stale_name(".annex.html.4242.partial"));
    assert!(is_stale_name(".annex.xlsx.4242.old"));
    assert!(is_stale_name(".sufficiency-journal.17.partial"));
    for name in ["annex.html", ".annex.html.partial", ".old", "..1.old", ".a.b.old", ".sufficiency-lock", "a.1.old"] {
        assert!(!is_stale_name(name), "{name}");
    }
}

#[test]
fn tables_an_earlier_run_wrote_and_this_one_does_not_are_removed_in_the_same_write() {
    let dir = tempfile::tempdir().unwrap();
    let tables = dir.path().join("tables");
    std::fs::create_dir(&tables).unwrap();
    std::fs::write(tables.join("old.csv"), "old\n").unwrap();
    std::fs::write(tables.join("kept.csv"), "before\n").unwrap();
    std::fs::write(tables.join("notes.txt"), "not a table\n").unwrap();
    let files = [(dir.path().join("page.html"), "page\n"), (tables.join("kept.csv"), "after\n")];
    write(&files, Some((&tables, "csv"))).unwrap();
    assert_eq!(
        listing(dir.path()),
        pairs(&[
            ("page.html", "page\n"),
            ("tables", "<folder>"),
            ("tables/kept.csv", "after\n"),
            ("tables/notes.txt", "not a table\n")
        ]),
        "no lock file, journal or file set aside is left"
    );
}

#[test]
fn a_folder_in_place_of_a_table_to_remove_stops_the_write_before_anything_changes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("zz.csv/inside")).unwrap();
    std::fs::write(dir.path().join("a.csv"), "old\n").unwrap();
    let before = listing(dir.path());
    let files = [(dir.path().join("a.csv"), "new\n")];
    let Err(crate::optimise::run::Error::Output { path, .. }) = write(&files, Some((dir.path(), "csv"))) else {
        panic!("written")
    };
    assert_eq!(path, dir.path().join("zz.csv"));
    assert_eq!(listing(dir.path()), before);
}

/// The state a run killed part way through its moves leaves: `a` set aside and the new `a`
/// not yet moved in, `b` (new) not yet moved in, `gone` not yet set aside.
fn killed_mid_write(dir: &Path, counts: bool) -> Journal {
    let p = |name: &str| dir.join(name);
    std::fs::write(p("a.csv"), "old a\n").unwrap();
    std::fs::write(p("gone.csv"), "old gone\n").unwrap();
    std::fs::write(p(".a.csv.7.partial"), "new a\n").unwrap();
    std::fs::write(p(".b.csv.7.partial"), "new b\n").unwrap();
    let entry = |kind, name: &str, partial: Option<&str>, backup: Option<&str>| Entry {
        kind,
        target: p(name),
        partial: partial.map(p),
        backup: backup.map(p),
        shown: PathBuf::from(name),
    };
    let journal = Journal {
        run: "7-then".into(),
        state: State::Forward,
        folders: vec![if counts { dir.to_path_buf() } else { dir.join("first") }],
        entries: vec![
            entry(Kind::Replace, "a.csv", Some(".a.csv.7.partial"), Some(".a.csv.7.old")),
            entry(Kind::Create, "b.csv", Some(".b.csv.7.partial"), None),
            entry(Kind::Drop, "gone.csv", None, Some(".gone.csv.7.old")),
        ],
    };
    journal.save(dir).unwrap();
    if counts {
        std::fs::rename(p("a.csv"), p(".a.csv.7.old")).unwrap();
    }
    journal
}

#[test]
fn the_next_run_finishes_a_write_stopped_after_its_journal() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    killed_mid_write(&dir, true);
    write(&[(dir.join("other.txt"), "x\n")], None).unwrap();
    assert_eq!(
        listing(&dir),
        pairs(&[("a.csv", "new a\n"), ("b.csv", "new b\n"), ("other.txt", "x\n")]),
        "the write finished: every new file in, the dropped one gone, nothing hidden left"
    );
}

#[test]
fn the_next_run_undoes_a_write_whose_journal_had_not_been_written_in_its_first_folder() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().canonicalize().unwrap();
    std::fs::create_dir(dir.join("first")).unwrap();
    killed_mid_write(&dir, false);
    write(&[(dir.join("other.txt"), "x\n")], None).unwrap();
    assert_eq!(
        listing(&dir),
        pairs(&[("a.csv", "old a\n"), ("first", "<folder>"), ("gone.csv", "old gone\n"), ("other.txt", "x\n")]),
        "nothing had moved: the new files aside and the copy of the journal are removed"
    );
    assert!(!dir.join(JOURNAL_NAME).exists());
}

#[test]
fn a_write_being_undone_when_stopped_is_undone_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let mut journal = killed_mid_write(&dir, true);
    // It had moved everything in, then a move failed and it began to undo.
    journal.forward(None).unwrap();
    journal.state = State::Back;
    journal.save(&dir).unwrap();
    write(&[(dir.join("other.txt"), "x\n")], None).unwrap();
    assert_eq!(listing(&dir), pairs(&[("a.csv", "old a\n"), ("gone.csv", "old gone\n"), ("other.txt", "x\n")]));
}
