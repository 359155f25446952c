//! Inputs that cannot lie or hang (issue 11): the shared cases under `tests/fixtures/hardening/` with their right
//! results, and a sweep of more inputs of each kind, each run through the real binary and compared with a snapshot
//! of its exit code, standard output and standard error (temporary paths redacted).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod support;

/// Runs the binary with `args` in `dir`; returns "exit: N", stdout and stderr as one text, with `dir` redacted.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    assert!(started.elapsed() < Duration::from_secs(60), "{args:?} took {:?}", started.elapsed());
    let code = output.status.code().expect("exited with a code, not a signal");
    let redact = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .replace(&dir.display().to_string(), "[DIR]")
            .replace(&support::example().display().to_string(), "[EXAMPLE]")
            .replace(env!("CARGO_MANIFEST_DIR"), "[REPO]")
    };
    let text = format!("exit: {code}\n--- stdout\n{}--- stderr\n{}", redact(&output.stdout), redact(&output.stderr));
    (code, text)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("target folder");
    for entry in std::fs::read_dir(from).expect("readable fixture") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("named"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, target).expect("copy");
        }
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hardening").join(name)
}

/// A temporary copy of the example project that reads its own `data/extra.*` besides the example's data.
fn example_with(file: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = support::relocated_manifest(&[]);
    let manifest = manifest.replacen("data = [", &format!("data = [\"data/{file}\", "), 1);
    std::fs::write(dir.path().join("tiendo.toml"), manifest).expect("manifest");
    std::fs::create_dir(dir.path().join("data")).expect("data folder");
    std::fs::write(dir.path().join("data").join(file), bytes).expect("data file");
    dir
}

// ---- The shared cases, with their right results. ----

#[test]
fn b2_04_a_hidden_first_sheet_is_not_read_the_visible_one_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture("b2-04-xlsx-hidden-first-sheet"), dir.path());
    let (code, text) = run(dir.path(), &["eval", ".", "--as-of", "2024-01-15", "--format", "csv"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("W338"), "{text}");
    assert!(text.contains("`ban-cu` (hidden)"), "{text}");
    assert!(text.contains(",2023,") && text.contains(",95,") || text.contains(",95.0"), "{text}");
    insta::assert_snapshot!("case_b2_04_hidden_first_sheet", text);
}

/// `[project] sheets` names the sheet a workbook is read from (issue 11: "data comes from the sheet named in the
/// project, else the first visible one"); a name that fits no sheet or no workbook of `data` is a located error.
#[test]
fn the_sheet_named_in_the_project_is_the_one_read() {
    // (what, sheets line, exit code, must contain, must not contain)
    type Case<'a> = (&'a str, &'a str, i32, &'a [&'a str], &'a [&'a str]);
    let cases: &[Case] = &[
        (
            "the hidden sheet, named",
            r#"sheets = { "data.xlsx" = "ban-cu" }"#,
            0,
            &[",70", "read sheet `ban-cu`, the sheet named in the project; not read: `du-lieu`"],
            &[",95"],
        ),
        (
            "the visible sheet, named",
            r#"sheets = { "data.xlsx" = "du-lieu" }"#,
            0,
            &[",95", "read sheet `du-lieu`, the sheet named in the project"],
            &[",70"],
        ),
        (
            // The file is refused as a whole: nothing is evaluated without it (round 74).
            "a sheet the workbook lacks",
            r#"sheets = { "data.xlsx" = "Sheet9" }"#,
            2,
            &["E319", "no sheet `Sheet9`", "`ban-cu`", "`du-lieu`"],
            &[",95", ",70"],
        ),
        (
            "a workbook not in data",
            r#"sheets = { "dat.xlsx" = "du-lieu" }"#,
            1,
            &["E007", "tiendo.toml:6:", "not one of the `data` files", "did you mean `data.xlsx`"],
            &[],
        ),
        ("a CSV file", r#"sheets = { "data.csv" = "du-lieu" }"#, 1, &["E007", "not an `.xlsx` workbook"], &[]),
    ];
    for (what, sheets, code, present, absent) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&fixture("b2-04-xlsx-hidden-first-sheet"), dir.path());
        let manifest = dir.path().join("tiendo.toml");
        let text = std::fs::read_to_string(&manifest).expect("manifest") + sheets + "\n";
        std::fs::write(&manifest, text).expect("manifest written");
        // A project error is `check`'s to report (eval refuses such a project with exit 2).
        let args: &[&str] = if present.contains(&"E007") {
            &["check", "."]
        } else {
            &["eval", ".", "--as-of", "2024-01-15", "--format", "csv"]
        };
        let (got, output) = run(dir.path(), args);
        assert_eq!(got, *code, "{what}: {output}");
        for needle in *present {
            assert!(output.contains(needle), "{what}: `{needle}` missing in {output}");
        }
        for needle in *absent {
            assert!(!output.contains(needle), "{what}: `{needle}` present in {output}");
        }
    }
}

#[test]
fn b2_05_a_percent_cell_is_read_as_the_percentage_it_shows() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture("b2-05-xlsx-percent-format"), dir.path());
    let (code, text) = run(dir.path(), &["eval", ".", "--as-of", "2024-01-15", "--format", "csv"]);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("0.95"), "{text}");
    insta::assert_snapshot!("case_b2_05_percent_format", text);
}

