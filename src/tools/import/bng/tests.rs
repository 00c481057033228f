//! The guide's method written out by hand (annexes B, C and D), kept as the reference that
//! proj4rs is checked against, and the tests.

use super::*;

/// Airy 1830 (OSGB36) semi-major and semi-minor axes, metres.
const AIRY: (f64, f64) = (6_377_563.396, 6_356_256.909);
/// GRS80 (WGS84 / ETRS89), metres.
const GRS80: (f64, f64) = (6_378_137.000, 6_356_752.314_1);
/// National Grid scale factor on the central meridian.
const F0: f64 = 0.999_601_271_7;
/// True origin: 49°N, 2°W.
const PHI0_DEG: f64 = 49.0;
const LAMBDA0_DEG: f64 = -2.0;
/// False origin: easting and northing of the true origin, metres.
const E0: f64 = 400_000.0;
const N0: f64 = -100_000.0;

/// OSGB36 → WGS84 Helmert parameters: translations (m), scale (ppm), rotations (arc
/// seconds): the guide's WGS84 → OSGB36 parameters with every sign changed.
const TX: f64 = 446.448;
const TY: f64 = -125.157;
const TZ: f64 = 542.060;
const S_PPM: f64 = -20.4894;
const RX_SEC: f64 = 0.1502;
const RY_SEC: f64 = 0.2470;
const RZ_SEC: f64 = 0.8421;

/// The meridional arc from the true origin's latitude to `phi` (annex B, B2).
fn meridional_arc(phi: f64, b: f64, n: f64) -> f64 {
    let phi0 = PHI0_DEG.to_radians();
    let (d, s) = (phi - phi0, phi + phi0);
    let (n2, n3) = (n * n, n * n * n);
    b * F0
        * ((1.0 + n + 1.25 * n2 + 1.25 * n3) * d - (3.0 * n + 3.0 * n2 + 21.0 / 8.0 * n3) * d.sin() * s.cos()
            + (15.0 / 8.0 * n2 + 15.0 / 8.0 * n3) * (2.0 * d).sin() * (2.0 * s).cos()
            - 35.0 / 24.0 * n3 * (3.0 * d).sin() * (3.0 * s).cos())
}

/// OSGB36 latitude and longitude (radians, on Airy 1830) of a grid reference: the inverse
/// Transverse Mercator projection (annex C, C2).
fn grid_to_osgb36(grid: GridRef) -> (f64, f64) {
    let (a, b) = AIRY;
    let n = (a - b) / (a + b);
    let e2 = (a * a - b * b) / (a * a);
    let phi0 = PHI0_DEG.to_radians();
    let mut phi = (grid.northing - N0) / (a * F0) + phi0;
    let mut m = meridional_arc(phi, b, n);
    // Converges in a handful of steps; the bound keeps a wild input from looping.
    for _ in 0..100 {
        if (grid.northing - N0 - m).abs() < 0.000_01 {
            break;
        }
        phi += (grid.northing - N0 - m) / (a * F0);
        m = meridional_arc(phi, b, n);
    }
    let sin2 = phi.sin().powi(2);
    let nu = a * F0 / (1.0 - e2 * sin2).sqrt();
    let rho = a * F0 * (1.0 - e2) / (1.0 - e2 * sin2).powf(1.5);
    let eta2 = nu / rho - 1.0;
    let t = phi.tan();
    let (t2, t4, t6) = (t * t, t.powi(4), t.powi(6));
    let sec = 1.0 / phi.cos();
    let vii = t / (2.0 * rho * nu);
    let viii = t / (24.0 * rho * nu.powi(3)) * (5.0 + 3.0 * t2 + eta2 - 9.0 * t2 * eta2);
    let ix = t / (720.0 * rho * nu.powi(5)) * (61.0 + 90.0 * t2 + 45.0 * t4);
    let x = sec / nu;
    let xi = sec / (6.0 * nu.powi(3)) * (nu / rho + 2.0 * t2);
    let xii = sec / (120.0 * nu.powi(5)) * (5.0 + 28.0 * t2 + 24.0 * t4);
    let xiia = sec / (5040.0 * nu.powi(7)) * (61.0 + 662.0 * t2 + 1320.0 * t4 + 720.0 * t6);
    let de = grid.easting - E0;
    let latitude = phi - vii * de.powi(2) + viii * de.powi(4) - ix * de.powi(6);
    let longitude = LAMBDA0_DEG.to_radians() + x * de - xi * de.powi(3) + xii * de.powi(5) - xiia * de.powi(7);
    (latitude, longitude)
}

