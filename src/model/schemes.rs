//! Capital schemes: new settings or more places at existing ones, their places by year,
//! capital and running costs, and how they are appraised (Green Book discounting of cash
//! deflated by general inflation, a residual value, place funding).

use super::{CodeSet, Money, SchoolYear, Setting, SettingIx, SettingKind};

/// Kind of capital scheme: a new setting, or more places at an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeSite {
    /// A new setting: a school, a resourced provision, a satellite site.
    New,
    /// More places at an existing setting (index into [`Model::settings`](super::Model::settings)).
    Expands(SettingIx),
}

/// A pool of places a scheme adds, per module, for some needs and phases.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemePlaces {
    /// Needs the places are for.
    pub needs: CodeSet,
    /// Phases the places are for.
    pub phases: CodeSet,
    /// Places per module.
    pub places: f64,
    /// The first school year these places are open (the scheme's, or later when places open
    /// in stages).
    pub opens: SchoolYear,
}

/// A candidate capital scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheme {
    /// Id as written in the schemes table.
    pub id: String,
    /// Name for reports.
    pub name: String,
    /// New setting or expansion.
    pub site: SchemeSite,
    /// The setting its places behave as: kind, position and borough (for an expansion, the
    /// expanded setting's), places and cost for its children.
    pub setting: Setting,
    /// The first school year its places are open.
    pub opens: SchoolYear,
    /// Capital cost per module, £.
    pub capital_cost: Money,
    /// Running cost a year per module once open, on top of the cost per child placed, £.
    pub fixed_annual_cost: Money,
    /// Fewest modules if built (1 for a scheme that does not scale).
    pub min_modules: u32,
    /// Most modules (1 for a scheme that does not scale).
    pub max_modules: u32,
    /// Schemes in the same group exclude each other (e.g. two sites for one school).
    pub exclusive_group: Option<String>,
    /// Schemes that must be built for this one to be (indexes into [`Model::schemes`](super::Model::schemes)).
    pub requires: Vec<usize>,
    /// Places per module, in pools by need and phase.
    pub places: Vec<SchemePlaces>,
    /// Shares of the capital spent in the years before it opens, earliest first, the last in
    /// the year before it opens (adding to 1; default: all in the year before).
    pub capital_profile: Vec<f64>,
    /// Years its places take to fill (1: all open in the year a pool opens; 3: a third in
    /// its first year, two thirds in its second, all from its third), as a new school opens
    /// with a few year groups.
    pub fill_years: u32,
    /// For an inclusion programme ([`Scheme::is_programme`]): the share of the forecast's new
    /// plans of its needs and phases, in the tiers it takes, that its places may hold, counted
    /// from the year it opens (`None`: its places alone limit it).
    pub share: Option<f64>,
}

impl Scheme {
    /// Whether it is an inclusion programme: places at an inclusion base or mainstream school
    /// that take children who would otherwise need a specialist place (a revenue scheme, its
    /// outreach and staff its running cost).
    #[must_use]
    pub fn is_programme(&self) -> bool {
        !self.setting.programme_tiers.is_empty()
    }

    /// Places per module, over all pools.
    #[must_use]
    pub fn places_per_module(&self) -> f64 {
        self.places.iter().map(|p| p.places).sum()
    }

    /// Places per module of `pool` (one of [`Scheme::places`]) open in `year`: none before
    /// the pool opens (or the scheme, if later); in its k-th year open (k = 1 in the year it
    /// opens) min(1, k ÷ `fill_years`) of its places. The one rule for a scheme's places by
    /// year: the placement rows, place funding and the business case all count by it.
    #[must_use]
    pub fn pool_places_open(&self, pool: &SchemePlaces, year: SchoolYear) -> f64 {
        let opens = pool.opens.max(self.opens);
        if year < opens {
            return 0.0;
        }
        let k = u32::from(year.0 - opens.0) + 1;
        if k >= self.fill_years { pool.places } else { pool.places * f64::from(k) / f64::from(self.fill_years) }
    }

    /// Places per module open in `year`, over all pools.
    #[must_use]
    pub fn places_open(&self, year: SchoolYear) -> f64 {
        self.places.iter().map(|p| self.pool_places_open(p, year)).sum()
    }

