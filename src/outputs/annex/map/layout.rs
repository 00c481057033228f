//! The borough map laid out before it is written: projection, frame, areas, symbols,
//! flows and labels.

use super::areas::{areas, grown_hull, projected_ring};
use crate::outputs::annex::disclosure::Published;

use super::flows::small;
use super::labels::{NAMED_SETTINGS, Placed, Wish, label_lines, largest, place_labels};
use super::legend::side_for;
use super::projection::{Projection, Rect, scale_bar};
use super::symbols::{kind_style, reach};
use super::{FONT, Home, MAP_RIGHT, Site};

/// Everything laid out on the borough map, before it is written.
pub(super) struct Layout {
    pub(super) proj: Projection,
    pub(super) frame: Rect,
    pub(super) outline: Vec<(f64, f64)>,
    /// Each home's area as rings (an outer ring, holes, further polygons; empty: none).
    pub(super) cells: Vec<Vec<Vec<(f64, f64)>>>,
    /// Whether the areas are the council's boundaries, not the part nearest each locality.
    pub(super) boundaries: bool,
    pub(super) homes_at: Vec<(f64, f64)>,
    pub(super) sites_at: Vec<(f64, f64)>,
    pub(super) sides: Vec<f64>,
    pub(super) scale_at: (f64, f64),
    pub(super) wishes: Vec<Wish>,
    pub(super) labels: Vec<Option<Placed>>,
}

pub(super) fn lay_out(homes: &[Home], sites: &[Site], height: f64) -> Layout {
    let frame = Rect { x0: 6.0, y0: 6.0, x1: MAP_RIGHT, y1: height - 6.0 };
    let mut points: Vec<(f64, f64)> = homes.iter().map(|h| (h.lon, h.lat)).collect();
    points.extend(sites.iter().map(|s| (s.lon, s.lat)));
    // The council's boundaries, when it gives them for the borough's localities: the map fits
    // them too.
    let boundaries = homes.iter().any(|h| h.in_borough && !h.area.is_empty());
    if boundaries {
        points.extend(homes.iter().filter(|h| h.in_borough).flat_map(|h| h.area.iter().flatten().flatten().copied()));
    }
    let proj = Projection::fit(&points, Rect { x0: 26.0, y0: 24.0, x1: MAP_RIGHT - 20.0, y1: height - 36.0 });
    let homes_at: Vec<(f64, f64)> = homes.iter().map(|h| proj.at(h.lon, h.lat)).collect();
    let sites_at: Vec<(f64, f64)> = sites.iter().map(|s| proj.at(s.lon, s.lat)).collect();
    let mut inside: Vec<(f64, f64)> =
        homes.iter().zip(&homes_at).filter(|(h, _)| h.in_borough).map(|(_, p)| *p).collect();
    inside.extend(&sites_at);
    let outline = if inside.len() >= 3 && !boundaries { grown_hull(&inside, 16.0) } else { Vec::new() };
    let borough: Vec<usize> = (0..homes.len()).filter(|&i| homes[i].in_borough).collect();
    let mut cells = vec![Vec::new(); homes.len()];
    if boundaries {
        for &i in &borough {
            cells[i] = homes[i].area.iter().flatten().filter_map(|ring| projected_ring(&proj, ring)).collect();
        }
    } else if !outline.is_empty() {
        let at: Vec<(f64, f64)> = borough.iter().map(|&i| homes_at[i]).collect();
        for (k, cell) in areas(&at, &outline).into_iter().enumerate() {
            if cell.len() >= 3 {
                cells[borough[k]] = vec![cell];
            }
        }
    }
    let most_places = sites.iter().map(|s| s.places).fold(0.0, f64::max);
    let sides: Vec<f64> = sites.iter().map(|s| side_for(s.places, most_places)).collect();
    let scale_at = (frame.x0 + 10.0, frame.y1 - 6.0);
    let (_, bar_px) = scale_bar(proj.px_per_km(), 110.0);
    let mut obstacles: Vec<Rect> =
        vec![Rect { x0: scale_at.0 - 2.0, y0: scale_at.1 - 18.0, x1: scale_at.0 + bar_px + 2.0, y1: scale_at.1 + 2.0 }];
    obstacles.extend(homes_at.iter().map(|&(x, y)| Rect::around(x, y, 3.5)));
    obstacles.extend(
        sites
            .iter()
            .zip(&sites_at)
            .zip(&sides)
            .map(|((s, &(x, y)), &d)| Rect::around(x, y, reach(kind_style(s.kind).1, d))),
    );
    // Labels: places required first, then the localities with most children.
    let mut order: Vec<usize> = (0..homes.len()).collect();
    order.sort_by(|&a, &b| {
        homes[b]
            .required
            .or(0.0)
            .total_cmp(&homes[a].required.or(0.0))
            .then(homes[b].children.total_cmp(&homes[a].children))
            .then(a.cmp(&b))
    });
    let mut wishes: Vec<Wish> = order
        .iter()
        .map(|&i| Wish {
            x: homes_at[i].0,
            y: homes_at[i].1,
            gap: 3.5,
            lines: label_lines(&homes[i].name, 22),
            size: FONT,
        })
        .collect();
    // Then the largest settings by name (a label that fits nowhere is left off).
    let places: Vec<f64> = sites.iter().map(|s| s.places).collect();
    wishes.extend(largest(&places, NAMED_SETTINGS).into_iter().map(|i| Wish {
        x: sites_at[i].0,
        y: sites_at[i].1,
        gap: reach(kind_style(sites[i].kind).1, sides[i]),
        lines: label_lines(&sites[i].name, 22),
        size: FONT,
    }));
    let labels = place_labels(&wishes, &obstacles, frame);
    Layout { proj, frame, outline, cells, boundaries, homes_at, sites_at, sides, scale_at, wishes, labels }
}

/// "places required: 12" or a band below the threshold.
pub(super) fn required_text(p: Published, threshold: f64) -> String {
    let Some(v) = p.shown() else { return "c places required".to_string() };
    if v.round() < 1.0 {
        "no places required".to_string()
    } else if small(v, threshold) {
        format!("fewer than {threshold:.0} places required")
    } else {
        format!("{:.0} places required", v.round())
    }
}
