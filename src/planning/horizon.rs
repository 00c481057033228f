//! The planning horizon: each year solved in turn, children already placed staying put.
//!
//! Year by year: the children placed last year move up a year group (a share leaving);
//! those entering a new phase are placed afresh; the rest stay at their setting, as fixed
//! placements, unless their setting's places fell below them or the forecast for their
//! locality, need and year group did (then they are reduced in proportion). New plans,
//! children moving phase and children unplaced last year are placed in the places left.
//! Why a sequence and not one program over all years: see models/README.md.

use std::collections::BTreeMap;

use crate::model::{
    Horizon, LocalityIx, Model, Need, Provision, SchoolYear, SettingIx, Staying, YearGroup, YearInstance, YearsAhead,
    in_child_units,
};
use crate::optimise::plan::Plan;
use crate::optimise::run::{Error, Run, run};
use crate::optimise::solve::Solver;
use crate::planning::forecast::{NeedGrid, ceasing_rate, project};

/// Children at a setting, by home locality, need, year group and provision.
type Key = (SettingIx, LocalityIx, Need, YearGroup, Provision);

/// One year of the plan.
#[derive(Debug, Clone)]
pub struct YearRun {
    /// The year.
    pub year: SchoolYear,
    /// Its solved model (demand, children staying and places of that year).
    pub run: Run,
    /// Children who stayed at their setting from the year before (or were placed in the base
    /// year).
    pub staying: f64,
    /// Children who would have stayed but were placed afresh because their setting's places
    /// were cut (or the forecast for them fell below them).
    pub moved_by_cuts: f64,
}

/// Plans every year of the model's horizon.
///
/// # Errors
/// As [`run`], for any year.
pub fn plan_horizon(ahead: YearsAhead<'_>, solver: Solver) -> Result<Vec<YearRun>, Error> {
    plan_horizon_observed(ahead, solver, &mut |_, _| {})
}

/// As [`plan_horizon`], telling `on_year` (years done, years in all) as each year is planned.
///
/// # Errors
/// As [`plan_horizon`].
pub fn plan_horizon_observed(
    ahead: YearsAhead<'_>,
    solver: Solver,
    on_year: &mut dyn FnMut(usize, usize),
) -> Result<Vec<YearRun>, Error> {
    Ok(plan_horizon_from(ahead, solver, None, None, on_year)?.0)
}

/// Where a plan of the horizon stands on entering a year: the year's number (0 the base
/// year) and the children placed the year before, by year group.
#[derive(Debug, Clone, PartialEq)]
pub struct Entering {
    /// The year entered (0 the base year).
    pub year: usize,
    placed: BTreeMap<Key, f64>,
}

/// As [`plan_horizon_observed`], from where `start` stands (the base year if none), and
/// returning with the years planned where the plan stood on entering year `keep` (if it
/// is one of the years planned, or the year after the last). Two models that differ only
/// in settings added after the others, with no places yet, plan the same years until the
/// first opens: one can go on from where the other entered that year.
///
/// # Errors
/// As [`plan_horizon`].
pub fn plan_horizon_from(
    ahead: YearsAhead<'_>,
    solver: Solver,
    start: Option<&Entering>,
    keep: Option<usize>,
    on_year: &mut dyn FnMut(usize, usize),
) -> Result<(Vec<YearRun>, Option<Entering>), Error> {
    let (years, kept) = plan_years_with(ahead, start, keep, on_year, &mut |m| run(m, solver), |r| (&r.model, &r.plan))?;
    let years = years
        .into_iter()
        .map(|y| YearRun { year: y.year, run: y.solved, staying: y.staying, moved_by_cuts: y.moved_by_cuts })
        .collect();
    Ok((years, kept))
}

/// One year of a horizon planned by a caller's own solve ([`plan_years_with`]).
#[derive(Debug, Clone)]
pub struct YearSolved<T> {
    /// The year.
    pub year: SchoolYear,
    /// What the caller's solve returned for the year's model.
    pub solved: T,
    /// As [`YearRun::staying`].
    pub staying: f64,
    /// As [`YearRun::moved_by_cuts`].
    pub moved_by_cuts: f64,
}

