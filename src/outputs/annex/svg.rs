//! Charts, drawn as inline SVG (the maps are in `map`): no scripts, fonts or images, so the page stands
//! alone, prints, and cannot run anything. Built with maud, so every name from an input file is
//! escaped as it is written.

use maud::{Markup, html};

use crate::outputs::annex::Drawing;

mod described;
mod fan;
use described::{bars_table, describe_bars, describe_panels, panels_table};
pub use fan::{Fan, fan_chart};

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

/// A coordinate or length as drawn: one decimal place.
pub(super) fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// A count as drawn: a whole number.
pub(super) fn whole(v: f64) -> String {
    format!("{v:.0}")
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

/// An SVG drawing of `class` ("chart" or "map"): its title and description (what a screen
/// reader says for it), then `body`.
pub(super) fn drawing(class: &str, width: f64, height: f64, title: &str, desc: &str, body: &Markup) -> Markup {
    html! {
        svg class=(class) role="img" viewBox={ "0 0 " (whole(width)) " " (whole(height)) } width="100%"
            preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg"
            font-family="system-ui, sans-serif" font-size="11" {
            title { (title) }
            desc { (desc) }
            (body)
        }
    }
}

/// Panels side by side, three a row, each with its own scale, of children `who` ("needing a
/// specialist place", "with an EHC plan") as its description says.
pub fn small_multiples(years: &[String], panels: &[Panel], who: &str) -> Drawing {
    let (pw, ph) = (240.0, 170.0);
    let per_row = 3usize;
    let rows = panels.len().div_ceil(per_row).max(1);
    let width = pw * per_row as f64;
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
    let (key, last) = legend(10.0, 14.0, &items, width - 10.0);
    let below = last - 14.0;
    // Titles wrap to their panel's width; every row leaves room for the longest.
    let titles: Vec<Vec<String>> = panels.iter().map(|p| wrap(&p.title, TITLE_CHARACTERS)).collect();
    let extra = 13.0 * (titles.iter().map(Vec::len).max().unwrap_or(1).max(1) - 1) as f64;
    let ph = ph + extra;
    let (title, desc) = describe_panels(years, panels, who);
    let body = html! {
        (key)
        @for (i, p) in panels.iter().enumerate() {
            @let x0 = (i % per_row) as f64 * pw + 36.0;
            @let y0 = (i / per_row) as f64 * ph + 44.0 + below + extra;
            (panel(years, p, &titles[i], (x0, y0, pw - 52.0, ph - extra - 62.0)))
        }
    };
    Drawing {
        picture: drawing("chart", width, ph * rows as f64 + 30.0 + below, &title, &desc, &body),
        figures: panels_table(years, panels),
    }
}

/// One panel of the small multiples, its plot area at (`x0`, `y0`) of width `w` and height
/// `h`, its title's `lines` above it.
fn panel(years: &[String], panel: &Panel, lines: &[String], (x0, y0, w, h): (f64, f64, f64, f64)) -> Markup {
    let highest = panel.range.iter().flatten().map(|r| r.1);
    let top = nice_top(
        panel.bars.iter().chain(&panel.line).chain(&panel.second).flatten().copied().chain(highest).fold(0.0, f64::max),
    );
    let n = years.len().max(1);
    let slot = w / n as f64;
    let at = |k: usize| x0 + slot * (k as f64 + 0.5);
    let height_of = |v: f64| h * (v / top).clamp(0.0, 1.0);
    let points: Vec<String> = panel
        .line
        .iter()
        .enumerate()
        .filter_map(|(k, v)| v.map(|v| format!("{:.1},{:.1}", at(k), y0 + h - height_of(v))))
        .collect();
    let cap = (slot * 0.15).min(6.0);
    html! {
        @for (k, line) in lines.iter().enumerate() {
            text x=(px(x0)) y=(px(y0 - 8.0 - 13.0 * (lines.len() - 1 - k) as f64)) font-weight="bold" fill=(INK) {
                (line)
            }
        }
        (gridlines((x0, y0, w, h), top, 2, 4.0))
        @for (k, year) in years.iter().enumerate() {
            @if let Some(Some(v)) = panel.bars.get(k) {
                @let bh = height_of(*v);
                rect class="bar" x=(px(at(k) - slot * 0.35)) y=(px(y0 + h - bh)) width=(px(slot * 0.7))
                    height=(px(bh)) fill=(MAIN) {
                    title { (year) ": " (whole(*v)) }
                }
            }
            text x=(px(at(k))) y=(px(y0 + h + 12.0)) text-anchor="middle" fill=(INK) { (short_year(year)) }
        }
        @if points.len() > 1 {
            polyline points=(points.join(" ")) fill="none" stroke=(INK) stroke-width="2" {}
        }
        @for (k, range) in panel.range.iter().enumerate() {
            @if let Some((low, high)) = range {
                @let (x, y_low, y_high) = (at(k), y0 + h - height_of(*low), y0 + h - height_of(*high));
                @let d = format!(
                    "M{x:.1} {y_low:.1}V{y_high:.1}M{:.1} {y_low:.1}H{:.1}M{:.1} {y_high:.1}H{:.1}",
                    x - cap,
                    x + cap,
                    x - cap,
                    x + cap
                );
                g class="whisker" {
                    title { (years[k]) ": " (whole(*low)) " to " (whole(*high)) }
                    path d=(d) stroke="white" stroke-width="4" {}
                    path d=(d) stroke=(INK) stroke-width="1.5" {}
                }
            }
        }
        @for (k, v) in panel.second.iter().enumerate() {
            @if let Some(v) = v {
                circle cx=(px(at(k))) cy=(px(y0 + h - height_of(*v))) r="3.5" fill=(OUT) {}
            }
        }
    }
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
fn gridlines((x0, y0, w, h): (f64, f64, f64, f64), top: f64, steps: u32, gap: f64) -> Markup {
    html! {
        @for k in 0..=steps {
            @let share = f64::from(k) / f64::from(steps);
            @let (v, y) = (top * share, y0 + h - h * share);
            line x1=(px(x0)) x2=(px(x0 + w)) y1=(px(y)) y2=(px(y)) stroke=(GRID) {}
            text x=(px(x0 - gap)) y=(px(y + 4.0)) text-anchor="end" fill=(INK) { (whole(v)) }
        }
    }
}

/// Each item's width in a legend: its symbol, its label and the gap after it.
fn legend_width(label: &str) -> f64 {
    26.0 + 6.5 * label.chars().count() as f64
}

/// A legend from (`x`, `y`), wrapping onto lines 16 px apart before `right`, and the baseline
/// of its last line.
fn legend(x: f64, y: f64, items: &[(&str, &str, &str)], right: f64) -> (Markup, f64) {
    let (left, mut x, mut y) = (x, x, y);
    let mut drawn = Vec::new();
    for (shape, colour, label) in items {
        if x > left && x + legend_width(label) > right {
            (x, y) = (left, y + 16.0);
        }
        drawn.push(html! {
            @match *shape {
                "line" => {
                    line x1=(px(x)) x2=(px(x + 14.0)) y1=(px(y - 4.0)) y2=(px(y - 4.0)) stroke=(colour)
                        stroke-width="2" {}
                }
                "dot" => { circle cx=(px(x + 7.0)) cy=(px(y - 4.0)) r="4" fill=(colour) {} }
                "whisker" => {
                    g stroke=(colour) stroke-width="1.5" {
                        line x1=(px(x + 7.0)) x2=(px(x + 7.0)) y1=(px(y - 10.0)) y2=(px(y + 1.0)) {}
                        line x1=(px(x + 3.0)) x2=(px(x + 11.0)) y1=(px(y - 10.0)) y2=(px(y - 10.0)) {}
                        line x1=(px(x + 3.0)) x2=(px(x + 11.0)) y1=(px(y + 1.0)) y2=(px(y + 1.0)) {}
                    }
                }
                _ => { rect x=(px(x)) y=(px(y - 9.0)) width="14" height="10" fill=(colour) {} }
            }
            text x=(px(x + 18.0)) y=(px(y)) fill=(INK) { (label) }
        });
        x += legend_width(label);
    }
    (html! { @for d in &drawn { (d) } }, y)
}

/// Vertical bars, stacked from their parts.
pub fn stacked_bars(bars: &[Bar], legend_names: &[&str], unit: &str) -> Drawing {
    let width = 720.0;
    let colours = [MAIN, PALE, OUT];
    let items: Vec<(&str, &str, &str)> =
        legend_names.iter().enumerate().map(|(i, n)| ("bar", colours[i % colours.len()], *n)).collect();
    // The legend first, as it may take more than one line: the plot goes below it.
    let (key, last) = legend(56.0, 16.0, &items, width - 10.0);
    let below = last - 16.0;
    let height = 300.0 + below;
    let (x0, y0, w, h) = (56.0, 34.0 + below, width - 76.0, 216.0);
    let top = nice_top(bars.iter().map(|b| b.parts.iter().flatten().sum::<f64>()).fold(0.0, f64::max));
    let (title, desc) = describe_bars(bars, legend_names, unit);
    let slot = w / bars.len().max(1) as f64;
    // Each bar's parts: where each starts (from the foot up) and its height.
    let stacked: Vec<Vec<(usize, f64, f64, f64)>> = bars
        .iter()
        .map(|bar| {
            let mut base = y0 + h;
            let mut parts = Vec::new();
            for (i, part) in bar.parts.iter().enumerate() {
                let Some(v) = part else { continue };
                let bh = h * (v / top).clamp(0.0, 1.0);
                base -= bh;
                parts.push((i, *v, base, bh));
            }
            parts
        })
        .collect();
    let body = html! {
        (key)
        (gridlines((x0, y0, w, h), top, 4, 6.0))
        text x="12" y=(px(y0 + h / 2.0)) fill=(INK) transform={ "rotate(-90 12 " (px(y0 + h / 2.0)) ")" }
            text-anchor="middle" { (unit) }
        @for (k, (bar, parts)) in bars.iter().zip(&stacked).enumerate() {
            @let cx = x0 + slot * (k as f64 + 0.5);
            @for &(i, v, base, bh) in parts {
                rect class="bar" x=(px(cx - slot * 0.3)) y=(px(base)) width=(px(slot * 0.6)) height=(px(bh))
                    fill=(colours[i % colours.len()]) {
                    title { (bar.label) ": " (legend_names.get(i).copied().unwrap_or("")) ": " (whole(v)) }
                }
            }
            text x=(px(cx)) y=(px(y0 + h + 16.0)) text-anchor="middle" fill=(INK) { (bar.label) }
        }
    };
    Drawing {
        picture: drawing("chart", width, height, &title, &desc, &body),
        figures: bars_table(bars, legend_names, unit),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Who the small multiples count.
    const WHO: &str = "needing a specialist place";

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
        // 182 + 136 px: the second item does not fit before 300, so it starts a second line.
        let (out, last) = legend(10.0, 14.0, &items, 300.0);
        let out = out.into_string();
        assert_eq!(last, 30.0);
        assert!(out.contains(r##"<text x="28.0" y="30.0" fill="#1d3557">Places in borough</text>"##), "{out}");
        assert!(out.contains(r##"<text x="164.5" y="30.0" fill="#1d3557">x</text>"##), "{out}");
        assert_eq!(legend(10.0, 14.0, &items, 1000.0).1, 14.0, "one line when it fits");
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
        let svg = small_multiples(&years, &[panel], WHO).to_text();
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
        let svg = small_multiples(&years, &[panel("All needs", true), panel("ASD", false)], WHO).to_text();
        assert!(svg.contains(">Children needing a place<"), "{svg}");
        assert!(svg.contains(">Places in borough (All needs only)<"), "{svg}");
        assert!(!svg.contains("Placed in borough"), "no dots are drawn, so none is in the legend");
        assert!(!svg.contains("<circle"));
        let svg = small_multiples(&years, &[panel("All needs", true), panel("ASD", true)], WHO).to_text();
        assert!(svg.contains(">Places in borough<"), "{svg}");
    }

    #[test]
    fn a_chart_says_what_it_shows_and_tables_its_figures() {
        let years: Vec<String> = ["2025/26", "2026/27", "2027/28"].iter().map(ToString::to_string).collect();
        let panel = |title: &str, bars: Vec<Option<f64>>| Panel {
            title: title.into(),
            bars,
            line: vec![None; 3],
            second: vec![None; 3],
            range: vec![None, None, Some((700.0, 1_250.0))],
        };
        let svg = small_multiples(
            &years,
            &[
                panel("ASD", vec![Some(612.0), Some(700.0), Some(1_790.0)]),
                panel("SLCN", vec![None, Some(3.0), Some(2.0)]),
            ],
            WHO,
        )
        .to_text();
        let title = &svg[svg.find("<title>").unwrap() + 7..svg.find("</title>").unwrap()];
        assert_eq!(title, "Children needing a specialist place by need, 2025/26 to 2027/28");
        let desc = &svg[svg.find("<desc>").unwrap() + 6..svg.find("</desc>").unwrap()];
        assert!(desc.contains("ASD: children needing a place 612 in 2025/26, rising to 1,790 in 2027/28; forecasts for 2027/28 from 700 to 1,250"), "{desc}");
        assert!(
            desc.contains("SLCN: children needing a place c in 2025/26, to 2 in 2027/28"),
            "a bar not drawn is withheld: {desc}"
        );
        // The figures again, in a table after the drawing: a row a series, a column a year.
        let table = &svg[svg.find("</svg>").unwrap()..];
        assert!(table.starts_with(r#"</svg><details class="figures">"#), "{table}");
        assert!(table.contains(r#"<tr><th scope="row">ASD</th><th scope="row">Children needing a place</th><td class="n" data-label="2025/26">612</td><td class="n" data-label="2026/27">700</td><td class="n" data-label="2027/28">1,790</td></tr>"#), "{table}");
        assert!(table.contains(r#"<td class="n" data-label="2027/28">700 to 1,250</td>"#), "{table}");
        assert!(table.contains(r#"<th scope="row">SLCN</th><th scope="row">Children needing a place</th><td class="n" data-label="2025/26">c</td>"#), "{table}");

        let bars = [
            Bar { label: "2025/26".into(), parts: vec![Some(10.0), Some(4.0)] },
            Bar { label: "2026/27".into(), parts: vec![Some(8.0), None] },
        ];
        let svg = stacked_bars(&bars, &["Local places full", "No place"], "children").to_text();
        assert!(svg.contains("<title>Local places full; No place, 2025/26 to 2026/27</title>"), "{svg}");
        assert!(
            svg.contains(
                "Local places full: 10 in 2025/26, falling to 8 in 2026/27. No place: 4 in 2025/26, to c in 2026/27."
            ),
            "{svg}"
        );
        assert!(svg.contains(r#"<tr><th scope="row">2026/27</th><td class="n" data-label="Local places full (children)">8</td><td class="n" data-label="No place (children)">c</td></tr>"#), "{svg}");
    }

    /// The elements a drawing is made of: any other (a `<script>` from a name) fails.
    pub(crate) fn only_drawing_elements(out: &str) {
        let allowed = [
            "svg", "title", "desc", "g", "rect", "line", "polyline", "path", "circle", "text", "details", "summary",
            "table", "caption", "thead", "tbody", "tr", "th", "td",
        ];
        for (i, _) in out.match_indices('<') {
            let name: String =
                out[i + 1..].trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
            assert!(allowed.contains(&name.as_str()), "<{name} in {out}");
        }
        // Every ampersand starts an entity: none is left bare.
        for (i, _) in out.match_indices('&') {
            assert!(["&amp;", "&lt;", "&gt;", "&quot;"].iter().any(|e| out[i..].starts_with(e)), "bare & in {out}");
        }
    }

    #[test]
    fn hostile_names_are_escaped_in_the_charts() {
        let evil = r#"<script>alert('x')</script> & "q""#;
        let escaped = "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;q&quot;";
        // A year and a need named so: in the axis, the hover titles, the description, the
        // table's headings and its cells' labels (an attribute).
        let years = [evil.to_string(), "2026/27".to_string()];
        let panel = Panel {
            title: evil.into(),
            bars: vec![Some(3.0), Some(4.0)],
            line: vec![Some(5.0); 2],
            second: vec![Some(1.0); 2],
            range: vec![Some((1.0, 6.0)); 2],
        };
        let svg = small_multiples(&years, &[panel], WHO).to_text();
        only_drawing_elements(&svg);
        assert!(svg.contains(&format!("<title>{escaped}: 3</title>")), "a bar's hover title: {svg}");
        assert!(svg.contains(&format!("<title>{escaped}: 1 to 6</title>")), "a whisker's hover title: {svg}");
        assert!(svg.contains(&format!(r#"<th scope="col" class="n">{escaped}</th>"#)), "{svg}");
        assert!(svg.contains(&format!(r#"data-label="{escaped}""#)), "an attribute: {svg}");
        assert!(svg.contains(&format!(r#"<th scope="row">{escaped}</th>"#)), "{svg}");
        assert!(svg.contains(">&quot;q&quot;</text>"), "the wrapped title's last line: {svg}");
        let desc = &svg[svg.find("<desc>").unwrap()..svg.find("</desc>").unwrap()];
        assert!(desc.contains(&format!("{escaped}: children needing a place 3")), "{desc}");
        // A bar, a part and the unit named so.
        let bars = [Bar { label: evil.into(), parts: vec![Some(1.0), Some(2.0)] }];
        let stacked = stacked_bars(&bars, &[evil, "No place"], evil).to_text();
        only_drawing_elements(&stacked);
        assert!(stacked.contains(&format!("<title>{escaped}: {escaped}: 1</title>")), "{stacked}");
        assert!(stacked.contains(&format!(r#"text-anchor="middle">{escaped}</text>"#)), "the unit: {stacked}");
        assert!(stacked.contains(&format!(r##"fill="#1d3557">{escaped}</text>"##)), "the legend: {stacked}");
        assert!(stacked.contains(&format!(r#"data-label="{escaped} ({escaped})""#)), "{stacked}");
        assert!(stacked.contains(&format!("<title>{escaped}; No place, {escaped}</title>")), "{stacked}");
    }

    #[test]
    fn svg_elements_are_closed_as_an_html_parser_needs() {
        // `<rect ... />` inside HTML: the parser ignores the slash, so each element is closed.
        let panel = Panel {
            title: "All needs".into(),
            bars: vec![Some(3.0)],
            line: vec![Some(5.0)],
            second: vec![Some(1.0)],
            range: vec![Some((1.0, 6.0))],
        };
        let svg = small_multiples(&["2025/26".to_string()], &[panel], WHO).to_text();
        assert!(!svg.contains("/>"), "{svg}");
        for name in ["rect", "line", "circle", "path", "text"] {
            assert_eq!(svg.matches(&format!("<{name} ")).count(), svg.matches(&format!("</{name}>")).count(), "{name}");
        }
    }
}
