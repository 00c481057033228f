//! What `commission` runs at a large size: the stages that are mixed-integer programs rather
//! than networks (framework acceptance below 1 in the sensitivity, each framework's
//! break-even acceptance, and the options over the years, whose years keep children on their
//! routes) are left out by default above [`MOST_COLUMNS`], each named in the output with the
//! reason and the flag that asks for it (`--all-stages`).

use super::Prepared;

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

/// [`Prepared::too_large_for_mixed_integer`] from the columns.
fn too_large(columns: Option<usize>) -> Option<String> {
    let columns = columns.filter(|&c| c > MOST_COLUMNS)?;
    Some(format!(
        "the year's program has {} columns, above the {} at which the stages that are mixed-integer programs rather than networks run by default (they would not finish in reasonable time); run with --all-stages to include them",
        thousands(columns),
        thousands(MOST_COLUMNS)
    ))
}

/// `n` with thousands separated by commas.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}
