//! Tests of the master's branch and bound: by hand, and against every whole-number point
//! of random small masters.

use super::*;
use crate::optimise::program::Row;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn row(terms: &[(usize, f64)], sense: Sense, rhs: f64) -> Row {
    Row { name: String::new(), terms: terms.to_vec(), sense, rhs }
}

fn feasible(p: &LinearProgram, x: &[f64]) -> bool {
    (0..x.len()).all(|c| x[c] >= p.lower[c] - 1e-9 && x[c] <= p.upper[c] + 1e-9)
        && p.rows.iter().all(|r| r.sense.holds(r.terms.iter().map(|&(c, a)| a * x[c]).sum(), r.rhs, 1e-7))
}

/// The least value of `p` over its whole-number columns, each estimate column `theta` at
/// the least its rows allow (every row with it reads `theta + Σ a x ≥ rhs`), by trying
/// every whole-number point.
fn brute_force(p: &LinearProgram, theta: &[usize]) -> Option<f64> {
    let whole: Vec<usize> = (0..p.columns.len()).filter(|&c| p.integer[c]).collect();
    let mut x = p.lower.clone();
    let mut best: Option<f64> = None;
    loop {
        for &t in theta {
            x[t] = p.lower[t];
            for r in p.rows.iter().filter(|r| r.terms.iter().any(|&(c, _)| c == t)) {
                let rest: f64 = r.terms.iter().filter(|&&(c, _)| c != t).map(|&(c, a)| a * x[c]).sum();
                x[t] = x[t].max(r.rhs - rest);
            }
        }
        if feasible(p, &x) {
            let v = p.value_of(&x);
            best = Some(best.map_or(v, |b: f64| b.min(v)));
        }
        // The next point, the first column fastest.
        let mut i = 0;
        loop {
            let Some(&c) = whole.get(i) else { return best };
            if x[c] < p.upper[c] {
                x[c] += 1.0;
                break;
            }
            x[c] = p.lower[c];
            i += 1;
        }
    }
}

/// The rounds of [`super::super::cuts`] on a fixed master: a point below the last one found
/// less `1e-7`, until there is none. The values found, in order.
fn rounds(p: &LinearProgram) -> Vec<f64> {
    let mut found = Vec::new();
    let mut target = f64::INFINITY;
    let mut searched = Searched::default();
    while let Some(x) = below(p, target, &|_| false, &mut searched).expect("solved") {
        assert!(feasible(p, &x), "{x:?}");
        assert!(p.integer.iter().zip(&x).all(|(&i, v)| !i || v.fract() == 0.0), "{x:?}");
        let v = p.value_of(&x);
        assert!(v < target, "{v} not below {target}");
        found.push(v);
        target = v - 1e-7;
    }
    found
}

/// Three schemes of 0 to 3 modules, a budget of 10 (capital 4, 3 and 2 a module), an
/// estimate of the places' cost with two cuts: `θ ≥ 30 − 6a − 4b − 3c` and
/// `θ ≥ 20 − 2a − 2b − 2c`, `θ ≥ 0`, and the capital as cost (0.5 a unit).
fn by_hand() -> LinearProgram {
    let mut p = LinearProgram::default();
    for (name, cost) in [("a", 2.0), ("b", 1.5), ("c", 1.0)] {
        p.add_integer_column(name.into(), cost, 0.0, 3.0);
    }
    let theta = p.add_column("theta".into(), 1.0);
    p.rows.push(row(&[(0, 4.0), (1, 3.0), (2, 2.0)], Sense::AtMost, 10.0));
    p.rows.push(row(&[(theta, 1.0), (0, 6.0), (1, 4.0), (2, 3.0)], Sense::AtLeast, 30.0));
    p.rows.push(row(&[(theta, 1.0), (0, 2.0), (1, 2.0), (2, 2.0)], Sense::AtLeast, 20.0));
    p
}

#[test]
fn the_first_portfolio_below_need_not_be_the_best_and_the_rounds_end_at_the_best() {
    let p = by_hand();
    // By hand: (a, b, c) = (1, 0, 3) costs 2 + 3 = 5 in capital, θ = max(30 − 6 − 9,
    // 20 − 2 − 6) = 15: 20; (2, 0, 1): 4 + 1 = 5, θ = max(15, 14) = 15: 20; (0, 2, 2):
    // 3 + 2 = 5, θ = max(16, 12) = 16: 21; building nothing: 30. The best is 20 (brute force
    // agrees).
    let best = brute_force(&p, &[3]).expect("feasible");
    assert!((best - 20.0).abs() < 1e-9, "{best}");
    let found = rounds(&p);
    assert!((found.last().expect("found") - best).abs() < 1e-6, "{found:?}");
    // Every round found a point below the last; none is below the best.
    assert!(found.windows(2).all(|w| w[1] < w[0]), "{found:?}");
    let mut searched = Searched::default();
    assert_eq!(below(&p, best - 1e-7, &|_| false, &mut searched).expect("solved"), None);
    // A target above the best: the first point found below it, proven below it but not
    // necessarily the least.
    let first = below(&p, 20.5, &|_| false, &mut searched).expect("solved").expect("one below");
    assert!(p.value_of(&first) < 20.5);
}

