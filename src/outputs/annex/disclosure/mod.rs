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
//! count as small, that what is published pins to a range narrower than the protection
//! interval ([`protection_width`]: as many children as the threshold, so with a threshold of
//! 5 a withheld 2 could be anything in a range at least 5 wide, such as 0 to 5), the cheapest
//! change to the pool that moves it up by that width touching only withheld or hidden cells
//! (one linear program), withholding every published cell that change touches. Whether a
//! count is pinned is the audit statistical offices make (tau-argus's): the least and the
//! most it could be given every published figure and total, two small linear programs. For
//! whole-number counts in one table with its margins the constraint matrix is totally
//! unimodular, so both bounds are whole numbers a table could really have. The programs are
//! always solved with microlp, so every build withholds the same cells. Every table a search
//! or program meets on the way is remembered ([`Seen`]): a count it already shows could be
//! at least the width apart needs no search or program of its own (a region's pool has
//! thousands of small counts, most of them settled so); and a count the lines near it
//! already show pinned, line by line, needs no program either ([`outer`]: what it settles is
//! what the programs would decide, so the same cells are withheld).
//!
//! [`Decided`] holds the outcome, and is the only maker of a [`Published`] count: every
//! count the annex prints, in a table, a caption, a chart or a map label, is one.

use std::collections::{BTreeMap, HashSet};

use crate::optimise::program::{LinearProgram, Row, Sense};
use crate::optimise::solve::{Solver, solve_program};

/// One cell of the pool.
pub type CellId = usize;

/// The parts of a sum add up to its total.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// The sums already recorded, so that recording one is not a search of them all (a
    /// region's pool has tens of thousands).
    recorded: HashSet<Line>,
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
        if self.recorded.insert(line.clone()) {
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
    protect_remembering(counts, threshold, true, true)
}

/// As [`protect`]; `remember` false forgets every table met once each cell is settled (see
/// [`Seen`]), so each is settled by its own search or programs alone; `screen` false protects
/// every small count in order with none screened first ([`screen`]; the tests compare).
fn protect_remembering(counts: &Counts, threshold: f64, remember: bool, screen: bool) -> Vec<bool> {
    let n = counts.values.len();
    let small: Vec<bool> = (0..n)
        .map(|c| {
            let shown = counts.values[c].round();
            counts.protected[c] && shown >= 1.0 && shown < threshold
        })
        .collect();
    let mut withheld: Vec<bool> = (0..n).map(|c| counts.published[c] && small[c]).collect();
    let lines_of = lines_of(counts);
    let width = protection_width(threshold);
    let ceiling = ceiling(counts);
    let mut seen = Seen::new(counts);
    // Withholding more only widens what a withheld cell could be, so a cell found safe
    // stays safe; one pass over the cells, in order, protects them all. Those found safe
    // with only the small published counts withheld are safe already, found on every core.
    let mut free = vec![false; n];
    if screen {
        let to_screen: Vec<CellId> = (0..n).filter(|&c| small[c]).collect();
        for c in screen::free(counts, &lines_of, &withheld, &to_screen, width, &mut seen) {
            free[c] = true;
        }
    }
    for c in 0..n {
        if !small[c] || free[c] {
            continue;
        }
        if !remember {
            seen = Seen::new(counts);
        }
        if alone_in_a_line(counts, &lines_of, &withheld, c)
            || pinned(counts, &lines_of, &withheld, c, width, ceiling, &mut seen)
        {
            for x in cover(counts, &lines_of, &withheld, c, width) {
                withheld[x] = true;
            }
        }
    }
    withheld
}

/// The published cells to withhold so that unknown cell `target` could be `width` children
/// more: the cheapest change to the table that keeps every line and every count at zero
/// or more, moves `target` up by `width`, and touches only cells then withheld. Cheapest: the
/// least total of (1 + count) over the cells newly withheld, in the linear relaxation
/// (small cells first, few of them); a cell that is not protected costs [`UNPROTECTED_COST`]
/// more, so it is taken only when nothing else protects `target`. Found by one linear program
/// over the cells linked to `target` by lines, when they are no more than the last of
/// [`NEAR`]; otherwise over the first of [`NEAR`] nearest it, then four times as many, and so
/// on until a change is found. Cells outside the program do not change, so a change found
/// within it is a change to the whole pool that keeps every line: `target` is protected as
/// surely as by a program over every cell, at the cost of perhaps withholding more.
fn cover(counts: &Counts, lines_of: &[Vec<usize>], withheld: &[bool], target: CellId, width: f64) -> Vec<CellId> {
    // Every cell linked to the target through lines, known or not.
    let all = |_| true;
    let (mut found, mut used_lines, mut whole) = linked(counts, lines_of, target, all, NEAR[NEAR.len() - 1]);
    let mut near = NEAR[0];
    if !whole {
        (found, used_lines, whole) = linked(counts, lines_of, target, all, near);
    }
    loop {
        if let Some(cells) = cover_within(counts, withheld, target, width, &found, &used_lines) {
            return cells;
        }
        if whole {
            // Cannot happen (withholding every linked cell is always a solution); be safe anyway.
            return found.into_iter().filter(|&c| counts.published[c] && !withheld[c]).collect();
        }
        near = near.saturating_mul(4);
        (found, used_lines, whole) = linked(counts, lines_of, target, all, near);
    }
}

