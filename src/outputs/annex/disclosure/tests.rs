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
        assert!(hi - lo >= protection_width(5.0) - 1e-6, "cell {c}: {lo}..{hi}");
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
    assert!(Move::find(&counts, &lines_of, &withheld, parts[0], -1.0).is_some());
    assert!(Move::find(&counts, &lines_of, &withheld, parts[0], 1.0).is_some());
    // With the other published, no table moves it.
    withheld[parts[1]] = false;
    assert!(Move::find(&counts, &lines_of, &withheld, parts[0], 1.0).is_none());
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
                assert!(hi - lo >= protection_width(5.0) - 1e-6, "case {case}: cell {c} pinned to {lo}..{hi}");
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
            assert!(hi - lo >= protection_width(5.0) - 1e-6, "case {case}: {values:?} cell {c} pinned to {lo}..{hi}");
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
        assert!(hi - lo >= protection_width(5.0) - 1e-6, "cell {c}: {lo}..{hi}");
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
    assert!(hi - lo >= protection_width(5.0) - 1e-6, "{lo}..{hi}");
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
    assert!(hi - lo >= protection_width(5.0) - 1e-6, "{lo}..{hi}");
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
    assert!(hi - lo >= protection_width(5.0) - 1e-6, "{lo}..{hi}");
    // With the threshold at 3, 3 is not small and nothing is withheld.
    assert!(protect(&counts, 3.0).iter().all(|w| !w));
}

#[test]
fn linked_stops_at_near_cells_and_keeps_every_line_of_those_found() {
    let values: Vec<Vec<f64>> = (0..50u32).map(|r| vec![f64::from(r % 7 + 3), 4.0, 9.0]).collect();
    let (counts, ids) = table(&values);
    let lines_of = lines_of(&counts);
    let (found, used, whole) = linked(&counts, &lines_of, ids[0][0], |_| true, 10);
    assert_eq!((found.len(), whole), (10, false));
    assert_eq!(found[0], ids[0][0]);
    for &c in &found {
        assert!(lines_of[c].iter().all(|l| used.contains(l)), "a line of cell {c} is left out");
    }
    let (all, _, whole) = linked(&counts, &lines_of, ids[0][0], |_| true, usize::MAX);
    assert_eq!((all.len(), whole), (counts.values.len(), true));
}

/// A table too large for one program over every linked cell (more than the last of
/// [`NEAR`]): the small counts are still each protected, checked by the bounds over every
/// cell.
#[test]
fn a_table_larger_than_the_programs_is_still_protected() {
    let rows = 1_500;
    let values: Vec<Vec<f64>> = (0..rows as u32)
        .map(|r| {
            let small = if r % 250 == 7 { 2.0 } else { f64::from(r % 5 + 6) };
            vec![small, f64::from(r % 3 + 8)]
        })
        .collect();
    let (counts, ids) = table(&values);
    let lines_of = lines_of(&counts);
    let (_, _, whole) = linked(&counts, &lines_of, ids[7][0], |_| true, NEAR[NEAR.len() - 1]);
    assert!(!whole, "the table must be larger than the programs");
    let withheld = protect(&counts, 5.0);
    let small: Vec<CellId> = (0..rows).filter(|r| r % 250 == 7).map(|r| ids[r][0]).collect();
    assert_eq!(small.len(), 6);
    for c in small {
        assert!(withheld[c]);
        let (low, high) = range(&counts, &withheld, c);
        assert!(high - low >= 5.0 - 1e-6, "cell {c} pinned to {low}..{high}");
    }
}

#[test]
fn a_small_count_is_shown_free_by_moves_split_both_ways() {
    // 2 can fall by 2 and rise by 3 (not 5 either way): its range is 0..5 or wider.
    let (counts, ids) = table(&[vec![2.0, 3.0], vec![3.0, 2.0]]);
    let mut withheld = vec![false; counts.values.len()];
    for c in [ids[0][0], ids[0][1], ids[1][0], ids[1][1]] {
        withheld[c] = true;
    }
    let lines_of = lines_of(&counts);
    assert!(Move::find(&counts, &lines_of, &withheld, ids[0][0], 5.0).is_none());
    assert!(Move::find(&counts, &lines_of, &withheld, ids[0][0], -5.0).is_none());
    assert!(Move::find(&counts, &lines_of, &withheld, ids[0][0], 3.0).is_some());
    assert!(Move::find(&counts, &lines_of, &withheld, ids[0][0], -2.0).is_some());
    assert!(!pinned(&counts, &lines_of, &withheld, ids[0][0], 5.0, ceiling(&counts), &mut Seen::new(&counts)));
    let (low, high) = range(&counts, &withheld, ids[0][0]);
    assert!(low.abs() < 1e-3 && (high - 5.0).abs() < 1e-3, "{low}..{high}");
}

