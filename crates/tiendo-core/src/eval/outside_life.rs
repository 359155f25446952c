//! Reports of a unit for days it did not exist and whose figures no other unit's can be: left out of the evaluation
//! (W346), never counted as the figures of the units that existed then.
//!
//! A report of a period wholly before a unit's first day is a restatement when the unit has predecessors (AB's
//! 2025S1 stands for A's and B's first half, methodology §2 rule 6), and one wholly after its last day is a late
//! report its successors' territory holds; a unit with no predecessor (a new district) or no successor has nobody
//! whose figures such a report could be. Counted, a new district's February before it existed stood for its
//! province's predecessors' whole month: the nation's February "1 of 1, complete" at that district's 15, the old
//! provinces, which were expected, not named (round 53, found by a review helper, F4). The reader's E320 names
//! every such row; W346 says which are left out.
//!
//! A pure function of the catalogue and the store.

use super::*;

/// The store without the reports no unit's figures can be ([`LifeEnds`]), and the W346 warning that names them;
/// `None` when there is none (the store is used as it is).
pub(super) fn without_reports_beyond_life(
    catalogue: &Catalogue,
    store: &ObservationStore,
) -> Option<(ObservationStore, Diagnostic)> {
    let bounds = LifeEnds::of(catalogue, store);
    if bounds.iter().all(|b| b.first.is_none() && b.last.is_none()) {
        return None;
    }
    let periods: Vec<(NaiveDate, NaiveDate)> = store.periods.iter().map(|p| (p.start(), p.end())).collect();
    let left_out = |o: &Observation| bounds[o.org_unit as usize].excludes(periods[o.period as usize]);
    let mut rows: Vec<(u16, u32, String)> = (0..store.len())
        .filter(|&position| left_out(&store.observations[position]))
        .map(|position| {
            let o = &store.observations[position];
            let place = store.place(position);
            let text = format!(" `{}` {}", store.org_units.name(o.org_unit), store.periods[o.period as usize]);
            (place.file, place.row, text)
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort();
    let warning = warning(store, &rows)?;
    let kept = store.rebuilt(|observation, place, _| (!left_out(observation)).then_some(*place));
    Some((kept, warning))
}

/// The days outside which a unit's reports can be no unit's figures: its first day when it has no predecessor, its
/// last when it has no successor.
#[derive(Debug, Clone, Copy, Default)]
struct LifeEnds {
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
}

impl LifeEnds {
    /// Per unit of the store, in the store's order.
    fn of(catalogue: &Catalogue, store: &ObservationStore) -> Vec<LifeEnds> {
        let succeeded: BTreeSet<&str> =
            catalogue.org_units.values().flat_map(|unit| unit.successors.iter().map(String::as_str)).collect();
        store
            .org_units
            .names()
            .iter()
            .map(|id| match catalogue.org_units.get(id.as_str()) {
                Some(unit) => LifeEnds {
                    first: unit.valid_from.filter(|_| !succeeded.contains(id.as_str())),
                    last: unit.valid_to.filter(|_| unit.successors.is_empty()),
                },
                None => LifeEnds::default(),
            })
            .collect()
    }

    /// Whether a period of these first and last days lies wholly before the first day or wholly after the last.
    fn excludes(self, (start, end): (NaiveDate, NaiveDate)) -> bool {
        self.first.is_some_and(|first| end < first) || self.last.is_some_and(|last| start > last)
    }
}

/// The W346 warning for `rows` (file, line, what the row reports), sorted; `None` when there is none.
fn warning(store: &ObservationStore, rows: &[(u16, u32, String)]) -> Option<Diagnostic> {
    let count = rows.len();
    let (named, span) = super::known::named_rows(store, rows, |(file, row, text)| (*file, *row, text.clone()))?;
    let diagnostic = Diagnostic::warning(
        "W346",
        "reported-outside-life",
        format!(
            "{count} observation{} report{} a unit for days it did not exist, with no predecessor or successor whose \
             figures {} could be: left out of the evaluation ({})",
            if count == 1 { "" } else { "s" },
            if count == 1 { "s" } else { "" },
            if count == 1 { "it" } else { "they" },
            named.join(", "),
        ),
    )
    .with_span(Some(span))
    .with_hint("report the figures under the unit that existed then, or correct the period; E320 names each row");
    Some(diagnostic)
}