#[test]
fn b2_07_a_count_with_a_thousands_dot_is_refused_not_read_as_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture("b2-07-vi-thousands-dot-count"), dir.path());
    let (code, text) = run(dir.path(), &["eval", ".", "--as-of", "2024-01-15", "--org-unit", "vn", "--format", "csv"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("data.csv:2:4: error[E334 thousands-separator]"), "{text}");
    assert!(!text.contains("851"), "{text}");
    insta::assert_snapshot!("case_b2_07_thousands_dot", text);
}

#[cfg(unix)]
#[test]
fn catalogue_symlink_loops_are_one_error_each_and_the_catalogue_is_read_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let catalogue = dir.path().join("indicators");
    copy_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/catalogue"), &catalogue);
    std::os::unix::fs::symlink(".", catalogue.join("loop-a")).expect("link");
    std::os::unix::fs::symlink(".", catalogue.join("loop-b")).expect("link");
    let (code, text) = run(dir.path(), &["check", "indicators"]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(text.matches("symbolic link loop").count(), 2, "{text}");
    assert!(!text.contains("E008"), "{text}");
    insta::assert_snapshot!("case_catalogue_symlink_loops", text);
}

/// A catalogue written on one line (a minified array of inline tables) is not quoted whole under each of its
/// diagnostics: 2,000 bad ids in a 137 KB line wrote 410 MB, and a 1 MB line never finished (round 70, found by an
/// adversarial tester). Each diagnostic says where, with an excerpt of the line around its span.
#[test]
fn a_catalogue_on_one_long_line_is_located_with_excerpts_not_quoted_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let catalogue = dir.path().join("indicators");
    copy_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/catalogue"), &catalogue);
    let items: Vec<String> = (0..3000)
        .map(|i| format!("{{id=\"Bad-{i}\", name={{vi=\"x\",en=\"x\"}}, level=\"province\", parent=\"vn\"}}"))
        .collect();
    std::fs::write(catalogue.join("zz.toml"), format!("org_unit = [{}]\n", items.join(","))).expect("write");
    let (code, text) = run(dir.path(), &["check", "indicators"]);
    assert_eq!(code, 1, "{}", &text[..text.len().min(2000)]);
    assert_eq!(text.matches("error[E009").count(), 3000);
    assert!(text.len() < 3_000_000, "{} bytes", text.len());
    let first = text.lines().find(|l| l.contains("at indicators/zz.toml:1:")).expect("located");
    assert!(first.ends_with("zz.toml:1:17: `org_unit = [{id=\"Bad-0\", name={vi=\"x\",en=\"x\"}, level=…`"), "{first}");
}

#[test]
fn csv_extra_cells_are_an_error_not_dropped() {
    for file in ["decimal-comma-last-column.csv", "extra-cells.csv"] {
        let bytes = std::fs::read(fixture("csv-extra-cells-dropped").join(file)).expect("case file");
        let dir = example_with(file, &bytes);
        let args =
            ["eval", ".", "--as-of", "2024-01-15", "--org-unit", "ha-noi", "--period", "2019", "--format", "csv"];
        let (code, text) = run(dir.path(), &args);
        assert_eq!(code, 1, "{text}");
        assert!(text.contains(&format!("data/{file}:2:")), "{text}");
        assert!(text.contains("E326 row-width"), "{text}");
        insta::assert_snapshot!(format!("case_csv_extra_cells_{file}"), text);
    }
}

