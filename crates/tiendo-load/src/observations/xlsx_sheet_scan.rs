//! The one reading of a data sheet's part that finds what calamine does not tell about its cells: which have a
//! percent number format, which rows and columns are hidden, which formula cells keep no result or one the workbook
//! says may be stale (E346), and the first cell that refers to a shared string the workbook does not have (calamine
//! 0.31 would index its strings with it unchecked).

use std::collections::{BTreeMap, HashSet};

use quick_xml::events::BytesStart;

use super::xlsx_parts::{attribute, cell_position};

/// What a sheet's part says of its cells that calamine does not: which have a percent number format, which rows
/// and columns are hidden (rows from 0; columns as ranges from 0, both ends included), and the formula cells whose
/// number is not known to be the formula's result.
#[derive(Debug, Default)]
pub(crate) struct SheetMarks {
    pub percent: HashSet<(u32, u32)>,
    /// Cells whose number format shows some numbers as percentages and others not (`[<1]0%;0`).
    pub some_percent: HashSet<(u32, u32)>,
    /// Cells whose number format shows a number as a date or a time, which calamine may read as a day number.
    pub date: HashSet<(u32, u32)>,
    /// Number cells whose text no `f64` holds (`1e-400` would be 0, `1e400` infinite), with that text: the value
    /// check reads it instead of calamine's number, and refuses it as in a CSV file (E324).
    pub unheld: BTreeMap<(u32, u32), String>,
    pub hidden_rows: HashSet<u32>,
    pub hidden_columns: Vec<(u32, u32)>,
    pub formulas: BTreeMap<(u32, u32), FormulaResult>,
    /// The first cell that refers to a shared string the workbook does not have (its position, what it refers to,
    /// and how many there are): a damaged file, refused before calamine reads it (calamine 0.31 panics on it).
    pub missing_shared_string: Option<((u32, u32), String, usize)>,
    /// The first row number or cell reference past the last row or column a sheet can have (1,048,576 rows and
    /// 16,384 columns, `XFD`: ECMA-376 Part 1, 18.3.1.73 and 18.3.1.4, and Excel's specification), or that is not a
    /// row number at all: a damaged file, whose rows calamine would read at a wrapped-around number (row
    /// 4,294,967,299 as row 3).
    pub past_the_sheet: Option<String>,
}

/// The last row and column (from 1) a sheet can have.
const LAST_ROW: u64 = 1_048_576;
const LAST_COLUMN: u64 = 16_384;

/// Whether a cell reference (`D2`) lies on the sheet: letters then digits, within its last column and row.
fn on_the_sheet(reference: &str) -> bool {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    let column = reference[..letters].bytes().try_fold(0u64, |n, b| {
        let n = n * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1);
        (n <= LAST_COLUMN).then_some(n)
    });
    letters > 0
        && column.is_some()
        && reference[letters..].parse::<u64>().is_ok_and(|row| (1..=LAST_ROW).contains(&row))
}

/// Why the number a formula cell holds is not taken as the formula's result (E346).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormulaResult {
    /// The cell keeps no result (`<f>` without `<v>`): the workbook was written by a program that does not
    /// calculate (openpyxl, for one).
    NotSaved,
    /// The cell keeps a result, but the workbook says it may be stale.
    Stale(Staleness),
}

/// Why a workbook says the results its formula cells keep may be stale (ECMA-376 Part 1, 18.2.2 calcPr).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Staleness {
    /// It asks to be recalculated in full when opened (`fullCalcOnLoad`), as the programs that write workbooks
    /// without calculating do (XlsxWriter, rust_xlsxwriter and openpyxl save 0 as every formula's result).
    RecalculateOnOpening,
    /// It calculates by hand and was saved without calculating (`calcMode="manual"`, `calcOnSave="0"`).
    SavedUncalculated,
}

