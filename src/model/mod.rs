//! Validated domain types: needs, phases, localities, settings, demand, policy.
//!
//! Everything here has passed input validation: ids are resolved to indices, codes are
//! declared, numbers are finite and in range. The optimiser and the reports see only these
//! types, never raw rows.

pub mod input;

use std::fmt;
use std::ops::{Add, AddAssign, Mul, Sub};

use geo::Point;
use serde::Serialize;

/// The twelve primary need codes of the DfE SEN2 / school census, in the DfE's order.
pub const DFE_NEED_CODES: [&str; 12] =
    ["ASD", "SEMH", "SLCN", "MLD", "SLD", "PMLD", "SpLD", "HI", "VI", "MSI", "PD", "OTH"];

/// The default phases with their default maximum journey each way, in minutes, after the
/// statutory home-to-school travel guidance (45 minutes primary and below, 75 secondary).
pub const DEFAULT_PHASES: [(&str, f64); 4] =
    [("early-years", 45.0), ("primary", 45.0), ("secondary", 75.0), ("post-16", 75.0)];

/// Largest number of need codes or phases a model may declare (they are kept as bit sets).
pub const MAX_CODES: usize = 64;

/// An amount of money in pounds sterling (a year, unless said otherwise).
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Money(pub f64);

impl Money {
    /// Pounds as a plain number.
    #[must_use]
    pub fn pounds(self) -> f64 {
        self.0
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Mul<f64> for Money {
    type Output = Money;
    fn mul(self, rhs: f64) -> Money {
        Money(self.0 * rhs)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl fmt::Display for Money {
    /// Whole pounds with thousands separators: `£1,234,567`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rounded = self.0.round();
        let sign = if rounded < 0.0 { "-" } else { "" };
        write!(f, "{sign}£{}", group_thousands(rounded.abs()))
    }
}

/// `1234567.0` as `1,234,567`.
#[must_use]
pub fn group_thousands(whole: f64) -> String {
    let text = format!("{whole:.0}");
    // The sign is not a digit: -905 is "-905", not "-,905".
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |d| ("-", d));
    let mut out = String::with_capacity(text.len() + digits.len() / 3);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A journey: drive time each way and road distance each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Journey {
    /// Minutes, one way.
    pub minutes: f64,
    /// Kilometres by road, one way.
    pub km: f64,
}

impl Add for Journey {
    type Output = Journey;
    fn add(self, rhs: Journey) -> Journey {
        Journey { minutes: self.minutes + rhs.minutes, km: self.km + rhs.km }
    }
}

/// Ordered by minutes first, then distance: the quickest route, shortest among equals.
impl PartialOrd for Journey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match self.minutes.partial_cmp(&other.minutes) {
            Some(std::cmp::Ordering::Equal) => self.km.partial_cmp(&other.km),
            ord => ord,
        }
    }
}

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub usize);
        impl $name {
            /// Position in the model's list.
            #[must_use]
            pub fn index(self) -> usize {
                self.0
            }
        }
    };
}

index_type!(
    /// A declared primary need (an index into [`Model::needs`]).
    Need
);
index_type!(
    /// A declared phase (an index into [`Model::phases`]).
    Phase
);
index_type!(
    /// A home locality (an index into [`Model::localities`]).
    LocalityIx
);
index_type!(
    /// A setting (an index into [`Model::settings`]).
    SettingIx
);

/// A set of needs or phases, as bits over their declared order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CodeSet(u64);

impl CodeSet {
    /// Every code of `count` declared codes.
    #[must_use]
    pub fn all(count: usize) -> CodeSet {
        if count >= 64 { CodeSet(u64::MAX) } else { CodeSet((1u64 << count) - 1) }
    }
    /// Adds the code at `index`.
    pub fn insert(&mut self, index: usize) {
        self.0 |= 1u64 << index;
    }
    /// Whether the code at `index` is in the set.
    #[must_use]
    pub fn contains(self, index: usize) -> bool {
        index < 64 && self.0 & (1u64 << index) != 0
    }
    /// Number of codes in the set.
    #[must_use]
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// Something offered for some needs and some phases: a setting, a pool of a scheme's places,
/// a purchasing option, a price rule. The one test of whether it covers a need and phase.
pub trait Covers {
    /// Needs it covers.
    fn needs(&self) -> CodeSet;
    /// Phases it covers.
    fn phases(&self) -> CodeSet;
    /// Whether it covers need `need` in phase `phase`.
    fn covers(&self, need: Need, phase: Phase) -> bool {
        self.needs().contains(need.0) && self.phases().contains(phase.0)
    }
}

macro_rules! covers_by_fields {
    ($($t:ty),*) => {$(
        impl Covers for $t {
            fn needs(&self) -> CodeSet {
                self.needs
            }
            fn phases(&self) -> CodeSet {
                self.phases
            }
        }
    )*};
}
covers_by_fields!(Setting, SchemePlaces, PurchasingOption, PriceRule);

/// A phase of education and the longest journey each way a child in it should make.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseInfo {
    /// Code as written in the tables, e.g. `secondary`.
    pub code: String,
    /// Maximum journey each way, minutes.
    pub max_journey_minutes: f64,
}

