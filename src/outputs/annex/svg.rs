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
    /// Whiskers across the years: the lowest and highest forecast (`None`: none drawn).
    pub range: Vec<Option<(f64, f64)>>,
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
    let mut out = String::new();
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
    let ranged: Vec<&Panel> = panels.iter().filter(|p| p.range.iter().any(Option::is_some)).collect();
    match ranged.len() {
        0 => {}
        n if n == panels.len() => items.push(("whisker", INK, "Lowest to highest forecast".into())),
        1 => items.push(("whisker", INK, format!("Lowest to highest forecast ({} only)", ranged[0].title))),
        _ => items.push(("whisker", INK, "Lowest to highest forecast (some panels)".into())),
    }
    let items: Vec<(&str, &str, &str)> = items.iter().map(|(s, c, n)| (*s, *c, n.as_str())).collect();
    // The legend first, as it may take more than one line: the panels go below it.
    let mut key = String::new();
    let below = legend(&mut key, 10.0, 14.0, &items, width - 10.0) - 14.0;
    // Titles wrap to their panel's width; every row leaves room for the longest.
    let titles: Vec<Vec<String>> = panels.iter().map(|p| wrap(&p.title, TITLE_CHARACTERS)).collect();
    let extra = 13.0 * (titles.iter().map(Vec::len).max().unwrap_or(1).max(1) - 1) as f64;
    let ph = ph + extra;
    open(
        &mut out,
        "chart",
        width,
        ph * rows as f64 + 30.0 + below,
        if years.len() == 1 { "Need and children placed in the borough" } else { "Need against places over the years" },
        "Small charts, one a need",
    );
    out.push_str(&key);
    for (i, panel) in panels.iter().enumerate() {
        let x0 = (i % per_row) as f64 * pw + 36.0;
        let y0 = (i / per_row) as f64 * ph + 44.0 + below + extra;
        let (w, h) = (pw - 52.0, ph - extra - 62.0);
        let highest = panel.range.iter().flatten().map(|r| r.1);
        let top = nice_top(
            panel
                .bars
                .iter()
                .chain(&panel.line)
                .chain(&panel.second)
                .flatten()
                .copied()
                .chain(highest)
                .fold(0.0, f64::max),
        );
        let lines = &titles[i];
        for (k, line) in lines.iter().enumerate() {
            let _ = write!(
                out,
                r#"<text x="{x0:.1}" y="{:.1}" font-weight="bold" fill="{INK}">{}</text>"#,
                y0 - 8.0 - 13.0 * (lines.len() - 1 - k) as f64,
                escape(line)
            );
        }
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
        for (k, range) in panel.range.iter().enumerate() {
            if let Some((low, high)) = range {
                let (x, y_low, y_high) = (at(k), y0 + h - height_of(*low), y0 + h - height_of(*high));
                let cap = (slot * 0.15).min(6.0);
                let _ = write!(
                    out,
                    r#"<g class="whisker"><title>{}: {low:.0} to {high:.0}</title><path d="{d}" stroke="white" stroke-width="4"/><path d="{d}" stroke="{INK}" stroke-width="1.5"/></g>"#,
                    escape(&years[k]),
                    d = format!(
                        "M{x:.1} {y_low:.1}V{y_high:.1}M{:.1} {y_low:.1}H{:.1}M{:.1} {y_high:.1}H{:.1}",
                        x - cap,
                        x + cap,
                        x - cap,
                        x + cap
                    )
                );
            }
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

/// The most characters of a panel title on a line (a panel is 240 px wide; bold 11 px text
/// is about 6.5 px a character).
const TITLE_CHARACTERS: usize = 32;

/// `text` in lines of at most `most` characters, broken at spaces (a word longer than that
/// has a line of its own).
fn wrap(text: &str, most: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= most => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
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

/// Each item's width in a legend: its symbol, its label and the gap after it.
fn legend_width(label: &str) -> f64 {
    26.0 + 6.5 * label.chars().count() as f64
}

/// A legend from (`x`, `y`), wrapping onto lines 16 px apart before `right`; the baseline of
/// its last line.
fn legend(out: &mut String, x: f64, y: f64, items: &[(&str, &str, &str)], right: f64) -> f64 {
    let (left, mut x, mut y) = (x, x, y);
    for (shape, colour, label) in items {
        if x > left && x + legend_width(label) > right {
            (x, y) = (left, y + 16.0);
        }
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
            "whisker" => {
                let _ = write!(
                    out,
                    r#"<g stroke="{colour}" stroke-width="1.5"><line x1="{0:.1}" x2="{0:.1}" y1="{1:.1}" y2="{2:.1}"/><line x1="{3:.1}" x2="{4:.1}" y1="{1:.1}" y2="{1:.1}"/><line x1="{3:.1}" x2="{4:.1}" y1="{2:.1}" y2="{2:.1}"/></g>"#,
                    x + 7.0,
                    y - 10.0,
                    y + 1.0,
                    x + 3.0,
                    x + 11.0
                );
            }
            _ => {
                let _ = write!(out, r#"<rect x="{x:.1}" y="{:.1}" width="14" height="10" fill="{colour}"/>"#, y - 9.0);
            }
        }
        let _ = write!(out, r#"<text x="{:.1}" y="{y:.1}" fill="{INK}">{}</text>"#, x + 18.0, escape(label));
        x += legend_width(label);
    }
    y
}

/// Vertical bars, stacked from their parts.
pub fn stacked_bars(bars: &[Bar], legend_names: &[&str], unit: &str) -> String {
    let width = 720.0;
    let colours = [MAIN, PALE, OUT];
    let items: Vec<(&str, &str, &str)> =
        legend_names.iter().enumerate().map(|(i, n)| ("bar", colours[i % colours.len()], *n)).collect();
    // The legend first, as it may take more than one line: the plot goes below it.
    let mut key = String::new();
    let below = legend(&mut key, 56.0, 16.0, &items, width - 10.0) - 16.0;
    let height = 300.0 + below;
    let (x0, y0, w, h) = (56.0, 34.0 + below, width - 76.0, 216.0);
    let top = nice_top(bars.iter().map(|b| b.parts.iter().flatten().sum::<f64>()).fold(0.0, f64::max));
    let mut out = String::new();
    let title = legend_names.join(" and ");
    open(&mut out, "chart", width, height, &title, &format!("Bars of {unit}"));
    out.push_str(&key);
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
    fn long_titles_wrap_at_spaces_within_the_panel() {
        let title = "Moderate and specific learning difficulties (MLD, SpLD)";
        assert_eq!(wrap(title, 32), ["Moderate and specific learning", "difficulties (MLD, SpLD)"]);
        assert_eq!(wrap("ASD", 32), ["ASD"]);
        assert_eq!(wrap("", 32), [""]);
        assert_eq!(wrap("a Supercalifragilistic b", 5), ["a", "Supercalifragilistic", "b"]);
        for line in wrap("Sensory, physical and other needs (HI, VI, MSI, PD, OTH)", 32) {
            assert!(line.chars().count() <= 32, "{line}");
        }
    }

    #[test]
    fn a_legend_wraps_before_the_right_edge() {
        let items = [("bar", MAIN, "Children needing a place"), ("line", INK, "Places in borough"), ("dot", OUT, "x")];
        let mut out = String::new();
        // 182 + 136 px: the second item does not fit before 300, so it starts a second line.
        assert_eq!(legend(&mut out, 10.0, 14.0, &items, 300.0), 30.0);
        assert!(out.contains(r##"<text x="28.0" y="30.0" fill="#1d3557">Places in borough</text>"##), "{out}");
        assert!(out.contains(r##"<text x="164.5" y="30.0" fill="#1d3557">x</text>"##), "{out}");
        let mut out = String::new();
        assert_eq!(legend(&mut out, 10.0, 14.0, &items, 1000.0), 14.0, "one line when it fits");
    }

    #[test]
    fn whiskers_span_the_forecasts_and_the_axis_reaches_the_highest() {
        let years = ["2025/26".to_string(), "2026/27".to_string()];
        let panel = Panel {
            title: "All needs".into(),
            bars: vec![Some(100.0), Some(110.0)],
            line: vec![None; 2],
            second: vec![None; 2],
            range: vec![None, Some((95.0, 130.0))],
        };
        let svg = small_multiples(&years, &[panel]);
        assert_eq!(svg.matches(r#"<g class="whisker">"#).count(), 1);
        assert!(svg.contains("<title>2026/27: 95 to 130</title>"));
        assert!(svg.contains(">Lowest to highest forecast<"));
        // The axis tops at 200 (130 is above the bars' 110, which alone would top at 200 too),
        // and 130 is drawn at 130/200 of the 108 px plot above its foot.
        assert!(svg.contains(">200</text>"), "{svg}");
        let foot = 44.0 + 108.0;
        assert!(svg.contains(&format!("V{:.1}", foot - 108.0 * 130.0 / 200.0)), "{svg}");
    }

    #[test]
    fn the_legend_lists_what_the_panels_draw() {
        let panel = |title: &str, line: bool| Panel {
            title: title.into(),
            bars: vec![Some(3.0), Some(4.0)],
            line: vec![line.then_some(5.0); 2],
            second: vec![None; 2],
            range: vec![None; 2],
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
