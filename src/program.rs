//! A solver-neutral linear program: columns, rows and an objective, all non-negative
//! continuous columns. The formulation builds one; any solver can take it; and it can be
//! written in CPLEX LP format so anyone can solve the exact model elsewhere and compare.

use std::fmt::Write as _;

/// Direction of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// Left side at most the right.
    AtMost,
    /// Left side equal to the right.
    Equal,
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

/// A linear program: minimise `objective · x` subject to `rows`, with `x ≥ lower ≥ 0`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinearProgram {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Objective coefficient per column.
    pub objective: Vec<f64>,
    /// Lower bound per column (0 unless set: children who must stay where they are).
    pub lower: Vec<f64>,
    /// Constraints.
    pub rows: Vec<Row>,
}

impl LinearProgram {
    /// Adds a column with its objective coefficient; returns its index.
    pub fn add_column(&mut self, name: String, cost: f64) -> usize {
        self.columns.push(name);
        self.objective.push(cost);
        self.lower.push(0.0);
        self.columns.len() - 1
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
            };
            let _ = writeln!(out, " {op} {}", number(row.rhs));
        }
        // Every column is continuous, from its lower bound (0 unless set) to +inf; declared
        // so that columns in no row still exist.
        out.push_str("Bounds\n");
        for (name, lower) in self.columns.iter().zip(&self.lower) {
            let _ = writeln!(out, " {name} >= {}", number(*lower));
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
        assert!((lp.value_of(&[2.0, 0.5]) - 7.0).abs() < 1e-12);
    }

    #[test]
    fn names_keep_only_safe_characters() {
        assert_eq!(lp_name_part("post-16"), "post_16");
        assert_eq!(lp_name_part("St. Mary's"), "St__Mary_s");
    }
}
