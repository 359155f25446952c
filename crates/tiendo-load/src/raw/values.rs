//! The scalar values of the raw schema: closed sets of words (`Keyword`), period ids and expressions, each parsed
//! from its TOML node with a located diagnostic and described to the JSON Schema.

use std::borrow::Cow;

use crate::tree::suggest as did_you_mean;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use tiendo_core::eval::CoveragePolicy;
use tiendo_core::expr::{Expr, ExprError};
use tiendo_core::{
    ActivityStatus, Comparator, Direction, Measure, MissingValueStrategy, OrgUnitAggregation, OrgUnitLevel, Period,
    PeriodType, PlanKind, RuleOperator, Severity, SourceKind, TimeAggregation, ValueType,
};
use toml::de::DeValue;

use crate::codes::{self, Code};
use crate::tree::{FromToml, Node, Reader};

/// A closed set of words, such as the measures `count | percent | …`.
pub trait KeywordSet: Copy + 'static {
    /// Schema name, e.g. `Measure`.
    const NAME: &'static str;
    /// How messages call a value of the set, e.g. "measure".
    const WHAT: &'static str;
    /// The words and their meaning, in documentation order.
    const VALUES: &'static [(&'static str, Self)];
    /// The diagnostic for a word outside the set.
    const CODE: Code = codes::INVALID_VALUE;

    /// The word a planner probably meant.
    fn suggest(text: &str) -> Option<&'static str> {
        did_you_mean(text, Self::VALUES.iter().map(|(word, _)| *word))
    }
}

/// A word from the set `T`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keyword<T>(pub T);

impl<T: KeywordSet> JsonSchema for Keyword<T> {
    fn schema_name() -> Cow<'static, str> {
        T::NAME.into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let words: Vec<&str> = T::VALUES.iter().map(|(word, _)| *word).collect();
        json_schema!({ "type": "string", "enum": words })
    }
}

impl<T: KeywordSet> FromToml for Keyword<T> {
    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        let text = String::from_toml(node, reader)?;
        if let Some((_, value)) = T::VALUES.iter().find(|(word, _)| *word == text) {
            return Some(Keyword(*value));
        }
        let words: Vec<String> = T::VALUES.iter().map(|(word, _)| format!("`{word}`")).collect();
        let hint = match T::suggest(&text) {
            Some(word) => format!("did you mean `{word}`?"),
            None => format!("expected one of {}", words.join(", ")),
        };
        reader.report(T::CODE, node.span(), format!("`{text}` is not a {}", T::WHAT), Some(hint));
        None
    }
}

macro_rules! keyword_set {
    ($type:ty, $name:literal, $what:literal, [$($word:literal => $value:expr),* $(,)?] $(, code = $code:expr)?) => {
        impl KeywordSet for $type {
            const NAME: &'static str = $name;
            const WHAT: &'static str = $what;
            const VALUES: &'static [(&'static str, Self)] = &[$(($word, $value)),*];
            $(const CODE: Code = $code;)?
        }
    };
}

