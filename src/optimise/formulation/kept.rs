//! Children keeping their terms (`commission` over the years): children who stay at a school
//! keep the route they were bought by, a lower bound on that route's column; providers'
//! acceptance applies to new children only; a block contract's blocks, once chosen, are held.

use std::collections::HashMap;

use super::{Col, Formulation, Route, Sense};
use crate::model::{Model, Need, Phase, SettingIx};

/// Children who stay at a school, of one need and phase, on the route they were bought by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeptRoute {
    /// The school.
    pub setting: SettingIx,
    /// The need.
    pub need: Need,
    /// The phase.
    pub phase: Phase,
    /// The route they keep.
    pub route: Route,
    /// Children.
    pub children: f64,
}

/// Terms kept from earlier years: children on their routes, and blocks held (option index
/// into [`Model::purchasing`], blocks).
#[derive(Debug, Clone, Copy, Default)]
pub struct Kept<'a> {
    /// Children keeping their routes (each within the stayers there, and within a block's
    /// room or a framework's cap: the caller sends any beyond to spot).
    pub routes: &'a [KeptRoute],
    /// Blocks held: the option's whole-number column fixed to them.
    pub blocks: &'a [(usize, u32)],
}

impl Kept<'_> {
    /// Children kept at a school, need and phase: on `route`, or on any route if `None`.
    #[must_use]
    pub fn at(&self, s: SettingIx, n: Need, p: Phase, route: Option<Route>) -> f64 {
        self.routes
            .iter()
            .filter(|k| k.setting == s && k.need == n && k.phase == p && route.is_none_or(|r| r == k.route))
            .map(|k| k.children)
            .sum()
    }
}

impl Formulation {
    /// Family "kept terms": each kept route's column bounded below by its children; each
    /// acceptance row (Option(o) − acceptance × placed ≤ 0) given the right-hand side
    /// kept on o − acceptance × kept in all, so providers accept a share of the new children
    /// only; each held block's column fixed.
    pub(super) fn keep_terms(&mut self, model: &Model, kept: Kept<'_>) {
        if kept.routes.is_empty() && kept.blocks.is_empty() {
            return;
        }
        // Each acceptance row by the column of its route (the one term with coefficient 1).
        let accepted: HashMap<usize, usize> = self
            .program
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.name.starts_with("accepted_") && row.sense == Sense::AtMost)
            .filter_map(|(i, row)| row.terms.iter().find(|t| t.1 == 1.0).map(|t| (t.0, i)))
            .collect();
        let routes = self.routes.clone();
        for r in &routes {
            let children = kept.at(r.setting, r.need, r.phase, Some(r.route));
            if children > 0.0 {
                self.program.lower[r.column.0] = self.program.lower[r.column.0].max(children);
            }
            let Route::Option(o) = r.route else { continue };
            let acceptance = model.purchasing[o].acceptance;
            if let Some(&row) = accepted.get(&r.column.0)
                && acceptance < 1.0
            {
                self.program.rows[row].rhs = children - acceptance * kept.at(r.setting, r.need, r.phase, None);
            }
        }
        for &(o, blocks) in kept.blocks {
            if let Some(&(_, Col(c))) = self.options_taken.iter().find(|(q, _)| *q == o) {
                self.program.lower[c] = f64::from(blocks);
                self.program.upper[c] = f64::from(blocks);
            }
        }
    }
}
