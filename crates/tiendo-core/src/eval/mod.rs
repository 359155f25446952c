//! Evaluation: observations -> indicator values per org unit and period -> progress, status, validation,
//! completeness and confidentiality.
//!
//! [`evaluate`] is the entry point. It reads no clock (the "as of" date is a setting) and does no I/O; plugin
//! metrics come through [`MetricProvider`]. The result, [`Evaluation`], is plain data in a deterministic
//! order, ready to serialise.

pub mod aggregate;
mod breakdown;
pub mod combine;
pub mod completeness;
pub mod coverage;
pub mod grouping;
mod periods;
pub mod progress;
mod ratio;
#[cfg(test)]
mod rollup_tests;
pub mod sources;
pub mod store;
pub mod succession;
pub mod suppression;
pub mod synthetic;
#[cfg(test)]
mod test_support;
pub mod validation;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::expr::{ElementRef, Expr};
use crate::model::{
    Catalogue, Comparator, Direction, Formula, Indicator, Measure, OrgUnitAggregation, OrgUnitLevel, TimeAggregation,
};
use crate::period::{Period, PeriodType};
use crate::plugin::{MetricInput, MetricProvider, MetricRequest, PluginFailure};

use aggregate::{AggregationRule, Cube, PeriodSet, SourceMask};
pub use completeness::Completeness;
pub use coverage::{Coverage, CoveragePolicy};
use periods::output_periods;
pub use progress::{Assessment, Method, Status};
use ratio::{MatchedRatio, Side};
pub use store::{NewObservation, Observation, ObservationStatus, ObservationStore};
use suppression::{CellState, Relation};
pub use validation::Violation;

/// How to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationSettings {
    /// The date the evaluation is made on: periods ending after it are left out. Never read from the clock.
    pub as_of: NaiveDate,
    /// The method that gives the status; the others are computed too and listed in each result.
    pub method: Method,
    /// Sensitive counts with 0 < n < threshold are suppressed; 0 disables suppression.
    pub threshold: f64,
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
}

impl EvaluationSettings {
    pub fn new(as_of: NaiveDate) -> Self {
        EvaluationSettings {
            as_of,
            method: Method::default(),
            threshold: 11.0,
            show_suppressed: false,
            org_units: Vec::new(),
            period: None,
            threads: 1,
            coverage: CoveragePolicy::default(),
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
}

/// Whether a point may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueState {
    /// A computed value (which may be zero).
    Value,
    /// Suppressed: a small count of victims.
    Suppressed,
    /// Suppressed so that a total cannot reveal a small count.
    SuppressedSecondary,
    /// Withheld because it is built from part of the expected units or periods (`[assessment] coverage =
    /// "require-complete"`); its coverage says what is missing.
    Incomplete,
}

/// The change against the same period one year earlier ("so với cùng kỳ").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub previous_period: Period,
    pub previous_value: f64,
    pub absolute: f64,
    /// `None` when the previous value is zero.
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
    pub basis: Basis,
    /// For a value built from several units, or from part of what was expected: "k of n units" and what is
    /// missing. Absent for a unit's own complete report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// Only between values of the same basis: a reported national figure is not compared with a sum of
    /// provinces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

/// A target and how the indicator stands against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetResult {
    pub plan: String,
    pub period: Period,
    pub comparator: Comparator,
    pub value: f64,
    pub source: String,
    /// The value compared: the indicator in the target period if known, else the latest value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_value: Option<f64>,
    /// Where the compared value comes from (synthetic data shows as `synthetic-generator`).
    pub compared_sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_of_target: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
}

/// An indicator broken down by one option of one of its disaggregation categories: the same formula with
/// every data element that has the category restricted to the option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub category: String,
    pub option: String,
    pub series: Vec<Point>,
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
    /// Why the indicator could not be computed (a plugin failure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// The series by option of each of the indicator's disaggregation categories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breakdowns: Vec<Breakdown>,
    /// The units that split into this one (and others): their data is not in this unit's series, which is therefore
    /// not comparable before `comparable_from`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub split_from: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparable_from: Option<NaiveDate>,
}

/// The units a unit split from, and the first day after the last of them ended.
type Split = (Vec<String>, Option<NaiveDate>);

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
    pub summary: Summary,
    pub indicators: Vec<IndicatorResult>,
    pub validation: Vec<Violation>,
    pub completeness: Vec<Completeness>,
    pub plugin_failures: Vec<PluginFailure>,
    /// Every observation cites a synthetic source: the whole project is synthetic, so statuses may rest on
    /// synthetic values, and every output says on its first page that nothing in it is real data.
    pub wholly_synthetic: bool,
    /// At least one observation cites a synthetic source: the outputs label the synthetic figures.
    pub any_synthetic: bool,
    /// Problems with the observations found while evaluating (duplicate keys).
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

/// The aggregation rule of an element id: a data element's own, or for an indicator reported directly
/// (a TIP tier), the last value over time and no aggregation over org units.
fn rule_for(catalogue: &Catalogue, element: &str) -> AggregationRule {
    match catalogue.data_elements.get(element) {
        Some(de) => AggregationRule { time: de.time_aggregation, org_units: de.org_unit_aggregation },
        None => AggregationRule { time: TimeAggregation::Last, org_units: OrgUnitAggregation::None },
    }
}

fn is_sensitive(catalogue: &Catalogue, element: &str) -> bool {
    catalogue.data_elements.get(element).is_some_and(|de| de.sensitive)
}

fn reported_ref(indicator: &Indicator) -> ElementRef {
    ElementRef { element: indicator.id.clone(), filter: BTreeMap::new(), offset: 0 }
}

/// The element references an indicator reads (numerator first), sensitive or not.
fn indicator_refs(indicator: &Indicator, plugin_inputs: &BTreeMap<String, Vec<String>>) -> Vec<ElementRef> {
    match &indicator.formula {
        Formula::Expression { numerator, denominator } => {
            let mut refs: Vec<ElementRef> = numerator.elements().into_iter().cloned().collect();
            if let Some(denominator) = denominator {
                refs.extend(denominator.elements().into_iter().cloned());
            }
            refs
        }
        Formula::Plugin(plugin) => plugin_inputs
            .get(&plugin.plugin)
            .map(|inputs| {
                inputs.iter().map(|i| ElementRef { element: i.clone(), filter: BTreeMap::new(), offset: 0 }).collect()
            })
            .unwrap_or_default(),
        Formula::Reported => vec![reported_ref(indicator)],
    }
}

/// `expr` with every element that has `category` restricted to `option`.
fn with_filter(catalogue: &Catalogue, expr: &Expr, category: &str, option: &str) -> Expr {
    match expr {
        Expr::Element(element) => {
            let mut element = element.clone();
            let has_category = catalogue
                .data_elements
                .get(&element.element)
                .is_some_and(|de| de.categories.iter().any(|c| c == category));
            if has_category {
                element.filter.entry(category.to_owned()).or_insert_with(|| option.to_owned());
            }
            Expr::Element(element)
        }
        Expr::Number { .. } => expr.clone(),
        Expr::Negate { operand } => {
            Expr::Negate { operand: Box::new(with_filter(catalogue, operand, category, option)) }
        }
        Expr::Binary { op, left, right } => Expr::Binary {
            op: *op,
            left: Box::new(with_filter(catalogue, left, category, option)),
            right: Box::new(with_filter(catalogue, right, category, option)),
        },
    }
}

/// The breakdowns of an expression indicator: (category, option, numerator, denominator) for every option of
/// every category in its `disaggregations`, in declaration order.
fn breakdown_formulas(catalogue: &Catalogue, indicator: &Indicator) -> Vec<(String, String, Expr, Option<Expr>)> {
    let Formula::Expression { numerator, denominator } = &indicator.formula else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for category_id in &indicator.disaggregations {
        let Some(category) = catalogue.categories.get(category_id) else { continue };
        for option in &category.options {
            out.push((
                category_id.clone(),
                option.id.clone(),
                with_filter(catalogue, numerator, category_id, &option.id),
                denominator.as_ref().map(|d| with_filter(catalogue, d, category_id, &option.id)),
            ));
        }
    }
    out
}

