//! Observations in tidy CSV or XLSX: one value per row.
//!
//! Columns (any order, names case-insensitive): `data_element`, `org_unit`, `period`, `value`, `source`,
//! optional `status` (`provisional` or `final`, blank = final), `note` and `submitted` (the date the figure was
//! reported, `YYYY-MM-DD`, for timeliness), plus one column per disaggregation
//! category named by the category id; a blank category cell means "total". Excel's UTF-8 byte-order mark,
//! CRLF or lone CR line ends and Vietnamese text are accepted. A row with any error is left out and reported with
//! `file:row:column`; the other rows load.
//!
//! Diagnostic codes (stable): E310 unknown-data-element, E311 unknown-org-unit, E312 bad-period,
//! E313 non-numeric-value, E314 negative-count, E315 bad-status, E316 missing-column, E317 unknown-column,
//! E318 unknown-category-option, E324 value-out-of-range, E319 malformed-file, E320 org-unit-not-valid (warning), E321 not-a-whole-number,
//! E322 missing-source, E323 unknown-source, E325 bad-submission-date. Duplicate keys (E301) are found across all files by
//! [`duplicate_diagnostics`].

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use crate::records::{RecordReader, Stop, count_line_ends, strip_bom};

use tiendo_core::diagnostic::did_you_mean;
use tiendo_core::eval::store::{FastMap, NO_NOTE, Observation, ObservationStatus, ObservationStore};
use tiendo_core::eval::synthetic::{SYNTHETIC_NOTE, SYNTHETIC_SOURCE, SyntheticRow};
use tiendo_core::model::{Catalogue, Formula, ValueType};
use tiendo_core::{Diagnostic, Period, Span};

const REQUIRED: [&str; 5] = ["data_element", "org_unit", "period", "value", "source"];
const OPTIONAL: [&str; 3] = ["status", "note", "submitted"];

/// Years a submission date may fall in: far around any programme period, so that a typing error such as 2204 is
/// caught.
const SUBMISSION_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A submission date: `YYYY-MM-DD`, or a date and time starting with it (as spreadsheets export them).
fn parse_submission_date(text: &str) -> Option<chrono::NaiveDate> {
    let date = match (text.get(..10), text.get(10..)) {
        (Some(date), Some(rest)) if rest.is_empty() || rest.starts_with([' ', 'T']) => date,
        _ => return None,
    };
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .filter(|d| SUBMISSION_YEARS.contains(&chrono::Datelike::year(d)))
}

/// The largest magnitude a value may have: far above any count of cases, people or communes, and within the range
/// where every whole number is exact in an `f64`, so that sums and charts stay finite and exact.
const MAX_VALUE: f64 = 1e15;

/// Reads observations from `bytes` into `store`. `name` is the file name shown in diagnostics; a name
/// ending in `.xlsx` (or `.xls`, `.ods`) is read as a spreadsheet (first sheet), anything else as CSV.
pub fn read_observations(
    name: &str,
    bytes: &[u8],
    catalogue: &Catalogue,
    store: &mut ObservationStore,
) -> Vec<Diagnostic> {
    if is_spreadsheet(name) {
        return read_spreadsheet(name, bytes, catalogue, store);
    }
    match read_csv(name, bytes, catalogue, store, ReadOptions::default()) {
        Ok(diagnostics) => diagnostics,
        // Reading from memory cannot fail; should it ever, it is a diagnostic, not a panic.
        Err(error) => vec![
            Diagnostic::error("E319", "malformed-file", format!("the file cannot be read: {error}"))
                .with_span(Some(span(name, 1, 1))),
        ],
    }
}

/// Reads observations from `input` into `store`, as [`read_observations`] does from bytes, without holding the
/// whole file: a CSV is read in pieces of `options.chunk_bytes` and parsed on `options.threads` threads; a
/// spreadsheet is read whole (its format needs it). Errors are those of `input`; bad content gives diagnostics.
pub fn read_observations_from(
    name: &str,
    mut input: impl Read,
    catalogue: &Catalogue,
    store: &mut ObservationStore,
    options: ReadOptions,
) -> std::io::Result<Vec<Diagnostic>> {
    if is_spreadsheet(name) {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes)?;
        return Ok(read_spreadsheet(name, &bytes, catalogue, store));
    }
    read_csv(name, input, catalogue, store, options)
}

fn is_spreadsheet(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".xlsx") || lower.ends_with(".xls") || lower.ends_with(".ods")
}

/// How a CSV stream is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Threads that parse pieces of the file; with 1 everything runs on the calling thread.
    pub threads: usize,
    /// About how many bytes make one piece (cut after a line end); each piece is parsed by one thread, and
    /// `2 x threads` pieces at most are held at a time.
    pub chunk_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { threads: 2, chunk_bytes: 4 << 20 }
    }
}

/// Reads CSV observations from a stream.
///
/// The stream is cut into pieces after a line end. The header is read first, on this thread; the pieces after it
/// are parsed by `options.threads` threads into stores of their own and appended in order, so that interned ids come
/// out in first-appearance order and diagnostics in row order, as one pass would give them. A piece is parsed as if a
/// record started at its first byte. When the piece before it ends inside a record instead (a quoted cell spanning
/// the cut), that record and the piece are read again joined, and the first parse of the piece is dropped: the
/// result never depends on where the cuts fall (tested for every cut of files with multi-line quoted notes).
pub fn read_csv(
    name: &str,
    input: impl Read,
    catalogue: &Catalogue,
    store: &mut ObservationStore,
    options: ReadOptions,
) -> std::io::Result<Vec<Diagnostic>> {
    let mut pieces = Pieces::new(input, options.chunk_bytes.max(1));
    let mut records = RecordReader::default();
    let mut loader = RowLoader::new(name, catalogue, store);
    let mut header_done = false;
    let mut pending: Option<(Vec<u8>, usize)> = None;
    let mut at_eof = false;
    // The header, and anything before it, on this thread.
    while !header_done && !at_eof {
        let Some(piece) = pieces.next()? else { break };
        at_eof = piece.last;
        let (bytes, first_line) = match pending.take() {
            Some((mut tail, line)) => {
                tail.extend_from_slice(&piece.bytes);
                (tail, line)
            }
            None => (piece.bytes, piece.first_line),
        };
        match parse_piece(&mut records, &mut loader, &bytes, first_line, at_eof, &mut header_done) {
            Stop::Stopped => return Ok(loader.diagnostics),
            Stop::Unfinished { offset, line } => pending = Some((bytes[offset..].to_vec(), line)),
            Stop::End => {}
        }
    }
    if !header_done {
        return Ok(finish(loader, false));
    }
    let columns = loader.columns.clone();
    let column_offset = loader.column_offset;
    let mut diagnostics = std::mem::take(&mut loader.diagnostics);
    drop(loader);
    // A piece that ends the input is read to its end, so nothing is pending then.
    if at_eof {
        return Ok(diagnostics);
    }
    let spare_observations = std::sync::Mutex::new(Vec::new());
    let job = Job { name, catalogue, columns: &columns, column_offset, spare_observations: &spare_observations };
    let mut merger = Merger {
        job,
        records,
        store,
        diagnostics: &mut diagnostics,
        pending,
        next: 0,
        waiting: BTreeMap::new(),
        spare_bytes: Vec::new(),
    };
    if options.threads <= 1 {
        while let Some(piece) = pieces.next()? {
            let result = job.parse(&mut merger.records, merger.next, piece);
            merger.accept(result);
            pieces.free.append(&mut merger.spare_bytes);
        }
    } else {
        read_in_parallel(&mut pieces, &mut merger, options.threads)?;
    }
    // The last piece is parsed as the end of the input, so no record is left unfinished.
    debug_assert!(merger.pending.is_none(), "a record was left unfinished at the end of the input");
    Ok(diagnostics)
}

