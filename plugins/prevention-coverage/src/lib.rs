//! Prevention-coverage index for high-risk communes.
//!
//! Combines three coverage ratios into one index from 0 to 100, as a weighted mean:
//!
//! * `commune-coverage`: high-risk communes reached by prevention activities in the period, as a percentage of
//!   all high-risk communes (`high_risk_communes_communicated / high_risk_communes`);
//! * `model-coverage`: high-risk communes with a community prevention model (e.g. a self-management team), as a
//!   percentage of all high-risk communes (`high_risk_communes_with_model / high_risk_communes`);
//! * `population-reach`: people reached by communication activities as a percentage of the population
//!   (`people_reached / population`), capped at 100 because people are reached more than once.
//!
//! Parameters: `weight_coverage` (default 0.5), `weight_model` (0.3), `weight_reach` (0.2). Weights must not be
//! negative. A component without data is left out and the remaining weights are rescaled; the index's note says so.
//! Without commune data the index has no value.

use tiendo_plugin::{ComputeInput, Metric, MetricError, MetricValue, PluginInfo, export_metric};

pub const HIGH_RISK_COMMUNES: &str = "high_risk_communes";
pub const COVERED: &str = "high_risk_communes_communicated";
pub const WITH_MODEL: &str = "high_risk_communes_with_model";
pub const PEOPLE_REACHED: &str = "people_reached";
pub const POPULATION: &str = "population";

/// Components: metric name, weight parameter, default weight.
const COMPONENTS: [(&str, &str, f64); 3] = [
    ("commune-coverage", "weight_coverage", 0.5),
    ("model-coverage", "weight_model", 0.3),
    ("population-reach", "weight_reach", 0.2),
];

pub struct PreventionCoverage;

impl Metric for PreventionCoverage {
    fn info() -> PluginInfo {
        PluginInfo::new(
            "prevention-coverage",
            env!("CARGO_PKG_VERSION"),
            "Prevention-coverage index for high-risk communes: weighted mean of commune coverage, community models \
             and population reach",
        )
        .inputs([HIGH_RISK_COMMUNES, COVERED, WITH_MODEL, PEOPLE_REACHED, POPULATION])
        .metrics(COMPONENTS.iter().map(|(name, _, _)| *name).chain(["prevention-coverage-index"]))
    }

    fn compute(input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        let mut weights = [0.0; 3];
        for (index, (_, parameter, default)) in COMPONENTS.iter().enumerate() {
            let weight = input.param_f64(parameter, *default)?;
            if weight < 0.0 {
                return Err(MetricError::InvalidInput(format!("parameter `{parameter}` is negative: {weight}")));
            }
            weights[index] = weight;
        }
        if weights.iter().sum::<f64>() == 0.0 {
            return Err(MetricError::InvalidInput("all weights are zero".to_owned()));
        }

        let communes = input.sum(HIGH_RISK_COMMUNES);
        let share = |numerator: Option<f64>, denominator: Option<f64>, cap: bool| match (numerator, denominator) {
            (Some(numerator), Some(denominator)) if denominator > 0.0 => {
                let percent = numerator / denominator * 100.0;
                Some(if cap { percent.min(100.0) } else { percent })
            }
            _ => None,
        };
        let components = [
            share(input.sum(COVERED), communes, false),
            share(input.sum(WITH_MODEL), communes, false),
            share(input.sum(PEOPLE_REACHED), input.sum(POPULATION), true),
        ];

        let mut metrics = Vec::new();
        let mut weighted_sum = 0.0;
        let mut weight_used = 0.0;
        let mut left_out = Vec::new();
        for (index, component) in components.iter().enumerate() {
            let name = COMPONENTS[index].0;
            match component {
                Some(percent) => {
                    if *percent > 100.0 {
                        tiendo_plugin::warn!("{name} is {percent:.1} %: more communes counted than exist");
                    }
                    weighted_sum += percent.min(100.0) * weights[index];
                    weight_used += weights[index];
                    metrics.push(MetricValue::new(name, Some(*percent)).with_unit("%"));
                }
                None => {
                    left_out.push(name);
                    metrics.push(MetricValue::new(name, None).with_unit("%").with_note("no data"));
                }
            }
        }

        let index = if components[0].is_none() || weight_used == 0.0 {
            MetricValue::new("prevention-coverage-index", None).with_note("no high-risk commune data")
        } else {
            let value = MetricValue::new("prevention-coverage-index", Some(weighted_sum / weight_used));
            if left_out.is_empty() {
                value
            } else {
                value.with_note(&format!("without {}; remaining weights rescaled", left_out.join(", ")))
            }
        };
        metrics.push(index.with_unit("index 0-100"));
        Ok(metrics)
    }
}