keyword_set!(OrgUnitLevel, "OrgUnitLevel", "level", [
    "country" => OrgUnitLevel::Country, "province" => OrgUnitLevel::Province,
    "district" => OrgUnitLevel::District, "commune" => OrgUnitLevel::Commune,
]);
keyword_set!(SourceKind, "SourceKind", "source kind", [
    "official" => SourceKind::Official, "estimate" => SourceKind::Estimate, "derived" => SourceKind::Derived,
    "synthetic" => SourceKind::Synthetic,
]);
keyword_set!(ValueType, "ValueType", "value type", [
    "count" => ValueType::Count, "number" => ValueType::Number, "boolean" => ValueType::Boolean,
]);
keyword_set!(TimeAggregation, "TimeAggregation", "time aggregation", [
    "sum" => TimeAggregation::Sum, "last" => TimeAggregation::Last, "average" => TimeAggregation::Average,
    "none" => TimeAggregation::None,
]);
keyword_set!(OrgUnitAggregation, "OrgUnitAggregation", "org-unit aggregation", [
    "sum" => OrgUnitAggregation::Sum, "none" => OrgUnitAggregation::None,
]);
keyword_set!(Measure, "Measure", "measure", [
    "count" => Measure::Count, "percent" => Measure::Percent, "ratio" => Measure::Ratio,
    "rate-per-100k" => Measure::RatePer100k, "ordinal" => Measure::Ordinal, "yes-no" => Measure::YesNo,
    "qualitative" => Measure::Qualitative,
]);
keyword_set!(Direction, "Direction", "direction", [
    "increase" => Direction::Increase, "decrease" => Direction::Decrease, "maintain" => Direction::Maintain,
]);
keyword_set!(PlanKind, "PlanKind", "plan kind", [
    "programme" => PlanKind::Programme, "national" => PlanKind::National, "provincial" => PlanKind::Provincial,
    "activity" => PlanKind::Activity,
]);
keyword_set!(ActivityStatus, "ActivityStatus", "activity status", [
    "planned" => ActivityStatus::Planned, "in-progress" => ActivityStatus::InProgress, "done" => ActivityStatus::Done,
    "cancelled" => ActivityStatus::Cancelled,
]);
keyword_set!(RuleOperator, "RuleOperator", "rule operator", [
    "equal_to" => RuleOperator::EqualTo, "not_equal_to" => RuleOperator::NotEqualTo,
    "greater_than" => RuleOperator::GreaterThan, "greater_than_or_equal_to" => RuleOperator::GreaterThanOrEqualTo,
    "less_than" => RuleOperator::LessThan, "less_than_or_equal_to" => RuleOperator::LessThanOrEqualTo,
    "compulsory_pair" => RuleOperator::CompulsoryPair, "exclusive_pair" => RuleOperator::ExclusivePair,
]);
keyword_set!(MissingValueStrategy, "MissingValueStrategy", "missing-value strategy", [
    "skip_if_any_value_missing" => MissingValueStrategy::SkipIfAnyValueMissing,
    "skip_if_all_values_missing" => MissingValueStrategy::SkipIfAllValuesMissing,
    "never_skip" => MissingValueStrategy::NeverSkip,
]);
keyword_set!(Severity, "Severity", "severity", [
    "error" => Severity::Error, "warning" => Severity::Warning, "info" => Severity::Info,
]);
keyword_set!(PeriodType, "PeriodType", "period type", [
    "year" => PeriodType::Year, "half" => PeriodType::Half, "quarter" => PeriodType::Quarter,
    "month" => PeriodType::Month,
]);
keyword_set!(DocumentStatus, "DocumentStatus", "document status", [
    "draft" => DocumentStatus::Draft, "final" => DocumentStatus::Final,
]);
keyword_set!(AssessmentMethod, "AssessmentMethod", "progress assessment method", [
    "eurostat" => AssessmentMethod::Eurostat, "escap" => AssessmentMethod::Escap,
    "open-sdg" => AssessmentMethod::OpenSdg, "unsd" => AssessmentMethod::Unsd,
]);
keyword_set!(CoveragePolicy, "CoveragePolicy", "coverage policy", [
    "flag" => CoveragePolicy::Flag, "exclude" => CoveragePolicy::Exclude,
    "require-complete" => CoveragePolicy::RequireComplete,
]);

impl KeywordSet for Comparator {
    const NAME: &'static str = "Comparator";
    const WHAT: &'static str = "comparator";
    const VALUES: &'static [(&'static str, Self)] = &[
        (">", Comparator::Greater),
        (">=", Comparator::GreaterOrEqual),
        ("=", Comparator::Equal),
        ("<=", Comparator::LessOrEqual),
        ("<", Comparator::Less),
    ];
    const CODE: Code = codes::BAD_COMPARATOR;

    /// Comparators are too short for edit distance: map the usual mistakes and words instead.
    fn suggest(text: &str) -> Option<&'static str> {
        match text.trim().to_lowercase().as_str() {
            "=>" | "≥" | "gte" | "at least" | "từ" => Some(">="),
            "=<" | "≤" | "lte" | "at most" => Some("<="),
            "==" | "eq" | "equal" | "bằng" => Some("="),
            "gt" | "over" | "more than" | "above" | "trên" => Some(">"),
            "lt" | "under" | "less than" | "below" | "dưới" => Some("<"),
            _ => None,
        }
    }
}

/// Whether a review is circulated as a draft (the default: every page says "DỰ THẢO" / "DRAFT") or as final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentStatus {
    Draft,
    Final,
}

/// The default progress-assessment method of a project (see docs/methods.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssessmentMethod {
    /// Eurostat's SDG method: actual growth against required growth.
    Eurostat,
    /// UN ESCAP's method: progress since the base year against the target.
    Escap,
    /// Open SDG: progress towards the target, capped at the natural limit.
    OpenSdg,
    /// UN Statistics Division's traffic lights.
    Unsd,
}

/// A period id such as `2025`, `2023S1`, `2023Q1`, `2023-03`, `2021..2025` or `2024-03-17..2024-12-31`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodId(pub Period);

