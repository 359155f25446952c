//! A workbook read as its user sees it: the sheet the project names, else the first visible one, and no other (a
//! warning says which was read when there are several); cells streamed one row at a time within caps, so that a
//! sparse sheet (one cell in A1, one in XFD1048576) or a zip bomb costs nothing; a percent cell read as the
//! percentage it shows, or refused; a blank cell of a merged range reported as such; hidden rows and columns read
//! and named in a warning.

use std::collections::{BTreeMap, HashSet};
use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx};
use tiendo_core::Diagnostic;
use tiendo_core::eval::store::ObservationStore;
use tiendo_core::model::Catalogue;
use unicode_normalization::UnicodeNormalization;

use super::cells::CellFormat;
use super::rows::{RowFormats, RowLoader};
use super::xlsx_formulas::FormulaCells;
use super::xlsx_hidden::HiddenCells;
use super::xlsx_parts::{SheetMarks, cell_name, decompresses_beyond, sheet_marks, uncompressed_size};
use super::{ReadOptions, bytes_shown, span, too_large};

/// Merged ranges looked at: far more than any data sheet has.
const MAX_MERGED_CELLS: u64 = 1_000_000;

fn malformed(name: &str, message: String) -> Vec<Diagnostic> {
    vec![
        Diagnostic::error("E319", "malformed-file", message).with_span(Some(span(name, 1, 1))).with_hint(
            "open the file in Excel or LibreOffice, check that its data sheet is visible, and save it as .xlsx",
        ),
    ]
}

/// Reads the observations of one workbook.
pub(crate) fn read_workbook(
    name: &str,
    bytes: &[u8],
    catalogue: &Catalogue,
    store: &mut ObservationStore,
    options: &ReadOptions,
) -> Vec<Diagnostic> {
    let limits = options.limits;
    match uncompressed_size(bytes) {
        Ok(size) if size > limits.workbook_uncompressed_bytes => {
            let message = format!(
                "the workbook's parts hold {} once decompressed, more than {}",
                bytes_shown(size),
                bytes_shown(limits.workbook_uncompressed_bytes)
            );
            return vec![too_large(name, 1, message)];
        }
        Ok(claimed) => {
            if let Ok(true) = decompresses_beyond(bytes, limits.workbook_uncompressed_bytes) {
                let message = format!(
                    "the workbook's parts hold more than {} once decompressed, though its zip directory says {}: the \
                     file is damaged or made to exhaust memory",
                    bytes_shown(limits.workbook_uncompressed_bytes),
                    bytes_shown(claimed)
                );
                return vec![too_large(name, 1, message)];
            }
        }
        Err(error) => return malformed(name, format!("the spreadsheet cannot be read: {error}")),
    }
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        Err(error) => return malformed(name, format!("the spreadsheet cannot be read: {error}")),
    };
    let (chosen, findings) = match choose_sheet(name, &workbook, options.sheet.as_deref()) {
        Ok(chosen) => chosen,
        Err(refused) => return refused,
    };
    let marks = sheet_marks(bytes, &chosen, limits.workbook_uncompressed_bytes, limits.sheet_cells);
    if let Some(((row, column), index, count)) = &marks.missing_shared_string {
        let message = format!(
            "sheet `{chosen}`: cell {} refers to shared string `{index}`, but the workbook has {count}: the file is \
             damaged",
            cell_name(*row, *column)
        );
        return vec![
            Diagnostic::error("E319", "malformed-file", message)
                .with_span(Some(span(name, *row as usize + 1, *column as usize + 1)))
                .with_hint("open the file in Excel or LibreOffice, check the cell, and save it as .xlsx"),
        ];
    }
    if let Some(reference) = &marks.past_the_sheet {
        let message = format!(
            "sheet `{chosen}`: {reference} lies past the last row (1,048,576) or column (XFD) a sheet can have, or is \
             not a place on a sheet: the file is damaged, and its rows could be read at the wrong place"
        );
        return vec![
            Diagnostic::error("E319", "malformed-file", message)
                .with_span(Some(span(name, 1, 1)))
                .with_hint("open the file in Excel or LibreOffice, check the sheet, and save it as .xlsx"),
        ];
    }
    let merged = merged_cells(&mut workbook, &chosen);
    let mut sheet = SheetReader::new(name, catalogue, store, limits.diagnostics_per_code, marks, merged);
    sheet.loader.blank_form_rows = chosen == crate::template::DATA_SHEET;
    let mut cells = match workbook.worksheet_cells_reader(&chosen) {
        Ok(cells) => cells,
        Err(error) => return malformed(name, format!("sheet `{chosen}` cannot be read: {error}")),
    };
    let mut count = 0u64;
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(error) => {
                let line = sheet.row.map_or(1, |row| row as usize + 1);
                sheet.loader.findings.push(
                    Diagnostic::error("E319", "malformed-file", format!("sheet `{chosen}` cannot be read on: {error}"))
                        .with_span(Some(span(name, line, 1))),
                );
                break;
            }
        };
        count += 1;
        if count > limits.sheet_cells {
            let (row, _) = cell.get_position();
            let message = format!("sheet `{chosen}` has more than {} cells; reading stopped here", limits.sheet_cells);
            sheet.loader.findings.push(too_large(name, row as usize + 1, message));
            break;
        }
        let (row, column) = cell.get_position();
        if !sheet.add(row, column, cell.get_value()) {
            break;
        }
    }
    sheet.flush();
    if sheet.header_done {
        sheet.formulas.report_through(u32::MAX, &mut sheet.loader, |_| String::new());
    } else {
        sheet.loader.findings.push(
            Diagnostic::error("E316", "missing-column", format!("sheet `{chosen}` is empty; expected a header row"))
                .with_span(Some(span(name, 1, 1))),
        );
    }
    let mut diagnostics = findings;
    diagnostics.extend(sheet.hidden.warning(name, &chosen));
    diagnostics
        .extend(std::mem::replace(&mut sheet.loader.findings, super::budget::Findings::new(0)).finish(name, catalogue));
    diagnostics
}

