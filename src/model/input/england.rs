//! Where England is: every latitude and longitude read (localities, settings, road nodes,
//! scheme sites, the council's boundaries, the register of schools) is checked against it, so
//! that a slip (latitude and longitude swapped, a blank grid reference read as 0, 0) is
//! refused where it is read rather than drawn off Cornwall or in Australia.
//!
//! Two boxes, in WGS84 degrees, each England's or the UK's extremes with about 5 km to spare:
//! - **England**: latitude 49.8 to 55.9, longitude -6.5 to 1.9 (the Isles of Scilly to
//!   Marshall Meadows Bay, the Scillies to Lowestoft Ness). Being a box, it takes in Wales,
//!   the south of Scotland and the east of Northern Ireland: a point there is never questioned.
//! - **The UK**: latitude 49.8 to 61.0, longitude -8.7 to 1.9 (with Shetland, St Kilda and
//!   Northern Ireland).
//!
//! The rule: a point outside the UK is an error, named "latitude and longitude look swapped"
//! when swapping them puts it in England (Crewe written `-2.44, 53.10` is in the Arabian Sea);
//! a point in the UK but outside England (the north of Scotland, Northern Ireland) is an error
//! for what is in the borough, and accepted for what is not (a residential school over the
//! border may well take the council's children).

/// A box of latitude and longitude, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Southernmost latitude.
    pub south: f64,
    /// Northernmost latitude.
    pub north: f64,
    /// Westernmost longitude.
    pub west: f64,
    /// Easternmost longitude.
    pub east: f64,
}

impl Bounds {
    /// Whether the point is inside (edges included).
    #[must_use]
    pub fn holds(&self, latitude: f64, longitude: f64) -> bool {
        (self.south..=self.north).contains(&latitude) && (self.west..=self.east).contains(&longitude)
    }
}

/// England, with Wales and the south of Scotland, and about 5 km to spare.
pub const ENGLAND: Bounds = Bounds { south: 49.8, north: 55.9, west: -6.5, east: 1.9 };

/// Great Britain and Northern Ireland with their islands, and about 5 km to spare.
pub const UK: Bounds = Bounds { south: 49.8, north: 61.0, west: -8.7, east: 1.9 };

/// Where a point is, as far as the check goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whereabouts {
    /// In England's box.
    England,
    /// In the UK but outside England's box.
    ElsewhereInTheUk,
    /// Outside the UK, but in England with latitude and longitude swapped.
    Swapped,
    /// Outside the UK.
    Abroad,
}

/// Where the point `latitude`, `longitude` is.
#[must_use]
pub fn whereabouts(latitude: f64, longitude: f64) -> Whereabouts {
    if ENGLAND.holds(latitude, longitude) {
        Whereabouts::England
    } else if UK.holds(latitude, longitude) {
        Whereabouts::ElsewhereInTheUk
    } else if ENGLAND.holds(longitude, latitude) {
        Whereabouts::Swapped
    } else {
        Whereabouts::Abroad
    }
}

/// The problem with a point of something in the borough (`in_borough`) or not, in words
/// (to follow a file, line and field), or `None` if it is accepted (see the module docs).
#[must_use]
pub fn problem(latitude: f64, longitude: f64, in_borough: Option<bool>) -> Option<String> {
    let at = format!("latitude {latitude}, longitude {longitude}");
    match whereabouts(latitude, longitude) {
        Whereabouts::England => None,
        Whereabouts::ElsewhereInTheUk if in_borough != Some(true) => None,
        Whereabouts::ElsewhereInTheUk => Some(format!(
            "{at} is outside England but marked in the borough: expected a point in England ({})",
            ranges(&ENGLAND)
        )),
        Whereabouts::Swapped => Some(format!(
            "latitude and longitude look swapped: {at} is outside the UK, but latitude {longitude}, longitude \
             {latitude} is in England: expected the latitude (about 50 to 56) first and the longitude (about -6 to 2) \
             second"
        )),
        Whereabouts::Abroad => Some(format!(
            "{at} is outside the UK: expected a point in England ({}), or over a border in the UK",
            ranges(&ENGLAND)
        )),
    }
}

/// How far beyond the box around the borough's localities something of the borough may be,
/// km: locality points are towns' or wards' middles, some way in from the boundary, and the
/// largest authorities are about 150 km across; a point 50 km beyond them all is not the
/// borough's.
pub const BOROUGH_MARGIN_KM: f64 = 50.0;

/// Kilometres in a degree of latitude (and of longitude at the equator).
const KM_A_DEGREE: f64 = 111.2;

