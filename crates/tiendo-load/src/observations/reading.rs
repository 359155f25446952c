//! Reading and cutting a CSV stream: the input is read in pieces cut after a line end, within the caps on the
//! file's size and a line's length, and the pieces are parsed on several threads and appended in order, so that the
//! result is that of one pass.

use std::collections::BTreeMap;
use std::io::Read;

use tiendo_core::Diagnostic;
use tiendo_core::eval::store::{Observation, ObservationStore};
use tiendo_core::model::Catalogue;

use super::budget::Findings;
use super::columns::Columns;
use super::intern::Interner;
use super::rows::{RowFormats, RowLoader};
use super::{ReadOptions, bytes_shown, sniff, span, too_large};
use crate::records::{Record, RecordReader, Stop, count_line_ends, strip_bom};

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
    read_csv_into(name, input, catalogue, store, options, false, &mut |store, piece, _| store.append(piece))
}

/// Reads CSV observations from a stream as [`read_csv`] does, with every check, but keeps none of them: each piece's
/// observations, in input order and with ids of the piece's own, are handed to `absorb`, which must take them
/// (leave the store without observations). The memory is that of the pieces in flight, whatever the file's size:
/// `tiendo check` finds duplicate keys this way ([`tiendo_core::eval::duplicates`]).
pub fn scan_csv(
    name: &str,
    input: impl Read,
    catalogue: &Catalogue,
    options: ReadOptions,
    absorb: &mut dyn FnMut(&mut ObservationStore),
) -> std::io::Result<Vec<Diagnostic>> {
    // The rows of the first piece, read with the header on this thread, land here; they come before every piece.
    let mut first = ObservationStore::new();
    let diagnostics = read_csv_into(name, input, catalogue, &mut first, options, false, &mut |first, piece, _| {
        if !first.observations.is_empty() {
            absorb(first);
        }
        absorb(piece);
    })?;
    absorb(&mut first);
    Ok(diagnostics)
}

/// Checks CSV observations from a stream as [`read_csv`] does, with every check of every cell and the same
/// diagnostics, but stores nothing: each good row leaves only the hash of its key
/// ([`tiendo_core::eval::duplicates::key_hash`], taken from what its cells were looked up as, with no interning),
/// handed to `absorb` a piece at a time, in input order. What `tiendo check` reads with first; only when a hash
/// repeats does it read the file again with [`scan_csv`] for the exact keys and places.
pub fn scan_csv_keys(
    name: &str,
    input: impl Read,
    catalogue: &Catalogue,
    options: ReadOptions,
    absorb: &mut dyn FnMut(&[u64]),
) -> std::io::Result<Vec<Diagnostic>> {
    let mut unused = ObservationStore::new();
    let options = ReadOptions { size_hint: None, ..options };
    read_csv_into(name, input, catalogue, &mut unused, options, true, &mut |_, _, keys| {
        absorb(keys);
        keys.clear();
    })
}

/// What becomes of each parsed piece, in order: its store appended to the store (`read_csv`) or handed on
/// (`scan_csv`), or its rows' key hashes handed on (`scan_csv_keys`). The first argument is the store given to
/// [`read_csv_into`].
type Sink<'s> = dyn FnMut(&mut ObservationStore, &mut ObservationStore, &mut Vec<u64>) + 's;

