//! The published series of a result: each point's disclosure state, its change on the same period last year (only
//! between values of one basis, kind and area), the notes that travel with it, and the decimals that keep it on its
//! side of every target. Split from `results.rs`.

use super::*;

impl ResultContext<'_> {
    /// The published series of the total or of a breakdown, with changes on the same period last year between
    /// values of the same basis and kind (and, unless `flag`, both complete). `total` is the total's series beside a
    /// breakdown's (empty for the total itself).
    pub(super) fn series(&self, points: &[RawPoint], variant: &str, total: &[RawPoint]) -> Vec<Point> {
        let by_period: BTreeMap<Period, &RawPoint> = points.iter().map(|p| (p.period, p)).collect();
        let policy = self.settings.coverage;
        // The period types the unit reports itself (values that may decide), the total's included for a breakdown:
        // a sum over its children of those types is another basis than the one the status is decided on, and a
        // breakdown's sum of the provinces beside the nation's own total is marked so (round 58, found by a review
        // helper: 60 and 55 by sex, the provinces', beside the nation's own 100, unmarked).
        let reported: BTreeSet<PeriodType> = points
            .iter()
            .chain(total)
            .filter(|p| !p.from_children && self.decides(p))
            .map(|p| p.period.period_type())
            .collect();
        // Where any value of the series is hidden, the notes of the data rows travel with none of its values: a note
        // is free text, and "+75 on H1 2022" beside a published 82 gave the hidden first half's 7 (round 46, found by
        // a review helper).
        let breaks = self.break_days();
        let row_notes = self.settings.show_suppressed
            || points.iter().all(|p| self.state(variant, p.period) != ValueState::Suppressed);
        points
            .iter()
            .map(|raw| {
                let state = match self.state(variant, raw.period) {
                    ValueState::Value if raw.partial && policy == CoveragePolicy::RequireComplete => {
                        ValueState::Incomplete
                    }
                    state => state,
                };
                let previous_period = raw.period.same_period_last_year();
                // A day the unit's area changed on, after the earlier period began and by the end of this one: the
                // two values are of different areas (round 62, found by a review helper: a district that moved from
                // C to A gave A "+250 %" and C "-62.5 %" with every district's count unchanged).
                let area_changed = (self.area_changes.iter())
                    .copied()
                    .find(|&day| previous_period.start() < day && day <= raw.period.end())
                    .filter(|_| by_period.contains_key(&previous_period));
                // A break in the series of an element it reads, after the earlier period began and by the end of
                // this one: the two values are counted on different definitions (round 67, found by a reader of the
                // review: the courts' "resolved and tried" beside earlier years' "brought to trial", unmarked).
                let series_break =
                    breaks.iter().copied().find(|&day| previous_period.start() < day && day <= raw.period.end());
                // Nor from or to a value over reports that disagree: it rests on one of two figures that cannot both
                // be right and decides nothing (round 72, found by an adversarial tester: "+10 (+14.3%)" on a year of
                // 70 whose quarters gave 80).
                let contested = |period| super::super::contested::reads_contested(self.contested, period);
                let comparable_area_and_definition = area_changed.is_none()
                    && series_break.is_none()
                    && !contested(raw.period)
                    && !contested(previous_period);
                let change =
                    by_period.get(&previous_period).filter(|_| comparable_area_and_definition).and_then(|previous| {
                        let same_basis = previous.from_children == raw.from_children;
                        let comparable = (!raw.partial && !previous.partial || policy == CoveragePolicy::Flag)
                            && self.synthetic(raw) == self.synthetic(previous);
                        let both_visible = self.visible(state) && self.visible(self.state(variant, previous_period));
                        // A coded value changes by the scale's levels, never by its codes (`Indicator::levels_between`).
                        let absolute = match self.indicator.change_kind() {
                            ChangeKind::Levels => self.indicator.levels_between(previous.value, raw.value)?,
                            _ => super::written::difference(raw.value, previous.value),
                        };
                        (same_basis && comparable && both_visible).then_some(Change {
                            previous_period,
                            previous_value: previous.value,
                            absolute,
                            kind: self.indicator.change_kind(),
                            // Only on a positive base: on 0 it is undefined, and on a negative one (a balance, a
                            // difference) its sign would contradict the absolute change (-10 to -5 as "-50 %").
                            // Nor beyond ±10^15 (a change from 1e-15 read "+inf%": round 70).
                            percent: (self.indicator.change_kind() == ChangeKind::Relative && previous.value > 0.0)
                                .then(|| (raw.value - previous.value) / previous.value * 100.0)
                                .filter(|percent| percent.abs() <= crate::eval::points::VALUE_BOUND),
                        })
                    });
                let show = self.visible(state) && state != ValueState::Incomplete;
                // Notes travel with a shown value only: a note on a withheld cell could describe what it hides.
                let mut notes: Vec<Text> = Vec::new();
                if show && state == ValueState::Value {
                    notes.extend(raw.note.as_deref().map(|note| Text::new(note, note)));
                    if row_notes && !raw.from_children {
                        let shown = |element: &str, options: &[(String, String)], value: f64| {
                            self.row_shown(element, options, value, raw.period)
                        };
                        let place = (self.unit, raw.period, variant);
                        for note in self.notes.of(self.store, self.indicator, place, &shown) {
                            if !notes.contains(&note) {
                                notes.push(note);
                            }
                        }
                    }
                }
                Point {
                    period: raw.period,
                    value: show.then_some(raw.value),
                    state,
                    numerator: raw.numerator.filter(|_| show),
                    denominator: raw.denominator.filter(|_| show),
                    sources: source_names(self.store, raw.sources),
                    provisional: raw.provisional,
                    synthetic: self.synthetic(raw),
                    kind: self.kinds.kind_of(raw.sources),
                    basis: match (raw.partly_own, raw.from_children || raw.members_below) {
                        (true, _) => Basis::Combined,
                        (false, true) => Basis::Aggregated,
                        (false, false) => Basis::Reported,
                    },
                    other_basis: raw.from_children && reported.contains(&raw.period.period_type()),
                    coverage: raw.coverage.clone(),
                    change,
                    notes,
                    decimals: None,
                    after_end: self.after_end(raw.period),
                    area_changed,
                    series_break,
                    beyond_limit: show && self.indicator.beyond_limit(raw.value),
                    contested: show && super::super::contested::reads_contested(self.contested, raw.period),
                }
            })
            .collect()
    }

    /// The unit's last day where `period` runs past it ([`Point::after_end`]).
    fn after_end(&self, period: Period) -> Option<NaiveDate> {
        let last = self.catalogue.org_units.get(self.unit)?.valid_to?;
        (period.end() > last).then_some(last)
    }

    /// Sets each shown value's [`Point::decimals`] against `targets` (see there).
    ///
    /// Exact arithmetic only where rounding could matter: a value further from a target than one unit of its last
    /// decimal (and a margin for the binary form) stays on its side whatever the rounding, which is almost every
    /// value, so most series need no big rational at all (without this check they took 5 % of a full review's CPU).
    pub(super) fn decimals_beside(&self, series: &mut [Point], raw: &[RawPoint], targets: &[PlanTarget]) {
        let at_least = self.indicator.decimals;
        let step = 10f64.powi(-i32::from(at_least));
        for (point, raw) in series.iter_mut().zip(raw) {
            let Some(shown) = point.value else { continue };
            let near = |target: f64| (shown - target).abs() <= 2.0 * step + (shown.abs() + target.abs()) * 1e-12;
            let references: Vec<exact::Exact> =
                targets.iter().filter(|(_, t)| near(t.value)).filter_map(|(_, t)| exact::decimal(t.value)).collect();
            // A percentage is kept off 0 and 100 as well (99.96, never 100.0), to [`share::SHARE_MAX_DECIMALS`];
            // closer than that, outputs write a bound ("> 99.99").
            let off_shares = self.indicator.is_percentage() && [0.0, 100.0, -100.0].into_iter().any(near);
            // Read once, and only where a target or a share's mark is near (most values need no big rational).
            let exact_value = if references.is_empty() && !off_shares { None } else { self.exact(raw) };
            // Raised until every target and the shares' marks agree: the decimals one needs can put the value on
            // another (round 69).
            let mut needed = at_least;
            loop {
                let mut next = match &exact_value {
                    Some(value) => exact::decimals_to_show_all(shown, value, &references, needed),
                    None => needed,
                };
                if off_shares {
                    let off = share::share_decimals(shown, exact_value.as_ref(), next);
                    next = next.max(off.min(share::SHARE_MAX_DECIMALS.max(at_least)));
                }
                if next == needed {
                    break;
                }
                needed = next;
            }
            point.decimals = (needed > at_least).then_some(needed);
        }
    }

    /// The first days of the breaks in the series of the elements the indicator reads (`DataElement::breaks`), in
    /// order; none for a plugin metric, whose inputs are its own.
    fn break_days(&self) -> Vec<NaiveDate> {
        let refs = crate::eval::indicator_refs(self.indicator, &BTreeMap::new());
        let mut days: Vec<NaiveDate> = (refs.iter())
            .filter_map(|r| self.catalogue.data_elements.get(&r.element))
            .flat_map(|e| e.breaks.iter().map(|b| b.from.start()))
            .collect();
        days.sort();
        days.dedup();
        days
    }
}
