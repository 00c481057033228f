use super::*;
use crate::optimise::flow::one_more_place_each;
use crate::optimise::program::Sense;
use crate::optimise::properties::random_model;
use crate::testing::Lcg;
use crate::travel::JourneyTable;

/// A random model with fractional need (so that some arcs have room for less than a child),
/// for every third seed without its market (so that some children go unmet), and random
/// offers: each a few of its demand rows, at a random journey cost and tie-break charge.
fn instance(seed: u64) -> (Model, Vec<Vec<PlaceArc>>) {
    let mut model = random_model(seed);
    if seed.is_multiple_of(3) {
        model.settings.retain(|s| s.market.is_none());
    }
    let mut g = Lcg(seed + 1_000);
    for d in &mut model.demand {
        d.children += [0.0, 0.35, 0.5, 0.8][g.next(4) as usize];
    }
    let rows = model.demand.len() as u64;
    let offers = (0..12)
        .map(|_| {
            (0..1 + g.next(3))
                .map(|_| PlaceArc {
                    demand: g.next(rows) as usize,
                    // Some offers at a journey dearer than any saving: the place stays empty.
                    cost: [500.0, 1_000.0, 2_000.0, 200_000.0][g.next(4) as usize] + g.next(100) as f64,
                    tie: g.next(50) as f64 * 0.001,
                })
                .collect()
        })
        .collect();
    (model, offers)
}

/// The aim's and the tie-break's value of a plan with one more place: its columns' and the
/// offer's arcs'.
fn priced(f: &Formulation, offer: &[PlaceArc], values: &[f64], added: &[f64]) -> (f64, f64) {
    let on = |per_column: &[f64], per_arc: fn(&PlaceArc) -> f64| {
        per_column.iter().zip(values).map(|(c, x)| c * x).sum::<f64>()
            + offer.iter().zip(added).map(|(a, y)| per_arc(a) * y).sum::<f64>()
    };
    (on(&f.program.objective, |a| a.cost), on(f.tie_break(), |a| a.tie))
}

/// Whether a plan with one more place meets the program's rows (each demand row's children
/// counting those in the place) and puts at most one child in it.
fn feasible(f: &Formulation, offer: &[PlaceArc], values: &[f64], added: &[f64]) -> bool {
    let mut extra = vec![0.0; f.program.rows.len()];
    for (a, y) in offer.iter().zip(added) {
        extra[f.demand_row[a.demand].expect("a row").0] += y;
    }
    let rows_met = f.program.rows.iter().zip(&extra).all(|(row, e)| {
        let lhs: f64 = row.terms.iter().map(|&(c, k)| k * values[c]).sum::<f64>() + e;
        match row.sense {
            Sense::AtMost => lhs <= row.rhs + 1e-6,
            Sense::Equal => (lhs - row.rhs).abs() <= 1e-6,
            Sense::AtLeast => lhs >= row.rhs - 1e-6,
        }
    });
    rows_met && added.iter().all(|&y| y >= 0.0) && added.iter().sum::<f64>() <= 1.0 + 1e-9
}

#[test]
fn shortest_paths_find_the_plans_of_solving_again_on_random_networks() {
    // Each offer's plan by shortest paths meets the rows, and is worth under the aim and
    // then the tie-break what solving the year again with the place is worth (both are the
    // lexicographic optimum; the plans themselves may differ only where two cost the same
    // pair). Places filled by one path and by several (arcs with room for less than a
    // child) are both exercised.
    let (mut offered, mut several, mut filled, mut same_plan) = (0, 0, 0, 0);
    for seed in 1..=30u64 {
        let (model, offers) = instance(seed);
        let f = Formulation::build(&model, &JourneyTable::build(&model));
        let (objective, tie) = (&f.program.objective, f.tie_break());
        let keep = |values: Vec<f64>, added: Vec<f64>| (values, added);
        let old = one_more_place_each(&model, &f, None, objective, tie, &offers, 1, keep).expect("a network").unwrap();
        let w = WithPlace::build(&model, &f, None, objective, tie, &offers).unwrap();
        for threads in [1, 3] {
            let ((values, new), paths) = by_paths(&w, threads, keep).unwrap();
            let paths = paths.unwrap_or_else(|| panic!("seed {seed}: the potentials certify the optimum"));
            assert_eq!(values, old.0, "seed {seed}: the year without any offer");
            for (k, ((x, y), (x0, y0))) in new.iter().zip(&old.1).enumerate() {
                let offer = &offers[k];
                assert!(feasible(&f, offer, x, y), "seed {seed} offer {k}: {x:?} {y:?}");
                let (a, t) = priced(&f, offer, x, y);
                let (a0, t0) = priced(&f, offer, x0, y0);
                assert!((a - a0).abs() <= 1e-6 * a0.abs().max(1.0), "seed {seed} offer {k}: aim {a} vs {a0}");
                assert!((t - t0).abs() <= 1e-6 * t0.abs().max(1.0), "seed {seed} offer {k}: tie-break {t} vs {t0}");
                if threads == 1 {
                    filled += usize::from(y.iter().sum::<f64>() > 0.5);
                    same_plan += usize::from(x.iter().zip(x0).all(|(p, q)| (p - q).abs() <= 1e-9) && y == y0);
                }
            }
            if threads == 1 {
                several += paths;
                offered += offers.len();
            }
        }
    }
    assert!(several > 20 && filled > 100, "{offered} offers: {several} by several paths, {filled} filled");
    assert!(same_plan * 10 >= offered * 9, "{same_plan} the same plan of {offered} offers");
}