#[test]
fn csv_a_stray_quote_is_located_and_does_not_swallow_later_rows() {
    let bytes = std::fs::read(fixture("csv-stray-quote-swallows-rows").join("stray-quote.csv")).expect("case file");
    let dir = example_with("stray-quote.csv", &bytes);
    let args = ["eval", ".", "--as-of", "2024-01-15", "--period", "2019", "--org-unit", "vn", "--format", "csv"];
    let (code, text) = run(dir.path(), &args);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("data/stray-quote.csv:2:7: error[E329 unclosed-quote]"), "{text}");
    // hai-phong's 7 and da-nang's 9 are read; ha-noi's row, whose note never closes, is not.
    assert!(text.contains(",16,") || text.contains(",16\n"), "{text}");
    insta::assert_snapshot!("case_csv_stray_quote", text);
}

#[test]
fn xlsx_a_sparse_range_bomb_is_an_error_not_an_abort() {
    let bytes = std::fs::read(fixture("xlsx-sparse-range-bomb").join("sparse-bomb.xlsx")).expect("case file");
    let dir = example_with("sparse-bomb.xlsx", &bytes);
    let (code, text) = run(dir.path(), &["check", "."]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("data/sparse-bomb.xlsx:1:1: error["), "{text}");
    insta::assert_snapshot!("case_xlsx_sparse_range_bomb", text);
}

#[test]
fn a_huge_target_is_a_check_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = support::relocated_manifest(&[]).replacen("catalogue = [", "catalogue = [\"zz-huge.toml\", ", 1);
    std::fs::write(dir.path().join("tiendo.toml"), manifest).expect("manifest");
    std::fs::copy(fixture("huge-target-breaks-report").join("zz-huge.toml"), dir.path().join("zz-huge.toml"))
        .expect("copy");
    let (code, text) = run(dir.path(), &["check", "."]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(text.matches("E029 number-out-of-range").count(), 3, "{text}");
    for position in ["zz-huge.toml:14:9", "zz-huge.toml:20:9", "zz-huge.toml:27:9"] {
        assert!(text.contains(position), "{position}: {text}");
    }
    insta::assert_snapshot!("case_huge_target", text);
}

// ---- The sweep: more inputs of each kind, against a small catalogue. ----

const CATALOGUE: &str = r#"
[[source]]
id = "src"
title = { vi = "Nguồn", en = "Source" }

[[work_area]]
id = "wa"
name = { vi = "Nhóm", en = "Group" }

[[org_unit]]
id = "vn"
name = { vi = "Việt Nam", en = "Viet Nam" }
level = "country"

[[org_unit]]
id = "prov-a"
name = { vi = "Tỉnh A", en = "Province A" }
level = "province"
parent = "vn"

[[category]]
id = "sex"
name = { vi = "Giới tính", en = "Sex" }
options = [{ id = "female", name = { vi = "Nữ", en = "Female" } }, { id = "male", name = { vi = "Nam", en = "Male" } }]

[[data_element]]
id = "cases"
name = { vi = "Số vụ", en = "Cases" }
categories = ["sex"]

[[data_element]]
id = "ratio"
name = { vi = "Tỉ số", en = "Ratio" }
value_type = "number"

[[indicator]]
id = "cases-detected"
code = "C1"
name = { vi = "Số vụ", en = "Cases" }
group = "wa"
measure = "count"
numerator = "cases"
direction = "increase"
source = "src"

[[indicator]]
id = "reached"
code = "P1"
name = { vi = "Tỷ lệ", en = "Share reached" }
group = "wa"
measure = "percent"
direction = "increase"
source = "src"

[[plan]]
id = "plan"
kind = "national"
title = { vi = "Kế hoạch", en = "Plan" }
org_unit = "vn"
period = "2021..2025"
source = "src"
indicators = ["cases-detected", "reached"]
"#;

const HEADER: &str = "data_element,org_unit,period,value,source\n";

