//! The master of the cuts searched by a branch and bound of our own: is there a portfolio
//! whose estimated cost is below a target?
//!
//! The cuts need no optimum of the master each round ([`super::cuts`]): only a portfolio
//! whose master value (its own costs and the cuts' estimate of its years) is below the best
//! placed cost less a tolerance, or the proof that there is none. So the search stops at the
//! first such portfolio, and prunes every branch whose linear relaxation is not below the
//! target: the best pruning any incumbent could give, from the first node.
//!
//! Each node is the master without whole numbers (microlp's simplex) with some columns'
//! bounds tightened; a child is its parent's solved program with one more bound, solved on
//! from the parent's basis. Depth first, the child of lower value first, branching on the
//! most fractional whole-number column.
//!
//! `commission`'s best combination of options searches its master the same way
//! (`crate::planning::commissioning`), and reads what a search that finds nothing proves of
//! the least possible value ([`Searched::least`]) to stop at a stated gap.

use microlp::{ComparisonOp, OptimizationDirection, Problem, Solution, SolveOutcome, Variable};

use crate::optimise::program::{LinearProgram, Sense};
use crate::optimise::solve::SolveError;

/// A column this close to a whole number counts as whole.
const WHOLE: f64 = 1e-6;

/// How a search went.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Searched {
    /// Relaxations solved.
    pub nodes: usize,
    /// After the last search that found no point: the least value the program can take at
    /// a whole-number point, as far as that search shows (the least relaxation value of the
    /// branches it left out, never below its target; infinity if no point keeps the rows).
    /// What the master's estimate proves of the best possible.
    pub least: f64,
    /// Most relaxations one search may solve (`None`: no limit). A search that reaches it
    /// stops undecided, finding no point, with `least` the least relaxation value of every
    /// branch it left out or had yet to search: still a bound, below the target.
    pub limit: Option<usize>,
    /// Whether the last search stopped at `limit`.
    pub undecided: bool,
}

fn fail(message: String) -> SolveError {
    SolveError { solver: "microlp (the master's branch and bound)", message }
}

/// A solved node, or `None` if its bounds leave nothing feasible.
fn solved(outcome: Result<SolveOutcome, microlp::Error>) -> Result<Option<Solution>, SolveError> {
    match outcome {
        Ok(SolveOutcome::Solution(s)) => Ok(Some(s)),
        Ok(SolveOutcome::Interrupted(_)) => Err(fail("the master's relaxation was interrupted".into())),
        Err(microlp::Error::Infeasible) => Ok(None),
        Err(e) => Err(fail(format!("the master's relaxation: {e}"))),
    }
}

/// A whole-number point of `program` (every column within its bounds and every row kept)
/// whose objective is below `target`, leaving out points `skip` says are known not to be
/// below it (solver noise aside); `None` if there is none. The point's whole-number columns
/// are rounded.
///
/// # Errors
/// If the relaxation is unbounded or microlp fails.
pub(crate) fn below(
    program: &LinearProgram,
    target: f64,
    skip: &dyn Fn(&[f64]) -> bool,
    searched: &mut Searched,
) -> Result<Option<Vec<f64>>, SolveError> {
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    let vars: Vec<Variable> = (0..program.columns.len())
        .map(|c| problem.add_var(program.objective[c], (program.lower[c], program.upper[c])))
        .collect();
    for row in &program.rows {
        let op = match row.sense {
            Sense::AtMost => ComparisonOp::Le,
            Sense::Equal => ComparisonOp::Eq,
            Sense::AtLeast => ComparisonOp::Ge,
        };
        problem.add_constraint(
            row.terms.iter().map(|&(c, a)| (vars[c], a)).collect::<microlp::LinearExpr>(),
            op,
            row.rhs,
        );
    }
    searched.nodes += 1;
    searched.least = f64::INFINITY;
    searched.undecided = false;
    let most = searched.limit.map_or(usize::MAX, |l| searched.nodes.saturating_add(l));
    let Some(root) = solved(problem.solve())? else { return Ok(None) };
    let mut open = vec![root];
    while let Some(node) = open.pop() {
        if searched.nodes >= most {
            // Undecided: every branch not searched keeps at least its parent's value.
            searched.undecided = true;
            searched.least = open.iter().chain([&node]).map(Solution::objective).fold(searched.least, f64::min);
            return Ok(None);
        }
        if node.objective() >= target {
            searched.least = searched.least.min(node.objective());
            continue;
        }
        let mut values: Vec<f64> = vars.iter().map(|&v| node.var_value_raw(v)).collect();
        // The most fractional whole-number column, the first of equals.
        let mut branch: Option<(usize, f64)> = None;
        for (c, &v) in values.iter().enumerate() {
            let off = (v - v.round()).abs();
            if program.integer[c] && off > WHOLE && branch.is_none_or(|(_, o)| off > o + 1e-12) {
                branch = Some((c, off));
            }
        }
        let Some((c, _)) = branch else {
            for (v, _) in values.iter_mut().zip(&program.integer).filter(|(_, i)| **i) {
                *v = v.round();
            }
            if skip(&values) {
                searched.least = searched.least.min(node.objective());
                continue;
            }
            return Ok(Some(values));
        };
        let v = values[c];
        let down = solved(node.clone().add_constraint([(vars[c], 1.0)], ComparisonOp::Le, v.floor()))?;
        let up = solved(node.add_constraint([(vars[c], 1.0)], ComparisonOp::Ge, v.ceil()))?;
        searched.nodes += 2;
        let mut children: Vec<Solution> = Vec::new();
        for child in [down, up].into_iter().flatten() {
            if child.objective() < target {
                children.push(child);
            } else {
                searched.least = searched.least.min(child.objective());
            }
        }
        // The child of lower value last, so searched first.
        children.sort_by(|a, b| b.objective().total_cmp(&a.objective()));
        open.extend(children);
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
