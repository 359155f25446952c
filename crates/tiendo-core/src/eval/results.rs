//! One indicator at one org unit: the series as published (state, change, coverage, synthetic flag), the trajectory
//! and its assessments, the targets, all decided on the values the coverage policy and the source kinds allow.

use super::*;
use crate::model::ChangeKind;

mod assessments;
mod headline_targets;
mod period_rule;
mod series;
mod unsettled;
pub(super) use headline_targets::synthetic_plan_source;
use period_rule::Decided;

pub(super) fn source_names(store: &ObservationStore, mask: SourceMask) -> Vec<String> {
    let mut names: Vec<String> = (0..64u32)
        .filter(|bit| mask & (1u64 << bit) != 0)
        .map(|bit| {
            if bit == 63 && store.sources.len() > 64 {
                "(further sources)".to_owned()
            } else {
                store.sources.names().get(bit as usize).cloned().unwrap_or_default()
            }
        })
        .collect();
    names.sort();
    names
}

/// A target with the id of the plan that sets it.
type PlanTarget = (String, crate::model::Target);

/// Every target set for `indicator` at `unit` (at any unit when `None`) by a plan known on `as_of` and started by the
/// end of `window`, in the order they are due (their periods' last day, the longest last among those due the same
/// day), then plan, comparator and value (never the order they are written in: two targets of one period, a band,
/// decide together). The last period is the final one, whose targets decide the status. A plan adopted after `as_of`, or a target whose source is dated after
/// it, did not exist on that day (`eval::known`).
pub(super) fn targets_for(
    catalogue: &Catalogue,
    indicator: &str,
    unit: Option<&str>,
    (as_of, window, reviewed): (NaiveDate, Option<Period>, Option<&str>),
) -> Vec<PlanTarget> {
    let later = known::sources_after(catalogue, as_of);
    let mut out: Vec<(String, crate::model::Target)> = catalogue
        .plans
        .values()
        .filter(|plan| known::plan_known_on(plan, &later, as_of))
        // A review of a window assesses the plans that have started by its end: the next programme's 2030 targets
        // neither decide the status of an end-of-term review of 2021-2025 nor stand beside it (its own 2025
        // target does); a mid-term review still reads the 2025 target of the programme it reviews.
        .filter(|plan| window.is_none_or(|window| plan.period.start() <= window.end()))
        .filter(|plan| reviewed.is_none_or(|reviewed| plan.id == reviewed))
        .flat_map(|plan| {
            plan.targets_for(indicator)
                .filter(|t| unit.is_none_or(|unit| t.org_unit.as_deref().unwrap_or(&plan.org_unit) == unit))
                .filter(|t| !later.contains(t.source.as_str()))
                .map(|t| (plan.id.clone(), t.clone()))
        })
        .collect();
    // Due order: the target whose period ends last is the final one, whatever its start (a programme's 2021-2025
    // total is due after a 2023 target, round 10 F1); of those due the same day the longest is last.
    let due = |t: &crate::model::Target| (t.period.end(), std::cmp::Reverse(t.period.start()), t.period);
    out.sort_by(|a, b| {
        (due(&a.1), &a.0, a.1.comparator).cmp(&(due(&b.1), &b.0, b.1.comparator)).then(a.1.value.total_cmp(&b.1.value))
    });
    out
}

/// What every part of one indicator's result at one unit reads.
#[derive(Clone, Copy)]
struct ResultContext<'a> {
    catalogue: &'a Catalogue,
    store: &'a ObservationStore,
    settings: &'a EvaluationSettings,
    indicator: &'a Indicator,
    unit: &'a str,
    states: &'a HiddenValues,
    kinds: &'a sources::SourceKinds,
    notes: &'a RowNotes,
    /// How the indicator adds up over time: what a part of a plan's range proves about the whole of it.
    over_time: range_parts::OverTime,
    /// The period of the headline target's plan: only values of periods inside it decide anything, which basis
    /// included, as `eval --plan` reads no other (methodology 4.2).
    plan: Option<Period>,
    /// The days the unit's area changed, in order: no change is given across one.
    area_changes: &'a [NaiveDate],
    /// The periods whose reports the reports of their parts contradict, of the elements the indicator reads at the
    /// unit or below it ([`super::contested::Contested`]): a value over their days decides nothing.
    contested: &'a [Period],
    /// The periods whose value is hidden for a denominator of 0 that would give a suppressed zero away
    /// ([`hide_zeros`]): suppressed like any hidden value, and a candidate of the period rule as one.
    hidden_zeros: &'a [Period],
}

