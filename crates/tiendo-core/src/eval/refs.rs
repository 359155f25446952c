//! The element references evaluation reads: those of each indicator (numerator first), of its breakdowns by
//! disaggregation option, of validation rules and of plugin inputs, and the rule each aggregates by.

use super::*;

/// The aggregation rule of an element id: a data element's own, or for an indicator reported directly the rule of
/// its measure ([`reported_rule`]).
pub(super) fn rule_for(catalogue: &Catalogue, element: &str) -> AggregationRule {
    match catalogue.data_elements.get(element) {
        Some(de) => AggregationRule { time: de.time_aggregation, org_units: de.org_unit_aggregation },
        None => reported_rule(catalogue.indicators.get(element).map_or(Measure::Ordinal, |i| i.measure)),
    }
}

/// How the values of an indicator reported directly (no formula) combine, by its measure
/// (`docs/methodology.md`, section 2.6, "Indicators reported directly"):
/// - a count adds up over time and over org units, as a count data element does (DHIS2's default): cases per
///   quarter make the year's cases, provinces' the country's. Before, every such indicator took the last quarter
///   as the year (Q1-Q4 of 10, 20, 30 and 40 gave 40, "not met" against `>= 80`; round 43);
/// - a rank (a TIP tier), a yes-no answer or a qualitative value is the latest over time (the tier or answer at the
///   period's end) and is not combined over org units;
/// - a percentage, ratio or rate reported without its numerator and denominator is not combined at all: a year's
///   value is only a year's report (quarterly rates of 60, 80, 100 and 100 % are no yearly 100 %).
pub(super) fn reported_rule(measure: Measure) -> AggregationRule {
    let (time, org_units) = match measure {
        Measure::Count => (TimeAggregation::Sum, OrgUnitAggregation::Sum),
        Measure::Ordinal | Measure::YesNo | Measure::Qualitative => (TimeAggregation::Last, OrgUnitAggregation::None),
        Measure::Percent | Measure::Ratio | Measure::RatePer100k => (TimeAggregation::None, OrgUnitAggregation::None),
    };
    AggregationRule { time, org_units }
}

pub(super) fn is_sensitive(catalogue: &Catalogue, element: &str) -> bool {
    catalogue.is_sensitive(element)
}

pub(super) fn reported_ref(indicator: &Indicator) -> ElementRef {
    ElementRef { element: indicator.id.clone(), filter: BTreeMap::new(), offset: 0 }
}

