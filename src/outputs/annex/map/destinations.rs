//! The map of where children placed outside the borough go.

use maud::{Markup, html};

use crate::outputs::annex::Drawing;

use crate::model::SettingKind;
use crate::outputs::annex::svg::{drawing, px};

use super::areas::{grown_hull, path, projected_ring};
use super::borough::reference_children;
use super::flows::{children, small};
use super::labels::{Wish, draw_label, label_lines, place_labels};
use super::legend::{Legend, references};
use super::projection::{Projection, Rect, draw_frame, draw_scale_bar};
use super::symbols::{Shape, kind_style, symbol};
use super::{INK, LAND, LEGEND_X, MAP_RIGHT, SMALL, Site, WIDTH};

/// Where children placed outside the borough go: each setting with a site, sized by its
/// children (below the threshold, all alike), around the borough's outline (`borough`:
/// longitude and latitude of its localities and settings).
#[must_use]
pub fn destinations(
    borough: &[(f64, f64)],
    boundaries: &[Vec<(f64, f64)>],
    sites: &[Site],
    threshold: f64,
    year: &str,
) -> Drawing {
    let height = 520.0;
    let frame = Rect { x0: 6.0, y0: 6.0, x1: MAP_RIGHT, y1: height - 6.0 };
    // Every setting with children, and every one withheld (drawing only those not withheld
    // would tell which withheld counts are nought).
    let shown: Vec<&Site> = sites.iter().filter(|s| s.children.shown().is_none_or(|v| v.round() >= 1.0)).collect();
    let mut points: Vec<(f64, f64)> = borough.to_vec();
    points.extend(boundaries.iter().flatten().copied());
    points.extend(shown.iter().map(|s| (s.lon, s.lat)));
    let proj = Projection::fit(&points, Rect { x0: 40.0, y0: 36.0, x1: MAP_RIGHT - 34.0, y1: height - 44.0 });
    let desc = {
        let each: Vec<String> = shown
            .iter()
            .map(|s| format!("{} ({}) {}", s.name, s.kind.name().to_lowercase(), children(s.children, threshold)))
            .collect();
        format!(
            "A map of the settings outside the borough that children went to in {year}, around the borough's \
                 outline: each a circle sized by its children, marked with its kind's shape. {}. Every setting's \
                 children are also in the table 'Settings: places and children placed'.",
            if each.is_empty() { "None".to_string() } else { each.join("; ") }
        )
    };
    let inside: Vec<(f64, f64)> = borough.iter().map(|&(lon, lat)| proj.at(lon, lat)).collect();
    let rings: Vec<Vec<(f64, f64)>> = boundaries.iter().filter_map(|ring| projected_ring(&proj, ring)).collect();
    let outline = if inside.len() >= 3 && rings.is_empty() { grown_hull(&inside, 8.0) } else { Vec::new() };
    let floor = if threshold > 1.0 { threshold } else { 1.0 };
    let most = shown.iter().map(|s| s.children.or(floor)).fold(0.0, f64::max);
    let radius = |c: f64| 16.0 * (c.max(floor) / most.max(floor)).sqrt();
    let at: Vec<(f64, f64)> = shown.iter().map(|s| proj.at(s.lon, s.lat)).collect();
    let mut order: Vec<usize> = (0..shown.len()).collect();
    // Largest first by the counts shown (withheld ones as the threshold): the order gives
    // nothing away.
    order.sort_by(|&a, &b| shown[b].children.or(floor).total_cmp(&shown[a].children.or(floor)).then(a.cmp(&b)));
    let scale_at = (frame.x0 + 10.0, frame.y1 - 6.0);
    let (bar, bar_rect) = draw_scale_bar(&proj, scale_at.0, scale_at.1);
    let mut obstacles = vec![bar_rect];
    obstacles.extend(order.iter().map(|&i| Rect::around(at[i].0, at[i].1, radius(shown[i].children.or(floor)))));
    let wishes: Vec<Wish> = order
        .iter()
        .map(|&i| Wish {
            x: at[i].0,
            y: at[i].1,
            gap: radius(shown[i].children.or(floor)),
            lines: label_lines(&shown[i].name, 22),
            size: SMALL,
        })
        .collect();
    let placed = place_labels(&wishes, &obstacles, frame);
    let mut legend = Legend::new();
    let kinds: Vec<SettingKind> = SettingKind::ALL.into_iter().filter(|k| shown.iter().any(|s| s.kind == *k)).collect();
    legend.heading("Settings outside the borough");
    for k in kinds {
        let (colour, shape) = kind_style(k);
        legend.row(16.0, |x, y| destination(x, y, 6.0, colour, shape, None), k.name());
    }
    if most > 0.0 {
        legend.heading("Children placed");
        legend.text_x = LEGEND_X + 40.0;
        for c in references(most, floor) {
            let r = radius(c);
            legend.row(
                2.0 * r + 4.0,
                |x, y| html! { circle cx=(px(x + 6.0)) cy=(px(y)) r=(px(r)) fill="none" stroke=(INK) {} },
                &reference_children(c),
            );
        }
        if shown.iter().any(|s| s.children.shown().is_none_or(|v| small(v, threshold))) {
            legend.row(
                2.0 * radius(1.0) + 4.0,
                |x, y| html! { circle cx=(px(x + 6.0)) cy=(px(y)) r=(px(radius(1.0))) fill="none" stroke=(INK) {} },
                &if threshold > 1.0 {
                    format!("c (withheld) or fewer than {threshold:.0} children")
                } else {
                    "withheld".into()
                },
            );
        }
    }
    if !outline.is_empty() {
        legend.text_x = LEGEND_X + 24.0;
        legend.heading("Also shown");
        legend.row(14.0, borough_swatch, "The borough");
    }
    let (legend, _) = legend.finish();
    let body = html! {
        (draw_frame(frame))
        @if !rings.is_empty() {
            // The council's boundaries of the borough's localities (holes left by the even-odd
            // rule), not an outline drawn round its points.
            path class="borough" d=(rings.iter().map(|ring| path(ring)).collect::<String>()) fill-rule="evenodd"
                fill=(LAND) stroke=(INK) stroke-width="0.8" {}
        } @else if !outline.is_empty() {
            path class="borough" d=(path(&outline)) fill=(LAND) stroke=(INK) stroke-width="1.2"
                stroke-dasharray="5 3" {}
        }
        @for &i in &order {
            @let s = shown[i];
            @let (colour, shape) = kind_style(s.kind);
            @let title = format!("{} ({}): {} placed", s.name, s.kind.name(), children(s.children, threshold));
            (destination(at[i].0, at[i].1, radius(s.children.or(floor)), colour, shape, Some(&title)))
        }
        (bar)
        @for (w, p) in wishes.iter().zip(&placed) {
            @if let Some(p) = p { (draw_label(w, p)) }
        }
        (legend)
    };
    Drawing {
        picture: drawing(
            "map",
            WIDTH,
            height,
            &format!("Where children placed outside the borough go, {year}"),
            &desc,
            &body,
        ),
        figures: maud::html! {},
    }
}

