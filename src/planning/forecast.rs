//! Need by year: the base-year cohort aged forward with the model's rates (or the council's
//! own forecast, spread over year groups), as children by locality × need × year group ×
//! provision for each year of the horizon.
//!
//! Each year: every child moves up a year group and a share leaves (the ceasing rate of
//! their need, old year group and tier; past the model's last year group, 14 or the last of a
//! post-19 phase, all leave); new plans arrive, shared among
//! localities in proportion to the base cohort (or per 1,000 population) and among tiers as
//! the base cohort is or as the council's tier policy says; new plans grow by the growth rate
//! each year after the base year.

use crate::model::{
    DemandRow, Horizon, LocalityIx, Model, Need, NeedByYear, Phase, Provision, TierSplit, YearGroup, YearInstance,
    YearsAhead,
};

/// Number of year groups, N1 to 20.
pub use crate::model::input::YEAR_GROUPS;

/// Number of tiers of provision a grid cell is split by.
const TIERS: usize = Provision::ALL.len();

/// Provisions, in index order.
pub const PROVISIONS: [Provision; TIERS] = Provision::ALL;

fn provision_index(p: Provision) -> usize {
    // `Provision::ALL` is in declaration order (checked by a test).
    p as usize
}

/// Children by locality × need × year group × provision, for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedGrid {
    needs: usize,
    data: Vec<f64>,
}

impl NeedGrid {
    /// An empty grid for the model.
    #[must_use]
    pub fn new(model: &Model) -> NeedGrid {
        NeedGrid {
            needs: model.needs.len(),
            data: vec![0.0; model.localities.len() * model.needs.len() * YEAR_GROUPS * TIERS],
        }
    }

    fn at(&self, l: LocalityIx, n: Need, yg: YearGroup, p: Provision) -> usize {
        ((l.0 * self.needs + n.0) * YEAR_GROUPS + yg.index()) * TIERS + provision_index(p)
    }

    /// Children of a locality, need, year group and provision.
    #[must_use]
    pub fn get(&self, l: LocalityIx, n: Need, yg: YearGroup, p: Provision) -> f64 {
        self.data[self.at(l, n, yg, p)]
    }

    /// Adds children.
    pub fn add(&mut self, l: LocalityIx, n: Need, yg: YearGroup, p: Provision, children: f64) {
        let i = self.at(l, n, yg, p);
        self.data[i] += children;
    }

    /// Each cell to the nearest [`crate::model::CHILD_UNIT`], so the year's demand rows are
    /// sums of whole units (and children placed from them fit the cells they age into).
    fn count_in_child_units(&mut self) {
        for v in &mut self.data {
            *v = crate::model::in_child_units(*v);
        }
    }

    /// Every non-zero cell: (locality, need, year group, provision, children).
    pub fn cells(&self) -> impl Iterator<Item = (LocalityIx, Need, YearGroup, Provision, f64)> + '_ {
        self.data.iter().enumerate().filter(|(_, v)| **v != 0.0).map(move |(i, &v)| {
            let p = PROVISIONS[i % TIERS];
            let yg = YearGroup(i8::try_from((i / TIERS) % YEAR_GROUPS).unwrap_or(0) - 2);
            let n = Need((i / TIERS / YEAR_GROUPS) % self.needs);
            let l = LocalityIx(i / TIERS / YEAR_GROUPS / self.needs);
            (l, n, yg, p, v)
        })
    }

    /// Total children.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.data.iter().sum()
    }

    /// Demand rows by phase: one per locality, need, phase and provision with children.
    #[must_use]
    pub fn demand_rows(&self, horizon: &Horizon) -> Vec<DemandRow> {
        let mut rows: Vec<DemandRow> = Vec::new();
        let mut index = std::collections::BTreeMap::new();
        for (l, n, yg, p, v) in self.cells() {
            let Some(phase) = horizon.phase_of(yg) else {
                continue;
            };
            let key = (l, n, phase, p);
            let i = *index.entry(key).or_insert_with(|| {
                rows.push(DemandRow { locality: l, need: n, phase, provision: p, children: 0.0 });
                rows.len() - 1
            });
            rows[i].children += v;
        }
        rows.sort_by_key(|r| (r.locality, r.need, r.phase, r.provision));
        rows
    }
}

