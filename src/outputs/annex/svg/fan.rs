//! Fan charts: how far a figure could move over the futures drawn, year by year. A band from
//! the 10th to the 90th percentile (eight futures in ten fall inside it) and a line through
//! the middle future (the 50th), labelled at its end, so no series is told by colour alone.
//! The bands are at least 3:1 against white and against each other; each line is drawn dark
//! with a white core, so it shows on white and on either band.

use maud::{Markup, html};

use super::described::{span, table};
use super::{INK, drawing, legend, px};
use crate::outputs::annex::Drawing;

/// The bands' colours, in order: a mid blue for one series; for two, orange (3.7:1 on white)
/// then a dark blue (4.1:1 on the orange).
const ONE: &str = "#2a6f97";
const FIRST: &str = "#c46f1b";
const SECOND: &str = "#0b2545";

/// One series over the futures, a value a year.
pub struct Fan {
    /// Its name, written at the end of its line and in the legend.
    pub name: String,
    /// The 10th percentile each year.
    pub low: Vec<f64>,
    /// The 50th (the middle future).
    pub middle: Vec<f64>,
    /// The 90th.
    pub high: Vec<f64>,
}

/// A figure as drawn and tabled: one decimal place, thousands grouped ("1,234.5").
fn figure(v: f64) -> String {
    let v = if v.abs() < 0.05 { 0.0 } else { v };
    crate::outputs::annex::Unit::Percent.format(v).trim_end_matches('%').to_string()
}

/// An axis label: whole numbers when the steps are.
fn tick(v: f64, step: f64) -> String {
    if step >= 1.0 { crate::outputs::annex::Unit::Children.format(v) } else { figure(v) }
}

/// A step for the axis: 1, 2 or 5 times a power of ten at or above `v`.
fn step_of(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|t| *t >= v - 1e-12).unwrap_or(10.0 * p)
}

/// The axis from a round number at or below the least value to one at or above the most,
/// and its step (about five steps). A fan's band and line are read by position, not by
/// length, so the axis need not start at 0 (a deficit of £150m to £350m fills the chart).
fn axis(values: impl Iterator<Item = f64>) -> (f64, f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.0, 0.0) };
    let step = step_of((hi - lo) / 5.0);
    let (bottom, top) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    (bottom, if top > bottom { top } else { bottom + step }, step)
}

