//! The outer bound: a quick proof, with no program to solve, that a count is pinned (what is
//! published holds it to a range narrower than the protection width).
//!
//! It looks at the cells the last, largest program of [`super::pinned`] takes: the unknown
//! cells nearest the count, each at first anywhere from 0 to the most any cell could be, with
//! published cells and unknown cells further away held at their counts, as that program
//! holds them. Each line then narrows its cells in turn: a total is at least its parts' least
//! and at most their most; a part is at most the total's most less the other parts' least,
//! and at least the total's least less the other parts' most (each line may miss adding up by
//! the programs' rounding slack). Every table that program allows keeps each cell within
//! what is found, so its range for the count is within the one found here. When that is
//! narrower than the width (by a margin far above round-off), the last program would find the
//! count pinned, and so would each smaller one before it (each holds more cells at their
//! counts, so finds a range within the last one's): the count is pinned, decided as the
//! programs would decide it, only sooner, and what is withheld is the same. When it is not
//! narrower, nothing is proved and the programs decide, as before. (On a region most small
//! counts that reach the programs and are pinned are settled so: a small total with its
//! parts withheld, or a hidden count between published ones.)

use std::collections::HashMap;

use super::{CellId, Counts, LINE_SLACK, NEAR, linked, unknown};

/// The unknown cells the bound looks at: those of the last, largest program of
/// [`super::pinned`] (the others held at their counts, as there).
const LAST: usize = NEAR[NEAR.len() - 1];

/// How many passes over the lines, at most (each pass narrows; most settle in two or three).
const PASSES: usize = 12;

/// How far inside the width the range must be to be a proof: far more than the round-off of
/// the sums here, and than the programs' own tolerance, so the programs could never have
/// found it wide enough.
const MARGIN: f64 = 1e-3;

/// Whether the lines near unknown cell `target` show that the last program of
/// [`super::pinned`] would pin it to less than `width` (each cell from 0 to `ceiling`, as
/// there). `false` proves nothing.
pub(super) fn pins(
    counts: &Counts,
    lines_of: &[Vec<usize>],
    withheld: &[bool],
    target: CellId,
    width: f64,
    ceiling: f64,
) -> bool {
    let (low, high) = range(counts, lines_of, withheld, target, ceiling);
    high - low < width - MARGIN
}

/// The least and the most `target` could be, as the lines near it show: a range holding the
/// one the last program of [`super::pinned`] finds.
pub(super) fn range(
    counts: &Counts,
    lines_of: &[Vec<usize>],
    withheld: &[bool],
    target: CellId,
    ceiling: f64,
) -> (f64, f64) {
    let (found, used_lines, _) = linked(counts, lines_of, target, |x| unknown(counts, withheld, x), LAST);
    // Each unknown cell met: its least and most so far.
    let mut bound: HashMap<CellId, (f64, f64)> = found.iter().map(|&c| (c, (0.0, ceiling))).collect();
    let known = |c: CellId| !unknown(counts, withheld, c);
    for _ in 0..PASSES {
        let mut narrowed = false;
        for &l in &used_lines {
            let line = &counts.lines[l];
            let of = |bound: &HashMap<CellId, (f64, f64)>, c: CellId| {
                if known(c) {
                    (counts.values[c], counts.values[c])
                } else {
                    // An unknown cell beyond the last program's is held at its count there too.
                    bound.get(&c).copied().unwrap_or((counts.values[c], counts.values[c]))
                }
            };
            let parts: Vec<(f64, f64)> = line.parts.iter().map(|&p| of(&bound, p)).collect();
            let least: f64 = parts.iter().map(|b| b.0).sum();
            let most: f64 = parts.iter().map(|b| b.1).sum();
            let (total_lo, total_hi) = of(&bound, line.total);
            // The total from its parts.
            if let Some(b) = bound.get_mut(&line.total) {
                narrowed |= narrow(b, least - LINE_SLACK, most + LINE_SLACK);
            }
            // Each part from the total and the other parts, all as they were before this line
            // narrowed any (older ranges are wider, so still sound).
            for (&p, &(lo, hi)) in line.parts.iter().zip(&parts) {
                if let Some(b) = bound.get_mut(&p) {
                    narrowed |= narrow(b, total_lo - (most - hi) - LINE_SLACK, total_hi - (least - lo) + LINE_SLACK);
                }
            }
        }
        if !narrowed {
            break;
        }
    }
    bound.get(&target).copied().unwrap_or((0.0, ceiling))
}

/// Narrows `b` to within `low` and `high`; whether it narrowed by more than round-off.
fn narrow(b: &mut (f64, f64), low: f64, high: f64) -> bool {
    let mut narrowed = false;
    if low > b.0 + 1e-7 {
        b.0 = low;
        narrowed = true;
    }
    if high < b.1 - 1e-7 {
        b.1 = high;
        narrowed = true;
    }
    narrowed
}
