//! Notes travel with their values: the `note` cell of a data row reaches the value computed from that row, so
//! that what the person who entered a figure said about it ("derived: 222 - 72", "6 months only") is shown beside
//! it in every output (issue 13, item 4).

use super::*;
use crate::eval::row_note;
use crate::eval::store::NO_NOTE;
use crate::model::Text;

/// One data row with a note: ((element, org unit, period), note, its disaggregation (store combo id), its value),
/// as store ids.
type NotedRow = ((u32, u32, u32), u32, u32, f64);

/// The notes of the data rows of the units results are given for, as sorted [`NotedRow`]s
/// of the store, each once. Only rows with a note, of those units, are kept: a commune's rows (ten million in W2,
/// issue 15, each with the synthetic note) are never asked for, and indexing them in a map of sets cost 2 GB and
/// half of the run's CPU. Data without notes costs one pass and nothing after.
pub(super) struct RowNotes {
    noted: Vec<NotedRow>,
    /// By store org unit id: whether the unit's rows were kept (it is one of the units given to [`RowNotes::new`]).
    kept: Vec<bool>,
}

impl RowNotes {
    /// The notes of the rows of `units` (org unit ids; those without observations are left out).
    pub(super) fn new(store: &ObservationStore, units: &[String]) -> RowNotes {
        let mut kept = vec![false; store.org_units.len()];
        for id in units.iter().filter_map(|unit| store.org_units.get(unit)) {
            kept[id as usize] = true;
        }
        // The unit first: the note is looked up (by position, through the store's runs) only for kept units' rows.
        let mut noted: Vec<NotedRow> = store
            .observations
            .iter()
            .enumerate()
            .filter(|(_, o)| kept[o.org_unit as usize])
            .map(|(position, o)| ((o.element, o.org_unit, o.period), store.note(position), o.combo, o.value))
            .filter(|&(_, note, ..)| note != NO_NOTE)
            .collect();
        noted.sort_unstable_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then(a.3.total_cmp(&b.3)));
        noted.dedup_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2) && a.3.total_cmp(&b.3).is_eq());
        noted.shrink_to_fit();
        RowNotes { noted, kept }
    }

    /// The notes of `unit`'s own rows in `period` for the data elements `indicator` reads, in the order the notes
    /// first appear in the data, each once: of the rows without categories for the total (`variant` empty), of the
    /// rows of the option `variant` (`sex=female`) for a breakdown, where `shown(element, options, value)` says the
    /// row's cell is shown (a note on a hidden cell could describe what it hides: "three women returned" beside a
    /// total whose female count is suppressed). A breakdown row's note is never the total's: "TIP 2022 report:
    /// "sexual exploitation"" beside the 126 victims of 2021 read as if all were (round 66, a reader of the review).
    pub(super) fn of(
        &self,
        store: &ObservationStore,
        indicator: &Indicator,
        (unit, period, variant): (&str, Period, &str),
        shown: &impl Fn(&str, &[(String, String)], f64) -> bool,
    ) -> Vec<Text> {
        if self.noted.is_empty() {
            return Vec::new();
        }
        let elements: Vec<String> =
            super::refs::indicator_refs(indicator, &BTreeMap::new()).into_iter().map(|r| r.element).collect();
        let (Some(unit), Some(period)) = (store.org_units.get(unit), store.period_id(period)) else {
            return Vec::new();
        };
        debug_assert!(self.kept[unit as usize], "notes asked of a unit RowNotes::new was not given");
        let ids: BTreeSet<u32> = elements
            .iter()
            .filter_map(|e| store.elements.get(e).map(|id| (e, id)))
            .flat_map(|(name, e)| {
                let key = (e, unit, period);
                let first = self.noted.partition_point(|(k, ..)| *k < key);
                self.noted[first..]
                    .iter()
                    .take_while(move |(k, ..)| *k == key)
                    .filter(move |&&(_, _, combo, value)| {
                        let options = store.combos.get(combo as usize).map_or(&[][..], Vec::as_slice);
                        match variant.split_once('=') {
                            None => options.is_empty(),
                            Some((category, option)) => {
                                options.iter().any(|(c, o)| c == category && o == option) && shown(name, options, value)
                            }
                        }
                    })
                    .map(|&(_, note, ..)| note)
            })
            .collect();
        without_prefixes(ids.into_iter().map(|id| row_note::text(store.notes.name(id))).collect())
    }
}