/// Sends the pieces to `threads` parsing threads and merges their results in order as they come back.
fn read_in_parallel(
    pieces: &mut Pieces<impl Read>,
    merger: &mut Merger<'_, '_>,
    threads: usize,
) -> std::io::Result<()> {
    let job = merger.job;
    let (work_sender, work) = std::sync::mpsc::sync_channel::<(usize, Piece)>(2 * threads);
    let work = std::sync::Mutex::new(work);
    let (result_sender, results) = std::sync::mpsc::channel::<Parsed>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (work, result_sender) = (&work, result_sender.clone());
            scope.spawn(move || {
                let mut records = RecordReader::default();
                loop {
                    // A poisoned lock means another parser panicked; the scope re-raises that panic.
                    let next = match work.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => break,
                    };
                    let Ok((sequence, piece)) = next else { break };
                    if result_sender.send(job.parse(&mut records, sequence, piece)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(result_sender);
        let mut sent = 0;
        while let Some(piece) = pieces.next()? {
            if work_sender.send((sent, piece)).is_err() {
                break;
            }
            sent += 1;
            while let Ok(parsed) = results.try_recv() {
                merger.accept(parsed);
            }
            pieces.free.append(&mut merger.spare_bytes);
        }
        drop(work_sender);
        while merger.next < sent {
            match results.recv() {
                Ok(parsed) => merger.accept(parsed),
                // Every parser has stopped: one of them panicked, and the scope re-raises it.
                Err(_) => break,
            }
        }
        Ok(())
    })
}

/// What every parsing thread needs to read pieces after the header.
#[derive(Clone, Copy)]
struct Job<'a> {
    name: &'a str,
    catalogue: &'a Catalogue,
    columns: &'a Columns,
    column_offset: usize,
    /// Observation vectors of appended pieces, for the parsers to reuse.
    spare_observations: &'a std::sync::Mutex<Vec<Vec<Observation>>>,
}

/// One piece, parsed into a store of its own.
struct Parsed {
    sequence: usize,
    store: ObservationStore,
    diagnostics: Vec<Diagnostic>,
    stop: Stop,
    piece: Piece,
}

impl Job<'_> {
    /// Parses `piece` as if a record started at its first byte.
    fn parse(&self, records: &mut RecordReader, sequence: usize, piece: Piece) -> Parsed {
        let mut store = ObservationStore::new();
        if let Some(observations) = self.spare_observations.lock().ok().and_then(|mut spare| spare.pop()) {
            store.observations = observations;
        }
        store.observations.reserve(piece.lines + 1);
        let mut loader = RowLoader::new(self.name, self.catalogue, &mut store);
        loader.columns = self.columns.clone();
        loader.column_offset = self.column_offset;
        let stop = parse_piece(records, &mut loader, &piece.bytes, piece.first_line, piece.last, &mut true);
        let diagnostics = std::mem::take(&mut loader.diagnostics);
        drop(loader);
        Parsed { sequence, store, diagnostics, stop, piece }
    }
}

/// Appends parsed pieces to the store in order.
struct Merger<'a, 's> {
    job: Job<'a>,
    records: RecordReader,
    store: &'s mut ObservationStore,
    diagnostics: &'s mut Vec<Diagnostic>,
    /// The unfinished record at the end of the last piece appended, and its line.
    pending: Option<(Vec<u8>, usize)>,
    /// The sequence number of the next piece to append.
    next: usize,
    waiting: BTreeMap<usize, Parsed>,
    /// Buffers of appended pieces, for the reader to reuse.
    spare_bytes: Vec<Vec<u8>>,
}

impl Merger<'_, '_> {
    fn accept(&mut self, parsed: Parsed) {
        self.waiting.insert(parsed.sequence, parsed);
        while let Some(mut parsed) = self.waiting.remove(&self.next) {
            if let Some((mut tail, line)) = self.pending.take() {
                // The piece was parsed from inside a record: read it again after the start of that record.
                tail.extend_from_slice(&parsed.piece.bytes);
                let lines = count_line_ends(&tail);
                let piece = Piece { bytes: tail, first_line: line, lines, last: parsed.piece.last };
                parsed = self.job.parse(&mut self.records, parsed.sequence, piece);
            }
            self.store.append(&mut parsed.store);
            self.diagnostics.extend(parsed.diagnostics);
            if let Stop::Unfinished { offset, line } = parsed.stop {
                self.pending = Some((parsed.piece.bytes[offset..].to_vec(), line));
            }
            self.spare_bytes.push(parsed.piece.bytes);
            if let Ok(mut spare) = self.job.spare_observations.lock() {
                spare.push(std::mem::take(&mut parsed.store.observations));
            }
            self.next += 1;
        }
    }
}

