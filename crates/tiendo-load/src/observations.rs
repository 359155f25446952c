//! Observations in tidy CSV or XLSX: one value per row.
//!
//! Columns (any order, names case-insensitive): `data_element`, `org_unit`, `period`, `value`, `source`,
//! optional `status` (`provisional` or `final`, blank = final) and `note`, plus one column per disaggregation
//! category named by the category id; a blank category cell means "total". Excel's UTF-8 byte-order mark,
//! CRLF line ends and Vietnamese text are accepted. A row with any error is left out and reported with
//! `file:row:column`; the other rows load.
//!
//! Diagnostic codes (stable): E310 unknown-data-element, E311 unknown-org-unit, E312 bad-period,
//! E313 non-numeric-value, E314 negative-count, E315 bad-status, E316 missing-column, E317 unknown-column,
//! E318 unknown-category-option, E319 malformed-file, E320 org-unit-not-valid (warning), E321 not-a-whole-number,
//! E322 missing-source. Duplicate keys (E301) are found across all files by
//! [`duplicate_diagnostics`].

use std::io::Cursor;

use tiendo_core::diagnostic::did_you_mean;
use tiendo_core::eval::store::{FastMap, NO_NOTE, Observation, ObservationStatus, ObservationStore};
use tiendo_core::eval::synthetic::{SYNTHETIC_NOTE, SYNTHETIC_SOURCE, SyntheticRow};
use tiendo_core::model::{Catalogue, Formula, ValueType};
use tiendo_core::{Diagnostic, Period, Span};

const REQUIRED: [&str; 5] = ["data_element", "org_unit", "period", "value", "source"];

/// Reads observations from `bytes` into `store`. `name` is the file name shown in diagnostics; a name
/// ending in `.xlsx` (or `.xls`, `.ods`) is read as a spreadsheet (first sheet), anything else as CSV.
pub fn read_observations(
    name: &str,
    bytes: &[u8],
    catalogue: &Catalogue,
    store: &mut ObservationStore,
) -> Vec<Diagnostic> {
    let lower = name.to_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xls") || lower.ends_with(".ods") {
        read_spreadsheet(name, bytes, catalogue, store)
    } else {
        read_csv(name, bytes, catalogue, store)
    }
}

/// Counts lines itself: the csv crate's record line numbers lag by one after CRLF line ends (it sees the `\n`
/// of `\r\n` as the start of the next record), and Excel writes CRLF.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The 1-based line of the record starting at byte `start`.
    fn line_at(&mut self, mut start: usize) -> usize {
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.offset {
            return self.line;
        }
        self.line += self.bytes[self.offset..start].iter().filter(|&&b| b == b'\n').count();
        self.offset = start;
        self.line
    }
}

/// Reads CSV observations from the bytes of a file.
pub fn read_csv(name: &str, bytes: &[u8], catalogue: &Catalogue, store: &mut ObservationStore) -> Vec<Diagnostic> {
    let mut csv_reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut lines = LineCounter { bytes, offset: 0, line: 1 };
    // One row a line: reserving up front avoids the vector's doubling, which would briefly hold three times
    // the observations at ten million rows.
    store.observations.reserve(bytes.iter().filter(|&&b| b == b'\n').count());
    let mut loader = RowLoader::new(name, catalogue, store);
    let mut record = csv::ByteRecord::new();
    let mut header_done = false;
    loop {
        match csv_reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let line = lines.line_at(error.position().map_or(0, |p| p.byte() as usize));
                loader.diagnostics.push(
                    Diagnostic::error("E319", "malformed-file", format!("the CSV cannot be read: {error}"))
                        .with_span(Some(span(name, line, 1))),
                );
                break;
            }
        }
        let line = lines.line_at(record.position().map_or(0, |p| p.byte() as usize));
        let mut fields: Vec<&str> = Vec::with_capacity(record.len());
        let mut utf8_ok = true;
        for (index, field) in record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(text) => fields.push(text),
                Err(_) => {
                    loader.diagnostics.push(
                        Diagnostic::error("E319", "malformed-file", "the cell is not valid UTF-8".to_owned())
                            .with_span(Some(span(name, line, index + 1)))
                            .with_hint("save the file as CSV UTF-8"),
                    );
                    utf8_ok = false;
                    break;
                }
            }
        }
        if !utf8_ok {
            continue;
        }
        if !header_done {
            header_done = true;
            if let Some(first) = fields.first_mut() {
                *first = first.trim_start_matches('\u{feff}');
            }
            if !loader.header(&fields, line) {
                break;
            }
            continue;
        }
        loader.row(&fields, line);
    }
    if !header_done {
        loader.diagnostics.push(
            Diagnostic::error("E316", "missing-column", "the file is empty; expected a header row")
                .with_span(Some(span(name, 1, 1))),
        );
    }
    loader.diagnostics
}

