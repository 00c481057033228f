//! Disclosure control: small counts of pupils are not published, and no count held back
//! can be worked out from the totals that are.
//!
//! Only counts of real pupils are protected: cells are [`Counts::protected`] unless marked
//! otherwise, and the annex marks every count of a forecast year as not protected (a forecast
//! is not a count of children, so it is rounded, never withheld). Sums never mix a protected
//! cell with one that is not; should one, a cell that is not protected is withheld to protect
//! another only when nothing else can.
//!
//! Every count the annex publishes is a cell of one [`Counts`] pool, keyed by what it counts
//! (so a figure shown in two tables is one cell), with the sums that tie cells together
//! ([`Line`]: the parts of a row or column add up to its total). Cells may also be hidden:
//! never published, but tying published cells together (children out of the borough because
//! local places are full, which with those with no place available make the places required,
//! say).
//!
//! [`protect`] marks cells to withhold. Primary: published protected counts that round to 1
//! up to the threshold less one. Secondary: for each such count, and each hidden protected
//! count as small, that what is published pins to within one child (the least and the most
//! it could be, found by two small linear programs), the cheapest change to the pool that
//! moves it up a child touching only withheld or hidden cells (one more linear program),
//! withholding every published cell that change touches. For whole-number counts in one table
//! with its margins the constraint matrix is totally unimodular, so both bounds are whole
//! numbers a table could really have: the cell could take at least two values. The programs
//! are always solved with microlp, so every build withholds the same cells.

use std::collections::BTreeMap;

use crate::optimise::program::{LinearProgram, Row, Sense};
use crate::optimise::solve::{Solver, solve_program};

/// One cell of the pool.
pub type CellId = usize;

/// The parts of a sum add up to its total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The cells added up.
    pub parts: Vec<CellId>,
    /// The cell they add up to.
    pub total: CellId,
}

/// Every count in the annex, by key, with the sums that tie them together.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    keys: BTreeMap<String, CellId>,
    /// Children per cell (forecasts may be fractional).
    pub values: Vec<f64>,
    /// Whether each cell is published (hidden cells only tie others together).
    pub published: Vec<bool>,
    /// Whether each cell counts real pupils, and so is withheld when small (true unless set
    /// otherwise; forecasts are not).
    pub protected: Vec<bool>,
    /// The sums.
    pub lines: Vec<Line>,
}

impl Counts {
    /// The cell for `key`, made with `value` if new.
    pub fn cell(&mut self, key: String, value: f64) -> CellId {
        if let Some(&id) = self.keys.get(&key) {
            return id;
        }
        let id = self.values.len();
        // Solver round-off (1e-9) must not decide which way a half rounds.
        self.values.push((value.max(0.0) * 1e6).round() / 1e6);
        self.published.push(false);
        self.protected.push(true);
        self.keys.insert(key, id);
        id
    }

    /// The cell for `key`, as [`Counts::cell`], marked as published.
    pub fn shown(&mut self, key: String, value: f64) -> CellId {
        let id = self.cell(key, value);
        self.published[id] = true;
        id
    }

    /// A new cell for the sum of `parts` (its value is their sum), tied to them by a line.
    pub fn sum(&mut self, key: String, parts: &[CellId]) -> CellId {
        let value = parts.iter().map(|&p| self.values[p]).sum();
        let total = self.cell(key, value);
        self.tie(parts, total);
        total
    }

    /// Records that `parts` add up to `total` (once).
    pub fn tie(&mut self, parts: &[CellId], total: CellId) {
        let mut parts = parts.to_vec();
        parts.sort_unstable();
        parts.dedup();
        let line = Line { parts, total };
        if !self.lines.contains(&line) {
            self.lines.push(line);
        }
    }

    /// Every cell's key, with its cell.
    pub fn keys(&self) -> impl Iterator<Item = (&str, CellId)> {
        self.keys.iter().map(|(k, &id)| (k.as_str(), id))
    }
}