/// The least kind of provision a child needs. Ordered: a special school also meets a need
/// that a resourced provision would meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provision {
    /// A resourced provision or unit in a mainstream school, or any special school.
    ResourcedProvision,
    /// A special school (state, another authority's, independent, non-maintained or a
    /// specialist post-16 institution).
    SpecialSchool,
}

impl Provision {
    /// Code as written in the demand table.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Provision::ResourcedProvision => "resourced-provision",
            Provision::SpecialSchool => "special-school",
        }
    }

    /// What a reader is told the children need where need goes unmet: blank, `any` and
    /// `resourced-provision` all mean any specialist place will do (a resourced provision or
    /// a special school), so that is said rather than the code, which reads as a resourced
    /// provision only.
    #[must_use]
    pub fn needed(self) -> &'static str {
        match self {
            Provision::ResourcedProvision => "any specialist place",
            Provision::SpecialSchool => "special-school",
        }
    }
}

/// What kind of setting offers the places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SettingKind {
    /// Maintained special school.
    MaintainedSpecial,
    /// Academy or free special school.
    AcademySpecial,
    /// Resourced provision or SEN unit in a mainstream school.
    ResourcedProvision,
    /// Independent special school.
    IndependentSpecial,
    /// Non-maintained special school.
    NonMaintainedSpecial,
    /// Another local authority's special school.
    OtherAuthoritySpecial,
    /// Specialist post-16 institution.
    SpecialistPost16,
    /// Independent or non-maintained places bought by need and phase from the market, beyond
    /// the schools named in the settings table (a step of [`MarketStep`]).
    IndependentMarket,
}

impl SettingKind {
    /// Every kind, in report order.
    pub const ALL: [SettingKind; 8] = [
        SettingKind::MaintainedSpecial,
        SettingKind::AcademySpecial,
        SettingKind::ResourcedProvision,
        SettingKind::IndependentSpecial,
        SettingKind::NonMaintainedSpecial,
        SettingKind::OtherAuthoritySpecial,
        SettingKind::SpecialistPost16,
        SettingKind::IndependentMarket,
    ];

    /// Code as written in the settings table.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            SettingKind::MaintainedSpecial => "maintained-special",
            SettingKind::AcademySpecial => "academy-special",
            SettingKind::ResourcedProvision => "resourced-provision",
            SettingKind::IndependentSpecial => "independent-special",
            SettingKind::NonMaintainedSpecial => "non-maintained-special",
            SettingKind::OtherAuthoritySpecial => "other-authority-special",
            SettingKind::SpecialistPost16 => "specialist-post-16",
            SettingKind::IndependentMarket => "independent-market",
        }
    }

    /// Name as a report reads it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            SettingKind::MaintainedSpecial => "Maintained special school",
            SettingKind::AcademySpecial => "Academy or free special school",
            SettingKind::ResourcedProvision => "Resourced provision or SEN unit",
            SettingKind::IndependentSpecial => "Independent special school",
            SettingKind::NonMaintainedSpecial => "Non-maintained special school",
            SettingKind::OtherAuthoritySpecial => "Another authority's special school",
            SettingKind::SpecialistPost16 => "Specialist post-16 institution",
            SettingKind::IndependentMarket => "Independent places bought by need (market)",
        }
    }

    /// Parses a settings-table code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<SettingKind> {
        SettingKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The provision this kind of setting offers.
    #[must_use]
    pub fn provision(self) -> Provision {
        match self {
            SettingKind::ResourcedProvision => Provision::ResourcedProvision,
            _ => Provision::SpecialSchool,
        }
    }

    /// Whether places are bought from the independent or non-maintained sector.
    #[must_use]
    pub fn is_independent(self) -> bool {
        matches!(
            self,
            SettingKind::IndependentSpecial | SettingKind::NonMaintainedSpecial | SettingKind::IndependentMarket
        )
    }
}

