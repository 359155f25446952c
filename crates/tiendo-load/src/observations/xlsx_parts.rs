//! What calamine does not tell about a workbook, read from its parts: the sizes in the zip directory (checked before
//! anything is decompressed), the part that holds each sheet, the styles that show a percentage (Excel stores 95% as
//! 0.95; calamine gives the 0.95 and not the format), whether formula results may be stale, how many shared strings
//! there are; and, from the sheet's part read by [`super::xlsx_sheet_scan`], the [`SheetMarks`] of its cells.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};

pub(crate) use super::xlsx_sheet_scan::SheetMarks;
use super::xlsx_sheet_scan::{SheetScan, Staleness, Workbook};

type Zip<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;

/// The sum of the sizes the zip directory gives the workbook's parts once decompressed.
pub(crate) fn uncompressed_size(bytes: &[u8]) -> Result<u64, String> {
    let mut zip = Zip::new(Cursor::new(bytes)).map_err(|error| error.to_string())?;
    let mut total = 0u64;
    for index in 0..zip.len() {
        let part = zip.by_index_raw(index).map_err(|error| error.to_string())?;
        total = total.saturating_add(part.size());
    }
    Ok(total)
}

/// Whether the workbook's parts, decompressed, hold more than `cap` bytes in all, counted by decompressing them (at
/// most `cap + 1` bytes, into nothing): the zip directory's sizes are only what the file claims, and a part that
/// claims 1,000 bytes can hold gigabytes that calamine would read into memory at once (the shared strings, before any
/// cell). `Err` when the file cannot be read as a zip.
pub(crate) fn decompresses_beyond(bytes: &[u8], cap: u64) -> Result<bool, String> {
    let mut zip = Zip::new(Cursor::new(bytes)).map_err(|error| error.to_string())?;
    let mut left = cap;
    for index in 0..zip.len() {
        let part = zip.by_index(index).map_err(|error| error.to_string())?;
        // A part that cannot be decompressed is calamine's to report, with the part named.
        let read = std::io::copy(&mut part.take(left + 1), &mut std::io::sink()).unwrap_or(0);
        if read > left {
            return Ok(true);
        }
        left -= read;
    }
    Ok(false)
}

pub(super) fn attribute(element: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    let attribute = element.attributes().flatten().find(|a| a.key.local_name().as_ref() == name)?;
    let raw = String::from_utf8_lossy(&attribute.value);
    quick_xml::escape::unescape(&raw).ok().map(|value| value.into_owned())
}

/// Calls `each` for every start or empty element of the part at `path` (case-insensitive, as Excel allows), reading
/// at most `max_bytes` decompressed bytes.
fn for_each_element(zip: &mut Zip<'_>, path: &str, max_bytes: u64, mut each: impl FnMut(&BytesStart<'_>)) -> bool {
    for_each_tag(zip, path, max_bytes, |tag| {
        if let Tag::Open(element, _) = tag {
            each(element);
        }
    })
}

/// An element's start (and whether it is empty, with no end to come), its end (by local name), or text (as it
/// stands in the file, not unescaped).
enum Tag<'t, 'e> {
    Open(&'t BytesStart<'e>, bool),
    Close(&'t [u8]),
    Text(&'t [u8]),
}

/// Calls `each` for every start, empty and end element of the part at `path`, as [`for_each_element`] does.
fn for_each_tag(zip: &mut Zip<'_>, path: &str, max_bytes: u64, mut each: impl FnMut(Tag<'_, '_>)) -> bool {
    let Some(name) =
        zip.file_names().find(|name| name.replace('\\', "/").eq_ignore_ascii_case(path)).map(str::to_owned)
    else {
        return false;
    };
    let Ok(part) = zip.by_name(&name) else { return false };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(part.take(max_bytes)));
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(element)) => each(Tag::Open(&element, false)),
            Ok(Event::Empty(element)) => each(Tag::Open(&element, true)),
            Ok(Event::End(element)) => each(Tag::Close(element.local_name().as_ref())),
            Ok(Event::Text(text)) => each(Tag::Text(&text)),
            Ok(Event::Eof) | Err(_) => return true,
            Ok(_) => {}
        }
    }
}

/// The [`SheetMarks`] of sheet `sheet`, in one reading of its part, looking at no more than `max_cells` cells and
/// as many rows.
pub(crate) fn sheet_marks(bytes: &[u8], sheet: &str, max_bytes: u64, max_cells: u64) -> SheetMarks {
    let Ok(mut zip) = Zip::new(Cursor::new(bytes)) else { return SheetMarks::default() };
    let (styles, some_styles, date_styles) = number_styles(&mut zip, max_bytes);
    let stale = results_may_be_stale(&mut zip, max_bytes);
    let mut shared_strings = 0usize;
    for_each_element(&mut zip, "xl/sharedStrings.xml", max_bytes, |element| {
        shared_strings += usize::from(element.local_name().as_ref() == b"si");
    });
    let Some(path) = sheet_path(&mut zip, sheet, max_bytes) else { return SheetMarks::default() };
    let workbook = Workbook {
        percent_styles: styles,
        some_percent_styles: some_styles,
        date_styles,
        results_stale: stale,
        shared_strings,
    };
    let mut scan = SheetScan::new(workbook, max_cells);
    for_each_tag(&mut zip, &path, max_bytes, |tag| match tag {
        Tag::Open(element, empty) => scan.open(element, empty),
        Tag::Text(text) => scan.text(text),
        Tag::Close(name) => scan.close(name),
    });
    scan.marks
}

