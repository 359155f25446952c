//! What stands for a unit in a period its own reports leave days of (methodology §2, rule 3): its own reports for the
//! days they cover and the units below it for the rest, or the units below it for the whole period.
//!
//! The precedence of a unit's own reports keeps its children off the days it reported, so that no day is counted
//! twice; it never shuts out what the units below report for days the unit did not (issue 10, round 49, found by a
//! review helper: Viet Nam's own 2025Q1 left its provinces' complete 2025 as "no data" and the status "on track"
//! against `<= 100` beside 160 cases; a national courts' year from October 2023 erased the provinces' calendar 2023;
//! a province's own first quarter dropped its districts' other three).

use crate::eval::aggregate::{Aggregate, Cube};
use crate::model::{OrgUnitAggregation, TimeAggregation};
use crate::period::{Period, PeriodType};

/// Whether a unit's own value in a period (its territory reported in the period's calendar years) may give way: it
/// has no value for the period, or one of part of what was expected (part of the period, of a merged territory's
/// members, or of a breakdown).
pub(crate) fn may_yield(own: Option<Aggregate>) -> bool {
    own.is_none_or(|value| value.is_partial())
}

impl Cube<'_> {
    /// What stands for `unit` in `period` where its own value `own` may yield ([`may_yield`]) and `below` is the sum
    /// of the units below it, in this order:
    ///
    /// 1. the sum of the complete values of the calendar periods that tile `period` (halves, else quarters, else
    ///    months), where the unit reported some of them itself ([`Cube::tiled`]): its own first quarter and its
    ///    districts' other three make its year, as the four rows of the quarters show;
    /// 2. the sum of the units below, when it is complete, or when the unit's own reports give nothing of the period;
    /// 3. else the unit's own value of part of the period, marked partial, as before.
    ///
    /// A value from 1 or 2 is marked as built from the units below (`from_children`, which a tile from them carries):
    /// it is not the unit's own report of the period, and beside its own reports of that period type it is another
    /// basis, never used for the status. A merged territory's sum of the units below stands only beside an own value
    /// that expects no more units (its own area, which no unit below reports, is not in that sum). A unit alone in
    /// its territory takes nothing from below over days after it ended: those rows are its successor's to take or
    /// leave out (W345). A sum of the units below that rests on synthetic sources never stands for a unit whose own
    /// reports in those years do not (a national series of real reports keeps its unreported 2023 missing rather
    /// than take the synthetic provinces' sum), nor does a tiling that would blend them.
    pub(crate) fn own_or_below(
        &mut self,
        ref_index: usize,
        (unit, period): (u32, Period),
        own: Option<Aggregate>,
        below: Option<Aggregate>,
    ) -> Option<Aggregate> {
        if own.is_some()
            && let Some(tiled) = self.tiled(ref_index, unit, period)
        {
            return Some(tiled);
        }
        let synthetic = self.synthetic_sources;
        // A merged territory's sum of the units below counts its predecessors and children, never the new unit's own
        // area that no unit below reports: it stands only beside an own value that expects no more units.
        let merged = self.units.territory[unit as usize].len() > 1;
        // Days after a unit (alone in its territory) ended belong to its successor: the rows of the units below it
        // there are the successor's to take or leave out (W345), never the ended unit's own value.
        if !merged && !self.units.existed_throughout(unit, period.start(), period.end()) {
            return own;
        }
        let stands = |below: &Aggregate| {
            let kind = below.sources & synthetic == 0 || own.is_some_and(|own| own.sources & !synthetic == 0);
            let units = own.map_or(!merged, |own| !merged || below.expected >= own.expected);
            kind && units
        };
        match (own, below) {
            (_, Some(below)) if !below.is_partial() && stands(&below) => Some(below),
            (None, Some(below)) if stands(&below) => Some(below),
            (own, _) => own,
        }
    }

    /// The sum of the values of `unit` over the calendar periods of one type that tile `period` (the coarsest type
    /// finer than the period's whose every value is complete), for an element summed over time and over org units;
    /// `None` where no type does, or where the sum would blend synthetic with real sources.
    fn tiled(&mut self, ref_index: usize, unit: u32, period: Period) -> Option<Aggregate> {
        let rule = self.rules[ref_index];
        if rule.time != TimeAggregation::Sum || rule.org_units != OrgUnitAggregation::Sum {
            return None;
        }
        let finer: &[PeriodType] = match period.period_type() {
            PeriodType::Half => &[PeriodType::Quarter, PeriodType::Month],
            PeriodType::Quarter => &[PeriodType::Month],
            PeriodType::Month => &[],
            _ => &[PeriodType::Half, PeriodType::Quarter, PeriodType::Month],
        };
        'types: for &period_type in finer {
            let tiles = period.tiling(period_type);
            if tiles.len() < 2 {
                continue;
            }
            let mut total: Option<Aggregate> = None;
            let (mut expected, mut real, mut synthetic) = (0, false, false);
            for tile in tiles {
                match self.value_of(ref_index, unit, tile) {
                    Some(value) if !value.is_partial() => {
                        expected = expected.max(value.expected);
                        real |= value.sources & !self.synthetic_sources != 0;
                        synthetic |= value.sources & self.synthetic_sources != 0;
                        match &mut total {
                            Some(sum) => sum.add(&value),
                            None => total = Some(value),
                        }
                    }
                    _ => continue 'types,
                }
            }
            if real && synthetic {
                return None;
            }
            return total.map(|mut value| {
                (value.expected, value.reported) = (expected, expected);
                value.tiled_by = Some(period_type);
                value
            });
        }
        None
    }
}
