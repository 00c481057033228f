//! The placement program: which children may go where, and at what cost.
//!
//! The program is built from constraint families, one function each, in this order:
//!
//! - [`arcs`](Formulation::arcs): a column per usable arc (demand row → setting), kept only
//!   where the setting serves the need and phase, offers at least the provision the row
//!   needs, has places, and the journey is within the phase's maximum;
//! - staying children: children already placed who stay (horizon years) are a lower bound
//!   on their arc, which exists whatever the rules say: an existing placement is kept, not
//!   re-judged. Where today's rules would not place a child there (beyond the journey
//!   limit, a setting not designated for the need, phase or provision, no route), the arc
//!   carries the children who stay and no one else: its upper bound is its lower bound;
//! - demand: each demand row is placed or counted unmet (an equality with an unmet column);
//! - places: no setting takes more children than its places;
//! - places per need: nor more of a need than its places for that need, where given;
//! - scheme places (with [`Extensions::schemes`]): a capital scheme's places, pool by pool,
//!   tied to a column of its modules built;
//! - purchase routes (with [`Extensions::purchasing`]): children at a school an open
//!   commissioning option covers are bought by one of its routes (spot, the option, beyond
//!   its blocks), with whole-number columns for joining a framework or buying blocks, and
//!   the terms children keep from earlier years ([`Extensions::kept`], [`kept`]);
//! - locality caps (policy): no more children from one locality at one setting than the
//!   council allows ([`Model::locality_caps`]).
//!
//! Each family records its rows and columns by name in the [`Formulation`] (typed handles
//! [`Col`] and [`RowId`]), so values and row prices are read by what they stand for, never
//! by position. A new family is one function here, its check in [`crate::optimise::checking`] and its
//! entry in models/README.md. The objective depends on the aim: see [`Aim`]; the one
//! tie-break of the project is [`Formulation::tie_break`].

use std::collections::{BTreeMap, HashMap};

use crate::model::{Covers, Journey, Model, Money, Need, Phase, PurchasingTerms, Scheme, SchoolYear, SettingIx};
use crate::optimise::program::{LinearProgram, Row, Sense, lp_name_part};
use crate::travel::{self, JourneyTable};

/// A column of the placement program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Col(pub usize);

impl Col {
    /// This column's value in a solution (`values` may run on past the program's columns).
    #[must_use]
    pub fn of(self, values: &[f64]) -> f64 {
        values[self.0]
    }
}

/// A row of the placement program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowId(pub usize);

impl RowId {
    /// This row's entry in a vector with one value per row (row prices).
    #[must_use]
    pub fn of(self, per_row: &[f64]) -> f64 {
        per_row[self.0]
    }
}

/// A way a demand row may be placed at a setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arc {
    /// Index into [`Model::demand`].
    pub demand: usize,
    /// The setting.
    pub setting: SettingIx,
    /// Journey each way.
    pub journey: Journey,
    /// Annual cost of the place.
    pub place_cost: Money,
    /// Annual transport cost.
    pub transport_cost: Money,
    /// Whether the setting lies outside the borough.
    pub out_of_borough: bool,
    /// Children already placed here who stay: the arc's lower bound.
    pub staying: f64,
    /// Whether today's rules let new children be placed here. An arc kept only for children
    /// who stay (beyond the journey limit, a setting not designated for the need, phase or
    /// provision, no route) carries them and no one else: its upper bound is `staying`.
    pub takes_new: bool,
}

/// What an objective minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aim {
    /// Placement + transport + out-of-borough weight + unmet penalty, all in £.
    Weighted,
    /// Children left without a place.
    Unmet,
    /// Children placed outside the borough.
    OutOfBorough,
    /// Placement + transport cost, £.
    Cost,
    /// Journey minutes, plus a fixed number under 1 per arc: added, scaled very small, to the
    /// last objective so that among equally good plans every solver picks the same one.
    TieBreak,
}

/// Capital schemes placed as settings: scheme `j` of `schemes` is setting `first_setting + j`
/// of the model, and serves only the needs and phases of its pools open in `year`.
#[derive(Debug, Clone, Copy)]
pub struct SchemeSites<'a> {
    /// The setting index of the first scheme.
    pub first_setting: usize,
    /// The schemes, in order.
    pub schemes: &'a [Scheme],
    /// The year planned: a pool whose places open later takes no child.
    pub year: SchoolYear,
}

