//! Names beside their symbols, placed greedily where they overlap nothing.

use maud::{Markup, html};

use super::INK;
use crate::outputs::annex::svg::px;

use super::projection::Rect;

/// A label to place: its lines, beside a symbol of radius `gap` at (`x`, `y`).
pub(super) struct Wish {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) gap: f64,
    pub(super) lines: Vec<String>,
    pub(super) size: f64,
}

/// Where a label went: its box and how its text is anchored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Placed {
    pub(super) rect: Rect,
    pub(super) anchor: &'static str,
    /// Whether it is far enough from its point to need a line to it.
    pub(super) leader: bool,
}

/// Settings named on the borough map itself, the largest by places (the rest are found by
/// name in the settings table, with their area).
pub(super) const NAMED_SETTINGS: usize = 8;

/// The `n` largest of `places` (indices), largest first, ties in order given.
pub(super) fn largest(places: &[f64], n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..places.len()).collect();
    order.sort_by(|&a, &b| places[b].total_cmp(&places[a]).then(a.cmp(&b)));
    order.truncate(n);
    order
}

/// Width of `text` at font `size`: generous, so real text stays inside its box.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// Each label in turn (the order given is their priority) at the first of eight positions
/// around its point that stays inside `frame` and overlaps no obstacle and no label already
/// placed; `None` when none does.
pub(super) fn place_labels(wishes: &[Wish], obstacles: &[Rect], frame: Rect) -> Vec<Option<Placed>> {
    let mut placed: Vec<Rect> = Vec::new();
    wishes
        .iter()
        .map(|w| {
            let width = w.lines.iter().map(|l| text_width(l, w.size)).fold(0.0, f64::max);
            let height = w.lines.len() as f64 * w.size * 1.2;
            // Eight positions close by, then two rings farther out (with a leader line).
            let found = [0.0, 10.0, 22.0].iter().find_map(|&extra| {
                let (g, d) = (w.gap + 2.0 + extra, (w.gap + 1.0 + extra) * 0.75);
                let candidates = [
                    (w.x + g, w.y - height / 2.0, "start"),
                    (w.x - g - width, w.y - height / 2.0, "end"),
                    (w.x - width / 2.0, w.y - g - height, "middle"),
                    (w.x - width / 2.0, w.y + g, "middle"),
                    (w.x + d, w.y - d - height, "start"),
                    (w.x - d - width, w.y - d - height, "end"),
                    (w.x + d, w.y + d, "start"),
                    (w.x - d - width, w.y + d, "end"),
                ];
                candidates.iter().find_map(|&(x0, y0, anchor)| {
                    let rect = Rect { x0, y0, x1: x0 + width, y1: y0 + height };
                    let free = rect.inside(&frame)
                        && !obstacles.iter().any(|o| o.overlaps(&rect))
                        && !placed.iter().any(|o| o.overlaps(&rect));
                    free.then_some(Placed { rect, anchor, leader: extra > 0.0 })
                })
            });
            if let Some(p) = found {
                placed.push(p.rect);
            }
            found
        })
        .collect()
}

/// A label's lines where it was placed, with a leader line to its symbol when it is far from it.
pub(super) fn draw_label(w: &Wish, p: &Placed) -> Markup {
    // From the symbol's edge to the nearest point of the label's box.
    let (bx, by) = (w.x.clamp(p.rect.x0, p.rect.x1), w.y.clamp(p.rect.y0, p.rect.y1));
    let d = (bx - w.x).hypot(by - w.y).max(1e-9);
    let (sx, sy) = (w.x + (bx - w.x) * w.gap / d, w.y + (by - w.y) * w.gap / d);
    let x = match p.anchor {
        "start" => p.rect.x0,
        "end" => p.rect.x1,
        _ => (p.rect.x0 + p.rect.x1) / 2.0,
    };
    html! {
        @if p.leader {
            line class="leader" x1=(px(sx)) y1=(px(sy)) x2=(px(bx)) y2=(px(by)) stroke=(INK) stroke-width="0.6" {}
        }
        @for (i, line) in w.lines.iter().enumerate() {
            text class="label" x=(px(x)) y=(px(p.rect.y0 + w.size * (1.2 * i as f64 + 0.95))) text-anchor=(p.anchor)
                font-size=(w.size) fill=(INK) paint-order="stroke" stroke="#ffffff" stroke-width="3"
                stroke-linejoin="round" { (line) }
        }
    }
}

/// A long name on two lines: before a bracket, or at the space nearest its middle.
pub(super) fn label_lines(name: &str, longest: usize) -> Vec<String> {
    if name.chars().count() <= longest {
        return vec![name.to_string()];
    }
    if let Some(i) = name.find(" (") {
        return vec![name[..i].to_string(), name[i + 1..].to_string()];
    }
    let middle = name.len() / 2;
    match name.match_indices(' ').map(|(i, _)| i).min_by_key(|i| i.abs_diff(middle)) {
        Some(i) => vec![name[..i].to_string(), name[i + 1..].to_string()],
        None => vec![name.to_string()],
    }
}
