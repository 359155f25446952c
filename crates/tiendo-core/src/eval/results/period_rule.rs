//! The one period rule of a result ([`ResultContext::decide`]): which value the status, the latest value, the
//! headline target's line and the change on the same period last year describe, and what a part of the target's
//! period (or a value from part of the units) proves about the target (methodology §4).

use super::*;

impl ResultContext<'_> {
    /// The one period rule of a result: the value that the status, the latest value, the headline target's line,
    /// its percentage and the change on the same period last year all describe, and the trend that ends there.
    ///
    /// - With a headline (final) target: values of the target's own series, that is its period shifted by whole
    ///   years (`2025`, `2024`, …; `2022Oct`, `2021Oct`, …; a plan's range and the same range a year earlier),
    ///   ending at the target's period; the latest of them decides. A date range of whole months has a value of its
    ///   own whenever the data gives one, from the months, quarters or halves that tile it, exactly as the year
    ///   from another day with the same days (`2022-07-01..2023-06-30` as `2022July`; [`Period::tiling`],
    ///   `eval::periods`), and so the same series, trend and decision. A target whose period is a date range and
    ///   has no value of its own (`2024-03-17..2024-12-31`, which no whole months tile, or a range with a quarter
    ///   missing) is decided on a period inside the range, with no trend (a calendar year that mostly precedes the
    ///   plan never decides it): for a count summed over time the largest value of those, the longest run of parts
    ///   (`range_parts::summed_chain`), else the period that ends last (the longest of those). What that part
    ///   proves about the whole range is [`range_parts::proof`]'s. A standard period without a value of its own
    ///   (2025 with only its first two quarters known) is decided the same way when that part proves the target
    ///   (a count of 120 in the first half misses `<= 100` for the year, whatever the second half holds); else by
    ///   the trend of its series.
    /// - Without a target: the yearly values, the latest of them deciding, else the latest value of any period.
    ///
    /// Only values that may decide are used, of one basis (those reported for the unit when there are any, else the
    /// sums over its children, so that a trend never runs from a reported national figure to a province sum), and
    /// never a sum over the children of a period type the unit reports itself ([`Point::other_basis`]).
    pub(super) fn decide<'p>(&self, points: &'p [RawPoint], headlines: &[&crate::model::Target]) -> Decided<'p> {
        let headline = headlines.first().copied();
        // A sum of the units below of a period type the unit reports itself is another basis, shown as such and
        // never deciding, not even as a part of the target's period (a stock's 2023S2 of the provinces beside the
        // nation's own 2022S2: round 60, helper 1).
        let own_types: BTreeSet<PeriodType> =
            points.iter().filter(|p| !p.from_children && self.decides(p)).map(|p| p.period.period_type()).collect();
        let deciding = points
            .iter()
            .filter(|p| self.decides(p) && !(p.from_children && own_types.contains(&p.period.period_type())));
        let in_series: Vec<&RawPoint> = match headline {
            Some(target) => deciding
                .clone()
                .filter(|p| p.period.end() <= target.period.end() && same_series(target.period, p.period))
                .collect(),
            None => deciding.clone().filter(|p| p.period.period_type() == PeriodType::Year).collect(),
        };
        let any_reported = in_series.iter().any(|p| !p.from_children);
        // The basis of a lower bound of the target's period that settles it: the series', else its parts' (a range
        // has no series of its own; its parts may be the unit's own reports).
        let bound_from_children = match in_series.is_empty() {
            false => !any_reported,
            true => !deciding.clone().any(|p| {
                !p.from_children && headline.is_some_and(|t| p.period != t.period && t.period.contains(&p.period))
            }),
        };
        let mut trend: Vec<&RawPoint> = in_series.into_iter().filter(|p| p.from_children != any_reported).collect();
        // A trend runs over values of one area: from the last day the unit's area changed on by the end of its latest
        // value (a district that moved in made A "off track" from 20 to 70, every district's count flat; round 62,
        // found by a review helper).
        if let Some(last) = trend.last().map(|p| p.period) {
            let cut = self.area_changes_in_life().filter(|&day| day <= last.end()).max();
            trend.retain(|p| cut.is_none_or(|day| p.period.start() >= day));
        }
        let latest_of = |filter: &dyn Fn(&RawPoint) -> bool| {
            deciding
                .clone()
                .filter(|p| filter(p))
                .max_by_key(|p| (p.period.end(), std::cmp::Reverse(p.period.start()), p.period))
        };
        match headline {
            Some(target) if trend.last().is_none_or(|p| p.period != target.period) => {
                let inside = |p: &RawPoint| p.period != target.period && target.period.contains(&p.period);
                // A visible part only, so that which part is chosen says nothing of a hidden one.
                let largest = largest(deciding.clone().filter(|p| inside(p) && self.visible(self.state("", p.period))));
                let part = match self.over_time {
                    range_parts::OverTime::Summed => largest.or_else(|| latest_of(&inside)),
                    _ => latest_of(&inside),
                };
                // A part that settles the targets decides them; else a range is decided on its parts alone (what
                // they prove, which may be nothing) and a standard period (a year) by the trend of its own series.
                let settled = part
                    .filter(|p| self.settles(p, headlines))
                    .or_else(|| self.settling_lower_bound(points, headlines, bound_from_children));
                if let Some(settled) = settled {
                    Decided { latest: Some(settled), trend: Vec::new(), from_parts: true }
                } else if target.period.period_type() == PeriodType::Range {
                    Decided { latest: part, trend: Vec::new(), from_parts: true }
                } else {
                    Decided { latest: trend.last().copied(), trend, from_parts: false }
                }
            }
            Some(target) => {
                // A partial value of the target's own period (deciding under `flag`) that is a lower bound of the
                // whole proves less than a complete part inside it may: a year of 75 from part of the units beside
                // its complete first half of 158 is at least 158 (round 62: a unit's own year of 0 beside its first
                // half of 83 left the year below the half, and "> 157.6" undecided).
                let last = trend.last().copied();
                let lower_bound = last.is_some_and(|p| p.partial)
                    && self.over_time == range_parts::OverTime::Summed
                    && range_parts::partial_is_lower_bound(self.catalogue, self.indicator);
                let inside =
                    |p: &&RawPoint| p.period != target.period && target.period.contains(&p.period) && !p.partial;
                let visible = |p: &&RawPoint| self.visible(self.state("", p.period));
                let settled = largest(deciding.clone().filter(|p| lower_bound && inside(p) && visible(p)))
                    .filter(|p| self.settles(p, headlines) && last.is_some_and(|l| p.value > l.value));
                match settled {
                    Some(part) => Decided { latest: Some(part), trend: Vec::new(), from_parts: true },
                    None => Decided { latest: last, trend, from_parts: false },
                }
            }
            None => {
                Decided { latest: trend.last().copied().or_else(|| latest_of(&|_| true)), trend, from_parts: false }
            }
        }
    }

    /// The value of the longest run of parts of a target's period, for a count summed over time whose period has no
    /// value of its own ([`range_parts::summed_chain`]); only parts that may decide and are shown. A range's run is
    /// always its value decided; a standard period's (a year's first three quarters) only when it proves the target.
    /// Where the run settles nothing, the largest sum of parts that do not overlap, a partial value of the whole
    /// period, when it settles the target ([`range_parts::disjoint_lower_bound`]: 2021, 2022, 2024 and 2025 over
    /// `<= 1000` for 2021-2025 with 2023 missing).
    pub(super) fn range_chain(&self, points: &[RawPoint], targets: &[&crate::model::Target]) -> Option<RawPoint> {
        let target = targets.first()?;
        let own = points.iter().any(|p| p.period == target.period && self.decides(p));
        if own || self.over_time != range_parts::OverTime::Summed {
            return None;
        }
        let usable = |p: &RawPoint| self.decides(p) && self.visible(self.state("", p.period));
        let chain = range_parts::summed_chain(points, target.period, &usable);
        if chain.as_ref().is_some_and(|chain| self.settles(chain, targets)) {
            return chain;
        }
        // Parts that are not consecutive still bound the whole from below (a count is never negative).
        // Not over days whose reports disagree (W339), which decide nothing: its period would read them (round 73,
        // found by a verifier: "650 (partial)" marked "not used for any status" beside the status it decided).
        let bound = range_parts::disjoint_lower_bound(points, target.period, &usable, self.unit)
            .filter(|bound| !super::super::contested::reads_contested(self.contested, bound.period));
        if let Some(bound) = bound.filter(|bound| self.settles(bound, targets)) {
            return Some(bound);
        }
        chain.filter(|_| target.period.period_type() == PeriodType::Range)
    }

    /// Under `exclude`, a partial value of the targets' period or of a part of it that is a lower bound of the whole
    /// ([`range_parts::partial_is_lower_bound`]: a count summed over time and units, which what is missing can only
    /// add to) and already settles the targets: 130 from two of three provinces over `<= 100` for the year. The
    /// policy keeps estimates from part of the units out of the status, but this is no estimate: nothing missing can
    /// undo it, and a status drawn from an earlier year beside it ("achieved") would contradict a published figure.
    /// The largest such value that is shown, of the basis the status reads (`from_children`), not synthetic.
    pub(super) fn settling_lower_bound<'p>(
        &self,
        points: &'p [RawPoint],
        targets: &[&crate::model::Target],
        from_children: bool,
    ) -> Option<&'p RawPoint> {
        let target = targets.first()?;
        if self.settings.coverage != CoveragePolicy::Exclude
            || !range_parts::partial_is_lower_bound(self.catalogue, self.indicator)
        {
            return None;
        }
        largest(
            points
                .iter()
                .filter(|p| p.partial && p.from_children == from_children && target.period.contains(&p.period))
                .filter(|p| {
                    (!self.synthetic(p) || self.kinds.all_synthetic()) && self.visible(self.state("", p.period))
                }),
        )
        .filter(|p| self.settles(p, targets))
    }

    /// Whether a part of the period of `targets` (the targets of one period: the two bounds of a band) settles them
    /// whatever the rest of the period holds ([`Self::proof`]): it proves one of them missed, or every one met.
    pub(super) fn settles(&self, part: &RawPoint, targets: &[&crate::model::Target]) -> bool {
        use range_parts::Proof;
        let proofs: Vec<Option<Proof>> = targets.iter().map(|target| self.proof(part, target, true)).collect();
        proofs.contains(&Some(Proof::Missed)) || proofs.iter().all(|proof| *proof == Some(Proof::Met))
    }

    /// What `point`, compared with `target`, proves about the target when it is not the whole value the target is
    /// set for: a part of a plan's range (`from_parts`, [`range_parts::proof`]), or a value built from part of the
    /// expected units or periods (deciding under `coverage = "flag"`) that is a lower bound of the whole
    /// ([`range_parts::partial_is_lower_bound`]: what is missing can only add to it), which proves what a part does.
    /// A missed proof of an earlier period than the target's settles nothing. `None` when the point's own
    /// comparison is the answer: a whole value, or a partial one that is no bound (a ratio of the units that report
    /// both parts), which `flag` lets decide as it stands, marked.
    pub(super) fn proof(
        &self,
        point: &RawPoint,
        target: &crate::model::Target,
        from_parts: bool,
    ) -> Option<range_parts::Proof> {
        let met = self.order(point, target.value)?;
        use range_parts::{OverTime, Proof};
        let periods = (point.period, target.period);
        let proof = if point.partial && range_parts::partial_is_lower_bound(self.catalogue, self.indicator) {
            match range_parts::proof(OverTime::Summed, target.comparator, periods, met) {
                Proof::Unknown(_) => Proof::Unknown(
                    "the value covers part of the expected units or periods, and what is missing can only add to it: \
                     it does not settle the target",
                ),
                proven => proven,
            }
        } else if from_parts {
            range_parts::proof(self.over_time, target.comparator, periods, met)
        } else {
            return None;
        };
        let early = !from_parts && point.period.end() < target.period.end();
        Some(if proof == Proof::Missed && early {
            Proof::Unknown("a value of an earlier period that misses the target does not settle it")
        } else {
            proof
        })
    }

    /// Sets `assessment` to what `point` proves about `target` when it is not the target's whole value
    /// ([`Self::proof`]): a part of its range, or a value built from part of the expected units or periods.
    pub(super) fn decide_on_parts(
        &self,
        assessment: &mut Assessment,
        point: &RawPoint,
        target: &crate::model::Target,
        from_parts: bool,
    ) {
        let Some(proof) = self.proof(point, target, from_parts) else { return };
        let (value, period, symbol) = (point.value, point.period, target.comparator.symbol());
        let goal = format!("the target {symbol} {} for {}", target.value, target.period);
        let what =
            if point.partial { "a value from part of the expected units or periods" } else { "a part of its period" };
        (assessment.status, assessment.explanation) = match proof {
            range_parts::Proof::Met => (Status::Achieved, format!("{value} in {period} already meets {goal}")),
            range_parts::Proof::Missed => {
                (Status::OffTrack, format!("{value} in {period}, {what}, already misses {goal}"))
            }
            range_parts::Proof::Unknown(why) => {
                (Status::InsufficientData, format!("{why} ({value} in {period}, against {goal})"))
            }
        };
        assessment.score = None;
        assessment.details.clear();
    }
}

/// What the one period rule decided for one result ([`ResultContext::decide`]).
pub(super) struct Decided<'p> {
    /// The value every part of the result describes.
    pub(super) latest: Option<&'p RawPoint>,
    /// The trend's values, in time order, ending at `latest` (empty when a plan's range cannot be split).
    pub(super) trend: Vec<&'p RawPoint>,
    /// `latest` is a part of the headline target's period, which has no value of its own: it decides only what it
    /// proves about the whole period ([`range_parts::proof`]).
    pub(super) from_parts: bool,
}

/// The point of largest value (the one that ends last of equal ones): for a count summed over time, the part of a
/// period that proves the most about it.
fn largest<'p>(points: impl Iterator<Item = &'p RawPoint>) -> Option<&'p RawPoint> {
    points.max_by(|a, b| a.value.total_cmp(&b.value).then(a.period.end().cmp(&b.period.end())))
}

/// Whether `value` is in the series of a target set for `target`: the target's period shifted by whole years.
fn same_series(target: Period, value: Period) -> bool {
    value.period_type() == target.period_type() && {
        let years = value.end().year() - target.end().year();
        target.shift_years(years) == value
    }
}