/// As [`plan_horizon_from`], each year's model (its need, places and children staying put)
/// solved by `solve`, whose answer `parts` reads as the model solved and its plan (the
/// children placed, those staying among them), from which the next year's stayers follow.
///
/// # Errors
/// As `solve`, for any year.
pub fn plan_years_with<T>(
    ahead: YearsAhead<'_>,
    start: Option<&Entering>,
    keep: Option<usize>,
    on_year: &mut dyn FnMut(usize, usize),
    solve: &mut dyn FnMut(Model) -> Result<T, Error>,
    parts: impl Fn(&T) -> (&Model, &Plan),
) -> Result<(Vec<YearSolved<T>>, Option<Entering>), Error> {
    let (model, horizon) = (ahead.model(), ahead.horizon());
    let grids = project(ahead);
    let from = start.map_or(0, |e| e.year);
    let mut placed: BTreeMap<Key, f64> = start.map(|e| e.placed.clone()).unwrap_or_default();
    let mut kept = None;
    let mut out = Vec::with_capacity(horizon.years.saturating_sub(from));
    for (k, (year, grid)) in horizon.years().zip(&grids).enumerate().skip(from) {
        if keep == Some(k) {
            kept = Some(Entering { year: k, placed: placed.clone() });
        }
        let mut staying = if k == 0 {
            let mut m = BTreeMap::new();
            for c in &horizon.current {
                *m.entry((c.setting, c.locality, c.need, c.year_group, c.provision)).or_insert(0.0) += c.children;
            }
            m
        } else {
            age(horizon, &placed)
        };
        let places: Vec<f64> =
            (0..model.settings.len()).map(|s| horizon.places[k * model.settings.len() + s]).collect();
        let moved_by_cuts = fit_to_demand(&mut staying, grid) + fit_to_places(model, &mut staying, &places);

        let demand = grid.demand_rows(horizon);
        let row_of: BTreeMap<_, usize> =
            demand.iter().enumerate().map(|(i, d)| ((d.locality, d.need, d.phase, d.provision), i)).collect();
        let mut by_arc: BTreeMap<(usize, SettingIx), f64> = BTreeMap::new();
        for (&(s, l, n, yg, p), &v) in &staying {
            let Some(phase) = horizon.phase_of(yg) else {
                continue;
            };
            if let Some(&r) = row_of.get(&(l, n, phase, p)) {
                *by_arc.entry((r, s)).or_insert(0.0) += v;
            }
        }
        let stay: Vec<Staying> = by_arc
            .into_iter()
            .filter(|(_, v)| *v > 1e-9)
            .map(|((demand, setting), children)| Staying { demand, setting, children })
            .collect();
        let year_model = model.for_year(YearInstance { year, demand, places, staying: stay });
        // Counted as the year's model counts them (in whole units of a child).
        let staying_total: f64 = year_model.staying.iter().map(|s| s.children).sum();

        let result = solve(year_model)?;
        let (solved_model, plan) = parts(&result);
        placed = placements_by_year_group(horizon, solved_model, plan, grid, &staying);
        out.push(YearSolved { year, solved: result, staying: staying_total, moved_by_cuts });
        on_year(from + out.len(), horizon.years);
    }
    if keep == Some(horizon.years) {
        kept = Some(Entering { year: horizon.years, placed });
    }
    Ok((out, kept))
}

/// Last year's placements a year on: up a year group, ceasing share gone, children entering
/// a new phase (or leaving after the model's last year group) taken out to be placed afresh.
fn age(horizon: &Horizon, placed: &BTreeMap<Key, f64>) -> BTreeMap<Key, f64> {
    let mut next = BTreeMap::new();
    for (&(s, l, n, yg, p), &v) in placed {
        if yg >= horizon.last_year_group() {
            continue;
        }
        let older = YearGroup(yg.0 + 1);
        if horizon.phase_of(older) != horizon.phase_of(yg) {
            continue;
        }
        let kept = v * (1.0 - ceasing_rate(horizon, n, yg, p));
        if kept > 0.0 {
            *next.entry((s, l, n, older, p)).or_insert(0.0) += kept;
        }
    }
    next
}