/// The position of the last line end in `bytes` whose next byte is known: the last `\n`, or a later lone `\r` (a
/// file saved with classic Mac line ends has no `\n` at all, and is still read piece by piece).
fn last_line_end(bytes: &[u8]) -> Option<usize> {
    let mut end = bytes.len();
    while let Some(at) = memchr::memrchr2(b'\n', b'\r', &bytes[..end]) {
        // A `\r` at the very end may be the first half of a `\r\n` still to be read.
        let lone_return = bytes[at] == b'\r' && bytes.get(at + 1).is_some_and(|&next| next != b'\n');
        if bytes[at] == b'\n' || lone_return {
            return Some(at);
        }
        end = at;
    }
    None
}

/// A piece of the input: whole lines, except for the last piece.
struct Piece {
    bytes: Vec<u8>,
    /// The line of the piece's first byte.
    first_line: usize,
    /// How many line ends the piece holds (at least the number of records that end in it).
    lines: usize,
    /// Whether the input ends with this piece.
    last: bool,
}

/// Cuts a stream into pieces of about `size` bytes, each ending right after a line end.
struct Pieces<R> {
    input: R,
    size: usize,
    /// Bytes read after the last line end of the previous piece.
    rest: Vec<u8>,
    /// Buffers of pieces already used, to read the next pieces into: fresh memory costs the kernel a page fault
    /// and a page of zeroes every 4 KiB.
    free: Vec<Vec<u8>>,
    line: usize,
    first: bool,
    done: bool,
}

impl<R: Read> Pieces<R> {
    fn new(input: R, size: usize) -> Self {
        Pieces { input, size, rest: Vec::new(), free: Vec::new(), line: 1, first: true, done: false }
    }

    /// The next piece; an empty input gives one empty last piece.
    fn next(&mut self) -> std::io::Result<Option<Piece>> {
        if self.done {
            return Ok(None);
        }
        let mut bytes = self.free.pop().unwrap_or_default();
        bytes.clear();
        bytes.extend_from_slice(&self.rest);
        self.rest.clear();
        let mut target = self.size.max(bytes.len() + 1);
        let mut searched = 0;
        let cut = loop {
            // Up to `target` bytes, a megabyte a read, so that a large piece size allocates only what the input has.
            // `read_to_end` reads into the buffer's spare room without zeroing it first where the reader allows (a
            // file does): zeroing a gigabyte would cost a tenth of a second.
            while bytes.len() < target {
                let step = (target - bytes.len()).min(1 << 20);
                bytes.reserve(step);
                let read = (&mut self.input).take(step as u64).read_to_end(&mut bytes)?;
                if read < step {
                    self.done = true;
                    break;
                }
            }
            if self.first && (bytes.len() >= 3 || self.done) {
                // Excel's byte-order mark, which the csv crate drops too.
                let without = strip_bom(&bytes).len();
                bytes.drain(..bytes.len() - without);
                searched = searched.min(bytes.len());
                self.first = false;
            }
            if self.done {
                break bytes.len();
            }
            if let Some(end) = last_line_end(&bytes[searched..]) {
                break searched + end + 1;
            }
            // A line longer than a piece: read on until it ends.
            searched = bytes.len();
            target = bytes.len().saturating_add(self.size);
        };
        self.rest.extend_from_slice(&bytes[cut..]);
        bytes.truncate(cut);
        let first_line = self.line;
        let lines = count_line_ends(&bytes);
        self.line += lines;
        Ok(Some(Piece { bytes, first_line, lines, last: self.done }))
    }
}

fn finish(mut loader: RowLoader<'_>, header_done: bool) -> Vec<Diagnostic> {
    if !header_done {
        loader.diagnostics.push(
            Diagnostic::error("E316", "missing-column", "the file is empty; expected a header row")
                .with_span(Some(span(loader.name, 1, 1))),
        );
    }
    loader.diagnostics
}