/// Which cells to withhold: `true` for each cell suppressed (hidden cells are never marked).
/// `threshold` 0 or 1 withholds nothing.
///
/// A small count of pupils must not be worked out whether it is published or not: a hidden
/// cell that is small (a difference of two published counts, say) is protected as a withheld
/// one is, by withholding published cells until it could be a whole child more or less.
#[must_use]
pub fn protect(counts: &Counts, threshold: f64) -> Vec<bool> {
    let n = counts.values.len();
    let small: Vec<bool> = (0..n)
        .map(|c| {
            let shown = counts.values[c].round();
            counts.protected[c] && shown >= 1.0 && shown < threshold
        })
        .collect();
    let mut withheld: Vec<bool> = (0..n).map(|c| counts.published[c] && small[c]).collect();
    let lines_of = lines_of(counts);
    // Withholding more only widens what a withheld cell could be, so a cell found safe
    // stays safe; one pass over the cells, in order, protects them all.
    for c in 0..n {
        if !small[c] {
            continue;
        }
        let alone_in_a_line = lines_of[c]
            .iter()
            .any(|&l| cells(&counts.lines[l]).filter(|&x| unknown(counts, &withheld, x)).count() == 1);
        if alone_in_a_line || pinned(counts, &lines_of, &withheld, c) {
            for x in cover(counts, &lines_of, &withheld, c) {
                withheld[x] = true;
            }
        }
    }
    withheld
}

/// The published cells to withhold so that unknown cell `target` could be a whole child
/// more: the cheapest change to the table that keeps every line and every count at zero
/// or more, moves `target` up by one, and touches only cells then withheld. Cheapest: the
/// least total of (1 + count) over the cells newly withheld, in the linear relaxation
/// (small cells first, few of them); a cell that is not protected costs [`UNPROTECTED_COST`]
/// more, so it is taken only when nothing else protects `target`. Found by one linear program
/// over the cells linked to `target` by lines.
fn cover(counts: &Counts, lines_of: &[Vec<usize>], withheld: &[bool], target: CellId) -> Vec<CellId> {
    // Every cell linked to the target through lines, known or not.
    let (found, used_lines) = linked(counts, lines_of, target, |_| true);
    let seen: BTreeMap<CellId, usize> = found.iter().enumerate().map(|(k, &c)| (c, k)).collect();
    // Columns: up and down moves of each cell.
    let mut program = LinearProgram::default();
    for &c in &found {
        let cost = if unknown(counts, withheld, c) {
            0.0
        } else if counts.protected[c] {
            1.0 + counts.values[c]
        } else {
            UNPROTECTED_COST + counts.values[c]
        };
        let up = program.add_column(format!("up{c}"), cost);
        let down = program.add_column(format!("down{c}"), cost);
        program.upper[down] = counts.values[c];
        if c == target {
            program.lower[up] = 1.0;
            program.upper[up] = 1.0;
            program.upper[down] = 0.0;
        }
        debug_assert_eq!(up + 1, down);
    }
    for &l in &used_lines {
        let line = &counts.lines[l];
        let mut terms = Vec::new();
        for (c, sign) in line.parts.iter().map(|&c| (c, 1.0)).chain([(line.total, -1.0)]) {
            let k = seen[&c];
            terms.push((2 * k, sign));
            terms.push((2 * k + 1, -sign));
        }
        program.rows.push(Row { name: format!("line{l}"), terms, sense: Sense::Equal, rhs: 0.0 });
    }
    match solve_program(&program, Solver::Microlp) {
        Ok(x) => found
            .iter()
            .enumerate()
            .filter(|&(k, &c)| !unknown(counts, withheld, c) && x[2 * k] + x[2 * k + 1] > 1e-7)
            .map(|(_, &c)| c)
            .collect(),
        // Cannot happen (withholding every linked cell is always a solution); be safe anyway.
        Err(_) => found.into_iter().filter(|&c| counts.published[c] && !withheld[c]).collect(),
    }
}