/// No more children stay in a locality, need, year group and provision than the forecast has.
/// Returns the children cut, in whole units of a child: a cell over its forecast by less than
/// half a unit (round-off between the forecast and placements read in units) is fitted but
/// not reported as children placed afresh.
fn fit_to_demand(staying: &mut BTreeMap<Key, f64>, grid: &NeedGrid) -> f64 {
    let mut totals: BTreeMap<(LocalityIx, Need, YearGroup, Provision), f64> = BTreeMap::new();
    for (&(_, l, n, yg, p), &v) in staying.iter() {
        *totals.entry((l, n, yg, p)).or_insert(0.0) += v;
    }
    for ((_, l, n, yg, p), v) in staying.iter_mut() {
        let total = totals[&(*l, *n, *yg, *p)];
        let forecast = grid.get(*l, *n, *yg, *p);
        if total > forecast {
            *v *= forecast / total;
        }
    }
    totals.iter().map(|(&(l, n, yg, p), &total)| in_child_units((total - grid.get(l, n, yg, p)).max(0.0))).sum()
}

/// No more children stay at a setting than its places this year, in total and per need.
/// Returns the children cut, in whole units of a child (as [`fit_to_demand`]).
fn fit_to_places(model: &Model, staying: &mut BTreeMap<Key, f64>, places: &[f64]) -> f64 {
    let mut cut = 0.0;
    let mut at = vec![0.0; model.settings.len()];
    for (&(s, ..), &v) in staying.iter() {
        at[s.0] += v;
    }
    for ((s, ..), v) in staying.iter_mut() {
        if at[s.0] > places[s.0] {
            *v *= places[s.0] / at[s.0];
        }
    }
    for (s, &at) in at.iter().enumerate() {
        cut += in_child_units((at - places[s]).max(0.0));
    }
    // Each setting's children of each need, added in the map's order (one pass, not one per
    // need a setting caps), then each capped need over its places cut to them.
    let needs = model.needs.len();
    let mut of_need = vec![0.0; model.settings.len() * needs];
    for (&(s, _, n, ..), &v) in staying.iter() {
        of_need[s.0 * needs + n.0] += v;
    }
    let mut factor = vec![1.0; model.settings.len() * needs];
    for (si, setting) in model.settings.iter().enumerate() {
        for terms in &setting.need_terms {
            let Some(cap) = terms.places else { continue };
            let i = si * needs + terms.need.0;
            if of_need[i] > cap {
                cut += in_child_units(of_need[i] - cap);
                factor[i] = cap / of_need[i];
            }
        }
    }
    for ((s, _, n, ..), v) in staying.iter_mut() {
        let f = factor[s.0 * needs + n.0];
        if f != 1.0 {
            *v *= f;
        }
    }
    cut
}

