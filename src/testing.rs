//! Small models built in code, for unit tests of the travel, formulation and solving code.

use geo::Point;
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use crate::model::{
    CodeSet, DEFAULT_PHASES, DFE_NEED_CODES, DemandRow, Locality, LocalityIx, Model, Money, Need, NeedTerms,
    ObjectiveMode, Phase, PhaseInfo, Policy, Provision, Setting, SettingKind, TransportCosts,
};

/// Builds a model with the default needs and phases, straight-line travel, and transport
/// costing nothing unless set, so hand-worked optima stay simple.
#[derive(Clone)]
pub struct ModelBuilder {
    model: Model,
}

impl From<Model> for ModelBuilder {
    fn from(model: Model) -> ModelBuilder {
        ModelBuilder { model }
    }
}

impl ModelBuilder {
    pub fn new() -> ModelBuilder {
        ModelBuilder {
            model: Model {
                notes: Vec::new(),
                name: "test".into(),
                planning_year: crate::model::SchoolYear(2025),
                description: String::new(),
                needs: DFE_NEED_CODES.iter().map(|s| (*s).to_string()).collect(),
                phases: DEFAULT_PHASES
                    .iter()
                    .map(|(c, m)| PhaseInfo { code: (*c).to_string(), max_journey_minutes: *m })
                    .collect(),
                localities: Vec::new(),
                settings: Vec::new(),
                demand: Vec::new(),
                staying: Vec::new(),
                locality_caps: Vec::new(),
                policy: Policy {
                    objective: ObjectiveMode::Weighted,
                    out_of_borough_weight: Money(0.0),
                    unmet_penalty: Money(1_000_000.0),
                    share_transported: crate::model::TransportShares::default(),
                },
                transport: TransportCosts {
                    fixed_per_child: Money(0.0),
                    cost_per_km: Money(0.0),
                    cost_per_minute: Money(0.0),
                    journeys_per_day: 2.0,
                    school_days: 190.0,
                    circuity: 1.0,
                    average_speed_kmh: 60.0,
                    max_access_km: 15.0,
                },
                network: None,
                sources: Vec::new(),
                horizon: None,
                schemes: Vec::new(),
                appraisal: crate::model::Appraisal::default(),
                purchasing: Vec::new(),
                transport_options: Vec::new(),
                annex: crate::model::AnnexSettings::default(),
                uplift: crate::model::Uplift::default(),
                high_needs: None,
                risk: crate::model::Risk::default(),
            },
        }
    }

    fn need(&self, code: &str) -> Need {
        Need(self.model.needs.iter().position(|n| n == code).expect("known need"))
    }

    fn phase(&self, code: &str) -> Phase {
        Phase(self.model.phases.iter().position(|p| p.code == code).expect("known phase"))
    }

    fn codes(&self, list: &str, phases: bool) -> CodeSet {
        if list == "all" {
            return CodeSet::all(if phases { self.model.phases.len() } else { self.model.needs.len() });
        }
        let mut set = CodeSet::default();
        for c in list.split(';') {
            set.insert(if phases { self.phase(c).0 } else { self.need(c).0 });
        }
        set
    }

    pub fn locality(mut self, id: &str, lat: f64, lon: f64, in_borough: bool) -> Self {
        self.model.localities.push(Locality {
            id: id.into(),
            name: id.into(),
            position: Point::new(lon, lat),
            in_borough,
        });
        self
    }

    #[allow(clippy::too_many_arguments)]
    pub fn setting(
        mut self,
        id: &str,
        kind: &str,
        lat: f64,
        lon: f64,
        in_borough: bool,
        places: f64,
        phases: &str,
        needs: &str,
        cost: f64,
    ) -> Self {
        let setting = Setting {
            id: id.into(),
            name: id.into(),
            kind: SettingKind::from_code(kind).expect("known kind"),
            position: Point::new(lon, lat),
            in_borough,
            places,
            phases: self.codes(phases, true),
            needs: self.codes(needs, false),
            cost_per_place: Money(cost),
            need_terms: Vec::new(),
            register: crate::model::Register::default(),
            programme_tiers: Vec::new(),
            market: None,
        };
        self.model.settings.push(setting);
        self
    }

    pub fn need_terms(mut self, setting: &str, need: &str, places: Option<f64>, cost: Option<f64>) -> Self {
        let need = self.need(need);
        let s = self.model.settings.iter_mut().find(|s| s.id == setting).expect("known setting");
        s.need_terms.push(NeedTerms { need, places, cost_per_place: cost.map(Money) });
        self
    }

    pub fn demand(mut self, locality: &str, need: &str, phase: &str, children: f64, provision: Provision) -> Self {
        let l = self.model.localities.iter().position(|l| l.id == locality).expect("known locality");
        let row =
            DemandRow { locality: LocalityIx(l), need: self.need(need), phase: self.phase(phase), provision, children };
        self.model.demand.push(row);
        self
    }

