//! A solver-neutral linear program: columns, rows and an objective; columns are continuous
//! and non-negative unless marked integer (a scheme built, or its modules) or bounded. The
//! formulation builds one; any solver can take it; and it can be written in CPLEX LP format
//! so anyone can solve the exact model elsewhere and compare.

use std::fmt::Write as _;

/// Direction of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// Left side at most the right.
    AtMost,
    /// Left side equal to the right.
    Equal,
    /// Left side at least the right.
    AtLeast,
}

impl Sense {
    /// Whether `lhs` compared with `rhs` this way holds, within `tolerance`.
    #[must_use]
    pub fn holds(self, lhs: f64, rhs: f64, tolerance: f64) -> bool {
        match self {
            Sense::AtMost => lhs <= rhs + tolerance,
            Sense::Equal => (lhs - rhs).abs() <= tolerance,
            Sense::AtLeast => lhs >= rhs - tolerance,
        }
    }
}

/// A constraint: the sum of coefficient × column, compared with a constant.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Name in the LP file.
    pub name: String,
    /// (column, coefficient) pairs.
    pub terms: Vec<(usize, f64)>,
    /// Direction.
    pub sense: Sense,
    /// Right-hand side.
    pub rhs: f64,
}

impl Row {
    /// Whether the row holds with nothing in it (`0` against the right-hand side), so that
    /// a row whose columns are all left out binds nothing and is priced at 0.
    #[must_use]
    pub fn holds_when_empty(&self) -> bool {
        match self.sense {
            Sense::AtMost => self.rhs >= 0.0,
            Sense::Equal => self.rhs == 0.0,
            Sense::AtLeast => self.rhs <= 0.0,
        }
    }
}

/// A linear program: minimise `objective · x` subject to `rows`, with `x ≥ lower ≥ 0`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinearProgram {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Objective coefficient per column.
    pub objective: Vec<f64>,
    /// Lower bound per column (0 unless set: children who must stay where they are).
    pub lower: Vec<f64>,
    /// Upper bound per column (infinite unless set).
    pub upper: Vec<f64>,
    /// Whether a column takes whole values only.
    pub integer: Vec<bool>,
    /// Constraints.
    pub rows: Vec<Row>,
}

impl LinearProgram {
    /// Adds a column with its objective coefficient; returns its index.
    pub fn add_column(&mut self, name: String, cost: f64) -> usize {
        self.columns.push(name);
        self.objective.push(cost);
        self.lower.push(0.0);
        self.upper.push(f64::INFINITY);
        self.integer.push(false);
        self.columns.len() - 1
    }

    /// Adds a whole-number column from `lower` to `upper`; returns its index.
    pub fn add_integer_column(&mut self, name: String, cost: f64, lower: f64, upper: f64) -> usize {
        let c = self.add_column(name, cost);
        self.lower[c] = lower;
        self.upper[c] = upper;
        self.integer[c] = true;
        c
    }

    /// Appends `other`'s columns and rows, its objective times `scale`; returns the offset
    /// of its first column.
    pub fn append(&mut self, other: &LinearProgram, scale: f64) -> usize {
        let offset = self.columns.len();
        self.columns.extend(other.columns.iter().cloned());
        self.objective.extend(other.objective.iter().map(|c| c * scale));
        self.lower.extend_from_slice(&other.lower);
        self.upper.extend_from_slice(&other.upper);
        self.integer.extend_from_slice(&other.integer);
        self.rows.extend(other.rows.iter().map(|r| Row {
            name: r.name.clone(),
            terms: r.terms.iter().map(|&(c, v)| (c + offset, v)).collect(),
            sense: r.sense,
            rhs: r.rhs,
        }));
        offset
    }

    /// Appends `other`'s columns and rows as [`LinearProgram::append`] does, but for the
    /// columns `links` names: each stands for a column already here (`(other's column, this
    /// program's column)`), its objective times `scale` added to it. Returns the column here
    /// of each of `other`'s columns.
    pub fn append_linked(&mut self, other: &LinearProgram, scale: f64, links: &[(usize, usize)]) -> Vec<usize> {
        let mut at = Vec::with_capacity(other.columns.len());
        for c in 0..other.columns.len() {
            if let Some(&(_, here)) = links.iter().find(|(o, _)| *o == c) {
                self.objective[here] += other.objective[c] * scale;
                at.push(here);
            } else {
                at.push(self.columns.len());
                self.columns.push(other.columns[c].clone());
                self.objective.push(other.objective[c] * scale);
                self.lower.push(other.lower[c]);
                self.upper.push(other.upper[c]);
                self.integer.push(other.integer[c]);
            }
        }
        self.rows.extend(other.rows.iter().map(|r| Row {
            name: r.name.clone(),
            terms: r.terms.iter().map(|&(c, v)| (at[c], v)).collect(),
            sense: r.sense,
            rhs: r.rhs,
        }));
        at
    }

