//! Raw indicator values before disclosure control: expressions over aggregated elements, ratios from matched
//! parts, plugin metrics; values that would blend synthetic with real data are refused here.

use super::*;
use crate::eval::aggregate::Aggregate;
use crate::eval::written::{scale_in, snap};

/// (category, option, points) of one breakdown before suppression.
pub(super) type RawBreakdown = (String, String, Vec<RawPoint>);

/// A breakdown option (category, option) and some of its periods (over a denominator of 0, or not computed).
pub(super) type OptionPeriods = ((String, String), Vec<Period>);

/// A computed indicator value before suppression.
#[derive(Debug, Clone)]
pub(super) struct RawPoint {
    pub(super) period: Period,
    pub(super) value: f64,
    pub(super) numerator: Option<f64>,
    pub(super) denominator: Option<f64>,
    pub(super) sources: SourceMask,
    pub(super) provisional: bool,
    pub(super) from_children: bool,
    /// The unit's own reports for some parts of the period, the units below's for the rest (`Basis::Combined`).
    pub(super) partly_own: bool,
    /// A merged territory's value whose members' parts all come from the units below them (`Basis::Aggregated`).
    pub(super) members_below: bool,
    /// Built from part of the expected units or periods.
    pub(super) partial: bool,
    pub(super) coverage: Option<Coverage>,
    /// The note a plugin returned with the value.
    pub(super) note: Option<String>,
}

/// Units left out of a ratio, by (indicator, unit, (numerator, denominator)) with the two sides as evaluated (a
/// breakdown's restricted to its option: `supported[sex=male]`): why in each period it was left out (what each of its
/// parts covers there), and the parents it was left out of.
pub(super) type Unmatched =
    BTreeMap<(String, String, (String, String)), (BTreeMap<Period, Mismatch>, BTreeSet<String>)>;

/// The points of an expression at `unit` for each period of `set`: a ratio (with a denominator) from matched parts when
/// `ratio` is given, else the expression over the aggregated elements, period by period. Units left out of a ratio
/// are added to `unmatched`.
#[allow(clippy::too_many_arguments)]
pub(super) fn expression_points(
    indicator: &Indicator,
    (numerator, denominator): (&Expr, Option<&Expr>),
    unit: &str,
    set: &PeriodSet,
    cube: &mut Cube,
    ratio: Option<&mut MatchedRatio>,
    (unmatched, zero_denominators): (&mut Unmatched, Option<&mut Vec<Period>>),
) -> Vec<RawPoint> {
    let periods = set.periods();
    let scales = (scale_in(cube, numerator), denominator.and_then(|d| scale_in(cube, d)));
    let (Some(denominator), Some(ratio)) = (denominator, ratio) else {
        let series = ElementSeries::read(numerator, denominator, unit, set, cube);
        return periods
            .iter()
            .enumerate()
            .filter_map(|(position, p)| {
                let expression = (numerator, denominator, scales);
                expression_point(indicator, expression, unit, (position, *p), &series, cube)
            })
            .collect();
    };
    let Some(all_parts) = ratio.parts(cube, unit) else { return Vec::new() };
    let side_refs = |expr: &Expr, cube: &Cube| -> Vec<usize> {
        expr.elements().into_iter().filter_map(|r| cube.ref_index(r)).collect()
    };
    let (numerator_refs, denominator_refs) = (side_refs(numerator, cube), side_refs(denominator, cube));
    let refs: Vec<usize> = numerator_refs.iter().chain(&denominator_refs).copied().collect();
    let mut points = Vec::new();
    let mut zero = Vec::new();
    for (&period, parts) in periods.iter().zip(all_parts) {
        let Some(parts) = parts else { continue };
        for &(left_out, why) in &parts.unmatched {
            let id = cube.units.ids[left_out as usize].clone();
            let sides = (numerator.to_string(), denominator.to_string());
            let entry = unmatched.entry((indicator.id.clone(), id.clone(), sides)).or_default();
            if let std::collections::btree_map::Entry::Vacant(slot) = entry.0.entry(period) {
                // A unit left out beside its children's other part is named as such; any other, by what its own
                // parts cover of the period.
                let beside_below = parts.meta.from_children || members_below_beside_own(cube, &refs, left_out, period);
                slot.insert(match why {
                    LeftOut::BelowExceeds => Mismatch::BelowExceeds,
                    LeftOut::Lacks(side) if id == unit && beside_below => Mismatch::BesideChildren(side),
                    LeftOut::Lacks(_) => Mismatch::read(cube, (&numerator_refs, &denominator_refs), left_out, period),
                });
            }
            if id != unit {
                entry.1.insert(unit.to_owned());
            }
        }
        let Some((top, bottom)) = parts.sums else { continue };
        let (top, bottom) = (snap(top, scales.0), snap(bottom, scales.1));
        if cube.is_own_partial_period(unit, &parts.meta) {
            continue;
        }
        if bottom == 0.0 {
            // Matched parts over a denominator of 0: no value, and the result says why (not "no data"); only where
            // every expected unit reported, as a denominator of 0 + 0 + a province that did not report is not known
            // to be 0 (round 73, found by a verifier).
            if !parts.meta.is_partial() && parts.unmatched.is_empty() {
                zero.push(period);
            }
            continue;
        }
        let partial = parts.meta.is_partial() || !parts.unmatched.is_empty();
        let restated = refs.iter().any(|&r| cube.value(r, unit, period).is_some_and(|v| v.restated));
        let coverage = (parts.meta.from_children || parts.meta.expected > 1 || partial || restated).then(|| {
            let mut coverage = Coverage::default();
            // What the parts lack: the coverage of the references read the way the ratio was (a unit's own figure
            // that was left out for its children's parts does not speak for them).
            for &r in &refs {
                let same_path =
                    cube.value(r, unit, period).is_some_and(|v| v.from_children == parts.meta.from_children);
                if let Some(found) = cube.coverage(r, unit, period).filter(|_| same_path) {
                    coverage.merge(&found);
                }
            }
            coverage.expected = parts.meta.expected;
            coverage.reported = parts.meta.reported;
            coverage.complete = !partial;
            coverage.unmatched = parts.unmatched.iter().map(|(u, _)| cube.units.ids[*u as usize].clone()).collect();
            coverage.unmatched.sort();
            coverage.unmatched.dedup();
            // A unit that reported one part is unmatched, not silent: the other part's coverage counts it missing.
            let unmatched = &coverage.unmatched;
            coverage.missing.retain(|id| unmatched.binary_search(id).is_err());
            coverage
        });
        points.push(RawPoint {
            period,
            // Scaled before dividing: 29 x 100 / 50 is exactly 58, where 29 / 50 x 100 is 57.99999999999999.
            value: top * indicator.measure.factor() / bottom,
            numerator: Some(top),
            denominator: Some(bottom),
            sources: parts.meta.sources,
            provisional: parts.meta.provisional,
            from_children: parts.meta.from_children,
            partly_own: parts.meta.partly_own,
            members_below: false,
            partial,
            coverage,
            note: None,
        });
    }
    if let Some(out) = zero_denominators {
        *out = zero;
    }
    points
}

