//! The council's boundaries of its localities (`[annex] areas`): a GeoJSON FeatureCollection
//! of Polygon and MultiPolygon features in WGS84 longitude and latitude, as the ONS Open
//! Geography Portal's ward and MSOA boundary downloads are, each naming its locality by a
//! property.
//!
//! Which property: `[annex] area_name` when the model gives it (`"WD24NM"`), else
//! `locality`, else `name`. Its value is a locality's id, or its name (case and surrounding
//! spaces aside). Several features may name one locality (the wards that make it up): its area
//! is all of them. Every locality in the borough needs an area; one outside it may have one. A
//! feature naming no locality is left out with a note, not refused: boundary files cover
//! more than a model does.
//!
//! Each problem is one line naming the file, the feature (counting from 1, with its name)
//! and the field, and what was expected.

use std::collections::HashMap;
use std::path::Path;

use geojson::{GeoJson, GeometryValue, JsonValue, Position};

use super::england;
use super::problem::{Problem, Problems};
use super::table::LARGEST_FILE;
use super::text::{quoted, unreadable};
use super::{note_read, tidy};
use crate::model::{Area, Areas, Locality};

/// The properties tried, in order, when the model names none.
const DEFAULT_PROPERTIES: [&str; 2] = ["locality", "name"];

/// Areas naming no locality listed by name in the note about them; the rest are counted.
const NAMED_IN_NOTE: usize = 5;

/// What a feature must be.
const EXPECTED_GEOMETRY: &str = "expected a Polygon or MultiPolygon in longitude and latitude";

/// Reads the areas at `path` for `localities`, by the property `property` (else
/// [`DEFAULT_PROPERTIES`]). Problems are pushed to `problems`, notes to `notes`; `None` when
/// the file could not be used.
pub(crate) fn read(
    path: &Path,
    property: Option<&str>,
    localities: &[Locality],
    problems: &mut Problems,
    notes: &mut Vec<Problem>,
) -> Option<Areas> {
    let shown = tidy(path);
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => {
            problems.push(Problem::file(&shown, "is not a regular file: expected a GeoJSON file of areas"));
            return None;
        }
        Ok(m) if m.len() > LARGEST_FILE => {
            problems.push(Problem::file(
                &shown,
                format!("is {} MB: expected at most {} MB", m.len() / 1_000_000, LARGEST_FILE / 1_000_000),
            ));
            return None;
        }
        _ => {}
    }
    note_read(path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::file(&shown, unreadable(&e)));
            return None;
        }
    };
    let before = problems.0.len();
    let areas = parse(&bytes, &shown, property, localities, problems, notes);
    if problems.0.len() > before {
        return None;
    }
    let file = shown.file_name().map_or_else(|| shown.display().to_string(), |f| f.to_string_lossy().into_owned());
    areas.map(|of_locality| Areas { file, of_locality })
}

