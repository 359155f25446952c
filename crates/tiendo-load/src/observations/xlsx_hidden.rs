//! Hidden rows and columns of the data sheet (adversarial review round 6, x1): they are read, since a filter hides
//! rows that are data, but a person looking at the sheet does not see them, so a warning (W342) names those that
//! held cells. Hidden sheets are refused for the same reason (docs/data-files.md, "The sheet a person sees").

use std::collections::{BTreeSet, HashSet};

use tiendo_core::Diagnostic;

use super::span;
use super::xlsx_parts::column_name;

/// How many hidden rows the warning names; the count covers them all.
const ROWS_NAMED: usize = 10;

/// The hidden rows and columns of a sheet, and those of them that held a cell read.
#[derive(Debug, Default)]
pub(crate) struct HiddenCells {
    rows: HashSet<u32>,
    columns: Vec<(u32, u32)>,
    rows_read: Vec<u32>,
    columns_read: BTreeSet<u32>,
}

impl HiddenCells {
    /// The sheet's hidden `rows` (from 0) and `columns` (ranges from 0, both ends included).
    pub fn new(rows: HashSet<u32>, columns: Vec<(u32, u32)>) -> Self {
        HiddenCells { rows, columns, ..HiddenCells::default() }
    }

    /// Notes that `row` held cells in `columns` (from 0), all read.
    pub fn read(&mut self, row: u32, columns: impl Iterator<Item = u32>) {
        if self.rows.contains(&row) {
            self.rows_read.push(row);
        }
        if !self.columns.is_empty() {
            let hidden = |column: &u32| self.columns.iter().any(|&(min, max)| (min..=max).contains(column));
            let found: Vec<u32> = columns.filter(hidden).collect();
            self.columns_read.extend(found);
        }
    }

    /// W342 naming the hidden rows (by line, the first ten) and columns (by letter) of sheet `sheet` of file `name`
    /// that held cells; `None` when there are none.
    pub fn warning(&self, name: &str, sheet: &str) -> Option<Diagnostic> {
        if self.rows_read.is_empty() && self.columns_read.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        if !self.rows_read.is_empty() {
            let count = self.rows_read.len();
            let mut lines: Vec<String> = self.rows_read.iter().take(ROWS_NAMED).map(|r| (r + 1).to_string()).collect();
            if count > ROWS_NAMED {
                lines.push(format!("and {} more", count - ROWS_NAMED));
            }
            let noun = if count == 1 { "row" } else { "rows" };
            parts.push(format!("{count} hidden {noun} ({noun} {})", lines.join(", ")));
        }
        if !self.columns_read.is_empty() {
            let letters: Vec<String> = self.columns_read.iter().map(|&c| column_name(c)).collect();
            let noun = if letters.len() == 1 { "column" } else { "columns" };
            parts.push(format!("hidden {noun} {}", letters.join(", ")));
        }
        let line = self.rows_read.first().map_or(1, |&row| row as usize + 1);
        let column = self.columns_read.first().filter(|_| self.rows_read.is_empty()).map_or(1, |&c| c as usize + 1);
        let diagnostic = Diagnostic::warning(
            "W342",
            "hidden-cells-read",
            format!("sheet `{sheet}`: read {}, which a person looking at the sheet does not see", parts.join(" and ")),
        )
        .with_span(Some(span(name, line, column)))
        .with_hint(
            "unhide them (Home > Format > Hide & Unhide) and check their figures; delete what is not data. Rows hidden \
             by a filter are read too",
        );
        Some(diagnostic)
    }
}