/// A setting outside the borough: a circle of radius `r` in its kind's colour, outlined dark
/// inside a white halo, with its kind's shape (as on the borough map) in white at its centre,
/// so that kinds differ in more than colour.
/// `title`: the setting's tooltip; `None` for the legend's symbol.
fn destination(x: f64, y: f64, r: f64, colour: &str, shape: Shape, title: Option<&str>) -> Markup {
    let mark = (r * 0.9).clamp(4.0, 8.0);
    html! {
        circle cx=(px(x)) cy=(px(y)) r=(px(r)) fill="#ffffff" stroke="#ffffff" stroke-width="3" class="halo"
            aria-hidden="true" {}
        circle class=[title.map(|_| "destination")] cx=(px(x)) cy=(px(y)) r=(px(r)) fill=(colour) fill-opacity="0.85"
            stroke=(INK) stroke-width="1" {
            @if let Some(title) = title { title { (title) } }
        }
        path class="kind-mark" d=(symbol(shape, x, y, mark)) fill="#ffffff" stroke=(INK) stroke-width="1"
            aria-hidden="true" {}
    }
}

/// The legend's swatch for the borough's outline (dashed, filled as land), centred at (x, y).
pub(super) fn borough_swatch(x: f64, y: f64) -> Markup {
    html! {
        rect x=(px(x - 7.0)) y=(px(y - 5.0)) width="14" height="10" fill=(LAND) stroke=(INK) stroke-dasharray="3 2" {}
    }
}