/// This year's placements by year group: those who stayed keep theirs; new placements are
/// shared among the year groups of their row in proportion to the children newly needing a
/// place there.
fn placements_by_year_group(
    horizon: &Horizon,
    model: &Model,
    plan: &Plan,
    grid: &NeedGrid,
    staying: &BTreeMap<Key, f64>,
) -> BTreeMap<Key, f64> {
    let mut placed = staying.clone();
    placed.retain(|_, v| *v > 1e-9);
    let mut staying_by_cell: BTreeMap<(LocalityIx, Need, YearGroup, Provision), f64> = BTreeMap::new();
    for (&(_, l, n, yg, p), &v) in staying {
        *staying_by_cell.entry((l, n, yg, p)).or_insert(0.0) += v;
    }
    for pl in &plan.placements {
        let new = pl.children - pl.staying;
        if new <= 1e-9 {
            continue;
        }
        let d = &model.demand[pl.demand];
        let (a, b) = horizon.phase_year_groups[d.phase.0];
        let groups: Vec<YearGroup> = (a.0..=b.0).map(YearGroup).collect();
        let newcomers: Vec<f64> = groups
            .iter()
            .map(|&yg| {
                let stay = staying_by_cell.get(&(d.locality, d.need, yg, d.provision)).copied().unwrap_or(0.0);
                (grid.get(d.locality, d.need, yg, d.provision) - stay).max(0.0)
            })
            .collect();
        let mut newcomers = newcomers;
        if newcomers.iter().sum::<f64>() <= 0.0 {
            // Round-off left no newcomers: share as the forecast is, or evenly.
            newcomers = groups.iter().map(|&yg| grid.get(d.locality, d.need, yg, d.provision)).collect();
            if newcomers.iter().sum::<f64>() <= 0.0 {
                newcomers = vec![1.0; groups.len()];
            }
        }
        let total: f64 = newcomers.iter().sum();
        for (yg, share) in groups.iter().zip(&newcomers) {
            if total > 0.0 && *share > 0.0 {
                *placed.entry((pl.setting, d.locality, d.need, *yg, d.provision)).or_insert(0.0) += new * share / total;
            }
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ModelBuilder;

    fn at(y: &YearRun, id: &str) -> f64 {
        y.run.plan.placements.iter().filter(|p| y.run.model.setting(p.setting).id == id).map(|p| p.children).sum()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6 * b.abs().max(1.0)
    }

    fn every_solver(model: &Model) -> Vec<Vec<YearRun>> {
        Solver::available()
            .into_iter()
            .map(|s| plan_horizon(model.years_ahead().unwrap(), s).unwrap_or_else(|e| panic!("{s}: {e}")))
            .collect()
    }

    #[test]
    fn capacity_opening_in_year_3_takes_newcomers_while_others_stay_put() {
        // 6 SEMH children in year 8; 2 new plans a year at year 7; no one leaves. "indep"
        // (£60k) is open throughout; "new" (£25k, 10 places) opens in the third year.
        //   2025/26: all 6 new to placing → indep 6
        //   2026/27: 6 stay; 2 new → indep 8
        //   2027/28: 8 stay at indep; 2 new → new 2. Spend 8×60,000 + 2×25,000 = £530,000.
        let model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("indep", "independent-special", 53.02, -2.0, false, 10.0, "secondary", "SEMH", 60_000.0)
            .setting("new", "maintained-special", 53.01, -2.0, true, 0.0, "secondary", "SEMH", 25_000.0)
            .horizon(3, &[("home", "SEMH", 8, 6.0)], &[("SEMH", 7, 2.0, 0.0, 0.0)])
            .places_from("new", 2, 10.0)
            .build();
        for years in every_solver(&model) {
            let [y1, y2, y3] = &years[..] else { panic!("three years") };
            assert!(close(at(y1, "indep"), 6.0) && close(at(y1, "new"), 0.0));
            assert!(close(y2.staying, 6.0) && close(at(y2, "indep"), 8.0));
            assert!(close(y3.staying, 8.0) && close(at(y3, "indep"), 8.0) && close(at(y3, "new"), 2.0));
            assert!(close(y3.run.plan.summary(&y3.run.model).placement_cost.pounds(), 530_000.0));
            assert_eq!(y3.year.to_string(), "2027/28");
        }
    }

    #[test]
    fn costs_rise_each_year_by_their_uplift() {
        // 6 SEMH children in year 8 stay at "indep" (£60,000) for two years; transport £1,000
        // a child. Independent fees rise 10% a year and transport 5%, state places not at all:
        // 2025/26: 6 × (60,000 + 1,000) = £366,000; 2026/27: 6 × (66,000 + 1,050) = £402,300.
        let mut model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("indep", "independent-special", 53.0, -2.0, false, 10.0, "secondary", "SEMH", 60_000.0)
            .setting("state", "maintained-special", 53.0, -2.0, true, 0.0, "secondary", "SEMH", 20_000.0)
            .horizon(2, &[("home", "SEMH", 8, 6.0)], &[])
            .transport(1_000.0, 0.0)
            .build();
        model.uplift = crate::model::Uplift { default: 0.0, independent: 0.1, transport: 0.05 };
        for years in every_solver(&model) {
            let spend = |y: &YearRun| y.run.plan.summary(&y.run.model).annual_cost().pounds();
            assert!(close(spend(&years[0]), 366_000.0) && close(spend(&years[1]), 402_300.0), "{}", spend(&years[1]));
            assert!(close(years[1].run.model.settings[0].cost_per_place.pounds(), 66_000.0));
            assert!(close(years[1].run.model.settings[1].cost_per_place.pounds(), 20_000.0));
        }
    }

    #[test]
    fn children_moving_phase_are_placed_afresh() {
        // 3 ASD children in year 6 at a primary-only school; next year they are in year 7
        // and go to the secondary school. Nobody stays.
        let model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("primary", "maintained-special", 53.01, -2.0, true, 5.0, "primary", "ASD", 20_000.0)
            .setting("secondary", "maintained-special", 53.02, -2.0, true, 5.0, "secondary", "ASD", 22_000.0)
            .horizon(2, &[("home", "ASD", 6, 3.0)], &[])
            .build();
        for years in every_solver(&model) {
            assert!(close(at(&years[0], "primary"), 3.0));
            assert!(close(years[1].staying, 0.0) && close(at(&years[1], "secondary"), 3.0));
        }
    }

    #[test]
    fn a_cut_in_places_moves_the_children_it_no_longer_has_room_for() {
        // 6 children placed at "a" (10 places, £20k) in the first year; from the second
        // year "a" has 4 places, so 4 stay and 2 go to "b" (£30k).
        let model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("a", "maintained-special", 53.01, -2.0, true, 10.0, "secondary", "MLD", 20_000.0)
            .setting("b", "maintained-special", 53.02, -2.0, true, 10.0, "secondary", "MLD", 30_000.0)
            .horizon(2, &[("home", "MLD", 8, 6.0)], &[])
            .places_from("a", 1, 4.0)
            .build();
        for years in every_solver(&model) {
            assert!(close(at(&years[0], "a"), 6.0));
            assert!(close(years[1].staying, 4.0) && close(at(&years[1], "a"), 4.0) && close(at(&years[1], "b"), 2.0));
            assert!(close(years[1].moved_by_cuts, 2.0) && close(years[0].moved_by_cuts, 0.0));
        }
    }

    #[test]
    fn a_need_over_its_own_places_is_cut_to_them_and_the_other_needs_stay() {
        // 6 MLD and 2 ASD children already at "a" (20 places, only 4 of them for MLD): 4 MLD
        // and both ASD children stay; 2 MLD children are placed afresh, at "b".
        let mut model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("a", "maintained-special", 53.01, -2.0, true, 20.0, "secondary", "MLD;ASD", 20_000.0)
            .setting("b", "maintained-special", 53.02, -2.0, true, 10.0, "secondary", "MLD;ASD", 30_000.0)
            .need_terms("a", "MLD", Some(4.0), None)
            .horizon(1, &[("home", "MLD", 8, 6.0), ("home", "ASD", 8, 2.0)], &[])
            .build();
        let h = model.horizon.as_mut().unwrap();
        let need = |code: &str| Need(model.needs.iter().position(|n| n == code).unwrap());
        for (need, children) in [(need("MLD"), 6.0), (need("ASD"), 2.0)] {
            h.current.push(crate::model::CurrentPlacement {
                setting: SettingIx(0),
                locality: LocalityIx(0),
                need,
                year_group: YearGroup(8),
                provision: Provision::ResourcedProvision,
                residence: crate::model::Residence::Day,
                children,
            });
        }
        for years in every_solver(&model) {
            assert!(close(years[0].staying, 6.0) && close(years[0].moved_by_cuts, 2.0), "{}", years[0].staying);
            assert!(close(at(&years[0], "a"), 6.0) && close(at(&years[0], "b"), 2.0));
        }
    }

    #[test]
    fn current_placements_are_kept_in_the_base_year() {
        // 2 children already at the dearer school stay there in the base year.
        let mut model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .setting("cheap", "maintained-special", 53.01, -2.0, true, 10.0, "primary", "ASD", 20_000.0)
            .setting("dear", "independent-special", 53.02, -2.0, true, 10.0, "primary", "ASD", 50_000.0)
            .horizon(1, &[("home", "ASD", 3, 5.0)], &[])
            .build();
        let h = model.horizon.as_mut().unwrap();
        h.current.push(crate::model::CurrentPlacement {
            setting: SettingIx(1),
            locality: LocalityIx(0),
            need: Need(0),
            year_group: YearGroup(3),
            provision: Provision::ResourcedProvision,
            residence: crate::model::Residence::Day,
            children: 2.0,
        });
        for years in every_solver(&model) {
            assert!(
                close(years[0].staying, 2.0) && close(at(&years[0], "dear"), 2.0) && close(at(&years[0], "cheap"), 3.0)
            );
        }
    }
}
