//! The rules of a header and of a record: which columns there are (each once), that every row has a cell for every
//! column and none beyond, and the checks of one row's cells, which are then stored.

use tiendo_core::diagnostic::did_you_mean;
use tiendo_core::eval::duplicates::{combo_hash, key_hash};
use tiendo_core::eval::row_note;
use tiendo_core::eval::store::{NO_NOTE, Observation, ObservationStatus, ObservationStore, Place};
use tiendo_core::model::{Catalogue, OrgUnit};
use tiendo_core::{Diagnostic, Span};

use super::budget::{Among, Findings};
use super::cells::{self, CellFormat, Problem, ValueKind, shown, trim_cell};
use super::columns::{Columns, OPTIONAL, REQUIRED};
use super::fit::{self, Fitting};
use super::intern::{Interner, Known, OwnCells, PeriodDays, Recent};
use super::{sniff, span, withheld};
use chrono::NaiveDate;
use tiendo_core::model::ValueType;

/// How the cells of one workbook row were formatted, where it matters; CSV rows are all plain.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RowFormats {
    pub value: CellFormat,
    pub period: CellFormat,
}

#[cfg(test)]
thread_local! {
    /// Set by tests to read a file with every own cell checked (the general path), to compare with the comparison.
    pub(crate) static OWN_CELLS_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

pub(crate) struct RowLoader<'a, 's> {
    pub name: &'a str,
    catalogue: &'a Catalogue,
    store: &'s mut ObservationStore,
    file: u16,
    pub columns: Columns,
    /// Added to every column shown: the first column of a sheet's used range.
    pub column_offset: usize,
    interner: Interner<'a>,
    pub findings: Findings,
    /// The cap on a line's length, for the message when a line passes it.
    pub max_record: usize,
    /// `Some` when rows are checked for `tiendo check` and not stored: each good row leaves only its key hash
    /// ([`tiendo_core::eval::duplicates::key_hash`]) here, taken from what its cells were looked up as.
    pub keys: Option<Vec<u64>>,
    /// The previous row's note and its id in the store: files repeat it row after row (W2: every row).
    last_note: Recent<u32>,
    /// The own cells of the last row whose own cells passed, and what they gave ([`RowLoader::row_in_place`]).
    own: OwnCells,
    /// The key hash part of each disaggregation id handed out so far ([`tiendo_core::eval::duplicates::combo_hash`]).
    combo_keys: Vec<u64>,
    /// Rows are the lines of a `tiendo template` form: a row with its ids and nothing else filled in is a figure
    /// not reported (completeness counts it as missing), not an error.
    pub blank_form_rows: bool,
    /// The element and breakdown pairs found to fit ([`fit`], E341).
    fitting: Fitting,
    /// The row being read is of a sensitive element: its diagnostics quote no cell with a digit ([`withheld`]).
    sensitive_row: bool,
}

impl<'a, 's> RowLoader<'a, 's> {
    pub fn new(name: &'a str, catalogue: &'a Catalogue, store: &'s mut ObservationStore, per_code: usize) -> Self {
        Self::with_interner(name, catalogue, store, per_code, Interner::new(catalogue))
    }

    /// A loader whose lookups start from `interner`'s caches: those of earlier pieces read into the same `store`
    /// ([`RowLoader::into_interner`]), so that a thread checking piece after piece looks each period, unit and
    /// element up once, not once a piece.
    pub fn with_interner(
        name: &'a str,
        catalogue: &'a Catalogue,
        store: &'s mut ObservationStore,
        per_code: usize,
        interner: Interner<'a>,
    ) -> Self {
        let file = store.add_file(name);
        RowLoader {
            name,
            catalogue,
            store,
            file,
            columns: Columns::default(),
            column_offset: 0,
            interner,
            findings: Findings::new(per_code),
            max_record: crate::records::DEFAULT_MAX_RECORD_BYTES,
            keys: None,
            last_note: Recent::new(),
            own: OwnCells::default(),
            combo_keys: Vec::new(),
            blank_form_rows: false,
            fitting: Fitting::default(),
            sensitive_row: false,
        }
    }

    /// The lookup caches, for the next loader reading into the same store ([`RowLoader::with_interner`]).
    pub fn into_interner(self) -> Interner<'a> {
        self.interner
    }

    fn at(&self, line: usize, column: usize) -> Span {
        span(self.name, line, column + 1 + self.column_offset)
    }

    /// Reports an error at 0-based `column`; returns its index for hints, if it was kept.
    pub fn error(
        &mut self,
        code: &'static str,
        kind: &'static str,
        line: usize,
        column: usize,
        message: String,
    ) -> Option<usize> {
        let message = if self.sensitive_row { withheld::scrub(&message) } else { message };
        let diagnostic = Diagnostic::error(code, kind, message).with_span(Some(self.at(line, column)));
        self.findings.push(diagnostic)
    }

    /// Adds `hint` to diagnostic `at`, quoting no cell of a sensitive element's row ([`withheld`]).
    fn hint(&mut self, at: Option<usize>, hint: String) {
        let hint = if self.sensitive_row { withheld::scrub(&hint) } else { hint };
        self.findings.hint(at, hint);
    }

    /// Whether the row whose element cell is `element` is of a sensitive element, for diagnostics raised before the
    /// row's cells are read (its width, a workbook cell beyond the header).
    #[cold]
    pub(crate) fn row_of(&mut self, element: &str) {
        self.sensitive_row = self.interner.element(element).is_some_and(|e| e.info.sensitive);
    }

    #[cold]
    #[inline(never)]
    fn problem(&mut self, problem: Problem, line: usize, column: usize) {
        let at = self.error(problem.code, problem.name, line, column, problem.message);
        if let Some(hint) = problem.hint {
            self.hint(at, hint);
        }
    }

    /// Reads the header; returns false when nothing more can be read (required columns missing, a column twice).
    pub fn header(&mut self, fields: &[&str], line: usize) -> bool {
        let names: Vec<String> = fields.iter().map(|f| f.trim().to_lowercase()).collect();
        self.columns.width = names.len();
        let find = |wanted: &str| names.iter().position(|n| n == wanted);
        let mut usable = true;
        // A header of one cell holding `;` or tabs is another separator: E316 says so, and its one "column" is no
        // unknown column of its own.
        let other_separator = sniff::separator_hint(fields).is_some();
        for (index, name) in names.iter().enumerate() {
            if name.is_empty() {
                self.columns.unnamed.push(index);
                continue;
            }
            if let Some(first) = names[..index].iter().position(|n| n == name) {
                self.duplicate_column(name, (index, first), line);
                usable = false;
                continue;
            }
            if REQUIRED.contains(&name.as_str()) || OPTIONAL.contains(&name.as_str()) || other_separator {
                continue;
            }
            if self.catalogue.categories.contains_key(name) {
                self.columns.categories.push((index, name.clone()));
            } else {
                self.unknown_column(name, index, line);
            }
        }
        let missing: Vec<&str> = REQUIRED.iter().copied().filter(|wanted| find(wanted).is_none()).collect();
        if !missing.is_empty() {
            let at = self.error(
                "E316",
                "missing-column",
                line,
                0,
                format!("missing column{} {}", if missing.len() > 1 { "s" } else { "" }, missing.join(", ")),
            );
            let hint = sniff::separator_hint(fields)
                .unwrap_or_else(|| format!("the header must include {}", REQUIRED.join(", ")));
            self.hint(at, hint);
            return false;
        }
        let position = |wanted: &str| find(wanted).unwrap_or_default();
        self.columns.data_element = position("data_element");
        self.columns.org_unit = position("org_unit");
        self.columns.period = position("period");
        self.columns.value = position("value");
        self.columns.source = position("source");
        self.columns.status = find("status");
        self.columns.note = find("note");
        self.columns.note_vi = find("note_vi");
        self.columns.note_en = find("note_en");
        self.columns.submitted = find("submitted");
        self.columns.repeated = self.columns.own_cells();
        #[cfg(test)]
        if OWN_CELLS_OFF.with(std::cell::Cell::get) {
            self.columns.repeated = None;
        }
        usable
    }

    /// E327 for header cell `index`, whose name the cell `first` already has.
    fn duplicate_column(&mut self, name: &str, (index, first): (usize, usize), line: usize) {
        let message =
            format!("column `{}` appears twice (first in column {})", shown(name), first + 1 + self.column_offset);
        let at = self.error("E327", "duplicate-column", line, index, message);
        self.hint(at, "keep one column of each name: tiendo cannot tell which one holds the data".to_owned());
    }

    /// E317 for header cell `index`, a name that is neither an observation field nor a category id, with the
    /// nearest of those as the hint.
    fn unknown_column(&mut self, name: &str, index: usize, line: usize) {
        let candidates: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .chain(OPTIONAL)
            .chain(self.catalogue.categories.keys().map(String::as_str))
            .collect();
        let suggestion = did_you_mean(name, candidates).map(|s| format!("did you mean `{s}`?"));
        let message = format!("unknown column `{}`: not an observation field nor a category id", shown(name));
        let at = self.error("E317", "unknown-column", line, index, message);
        let hint = suggestion.unwrap_or_else(|| "remove the column or declare the category".to_owned());
        self.hint(at, hint);
    }

    /// Whether a row wider than the header, with blank cells only beyond it, does not hold a number split by a comma:
    /// a value of digits and a next cell of digits alone (`1,250,` under `…,value,note`: `1` and a note of `250`)
    /// are one number whose thousands or decimal comma shifted the row, which the blank cell at its end hides (review
    /// of 6 December, helper 2, F2). Reports E326 and returns false for such a row.
    #[inline(never)]
    fn not_split(&mut self, fields: &[&str], line: usize) -> bool {
        let value = self.columns.value;
        let digits = |cell: &str| {
            let cell = cell.trim().strip_prefix('-').unwrap_or(cell.trim());
            !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit())
        };
        let (Some(number), Some(next)) = (fields.get(value), fields.get(value + 1)) else { return true };
        if !(digits(number) && digits(next)) {
            return true;
        }
        let message = format!(
            "the row has {} cells, the header {}: `{}` and `{}` look like one number split by a comma (`{},{}`)",
            fields.len(),
            self.columns.width,
            shown(number),
            shown(next),
            shown(number.trim()),
            shown(next.trim())
        );
        let at = self.error("E326", "row-width", line, value, message);
        self.hint(
            at,
            "a thousands or decimal comma splits a number into two cells: write `1250` or `12.5`, or quote the cell"
                .to_owned(),
        );
        false
    }

    /// Checks that a row has a cell for every column and no value beyond them or under a column without a name;
    /// returns false (after reporting) otherwise. Blank cells beyond the header lose nothing and are allowed, unless
    /// they hide a number split by a comma ([`Self::not_split`]).
    #[inline(never)]
    fn width(&mut self, fields: &[&str], line: usize) -> bool {
        let width = self.columns.width;
        if fields.len() < width {
            let at = self.error(
                "E326",
                "row-width",
                line,
                fields.len().saturating_sub(1),
                format!("the row has {} cells, the header {}", fields.len(), width),
            );
            self.hint(at, "every row has a cell for every column, blank ones included (`a,,c`)".to_owned());
            return false;
        }
        let beyond = fields[width..].iter().position(|cell| !cell.trim().is_empty()).map(|index| width + index);
        let unnamed = self.columns.unnamed.iter().copied().find(|&index| !fields[index].trim().is_empty());
        let Some(column) = unnamed.into_iter().chain(beyond).min() else {
            return fields.len() == width || self.not_split(fields, line);
        };
        let extra: Vec<String> = fields[column..]
            .iter()
            .enumerate()
            .filter(|(index, cell)| {
                !cell.trim().is_empty() && (column + index >= width || self.columns.unnamed.contains(&(column + index)))
            })
            .take(3)
            .map(|(_, cell)| format!("`{}`", shown(cell)))
            .collect();
        let message = if fields.len() > width {
            format!("the row has {} cells, the header {}: {} would be lost", fields.len(), width, extra.join(", "))
        } else {
            format!("{} is in a column without a name and would be lost", extra.join(", "))
        };
        let at = self.error("E326", "row-width", line, column, message);
        self.hint(
            at,
            "a decimal comma splits a number into two cells: write `12.5`, not `12,5`; quote cells that hold a comma \
             (\"a, b\"), or name the column"
                .to_owned(),
        );
        false
    }

    /// Reads one row: every problem is reported, and a row without any is stored.
    pub fn row(&mut self, fields: &[&str], line: usize, formats: RowFormats) {
        self.row_in_place(fields, line, formats, None);
    }

    /// [`RowLoader::row`], for a row whose cells were cut from one text: `own` is the text of its source, status,
    /// note and submitted cells ([`Columns::repeated`]) from the byte before the first to the byte after the last.
    /// When it is the same, byte for byte, as that of the last row whose own cells all passed their checks, the
    /// cells are the same (the same bytes split the same way), and so is what their checks gave: it is taken over
    /// instead of being checked again.
    pub fn row_in_place(&mut self, fields: &[&str], line: usize, formats: RowFormats, own: Option<&str>) {
        self.sensitive_row = false;
        if fields.iter().all(|f| trim_cell(f).is_empty()) {
            return;
        }
        if fields.len() != self.columns.width || !self.columns.unnamed.is_empty() {
            self.row_of(fields.get(self.columns.data_element).map_or("", |f| trim_cell(f)));
        }
        if (fields.len() != self.columns.width || !self.columns.unnamed.is_empty()) && !self.width(fields, line) {
            self.refused(fields);
            return;
        }
        let cell = |index: usize| fields.get(index).map_or("", |f| trim_cell(f));
        if self.blank_form_rows && self.columns.filled(&cell).is_none() {
            return;
        }
        let mut ok = true;

        let element_name = cell(self.columns.data_element);
        let element = self.element(element_name, line);
        self.sensitive_row = element.is_some_and(|e| e.info.sensitive);
        ok &= element.is_some();
        let unit_name = cell(self.columns.org_unit);
        let unit = self.unit(unit_name, line);
        ok &= unit.is_some();

        let period_text = cell(self.columns.period);
        let period = self.period(period_text, line, formats.period);
        ok &= period.is_some();
        if let (Some(unit), Some(period)) = (&unit, &period) {
            self.validity(unit.info, unit_name, &period.info, line);
        }

        // An unknown element's value is still checked as a number, so that one run reports every problem.
        let kind = element
            .map_or(ValueKind { value_type: ValueType::Number, percent: false, levels: None, sensitive: false }, |e| {
                e.info
            });
        let value = self.value(cell(self.columns.value), kind, formats.value, line);
        ok &= value.is_some();

        let source = cell(self.columns.source);
        let own_results = self.own_cells(&cell, own, line);
        // Whether the kept own cells are this row's, to keep their store ids too.
        let current = own.is_some() && self.own.valid;
        ok &= own_results.is_some();

        let combo = self.combo(&cell, line);
        ok &= combo.is_some();

        if !ok {
            self.refused(fields);
            return;
        }
        let (
            Some(value),
            Some(element),
            Some(unit),
            Some(period),
            Some((source_known, status, submitted)),
            Some(combo),
        ) = (value, element, unit, period, own_results, combo)
        else {
            return;
        };
        if combo != 0 && !self.fitting.known((element.key, combo)) && !self.fits(element.key, combo, element_name, line)
        {
            self.refused(fields);
            return;
        }
        if self.keys.is_some() {
            let combo = self.combo_key(combo);
            let key = key_hash(element.key, unit.key, period.key, combo);
            self.keys.iter_mut().for_each(|keys| keys.push(key));
            return;
        }
        let [element, org_unit, period, source] = self.interner.store_ids(
            self.store,
            [element_name, unit_name, period_text, source],
            (element.id, unit, period, source_known.id),
        );
        let note = self.note(&cell, current);
        if current {
            self.own.source.id = Some(source);
            self.own.note = Some(note);
        }
        let observation = Observation { element, org_unit, period, combo, value };
        let place = Place { file: self.file, row: u32::try_from(line).unwrap_or(u32::MAX), note, source, status };
        self.store.push_interned(observation, place, submitted);
    }

    /// Keeps the data element and org unit of a row refused for an error (already reported) when both cells name
    /// known ones: the unit tried to report the element, so it stays expected and counts as not reporting
    /// ([`ObservationStore::note_left_out`]), never dropping out of a value's coverage with its rows.
    #[cold]
    #[inline(never)]
    pub(crate) fn refused(&mut self, fields: &[&str]) {
        if self.keys.is_some() {
            return;
        }
        let cell = |index: usize| fields.get(index).map_or("", |f| trim_cell(f));
        let (element, unit) = (cell(self.columns.data_element), cell(self.columns.org_unit));
        if self.interner.element(element).is_some() && self.interner.unit(unit).is_some() {
            self.store.note_left_out(element, unit);
        }
    }

    /// What the source, status, note and submitted cells gave: taken over from the last row whose own cells all
    /// passed when `own` is their text, else checked (and kept for the rows that follow).
    #[inline(always)]
    fn own_cells<'c>(
        &mut self,
        cell: &impl Fn(usize) -> &'c str,
        own: Option<&str>,
        line: usize,
    ) -> Option<(Known<()>, ObservationStatus, Option<NaiveDate>)> {
        match own.filter(|own| self.own.is(own)) {
            Some(_) => Some(self.own.results()),
            None => {
                let checked = self.own_checks(cell, line);
                self.own.keep(own, checked);
                checked
            }
        }
    }

    /// The row's note id ([`NO_NOTE`] for none): the kept one when the own cells are those kept (`current`), else
    /// the note cell's.
    #[inline(always)]
    fn note<'c>(&mut self, cell: &impl Fn(usize) -> &'c str, current: bool) -> u32 {
        match self.own.note.filter(|_| current) {
            Some(note) => note,
            None => {
                let cells = [self.columns.note, self.columns.note_vi, self.columns.note_en].map(|c| c.map(cell));
                match row_note::as_key(cells) {
                    Ok(key) => key.map_or(NO_NOTE, |key| self.note_id(key)),
                    Err(key) => self.note_id(&key),
                }
            }
        }
    }

    /// The value of a value cell read for `kind`, or `None` after reporting why not. A plain whole number, the usual
    /// cell, is read inline ([`cells::plain_whole`]).
    fn value(&mut self, text: &str, kind: ValueKind, format: CellFormat, line: usize) -> Option<f64> {
        let quick = if format == CellFormat::Plain { cells::plain_whole(text, kind) } else { None };
        match quick.map(Ok).unwrap_or_else(|| cells::value(text, kind, format)) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problem(problem, line, self.columns.value);
                None
            }
        }
    }

    /// The checks of a row's own cells (source, status, submitted), each reported; what they gave when all passed.
    fn own_checks<'c>(
        &mut self,
        cell: &impl Fn(usize) -> &'c str,
        line: usize,
    ) -> Option<(Known<()>, ObservationStatus, Option<NaiveDate>)> {
        let source = self.source(cell(self.columns.source), line);
        let status = match self.columns.status {
            Some(column) => self.status(cell(column), line, column),
            None => Some(ObservationStatus::Final),
        };
        let submitted = match self.columns.submitted.map(|column| (column, cell(column))) {
            Some((column, text)) if !text.is_empty() => self.submitted(text, line, column).map(Some),
            _ => Some(None),
        };
        Some((source?, status?, submitted?))
    }

    /// The store's id of a note: the previous row's when it is the same text.
    fn note_id(&mut self, note: &str) -> u32 {
        if let Some(id) = self.last_note.get(note) {
            return id;
        }
        let id = self.store.notes.intern(note);
        self.last_note.set(note, id);
        id
    }

    /// The key hash part of disaggregation `combo` (an id of this reader's store).
    fn combo_key(&mut self, combo: u32) -> u64 {
        let combo = combo as usize;
        while self.combo_keys.len() <= combo {
            let pairs = &self.store.combos[self.combo_keys.len()];
            self.combo_keys.push(combo_hash(pairs));
        }
        self.combo_keys[combo]
    }

    // The lookups of a row keep their reports out of line (`#[cold]`): `row` runs ten million times, and with every
    // message inlined it was 20 KB of code whose hot path spilled its values to the stack.

    fn element(&mut self, name: &str, line: usize) -> Option<Known<ValueKind>> {
        let element = self.interner.element(name);
        if element.is_none() {
            self.unknown_element(name, line);
        }
        element
    }

    #[cold]
    #[inline(never)]
    fn unknown_element(&mut self, name: &str, line: usize) {
        let column = self.columns.data_element;
        let at =
            self.error("E310", "unknown-data-element", line, column, format!("unknown data element `{}`", shown(name)));
        self.findings.suggest(at, Among::DataElements, name);
    }

    fn unit(&mut self, name: &str, line: usize) -> Option<Known<&'a OrgUnit>> {
        let unit = self.interner.unit(name);
        if unit.is_none() {
            self.unknown_unit(name, line);
        }
        unit
    }

    #[cold]
    #[inline(never)]
    fn unknown_unit(&mut self, name: &str, line: usize) {
        let column = self.columns.org_unit;
        let at = self.error("E311", "unknown-org-unit", line, column, format!("unknown org unit `{}`", shown(name)));
        self.findings.suggest(at, Among::OrgUnits, name);
    }

    fn status(&mut self, text: &str, line: usize, column: usize) -> Option<ObservationStatus> {
        // The two words as files write them, before the general rule (trimmed, any case, blank = final).
        let status = match text {
            "final" => Some(ObservationStatus::Final),
            "provisional" => Some(ObservationStatus::Provisional),
            _ => ObservationStatus::parse(text),
        };
        if status.is_none() {
            self.bad_status(text, line, column);
        }
        status
    }

    #[cold]
    #[inline(never)]
    fn bad_status(&mut self, text: &str, line: usize, column: usize) {
        let message = format!("status `{}` is neither `provisional` nor `final`", shown(text));
        self.error("E315", "bad-status", line, column, message);
    }

    fn submitted(&mut self, text: &str, line: usize, column: usize) -> Option<chrono::NaiveDate> {
        let date = cells::submission_date(text);
        if date.is_none() {
            let message = format!("submission date `{}` is not a date between 1990 and 2100", shown(text));
            let at = self.error("E325", "bad-submission-date", line, column, message);
            let hint = "write the date the figure was reported as YYYY-MM-DD, e.g. 2024-04-15".to_owned();
            self.hint(at, hint);
        }
        date
    }

    fn period(&mut self, text: &str, line: usize, format: CellFormat) -> Option<Known<PeriodDays>> {
        if format == CellFormat::Date {
            self.problem(cells::period_is_date(text), line, self.columns.period);
            return None;
        }
        let period = self.interner.period(text);
        if period.is_none() {
            self.bad_period(text, line);
        }
        period
    }

    #[cold]
    #[inline(never)]
    fn bad_period(&mut self, text: &str, line: usize) {
        let message = match tiendo_core::Period::parse(text) {
            Err(error) if text.len() <= 40 => error.to_string(),
            _ => format!("`{}` is not a period id", shown(text)),
        };
        let at = self.error("E312", "bad-period", line, self.columns.period, message);
        let hint = format!("{}; type the cell as text in Excel", crate::raw::values::period_hint(text));
        self.hint(at, hint);
    }

    /// A warning when the unit did not exist during the period.
    fn validity(&mut self, unit: &OrgUnit, unit_name: &str, days: &PeriodDays, line: usize) {
        let valid =
            unit.valid_from.is_none_or(|from| from <= days.end) && unit.valid_to.is_none_or(|to| days.start <= to);
        if !valid {
            self.not_valid(unit, unit_name, days, line);
        }
    }

    #[cold]
    #[inline(never)]
    fn not_valid(&mut self, unit: &OrgUnit, unit_name: &str, days: &PeriodDays, line: usize) {
        let mut diagnostic = Diagnostic::warning(
            "E320",
            "org-unit-not-valid",
            format!("`{unit_name}` did not exist during {}", days.period),
        )
        .with_span(Some(self.at(line, self.columns.org_unit)));
        let existed_later = unit.valid_from.is_some_and(|from| from > days.end);
        let predecessors: Vec<&str> = if existed_later {
            let is_predecessor = |other: &&OrgUnit| other.successors.contains(&unit.id);
            self.catalogue.org_units.values().filter(is_predecessor).map(|other| other.id.as_str()).collect()
        } else {
            Vec::new()
        };
        if !predecessors.is_empty() {
            let from = unit.valid_from.map(|d| d.to_string()).unwrap_or_default();
            diagnostic = diagnostic.with_hint(format!(
                "`{unit_name}` exists from {from}; report {} under {}",
                days.period,
                predecessors.join(", ")
            ));
        } else if !unit.successors.is_empty() && !existed_later {
            diagnostic = diagnostic.with_hint(format!("report it under {}", unit.successors.join(", ")));
        }
        self.findings.push(diagnostic);
    }

    fn source(&mut self, source: &str, line: usize) -> Option<Known<()>> {
        let known = if source.is_empty() { None } else { self.interner.source(source) };
        if known.is_none() {
            self.bad_source(source, line);
        }
        known
    }

    #[cold]
    #[inline(never)]
    fn bad_source(&mut self, source: &str, line: usize) {
        if source.is_empty() {
            let at = self.error("E322", "missing-source", line, self.columns.source, "the source is empty".to_owned());
            self.hint(at, "every figure must name the source id it comes from".to_owned());
            return;
        }
        let at = self.error(
            "E323",
            "unknown-source",
            line,
            self.columns.source,
            format!("unknown source `{}`", shown(source)),
        );
        self.findings.suggest(at, Among::Sources, source);
    }

    /// Whether breakdown `combo` fits element `name` (hash `key`): E341 at the first category cell it lacks.
    #[cold]
    #[inline(never)]
    fn fits(&mut self, key: u64, combo: u32, name: &str, line: usize) -> bool {
        let Some(((category, option), allowed)) = fit::misfit(self.catalogue, name, &self.store.combos[combo as usize])
        else {
            self.fitting.insert((key, combo));
            return true;
        };
        let (category, option, hint) = (category.clone(), option.clone(), fit::hint(name, category, allowed));
        let column = self.columns.categories.iter().find(|(_, id)| *id == category).map_or(0, |(column, _)| *column);
        let message = format!("`{}` has no category `{category}` (the cell holds `{}`)", shown(name), shown(&option));
        let at = self.error("E341", "category-not-on-element", line, column, message);
        self.hint(at, hint);
        false
    }

    /// The disaggregation of a row: validated and interned, cached by the joined options. `Some(0)` without
    /// category columns; `None` (after reporting) when an option is unknown.
    fn combo<'c>(&mut self, cell: &impl Fn(usize) -> &'c str, line: usize) -> Option<u32> {
        if self.columns.categories.is_empty() {
            return Some(0);
        }
        self.interner.combo_key.clear();
        for (column, _) in &self.columns.categories {
            self.interner.combo_key.push_str(cell(*column));
            self.interner.combo_key.push('\u{1f}');
        }
        if let Some(&cached) = self.interner.combos.get(&self.interner.combo_key) {
            return Some(cached);
        }
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        let mut combo_ok = true;
        let categories = std::mem::take(&mut self.columns.categories);
        for (column, category_id) in &categories {
            let option = cell(*column);
            if option.is_empty() {
                continue;
            }
            let category = &self.catalogue.categories[category_id];
            if category.options.iter().any(|o| o.id == option) {
                pairs.push((category_id.as_str(), option));
                continue;
            }
            let at = self.error(
                "E318",
                "unknown-category-option",
                line,
                *column,
                format!("`{}` is not an option of category `{category_id}`", shown(option)),
            );
            let options: Vec<&str> = category.options.iter().map(|o| o.id.as_str()).collect();
            // An option written by its name ("Nữ" for `female`) is named by its id (round 68, found by a newcomer).
            let by_name = |o: &&tiendo_core::CategoryOption| {
                [&o.name.vi, &o.name.en].iter().any(|name| name.trim().to_lowercase() == option.trim().to_lowercase())
            };
            let hint = match category.options.iter().find(by_name) {
                Some(named) => format!("write the option's id: `{}` (options: {})", named.id, options.join(", ")),
                None => format!("options: {}", options.join(", ")),
            };
            self.hint(at, hint);
            combo_ok = false;
        }
        let combo = combo_ok.then(|| {
            let combo = self.store.intern_combo(&pairs);
            self.interner.combos.insert(self.interner.combo_key.clone(), combo);
            combo
        });
        self.columns.categories = categories;
        combo
    }
}