impl ResultContext<'_> {
    /// The disclosure state of the total (`variant` "") or of a breakdown (`"sex=female"`) in `period`.
    fn state(&self, variant: &str, period: Period) -> ValueState {
        if variant.is_empty() && self.hidden_zeros.contains(&period) {
            return ValueState::Suppressed;
        }
        match self.states.get(&self.indicator.id, variant, self.unit, period) {
            Some(CellState::Primary | CellState::Secondary | CellState::Withheld) => ValueState::Suppressed,
            _ => ValueState::Value,
        }
    }

    /// Whether a data row of a breakdown (its options, of `element`, worth `value`) is a shown cell, so that its
    /// note may travel to the total: no option of it is hidden as a breakdown of this indicator, and it is not a
    /// sensitive count small enough to be suppressed (a sex by age row no breakdown of this indicator publishes).
    fn row_shown(&self, element: &str, options: &[(String, String)], value: f64, period: Period) -> bool {
        if self.settings.show_suppressed {
            return true;
        }
        let rules = crate::disclosure::Rules {
            threshold: self.settings.threshold,
            suppress_zeros: self.settings.suppress_zeros,
            ..crate::disclosure::Rules::new(self.settings.threshold)
        };
        let small =
            rules.is_primary(&crate::disclosure::Cell { value, sensitive: is_sensitive(self.catalogue, element) });
        !small
            && options
                .iter()
                .all(|(category, option)| self.state(&format!("{category}={option}"), period) == ValueState::Value)
    }

    fn visible(&self, state: ValueState) -> bool {
        state == ValueState::Value || self.settings.show_suppressed
    }

    fn synthetic(&self, raw: &RawPoint) -> bool {
        self.kinds.is_synthetic(raw.sources)
    }

    /// Whether a value may decide a status, a target, a trend or a headline: under `exclude` and `require-complete`
    /// a partial value decides nothing, a synthetic value decides nothing unless the whole project is synthetic, and
    /// a value of a period not inside the headline plan's ([`Self::plan`]) decides nothing: a unit's own 2020 beside
    /// a 2021-2025 programme chose the basis (the provinces' 2024 became "not used for the status") and a range a
    /// year earlier than a plan's, mostly before it, entered Open SDG's trend, where `eval --plan` read neither
    /// (review of 6 December, helper 1 of round 60). A share beyond its indicator's limit (12 resolved of 10
    /// received: `limit = 100`) decides nothing either: its parts contradict the definition, and "achieved" on 120 %
    /// read as a result (round 64).
    fn decides(&self, raw: &RawPoint) -> bool {
        (!raw.partial || self.settings.coverage == CoveragePolicy::Flag)
            && (!self.synthetic(raw) || self.kinds.all_synthetic())
            && self.plan.is_none_or(|plan| plan.contains(&raw.period))
            && (!self.indicator.beyond_limit(raw.value) || !self.visible(self.state("", raw.period)))
            && !super::contested::reads_contested(self.contested, raw.period)
    }

    /// The baseline that `target`, set by plan `plan`, is measured from ([`Catalogue::baseline_of_target`], round 9,
    /// Q3); `None` without a target, and where the unit's area changed after the baseline's period began and by the
    /// end of the target's (the baseline is another area's: A's 20 before a district moved in made its 70 a
    /// "deterioration"; round 62, found by a review helper).
    fn baseline(&self, catalogue: &Catalogue, target: Option<(&str, &crate::model::Target)>) -> Option<(Period, f64)> {
        let (plan, target) = target?;
        let baseline = catalogue.baseline_of_target(plan, &self.indicator.id, self.unit, target.period)?;
        if !self.plan_figure_decides(&baseline.source) {
            return None;
        }
        let changed = |day: NaiveDate| baseline.period.start() < day && day <= target.period.end();
        // A total of several years is no yearly level to measure a trend from (a yearly average is).
        let yearly = baseline.is_yearly_level(self.over_time == range_parts::OverTime::Summed);
        (yearly && !self.area_changes_in_life().any(changed)).then_some((baseline.period, baseline.value))
    }

    /// The days the unit's area changed on while it existed: the day after its last is a change for the values of
    /// the periods it ended in (no change on the same period a year earlier), not for its trend or its baseline,
    /// whose values before it are of one area (an old province's plan keeps its series up to the merger).
    fn area_changes_in_life(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let last_day = self.catalogue.org_units.get(self.unit).and_then(|unit| unit.valid_to);
        self.area_changes.iter().copied().filter(move |day| last_day.is_none_or(|last| *day <= last))
    }

    /// The exact value of a point: its numerator and denominator as rationals when it has both.
    fn exact(&self, point: &RawPoint) -> Option<exact::Exact> {
        exact::value_of(point.value, point.numerator, point.denominator, self.indicator.measure.factor())
    }

    /// How a point's value compares with `target`, decided exactly; `None` when its value is not a number.
    fn order(&self, point: &RawPoint, target: f64) -> Option<std::cmp::Ordering> {
        Some(self.exact(point)?.cmp(&exact::decimal(target)?))
    }

    /// Whether a point meets a target, decided exactly; `None` when its value is not a number.
    fn met(&self, point: &RawPoint, spec: &progress::TargetSpec) -> Option<bool> {
        Some(exact::holds(spec.comparator, &self.exact(point)?, &exact::decimal(spec.value)?))
    }

    /// Each target with the value compared. The headline (final) targets, those of the last period, are compared with
    /// the value the one period rule decided ([`Self::decide`]); an earlier target with the value the same rule
    /// decides for it (its own period, of one basis; a part of a plan's range only for what it proves). Each is
    /// measured from the baseline of the plan that sets it ([`Self::baseline`]). Only values that may decide are
    /// compared, and a suppressed one is not recoverable from which side of the target it lies on.
    fn targets(
        &self,
        catalogue: &Catalogue,
        points: &[RawPoint],
        targets: Vec<(String, crate::model::Target)>,
        (decided, from_parts): (Option<&RawPoint>, bool),
    ) -> Vec<TargetResult> {
        let final_period = targets.last().map(|(_, t)| t.period);
        targets
            .into_iter()
            .map(|(plan, target)| {
                // Every target of the final period decides (the two bounds of a band), on the one value decided; an
                // earlier target is compared by the same rule applied to its own period, so that its line never
                // reads a basis (a sum over provinces) that the rule would not (round 9, Q4).
                let headline = Some(target.period) == final_period;
                let chained: Vec<RawPoint>;
                let (compared, from_parts) = if headline {
                    (decided, from_parts)
                } else {
                    // Read on its own plan's periods, as the final target is on the headline plan's.
                    let own_plan = catalogue.plans.get(&plan).map(|plan| plan.period);
                    let this = ResultContext { plan: own_plan, ..*self };
                    // As for the final target: a count summed over time is read on the longest run of its range's
                    // parts when the range has no value of its own.
                    let own_points = match this.range_chain(points, &[&target]) {
                        Some(chain) => {
                            chained = range_parts::with_point(points, chain);
                            &chained[..]
                        }
                        None => points,
                    };
                    let own = this.decide(own_points, &[&target]);
                    (own.latest, own.from_parts)
                };
                let baseline = self.baseline(catalogue, Some((&plan, &target)));
                let shown = compared.filter(|p| self.visible(self.state("", p.period)));
                let usable = self.plan_figure_decides(&target.source);
                let mut judged = shown.filter(|_| usable).and_then(|p| self.judge(p, &target, baseline.map(|b| b.1)));
                // A part of a plan's range, or a value from part of the expected units, is a verdict only for what it
                // proves about the whole (`Self::proof`): 530 in 2021-2023 under `<= 600` for 2021-2025 is neither
                // met nor missed, and its line says nothing the status does not.
                let proof = shown.filter(|_| judged.is_some()).and_then(|point| self.proof(point, &target, from_parts));
                let unproven = matches!(proof, Some(range_parts::Proof::Unknown(_)));
                let verdict = usable
                    && match proof {
                        Some(_) if unproven => false,
                        Some(_) if from_parts => true,
                        _ => compared.is_some_and(|p| p.period.end() >= target.period.end()),
                    };
                // A value that is only a bound of the target's (a part of its range, part of its units) gives no
                // percent of target, progress or gap, which would be the whole's and are not known (round 10, F2, F3);
                // where nothing is proved, no met-or-not either.
                if unproven {
                    judged = None;
                } else if let Some(judged) = judged.as_mut().filter(|_| proof.is_some()) {
                    (judged.percent, judged.progress) = (None, None);
                }
                TargetResult {
                    plan,
                    period: target.period,
                    comparator: target.comparator,
                    value: target.value,
                    source: target.source.clone(),
                    decides_status: headline,
                    compared_period: compared.map(|p| p.period),
                    verdict,
                    compared_value: shown.map(|p| p.value),
                    compared_sources: compared.map(|p| source_names(self.store, p.sources)).unwrap_or_default(),
                    met: judged.as_ref().map(|j| j.met),
                    decimals: judged.as_ref().map(|j| j.decimals),
                    percent_of_target: judged.as_ref().and_then(|j| j.percent),
                    percent_decimals: judged.as_ref().and_then(|j| j.percent.map(|_| j.percent_decimals)),
                    baseline: judged.as_ref().and_then(|j| j.progress.map(|_| baseline.map(|b| b.1))).flatten(),
                    progress_from_baseline: judged.as_ref().and_then(|j| j.progress),
                    progress_decimals: judged.as_ref().and_then(|j| j.progress.map(|_| j.progress_decimals)),
                    // A bound's gap is not the whole's (round 10, F2, F3).
                    gap: judged.as_ref().filter(|_| proof.is_none()).and_then(|j| j.gap),
                    gap_decimals: judged
                        .as_ref()
                        .filter(|j| proof.is_none() && j.gap.is_some())
                        .map(|j| j.gap_decimals),
                    units_below: headline.then(|| self.units_below(points, &target, compared, baseline)).flatten(),
                }
            })
            .collect()
    }

    /// The complete, shown sum of the units below for `target`'s own period, judged against it, where the value
    /// `compared` (decided on the unit's own reports) is of another period ([`TargetResult::units_below`]).
    fn units_below(
        &self,
        points: &[RawPoint],
        target: &crate::model::Target,
        compared: Option<&RawPoint>,
        baseline: Option<(Period, f64)>,
    ) -> Option<UnitsBelow> {
        if compared.is_some_and(|p| p.period == target.period) {
            return None;
        }
        let sum = points.iter().find(|p| {
            p.period == target.period
                && p.from_children
                && !p.partial
                && p.coverage.as_ref().is_none_or(|c| c.complete)
                && self.visible(self.state("", p.period))
                && !self.indicator.beyond_limit(p.value)
        })?;
        let judged = self.judge(sum, target, baseline.map(|b| b.1))?;
        Some(UnitsBelow { period: sum.period, value: sum.value, decimals: judged.decimals, met: judged.met })
    }

    /// A value against a target, decided exactly, with the decimals each figure needs so that what is shown
    /// cannot contradict it: the value against the target, the percent of target and the progress from the
    /// baseline against 100.
    fn judge(&self, point: &RawPoint, target: &crate::model::Target, baseline: Option<f64>) -> Option<Judged> {
        let latest = self.exact(point)?;
        let value = exact::decimal(target.value)?;
        let comparator = target.comparator;
        let hundred = exact::Exact::from_integer(100.into());
        let at_least = self.indicator.decimals;
        // A coded value (a scale's level, yes/no) has no percent of target or progress: its codes are labels in
        // order, and a ratio of them means nothing (round 66, found by a verifier).
        let coded = self.indicator.is_coded();
        let percent = exact::percent_of_target(comparator, &latest, &value).filter(|_| !coded);
        let progress = if coded || exact::percent_applies(comparator, &value) {
            None
        } else {
            baseline
                .and_then(exact::decimal)
                .and_then(|base| exact::progress_from_baseline(comparator, &latest, &base, &value))
        };
        // A percent of target or a progress stands on its side of 100 as decided, and off 0 and 100 when it is not
        // there (0.04 % of the way, never 0.0 %).
        // A figure beyond ±10^15 (a value over a target of 1e-15) is none: it read "inf% of target" (round 70).
        let figure = |exact: &Option<exact::Exact>| {
            exact.as_ref().map(|e| (e, exact::to_f64(e))).filter(|(_, shown)| shown.abs() <= points::VALUE_BOUND).map(
                |(e, shown)| {
                    let off = share::share_decimals(shown, Some(e), 1).min(share::SHARE_MAX_DECIMALS);
                    (shown, exact::decimals_to_show(shown, e, &hundred, 1).max(off))
                },
            )
        };
        let mut decimals = exact::decimals_to_show(point.value, &latest, &value, at_least);
        if self.indicator.is_percentage() {
            let off = share::share_decimals(point.value, Some(&latest), at_least);
            decimals = decimals.max(off.min(share::SHARE_MAX_DECIMALS.max(at_least)));
        }
        let (percent, percent_decimals) = figure(&percent).unzip();
        let (progress, progress_decimals) = figure(&progress).unzip();
        // The gap runs to the first value that meets the target at the decimals the value is shown with, and is
        // shown with those (or the target's) decimals or more, never as 0 beside "not met".
        let (gap, gap_decimals) = if coded {
            (levels_short(self.indicator, point.value, comparator, &value), 0)
        } else {
            let gap = exact::gap(comparator, &latest, &value, decimals);
            let at_least = decimals.max(exact::target_decimals(target.value, at_least));
            (Some(exact::to_f64(&gap)), exact::gap_decimals(&gap, at_least))
        };
        Some(Judged {
            met: exact::holds(comparator, &latest, &value),
            decimals,
            gap,
            gap_decimals,
            percent,
            percent_decimals: percent_decimals.unwrap_or(1),
            progress,
            progress_decimals: progress_decimals.unwrap_or(1),
        })
    }
}

