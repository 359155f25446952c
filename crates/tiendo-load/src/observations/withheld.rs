//! The diagnostics of a sensitive element's row quote none of its cells that hold a digit: a victim count typed one
//! cell off (under `sex`, `source`, `status`, a period, or beyond the header) was quoted by that cell's diagnostic,
//! "`3` is not an option of category `sex`", beside the value's own refusal that quotes nothing (round 69, found by
//! a verifier). The value cell's own refusals are withheld by `cells::value`.
//!
//! tiendo's own examples stay: a back-quoted span whose digits are no cell's and hold none (`2023Q1`, "one thousand is
//! `1000`") is shown, so that the hint still says how to fix the row; every span with a digit was taken for a cell,
//! and E312 on a victims row read "expected a cell (not quoted ...), a cell (not quoted ...), ..." eight times over
//! (round 71, found by an adversarial tester).

use chrono::NaiveDate;
use tiendo_core::{Diagnostic, Period};
use unicode_normalization::UnicodeNormalization;

/// What a diagnostic says instead of a cell it may not quote.
const NOT_QUOTED: &str = "a cell (not quoted: the row is of a sensitive element)";

/// `text` with every back-quoted span that holds a digit replaced by [`NOT_QUOTED`]; spans without one (a category
/// id, an option, a file name) stay. For diagnostics raised before a row's cells are read.
pub(super) fn scrub(text: &str) -> String {
    scrub_where(text, &|_| true)
}

/// Scrubs the messages and hints of `diagnostics`, all of the row `fields`: a back-quoted span with a digit is
/// replaced by [`NOT_QUOTED`] when its digits are among those of a cell that is not a period id or a date, counted
/// with repeats (a cell quoted as typed, in part, or rewritten: "write `1000`" for `1 000`, `2023-01-15` for
/// `15/01/2023`), or when a digit of either is not an ASCII digit after compatibility normalisation (full-width
/// digits are: `３` is 3).
pub(super) fn scrub_row(diagnostics: &mut [Diagnostic], fields: &[&str]) {
    // A cell that reads as a period id or a date is what it says, no count typed in the wrong column, and holds the
    // digits of every example year (`2023-01-15` beside `2023Q1`).
    let what_it_says = |cell: &str| {
        let cell = cell.trim();
        cell.parse::<Period>().is_ok() || NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_ok()
    };
    let cells: Option<Vec<[u16; 10]>> = fields
        .iter()
        .filter(|f| !what_it_says(f))
        .map(|f| digits(f))
        .filter(|d| d.is_none_or(|d| d.iter().any(|&n| n > 0)))
        .collect();
    let quotes_a_cell = |span: &str| match (&cells, digits(span)) {
        (Some(cells), Some(span)) => cells.iter().any(|cell| cell.iter().zip(&span).all(|(c, s)| s <= c)),
        _ => true,
    };
    for diagnostic in diagnostics {
        diagnostic.message = scrub_where(&diagnostic.message, &quotes_a_cell);
        for hint in &mut diagnostic.hints {
            *hint = scrub_where(hint, &quotes_a_cell);
        }
    }
}

/// How many of each digit `text` holds after compatibility normalisation; `None` when one of its digits is not an
/// ASCII digit.
fn digits(text: &str) -> Option<[u16; 10]> {
    let mut counts = [0u16; 10];
    for c in text.nfkc().filter(|c| c.is_numeric()) {
        let digit = c.to_digit(10).filter(|_| c.is_ascii_digit())?;
        counts[digit as usize] = counts[digit as usize].saturating_add(1);
    }
    Some(counts)
}

/// `text` with each back-quoted span that holds a digit and that `quotes_a_cell` says may be a cell replaced by
/// [`NOT_QUOTED`].
fn scrub_where(text: &str, quotes_a_cell: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(length) = rest[open + 1..].find('`') else { break };
        let span = &rest[open + 1..open + 1 + length];
        out.push_str(&rest[..open]);
        if span.chars().any(|c| c.is_numeric()) && quotes_a_cell(span) {
            out.push_str(NOT_QUOTED);
        } else {
            out.push_str(&rest[open..open + length + 2]);
        }
        rest = &rest[open + length + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_with_a_digit_are_not_quoted_and_the_others_are() {
        let cases = [
            ("`3` is not an option of category `sex`", format!("{NOT_QUOTED} is not an option of category `sex`")),
            ("unknown source `４`", format!("unknown source {NOT_QUOTED}")),
            ("unknown org unit `prov-a`", "unknown org unit `prov-a`".to_owned()),
            ("a stray ` quote", "a stray ` quote".to_owned()),
            ("`1`,`x`,`2`", format!("{NOT_QUOTED},`x`,{NOT_QUOTED}")),
        ];
        for (text, want) in cases {
            assert_eq!(scrub(text), want, "{text}");
        }
    }

    /// In a row's diagnostics, a span is scrubbed when it may be one of the row's cells, as typed or rewritten, and
    /// tiendo's own examples stay.
    #[test]
    fn a_row_s_cells_are_not_quoted_and_tiendo_s_examples_are() {
        let row: &[&str] = &["victims", "prov-a", "2022-Q1", "4", "src"];
        let cases: [(&[&str], &str, String); 7] = [
            (
                row,
                "`2022-Q1` is not a period id; expected `2023`, `2023Q1`",
                format!("{NOT_QUOTED} is not a period id; expected `2023`, `2023Q1`"),
            ),
            (
                &["victims", "vn", "2022", "1 000"],
                "one thousand is `1000`; if `1 000` is meant, write `1000`",
                format!("one thousand is {NOT_QUOTED}; if {NOT_QUOTED} is meant, write {NOT_QUOTED}"),
            ),
            (&["victims", "vn", "2022", "7", "2023-01-15"], "expected `2023Q1`", "expected `2023Q1`".to_owned()),
            (
                &["victims", "vn", "2022", "7", "15/01/2023"],
                "write `2023-01-15`, not `15/01/2023`",
                format!("write {NOT_QUOTED}, not {NOT_QUOTED}"),
            ),
            (&["victims", "vn", "2022", "３"], "write `3`", format!("write {NOT_QUOTED}")),
            (row, "`2021..2025` or `2023-01-01..2023-06-30`", "`2021..2025` or `2023-01-01..2023-06-30`".to_owned()),
            (row, "unknown org unit `prov-a`", "unknown org unit `prov-a`".to_owned()),
        ];
        for (fields, text, want) in cases {
            let mut diagnostics = [Diagnostic::error("E312", "bad-period", text.to_owned()).with_hint(text.to_owned())];
            scrub_row(&mut diagnostics, fields);
            assert_eq!(diagnostics[0].message, want, "{text}");
            assert_eq!(diagnostics[0].hints, [want.clone()], "{text}");
        }
        // A cell in digits other than ASCII and full-width: every span with a digit is scrubbed.
        let mut diagnostics = [Diagnostic::error("E312", "bad-period", "expected `2023Q1`".to_owned())];
        scrub_row(&mut diagnostics, &["victims", "٣"]);
        assert_eq!(diagnostics[0].message, format!("expected {NOT_QUOTED}"));
    }
}
