//! Builds a [`Review`] from the catalogue and the evaluation results: the glue between `tiendo_core::eval` and the
//! view model.
//!
//! Nothing here invents a figure. Values, changes on the same period last year, statuses, suppression, validation
//! findings, completeness and plugin results come from the [`Evaluation`]; names, targets, baselines, activities
//! and sources come from the [`Catalogue`]. What neither holds (a heading, the method's name) is fixed text.
//!
//! Synthetic data (sources of kind [`tiendo_core::SourceKind::Synthetic`]) stays visible as such and apart from real figures:
//! every series point, province comparison, disaggregation row and plugin value built from it is flagged, cites the
//! synthetic source and carries a note; [`Review::synthetic`] lists them for the first page. Unless the whole
//! project is synthetic, no headline, "latest" value, percentage of target or status rests on a synthetic value.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike as _, NaiveDate};
use tiendo_core::eval::known::{plan_known_on, sources_after};
use tiendo_core::eval::{Basis, Evaluation, IndicatorResult, Method, Point, TargetResult, ValueState, exact};
use tiendo_core::{Catalogue, Formula, Lang, Measure, OrgUnitLevel, Period, PeriodType, Plan, Text};

use crate::figures::{Results, is_partial, point_value, synthetic_note, target_ranges, window_series};
use crate::model::{
    ActivityProgress, Caution, ChangeView, Confidentiality, Cover, Disaggregation, DisaggregationOption,
    DisaggregationRow, Disagreement, DocumentInfo, Headline, IndicatorReview, InputDigest, MethodNote, PlanRef,
    PluginFailureRow, PluginMetricRow, ProvinceMap, ProvinceValue, ProvincialComparison, Review, ReviewKind,
    SeriesPoint, Status, SyntheticData, TargetView, Value,
};
use crate::render::ReportError;

#[path = "build_evidence.rs"]
mod evidence;
#[path = "build_gaps.rs"]
mod gaps;
#[path = "build_headline.rs"]
mod headline;
#[path = "build_hidden.rs"]
mod hidden;
#[path = "build_plugins.rs"]
mod plugin_tables;
#[path = "build_provinces.rs"]
mod provinces;
#[path = "build_quality.rs"]
mod quality;
#[path = "build_regions.rs"]
mod regions;
#[path = "build_summary.rs"]
mod summary;
#[path = "build_unit_targets.rs"]
mod unit_targets;
use headline::latest_and_target;
use plugin_tables::plugins;
use provinces::{disaggregations, provincial_comparisons};
use quality::{completeness, violations};
use summary::{cautions, findings, headlines};

/// The first day on which the 34 provinces of the 2025 merger are valid.
fn merger_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("1 July 2025 is a valid date")
}

/// What the caller knows that neither the catalogue nor the evaluation holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewInput {
    /// The programme or plan under review, e.g. `qd-193-2021`.
    pub plan: String,
    /// The review window, e.g. `2021..2023`; values after it are left out.
    pub window: Period,
    pub as_of: NaiveDate,
    /// The sha256 of every input file, in path order.
    pub inputs: Vec<InputDigest>,
    /// The tool's name and version, e.g. `tiendo 0.1.0`.
    pub generator: String,
    /// Counts of victims below this are suppressed (as the evaluation applied it).
    pub threshold: u32,
    /// The assessment method that gave the statuses.
    pub method: Method,
    /// Mid-term or end-of-term; `None` for the kind the window implies ([`ReviewKind::from_window`]).
    pub kind: Option<ReviewKind>,
    /// The review as a document (the project's `[review]`).
    pub document: DocumentInfo,
    /// Each plugin's own description (its `plugin-info`), by plugin id, as the host read it: the plugin annex names
    /// a plugin by it (the part before the first colon), never by its id. Empty without plugins or a host.
    pub plugin_names: BTreeMap<String, String>,
}

