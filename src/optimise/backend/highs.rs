//! HiGHS. Solved once, the program goes through good_lp, tuned to proven optimality; held
//! warm, it lives in HiGHS itself: columns are added to the model and each solve starts
//! from the last optimal basis, so it takes a few simplex iterations, not a solve from
//! scratch. All of the crate's unsafe calls into HiGHS are here.

use std::time::Instant;

use good_lp::Solution;
use highs::{ColProblem, HighsModelStatus, Model};

use super::{Backend, ColumnIndex, SolveError, SolveTime, Solver, hand_over, solve_timed, tidy};
use crate::optimise::program::{LinearProgram, Sense};

/// A program held for HiGHS.
pub(super) struct Highs<'a> {
    program: &'a LinearProgram,
    held: Held,
    values: Vec<f64>,
    /// Row prices of the last solve, if it had them (not for whole-number programs).
    prices: Option<Vec<f64>>,
    time: SolveTime,
}

enum Held {
    /// Handed over through good_lp at each solve, every column in.
    Once,
    /// Kept in HiGHS.
    Warm(Warm),
}

/// The program held in HiGHS between solves.
struct Warm {
    model: Option<Model>,
    /// The last optimal basis (column and row statuses), to restart from.
    basis: Option<(Vec<highs_sys::HighsInt>, Vec<highs_sys::HighsInt>)>,
    rows: Vec<highs::Row>,
    /// The program's column of each HiGHS column.
    columns: Vec<usize>,
    active: Vec<bool>,
    by_column: ColumnIndex,
}

fn fail(message: String) -> SolveError {
    SolveError { solver: Solver::Highs.name(), message }
}

/// Whole-number programs to proven optimality (HiGHS stops at a 0.01% gap by default), so
/// every solver gives the same portfolio.
fn tune(m: good_lp::solvers::highs::HighsProblem) -> good_lp::solvers::highs::HighsProblem {
    m.set_option("mip_rel_gap", 1e-9).set_option("mip_abs_gap", 1e-6)
}

impl Warm {
    fn new(program: &LinearProgram, active: &[bool], time: &mut SolveTime) -> Warm {
        let by_column = ColumnIndex::new(program);
        let start = Instant::now();
        let mut problem = ColProblem::default();
        let rows: Vec<highs::Row> = program
            .rows
            .iter()
            .map(|r| match r.sense {
                Sense::AtMost => problem.add_row(..=r.rhs),
                Sense::Equal => problem.add_row(r.rhs..=r.rhs),
                Sense::AtLeast => problem.add_row(r.rhs..),
            })
            .collect();
        let mut columns = Vec::new();
        for c in (0..program.columns.len()).filter(|&c| active[c]) {
            let factors: Vec<(highs::Row, f64)> = by_column.column(c).map(|&(r, a)| (rows[r], a)).collect();
            if program.upper[c].is_finite() {
                problem.add_column(program.objective[c], program.lower[c]..=program.upper[c], factors);
            } else {
                problem.add_column(program.objective[c], program.lower[c].., factors);
            }
            columns.push(c);
        }
        let mut model = problem.optimise(highs::Sense::Minimise);
        model.make_quiet();
        model.set_option("presolve", "off");
        time.handing_over += start.elapsed().as_secs_f64();
        Warm { model: Some(model), basis: None, rows, columns, active: active.to_vec(), by_column }
    }

    fn add(&mut self, program: &LinearProgram, add: &[usize], time: &mut SolveTime) {
        let start = Instant::now();
        let model = self.model.as_mut().expect("the model is back after each solve");
        for &c in add {
            if std::mem::replace(&mut self.active[c], true) {
                continue;
            }
            let factors: Vec<(highs::Row, f64)> = self.by_column.column(c).map(|&(r, a)| (self.rows[r], a)).collect();
            if program.upper[c].is_finite() {
                model.add_col(program.objective[c], program.lower[c]..=program.upper[c], factors);
            } else {
                model.add_col(program.objective[c], program.lower[c].., factors);
            }
            self.columns.push(c);
        }
        // HiGHS sets its basis aside when columns are added: give it back, the new columns
        // nonbasic at their lower bound, so the next solve starts from it.
        if let Some((mut col_status, row_status)) = self.basis.take() {
            col_status.resize(self.columns.len(), 0); // kHighsBasisStatusLower
            // SAFETY: the arrays are as long as the model's columns and rows.
            unsafe {
                highs_sys::Highs_setBasis(model.as_mut_ptr(), col_status.as_ptr(), row_status.as_ptr());
            }
        }
        time.handing_over += start.elapsed().as_secs_f64();
    }

