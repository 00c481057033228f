//! A portfolio of capital schemes: how many modules of each scheme are built, what they
//! cost and the places they add. The choice of schemes and the business case both take it
//! from here.

use crate::model::{Model, Money};

/// Modules of each scheme built (0: not built), in the order of [`Model::schemes`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Portfolio(pub Vec<u32>);

impl Portfolio {
    /// Whether scheme `j` is built.
    #[must_use]
    pub fn has(&self, j: usize) -> bool {
        self.0[j] > 0
    }

    /// Capital it spends, £.
    #[must_use]
    pub fn capital(&self, model: &Model) -> Money {
        model.schemes.iter().zip(&self.0).map(|(s, &m)| s.capital_cost * f64::from(m)).sum()
    }

    /// Places it adds when every scheme is open.
    #[must_use]
    pub fn places(&self, model: &Model) -> f64 {
        model.schemes.iter().zip(&self.0).map(|(s, &m)| s.places_per_module() * f64::from(m)).sum()
    }

    /// Ids of the schemes built, with modules where a scheme scales ("a", "b×2").
    #[must_use]
    pub fn label(&self, model: &Model) -> String {
        let parts: Vec<String> = model
            .schemes
            .iter()
            .zip(&self.0)
            .filter(|(_, m)| **m > 0)
            .map(|(s, &m)| if s.max_modules > 1 { format!("{}×{m}", s.id) } else { s.id.clone() })
            .collect();
        if parts.is_empty() { "none".into() } else { parts.join(" + ") }
    }
}