/// A home area children come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Locality {
    /// Id as written in the tables.
    pub id: String,
    /// Name for reports.
    pub name: String,
    /// Where it is (x = longitude, y = latitude).
    pub position: Point<f64>,
    /// Whether it lies inside the authority.
    pub in_borough: bool,
}

/// Places and fee for one need at a setting, where the setting gives them per need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NeedTerms {
    /// The need.
    pub need: Need,
    /// Most children of this need the setting takes, if capped.
    pub places: Option<f64>,
    /// Annual cost per place for this need, if it differs from the setting's.
    pub cost_per_place: Option<Money>,
}

/// A school or unit offering specialist places.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// Id as written in the tables.
    pub id: String,
    /// Name for reports.
    pub name: String,
    /// Kind of setting.
    pub kind: SettingKind,
    /// Where it is (x = longitude, y = latitude).
    pub position: Point<f64>,
    /// Whether it lies inside the authority.
    pub in_borough: bool,
    /// Places available to the authority's children.
    pub places: f64,
    /// Phases it serves.
    pub phases: CodeSet,
    /// Needs it serves.
    pub needs: CodeSet,
    /// Annual cost per place: place funding + top-up, or the fee.
    pub cost_per_place: Money,
    /// Per-need places and fees, where given.
    pub need_terms: Vec<NeedTerms>,
    /// For a step of the independent market: how its places are reached and what getting
    /// there costs (`None` for a school or unit of the settings table).
    pub market: Option<MarketStep>,
    /// Its numbers in the DfE's registers, where the settings table gives them.
    pub register: Register,
}

/// A setting's numbers in the DfE's registers (the settings table's optional `urn` and
/// `ukprn` columns), for matching the council's own records of where children are
/// (`import sen2`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Register {
    /// Unique reference number (Get Information About Schools).
    pub urn: Option<String>,
    /// UK provider reference number (colleges and other providers without a URN).
    pub ukprn: Option<String>,
}

/// Whether a placement is by day or residential, and for how many weeks a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Residence {
    /// A day place: the child travels each school day, within the phase's journey limit.
    Day,
    /// A 38-week residential place: term-time boarding.
    Weeks38,
    /// A 52-week residential place.
    Weeks52,
}

impl Residence {
    /// Code as written in the market table.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Residence::Day => "day",
            Residence::Weeks38 => "38-week",
            Residence::Weeks52 => "52-week",
        }
    }
}

/// A step of the independent market: places bought by need and phase beyond the named
/// schools, at one price, reached by a typical journey from anywhere in the borough.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarketStep {
    /// The typical journey each way to such a place.
    pub journey: Journey,
    /// Day or residential. Residential places are not bound by the journey limits.
    pub residence: Residence,
    /// Transport a year per child, where it is not the model's daily formula (residential
    /// places: journeys home at weekends or at the end of term).
    pub transport_per_child: Option<Money>,
}

impl Setting {
    /// Annual cost of a place for a child of this need.
    #[must_use]
    pub fn cost_for(&self, need: Need) -> Money {
        self.terms_for(need).and_then(|t| t.cost_per_place).unwrap_or(self.cost_per_place)
    }

    /// The per-need terms for this need, if any.
    #[must_use]
    pub fn terms_for(&self, need: Need) -> Option<&NeedTerms> {
        self.need_terms.iter().find(|t| t.need == need)
    }

    /// Whether a child may be placed here beyond the phase's journey limit (a residential
    /// place of the market).
    #[must_use]
    pub fn beyond_journey_limits(&self) -> bool {
        self.market.is_some_and(|m| m.residence != Residence::Day)
    }

    /// Whether the setting serves this need, phase and provision.
    #[must_use]
    pub fn serves(&self, need: Need, phase: Phase, provision: Provision) -> bool {
        self.covers(need, phase) && self.kind.provision() >= provision
    }
}

/// Forecast children of one need and phase from one locality needing a specialist place.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandRow {
    /// Home locality.
    pub locality: LocalityIx,
    /// Primary need.
    pub need: Need,
    /// Phase.
    pub phase: Phase,
    /// Least kind of provision these children need.
    pub provision: Provision,
    /// Forecast number of children (may be fractional).
    pub children: f64,
}

/// Children of a demand row already placed at a setting, who stay there this year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Staying {
    /// Index into [`Model::demand`].
    pub demand: usize,
    /// Where they are.
    pub setting: SettingIx,
    /// How many.
    pub children: f64,
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

/// The council's cap on children from one locality at one setting (a policy constraint).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalityCap {
    /// The setting.
    pub setting: SettingIx,
    /// The home locality.
    pub locality: LocalityIx,
    /// Most children from the locality at the setting, over every need and phase.
    pub max_children: f64,
}

