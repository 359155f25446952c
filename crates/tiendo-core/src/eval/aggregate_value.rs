//! One aggregated value with its provenance and coverage ([`Aggregate`]), and the source masks it carries. Split
//! from `aggregate.rs`, which builds these values over disaggregations, time, org units and successions.

use crate::period::PeriodType;

/// A source bit mask: bit i is the store's source i; bit 63 stands for any source index of 63 or more.
pub type SourceMask = u64;

pub fn source_bit(source: u32) -> SourceMask {
    1u64 << source.min(63)
}

/// An aggregated value with its provenance and coverage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aggregate {
    pub value: f64,
    pub sources: SourceMask,
    /// Whether any contributing observation was provisional.
    pub provisional: bool,
    /// Whether the value is a sum over child org units rather than reported for the unit's own territory.
    pub from_children: bool,
    /// Whether a contributing unit reported only part of the period: the value sums what it reported (see
    /// [`crate::eval::combine`]), so it is a lower bound for a sum.
    pub partial_time: bool,
    /// Whether a contributing cell had neither an explicit total nor a complete breakdown, so its value is the sum
    /// of an incomplete breakdown (see [`crate::eval::breakdown`]).
    pub partial_breakdown: bool,
    /// The reporting units expected to contribute (see [`crate::eval::coverage`]) and how many of them did.
    pub expected: u32,
    pub reported: u32,
    /// The type of the calendar periods whose complete values this value sums, where the unit's own reports hold
    /// some of them and the units below the rest (its own first quarter and its districts' other three, see
    /// [`Cube::own_or_below`]); `None` for any other value, a sum over units among them.
    pub tiled_by: Option<PeriodType>,
    /// Whether the value is the unit's own reports for some of the parts of the period (tiles or calendar years) and
    /// the units below's for the rest ([`crate::eval::Basis::Combined`]).
    pub partly_own: bool,
    /// Whether the value is a merged territory's whose members' parts all come from the units below them (B's and AB's
    /// districts after the merger): labelled a sum of the units below ([`crate::eval::Basis::Aggregated`]). Unlike
    /// `from_children` it changes no rule of precedence or status: the territory's members did report through them.
    pub members_below: bool,
    /// Whether a merged territory's value left out a member's own report of days after it ended
    /// ([`Cube::members_reports`]): beside another member's own report of the whole area (A's late quarter beside
    /// AB's own), or beside the parts of another member's units below, which may hold the same area (AB's new
    /// district's), the value then partial. The sum of the units below, which adds that report to the others, never
    /// stands for such a value (round 54 F2, found by a review helper: AB's and the nation's quarter was "complete"
    /// at the district's 50 beside A's 70, and at 140 once a district of B reported 20).
    pub late_left_out: bool,
    /// Whether the value holds a report of days before its unit existed ([`Units::restates`]): a new province's
    /// restatement of a year before the merger, standing for the old provinces it succeeded. Every output marks such
    /// a value and names the restatements ([`crate::eval::Coverage::restated`]), so that it is not read as the old
    /// units' own reports (round 61, found by a review helper of round 60: the nation's 2024 held a new province's
    /// restated 150 with no mark, "4 of 4 units").
    pub restated: bool,
}

impl Default for Aggregate {
    fn default() -> Aggregate {
        Aggregate::ZERO
    }
}

impl Aggregate {
    /// Nothing yet: the start of a sum.
    pub(crate) const ZERO: Aggregate = Aggregate {
        value: 0.0,
        sources: 0,
        provisional: false,
        from_children: false,
        partial_time: false,
        partial_breakdown: false,
        expected: 0,
        reported: 0,
        tiled_by: None,
        partly_own: false,
        members_below: false,
        late_left_out: false,
        restated: false,
    };

    /// Adds another unit's value, or another period's value of the same unit (then the caller resets the counts).
    pub(crate) fn add(&mut self, other: &Aggregate) {
        self.value += other.value;
        self.sources |= other.sources;
        self.provisional |= other.provisional;
        self.from_children |= other.from_children;
        self.partial_time |= other.partial_time;
        self.partial_breakdown |= other.partial_breakdown;
        self.late_left_out |= other.late_left_out;
        self.restated |= other.restated;
        self.expected += other.expected;
        self.reported += other.reported;
    }

    /// Adds the value of more days of the same unit (a successor's restated days beside its own): the counts of
    /// units expected and reported stay this value's.
    pub(crate) fn add_days_of_same_unit(&mut self, other: &Aggregate) {
        let (expected, reported) = (self.expected, self.reported);
        self.add(other);
        (self.expected, self.reported) = (expected, reported);
    }

    /// Whether the value is built from part of what was expected: missing units, missing sub-periods or an
    /// incomplete breakdown.
    pub fn is_partial(&self) -> bool {
        self.partial_time || self.partial_breakdown || self.reported < self.expected
    }

    /// The value as one unit's own report: one unit expected, one reported.
    pub(crate) fn as_one_unit(mut self) -> Aggregate {
        self.expected = 1;
        self.reported = 1;
        self
    }
}
