//! Choosing what to take of each commissioning option (join a framework or not, how many
//! blocks), each fixed choice placed as a minimum-cost flow ([`super::fixed`]).
//!
//! An option alone: every choice is tried (not joined or joined; 0 to its most blocks).
//! Every option open: by cuts (Benders decomposition), as the choice of capital schemes
//! does ([`crate::planning::schemes`]). The cost of placing children with the choice fixed,
//! `Q(t)`, is the value of a minimum-cost flow whose caps' places are `t` × the places each
//! one taken gives, so convex in those places, and the caps' prices give a slope: for any
//! `t'`, `Q(t') ≥ Q(t) + Σ price × places × (t' − t)`. (Places beyond a contract's blocks open
//! with its first block: their cut is in a 0/1 column "any block bought", at most the
//! blocks.) The cuts start from every choice taking one option (the option-alone evaluations
//! place them, [`Seeds`], so they are not placed twice). The master program chooses whole
//! numbers under the cuts found so far; each
//! choice it picks is placed exactly; when it picks one already placed, no choice does
//! better, and the best placed is the optimum of the full mixed-integer program, the
//! tie-break charges included.

use std::collections::HashSet;

use super::fixed::{OptionNetwork, Placed};
use super::warm::Warm;
use crate::optimise::program::{LinearProgram, Row, Sense};
use crate::optimise::run::Error;
use crate::planning::schemes::master;
use crate::planning::schemes::tolerance;

/// Cut rows are held in £ millions, so that the master's solver sees numbers near 1.
const CUT_SCALE: f64 = 1e6;
/// Choices placed before the cuts stop, the bound then the master's least value.
const MOST_ROUNDS: usize = 500;
/// Most relaxations one search of the master may solve ([`master::Searched::limit`]): a
/// search that reaches it stops the cuts, with the bound it has proven so far. (On a region,
/// 63 options, a search took up to 15,000 when it found a choice and over 85,000 when
/// there was none to find; each relaxation about 0.6 ms.)
const MOST_NODES: usize = 20_000;

/// What one choice placed tells the cuts: the choice, its value and its caps' prices.
struct Seen {
    taken: Vec<u32>,
    value: f64,
    slopes: Vec<Vec<(f64, f64, bool)>>,
}

/// Each option alone at each of its choices, as placed for the option-alone evaluations:
/// the cuts the best combination starts from, so that the same choices are not placed twice.
pub(crate) struct Seeds {
    /// Each choice placed with one option taken, option by option, fewest taken first.
    seen: Vec<Seen>,
    /// Per entry: whether its choices are in `seen`.
    done: Vec<bool>,
    /// The first placed of least value.
    best: Option<Placed>,
    /// The last options' chains, to start the rounds from.
    warm: Warm,
}

impl Seeds {
    /// None placed yet, for `net`.
    pub(crate) fn new(net: &OptionNetwork) -> Seeds {
        Seeds { seen: Vec::new(), done: vec![false; net.most.len()], best: None, warm: Warm::new() }
    }

    /// Choices placed and kept.
    #[cfg(test)]
    pub(crate) fn placed(&self) -> usize {
        self.seen.len()
    }

    /// Keeps what `placed` (one option taken) tells the cuts.
    fn keep(&mut self, placed: &Placed) {
        self.seen.push(Seen { taken: placed.taken.clone(), value: placed.value, slopes: placed.slopes.clone() });
        if self.best.as_ref().is_none_or(|b| placed.value < b.value) {
            self.best = Some(placed.clone());
        }
    }
}

/// The best choice with only entry `k` of the options taken (the others not); every choice
/// taking some of it goes into `seeds`.
///
/// # Errors
/// If the network simplex fails.
pub(crate) fn alone(net: &OptionNetwork, k: usize, seeds: &mut Seeds) -> Result<Placed, Error> {
    // One more taken each time, each solve going on from the last.
    let mut chain = net.start();
    let mut best = net.placed(&mut chain, None)?;
    for t in 1..=net.most[k] {
        chain.take(net, k, t, None)?;
        let placed = net.placed(&mut chain, None)?;
        if !seeds.done[k] {
            seeds.keep(&placed);
        }
        if placed.value < best.value {
            best = placed;
        }
    }
    if !seeds.done[k] {
        seeds.done[k] = true;
        seeds.warm.keep(chain);
    }
    Ok(best)
}

/// The fixed cost of entry `k` per one taken, with its tie-break (£ a year).
fn fixed_cost(net: &OptionNetwork, k: usize) -> f64 {
    let c = net.f.options_taken[k].1.0;
    net.f.program.objective[c] + net.f.tie_break()[c]
}

/// The cut of `placed`: the master's estimate `theta` of the placing cost is at least its
/// cost there, less the caps' prices × the places each one more taken would give.
fn cut(net: &OptionNetwork, placed: &Seen, theta: usize, taken: &[usize], any: &[Option<usize>]) -> Row {
    // Q at this choice: the value less the options' own costs.
    let mut rhs = placed.value;
    let mut terms = vec![(theta, 1.0)];
    for (k, slopes) in placed.slopes.iter().enumerate() {
        let t = f64::from(placed.taken[k]);
        rhs -= fixed_cost(net, k) * t;
        let (mut g, mut h) = (0.0, 0.0);
        for &(price, places, all_at_once) in slopes {
            if all_at_once {
                h += price * places;
            } else {
                g += price * places;
            }
        }
        rhs -= g * t + h * t.min(1.0);
        terms.push((taken[k], -g / CUT_SCALE));
        if let Some(z) = any[k] {
            terms.push((z, -h / CUT_SCALE));
        }
    }
    terms.retain(|&(_, a)| a != 0.0);
    Row { name: "cut".into(), terms, sense: Sense::AtLeast, rhs: rhs / CUT_SCALE }
}

