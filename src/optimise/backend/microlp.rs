//! microlp through good_lp: the program handed over afresh at each solve. microlp gives no
//! row duals, so row prices come from solving the dual program, checked by strong duality.

use good_lp::Solution;

use super::{Backend, SolveError, SolveTime, Solver, hand_over, solve_timed, tidy};
use crate::optimise::program::{LinearProgram, Row};

/// How microlp holds its program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every column in, the program handed over as it stands.
    Once,
    /// The columns in handed over, as a program of their own, rows left with nothing in
    /// them that hold anyway left out.
    Warm,
}

/// A program held for microlp.
pub(super) struct Microlp<'a> {
    program: &'a LinearProgram,
    mode: Mode,
    /// Columns in (warm; solved once, every column is).
    active: Vec<bool>,
    values: Vec<f64>,
    /// The program over the columns in, as the last warm solve handed it over.
    last: Option<Restricted>,
    time: SolveTime,
}

/// A program over some of a program's columns, and its optimum.
struct Restricted {
    program: LinearProgram,
    /// Its rows in the whole program.
    rows: Vec<usize>,
    /// A value per column of it.
    values: Vec<f64>,
}

fn fail(message: String) -> SolveError {
    SolveError { solver: Solver::Microlp.name(), message }
}

/// Solves `program` with microlp: a value per column.
fn solve(program: &LinearProgram, time: &mut SolveTime) -> Result<Vec<f64>, SolveError> {
    if program.columns.is_empty() {
        return Ok(Vec::new());
    }
    let (model, x) = hand_over(program, good_lp::solvers::microlp::microlp, |m| m, time);
    let solution = solve_timed(model, time).map_err(|e| fail(e.to_string()))?;
    Ok(tidy(x.iter().map(|&v| solution.value(v)).collect()))
}

/// The program over the active columns only: (program, its columns in `program`, its rows
/// in `program`). Rows left with no active column that hold anyway are left out (their
/// price is 0).
fn restrict(program: &LinearProgram, active: &[bool]) -> (LinearProgram, Vec<usize>, Vec<usize>) {
    let mut sub = LinearProgram::default();
    let mut map = vec![usize::MAX; program.columns.len()];
    let mut columns = Vec::new();
    for (c, _) in active.iter().enumerate().filter(|(_, a)| **a) {
        map[c] = sub.add_column(String::new(), program.objective[c]);
        sub.lower[map[c]] = program.lower[c];
        sub.upper[map[c]] = program.upper[c];
        columns.push(c);
    }
    let mut rows = Vec::new();
    for (r, row) in program.rows.iter().enumerate() {
        let terms: Vec<(usize, f64)> =
            row.terms.iter().filter(|(c, _)| active[*c]).map(|&(c, a)| (map[c], a)).collect();
        if terms.is_empty() && row.holds_when_empty() {
            continue;
        }
        sub.rows.push(Row { name: row.name.clone(), terms, sense: row.sense, rhs: row.rhs });
        rows.push(r);
    }
    (sub, columns, rows)
}

/// Row prices of `program`, whose optimum is `values`, from its dual program: the dual's
/// value must equal the optimum, or they are not the program's prices.
fn by_dual_program(program: &LinearProgram, values: &[f64], time: &mut SolveTime) -> Result<Vec<f64>, SolveError> {
    if program.columns.is_empty() {
        return Ok(vec![0.0; program.rows.len()]);
    }
    let (mut dual, sign) = program.dual();
    // microlp can stall on free columns: bound them far beyond any price in the program,
    // then make sure the bound did not bind.
    let bound = 1e3 * program.objective.iter().fold(1.0, |m: f64, c| m.max(c.abs()));
    for l in dual.lower.iter_mut().filter(|l| **l == f64::NEG_INFINITY) {
        *l = -bound;
    }
    let y = solve(&dual, time)?;
    let fixed: f64 = program.objective.iter().zip(&program.lower).map(|(c, l)| c * l).sum();
    let (primal, by_duals) = (program.value_of(values), fixed - dual.value_of(&y));
    if (primal - by_duals).abs() > 1e-6 * (1.0 + primal.abs()) {
        return Err(fail(format!("the row prices ({by_duals}) do not match the optimum ({primal})")));
    }
    Ok(y.iter().zip(&sign).map(|(v, s)| v * s).collect())
}

impl<'a> Backend<'a> for Microlp<'a> {
    fn build(program: &'a LinearProgram, warm: Option<&[bool]>) -> Microlp<'a> {
        let (mode, active) = match warm {
            None => (Mode::Once, vec![true; program.columns.len()]),
            Some(active) => (Mode::Warm, active.to_vec()),
        };
        Microlp { program, mode, active, values: Vec::new(), last: None, time: SolveTime::default() }
    }

    fn solver(&self) -> Solver {
        Solver::Microlp
    }

    fn add_columns(&mut self, columns: &[usize]) {
        for &c in columns {
            self.active[c] = true;
        }
        self.values.clear();
        self.last = None;
    }

    fn solve(&mut self) -> Result<(), SolveError> {
        self.values.clear();
        self.last = None;
        match self.mode {
            // The program as it stands, every row and column.
            Mode::Once => self.values = solve(self.program, &mut self.time)?,
            Mode::Warm => {
                let (sub, columns, rows) = restrict(self.program, &self.active);
                let x = solve(&sub, &mut self.time)?;
                let mut values = vec![0.0; self.program.columns.len()];
                for (&c, &v) in columns.iter().zip(&x) {
                    values[c] = v;
                }
                self.values = values;
                self.last = Some(Restricted { program: sub, rows, values: x });
            }
        }
        Ok(())
    }

    fn values(&self) -> &[f64] {
        &self.values
    }

    fn row_prices(&mut self) -> Result<Vec<f64>, SolveError> {
        if self.values.len() != self.program.columns.len() {
            return Err(fail("row prices asked for before the program was solved".into()));
        }
        if self.program.integer.iter().any(|i| *i) {
            return Err(fail("row prices asked for in a program with whole-number columns".into()));
        }
        if self.last.is_none() {
            // Solved once, every column in: priced over the rows with something in them.
            let (sub, _, rows) = restrict(self.program, &self.active);
            self.last = Some(Restricted { program: sub, rows, values: self.values.clone() });
        }
        let last = self.last.as_ref().expect("set above");
        let y = by_dual_program(&last.program, &last.values, &mut self.time)?;
        let mut prices = vec![0.0; self.program.rows.len()];
        for (&r, &v) in last.rows.iter().zip(&y) {
            prices[r] = v;
        }
        Ok(prices)
    }

    fn time(&self) -> SolveTime {
        self.time
    }
}
