//! Evaluation: observations -> indicator values per org unit and period -> progress, status, validation,
//! completeness and confidentiality.
//!
//! [`evaluate`] is the entry point. It reads no clock (the "as of" date is a setting) and does no I/O; plugin
//! metrics come through [`MetricProvider`]. The result, [`Evaluation`], is plain data in a deterministic
//! order, ready to serialise.

mod after_end;
pub mod aggregate;
mod aggregate_value;
mod below_own;
mod breakdown;
mod by_options;
mod by_years;
mod checks;
pub mod combine;
pub mod completeness;
#[cfg(test)]
mod consistency_tests;
mod contested;
pub mod coverage;
pub mod disagreements;
mod disclosed_findings;
mod disclosure;
pub mod duplicates;
pub mod exact;
mod exact_range;
mod expected;
mod findings;
mod group_index;
pub mod grouping;
mod hidden_alike;
pub mod known;
mod leaf;
mod leaf_cache;
mod mixed_depth;
mod notes;
pub mod open_sdg;
mod outside_life;
mod over_time;
mod period_relations;
mod periods;
mod plugin_reads;
pub(crate) mod plugins;
mod points;
pub mod progress;
mod range_parts;
#[cfg(test)]
mod range_tests;
mod ratio;
mod refs;
mod report_days;
mod restatements;
mod result_reading;
mod results;
#[cfg(test)]
mod rollup_tests;
pub mod row_note;
pub mod share;
pub mod sources;
mod split;
pub mod store;
pub mod succession;
pub mod synthetic;
mod territory;
mod territory_rule;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod truth_tests;
pub mod unread;
pub mod validation;
mod walk_leaves;
mod warm;
mod windowed;
mod withheld_messages;
mod written;
mod yielding;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::expr::{ElementRef, Expr};
use crate::model::{
    Catalogue, Comparator, Direction, Formula, Indicator, Measure, OrgUnitAggregation, OrgUnitLevel, SourceKind, Text,
    TimeAggregation,
};
use crate::period::{Period, PeriodType};
use crate::plugin::{MetricInput, MetricProvider, MetricRequest, PluginFailure};

use crate::disclosure::CellState;
use aggregate::{AggregationRule, Cube, PeriodSet, SourceMask};
use checks::*;
pub use completeness::Completeness;
pub use coverage::{Coverage, CoveragePolicy};
use disclosure::*;
use findings::*;
use notes::RowNotes;
use periods::{evaluated_periods, left_out_counts, output_periods};
pub use plugins::{FailedPoint, SANDBOX_FAILURE_LIMIT, measure_range};
use plugins::{PluginPoints, Plugins};
use points::*;
pub use progress::{Assessment, Method, Status};
use ratio::{Cover, LeftOut, MatchedRatio, Mismatch, Side};
use refs::*;
pub use refs::{breaks_down_by, indicator_refs};
use results::*;
pub use store::{NewObservation, Observation, ObservationStatus, ObservationStore};
pub use validation::Violation;
use validation::{Unchecked, Unread};

/// How to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationSettings {
    /// The date the evaluation is made on: periods ending after it are left out. Never read from the clock.
    pub as_of: NaiveDate,
    /// The method that gives the status; the others are computed too and listed in each result.
    pub method: Method,
    /// Sensitive counts with 0 < n < threshold are suppressed; 0 or 1 disables suppression.
    pub threshold: f64,
    /// The narrowest range a reader may work out for a hidden count ([`crate::disclosure::Rules::protection`]).
    pub protection: f64,
    /// Zero counts are suppressed too.
    pub suppress_zeros: bool,
    /// The disclosure search's work budget ([`crate::disclosure::Rules::work_budget`]); past it the tables not yet
    /// settled are withheld with every value related to them.
    pub audit_work_budget: usize,
    /// Show suppressed values (internal use); they stay marked as suppressed.
    pub show_suppressed: bool,
    /// Only these org units (all country- and province-level units when empty).
    pub org_units: Vec<String>,
    /// Only periods within this one.
    pub period: Option<Period>,
    /// How many threads evaluation may use (1 or 2; results are identical either way). The caller decides: this
    /// crate does not ask the machine.
    pub threads: usize,
    /// What a value built from part of the expected units or periods may decide.
    pub coverage: CoveragePolicy,
    /// The plan under review (`--plan`): only its targets decide the statuses. A programme's 2025 target otherwise
    /// decided the status of a yearly plan of 2023 reviewed on its own ("achieved" beside its own 2023 target
    /// missed; round 60, found by a review helper). `None`: every plan started by the end of `period`.
    pub plan: Option<String>,
}