/// The best choice with every option open, by cuts, and the least any choice could cost as
/// the cuts prove it.
pub(crate) struct Best {
    /// The best choice placed.
    pub placed: Placed,
    /// No choice's value (with the tie-break) is below this: `placed.value` when the choice
    /// is proven best, less when the search stopped at the gap asked or after
    /// [`MOST_ROUNDS`].
    pub bound: f64,
}

/// The best choice with every option open, by cuts, starting from the cuts of the choices in
/// `seeds`: each option alone placed so far (those missing are placed here). Each round asks
/// the master ([`master::below`]) for a choice whose estimate is below the best placed value
/// less the larger of `gap` × that value and [`tolerance`], places it and adds its cut; when
/// there is none, what the search proved ([`master::Searched::least`]) is the bound. With
/// `gap` 0 the best placed is the optimum of the full mixed-integer program.
///
/// # Errors
/// If the network simplex or the master's search fails.
pub(crate) fn best(net: &OptionNetwork, gap: f64, mut seeds: Seeds) -> Result<Best, Error> {
    let entries = net.most.len();
    let mut master = LinearProgram::default();
    let theta = master.add_column("placing".into(), 1.0);
    let taken: Vec<usize> = (0..entries)
        .map(|k| {
            master.add_integer_column(format!("taken{k}"), fixed_cost(net, k) / CUT_SCALE, 0.0, f64::from(net.most[k]))
        })
        .collect();
    // A 0/1 column per option whose caps open with any one taken.
    let mut any: Vec<Option<usize>> = vec![None; entries];
    let first = net.place(&vec![0; entries])?;
    for (k, slopes) in first.slopes.iter().enumerate() {
        if slopes.iter().any(|s| s.2) {
            let z = master.add_integer_column(format!("any{k}"), 0.0, 0.0, 1.0);
            master.rows.push(Row {
                name: format!("any{k}"),
                terms: vec![(z, 1.0), (taken[k], -1.0)],
                sense: Sense::AtMost,
                rhs: 0.0,
            });
            any[k] = Some(z);
        }
    }
    // Each choice placed: the best so far, seen, and its cut (taken in at once, as a
    // placement's values are large at region size).
    let mut seen: HashSet<Vec<u32>> = HashSet::new();
    let mut best = first.clone();
    let add = |latest: &Seen, master: &mut LinearProgram, seen: &mut HashSet<Vec<u32>>| {
        seen.insert(latest.taken.clone());
        master.rows.push(cut(net, latest, theta, &taken, &any));
    };
    let record = |latest: Placed, master: &mut LinearProgram, seen: &mut HashSet<Vec<u32>>, best: &mut Placed| {
        let s = Seen { taken: latest.taken.clone(), value: latest.value, slopes: latest.slopes.clone() };
        add(&s, master, seen);
        if latest.value < best.value {
            *best = latest;
        }
    };
    // Cuts to start: nothing taken, everything (each option at its most), and each option
    // alone at each of its choices, as the option-alone evaluations placed them (any not
    // placed yet are placed here); their last chains start the rounds.
    record(first, &mut master, &mut seen, &mut best);
    record(net.place(&net.most)?, &mut master, &mut seen, &mut best);
    for k in 0..entries {
        if !seeds.done[k] {
            alone(net, k, &mut seeds)?;
        }
    }
    for s in &seeds.seen {
        add(s, &mut master, &mut seen);
    }
    if let Some(b) = seeds.best.take()
        && b.value < best.value
    {
        best = b;
    }
    let mut warm = seeds.warm;
    let choice_of = |values: &[f64]| -> Vec<u32> { taken.iter().map(|&c| values[c].round().max(0.0) as u32).collect() };
    let mut searched = master::Searched { limit: Some(MOST_NODES), ..master::Searched::default() };
    for _ in 0..MOST_ROUNDS {
        let allowed = tolerance(best.value).max(gap * best.value.abs());
        let target = (best.value - allowed) / CUT_SCALE;
        // A choice placed is left out: its cut holds its value exactly.
        let skip = |values: &[f64]| seen.contains(&choice_of(values));
        // None below the target (within the gap), or the search undecided at its limit:
        // either way what it proved bounds every choice.
        let Some(values) = master::below(&master, target, &skip, &mut searched)? else {
            let bound = proven(best.value, searched.least * CUT_SCALE);
            return Ok(Best { placed: best, bound });
        };
        record(warm.place(net, &choice_of(&values))?, &mut master, &mut seen, &mut best);
    }
    // Out of rounds: the master's own least value bounds every choice.
    let bound = proven(best.value, least(&master, best.value / CUT_SCALE)? * CUT_SCALE);
    Ok(Best { placed: best, bound })
}

/// The bound `least` on every choice's value, given the best placed `value`: `value` itself
/// where they are within [`tolerance`] (proven best), never above it.
fn proven(value: f64, least: f64) -> f64 {
    if value - least <= tolerance(value) { value } else { least }
}

/// The least value of `master` (in its units), at most `from`: points below the last found,
/// each search's target the last point's value less [`tolerance`], until there is none (or
/// a search is undecided at [`MOST_NODES`]: then what it proved).
///
/// # Errors
/// If the master's search fails.
fn least(master: &LinearProgram, from: f64) -> Result<f64, Error> {
    let mut searched = master::Searched { limit: Some(MOST_NODES), ..master::Searched::default() };
    let mut target = from;
    let mut last = from;
    while let Some(values) = master::below(master, target, &|_| false, &mut searched)? {
        last = master.value_of(&values);
        target = last - tolerance(last * CUT_SCALE) / CUT_SCALE;
    }
    Ok(searched.least.min(last))
}