/// Builds the whole review of `input.plan` over `input.window` from `evaluation`.
pub fn build_review(
    catalogue: &Catalogue,
    evaluation: &Evaluation,
    input: &ReviewInput,
) -> Result<Review, ReportError> {
    let plan = catalogue.plans.get(&input.plan).ok_or_else(|| ReportError::UnknownPlan(input.plan.clone()))?;
    let later = sources_after(catalogue, input.as_of);
    if !plan_known_on(plan, &later, input.as_of) {
        return Err(ReportError::PlanAfterAsOf {
            plan: plan.number.clone().unwrap_or_else(|| plan.id.clone()),
            adopted: plan.adopted_on.map_or_else(|| format!("source `{}`", plan.source), |d| d.to_string()),
            as_of: input.as_of,
        });
    }
    let unit_name = org_unit_name(catalogue, &plan.org_unit);
    let programme = programme_of(catalogue, plan);
    let results = Results::new(catalogue, evaluation);

    let kind = input.kind.unwrap_or_else(|| ReviewKind::from_window(input.window, programme.period));
    let opening = kind.title();
    let cover = Cover {
        kind,
        document: input.document.clone(),
        title: Text::new(format!("{}: {}", opening.vi, plan.title.vi), format!("{}: {}", opening.en, plan.title.en)),
        programme: programme.title.clone(),
        programme_number: programme.number.clone(),
        programme_period: programme.period,
        plan: (programme.id != plan.id).then(|| PlanRef::from_plan(plan)),
        org_unit: unit_name,
        window: input.window,
        as_of: input.as_of,
        inputs: {
            let audit = &evaluation.disclosure;
            let hides = audit.primary + audit.secondary + audit.unshown_small + audit.withheld > 0;
            input.inputs.iter().map(|digest| digest.as_published(hides)).collect()
        },
        generator: input.generator.clone(),
    };
    let confidentiality = Confidentiality {
        threshold: input.threshold,
        // Counted once every table is built ([`hidden::hidden_cells`]).
        suppressed_cells: 0,
        audit: Some(evaluation.disclosure.clone()),
        note: None,
        protects: catalogue.any_sensitive(),
    };
    let mut review = Review::new(cover, confidentiality);
    // Only what existed on the as-of date: a later source is neither listed nor cited (evaluation has left its
    // figures out), a later plan is not shown.
    review.sources = crate::from_core::sources_known_on(catalogue, input.as_of);

    let indicator_ids = plan_indicators(catalogue, plan);
    review.indicators =
        indicator_ids.iter().filter_map(|id| indicator_review(catalogue, plan, &results, id, input)).collect();
    for indicator in &mut review.indicators {
        // No value at all in the window is "no data", told apart from insufficient data everywhere.
        let latest = indicator.latest.as_ref().map(|l| l.value);
        let nothing = indicator.series.iter().all(|point| point.value == crate::model::Value::Missing);
        let elsewhere = indicator.latest_elsewhere.is_some();
        if indicator.status == Status::NoData
            && nothing
            && !elsewhere
            && latest.is_none_or(|v| v == crate::model::Value::Missing)
        {
            indicator.status = Status::NoValue;
        }
    }
    review.summary.headlines = headlines(catalogue, &indicator_ids, &results, &plan.org_unit, input.window);
    review.provincial_comparisons =
        provincial_comparisons(catalogue, &indicator_ids, &results, input.window, input.as_of);
    review.disaggregations = disaggregations(catalogue, &indicator_ids, &results, &plan.org_unit, input.window);
    review.plugins = plugins(catalogue, &results, evaluation, input.window, &input.plugin_names);
    review.synthetic = synthetic_data(&review, results.wholly_synthetic);
    review.summary.findings = findings(&review);
    review.activities = activities(catalogue, input.window, input.as_of);
    let quality = &mut review.data_quality;
    (quality.completeness, quality.silent, quality.not_received) = completeness(catalogue, evaluation);
    review.data_quality.violations = violations(catalogue, evaluation, input.window);
    review.data_quality.findings_at_suppressed_not_listed = evaluation.findings_at_suppressed_not_listed(catalogue);
    review.data_quality.unchecked_checks =
        evaluation.unchecked.iter().filter(|(_, _, period)| input.window.contains(period)).count();
    review.data_quality.cautions = cautions(catalogue, &results, &plan.org_unit, input.window);
    review.data_quality.disagreements = disagreements(evaluation);
    review.methodology = methodology(input, &review);
    review.data_gaps = gaps::data_gaps(catalogue, &review, (input.window.end().min(input.as_of), input.as_of));
    review.evidence = evidence::evidence(catalogue, &review, &results, &plan.org_unit, input);
    review.confidentiality.suppressed_cells = hidden::hidden_cells(&review, &plan.org_unit);
    Ok(review)
}

/// A period for prose: whole years as `2021-2023`, anything else by its id.
fn period_text(period: Period) -> String {
    let (start, end) = (period.start(), period.end());
    if start.ordinal() == 1 && end.month() == 12 && end.day() == 31 {
        if start.year() == end.year() { start.year().to_string() } else { format!("{}-{}", start.year(), end.year()) }
    } else {
        period.to_string()
    }
}

