//! What a file named `.csv` really is: a workbook, UTF-16 text or a `;`-separated export is refused at once with a
//! hint, rather than read as one column of garbage or as rows that silently lose their values.

use tiendo_core::Diagnostic;

use super::span;

/// How many bytes at the start of a file decide what it is.
pub(crate) const SNIFF_BYTES: usize = 64;

/// The error for the first bytes of a file that is not CSV UTF-8 text, if they show one.
pub(crate) fn not_csv(name: &str, start: &[u8]) -> Option<Diagnostic> {
    let (message, hint) = if start.starts_with(b"PK\x03\x04") {
        (
            "the file is a zip archive (an Excel `.xlsx` workbook?), not CSV text",
            "name it `.xlsx` in `tiendo.toml` to read it as a workbook, or save it from Excel as CSV UTF-8",
        )
    } else if start.starts_with(b"\xd0\xcf\x11\xe0") {
        ("the file is an old Excel `.xls` workbook, not CSV text", "save it from Excel as `.xlsx` or as CSV UTF-8")
    } else if start.starts_with(b"\xff\xfe") || start.starts_with(b"\xfe\xff") || utf16_without_mark(start) {
        (
            "the file is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8",
            "save it from Excel as \"CSV UTF-8 (Comma delimited)\"",
        )
    } else if start.contains(&0) {
        ("the file holds NUL bytes: it is not CSV text", "check that this is the data file you meant")
    } else {
        return None;
    };
    Some(
        Diagnostic::error("E337", "wrong-file-format", message.to_owned())
            .with_span(Some(span(name, 1, 1)))
            .with_hint(hint.to_owned()),
    )
}

/// UTF-16 text without a byte-order mark: every other byte of the first ASCII characters is zero.
fn utf16_without_mark(start: &[u8]) -> bool {
    let sample = &start[..start.len().min(SNIFF_BYTES)];
    sample.len() >= 8
        && (sample.iter().step_by(2).all(|&b| b == 0) || sample.iter().skip(1).step_by(2).all(|&b| b == 0))
}

/// The hint for a header read as one column: the separator it seems to use instead of `,`.
pub(crate) fn separator_hint(header: &[&str]) -> Option<String> {
    if header.len() != 1 {
        return None;
    }
    let only = header[0];
    if only.contains(';') {
        Some(
            "the header is separated by `;`: Excel saves \"CSV\" that way where `,` is the decimal separator, as in \
             the Vietnamese (vi-VN) locale; save as \"CSV UTF-8 (Comma delimited)\" with `,` as the list separator \
             (Windows: Region > Additional settings > List separator), or replace `;` by `,`"
                .to_owned(),
        )
    } else if only.contains('\t') {
        Some("the header is separated by tabs: save the file as CSV UTF-8 (Comma delimited)".to_owned())
    } else {
        None
    }
}
