//! Tests of the store: places, sources and statuses out of line as runs, pushed whole or appended in pieces.

use super::*;

#[test]
fn observation_is_compact() {
    assert_eq!(std::mem::size_of::<Observation>(), 24);
    assert_eq!(std::mem::size_of::<crate::eval::grouping::Tag>(), 1);
}

#[test]
fn places_out_of_line_are_those_pushed_whole_or_appended_in_pieces() {
    // Rows that follow one another, skip, go back, change file; notes that repeat or change; then the same
    // observations cut into pieces with ids of their own and appended.
    let mut state = 17u64;
    let mut next = |n: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    for round in 0..50 {
        let count = 1 + next(300) as usize;
        let mut places = Vec::new();
        let mut row = 2u32;
        for _ in 0..count {
            row = match next(6) {
                0 => row + 2 + next(3) as u32,
                1 => 2 + next(5) as u32,
                _ => row + 1,
            };
            let note = if next(4) == 0 { NO_NOTE } else { next(3) as u32 };
            // Sources and statuses in runs of every length, including one row.
            let (source, status) = (next(2 + round % 3) as usize, next(3) == 0);
            let file = ["a.csv", "b.csv"][next(2) as usize * usize::from(round % 2 == 1)];
            places.push((file, row, note, source, status));
        }
        let notes = ["n0", "n1", "n2"];
        let sources = ["s0", "s1", "s2", "s3"];
        let status_of =
            |provisional: bool| if provisional { ObservationStatus::Provisional } else { ObservationStatus::Final };
        type Pushed<'a> = (&'a str, u32, u32, usize, bool);
        let push = |store: &mut ObservationStore, &(file, row, note, source, status): &Pushed<'_>| {
            let file = store.add_file(file);
            store.push(&NewObservation {
                element: "e",
                org_unit: "u",
                period: Period::Year(2022),
                disaggregation: &[],
                value: f64::from(row),
                source: sources[source],
                status: status_of(status),
                note: (note != NO_NOTE).then(|| notes[note as usize]),
                submitted: None,
                file,
                row,
            });
        };
        type Shown = (String, u32, Option<String>, String, ObservationStatus);
        let shown = |store: &ObservationStore| -> Vec<Shown> {
            let tags: Vec<(u32, ObservationStatus)> = store.sources_and_statuses().collect();
            assert_eq!(tags.len(), store.len());
            let mut counts = vec![0; store.sources.len()];
            tags.iter().for_each(|&(source, _)| counts[source as usize] += 1);
            assert_eq!(store.source_counts(), counts);
            let by_runs: Vec<(u32, ObservationStatus)> = store
                .tags()
                .iter()
                .map(|tag| {
                    (
                        tag.source_bit(),
                        if tag.provisional() { ObservationStatus::Provisional } else { ObservationStatus::Final },
                    )
                })
                .collect();
            assert_eq!(by_runs, tags, "tags filled run by run");
            assert!((0..store.len()).all(|position| store.note(position) == store.place(position).note));
            (0..store.len())
                .map(|index| {
                    let place = store.place(index);
                    assert_eq!((place.source, place.status), tags[index]);
                    let note = (place.note != NO_NOTE).then(|| store.notes.name(place.note).to_owned());
                    let source = store.sources.name(place.source).to_owned();
                    (store.files[place.file as usize].clone(), place.row, note, source, place.status)
                })
                .collect()
        };
        let expected: Vec<Shown> = places
            .iter()
            .map(|&(file, row, note, source, status)| {
                let note = (note != NO_NOTE).then(|| notes[note as usize].to_owned());
                (file.to_owned(), row, note, sources[source].to_owned(), status_of(status))
            })
            .collect();
        let mut whole = ObservationStore::new();
        places.iter().for_each(|place| push(&mut whole, place));
        assert_eq!(shown(&whole), expected);
        let note_ids: Vec<u32> = whole.note_ids().collect();
        assert_eq!(note_ids, (0..whole.len()).map(|index| whole.place(index).note).collect::<Vec<_>>());
        let mut appended = ObservationStore::new();
        for chunk in places.chunks(1 + next(40) as usize) {
            let mut piece = ObservationStore::new();
            chunk.iter().for_each(|place| push(&mut piece, place));
            appended.append(&mut piece);
            assert!(piece.is_empty() && piece.place(0).note == NO_NOTE);
        }
        assert_eq!(shown(&appended), expected);
        assert_eq!(whole.places.rows, appended.places.rows, "runs merge across pieces");
        assert_eq!(whole.places.notes, appended.places.notes, "runs merge across pieces");
        assert_eq!(whole.places.sources, appended.places.sources, "runs merge across pieces");
        let kept: Vec<_> = expected.iter().filter(|place| !place.1.is_multiple_of(3)).cloned().collect();
        assert_eq!(shown(&whole.without(|o, _, _| (o.value as u32).is_multiple_of(3))), kept);
    }
}

#[test]
fn interns_and_finds_duplicates() {
    let mut store = ObservationStore::new();
    let file = store.add_file("a.csv");
    let p = Period::parse("2022").unwrap();
    let base = NewObservation {
        element: "cases",
        org_unit: "vn",
        period: p,
        disaggregation: &[],
        value: 1.0,
        source: "s",
        status: ObservationStatus::Final,
        note: None,
        submitted: None,
        file,
        row: 2,
    };
    store.push(&base);
    store.push(&NewObservation { disaggregation: &[("sex", "female")], row: 3, ..base.clone() });
    store.push(&NewObservation { row: 4, ..base.clone() });
    store.push(&NewObservation { period: Period::parse("2023").unwrap(), row: 5, ..base.clone() });
    assert_eq!(store.len(), 4);
    assert_eq!(store.duplicates(), vec![(0, 2)]);
    assert_eq!(store.combos.len(), 2);
    assert_eq!(store.intern_combo(&[("sex", "female")]), 1);
    assert_eq!(store.origin(2), ("a.csv".to_owned(), 4));
    assert_eq!(ObservationStatus::parse("Provisional"), Some(ObservationStatus::Provisional));
    assert_eq!(ObservationStatus::parse("draft"), None);
}