    /// A value per column of the program (`n` columns) and a price per row.
    fn solve(&mut self, n: usize, time: &mut SolveTime) -> Result<(Vec<f64>, Vec<f64>), SolveError> {
        let start = Instant::now();
        let model = self.model.take().expect("the model is back after each solve");
        let solved = model.try_solve().map_err(|e| fail(format!("{e:?}")))?;
        time.solving += start.elapsed().as_secs_f64();
        if solved.status() != HighsModelStatus::Optimal {
            return Err(fail(format!("status {:?}", solved.status())));
        }
        let solution = solved.get_solution();
        let mut values = vec![0.0; n];
        for (&c, &v) in self.columns.iter().zip(solution.columns()) {
            values[c] = v;
        }
        let values = tidy(values);
        let prices = solution.dual_rows().to_vec();
        let mut col_status = vec![0; self.columns.len()];
        let mut row_status = vec![0; self.rows.len()];
        // SAFETY: the arrays are as long as the model's columns and rows.
        let got =
            unsafe { highs_sys::Highs_getBasis(solved.as_ptr(), col_status.as_mut_ptr(), row_status.as_mut_ptr()) };
        self.basis = (got == 0).then_some((col_status, row_status)); // kHighsStatusOk
        let mut model: Model = solved.into();
        // Later solves start from this basis; presolve would set it aside.
        model.set_option("presolve", "off");
        // Columns added to an optimal basis leave it primal feasible: the primal simplex
        // goes on from there.
        model.set_option("simplex_strategy", 4);
        self.model = Some(model);
        Ok((values, prices))
    }
}

impl<'a> Backend<'a> for Highs<'a> {
    fn build(program: &'a LinearProgram, warm: Option<&[bool]>) -> Highs<'a> {
        let mut time = SolveTime::default();
        let held = match warm {
            None => Held::Once,
            Some(active) => Held::Warm(Warm::new(program, active, &mut time)),
        };
        Highs { program, held, values: Vec::new(), prices: None, time }
    }

    fn solver(&self) -> Solver {
        Solver::Highs
    }

    fn add_columns(&mut self, columns: &[usize]) {
        match &mut self.held {
            Held::Once => {} // every column is in
            Held::Warm(warm) => warm.add(self.program, columns, &mut self.time),
        }
        self.values.clear();
        self.prices = None;
    }

    fn solve(&mut self) -> Result<(), SolveError> {
        self.values.clear();
        self.prices = None;
        match &mut self.held {
            Held::Once if self.program.columns.is_empty() => {
                self.prices = Some(vec![0.0; self.program.rows.len()]);
            }
            Held::Once => {
                let program = self.program;
                let time = &mut self.time;
                let (model, x) = hand_over(program, good_lp::solvers::highs::highs, tune, time);
                let solution = solve_timed(model, time).map_err(|e| fail(e.to_string()))?;
                self.values = tidy(x.iter().map(|&v| solution.value(v)).collect());
                if !program.integer.iter().any(|i| *i) {
                    self.prices = Some(solution.into_inner().dual_rows().to_vec());
                }
            }
            Held::Warm(warm) => {
                let (values, prices) = warm.solve(self.program.columns.len(), &mut self.time)?;
                self.values = values;
                self.prices = Some(prices);
            }
        }
        Ok(())
    }

    fn values(&self) -> &[f64] {
        &self.values
    }

    fn row_prices(&mut self) -> Result<Vec<f64>, SolveError> {
        self.prices.clone().ok_or_else(|| {
            fail("row prices asked for before the program was solved, or of whole-number columns".into())
        })
    }

    fn time(&self) -> SolveTime {
        self.time
    }
}