/// As [`cover`], over cells `found` and lines `used_lines` (every line of each cell found):
/// `None` when no change within them protects `target`.
fn cover_within(
    counts: &Counts,
    withheld: &[bool],
    target: CellId,
    width: f64,
    found: &[CellId],
    used_lines: &[usize],
) -> Option<Vec<CellId>> {
    let seen: BTreeMap<CellId, usize> = found.iter().enumerate().map(|(k, &c)| (c, k)).collect();
    // Columns: up and down moves of each cell.
    let mut program = LinearProgram::default();
    for &c in found {
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
            program.lower[up] = width;
            program.upper[up] = width;
            program.upper[down] = 0.0;
        }
        debug_assert_eq!(up + 1, down);
    }
    for &l in used_lines {
        let line = &counts.lines[l];
        let mut terms = Vec::new();
        for (c, sign) in line.parts.iter().map(|&c| (c, 1.0)).chain([(line.total, -1.0)]) {
            // A cell outside the program does not change.
            let Some(&k) = seen.get(&c) else { continue };
            terms.push((2 * k, sign));
            terms.push((2 * k + 1, -sign));
        }
        program.rows.push(Row { name: format!("line{l}"), terms, sense: Sense::Equal, rhs: 0.0 });
    }
    let x = solve_program(&program, Solver::Microlp).ok()?;
    Some(
        found
            .iter()
            .enumerate()
            .filter(|&(k, &c)| !unknown(counts, withheld, c) && x[2 * k] + x[2 * k + 1] > 1e-7)
            .map(|(_, &c)| c)
            .collect(),
    )
}

/// A count as the annex may print it, decided by disclosure control: shown, rounded to whole
/// children, or withheld. Only [`Decided`] makes one, so no count reaches a table, caption,
/// chart or map label without passing through the one decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Published(Option<f64>);

impl Published {
    /// The count shown (whole children), or `None` when withheld.
    #[must_use]
    pub fn shown(self) -> Option<f64> {
        self.0
    }

    /// Whether it is withheld.
    #[must_use]
    pub fn is_withheld(self) -> bool {
        self.0.is_none()
    }

    /// What a drawing may size or order it by: the count shown, or `instead` when withheld
    /// (so a withheld count is drawn like any other withheld count).
    #[must_use]
    pub fn or(self, instead: f64) -> f64 {
        self.0.unwrap_or(instead)
    }
}

/// The outcome of disclosure control over the whole pool: which cells are withheld.
#[derive(Debug, Clone)]
pub struct Decided {
    threshold: f64,
    values: Vec<f64>,
    published: Vec<bool>,
    withheld: Vec<bool>,
}

impl Decided {
    /// Protects `counts` at `threshold` (see [`protect`]).
    #[must_use]
    pub fn new(counts: &Counts, threshold: f64) -> Decided {
        Decided {
            threshold,
            values: counts.values.clone(),
            published: counts.published.clone(),
            withheld: protect(counts, threshold),
        }
    }

    /// Cell `id` as the annex prints it. A cell the pool does not publish (one that only ties
    /// others together) is never printed: asking for one is a mistake in the annex, and it
    /// comes back withheld.
    #[must_use]
    pub fn count(&self, id: CellId) -> Published {
        debug_assert!(self.published[id], "cell {id} is not published");
        if self.withheld[id] || !self.published[id] {
            Published(None)
        } else {
            let v = (self.values[id] * 1e6).round() / 1e6;
            Published(Some(v.round() + 0.0))
        }
    }

    /// The threshold it protected at (0: control off).
    #[must_use]
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// A count that is never printed (a flow the map does not draw): withheld.
    #[must_use]
    pub fn hidden(&self) -> Published {
        Published(None)
    }

