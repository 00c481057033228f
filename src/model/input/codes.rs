//! The codes of needs and phases a model declares, and the cells that name them (one code,
//! or `all` or codes separated by `;`).

use super::{Problems, quoted, table};
use crate::model::{CodeSet, Need, Phase};

/// Declared codes, for resolving table cells.
pub(super) struct Codes<'a> {
    pub(super) needs: &'a [String],
    pub(super) phases: &'a [String],
    /// Codes declared but refused: a cell naming one is not a second problem.
    pub(super) rejected: Vec<String>,
}

impl Codes<'_> {
    /// Whether a cell's code, not declared, is explained by a problem with the declaration.
    pub(super) fn explained(&self, declared: &[String], text: &str) -> bool {
        declared.is_empty() || self.rejected.iter().any(|c| c.eq_ignore_ascii_case(text))
    }

    /// A cell of needs: `all` or codes separated by ';'.
    pub(super) fn needs_at(&self, row: &table::Row<'_>, column: &str, problems: &mut Problems) -> Option<CodeSet> {
        let explained = |t: &str| self.explained(self.needs, t);
        code_list(row, column, (self.needs, &explained), |t| self.need(t), Need::index, problems)
    }

    /// A cell of phases: `all` or codes separated by ';'.
    pub(super) fn phases_at(&self, row: &table::Row<'_>, column: &str, problems: &mut Problems) -> Option<CodeSet> {
        let explained = |t: &str| self.explained(self.phases, t);
        code_list(row, column, (self.phases, &explained), |t| self.phase(t), Phase::index, problems)
    }

    /// The need in a cell, or a problem naming the declared ones.
    pub(super) fn need_at(&self, row: &table::Row<'_>, column: &str, problems: &mut Problems) -> Option<Need> {
        let text = row.text(column);
        let need = self.need(text);
        if need.is_none() && !self.explained(self.needs, text) {
            let expected = self.needs.join(", ");
            problems.push(
                row.problem(column, format!("{} is not a declared need: expected one of {expected}", quoted(text))),
            );
        }
        need
    }

    /// The phase in a cell, or a problem naming the declared ones.
    pub(super) fn phase_at(&self, row: &table::Row<'_>, column: &str, problems: &mut Problems) -> Option<Phase> {
        let text = row.text(column);
        let phase = self.phase(text);
        if phase.is_none() && !self.explained(self.phases, text) {
            let expected = self.phases.join(", ");
            problems.push(
                row.problem(column, format!("{} is not a declared phase: expected one of {expected}", quoted(text))),
            );
        }
        phase
    }

    pub(super) fn need(&self, text: &str) -> Option<Need> {
        self.needs.iter().position(|c| c.eq_ignore_ascii_case(text)).map(Need)
    }
    pub(super) fn phase(&self, text: &str) -> Option<Phase> {
        self.phases.iter().position(|c| c.eq_ignore_ascii_case(text)).map(Phase)
    }
}

/// Whether a code, not declared, is explained by a problem already reported.
pub(super) type Explained<'a> = dyn Fn(&str) -> bool + 'a;

/// A `;`-separated list of codes, or `all`.
pub(super) fn code_list<T>(
    row: &table::Row<'_>,
    column: &str,
    (declared, explained): (&[String], &Explained<'_>),
    resolve: impl Fn(&str) -> Option<T>,
    index: impl Fn(T) -> usize,
    problems: &mut Problems,
) -> Option<CodeSet> {
    let text = row.text(column);
    if text.eq_ignore_ascii_case("all") {
        return Some(CodeSet::all(declared.len()));
    }
    let mut set = CodeSet::default();
    let mut ok = true;
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match resolve(part) {
            Some(code) => set.insert(index(code)),
            None if explained(part) => ok = false,
            None => {
                problems.push(row.problem(
                    column,
                    format!(
                        "{} is not a declared code: expected `all` or codes separated by ';' from {}",
                        quoted(part),
                        declared.join(", ")
                    ),
                ));
                ok = false;
            }
        }
    }
    if ok && set.is_empty() {
        problems.push(row.problem(
            column,
            format!("is empty: expected `all` or codes separated by ';' from {}", declared.join(", ")),
        ));
        ok = false;
    }
    ok.then_some(set)
}