fn read_csv_into(
    name: &str,
    input: impl Read,
    catalogue: &Catalogue,
    store: &mut ObservationStore,
    options: ReadOptions,
    keys: bool,
    sink: &mut Sink<'_>,
) -> std::io::Result<Vec<Diagnostic>> {
    let limits = options.limits;
    let rows_before = store.observations.len();
    let mut pieces = Pieces::new(input, options.chunk_bytes.max(1), limits.record_bytes, limits.csv_bytes);
    let mut records = RecordReader::with_max_record(limits.record_bytes);
    let mut loader = RowLoader::new(name, catalogue, store, limits.diagnostics_per_code);
    loader.max_record = limits.record_bytes;
    loader.keys = keys.then(Vec::new);
    let (pending, at_eof) = match read_header((name, catalogue), &mut pieces, &mut records, &mut loader)? {
        Header::Read { pending, at_eof } => (pending, at_eof),
        Header::Finished(diagnostics) => return Ok(diagnostics),
    };
    let columns = loader.columns.clone();
    let column_offset = loader.column_offset;
    let mut findings = std::mem::replace(&mut loader.findings, Findings::new(0));
    let first_keys = loader.keys.take();
    drop(loader);
    // The rows read with the header come before every piece.
    if let Some(mut first_keys) = first_keys {
        sink(store, &mut ObservationStore::new(), &mut first_keys);
    }
    // A piece that ends the input is read to its end, so nothing is pending then.
    if at_eof {
        return Ok(finished(name, findings, &pieces, catalogue));
    }
    let spare_observations = std::sync::Mutex::new(Vec::new());
    let job = Job {
        name,
        catalogue,
        columns: &columns,
        column_offset,
        per_code: limits.diagnostics_per_code,
        max_record: limits.record_bytes,
        keys,
        spare_observations: &spare_observations,
    };
    let mut merger = Merger {
        job,
        parser: Parser { records, kept: None },
        store,
        sink,
        findings: &mut findings,
        pending,
        next: 0,
        waiting: BTreeMap::new(),
        spare_bytes: Vec::new(),
        size_hint: options.size_hint.map(|size| size.min(limits.csv_bytes)),
        rows_before,
    };
    if options.threads <= 1 {
        while let Some(piece) = pieces.next()? {
            let result = job.parse(&mut merger.parser, merger.next, piece);
            merger.accept(result);
            pieces.free.append(&mut merger.spare_bytes);
        }
    } else {
        read_in_parallel(&mut pieces, &mut merger, options.threads)?;
    }
    // The last piece is parsed as the end of the input, so no record is left unfinished.
    debug_assert!(merger.pending.is_none(), "a record was left unfinished at the end of the input");
    Ok(finished(name, findings, &pieces, catalogue))
}

/// How reading a file up to the end of its header went.
enum Header {
    /// The header was read: what is left of a record it did not finish (its bytes and first line), and whether the
    /// input has ended.
    Read { pending: Option<(Vec<u8>, usize)>, at_eof: bool },
    /// Nothing more is read: the file is not CSV, has no header, or reading stopped; these are its diagnostics.
    Finished(Vec<Diagnostic>),
}

/// Reads the pieces up to the end of the header (and the rows that came with it), on this thread: what the file is
/// is decided on its first bytes, however small the pieces are.
fn read_header<R: Read>(
    (name, catalogue): (&str, &Catalogue),
    pieces: &mut Pieces<R>,
    records: &mut RecordReader,
    loader: &mut RowLoader<'_, '_>,
) -> std::io::Result<Header> {
    let mut header_done = false;
    let mut pending: Option<(Vec<u8>, usize)> = None;
    let mut at_eof = false;
    let mut first = first_piece(pieces, sniff::SNIFF_BYTES)?;
    if let Some(piece) = &first
        && let Some(wrong) = sniff::not_csv(name, &piece.bytes[..piece.bytes.len().min(sniff::SNIFF_BYTES)])
    {
        return Ok(Header::Finished(vec![wrong]));
    }
    while !header_done && !at_eof {
        let Some(piece) = (match first.take() {
            Some(piece) => Some(piece),
            None => pieces.next()?,
        }) else {
            break;
        };
        at_eof = piece.last;
        let (bytes, first_line) = match pending.take() {
            Some((mut tail, line)) => {
                tail.extend_from_slice(&piece.bytes);
                (tail, line)
            }
            None => (piece.bytes, piece.first_line),
        };
        match parse_piece(records, loader, &bytes, first_line, at_eof, &mut header_done) {
            Stop::Stopped => {
                let findings = std::mem::replace(&mut loader.findings, Findings::new(0));
                return Ok(Header::Finished(findings.finish(name, catalogue)));
            }
            Stop::Unfinished { offset, line } => pending = Some((bytes[offset..].to_vec(), line)),
            Stop::End => {}
        }
    }
    if !header_done {
        let mut findings = std::mem::replace(&mut loader.findings, Findings::new(0));
        findings.push(
            Diagnostic::error("E316", "missing-column", "the file is empty; expected a header row")
                .with_span(Some(span(name, 1, 1))),
        );
        return Ok(Header::Finished(finished(name, findings, pieces, catalogue)));
    }
    Ok(Header::Read { pending, at_eof })
}

