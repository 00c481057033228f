//! Codes a model declares: needs and phases (with each phase's longest journey), kept as
//! indices and bit sets, and the one test of whether something covers a need and phase.

use super::{PriceRule, PurchasingOption, SchemePlaces, Setting};

/// The twelve primary need codes of the DfE SEN2 / school census, in the DfE's order.
pub const DFE_NEED_CODES: [&str; 12] =
    ["ASD", "SEMH", "SLCN", "MLD", "SLD", "PMLD", "SpLD", "HI", "VI", "MSI", "PD", "OTH"];

/// The default phases with their default maximum journey each way, in minutes, after the
/// statutory home-to-school travel guidance (45 minutes primary and below, 75 secondary).
pub const DEFAULT_PHASES: [(&str, f64); 4] =
    [("early-years", 45.0), ("primary", 45.0), ("secondary", 75.0), ("post-16", 75.0)];

/// Largest number of need codes or phases a model may declare (they are kept as bit sets).
pub const MAX_CODES: usize = 64;

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
    /// A declared primary need (an index into [`Model::needs`](super::Model::needs)).
    Need
);
index_type!(
    /// A declared phase (an index into [`Model::phases`](super::Model::phases)).
    Phase
);
index_type!(
    /// A home locality (an index into [`Model::localities`](super::Model::localities)).
    LocalityIx
);
index_type!(
    /// A setting (an index into [`Model::settings`](super::Model::settings)).
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

#[cfg(test)]
mod tests {
    use super::*;

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
