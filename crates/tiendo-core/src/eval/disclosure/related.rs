//! The counts the disclosure audit may hide besides the sensitive ones: every count a validation rule, a share's
//! limit or an indicator's formula relates to one, step by step (`victims <= received <= denunciations`).

use std::collections::BTreeSet;

use crate::model::{Catalogue, Formula};

/// Adds to `set` every member of each of `groups` that holds a member of `set`, until nothing more joins.
pub(super) fn close_over<T: Ord + Copy>(set: &mut BTreeSet<T>, groups: &[Vec<T>]) {
    let mut grew = !set.is_empty();
    while grew {
        grew = false;
        for group in groups {
            if group.iter().any(|m| set.contains(m)) && !group.iter().all(|m| set.contains(m)) {
                set.extend(group.iter().copied());
                grew = true;
            }
        }
    }
}

/// The sensitive elements and every element a validation rule or an indicator's formula relates to one of them,
/// step by step: all the elements the disclosure audit may hold cells of (`differences::audited_refs`, which needs the
/// evaluation's references, keeps those a rule or a share's limit orders; this takes every element such a rule or
/// formula names, which is at least as many). Data warnings, written before the audit decides, quote none of their
/// values (round 71).
pub(crate) fn possibly_audited(catalogue: &Catalogue) -> BTreeSet<&str> {
    let mut groups: Vec<Vec<&str>> = catalogue
        .validation_rules
        .values()
        .map(|rule| rule.left.elements().into_iter().chain(rule.right.elements()).map(|r| r.element.as_str()).collect())
        .collect();
    for indicator in catalogue.indicators.values() {
        if let Formula::Expression { numerator, denominator } = &indicator.formula {
            let terms = numerator.elements().into_iter().chain(denominator.iter().flat_map(|d| d.elements()));
            groups.push(terms.map(|r| r.element.as_str()).collect());
        }
    }
    let ids = catalogue.data_elements.keys().chain(catalogue.indicators.keys());
    let mut audited: BTreeSet<&str> = ids.filter(|id| catalogue.is_sensitive(id)).map(String::as_str).collect();
    close_over(&mut audited, &groups);
    audited
}