fn read_spreadsheet(name: &str, bytes: &[u8], catalogue: &Catalogue, store: &mut ObservationStore) -> Vec<Diagnostic> {
    use calamine::{Data, Reader};
    let malformed =
        |message: String| vec![Diagnostic::error("E319", "malformed-file", message).with_span(Some(span(name, 1, 1)))];
    let mut workbook = match calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        Err(error) => return malformed(format!("the spreadsheet cannot be read: {error}")),
    };
    let range = match workbook.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(error)) => return malformed(format!("the first sheet cannot be read: {error}")),
        None => return malformed("the workbook has no sheet".to_owned()),
    };
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut loader = RowLoader::new(name, catalogue, store);
    loader.column_offset = first_column as usize;
    let mut header_done = false;
    for (index, row) in range.rows().enumerate() {
        let line = first_row as usize + index + 1;
        let cells: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                // Whole numbers show without a fraction so that a year typed as a number is a period id.
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                other => other.to_string(),
            })
            .collect();
        let fields: Vec<&str> = cells.iter().map(String::as_str).collect();
        if !header_done {
            if fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            header_done = true;
            if !loader.header(&fields, line) {
                break;
            }
            continue;
        }
        loader.row(&fields, line);
    }
    if !header_done {
        loader.diagnostics.push(
            Diagnostic::error("E316", "missing-column", "the sheet is empty; expected a header row")
                .with_span(Some(span(name, 1, 1))),
        );
    }
    loader.diagnostics
}

fn span(file: &str, line: usize, column: usize) -> Span {
    Span { file: file.to_owned(), start: 0, end: 0, line, column }
}

/// Where each column is, once the header is read.
#[derive(Debug, Default)]
struct Columns {
    data_element: usize,
    org_unit: usize,
    period: usize,
    value: usize,
    source: usize,
    status: Option<usize>,
    note: Option<usize>,
    /// (column, category id)
    categories: Vec<(usize, String)>,
}

