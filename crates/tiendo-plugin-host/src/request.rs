//! A [`MetricRequest`] as the plugin receives it: the 0.1.0 record (`metric.compute-input`, three strings per input
//! value), the 0.1.1 columns (`columns.columns-input`, each distinct id once and three indices per value) or the
//! 0.1.2 packed columns (`packed.packed-input`, the same with each list of ids as one string).
//!
//! All three carry the same request; the host uses the last one the plugin exports, because every string or list
//! passed into the sandbox costs a call into the plugin's allocator (docs/performance.md, "Plugin host").

use std::fmt::Write as _;
use std::hash::Hash;

// foldhash (hashbrown's default) rather than std's SipHash: the keys are the request's own ids, and hashing them was
// a sixth of a 10,000-value call (docs/performance.md, "Plugin host").
use hashbrown::HashMap;

use tiendo_core::period::Period;
use tiendo_core::plugin::MetricRequest;

use crate::sandbox::bindings::exports::tiendo::plugin::columns;
use crate::sandbox::bindings::exports::tiendo::plugin::metric as wit;
use crate::sandbox::bindings::exports::tiendo::plugin::packed;

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
    let interned = Interned::of(request);
    let inputs = columns::InputColumns {
        names: interned.names.into_texts(str::to_owned),
        org_units: interned.org_units.into_texts(str::to_owned),
        periods: interned.periods.into_texts(|period: Period| period.to_string()),
        name: interned.name,
        org_unit: interned.org_unit,
        period: interned.period,
        value: interned.value,
        missing: interned.missing,
    };
    columns::ColumnsInput {
        org_unit: request.org_unit.clone(),
        periods: request.periods.iter().map(ToString::to_string).collect(),
        inputs,
        params: to_params(request),
    }
}

/// The request as `packed.compute-packed` takes it (WIT 0.1.2): the columns of [`to_columns`], each list of ids
/// written into one string with the end of each id.
pub(crate) fn to_packed(request: &MetricRequest) -> packed::PackedInput {
    let interned = Interned::of(request);
    let inputs = packed::PackedColumns {
        names: interned.names.into_packed(|text, name| text.push_str(name)),
        org_units: interned.org_units.into_packed(|text, org_unit| text.push_str(org_unit)),
        periods: interned.periods.into_packed(|text, period| {
            write!(text, "{period}").expect("writing to a String cannot fail");
        }),
        name: interned.name,
        org_unit: interned.org_unit,
        period: interned.period,
        value: interned.value,
        missing: interned.missing,
    };
    packed::PackedInput {
        org_unit: request.org_unit.clone(),
        periods: request.periods.iter().map(ToString::to_string).collect(),
        inputs,
        params: to_params(request),
    }
}

/// The input values of a request by columns, with the ids still as keys.
struct Interned<'a> {
    names: Interner<&'a str>,
    org_units: Interner<&'a str>,
    periods: Interner<Period>,
    name: Vec<u32>,
    org_unit: Vec<u32>,
    period: Vec<u32>,
    value: Vec<f64>,
    missing: Vec<u32>,
}

