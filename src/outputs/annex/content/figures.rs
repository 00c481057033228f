//! The annex's figures (charts and maps), drawn from the final tables once counts are
//! withheld.

use std::collections::BTreeMap;

use crate::outputs::annex::map;
use crate::outputs::annex::svg::{self, Bar};
use crate::outputs::annex::{Figure, Table, Value};

use super::grouping::Group;
use super::inputs::{Band, Inputs};
use crate::outputs::annex::disclosure::Decided;

use super::map_data::MapCells;
use super::tally::{BANDS, Tally, band_name};
use super::words::in_words;

/// A figure to draw once the tables are final.
pub(super) enum Sketch {
    NeedAgainstPlaces,
    PlacesRequired,
    Journeys,
    Map,
    Destinations,
    /// The high-needs block's cumulative deficit, with and without the schemes.
    HighNeedsDeficit,
    /// The saving each year over the futures drawn (`[risk]`).
    RiskSaving,
    /// The cumulative deficit over the futures, with and without the schemes.
    RiskDeficit,
}

/// The least and the most children needing a place of the forecast variants `bands`, year
/// by year, with any of the `needs` (all if `None`); `None` unless two or more variants each
/// cover all `years` planned.
pub(super) fn forecast_range(bands: &[Band], years: usize, needs: Option<&[usize]>) -> Option<Vec<(f64, f64)>> {
    if bands.len() < 2 || bands.iter().any(|b| b.by_need.len() != years) {
        return None;
    }
    let range = (0..years)
        .map(|y| {
            bands
                .iter()
                .map(|b| b.children(y, needs))
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
        })
        .collect();
    Some(range)
}

/// A number from a resolved table (`None` when withheld or blank).
fn table_number(t: &Table, row: usize, col: usize) -> Option<f64> {
    match t.rows.get(row)?.get(col)? {
        Value::Number(v) => Some(*v),
        _ => None,
    }
}

