//! The kinds of catalogue table whose checks are a few lines each (sources, categories, data elements, work areas,
//! validation rules, data sets, plugins), split out of `validate`: each function checks every table of its kind,
//! reporting every problem, and builds the first declaration of each id into the catalogue.

use std::collections::BTreeSet;

use tiendo_core::{
    Catalogue, Category, CategoryOption, DataElement, DataSet, MissingValueStrategy, OrgUnitAggregation, PeriodType,
    PluginDecl, SeriesBreak, Severity, Source, SourceKind, TimeAggregation, ValidationRule, ValueType, WorkArea,
};

use super::validator::{ExpressionScope, Validator, suggested_id, text};
use super::{Kind, RawCatalogue, is_valid_id};
use crate::codes;

/// Sources: the issuer must be a declared agency (checked for every table, duplicates included).
pub(super) fn sources(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    for s in &raw.sources {
        let issuer = v.issuer(&s.issuer);
        if v.is_first(Kind::Source, &s.id) {
            catalogue.sources.insert(
                s.id.value.clone(),
                Source {
                    id: s.id.value.clone(),
                    kind: s.kind.map_or(SourceKind::default(), |k| k.0),
                    number: s.number.clone(),
                    title: text(&s.title),
                    issuer,
                    date: s.date.map(|d| d.0),
                    url: s.url.clone(),
                    note: s.note.clone(),
                    uncertain: s.uncertain.clone(),
                    public_note: s.public_note.as_ref().map(text),
                },
            );
        }
    }
}

/// Categories: each option id valid and unique within its category.
pub(super) fn categories(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    for c in &raw.categories {
        let mut seen = BTreeSet::new();
        for option in &c.options {
            if !seen.insert(option.id.value.clone()) {
                v.error(
                    codes::DUPLICATE_ID,
                    &option.id.location,
                    format!("category `{}` has the option `{}` twice", c.id.value, option.id.value),
                    Some("option ids must be unique within their category".to_owned()),
                );
            } else if !is_valid_id(&option.id.value) {
                v.error(
                    codes::INVALID_ID,
                    &option.id.location,
                    format!("`{}` is not a valid option id", option.id.value),
                    Some(format!("use lowercase ASCII, such as `{}`", suggested_id(&option.id.value))),
                );
            }
        }
        if v.is_first(Kind::Category, &c.id) {
            catalogue.categories.insert(
                c.id.value.clone(),
                Category {
                    id: c.id.value.clone(),
                    name: text(&c.name),
                    options: c
                        .options
                        .iter()
                        .map(|o| CategoryOption { id: o.id.value.clone(), name: text(&o.name) })
                        .collect(),
                },
            );
        }
    }
}

/// How a data element combines over time and over org units: as it says, else by default DHIS2's sum over both,
/// except a yes/no answer (`boolean`), which is the latest answer over time and is not combined over org units, so
/// that it stays 0 or 1 (four quarters of "yes" were a year of 4, round 43); a count of yes answers says `sum`.
pub(super) fn aggregation(e: &crate::raw::RawDataElement) -> (TimeAggregation, OrgUnitAggregation) {
    let boolean = e.value_type.is_some_and(|k| k.0 == ValueType::Boolean);
    let (time, org_units) = if boolean {
        (TimeAggregation::Last, OrgUnitAggregation::None)
    } else {
        (TimeAggregation::Sum, OrgUnitAggregation::Sum)
    };
    (e.time_aggregation.map_or(time, |k| k.0), e.org_unit_aggregation.map_or(org_units, |k| k.0))
}

/// Data elements: their categories must be declared; aggregation by [`aggregation`].
pub(super) fn data_elements(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    for e in &raw.data_elements {
        let categories = v.references(Kind::Category, &e.categories);
        let value_type = e.value_type.map_or(ValueType::Count, |k| k.0);
        if e.sensitive == Some(true) && value_type != ValueType::Count {
            // Disclosure control reads a sensitive cell as a count of people, never negative: a net change of -3
            // was published while +3 was hidden (round 45, found by a review helper).
            v.error(
                codes::SENSITIVE_NOT_COUNT,
                &e.id.location,
                format!(
                    "data element `{}` is sensitive but its value_type is not \"count\": disclosure control protects \
                     counts of people, which are never negative",
                    e.id.value
                ),
                Some(
                    "set `value_type = \"count\"` (the default), or report the counts the figure is made of as \
                      sensitive elements and compute it with an indicator"
                        .to_owned(),
                ),
            );
        }
        if v.is_first(Kind::DataElement, &e.id) {
            catalogue.data_elements.insert(
                e.id.value.clone(),
                DataElement {
                    id: e.id.value.clone(),
                    name: text(&e.name),
                    value_type: e.value_type.map_or(ValueType::Count, |k| k.0),
                    time_aggregation: aggregation(e).0,
                    org_unit_aggregation: aggregation(e).1,
                    sensitive: e.sensitive.unwrap_or(false),
                    categories,
                    description: e.description.as_ref().map(text),
                    breaks: (e.breaks.iter())
                        .map(|b| SeriesBreak { from: b.from.value.0, note: text(&b.note) })
                        .collect(),
                },
            );
        }
    }
}

