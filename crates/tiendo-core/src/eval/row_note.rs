//! A data row's note in the languages it was written in, kept by the store as one interned string (its key), so that
//! a note costs the store one index per run of rows whatever the languages.
//!
//! A row may give a note in the `note` column (in whatever language its author wrote), and in `note_vi` and
//! `note_en` (Vietnamese and English, the review's languages). A review shows each note in its own language: the
//! language's column, else `note`. A row with `note` alone keeps `note` as its key, so data with one note column
//! stores exactly what it did before; a row with a language column keys both languages after a separator, which a
//! cell's own text never holds. A control character in a note other than a line break or a tab (U+001F, an escape
//! sequence that would clear a terminal showing the review, a NUL) has no meaning in a note and is read as a space
//! (round 69, a verifier: they went raw into the Markdown and HTML).

use crate::model::{Lang, Text};

/// Starts and separates the two languages of a key that has them (U+001F, the information separator "unit").
const SEPARATOR: char = '\u{1F}';

/// The store's key of a row's note: `note` alone as it is, or both languages when a language column is filled
/// (each falling back to `note`); `None` when every cell is blank. Cells are taken as given (the loader trims them),
/// but for the separator.
pub fn key(note: Option<&str>, vi: Option<&str>, en: Option<&str>) -> Option<String> {
    let (note, vi, en) = (filled(note), filled(vi), filled(en));
    let own = |cell: &str| cell.chars().map(|c| if stray_control(c) { ' ' } else { c }).collect::<String>();
    if vi.is_none() && en.is_none() {
        return note.map(own);
    }
    let vi = own(vi.or(note).unwrap_or_default());
    let en = own(en.or(note).unwrap_or_default());
    Some(format!("{SEPARATOR}{vi}{SEPARATOR}{en}"))
}

/// The key of the cells `[note, note_vi, note_en]` ([`key`]), borrowed when it is the `note` cell itself (the
/// common case, read without allocating: data rows repeat their note) or nothing: `Ok`; else built: `Err`.
pub fn as_key([note, vi, en]: [Option<&str>; 3]) -> Result<Option<&str>, String> {
    match (filled(note), filled(vi), filled(en)) {
        (None, None, None) => Ok(None),
        (Some(note), None, None) if !note.chars().any(stray_control) => Ok(Some(note)),
        _ => Err(key(note, vi, en).unwrap_or_default()),
    }
}

/// A control character a note cannot mean: any but a line break and a tab (U+001F, the separator, among them).
fn stray_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `cell` unless it is blank.
fn filled(cell: Option<&str>) -> Option<&str> {
    cell.filter(|text| !text.is_empty())
}

/// The note a key stands for, in both languages: a row that gave one language only reads it in both (its note is
/// shown rather than dropped from the other review).
pub fn text(key: &str) -> Text {
    match key.strip_prefix(SEPARATOR).and_then(|rest| rest.split_once(SEPARATOR)) {
        Some((vi, "")) => Text::new(vi, vi),
        Some(("", en)) => Text::new(en, en),
        Some((vi, en)) => Text::new(vi, en),
        None => Text::new(key, key),
    }
}

/// The note in `lang` ([`text`]'s, with its fallback).
pub fn in_lang(key: &str, lang: Lang) -> String {
    text(key).get(lang).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_in_one_column_is_its_own_key_and_reads_alike_in_both_languages() {
        assert_eq!(key(Some("TIP 2022 report"), None, Some("")), Some("TIP 2022 report".to_owned()));
        assert_eq!(text("TIP 2022 report"), Text::new("TIP 2022 report", "TIP 2022 report"));
        assert_eq!(key(None, Some(""), None), None);
        // A separator typed in a cell is a space: the note never reads as two languages; nor does an escape
        // sequence reach an output, while a line break stays.
        let typed = key(Some("\u{1F}a\u{1F}b"), None, None).unwrap();
        assert_eq!(text(&typed), Text::new(" a b", " a b"));
        let typed = key(None, Some("a\u{1b}]0;title\u{7}\nb\u{0}"), None).unwrap();
        assert_eq!(text(&typed), Text::new("a ]0;title \nb ", "a ]0;title \nb "));
    }

    #[test]
    fn language_columns_win_over_the_plain_note_and_fall_back_to_it() {
        let cases = [
            ((Some("TIP 2022 report"), Some("Báo cáo TIP 2022"), None), ("Báo cáo TIP 2022", "TIP 2022 report")),
            ((None, Some("Báo cáo TIP 2022"), Some("TIP 2022 report")), ("Báo cáo TIP 2022", "TIP 2022 report")),
            ((Some("6 tháng"), None, Some("6 months")), ("6 tháng", "6 months")),
            ((None, Some("chỉ 6 tháng"), None), ("chỉ 6 tháng", "chỉ 6 tháng")),
        ];
        for ((note, vi, en), (want_vi, want_en)) in cases {
            let stored = key(note, vi, en).expect("a note");
            assert_eq!((in_lang(&stored, Lang::Vi), in_lang(&stored, Lang::En)), (want_vi.into(), want_en.into()));
        }
    }

    #[test]
    fn the_plain_note_is_borrowed_and_every_other_key_built_as_key_builds_it() {
        assert_eq!(as_key([Some("6 months only"), Some(""), None]), Ok(Some("6 months only")));
        assert_eq!(as_key([None, None, Some("")]), Ok(None));
        for cells in [[Some("a"), Some("b"), None], [None, None, Some("c")], [Some("\u{1F}x"), None, None]] {
            assert_eq!(as_key(cells), Err(key(cells[0], cells[1], cells[2]).unwrap()));
        }
    }
}
