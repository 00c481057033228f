//! The legend: classes of places required and their shades, reference symbols for places
//! and children, and the sizes of symbols and flow lines.

use maud::{Markup, html};

use super::{INK, LEGEND_X, SHADES, SMALL};
use crate::outputs::annex::svg::px;

/// Classes of places required: lower bounds (the first class starts at one child; with
/// disclosure control on, the second at the threshold), at most five.
/// The fill of an area whose places required are withheld.
pub(super) const WITHHELD_FILL: &str = "#d9d9d9";

pub(super) fn classes(most: f64, threshold: f64) -> Vec<f64> {
    if most.round() < 1.0 {
        return Vec::new();
    }
    let mut lows = vec![0.5];
    if threshold > 1.0 {
        lows.push(threshold);
    }
    let floor = lows[lows.len() - 1];
    let steps: Vec<f64> = (0..7)
        .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
        .filter(|s| *s > floor && *s >= 10.0 && *s <= most.round())
        .collect();
    let keep = 5 - lows.len();
    lows.extend(steps.iter().skip(steps.len().saturating_sub(keep)));
    lows.retain(|l| *l <= most.round().max(0.5));
    lows
}

pub(super) fn class_of(v: f64, lows: &[f64]) -> Option<usize> {
    lows.iter().rposition(|l| v.round() >= *l)
}

pub(super) fn class_name(k: usize, lows: &[f64], threshold: f64) -> String {
    let lo = if lows[k] < 1.0 { 1.0 } else { lows[k] };
    match lows.get(k + 1) {
        Some(&hi) if threshold > 1.0 && k == 0 => format!("fewer than {hi:.0}"),
        Some(&hi) if hi - 1.0 <= lo => format!("{lo:.0}"),
        Some(&hi) => format!("{lo:.0} to {:.0}", hi - 1.0),
        None => format!("{lo:.0} or more"),
    }
}

pub(super) fn shade(k: usize, n: usize) -> &'static str {
    // Spread n classes across the five shades, darkest last.
    SHADES[if n <= 1 { 2 } else { k * (SHADES.len() - 1) / (n - 1) }]
}

/// A round value at or under `v`, for a legend's reference symbol.
fn round_down(v: f64) -> f64 {
    if v <= 0.0 {
        return 0.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0].iter().map(|m| m * p).find(|r| *r <= v).unwrap_or(p)
}

/// Reference values for a legend: the largest round value, and a half and a tenth of it
/// (the ones at or above `at_least`).
pub(super) fn references(most: f64, at_least: f64) -> Vec<f64> {
    let top = round_down(most);
    let mut refs: Vec<f64> = [top / 10.0, round_down(top / 2.0), top]
        .into_iter()
        .filter(|v| *v >= at_least.max(1.0))
        .map(f64::round)
        .collect();
    refs.dedup();
    refs
}

/// A legend, written down the column to the right of the map.
pub(super) struct Legend {
    /// What is drawn so far, top down.
    pub(super) parts: Vec<Markup>,
    pub(super) y: f64,
    /// Where a row's text starts.
    pub(super) text_x: f64,
}

impl Legend {
    pub(super) fn new() -> Legend {
        Legend { parts: Vec::new(), y: 18.0, text_x: LEGEND_X + 24.0 }
    }

    pub(super) fn heading(&mut self, text: &str) {
        self.y += 6.0;
        self.parts.push(html! { text x=(LEGEND_X) y=(px(self.y)) font-weight="bold" fill=(INK) { (text) } });
        self.y += 14.0;
    }

    /// A row: the symbol drawn at (`LEGEND_X` + 8, row middle) by `draw`, then text.
    pub(super) fn row(&mut self, height: f64, draw: impl FnOnce(f64, f64) -> Markup, text: &str) {
        let mid = self.y + height / 2.0 - 4.0;
        self.parts.push(draw(LEGEND_X + 9.0, mid));
        self.parts.push(html! {
            text x=(px(self.text_x)) y=(px(mid + 3.5)) fill=(INK) font-size=(SMALL) { (text) }
        });
        self.y += height.max(14.0);
    }

    /// The legend drawn, and how far down it reaches.
    pub(super) fn finish(self) -> (Markup, f64) {
        (html! { g class="legend" { @for part in &self.parts { (part) } } }, self.y)
    }
}

/// Side of a setting's square by its places (area in proportion, largest 22 px).
pub(super) fn side_for(places: f64, most: f64) -> f64 {
    (22.0 * (places.max(0.0) / most.max(1.0)).sqrt()).max(5.0)
}

/// Width of a flow line (in proportion, widest 9 px).
pub(super) fn flow_width(children: f64, most: f64) -> f64 {
    1.0 + 8.0 * (children / most.max(1.0)).min(1.0)
}
