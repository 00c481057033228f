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
//! small are not drawn. Every count printed or drawn is a [`Published`] one, as disclosure
//! control decided it: a withheld count is shown as 'c' and drawn like every other withheld one.
//! Built with maud, so every name from an input file is escaped as it is written.

mod areas;
mod borough;
mod destinations;
mod flows;
mod labels;
mod layout;
mod legend;
mod projection;
mod symbols;

pub use borough::borough;
pub use destinations::destinations;
pub use flows::{FlowSums, Selection, children, is_local, largest_flows};

use std::f64::consts::PI;

use crate::model::SettingKind;
use crate::outputs::annex::disclosure::Published;

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
/// The smallest text on a map: 11 px, shown at least 12 px on a phone (the page's style never
/// shrinks a map below 786 px wide, scrolling sideways instead).
const SMALL: f64 = 11.0;

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
    /// Additional places required for children living here, as disclosure control decided.
    pub required: Published,
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
    /// Children placed there, as disclosure control decided.
    pub children: Published,
}

/// Children from a home locality to a setting.
pub struct Flow {
    /// Index of the home locality.
    pub from: usize,
    /// Index of the setting.
    pub to: usize,
    /// Children, as disclosure control decided.
    pub children: Published,
}

#[cfg(test)]
mod tests;