/// A fan chart of `fans` over `years` in `unit` (e.g. "£ million"), with a dashed line at
/// `target` if given; `what` titles it ("The saving each year").
pub fn fan_chart(years: &[String], fans: &[Fan], target: Option<f64>, unit: &str, what: &str) -> Drawing {
    let width = 720.0;
    let colours: Vec<&str> = if fans.len() == 1 { vec![ONE] } else { vec![FIRST, SECOND] };
    let colour = |i: usize| colours[i % colours.len()];
    let band_names: Vec<String> = fans.iter().map(|f| format!("{}: 8 futures in 10", f.name)).collect();
    let mut items: Vec<(&str, &str, &str)> =
        band_names.iter().enumerate().map(|(i, n)| ("bar", colour(i), n.as_str())).collect();
    items.push(("line", INK, "Middle future (line)"));
    if target.is_some() {
        items.push(("line", INK, "Target (dashed)"));
    }
    let (key, last) = legend(64.0, 16.0, &items, width - 10.0);
    let below = last - 16.0;
    let (x0, y0, w, h) = (64.0, 34.0 + below, width - 64.0 - 200.0, 216.0);
    let height = 300.0 + below;
    let all = fans.iter().flat_map(|f| f.low.iter().chain(&f.middle).chain(&f.high)).copied();
    let (bottom, top, step) = axis(all.chain(target));
    let y = |v: f64| y0 + h - h * ((v - bottom) / (top - bottom)).clamp(0.0, 1.0);
    let n = years.len();
    let x = |k: usize| if n > 1 { x0 + w * k as f64 / (n - 1) as f64 } else { x0 + w / 2.0 };
    let band = |f: &Fan| -> String {
        let upper = f.high.iter().enumerate().map(|(k, v)| format!("{:.1} {:.1}", x(k), y(*v)));
        let lower = f.low.iter().enumerate().rev().map(|(k, v)| format!("{:.1} {:.1}", x(k), y(*v)));
        format!("M{}Z", upper.chain(lower).collect::<Vec<_>>().join("L"))
    };
    let line = |f: &Fan| -> String {
        f.middle.iter().enumerate().map(|(k, v)| format!("{:.1},{:.1}", x(k), y(*v))).collect::<Vec<_>>().join(" ")
    };
    // Each line's name at its end, moved apart where two would overlap.
    let mut labels: Vec<(usize, f64)> =
        fans.iter().enumerate().map(|(i, f)| (i, y(f.middle.last().copied().unwrap_or(0.0)) + 4.0)).collect();
    labels.sort_by(|a, b| a.1.total_cmp(&b.1));
    for k in 1..labels.len() {
        labels[k].1 = labels[k].1.max(labels[k - 1].1 + 14.0);
    }
    let grid = ((bottom / step).round() as i64..=(top / step).round() as i64).map(|g| g as f64 * step);
    let (title, desc) = describe(years, fans, target, unit, what);
    let body = html! {
        (key)
        @for v in grid {
            line x1=(px(x0)) x2=(px(x0 + w)) y1=(px(y(v))) y2=(px(y(v))) stroke=(super::GRID) {}
            text x=(px(x0 - 6.0)) y=(px(y(v) + 4.0)) text-anchor="end" fill=(INK) { (tick(v, step)) }
        }
        text x="12" y=(px(y0 + h / 2.0)) fill=(INK) transform={ "rotate(-90 12 " (px(y0 + h / 2.0)) ")" }
            text-anchor="middle" { (unit) }
        @for (k, year) in years.iter().enumerate() {
            text x=(px(x(k))) y=(px(y0 + h + 16.0)) text-anchor="middle" fill=(INK) { (year) }
        }
        @for (i, f) in fans.iter().enumerate() {
            path class="band" d=(band(f)) fill=(colour(i)) {
                title { (f.name) ": from the 10th to the 90th percentile of the futures" }
            }
        }
        @if let Some(t) = target {
            (cased("target", &format!("{x0:.1},{:.1} {:.1},{:.1}", y(t), x0 + w, y(t)), Some("6 4")))
            text x=(px(x0 + w + 8.0)) y=(px(y(t) + 4.0)) fill=(INK) { "Target " (figure(t)) }
        }
        @for f in fans {
            (cased("middle", &line(f), None))
            @for (k, year) in years.iter().enumerate() {
                circle cx=(px(x(k))) cy=(px(y(f.middle[k]))) r="3" fill=(INK) stroke="white" {
                    title {
                        (f.name) ", " (year) ": middle " (figure(f.middle[k])) " (8 futures in 10 from "
                        (figure(f.low[k])) " to " (figure(f.high[k])) ")"
                    }
                }
            }
        }
        @for (i, at) in &labels {
            text class="label" x=(px(x(n.saturating_sub(1)) + 8.0)) y=(px(*at)) fill=(INK) { (fans[*i].name) }
        }
    };
    Drawing {
        picture: drawing("chart", width, height, &title, &desc, &body),
        figures: figures(years, fans, target, unit),
    }
}

/// A line through `points` drawn dark with a white core (dashed with `dash`): it shows on
/// white and on any band.
fn cased(class: &str, points: &str, dash: Option<&str>) -> Markup {
    html! {
        polyline class=(class) points=(points) fill="none" stroke=(INK) stroke-width="4" stroke-dasharray=[dash] {}
        polyline points=(points) fill="none" stroke="white" stroke-width="1.5" stroke-dasharray=[dash] {}
    }
}