/// Rates of a need and year group in the chosen variant.
#[must_use]
pub fn rates(rates: &[crate::model::Rates], n: Need, yg: YearGroup) -> crate::model::Rates {
    rates.get(n.0 * YEAR_GROUPS + yg.index()).copied().unwrap_or_default()
}

/// Share of children of a need, year group and tier who leave each year (0 for the direct
/// route).
#[must_use]
pub fn ceasing_rate(horizon: &Horizon, n: Need, yg: YearGroup, p: Provision) -> f64 {
    match &horizon.need {
        NeedByYear::Cohort { rates: r, .. } => rates(r, n, yg).ceasing(p),
        NeedByYear::Direct(_) => 0.0,
    }
}

/// Children by year group for each year of the horizon.
#[must_use]
pub fn project(ahead: YearsAhead<'_>) -> Vec<NeedGrid> {
    let (model, horizon) = (ahead.model(), ahead.horizon());
    match &horizon.need {
        NeedByYear::Direct(years) => years.iter().map(|rows| spread(model, horizon, rows)).collect(),
        NeedByYear::Cohort { cohort, rates: r, population, tiers } => {
            let mut base = NeedGrid::new(model);
            for c in cohort {
                base.add(c.locality, c.need, c.year_group, c.provision, c.children);
            }
            let shares = Shares::of(model, horizon, &base, tiers);
            let mut grids = vec![base];
            let last = horizon.last_year_group();
            for k in 1..horizon.years {
                let previous = &grids[k - 1];
                let mut next = NeedGrid::new(model);
                for (l, n, yg, p, v) in previous.cells() {
                    if yg < last {
                        next.add(l, n, YearGroup(yg.0 + 1), p, v * (1.0 - rates(r, n, yg).ceasing(p)));
                    }
                }
                for n in (0..model.needs.len()).map(Need) {
                    for yg in YearGroup::all() {
                        let rate = rates(r, n, yg);
                        let growth = (1.0 + rate.growth).powi(i32::try_from(k).unwrap_or(i32::MAX));
                        let Some(phase) = horizon.phase_of(yg) else {
                            continue;
                        };
                        for l in (0..model.localities.len()).map(LocalityIx) {
                            let mut arrivals = rate.new_plans * shares.locality(n, l);
                            if let Some(pop) = population {
                                let i = (k * model.localities.len() + l.0) * YEAR_GROUPS + yg.index();
                                arrivals += rate.new_per_1000 * pop.get(i).copied().unwrap_or(0.0) / 1000.0;
                            }
                            let arrivals = arrivals * growth;
                            if arrivals <= 0.0 {
                                continue;
                            }
                            for p in PROVISIONS {
                                next.add(l, n, yg, p, arrivals * shares.provision(n, phase, p));
                            }
                        }
                    }
                }
                grids.push(next);
            }
            // Aged exactly, then each year's cells counted in units (rounding as it ages would
            // drift).
            for g in &mut grids {
                g.count_in_child_units();
            }
            grids
        }
    }
}

/// Demand given by phase, spread evenly over the phase's year groups.
fn spread(model: &Model, horizon: &Horizon, rows: &[DemandRow]) -> NeedGrid {
    let mut g = NeedGrid::new(model);
    for d in rows {
        let (a, b) = horizon.phase_year_groups[d.phase.0];
        let groups = f64::from(b.0 - a.0 + 1);
        for yg in (a.0..=b.0).map(YearGroup) {
            g.add(d.locality, d.need, yg, d.provision, d.children / groups);
        }
    }
    g
}

/// How new plans are shared among localities and provisions: as the base cohort is.
struct Shares {
    localities: usize,
    phases: usize,
    by_locality: Vec<f64>,
    by_provision: Vec<[f64; TIERS]>,
}

