//! From longitude and latitude to the drawing: the equirectangular projection, boxes on
//! the drawing, the scale bar and the frame.

use maud::{Markup, html};

use super::{INK, KM_PER_DEGREE, SMALL};
use crate::outputs::annex::svg::px;

/// A box on the drawing, in pixels (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Rect {
    pub(super) fn around(x: f64, y: f64, r: f64) -> Rect {
        Rect { x0: x - r, y0: y - r, x1: x + r, y1: y + r }
    }

    /// Whether the two share any area (touching edges do not count).
    #[must_use]
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Whether it lies wholly inside `frame`.
    #[must_use]
    pub fn inside(&self, frame: &Rect) -> bool {
        self.x0 >= frame.x0 && self.x1 <= frame.x1 && self.y0 >= frame.y0 && self.y1 <= frame.y1
    }
}

/// The map's projection: longitude and latitude to pixels.
#[derive(Debug, Clone, Copy)]
pub(super) struct Projection {
    /// cos of the middle latitude: east–west degrees are this much shorter.
    pub(super) squeeze: f64,
    /// Pixels a degree of latitude.
    pub(super) px_per_degree: f64,
    /// Squeezed longitude and latitude at the pixel origin (`x0`, `y0`).
    pub(super) west: f64,
    pub(super) north: f64,
    pub(super) x0: f64,
    pub(super) y0: f64,
}

impl Projection {
    /// Fits `points` (longitude, latitude) in `frame`, centred.
    pub(super) fn fit(points: &[(f64, f64)], frame: Rect) -> Projection {
        let (mut w, mut e, mut s, mut n) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for &(lon, lat) in points {
            (w, e, s, n) = (w.min(lon), e.max(lon), s.min(lat), n.max(lat));
        }
        if points.is_empty() {
            (w, e, s, n) = (-1.0, 1.0, 52.0, 54.0);
        }
        let squeeze = ((s + n) / 2.0).to_radians().cos().max(0.05);
        // A lone point, or points in a line, still get a few kilometres around them.
        let pad = 0.02;
        let (w, e) = if e - w < pad { ((w + e) / 2.0 - pad / squeeze, (w + e) / 2.0 + pad / squeeze) } else { (w, e) };
        let (s, n) = if n - s < pad { ((s + n) / 2.0 - pad, (s + n) / 2.0 + pad) } else { (s, n) };
        let (fw, fh) = (frame.x1 - frame.x0, frame.y1 - frame.y0);
        let px_per_degree = (fw / ((e - w) * squeeze)).min(fh / (n - s));
        let (dw, dh) = ((e - w) * squeeze * px_per_degree, (n - s) * px_per_degree);
        Projection {
            squeeze,
            px_per_degree,
            west: w * squeeze,
            north: n,
            x0: frame.x0 + (fw - dw) / 2.0,
            y0: frame.y0 + (fh - dh) / 2.0,
        }
    }

    pub(super) fn at(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.x0 + (lon * self.squeeze - self.west) * self.px_per_degree,
            self.y0 + (self.north - lat) * self.px_per_degree,
        )
    }

    pub(super) fn px_per_km(&self) -> f64 {
        self.px_per_degree / KM_PER_DEGREE
    }
}

/// The longest round distance (1, 2 or 5 times a power of ten, in km) no longer than
/// `most_px`, and its length in pixels.
pub(super) fn scale_bar(px_per_km: f64, most_px: f64) -> (f64, f64) {
    let most_km = most_px / px_per_km;
    let p = 10f64.powf(most_km.log10().floor());
    let km = [5.0, 2.0, 1.0].iter().map(|m| m * p).find(|k| *k <= most_km).unwrap_or(p);
    (km, km * px_per_km)
}

/// The scale bar, its left end at (`x`, `y`), and the box it takes.
pub(super) fn draw_scale_bar(proj: &Projection, x: f64, y: f64) -> (Markup, Rect) {
    let (km, px_long) = scale_bar(proj.px_per_km(), 110.0);
    let label = if km >= 1.0 { format!("{km:.0} km") } else { format!("{km} km") };
    let half = px(px_long / 2.0);
    let bar = html! {
        g class="scale-bar" {
            rect x=(px(x)) y=(px(y - 4.0)) width=(half) height="4" fill=(INK) {}
            rect x=(px(x + px_long / 2.0)) y=(px(y - 4.0)) width=(half) height="4" fill="#ffffff" stroke=(INK)
                stroke-width="0.8" {}
            text x=(px(x)) y=(px(y - 8.0)) fill=(INK) font-size=(SMALL) { "0" }
            text x=(px(x + px_long)) y=(px(y - 8.0)) fill=(INK) font-size=(SMALL) text-anchor="end" { (label) }
        }
    };
    (bar, Rect { x0: x - 2.0, y0: y - 18.0, x1: x + px_long + 2.0, y1: y + 2.0 })
}

/// The map's frame.
pub(super) fn draw_frame(f: Rect) -> Markup {
    html! {
        rect x=(px(f.x0)) y=(px(f.y0)) width=(px(f.x1 - f.x0)) height=(px(f.y1 - f.y0)) fill="none" stroke="#d0d7de" {}
    }
}