/// Why the workbook says the results its formula cells keep may be stale, if it does.
fn results_may_be_stale(zip: &mut Zip<'_>, max_bytes: u64) -> Option<Staleness> {
    let mut stale = None;
    for_each_element(zip, "xl/workbook.xml", max_bytes, |element| {
        if element.local_name().as_ref() == b"calcPr" {
            let is = |name: &[u8], values: &[&str]| attribute(element, name).is_some_and(|v| values.contains(&&*v));
            stale = if is(b"fullCalcOnLoad", &["1", "true"]) {
                Some(Staleness::RecalculateOnOpening)
            } else if is(b"calcMode", &["manual"]) && is(b"calcOnSave", &["0", "false"]) {
                Some(Staleness::SavedUncalculated)
            } else {
                None
            };
        }
    });
    stale
}

/// The cell styles (`cellXfs` indexes) of each kind of number format.
type StyleSet = HashSet<usize>;

/// The indexes of the cell styles (`cellXfs`) whose number format shows every number as a percentage (built-in
/// formats 9, `0%`, and 10, `0.00%`, or a format code by [`percent_shown`]), of those that show some numbers as
/// percentages and others not, and of those that show a number as a date or a time (built-in formats 14-22, 27-36,
/// 45-47 and 50-58, or a format code by [`date_shown`]).
fn number_styles(zip: &mut Zip<'_>, max_bytes: u64) -> (StyleSet, StyleSet, StyleSet) {
    let mut custom: BTreeMap<u32, PercentShown> = BTreeMap::new();
    let mut dates: HashSet<u32> = HashSet::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    for_each_element(zip, "xl/styles.xml", max_bytes, |element| match element.local_name().as_ref() {
        b"numFmt" => {
            if let (Some(id), Some(code)) = (attribute(element, b"numFmtId"), attribute(element, b"formatCode"))
                && let Ok(id) = id.parse()
            {
                custom.insert(id, percent_shown(&code));
                if date_shown(&code) {
                    dates.insert(id);
                }
            }
        }
        b"cellXfs" => in_cell_xfs = true,
        b"cellStyleXfs" | b"cellStyles" | b"dxfs" => in_cell_xfs = false,
        b"xf" if in_cell_xfs => {
            styles.push(attribute(element, b"numFmtId").and_then(|id| id.parse::<u32>().ok()).unwrap_or(0));
        }
        _ => {}
    });
    let shown = |id: u32| match id {
        9 | 10 => PercentShown::Always,
        id => custom.get(&id).copied().unwrap_or(PercentShown::Never),
    };
    let with = |wanted: PercentShown| {
        styles.iter().enumerate().filter(|(_, id)| shown(**id) == wanted).map(|(i, _)| i).collect()
    };
    let date = |id: u32| matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58) || dates.contains(&id);
    let date_styles = styles.iter().enumerate().filter(|(_, id)| date(**id)).map(|(i, _)| i).collect();
    (with(PercentShown::Always), with(PercentShown::Partly), date_styles)
}

/// Whether a number format code shows a number as a date or a time: a day, month, year, hour or second code (`d`,
/// `m`, `y`, `h`, `s`, any case, or an elapsed `[h]`, `[m]`, `[s]`) outside quotes, escapes and other brackets, in a
/// section that shows a number; `General` is none. A literal before the codes (`"Ngày "dd/mm/yyyy`) hides nothing:
/// calamine 0.31 reads such a cell as its day number (45296), so the format itself is read here. ECMA-376 Part 1,
/// 18.8.31 numFmts.
fn date_shown(code: &str) -> bool {
    let (mut quoted, mut escaped, mut bracket) = (false, false, String::new());
    let mut in_bracket = false;
    let mut section = 0;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            ']' if in_bracket => {
                in_bracket = false;
                let elapsed = bracket.to_ascii_lowercase();
                if section < 3 && !elapsed.is_empty() && elapsed.chars().all(|c| matches!(c, 'h' | 'm' | 's')) {
                    return true;
                }
            }
            _ if in_bracket => bracket.push(c),
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => {
                in_bracket = true;
                bracket.clear();
            }
            ';' => section += 1,
            _ if section < 3 && matches!(c.to_ascii_lowercase(), 'd' | 'm' | 'y' | 'h' | 's') => {
                return !code.trim().eq_ignore_ascii_case("general");
            }
            _ => {}
        }
    }
    false
}