/// Work areas: nothing to check beyond the id.
pub(super) fn work_areas(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    for w in &raw.work_areas {
        if v.is_first(Kind::WorkArea, &w.id) {
            catalogue.work_areas.insert(
                w.id.value.clone(),
                WorkArea { id: w.id.value.clone(), name: text(&w.name), order: w.order.unwrap_or(0) },
            );
        }
    }
}

/// Validation rules: both sides are expressions over declared data elements and category options; DHIS2's
/// defaults (skip if any value is missing, a warning, yearly).
pub(super) fn validation_rules(
    v: &mut Validator<'_>,
    raw: &RawCatalogue,
    (elements, categories): ExpressionScope<'_, '_>,
    catalogue: &mut Catalogue,
) {
    for r in &raw.validation_rules {
        let left = v.expression(&r.left, elements, categories);
        let right = v.expression(&r.right, elements, categories);
        if v.is_first(Kind::ValidationRule, &r.id) {
            catalogue.validation_rules.insert(
                r.id.value.clone(),
                ValidationRule {
                    id: r.id.value.clone(),
                    name: text(&r.name),
                    left,
                    operator: r.operator.0,
                    right,
                    missing_value_strategy: r
                        .missing_value_strategy
                        .map_or(MissingValueStrategy::SkipIfAnyValueMissing, |k| k.0),
                    severity: r.severity.map_or(Severity::Warning, |k| k.0),
                    period_type: r.period_type.map_or(PeriodType::Year, |k| k.0),
                },
            );
        }
    }
}

/// The days after a period's end within which a report is on time when a data set does not say
/// (docs/toml-reference.md, `[[data_set]]`).
const DEFAULT_TIMELY_DAYS: u32 = 30;

/// Data sets: their data elements must be declared, `timely_days` within 0-366.
pub(super) fn data_sets(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    for d in &raw.data_sets {
        let elements_listed = v.references(Kind::DataElement, &d.elements);
        let reported_by = v.references(Kind::Agency, &d.reported_by);
        let timely_days = match &d.timely_days {
            Some(days) if !(0..=366).contains(&days.value) => {
                v.error(
                    codes::NUMBER_OUT_OF_RANGE,
                    &days.location,
                    format!("`timely_days` is {}, expected 0 to 366", days.value),
                    Some("the number of days after the period's end within which a report is on time".to_owned()),
                );
                DEFAULT_TIMELY_DAYS
            }
            Some(days) => u32::try_from(days.value).unwrap_or(DEFAULT_TIMELY_DAYS),
            None => DEFAULT_TIMELY_DAYS,
        };
        v.validity(&format!("data set `{}`", d.id.value), &d.valid_from, &d.valid_to);
        if v.is_first(Kind::DataSet, &d.id) {
            catalogue.data_sets.insert(
                d.id.value.clone(),
                DataSet {
                    id: d.id.value.clone(),
                    name: text(&d.name),
                    elements: elements_listed,
                    period_type: d.period_type.0,
                    org_unit_level: d.org_unit_level.0,
                    timely_days,
                    valid_from: d.valid_from.as_ref().map(|date| date.value.0),
                    valid_to: d.valid_to.as_ref().map(|date| date.value.0),
                    reported_by,
                },
            );
        }
    }
}

/// Whether `text` is a sha256 checksum as `sha256sum` prints it: 64 lowercase hex digits.
fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

/// Plugins: a given checksum must be a sha256 in lowercase hex.
pub(super) fn plugins(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    for p in raw.plugins.iter().flatten() {
        if let Some(sha) = &p.sha256
            && !is_sha256_hex(&sha.value)
        {
            v.error(
                codes::INVALID_CHECKSUM,
                &sha.location,
                format!("`{}` is not a sha256 checksum", sha.value),
                Some("write the 64 lowercase hex digits that `sha256sum plugin.wasm` prints".to_owned()),
            );
        }
        if v.is_first(Kind::Plugin, &p.id) {
            catalogue.plugins.insert(
                p.id.value.clone(),
                PluginDecl {
                    id: p.id.value.clone(),
                    path: p.path.value.clone(),
                    sha256: p.sha256.as_ref().map(|s| s.value.clone()),
                },
            );
        }
    }
}