struct RowLoader<'a> {
    name: &'a str,
    catalogue: &'a Catalogue,
    store: &'a mut ObservationStore,
    file: u16,
    columns: Columns,
    column_offset: usize,
    /// Known element ids (data elements and directly reported indicators) and their value types.
    elements: FastMap<String, ValueType>,
    periods: FastMap<String, Option<u32>>,
    combos: FastMap<String, u32>,
    combo_key: String,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> RowLoader<'a> {
    fn new(name: &'a str, catalogue: &'a Catalogue, store: &'a mut ObservationStore) -> Self {
        let file = store.add_file(name);
        let mut elements: FastMap<String, ValueType> = FastMap::default();
        for element in catalogue.data_elements.values() {
            elements.insert(element.id.clone(), element.value_type);
        }
        for indicator in catalogue.indicators.values() {
            if matches!(indicator.formula, Formula::Reported) {
                elements.insert(indicator.id.clone(), ValueType::Number);
            }
        }
        RowLoader {
            name,
            catalogue,
            store,
            file,
            columns: Columns::default(),
            column_offset: 0,
            elements,
            periods: FastMap::default(),
            combos: FastMap::default(),
            combo_key: String::new(),
            diagnostics: Vec::new(),
        }
    }

    fn error(&mut self, code: &'static str, kind: &'static str, line: usize, column: usize, message: String) -> usize {
        let column = column + 1 + self.column_offset;
        self.diagnostics.push(Diagnostic::error(code, kind, message).with_span(Some(span(self.name, line, column))));
        self.diagnostics.len() - 1
    }

    fn hint(&mut self, index: usize, hint: String) {
        if let Some(diagnostic) = self.diagnostics.get_mut(index) {
            diagnostic.hints.push(hint);
        }
    }

    /// Reads the header; returns false when required columns are missing (nothing more can be read).
    fn header(&mut self, fields: &[&str], line: usize) -> bool {
        let names: Vec<String> = fields.iter().map(|f| f.trim().to_lowercase()).collect();
        let find = |wanted: &str| names.iter().position(|n| n == wanted);
        let mut missing = Vec::new();
        let mut positions = [0usize; 5];
        for (slot, wanted) in REQUIRED.iter().enumerate() {
            match find(wanted) {
                Some(position) => positions[slot] = position,
                None => missing.push(*wanted),
            }
        }
        for (index, name) in names.iter().enumerate() {
            if name.is_empty() || REQUIRED.contains(&name.as_str()) || name == "status" || name == "note" {
                continue;
            }
            if self.catalogue.categories.contains_key(name) {
                self.columns.categories.push((index, name.clone()));
            } else {
                let candidates: Vec<&str> = REQUIRED
                    .iter()
                    .copied()
                    .chain(["status", "note"])
                    .chain(self.catalogue.categories.keys().map(String::as_str))
                    .collect();
                let suggestion = did_you_mean(name, candidates).map(|s| format!("did you mean `{s}`?"));
                let at = self.error(
                    "E317",
                    "unknown-column",
                    line,
                    index,
                    format!("unknown column `{name}`: not an observation field nor a category id"),
                );
                self.hint(at, suggestion.unwrap_or_else(|| "remove the column or declare the category".to_owned()));
            }
        }
        if !missing.is_empty() {
            let at = self.error(
                "E316",
                "missing-column",
                line,
                0,
                format!("missing column{} {}", if missing.len() > 1 { "s" } else { "" }, missing.join(", ")),
            );
            self.hint(at, format!("the header must include {}", REQUIRED.join(", ")));
            return false;
        }
        self.columns.data_element = positions[0];
        self.columns.org_unit = positions[1];
        self.columns.period = positions[2];
        self.columns.value = positions[3];
        self.columns.source = positions[4];
        self.columns.status = find("status");
        self.columns.note = find("note");
        true
    }

    fn row(&mut self, fields: &[&str], line: usize) {
        if fields.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        let cell = |index: usize| fields.get(index).map_or("", |f| f.trim());
        let mut ok = true;

        let element_name = cell(self.columns.data_element);
        let value_type = self.elements.get(element_name).copied();
        if value_type.is_none() {
            let at = self.error(
                "E310",
                "unknown-data-element",
                line,
                self.columns.data_element,
                format!("unknown data element `{element_name}`"),
            );
            let keys = sorted_keys(&self.elements);
            if let Some(s) = did_you_mean(element_name, keys.iter().map(String::as_str)) {
                self.hint(at, format!("did you mean `{s}`?"));
            }
            ok = false;
        }

        let unit_name = cell(self.columns.org_unit);
        let unit = self.catalogue.org_units.get(unit_name);
        if unit.is_none() {
            let at = self.error(
                "E311",
                "unknown-org-unit",
                line,
                self.columns.org_unit,
                format!("unknown org unit `{unit_name}`"),
            );
            if let Some(s) = did_you_mean(unit_name, self.catalogue.org_units.keys().map(String::as_str)) {
                self.hint(at, format!("did you mean `{s}`?"));
            }
            ok = false;
        }

        let period_text = cell(self.columns.period);
        let period_index = match self.periods.get(period_text) {
            Some(cached) => *cached,
            None => {
                let parsed = Period::parse(period_text).ok().map(|p| self.store.intern_period(p));
                self.periods.insert(period_text.to_owned(), parsed);
                parsed
            }
        };
        if period_index.is_none() {
            let message = match Period::parse(period_text) {
                Err(error) => error.to_string(),
                Ok(_) => format!("`{period_text}` is not a period id"),
            };
            let at = self.error("E312", "bad-period", line, self.columns.period, message);
            self.hint(at, "use `2023`, `2023S1`, `2023Q1` or `2023-03`; type the cell as text in Excel".to_owned());
            ok = false;
        }

        if let (Some(unit), Some(period)) = (unit, period_index) {
            let period = self.store.periods[period as usize];
            let valid = unit.valid_from.is_none_or(|from| from <= period.end())
                && unit.valid_to.is_none_or(|to| period.start() <= to);
            if !valid {
                let column = self.column_offset + self.columns.org_unit + 1;
                let mut diagnostic = Diagnostic::warning(
                    "E320",
                    "org-unit-not-valid",
                    format!("`{unit_name}` did not exist during {period}"),
                )
                .with_span(Some(span(self.name, line, column)));
                if !unit.successors.is_empty() {
                    diagnostic = diagnostic.with_hint(format!("report it under {}", unit.successors.join(", ")));
                }
                self.diagnostics.push(diagnostic);
            }
        }

        let value_text = cell(self.columns.value);
        let value = match value_text.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                let at = self.error(
                    "E313",
                    "non-numeric-value",
                    line,
                    self.columns.value,
                    format!("value `{value_text}` is not a number"),
                );
                self.hint(at, "write plain numbers such as 1234 or 12.5, without thousands separators".to_owned());
                ok = false;
                None
            }
        };
        if let (Some(v), Some(value_type)) = (value, value_type) {
            match value_type {
                ValueType::Count if v < 0.0 => {
                    self.error(
                        "E314",
                        "negative-count",
                        line,
                        self.columns.value,
                        format!("count `{value_text}` is negative"),
                    );
                    ok = false;
                }
                ValueType::Count if v.fract() != 0.0 => {
                    self.error(
                        "E321",
                        "not-a-whole-number",
                        line,
                        self.columns.value,
                        format!("count `{value_text}` is not a whole number"),
                    );
                    ok = false;
                }
                ValueType::Boolean if v != 0.0 && v != 1.0 => {
                    self.error(
                        "E321",
                        "not-a-whole-number",
                        line,
                        self.columns.value,
                        format!("`{value_text}` is not 0 or 1"),
                    );
                    ok = false;
                }
                _ => {}
            }
        }

        let source = cell(self.columns.source);
        if source.is_empty() {
            let at = self.error("E322", "missing-source", line, self.columns.source, "the source is empty".to_owned());
            self.hint(at, "every figure must name the source id it comes from".to_owned());
            ok = false;
        }

        let status = match self.columns.status {
            Some(column) => match ObservationStatus::parse(cell(column)) {
                Some(status) => status,
                None => {
                    self.error(
                        "E315",
                        "bad-status",
                        line,
                        column,
                        format!("status `{}` is neither `provisional` nor `final`", cell(column)),
                    );
                    ok = false;
                    ObservationStatus::Final
                }
            },
            None => ObservationStatus::Final,
        };

        // Disaggregation: validate and intern the combination, caching by the joined options.
        let mut combo = 0;
        if !self.columns.categories.is_empty() {
            self.combo_key.clear();
            for (column, _) in &self.columns.categories {
                self.combo_key.push_str(cell(*column));
                self.combo_key.push('\u{1f}');
            }
            if let Some(&cached) = self.combos.get(&self.combo_key) {
                combo = cached;
            } else {
                let mut pairs: Vec<(&str, &str)> = Vec::new();
                let mut combo_ok = true;
                let categories = std::mem::take(&mut self.columns.categories);
                for (column, category_id) in &categories {
                    let option = cell(*column);
                    if option.is_empty() {
                        continue;
                    }
                    let category = &self.catalogue.categories[category_id];
                    if !category.options.iter().any(|o| o.id == option) {
                        let at = self.error(
                            "E318",
                            "unknown-category-option",
                            line,
                            *column,
                            format!("`{option}` is not an option of category `{category_id}`"),
                        );
                        let options: Vec<&str> = category.options.iter().map(|o| o.id.as_str()).collect();
                        self.hint(at, format!("options: {}", options.join(", ")));
                        combo_ok = false;
                    } else {
                        pairs.push((category_id.as_str(), option));
                    }
                }
                if combo_ok {
                    combo = self.store.intern_combo(&pairs);
                    self.combos.insert(self.combo_key.clone(), combo);
                } else {
                    ok = false;
                }
                self.columns.categories = categories;
            }
        }

        if !ok {
            return;
        }
        let (Some(value), Some(period)) = (value, period_index) else { return };
        let note = self.columns.note.map(cell).filter(|n| !n.is_empty());
        let observation = Observation {
            element: self.store.elements.intern(element_name),
            org_unit: self.store.org_units.intern(unit_name),
            period,
            combo,
            source: self.store.sources.intern(source),
            note: note.map_or(NO_NOTE, |n| self.store.notes.intern(n)),
            row: u32::try_from(line).unwrap_or(u32::MAX),
            file: self.file,
            status,
            value,
        };
        self.store.push_interned(observation);
    }
}

