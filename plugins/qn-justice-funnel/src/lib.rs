//! Quảng Nam's justice-chain funnel.
//!
//! Follows trafficking cases through the justice chain in one period: denunciations received -> resolved ->
//! cases investigated -> indicted -> tried. For each step it computes the conversion rate (the later stage as a
//! percentage of the earlier one), the end-to-end rate (tried per 100 denunciations received), and the bottleneck:
//! the step with the lowest conversion rate, as its number (1 = received -> resolved ... 4 = indicted -> tried)
//! with the step named in the note.
//!
//! Counts of a later stage can exceed the earlier one because cases carry over between periods; such rates are
//! kept (they are above 100 %) and noted, and that step is never the bottleneck.
//!
//! Parameters: `target_rate` (optional, percent): also report how many steps convert below it.

use tiendo_plugin::{ComputeInput, Metric, MetricError, MetricValue, PluginInfo, export_metric};

/// The stages in order, with the data element that counts each.
pub const STAGES: [(&str, &str); 5] = [
    ("received", "denunciations_received"),
    ("resolved", "denunciations_resolved"),
    ("investigated", "cases_detected"),
    ("indicted", "cases_indicted"),
    ("tried", "cases_tried"),
];

/// The conversion-rate metric of each step, in stage order.
pub const STEP_METRICS: [&str; 4] = ["resolution-rate", "investigation-rate", "indictment-rate", "trial-rate"];

pub struct JusticeFunnel;

impl Metric for JusticeFunnel {
    fn info() -> PluginInfo {
        PluginInfo::new(
            "qn-justice-funnel",
            env!("CARGO_PKG_VERSION"),
            "Quảng Nam justice-chain funnel: conversion rates from denunciations received to cases tried, and the \
             bottleneck stage",
        )
        .inputs(STAGES.iter().map(|(_, element)| *element))
        .metrics(STEP_METRICS.iter().copied().chain([
            "end-to-end-rate",
            "bottleneck-stage",
            "steps-below-target",
        ]))
    }

    fn compute(input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        let counts =
            STAGES.iter().map(|(_, element)| input.require_sum(element)).collect::<Result<Vec<f64>, MetricError>>()?;
        if let Some(negative) = counts.iter().position(|count| *count < 0.0) {
            return Err(MetricError::InvalidInput(format!("`{}` is negative", STAGES[negative].1)));
        }
        let target_rate = match input.param("target_rate") {
            Some(_) => Some(input.param_f64("target_rate", 0.0)?),
            None => None,
        };

        let mut metrics = Vec::new();
        let mut bottleneck: Option<(usize, f64)> = None;
        let mut below_target = 0;
        for (step, metric) in STEP_METRICS.iter().enumerate() {
            let (earlier, later) = (counts[step], counts[step + 1]);
            let mut value = MetricValue::ratio_percent(metric, later, earlier);
            if let Some(rate) = value.value {
                if rate > 100.0 {
                    value = value.with_note(&format!(
                        "more {} than {}: cases carried over from earlier periods",
                        STAGES[step + 1].0,
                        STAGES[step].0
                    ));
                    tiendo_plugin::warn!("{metric} is {rate:.1} %, above 100 %");
                }
                if rate <= 100.0 && bottleneck.is_none_or(|(_, lowest)| rate < lowest) {
                    bottleneck = Some((step, rate));
                }
                if target_rate.is_some_and(|target| rate < target) {
                    below_target += 1;
                }
            }
            metrics.push(value);
        }
        metrics.push(MetricValue::ratio_percent("end-to-end-rate", counts[4], counts[0]));
        metrics.push(match bottleneck {
            Some((step, rate)) => MetricValue::new("bottleneck-stage", Some((step + 1) as f64)).with_note(&format!(
                "{} -> {} ({rate:.1} %)",
                STAGES[step].0,
                STAGES[step + 1].0
            )),
            None => MetricValue::new("bottleneck-stage", None).with_note("no step has a conversion rate"),
        });
        if target_rate.is_some() {
            metrics.push(MetricValue::new("steps-below-target", Some(f64::from(below_target))));
        }
        Ok(metrics)
    }
}

