//! Settings: the schools and units offering specialist places, their kind, places, fees
//! by need, and the steps of the independent market.

use geo::Point;
use serde::Serialize;

use super::{CodeSet, Covers, Journey, Money, Need, Phase};

/// The least kind of provision a child needs (the tier their plan is met at). The first four
/// are ordered, each met by its own kind of setting or any above it: a special school also
/// meets a need a resourced provision would meet, and a base or resourced provision one that
/// supported mainstream would. Alternative provision and other arrangements (education
/// otherwise than at school, elective home education, not in education) are met only by
/// their own kind of setting: a child there is counted where they are, never moved up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provision {
    /// A mainstream school or college with support (top-up funding), or anything above.
    Mainstream,
    /// An inclusion base (enhanced mainstream), a resourced provision or any special school.
    InclusionBase,
    /// A resourced provision or unit in a mainstream school, or any special school.
    ResourcedProvision,
    /// A special school (state, another authority's, independent, non-maintained or a
    /// specialist post-16 institution).
    SpecialSchool,
    /// Alternative provision (a pupil referral unit, AP academy or AP free school) only.
    AlternativeProvision,
    /// Other arrangements only (education otherwise than at school, at home, not in
    /// education, employment or training).
    Elsewhere,
}

impl Provision {
    /// Every tier, in report order.
    pub const ALL: [Provision; 6] = [
        Provision::Mainstream,
        Provision::InclusionBase,
        Provision::ResourcedProvision,
        Provision::SpecialSchool,
        Provision::AlternativeProvision,
        Provision::Elsewhere,
    ];

    /// Code as written in the demand table.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Provision::Mainstream => "mainstream",
            Provision::InclusionBase => "inclusion-base",
            Provision::ResourcedProvision => "resourced-provision",
            Provision::SpecialSchool => "special-school",
            Provision::AlternativeProvision => "alternative-provision",
            Provision::Elsewhere => "elsewhere",
        }
    }

    /// Parses a demand-table code (blank and `any` are read as `resourced-provision` by
    /// the table readers, before this).
    #[must_use]
    pub fn from_code(code: &str) -> Option<Provision> {
        Provision::ALL.into_iter().find(|p| p.code() == code)
    }

    /// What a reader is told the children need where need goes unmet: blank, `any` and
    /// `resourced-provision` all mean any specialist place will do (a resourced provision or
    /// a special school), so that is said rather than the code, which reads as a resourced
    /// provision only.
    #[must_use]
    pub fn needed(self) -> &'static str {
        match self {
            Provision::ResourcedProvision => "any specialist place",
            Provision::Mainstream => "a mainstream place with support",
            Provision::InclusionBase => "an inclusion base or specialist place",
            Provision::SpecialSchool => "special-school",
            Provision::AlternativeProvision => "alternative provision",
            Provision::Elsewhere => "other arrangements",
        }
    }

    /// Whether a child needing this is counted as needing a specialist place (a resourced
    /// provision or unit, or a special school): the DfE's SCAP forecast counts these.
    #[must_use]
    pub fn is_specialist(self) -> bool {
        matches!(self, Provision::ResourcedProvision | Provision::SpecialSchool)
    }

    /// Whether a setting of `kind` meets this need: along the ordered tiers, its own tier or
    /// one above; alternative provision and other arrangements, their own kind only.
    #[must_use]
    pub fn met_by(self, kind: SettingKind) -> bool {
        let offered = kind.provision();
        let ordered = |p: Provision| p <= Provision::SpecialSchool;
        if ordered(self) && ordered(offered) { offered >= self } else { offered == self }
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
    /// Mainstream schools taking children with plans, with top-up funding (often a
    /// locality's schools as one pool; its places are the council's policy).
    Mainstream,
    /// An inclusion base or enhanced mainstream provision: a mainstream school's base for
    /// children who spend part of the day in it, short of a resourced provision.
    InclusionBase,
    /// Alternative provision: a pupil referral unit, AP academy or AP free school.
    AlternativeProvision,
    /// A general further education or sixth-form college (post-16, with support).
    GeneralFe,
    /// An early years setting not maintained by the council (a nursery or childminder).
    EarlyYears,
    /// Other arrangements: education otherwise than at school arranged by the council or
    /// parents, elective home education, not in education, employment or training.
    OtherArrangements,
}

