//! The annex's two maps, inline SVG like its charts. The first shows the borough: each home
//! locality's area (the council's boundary from `[annex] areas`, else the part of the borough
//! nearest the locality) shaded by the additional places required there (as the annex's
//! tables count them: placed out of the borough because local places are full, or with no
//! place available), its settings by kind (colour and shape) and size (places), and the
//! largest flows of children from home to school. The second shows where children placed outside the borough
//! go, each setting sized by its children.
//!
//! The projection is equirectangular about the map's middle latitude (east–west squeezed by
//! its cosine): across a county or two the scale varies by well under 1%, so one scale bar
//! serves. Labels are placed greedily, most important first, at the first of eight positions
//! around their point that overlaps no label, symbol or scale bar and stays in the frame; a
//! label that fits nowhere is left off (the name stays in its symbol's tooltip). Counts of
//! children below the disclosure threshold are never shown: a band instead, and flows that
//! small are not drawn. Every name from an input file is escaped.

use std::f64::consts::PI;
use std::fmt::Write as _;

use geo::{ConvexHull, Distance, Haversine, LineString, MultiPoint, Point, Simplify};

use super::html::escape;
use super::svg::open;
use crate::model::SettingKind;

/// Kilometres in a degree of latitude (geo's Haversine Earth radius).
const KM_PER_DEGREE: f64 = 6_371.008_8 * PI / 180.0;
/// Flows drawn on the borough map, largest first.
pub const FLOWS_DRAWN: usize = 15;

const INK: &str = "#1d3557";
const FLOW: &str = "#2a6f97";
const LAND: &str = "#f4f6f8";
/// Places required, light to dark (ColorBrewer OrRd).
const SHADES: [&str; 5] = ["#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"];
const WIDTH: f64 = 720.0;
/// The map's frame ends here; the legend is to its right.
const MAP_RIGHT: f64 = 500.0;
const LEGEND_X: f64 = 512.0;
const FONT: f64 = 11.0;
const SMALL: f64 = 10.0;

/// A home locality.
pub struct Home {
    /// Name.
    pub name: String,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Whether it is in the borough (only the borough's localities get an area).
    pub in_borough: bool,
    /// Additional places required for children living here.
    pub required: f64,
    /// Children living here who need a place (the order labels are placed in).
    pub children: f64,
    /// Its boundary from the council's file (`[annex] areas`): polygons, each its outer ring
    /// then its holes, in longitude and latitude. Empty: none, and the borough's localities
    /// get the part of the borough nearest them instead.
    pub area: Vec<Vec<Vec<(f64, f64)>>>,
}

/// A setting with a site.
pub struct Site {
    /// Name.
    pub name: String,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Kind.
    pub kind: SettingKind,
    /// Places.
    pub places: f64,
    /// Children placed there.
    pub children: f64,
}

/// Children from a home locality to a setting.
pub struct Flow {
    /// Index of the home locality.
    pub from: usize,
    /// Index of the setting.
    pub to: usize,
    /// Children.
    pub children: f64,
}

/// Which flows are drawn, and what is left off.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Indices of the flows drawn, largest first.
    pub drawn: Vec<usize>,
    /// Children in the flows drawn.
    pub drawn_children: f64,
    /// Flows to a setting within [`LOCAL_KM`] of home: too short to draw.
    pub local: usize,
    /// Children in those flows.
    pub local_children: f64,
    /// Other flows not drawn (smaller than those drawn, or below the threshold).
    pub left: usize,
    /// Children in those flows.
    pub left_children: f64,
}

/// A flow to a setting this close to the home locality's centre (km) is not drawn: its line
/// would hide under the symbols.
pub const LOCAL_KM: f64 = 3.0;

impl Selection {
    /// The caption's words on the flows: what is drawn and what is not, with no count below
    /// the threshold.
    #[must_use]
    pub fn line(&self, threshold: f64) -> String {
        let flows = |n: usize| if n == 1 { "1 flow".to_string() } else { format!("{n} flows") };
        let drawn = match self.drawn.len() {
            0 => format!("No flow to a setting more than {LOCAL_KM:.0} km from home is drawn."),
            1 => format!(
                "The line shows the largest flow to a setting more than {LOCAL_KM:.0} km from home ({}).",
                children(self.drawn_children, threshold)
            ),
            n => format!(
                "Lines show the {n} largest flows to a setting more than {LOCAL_KM:.0} km from home ({}).",
                children(self.drawn_children, threshold)
            ),
        };
        let mut not = Vec::new();
        if self.local > 0 {
            not.push(format!(
                "{} of {} to a setting within {LOCAL_KM:.0} km of home",
                flows(self.local),
                children(self.local_children, threshold)
            ));
        }
        if self.left > 0 {
            not.push(format!(
                "{} further {} of {}",
                self.left,
                if self.left == 1 { "flow" } else { "flows" },
                children(self.left_children, threshold)
            ));
        }
        if not.is_empty() { drawn } else { format!("{drawn} Not drawn: {}.", not.join(", and ")) }
    }
}