/// What the workbook's other parts say that the scan of a sheet needs.
pub(crate) struct Workbook {
    /// The indexes of the cell styles that show a percentage.
    pub percent_styles: HashSet<usize>,
    /// The indexes of the cell styles that show some numbers as percentages and others not.
    pub some_percent_styles: HashSet<usize>,
    /// The indexes of the cell styles that show a number as a date or a time.
    pub date_styles: HashSet<usize>,
    /// Why the results formula cells keep may be stale, if the workbook says they may.
    pub results_stale: Option<Staleness>,
    /// How many shared strings the workbook has.
    pub shared_strings: usize,
}

/// The formula cell being read: its position, and whether it keeps a result.
struct FormulaSeen {
    position: (u32, u32),
    result: bool,
}

/// The state of the scan, fed the sheet part's tags in order ([`SheetScan::open`], [`SheetScan::text`],
/// [`SheetScan::close`]); what it found is in `marks`.
pub(crate) struct SheetScan {
    pub marks: SheetMarks,
    workbook: Workbook,
    max_cells: u64,
    /// Cells and rows seen, and the last row (from 0).
    seen: u64,
    rows: u64,
    last_row: Option<u32>,
    /// The open cell (a cell's children are its formula `f`, its result `v` or inline text `is`, and their parts),
    /// the column of the last cell, and the formula in the open cell.
    in_cell: Option<(u32, u32)>,
    column: Option<u32>,
    formula: Option<FormulaSeen>,
    /// Whether the open cell holds a shared string (`t="s"`) or a number (no `t`, or `t="n"`), whether its `v` is
    /// open, and the text of that `v`.
    shared: bool,
    number: bool,
    in_value: bool,
    index: String,
}

impl SheetScan {
    pub fn new(workbook: Workbook, max_cells: u64) -> Self {
        SheetScan {
            marks: SheetMarks::default(),
            workbook,
            max_cells,
            seen: 0,
            rows: 0,
            last_row: None,
            in_cell: None,
            column: None,
            formula: None,
            shared: false,
            number: false,
            in_value: false,
            index: String::new(),
        }
    }

    /// An element starts (`empty`: and ends, with no children).
    pub fn open(&mut self, element: &BytesStart<'_>, empty: bool) {
        match element.local_name().as_ref() {
            b"c" => self.open_cell(element, empty),
            b"f" => self.formula = self.in_cell.map(|position| FormulaSeen { position, result: false }),
            // An inline string is a result; a `v` is one once it holds text (openpyxl writes `<v></v>` or `<v/>`).
            b"is" => {
                if let Some(formula) = &mut self.formula {
                    formula.result = true;
                }
            }
            b"v" => self.in_value = !empty,
            b"row" => self.open_row(element),
            b"col" if hidden(element) => {
                let bound = |name: &[u8]| attribute(element, name).and_then(|n| n.parse::<u32>().ok()?.checked_sub(1));
                if let (Some(min), Some(max)) = (bound(b"min"), bound(b"max")) {
                    self.marks.hidden_columns.push((min, max));
                }
            }
            _ => {}
        }
    }

    fn open_cell(&mut self, element: &BytesStart<'_>, empty: bool) {
        self.seen += 1;
        // `r` is optional: a cell without it follows the one before in its row.
        let after = self.column.map_or(0, |column| column.saturating_add(1));
        let reference = attribute(element, b"r");
        if let Some(reference) = reference.as_deref().filter(|r| !on_the_sheet(r)) {
            self.marks.past_the_sheet.get_or_insert_with(|| reference.to_owned());
        }
        let position =
            reference.and_then(|reference| cell_position(&reference)).or_else(|| self.last_row.map(|row| (row, after)));
        let counted = self.seen <= self.max_cells;
        self.column = position.map(|(_, column)| column);
        self.in_cell = position.filter(|_| !empty && counted);
        let kind = attribute(element, b"t");
        self.shared = !empty && kind.as_deref() == Some("s");
        self.number = !empty && kind.as_deref().is_none_or(|t| t == "n");
        let workbook = &self.workbook;
        let (styles, some, dates) = (&workbook.percent_styles, &workbook.some_percent_styles, &workbook.date_styles);
        let style = || attribute(element, b"s").and_then(|s| s.parse::<usize>().ok());
        if counted
            && !(styles.is_empty() && some.is_empty() && dates.is_empty())
            && let (Some(style), Some(position)) = (style(), position)
        {
            if styles.contains(&style) {
                self.marks.percent.insert(position);
            } else if some.contains(&style) {
                self.marks.some_percent.insert(position);
            } else if dates.contains(&style) {
                self.marks.date.insert(position);
            }
        }
    }

