//! The plan as GeoJSON for the council's GIS (QGIS, ArcGIS): settings at their sites, home
//! localities with their need and the additional places required, and the flows of children
//! from home to setting as lines. Coordinates are longitude, latitude (WGS84), as GeoJSON
//! requires. Names from input files are JSON strings (escaped by the writer) without control
//! characters.

use std::collections::BTreeMap;

use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject, JsonValue};

use crate::optimise::run::Run;
use crate::outputs::files::without_control_characters;

/// The three layers of one year's plan.
#[derive(Debug, Clone)]
pub struct Layers {
    /// A point a setting with a site (the independent market's steps have none), with its
    /// kind, places and children placed.
    pub settings: FeatureCollection,
    /// A home locality, with its children needing a place, placed in and out of the borough,
    /// with no place available, and the additional places required: its area (a Polygon or
    /// MultiPolygon) where the model gives the council's boundaries (`[annex] areas`), else a
    /// point.
    pub localities: FeatureCollection,
    /// A line a home locality and setting with children placed, with the children, journey
    /// and cost a year.
    pub flows: FeatureCollection,
}

fn text(s: &str) -> JsonValue {
    JsonValue::from(without_control_characters(s).into_owned())
}

/// Children in the unit they are counted in ([`crate::model::CHILD_UNIT`]).
fn children(v: f64) -> JsonValue {
    JsonValue::from(crate::model::in_child_units(v) + 0.0)
}

/// A locality's area as a Polygon (one) or MultiPolygon (several), each ring closed as
/// GeoJSON requires; a point at `at` when it has none.
fn area_or_point(polygons: &[Vec<Vec<(f64, f64)>>], at: geo::Point<f64>) -> GeometryValue {
    let closed = |polygon: &Vec<Vec<(f64, f64)>>| -> Vec<Vec<[f64; 2]>> {
        polygon.iter().map(|ring| ring.iter().chain(ring.first()).map(|&(lon, lat)| [lon, lat]).collect()).collect()
    };
    match polygons {
        [] => GeometryValue::new_point([at.x(), at.y()]),
        [one] => GeometryValue::new_polygon(closed(one)),
        many => GeometryValue::new_multi_polygon(many.iter().map(closed)),
    }
}

fn feature(geometry: GeometryValue, properties: JsonObject) -> Feature {
    Feature { geometry: Some(Geometry::new(geometry)), properties: Some(properties), ..Feature::default() }
}

fn collection(features: Vec<Feature>) -> FeatureCollection {
    FeatureCollection { bbox: None, features, foreign_members: None }
}

