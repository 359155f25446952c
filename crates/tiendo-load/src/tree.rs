//! Reading the spanned TOML tree into raw structs while collecting every problem.
//!
//! serde stops at the first error of a file; planners fixing a catalogue want all of them at once. So the raw
//! structs are read by [`FromToml`], which reports a problem as a diagnostic and carries on: an unknown key is
//! reported and skipped, a value of the wrong type is reported and treated as absent, a missing required key is
//! reported once per table.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use tiendo_core::diagnostic::did_you_mean;
use tiendo_core::{Diagnostic, Span};
use toml::de::{DeTable, DeValue};

use crate::codes::{self, Code};
use crate::files::{FileId, SourceFile};

/// A value in the parsed TOML tree, with its byte range.
pub type Node<'i> = toml::Spanned<DeValue<'i>>;

/// Where a value was written: the file and the byte range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: FileId,
    pub range: Range<usize>,
}

/// A raw value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub location: Location,
}

impl<T> Spanned<T> {
    pub fn get(&self) -> &T {
        &self.value
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// Reads one file: knows the file for spans and collects the diagnostics.
pub struct Reader<'a> {
    pub file: FileId,
    pub source: &'a SourceFile,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    pub fn location(&self, range: Range<usize>) -> Location {
        Location { file: self.file, range }
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        self.source.span(range)
    }

    pub fn report(&mut self, code: Code, range: Range<usize>, message: impl Into<String>, hint: Option<String>) {
        let mut diagnostic = Diagnostic::error(code.code, code.name, message).with_span(Some(self.source.span(range)));
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diagnostics.push(diagnostic);
    }

    fn wrong_type(&mut self, node: &Node<'_>, expected: &str) {
        let found = describe(node.get_ref());
        let hint = if expected.starts_with("a string") {
            "put text in double quotes, such as `\"T1\"`"
        } else if expected.starts_with("an integer") {
            "write a whole number without quotes, such as `1`"
        } else if expected.starts_with("a number") {
            "write a number without quotes, such as `90` or `85.5`"
        } else if expected.starts_with("a date") {
            "write a date without quotes, such as `2021-02-09`"
        } else if expected.starts_with("an array") {
            "write a list in brackets, such as `[\"a\", \"b\"]`"
        } else if expected.starts_with("a table") {
            "write a table, such as `{ vi = \"…\", en = \"…\" }`, or a `[[…]]` section"
        } else {
            "write `true` or `false` without quotes"
        };
        self.report(
            codes::WRONG_TYPE,
            node.span(),
            format!("expected {expected}, found {found}"),
            Some(hint.to_owned()),
        );
    }
}

/// The candidate a planner probably meant: `tiendo_core`'s edit-distance rule, plus swapped neighbouring letters
/// (`titel` for `title`), the most common typo that plain edit distance counts as two.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    did_you_mean(wanted, candidates.iter().copied()).or_else(|| {
        let wanted_key = tiendo_core::text::fold(wanted);
        candidates
            .into_iter()
            .filter(|c| {
                (3..=tiendo_core::diagnostic::MAX_SUGGESTED_LENGTH).contains(&wanted.len())
                    && c.len() <= tiendo_core::diagnostic::MAX_SUGGESTED_LENGTH
                    && strsim::osa_distance(&wanted_key, &tiendo_core::text::fold(c)) <= 1
            })
            .min()
    })
}

/// "a string", "an integer"… for messages.
pub fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// A raw type that can be read from a TOML value, reporting problems instead of failing.
pub trait FromToml: Sized {
    /// The value to use when the key is absent; `None` makes the key required.
    fn when_missing() -> Option<Self> {
        None
    }

    /// Reads `node`; returns `None` after reporting why it could not.
    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self>;
}

impl FromToml for String {
    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        match node.get_ref() {
            DeValue::String(text) => Some(text.to_string()),
            _ => {
                reader.wrong_type(node, "a string");
                None
            }
        }
    }
}

impl FromToml for bool {
    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        match node.get_ref() {
            DeValue::Boolean(value) => Some(*value),
            _ => {
                reader.wrong_type(node, "`true` or `false`");
                None
            }
        }
    }
}