/// How the optimiser weighs its aims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectiveMode {
    /// One objective: cost + out-of-borough weight + unmet penalty.
    #[value(help = "Cost + out-of-borough weight + unmet penalty")]
    Weighted,
    /// Fewest children unmet, then fewest out of borough, then least cost.
    #[value(help = "Fewest unmet, then fewest out of borough, then least cost")]
    Lexicographic,
}

impl ObjectiveMode {
    /// Code as written in the model file.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            ObjectiveMode::Weighted => "weighted",
            ObjectiveMode::Lexicographic => "lexicographic",
        }
    }
}

/// Policy values set by the council.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// How aims are weighed.
    pub objective: ObjectiveMode,
    /// Weight, in £, per child placed outside the borough.
    pub out_of_borough_weight: Money,
    /// Penalty, in £, per child left without a suitable place.
    pub unmet_penalty: Money,
}

/// Home-to-school transport cost and the travel estimate used without a road network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransportCosts {
    /// £ a year per child transported, whatever the distance.
    pub fixed_per_child: Money,
    /// £ per km of each journey.
    pub cost_per_km: Money,
    /// £ per minute of each journey.
    pub cost_per_minute: Money,
    /// Journeys a day (there and back: 2).
    pub journeys_per_day: f64,
    /// School days a year.
    pub school_days: f64,
    /// Road km per straight-line km.
    pub circuity: f64,
    /// Average speed, km/h, for straight-line estimates and access legs.
    pub average_speed_kmh: f64,
    /// Farthest, in straight-line km, a locality or setting may lie from its nearest road
    /// node before the network is said not to reach it.
    pub max_access_km: f64,
}

impl TransportCosts {
    /// Annual transport cost of one child making this journey.
    #[must_use]
    pub fn annual_cost(&self, journey: Journey) -> Money {
        let per_journey = self.cost_per_km * journey.km + self.cost_per_minute * journey.minutes;
        self.fixed_per_child + per_journey * (self.journeys_per_day * self.school_days)
    }
}

/// A road junction or town on the travel network.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadNode {
    /// Id as written in the tables.
    pub id: String,
    /// Where it is.
    pub position: Point<f64>,
}

/// A two-way road between two nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoadEdge {
    /// One end (index into the node list).
    pub from: usize,
    /// Other end.
    pub to: usize,
    /// Minutes and km along it.
    pub journey: Journey,
}

/// The road network, when the model gives one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoadNetwork {
    /// Nodes.
    pub nodes: Vec<RoadNode>,
    /// Edges.
    pub edges: Vec<RoadEdge>,
}

/// A validated planning model: everything the optimiser needs for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Name of the authority or scenario.
    pub name: String,
    /// The school year planned (the base year of a multi-year model).
    pub planning_year: SchoolYear,
    /// Free text from the model file.
    pub description: String,
    /// Declared need codes.
    pub needs: Vec<String>,
    /// Declared phases.
    pub phases: Vec<PhaseInfo>,
    /// Home localities.
    pub localities: Vec<Locality>,
    /// Settings.
    pub settings: Vec<Setting>,
    /// Forecast demand.
    pub demand: Vec<DemandRow>,
    /// Children of the demand already placed, who stay where they are (part of `demand`).
    pub staying: Vec<Staying>,
    /// Caps on children from one locality at one setting.
    pub locality_caps: Vec<LocalityCap>,
    /// Policy values.
    pub policy: Policy,
    /// Transport costs.
    pub transport: TransportCosts,
    /// Road network, if given.
    pub network: Option<RoadNetwork>,
    /// Files the model was read from, for the method note.
    pub sources: Vec<String>,
    /// The planning horizon, for a multi-year model.
    pub horizon: Option<Horizon>,
    /// Candidate capital schemes (appraised by `sufficiency schemes`; `solve` ignores them).
    pub schemes: Vec<Scheme>,
    /// How schemes are appraised.
    pub appraisal: Appraisal,
    /// Ways of buying independent places besides spot purchase (commissioning options).
    pub purchasing: Vec<PurchasingOption>,
    /// How the sufficiency statement annex is published.
    pub annex: AnnexSettings,
    /// How costs rise a year after the base year.
    pub uplift: Uplift,
    /// What is worth knowing about how the files were read, though nothing is wrong (a
    /// table's encoding assumed): shown as notes, not errors.
    pub notes: Vec<input::Problem>,
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

