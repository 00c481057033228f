//! Checks on the model file's own values: the needs and phases declared, journey limits,
//! policy weights, transport costs and uplift, each problem named at the key's line.

use std::path::PathBuf;

use super::model_file::{ModelFile, ObjectiveFile};
use super::table::is_valid_id;
use super::{DEFAULT_UNMET_PENALTY, Problem, Problems, line_of_key, quoted};
use crate::model::{
    DEFAULT_PHASES, MAX_CODES, Money, ObjectiveMode, PhaseInfo, Policy, SettingKind, TransportCosts, TransportShares,
    Uplift,
};

/// Checks on the model file itself.
pub(crate) struct Loader<'a> {
    pub(super) chain: &'a [(PathBuf, String)],
    pub(super) problems: &'a mut Problems,
}

impl Loader<'_> {
    /// A problem with a key of the model file: named at the file of the chain that sets it.
    pub(super) fn problem(&mut self, key: &str, message: String) {
        let (file, line) = self
            .chain
            .iter()
            .find_map(|(f, t)| line_of_key(t, key).map(|l| (f.clone(), Some(l))))
            .unwrap_or_else(|| (self.chain[0].0.clone(), None));
        self.problems.push(Problem { sheet: None, file, line, field: Some(key.to_string()), message });
    }

    /// The codes declared under `key` (else `default`), and those refused (invalid, or
    /// beyond the [`MAX_CODES`] a model can hold), each refusal a problem.
    pub(super) fn codes(
        &mut self,
        key: &str,
        declared: Option<&[String]>,
        default: &[&str],
    ) -> (Vec<String>, Vec<String>) {
        let Some(declared) = declared else {
            return (default.iter().map(|s| (*s).to_string()).collect(), Vec::new());
        };
        let mut out: Vec<String> = Vec::new();
        let mut refused = Vec::new();
        for code in declared {
            if !is_valid_id(code) {
                self.problem(
                    key,
                    format!(
                        "{} is not a valid code: expected letters, digits, '-', '_' or '.', at most 64 characters",
                        quoted(code)
                    ),
                );
                refused.push(code.clone());
            } else if out.iter().any(|c| c.eq_ignore_ascii_case(code)) {
                self.problem(key, format!("{} is declared twice", quoted(code)));
            } else {
                out.push(code.clone());
            }
        }
        if out.is_empty() {
            self.problem(key, "declares no codes: expected at least one".into());
        }
        if out.len() > MAX_CODES {
            self.problem(key, format!("declares {} codes: at most {MAX_CODES} are supported", out.len()));
            refused.extend(out.split_off(MAX_CODES));
        }
        (out, refused)
    }

    pub(super) fn phases(
        &mut self,
        codes: &[String],
        limits: &std::collections::BTreeMap<String, f64>,
    ) -> Vec<PhaseInfo> {
        for (key, minutes) in limits {
            if !codes.iter().any(|c| c.eq_ignore_ascii_case(key)) {
                self.problem(
                    key,
                    format!(
                        "max_journey_minutes names phase '{key}', which is not declared: expected one of {}",
                        codes.join(", ")
                    ),
                );
            } else if !(minutes.is_finite() && *minutes > 0.0) {
                self.problem(
                    key,
                    format!("max_journey_minutes for '{key}' is {minutes}: expected a positive number of minutes"),
                );
            }
        }
        codes
            .iter()
            .map(|code| {
                let given = limits.iter().find(|(k, _)| k.eq_ignore_ascii_case(code)).map(|(_, v)| *v);
                let default = DEFAULT_PHASES.iter().find(|(c, _)| *c == code).map(|(_, m)| *m);
                let minutes = given.or(default).unwrap_or_else(|| {
                    // Named where the phase is declared (only a declared phase has no default).
                    self.problem("phases", format!("phase {} has no maximum journey: add `{code} = MINUTES` under [policy.max_journey_minutes]", quoted(code)));
                    0.0
                });
                PhaseInfo { code: code.clone(), max_journey_minutes: minutes }
            })
            .collect()
    }

    /// A non-negative (or positive) amount from the model file.
    pub(super) fn amount(&mut self, key: &str, value: Option<f64>, default: f64, positive: bool) -> f64 {
        let v = value.unwrap_or(default);
        let ok = v.is_finite() && v <= 1e12 && if positive { v > 0.0 } else { v >= 0.0 };
        if !ok {
            let expected = if positive { "a number above 0" } else { "a number of at least 0" };
            self.problem(key, format!("{v}: expected {expected} and at most 1,000,000,000,000"));
        }
        v
    }

    /// `[uplift]`: rises a year, from -0.2 to 0.5 (0.05 is 5%); none unless given.
    pub(super) fn uplift(&mut self, file: &ModelFile) -> Uplift {
        let u = &file.uplift;
        let mut rate = |key: &str, value: Option<f64>| {
            let v = value.unwrap_or(0.0);
            if !(v.is_finite() && (-0.2..=0.5).contains(&v)) {
                self.problem(key, format!("{v}: expected a rise a year from -0.2 to 0.5 (0.05 is 5%)"));
            }
            v
        };
        Uplift {
            default: rate("default", u.default),
            independent: rate("independent", u.independent),
            transport: rate("transport", u.transport),
        }
    }

    pub(super) fn policy(&mut self, file: &ModelFile) -> Policy {
        let p = &file.policy;
        let objective = match p.objective {
            None | Some(ObjectiveFile::Weighted) => ObjectiveMode::Weighted,
            Some(ObjectiveFile::Lexicographic) => ObjectiveMode::Lexicographic,
        };
        Policy {
            objective,
            out_of_borough_weight: Money(self.amount("out_of_borough_weight", p.out_of_borough_weight, 0.0, false)),
            unmet_penalty: Money(self.amount("unmet_penalty", p.unmet_penalty, DEFAULT_UNMET_PENALTY, true)),
            share_transported: self.share_transported(&p.share_transported),
        }
    }

    /// `[policy.share_transported]`: by setting kind, the share of children there who get
    /// transport, from 0 to 1; 1 for a kind not named.
    fn share_transported(&mut self, given: &std::collections::BTreeMap<String, f64>) -> TransportShares {
        let mut shares = TransportShares::default();
        for (code, &share) in given {
            let Some(kind) = SettingKind::from_code(code) else {
                let kinds: Vec<&str> = SettingKind::ALL.iter().map(|k| k.code()).collect();
                self.problem(
                    code,
                    format!("share_transported names setting kind '{code}': expected one of {}", kinds.join(", ")),
                );
                continue;
            };
            if !(share.is_finite() && (0.0..=1.0).contains(&share)) {
                self.problem(code, format!("share_transported for '{code}' is {share}: expected a share from 0 to 1"));
                continue;
            }
            shares.set(kind, share);
        }
        shares
    }

    pub(super) fn transport(&mut self, file: &ModelFile) -> TransportCosts {
        let t = &file.transport;
        let circuity = self.amount("circuity", t.circuity, 1.3, true);
        if circuity < 1.0 {
            self.problem(
                "circuity",
                format!("{circuity}: expected at least 1 (roads are never shorter than a straight line)"),
            );
        }
        TransportCosts {
            fixed_per_child: Money(self.amount("fixed_per_child", t.fixed_per_child, 1_500.0, false)),
            cost_per_km: Money(self.amount("cost_per_km", t.cost_per_km, 0.9, false)),
            cost_per_minute: Money(self.amount("cost_per_minute", t.cost_per_minute, 0.0, false)),
            journeys_per_day: self.amount("journeys_per_day", t.journeys_per_day, 2.0, false),
            school_days: self.amount("school_days", t.school_days, 190.0, false),
            circuity,
            average_speed_kmh: self.amount("average_speed_kmh", t.average_speed_kmh, 40.0, true),
            max_access_km: self.amount("max_access_km", t.max_access_km, 15.0, true),
        }
    }
}