impl FromToml for i64 {
    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        match node.get_ref() {
            DeValue::Integer(integer) => match i64::from_str_radix(integer.as_str(), integer.radix()) {
                Ok(value) => Some(value),
                Err(_) => {
                    reader.report(
                        codes::NUMBER_OUT_OF_RANGE,
                        node.span(),
                        "integer out of range",
                        Some("use a number between -9223372036854775808 and 9223372036854775807".to_owned()),
                    );
                    None
                }
            },
            _ => {
                reader.wrong_type(node, "an integer");
                None
            }
        }
    }
}

impl FromToml for f64 {
    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        let value = match node.get_ref() {
            DeValue::Integer(integer) => i64::from_str_radix(integer.as_str(), integer.radix()).ok().map(|v| v as f64),
            DeValue::Float(float) => float.as_str().parse::<f64>().ok(),
            _ => {
                reader.wrong_type(node, "a number");
                return None;
            }
        };
        // A float too close to zero to be held (`1e-400`) parses as 0: as for a data cell, never a silent 0.
        let underflows =
            |text: &str| text.split(['e', 'E']).next().is_some_and(|m| m.bytes().any(|b| matches!(b, b'1'..=b'9')));
        if let (Some(value), DeValue::Float(float)) = (value, node.get_ref())
            && value == 0.0
            && underflows(float.as_str())
        {
            reader.report(
                codes::NUMBER_OUT_OF_RANGE,
                node.span(),
                format!("`{}` is too close to zero to be held: it would be read as 0", float.as_str()),
                Some("check the number for a typing error in its exponent".to_owned()),
            );
            return None;
        }
        match value {
            Some(value) if value.is_finite() => Some(value),
            _ => {
                reader.report(
                    codes::NUMBER_OUT_OF_RANGE,
                    node.span(),
                    "expected a finite number",
                    Some("`inf` and `nan` are not values a plan can set".to_owned()),
                );
                None
            }
        }
    }
}

/// A calendar date, written as a TOML date (`2021-02-09`) or, for JSON users, a string of that form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date such as 2021-02-09 (a TOML local date).",
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

impl FromToml for Date {
    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        let text = match node.get_ref() {
            DeValue::Datetime(datetime) if datetime.time.is_none() && datetime.offset.is_none() => datetime.to_string(),
            DeValue::Datetime(_) => {
                reader.report(
                    codes::WRONG_TYPE,
                    node.span(),
                    "expected a date, found a date with a time",
                    Some("write the date alone, such as `2021-02-09`".to_owned()),
                );
                return None;
            }
            DeValue::String(text) => text.to_string(),
            _ => {
                reader.wrong_type(node, "a date such as `2021-02-09`");
                return None;
            }
        };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) => Some(Date(date)),
            Err(_) => {
                reader.report(
                    codes::INVALID_VALUE,
                    node.span(),
                    format!("`{text}` is not a date"),
                    Some("write a date such as `2021-02-09`".to_owned()),
                );
                None
            }
        }
    }
}

impl<T: FromToml> FromToml for Spanned<T> {
    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        let value = T::from_toml(node, reader)?;
        Some(Spanned { value, location: reader.location(node.span()) })
    }
}

impl<T: FromToml> FromToml for Option<T> {
    fn when_missing() -> Option<Self> {
        Some(None)
    }

    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        T::from_toml(node, reader).map(Some)
    }
}

impl<T: FromToml> FromToml for Vec<T> {
    fn when_missing() -> Option<Self> {
        Some(Vec::new())
    }

    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        match node.get_ref() {
            // Items that cannot be read were reported; keep the others so that later checks still see them.
            DeValue::Array(items) => Some(items.iter().filter_map(|item| T::from_toml(item, reader)).collect()),
            _ => {
                reader.wrong_type(node, "an array");
                None
            }
        }
    }
}

impl FromToml for BTreeMap<String, Spanned<String>> {
    fn when_missing() -> Option<Self> {
        Some(BTreeMap::new())
    }

    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        let DeValue::Table(table) = node.get_ref() else {
            reader.wrong_type(node, "a table");
            return None;
        };
        let mut out = BTreeMap::new();
        for (key, value) in table.iter() {
            if let Some(text) = Spanned::<String>::from_toml(value, reader) {
                out.insert(key.get_ref().to_string(), text);
            }
        }
        Some(out)
    }
}

/// Reads the keys of one table: each key the raw struct asks for is marked as used; [`TableReader::finish`]
/// reports the keys nobody asked for (with "did you mean") and the required keys that were absent.
pub struct TableReader<'t, 'i> {
    table: &'t DeTable<'i>,
    range: Range<usize>,
    keys: &'static [&'static str],
    missing: Vec<&'static str>,
}