/// A project of the small catalogue reading `data/<file>`.
fn project(file: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = format!(
        "[project]\nname = {{ vi = \"Thử\", en = \"Test\" }}\nprogramme = \"plan\"\ncatalogue = [\"catalogue.toml\"]\ndata = [\"data/{file}\"]\n"
    );
    std::fs::write(dir.path().join("tiendo.toml"), manifest).expect("manifest");
    std::fs::write(dir.path().join("catalogue.toml"), CATALOGUE).expect("catalogue");
    std::fs::create_dir(dir.path().join("data")).expect("data folder");
    std::fs::write(dir.path().join("data").join(file), bytes).expect("data");
    dir
}

fn csv(rows: &str) -> Vec<u8> {
    format!("{HEADER}{rows}").into_bytes()
}

/// (name, file name, bytes, expected exit code of `tiendo check`, a text the output must hold)
type Input = (&'static str, &'static str, Vec<u8>, i32, &'static str);

fn csv_inputs() -> Vec<Input> {
    let many_bad: String = (0..1_000).map(|i| format!("nope,prov-a,2022,{i},src\n")).collect();
    let long_line = format!("cases,prov-a,2021,{},src\ncases,prov-a,2022,5,src\n", "9".repeat(2 << 20));
    let utf16: Vec<u8> =
        [0xff, 0xfe].into_iter().chain(HEADER.encode_utf16().flat_map(|unit| unit.to_le_bytes())).collect();
    vec![
        (
            "unclosed-quote-at-end",
            "a.csv",
            csv("cases,prov-a,2021,5,\"src\ncases,prov-a,2022,6,src\n"),
            1,
            "a.csv:2:5: error[E329",
        ),
        (
            "unclosed-quote-rows-after-are-read",
            "a.csv",
            csv("cases,prov-a,2021,\"5,src\ncases,prov-a,2022,6,src\ncases,prov-a,2023,x,src\n"),
            1,
            "a.csv:4:4: error[E313",
        ),
        ("row-narrower-than-header", "a.csv", csv("cases,prov-a,2021,5\n"), 1, "a.csv:2:4: error[E326"),
        ("row-wider-decimal-comma", "a.csv", csv("ratio,prov-a,2021,12,5,src\n"), 1, "error[E326"),
        ("row-wider-blank-cells-only", "a.csv", csv("cases,prov-a,2021,5,src,,\n"), 0, "no problems found"),
        (
            "value-under-unnamed-column",
            "a.csv",
            b"data_element,org_unit,period,value,source,\ncases,prov-a,2021,5,src,7\n".to_vec(),
            1,
            "a.csv:2:6: error[E326",
        ),
        (
            "duplicate-column",
            "a.csv",
            b"data_element,org_unit,period,value,value,source\ncases,prov-a,2021,5,6,src\n".to_vec(),
            1,
            "a.csv:1:5: error[E327",
        ),
        (
            "semicolon-separated",
            "a.csv",
            b"data_element;org_unit;period;value;source\ncases;prov-a;2021;5;src\n".to_vec(),
            1,
            "Vietnamese",
        ),
        (
            "tab-separated",
            "a.csv",
            b"data_element\torg_unit\tperiod\tvalue\tsource\ncases\tprov-a\t2021\t5\tsrc\n".to_vec(),
            1,
            "tabs",
        ),
        ("utf16-with-mark", "a.csv", utf16, 1, "error[E337"),
        ("csv-that-is-a-workbook", "a.csv", workbook(|_| {}), 1, "zip archive"),
        ("csv-that-is-an-old-xls", "a.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest".to_vec(), 1, "`.xls`"),
        ("binary-with-nul-bytes", "a.csv", b"data_element\0\0\0,org".to_vec(), 1, "NUL"),
        ("count-thousands-comma", "a.csv", csv("cases,prov-a,2021,\"1,000\",src\n"), 1, "error[E334"),
        ("count-thousands-space", "a.csv", csv("cases,prov-a,2021,1 000,src\n"), 1, "error[E334"),
        ("count-thousands-dots", "a.csv", csv("cases,prov-a,2021,1.234.567,src\n"), 1, "error[E334"),
        ("number-decimal-comma-quoted", "a.csv", csv("ratio,prov-a,2021,\"12,5\",src\n"), 1, "`12.5`"),
        ("percent-sign-in-csv", "a.csv", csv("reached,prov-a,2021,95%,src\n"), 1, "without the `%` sign"),
        // A percentage in a count's cell asks for the count, never for the number without its sign (round 68).
        ("percent-sign-in-count", "a.csv", csv("cases,prov-a,2021,90%,src\n"), 1, "write the number counted"),
        ("value-1e308", "a.csv", csv("ratio,prov-a,2021,1e308,src\n"), 1, "error[E324"),
        (
            "count-exponent",
            "a.csv",
            csv("cases,prov-a,2021,1e2,src\ncases,prov-a,2022,2E1,src\n"),
            1,
            "a.csv:3:4: error[E343",
        ),
        ("count-exponent-negative", "a.csv", csv("cases,prov-a,2021,1500e-1,src\n"), 1, "a.csv:2:4: error[E343"),
        ("number-exponent-is-read", "a.csv", csv("ratio,prov-a,2021,1.5e1,src\n"), 0, "no problems found"),
        ("line-longer-than-cap", "a.csv", csv(&long_line), 1, "error[E328"),
        ("many-bad-rows-are-summarised", "a.csv", csv(&many_bad), 1, "… and 900 more like this"),
        ("very-long-unknown-id", "a.csv", csv(&format!("{},prov-a,2021,5,src\n", "x".repeat(10_000))), 1, "…`"),
        ("terminal-escape-in-cell", "a.csv", csv("cases,prov-\u{1b}[31ma,2021,5,src\n"), 1, "\\u{1b}"),
    ]
}

/// A workbook of one visible sheet `du-lieu` with the observation header, filled by `fill`.
fn workbook(fill: impl FnOnce(&mut rust_xlsxwriter::Workbook)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    fill(&mut book);
    if book.worksheets().is_empty() {
        let sheet = book.add_worksheet().set_name("du-lieu").expect("name");
        write_header(sheet);
    }
    book.save_to_buffer().expect("in memory")
}

fn write_header(sheet: &mut rust_xlsxwriter::Worksheet) {
    for (column, name) in ["data_element", "org_unit", "period", "value", "source"].iter().enumerate() {
        sheet.write_string(0, column as u16, *name).expect("cell");
    }
}

fn write_row(sheet: &mut rust_xlsxwriter::Worksheet, row: u32, cells: [&str; 5]) {
    for (column, text) in cells.iter().enumerate() {
        if !text.is_empty() {
            sheet.write_string(row, column as u16, *text).expect("cell");
        }
    }
}

fn xlsx_inputs() -> Vec<Input> {
    use rust_xlsxwriter::{ExcelDateTime, Format};
    let percent = Format::new().set_num_format("0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    vec![
        (
            "xlsx-very-hidden-first-sheet",
            "a.xlsx",
            workbook(|book| {
                let old = book.add_worksheet().set_name("cu").expect("name");
                write_header(old);
                write_row(old, 1, ["cases", "prov-a", "2021", "x", "src"]);
                let sheet = book.add_worksheet().set_name("moi").expect("name");
                // Excel shows the active sheet, which therefore cannot be hidden: the new one is active.
                sheet.set_active(true);
                write_header(sheet);
                write_row(sheet, 1, ["cases", "prov-a", "2021", "5", "src"]);
                book.worksheet_from_name("cu").expect("the old sheet").set_very_hidden(true);
            }),
            0,
            "`cu` (hidden)",
        ),
        (
            "xlsx-only-hidden-sheets",
            "a.xlsx",
            std::fs::read(fixture("only-hidden-sheets.xlsx")).expect("fixture"),
            1,
            "no visible worksheet",
        ),
        (
            "xlsx-percent-cell-for-a-count",
            "a.xlsx",
            workbook(|book| {
                let sheet = book.add_worksheet().set_name("du-lieu").expect("name");
                write_header(sheet);
                write_row(sheet, 1, ["cases", "prov-a", "2021", "", "src"]);
                sheet.write_number_with_format(1, 3, 0.5, &percent).expect("cell");
            }),
            1,
            "a.xlsx:2:4: error[E335",
        ),
        (
            "xlsx-date-cell-for-a-period",
            "a.xlsx",
            workbook(|book| {
                let sheet = book.add_worksheet().set_name("du-lieu").expect("name");
                write_header(sheet);
                write_row(sheet, 1, ["cases", "prov-a", "", "5", "src"]);
                let day = ExcelDateTime::from_ymd(2023, 3, 1).expect("date");
                sheet.write_datetime_with_format(1, 2, &day, &date).expect("cell");
            }),
            1,
            "a.xlsx:2:3: error[E335",
        ),
        (
            "xlsx-blank-merged-cell",
            "a.xlsx",
            workbook(|book| {
                let sheet = book.add_worksheet().set_name("du-lieu").expect("name");
                write_header(sheet);
                sheet.merge_range(1, 1, 2, 1, "prov-a", &Format::new()).expect("merge");
                write_row(sheet, 1, ["cases", "", "2021", "5", "src"]);
                write_row(sheet, 2, ["cases", "", "2022", "6", "src"]);
            }),
            1,
            "a.xlsx:3:2: error[E336",
        ),
        (
            // A figure kept under a merged range's first cell, which is all Excel shows (round 40: read unseen).
            "xlsx-figure-under-merged-cells",
            "a.xlsx",
            workbook(|book| {
                let sheet = book.add_worksheet().set_name("du-lieu").expect("name");
                write_header(sheet);
                write_row(sheet, 1, ["cases", "prov-a", "2021", "", "src"]);
                write_row(sheet, 2, ["cases", "prov-b", "2021", "", "src"]);
                sheet.merge_range(1, 3, 2, 3, "", &Format::new()).expect("merge");
                sheet.write_number(2, 3, 850).expect("cell");
            }),
            1,
            "a.xlsx:3:4: error[E336",
        ),
        (
            "xlsx-cell-beyond-the-header",
            "a.xlsx",
            workbook(|book| {
                let sheet = book.add_worksheet().set_name("du-lieu").expect("name");
                write_header(sheet);
                write_row(sheet, 1, ["cases", "prov-a", "2021", "5", "src"]);
                sheet.write_string(1, 16_383, "lost").expect("cell");
            }),
            1,
            "a.xlsx:2:16384: error[E326",
        ),
        (
            "xlsx-text-count-with-thousands-dot",
            "a.xlsx",
            workbook(|book| {
                let sheet = book.add_worksheet().set_name("du-lieu").expect("name");
                write_header(sheet);
                write_row(sheet, 1, ["cases", "prov-a", "2021", "1.000", "src"]);
            }),
            1,
            "a.xlsx:2:4: error[E334",
        ),
        (
            "xlsx-hidden-row-and-column",
            "a.xlsx",
            workbook(|book| {
                let sheet = book.add_worksheet().set_name("du-lieu").expect("name");
                write_header(sheet);
                write_row(sheet, 1, ["cases", "prov-a", "2021", "5", "src"]);
                write_row(sheet, 2, ["cases", "prov-a", "2022", "999", "src"]);
                sheet.set_row_hidden(2).expect("hide");
                sheet.set_column_hidden(3).expect("hide");
            }),
            0,
            "a.xlsx:3:1: warning[W342 hidden-cells-read]: sheet `du-lieu`: read 1 hidden row (row 3) and hidden column D",
        ),
        (
            "xlsx-text-count-with-exponent",
            "a.xlsx",
            workbook(|book| {
                let sheet = book.add_worksheet().set_name("du-lieu").expect("name");
                write_header(sheet);
                write_row(sheet, 1, ["cases", "prov-a", "2021", "1e2", "src"]);
                write_row(sheet, 2, ["ratio", "prov-a", "2021", "2.5E1", "src"]);
                // A number cell of a count is its number, whatever Excel shows: 100 here, written as a number.
                write_row(sheet, 3, ["cases", "prov-a", "2022", "", "src"]);
                sheet.write_number(3, 3, 1e2).expect("cell");
            }),
            1,
            "a.xlsx:2:4: error[E343",
        ),
        (
            // As XlsxWriter, rust_xlsxwriter and openpyxl write a formula: 0 as its result, to be recalculated when
            // a spreadsheet opens the file. Read as it stands, the review would count 0 cases.
            "xlsx-formula-result-never-calculated",
            "a.xlsx",
            workbook(|book| {
                let sheet = book.add_worksheet().set_name("du-lieu").expect("name");
                write_header(sheet);
                write_row(sheet, 1, ["cases", "prov-a", "2021", "", "src"]);
                sheet.write_formula(1, 3, "=10+5").expect("cell");
            }),
            1,
            "a.xlsx:2:4: error[E346 formula-result-unknown]: cell D2 holds a formula, and the workbook asks to be \
             recalculated when it is opened, so the result it keeps (`0`) may not be the formula's: the row is left out",
        ),
        ("xlsx-that-is-csv-text", "a.xlsx", csv("cases,prov-a,2021,5,src\n"), 1, "a.xlsx:1:1: error[E319"),
        ("xls-old-workbook", "a.xls", b"\xd0\xcf\x11\xe0".to_vec(), 1, "neither a `.csv` nor a `.xlsx`"),
    ]
}

#[test]
fn bad_data_files_are_located_errors_in_check() {
    for (name, file, bytes, expected, needle) in csv_inputs().into_iter().chain(xlsx_inputs()) {
        let dir = project(file, &bytes);
        let (code, text) = run(dir.path(), &["check", "."]);
        assert_eq!(code, expected, "{name}: {text}");
        assert!(text.contains(needle), "{name}: expected {needle:?} in {text}");
        // Echoed cells are cut: no output line grows with the input.
        assert!(text.lines().all(|line| line.chars().count() < 400), "{name}: a long line in {text}");
        insta::assert_snapshot!(format!("sweep_{name}"), text);
    }
}

/// `eval` reads what `check` reads: the value of a row refused by check never reaches its output.
#[test]
fn eval_leaves_out_refused_rows_and_says_why() {
    let dir = project("a.csv", &csv("cases,prov-a,2021,1.000,src\ncases,prov-a,2022,850,src\n"));
    let (code, text) =
        run(dir.path(), &["eval", ".", "--as-of", "2024-01-15", "--format", "csv", "--org-unit", "prov-a"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("a.csv:2:4: error[E334"), "{text}");
    assert!(!text.contains(",2021,1,") && !text.contains(",2021,1.0"), "{text}");
    insta::assert_snapshot!("sweep_eval_refused_row", text);
}

/// A data file refused as a whole (at its header, or no table at all) stops `eval` and `report` with exit 2 and its
/// located errors, and no review is written: every figure would be made without it, and a national sum of the
/// provinces that did report would read as complete (round 74, found by an adversarial tester: a duplicated `source`
/// column left a province's 500 victims out of a total published as "2 of 2 units").
#[test]
fn a_data_file_refused_as_a_whole_stops_the_run() {
    let files: [(&str, Vec<u8>); 3] = [
        ("duplicate column", b"data_element,org_unit,period,value,value,source\ncases,prov-a,2021,5,6,src\n".to_vec()),
        ("missing column", b"data_element,org_unit,period,source\ncases,prov-a,2021,src\n".to_vec()),
        ("semicolons", b"data_element;org_unit;period;value;source\ncases;prov-a;2021;5;src\n".to_vec()),
    ];
    for (name, bytes) in files {
        let dir = project("a.csv", &bytes);
        let (code, text) = run(dir.path(), &["eval", ".", "--as-of", "2024-01-15"]);
        assert_eq!(code, 2, "{name}: {text}");
        assert!(
            text.contains("no row of `data/a.csv` could be read: nothing is evaluated without it"),
            "{name}: {text}"
        );
        assert!(text.contains("data/a.csv:") && text.contains(": error[E3"), "{name}: {text}");
        let args = ["report", ".", "--window", "2021..2023", "--as-of", "2024-01-15", "--out", "review"];
        let (code, text) = run(dir.path(), &args);
        assert_eq!(code, 2, "{name}: {text}");
        assert!(!dir.path().join("review").exists(), "{name}: a review was written");
    }
    // Rows refused one by one, even all of them, are left out and listed (exit 1), as before: their units stay
    // expected, so a value lacking them is partial.
    for rows in ["cases,prov-a,2021,1.000,src\ncases,prov-a,2022,850,src\n", "cases,prov-a,2021,1.000,src\n"] {
        let dir = project("a.csv", &csv(rows));
        assert_eq!(run(dir.path(), &["eval", ".", "--as-of", "2024-01-15"]).0, 1, "{rows}");
    }
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_at_once() {
    // A FIFO named like a data file: opening it would wait for a writer for ever.
    let dir = project("a.csv", b"");
    let fifo = dir.path().join("data/a.csv");
    std::fs::remove_file(&fifo).expect("remove");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(status.success());
    let (code, text) = run(dir.path(), &["check", "."]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("not a regular file"), "{text}");
    insta::assert_snapshot!("sweep_fifo_data_file", text);
    // A device as a data file, and a FIFO as a catalogue file.
    let manifest = std::fs::read_to_string(dir.path().join("tiendo.toml")).expect("manifest");
    std::fs::write(dir.path().join("tiendo.toml"), manifest.replace("data/a.csv", "/dev/zero.csv")).expect("write");
    let (code, text) = run(dir.path(), &["check", "."]);
    assert_eq!(code, 1, "{text}");
    let catalogue = dir.path().join("more");
    std::fs::create_dir(&catalogue).expect("folder");
    let status = Command::new("mkfifo").arg(catalogue.join("x.toml")).status().expect("mkfifo runs");
    assert!(status.success());
    let (code, text) = run(dir.path(), &["check", "more"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("not a regular file"), "{text}");
    insta::assert_snapshot!("sweep_fifo_catalogue_file", text);
}

#[test]
fn catalogue_numbers_ids_and_plan_chains_that_would_break_a_report_are_check_errors() {
    let long_id = "a".repeat(150);
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "target-infinite-baseline-negative-huge",
            "[[plan.target]]\nindicator = \"cases-detected\"\nperiod = \"2025\"\ncomparator = \">=\"\nvalue = inf\nsource = \"src\"\n\n[[plan.baseline]]\nindicator = \"cases-detected\"\nperiod = \"2021\"\nvalue = -2e15\nsource = \"src\"\n".to_owned(),
            "E029",
        ),
        (
            // Too close to zero to be held: it parsed as 0 and read "target >= 0, achieved" (round 40).
            "target-underflows-to-zero",
            "[[plan.target]]\nindicator = \"cases-detected\"\nperiod = \"2025\"\ncomparator = \">=\"\nvalue = 1e-400\nsource = \"src\"\n".to_owned(),
            "E029",
        ),
        (
            "indicator-limit-and-scale-out-of-range",
            "[[indicator]]\nid = \"tier\"\ncode = \"X1\"\nname = { vi = \"x\", en = \"x\" }\ngroup = \"wa\"\nmeasure = \"ordinal\"\nnumerator = \"cases\"\ndirection = \"increase\"\nsource = \"src\"\nlimit = 1e300\nscale = [{ value = 1, label = { vi = \"a\", en = \"a\" } }, { value = -inf, label = { vi = \"b\", en = \"b\" } }]\n".to_owned(),
            "E029",
        ),
        ("id-too-long", format!("[[source]]\nid = \"{long_id}\"\ntitle = {{ vi = \"x\", en = \"x\" }}\n"), "E009"),
        (
            "implements-cycle-of-three",
            ["p1", "p2", "p3"]
                .iter()
                .zip(["p2", "p3", "p1"])
                .map(|(id, implements)| {
                    format!("[[plan]]\nid = \"{id}\"\nkind = \"provincial\"\ntitle = {{ vi = \"x\", en = \"x\" }}\norg_unit = \"prov-a\"\nperiod = \"2021..2025\"\nsource = \"src\"\nimplements = \"{implements}\"\n\n")
                })
                .collect(),
            "E035",
        ),
        (
            "implements-itself",
            "[[plan]]\nid = \"p9\"\nkind = \"provincial\"\ntitle = { vi = \"x\", en = \"x\" }\norg_unit = \"prov-a\"\nperiod = \"2021..2025\"\nsource = \"src\"\nimplements = \"p9\"\n".to_owned(),
            "E035",
        ),
    ];
    for (name, extra, code) in cases {
        let dir = project("a.csv", &csv("cases,prov-a,2021,5,src\n"));
        let catalogue =
            if name.starts_with("target") { format!("{CATALOGUE}\n{extra}") } else { format!("{extra}\n{CATALOGUE}") };
        std::fs::write(dir.path().join("catalogue.toml"), catalogue).expect("catalogue");
        let (exit, text) = run(dir.path(), &["check", "."]);
        assert_eq!(exit, 1, "{name}: {text}");
        assert!(text.contains(code), "{name}: {text}");
        insta::assert_snapshot!(format!("sweep_catalogue_{name}"), text);
    }
}
