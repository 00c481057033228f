//! A model made ready to plan: read and checked ([`crate::model::input`]), its base year's
//! need projected from the cohort where it has one, and its size checked before any journey
//! is worked out ([`crate::optimise::size`]). Every command reads its models through here.

use std::path::{Path, PathBuf};

use crate::model::input::{self, Problems};
use crate::model::{Model, NeedByYear};
use crate::optimise::size::{available, too_big};

/// Reads the model at `path` ([`input::load`]) and makes it ready ([`ready`]).
///
/// # Errors
/// Every problem found in any of its files, or its size.
pub fn load(path: &Path) -> Result<Model, Problems> {
    input::load(path).and_then(ready)
}

/// As [`load`], with the forecast variant `variant` ([`input::load_variant`]).
///
/// # Errors
/// As [`load`]; also if the model has no horizon to take a variant.
pub fn load_variant(path: &Path, variant: Option<&str>) -> Result<Model, Problems> {
    input::load_variant(path, variant).and_then(ready)
}

/// Reads and makes ready each model in `paths`: a base and its scenarios.
///
/// # Errors
/// Every problem found in any of them, in the order given.
pub fn load_each(paths: &[PathBuf]) -> Result<Vec<Model>, Problems> {
    input::gather(paths.iter().map(|p| load(p)))
}

/// Reads and makes ready the model at `path` once for each forecast variant in `variants`.
///
/// # Errors
/// Every problem found in any of them.
pub fn load_variants<S: AsRef<str>>(path: &Path, variants: &[S]) -> Result<Vec<Model>, Problems> {
    input::gather(variants.iter().map(|v| load_variant(path, Some(v.as_ref()))))
}

/// A model as read, made ready: a cohort model's demand is its base year's, projected (in
/// the unit of a child, as the rest), and a model too big to solve in the memory this run
/// may take is refused.
///
/// # Errors
/// The model's size, if it is too big ([`too_big`]).
pub fn ready(mut model: Model) -> Result<Model, Problems> {
    if let Some(ahead) = model.years_ahead().filter(|a| matches!(a.horizon().need, NeedByYear::Cohort { .. })) {
        model.demand = crate::planning::forecast::project_first(ahead);
        model.count_in_child_units();
    }
    if let Some(problem) = too_big(&model, available().as_ref()) {
        return Err(Problems(vec![problem]));
    }
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Provision;

    #[test]
    fn a_cohort_models_base_year_demand_is_its_cohort_by_phase() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny/horizon.toml");
        // As read, the model has no demand of its own: its need is the cohort.
        assert!(input::load(&path).unwrap().demand.is_empty());
        let model = load(&path).unwrap();
        let mut rows: Vec<(String, String, String, String, f64)> = model
            .demand
            .iter()
            .filter(|d| d.children > 0.0)
            .map(|d| {
                let provision = d.provision.code().to_string();
                let locality = model.localities[d.locality.0].id.clone();
                (
                    locality,
                    model.need_code(d.need).to_string(),
                    model.phases[d.phase.0].code.clone(),
                    provision,
                    d.children,
                )
            })
            .collect();
        rows.sort_by(|a, b| a.partial_cmp(b).unwrap());
        // tests/fixtures/tiny/cohort.csv by hand: year 2 and R are primary, 8 and 9 secondary.
        let any = Provision::ResourcedProvision.code().to_string();
        let special = Provision::SpecialSchool.code().to_string();
        let row = |l: &str, n: &str, p: &str, v: &String, c: f64| (l.into(), n.into(), p.into(), v.clone(), c);
        assert_eq!(
            rows,
            [
                row("crewe", "ASD", "primary", &any, 4.0),
                row("crewe", "SEMH", "secondary", &any, 6.0),
                row("nantwich", "ASD", "secondary", &special, 3.0),
                row("nantwich", "SLCN", "primary", &any, 2.5),
            ]
        );
    }
}