/// The areas in `bytes` (the file `shown`), one for each of `localities`.
fn parse(
    bytes: &[u8],
    shown: &Path,
    property: Option<&str>,
    localities: &[Locality],
    problems: &mut Problems,
    notes: &mut Vec<Problem>,
) -> Option<Vec<Area>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        problems.push(Problem::file(shown, "is not UTF-8 text: expected a GeoJSON file (which is UTF-8)"));
        return None;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let features = match serde_json::from_str::<GeoJson>(text) {
        Ok(GeoJson::FeatureCollection(fc)) => fc.features,
        Ok(GeoJson::Feature(_)) => {
            problems.push(Problem::file(shown, "is a single Feature: expected a FeatureCollection of areas"));
            return None;
        }
        Ok(GeoJson::Geometry(g)) => {
            problems.push(Problem::file(
                shown,
                format!("is a single {}: expected a FeatureCollection of areas", g.value.type_name()),
            ));
            return None;
        }
        Err(e) if e.is_syntax() || e.is_eof() => {
            problems.push(Problem::file(shown, format!("is not JSON ({e}): expected a GeoJSON FeatureCollection")));
            return None;
        }
        // serde's words for what it wanted are a programmer's: where, and what GeoJSON is.
        Err(e) => {
            problems.push(Problem::file(
                shown,
                format!(
                    "is not GeoJSON at line {} column {}: expected a FeatureCollection of features, each with \
                     properties and a Polygon or MultiPolygon geometry of [longitude, latitude] positions",
                    e.line(),
                    e.column()
                ),
            ));
            return None;
        }
    };
    let before = problems.0.len();
    // The borough's areas lie near its localities (see `england`).
    let borough = england::around(
        localities.iter().filter(|l| l.in_borough).map(|l| (l.position.y(), l.position.x())),
        england::BOROUGH_MARGIN_KM,
    );
    let mut areas = vec![Area::default(); localities.len()];
    let mut unnamed: Vec<String> = Vec::new();
    let mut named = vec![false; localities.len()];
    // The first locality with each id and each name (ids are unique; names need not be).
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (k, l) in localities.iter().enumerate() {
        by_id.entry(l.id.as_str()).or_insert(k);
        by_name.entry(l.name.trim().to_lowercase()).or_insert(k);
    }
    for (i, f) in features.iter().enumerate() {
        let n = i + 1;
        let props = f.properties.as_ref();
        let (field, value) = match property {
            Some(p) => (p, props.and_then(|m| m.get(p))),
            None => DEFAULT_PROPERTIES
                .iter()
                .find_map(|p| props.and_then(|m| m.get(*p)).map(|v| (*p, Some(v))))
                .unwrap_or(("locality", None)),
        };
        let name = match value {
            Some(JsonValue::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(JsonValue::Number(v)) => v.to_string(),
            found => {
                let found = match found {
                    None => "is missing".to_string(),
                    Some(JsonValue::String(_)) => "is empty".to_string(),
                    Some(v) => format!("is {}", quoted(&v.to_string())),
                };
                let wanted = match property {
                    Some(_) => "expected the id or name of a locality".to_string(),
                    None => "expected the id or name of a locality in a 'locality' or 'name' property (or name \
                             the property with [annex] area_name)"
                        .to_string(),
                };
                problems.push(Problem::file(shown, format!("feature {n}, field '{field}': {found}: {wanted}")));
                continue;
            }
        };
        let which = format!("feature {n} ({})", quoted(&name));
        let found = by_id.get(name.as_str()).or_else(|| by_name.get(&name.to_lowercase())).copied();
        if let Some(k) = found {
            // Named, if refused below: one problem about it is enough.
            named[k] = true;
        }
        let polygons = match f.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::Polygon { coordinates }) => vec![coordinates],
            Some(GeometryValue::MultiPolygon { coordinates }) => coordinates.iter().collect(),
            Some(other) => {
                problems.push(Problem::file(
                    shown,
                    format!("{which}, field 'geometry': is a {}: {EXPECTED_GEOMETRY}", other.type_name()),
                ));
                continue;
            }
            None => {
                problems
                    .push(Problem::file(shown, format!("{which}, field 'geometry': is missing: {EXPECTED_GEOMETRY}")));
                continue;
            }
        };
        let mut read = Vec::new();
        let mut wrong = None;
        'polygons: for polygon in polygons {
            let mut rings = Vec::new();
            for (r, ring) in polygon.iter().enumerate() {
                let part = if r == 0 { "an outer ring" } else { "a hole" };
                match ring_of(ring, part) {
                    Ok(ring) => rings.push(ring),
                    Err(why) => {
                        wrong = Some(format!("{which}, field 'geometry': {why}"));
                        break 'polygons;
                    }
                }
            }
            if rings.is_empty() {
                wrong = Some(format!("{which}, field 'geometry': a polygon has no rings: {EXPECTED_GEOMETRY}"));
                break;
            }
            read.push(rings);
        }
        if let Some(why) = wrong {
            problems.push(Problem::file(shown, why));
            continue;
        }
        let far = found.filter(|&k| localities[k].in_borough).and_then(|_| {
            let b = borough?;
            read.iter().flatten().flatten().find(|&&(lon, lat)| !b.holds(lat, lon)).copied()
        });
        if let Some((lon, lat)) = far {
            problems.push(Problem::file(
                shown,
                format!(
                    "{which}, field 'geometry': has the position [{lon}, {lat}], more than {} km beyond the model's \
                     in-borough localities: expected the area of a locality in the borough (another authority's \
                     area of the same name? name areas by their code with [annex] area_name)",
                    england::BOROUGH_MARGIN_KM
                ),
            ));
            continue;
        }
        match found {
            Some(k) => areas[k].polygons.extend(read),
            None => unnamed.push(name),
        }
    }
    if !unnamed.is_empty() {
        let mut listed: Vec<String> = unnamed.iter().take(NAMED_IN_NOTE).map(|n| quoted(n)).collect();
        if unnamed.len() > NAMED_IN_NOTE {
            listed.push(format!("{} more", unnamed.len() - NAMED_IN_NOTE));
        }
        let said = if unnamed.len() == 1 {
            "1 area names no locality of the model and is left out".to_string()
        } else {
            format!("{} areas name no locality of the model and are left out", unnamed.len())
        };
        notes.push(Problem::file(shown, format!("{said}: {}", join(&listed))));
    }
    let field = property.map_or_else(|| "'locality' or 'name'".to_string(), |p| format!("'{p}'"));
    for (l, &named) in localities.iter().zip(&named) {
        if l.in_borough && !named {
            problems.push(Problem::file(
                shown,
                format!(
                    "locality {} ({}) has no area: expected a feature whose {field} property is its id or name",
                    quoted(&l.id),
                    quoted(&l.name)
                ),
            ));
        }
    }
    (problems.0.len() == before).then_some(areas)
}