export_metric!(PreventionCoverage);

#[cfg(test)]
mod tests {
    use super::*;

    fn input(values: [Option<f64>; 5]) -> ComputeInput {
        [HIGH_RISK_COMMUNES, COVERED, WITH_MODEL, PEOPLE_REACHED, POPULATION]
            .iter()
            .zip(values)
            .fold(ComputeInput::new("nghe-an", ["2024"]), |input, (element, value)| {
                input.with_value(element, "nghe-an", "2024", value)
            })
    }

    fn metric<'a>(metrics: &'a [MetricValue], name: &str) -> &'a MetricValue {
        metrics.iter().find(|metric| metric.name == name).unwrap()
    }

    const FULL: [Option<f64>; 5] = [Some(40.0), Some(30.0), Some(10.0), Some(500_000.0), Some(1_000_000.0)];

    #[test]
    fn default_weights() {
        let metrics = PreventionCoverage::compute(input(FULL)).unwrap();
        assert_eq!(metric(&metrics, "commune-coverage").value, Some(75.0));
        assert_eq!(metric(&metrics, "model-coverage").value, Some(25.0));
        assert_eq!(metric(&metrics, "population-reach").value, Some(50.0));
        // 0.5 x 75 + 0.3 x 25 + 0.2 x 50 = 55
        assert!((metric(&metrics, "prevention-coverage-index").value.unwrap() - 55.0).abs() < 1e-9);
        assert_eq!(metric(&metrics, "prevention-coverage-index").note, None);
    }

    #[test]
    fn weights_come_from_parameters() {
        let weighted = input(FULL)
            .with_param("weight_coverage", "1")
            .with_param("weight_model", "0")
            .with_param("weight_reach", "1");
        let metrics = PreventionCoverage::compute(weighted).unwrap();
        assert!((metric(&metrics, "prevention-coverage-index").value.unwrap() - 62.5).abs() < 1e-9);
    }

    #[test]
    fn a_missing_component_is_left_out_and_noted() {
        let metrics =
            PreventionCoverage::compute(input([Some(40.0), Some(30.0), Some(10.0), None, Some(1e6)])).unwrap();
        // (0.5 x 75 + 0.3 x 25) / 0.8 = 56.25
        let index = metric(&metrics, "prevention-coverage-index");
        assert!((index.value.unwrap() - 56.25).abs() < 1e-9);
        assert_eq!(index.note.as_deref(), Some("without population-reach; remaining weights rescaled"));
    }

    #[test]
    fn without_commune_data_there_is_no_index() {
        let metrics = PreventionCoverage::compute(input([None, Some(3.0), None, Some(1.0), Some(2.0)])).unwrap();
        assert_eq!(metric(&metrics, "prevention-coverage-index").value, None);
    }

    #[test]
    fn reach_is_capped_and_overcounted_communes_are_logged() {
        let metrics =
            PreventionCoverage::compute(input([Some(10.0), Some(12.0), Some(10.0), Some(3e6), Some(1e6)])).unwrap();
        assert_eq!(metric(&metrics, "population-reach").value, Some(100.0));
        assert_eq!(metric(&metrics, "commune-coverage").value, Some(120.0));
        assert!((metric(&metrics, "prevention-coverage-index").value.unwrap() - 100.0).abs() < 1e-9);
        assert_eq!(tiendo_plugin::take_native_logs().len(), 1);
    }

    #[test]
    fn invalid_weights_are_refused() {
        for (name, value) in [("weight_model", "-1"), ("weight_reach", "lots")] {
            let result = PreventionCoverage::compute(input(FULL).with_param(name, value));
            assert!(matches!(result, Err(MetricError::InvalidInput(_))), "{name} = {value}");
        }
        let zero = input(FULL)
            .with_param("weight_coverage", "0")
            .with_param("weight_model", "0")
            .with_param("weight_reach", "0");
        assert!(matches!(PreventionCoverage::compute(zero), Err(MetricError::InvalidInput(_))));
    }
}