/// `notes` without those another note begins with and goes on from ("TIP 2022 report" beside "TIP 2022 report: form
/// of exploitation"): a total's note listed the bare source once per breakdown row (round 64, found by a reader of
/// the review). A note in two languages goes on from another when it does in both. Order kept.
fn without_prefixes(notes: Vec<Text>) -> Vec<Text> {
    let goes_on = |other: &str, note: &str| {
        other.len() > note.len()
            && other.starts_with(note)
            && other[note.len()..].starts_with(|c: char| c == ':' || c == ';' || c == ',' || c.is_whitespace())
    };
    let longer = |note: &Text| {
        notes.iter().any(|other| other != note && goes_on(&other.vi, &note.vi) && goes_on(&other.en, &note.en))
    };
    notes.iter().filter(|note| !longer(note)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::store::{NewObservation, ObservationStatus};
    use crate::eval::test_support::{indicator, numbers};

    /// The notes of `unit`'s rows in `period` for `elements`, read from every row: what [`RowNotes::of`] must give.
    fn naive(store: &ObservationStore, elements: &[&str], unit: &str, period: Period) -> Vec<Text> {
        let mut ids: Vec<u32> = store
            .observations
            .iter()
            .enumerate()
            .map(|(index, o)| (o, store.place(index).note))
            .filter(|&(o, note)| note != NO_NOTE && store.org_units.name(o.org_unit) == unit)
            .filter(|(o, _)| store.periods[o.period as usize] == period)
            .filter(|(o, _)| elements.contains(&store.elements.name(o.element)))
            .map(|(_, note)| note)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        without_prefixes(ids.into_iter().map(|id| row_note::text(store.notes.name(id))).collect())
    }

    #[test]
    fn a_note_that_another_goes_on_from_is_left_out() {
        let notes = ["TIP 2022 report: 45 children", "TIP 2022 report", "TIP 2022 report: form", "TIP 2022 reports"];
        let kept = without_prefixes(notes.iter().map(|n| row_note::text(n)).collect());
        let kept: Vec<&str> = kept.iter().map(|n| n.en.as_str()).collect();
        assert_eq!(kept, ["TIP 2022 report: 45 children", "TIP 2022 report: form", "TIP 2022 reports"]);
        // In two languages, a note goes on from another only where it does in both.
        let two = |vi: &str, en: &str| row_note::text(&row_note::key(None, Some(vi), Some(en)).unwrap());
        let notes = vec![
            two("Báo cáo TIP 2022", "TIP 2022 report"),
            two("Báo cáo TIP 2022: 45 trẻ em", "TIP 2022 report: 45 children"),
            two("Nguồn A", "TIP 2022 report: other"),
        ];
        let kept: Vec<String> = without_prefixes(notes).into_iter().map(|n| n.vi).collect();
        assert_eq!(kept, ["Báo cáo TIP 2022: 45 trẻ em", "Nguồn A"]);
    }

    #[test]
    fn notes_of_the_asked_units_are_those_of_every_row() {
        let periods: Vec<Period> =
            ["2021", "2021Q1", "2021-02", "2022S2"].iter().map(|p| Period::parse(p).unwrap()).collect();
        let (elements, units, notes) = (["a", "b", "c"], ["vn", "p1", "p2", "c1"], ["n1", "n2", "n3", ""]);
        for seed in 0..20 {
            let mut next = numbers(seed);
            let mut store = ObservationStore::new();
            let file = store.add_file("d.csv");
            for row in 0..(50 + next(200)) {
                let note = notes[next(notes.len())];
                store.push(&NewObservation {
                    element: elements[next(elements.len())],
                    org_unit: units[next(units.len())],
                    period: periods[next(periods.len())],
                    disaggregation: &[],
                    value: 1.0,
                    source: "s",
                    status: ObservationStatus::Final,
                    note: (!note.is_empty()).then_some(note),
                    submitted: None,
                    file,
                    row: row as u32 + 2,
                });
            }
            // Communes' rows are not asked for: the country and the provinces are.
            let asked: Vec<String> = ["vn", "p1", "p2", "not-in-the-data"].iter().map(|u| (*u).to_owned()).collect();
            let row_notes = RowNotes::new(&store, &asked);
            assert!(row_notes.noted.iter().all(|((_, unit, _), ..)| store.org_units.name(*unit) != "c1"));
            let all = |_: &str, _: &[(String, String)], _: f64| true;
            let ratio = indicator("r", Measure::Percent, "a", Some("b + c"));
            let count = indicator("k", Measure::Count, "b", None);
            for unit in ["vn", "p1", "p2"] {
                for &period in &periods {
                    assert_eq!(
                        row_notes.of(&store, &ratio, (unit, period, ""), &all),
                        naive(&store, &["a", "b", "c"], unit, period)
                    );
                    let notes = row_notes.of(&store, &count, (unit, period, ""), &all);
                    assert_eq!(notes, naive(&store, &["b"], unit, period));
                }
            }
        }
    }
}