/// The diagnostics of a file read to its end, or to the cap on its size.
fn finished<R>(name: &str, mut findings: Findings, pieces: &Pieces<R>, catalogue: &Catalogue) -> Vec<Diagnostic> {
    if let Some(line) = pieces.stopped_at_line {
        findings.push(too_large(
            name,
            line,
            format!("the file is larger than {}; reading stopped here", bytes_shown(pieces.max_bytes)),
        ));
    }
    findings.finish(name, catalogue)
}

/// How many pieces per parsing thread may be read ahead of the first one not yet merged: the `2 x threads` queued,
/// one being parsed by each thread, and one of slack for results that come back out of order.
const AHEAD_PER_THREAD: usize = 4;

/// Sends the pieces to `threads` parsing threads and merges their results in order as they come back; at most
/// `AHEAD_PER_THREAD x threads` pieces are in flight.
fn read_in_parallel(
    pieces: &mut Pieces<impl Read>,
    merger: &mut Merger<'_, '_, '_>,
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
                let mut parser = Parser { records: RecordReader::with_max_record(job.max_record), kept: None };
                loop {
                    // A poisoned lock means another parser panicked; the scope re-raises that panic.
                    let next = match work.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => break,
                    };
                    let Ok((sequence, piece)) = next else { break };
                    if result_sender.send(job.parse(&mut parser, sequence, piece)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(result_sender);
        let mut sent = 0;
        'reading: while let Some(piece) = pieces.next()? {
            if work_sender.send((sent, piece)).is_err() {
                break;
            }
            sent += 1;
            while let Ok(parsed) = results.try_recv() {
                merger.accept(parsed);
            }
            // At most `AHEAD_PER_THREAD x threads` pieces past the first not yet merged: when one parser is held
            // up (a busy machine), the others' results wait in order, and the reader does not run on filling
            // pieces meanwhile (W2 `check` under load: 22 pieces in flight, the pieces' memory unbounded).
            while sent - merger.next >= AHEAD_PER_THREAD * threads {
                match results.recv() {
                    Ok(parsed) => merger.accept(parsed),
                    // Every parser has stopped: one of them panicked, and the scope re-raises it.
                    Err(_) => break 'reading,
                }
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
    per_code: usize,
    max_record: usize,
    /// Whether rows leave only their key hashes ([`scan_csv_keys`]) instead of being stored.
    keys: bool,
    /// Observation vectors of appended pieces, for the parsers to reuse.
    spare_observations: &'a std::sync::Mutex<Vec<Vec<Observation>>>,
}

/// One piece, parsed into a store of its own.
struct Parsed {
    sequence: usize,
    store: ObservationStore,
    /// The rows' key hashes, when only those are kept.
    keys: Vec<u64>,
    findings: Findings,
    stop: Stop,
    piece: Piece,
}

/// What a parsing thread keeps from one piece to the next.
struct Parser<'a> {
    records: RecordReader,
    /// When rows leave only their key hashes: the store the pieces' disaggregations are interned in, and the
    /// lookup caches that go with it. Nothing else is stored and no id leaves the thread, so the caches can outlive a
    /// piece: each period and element is looked up once a thread, not once a piece (W2 `check`: 4,000 pieces of
    /// 256 KiB, each with 60 periods to parse again; units are forgotten, [`Interner::forget_units`]).
    kept: Option<(ObservationStore, Option<Interner<'a>>)>,
}

impl<'a> Job<'a> {
    /// Parses `piece` as if a record started at its first byte.
    fn parse(&self, parser: &mut Parser<'a>, sequence: usize, piece: Piece) -> Parsed {
        let Parser { records, kept } = parser;
        if self.keys {
            let (mut kept_store, interner) = kept.take().unwrap_or_else(|| (ObservationStore::new(), None));
            let mut interner = interner.unwrap_or_else(|| Interner::new(self.catalogue));
            interner.forget_units();
            let loader = RowLoader::with_interner(self.name, self.catalogue, &mut kept_store, self.per_code, interner);
            let (findings, keys, stop, interner) = self.load(records, loader, &piece);
            *kept = Some((kept_store, Some(interner)));
            return Parsed { sequence, store: ObservationStore::new(), keys, findings, stop, piece };
        }
        let mut store = ObservationStore::new();
        if let Some(observations) = self.spare_observations.lock().ok().and_then(|mut spare| spare.pop()) {
            store.observations = observations;
        }
        store.observations.reserve(piece.lines + 1);
        let loader = RowLoader::new(self.name, self.catalogue, &mut store, self.per_code);
        let (findings, keys, stop, _) = self.load(records, loader, &piece);
        Parsed { sequence, store, keys, findings, stop, piece }
    }

    /// Reads the rows of `piece` with `loader`: its findings, key hashes (when only those are kept), where it
    /// stopped, and its lookup caches.
    fn load<'s>(
        &self,
        records: &mut RecordReader,
        mut loader: RowLoader<'a, 's>,
        piece: &Piece,
    ) -> (Findings, Vec<u64>, Stop, Interner<'a>) {
        loader.columns = self.columns.clone();
        loader.column_offset = self.column_offset;
        loader.max_record = self.max_record;
        loader.keys = self.keys.then(|| Vec::with_capacity(piece.lines + 1));
        let stop = parse_piece(records, &mut loader, &piece.bytes, piece.first_line, piece.last, &mut true);
        let findings = std::mem::replace(&mut loader.findings, Findings::new(0));
        let keys = loader.keys.take().unwrap_or_default();
        (findings, keys, stop, loader.into_interner())
    }
}

/// Appends parsed pieces to the store in order.
struct Merger<'a, 's, 'k> {
    job: Job<'a>,
    parser: Parser<'a>,
    store: &'s mut ObservationStore,
    sink: &'s mut Sink<'k>,
    findings: &'s mut Findings,
    /// The unfinished record at the end of the last piece appended, and its line.
    pending: Option<(Vec<u8>, usize)>,
    /// The sequence number of the next piece to append.
    next: usize,
    waiting: BTreeMap<usize, Parsed>,
    /// Buffers of appended pieces, for the reader to reuse.
    spare_bytes: Vec<Vec<u8>>,
    /// The input's size, until the store's observations are reserved for it ([`ReadOptions::size_hint`]).
    size_hint: Option<u64>,
    /// The store's observations before this input's (earlier files').
    rows_before: usize,
}

