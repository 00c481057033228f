//! The caseload in specialist settings by age, the model's beside the DfE's, by phase band
//! and by age and year group.

use crate::model::input::sen2::{AgeRow, Ages, BY_AGE};
use crate::model::{DEFAULT_PHASE_YEAR_GROUPS, Model, NeedByYear, YearGroup};
use crate::outputs::report::text::children;

use super::caseload::Group;
use super::table::{heading, lines_table};
use super::{Basis, Line, placed, sum_published};

/// A band of ages compared: the phases of education, by age at 31 August before the January
/// counted (the age the national curriculum year goes by: year group + 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    /// Ages 0 to 3: N1, N2 and younger.
    EarlyYears,
    /// Ages 4 to 10: reception to year 6.
    Primary,
    /// Ages 11 to 15: years 7 to 11.
    Secondary,
    /// Ages 16 to 18: years 12 to 14.
    Post16,
    /// Ages 19 to 25: beyond the model's year groups.
    Over19,
}

impl Band {
    /// In report order.
    pub const ALL: [Band; 5] = [Band::EarlyYears, Band::Primary, Band::Secondary, Band::Post16, Band::Over19];

    /// The ages, youngest and oldest.
    #[must_use]
    pub fn ages(self) -> (u8, u8) {
        match self {
            Band::EarlyYears => (0, 3),
            Band::Primary => (4, 10),
            Band::Secondary => (11, 15),
            Band::Post16 => (16, 18),
            Band::Over19 => (19, 25),
        }
    }

    /// As the report names it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Band::EarlyYears => "Early years (N1, N2; age 3 and under)",
            Band::Primary => "Primary (R to 6; ages 4 to 10)",
            Band::Secondary => "Secondary (7 to 11; ages 11 to 15)",
            Band::Post16 => "Post-16 (12 to 14; ages 16 to 18)",
            Band::Over19 => "19 and over (ages 19 to 25)",
        }
    }

    /// The band of an age.
    #[must_use]
    pub fn of_age(age: u8) -> Band {
        Band::ALL.into_iter().find(|b| b.ages().1 >= age).unwrap_or(Band::Over19)
    }
}

/// Age at 31 August before the January counted, of a national curriculum year group
/// (N1 = 2, R = 4, 11 = 15, 14 = 18).
#[must_use]
pub fn age_of(year_group: YearGroup) -> u8 {
    u8::try_from(year_group.0 + 4).unwrap_or(0)
}

/// The caseload in specialist settings by age, the model's beside the DfE's.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeComparison {
    /// What the model's figures are.
    pub basis: Basis,
    /// By phase band, in [`Band::ALL`] order.
    pub bands: Vec<Line>,
    /// By age and year group, when the model has year groups (placements or a cohort):
    /// each DfE age to 18 (its name "age 10 (year 6)"), then 19 and over.
    pub by_age: Vec<Line>,
    /// The model's phases that are not within one band, and their children (need by phase only).
    pub unbanded: Vec<(String, f64)>,
}

