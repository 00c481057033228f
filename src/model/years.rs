//! Years: school years and year groups, a multi-year model's horizon (the cohort, its
//! rates, the children already placed, places by year), how costs rise a year, and the
//! model of one year made from a longer one.

use std::fmt;

use serde::Serialize;

use super::{
    DemandRow, LocalityIx, Model, Need, Phase, Provision, Residence, Setting, SettingIx, SettingKind, Staying,
};

/// A school year, shown as `2025/26`; held as the year it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct SchoolYear(pub u16);

impl SchoolYear {
    /// Parses `2025/26` (also `2025-26`, or `2025` alone).
    #[must_use]
    pub fn parse(text: &str) -> Option<SchoolYear> {
        let t = text.trim();
        let (first, second) = match t.split_once(['/', '-']) {
            Some((a, b)) => (a, Some(b)),
            None => (t, None),
        };
        let start: u16 = first.parse().ok().filter(|y| (1900..=2200).contains(y))?;
        if let Some(b) = second {
            let end: u16 = b.parse().ok()?;
            let expected = if b.len() == 2 { (start + 1) % 100 } else { start + 1 };
            if end != expected {
                return None;
            }
        }
        Some(SchoolYear(start))
    }

    /// The year `n` years later.
    #[must_use]
    pub fn plus(self, n: usize) -> SchoolYear {
        SchoolYear(self.0 + u16::try_from(n).unwrap_or(u16::MAX - self.0))
    }
}

impl fmt::Display for SchoolYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1) % 100)
    }
}

impl From<SchoolYear> for String {
    fn from(y: SchoolYear) -> String {
        y.to_string()
    }
}

/// A national curriculum year group: N1 = -2, N2 = -1, R = 0, then 1 to 14 (14 is the last
/// post-16 year, age 18 at the 31 August before it), and 15 to 20 for young people of 19 to
/// 24 (post-19: an EHC plan can run to the 25th birthday). Year groups past 14 are a model's
/// only where one of its phases names them (`[horizon.phase_year_groups]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearGroup(pub i8);

impl YearGroup {
    /// The first year group (N1).
    pub const FIRST: YearGroup = YearGroup(-2);
    /// The last year group of the default phases (14, the last post-16 year).
    pub const LAST_POST_16: YearGroup = YearGroup(14);
    /// The last year group any model may have (20: age 24 at the 31 August before it).
    pub const LAST: YearGroup = YearGroup(20);

    /// Parses `N1`, `N2`, `R`, `0`..`20`, `-2`, `-1`.
    #[must_use]
    pub fn parse(text: &str) -> Option<YearGroup> {
        let t = text.trim();
        let v: i8 = match t.to_ascii_uppercase().as_str() {
            "N1" => -2,
            "N2" => -1,
            "R" => 0,
            other => other.strip_prefix('Y').unwrap_or(other).parse().ok()?,
        };
        (Self::FIRST.0..=Self::LAST.0).contains(&v).then_some(YearGroup(v))
    }

    /// Every year group, N1 to 20.
    pub fn all() -> impl Iterator<Item = YearGroup> {
        (Self::FIRST.0..=Self::LAST.0).map(YearGroup)
    }

    /// Position from 0 (N1) to 22 (20), for tables indexed by year group.
    #[must_use]
    pub fn index(self) -> usize {
        usize::try_from(self.0 + 2).unwrap_or(0)
    }
}

impl fmt::Display for YearGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            -2 => f.write_str("N1"),
            -1 => f.write_str("N2"),
            0 => f.write_str("R"),
            n => write!(f, "{n}"),
        }
    }
}

/// Default year groups of the default phases.
pub const DEFAULT_PHASE_YEAR_GROUPS: [(&str, i8, i8); 4] =
    [("early-years", -2, -1), ("primary", 0, 6), ("secondary", 7, 11), ("post-16", 12, 14)];

/// Base-year children of one locality, need, year group and provision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CohortRow {
    /// Home locality.
    pub locality: LocalityIx,
    /// Primary need.
    pub need: Need,
    /// Year group.
    pub year_group: YearGroup,
    /// Least provision needed.
    pub provision: Provision,
    /// Children.
    pub children: f64,
}

/// Forecast rates of the chosen variant for one need and year group.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rates {
    /// New children a year across the authority.
    pub new_plans: f64,
    /// New children a year per 1,000 population (used with a population table).
    pub new_per_1000: f64,
    /// Share of children leaving each year.
    pub ceasing_rate: f64,
    /// Annual growth of new plans.
    pub growth: f64,
    /// The ceasing rate of a tier of provision where the rates give it one (in the order of
    /// [`Provision::ALL`]); a tier without one takes `ceasing_rate`.
    pub tier_ceasing: [Option<f64>; Provision::ALL.len()],
}