#[test]
fn a_point_skipped_is_not_returned() {
    let p = by_hand();
    let mut searched = Searched::default();
    let skip = |x: &[f64]| p.value_of(x) < 20.0 + 1e-6;
    let x = below(&p, 21.0, &skip, &mut searched).expect("solved");
    // Every point below 21 is worth 20 (skipped): none left.
    assert_eq!(x, None);
}

#[test]
fn the_rounds_end_at_brute_force_on_random_masters() {
    let mut r = ChaCha8Rng::seed_from_u64(36);
    let mut first_not_best = 0;
    for case in 0..60 {
        let n = r.random_range(2..=5);
        let mut p = LinearProgram::default();
        let mut built = Vec::new();
        for j in 0..n {
            let most = f64::from(r.random_range(1..=3u8));
            let b = p.add_integer_column(format!("b{j}"), r.random_range(0.0..3.0), 0.0, 1.0);
            let m = p.add_integer_column(format!("m{j}"), r.random_range(0.5..4.0), 0.0, most);
            p.rows.push(row(&[(m, 1.0), (b, -most)], Sense::AtMost, 0.0));
            built.push((b, m));
        }
        // The budget over the modules, and one scheme needing another.
        let budget: Vec<(usize, f64)> = built.iter().map(|&(_, m)| (m, r.random_range(1.0..5.0))).collect();
        p.rows.push(row(&budget, Sense::AtMost, r.random_range(3.0..10.0)));
        p.rows.push(row(&[(built[1].0, 1.0), (built[0].0, -1.0)], Sense::AtMost, 0.0));
        let thetas: Vec<usize> = (0..2).map(|t| p.add_column(format!("theta{t}"), 1.0)).collect();
        for &t in &thetas {
            for _ in 0..r.random_range(1..=4) {
                let mut terms = vec![(t, 1.0)];
                terms.extend(built.iter().map(|&(_, m)| (m, r.random_range(0.0..8.0))));
                p.rows.push(row(&terms, Sense::AtLeast, r.random_range(10.0..40.0)));
            }
        }
        let best = brute_force(&p, &thetas).expect("building nothing is feasible");
        let found = rounds(&p);
        let last = *found.last().expect("a point");
        assert!((last - best).abs() < 1e-6, "case {case}: {found:?} against {best}");
        if (found[0] - best).abs() > 1e-6 {
            first_not_best += 1;
        }
    }
    // The search stops at the first point below its target, not at the best.
    assert!(first_not_best > 0);
}

/// What a search that finds nothing proves: the least value of any whole-number point.
#[test]
fn a_search_that_finds_nothing_bounds_the_least_value() {
    let p = by_hand();
    let mut searched = Searched::default();
    // By hand, the relaxation's least: the first cut binding, θ = 30 − 6a − 4b − 3c, the
    // value is 30 − 4a − 2.5b − 2c, and within the budget of 10 a saves 4 ÷ 4 = 1 a unit of
    // budget, b 2.5 ÷ 3, c 2 ÷ 2 = 1: at most 10 saved, value 20 (at a = 1, c = 3; the
    // second cut, 20 − 2 − 6 = 12, is below θ = 15). So a search for a point below 18.9
    // (a best placed of 21 less a 10% gap) leaves out the root at 20: the bound is 20, and
    // the best placed is within 21 − 20 = 1 (4.76%) of the best possible.
    assert_eq!(below(&p, 18.9, &|_| false, &mut searched).expect("solved"), None);
    assert!((searched.least - 20.0).abs() < 1e-9, "{}", searched.least);
    // With a budget of 9 the relaxation is 21 (9 saved) but no whole-number point reaches
    // it: (0, 1, 3) and (1, 1, 1) cost 21.5, the least (brute force). A search below 21.4
    // branches and finds nothing; what it proves lies between its target and 21.5.
    let mut p9 = by_hand();
    p9.rows[0].rhs = 9.0;
    let best = brute_force(&p9, &[3]).expect("feasible");
    assert!((best - 21.5).abs() < 1e-9, "{best}");
    assert_eq!(below(&p9, 21.4, &|_| false, &mut searched).expect("solved"), None);
    assert!(searched.nodes > 1);
    assert!((21.4..=21.5 + 1e-9).contains(&searched.least), "{}", searched.least);
    // Nothing feasible: no bound below infinity.
    let mut none = by_hand();
    none.rows.push(row(&[(0, 1.0)], Sense::AtLeast, 4.0));
    assert_eq!(below(&none, 100.0, &|_| false, &mut searched).expect("solved"), None);
    assert!(searched.least.is_infinite());
}
