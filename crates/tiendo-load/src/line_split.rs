//! One scan per line of CSV: the bytes that matter to a plain row (`,` `"` `\n` `\r`) are found 64 bytes at a time
//! as a bit mask, and a line is split into cells by walking those bits, instead of looking for the line end, then for
//! each cell's end, with a search call each (W2: about ten calls a row, most of a row's parsing cost).
//!
//! Only the plain rows that [`crate::records`] splits in place are split here, and exactly as it did before:
//! anything else is handed back to it ([`Split::Full`]), and it reads that record by the full CSV rules.

/// The bytes that end a cell or a line, or open or close a quoted cell.
#[cfg(any(not(target_arch = "x86_64"), test))]
fn is_structural(byte: u8) -> bool {
    (byte == b',') | (byte == b'"') | (byte == b'\n') | (byte == b'\r')
}

/// Bit `i` set when `block[i]` is structural: 16 bytes compared with the four structural bytes at a time, the flags
/// gathered into bits with one `pmovmskb` (SSE2, part of every x86-64 CPU; `safe_arch` wraps the intrinsics, the
/// workspace denies unsafe code). The compiler makes neither of these from portable code: the portable version below
/// gathers 8 flags a multiplication, and W2's splitter spent a fifth more samples with it (docs/performance.md,
/// "Round 5: the load half").
#[cfg(target_arch = "x86_64")]
fn block_mask(block: &[u8; 64]) -> u64 {
    use safe_arch::{bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i};
    let is = |bytes, byte: u8| cmp_eq_mask_i8_m128i(bytes, set_splat_i8_m128i(byte as i8));
    let mut mask = 0u64;
    for (index, sixteen) in block.chunks_exact(16).enumerate() {
        let bytes = load_unaligned_m128i(sixteen.try_into().unwrap_or(&[0; 16]));
        let found =
            bitor_m128i(bitor_m128i(is(bytes, b','), is(bytes, b'"')), bitor_m128i(is(bytes, b'\n'), is(bytes, b'\r')));
        // One bit per byte: the top bit of each byte of the comparison, 0xff where a byte matched.
        mask |= u64::from(move_mask_i8_m128i(found) as u16) << (index * 16);
    }
    mask
}

#[cfg(not(target_arch = "x86_64"))]
fn block_mask(block: &[u8; 64]) -> u64 {
    block_mask_portable(block)
}

/// Bit `i` set when `block[i]` is structural, in portable code: the compiler compares 16 bytes an instruction (a
/// flag byte each), then gathers 8 flags at a time into bits with one multiplication.
#[cfg(any(not(target_arch = "x86_64"), test))]
fn block_mask_portable(block: &[u8; 64]) -> u64 {
    let mut flags = [0u8; 64];
    for (flag, &byte) in flags.iter_mut().zip(block) {
        *flag = u8::from(is_structural(byte));
    }
    let mut mask = 0u64;
    for (group, eight) in flags.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(eight);
        // Each flag is 0 or 1; the product gathers byte k's flag into bit 56 + k, with no carries.
        let gathered = u64::from_le_bytes(word).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        mask |= gathered << (group * 8);
    }
    mask
}

/// The structural bytes of `bytes` in the block at `base` (the last, short block padded with bytes that are not).
fn mask_at(bytes: &[u8], base: usize) -> u64 {
    match bytes.get(base..base + 64) {
        Some(block) => block_mask(block.try_into().unwrap_or(&[0; 64])),
        None => {
            let mut block = [0u8; 64];
            let tail = bytes.get(base..).unwrap_or_default();
            block[..tail.len()].copy_from_slice(tail);
            block_mask(&block)
        }
    }
}

/// The next block after the one at `base` that holds a structural byte, and its mask; out of line, and taking and
/// giving plain values, so that the state of [`Structurals`] stays in registers while a line is split.
#[inline(never)]
fn next_block(bytes: &[u8], mut base: usize) -> Option<(usize, u64)> {
    loop {
        base += 64;
        if base >= bytes.len() {
            return None;
        }
        let mask = mask_at(bytes, base);
        if mask != 0 {
            return Some((base, mask));
        }
    }
}

/// The structural bytes of a piece, in order, found a block at a time.
#[derive(Clone, Copy)]
pub(crate) struct Structurals<'b> {
    bytes: &'b [u8],
    /// The first byte of the block in `mask`.
    base: usize,
    /// The structural bytes of the block not yet handed out.
    mask: u64,
    /// Bytes before this were handed out or skipped: a seek before it loads the block again.
    cursor: usize,
}

impl<'b> Structurals<'b> {
    /// The structural bytes of `bytes`, from its first.
    pub fn new(bytes: &'b [u8]) -> Self {
        Structurals { bytes, base: 0, mask: mask_at(bytes, 0), cursor: 0 }
    }

    /// Goes on from byte `position`: the next structural byte handed out is the first at or after it.
    #[inline(always)]
    pub fn seek(&mut self, position: usize) {
        let base = position & !63;
        if base != self.base || position < self.cursor {
            self.base = base;
            self.mask = mask_at(self.bytes, base);
        }
        self.mask &= u64::MAX << (position - base);
        self.cursor = position;
    }