    pub fn locality_cap(mut self, setting: &str, locality: &str, max_children: f64) -> Self {
        let s = self.model.settings.iter().position(|s| s.id == setting).expect("known setting");
        let l = self.model.localities.iter().position(|l| l.id == locality).expect("known locality");
        self.model.locality_caps.push(crate::model::LocalityCap {
            setting: crate::model::SettingIx(s),
            locality: LocalityIx(l),
            max_children,
        });
        self
    }

    /// A step of the independent market: `places` (None: no limit) for `needs` and
    /// `phases` at `cost`, a typical journey of `minutes` (km = minutes, as at 60 km/h), by
    /// day or residential with its own transport a year.
    #[allow(clippy::too_many_arguments)]
    pub fn market_step(
        mut self,
        id: &str,
        needs: &str,
        phases: &str,
        places: Option<f64>,
        cost: f64,
        minutes: f64,
        residence: crate::model::Residence,
        transport_per_child: Option<f64>,
    ) -> Self {
        let step = Setting {
            id: id.into(),
            name: id.into(),
            kind: SettingKind::IndependentMarket,
            position: Point::new(0.0, 0.0),
            in_borough: false,
            places: places.unwrap_or(f64::INFINITY),
            phases: self.codes(phases, true),
            needs: self.codes(needs, false),
            cost_per_place: Money(cost),
            need_terms: Vec::new(),
            register: crate::model::Register::default(),
            programme_tiers: Vec::new(),
            market: Some(crate::model::MarketStep {
                journey: crate::model::Journey { minutes, km: minutes },
                residence,
                transport_per_child: transport_per_child.map(Money),
            }),
        };
        self.model.settings.push(step);
        self
    }

    pub fn out_of_borough_weight(mut self, pounds: f64) -> Self {
        self.model.policy.out_of_borough_weight = Money(pounds);
        self
    }

    pub fn lexicographic(mut self) -> Self {
        self.model.policy.objective = ObjectiveMode::Lexicographic;
        self
    }

    pub fn transport(mut self, fixed: f64, per_km: f64) -> Self {
        self.model.transport.fixed_per_child = Money(fixed);
        self.model.transport.cost_per_km = Money(per_km);
        self
    }

    pub fn build(self) -> Model {
        self.model
    }
}

/// One locality, two settings serving ASD primary, four children.
pub fn tiny_model() -> Model {
    ModelBuilder::new()
        .locality("home", 53.0, -2.0, true)
        .setting("near", "maintained-special", 53.01, -2.0, true, 3.0, "primary", "ASD", 20_000.0)
        .setting("far", "independent-special", 53.1, -2.0, true, 10.0, "primary", "ASD", 60_000.0)
        .demand("home", "ASD", "primary", 4.0, Provision::ResourcedProvision)
        .build()
}

impl ModelBuilder {
    /// Makes the model multi-year: `years` from 2025/26, a cohort (locality, need, year
    /// group, children) and rates (need, year group, new plans, ceasing rate, growth), no
    /// children placed yet, places as in the settings table every year.
    pub fn horizon(
        mut self,
        years: usize,
        cohort: &[(&str, &str, i8, f64)],
        rates: &[(&str, i8, f64, f64, f64)],
    ) -> Self {
        use crate::model::{CohortRow, DEFAULT_PHASE_YEAR_GROUPS, Horizon, NeedByYear, Rates, SchoolYear, YearGroup};
        let cohort = cohort
            .iter()
            .map(|&(l, n, yg, children)| CohortRow {
                locality: LocalityIx(self.model.localities.iter().position(|x| x.id == l).expect("known locality")),
                need: self.need(n),
                year_group: YearGroup(yg),
                provision: Provision::ResourcedProvision,
                children,
            })
            .collect();
        let mut table = vec![Rates::default(); self.model.needs.len() * crate::planning::forecast::YEAR_GROUPS];
        for &(n, yg, new_plans, ceasing_rate, growth) in rates {
            table[self.need(n).0 * crate::planning::forecast::YEAR_GROUPS + YearGroup(yg).index()] =
                Rates { new_plans, new_per_1000: 0.0, ceasing_rate, growth, ..Rates::default() };
        }
        let places = (0..years).flat_map(|_| self.model.settings.iter().map(|s| s.places)).collect();
        self.model.horizon = Some(Horizon {
            first_year: SchoolYear(2025),
            years,
            variant: "central".into(),
            phase_year_groups: DEFAULT_PHASE_YEAR_GROUPS
                .iter()
                .map(|(_, a, b)| (YearGroup(*a), YearGroup(*b)))
                .collect(),
            need: NeedByYear::Cohort { cohort, rates: table, population: None, tiers: Vec::new() },
            current: Vec::new(),
            places,
        });
        self
    }