/// The unit in which children are counted: a thousandth of a child. Every count of
/// children the optimiser sees (forecast need, places, caps, children staying) is rounded to
/// it when a model is read and when a year's model is made, so every solver sees the same
/// numbers, the plan is read back in the same unit, and every figure reported adds up. (A
/// forecast of 10.0000001 children is 10; one of 0.0004 is none.)
pub const CHILD_UNIT: f64 = 1.0 / UNITS_PER_CHILD;

/// [`CHILD_UNIT`]s in a child.
const UNITS_PER_CHILD: f64 = 1_000.0;

/// `children` to the nearest [`CHILD_UNIT`] (the nearest float to it: 2.3, not
/// 2.3000000000000003).
#[must_use]
pub fn in_child_units(children: f64) -> f64 {
    (children * UNITS_PER_CHILD).round() / UNITS_PER_CHILD
}

impl Model {
    /// Rounds every count of children given to the [`CHILD_UNIT`]: forecast need and places
    /// (in total, by need, and by year), locality caps. Children staying are not rounded:
    /// they are the share of last year's placements still there, fitted to this year's need
    /// and places, and rounding them on their own could make them more than either.
    pub fn count_in_child_units(&mut self) {
        for d in &mut self.demand {
            d.children = in_child_units(d.children);
        }
        for s in &mut self.settings {
            s.places = in_child_units(s.places);
            for t in &mut s.need_terms {
                t.places = t.places.map(in_child_units);
            }
        }
        for c in &mut self.locality_caps {
            c.max_children = in_child_units(c.max_children);
        }
        if let Some(h) = &mut self.horizon {
            for p in &mut h.places {
                *p = in_child_units(*p);
            }
            if let NeedByYear::Direct(years) = &mut h.need {
                for d in years.iter_mut().flatten() {
                    d.children = in_child_units(d.children);
                }
            }
        }
    }

    /// Code of a need.
    #[must_use]
    pub fn need_code(&self, need: Need) -> &str {
        &self.needs[need.0]
    }
    /// Code of a phase.
    #[must_use]
    pub fn phase_code(&self, phase: Phase) -> &str {
        &self.phases[phase.0].code
    }
    /// A locality.
    #[must_use]
    pub fn locality(&self, ix: LocalityIx) -> &Locality {
        &self.localities[ix.0]
    }
    /// A setting.
    #[must_use]
    pub fn setting(&self, ix: SettingIx) -> &Setting {
        &self.settings[ix.0]
    }
    /// Transport a year of one child to setting `s` by `journey`: the market step's own
    /// figure where it gives one, otherwise the model's formula.
    #[must_use]
    pub fn transport_cost(&self, s: SettingIx, journey: Journey) -> Money {
        self.setting(s)
            .market
            .and_then(|m| m.transport_per_child)
            .unwrap_or_else(|| self.transport.annual_cost(journey))
    }

    /// Total forecast children.
    #[must_use]
    pub fn total_children(&self) -> f64 {
        self.demand.iter().map(|d| d.children).sum()
    }

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
                .filter(|o| u32::try_from(k).is_ok_and(|k| o.runs_in(k)))
                .map(|o| o.years_on(k))
                .collect(),
            annex: self.annex.clone(),
            uplift: self.uplift,
        };
        year.count_in_child_units();
        year
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(0.0, "0")]
    #[case(905.0, "905")]
    #[case(-905.0, "-905")]
    #[case(1_217.0, "1,217")]
    #[case(-1_217.0, "-1,217")]
    #[case(-123_456.0, "-123,456")]
    fn thousands_are_grouped_after_the_sign(#[case] v: f64, #[case] text: &str) {
        assert_eq!(group_thousands(v), text);
    }

    #[test]
    fn children_are_counted_to_a_thousandth() {
        assert_eq!(in_child_units(2.3000004), 2.3);
        assert_eq!(in_child_units(10.000001), 10.0);
        assert_eq!(in_child_units(0.0004), 0.0);
        assert_eq!(in_child_units(0.0005), 0.001);
        let mut model = crate::testing::tiny_model();
        model.demand[0].children = 2.0014;
        model.settings[0].places = 2.99996;
        model.staying.push(Staying { demand: 0, setting: SettingIx(1), children: 1.0007 });
        model.count_in_child_units();
        assert_eq!(model.demand[0].children, 2.001);
        assert_eq!(model.settings[0].places, 3.0);
        assert_eq!(model.staying[0].children, 1.0007, "children staying are as last year left them");
    }

    #[rstest]
    #[case(0.0, "£0")]
    #[case(999.4, "£999")]
    #[case(1_000.0, "£1,000")]
    #[case(1_234_567.5, "£1,234,568")]
    #[case(-52_000.0, "-£52,000")]
    fn money_is_shown_in_whole_pounds(#[case] pounds: f64, #[case] shown: &str) {
        assert_eq!(Money(pounds).to_string(), shown);
    }

    #[test]
    fn special_school_meets_resourced_provision_need_but_not_the_reverse() {
        assert!(SettingKind::IndependentSpecial.provision() >= Provision::ResourcedProvision);
        assert!(SettingKind::ResourcedProvision.provision() < Provision::SpecialSchool);
    }

    #[test]
    fn transport_cost_is_fixed_part_plus_rate_over_the_school_year() {
        let t = TransportCosts {
            fixed_per_child: Money(1000.0),
            cost_per_km: Money(0.5),
            cost_per_minute: Money(0.1),
            journeys_per_day: 2.0,
            school_days: 190.0,
            circuity: 1.3,
            average_speed_kmh: 40.0,
            max_access_km: 15.0,
        };
        // 10 km, 20 min: per journey 5 + 2 = 7; × 380 journeys = 2,660; + 1,000.
        let cost = t.annual_cost(Journey { minutes: 20.0, km: 10.0 });
        assert!((cost.pounds() - 3660.0).abs() < 1e-9);
    }

    #[test]
    fn code_sets_hold_what_was_inserted() {
        let mut s = CodeSet::default();
        s.insert(3);
        s.insert(11);
        assert!(s.contains(3) && s.contains(11) && !s.contains(4));
        assert_eq!(s.len(), 2);
        assert_eq!(CodeSet::all(12).len(), 12);
        assert_eq!(CodeSet::all(64).len(), 64);
    }
}

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