    /// The position of the next structural byte, if any. Inlined, with the next block's scan out of line: a call per
    /// cell cost more than the scan.
    #[inline(always)]
    pub fn next(&mut self) -> Option<usize> {
        if self.mask == 0 {
            match next_block(self.bytes, self.base) {
                Some((base, mask)) => (self.base, self.mask) = (base, mask),
                None => {
                    self.cursor = self.bytes.len();
                    return None;
                }
            }
        }
        let at = self.base + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        self.cursor = at + 1;
        Some(at)
    }
}

/// What [`split_plain`] made of the record starting at a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Split {
    /// A plain line, its cells pushed: the line's content ends at `end`; the next record starts at `next`; `line_ends`
    /// is 1, or 0 for a last line without a line end.
    Line { end: usize, next: usize, line_ends: usize },
    /// The bytes end before the line does, and more may follow.
    Unfinished,
    /// Not a plain line (a quoted cell that holds a quote or a line end or is not followed by `,` or the line end, a
    /// quote inside an unquoted cell), or one longer than `max_line`: read it by the full rules.
    Full,
}

/// Splits the line starting at `start` (not a line end) into `fields` when it is plain: cells separated by `,`;
/// a quoted cell holds no `"` nor line end and is followed by `,` or the line end. A line ends at its first `\n`,
/// `\r\n` or lone `\r`; a line longer than `max_line` bytes is never split (it is [`Split::Full`]).
pub(crate) fn split_plain<'b>(
    bytes: &'b [u8],
    start: usize,
    at_eof: bool,
    max_line: usize,
    structurals: &mut Structurals<'b>,
    fields: &mut Vec<&'b [u8]>,
) -> Split {
    // A copy the compiler keeps in registers (its address is never taken), written back once.
    let mut local = *structurals;
    let split = split_with(bytes, start, at_eof, max_line, &mut local, &mut |from: usize, to: usize| {
        fields.push(&bytes[from..to]);
    });
    *structurals = local;
    split
}

/// [`split_plain`] with the cells cut from `text`, the same bytes as text, as they are found: no second pass to
/// make each cell text (W2: a pass over seven cells a row, 6 % of `eval`). `None` when a cell does not start and end
/// at a character boundary, which a valid text cut at its ASCII structural bytes never gives (then `fields` holds
/// something partial, and the caller splits the line again as bytes).
pub(crate) fn split_plain_text<'b>(
    text: &'b str,
    start: usize,
    at_eof: bool,
    max_line: usize,
    structurals: &mut Structurals<'b>,
    fields: &mut Vec<&'b str>,
) -> Option<Split> {
    let mut local = *structurals;
    let mut whole = true;
    let split =
        split_with(text.as_bytes(), start, at_eof, max_line, &mut local, &mut |from: usize, to: usize| match text
            .get(from..to)
        {
            Some(cell) => fields.push(cell),
            None => whole = false,
        });
    *structurals = local;
    whole.then_some(split)
}