impl Shares {
    fn of(model: &Model, horizon: &Horizon, base: &NeedGrid, tiers: &[TierSplit]) -> Shares {
        let (nl, nn, np) = (model.localities.len(), model.needs.len(), model.phases.len());
        let mut need_locality = vec![0.0; nn * nl];
        let mut locality = vec![0.0; nl];
        let mut need_phase_provision = vec![[0.0; TIERS]; nn * np];
        for (l, n, yg, p, v) in base.cells() {
            need_locality[n.0 * nl + l.0] += v;
            locality[l.0] += v;
            if let Some(phase) = horizon.phase_of(yg) {
                need_phase_provision[n.0 * np + phase.0][provision_index(p)] += v;
            }
        }
        let all: f64 = locality.iter().sum();
        let mut by_locality = vec![0.0; nn * nl];
        for n in 0..nn {
            let need_total: f64 = need_locality[n * nl..(n + 1) * nl].iter().sum();
            for l in 0..nl {
                by_locality[n * nl + l] = if need_total > 0.0 {
                    need_locality[n * nl + l] / need_total
                } else if all > 0.0 {
                    locality[l] / all
                } else {
                    1.0 / nl as f64
                };
            }
        }
        let mut by_provision: Vec<[f64; TIERS]> = need_phase_provision
            .iter()
            .map(|cell| {
                // New plans take the base year's split of tiers for their need and phase
                // (the tier policy's default); with none, any specialist place.
                let all: f64 = cell.iter().sum();
                if all > 0.0 {
                    cell.map(|v| v / all)
                } else {
                    let mut any = [0.0; TIERS];
                    any[provision_index(Provision::ResourcedProvision)] = 1.0;
                    any
                }
            })
            .collect();
        // The council's tier policy, where it has a row, in place of the base year's split.
        for t in tiers {
            by_provision[t.need.0 * np + t.phase.0] = t.shares;
        }
        Shares { localities: nl, phases: np, by_locality, by_provision }
    }

    fn locality(&self, n: Need, l: LocalityIx) -> f64 {
        self.by_locality[n.0 * self.localities + l.0]
    }

    fn provision(&self, n: Need, phase: Phase, p: Provision) -> f64 {
        self.by_provision[n.0 * self.phases + phase.0][provision_index(p)]
    }
}

/// The base year's demand rows of a horizon model (for summaries of the inputs).
#[must_use]
pub fn project_first(ahead: YearsAhead<'_>) -> Vec<DemandRow> {
    project(ahead).first().map(|g| g.demand_rows(ahead.horizon())).unwrap_or_default()
}