/// A reference's values at one unit in each of a list of periods, as `Cube::values_over` gives them.
pub(super) type Series = Vec<Option<Aggregate>>;

/// The values of the elements an expression reads, at one unit in each of a list of periods: what `Cube::value`
/// gives one period at a time, read for all the periods at once (`Cube::values_over`), so that a reference is
/// looked up once per unit rather than once per period and a province's reports are read once.
struct ElementSeries<'e> {
    /// Each element as the expression holds it, its reference in the cube and its value in each period (`None`
    /// when the cube does not know the reference or the unit).
    elements: Vec<(&'e ElementRef, Option<(usize, Series)>)>,
}

impl<'e> ElementSeries<'e> {
    fn read(
        numerator: &'e Expr,
        denominator: Option<&'e Expr>,
        unit: &str,
        set: &PeriodSet,
        cube: &mut Cube,
    ) -> ElementSeries<'e> {
        let elements = numerator
            .elements()
            .into_iter()
            .chain(denominator.into_iter().flat_map(Expr::elements))
            .map(|element| {
                let series = cube
                    .ref_index(element)
                    .and_then(|index| cube.values_over(index, unit, set).map(|values| (index, values)));
                (element, series)
            })
            .collect();
        ElementSeries { elements }
    }

    /// The reference index of `element` and its value in the period at `position`.
    fn get(&self, element: &ElementRef, position: usize) -> Option<(usize, Aggregate)> {
        let (_, series) = self.elements.iter().find(|(e, _)| std::ptr::eq(*e, element) || *e == element)?;
        let (index, values) = series.as_ref()?;
        values[position].map(|value| (*index, value))
    }
}