/// The programme a plan implements, following `implements` to the top (the plan itself when it implements none).
fn programme_of<'a>(catalogue: &'a Catalogue, plan: &'a Plan) -> &'a Plan {
    let mut current = plan;
    // A chain of plans is short; the bound protects against a cycle the loader should already have refused.
    for _ in 0..16 {
        match current.implements.as_deref().and_then(|id| catalogue.plans.get(id)) {
            Some(parent) => current = parent,
            None => break,
        }
    }
    current
}

fn org_unit_name(catalogue: &Catalogue, unit: &str) -> Text {
    catalogue.org_units.get(unit).map(|u| u.name.clone()).unwrap_or_else(|| Text::new(unit, unit))
}

/// The indicators of the plan and of the plans implementing it, in display order: work area order, then code.
fn plan_indicators(catalogue: &Catalogue, plan: &Plan) -> Vec<String> {
    let mut ids: BTreeSet<&str> = plan.indicators.iter().map(String::as_str).collect();
    for other in catalogue.plans.values() {
        if other.implements.as_deref() == Some(plan.id.as_str()) && other.org_unit == plan.org_unit {
            ids.extend(other.indicators.iter().map(String::as_str));
        }
    }
    let mut indicators: Vec<&tiendo_core::Indicator> =
        ids.iter().filter_map(|id| catalogue.indicators.get(*id)).collect();
    indicators.sort_by_key(|i| {
        let order = catalogue.work_areas.get(&i.group).map_or(i64::MAX, |w| w.order);
        (order, i.code.clone())
    });
    indicators.into_iter().map(|i| i.id.clone()).collect()
}

/// The review's status for evaluation's `status` against `target` (the one the status was decided against).
/// The methods' "off track" is "not achieved" only when the value compared settles the target (evaluation's
/// `TargetResult::verdict`: the target period's own value, or parts that already prove it missed): before that the
/// target may still be met, and the review says "off track" (methodology 4.2).
fn map_status(status: tiendo_core::eval::Status, target: Option<&TargetResult>) -> Status {
    use tiendo_core::eval::Status as Eval;
    match status {
        Eval::Achieved => Status::Achieved,
        Eval::OnTrack => Status::OnTrack,
        Eval::NeedsAcceleration => Status::AtRisk,
        Eval::OffTrack if target.is_some_and(|t| t.verdict) => Status::NotAchieved,
        Eval::OffTrack => Status::OffTrack,
        Eval::InsufficientData => Status::NoData,
        Eval::NotAssessed => Status::NotAssessed,
    }
}

/// What the review says beside a status the method decided against its target's line
/// ([`IndicatorReview::status_note`], evaluation's `IndicatorResult::against_target_line`); `None` where they agree
/// or the review shows no assessed status.
fn against_target_line(status: Status, result: &IndicatorResult) -> Option<Text> {
    if matches!(status, Status::NotAssessed | Status::NoData | Status::NoValue) {
        return None;
    }
    Some(match result.against_target_line()? {
        false => Text::new(
            "theo quy tắc riêng của phương pháp: giá trị đạt hoặc vượt mức mục tiêu; chưa đạt đúng mục tiêu như đã đặt",
            "by the method's own rule: the value is at or beyond the target; the target as set is not met",
        ),
        true => Text::new(
            "theo quy tắc riêng của phương pháp; mục tiêu như đã đặt đã đạt",
            "by the method's own rule; the target as set is met",
        ),
    })
}

/// Said beside the status of values that look like fractions written for percentages (W357): evaluation's words,
/// and a few for a chart's legend or another unit's verdict.
fn fractions_caution(result: &IndicatorResult) -> Option<crate::model::StatusCaution> {
    Some(crate::model::StatusCaution {
        words: result.fractions_caution()?,
        short: Text::new("giá trị giống phân số, W357", "values look like fractions, W357"),
    })
}

