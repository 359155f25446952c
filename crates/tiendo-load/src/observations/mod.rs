//! Observations in tidy CSV or XLSX: one value per row.
//!
//! Columns (any order, names case-insensitive): `data_element`, `org_unit`, `period`, `value`, `source`,
//! optional `status` (`provisional` or `final`, blank = final), `note` and `submitted` (the date the figure was
//! reported, `YYYY-MM-DD`, for timeliness), plus one column per disaggregation category named by the category id; a
//! blank category cell means "total". Excel's UTF-8 byte-order mark, CRLF or lone CR line ends and Vietnamese text
//! are accepted. A row with any error is left out and reported with `file:row:column`; the other rows load.
//!
//! The reader is split by concern: [`reading`] cuts a CSV stream into pieces and parses them on several threads,
//! [`sniff`] refuses what is not a comma-separated UTF-8 file, [`rows`] holds the rules of a header and a record,
//! [`cells`] the rules of one cell, [`intern`] the caches that turn names into the store's ids, [`xlsx`] reads a
//! workbook as its user sees it, [`budget`] keeps the diagnostics of a file within bounds, and [`synthetic`] writes
//! the files the examples and benchmarks read.
//!
//! Diagnostic codes (stable): E310 unknown-data-element, E311 unknown-org-unit, E312 bad-period,
//! E313 non-numeric-value, E314 negative-count, E315 bad-status, E316 missing-column, E317 unknown-column,
//! E318 unknown-category-option, E319 malformed-file, E320 org-unit-not-valid (warning), E321 not-a-whole-number,
//! E322 missing-source, E323 unknown-source, E324 value-out-of-range, E325 bad-submission-date, E326 row-width,
//! E327 duplicate-column, E328 input-too-large, E329 unclosed-quote, E334 thousands-separator, E335 cell-format,
//! E336 merged-cell, E337 wrong-file-format, W338 sheet-not-read (warning), E341 category-not-on-element, W342
//! hidden-cells-read (warning), E343 exponent-in-count, E346 formula-result-unknown, E347 text-after-quote. Duplicate keys (E301) are found
//! across all files by [`duplicate_diagnostics`].

mod budget;
mod cells;
mod columns;
mod fit;
mod intern;
mod reading;
mod rows;
mod sniff;
mod synthetic;
mod withheld;
mod xlsx;
mod xlsx_formulas;
mod xlsx_hidden;
mod xlsx_parts;
mod xlsx_sheet_scan;

#[cfg(test)]
mod note_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod xlsx_part_tests;

use std::io::Read;

use tiendo_core::eval::store::ObservationStore;
use tiendo_core::model::Catalogue;
use tiendo_core::{Diagnostic, Span};

pub use reading::{read_csv, scan_csv, scan_csv_keys};
pub use synthetic::{
    benchmark_communes_for, benchmark_csv, example_plugin_inputs_csv, example_synthetic_csv, write_benchmark_csv,
    write_synthetic_csv, write_synthetic_csv_submitted,
};
pub use tiendo_core::eval::store::duplicate_diagnostics;

/// The caps on what one data file may make tiendo read and keep. Each is far above any real file of the programme
/// (a year of monthly reports from every commune is a few hundred megabytes of CSV) and bounds what a damaged or
/// hostile file can cost. A file that reaches a cap gets an E328 `input-too-large` error at the place it was
/// reached. The caps count bytes actually read, not the size a file reports (`/proc` files report 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes read from one CSV file: 16 GiB.
    pub csv_bytes: u64,
    /// The longest line, and the longest record (a quoted cell may span lines), in bytes: 1 MiB.
    pub record_bytes: usize,
    /// The most bytes of a workbook file: 256 MiB (a workbook is read whole).
    pub workbook_bytes: u64,
    /// The most bytes a workbook's parts may hold once decompressed: 1 GiB, checked against the sizes the zip
    /// directory claims and then by decompressing the parts into nothing (a part may hold more than it claims).
    pub workbook_uncompressed_bytes: u64,
    /// The most cells read from one sheet: 10 million (Excel's own sheet holds at most 1,048,576 rows).
    pub sheet_cells: u64,
    /// Diagnostics shown per code and file; the rest are counted in one "… and N more like this": 100.
    pub diagnostics_per_code: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            csv_bytes: 16 << 30,
            record_bytes: crate::records::DEFAULT_MAX_RECORD_BYTES,
            workbook_bytes: 256 << 20,
            workbook_uncompressed_bytes: 1 << 30,
            sheet_cells: 10_000_000,
            diagnostics_per_code: 100,
        }
    }
}

/// How a data file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Threads that parse pieces of a CSV file; with 1 everything runs on the calling thread.
    pub threads: usize,
    /// About how many bytes make one piece (cut after a line end); each piece is parsed by one thread, and
    /// `2 x threads` pieces at most are held at a time.
    pub chunk_bytes: usize,
    /// The caps on what the file may make tiendo read.
    pub limits: Limits,
    /// The sheet of a workbook to read (the project names it); `None` reads the first visible sheet.
    pub sheet: Option<String>,
    /// The input's size in bytes when known (a file's length; `None` for a stream). [`read_csv`] reserves the store's
    /// observations once for the rows this suggests (the first piece's rows per byte), instead of growing the vector
    /// by copies as pieces are appended (W2: 64 MB of copies and 11,600 page faults). Only a guess: a wrong
    /// size changes what is reserved, never what is read.
    pub size_hint: Option<u64>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { threads: 2, chunk_bytes: 4 << 20, limits: Limits::default(), sheet: None, size_hint: None }
    }
}

