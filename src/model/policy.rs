//! Policy: the council's caps on children from one locality at one setting, and how the
//! optimiser weighs cost, places out of borough and need left unmet.

use serde::Serialize;

use super::{LocalityIx, Money, SettingIx};

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