impl EvaluationSettings {
    pub fn new(as_of: NaiveDate) -> Self {
        EvaluationSettings {
            as_of,
            method: Method::default(),
            threshold: 11.0,
            protection: crate::disclosure::DEFAULT_PROTECTION,
            suppress_zeros: false,
            audit_work_budget: crate::disclosure::DEFAULT_WORK_BUDGET,
            show_suppressed: false,
            org_units: Vec::new(),
            period: None,
            threads: 1,
            coverage: CoveragePolicy::default(),
            plan: None,
        }
    }
}

/// Where a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Reported for the org unit itself (or for the old units it succeeded).
    Reported,
    /// Summed over its child org units because it reported nothing for the year.
    Aggregated,
    /// The org unit's own reports for some of the calendar periods that make up the period and its child org units'
    /// for the rest (its own first quarter and its districts' other three, `docs/methodology.md` §2 rule 3).
    Combined,
}

/// Whether a point may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueState {
    /// A computed value (which may be zero).
    Value,
    /// Suppressed: a small count of victims, or a value hidden so that the published figures cannot reveal one.
    /// Published outputs never say which: that would tell a reader which range a hidden count is in.
    Suppressed,
    /// Withheld because it is built from part of the expected units or periods (`[assessment] coverage =
    /// "require-complete"`); its coverage says what is missing.
    Incomplete,
}

/// The change against the same period one year earlier ("so với cùng kỳ").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub previous_period: Period,
    pub previous_value: f64,
    /// The difference, in the indicator's unit, or in percentage points or levels as `kind` says.
    pub absolute: f64,
    /// What `absolute` is counted in, and whether a relative change is given.
    pub kind: crate::model::ChangeKind,
    /// The relative change in % of the previous value: only for a [`crate::model::ChangeKind::Relative`] change
    /// (never a percent of a percentage), `None` when the previous value is zero or below, or the percent is beyond
    /// ±10^15 (a change from 10^-15).
    pub percent: Option<f64>,
}

