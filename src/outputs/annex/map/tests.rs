//! Tests of the maps: flows chosen, labels placed, areas shared, counts never shown below
//! the threshold.

use geo::{Distance, Haversine, Point};

use super::areas::projected_ring;
use super::flows::{FlowSums, LOCAL_KM, Selection, is_local, largest_flows, small};
use super::labels::{Placed, Wish, label_lines, place_labels, text_width};
use super::layout::lay_out;
use super::legend::{class_name, class_of, classes};
use super::projection::{Projection, Rect, scale_bar};
use super::*;
use crate::outputs::annex::disclosure::{Decided, Published};
use crate::testing::Lcg;

/// A count as if disclosure control had shown it.
fn p(v: f64) -> Published {
    Decided::assumed(Some(v))
}

/// The flows the map draws, chosen from their counts (as the annex does before control).
fn select(homes: &[Home], sites: &[Site], flows: &[Flow], threshold: f64) -> Selection {
    let local: Vec<bool> = flows
        .iter()
        .map(|f| is_local((homes[f.from].lon, homes[f.from].lat), (sites[f.to].lon, sites[f.to].lat)))
        .collect();
    let values: Vec<f64> = flows.iter().map(|f| f.children.or(0.0)).collect();
    largest_flows(&local, &values, FLOWS_DRAWN, threshold)
}

/// The borough map with the flows chosen, and the selection.
fn draw(homes: &[Home], sites: &[Site], flows: &[Flow], threshold: f64, year: &str) -> (String, Selection) {
    let s = select(homes, sites, flows, threshold);
    (borough(homes, sites, flows, &s, threshold, year).to_text(), s)
}

/// The sums of the flows each part of a selection holds.
fn sums(s: &Selection, flows: &[Flow]) -> FlowSums {
    let add = |which: &[usize]| p(which.iter().map(|&i| flows[i].children.or(0.0)).sum());
    FlowSums { drawn: add(&s.drawn), local: add(&s.local), left: add(&s.left) }
}

fn home(name: &str, lon: f64, lat: f64, required: f64) -> Home {
    Home { name: name.into(), lon, lat, in_borough: true, required: p(required), children: 10.0, area: Vec::new() }
}

fn site(name: &str, lon: f64, lat: f64, children: f64) -> Site {
    Site { name: name.into(), lon, lat, kind: SettingKind::MaintainedSpecial, places: 40.0, children: p(children) }
}

/// The sample's localities and settings (Cheshire East), as the annex draws them.
fn sample() -> (Vec<Home>, Vec<Site>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/cheshire-east");
    let read = |file: &str| -> Vec<csv::StringRecord> {
        csv::Reader::from_path(dir.join(file)).unwrap().records().map(Result::unwrap).collect()
    };
    let homes = read("localities.csv")
        .iter()
        .enumerate()
        .map(|(i, r)| Home {
            name: r[1].to_string(),
            lat: r[2].parse().unwrap(),
            lon: r[3].parse().unwrap(),
            in_borough: &r[4] == "yes",
            required: p(0.0),
            children: 100.0 - i as f64,
            area: Vec::new(),
        })
        .collect();
    let sites = read("settings.csv")
        .iter()
        .filter(|r| &r[5] == "yes")
        .map(|r| Site {
            name: r[1].to_string(),
            kind: SettingKind::from_code(&r[2]).unwrap(),
            lat: r[3].parse().unwrap(),
            lon: r[4].parse().unwrap(),
            places: r[6].parse().unwrap(),
            children: p(10.0),
        })
        .collect();
    (homes, sites)
}

/// Every label inside the frame, clear of every obstacle and of every other label.
fn assert_clear(placed: &[Option<Placed>], obstacles: &[Rect], frame: &Rect) {
    let rects: Vec<Rect> = placed.iter().flatten().map(|p| p.rect).collect();
    for (i, a) in rects.iter().enumerate() {
        assert!(a.inside(frame), "label {a:?} leaves the frame");
        assert!(!obstacles.iter().any(|o| o.overlaps(a)), "label {a:?} covers a symbol");
        for b in &rects[i + 1..] {
            assert!(!a.overlaps(b), "labels {a:?} and {b:?} overlap");
        }
    }
}

