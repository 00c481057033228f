//! Charts and the map, drawn as inline SVG: no scripts, fonts or images, so the page stands
//! alone, prints, and cannot run anything. Every name from an input file is escaped.

use std::fmt::Write as _;

use geo::{ConvexHull, MultiPoint, Point};

use super::html::escape;
use crate::model::SettingKind;

const INK: &str = "#1d3557";
const MAIN: &str = "#2a6f97";
const PALE: &str = "#a9cce3";
const OUT: &str = "#d95f02";
const GRID: &str = "#d0d7de";

/// One small chart: bars by year, an optional line and optional dots.
pub struct Panel {
    /// Panel title.
    pub title: String,
    /// Bar heights (`None`: withheld or missing, no bar).
    pub bars: Vec<Option<f64>>,
    /// A line across the years.
    pub line: Vec<Option<f64>>,
    /// Dots across the years.
    pub second: Vec<Option<f64>>,
}

/// One stacked bar.
pub struct Bar {
    /// Label under the bar.
    pub label: String,
    /// Stacked parts, bottom first (`None`: withheld, not drawn).
    pub parts: Vec<Option<f64>>,
}

/// A point on the map.
pub struct MapPoint {
    /// Name shown or given as a tooltip.
    pub name: String,
    /// Longitude.
    pub x: f64,
    /// Latitude.
    pub y: f64,
    /// Whether it is in the borough.
    pub in_borough: bool,
    /// For a setting, its kind.
    pub kind: Option<SettingKind>,
}

/// Children from a locality to a setting.
pub struct Flow {
    /// Index of the locality.
    pub from: usize,
    /// Index of the setting.
    pub to: usize,
    /// Children.
    pub children: f64,
    /// Whether the setting is outside the borough.
    pub out_of_borough: bool,
}

/// A round top for an axis: 1, 2 or 5 times a power of ten at or above `v`.
fn nice_top(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|t| *t >= v).unwrap_or(10.0 * p)
}

fn short_year(y: &str) -> String {
    // "2025/26" → "25/26"
    if y.len() == 7 && y.as_bytes()[4] == b'/' { y[2..].to_string() } else { y.to_string() }
}

fn open(out: &mut String, class: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg class="{class}" role="img" viewBox="0 0 {width:.0} {height:.0}" width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11"><title>{}</title><desc>{}</desc>"#,
        escape(title),
        escape(desc)
    );
}