/// Said beside the status decided against a percentage target of 1 or less that is no upper bound (`>= 0.98`): read
/// as 0.98 %, almost surely 98 % written as a fraction, as W005 says on the terminal (round 72, found by a verifier:
/// "Achieved · 9,727.9% of target" beside 95.3 with nothing said).
fn target_as_fraction(review: &IndicatorReview) -> Option<crate::model::StatusCaution> {
    let target = review.target.as_ref()?;
    let lower = |t: &TargetView| {
        t.value <= 1.0 && !matches!(t.comparator, tiendo_core::Comparator::LessOrEqual | tiendo_core::Comparator::Less)
    };
    let fraction = review.measure == Measure::Percent && (lower(target) || target.and.iter().any(lower));
    let assessed = !matches!(review.status, Status::NoData | Status::NoValue | Status::NotAssessed);
    (fraction && assessed).then(|| crate::model::StatusCaution {
        words: Text::new(
            "mục tiêu không quá 1 của một tỷ lệ phần trăm: gần như chắc chắn là phân số viết thay cho phần trăm (0,98 thay cho 98 %), W005",
            "a percentage target of at most 1: almost surely a fraction written for a percentage (0.98 for 98 %), W005",
        ),
        short: Text::new("mục tiêu giống phân số, W005", "target looks like a fraction, W005"),
    })
}

/// Said beside the status of a value reported by its breakdown's options only, whose options add up to nothing (a
/// percentage by sex, W355): it has no value of its own, and its options are in the disaggregation tables (round
/// 72, found by an adversarial tester: "No data" beside a table of 85.0 and 65.0, and W355 nowhere in the review).
fn options_only(result: &IndicatorResult) -> Option<crate::model::StatusCaution> {
    let own = result.series.iter().any(|p| p.value.is_some() || p.state == tiendo_core::eval::ValueState::Suppressed);
    let options = result.breakdowns.iter().filter(|b| b.series.iter().any(|p| p.value.is_some())).count();
    (!own && options > 0).then(|| crate::model::StatusCaution {
        words: Text::new(
            "chỉ báo cáo theo từng nhóm phân tổ, không có giá trị chung: xem bảng phân tổ, W355",
            "reported by its breakdown's options only, with no value of its own: see the disaggregations, W355",
        ),
        short: Text::new("chỉ theo nhóm phân tổ, W355", "by its options only, W355"),
    })
}

/// The target the review assesses: the plan's target that the evaluation's status was decided against, else its
/// target for the window's last year, else its last target; a target of an implementing plan only when the plan
/// itself sets none.
fn assessed_target<'a>(targets: &'a [TargetResult], plan: &Plan, window: Period) -> Option<&'a TargetResult> {
    let own: Vec<&TargetResult> = targets.iter().filter(|t| t.plan == plan.id).collect();
    let pool = if own.is_empty() { targets.iter().collect() } else { own };
    // The target the status was decided against comes first, so that the status, the target, the latest value and
    // the percentage shown beside each other describe one period (evaluation's one period rule).
    pool.iter()
        .find(|t| t.decides_status)
        .or_else(|| pool.iter().find(|t| t.period.end() == window.end()))
        .or_else(|| pool.last())
        .copied()
}