fn cells(line: &Line) -> impl Iterator<Item = CellId> + '_ {
    line.parts.iter().copied().chain(std::iter::once(line.total))
}

fn unknown(counts: &Counts, withheld: &[bool], c: CellId) -> bool {
    withheld[c] || !counts.published[c]
}

fn lines_of(counts: &Counts) -> Vec<Vec<usize>> {
    let mut lines_of: Vec<Vec<usize>> = vec![Vec::new(); counts.values.len()];
    for (l, line) in counts.lines.iter().enumerate() {
        for c in cells(line) {
            lines_of[c].push(l);
        }
    }
    lines_of
}

/// How far a line of counts may miss adding up in [`bounds`]: the rounding of the counts
/// to a millionth of a child.
const LINE_SLACK: f64 = 1e-4;

/// What withholding a cell that is not protected costs in [`cover`], beyond its count: more
/// than withholding every protected cell of any table would.
const UNPROTECTED_COST: f64 = 1e7;

/// Least spread, in children, a withheld count must keep given what is published.
pub const PROTECTION: f64 = 1.0;

/// Whether what is published pins unknown cell `c` (withheld or hidden) to within
/// [`PROTECTION`]. A short search
/// first looks for another table the published figures allow in which `c` is a whole child
/// more or less ([`Move`]); finding one settles it (not pinned) with no program to solve,
/// and gives the same answer the bounds would. Otherwise the bounds decide.
fn pinned(counts: &Counts, lines_of: &[Vec<usize>], withheld: &[bool], c: CellId) -> bool {
    if [1, -1].into_iter().any(|step| Move::find(counts, lines_of, withheld, c, step)) {
        return false;
    }
    let (low, high) = bounds(counts, lines_of, withheld, c);
    high - low < PROTECTION - 1e-6
}

/// A change of whole children to some unknown cells that keeps every line and every count
/// at zero or more, found by a depth-first search: moving one cell unbalances its lines,
/// each of which another unknown cell in it then rebalances, until none is out. In a table
/// with margins the shortest is a rectangle of four cells. The search stops after
/// [`Move::TRIES`] cells tried or [`Move::LONGEST`] cells changed.
struct Move<'a> {
    counts: &'a Counts,
    lines_of: &'a [Vec<usize>],
    withheld: &'a [bool],
    /// The change to each cell (0: none).
    change: BTreeMap<CellId, i32>,
    tries: usize,
}

impl Move<'_> {
    const TRIES: usize = 400;
    const LONGEST: usize = 8;

    /// Whether some allowed table has `target` moved by `step` (±1).
    fn find(counts: &Counts, lines_of: &[Vec<usize>], withheld: &[bool], target: CellId, step: i32) -> bool {
        if counts.values[target] + f64::from(step) < 0.0 {
            return false;
        }
        let mut search = Move { counts, lines_of, withheld, change: BTreeMap::new(), tries: 0 };
        search.change.insert(target, step);
        search.extend() && search.holds()
    }

    /// The line's parts less its total, in the change.
    fn imbalance(&self, l: usize) -> i32 {
        let line = &self.counts.lines[l];
        let at = |c: &CellId| self.change.get(c).copied().unwrap_or(0);
        line.parts.iter().map(at).sum::<i32>() - at(&line.total)
    }

    fn extend(&mut self) -> bool {
        let out = self.change.keys().flat_map(|&c| self.lines_of[c].iter().copied()).find(|&l| self.imbalance(l) != 0);
        let Some(l) = out else { return true };
        if self.change.len() >= Self::LONGEST {
            return false;
        }
        let gap = self.imbalance(l);
        if gap.abs() != 1 {
            return false;
        }
        let line = &self.counts.lines[l];
        let candidates: Vec<(CellId, i32)> =
            line.parts.iter().map(|&c| (c, -gap)).chain(std::iter::once((line.total, gap))).collect();
        for (c, step) in candidates {
            if self.change.contains_key(&c)
                || !unknown(self.counts, self.withheld, c)
                || self.counts.values[c] + f64::from(step) < 0.0
            {
                continue;
            }
            self.tries += 1;
            if self.tries > Self::TRIES {
                return false;
            }
            self.change.insert(c, step);
            if self.extend() {
                return true;
            }
            self.change.remove(&c);
        }
        false
    }

    /// Checks the change found: only unknown cells, none below 0, every line kept.
    fn holds(&self) -> bool {
        self.change
            .iter()
            .all(|(&c, &d)| unknown(self.counts, self.withheld, c) && self.counts.values[c] + f64::from(d) >= 0.0)
            && self.change.keys().flat_map(|&c| self.lines_of[c].iter()).all(|&l| self.imbalance(l) == 0)
    }
}