pub(super) fn draw(
    sketch: Sketch,
    tables: &BTreeMap<String, Table>,
    inputs: &Inputs<'_>,
    tallies: &[Tally],
    needs: &[Group],
    cells: &MapCells,
    decided: &Decided,
) -> Figure {
    let threshold = decided.threshold();
    let years: Vec<String> = tallies.iter().map(|t| t.year.clone()).collect();
    // The lowest and highest forecast each year, where the forecasts differ.
    let range_of = |members: Option<&[usize]>| -> Vec<Option<(f64, f64)>> {
        match forecast_range(&inputs.bands, years.len(), members) {
            Some(range) => range.into_iter().map(|(lo, hi)| (hi - lo >= 0.5).then_some((lo, hi))).collect(),
            None => vec![None; years.len()],
        }
    };
    match sketch {
        Sketch::HighNeedsDeficit => super::sections::high_needs::deficit_chart(tables),
        Sketch::RiskSaving => super::sections::risk::saving_chart(tables),
        Sketch::RiskDeficit => super::sections::risk::deficit_chart(
            tables,
            inputs.model.high_needs.as_ref().and_then(|h| h.deficit_target),
        ),
        Sketch::NeedAgainstPlaces => {
            // Need and places by year: all needs, then each need group (from the published
            // tables).
            let by_year = &tables["placements-by-year"];
            let mut panels = Vec::new();
            let series = |t: &Table, col: usize| -> Vec<Option<f64>> {
                (0..years.len()).map(|r| table_number(t, r, col)).collect()
            };
            // One year draws no line (a line needs two years): its places are left out, not
            // named in the legend and caption.
            let one_year = years.len() == 1;
            let places: Vec<Option<f64>> = if one_year {
                vec![None]
            } else {
                tallies.iter().map(|t| Some(t.places_by_kind.values().map(|p| p.0).sum::<f64>())).collect()
            };
            panels.push(svg::Panel {
                title: "All needs".into(),
                bars: series(by_year, 1),
                line: places,
                second: series(by_year, 2),
                range: range_of(None),
            });
            if let Some(t) = tables.get("need-by-year") {
                for (r, row) in t.rows.iter().enumerate().take(t.rows.len() - t.totals) {
                    let Some(Value::Text(need)) = row.first() else { continue };
                    let members = needs.iter().find(|g| g.label == *need).map(|g| g.members.as_slice());
                    panels.push(svg::Panel {
                        title: need.clone(),
                        bars: (0..years.len()).map(|c| table_number(t, r, c + 1)).collect(),
                        line: vec![None; years.len()],
                        second: vec![None; years.len()],
                        range: members.map_or_else(|| vec![None; years.len()], |m| range_of(Some(m))),
                    });
                }
            }
            Figure {
                id: "chart-need-places".into(),
                title: if one_year {
                    format!("Need and children placed in the borough, {}", years[0])
                } else {
                    "Need against places over the years".into()
                },
                caption: format!(
                    "Bars: children {}{}. {}For all needs, {} Missing bars are withheld counts.",
                    super::words::needing(inputs.model),
                    if one_year { "" } else { " (the central forecast)" },
                    if panels.iter().any(|p| p.range.iter().any(Option::is_some)) {
                        format!(
                            "The whiskers span the lowest to the highest of the forecasts the model names ({}). ",
                            in_words(&inputs.bands.iter().map(|b| b.variant.clone()).collect::<Vec<_>>())
                        )
                    } else {
                        String::new()
                    },
                    if one_year {
                        "the dot shows children placed in the borough (its places are in the table of places by kind \
                         of setting)."
                    } else if inputs.model.holds_every_plan() {
                        "the line shows places in the borough's settings of every kind, and the dots children placed \
                         in the borough."
                    } else {
                        "the line shows places in the borough's special schools and resourced provisions, and the \
                         dots children placed in the borough."
                    }
                ),
                svg: svg::small_multiples(&years, &panels, super::words::needing(inputs.model)),
            }
        }
        Sketch::PlacesRequired => {
            let (by_year, out) = (&tables["placements-by-year"], &tables["out-of-borough-by-year"]);
            let bars: Vec<Bar> = (0..years.len())
                .map(|r| {
                    let other = table_number(out, r, 3).zip(table_number(out, r, 4)).map(|(a, b)| a + b);
                    Bar {
                        label: years[r].clone(),
                        parts: vec![table_number(out, r, 2), table_number(by_year, r, 4), other],
                    }
                })
                .collect();
            Figure {
                id: "chart-places-required".into(),
                title: "Additional places required, and other out-of-borough placements, by year".into(),
                caption:
                    "Stacked bars, each year of the plan: children placed out of the borough because local places \
                          are full (dark) and children with no place available (light) together make the additional \
                          places required; children placed out of the borough for other reasons (orange) are not \
                          places required. Missing parts are withheld counts."
                        .into(),
                svg: svg::stacked_bars(
                    &bars,
                    &["Out of borough: local places full", "No place available", "Out of borough: other reasons"],
                    "children",
                ),
            }
        }
        Sketch::Journeys => {
            let t = &tables["journey-times"];
            let first = 1;
            let bars: Vec<Bar> =
                (0..BANDS.len()).map(|b| Bar { label: band_name(b), parts: vec![table_number(t, b, first)] }).collect();
            Figure {
                id: "chart-journeys".into(),
                title: format!("Journey times, {}", years[0]),
                caption: format!("Children by journey time one way, {}. Missing bars are withheld counts.", years[0]),
                svg: svg::stacked_bars(&bars, &["Children"], "children"),
            }
        }
        Sketch::Map => {
            let m = cells.data(inputs, decided);
            let svg = map::borough(&m.homes, &m.inside, &m.flows, &cells.selection, threshold, &years[0]);
            let required = decided.count(cells.required);
            let shading = if required.shown().is_some_and(|r| r < 1.0) {
                format!("No additional places are required in {}, so no area is shaded.", years[0])
            } else {
                format!(
                    "Areas are shaded by the additional places required for children living there in {} (placed \
                     out of the borough because every suitable local setting is full, or with no place available){}.",
                    years[0],
                    if threshold > 1.0 {
                        format!(", in bands (fewer than {threshold:.0} shown alike)")
                    } else {
                        String::new()
                    }
                )
            };
            let areas = match &inputs.years[0].run.model.annex.areas {
                Some(_) => "Each home locality's area is the council's boundary for it, not the part of the borough \
                            nearest its centre; a dot marks the point its journeys are measured from."
                    .to_string(),
                None => "Each home locality's area is the part of the borough nearer its centre than any other's, \
                         within an outline drawn around the borough's localities and settings (not official \
                         boundaries)."
                    .to_string(),
            };
            Figure {
                id: "map".into(),
                title: format!("Places required and journeys to school, {}", years[0]),
                caption: format!(
                    "{areas} {shading} \
                     Settings in the borough are drawn by kind and sized by places. Lines join home localities to \
                     settings in the borough, wider for more children. {} Children placed outside the borough are in \
                     the next map.",
                    cells.selection.line(&cells.flow_sums(decided), threshold)
                ),
                svg,
            }
        }
        Sketch::Destinations => {
            let m = cells.data(inputs, decided);
            let outline: Vec<(f64, f64)> = m
                .homes
                .iter()
                .filter(|h| h.in_borough)
                .map(|h| (h.lon, h.lat))
                .chain(m.inside.iter().map(|s| (s.lon, s.lat)))
                .collect();
            // The council's boundaries of the borough's localities, when the model gives them.
            let boundaries: Vec<Vec<(f64, f64)>> =
                m.homes.iter().filter(|h| h.in_borough).flat_map(|h| h.area.iter().flatten().cloned()).collect();
            let (named, market, away) =
                (decided.count(cells.named), decided.count(cells.market), decided.count(cells.away));
            // The settings drawn: those with children and those withheld.
            let settings = m.outside.iter().filter(|s| s.children.shown().is_none_or(|v| v >= 1.0)).count();
            let alike = if threshold > 1.0 {
                format!(" (those withheld, 'c', drawn alike, as if {threshold:.0})")
            } else {
                String::new()
            };
            let market = if market.shown().is_none_or(|v| v >= 1.0) {
                format!(
                    ", and {} through the independent market, which has no site to draw",
                    map::children(market, threshold)
                )
            } else {
                String::new()
            };
            Figure {
                id: "map-destinations".into(),
                title: format!("Where children placed outside the borough go, {}", years[0]),
                caption: if away.shown().is_some_and(|v| v < 1.0) {
                    format!("No child was placed outside the borough in {}.", years[0])
                } else {
                    let caption = format!(
                        "{} placed outside the borough in {}: {} at the {settings} settings drawn, each circle sized \
                         by its children{alike}{market}.",
                        map::children(away, threshold),
                        years[0],
                        map::children(named, threshold),
                    );
                    let mut first = caption.chars();
                    first.next().map(|c| c.to_uppercase().chain(first).collect()).unwrap_or_default()
                },
                svg: map::destinations(&outline, &boundaries, &m.outside, threshold, &years[0]),
            }
        }
    }
}
