//! The symbol each kind of setting is drawn with: its colour and its shape (each kind its own
//! shape, so colour is never the only thing that tells kinds apart), drawn with a dark outline
//! inside a white halo, so every symbol stands out at least 3:1 from whatever it is drawn on.

use maud::{Markup, html};

use crate::model::SettingKind;

use super::INK;

/// The shape each kind of setting is drawn with: a regular polygon of `sides` sides, turned
/// so that one corner points `up` (or down), or a circle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Shape {
    /// A square, sides level.
    Square,
    /// A square on its corner.
    Diamond,
    /// A triangle, point up.
    Triangle,
    /// A triangle, point down.
    Down,
    /// A pentagon, point up.
    Pentagon,
    /// A hexagon, point up.
    Hexagon,
    /// A circle.
    Circle,
    /// An octagon, sides level.
    Octagon,
    /// A triangle, point left.
    Left,
    /// A triangle, point right.
    Right,
    /// A pentagon, point down.
    PentagonDown,
    /// A hexagon, sides level.
    HexagonFlat,
    /// A heptagon, point up.
    Heptagon,
    /// A decagon, point up.
    Decagon,
}

pub(super) fn kind_style(kind: SettingKind) -> (&'static str, Shape) {
    // Okabe and Ito's and Tol's colour-blind-safe colours, away from the areas' oranges.
    match kind {
        SettingKind::MaintainedSpecial => ("#0072b2", Shape::Square),
        SettingKind::AcademySpecial => ("#56b4e9", Shape::Hexagon),
        SettingKind::ResourcedProvision => ("#009e73", Shape::Triangle),
        SettingKind::IndependentSpecial => ("#cc79a7", Shape::Diamond),
        SettingKind::NonMaintainedSpecial => ("#882255", Shape::Pentagon),
        SettingKind::OtherAuthoritySpecial => ("#332288", Shape::Circle),
        SettingKind::SpecialistPost16 => ("#999933", Shape::Down),
        SettingKind::IndependentMarket => ("#777777", Shape::Octagon),
        SettingKind::Mainstream => ("#117733", Shape::HexagonFlat),
        SettingKind::InclusionBase => ("#44aa99", Shape::Right),
        SettingKind::AlternativeProvision => ("#aa4499", Shape::PentagonDown),
        SettingKind::GeneralFe => ("#88ccee", Shape::Left),
        SettingKind::EarlyYears => ("#ddcc77", Shape::Heptagon),
        SettingKind::OtherArrangements => ("#bbbbbb", Shape::Decagon),
    }
}

/// Corners and the angle of the first (radians from straight up, clockwise); `None`: a circle.
fn corners(shape: Shape) -> Option<(u32, f64)> {
    use std::f64::consts::PI;
    match shape {
        Shape::Square => Some((4, PI / 4.0)),
        Shape::Diamond => Some((4, 0.0)),
        Shape::Triangle => Some((3, 0.0)),
        Shape::Down => Some((3, PI)),
        Shape::Pentagon => Some((5, 0.0)),
        Shape::Hexagon => Some((6, 0.0)),
        Shape::Octagon => Some((8, PI / 8.0)),
        Shape::Left => Some((3, 3.0 * PI / 2.0)),
        Shape::Right => Some((3, PI / 2.0)),
        Shape::PentagonDown => Some((5, PI)),
        Shape::HexagonFlat => Some((6, PI / 6.0)),
        Shape::Heptagon => Some((7, 0.0)),
        Shape::Decagon => Some((10, 0.0)),
        Shape::Circle => None,
    }
}

/// The corners of the shape of the area of a square of side `side`, centred at (`x`, `y`);
/// empty for a circle.
fn points(shape: Shape, x: f64, y: f64, side: f64) -> Vec<(f64, f64)> {
    use std::f64::consts::PI;
    let Some((n, first)) = corners(shape) else { return Vec::new() };
    let n_f = f64::from(n);
    // A regular n-gon of circumradius r has area n/2 · r² · sin(2π/n).
    let r = side * (2.0 / (n_f * (2.0 * PI / n_f).sin())).sqrt();
    (0..n)
        .map(|k| {
            let a = first + 2.0 * PI * f64::from(k) / n_f;
            (x + r * a.sin(), y - r * a.cos())
        })
        .collect()
}

/// The radius of the circle of the area of a square of side `side`.
fn circle_radius(side: f64) -> f64 {
    side / std::f64::consts::PI.sqrt()
}

/// How far a symbol of `side` reaches from its centre, at most, across or up and down.
pub(super) fn reach(shape: Shape, side: f64) -> f64 {
    if shape == Shape::Circle {
        return circle_radius(side);
    }
    points(shape, 0.0, 0.0, side).iter().map(|(x, y)| x.abs().max(y.abs())).fold(0.0, f64::max)
}

/// A symbol of the area of a square of side `side`, centred at (`x`, `y`), as a path.
pub(super) fn symbol(shape: Shape, x: f64, y: f64, side: f64) -> String {
    if shape == Shape::Circle {
        let r = circle_radius(side);
        return format!(
            "M{:.1},{y:.1}A{r:.1},{r:.1} 0 1,0 {:.1},{y:.1}A{r:.1},{r:.1} 0 1,0 {:.1},{y:.1}Z",
            x - r,
            x + r,
            x - r
        );
    }
    let mut d = String::new();
    for (k, (px, py)) in points(shape, x, y, side).into_iter().enumerate() {
        d.push_str(&format!("{}{px:.1},{py:.1}", if k == 0 { 'M' } else { 'L' }));
    }
    d.push('Z');
    d
}

/// A setting's symbol as drawn on a map: a white halo, then the symbol in its kind's colour
/// with a dark outline (`class` and `title`, when given, on the symbol itself).
pub(super) fn drawn(
    shape: Shape,
    (x, y, side): (f64, f64, f64),
    colour: &str,
    class: Option<&str>,
    title: Option<&str>,
) -> Markup {
    let d = symbol(shape, x, y, side);
    html! {
        path d=(d) fill="#ffffff" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" class="halo"
            aria-hidden="true" {}
        path class=[class] d=(d) fill=(colour) stroke=(INK) stroke-width="1" stroke-linejoin="round" {
            @if let Some(title) = title { title { (title) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_shape_of_the_same_area() {
        let shapes: Vec<Shape> = SettingKind::ALL.iter().map(|&k| kind_style(k).1).collect();
        for (i, a) in shapes.iter().enumerate() {
            assert!(!shapes[i + 1..].contains(a), "{a:?} twice: colour alone would tell kinds apart");
        }
        // The square of side 10 reaches 5 each way; the triangle's tip as before.
        assert!((reach(Shape::Square, 10.0) - 5.0).abs() < 1e-9);
        assert!((reach(Shape::Diamond, 10.0) - 5.0 * std::f64::consts::SQRT_2).abs() < 1e-9);
        assert!((reach(Shape::Triangle, 10.0) - 10.0 * (4.0 / 3f64.sqrt()).sqrt() / 3f64.sqrt()).abs() < 1e-9);
        // Equal areas (the shoelace formula).
        for shape in shapes.into_iter().filter(|s| *s != Shape::Circle) {
            let p = points(shape, 0.0, 0.0, 10.0);
            let area: f64 =
                (0..p.len()).map(|k| p[k].0 * p[(k + 1) % p.len()].1 - p[(k + 1) % p.len()].0 * p[k].1).sum::<f64>()
                    / 2.0;
            assert!((area.abs() - 100.0).abs() < 1e-6, "{shape:?}: {area}");
        }
    }
}