/// The largest `most` flows to a setting more than [`LOCAL_KM`] from home, of at least
/// `threshold` children (any size when disclosure control is off), and the rest counted.
#[must_use]
pub fn largest_flows(homes: &[Home], sites: &[Site], flows: &[Flow], most: usize, threshold: f64) -> Selection {
    let is_local = |f: &Flow| match (homes.get(f.from), sites.get(f.to)) {
        (Some(h), Some(s)) => {
            Haversine.distance(Point::new(h.lon, h.lat), Point::new(s.lon, s.lat)) / 1000.0 < LOCAL_KM
        }
        _ => false,
    };
    let mut order: Vec<usize> = (0..flows.len()).filter(|&i| !is_local(&flows[i])).collect();
    order.sort_by(|&a, &b| flows[b].children.total_cmp(&flows[a].children).then(a.cmp(&b)));
    let drawn: Vec<usize> = order.into_iter().filter(|&i| !small(flows[i].children, threshold)).take(most).collect();
    let sum = |pick: &dyn Fn(usize) -> bool| -> (usize, f64) {
        (0..flows.len()).filter(|&i| pick(i)).fold((0, 0.0), |(n, c), i| (n + 1, c + flows[i].children))
    };
    let (local, local_children) = sum(&|i| is_local(&flows[i]));
    let (left, left_children) = sum(&|i| !is_local(&flows[i]) && !drawn.contains(&i));
    let drawn_children = drawn.iter().map(|&i| flows[i].children).sum();
    Selection { drawn, drawn_children, local, local_children, left, left_children }
}

/// Whether a count is too small to show (below the threshold, when disclosure control is on).
fn small(v: f64, threshold: f64) -> bool {
    threshold > 1.0 && v.round() < threshold
}

/// "12 children", or "fewer than 5 children" below the threshold.
pub fn children(v: f64, threshold: f64) -> String {
    let v = v.round();
    if v > 0.0 && small(v, threshold) {
        format!("fewer than {threshold:.0} children")
    } else if v == 1.0 {
        "1 child".to_string()
    } else {
        format!("{v:.0} children")
    }
}

/// A box on the drawing, in pixels (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Rect {
    fn around(x: f64, y: f64, r: f64) -> Rect {
        Rect { x0: x - r, y0: y - r, x1: x + r, y1: y + r }
    }

    /// Whether the two share any area (touching edges do not count).
    #[must_use]
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Whether it lies wholly inside `frame`.
    #[must_use]
    pub fn inside(&self, frame: &Rect) -> bool {
        self.x0 >= frame.x0 && self.x1 <= frame.x1 && self.y0 >= frame.y0 && self.y1 <= frame.y1
    }
}

/// The map's projection: longitude and latitude to pixels.
#[derive(Debug, Clone, Copy)]
struct Projection {
    /// cos of the middle latitude: east–west degrees are this much shorter.
    squeeze: f64,
    /// Pixels a degree of latitude.
    px_per_degree: f64,
    /// Squeezed longitude and latitude at the pixel origin (`x0`, `y0`).
    west: f64,
    north: f64,
    x0: f64,
    y0: f64,
}

impl Projection {
    /// Fits `points` (longitude, latitude) in `frame`, centred.
    fn fit(points: &[(f64, f64)], frame: Rect) -> Projection {
        let (mut w, mut e, mut s, mut n) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for &(lon, lat) in points {
            (w, e, s, n) = (w.min(lon), e.max(lon), s.min(lat), n.max(lat));
        }
        if points.is_empty() {
            (w, e, s, n) = (-1.0, 1.0, 52.0, 54.0);
        }
        let squeeze = ((s + n) / 2.0).to_radians().cos().max(0.05);
        // A lone point, or points in a line, still get a few kilometres around them.
        let pad = 0.02;
        let (w, e) = if e - w < pad { ((w + e) / 2.0 - pad / squeeze, (w + e) / 2.0 + pad / squeeze) } else { (w, e) };
        let (s, n) = if n - s < pad { ((s + n) / 2.0 - pad, (s + n) / 2.0 + pad) } else { (s, n) };
        let (fw, fh) = (frame.x1 - frame.x0, frame.y1 - frame.y0);
        let px_per_degree = (fw / ((e - w) * squeeze)).min(fh / (n - s));
        let (dw, dh) = ((e - w) * squeeze * px_per_degree, (n - s) * px_per_degree);
        Projection {
            squeeze,
            px_per_degree,
            west: w * squeeze,
            north: n,
            x0: frame.x0 + (fw - dw) / 2.0,
            y0: frame.y0 + (fh - dh) / 2.0,
        }
    }

    fn at(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.x0 + (lon * self.squeeze - self.west) * self.px_per_degree,
            self.y0 + (self.north - lat) * self.px_per_degree,
        )
    }

    fn px_per_km(&self) -> f64 {
        self.px_per_degree / KM_PER_DEGREE
    }
}

/// The longest round distance (1, 2 or 5 times a power of ten, in km) no longer than
/// `most_px`, and its length in pixels.
fn scale_bar(px_per_km: f64, most_px: f64) -> (f64, f64) {
    let most_km = most_px / px_per_km;
    let p = 10f64.powf(most_km.log10().floor());
    let km = [5.0, 2.0, 1.0].iter().map(|m| m * p).find(|k| *k <= most_km).unwrap_or(p);
    (km, km * px_per_km)
}

fn draw_scale_bar(out: &mut String, proj: &Projection, x: f64, y: f64) -> Rect {
    let (km, px) = scale_bar(proj.px_per_km(), 110.0);
    let label = if km >= 1.0 { format!("{km:.0} km") } else { format!("{km} km") };
    let _ = write!(
        out,
        r##"<g class="scale-bar"><rect x="{x:.1}" y="{:.1}" width="{:.1}" height="4" fill="{INK}"/><rect x="{:.1}" y="{:.1}" width="{:.1}" height="4" fill="#ffffff" stroke="{INK}" stroke-width="0.8"/><text x="{x:.1}" y="{:.1}" fill="{INK}" font-size="{SMALL}">0</text><text x="{:.1}" y="{:.1}" fill="{INK}" font-size="{SMALL}" text-anchor="end">{label}</text></g>"##,
        y - 4.0,
        px / 2.0,
        x + px / 2.0,
        y - 4.0,
        px / 2.0,
        y - 8.0,
        x + px,
        y - 8.0,
    );
    Rect { x0: x - 2.0, y0: y - 18.0, x1: x + px + 2.0, y1: y + 2.0 }
}