impl<'a> Interned<'a> {
    fn of(request: &'a MetricRequest) -> Interned<'a> {
        let count = request.inputs.len();
        let mut interned = Interned {
            names: Interner::default(),
            org_units: Interner::default(),
            periods: Interner::default(),
            name: Vec::with_capacity(count),
            org_unit: Vec::with_capacity(count),
            period: Vec::with_capacity(count),
            value: Vec::with_capacity(count),
            missing: Vec::new(),
        };
        for (position, input) in request.inputs.iter().enumerate() {
            interned.name.push(interned.names.position(input.name.as_str()));
            interned.org_unit.push(interned.org_units.position(input.org_unit.as_str()));
            interned.period.push(interned.periods.position(input.period));
            interned.value.push(input.value.unwrap_or(0.0));
            if input.value.is_none() {
                interned.missing.push(index(position));
            }
        }
        interned
    }
}

fn to_params(request: &MetricRequest) -> Vec<(String, String)> {
    request.params.iter().map(|(key, value)| (key.clone(), value.clone())).collect()
}

/// A position in a list (or a string) sent to the plugin. Requests are far below 2^32 values (evaluation sends one org unit's
/// declared inputs; the canonical ABI caps a list's bytes at 4 GiB anyway).
fn index(position: usize) -> u32 {
    u32::try_from(position).expect("fewer than 2^32 input values, and bytes of ids, in one request")
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

    /// The keys written one after the other into one string by `write`, with the end of each.
    fn into_packed(self, write: impl Fn(&mut String, K)) -> packed::PackedTexts {
        let mut text = String::new();
        let mut ends = Vec::with_capacity(self.keys.len());
        for key in self.keys {
            write(&mut text, key);
            ends.push(index(text.len()));
        }
        packed::PackedTexts { text, ends }
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

    /// The packed columns as the columns of 0.1.1, by cutting each string at its ends.
    fn unpack(input: &packed::PackedInput) -> columns::ColumnsInput {
        let texts = |packed: &packed::PackedTexts| {
            let mut start = 0;
            packed
                .ends
                .iter()
                .map(|end| {
                    let text = packed.text[start..*end as usize].to_owned();
                    start = *end as usize;
                    text
                })
                .collect::<Vec<_>>()
        };
        let columns = &input.inputs;
        columns::ColumnsInput {
            org_unit: input.org_unit.clone(),
            periods: input.periods.clone(),
            inputs: columns::InputColumns {
                names: texts(&columns.names),
                org_units: texts(&columns.org_units),
                periods: texts(&columns.periods),
                name: columns.name.clone(),
                org_unit: columns.org_unit.clone(),
                period: columns.period.clone(),
                value: columns.value.clone(),
                missing: columns.missing.clone(),
            },
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
    fn packed_ids_are_one_string_with_their_ends() {
        let inputs = vec![
            input("b", "hội-an", "2023", Some(1.0)),
            input("a", "hội-an", "2023", None),
            input("b", "tam-kỳ", "2022", Some(2.5)),
            input("a", "tam-kỳ", "2023Q1", None),
        ];
        let packed = to_packed(&request(inputs, vec!["2023".parse().unwrap()]));
        let sent = &packed.inputs;
        assert_eq!((sent.names.text.as_str(), &sent.names.ends[..]), ("ba", &[1, 2][..]));
        // Ends count bytes: `ộ` and `ỳ` are three each.
        assert_eq!((sent.org_units.text.as_str(), &sent.org_units.ends[..]), ("hội-antam-kỳ", &[8, 16][..]));
        assert_eq!((sent.periods.text.as_str(), &sent.periods.ends[..]), ("202320222023Q1", &[4, 8, 14][..]));
        assert_eq!((&sent.name[..], &sent.missing[..]), (&[0, 1, 0, 1][..], &[1, 3][..]));
    }

    #[test]
    fn an_empty_request_has_empty_columns() {
        let packed = to_packed(&request(Vec::new(), Vec::new()));
        assert!(packed.inputs.names.text.is_empty() && packed.inputs.names.ends.is_empty());
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
            // The packed request is the same columns.
            let unpacked = unpack(&to_packed(&request));
            prop_assert_eq!(&unpacked.inputs.names, &columns.inputs.names);
            prop_assert_eq!(&unpacked.inputs.org_units, &columns.inputs.org_units);
            prop_assert_eq!(&unpacked.inputs.periods, &columns.inputs.periods);
            prop_assert_eq!(
                (&unpacked.inputs.name, &unpacked.inputs.org_unit, &unpacked.inputs.period, &unpacked.inputs.missing),
                (&columns.inputs.name, &columns.inputs.org_unit, &columns.inputs.period, &columns.inputs.missing)
            );
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