fn indicator_review(
    catalogue: &Catalogue,
    plan: &Plan,
    results: &Results<'_>,
    id: &str,
    input: &ReviewInput,
) -> Option<IndicatorReview> {
    let result = results.get(id, &plan.org_unit);
    let mut review = IndicatorReview::from_catalogue(catalogue, id, Some(plan))?;
    let indicator = catalogue.indicators.get(id)?;
    // The agency responsible on the review's last day: a function that passed to a successor (victim support from
    // the labour ministry to Health in 2025) names the successor.
    let day = input.window.end().min(input.as_of);
    review.agency = indicator.agency.as_deref().map(|agency| {
        crate::from_core::agency_name(catalogue, catalogue.responsible_agency(agency, Some(&indicator.group), day))
    });
    if !indicator.measure.is_quantitative() {
        review.status = Status::NotAssessed;
        return Some(review);
    }
    let Some(result) = result else {
        review.status = if review.target.is_some() { Status::NoData } else { Status::NotAssessed };
        // The plan's targets for other units are said even where its own unit has no value (a percentage the
        // provinces report, which no sum gives the country: round 74, found by an adversarial tester, a province's
        // target met was in no part of the review).
        review.comment = unit_targets::other_units_comment(catalogue, plan, results, id, input);
        return Some(review);
    };
    review.series = window_series(result, input.window, &target_ranges(catalogue))
        .into_iter()
        .map(|p| results.series_point(result, p, &indicator.source))
        .collect();
    let target = assessed_target(&result.targets, plan, input.window);
    latest_and_target(catalogue, &mut review, (results, result), target, input, indicator);
    // The value the status was decided on is a row of the series too: a plan's own period (1 July - 31 December
    // 2025) beside the calendar year that holds it was in no table of the indicator's detail (round 63).
    if let Some(latest) = review.latest.clone().filter(|l| review.series.iter().all(|p| p.period != l.period)) {
        let at = review
            .series
            .partition_point(|p| (p.period.end(), p.period.start()) <= (latest.period.end(), latest.period.start()));
        review.series.insert(at, latest);
    }
    // A period whose matched parts have a denominator of 0 is a row too, "—" with why, never "no data" (round 64);
    // so is one whose value would blend synthetic with real figures (round 66).
    let zeros = result.zero_denominators.iter().map(|&p| (p, crate::figures::zero_denominator_note(p)));
    let blends = result.not_computed_blends.iter().map(|&p| (p, crate::figures::blend_note(p)));
    for (period, note) in zeros.chain(blends).filter(|(p, _)| input.window.contains(p)) {
        if review.series.iter().all(|p| p.period != period) {
            let at =
                review.series.partition_point(|p| (p.period.end(), p.period.start()) <= (period.end(), period.start()));
            review.series.insert(at, crate::figures::undefined_point(period, &indicator.source, note));
        }
    }
    review.status = if result.failure.is_some() || review.target.is_some() {
        map_status(result.status, target)
    } else {
        // A context count has no target: the evaluation's trajectory call is not an assessment against a target.
        Status::NotAssessed
    };
    let mut comments: Vec<Text> = Vec::new();
    comments.extend(withhold_synthetic_status(&mut review, (results, result), target));
    review.status_note = against_target_line(review.status, result);
    review.status_caution =
        options_only(result).or_else(|| fractions_caution(result)).or_else(|| target_as_fraction(&review));
    comments.extend(result_comments(catalogue, result, input));
    if review.series.iter().any(|p| p.synthetic) {
        comments.push(synthetic_note());
    }
    comments.extend(unit_targets::other_units_comment(catalogue, plan, results, id, input));
    // Last, so that the plans' citations follow it.
    comments.extend(implementing_plans_comment(catalogue, plan, result, input));
    for target in implementing_targets(plan, result, input) {
        if !review.comment_sources.contains(&target.source) {
            review.comment_sources.push(target.source.clone());
        }
    }
    if !comments.is_empty() {
        review.comment = Some(Text::new(
            comments.iter().map(|c| c.vi.as_str()).collect::<Vec<_>>().join(". "),
            comments.iter().map(|c| c.en.as_str()).collect::<Vec<_>>().join(". "),
        ));
    }
    Some(review)
}

/// The evaluation never gives a status that rests on synthetic values unless the whole project is synthetic.
/// Should one arrive anyway (the value compared with the target, or the latest value, is synthetic), it is not
/// published: the report withholds it rather than show a synthetic result as an assessment, and says why.
fn withhold_synthetic_status(
    review: &mut IndicatorReview,
    (results, result): (&Results<'_>, &IndicatorResult),
    target: Option<&TargetResult>,
) -> Option<Text> {
    let assessed = matches!(
        review.status,
        Status::Achieved | Status::OnTrack | Status::AtRisk | Status::OffTrack | Status::NotAchieved
    );
    let rests_on_synthetic = target.is_some_and(|t| results.cites_synthetic(&t.compared_sources))
        || result.latest.as_ref().is_some_and(|p| results.is_synthetic(p));
    if !(assessed && rests_on_synthetic && !results.wholly_synthetic) {
        return None;
    }
    review.status = Status::NoData;
    Some(Text::new(
        "Không đánh giá tình trạng: giá trị so sánh với mục tiêu là dữ liệu giả lập, không phải số liệu thật",
        "Status not assessed: the value compared with the target is synthetic data, not a real figure",
    ))
}

/// The targets of the plans implementing `plan` in the window, which the review lists beside the result. Evaluation
/// gives only the targets of plans known on the as-of date (`eval::known`).
fn implementing_targets<'r>(plan: &Plan, result: &'r IndicatorResult, input: &ReviewInput) -> Vec<&'r TargetResult> {
    result.targets.iter().filter(|t| t.plan != plan.id && input.window.overlaps(&t.period)).collect()
}

