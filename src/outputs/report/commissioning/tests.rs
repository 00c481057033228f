//! Tests of the commissioning report's words.

use super::how_close;
use crate::model::Money;
use crate::optimise::solve::Solver;
use crate::planning::commissioning::compare;
use crate::planning::commissioning::tests::block_case;

#[test]
fn how_close_says_proven_best_or_the_gap_in_schemes_words() {
    // Seven children, blocks of 5 at £250,000: the best combination is proven best. Given a
    // bound £400 below its spend and weights, it reads as a portfolio would: the gap in whole
    // pounds and as a share of the total to 4 decimals.
    let c = compare(&block_case(7.0, 250_000.0, 2), Solver::Network).unwrap();
    let mut best = c.evaluations.last().unwrap().clone();
    assert_eq!(how_close(&best), "proven best");
    let total = best.total();
    best.best_possible = Some(Money(total.0 - 400.0));
    let share = 100.0 * 400.0 / total.0;
    assert_eq!(how_close(&best), format!("within £400 ({share:.4}%) of the best possible"));
}
