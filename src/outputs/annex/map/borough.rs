//! The borough map: home localities shaded by places required, settings, the largest
//! flows, labels, a scale bar and a legend.

use std::fmt::Write as _;

use crate::model::SettingKind;
use crate::outputs::annex::html::escape;
use crate::outputs::annex::svg::open;

use super::areas::path;
use super::destinations::borough_swatch;
use super::flows::{Selection, children};
use super::labels::draw_label;
use super::layout::{lay_out, required_text};
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
) -> String {
    let height = 600.0;
    let l = lay_out(homes, sites, height);
    let mut out = String::new();
    open(&mut out, "map", WIDTH, height, &format!("Places required and journeys to school, {year}"), &{
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
    });
    draw_frame(&mut out, l.frame);
    // Areas, then the outline over them.
    let most = homes.iter().filter(|h| h.in_borough).map(|h| h.required.or(0.0)).fold(0.0, f64::max);
    let lows = classes(most, threshold);
    if !l.outline.is_empty() {
        let _ = write!(out, r#"<path class="borough" d="{}" fill="{LAND}"/>"#, path(&l.outline));
    }
    for (h, cell) in homes.iter().zip(&l.cells) {
        if cell.is_empty() {
            continue;
        }
        let fill = match h.required.shown() {
            Some(v) => class_of(v, &lows).map_or(LAND, |k| shade(k, lows.len())),
            None => WITHHELD_FILL,
        };
        // A boundary's holes and further polygons: the even-odd rule leaves holes unfilled.
        let rule = if l.boundaries { r#" fill-rule="evenodd""# } else { "" };
        let _ = write!(
            out,
            r##"<path class="area" d="{}"{rule} fill="{fill}" stroke="#ffffff" stroke-width="1.2"><title>{}: {}</title></path>"##,
            cell.iter().map(|ring| path(ring)).collect::<String>(),
            escape(&h.name),
            required_text(h.required, threshold)
        );
    }
    if !l.outline.is_empty() {
        let _ = write!(
            out,
            r#"<path d="{}" fill="none" stroke="{INK}" stroke-width="1.2" stroke-dasharray="5 3"/>"#,
            path(&l.outline)
        );
    }
    // Flows, widest first so the narrow ones stay visible over them; each bows to its right.
    let floor = threshold.max(1.0);
    let most_flow = selection.drawn.iter().map(|&i| flows[i].children.or(floor)).fold(1.0, f64::max);
    for &i in &selection.drawn {
        let f = &flows[i];
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (l.homes_at.get(f.from), l.sites_at.get(f.to)) else { continue };
        let (mx, my) = ((x1 + x2) / 2.0 + (y2 - y1) * 0.2, (y1 + y2) / 2.0 - (x2 - x1) * 0.2);
        let _ = write!(
            out,
            r#"<path class="flow" d="M{x1:.1},{y1:.1}Q{mx:.1},{my:.1} {x2:.1},{y2:.1}" fill="none" stroke="{FLOW}" stroke-opacity="0.6" stroke-width="{:.1}" stroke-linecap="round"><title>{} to {}: {}</title></path>"#,
            flow_width(f.children.or(floor), most_flow),
            escape(&homes[f.from].name),
            escape(&sites[f.to].name),
            children(f.children, threshold)
        );
    }
    // Settings, largest first so small ones sit on top.
    let mut order: Vec<usize> = (0..sites.len()).collect();
    order.sort_by(|&a, &b| sites[b].places.total_cmp(&sites[a].places).then(a.cmp(&b)));
    for i in order {
        let s = &sites[i];
        let (x, y) = l.sites_at[i];
        let (colour, shape) = kind_style(s.kind);
        let title = format!(
            "{} ({}): {:.0} places; {} placed",
            escape(&s.name),
            escape(s.kind.name()),
            s.places,
            children(s.children, threshold)
        );
        out.push_str(&drawn(shape, x, y, l.sides[i], colour, "setting", &title));
    }
    for (h, &(x, y)) in homes.iter().zip(&l.homes_at) {
        let _ = write!(
            out,
            r##"<circle class="locality" cx="{x:.1}" cy="{y:.1}" r="3" fill="{INK}" stroke="#ffffff" stroke-width="1"><title>{}: {}</title></circle>"##,
            escape(&h.name),
            required_text(h.required, threshold)
        );
    }
    for (w, p) in l.wishes.iter().zip(&l.labels) {
        if let Some(p) = p {
            draw_label(&mut out, w, p);
        }
    }
    draw_scale_bar(&mut out, &l.proj, l.scale_at.0, l.scale_at.1);
    // The legend: only what is drawn.
    let mut legend = Legend::new();
    legend.heading(&format!("Places required, {year}"));
    let _ = write!(
        legend.out,
        r#"<text x="{LEGEND_X}" y="{:.1}" fill="{INK}" font-size="{SMALL}">additional places, by home area</text>"#,
        legend.y - 2.0
    );
    legend.y += 8.0;
    let swatch = |fill: &'static str| {
        move |x: f64, y: f64| {
            format!(
                r##"<rect x="{:.1}" y="{:.1}" width="14" height="10" fill="{fill}" stroke="{INK}" stroke-width="1"/>"##,
                x - 7.0,
                y - 5.0
            )
        }
    };
    if homes.iter().zip(&l.cells).any(|(h, c)| !c.is_empty() && h.required.shown().is_some_and(|v| v.round() < 1.0)) {
        legend.row(14.0, swatch(LAND), "none");
    }
    for k in 0..lows.len() {
        legend.row(14.0, swatch(shade(k, lows.len())), &class_name(k, &lows, threshold));
    }
    if homes.iter().zip(&l.cells).any(|(h, c)| !c.is_empty() && h.required.is_withheld()) {
        legend.row(14.0, swatch(WITHHELD_FILL), "c: withheld");
    }
    let kinds: Vec<SettingKind> = SettingKind::ALL.into_iter().filter(|k| sites.iter().any(|s| s.kind == *k)).collect();
    if !kinds.is_empty() {
        legend.heading("Settings, by places");
        for k in kinds {
            let (colour, shape) = kind_style(k);
            legend.row(15.0, |x, y| drawn(shape, x, y, 10.0, colour, "", ""), k.name());
        }
        let most_places = sites.iter().map(|s| s.places).fold(0.0, f64::max);
        for p in references(most_places, 1.0) {
            let side = side_for(p, most_places);
            legend.row(
                side.max(10.0) + 3.0,
                |x, y| format!(r##"<path d="{}" fill="none" stroke="{INK}"/>"##, symbol(Shape::Square, x, y, side)),
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
                    format!(
                        r#"<line x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{FLOW}" stroke-opacity="0.6" stroke-width="{w:.1}"/>"#,
                        x - 8.0,
                        x + 8.0
                    )
                },
                &reference_children(c),
            );
        }
        let n = selection.drawn.len();
        legend.row(14.0, |_, _| String::new(), &format!("the {n} largest flows only"));
    }
    legend.heading("Also shown");
    legend.row(
        14.0,
        |x, y| format!(r##"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{INK}" stroke="#ffffff"/>"##),
        "Home locality",
    );
    if !l.outline.is_empty() {
        legend.row(14.0, borough_swatch, "Borough (around its places)");
    }
    let (legend, _) = legend.finish();
    out.push_str(&legend);
    out.push_str("</svg>");
    out.push_str(&journeys_table(homes, sites, flows, selection, threshold));
    out
}

/// The journeys the map draws, in a table folded under it (the map's other figures are in
/// the annex's tables of places required by home area and of settings).
fn journeys_table(homes: &[Home], sites: &[Site], flows: &[Flow], selection: &Selection, threshold: f64) -> String {
    if selection.drawn.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        r#"<details class="figures"><summary>The journeys drawn on this map</summary><table><caption>Journeys drawn on the map, largest first</caption><thead><tr><th scope="col">Home area</th><th scope="col">Setting</th><th scope="col" class="n">Children</th></tr></thead><tbody>"#,
    );
    for &i in &selection.drawn {
        let f = &flows[i];
        let (Some(h), Some(s)) = (homes.get(f.from), sites.get(f.to)) else { continue };
        let _ = write!(
            out,
            r#"<tr><th scope="row">{}</th><th scope="row">{}</th><td class="n" data-label="Children">{}</td></tr>"#,
            escape(&h.name),
            escape(&s.name),
            escape(&children(f.children, threshold))
        );
    }
    out.push_str("</tbody></table></details>");
    out
}

/// A legend's reference size: "10 children" (a size drawn, not a count of anyone).
pub(super) fn reference_children(c: f64) -> String {
    if c == 1.0 { "1 child".to_string() } else { format!("{c:.0} children") }
}
