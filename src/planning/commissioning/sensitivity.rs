//! The sensitivity of the best combination, for one year: with fees raised, providers
//! accepting fewer children or another forecast's demand, the options the as-given best
//! combination signed for (blocks bought, frameworks joined) are held fixed and the children
//! placed around them, so that block places paid for and left empty (voids) show; beside it,
//! the options chosen afresh for that case, which tell the cost of being held to the signed
//! ones.

use std::borrow::Cow;

use super::{Comparison, Evaluation, Prepared, by_flow, choose, evaluation_of, fixed, option_set};
use crate::model::{Model, Money};
use crate::optimise::formulation::{Extensions, Formulation, Kept};
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::travel::JourneyTable;

/// One case of the sensitivity table.
#[derive(Debug, Clone)]
pub struct SensitivityCase {
    /// What changed: "As given", "Independent fees +10%", "Demand: high forecast", ...
    pub case: String,
    /// Spot purchase only.
    pub spot: Evaluation,
    /// Every option open, chosen afresh for this case ("re-chosen").
    pub best: Evaluation,
    /// Every option held as the as-given best combination took it ("as signed").
    pub held: Evaluation,
}

impl SensitivityCase {
    /// £ a year the signed options cost more than the options chosen afresh (0 or more: the
    /// cost of being held to them in this case).
    #[must_use]
    pub fn cost_of_holding(&self) -> Money {
        self.held.spend() - self.best.spend()
    }
}

impl Evaluation {
    /// £ a year paid for block places left empty: each contract's empty places at its price
    /// a place (its block price ÷ the places in a block).
    #[must_use]
    pub fn void_cost(&self) -> Money {
        self.uses
            .iter()
            .filter(|u| u.block_places > 0.0)
            .map(|u| u.fixed_cost * (u.unused_places / u.block_places))
            .sum()
    }
}

impl Comparison {
    /// The sensitivity's "As given" case, from the comparison itself: spot purchase only, and
    /// every option open (with one option, that option alone), as compared; held as chosen.
    #[must_use]
    pub fn as_given(&self) -> SensitivityCase {
        let mut best = self.evaluations.last().expect("spot purchase only is always evaluated").clone();
        best.label = "Best combination".into();
        let mut held = best.clone();
        held.label = "As signed".into();
        SensitivityCase { case: "As given".into(), spot: self.evaluations[0].clone(), best, held }
    }

    /// What the best combination signed for, by option id: blocks bought, or 1 for a framework
    /// joined (0 for an option not taken).
    #[must_use]
    pub fn signed(&self) -> Vec<(String, u32)> {
        let best = self.evaluations.last().expect("spot purchase only is always evaluated");
        self.options
            .iter()
            .enumerate()
            .map(|(o, option)| (option.id.clone(), best.uses.iter().find(|u| u.option == o).map_or(0, |u| u.taken)))
            .collect()
    }
}

/// What `e` takes of each option of `model` (indices into [`Model::purchasing`]).
pub(super) fn signed_of(model: &Model, e: &Evaluation) -> Vec<u32> {
    (0..model.purchasing.len()).map(|o| e.uses.iter().find(|u| u.option == o).map_or(0, |u| u.taken)).collect()
}

/// The model with each framework's acceptance (the share of children offered that its
/// providers take) multiplied by `factor` (0.5: half as many), at most 1.
#[must_use]
pub fn with_acceptance(model: &Model, factor: f64) -> Model {
    let mut m = model.clone();
    for o in m.purchasing.iter_mut().filter(|o| !o.is_block()) {
        o.acceptance = (o.acceptance * factor).clamp(0.0, 1.0);
    }
    m
}

