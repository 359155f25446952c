//! Every method's assessment of one indicator at one unit against its headline target: the trajectory read from the
//! plan's own years, then what tiendo's rules settle whatever the method says (a value of the target's own period,
//! a part of a plan's range, a unit that ended, a period over), and what publication withholds (a trend that reads
//! a hidden value).

use super::*;

impl ResultContext<'_> {
    /// Every method's assessment of the trend against the headline (last) target, from the plan's baseline for this
    /// unit if any; not assessed in published output when the trend or the latest value is suppressed (a growth rate
    /// or the side of the target would publish it in another form).
    pub(super) fn assessments(
        &self,
        catalogue: &Catalogue,
        decided: &Decided<'_>,
        headline: Option<(&str, &crate::model::Target)>,
    ) -> Vec<Assessment> {
        let (trend, latest) = (&decided.trend[..], decided.latest);
        // The trend reads the plan's own years only, with the plan's baseline as its base: a value from before the
        // plan began (2019 beside a 2021-2025 programme) is no base for it, as `eval --plan` never reads it (review
        // of 6 December, helper 5, problem 2: the two runs disagreed).
        let begins = headline.and_then(|(plan, _)| catalogue.plans.get(plan)).map(|plan| plan.period.start());
        let trend = &trend[trend.iter().take_while(|p| begins.is_some_and(|b| p.period.end() < b)).count()..];
        let indicator = self.indicator;
        // A year is placed at the year in which it ends, as Vietnamese reports name a judicial year (the same for a
        // calendar year).
        // A scale's values are read as the positions of their levels, never as codes (`scale_position`): its
        // growth or slope in codes would depend on how it was coded.
        let scaled = indicator.measure == Measure::Ordinal && !indicator.scale.is_empty();
        let read = |value: f64| if scaled { indicator.scale_position(value) } else { value };
        let trajectory_series: Vec<(f64, f64)> =
            trend.iter().map(|p| (f64::from(p.period.end().year()), read(p.value))).collect();
        // A baseline from a year not before the trend's last (one set after the data ends) is no base for a trend:
        // the series' first value is, as without a baseline.
        let last_year = trajectory_series.last().map(|p| p.0);
        let base = self
            .baseline(catalogue, headline)
            .map(|(period, value)| (f64::from(period.end().year()), value))
            .filter(|base| last_year.is_some_and(|last| base.0 < last));
        let plan = headline.and_then(|(plan, _)| catalogue.plans.get(plan));
        let headline = headline.map(|(_, target)| target);
        let target_spec = headline.map(|t| progress::TargetSpec {
            comparator: t.comparator,
            value: t.value,
            year: f64::from(t.period.end().year()),
        });
        let trajectory = progress::Trajectory {
            series: &trajectory_series,
            base: base.map(|(year, value)| (year, read(value))),
            target: target_spec.map(|spec| progress::TargetSpec { value: read(spec.value), ..spec }),
            direction: indicator.direction,
            limit: indicator.limit.or((indicator.measure == Measure::Percent).then_some(100.0)).map(read),
            percentage: indicator.is_percentage(),
            latest_met: target_spec.as_ref().and_then(|spec| self.met(trend.last()?, spec)),
            base_met: target_spec.as_ref().and_then(|spec| match base {
                Some((_, value)) => Some(progress::target_met(value, spec)),
                None => self.met(trend.first()?, spec),
            }),
        };
        let hides_suppressed = !self.settings.show_suppressed
            && (trend.iter().any(|p| !self.visible(self.state("", p.period)))
                || latest.is_some_and(|p| !self.visible(self.state("", p.period))));
        // Only a projection: a value of the target's own period (the ended unit's whole part of it) or a proof from
        // the parts of a range still decides.
        let projected =
            !decided.from_parts && headline.is_some_and(|t| latest.is_none_or(|p| p.period.end() < t.period.end()));
        let ended = headline.filter(|_| projected).and_then(|target| self.ended_before(catalogue, target));
        let unsettled = headline.filter(|_| projected).and_then(|target| self.unsettled(target, plan, latest));
        // A partial value is a verdict where the policy lets it decide as it stands (`flag`) and it is no bound of
        // the whole (a ratio of the units that report both parts), or a bound that proves the miss: it misses for
        // every method alike (round 73, found by an adversarial tester: Open SDG said "at risk" beside 86.0 %
        // (partial) against `>= 90` for 2024, ended, where every other method said "not achieved"). A count from
        // part of the units below `>= 100` proves nothing: what is missing can only add to it.
        let partial_misses = |p: &RawPoint| {
            self.settings.coverage == CoveragePolicy::Flag
                && headline.is_some_and(|t| matches!(self.proof(p, t, false), None | Some(range_parts::Proof::Missed)))
        };
        let missed_when_due = !projected
            && !decided.from_parts
            && latest.is_some_and(|p| !p.partial || partial_misses(p))
            && latest.zip(target_spec.as_ref()).is_some_and(|(p, spec)| self.met(p, spec) == Some(false));
        // The value of the target's own period, published and whole, settles it alone: a verdict that tells nothing
        // of a hidden earlier value, which withholds only readings of the trend (round 72, found by a verifier: a
        // hidden 2023 made "30 against <= 20 in 2025" insufficient data, "0 not achieved").
        let due_verdict = !projected
            && !decided.from_parts
            && latest.is_some_and(|p| !p.partial && self.visible(self.state("", p.period)))
            && latest.zip(target_spec.as_ref()).is_some_and(|(p, spec)| self.met(p, spec).is_some());
        Method::ALL
            .into_iter()
            .map(|method| {
                let mut assessment = progress::assess(method, &trajectory);
                if scaled {
                    let levels = indicator.scale.len();
                    assessment
                        .explanation
                        .push_str(&format!(" (the scale's levels read as 1 to {levels}, not as its codes)"));
                }
                // A part of a plan's range decides only what it proves about the whole range.
                if (decided.from_parts || latest.is_some_and(|p| p.partial))
                    && let (Some(point), Some(target)) = (latest, headline)
                {
                    self.decide_on_parts(&mut assessment, point, target, decided.from_parts);
                } else if assessment.status == Status::InsufficientData
                    && let (Some(point), Some(spec)) = (latest, target_spec.as_ref())
                {
                    let met = self.met(point, spec);
                    let value = point.value;
                    let (symbol, target) = (spec.comparator.symbol(), spec.value);
                    if met == Some(true) {
                        assessment.status = Status::Achieved;
                        assessment.explanation = format!("the latest value {value} meets the target {symbol} {target}");
                    } else if trend.is_empty() {
                        assessment.explanation = format!(
                            "{}; the value decided ({value}, {}) does not meet the target {symbol} {target}",
                            assessment.explanation, point.period
                        );
                    }
                }
                // A trend projected to the end of a period the unit never reaches (a province merged away on 1 July
                // 2025, against its 2025 target) is no reading of it: the unit's own data cannot settle the target.
                if let Some(explanation) = ended.as_ref().filter(|_| {
                    matches!(assessment.status, Status::OnTrack | Status::NeedsAcceleration | Status::OffTrack)
                }) {
                    assessment.status = Status::InsufficientData;
                    assessment.score = None;
                    assessment.explanation.clone_from(explanation);
                }
                // A value of the target's own period that misses it is a verdict under every method: Open SDG's
                // trend reading (the one method whose own measure does not stop at the target's year) is moot once
                // that value is known (review of 6 December, helper 1, F1; methodology 4.2), and so is its reading
                // of a single point as "not available" (a plan's range with no value a year earlier inside the plan).
                if missed_when_due
                    && matches!(
                        assessment.status,
                        Status::OnTrack | Status::NeedsAcceleration | Status::InsufficientData
                    )
                    && let (Some(point), Some(spec)) = (latest, target_spec.as_ref())
                {
                    assessment.status = Status::OffTrack;
                    assessment.explanation = format!(
                        "the target {} {} was due in {} and its value ({}) does not meet it, whatever the trend \
                         (tiendo's rule for every method)",
                        spec.comparator.symbol(),
                        spec.value,
                        point.period,
                        point.value
                    );
                }
                // Nor is one to a period already past, an earlier value "met so far" once the period it stood in
                // for is over, or a value from before the plan began (review of 6 December, helper 1, F2 and F3).
                let open = !matches!(assessment.status, Status::NotAssessed | Status::InsufficientData);
                if let Some(explanation) = unsettled.as_ref().filter(|_| open) {
                    assessment.status = Status::InsufficientData;
                    assessment.score = None;
                    assessment.explanation.clone_from(explanation);
                }
                if hides_suppressed {
                    let verdict = due_verdict && matches!(assessment.status, Status::Achieved | Status::OffTrack);
                    withhold_trend(&mut assessment, verdict.then_some(latest.zip(target_spec.as_ref())).flatten());
                }
                assessment
            })
            .collect()
    }
}

/// Withholds from `assessment` what a hidden value of its series could be read from. With `verdict` (the value of the
/// target's own period, published and whole, and the target it settles: round 72, found by a verifier), the verdict
/// stands in words of that value and target only, without a score or details; otherwise nothing is assessed.
fn withhold_trend(assessment: &mut Assessment, verdict: Option<(&RawPoint, &progress::TargetSpec)>) {
    assessment.score = None;
    assessment.details = Vec::new();
    match verdict {
        Some((point, spec)) => {
            let meets = if assessment.status == Status::Achieved { "meets" } else { "does not meet" };
            assessment.explanation = format!(
                "the value of the target's own period ({}, {}) {meets} the target {} {}; the series has suppressed \
                 values, so nothing of its trend is published",
                point.value,
                point.period,
                spec.comparator.symbol(),
                spec.value
            );
        }
        None => {
            assessment.status = Status::InsufficientData;
            assessment.explanation = "not assessed in published output: the series has suppressed values".to_owned();
        }
    }
}