/// Cartesian coordinates of a point on an ellipsoid at height 0 (annex B, B1).
fn to_cartesian(phi: f64, lambda: f64, (a, b): (f64, f64)) -> [f64; 3] {
    let e2 = (a * a - b * b) / (a * a);
    let nu = a / (1.0 - e2 * phi.sin().powi(2)).sqrt();
    [nu * phi.cos() * lambda.cos(), nu * phi.cos() * lambda.sin(), (1.0 - e2) * nu * phi.sin()]
}

/// Latitude and longitude (radians) of cartesian coordinates on an ellipsoid (annex B, B2).
fn from_cartesian([x, y, z]: [f64; 3], (a, b): (f64, f64)) -> (f64, f64) {
    let e2 = (a * a - b * b) / (a * a);
    let p = x.hypot(y);
    let mut phi = (z / (p * (1.0 - e2))).atan();
    for _ in 0..100 {
        let nu = a / (1.0 - e2 * phi.sin().powi(2)).sqrt();
        let next = ((z + e2 * nu * phi.sin()) / p).atan();
        let done = (next - phi).abs() < 1e-12;
        phi = next;
        if done {
            break;
        }
    }
    (phi, y.atan2(x))
}

/// The Helmert transformation from OSGB36 to WGS84 (annex D).
fn helmert([x, y, z]: [f64; 3]) -> [f64; 3] {
    let s = 1.0 + S_PPM * 1e-6;
    let sec = |v: f64| (v / 3600.0).to_radians();
    let (rx, ry, rz) = (sec(RX_SEC), sec(RY_SEC), sec(RZ_SEC));
    [TX + s * x - rz * y + ry * z, TY + rz * x + s * y - rx * z, TZ - ry * x + rx * y + s * z]
}

/// WGS84 latitude and longitude of a National Grid reference by the guide's method.
fn by_the_guide(grid: GridRef) -> LatLon {
    let (phi, lambda) = grid_to_osgb36(grid);
    let (lat, lon) = from_cartesian(helmert(to_cartesian(phi, lambda, AIRY)), GRS80);
    LatLon { latitude: lat.to_degrees(), longitude: lon.to_degrees() }
}

// The tests.

fn dms(d: f64, m: f64, s: f64) -> f64 {
    d + m / 60.0 + s / 3600.0
}

/// The guide's worked example of the inverse projection (annex C): E 651,409.903,
/// N 313,177.270 is 52°39'27.2531"N, 1°43'4.5177"E on OSGB36.
#[test]
fn the_guides_worked_example_of_the_inverse_projection() {
    let (phi, lambda) = grid_to_osgb36(GridRef { easting: 651_409.903, northing: 313_177.270 });
    let seconds = |rad: f64, deg: f64| (rad.to_degrees() - deg).abs() * 3600.0;
    assert!(seconds(phi, dms(52.0, 39.0, 27.2531)) < 0.0005, "{}", phi.to_degrees());
    assert!(seconds(lambda, dms(1.0, 43.0, 4.5177)) < 0.0005, "{}", lambda.to_degrees());
}

/// Points computed with PROJ (EPSG:4326 → EPSG:27700; /work/shared/domain/data-standards.md),
/// given to four decimals of a degree (about 10 m): within 15 m.
#[rstest::rstest]
#[case::crewe(370_602.0, 355_824.0, 53.0988, -2.4405)]
#[case::macclesfield(391_712.0, 373_518.0, 53.2586, -2.1257)]
fn known_points_agree_with_proj_to_metres(
    #[case] easting: f64,
    #[case] northing: f64,
    #[case] latitude: f64,
    #[case] longitude: f64,
) {
    let got = to_wgs84(GridRef { easting, northing }).unwrap();
    let km = km_between(got, LatLon { latitude, longitude });
    assert!(km < 0.015, "{got:?} is {:.1} m away", km * 1000.0);
}

