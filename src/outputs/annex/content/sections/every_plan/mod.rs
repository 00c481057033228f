//! The whole caseload, for a model of every EHC plan: children by type of setting year by
//! year and by need, places and children at mainstream schools, inclusion bases and
//! alternative provision, the post-16 (and post-19) phase by type of setting, and early years
//! on its own. A model of the children needing a specialist place only has none of these.

use std::collections::BTreeMap;

use crate::model::{Model, Provision, SettingKind};
use crate::outputs::annex::disclosure::CellId;
use crate::outputs::annex::{Column, Unit};

use crate::outputs::annex::content::builder::{Builder, Part, key};
use crate::outputs::annex::content::draft::{Cell, Draft, number, text};
use crate::outputs::annex::content::tally::kind_index;

/// A type of setting as a sufficiency statement counts every plan: the kinds of setting in it.
pub(super) struct SettingType {
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) kinds: &'static [SettingKind],
}

/// Every type of setting, in the order a statement lists them; each kind of setting is in one.
pub(super) const TYPES: [SettingType; 10] = [
    SettingType { code: "mainstream", name: "Mainstream school with support", kinds: &[SettingKind::Mainstream] },
    SettingType {
        code: "inclusion-base",
        name: "Inclusion base (enhanced mainstream)",
        kinds: &[SettingKind::InclusionBase],
    },
    SettingType {
        code: "resourced-provision",
        name: "Resourced provision or SEN unit",
        kinds: &[SettingKind::ResourcedProvision],
    },
    SettingType {
        code: "special",
        name: "State special school (the council's, an academy or another authority's)",
        kinds: &[SettingKind::MaintainedSpecial, SettingKind::AcademySpecial, SettingKind::OtherAuthoritySpecial],
    },
    SettingType {
        code: "independent",
        name: "Independent or non-maintained special school",
        kinds: &[SettingKind::IndependentSpecial, SettingKind::NonMaintainedSpecial, SettingKind::IndependentMarket],
    },
    SettingType {
        code: "specialist-post-16",
        name: "Specialist post-16 institution",
        kinds: &[SettingKind::SpecialistPost16],
    },
    SettingType {
        code: "alternative-provision",
        name: "Alternative provision",
        kinds: &[SettingKind::AlternativeProvision],
    },
    SettingType { code: "further-education", name: "Further education college", kinds: &[SettingKind::GeneralFe] },
    SettingType { code: "early-years", name: "Early years setting", kinds: &[SettingKind::EarlyYears] },
    SettingType {
        code: "elsewhere",
        name: "Educated elsewhere (other arrangements)",
        kinds: &[SettingKind::OtherArrangements],
    },
];

/// The part of education a phase belongs to, from its year groups (early years before
/// reception, post-16 from year 12, post-19 from year 15), or from its code in a model
/// without years ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Stage {
    EarlyYears,
    School,
    Post16,
    Post19,
}

impl Stage {
    const ALL: [Stage; 4] = [Stage::EarlyYears, Stage::School, Stage::Post16, Stage::Post19];

    fn code(self) -> &'static str {
        match self {
            Stage::EarlyYears => "early-years",
            Stage::School => "school",
            Stage::Post16 => "post-16",
            Stage::Post19 => "post-19",
        }
    }

    /// The stage of phase `p` of `model`.
    pub(super) fn of(model: &Model, p: usize) -> Stage {
        let groups = model.horizon.as_ref().and_then(|h| h.phase_year_groups.get(p)).map(|(a, b)| (a.0, b.0));
        let code = model.phases[p].code.as_str();
        let groups = groups.or_else(|| {
            crate::model::DEFAULT_PHASE_YEAR_GROUPS.iter().find(|(c, _, _)| *c == code).map(|(_, a, b)| (*a, *b))
        });
        match groups {
            Some((_, last)) if last < 0 => Stage::EarlyYears,
            Some((first, _)) if first >= 15 => Stage::Post19,
            Some((first, _)) if first >= 12 => Stage::Post16,
            Some(_) => Stage::School,
            None if code.contains("19") => Stage::Post19,
            None => Stage::School,
        }
    }
}