    /// Cost in `year` of one module, whatever the children in it: its running cost once the
    /// scheme is open and the place funding of the places open, filled or empty.
    #[must_use]
    pub fn fixed_cost_per_module(&self, appraisal: &Appraisal, year: SchoolYear) -> Money {
        if self.opens > year {
            return Money(0.0);
        }
        self.fixed_annual_cost + appraisal.place_funding(self.setting.kind) * self.places_open(year)
    }

    /// Capital of one module spent in `year`, by the scheme's profile (capital due before
    /// `first`, the first year planned, is counted in it).
    #[must_use]
    pub fn capital_in(&self, year: SchoolYear, first: SchoolYear) -> Money {
        let n = self.capital_profile.len();
        let share: f64 = self
            .capital_profile
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                // Share i is spent (n − i) years before the scheme opens.
                let due = i32::from(self.opens.0) - i32::try_from(n - i).unwrap_or(i32::MAX);
                due.max(i32::from(first.0)) == i32::from(year.0)
            })
            .map(|(_, s)| s)
            .sum();
        self.capital_cost * share
    }

    /// The setting its places behave as, priced per child placed: its cost per place less the
    /// place funding, which [`Scheme::fixed_cost_per_module`] pays filled or empty.
    #[must_use]
    pub fn setting_per_child(&self, appraisal: &Appraisal) -> Setting {
        let funding = appraisal.place_funding(self.setting.kind);
        let less = |c: Money| Money((c.0 - funding.0).max(0.0));
        let mut s = self.setting.clone();
        s.cost_per_place = less(s.cost_per_place);
        for t in &mut s.need_terms {
            t.cost_per_place = t.cost_per_place.map(less);
        }
        s
    }
}

/// How capital is set against revenue over the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapitalMethod {
    /// An equivalent annual cost over the asset's life, charged each year the scheme is open.
    Annualised,
    /// The capital as it is spent, by the scheme's profile, discounted as the business case
    /// discounts it.
    Upfront,
}

/// How schemes are appraised: HM Treasury Green Book discounting by default.
///
/// **Money basis.** The years are in cash: each year's costs are that year's (raised by
/// `[uplift]`, whose rates are cash rises); capital is cash in the year it is spent; the
/// schemes' own running costs and place funding stay at their first-year cash figures. A
/// present value deflates each year's cash by general inflation to first-year prices and
/// discounts that at the real rate: £1 of cash in year k counts
/// 1 ÷ ((1 + `discount_rate`)(1 + `inflation`))^k, the same in the choice and the business
/// case. The residual value takes the last year's saving, in real terms, to go on for
/// `residual_years` more years, discounted at the real rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Appraisal {
    /// Discount rate a year, real (0.035 = 3.5%).
    pub discount_rate: f64,
    /// General inflation a year (the GDP deflator's rise) that turns cash into first-year
    /// prices before discounting (0.02 = 2%).
    pub inflation: f64,
    /// Years after the last planned in which the last year's saving (and running, in the
    /// choice) is taken to go on, for the residual value (0: none).
    pub residual_years: u32,
    /// How capital counts.
    pub capital: CapitalMethod,
    /// Asset life in years, for the equivalent annual cost.
    pub asset_life_years: f64,
    /// Forecast variants a robust choice is made across (empty: the model's only).
    pub variants: Vec<String>,
    /// Place funding a year of a new special school place, paid whether the place is filled
    /// or not (the rest of its cost, the top-up, is paid per child).
    pub place_funding_special: Money,
    /// Place funding a year of a new resourced provision or unit place.
    pub place_funding_resourced: Money,
}

impl Appraisal {
    /// Place funding a year of one new place at a setting of `kind`: paid filled or empty.
    /// Independent and market places have none (their fee is paid per child); nor have
    /// mainstream schools, colleges, early years settings and other arrangements (the
    /// council pays their top-up per child). An inclusion base is funded as a unit is, and
    /// alternative provision as a special school is (£10,000 a place in the DfE's operational
    /// guide for both).
    #[must_use]
    pub fn place_funding(&self, kind: SettingKind) -> Money {
        match kind {
            SettingKind::ResourcedProvision | SettingKind::InclusionBase => self.place_funding_resourced,
            SettingKind::MaintainedSpecial
            | SettingKind::AcademySpecial
            | SettingKind::OtherAuthoritySpecial
            | SettingKind::SpecialistPost16
            | SettingKind::AlternativeProvision => self.place_funding_special,
            SettingKind::IndependentSpecial
            | SettingKind::NonMaintainedSpecial
            | SettingKind::IndependentMarket
            | SettingKind::Mainstream
            | SettingKind::GeneralFe
            | SettingKind::EarlyYears
            | SettingKind::OtherArrangements => Money(0.0),
        }
    }
}