/// The least-cost plan with every option open and each one's whole-number choice held at
/// `taken` (per option of [`Model::purchasing`]: 1 a framework joined, else blocks bought),
/// checked independently: by the network `net` where given (the choice placed as a flow,
/// every option open), else as the mixed-integer program of the options taken with their
/// columns' bounds fixed. Both give the same optimum; [`Evaluation::uses`] lists the options
/// open.
///
/// # Errors
/// As [`super::evaluate`].
pub(super) fn held(
    model: &Model,
    journeys: &JourneyTable,
    net: Option<&fixed::OptionNetwork>,
    taken: &[u32],
    label: &str,
    solver: Solver,
) -> Result<Evaluation, Error> {
    if let Some(net) = net {
        let all: Vec<usize> = (0..model.purchasing.len()).collect();
        let choice: Vec<u32> = net.f.options_taken.iter().map(|&(o, _)| taken[o]).collect();
        let placed = net.place(&choice)?;
        return evaluation_of(
            model,
            journeys,
            &net.f,
            &placed.values,
            (&all, Kept::default()),
            label,
            Solver::Network.name(),
        );
    }
    // An option not taken buys nothing: only those taken are open (a smaller program).
    let open: Vec<usize> = (0..model.purchasing.len()).filter(|&o| taken[o] > 0).collect();
    let f = Formulation::build_with(model, journeys, Extensions { purchasing: &open, ..Extensions::default() });
    let mut program = f.program.clone();
    for (c, t) in program.objective.iter_mut().zip(f.tie_break()) {
        *c += t;
    }
    for &(o, column) in &f.options_taken {
        let t = f64::from(taken[o]);
        program.lower[column.0] = t;
        program.upper[column.0] = t;
    }
    let values = super::solve_whole(&program, solver)?;
    evaluation_of(model, journeys, &f, &values, (&open, Kept::default()), label, solver.lp().name())
}

/// What one case of the sensitivity changes from the year compared.
#[derive(Debug, Clone)]
pub enum Case {
    /// Spot fees raised by this fraction ([`super::with_fees_raised`]): placed on the
    /// comparison's own network with its costs changed, where there is one.
    FeesRaised(f64),
    /// Another model of the same year (acceptance or demand changed), laid out afresh.
    Model(Box<Model>),
}

/// For each model (the same year, with fees, acceptance or demand changed): spot purchase
/// only, every option open chosen afresh, and every option held as `signed` (by option id,
/// as [`Comparison::signed`]; an option the case's model has and `signed` does not is not
/// taken).
///
/// # Errors
/// As [`super::evaluate`].
pub fn sensitivity(
    cases: &[(String, Model)],
    signed: &[(String, u32)],
    solver: Solver,
) -> Result<Vec<SensitivityCase>, Error> {
    counted(cases.len(), |k| {
        let (case, m) = &cases[k];
        let journeys = JourneyTable::build(m);
        let net = by_flow(m, &journeys, solver)?;
        one_case(case, m, &journeys, net.as_ref(), signed, solver)
    })
}

/// Each of `n` cases worked out by `one`, counted as they end (the progress display).
fn counted<T>(n: usize, one: impl Fn(usize) -> Result<T, Error>) -> Result<Vec<T>, Error> {
    let told = crate::observe::counting(crate::observe::Loop::SensitivityCase);
    told.counted(0, n);
    (0..n)
        .map(|k| {
            let done = one(k)?;
            told.counted(k + 1, n);
            Ok(done)
        })
        .collect()
}

/// [`sensitivity`] for the cases of `model` (the year compared, laid out in `prepared`): a
/// fee rise is placed on `prepared`'s network with its costs changed
/// ([`fixed::OptionNetwork::repriced`]: the same optimum as a network laid out afresh, and
/// the journeys are the same), any other case laid out afresh.
///
/// # Errors
/// As [`super::evaluate`].
pub fn sensitivity_on(
    model: &Model,
    prepared: &Prepared,
    cases: &[(String, Case)],
    signed: &[(String, u32)],
    solver: Solver,
) -> Result<Vec<SensitivityCase>, Error> {
    let done = sensitivity_once_signed(model, prepared, cases, || Some(signed.to_vec()), solver)?;
    Ok(done.unwrap_or_default())
}