/// One value of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub period: Period,
    /// `None` when suppressed (unless suppressed values are shown).
    pub value: Option<f64>,
    pub state: ValueState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numerator: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<f64>,
    /// Source ids of every observation that went into the value, in id order.
    pub sources: Vec<String>,
    pub provisional: bool,
    /// The value rests on synthetic sources (see [`sources::SourceKinds`]). A status never rests on such a value
    /// unless [`Evaluation::wholly_synthetic`].
    pub synthetic: bool,
    /// The weakest kind of the value's sources (synthetic before estimate before official,
    /// [`sources::SourceKinds::kind_of`]): `estimate` when an estimate enters it, alone or combined with official
    /// figures, so that every output can mark the value itself and not only its citation. Written only when it is
    /// not `official`.
    #[serde(skip_serializing_if = "SourceKind::is_official")]
    pub kind: SourceKind,
    pub basis: Basis,
    /// A sum over the unit's children shown beside the unit's own reports of the same period type: another basis,
    /// which the status, the trend, the latest value and the target lines never use (one basis, methodology
    /// section 4), so that every output marks it rather than let it read as the unit's figure (round 10, F5).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub other_basis: bool,
    /// For a value built from several units, or from part of what was expected: "k of n units" and what is
    /// missing. Absent for a unit's own complete report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// Only between values of the same basis: a reported national figure is not compared with a sum of
    /// provinces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// Notes that travel with the value, in order: the note a plugin returned with its metric (the same text in
    /// both languages), then the notes of the unit's own data rows for the period (deduplicated), each in Vietnamese
    /// and English from the `note_vi` and `note_en` cells, else the `note` cell ([`row_note`]). Empty for a
    /// suppressed value, whose notes could describe what is withheld, and for a value summed over child units.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// The decimals every output shows this value with, when the indicator's own would round it onto or across a
    /// target of its result (99.98 beside `= 100`, 66.67 beside `>= 66.7`): the fewest that keep the shown value on
    /// the side of each target the exact value is on (`eval::exact::decimals_to_show`). Absent when the
    /// indicator's decimals already do, or the value is hidden.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u8>,
    /// The unit's last day, where the period runs past it: a report of a unit that had ended (a merged province's
    /// late quarter, warning W345 and the reader's E320), which the unit's own series keeps and every output marks,
    /// so that it is not read as the figure of a unit that still existed then, nor added to its successor's by a
    /// reader. Absent for a period inside the unit's life.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_end: Option<NaiveDate>,
    /// The first day the unit's area changed on between the same period a year earlier and this one (a district
    /// that moved in or out, the unit's creation from no unit, a split): the two values are of different areas and
    /// no change is given (methodology §3, "Boundaries").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_changed: Option<NaiveDate>,
    /// The first day of a break in the series of an element the value reads (`DataElement::breaks`) that lies after
    /// the start of the same period a year earlier and by the end of this one: the value is counted on another
    /// definition than that year's (or on two), and no change is given (methodology §3, "Breaks in series").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series_break: Option<NaiveDate>,
    /// The value lies beyond the indicator's natural limit (`Indicator::beyond_limit`: 12 resolved of 10 received):
    /// its parts contradict the definition, it decides nothing, and every output marks it. False for a hidden value.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub beyond_limit: bool,
    /// The value reads days of a unit's report that the reports of its parts contradict (W339: a half-year of 30
    /// beside quarters of 14 and 26): it rests on one of two figures that cannot both be right, decides nothing, and
    /// every output marks it "reports disagree" (round 68, found by a newcomer). False for a hidden value.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub contested: bool,
}

/// A period a plugin gave no value for, with the note it returned instead ("return `value: None` with a note
/// rather than a made-up number", docs/plugins.md): the note reaches every output beside the missing value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotedGap {
    pub period: Period,
    pub note: String,
}

