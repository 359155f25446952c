//! The review's data-quality section: completeness by unit and data set, the units that sent nothing, validation
//! rules violated, cautions on the basis of counts and data that contradict each other (split from `model.rs` by
//! concern; re-exported there).

use serde::Serialize;
use tiendo_core::{Period, Severity, Text};

use super::Value;

/// How many reports an org unit sent of those expected in the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompletenessRow {
    pub org_unit: Text,
    pub data_set: Text,
    pub expected: u32,
    pub received: u32,
    /// Reports received within the data set's deadline; `None` when the data carries no submission dates (the
    /// optional `submitted` column), so that an unknown timeliness never reads as zero or as complete.
    pub on_time: Option<u32>,
}

/// The units that sent none of the `expected` reports of one data set expected of them in the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SilentUnits {
    pub data_set: Text,
    /// In Vietnamese alphabetical order, dated where two share a name.
    pub org_units: Vec<Text>,
    /// The reports expected of them, all missing.
    pub expected: u32,
}

/// The periods a unit sent no report of although the data hold figures of them that are no report of the data set:
/// quoted in another agency's publication, or derived by the editors (`tiendo_core::PeriodCompleteness::quoted`).
/// Said under the completeness table, so that a reader who knows the figures sees why the period is missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotReceived {
    pub org_unit: Text,
    pub data_set: Text,
    pub periods: Vec<Period>,
}

/// A failed validation rule, e.g. "tried <= indicted".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ViolationRow {
    pub rule: String,
    pub name: Text,
    pub org_unit: Text,
    pub period: Period,
    pub left: Value,
    /// The operator as written in the rule, e.g. `<=`.
    pub operator: String,
    pub right: Value,
    pub severity: Severity,
    /// The decimals a side that is not a whole number is shown with: the fewest, from 2, that keep the shown sides
    /// breaking the rule as the values do (12.3449 ≤ 12.3448 was shown "12.34 ≤ 12.34 error"; round 69).
    pub decimals: u8,
}

/// A warning about how figures may be read, e.g. "victims in cases" is not "victims identified".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Caution {
    pub title: Text,
    pub text: Text,
    pub sources: Vec<String>,
}

/// Figures of the data that cannot all be right (a year and its quarters, a total and its breakdown, a unit and the
/// units below it), as `tiendo eval` warns of them, without any value: the code and name of the warning, its message
/// (English, as the evaluation writes it) and the data row it points to (`file:line`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    pub code: String,
    pub name: String,
    pub message: String,
    pub location: Option<String>,
}

/// A data element the data report in the window that no value of the review rests on (no indicator reads it, or
/// those that read it have no value for those periods): its name, its catalogue description (which says how it differs from the indicators' counts)
/// and the periods it has rows for; never its values (`tiendo_core::eval::unread`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnreadFigures {
    pub element: String,
    pub name: Text,
    pub description: Option<Text>,
    pub periods: Vec<Period>,
    /// The codes of the indicators that read the element but have no value for those periods; empty when no
    /// indicator reads it.
    pub read_by: Vec<String>,
    /// The names of the org units whose rows these are, in the order of their ids.
    pub org_units: Vec<Text>,
}

/// A data row an error left out of every figure: the error's code and name and the row's `file:line`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowLeftOut {
    pub code: String,
    pub name: String,
    pub location: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DataQuality {
    /// The units that sent some of the reports expected of them, a row per (unit, data set).
    pub completeness: Vec<CompletenessRow>,
    /// Per data set, the units that sent none of the reports expected of them: one line each rather than a row of
    /// 0 % per unit (the bundled example holds no provincial data, and 97 rows of 0 % hid the national ones).
    pub silent: Vec<SilentUnits>,
    /// The periods counted as not received although figures of them exist, per (unit, data set).
    pub not_received: Vec<NotReceived>,
    pub violations: Vec<ViolationRow>,
    pub cautions: Vec<Caution>,
    /// The data that contradict each other (`tiendo_core::eval::disagreements`), as the evaluation words them.
    pub disagreements: Vec<Disagreement>,
    /// The data rows that could not be read (errors in the inputs, such as an unknown org unit): in no figure of the
    /// review, which says so at its top and lists them here by code, name and `file:line`, never by their values
    /// (round 65, found by a review helper: a province's 500 cases under a mistyped id left a national total of 85
    /// "complete" and "achieved" without a word). Set by the caller that read the data.
    pub rows_left_out: Vec<RowLeftOut>,
    /// Figures the data hold that no part of the review reads, listed so that the review does not read as if they
    /// did not exist (round 65: the end-of-term review's 2024 figures on other definitions). Set by the caller that
    /// read the data.
    pub unread: Vec<UnreadFigures>,
    /// Whether the review says that validation findings at suppressed values are not listed: true when the
    /// catalogue has validation rules and the disclosure audit hid anything (findings there are left out by
    /// evaluation, whether or not the rule holds, so saying it tells a reader nothing about any one cell).
    pub findings_at_suppressed_not_listed: bool,
    /// How many checks of validation rules in the window could not be made (a value lacking part of its period,
    /// breakdown or units, W354; synthetic beside real figures, W333): "no violations" is then among the checks made
    /// (round 73, found by an adversarial tester: a merged province's impossible 60 resolved of 50 received went
    /// unchecked beside "No violations.").
    pub unchecked_checks: usize,
}