/// Whether a number format shows the numbers of a cell as percentages ([`percent_shown`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PercentShown {
    Never,
    Always,
    /// Some numbers as percentages and others not (`[<1]0%;0`, `0;-0%`): what the cell shows depends on its value.
    Partly,
}

/// How a number format code shows numbers: its sections (`;` outside quotes and escapes; the first three are for
/// numbers, by sign or by the conditions in brackets, the fourth for text) that show a number at all (a `0`, `#` or
/// `?`), each with or without a `%` outside quotes, escapes (`\%`, `_%`, the fill `*%`) and brackets (`[Red]`,
/// `[<1]`, `[$-409]`). ECMA-376 Part 1, 18.8.31 numFmts.
fn percent_shown(code: &str) -> PercentShown {
    let mut sections: Vec<(bool, bool)> = vec![(false, false)];
    let (mut quoted, mut escaped, mut bracket) = (false, false, false);
    for c in code.chars() {
        let section = sections.last_mut().expect("one section at least");
        match c {
            _ if escaped => escaped = false,
            _ if bracket => bracket = c != ']',
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => bracket = true,
            ';' => sections.push((false, false)),
            '%' => section.1 = true,
            '0' | '#' | '?' => section.0 = true,
            _ => {}
        }
    }
    let shown: Vec<bool> = sections.iter().take(3).filter(|(number, _)| *number).map(|(_, percent)| *percent).collect();
    match (shown.contains(&true), shown.contains(&false)) {
        (true, true) => PercentShown::Partly,
        (true, false) => PercentShown::Always,
        _ => PercentShown::Never,
    }
}

/// The zip path of the sheet named `sheet`: `xl/workbook.xml` gives its relationship id, `xl/_rels/workbook.xml.rels`
/// the part.
fn sheet_path(zip: &mut Zip<'_>, sheet: &str, max_bytes: u64) -> Option<String> {
    let mut id = None;
    for_each_element(zip, "xl/workbook.xml", max_bytes, |element| {
        if element.local_name().as_ref() == b"sheet" && attribute(element, b"name").as_deref() == Some(sheet) {
            id = attribute(element, b"id");
        }
    });
    let id = id?;
    let mut target = None;
    for_each_element(zip, "xl/_rels/workbook.xml.rels", max_bytes, |element| {
        if element.local_name().as_ref() == b"Relationship" && attribute(element, b"Id").as_deref() == Some(&id) {
            target = attribute(element, b"Target");
        }
    });
    let target = target?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{target}"),
    })
}

/// `D2` as (1, 3): the row and column from 0.
pub(crate) fn cell_position(reference: &str) -> Option<(u32, u32)> {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let column = reference[..letters].bytes().fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    let row: u32 = reference[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, column - 1))
}

/// `D` for column 3 (from 0).
pub(crate) fn column_name(column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

/// `D2` for (1, 3).
pub(crate) fn cell_name(row: u32, column: u32) -> String {
    format!("{}{}", column_name(column), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats_and_cell_names() {
        use PercentShown::{Always, Never, Partly};
        for (code, shown) in [
            ("0%", Always),
            ("0.0%", Always),
            ("0%;-0%;\"-\"", Always),
            ("[Red]0.00%;[Blue]-0.00%", Always),
            ("#,##0", Never),
            ("\"%\"0", Never),
            ("0\\%", Never),
            ("0*%", Never),
            ("0_%", Never),
            ("[$-409]0", Never),
            ("0;0%", Partly),
            ("[<1]0%;0", Partly),
            ("[>=1]0;0%", Partly),
        ] {
            assert_eq!(percent_shown(code), shown, "{code}");
        }
        for (code, date) in [
            ("dd/mm/yyyy", true),
            ("\"Ngày \"dd/mm/yyyy", true),
            ("\"Tháng \"mm", true),
            ("[$-42A]\"Năm \"yyyy", true),
            ("\"\"yyyy", true),
            ("[h]:mm:ss", true),
            ("[hh]", true),
            ("General", false),
            ("0.00E+00", false),
            ("#,##0", false),
            ("0\\d", false),
            ("\"days: \"0", false),
            ("[Red]0.0;[Blue]-0.0", false),
            ("0%", false),
            ("0;0;0;@\" dd\"", false),
        ] {
            assert_eq!(date_shown(code), date, "{code}");
        }
        for (name, position) in [("A1", (0, 0)), ("D2", (1, 3)), ("XFD1048576", (1_048_575, 16_383)), ("AA10", (9, 26))]
        {
            assert_eq!(cell_position(name), Some(position));
            assert_eq!(cell_name(position.0, position.1), name);
        }
        assert_eq!(cell_position("1A"), None);
    }
}
