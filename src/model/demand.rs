//! Demand: the home localities children come from, the children of each locality, need,
//! phase and provision needing a place, those already placed who stay, and the unit
//! (a thousandth of a child) every count of children is kept in.

use geo::Point;

use super::{LocalityIx, Model, Need, NeedByYear, Phase, Provision, SettingIx};

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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