/// The sheet to read: the one named, else the first visible worksheet; with a W338 warning naming the sheets not
/// read when there are others, or the diagnostics that refuse the workbook.
fn choose_sheet(
    name: &str,
    workbook: &Xlsx<Cursor<&[u8]>>,
    wanted: Option<&str>,
) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let sheets = workbook.sheets_metadata();
    // Sheet names are unique in a workbook, regardless of case (Excel refuses a second `Data`): a workbook with two is
    // damaged, and one of the two would never be read, without a word, as every sheet is found by its name.
    for (position, sheet) in sheets.iter().enumerate() {
        if let Some(again) = sheets[position + 1..].iter().find(|s| s.name.to_lowercase() == sheet.name.to_lowercase())
        {
            let message =
                format!("two sheets are named `{}` and `{}`: only one of them could be read", sheet.name, again.name);
            return Err(vec![
                Diagnostic::error("E319", "malformed-file", message)
                    .with_span(Some(span(name, 1, 1)))
                    .with_hint("rename one of the sheets in Excel (names differ in more than case) and save it again"),
            ]);
        }
    }
    // A name typed in decomposed Unicode (NFD, as some editors and macOS keep Vietnamese) is the sheet Excel shows
    // in composed form (NFC): the two look alike and are one name (review of 6 December, helper 2, F7).
    let composed = |text: &str| -> String { text.nfc().collect() };
    let chosen = match wanted {
        Some(wanted) => match sheets.iter().find(|s| s.name == wanted || composed(&s.name) == composed(wanted)) {
            Some(sheet) => sheet.name.clone(),
            None => {
                let names: Vec<String> = sheets.iter().map(|s| format!("`{}`", s.name)).collect();
                return Err(vec![
                    Diagnostic::error("E319", "malformed-file", format!("the workbook has no sheet `{wanted}`"))
                        .with_span(Some(span(name, 1, 1)))
                        .with_hint(format!("its sheets are {}", names.join(", "))),
                ]);
            }
        },
        None => {
            let visible = sheets.iter().find(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet);
            match visible {
                Some(sheet) => sheet.name.clone(),
                None => return Err(malformed(name, "the workbook has no visible worksheet".to_owned())),
            }
        }
    };
    // A workbook written by `tiendo template` holds its instructions and drop-down lists beside the data: they are
    // known not to be data.
    let template_part = |sheet: &str| {
        chosen == crate::template::DATA_SHEET
            && [crate::template::INSTRUCTIONS_SHEET, crate::template::LISTS_SHEET].contains(&sheet)
    };
    let others: Vec<String> = sheets
        .iter()
        .filter(|s| s.name != chosen && !template_part(&s.name))
        .map(|s| match s.visible {
            SheetVisible::Visible => format!("`{}`", s.name),
            _ => format!("`{}` (hidden)", s.name),
        })
        .collect();
    let mut findings = Vec::new();
    if !others.is_empty() {
        let how = if wanted.is_some() { "the sheet named in the project" } else { "the first visible sheet" };
        findings.push(
            Diagnostic::warning(
                "W338",
                "sheet-not-read",
                format!("read sheet `{chosen}`, {how}; not read: {}", others.join(", ")),
            )
            .with_span(Some(span(name, 1, 1)))
            .with_hint("keep one sheet of data per workbook, or move the others to a file of their own".to_owned()),
        );
    }
    Ok((chosen, findings))
}