#[test]
fn boxes_that_only_touch_do_not_overlap() {
    let a = Rect { x0: 0.0, y0: 0.0, x1: 10.0, y1: 10.0 };
    assert!(!a.overlaps(&Rect { x0: 10.0, y0: 0.0, x1: 20.0, y1: 10.0 }));
    assert!(a.overlaps(&Rect { x0: 9.9, y0: 9.9, x1: 20.0, y1: 20.0 }));
    assert!(a.overlaps(&Rect { x0: 2.0, y0: 2.0, x1: 3.0, y1: 3.0 }), "one inside the other");
}

#[test]
fn labels_never_overlap_each_other_symbols_or_the_frame_edge() {
    let mut g = Lcg(17);
    let frame = Rect { x0: 0.0, y0: 0.0, x1: 400.0, y1: 300.0 };
    let (mut asked, mut placed) = (0, 0);
    for _ in 0..300 {
        let n = 1 + g.next(40) as usize;
        let points: Vec<(f64, f64)> =
            (0..n).map(|_| (g.next(4000) as f64 / 10.0, g.next(3000) as f64 / 10.0)).collect();
        let obstacles: Vec<Rect> = points.iter().map(|&(x, y)| Rect::around(x, y, 1.0 + g.next(8) as f64)).collect();
        let wishes: Vec<Wish> = points
            .iter()
            .zip(&obstacles)
            .map(|(&(x, y), o)| Wish {
                x,
                y,
                gap: (o.x1 - o.x0) / 2.0,
                lines: label_lines(&"Wybunbury and Shavington"[..3 + g.next(21) as usize], 12),
                size: FONT,
            })
            .collect();
        let labels = place_labels(&wishes, &obstacles, frame);
        assert_clear(&labels, &obstacles, &frame);
        asked += n;
        placed += labels.iter().flatten().count();
    }
    assert!(placed * 2 > asked, "most labels find a place: {placed} of {asked}");
}

#[test]
fn every_locality_of_the_sample_is_labelled_clear_of_the_rest() {
    // Crewe, Alsager and Knutsford were hidden under other labels before.
    let (homes, sites) = sample();
    let l = lay_out(&homes, &sites, 600.0);
    // The symbols as drawn: each setting's outline and each locality's dot.
    let (svg, _) = draw(&homes, &sites, &[], 5.0, "2025/26");
    let mut obstacles = Vec::new();
    for (i, _) in svg.match_indices(r#"<path class="setting" d="M"#) {
        let d = &svg[i + 26..];
        let d = &d[..d.find('Z').unwrap()];
        let xy: Vec<(f64, f64)> = d
            .split('L')
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        let r = Rect {
            x0: xy.iter().map(|p| p.0).fold(f64::INFINITY, f64::min),
            y0: xy.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
            x1: xy.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
            y1: xy.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
        };
        obstacles.push(r);
    }
    assert_eq!(obstacles.len(), sites.len());
    obstacles.extend(l.homes_at.iter().map(|&(x, y)| Rect::around(x, y, 3.0)));
    assert_clear(&l.labels, &obstacles, &l.frame);
    let labelled: Vec<String> =
        l.wishes.iter().zip(&l.labels).filter(|(_, p)| p.is_some()).map(|(w, _)| w.lines.join(" ")).collect();
    for name in ["Crewe", "Alsager", "Knutsford and Mobberley", "Sandbach", "Nantwich"] {
        assert!(labelled.iter().any(|l| l == name), "{name} is not labelled: {labelled:?}");
    }
    // Every locality, then the largest settings by name where they fit (issue 27: names on
    // the map itself, not only on hover).
    assert_eq!(labelled.iter().filter(|l| homes.iter().any(|h| &h.name == *l)).count(), homes.len(), "{labelled:?}");
    let places: Vec<f64> = sites.iter().map(|s| s.places).collect();
    let largest: Vec<&str> = super::labels::largest(&places, super::labels::NAMED_SETTINGS)
        .into_iter()
        .map(|i| sites[i].name.as_str())
        .collect();
    let settings: Vec<&String> = labelled.iter().filter(|l| !homes.iter().any(|h| &h.name == *l)).collect();
    assert!(settings.iter().all(|s| largest.contains(&s.as_str())), "{settings:?} not among {largest:?}");
    assert!(settings.len() >= 5, "most of the eight largest settings named: {settings:?}");
}