/// A random pool: a table of `rows` × `cols` counts (some fractional) with its margins, some
/// of its inner cells hidden, and a second table splitting the first row's cells in two,
/// tied to them by hidden sums.
fn random_pool(rng: &mut ChaCha8Rng) -> Counts {
    let rows = 2 + rng.random_range(0..4) as usize;
    let cols = 2 + rng.random_range(0..4) as usize;
    let values: Vec<Vec<f64>> = (0..rows)
        .map(|_| {
            (0..cols)
                .map(|_| {
                    let v = rng.random_range(0..12) as f64;
                    if rng.random_range(0..4) == 0 { v + 0.1 * rng.random_range(1..10) as f64 } else { v }
                })
                .collect()
        })
        .collect();
    let (mut counts, ids) = table(&values);
    for row in ids.iter().take(rows) {
        for &c in row.iter().take(cols) {
            if rng.random_range(0..5) == 0 {
                counts.published[c] = false;
            }
        }
    }
    for (k, &c) in ids[0].iter().take(cols).enumerate() {
        let a = (counts.values[c] * 0.5).floor();
        let first = counts.shown(format!("split{k}a"), a);
        let second = counts.shown(format!("split{k}b"), counts.values[c] - a);
        counts.tie(&[first, second], c);
    }
    counts
}

#[test]
fn remembering_the_tables_met_withholds_the_same_cells_as_solving_each_alone() {
    let mut rng = ChaCha8Rng::seed_from_u64(27);
    let mut remembered = 0;
    for case in 0..60 {
        let counts = random_pool(&mut rng);
        let threshold = [3.0, 5.0, 10.0][case % 3];
        let withheld = protect_remembering(&counts, threshold, true, false);
        assert_eq!(withheld, protect_remembering(&counts, threshold, false, false), "case {case}");
        // Every small count of pupils, withheld or hidden, could be the width apart.
        let width = protection_width(threshold);
        for c in 0..counts.values.len() {
            let shown = counts.values[c].round();
            if shown >= 1.0 && shown < threshold && (withheld[c] || !counts.published[c]) {
                let (lo, hi) = range(&counts, &withheld, c);
                assert!(hi - lo >= width - 1e-6, "case {case}: cell {c} pinned to {lo}..{hi}");
                remembered += 1;
            }
        }
    }
    assert!(remembered > 100, "the pools have small counts to protect ({remembered})");
}

#[test]
fn a_table_a_search_met_settles_another_count_it_moved() {
    // One row of four cells and its total: moving the first up takes the second down.
    let mut counts = Counts::default();
    let parts: Vec<CellId> =
        [2.0, 9.0, 3.0, 7.0].iter().enumerate().map(|(k, &v)| counts.shown(format!("{k}"), v)).collect();
    let total = counts.sum("total".into(), &parts);
    counts.published[total] = true;
    let withheld = vec![true, true, true, true, false];
    let lines_of = lines_of(&counts);
    let mut seen = Seen::new(&counts);
    assert!(seen.spread(parts[1]) < 1e-9, "nothing met yet");
    let change = Move::find(&counts, &lines_of, &withheld, parts[0], 5.0).expect("2 up to 7, 9 down to 4");
    seen.change(&counts, &change);
    assert!((seen.spread(parts[0]) - 5.0).abs() < 1e-9);
    assert!((seen.spread(parts[1]) - 5.0).abs() < 1e-9, "the second moved 5 too");
    // So pinned settles the second with no search: the tables met are still allowed.
    assert!(!pinned(&counts, &lines_of, &withheld, parts[1], 5.0, 21.0, &mut seen));
}