/// The cells of merged ranges other than each range's first (top-left) cell, with the name of the range.
fn merged_cells(workbook: &mut Xlsx<Cursor<&[u8]>>, sheet: &str) -> BTreeMap<(u32, u32), String> {
    let mut covered = BTreeMap::new();
    let Some(Ok(ranges)) = workbook.worksheet_merge_cells(sheet) else { return covered };
    let mut budget = MAX_MERGED_CELLS;
    for range in ranges {
        let (top, left) = range.start;
        let (bottom, right) = range.end;
        let shown = format!("{}:{}", cell_name(top, left), cell_name(bottom, right));
        for row in top..=bottom {
            for column in left..=right {
                if (row, column) == (top, left) {
                    continue;
                }
                if budget == 0 {
                    return covered;
                }
                budget -= 1;
                covered.insert((row, column), shown.clone());
            }
        }
    }
    covered
}

/// Collects a sheet's cells row by row and hands each row to the row reader.
struct SheetReader<'a> {
    loader: RowLoader<'a, 'a>,
    header_done: bool,
    /// The row being collected, from 0, and its cells (column, text, format).
    row: Option<u32>,
    cells: Vec<(u32, String, CellFormat)>,
    /// The column of the row's last cell, blank or not: a cell at or before it is a cell given twice.
    column: Option<u32>,
    percent: HashSet<(u32, u32)>,
    some_percent: HashSet<(u32, u32)>,
    /// Cells formatted as a date or a time ([`SheetMarks::date`]).
    date: HashSet<(u32, u32)>,
    /// Number cells no `f64` holds, with their text ([`SheetMarks::unheld`]).
    unheld: BTreeMap<(u32, u32), String>,
    merged: BTreeMap<(u32, u32), String>,
    /// The sheet's hidden rows and columns, and those read.
    hidden: HiddenCells,
    /// The formula cells not read, until their row is.
    formulas: FormulaCells,
}