impl<'a> SchemeSites<'a> {
    /// The scheme whose places setting `s` stands for, if any.
    fn scheme_at(self, s: SettingIx) -> Option<(usize, &'a Scheme)> {
        let j = s.0.checked_sub(self.first_setting)?;
        self.schemes.get(j).map(|scheme| (j, scheme))
    }
}

/// Families beyond the placement program itself, declared by the command that needs them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extensions<'a> {
    /// Capital schemes as settings, their places tied to modules built (`schemes`).
    pub schemes: Option<SchemeSites<'a>>,
    /// Commissioning options open (indices into [`Model::purchasing`]; `commission`).
    pub purchasing: &'a [usize],
    /// Terms kept from earlier years on the purchase routes (`commission` over the years).
    pub kept: Kept<'a>,
}

/// How children at one school, of one need and phase, are bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Route {
    /// Spot purchase at the school's own fee.
    Spot,
    /// Through option `.0` (a framework's price, or a block's reserved places).
    Option(usize),
    /// Beyond the blocks of cost-and-volume option `.0`, at its agreed price.
    Above(usize),
}

/// A purchase route's column: children at one school, of one need and phase, bought one way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RouteColumn {
    /// The school.
    pub setting: SettingIx,
    /// The need.
    pub need: Need,
    /// The phase.
    pub phase: Phase,
    /// How they are bought.
    pub route: Route,
    /// £ a year each.
    pub price: Money,
    /// Its column.
    pub column: Col,
}

/// A row capping one setting's places for one need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedPlacesRow {
    /// The setting.
    pub setting: SettingIx,
    /// The need.
    pub need: Need,
    /// Its row.
    pub row: RowId,
}

/// A row tying one pool of a scheme's places to its modules built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolRow {
    /// Index into the schemes.
    pub scheme: usize,
    /// Index into the scheme's pools.
    pub pool: usize,
    /// Its row.
    pub row: RowId,
}

/// The placement program for a model, with what each of its rows and columns stands for.
#[derive(Debug, Clone)]
pub struct Formulation {
    /// Usable arcs, grouped by demand row; column `i` is arc `i`.
    pub arcs: Vec<Arc>,
    /// Column of each demand row's unmet need (`None` for rows with no children).
    pub unmet_column: Vec<Option<Col>>,
    /// Row that places each demand row (`None` for rows with no children).
    pub demand_row: Vec<Option<RowId>>,
    /// Row of each setting's places (`None` where no arc reaches it).
    pub places_row: Vec<Option<RowId>>,
    /// Rows of places per need.
    pub need_places_rows: Vec<NeedPlacesRow>,
    /// Per scheme: the column of its modules in this year's program (`None` if no child can
    /// use its places this year). Linked to the portfolio's modules by [`crate::planning::schemes`].
    pub scheme_modules: Vec<Option<Col>>,
    /// Rows of scheme places, pool by pool.
    pub pool_rows: Vec<PoolRow>,
    /// Purchase routes at schools an open option covers.
    pub routes: Vec<RouteColumn>,
    /// Per open option: its whole-number column (framework joined, or blocks bought).
    pub options_taken: Vec<(usize, Col)>,
    /// Rows of locality caps: index into [`Model::locality_caps`], row.
    pub cap_rows: Vec<(usize, RowId)>,
    /// The program, with the weighted objective.
    pub program: LinearProgram,
    /// Tie-break charge per column.
    tie: Vec<f64>,
}

impl Formulation {
    /// Builds the program for `model` with its journeys.
    #[must_use]
    pub fn build(model: &Model, journeys: &JourneyTable) -> Formulation {
        Formulation::build_with(model, journeys, Extensions::default())
    }

    /// Builds the program for `model` with its journeys and the families of `ext`.
    #[must_use]
    pub fn build_with(model: &Model, journeys: &JourneyTable, ext: Extensions<'_>) -> Formulation {
        Formulation::from_arcs_with(model, usable_arcs_with(model, journeys, ext.schemes), ext)
    }