impl Rates {
    /// Share of children of tier `p` leaving each year.
    #[must_use]
    pub fn ceasing(&self, p: Provision) -> f64 {
        let i = Provision::ALL.iter().position(|q| *q == p).unwrap_or(0);
        self.tier_ceasing[i].unwrap_or(self.ceasing_rate)
    }
}

/// Children of the base-year cohort already placed at a setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurrentPlacement {
    /// Where.
    pub setting: SettingIx,
    /// Home locality.
    pub locality: LocalityIx,
    /// Need.
    pub need: Need,
    /// Year group.
    pub year_group: YearGroup,
    /// Provision.
    pub provision: Provision,
    /// Whether they board there (SEN2's `res`): day, 38-week or 52-week. Counted for the
    /// published residential placements; the children stay wherever they are.
    pub residence: Residence,
    /// Children.
    pub children: f64,
}

/// Where each year's need comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum NeedByYear {
    /// A cohort aged forward with rates.
    Cohort {
        /// Base-year children.
        cohort: Vec<CohortRow>,
        /// Rates by need and year group (index: need × 17 + year group index).
        rates: Vec<Rates>,
        /// Population by year offset, locality and year group, if given
        /// (index: (year × localities + locality) × 17 + year group index).
        population: Option<Vec<f64>>,
        /// The council's split of new plans among the tiers, by need and phase (the
        /// `tier_policy` table); a need and phase not in it takes the base year's split.
        tiers: Vec<super::TierSplit>,
    },
    /// The council's own forecast: demand rows per year of the horizon.
    Direct(Vec<Vec<DemandRow>>),
}

/// A multi-year model's extra inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Horizon {
    /// Base year.
    pub first_year: SchoolYear,
    /// Years planned.
    pub years: usize,
    /// Forecast variant in use.
    pub variant: String,
    /// First and last year group of each phase.
    pub phase_year_groups: Vec<(YearGroup, YearGroup)>,
    /// Need by year.
    pub need: NeedByYear,
    /// Children placed in the base year.
    pub current: Vec<CurrentPlacement>,
    /// Places per setting per year (index: year × settings + setting).
    pub places: Vec<f64>,
}

impl Horizon {
    /// The years planned.
    pub fn years(&self) -> impl Iterator<Item = SchoolYear> + '_ {
        (0..self.years).map(|k| self.first_year.plus(k))
    }

    /// The last year group of the model: 14, or the last of a phase past it (post-19).
    /// Children past it leave.
    #[must_use]
    pub fn last_year_group(&self) -> YearGroup {
        self.phase_year_groups.iter().map(|(_, b)| *b).fold(YearGroup::LAST_POST_16, YearGroup::max)
    }

    /// The phase a year group belongs to, if any.
    #[must_use]
    pub fn phase_of(&self, yg: YearGroup) -> Option<Phase> {
        self.phase_year_groups.iter().position(|(a, b)| (*a..=*b).contains(&yg)).map(Phase)
    }
}

/// One year to plan: its need, its places and the children who stay. The horizon, the
/// schemes appraisal and commissioning each build these, and [`Model::for_year`] makes one
/// into that year's model for the formulation.
#[derive(Debug, Clone, PartialEq)]
pub struct YearInstance {
    /// The school year.
    pub year: SchoolYear,
    /// Children needing a place, by locality, need, phase and provision.
    pub demand: Vec<DemandRow>,
    /// Places at each setting this year (in the order of [`Model::settings`]).
    pub places: Vec<f64>,
    /// Children of `demand` already placed, who stay where they are.
    pub staying: Vec<Staying>,
}

/// How costs rise a year after the base year (`[uplift]`), compounding: year k of a
/// horizon pays the base year's cost × (1 + rate)^k. Independent fees have risen faster
/// than maintained top-ups (shared/domain/figures.md: £54k in 2020/21 to £64k in 2024/25).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Uplift {
    /// Places at state settings (maintained, academy, resourced, other authorities',
    /// specialist post-16): a rise a year (0.02 is 2%).
    pub default: f64,
    /// Fees at independent and non-maintained schools and the market.
    pub independent: f64,
    /// Home-to-school transport.
    pub transport: f64,
}

impl Uplift {
    /// The factor on a cost of `kind` in year `k` after the base year.
    #[must_use]
    pub fn place_factor(&self, kind: SettingKind, k: i32) -> f64 {
        let rate = if kind.is_independent() { self.independent } else { self.default };
        (1.0 + rate).powi(k)
    }

