//! `annex --out` stopped at each step of its write (Ctrl-C, TERM, KILL, a failing disk), two
//! runs into one folder at once, an old table that cannot be removed: the folder always ends
//! holding one whole annex, the old one or the new one, and no hidden file (issue 26, cases
//! 5–7). The writer is paused or made to fail after step N by `SUFFICIENCY_TEST_WRITE_STEP`,
//! which only tests set.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use calamine::{Reader, Xlsx, open_workbook};

use crate::util::Case;

/// What a folder holds: each file (hidden ones too) by its path in the folder, with its
/// text (a workbook by its cells: the file records when it was made) or `<folder>`.
type Snapshot = BTreeMap<String, String>;

fn snapshot(dir: &Path) -> Snapshot {
    let mut out = Snapshot::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("folder") {
            let path = entry.expect("entry").path();
            let name = path.strip_prefix(dir).expect("inside").to_string_lossy().into_owned();
            if path.is_dir() {
                out.insert(name, "<folder>".into());
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "xlsx") {
                let cells = open_workbook::<Xlsx<_>, _>(&path).map(|mut book: Xlsx<_>| {
                    let names = book.sheet_names();
                    names
                        .iter()
                        .map(|s| {
                            format!(
                                "{s}: {:?}",
                                book.worksheet_range(s)
                                    .map(|r| r
                                        .rows()
                                        .map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>())
                                        .collect::<Vec<_>>())
                                    .ok()
                            )
                        })
                        .collect::<String>()
                });
                out.insert(name, cells.unwrap_or_else(|e| format!("<unreadable workbook: {e}>")));
            } else {
                out.insert(name, String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned());
            }
        }
    }
    out
}

/// Which of `wholes` the snapshot is, or a panic listing the files that differ.
fn which_whole(now: &Snapshot, wholes: &[(&str, &Snapshot)], context: &str) -> String {
    if let Some((name, _)) = wholes.iter().find(|(_, w)| *w == now) {
        return (*name).to_string();
    }
    let mut report = String::new();
    for (name, w) in wholes {
        let differ: Vec<&String> = now
            .keys()
            .chain(w.keys())
            .filter(|k| now.get(*k) != w.get(*k))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        report.push_str(&format!("\n  against the {name} annex, these differ: {differ:?}"));
    }
    panic!("{context}: the folder holds neither whole annex:{report}");
}

/// The annex command, in the case's folder, with a fixed date.
fn annex(case: &Case, model: &str, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sufficiency"));
    c.args(["--quiet", "annex", model, "--out", "out"]).args(extra).current_dir(case.dir.path());
    c.env("SOURCE_DATE_EPOCH", "1764000000").env_remove("SUFFICIENCY_TEST_WRITE_STEP");
    c
}

/// The annex `model` writes into a new folder, as the folder then holds it.
fn whole(model: &str, extra: &[&str]) -> Snapshot {
    let case = Case::fixture("tiny");
    let o = annex(&case, model, extra).output().expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    snapshot(&case.path("out"))
}

/// A copy of the tiny fixture whose `out` folder holds the annex of `horizon.toml` (made
/// once, in `template`, then copied).
fn with_old_annex(template: &Case) -> Case {
    let case = Case::fixture("tiny");
    let mut stack = vec![std::path::PathBuf::from("out")];
    while let Some(rel) = stack.pop() {
        std::fs::create_dir_all(case.dir.path().join(&rel)).expect("folder");
        for entry in std::fs::read_dir(template.dir.path().join(&rel)).expect("template") {
            let entry = entry.expect("entry");
            let name = rel.join(entry.file_name());
            if entry.path().is_dir() {
                stack.push(name);
            } else {
                std::fs::copy(entry.path(), case.dir.path().join(&name)).expect("copy");
            }
        }
    }
    case
}

/// The tiny fixture with the annex of `horizon.toml` written into `out`.
fn old_annex() -> Case {
    let case = Case::fixture("tiny");
    let o = annex(&case, "horizon.toml", &[]).output().expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    case
}

/// A child paused after write step `step` (stdin held to resume it), once it says so; or
/// its status and standard error if it finished without reaching that step.
#[allow(clippy::zombie_processes, reason = "every child is waited for by the caller or here")]
fn paused_at(mut command: Command, step: usize) -> Result<(Child, String), (std::process::ExitStatus, String)> {
    command.env("SUFFICIENCY_TEST_WRITE_STEP", format!("pause:{step}"));
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    let mut err = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        if err.read_line(&mut line).expect("stderr") == 0 {
            return Err((child.wait().expect("wait"), seen));
        }
        seen.push_str(&line);
        if line.contains("paused after write step") {
            // The rest of standard error is read in the background, so that the child never
            // blocks on it.
            std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
            return Ok((child, line));
        }
    }
}