/// The targets of the implementing plans, by plan number, as the review lists them beside the result; cited by the
/// plans' sources (`IndicatorReview::comment_sources`), so that the list comes last in the comment.
fn implementing_plans_comment(
    catalogue: &Catalogue,
    plan: &Plan,
    result: &IndicatorResult,
    input: &ReviewInput,
) -> Option<Text> {
    let others = implementing_targets(plan, result, input);
    if others.is_empty() {
        return None;
    }
    // Each target exactly as configured, in the language's number format (never rounded: `TargetView`).
    let decimals = catalogue.indicators.get(&result.indicator).map_or(0, |i| i.decimals);
    // Each plan by its number, or its title where it has none (never its id), with its targets in order.
    let list = |lang: Lang| {
        let mut plans: Vec<(String, Vec<String>)> = Vec::new();
        for t in &others {
            let plan = catalogue.plans.get(&t.plan);
            let name = plan
                .and_then(|p| p.number.clone())
                .or_else(|| plan.map(|p| p.title.get(lang).to_owned()))
                .unwrap_or_else(|| t.plan.clone());
            let value = crate::format::number(t.value, exact::target_decimals(t.value, decimals), lang);
            let target = format!(
                "{} {} {value}",
                crate::format::period(t.period, lang),
                crate::render::comparator_symbol(t.comparator)
            );
            match plans.last_mut() {
                Some((last, targets)) if *last == name => targets.push(target),
                _ => plans.push((name, vec![target])),
            }
        }
        plans.iter().map(|(name, targets)| format!("{name}: {}", targets.join(", "))).collect::<Vec<_>>().join("; ")
    };
    Some(Text::new(
        format!("Mục tiêu của các kế hoạch triển khai: {}", list(Lang::Vi)),
        format!("Targets of the implementing plans: {}", list(Lang::En)),
    ))
}

/// What the review says beside an indicator's result: why it could not be computed, the periods a plugin answered
/// with a note and no value, the points that failed.
fn result_comments(catalogue: &Catalogue, result: &IndicatorResult, input: &ReviewInput) -> Vec<Text> {
    let mut comments = Vec::new();
    comments.extend(units_below_comment(catalogue, result));
    if let Some(failure) = &result.failure {
        comments.push(Text::new(format!("Không tính được: {failure}"), format!("Could not be computed: {failure}")));
    }
    for gap in result.noted_gaps.iter().filter(|g| input.window.contains(&g.period)) {
        let (period, note) = (&gap.period, &gap.note);
        comments.push(Text::new(
            format!("Không có giá trị cho {period}: {note}"),
            format!("No value for {period}: {note}"),
        ));
    }
    for failed in &result.failed_points {
        let (period, message) = (&failed.period, &failed.message);
        comments.push(Text::new(
            format!("Không tính được cho {period} ({}): {message}", failed.kind),
            format!("Could not be computed for {period} ({}): {message}", failed.kind),
        ));
    }
    comments
}

/// Beside a status decided on the unit's own reports of an earlier period: the complete sum of the units below for
/// the target's own period, and whether it meets the target (evaluation's `TargetResult::units_below`; round 46, an
/// end-of-term review said "on track" beside a complete 2025 total of 40 against `>= 100`).
fn units_below_comment(catalogue: &Catalogue, result: &IndicatorResult) -> Option<Text> {
    let target = result.targets.iter().find(|t| t.decides_status)?;
    let below = target.units_below.as_ref()?;
    let percent = catalogue.indicators.get(&result.indicator).is_some_and(|i| i.is_percentage());
    let value = |lang: Lang| {
        if percent {
            crate::format::share(below.value, below.decimals, lang)
        } else {
            crate::format::number(below.value, below.decimals, lang)
        }
    };
    let (period_vi, period_en) =
        (crate::format::period(below.period, Lang::Vi), crate::format::period(below.period, Lang::En));
    let (met_vi, met_en) = if below.met { ("đạt", "meets") } else { ("không đạt", "does not meet") };
    Some(Text::new(
        format!(
            "Tổng đầy đủ của các đơn vị cấp dưới cho {period_vi} là {}, {met_vi} chỉ tiêu; tình trạng được đánh giá trên số \
             liệu do chính đơn vị báo cáo, không dùng tổng này",
            value(Lang::Vi)
        ),
        format!(
            "The complete sum of the units below for {period_en} is {}, which {met_en} the target; the status is \
             assessed on the unit's own reports, not on this sum",
            value(Lang::En)
        ),
    ))
}

