//! What the maps draw, gathered from the first year's plan.

use crate::outputs::annex::map;

use super::inputs::Inputs;
use super::sufficiency::places_required_by_locality;
use super::tally::Tally;

/// What the maps draw, from the first year's plan: home localities with their additional
/// places required ([`places_required_by_locality`]), settings in and outside the borough with
/// their children, flows to settings in the borough, and children placed through the
/// market (which has no site).
pub(super) struct MapData {
    pub(super) homes: Vec<map::Home>,
    pub(super) inside: Vec<map::Site>,
    pub(super) flows: Vec<map::Flow>,
    pub(super) outside: Vec<map::Site>,
    pub(super) market: f64,
}

impl MapData {
    pub(super) fn of(inputs: &Inputs<'_>, tally: &Tally) -> MapData {
        let run = &inputs.years[0].run;
        let model = &run.model;
        let required = places_required_by_locality(run);
        let mut needing = vec![0.0; model.localities.len()];
        for d in &model.demand {
            needing[d.locality.0] += d.children;
        }
        let homes = model
            .localities
            .iter()
            .enumerate()
            .map(|(i, l)| map::Home {
                name: l.name.clone(),
                lon: l.position.x(),
                lat: l.position.y(),
                in_borough: l.in_borough,
                required: required[i],
                children: needing[i],
                area: model
                    .annex
                    .areas
                    .as_ref()
                    .and_then(|a| a.of_locality.get(i))
                    .map(|a| a.polygons.clone())
                    .unwrap_or_default(),
            })
            .collect();
        let mut placed = vec![0.0; model.settings.len()];
        for (&(_, s), &c) in &tally.flows {
            placed[s] += c;
        }
        let (mut inside, mut outside, mut market) = (Vec::new(), Vec::new(), 0.0);
        // Where each setting with a site is drawn: (in the borough, index).
        let mut at = vec![None; model.settings.len()];
        for (i, s) in model.settings.iter().enumerate() {
            if s.market.is_some() {
                market += placed[i];
                continue;
            }
            let site = map::Site {
                name: s.name.clone(),
                lon: s.position.x(),
                lat: s.position.y(),
                kind: s.kind,
                places: s.places,
                children: placed[i],
            };
            if s.in_borough {
                at[i] = Some(inside.len());
                inside.push(site);
            } else {
                outside.push(site);
            }
        }
        let flows = tally
            .flows
            .iter()
            .filter_map(|(&(l, s), &children)| Some(map::Flow { from: l, to: at[s]?, children }))
            .collect();
        MapData { homes, inside, flows, outside, market }
    }
}