    /// Whether cell `id` is withheld.
    #[must_use]
    pub fn is_withheld(&self, id: CellId) -> bool {
        self.withheld[id]
    }

    /// Every cell's mark: `true` for each withheld.
    #[must_use]
    pub fn withheld(&self) -> &[bool] {
        &self.withheld
    }

    /// A count as a test assumes it was decided (tests of the drawings only).
    #[cfg(test)]
    #[must_use]
    pub fn assumed(v: Option<f64>) -> Published {
        Published(v)
    }
}

fn cells(line: &Line) -> impl Iterator<Item = CellId> + '_ {
    line.parts.iter().copied().chain(std::iter::once(line.total))
}

/// Whether unknown cell `c` is the only unknown cell of one of its lines (so the line gives it
/// away exactly).
fn alone_in_a_line(counts: &Counts, lines_of: &[Vec<usize>], withheld: &[bool], c: CellId) -> bool {
    lines_of[c].iter().any(|&l| cells(&counts.lines[l]).filter(|&x| unknown(counts, withheld, x)).count() == 1)
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

/// The protection interval: the least spread, in children, between the least and the most
/// a withheld count could be given everything published. As many children as the threshold
/// (at least 1): a count withheld as small could be 0 or could be as large as a count that is
/// shown.
#[must_use]
pub fn protection_width(threshold: f64) -> f64 {
    threshold.round().max(1.0)
}

/// Whether what is published pins unknown cell `c` (withheld or hidden) to a range narrower
/// than `width`. A short search first looks for two other tables the published figures allow,
/// one in which `c` is `up` children more and one in which it is `width - up` fewer
/// ([`Move`]; `up` from `width` down to 0, a move of 0 being the table published); finding
/// both settles it (not pinned: its range holds both, so it is at least `width` wide) with no
/// program to solve; a fractional count is also moved down to 0 and up by the rest of the
/// width, by fractional steps. Then the lines near `c` may show, with no program, that the
/// last, largest program would find it pinned ([`outer`]): then so would every program, and
/// it is pinned. Otherwise the bounds decide, first over the [`NEAR`] unknown cells
/// nearest `c` (the others held at what they are: a range found so is within the true one,
/// so one at least `width` wide settles it), then over more. A cell whose unknown cells
/// number more than the last of [`NEAR`] and that is pinned within them is taken as pinned:
/// protected as if it were, which withholds more, never less. For fewer cells every step
/// only proves what the bounds over them all would show, so the decision is theirs.
fn pinned(
    counts: &Counts,
    lines_of: &[Vec<usize>],
    withheld: &[bool],
    c: CellId,
    width: f64,
    ceiling: f64,
    seen: &mut Seen,
) -> bool {
    if moved_apart(counts, lines_of, withheld, c, width, seen) {
        return false;
    }
    // A quick proof the last program would find it pinned (so every program would): no
    // program to solve.
    if outer::pins(counts, lines_of, withheld, c, width, ceiling) {
        return true;
    }
    for near in NEAR {
        let (low, high, whole) = bounds(counts, lines_of, withheld, c, ceiling, near, seen);
        if high - low >= width - 1e-6 {
            return false;
        }
        if whole {
            return true;
        }
    }
    true
}

/// Whether unknown cell `c` is shown not pinned with no program: by the tables met already,
/// or by two moves the width apart ([`Move`]; see [`pinned`]).
fn moved_apart(
    counts: &Counts,
    lines_of: &[Vec<usize>],
    withheld: &[bool],
    c: CellId,
    width: f64,
    seen: &mut Seen,
) -> bool {
    if seen.spread(c) >= width - 1e-6 {
        return true;
    }
    let step = width as i32;
    let mut found: BTreeMap<i32, bool> = BTreeMap::from([(0, true)]);
    let mut moves = |by: i32| {
        *found.entry(by).or_insert_with(|| match Move::find(counts, lines_of, withheld, c, f64::from(by)) {
            Some(change) => {
                seen.change(counts, &change);
                true
            }
            None => false,
        })
    };
    if (0..=step).rev().any(|up| moves(up) && moves(up - step)) {
        return true;
    }
    // A fractional count (a base year's, say) cannot go down by whole children to 0: down by
    // its own count, to 0, and up by the rest of the width, the smallest moves that show it.
    let value = counts.values[c];
    if value.fract() != 0.0 && value < width {
        let mut real = |by: f64| match Move::find(counts, lines_of, withheld, c, by) {
            Some(change) => {
                seen.change(counts, &change);
                true
            }
            None => false,
        };
        return real(-value) && real(width - value);
    }
    false
}

/// How many cells near a target the programs of [`pinned`] and [`cover`] take, at most, in
/// turn. A council's pools are smaller than the last, so their programs take every cell
/// linked to the target; a region's maps add tens of thousands of cells linked to each
/// other, which programs over them all would take hours to solve, one for each small count.
const NEAR: [usize; 3] = [256, 1024, 4096];

/// A change by `step` children (whole or not) to some unknown cells that keeps every line and
/// every count at zero or more (to [`Move::ROUNDING`]), found by a depth-first search: moving one cell unbalances its lines,
/// each of which another unknown cell in it then rebalances, until none is out. In a table
/// with margins the shortest is a rectangle of four cells. The search stops after
/// [`Move::TRIES`] cells tried or [`Move::LONGEST`] cells changed.
struct Move<'a> {
    counts: &'a Counts,
    lines_of: &'a [Vec<usize>],
    withheld: &'a [bool],
    /// The change to each cell (0: none).
    change: BTreeMap<CellId, f64>,
    tries: usize,
    /// The size of the move, children.
    step: f64,
}

