//! An inclusion programme's share of new plans: the most children its places may hold in
//! each year planned.
//!
//! A programme moves a share of new specialist need to an inclusion base or mainstream school
//! with support: in each year, its places hold at most `share` × the new plans, of the needs
//! and phases of its places and in the tiers it takes, forecast from the year it opens to that
//! year. New plans are the forecast's arrivals: each year's children less those of the year
//! before who are still there a year older (after the need's ceasing rate). The count is
//! cumulative and takes none of the programme's children to leave (a simplification: some
//! leave or change phase, so the cap is a little generous in later years). New plans are
//! forecast for the years after the first planned, so a programme opening in the first year
//! takes no one until the second.

use crate::model::{Covers, Model, Scheme, YearGroup};
use crate::planning::forecast;

/// For each scheme, for each year planned (as [`forecast::years`] gives them), the most
/// children its places may hold: for an inclusion programme with a share, the share of the
/// new plans of its needs and phases in the tiers it takes since it opened; for any other
/// scheme (or a model of one year), no limit (infinity).
#[must_use]
pub fn programme_caps(model: &Model) -> Vec<Vec<f64>> {
    let years = forecast::years(model).len();
    let Some(ahead) = model.years_ahead() else {
        return vec![vec![f64::INFINITY; years]; model.schemes.len()];
    };
    let h = ahead.horizon();
    let school_years: Vec<_> = h.years().collect();
    let mut grids: Option<Vec<forecast::NeedGrid>> = None;
    model
        .schemes
        .iter()
        .map(|scheme| {
            let Some(share) = scheme.share.filter(|_| scheme.is_programme()) else {
                return vec![f64::INFINITY; years];
            };
            let grids = grids.get_or_insert_with(|| forecast::project(ahead));
            let mut so_far = 0.0;
            (0..years)
                .map(|k| {
                    if k > 0 && school_years.get(k).is_some_and(|&y| y >= scheme.opens) {
                        so_far += new_plans(model, scheme, &grids[k - 1], &grids[k]);
                    }
                    share * so_far
                })
                .collect()
        })
        .collect()
}

/// New plans between two years' grids of the needs and phases of `scheme`'s places in the
/// tiers it takes: the later year's children there less the earlier year's who age into
/// them and stay (none below 0).
fn new_plans(model: &Model, scheme: &Scheme, before: &forecast::NeedGrid, after: &forecast::NeedGrid) -> f64 {
    let Some(h) = model.horizon.as_ref() else { return 0.0 };
    let counted = |n, yg, p| {
        scheme.setting.programme_tiers.contains(&p)
            && h.phase_of(yg).is_some_and(|phase| scheme.places.iter().any(|pool| pool.covers(n, phase)))
    };
    let now: f64 = after.cells().filter(|&(_, n, yg, p, _)| counted(n, yg, p)).map(|c| c.4).sum();
    let stayed: f64 = before
        .cells()
        .filter(|&(_, n, yg, p, _)| yg < h.last_year_group() && counted(n, YearGroup(yg.0 + 1), p))
        .map(|(_, n, yg, p, v)| v * (1.0 - forecast::ceasing_rate(h, n, yg, p)))
        .sum();
    (now - stayed).max(0.0)
}

#[cfg(test)]
mod tests;