/// A national curriculum year group: N1 = -2, N2 = -1, R = 0, then 1 to 14.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearGroup(pub i8);

impl YearGroup {
    /// The first year group (N1).
    pub const FIRST: YearGroup = YearGroup(-2);
    /// The last year group (14).
    pub const LAST: YearGroup = YearGroup(14);

    /// Parses `N1`, `N2`, `R`, `0`..`14`, `-2`, `-1`.
    #[must_use]
    pub fn parse(text: &str) -> Option<YearGroup> {
        let t = text.trim();
        let v: i8 = match t.to_ascii_uppercase().as_str() {
            "N1" => -2,
            "N2" => -1,
            "R" => 0,
            other => other.strip_prefix('Y').unwrap_or(other).parse().ok()?,
        };
        (-2..=14).contains(&v).then_some(YearGroup(v))
    }

    /// Every year group, N1 to 14.
    pub fn all() -> impl Iterator<Item = YearGroup> {
        (-2..=14).map(YearGroup)
    }

    /// Position from 0 (N1) to 16 (14), for tables indexed by year group.
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

    /// The phase a year group belongs to, if any.
    #[must_use]
    pub fn phase_of(&self, yg: YearGroup) -> Option<Phase> {
        self.phase_year_groups.iter().position(|(a, b)| (*a..=*b).contains(&yg)).map(Phase)
    }
}

/// Kind of capital scheme: a new setting, or more places at an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeSite {
    /// A new setting: a school, a resourced provision, a satellite site.
    New,
    /// More places at an existing setting (index into [`Model::settings`]).
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
    /// Schemes that must be built for this one to be (indexes into [`Model::schemes`]).
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
}

impl Scheme {
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
    /// All the capital in the year the scheme opens, discounted to the base year.
    Upfront,
}

/// A way of buying places at independent and non-maintained schools other than spot
/// purchase at each school's own fee (which is always open).
#[derive(Debug, Clone, PartialEq)]
pub struct PurchasingOption {
    /// Id as written in the tables.
    pub id: String,
    /// Name shown in reports.
    pub name: String,
    /// Settings it covers.
    pub settings: Vec<SettingIx>,
    /// Needs it covers.
    pub needs: CodeSet,
    /// Phases it covers.
    pub phases: CodeSet,
    /// Its terms.
    pub terms: PurchasingTerms,
    /// How long it runs and how its prices rise.
    pub contract: Contract,
    /// Share of the children offered through it that providers accept (a framework does not
    /// guarantee a place: 1 = all, 0.8 = four in five); the rest are bought at spot prices.
    pub acceptance: f64,
}

/// How long a commissioning option runs from the first year planned, and how its own prices
/// (caps, bands, fees, block sums, prices beyond the blocks) rise a year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contract {
    /// Years it runs (none: for as long as is planned).
    pub years: Option<u32>,
    /// Its prices' rise a year (0.03 is 3%).
    pub uplift: f64,
}

impl Default for Contract {
    fn default() -> Contract {
        Contract { years: None, uplift: 0.0 }
    }
}