fn sorted_keys(map: &FastMap<String, ValueType>) -> Vec<String> {
    let mut keys: Vec<String> = map.keys().cloned().collect();
    keys.sort();
    keys
}

pub use tiendo_core::eval::store::duplicate_diagnostics;

/// Writes synthetic rows as an observation CSV, every row labelled with the synthetic source and note.
pub fn write_synthetic_csv<'a>(rows: impl IntoIterator<Item = SyntheticRow<'a>>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let header = ["data_element", "org_unit", "period", "value", "source", "status", "note"];
    // Writing to a Vec cannot fail: the only errors csv reports come from the underlying writer.
    writer.write_record(header).expect("writing to memory cannot fail");
    let mut value = String::new();
    for row in rows {
        value.clear();
        use std::fmt::Write;
        let _ = write!(value, "{}", row.value);
        let period = row.period.to_string();
        writer
            .write_record([row.element, row.org_unit, &period, &value, SYNTHETIC_SOURCE, "final", SYNTHETIC_NOTE])
            .expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("flushing to memory cannot fail")
}

/// The example project's synthetic file `examples/vietnam-2021-2025/data/provinces-synthetic.csv`: every
/// province-level unit of [`tiendo_core::eval::synthetic::vietnam_org_units`], quarterly 2021-2025, seed
/// [`tiendo_core::eval::synthetic::EXAMPLE_SEED`].
pub fn example_synthetic_csv() -> Vec<u8> {
    use tiendo_core::eval::synthetic;
    use tiendo_core::model::OrgUnitLevel;
    let units: Vec<_> =
        synthetic::vietnam_org_units().into_iter().filter(|u| u.level == OrgUnitLevel::Province).collect();
    let mut rows = Vec::new();
    synthetic::generate(synthetic::EXAMPLE_SEED, &units, 2021..=2025, tiendo_core::PeriodType::Quarter, |row| {
        rows.push(row)
    });
    write_synthetic_csv(rows)
}

/// `n` synthetic observations as CSV for benchmarks: monthly data 2021-2025 of the communes of
/// [`tiendo_core::eval::synthetic::benchmark_catalogue`], cut at `n` rows. Returns the catalogue and the bytes.
pub fn benchmark_csv(n: usize) -> (Catalogue, Vec<u8>) {
    use tiendo_core::eval::synthetic;
    let per_commune = 60 * synthetic::ELEMENTS.len();
    let catalogue = synthetic::benchmark_catalogue(n.div_ceil(per_commune).max(1));
    let communes = synthetic::benchmark_communes(&catalogue);
    let mut rows = Vec::with_capacity(n);
    synthetic::generate(7, &communes, 2021..=2025, tiendo_core::PeriodType::Month, |row| {
        if rows.len() < n {
            rows.push(row);
        }
    });
    let bytes = write_synthetic_csv(rows);
    (catalogue, bytes)
}
