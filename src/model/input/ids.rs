//! The ids of a table's rows, and references to them from other tables: each mistake one
//! problem, a duplicate named at its first line.

use std::collections::HashMap;

use super::{Problems, quoted, table};

/// The ids of a table's rows, for resolving references to them, and what is known of the
/// rows that could not be read.
///
/// One mistake is one problem: a reference to a row that had a problem of its own (a
/// locality with a bad latitude), or to a table that could not be read at all, is left
/// unresolved without a second problem. The first problem already stops the load, so
/// nothing is silently dropped; once it is fixed, any reference still wrong is reported.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    pub(super) index: HashMap<String, usize>,
    /// Ids (as written) of rows that had problems.
    pub(super) rejected: std::collections::HashSet<String>,
    /// The table could not be read (a problem says why).
    pub(super) unreadable: bool,
}

impl Ids {
    /// The ids of a table that could not be read.
    pub(super) fn unreadable() -> Ids {
        Ids { unreadable: true, ..Ids::default() }
    }

    /// Adds the id of the next row read.
    pub(super) fn add(&mut self, id: &str) {
        let n = self.index.len();
        self.index.entry(id.to_string()).or_insert(n);
    }

    /// Records the id (as written) of a row that had problems.
    pub(super) fn reject(&mut self, id: &str) {
        if !self.index.contains_key(id) {
            self.rejected.insert(id.to_string());
        }
    }

    /// The position of `id`'s row.
    pub(super) fn get(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Whether `id` is a row read.
    pub(super) fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Whether a reference to `id`, not found, is already explained by another problem.
    pub(super) fn explained(&self, id: &str) -> bool {
        self.unreadable || self.rejected.contains(id)
    }

    /// Whether every row of the table was read.
    pub(super) fn complete(&self) -> bool {
        !self.unreadable && self.rejected.is_empty()
    }
}

/// The row a cell refers to in another table, or a problem naming that table (unless the
/// row or table referred to has a problem of its own: see [`Ids`]).
pub(super) fn reference(
    row: &table::Row<'_>,
    column: &str,
    ids: &Ids,
    what: &str,
    problems: &mut Problems,
) -> Option<usize> {
    let text = row.text(column);
    let found = ids.get(text);
    if found.is_none() && !ids.explained(text) {
        problems.push(row.problem(column, format!("{} is not {what}", quoted(text))));
    }
    found
}

/// The line a key was first seen at, if it was; else `None`, and the key is remembered at
/// `line` (a repeat keeps the first line, so a third copy still names the first).
pub(crate) fn first_line<K: std::hash::Hash + Eq>(seen: &mut HashMap<K, usize>, key: K, line: usize) -> Option<usize> {
    match seen.entry(key) {
        std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(line);
            None
        }
    }
}

/// Records the first line of each id; a later duplicate is a problem.
pub(super) fn first_use(
    seen: &mut HashMap<String, usize>,
    id: &str,
    row: &table::Row<'_>,
    column: &str,
    problems: &mut Problems,
) -> bool {
    if let Some(first) = seen.get(id) {
        problems.push(row.problem(column, format!("duplicate id '{id}': first used at line {first}")));
        false
    } else {
        seen.insert(id.to_string(), row.line);
        true
    }
}