/// The terms of a [`PurchasingOption`].
#[derive(Debug, Clone, PartialEq)]
pub enum PurchasingTerms {
    /// A framework or purchasing system: member schools' prices by rule, for a fee to join.
    Framework {
        /// Fraction off each school's own fee (0 to 1).
        discount: f64,
        /// Caps and bands by need and phase, applied after the discount.
        prices: Vec<PriceRule>,
        /// £ a year for belonging, used or not.
        joining_fee: Money,
        /// £ a year per child placed through it, on top of the price.
        fee_per_placement: Money,
        /// Most children one school takes through it, if capped.
        max_children_per_setting: Option<f64>,
    },
    /// A block contract at one school: places reserved in whole blocks for a fixed annual
    /// sum, paid whether used or not; with `above`, a cost-and-volume contract.
    Block {
        /// Places in one block.
        block_places: f64,
        /// £ a year for one block.
        block_price: Money,
        /// Most blocks that can be bought.
        max_blocks: u32,
        /// Children beyond the blocks at an agreed price each (cost and volume), and the
        /// most of them.
        above: Option<(Money, f64)>,
    },
}

/// How a framework prices a need and phase.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceRule {
    /// Needs it prices.
    pub needs: CodeSet,
    /// Phases it prices.
    pub phases: CodeSet,
    /// A cap (no more than) or a band (exactly).
    pub kind: PriceRuleKind,
    /// £ a year per child.
    pub price: Money,
}

/// Whether a [`PriceRule`] caps the price or sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceRuleKind {
    /// The price is at most this.
    Cap,
    /// The price is this, whatever the school's own fee.
    Band,
}

impl PurchasingOption {
    /// Whether it covers need `n` and phase `p` at setting `s`.
    #[must_use]
    pub fn covers_at(&self, s: SettingIx, n: Need, p: Phase) -> bool {
        self.settings.contains(&s) && self.covers(n, p)
    }

    /// Price a year of one child of need `n` and phase `p` through it, at a school whose own
    /// fee is `fee` (framework), or within the blocks (block: 0, the blocks are paid for).
    #[must_use]
    pub fn price(&self, fee: Money, n: Need, p: Phase) -> Money {
        match &self.terms {
            PurchasingTerms::Framework { discount, prices, fee_per_placement, .. } => {
                let mut price = fee * (1.0 - discount);
                if let Some(rule) = prices.iter().find(|r| r.covers(n, p)) {
                    price = match rule.kind {
                        PriceRuleKind::Cap => Money(price.0.min(rule.price.0)),
                        PriceRuleKind::Band => rule.price,
                    };
                }
                price + *fee_per_placement
            }
            PurchasingTerms::Block { .. } => Money(0.0),
        }
    }

    /// Whether it is a block contract.
    #[must_use]
    pub fn is_block(&self) -> bool {
        matches!(self.terms, PurchasingTerms::Block { .. })
    }

    /// Whether it is still running `k` years after the first year planned.
    #[must_use]
    pub fn runs_in(&self, k: u32) -> bool {
        self.contract.years.is_none_or(|y| k < y)
    }

    /// The option `k` years on: its own prices raised by its contract's uplift. (A framework's
    /// discount follows each school's fee, which `[uplift]` raises.)
    #[must_use]
    pub fn years_on(&self, k: i32) -> PurchasingOption {
        let f = (1.0 + self.contract.uplift).powi(k);
        let mut o = self.clone();
        match &mut o.terms {
            PurchasingTerms::Framework { prices, joining_fee, fee_per_placement, .. } => {
                for rule in prices {
                    rule.price = rule.price * f;
                }
                *joining_fee = *joining_fee * f;
                *fee_per_placement = *fee_per_placement * f;
            }
            PurchasingTerms::Block { block_price, above, .. } => {
                *block_price = *block_price * f;
                if let Some((price, _)) = above {
                    *price = *price * f;
                }
            }
        }
        o
    }
}

/// How schemes are appraised: HM Treasury Green Book discounting by default.
#[derive(Debug, Clone, PartialEq)]
pub struct Appraisal {
    /// Discount rate a year (0.035 = 3.5%).
    pub discount_rate: f64,
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
    /// Independent and market places have none (their fee is paid per child).
    #[must_use]
    pub fn place_funding(&self, kind: SettingKind) -> Money {
        match kind {
            SettingKind::ResourcedProvision => self.place_funding_resourced,
            k if k.is_independent() => Money(0.0),
            _ => self.place_funding_special,
        }
    }
}

