//! What `commission` runs at a large size: the stages that are mixed-integer programs rather
//! than networks (framework acceptance below 1 in the sensitivity, each framework's
//! break-even acceptance, and the options over the years, whose years keep children on their
//! routes) are left out by default above [`MOST_COLUMNS`], each named in the output with the
//! reason and the flag that asks for it (`--all-stages`).

use super::Prepared;
use crate::model::input::grouped;

/// Most columns of the year's commissioning program (every option open) at which the stages
/// that are mixed-integer programs run by default. A generated 20-locality, 60-setting
/// borough has 21,727 and runs them all in under a minute; a generated 300 × 250 model has
/// 333,228, where the break-even acceptances alone were unfinished after 10 minutes (README,
/// "The planning commands at scale").
pub const MOST_COLUMNS: usize = 100_000;

/// A stage left out, with why and how to ask for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The stage, as the report names it.
    pub stage: String,
    /// Why it was left out.
    pub reason: String,
}

impl Prepared {
    /// Columns of the year's commissioning program with every option open, where it was laid
    /// out as a network (`None` otherwise: the comparison itself was then the mixed-integer
    /// program, and the other stages are no larger).
    #[must_use]
    pub fn columns(&self) -> Option<usize> {
        self.net.as_ref().map(|n| n.f.program.columns.len())
    }

    /// Why the stages that are mixed-integer programs are left out by default, if they are:
    /// the program is a network of more than [`MOST_COLUMNS`] columns.
    #[must_use]
    pub fn too_large_for_mixed_integer(&self) -> Option<String> {
        too_large(self.columns())
    }
}

/// The stages left out so far, with the reason they all share (none: everything runs).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    reason: Option<String>,
    /// Each stage left out, in the order asked.
    pub left_out: Vec<LeftOut>,
}

impl Scope {
    /// What runs on `prepared`: everything when `all_stages` or the program is small enough.
    #[must_use]
    pub fn new(prepared: &Prepared, all_stages: bool) -> Scope {
        Scope { reason: prepared.too_large_for_mixed_integer().filter(|_| !all_stages), left_out: Vec::new() }
    }

    /// Whether `stage` (a mixed-integer stage) is left out; if so it is recorded with the reason.
    pub fn leaves_out(&mut self, stage: &str) -> bool {
        let Some(reason) = &self.reason else { return false };
        self.left_out.push(LeftOut { stage: stage.to_string(), reason: reason.clone() });
        true
    }
}

/// [`Prepared::too_large_for_mixed_integer`] from the columns.
fn too_large(columns: Option<usize>) -> Option<String> {
    let columns = columns.filter(|&c| c > MOST_COLUMNS)?;
    Some(format!(
        "the year's program has {} columns, above the {} at which the stages that are mixed-integer programs rather than networks run by default (they would not finish in reasonable time); run with --all-stages to include them",
        grouped(columns),
        grouped(MOST_COLUMNS)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stages_are_left_out_only_above_the_stated_size() {
        // At the size itself and below, and where the comparison was the mixed-integer
        // program (no network), everything runs; one column above, the reason names the size
        // and the flag.
        assert_eq!(too_large(None), None);
        assert_eq!(too_large(Some(MOST_COLUMNS)), None);
        let why = too_large(Some(1_402_113)).unwrap();
        assert!(why.contains("1,402,113 columns"), "{why}");
        assert!(why.contains("100,000") && why.contains("--all-stages"), "{why}");
        assert!(too_large(Some(MOST_COLUMNS + 1)).is_some());
    }

    #[test]
    fn a_scope_records_each_stage_it_leaves_out_with_the_shared_reason() {
        // Small enough: nothing is left out and nothing recorded.
        let mut small = Scope::default();
        assert!(!small.leaves_out("Break-even acceptance"));
        assert!(small.left_out.is_empty());
        // Too large: each stage asked about is left out, in order, with the reason.
        let mut large = Scope { reason: too_large(Some(MOST_COLUMNS + 1)), left_out: Vec::new() };
        assert!(large.leaves_out("Break-even acceptance"));
        assert!(large.leaves_out("The options over the years"));
        let stages: Vec<&str> = large.left_out.iter().map(|l| l.stage.as_str()).collect();
        assert_eq!(stages, ["Break-even acceptance", "The options over the years"]);
        assert!(large.left_out.iter().all(|l| l.reason.contains("100,001 columns")));
    }
}
