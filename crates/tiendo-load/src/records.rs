//! Splitting CSV bytes into records, exactly as the csv crate reads them with tiendo's settings (`,` between
//! fields, `"` around quoted fields with `""` for a quote inside, `\r`, `\n` or `\r\n` ending a record, blank lines
//! skipped, records of any length), but without copying the fields of ordinary rows.
//!
//! A row on one line whose quoted fields, if any, hold no quote, close right before a `,` or the end of the line,
//! and no stray `\r` is split in place, with the line as its only scan (`line_split.rs`: the structural bytes found
//! 64 at a time). Anything else (a quoted field that spans
//! lines, doubled quotes, a quote inside an unquoted field, a lone `\r`) is read by `csv-core`, the state machine the
//! csv crate itself runs, from the start of that record. The tests compare both with the csv crate on random input.
//!
//! Bytes can be split anywhere after a `\n` and read piece by piece: a piece that ends inside a record (a quoted
//! field that goes on in the next piece) reports where that record starts, so that the caller can read it again
//! with the next piece joined on.

use memchr::memchr2;

use crate::line_split::{Split, Structurals, split_plain, split_plain_text};

/// What [`RecordReader::for_each_record`] hands on for each record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record<'r> {
    /// The fields of one record.
    Fields(&'r [&'r [u8]]),
    /// The fields of one plain line, cut from the text given to [`RecordReader::for_each_record_in`]: the same
    /// fields as [`Record::Fields`] would hold, already text.
    Text(&'r [&'r str]),
    /// A line longer than the cap: it was not split (a 10-million-cell row is not held as cells).
    LineTooLong,
    /// A quoted field opened in field `column` (1-based) and not closed by the end of the input or within the cap on
    /// a record's length: the rest of the line that holds the opening quote is skipped, and reading goes on with the
    /// next line, so that one stray quote does not swallow every later row.
    UnclosedQuote { column: usize },
    /// A record whose quoted field `column` (1-based) goes on after its closing quote (`"1"250`): csv-core joins the
    /// two (`1250`), a value no one typed, so the reader refuses the row. `fields` are csv-core's reading.
    TextAfterQuote { fields: &'r [&'r [u8]], column: usize },
}

/// Why [`RecordReader::for_each_record`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Every record of the bytes was read, and the bytes end between records.
    End,
    /// The bytes end inside the record that starts at byte `offset`, on line `line`; nothing of it was passed on.
    Unfinished { offset: usize, line: usize },
    /// The callback asked to stop.
    Stopped,
}

/// Where [`RecordReader::for_each_record_in`] goes on after a record read by the full rules.
enum Next {
    /// At this byte and line.
    At { position: usize, line: usize },
    /// Nowhere: the record was unfinished, or the caller stopped.
    Stop(Stop),
}

/// `bytes` without a leading UTF-8 byte-order mark, which Excel writes and the csv crate drops at the start of its
/// input: call it on the first piece only.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// Reusable buffers of the `csv-core` reader used for records that are not split in place.
pub struct RecordReader {
    core: csv_core::Reader,
    output: Vec<u8>,
    ends: Vec<usize>,
    /// The longest line, and the longest record (a record spans lines inside quoted fields), in bytes.
    max_record: usize,
}

/// The longest line or record read by default: far above any real row (a row of a dozen cells with a long note is
/// a few kilobytes), small enough that a hostile file cannot make one record take much memory.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 1 << 20;

impl Default for RecordReader {
    fn default() -> Self {
        RecordReader::with_max_record(DEFAULT_MAX_RECORD_BYTES)
    }
}

impl RecordReader {
    /// A reader whose lines and records may be at most `max_record` bytes long (without the line end).
    pub fn with_max_record(max_record: usize) -> Self {
        RecordReader { core: csv_core::Reader::new(), output: vec![0; 1024], ends: vec![0; 64], max_record }
    }