#[test]
fn screening_on_every_core_withholds_the_same_cells_as_protecting_in_order() {
    let mut rng = ChaCha8Rng::seed_from_u64(28);
    let mut screened_free = 0;
    for case in 0..60 {
        let counts = random_pool(&mut rng);
        let threshold = [3.0, 5.0, 10.0][case % 3];
        let width = protection_width(threshold);
        let withheld = protect_remembering(&counts, threshold, true, true);
        assert_eq!(withheld, protect_remembering(&counts, threshold, true, false), "case {case}");
        // What the screening finds free is free by the bounds over every cell, with only the
        // small published counts withheld; and it is the same on one core as on two.
        let n = counts.values.len();
        let small: Vec<CellId> = (0..n)
            .filter(|&c| {
                let shown = counts.values[c].round();
                shown >= 1.0 && shown < threshold
            })
            .collect();
        let primary: Vec<bool> = (0..n).map(|c| counts.published[c] && small.contains(&c)).collect();
        let lines_of = lines_of(&counts);
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
            pool.install(|| {
                let mut seen = Seen::new(&counts);
                let free = screen::free(&counts, &lines_of, &primary, &small, width, &mut seen);
                (free, seen.low, seen.high)
            })
        };
        let (free, low, high) = on(2);
        assert_eq!((free.clone(), low.clone(), high.clone()), on(1), "case {case}");
        for &c in &free {
            let (lo, hi) = range(&counts, &primary, c);
            assert!(hi - lo >= width - 1e-6, "case {case}: cell {c} screened free but pinned to {lo}..{hi}");
            screened_free += 1;
        }
        // Every table the screening met keeps every line and every count at zero or more, so
        // each cell's least and most met lie within its range.
        for c in 0..n {
            if !counts.published[c] || primary[c] {
                let (lo, hi) = range(&counts, &primary, c);
                assert!(low[c] >= lo - 1e-3 && high[c] <= hi + 1e-3, "case {case}: cell {c} met outside {lo}..{hi}");
            }
        }
    }
    assert!(screened_free > 50, "the screening finds counts free ({screened_free})");
}

#[test]
fn a_fractional_count_moved_down_to_nothing_and_up_by_the_rest_is_not_pinned() {
    let mut rng = ChaCha8Rng::seed_from_u64(29);
    let mut shown = 0;
    for case in 0..200 {
        let counts = random_pool(&mut rng);
        let threshold = [3.0, 5.0, 10.0][case % 3];
        let width = protection_width(threshold);
        let n = counts.values.len();
        // Withheld: the small published counts and a random few more.
        let withheld: Vec<bool> = (0..n)
            .map(|c| {
                let v = counts.values[c].round();
                counts.published[c] && ((v >= 1.0 && v < threshold) || rng.random_range(0..3) == 0)
            })
            .collect();
        let lines_of = lines_of(&counts);
        for c in 0..n {
            let value = counts.values[c];
            if !unknown(&counts, &withheld, c) || value.fract() == 0.0 || value >= width {
                continue;
            }
            let down = Move::find(&counts, &lines_of, &withheld, c, -value);
            let up = Move::find(&counts, &lines_of, &withheld, c, width - value);
            for change in down.iter().chain(&up) {
                // Each move is a table the published figures allow.
                let mut values = counts.values.clone();
                for (&x, &d) in change {
                    assert!(unknown(&counts, &withheld, x), "case {case}: a published cell moved");
                    values[x] += d;
                    assert!(values[x] >= -1e-9, "case {case}: cell {x} below 0");
                }
                for line in &counts.lines {
                    let sum: f64 = line.parts.iter().map(|&p| values[p]).sum();
                    assert!((sum - values[line.total]).abs() < 1e-6, "case {case}: a line broken");
                }
            }
            if down.is_some() && up.is_some() {
                let mut seen = Seen::new(&counts);
                assert!(moved_apart(&counts, &lines_of, &withheld, c, width, &mut seen), "case {case}");
                let (lo, hi) = range(&counts, &withheld, c);
                assert!(hi - lo >= width - 1e-6, "case {case}: cell {c} moved apart but pinned to {lo}..{hi}");
                shown += 1;
            }
        }
    }
    assert!(shown > 20, "fractional counts are shown free by the moves ({shown})");
}