/// Loads the records of one piece (the header first unless `header_done`). Stops early, with [`Stop::Stopped`],
/// when the header lacks required columns.
fn parse_piece(
    records: &mut RecordReader,
    loader: &mut RowLoader<'_>,
    bytes: &[u8],
    first_line: usize,
    at_eof: bool,
    header_done: &mut bool,
) -> Stop {
    let name = loader.name;
    // Valid UTF-8 as a whole (the usual case) makes each cell cut from it at a delimiter valid too: cells split in
    // place are taken from the text at their offset, with no check of their own.
    let text = std::str::from_utf8(bytes).ok();
    let base = bytes.as_ptr() as usize;
    // One allocation for the cells of every record: the vector is moved in and out of the record's lifetime.
    let mut spare: Vec<&'static str> = Vec::with_capacity(16);
    records.for_each_record(bytes, first_line, at_eof, |line, cells| {
        let mut fields: Vec<&str> = std::mem::take(&mut spare).into_iter().map(|_| "").collect();
        for (index, cell) in cells.iter().enumerate() {
            let offset = (cell.as_ptr() as usize).wrapping_sub(base);
            let in_place = text.and_then(|text| text.get(offset..offset.checked_add(cell.len())?));
            match in_place.map(Ok).unwrap_or_else(|| std::str::from_utf8(cell)) {
                Ok(text) => fields.push(text),
                Err(_) => {
                    loader.diagnostics.push(
                        Diagnostic::error("E319", "malformed-file", "the cell is not valid UTF-8".to_owned())
                            .with_span(Some(span(name, line, index + 1)))
                            .with_hint("save the file as CSV UTF-8"),
                    );
                    return true;
                }
            }
        }
        if !*header_done {
            *header_done = true;
            if !loader.header(&fields, line) {
                loader.columns_missing = true;
                return false;
            }
            return true;
        }
        loader.row(&fields, line);
        fields.clear();
        spare = fields.into_iter().map(|_| "").collect();
        true
    })
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
                // A date cell (a submission date typed as a date) reads as the ISO date, not Excel's day number.
                Data::DateTime(date) if date.is_datetime() => {
                    let (year, month, day, ..) = date.to_ymd_hms_milli();
                    format!("{year:04}-{month:02}-{day:02}")
                }
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
#[derive(Debug, Default, Clone)]
struct Columns {
    data_element: usize,
    org_unit: usize,
    period: usize,
    value: usize,
    source: usize,
    status: Option<usize>,
    note: Option<usize>,
    submitted: Option<usize>,
    /// (column, category id)
    categories: Vec<(usize, String)>,
}

/// What a lookup cache holds for a name the catalogue knows: what the row needs of it, and the store's id for it
/// once a row with it was stored (ids are handed out in the order rows are stored, as the store's interners do).
#[derive(Debug, Clone, Copy)]
struct Known<T> {
    info: T,
    id: Option<u32>,
}

/// A period with its first and last day, so that rows do not compute dates.
#[derive(Debug, Clone, Copy)]
struct PeriodDays {
    period: Period,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
}

/// The last text looked up in one column and what it gave.
struct Recent<T> {
    text: String,
    value: Option<T>,
}

impl<T: Copy> Recent<T> {
    fn new() -> Self {
        Recent { text: String::new(), value: None }
    }

    fn get(&self, text: &str) -> Option<T> {
        self.value.filter(|_| self.text == text)
    }

    fn set(&mut self, text: &str, value: T) {
        self.text.clear();
        self.text.push_str(text);
        self.value = Some(value);
    }
}

/// A cell without the whitespace around it. Most cells have none: checking the first and last byte spares the
/// Unicode-aware trim.
fn trim_cell(cell: &str) -> &str {
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

struct RowLoader<'a> {
    name: &'a str,
    catalogue: &'a Catalogue,
    store: &'a mut ObservationStore,
    file: u16,
    columns: Columns,
    /// Whether the header lacked required columns (then no row can be read).
    columns_missing: bool,
    column_offset: usize,
    /// Known element ids (data elements and directly reported indicators): value type, and store id once stored.
    elements: FastMap<String, Known<ValueType>>,
    /// Period cells seen: the period (`None` if the cell is not a period) and its store id once stored.
    periods: FastMap<String, Option<Known<PeriodDays>>>,
    combos: FastMap<String, u32>,
    combo_key: String,
    /// Sources seen that the catalogue knows, with their store ids once stored: ten million rows do not look up the
    /// same id ten million times.
    sources: FastMap<String, Known<()>>,
    /// A hash cache in front of the catalogue's ordered map of org units: ten million string-compare descents add up.
    units: FastMap<String, Known<&'a tiendo_core::model::OrgUnit>>,
    /// The last org unit, period and source cells and what they gave: rows repeat the previous row's far more often
    /// than not, and comparing one string is cheaper than hashing it.
    last_unit: Recent<Known<&'a tiendo_core::model::OrgUnit>>,
    last_period: Recent<Option<Known<PeriodDays>>>,
    last_source: Recent<Known<()>>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> RowLoader<'a> {
    fn new(name: &'a str, catalogue: &'a Catalogue, store: &'a mut ObservationStore) -> Self {
        let file = store.add_file(name);
        let mut elements: FastMap<String, Known<ValueType>> = FastMap::default();
        for element in catalogue.data_elements.values() {
            elements.insert(element.id.clone(), Known { info: element.value_type, id: None });
        }
        for indicator in catalogue.indicators.values() {
            if matches!(indicator.formula, Formula::Reported) {
                elements.insert(indicator.id.clone(), Known { info: ValueType::Number, id: None });
            }
        }
        RowLoader {
            name,
            catalogue,
            store,
            file,
            columns: Columns::default(),
            columns_missing: false,
            column_offset: 0,
            elements,
            periods: FastMap::default(),
            combos: FastMap::default(),
            combo_key: String::new(),
            sources: FastMap::default(),
            units: FastMap::default(),
            last_unit: Recent::new(),
            last_period: Recent::new(),
            last_source: Recent::new(),
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
            if name.is_empty() || REQUIRED.contains(&name.as_str()) || OPTIONAL.contains(&name.as_str()) {
                continue;
            }
            if self.catalogue.categories.contains_key(name) {
                self.columns.categories.push((index, name.clone()));
            } else {
                let candidates: Vec<&str> = REQUIRED
                    .iter()
                    .copied()
                    .chain(OPTIONAL)
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
        self.columns.submitted = find("submitted");
        true
    }

    fn row(&mut self, fields: &[&str], line: usize) {
        if fields.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        let cell = |index: usize| fields.get(index).map_or("", |f| trim_cell(f));
        let mut ok = true;

        let element_name = cell(self.columns.data_element);
        let element = self.elements.get(element_name).copied();
        let value_type = element.map(|e| e.info);
        if element.is_none() {
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
        // A hash cache in front of the catalogue's ordered map: ten million string-compare descents add up.
        let unit = match self.last_unit.get(unit_name) {
            Some(unit) => Some(unit),
            None => {
                let unit = match self.units.get(unit_name) {
                    Some(unit) => Some(*unit),
                    None => {
                        let found = self.catalogue.org_units.get(unit_name).map(|info| Known { info, id: None });
                        if let Some(found) = found {
                            self.units.insert(unit_name.to_owned(), found);
                        }
                        found
                    }
                };
                if let Some(unit) = unit {
                    self.last_unit.set(unit_name, unit);
                }
                unit
            }
        };
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
        let period = match self.last_period.get(period_text) {
            Some(cached) => cached,
            None => {
                let cached = match self.periods.get(period_text) {
                    Some(cached) => *cached,
                    None => {
                        let parsed = Period::parse(period_text).ok().map(|period| Known {
                            info: PeriodDays { period, start: period.start(), end: period.end() },
                            id: None,
                        });
                        self.periods.insert(period_text.to_owned(), parsed);
                        parsed
                    }
                };
                self.last_period.set(period_text, cached);
                cached
            }
        };
        if period.is_none() {
            let message = match Period::parse(period_text) {
                Err(error) => error.to_string(),
                Ok(_) => format!("`{period_text}` is not a period id"),
            };
            let at = self.error("E312", "bad-period", line, self.columns.period, message);
            self.hint(at, "use `2023`, `2023S1`, `2023Q1` or `2023-03`; type the cell as text in Excel".to_owned());
            ok = false;
        }

        if let (Some(Known { info: unit, .. }), Some(Known { info: days, .. })) = (unit, period) {
            let period = days.period;
            let valid =
                unit.valid_from.is_none_or(|from| from <= days.end) && unit.valid_to.is_none_or(|to| days.start <= to);
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
            Ok(v) if v.is_finite() && v.abs() <= MAX_VALUE => Some(v),
            Ok(v) if v.is_finite() => {
                let at = self.error(
                    "E324",
                    "value-out-of-range",
                    line,
                    self.columns.value,
                    format!("value `{value_text}` is larger than any count or rate tiendo accepts (10^15)"),
                );
                self.hint(at, "check the cell for a typing error or a number pasted with its unit".to_owned());
                ok = false;
                None
            }
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

        let mut known_source = None;
        if !source.is_empty() {
            known_source = self.last_source.get(source).or_else(|| {
                let known = match self.sources.get(source) {
                    Some(known) => Some(*known),
                    None => self.catalogue.sources.contains_key(source).then(|| {
                        let known = Known { info: (), id: None };
                        self.sources.insert(source.to_owned(), known);
                        known
                    }),
                };
                if let Some(known) = known {
                    self.last_source.set(source, known);
                }
                known
            });
            if known_source.is_none() {
                let at = self.error(
                    "E323",
                    "unknown-source",
                    line,
                    self.columns.source,
                    format!("unknown source `{source}`"),
                );
                match did_you_mean(source, self.catalogue.sources.keys().map(String::as_str)) {
                    Some(s) => self.hint(at, format!("did you mean `{s}`?")),
                    None => self.hint(at, "declare it as a [[source]] in the catalogue or in tiendo.toml".to_owned()),
                }
                ok = false;
            }
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

        let submitted = match self.columns.submitted.map(|column| (column, cell(column))) {
            Some((column, text)) if !text.is_empty() => {
                let date = parse_submission_date(text);
                if date.is_none() {
                    let at = self.error(
                        "E325",
                        "bad-submission-date",
                        line,
                        column,
                        format!("submission date `{text}` is not a date between 1990 and 2100"),
                    );
                    self.hint(at, "write the date the figure was reported as YYYY-MM-DD, e.g. 2024-04-15".to_owned());
                    ok = false;
                }
                date
            }
            _ => None,
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
        let (Some(value), Some(element), Some(unit), Some(period), Some(source_known)) =
            (value, element, unit, period, known_source)
        else {
            return;
        };
        // Store ids are handed out when the first row with the name is stored, then kept in the caches.
        let element_id = match element.id {
            Some(id) => id,
            None => {
                let id = self.store.elements.intern(element_name);
                if let Some(known) = self.elements.get_mut(element_name) {
                    known.id = Some(id);
                }
                id
            }
        };
        let unit_id = match unit.id {
            Some(id) => id,
            None => {
                let id = self.store.org_units.intern(unit_name);
                let known = Known { info: unit.info, id: Some(id) };
                self.units.insert(unit_name.to_owned(), known);
                self.last_unit.set(unit_name, known);
                id
            }
        };
        let period_id = match period.id {
            Some(id) => id,
            None => {
                let id = self.store.intern_period(period.info.period);
                let known = Some(Known { info: period.info, id: Some(id) });
                self.periods.insert(period_text.to_owned(), known);
                self.last_period.set(period_text, known);
                id
            }
        };
        let source_id = match source_known.id {
            Some(id) => id,
            None => {
                let id = self.store.sources.intern(source);
                let known = Known { info: (), id: Some(id) };
                self.sources.insert(source.to_owned(), known);
                self.last_source.set(source, known);
                id
            }
        };
        let note = self.columns.note.map(cell).filter(|n| !n.is_empty());
        let observation = Observation {
            element: element_id,
            org_unit: unit_id,
            period: period_id,
            combo,
            source: source_id,
            note: note.map_or(NO_NOTE, |n| self.store.notes.intern(n)),
            row: u32::try_from(line).unwrap_or(u32::MAX),
            file: self.file,
            status,
            value,
        };
        self.store.push_interned(observation, submitted);
    }
}

fn sorted_keys<T>(map: &FastMap<String, T>) -> Vec<String> {
    let mut keys: Vec<String> = map.keys().cloned().collect();
    keys.sort();
    keys
}

pub use tiendo_core::eval::store::duplicate_diagnostics;

/// Writes synthetic rows as an observation CSV, every row labelled with the synthetic source and note.
pub fn write_synthetic_csv<'a>(rows: impl IntoIterator<Item = SyntheticRow<'a>>) -> Vec<u8> {
    write_rows(rows, None)
}

/// Writes synthetic rows as [`write_synthetic_csv`] does, with a `submitted` column from
/// [`tiendo_core::eval::synthetic::submission_date`] for `seed`.
pub fn write_synthetic_csv_submitted<'a>(rows: impl IntoIterator<Item = SyntheticRow<'a>>, seed: u64) -> Vec<u8> {
    write_rows(rows, Some(seed))
}

fn write_rows<'a>(rows: impl IntoIterator<Item = SyntheticRow<'a>>, submitted: Option<u64>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let header = ["data_element", "org_unit", "period", "value", "source", "status", "note", "submitted"];
    let columns = if submitted.is_some() { header.len() } else { header.len() - 1 };
    // Writing to a Vec cannot fail: the only errors csv reports come from the underlying writer.
    writer.write_record(&header[..columns]).expect("writing to memory cannot fail");
    let mut value = String::new();
    for row in rows {
        value.clear();
        use std::fmt::Write;
        let _ = write!(value, "{}", row.value);
        let period = row.period.to_string();
        let date = submitted
            .map(|seed| tiendo_core::eval::synthetic::submission_date(seed, row.org_unit, row.period).to_string())
            .unwrap_or_default();
        let record = [row.element, row.org_unit, &period, &value, SYNTHETIC_SOURCE, "final", SYNTHETIC_NOTE, &date];
        writer.write_record(&record[..columns]).expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("flushing to memory cannot fail")
}

/// The example project's synthetic file `examples/vietnam-2021-2025/data/provinces-synthetic.csv`: every
/// province-level unit of [`tiendo_core::eval::synthetic::vietnam_org_units`], quarterly 2021-2025, seed
/// [`tiendo_core::eval::synthetic::EXAMPLE_SEED`], with synthetic submission dates.
pub fn example_synthetic_csv() -> Vec<u8> {
    use tiendo_core::eval::synthetic;
    use tiendo_core::model::OrgUnitLevel;
    let units: Vec<_> =
        synthetic::vietnam_org_units().into_iter().filter(|u| u.level == OrgUnitLevel::Province).collect();
    let mut rows = Vec::new();
    synthetic::generate(synthetic::EXAMPLE_SEED, &units, 2021..=2025, tiendo_core::PeriodType::Quarter, |row| {
        rows.push(row)
    });
    write_synthetic_csv_submitted(rows, synthetic::EXAMPLE_SEED)
}

/// The example project's synthetic file `examples/vietnam-2021-2025/data/plugin-inputs-synthetic.csv`: the
/// yearly inputs of the province plugins for the 63 provinces valid until 30 June 2025, 2021-2024, seed
/// [`tiendo_core::eval::synthetic::EXAMPLE_SEED`].
pub fn example_plugin_inputs_csv() -> Vec<u8> {
    use tiendo_core::eval::synthetic;
    use tiendo_core::model::OrgUnitLevel;
    let units: Vec<_> = synthetic::vietnam_org_units()
        .into_iter()
        .filter(|u| u.level == OrgUnitLevel::Province && u.valid_to.is_some())
        .collect();
    let mut rows = Vec::new();
    synthetic::generate_plugin_inputs(synthetic::EXAMPLE_SEED, &units, 2021..=2024, |row| rows.push(row));
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

#[cfg(test)]
mod tests {
    use tiendo_core::eval::synthetic;
    use tiendo_core::model::{Category, CategoryOption, DataElement, OrgUnitAggregation, Text, TimeAggregation};

    use super::*;

    fn catalogue() -> Catalogue {
        let mut catalogue = Catalogue::default();
        for unit in synthetic::vietnam_org_units() {
            catalogue.org_units.insert(unit.id.clone(), unit);
        }
        for (id, value_type) in [
            ("cases_detected", ValueType::Count),
            ("victims_identified", ValueType::Count),
            ("ratio", ValueType::Number),
        ] {
            catalogue.data_elements.insert(
                id.to_owned(),
                DataElement {
                    id: id.to_owned(),
                    name: Text::new(id, id),
                    value_type,
                    time_aggregation: TimeAggregation::Sum,
                    org_unit_aggregation: OrgUnitAggregation::Sum,
                    sensitive: id == "victims_identified",
                    categories: vec!["sex".to_owned()],
                    description: None,
                },
            );
        }
        for id in ["s", "tip-2022", "tip-2023", "press-baoquocte-2023-08-24", SYNTHETIC_SOURCE] {
            catalogue.sources.insert(
                id.to_owned(),
                tiendo_core::model::Source {
                    id: id.to_owned(),
                    kind: if id == SYNTHETIC_SOURCE {
                        tiendo_core::SourceKind::Synthetic
                    } else {
                        tiendo_core::SourceKind::Official
                    },
                    number: None,
                    title: Text::new(id, id),
                    issuer: None,
                    date: None,
                    url: None,
                    note: None,
                    uncertain: None,
                },
            );
        }
        catalogue.categories.insert(
            "sex".to_owned(),
            Category {
                id: "sex".to_owned(),
                name: Text::new("Giới tính", "Sex"),
                options: ["female", "male"]
                    .iter()
                    .map(|o| CategoryOption { id: (*o).to_owned(), name: Text::new(*o, *o) })
                    .collect(),
            },
        );
        catalogue
    }

    /// (code, line, column) of each diagnostic.
    fn found(diagnostics: &[Diagnostic]) -> Vec<(&'static str, usize, usize)> {
        let mut out: Vec<_> = diagnostics
            .iter()
            .map(|d| d.span.as_ref().map_or((d.code, 0, 0), |s| (d.code, s.line, s.column)))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn reads_excel_style_csv_with_bom_crlf_and_diacritics() {
        let text = "\u{feff}Data_Element,org_unit,period,sex,value,source,status,note\r\n\
                    victims_identified,vn,2021,,126,tip-2022,final,Nạn nhân được xác định\r\n\
                    victims_identified,vn,2021,female,114,tip-2022,,\r\n\
                    victims_identified,quang-nam,2024Q1,male,3,synthetic-generator,provisional,\"a, quoted\r\nnote\"\r\n\
                    cases_detected,da-nang-2025,2025Q3,,7,synthetic-generator,final,\r\n";
        let mut store = ObservationStore::new();
        let diagnostics = read_observations("data/vn.csv", text.as_bytes(), &catalogue(), &mut store);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(store.len(), 4);
        assert_eq!(store.notes.name(store.observations[0].note), "Nạn nhân được xác định");
        assert_eq!(store.combo_map(store.observations[1].combo).get("sex").map(String::as_str), Some("female"));
        assert_eq!(store.observations[2].status, ObservationStatus::Provisional);
        // The quoted note spans two lines: the next row is on line 6.
        assert_eq!(store.observations[3].row, 6);
    }

    /// Everything a load leaves behind, to compare a split load with a single pass.
    fn snapshot(store: &ObservationStore, diagnostics: &[Diagnostic]) -> String {
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            store.observations,
            (0..store.len()).map(|i| store.submitted(i)).collect::<Vec<_>>(),
            store.elements.names(),
            store.org_units.names(),
            store.periods,
            store.combos,
            store.sources.names(),
            store.notes.names(),
            store.files,
            diagnostics
        )
    }

    /// A reader that hands out at most `step` bytes a call and fails after `fail_after` bytes, if given.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
        fail_after: Option<usize>,
        given: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            if self.fail_after.is_some_and(|limit| self.given >= limit) {
                return Err(std::io::Error::other("disk unplugged"));
            }
            let n = self.step.min(buffer.len()).min(self.bytes.len() - self.given);
            buffer[..n].copy_from_slice(&self.bytes[self.given..self.given + n]);
            self.given += n;
            Ok(n)
        }
    }

    #[test]
    fn a_file_read_in_pieces_on_several_threads_loads_exactly_as_in_one_pass() {
        let rows = [
            "victims_identified,vn,2021,,126,tip-2022,final,Nạn nhân\r\n",
            "victims_identified,quang-nam,2024Q1,male,3,synthetic-generator,provisional,\"a, quoted\r\nnote\"\r\n",
            "cases_detectd,vn,2022,,90,s,final,\n",
            "cases_detected,da-nang-2025,2025Q3,,7,synthetic-generator,final,\"say \"\"hi\"\"\nand more\"\n",
            "victims_identified,vn,2021,female,114,tip-2022,,\n",
            "\n",
            "x,y,2022Q9,,z,,,\n",
            "cases_detected,quang-nam,2025Q3,,5,s,final,\n",
            "victims_identified,vn,2021,,126,tip-2022,final,duplicate\n",
            "cases_detected,da-nang,2023,female,4,s,draft,\"multi\nline\nnote\"\n",
            "ratio,vn,2022,,0.5,s,final,\"5\" tv\"\n",
            "ratio,vn,2023,,0.5,s,final,5\" tv\n",
            // Classic Mac line ends (a lone `\r`), also inside a quoted note.
            "cases_detected,vn,2019,,3,s,final,\"old\rmac\"\rcases_detected,vn,2018,,x,s,final,\r\n",
        ];
        let header = "\u{feff}data_element,org_unit,period,sex,value,source,status,note\r\n";
        let load = |text: &str, options: ReadOptions, step: usize| {
            let mut store = ObservationStore::new();
            let first = read_observations(
                "first.csv",
                b"data_element,org_unit,period,value,source\nratio,vn,2020,1,s\n",
                &catalogue(),
                &mut store,
            );
            assert!(first.is_empty(), "{first:?}");
            let input = Trickle { bytes: text.as_bytes(), step, fail_after: None, given: 0 };
            let diagnostics = read_csv("data/x.csv", input, &catalogue(), &mut store, options).expect("in memory");
            snapshot(&store, &diagnostics)
        };
        // Every prefix of every rotation, cut into pieces of every size from one line each up: the cuts fall on
        // every kind of row and inside quoted notes that span lines.
        let whole = ReadOptions { threads: 1, chunk_bytes: usize::MAX };
        for start in 0..rows.len() {
            for count in 1..=rows.len() {
                let body: String = (0..count).map(|i| rows[(start + i) % rows.len()]).collect();
                let text = format!("{header}{body}");
                let expected = load(&text, whole, usize::MAX);
                for chunk_bytes in [1, 2, 7, 40, 100, 250] {
                    for threads in [1, 2, 3] {
                        let got = load(&text, ReadOptions { threads, chunk_bytes }, 1 + chunk_bytes % 5);
                        assert_eq!(got, expected, "{chunk_bytes} bytes, {threads} threads: {text}");
                    }
                }
            }
        }
        // The header alone, an empty file and a file of blank lines, in pieces.
        for text in [header, "", "\n\n\n"] {
            assert_eq!(load(text, ReadOptions { threads: 2, chunk_bytes: 1 }, 1), load(text, whole, usize::MAX));
        }
    }

    #[test]
    fn a_read_error_is_returned_not_hidden() {
        let text = format!("data_element,org_unit,period,value,source\n{}", "cases_detected,vn,2022,90,s\n".repeat(50));
        for fail_after in [0, 10, 60, 500] {
            for threads in [1, 2] {
                let input = Trickle { bytes: text.as_bytes(), step: 7, fail_after: Some(fail_after), given: 0 };
                let mut store = ObservationStore::new();
                let options = ReadOptions { threads, chunk_bytes: 64 };
                let error = read_csv("x.csv", input, &catalogue(), &mut store, options).expect_err("the read fails");
                assert_eq!(error.to_string(), "disk unplugged");
            }
        }
    }

    #[test]
    fn reports_each_bad_cell_with_row_and_column() {
        let header = "data_element,org_unit,period,sex,value,source,status,note\n";
        // (rows after the header, expected (code, line, column))
        type Case = (&'static str, Vec<(&'static str, usize, usize)>);
        let cases: Vec<Case> = vec![
            ("cases_detectd,vn,2022,,90,s,final,\n", vec![("E310", 2, 1)]),
            ("cases_detected,quang-nm,2022,,90,s,final,\n", vec![("E311", 2, 2)]),
            ("cases_detected,vn,2022Q5,,90,s,final,\n", vec![("E312", 2, 3)]),
            ("cases_detected,vn,2022,other,90,s,final,\n", vec![("E318", 2, 4)]),
            ("cases_detected,vn,2022,,nhiều,s,final,\n", vec![("E313", 2, 5)]),
            ("cases_detected,vn,2022,,1.234.5,s,final,\n", vec![("E313", 2, 5)]),
            ("cases_detected,vn,2022,,1e300,s,final,\n", vec![("E324", 2, 5)]),
            ("cases_detected,vn,2022,,-1e16,s,final,\n", vec![("E324", 2, 5)]),
            ("cases_detected,vn,2022,,-3,s,final,\n", vec![("E314", 2, 5)]),
            ("cases_detected,vn,2022,,2.5,s,final,\n", vec![("E321", 2, 5)]),
            ("cases_detected,vn,2022,,5,,final,\n", vec![("E322", 2, 6)]),
            ("cases_detected,vn,2022,,5,s,draft,\n", vec![("E315", 2, 7)]),
            ("cases_detected,vn,2022,,5,tip-2O22,final,\n", vec![("E323", 2, 6)]),
            ("cases_detected,quang-nam,2025Q3,,5,s,final,\n", vec![("E320", 2, 2)]),
            ("ratio,vn,2022,,-0.5,s,final,\n", vec![]),
            ("cases_detected,vn,2022,,1,s,final,\n\ncases_detected,vn,2023,,x,s,final,\n", vec![("E313", 4, 5)]),
            (
                "x,y,2022Q9,,z,,,\n",
                vec![("E310", 2, 1), ("E311", 2, 2), ("E312", 2, 3), ("E313", 2, 5), ("E322", 2, 6)],
            ),
        ];
        for (rows, expected) in cases {
            let mut store = ObservationStore::new();
            let text = format!("{header}{rows}");
            let diagnostics = read_observations("bad.csv", text.as_bytes(), &catalogue(), &mut store);
            assert_eq!(found(&diagnostics), expected, "{rows}");
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let good_rows = rows.lines().filter(|l| !l.is_empty()).count() - usize::from(errors > 0);
            assert_eq!(store.len(), good_rows, "{rows}");
        }
    }

    #[test]
    fn reads_classic_mac_line_ends_with_their_line_numbers() {
        // Excel for Mac's "CSV (Macintosh)" ends lines with a lone `\r`.
        let text =
            "data_element,org_unit,period,value,source\rcases_detected,vn,2021,77,s\rcases_detected,vn,2022,x,s\r";
        for options in [ReadOptions::default(), ReadOptions { threads: 2, chunk_bytes: 8 }] {
            let mut store = ObservationStore::new();
            let diagnostics = read_csv("mac.csv", text.as_bytes(), &catalogue(), &mut store, options).expect("memory");
            assert_eq!(found(&diagnostics), [("E313", 3, 4)]);
            assert_eq!((store.len(), store.observations[0].row), (1, 2));
        }
    }

    #[test]
    fn reads_submission_dates_and_reports_bad_ones() {
        let text = "data_element,org_unit,period,value,source,submitted\n\
                    cases_detected,vn,2024Q1,1,s,2024-04-15\n\
                    cases_detected,vn,2024Q2,1,s,\n\
                    cases_detected,vn,2024Q3,1,s,2024-10-02 08:30:00\n\
                    cases_detected,vn,2024Q4,1,s,15/01/2025\n\
                    cases_detected,vn,2023Q4,1,s,2204-01-10\n\
                    cases_detected,vn,2023Q3,1,s,2023-10-05T09:00:00Z\n";
        let mut store = ObservationStore::new();
        let diagnostics = read_observations("dated.csv", text.as_bytes(), &catalogue(), &mut store);
        assert_eq!(found(&diagnostics), [("E325", 5, 6), ("E325", 6, 6)]);
        assert!(diagnostics[0].message.contains("`15/01/2025`"), "{}", diagnostics[0].message);
        assert_eq!(store.len(), 4);
        let dates: Vec<String> =
            (0..store.len()).map(|i| store.submitted(i).map_or("-".to_owned(), |d| d.to_string())).collect();
        assert_eq!(dates, ["2024-04-15", "-", "2024-10-02", "2023-10-05"]);
        // Read in pieces on two threads, and after a file without dates: the same dates, in place.
        let mut pieces = ObservationStore::new();
        let plain = "data_element,org_unit,period,value,source\ncases_detected,vn,2020,1,s\n";
        assert!(read_observations("plain.csv", plain.as_bytes(), &catalogue(), &mut pieces).is_empty());
        let options = ReadOptions { threads: 2, chunk_bytes: 1 };
        read_csv("dated.csv", text.as_bytes(), &catalogue(), &mut pieces, options).expect("in memory");
        let dates: Vec<String> =
            (0..pieces.len()).map(|i| pieces.submitted(i).map_or("-".to_owned(), |d| d.to_string())).collect();
        assert_eq!(dates, ["-", "2024-04-15", "-", "2024-10-02", "2023-10-05"]);
    }

    #[test]
    fn reports_header_problems() {
        let mut store = ObservationStore::new();
        let diagnostics =
            read_observations("h.csv", b"data_element,org_unit,periode,value,sources\n", &catalogue(), &mut store);
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E317", "E317", "E316"]);
        assert!(diagnostics[0].hints[0].contains("did you mean `period`?"), "{:?}", diagnostics[0].hints);
        assert!(diagnostics[2].message.contains("period, source"), "{}", diagnostics[2].message);
        let diagnostics = read_observations("empty.csv", b"", &catalogue(), &mut store);
        assert_eq!(diagnostics[0].code, "E316");
        let diagnostics = read_observations(
            "latin1.csv",
            b"data_element,org_unit,period,value,source\ncases_detected,vn,2022,1,Qu\xe1\n",
            &catalogue(),
            &mut store,
        );
        assert_eq!(found(&diagnostics), [("E319", 2, 5)]);
    }

    #[test]
    fn duplicates_are_found_across_files() {
        let mut store = ObservationStore::new();
        let a = "data_element,org_unit,period,value,source\ncases_detected,vn,2022,90,s\n";
        let b = "data_element,org_unit,period,value,source\ncases_detected,vn,2021,77,s\ncases_detected,vn,2022,91,s\n";
        assert!(read_observations("a.csv", a.as_bytes(), &catalogue(), &mut store).is_empty());
        assert!(read_observations("b.csv", b.as_bytes(), &catalogue(), &mut store).is_empty());
        let duplicates = duplicate_diagnostics(&store);
        assert_eq!(duplicates.len(), 1);
        assert_eq!(duplicates[0].span.as_ref().map(|s| (s.file.as_str(), s.line)), Some(("b.csv", 3)));
        assert!(duplicates[0].message.contains("a.csv:2"), "{}", duplicates[0].message);
    }

    #[test]
    fn reads_the_same_layout_from_xlsx() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let header = ["data_element", "org_unit", "period", "sex", "value", "source", "status", "note", "submitted"];
        for (column, name) in header.iter().enumerate() {
            sheet.write_string(0, column as u16, *name).unwrap();
        }
        // The year typed as a number, as Excel does.
        sheet.write_string(1, 0, "victims_identified").unwrap();
        sheet.write_string(1, 1, "vn").unwrap();
        sheet.write_number(1, 2, 2022).unwrap();
        sheet.write_string(1, 3, "male").unwrap();
        sheet.write_number(1, 4, 153).unwrap();
        sheet.write_string(1, 5, "tip-2023").unwrap();
        sheet.write_string(1, 7, "Báo cáo TIP 2023").unwrap();
        // A submission date typed as a date.
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 6, 30).unwrap();
        sheet
            .write_datetime_with_format(1, 8, &date, &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"))
            .unwrap();
        // A bad row: a text value.
        sheet.write_string(2, 0, "cases_detected").unwrap();
        sheet.write_string(2, 1, "vn").unwrap();
        sheet.write_string(2, 2, "2022Q1").unwrap();
        sheet.write_string(2, 4, "hai mươi bốn").unwrap();
        sheet.write_string(2, 5, "press-baoquocte-2023-08-24").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let mut store = ObservationStore::new();
        let diagnostics = read_observations("data/national.xlsx", &bytes, &catalogue(), &mut store);
        assert_eq!(found(&diagnostics), [("E313", 3, 5)]);
        assert_eq!(store.len(), 1);
        assert_eq!(store.periods[store.observations[0].period as usize].to_string(), "2022");
        assert_eq!(store.observations[0].value, 153.0);
        assert_eq!(store.notes.name(store.observations[0].note), "Báo cáo TIP 2023");
        assert_eq!(store.submitted(0).map(|d| d.to_string()).as_deref(), Some("2023-06-30"));
        let diagnostics = read_observations("broken.xlsx", b"not a zip", &catalogue(), &mut store);
        assert_eq!(diagnostics[0].code, "E319");
    }

    #[test]
    fn synthetic_files_read_back_without_diagnostics() {
        let units: Vec<_> = synthetic::vietnam_org_units().into_iter().filter(|u| u.parent.is_some()).collect();
        let mut rows = Vec::new();
        synthetic::generate(1, &units, 2024..=2025, tiendo_core::PeriodType::Quarter, |row| {
            if row.element == "cases_detected" {
                rows.push(row);
            }
        });
        let expected = rows.len();
        let bytes = write_synthetic_csv(rows);
        let mut store = ObservationStore::new();
        let diagnostics = read_observations("synthetic.csv", &bytes, &catalogue(), &mut store);
        assert!(diagnostics.is_empty(), "{:?}", diagnostics.first());
        assert_eq!(store.len(), expected);
        assert_eq!(store.sources.names(), [SYNTHETIC_SOURCE]);
        assert_eq!(store.notes.names(), [SYNTHETIC_NOTE]);
    }
}