/// The fan chart's title and description, from the figures it draws.
fn describe(years: &[String], fans: &[Fan], target: Option<f64>, unit: &str, what: &str) -> (String, String) {
    let title = format!("{what}, {}", span(years));
    let (Some(first), Some(last)) = (years.first(), years.last()) else { return (title, String::new()) };
    let each: Vec<String> = fans
        .iter()
        .filter(|f| !f.middle.is_empty())
        .map(|f| {
            let k = f.middle.len() - 1;
            format!(
                "{}: in the middle future {} in {first} and {} in {last}; in {last}, 8 futures in 10 from {} to {}",
                f.name,
                figure(f.middle[0]),
                figure(f.middle[k]),
                figure(f.low[k]),
                figure(f.high[k])
            )
        })
        .collect();
    let target = target.map_or_else(String::new, |t| format!(" A dashed line marks the target, {}.", figure(t)));
    let desc = format!(
        "A fan chart in {unit}, a band for each series from the 10th to the 90th percentile of the futures drawn \
         (8 futures in 10 fall inside it) and a line through the middle future. {}.{target} Every figure is in the \
         table below the chart.",
        each.join(". ")
    );
    (title, desc)
}

/// The figures drawn: for each series its 10th, 50th and 90th percentile, a column a year.
fn figures(years: &[String], fans: &[Fan], target: Option<f64>, unit: &str) -> Markup {
    let mut rows = Vec::new();
    for f in fans {
        for (name, values) in [("10th percentile", &f.low), ("Middle (50th)", &f.middle), ("90th percentile", &f.high)]
        {
            rows.push((vec![f.name.clone(), name.to_string()], values.iter().map(|v| figure(*v)).collect()));
        }
    }
    if let Some(t) = target {
        rows.push((vec!["Target".to_string(), "Each year".to_string()], vec![figure(t); years.len()]));
    }
    table(&format!("Figures drawn in the chart, {unit}"), &["Series", "Figure"], years, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years() -> Vec<String> {
        ["2025/26", "2026/27", "2027/28"].iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_band_spans_the_10th_to_the_90th_and_the_line_the_middle() {
        // One series: P10 0, 2, 4; P50 1, 4, 6; P90 2, 5, 8. The axis runs 0 to 8 in steps of
        // 2 (8 / 5 rounded up to 2) over the plot (x 64 to 520, y 250 down to 34): a unit is 27 px; the years are at
        // x 64, 292 and 520.
        let fan = Fan {
            name: "Saving".into(),
            low: vec![0.0, 2.0, 4.0],
            middle: vec![1.0, 4.0, 6.0],
            high: vec![2.0, 5.0, 8.0],
        };
        let svg = fan_chart(&years(), &[fan], None, "£ million", "The saving each year").to_text();
        assert!(
            svg.contains(
                r##"<path class="band" d="M64.0 196.0L292.0 115.0L520.0 34.0L520.0 142.0L292.0 196.0L64.0 250.0Z" fill="#2a6f97">"##
            ),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<polyline class="middle" points="64.0,223.0 292.0,142.0 520.0,88.0" fill="none""#),
            "{svg}"
        );
        // Named at its end, not told by colour alone; the axis labelled to its top.
        assert!(svg.contains(r##"<text class="label" x="528.0" y="92.0" fill="#1d3557">Saving</text>"##), "{svg}");
        assert!(svg.contains(r##"text-anchor="end" fill="#1d3557">8</text>"##), "{svg}");
        let desc = &svg[svg.find("<desc>").unwrap()..svg.find("</desc>").unwrap()];
        assert!(
            desc.contains("Saving: in the middle future 1.0 in 2025/26 and 6.0 in 2027/28; in 2027/28, 8 futures in 10 from 4.0 to 8.0"),
            "{desc}"
        );
        // Every figure drawn is in the table.
        assert!(svg.contains(r#"<tr><th scope="row">Saving</th><th scope="row">90th percentile</th><td class="n" data-label="2025/26">2.0</td><td class="n" data-label="2026/27">5.0</td><td class="n" data-label="2027/28">8.0</td></tr>"#), "{svg}");
    }

    #[test]
    fn two_bands_a_target_and_values_below_zero() {
        // Without: −2 to 10 at most; with: −4 at least; target 3. The axis runs −5 to 10 in
        // steps of 5 (216 px for 15: 14.4 px a unit, 0 at y 178).
        let without =
            Fan { name: "Without".into(), low: vec![1.0, 2.0], middle: vec![2.0, 6.0], high: vec![3.0, 10.0] };
        let with = Fan { name: "With".into(), low: vec![-4.0, -2.0], middle: vec![0.0, 0.0], high: vec![1.0, 2.0] };
        let y2 = ["2025/26".to_string(), "2026/27".to_string()];
        let svg = fan_chart(&y2, &[without, with], Some(3.0), "£ million", "The deficit").to_text();
        assert!(svg.contains(r##"fill="#c46f1b""##) && svg.contains(r##"fill="#0b2545""##), "{svg}");
        assert!(svg.contains(r##"text-anchor="end" fill="#1d3557">-5</text>"##), "{svg}");
        assert!(svg.contains(r##"points="64.0,134.8 520.0,134.8" fill="none" stroke="#1d3557" stroke-width="4" stroke-dasharray="6 4""##), "{svg}");
        assert!(svg.contains(">Target 3.0</text>"), "{svg}");
        // The with line ends at 0 (y 178), the without at 6 (y 91.6): labels 4 px below.
        assert!(svg.contains(r##"y="182.0" fill="#1d3557">With</text>"##), "{svg}");
        assert!(svg.contains(r##"y="95.6" fill="#1d3557">Without</text>"##), "{svg}");
        assert!(svg.contains(r#"<th scope="row">Target</th>"#), "{svg}");
        super::super::tests::only_drawing_elements(&svg);
        assert!(!svg.contains("/>"), "every element closed: {svg}");
    }

    #[test]
    fn the_axis_need_not_start_at_zero() {
        // 144 to 368: steps of 50 (224 / 5 = 44.8), from 100 to 400.
        assert_eq!(axis([144.0, 368.0].into_iter()), (100.0, 400.0, 50.0));
        assert_eq!(axis([-4.0, 10.0].into_iter()), (-5.0, 10.0, 5.0));
        assert_eq!(axis([3.0, 3.0].into_iter()), (3.0, 4.0, 1.0), "no spread: one step");
        assert_eq!(tick(1500.0, 500.0), "1,500");
        assert_eq!(tick(0.5, 0.1), "0.5");
    }

    #[test]
    fn labels_that_would_overlap_are_moved_apart() {
        let a = Fan { name: "A".into(), low: vec![1.0], middle: vec![5.0], high: vec![6.0] };
        let b = Fan { name: "B".into(), low: vec![1.0], middle: vec![5.0], high: vec![6.0] };
        let svg = fan_chart(&["2025/26".to_string()], &[a, b], None, "£ million", "T").to_text();
        let ys: Vec<f64> = svg
            .match_indices(r#"<text class="label""#)
            .map(|(i, _)| {
                let s = &svg[i..];
                let at = s.find(" y=\"").unwrap() + 4;
                s[at..at + s[at..].find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(ys.len(), 2);
        assert!((ys[1] - ys[0]).abs() >= 14.0, "{ys:?}");
    }

    #[test]
    fn hostile_names_are_escaped_in_the_fan_chart() {
        let evil = r#"<script>alert('x')</script> & "q""#;
        let escaped = "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;q&quot;";
        let fan = Fan { name: evil.into(), low: vec![0.0, 1.0], middle: vec![1.0, 2.0], high: vec![2.0, 3.0] };
        let svg = fan_chart(&[evil.to_string(), "2026/27".into()], &[fan], None, evil, evil).to_text();
        super::super::tests::only_drawing_elements(&svg);
        assert!(svg.contains(&format!(">{escaped}</text>")), "{svg}");
        assert!(svg.contains(&format!(r#"<th scope="row">{escaped}</th>"#)), "{svg}");
    }
}
