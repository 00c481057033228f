//! Where a problem is written: the line of a key in a model file, and a path shown as a
//! planner would write it.

use std::path::{Component, Path, PathBuf};

/// The 1-based line holding byte `offset` of `text`.
pub(super) fn line_of_offset(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The first line assigning `key` (`key = ...`), if any.
pub(super) fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key).or_else(|| l.strip_prefix(&format!("\"{key}\""))).is_some_and(|rest| {
                let rest = rest.trim_start_matches('"').trim_start();
                rest.starts_with('=')
            })
        })
        .map(|i| i + 1)
}

/// `models/../sample-data/x.csv` shown as `sample-data/x.csv`.
pub(super) fn tidy(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() { PathBuf::from(".") } else { out.iter().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_without_dot_dot() {
        assert_eq!(tidy(Path::new("models/../sample-data/a.csv")), PathBuf::from("sample-data/a.csv"));
        assert_eq!(tidy(Path::new("../x/./a.csv")), PathBuf::from("../x/a.csv"));
    }

    #[test]
    fn key_lines_are_found() {
        let text = "name = \"x\"\n[policy]\n  unmet_penalty = 5\n";
        assert_eq!(line_of_key(text, "unmet_penalty"), Some(3));
        assert_eq!(line_of_key(text, "absent"), None);
        assert_eq!(line_of_offset(text, 12), 2);
    }
}