/// Place funding a year of a special school place (shared/domain/figures.md, "Cost per place").
pub const PLACE_FUNDING_SPECIAL: f64 = 10_000.0;
/// Place funding a year of a resourced provision or unit place (as above).
pub const PLACE_FUNDING_RESOURCED: f64 = 6_000.0;

/// `[annex]`: how the sufficiency statement annex is published.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnexSettings {
    /// Counts of children from 1 to this less one are withheld (5: counts of 1 to 4).
    pub suppression_threshold: f64,
    /// Capital budget the schemes in the annex are chosen within (none: no limit).
    pub capital_budget: Option<Money>,
    /// The council the annex is published by, for its title and headings (none: the
    /// model's name).
    pub council: Option<String>,
    /// The council's own commentary: (section id, text), in the order of
    /// [`COMMENTARY_SECTIONS`]; each is placed at the start of its section.
    pub commentary: Vec<(String, String)>,
    /// All the authority's EHC plans by type of setting as the DfE publishes them
    /// (`[annex] caseload`), shown for context: the file's name and its figures.
    pub caseload: Option<(String, input::sen2::Caseload)>,
    /// The council's boundaries of its localities (`[annex] areas`), drawn on the borough
    /// map and written as the localities' GIS layer (none: localities are points).
    pub areas: Option<Areas>,
}

/// One locality's area: polygons, each its outer ring then its holes, each ring a list of
/// (longitude, latitude) positions in WGS84, not repeating its first position at the end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Area {
    /// The polygons (empty: the locality has no area).
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

/// The boundaries of the model's localities, from the council's GeoJSON file.
#[derive(Debug, Clone, PartialEq)]
pub struct Areas {
    /// The file's name (without its folder), for the annex's captions.
    pub file: String,
    /// Each locality's area, by [`LocalityIx`] (every locality in the borough has one).
    pub of_locality: Vec<Area>,
}

/// The annex's sections the council may write commentary for: the key under
/// `[annex.commentary]`, and the section's id (`introduction` is a section of its own, first).
pub const COMMENTARY_SECTIONS: [(&str, &str); 8] = [
    ("introduction", "introduction"),
    ("need", "need"),
    ("places", "places"),
    ("places_required", "places-required"),
    ("placements", "placements"),
    ("schemes", "schemes"),
    ("commissioning", "commissioning"),
    ("method", "method"),
];

/// Counts below this are withheld unless the model says otherwise (as in DfE statistics).
pub const DEFAULT_SUPPRESSION_THRESHOLD: f64 = 5.0;

impl Default for AnnexSettings {
    fn default() -> AnnexSettings {
        AnnexSettings {
            suppression_threshold: DEFAULT_SUPPRESSION_THRESHOLD,
            capital_budget: None,
            council: None,
            commentary: Vec::new(),
            caseload: None,
            areas: None,
        }
    }
}

/// The Green Book's discount rate.
pub const GREEN_BOOK_RATE: f64 = 0.035;

impl Default for Appraisal {
    fn default() -> Appraisal {
        Appraisal {
            discount_rate: GREEN_BOOK_RATE,
            capital: CapitalMethod::Annualised,
            asset_life_years: 40.0,
            variants: Vec::new(),
            place_funding_special: Money(PLACE_FUNDING_SPECIAL),
            place_funding_resourced: Money(PLACE_FUNDING_RESOURCED),
        }
    }
}

impl Appraisal {
    /// Factor that brings £1 in year `k` (0 = base year) to base-year value.
    #[must_use]
    pub fn discount(&self, k: usize) -> f64 {
        (1.0 + self.discount_rate).powi(-i32::try_from(k).unwrap_or(i32::MAX))
    }

    /// The equivalent annual cost of `capital` over the asset life (an annuity at the
    /// discount rate; straight-line if the rate is 0).
    #[must_use]
    pub fn annual_equivalent(&self, capital: Money) -> Money {
        let r = self.discount_rate;
        let n = self.asset_life_years;
        if r <= 0.0 { Money(capital.0 / n) } else { Money(capital.0 * r / (1.0 - (1.0 + r).powf(-n))) }
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
    #[case("15", None)]
    #[case("X", None)]
    fn year_groups_parse(#[case] text: &str, #[case] v: Option<i8>) {
        assert_eq!(YearGroup::parse(text).map(|y| y.0), v);
        if let Some(v) = v {
            assert_eq!(YearGroup::parse(&YearGroup(v).to_string()), Some(YearGroup(v)));
        }
    }
}

#[cfg(test)]
mod scheme_tests {
    use crate::model::{Appraisal, Money, SchoolYear};
    use crate::testing::ModelBuilder;

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
