//! The schemes program: one mixed-integer program over every year planned and every
//! forecast variant, each year the placement program with the candidate schemes as
//! settings, tied to whole-number columns saying which schemes are built; and the
//! discounted capital and running costs of each scheme.

use std::collections::BTreeMap;

use super::Choice;
use crate::model::{CapitalMethod, Model, Money, Scheme, SchoolYear, Setting, YearInstance};
use crate::optimise::formulation::{Extensions, Formulation, SchemeSites};
use crate::optimise::program::{LinearProgram, Row, Sense, lp_name_part};
use crate::planning::portfolio::Portfolio;
use crate::travel::JourneyTable;

/// One forecast variant's years, built into the program.
#[derive(Debug, Clone)]
pub(super) struct Future {
    pub(super) years: Vec<Block>,
}

/// One year of one future: its model (with schemes as settings), program and place in the
/// combined program.
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub(super) year: SchoolYear,
    pub(super) k: usize,
    pub(super) model: Model,
    pub(super) formulation: Formulation,
    /// The combined program's column of each of the year program's columns.
    pub(super) at: Vec<usize>,
}

impl Block {
    /// The year program's column values in a solution of the combined program.
    pub(super) fn values(&self, values: &[f64]) -> Vec<f64> {
        self.at.iter().map(|&c| values[c]).collect()
    }
}

/// The schemes program for a model, built once and solved under any [`Choice`].
#[derive(Debug, Clone)]
pub struct Appraiser {
    /// The model (the first future's).
    pub model: Model,
    /// Journeys from each locality to each setting and scheme.
    pub journeys: JourneyTable,
    pub(super) futures: Vec<Future>,
    pub(super) program: LinearProgram,
    /// Column of "scheme j built" (0/1).
    pub(super) built: Vec<usize>,
    /// Column of scheme j's modules (the built column for a scheme that does not scale).
    pub(super) modules: Vec<usize>,
    /// Rows of each future's discounted cost, when built for a regret choice.
    pub(super) future_cost: Vec<Vec<(usize, f64)>>,
    /// Objective per column without the tie-break charge, per future (weighted equally in
    /// the program's objective).
    pub(super) plain: Vec<f64>,
    /// The program's first columns, the portfolio's (build and modules); each year's
    /// columns come after.
    pub(super) portfolio_columns: usize,
    /// Years placed so far, for portfolios that leave them as they were.
    pub(super) placed_blocks: super::block_cache::BlockCache,
    /// Each year's last optimal tree, for the next portfolio placed to start from.
    pub(super) warm_years: super::block_cache::WarmYears,
    /// The share of the best portfolio's cost within which choosing by cuts may stop
    /// ([`Appraiser::with_gap`]); 0: on to the proof.
    pub(super) gap: f64,
}

impl Appraiser {
    /// Lets the choice by cuts stop once the best portfolio placed is proven within `gap` (a
    /// share of its cost: 0.0001 is 0.01%) of the best possible, rather than going on to prove
    /// it the best ([`super::Outcome::proof`] says which). 0, the default: proven best.
    #[must_use]
    pub fn with_gap(mut self, gap: f64) -> Appraiser {
        self.gap = gap.max(0.0);
        self
    }