    /// Builds the program for `model` over `arcs` (as [`usable_arcs`] gives them, grouped by
    /// demand row in demand order).
    #[must_use]
    pub fn from_arcs(model: &Model, arcs: Vec<Arc>) -> Formulation {
        Formulation::from_arcs_with(model, arcs, Extensions::default())
    }

    fn from_arcs_with(model: &Model, arcs: Vec<Arc>, ext: Extensions<'_>) -> Formulation {
        let mut f = Formulation {
            arcs,
            unmet_column: Vec::new(),
            demand_row: Vec::new(),
            places_row: Vec::new(),
            need_places_rows: Vec::new(),
            scheme_modules: Vec::new(),
            pool_rows: Vec::new(),
            routes: Vec::new(),
            options_taken: Vec::new(),
            cap_rows: Vec::new(),
            program: LinearProgram::default(),
            tie: Vec::new(),
        };
        let covered = f.arc_columns(model, ext.purchasing);
        f.demand(model);
        let by_setting = f.places(model);
        if let Some(sites) = ext.schemes {
            f.scheme_places(model, sites, &by_setting);
        }
        if !ext.purchasing.is_empty() {
            f.purchase_routes(model, ext.purchasing, &covered);
            f.keep_terms(model, ext.kept);
        }
        f.locality_caps(model);
        f
    }

    /// Adds a column with its weighted cost and tie-break charge.
    fn column(&mut self, name: String, cost: f64, tie: f64) -> Col {
        self.tie.push(tie);
        Col(self.program.add_column(name, cost))
    }

    /// Adds a row.
    fn row(&mut self, name: String, terms: Vec<(usize, f64)>, sense: Sense, rhs: f64) -> RowId {
        self.program.rows.push(Row { name, terms, sense, rhs });
        RowId(self.program.rows.len() - 1)
    }

    /// Family "arcs" and "staying children": a column per arc at its weighted cost, bounded
    /// below by the children who stay on it, and above by them too where today's rules take
    /// no new child there ([`Arc::takes_new`]). An arc to a school, need and phase an open
    /// option covers carries no fee (its routes do). Returns those arcs by school, need and
    /// phase.
    fn arc_columns(&mut self, model: &Model, open: &[usize]) -> BTreeMap<(SettingIx, Need, Phase), Vec<usize>> {
        let weight = model.policy.out_of_borough_weight;
        let mut covered: BTreeMap<(SettingIx, Need, Phase), Vec<usize>> = BTreeMap::new();
        // The parts of the names and of the tie-break numbers that each demand row and each
        // setting share, worked out once (the arcs are grouped by demand row).
        let setting_part: Vec<String> = model.settings.iter().map(|s| lp_name_part(&s.id)).collect();
        let mut row: Option<(usize, String, u64)> = None;
        for i in 0..self.arcs.len() {
            let arc = self.arcs[i];
            let d = &model.demand[arc.demand];
            if row.as_ref().is_none_or(|(r, ..)| *r != arc.demand) {
                let part = format!(
                    "{}_{}_{}",
                    lp_name_part(&model.locality(d.locality).id),
                    lp_name_part(model.need_code(d.need)),
                    lp_name_part(model.phase_code(d.phase))
                );
                row = Some((arc.demand, part, tie_row_hash(model, arc.demand)));
            }
            let Some((_, part, row_hash)) = &row else { unreachable!("set just above") };
            let name = format!("x{i}_{part}_{}", setting_part[arc.setting.0]);
            let mut cost = arc_cost(&arc, weight).pounds();
            if open.iter().any(|&o| model.purchasing[o].covers_at(arc.setting, d.need, d.phase)) {
                // The fee moves to the purchase routes.
                cost -= arc.place_cost.0;
                covered.entry((arc.setting, d.need, d.phase)).or_default().push(i);
            }
            let tie =
                TIE_BREAK_PER_MINUTE * (arc.journey.minutes + tie_finish(*row_hash, &model.setting(arc.setting).id));
            let column = self.column(name, cost, tie);
            self.program.lower[column.0] = arc.staying;
            if !arc.takes_new {
                self.program.upper[column.0] = arc.staying;
            }
        }
        covered
    }