    /// Fixes column `c` at `value`: its terms move into the right-hand sides of its rows, and
    /// it is left at 0 (bounded to 0, so a solver and the dual program see it as fixed).
    pub fn fix_column(&mut self, c: usize, value: f64) {
        for row in &mut self.rows {
            if let Some(k) = row.terms.iter().position(|&(col, _)| col == c) {
                row.rhs -= row.terms[k].1 * value;
                row.terms.remove(k);
            }
        }
        self.lower[c] = 0.0;
        self.upper[c] = 0.0;
    }

    /// Number of non-zero coefficients in the rows.
    #[must_use]
    pub fn non_zeros(&self) -> usize {
        self.rows.iter().map(|r| r.terms.len()).sum()
    }

    /// Objective value of a solution.
    #[must_use]
    pub fn value_of(&self, x: &[f64]) -> f64 {
        self.objective.iter().zip(x).map(|(c, v)| c * v).sum()
    }

    /// The dual of a program whose columns are continuous, from a lower bound (0 unless set)
    /// without an upper bound (columns bounded to 0 or to their lower bound, such as an arc
    /// that takes only the children who stay, are left out, as fixed): one column per
    /// row, free for an equality, at least 0 for an "at least" row and at most 0 for an "at
    /// most" row (held as its negation, at least 0), and a row per column: `Σ a_ic y_i ≤ c_c`. A lower bound `l` moves into the
    /// right-hand sides (`x = l + x'`), which changes the optimum by the constant `c·l` but
    /// not the duals. Returned as a minimisation of `−b·y`; the value of row `i`'s dual is
    /// `sign[i] × column i`.
    ///
    /// # Panics
    /// If a column is integer, or has an upper bound other than 0, its lower bound or infinity.
    #[must_use]
    pub fn dual(&self) -> (LinearProgram, Vec<f64>) {
        let mut d = LinearProgram::default();
        let mut sign = Vec::with_capacity(self.rows.len());
        let mut by_column: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.columns.len()];
        for (i, row) in self.rows.iter().enumerate() {
            let s = match row.sense {
                Sense::Equal | Sense::AtLeast => 1.0,
                Sense::AtMost => -1.0,
            };
            let fixed: f64 = row.terms.iter().map(|&(col, a)| a * self.lower[col]).sum();
            let c = d.add_column(format!("y_{}", row.name), -(row.rhs - fixed) * s);
            if row.sense == Sense::Equal {
                d.lower[c] = f64::NEG_INFINITY;
            }
            sign.push(s);
            for &(col, a) in &row.terms {
                by_column[col].push((i, a * s));
            }
        }
        for (col, terms) in by_column.into_iter().enumerate() {
            let unbounded = self.upper[col] == f64::INFINITY;
            let fixed = self.upper[col] == 0.0 || self.upper[col] == self.lower[col];
            assert!(
                self.lower[col].is_finite() && !self.integer[col] && (unbounded || fixed),
                "dual of a program with integers or upper bounds"
            );
            if !unbounded {
                continue;
            }
            d.rows.push(Row {
                name: format!("c_{}", self.columns[col]),
                terms,
                sense: Sense::AtMost,
                rhs: self.objective[col],
            });
        }
        (d, sign)
    }

    /// The program in CPLEX LP format. `comment` lines head the file.
    #[must_use]
    pub fn to_lp_format(&self, comment: &[String]) -> String {
        let mut out = String::new();
        for line in comment {
            let _ = writeln!(out, "\\ {line}");
        }
        out.push_str("Minimize\n obj:");
        let objective: Vec<(usize, f64)> =
            self.objective.iter().copied().enumerate().filter(|(_, c)| *c != 0.0).collect();
        self.write_terms(&mut out, &objective);
        if objective.is_empty() {
            // LP format needs a term: a zero coefficient on the first column, or a constant.
            out.push_str(if self.columns.is_empty() { " 0" } else { " 0 " });
            if let Some(first) = self.columns.first() {
                out.push_str(first);
            }
        }
        out.push_str("\nSubject To\n");
        for row in &self.rows {
            let _ = write!(out, " {}:", row.name);
            self.write_terms(&mut out, &row.terms);
            if row.terms.is_empty() {
                out.push_str(" 0 ");
                out.push_str(self.columns.first().map_or("x", String::as_str));
            }
            let op = match row.sense {
                Sense::AtMost => "<=",
                Sense::Equal => "=",
                Sense::AtLeast => ">=",
            };
            let _ = writeln!(out, " {op} {}", number(row.rhs));
        }
        // Every column from its lower bound (0 unless set) to its upper (+inf unless set);
        // declared so that columns in no row still exist.
        out.push_str("Bounds\n");
        for ((name, lower), upper) in self.columns.iter().zip(&self.lower).zip(&self.upper) {
            if *lower == f64::NEG_INFINITY {
                let _ = writeln!(out, " {name} free");
            } else if upper.is_finite() {
                let _ = writeln!(out, " {} <= {name} <= {}", number(*lower), number(*upper));
            } else {
                let _ = writeln!(out, " {name} >= {}", number(*lower));
            }
        }
        if self.integer.iter().any(|i| *i) {
            out.push_str("General\n");
            for (name, _) in self.columns.iter().zip(&self.integer).filter(|(_, i)| **i) {
                let _ = writeln!(out, " {name}");
            }
        }
        out.push_str("End\n");
        out
    }

    fn write_terms(&self, out: &mut String, terms: &[(usize, f64)]) {
        for (i, &(col, coef)) in terms.iter().enumerate() {
            if i > 0 && i % 8 == 0 {
                out.push_str("\n   ");
            }
            let sign = if coef < 0.0 { '-' } else { '+' };
            let _ = write!(out, " {sign} {} {}", number(coef.abs()), self.columns[col]);
        }
    }
}