impl SettingKind {
    /// Every kind, in report order.
    pub const ALL: [SettingKind; 14] = [
        SettingKind::MaintainedSpecial,
        SettingKind::AcademySpecial,
        SettingKind::ResourcedProvision,
        SettingKind::IndependentSpecial,
        SettingKind::NonMaintainedSpecial,
        SettingKind::OtherAuthoritySpecial,
        SettingKind::SpecialistPost16,
        SettingKind::IndependentMarket,
        SettingKind::Mainstream,
        SettingKind::InclusionBase,
        SettingKind::AlternativeProvision,
        SettingKind::GeneralFe,
        SettingKind::EarlyYears,
        SettingKind::OtherArrangements,
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
            SettingKind::Mainstream => "mainstream",
            SettingKind::InclusionBase => "inclusion-base",
            SettingKind::AlternativeProvision => "alternative-provision",
            SettingKind::GeneralFe => "general-fe",
            SettingKind::EarlyYears => "early-years",
            SettingKind::OtherArrangements => "other-arrangements",
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
            SettingKind::Mainstream => "Mainstream school with support",
            SettingKind::InclusionBase => "Inclusion base (enhanced mainstream)",
            SettingKind::AlternativeProvision => "Alternative provision",
            SettingKind::GeneralFe => "General further education college",
            SettingKind::EarlyYears => "Early years setting",
            SettingKind::OtherArrangements => "Other arrangements",
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
            SettingKind::Mainstream | SettingKind::GeneralFe | SettingKind::EarlyYears => Provision::Mainstream,
            SettingKind::InclusionBase => Provision::InclusionBase,
            SettingKind::AlternativeProvision => Provision::AlternativeProvision,
            SettingKind::OtherArrangements => Provision::Elsewhere,
            SettingKind::MaintainedSpecial
            | SettingKind::AcademySpecial
            | SettingKind::IndependentSpecial
            | SettingKind::NonMaintainedSpecial
            | SettingKind::OtherAuthoritySpecial
            | SettingKind::SpecialistPost16
            | SettingKind::IndependentMarket => Provision::SpecialSchool,
        }
    }

    /// Whether its places are specialist places (a special school, a resourced provision or
    /// unit, or a specialist post-16 institution; independent ones included).
    #[must_use]
    pub fn is_specialist(self) -> bool {
        self.provision().is_specialist()
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
    /// For an inclusion programme's places: the tiers they take, in place of its kind's rule
    /// ([`Provision::met_by`]), children who would otherwise need a resourced provision or
    /// special school; empty for every other setting (its kind's rule).
    pub programme_tiers: Vec<Provision>,
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
        self.covers(need, phase) && self.meets(provision)
    }

    /// Whether it meets a child of this tier: its kind does ([`Provision::met_by`]); for an
    /// inclusion programme's places, the tier is one of those it takes.
    #[must_use]
    pub fn meets(&self, provision: Provision) -> bool {
        if self.programme_tiers.is_empty() {
            provision.met_by(self.kind)
        } else {
            self.programme_tiers.contains(&provision)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inclusion_programmes_places_take_its_tiers_and_no_other() {
        // An inclusion base meets the base and mainstream tiers; as a programme's places
        // taking resourced-provision and special-school children, those two only.
        let mut s = crate::testing::tiny_model().settings[0].clone();
        s.kind = SettingKind::InclusionBase;
        let met = |s: &Setting| Provision::ALL.into_iter().filter(|&p| s.meets(p)).collect::<Vec<_>>();
        assert_eq!(met(&s), [Provision::Mainstream, Provision::InclusionBase]);
        s.programme_tiers = vec![Provision::ResourcedProvision, Provision::SpecialSchool];
        assert_eq!(met(&s), [Provision::ResourcedProvision, Provision::SpecialSchool]);
    }

    #[test]
    fn special_school_meets_resourced_provision_need_but_not_the_reverse() {
        assert!(Provision::ResourcedProvision.met_by(SettingKind::IndependentSpecial));
        assert!(!Provision::SpecialSchool.met_by(SettingKind::ResourcedProvision));
    }

    /// Which tier each kind of setting meets, written out by hand: a row a tier, a column a
    /// kind in [`SettingKind::ALL`]'s order (maintained, academy, resourced, independent,
    /// non-maintained, other authority's, specialist post-16, market, mainstream, base, AP,
    /// general FE, early years, other arrangements).
    #[test]
    fn each_tier_is_met_by_its_own_kind_and_the_ordered_tiers_above_it() {
        let table: [(Provision, &str); 6] = [
            (Provision::Mainstream, "yyyyyyyyyy.yy."),
            (Provision::InclusionBase, "yyyyyyyy.y...."),
            (Provision::ResourcedProvision, "yyyyyyyy......"),
            (Provision::SpecialSchool, "yy.yyyyy......"),
            (Provision::AlternativeProvision, "..........y..."),
            (Provision::Elsewhere, ".............y"),
        ];
        for (tier, row) in table {
            for (kind, mark) in SettingKind::ALL.into_iter().zip(row.chars()) {
                assert_eq!(tier.met_by(kind), mark == 'y', "{tier:?} at {kind:?}");
            }
        }
        // Codes read back; specialist is resourced provision and special school only.
        for p in Provision::ALL {
            assert_eq!(Provision::from_code(p.code()), Some(p));
        }
        for k in SettingKind::ALL {
            assert_eq!(SettingKind::from_code(k.code()), Some(k));
        }
        let specialist: Vec<Provision> = Provision::ALL.into_iter().filter(|p| p.is_specialist()).collect();
        assert_eq!(specialist, [Provision::ResourcedProvision, Provision::SpecialSchool]);
        assert!(!SettingKind::GeneralFe.is_specialist() && SettingKind::SpecialistPost16.is_specialist());
    }
}