    /// Family "demand": placed + unmet = forecast children, per demand row with children.
    fn demand(&mut self, model: &Model) {
        self.unmet_column = vec![None; model.demand.len()];
        self.demand_row = vec![None; model.demand.len()];
        let mut first_arc = 0;
        for (r, d) in model.demand.iter().enumerate() {
            let mut last = first_arc;
            while last < self.arcs.len() && self.arcs[last].demand == r {
                last += 1;
            }
            if d.children > 0.0 {
                let tag = format!(
                    "{}_{}_{}_{}",
                    lp_name_part(&model.locality(d.locality).id),
                    lp_name_part(model.need_code(d.need)),
                    lp_name_part(model.phase_code(d.phase)),
                    lp_name_part(d.provision.code())
                );
                let u = self.column(format!("unmet{r}_{tag}"), model.policy.unmet_penalty.pounds(), 0.0);
                self.unmet_column[r] = Some(u);
                let mut terms: Vec<(usize, f64)> = (first_arc..last).map(|a| (a, 1.0)).collect();
                terms.push((u.0, 1.0));
                self.demand_row[r] = Some(self.row(format!("demand{r}_{tag}"), terms, Sense::Equal, d.children));
            }
            first_arc = last;
        }
    }

    /// Family "places": each setting's children within its places, setting by setting, each
    /// followed by its places per need. Returns the arcs of each setting.
    fn places(&mut self, model: &Model) -> Vec<Vec<usize>> {
        let mut by_setting: Vec<Vec<usize>> = vec![Vec::new(); model.settings.len()];
        for (i, arc) in self.arcs.iter().enumerate() {
            by_setting[arc.setting.0].push(i);
        }
        self.places_row = vec![None; model.settings.len()];
        for (s, columns) in by_setting.iter().enumerate() {
            if columns.is_empty() {
                continue;
            }
            let setting = &model.settings[s];
            // A market step without a limit of places has no row.
            if setting.places.is_finite() {
                let terms = columns.iter().map(|&c| (c, 1.0)).collect();
                let name = format!("places{s}_{}", lp_name_part(&setting.id));
                self.places_row[s] = Some(self.row(name, terms, Sense::AtMost, setting.places));
            }
            self.places_per_need(model, SettingIx(s), columns);
        }
        by_setting
    }

    /// Family "places per need": a setting's children of a need within its places for that
    /// need, where it gives them.
    fn places_per_need(&mut self, model: &Model, s: SettingIx, columns: &[usize]) {
        let setting = model.setting(s);
        for t in &setting.need_terms {
            let Some(places) = t.places else { continue };
            let cols: Vec<(usize, f64)> = columns
                .iter()
                .filter(|&&c| model.demand[self.arcs[c].demand].need == t.need)
                .map(|&c| (c, 1.0))
                .collect();
            if cols.is_empty() {
                continue;
            }
            let name = format!("places{}_{}_{}", s.0, lp_name_part(&setting.id), lp_name_part(model.need_code(t.need)));
            let row = self.row(name, cols, Sense::AtMost, places);
            self.need_places_rows.push(NeedPlacesRow { setting: s, need: t.need, row });
        }
    }

    /// Family "scheme places": children in each pool of a scheme's places at most the pool's
    /// places per module open this year ([`Scheme::pool_places_open`]) × the modules built, a
    /// column of this program (at no cost here: the
    /// portfolio program links it across years and prices it).
    fn scheme_places(&mut self, model: &Model, sites: SchemeSites<'_>, by_setting: &[Vec<usize>]) {
        self.scheme_modules = vec![None; sites.schemes.len()];
        for (j, scheme) in sites.schemes.iter().enumerate() {
            let columns = &by_setting[sites.first_setting + j];
            if columns.is_empty() {
                continue;
            }
            let id = lp_name_part(&scheme.id);
            let m = self.column(format!("modules{j}_{id}"), 0.0, 0.0);
            self.scheme_modules[j] = Some(m);
            for (q, pool) in scheme.places.iter().enumerate() {
                let open = scheme.pool_places_open(pool, sites.year);
                if open <= 0.0 {
                    continue;
                }
                let mut terms: Vec<(usize, f64)> = columns
                    .iter()
                    .filter(|&&c| {
                        let d = &model.demand[self.arcs[c].demand];
                        pool.covers(d.need, d.phase)
                    })
                    .map(|&c| (c, 1.0))
                    .collect();
                if terms.is_empty() {
                    continue;
                }
                terms.push((m.0, -open));
                let row = self.row(format!("scheme_places{j}_{q}_{id}"), terms, Sense::AtMost, 0.0);
                self.pool_rows.push(PoolRow { scheme: j, pool: q, row });
            }
        }
    }