/// The fewest levels of `indicator`'s scale that a coded value `latest` must move to meet a target (0 when it
/// does); `None` for a yes/no (met or not says it all), a value off the scale, or a target no level meets.
fn levels_short(indicator: &Indicator, latest: f64, comparator: Comparator, target: &exact::Exact) -> Option<f64> {
    if indicator.measure != Measure::Ordinal {
        return None;
    }
    (indicator.scale.iter())
        .filter(|level| exact::decimal(level.value).is_some_and(|code| exact::holds(comparator, &code, target)))
        .filter_map(|level| indicator.levels_between(latest, level.value))
        .map(f64::abs)
        .reduce(f64::min)
}

/// A value judged against a target (see [`ResultContext::judge`]).
struct Judged {
    met: bool,
    decimals: u8,
    /// [`exact::gap`] (for a scale, [`levels_short`]), and the decimals it is shown with ([`exact::gap_decimals`]).
    gap: Option<f64>,
    gap_decimals: u8,
    percent: Option<f64>,
    percent_decimals: u8,
    progress: Option<f64>,
    progress_decimals: u8,
}

/// One indicator at one unit: its published series and breakdowns, latest value, assessments, status and targets.
#[allow(clippy::too_many_arguments)]
pub(super) fn indicator_result(
    catalogue: &Catalogue,
    store: &ObservationStore,
    settings: &EvaluationSettings,
    indicator: &Indicator,
    unit: &str,
    points: &[RawPoint],
    (targets, every_target): (Vec<PlanTarget>, &[PlanTarget]),
    states: &HiddenValues,
    (failure, failed_points, noted_gaps): (Option<String>, Vec<FailedPoint>, Vec<NotedGap>),
    breakdowns: &[RawBreakdown],
    (kinds, notes): (&sources::SourceKinds, &RowNotes),
    (boundaries, contested, hidden_zeros): (Option<&Boundaries>, &[Period], &[Period]),
) -> IndicatorResult {
    let over_time = range_parts::over_time(catalogue, indicator);
    // The targets of the final period decide together, in the order `targets_for` gives (never the file's).
    let final_period = targets.last().map(|(_, t)| t.period);
    let headlines: Vec<(&str, &crate::model::Target)> =
        targets.iter().filter(|(_, t)| Some(t.period) == final_period).map(|(plan, t)| (plan.as_str(), t)).collect();
    let plan = headlines.first().and_then(|(plan, _)| catalogue.plans.get(*plan)).map(|plan| plan.period);
    let area_changes = boundaries.map_or(&[][..], |b| &b.area_changes[..]);
    let context = ResultContext {
        catalogue,
        store,
        settings,
        indicator,
        unit,
        states,
        kinds,
        notes,
        over_time,
        plan,
        area_changes,
        contested,
        hidden_zeros,
    };
    // A count summed over time whose range target has no value of its own is shown and decided on the longest run of
    // its parts, a period of its own in the series.
    let with_chain: Vec<RawPoint>;
    let headline_targets: Vec<&crate::model::Target> = headlines.iter().map(|h| h.1).collect();
    let points = match context.range_chain(points, &headline_targets) {
        Some(chain) => {
            with_chain = range_parts::with_point(points, chain);
            &with_chain[..]
        }
        None => points,
    };
    let mut series = context.series(points, "", &[]);
    context.decimals_beside(&mut series, points, every_target);
    let total_points = points;
    let breakdowns: Vec<Breakdown> = breakdowns
        .iter()
        .map(|(category, option, points)| {
            let mut series = context.series(points, &format!("{category}={option}"), total_points);
            // An option's values are read against no target, but a percentage's stay off 0 and 100.
            context.decimals_beside(&mut series, points, &[]);
            Breakdown {
                category: category.clone(),
                option: option.clone(),
                series,
                not_computed_blends: Vec::new(),
                zero_denominators: Vec::new(),
            }
        })
        .collect();
    // A hidden zero denominator is a candidate of the period rule as any hidden value is, so that which value is
    // decided says nothing of it (round 70, found by an adversarial tester: the decision fell back to 2023 beside a
    // hidden 2024 over 0, which under `supported <= victims` pinned the hidden victims at 0).
    let with_zeros: Vec<RawPoint>;
    let deciding = if hidden_zeros.iter().all(|z| points.iter().any(|p| p.period == *z)) {
        points
    } else {
        with_zeros = hidden_alike::with_placeholders(points, hidden_zeros);
        &with_zeros[..]
    };
    let decided = context.decide(deciding, &headline_targets);
    let latest = decided.latest.and_then(|raw| series.iter().find(|p| p.period == raw.period).cloned());
    let assessments = context.assessments_against_all(catalogue, &decided, &headlines);
    let status = if failure.is_some() {
        Status::InsufficientData
    } else if targets.is_empty() {
        Status::NotAssessed
    } else {
        assessments.iter().find(|a| a.method == settings.method).map_or(Status::InsufficientData, |a| a.status)
    };
    IndicatorResult {
        indicator: indicator.id.clone(),
        code: indicator.code.clone(),
        org_unit: unit.to_owned(),
        measure: indicator.measure,
        direction: indicator.direction,
        series,
        latest,
        targets: context.targets(catalogue, points, targets, (decided.latest, decided.from_parts)),
        status,
        method: settings.method,
        assessments,
        failure,
        failed_points,
        noted_gaps,
        zero_denominators: Vec::new(),
        not_computed_blends: Vec::new(),
        breakdowns,
        split_from: boundaries.map(|b| b.split_from.clone()).unwrap_or_default(),
        comparable_from: boundaries.and_then(|b| b.comparable_from),
        values_as_fractions: false,
        earlier: Vec::new(),
    }
}