/// The value of an expression over aggregated elements at one unit and the period at `position` of the periods
/// `series` was read for, with the coverage of the elements it reads (the worst of them). The numerator and
/// denominator are read as the decimals they add up to (their `scales`, [`crate::eval::written`]).
fn expression_point(
    indicator: &Indicator,
    (numerator, denominator, scales): (&Expr, Option<&Expr>, (Option<u8>, Option<u8>)),
    unit: &str,
    (position, period): (usize, Period),
    series: &ElementSeries,
    cube: &mut Cube,
) -> Option<RawPoint> {
    let mut sources: SourceMask = 0;
    let mut provisional = false;
    let (mut from_children, mut partly_own, mut members_below) = (false, false, false);
    let mut partial = false;
    let mut read: Vec<usize> = Vec::new();
    let mut lookup = |r: &ElementRef| {
        let (index, value) = series.get(r, position)?;
        if cube.is_own_partial_period(unit, &value) {
            return None;
        }
        sources |= value.sources;
        provisional |= value.provisional;
        from_children |= value.from_children;
        partly_own |= value.partly_own;
        members_below |= value.members_below;
        partial |= value.is_partial();
        read.push(index);
        Some(value.value)
    };
    let top = snap(numerator.evaluate(&mut lookup)?, scales.0);
    let (value, bottom) = match denominator {
        Some(denominator) => {
            let bottom = snap(denominator.evaluate(&mut lookup)?, scales.1);
            if bottom == 0.0 {
                return None;
            }
            (top * indicator.measure.factor() / bottom, Some(bottom))
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
        partly_own,
        members_below,
        partial,
        coverage,
        note: None,
    })
}

/// Raw values of every indicator and of its breakdowns at every output unit and period, with what was found on the
/// way: failed plugin indicators and points, units left out of ratios and refused blends.
pub(super) struct RawValues {
    pub(super) points: BTreeMap<(String, String), Vec<RawPoint>>,
    pub(super) breakdowns: BTreeMap<(String, String), Vec<RawBreakdown>>,
    /// Per (indicator, unit), each breakdown option's periods over a denominator of 0 (as `zero_denominators` for
    /// the total); an option with no other point is kept in `breakdowns` with none, so that its place is known.
    pub(super) breakdown_zeros: BTreeMap<(String, String), Vec<OptionPeriods>>,
    /// Indicators that cannot be computed anywhere (their plugin failed as a whole), with why.
    pub(super) failures: BTreeMap<String, String>,
    /// Plugin points that failed, by (indicator, unit): the other points of the indicator stand.
    pub(super) failed_points: BTreeMap<(String, String), Vec<FailedPoint>>,
    /// Periods a plugin answered with a note and no value, by (indicator, unit).
    pub(super) noted_gaps: BTreeMap<(String, String), Vec<NotedGap>>,
    /// Periods a ratio's matched parts have a denominator of 0, by (indicator, unit) (empty lists included).
    pub(super) zero_denominators: BTreeMap<(String, String), Vec<Period>>,
    pub(super) unmatched: Unmatched,
    /// Warnings of values refused as they were computed: blends of synthetic with real figures (W333) and option
    /// values beyond ±10^15 (W356; a total's are failed points, `beyond_bound`).
    pub(super) refused: Vec<Diagnostic>,
    /// Per (indicator, unit), the periods whose value would blend synthetic with real figures: not computed (W333).
    pub(super) blended_periods: BTreeMap<(String, String), Vec<Period>>,
    /// The same per breakdown option; an option with no other point is kept in `breakdowns` with none.
    pub(super) breakdown_blends: BTreeMap<(String, String), Vec<OptionPeriods>>,
}

impl RawValues {
    pub(super) fn compute(
        catalogue: &Catalogue,
        units: &[String],
        periods: &[Period],
        cube: &mut Cube,
        kinds: &sources::SourceKinds,
        plugins: &mut Plugins,
        provider: Option<&dyn MetricProvider>,
    ) -> RawValues {
        let mut raw = RawValues {
            points: BTreeMap::new(),
            breakdowns: BTreeMap::new(),
            breakdown_zeros: BTreeMap::new(),
            failures: BTreeMap::new(),
            failed_points: BTreeMap::new(),
            noted_gaps: BTreeMap::new(),
            zero_denominators: BTreeMap::new(),
            unmatched: BTreeMap::new(),
            refused: Vec::new(),
            blended_periods: BTreeMap::new(),
            breakdown_blends: BTreeMap::new(),
        };
        // The periods with the days each one looks at, computed once for every indicator and unit.
        let set = PeriodSet::new(periods);
        for indicator in catalogue.indicators.values().filter(|i| i.measure.is_quantitative()) {
            let mut total_ratio = match &indicator.formula {
                Formula::Expression { numerator, denominator: Some(denominator) } => {
                    MatchedRatio::new(cube, numerator, denominator, set.clone())
                }
                _ => None,
            };
            for unit in units {
                let points = raw.indicator_points(
                    indicator,
                    (unit, units),
                    &set,
                    cube,
                    total_ratio.as_mut(),
                    (plugins, kinds),
                    provider,
                );
                let (points, refused) = refuse_blends(points, kinds, (&indicator.id, unit, ""), &mut raw.refused);
                let (points, unbounded) = beyond_bound(points);
                if !unbounded.is_empty() {
                    raw.failed_points.entry((indicator.id.clone(), unit.clone())).or_default().extend(unbounded);
                }
                if !refused.is_empty() {
                    raw.blended_periods.insert((indicator.id.clone(), unit.clone()), refused);
                }
                raw.points.insert((indicator.id.clone(), unit.clone()), points);
            }
        }
        for indicator in catalogue.indicators.values() {
            raw.breakdowns_of(catalogue, indicator, units, &set, cube, kinds);
        }
        raw
    }

