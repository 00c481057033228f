//! The shape of the code, checked: layers that only look down, and files a newcomer can read.
//!
//! The library is in layers, each a folder (or file) under `src/` (README, "Code:
//! architecture"). A layer may use what is in its own layer and the layers below it, never
//! one above: the model knows nothing of travel, the optimiser nothing of planning, and so
//! on. The crate root (`lib.rs`) and `main.rs` sit on top and only gather. Unit tests are
//! exempt (a model's test may well solve it), as is `testing.rs`, the tests' own helpers.
//!
//! No source file is longer than [`MOST_LINES`] lines, unit tests kept in their own
//! `tests.rs` apart.

use std::fs;
use std::path::{Path, PathBuf};

/// The layers from the bottom: a file in layer `i` may use only layers `0..=i`.
const LAYERS: [&str; 8] = ["observe", "model", "travel", "optimise", "planning", "outputs", "tools", "commands"];

/// Longest a source file may be (tests apart).
const MOST_LINES: usize = 800;

fn source_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).expect("src is readable").map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The file's path from `src/`, with `/` between parts.
fn relative(path: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/")
}

/// The layer a file under `src/` belongs to: `None` for the crate root, `main.rs` and the
/// tests' helpers.
fn layer_of(relative: &str) -> Option<usize> {
    let first = relative.split('/').next().unwrap().trim_end_matches(".rs");
    LAYERS.iter().position(|l| *l == first)
}

/// Whether a file holds only tests: a `tests.rs`, anything in a `tests` folder, or a module
/// its parent declares under `#[cfg(test)]` (the modules of hand-solved cases and properties).
fn is_tests(relative: &str) -> bool {
    if relative.ends_with("/tests.rs") || relative.contains("/tests/") || relative == "testing.rs" {
        return true;
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let path = Path::new(relative);
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    let (name, folder) = if stem == "mod" {
        (
            path.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned(),
            path.parent().unwrap().parent().unwrap(),
        )
    } else {
        (stem, path.parent().unwrap())
    };
    // The parent: `folder/mod.rs`, or `folder.rs` beside it, or `lib.rs` at the top.
    let parents = [src.join(folder).join("mod.rs"), src.join(folder).with_extension("rs"), src.join("lib.rs")];
    let declared = format!("mod {name};");
    parents.iter().filter(|p| p.starts_with(&src) && p.is_file()).take(1).any(|parent| {
        let text = fs::read_to_string(parent).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        lines.windows(2).any(|w| w[0] == "#[cfg(test)]" && w[1].ends_with(&declared))
    })
}

/// The file's code without comments and without its unit tests: everything from a
/// `#[cfg(test)]` on is left out when it opens a module, and the one item it marks otherwise.
fn code_outside_tests(text: &str) -> String {
    let mut kept = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            let next = lines.peek().map(|l| l.trim_start()).unwrap_or("");
            if next.starts_with("mod ") || next.starts_with("pub mod ") || next.starts_with("pub(crate) mod ") {
                if next.ends_with(';') {
                    lines.next();
                    continue;
                }
                break;
            }
            lines.next();
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        // A comment at the end of a line of code.
        let code = match line.find("// ") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        };
        kept.push_str(code);
        kept.push('\n');
    }
    kept
}

/// The first part of every path the code names from the crate root: `crate::model::Need`
/// gives `model`, `use crate::{travel::X, optimise::Y}` gives `travel` and `optimise`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // The names at the top level of the braces.
            let mut depth = 0;
            let mut name = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        at_start = true;
                        if !name.is_empty() {
                            found.push(std::mem::take(&mut name));
                        }
                    }
                    c if at_start && (c.is_alphanumeric() || c == '_') => name.push(c),
                    c if at_start && !name.is_empty() && !c.is_whitespace() => {
                        at_start = false;
                        found.push(std::mem::take(&mut name));
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                found.push(name);
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            found.push(name);
        }
    }
    found
}

#[test]
fn each_layer_uses_only_its_own_and_those_below() {
    let mut files = Vec::new();
    source_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut wrong = Vec::new();
    for path in &files {
        let relative = relative(path);
        let Some(layer) = layer_of(&relative) else { continue };
        if is_tests(&relative) {
            continue;
        }
        let code = code_outside_tests(&fs::read_to_string(path).unwrap());
        let mut above: Vec<String> = Vec::new();
        for name in crate_paths(&code) {
            let used = match LAYERS.iter().position(|l| *l == name) {
                Some(l) => l,
                // `self`, `super` and the like are in the file's own layer; any other name is
                // an item of the crate root, which sits above every layer.
                None if name == "self" || name == "super" => continue,
                None => LAYERS.len(),
            };
            if used > layer {
                let shown = if used == LAYERS.len() { format!("the crate root ({name})") } else { name };
                if !above.contains(&shown) {
                    above.push(shown);
                }
            }
        }
        for a in above {
            wrong.push(format!("{relative} uses {a}"));
        }
    }
    assert!(wrong.is_empty(), "layers used from below (README, \"Code: architecture\"):\n{}", wrong.join("\n"));
}