/// The cells linked to `target` through lines, following only cells that `follow` accepts
/// (target first), and those lines.
fn linked(
    counts: &Counts,
    lines_of: &[Vec<usize>],
    target: CellId,
    follow: impl Fn(CellId) -> bool,
) -> (Vec<CellId>, Vec<usize>) {
    let mut found = vec![target];
    let mut seen = std::collections::BTreeSet::from([target]);
    let mut used_lines = Vec::new();
    let mut seen_line = vec![false; counts.lines.len()];
    let mut next = 0;
    while next < found.len() {
        let c = found[next];
        next += 1;
        for &l in &lines_of[c] {
            if std::mem::replace(&mut seen_line[l], true) {
                continue;
            }
            used_lines.push(l);
            for x in cells(&counts.lines[l]).filter(|&x| follow(x)) {
                if seen.insert(x) {
                    found.push(x);
                }
            }
        }
    }
    (found, used_lines)
}

/// The least and most cell `target` could be, given the published cells not withheld, every
/// line, and counts never below zero.
#[must_use]
pub fn range(counts: &Counts, withheld: &[bool], target: CellId) -> (f64, f64) {
    bounds(counts, &lines_of(counts), withheld, target)
}

/// As [`range`]: two linear programs over the cells linked to `target`.
fn bounds(counts: &Counts, lines_of: &[Vec<usize>], withheld: &[bool], target: CellId) -> (f64, f64) {
    let (found, used_lines) = linked(counts, lines_of, target, |x| unknown(counts, withheld, x));
    let column_of: BTreeMap<CellId, usize> = found.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let ceiling: f64 = counts.values.iter().sum::<f64>().max(1.0);
    let mut program = LinearProgram::default();
    for &cell in &found {
        let col = program.add_column(format!("c{cell}"), 0.0);
        program.upper[col] = ceiling;
    }
    for &l in &used_lines {
        let line = &counts.lines[l];
        let mut terms = Vec::new();
        let mut rhs = 0.0;
        for (c, sign) in line.parts.iter().map(|&c| (c, 1.0)).chain([(line.total, -1.0)]) {
            match column_of.get(&c) {
                Some(&col) => terms.push((col, sign)),
                None => rhs -= sign * counts.values[c],
            }
        }
        // The counts are held to a millionth of a child each, so the known ones need not add
        // up exactly: each line may miss by a ten-thousandth (without this slack, a line of
        // known counts a millionth out makes the program infeasible).
        let slack = program.add_column(format!("slack{l}"), 0.0);
        program.lower[slack] = -LINE_SLACK;
        program.upper[slack] = LINE_SLACK;
        terms.push((slack, 1.0));
        program.rows.push(Row { name: format!("line{l}"), terms, sense: Sense::Equal, rhs });
    }
    let mut bound = |sign: f64| {
        program.objective[0] = sign;
        // The true values always satisfy these rows, so the program is feasible and bounded;
        // should the solver fail all the same, assume the worst (the value is known).
        solve_program(&program, Solver::Microlp).map_or(counts.values[target], |x| x[0])
    };
    (bound(1.0), bound(-1.0))
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// A table of `rows` × `cols` counts with row totals, column totals and a grand total,
    /// all published; returns the pool and the cell of each (r, c), totals last.
    fn table(values: &[Vec<f64>]) -> (Counts, Vec<Vec<CellId>>) {
        let mut counts = Counts::default();
        let rows = values.len();
        let cols = values[0].len();
        let mut ids: Vec<Vec<CellId>> = values
            .iter()
            .enumerate()
            .map(|(r, row)| row.iter().enumerate().map(|(c, &v)| counts.shown(format!("{r},{c}"), v)).collect())
            .collect();
        for (r, row) in ids.iter_mut().enumerate() {
            let total = counts.sum(format!("{r},T"), row);
            counts.published[total] = true;
            row.push(total);
        }
        let mut total_row = Vec::new();
        for c in 0..=cols {
            let column: Vec<CellId> = ids.iter().take(rows).map(|row| row[c]).collect();
            let total = counts.sum(format!("T,{c}"), &column);
            counts.published[total] = true;
            total_row.push(total);
        }
        let last = total_row[cols];
        counts.tie(&total_row[..cols], last);
        ids.push(total_row);
        (counts, ids)
    }

    /// Every whole-number filling of the withheld cells that keeps every line: brute force,
    /// independent of the linear programs in `protect`.
    fn fillings(counts: &Counts, withheld: &[bool], cap: u32) -> Vec<Vec<f64>> {
        let unknown: Vec<CellId> = (0..counts.values.len()).filter(|&c| withheld[c]).collect();
        let mut found = Vec::new();
        let mut values = counts.values.clone();
        let total = unknown.len();
        let mut digits = vec![0u32; total];
        loop {
            for (k, &c) in unknown.iter().enumerate() {
                values[c] = f64::from(digits[k]);
            }
            let keeps = counts
                .lines
                .iter()
                .all(|l| (l.parts.iter().map(|&p| values[p]).sum::<f64>() - values[l.total]).abs() < 1e-9);
            if keeps {
                found.push(values.clone());
            }
            // Next filling, odometer style.
            let mut k = 0;
            while k < total {
                digits[k] += 1;
                if digits[k] <= cap {
                    break;
                }
                digits[k] = 0;
                k += 1;
            }
            if k == total {
                return found;
            }
        }
    }

    #[test]
    fn a_single_small_count_takes_a_second_cell_with_it() {
        // Row 0: 3 is primary; the row and the column each need a second withheld cell.
        let (counts, ids) = table(&[vec![3.0, 10.0, 12.0], vec![8.0, 9.0, 20.0]]);
        let withheld = protect(&counts, 5.0);
        assert!(withheld[ids[0][0]]);
        // Cheapest partners: 8 in its column, 10 in its row, and then 9 to close the square.
        assert!(withheld[ids[1][0]] && withheld[ids[0][1]] && withheld[ids[1][1]]);
        let shown: usize = (0..counts.values.len()).filter(|&c| withheld[c]).count();
        assert_eq!(shown, 4, "a 2×2 square is the least that protects one cell here");
        for c in (0..counts.values.len()).filter(|&c| withheld[c]) {
            let (lo, hi) = range(&counts, &withheld, c);
            assert!(hi - lo >= 1.0 - 1e-6, "cell {c}: {lo}..{hi}");
        }
    }

    #[test]
    fn nothing_is_withheld_when_no_count_is_small() {
        let (counts, _) = table(&[vec![0.0, 10.0], vec![8.0, 9.0]]);
        assert!(protect(&counts, 5.0).iter().all(|w| !w));
        // A threshold of 0 turns control off whatever the counts.
        let (counts, _) = table(&[vec![1.0, 2.0], vec![3.0, 4.0]]);
        assert!(protect(&counts, 0.0).iter().all(|w| !w));
    }

    #[test]
    fn the_range_is_worked_out_by_hand() {
        // [[3, 10], [8, 9]] with 3 and 10 withheld: row 0 total 13 fixes 3 + 10 = 13, and
        // column totals 11 and 19 fix each: 3 is recoverable (range 3..3).
        let (counts, ids) = table(&[vec![3.0, 10.0], vec![8.0, 9.0]]);
        let mut withheld = vec![false; counts.values.len()];
        withheld[ids[0][0]] = true;
        withheld[ids[0][1]] = true;
        // (Each line may miss by LINE_SLACK, the counts' rounding: the bounds are within a
        // few of those of the exact ones.)
        let near = |(a, b): (f64, f64), (x, y): (f64, f64)| (a - x).abs() < 1e-3 && (b - y).abs() < 1e-3;
        let r = range(&counts, &withheld, ids[0][0]);
        assert!(near(r, (3.0, 3.0)), "{r:?}");
        // Withhold the whole square:
        withheld[ids[1][0]] = true;
        withheld[ids[1][1]] = true;
        // x00 + x01 = 13, x10 + x11 = 17, x00 + x10 = 11, x01 + x11 = 19: x00 from 0 to 11.
        let r = range(&counts, &withheld, ids[0][0]);
        assert!(near(r, (0.0, 11.0)), "{r:?}");
    }

    #[test]
    fn counts_a_millionth_out_of_adding_up_still_have_bounds() {
        // Counts are held to a millionth of a child, so parts need not add up exactly to
        // their total: ten parts of 1.1000004 are held as 1.1 and their total 11.000004 as
        // is. The bounds must still be found (a program that cannot be solved is taken as
        // "pinned", which withholds more than it should).
        let mut counts = Counts::default();
        let parts: Vec<CellId> = (0..10).map(|k| counts.shown(format!("p{k}"), 1.1000004)).collect();
        let total = counts.shown("t".into(), 11.000004);
        counts.tie(&parts, total);
        let mut withheld = vec![false; counts.values.len()];
        withheld[parts[0]] = true;
        withheld[parts[1]] = true;
        let (low, high) = range(&counts, &withheld, parts[0]);
        assert!(low.abs() < 1e-3 && (high - 2.2).abs() < 1e-3, "({low}, {high})");
        // And the search finds tables with the first a whole child less and more, the other
        // giving or taking it, with no program to solve.
        let lines_of = lines_of(&counts);
        assert!(Move::find(&counts, &lines_of, &withheld, parts[0], -1));
        assert!(Move::find(&counts, &lines_of, &withheld, parts[0], 1));
        // With the other published, no table moves it.
        withheld[parts[1]] = false;
        assert!(!Move::find(&counts, &lines_of, &withheld, parts[0], 1));
    }

    #[test]
    fn no_withheld_count_can_be_recovered_from_random_tables() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for case in 0..40 {
            let rows = 2 + rng.random_range(0..2) as usize;
            let cols = 2 + rng.random_range(0..2) as usize;
            let values: Vec<Vec<f64>> =
                (0..rows).map(|_| (0..cols).map(|_| rng.random_range(0..9) as f64).collect()).collect();
            let (counts, _) = table(&values);
            let withheld = protect(&counts, 5.0);
            // Every small count is withheld.
            for (c, &v) in counts.values.iter().enumerate() {
                if v > 0.0 && v < 5.0 {
                    assert!(withheld[c], "case {case}: small count {v} shown");
                }
            }
            let n_withheld = withheld.iter().filter(|w| **w).count();
            let cap = counts.values.iter().copied().fold(0.0, f64::max) as u32;
            if f64::from(cap + 1).powi(n_withheld as i32) > 2e6 {
                // Brute force grows as 10^cells; the linear check covers larger patterns.
                for c in (0..counts.values.len()).filter(|&c| withheld[c]) {
                    let (lo, hi) = range(&counts, &withheld, c);
                    assert!(hi - lo >= 1.0 - 1e-6, "case {case}: cell {c} pinned to {lo}..{hi}");
                }
                continue;
            }
            // Solve for every withheld cell by trying every filling: each must take two values.
            let all = fillings(&counts, &withheld, cap);
            assert!(all.iter().any(|f| f == &counts.values), "case {case}: the true table is a filling");
            for c in (0..counts.values.len()).filter(|&c| withheld[c]) {
                let mut seen: Vec<f64> = all.iter().map(|f| f[c]).collect();
                seen.sort_by(f64::total_cmp);
                seen.dedup();
                assert!(seen.len() >= 2, "case {case}: {values:?} withheld cell {c} is always {seen:?}");
            }
        }
    }

    #[test]
    fn fractional_forecasts_in_linked_tables_are_protected_too() {
        // Two tables sharing a hidden sum, as places required by need and by area do,
        // with forecast (fractional) counts: every withheld cell is solved for.
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for case in 0..30 {
            let values: Vec<Vec<f64>> =
                (0..3).map(|_| (0..3).map(|_| rng.random_range(0..24) as f64 / 2.0).collect()).collect();
            let (mut counts, ids) = table(&values);
            // A second table splits row 0's total across two places.
            let share = rng.random_range(0..10) as f64 / 10.0;
            let total = counts.values[ids[0][3]];
            let a = counts.shown(format!("split a {case}"), total * share);
            let b = counts.shown(format!("split b {case}"), total * (1.0 - share));
            counts.tie(&[a, b], ids[0][3]);
            let withheld = protect(&counts, 5.0);
            for c in (0..counts.values.len()).filter(|&c| withheld[c]) {
                let (lo, hi) = range(&counts, &withheld, c);
                assert!(hi - lo >= PROTECTION - 1e-6, "case {case}: {values:?} cell {c} pinned to {lo}..{hi}");
            }
            for (c, v) in counts.values.iter().enumerate() {
                assert!(!(1.0..5.0).contains(&v.round()) || withheld[c], "case {case}: small count shown");
            }
        }
    }

    #[test]
    fn a_hidden_sum_links_two_tables() {
        // Out + unmet = a hidden sum; the same by locality adds up to it too.
        let mut counts = Counts::default();
        let out = counts.shown("out".into(), 12.0);
        let unmet = counts.shown("unmet".into(), 2.0);
        let short = counts.sum("shortfall".into(), &[out, unmet]);
        let a = counts.shown("a".into(), 7.0);
        let b = counts.shown("b".into(), 7.0);
        counts.tie(&[a, b], short);
        let withheld = protect(&counts, 5.0);
        assert!(!withheld[short], "hidden cells are never marked");
        assert!(withheld[unmet]);
        // 2 is withheld, but out + unmet = a + b = 14 would give it away. Withholding out
        // (cost 1 + 12) or one of a, b (cost 1 + 7) protects it: the cheaper is taken.
        assert!(!withheld[out]);
        assert!(withheld[a] != withheld[b], "one of a, b");
        for c in [out, unmet, a, b].into_iter().filter(|&c| withheld[c]) {
            let (lo, hi) = range(&counts, &withheld, c);
            assert!(hi - lo >= 1.0 - 1e-6, "cell {c}: {lo}..{hi}");
        }
    }

    #[test]
    fn counts_that_are_not_of_pupils_are_never_withheld() {
        // Two years of one table: [[3, 10], [8, 9]] counts pupils now; the same table a year
        // on is a forecast. The forecast's 3 is shown, the pupils' 3 is withheld, and it is
        // protected by the pupils' own cells (the 2×2 square), never by a forecast's.
        let (mut counts, ids) = table(&[vec![3.0, 10.0], vec![8.0, 9.0]]);
        let base = counts.values.len();
        let mut forecast = Vec::new();
        for (r, row) in [[3.0, 10.0], [8.0, 9.0]].iter().enumerate() {
            let cells: Vec<CellId> =
                row.iter().enumerate().map(|(c, &v)| counts.shown(format!("next {r},{c}"), v)).collect();
            let total = counts.sum(format!("next {r},T"), &cells);
            counts.published[total] = true;
            forecast.extend(cells);
        }
        for c in base..counts.values.len() {
            counts.protected[c] = false;
        }
        let withheld = protect(&counts, 5.0);
        assert!(withheld[ids[0][0]], "the pupils' 3");
        assert!(forecast.iter().chain(&(base..counts.values.len()).collect::<Vec<_>>()).all(|&c| !withheld[c]));
        assert_eq!(withheld.iter().filter(|w| **w).count(), 4, "the square of the pupils' table");
        let (lo, hi) = range(&counts, &withheld, ids[0][0]);
        assert!(hi - lo >= 1.0 - 1e-6, "{lo}..{hi}");
    }

    #[test]
    fn a_forecast_is_withheld_only_when_nothing_else_protects_a_count_of_pupils() {
        // A sum that mixes the two (the annex never builds one): pupils 3 + forecast 12 = 15,
        // all published. Only the forecast can hide the 3.
        let mut counts = Counts::default();
        let pupils = counts.shown("pupils".into(), 3.0);
        let forecast = counts.shown("forecast".into(), 12.0);
        let total = counts.sum("total".into(), &[pupils, forecast]);
        counts.published[total] = true;
        counts.protected[forecast] = false;
        let withheld = protect(&counts, 5.0);
        assert!(withheld[pupils]);
        // The total (protected, 1 + 15) is cheaper than the forecast (UNPROTECTED_COST + 12).
        assert!(withheld[total] && !withheld[forecast]);
        counts.protected[total] = false;
        let withheld = protect(&counts, 5.0);
        assert!(withheld[pupils] && withheld.iter().filter(|w| **w).count() == 2, "one of the two forecasts");
        let (lo, hi) = range(&counts, &withheld, pupils);
        assert!(hi - lo >= 1.0 - 1e-6, "{lo}..{hi}");
    }

    #[test]
    fn a_small_count_that_is_never_published_is_not_given_away_by_a_difference() {
        // Out of the borough 10 = local places full 7 + other reasons 3 (hidden); places
        // required 7 = local places full 7 + no place 0. With out, required and no place all
        // published, other reasons = 10 - 7 + 0 = 3: a small count of pupils worked out by a
        // difference, though never published.
        let mut counts = Counts::default();
        let full = counts.cell("full".into(), 7.0);
        let other = counts.cell("other".into(), 3.0);
        let unmet = counts.shown("unmet".into(), 0.0);
        let out = counts.sum("out".into(), &[full, other]);
        let required = counts.sum("required".into(), &[full, unmet]);
        counts.published[out] = true;
        counts.published[required] = true;
        // Before protection, the hidden 3 is pinned.
        let none = vec![false; counts.values.len()];
        let (lo, hi) = range(&counts, &none, other);
        assert!((hi - lo).abs() < 1e-3 && (lo - 3.0).abs() < 1e-3, "{lo}..{hi}");
        let withheld = protect(&counts, 5.0);
        assert!(!withheld[other] && !withheld[full], "hidden cells are never marked");
        // The cheapest cover withholds the 0 with no place (1 + 0, against 1 + 10 or 1 + 7):
        // other reasons 4, local places full 6 and no place 1 then fit every published figure.
        assert!(withheld[unmet] && !withheld[out] && !withheld[required], "{withheld:?}");
        let (lo, hi) = range(&counts, &withheld, other);
        assert!(hi - lo >= 1.0 - 1e-6, "{lo}..{hi}");
        // With the threshold at 3, 3 is not small and nothing is withheld.
        assert!(protect(&counts, 3.0).iter().all(|w| !w));
    }
}