impl<'t, 'i> TableReader<'t, 'i> {
    /// Starts reading `node`, which must be a table whose allowed keys are `keys`.
    pub fn new(node: &'t Node<'i>, reader: &mut Reader<'_>, keys: &'static [&'static str]) -> Option<Self> {
        match node.get_ref() {
            DeValue::Table(table) => Some(TableReader { table, range: node.span(), keys, missing: Vec::new() }),
            _ => {
                reader.wrong_type(node, "a table");
                None
            }
        }
    }

    /// Where the table was written: its header for `[[indicator]]`, the braces for an inline table.
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    /// Reads `key` as a `T`.
    pub fn read<T: FromToml>(&mut self, reader: &mut Reader<'_>, key: &'static str) -> Option<T> {
        match self.table.iter().find(|(k, _)| k.get_ref() == key) {
            Some((_, value)) => T::from_toml(value, reader),
            None => {
                let default = T::when_missing();
                if default.is_none() {
                    self.missing.push(key);
                }
                default
            }
        }
    }

    /// Reports unknown and missing keys. A missing key that an unknown key is a likely typo of is not
    /// reported twice: the unknown key's "did you mean" says it all.
    pub fn finish(self, reader: &mut Reader<'_>, what: &str) {
        let mut explained = Vec::new();
        let mut unknown: Vec<_> =
            self.table.iter().filter(|(k, _)| !self.keys.contains(&k.get_ref().as_ref())).collect();
        unknown.sort_by_key(|(k, _)| k.span().start);
        for (key, _) in unknown {
            let name = key.get_ref().as_ref();
            let suggestion = suggest(name, self.keys.iter().copied());
            let hint = match suggestion {
                Some(known) => {
                    explained.push(known);
                    format!("did you mean `{known}`?")
                }
                None => format!("{what} accepts: {}", self.keys.join(", ")),
            };
            reader.report(codes::UNKNOWN_KEY, key.span(), format!("unknown key `{name}` in {what}"), Some(hint));
        }
        let header = self.header_range(reader);
        for key in self.missing.into_iter().filter(|key| !explained.contains(key)) {
            reader.report(
                codes::MISSING_KEY,
                header.clone(),
                format!("{what} is missing the required key `{key}`"),
                Some(format!("add `{key} = …` to this table")),
            );
        }
    }

    /// The first line of the table, so that a missing-key diagnostic underlines `[[indicator]]` rather than
    /// the whole table.
    fn header_range(&self, reader: &Reader<'_>) -> Range<usize> {
        let range = reader.source.clamp(self.range.clone());
        let text = &reader.source.text[range.clone()];
        let end = text.find('\n').map_or(range.end, |newline| range.start + newline);
        let end =
            if end > range.start && reader.source.text.as_bytes().get(end - 1) == Some(&b'\r') { end - 1 } else { end };
        range.start..end.max(range.start)
    }
}

/// Defines a raw table: the struct (with its JSON Schema) and its [`FromToml`] reading. Every field is a key of
/// the same name; `Option` and `Vec` fields may be absent, every other field is required.
macro_rules! raw_table {
    (
        $(#[$meta:meta])*
        pub struct $name:ident as $what:literal {
            $( $(#[$field_meta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        #[derive(Debug, Clone, schemars::JsonSchema)]
        $(#[$meta])*
        #[schemars(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
            /// Where the table was written.
            #[schemars(skip)]
            pub location: $crate::tree::Location,
        }

        impl $name {
            /// The keys this table accepts.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($field)),*];
            /// How diagnostics name this table.
            pub const WHAT: &'static str = $what;

            /// The keys the reader requires; the JSON Schema must require the same ones (a test checks).
            pub fn required_keys() -> Vec<&'static str> {
                let mut keys = Vec::new();
                $( if <$ty as $crate::tree::FromToml>::when_missing().is_none() { keys.push(stringify!($field)); } )*
                keys
            }
        }

        impl $crate::tree::FromToml for $name {
            fn from_toml(node: &$crate::tree::Node<'_>, reader: &mut $crate::tree::Reader<'_>) -> Option<Self> {
                let mut table = $crate::tree::TableReader::new(node, reader, Self::KEYS)?;
                $( let $field = table.read::<$ty>(reader, stringify!($field)); )*
                let location = reader.location(table.range());
                table.finish(reader, $what);
                Some($name { $( $field: $field?, )* location })
            }
        }
    };
}

pub(crate) use raw_table;