    /// Family "purchase routes": at each school, need and phase an open option covers, the
    /// children placed are bought by spot purchase, through an option or beyond its blocks
    /// (`covered`: the arcs there, from [`Formulation::arc_columns`]); joining a framework
    /// and buying blocks are whole-number columns, with the caps and block places they give.
    fn purchase_routes(
        &mut self,
        model: &Model,
        open: &[usize],
        covered: &BTreeMap<(SettingIx, Need, Phase), Vec<usize>>,
    ) {
        // Among equally good answers, the same one from every solver: a hundredth of a penny
        // per route in order (spot first: an option is used only where it saves money) and a
        // penny per framework joined or block bought.
        let rank = |route: Route| match route {
            Route::Spot => 0.0,
            Route::Option(o) => 1.0 + 2.0 * o as f64,
            Route::Above(o) => 2.0 + 2.0 * o as f64,
        };
        for ((s, n, p), arcs) in covered {
            let fee = model.setting(*s).cost_for(*n);
            let tag = format!(
                "{}_{}_{}",
                lp_name_part(&model.setting(*s).id),
                lp_name_part(model.need_code(*n)),
                lp_name_part(model.phase_code(*p))
            );
            let mut terms: Vec<(usize, f64)> = arcs.iter().map(|&c| (c, 1.0)).collect();
            let mut add = |f: &mut Formulation, route: Route, price: Money, name: String| {
                let column = f.column(name, price.0, 1e-4 * rank(route));
                terms.push((column.0, -1.0));
                f.routes.push(RouteColumn { setting: *s, need: *n, phase: *p, route, price, column });
            };
            add(self, Route::Spot, fee, format!("spot_{tag}"));
            let mut declined = Vec::new();
            for &o in open {
                let option = &model.purchasing[o];
                if !option.covers_at(*s, *n, *p) {
                    continue;
                }
                let id = lp_name_part(&option.id);
                add(self, Route::Option(o), option.price(fee, *n, *p), format!("buy_{id}_{tag}"));
                if option.acceptance < 1.0 {
                    declined.push((o, id.clone()));
                }
                if let PurchasingTerms::Block { above: Some((price, _)), .. } = option.terms {
                    add(self, Route::Above(o), price, format!("above_{id}_{tag}"));
                }
            }
            self.row(format!("bought_{tag}"), terms, Sense::Equal, 0.0);
            // A framework's providers accept only a share of the children offered through it.
            for (o, id) in declined {
                let route = self.routes.iter().rev().find(|r| r.route == Route::Option(o)).map(|r| r.column.0);
                let mut terms: Vec<(usize, f64)> = arcs.iter().map(|&c| (c, -model.purchasing[o].acceptance)).collect();
                terms.extend(route.map(|c| (c, 1.0)));
                self.row(format!("accepted_{id}_{tag}"), terms, Sense::AtMost, 0.0);
            }
        }
        for &o in open {
            let option = &model.purchasing[o];
            let id = lp_name_part(&option.id);
            let through = |f: &Formulation, route: Route, s: Option<SettingIx>| -> Vec<(usize, f64)> {
                f.routes
                    .iter()
                    .filter(|r| r.route == route && s.is_none_or(|s| r.setting == s))
                    .map(|r| (r.column.0, 1.0))
                    .collect()
            };
            match &option.terms {
                PurchasingTerms::Framework { joining_fee, max_children_per_setting, .. } => {
                    let y = self.whole_column(format!("join_{id}"), joining_fee.0, 1.0);
                    for &s in &option.settings {
                        let places = model.setting(s).places;
                        let mut cap = max_children_per_setting.map_or(places, |m| m.min(places));
                        let mut terms = through(self, Route::Option(o), Some(s));
                        if terms.is_empty() {
                            continue;
                        }
                        if !cap.is_finite() {
                            // A step without a limit: the children who could be bought there.
                            cap = covered
                                .iter()
                                .filter(|((at, n, p), _)| *at == s && option.covers(*n, *p))
                                .flat_map(|(_, arcs)| arcs.iter().map(|&c| model.demand[self.arcs[c].demand].children))
                                .sum::<f64>()
                                .ceil();
                        }
                        terms.push((y.0, -cap));
                        let name = format!("through_{id}_{}", lp_name_part(&model.setting(s).id));
                        self.row(name, terms, Sense::AtMost, 0.0);
                    }
                    self.options_taken.push((o, y));
                }
                PurchasingTerms::Block { block_places, block_price, max_blocks, above } => {
                    let k = self.whole_column(format!("blocks_{id}"), block_price.0, f64::from(*max_blocks));
                    let mut terms = through(self, Route::Option(o), None);
                    terms.push((k.0, -block_places));
                    self.row(format!("block_places_{id}"), terms, Sense::AtMost, 0.0);
                    if let Some((_, most)) = above {
                        let terms = through(self, Route::Above(o), None);
                        if !terms.is_empty() {
                            self.row(format!("above_most_{id}"), terms.clone(), Sense::AtMost, *most);
                            let mut with_k = terms;
                            with_k.push((k.0, -most));
                            self.row(format!("above_with_blocks_{id}"), with_k, Sense::AtMost, 0.0);
                        }
                    }
                    self.options_taken.push((o, k));
                }
            }
        }
    }

