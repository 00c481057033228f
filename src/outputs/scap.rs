//! The SCAP specialist-provision return as files: `scap_capacity.csv` (a line per special
//! school, SEN unit and resourced provision) and `scap_forecast.csv` (a line per year, phase
//! and national curriculum year), with the columns models/README.md ("The SCAP return")
//! describes, and the summary printed.

use crate::model::{Model, SchoolYear};
use crate::planning::scap::Return;

use super::report::csv::{CsvTable, safe_cell};

/// The academic year as the DfE's published data writes it: 202526 for 2025/26.
#[must_use]
pub fn time_period(year: SchoolYear) -> String {
    format!("{}{:02}", year.0, (year.0 + 1) % 100)
}

/// A count as written: whole numbers bare, others to 3 places (the model's child unit).
/// An empty sum (-0 in Rust) is written 0.
fn count(v: f64) -> String {
    let v = v + 0.0;
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.3}") }
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|h| (*h).to_string()).collect()
}

/// `scap_capacity.csv`.
#[must_use]
pub fn capacity_csv(model: &Model, r: &Return) -> CsvTable {
    let la = safe_cell(model.annex.council.as_deref().unwrap_or(""));
    let rows = r
        .capacity
        .iter()
        .map(|c| {
            let s = model.setting(c.setting);
            let phases: Vec<&str> = (0..model.phases.len())
                .filter(|&p| s.phases.contains(p))
                .map(|p| model.phases[p].code.as_str())
                .collect();
            vec![
                time_period(r.base_year),
                la.clone(),
                s.register.urn.clone().unwrap_or_default(),
                safe_cell(&s.name),
                c.provision_type.name().to_string(),
                c.school_phase.to_string(),
                count(c.capacity),
                c.primary_capacity.map(count).unwrap_or_default(),
                c.secondary_capacity.map(count).unwrap_or_default(),
                safe_cell(&s.id),
                s.kind.code().to_string(),
                safe_cell(&phases.join(";")),
                c.notes.join("; "),
            ]
        })
        .collect();
    CsvTable {
        headers: headers(&[
            "time_period",
            "la_name",
            "school_urn",
            "school_name",
            "provision_type",
            "school_phase",
            "capacity",
            "primary_capacity",
            "secondary_capacity",
            "setting",
            "setting_kind",
            "phases_served",
            "note",
        ]),
        rows,
    }
}

/// `scap_forecast.csv`.
#[must_use]
pub fn forecast_csv(model: &Model, r: &Return) -> CsvTable {
    let la = safe_cell(model.annex.council.as_deref().unwrap_or(""));
    let rows = r
        .forecast
        .iter()
        .map(|f| {
            vec![
                time_period(f.year),
                f.year.to_string(),
                la.clone(),
                f.scap_phase.map_or("Not known", |p| p.name()).to_string(),
                safe_cell(model.phase_code(f.phase)),
                f.nc_year.map(|y| y.to_string()).unwrap_or_default(),
                format!("{:.3}", f.pupils),
            ]
        })
        .collect();
    CsvTable {
        headers: headers(&["time_period", "school_year", "la_name", "education_phase", "phase", "nc_year", "pupils"]),
        rows,
    }
}

/// What `scap` prints: the capacity by kind, the forecast by year and phase, and the check.
#[must_use]
pub fn summary_text(model: &Model, r: &Return) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let may = r.base_year.0 + 1;
    let _ = writeln!(t, "SCAP specialist-provision return: {}", super::files::without_control_characters(&model.name));
    let _ = writeln!(t, "\nCapacity as at May {may} (base year {}):", r.base_year);
    for kind in ["Special school", "SEN unit", "Resourced provision"] {
        let of: Vec<_> = r.capacity.iter().filter(|c| c.provision_type.name() == kind).collect();
        let places: f64 = of.iter().map(|c| c.capacity).sum();
        let _ = writeln!(t, "  {kind:<20} {:>3} lines  {:>7} places", of.len(), count(places));
    }
    let _ = writeln!(t, "  {:<20} {:>3} lines  {:>7} places", "Total", r.capacity.len(), count(r.total_capacity()));
    let no_urn = r.capacity.iter().filter(|c| model.setting(c.setting).register.urn.is_none()).count();
    if no_urn > 0 {
        let _ = writeln!(t, "  {no_urn} without a URN in the settings table (school_urn left blank).");
    }
    let _ = writeln!(t, "\nResident pupils with an EHC plan needing a specialist place:");
    let mut phases: Vec<String> = Vec::new();
    for f in &r.forecast {
        let name = model.phase_code(f.phase).to_string();
        if !phases.contains(&name) {
            phases.push(name);
        }
    }
    let _ = write!(t, "  {:<9}", "year");
    for p in &phases {
        let _ = write!(t, " {:>12}", super::files::without_control_characters(p));
    }
    let _ = writeln!(t, " {:>12}", "total");
    let mut years: Vec<SchoolYear> = r.forecast.iter().map(|f| f.year).collect();
    years.dedup();
    for y in years {
        let _ = write!(t, "  {:<9}", y.to_string());
        let of_year: Vec<_> = r.forecast.iter().filter(|f| f.year == y).collect();
        for p in &phases {
            let v: f64 = of_year.iter().filter(|f| model.phase_code(f.phase) == p).map(|f| f.pupils).sum::<f64>() + 0.0;
            let _ = write!(t, " {v:>12.1}");
        }
        let total: f64 = of_year.iter().map(|f| f.pupils).sum::<f64>() + 0.0;
        let _ = writeln!(t, " {total:>12.1}");
    }
    if r.not_resident > 0.0 {
        let _ =
            writeln!(t, "  Left out: {:.1} child-years of need from localities outside the borough.", r.not_resident);
    }
    let _ = writeln!(
        t,
        "\nChecked: the forecast's totals by year and phase equal the plan's need of resident children, \
         and the capacity equals the places of the settings in the return."
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_periods_are_written_as_the_dfe_writes_them() {
        assert_eq!(time_period(SchoolYear(2025)), "202526");
        assert_eq!(time_period(SchoolYear(2099)), "209900");
    }

    #[test]
    fn counts_are_whole_where_they_can_be_and_an_empty_sum_is_0() {
        let nothing: f64 = std::iter::empty::<f64>().sum();
        assert_eq!(count(nothing), "0");
        assert_eq!((count(59.0), count(2.5)), ("59".to_string(), "2.500".to_string()));
    }
}