/// Panels side by side, three a row, each with its own scale.
pub fn small_multiples(years: &[String], panels: &[Panel]) -> String {
    let (pw, ph) = (240.0, 170.0);
    let per_row = 3usize;
    let rows = panels.len().div_ceil(per_row).max(1);
    let width = pw * per_row as f64;
    let height = ph * rows as f64 + 30.0;
    let mut out = String::new();
    open(&mut out, "chart", width, height, "Need against places over the years", "Small charts, one a need");
    legend(
        &mut out,
        10.0,
        14.0,
        &[
            ("bar", MAIN, "Children needing a place"),
            ("line", INK, "Places in borough"),
            ("dot", OUT, "Placed in borough"),
        ],
    );
    for (i, panel) in panels.iter().enumerate() {
        let x0 = (i % per_row) as f64 * pw + 36.0;
        let y0 = (i / per_row) as f64 * ph + 44.0;
        let (w, h) = (pw - 52.0, ph - 62.0);
        let top =
            nice_top(panel.bars.iter().chain(&panel.line).chain(&panel.second).flatten().copied().fold(0.0, f64::max));
        let _ = write!(
            out,
            r#"<text x="{x0:.1}" y="{:.1}" font-weight="bold" fill="{INK}">{}</text>"#,
            y0 - 8.0,
            escape(&panel.title)
        );
        gridlines(&mut out, (x0, y0, w, h), top, 2, 4.0);
        let n = years.len().max(1);
        let slot = w / n as f64;
        let at = |k: usize| x0 + slot * (k as f64 + 0.5);
        let height_of = |v: f64| h * (v / top).clamp(0.0, 1.0);
        for (k, year) in years.iter().enumerate() {
            if let Some(Some(v)) = panel.bars.get(k) {
                let bh = height_of(*v);
                let _ = write!(
                    out,
                    r#"<rect class="bar" x="{:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="{MAIN}"><title>{}: {v:.0}</title></rect>"#,
                    at(k) - slot * 0.35,
                    y0 + h - bh,
                    slot * 0.7,
                    escape(year)
                );
            }
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{INK}" font-size="9">{}</text>"#,
                at(k),
                y0 + h + 12.0,
                escape(&short_year(year))
            );
        }
        let points: Vec<String> = panel
            .line
            .iter()
            .enumerate()
            .filter_map(|(k, v)| v.map(|v| format!("{:.1},{:.1}", at(k), y0 + h - height_of(v))))
            .collect();
        if points.len() > 1 {
            let _ =
                write!(out, r#"<polyline points="{}" fill="none" stroke="{INK}" stroke-width="2"/>"#, points.join(" "));
        }
        for (k, v) in panel.second.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    out,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{OUT}"/>"#,
                    at(k),
                    y0 + h - height_of(*v)
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// Horizontal grid lines from 0 to `top` in `steps`, labelled `gap` left of the plot area
/// (`x0`, `y0`, width, height).
fn gridlines(out: &mut String, (x0, y0, w, h): (f64, f64, f64, f64), top: f64, steps: u32, gap: f64) {
    for k in 0..=steps {
        let share = f64::from(k) / f64::from(steps);
        let (v, y) = (top * share, y0 + h - h * share);
        let _ = write!(
            out,
            r#"<line x1="{x0:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{INK}">{v:.0}</text>"#,
            x0 + w,
            x0 - gap,
            y + 4.0
        );
    }
}

fn legend(out: &mut String, x: f64, y: f64, items: &[(&str, &str, &str)]) {
    let mut x = x;
    for (shape, colour, label) in items {
        match *shape {
            "line" => {
                let _ = write!(
                    out,
                    r#"<line x1="{x:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2"/>"#,
                    x + 14.0,
                    y - 4.0,
                    y - 4.0
                );
            }
            "dot" => {
                let _ = write!(out, r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{colour}"/>"#, x + 7.0, y - 4.0);
            }
            _ => {
                let _ = write!(out, r#"<rect x="{x:.1}" y="{:.1}" width="14" height="10" fill="{colour}"/>"#, y - 9.0);
            }
        }
        let _ = write!(out, r#"<text x="{:.1}" y="{y:.1}" fill="{INK}">{}</text>"#, x + 18.0, escape(label));
        x += 26.0 + 6.5 * label.len() as f64;
    }
}

/// Vertical bars, stacked from their parts.
pub fn stacked_bars(bars: &[Bar], legend_names: &[&str], unit: &str) -> String {
    let (width, height) = (720.0, 300.0);
    let (x0, y0, w, h) = (56.0, 34.0, width - 76.0, height - 84.0);
    let colours = [MAIN, PALE, OUT];
    let top = nice_top(bars.iter().map(|b| b.parts.iter().flatten().sum::<f64>()).fold(0.0, f64::max));
    let mut out = String::new();
    let title = legend_names.join(" and ");
    open(&mut out, "chart", width, height, &title, &format!("Bars of {unit}"));
    let items: Vec<(&str, &str, &str)> =
        legend_names.iter().enumerate().map(|(i, n)| ("bar", colours[i % colours.len()], *n)).collect();
    legend(&mut out, x0, 16.0, &items);
    gridlines(&mut out, (x0, y0, w, h), top, 4, 6.0);
    let _ = write!(
        out,
        r#"<text x="12" y="{:.1}" fill="{INK}" transform="rotate(-90 12 {:.1})" text-anchor="middle">{}</text>"#,
        y0 + h / 2.0,
        y0 + h / 2.0,
        escape(unit)
    );
    let slot = w / bars.len().max(1) as f64;
    for (k, bar) in bars.iter().enumerate() {
        let cx = x0 + slot * (k as f64 + 0.5);
        let mut base = y0 + h;
        for (i, part) in bar.parts.iter().enumerate() {
            let Some(v) = part else { continue };
            let bh = h * (v / top).clamp(0.0, 1.0);
            base -= bh;
            let _ = write!(
                out,
                r#"<rect class="bar" x="{:.1}" y="{base:.1}" width="{:.1}" height="{bh:.1}" fill="{}"><title>{}: {}: {v:.0}</title></rect>"#,
                cx - slot * 0.3,
                slot * 0.6,
                colours[i % colours.len()],
                escape(&bar.label),
                escape(legend_names.get(i).copied().unwrap_or(""))
            );
        }
        let _ = write!(
            out,
            r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="{INK}">{}</text>"#,
            y0 + h + 16.0,
            escape(&bar.label)
        );
    }
    out.push_str("</svg>");
    out
}

/// Line width for a flow of `children`: in bands when small counts are withheld, so the
/// map shows no more than the tables do.
fn flow_width(children: f64, threshold: f64) -> f64 {
    if threshold > 1.0 {
        match children {
            c if c < threshold => 1.0,
            c if c < 20.0 => 2.5,
            c if c < 50.0 => 4.5,
            _ => 7.0,
        }
    } else {
        0.8 + children.sqrt() * 0.8
    }
}

/// Localities, settings, the borough's outline and the flows between them.
pub fn map(localities: &[MapPoint], settings: &[MapPoint], flows: &[Flow], threshold: f64) -> String {
    let (width, height) = (720.0, 620.0);
    let (margin, legend_h) = (30.0, 80.0);
    let all: Vec<&MapPoint> = localities.iter().chain(settings).collect();
    let mid_lat = all.iter().map(|p| p.y).sum::<f64>() / all.len().max(1) as f64;
    let squeeze = mid_lat.to_radians().cos();
    let xs = all.iter().map(|p| p.x * squeeze);
    let (min_x, max_x) = xs.clone().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    let (min_y, max_y) =
        all.iter().map(|p| p.y).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
    let span =
        ((max_x - min_x) / (width - 2.0 * margin)).max((max_y - min_y) / (height - 2.0 * margin - legend_h)).max(1e-9);
    // Centre the drawing in the space below the legend.
    let left = margin + ((width - 2.0 * margin) - (max_x - min_x) / span) / 2.0;
    let project = |p: &MapPoint| -> (f64, f64) {
        (left + (p.x * squeeze - min_x) / span, legend_h + margin + (max_y - p.y) / span)
    };
    let mut out = String::new();
    open(
        &mut out,
        "map",
        width,
        height,
        "Map of localities, settings and journeys",
        "Home localities as circles, settings as squares, lines from localities to settings weighted by children",
    );
    // The borough: the hull around its localities and settings.
    let inside: Vec<Point<f64>> = all
        .iter()
        .filter(|p| p.in_borough)
        .map(|p| {
            let (x, y) = project(p);
            Point::new(x, y)
        })
        .collect();
    if inside.len() >= 3 {
        let hull = MultiPoint::from(inside).convex_hull();
        let points: Vec<String> = hull.exterior().points().map(|p| format!("{:.1},{:.1}", p.x(), p.y())).collect();
        let _ = write!(
            out,
            r##"<polygon class="borough" points="{}" fill="#eef4f8" stroke="{MAIN}" stroke-width="1.5" stroke-dasharray="6 4"/>"##,
            points.join(" ")
        );
    }
    // Flows, biggest last so they sit on top.
    let mut order: Vec<&Flow> = flows.iter().collect();
    order.sort_by(|a, b| a.children.total_cmp(&b.children));
    for f in order {
        let (Some(from), Some(to)) = (localities.get(f.from), settings.get(f.to)) else { continue };
        let (x1, y1) = project(from);
        let (x2, y2) = project(to);
        let colour = if f.out_of_borough { OUT } else { MAIN };
        let amount = if threshold > 1.0 && f.children < threshold {
            format!("fewer than {threshold:.0} children")
        } else {
            format!("{:.0} children", f.children)
        };
        let _ = write!(
            out,
            r#"<line class="flow" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{colour}" stroke-opacity="0.7" stroke-width="{:.1}" stroke-linecap="round"><title>{} to {}: {amount}</title></line>"#,
            flow_width(f.children, threshold),
            escape(&from.name),
            escape(&to.name)
        );
    }
    for s in settings {
        let (x, y) = project(s);
        let (fill, stroke) = if s.in_borough { (MAIN, "#ffffff") } else { ("#ffffff", OUT) };
        let kind = s.kind.map_or("", SettingKind::name);
        let _ = write!(
            out,
            r##"<rect class="setting" x="{:.1}" y="{:.1}" width="9" height="9" fill="{fill}" stroke="{stroke}" stroke-width="2"><title>{} ({})</title></rect>"##,
            x - 4.5,
            y - 4.5,
            escape(&s.name),
            escape(kind)
        );
    }
    for l in localities {
        let (x, y) = project(l);
        let _ = write!(
            out,
            r##"<circle class="locality" cx="{x:.1}" cy="{y:.1}" r="5" fill="{INK}" stroke="#ffffff" stroke-width="1.5"><title>{}</title></circle><text x="{:.1}" y="{:.1}" fill="{INK}" font-size="11" paint-order="stroke" stroke="#ffffff" stroke-width="3">{}</text>"##,
            escape(&l.name),
            x + 7.0,
            y - 6.0,
            escape(&l.name)
        );
    }
    // Legend.
    let _ = write!(
        out,
        r##"<g class="legend"><circle cx="14" cy="16" r="5" fill="{INK}"/><text x="24" y="20" fill="{INK}">Home locality</text><rect x="120" y="11" width="9" height="9" fill="{MAIN}"/><text x="134" y="20" fill="{INK}">Setting in borough</text><rect x="262" y="11" width="9" height="9" fill="#ffffff" stroke="{OUT}" stroke-width="2"/><text x="276" y="20" fill="{INK}">Setting out of borough</text><polygon points="430,11 446,11 446,21 430,21" fill="#eef4f8" stroke="{MAIN}" stroke-dasharray="4 2"/><text x="452" y="20" fill="{INK}">Borough (outline of its localities and settings)</text><line x1="8" x2="30" y1="44" y2="44" stroke="{MAIN}" stroke-width="3"/><text x="36" y="48" fill="{INK}">Children placed in borough</text><line x1="210" x2="232" y1="44" y2="44" stroke="{OUT}" stroke-width="3"/><text x="238" y="48" fill="{INK}">Children placed out of borough</text>"##
    );
    let widths = if threshold > 1.0 {
        format!("Line widths: fewer than {threshold:.0}, up to 19, 20 to 49, 50 or more children")
    } else {
        "Line width grows with the number of children".to_string()
    };
    let _ = write!(out, r#"<text x="8" y="72" fill="{INK}">{}</text></g>"#, escape(&widths));
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(7.0), 10.0);
        assert_eq!(nice_top(130.0), 200.0);
        assert_eq!(nice_top(500.0), 500.0);
    }

    #[test]
    fn names_in_the_map_are_escaped() {
        let p = |name: &str, x: f64, inb: bool| MapPoint {
            name: name.into(),
            x,
            y: 53.0 + x / 10.0,
            in_borough: inb,
            kind: None,
        };
        let svg = map(
            &[p("<script>alert(1)</script>", -2.0, true), p("A", -2.1, true), p("B", -2.2, true)],
            &[p("S & T", -2.05, false)],
            &[Flow { from: 0, to: 0, children: 3.0, out_of_borough: true }],
            5.0,
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("S &amp; T"));
        assert!(svg.contains("fewer than 5 children"), "small flows are shown in a band, not as a count");
        assert!(!svg.contains(": 3 children"));
    }
}
