//! The request a plugin computes from, [`ComputeInput`], kept by columns as WIT 0.1.1's `compute-columns` sends it.
//!
//! The host sends each distinct name, org unit and period once and, per input value, three indices and a number
//! (plus the positions of the missing values). The SDK keeps exactly that, so receiving a request allocates nothing
//! per value, and [`ComputeInput::sum`] compares indices rather than strings. A request through the 0.1.0 `compute`
//! (records of three strings) is turned into the same columns. Passing three strings per value had cost the host a
//! call into the plugin's allocator for each string: about 0.5 µs per value (docs/performance.md, "Plugin host").

use crate::bindings::exports::tiendo::plugin::metric as wit;
use crate::{ColumnsInput, InputColumns, MetricError};

/// One request: the org unit and periods to compute for (the period under evaluation first, then any earlier
/// periods given for context), the declared input values and the parameters from the TOML catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputeInput {
    pub org_unit: String,
    pub periods: Vec<String>,
    /// The input values, by columns; [`Inputs::iter`] gives them one by one.
    pub inputs: Inputs,
    pub params: Vec<(String, String)>,
}

/// One input value of a request, borrowed from [`Inputs`]: a data element or indicator (`name`) for an org unit
/// and period; `value` is `None` when there is no data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InputRef<'a> {
    pub name: &'a str,
    pub org_unit: &'a str,
    pub period: &'a str,
    pub value: Option<f64>,
}

/// The input values of a request, by columns: each distinct name, org unit and period once, and per value their
/// positions and the value.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    names: Vec<String>,
    org_units: Vec<String>,
    periods: Vec<String>,
    name: Vec<u32>,
    org_unit: Vec<u32>,
    period: Vec<u32>,
    value: Vec<f64>,
    present: Vec<bool>,
}

impl PartialEq for Inputs {
    /// The same values in the same order, however the columns number the ids.
    fn eq(&self, other: &Inputs) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Inputs {
    /// The number of input values.
    pub fn len(&self) -> usize {
        self.value.len()
    }

    /// Whether the request has no input values.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Input value `row`, if there is one.
    pub fn get(&self, row: usize) -> Option<InputRef<'_>> {
        (row < self.len()).then(|| InputRef {
            name: &self.names[self.name[row] as usize],
            org_unit: &self.org_units[self.org_unit[row] as usize],
            period: &self.periods[self.period[row] as usize],
            value: self.present[row].then_some(self.value[row]),
        })
    }

    /// The input values in the order the host sent them.
    pub fn iter(&self) -> impl Iterator<Item = InputRef<'_>> + Clone + '_ {
        (0..self.len()).filter_map(|row| self.get(row))
    }

    /// Adds one input value at the end.
    pub fn push(&mut self, name: &str, org_unit: &str, period: &str, value: Option<f64>) {
        self.name.push(intern(&mut self.names, name));
        self.org_unit.push(intern(&mut self.org_units, org_unit));
        self.period.push(intern(&mut self.periods, period));
        self.value.push(value.unwrap_or(0.0));
        self.present.push(value.is_some());
    }