/// Every indicator result at every output unit, in catalogue then unit order; a unit without values, targets or a
/// failure has no result.
#[allow(clippy::too_many_arguments)]
pub(super) fn assemble(
    catalogue: &Catalogue,
    store: &ObservationStore,
    settings: &EvaluationSettings,
    (units, periods): (&[String], &[Period]),
    raw: &RawValues,
    states: &HiddenValues,
    kinds: &sources::SourceKinds,
    (boundaries, contested): (&BTreeMap<String, Boundaries>, &super::contested::Contested),
) -> Vec<IndicatorResult> {
    let mut indicators = Vec::new();
    let notes = RowNotes::new(store, units);
    for indicator in catalogue.indicators.values() {
        // Every value is shown with decimals that keep it on its side of every target known for the indicator: the
        // next programme's too (an end-of-term review hands its last values over as that programme's baselines),
        // and the country's beside a province's (comparisons draw the national target across the provinces).
        let every_target: Vec<PlanTarget> = targets_for(catalogue, &indicator.id, None, (settings.as_of, None, None));
        let zero_is_public = zero_is_public(catalogue, settings, indicator);
        for unit in units {
            let key = (indicator.id.clone(), unit.clone());
            let Some(points) = raw.points.get(&key) else { continue };
            let targets = targets_for(
                catalogue,
                &indicator.id,
                Some(unit),
                (settings.as_of, settings.period, settings.plan.as_deref()),
            );
            let failed_points = raw.failed_points.get(&key).cloned().unwrap_or_default();
            let noted_gaps = raw.noted_gaps.get(&key).cloned().unwrap_or_default();
            let zeros = raw.zero_denominators.get(&key).map_or(&[][..], Vec::as_slice);
            let blends = raw.blended_periods.get(&key).cloned().unwrap_or_default();
            let zero_denominators =
                if zero_is_public || settings.show_suppressed { zeros.to_vec() } else { Vec::new() };
            let hidden_zeros = if zero_is_public || settings.show_suppressed { &[][..] } else { zeros };
            // A value reported by its options only (W355) has its options to show, target or not.
            let options = raw.breakdowns.get(&key).is_some_and(|b| b.iter().any(|(.., points)| !points.is_empty()));
            if points.is_empty()
                && !options
                && targets.is_empty()
                && failed_points.is_empty()
                && noted_gaps.is_empty()
                && zeros.is_empty()
                && blends.is_empty()
                && !raw.failures.contains_key(&indicator.id)
            {
                continue;
            }
            let mut result = indicator_result(
                catalogue,
                store,
                settings,
                indicator,
                unit,
                points,
                (targets, &every_target),
                states,
                (raw.failures.get(&indicator.id).cloned(), failed_points, noted_gaps),
                raw.breakdowns.get(&key).map_or(&[][..], Vec::as_slice),
                (kinds, &notes),
                (boundaries.get(unit), &contested.of(indicator, unit), hidden_zeros),
            );
            result.zero_denominators = zero_denominators;
            result.not_computed_blends = blends;
            for ((category, option), blends) in raw.breakdown_blends.get(&key).into_iter().flatten() {
                let at = |b: &&mut Breakdown| b.category == *category && b.option == *option;
                if let Some(breakdown) = result.breakdowns.iter_mut().find(at) {
                    breakdown.not_computed_blends.clone_from(blends);
                }
            }
            for ((category, option), zeros) in raw.breakdown_zeros.get(&key).into_iter().flatten() {
                let at = |b: &&mut Breakdown| b.category == *category && b.option == *option;
                if let Some(breakdown) = result.breakdowns.iter_mut().find(at)
                    && (zero_is_public || settings.show_suppressed)
                {
                    // Said as the total's are (round 73, found by an adversarial tester: "no data" for women in a
                    // year every province reported 0 female victims and 0 supported).
                    breakdown.zero_denominators.clone_from(zeros);
                }
            }
            if !zero_is_public && !settings.show_suppressed {
                // The hidden zero is shown as any hidden count is: "no data" beside a unit known to have reported
                // would give it away (round 64, found by a review helper).
                hide_zeros(&mut result.series, zeros, periods);
                // So is a breakdown option's (a province's female share over 0 female victims was missing where
                // every other's read "suppressed"; round 65, found by a verifier).
                for ((category, option), zeros) in raw.breakdown_zeros.get(&key).into_iter().flatten() {
                    let at = |b: &&mut Breakdown| b.category == *category && b.option == *option;
                    if let Some(breakdown) = result.breakdowns.iter_mut().find(at) {
                        hide_zeros(&mut breakdown.series, zeros, periods);
                    }
                }
            }
            // An option kept only for its place, whose zeros are not shown as hidden, has nothing to show; one whose
            // values were refused as blends says so where they would be (round 67, found by a verifier: an option
            // with no other value read "no data").
            result.breakdowns.retain(|b| !b.shows_nothing());
            indicators.push(result);
        }
    }
    indicators
}