/// The box around `points` (latitude, longitude) widened by `km` on every side, or `None`
/// for no points.
#[must_use]
pub fn around(points: impl IntoIterator<Item = (f64, f64)>, km: f64) -> Option<Bounds> {
    let mut b: Option<Bounds> = None;
    for (lat, lon) in points {
        let c = b.get_or_insert(Bounds { south: lat, north: lat, west: lon, east: lon });
        c.south = c.south.min(lat);
        c.north = c.north.max(lat);
        c.west = c.west.min(lon);
        c.east = c.east.max(lon);
    }
    b.map(|c| {
        let dlat = km / KM_A_DEGREE;
        // A degree of longitude is shortest at the box's edge furthest from the equator.
        let widest = c.north.abs().max(c.south.abs()).min(89.0).to_radians().cos();
        let dlon = km / (KM_A_DEGREE * widest);
        Bounds { south: c.south - dlat, north: c.north + dlat, west: c.west - dlon, east: c.east + dlon }
    })
}

/// "latitude 49.8 to 55.9, longitude -6.5 to 1.9".
fn ranges(b: &Bounds) -> String {
    format!("latitude {} to {}, longitude {} to {}", b.south, b.north, b.west, b.east)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn englands_corners_and_neighbours_are_where_they_are() {
        // Crewe, the Isles of Scilly, Marshall Meadows Bay, Lowestoft Ness, Cardiff, Edinburgh.
        for (lat, lon) in [(53.1, -2.44), (49.91, -6.31), (55.81, -2.03), (52.48, 1.76), (51.48, -3.18), (55.95, -3.19)]
        {
            assert_ne!(whereabouts(lat, lon), Whereabouts::Abroad, "{lat}, {lon}");
            assert_ne!(whereabouts(lat, lon), Whereabouts::Swapped, "{lat}, {lon}");
        }
        assert_eq!(whereabouts(53.1, -2.44), Whereabouts::England);
        // Inverness, Londonderry, Lerwick: the UK, not England.
        for (lat, lon) in [(57.48, -4.22), (55.0, -7.32), (60.15, -1.15)] {
            assert_eq!(whereabouts(lat, lon), Whereabouts::ElsewhereInTheUk, "{lat}, {lon}");
        }
    }

    #[test]
    fn the_box_around_points_is_widened_by_the_margin() {
        let b = around([(53.0988, -2.4405), (53.0632, -2.5193)], BOROUGH_MARGIN_KM).expect("a box");
        // 50 km is 0.45 degrees of latitude, and 0.75 of longitude at 53 degrees north.
        assert!((b.north - 53.5484).abs() < 0.001 && (b.south - 52.6136).abs() < 0.001, "{b:?}");
        assert!((b.east - (-2.4405 + 0.7497)).abs() < 0.002 && (b.west - (-2.5193 - 0.7497)).abs() < 0.002, "{b:?}");
        assert!(b.holds(53.3158, -2.2431), "Marsh Lea, Cheshire East, is in the box around Crewe and Nantwich");
        assert!(!b.holds(51.5, -0.13), "London is not");
        assert_eq!(around([], 50.0), None);
    }

    #[test]
    fn swapped_latitude_and_longitude_are_named() {
        assert_eq!(whereabouts(-2.44, 53.1), Whereabouts::Swapped);
        let p = problem(-2.44, 53.1, Some(true)).expect("refused");
        assert!(p.starts_with("latitude and longitude look swapped: latitude -2.44, longitude 53.1 is outside"), "{p}");
        // London, swapped: longitude -0.13 as latitude.
        assert_eq!(whereabouts(-0.13, 51.5), Whereabouts::Swapped);
    }

    #[test]
    fn abroad_is_an_error_and_scotland_only_in_the_borough() {
        // Sydney; the point a grid reference of 0, 0 converts to (off the Isles of Scilly).
        assert_eq!(whereabouts(-33.87, 151.21), Whereabouts::Abroad);
        assert_eq!(whereabouts(49.766, -7.557), Whereabouts::Abroad);
        assert!(problem(-33.87, 151.21, Some(false)).expect("refused").contains("is outside the UK"));
        assert!(problem(0.0, 0.0, None).is_some());
        assert_eq!(problem(57.48, -4.22, Some(false)), None);
        assert_eq!(problem(57.48, -4.22, None), None);
        assert!(
            problem(57.48, -4.22, Some(true)).expect("refused").contains("outside England but marked in the borough")
        );
        assert_eq!(problem(53.1, -2.44, Some(true)), None);
    }
}