/// A target and how the indicator stands against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetResult {
    pub plan: String,
    pub period: Period,
    pub comparator: Comparator,
    pub value: f64,
    pub source: String,
    /// Whether this is the headline (final) target, the one the status is assessed against; its compared value is
    /// the result's `latest` (one period rule).
    pub decides_status: bool,
    /// The value compared: the indicator in the target period if known, else the latest value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_period: Option<Period>,
    /// Whether the compared value settles the target for good, met or missed: it runs to the last day of the
    /// target's period, or it is a run of the period's parts that already proves the whole (a count summed over
    /// time, `range_parts`). Otherwise a target not met may still be met: the review says "off track", not "not
    /// achieved" (methodology 4.2).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub verdict: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_value: Option<f64>,
    /// Where the compared value comes from (synthetic data shows as `synthetic-generator`).
    pub compared_sources: Vec<String>,
    /// Whether the compared value meets the target, decided exactly on its numerator and denominator
    /// (`eval::exact`), never on a rounded or floating-point quotient. For a part of a plan's range (the range has
    /// no value of its own) what the part proves about the whole range: `None`, with no percent of target, progress
    /// or gap, when it proves nothing (`range_parts::proof`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met: Option<bool>,
    /// The decimals an output shows the compared value with (at least the indicator's), so that the value shown
    /// stands on the same side of the target as the value decided: 99.96, not 100.0, beside `= 100` not met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u8>,
    /// Compared value / target x 100 (for `=`: 100 - |value - target| / target x 100, at least 0), only for a
    /// positive target met from below or exactly (`>`, `>=`, `=`); see `progress_from_baseline` for the others.
    /// Never for a coded indicator (a scale, yes/no), whose codes are labels in order (`Indicator::is_coded`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_of_target: Option<f64>,
    /// The decimals `percent_of_target` is shown with (at least 1), so that it is 100 only when it is exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_decimals: Option<u8>,
    /// The plan's baseline that `progress_from_baseline` starts from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// For zero, negative and "less is better" targets, where a percent of target means nothing: (value -
    /// baseline) / (target - baseline) x 100, 0 at the baseline and 100 at the target. `None` without a baseline or
    /// when the baseline already met the target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_from_baseline: Option<f64>,
    /// The decimals `progress_from_baseline` is shown with (at least 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_decimals: Option<u8>,
    /// How far the compared value is from meeting the target, in the indicator's unit: 0 exactly when it is met,
    /// else positive; a strict target's (`>`, `<`) runs to the first value past it at the value's decimals
    /// (`eval::exact::gap`: 90.0 is 0.1 short of `> 90`). For a scale, in its levels (never its codes); none for a
    /// yes/no.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
    /// The decimals `gap` is shown with: the value's (or the target's) or more, so that a gap is 0 only when met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_decimals: Option<u8>,
    /// For the target the status is decided on: the complete sum of the units below for the target's own period,
    /// where the unit's own reports have no value there and the status was decided on an earlier one (a country
    /// that reported 2021-2023 itself, its provinces 2025: methodology 4.1, round 10 F5). Never used for the status,
    /// shown beside it so that a reader sees a complete 2025 total of 40 against `>= 100` next to "on track"
    /// (round 46, found by a review helper).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units_below: Option<UnitsBelow>,
}

/// The complete sum of the units below for a target's period, against that target (see
/// [`TargetResult::units_below`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitsBelow {
    pub period: Period,
    pub value: f64,
    /// The decimals the value is shown with, so that it stands on the side of the target decided.
    pub decimals: u8,
    /// Whether it meets the target, decided exactly on its numerator and denominator.
    pub met: bool,
}

/// An indicator broken down by one option of one of its disaggregation categories: the same formula with
/// every data element that has the category restricted to the option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub category: String,
    pub option: String,
    pub series: Vec<Point>,
    /// The periods whose value would blend synthetic with real figures: not computed (W333), as
    /// [`IndicatorResult::not_computed_blends`] for the total.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_computed_blends: Vec<Period>,
    /// The periods whose value has a denominator of 0 (0 female victims, 0 female supported), said as such and never
    /// "no data", as [`IndicatorResult::zero_denominators`] for the total; empty where such a zero is hidden.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zero_denominators: Vec<Period>,
}

