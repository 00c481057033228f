//! A table before disclosure control: its cells are values, counts from the pool, or
//! figures worked out from counts, resolved to what is shown once the withheld counts are
//! known.

use crate::outputs::annex::disclosure::{CellId, Counts, Decided};
use crate::outputs::annex::{Column, Table, Unit, Value};

/// A cell before disclosure control: a value, a count from the pool, or a figure that
/// is withheld with any of the counts it is worked out from.
pub(super) enum Cell {
    Value(Value),
    Count(CellId),
    Derived(f64, Vec<CellId>),
}

pub(super) fn text(t: impl Into<String>) -> Cell {
    Cell::Value(Value::Text(t.into()))
}

pub(super) fn number(v: f64) -> Cell {
    Cell::Value(Value::Number(v))
}

pub(super) struct Draft {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) note: String,
    pub(super) columns: Vec<Column>,
    pub(super) rows: Vec<Vec<Cell>>,
    pub(super) totals: usize,
    /// Figures published by someone else (the DfE), shown as published: neither rounded
    /// nor withheld here.
    pub(super) theirs: bool,
}

impl Draft {
    pub(super) fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        note: impl Into<String>,
        columns: Vec<Column>,
    ) -> Draft {
        Draft {
            id: id.into(),
            title: title.into(),
            note: note.into(),
            columns,
            rows: Vec::new(),
            totals: 0,
            theirs: false,
        }
    }

    /// Figures that are rounded and never withheld: counts that are not of pupils, and
    /// children, places and money that are not counts of the pool.
    pub(super) fn rounded(&self, counts: &Counts) -> usize {
        if self.theirs {
            return 0;
        }
        let rounded_unit = |u: Unit| matches!(u, Unit::Children | Unit::Places | Unit::Pounds | Unit::PoundsEach);
        self.rows
            .iter()
            .flat_map(|row| row.iter().zip(&self.columns))
            .filter(|(cell, col)| match cell {
                Cell::Count(id) => !counts.protected[*id],
                Cell::Value(Value::Number(_)) => rounded_unit(col.unit),
                Cell::Derived(v, from) => {
                    v.is_finite()
                        && matches!(col.unit, Unit::Pounds | Unit::PoundsEach)
                        && from.iter().all(|&c| !counts.protected[c])
                }
                Cell::Value(_) => false,
            })
            .count()
    }

    /// The table as published: every count as disclosure control decided it.
    pub(super) fn resolve(self, decided: &Decided) -> Table {
        let columns = self.columns;
        let rows = self
            .rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .zip(&columns)
                    .map(|(cell, col)| match cell {
                        Cell::Value(Value::Number(v)) => Value::Number(col.unit.round(v)),
                        Cell::Value(v) => v,
                        Cell::Count(id) => match decided.count(id).shown() {
                            Some(v) => Value::Number(col.unit.round(v)),
                            None => Value::Withheld,
                        },
                        Cell::Derived(v, from) => {
                            if from.iter().any(|&c| decided.is_withheld(c)) {
                                Value::Withheld
                            } else if v.is_finite() {
                                Value::Number(col.unit.round(v))
                            } else {
                                Value::Blank
                            }
                        }
                    })
                    .collect()
            })
            .collect();
        Table { id: self.id, title: self.title, note: self.note, columns, rows, totals: self.totals }
    }
}