/// The model's base year by age beside the DfE's caseload by age in the four specialist
/// groups' establishment types. The model's figure is the children placed in the base year
/// by year group; for a model without them, its base-year cohort by year group, or else its
/// demand by phase (placed in a band by the phase's year groups). Only children of the
/// specialist tiers ([`crate::model::Provision::is_specialist`]) are counted: a model of every
/// EHC plan holds the others too, whom the four groups leave out.
#[must_use]
pub fn ages(model: &Model, ages: &Ages) -> AgeComparison {
    let by_yg: Option<(Basis, Vec<(YearGroup, f64)>)> = match (placed(model), model.horizon.as_ref().map(|h| &h.need)) {
        (Some(current), _) => Some((
            Basis::Placed,
            current.iter().filter(|p| p.provision.is_specialist()).map(|p| (p.year_group, p.children)).collect(),
        )),
        (None, Some(NeedByYear::Cohort { cohort, .. })) => Some((
            Basis::Need,
            cohort.iter().filter(|c| c.provision.is_specialist()).map(|c| (c.year_group, c.children)).collect(),
        )),
        _ => None,
    };
    let specialist = |row: &AgeRow| {
        sum_published(
            row.types.iter().filter(|p| Group::of_type(&p.group, &p.establishment_type).is_some()).map(|p| p.children),
        )
    };
    let mut band_model = [0.0; 5];
    let mut unbanded = Vec::new();
    let basis = match &by_yg {
        Some((basis, list)) => {
            for (yg, children) in list {
                band_model[Band::ALL.iter().position(|b| *b == Band::of_age(age_of(*yg))).unwrap_or(0)] += children;
            }
            *basis
        }
        None => {
            let ranges: Vec<(YearGroup, YearGroup)> = match &model.horizon {
                Some(h) => h.phase_year_groups.clone(),
                None => model
                    .phases
                    .iter()
                    .map(|p| {
                        DEFAULT_PHASE_YEAR_GROUPS
                            .iter()
                            .find(|d| d.0.eq_ignore_ascii_case(&p.code))
                            .map_or((YearGroup(99), YearGroup(-99)), |d| (YearGroup(d.1), YearGroup(d.2)))
                    })
                    .collect(),
            };
            let mut by_phase = vec![0.0; model.phases.len()];
            for d in model.demand.iter().filter(|d| d.provision.is_specialist()) {
                by_phase[d.phase.index()] += d.children;
            }
            for (i, v) in by_phase.iter().enumerate() {
                let band = ranges.get(i).filter(|(a, b)| a <= b).and_then(|(a, b)| {
                    let band = Band::of_age(age_of(*a));
                    (band == Band::of_age(age_of(*b))).then_some(band)
                });
                match band {
                    Some(band) => band_model[Band::ALL.iter().position(|x| *x == band).unwrap_or(0)] += v,
                    None => unbanded.push((model.phases[i].code.clone(), *v)),
                }
            }
            Basis::Need
        }
    };
    let bands = Band::ALL
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (lo, hi) = b.ages();
            Line {
                name: b.name().to_string(),
                model: (*b != Band::Over19).then_some(band_model[i]),
                published: sum_published(
                    ages.rows.iter().filter(|r| r.band.low >= lo && r.band.high <= hi).map(&specialist),
                ),
            }
        })
        .collect();
    let mut by_age = Vec::new();
    if let Some((_, list)) = &by_yg {
        for row in ages.rows.iter().filter(|r| r.band.high <= 18) {
            let in_row = |yg: &YearGroup| (row.band.low..=row.band.high).contains(&age_of(*yg));
            let ygs: Vec<String> = YearGroup::all().filter(in_row).map(|y| y.to_string()).collect();
            let name = match ygs.as_slice() {
                [] => row.band.label.clone(),
                [one] => format!("{} (year {one})", row.band.label),
                [first, .., last] => format!("{} (years {first} to {last})", row.band.label),
            };
            let model: f64 = list.iter().filter(|(yg, _)| in_row(yg)).map(|(_, c)| c).sum();
            by_age.push(Line { name, model: Some(model), published: specialist(row) });
        }
        by_age.push(Line {
            name: "19 and over".to_string(),
            model: None,
            published: sum_published(ages.rows.iter().filter(|r| r.band.low >= 19).map(&specialist)),
        });
    }
    AgeComparison { basis, bands, by_age, unbanded }
}

/// The age comparison, as the terminal shows it.
#[must_use]
pub fn ages_report(model: &Model, a: &Ages, file: &str) -> String {
    let c = ages(model, a);
    let basis = match (c.basis, c.by_age.is_empty()) {
        (Basis::Placed, _) => "children placed in the base year (current_placements), by year group".to_string(),
        (_, false) => "the base year's cohort (cohort), by year group (the model has no children placed in its base \
                       year: current_placements of a multi-year model)"
            .to_string(),
        _ => "the base year's forecast need (demand), by phase (the model has no year groups: cohort or \
              current_placements of a multi-year model)"
            .to_string(),
    };
    let mut out = heading(
        model,
        "the DfE's published EHC plans in specialist settings by age",
        file,
        &a.authority,
        &format!(
            "the rows by age (breakdown_topic '{BY_AGE}'), the columns of the four specialist groups; age at 31 August \
             before the January, so year group = age − 4"
        ),
        &basis,
    );
    out.push('\n');
    out.push_str(&lines_table(&c.bands, "phase"));
    if !c.unbanded.is_empty() {
        out.push_str(&format!(
            "\nThe model's phases not within one band (not counted above): {}.\n",
            c.unbanded.iter().map(|(p, v)| format!("{p} {}", children(*v))).collect::<Vec<_>>().join(", ")
        ));
    }
    if !c.by_age.is_empty() {
        out.push('\n');
        out.push_str(&lines_table(&c.by_age, "age (year group)"));
    }
    out.push_str("\nThe model's year groups end at 14 (age 18): plans of 19 and over are not in it.\n");
    out
}