fn draw_frame(out: &mut String, f: Rect) {
    let _ = write!(
        out,
        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#d0d7de"/>"##,
        f.x0,
        f.y0,
        f.x1 - f.x0,
        f.y1 - f.y0
    );
}

/// A label to place: its lines, beside a symbol of radius `gap` at (`x`, `y`).
struct Wish {
    x: f64,
    y: f64,
    gap: f64,
    lines: Vec<String>,
    size: f64,
}

/// Where a label went: its box and how its text is anchored.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Placed {
    rect: Rect,
    anchor: &'static str,
    /// Whether it is far enough from its point to need a line to it.
    leader: bool,
}

/// Width of `text` at font `size`: generous, so real text stays inside its box.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// Each label in turn (the order given is their priority) at the first of eight positions
/// around its point that stays inside `frame` and overlaps no obstacle and no label already
/// placed; `None` when none does.
fn place_labels(wishes: &[Wish], obstacles: &[Rect], frame: Rect) -> Vec<Option<Placed>> {
    let mut placed: Vec<Rect> = Vec::new();
    wishes
        .iter()
        .map(|w| {
            let width = w.lines.iter().map(|l| text_width(l, w.size)).fold(0.0, f64::max);
            let height = w.lines.len() as f64 * w.size * 1.2;
            // Eight positions close by, then two rings farther out (with a leader line).
            let found = [0.0, 10.0, 22.0].iter().find_map(|&extra| {
                let (g, d) = (w.gap + 2.0 + extra, (w.gap + 1.0 + extra) * 0.75);
                let candidates = [
                    (w.x + g, w.y - height / 2.0, "start"),
                    (w.x - g - width, w.y - height / 2.0, "end"),
                    (w.x - width / 2.0, w.y - g - height, "middle"),
                    (w.x - width / 2.0, w.y + g, "middle"),
                    (w.x + d, w.y - d - height, "start"),
                    (w.x - d - width, w.y - d - height, "end"),
                    (w.x + d, w.y + d, "start"),
                    (w.x - d - width, w.y + d, "end"),
                ];
                candidates.iter().find_map(|&(x0, y0, anchor)| {
                    let rect = Rect { x0, y0, x1: x0 + width, y1: y0 + height };
                    let free = rect.inside(&frame)
                        && !obstacles.iter().any(|o| o.overlaps(&rect))
                        && !placed.iter().any(|o| o.overlaps(&rect));
                    free.then_some(Placed { rect, anchor, leader: extra > 0.0 })
                })
            });
            if let Some(p) = found {
                placed.push(p.rect);
            }
            found
        })
        .collect()
}

fn draw_label(out: &mut String, w: &Wish, p: &Placed) {
    if p.leader {
        // From the symbol's edge to the nearest point of the label's box.
        let (bx, by) = (w.x.clamp(p.rect.x0, p.rect.x1), w.y.clamp(p.rect.y0, p.rect.y1));
        let d = (bx - w.x).hypot(by - w.y).max(1e-9);
        let (sx, sy) = (w.x + (bx - w.x) * w.gap / d, w.y + (by - w.y) * w.gap / d);
        let _ = write!(
            out,
            r#"<line class="leader" x1="{sx:.1}" y1="{sy:.1}" x2="{bx:.1}" y2="{by:.1}" stroke="{INK}" stroke-width="0.6"/>"#
        );
    }
    let x = match p.anchor {
        "start" => p.rect.x0,
        "end" => p.rect.x1,
        _ => (p.rect.x0 + p.rect.x1) / 2.0,
    };
    for (i, line) in w.lines.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text class="label" x="{x:.1}" y="{:.1}" text-anchor="{}" font-size="{}" fill="{INK}" paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round">{}</text>"##,
            p.rect.y0 + w.size * (1.2 * i as f64 + 0.95),
            p.anchor,
            w.size,
            escape(line)
        );
    }
}

/// A long name on two lines: before a bracket, or at the space nearest its middle.
fn label_lines(name: &str, longest: usize) -> Vec<String> {
    if name.chars().count() <= longest {
        return vec![name.to_string()];
    }
    if let Some(i) = name.find(" (") {
        return vec![name[..i].to_string(), name[i + 1..].to_string()];
    }
    let middle = name.len() / 2;
    match name.match_indices(' ').map(|(i, _)| i).min_by_key(|i| i.abs_diff(middle)) {
        Some(i) => vec![name[..i].to_string(), name[i + 1..].to_string()],
        None => vec![name.to_string()],
    }
}

/// The convex hull of `points`, grown by `by` pixels all round (a rounded outline).
fn grown_hull(points: &[(f64, f64)], by: f64) -> Vec<(f64, f64)> {
    let grown: Vec<Point<f64>> = points
        .iter()
        .flat_map(|&(x, y)| {
            (0..16).map(move |k| {
                let a = f64::from(k) * PI / 8.0;
                Point::new(x + by * a.cos(), y + by * a.sin())
            })
        })
        .collect();
    if grown.is_empty() {
        return Vec::new();
    }
    let hull = MultiPoint::from(grown).convex_hull();
    let mut ring: Vec<(f64, f64)> = hull.exterior().points().map(|p| (p.x(), p.y())).collect();
    ring.pop();
    ring
}

