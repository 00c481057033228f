//! Which flows of children the borough map draws (the largest, not the shortest), what is
//! left off, and counts of children in words, never below the threshold.

use geo::{Distance, Haversine, Point};

use crate::outputs::annex::disclosure::Published;

/// Which flows are drawn, and which are not (chosen from the plan's flows before disclosure
/// control, so the counts in the caption are cells of the pool like any other).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    /// Indices of the flows drawn, largest first.
    pub drawn: Vec<usize>,
    /// Flows to a setting within [`LOCAL_KM`] of home: too short to draw.
    pub local: Vec<usize>,
    /// Other flows not drawn (smaller than those drawn, or below the threshold).
    pub left: Vec<usize>,
}

/// The children in the flows drawn, in those too short to draw and in the rest, as
/// disclosure control decided them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlowSums {
    /// In the flows drawn.
    pub drawn: Published,
    /// In the flows to a setting within [`LOCAL_KM`] of home.
    pub local: Published,
    /// In the other flows not drawn.
    pub left: Published,
}

/// A flow to a setting this close to the home locality's centre (km) is not drawn: its line
/// would hide under the symbols.
pub const LOCAL_KM: f64 = 3.0;

impl Selection {
    /// The caption's words on the flows: what is drawn and what is not, with the children in
    /// each as disclosure control decided.
    #[must_use]
    pub fn line(&self, sums: &FlowSums, threshold: f64) -> String {
        let flows = |n: usize| if n == 1 { "1 flow".to_string() } else { format!("{n} flows") };
        let drawn = match self.drawn.len() {
            0 => format!("No flow to a setting more than {LOCAL_KM:.0} km from home is drawn."),
            1 => format!(
                "The line shows the largest flow to a setting more than {LOCAL_KM:.0} km from home ({}).",
                children(sums.drawn, threshold)
            ),
            n => format!(
                "Lines show the {n} largest flows to a setting more than {LOCAL_KM:.0} km from home ({}).",
                children(sums.drawn, threshold)
            ),
        };
        let mut not = Vec::new();
        if !self.local.is_empty() {
            not.push(format!(
                "{} of {} to a setting within {LOCAL_KM:.0} km of home",
                flows(self.local.len()),
                children(sums.local, threshold)
            ));
        }
        if !self.left.is_empty() {
            let left = self.left.len();
            not.push(format!(
                "{left} further {} of {}",
                if left == 1 { "flow" } else { "flows" },
                children(sums.left, threshold)
            ));
        }
        if not.is_empty() { drawn } else { format!("{drawn} Not drawn: {}.", not.join(", and ")) }
    }
}

/// Whether a flow from `home` to `site` (longitude, latitude) is within [`LOCAL_KM`].
#[must_use]
pub fn is_local(home: (f64, f64), site: (f64, f64)) -> bool {
    Haversine.distance(Point::new(home.0, home.1), Point::new(site.0, site.1)) / 1000.0 < LOCAL_KM
}

/// The largest `most` flows (`children` each) that are not `local`, of at least `threshold`
/// children (any size when disclosure control is off), and the rest.
#[must_use]
pub fn largest_flows(local: &[bool], children: &[f64], most: usize, threshold: f64) -> Selection {
    let mut order: Vec<usize> = (0..children.len()).filter(|&i| !local[i]).collect();
    order.sort_by(|&a, &b| children[b].total_cmp(&children[a]).then(a.cmp(&b)));
    let drawn: Vec<usize> = order.into_iter().filter(|&i| !small(children[i], threshold)).take(most).collect();
    let local_ones = (0..children.len()).filter(|&i| local[i]).collect();
    let left = (0..children.len()).filter(|&i| !local[i] && !drawn.contains(&i)).collect();
    Selection { drawn, local: local_ones, left }
}

/// Whether a count is too small to show (below the threshold, when disclosure control is on).
pub(super) fn small(v: f64, threshold: f64) -> bool {
    threshold > 1.0 && v.round() < threshold
}

/// "12 children", "c children" when withheld, or "fewer than 5 children" below the threshold
/// (only with control off or for a count not of pupils: disclosure control withholds a count
/// of pupils that small).
#[must_use]
pub fn children(p: Published, threshold: f64) -> String {
    let Some(v) = p.shown() else { return "c children".to_string() };
    let v = v.round();
    if v > 0.0 && small(v, threshold) {
        format!("fewer than {threshold:.0} children")
    } else if v == 1.0 {
        "1 child".to_string()
    } else {
        format!("{v:.0} children")
    }
}
