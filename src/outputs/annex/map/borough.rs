//! The borough map: home localities shaded by places required, settings, the largest
//! flows, labels, a scale bar and a legend.

use maud::{Markup, html};

use crate::outputs::annex::Drawing;

use crate::model::SettingKind;
use crate::outputs::annex::svg::{drawing, px};

use super::areas::path;
use super::destinations::borough_swatch;
use super::flows::{Selection, children};
use super::labels::draw_label;
use super::layout::{Layout, lay_out, required_text};
use super::legend::WITHHELD_FILL;
use super::legend::{Legend, class_name, class_of, classes, flow_width, references, shade, side_for};
use super::projection::{draw_frame, draw_scale_bar};
use super::symbols::{Shape, drawn, kind_style, symbol};
use super::{FLOW, Flow, Home, INK, LAND, LEGEND_X, SMALL, Site, WIDTH};

/// The borough map: home localities' areas shaded by places required, settings by kind and
/// places, the largest flows (see [`largest_flows`](super::flows::largest_flows)), labels, a
/// scale bar and a legend. `selection`: which of `flows` to draw.
#[must_use]
pub fn borough(
    homes: &[Home],
    sites: &[Site],
    flows: &[Flow],
    selection: &Selection,
    threshold: f64,
    year: &str,
) -> Drawing {
    let height = 600.0;
    let l = lay_out(homes, sites, height);
    let desc = {
        let areas: Vec<String> = homes
            .iter()
            .zip(&l.cells)
            .filter(|(_, c)| !c.is_empty())
            .map(|(h, _)| format!("{} {}", h.name, required_text(h.required, threshold)))
            .collect();
        let mut kinds: Vec<String> = Vec::new();
        for k in SettingKind::ALL {
            let n = sites.iter().filter(|s| s.kind == k).count();
            if n > 0 {
                kinds.push(format!("{} {n}", k.name().to_lowercase()));
            }
        }
        format!(
            "A map of the borough, {year}. Each home area is shaded by the additional places required there: {}. \
             Settings in the borough are drawn by kind (each its own shape) and sized by places (settings of each kind: {}). Lines join \
             home areas to settings for the {} largest journeys, listed in the table below the map. The places \
             required by home area and each setting's places and children are in the tables 'Additional places \
             required by home area' and 'Settings: places and children placed'.",
            if areas.is_empty() { "none drawn".to_string() } else { areas.join("; ") },
            if kinds.is_empty() { "none".to_string() } else { kinds.join(", ") },
            selection.drawn.len()
        )
    };
    let most = homes.iter().filter(|h| h.in_borough).map(|h| h.required.or(0.0)).fold(0.0, f64::max);
    let lows = classes(most, threshold);
    let floor = threshold.max(1.0);
    let most_flow = selection.drawn.iter().map(|&i| flows[i].children.or(floor)).fold(1.0, f64::max);
    // Settings, largest first so small ones sit on top.
    let mut order: Vec<usize> = (0..sites.len()).collect();
    order.sort_by(|&a, &b| sites[b].places.total_cmp(&sites[a].places).then(a.cmp(&b)));
    let body = html! {
        (draw_frame(l.frame))
        // Areas, then the outline over them.
        @if !l.outline.is_empty() {
            path class="borough" d=(path(&l.outline)) fill=(LAND) {}
        }
        @for (h, cell) in homes.iter().zip(&l.cells) {
            @if !cell.is_empty() {
                @let fill = match h.required.shown() {
                    Some(v) => class_of(v, &lows).map_or(LAND, |k| shade(k, lows.len())),
                    None => WITHHELD_FILL,
                };
                // A boundary's holes and further polygons: the even-odd rule leaves holes unfilled.
                path class="area" d=(cell.iter().map(|ring| path(ring)).collect::<String>())
                    fill-rule=[l.boundaries.then_some("evenodd")] fill=(fill) stroke="#ffffff" stroke-width="1.2" {
                    title { (h.name) ": " (required_text(h.required, threshold)) }
                }
            }
        }
        @if !l.outline.is_empty() {
            path d=(path(&l.outline)) fill="none" stroke=(INK) stroke-width="1.2" stroke-dasharray="5 3" {}
        }
        // Flows, widest first so the narrow ones stay visible over them; each bows to its right.
        @for &i in &selection.drawn {
            @let f = &flows[i];
            @if let (Some(&(x1, y1)), Some(&(x2, y2))) = (l.homes_at.get(f.from), l.sites_at.get(f.to)) {
                @let (mx, my) = ((x1 + x2) / 2.0 + (y2 - y1) * 0.2, (y1 + y2) / 2.0 - (x2 - x1) * 0.2);
                path class="flow" d=(format!("M{x1:.1},{y1:.1}Q{mx:.1},{my:.1} {x2:.1},{y2:.1}")) fill="none"
                    stroke=(FLOW) stroke-opacity="0.6" stroke-width=(px(flow_width(f.children.or(floor), most_flow)))
                    stroke-linecap="round" {
                    title { (homes[f.from].name) " to " (sites[f.to].name) ": " (children(f.children, threshold)) }
                }
            }
        }
        @for &i in &order {
            @let s = &sites[i];
            @let (colour, shape) = kind_style(s.kind);
            @let title = format!(
                "{} ({}): {:.0} places; {} placed",
                s.name,
                s.kind.name(),
                s.places,
                children(s.children, threshold)
            );
            (drawn(shape, (l.sites_at[i].0, l.sites_at[i].1, l.sides[i]), colour, Some("setting"), Some(&title)))
        }
        @for (h, &(x, y)) in homes.iter().zip(&l.homes_at) {
            circle class="locality" cx=(px(x)) cy=(px(y)) r="3" fill=(INK) stroke="#ffffff" stroke-width="1" {
                title { (h.name) ": " (required_text(h.required, threshold)) }
            }
        }
        @for (w, p) in l.wishes.iter().zip(&l.labels) {
            @if let Some(p) = p { (draw_label(w, p)) }
        }
        (draw_scale_bar(&l.proj, l.scale_at.0, l.scale_at.1).0)
        (legend(homes, sites, &l, (&lows, most_flow), selection, threshold, year))
    };
    Drawing {
        picture: drawing(
            "map",
            WIDTH,
            height,
            &format!("Places required and journeys to school, {year}"),
            &desc,
            &body,
        ),
        figures: journeys_table(homes, sites, flows, selection, threshold),
    }
}