/// The part of convex polygon `poly` nearer `a` than `b`.
fn nearer(poly: &[(f64, f64)], a: (f64, f64), b: (f64, f64)) -> Vec<(f64, f64)> {
    let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let (nx, ny) = (b.0 - a.0, b.1 - a.1);
    let side = |p: (f64, f64)| (p.0 - mx) * nx + (p.1 - my) * ny;
    let mut out = Vec::new();
    for (i, &p) in poly.iter().enumerate() {
        let q = poly[(i + 1) % poly.len()];
        let (sp, sq) = (side(p), side(q));
        if sp <= 0.0 {
            out.push(p);
        }
        if (sp < 0.0) != (sq < 0.0) && sp != sq {
            let t = sp / (sp - sq);
            out.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
        }
    }
    out
}

/// Each point's area: the part of `outline` nearer it than any other point.
fn areas(points: &[(f64, f64)], outline: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    points
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let mut cell = outline.to_vec();
            for (j, &b) in points.iter().enumerate() {
                if i != j && cell.len() >= 3 && (a.0 - b.0).hypot(a.1 - b.1) > 1e-9 {
                    cell = nearer(&cell, a, b);
                }
            }
            cell
        })
        .collect()
}

/// A ring of longitude and latitude in pixels, without the detail the drawing cannot show (a
/// boundary file's): points within half a pixel of the last kept are left out, then the rest
/// simplified (Ramer–Douglas–Peucker) to within half a pixel. `None` when fewer than three
/// are left.
fn projected_ring(proj: &Projection, ring: &[(f64, f64)]) -> Option<Vec<(f64, f64)>> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for &(lon, lat) in ring {
        let p = proj.at(lon, lat);
        if out.last().is_none_or(|q| (p.0 - q.0).hypot(p.1 - q.1) >= 0.5) {
            out.push(p);
        }
    }
    if let Some(&first) = out.first() {
        out.push(first);
    }
    let line = LineString::from(out).simplify(0.5);
    let mut out: Vec<(f64, f64)> = line.points().map(|p| (p.x(), p.y())).collect();
    out.pop();
    if out.len() >= 2 && out.first().zip(out.last()).is_some_and(|(a, b)| (a.0 - b.0).hypot(a.1 - b.1) < 0.5) {
        out.pop();
    }
    (out.len() >= 3).then_some(out)
}

fn path(poly: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in poly.iter().enumerate() {
        let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
    }
    d.push('Z');
    d
}

/// Classes of places required: lower bounds (the first class starts at one child; with
/// disclosure control on, the second at the threshold), at most five.
fn classes(most: f64, threshold: f64) -> Vec<f64> {
    if most.round() < 1.0 {
        return Vec::new();
    }
    let mut lows = vec![0.5];
    if threshold > 1.0 {
        lows.push(threshold);
    }
    let floor = lows[lows.len() - 1];
    let steps: Vec<f64> = (0..7)
        .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
        .filter(|s| *s > floor && *s >= 10.0 && *s <= most.round())
        .collect();
    let keep = 5 - lows.len();
    lows.extend(steps.iter().skip(steps.len().saturating_sub(keep)));
    lows.retain(|l| *l <= most.round().max(0.5));
    lows
}

fn class_of(v: f64, lows: &[f64]) -> Option<usize> {
    lows.iter().rposition(|l| v.round() >= *l)
}

fn class_name(k: usize, lows: &[f64], threshold: f64) -> String {
    let lo = if lows[k] < 1.0 { 1.0 } else { lows[k] };
    match lows.get(k + 1) {
        Some(&hi) if threshold > 1.0 && k == 0 => format!("fewer than {hi:.0}"),
        Some(&hi) if hi - 1.0 <= lo => format!("{lo:.0}"),
        Some(&hi) => format!("{lo:.0} to {:.0}", hi - 1.0),
        None => format!("{lo:.0} or more"),
    }
}

fn shade(k: usize, n: usize) -> &'static str {
    // Spread n classes across the five shades, darkest last.
    SHADES[if n <= 1 { 2 } else { k * (SHADES.len() - 1) / (n - 1) }]
}

/// The shape each kind of setting is drawn with.
#[derive(Clone, Copy)]
enum Shape {
    Square,
    Triangle,
    Diamond,
    Down,
}

fn kind_style(kind: SettingKind) -> (&'static str, Shape) {
    // Okabe and Ito's and Tol's colour-blind-safe colours, away from the areas' oranges.
    match kind {
        SettingKind::MaintainedSpecial => ("#0072b2", Shape::Square),
        SettingKind::AcademySpecial => ("#56b4e9", Shape::Square),
        SettingKind::ResourcedProvision => ("#009e73", Shape::Triangle),
        SettingKind::IndependentSpecial => ("#cc79a7", Shape::Diamond),
        SettingKind::NonMaintainedSpecial => ("#882255", Shape::Diamond),
        SettingKind::OtherAuthoritySpecial => ("#332288", Shape::Square),
        SettingKind::SpecialistPost16 => ("#999933", Shape::Down),
        SettingKind::IndependentMarket => ("#777777", Shape::Square),
    }
}

/// How far a symbol of `side` reaches from its centre, at most, across or up and down.
fn reach(shape: Shape, side: f64) -> f64 {
    match shape {
        Shape::Square => side / 2.0,
        Shape::Diamond => side / 2.0 * std::f64::consts::SQRT_2,
        // The tip: the circumradius of the equal-area triangle.
        Shape::Triangle | Shape::Down => side * (4.0 / 3f64.sqrt()).sqrt() / 3f64.sqrt(),
    }
}