    /// The points of one indicator at one unit.
    #[allow(clippy::too_many_arguments)]
    fn indicator_points(
        &mut self,
        indicator: &Indicator,
        (unit, units): (&str, &[String]),
        set: &PeriodSet,
        cube: &mut Cube,
        ratio: Option<&mut MatchedRatio>,
        (plugins, kinds): (&mut Plugins, &sources::SourceKinds),
        provider: Option<&dyn MetricProvider>,
    ) -> Vec<RawPoint> {
        match &indicator.formula {
            Formula::Plugin(plugin) => {
                match plugins.points(indicator, plugin, (unit, units), set, (cube, kinds), provider) {
                    Ok(PluginPoints { points, failed, gaps }) => {
                        if !failed.is_empty() {
                            self.failed_points.insert((indicator.id.clone(), unit.to_owned()), failed);
                        }
                        if !gaps.is_empty() {
                            self.noted_gaps.insert((indicator.id.clone(), unit.to_owned()), gaps);
                        }
                        points
                    }
                    Err(failure) => {
                        self.failures.insert(indicator.id.clone(), failure.to_string());
                        Vec::new()
                    }
                }
            }
            Formula::Expression { numerator, denominator } => expression_points(
                indicator,
                (numerator, denominator.as_ref()),
                unit,
                set,
                cube,
                ratio,
                (
                    &mut self.unmatched,
                    Some(self.zero_denominators.entry((indicator.id.clone(), unit.to_owned())).or_default()),
                ),
            ),
            Formula::Reported => reported_points(indicator, unit, set.periods(), cube),
        }
    }

    /// The breakdowns of an indicator by each option of its disaggregation categories, at every unit
    /// ([`breakdown_formulas`]).
    fn breakdowns_of(
        &mut self,
        catalogue: &Catalogue,
        indicator: &Indicator,
        units: &[String],
        set: &PeriodSet,
        cube: &mut Cube,
        kinds: &sources::SourceKinds,
    ) {
        let formulas = breakdown_formulas(catalogue, indicator);
        if formulas.is_empty() {
            return;
        }
        let mut ratios: Vec<Option<MatchedRatio>> = formulas
            .iter()
            .map(|(_, _, numerator, denominator)| {
                MatchedRatio::new(cube, numerator, denominator.as_ref()?, set.clone())
            })
            .collect();
        for unit in units {
            let (mut list, mut zeros, mut blends) = (Vec::new(), Vec::new(), Vec::new());
            for ((category, option, numerator, denominator), ratio) in formulas.iter().zip(&mut ratios) {
                let mut zero = Vec::new();
                let points = expression_points(
                    indicator,
                    (numerator, denominator.as_ref()),
                    unit,
                    set,
                    cube,
                    ratio.as_mut(),
                    (&mut self.unmatched, Some(&mut zero)),
                );
                let variant = format!("{category}={option}");
                let (points, refused) =
                    refuse_blends(points, kinds, (&indicator.id, unit, &variant), &mut self.refused);
                // An option's value beyond the bound is left out, as no value shown is beyond it, and said.
                let (mut points, unbounded) = beyond_bound(points);
                if !unbounded.is_empty() {
                    let periods: Vec<Period> = unbounded.iter().map(|f| f.period).collect();
                    self.refused.push(findings::out_of_range(indicator, &format!("{unit} by {variant}"), &periods));
                }
                if let Some(total) = self.points.get(&(indicator.id.clone(), unit.clone())) {
                    within_total(&mut points, total);
                }
                let kept = !zero.is_empty() || !refused.is_empty();
                if !zero.is_empty() {
                    zeros.push(((category.clone(), option.clone()), zero));
                }
                if !refused.is_empty() {
                    blends.push(((category.clone(), option.clone()), refused));
                }
                if points.is_empty() && !kept {
                    continue;
                }
                list.push((category.clone(), option.clone(), points));
            }
            self.breakdowns.insert((indicator.id.clone(), unit.clone()), list);
            if !zeros.is_empty() {
                self.breakdown_zeros.insert((indicator.id.clone(), unit.clone()), zeros);
            }
            if !blends.is_empty() {
                self.breakdown_blends.insert((indicator.id.clone(), unit.clone()), blends);
            }
        }
    }
}