/// Reads observations from `bytes` into `store`. `name` is the file name shown in diagnostics; a name
/// ending in `.xlsx` is read as a workbook (see [`read_observations_from`]), anything else as CSV.
pub fn read_observations(
    name: &str,
    bytes: &[u8],
    catalogue: &Catalogue,
    store: &mut ObservationStore,
) -> Vec<Diagnostic> {
    match read_observations_from(name, bytes, catalogue, store, ReadOptions::default()) {
        Ok(diagnostics) => diagnostics,
        // Reading from memory cannot fail; should it ever, it is a diagnostic, not a panic.
        Err(error) => vec![
            Diagnostic::error("E319", "malformed-file", format!("the file cannot be read: {error}"))
                .with_span(Some(span(name, 1, 1))),
        ],
    }
}

/// Reads observations from `input` into `store`, as [`read_observations`] does from bytes, without holding the
/// whole file: a CSV is read in pieces of `options.chunk_bytes` and parsed on `options.threads` threads. A workbook
/// (`.xlsx`) is read whole, within [`Limits::workbook_bytes`]: the sheet named in `options.sheet`, else the first
/// visible sheet, and no other. `.xls` and `.ods` files are refused with a hint to save them as `.xlsx`. Errors are
/// those of `input`; bad content gives diagnostics.
pub fn read_observations_from(
    name: &str,
    mut input: impl Read,
    catalogue: &Catalogue,
    store: &mut ObservationStore,
    options: ReadOptions,
) -> std::io::Result<Vec<Diagnostic>> {
    let lower = name.to_lowercase();
    if lower.ends_with(".xls") || lower.ends_with(".ods") {
        return Ok(vec![
            Diagnostic::error("E337", "wrong-file-format", "only `.xlsx` workbooks and `.csv` files are read")
                .with_span(Some(span(name, 1, 1)))
                .with_hint("open the file in Excel or LibreOffice and save it as `.xlsx` or as CSV UTF-8"),
        ]);
    }
    if lower.ends_with(".xlsx") {
        let cap = options.limits.workbook_bytes;
        let mut bytes = Vec::new();
        (&mut input).take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > cap {
            return Ok(vec![too_large(name, 1, format!("the workbook is larger than {}", bytes_shown(cap)))]);
        }
        return Ok(xlsx::read_workbook(name, &bytes, catalogue, store, &options));
    }
    read_csv(name, input, catalogue, store, options)
}

/// Reads observations from `input` with every check [`read_observations_from`] makes, and the same diagnostics,
/// but keeps none: each piece's observations, in input order and with ids of the piece's own store, are handed to
/// `absorb`, which takes them. A CSV file streams through in pieces (see [`scan_csv`]); a workbook, read whole
/// anyway, is handed on in one store. `tiendo check` finds duplicate keys this way without the evaluation store.
pub fn scan_observations_from(
    name: &str,
    mut input: impl Read,
    catalogue: &Catalogue,
    options: ReadOptions,
    absorb: &mut dyn FnMut(&mut ObservationStore),
) -> std::io::Result<Vec<Diagnostic>> {
    let lower = name.to_lowercase();
    if lower.ends_with(".xls") || lower.ends_with(".ods") || lower.ends_with(".xlsx") {
        let mut store = ObservationStore::new();
        let diagnostics = read_observations_from(name, &mut input, catalogue, &mut store, options)?;
        absorb(&mut store);
        return Ok(diagnostics);
    }
    scan_csv(name, input, catalogue, options, absorb)
}

/// Checks observations from `input` with every check [`read_observations_from`] makes, and the same diagnostics,
/// keeping only the key hash of each good row ([`tiendo_core::eval::duplicates::key_hash`]), handed to `absorb` a
/// piece at a time in input order: `tiendo check`'s first reading, which interns nothing into any store (see
/// [`scan_csv_keys`]). A workbook, read whole anyway, is read into a store and its observations' key hashes handed on.
pub fn scan_observation_keys_from(
    name: &str,
    mut input: impl Read,
    catalogue: &Catalogue,
    options: ReadOptions,
    absorb: &mut dyn FnMut(&[u64]),
) -> std::io::Result<Vec<Diagnostic>> {
    let lower = name.to_lowercase();
    if lower.ends_with(".xls") || lower.ends_with(".ods") || lower.ends_with(".xlsx") {
        let mut store = ObservationStore::new();
        let diagnostics = read_observations_from(name, &mut input, catalogue, &mut store, options)?;
        absorb(&tiendo_core::eval::duplicates::key_hashes(&store));
        return Ok(diagnostics);
    }
    scan_csv_keys(name, input, catalogue, options, absorb)
}

/// A span at a row and column of a data file (diagnostics of data files carry no byte range).
pub(crate) fn span(file: &str, line: usize, column: usize) -> Span {
    Span { file: file.to_owned(), start: 0, end: 0, line, column }
}

/// An E328 `input-too-large` error.
pub(crate) fn too_large(name: &str, line: usize, message: String) -> Diagnostic {
    Diagnostic::error("E328", "input-too-large", message)
        .with_span(Some(span(name, line, 1)))
        .with_hint("split the file, or check that it is the data file you meant (docs/data-files.md lists the caps)")
}

/// `16 GiB`, `1 MiB`, `512 bytes`: a cap as people read it.
pub(crate) fn bytes_shown(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b.is_multiple_of(1 << 30) => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b.is_multiple_of(1 << 20) => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b.is_multiple_of(1 << 10) => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}