#[test]
fn no_source_file_is_longer_than_most_lines() {
    let mut files = Vec::new();
    source_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut long = Vec::new();
    for path in &files {
        let relative = relative(path);
        if is_tests(&relative) {
            continue;
        }
        let lines = fs::read_to_string(path).unwrap().lines().count();
        if lines > MOST_LINES {
            long.push(format!("{relative} has {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MOST_LINES} lines (put the unit tests in tests.rs, split the rest by concept):\n{}",
        long.join("\n")
    );
}

#[test]
fn main_only_parses_runs_and_exits() {
    let main = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs")).unwrap();
    let lines = main.lines().count();
    assert!(lines <= 150, "src/main.rs has {lines} lines: it should parse, run and exit (150 at most)");
}

#[test]
fn the_checks_find_what_they_look_for() {
    // The path reader finds every layer named, in braces or not, and skips comments and tests.
    let code = code_outside_tests(
        "use crate::model::Need;\nuse crate::{travel::X, optimise::{solve::Solver, plan}};\n// crate::planning in a comment\nlet r = crate::run(m); // crate::outputs\n#[cfg(test)]\nmod tests {\n    use crate::tools::generate;\n}\n",
    );
    assert_eq!(crate_paths(&code), ["model", "travel", "optimise", "run"]);
    assert_eq!(layer_of("model/input/load.rs"), Some(1));
    assert_eq!(layer_of("commands/solve.rs"), Some(7));
    assert_eq!(layer_of("commands.rs"), Some(7));
    assert_eq!(layer_of("lib.rs"), None);
    assert!(is_tests("outputs/annex/content/tests.rs"));
    assert!(!is_tests("outputs/annex/content/words.rs"));
    assert!(is_tests("optimise/hand_solved.rs"), "declared under #[cfg(test)] in optimise/mod.rs");
    assert!(!is_tests("optimise/solve.rs"));
}

/// The quoted texts of every `write!`, `writeln!`, `format!` or `push_str` in the code that
/// hold a `<`: markup written by hand.
fn hand_written_markup(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for call in ["write!(", "writeln!(", "format!(", "push_str("] {
        for (at, _) in code.match_indices(call) {
            let mut depth = 0;
            let end = code[at..]
                .char_indices()
                .find(|&(_, ch)| {
                    depth += i32::from(ch == '(') - i32::from(ch == ')');
                    ch == ')' && depth == 0
                })
                .map_or(code.len(), |(k, _)| at + k);
            let args = &code[at..end];
            if args.split('"').skip(1).step_by(2).any(|quoted| quoted.contains('<')) {
                found.push(args.to_string());
            }
        }
    }
    found
}

#[test]
fn the_annex_page_is_built_by_a_template_that_escapes_every_text() {
    // Markup taken as already escaped (maud's `PreEscaped`) only in these files, each use
    // commented: the style sheet and the drawings (html.rs), the commentary (markdown.rs).
    let allowed = ["outputs/annex/html.rs", "outputs/annex/markdown.rs"];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src.join("outputs/annex"), &mut files);
    let raw: Vec<String> = files
        .iter()
        .map(|p| relative(p))
        .filter(|r| !is_tests(r) && !allowed.contains(&r.as_str()))
        .filter(|r| code_outside_tests(&fs::read_to_string(src.join(r)).unwrap()).contains("PreEscaped"))
        .collect();
    assert!(raw.is_empty(), "PreEscaped outside {allowed:?} (let maud escape the text):\n{}", raw.join("\n"));
    let page = code_outside_tests(&fs::read_to_string(src.join("outputs/annex/html.rs")).unwrap());
    let by_hand = hand_written_markup(&page);
    assert!(by_hand.is_empty(), "html.rs writes markup by hand (use maud's html!):\n{}", by_hand.join("\n"));
    // The check finds what it looks for, and not the page's own words.
    let old = "let _ = write!(out, r#\"<td class=\"n\">{}</td>\"#, escape(x));\nout.push_str(\"</tr>\");";
    assert_eq!(hand_written_markup(old).len(), 2);
    assert!(hand_written_markup("format!(\"{} (part {} of {})\", t, k, n); x.get::<u8>()").is_empty());
}
