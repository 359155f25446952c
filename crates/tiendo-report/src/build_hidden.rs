//! How many cells the review hides (outside review Q8a): every distinct figure a reader sees as "suppressed",
//! wherever it is shown (an indicator's series and latest value, the headline table, the province tables, the
//! breakdowns, the funnels, the whole-period and handover tables, the plugin metrics), counted once however many
//! tables repeat it, so that the confidentiality note's count agrees with what the reader sees.

use std::collections::BTreeSet;

use tiendo_core::Period;

use crate::model::{Review, Value};

/// A cell of the review: (indicator code or plugin metric, org unit, period, breakdown option or ratio part).
type Cell = (String, String, Period, String);

/// The cells the review shows as suppressed, `unit` being the plan's org unit (the unit of the indicators' series,
/// breakdowns, funnels and the whole-period and handover tables).
pub(super) fn hidden_cells(review: &Review, unit: &str) -> u32 {
    let mut cells: BTreeSet<Cell> = BTreeSet::new();
    let mut add = |code: &str, org_unit: &str, period: Period, variant: &str, value: Value| {
        if value == Value::Suppressed {
            cells.insert((code.to_owned(), org_unit.to_owned(), period, variant.to_owned()));
        }
    };
    for indicator in &review.indicators {
        for point in indicator.series.iter().chain(indicator.latest.as_ref()) {
            add(&indicator.code, unit, point.period, "", point.value);
        }
    }
    // The headline table's figures and their same period last year (a hidden earlier figure shown only there was not
    // counted; round 46, found by a review helper).
    for headline in &review.summary.headlines {
        add(&headline.code, unit, headline.period, "", headline.value);
        add(&headline.code, unit, headline.previous_period, "", headline.previous_value);
    }
    for comparison in &review.provincial_comparisons {
        for value in &comparison.values {
            add(&comparison.indicator_code, &value.org_unit, comparison.period, "", value.value);
        }
    }
    for breakdown in &review.disaggregations {
        for row in &breakdown.rows {
            add(&breakdown.indicator_code, unit, row.period, "", row.total);
            for (option, value) in breakdown.options.iter().zip(&row.values) {
                add(
                    &breakdown.indicator_code,
                    unit,
                    row.period,
                    &format!("{}={}", breakdown.category_id, option.id),
                    *value,
                );
            }
        }
    }
    let evidence = &review.evidence;
    for funnel in evidence.justice_chain.iter().chain(evidence.victim_pathway.as_ref()) {
        for year in &funnel.years {
            for (stage, cell) in funnel.stages.iter().zip(&year.cells) {
                // A stage's suppressed count is its indicator's own published value (a ratio's parts are shown only
                // from a published ratio, never hidden), or no indicator's: then it is its element's.
                let code = stage.indicator_code.as_deref().unwrap_or(&stage.element);
                add(code, unit, year.period, "", cell.value);
            }
        }
    }
    for comparison in &evidence.regional {
        for value in comparison.panels.iter().flat_map(|p| p.values.iter()) {
            add(&comparison.indicator_code, &value.org_unit, comparison.period, "", value.value);
        }
    }
    for row in evidence.whole_period.iter().flat_map(|w| w.rows.iter()) {
        for point in row.values.iter().flatten() {
            add(&row.indicator_code, unit, point.period, "", point.value);
        }
    }
    if let Some(handover) = &evidence.handover {
        for row in &handover.rows {
            if let Some(point) = &row.value {
                add(&row.indicator_code, unit, point.period, "", point.value);
            }
        }
    }
    for metric in &review.plugins.metrics {
        let key = format!("{}/{}", metric.plugin, metric.metric);
        add(&key, &metric.org_unit.en, metric.period, "", metric.value);
    }
    u32::try_from(cells.len()).unwrap_or(u32::MAX)
}