impl Merger<'_, '_, '_> {
    fn accept(&mut self, parsed: Parsed) {
        self.waiting.insert(parsed.sequence, parsed);
        while let Some(mut parsed) = self.waiting.remove(&self.next) {
            if let Some((mut tail, line)) = self.pending.take() {
                // The piece was parsed from inside a record: read it again after the start of that record.
                tail.extend_from_slice(&parsed.piece.bytes);
                let lines = count_line_ends(&tail);
                let piece = Piece { bytes: tail, first_line: line, lines, last: parsed.piece.last };
                parsed = self.job.parse(&mut self.parser, parsed.sequence, piece);
            }
            if let Some(size) = self.size_hint.take() {
                let rows = expected_rows(size, parsed.store.observations.len(), parsed.piece.bytes.len());
                // A guess too large for memory reserves nothing: the vector then grows as the rows come.
                let read = self.store.observations.len() - self.rows_before;
                let _ = self.store.observations.try_reserve_exact(rows.saturating_sub(read));
            }
            (self.sink)(self.store, &mut parsed.store, &mut parsed.keys);
            self.findings.append(std::mem::replace(&mut parsed.findings, Findings::new(0)));
            if let Stop::Unfinished { offset, line } = parsed.stop {
                self.pending = Some((parsed.piece.bytes[offset..].to_vec(), line));
            }
            self.spare_bytes.push(parsed.piece.bytes);
            if !self.job.keys
                && let Ok(mut spare) = self.job.spare_observations.lock()
            {
                spare.push(std::mem::take(&mut parsed.store.observations));
            }
            self.next += 1;
        }
    }
}

