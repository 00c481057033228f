//! The home localities' areas: the borough's outline, shared between localities by
//! nearness where the council gives no boundaries, and areas as SVG paths.

use std::f64::consts::PI;
use std::fmt::Write as _;

use geo::{ConvexHull, LineString, MultiPoint, Point, Simplify};

use super::projection::Projection;

/// The convex hull of `points`, grown by `by` pixels all round (a rounded outline).
pub(super) fn grown_hull(points: &[(f64, f64)], by: f64) -> Vec<(f64, f64)> {
    let grown: Vec<Point<f64>> = points
        .iter()
        .flat_map(|&(x, y)| {
            (0..16).map(move |k| {
                let a = f64::from(k) * PI / 8.0;
                Point::new(x + by * a.cos(), y + by * a.sin())
            })
        })
        .collect();
    if grown.is_empty() {
        return Vec::new();
    }
    let hull = MultiPoint::from(grown).convex_hull();
    let mut ring: Vec<(f64, f64)> = hull.exterior().points().map(|p| (p.x(), p.y())).collect();
    ring.pop();
    ring
}

/// The part of convex polygon `poly` nearer `a` than `b`.
fn nearer(poly: &[(f64, f64)], a: (f64, f64), b: (f64, f64)) -> Vec<(f64, f64)> {
    let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let (nx, ny) = (b.0 - a.0, b.1 - a.1);
    let side = |p: (f64, f64)| (p.0 - mx) * nx + (p.1 - my) * ny;
    let mut out = Vec::new();
    for (i, &p) in poly.iter().enumerate() {
        let q = poly[(i + 1) % poly.len()];
        let (sp, sq) = (side(p), side(q));
        if sp <= 0.0 {
            out.push(p);
        }
        if (sp < 0.0) != (sq < 0.0) && sp != sq {
            let t = sp / (sp - sq);
            out.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
        }
    }
    out
}

/// Each point's area: the part of `outline` nearer it than any other point.
pub(super) fn areas(points: &[(f64, f64)], outline: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    points
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let mut cell = outline.to_vec();
            for (j, &b) in points.iter().enumerate() {
                if i != j && cell.len() >= 3 && (a.0 - b.0).hypot(a.1 - b.1) > 1e-9 {
                    cell = nearer(&cell, a, b);
                }
            }
            cell
        })
        .collect()
}

/// A ring of longitude and latitude in pixels, without the detail the drawing cannot show (a
/// boundary file's): points within half a pixel of the last kept are left out, then the rest
/// simplified (Ramer–Douglas–Peucker) to within half a pixel. `None` when fewer than three
/// are left.
pub(super) fn projected_ring(proj: &Projection, ring: &[(f64, f64)]) -> Option<Vec<(f64, f64)>> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for &(lon, lat) in ring {
        let p = proj.at(lon, lat);
        if out.last().is_none_or(|q| (p.0 - q.0).hypot(p.1 - q.1) >= 0.5) {
            out.push(p);
        }
    }
    if let Some(&first) = out.first() {
        out.push(first);
    }
    let line = LineString::from(out).simplify(0.5);
    let mut out: Vec<(f64, f64)> = line.points().map(|p| (p.x(), p.y())).collect();
    out.pop();
    if out.len() >= 2 && out.first().zip(out.last()).is_some_and(|(a, b)| (a.0 - b.0).hypot(a.1 - b.1) < 0.5) {
        out.pop();
    }
    (out.len() >= 3).then_some(out)
}

pub(super) fn path(poly: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in poly.iter().enumerate() {
        let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
    }
    d.push('Z');
    d
}