/// One year's placements by kind of setting and phase, the children with no place by
/// phase, and the children of each tier of provision placed at a higher tier or with no
/// place.
#[derive(Default)]
pub(super) struct Caseload {
    pub(super) by_kind_phase: BTreeMap<(usize, usize), f64>,
    pub(super) unmet_by_phase: BTreeMap<usize, f64>,
    pub(super) short: BTreeMap<Provision, f64>,
}

impl Caseload {
    pub(super) fn of(model: &Model, plan: &crate::optimise::plan::Plan) -> Caseload {
        let mut c = Caseload::default();
        for (r, d) in model.demand.iter().enumerate() {
            let unmet = plan.unmet.get(r).copied().unwrap_or(0.0);
            *c.unmet_by_phase.entry(d.phase.0).or_default() += unmet;
            *c.short.entry(d.provision).or_default() += unmet;
        }
        for p in &plan.placements {
            let d = &model.demand[p.demand];
            let kind = model.setting(p.setting).kind;
            *c.by_kind_phase.entry((kind_index(kind), d.phase.0)).or_default() += p.children;
            if kind.provision() != d.provision {
                *c.short.entry(d.provision).or_default() += p.children;
            }
        }
        c
    }
}

/// Children of a year at settings of type `st` in any of `phases`.
fn stage_children(c: &Caseload, st: &SettingType, phases: &[usize]) -> f64 {
    st.kinds
        .iter()
        .flat_map(|&kind| phases.iter().map(move |&p| (kind_index(kind), p)))
        .map(|kp| c.by_kind_phase.get(&kp).copied().unwrap_or(0.0))
        .sum()
}

/// The tiers of the mainstream inclusion and alternative provision table: the kind of
/// setting and the provision its children need.
const INCLUSION: [(SettingKind, Provision); 3] = [
    (SettingKind::Mainstream, Provision::Mainstream),
    (SettingKind::InclusionBase, Provision::InclusionBase),
    (SettingKind::AlternativeProvision, Provision::AlternativeProvision),
];

