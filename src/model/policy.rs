//! Policy: the council's caps on children from one locality at one setting, how the
//! optimiser weighs cost, places out of borough and need left unmet, the share of children at
//! each kind of setting who get home-to-school transport, and the tiers new plans of a need
//! and phase are met at.

use serde::Serialize;

use super::{LocalityIx, Money, Need, Phase, Provision, SettingIx, SettingKind};

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
    /// The share of children at each kind of setting who get home-to-school transport.
    pub share_transported: TransportShares,
}

/// The share of children placed at each kind of setting who get home-to-school transport paid
/// by the council (`[policy.share_transported]`, by setting kind): 1 (all of them) unless the
/// model says otherwise. Most children with a plan at their local mainstream school walk or
/// are taken by their parents; a placement's transport cost is the cost of the journey times
/// this share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransportShares([f64; SettingKind::ALL.len()]);

impl Default for TransportShares {
    fn default() -> TransportShares {
        TransportShares([1.0; SettingKind::ALL.len()])
    }
}

impl TransportShares {
    /// The share transported at settings of `kind` (0 to 1).
    #[must_use]
    pub fn of(&self, kind: SettingKind) -> f64 {
        self.0[Self::index(kind)]
    }

    /// Sets the share at settings of `kind` (the caller has checked it is from 0 to 1).
    pub fn set(&mut self, kind: SettingKind, share: f64) {
        self.0[Self::index(kind)] = share;
    }

    /// The kinds whose share is not 1, with their shares, in report order.
    #[must_use]
    pub fn set_below_one(&self) -> Vec<(SettingKind, f64)> {
        SettingKind::ALL.into_iter().map(|k| (k, self.of(k))).filter(|(_, s)| *s < 1.0).collect()
    }

    fn index(kind: SettingKind) -> usize {
        SettingKind::ALL.iter().position(|k| *k == kind).unwrap_or_default()
    }
}

/// The council's policy for new plans of one need and phase (the `tier_policy` table): the
/// share met in mainstream with support, in an inclusion base, in a resourced provision, in a
/// special school, in alternative provision and by other arrangements, adding to 1. Where the
/// table has no row, new plans take the base year's split of the need and phase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TierSplit {
    /// The need.
    pub need: Need,
    /// The phase.
    pub phase: Phase,
    /// The share of each tier, in [`Provision::ALL`]'s order.
    pub shares: [f64; Provision::ALL.len()],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_transported_unless_the_policy_says_otherwise() {
        let mut shares = TransportShares::default();
        assert!(SettingKind::ALL.into_iter().all(|k| shares.of(k) == 1.0));
        shares.set(SettingKind::Mainstream, 0.15);
        shares.set(SettingKind::GeneralFe, 0.0);
        assert_eq!(shares.of(SettingKind::Mainstream), 0.15);
        assert_eq!(shares.of(SettingKind::MaintainedSpecial), 1.0);
        assert_eq!(shares.set_below_one(), vec![(SettingKind::Mainstream, 0.15), (SettingKind::GeneralFe, 0.0)]);
    }
}