    /// Sets a setting's places from year offset `from` on (multi-year models).
    pub fn places_from(mut self, setting: &str, from: usize, places: f64) -> Self {
        let s = self.model.settings.iter().position(|x| x.id == setting).expect("known setting");
        let n = self.model.settings.len();
        let h = self.model.horizon.as_mut().expect("call horizon first");
        for k in from..h.years {
            h.places[k * n + s] = places;
        }
        self
    }

    /// Adds a candidate scheme: a new setting at (lat, lon) of `kind` (or, with `expands`,
    /// more places at that setting), opening `opens` years after 2025/26, with pools of
    /// (needs, phases, places per module).
    #[allow(clippy::too_many_arguments)]
    pub fn scheme(
        mut self,
        id: &str,
        kind: &str,
        at: (f64, f64),
        opens: usize,
        capital: f64,
        cost_per_place: f64,
        pools: &[(&str, &str, f64)],
    ) -> Self {
        use crate::model::{Scheme, SchemePlaces, SchemeSite, SchoolYear};
        let places: Vec<SchemePlaces> = pools
            .iter()
            .map(|&(n, p, places)| SchemePlaces {
                needs: self.codes(n, false),
                phases: self.codes(p, true),
                places,
                opens: SchoolYear(2025).plus(opens),
            })
            .collect();
        let (mut needs, mut phases) = (CodeSet::default(), CodeSet::default());
        for pool in &places {
            for i in 0..64 {
                if pool.needs.contains(i) {
                    needs.insert(i);
                }
                if pool.phases.contains(i) {
                    phases.insert(i);
                }
            }
        }
        let setting = Setting {
            id: id.into(),
            name: id.into(),
            kind: SettingKind::from_code(kind).expect("known kind"),
            position: Point::new(at.1, at.0),
            in_borough: true,
            places: places.iter().map(|p| p.places).sum(),
            phases,
            needs,
            cost_per_place: Money(cost_per_place),
            need_terms: Vec::new(),
            register: crate::model::Register::default(),
            programme_tiers: Vec::new(),
            market: None,
        };
        self.model.schemes.push(Scheme {
            id: id.into(),
            name: id.into(),
            site: SchemeSite::New,
            setting,
            opens: SchoolYear(2025).plus(opens),
            capital_cost: Money(capital),
            fixed_annual_cost: Money(0.0),
            min_modules: 1,
            max_modules: 1,
            exclusive_group: None,
            requires: Vec::new(),
            places,
            capital_profile: vec![1.0],
            fill_years: 1,
            share: None,
        });
        self
    }

    /// Rules for the last scheme added: exclusive group, schemes it needs, modules.
    pub fn scheme_rules(mut self, group: Option<&str>, requires: &[&str], modules: (u32, u32)) -> Self {
        let requires: Vec<usize> = requires
            .iter()
            .map(|r| self.model.schemes.iter().position(|s| s.id == *r).expect("known scheme"))
            .collect();
        let s = self.model.schemes.last_mut().expect("a scheme");
        s.exclusive_group = group.map(str::to_string);
        s.requires = requires;
        s.min_modules = modules.0;
        s.max_modules = modules.1;
        s.setting.places *= f64::from(modules.1);
        self
    }
}

impl ModelBuilder {
    /// Adds a framework over `settings` for `needs` and `phases` (lists or "all").
    #[allow(clippy::too_many_arguments)]
    pub fn framework(
        mut self,
        id: &str,
        settings: &[&str],
        needs: &str,
        phases: &str,
        discount: f64,
        joining_fee: f64,
        fee_per_placement: f64,
        max_children_per_setting: Option<f64>,
    ) -> Self {
        let option = crate::model::PurchasingOption {
            id: id.into(),
            name: id.into(),
            settings: settings.iter().map(|s| self.setting_ix(s)).collect(),
            needs: self.codes(needs, false),
            phases: self.codes(phases, true),
            terms: crate::model::PurchasingTerms::Framework {
                discount,
                prices: Vec::new(),
                joining_fee: Money(joining_fee),
                fee_per_placement: Money(fee_per_placement),
                max_children_per_setting,
            },
            contract: crate::model::Contract::default(),
            acceptance: 1.0,
        };
        self.model.purchasing.push(option);
        self
    }

    /// Adds a cap or band to framework `id`.
    pub fn price_rule(
        mut self,
        id: &str,
        needs: &str,
        phases: &str,
        kind: crate::model::PriceRuleKind,
        price: f64,
    ) -> Self {
        let rule = crate::model::PriceRule {
            needs: self.codes(needs, false),
            phases: self.codes(phases, true),
            kind,
            price: Money(price),
        };
        let option = self.model.purchasing.iter_mut().find(|o| o.id == id).expect("known option");
        if let crate::model::PurchasingTerms::Framework { prices, .. } = &mut option.terms {
            prices.push(rule);
        }
        self
    }

