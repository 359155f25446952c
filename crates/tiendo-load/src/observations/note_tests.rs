//! Data rows' notes in each language, read from the `note`, `note_vi` and `note_en` columns.

use super::tests::catalogue;
use super::*;
use tiendo_core::model::Text;

/// A row's note in `note`, `note_vi` and `note_en` is kept in both languages, each falling back to `note`, and a
/// row repeating the one before keeps its note (the repeated own cells are compared whole).
#[test]
fn notes_in_each_language_are_read_from_their_columns() {
    let text = "data_element,org_unit,period,value,source,note,note_vi,note_en\n\
        victims_identified,vn,2021,126,tip-2022,TIP 2022 report,Báo cáo TIP 2022,\n\
        victims_identified,vn,2022,255,tip-2022,TIP 2022 report,Báo cáo TIP 2022,\n\
        victims_identified,vn,2023,82,tip-2022,,,identified and supported\n\
        victims_identified,vn,2020,121,tip-2022,as written,,\n\
        victims_identified,quang-nam,2021,3,tip-2022,,,\n";
    let mut store = ObservationStore::new();
    let options = ReadOptions { threads: 1, chunk_bytes: usize::MAX, ..ReadOptions::default() };
    let diagnostics = read_csv("x.csv", text.as_bytes(), &catalogue(), &mut store, options).expect("in memory");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let notes: Vec<Option<Text>> = (0..store.len())
        .map(|index| {
            let note = store.place(index).note;
            (note != tiendo_core::eval::store::NO_NOTE)
                .then(|| tiendo_core::eval::row_note::text(store.notes.name(note)))
        })
        .collect();
    let both = |vi: &str, en: &str| Some(Text::new(vi, en));
    assert_eq!(
        notes,
        [
            both("Báo cáo TIP 2022", "TIP 2022 report"),
            both("Báo cáo TIP 2022", "TIP 2022 report"),
            both("identified and supported", "identified and supported"),
            both("as written", "as written"),
            None,
        ]
    );
}
