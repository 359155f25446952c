//! A breakdown of an indicator by one category over periods, as the review shows it: its options, its rows and their
//! sum beside the total (split from `model.rs` by concern; re-exported there).

use serde::Serialize;
use tiendo_core::{Period, Text};

use super::Value;

/// One option of a disaggregation (female, male; child, adult; labour, sexual...).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisaggregationOption {
    pub id: String,
    pub name: Text,
}

/// The values of one period across the options, in option order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisaggregationRow {
    pub period: Period,
    pub values: Vec<Value>,
    /// The reported total, which need not equal the sum of the options (a data-quality caution).
    pub total: Value,
    pub source: String,
    /// The row's other sources, where its values rest on several (a real female count beside a synthetic male one),
    /// each cited after `source` in id order (round 67, found by a verifier: such a row cited the synthetic source
    /// alone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_sources: Vec<String>,
    /// The row rests on synthetic data (generated, not real), wholly or in part.
    pub synthetic: bool,
    /// Per option, whether its value is synthetic, where the row mixes synthetic with real values (empty otherwise):
    /// each synthetic value is marked in the table and the options' sum is not given, which would blend the two
    /// (round 66, found by a verifier: real 130 and synthetic 80 were added into a sum of 210, the row marked † whole).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synthetic_cells: Vec<bool>,
    /// Some value of the row (an option or the total) is built from part of the expected units or periods: a
    /// national breakdown that only some provinces reported. Tables, charts and their text mark the row, and `note`
    /// says what is missing (outside review, Q5).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// Some value of the row is wholly or partly an estimate (marked "(estimate)" as in the series tables).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    /// Some value of the row is wholly or partly derived (marked "(derived)").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// Some value of the row may still change.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    /// Some shown value of the row follows a break in its series (`SeriesPoint::series_break`), or reads reports
    /// that others contradict (`SeriesPoint::contested`): marked after the period, as everywhere the value is
    /// written (round 68, found by a verifier: the breakdown's total of 210 was marked in the headline only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub series_break: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contested: bool,
    /// What a partial row lacks, value by value ("Female, Male: Partial: 1 of 3 units reported; no report from …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// The decimals the total is shown with: the indicator's, or more where its value needs them beside a target
    /// (the series point's `decimals`), as everywhere else the value is shown.
    pub total_decimals: u8,
}

impl DisaggregationRow {
    /// A row of `values` and `total` citing `source`, with no mark, no other source and no note (the sample review's
    /// rows and tests).
    pub fn unmarked(period: Period, values: Vec<Value>, total: Value, source: &str) -> Self {
        DisaggregationRow {
            period,
            values,
            total,
            source: source.to_owned(),
            more_sources: Vec::new(),
            synthetic: false,
            synthetic_cells: Vec::new(),
            partial: false,
            estimate: false,
            derived: false,
            provisional: false,
            series_break: false,
            contested: false,
            note: None,
            total_decimals: 0,
        }
    }

    /// The sum of the options' values, shown beside the total: suppressed when any option is (a sum with a hidden
    /// term is as telling as the term, and "0" or the published options' sum would be false); the sum of the
    /// options that have a value when others have none, whose "no data" stands in the same row (the national
    /// example's sources give no organ-removal figure, and the other groups' sum is the total); missing when none
    /// has a value.
    pub fn options_sum(&self) -> Value {
        if self.values.contains(&Value::Suppressed) {
            return Value::Suppressed;
        }
        // Synthetic and real values are never added together (methodology section 2), nor are the groups where one
        // of them was not computed for blending the two.
        if self.synthetic_cells.iter().any(|s| *s) || self.values.contains(&Value::Undefined) {
            return Value::Undefined;
        }
        let numbers: Vec<f64> = self.values.iter().filter_map(|value| value.number()).collect();
        if numbers.is_empty() { Value::Missing } else { Value::Number(numbers.iter().sum()) }
    }
}

/// A breakdown by one category over periods; rendered as stacked bars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disaggregation {
    pub id: String,
    /// The indicator's code and the category's id (catalogue ids), which name the breakdown's cells.
    #[serde(skip)]
    pub indicator_code: String,
    #[serde(skip)]
    pub category_id: String,
    pub title: Text,
    /// The category, e.g. sex.
    pub category: Text,
    pub unit: Option<Text>,
    pub options: Vec<DisaggregationOption>,
    pub rows: Vec<DisaggregationRow>,
    pub note: Option<Text>,
    /// The indicator's decimals, which the options' values are shown with.
    pub decimals: u8,
    /// Whether the options add up to the total (a count): only then is their sum shown beside it; the shares of
    /// a percentage or a ratio do not add up to anything.
    pub additive: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[Value]) -> DisaggregationRow {
        let period = Period::parse("2023").expect("a period");
        DisaggregationRow::unmarked(period, values.to_vec(), Value::Number(40.0), "")
    }

    /// The sum beside the total is never a number a hidden option would make false: female 3 (suppressed) and
    /// male 37 are not "0", nor "37". Options without data, shown as such in the row, add nothing.
    #[test]
    fn the_options_sum_is_suppressed_with_any_suppressed_option() {
        use Value::{Missing, Number, Suppressed};
        for (values, sum) in [
            (vec![Number(3.0), Number(37.0)], Number(40.0)),
            (vec![Suppressed, Suppressed], Suppressed),
            (vec![Suppressed, Number(37.0)], Suppressed),
            (vec![Missing, Suppressed], Suppressed),
            (vec![Missing, Number(37.0)], Number(37.0)),
            (vec![Missing, Missing], Missing),
            (vec![Number(f64::NAN), Number(1.0)], Number(1.0)),
        ] {
            assert_eq!(row(&values).options_sum(), sum, "{values:?}");
        }
    }
}
