//! Small needs, phases and kinds of setting published in groups, by a rule read from the
//! base year's children, before any count is withheld.

use std::collections::BTreeMap;

use crate::model::{Model, SettingKind};

use super::words::in_words;

/// Needs published together unless each is large enough on its own: the SEND Code of
/// Practice's broad areas of need, split where children go to different schools (name,
/// codes). Every other need is published on its own.
const NEED_GROUPS: [(&str, &[&str]); 3] = [
    ("Moderate and specific learning difficulties", &["MLD", "SpLD"]),
    ("Severe and profound learning difficulties", &["SLD", "PMLD"]),
    ("Sensory, physical and other needs", &["HI", "VI", "MSI", "PD", "OTH"]),
];

/// Phases published together unless each is large enough on its own (name, codes).
const PHASE_GROUPS: [(&str, &[&str]); 1] = [("Early years and primary", &["early-years", "primary"])];

/// Kinds of setting published together in the table of children by kind of setting and need
/// unless each is large enough on its own (name, codes).
const KIND_GROUPS: [(&str, &[&str]); 2] = [
    (
        "State special schools and resourced provision",
        &["maintained-special", "academy-special", "resourced-provision"],
    ),
    ("Independent and non-maintained special schools", &["independent-special", "non-maintained-special"]),
];

/// A need group's or phase group's label, and the model's needs or phases in it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Group {
    pub(super) label: String,
    pub(super) members: Vec<usize>,
}

/// How needs and phases are published: small ones in groups, before any count is withheld.
///
/// The rule reads only the base year's children needing a place (the pupils protected):
/// 1. each phase group ([`PHASE_GROUPS`]) is split into its phases when every need group, at
///    its largest, has none or at least `least` children in each of its phases;
/// 2. each need group ([`NEED_GROUPS`]) is split into its needs when each of them has none
///    or at least `least` children in every phase as published;
/// 3. in the table of children by kind of setting and need, each group of kinds
///    ([`KIND_GROUPS`]) is split into its kinds when each has none or at least `least`
///    children of every need group.
///
/// `least` is four times the threshold (20 for DfE's 5), so that the parts a need and phase
/// is split into elsewhere (in or out of the borough, by kind of setting) are seldom small.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Grouping {
    pub(super) needs: Vec<Group>,
    pub(super) phases: Vec<Group>,
    /// Kinds of setting (indices into [`SettingKind::ALL`]) for the table by kind and need.
    pub(super) kinds: Vec<Group>,
    /// Children every cell of a group split must have, or none (`None`: no grouping).
    pub(super) least: Option<f64>,
}

/// A phase code as a heading: "early-years" → "Early years", "post-16" → "Post-16".
pub(super) fn phase_name(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let chars: Vec<char> = code.chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        if i == 0 {
            out.extend(ch.to_uppercase());
        } else if ch == '-' && chars.get(i + 1).is_some_and(|c| c.is_alphabetic()) {
            out.push(' ');
        } else {
            out.push(ch);
        }
    }
    out
}

/// The model's needs or phases as fixed groups: each group's members the model has (in the
/// model's order, a group where its first member is), every other code alone.
fn fixed_sets(codes: &[String], groups: &[(&str, &[&str])]) -> Vec<(Option<String>, Vec<usize>)> {
    let group_of =
        |code: &str| groups.iter().position(|(_, members)| members.iter().any(|m| m.eq_ignore_ascii_case(code)));
    let mut sets: Vec<(Option<String>, Vec<usize>)> = Vec::new();
    let mut placed: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, code) in codes.iter().enumerate() {
        match group_of(code) {
            Some(g) => match placed.get(&g) {
                Some(&at) => sets[at].1.push(i),
                None => {
                    placed.insert(g, sets.len());
                    sets.push((Some(groups[g].0.to_string()), vec![i]));
                }
            },
            None => sets.push((None, vec![i])),
        }
    }
    sets
}

impl Grouping {
    /// The grouping for `base[need][phase]`, the base year's children needing a place;
    /// `least` as [`Grouping::least`].
    pub(super) fn new(needs: &[String], phases: &[String], base: &[Vec<f64>], least: Option<f64>) -> Grouping {
        let need_alone = |n: usize| Group { label: needs[n].clone(), members: vec![n] };
        let phase_alone = |p: usize| Group { label: phase_name(&phases[p]), members: vec![p] };
        let Some(least) = least else {
            return Grouping {
                needs: (0..needs.len()).map(need_alone).collect(),
                phases: (0..phases.len()).map(phase_alone).collect(),
                kinds: Vec::new(),
                least: None,
            };
        };
        let fits = |v: f64| {
            let shown = v.round();
            shown == 0.0 || shown >= least
        };
        let cell =
            |ns: &[usize], ps: &[usize]| -> f64 { ns.iter().flat_map(|&n| ps.iter().map(move |&p| base[n][p])).sum() };
        let need_sets = fixed_sets(needs, &NEED_GROUPS);
        let mut groups_of_phases = Vec::new();
        for (name, members) in fixed_sets(phases, &PHASE_GROUPS) {
            let split =
                members.len() < 2 || members.iter().all(|&p| need_sets.iter().all(|(_, ns)| fits(cell(ns, &[p]))));
            match name {
                Some(name) if !split => groups_of_phases.push(Group { label: name, members }),
                _ => groups_of_phases.extend(members.into_iter().map(phase_alone)),
            }
        }
        let mut groups_of_needs = Vec::new();
        for (name, members) in need_sets {
            let split = members.len() < 2
                || members.iter().all(|&n| groups_of_phases.iter().all(|pg| fits(cell(&[n], &pg.members))));
            match name {
                Some(name) if !split => {
                    let codes: Vec<&str> = members.iter().map(|&n| needs[n].as_str()).collect();
                    groups_of_needs.push(Group { label: format!("{name} ({})", codes.join(", ")), members });
                }
                _ => groups_of_needs.extend(members.into_iter().map(need_alone)),
            }
        }
        Grouping { needs: groups_of_needs, phases: groups_of_phases, kinds: Vec::new(), least: Some(least) }
    }

