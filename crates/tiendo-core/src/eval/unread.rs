//! Figures the data hold that nothing in a review reads: a data element reported in the window that no indicator
//! (its expression, or its plugin's inputs), no validation rule and no indicator reported directly uses. A review
//! that leaves such figures out without a word reads as if they did not exist (round 65, found by a review helper:
//! the bundled end-of-term review showed no 2024 figure at all, while the data held the 163 cases "investigated and
//! handled" and 91 "newly initiated" that the sources publish for 2024 under other definitions than C1's).
//!
//! A pure function of the catalogue and the store: no values are read, only which elements have rows in which
//! periods, so that a listing of them gives no count away.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::store::ObservationStore;
use crate::model::{Catalogue, Formula};
use crate::period::Period;
use crate::plugin::MetricProvider;

/// A data element with rows that nothing of the review reads, and the periods (inside the window, ended by the
/// as-of date) of those rows, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadElement {
    pub element: String,
    pub periods: Vec<Period>,
}

/// The data elements of `store` with rows in `window` (periods ended by `as_of`) that no indicator, plugin input or
/// validation rule of `catalogue` reads, in element id order. Empty when a plugin metric's inputs cannot be known
/// (no provider, or its description failed): any element might be one, and a listing would then say what is not so.
pub fn unread_elements(
    catalogue: &Catalogue,
    store: &ObservationStore,
    provider: Option<&dyn MetricProvider>,
    (window, as_of): (Period, NaiveDate),
) -> Vec<UnreadElement> {
    let mut read: BTreeSet<String> = BTreeSet::new();
    for indicator in catalogue.indicators.values() {
        match &indicator.formula {
            Formula::Expression { numerator, denominator } => {
                let refs = numerator.elements().into_iter().chain(denominator.iter().flat_map(|d| d.elements()));
                read.extend(refs.map(|r| r.element.clone()));
            }
            Formula::Plugin(plugin) => match provider.map(|p| p.describe(&plugin.plugin)) {
                Some(Ok(description)) => read.extend(description.inputs),
                _ => return Vec::new(),
            },
            Formula::Reported => {
                read.insert(indicator.id.clone());
            }
        }
    }
    for rule in catalogue.validation_rules.values() {
        read.extend(rule.left.elements().into_iter().chain(rule.right.elements()).map(|r| r.element.clone()));
    }
    let mut periods: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for observation in &store.observations {
        periods.entry(observation.element).or_default().insert(observation.period);
    }
    let mut out: Vec<UnreadElement> = periods
        .into_iter()
        .filter_map(|(element, ids)| {
            let element = store.elements.name(element);
            if read.contains(element) || !catalogue.data_elements.contains_key(element) {
                return None;
            }
            let mut periods: Vec<Period> = ids
                .into_iter()
                .filter_map(|id| store.periods.get(id as usize).copied())
                .filter(|p| window.contains(p) && p.end() <= as_of)
                .collect();
            periods.sort_by_key(|p| (p.end(), std::cmp::Reverse(p.start())));
            (!periods.is_empty()).then(|| UnreadElement { element: element.to_owned(), periods })
        })
        .collect();
    out.sort_by(|a, b| a.element.cmp(&b.element));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::store::{NewObservation, ObservationStatus};
    use crate::eval::test_support::{data_element, indicator};
    use crate::model::Measure;

    /// Elements `read` (an indicator's) and `spare` (nobody's) with rows in 2023 and 2024, read in the window
    /// 2021..2023 as of 2024-06-30: only `spare` is listed, with 2023 only.
    #[test]
    fn only_elements_nothing_reads_are_listed_with_their_periods_in_the_window() {
        let mut catalogue = Catalogue::default();
        for id in ["read", "spare"] {
            catalogue.data_elements.insert(id.to_owned(), data_element(id, false, &[]));
        }
        catalogue.indicators.insert("i".to_owned(), indicator("i", Measure::Count, "read", None));
        let mut store = ObservationStore::new();
        for (element, period) in [("read", "2023"), ("spare", "2023"), ("spare", "2024"), ("read", "2024")] {
            store.push(&NewObservation {
                element,
                org_unit: "vn",
                period: period.parse().expect("a period"),
                disaggregation: &[],
                value: 1.0,
                source: "src",
                status: ObservationStatus::Final,
                note: None,
                submitted: None,
                file: 0,
                row: 2,
            });
        }
        let window: Period = "2021..2023".parse().expect("a period");
        let as_of = NaiveDate::from_ymd_opt(2024, 6, 30).expect("a date");
        let unread = unread_elements(&catalogue, &store, None, (window, as_of));
        let year = "2023".parse().expect("a period");
        assert_eq!(unread, [UnreadElement { element: "spare".to_owned(), periods: vec![year] }]);
        // A plugin metric whose inputs cannot be known (no provider): nothing is listed rather than a guess.
        let mut plugged = indicator("p", Measure::Count, "read", None);
        plugged.formula = Formula::Plugin(crate::model::PluginMetricRef {
            plugin: "x".to_owned(),
            metric: "m".to_owned(),
            params: Default::default(),
        });
        catalogue.indicators.insert("p".to_owned(), plugged);
        assert_eq!(unread_elements(&catalogue, &store, None, (window, as_of)), []);
    }
}