/// A symbol of about the area of a square of side `side`, centred at (`x`, `y`).
fn symbol(shape: Shape, x: f64, y: f64, side: f64) -> String {
    let h = side / 2.0;
    match shape {
        Shape::Square => format!(
            "M{:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}Z",
            x - h,
            y - h,
            x + h,
            y - h,
            x + h,
            y + h,
            x - h,
            y + h
        ),
        Shape::Diamond => {
            let r = h * std::f64::consts::SQRT_2;
            format!("M{x:.1},{:.1}L{:.1},{y:.1}L{x:.1},{:.1}L{:.1},{y:.1}Z", y - r, x + r, y + r, x - r)
        }
        Shape::Triangle | Shape::Down => {
            // Equal area: side of the triangle s·√(4/√3).
            let t = side * (4.0 / 3f64.sqrt()).sqrt();
            let (tip, base) = if matches!(shape, Shape::Triangle) { (-1.0, 1.0) } else { (1.0, -1.0) };
            let r = t / 3f64.sqrt();
            format!(
                "M{x:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}Z",
                y + tip * r,
                x + t / 2.0,
                y + base * r / 2.0,
                x - t / 2.0,
                y + base * r / 2.0
            )
        }
    }
}

/// A round value at or under `v`, for a legend's reference symbol.
fn round_down(v: f64) -> f64 {
    if v <= 0.0 {
        return 0.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0].iter().map(|m| m * p).find(|r| *r <= v).unwrap_or(p)
}

/// Reference values for a legend: the largest round value, and a half and a tenth of it
/// (the ones at or above `at_least`).
fn references(most: f64, at_least: f64) -> Vec<f64> {
    let top = round_down(most);
    let mut refs: Vec<f64> = [top / 10.0, round_down(top / 2.0), top]
        .into_iter()
        .filter(|v| *v >= at_least.max(1.0))
        .map(f64::round)
        .collect();
    refs.dedup();
    refs
}

/// A legend, written down the column to the right of the map.
struct Legend {
    out: String,
    y: f64,
    /// Where a row's text starts.
    text_x: f64,
}

impl Legend {
    fn new() -> Legend {
        Legend { out: String::from(r#"<g class="legend">"#), y: 18.0, text_x: LEGEND_X + 24.0 }
    }

    fn heading(&mut self, text: &str) {
        self.y += 6.0;
        let _ = write!(
            self.out,
            r#"<text x="{LEGEND_X}" y="{:.1}" font-weight="bold" fill="{INK}">{}</text>"#,
            self.y,
            escape(text)
        );
        self.y += 14.0;
    }

    /// A row: the symbol's SVG drawn at (`LEGEND_X` + 8, row middle) by `draw`, then text.
    fn row(&mut self, height: f64, draw: impl FnOnce(f64, f64) -> String, text: &str) {
        let mid = self.y + height / 2.0 - 4.0;
        self.out.push_str(&draw(LEGEND_X + 9.0, mid));
        let _ = write!(
            self.out,
            r#"<text x="{:.1}" y="{:.1}" fill="{INK}" font-size="{SMALL}">{}</text>"#,
            self.text_x,
            mid + 3.5,
            escape(text)
        );
        self.y += height.max(14.0);
    }

    fn finish(mut self) -> (String, f64) {
        self.out.push_str("</g>");
        (self.out, self.y)
    }
}

/// Side of a setting's square by its places (area in proportion, largest 22 px).
fn side_for(places: f64, most: f64) -> f64 {
    (22.0 * (places.max(0.0) / most.max(1.0)).sqrt()).max(5.0)
}

/// Width of a flow line (in proportion, widest 9 px).
fn flow_width(children: f64, most: f64) -> f64 {
    1.0 + 8.0 * (children / most.max(1.0)).min(1.0)
}

/// Everything laid out on the borough map, before it is written.
struct Layout {
    proj: Projection,
    frame: Rect,
    outline: Vec<(f64, f64)>,
    /// Each home's area as rings (an outer ring, holes, further polygons; empty: none).
    cells: Vec<Vec<Vec<(f64, f64)>>>,
    /// Whether the areas are the council's boundaries, not the part nearest each locality.
    boundaries: bool,
    homes_at: Vec<(f64, f64)>,
    sites_at: Vec<(f64, f64)>,
    sides: Vec<f64>,
    selection: Selection,
    scale_at: (f64, f64),
    wishes: Vec<Wish>,
    labels: Vec<Option<Placed>>,
}

fn lay_out(homes: &[Home], sites: &[Site], flows: &[Flow], threshold: f64, height: f64) -> Layout {
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
    let selection = largest_flows(homes, sites, flows, FLOWS_DRAWN, threshold);
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
            .total_cmp(&homes[a].required)
            .then(homes[b].children.total_cmp(&homes[a].children))
            .then(a.cmp(&b))
    });
    let wishes: Vec<Wish> = order
        .iter()
        .map(|&i| Wish {
            x: homes_at[i].0,
            y: homes_at[i].1,
            gap: 3.5,
            lines: label_lines(&homes[i].name, 22),
            size: FONT,
        })
        .collect();
    let labels = place_labels(&wishes, &obstacles, frame);
    Layout { proj, frame, outline, cells, boundaries, homes_at, sites_at, sides, selection, scale_at, wishes, labels }
}

/// "places required: 12" or a band below the threshold.
fn required_text(v: f64, threshold: f64) -> String {
    if v.round() < 1.0 {
        "no places required".to_string()
    } else if small(v, threshold) {
        format!("fewer than {threshold:.0} places required")
    } else {
        format!("{:.0} places required", v.round())
    }
}

