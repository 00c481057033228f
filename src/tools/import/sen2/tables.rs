//! What an import writes: the model's base-year tables (current placements, cohort or
//! demand), the settings not in the model, the reconciliation and its summary, all counts.

use std::collections::BTreeMap;
use std::path::Path;

use super::Import;
use super::fields::year_group_code;
use crate::model::Provision;
use crate::outputs::report::csv::safe_cell;

impl Import {
    /// Children counted under `measure` (and `key`, if given).
    #[must_use]
    pub fn count(&self, measure: &str, key: Option<&str>) -> usize {
        self.counts.iter().filter(|c| c.measure == measure && key.is_none_or(|k| c.key == k)).map(|c| c.children).sum()
    }

    fn provision_code(p: Provision) -> &'static str {
        match p {
            Provision::ResourcedProvision => "",
            other => other.code(),
        }
    }

    fn write(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).expect("in memory");
        for r in rows {
            w.write_record(r.iter().map(|c| safe_cell(c))).expect("in memory");
        }
        String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 in, UTF-8 out")
    }

    /// `current_placements.csv`: `setting,locality,need,year_group,children,provision,residence`,
    /// a row for the day children of a cell and one for each kind of boarding (`38-week`,
    /// `52-week`), as the horizon model reads it.
    #[must_use]
    pub fn current_placements_csv(&self) -> String {
        let rows = self.placed.iter().flat_map(|((s, l, n, y, p), (c, r38, r52))| {
            [(c - r38 - r52, ""), (*r38, "38-week"), (*r52, "52-week")].into_iter().filter(|(k, _)| *k > 0).map(
                move |(k, residence)| {
                    vec![
                        self.setting_ids[*s].clone(),
                        self.locality_ids[*l].clone(),
                        self.needs[*n].clone(),
                        year_group_code(*y),
                        k.to_string(),
                        Self::provision_code(*p).to_string(),
                        residence.to_string(),
                    ]
                },
            )
        });
        Self::write(&["setting", "locality", "need", "year_group", "children", "provision", "residence"], rows)
    }

    /// `cohort.csv`: `locality,need,year_group,children,provision`.
    #[must_use]
    pub fn cohort_csv(&self) -> String {
        let mut by: BTreeMap<(usize, usize, i32, Provision), usize> = BTreeMap::new();
        for ((_, l, n, y, p), (c, ..)) in &self.placed {
            *by.entry((*l, *n, *y, *p)).or_default() += c;
        }
        let rows = by.into_iter().map(|((l, n, y, p), c)| {
            vec![
                self.locality_ids[l].clone(),
                self.needs[n].clone(),
                year_group_code(y),
                c.to_string(),
                Self::provision_code(p).to_string(),
            ]
        });
        Self::write(&["locality", "need", "year_group", "children", "provision"], rows)
    }

    /// `demand.csv`: `locality,need,phase,children,provision`.
    #[must_use]
    pub fn demand_csv(&self) -> String {
        let mut by: BTreeMap<(usize, usize, usize, Provision), usize> = BTreeMap::new();
        for ((_, l, n, y, p), (c, ..)) in &self.placed {
            if let Some(ph) = self.phases.iter().position(|(_, a, b)| (*a..=*b).contains(y)) {
                *by.entry((*l, *n, ph, *p)).or_default() += c;
            }
        }
        let rows = by.into_iter().map(|((l, n, ph, p), c)| {
            vec![
                self.locality_ids[l].clone(),
                self.needs[n].clone(),
                self.phases[ph].0.clone(),
                c.to_string(),
                Self::provision_code(p).to_string(),
            ]
        });
        Self::write(&["locality", "need", "phase", "children", "provision"], rows)
    }

    /// `settings_not_in_model.csv`: each URN or UKPRN of a main placement the model has no
    /// setting for, with its children and how many of them are in an SEN unit or resourced
    /// provision there.
    #[must_use]
    pub fn not_in_model_csv(&self) -> String {
        let rows = self.not_in_model().into_iter().map(|(what, code, n, unit)| {
            vec![
                if what == "URN" { code.clone() } else { String::new() },
                if what == "UKPRN" { code } else { String::new() },
                n.to_string(),
                unit.to_string(),
            ]
        });
        Self::write(&["urn", "ukprn", "children", "in_unit_or_resourced_provision"], rows)
    }

    /// (`URN` or `UKPRN`, the number, children, of whom in a unit), most children first.
    fn not_in_model(&self) -> Vec<(&'static str, String, usize, usize)> {
        let mut out: Vec<(&'static str, String, usize, usize)> = Vec::new();
        for (measure, what, unit) in [
            ("not_in_model_urn", "URN", "not_in_model_urn_in_unit"),
            ("not_in_model_ukprn", "UKPRN", "not_in_model_ukprn_in_unit"),
        ] {
            for c in self.counts.iter().filter(|c| c.measure == measure) {
                out.push((what, c.key.clone(), c.children, self.count(unit, Some(&c.key))));
            }
        }
        out.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)).then(a.1.cmp(&b.1)));
        out
    }

    /// `reconciliation.csv`: `measure,key,children`, every count printed.
    #[must_use]
    pub fn reconciliation_csv(&self) -> String {
        Self::write(
            &["measure", "key", "children"],
            self.counts.iter().map(|c| vec![c.measure.to_string(), c.key.clone(), c.children.to_string()]),
        )
    }

    /// The reconciliation, for standard output.
    #[must_use]
    pub fn summary(&self, out: &Path) -> String {
        use crate::model::input::grouped;
        let n = |measure: &str| self.count(measure, None);
        let keyed = |measure: &str| -> Vec<(String, usize)> {
            let mut v: Vec<(String, usize)> =
                self.counts.iter().filter(|c| c.measure == measure).map(|c| (c.key.clone(), c.children)).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        };
        let line = |text: &mut String, indent: usize, label: &str, count: usize| {
            let label = format!("{}{label}", " ".repeat(indent));
            text.push_str(&format!("{label:<64} {:>7}\n", grouped(count)));
        };
        let mut t = format!(
            "SEN2 return of authority {}: census date {} (school year {}); home localities by {}.\n",
            if self.lea.is_empty() { "(not given)" } else { self.lea.as_str() },
            self.census.long(),
            self.census_year,
            self.lookup_form
        );
        if self.census_year != self.base_year {
            t.push_str(&format!(
                "note: the model's base year is {}, the census's school year {}: the tables describe the children as at the census, in the year groups of {}.\n",
                self.base_year, self.census_year, self.census_year
            ));
        }
        t.push('\n');
        line(&mut t, 0, "children read", n("read"));
        line(&mut t, 2, "without an active plan at the census", n("no_active_plan"));
        for (k, c) in keyed("no_active_plan") {
            line(&mut t, 4, &k, c);
        }
        line(&mut t, 2, "with an active plan at the census", n("active"));
        line(&mut t, 4, "no placement open at the census", n("no_placement"));
        line(&mut t, 4, "main placement at a setting of the model (specialist)", n("specialist"));
        for (k, c) in keyed("specialist_by_kind") {
            line(&mut t, 6, &k, c);
        }
        line(&mut t, 4, "in a mainstream class of a school whose unit is in the model", n("mainstream_at_unit_school"));
        let not_in = self.not_in_model();
        line(
            &mut t,
            4,
            &format!("at {} settings not in the model (by URN or UKPRN)", grouped(not_in.len())),
            n("not_in_model_urn") + n("not_in_model_ukprn"),
        );
        line(&mut t, 4, "no URN or UKPRN: other arrangements, by SEN setting code", n("no_urn"));
        for (k, c) in keyed("no_urn") {
            line(&mut t, 6, &k, c);
        }
        if n("pooled") > 0 {
            line(&mut t, 4, "of those, put in the model's pools (every plan), by kind", n("pooled"));
            for (k, c) in keyed("pooled") {
                line(&mut t, 6, &k, c);
            }
        }
        t.push_str("\nChildren with an active plan whose records fall short:\n");
        line(&mut t, 2, "postcode not found in the lookup", n("postcode_not_found"));
        line(&mut t, 2, "primary need (rank 1) missing or not a need of the model", n("need_missing"));
        for (k, c) in keyed("need_missing") {
            line(&mut t, 4, &k, c);
        }
        line(&mut t, 2, "age outside 0-25 at the census (or no date of birth)", n("age_outside_0_25"));
        t.push_str("\nChildren at settings of the model:\n");
        line(&mut t, 2, "written to the tables", n("written"));
        line(&mut t, 4, "of whom in residential placements", n("written_residential"));
        line(&mut t, 2, "left out of the tables", n("left_out"));
        for (k, c) in keyed("left_out") {
            line(&mut t, 4, &k, c);
            if k == "year group in no phase of the model" {
                let mut by_year = keyed("left_out_year_group");
                by_year.sort_by_key(|(k, _)| k.trim_start_matches("NCY ").parse::<i32>().unwrap_or(i32::MAX));
                for (k, c) in by_year {
                    line(&mut t, 6, &k, c);
                }
            }
        }
        if !not_in.is_empty() {
            t.push_str("\nSettings not in the model (add the special schools and units among them to the settings table, with their urn, and run again):\n");
            t.push_str("  number     children  in a unit or resourced provision\n");
            for (what, code, c, unit) in not_in.iter().take(20) {
                t.push_str(&format!("  {what:<5} {:<10} {c:>5}  {unit:>5}\n", safe_cell(code)));
            }
            if not_in.len() > 20 {
                t.push_str(&format!("  ... and {} more in settings_not_in_model.csv\n", not_in.len() - 20));
            }
        }
        t.push_str(&format!(
            "\nWrote {}: current_placements.csv, cohort.csv, demand.csv, settings_not_in_model.csv and reconciliation.csv.\n\
             They hold counts only, by setting, home locality, need and year group or phase: no name, date of birth, UPN or postcode is written. \
             The counts are not rounded or suppressed: for the planner, not for publication.\n",
            out.display()
        ));
        t
    }
}
