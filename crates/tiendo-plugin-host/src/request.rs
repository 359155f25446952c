//! A [`MetricRequest`] as the plugin receives it: the 0.1.0 record (`metric.compute-input`, three strings per input
//! value) or the 0.1.1 columns (`columns.columns-input`, each distinct id once and three indices per value).
//!
//! Both carry the same request; `columns` is used whenever the plugin exports it, because every string passed into
//! the sandbox costs a call into the plugin's allocator (docs/performance.md, "Plugin host").

use std::hash::Hash;

// foldhash (hashbrown's default) rather than std's SipHash: the keys are the request's own ids, and hashing them was
// a sixth of a 10,000-value call (docs/performance.md, "Plugin host").
use hashbrown::HashMap;

use tiendo_core::period::Period;
use tiendo_core::plugin::MetricRequest;

use crate::sandbox::bindings::exports::tiendo::plugin::columns;
use crate::sandbox::bindings::exports::tiendo::plugin::metric as wit;

/// The request as `metric.compute` takes it (WIT 0.1.0).
pub(crate) fn to_wit_input(request: &MetricRequest) -> wit::ComputeInput {
    wit::ComputeInput {
        org_unit: request.org_unit.clone(),
        periods: request.periods.iter().map(ToString::to_string).collect(),
        inputs: request
            .inputs
            .iter()
            .map(|input| wit::InputValue {
                name: input.name.clone(),
                org_unit: input.org_unit.clone(),
                period: input.period.to_string(),
                value: input.value,
            })
            .collect(),
        params: to_params(request),
    }
}

/// The request as `columns.compute-columns` takes it (WIT 0.1.1): names, org units and periods each once, in the
/// order of first use, and per input value their positions, the value (0 when missing) and the missing positions.
pub(crate) fn to_columns(request: &MetricRequest) -> columns::ColumnsInput {
    let count = request.inputs.len();
    let mut names = Interner::default();
    let mut org_units = Interner::default();
    let mut periods = Interner::default();
    let mut inputs = columns::InputColumns {
        names: Vec::new(),
        org_units: Vec::new(),
        periods: Vec::new(),
        name: Vec::with_capacity(count),
        org_unit: Vec::with_capacity(count),
        period: Vec::with_capacity(count),
        value: Vec::with_capacity(count),
        missing: Vec::new(),
    };
    for (position, input) in request.inputs.iter().enumerate() {
        inputs.name.push(names.position(input.name.as_str()));
        inputs.org_unit.push(org_units.position(input.org_unit.as_str()));
        inputs.period.push(periods.position(input.period));
        inputs.value.push(input.value.unwrap_or(0.0));
        if input.value.is_none() {
            inputs.missing.push(index(position));
        }
    }
    inputs.names = names.into_texts(str::to_owned);
    inputs.org_units = org_units.into_texts(str::to_owned);
    inputs.periods = periods.into_texts(|period: Period| period.to_string());
    columns::ColumnsInput {
        org_unit: request.org_unit.clone(),
        periods: request.periods.iter().map(ToString::to_string).collect(),
        inputs,
        params: to_params(request),
    }
}

fn to_params(request: &MetricRequest) -> Vec<(String, String)> {
    request.params.iter().map(|(key, value)| (key.clone(), value.clone())).collect()
}

/// A position in a list sent to the plugin. Requests are far below 2^32 values (evaluation sends one org unit's
/// declared inputs; the canonical ABI caps a list's bytes at 4 GiB anyway).
fn index(position: usize) -> u32 {
    u32::try_from(position).expect("fewer than 2^32 input values in one request")
}

/// Gives each distinct key its position in the order of first use. Consecutive input values usually share a key
/// (same period, same org unit), so the last key is compared before the map is asked.
struct Interner<K> {
    keys: Vec<K>,
    positions: HashMap<K, u32>,
    last: Option<(K, u32)>,
}

impl<K> Default for Interner<K> {
    fn default() -> Interner<K> {
        Interner { keys: Vec::new(), positions: HashMap::new(), last: None }
    }
}

impl<K: Copy + Eq + Hash> Interner<K> {
    fn position(&mut self, key: K) -> u32 {
        if let Some((last, position)) = self.last
            && last == key
        {
            return position;
        }
        let next = index(self.keys.len());
        let position = *self.positions.entry(key).or_insert(next);
        if position == next {
            self.keys.push(key);
        }
        self.last = Some((key, position));
        position
    }