/// Collects the element references of every indicator, validation rule and plugin input, once each, in
/// a deterministic order.
fn collect_refs(catalogue: &Catalogue, plugin_inputs: &BTreeMap<String, Vec<String>>) -> Vec<ElementRef> {
    let mut refs: BTreeSet<(String, BTreeMap<String, String>)> = BTreeSet::new();
    let mut add = |r: &ElementRef| {
        refs.insert((r.element.clone(), r.filter.clone()));
    };
    for indicator in catalogue.indicators.values() {
        for r in indicator_refs(indicator, plugin_inputs) {
            add(&r);
        }
        for (_, _, numerator, denominator) in breakdown_formulas(catalogue, indicator) {
            for r in numerator.elements().into_iter().chain(denominator.iter().flat_map(|d| d.elements())) {
                add(r);
            }
        }
    }
    for rule in catalogue.validation_rules.values() {
        for r in rule.left.elements().into_iter().chain(rule.right.elements()) {
            add(r);
        }
    }
    refs.into_iter().map(|(element, filter)| ElementRef { element, filter, offset: 0 }).collect()
}

fn source_names(store: &ObservationStore, mask: SourceMask) -> Vec<String> {
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

/// (category, option, points) of one breakdown before suppression.
type RawBreakdown = (String, String, Vec<RawPoint>);

/// A computed indicator value before suppression.
#[derive(Debug, Clone)]
struct RawPoint {
    period: Period,
    value: f64,
    numerator: Option<f64>,
    denominator: Option<f64>,
    sources: SourceMask,
    provisional: bool,
    from_children: bool,
    /// Built from part of the expected units or periods.
    partial: bool,
    coverage: Option<Coverage>,
}

/// Units left out of a ratio, by (indicator, unit, the part it lacks): the periods and the parents it was left out of.
type Unmatched = BTreeMap<(String, String, Side), (BTreeSet<Period>, BTreeSet<String>)>;

/// Evaluates the catalogue's indicators on the observations.
pub fn evaluate(
    catalogue: &Catalogue,
    store: &ObservationStore,
    settings: &EvaluationSettings,
    provider: Option<&dyn MetricProvider>,
) -> Evaluation {
    let mut plugin_failures: Vec<PluginFailure> = Vec::new();
    let mut failed_plugins: BTreeMap<String, String> = BTreeMap::new();
    // Plugin inputs come from the plugins' own descriptions.
    let mut plugin_inputs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for indicator in catalogue.indicators.values() {
        if let Formula::Plugin(plugin) = &indicator.formula {
            if plugin_inputs.contains_key(&plugin.plugin) || failed_plugins.contains_key(&plugin.plugin) {
                continue;
            }
            let described = match provider {
                Some(provider) => provider.describe(&plugin.plugin),
                None => Err(PluginFailure {
                    plugin: plugin.plugin.clone(),
                    kind: "not-loaded".to_owned(),
                    message: "no plugin host was given to the evaluation".to_owned(),
                }),
            };
            match described {
                Ok(description) => {
                    plugin_inputs.insert(plugin.plugin.clone(), description.inputs);
                }
                Err(failure) => {
                    failed_plugins.insert(plugin.plugin.clone(), failure.to_string());
                    plugin_failures.push(failure);
                }
            }
        }
    }

    let kinds = sources::SourceKinds::new(catalogue, store);
    let splits: BTreeMap<String, Split> = split_units(catalogue);
    let refs = collect_refs(catalogue, &plugin_inputs);
    let rules: Vec<AggregationRule> = refs.iter().map(|r| rule_for(catalogue, &r.element)).collect();
    let mut cube = Cube::build(catalogue, store, refs, rules, settings.threads);
    let mut diagnostics = store::duplicate_diagnostics_for(store, cube.duplicates());
    diagnostics.extend(cube.aggregation_diagnostics(catalogue));
    let reported = cube.reported_periods();
    let periods = output_periods(catalogue, &reported, settings);
    if let Some(filter) = settings.period
        && !reported.iter().any(|p| p.end() <= settings.as_of && filter.contains(p))
    {
        diagnostics.push(no_data_in_period(filter, settings.as_of, &reported));
    }

    let all_units: Vec<String> = catalogue
        .org_units
        .values()
        .filter(|u| matches!(u.level, OrgUnitLevel::Country | OrgUnitLevel::Province))
        .map(|u| u.id.clone())
        .collect();
    let units: Vec<String> = if settings.org_units.is_empty() {
        all_units.clone()
    } else {
        let mut units = settings.org_units.clone();
        units.sort();
        units.dedup();
        units
    };
    // Suppression is decided over every unit and period, whatever the filters: a pattern decided over the filtered
    // output only would differ between two runs, and comparing them would reveal what each one hides.
    let suppression_units: Vec<String> =
        all_units.iter().chain(&units).cloned().collect::<BTreeSet<String>>().into_iter().collect();
    let suppression_periods =
        output_periods(catalogue, &reported, &EvaluationSettings { period: None, ..settings.clone() });

    // Every reference at every output unit and period, on both cores; the passes below read the memo.
    cube.warm(&units, &periods, settings.threads);

    // Validation and completeness read the data only: on a second core, with a cube of their own, while this
    // thread computes the indicators.
    let mut checks_cube = cube.fork();
    let (indicators, unmatched, blended, (validation, completeness, unchecked)) = std::thread::scope(|scope| {
        let inline =
            (settings.threads <= 1).then(|| checks(catalogue, store, settings, &mut checks_cube, &periods, &kinds));
        let checking = inline
            .is_none()
            .then(|| scope.spawn(|| checks(catalogue, store, settings, &mut checks_cube, &periods, &kinds)));
        // Raw values of every indicator at every unit and period.
        let mut raw: BTreeMap<(String, String), Vec<RawPoint>> = BTreeMap::new();
        let mut failures: BTreeMap<String, String> = BTreeMap::new();
        let mut unmatched: Unmatched = BTreeMap::new();
        let mut blended: Vec<Diagnostic> = Vec::new();
        for indicator in catalogue.indicators.values() {
            if !indicator.measure.is_quantitative() {
                continue;
            }
            let mut total_ratio = match &indicator.formula {
                Formula::Expression { numerator, denominator: Some(denominator) } => {
                    MatchedRatio::new(&cube, numerator, denominator, PeriodSet::new(&periods))
                }
                _ => None,
            };
            for unit in &units {
                let points = match &indicator.formula {
                    Formula::Plugin(plugin) => {
                        if let Some(why) = failed_plugins.get(&plugin.plugin) {
                            failures.insert(indicator.id.clone(), why.clone());
                            Vec::new()
                        } else {
                            match plugin_points(indicator, plugin, unit, &periods, &plugin_inputs, &mut cube, provider)
                            {
                                Ok(points) => points,
                                Err(failure) => {
                                    failures.insert(indicator.id.clone(), failure.to_string());
                                    failed_plugins.insert(plugin.plugin.clone(), failure.to_string());
                                    plugin_failures.push(failure);
                                    Vec::new()
                                }
                            }
                        }
                    }
                    Formula::Expression { numerator, denominator } => expression_points(
                        indicator,
                        (numerator, denominator.as_ref()),
                        unit,
                        &periods,
                        &mut cube,
                        total_ratio.as_mut(),
                        &mut unmatched,
                    ),
                    Formula::Reported => {
                        let index = cube.ref_index(&reported_ref(indicator));
                        periods
                            .iter()
                            .filter_map(|p| {
                                let value = cube.value(index?, unit, *p)?;
                                if cube.is_own_partial_period(unit, &value) {
                                    return None;
                                }
                                Some(RawPoint {
                                    period: *p,
                                    value: value.value,
                                    numerator: None,
                                    denominator: None,
                                    sources: value.sources,
                                    provisional: value.provisional,
                                    from_children: value.from_children,
                                    partial: value.is_partial(),
                                    coverage: cube.coverage(index?, unit, *p),
                                })
                            })
                            .collect()
                    }
                };
                let points = refuse_blends(points, &kinds, (&indicator.id, unit, ""), &mut blended);
                raw.insert((indicator.id.clone(), unit.clone()), points);
            }
        }

        // Breakdowns by disaggregation option, for expression indicators.
        let mut raw_breakdowns: BTreeMap<(String, String), Vec<RawBreakdown>> = BTreeMap::new();
        for indicator in catalogue.indicators.values() {
            let formulas = breakdown_formulas(catalogue, indicator);
            if formulas.is_empty() {
                continue;
            }
            let mut ratios: Vec<Option<MatchedRatio>> = formulas
                .iter()
                .map(|(_, _, numerator, denominator)| {
                    MatchedRatio::new(&cube, numerator, denominator.as_ref()?, PeriodSet::new(&periods))
                })
                .collect();
            for unit in &units {
                let mut list = Vec::new();
                for ((category, option, numerator, denominator), ratio) in formulas.iter().zip(&mut ratios) {
                    let points = expression_points(
                        indicator,
                        (numerator, denominator.as_ref()),
                        unit,
                        &periods,
                        &mut cube,
                        ratio.as_mut(),
                        &mut unmatched,
                    );
                    let variant = format!("{category}={option}");
                    let points = refuse_blends(points, &kinds, (&indicator.id, unit, &variant), &mut blended);
                    if !points.is_empty() {
                        list.push((category.clone(), option.clone(), points));
                    }
                }
                raw_breakdowns.insert((indicator.id.clone(), unit.clone()), list);
            }
        }

        let states = suppression_states(
            catalogue,
            settings,
            &mut cube,
            &suppression_units,
            &suppression_periods,
            &plugin_inputs,
        );

        let mut indicators = Vec::new();
        for indicator in catalogue.indicators.values() {
            for unit in &units {
                let Some(points) = raw.get(&(indicator.id.clone(), unit.clone())) else {
                    if !indicator.measure.is_quantitative() {
                        continue;
                    }
                    continue;
                };
                let targets = targets_for(catalogue, &indicator.id, unit);
                if points.is_empty() && targets.is_empty() && !failures.contains_key(&indicator.id) {
                    continue;
                }
                indicators.push(indicator_result(
                    catalogue,
                    store,
                    settings,
                    indicator,
                    unit,
                    points,
                    targets,
                    &states,
                    failures.get(&indicator.id).cloned(),
                    raw_breakdowns.get(&(indicator.id.clone(), unit.clone())).map_or(&[][..], Vec::as_slice),
                    &kinds,
                    splits.get(unit),
                ));
            }
        }
        let checked = match checking {
            Some(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => inline.unwrap_or_default(),
        };
        (indicators, unmatched, blended, checked)
    });
    diagnostics.extend(unmatched_diagnostics(catalogue, unmatched));
    diagnostics.extend(blended);
    diagnostics.extend(unchecked_blends(unchecked));

    plugin_failures.sort_by(|a, b| (&a.plugin, &a.kind, &a.message).cmp(&(&b.plugin, &b.kind, &b.message)));
    plugin_failures.dedup();
    let mut summary = Summary { results: indicators.len(), violations: validation.len(), ..Summary::default() };
    for result in &indicators {
        *summary.by_status.entry(result.status).or_default() += 1;
        summary.suppressed_points += result
            .series
            .iter()
            .filter(|p| matches!(p.state, ValueState::Suppressed | ValueState::SuppressedSecondary))
            .count();
        summary.partial_points +=
            result.series.iter().filter(|p| p.coverage.as_ref().is_some_and(|c| !c.complete)).count();
        summary.failed += usize::from(result.failure.is_some());
    }
    Evaluation {
        as_of: settings.as_of,
        method: settings.method,
        threshold: settings.threshold,
        show_suppressed: settings.show_suppressed,
        summary,
        indicators,
        validation,
        completeness,
        plugin_failures,
        wholly_synthetic: kinds.all_synthetic(),
        any_synthetic: kinds.any_synthetic(),
        diagnostics,
    }
}

/// Per unit that an old unit split into: the old units and the day after the last of them ended.
fn split_units(catalogue: &Catalogue) -> BTreeMap<String, Split> {
    let units = succession::Units::build(catalogue);
    let mut out = BTreeMap::new();
    for (index, from) in units.split_from.iter().enumerate() {
        if from.is_empty() {
            continue;
        }
        let ended = from.iter().filter_map(|&u| units.valid[u as usize].1).max().and_then(|d| d.succ_opt());
        let names = from.iter().map(|&u| units.ids[u as usize].clone()).collect();
        out.insert(units.ids[index].clone(), (names, ended));
    }
    out
}

/// Drops the points whose sources blend synthetic with real values (a national sum of real and synthetic provinces, a
/// rate with a real numerator and a synthetic denominator), with one W333 warning per indicator, unit and variant.
fn refuse_blends(
    mut points: Vec<RawPoint>,
    kinds: &sources::SourceKinds,
    (indicator, unit, variant): (&str, &str, &str),
    out: &mut Vec<Diagnostic>,
) -> Vec<RawPoint> {
    let refused: Vec<String> =
        points.iter().filter(|p| kinds.mixes_synthetic(p.sources)).map(|p| p.period.to_string()).collect();
    if refused.is_empty() {
        return points;
    }
    points.retain(|p| !kinds.mixes_synthetic(p.sources));
    let what = if variant.is_empty() { indicator.to_owned() } else { format!("{indicator} [{variant}]") };
    out.push(
        Diagnostic::warning(
            "W333",
            "synthetic-blend",
            format!("{what} at {unit}: {} would blend synthetic and real values; not computed", refused.join(", ")),
        )
        .with_hint("synthetic data never enters a value together with real data; report the real figure for every part, or evaluate the synthetic data on its own"),
    );
    points
}

/// A validation check left out: (rule, org unit, period).
type Unchecked = (String, String, Period);

/// W333 for validation checks left out because one side is synthetic and the other real.
fn unchecked_blends(unchecked: Vec<Unchecked>) -> Vec<Diagnostic> {
    let mut by_rule: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (rule, unit, period) in unchecked {
        by_rule.entry(rule).or_default().push(format!("{unit} {period}"));
    }
    by_rule
        .into_iter()
        .map(|(rule, cells)| {
            Diagnostic::warning(
                "W333",
                "synthetic-blend",
                format!(
                    "validation rule {rule} not checked where it would compare synthetic with real values: {}",
                    cells.join(", ")
                ),
            )
            .with_hint("a rule compares values of one kind; the synthetic and real figures are checked separately")
        })
        .collect()
}

/// W330: units left out of a ratio because they reported one of its parts without the other, one warning per
/// indicator, unit and missing part.
fn unmatched_diagnostics(catalogue: &Catalogue, unmatched: Unmatched) -> Vec<Diagnostic> {
    unmatched
        .into_iter()
        .map(|((indicator, unit, side), (periods, parents))| {
            let (has, lacks) = match (&catalogue.indicators.get(&indicator).map(|i| &i.formula), side) {
                (Some(Formula::Expression { numerator, denominator: Some(denominator) }), Side::Numerator) => {
                    (denominator.to_string(), numerator.to_string())
                }
                (Some(Formula::Expression { numerator, denominator: Some(denominator) }), Side::Denominator) => {
                    (numerator.to_string(), denominator.to_string())
                }
                _ => ("one part".to_owned(), "the other".to_owned()),
            };
            let periods: Vec<String> = periods.iter().map(Period::to_string).collect();
            let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
            let left_out = if parents.is_empty() { String::new() } else { format!(" (at {})", parents.join(", ")) };
            Diagnostic::warning(
                "W330",
                "unmatched-ratio-part",
                format!(
                    "{indicator}: {unit} reports {has} without {lacks} in {}; it is left out of the ratio{left_out}",
                    periods.join(", ")
                ),
            )
            .with_hint(format!(
                "report both {has} and {lacks} for {unit}, or neither; the other units' parts are matched"
            ))
        })
        .collect()
}

/// W302: the period asked for holds no reported period (up to the as-of date), so every result is empty.
fn no_data_in_period(filter: Period, as_of: NaiveDate, reported: &[Period]) -> Diagnostic {
    let first = reported.iter().map(Period::start).min();
    let last = reported.iter().map(Period::end).max();
    let hint = match (first, last) {
        _ if filter.start() > as_of => format!("{filter} starts after the as-of date {as_of}"),
        (Some(first), Some(last)) => format!("the data covers {first} to {last}"),
        _ => "no data file has an observation of the catalogue's indicators".to_owned(),
    };
    Diagnostic::warning(
        "W302",
        "no-data-in-period",
        format!("no observation falls in {filter} (up to {as_of}): every result is empty"),
    )
    .with_hint(hint)
}

/// Validation findings and completeness, which read the data and the cube but no indicator.
fn checks(
    catalogue: &Catalogue,
    store: &ObservationStore,
    settings: &EvaluationSettings,
    cube: &mut Cube,
    periods: &[Period],
    kinds: &sources::SourceKinds,
) -> (Vec<Violation>, Vec<Completeness>, Vec<Unchecked>) {
    let mut validation = Vec::new();
    let mut unchecked = Vec::new();
    let mut reporting_units = cube.reporting_units();
    if !settings.org_units.is_empty() {
        reporting_units.retain(|u| settings.org_units.contains(u));
    }
    for rule in catalogue.validation_rules.values() {
        let rule_periods: Vec<Period> =
            periods.iter().filter(|p| p.period_type() == rule.period_type).copied().collect();
        validation.extend(validation::validate_rule(
            rule,
            catalogue,
            cube,
            &reporting_units,
            &rule_periods,
            kinds,
            &mut unchecked,
        ));
    }
    validation.sort_by(|a, b| (&a.org_unit, a.period, &a.rule).cmp(&(&b.org_unit, b.period, &b.rule)));

    let completeness: Vec<Completeness> = catalogue
        .data_sets
        .values()
        .map(|data_set| {
            let ds_periods: Vec<Period> =
                periods.iter().filter(|p| p.period_type() == data_set.period_type).copied().collect();
            completeness::completeness(catalogue, store, data_set, &ds_periods)
        })
        .collect();

    (validation, completeness, unchecked)
}

/// The points of an expression at `unit` for each of `periods`: a ratio (with a denominator) from matched parts when
/// `ratio` is given, else the expression over the aggregated elements, period by period. Units left out of a ratio
/// are added to `unmatched`.
#[allow(clippy::too_many_arguments)]
fn expression_points(
    indicator: &Indicator,
    (numerator, denominator): (&Expr, Option<&Expr>),
    unit: &str,
    periods: &[Period],
    cube: &mut Cube,
    ratio: Option<&mut MatchedRatio>,
    unmatched: &mut Unmatched,
) -> Vec<RawPoint> {
    let (Some(denominator), Some(ratio)) = (denominator, ratio) else {
        return periods
            .iter()
            .filter_map(|p| expression_point(indicator, numerator, denominator, unit, *p, cube))
            .collect();
    };
    let Some(all_parts) = ratio.parts(cube, unit) else { return Vec::new() };
    let refs: Vec<usize> =
        numerator.elements().into_iter().chain(denominator.elements()).filter_map(|r| cube.ref_index(r)).collect();
    let mut points = Vec::new();
    for (&period, parts) in periods.iter().zip(all_parts) {
        let Some(parts) = parts else { continue };
        for &(left_out, side) in &parts.unmatched {
            let entry =
                unmatched.entry((indicator.id.clone(), cube.units.ids[left_out as usize].clone(), side)).or_default();
            entry.0.insert(period);
            if cube.units.ids[left_out as usize] != unit {
                entry.1.insert(unit.to_owned());
            }
        }
        let Some((top, bottom)) = parts.sums.filter(|(_, bottom)| *bottom != 0.0) else { continue };
        if cube.is_own_partial_period(unit, &parts.meta) {
            continue;
        }
        let partial = parts.meta.is_partial() || !parts.unmatched.is_empty();
        let coverage = (parts.meta.from_children || parts.meta.expected > 1 || partial).then(|| {
            let mut coverage = Coverage::default();
            for (position, &r) in refs.iter().enumerate() {
                match (position, cube.coverage(r, unit, period)) {
                    (0, Some(found)) => coverage = found,
                    (_, Some(found)) => coverage.merge(&found),
                    _ => {}
                }
            }
            coverage.expected = parts.meta.expected;
            coverage.reported = parts.meta.reported;
            coverage.complete = !partial;
            coverage.unmatched = parts.unmatched.iter().map(|(u, _)| cube.units.ids[*u as usize].clone()).collect();
            coverage.unmatched.sort();
            coverage.unmatched.dedup();
            coverage
        });
        points.push(RawPoint {
            period,
            value: top / bottom * indicator.measure.factor(),
            numerator: Some(top),
            denominator: Some(bottom),
            sources: parts.meta.sources,
            provisional: parts.meta.provisional,
            from_children: parts.meta.from_children,
            partial,
            coverage,
        });
    }
    points
}

/// The value of an expression over aggregated elements at one unit and period, with the coverage of the elements it
/// reads (the worst of them).
fn expression_point(
    indicator: &Indicator,
    numerator: &Expr,
    denominator: Option<&Expr>,
    unit: &str,
    period: Period,
    cube: &mut Cube,
) -> Option<RawPoint> {
    let mut sources: SourceMask = 0;
    let mut provisional = false;
    let mut from_children = false;
    let mut partial = false;
    let mut read: Vec<usize> = Vec::new();
    let mut lookup = |r: &ElementRef| {
        let index = cube.ref_index(r)?;
        let value = cube.value(index, unit, period)?;
        if cube.is_own_partial_period(unit, &value) {
            return None;
        }
        sources |= value.sources;
        provisional |= value.provisional;
        from_children |= value.from_children;
        partial |= value.is_partial();
        read.push(index);
        Some(value.value)
    };
    let top = numerator.evaluate(&mut lookup)?;
    let (value, bottom) = match denominator {
        Some(denominator) => {
            let bottom = denominator.evaluate(&mut lookup)?;
            if bottom == 0.0 {
                return None;
            }
            (top / bottom * indicator.measure.factor(), Some(bottom))
        }
        None => (top, None),
    };
    let mut coverage: Option<Coverage> = None;
    for index in read {
        if let Some(found) = cube.coverage(index, unit, period) {
            match &mut coverage {
                Some(coverage) => coverage.merge(&found),
                None => coverage = Some(found),
            }
        }
    }
    Some(RawPoint {
        period,
        value,
        numerator: denominator.map(|_| top),
        denominator: bottom,
        sources,
        provisional,
        from_children,
        partial,
        coverage,
    })
}

fn plugin_points(
    indicator: &Indicator,
    plugin: &crate::model::PluginMetricRef,
    unit: &str,
    periods: &[Period],
    plugin_inputs: &BTreeMap<String, Vec<String>>,
    cube: &mut Cube,
    provider: Option<&dyn MetricProvider>,
) -> Result<Vec<RawPoint>, PluginFailure> {
    let Some(provider) = provider else {
        return Ok(Vec::new());
    };
    let inputs = plugin_inputs.get(&plugin.plugin).cloned().unwrap_or_default();
    let mut out = Vec::new();
    let mut reported: Option<PluginFailure> = None;
    let mut called_ok = false;
    for period in periods {
        let mut metric_inputs = Vec::new();
        let mut sources: SourceMask = 0;
        let mut provisional = false;
        let mut from_children = false;
        let mut partial = false;
        for name in &inputs {
            let element_ref = ElementRef { element: name.clone(), filter: BTreeMap::new(), offset: 0 };
            let value = cube.ref_index(&element_ref).and_then(|i| cube.value(i, unit, *period));
            if let Some(v) = value {
                sources |= v.sources;
                provisional |= v.provisional;
                from_children |= v.from_children;
                partial |= v.is_partial();
            }
            metric_inputs.push(MetricInput {
                name: name.clone(),
                org_unit: unit.to_owned(),
                period: *period,
                value: value.map(|v| v.value),
            });
        }
        if metric_inputs.iter().all(|i| i.value.is_none()) {
            continue;
        }
        let request = MetricRequest {
            plugin: plugin.plugin.clone(),
            org_unit: unit.to_owned(),
            periods: vec![*period],
            inputs: metric_inputs,
            params: plugin.params.clone(),
        };
        // A plugin that reports an error of its own (e.g. one of its inputs is missing in this period) has judged
        // this one point, not the whole run: the point stays missing and the other periods go on. A sandbox
        // failure (trap, fuel, memory, timeout…) fails the plugin for the whole run.
        let values = match provider.compute(&request) {
            Ok(values) => values,
            Err(failure) if failure.kind == "plugin-reported" => {
                reported.get_or_insert(failure);
                continue;
            }
            Err(failure) => return Err(failure),
        };
        called_ok = true;
        let value = values.iter().find(|v| v.name == plugin.metric).and_then(|v| v.value);
        if let Some(value) = value {
            out.push(RawPoint {
                period: *period,
                value,
                numerator: None,
                denominator: None,
                sources,
                provisional,
                from_children,
                partial,
                coverage: None,
            });
        }
    }
    let _ = indicator;
    // When the plugin refused every period it was asked about, its own error is the indicator's result.
    match reported {
        Some(failure) if !called_ok => Err(failure),
        _ => Ok(out),
    }
}

/// Every target set for `indicator` at `unit` by any plan, in period then plan order.
fn targets_for(catalogue: &Catalogue, indicator: &str, unit: &str) -> Vec<(String, crate::model::Target)> {
    let mut out: Vec<(String, crate::model::Target)> = catalogue
        .plans
        .values()
        .flat_map(|plan| {
            plan.targets_for(indicator)
                .filter(|t| t.org_unit.as_deref().unwrap_or(&plan.org_unit) == unit)
                .map(|t| (plan.id.clone(), t.clone()))
        })
        .collect();
    out.sort_by(|a, b| (a.1.period, &a.0).cmp(&(b.1.period, &b.0)));
    out
}

/// (indicator, variant (\"\" for the total, \"category=option\" for a breakdown), org unit, period)
type StateKey = (String, String, String, Period);

/// Runs primary and secondary suppression over the sensitive element references at every output unit and
/// period, and maps the result to indicator cells: an indicator value is suppressed when any sensitive
/// reference it reads is suppressed there (no rate from a suppressed numerator).
fn suppression_states(
    catalogue: &Catalogue,
    settings: &EvaluationSettings,
    cube: &mut Cube,
    units: &[String],
    periods: &[Period],
    plugin_inputs: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<StateKey, CellState> {
    let mut out = BTreeMap::new();
    if settings.threshold <= 0.0 {
        return out;
    }
    let sensitive_refs: Vec<usize> =
        (0..cube.refs().len()).filter(|&i| is_sensitive(catalogue, &cube.refs()[i].element)).collect();
    if sensitive_refs.is_empty() {
        return out;
    }
    let unit_set: BTreeSet<&String> = units.iter().collect();
    let mut index: BTreeMap<(usize, String, Period), usize> = BTreeMap::new();
    let mut values = Vec::new();
    for &r in &sensitive_refs {
        for unit in units {
            for period in periods {
                index.insert((r, unit.clone(), *period), values.len());
                values.push(cube.value(r, unit, *period).map(|a| a.value));
            }
        }
    }
    let mut relations = Vec::new();
    let cell = |r: usize, unit: &str, period: Period| index.get(&(r, unit.to_owned(), period)).copied();
    for &r in &sensitive_refs {
        for unit in units {
            // Children and predecessors that are themselves output units.
            let mut children: Vec<&String> = catalogue
                .org_units
                .values()
                .filter(|u| u.parent.as_deref() == Some(unit.as_str()) && u.successors.is_empty())
                .map(|u| &u.id)
                .filter(|id| unit_set.contains(id))
                .collect();
            children.sort();
            let predecessors: Vec<String> =
                cube.territory_of(unit).into_iter().filter(|p| p != unit && unit_set.contains(p)).collect();
            for period in periods {
                let Some(total) = cell(r, unit, *period) else { continue };
                for group in [
                    children.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                    predecessors.iter().map(String::as_str).collect(),
                ] {
                    let parts: Vec<usize> = group.iter().filter_map(|c| cell(r, c, *period)).collect();
                    if !parts.is_empty() {
                        relations.push(Relation { total, parts });
                    }
                }
                let sub_types: &[PeriodType] = match period.period_type() {
                    PeriodType::Year => &[PeriodType::Half, PeriodType::Quarter],
                    PeriodType::Half => &[PeriodType::Quarter],
                    _ => &[],
                };
                for &sub_type in sub_types {
                    let subs = period.subdivide(sub_type);
                    if subs.len() < 2 {
                        continue;
                    }
                    let parts: Vec<usize> = subs.iter().filter_map(|s| cell(r, unit, *s)).collect();
                    if parts.len() == subs.len() {
                        relations.push(Relation { total, parts });
                    }
                }
            }
        }
    }
    // Disaggregation: a reference = the sum of the same reference restricted to each option of a category.
    for &r in &sensitive_refs {
        let total_ref = cube.refs()[r].clone();
        let categories =
            catalogue.data_elements.get(&total_ref.element).map(|de| de.categories.clone()).unwrap_or_default();
        for category_id in categories {
            let Some(category) = catalogue.categories.get(&category_id) else { continue };
            if total_ref.filter.contains_key(&category_id) {
                continue;
            }
            let part_refs: Option<Vec<usize>> = category
                .options
                .iter()
                .map(|option| {
                    let mut part = total_ref.clone();
                    part.filter.insert(category_id.clone(), option.id.clone());
                    cube.ref_index(&part)
                })
                .collect();
            let Some(part_refs) = part_refs else { continue };
            for unit in units {
                for period in periods {
                    let Some(total) = cell(r, unit, *period) else { continue };
                    let parts: Vec<usize> = part_refs.iter().filter_map(|&p| cell(p, unit, *period)).collect();
                    if !parts.is_empty() {
                        relations.push(Relation { total, parts });
                    }
                }
            }
        }
    }
    let sensitive = vec![true; values.len()];
    let states = suppression::suppress(&values, &sensitive, settings.threshold, &relations);
    // Map to indicators and their breakdowns.
    let worst_state = |cube: &Cube, refs: Vec<&ElementRef>, unit: &String, period: Period| {
        refs.into_iter()
            .filter_map(|r| cube.ref_index(r))
            .filter_map(|r| index.get(&(r, unit.clone(), period)))
            .map(|&i| states[i])
            .filter(|s| *s != CellState::Published)
            .min_by_key(|s| match s {
                CellState::Primary => 0,
                _ => 1,
            })
    };
    for indicator in catalogue.indicators.values() {
        let total_refs = indicator_refs(indicator, plugin_inputs);
        let mut variants: Vec<(String, Vec<ElementRef>)> = vec![(String::new(), total_refs)];
        for (category, option, numerator, denominator) in breakdown_formulas(catalogue, indicator) {
            let refs: Vec<ElementRef> = numerator
                .elements()
                .into_iter()
                .chain(denominator.iter().flat_map(|d| d.elements()))
                .cloned()
                .collect();
            variants.push((format!("{category}={option}"), refs));
        }
        for (variant, refs) in &variants {
            if !refs.iter().any(|r| is_sensitive(catalogue, &r.element)) {
                continue;
            }
            for unit in units {
                for period in periods {
                    if let Some(state) = worst_state(cube, refs.iter().collect(), unit, *period) {
                        out.insert((indicator.id.clone(), variant.clone(), unit.clone(), *period), state);
                    }
                }
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn indicator_result(
    catalogue: &Catalogue,
    store: &ObservationStore,
    settings: &EvaluationSettings,
    indicator: &Indicator,
    unit: &str,
    points: &[RawPoint],
    targets: Vec<(String, crate::model::Target)>,
    states: &BTreeMap<StateKey, CellState>,
    failure: Option<String>,
    breakdowns: &[RawBreakdown],
    kinds: &sources::SourceKinds,
    split: Option<&Split>,
) -> IndicatorResult {
    let visible = |state: ValueState| state == ValueState::Value || settings.show_suppressed;
    let series_state = |variant: &str, period: Period| match states.get(&(
        indicator.id.clone(),
        variant.to_owned(),
        unit.to_owned(),
        period,
    )) {
        Some(CellState::Primary) => ValueState::Suppressed,
        Some(CellState::Secondary) => ValueState::SuppressedSecondary,
        _ => ValueState::Value,
    };
    let state_of = |period: Period| series_state("", period);
    // Under `exclude` and `require-complete`, a partial value decides nothing: no status, target, trend or change.
    // A status, target, trend or headline never rests on synthetic values unless the whole project is synthetic.
    let synthetic = |raw: &RawPoint| kinds.is_synthetic(raw.sources);
    let decides = |raw: &RawPoint| {
        (!raw.partial || settings.coverage == CoveragePolicy::Flag) && (!synthetic(raw) || kinds.all_synthetic())
    };
    let build_series = |points: &[RawPoint], variant: &str| -> Vec<Point> {
        let by_period: BTreeMap<Period, &RawPoint> = points.iter().map(|p| (p.period, p)).collect();
        points
            .iter()
            .map(|raw| {
                let state = match series_state(variant, raw.period) {
                    ValueState::Value if raw.partial && settings.coverage == CoveragePolicy::RequireComplete => {
                        ValueState::Incomplete
                    }
                    state => state,
                };
                let previous_period = raw.period.same_period_last_year();
                let change = by_period.get(&previous_period).and_then(|previous| {
                    let previous_state = series_state(variant, previous_period);
                    let same_basis = previous.from_children == raw.from_children;
                    let comparable = (!raw.partial && !previous.partial || settings.coverage == CoveragePolicy::Flag)
                        && synthetic(raw) == synthetic(previous);
                    (same_basis && comparable && visible(state) && visible(previous_state)).then(|| Change {
                        previous_period,
                        previous_value: previous.value,
                        absolute: raw.value - previous.value,
                        percent: (previous.value != 0.0).then(|| (raw.value - previous.value) / previous.value * 100.0),
                    })
                });
                let show = visible(state) && state != ValueState::Incomplete;
                Point {
                    period: raw.period,
                    value: show.then_some(raw.value),
                    state,
                    numerator: raw.numerator.filter(|_| show),
                    denominator: raw.denominator.filter(|_| show),
                    sources: source_names(store, raw.sources),
                    provisional: raw.provisional,
                    synthetic: synthetic(raw),
                    basis: if raw.from_children { Basis::Aggregated } else { Basis::Reported },
                    coverage: raw.coverage.clone(),
                    change,
                }
            })
            .collect()
    };
    let by_period: BTreeMap<Period, &RawPoint> = points.iter().map(|p| (p.period, p)).collect();
    let series = build_series(points, "");
    let breakdowns: Vec<Breakdown> = breakdowns
        .iter()
        .map(|(category, option, points)| Breakdown {
            category: category.clone(),
            option: option.clone(),
            series: build_series(points, &format!("{category}={option}")),
        })
        .collect();
    // The trajectory, the latest value and whether a target is met use yearly values of one basis: those reported
    // for the unit when there are any, else the sums over its children, so that a trend never runs from a reported
    // national figure to a province sum, and the headline value is never a sum the trend left out.
    // The base is the plan's baseline for this unit, if any.
    let all_years = points.iter().filter(|p| p.period.period_type() == PeriodType::Year && decides(p));
    let any_reported = all_years.clone().any(|p| !p.from_children);
    let yearly: Vec<&RawPoint> = all_years.filter(|p| p.from_children != any_reported).collect();
    let latest_raw = yearly
        .last()
        .copied()
        .or_else(|| points.iter().filter(|p| decides(p)).max_by_key(|p| (p.period.end(), p.period)));
    let latest = latest_raw.and_then(|raw| series.iter().find(|p| p.period == raw.period).cloned());
    let trajectory_series: Vec<(f64, f64)> = yearly.iter().map(|p| (f64::from(p.period.year()), p.value)).collect();
    let base = catalogue
        .plans
        .values()
        .flat_map(|plan| {
            plan.baselines
                .iter()
                .filter(|b| b.indicator == indicator.id && b.org_unit.as_deref().unwrap_or(&plan.org_unit) == unit)
        })
        .map(|b| (f64::from(b.period.end().year()), b.value))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let headline = targets.last();
    let target_spec = headline.map(|(_, t)| progress::TargetSpec {
        comparator: t.comparator,
        value: t.value,
        year: f64::from(t.period.end().year()),
    });
    let trajectory = progress::Trajectory {
        series: &trajectory_series,
        base,
        target: target_spec,
        direction: indicator.direction,
        limit: indicator.limit.or((indicator.measure == Measure::Percent).then_some(100.0)),
    };
    // With no yearly series, the latest value of any period still decides whether a target is met.
    let latest_any = latest_raw.map(|p| p.value);
    let assessments: Vec<Assessment> = Method::ALL
        .into_iter()
        .map(|method| {
            let mut assessment = progress::assess(method, &trajectory);
            if assessment.status == Status::InsufficientData
                && let (Some(value), Some(spec)) = (latest_any, target_spec.as_ref())
                && progress::target_met(value, spec)
            {
                assessment.status = Status::Achieved;
                assessment.explanation =
                    format!("the latest value {} meets the target {} {}", value, spec.comparator.symbol(), spec.value);
            }
            assessment
        })
        .collect();
    // A trajectory through a suppressed value would publish it in another form (a growth rate from a known base,
    // the side of the target it lies on): in published output such an indicator is not assessed.
    let hides_suppressed = !settings.show_suppressed
        && (yearly.iter().any(|p| !visible(state_of(p.period)))
            || latest_raw.is_some_and(|p| !visible(state_of(p.period))));
    let assessments: Vec<Assessment> = if hides_suppressed {
        assessments
            .into_iter()
            .map(|assessment| Assessment {
                status: Status::InsufficientData,
                score: None,
                details: Vec::new(),
                explanation: "not assessed in published output: the series has suppressed values".to_owned(),
                ..assessment
            })
            .collect()
    } else {
        assessments
    };
    let status = if failure.is_some() {
        Status::InsufficientData
    } else {
        assessments.iter().find(|a| a.method == settings.method).map_or(Status::InsufficientData, |a| a.status)
    };
    let target_count = targets.len();
    let target_results = targets
        .into_iter()
        .enumerate()
        .map(|(position, (plan, target))| {
            // The value in the target period; else the latest value within it (a quarter of the target year);
            // else, for the final target only, the latest value of all.
            let at_period = by_period.get(&target.period).copied().filter(|p| decides(p)).or_else(|| {
                points
                    .iter()
                    .filter(|p| target.period.contains(&p.period) && decides(p))
                    .max_by_key(|p| (p.period.end(), p.period))
            });
            let is_final = position + 1 == target_count;
            let compared = at_period.or(if is_final { latest_raw } else { None });
            let spec = progress::TargetSpec { comparator: target.comparator, value: target.value, year: 0.0 };
            let shown = compared.filter(|p| visible(state_of(p.period)));
            TargetResult {
                plan,
                period: target.period,
                comparator: target.comparator,
                value: target.value,
                source: target.source.clone(),
                compared_period: compared.map(|p| p.period),
                compared_value: shown.map(|p| p.value),
                compared_sources: compared.map(|p| source_names(store, p.sources)).unwrap_or_default(),
                // A suppressed value must not be recoverable from which side of the target it lies on.
                met: shown.map(|p| progress::target_met(p.value, &spec)),
                percent_of_target: shown.and_then(|p| progress::percent_of_target(p.value, &spec)),
                gap: shown.map(|p| progress::gap(p.value, &spec)),
            }
        })
        .collect();
    IndicatorResult {
        indicator: indicator.id.clone(),
        code: indicator.code.clone(),
        org_unit: unit.to_owned(),
        measure: indicator.measure,
        direction: indicator.direction,
        series,
        latest,
        targets: target_results,
        status,
        method: settings.method,
        assessments,
        failure,
        breakdowns,
        split_from: split.map(|s| s.0.clone()).unwrap_or_default(),
        comparable_from: split.and_then(|s| s.1),
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::unit;
    use super::*;
    use crate::model::{DataElement, Text, ValueType};

    /// vn with old provinces a and b (merged into ab) and c (unchanged, no successor); a has commune a1.
    fn catalogue() -> Catalogue {
        let mut catalogue = Catalogue::default();
        for u in [
            unit("vn", OrgUnitLevel::Country, None, None),
            unit("a", OrgUnitLevel::Province, Some("vn"), Some("ab")),
            unit("b", OrgUnitLevel::Province, Some("vn"), Some("ab")),
            unit("ab", OrgUnitLevel::Province, Some("vn"), None),
            unit("c", OrgUnitLevel::Province, Some("vn"), None),
            unit("a1", OrgUnitLevel::Commune, Some("a"), None),
        ] {
            catalogue.org_units.insert(u.id.clone(), u);
        }
        catalogue.categories.insert(
            "sex".to_owned(),
            crate::model::Category {
                id: "sex".to_owned(),
                name: Text::new("sex", "sex"),
                options: ["female", "male"]
                    .iter()
                    .map(|o| crate::model::CategoryOption { id: (*o).to_owned(), name: Text::new(*o, *o) })
                    .collect(),
            },
        );
        for (id, sensitive) in [("cases", false), ("victims", true), ("received", false), ("resolved", false)] {
            catalogue.data_elements.insert(
                id.to_owned(),
                DataElement {
                    id: id.to_owned(),
                    name: Text::new(id, id),
                    value_type: ValueType::Count,
                    time_aggregation: TimeAggregation::Sum,
                    org_unit_aggregation: OrgUnitAggregation::Sum,
                    sensitive,
                    categories: vec!["sex".to_owned()],
                    description: None,
                },
            );
        }
        let indicator = |id: &str, measure: Measure, numerator: &str, denominator: Option<&str>| Indicator {
            id: id.to_owned(),
            code: id.to_owned(),
            name: Text::new(id, id),
            definition: None,
            group: "g".to_owned(),
            measure,
            formula: Formula::Expression {
                numerator: Expr::parse(numerator).expect("test expression"),
                denominator: denominator.map(|d| Expr::parse(d).expect("test expression")),
            },
            direction: Direction::Increase,
            unit: None,
            decimals: 0,
            disaggregations: Vec::new(),
            agency: None,
            source: "s".to_owned(),
            scale: Vec::new(),
            limit: None,
            note: None,
        };
        let mut victims = indicator("victims", Measure::Count, "victims", None);
        victims.disaggregations = vec!["sex".to_owned()];
        for i in [
            indicator("cases", Measure::Count, "cases", None),
            victims,
            indicator("female-victims", Measure::Count, "victims[sex=female]", None),
            indicator("resolution", Measure::Percent, "resolved", Some("received")),
        ] {
            catalogue.indicators.insert(i.id.clone(), i);
        }
        catalogue
    }

    /// (element, org unit, period, disaggregation, value)
    type Row = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)], f64);

    fn store(rows: &[Row]) -> ObservationStore {
        let mut store = ObservationStore::new();
        let file = store.add_file("t.csv");
        for (row, (element, org_unit, period, disaggregation, value)) in rows.iter().enumerate() {
            store.push(&NewObservation {
                element,
                org_unit,
                period: Period::parse(period).expect("test period"),
                disaggregation,
                value: *value,
                source: if *org_unit == "vn" { "national" } else { "provincial" },
                status: ObservationStatus::Final,
                note: None,
                submitted: None,
                file,
                row: row as u32 + 2,
            });
        }
        store
    }

    fn value_of(evaluation: &Evaluation, indicator: &str, unit: &str, period: &str) -> Option<f64> {
        let result = evaluation.indicators.iter().find(|r| r.indicator == indicator && r.org_unit == unit)?;
        result.series.iter().find(|p| p.period.to_string() == period)?.value
    }

    fn settings() -> EvaluationSettings {
        EvaluationSettings::new(NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date"))
    }

    /// The benchmark catalogue with `communes` communes and their synthetic monthly data 2021-2025, seed 7, with
    /// submission dates if `dated`.
    fn synthetic_store(communes: usize, dated: bool) -> (Catalogue, ObservationStore) {
        let catalogue = synthetic::benchmark_catalogue(communes);
        let units = synthetic::benchmark_communes(&catalogue);
        let mut store = ObservationStore::new();
        let file = store.add_file("synthetic.csv");
        synthetic::generate(7, &units, 2021..=2025, crate::period::PeriodType::Month, |row| {
            store.push(&NewObservation {
                element: row.element,
                org_unit: row.org_unit,
                period: row.period,
                disaggregation: &[],
                value: row.value,
                source: synthetic::SYNTHETIC_SOURCE,
                status: ObservationStatus::Final,
                note: None,
                submitted: dated.then(|| synthetic::submission_date(7, row.org_unit, row.period)),
                file,
                row: 2,
            });
        });
        (catalogue, store)
    }

    #[test]
    fn warming_on_two_threads_gives_the_values_computed_one_at_a_time() {
        let (catalogue, store) = synthetic_store(200, false);
        let refs = collect_refs(&catalogue, &BTreeMap::new());
        let rules: Vec<AggregationRule> = refs.iter().map(|r| rule_for(&catalogue, &r.element)).collect();
        let mut lazy = Cube::build(&catalogue, &store, refs.clone(), rules.clone(), 1);
        let mut warmed = Cube::build(&catalogue, &store, refs.clone(), rules, 2);
        let units: Vec<String> = catalogue.org_units.keys().cloned().collect();
        let periods = output_periods(&catalogue, &lazy.reported_periods(), &settings());
        assert!(periods.len() > 60, "{}", periods.len());
        warmed.warm(&units, &periods, 2);
        let mut compared = 0;
        for ref_index in 0..refs.len() {
            for unit in &units {
                for period in &periods {
                    let (a, b) = (lazy.value(ref_index, unit, *period), warmed.value(ref_index, unit, *period));
                    assert_eq!(a.map(|v| v.value.to_bits()), b.map(|v| v.value.to_bits()), "{unit} {period}");
                    assert_eq!(a, b, "{unit} {period}");
                    compared += usize::from(a.is_some());
                }
            }
        }
        assert!(compared > 1000, "{compared}");
    }

    #[test]
    fn one_thread_and_two_give_the_same_evaluation() {
        let (catalogue, store) = synthetic_store(120, true);
        let one = evaluate(&catalogue, &store, &EvaluationSettings { threads: 1, ..settings() }, None);
        let two = evaluate(&catalogue, &store, &EvaluationSettings { threads: 2, ..settings() }, None);
        assert!(!one.indicators.is_empty() && !one.validation.is_empty() && !one.completeness.is_empty());
        assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&two).unwrap());
    }

    #[test]
    fn the_latest_value_has_the_basis_of_the_trajectory() {
        // The nation reported 2022 and 2023; 2024 exists only as a sum of provinces. The headline value is the
        // last reported one, as the trend uses reported years only; the 2024 sum stays in the series, marked.
        let catalogue = catalogue();
        let store = store(&[
            ("cases", "vn", "2022", &[], 90.0),
            ("cases", "vn", "2023", &[], 100.0),
            ("cases", "a", "2024", &[], 30.0),
            ("cases", "c", "2024", &[], 40.0),
        ]);
        let evaluation = evaluate(&catalogue, &store, &settings(), None);
        let result = evaluation.indicators.iter().find(|r| r.indicator == "cases" && r.org_unit == "vn").unwrap();
        let latest = result.latest.as_ref().expect("a latest value");
        assert_eq!((latest.period.to_string(), latest.value), ("2023".to_owned(), Some(100.0)));
        assert_eq!(value_of(&evaluation, "cases", "vn", "2024"), Some(70.0));
    }

    #[test]
    fn a_period_without_data_is_warned_about() {
        let catalogue = catalogue();
        let store = store(&[("cases", "vn", "2022", &[], 90.0), ("cases", "vn", "2023", &[], 100.0)]);
        let warnings = |period: &str, as_of: (i32, u32, u32)| -> Vec<String> {
            let settings = EvaluationSettings {
                period: Some(Period::parse(period).expect("test period")),
                ..EvaluationSettings::new(NaiveDate::from_ymd_opt(as_of.0, as_of.1, as_of.2).expect("valid date"))
            };
            let evaluation = evaluate(&catalogue, &store, &settings, None);
            evaluation.diagnostics.iter().map(|d| format!("{} {}", d.code, d.hints.join(" "))).collect()
        };
        assert!(warnings("2021..2023", (2024, 1, 15)).is_empty());
        assert_eq!(warnings("2018..2020", (2024, 1, 15)), ["W302 the data covers 2022-01-01 to 2023-12-31"]);
        // The 2023 figure is not yet due on 1 June 2023, and 2025 has not begun.
        assert_eq!(warnings("2023", (2023, 6, 1)), ["W302 the data covers 2022-01-01 to 2023-12-31"]);
        assert_eq!(warnings("2025", (2024, 1, 15)), ["W302 2025 starts after the as-of date 2024-01-15"]);
    }

    #[test]
    fn national_figures_win_children_fill_other_years_and_successors_sum_predecessors() {
        let rows: &[Row] = &[
            ("cases", "vn", "2022", &[], 90.0),
            ("cases", "a", "2022", &[], 30.0),
            ("cases", "a", "2023", &[], 31.0),
            ("cases", "b", "2023", &[], 12.0),
            ("cases", "c", "2023", &[], 20.0),
            ("cases", "a1", "2024", &[], 5.0),
            ("cases", "c", "2024", &[], 1.0),
        ];
        let evaluation = evaluate(&catalogue(), &store(rows), &settings(), None);
        // The national figure is not added to the provinces' 30.
        assert_eq!(value_of(&evaluation, "cases", "vn", "2022"), Some(90.0));
        // 2023: no national figure; the successor sums its predecessors, and the country counts them once.
        assert_eq!(value_of(&evaluation, "cases", "ab", "2023"), Some(43.0));
        assert_eq!(value_of(&evaluation, "cases", "vn", "2023"), Some(63.0));
        // 2024: a commune's data reaches its old province, the successor and the country.
        assert_eq!(value_of(&evaluation, "cases", "a", "2024"), Some(5.0));
        assert_eq!(value_of(&evaluation, "cases", "ab", "2024"), Some(5.0));
        assert_eq!(value_of(&evaluation, "cases", "vn", "2024"), Some(6.0));
        // No change is computed between a reported and an aggregated national value.
        let vn = evaluation.indicators.iter().find(|r| r.indicator == "cases" && r.org_unit == "vn").unwrap();
        let y2023 = vn.series.iter().find(|p| p.period.to_string() == "2023").unwrap();
        assert_eq!((y2023.basis, y2023.change.is_none()), (Basis::Aggregated, true));
        // Province b reported 2023 but not 2024: the 2024 sums are partial, b is named, and by default a partial
        // value is not compared with the year before; under `flag` it is.
        let y2024 = vn.series.iter().find(|p| p.period.to_string() == "2024").unwrap();
        let coverage = y2024.coverage.as_ref().expect("coverage of a sum of provinces");
        assert_eq!((coverage.reported, coverage.expected, coverage.missing.clone()), (2, 3, vec!["b".to_owned()]));
        assert!(y2024.change.is_none());
        let flagged = evaluate(
            &catalogue(),
            &store(rows),
            &EvaluationSettings { coverage: CoveragePolicy::Flag, ..settings() },
            None,
        );
        let vn = flagged.indicators.iter().find(|r| r.indicator == "cases" && r.org_unit == "vn").unwrap();
        let y2024 = vn.series.iter().find(|p| p.period.to_string() == "2024").unwrap();
        assert_eq!(y2024.change.as_ref().map(|c| c.absolute), Some(-57.0));
    }

    #[test]
    fn filters_totals_rates_and_suppression() {
        let rows: &[Row] = &[
            ("victims", "c", "2023", &[("sex", "female")], 4.0),
            ("victims", "c", "2023", &[("sex", "male")], 30.0),
            ("victims", "ab", "2023", &[], 40.0),
            ("victims", "ab", "2023", &[("sex", "female")], 25.0),
            ("received", "a", "2023", &[], 10.0),
            ("resolved", "a", "2023", &[], 9.0),
            ("received", "b", "2023", &[], 30.0),
            ("resolved", "b", "2023", &[], 21.0),
        ];
        let mut evaluation = evaluate(&catalogue(), &store(rows), &settings(), None);
        // Ratio of sums: (9 + 21) / (10 + 30) = 75 %, not the mean of 90 % and 70 % (80 %).
        assert_eq!(value_of(&evaluation, "resolution", "ab", "2023"), Some(75.0));
        // Without a total row, the parts add up; with one, the total wins.
        let shown = EvaluationSettings { show_suppressed: true, ..settings() };
        let all = evaluate(&catalogue(), &store(rows), &shown, None);
        assert_eq!(value_of(&all, "victims", "c", "2023"), Some(34.0));
        assert_eq!(value_of(&all, "victims", "ab", "2023"), Some(40.0));
        assert_eq!(value_of(&all, "female-victims", "c", "2023"), Some(4.0));
        // 4 female victims in c are below 11: suppressed, and hidden unless shown.
        let point = |e: &Evaluation, i: &str, u: &str| {
            e.indicators
                .iter()
                .find(|r| r.indicator == i && r.org_unit == u)
                .and_then(|r| r.series.iter().find(|p| p.period.to_string() == "2023"))
                .cloned()
                .unwrap()
        };
        assert_eq!(point(&evaluation, "female-victims", "c").state, ValueState::Suppressed);
        assert_eq!(point(&evaluation, "female-victims", "c").value, None);
        assert_eq!(point(&all, "female-victims", "c").value, Some(4.0));
        // The breakdown by sex: female 4 is suppressed, so male 30 is suppressed too, or 34 - 30 would reveal it.
        let victims_c = evaluation.indicators.iter().find(|r| r.indicator == "victims" && r.org_unit == "c").unwrap();
        let by_sex: Vec<(&str, ValueState, Option<f64>)> =
            victims_c.breakdowns.iter().map(|b| (b.option.as_str(), b.series[0].state, b.series[0].value)).collect();
        assert_eq!(by_sex, [("female", ValueState::Suppressed, None), ("male", ValueState::SuppressedSecondary, None)]);
        // And the chain goes on: ab's female 25 protects c's 4 across provinces, ab's total would then reveal
        // its female count (its male count is missing, which protects nothing), and c's total follows so that
        // the country total (74, published) cannot reveal ab's.
        assert_eq!(point(&evaluation, "victims", "c").state, ValueState::SuppressedSecondary);
        assert_eq!(point(&evaluation, "victims", "ab").state, ValueState::SuppressedSecondary);
        assert_eq!(point(&evaluation, "female-victims", "ab").state, ValueState::SuppressedSecondary);
        assert_eq!(point(&evaluation, "victims", "vn").value, Some(74.0));
        // An indicator whose series has a suppressed value is not assessed in published output: a status, a growth
        // rate or the side of a target would reveal the value in another form.
        let result = |e: &Evaluation, i: &str, u: &str| {
            e.indicators.iter().find(|r| r.indicator == i && r.org_unit == u).cloned().expect("result exists")
        };
        let hidden = result(&evaluation, "female-victims", "c");
        assert_eq!(hidden.status, Status::InsufficientData);
        assert!(hidden.assessments.iter().all(|a| a.details.is_empty() && a.score.is_none()), "{hidden:?}");
        assert!(hidden.targets.iter().all(|t| t.met.is_none() && t.compared_value.is_none()));
        assert!(
            result(&all, "female-victims", "c").assessments.iter().all(|a| !a.explanation.contains("not assessed"))
        );
        // Filters do not change what is suppressed: c's total is hidden in a run for c alone as in the full run.
        let only_c = EvaluationSettings { org_units: vec!["c".to_owned()], ..settings() };
        let filtered = evaluate(&catalogue(), &store(rows), &only_c, None);
        assert_eq!(point(&filtered, "victims", "c").state, ValueState::SuppressedSecondary);
        assert_eq!(point(&filtered, "victims", "c").value, None);
        // Threshold 0 disables suppression.
        evaluation = evaluate(&catalogue(), &store(rows), &EvaluationSettings { threshold: 0.0, ..settings() }, None);
        assert_eq!(point(&evaluation, "female-victims", "c").value, Some(4.0));
    }

    #[test]
    fn as_of_period_filter_duplicates_and_missing_plugin_host() {
        let rows: &[Row] = &[
            ("cases", "vn", "2024", &[], 163.0),
            ("cases", "vn", "2025", &[], 1.0),
            ("cases", "vn", "2024", &[], 999.0),
        ];
        let mut catalogue = catalogue();
        let mut plugin_indicator = catalogue.indicators["cases"].clone();
        plugin_indicator.id = "from-plugin".to_owned();
        plugin_indicator.formula = Formula::Plugin(crate::model::PluginMetricRef {
            plugin: "p".to_owned(),
            metric: "m".to_owned(),
            params: BTreeMap::new(),
        });
        catalogue.indicators.insert(plugin_indicator.id.clone(), plugin_indicator);
        let settings = EvaluationSettings {
            as_of: NaiveDate::from_ymd_opt(2025, 6, 30).expect("valid date"),
            org_units: vec!["vn".to_owned()],
            period: Some(Period::parse("2021..2025").expect("valid period")),
            ..settings()
        };
        let evaluation = evaluate(&catalogue, &store(rows), &settings, None);
        assert_eq!(value_of(&evaluation, "cases", "vn", "2024"), Some(163.0), "the first of two duplicates counts");
        assert_eq!(value_of(&evaluation, "cases", "vn", "2025"), None, "2025 ends after the as-of date");
        assert_eq!(evaluation.diagnostics.len(), 1);
        assert_eq!(evaluation.diagnostics[0].span.as_ref().map(|s| s.line), Some(4));
        assert_eq!(evaluation.plugin_failures[0].kind, "not-loaded");
        let failed = evaluation.indicators.iter().find(|r| r.indicator == "from-plugin").unwrap();
        assert!(failed.failure.is_some());
        assert!(evaluation.indicators.iter().all(|r| r.org_unit == "vn"));
    }
}
