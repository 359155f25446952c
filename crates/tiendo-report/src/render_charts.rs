//! The review's charts, drawn once per language before any template runs: which charts a review has, the file path
//! each gets (`charts/<kind>-<slug>.svg`) and the keys the template context finds them by.

use std::collections::BTreeMap;

use tiendo_core::Lang;

use crate::charts::{self, ChartError};
use crate::charts_panels;
use crate::model::Review;

/// Every chart of one review in one language: the SVG files by relative path, and each chart's path by what it
/// shows (indicator id, comparison id, disaggregation id, evidence key `funnel-<id>` / `regions-<id>`).
#[derive(Default)]
pub(crate) struct Charts {
    /// Relative path -> SVG.
    pub(crate) files: BTreeMap<String, String>,
    pub(crate) indicators: BTreeMap<String, String>,
    pub(crate) provinces: BTreeMap<String, String>,
    pub(crate) disaggregations: BTreeMap<String, String>,
    /// The evidence charts by key (`funnel-cases`, `regions-t2-regions`) -> path.
    pub(crate) evidence: BTreeMap<String, String>,
}

impl Charts {
    /// How many steps [`Charts::draw`] reports for `review` (an indicator without values to chart is a step too).
    pub(crate) fn count(review: &Review) -> usize {
        review.indicators.len()
            + review.provincial_comparisons.len()
            + review.disaggregations.len()
            + review.evidence.funnels().count()
            + review.evidence.regional.len()
    }

    /// Draws every chart of `review` in `lang`, calling `step` with what was drawn after each one.
    ///
    /// # Errors
    /// The first chart that cannot be drawn ([`ChartError`]).
    pub(crate) fn draw(review: &Review, lang: Lang, step: &mut dyn FnMut(String)) -> Result<Charts, ChartError> {
        let mut charts = Charts::default();
        for indicator in &review.indicators {
            if let Some(svg) = charts::indicator_chart(indicator, &review.cover, lang)? {
                let path = charts.add("indicator", &indicator.id, svg);
                charts.indicators.insert(indicator.id.clone(), path);
            }
            step(format!("chart {}", indicator.code));
        }
        for comparison in &review.provincial_comparisons {
            let path = charts.add("provinces", &comparison.id, charts::ranked_bars(comparison, lang)?);
            charts.provinces.insert(comparison.id.clone(), path);
            step(format!("chart {}", comparison.id));
        }
        for disaggregation in &review.disaggregations {
            // Stacked bars say that the options add up to the total: only a count's do. The shares of a percentage
            // stacked would draw 86 % + 85.9 % as a bar of 172; their table stands alone.
            if disaggregation.additive {
                let path =
                    charts.add("disaggregation", &disaggregation.id, charts::stacked_bars(disaggregation, lang)?);
                charts.disaggregations.insert(disaggregation.id.clone(), path);
            }
            step(format!("chart {}", disaggregation.id));
        }
        for funnel in review.evidence.funnels() {
            let path = charts.add("funnel", &funnel.id, charts_panels::funnel_chart(funnel, lang)?);
            charts.evidence.insert(format!("funnel-{}", funnel.id), path);
            step(format!("chart funnel {}", funnel.id));
        }
        for comparison in &review.evidence.regional {
            let path = charts.add("regions", &comparison.id, charts_panels::regional_chart(comparison, lang)?);
            charts.evidence.insert(format!("regions-{}", comparison.id), path);
            step(format!("chart {}", comparison.id));
        }
        Ok(charts)
    }

    /// Stores a chart under a unique path derived from its id and returns the path.
    fn add(&mut self, kind: &str, id: &str, svg: String) -> String {
        let slug: String =
            id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
        let mut path = format!("charts/{kind}-{slug}.svg");
        let mut suffix = 2;
        while self.files.contains_key(&path) {
            path = format!("charts/{kind}-{slug}-{suffix}.svg");
            suffix += 1;
        }
        self.files.insert(path.clone(), svg);
        path
    }

    /// The SVG stored at `path`, if any.
    pub(crate) fn svg(&self, path: Option<&String>) -> Option<&str> {
        path.and_then(|p| self.files.get(p)).map(String::as_str)
    }
}