/// Adds a suppressed point to `series` for each period of `zeros` (a denominator of 0 read from a hidden zero) that
/// has none, keeping the series in the order of `periods`.
fn hide_zeros(series: &mut Vec<Point>, zeros: &[Period], periods: &[Period]) {
    let before = series.len();
    for &period in zeros {
        if series.iter().all(|point| point.period != period) {
            series.push(super::hidden_alike::suppressed(period));
        }
    }
    if series.len() > before {
        series.sort_by_key(|point| periods.iter().position(|p| *p == point.period));
    }
}

/// Whether saying that `indicator`'s denominator is 0 gives nothing hidden away: zeros are published, or its
/// denominator reads no sensitive count.
fn zero_is_public(catalogue: &Catalogue, settings: &EvaluationSettings, indicator: &Indicator) -> bool {
    let Formula::Expression { denominator: Some(denominator), .. } = &indicator.formula else { return true };
    !settings.suppress_zeros || denominator.elements().iter().all(|r| !catalogue.is_sensitive(&r.element))
}

/// Counts of results by status, of suppressed and partial points, of findings and of failures.
pub(super) fn summarise(indicators: &[IndicatorResult], violations: usize) -> Summary {
    let mut summary = Summary { results: indicators.len(), violations, ..Summary::default() };
    for result in indicators {
        *summary.by_status.entry(result.status).or_default() += 1;
        summary.suppressed_points += result.series.iter().filter(|p| p.state == ValueState::Suppressed).count();
        summary.partial_points +=
            result.series.iter().filter(|p| p.coverage.as_ref().is_some_and(|c| !c.complete)).count();
        summary.failed += usize::from(result.failure.is_some() || !result.failed_points.is_empty());
    }
    summary
}

/// The org units results are given for: the country- and province-level units, or those asked for.
pub(super) fn output_units(catalogue: &Catalogue, settings: &EvaluationSettings) -> (Vec<String>, Vec<String>) {
    let all_units: Vec<String> = catalogue
        .org_units
        .values()
        .filter(|u| matches!(u.level, OrgUnitLevel::Country | OrgUnitLevel::Province))
        .map(|u| u.id.clone())
        .collect();
    let mut units = if settings.org_units.is_empty() { all_units.clone() } else { settings.org_units.clone() };
    units.sort();
    units.dedup();
    (all_units, units)
}
