//! Charts, drawn as inline SVG (the maps are in `map`): no scripts, fonts or images, so the page stands
//! alone, prints, and cannot run anything. Every name from an input file is escaped.

use std::fmt::Write as _;

use super::html::escape;

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

pub(super) fn open(out: &mut String, class: &str, width: f64, height: f64, title: &str, desc: &str) {
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
    // The legend lists what is drawn, and says where when a series is not in every panel.
    let drawn = |series: fn(&Panel) -> &Vec<Option<f64>>, name: &str| -> Option<String> {
        let with: Vec<&Panel> = panels.iter().filter(|p| series(p).iter().any(Option::is_some)).collect();
        match with.len() {
            0 => None,
            n if n == panels.len() => Some(name.to_string()),
            1 => Some(format!("{name} ({} only)", with[0].title)),
            _ => Some(format!("{name} (some panels)")),
        }
    };
    let mut items: Vec<(&str, &str, String)> = Vec::new();
    if let Some(name) = drawn(|p| &p.bars, "Children needing a place") {
        items.push(("bar", MAIN, name));
    }
    if let Some(name) = drawn(|p| &p.line, "Places in borough") {
        items.push(("line", INK, name));
    }
    if let Some(name) = drawn(|p| &p.second, "Placed in borough") {
        items.push(("dot", OUT, name));
    }
    let items: Vec<(&str, &str, &str)> = items.iter().map(|(s, c, n)| (*s, *c, n.as_str())).collect();
    legend(&mut out, 10.0, 14.0, &items);
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
    fn the_legend_lists_what_the_panels_draw() {
        let panel = |title: &str, line: bool| Panel {
            title: title.into(),
            bars: vec![Some(3.0), Some(4.0)],
            line: vec![line.then_some(5.0); 2],
            second: vec![None; 2],
        };
        let years = ["2025/26".to_string(), "2026/27".to_string()];
        let svg = small_multiples(&years, &[panel("All needs", true), panel("ASD", false)]);
        assert!(svg.contains(">Children needing a place<"), "{svg}");
        assert!(svg.contains(">Places in borough (All needs only)<"), "{svg}");
        assert!(!svg.contains("Placed in borough"), "no dots are drawn, so none is in the legend");
        assert!(!svg.contains("<circle"));
        let svg = small_multiples(&years, &[panel("All needs", true), panel("ASD", true)]);
        assert!(svg.contains(">Places in borough<"), "{svg}");
    }
}