/// An attribute's number in an SVG tag.
fn attr(tag: &str, name: &str) -> f64 {
    let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    number_at(&tag[at..])
}

/// Each line of label text drawn, as the box it takes (by [`text_width`]).
fn label_boxes(svg: &str) -> Vec<Rect> {
    svg.match_indices(r#"<text class="label""#)
        .map(|(i, _)| {
            let tag = &svg[i..i + svg[i..].find('>').unwrap()];
            let text = &svg[i + tag.len() + 1..];
            let text = &text[..text.find("</text>").unwrap()];
            let (x, y, size) = (attr(tag, "x"), attr(tag, "y"), attr(tag, "font-size"));
            let w = text_width(&text.replace("&amp;", "&"), size);
            let x0 = match &tag[tag.find("text-anchor=\"").unwrap() + 13..][..3] {
                "sta" => x,
                "end" => x - w,
                _ => x - w / 2.0,
            };
            Rect { x0, y0: y - 0.95 * size, x1: x0 + w, y1: y - 0.95 * size + 1.2 * size }
        })
        .collect()
}

#[test]
fn the_destinations_map_labels_clear_its_circles_and_each_other() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/cheshire-east");
    let mut g = Lcg(3);
    let outside: Vec<Site> = csv::Reader::from_path(dir.join("settings.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[5] == "no")
        .map(|r| Site {
            name: r[1].to_string(),
            kind: SettingKind::from_code(&r[2]).unwrap(),
            lat: r[3].parse().unwrap(),
            lon: r[4].parse().unwrap(),
            places: 40.0,
            children: p(1.0 + g.next(80) as f64),
        })
        .collect();
    let (homes, sites) = sample();
    let outline: Vec<(f64, f64)> =
        homes.iter().map(|h| (h.lon, h.lat)).chain(sites.iter().map(|s| (s.lon, s.lat))).collect();
    let svg = destinations(&outline, &[], &outside, 5.0, "2025/26").to_text();
    let circles: Vec<Rect> = svg
        .match_indices(r#"<circle class="destination""#)
        .map(|(i, _)| {
            let tag = &svg[i..i + svg[i..].find('>').unwrap()];
            Rect::around(attr(tag, "cx"), attr(tag, "cy"), attr(tag, "r"))
        })
        .collect();
    assert_eq!(circles.len(), outside.len());
    let boxes = label_boxes(&svg);
    assert!(boxes.len() >= outside.len(), "most settings labelled: {} lines", boxes.len());
    let frame = Rect { x0: 6.0, y0: 6.0, x1: MAP_RIGHT, y1: 514.0 };
    for (i, a) in boxes.iter().enumerate() {
        assert!(a.inside(&frame), "{a:?} leaves the frame");
        assert!(!circles.iter().any(|c| c.overlaps(a)), "{a:?} covers a circle");
        for b in &boxes[i + 1..] {
            assert!(!a.overlaps(b), "labels {a:?} and {b:?} overlap");
        }
    }
}

#[test]
fn at_most_the_largest_flows_are_drawn_and_the_caption_accounts_for_every_child() {
    let mut g = Lcg(5);
    for round in 0..200 {
        let homes: Vec<Home> = (0..6)
            .map(|i| home(&format!("H{i}"), -2.6 + g.next(60) as f64 / 100.0, 52.9 + g.next(50) as f64 / 100.0, 0.0))
            .collect();
        let sites: Vec<Site> = (0..8)
            .map(|i| site(&format!("S{i}"), -2.6 + g.next(60) as f64 / 100.0, 52.9 + g.next(50) as f64 / 100.0, 1.0))
            .collect();
        let flows: Vec<Flow> = (0..g.next(60) as usize)
            .map(|_| Flow { from: g.next(6) as usize, to: g.next(8) as usize, children: p(1.0 + g.next(40) as f64) })
            .collect();
        let threshold = if round % 2 == 0 { 5.0 } else { 0.0 };
        let s = select(&homes, &sites, &flows, threshold);
        assert!(s.drawn.len() <= FLOWS_DRAWN);
        assert_eq!(s.drawn.len() + s.local.len() + s.left.len(), flows.len());
        let total: f64 = flows.iter().map(|f| f.children.or(0.0)).sum();
        // The ones drawn are the largest of those long enough to draw, and none is small.
        let smallest_drawn = s.drawn.iter().map(|&i| flows[i].children.or(0.0)).fold(f64::INFINITY, f64::min);
        for (i, f) in flows.iter().enumerate() {
            let children = f.children.or(0.0);
            let km = Haversine.distance(
                Point::new(homes[f.from].lon, homes[f.from].lat),
                Point::new(sites[f.to].lon, sites[f.to].lat),
            ) / 1000.0;
            if s.drawn.contains(&i) {
                assert!(km >= LOCAL_KM && !small(children, threshold));
            } else if km >= LOCAL_KM && !small(children, threshold) && s.drawn.len() < FLOWS_DRAWN {
                panic!("flow {i} of {} children left out with room to draw it", children);
            } else if km >= LOCAL_KM && !small(children, threshold) {
                assert!(children <= smallest_drawn);
            }
        }
        // The map draws those flows, and the caption's numbers add up to every flow and child.
        let (svg, drawn) = draw(&homes, &sites, &flows, threshold, "2025/26");
        assert_eq!(drawn, s);
        assert_eq!(svg.matches(r#"class="flow""#).count(), s.drawn.len());
        let line = s.line(&sums(&s, &flows), 0.0);
        let (flows_said, children_said) = counts_in(&line);
        assert_eq!(flows_said, flows.len(), "{line}");
        assert_eq!(children_said, total, "{line}");
    }
}

/// The flows and children a caption line counts: "the N largest flows (X children)",
/// "K flows of L children", "N further flows of M children".
fn counts_in(line: &str) -> (usize, f64) {
    let words: Vec<&str> = line.split([' ', '(', ')', ',', '.', ':']).filter(|w| !w.is_empty()).collect();
    let (mut flows, mut children) = (0, 0.0);
    for (i, w) in words.iter().enumerate() {
        let Ok(n) = w.parse::<f64>() else { continue };
        match words.get(i + 1).copied() {
            Some("children" | "child") => children += n,
            Some("largest" | "flows" | "flow" | "further") => flows += n as usize,
            _ => {}
        }
    }
    if line.starts_with("The line shows") {
        flows += 1;
    }
    (flows, children)
}

#[test]
fn the_caption_line_is_counted_right() {
    let s = Selection { drawn: vec![0, 1], local: vec![2, 3, 4], left: vec![5] };
    let sums = FlowSums { drawn: p(30.0), local: p(12.0), left: p(1.0) };
    assert_eq!(
        s.line(&sums, 0.0),
        "Lines show the 2 largest flows to a setting more than 3 km from home (30 children). Not drawn: 3 \
         flows of 12 children to a setting within 3 km of home, and 1 further flow of 1 child."
    );
    assert_eq!(counts_in(&s.line(&sums, 0.0)), (6, 43.0));
    // A withheld sum is 'c', never a number.
    let withheld = FlowSums { left: Decided::assumed(None), ..sums };
    assert!(s.line(&withheld, 0.0).ends_with("and 1 further flow of c children."), "{}", s.line(&withheld, 0.0));
}

#[test]
fn the_scale_bar_matches_the_projection_within_one_percent() {
    let (homes, sites) = sample();
    let (svg, _) = draw(&homes, &sites, &[], 5.0, "2025/26");
    // The bar: two halves, and its length in words.
    let bar = &svg[svg.find(r#"<g class="scale-bar">"#).unwrap()..];
    let widths: Vec<f64> = bar.match_indices(r#"width=""#).take(2).map(|(i, _)| number_at(&bar[i + 7..])).collect();
    let bar_px = widths[0] + widths[1];
    let km_text = &bar[..bar.find(" km</text>").unwrap()];
    let bar_km = number_at(&km_text[km_text.rfind('>').unwrap() + 1..]);
    // Against two localities drawn far apart: pixels between them over kilometres.
    let at = |name: &str| -> (f64, f64, f64, f64) {
        let h = homes.iter().find(|h| h.name == name).unwrap();
        let tag = svg
            .match_indices(r#"<circle class="locality""#)
            .map(|(i, _)| &svg[i..])
            .find(|t| t[..t.find("</circle>").unwrap()].contains(&format!("<title>{name}:")))
            .unwrap();
        let x = number_at(&tag[tag.find("cx=\"").unwrap() + 4..]);
        let y = number_at(&tag[tag.find("cy=\"").unwrap() + 4..]);
        (x, y, h.lon, h.lat)
    };
    for (a, b) in [("Audlem and rural south-west", "Disley"), ("Crewe", "Macclesfield"), ("Poynton", "Nantwich")] {
        let (x1, y1, lon1, lat1) = at(a);
        let (x2, y2, lon2, lat2) = at(b);
        let km = Haversine.distance(Point::new(lon1, lat1), Point::new(lon2, lat2)) / 1000.0;
        let px_per_km = (x2 - x1).hypot(y2 - y1) / km;
        let ratio = (bar_px / bar_km) / px_per_km;
        assert!((ratio - 1.0).abs() < 0.01, "{a} to {b}: the bar says {ratio} times the map");
    }
    assert!(bar_km >= 1.0 && bar_px > 30.0 && bar_px <= 110.0, "{bar_km} km over {bar_px} px");
}

fn number_at(text: &str) -> f64 {
    let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).unwrap_or(text.len());
    text[..end].parse().unwrap()
}

#[test]
fn scale_bars_are_round_and_fit() {
    assert_eq!(scale_bar(10.0, 110.0), (10.0, 100.0));
    assert_eq!(scale_bar(3.0, 110.0), (20.0, 60.0));
    assert_eq!(scale_bar(30.0, 110.0), (2.0, 60.0));
}

#[test]
fn hostile_names_are_escaped_in_svg_text_and_tooltips() {
    let evil = r#"</text><script>alert(1)</script>"#;
    let quote = r#"x" onload="alert(2)"#;
    let apostrophe = r#"St Mary's <em>"&"</em>"#;
    let homes = [home(evil, -2.4, 53.1, 0.0), home(quote, -2.2, 53.3, 0.0), home("A & B", -2.5, 53.0, 0.0)];
    let sites =
        [site(evil, -2.3, 53.2, 20.0), site("<b>S</b>", -2.45, 53.05, 8.0), site(apostrophe, -2.35, 53.0, 30.0)];
    let flows = [Flow { from: 1, to: 1, children: p(20.0) }, Flow { from: 0, to: 0, children: p(9.0) }];
    let (map, _) = draw(&homes, &sites, &flows, 5.0, "<i>2025/26</i>");
    let outside = [site(evil, -1.9, 52.7, 9.0), site(quote, -2.9, 53.5, 30.0), site(apostrophe, -2.0, 53.6, 12.0)];
    let away =
        destinations(&[(-2.4, 53.1), (-2.2, 53.3), (-2.5, 53.0)], &[], &outside, 5.0, "<i>2025/26</i>").to_text();
    for svg in [&map, &away] {
        assert!(!svg.contains("<script") && !svg.contains("<b>") && !svg.contains("<i>"), "{svg}");
        assert!(!svg.contains(r#"" onload"#), "a quote closes no attribute");
        assert!(svg.contains("&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("x&quot; onload=&quot;alert(2)"));
        // Only the drawing's own elements, every ampersand an entity.
        crate::outputs::annex::svg::tests::only_drawing_elements(svg);
        // In the hover titles, with its quote, ampersand and apostrophe.
        assert!(svg.contains("<title>St Mary's &lt;em&gt;&quot;&amp;&quot;&lt;/em&gt; ("), "{svg}");
    }
    // In each description: the borough's names its home areas, the other its settings.
    let desc = |svg: &str| svg[svg.find("<desc>").unwrap()..svg.find("</desc>").unwrap()].to_string();
    assert!(desc(&map).contains("; x&quot; onload=&quot;alert(2) no places required; A &amp; B no"), "{}", desc(&map));
    assert!(desc(&away).contains("; St Mary's &lt;em&gt;&quot;&amp;&quot;&lt;/em&gt; (maintained"), "{}", desc(&away));
    // The journeys' table under the map names both ends of each flow drawn.
    let table = &map[map.find("</svg>").unwrap()..];
    assert!(table.contains(r#"<th scope="row">x&quot; onload=&quot;alert(2)</th>"#), "{table}");
    // The names are drawn as labels, not only as tooltips.
    assert!(map.contains(r#"">&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;</text>"#), "{map}");
    assert!(map.contains(">A &amp; B</text>"));
}

#[test]
fn small_counts_are_never_shown() {
    let homes = [
        home("Crewe", -2.44, 53.10, 3.0),
        home("Macclesfield", -2.13, 53.26, 12.0),
        home("Alsager", -2.30, 53.09, 0.0),
    ];
    let sites = [site("Near", -2.13, 53.27, 3.0), site("Far", -2.45, 53.10, 30.0)];
    let flows = [
        Flow { from: 0, to: 0, children: p(3.0) },
        Flow { from: 1, to: 1, children: p(27.0) },
        Flow { from: 2, to: 1, children: p(1.0) },
    ];
    let outside = [site("Small", -1.9, 52.7, 2.0), site("Big", -2.9, 53.5, 40.0)];
    let outline = [(-2.44, 53.10), (-2.13, 53.26), (-2.30, 53.09)];
    let shown = |threshold: f64| {
        let (map, s) = draw(&homes, &sites, &flows, threshold, "2025/26");
        let away = destinations(&outline, &[], &outside, threshold, "2025/26").to_text();
        (map, away, s.line(&sums(&s, &flows), threshold))
    };
    let (map, away, line) = shown(5.0);
    assert_eq!(map.matches(r#"class="flow""#).count(), 1, "flows of fewer than 5 are not drawn");
    assert!(map.contains("Macclesfield to Far: 27 children"));
    assert!(map.contains("Crewe: fewer than 5 places required") && map.contains("Macclesfield: 12 places required"));
    assert!(map.contains("Near (Maintained special school): 40 places; fewer than 5 children placed"));
    assert!(away.contains("Small (Maintained special school): fewer than 5 children placed"));
    assert!(line.contains("2 further flows of fewer than 5 children"), "{line}");
    for text in [&map, &away, &line] {
        for small in ["3 children", "2 children", "1 child", "4 children", "3 places required", "of 4"] {
            assert!(!text.contains(small), "{small:?} shown: {text}");
        }
    }
    for svg in [&map, &away] {
        for small in [": 3 ", ": 2 ", ": 1 "] {
            assert!(!svg.contains(small), "{small:?} shown in a tooltip: {svg}");
        }
    }
    // The small destination is drawn no smaller than one at the threshold would be.
    let r = |svg: &str, name: &str| {
        let t = &svg[svg.find(&format!("<title>{name} (")).unwrap() - 200..];
        let t = &t[t.rfind("r=\"").unwrap() + 3..];
        number_at(t)
    };
    assert!((r(&away, "Small") - 16.0 * (5.0f64 / 40.0).sqrt()).abs() < 0.1);
    // With disclosure control off the same numbers are shown: the checks above can fail.
    let (map, away, line) = shown(0.0);
    assert_eq!(map.matches(r#"class="flow""#).count(), 3);
    assert!(map.contains("Crewe: 3 places required") && map.contains("3 children placed"));
    assert!(away.contains("Small (Maintained special school): 2 children placed"));
    assert!(map.contains("Crewe to Near: 3 children") && map.contains("Alsager to Far: 1 child"));
    assert!(line.starts_with("Lines show the 3 largest flows"), "{line}");
}

#[test]
fn a_boundary_keeps_only_the_detail_the_drawing_can_show() {
    let proj = Projection::fit(&[(-2.5, 53.0), (-2.3, 53.2)], Rect { x0: 0.0, y0: 0.0, x1: 400.0, y1: 400.0 });
    // A circle of 20,000 points about 100 px across: a few hundred are enough.
    let circle: Vec<(f64, f64)> = (0..20_000)
        .map(|k| {
            let a = f64::from(k) * 2.0 * PI / 20_000.0;
            (-2.4 + 0.04 * a.cos() / 0.6, 53.1 + 0.04 * a.sin())
        })
        .collect();
    let ring = projected_ring(&proj, &circle).expect("a ring");
    assert!((20..=400).contains(&ring.len()), "{} points", ring.len());
    let (cx, cy) = proj.at(-2.4, 53.1);
    let radius = (proj.at(-2.4, 53.14).1 - cy).abs();
    assert!(radius > 40.0, "{radius}");
    for &(x, y) in &ring {
        assert!(((x - cx).hypot(y - cy) - radius).abs() < 1.0, "({x}, {y}) off the circle of {radius}");
    }
    // A ring smaller than a pixel is not drawn.
    assert_eq!(projected_ring(&proj, &[(-2.4, 53.1), (-2.400_01, 53.1), (-2.4, 53.100_01)]), None);
}

#[test]
fn areas_are_shaded_by_places_required_in_bands() {
    let lows = classes(55.0, 5.0);
    assert_eq!(lows, vec![0.5, 5.0, 10.0, 20.0, 50.0]);
    let names: Vec<String> = (0..lows.len()).map(|k| class_name(k, &lows, 5.0)).collect();
    assert_eq!(names, ["fewer than 5", "5 to 9", "10 to 19", "20 to 49", "50 or more"]);
    assert_eq!(class_of(0.2, &lows), None);
    assert_eq!(class_of(4.0, &lows), Some(0));
    assert_eq!(class_of(49.6, &lows), Some(4), "rounded as shown");
    assert!(classes(0.0, 5.0).is_empty(), "nothing required: nothing shaded");
    assert_eq!(classes(3.0, 5.0), vec![0.5], "only the lowest band");
    assert_eq!(classes(300.0, 0.0), vec![0.5, 20.0, 50.0, 100.0, 200.0]);
    assert_eq!(class_name(0, &classes(300.0, 0.0), 0.0), "1 to 19");
    // Each home's area holds its own point, and the areas tile the outline.
    let (homes, sites) = sample();
    let l = lay_out(&homes, &sites, 600.0);
    let area = |p: &[(f64, f64)]| {
        (0..p.len()).map(|i| p[i].0 * p[(i + 1) % p.len()].1 - p[(i + 1) % p.len()].0 * p[i].1).sum::<f64>().abs() / 2.0
    };
    assert!(l.cells.iter().all(|c| c.len() == 1), "one ring an area");
    let total: f64 = l.cells.iter().map(|c| area(&c[0])).sum();
    for (cell, &(x, y)) in l.cells.iter().map(|c| &c[0]).zip(&l.homes_at) {
        let n = cell.len();
        let turns: Vec<f64> = (0..n)
            .map(|i| {
                let (a, b) = (cell[i], cell[(i + 1) % n]);
                (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0)
            })
            .collect();
        assert!(turns.iter().all(|t| *t >= -1e-9) || turns.iter().all(|t| *t <= 1e-9), "a home outside its area");
    }
    assert!((total - area(&l.outline)).abs() < 1e-6 * area(&l.outline), "{total} against {}", area(&l.outline));
}

#[test]
fn withheld_counts_are_c_on_the_maps_and_drawn_like_each_other() {
    let c = Decided::assumed(None);
    let homes = [
        Home { required: c, ..home("Crewe", -2.44, 53.10, 0.0) },
        home("Macclesfield", -2.13, 53.26, 12.0),
        home("Alsager", -2.30, 53.09, 0.0),
    ];
    let sites = [Site { children: c, ..site("Near", -2.13, 53.27, 0.0) }, site("Far", -2.45, 53.10, 30.0)];
    let flows = [Flow { from: 1, to: 1, children: p(27.0) }, Flow { from: 0, to: 0, children: c }];
    let (map, _) = draw(&homes, &sites, &flows, 5.0, "2025/26");
    assert!(map.contains("Crewe: c places required"), "{map}");
    assert!(map.contains("Near (Maintained special school): 40 places; c children placed"));
    assert!(map.contains(r##"fill="#d9d9d9""##) && map.contains("c: withheld"), "withheld areas shaded apart");
    // Two settings outside, one withheld (a nought among them would be drawn too), one of 5:
    // drawn the same size, so the drawing does not tell the withheld one's count.
    let outside = [Site { children: c, ..site("Hidden", -1.9, 52.7, 0.0) }, site("Five", -2.9, 53.5, 5.0)];
    let away = destinations(&[(-2.44, 53.10), (-2.13, 53.26), (-2.30, 53.09)], &[], &outside, 5.0, "2025/26").to_text();
    assert!(away.contains("Hidden (Maintained special school): c children placed"), "{away}");
    let r = |name: &str| {
        let t = &away[away.find(&format!("<title>{name} (")).unwrap() - 200..];
        let t = &t[t.rfind("r=\"").unwrap() + 3..];
        number_at(t)
    };
    assert!((r("Hidden") - r("Five")).abs() < 1e-9);
}
