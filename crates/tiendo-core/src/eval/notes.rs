//! Notes travel with their values: the `note` cell of a data row reaches the value computed from that row, so
//! that what the person who entered a figure said about it ("derived: 222 - 72", "6 months only") is shown beside
//! it in every output (issue 13, item 4).

use super::*;
use crate::eval::store::NO_NOTE;

/// The notes of the data rows, by (element, org unit, period) ids of the store. Only rows with a note are kept,
/// so data without notes costs one pass and nothing after.
pub(super) struct RowNotes {
    by_key: BTreeMap<(u32, u32, u32), BTreeSet<u32>>,
}

impl RowNotes {
    pub(super) fn new(store: &ObservationStore) -> RowNotes {
        let mut by_key: BTreeMap<(u32, u32, u32), BTreeSet<u32>> = BTreeMap::new();
        for observation in store.observations.iter().filter(|o| o.note != NO_NOTE) {
            by_key
                .entry((observation.element, observation.org_unit, observation.period))
                .or_default()
                .insert(observation.note);
        }
        RowNotes { by_key }
    }

    /// The notes of `unit`'s own rows in `period` for the data elements `indicator` reads (any breakdown), in
    /// the order the notes first appear in the data, each once.
    pub(super) fn of(
        &self,
        store: &ObservationStore,
        indicator: &Indicator,
        unit: &str,
        period: Period,
    ) -> Vec<String> {
        if self.by_key.is_empty() {
            return Vec::new();
        }
        let elements: Vec<String> = match &indicator.formula {
            Formula::Expression { numerator, denominator } => numerator
                .elements()
                .into_iter()
                .chain(denominator.iter().flat_map(|d| d.elements()))
                .map(|r| r.element.clone())
                .collect(),
            Formula::Reported => vec![reported_ref(indicator).element],
            Formula::Plugin(_) => Vec::new(),
        };
        let (Some(unit), Some(period)) = (store.org_units.get(unit), store.period_id(period)) else {
            return Vec::new();
        };
        let ids: BTreeSet<u32> = elements
            .iter()
            .filter_map(|e| store.elements.get(e))
            .filter_map(|e| self.by_key.get(&(e, unit, period)))
            .flatten()
            .copied()
            .collect();
        ids.into_iter().map(|id| store.notes.name(id).to_owned()).collect()
    }
}