/// The datum shift is about 100 m in England: a grid reference read as if OSGB36 were
/// WGS84 would be that far out, so the Helmert step is doing its work.
#[test]
fn the_datum_shift_moves_points_by_about_a_hundred_metres() {
    let grid = GridRef { easting: 370_602.0, northing: 355_824.0 };
    let (phi, lambda) = grid_to_osgb36(grid);
    let osgb = LatLon { latitude: phi.to_degrees(), longitude: lambda.to_degrees() };
    let shift = km_between(osgb, to_wgs84(grid).unwrap()) * 1000.0;
    assert!((70.0..150.0).contains(&shift), "{shift}");
}

#[test]
fn cartesian_round_trip_is_exact_to_a_millimetre() {
    let (phi, lambda) = (53.1_f64.to_radians(), (-2.4_f64).to_radians());
    let (p, l) = from_cartesian(to_cartesian(phi, lambda, GRS80), GRS80);
    assert!((p - phi).abs() < 1e-10 && (l - lambda).abs() < 1e-10);
}

/// The guide's worked example again, through proj4rs's inverse projection (to OSGB36
/// latitude and longitude: the same datum, so no Helmert step).
#[test]
fn proj4rs_gives_the_guides_worked_example() {
    let osgb36 = Proj::from_proj_string(
        "+proj=longlat +ellps=airy +towgs84=446.448,-125.157,542.06,0.1502,0.247,0.8421,-20.4894 +no_defs",
    )
    .unwrap();
    let mut point = (651_409.903, 313_177.270, 0.0);
    proj4rs::transform::transform(&SYSTEMS.0, &osgb36, &mut point).unwrap();
    let seconds = |rad: f64, deg: f64| (rad.to_degrees() - deg).abs() * 3600.0;
    assert!(seconds(point.1, dms(52.0, 39.0, 27.2531)) < 0.0005, "{}", point.1.to_degrees());
    assert!(seconds(point.0, dms(1.0, 43.0, 4.5177)) < 0.0005, "{}", point.0.to_degrees());
}

/// proj4rs against the guide's method by hand, every 50 km over the whole grid (0 to 700 km
/// east, 0 to 1,300 km north): the same points to within a metre (1.3 cm at most, measured
/// when proj4rs was adopted, at the grid's north-west corner).
#[test]
fn proj4rs_gives_the_guides_points_to_within_a_metre() {
    let mut worst: f64 = 0.0;
    for e in 0..=14 {
        for n in 0..=26 {
            let grid = GridRef { easting: 50_000.0 * f64::from(e), northing: 50_000.0 * f64::from(n) };
            let metres = km_between(to_wgs84(grid).unwrap(), by_the_guide(grid)) * 1000.0;
            assert!(metres < 1.0, "{grid:?}: {metres} m apart");
            worst = worst.max(metres);
        }
    }
    assert!(worst < 0.05, "{worst} m at most");
}

/// geo's haversine, by hand: a degree of latitude on a sphere of 6,371.0088 km is
/// 6,371.0088 × π / 180 = 111.195 km; a degree of longitude at 60° north half that.
#[test]
fn distances_are_great_circle_kilometres() {
    let at = |latitude, longitude| LatLon { latitude, longitude };
    assert!((km_between(at(52.0, -1.0), at(53.0, -1.0)) - 111.195_08).abs() < 1e-4);
    let half = 6_371.008_8 * 2.0 * ((0.5_f64).to_radians().sin() * 60_f64.to_radians().cos()).asin();
    assert!((km_between(at(60.0, 0.0), at(60.0, 1.0)) - half).abs() < 1e-9);
    assert!((half - 111.195_08 / 2.0).abs() < 0.01);
}