    /// Builds the program for `models`: one per forecast variant, the same but for need.
    ///
    /// # Panics
    /// If `models` is empty.
    #[must_use]
    pub fn build(models: &[Model]) -> Appraiser {
        let base = &models[0];
        let n_settings = base.settings.len();
        // Settings, then one per scheme, then a place-less one at each home locality in the
        // borough (only for journeys: where one more place would be worth most).
        let extended = |m: &Model| {
            let mut ext = m.clone();
            ext.settings.extend(m.schemes.iter().map(|s| s.setting_per_child(&m.appraisal)));
            ext.settings.extend(m.localities.iter().filter(|l| l.in_borough).map(|l| Setting {
                id: format!("place-at-{}", l.id),
                name: format!("one more place in {}", l.name),
                kind: crate::model::SettingKind::MaintainedSpecial,
                position: l.position,
                in_borough: true,
                places: 0.0,
                phases: crate::model::CodeSet::default(),
                needs: crate::model::CodeSet::default(),
                cost_per_place: Money(0.0),
                need_terms: Vec::new(),
                register: crate::model::Register::default(),
                programme_tiers: Vec::new(),
                market: None,
            }));
            ext
        };
        let ext0 = extended(base);
        let journeys = JourneyTable::build(&ext0);
        let mut program = LinearProgram::default();
        // Build decisions and the rows tying modules to them; each year's scheme places are
        // tied to the modules by the formulation's scheme-places family.
        let mut built = Vec::new();
        let mut modules = Vec::new();
        for (j, scheme) in base.schemes.iter().enumerate() {
            let id = lp_name_part(&scheme.id);
            let b = program.add_integer_column(format!("build{j}_{id}"), 0.0, 0.0, 1.0);
            let m = if scheme.max_modules > 1 {
                let m = program.add_integer_column(format!("modules{j}_{id}"), 0.0, 0.0, f64::from(scheme.max_modules));
                program.rows.push(Row {
                    name: format!("most_modules{j}_{id}"),
                    terms: vec![(m, 1.0), (b, -f64::from(scheme.max_modules))],
                    sense: Sense::AtMost,
                    rhs: 0.0,
                });
                program.rows.push(Row {
                    name: format!("fewest_modules{j}_{id}"),
                    terms: vec![(b, f64::from(scheme.min_modules)), (m, -1.0)],
                    sense: Sense::AtMost,
                    rhs: 0.0,
                });
                m
            } else {
                b
            };
            built.push(b);
            modules.push(m);
        }
        let portfolio_columns = program.columns.len();
        let mut futures = Vec::new();
        let mut future_cost = Vec::new();
        let share = 1.0 / models.len() as f64;
        for (v, m) in models.iter().enumerate() {
            let ext = extended(m);

            let mut blocks = Vec::new();
            let mut cost_terms = Vec::new();
            let years = crate::planning::forecast::years(m);
            let n_years = years.len();
            // An inclusion programme's places hold at most its share of new plans.
            let caps = super::programme_caps(m);
            for (k, year) in years.into_iter().enumerate() {
                let school_year = year.year;
                // Scheme places open this year, at the most modules (the pool rows hold them to
                // the modules built), an inclusion programme's no more than its share of new
                // plans; none at the place-less settings.
                let places = (0..ext.settings.len())
                    .map(|s| match s.checked_sub(n_settings) {
                        None => year.places[s],
                        Some(j) => m
                            .schemes
                            .get(j)
                            .map_or(0.0, |sc| (sc.places_open(year.year) * f64::from(sc.max_modules)).min(caps[j][k])),
                    })
                    .collect();
                let mut y = ext.for_year(YearInstance { places, ..year });
                // Schemes are appraised in £: the weighted objective, whatever the model's mode.
                y.policy.objective = crate::model::ObjectiveMode::Weighted;
                let sites = SchemeSites { first_setting: n_settings, schemes: &m.schemes, year: school_year };
                let formulation = Formulation::build_with(
                    &y,
                    &journeys,
                    Extensions { schemes: Some(sites), ..Extensions::default() },
                );
                let mut block = formulation.program.clone();
                for name in &mut block.columns {
                    *name = format!("{name}_v{v}y{k}");
                }
                for row in &mut block.rows {
                    row.name = format!("{}_v{v}y{k}", row.name);
                }
                let links: Vec<(usize, usize)> = formulation
                    .scheme_modules
                    .iter()
                    .enumerate()
                    .filter_map(|(j, c)| c.map(|c| (c.0, modules[j])))
                    .collect();
                let delta = m.appraisal.year_weight(k, n_years);
                let at = program.append_linked(&block, delta * share, &links);
                cost_terms.extend(block.objective.iter().enumerate().map(|(c, o)| (at[c], o * delta)));
                blocks.push(Block { year: school_year, k, model: y, formulation, at });
            }
            futures.push(Future { years: blocks });
            future_cost.push(cost_terms);
        }
        // Capital and fixed running costs, per module, discounted: each future's own (the same
        // in every forecast variant; a drawn future's capital and opening years its own), in
        // the objective by their mean.
        let per_future: Vec<Vec<f64>> = models
            .iter()
            .zip(&futures)
            .map(|(m, f)| scheme_costs(m, f.years.iter().map(|b| b.year).collect::<Vec<_>>().as_slice()))
            .collect();
        let cost_per_module = if per_future.iter().all(|c| *c == per_future[0]) {
            per_future[0].clone()
        } else {
            (0..base.schemes.len()).map(|j| per_future.iter().map(|c| c[j]).sum::<f64>() * share).collect()
        };
        for (j, c) in cost_per_module.iter().enumerate() {
            program.objective[modules[j]] += c;
        }
        for (terms, costs) in future_cost.iter_mut().zip(&per_future) {
            terms.extend(costs.iter().enumerate().map(|(j, c)| (modules[j], *c)));
        }
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (j, scheme) in base.schemes.iter().enumerate() {
            if let Some(g) = &scheme.exclusive_group {
                groups.entry(g).or_default().push(j);
            }
            for &k in &scheme.requires {
                program.rows.push(Row {
                    name: format!("requires{j}_{k}"),
                    terms: vec![(built[j], 1.0), (built[k], -1.0)],
                    sense: Sense::AtMost,
                    rhs: 0.0,
                });
            }
        }
        for (g, members) in groups {
            program.rows.push(Row {
                name: format!("exclusive_{}", lp_name_part(g)),
                terms: members.iter().map(|&j| (built[j], 1.0)).collect(),
                sense: Sense::AtMost,
                rhs: 1.0,
            });
        }
        let plain = program.objective.clone();
        // Among equally good answers, one chosen the same way by every solver: a tiny
        // charge per minute of journey, and a few pence per module in scheme order.
        for future in &futures {
            for block in &future.years {
                for (c, t) in block.formulation.tie_break().iter().enumerate() {
                    program.objective[block.at[c]] += t * share;
                }
            }
        }
        for (j, &m) in modules.iter().enumerate() {
            program.objective[m] += 0.01 * (j + 1) as f64;
        }
        Appraiser {
            model: base.clone(),
            journeys,
            futures,
            program,
            built,
            modules,
            future_cost,
            plain,
            portfolio_columns,
            placed_blocks: super::block_cache::BlockCache::default(),
            warm_years: super::block_cache::WarmYears::default(),
            gap: 0.0,
        }
    }