impl JsonSchema for PeriodId {
    fn schema_name() -> Cow<'static, str> {
        "PeriodId".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A period: 2025, 2023S1 (half), 2023Q1 (quarter), 2023-03 (month), a year from another day such as 2022Oct (1 Oct 2022 - 30 Sep 2023, DHIS2 FinancialOct) or 2022Dec15 (15 Dec 2022 - 14 Dec 2023), 2021..2025 or 2024-03-17..2024-12-31.",
            "type": "string",
            "pattern": "^[0-9]{4}((S[12])|(Q[1-4])|(-[0-9]{2}))?$|^[0-9]{4}(Jan|Feb|Mar|April|May|Jun|July|Aug|Sep|Oct|Nov|Dec)([1-9]|1[0-9]|2[0-8])?$|^[0-9]{4}\\.\\.[0-9]{4}$|^[0-9]{4}-[0-9]{2}-[0-9]{2}\\.\\.[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

impl FromToml for PeriodId {
    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        // A bare integer such as `period = 2025` is a common slip: accept it, since it can only mean the year.
        let text = match node.get_ref() {
            DeValue::Integer(integer) if integer.radix() == 10 => integer.as_str().to_owned(),
            _ => String::from_toml(node, reader)?,
        };
        match Period::parse(&text) {
            Ok(period) => Some(PeriodId(period)),
            Err(error) => {
                reader.report(codes::BAD_PERIOD, node.span(), error.to_string(), Some(period_hint(&text)));
                None
            }
        }
    }
}

/// How to write a period id that does not parse, the same in a TOML file and a data row: the id it most likely
/// means where one parses (`2026q3` is `2026Q3`, `2026H1` is `2026S1`), else the forms (round 68, found by a
/// newcomer: data rows got a generic list where the TOML files named the fix).
pub(crate) fn period_hint(text: &str) -> String {
    let upper = text.trim().to_uppercase();
    let halves = upper.replace('H', "S");
    if upper.contains('H') && tiendo_core::Period::parse(&halves).is_ok() {
        format!("write halves with S for semester, not H: `{halves}`")
    } else if upper.contains('H') {
        "write halves as `2023S1` and `2023S2` (S for semester), not H".to_owned()
    } else if upper != text && tiendo_core::Period::parse(&upper).is_ok() {
        format!("period ids are written in capitals: `{upper}`")
    } else if text.contains('-') && text.len() == 6 {
        "write months with two digits, such as `2023-03`".to_owned()
    } else {
        "write `2023`, `2023S1`, `2023Q1`, `2023-03`, `2021..2025` or `2023-01-01..2023-06-30`".to_owned()
    }
}

/// An expression over data elements, such as `denunciations_resolved` or `victims[sex=female] / victims`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawExpr {
    pub text: String,
    pub expr: Expr,
    /// Byte offset in the file where the expression text starts, when the TOML string holds it verbatim (no
    /// escapes), so that positions inside the expression map to real columns.
    pub content_start: Option<usize>,
}

impl JsonSchema for RawExpr {
    fn schema_name() -> Cow<'static, str> {
        "Expression".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An expression over data element ids: + - * / ( ), numbers, and filters such as victims_identified[sex=female].",
            "type": "string",
            "minLength": 1
        })
    }
}

/// Where the text of a TOML string starts in the file, if the file holds it verbatim.
pub fn string_content_start(reader: &Reader<'_>, node: &Node<'_>, value: &str) -> Option<usize> {
    let range = reader.source.clamp(node.span());
    let written = &reader.source.text[range.clone()];
    for quote in [r#"""""#, "'''", "\"", "'"] {
        if written.len() >= 2 * quote.len() && written.starts_with(quote) && written.ends_with(quote) {
            let inner = &written[quote.len()..written.len() - quote.len()];
            if inner == value {
                return Some(range.start + quote.len());
            }
        }
    }
    None
}

impl FromToml for RawExpr {
    fn from_toml(node: &Node<'_>, reader: &mut Reader<'_>) -> Option<Self> {
        let text = String::from_toml(node, reader)?;
        let content_start = string_content_start(reader, node, &text);
        match Expr::parse(&text) {
            Ok(expr) => Some(RawExpr { text, expr, content_start }),
            Err(ExprError { message, offset, .. }) => {
                let range = match content_start {
                    Some(start) => {
                        let at = start + offset;
                        let width = text[offset.min(text.len())..].chars().next().map_or(0, char::len_utf8);
                        at..at + width
                    }
                    None => node.span(),
                };
                reader.report(
                    codes::EXPRESSION_SYNTAX,
                    range,
                    format!("invalid expression: {message}"),
                    Some("expressions use data element ids, numbers, + - * / and parentheses".to_owned()),
                );
                None
            }
        }
    }
}
