//! Transport commissioning options (`tables.transport_options`): independent travel training,
//! personal transport budgets and shared routes, each taken up by a share of the transported
//! children of its needs and phases, and what a child's home-to-school transport costs a year
//! with it.

use super::{CodeSet, Covers, Journey, Money, TransportCosts};

/// Kilometres in a mile (journeys are kept in km; a personal budget is paid by the mile).
pub const KM_PER_MILE: f64 = 1.609_344;

/// A way of providing home-to-school transport other than the council's own.
#[derive(Debug, Clone, PartialEq)]
pub struct TransportOption {
    /// Id as written in the table.
    pub id: String,
    /// Name shown in reports.
    pub name: String,
    /// What it is, with its terms.
    pub kind: TransportKind,
    /// Needs it is offered to.
    pub needs: CodeSet,
    /// Phases it is offered to.
    pub phases: CodeSet,
    /// Share of the eligible children who take it, 0 to 1.
    pub take_up: f64,
}

/// The kinds of transport option, with their terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TransportKind {
    /// Independent travel training: a one-off cost a child; the child then travels alone and
    /// the journey costs the council nothing for `lasts_years` years.
    TravelTraining {
        /// £ a child, once.
        cost_per_child: Money,
        /// Years the saving lasts (the one-off cost is spread over them).
        lasts_years: f64,
    },
    /// A personal transport budget: the family is paid by the mile of the journey, instead
    /// of the council's transport.
    PersonalBudget {
        /// £ a mile of each journey.
        per_mile: Money,
    },
    /// A shared route: the child's transport costs this share less.
    SharedRoute {
        /// Share by which a child's transport cost falls, 0 to 1.
        saving_share: f64,
    },
}

impl TransportKind {
    /// The code as written in the `kind` column.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            TransportKind::TravelTraining { .. } => "travel-training",
            TransportKind::PersonalBudget { .. } => "personal-budget",
            TransportKind::SharedRoute { .. } => "shared-route",
        }
    }
}

impl TransportOption {
    /// A year's transport of one child who takes the option, where it cost `before` a year
    /// and the journey each way is `journey` (`transport`: the journeys a day and school days
    /// a year the model's transport cost uses):
    /// - travel training: `cost_per_child ÷ lasts_years` (the one-off cost spread over the
    ///   years the saving lasts; the journey itself costs nothing);
    /// - personal budget: `per_mile × km ÷ 1.609344 × journeys_per_day × school_days`;
    /// - shared route: `before × (1 − saving_share)`.
    #[must_use]
    pub fn cost_after(&self, before: Money, journey: Journey, transport: &TransportCosts) -> Money {
        match self.kind {
            TransportKind::TravelTraining { cost_per_child, lasts_years } => cost_per_child * (1.0 / lasts_years),
            TransportKind::PersonalBudget { per_mile } => {
                per_mile * (journey.km / KM_PER_MILE * transport.journeys_per_day * transport.school_days)
            }
            TransportKind::SharedRoute { saving_share } => before * (1.0 - saving_share),
        }
    }

    /// The option with its £ terms raised by `factor` (a year's `[uplift] transport`).
    #[must_use]
    pub fn raised(&self, factor: f64) -> TransportOption {
        let kind = match self.kind {
            TransportKind::TravelTraining { cost_per_child, lasts_years } => {
                TransportKind::TravelTraining { cost_per_child: cost_per_child * factor, lasts_years }
            }
            TransportKind::PersonalBudget { per_mile } => TransportKind::PersonalBudget { per_mile: per_mile * factor },
            shared @ TransportKind::SharedRoute { .. } => shared,
        };
        TransportOption { kind, ..self.clone() }
    }
}

impl Covers for TransportOption {
    fn needs(&self) -> CodeSet {
        self.needs
    }
    fn phases(&self) -> CodeSet {
        self.phases
    }
}