export_metric!(JusticeFunnel);

#[cfg(test)]
mod tests {
    use super::*;

    fn input(counts: [Option<f64>; 5]) -> ComputeInput {
        STAGES.iter().zip(counts).fold(ComputeInput::new("quang-nam", ["2023"]), |input, ((_, element), count)| {
            input.with_value(element, "quang-nam", "2023", count)
        })
    }

    fn value(metrics: &[MetricValue], name: &str) -> Option<f64> {
        metrics.iter().find(|metric| metric.name == name).and_then(|metric| metric.value)
    }

    fn note<'a>(metrics: &'a [MetricValue], name: &str) -> Option<&'a str> {
        metrics.iter().find(|metric| metric.name == name).and_then(|metric| metric.note.as_deref())
    }

    #[test]
    fn conversion_rates_and_bottleneck() {
        let metrics =
            JusticeFunnel::compute(input([Some(200.0), Some(180.0), Some(90.0), Some(72.0), Some(60.0)])).unwrap();
        assert_eq!(value(&metrics, "resolution-rate"), Some(90.0));
        assert_eq!(value(&metrics, "investigation-rate"), Some(50.0));
        assert_eq!(value(&metrics, "indictment-rate"), Some(80.0));
        assert!((value(&metrics, "trial-rate").unwrap() - 83.333_333).abs() < 1e-4);
        assert_eq!(value(&metrics, "end-to-end-rate"), Some(30.0));
        assert_eq!(value(&metrics, "bottleneck-stage"), Some(2.0));
        assert_eq!(note(&metrics, "bottleneck-stage"), Some("resolved -> investigated (50.0 %)"));
        assert_eq!(value(&metrics, "steps-below-target"), None);
    }

    #[test]
    fn carry_over_above_100_percent_is_noted_and_never_the_bottleneck() {
        let metrics = JusticeFunnel::compute(input([Some(10.0), Some(8.0), Some(12.0), Some(6.0), Some(6.0)])).unwrap();
        assert_eq!(value(&metrics, "investigation-rate"), Some(150.0));
        assert!(note(&metrics, "investigation-rate").unwrap().contains("carried over"));
        assert_eq!(value(&metrics, "bottleneck-stage"), Some(3.0));
        assert_eq!(tiendo_plugin::take_native_logs().len(), 1);
    }

    #[test]
    fn zero_denominators_give_no_value() {
        let metrics = JusticeFunnel::compute(input([Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0)])).unwrap();
        assert_eq!(value(&metrics, "resolution-rate"), None);
        assert_eq!(value(&metrics, "bottleneck-stage"), None);
        assert_eq!(note(&metrics, "bottleneck-stage"), Some("no step has a conversion rate"));
    }

    #[test]
    fn missing_or_negative_inputs_are_errors() {
        let missing = JusticeFunnel::compute(input([Some(1.0), None, Some(1.0), Some(1.0), Some(1.0)]));
        assert!(
            matches!(missing, Err(MetricError::MissingInput(message)) if message.contains("denunciations_resolved"))
        );
        let negative = JusticeFunnel::compute(input([Some(1.0), Some(1.0), Some(-1.0), Some(1.0), Some(1.0)]));
        assert!(matches!(negative, Err(MetricError::InvalidInput(_))));
    }

    #[test]
    fn target_rate_counts_the_steps_below_it() {
        let counts = [Some(200.0), Some(180.0), Some(90.0), Some(72.0), Some(60.0)];
        let metrics = JusticeFunnel::compute(input(counts).with_param("target_rate", "85")).unwrap();
        assert_eq!(value(&metrics, "steps-below-target"), Some(3.0));
        let bad = JusticeFunnel::compute(input(counts).with_param("target_rate", "high"));
        assert!(matches!(bad, Err(MetricError::InvalidInput(_))));
    }

    #[test]
    fn info_declares_every_stage_and_metric() {
        let info = JusticeFunnel::info();
        assert_eq!(info.id, "qn-justice-funnel");
        assert_eq!(info.inputs.len(), 5);
        assert!(info.metrics.contains(&"bottleneck-stage".to_owned()));
    }
}
