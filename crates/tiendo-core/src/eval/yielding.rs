//! What stands for a unit in a period its own reports leave days of (methodology §2, rule 3): its own reports for the
//! days they cover and the units below it for the rest, or the units below it for the whole period.
//!
//! The precedence of a unit's own reports keeps its children off the days it reported, so that no day is counted
//! twice; it never shuts out what the units below report for days the unit did not (issue 10, round 49, found by a
//! review helper: Viet Nam's own 2025Q1 left its provinces' complete 2025 as "no data" and the status "on track"
//! against `<= 100` beside 160 cases; a national courts' year from October 2023 erased the provinces' calendar 2023;
//! a province's own first quarter dropped its districts' other three).

use crate::eval::aggregate::{Aggregate, Bounds, Cube};
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
    ///    districts' other three make its year, as the four rows of the quarters show; else its own reports inside
    ///    the period and the calendar periods that tile the days they leave, each complete ([`Cube::around_own`]);
    /// 2. the sum of the units below, when it is complete, or when the unit's own reports give nothing of the period;
    /// 3. the sum of the values the tiles have, marked partial, where the units below add to them and they hold every
    ///    own report of the period: its own first quarter and its districts' second and third, the fourth missing;
    /// 4. else the unit's own value of part of the period, marked partial, as before.
    ///
    /// A value from steps 1 to 3 is marked as built from the units below (`from_children`, which a tile from them carries):
    /// it is not the unit's own report of the period, and beside its own reports of that period type it is another
    /// basis, never used for the status. A merged territory's sum of the units below stands only where it expects no
    /// fewer units than the territory's own value (its own area, which no unit below reports, is not in that sum). A
    /// unit alone in its territory takes nothing from below over days after it ended: those rows are its
    /// successor's to take or leave out (W345). A sum of the units below that rests on synthetic sources never
    /// stands for a unit whose own reports in those years do not (a national series of real reports keeps its
    /// unreported 2023 missing rather than take the synthetic provinces' sum), nor does a tiling that would blend
    /// them. A count from steps 1 to 3 less than the unit's own count of part of the period contradicts that report
    /// and stands for nothing: the own value stands, partial.
    pub(crate) fn own_or_below(
        &mut self,
        ref_index: usize,
        (unit, period): (u32, Period),
        own: Option<Aggregate>,
        below: Option<Aggregate>,
    ) -> Option<Aggregate> {
        // A count over a period is never less than the unit's own count of part of it: a sum from below that is less
        // contradicts that report, and stands for nothing (prov-c's districts' 6 for 2024 beside its own 50 for March
        // and April was published complete; round 50, found by a review helper).
        // Only a flow: a stock's period value is its last day's, which may be less than an earlier day's (C's own
        // May stock of 10 beside its districts' complete June stock of 6; round 52, found by a review helper: the
        // nation's second quarter was May's 10, "PARTIAL:" with nothing named).
        let counts = self.counts[ref_index] && self.rules[ref_index].time == TimeAggregation::Sum;
        let holds_own = move |value: &Aggregate| {
            !counts
                || own.is_none_or(|own| value.value >= own.value - crate::eval::exact::rounding_tolerance(own.value))
        };
        let tiled = own.and_then(|own| self.tiled(ref_index, (unit, period), own)).filter(holds_own);
        if let Some(tiled) = tiled.filter(|tiled| !tiled.is_partial()) {
            return Some(tiled);
        }
        let synthetic = self.synthetic_sources;
        // A merged territory's sum of the units below counts its predecessors and children, never the new unit's own
        // area that no unit below reports: it stands only where it expects no fewer units than the territory's own
        // value does (AB's only district in 2025Q4 stands for AB; A's and B's first halves do not for AB's year).
        let merged = self.units.territory[unit as usize].len() > 1;
        // Days after a unit (alone in its territory) ended belong to its successor: the rows of the units below it
        // there are the successor's to take or leave out (W345), never the ended unit's own value.
        if !merged && !self.units.existed_throughout(unit, period.start(), period.end()) {
            return own;
        }
        let members = match own {
            Some(own) => own.expected,
            None if merged => self.members_expected(ref_index, unit, period),
            None => 0,
        };
        // A territory's value that left out a member's late report is never replaced by the sum of the units below,
        // which adds that report to the parts that hold its days (round 54 F2).
        let late_left_out = own.is_some_and(|own| own.late_left_out);
        let stands = |below: &Aggregate| {
            let kind = below.sources & synthetic == 0 || own.is_some_and(|own| own.sources & !synthetic == 0);
            kind && (!merged || below.expected >= members) && holds_own(below) && !late_left_out
        };
        match (own, below) {
            (_, Some(below)) if !below.is_partial() && stands(&below) => Some(below),
            (None, Some(below)) if stands(&below) => Some(below),
            (own, _) => tiled.or(own),
        }
    }

    /// The sum of the values of `unit` over the calendar periods of one type that tile `period`, for an element
    /// summed over time and over org units: the coarsest type finer than the period's whose every value is complete,
    /// else, marked partial, the coarsest whose values hold every report of `own` (the unit's own value of the
    /// period), summing those the tiles have. `None` where no type does, or where the sum would blend synthetic with
    /// real sources.
    fn tiled(&mut self, ref_index: usize, (unit, period): (u32, Period), own: Aggregate) -> Option<Aggregate> {
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
        let mut partial: Option<Aggregate> = None;
        for &period_type in finer {
            let tiles = period.tiling(period_type);
            if tiles.len() < 2 {
                continue;
            }
            let Some(sum) = self.tiles_sum(ref_index, unit, &tiles) else { continue };
            if !sum.is_partial() {
                return Some(Aggregate { tiled_by: Some(period_type), ..sum });
            }
            // A partial sum of the unit's own values alone is its own value: only one the units below add to.
            if partial.is_none() && sum.from_children && self.tiles_hold(ref_index, unit, &tiles, own) {
                partial = Some(Aggregate { tiled_by: Some(period_type), ..sum });
            }
        }
        self.around_own(ref_index, unit, period).or(partial)
    }

    /// The sum over `unit`'s own reports inside `period` and, for the days they leave, the coarsest calendar periods
    /// that tile those days ([`Period::calendar_pieces`]): its own January to April and its districts' May, June and
    /// second half (round 51, found by a review helper: 140 "missing prov-c 2024-05, 2024-06" where the days tile to
    /// 144). Only where every piece has a complete value, the unit's own reports do not overlap, and the unit is alone
    /// in its territory (a merged territory's members are pieced by `members_reports`); `None` otherwise.
    fn around_own(&mut self, ref_index: usize, unit: u32, period: Period) -> Option<Aggregate> {
        let tiles = self.around_own_tiles(ref_index, unit, period)?;
        self.tiles_sum(ref_index, unit, &tiles).filter(|sum| !sum.is_partial())
    }

    /// The periods [`Cube::around_own`] sums: `unit`'s own reports inside `period` (not overlapping) and the coarsest
    /// calendar periods that tile the days they leave, in order; `None` where there are fewer than two, or the unit is
    /// a merged territory. A ratio of such values is matched over them (`ratio::MatchedRatio`).
    pub(crate) fn around_own_tiles(&mut self, ref_index: usize, unit: u32, period: Period) -> Option<Vec<Period>> {
        if self.units.territory[unit as usize].len() != 1 {
            return None;
        }
        let mut own = Vec::new();
        self.reports(ref_index, unit, &Bounds::of(period), &mut own);
        own.retain(|(report, _)| period.contains(report) && *report != period);
        let mut tiles: Vec<Period> = own.iter().map(|(report, _)| *report).collect();
        tiles.sort_by_key(|report| (report.start(), report.end()));
        tiles.dedup();
        if tiles.is_empty() || tiles.windows(2).any(|pair| pair[0].end() >= pair[1].start()) {
            return None;
        }
        for (first, last) in crate::eval::coverage::days_left(period, &own) {
            tiles.extend(Period::calendar_pieces(first, last));
        }
        tiles.sort_by_key(|tile| tile.start());
        (tiles.len() >= 2).then_some(tiles)
    }

    /// The sum of `unit`'s values over `tiles`, partial where a tile has no value or a partial one (its units: the
    /// most any tile expects, less the most any lacks); `None` where no tile has a value, or where the sum would
    /// blend synthetic with real sources.
    fn tiles_sum(&mut self, ref_index: usize, unit: u32, tiles: &[Period]) -> Option<Aggregate> {
        let mut total: Option<Aggregate> = None;
        let (mut expected, mut short, mut missing, mut real, mut synthetic) = (0, 0, false, false, false);
        let mut own_tile = false;
        for &tile in tiles {
            let Some(value) = self.value_of(ref_index, unit, tile) else {
                missing = true;
                continue;
            };
            (expected, short) =
                (expected.max(value.expected), short.max(value.expected.saturating_sub(value.reported)));
            real |= value.sources & !self.synthetic_sources != 0;
            synthetic |= value.sources & self.synthetic_sources != 0;
            own_tile |= !value.from_children || value.partly_own;
            match &mut total {
                Some(sum) => sum.add(&value),
                None => total = Some(value),
            }
        }
        if real && synthetic {
            return None;
        }
        total.map(|mut value| {
            (value.expected, value.reported) = (expected, expected - short);
            value.partial_time |= missing;
            value.partly_own = own_tile && value.from_children;
            value
        })
    }

    /// Whether `unit`'s own values over `tiles` hold all of `own`, its own value of the period they tile: none of its
    /// reports lies across two tiles (a half-year report beside quarters), which summing the tiles would lose.
    fn tiles_hold(&mut self, ref_index: usize, unit: u32, tiles: &[Period], own: Aggregate) -> bool {
        let mut held = 0.0;
        for &tile in tiles {
            if let Some(Some(value)) = self.own_value(ref_index, unit, tile, &Bounds::of(tile)) {
                held += value.value;
            }
        }
        held >= own.value - crate::eval::exact::rounding_tolerance(own.value)
    }
}