    /// Calls `record(line, record)` for each record of `bytes`, in order, where `line` is the 1-based line the record
    /// starts on, counting `first_line` for the first byte. `at_eof` says whether `bytes` end the input: if not, they
    /// must end at a line end (after a `\n`, or after a `\r` that no `\n` follows), and a record cut off there (a
    /// quoted field that goes on) is reported as [`Stop::Unfinished`] instead of being read. `record` returns whether
    /// to go on.
    ///
    /// A line longer than the cap is passed on as [`Record::LineTooLong`]; a quoted field that is not closed by the
    /// end of the input, or within the cap, as [`Record::UnclosedQuote`] on the line of its opening quote. Both
    /// decisions depend only on the bytes within the cap from the record's start (and on whether the input ends
    /// there), so they do not depend on where the input was cut into pieces.
    pub fn for_each_record(
        &mut self,
        bytes: &[u8],
        first_line: usize,
        at_eof: bool,
        record: impl FnMut(usize, Record<'_>) -> bool,
    ) -> Stop {
        self.for_each_record_in(bytes, None, first_line, at_eof, record)
    }

    /// [`RecordReader::for_each_record`], where `text` is `bytes` as text when they are valid UTF-8: a plain line's
    /// fields are then handed on as [`Record::Text`], cut from `text` as they are found.
    pub fn for_each_record_in(
        &mut self,
        bytes: &[u8],
        text: Option<&str>,
        first_line: usize,
        at_eof: bool,
        mut record: impl FnMut(usize, Record<'_>) -> bool,
    ) -> Stop {
        let mut position = 0;
        let mut line = first_line;
        let mut fields: Vec<&[u8]> = Vec::with_capacity(16);
        let mut text_fields: Vec<&str> = Vec::with_capacity(16);
        let mut structurals = Structurals::new(bytes);
        loop {
            // Blank lines between records are skipped, as csv-core skips terminators at the start of a record.
            while position < bytes.len() && matches!(bytes[position], b'\r' | b'\n') {
                line += usize::from(ends_line(bytes, position));
                position += 1;
            }
            if position == bytes.len() {
                return Stop::End;
            }
            fields.clear();
            text_fields.clear();
            let as_text = text.and_then(|text| {
                split_plain_text(text, position, at_eof, self.max_record, &mut structurals, &mut text_fields)
            });
            let split = match as_text {
                Some(split) => split,
                None => split_plain(bytes, position, at_eof, self.max_record, &mut structurals, &mut fields),
            };
            match split {
                Split::Line { end, next, line_ends } => {
                    let shown = if end - position > self.max_record {
                        Record::LineTooLong
                    } else if as_text.is_some() {
                        Record::Text(&text_fields)
                    } else {
                        Record::Fields(&fields)
                    };
                    if !record(line, shown) {
                        return Stop::Stopped;
                    }
                    position = next;
                    line += line_ends;
                    continue;
                }
                Split::Unfinished => return Stop::Unfinished { offset: position, line },
                Split::Full => {}
            }
            match self.read_full(bytes, (position, line), at_eof, &mut record) {
                Next::At { position: at, line: on } => (position, line) = (at, on),
                Next::Stop(stop) => return stop,
            }
        }
    }

    /// Reads the record at `position` (on line `line`) by the full CSV rules, with csv-core: a line the plain
    /// splitter handed back (a quoted cell holding a quote or a line end, a quote inside an unquoted cell, a line
    /// longer than the cap), reported to `record` as it is, too long, or with an unclosed quote. Out of line: plain
    /// lines, nearly all of a file, never come here.
    #[inline(never)]
    fn read_full(
        &mut self,
        bytes: &[u8],
        (position, line): (usize, usize),
        at_eof: bool,
        record: &mut impl FnMut(usize, Record<'_>) -> bool,
    ) -> Next {
        let rest = &bytes[position..];
        // The line ends at the first `\n`, `\r\n` or lone `\r` (as in files saved by old Mac Excel), as csv-core
        // ends records; looking for both keeps a file without `\n` linear.
        let (content, consumed, line_ends) = match memchr2(b'\n', b'\r', rest) {
            Some(end) if rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n') => (&rest[..end], end + 2, 1),
            Some(end) => (&rest[..end], end + 1, 1),
            None if at_eof => (rest, rest.len(), 0),
            // Without a line end the record may go on in the next piece (only a quoted field that holds no line
            // end could complete it, and the next piece decides that).
            None => return Next::Stop(Stop::Unfinished { offset: position, line }),
        };
        if content.len() > self.max_record {
            if !record(line, Record::LineTooLong) {
                return Next::Stop(Stop::Stopped);
            }
            return Next::At { position: position + consumed, line: line + line_ends };
        }
        let read = self.read_one(rest, at_eof);
        let too_long = match read {
            None => rest.len() > self.max_record,
            Some((used, _)) => used > self.max_record,
        };
        let unclosed = if too_long {
            open_quote(&rest[..self.max_record.min(rest.len())])
        } else if at_eof && read.is_some_and(|(used, _)| used == rest.len()) {
            open_quote(rest)
        } else {
            None
        };
        if let Some((open, column)) = unclosed {
            // Skip the rest of the line that holds the opening quote, then read on.
            let quote_line = line + (0..open).filter(|&at| ends_line(rest, at)).count();
            if !record(quote_line, Record::UnclosedQuote { column }) {
                return Next::Stop(Stop::Stopped);
            }
            let skipped = memchr2(b'\n', b'\r', &rest[open..]).map_or(rest.len(), |end| {
                let end = open + end;
                if rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n') { end + 2 } else { end + 1 }
            });
            let line = line + (0..skipped).filter(|&at| ends_line(rest, at)).count();
            return Next::At { position: position + skipped, line };
        }
        match read {
            None => Next::Stop(Stop::Unfinished { offset: position, line }),
            Some((used, count)) => {
                let mut start = 0;
                let output: &[u8] = &self.output;
                let fields: Vec<&[u8]> = self.ends[..count]
                    .iter()
                    .map(|&end| {
                        let field = &output[start..end];
                        start = end;
                        field
                    })
                    .collect();
                let read = match text_after_quote(&rest[..used]) {
                    Some(column) => Record::TextAfterQuote { fields: &fields, column },
                    None => Record::Fields(&fields),
                };
                if !record(line, read) {
                    return Next::Stop(Stop::Stopped);
                }
                let line = line + (position..position + used).filter(|&at| ends_line(bytes, at)).count();
                Next::At { position: position + used, line }
            }
        }
    }

    /// Reads the record at the start of `input` with csv-core: `Some((bytes used, field count))`, the fields in
    /// `self.output` up to `self.ends`; `None` when `input` ends inside the record and more may follow.
    fn read_one(&mut self, input: &[u8], at_eof: bool) -> Option<(usize, usize)> {
        self.core.reset();
        let (mut used, mut out, mut count) = (0, 0, 0);
        loop {
            let (result, nin, nout, nend) =
                self.core.read_record(&input[used..], &mut self.output[out..], &mut self.ends[count..]);
            used += nin;
            out += nout;
            count += nend;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {
                    if !at_eof {
                        return None;
                    }
                    // The input is all there: reading an empty slice tells csv-core it has ended.
                }
                csv_core::ReadRecordResult::OutputFull => {
                    let size = self.output.len() * 2;
                    self.output.resize(size, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let size = self.ends.len() * 2;
                    self.ends.resize(size, 0);
                }
                csv_core::ReadRecordResult::Record => return Some((used, count)),
                // Only blank lines were left, and they were skipped before.
                csv_core::ReadRecordResult::End => return Some((used, count)),
            }
        }
    }
}

/// Where a quoted field is still open at the end of `record` (which starts at a record's first byte), following
/// csv-core's rules (a field is quoted when its first byte is `"`; `""` inside it is a quote; a quote followed by
/// anything else closes it): `Some((offset of the opening quote, 1-based field number))`, or `None`.
fn open_quote(record: &[u8]) -> Option<(usize, usize)> {
    #[derive(Clone, Copy)]
    enum State {
        FieldStart,
        InField,
        InQuotes(usize),
        QuoteInQuotes(usize),
    }
    let mut state = State::FieldStart;
    let mut field = 1;
    for (at, &byte) in record.iter().enumerate() {
        state = match (state, byte) {
            (State::FieldStart, b'"') => State::InQuotes(at),
            (State::FieldStart | State::InField | State::QuoteInQuotes(_), b',') => {
                field += 1;
                State::FieldStart
            }
            // A line end outside quotes ends the record: nothing is open.
            (State::FieldStart | State::InField | State::QuoteInQuotes(_), b'\n' | b'\r') => return None,
            (State::FieldStart | State::InField, _) => State::InField,
            (State::InQuotes(open), b'"') => State::QuoteInQuotes(open),
            (State::InQuotes(open), _) => State::InQuotes(open),
            (State::QuoteInQuotes(open), b'"') => State::InQuotes(open),
            (State::QuoteInQuotes(_), _) => State::InField,
        };
    }
    match state {
        State::InQuotes(open) => Some((open, field)),
        _ => None,
    }
}

/// The 1-based number of the first quoted field of `record` (a record's bytes) that goes on after its closing quote
/// (`"1"250`, `"ab"c`), by the rules of [`open_quote`]; `None` when every quoted field ends at its closing quote.
fn text_after_quote(record: &[u8]) -> Option<usize> {
    let (mut quoted, mut closing, mut field, mut start) = (false, false, 1, true);
    for &byte in record {
        match byte {
            b'"' if start => (quoted, start) = (true, false),
            b'"' if quoted => {
                // A quote in quotes: `""` (two) is one quote; one alone closes the field.
                closing = !closing;
            }
            b',' | b'\n' | b'\r' if !quoted || closing => {
                if matches!(byte, b'\n' | b'\r') {
                    return None;
                }
                (quoted, closing, start) = (false, false, true);
                field += 1;
            }
            _ if quoted && closing => return Some(field),
            _ => start = false,
        }
    }
    None
}

/// Whether the byte at `at` ends a line: a `\n`, or a `\r` not followed by `\n` (a `\r\n` ends one line, at its `\n`).
pub fn ends_line(bytes: &[u8], at: usize) -> bool {
    match bytes[at] {
        b'\n' => true,
        b'\r' => bytes.get(at + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// How many lines end in `bytes` (see [`ends_line`]): `\n`s, plus `\r`s, less `\r\n` pairs. Counting in blocks of
/// 192 into byte-sized counters lets the compiler compare 16 bytes an instruction, 64 a loop turn, with no remainder
/// (blocks of 255 left 15 bytes a block to a loop of 4 bytes a turn: a fifth of the time, for 6 % of the bytes);
/// the pairs are counted in a second pass only when there is a `\r` at all.
pub fn count_line_ends(bytes: &[u8]) -> usize {
    let (mut newlines, mut returns) = (0usize, 0usize);
    for block in bytes.chunks(192) {
        let (mut n, mut r) = (0u8, 0u8);
        for &byte in block {
            n += u8::from(byte == b'\n');
            r += u8::from(byte == b'\r');
        }
        newlines += usize::from(n);
        returns += usize::from(r);
    }
    if returns == 0 {
        return newlines;
    }
    let mut pairs = 0usize;
    let (firsts, seconds) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    for (block, next) in firsts.chunks(192).zip(seconds.chunks(192)) {
        let mut p = 0u8;
        for (&byte, &after) in block.iter().zip(next) {
            p += u8::from((byte == b'\r') & (after == b'\n'));
        }
        pairs += usize::from(p);
    }
    newlines + returns - pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, fields) of every record, as the csv crate reads them; lines counted as the `\n` before the record's
    /// first byte, after any blank line ends.
    fn with_csv_crate(bytes: &[u8]) -> Vec<(usize, Vec<Vec<u8>>)> {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut record).expect("reading from memory") {
            let mut start = record.position().map_or(0, |p| p.byte() as usize);
            while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                start += 1;
            }
            let line = 1 + (0..start).filter(|&at| ends_line(bytes, at)).count();
            out.push((line, record.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    /// A record as the tests compare them: its fields, or an event shown as one field such as `<unclosed 7>`.
    fn shown(record: Record<'_>) -> Vec<Vec<u8>> {
        match record {
            Record::Fields(fields) => fields.iter().map(|f| f.to_vec()).collect(),
            Record::Text(fields) => fields.iter().map(|f| f.as_bytes().to_vec()).collect(),
            Record::LineTooLong => vec![b"<too long>".to_vec()],
            Record::UnclosedQuote { column } => vec![format!("<unclosed {column}>").into_bytes()],
            Record::TextAfterQuote { fields, .. } => fields.iter().map(|f| f.to_vec()).collect(),
        }
    }

    fn with_splitter(bytes: &[u8]) -> Vec<(usize, Vec<Vec<u8>>)> {
        with_splitter_capped(bytes, DEFAULT_MAX_RECORD_BYTES)
    }

    /// The records of `bytes` read whole, as bytes; and, when they are valid UTF-8, read as text too
    /// ([`RecordReader::for_each_record_in`]), which must give the same records.
    fn with_splitter_capped(bytes: &[u8], max_record: usize) -> Vec<(usize, Vec<Vec<u8>>)> {
        let bytes = strip_bom(bytes);
        let read = |text: Option<&str>| {
            let mut out = Vec::new();
            let mut reader = RecordReader::with_max_record(max_record);
            let stop = reader.for_each_record_in(bytes, text, 1, true, |line, record| {
                out.push((line, shown(record)));
                true
            });
            assert_eq!(stop, Stop::End);
            out
        };
        let out = read(None);
        if let Ok(text) = std::str::from_utf8(bytes) {
            assert_eq!(read(Some(text)), out, "as text: {text:?}");
        }
        out
    }

    /// The csv crate's records, up to the record that a quote never closed swallows: the splitter reports that one
    /// and reads on after the line of its opening quote, where the csv crate's records are no longer comparable.
    fn agrees_with_csv_crate(got: &[(usize, Vec<Vec<u8>>)], expected: &[(usize, Vec<Vec<u8>>)], what: &str) {
        match got.iter().position(|(_, fields)| fields[0].starts_with(b"<unclosed")) {
            None => assert_eq!(got, expected, "{what}"),
            Some(at) => {
                assert_eq!(&got[..at], &expected[..at], "{what}");
                // The csv crate read the swallowing record as the last one, starting where the quote's line is.
                assert_eq!(at + 1, expected.len(), "{what}");
            }
        }
    }

    /// Reads `bytes` in pieces cut after each `\n` in `cuts`, joining an unfinished record onto the next piece.
    /// Where a piece may end: after a `\n`, or after a `\r` whose next byte is not `\n`, as the reader of pieces cuts.
    fn line_ends(bytes: &[u8]) -> Vec<usize> {
        (0..bytes.len())
            .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1).is_some_and(|&b| b != b'\n')))
            .map(|i| i + 1)
            .collect()
    }

    fn in_pieces(bytes: &[u8], cuts: &[usize], max_record: usize) -> Vec<(usize, Vec<Vec<u8>>)> {
        let mut out = Vec::new();
        let mut reader = RecordReader::with_max_record(max_record);
        let (mut pending, mut line) = (Vec::new(), 1);
        let mut from = 0;
        for (index, &cut) in cuts.iter().chain([&bytes.len()]).enumerate() {
            pending.extend_from_slice(&bytes[from..cut]);
            from = cut;
            let at_eof = index == cuts.len();
            // As text when the piece is valid UTF-8, as the reader of observations reads pieces.
            let text = std::str::from_utf8(&pending).ok();
            let stop = reader.for_each_record_in(&pending, text, line, at_eof, |l, record| {
                out.push((l, shown(record)));
                true
            });
            match stop {
                Stop::End => {
                    line += count_line_ends(&pending);
                    pending.clear();
                }
                Stop::Unfinished { offset, line: at } => {
                    assert!(!at_eof);
                    pending.drain(..offset);
                    line = at;
                }
                Stop::Stopped => unreachable!(),
            }
        }
        out
    }

    #[test]
    fn a_quoted_field_that_goes_on_after_its_closing_quote_is_named() {
        for (record, field) in [
            (&b"a,\"1\"250,c"[..], Some(2)),
            (b"\"ab\"c", Some(1)),
            (b"a,b,\"x\" \n", Some(3)),
            (b"a,\"1,250\",c", None),
            (b"a,\"say \"\"hi\"\"\",c", None),
            (b"a,b\"c,d", None),
            (b"\"a\"\r\n\"b\"c", None),
            (b"", None),
        ] {
            assert_eq!(text_after_quote(record), field, "{}", String::from_utf8_lossy(record));
        }
    }

    #[test]
    fn counts_line_ends_as_editors_do() {
        for (text, expected) in
            [("", 0), ("a", 0), ("\n", 1), ("\r", 1), ("\r\n", 1), ("\n\r", 2), ("a\rb\r\nc\nd\r", 4), ("\r\r\n", 2)]
        {
            let bytes = text.as_bytes();
            assert_eq!(count_line_ends(bytes), expected, "{text:?}");
            assert_eq!((0..bytes.len()).filter(|&at| ends_line(bytes, at)).count(), expected, "{text:?}");
        }
        // Long enough for several blocks, with pairs across block edges.
        let long: Vec<u8> = (0..2000).map(|i| [b'a', b'\r', b'\n', b'\r'][i % 4]).collect();
        assert_eq!(count_line_ends(&long), (0..long.len()).filter(|&at| ends_line(&long, at)).count());
    }

    #[test]
    fn line_ends_are_counted_as_one_byte_at_a_time() {
        // Lengths around the 192-byte blocks and 16-byte steps of the count, runs of 255 and more line ends in a row
        // (a byte-sized counter must not wrap within a block), `\r\n` pairs across every block edge, bytes above
        // 0x7f whose low bits are those of `\n` and `\r`.
        let mut rng = crate::test_rng::Lcg::new(23u64);
        for round in 0..400 {
            let length = [0, 1, 15, 16, 17, 191, 192, 193, 4_080, 20_000][round % 10] + rng.below(40);
            let dense = round % 3 == 0;
            let bytes: Vec<u8> = (0..length)
                .map(|_| {
                    let pick = rng.below(if dense { 4 } else { 40 });
                    [b'\n', b'\r', b'\n', b'\r'].get(pick).copied().unwrap_or([b'a', 0xff, 0x8a, 0x8d][pick % 4])
                })
                .collect();
            let expected = (0..bytes.len()).filter(|&at| ends_line(&bytes, at)).count();
            assert_eq!(count_line_ends(&bytes), expected, "round {round}, {length} bytes");
        }
        let all: Vec<u8> = vec![b'\n'; 3 * 4_080 + 7];
        assert_eq!(count_line_ends(&all), all.len());
    }

    #[test]
    fn splits_as_the_csv_crate_reads() {
        let cases: [&[u8]; 16] = [
            b"",
            b"a,b\nc,d\n",
            b"a,b\r\nc,d\r\n",
            b"a,b\nc,d",
            b"\n\n a ,\"b, c\"\n\r\n\"\"\n",
            b"\"x\ny\",z\nw\n",
            b"\"say \"\"hi\"\"\",1\n",
            b"5\" tv,2\n",
            b"\"ab\"cd,e\n",
            b"a\rb\n",
            b"a,\"b\rc\"\n",
            b"a,,\n,\n",
            b"\"unclosed,\nquote",
            b"a\r",
            "\u{feff}h,ạ\nNạn nhân,\"được, xác định\"\n".as_bytes(),
            b"a,b\n\"\"\"\",\"\"\n",
        ];
        for bytes in cases {
            let what = String::from_utf8_lossy(bytes);
            agrees_with_csv_crate(&with_splitter(bytes), &with_csv_crate(bytes), &what);
        }
    }

    #[test]
    fn random_input_splits_as_the_csv_crate_reads_whole_and_in_pieces() {
        let alphabet: [&[u8]; 9] = [b"a", b"b", b",", b",", b"\"", b"\n", b"\r", " ".as_bytes(), "ạ".as_bytes()];
        let mut rng = crate::test_rng::Lcg::new(3u64);
        let mut next = move |bound: usize| rng.below(bound);
        for _ in 0..20_000 {
            let length = next(40);
            let bytes: Vec<u8> = (0..length).flat_map(|_| alphabet[next(alphabet.len())].iter().copied()).collect();
            let whole = with_splitter(&bytes);
            agrees_with_csv_crate(&whole, &with_csv_crate(&bytes), &String::from_utf8_lossy(&bytes));
            // Cuts after a `\n`, or after a `\r` whose next byte is not `\n`, as the reader of pieces cuts.
            let ends = line_ends(&bytes);
            let cuts: Vec<usize> = ends.into_iter().filter(|_| next(2) == 0).collect();
            assert_eq!(
                in_pieces(&bytes, &cuts, DEFAULT_MAX_RECORD_BYTES),
                whole,
                "{:?} cut at {cuts:?}",
                String::from_utf8_lossy(&bytes)
            );
            // With a small cap, lines and records longer than it are reported the same wherever the cuts fall.
            let capped = with_splitter_capped(&bytes, 6);
            assert_eq!(in_pieces(&bytes, &cuts, 6), capped, "{:?} cut at {cuts:?}", String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn long_random_lines_split_as_the_csv_crate_reads_across_blocks_and_caps() {
        // Lines of up to a few hundred bytes, so that cells, quotes and line ends fall on every side of the 64-byte
        // blocks the structural bytes are found in, and on every side of a cap.
        let alphabet: [&[u8]; 12] =
            [b"abcdefghij", b"x", b",", b",", b",", b"\"", b"\n", b"\r\n", b"\r", b" ", "ạ".as_bytes(), b"\"q,r\""];
        let mut rng = crate::test_rng::Lcg::new(11u64);
        let mut next = move |bound: usize| rng.below(bound);
        for _ in 0..3_000 {
            let length = next(120);
            let bytes: Vec<u8> = (0..length).flat_map(|_| alphabet[next(alphabet.len())].iter().copied()).collect();
            let whole = with_splitter(&bytes);
            agrees_with_csv_crate(&whole, &with_csv_crate(&bytes), &String::from_utf8_lossy(&bytes));
            let ends = line_ends(&bytes);
            let cuts: Vec<usize> = ends.into_iter().filter(|_| next(3) == 0).collect();
            assert_eq!(in_pieces(&bytes, &cuts, DEFAULT_MAX_RECORD_BYTES), whole);
            for cap in [1, 10, 63, 64, 65, 100] {
                let capped = with_splitter_capped(&bytes, cap);
                assert_eq!(in_pieces(&bytes, &cuts, cap), capped, "cap {cap}: {:?}", String::from_utf8_lossy(&bytes));
            }
        }
    }

    #[test]
    fn a_quote_never_closed_is_reported_at_its_line_and_field_and_later_rows_are_read() {
        let bytes = b"a,b,c\nx,y,\"note that never ends\nd,e,f\ng,h,i\n";
        let got = with_splitter(bytes);
        let expected: Vec<(usize, Vec<Vec<u8>>)> = vec![
            (1, vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]),
            (2, vec![b"<unclosed 3>".to_vec()]),
            (3, vec![b"d".to_vec(), b"e".to_vec(), b"f".to_vec()]),
            (4, vec![b"g".to_vec(), b"h".to_vec(), b"i".to_vec()]),
        ];
        assert_eq!(got, expected);
        // A quote that opens on the second line of a record is reported on that line.
        let got = with_splitter(b"\"two\nlines\",\"open\nrest\n");
        assert_eq!(got[0], (2, vec![b"<unclosed 2>".to_vec()]));
        // Within the cap, a quote closed many lines later is a record like any other; past the cap it is not.
        let long = b"1,\"a\nb\nc\nd\"\n2,x\n";
        assert_eq!(with_splitter_capped(long, 64)[0].1, [b"1".to_vec(), b"a\nb\nc\nd".to_vec()]);
        assert_eq!(
            with_splitter_capped(long, 8),
            [
                (1, vec![b"<unclosed 2>".to_vec()]),
                (2, vec![b"b".to_vec()]),
                (3, vec![b"c".to_vec()]),
                (4, vec![b"d\"".to_vec()]),
                (5, vec![b"2".to_vec(), b"x".to_vec()]),
            ]
        );
        // A line longer than the cap is one event, and the next line is read.
        assert_eq!(
            with_splitter_capped(b"123456789,0\nok\n", 8),
            [(1, vec![b"<too long>".to_vec()]), (2, vec![b"ok".to_vec()]),]
        );
    }
}
