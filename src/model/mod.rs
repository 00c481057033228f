//! Validated domain types: needs, phases, localities, settings, demand, policy.
//!
//! Everything here has passed input validation: ids are resolved to indices, codes are
//! declared, numbers are finite and in range. The optimiser and the reports see only these
//! types, never raw rows.
//!
//! The [`Model`] is here; its parts are in files of their own, named here as well: codes
//! (needs and phases), money, setting, demand (localities and children needing a place),
//! roads (journeys and transport), policy, risk (the spread of the futures drawn), years
//! (school years, year groups, the horizon), schemes (capital schemes and their appraisal),
//! purchasing (commissioning options), transport_options (transport commissioning options),
//! high_needs (the high-needs block of the Dedicated Schools Grant) and annex (how the annex
//! is published).

pub mod input;

mod annex;
mod codes;
mod demand;
mod high_needs;
mod money;
mod policy;
mod purchasing;
mod risk;
mod roads;
mod schemes;
mod setting;
mod transport_options;
mod years;

pub use annex::{
    AnnexSettings, Area, Areas, COMMENTARY_SECTIONS, DEFAULT_RISK_DRAWS, DEFAULT_RISK_SEED,
    DEFAULT_SUPPRESSION_THRESHOLD,
};
pub use codes::{
    CodeSet, Covers, DEFAULT_PHASES, DFE_NEED_CODES, LocalityIx, MAX_CODES, Need, Phase, PhaseInfo, SettingIx,
};
pub use demand::{CHILD_UNIT, DemandRow, Locality, Staying, in_child_units};
pub use high_needs::{Growing, Growth, HighNeeds, OtherSpend};
pub use money::{Money, group_thousands};
pub use policy::{LocalityCap, ObjectiveMode, Policy, TierSplit, TransportShares};
pub use purchasing::{Contract, PriceRule, PriceRuleKind, PurchasingOption, PurchasingTerms};
pub use risk::{Risk, Triangle};
pub use roads::{Journey, RoadEdge, RoadNetwork, RoadNode, TransportCosts};
pub use schemes::{
    Appraisal, CapitalMethod, GREEN_BOOK_RATE, PLACE_FUNDING_RESOURCED, PLACE_FUNDING_SPECIAL, Scheme, SchemePlaces,
    SchemeSite,
};
pub use setting::{MarketStep, NeedTerms, Provision, Register, Residence, Setting, SettingKind};
pub use transport_options::{KM_PER_MILE, TransportKind, TransportOption};
pub use years::{
    CohortRow, CurrentPlacement, DEFAULT_PHASE_YEAR_GROUPS, Horizon, NeedByYear, Rates, SchoolYear, Uplift, YearGroup,
    YearInstance,
};

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
    /// The planning horizon, for a multi-year model (what plans the years ahead takes it with
    /// the model as [`Model::years_ahead`]).
    pub horizon: Option<Horizon>,
    /// Candidate capital schemes (appraised by `sufficiency schemes`; `solve` ignores them).
    pub schemes: Vec<Scheme>,
    /// How schemes are appraised.
    pub appraisal: Appraisal,
    /// Ways of buying independent places besides spot purchase (commissioning options).
    pub purchasing: Vec<PurchasingOption>,
    /// Ways of providing home-to-school transport besides the council's own (transport
    /// commissioning options, appraised by `commission`).
    pub transport_options: Vec<TransportOption>,
    /// How the sufficiency statement annex is published.
    pub annex: AnnexSettings,
    /// How costs rise a year after the base year.
    pub uplift: Uplift,
    /// The high-needs block of the Dedicated Schools Grant (`[high_needs]`), if stated.
    pub high_needs: Option<HighNeeds>,
    /// How the futures of `schemes --draws` spread (`[risk]`).
    pub risk: Risk,
    /// What is worth knowing about how the files were read, though nothing is wrong (a
    /// table's encoding assumed): shown as notes, not errors.
    pub notes: Vec<input::Problem>,
}

impl Model {
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
    /// Transport a year of one child placed at setting `s` by `journey`: the market step's own
    /// figure where it gives one, otherwise the model's formula; times the share of children at
    /// that kind of setting who get transport (`[policy.share_transported]`, 1 unless set).
    #[must_use]
    pub fn transport_cost(&self, s: SettingIx, journey: Journey) -> Money {
        self.transport_cost_each(s, journey) * self.policy.share_transported.of(self.setting(s).kind)
    }

    /// Transport a year of one child placed at setting `s` by `journey` who is transported:
    /// the market step's own figure where it gives one, otherwise the model's formula.
    #[must_use]
    pub fn transport_cost_each(&self, s: SettingIx, journey: Journey) -> Money {
        let setting = self.setting(s);
        setting.market.and_then(|m| m.transport_per_child).unwrap_or_else(|| self.transport.annual_cost(journey))
    }

    /// Total forecast children.
    #[must_use]
    pub fn total_children(&self) -> f64 {
        self.demand.iter().map(|d| d.children).sum()
    }

    /// Whether the demand holds children of a tier short of a specialist place (supported
    /// mainstream, an inclusion base, alternative provision, other arrangements): a model of
    /// every EHC plan, not only of those needing a specialist place.
    #[must_use]
    pub fn holds_every_plan(&self) -> bool {
        self.demand.iter().any(|d| !d.provision.is_specialist())
    }

    /// Forecast children needing a specialist place (a resourced provision or a special
    /// school: [`Provision::is_specialist`]).
    #[must_use]
    pub fn specialist_children(&self) -> f64 {
        self.demand.iter().filter(|d| d.provision.is_specialist()).map(|d| d.children).sum()
    }

    /// The model with its years ahead, for a multi-year model (none: a single-year model).
    #[must_use]
    pub fn years_ahead(&self) -> Option<YearsAhead<'_>> {
        self.horizon.as_ref().map(|horizon| YearsAhead { model: self, horizon })
    }
}

/// A multi-year model: the model and its horizon together. Only [`Model::years_ahead`]
/// makes one, so what plans or forecasts the years ahead cannot be given a single-year model:
/// the command asks once whether there are years ahead, and nothing below it asks again.
#[derive(Debug, Clone, Copy)]
pub struct YearsAhead<'a> {
    model: &'a Model,
    horizon: &'a Horizon,
}

impl<'a> YearsAhead<'a> {
    /// The model.
    #[must_use]
    pub fn model(self) -> &'a Model {
        self.model
    }

    /// Its horizon: the years planned and where each year's need comes from.
    #[must_use]
    pub fn horizon(self) -> &'a Horizon {
        self.horizon
    }
}