    /// The values of input `name` for `period` (every period when `None`), skipping missing ones.
    pub(crate) fn values_of<'a>(&'a self, name: &str, period: Option<&str>) -> impl Iterator<Item = f64> + 'a {
        let name = self.names.iter().position(|known| known == name);
        // `Some(None)`: any period; `None`: a period that no value has, so nothing matches.
        let period = match period {
            None => Some(None),
            Some(period) => self.periods.iter().position(|known| known == period).map(Some),
        };
        let wanted = name.zip(period).map(|(name, period)| (name as u32, period.map(|period| period as u32)));
        (0..if wanted.is_some() { self.len() } else { 0 }).filter_map(move |row| {
            let (name, period) = wanted?;
            let matches = self.name[row] == name && period.is_none_or(|period| self.period[row] == period);
            (matches && self.present[row]).then_some(self.value[row])
        })
    }

    /// The columns as the host sends them, checked: columns of one length, indices within their lists, missing
    /// positions increasing and within the values. Ids repeated in a list are merged, so that equal ids always have
    /// one index.
    fn from_columns(columns: InputColumns) -> Result<Inputs, MetricError> {
        let InputColumns { names, org_units, periods, mut name, mut org_unit, mut period, value, missing } = columns;
        let count = value.len();
        if name.len() != count || org_unit.len() != count || period.len() != count {
            return Err(invalid(format!(
                "columns of different lengths: {} names, {} org units, {} periods, {} values",
                name.len(),
                org_unit.len(),
                period.len(),
                count
            )));
        }
        let names = checked_column(names, &mut name, "name")?;
        let org_units = checked_column(org_units, &mut org_unit, "org unit")?;
        let periods = checked_column(periods, &mut period, "period")?;
        let mut present = vec![true; count];
        let mut previous: Option<u32> = None;
        for position in missing {
            if previous.is_some_and(|previous| position <= previous) {
                return Err(invalid(format!("missing position {position} is out of order")));
            }
            let slot = present
                .get_mut(position as usize)
                .ok_or_else(|| invalid(format!("missing position {position} is past the last of {count} values")))?;
            *slot = false;
            previous = Some(position);
        }
        Ok(Inputs { names, org_units, periods, name, org_unit, period, value, present })
    }

    /// The columns of these values, as the host sends them.
    fn to_columns(&self) -> InputColumns {
        let missing = (0..self.len()).filter(|row| !self.present[*row]).map(|row| row as u32).collect();
        InputColumns {
            names: self.names.clone(),
            org_units: self.org_units.clone(),
            periods: self.periods.clone(),
            name: self.name.clone(),
            org_unit: self.org_unit.clone(),
            period: self.period.clone(),
            value: self.value.clone(),
            missing,
        }
    }
}

impl<'a> IntoIterator for &'a Inputs {
    type Item = InputRef<'a>;
    type IntoIter = Box<dyn Iterator<Item = InputRef<'a>> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Checks that every index of `column` is within `table`, and merges repeated ids of `table` (rewriting `column`).
fn checked_column(table: Vec<String>, column: &mut [u32], what: &str) -> Result<Vec<String>, MetricError> {
    if let Some((row, index)) = column.iter().enumerate().find(|(_, index)| **index as usize >= table.len()) {
        return Err(invalid(format!(
            "value {row} refers to {what} {index}, but there are only {} {what}s",
            table.len()
        )));
    }
    let mut sorted: Vec<&String> = table.iter().collect();
    sorted.sort_unstable();
    if sorted.windows(2).all(|pair| pair[0] != pair[1]) {
        return Ok(table);
    }
    let mut merged = Vec::new();
    let first: Vec<u32> = table.iter().map(|id| intern(&mut merged, id)).collect();
    for index in column.iter_mut() {
        *index = first[*index as usize];
    }
    Ok(merged)
}

/// The position of `text` in `table`, appended when absent.
fn intern(table: &mut Vec<String>, text: &str) -> u32 {
    let position = table.iter().position(|known| known == text).unwrap_or_else(|| {
        table.push(text.to_owned());
        table.len() - 1
    });
    u32::try_from(position).expect("fewer than 2^32 distinct ids")
}

fn invalid(reason: String) -> MetricError {
    MetricError::InvalidInput(format!("the host sent inconsistent columns: {reason}"))
}

impl ComputeInput {
    /// The request of `compute-columns` (WIT 0.1.1), without copying a value.
    ///
    /// # Errors
    ///
    /// [`MetricError::InvalidInput`] when the columns do not describe a request: columns of different lengths, an
    /// index past its list, or `missing` positions that are not increasing or past the last value. The host never
    /// sends such columns; the check keeps a wrong request from becoming a panic or a wrong number.
    pub fn from_columns(input: ColumnsInput) -> Result<ComputeInput, MetricError> {
        let ColumnsInput { org_unit, periods, inputs, params } = input;
        Ok(ComputeInput { org_unit, periods, inputs: Inputs::from_columns(inputs)?, params })
    }

    /// The request of `compute` (WIT 0.1.0), records of three strings per value, as columns.
    pub(crate) fn from_record(input: wit::ComputeInput) -> ComputeInput {
        let mut inputs = Inputs::default();
        for value in &input.inputs {
            inputs.push(&value.name, &value.org_unit, &value.period, value.value);
        }
        ComputeInput { org_unit: input.org_unit, periods: input.periods, inputs, params: input.params }
    }