/// The element references an indicator reads (numerator first), sensitive or not: an expression's, a plugin
/// metric's inputs as `plugin_inputs` gives them by plugin id (none where it does not say), a reported indicator's
/// element of its own id.
pub fn indicator_refs(indicator: &Indicator, plugin_inputs: &BTreeMap<String, Vec<String>>) -> Vec<ElementRef> {
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

/// `expr` with every element that has `category` (an indicator reported directly: in its `disaggregations`)
/// restricted to `option`.
pub(super) fn with_filter(catalogue: &Catalogue, expr: &Expr, category: &str, option: &str) -> Expr {
    match expr {
        Expr::Element(element) => {
            let mut element = element.clone();
            // A data element's categories, or an indicator reported directly its `disaggregations`.
            let has_category = match catalogue.data_elements.get(&element.element) {
                Some(de) => de.categories.iter().any(|c| c == category),
                None => catalogue.indicators.get(&element.element).is_some_and(|i| {
                    matches!(i.formula, Formula::Reported) && i.disaggregations.iter().any(|c| c == category)
                }),
            };
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

/// The breakdowns of an indicator: (category, option, numerator, denominator) for every option of every category in
/// its `disaggregations` that [`breaks_down_by`] allows, in declaration order. A quantitative indicator reported
/// directly is broken down by its own rows of each option; a plugin metric is not broken down.
pub(super) fn breakdown_formulas(
    catalogue: &Catalogue,
    indicator: &Indicator,
) -> Vec<(String, String, Expr, Option<Expr>)> {
    let (numerator, denominator) = match &indicator.formula {
        Formula::Expression { numerator, denominator } => (numerator.clone(), denominator.clone()),
        Formula::Reported if indicator.measure.is_quantitative() => (Expr::Element(reported_ref(indicator)), None),
        Formula::Reported | Formula::Plugin(_) => return Vec::new(),
    };
    let mut out = Vec::new();
    for category_id in &indicator.disaggregations {
        let Some(category) = catalogue.categories.get(category_id) else { continue };
        if !breaks_down_by(catalogue, indicator, category_id) {
            continue;
        }
        for option in &category.options {
            out.push((
                category_id.clone(),
                option.id.clone(),
                with_filter(catalogue, &numerator, category_id, &option.id),
                denominator.as_ref().map(|d| with_filter(catalogue, d, category_id, &option.id)),
            ));
        }
    }
    out
}

/// Whether `indicator`'s value of one option of `category` is computable: every element its formula reads is
/// broken down by the category, and none already restricted to one of its options. A rate of female victims over
/// the whole population is no female rate (the options of such a rate add up to the total rate: round 70, found by
/// an adversarial tester on the built-in R1), nor is a share of female resolved cases over all received ones; the
/// loader warns of such a declaration (W007). An indicator reported directly is broken down by its own rows.
pub fn breaks_down_by(catalogue: &Catalogue, indicator: &Indicator, category: &str) -> bool {
    let Formula::Expression { numerator, denominator } = &indicator.formula else {
        return matches!(indicator.formula, Formula::Reported);
    };
    numerator.elements().into_iter().chain(denominator.iter().flat_map(|d| d.elements())).all(|r| {
        !r.filter.contains_key(category)
            && catalogue.data_elements.get(&r.element).is_some_and(|de| de.categories.iter().any(|c| c == category))
    })
}

/// Collects the element references of every indicator, validation rule and plugin input, once each, in
/// a deterministic order.
pub(super) fn collect_refs(catalogue: &Catalogue, plugin_inputs: &BTreeMap<String, Vec<String>>) -> Vec<ElementRef> {
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
    close_over_options(catalogue, &mut refs);
    refs.into_iter().map(|(element, filter)| ElementRef { element, filter, offset: 0 }).collect()
}

/// Adds, for every reference of a sensitive element restricted to an option of a category, the same reference
/// restricted to each other option of that category and the reference without that restriction, until nothing
/// new comes: what a reader can work out from the published ones (male victims = victims - female victims), so
/// that disclosure control audits them too (`eval::disclosure`), though no output shows them. Bounded by the
/// combinations of the options the catalogue's references name.
fn close_over_options(catalogue: &Catalogue, refs: &mut BTreeSet<(String, BTreeMap<String, String>)>) {
    let mut next: Vec<(String, BTreeMap<String, String>)> = refs
        .iter()
        .filter(|(element, filter)| !filter.is_empty() && is_sensitive(catalogue, element))
        .cloned()
        .collect();
    while let Some((element, filter)) = next.pop() {
        for category_id in filter.keys() {
            let Some(category) = catalogue.categories.get(category_id) else { continue };
            let mut parent = filter.clone();
            parent.remove(category_id);
            let siblings = category.options.iter().map(|option| {
                let mut sibling = filter.clone();
                sibling.insert(category_id.clone(), option.id.clone());
                sibling
            });
            for found in siblings.chain([parent]) {
                if refs.insert((element.clone(), found.clone())) && !found.is_empty() {
                    next.push((element.clone(), found));
                }
            }
        }
    }
}

/// The cube's references that passes after warming read again at every leaf, first to last in priority: the sides
/// of the validation rules, then the parts of the ratios (matched unit by unit down to the leaves). Warming keeps
/// their leaves' series ([`Cube::keep_leaf_series`]), so that they are not computed from the store again.
pub(super) fn reread_at_leaves(catalogue: &Catalogue, cube: &Cube) -> Vec<usize> {
    let mut keep: Vec<usize> = Vec::new();
    let mut add = |r: &ElementRef| {
        if let Some(index) = cube.ref_index(r)
            && !keep.contains(&index)
        {
            keep.push(index);
        }
    };
    for rule in catalogue.validation_rules.values() {
        rule.left.elements().into_iter().chain(rule.right.elements()).for_each(&mut add);
    }
    for indicator in catalogue.indicators.values() {
        if let Formula::Expression { numerator, denominator: Some(denominator) } = &indicator.formula {
            numerator.elements().into_iter().chain(denominator.elements()).for_each(&mut add);
        }
    }
    keep
}