impl<'a> SheetReader<'a> {
    fn new(
        name: &'a str,
        catalogue: &'a Catalogue,
        store: &'a mut ObservationStore,
        per_code: usize,
        marks: SheetMarks,
        merged: BTreeMap<(u32, u32), String>,
    ) -> Self {
        let loader = RowLoader::new(name, catalogue, store, per_code);
        let hidden = HiddenCells::new(marks.hidden_rows, marks.hidden_columns);
        let (percent, some_percent, date, unheld) = (marks.percent, marks.some_percent, marks.date, marks.unheld);
        let formulas = FormulaCells::new(marks.formulas);
        SheetReader {
            loader,
            header_done: false,
            row: None,
            cells: Vec::new(),
            column: None,
            percent,
            some_percent,
            date,
            unheld,
            merged,
            hidden,
            formulas,
        }
    }

    /// Adds one cell; false when the sheet cannot be read on (its header is unusable, or cells go back up).
    fn add(&mut self, row: u32, column: u32, value: &DataRef<'_>) -> bool {
        if self.row != Some(row) {
            if self.row.is_some_and(|current| row < current) {
                let message = format!(
                    "the cells of row {} come after row {}: the sheet is damaged",
                    row + 1,
                    self.row.unwrap_or(0) + 1
                );
                self.loader.findings.push(
                    Diagnostic::error("E319", "malformed-file", message)
                        .with_span(Some(span(self.loader.name, row as usize + 1, 1)))
                        .with_hint("open the file in Excel and save it again".to_owned()),
                );
                return false;
            }
            if !self.flush() {
                return false;
            }
            self.row = Some(row);
            self.column = None;
        } else if let Some(last) = self.column.filter(|&last| column <= last) {
            // A row written twice (two `<row r="2">`) or a cell given twice (two `D2`): one of the two values would
            // be dropped without a word.
            let message = format!(
                "cell {} comes again after {}: the row or the cell is written twice, so one of its values would be \
                 lost; the sheet is damaged",
                cell_name(row, column),
                cell_name(row, last)
            );
            self.loader.findings.push(
                Diagnostic::error("E319", "malformed-file", message)
                    .with_span(Some(span(self.loader.name, row as usize + 1, column as usize + 1)))
                    .with_hint("open the file in Excel and save it again".to_owned()),
            );
            // The row is not read: which of its two values is the figure cannot be told.
            self.cells.clear();
            self.row = None;
            return false;
        }
        self.column = Some(column);
        let (mut text, format) = cell_text(value);
        if let Some(written) = self.unheld.remove(&(row, column)) {
            // The number as the file writes it (`1e-400`), which the value check refuses, never calamine's 0.
            text = written;
        }
        let format = if self.percent.contains(&(row, column)) {
            CellFormat::Percent
        } else if self.some_percent.contains(&(row, column)) {
            CellFormat::SomePercent
        } else if self.date.contains(&(row, column)) && matches!(value, DataRef::Float(_) | DataRef::Int(_)) {
            // A number shown as a date by a format calamine does not take for one (`"Ngày "dd/mm/yyyy`).
            CellFormat::Date
        } else {
            format
        };
        if !text.is_empty() {
            self.cells.push((column, text, format));
        }
        true
    }