/// The borough map's legend: only what is drawn. `(lows, most_flow)`: the lower bounds of the
/// classes of places required, and the largest flow drawn.
fn legend(
    homes: &[Home],
    sites: &[Site],
    l: &Layout,
    (lows, most_flow): (&[f64], f64),
    selection: &Selection,
    threshold: f64,
    year: &str,
) -> Markup {
    let mut legend = Legend::new();
    legend.heading(&format!("Places required, {year}"));
    legend.parts.push(html! {
        text x=(LEGEND_X) y=(px(legend.y - 2.0)) fill=(INK) font-size=(SMALL) { "additional places, by home area" }
    });
    legend.y += 8.0;
    let swatch = |fill: &'static str| {
        move |x: f64, y: f64| {
            html! {
                rect x=(px(x - 7.0)) y=(px(y - 5.0)) width="14" height="10" fill=(fill) stroke=(INK) stroke-width="1" {}
            }
        }
    };
    if homes.iter().zip(&l.cells).any(|(h, c)| !c.is_empty() && h.required.shown().is_some_and(|v| v.round() < 1.0)) {
        legend.row(14.0, swatch(LAND), "none");
    }
    for k in 0..lows.len() {
        legend.row(14.0, swatch(shade(k, lows.len())), &class_name(k, lows, threshold));
    }
    if homes.iter().zip(&l.cells).any(|(h, c)| !c.is_empty() && h.required.is_withheld()) {
        legend.row(14.0, swatch(WITHHELD_FILL), "c: withheld");
    }
    let kinds: Vec<SettingKind> = SettingKind::ALL.into_iter().filter(|k| sites.iter().any(|s| s.kind == *k)).collect();
    if !kinds.is_empty() {
        legend.heading("Settings, by places");
        for k in kinds {
            let (colour, shape) = kind_style(k);
            legend.row(15.0, |x, y| drawn(shape, (x, y, 10.0), colour, None, None), k.name());
        }
        let most_places = sites.iter().map(|s| s.places).fold(0.0, f64::max);
        for p in references(most_places, 1.0) {
            let side = side_for(p, most_places);
            legend.row(
                side.max(10.0) + 3.0,
                |x, y| html! { path d=(symbol(Shape::Square, x, y, side)) fill="none" stroke=(INK) {} },
                &if p == 1.0 { "1 place".to_string() } else { format!("{p:.0} places") },
            );
        }
    }
    if !selection.drawn.is_empty() {
        legend.heading("Home to setting");
        for c in references(most_flow, threshold) {
            let w = flow_width(c, most_flow);
            legend.row(
                14.0,
                |x, y| {
                    html! {
                        line x1=(px(x - 8.0)) x2=(px(x + 8.0)) y1=(px(y)) y2=(px(y)) stroke=(FLOW) stroke-opacity="0.6"
                            stroke-width=(px(w)) {}
                    }
                },
                &reference_children(c),
            );
        }
        let n = selection.drawn.len();
        legend.row(14.0, |_, _| html! {}, &format!("the {n} largest flows only"));
    }
    legend.heading("Also shown");
    legend.row(
        14.0,
        |x, y| html! { circle cx=(px(x)) cy=(px(y)) r="3" fill=(INK) stroke="#ffffff" {} },
        "Home locality",
    );
    if !l.outline.is_empty() {
        legend.row(14.0, borough_swatch, "Borough (around its places)");
    }
    legend.finish().0
}

/// The journeys the map draws, in a table folded under it (the map's other figures are in
/// the annex's tables of places required by home area and of settings).
fn journeys_table(homes: &[Home], sites: &[Site], flows: &[Flow], selection: &Selection, threshold: f64) -> Markup {
    if selection.drawn.is_empty() {
        return html! {};
    }
    let rows = selection.drawn.iter().filter_map(|&i| {
        let f = &flows[i];
        Some((homes.get(f.from)?, sites.get(f.to)?, f.children))
    });
    html! {
        details class="figures" {
            summary { "The journeys drawn on this map" }
            table {
                caption { "Journeys drawn on the map, largest first" }
                thead {
                    tr { th scope="col" { "Home area" } th scope="col" { "Setting" } th scope="col" class="n" { "Children" } }
                }
                tbody {
                    @for (h, s, c) in rows {
                        tr {
                            th scope="row" { (h.name) }
                            th scope="row" { (s.name) }
                            td class="n" data-label="Children" { (children(c, threshold)) }
                        }
                    }
                }
            }
        }
    }
}

/// A legend's reference size: "10 children" (a size drawn, not a count of anyone).
pub(super) fn reference_children(c: f64) -> String {
    if c == 1.0 { "1 child".to_string() } else { format!("{c:.0} children") }
}
