//! The request a plugin computes from, [`ComputeInput`], kept by columns as WIT 0.1.2's `compute-packed` sends it.
//!
//! The host sends each distinct name, org unit and period once (each list as one string and the ends of its texts)
//! and, per input value, three indices and a number (plus the positions of the missing values). The SDK keeps
//! exactly that, so receiving a request allocates nothing per value or per id, and [`ComputeInput::sum`] compares
//! indices rather than strings. A request through 0.1.1's `compute-columns` (a string per id) or 0.1.0's `compute`
//! (records of three strings) is turned into the same columns. Every string passed costs the host a call into the
//! plugin's allocator: three per value was about 0.5 µs per value, one per id still 2,000 calls for 2,000 communes
//! (docs/performance.md, "Plugin host").

use crate::bindings::exports::tiendo::plugin::metric as wit;
use crate::{ColumnsInput, InputColumns, MetricError, PackedColumns, PackedInput, PackedTexts};

/// A list of texts stored as one string and the end of each text in it, as `packed.packed-texts` sends it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Texts {
    text: String,
    ends: Vec<u32>,
}

impl Texts {
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Text `index` (which must be below [`Texts::len`]).
    fn get(&self, index: usize) -> &str {
        let start = if index == 0 { 0 } else { self.ends[index - 1] as usize };
        &self.text[start..self.ends[index] as usize]
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|index| self.get(index))
    }

    fn position(&self, wanted: &str) -> Option<usize> {
        self.iter().position(|text| text == wanted)
    }

    /// The position of `text`, appended when absent.
    fn intern(&mut self, text: &str) -> u32 {
        let position = self.position(text).unwrap_or_else(|| {
            self.text.push_str(text);
            self.ends.push(u32::try_from(self.text.len()).expect("ids shorter than 4 GiB in all"));
            self.len() - 1
        });
        u32::try_from(position).expect("fewer than 2^32 distinct ids")
    }

    fn from_list(list: Vec<String>) -> Texts {
        let mut texts = Texts { text: String::with_capacity(list.iter().map(String::len).sum()), ends: Vec::new() };
        for text in list {
            texts.text.push_str(&text);
            texts.ends.push(u32::try_from(texts.text.len()).expect("ids shorter than 4 GiB in all"));
        }
        texts
    }

    fn to_list(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }

    /// The texts as the host sends them, checked: the ends do not decrease, fall on character boundaries, and the
    /// last is the end of the text.
    fn from_packed(packed: PackedTexts, what: &str) -> Result<Texts, MetricError> {
        let PackedTexts { text, ends } = packed;
        let mut start = 0;
        for (index, end) in ends.iter().enumerate() {
            let end = *end as usize;
            if end < start || text.get(start..end).is_none() {
                return Err(invalid(format!(
                    "{what} {index} ends at byte {end}, not after byte {start} on a character"
                )));
            }
            start = end;
        }
        if start != text.len() {
            return Err(invalid(format!("the {what}s end at byte {start} of {}", text.len())));
        }
        Ok(Texts { text, ends })
    }

    /// Whether a text appears more than once. An open-addressing table of positions keyed by FNV-1a: one pass over
    /// the bytes. Sorting the texts instead (string comparisons byte by byte, in WebAssembly) was most of what the
    /// plugin did with 2,000 org units.
    fn has_repeats(&self) -> bool {
        let slots = (self.len() * 2).next_power_of_two();
        let mut table = vec![u32::MAX; slots];
        for index in 0..self.len() {
            let text = self.get(index);
            let mut slot = fnv1a(text.as_bytes()) as usize & (slots - 1);
            loop {
                match table[slot] {
                    u32::MAX => {
                        table[slot] = index as u32;
                        break;
                    }
                    other if self.get(other as usize) == text => return true,
                    _ => slot = (slot + 1) & (slots - 1),
                }
            }
        }
        false
    }

    fn to_packed(&self) -> PackedTexts {
        PackedTexts { text: self.text.clone(), ends: self.ends.clone() }
    }
}

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
    names: Texts,
    org_units: Texts,
    periods: Texts,
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
            name: self.names.get(self.name[row] as usize),
            org_unit: self.org_units.get(self.org_unit[row] as usize),
            period: self.periods.get(self.period[row] as usize),
            value: self.present[row].then_some(self.value[row]),
        })
    }

    /// The input values in the order the host sent them.
    pub fn iter(&self) -> impl Iterator<Item = InputRef<'_>> + Clone + '_ {
        (0..self.len()).filter_map(|row| self.get(row))
    }

    /// Adds one input value at the end.
    pub fn push(&mut self, name: &str, org_unit: &str, period: &str, value: Option<f64>) {
        self.name.push(self.names.intern(name));
        self.org_unit.push(self.org_units.intern(org_unit));
        self.period.push(self.periods.intern(period));
        self.value.push(value.unwrap_or(0.0));
        self.present.push(value.is_some());
    }

    /// The values of input `name` for `period` (every period when `None`), skipping missing ones.
    pub(crate) fn values_of<'a>(&'a self, name: &str, period: Option<&str>) -> impl Iterator<Item = f64> + 'a {
        let name = self.names.position(name);
        // `Some(None)`: any period; `None`: a period that no value has, so nothing matches.
        let period = match period {
            None => Some(None),
            Some(period) => self.periods.position(period).map(Some),
        };
        let wanted = name.zip(period).map(|(name, period)| (name as u32, period.map(|period| period as u32)));
        (0..if wanted.is_some() { self.len() } else { 0 }).filter_map(move |row| {
            let (name, period) = wanted?;
            let matches = self.name[row] == name && period.is_none_or(|period| self.period[row] == period);
            (matches && self.present[row]).then_some(self.value[row])
        })
    }

    /// The columns as `compute-columns` (WIT 0.1.1) sends them, checked as [`Inputs::from_parts`] does.
    fn from_columns(columns: InputColumns) -> Result<Inputs, MetricError> {
        let InputColumns { names, org_units, periods, name, org_unit, period, value, missing } = columns;
        let ids = [Texts::from_list(names), Texts::from_list(org_units), Texts::from_list(periods)];
        Inputs::from_parts(ids, [name, org_unit, period], value, missing)
    }

    /// The columns as `compute-packed` (WIT 0.1.2) sends them, checked as [`Inputs::from_parts`] does, and each
    /// list of ids as [`Texts::from_packed`] does.
    fn from_packed(columns: PackedColumns) -> Result<Inputs, MetricError> {
        let PackedColumns { names, org_units, periods, name, org_unit, period, value, missing } = columns;
        let ids = [
            Texts::from_packed(names, "name")?,
            Texts::from_packed(org_units, "org unit")?,
            Texts::from_packed(periods, "period")?,
        ];
        Inputs::from_parts(ids, [name, org_unit, period], value, missing)
    }

    /// The columns checked: columns of one length, indices within their lists, missing positions increasing and
    /// within the values. Ids repeated in a list are merged, so that equal ids always have one index.
    fn from_parts(
        ids: [Texts; 3],
        indices: [Vec<u32>; 3],
        value: Vec<f64>,
        missing: Vec<u32>,
    ) -> Result<Inputs, MetricError> {
        let [names, org_units, periods] = ids;
        let [mut name, mut org_unit, mut period] = indices;
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

    fn missing(&self) -> Vec<u32> {
        (0..self.len()).filter(|row| !self.present[*row]).map(|row| row as u32).collect()
    }

    /// The columns of these values, as the host sends them.
    fn to_columns(&self) -> InputColumns {
        InputColumns {
            names: self.names.to_list(),
            org_units: self.org_units.to_list(),
            periods: self.periods.to_list(),
            name: self.name.clone(),
            org_unit: self.org_unit.clone(),
            period: self.period.clone(),
            value: self.value.clone(),
            missing: self.missing(),
        }
    }

    /// The packed columns of these values, as the host sends them.
    fn to_packed(&self) -> PackedColumns {
        PackedColumns {
            names: self.names.to_packed(),
            org_units: self.org_units.to_packed(),
            periods: self.periods.to_packed(),
            name: self.name.clone(),
            org_unit: self.org_unit.clone(),
            period: self.period.clone(),
            value: self.value.clone(),
            missing: self.missing(),
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
fn checked_column(table: Texts, column: &mut [u32], what: &str) -> Result<Texts, MetricError> {
    if let Some((row, index)) = column.iter().enumerate().find(|(_, index)| **index as usize >= table.len()) {
        return Err(invalid(format!(
            "value {row} refers to {what} {index}, but there are only {} {what}s",
            table.len()
        )));
    }
    if !table.has_repeats() {
        return Ok(table);
    }
    let mut merged = Texts::default();
    let first: Vec<u32> = table.iter().map(|id| merged.intern(id)).collect();
    for index in column.iter_mut() {
        *index = first[*index as usize];
    }
    Ok(merged)
}

/// The 32-bit FNV-1a hash of `bytes`.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, byte| (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193))
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

    /// The request of `compute-packed` (WIT 0.1.2), without copying a value or an id.
    ///
    /// # Errors
    ///
    /// [`MetricError::InvalidInput`] as for [`ComputeInput::from_columns`], and when the ends of a packed list of
    /// ids decrease, fall inside a character, or do not end with its text.
    pub fn from_packed(input: PackedInput) -> Result<ComputeInput, MetricError> {
        let PackedInput { org_unit, periods, inputs, params } = input;
        Ok(ComputeInput { org_unit, periods, inputs: Inputs::from_packed(inputs)?, params })
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

    /// This request as `compute-packed` receives it (what the host sends): the inverse of
    /// [`ComputeInput::from_packed`], for tests.
    pub fn to_packed(&self) -> PackedInput {
        PackedInput {
            org_unit: self.org_unit.clone(),
            periods: self.periods.clone(),
            inputs: self.inputs.to_packed(),
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

    #[test]
    fn packed_ids_map_back_to_the_same_request() {
        let input = sample();
        let packed = input.to_packed();
        assert_eq!(packed.inputs.names.text, "cases_triedcases_indicted");
        assert_eq!(packed.inputs.names.ends, [11, 25]);
        assert_eq!(packed.inputs.org_units.text, "quang-namhoi-an");
        assert_eq!((&packed.inputs.name[..], &packed.inputs.missing[..]), (&[0, 0, 1, 0][..], &[1, 3][..]));
        let back = ComputeInput::from_packed(packed).unwrap();
        assert_eq!(back, input);
        assert_eq!(back.sum("cases_tried"), Some(3.0));
        // The packed, columns and record requests are one request.
        assert_eq!(ComputeInput::from_columns(input.to_columns()).unwrap(), back);
    }

    #[test]
    fn packed_ids_of_any_length_and_script_survive_the_round_trip() {
        let ids = ["", "xã Tam Kỳ", "", "a", "Hội An — 會安", "b"];
        let mut input = ComputeInput::new("quảng-nam", ["2023"]);
        for (row, id) in ids.iter().enumerate() {
            input = input.with_value("n", id, "2023", Some(row as f64));
        }
        let packed = input.to_packed();
        assert_eq!(packed.inputs.org_units.ends.len(), 5, "the empty id once");
        let back = ComputeInput::from_packed(packed).unwrap();
        let units: Vec<&str> = back.inputs.iter().map(|value| value.org_unit).collect();
        assert_eq!(units, ids);
        assert_eq!(back, input);
    }

    #[test]
    fn repeated_packed_ids_are_merged() {
        let mut packed = sample().to_packed();
        packed.inputs.names.text.push_str("cases_tried");
        packed.inputs.names.ends.push(36);
        packed.inputs.name[3] = 2;
        let input = ComputeInput::from_packed(packed).unwrap();
        assert_eq!(input, sample());
    }

    #[test]
    fn inconsistent_packed_ids_are_invalid_input_never_a_panic() {
        type Edit = fn(&mut PackedColumns);
        let cases: [(Edit, &str); 7] = [
            (|c| c.names.ends = vec![25, 11], "name 1 ends at byte 11, not after byte 25"),
            (|c| c.names.ends = vec![11, 26], "name 1 ends at byte 26"),
            (|c| c.names.ends = vec![11, 24], "the names end at byte 24 of 25"),
            (
                |c| {
                    c.names.text.truncate(11);
                    c.names.ends = vec![11];
                },
                "refers to name 1, but there are only 1 names",
            ),
            (
                |c| {
                    c.org_units.text = "quảng-namhoi-an".to_owned();
                    c.org_units.ends = vec![3, 17];
                },
                "org unit 0 ends at byte 3, not after byte 0 on a character",
            ),
            (|c| c.periods.ends = Vec::new(), "the periods end at byte 0 of 8"),
            (|c| c.period[0] = 7, "refers to period 7"),
        ];
        for (edit, expected) in cases {
            let mut packed = sample().to_packed();
            edit(&mut packed.inputs);
            match ComputeInput::from_packed(packed) {
                Err(MetricError::InvalidInput(message)) => assert!(message.contains(expected), "{message}"),
                other => panic!("{expected}: {other:?}"),
            }
        }
    }

    #[test]
    fn repeats_are_found_whatever_their_place() {
        let texts = |ids: &[&str]| Texts::from_list(ids.iter().map(|id| (*id).to_owned()).collect());
        let cases: [(&[&str], bool); 7] = [
            (&[], false),
            (&[""], false),
            (&["", ""], true),
            (&["a", "b", "c"], false),
            (&["a", "b", "a"], true),
            (&["commune-1", "commune-10", "commune-1"], true),
            (&["ab", "ba", "a", "b"], false),
        ];
        for (ids, repeats) in cases {
            assert_eq!(texts(ids).has_repeats(), repeats, "{ids:?}");
        }
        let many: Vec<String> = (0..5_000).map(|unit| format!("commune-{unit}")).collect();
        assert!(!Texts::from_list(many.clone()).has_repeats());
        let mut repeated = many;
        repeated.push("commune-4321".to_owned());
        assert!(Texts::from_list(repeated).has_repeats());
    }
}