    /// Reads the row collected so far; false when the header cannot be read.
    fn flush(&mut self) -> bool {
        let Some(row) = self.row.take() else { return true };
        let cells = std::mem::take(&mut self.cells);
        let line = row as usize + 1;
        if cells.is_empty() {
            if self.header_done {
                self.formulas.report_through(row, &mut self.loader, |_| String::new());
            }
            return true;
        }
        self.hidden.read(row, cells.iter().map(|(column, ..)| *column));
        let text =
            |column: u32| cells.iter().find(|cell| cell.0 == column).map(|cell| cell.1.clone()).unwrap_or_default();
        let formula_row = self.header_done && self.formulas.report_through(row, &mut self.loader, text);
        let width = if self.header_done {
            self.loader.columns.width
        } else {
            cells.iter().map(|c| c.0 as usize + 1).max().unwrap_or(0)
        };
        // A value beyond the header's last column would be lost: that cell is the error, without building a row as
        // wide as the sheet.
        if let Some((column, text, _)) = cells.iter().find(|(column, ..)| *column as usize >= width) {
            if self.header_done {
                let element = self.loader.columns.data_element() as u32;
                self.loader.row_of(
                    &cells.iter().find(|cell| cell.0 == element).map(|cell| cell.1.clone()).unwrap_or_default(),
                );
            }
            let message =
                format!("`{}` is beyond the header's last column and would be lost", super::cells::shown(text));
            let at = self.loader.error("E326", "row-width", line, *column as usize, message);
            self.loader.findings.hint(at, "move the value into its column, or give the column a name".to_owned());
            return true;
        }
        let mut fields = vec![String::new(); width];
        let mut formats = vec![CellFormat::Plain; width];
        for (column, text, format) in cells {
            formats[column as usize] = format;
            fields[column as usize] = text;
        }
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        if !self.header_done {
            self.header_done = true;
            self.formulas.past_header(row);
            return self.loader.header(&fields, line);
        }
        if formula_row {
            self.loader.refused(&fields);
            return true;
        }
        for (column, field) in fields.iter().enumerate() {
            let Some(range) = self.merged.get(&(row, column as u32)) else { continue };
            if !field.is_empty() {
                // Excel shows a merged range's first cell only: a figure under it is seen by no one (a file written
                // by a program can keep one there).
                let message = format!(
                    "the cell holds `{}` under the merged cells {range}, which show only their first cell: no one \
                     sees this figure",
                    super::cells::shown(field)
                );
                let at = self.loader.error("E336", "merged-cell", line, column, message);
                let hint = "unmerge the cells (Home > Merge & Center > Unmerge Cells) and check the figure in each";
                self.loader.findings.hint(at, hint.to_owned());
                self.loader.refused(&fields);
                return true;
            }
            if field.is_empty() {
                let message = format!("the cell is blank: it is part of the merged cells {range}");
                let at = self.loader.error("E336", "merged-cell", line, column, message);
                let hint = "merged cells keep their text in the first row only: unmerge them and fill the value into \
                            every row (Home > Merge & Center > Unmerge Cells, then fill down)";
                self.loader.findings.hint(at, hint.to_owned());
                self.loader.refused(&fields);
                return true;
            }
        }
        let (value, period) = self.loader.columns.value_and_period();
        let formats = RowFormats { value: formats[value], period: formats[period] };
        self.loader.row(&fields, line, formats);
        true
    }
}

/// A cell as the text the row reader reads, and its format where it changes the meaning of the number.
fn cell_text(value: &DataRef<'_>) -> (String, CellFormat) {
    match value {
        // Whole numbers show without a fraction so that a year typed as a number is a period id.
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (format!("{}", *f as i64), CellFormat::Plain),
        DataRef::Float(f) => (format!("{f}"), CellFormat::Plain),
        DataRef::Int(i) => (i.to_string(), CellFormat::Plain),
        DataRef::String(s) => (s.clone(), CellFormat::Plain),
        DataRef::SharedString(s) => ((*s).to_owned(), CellFormat::Plain),
        DataRef::Bool(b) => (b.to_string(), CellFormat::Plain),
        // A date cell (a submission date typed as a date) reads as the ISO date, not Excel's day number.
        DataRef::DateTime(date) if date.is_datetime() => {
            let (year, month, day, ..) = date.to_ymd_hms_milli();
            (format!("{year:04}-{month:02}-{day:02}"), CellFormat::Date)
        }
        DataRef::DateTime(duration) => (duration.as_f64().to_string(), CellFormat::Date),
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => (text.clone(), CellFormat::Date),
        DataRef::Error(error) => (format!("{error}"), CellFormat::Plain),
        DataRef::Empty => (String::new(), CellFormat::Plain),
    }
}