/// [`sensitivity_on`] asking `signed` for what the best combination signed only once every
/// case's spot purchase and options chosen afresh are worked out: those do not depend on it,
/// so the sensitivity can run on another thread beside the comparison, `signed` waiting for
/// the comparison's answer. `None` (no cases) where `signed` gives none (the comparison
/// failed). The answers are the same as [`sensitivity_on`]'s, whichever thread runs it.
///
/// # Errors
/// As [`super::evaluate`].
pub fn sensitivity_once_signed(
    model: &Model,
    prepared: &Prepared,
    cases: &[(String, Case)],
    signed: impl FnOnce() -> Option<Vec<(String, u32)>>,
    solver: Solver,
) -> Result<Option<Vec<SensitivityCase>>, Error> {
    let afresh = counted(cases.len(), |k| {
        let (label, case) = &cases[k];
        let laid = match case {
            Case::FeesRaised(rise) => {
                let m = super::with_fees_raised(model, *rise);
                let repriced = match &prepared.net {
                    Some(net) => net.repriced(&m)?,
                    None => None,
                };
                let net = match repriced {
                    Some(net) => Some(net),
                    None => by_flow(&m, &prepared.journeys, solver)?,
                };
                Laid { model: Cow::Owned(m), journeys: None, net }
            }
            Case::Model(m) => {
                let journeys = JourneyTable::build(m);
                let net = by_flow(m, &journeys, solver)?;
                Laid { model: Cow::Borrowed(&**m), journeys: Some(journeys), net }
            }
        };
        let (spot, best) = chosen_afresh(&laid.model, laid.journeys(prepared), laid.net.as_ref(), solver)?;
        Ok((label, laid, spot, best))
    })?;
    let Some(signed) = signed() else { return Ok(None) };
    afresh
        .into_iter()
        .map(|(label, laid, spot, best)| {
            let m = &laid.model;
            let held = held(m, laid.journeys(prepared), laid.net.as_ref(), &taken_of(m, &signed), "As signed", solver)?;
            Ok(SensitivityCase { case: label.clone(), spot, best, held })
        })
        .collect::<Result<Vec<_>, Error>>()
        .map(Some)
}

/// One case's model laid out (a fee rise's own copy, or the case's model itself): its
/// journeys (`None`: the year compared's) and, where it makes one, its network.
struct Laid<'a> {
    model: Cow<'a, Model>,
    journeys: Option<JourneyTable>,
    net: Option<fixed::OptionNetwork>,
}

impl Laid<'_> {
    fn journeys<'b>(&'b self, prepared: &'b Prepared) -> &'b JourneyTable {
        self.journeys.as_ref().unwrap_or(&prepared.journeys)
    }
}

/// What each option of `m` is held at: as `signed` (by option id), 0 for one it does not name.
fn taken_of(m: &Model, signed: &[(String, u32)]) -> Vec<u32> {
    m.purchasing.iter().map(|o| signed.iter().find(|(id, _)| *id == o.id).map_or(0, |&(_, t)| t)).collect()
}

/// Spot purchase only and every option open chosen afresh, for `m` with its journeys and,
/// where it makes one, its network.
fn chosen_afresh(
    m: &Model,
    journeys: &JourneyTable,
    net: Option<&fixed::OptionNetwork>,
    solver: Solver,
) -> Result<(Evaluation, Evaluation), Error> {
    let all: Vec<usize> = (0..m.purchasing.len()).collect();
    let mut seeds = net.map(choose::Seeds::new);
    let spot = option_set(m, journeys, net, &[], "Spot purchase only", solver, &mut seeds)?;
    let best = option_set(m, journeys, net, &all, "Best combination", solver, &mut seeds)?;
    Ok((spot, best))
}

/// One case of [`sensitivity`]: `m` with its journeys and, where it makes one, its network.
fn one_case(
    case: &str,
    m: &Model,
    journeys: &JourneyTable,
    net: Option<&fixed::OptionNetwork>,
    signed: &[(String, u32)],
    solver: Solver,
) -> Result<SensitivityCase, Error> {
    let (spot, best) = chosen_afresh(m, journeys, net, solver)?;
    let held = held(m, journeys, net, &taken_of(m, signed), "As signed", solver)?;
    Ok(SensitivityCase { case: case.to_string(), spot, best, held })
}

#[cfg(test)]
mod tests;