impl Builder<'_> {
    /// The sections of the whole caseload, when the model holds every EHC plan; nothing
    /// otherwise. Returns the number of sections added.
    pub(in crate::outputs::annex::content) fn every_plan_sections(&mut self) -> usize {
        if !self.model.holds_every_plan() {
            return 0;
        }
        let model = self.model;
        let caseloads: Vec<Caseload> =
            self.inputs.years.iter().map(|y| Caseload::of(&y.run.model, &y.run.plan)).collect();
        let stages: Vec<Stage> = (0..model.phases.len()).map(|p| Stage::of(model, p)).collect();
        let types = self.types_shown();
        for (y, c) in caseloads.iter().enumerate() {
            self.every_plan_cells(y, c, &stages, &types);
        }
        self.every_plan_section(&types, &caseloads);
        let mut added = 1;
        if [Stage::Post16, Stage::Post19].iter().any(|s| stages.contains(s)) {
            self.section("post-16", "Post-16 and post-19: young people with EHC plans by type of setting");
            for stage in [Stage::Post16, Stage::Post19] {
                if stages.contains(&stage) {
                    self.stage_table(stage, &types, &caseloads, &stages);
                }
            }
            added += 1;
        }
        if stages.contains(&Stage::EarlyYears) {
            self.section("early-years", "Early years: children with EHC plans before school");
            self.stage_table(Stage::EarlyYears, &types, &caseloads, &stages);
            added += 1;
        }
        added
    }

    /// The counts of a year by kind of setting and need group, by type of setting, and by
    /// stage and type, each tied to the totals it adds up to.
    fn every_plan_cells(&mut self, y: usize, c: &Caseload, stages: &[Stage], types: &[usize]) {
        let year = self.tallies[y].year.clone();
        let needs = self.grouping.needs.clone();
        // A type with no setting and no child in any year is none, as a reader knows: left out.
        let mut type_totals: Vec<Option<CellId>> = Vec::new();
        let mut by_need: Vec<Vec<CellId>> = vec![Vec::new(); needs.len()];
        for (t, st) in TYPES.iter().enumerate() {
            if !types.contains(&t) {
                type_totals.push(None);
                continue;
            }
            let mut kind_totals = Vec::new();
            let mut type_need = Vec::new();
            for (g, group) in needs.iter().enumerate() {
                let mut parts = Vec::new();
                for &kind in st.kinds {
                    let k = kind_index(kind);
                    let v: f64 = group
                        .members
                        .iter()
                        .map(|n| self.tallies[y].by_kind_need.get(&(k, *n)).copied().unwrap_or(0.0))
                        .sum();
                    parts.push(self.counts.cell(key("kind", &year, &[kind.code(), &group.label]), v));
                }
                let id = self.counts.sum(key("setting", &year, &[st.code, &group.label]), &parts);
                by_need[g].push(id);
                type_need.push(id);
            }
            for &kind in st.kinds {
                let parts: Vec<CellId> =
                    needs.iter().map(|g| self.id("kind", &year, &[kind.code(), &g.label])).collect();
                kind_totals.push(self.counts.sum(key("kind", &year, &[kind.code(), "*"]), &parts));
            }
            let total = self.counts.sum(key("setting", &year, &[st.code, "*"]), &type_need);
            self.counts.tie(&kind_totals, total);
            type_totals.push(Some(total));
        }
        // Each need's types and its children with no place make those needing a place.
        for (g, group) in needs.iter().enumerate() {
            let mut parts = by_need[g].clone();
            parts.push(self.id("unmet", &year, &[&group.label, "*"]));
            let needing = self.id("needing", &year, &[&group.label, "*"]);
            self.counts.tie(&parts, needing);
        }
        let mut parts: Vec<CellId> = type_totals.iter().flatten().copied().collect();
        parts.push(self.id("unmet", &year, &["*", "*"]));
        let needing = self.id("needing", &year, &["*", "*"]);
        self.counts.tie(&parts, needing);

        // By stage: each type's stages add up to the type, each stage's types and children
        // with no place to the stage.
        let present: Vec<Stage> = Stage::ALL.into_iter().filter(|s| stages.contains(s)).collect();
        // A count a reader knows is none is left out of the sums (it could not be withheld):
        // a type with no setting and no child, one whose settings take no phase of the
        // stage with no child there, and children with no place in a year with none.
        let mut by_type: Vec<Vec<CellId>> = vec![Vec::new(); TYPES.len()];
        let (mut unmet_parts, mut stage_totals, mut shown) = (Vec::new(), Vec::new(), Vec::new());
        let any_unmet = c.unmet_by_phase.values().sum::<f64>() > 0.0;
        for &stage in &present {
            let phases: Vec<usize> = (0..stages.len()).filter(|&p| stages[p] == stage).collect();
            let mut parts = Vec::new();
            for (t, st) in TYPES.iter().enumerate() {
                let v = stage_children(c, st, &phases);
                if !types.contains(&t) || (v <= 0.0 && self.takes_none(st, &phases)) {
                    continue;
                }
                let id = self.counts.cell(key("stage", &year, &[stage.code(), st.code]), v);
                by_type[t].push(id);
                parts.push(id);
                // The school years' counts are not shown.
                if stage != Stage::School {
                    shown.push(id);
                }
            }
            if any_unmet {
                let unmet: f64 = phases.iter().map(|p| c.unmet_by_phase.get(p).copied().unwrap_or(0.0)).sum();
                let unmet = self.counts.cell(key("stage", &year, &[stage.code(), "unmet"]), unmet);
                unmet_parts.push(unmet);
                parts.push(unmet);
            }
            let total = self.counts.sum(key("stage", &year, &[stage.code(), "*"]), &parts);
            stage_totals.push(total);
            // A phase group of exactly this stage's phases is the same children.
            if let Some(pg) = self.grouping.phases.iter().find(|g| g.members == phases) {
                let label = pg.label.clone();
                let group = self.id("needing", &year, &["*", &label]);
                self.counts.tie(&[total], group);
            }
        }
        for (t, parts) in by_type.iter().enumerate() {
            if let Some(total) = type_totals[t] {
                self.counts.tie(parts, total);
            }
        }
        if any_unmet {
            let unmet = self.id("unmet", &year, &["*", "*"]);
            self.counts.tie(&unmet_parts, unmet);
        }
        self.counts.tie(&stage_totals, needing);

        // Published (a reader knows them, so disclosure control must too): the stages'
        // tables, the children with no place (the school years' are what the totals leave).
        let known: Vec<CellId> = shown.into_iter().chain(unmet_parts).chain(stage_totals).collect();
        for id in known.into_iter().chain(type_totals.into_iter().flatten()).chain(by_need.into_iter().flatten()) {
            self.counts.published[id] = true;
        }
        for group in &needs {
            let id = self.id("unmet", &year, &[&group.label, "*"]);
            self.counts.published[id] = true;
        }

        // Children of each inclusion tier placed at a higher tier or with no place: on their
        // own (no total holds them).
        for (_, provision) in INCLUSION {
            let v = c.short.get(&provision).copied().unwrap_or(0.0);
            self.counts.cell(key("short", &year, &[provision.code()]), v);
        }
    }

    /// The types of setting shown: those with a setting in the model or a child in some year.
    fn types_shown(&self) -> Vec<usize> {
        (0..TYPES.len())
            .filter(|&t| {
                let kinds: Vec<usize> = TYPES[t].kinds.iter().map(|&k| kind_index(k)).collect();
                self.model.settings.iter().any(|s| TYPES[t].kinds.contains(&s.kind))
                    || self
                        .tallies
                        .iter()
                        .any(|y| y.by_kind_need.iter().any(|((k, _), v)| kinds.contains(k) && *v > 0.0))
            })
            .collect()
    }

    /// Whether no setting of type `st` takes any of `phases` (by the settings table).
    fn takes_none(&self, st: &SettingType, phases: &[usize]) -> bool {
        !self.model.settings.iter().any(|x| st.kinds.contains(&x.kind) && phases.iter().any(|&p| x.phases.contains(p)))
    }

    /// Whether any year has children with no place (of a stage, or in all).
    fn any_unmet(&mut self, measure: &str, parts: &[&str]) -> bool {
        let years = self.years();
        years.iter().any(|y| {
            let id = self.id(measure, y, parts);
            self.value(id) >= 0.5
        })
    }

    fn every_plan_section(&mut self, types: &[usize], caseloads: &[Caseload]) {
        let (first, last) = (self.first(), self.last());
        let years = self.years();
        let span = self.years_covered();
        let council = self.council.clone();
        self.section(
            "every-plan",
            &format!("Every EHC plan: children and young people in {council} by type of setting"),
        );
        let reconciled = self.reconciled();
        self.add(Part::Paragraph(format!(
            "This model holds every child and young person with an EHC plan, not only those needing a specialist \
             place: those supported in mainstream schools and colleges, at inclusion bases, in alternative \
             provision, in early years settings and educated elsewhere too. The tables below count them all by the \
             type of setting the plan places them at. {} {}",
            self.base_and_forecast(),
            reconciled
        )));
        let mut columns = vec![Column::new("Type of setting", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let mut t = Draft::new(
            "every-plan-by-setting-type",
            format!("Children and young people with EHC plans by type of setting, {span}"),
            format!(
                "Every EHC plan, by the type of setting the plan places the child at (in or out of the borough); no \
                 place available: children the plan cannot place at any setting the model can use. {}",
                "Forecasts are rounded to whole children; totals are worked out before rounding."
            ),
            columns,
        );
        for &k in types {
            let row = self.row_by_year(&[TYPES[k].name], "setting", &years, &[TYPES[k].code, "*"]);
            t.rows.push(row);
        }
        if self.any_unmet("unmet", &["*", "*"]) {
            let row = self.row_by_year(&["No place available"], "unmet", &years, &["*", "*"]);
            t.rows.push(row);
        }
        let row = self.row_by_year(&["All EHC plans"], "needing", &years, &["*", "*"]);
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Table(t));

        let mut chosen = vec![first.clone()];
        if last != first {
            chosen.push(last.clone());
        }
        for year in &chosen {
            self.by_setting_and_need(year, types, *year == first);
        }
        self.inclusion_table(caseloads);
    }

    /// How the base year's total stands against the DfE's published caseload, where the
    /// model has it.
    fn reconciled(&mut self) -> String {
        let first = self.first();
        let Some((_, caseload)) = &self.model.annex.caseload else {
            return format!("The {first} column is the model's whole caseload.");
        };
        let all =
            caseload.total.unwrap_or_else(|| caseload.types.iter().try_fold(0.0, |sum, p| p.children.map(|c| sum + c)));
        let id = self.id("needing", &first, &["*", "*"]);
        let ours = self.value(id).round();
        let threshold = self.inputs.threshold.unwrap_or(0.0);
        match all {
            Some(all) if (ours - all).abs() < 0.5 => format!(
                "The {first} column adds up to the {} EHC plans the DfE published for January {} (the table of all \
                 EHC plans by type of setting, in the need section).",
                Unit::Children.format(all),
                caseload.january
            ),
            Some(all) if ours >= threshold => format!(
                "The {first} column adds up to {} children, against the {} EHC plans the DfE published for January \
                 {}: the model's caseload is not the published one.",
                Unit::Children.format(ours),
                Unit::Children.format(all),
                caseload.january
            ),
            _ => format!(
                "The DfE's published caseload for January {} is in the need section, for comparison.",
                caseload.january
            ),
        }
    }

    /// Children by type of setting and need group in `year`.
    fn by_setting_and_need(&mut self, year: &str, types: &[usize], base: bool) {
        let needs = self.need_labels();
        let mut columns = vec![Column::new("Type of setting", Unit::Text)];
        columns.extend(needs.iter().map(|n| Column::new(n.clone(), Unit::Children)));
        columns.push(Column::new("All needs", Unit::Children));
        let mut t = Draft::new(
            format!("plans-by-setting-need-{}", year.replace('/', "-")),
            format!("Children and young people with EHC plans by type of setting and primary need, {year}"),
            if base {
                "Children with plans now, by primary need; totals are worked out before rounding."
            } else {
                "Forecast, rounded to whole children; totals are worked out before rounding."
            },
            columns,
        );
        let mut rows: Vec<(&str, &str, Option<&str>)> =
            types.iter().map(|&k| (TYPES[k].name, "setting", Some(TYPES[k].code))).collect();
        let unmet_any = {
            let id = self.id("unmet", year, &["*", "*"]);
            self.value(id) >= 0.5
        };
        if unmet_any {
            rows.push(("No place available", "unmet", None));
        }
        rows.push(("All EHC plans", "needing", None));
        for (label, measure, code) in rows {
            let mut row = vec![text(label)];
            for need in needs.iter().map(String::as_str).chain(["*"]) {
                let parts: Vec<&str> = match code {
                    Some(code) => vec![code, need],
                    None => vec![need, "*"],
                };
                row.push(self.count(measure, year, &parts));
            }
            t.rows.push(row);
        }
        t.totals = 1;
        self.add(Part::Table(t));
    }

    /// Places and children at mainstream schools with support, inclusion bases and
    /// alternative provision, year by year, with the children needing each tier who are
    /// placed at a higher one or have no place.
    fn inclusion_table(&mut self, caseloads: &[Caseload]) {
        let years = self.years();
        let span = self.years_covered();
        let shown: Vec<(SettingKind, Provision)> = INCLUSION
            .into_iter()
            .filter(|(kind, provision)| {
                self.model.settings.iter().any(|s| s.kind == *kind)
                    || self.model.demand.iter().any(|d| d.provision == *provision)
            })
            .collect();
        let absent: Vec<&str> = INCLUSION
            .iter()
            .filter(|(kind, _)| !shown.iter().any(|(k, _)| k == kind))
            .map(|(kind, _)| kind.name())
            .collect();
        let mut columns = vec![Column::new("Year", Unit::Text)];
        for (kind, provision) in &shown {
            let name = kind.name();
            columns.push(Column::new(format!("{name}: places"), Unit::Places));
            columns.push(Column::new(format!("{name}: children placed"), Unit::Children));
            columns.push(Column::new(format!("{name}: spare places"), Unit::Places));
            columns.push(Column::new(
                format!("Needing {}: placed at a higher tier or with no place", provision.needed()),
                Unit::Children,
            ));
        }
        let mut t = Draft::new(
            "inclusion-and-ap-places",
            format!("Mainstream inclusion and alternative provision: places and children, {span}"),
            format!(
                "Places are the settings' (a mainstream pool's places are the council's policy); children placed \
                 are those the plan places there, in or out of the borough. The last column of each is the shortfall: \
                 children whose plan needs that tier of provision placed at a higher tier (a specialist place, say) \
                 or with no place available, none where the tier has room for all. {}",
                self.base_and_forecast()
            ),
            columns,
        );
        debug_assert_eq!(caseloads.len(), years.len());
        for (y, year) in years.iter().enumerate() {
            let mut row = vec![text(year.clone())];
            for (kind, provision) in &shown {
                let k = kind_index(*kind);
                let places = self.tallies[y].places_by_kind.get(&k).map_or(0.0, |p| p.0 + p.1);
                let children = self.id("kind", year, &[kind.code(), "*"]);
                self.counts.published[children] = true;
                let spare = places - self.value(children);
                row.push(number(places));
                row.push(Cell::Count(children));
                row.push(Cell::Derived(spare, vec![children]));
                row.push(self.count("short", year, &[provision.code()]));
            }
            t.rows.push(row);
        }
        if !absent.is_empty() {
            self.add(Part::Paragraph(format!(
                "The model has no {}: the table leaves {} out.",
                crate::outputs::annex::content::words::in_words(
                    &absent.iter().map(|a| a.to_lowercase()).collect::<Vec<_>>()
                ),
                if absent.len() == 1 { "it" } else { "them" }
            )));
        }
        self.add(Part::Table(t));
    }

    /// Children of one stage (post-16, post-19, early years) by type of setting, year by year.
    fn stage_table(&mut self, stage: Stage, types: &[usize], caseloads: &[Caseload], stages: &[Stage]) {
        let phases: Vec<usize> = (0..stages.len()).filter(|&p| stages[p] == stage).collect();
        let years = self.years();
        let span = self.years_covered();
        let (id, title, words) = match stage {
            Stage::Post16 => (
                "post-16-by-setting-type",
                format!("Young people with EHC plans in the post-16 phase by type of setting, {span}"),
                "Young people of the post-16 phase (from year 12) with EHC plans, by the type of setting the plan \
                 places them at: further education colleges, specialist post-16 institutions, and school sixth forms \
                 (counted with their school: mainstream with support, resourced provision or special school).",
            ),
            Stage::Post19 => (
                "post-19-by-setting-type",
                format!("Young people with EHC plans aged 19 to 25 by type of setting, {span}"),
                "Young people aged 19 to 25 who keep an EHC plan, by the type of setting the plan places them at.",
            ),
            Stage::EarlyYears => (
                "early-years-by-setting-type",
                format!("Children with EHC plans in the early years by type of setting, {span}"),
                "Children with EHC plans before reception, by the type of setting the plan places them at: early \
                 years settings (nurseries and childminders) and school nurseries counted with their school.",
            ),
            Stage::School => unreachable!("the school years are the other tables'"),
        };
        let code = stage.code();
        let mut columns = vec![Column::new("Type of setting", Unit::Text)];
        columns.extend(years.iter().map(|y| Column::new(y.clone(), Unit::Children)));
        let mut t = Draft::new(
            id,
            title,
            format!(
                "{} Forecasts are rounded to whole children; totals are worked out before rounding.",
                self.base_and_forecast()
            ),
            columns,
        );
        // Every type that could have children of the stage (its settings take them, or some
        // year has them), none or not: the counts in the sums.
        for &k in types {
            let any = caseloads.iter().any(|c| stage_children(c, &TYPES[k], &phases) > 0.0);
            if any || !self.takes_none(&TYPES[k], &phases) {
                let row = self.row_by_year(&[TYPES[k].name], "stage", &years, &[code, TYPES[k].code]);
                t.rows.push(row);
            }
        }
        if self.any_unmet("stage", &[code, "unmet"]) {
            let row = self.row_by_year(&["No place available"], "stage", &years, &[code, "unmet"]);
            t.rows.push(row);
        }
        let total = match stage {
            Stage::Post16 => "All in the post-16 phase",
            Stage::Post19 => "All aged 19 to 25",
            _ => "All in the early years",
        };
        let row = self.row_by_year(&[total], "stage", &years, &[code, "*"]);
        t.rows.push(row);
        t.totals = 1;
        self.add(Part::Paragraph(words.to_string()));
        self.add(Part::Table(t));
    }
}

#[cfg(test)]
mod tests;