    /// Adds a block contract at `setting`: blocks of `places` for `price` a year, at most
    /// `max_blocks`; `above`: price and most children beyond the blocks (cost and volume).
    pub fn block(
        mut self,
        id: &str,
        setting: &str,
        places: f64,
        price: f64,
        max_blocks: u32,
        above: Option<(f64, f64)>,
    ) -> Self {
        let option = crate::model::PurchasingOption {
            id: id.into(),
            name: id.into(),
            settings: vec![self.setting_ix(setting)],
            needs: self.codes("all", false),
            phases: self.codes("all", true),
            terms: crate::model::PurchasingTerms::Block {
                block_places: places,
                block_price: Money(price),
                max_blocks,
                above: above.map(|(p, m)| (Money(p), m)),
            },
            contract: crate::model::Contract::default(),
            acceptance: 1.0,
        };
        self.model.purchasing.push(option);
        self
    }

    fn setting_ix(&self, id: &str) -> crate::model::SettingIx {
        crate::model::SettingIx(self.model.settings.iter().position(|s| s.id == id).expect("known setting"))
    }
}

/// A generated model (see [`crate::tools::generate`]), loaded through the input checks,
/// without its market (the steps have no site: journeys and arcs are checked by position).
pub fn generated(spec: &crate::tools::generate::Spec) -> Model {
    generated_as(spec, false)
}

/// [`generated`] with the independent market's steps, which `generated` leaves out (its
/// tests check journeys and arcs against the settings' own positions).
pub fn generated_with_market(spec: &crate::tools::generate::Spec) -> Model {
    generated_as(spec, true)
}

fn generated_as(spec: &crate::tools::generate::Spec, market: bool) -> Model {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, mut text) in crate::tools::generate::generate(spec) {
        if name == "model.toml" && !market {
            text = text.replace("market = \"market.csv\"\n", "");
        }
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    crate::model::input::load(&dir.path().join("model.toml")).unwrap_or_else(|p| panic!("{p}"))
}

/// Seeded random numbers for random test models: ChaCha8 (rand_chacha), the same on every
/// machine.
pub struct Seeded(ChaCha8Rng);

impl Seeded {
    /// The numbers drawn from `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Seeded {
        Seeded(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A number from 0 to `n` − 1.
    pub fn next(&mut self, n: u64) -> u64 {
        self.0.random_range(0..n)
    }
}

/// [`Seeded::new`] under the name the tests of other modules still call it by (it was a
/// linear congruential generator of this name).
#[allow(non_snake_case)]
#[must_use]
pub fn Lcg(seed: u64) -> Seeded {
    Seeded::new(seed)
}

/// Two localities and four settings of random kinds, needs, phases, places (1 to 4), costs
/// and sites, with a random out-of-borough weight and transport of £500 a child plus 50p a
/// km: the start of the random models the brute-force and property tests solve.
pub fn random_settings(g: &mut Seeded) -> ModelBuilder {
    let needs = ["ASD", "SEMH"];
    let phases = ["primary", "secondary"];
    let kinds = ["maintained-special", "resourced-provision", "independent-special", "other-authority-special"];
    let mut b = ModelBuilder::new()
        .locality("a", 53.0, -2.0, true)
        .locality("b", 53.2, -2.3, true)
        .out_of_borough_weight(g.next(3) as f64 * 5_000.0)
        .transport(500.0, 0.5);
    for s in 0..4 {
        let lat = 53.0 + g.next(25) as f64 / 100.0;
        let lon = -2.0 - g.next(30) as f64 / 100.0;
        let need = if g.next(3) == 0 { "all" } else { needs[g.next(2) as usize] };
        let phase = if g.next(3) == 0 { "all" } else { phases[g.next(2) as usize] };
        let kind = kinds[g.next(4) as usize];
        let in_borough = g.next(2) == 0;
        let places = 1.0 + g.next(4) as f64;
        let cost = 10_000.0 + g.next(60) as f64 * 1_000.0;
        b = b.setting(&format!("s{s}"), kind, lat, lon, in_borough, places, phase, need, cost);
    }
    b
}

/// The linear-programming solvers of this build (microlp, and HiGHS with `--features
/// highs`), each once: for tests of code that always hands its program to an LP solver,
/// where [`crate::optimise::solve::Solver::Network`] would only run microlp a second time
/// under another name.
pub fn lp_solvers() -> Vec<crate::optimise::solve::Solver> {
    let mut out: Vec<_> = crate::optimise::solve::Solver::available().into_iter().map(|s| s.lp()).collect();
    out.dedup();
    out
}
