//! The symbol each kind of setting is drawn with: its colour and shape.

use crate::model::SettingKind;

/// The shape each kind of setting is drawn with.
#[derive(Clone, Copy)]
pub(super) enum Shape {
    Square,
    Triangle,
    Diamond,
    Down,
}

pub(super) fn kind_style(kind: SettingKind) -> (&'static str, Shape) {
    // Okabe and Ito's and Tol's colour-blind-safe colours, away from the areas' oranges.
    match kind {
        SettingKind::MaintainedSpecial => ("#0072b2", Shape::Square),
        SettingKind::AcademySpecial => ("#56b4e9", Shape::Square),
        SettingKind::ResourcedProvision => ("#009e73", Shape::Triangle),
        SettingKind::IndependentSpecial => ("#cc79a7", Shape::Diamond),
        SettingKind::NonMaintainedSpecial => ("#882255", Shape::Diamond),
        SettingKind::OtherAuthoritySpecial => ("#332288", Shape::Square),
        SettingKind::SpecialistPost16 => ("#999933", Shape::Down),
        SettingKind::IndependentMarket => ("#777777", Shape::Square),
    }
}

/// How far a symbol of `side` reaches from its centre, at most, across or up and down.
pub(super) fn reach(shape: Shape, side: f64) -> f64 {
    match shape {
        Shape::Square => side / 2.0,
        Shape::Diamond => side / 2.0 * std::f64::consts::SQRT_2,
        // The tip: the circumradius of the equal-area triangle.
        Shape::Triangle | Shape::Down => side * (4.0 / 3f64.sqrt()).sqrt() / 3f64.sqrt(),
    }
}

/// A symbol of about the area of a square of side `side`, centred at (`x`, `y`).
pub(super) fn symbol(shape: Shape, x: f64, y: f64, side: f64) -> String {
    let h = side / 2.0;
    match shape {
        Shape::Square => format!(
            "M{:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}Z",
            x - h,
            y - h,
            x + h,
            y - h,
            x + h,
            y + h,
            x - h,
            y + h
        ),
        Shape::Diamond => {
            let r = h * std::f64::consts::SQRT_2;
            format!("M{x:.1},{:.1}L{:.1},{y:.1}L{x:.1},{:.1}L{:.1},{y:.1}Z", y - r, x + r, y + r, x - r)
        }
        Shape::Triangle | Shape::Down => {
            // Equal area: side of the triangle s·√(4/√3).
            let t = side * (4.0 / 3f64.sqrt()).sqrt();
            let (tip, base) = if matches!(shape, Shape::Triangle) { (-1.0, 1.0) } else { (1.0, -1.0) };
            let r = t / 3f64.sqrt();
            format!(
                "M{x:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}Z",
                y + tip * r,
                x + t / 2.0,
                y + base * r / 2.0,
                x - t / 2.0,
                y + base * r / 2.0
            )
        }
    }
}