/// "a, b and c".
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A ring's positions, checked: each a longitude from -180 to 180 and a latitude from -90 to
/// 90, in the UK (see [`super::england`]; a position with latitude and longitude swapped is
/// named), at least three different ones; the closing repeat of the first is dropped. `part`
/// says which ring ("an outer ring") in the problem.
fn ring_of(ring: &[Position], part: &str) -> Result<Vec<(f64, f64)>, String> {
    use england::{ENGLAND, Whereabouts, whereabouts};
    let mut out = Vec::with_capacity(ring.len());
    for p in ring {
        let p = p.as_slice();
        let (Some(&lon), Some(&lat)) = (p.first(), p.get(1)) else {
            return Err(format!(
                "{part} has a position of {} number{}: expected longitude and latitude",
                p.len(),
                if p.len() == 1 { "" } else { "s" }
            ));
        };
        if !(lon.is_finite() && lat.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
            return Err(format!(
                "{part} has a position ({lon}, {lat}) out of range: expected longitude from -180 to 180 and latitude \
                 from -90 to 90 (WGS84; save a file in British National Grid metres as WGS84 first)"
            ));
        }
        match whereabouts(lat, lon) {
            Whereabouts::England | Whereabouts::ElsewhereInTheUk => {}
            Whereabouts::Swapped => {
                return Err(format!(
                    "latitude and longitude look swapped: {part} has the position [{lon}, {lat}], outside the UK, \
                     but [{lat}, {lon}] is in England: expected [longitude, latitude], the order GeoJSON gives them"
                ));
            }
            Whereabouts::Abroad => {
                return Err(format!(
                    "{part} has the position [{lon}, {lat}] (longitude, latitude), outside the UK: expected \
                     positions in England (longitude {} to {}, latitude {} to {}), or over a border in the UK",
                    ENGLAND.west, ENGLAND.east, ENGLAND.south, ENGLAND.north
                ));
            }
        }
        out.push((lon, lat));
    }
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    let mut distinct = out.clone();
    distinct.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    distinct.dedup();
    if distinct.len() < 3 {
        return Err(format!(
            "{part} has {} different position{}: expected at least 3 (a closed ring)",
            distinct.len(),
            if distinct.len() == 1 { "" } else { "s" }
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use geo::Point;
    use proptest::prelude::*;

    use super::*;

    fn localities() -> Vec<Locality> {
        let l = |id: &str, name: &str, in_borough| Locality {
            id: id.into(),
            name: name.into(),
            position: Point::new(-2.44, 53.1),
            in_borough,
        };
        vec![l("crewe", "Crewe", true), l("nantwich", "Nantwich", true), l("stoke", "Stoke", false)]
    }

    fn square(lon: f64, lat: f64) -> String {
        format!(
            "[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{}],[{lon},{lat}]]",
            lon + 0.01,
            lon + 0.01,
            lat + 0.01,
            lat + 0.01
        )
    }

    fn feature(properties: &str, geometry: &str) -> String {
        format!(r#"{{"type":"Feature","properties":{properties},"geometry":{geometry}}}"#)
    }

    fn polygon(rings: &[String]) -> String {
        format!(r#"{{"type":"Polygon","coordinates":[{}]}}"#, rings.join(","))
    }

    fn collection(features: &[String]) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
    }

    /// Crewe and Nantwich, each a square.
    fn both() -> Vec<String> {
        vec![
            feature(r#"{"name":"Crewe"}"#, &polygon(&[square(-2.45, 53.1)])),
            feature(r#"{"name":"Nantwich"}"#, &polygon(&[square(-2.52, 53.06)])),
        ]
    }

    /// The areas read, or each problem and note as the user sees it.
    fn read_text(text: &str, property: Option<&str>) -> (Option<Vec<Area>>, Vec<String>, Vec<String>) {
        let mut problems = Problems::default();
        let mut notes = Vec::new();
        let areas =
            parse(text.as_bytes(), Path::new("areas.geojson"), property, &localities(), &mut problems, &mut notes);
        let shown = |ps: &[Problem]| ps.iter().map(ToString::to_string).collect::<Vec<_>>();
        (areas, shown(&problems.0), shown(&notes))
    }

    fn problems_of(text: &str) -> Vec<String> {
        read_text(text, None).1
    }

    #[test]
    fn areas_are_matched_by_id_or_name_and_several_make_one_locality() {
        let text = collection(&[
            feature(r#"{"name":"CREWE "}"#, &polygon(&[square(-2.45, 53.1), square(-2.447, 53.103)])),
            feature(r#"{"locality":"nantwich","name":"Nantwich and rural"}"#, &polygon(&[square(-2.52, 53.06)])),
            feature(
                r#"{"name":"Wistaston"}"#,
                &format!(
                    r#"{{"type":"MultiPolygon","coordinates":[[{}],[{}]]}}"#,
                    square(-2.47, 53.1),
                    square(-2.6, 53.0)
                ),
            ),
            feature(r#"{"locality":"crewe"}"#, &polygon(&[square(-2.40, 53.1)])),
        ]);
        let (areas, problems, notes) = read_text(&text, None);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(notes, ["areas.geojson: 1 area names no locality of the model and is left out: 'Wistaston'"]);
        let areas = areas.unwrap();
        assert_eq!(areas[0].polygons.len(), 2, "Crewe: two features, the first with a hole");
        assert_eq!(areas[0].polygons[0].len(), 2);
        assert_eq!(areas[0].polygons[0][0].len(), 4, "the closing position is dropped");
        assert_eq!(areas[1].polygons.len(), 1);
        assert!(areas[2].polygons.is_empty(), "a locality outside the borough needs no area");
        // By the property the model names.
        let text = collection(&[
            feature(r#"{"WD24NM":"Crewe","name":"x"}"#, &polygon(&[square(-2.45, 53.1)])),
            feature(r#"{"WD24NM":"nantwich"}"#, &polygon(&[square(-2.52, 53.06)])),
        ]);
        let (areas, problems, _) = read_text(&text, Some("WD24NM"));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(areas.unwrap().iter().take(2).all(|a| a.polygons.len() == 1));
    }

    #[test]
    fn many_areas_naming_no_locality_make_one_short_note() {
        let mut features = both();
        features.extend((0..8).map(|i| feature(&format!(r#"{{"name":"Ward {i}"}}"#), &polygon(&[square(-2.0, 53.0)]))));
        let (_, problems, notes) = read_text(&collection(&features), None);
        assert!(problems.is_empty());
        assert_eq!(
            notes,
            ["areas.geojson: 8 areas name no locality of the model and are left out: 'Ward 0', 'Ward 1', 'Ward 2', \
                 'Ward 3', 'Ward 4' and 3 more"]
        );
    }

    #[test]
    fn each_bad_input_is_one_line_naming_file_feature_field_and_what_was_expected() {
        let mut f = both();
        let cases: Vec<(String, &str)> = vec![
            (
                "not json".into(),
                "areas.geojson: is not JSON (expected ident at line 1 column 2): expected a GeoJSON FeatureCollection",
            ),
            (
                r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":"x"}}]}"#.into(),
                "areas.geojson: is not GeoJSON at line 1 column 120: expected a FeatureCollection of features, each with properties and a Polygon or MultiPolygon geometry of [longitude, latitude] positions",
            ),
            (f[0].clone(), "areas.geojson: is a single Feature: expected a FeatureCollection of areas"),
            (polygon(&[square(0.0, 0.0)]), "areas.geojson: is a single Polygon: expected a FeatureCollection of areas"),
            (
                collection(&[
                    f[0].clone(),
                    feature(r#"{"name":"Nantwich"}"#, r#"{"type":"Point","coordinates":[-2.5,53.0]}"#),
                ]),
                "areas.geojson: feature 2 ('Nantwich'), field 'geometry': is a Point: expected a Polygon or MultiPolygon in longitude and latitude",
            ),
            (
                collection(&[f[0].clone(), feature(r#"{"name":"Nantwich"}"#, "null")]),
                "areas.geojson: feature 2 ('Nantwich'), field 'geometry': is missing: expected a Polygon or MultiPolygon in longitude and latitude",
            ),
            (
                collection(&[
                    f[0].clone(),
                    feature(
                        r#"{"name":"Nantwich"}"#,
                        &polygon(&["[[365000,352000],[366000,352000],[366000,353000],[365000,352000]]".into()]),
                    ),
                ]),
                "areas.geojson: feature 2 ('Nantwich'), field 'geometry': an outer ring has a position (365000, 352000) out of range: expected longitude from -180 to 180 and latitude from -90 to 90 (WGS84; save a file in British National Grid metres as WGS84 first)",
            ),
            (
                collection(&[
                    f[0].clone(),
                    feature(
                        r#"{"name":"Nantwich"}"#,
                        &polygon(&[square(-2.52, 53.06), "[[-2.5,53.065],[-2.51,53.065],[-2.5,53.065]]".into()]),
                    ),
                ]),
                "areas.geojson: feature 2 ('Nantwich'), field 'geometry': a hole has 2 different positions: expected at least 3 (a closed ring)",
            ),
            (
                collection(&[
                    f[0].clone(),
                    feature(r#"{"name":"Nantwich"}"#, &polygon(&["[[-2.5],[-2.51,53.0],[-2.5,53.01]]".into()])),
                ]),
                "areas.geojson: feature 2 ('Nantwich'), field 'geometry': an outer ring has a position of 1 number: expected longitude and latitude",
            ),
            (
                collection(&[
                    f[0].clone(),
                    feature(r#"{"name":"Nantwich"}"#, r#"{"type":"Polygon","coordinates":[]}"#),
                ]),
                "areas.geojson: feature 2 ('Nantwich'), field 'geometry': a polygon has no rings: expected a Polygon or MultiPolygon in longitude and latitude",
            ),
            (
                collection(&[
                    f[0].clone(),
                    f[1].clone(),
                    feature(r#"{"ward":"Wistaston"}"#, &polygon(&[square(-2.52, 53.06)])),
                ]),
                "areas.geojson: feature 3, field 'locality': is missing: expected the id or name of a locality in a 'locality' or 'name' property (or name the property with [annex] area_name)",
            ),
            (
                collection(&[
                    f[0].clone(),
                    f[1].clone(),
                    feature(r#"{"name":[1,2]}"#, &polygon(&[square(-2.52, 53.06)])),
                ]),
                "areas.geojson: feature 3, field 'name': is '[1,2]': expected the id or name of a locality in a 'locality' or 'name' property (or name the property with [annex] area_name)",
            ),
            (
                collection(&[f[0].clone()]),
                "areas.geojson: locality 'nantwich' ('Nantwich') has no area: expected a feature whose 'locality' or 'name' property is its id or name",
            ),
        ];
        for (text, expected) in &cases {
            assert_eq!(problems_of(text), [*expected], "{text}");
        }
        // With the property named: its name in the problem.
        f[1] = feature(r#"{"name":"Nantwich","WD24NM":""}"#, &polygon(&[square(-2.52, 53.06)]));
        let (_, problems, _) = read_text(&collection(&f), Some("WD24NM"));
        assert_eq!(
            problems,
            [
                "areas.geojson: feature 1, field 'WD24NM': is missing: expected the id or name of a locality",
                "areas.geojson: feature 2, field 'WD24NM': is empty: expected the id or name of a locality",
                "areas.geojson: locality 'crewe' ('Crewe') has no area: expected a feature whose 'WD24NM' property is its id or name",
                "areas.geojson: locality 'nantwich' ('Nantwich') has no area: expected a feature whose 'WD24NM' property is its id or name",
            ]
        );
        let mut problems = Problems::default();
        parse(&[0xff, 0xfe, b'{'], Path::new("areas.geojson"), None, &localities(), &mut problems, &mut Vec::new());
        assert_eq!(
            problems.0[0].to_string(),
            "areas.geojson: is not UTF-8 text: expected a GeoJSON file (which is UTF-8)"
        );
    }

    /// Issue 26, case 11: a boundary file with latitude and longitude swapped, or one in
    /// Australia, is refused naming the feature; a feature in Scotland is read.
    #[test]
    fn positions_swapped_or_outside_the_uk_are_refused_and_named() {
        let swapped = |lon: f64, lat: f64| {
            format!("[[{lat},{lon}],[{lat},{}],[{},{}],[{lat},{lon}]]", lon + 0.01, lat + 0.01, lon + 0.01)
        };
        let crewe = feature(r#"{"name":"Crewe"}"#, &polygon(&[swapped(-2.45, 53.1)]));
        let nantwich = || feature(r#"{"name":"Nantwich"}"#, &polygon(&[square(-2.52, 53.06)]));
        assert_eq!(
            problems_of(&collection(&[crewe, nantwich()])),
            [
                "areas.geojson: feature 1 ('Crewe'), field 'geometry': latitude and longitude look swapped: an outer ring \
              has the position [53.1, -2.45], outside the UK, but [-2.45, 53.1] is in England: expected [longitude, \
              latitude], the order GeoJSON gives them"
            ]
        );
        let sydney = feature(r#"{"name":"Crewe"}"#, &polygon(&[square(151.2, -33.87)]));
        let problems = problems_of(&collection(&[sydney, nantwich()]));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with(
                "areas.geojson: feature 1 ('Crewe'), field 'geometry': an outer ring has the position [151.2, -33.87] \
                 (longitude, latitude), outside the UK"
            ),
            "{problems:?}"
        );
        // Crewe drawn in London, its ward's name shared with another authority's, say.
        let london = feature(r#"{"name":"Crewe"}"#, &polygon(&[square(-0.13, 51.5)]));
        assert_eq!(
            problems_of(&collection(&[london, nantwich()])),
            ["areas.geojson: feature 1 ('Crewe'), field 'geometry': has the position [-0.13, 51.5], more than 50 km \
              beyond the model's in-borough localities: expected the area of a locality in the borough (another \
              authority's area of the same name? name areas by their code with [annex] area_name)"]
        );
        // Stoke (out of the borough) drawn in Inverness: in the UK, read.
        let mut features = both();
        features.push(feature(r#"{"name":"Stoke"}"#, &polygon(&[square(-4.22, 57.48)])));
        let (areas, problems, _) = read_text(&collection(&features), None);
        assert!(problems.is_empty() && areas.is_some(), "{problems:?}");
    }

    #[test]
    fn a_missing_file_a_folder_and_a_byte_order_mark_are_handled() {
        let dir = tempfile::tempdir().unwrap();
        let mut problems = Problems::default();
        assert!(read(&dir.path().join("none.geojson"), None, &localities(), &mut problems, &mut Vec::new()).is_none());
        assert!(read(dir.path(), None, &localities(), &mut problems, &mut Vec::new()).is_none());
        assert_eq!(problems.0.len(), 2);
        assert!(problems.0[0].to_string().contains("none.geojson: cannot read the file"), "{}", problems.0[0]);
        assert!(problems.0[1].to_string().ends_with("is not a regular file: expected a GeoJSON file of areas"));
        let path = dir.path().join("areas.geojson");
        std::fs::write(&path, format!("\u{feff}{}", collection(&both()))).unwrap();
        let mut problems = Problems::default();
        let areas = read(&path, None, &localities(), &mut problems, &mut Vec::new()).expect("read");
        assert!(problems.is_empty());
        assert_eq!(areas.file, "areas.geojson");
        assert_eq!(areas.of_locality.len(), 3);
    }

    /// Bytes that are nearly the fixture's: some replaced, the end cut off.
    fn nearly() -> impl Strategy<Value = Vec<u8>> {
        let base = collection(&both()).into_bytes();
        let n = base.len();
        (prop::collection::vec((0..n, any::<u8>()), 0..6), prop_oneof![Just(n), 0..=n]).prop_map(
            move |(edits, keep)| {
                let mut b = base.clone();
                for (i, v) in edits {
                    b[i] = v;
                }
                b.truncate(keep.max(1));
                b
            },
        )
    }

    fn never_panics_and_speaks_in_one_line(bytes: &[u8]) {
        let mut problems = Problems::default();
        let mut notes = Vec::new();
        let areas = parse(bytes, Path::new("areas.geojson"), None, &localities(), &mut problems, &mut notes);
        for p in problems.0.iter().chain(&notes) {
            let line = p.to_string();
            assert!(line.starts_with("areas.geojson: ") && !line.contains('\n'), "{line}");
        }
        if problems.is_empty() {
            let areas = areas.expect("areas when no problem");
            assert!(areas[0].polygons.iter().chain(&areas[1].polygons).flatten().all(|ring| ring.len() >= 3));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            never_panics_and_speaks_in_one_line(&bytes);
        }

        #[test]
        fn nearly_valid_files_never_panic(bytes in nearly()) {
            never_panics_and_speaks_in_one_line(&bytes);
        }
    }
}