/// Each year planned, with its need and places and no one yet staying: the horizon's years
/// from the forecast, or a single-year model's one year.
#[must_use]
pub fn years(model: &Model) -> Vec<YearInstance> {
    match model.years_ahead() {
        Some(ahead) => {
            let h = ahead.horizon();
            let grids = project(ahead);
            let n = model.settings.len();
            h.years()
                .zip(&grids)
                .enumerate()
                .map(|(k, (year, grid))| YearInstance {
                    year,
                    demand: grid.demand_rows(h),
                    places: h.places[k * n..(k + 1) * n].to_vec(),
                    staying: Vec::new(),
                })
                .collect()
        }
        None => vec![YearInstance {
            year: model.planning_year,
            demand: model.demand.clone(),
            places: model.settings.iter().map(|s| s.places).collect(),
            staying: model.staying.clone(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ModelBuilder;

    #[test]
    fn a_cohort_ages_by_hand_over_three_years() {
        // Base year: 10 ASD children in year 6, 4 in year 11. Rates: 10% leave after year 6,
        // 20% after year 7, half after year 11; 5 new plans a year at reception, growing 10%.
        //   2025/26: Y6 10, Y11 4                                   = 14
        //   2026/27: Y7 10×0.9 = 9; Y12 4×0.5 = 2; R 5×1.1 = 5.5     = 16.5
        //   2027/28: Y8 9×0.8 = 7.2; Y13 2; Y1 5.5; R 5×1.1² = 6.05  = 20.75
        let model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .horizon(
                3,
                &[("home", "ASD", 6, 10.0), ("home", "ASD", 11, 4.0)],
                &[
                    ("ASD", 0, 5.0, 0.0, 0.1),
                    ("ASD", 6, 0.0, 0.1, 0.0),
                    ("ASD", 7, 0.0, 0.2, 0.0),
                    ("ASD", 11, 0.0, 0.5, 0.0),
                ],
            )
            .build();
        let grids = project(model.years_ahead().unwrap());
        let asd = Need(0);
        let home = LocalityIx(0);
        let at = |k: usize, yg: i8| grids[k].get(home, asd, YearGroup(yg), Provision::ResourcedProvision);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(grids[0].total(), 14.0));
        assert!(close(at(1, 7), 9.0) && close(at(1, 12), 2.0) && close(at(1, 0), 5.5));
        assert!(close(grids[1].total(), 16.5));
        assert!(close(at(2, 8), 7.2) && close(at(2, 13), 2.0) && close(at(2, 1), 5.5) && close(at(2, 0), 6.05));
        assert!(close(grids[2].total(), 20.75));
        // By phase in 2027/28: primary 5.5 + 6.05, secondary 7.2, post-16 2.
        let h = model.horizon.as_ref().unwrap();
        let rows = grids[2].demand_rows(h);
        let by_phase = |p: usize| rows.iter().filter(|r| r.phase.0 == p).map(|r| r.children).sum::<f64>();
        assert!(close(by_phase(1), 11.55) && close(by_phase(2), 7.2) && close(by_phase(3), 2.0));
    }

    #[test]
    fn children_past_year_14_leave() {
        let model =
            ModelBuilder::new().locality("home", 53.0, -2.0, true).horizon(2, &[("home", "SLD", 14, 3.0)], &[]).build();
        let grids = project(model.years_ahead().unwrap());
        assert!((grids[0].total() - 3.0).abs() < 1e-12);
        assert_eq!(grids[1].total(), 0.0);
    }

    /// A one-locality model of `cohort` (locality "home") with a `post-19` phase of year
    /// groups 15 to 20 beside the four defaults.
    fn with_post_19(years: usize, cohort: &[(&str, &str, i8, f64)], rates: &[(&str, i8, f64, f64, f64)]) -> Model {
        let mut model = ModelBuilder::new().locality("home", 53.0, -2.0, true).horizon(years, cohort, rates).build();
        model.phases.push(crate::model::PhaseInfo { code: "post-19".into(), max_journey_minutes: 75.0 });
        model.horizon.as_mut().unwrap().phase_year_groups.push((YearGroup(15), YearGroup(20)));
        model
    }

    #[test]
    fn a_model_with_a_post_19_phase_ages_a_child_from_14_into_15_and_out_after_20() {
        // 10 SLD young people in year 14, 4 in year 20; a fifth leave after year 14 (ceasing
        // 0.2), none after 19. 2026/27: 8 in year 15 (post-19), the 4 in year 20 gone; 2027/28:
        // 8 in year 16. Without the post-19 phase the 10 would leave after year 14 (the next
        // test).
        let model =
            with_post_19(3, &[("home", "SLD", 14, 10.0), ("home", "SLD", 20, 4.0)], &[("SLD", 14, 0.0, 0.2, 0.0)]);
        let h = model.horizon.as_ref().unwrap();
        assert_eq!(h.last_year_group(), YearGroup(20));
        let grids = project(model.years_ahead().unwrap());
        let sld = Need(4);
        let at = |k: usize, yg: i8| grids[k].get(LocalityIx(0), sld, YearGroup(yg), Provision::ResourcedProvision);
        assert!((grids[0].total() - 14.0).abs() < 1e-12);
        assert!((at(1, 15) - 8.0).abs() < 1e-12 && at(1, 20) == 0.0, "{}", grids[1].total());
        assert!((grids[1].total() - 8.0).abs() < 1e-12);
        assert!((at(2, 16) - 8.0).abs() < 1e-12 && (grids[2].total() - 8.0).abs() < 1e-12);
        // The young people of year 15 are demand of the post-19 phase (the fifth).
        let rows = grids[1].demand_rows(h);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].phase, rows[0].children), (Phase(4), 8.0));
    }

    #[test]
    fn without_a_post_19_phase_the_last_year_group_is_14() {
        let model =
            ModelBuilder::new().locality("home", 53.0, -2.0, true).horizon(2, &[("home", "SLD", 14, 3.0)], &[]).build();
        assert_eq!(model.horizon.as_ref().unwrap().last_year_group(), YearGroup(14));
    }

    #[test]
    fn a_tiers_own_ceasing_rate_applies_to_that_tier_and_the_rest_take_the_needs() {
        // Year 11 ASD: 10 in mainstream, 10 needing a special school. The need's ceasing rate
        // at year 11 is 0.6; mainstream's own is 0.1. 2026/27 in year 12: 9 mainstream, 4
        // special school.
        let mut model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .horizon(2, &[("home", "ASD", 11, 10.0)], &[])
            .build();
        let NeedByYear::Cohort { cohort, rates: r, .. } = &mut model.horizon.as_mut().unwrap().need else { panic!() };
        cohort[0].provision = Provision::Mainstream;
        cohort.push(crate::model::CohortRow { provision: Provision::SpecialSchool, ..cohort[0] });
        let i = YearGroup(11).index();
        r[i].ceasing_rate = 0.6;
        r[i].tier_ceasing[provision_index(Provision::Mainstream)] = Some(0.1);
        assert!((r[i].ceasing(Provision::Mainstream) - 0.1).abs() < 1e-12);
        assert!((r[i].ceasing(Provision::SpecialSchool) - 0.6).abs() < 1e-12);
        let grids = project(model.years_ahead().unwrap());
        let at = |p| grids[1].get(LocalityIx(0), Need(0), YearGroup(12), p);
        assert!((at(Provision::Mainstream) - 9.0).abs() < 1e-12, "{}", at(Provision::Mainstream));
        assert!((at(Provision::SpecialSchool) - 4.0).abs() < 1e-12, "{}", at(Provision::SpecialSchool));
    }

    #[test]
    fn new_plans_are_shared_among_localities_as_the_base_cohort_is() {
        // a has 3 of the 4 base ASD children, so 3/4 of the 8 new plans.
        let model = ModelBuilder::new()
            .locality("a", 53.0, -2.0, true)
            .locality("b", 53.1, -2.0, true)
            .horizon(2, &[("a", "ASD", 3, 3.0), ("b", "ASD", 3, 1.0)], &[("ASD", 0, 8.0, 0.0, 0.0)])
            .build();
        let grids = project(model.years_ahead().unwrap());
        let r = |l: usize| grids[1].get(LocalityIx(l), Need(0), YearGroup(0), Provision::ResourcedProvision);
        assert!((r(0) - 6.0).abs() < 1e-12 && (r(1) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn a_tier_policy_splits_new_plans_of_its_need_and_phase_and_no_other() {
        // Base year as below: primary ASD 3 mainstream (year 3), 1 special school (year 4);
        // secondary ASD 2 special school (year 8). The policy for primary ASD: 0.5 mainstream,
        // 0.25 inclusion base, 0.25 special school. Of 8 new plans at reception (primary):
        // 4, 2 and 2. Of 4 at year 7 (secondary, no row): the base year's split, all 4 special.
        let mut model = ModelBuilder::new()
            .locality("a", 53.0, -2.0, true)
            .horizon(
                2,
                &[("a", "ASD", 3, 3.0), ("a", "ASD", 4, 1.0), ("a", "ASD", 8, 2.0)],
                &[("ASD", 0, 8.0, 0.0, 0.0), ("ASD", 7, 4.0, 0.0, 0.0)],
            )
            .build();
        let NeedByYear::Cohort { cohort, tiers, .. } = &mut model.horizon.as_mut().unwrap().need else { panic!() };
        cohort.iter_mut().for_each(|c| {
            c.provision = if c.year_group == YearGroup(3) { Provision::Mainstream } else { Provision::SpecialSchool };
        });
        let mut shares = [0.0; TIERS];
        shares[provision_index(Provision::Mainstream)] = 0.5;
        shares[provision_index(Provision::InclusionBase)] = 0.25;
        shares[provision_index(Provision::SpecialSchool)] = 0.25;
        tiers.push(TierSplit { need: Need(0), phase: Phase(1), shares });
        let grids = project(model.years_ahead().unwrap());
        let got = |yg: i8, p: Provision| grids[1].get(LocalityIx(0), Need(0), YearGroup(yg), p);
        for p in PROVISIONS {
            let (reception, year7) = match p {
                Provision::Mainstream => (4.0, 0.0),
                Provision::InclusionBase => (2.0, 0.0),
                Provision::SpecialSchool => (2.0, 4.0),
                _ => (0.0, 0.0),
            };
            assert!((got(0, p) - reception).abs() < 1e-12, "reception {p:?}: {}", got(0, p));
            assert!((got(7, p) - year7).abs() < 1e-12, "year 7 {p:?}: {}", got(7, p));
        }
    }

    #[test]
    fn new_plans_take_the_base_years_split_of_tiers_for_their_need_and_phase() {
        // Primary ASD in the base year: 3 in mainstream with support (year 3), 1 needing a
        // special school (year 4). Of 8 new plans at reception, 3/4 are mainstream (6) and
        // 1/4 special school (2); no other tier gets any.
        let mut model = ModelBuilder::new()
            .locality("a", 53.0, -2.0, true)
            .horizon(2, &[("a", "ASD", 3, 3.0), ("a", "ASD", 4, 1.0)], &[("ASD", 0, 8.0, 0.0, 0.0)])
            .build();
        let NeedByYear::Cohort { cohort, .. } = &mut model.horizon.as_mut().unwrap().need else { panic!() };
        cohort.iter_mut().for_each(|c| {
            c.provision = if c.year_group == YearGroup(3) { Provision::Mainstream } else { Provision::SpecialSchool };
        });
        let grids = project(model.years_ahead().unwrap());
        for p in PROVISIONS {
            let want = match p {
                Provision::Mainstream => 6.0,
                Provision::SpecialSchool => 2.0,
                _ => 0.0,
            };
            let got = grids[1].get(LocalityIx(0), Need(0), YearGroup(0), p);
            assert!((got - want).abs() < 1e-12, "{p:?}: {got}");
        }
        // The grid's index of a tier is its place in `Provision::ALL`.
        assert!(PROVISIONS.iter().enumerate().all(|(i, p)| provision_index(*p) == i));
    }
}

#[cfg(test)]
mod population_tests {
    use super::*;
    use crate::model::NeedByYear;
    use crate::testing::ModelBuilder;

    #[test]
    fn new_plans_per_1000_use_each_localitys_population() {
        // 2 new SEMH plans per 1,000 children at year 7; a has 1,500 and b 500 such children
        // in 2026/27: a gets 3, b gets 1 (no authority-wide count, no growth).
        let mut model = ModelBuilder::new()
            .locality("a", 53.0, -2.0, true)
            .locality("b", 53.1, -2.0, true)
            .horizon(2, &[("a", "SEMH", 9, 1.0)], &[])
            .build();
        let h = model.horizon.as_mut().unwrap();
        let NeedByYear::Cohort { rates, population, .. } = &mut h.need else { panic!() };
        let semh = Need(1);
        rates[semh.0 * YEAR_GROUPS + YearGroup(7).index()].new_per_1000 = 2.0;
        // Indexed (year × localities + locality) × year groups + year group.
        let at_year_1 = |l: usize| (2 + l) * YEAR_GROUPS + YearGroup(7).index();
        let mut pop = vec![0.0; 2 * 2 * YEAR_GROUPS];
        pop[at_year_1(0)] = 1_500.0;
        pop[at_year_1(1)] = 500.0;
        *population = Some(pop);
        let grids = project(model.years_ahead().unwrap());
        let at = |l: usize| grids[1].get(LocalityIx(l), Need(1), YearGroup(7), Provision::ResourcedProvision);
        assert!((at(0) - 3.0).abs() < 1e-12 && (at(1) - 1.0).abs() < 1e-12, "{} {}", at(0), at(1));
    }
}