/// Lets a paused child go on.
fn resume(child: &mut Child) {
    let mut input = child.stdin.take().expect("stdin");
    let _ = input.write_all(b"\n");
}

fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill").args(["-s", name, &child.id().to_string()]).status().expect("kill runs");
    assert!(ok.success());
}

/// The write's steps, as the writer names them (one run with the tests' `list` hook), into
/// a folder holding the annex of `horizon.toml`.
fn steps_of_the_write(template: &Case) -> Vec<String> {
    let case = with_old_annex(template);
    let o = annex(&case, "model.toml", &[]).env("SUFFICIENCY_TEST_WRITE_STEP", "list").output().expect("runs");
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("sufficiency: write step ").and_then(|l| l.split_once(": ")))
        .map(|(_, what)| what.to_string())
        .collect()
}

/// Steps to stop at: the first and last of each kind, and the third file moved (where
/// Ctrl-C once left annex.html new, annex.md old and annex.xlsx missing); every step when
/// `SUFFICIENCY_TEST_EVERY_STEP` is set (a longer run: about 80 steps).
fn steps_to_try(steps: &[String]) -> Vec<usize> {
    if std::env::var_os("SUFFICIENCY_TEST_EVERY_STEP").is_some() {
        return (1..=steps.len()).collect();
    }
    let mut picked = std::collections::BTreeSet::new();
    for what in steps {
        let at: Vec<usize> = steps.iter().enumerate().filter(|(_, w)| *w == what).map(|(i, _)| i + 1).collect();
        picked.insert(at[0]);
        picked.insert(at[at.len() - 1]);
    }
    if let Some(third) = steps.iter().enumerate().filter(|(_, w)| w.starts_with("moved")).nth(2) {
        picked.insert(third.0 + 1);
    }
    picked.into_iter().collect()
}

#[test]
fn annex_stopped_by_ctrl_c_term_or_kill_at_any_step_leaves_one_whole_annex_and_no_hidden_file() {
    let template = old_annex();
    let (old, new) = (snapshot(&template.path("out")), whole("model.toml", &[]));
    let steps = steps_of_the_write(&template);
    assert!(steps.len() > 40, "the writer counts its steps (and drops the tables horizon.toml wrote): {steps:?}");
    let tried = steps_to_try(&steps);
    for (k, &step) in tried.iter().enumerate() {
        // Each kind of step meets each signal: the third file moved meets all three.
        let signals: Vec<&str> = if steps[step - 1].starts_with("moved") {
            vec!["INT", "TERM", "KILL"]
        } else {
            vec![["INT", "TERM", "KILL"][k % 3]]
        };
        for name in signals {
            let case = with_old_annex(&template);
            let context = format!("{name} after step {step} ({})", steps[step - 1]);
            let (mut child, _) = paused_at(annex(&case, "model.toml", &[]), step)
                .unwrap_or_else(|(s, e)| panic!("{context}: never paused ({s}): {e}"));
            if name == "KILL" {
                child.kill().expect("kill");
                child.wait().expect("wait");
                // The next run into the folder finishes or undoes the write, then (made to
                // fail after its first step) changes nothing itself.
                let next = annex(&case, "model.toml", &[])
                    .env("SUFFICIENCY_TEST_WRITE_STEP", "fail:1")
                    .output()
                    .expect("runs");
                assert_eq!(next.status.code(), Some(5), "{context}: {}", String::from_utf8_lossy(&next.stderr));
            } else {
                signal(&child, name);
                resume(&mut child);
                let status = child.wait().expect("wait");
                assert_eq!(status.code(), Some(5), "{context}: an interrupted run says so");
            }
            which_whole(&snapshot(&case.path("out")), &[("old", &old), ("new", &new)], &context);
        }
    }
}