impl Move<'_> {
    const TRIES: usize = 2000;
    const LONGEST: usize = 8;
    /// How far a line may miss adding up, or a count fall below 0, in a move: round-off of
    /// fractional counts and steps, far within the tolerance [`pinned`] allows the width.
    const ROUNDING: f64 = 1e-9;

    /// Whether some allowed table has `target` moved by `step` (children, up or down).
    fn find(
        counts: &Counts,
        lines_of: &[Vec<usize>],
        withheld: &[bool],
        target: CellId,
        step: f64,
    ) -> Option<BTreeMap<CellId, f64>> {
        if counts.values[target] + step < -Self::ROUNDING {
            return None;
        }
        let mut search = Move { counts, lines_of, withheld, change: BTreeMap::new(), tries: 0, step: step.abs() };
        search.change.insert(target, step);
        (search.extend() && search.holds()).then_some(search.change)
    }

    /// The line's parts less its total, in the change: added up over the cells changed (a
    /// few), not over the line's parts (a map's line may have thousands).
    fn imbalance(&self, l: usize) -> f64 {
        let total = self.counts.lines[l].total;
        self.change
            .iter()
            .map(|(&c, &d)| {
                // Each time `l` is among the cell's lines it has the cell as a part or as its
                // total.
                let times = self.lines_of[c].iter().filter(|&&x| x == l).count() as f64;
                d * (times - 2.0 * f64::from(u8::from(c == total)))
            })
            .sum()
    }

    fn extend(&mut self) -> bool {
        let out = self
            .change
            .keys()
            .flat_map(|&c| self.lines_of[c].iter().copied())
            .find(|&l| self.imbalance(l).abs() > Self::ROUNDING);
        let Some(l) = out else { return true };
        if self.change.len() >= Self::LONGEST {
            return false;
        }
        let gap = self.imbalance(l);
        if (gap.abs() - self.step).abs() > Self::ROUNDING {
            return false;
        }
        let counts = self.counts;
        let line = &counts.lines[l];
        let candidates = line.parts.iter().map(|&c| (c, -gap)).chain(std::iter::once((line.total, gap)));
        for (c, step) in candidates {
            // Every cell looked at counts as a try, so a line of thousands is not read whole.
            self.tries += 1;
            if self.tries > Self::TRIES {
                return false;
            }
            if self.change.contains_key(&c)
                || !unknown(counts, self.withheld, c)
                || counts.values[c] + step < -Self::ROUNDING
            {
                continue;
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
            .all(|(&c, &d)| unknown(self.counts, self.withheld, c) && self.counts.values[c] + d >= -Self::ROUNDING)
            && self
                .change
                .keys()
                .flat_map(|&c| self.lines_of[c].iter())
                .all(|&l| self.imbalance(l).abs() <= Self::ROUNDING)
    }
}

/// The cells linked to `target` through lines, following only cells that `follow` accepts
/// (target first, then the nearest), at most `near` of them; every line any of them is in;
/// and whether those cells are all the linked ones.
fn linked(
    counts: &Counts,
    lines_of: &[Vec<usize>],
    target: CellId,
    follow: impl Fn(CellId) -> bool,
    near: usize,
) -> (Vec<CellId>, Vec<usize>, bool) {
    let mut found = vec![target];
    let mut seen = HashSet::from([target]);
    let mut seen_line = HashSet::new();
    let mut whole = true;
    let mut next = 0;
    'search: while next < found.len() {
        let c = found[next];
        next += 1;
        for &l in &lines_of[c] {
            if !seen_line.insert(l) {
                continue;
            }
            for x in cells(&counts.lines[l]).filter(|&x| follow(x)) {
                if !seen.contains(&x) {
                    if found.len() >= near {
                        whole = false;
                        break 'search;
                    }
                    seen.insert(x);
                    found.push(x);
                }
            }
        }
    }
    // Every line of the cells found, in the order the search meets them: cells outside the
    // search are held at what they are, but a line of a cell inside still binds it.
    let mut used_lines = Vec::new();
    let mut used = HashSet::new();
    for &c in &found {
        for &l in &lines_of[c] {
            if used.insert(l) {
                used_lines.push(l);
            }
        }
    }
    (found, used_lines, whole)
}