/// The largest magnitude a computed value (and a change in % or a percent of target) may have: the bound every value
/// and target read is held to (E324, E029).
pub(super) const VALUE_BOUND: f64 = 1e15;

/// `points` without those whose value is no finite number within ±[`VALUE_BOUND`] (a ratio over a denominator of
/// 1e-300 gave `inf`, printed as such by `eval` and as "no data" by the review; 5 over 1e-15 gave 5e15: round 70,
/// found by an adversarial tester), which are failed points instead: every output shows that the period was
/// reported and why it has no value. The message quotes no figure (the parts may be sensitive counts).
fn beyond_bound(points: Vec<RawPoint>) -> (Vec<RawPoint>, Vec<FailedPoint>) {
    if points.iter().all(|p| p.value.is_finite() && p.value.abs() <= VALUE_BOUND) {
        return (points, Vec::new());
    }
    let (kept, beyond): (Vec<RawPoint>, Vec<RawPoint>) =
        points.into_iter().partition(|p| p.value.is_finite() && p.value.abs() <= VALUE_BOUND);
    let failed = beyond
        .into_iter()
        .map(|p| FailedPoint {
            period: p.period,
            kind: "out-of-range".to_owned(),
            message: "the value computed is not a finite number within ±10^15: a denominator too close to 0, or \
                      values too large; check the data"
                .to_owned(),
        })
        .collect();
    (kept, failed)
}

/// Marks each of a breakdown option's `points` partial where the total's point of the same period is, with what the
/// total lacks added to what the option lacks: an option's value is part of the total's, so it lacks whatever the
/// total lacks (a unit expected for the total and silent is silent for each option). Round 53 F5, found by a review
/// helper: AB's and the nation's December by sex, "female 19, male 20, 1 of 1, complete", beside the total's 39,
/// "1 of 2, partial, no report from prov-ab-2025".
fn within_total(points: &mut [RawPoint], total: &[RawPoint]) {
    for point in points.iter_mut() {
        let Some(whole) = total.iter().find(|t| t.period == point.period).filter(|t| t.partial) else { continue };
        let Some(lacking) = &whole.coverage else { continue };
        point.partial = true;
        match &mut point.coverage {
            Some(coverage) => coverage.merge(lacking),
            None => point.coverage = Some(lacking.clone()),
        }
    }
}

/// The points of an indicator whose values are reported directly (a TIP tier).
fn reported_points(indicator: &Indicator, unit: &str, periods: &[Period], cube: &mut Cube) -> Vec<RawPoint> {
    let Some(index) = cube.ref_index(&reported_ref(indicator)) else { return Vec::new() };
    let scale = cube.scales[index];
    periods
        .iter()
        .filter_map(|p| {
            let value = cube.value(index, unit, *p)?;
            if cube.is_own_partial_period(unit, &value) {
                return None;
            }
            Some(RawPoint {
                period: *p,
                value: snap(value.value, scale),
                numerator: None,
                denominator: None,
                sources: value.sources,
                provisional: value.provisional,
                from_children: value.from_children,
                partly_own: value.partly_own,
                members_below: value.members_below,
                partial: value.is_partial(),
                coverage: cube.coverage(index, unit, *p),
                note: None,
            })
        })
        .collect()
}

/// Whether a merged unit's value of one reference comes only from the units below its members and another's from its
/// own reports (AB's own resolved beside its district's received): W330 names it as a unit's own part beside its
/// children's other part.
fn members_below_beside_own(cube: &mut Cube, refs: &[usize], unit: u32, period: Period) -> bool {
    let values: Vec<Aggregate> = refs.iter().filter_map(|&r| cube.value_of(r, unit, period)).collect();
    values.iter().any(|v| v.members_below) && values.iter().any(|v| !v.members_below && !v.partly_own)
}