    /// The program with the choice's bounds and budget.
    pub(super) fn program_for(&self, choice: &Choice) -> LinearProgram {
        let mut p = self.program.clone();
        for &j in &choice.with {
            p.lower[self.built[j]] = 1.0;
        }
        for &j in &choice.without {
            p.upper[self.built[j]] = 0.0;
        }
        if let Some(fixed) = &choice.fixed {
            for (j, &m) in fixed.0.iter().enumerate() {
                let b = f64::from(u8::from(m > 0));
                p.lower[self.built[j]] = b;
                p.upper[self.built[j]] = b;
                if self.modules[j] != self.built[j] {
                    p.lower[self.modules[j]] = f64::from(m);
                    p.upper[self.modules[j]] = f64::from(m);
                }
            }
        }
        if let Some(budget) = choice.budget {
            p.rows.push(Row {
                name: "capital_budget".into(),
                terms: self
                    .model
                    .schemes
                    .iter()
                    .enumerate()
                    .map(|(j, s)| (self.modules[j], s.capital_cost.0))
                    .collect(),
                sense: Sense::AtMost,
                rhs: budget.0,
            });
        }
        p
    }

    /// The schemes built in a solution.
    pub(super) fn portfolio_of(&self, values: &[f64]) -> Portfolio {
        Portfolio(
            self.modules
                .iter()
                .zip(&self.built)
                .map(|(&m, &b)| if values[b] < 0.5 { 0 } else { values[m].round() as u32 })
                .collect(),
        )
    }

    /// Weight of year `k`'s cash in a future's present value: discounted as the business case
    /// discounts it, the last year's with the residual years after it.
    pub(super) fn weight(&self, k: usize) -> f64 {
        self.model.appraisal.year_weight(k, self.futures.first().map_or(0, |f| f.years.len()))
    }

    /// Number of forecast futures.
    #[must_use]
    pub fn futures(&self) -> usize {
        self.futures.len()
    }

    /// Columns, rows and whole-number columns of the program.
    #[must_use]
    pub fn size(&self) -> (usize, usize, usize) {
        (self.program.columns.len(), self.program.rows.len(), self.program.integer.iter().filter(|i| **i).count())
    }

    /// The program in CPLEX LP format, under `choice`.
    #[must_use]
    pub fn lp_text(&self, choice: &Choice, comment: &[String]) -> String {
        self.program_for(choice).to_lp_format(comment)
    }
}

/// Discounted capital charge and fixed running cost of one module of each scheme over `years`
/// (the running cost of the last year going on for the residual years).
fn scheme_costs(model: &Model, years: &[SchoolYear]) -> Vec<f64> {
    let a = &model.appraisal;
    model
        .schemes
        .iter()
        .map(|s| {
            let fixed: f64 = open_years(s, years)
                .map(|k| a.year_weight(k, years.len()) * s.fixed_cost_per_module(a, years[k]).0)
                .sum();
            fixed + capital_per_module(model, s, years)
        })
        .collect()
}

/// Indices of the `years` in which scheme `s` is open.
fn open_years<'a>(s: &'a Scheme, years: &'a [SchoolYear]) -> impl Iterator<Item = usize> + 'a {
    (0..years.len()).filter(move |&k| years[k] >= s.opens)
}

/// Discounted capital charge of one module of scheme `s` over `years`. Upfront: the capital
/// as it is spent, by the scheme's profile, discounted as the business case discounts it.
/// Annualised: the capital deflated to base-year prices from the years it is spent, as an
/// equivalent annual cost at base-year prices charged each year it is open (and in each
/// residual year if open in the last), discounted at the real rate.
fn capital_per_module(model: &Model, s: &Scheme, years: &[SchoolYear]) -> f64 {
    let a = &model.appraisal;
    let Some(&first) = years.first() else { return 0.0 };
    let spent = |weight: &dyn Fn(usize) -> f64| -> f64 {
        years.iter().enumerate().map(|(k, &y)| weight(k) * s.capital_in(y, first).0).sum()
    };
    match a.capital {
        CapitalMethod::Upfront => spent(&|k| a.discount(k)),
        CapitalMethod::Annualised => {
            let eac = a.annual_equivalent(Money(spent(&|k| a.deflate(k)))).0;
            let residual = |k: usize| if k + 1 == years.len() { a.residual_factor() } else { 0.0 };
            open_years(s, years).map(|k| a.real_discount(k) * (1.0 + residual(k)) * eac).sum()
        }
    }
}

/// Discounted capital charge of a portfolio over `years` (without running costs).
pub(super) fn capital_charge(model: &Model, portfolio: &Portfolio, years: &[SchoolYear]) -> Money {
    Money(
        model.schemes.iter().zip(&portfolio.0).map(|(s, &m)| capital_per_module(model, s, years) * f64::from(m)).sum(),
    )
}