    /// A whole-number column from 0 to `upper`, with a penny's tie-break charge.
    fn whole_column(&mut self, name: String, cost: f64, upper: f64) -> Col {
        self.tie.push(0.01);
        Col(self.program.add_integer_column(name, cost, 0.0, upper))
    }

    /// Family "locality caps" (policy): no more children from a locality at a setting than
    /// the cap, over every need and phase. Children who stay keep their place, so a cap below
    /// them is raised to them.
    fn locality_caps(&mut self, model: &Model) {
        for (i, cap) in model.locality_caps.iter().enumerate() {
            let columns: Vec<usize> = (0..self.arcs.len())
                .filter(|&c| {
                    let a = &self.arcs[c];
                    a.setting == cap.setting && model.demand[a.demand].locality == cap.locality
                })
                .collect();
            if columns.is_empty() {
                continue;
            }
            let staying: f64 = columns.iter().map(|&c| self.arcs[c].staying).sum();
            let name = format!(
                "cap{i}_{}_{}",
                lp_name_part(&model.locality(cap.locality).id),
                lp_name_part(&model.setting(cap.setting).id)
            );
            let terms = columns.iter().map(|&c| (c, 1.0)).collect();
            let row = self.row(name, terms, Sense::AtMost, cap.max_children.max(staying));
            self.cap_rows.push((i, row));
        }
    }

    /// Objective coefficients for `aim`, one per column. Columns other than arcs and unmet
    /// need (routes, options, modules) count only in the weighted aim.
    #[must_use]
    pub fn objective(&self, aim: Aim) -> Vec<f64> {
        match aim {
            Aim::Weighted => return self.program.objective.clone(),
            Aim::TieBreak => return self.tie.clone(),
            Aim::Unmet | Aim::OutOfBorough | Aim::Cost => {}
        }
        let mut c = vec![0.0; self.program.columns.len()];
        for (i, arc) in self.arcs.iter().enumerate() {
            c[i] = match aim {
                Aim::OutOfBorough => f64::from(u8::from(arc.out_of_borough)),
                Aim::Cost => (arc.place_cost + arc.transport_cost).pounds(),
                _ => 0.0,
            };
        }
        if aim == Aim::Unmet {
            for u in self.unmet_column.iter().flatten() {
                c[u.0] = 1.0;
            }
        }
        c
    }

    /// The charge added to the last objective solved so that, among equally good plans,
    /// every solver picks the same one: [`TIE_BREAK_PER_MINUTE`] × (journey minutes + a fixed
    /// number under 1) per arc; for purchase routes a hundredth of a penny by route, and a
    /// penny per framework joined or block bought. It changes no choice worth more than that,
    /// pennies a child a year. This is the one tie-break of the project: every program that
    /// places children adds it.
    #[must_use]
    pub fn tie_break(&self) -> &[f64] {
        &self.tie
    }