#[test]
fn the_outer_bound_pins_a_small_total_over_withheld_parts_with_no_program() {
    // A row of 2 and 1 with its total 3 published: both withheld (threshold 5), so each is
    // anything from 0 to 3, narrower than 5. The row alone shows it: no program needed.
    let mut counts = Counts::default();
    let parts = [counts.shown("a".into(), 2.0), counts.shown("b".into(), 1.0)];
    let total = counts.sum("total".into(), &parts);
    counts.published[total] = true;
    let withheld = vec![true, true, false];
    let lines_of = lines_of(&counts);
    let (low, high) = outer::range(&counts, &lines_of, &withheld, parts[0], 3.0);
    assert!(low.abs() < 1e-3 && (high - 3.0).abs() < 1e-3, "{low}..{high}");
    assert!(outer::pins(&counts, &lines_of, &withheld, parts[0], 5.0, 3.0));
    // The programs agree: 0 to 3.
    let (lo, hi) = range(&counts, &withheld, parts[0]);
    assert!(lo.abs() < 1e-3 && (hi - 3.0).abs() < 1e-3, "{lo}..{hi}");
    // At a threshold of 3 the range is as wide as the width: nothing proved.
    assert!(!outer::pins(&counts, &lines_of, &withheld, parts[0], 3.0, 3.0));
    // Pinned, so protected: the total is withheld too, and 2 could be 0 to 5 or more.
    let decided = protect(&counts, 5.0);
    assert!(decided[total], "{decided:?}");
    let (lo, hi) = range(&counts, &decided, parts[0]);
    assert!(hi - lo >= 5.0 - 1e-6, "protected: {lo}..{hi}");
}

#[test]
fn the_outer_bound_cannot_pin_a_difference_of_two_lines_and_the_program_does() {
    // A hidden total z = 15 is split two ways: x + y + v and y + w, with y = 10 hidden too.
    // So x = w - v = 5 - 3 = 2 exactly, but only the two lines together show it: line by
    // line, z could be anything from 5 up, and x anything from 0 up.
    let mut counts = Counts::default();
    let x = counts.shown("x".into(), 2.0);
    let v = counts.shown("v".into(), 3.0);
    let w = counts.shown("w".into(), 5.0);
    let y = counts.cell("y".into(), 10.0);
    let z = counts.sum("z".into(), &[x, y, v]);
    counts.tie(&[y, w], z);
    let ceiling = ceiling(&counts);
    assert!((ceiling - 35.0).abs() < 1e-9);
    let threshold = 3.0;
    let width = protection_width(threshold);
    let mut withheld = vec![false; 5];
    withheld[x] = true;
    let lines_of = lines_of(&counts);
    let (low, high) = outer::range(&counts, &lines_of, &withheld, x, ceiling);
    assert!(low.abs() < 1e-3 && high > 30.0, "line by line: {low}..{high}");
    assert!(!outer::pins(&counts, &lines_of, &withheld, x, width, ceiling));
    // The program finds x is exactly 2, so it is pinned: w or v is withheld with it.
    let (lo, hi) = range(&counts, &withheld, x);
    assert!((lo - 2.0).abs() < 1e-3 && (hi - 2.0).abs() < 1e-3, "{lo}..{hi}");
    assert!(pinned(&counts, &lines_of, &withheld, x, width, ceiling, &mut Seen::new(&counts)));
    let decided = protect(&counts, threshold);
    assert!(decided[x] && (decided[v] || decided[w]), "{decided:?}");
    let (lo, hi) = range(&counts, &decided, x);
    assert!(hi - lo >= width - 1e-6, "protected: {lo}..{hi}");
}

#[test]
fn the_outer_bound_always_holds_the_programs_range() {
    // On random pools with random cells withheld, each unknown cell's range by the lines
    // holds its range by the programs (over every cell, as the pools are small), so a count
    // the bound pins is one the programs pin: the same cells are withheld.
    let mut rng = ChaCha8Rng::seed_from_u64(30);
    let (mut pins, mut wider) = (0, 0);
    for case in 0..60 {
        let counts = random_pool(&mut rng);
        let n = counts.values.len();
        let withheld: Vec<bool> = (0..n).map(|c| counts.published[c] && rng.random_range(0..3) == 0).collect();
        let lines_of = lines_of(&counts);
        let ceiling = ceiling(&counts);
        for c in (0..n).filter(|&c| unknown(&counts, &withheld, c)) {
            let (lo, hi) = range(&counts, &withheld, c);
            let (low, high) = outer::range(&counts, &lines_of, &withheld, c, ceiling);
            assert!(low <= lo + 1e-6 && high >= hi - 1e-6, "case {case}: cell {c}: {low}..{high} inside {lo}..{hi}");
            for width in [3.0, 5.0, 10.0] {
                if outer::pins(&counts, &lines_of, &withheld, c, width, ceiling) {
                    assert!(hi - lo < width - 1e-6, "case {case}: cell {c}");
                    pins += 1;
                }
            }
            if high - low > hi - lo + 1e-3 {
                wider += 1;
            }
        }
    }
    assert!(pins > 100, "the bound pins counts ({pins})");
    assert!(wider > 0, "the bound is sometimes wider than the programs' range ({wider})");
}
