//! The review's data-quality tables: completeness by unit and data set (with the units that sent nothing and the
//! periods whose figures are no report), and the validation rules violated, each place named so that two units of
//! one name are told apart (split from `build.rs` by concern).

use std::collections::BTreeMap;

use tiendo_core::eval::validation;
use tiendo_core::eval::{Evaluation, Violation};
use tiendo_core::{Catalogue, Lang, Period, RuleOperator, Text};

use super::org_unit_name;
use crate::model::{CompletenessRow, NotReceived, SilentUnits, ViolationRow};

/// The completeness rows, the units that sent nothing, and the periods not received although figures of them exist.
type Completeness = (Vec<CompletenessRow>, Vec<SilentUnits>, Vec<NotReceived>);

/// Completeness per org unit and data set of the units that sent some report, and per data set the units that sent
/// none. A unit is dated where any unit of the whole table shares its name: the old An Giang of a yearly report
/// beside the old and new ones of a quarterly report (round 64, found by a review helper).
pub(super) fn completeness(catalogue: &Catalogue, evaluation: &Evaluation) -> Completeness {
    let (mut rows, mut silent, mut not_received) = (Vec::new(), Vec::new(), Vec::new());
    let every: Vec<&str> = (evaluation.completeness.iter())
        .flat_map(|d| d.org_units.iter().map(|u| u.org_unit.as_str()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let names: BTreeMap<&str, Text> = every.iter().copied().zip(row_names(catalogue, &every)).collect();
    for data_set in &evaluation.completeness {
        let name = catalogue
            .data_sets
            .get(&data_set.data_set)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| Text::new(data_set.data_set.as_str(), data_set.data_set.as_str()));
        let mut entries: Vec<(&str, CompletenessRow)> = Vec::new();
        for unit in &data_set.org_units {
            let org_unit =
                names.get(unit.org_unit.as_str()).cloned().unwrap_or_else(|| org_unit_name(catalogue, &unit.org_unit));
            if !unit.quoted.is_empty() {
                let (org_unit, data_set, periods) = (org_unit.clone(), name.clone(), unit.quoted.clone());
                not_received.push(NotReceived { org_unit, data_set, periods });
            }
            entries.push((
                unit.org_unit.as_str(),
                CompletenessRow {
                    org_unit,
                    data_set: name.clone(),
                    expected: u32::try_from(unit.expected).unwrap_or(u32::MAX),
                    received: u32::try_from(unit.received).unwrap_or(u32::MAX),
                    on_time: unit.on_time.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
                },
            ));
        }
        // Within a data set, places in Vietnamese alphabetical order (Đ after D).
        crate::collation::sort_by_name(&mut entries, |(_, r)| &r.org_unit.vi);
        let all: Vec<&str> = entries.iter().map(|(id, _)| *id).collect();
        let (none, some): (Vec<_>, Vec<_>) =
            entries.into_iter().partition(|(_, row)| row.received == 0 && row.expected > 0);
        rows.extend(some.into_iter().map(|(_, row)| row));
        if !none.is_empty() {
            silent.push(SilentUnits {
                data_set: name,
                expected: none.iter().map(|(_, row)| row.expected).fold(0, u32::saturating_add),
                org_units: silent_areas(catalogue, &all, &none),
            });
        }
    }
    (rows, silent, not_received)
}

/// The names of the units of a data set (`all`, its units in the table) that sent nothing (`none`), one per area: a
/// unit and its continuation, both silent, are one area under its plain name (round 67, found by a reader of the
/// review: "Cao Bang (until 30 Jun 2025), Cao Bang (from 1 Jul 2025)" for a province the merger left unchanged, and 97
/// areas counted for 87); one of a pair whose other is not expected of the data set is named plainly too (the old Hà
/// Nội of a yearly line was "until 30 Jun 2025", as if it had ended). Areas named alike in a language are told
/// apart by their dates, else by their ids (round 67, found by a verifier: "Province M, Province M").
fn silent_areas(catalogue: &Catalogue, all: &[&str], none: &[(&str, CompletenessRow)]) -> Vec<Text> {
    let silent = |id: &str| none.iter().any(|(other, _)| *other == id);
    // The unit a unit continues, or the one that continues it.
    let partner = |id: &str| {
        catalogue.continues(id).or_else(|| {
            let unit = catalogue.org_units.get(id)?;
            (unit.successors.len() == 1 && catalogue.continues(&unit.successors[0]) == Some(id))
                .then(|| unit.successors[0].as_str())
        })
    };
    let continued: Vec<&str> =
        none.iter().filter_map(|(id, _)| catalogue.continues(id).filter(|old| silent(old))).collect();
    // (id, name, whether its dates name it: not for one area of two records)
    let listed: Vec<(&str, Text, bool)> = none
        .iter()
        .filter(|(id, _)| !continued.contains(id))
        .map(|(id, row)| match partner(id) {
            Some(other) if silent(other) => (*id, org_unit_name(catalogue, id), false),
            Some(other) if !all.contains(&other) => (*id, org_unit_name(catalogue, id), true),
            _ => (*id, row.org_unit.clone(), true),
        })
        .collect();
    let in_lang = |lang: Lang| {
        let named: Vec<(&str, String, bool)> =
            listed.iter().map(|(id, name, datable)| (*id, name.get(lang).to_owned(), *datable)).collect();
        crate::figures::told_apart_named(&named, catalogue, lang)
    };
    in_lang(Lang::Vi).into_iter().zip(in_lang(Lang::En)).map(|(vi, en)| Text::new(vi, en)).collect()
}

/// The names of the rows' units `ids`, each with the day it began or ended where another unit of the rows has the
/// same name ([`dated_name`]).
fn row_names(catalogue: &Catalogue, ids: &[&str]) -> Vec<Text> {
    let names: Vec<Text> = ids.iter().map(|id| org_unit_name(catalogue, id)).collect();
    let alike = |a: &Text, b: &Text| a.vi == b.vi || a.en == b.en;
    let shared = |at: usize| (0..ids.len()).any(|other| ids[other] != ids[at] && alike(&names[other], &names[at]));
    (0..ids.len())
        .map(|at| if shared(at) { dated_name(catalogue, ids[at], &names[at]) } else { names[at].clone() })
        .collect()
}

/// `unit`'s `name` with the day it began or ended, for a row beside another unit of the same name: the old Hà Nội
/// and the Hà Nội of 1 July 2025 are two rows of one table ("Ha Noi (until 30 Jun 2025)", "Ha Noi (from 1 Jul
/// 2025)"; round 60, where both were written "Ha Noi").
fn dated_name(catalogue: &Catalogue, unit: &str, name: &Text) -> Text {
    let Some(found) = catalogue.org_units.get(unit) else { return name.clone() };
    let mark = |lang: Lang| {
        let (from, until) = match lang {
            Lang::Vi => ("từ", "đến"),
            Lang::En => ("from", "until"),
        };
        match (found.valid_from, found.valid_to) {
            (Some(day), _) => Some(format!(" ({from} {})", crate::format::date(day, lang))),
            (None, Some(day)) => Some(format!(" ({until} {})", crate::format::date(day, lang))),
            (None, None) => None,
        }
    };
    match (mark(Lang::Vi), mark(Lang::En)) {
        (Some(vi), Some(en)) => Text::new(format!("{}{vi}", name.vi), format!("{}{en}", name.en)),
        _ => name.clone(),
    }
}

pub(super) fn violations(catalogue: &Catalogue, evaluation: &Evaluation, window: Period) -> Vec<ViolationRow> {
    let shown: Vec<_> = evaluation.validation.iter().filter(|v| window.contains(&v.period)).collect();
    // The old Hưng Yên and the Hưng Yên of 1 July 2025 were two rows "Hung Yen 2025" (round 63, found by a review
    // helper).
    let ids: Vec<&str> = shown.iter().map(|v| v.org_unit.as_str()).collect();
    shown
        .iter()
        .zip(row_names(catalogue, &ids))
        .map(|(v, place)| {
            let rule = catalogue.validation_rules.get(&v.rule);
            ViolationRow {
                rule: v.rule.clone(),
                name: rule.map(|r| r.name.clone()).unwrap_or_else(|| Text::new(v.rule.as_str(), v.rule.as_str())),
                org_unit: place,
                period: v.period,
                left: v.left.into(),
                operator: operator_symbol(v.operator).to_owned(),
                right: v.right.into(),
                severity: v.severity,
                decimals: decimals_to_break_the_rule(v),
            }
        })
        .collect()
}

/// The fewest decimals, from 2, at which the sides of violation `v` rounded still break its rule (at most 12; the
/// most a value of 10^3 holds in a double's 15 digits, where every violation of [`tiendo_core::eval::exact::rounding_tolerance`] shows).
fn decimals_to_break_the_rule(v: &Violation) -> u8 {
    let (Some(left), Some(right)) = (v.left, v.right) else { return 2 };
    // Rounded as every output rounds (`format::number`).
    let rounded = |value: f64, decimals: u8| {
        let magnitude: f64 = tiendo_core::eval::exact::fixed(value.abs(), decimals).parse().unwrap_or(value.abs());
        magnitude.copysign(value)
    };
    (2..=12)
        .find(|&d| {
            let (left, right) = ((Some(rounded(left, d)), true), (Some(rounded(right, d)), true));
            validation::check(v.operator, left, right) == Some(false)
        })
        .unwrap_or(12)
}

/// The operator as a reader writes it.
fn operator_symbol(operator: RuleOperator) -> &'static str {
    match operator {
        RuleOperator::EqualTo => "=",
        RuleOperator::NotEqualTo => "≠",
        RuleOperator::GreaterThan => ">",
        RuleOperator::GreaterThanOrEqualTo => "≥",
        RuleOperator::LessThan => "<",
        RuleOperator::LessThanOrEqualTo => "≤",
        RuleOperator::CompulsoryPair => "compulsory pair",
        RuleOperator::ExclusivePair => "exclusive pair",
    }
}
