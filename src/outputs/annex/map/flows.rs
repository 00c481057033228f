//! Which flows of children the borough map draws (the largest, not the shortest), what is
//! left off, and counts of children in words, never below the threshold.

use geo::{Distance, Haversine, Point};

use super::{Flow, Home, Site};

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
pub(super) fn small(v: f64, threshold: f64) -> bool {
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
