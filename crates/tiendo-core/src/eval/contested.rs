//! Values that rest on reports contradicting each other: a unit's own report of a period beside reports of its parts
//! that add up to another number (W339). Evaluation takes the period's own report for it and the parts for shorter
//! and longer periods, so every other value over those days, at the unit and above it, rests on figures that
//! contradict a report. Such a value is marked ([`crate::eval::Point::contested`]) and decides nothing.
//!
//! Round 68, found by a newcomer: a province's half-year report of 30 denunciations beside its quarters of 14 and
//! 26 (a typing error for 16) made the year's rates 85.7 % and 78.6 %, published "not achieved" with nothing beside
//! them, where every report gave 100 % and 91.7 %; the warning was one line of the data-quality annex.

use std::collections::BTreeMap;

use crate::eval::over_time;
use crate::eval::store::ObservationStore;
use crate::model::{Catalogue, Indicator};
use crate::period::Period;

/// The contested periods of each data element at each org unit, the unit's ancestors included.
#[derive(Debug, Default)]
pub(crate) struct Contested {
    by_element_and_unit: BTreeMap<(String, String), Vec<Period>>,
}

impl Contested {
    /// From the reports W339 found ([`over_time::Contested`], store ids): each is the contested period of its unit
    /// and of every unit above it, whose sums count that unit's days.
    pub(crate) fn new(catalogue: &Catalogue, store: &ObservationStore, found: &[over_time::Contested]) -> Contested {
        let mut by_element_and_unit: BTreeMap<(String, String), Vec<Period>> = BTreeMap::new();
        for &(element, unit, period) in found {
            let element = store.elements.name(element).to_owned();
            let mut at = Some(store.org_units.name(unit).to_owned());
            // Up the tree, at most as many steps as there are units (a cycle is refused by the loader).
            for _ in 0..=catalogue.org_units.len() {
                let Some(unit) = at.take() else { break };
                at = catalogue.org_units.get(&unit).and_then(|u| u.parent.clone());
                let periods = by_element_and_unit.entry((element.clone(), unit)).or_default();
                if !periods.contains(&period) {
                    periods.push(period);
                }
            }
        }
        Contested { by_element_and_unit }
    }

    /// The contested periods that `indicator`'s value at `unit` reads: of the elements its formula reads there.
    pub(crate) fn of(&self, indicator: &Indicator, unit: &str) -> Vec<Period> {
        if self.by_element_and_unit.is_empty() {
            return Vec::new();
        }
        let mut periods: Vec<Period> = Vec::new();
        for element in crate::eval::indicator_refs(indicator, &BTreeMap::new()) {
            let key = (element.element, unit.to_owned());
            for period in self.by_element_and_unit.get(&key).into_iter().flatten() {
                if !periods.contains(period) {
                    periods.push(*period);
                }
            }
        }
        periods
    }
}

/// Whether a value of `period` reads the parts of one of the `contested` periods: it overlaps one and is not that
/// period itself, whose own report evaluation uses (W339's hint says so): a longer period takes the parts where
/// the shorter own report lies inside it, a shorter one takes them as they are.
pub(crate) fn reads_contested(contested: &[Period], period: Period) -> bool {
    contested.iter().any(|c| c.overlaps(&period) && (c.start(), c.end()) != (period.start(), period.end()))
}