    /// The factor on transport in year `k` after the base year.
    #[must_use]
    pub fn transport_factor(&self, k: i32) -> f64 {
        (1.0 + self.transport).powi(k)
    }

    /// Whether any cost rises.
    #[must_use]
    pub fn any(&self) -> bool {
        self.default != 0.0 || self.independent != 0.0 || self.transport != 0.0
    }
}

impl Model {
    /// The model of one year: this model's settings, rules and costs with the year's need,
    /// places and children staying, planned on its own (no horizon). The one way a one-year
    /// model is made; every field is named, so a new field of [`Model`] is decided here.
    ///
    /// # Panics
    /// If `year.places` does not give one number per setting.
    #[must_use]
    pub fn for_year(&self, year: YearInstance) -> Model {
        assert_eq!(year.places.len(), self.settings.len(), "places for every setting");
        // Costs of the year: the base year's with `[uplift]` applied for the years since.
        let k = i32::from(year.year.0) - i32::from(self.planning_year.0);
        let this_year = year.year;
        let settings = self
            .settings
            .iter()
            .zip(&year.places)
            .map(|(s, &places)| {
                let f = self.uplift.place_factor(s.kind, k);
                let t = self.uplift.transport_factor(k);
                let mut s = Setting { places, ..s.clone() };
                if f != 1.0 {
                    s.cost_per_place = s.cost_per_place * f;
                    for terms in &mut s.need_terms {
                        terms.cost_per_place = terms.cost_per_place.map(|c| c * f);
                    }
                }
                if let Some(m) = &mut s.market
                    && t != 1.0
                {
                    m.transport_per_child = m.transport_per_child.map(|c| c * t);
                }
                s
            })
            .collect();
        let mut transport = self.transport;
        let t = self.uplift.transport_factor(k);
        if t != 1.0 {
            transport.fixed_per_child = transport.fixed_per_child * t;
            transport.cost_per_km = transport.cost_per_km * t;
            transport.cost_per_minute = transport.cost_per_minute * t;
        }
        let mut year = Model {
            notes: self.notes.clone(),
            name: self.name.clone(),
            planning_year: year.year,
            description: self.description.clone(),
            needs: self.needs.clone(),
            phases: self.phases.clone(),
            localities: self.localities.clone(),
            settings,
            demand: year.demand,
            staying: year.staying,
            locality_caps: self.locality_caps.clone(),
            policy: self.policy,
            transport,
            network: self.network.clone(),
            sources: self.sources.clone(),
            horizon: None,
            schemes: self.schemes.clone(),
            appraisal: self.appraisal.clone(),
            // The commissioning options still running that year, at that year's prices.
            purchasing: self
                .purchasing
                .iter()
                .filter(|o| o.contract.open_in(self.planning_year, this_year))
                .map(|o| o.years_on(o.contract.years_in(self.planning_year, this_year)))
                .collect(),
            // The transport options' £ terms rise with every transport cost.
            transport_options: self.transport_options.iter().map(|o| o.raised(t)).collect(),
            annex: self.annex.clone(),
            uplift: self.uplift,
            high_needs: self.high_needs.clone(),
            risk: self.risk.clone(),
        };
        year.count_in_child_units();
        year
    }
}

#[cfg(test)]
mod year_tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("2025/26", Some(2025))]
    #[case("2025-26", Some(2025))]
    #[case("2025", Some(2025))]
    #[case("2025/2026", Some(2025))]
    #[case("1999/00", Some(1999))]
    #[case("2025/27", None)]
    #[case("next year", None)]
    fn school_years_parse(#[case] text: &str, #[case] start: Option<u16>) {
        assert_eq!(SchoolYear::parse(text).map(|y| y.0), start);
    }

    #[test]
    fn school_years_show_as_councils_write_them() {
        assert_eq!(SchoolYear(2025).to_string(), "2025/26");
        assert_eq!(SchoolYear(2099).plus(1).to_string(), "2100/01");
    }

    #[rstest]
    #[case("N1", Some(-2))]
    #[case("n2", Some(-1))]
    #[case("R", Some(0))]
    #[case("Y7", Some(7))]
    #[case("14", Some(14))]
    #[case("15", Some(15))]
    #[case("Y20", Some(20))]
    #[case("21", None)]
    #[case("X", None)]
    fn year_groups_parse(#[case] text: &str, #[case] v: Option<i8>) {
        assert_eq!(YearGroup::parse(text).map(|y| y.0), v);
        if let Some(v) = v {
            assert_eq!(YearGroup::parse(&YearGroup(v).to_string()), Some(YearGroup(v)));
        }
    }
}