#[test]
fn a_failure_at_any_step_before_the_old_files_are_removed_leaves_the_old_annex_whole() {
    let template = old_annex();
    let (old, new) = (snapshot(&template.path("out")), whole("model.toml", &[]));
    let steps = steps_of_the_write(&template);
    assert!(steps.len() > 40, "the writer counts its steps: {steps:?}");
    for step in steps_to_try(&steps) {
        let case = with_old_annex(&template);
        let o = annex(&case, "model.toml", &[])
            .env("SUFFICIENCY_TEST_WRITE_STEP", format!("fail:{step}"))
            .output()
            .expect("runs");
        let context = format!("a failure after step {step} ({})", steps[step - 1]);
        // Once every new file is in place, only removing the old ones set aside is left: a
        // failure there changes nothing.
        let expected = if steps[step - 1].starts_with("removed") { ("new", &new, 0) } else { ("old", &old, 5) };
        assert_eq!(o.status.code(), Some(expected.2), "{context}: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            which_whole(&snapshot(&case.path("out")), &[("old", &old), ("new", &new)], &context),
            expected.0,
            "{context}"
        );
    }
}

#[test]
fn hidden_files_left_by_a_run_that_died_are_removed_by_the_next() {
    let new = whole("model.toml", &[]);
    let case = old_annex();
    // What a run killed while it wrote left, before there was a journal.
    case.write("out/.annex.html.4194301.partial", "<html>half");
    case.write("out/.annex.xlsx.4194301.old", "an old workbook");
    case.write("out/tables/.method.csv.4194301.partial", "half,");
    let o = annex(&case, "model.toml", &[]).output().expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    which_whole(&snapshot(&case.path("out")), &[("new", &new)], "after the next run");
}

#[test]
fn a_table_the_new_annex_drops_that_cannot_be_removed_leaves_the_old_annex_whole() {
    let case = old_annex();
    // A folder where the new annex would remove an old table of that name.
    std::fs::create_dir(case.path("out/tables/zz-old.csv")).expect("folder");
    case.write("out/tables/zz-old.csv/notes.txt", "kept");
    let old = snapshot(&case.path("out"));
    let o = annex(&case, "model.toml", &[]).output().expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(5), "{err}");
    assert!(err.contains("zz-old.csv") && err.contains("it is a folder"), "{err}");
    which_whole(&snapshot(&case.path("out")), &[("old", &old)], "after the refused run");
}

#[test]
fn two_annex_runs_into_one_folder_at_once_never_mix_suppressed_and_internal_tables() {
    let suppressed = whole("model.toml", &[]);
    let internal = whole("model.toml", &["--no-suppression"]);
    let wholes = [("suppressed", &suppressed), ("internal", &internal)];
    // The first run holds the folder mid-write; the second waits for it, then writes.
    let case = old_annex();
    let steps = steps_of_the_write(&case);
    let third_move = steps.iter().position(|w| w.starts_with("moved")).map_or(1, |i| i + 3);
    let first = paused_at(annex(&case, "model.toml", &[]), third_move);
    let second = annex(&case, "model.toml", &["--no-suppression"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn();
    let mut second = second.expect("spawn");
    std::thread::sleep(Duration::from_secs(4));
    let waited = second.try_wait().expect("status").is_none();
    // A third run that will not wait long refuses, naming the folder.
    let third = annex(&case, "model.toml", &[]).env("SUFFICIENCY_TEST_LOCK_WAIT", "0.5").output().expect("runs");
    if let Ok((mut child, _)) = first {
        resume(&mut child);
        assert!(child.wait().expect("wait").success());
    }
    let second = second.wait_with_output().expect("wait");
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    assert!(waited, "the second run waits while the first writes");
    let third_err = String::from_utf8_lossy(&third.stderr);
    assert_eq!(third.status.code(), Some(5), "{third_err}");
    assert!(
        third_err.contains("out") && third_err.contains("another sufficiency run is writing into this folder"),
        "{third_err}"
    );
    assert_eq!(
        which_whole(&snapshot(&case.path("out")), &wholes, "after two runs"),
        "internal",
        "the second run wrote last"
    );
    // Started together, again and again: whichever writes last, its annex is whole.
    for round in 0..3 {
        let (a, b) = (["--no-suppression"].as_slice(), [].as_slice());
        let (a, b) = if round % 2 == 0 { (a, b) } else { (b, a) };
        let one = annex(&case, "model.toml", a).stdout(Stdio::null()).spawn().expect("spawn");
        let two = annex(&case, "model.toml", b).stdout(Stdio::null()).spawn().expect("spawn");
        assert!(one.wait_with_output().expect("wait").status.success());
        assert!(two.wait_with_output().expect("wait").status.success());
        which_whole(&snapshot(&case.path("out")), &wholes, &format!("round {round}"));
    }
}