/// The borough map: home localities' areas shaded by places required, settings by kind and
/// places, the largest flows (see [`largest_flows`]), labels, a scale bar and a legend. Also
/// returns which flows were drawn, for the caption.
#[must_use]
pub fn borough(homes: &[Home], sites: &[Site], flows: &[Flow], threshold: f64, year: &str) -> (String, Selection) {
    let height = 600.0;
    let l = lay_out(homes, sites, flows, threshold, height);
    let mut out = String::new();
    open(
        &mut out,
        "map",
        WIDTH,
        height,
        &format!("Places required and journeys to school, {year}"),
        "Each home locality's area shaded by the places required there; settings by kind and places; the largest \
         flows of children from home locality to setting",
    );
    draw_frame(&mut out, l.frame);
    // Areas, then the outline over them.
    let most = homes.iter().filter(|h| h.in_borough).map(|h| h.required).fold(0.0, f64::max);
    let lows = classes(most, threshold);
    if !l.outline.is_empty() {
        let _ = write!(out, r#"<path class="borough" d="{}" fill="{LAND}"/>"#, path(&l.outline));
    }
    for (h, cell) in homes.iter().zip(&l.cells) {
        if cell.is_empty() {
            continue;
        }
        let fill = class_of(h.required, &lows).map_or(LAND, |k| shade(k, lows.len()));
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
    let most_flow = l.selection.drawn.first().map_or(1.0, |&i| flows[i].children);
    for &i in &l.selection.drawn {
        let f = &flows[i];
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (l.homes_at.get(f.from), l.sites_at.get(f.to)) else { continue };
        let (mx, my) = ((x1 + x2) / 2.0 + (y2 - y1) * 0.2, (y1 + y2) / 2.0 - (x2 - x1) * 0.2);
        let _ = write!(
            out,
            r#"<path class="flow" d="M{x1:.1},{y1:.1}Q{mx:.1},{my:.1} {x2:.1},{y2:.1}" fill="none" stroke="{FLOW}" stroke-opacity="0.6" stroke-width="{:.1}" stroke-linecap="round"><title>{} to {}: {}</title></path>"#,
            flow_width(f.children, most_flow),
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
        let _ = write!(
            out,
            r##"<path class="setting" d="{}" fill="{colour}" fill-opacity="0.85" stroke="#ffffff" stroke-width="1"><title>{} ({}): {:.0} places; {} placed</title></path>"##,
            symbol(shape, x, y, l.sides[i]),
            escape(&s.name),
            escape(s.kind.name()),
            s.places,
            children(s.children, threshold)
        );
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
                r##"<rect x="{:.1}" y="{:.1}" width="14" height="10" fill="{fill}" stroke="#b0b7bf" stroke-width="0.5"/>"##,
                x - 7.0,
                y - 5.0
            )
        }
    };
    if homes.iter().zip(&l.cells).any(|(h, c)| !c.is_empty() && h.required.round() < 1.0) {
        legend.row(14.0, swatch(LAND), "none");
    }
    for k in 0..lows.len() {
        legend.row(14.0, swatch(shade(k, lows.len())), &class_name(k, &lows, threshold));
    }
    let kinds: Vec<SettingKind> = SettingKind::ALL.into_iter().filter(|k| sites.iter().any(|s| s.kind == *k)).collect();
    if !kinds.is_empty() {
        legend.heading("Settings, by places");
        for k in kinds {
            let (colour, shape) = kind_style(k);
            legend.row(15.0, |x, y| format!(r#"<path d="{}" fill="{colour}"/>"#, symbol(shape, x, y, 10.0)), k.name());
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
    if !l.selection.drawn.is_empty() {
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
                &children(c, threshold),
            );
        }
        let n = l.selection.drawn.len();
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
    (out, l.selection)
}

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
) -> String {
    let height = 520.0;
    let frame = Rect { x0: 6.0, y0: 6.0, x1: MAP_RIGHT, y1: height - 6.0 };
    let shown: Vec<&Site> = sites.iter().filter(|s| s.children.round() >= 1.0).collect();
    let mut points: Vec<(f64, f64)> = borough.to_vec();
    points.extend(boundaries.iter().flatten().copied());
    points.extend(shown.iter().map(|s| (s.lon, s.lat)));
    let proj = Projection::fit(&points, Rect { x0: 40.0, y0: 36.0, x1: MAP_RIGHT - 34.0, y1: height - 44.0 });
    let mut out = String::new();
    open(
        &mut out,
        "map",
        WIDTH,
        height,
        &format!("Where children placed outside the borough go, {year}"),
        "Settings outside the borough, each a circle sized by the children placed there, around the borough's outline",
    );
    draw_frame(&mut out, frame);
    let inside: Vec<(f64, f64)> = borough.iter().map(|&(lon, lat)| proj.at(lon, lat)).collect();
    let rings: Vec<Vec<(f64, f64)>> = boundaries.iter().filter_map(|ring| projected_ring(&proj, ring)).collect();
    let outline = if inside.len() >= 3 && rings.is_empty() { grown_hull(&inside, 8.0) } else { Vec::new() };
    if !rings.is_empty() {
        // The council's boundaries of the borough's localities (holes left by the even-odd
        // rule), not an outline drawn round its points.
        let _ = write!(
            out,
            r#"<path class="borough" d="{}" fill-rule="evenodd" fill="{LAND}" stroke="{INK}" stroke-width="0.8"/>"#,
            rings.iter().map(|ring| path(ring)).collect::<String>()
        );
    } else if !outline.is_empty() {
        let _ = write!(
            out,
            r#"<path class="borough" d="{}" fill="{LAND}" stroke="{INK}" stroke-width="1.2" stroke-dasharray="5 3"/>"#,
            path(&outline)
        );
    }
    let most = shown.iter().map(|s| s.children).fold(0.0, f64::max);
    let floor = if threshold > 1.0 { threshold } else { 1.0 };
    let radius = |c: f64| 16.0 * (c.max(floor) / most.max(floor)).sqrt();
    let at: Vec<(f64, f64)> = shown.iter().map(|s| proj.at(s.lon, s.lat)).collect();
    let mut order: Vec<usize> = (0..shown.len()).collect();
    order.sort_by(|&a, &b| shown[b].children.total_cmp(&shown[a].children).then(a.cmp(&b)));
    for &i in &order {
        let s = shown[i];
        let (x, y) = at[i];
        let (colour, _) = kind_style(s.kind);
        let _ = write!(
            out,
            r##"<circle class="destination" cx="{x:.1}" cy="{y:.1}" r="{:.1}" fill="{colour}" fill-opacity="0.75" stroke="#ffffff" stroke-width="1"><title>{} ({}): {} placed</title></circle>"##,
            radius(s.children),
            escape(&s.name),
            escape(s.kind.name()),
            children(s.children, threshold)
        );
    }
    let scale_at = (frame.x0 + 10.0, frame.y1 - 6.0);
    let bar = draw_scale_bar(&mut out, &proj, scale_at.0, scale_at.1);
    let mut obstacles = vec![bar];
    obstacles.extend(order.iter().map(|&i| Rect::around(at[i].0, at[i].1, radius(shown[i].children))));
    let wishes: Vec<Wish> = order
        .iter()
        .map(|&i| Wish {
            x: at[i].0,
            y: at[i].1,
            gap: radius(shown[i].children),
            lines: label_lines(&shown[i].name, 22),
            size: SMALL,
        })
        .collect();
    for (w, p) in wishes.iter().zip(place_labels(&wishes, &obstacles, frame)) {
        if let Some(p) = p {
            draw_label(&mut out, w, &p);
        }
    }
    let mut legend = Legend::new();
    let kinds: Vec<SettingKind> = SettingKind::ALL.into_iter().filter(|k| shown.iter().any(|s| s.kind == *k)).collect();
    legend.heading("Settings outside the borough");
    for k in kinds {
        let (colour, _) = kind_style(k);
        legend.row(
            14.0,
            |x, y| format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="{colour}" fill-opacity="0.75"/>"#),
            k.name(),
        );
    }
    if most > 0.0 {
        legend.heading("Children placed");
        legend.text_x = LEGEND_X + 40.0;
        for c in references(most, floor) {
            let r = radius(c);
            legend.row(
                2.0 * r + 4.0,
                |x, y| format!(r#"<circle cx="{:.1}" cy="{y:.1}" r="{r:.1}" fill="none" stroke="{INK}"/>"#, x + 6.0),
                &children(c, threshold),
            );
        }
        if shown.iter().any(|s| small(s.children, threshold)) {
            legend.row(
                2.0 * radius(1.0) + 4.0,
                |x, y| {
                    format!(
                        r#"<circle cx="{:.1}" cy="{y:.1}" r="{:.1}" fill="none" stroke="{INK}"/>"#,
                        x + 6.0,
                        radius(1.0)
                    )
                },
                &format!("fewer than {threshold:.0} children"),
            );
        }
    }
    if !outline.is_empty() {
        legend.text_x = LEGEND_X + 24.0;
        legend.heading("Also shown");
        legend.row(14.0, borough_swatch, "The borough");
    }
    let (legend, _) = legend.finish();
    out.push_str(&legend);
    out.push_str("</svg>");
    out
}

/// The legend's swatch for the borough's outline (dashed, filled as land), centred at (x, y).
fn borough_swatch(x: f64, y: f64) -> String {
    format!(
        r#"<rect x="{:.1}" y="{:.1}" width="14" height="10" fill="{LAND}" stroke="{INK}" stroke-dasharray="3 2"/>"#,
        x - 7.0,
        y - 5.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Lcg;

    fn home(name: &str, lon: f64, lat: f64, required: f64) -> Home {
        Home { name: name.into(), lon, lat, in_borough: true, required, children: 10.0, area: Vec::new() }
    }

    fn site(name: &str, lon: f64, lat: f64, children: f64) -> Site {
        Site { name: name.into(), lon, lat, kind: SettingKind::MaintainedSpecial, places: 40.0, children }
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
                required: 0.0,
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
                children: 10.0,
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
            let obstacles: Vec<Rect> =
                points.iter().map(|&(x, y)| Rect::around(x, y, 1.0 + g.next(8) as f64)).collect();
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
        let l = lay_out(&homes, &sites, &[], 5.0, 600.0);
        // The symbols as drawn: each setting's outline and each locality's dot.
        let (svg, _) = borough(&homes, &sites, &[], 5.0, "2025/26");
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
        assert_eq!(labelled.len(), homes.len(), "{labelled:?}");
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
                children: 1.0 + g.next(80) as f64,
            })
            .collect();
        let (homes, sites) = sample();
        let outline: Vec<(f64, f64)> =
            homes.iter().map(|h| (h.lon, h.lat)).chain(sites.iter().map(|s| (s.lon, s.lat))).collect();
        let svg = destinations(&outline, &[], &outside, 5.0, "2025/26");
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
                .map(|i| {
                    home(&format!("H{i}"), -2.6 + g.next(60) as f64 / 100.0, 52.9 + g.next(50) as f64 / 100.0, 0.0)
                })
                .collect();
            let sites: Vec<Site> = (0..8)
                .map(|i| {
                    site(&format!("S{i}"), -2.6 + g.next(60) as f64 / 100.0, 52.9 + g.next(50) as f64 / 100.0, 1.0)
                })
                .collect();
            let flows: Vec<Flow> = (0..g.next(60) as usize)
                .map(|_| Flow { from: g.next(6) as usize, to: g.next(8) as usize, children: 1.0 + g.next(40) as f64 })
                .collect();
            let threshold = if round % 2 == 0 { 5.0 } else { 0.0 };
            let s = largest_flows(&homes, &sites, &flows, FLOWS_DRAWN, threshold);
            assert!(s.drawn.len() <= FLOWS_DRAWN);
            assert_eq!(s.drawn.len() + s.local + s.left, flows.len());
            let total: f64 = flows.iter().map(|f| f.children).sum();
            assert!((s.drawn_children + s.local_children + s.left_children - total).abs() < 1e-9);
            // The ones drawn are the largest of those long enough to draw, and none is small.
            let smallest_drawn = s.drawn.iter().map(|&i| flows[i].children).fold(f64::INFINITY, f64::min);
            for (i, f) in flows.iter().enumerate() {
                let km = Haversine.distance(
                    Point::new(homes[f.from].lon, homes[f.from].lat),
                    Point::new(sites[f.to].lon, sites[f.to].lat),
                ) / 1000.0;
                if s.drawn.contains(&i) {
                    assert!(km >= LOCAL_KM && !small(f.children, threshold));
                } else if km >= LOCAL_KM && !small(f.children, threshold) && s.drawn.len() < FLOWS_DRAWN {
                    panic!("flow {i} of {} children left out with room to draw it", f.children);
                } else if km >= LOCAL_KM && !small(f.children, threshold) {
                    assert!(f.children <= smallest_drawn);
                }
            }
            // The map draws those flows, and the caption's numbers add up to every flow and child.
            let (svg, drawn) = borough(&homes, &sites, &flows, threshold, "2025/26");
            assert_eq!(drawn, s);
            assert_eq!(svg.matches(r#"class="flow""#).count(), s.drawn.len());
            let line = s.line(0.0);
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
        let s = Selection {
            drawn: vec![0, 1],
            drawn_children: 30.0,
            local: 3,
            local_children: 12.0,
            left: 1,
            left_children: 1.0,
        };
        assert_eq!(
            s.line(0.0),
            "Lines show the 2 largest flows to a setting more than 3 km from home (30 children). Not drawn: 3 \
             flows of 12 children to a setting within 3 km of home, and 1 further flow of 1 child."
        );
        assert_eq!(counts_in(&s.line(0.0)), (6, 43.0));
    }

    #[test]
    fn the_scale_bar_matches_the_projection_within_one_percent() {
        let (homes, sites) = sample();
        let (svg, _) = borough(&homes, &sites, &[], 5.0, "2025/26");
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
        let homes = [home(evil, -2.4, 53.1, 0.0), home(quote, -2.2, 53.3, 0.0), home("A & B", -2.5, 53.0, 0.0)];
        let sites = [site(evil, -2.3, 53.2, 20.0), site("<b>S</b>", -2.45, 53.05, 8.0)];
        let flows = [Flow { from: 1, to: 1, children: 20.0 }, Flow { from: 0, to: 0, children: 9.0 }];
        let (map, _) = borough(&homes, &sites, &flows, 5.0, "<i>2025/26</i>");
        let outside = [site(evil, -1.9, 52.7, 9.0), site(quote, -2.9, 53.5, 30.0)];
        let away = destinations(&[(-2.4, 53.1), (-2.2, 53.3), (-2.5, 53.0)], &[], &outside, 5.0, "<i>2025/26</i>");
        for svg in [&map, &away] {
            assert!(!svg.contains("<script") && !svg.contains("<b>") && !svg.contains("<i>"), "{svg}");
            assert!(!svg.contains(r#"" onload"#), "a quote closes no attribute");
            assert!(svg.contains("&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
            assert!(svg.contains("x&quot; onload=&quot;alert(2)"));
        }
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
            Flow { from: 0, to: 0, children: 3.0 },
            Flow { from: 1, to: 1, children: 27.0 },
            Flow { from: 2, to: 1, children: 1.0 },
        ];
        let outside = [site("Small", -1.9, 52.7, 2.0), site("Big", -2.9, 53.5, 40.0)];
        let outline = [(-2.44, 53.10), (-2.13, 53.26), (-2.30, 53.09)];
        let shown = |threshold: f64| {
            let (map, s) = borough(&homes, &sites, &flows, threshold, "2025/26");
            let away = destinations(&outline, &[], &outside, threshold, "2025/26");
            (map, away, s.line(threshold))
        };
        let (map, away, line) = shown(5.0);
        assert_eq!(map.matches(r#"class="flow""#).count(), 1, "flows of fewer than 5 are not drawn");
        assert!(map.contains("Macclesfield to Far: 27 children"));
        assert!(
            map.contains("Crewe: fewer than 5 places required") && map.contains("Macclesfield: 12 places required")
        );
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
        let l = lay_out(&homes, &sites, &[], 5.0, 600.0);
        let area = |p: &[(f64, f64)]| {
            (0..p.len()).map(|i| p[i].0 * p[(i + 1) % p.len()].1 - p[(i + 1) % p.len()].0 * p[i].1).sum::<f64>().abs()
                / 2.0
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
}