    fn open_row(&mut self, element: &BytesStart<'_>) {
        self.rows += 1;
        self.column = None;
        // `r` is optional: a row without it follows the one before.
        let number = attribute(element, b"r");
        if let Some(number) = number.as_deref().filter(|r| !r.parse::<u64>().is_ok_and(|r| (1..=LAST_ROW).contains(&r)))
        {
            self.marks.past_the_sheet.get_or_insert_with(|| format!("row {number}"));
        }
        let row = number.and_then(|r| r.parse::<u32>().ok()).and_then(|r| r.checked_sub(1));
        let row = row.unwrap_or_else(|| self.last_row.map_or(0, |last| last.saturating_add(1)));
        self.last_row = Some(row);
        if self.rows <= self.max_cells && hidden(element) {
            self.marks.hidden_rows.insert(row);
        }
    }

    /// Text, as it stands in the file.
    pub fn text(&mut self, text: &[u8]) {
        if !self.in_value {
            return;
        }
        if let Some(formula) = &mut self.formula {
            formula.result |= !text.trim_ascii().is_empty();
        }
        if self.shared || self.number {
            self.index.push_str(&String::from_utf8_lossy(text));
        }
    }

    /// The element `name` (local name) ends.
    pub fn close(&mut self, name: &[u8]) {
        match name {
            b"v" => self.close_value(),
            b"c" => {
                (self.in_cell, self.shared, self.number, self.in_value) = (None, false, false, false);
                let untrusted = match self.formula.take() {
                    Some(FormulaSeen { position, result: false }) => Some((position, FormulaResult::NotSaved)),
                    Some(FormulaSeen { position, result: true }) => {
                        self.workbook.results_stale.map(|why| (position, FormulaResult::Stale(why)))
                    }
                    _ => None,
                };
                self.marks.formulas.extend(untrusted);
            }
            _ => {}
        }
    }

    /// A `v` ends: a shared string it refers to must exist, and a number's text must be one an `f64` holds.
    fn close_value(&mut self) {
        self.in_value = false;
        let index = std::mem::take(&mut self.index);
        if self.number
            && let Some(position) = self.in_cell
            && let Ok(value) = index.trim().parse::<f64>()
        {
            let mantissa = index.split(['e', 'E']).next().unwrap_or_default();
            if value.is_infinite() || (value == 0.0 && mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b))) {
                self.marks.unheld.insert(position, index.trim().to_owned());
            }
            return;
        }
        let count = self.workbook.shared_strings;
        let refers = index.bytes().all(|b| b.is_ascii_digit()).then(|| index.parse::<usize>().ok()).flatten();
        if self.shared
            && self.marks.missing_shared_string.is_none()
            && refers.is_none_or(|refers| refers >= count)
            && let Some(position) = self.in_cell
        {
            self.marks.missing_shared_string = Some((position, index, count));
        }
    }
}

/// Whether a row or column element is hidden: marked so, or of no height (`ht="0"`, a row) or no width
/// (`width="0"`, a column), which no one sees either (some tools hide that way).
fn hidden(element: &BytesStart<'_>) -> bool {
    let zero = |name: &[u8]| attribute(element, name).and_then(|v| v.trim().parse::<f64>().ok()) == Some(0.0);
    matches!(attribute(element, b"hidden").as_deref(), Some("1" | "true")) || zero(b"ht") || zero(b"width")
}