/// An indicator at one org unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorResult {
    pub indicator: String,
    pub code: String,
    pub org_unit: String,
    pub measure: Measure,
    pub direction: Direction,
    pub series: Vec<Point>,
    /// The latest yearly value of the basis the trajectory uses (reported for the unit if any year was, else summed
    /// over its children), else the latest value of any period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest: Option<Point>,
    pub targets: Vec<TargetResult>,
    /// The status under the selected method, or `failed` details in `failure`.
    pub status: Status,
    pub method: Method,
    /// Every method's assessment, in method order; the selected one decides `status`.
    pub assessments: Vec<Assessment>,
    /// Why the indicator could not be computed at all (its plugin failed as a whole).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// Plugin points that could not be computed, in period order, each with the plugin's message; the other
    /// points of the series stand.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_points: Vec<FailedPoint>,
    /// Periods a plugin answered without a value but with a note, in period order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub noted_gaps: Vec<NotedGap>,
    /// Periods, in order, where the ratio's matched parts are reported and its denominator is 0 (3 resolved of 0
    /// received): no value, which every output says rather than "no data". Left out where zeros of a sensitive
    /// count are suppressed and the denominator reads one (saying it is 0 would give the hidden zero away).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub zero_denominators: Vec<Period>,
    /// Periods, in order, whose value would blend synthetic with real figures (a national sum of a real and a
    /// synthetic province): not computed (W333), which every output says rather than "no data" (round 66, found by
    /// a review helper: the review asked for 2025 data that two provinces had reported).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_computed_blends: Vec<Period>,
    /// The series by option of each of the indicator's disaggregation categories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breakdowns: Vec<Breakdown>,
    /// The units that split into this one (and others): their data is not in this unit's series, which is therefore
    /// not comparable before `comparable_from`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub split_from: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparable_from: Option<NaiveDate>,
    /// W357: the indicator is a percentage given as it is, every value shown at the unit lies between 0 and 1 and a
    /// target is above 1 (0.8 and 0.95 beside `>= 90`): almost surely fractions of 80 % and 95 %, so the status,
    /// the percent of target and the gap read them as the far smaller percentages they are written as. Every output
    /// says so beside the status (round 72: the review's table said "1.1 % ... At risk" with the warning only in its
    /// data-quality section).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub values_as_fractions: bool,
    /// With a `--period` window, the points of the periods outside it that were evaluated (every period up to the
    /// window's end): the same period last year of the window's first periods, a trend's base, a value decided on
    /// before the window. No output shows them as rows; [`Self::point`] finds them for what refers to them (a
    /// change's earlier value and its marks, the latest value). Empty without a window.
    #[serde(skip)]
    pub earlier: Vec<Point>,
}

/// What the catalogue's successions say about one unit's series: the units it split from (or moved from), the first
/// day after the last of them ended, and the days its area changed ([`succession::Units::area_changes`]).
#[derive(Debug, Clone, Default)]
struct Boundaries {
    split_from: Vec<String>,
    comparable_from: Option<NaiveDate>,
    area_changes: Vec<NaiveDate>,
}

/// Counts of results by status.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub results: usize,
    pub by_status: BTreeMap<Status, usize>,
    pub suppressed_points: usize,
    /// Points built from part of the expected units or periods.
    pub partial_points: usize,
    pub violations: usize,
    pub failed: usize,
}

/// Everything an evaluation found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub as_of: NaiveDate,
    pub method: Method,
    pub threshold: f64,
    pub show_suppressed: bool,
    /// What a partial value may decide (`[assessment] coverage`): under [`CoveragePolicy::Flag`] the statuses,
    /// targets and latest values may rest on partial values, so the outputs say where one did.
    pub coverage: CoveragePolicy,
    pub summary: Summary,
    pub indicators: Vec<IndicatorResult>,
    pub validation: Vec<Violation>,
    /// Whether a validation finding was left out because it read a count no output shows ([`Self::validation`]
    /// lists the rest); outputs then say once that findings at suppressed values are not listed.
    #[serde(skip)]
    pub findings_withheld: bool,
    pub completeness: Vec<Completeness>,
    pub plugin_failures: Vec<PluginFailure>,
    /// Whether a plugin failed where the indicator's value is suppressed: the failure is in no output (W353 on
    /// [`Self::diagnostics`] counts them for the operator), and the run exits as for a failure shown.
    #[serde(skip)]
    pub plugin_failures_withheld: bool,
    /// Disclosure control of the run: the audit's verdict, the primary and secondary counts (cells of sensitive
    /// counts at every unit and period, whatever the filters) and what the audit cost.
    pub disclosure: crate::disclosure::Audit,
    /// Every observation cites a synthetic source: the whole project is synthetic, so statuses may rest on
    /// synthetic values, and every output says on its first page that nothing in it is real data.
    pub wholly_synthetic: bool,
    /// At least one observation cites a synthetic source: the outputs label the synthetic figures.
    pub any_synthetic: bool,
    /// The checks of validation rules left out, as (rule, org unit, period): a value lacks part of its period,
    /// breakdown or units (W354), or would compare synthetic with real figures (W333). A review says how many of its
    /// window's checks could not be made beside "no violations".
    #[serde(skip)]
    pub unchecked: Vec<(String, String, Period)>,
    /// Problems with the observations found while evaluating (duplicate keys).
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
    /// The warnings of [`Self::diagnostics`] about data that contradict each other ([`disagreements::CODES`]) or
    /// their target (W357, percentages written as fractions), written without any value, for a review's reader.
    #[serde(skip)]
    pub disagreements: Vec<Diagnostic>,
}