/// The activities a review over `window` made on `as_of` reports, by plan id then in the plan's order: those of
/// plans adopted by `as_of` (resting on no later source) whose deadline falls in the window (without a deadline:
/// whose plan's period overlaps it). An activity due before the window (a plan of 2018) or after it (a campaign of
/// 2025 in a review of 2021-2023) is outside the review, so never reported overdue.
fn activities(catalogue: &Catalogue, window: Period, as_of: NaiveDate) -> Vec<ActivityProgress> {
    let later = sources_after(catalogue, as_of);
    let later = &later;
    catalogue
        .plans
        .values()
        .filter(|plan| plan_known_on(plan, later, as_of))
        .flat_map(|plan| {
            plan.activities
                .iter()
                .filter(move |a| !later.contains(a.source.as_str()))
                .filter(move |a| match a.deadline {
                    Some(deadline) => window.start() <= deadline && deadline <= window.end(),
                    None => window.overlaps(&plan.period),
                })
                .map(move |a| ActivityProgress::from_activity(plan, a, catalogue, window.end().min(as_of)))
        })
        .collect()
}

fn method_name(method: Method) -> Text {
    match method {
        Method::Eurostat => Text::new(
            "Eurostat (tỷ số giữa tăng trưởng thực tế và tăng trưởng cần thiết; ngưỡng 0,95 / 0,6 / 0)",
            "Eurostat (ratio of actual to required growth; 0.95 / 0.6 / 0)",
        ),
        Method::Escap => Text::new(
            "UN ESCAP (chỉ số hiện trạng và tiến độ dự kiến)",
            "UN ESCAP (current-status index and anticipated progress)",
        ),
        Method::OpenSdg => Text::new(
            "Open SDG (tỷ số kiểu Eurostat có tính đến giới hạn tự nhiên)",
            "Open SDG (Eurostat-style ratio with natural limits)",
        ),
        Method::Unsd => Text::new(
            "UNSD Progress Chart 2023 (tỷ lệ hoàn thành ngoại suy; ngưỡng 0,95 / 0,10)",
            "UNSD Progress Chart 2023 (extrapolated completion ratio; 0.95 / 0.10)",
        ),
    }
}

/// The project's method notes: the method used and how its categories map onto the review's statuses, and where
/// synthetic data is used.
fn methodology(input: &ReviewInput, review: &Review) -> Vec<MethodNote> {
    let name = method_name(input.method);
    let (name_vi, name_en) = (&name.vi, &name.en);
    let mut notes = vec![MethodNote {
        title: Text::new("Phương pháp đánh giá tiến độ", "Progress assessment method"),
        body: Text::new(
            format!(
                "Tình trạng của mỗi chỉ số được xác định theo phương pháp {name_vi} trên chuỗi số liệu đến hết giai đoạn \
                 {}. Quy ước: \"Đạt\" khi giá trị mới nhất đáp ứng chỉ tiêu (tôn trọng dấu > hay >=); \"cần đẩy \
                 nhanh\" của phương pháp giữ nguyên là \"Cần đẩy nhanh\", \"chệch hướng\" là \"Chệch hướng\" khi chỉ tiêu \
                 vẫn có thể đạt và \"Chưa đạt\" khi giá trị của chính kỳ chỉ tiêu (hoặc các phần đủ chứng minh) không \
                 đáp ứng chỉ tiêu, \"chưa đủ số liệu\" là \"Chưa đủ số liệu để đánh giá\" (không có giá trị nào, hoặc không giá trị nào đủ để kết luận). Chỉ số không có chỉ tiêu định lượng (số đếm bối cảnh, mục tiêu \
                 định tính) không được đánh giá. Chi tiết công thức: docs/methodology.md, mục 4.",
                period_text(input.window)
            ),
            format!(
                "Each indicator's status is given by the {name_en} method on the series up to the end of the window {}. \
                 Mapping: \"achieved\" when the latest value meets the target (honouring > against >=); the method's \
                 \"needs acceleration\" is shown as \"at risk\", \"off track\" as \"off track\" while the target may still be met and \
                 as \"not achieved\" when the value of the target's own period (or parts of it that prove it) misses \
                 it, \"insufficient data\" as \"insufficient data\" (no value, or none that can settle the target). Indicators without a quantitative target (context counts, qualitative \
                 objectives) are not assessed. Formulas: docs/methodology.md, section 4.",
                period_text(input.window)
            ),
        ),
    }];
    if review.synthetic.any() {
        notes.push(MethodNote {
            title: Text::new("Dữ liệu giả lập", "Synthetic data"),
            body: Text::new(
                "Dữ liệu giả lập do bộ sinh dữ liệu tất định của tiendo tạo ra (docs/methodology.md, mục 8), không \
                 phải số liệu thật. Mỗi nguồn khai báo loại của mình (chính thức, ước tính, suy ra, giả lập). Dữ liệu \
                 giả lập không bao giờ được trộn với số liệu thật (giá trị nào sẽ trộn thì không được tính và \
                 được ghi rõ): mọi giá trị dựa trên chúng được đánh dấu (†) và ghi nguồn \
                 là dữ liệu giả lập, được vẽ thành một đường riêng (nét đứt, màu xám) không nối với số liệu thật, và \
                 không tình trạng, kết quả chính hay \"kết quả mới nhất\" nào dựa trên chúng, trừ khi toàn bộ số \
                 liệu là giả lập (khi đó trang đầu của báo cáo nói rõ). Chi tiết: docs/methodology.md, mục 2 và 8.",
                "Synthetic data is made by tiendo's deterministic generator (docs/methodology.md, section 8) and is \
                 not real. Every source declares its kind (official, estimate, derived, synthetic). Synthetic figures \
                 are never blended with real ones (a value that would blend them is not computed, and says so): every value built from them is marked (†) and cites the synthetic-data \
                 source, is drawn as a separate line (dashed, grey) never joined to real figures, and no status, \
                 headline or \"latest\" value rests on them unless every figure is synthetic (then the first page \
                 says so). Details: docs/methodology.md, sections 2 and 8.",
            ),
        });
    }
    notes
}