    /// The arcs of demand row `r` (arcs are grouped by demand row, in demand order).
    #[must_use]
    pub fn arcs_of(&self, r: usize) -> &[Arc] {
        let first = self.arcs.partition_point(|a| a.demand < r);
        let last = self.arcs.partition_point(|a| a.demand <= r);
        &self.arcs[first..last]
    }

    /// The dearest arc under the weighted objective, if any: the unmet penalty must exceed it.
    #[must_use]
    pub fn dearest_arc(&self, model: &Model) -> Option<&Arc> {
        let w = model.policy.out_of_borough_weight;
        self.arcs.iter().max_by(|a, b| arc_cost(a, w).pounds().total_cmp(&arc_cost(b, w).pounds()))
    }

    /// The weighted cost of a solution's placements and unmet need, each child at the cost of
    /// their place at the setting (before any purchase route): what the plan's summary
    /// prices. `values` may run on past the program's columns.
    #[must_use]
    pub fn placement_value(&self, model: &Model, values: &[f64]) -> f64 {
        let w = model.policy.out_of_borough_weight;
        let unmet = self.unmet_column.iter().flatten().count();
        (0..self.arcs.len() + unmet)
            .map(|c| match self.arcs.get(c) {
                Some(arc) => arc_cost(arc, w).pounds() * values[c],
                None => self.program.objective[c] * values[c],
            })
            .sum()
    }

    /// Whether the program is a network (a minimum-cost flow): no whole-number columns and
    /// no rows beyond demand, places and places per need.
    #[must_use]
    pub fn is_network(&self) -> bool {
        self.is_network_given(false)
    }

    /// Whether the program is a network once the schemes' modules are fixed (if
    /// `modules_fixed`; each scheme's pool of places is then a node of its own): no purchase
    /// routes, no caps on the children of a need, no scheme pools left free, no whole-number
    /// columns and no bound on a column that is not an arc.
    #[must_use]
    pub fn is_network_given(&self, modules_fixed: bool) -> bool {
        let program = &self.program;
        self.routes.is_empty()
            && self.cap_rows.is_empty()
            && (self.pool_rows.is_empty() || modules_fixed)
            && !program.integer.iter().any(|i| *i)
            && !program.upper.iter().enumerate().any(|(c, u)| u.is_finite() && c >= self.arcs.len())
    }
}

/// £ per minute of journey charged in the last solve to choose among equally good plans.
pub const TIE_BREAK_PER_MINUTE: f64 = 0.001;

/// The tie-break charge of a child on an arc: [`TIE_BREAK_PER_MINUTE`] × (journey minutes + a
/// fixed number under 1 from the ids it joins).
#[must_use]
pub fn tie_charge(model: &Model, arc: &Arc) -> f64 {
    TIE_BREAK_PER_MINUTE * (arc.journey.minutes + tie_order(model, arc))
}

/// A fixed number in [0, 1) for an arc, from the ids it joins (FNV-1a, then mixed): the same on every
/// machine and solver, and unrelated to the order of rows in the files.
fn tie_order(model: &Model, arc: &Arc) -> f64 {
    tie_finish(tie_row_hash(model, arc.demand), &model.setting(arc.setting).id)
}

/// FNV-1a over the ids of demand row `r` (locality, need, phase, provision): the part of
/// [`tie_order`] every arc of the row shares.
fn tie_row_hash(model: &Model, r: usize) -> u64 {
    let d = &model.demand[r];
    let parts = [
        model.locality(d.locality).id.as_str(),
        model.need_code(d.need),
        model.phase_code(d.phase),
        d.provision.code(),
    ];
    parts.into_iter().fold(0xcbf2_9ce4_8422_2325, fnv_part)
}