#[inline(always)]
fn split_with<'b>(
    bytes: &'b [u8],
    start: usize,
    at_eof: bool,
    max_line: usize,
    structurals: &mut Structurals<'b>,
    push: &mut impl FnMut(usize, usize),
) -> Split {
    structurals.seek(start);
    let limit = start.saturating_add(max_line);
    let end_of_bytes = |push: &mut dyn FnMut(usize, usize), from: usize, to: usize| {
        if at_eof {
            push(from, to);
            Split::Line { end: bytes.len(), next: bytes.len(), line_ends: 0 }
        } else {
            Split::Unfinished
        }
    };
    let line_end = |at: usize| {
        let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { at + 2 } else { at + 1 };
        Split::Line { end: at, next, line_ends: 1 }
    };
    let mut cell = start;
    loop {
        if bytes.get(cell) == Some(&b'"') {
            // The opening quote itself is the next structural byte.
            structurals.next();
            let close = loop {
                match structurals.next() {
                    Some(at) if at > limit => return Split::Full,
                    Some(at) if bytes[at] == b'"' => break at,
                    Some(at) if bytes[at] == b',' => {}
                    // A line end inside quotes, or no closing quote: the full rules.
                    _ => return Split::Full,
                }
            };
            match structurals.next() {
                Some(at) if at == close + 1 && at <= limit => match bytes[at] {
                    b',' => {
                        push(cell + 1, close);
                        cell = at + 1;
                    }
                    b'"' => return Split::Full,
                    _ => {
                        push(cell + 1, close);
                        return line_end(at);
                    }
                },
                None if close + 1 == bytes.len() => return end_of_bytes(push, cell + 1, close),
                _ => return Split::Full,
            }
        } else {
            match structurals.next() {
                Some(at) if at > limit => return Split::Full,
                Some(at) => match bytes[at] {
                    b',' => {
                        push(cell, at);
                        cell = at + 1;
                    }
                    // A quote inside an unquoted cell is kept as it is by csv-core; leave that to it.
                    b'"' => return Split::Full,
                    _ => {
                        push(cell, at);
                        return line_end(at);
                    }
                },
                None if bytes.len() - start > max_line => return Split::Full,
                None => return end_of_bytes(push, cell, bytes.len()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The splitter this one replaced (memchr for the line end, then for each cell's end), kept as the reference.
    fn reference_split_line<'a>(line: &'a [u8], fields: &mut Vec<&'a [u8]>) -> bool {
        let mut start = 0;
        loop {
            if line.get(start) == Some(&b'"') {
                let Some(close) = memchr::memchr(b'"', &line[start + 1..]).map(|i| start + 1 + i) else {
                    return false;
                };
                fields.push(&line[start + 1..close]);
                match line.get(close + 1) {
                    None => return true,
                    Some(b',') => start = close + 2,
                    Some(_) => return false,
                }
            } else {
                match memchr::memchr2(b',', b'"', &line[start..]).map(|i| start + i) {
                    None => {
                        fields.push(&line[start..]);
                        return true;
                    }
                    Some(end) if line[end] == b',' => {
                        fields.push(&line[start..end]);
                        start = end + 1;
                    }
                    Some(_) => return false,
                }
            }
        }
    }

    #[test]
    fn plain_lines_split_as_the_reference_splitter_and_the_rest_go_to_the_full_rules() {
        let alphabet: [&[u8]; 11] =
            [b"abcdefghijklmnopq", b"x", b",", b",", b"\"", b"\"", b"\n", b"\r\n", b"\r", "ạ".as_bytes(), b"\"q,r\""];
        let mut rng = crate::test_rng::Lcg::new(5u64);
        let mut next = move |bound: usize| rng.below(bound);
        for _ in 0..20_000 {
            let prefix = next(70);
            let mut bytes: Vec<u8> = vec![b'p'; prefix];
            bytes.push(b'\n');
            let start = bytes.len();
            let length = next(30);
            bytes.extend((0..length).flat_map(|_| alphabet[next(alphabet.len())].iter().copied()));
            if bytes.len() == start || matches!(bytes[start], b'\n' | b'\r') {
                continue;
            }
            let (at_eof, cap) = (next(2) == 0, [1, 8, 40, 64, 200][next(5)]);
            let rest = &bytes[start..];
            let mut fields = Vec::new();
            let mut structurals = Structurals::new(&bytes);
            // Read something first, as the reader does, so that seeking is exercised.
            structurals.next();
            let got = split_plain(&bytes, start, at_eof, cap, &mut structurals, &mut fields);
            let what = format!("{:?} at_eof {at_eof} cap {cap}", String::from_utf8_lossy(rest));
            let (content, next_at, line_ends) = match memchr::memchr2(b'\n', b'\r', rest) {
                Some(end) if rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n') => (&rest[..end], end + 2, 1),
                Some(end) => (&rest[..end], end + 1, 1),
                None if at_eof => (rest, rest.len(), 0),
                None => {
                    assert!(matches!(got, Split::Unfinished | Split::Full), "{what}: {got:?}");
                    continue;
                }
            };
            let mut expected = Vec::new();
            let plain = reference_split_line(content, &mut expected);
            match got {
                Split::Line { end, next, line_ends: ends } => {
                    assert!(plain, "{what}");
                    assert_eq!((end - start, next - start, ends), (content.len(), next_at, line_ends), "{what}");
                    assert_eq!(fields, expected, "{what}");
                }
                Split::Full => assert!(!plain || content.len() > cap, "{what}"),
                Split::Unfinished => panic!("{what}: unfinished, with a line end or at the end of the input"),
            }
        }
    }

    #[test]
    fn the_mask_marks_exactly_the_structural_bytes() {
        let mut rng = crate::test_rng::Lcg::new(7);
        for _ in 0..2000 {
            let mut block = [0u8; 64];
            for byte in &mut block {
                *byte = [b',', b'"', b'\n', b'\r', b'a', 0, 0xff, b'\\', 0x80, b'+'][rng.below(10)];
            }
            let expected = (0..64).filter(|&i| is_structural(block[i])).fold(0u64, |mask, i| mask | 1 << i);
            assert_eq!(block_mask(&block), expected);
            assert_eq!(block_mask_portable(&block), expected);
        }
    }

    #[test]
    fn structurals_are_found_in_order_across_blocks_and_after_seeks() {
        let bytes: Vec<u8> = (0..300).map(|i| if i % 7 == 0 || i == 299 { b',' } else { b'x' }).collect();
        let all: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b',').collect();
        let mut structurals = Structurals::new(&bytes);
        let found: Vec<usize> = std::iter::from_fn(|| structurals.next()).collect();
        assert_eq!(found, all);
        for from in [0, 1, 63, 64, 65, 128, 250, 299, 300] {
            let mut structurals = Structurals::new(&bytes);
            // A seek forward, then back: both give every structural byte from there.
            structurals.seek(from.min(200));
            structurals.next();
            structurals.seek(from);
            let found: Vec<usize> = std::iter::from_fn(|| structurals.next()).collect();
            let expected: Vec<usize> = all.iter().copied().filter(|&at| at >= from).collect();
            assert_eq!(found, expected, "from {from}");
        }
    }
}