/// How many rows an input of `size` bytes holds, guessed from a piece of `piece_bytes` bytes that gave `rows`
/// observations, with 1/64 to spare; at most one per 8 bytes (a row with its four cells and line end, the least a
/// stored row takes, is longer), so that no odd first piece reserves much more than the input could hold. 0 when the
/// piece is empty.
pub(super) fn expected_rows(size: u64, rows: usize, piece_bytes: usize) -> usize {
    if piece_bytes == 0 {
        return 0;
    }
    let rows = u128::from(size) * rows as u128 / piece_bytes as u128;
    let rows = (rows + rows / 64).min(u128::from(size / 8));
    usize::try_from(rows).unwrap_or(usize::MAX)
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
/// The first piece of the input, joined with the next ones until it holds `at_least` bytes or the input ends.
fn first_piece<R: Read>(pieces: &mut Pieces<R>, at_least: usize) -> std::io::Result<Option<Piece>> {
    let Some(mut first) = pieces.next()? else { return Ok(None) };
    while first.bytes.len() < at_least && !first.last {
        let Some(more) = pieces.next()? else { break };
        first.bytes.extend_from_slice(&more.bytes);
        first.lines += more.lines;
        first.last = more.last;
        pieces.free.push(more.bytes);
    }
    Ok(Some(first))
}

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
///
/// Two caps bound what a piece can hold: a line longer than `max_line` bytes is kept only up to `max_line + 1` bytes
/// (the record reader reports it as too long, whether it sees it whole or cut) and the rest of it is read past; and
/// reading stops after `max_bytes` bytes, at the last line end before them.
struct Pieces<R> {
    input: R,
    size: usize,
    max_line: usize,
    max_bytes: u64,
    /// Bytes read from the input so far, skipped ones included.
    read: u64,
    /// The line where reading stopped at the cap on the file's size.
    stopped_at_line: Option<usize>,
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
    fn new(input: R, size: usize, max_line: usize, max_bytes: u64) -> Self {
        Pieces {
            input,
            size,
            max_line,
            max_bytes,
            read: 0,
            stopped_at_line: None,
            rest: Vec::new(),
            free: Vec::new(),
            line: 1,
            first: true,
            done: false,
        }
    }

    /// Reads up to `step` more bytes onto `bytes`, within the cap on the file's size; false at the end of the input.
    fn fill(&mut self, bytes: &mut Vec<u8>, step: usize) -> std::io::Result<bool> {
        let allowed = (step as u64).min(self.max_bytes.saturating_sub(self.read) + 1);
        bytes.reserve(allowed as usize);
        // `read_to_end` reads into the buffer's spare room without zeroing it first where the reader allows (a file
        // does): zeroing a gigabyte would cost a tenth of a second.
        let read = (&mut self.input).take(allowed).read_to_end(bytes)?;
        self.read += read as u64;
        if self.read > self.max_bytes {
            // The cap: keep whole lines only, and say where reading stopped.
            let over = (self.read - self.max_bytes) as usize;
            bytes.truncate(bytes.len() - over);
            let end = last_line_end(bytes).map_or(0, |end| end + 1);
            self.stopped_at_line = Some(self.line + count_line_ends(&bytes[..end]));
            bytes.truncate(end);
            return Ok(false);
        }
        Ok(read == allowed as usize)
    }

    /// Reads past the rest of a line longer than the cap, up to its line end, which is kept in `bytes`.
    fn skip_line(&mut self, bytes: &mut Vec<u8>) -> std::io::Result<bool> {
        let mut scratch = Vec::with_capacity(64 << 10);
        loop {
            scratch.clear();
            let more = self.fill(&mut scratch, 64 << 10)?;
            if let Some(end) = memchr::memchr2(b'\n', b'\r', &scratch) {
                bytes.extend_from_slice(&scratch[end..]);
                return Ok(more);
            }
            if !more {
                return Ok(false);
            }
        }
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
            while bytes.len() < target {
                let step = (target - bytes.len()).min(1 << 20);
                if !self.fill(&mut bytes, step)? {
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
                // The last line may be too long too.
                let start = last_line_end(&bytes).map_or(0, |end| end + 1);
                bytes.truncate(start + (bytes.len() - start).min(self.max_line + 1));
                break bytes.len();
            }
            if let Some(end) = last_line_end(&bytes[searched..]) {
                break searched + end + 1;
            }
            // No line end in the whole piece: one line longer than a piece. Past the cap it is cut and read past.
            if bytes.len() > self.max_line + 1 {
                bytes.truncate(self.max_line + 1);
                if !self.skip_line(&mut bytes)? {
                    self.done = true;
                }
                searched = self.max_line + 1;
                continue;
            }
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

/// Loads the records of one piece (the header first unless `header_done`). Stops early, with [`Stop::Stopped`],
/// when the header cannot be read.
fn parse_piece(
    records: &mut RecordReader,
    loader: &mut RowLoader<'_, '_>,
    bytes: &[u8],
    first_line: usize,
    at_eof: bool,
    header_done: &mut bool,
) -> Stop {
    // Valid UTF-8 as a whole (the usual case) makes each cell cut from it at a delimiter valid too: plain lines come
    // with their cells cut from this text ([`Record::Text`]); the others' cells are checked one by one.
    let text = std::str::from_utf8(bytes).ok();
    // One allocation for the cells of every other record: the vector is moved in and out of the record's lifetime.
    let mut spare: Vec<&'static str> = Vec::with_capacity(16);
    records.for_each_record_in(bytes, text, first_line, at_eof, |line, record| {
        let cells = match record {
            Record::Text(fields) => {
                // A plain line, its cells cut from the piece's text as they were found.
                if !*header_done {
                    *header_done = true;
                    return loader.header(fields, line);
                }
                let own = text.zip(loader.columns.repeated).and_then(|(text, (first, last))| {
                    fields.get(first..=last).and_then(|cells| own_cells(text, cells))
                });
                loader.row_in_place(fields, line, RowFormats::default(), own);
                return true;
            }
            Record::Fields(cells) => cells,
            Record::LineTooLong => {
                let message =
                    format!("the line is longer than {}; it was not read", bytes_shown(loader.max_record as u64));
                loader.findings.push(too_large(loader.name, line, message));
                return *header_done;
            }
            Record::UnclosedQuote { column } => {
                unclosed_quote(loader, line, column);
                return *header_done;
            }
            Record::TextAfterQuote { column, .. } => {
                text_after_quote(loader, line, column);
                return *header_done;
            }
        };
        // A record read by the full rules (its cells rewritten, out of the piece), or a piece that is not UTF-8.
        let mut fields: Vec<&str> = std::mem::take(&mut spare).into_iter().map(|_| "").collect();
        for (index, cell) in cells.iter().enumerate() {
            match std::str::from_utf8(cell) {
                Ok(text) => fields.push(text),
                Err(_) => {
                    let at =
                        loader.error("E319", "malformed-file", line, index, "the cell is not valid UTF-8".to_owned());
                    loader.findings.hint(at, "save the file as CSV UTF-8".to_owned());
                    return true;
                }
            }
        }
        if !*header_done {
            *header_done = true;
            return loader.header(&fields, line);
        }
        loader.row(&fields, line, RowFormats::default());
        fields.clear();
        spare = fields.into_iter().map(|_| "").collect();
        true
    })
}

/// The text of `cells` (cut in place from `text`, side by side, not the first of their line) from the byte before the
/// first (the `,` before it, or its opening quote) to the byte after the last (its closing quote, or what ends it),
/// as [`RowLoader::row_in_place`] compares them.
fn own_cells<'t>(text: &'t str, cells: &[&str]) -> Option<&'t str> {
    let base = text.as_ptr() as usize;
    let (first, last) = (cells.first()?, cells.last()?);
    let start = (first.as_ptr() as usize - base).checked_sub(1)?;
    let end = (last.as_ptr() as usize - base + last.len() + 1).min(text.len());
    text.get(start..end)
}

/// E347: a quoted cell that goes on after its closing quote (`"1"250`), which the CSV rules join into `1250`: the row
/// is left out (review of 6 December, helper 2, F9).
fn text_after_quote(loader: &mut RowLoader<'_, '_>, line: usize, column: usize) {
    let message = "this quoted cell goes on after its closing `\"`: its two parts would be joined".to_owned();
    let at = loader.error("E347", "text-after-quote", line, column - 1, message);
    loader.findings.hint(
        at,
        "put the whole cell in quotes (`\"a, b\"`), write a quote inside it as `\"\"`, or remove the quotes; the \
         row was not read"
            .to_owned(),
    );
}

fn unclosed_quote(loader: &mut RowLoader<'_, '_>, line: usize, column: usize) {
    let message = "this quoted cell is never closed: its opening `\"` would take in every row after it".to_owned();
    let at = loader.error("E329", "unclosed-quote", line, column - 1, message);
    loader.findings.hint(
        at,
        "close the quote (`\"a note\"`), or write a quote inside a cell as `\"\"`; the rest of this line was skipped \
         and the rows after it were read"
            .to_owned(),
    );
}