/// FNV-1a continued over `part` and a zero byte.
fn fnv_part(mut h: u64, part: &str) -> u64 {
    for b in part.bytes().chain(std::iter::once(0)) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// [`tie_order`] from its row's hash: FNV-1a continued over the setting's id, then mixed.
fn tie_finish(row_hash: u64, setting_id: &str) -> f64 {
    let mut h = fnv_part(row_hash, setting_id);
    // FNV-1a alone is not enough: two states that agree in their low byte keep the same
    // difference through any suffix of the same length, so two rows' numbers could differ
    // by the same amount at every setting, and swaps between them tie exactly. MurmurHash3's
    // finaliser mixes every bit into every other.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Weighted cost of one child on an arc: place + transport + out-of-borough weight.
#[must_use]
pub fn arc_cost(arc: &Arc, out_of_borough_weight: Money) -> Money {
    let weight = if arc.out_of_borough { out_of_borough_weight } else { Money(0.0) };
    arc.place_cost + arc.transport_cost + weight
}

/// Every arc a child could use, grouped by demand row in demand order, in setting order
/// within a row. Only settings within reach of the row's locality are looked at (the journey
/// table is sparse), so the work grows with the arcs, not with rows × settings.
#[must_use]
pub fn usable_arcs(model: &Model, journeys: &JourneyTable) -> Vec<Arc> {
    usable_arcs_with(model, journeys, None)
}

/// The year of the scheme sites (any, without them).
fn sites_year(schemes: Option<SchemeSites<'_>>) -> SchoolYear {
    schemes.map_or(SchoolYear(u16::MAX), |s| s.year)
}

/// [`usable_arcs`], with capital schemes among the settings: a scheme's places take only the
/// needs and phases of its pools.
fn usable_arcs_with(model: &Model, journeys: &JourneyTable, schemes: Option<SchemeSites<'_>>) -> Vec<Arc> {
    let mut staying: HashMap<usize, Vec<(SettingIx, f64)>> = HashMap::new();
    for st in &model.staying {
        let row = staying.entry(st.demand).or_default();
        match row.iter_mut().find(|(s, _)| *s == st.setting) {
            Some((_, children)) => *children += st.children,
            None => row.push((st.setting, st.children)),
        }
    }
    let mut arcs = Vec::new();
    for (r, d) in model.demand.iter().enumerate() {
        if d.children <= 0.0 {
            continue;
        }
        let limit = model.phases[d.phase.0].max_journey_minutes;
        let stays = staying.get(&r).map_or(&[][..], Vec::as_slice);
        let first = arcs.len();
        let arc = |s: SettingIx, journey: Journey, stay: f64, takes_new: bool| {
            let setting = model.setting(s);
            Arc {
                demand: r,
                setting: s,
                journey,
                place_cost: setting.cost_for(d.need),
                transport_cost: model.transport_cost(s, journey),
                out_of_borough: !setting.in_borough,
                staying: stay,
                takes_new,
            }
        };
        for &(s, journey) in journeys.from(d.locality) {
            let setting = model.setting(s);
            let stay = stays.iter().find(|(x, _)| *x == s).map_or(0.0, |(_, c)| *c);
            let usable = (journey.minutes <= limit || setting.beyond_journey_limits())
                && setting.places > 0.0
                && setting.serves(d.need, d.phase, d.provision)
                && setting.terms_for(d.need).and_then(|t| t.places) != Some(0.0)
                && schemes.and_then(|sites| sites.scheme_at(s)).is_none_or(|(_, scheme)| {
                    scheme.places.iter().any(|pool| {
                        scheme.pool_places_open(pool, sites_year(schemes)) > 0.0 && pool.covers(d.need, d.phase)
                    })
                });
            // Children who stay keep their place wherever it is; new children go only where
            // today's rules allow.
            if usable || stay > 0.0 {
                arcs.push(arc(s, journey, stay, usable));
            }
        }
        // Children placed where no road reaches: kept, with a straight-line journey.
        let mut unrouted = false;
        for &(s, stay) in stays {
            if stay > 0.0 && journeys.get(d.locality, s).is_none() {
                let journey =
                    travel::estimate(&model.transport, model.locality(d.locality).position, model.setting(s).position);
                arcs.push(arc(s, journey, stay, false));
                unrouted = true;
            }
        }
        if unrouted {
            arcs[first..].sort_by_key(|a| a.setting);
        }
    }
    arcs
}

mod kept;
pub use kept::{Kept, KeptRoute};

#[cfg(test)]
mod tests;
