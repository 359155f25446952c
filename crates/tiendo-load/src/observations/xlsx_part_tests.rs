//! What the reader finds in a workbook's parts that calamine does not check. E346: formula cells of a data sheet
//! whose number is not known to be the formula's result, in workbooks as the programs that write them without
//! calculating leave them (a result of 0 and a request to recalculate, or no result), and as a spreadsheet saves
//! them (a result to read). E319: a cell that refers to a shared string the workbook does not have.

use std::io::{Cursor, Read, Write};

use super::tests::{catalogue, found};
use super::*;

const HEADER: [&str; 6] = ["data_element", "org_unit", "period", "sex", "value", "source"];

/// A workbook as rust_xlsxwriter writes it (each formula's result saved as 0, `fullCalcOnLoad="1"`): `rows` below
/// the header, a cell starting with `=` written as a formula.
fn written_by_a_program(rows: &[[&str; 6]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, cells) in std::iter::once(&HEADER).chain(rows).enumerate() {
        for (column, text) in cells.iter().enumerate().filter(|(_, text)| !text.is_empty()) {
            let (row, column) = (row as u32, column as u16);
            if text.starts_with('=') {
                sheet.write_formula(row, column, *text).unwrap();
            } else {
                sheet.write_string(row, column, *text).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// Writes the header and `row` below it, every cell as text.
fn header_and_row(sheet: &mut rust_xlsxwriter::Worksheet, row: &[&str; 6]) {
    for (line, cells) in [&HEADER, row].into_iter().enumerate() {
        for (column, text) in cells.iter().enumerate() {
            sheet.write_string(line as u32, column as u16, *text).unwrap();
        }
    }
}

/// `bytes` with each part's text passed through `edit` (by the part's path), the parts stored uncompressed.
fn edited(bytes: &[u8], edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    edited_as(bytes, zip::CompressionMethod::Stored, edit)
}

/// [`edited`], the parts compressed by `method`.
fn edited_as(bytes: &[u8], method: zip::CompressionMethod, edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..zip.len() {
        let mut part = zip.by_index(index).unwrap();
        let name = part.name().to_owned();
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap();
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(edit(&name, text).as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// As a spreadsheet saves it: no request to recalculate, and `results` (in order) as the formulas' results.
fn saved_by_a_spreadsheet(bytes: &[u8], results: &[&str]) -> Vec<u8> {
    edited(bytes, |name, text| match name {
        "xl/workbook.xml" => text.replace(r#" fullCalcOnLoad="1""#, ""),
        "xl/worksheets/sheet1.xml" => {
            results.iter().fold(text, |text, result| text.replacen("</f><v>0</v>", &format!("</f><v>{result}</v>"), 1))
        }
        _ => text,
    })
}

/// Formulas without results: no `v`, as some programs write them, or an empty one, as openpyxl does.
fn without_results(bytes: &[u8]) -> Vec<u8> {
    without_results_as(bytes, "</f>")
}

fn without_results_as(bytes: &[u8], ending: &str) -> Vec<u8> {
    edited(bytes, |name, text| match name {
        "xl/worksheets/sheet1.xml" => text.replace("</f><v>0</v>", ending),
        _ => text,
    })
}

fn read(bytes: &[u8]) -> (Vec<Diagnostic>, ObservationStore) {
    let mut store = ObservationStore::new();
    let diagnostics = read_observations("data/form.xlsx", bytes, &catalogue(), &mut store);
    (diagnostics, store)
}

const ROWS: [[&str; 6]; 3] = [
    ["cases_detected", "vn", "2021", "", "12", "s"],
    ["cases_detected", "vn", "2022", "", "=10+5", "s"],
    ["cases_detected", "vn", "2023", "", "20", "s"],
];

#[test]
fn a_result_the_workbook_asks_to_recalculate_is_not_read() {
    let (diagnostics, store) = read(&written_by_a_program(&ROWS));
    assert_eq!(found(&diagnostics), [("E346", 3, 5)]);
    assert_eq!(
        diagnostics[0].message,
        "cell E3 holds a formula, and the workbook asks to be recalculated when it is opened, so the result it keeps \
         (`0`) may not be the formula's: the row is left out"
    );
    assert!(
        diagnostics[0].hints[0].contains("open the workbook in Excel or LibreOffice and save it there"),
        "{diagnostics:?}"
    );
    // The other rows are read, and the row left out is noted for coverage.
    assert_eq!(store.observations.iter().map(|o| o.value).collect::<Vec<_>>(), [12.0, 20.0]);
}

#[test]
fn a_result_a_spreadsheet_saved_is_read() {
    let (diagnostics, store) = read(&saved_by_a_spreadsheet(&written_by_a_program(&ROWS), &["15"]));
    assert_eq!(found(&diagnostics), []);
    assert_eq!(store.observations.iter().map(|o| o.value).collect::<Vec<_>>(), [12.0, 15.0, 20.0]);
}

#[test]
fn a_formula_without_a_result_is_named_not_read_as_blank() {
    for ending in ["</f>", "</f><v></v>", "</f><v/>", "</f><v> </v>"] {
        // As a spreadsheet saved it, then with the result taken away, so that only the missing result is wrong.
        let saved = saved_by_a_spreadsheet(&written_by_a_program(&ROWS), &["0"]);
        let (diagnostics, store) = read(&without_results_as(&saved, ending));
        assert_eq!(found(&diagnostics), [("E346", 3, 5)], "{ending}");
        assert_eq!(
            diagnostics[0].message,
            "cell E3 holds a formula whose result the file does not keep: the row is left out"
        );
        assert_eq!(store.len(), 2);
    }
}

#[test]
fn rows_of_formulas_without_results_are_named_wherever_they_are() {
    // Row 3 is all formulas, and so is the last row: calamine gives no cell for either.
    let rows = [
        ["cases_detected", "vn", "2021", "", "12", "s"],
        ["=\"cases_detected\"", "=\"vn\"", "=2021+1", "", "=10+5", "=\"s\""],
        ["cases_detected", "vn", "2023", "", "20", "s"],
        ["=\"cases_detected\"", "=\"vn\"", "=2023+1", "", "=10+5", "=\"s\""],
    ];
    let saved = saved_by_a_spreadsheet(&written_by_a_program(&rows), &[]);
    let (diagnostics, store) = read(&without_results(&saved));
    let mut expected: Vec<_> = [3, 5].iter().flat_map(|&line| [1, 2, 3, 5, 6].map(|c| ("E346", line, c))).collect();
    expected.sort();
    assert_eq!(found(&diagnostics), expected);
    assert!(diagnostics.iter().all(|d| d.message.ends_with("is not read") || d.message.ends_with("left out")));
    assert_eq!(store.len(), 2);
}

#[test]
fn manual_calculation_saved_without_calculating_is_stale_and_the_header_and_other_formulas_do_not_count() {
    // A formula in the header and a data validation list (an `xm:f` outside the cells) are not data.
    let bytes = edited(&written_by_a_program(&ROWS), |name, text| match name {
        "xl/workbook.xml" => text.replace(r#"fullCalcOnLoad="1""#, r#"calcMode="manual" calcOnSave="0""#),
        "xl/worksheets/sheet1.xml" => text
            .replacen(
                "<c r=\"A1\" t=\"s\"><v>0</v></c>",
                "<c r=\"A1\" t=\"str\"><f>\"data_element\"</f><v>data_element</v></c>",
                1,
            )
            .replace(
                "</worksheet>",
                "<extLst><ext uri=\"x\" xmlns:x14=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main\" \
                 xmlns:xm=\"http://schemas.microsoft.com/office/excel/2006/main\"><x14:dataValidations count=\"1\">\
                 <x14:dataValidation><x14:formula1><xm:f>Lists!$A$1</xm:f></x14:formula1><xm:sqref>A2</xm:sqref>\
                 </x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>",
            ),
        _ => text,
    });
    let (diagnostics, store) = read(&bytes);
    assert_eq!(found(&diagnostics), [("E346", 3, 5)]);
    assert_eq!(
        diagnostics[0].message,
        "cell E3 holds a formula, and the workbook was saved without calculating (manual calculation), so the result \
         it keeps (`0`) may not be the formula's: the row is left out"
    );
    assert_eq!(store.len(), 2);
    // Calculated by hand but saved after calculating: read.
    let bytes = edited(&bytes, |name, text| match name {
        "xl/workbook.xml" => text.replace(r#" calcOnSave="0""#, ""),
        _ => text,
    });
    let (diagnostics, store) = read(&bytes);
    assert_eq!(found(&diagnostics), []);
    assert_eq!(store.len(), 3);
}

#[test]
fn a_cell_that_refers_to_a_missing_shared_string_is_a_damaged_file_not_a_panic() {
    // The second row's org unit (B2) is the second shared string written (`vn`, index 1).
    for (index, expected) in [("99", "`99`, but the workbook has"), ("x", "`x`, but the workbook has")] {
        let bytes = edited(&written_by_a_program(&ROWS), |name, text| match name {
            "xl/worksheets/sheet1.xml" => {
                text.replacen(r#"<c r="B2" t="s"><v>7</v>"#, &format!(r#"<c r="B2" t="s"><v>{index}</v>"#), 1)
            }
            _ => text,
        });
        let (diagnostics, store) = read(&bytes);
        assert_eq!(found(&diagnostics), [("E319", 2, 2)], "{index}: {diagnostics:?}");
        assert!(diagnostics[0].message.contains(expected), "{}", diagnostics[0].message);
        assert_eq!(store.len(), 0);
    }
}

/// Damaged workbooks, made by changing one to three cells' type, result, reference or style to values a damaged or
/// hand-edited file holds: every one is read or refused with diagnostics, never a panic.
#[test]
fn damaged_cells_are_read_or_refused_never_a_panic() {
    let rows = [
        ["cases_detected", "vn", "2021", "female", "12", "s"],
        ["cases_detected", "vn", "2022", "", "=10+5", "s"],
        ["victims_identified", "vn", "2023", "male", "20", "tip-2022"],
    ];
    let base = saved_by_a_spreadsheet(&written_by_a_program(&rows), &["15"]);
    let types = ["s", "b", "e", "str", "n", "inlineStr", "d", "x", ""];
    let values =
        ["", "-1", "999", "99999999999999999999", "1e400", "abc", "2023-13-45T99:99:99", "0", "3.5", "1", "&amp;"];
    let references = ["A0", "ZZZZ1", "A99999999", "1A", "", "XFD1048576", "B1"];
    let styles = ["999", "-1", "x", "0"];
    let mut rng = crate::test_rng::Lcg::new(346);
    let mut cells: Vec<String> = Vec::new();
    for row in 1..=4 {
        for column in ["A", "B", "C", "D", "E", "F"] {
            cells.push(format!("{column}{row}"));
        }
    }
    for round in 0..400 {
        let mut changes = Vec::new();
        for _ in 0..=rng.below(3) {
            let cell = cells[rng.below(cells.len())].clone();
            let change = match rng.below(4) {
                0 => format!(r#"t="{}""#, types[rng.below(types.len())]),
                1 => format!("<v>{}</v>", values[rng.below(values.len())]),
                2 => format!(r#"r="{}""#, references[rng.below(references.len())]),
                _ => format!(r#"s="{}""#, styles[rng.below(styles.len())]),
            };
            changes.push((cell, change));
        }
        let bytes = edited(&base, |name, text| match name {
            "xl/worksheets/sheet1.xml" => changes.iter().fold(text, |text, (cell, change)| damage(&text, cell, change)),
            _ => text,
        });
        let outcome = std::panic::catch_unwind(|| read(&bytes).0.len());
        assert!(outcome.is_ok(), "round {round}: {changes:?}");
    }
}

/// `sheet` with one attribute or the result of cell `cell` replaced by `change`.
fn damage(sheet: &str, cell: &str, change: &str) -> String {
    let start = format!(r#"<c r="{cell}""#);
    let Some(at) = sheet.find(&start) else { return sheet.to_owned() };
    let end = at + sheet[at..].find("</c>").map_or(start.len(), |end| end + 4);
    let old = &sheet[at..end];
    let new = if let Some(value) = change.strip_prefix("<v>") {
        match (old.find("<v>"), old.find("</v>")) {
            (Some(open), Some(close)) => {
                format!("{}<v>{}{}", &old[..open], value.trim_end_matches("</v>"), &old[close..])
            }
            _ => old.to_owned(),
        }
    } else {
        let name = &change[..change.find('=').unwrap_or(0) + 1];
        match old.find(&format!(" {name}\"")) {
            Some(attribute) => {
                let value_end = old[attribute + name.len() + 2..].find('"').unwrap() + attribute + name.len() + 3;
                format!("{} {change}{}", &old[..attribute], &old[value_end..])
            }
            None => old.replacen("<c ", &format!("<c {change} "), 1),
        }
    };
    format!("{}{new}{}", &sheet[..at], &sheet[end..])
}

/// Damaged parts: the sheet cut short or emptied, and around it the workbook's sheet list and calculation settings, its relationships, the
/// styles and the shared strings, each cut short, emptied or given out-of-range numbers: read or refused with
/// diagnostics, never a panic.
#[test]
fn damaged_parts_are_read_or_refused_never_a_panic() {
    let base = saved_by_a_spreadsheet(&written_by_a_program(&ROWS), &["15"]);
    let parts = [
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/sharedStrings.xml",
        "[Content_Types].xml",
        "xl/worksheets/sheet1.xml",
    ];
    let mut rng = crate::test_rng::Lcg::new(319);
    for round in 0..300 {
        let part = parts[rng.below(parts.len())];
        let kind = rng.below(5);
        let cut = rng.below(1000);
        let bytes = edited(&base, |name, text| {
            if name != part {
                return text;
            }
            match kind {
                0 => text[..text.floor_char_boundary(cut.min(text.len()))].to_owned(),
                1 => String::new(),
                2 => text.replace("count=\"", "count=\"9999").replace("numFmtId=\"", "numFmtId=\"77"),
                // The shared strings cut to the first (cells then refer past the end), or styles out of range.
                3 => match (text.find("</si>"), text.rfind("</sst>")) {
                    (Some(first), Some(end)) => format!("{}{}", &text[..first + 5], &text[end..]),
                    _ => text.replace("<xf ", "<xf xfId=\"99\" "),
                },
                _ => text.replace("sheetId=\"1\"", "sheetId=\"0\"").replace("Target=\"", "Target=\"../../"),
            }
        });
        let outcome = std::panic::catch_unwind(|| read(&bytes).0.len());
        assert!(outcome.is_ok(), "round {round}: {part} kind {kind} cut {cut}");
    }
}

/// `bytes` with a shared string of `size` bytes added, and the zip directory claiming 1,000 bytes for the shared
/// strings part, in its local header and its central directory entry (a file made to exhaust memory).
fn lying_about_sizes(bytes: &[u8], size: usize) -> Vec<u8> {
    let mut bytes = edited_as(bytes, zip::CompressionMethod::Deflated, |name, text| match name {
        "xl/sharedStrings.xml" => text.replacen("</sst>", &format!("<si><t>{}</t></si></sst>", "a".repeat(size)), 1),
        _ => text,
    });
    let name = b"xl/sharedStrings.xml";
    for (signature, name_length_at, name_at, size_at) in [(b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)] {
        let mut at = 0;
        while let Some(found) = bytes[at..].windows(4).position(|w| w == signature) {
            let start = at + found;
            let length = u16::from_le_bytes([bytes[start + name_length_at], bytes[start + name_length_at + 1]]);
            if &bytes[start + name_at..start + name_at + usize::from(length)] == name {
                bytes[start + size_at..start + size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
            }
            at = start + 4;
        }
    }
    bytes
}

/// A part that holds more than its zip directory entry claims is measured by decompressing it: past the cap, the
/// workbook is E328 before calamine reads a byte of it (it read the shared strings whole into memory: a 1.5 MB file
/// took 4.6 GB, or aborted, round 40). Within the cap the same lie is harmless and the workbook is read.
#[test]
fn a_workbook_that_decompresses_beyond_what_it_claims_is_refused() {
    let mut rows = ROWS;
    rows[1][4] = "15";
    let bomb = lying_about_sizes(&written_by_a_program(&rows), 3 << 20);
    let options = |cap: u64| ReadOptions {
        limits: Limits { workbook_uncompressed_bytes: cap, ..Limits::default() },
        ..ReadOptions::default()
    };
    let mut store = ObservationStore::new();
    let refused =
        read_observations_from("data/form.xlsx", &bomb[..], &catalogue(), &mut store, options(2 << 20)).unwrap();
    assert_eq!(found(&refused), [("E328", 1, 1)]);
    assert!(refused[0].message.contains("though its zip directory says"), "{}", refused[0].message);
    assert!(store.is_empty());
    let mut store = ObservationStore::new();
    let read = read_observations_from("data/form.xlsx", &bomb[..], &catalogue(), &mut store, options(8 << 20)).unwrap();
    assert_eq!(found(&read), []);
    assert_eq!(store.len(), 3);
}

/// The sheet part's text from `start` to the end of the first `end` after it, both included.
fn element<'t>(text: &'t str, start: &str, end: &str) -> &'t str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start} in {text}"));
    let to = from + text[from..].find(end).unwrap() + end.len();
    &text[from..to]
}

/// A row written twice (two `<row r="3">`) or a cell given twice in its row (two `E3`, or a cell before the row's
/// last): calamine gives both, and one of the two values was dropped without a word (round 40). Each is E319 at
/// the cell given again, whatever the values.
#[test]
fn a_row_or_a_cell_written_twice_is_refused_where_it_comes_again() {
    let mut rows = ROWS;
    rows[1][4] = "15";
    let workbook = written_by_a_program(&rows);
    let twice = |double: &dyn Fn(&str) -> String| {
        edited(&workbook, |name, text| if name == "xl/worksheets/sheet1.xml" { double(&text) } else { text })
    };
    let row_twice = twice(&|text| {
        let row = element(text, "<row r=\"3\"", "</row>");
        text.replacen(row, &format!("{row}{row}"), 1)
    });
    let cell_twice = twice(&|text| {
        let cell = element(text, "<c r=\"E3\"", "</c>");
        text.replacen(cell, &format!("{cell}{cell}"), 1)
    });
    let cell_back = twice(&|text| {
        let cell = element(text, "<c r=\"B3\"", "</c>");
        let last = element(text, "<c r=\"F3\"", "</c>");
        text.replacen(last, &format!("{last}{cell}"), 1)
    });
    for (what, bytes, column) in [("row", row_twice, 1), ("cell", cell_twice, 5), ("cell back", cell_back, 2)] {
        let (diagnostics, _) = read(&bytes);
        assert_eq!(found(&diagnostics), [("E319", 3, column)], "{what}: {diagnostics:?}");
        assert!(diagnostics[0].message.contains("written twice"), "{what}: {}", diagnostics[0].message);
    }
}

/// Two sheets whose names differ only in case (a damaged workbook: Excel refuses it): one of them would never be
/// read, without even W338 for it, since sheets are found by name (round 40). E319, and nothing is read.
#[test]
fn two_sheets_of_one_name_are_refused() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for _ in 0..2 {
        let sheet = workbook.add_worksheet();
        header_and_row(sheet, &["cases_detected", "vn", "2021", "", "12", "s"]);
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let bytes = edited(&bytes, |name, text| match name {
        "xl/workbook.xml" => text.replace(r#"name="Sheet2""#, r#"name="SHEET1""#),
        _ => text,
    });
    let (diagnostics, store) = read(&bytes);
    assert_eq!(found(&diagnostics), [("E319", 1, 1)], "{diagnostics:?}");
    assert!(diagnostics[0].message.contains("`Sheet1` and `SHEET1`"), "{}", diagnostics[0].message);
    assert!(store.is_empty());
}

/// A value cell whose number format shows some numbers as percentages and others not: Excel shows 95 under
/// `[<1]0%;0` as 95 and 0.95 under `[>=1]0;0%` as 95%, and tiendo read the first as 9500 and the second as 0.95
/// (only the first section was looked at, round 40). E335 at the cell; formats whose every section agrees are read
/// as before (`0%;-0%` as a percentage, `0*%`, a fill of `%` signs, as a number).
#[test]
fn a_format_that_shows_some_numbers_as_percentages_is_refused() {
    let workbook = |code: &str, value: f64| {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        header_and_row(sheet, &["cases_detected", "vn", "2021", "", "", "s"]);
        let format = rust_xlsxwriter::Format::new().set_num_format(code);
        sheet.write_number_with_format(1, 4, value, &format).unwrap();
        workbook.save_to_buffer().unwrap()
    };
    for (code, value) in [("[<1]0%;0", 95.0), ("[>=1]0;0%", 0.95), ("0;0%", 95.0)] {
        let (diagnostics, store) = read(&workbook(code, value));
        assert_eq!(found(&diagnostics), [("E335", 2, 5)], "{code}: {diagnostics:?}");
        assert!(store.is_empty(), "{code}");
    }
    let (diagnostics, store) = read(&workbook("0*%", 95.0));
    assert_eq!((found(&diagnostics), store.len()), (vec![], 1), "{diagnostics:?}");
    let (diagnostics, _) = read(&workbook("0%;-0%", 0.95));
    assert_eq!(found(&diagnostics), [("E335", 2, 5)], "a count formatted as a percentage, as before");
}

/// A value cell holding a date under a format that begins with quoted text (`"Ngày "dd/mm/yyyy`, `"Tháng "mm`),
/// which calamine reads as the day number 45296, is refused as every date format is (E335 at the cell); a number
/// under a format with a literal and no date code is read (review of 6 December, helper 2, F1).
#[test]
fn a_date_format_that_begins_with_quoted_text_is_refused() {
    let workbook = |code: &str| {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        header_and_row(sheet, &["cases_detected", "vn", "2021", "", "", "s"]);
        let format = rust_xlsxwriter::Format::new().set_num_format(code);
        sheet.write_number_with_format(1, 4, 45296.0, &format).unwrap();
        workbook.save_to_buffer().unwrap()
    };
    for code in ["\"Ngày \"dd/mm/yyyy", "\"Tháng \"mm", "[$-42A]\"Năm \"yyyy", "\"\"yyyy", "[h]:mm"] {
        let (diagnostics, store) = read(&workbook(code));
        assert_eq!(found(&diagnostics), [("E335", 2, 5)], "{code}: {diagnostics:?}");
        assert!(store.is_empty(), "{code}");
    }
    let (diagnostics, store) = read(&workbook("\"số vụ: \"0"));
    assert_eq!((found(&diagnostics), store.len()), (vec![], 1), "{diagnostics:?}");
}

/// A number cell whose text no `f64` holds (`1e-400`, read by calamine as 0; `1e400`, infinite) is refused at the
/// cell as in a CSV file (E324, and E313 for a number too large to be one), never read as 0 (review of 6 December,
/// helper 2, F4). The number is a ratio: a
/// count written with an exponent is refused for that first (E343).
#[test]
fn a_number_no_float_holds_is_refused_at_its_cell() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    header_and_row(sheet, &["ratio", "vn", "2021", "", "", "s"]);
    sheet.write_number(1, 4, 17.0).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    for (written, code) in [("1e-400", "E324"), ("1e400", "E313")] {
        let unheld = edited(&bytes, |name, text| {
            if name == "xl/worksheets/sheet1.xml" {
                text.replace("<v>17</v>", &format!("<v>{written}</v>"))
            } else {
                text
            }
        });
        let (diagnostics, store) = read(&unheld);
        assert_eq!(found(&diagnostics), [(code, 2, 5)], "{written}: {diagnostics:?}");
        assert!(diagnostics[0].message.contains(written), "{}", diagnostics[0].message);
        assert!(store.is_empty(), "{written}");
    }
    let (diagnostics, store) = read(&bytes);
    assert_eq!((found(&diagnostics), store.len()), (vec![], 1), "17 as written: {diagnostics:?}");
}

/// Rows of no height and columns of no width are hidden as surely as `hidden="1"` ones (some tools hide that way):
/// they are read, and W342 names them (they were read without a word, round 40).
#[test]
fn rows_and_columns_of_no_size_are_named_as_hidden() {
    let mut rows = ROWS;
    rows[1][4] = "15";
    let bytes = edited(&written_by_a_program(&rows), |name, text| match name {
        "xl/worksheets/sheet1.xml" => {
            text.replacen("<row r=\"3\"", "<row r=\"3\" ht=\"0\" customHeight=\"1\"", 1).replacen(
                "<sheetData>",
                "<cols><col min=\"6\" max=\"6\" width=\"0\" customWidth=\"1\"/></cols><sheetData>",
                1,
            )
        }
        _ => text,
    });
    let (diagnostics, store) = read(&bytes);
    let hidden: Vec<&str> = diagnostics.iter().filter(|d| d.code == "W342").map(|d| d.message.as_str()).collect();
    assert_eq!(
        hidden,
        [
            "sheet `Sheet1`: read 1 hidden row (row 3) and hidden column F, which a person looking at the sheet does not see"
        ]
    );
    assert_eq!(store.len(), 3, "read all the same");
}

/// A row number or cell reference past the sheet's last row (1,048,576) or column (XFD), or not a place at all:
/// calamine reads row 4,294,967,299 as row 3 (the number wraps around), so a figure was read, and its errors
/// located, at a row it is not on. E319 naming the reference, and nothing is read; the last row and column
/// themselves are not refused.
#[test]
fn a_row_past_the_last_row_of_a_sheet_is_refused_not_read_at_a_wrapped_number() {
    let workbook = written_by_a_program(&ROWS);
    let moved = |from: &str, to: &str| {
        edited(&workbook, |name, text| if name == "xl/worksheets/sheet1.xml" { text.replace(from, to) } else { text })
    };
    for (from, to, named) in [
        ("<row r=\"3\"", "<row r=\"4294967299\"", "row 4294967299"),
        ("<row r=\"3\"", "<row r=\"1048577\"", "row 1048577"),
        ("<row r=\"3\"", "<row r=\"three\"", "row three"),
        ("<c r=\"E3\"", "<c r=\"E4294967299\"", "E4294967299"),
        ("<c r=\"E3\"", "<c r=\"XFE3\"", "XFE3"),
    ] {
        let (diagnostics, store) = read(&moved(from, to));
        assert_eq!(found(&diagnostics), [("E319", 1, 1)], "{to}: {diagnostics:?}");
        assert!(diagnostics[0].message.contains(named), "{to}: {}", diagnostics[0].message);
        assert_eq!(store.len(), 0, "{to}");
    }
    for (from, to) in [("<row r=\"3\"", "<row r=\"1048576\""), ("<c r=\"F2\"", "<c r=\"XFD2\"")] {
        let (diagnostics, _) = read(&moved(from, to));
        assert!(diagnostics.iter().all(|d| d.code != "E319"), "{to}: {diagnostics:?}");
    }
}

/// A sheet name typed in decomposed Unicode (NFD, `So` + combining marks) is the sheet Excel shows composed (NFC):
/// the two look identical, so E319 "no sheet `Số liệu`… its sheets are `Số liệu`" helped no one (review of 6
/// December, helper 2, F7).
#[test]
fn a_sheet_named_in_decomposed_unicode_is_the_composed_one() {
    use unicode_normalization::UnicodeNormalization;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Số liệu").unwrap();
    header_and_row(sheet, &["cases_detected", "vn", "2021", "", "12", "s"]);
    let bytes = workbook.save_to_buffer().unwrap();
    let decomposed: String = "Số liệu".nfd().collect();
    assert_ne!(decomposed, "Số liệu");
    let options = super::ReadOptions { sheet: Some(decomposed), ..super::ReadOptions::default() };
    let mut store = ObservationStore::new();
    let diagnostics = super::xlsx::read_workbook("data/form.xlsx", &bytes, &catalogue(), &mut store, &options);
    assert!(found(&diagnostics).iter().all(|(code, ..)| *code != "E319"), "{diagnostics:?}");
    assert_eq!(store.len(), 1);
}