/// Place funding a year of a special school place (shared/domain/figures.md, "Cost per place").
pub const PLACE_FUNDING_SPECIAL: f64 = 10_000.0;
/// Place funding a year of a resourced provision or unit place (as above).
pub const PLACE_FUNDING_RESOURCED: f64 = 6_000.0;

/// The Green Book's discount rate (real).
pub const GREEN_BOOK_RATE: f64 = 0.035;

/// General inflation assumed by default: the GDP deflator's rise of about 2% a year that the
/// Office for Budget Responsibility forecasts from 2026 on (Economic and fiscal outlook,
/// March 2025), which HM Treasury's GDP deflators carry forward; the Green Book deflates cash
/// by the GDP deflator before discounting.
pub const GDP_DEFLATOR_RISE: f64 = 0.02;

impl Default for Appraisal {
    fn default() -> Appraisal {
        Appraisal {
            discount_rate: GREEN_BOOK_RATE,
            inflation: GDP_DEFLATOR_RISE,
            residual_years: 0,
            capital: CapitalMethod::Annualised,
            asset_life_years: 40.0,
            variants: Vec::new(),
            place_funding_special: Money(PLACE_FUNDING_SPECIAL),
            place_funding_resourced: Money(PLACE_FUNDING_RESOURCED),
        }
    }
}

impl Appraisal {
    /// Factor that brings £1 of cash in year `k` (0 = base year) to a present value:
    /// deflated by inflation to base-year prices and discounted at the real rate, so
    /// 1 ÷ ((1 + rate)(1 + inflation))^k.
    #[must_use]
    pub fn discount(&self, k: usize) -> f64 {
        self.deflate(k) * self.real_discount(k)
    }

    /// The nominal rate a year at which cash is discounted: (1 + rate)(1 + inflation) − 1.
    #[must_use]
    pub fn nominal_rate(&self) -> f64 {
        (1.0 + self.discount_rate) * (1.0 + self.inflation) - 1.0
    }

    /// Factor that brings £1 of cash in year `k` to base-year prices (undiscounted).
    #[must_use]
    pub fn deflate(&self, k: usize) -> f64 {
        (1.0 + self.inflation).powi(-i32::try_from(k).unwrap_or(i32::MAX))
    }

    /// Factor that brings £1 at base-year prices in year `k` to a present value.
    #[must_use]
    pub fn real_discount(&self, k: usize) -> f64 {
        (1.0 + self.discount_rate).powi(-i32::try_from(k).unwrap_or(i32::MAX))
    }

    /// What the last year planned's figure counts for again in the residual value, as a
    /// multiple of its own present value: the same real sum in each of the `residual_years`
    /// after it, discounted at the real rate, Σ 1 ÷ (1 + rate)^j for j = 1 to `residual_years`.
    #[must_use]
    pub fn residual_factor(&self) -> f64 {
        (1..=self.residual_years).map(|j| (1.0 + self.discount_rate).powi(-i32::try_from(j).unwrap_or(i32::MAX))).sum()
    }

    /// Weight on year `k`'s cash of `years` planned in a present value with the residual:
    /// [`Appraisal::discount`], and for the last year × (1 + [`Appraisal::residual_factor`]).
    #[must_use]
    pub fn year_weight(&self, k: usize, years: usize) -> f64 {
        let residual = if k + 1 == years { self.residual_factor() } else { 0.0 };
        self.discount(k) * (1.0 + residual)
    }

    /// The equivalent annual cost of `capital` (base-year prices) over the asset life, in
    /// base-year prices (an annuity at the real discount rate; straight-line if the rate is 0).
    #[must_use]
    pub fn annual_equivalent(&self, capital: Money) -> Money {
        let r = self.discount_rate;
        let n = self.asset_life_years;
        if r <= 0.0 { Money(capital.0 / n) } else { Money(capital.0 * r / (1.0 - (1.0 + r).powf(-n))) }
    }
}