/// What in the review is synthetic, for its first page: the whole review, or a line per indicator (with the
/// periods), per provincial comparison, per disaggregation and per plugin with synthetic values.
fn synthetic_data(review: &Review, wholly: bool) -> SyntheticData {
    let mut figures = Vec::new();
    if wholly {
        return SyntheticData { wholly, figures };
    }
    for indicator in &review.indicators {
        let periods: Vec<String> =
            indicator.series.iter().filter(|p| p.synthetic).map(|p| p.period.to_string()).collect();
        if !periods.is_empty() {
            let periods = periods.join(", ");
            figures.push(Text::new(
                format!("{} – {}: {periods}", indicator.code, indicator.name.vi),
                format!("{} – {}: {periods}", indicator.code, indicator.name.en),
            ));
        }
    }
    // One line for all provincial comparisons: each indicator is compared on both maps, from the same data.
    let mut codes: Vec<&str> = Vec::new();
    for comparison in review.provincial_comparisons.iter().filter(|c| c.synthetic) {
        if !codes.contains(&comparison.indicator_code.as_str()) {
            codes.push(&comparison.indicator_code);
        }
    }
    if !codes.is_empty() {
        let codes = codes.join(", ");
        figures.push(Text::new(
            format!("So sánh giữa các tỉnh, thành phố: {codes}"),
            format!("Provincial comparisons: {codes}"),
        ));
    }
    for disaggregation in &review.disaggregations {
        let periods: Vec<String> =
            disaggregation.rows.iter().filter(|r| r.synthetic).map(|r| r.period.to_string()).collect();
        if !periods.is_empty() {
            let periods = periods.join(", ");
            figures.push(Text::new(
                format!("Số liệu phân tổ: {} ({}): {periods}", disaggregation.title.vi, disaggregation.category.vi),
                format!("Disaggregation: {} ({}): {periods}", disaggregation.title.en, disaggregation.category.en),
            ));
        }
    }
    let mut plugins: BTreeMap<&str, usize> = BTreeMap::new();
    for metric in review.plugins.metrics.iter().filter(|m| m.synthetic) {
        *plugins.entry(metric.plugin.as_str()).or_default() += 1;
    }
    for (plugin, count) in plugins {
        figures.push(Text::new(
            format!("Chỉ số của phần mở rộng {plugin}: {count} giá trị"),
            format!("Metrics of the plugin {plugin}: {count} values"),
        ));
    }
    SyntheticData { wholly, figures }
}

#[cfg(test)]
#[path = "build_tests.rs"]
mod tests;

/// The data that contradict each other, in the order the evaluation found them.
fn disagreements(evaluation: &Evaluation) -> Vec<Disagreement> {
    (evaluation.disagreements.iter())
        .map(|d| Disagreement {
            code: d.code.to_owned(),
            name: d.name.to_owned(),
            message: d.message.clone(),
            location: d.span.as_ref().map(|s| format!("{}:{}", s.file, s.line)),
        })
        .collect()
}
