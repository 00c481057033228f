//! What the maps draw, gathered from the first year's plan: every count on them is a cell of
//! the annex's pool, registered before disclosure control and drawn as it decided.

use crate::outputs::annex::disclosure::{CellId, Counts, Decided};
use crate::outputs::annex::map::{self, FlowSums, Selection, is_local, largest_flows};

use super::builder::key;
use super::inputs::Inputs;
use super::tally::Tally;

/// The maps' cells in the pool: each home locality's places required (the cells of the
/// table by home area), each setting's children (the settings table's), the flows drawn,
/// and the sums the captions give.
pub(super) struct MapCells {
    /// Per home locality: its places required.
    homes: Vec<CellId>,
    /// Per setting with a site: (setting index, its children).
    inside: Vec<(usize, CellId)>,
    outside: Vec<(usize, CellId)>,
    /// Flows to settings in the borough: (home locality, index in `inside`, cell).
    flows: Vec<(usize, usize, CellId)>,
    pub(super) selection: Selection,
    sums: [CellId; 3],
    /// Children at the settings drawn outside the borough, through the market, and both.
    pub(super) named: CellId,
    pub(super) market: CellId,
    pub(super) away: CellId,
    /// Places required, all home localities.
    pub(super) required: CellId,
}

/// What the maps draw, as disclosure control decided it.
pub(super) struct MapData {
    pub(super) homes: Vec<map::Home>,
    pub(super) inside: Vec<map::Site>,
    pub(super) flows: Vec<map::Flow>,
    pub(super) outside: Vec<map::Site>,
}

impl MapCells {
    /// Registers the maps' counts in `counts` (published: every one the maps print).
    pub(super) fn register(inputs: &Inputs<'_>, tally: &Tally, counts: &mut Counts, threshold: f64) -> MapCells {
        let run = &inputs.years[0].run;
        let model = &run.model;
        let year = tally.year.clone();
        let homes: Vec<CellId> =
            model.localities.iter().map(|l| counts.shown(key("required", &year, &["*", "*", &l.id]), 0.0)).collect();
        let required = counts.shown(key("required", &year, &["*", "*"]), 0.0);
        let mut placed = vec![0.0; model.settings.len()];
        for p in &run.plan.placements {
            placed[p.setting.0] += p.children;
        }
        let (mut inside, mut outside, mut market) = (Vec::new(), Vec::new(), 0.0);
        let mut at = vec![None; model.settings.len()];
        for (i, s) in model.settings.iter().enumerate() {
            if s.market.is_some() {
                market += placed[i];
                continue;
            }
            let cell = counts.shown(key("setting", &year, &[&s.id]), placed[i]);
            if s.in_borough {
                at[i] = Some(inside.len());
                inside.push((i, cell));
            } else {
                outside.push((i, cell));
            }
        }
        // Flows to settings in the borough: hidden cells adding up to each setting's children.
        let mut flows = Vec::new();
        let mut values = Vec::new();
        let mut local = Vec::new();
        let mut into: Vec<Vec<CellId>> = vec![Vec::new(); inside.len()];
        for (&(l, s), &children) in &tally.flows {
            let Some(k) = at[s] else { continue };
            let (loc, setting) = (&model.localities[l], &model.settings[s]);
            let cell = counts.cell(key("flow", &year, &[&loc.id, &setting.id]), children);
            into[k].push(cell);
            flows.push((l, k, cell));
            values.push(counts.values[cell]);
            local.push(is_local((loc.position.x(), loc.position.y()), (setting.position.x(), setting.position.y())));
        }
        for (k, parts) in into.iter().enumerate() {
            counts.tie(parts, inside[k].1);
        }
        let selection = largest_flows(&local, &values, map::FLOWS_DRAWN, threshold);
        for &i in &selection.drawn {
            counts.published[flows[i].2] = true;
        }
        let sum = |name: &str, which: &[usize], counts: &mut Counts| {
            let parts: Vec<CellId> = which.iter().map(|&i| flows[i].2).collect();
            let id = counts.sum(key(name, &year, &[]), &parts);
            counts.published[id] = true;
            id
        };
        let sums = [
            sum("flows-drawn", &selection.drawn, counts),
            sum("flows-local", &selection.local, counts),
            sum("flows-left", &selection.left, counts),
        ];
        let all_flows: Vec<usize> = (0..flows.len()).collect();
        let every = sum("flows-all", &all_flows, counts);
        counts.published[every] = false;
        counts.tie(&sums, every);
        let named_parts: Vec<CellId> = outside.iter().map(|&(_, c)| c).collect();
        let named = counts.sum(key("away-named", &year, &[]), &named_parts);
        let market = counts.shown(key("away-market", &year, &[]), market);
        let away = counts.sum(key("away", &year, &[]), &[named, market]);
        for c in [named, away] {
            counts.published[c] = true;
        }
        MapCells { homes, inside, outside, flows, selection, sums, named, market, away, required }
    }

    /// The sums of the flows, as decided.
    pub(super) fn flow_sums(&self, decided: &Decided) -> FlowSums {
        let [drawn, local, left] = self.sums.map(|c| decided.count(c));
        FlowSums { drawn, local, left }
    }

    /// What the maps draw, as decided.
    pub(super) fn data(&self, inputs: &Inputs<'_>, decided: &Decided) -> MapData {
        let model = &inputs.years[0].run.model;
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
                required: decided.count(self.homes[i]),
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
        let site = |&(i, cell): &(usize, CellId)| {
            let s = &model.settings[i];
            map::Site {
                name: s.name.clone(),
                lon: s.position.x(),
                lat: s.position.y(),
                kind: s.kind,
                places: s.places,
                children: decided.count(cell),
            }
        };
        let flows = self
            .flows
            .iter()
            .enumerate()
            .map(|(i, &(from, to, cell))| map::Flow {
                from,
                to,
                // Only the flows drawn are published; the others are never printed.
                children: if self.selection.drawn.contains(&i) { decided.count(cell) } else { decided.hidden() },
            })
            .collect();
        MapData {
            homes,
            inside: self.inside.iter().map(site).collect(),
            flows,
            outside: self.outside.iter().map(site).collect(),
        }
    }
}