#[cfg(test)]
mod scheme_tests {
    use crate::model::{Appraisal, Money, SchoolYear};
    use crate::testing::ModelBuilder;

    #[test]
    fn a_cash_stream_is_deflated_then_discounted_and_the_residual_is_by_hand() {
        // £1,000 of cash in each of three years, inflation 2%, 3.5% real: £1 of cash a year on
        // is 1 ÷ 1.02 = £0.980392 at this year's prices, worth 0.980392 ÷ 1.035 = £0.947239
        // today; two years on 1 ÷ 1.0557² = £0.897262. In all 1,000 + 947.239 + 897.262 =
        // £2,844.50.
        let a = Appraisal::default();
        assert_eq!((a.discount_rate, a.inflation, a.residual_years), (0.035, 0.02, 0));
        let pv: f64 = (0..3).map(|k| 1_000.0 * a.discount(k)).sum();
        assert!((pv - 2_844.50).abs() < 0.01, "{pv}");
        assert!((a.deflate(1) - 0.980_392).abs() < 1e-6 && (a.real_discount(1) - 1.0 / 1.035).abs() < 1e-12);
        // No residual by default: the last of three years weighs as any other.
        assert_eq!((a.residual_factor(), a.year_weight(2, 3)), (0.0, a.discount(2)));
        // Residual over 5 years: the last year's real sum again in each, at 3.5% real:
        // 1/1.035 + 1/1.035² + … + 1/1.035⁵ = 0.966184 + 0.933511 + 0.901943 + 0.871442 +
        // 0.841973 = 4.515052; the last of three years then weighs 5.515052 ÷ 1.0557².
        let a = Appraisal { residual_years: 5, ..a };
        assert!((a.residual_factor() - 4.515_052).abs() < 1e-6, "{}", a.residual_factor());
        assert!((a.year_weight(2, 3) - 5.515_052 / (1.0557 * 1.0557)).abs() < 1e-6);
        assert!((a.year_weight(1, 3) - 1.0 / 1.0557).abs() < 1e-12);
        // With no inflation, cash is real: the Green Book's 3.5% alone.
        let real = Appraisal { inflation: 0.0, ..Appraisal::default() };
        assert!((real.discount(2) - 1.0 / (1.035 * 1.035)).abs() < 1e-12);
        assert!((real.nominal_rate() - 0.035).abs() < 1e-12);
    }

    #[test]
    fn a_school_that_fills_over_three_years_opens_a_third_of_its_places_a_year() {
        // 30 SEMH places opening in 2025/26, filling over 3 years: 10, 20, then 30 open, and
        // funded at £10,000 a special school place: £100,000, £200,000, £300,000. 6 ASD
        // places opening a year later count their own years: 2, 4, then 6.
        let mut model = ModelBuilder::new()
            .locality("home", 53.0, -2.0, true)
            .scheme(
                "school",
                "maintained-special",
                (53.01, -2.0),
                0,
                1_000.0,
                25_000.0,
                &[("SEMH", "secondary", 30.0), ("ASD", "secondary", 6.0)],
            )
            .build();
        let s = &mut model.schemes[0];
        s.fill_years = 3;
        s.places[1].opens = SchoolYear(2026);
        let s = &model.schemes[0];
        let a = Appraisal::default();
        let (semh, asd) = (&s.places[0], &s.places[1]);
        let open = |pool, y| s.pool_places_open(pool, SchoolYear(y));
        assert_eq!([2024, 2025, 2026, 2027, 2028].map(|y| open(semh, y)), [0.0, 10.0, 20.0, 30.0, 30.0]);
        assert_eq!([2025, 2026, 2027, 2028, 2029].map(|y| open(asd, y)), [0.0, 2.0, 4.0, 6.0, 6.0]);
        assert_eq!([2025, 2026, 2027].map(|y| s.places_open(SchoolYear(y))), [10.0, 22.0, 34.0]);
        let funding = |y| s.fixed_cost_per_module(&a, SchoolYear(y));
        assert_eq!([2024, 2025, 2026].map(funding), [Money(0.0), Money(100_000.0), Money(220_000.0)]);
        // The default: every place open in the year its pool opens.
        let all = crate::model::Scheme { fill_years: 1, ..s.clone() };
        assert_eq!([2025, 2026].map(|y| all.places_open(SchoolYear(y))), [30.0, 36.0]);
    }
}