/// The least and most cell `target` could be, given the published cells not withheld, every
/// line, and counts never below zero.
#[must_use]
pub fn range(counts: &Counts, withheld: &[bool], target: CellId) -> (f64, f64) {
    let (low, high, _) =
        bounds(counts, &lines_of(counts), withheld, target, ceiling(counts), usize::MAX, &mut Seen::new(counts));
    (low, high)
}

/// The most any cell could be: every count in the pool added up (at least 1).
fn ceiling(counts: &Counts) -> f64 {
    counts.values.iter().sum::<f64>().max(1.0)
}

/// As [`range`]: two linear programs over the unknown cells linked to `target`, or the
/// `near` of them nearest it with the others held at what they are (then a range within the
/// true one), and whether they were all of them.
fn bounds(
    counts: &Counts,
    lines_of: &[Vec<usize>],
    withheld: &[bool],
    target: CellId,
    ceiling: f64,
    near: usize,
    seen: &mut Seen,
) -> (f64, f64, bool) {
    let (found, used_lines, whole) = linked(counts, lines_of, target, |x| unknown(counts, withheld, x), near);
    let column_of: BTreeMap<CellId, usize> = found.iter().enumerate().map(|(i, &c)| (c, i)).collect();
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
    // The least and the most: two programs, solved side by side on two cores (each alone, so
    // the answers are the same on one).
    let mut least = program;
    least.objective[0] = 1.0;
    let mut most = least.clone();
    most.objective[0] = -1.0;
    let (low, high) = rayon::join(|| solve_program(&least, Solver::Microlp), || solve_program(&most, Solver::Microlp));
    let mut bound = |solved: Result<Vec<f64>, _>| {
        // The true values always satisfy these rows, so the program is feasible and bounded;
        // should the solver fail all the same, assume the worst (the value is known).
        match solved {
            Ok(x) => {
                seen.point(found.iter().zip(&x).map(|(&cell, &v)| (cell, v)));
                x[0]
            }
            Err(_) => counts.values[target],
        }
    };
    (bound(low), bound(high), whole)
}

/// The least and the most each cell has been in some table the published figures allow,
/// among those the searches and programs of [`pinned`] have met (each cell's own count at
/// first). Withholding more only adds tables, so every one met stays allowed: a cell whose
/// values met already span the protection width is not pinned, with no search or program.
/// A table met by a program may miss adding up by [`LINE_SLACK`] a line, as its bounds do.
struct Seen {
    low: Vec<f64>,
    high: Vec<f64>,
}

impl Seen {
    fn new(counts: &Counts) -> Seen {
        Seen { low: counts.values.clone(), high: counts.values.clone() }
    }

    /// The spread of the values met for cell `c`.
    fn spread(&self, c: CellId) -> f64 {
        self.high[c] - self.low[c]
    }

    /// A table met: the cells given, at these values (every other cell at its count).
    fn point(&mut self, values: impl Iterator<Item = (CellId, f64)>) {
        for (c, v) in values {
            self.low[c] = self.low[c].min(v);
            self.high[c] = self.high[c].max(v);
        }
    }

    /// Every table `other` met (met with no more withheld than now, so still allowed).
    fn merge(&mut self, other: &Seen) {
        for (low, &o) in self.low.iter_mut().zip(&other.low) {
            *low = low.min(o);
        }
        for (high, &o) in self.high.iter_mut().zip(&other.high) {
            *high = high.max(o);
        }
    }

    /// A table met by a [`Move`]: the cells changed, by how much.
    fn change(&mut self, counts: &Counts, change: &BTreeMap<CellId, f64>) {
        self.point(change.iter().map(|(&c, &d)| (c, counts.values[c] + d)));
    }
}

mod outer;
mod screen;

#[cfg(test)]
mod tests;
