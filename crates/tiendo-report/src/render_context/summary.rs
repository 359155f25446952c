//! The summary's parts of the template context: the status overview and the headline table (split out of
//! `render_context.rs`, which had reached 800 lines).

use serde_json::{Value as Json, json};

use super::Scope;
use crate::charts;
use crate::format;
use crate::i18n::{self, label};
use crate::model::{ChangeView, Value};

/// `status_counts[]`: how many indicators have each status, with its label, symbol and colour, by the words of the
/// indicator table: "no data" (no value at all) apart from "insufficient data" (round 67, found by a reader of the
/// review: "Insufficient data: 6" above a table of five "No data" and one "Insufficient data"); a status the method
/// decided against its target's line is counted apart, with what the tables say beside it
/// ([`crate::model::IndicatorReview::status_note`]: Open SDG's "achieved" for a target as set not met).
pub(super) fn status_counts(scope: &Scope<'_>) -> Vec<Json> {
    let review = scope.review;
    let lang = scope.lang;
    let mut out: Vec<Json> = Vec::new();
    for (status, _) in review.status_counts() {
        let mut labels: Vec<(String, usize)> = Vec::new();
        if !review.indicators.iter().any(|i| i.status == status) {
            labels.push((i18n::status(status, lang).to_owned(), 0));
        }
        for indicator in review.indicators.iter().filter(|i| i.status == status) {
            let label = match &indicator.status_note {
                Some(note) => format!("{} ({})", i18n::indicator_status(indicator, lang), note.get(lang)),
                None => i18n::indicator_status(indicator, lang).to_owned(),
            };
            match labels.iter_mut().find(|(l, _)| *l == label) {
                Some((_, count)) => *count += 1,
                None => labels.push((label, 1)),
            }
        }
        out.extend(labels.into_iter().map(|(label, count)| {
            json!({
                "class": status.as_str(),
                "label": label,
                "symbol": i18n::status_symbol(status),
                "colour": charts::hex(charts::status_colour(status)),
                "count": count,
            })
        }));
    }
    out
}

/// `headlines[]`: the summary's headline figures beside the previous period's own value (with its marks and its
/// own citation when it cites another source), and the evaluation's change, or why there is none, in words.
pub(super) fn headlines(scope: &Scope<'_>) -> Vec<Json> {
    let review = scope.review;
    let lang = scope.lang;
    review
        .summary
        .headlines
        .iter()
        .map(|h| {
            let unit = h.unit.as_ref().map(|u| u.get(lang).to_owned());
            let change = h.change.absolute_text(h.decimals, lang).or_else(|| match &h.change {
                ChangeView::NoPrevious { .. } => Some(label("none", lang).to_owned()),
                _ => h.change.words(lang),
            });
            let previous_citation = h.previous_source.as_ref().filter(|s| **s != h.source).map(|s| scope.citation(s));
            json!({
                "label": h.label.get(lang),
                "unit": unit,
                "period": format::period(h.period, lang),
                "value": format::value(h.value, h.decimals, lang),
                "previous_period": format::period(h.previous_period, lang),
                "previous_value": format::value(h.previous_value, h.decimals, lang),
                "previous_synthetic": h.previous_synthetic,
                "previous_partial": h.previous_partial,
                "change": change,
                "change_percent": h.change.percent_text(lang),
                "citation": scope.citation(&h.source),
                "previous_citation": previous_citation,
                "synthetic": h.synthetic,
                "estimate": h.estimate,
                "derived": h.derived,
                "previous_estimate": h.previous_estimate,
                "previous_derived": h.previous_derived,
                "partial": h.partial && h.value.number().is_some(),
                "provisional": h.provisional && h.value != Value::Missing,
                "previous_provisional": h.previous_provisional && h.previous_value != Value::Missing,
                "after_end": h.value.number().and(crate::render_evidence::timing_label(h.after_end, h.restated, (h.series_break, h.contested), lang)),
                "previous_after_end": h.previous_value.number().and(crate::render_evidence::timing_label(h.previous_after_end, h.previous_restated, (false, h.previous_contested), lang)),
                "previous_other_basis": (h.previous_other_basis && h.previous_value.number().is_some())
                    .then(|| crate::render_evidence::other_basis_label(h.previous_combined, lang)),
            })
        })
        .collect()
}