    /// This request as `compute-columns` receives it (what the host sends): the inverse of
    /// [`ComputeInput::from_columns`], for tests.
    pub fn to_columns(&self) -> ColumnsInput {
        ColumnsInput {
            org_unit: self.org_unit.clone(),
            periods: self.periods.clone(),
            inputs: self.inputs.to_columns(),
            params: self.params.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ComputeInput {
        ComputeInput::new("quang-nam", ["2023", "2022"])
            .with_value("cases_tried", "quang-nam", "2023", Some(3.0))
            .with_value("cases_tried", "hoi-an", "2023", None)
            .with_value("cases_indicted", "quang-nam", "2022", Some(-0.0))
            .with_value("cases_tried", "quang-nam", "2023", None)
            .with_param("weight", "0.5")
    }

    #[test]
    fn columns_send_each_id_once_and_map_back_to_the_same_request() {
        let input = sample();
        let columns = input.to_columns();
        assert_eq!(columns.inputs.names, ["cases_tried", "cases_indicted"]);
        assert_eq!(columns.inputs.org_units, ["quang-nam", "hoi-an"]);
        assert_eq!(columns.inputs.periods, ["2023", "2022"]);
        assert_eq!(columns.inputs.name, [0, 0, 1, 0]);
        assert_eq!(columns.inputs.missing, [1, 3]);
        let back = ComputeInput::from_columns(columns).unwrap();
        assert_eq!(back, input);
        // -0.0 stays -0.0 (a sign is data too).
        assert!(back.inputs.get(2).unwrap().value.unwrap().is_sign_negative());
        assert_eq!(back.inputs.get(1).unwrap().value, None);
        assert_eq!(back.inputs.get(4), None);
    }

    #[test]
    fn the_0_1_0_record_gives_the_same_request() {
        let input = sample();
        let record = wit::ComputeInput {
            org_unit: input.org_unit.clone(),
            periods: input.periods.clone(),
            inputs: input
                .inputs
                .iter()
                .map(|value| wit::InputValue {
                    name: value.name.to_owned(),
                    org_unit: value.org_unit.to_owned(),
                    period: value.period.to_owned(),
                    value: value.value,
                })
                .collect(),
            params: input.params.clone(),
        };
        assert_eq!(ComputeInput::from_record(record), input);
    }

    #[test]
    fn an_empty_request_maps_to_an_empty_request() {
        let input = ComputeInput::new("x", Vec::<String>::new());
        assert_eq!(ComputeInput::from_columns(input.to_columns()).unwrap(), input);
        assert!(input.inputs.is_empty());
    }

    #[test]
    fn repeated_ids_in_a_list_are_merged() {
        let mut columns = sample().to_columns();
        columns.inputs.names.push("cases_tried".to_owned());
        columns.inputs.name[3] = 2;
        let input = ComputeInput::from_columns(columns).unwrap();
        assert_eq!(input, sample());
        assert_eq!(input.sum("cases_tried"), Some(3.0));
    }

    #[test]
    fn inconsistent_columns_are_invalid_input_never_a_panic() {
        type Edit = fn(&mut InputColumns);
        let cases: [(Edit, &str); 7] = [
            (|c| c.name.push(0), "different lengths"),
            (
                |c| {
                    c.value.pop();
                },
                "different lengths",
            ),
            (|c| c.name[0] = 2, "refers to name 2, but there are only 2 names"),
            (|c| c.org_unit[3] = u32::MAX, "org unit 4294967295"),
            (|c| c.period[1] = 9, "refers to period 9"),
            (|c| c.missing = vec![3, 1], "missing position 1 is out of order"),
            (|c| c.missing = vec![1, 4], "missing position 4 is past the last of 4 values"),
        ];
        for (edit, expected) in cases {
            let mut columns = sample().to_columns();
            edit(&mut columns.inputs);
            match ComputeInput::from_columns(columns) {
                Err(MetricError::InvalidInput(message)) => assert!(message.contains(expected), "{message}"),
                other => panic!("{expected}: {other:?}"),
            }
        }
        let mut repeated = sample().to_columns();
        repeated.inputs.missing = vec![1, 1];
        assert!(ComputeInput::from_columns(repeated).is_err());
    }
}
