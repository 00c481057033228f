//! Screening the small counts before they are protected one by one: each is first looked at,
//! on every core, with only the small published counts withheld, by the short searches for
//! two tables the width apart (no program). Withholding more only
//! widens what a count could be, so one found not pinned then is never pinned, and needs no
//! second look; those found pinned are checked again, in order, as cells are withheld.

use rayon::prelude::*;

use super::{CellId, Counts, Seen, alone_in_a_line, moved_apart};

/// How many small counts one screening job takes, in order, sharing the tables it meets
/// ([`Seen`]). Fixed, so the jobs, and what they find, do not depend on how many cores run
/// them.
const BLOCK: usize = 32;

/// The cells of `small` (unknown cells, in order) shown not pinned with `withheld` held back. Every
/// table the screening met is added to `seen`: each is allowed with `withheld`, so with any
/// more withheld too. The same cells and tables whatever the number of cores (each job starts
/// from the counts alone, and tables met are merged as least and most, in any order).
pub(super) fn free(
    counts: &Counts,
    lines_of: &[Vec<usize>],
    withheld: &[bool],
    small: &[CellId],
    width: f64,
    seen: &mut Seen,
) -> Vec<CellId> {
    let screened = small
        .par_chunks(BLOCK)
        .map(|block| {
            let mut met = Seen::new(counts);
            let free: Vec<CellId> = block
                .iter()
                .copied()
                .filter(|&c| {
                    !alone_in_a_line(counts, lines_of, withheld, c)
                        && moved_apart(counts, lines_of, withheld, c, width, &mut met)
                })
                .collect();
            (free, met)
        })
        .reduce_with(|(mut free, mut met), (more, other)| {
            free.extend(more);
            met.merge(&other);
            (free, met)
        });
    let Some((mut free, met)) = screened else { return Vec::new() };
    seen.merge(&met);
    free.sort_unstable();
    free
}
