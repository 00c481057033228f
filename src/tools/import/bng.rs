//! British National Grid (OSGB36 eastings and northings, EPSG:27700) to WGS84 latitude and
//! longitude, by proj4rs: the inverse Transverse Mercator projection on the Airy 1830
//! ellipsoid, then the seven-parameter Helmert transformation from OSGB36 to WGS84 (ETRS89,
//! the same to a metre here), with the Ordnance Survey's published parameters ("A guide to
//! coordinate systems in Great Britain", annexes C and D).
//!
//! The Helmert transformation is good to about 5 metres across Great Britain (OSTN15 is
//! exact, but needs a 15 MB grid): ample for journeys to school. The tests keep the guide's
//! method written out by hand (annexes B, C and D) and check that proj4rs gives the same
//! points to within a metre over the whole grid (1.3 cm at most on a lattice of 50 km), as
//! well as the guide's worked example and points computed with PROJ.

use std::sync::LazyLock;

use geo::{Distance as _, Haversine, Point};
use proj4rs::proj::Proj;

/// The National Grid, with the guide's OSGB36 → WGS84 parameters: translations (m),
/// rotations (arc seconds), scale (ppm), the guide's WGS84 → OSGB36 parameters with every
/// sign changed.
const NATIONAL_GRID: &str = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy \
                             +towgs84=446.448,-125.157,542.06,0.1502,0.247,0.8421,-20.4894 +units=m +no_defs";
/// WGS84 latitude and longitude.
const WGS84: &str = "+proj=longlat +ellps=WGS84 +datum=WGS84 +no_defs";

/// The two coordinate systems, read once.
static SYSTEMS: LazyLock<(Proj, Proj)> = LazyLock::new(|| {
    let read = |text: &str| Proj::from_proj_string(text).expect("a fixed, valid projection");
    (read(NATIONAL_GRID), read(WGS84))
});

/// The grid: eastings 0 to 700 km and northings 0 to 1,300 km cover Great Britain.
pub const EASTING_RANGE: (f64, f64) = (0.0, 700_000.0);
/// See [`EASTING_RANGE`].
pub const NORTHING_RANGE: (f64, f64) = (0.0, 1_300_000.0);

/// A point on the National Grid, metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridRef {
    /// Metres east of the false origin.
    pub easting: f64,
    /// Metres north of the false origin.
    pub northing: f64,
}

/// WGS84 latitude and longitude, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east (negative west).
    pub longitude: f64,
}

/// WGS84 latitude and longitude of a National Grid reference, good to about 5 metres; `None`
/// if proj4rs cannot convert it (not seen within [`EASTING_RANGE`] and [`NORTHING_RANGE`]).
#[must_use]
pub fn to_wgs84(grid: GridRef) -> Option<LatLon> {
    let (national_grid, wgs84) = &*SYSTEMS;
    let mut point = (grid.easting, grid.northing, 0.0);
    proj4rs::transform::transform(national_grid, wgs84, &mut point).ok()?;
    let (longitude, latitude) = (point.0.to_degrees(), point.1.to_degrees());
    (latitude.is_finite() && longitude.is_finite()).then_some(LatLon { latitude, longitude })
}

/// Great-circle distance in km (geo's haversine, mean Earth radius 6,371.0088 km).
#[must_use]
pub fn km_between(p: LatLon, q: LatLon) -> f64 {
    Haversine.distance(Point::new(p.longitude, p.latitude), Point::new(q.longitude, q.latitude)) / 1000.0
}

#[cfg(test)]
mod tests;