/// Evaluates the catalogue's indicators on the observations.
pub fn evaluate(
    catalogue: &Catalogue,
    store: &ObservationStore,
    settings: &EvaluationSettings,
    provider: Option<&dyn MetricProvider>,
) -> Evaluation {
    // Only what could be known on the as-of date is evaluated: observations citing a later source, or submitted
    // after it, are left out.
    let known = known_store(catalogue, store, settings);
    let no_late = BTreeSet::new();
    let (store, later, late) = match &known {
        Some(known) => (&known.store, known.diagnostics.clone(), &known.late),
        None => (store, Vec::new(), &no_late),
    };
    let mut plugins = Plugins::describe(catalogue, provider);

    let kinds = sources::SourceKinds::new(catalogue, store);
    let boundaries: BTreeMap<String, Boundaries> = unit_boundaries(catalogue);
    let refs = collect_refs(catalogue, &plugins.inputs);
    let rules: Vec<AggregationRule> = refs.iter().map(|r| rule_for(catalogue, &r.element)).collect();
    let mut cube = Cube::build(catalogue, store, refs, rules, settings.threads);
    let reported = cube.reported_periods();
    // Values are computed up to the window's end, earlier periods included; the window is cut out at the end.
    let periods = evaluated_periods(catalogue, &reported, settings);
    let shown: Vec<Period> =
        periods.iter().filter(|p| settings.period.is_none_or(|window| window.contains(p))).copied().collect();
    let (mut diagnostics, contested) = data_diagnostics(later, &cube, (catalogue, settings), &reported);
    let contested = contested::Contested::new(catalogue, cube.store(), &contested);
    let disagreements = disagreements::value_free(&cube, &diagnostics);

    let (all_units, units) = output_units(catalogue, settings);
    let (suppression_units, suppression_periods) =
        suppression_scope(catalogue, settings, &reported, &all_units, &units);

    // Every reference at every output unit and period, on both cores; the passes below read the memo.
    let budget = store.len().saturating_mul(leaf_cache::BYTES_PER_OBSERVATION);
    cube.keep_leaf_series(refs::reread_at_leaves(catalogue, &cube), budget);
    cube.warm(&units, &periods, settings.threads);

    // Validation and completeness read the data only: on a second core, with a cube of their own, while this
    // thread computes the indicators.
    let mut checks_cube = cube.fork();
    let checked_periods = (&shown[..], late);
    let (indicators, unmatched, refused, (validation, completeness, unchecked), disclosure) =
        std::thread::scope(|scope| {
            let inline = (settings.threads <= 1)
                .then(|| checks(catalogue, store, settings, &mut checks_cube, checked_periods, &kinds));
            let checking = inline
                .is_none()
                .then(|| scope.spawn(|| checks(catalogue, store, settings, &mut checks_cube, checked_periods, &kinds)));
            let raw = RawValues::compute(catalogue, &units, &periods, &mut cube, &kinds, &mut plugins, provider);

            let scope = (&suppression_units[..], &suppression_periods[..]);
            let plugged = (&plugins.inputs, &plugins.failures[..]);
            let plugin_reads = plugin_reads::metric_reads(catalogue, plugged, provider);
            let disclosure =
                suppression_states(catalogue, settings, &mut cube, scope, (&plugins.inputs, &plugin_reads, &raw));

            let indicators = assemble(
                catalogue,
                store,
                settings,
                (&units, &periods),
                &raw,
                &disclosure.hidden,
                &kinds,
                (&boundaries, &contested),
            );
            let checked = match checking {
                Some(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                None => inline.unwrap_or_default(),
            };
            (indicators, raw.unmatched, raw.refused, checked, disclosure)
        });
    let (validation, findings_withheld) = disclosed_findings::withhold_hidden(
        catalogue,
        &mut checks_cube,
        &disclosure.cells,
        validation,
        settings.show_suppressed,
    );
    let mut indicators = indicators;
    let mut plugin_failures = plugins.failures;
    let hidden = (&disclosure.hidden, settings.show_suppressed);
    let withheld = withheld_messages::withhold(catalogue, hidden, &periods, &mut indicators, &mut plugin_failures);
    let plugin_failures_withheld = !withheld.is_empty();
    hidden_alike::uniform_hidden(&mut indicators, settings.show_suppressed);
    diagnostics.extend(withheld);
    if let Some(window) = settings.period {
        windowed::keep_window(&mut indicators, window);
    }
    let disclosure = disclosure.audit;
    diagnostics.extend(unmatched_diagnostics(unmatched));
    diagnostics.extend(refused);
    let unchecked_checks = unchecked.iter().map(|(check, _)| check.clone()).collect();
    diagnostics.extend(unchecked_rules(unchecked));
    diagnostics.extend(findings::synthetic_plan_figures(catalogue, &kinds, &indicators));
    diagnostics.extend(findings::beyond_bound(catalogue, &indicators));
    // Percentages written as fractions are listed for the review's reader too: its tables show them as they read.
    let fractions = findings::shares_as_fractions(catalogue, &mut indicators);
    let mut disagreements = disagreements;
    disagreements.extend(fractions.iter().cloned());
    diagnostics.extend(fractions);
    diagnostics.extend(findings::disclosure_findings(&disclosure));

    Evaluation {
        as_of: settings.as_of,
        method: settings.method,
        threshold: settings.threshold,
        show_suppressed: settings.show_suppressed,
        coverage: settings.coverage,
        summary: summarise(&indicators, validation.len()),
        indicators,
        validation,
        findings_withheld,
        plugin_failures_withheld,
        completeness,
        plugin_failures: sorted_failures(plugin_failures),
        disclosure,
        wholly_synthetic: kinds.all_synthetic(),
        any_synthetic: kinds.any_synthetic(),
        unchecked: unchecked_checks,
        diagnostics,
        disagreements,
    }
}

/// The observations known on the as-of date and that some unit's figures can be, grouped, with the diagnostics
/// naming what was left out: `None` when every observation's source is dated, and every dated row was submitted, on
/// or before it, and no report lies beyond every unit's life (the store is then used as it is;
/// [`outside_life`]).
fn known_store(
    catalogue: &Catalogue,
    store: &ObservationStore,
    settings: &EvaluationSettings,
) -> Option<known::KnownOn> {
    let mut known = known::known_on(catalogue, store, settings.as_of);
    let lived = outside_life::without_reports_beyond_life(catalogue, known.as_ref().map_or(store, |k| &k.store));
    if let Some((store, warning)) = lived {
        let known = known.get_or_insert_with(|| known::KnownOn {
            store: ObservationStore::default(),
            diagnostics: Vec::new(),
            late: BTreeSet::new(),
        });
        known.store = store;
        known.diagnostics.push(warning);
    }
    if let Some(known) = &mut known {
        known.store.group(settings.threads);
    }
    known
}

/// The store ids of the elements whose values data warnings do not quote, unless suppressed values are shown
/// (`--show-suppressed`): the sensitive ones and, where small counts are suppressed (a threshold above 1), every
/// element the disclosure audit may hide to protect one (`disclosure::related::possibly_audited`), since the warnings are written before
/// it decides: a project's `received` (not sensitive), hidden so that `victims <= received` would not narrow A's
/// hidden victims to 1-3, was quoted by W350 (round 71, found by an adversarial tester).
fn withheld_elements(catalogue: &Catalogue, store: &ObservationStore, settings: &EvaluationSettings) -> Vec<u32> {
    if settings.show_suppressed {
        return Vec::new();
    }
    let ids = catalogue.data_elements.keys().chain(catalogue.indicators.keys());
    let audited = if settings.threshold > 1.0 { disclosure::possibly_audited(catalogue) } else { BTreeSet::new() };
    ids.filter(|id| catalogue.is_sensitive(id) || audited.contains(id.as_str()))
        .filter_map(|id| store.elements.get(id))
        .collect()
}

/// What the data says before any indicator is computed: observations left out as not yet known on the as-of date
/// (`later`), duplicates, aggregation problems, and a `--period` in which no reported period had ended by then.
fn data_diagnostics(
    later: Vec<Diagnostic>,
    cube: &Cube,
    (catalogue, settings): (&Catalogue, &EvaluationSettings),
    reported: &[Period],
) -> (Vec<Diagnostic>, Vec<over_time::Contested>) {
    let mut diagnostics = later;
    diagnostics.extend(store::duplicate_diagnostics_for(cube.store(), cube.duplicates()));
    let (aggregation, contested) = cube.aggregation_findings(&withheld_elements(catalogue, cube.store(), settings));
    diagnostics.extend(aggregation);
    if let Some(filter) = settings.period
        && !reported.iter().any(|p| p.end() <= settings.as_of && filter.contains(p))
    {
        diagnostics.push(no_data_in_period(filter, settings.as_of, reported));
    }
    let (not_ended, across) = left_out_counts(cube, settings);
    diagnostics.extend(findings::periods_not_ended(settings.as_of, &not_ended));
    if let Some(window) = settings.period {
        diagnostics.extend(findings::periods_across_window(window, &across));
    }
    (diagnostics, contested)
}

/// The plugin failures in (plugin, kind, message) order, each once.
fn sorted_failures(mut failures: Vec<PluginFailure>) -> Vec<PluginFailure> {
    failures.sort_by(|a, b| (&a.plugin, &a.kind, &a.message).cmp(&(&b.plugin, &b.kind, &b.message)));
    failures.dedup();
    failures
}

/// The org units and periods suppression is decided over: every unit and period, whatever the filters, since a
/// pattern decided over the filtered output only would differ between two runs, and comparing them would reveal what
/// each one hides.
fn suppression_scope(
    catalogue: &Catalogue,
    settings: &EvaluationSettings,
    reported: &[Period],
    all_units: &[String],
    units: &[String],
) -> (Vec<String>, Vec<Period>) {
    let mut suppression_units: BTreeSet<String> = all_units.iter().chain(units).cloned().collect();
    suppression_units.extend(units.iter().flat_map(|unit| siblings_down_to(catalogue, unit, all_units)));
    let suppression_units: Vec<String> = suppression_units.into_iter().collect();
    let suppression_periods =
        output_periods(catalogue, reported, &EvaluationSettings { period: None, ..settings.clone() });
    (suppression_units, suppression_periods)
}

/// A unit below the province level that the run publishes (`--org-unit c1`) is audited with every unit beside it
/// on the way up to its province: the children of each of its ancestors below the country and province levels in
/// `published`, so that its province's total less the published communes never gives an unpublished commune away,
/// whatever the filters (methodology section 7). Empty for a country- or province-level unit.
fn siblings_down_to(catalogue: &Catalogue, unit: &str, published: &[String]) -> Vec<String> {
    let mut ancestors: Vec<&str> = Vec::new();
    let mut at = unit;
    while !published.iter().any(|p| p == at) {
        let Some(parent) = catalogue.org_units.get(at).and_then(|u| u.parent.as_deref()) else { break };
        if ancestors.contains(&parent) {
            break;
        }
        ancestors.push(parent);
        at = parent;
    }
    catalogue
        .org_units
        .values()
        .filter(|u| u.parent.as_deref().is_some_and(|p| ancestors.contains(&p)))
        .map(|u| u.id.clone())
        .collect()
}

#[cfg(test)]
mod tests;