impl Layers {
    /// The layers of `run`'s plan; `year` (e.g. "2025/26") goes in every feature.
    #[must_use]
    pub fn of(run: &Run, year: &str) -> Layers {
        let (model, plan) = (&run.model, &run.plan);
        let required = crate::outputs::annex::places_required_by_locality(run);
        let mut needing = vec![0.0; model.localities.len()];
        let mut unmet = vec![0.0; model.localities.len()];
        for (r, d) in model.demand.iter().enumerate() {
            needing[d.locality.0] += d.children;
            unmet[d.locality.0] += plan.unmet.get(r).copied().unwrap_or(0.0);
        }
        let mut placed_in = vec![0.0; model.localities.len()];
        let mut placed_out = vec![0.0; model.localities.len()];
        let mut at = vec![0.0; model.settings.len()];
        // (locality, setting) → (children, minutes × children, km × children, £ a year).
        let mut flows: BTreeMap<(usize, usize), (f64, f64, f64, f64)> = BTreeMap::new();
        for p in &plan.placements {
            let d = &model.demand[p.demand];
            let s = model.setting(p.setting);
            if s.in_borough {
                placed_in[d.locality.0] += p.children;
            } else {
                placed_out[d.locality.0] += p.children;
            }
            at[p.setting.0] += p.children;
            let cost = (s.cost_for(d.need) + model.transport_cost(p.setting, p.journey)).pounds();
            let f = flows.entry((d.locality.0, p.setting.0)).or_default();
            f.0 += p.children;
            f.1 += p.journey.minutes * p.children;
            f.2 += p.journey.km * p.children;
            f.3 += cost * p.children;
        }
        let point = |p: geo::Point<f64>| GeometryValue::new_point([p.x(), p.y()]);
        let settings = model
            .settings
            .iter()
            .enumerate()
            .filter(|(_, s)| s.market.is_none())
            .map(|(i, s)| {
                let mut props = JsonObject::new();
                props.insert("year".into(), text(year));
                props.insert("id".into(), text(&s.id));
                props.insert("name".into(), text(&s.name));
                props.insert("kind".into(), text(s.kind.code()));
                props.insert("in_borough".into(), JsonValue::from(s.in_borough));
                props.insert("places".into(), children(s.places));
                props.insert("children_placed".into(), children(at[i]));
                feature(point(s.position), props)
            })
            .collect();
        let localities = model
            .localities
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut props = JsonObject::new();
                props.insert("year".into(), text(year));
                props.insert("id".into(), text(&l.id));
                props.insert("name".into(), text(&l.name));
                props.insert("in_borough".into(), JsonValue::from(l.in_borough));
                props.insert("children_needing_a_place".into(), children(needing[i]));
                props.insert("placed_in_borough".into(), children(placed_in[i]));
                props.insert("placed_out_of_borough".into(), children(placed_out[i]));
                props.insert("no_place_available".into(), children(unmet[i]));
                props.insert("places_required".into(), children(required[i]));
                let area =
                    model.annex.areas.as_ref().and_then(|a| a.of_locality.get(i)).map_or(&[][..], |a| &a.polygons);
                feature(area_or_point(area, l.position), props)
            })
            .collect();
        let flows = flows
            .into_iter()
            .filter(|((_, s), _)| model.settings[*s].market.is_none())
            .map(|((l, s), (n, minutes, km, cost))| {
                let (from, to) = (&model.localities[l], &model.settings[s]);
                let mut props = JsonObject::new();
                props.insert("year".into(), text(year));
                props.insert("locality".into(), text(&from.id));
                props.insert("setting".into(), text(&to.id));
                props.insert("setting_in_borough".into(), JsonValue::from(to.in_borough));
                props.insert("children".into(), children(n));
                props.insert("mean_minutes".into(), JsonValue::from((minutes / n * 10.0).round() / 10.0));
                props.insert("mean_km".into(), JsonValue::from((km / n * 10.0).round() / 10.0));
                props.insert("cost_a_year".into(), JsonValue::from(cost.round()));
                let line = [[from.position.x(), from.position.y()], [to.position.x(), to.position.y()]];
                feature(GeometryValue::new_line_string(line), props)
            })
            .collect();
        Layers { settings: collection(settings), localities: collection(localities), flows: collection(flows) }
    }

    /// Every year's layers joined, layer by layer (each feature names its year).
    #[must_use]
    pub fn joined(years: Vec<Layers>) -> Layers {
        let mut all =
            Layers { settings: collection(vec![]), localities: collection(vec![]), flows: collection(vec![]) };
        for y in years {
            all.settings.features.extend(y.settings.features);
            all.localities.features.extend(y.localities.features);
            all.flows.features.extend(y.flows.features);
        }
        all
    }

    /// The files `--out` writes: `settings.geojson`, `localities.geojson`, `flows.geojson`.
    #[must_use]
    pub fn files(&self) -> [(&'static str, String); 3] {
        [
            ("settings.geojson", self.settings.to_string() + "\n"),
            ("localities.geojson", self.localities.to_string() + "\n"),
            ("flows.geojson", self.flows.to_string() + "\n"),
        ]
    }

    /// All three layers in one collection, each feature's `layer` property saying which (for
    /// `--format geojson`).
    #[must_use]
    pub fn one(&self) -> String {
        let mut features = Vec::new();
        for (layer, fc) in [("setting", &self.settings), ("locality", &self.localities), ("flow", &self.flows)] {
            for f in &fc.features {
                let mut f = f.clone();
                if let Some(p) = f.properties.as_mut() {
                    p.insert("layer".into(), JsonValue::from(layer));
                }
                features.push(f);
            }
        }
        collection(features).to_string() + "\n"
    }
}
