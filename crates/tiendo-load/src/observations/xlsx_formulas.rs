//! Formula cells of the data sheet whose number is not known to be the formula's result (E346): a workbook written
//! by a program that does not calculate keeps no result, or keeps 0 and asks to be recalculated when opened. Read as
//! it stands, such a cell would be a wrong number in the review (a row of zeros) or a blank; the row is left out and
//! named instead (docs/data-files.md, "Formulas").

use std::collections::BTreeMap;

use super::rows::RowLoader;
use super::xlsx_parts::cell_name;
use super::xlsx_sheet_scan::{FormulaResult, Staleness};

/// The formula cells of a sheet that are not read, by (row, column) from 0, until their row is.
#[derive(Debug, Default)]
pub(crate) struct FormulaCells {
    cells: BTreeMap<(u32, u32), FormulaResult>,
}

impl FormulaCells {
    pub fn new(cells: BTreeMap<(u32, u32), FormulaResult>) -> Self {
        FormulaCells { cells }
    }

    /// Forgets the cells of the header's row and the rows above it, which hold no data.
    pub fn past_header(&mut self, header_row: u32) {
        self.cells = self.cells.split_off(&(header_row.saturating_add(1), 0));
    }

    /// Reports the cells of the rows before `row`, which the reader never saw (every cell in them a formula without
    /// a result), and tells whether `row` itself has any, reporting them; `text` gives a cell's text in `row`.
    pub fn report_through(&mut self, row: u32, loader: &mut RowLoader<'_, '_>, text: impl Fn(u32) -> String) -> bool {
        // Most rows have none, and no earlier row is left: nothing to split off.
        if self.cells.first_key_value().is_none_or(|(&(first, _), _)| first > row) {
            return false;
        }
        let rest = match row.checked_add(1) {
            Some(next) => self.cells.split_off(&(next, 0)),
            None => BTreeMap::new(),
        };
        let mut in_row = false;
        for ((at_row, column), why) in std::mem::replace(&mut self.cells, rest) {
            let name = cell_name(at_row, column);
            let left_out = if at_row == row {
                "the row is left out".to_owned()
            } else {
                format!("row {} is not read", at_row + 1)
            };
            let message = match why {
                FormulaResult::NotSaved => {
                    format!("cell {name} holds a formula whose result the file does not keep: {left_out}")
                }
                FormulaResult::Stale(why) => {
                    let kept = if at_row == row { format!(" (`{}`)", text(column)) } else { String::new() };
                    let because = match why {
                        Staleness::RecalculateOnOpening => "the workbook asks to be recalculated when it is opened",
                        Staleness::SavedUncalculated => {
                            "the workbook was saved without calculating (manual calculation)"
                        }
                    };
                    format!(
                        "cell {name} holds a formula, and {because}, so the result it keeps{kept} may not be the formula's: {left_out}"
                    )
                }
            };
            in_row |= at_row == row;
            let at = loader.error("E346", "formula-result-unknown", at_row as usize + 1, column as usize, message);
            let hint = "open the workbook in Excel or LibreOffice and save it there (a spreadsheet calculates the \
                        formulas and saves each result), or write the values themselves instead of formulas";
            loader.findings.hint(at, hint.to_owned());
        }
        in_row
    }
}