    fn into_texts(self, text: impl Fn(K) -> String) -> Vec<String> {
        self.keys.into_iter().map(text).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use tiendo_core::plugin::MetricInput;

    use super::*;

    /// The columns expanded back to one record per input value, as the SDK does inside the plugin.
    fn expand(input: &columns::ColumnsInput) -> wit::ComputeInput {
        let columns = &input.inputs;
        let inputs = (0..columns.value.len())
            .map(|row| wit::InputValue {
                name: columns.names[columns.name[row] as usize].clone(),
                org_unit: columns.org_units[columns.org_unit[row] as usize].clone(),
                period: columns.periods[columns.period[row] as usize].clone(),
                value: (!columns.missing.contains(&index(row))).then_some(columns.value[row]),
            })
            .collect();
        wit::ComputeInput {
            org_unit: input.org_unit.clone(),
            periods: input.periods.clone(),
            inputs,
            params: input.params.clone(),
        }
    }

    fn request(inputs: Vec<MetricInput>, periods: Vec<Period>) -> MetricRequest {
        MetricRequest {
            plugin: "p".to_owned(),
            org_unit: "quang-nam".to_owned(),
            periods,
            inputs,
            params: BTreeMap::from([("target_rate".to_owned(), "85".to_owned())]),
        }
    }

    fn input(name: &str, org_unit: &str, period: &str, value: Option<f64>) -> MetricInput {
        MetricInput {
            name: name.to_owned(),
            org_unit: org_unit.to_owned(),
            period: period.parse().expect("a period"),
            value,
        }
    }

    #[test]
    fn each_id_is_sent_once_in_the_order_of_first_use() {
        let inputs = vec![
            input("b", "hoi-an", "2023", Some(1.0)),
            input("a", "hoi-an", "2023", None),
            input("b", "tam-ky", "2022", Some(2.5)),
            input("b", "hoi-an", "2023", Some(-0.0)),
            input("a", "tam-ky", "2023Q1", None),
        ];
        let columns = to_columns(&request(inputs, vec!["2023".parse().unwrap()]));
        let sent = &columns.inputs;
        assert_eq!(sent.names, ["b", "a"]);
        assert_eq!(sent.org_units, ["hoi-an", "tam-ky"]);
        assert_eq!(sent.periods, ["2023", "2022", "2023Q1"]);
        assert_eq!(
            (&sent.name[..], &sent.org_unit[..], &sent.period[..]),
            (&[0, 1, 0, 0, 1][..], &[0, 0, 1, 0, 1][..], &[0, 0, 1, 0, 2][..])
        );
        assert_eq!(sent.value, [1.0, 0.0, 2.5, -0.0, 0.0]);
        assert!(sent.value[3].is_sign_negative());
        assert_eq!(sent.missing, [1, 4]);
        assert_eq!(columns.periods, ["2023"]);
        assert_eq!(columns.params, [("target_rate".to_owned(), "85".to_owned())]);
    }

    #[test]
    fn an_empty_request_has_empty_columns() {
        let columns = to_columns(&request(Vec::new(), Vec::new()));
        assert!(
            columns.inputs.names.is_empty() && columns.inputs.value.is_empty() && columns.inputs.missing.is_empty()
        );
        let (expanded, record) = (expand(&columns), to_wit_input(&request(Vec::new(), Vec::new())));
        assert!(expanded.inputs.is_empty() && record.inputs.is_empty());
        assert_eq!(
            (expanded.org_unit, expanded.periods, expanded.params),
            (record.org_unit, record.periods, record.params)
        );
    }

    fn arbitrary_input() -> impl Strategy<Value = MetricInput> {
        let period = prop::sample::select(vec!["2021", "2022", "2023Q4", "2023-07"]);
        let name = prop::sample::select(vec!["cases_tried", "cases_indicted", "population", "x"]);
        let value = prop::option::of(prop_oneof![any::<f64>(), Just(0.0), Just(-0.0)]);
        (name, 0u8..6, period, value)
            .prop_map(|(name, unit, period, value)| input(name, &format!("commune-{unit}"), period, value))
    }

    proptest! {
        /// Whatever the request, the plugin reconstructs exactly the record `compute` would get.
        #[test]
        fn columns_carry_the_same_request_as_the_record(
            inputs in prop::collection::vec(arbitrary_input(), 0..60),
            first in prop::sample::select(vec!["2023", "2022"]),
        ) {
            let request = request(inputs, vec![first.parse().unwrap(), "2021".parse().unwrap()]);
            let columns = to_columns(&request);
            let distinct = |column: &[String]| column.iter().collect::<std::collections::BTreeSet<_>>().len();
            prop_assert_eq!(distinct(&columns.inputs.names), columns.inputs.names.len());
            prop_assert_eq!(distinct(&columns.inputs.org_units), columns.inputs.org_units.len());
            prop_assert_eq!(distinct(&columns.inputs.periods), columns.inputs.periods.len());
            let expanded = expand(&columns);
            let record = to_wit_input(&request);
            // Compared bit for bit: NaN and -0.0 must arrive as they were sent.
            let bits = |input: &wit::ComputeInput| input.inputs.iter().map(|v| v.value.map(f64::to_bits)).collect::<Vec<_>>();
            prop_assert_eq!(bits(&expanded), bits(&record));
            let text = |input: &wit::ComputeInput| input.inputs.iter()
                .map(|v| (v.name.clone(), v.org_unit.clone(), v.period.clone())).collect::<Vec<_>>();
            prop_assert_eq!(text(&expanded), text(&record));
            prop_assert_eq!((&expanded.org_unit, &expanded.periods, &expanded.params), (&record.org_unit, &record.periods, &record.params));
        }
    }
}
