//! Building blocks the evaluation's unit tests share.

use chrono::NaiveDate;

use crate::model::{OrgUnit, OrgUnitLevel, Text};

/// An org unit named by its id. One with a successor ceased to exist on 30 June 2025, as the 63 old provinces did.
pub fn unit(id: &str, level: OrgUnitLevel, parent: Option<&str>, successor: Option<&str>) -> OrgUnit {
    OrgUnit {
        id: id.to_owned(),
        name: Text::new(id, id),
        level,
        parent: parent.map(str::to_owned),
        valid_from: None,
        valid_to: successor.map(|_| NaiveDate::from_ymd_opt(2025, 6, 30).expect("valid date")),
        successors: successor.into_iter().map(str::to_owned).collect(),
        kind: None,
        note: None,
    }
}

/// A deterministic stream of numbers below each bound asked for (a 64-bit linear congruential generator).
pub fn numbers(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |bound| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound
    }
}