    /// The kinds of setting `kinds` (indices into [`SettingKind::ALL`]) for the table by kind
    /// and need, grouped by rule 3; `children(kind, need)` is the base year's children placed.
    pub(super) fn with_kinds(mut self, kinds: &[usize], children: impl Fn(usize, usize) -> f64) -> Grouping {
        let alone = |k: usize| Group { label: SettingKind::ALL[k].name().to_string(), members: vec![k] };
        let Some(least) = self.least else {
            self.kinds = kinds.iter().map(|&k| alone(k)).collect();
            return self;
        };
        let codes: Vec<String> = kinds.iter().map(|&k| SettingKind::ALL[k].code().to_string()).collect();
        let fits = |k: usize| {
            self.needs.iter().all(|g| {
                let shown = g.members.iter().map(|&n| children(k, n)).sum::<f64>().round();
                shown == 0.0 || shown >= least
            })
        };
        let mut groups = Vec::new();
        for (name, members) in fixed_sets(&codes, &KIND_GROUPS) {
            let members: Vec<usize> = members.into_iter().map(|i| kinds[i]).collect();
            match name {
                Some(name) if members.len() > 1 && !members.iter().all(|&k| fits(k)) => {
                    groups.push(Group { label: name, members });
                }
                _ => groups.extend(members.into_iter().map(alone)),
            }
        }
        self.kinds = groups;
        self
    }

    /// The model's need-and-phase cells a year, those published within a group with others,
    /// and the cells published.
    pub(super) fn counts(&self) -> (usize, usize, usize) {
        let needs: usize = self.needs.iter().map(|g| g.members.len()).sum();
        let phases: usize = self.phases.iter().map(|g| g.members.len()).sum();
        let alone = self.needs.iter().filter(|g| g.members.len() == 1).count()
            * self.phases.iter().filter(|g| g.members.len() == 1).count();
        (needs * phases, needs * phases - alone, self.needs.len() * self.phases.len())
    }

    /// The rule and what it did, in words, for the method note.
    pub(super) fn describe(&self, model: &Model) -> String {
        let Some(least) = self.least else {
            return "None: with disclosure control off, every need and phase is shown on its own.".into();
        };
        let list = |codes: &[&str]| -> String {
            match codes {
                [] => String::new(),
                [one] => (*one).to_string(),
                [init @ .., last] => format!("{} and {last}", init.join(", ")),
            }
        };
        let rule_groups: Vec<String> = NEED_GROUPS.iter().map(|(_, codes)| list(codes)).collect();
        let kind_groups: Vec<String> = KIND_GROUPS.iter().map(|(name, _)| format!("\"{name}\"")).collect();
        let made: Vec<String> = self
            .phases
            .iter()
            .filter(|g| g.members.len() > 1)
            .map(|g| {
                let names: Vec<String> = g.members.iter().map(|&p| phase_name(&model.phases[p].code)).collect();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                format!("{} as \"{}\"", list(&names), g.label)
            })
            .chain(self.needs.iter().filter(|g| g.members.len() > 1).map(|g| {
                let codes: Vec<&str> = g.members.iter().map(|&n| model.needs[n].as_str()).collect();
                format!("{} as \"{}\"", list(&codes), g.label)
            }))
            .chain(self.kinds.iter().filter(|g| g.members.len() > 1).map(|g| {
                let names: Vec<&str> = g.members.iter().map(|&k| SettingKind::ALL[k].name()).collect();
                format!("{} as \"{}\" (by kind of setting and need)", list(&names), g.label)
            }))
            .collect();
        let done = if made.is_empty() {
            "Here every need, phase and kind of setting is large enough to be published on its own.".to_string()
        } else {
            format!("Here: {}.", made.join("; "))
        };
        format!(
            "Before any count is withheld, small needs and phases are published in groups, by a rule read from the \
             base year's children: early years is published with primary, and each of these groups of needs as one \
             ({}), unless each phase or need in the group has none or at least {least:.0} children (four times the \
             threshold) in every cell published. In the table of children by kind of setting and need, kinds are \
             grouped likewise ({}). {done}",
            rule_groups.join("; "),
            in_words(&kind_groups)
        )
    }
}