/// A number as the shortest text that reads back to the same f64.
fn number(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 { format!("{v:.0}") } else { format!("{v}") }
}

/// Makes `text` safe inside an LP-format name: letters, digits and `_` kept, others `_`.
#[must_use]
pub fn lp_name_part(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lp_format_writes_objective_rows_and_bounds() {
        let mut lp = LinearProgram::default();
        let a = lp.add_column("x0_a".into(), 3.5);
        let b = lp.add_column("x1_b".into(), 0.0);
        lp.rows.push(Row { name: "demand_0".into(), terms: vec![(a, 1.0), (b, 1.0)], sense: Sense::Equal, rhs: 2.5 });
        lp.rows.push(Row { name: "places_0".into(), terms: vec![(a, 1.0)], sense: Sense::AtMost, rhs: 1.0 });
        let text = lp.to_lp_format(&["test".into()]);
        assert_eq!(
            text,
            "\\ test\nMinimize\n obj: + 3.5 x0_a\nSubject To\n demand_0: + 1 x0_a + 1 x1_b = 2.5\n places_0: + 1 x0_a <= 1\nBounds\n x0_a >= 0\n x1_b >= 0\nEnd\n"
        );
        assert_eq!(lp.non_zeros(), 3);
        lp.add_integer_column("build".into(), 0.0, 0.0, 2.0);
        assert!(
            lp.to_lp_format(&[]).ends_with("Bounds\n x0_a >= 0\n x1_b >= 0\n 0 <= build <= 2\nGeneral\n build\nEnd\n")
        );
        assert!((lp.value_of(&[2.0, 0.5]) - 7.0).abs() < 1e-12);
    }

    #[test]
    fn the_dual_of_a_small_program_prices_its_rows() {
        // min 2a + 3b  s.t.  a + b = 4 (y1), a <= 1 (y2): the optimum 11 has y1 = 3 (one more
        // child costs 3) and y2 = -1 (one more place at a saves 1).
        let mut lp = LinearProgram::default();
        let a = lp.add_column("a".into(), 2.0);
        let b = lp.add_column("b".into(), 3.0);
        lp.rows.push(Row { name: "d".into(), terms: vec![(a, 1.0), (b, 1.0)], sense: Sense::Equal, rhs: 4.0 });
        lp.rows.push(Row { name: "c".into(), terms: vec![(a, 1.0)], sense: Sense::AtMost, rhs: 1.0 });
        let (dual, sign) = lp.dual();
        for solver in crate::testing::lp_solvers() {
            let y = crate::optimise::backend::solve_program(&dual, solver).unwrap();
            assert!((sign[0] * y[0] - 3.0).abs() < 1e-7 && (sign[1] * y[1] + 1.0).abs() < 1e-7, "{solver}: {y:?}");
            assert!((-dual.value_of(&y) - 11.0).abs() < 1e-6);
        }
    }

    #[test]
    fn an_at_least_row_is_written_and_priced_at_least_0() {
        // min 2a + 3b  s.t.  a + b >= 4 (y1), a <= 1 (y2), b <= 5 (y3): a = 1, b = 3, the
        // optimum 11; y1 = 3 >= 0 (one more child needed costs 3), y2 = -1, y3 = 0 (slack).
        let mut lp = LinearProgram::default();
        let a = lp.add_column("a".into(), 2.0);
        let b = lp.add_column("b".into(), 3.0);
        lp.rows.push(Row { name: "d".into(), terms: vec![(a, 1.0), (b, 1.0)], sense: Sense::AtLeast, rhs: 4.0 });
        lp.rows.push(Row { name: "c".into(), terms: vec![(a, 1.0)], sense: Sense::AtMost, rhs: 1.0 });
        lp.rows.push(Row { name: "e".into(), terms: vec![(b, 1.0)], sense: Sense::AtMost, rhs: 5.0 });
        assert_eq!(
            lp.to_lp_format(&[]),
            "Minimize\n obj: + 2 a + 3 b\nSubject To\n d: + 1 a + 1 b >= 4\n c: + 1 a <= 1\n e: + 1 b <= 5\nBounds\n a >= 0\n b >= 0\nEnd\n"
        );
        let (dual, sign) = lp.dual();
        // The "at least" row's dual is a column from 0 up, as it stands (sign 1).
        assert_eq!((sign[0], dual.lower[0], dual.upper[0]), (1.0, 0.0, f64::INFINITY));
        assert_eq!(dual.objective, vec![-4.0, 1.0, 5.0]);
        for solver in crate::testing::lp_solvers() {
            let x = crate::optimise::backend::solve_program(&lp, solver).unwrap();
            assert!((x[0] - 1.0).abs() < 1e-7 && (x[1] - 3.0).abs() < 1e-7, "{solver}: {x:?}");
            let y = crate::optimise::backend::solve_program(&dual, solver).unwrap();
            let prices: Vec<f64> = y.iter().zip(&sign).map(|(v, s)| v * s).collect();
            assert!(
                (prices[0] - 3.0).abs() < 1e-7 && (prices[1] + 1.0).abs() < 1e-7 && prices[2].abs() < 1e-7,
                "{solver}: {prices:?}"
            );
            assert!((-dual.value_of(&y) - 11.0).abs() < 1e-6);
        }
    }

    #[test]
    fn a_column_fixed_at_its_lower_bound_is_left_out_of_the_dual() {
        // min 2a + 3b + c  s.t.  a + b + c = 4 (y1), a + c <= 2 (y2), c fixed at 1 (children
        // who stay where no new child may go): a = 1, b = 2, the optimum 2 + 6 + 1 = 9; y1 = 3,
        // y2 = -1; c's reduced cost 1 - 3 + 1 = -1 is below 0, which its bound allows.
        let mut lp = LinearProgram::default();
        let a = lp.add_column("a".into(), 2.0);
        let b = lp.add_column("b".into(), 3.0);
        let c = lp.add_column("c".into(), 1.0);
        (lp.lower[c], lp.upper[c]) = (1.0, 1.0);
        lp.rows.push(Row {
            name: "d".into(),
            terms: vec![(a, 1.0), (b, 1.0), (c, 1.0)],
            sense: Sense::Equal,
            rhs: 4.0,
        });
        lp.rows.push(Row { name: "p".into(), terms: vec![(a, 1.0), (c, 1.0)], sense: Sense::AtMost, rhs: 2.0 });
        let (dual, sign) = lp.dual();
        assert_eq!(dual.rows.len(), 2, "a row for a and b only");
        for solver in crate::testing::lp_solvers() {
            let x = crate::optimise::backend::solve_program(&lp, solver).unwrap();
            assert!((x[a] - 1.0).abs() < 1e-7 && (x[b] - 2.0).abs() < 1e-7 && (x[c] - 1.0).abs() < 1e-7, "{x:?}");
            let y = crate::optimise::backend::solve_program(&dual, solver).unwrap();
            let prices: Vec<f64> = y.iter().zip(&sign).map(|(v, s)| v * s).collect();
            assert!((prices[0] - 3.0).abs() < 1e-7 && (prices[1] + 1.0).abs() < 1e-7, "{solver}: {prices:?}");
            // The dual's value and c's fixed cost make the optimum.
            assert!((-dual.value_of(&y) + 1.0 - 9.0).abs() < 1e-6);
            assert!(crate::optimise::checking::certify(&lp, &x, &prices).is_empty());
            // Without its upper bound, c's reduced cost below 0 shows a cheaper plan.
            let mut free = lp.clone();
            free.upper[c] = f64::INFINITY;
            assert!(crate::optimise::checking::certify(&free, &x, &prices).iter().any(|w| w.contains("column c")));
        }
    }

    #[test]
    fn empty_rows_hold_as_their_sense_says() {
        let row = |sense, rhs| Row { name: "r".into(), terms: vec![], sense, rhs };
        assert!(row(Sense::AtMost, 0.0).holds_when_empty() && !row(Sense::AtMost, -1.0).holds_when_empty());
        assert!(row(Sense::Equal, 0.0).holds_when_empty() && !row(Sense::Equal, 1.0).holds_when_empty());
        assert!(row(Sense::AtLeast, -1.0).holds_when_empty() && !row(Sense::AtLeast, 1.0).holds_when_empty());
    }

    #[test]
    fn names_keep_only_safe_characters() {
        assert_eq!(lp_name_part("post-16"), "post_16");
        assert_eq!(lp_name_part("St. Mary's"), "St__Mary_s");
    }
}
