use super::*;
use crate::model::Model;
use crate::planning::schemes::Choice;
use crate::planning::schemes::tests::random_instance;

/// Place values by shortest paths and by solving each offer again, keyed by where, need
/// and phase, for `model` with the portfolio `choice` picks.
#[allow(clippy::type_complexity)]
fn both_ways(model: &Model, choice: &Choice) -> (BTreeMap<(LocalityIx, Need, Phase), PlaceValue>, Vec<PlaceValue>) {
    let appraiser = Appraiser::build(std::slice::from_ref(model));
    let o = appraiser.choose(choice, Solver::Network).unwrap();
    let by_paths = appraiser.place_values_how(&o, Solver::Network, How::Paths).unwrap();
    let again = appraiser.place_values_how(&o, Solver::Network, How::SolveAgain).unwrap();
    (by_paths.into_iter().map(|v| ((v.locality, v.need, v.phase), v)).collect(), again)
}

/// Asserts each place value by paths is the one found by solving again, to the penny in
/// money and each policy weight, for the same child: the places compared.
fn assert_same(model: &Model, choice: &Choice, label: &str) -> usize {
    let (by_paths, again) = both_ways(model, choice);
    assert_eq!(
        by_paths.len(),
        again.len(),
        "{label}: {} places valued by paths, {} again",
        by_paths.len(),
        again.len()
    );
    for v in &again {
        let p = by_paths.get(&(v.locality, v.need, v.phase)).unwrap_or_else(|| panic!("{label}: {v:?} not by paths"));
        let penny = |a: Money, b: Money| (a.0 - b.0).abs() <= 0.01;
        assert!(
            penny(p.weighted, v.weighted)
                && penny(p.money, v.money)
                && penny(p.out_of_borough_weight, v.out_of_borough_weight)
                && penny(p.unmet_penalty, v.unmet_penalty),
            "{label}: by paths {p:?}, solved again {v:?}"
        );
        assert_eq!((p.from, p.meets_unmet, p.unmet_in_reach), (v.from, v.meets_unmet, v.unmet_in_reach), "{label}");
    }
    again.len()
}

#[test]
fn place_values_by_shortest_paths_are_those_of_solving_again_on_random_authorities() {
    // Random authorities with candidate schemes (the best built), fractional need, and for
    // every third seed no market (children unmet).
    let mut compared = 0;
    for seed in 1..=12u64 {
        let mut model = random_instance(seed, 3, true);
        if seed.is_multiple_of(3) {
            model.settings.retain(|s| s.market.is_none());
        }
        for (r, d) in model.demand.iter_mut().enumerate() {
            d.children += [0.0, 0.35, 0.5, 0.8][(seed as usize + r) % 4];
        }
        compared += assert_same(&model, &Choice::default(), &format!("seed {seed}"));
    }
    assert!(compared > 20, "{compared} places compared");
}

#[test]
fn place_values_by_shortest_paths_are_those_of_solving_again_on_the_sample() {
    // The five-year sample's last year with the schemes chosen for £12m, every place
    // offered (each home locality in the borough, need and phase).
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/cheshire-east-horizon.toml");
    let model = crate::planning::ready::load(&path).unwrap();
    let choice = Choice { budget: Some(Money(12_000_000.0)), ..Choice::default() };
    let compared = assert_same(&model, &choice, "sample");
    assert!(compared > 100, "{compared} places compared");
}
