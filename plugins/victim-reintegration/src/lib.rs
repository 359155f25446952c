//! Victim reintegration, after IOM's model of the path a victim of trafficking takes: identified -> received
//! (by a support facility or the community) -> supported (given at least one support service) -> reintegrated.
//!
//! Metrics: the rate of each step (later stage as a percentage of the earlier one), the overall reintegration
//! rate (reintegrated per 100 identified), and victims identified and reintegrated per 100,000 population.
//!
//! Parameters: `per` (optional, default 100000): the population base of the two population rates.

use tiendo_plugin::{ComputeInput, Metric, MetricError, MetricValue, PluginInfo, export_metric};

/// The stages in order, with the data element that counts each.
pub const STAGES: [(&str, &str); 4] = [
    ("identified", "victims_identified"),
    ("received", "victims_received"),
    ("supported", "victims_supported"),
    ("reintegrated", "victims_reintegrated"),
];

pub const POPULATION: &str = "population";

pub struct VictimReintegration;

impl Metric for VictimReintegration {
    fn info() -> PluginInfo {
        PluginInfo::new(
            "victim-reintegration",
            env!("CARGO_PKG_VERSION"),
            "Victim reintegration (IOM model): identified -> received -> supported -> reintegrated; rates and \
             per 100,000 population",
        )
        .inputs(STAGES.iter().map(|(_, element)| *element).chain([POPULATION]))
        .metrics([
            "reception-rate",
            "support-rate",
            "reintegration-rate",
            "overall-reintegration-rate",
            "identified-per-100k",
            "reintegrated-per-100k",
        ])
    }

    fn compute(input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        let [identified, received, supported, reintegrated] = [0, 1, 2, 3].map(|stage| input.sum(STAGES[stage].1));
        let identified = identified.ok_or_else(|| missing(STAGES[0].1, &input))?;
        let per = input.param_f64("per", 100_000.0)?;
        if per <= 0.0 {
            return Err(MetricError::InvalidInput(format!("parameter `per` must be positive, got {per}")));
        }
        let per_label = format!("per {}", format_count(per));

        let mut metrics = Vec::new();
        // A later stage may be unreported; its rate and the following ones then have no value.
        let steps = [
            ("reception-rate", Some(identified), received),
            ("support-rate", received, supported),
            ("reintegration-rate", supported, reintegrated),
            ("overall-reintegration-rate", Some(identified), reintegrated),
        ];
        for (name, earlier, later) in steps {
            metrics.push(match (earlier, later) {
                (Some(earlier), Some(later)) => MetricValue::ratio_percent(name, later, earlier),
                _ => MetricValue::new(name, None).with_unit("%").with_note("a stage is not reported"),
            });
        }

        match input.sum(POPULATION) {
            Some(population) if population > 0.0 => {
                metrics
                    .push(MetricValue::ratio("identified-per-100k", identified, population, per).with_unit(&per_label));
                metrics.push(
                    match reintegrated {
                        Some(count) => MetricValue::ratio("reintegrated-per-100k", count, population, per),
                        None => MetricValue::new("reintegrated-per-100k", None)
                            .with_note("victims_reintegrated is not reported"),
                    }
                    .with_unit(&per_label),
                );
            }
            _ => {
                tiendo_plugin::warn!("no population for {}: population rates skipped", input.org_unit);
                for name in ["identified-per-100k", "reintegrated-per-100k"] {
                    metrics.push(MetricValue::new(name, None).with_unit(&per_label).with_note("no population figure"));
                }
            }
        }
        Ok(metrics)
    }
}

fn missing(element: &str, input: &ComputeInput) -> MetricError {
    MetricError::MissingInput(format!("no value of `{element}` for {}", input.period().unwrap_or("any period")))
}

/// `100000` -> `100,000`.
fn format_count(value: f64) -> String {
    let digits = format!("{}", value.round() as u64);
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

export_metric!(VictimReintegration);

#[cfg(test)]
mod tests {
    use super::*;

    fn input(counts: [Option<f64>; 4], population: Option<f64>) -> ComputeInput {
        STAGES
            .iter()
            .zip(counts)
            .fold(ComputeInput::new("an-giang", ["2022"]), |input, ((_, element), count)| {
                input.with_value(element, "an-giang", "2022", count)
            })
            .with_value(POPULATION, "an-giang", "2022", population)
    }

    fn metric<'a>(metrics: &'a [MetricValue], name: &str) -> &'a MetricValue {
        metrics.iter().find(|metric| metric.name == name).unwrap()
    }

    #[test]
    fn rates_along_the_path_and_per_population() {
        let metrics =
            VictimReintegration::compute(input([Some(80.0), Some(72.0), Some(54.0), Some(36.0)], Some(2_000_000.0)))
                .unwrap();
        assert_eq!(metric(&metrics, "reception-rate").value, Some(90.0));
        assert_eq!(metric(&metrics, "support-rate").value, Some(75.0));
        assert!((metric(&metrics, "reintegration-rate").value.unwrap() - 66.666_667).abs() < 1e-4);
        assert_eq!(metric(&metrics, "overall-reintegration-rate").value, Some(45.0));
        assert_eq!(metric(&metrics, "identified-per-100k").value, Some(4.0));
        assert_eq!(metric(&metrics, "reintegrated-per-100k").value, Some(1.8));
        assert_eq!(metric(&metrics, "reintegrated-per-100k").unit.as_deref(), Some("per 100,000"));
    }

    #[test]
    fn unreported_later_stages_leave_their_rates_empty() {
        let metrics = VictimReintegration::compute(input([Some(10.0), Some(10.0), None, None], Some(1e6))).unwrap();
        assert_eq!(metric(&metrics, "reception-rate").value, Some(100.0));
        assert_eq!(metric(&metrics, "support-rate").value, None);
        assert_eq!(metric(&metrics, "support-rate").note.as_deref(), Some("a stage is not reported"));
        assert_eq!(metric(&metrics, "reintegrated-per-100k").value, None);
    }

    #[test]
    fn without_population_the_population_rates_are_empty_and_logged() {
        let metrics = VictimReintegration::compute(input([Some(5.0), Some(5.0), Some(5.0), Some(5.0)], None)).unwrap();
        assert_eq!(metric(&metrics, "identified-per-100k").value, None);
        let logs = tiendo_plugin::take_native_logs();
        assert_eq!(logs[0].1, "no population for an-giang: population rates skipped");
    }

    #[test]
    fn identified_is_required_and_per_must_be_positive() {
        assert!(matches!(
            VictimReintegration::compute(input([None, Some(1.0), Some(1.0), Some(1.0)], Some(1.0))),
            Err(MetricError::MissingInput(_))
        ));
        let per_zero = input([Some(1.0), Some(1.0), Some(1.0), Some(1.0)], Some(1.0)).with_param("per", "0");
        assert!(matches!(VictimReintegration::compute(per_zero), Err(MetricError::InvalidInput(_))));
        let per_thousand = input([Some(3.0), Some(1.0), Some(1.0), Some(1.0)], Some(1_000.0)).with_param("per", "1000");
        let metrics = VictimReintegration::compute(per_thousand).unwrap();
        assert_eq!(metric(&metrics, "identified-per-100k").value, Some(3.0));
        assert_eq!(metric(&metrics, "identified-per-100k").unit.as_deref(), Some("per 1,000"));
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(format_count(100_000.0), "100,000");
        assert_eq!(format_count(1_000.0), "1,000");
        assert_eq!(format_count(100.0), "100");
        assert_eq!(format_count(1_234_567.0), "1,234,567");
    }
}
