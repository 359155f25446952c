//! The review's view model: everything a mid-term review shows, already evaluated, in both languages.
//!
//! It is deliberately independent of the evaluation engine's result types: whoever integrates builds a [`Review`]
//! from the catalogue and the evaluation results. Serialised with serde it is also the JSON output format, versioned
//! by [`FORMAT_VERSION`]; change that number whenever a field changes meaning or disappears.
//!
//! Ids that point at sources (`source`, `sources`) must be keys of [`Review::sources`]; rendering fails otherwise,
//! because a figure whose source cannot be shown must not be published.

use std::collections::BTreeMap;

use chrono::{Datelike as _, NaiveDate};
use serde::Serialize;
use tiendo_core::{ActivityStatus, Period, SourceKind, Text};

pub use crate::changes::{ChangeView, NotComparable};
pub use indicator::{
    BaselineView, GapView, IndicatorReview, Milestone, ScaleLevel, SeriesPoint, StatusCaution, TargetView,
};

mod disaggregation;
mod indicator;
mod quality;
pub use disaggregation::{Disaggregation, DisaggregationOption, DisaggregationRow};
pub use quality::{
    Caution, CompletenessRow, DataQuality, Disagreement, NotReceived, RowLeftOut, SilentUnits, UnreadFigures,
    ViolationRow,
};

/// The version of the JSON output format (the serialised [`Review`]).
pub const FORMAT_VERSION: u32 = 2;

/// A figure as published: a number, a count withheld for confidentiality, or no data. The three are shown
/// differently everywhere, because "suppressed" and "no data" must never read as zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Value {
    Number(f64),
    /// A count below the confidentiality threshold (or withheld so that a total cannot reveal one).
    Suppressed,
    Missing,
    /// Reported parts that give no value: a ratio over a denominator of 0 (3 resolved of 0 received). Shown "—"
    /// with the reason beside it, never "no data" (`IndicatorResult::zero_denominators`).
    Undefined,
}

impl Value {
    /// The number, if the value is a finite number; non-finite numbers count as missing.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Number(n) if n.is_finite() => Some(n),
            _ => None,
        }
    }
}

impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Value::Number(value)
    }
}

impl From<Option<f64>> for Value {
    fn from(value: Option<f64>) -> Self {
        value.map_or(Value::Missing, Value::Number)
    }
}

/// The assessment of an indicator against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Achieved,
    OnTrack,
    AtRisk,
    /// The method says "off track" before the target's own period has a value to decide it: the target may still
    /// be met, so the review does not say "not achieved" yet (a 2030 target assessed on 2026's value).
    OffTrack,
    /// The value of the target's own period misses it: a final verdict.
    NotAchieved,
    /// Insufficient data: values in the window, none of which can settle the target (partial, synthetic, a part of
    /// the plan's period, fewer than two years for a trend); written "insufficient-data", as evaluation writes it.
    #[serde(rename = "insufficient-data")]
    NoData,
    /// No value at all in the window ("no data"), told apart from [`Status::NoData`] everywhere: the summary, the
    /// tables by work area and agency, and the JSON (round 68, found by a reader of the review: the summary said
    /// "No data 5, Insufficient data 1" and the JSON "no-data 6").
    #[serde(rename = "no-data")]
    NoValue,
    /// The indicator has no quantitative target (a qualitative objective or a context count).
    NotAssessed,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Achieved,
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::NotAchieved,
        Status::NoData,
        Status::NoValue,
        Status::NotAssessed,
    ];

    /// Stable kebab-case name, used as a CSS class and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::OffTrack => "off-track",
            Status::NotAchieved => "not-achieved",
            Status::NoData => "insufficient-data",
            Status::NoValue => "no-data",
            Status::NotAssessed => "not-assessed",
        }
    }
}

/// A document in the bibliography.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceEntry {
    pub id: String,
    /// Official figures, estimates, or synthetic data (generated, not real); the bibliography says which.
    pub kind: SourceKind,
    /// The document's own number, such as `193/QĐ-TTg`.
    pub number: Option<String>,
    pub title: Text,
    /// Issuer or publisher, already resolved to a display name.
    pub issuer: Option<Text>,
    pub date: Option<NaiveDate>,
    pub url: Option<String>,
    /// The public note, in both languages (the catalogue's `public_note`); the editors' working notes are never
    /// part of a review.
    pub note: Option<Text>,
    /// Something in the record, or in the facts taken from it, is not confirmed; the bibliography says so (the
    /// reasons are the editors' working notes and stay in the catalogue).
    pub uncertain: bool,
}

/// The sha256 of one input file, so that a reader can tell which data a review was made from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct InputDigest {
    /// Path relative to the project root, with `/` separators.
    pub path: String,
    /// Lowercase hex; `None` where it is withheld: a data file's, when the review hides a count. The file holds the
    /// hidden counts, and where its layout is known a reader hashes each candidate file and keeps the one that
    /// matches (round 54, found by a review helper, hunt-af F1: a hidden 5 recovered from ten candidates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Whether the file is a data file (observations), not a catalogue, a plugin or a built-in catalogue.
    #[serde(skip)]
    pub data: bool,
}

impl InputDigest {
    /// A file's digest as the review shows it: withheld for a data file when `hides` (the review hides a count).
    pub fn as_published(&self, hides: bool) -> InputDigest {
        let sha256 = if self.data && hides { None } else { self.sha256.clone() };
        InputDigest { sha256, ..self.clone() }
    }
}

/// Which review: the mid-term review ("sơ kết giữa kỳ") or the end-of-term review ("tổng kết") of a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewKind {
    MidTerm,
    EndOfTerm,
}

impl ReviewKind {
    /// The kind a window implies: a window that reaches the programme's last year is an end-of-term review.
    pub fn from_window(window: Period, programme: Period) -> ReviewKind {
        if window.end().year() >= programme.end().year() { ReviewKind::EndOfTerm } else { ReviewKind::MidTerm }
    }

    /// The title's first words, as Vietnamese and English reviews name them.
    pub fn title(self) -> Text {
        match self {
            ReviewKind::MidTerm => Text::new("Báo cáo sơ kết giữa kỳ", "Mid-term review"),
            ReviewKind::EndOfTerm => Text::new("Báo cáo tổng kết", "End-of-term review"),
        }
    }
}

/// The review as a document: who issues it, its number and date, and whether it is final.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DocumentInfo {
    /// The issuing body, e.g. Steering Committee 138/CP.
    pub issuer: Option<Text>,
    /// The document's number, e.g. `12/BC-BCĐ138`.
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
    /// Circulated as final; otherwise a draft, and every page says so.
    pub is_final: bool,
    /// The narrative is illustrative text, not an assessment (a demo): every page says so.
    pub illustrative: bool,
}

/// The title page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cover {
    /// Mid-term or end-of-term; the title follows it.
    pub kind: ReviewKind,
    /// Issuer, number, date, draft or final.
    pub document: DocumentInfo,
    /// The report's title, e.g. "Mid-term review of the programme 2021-2025".
    pub title: Text,
    /// The programme, e.g. Decision 193/QĐ-TTg.
    pub programme: Text,
    pub programme_number: Option<String>,
    /// The programme's whole period; charts span it.
    pub programme_period: Period,
    /// The plan under review when it is not the programme itself (a provincial plan).
    pub plan: Option<PlanRef>,
    /// The org unit the review is about (the country or a province).
    pub org_unit: Text,
    /// The review window, e.g. `2021..2023`; its end is the mid-term marker on charts.
    pub window: Period,
    /// The date the data is considered up to; activities past their deadline on it are overdue.
    pub as_of: NaiveDate,
    pub inputs: Vec<InputDigest>,
    /// The version of the tool that made the review; passed in so that the library reads no environment.
    pub generator: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRef {
    pub id: String,
    pub number: Option<String>,
    pub title: Text,
}

/// A headline result compared with the same period a year earlier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    /// The indicator's code, which the confidentiality note counts its hidden cells by (not shown).
    #[serde(skip)]
    pub code: String,
    pub label: Text,
    pub unit: Option<Text>,
    pub period: Period,
    pub value: Value,
    pub previous_period: Period,
    /// The earlier value in its own state: a number, suppressed, or missing only when there is none.
    pub previous_value: Value,
    pub decimals: u8,
    pub source: String,
    /// The value is synthetic (possible only when the whole review is: [`SyntheticData::wholly`]).
    pub synthetic: bool,
    /// The source the earlier value cites, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_source: Option<String>,
    /// The earlier value's own marks, as its values table shows them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previous_synthetic: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previous_partial: bool,
    /// The evaluation's change, or why there is none (suppressed, not comparable and why, no earlier value).
    pub change: ChangeView,
    /// The value is wholly or partly an estimate (a source of kind `estimate` enters it): marked where it is shown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    /// The previous period's value is wholly or partly an estimate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previous_estimate: bool,
    /// The value, and the previous one, is wholly or partly derived by the editors (a source of kind `derived`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previous_derived: bool,
    /// The value is built from part of what was expected, or may still change; and the earlier value may.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previous_provisional: bool,
    /// The value was reported for days after the unit ended (`SeriesPoint::after_end`); and the earlier value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub after_end: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previous_after_end: bool,
    /// The value holds a restatement by a later unit (`SeriesPoint::restated`); and the earlier value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restated: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previous_restated: bool,
    /// The value is the first after a break in its series (`SeriesPoint::series_break`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub series_break: bool,
    /// The value, and the earlier one, read reports that others contradict (`SeriesPoint::contested`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contested: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previous_contested: bool,
    /// The earlier value is of another basis than the unit's own reports (`SeriesPoint::other_basis`, with
    /// `combined`): a headline's own value is always the unit's own report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previous_other_basis: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub previous_combined: bool,
    /// What a partial value (or the earlier one) lacks and what it was to the status, as the indicator's values
    /// table says it: written under the headline table, so that "(partial)" is never left unexplained.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partial_notes: Vec<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ExecutiveSummary {
    pub headlines: Vec<Headline>,
    /// Narrative findings, one paragraph each.
    pub findings: Vec<Text>,
}

/// A target without data (issue 13, item 3): what is missing, who should supply it and on which form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataGap {
    pub indicator_code: String,
    pub indicator: Text,
    /// The data elements the indicator is computed from, by name.
    pub missing: Vec<Text>,
    /// The agency responsible for the indicator on the review's last day (successors by function followed).
    pub agency: Option<Text>,
    /// The catalogue's data sets (reporting forms) that collect the missing elements; empty when none does.
    pub forms: Vec<Text>,
    /// The target's period that has ended with no value of its own, where the indicator has values of earlier
    /// periods (an end-of-term review's 2025 beside 2024's value); `None` when the window has no value at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// One province's value in a provincial comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvinceValue {
    pub org_unit: String,
    pub name: Text,
    pub value: Value,
    /// Old units whose data was rolled up into this one (succession on 1 Jul 2025), by display name; an old unit the
    /// value's coverage lists as not reporting for the period is left out, since none of its data is in the value.
    pub merged_from: Vec<Text>,
    /// The value rests on synthetic data: tables mark it † and the chart draws it as a dark-grey bar.
    pub synthetic: bool,
    /// The value is built from part of the expected units or periods (or withheld as such): tables mark it and the
    /// chart draws it as an outlined bar.
    pub partial: bool,
    /// The value is wholly or partly an estimate: marked "(estimate)" like every estimate the review shows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    /// The value is wholly or partly derived by the editors: marked "(derived)".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// The value may still change: marked "(provisional)".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    /// Of another basis, or reported after the unit ended: marked so in the table, the chart and its text.
    #[serde(flatten)]
    pub basis_marks: BasisMarks,
    /// The indicator's limit the value lies beyond (`Indicator::beyond_limit`), marked beside it in the ranking's
    /// description as in the tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beyond_limit: Option<f64>,
    /// What a partial value lacks ("Partial: 2 of 3 units reported; no report from prov-b").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// How a value stands to its unit's own reports, marked wherever the value is shown ([`crate::chart_text::Marks`]),
/// so that a chart or a quote copied without its table still says it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BasisMarks {
    /// A sum of the units below beside the unit's own reports of that period type (evaluation's
    /// `Point::other_basis`): marked "(sum of units below)", or with `combined` "(own reports and units below)".
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub other_basis: bool,
    /// The unit's own reports for part of the period, the units below for the rest (`Basis::Combined`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub combined: bool,
    /// Reported for days after the unit ended (evaluation's `Point::after_end`, an old province's report past the
    /// merger): marked "(reported after the unit ended)".
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub after_end: bool,
    /// Holds a report of days before its unit existed (evaluation's `Coverage::restated`, a new province's
    /// restatement of a year before the merger): marked "(includes a restatement by a later unit)".
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub restated: bool,
    /// The first value after a break in its series (evaluation's `Point::series_break`): marked "(a break in the
    /// series)".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub series_break: bool,
    /// Reads reports that others contradict (evaluation's `Point::contested`): marked "reports disagree".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contested: bool,
}

impl BasisMarks {
    /// The words a table writes after the value, in `lang`: "sum of units below" (or "own reports and units below")
    /// and "reported after the unit ended", each where it applies.
    pub(crate) fn labels(self, lang: tiendo_core::Lang) -> (Option<&'static str>, Option<String>) {
        (
            self.other_basis.then(|| crate::render_evidence::other_basis_label(self.combined, lang)),
            crate::render_evidence::timing_label(
                self.after_end,
                self.restated,
                (self.series_break, self.contested),
                lang,
            ),
        )
    }

    /// The marks of an evaluated point, where it shows a number (a hidden or missing value carries none).
    pub(crate) fn of(point: Option<&tiendo_core::eval::Point>) -> Self {
        let Some(point) = point.filter(|p| crate::figures::point_value(p).number().is_some()) else {
            return BasisMarks::default();
        };
        BasisMarks {
            other_basis: point.other_basis,
            combined: point.basis == tiendo_core::eval::Basis::Combined,
            after_end: point.after_end.is_some(),
            restated: crate::figures::is_restated(point),
            series_break: point.series_break.is_some(),
            contested: point.contested,
        }
    }
}

/// Which generation of the administrative map a comparison uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProvinceMap {
    /// The 63 provinces valid until 30 Jun 2025.
    Before2025,
    /// The 34 provinces valid from 1 Jul 2025, with older data rolled up into them.
    From2025,
    /// The provinces of a catalogue whose provinces are the same on 30 Jun and 1 Jul 2025 (no merger in it): one
    /// table, not two alike labelled "63" and "34".
    Unchanged,
}

/// An indicator compared across provinces; rendered as ranked horizontal bars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvincialComparison {
    pub id: String,
    pub indicator_code: String,
    pub title: Text,
    pub unit: Option<Text>,
    pub decimals: u8,
    pub period: Period,
    pub map: ProvinceMap,
    /// How many provinces the map has (every one is a row of `values`, "no data" included): the label says so.
    pub provinces: usize,
    pub values: Vec<ProvinceValue>,
    pub sources: Vec<String>,
    /// The values rest on synthetic data (generated, not real).
    pub synthetic: bool,
    pub note: Option<Text>,
}

/// A value computed by a WebAssembly plugin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PluginMetricRow {
    /// The plugin's id.
    pub plugin: String,
    /// The plugin as readers know it: its own description's first part, or its id when it gave none.
    pub plugin_name: String,
    pub metric: String,
    /// The indicator the metric gives, as readers know it ("H1 – Victims reintegrated"): tables show it, not ids.
    pub name: Text,
    pub org_unit: Text,
    pub period: Period,
    pub value: Value,
    /// The indicator's unit in both languages.
    pub unit: Option<Text>,
    /// The indicator's decimals (a count shows none).
    pub decimals: u8,
    /// The value was computed from synthetic data (generated, not real).
    pub synthetic: bool,
    /// The value was computed, wholly or in part, from estimates, or from figures derived by the editors: marked
    /// "(estimate)" or "(derived)" as every table marks them (round 66, found by a verifier).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// The plugin's note on the value (or, without a value, its explanation), in the plugin's own words (the same
    /// text in both languages), then its inputs' data rows' notes in each language.
    pub note: Option<Text>,
    /// What the value lacks or how it stands to its unit's reports, as the province annex says it
    /// (`build_provinces::province_note`: a partial value, another basis, a report past the unit's end, a
    /// restatement): the annex of plugin metrics marks its values as every other table does (round 61, found by a
    /// review helper: a partial rate was written there without a word).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<Text>,
    /// The value is built from part of what was expected (`figures::is_partial`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// A plugin whose run failed; its metrics are marked as failed while the rest of the review renders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PluginFailureRow {
    /// The plugin's id.
    pub plugin: String,
    /// The plugin as readers know it (see [`PluginMetricRow::plugin_name`]).
    pub plugin_name: String,
    /// The named error, e.g. `fuel-exhausted`, `memory-limit`, `trap`.
    pub error: String,
    pub message: String,
    /// Metrics that could not be computed.
    pub metrics: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PluginSection {
    pub metrics: Vec<PluginMetricRow>,
    pub failures: Vec<PluginFailureRow>,
}

/// An activity of an activity plan and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityProgress {
    pub plan: PlanRef,
    pub id: String,
    pub title: Text,
    pub agency: Option<Text>,
    pub deadline: Option<NaiveDate>,
    pub status: Option<ActivityStatus>,
    pub source: String,
}

impl ActivityProgress {
    /// Whether the activity is overdue on `as_of`: its recorded status is planned or in progress and its deadline has
    /// passed. One whose status no source records is not judged overdue (it may have been done: round 63, found by a
    /// review helper, ten yearly events the review's own sources report were "not reported (overdue)" and counted
    /// against the ministry); it is shown as "no status recorded".
    pub fn is_overdue(&self, as_of: NaiveDate) -> bool {
        matches!(self.status, Some(ActivityStatus::Planned | ActivityStatus::InProgress))
            && self.deadline.is_some_and(|d| d < as_of)
    }
}

/// The disclosure rules applied to the published figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confidentiality {
    /// Counts of victims from 1 to threshold - 1 are suppressed.
    pub threshold: u32,
    /// How many cells the review shows as suppressed, primary and secondary, wherever it shows them (series,
    /// province tables, breakdowns, funnels, whole-period and handover tables, plugin metrics), each counted once.
    pub suppressed_cells: u32,
    /// The evaluation's disclosure audit: its verdict, the primary and secondary counts and the protection range
    /// (`None` when the review was not built from an evaluation). Which hidden cell is which is never shown.
    pub audit: Option<tiendo_core::disclosure::Audit>,
    /// Extra words of the project's own, if any.
    pub note: Option<Text>,
    /// Whether the catalogue marks any count sensitive (`Catalogue::any_sensitive`): without one nothing is
    /// suppressed, whatever the threshold, and the note says so rather than promise that victims' counts are hidden
    /// (round 66, found by a review helper).
    pub protects: bool,
}

/// A section of the methodology annex supplied by the project, after the built-in paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodNote {
    pub title: Text,
    pub body: Text,
}

/// How much of a review rests on synthetic data (generated, not real). Every output shows it first: the HTML and
/// Markdown on their first page, the JSON as its second field.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyntheticData {
    /// Every observation behind the review is synthetic: nothing in it is real data, and statuses and headlines
    /// may rest on synthetic values only because of that.
    pub wholly: bool,
    /// Which figures are synthetic, one line each (for example "C4: 2021"); empty when none is. Each of them is
    /// also marked where it is shown.
    pub figures: Vec<Text>,
}

impl SyntheticData {
    /// Whether anything in the review is synthetic.
    pub fn any(&self) -> bool {
        self.wholly || !self.figures.is_empty()
    }
}

/// A mid-term review, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub format_version: u32,
    /// What in the review is synthetic data; shown before anything else.
    pub synthetic: SyntheticData,
    pub cover: Cover,
    pub summary: ExecutiveSummary,
    /// In display order (work area, then code).
    pub indicators: Vec<IndicatorReview>,
    /// Every target without data, with who should supply it.
    pub data_gaps: Vec<DataGap>,
    pub provincial_comparisons: Vec<ProvincialComparison>,
    /// Results by work area and agency, the justice-chain funnel and the victim pathway.
    pub evidence: crate::model_evidence::Evidence,
    pub disaggregations: Vec<Disaggregation>,
    pub plugins: PluginSection,
    pub activities: Vec<ActivityProgress>,
    pub data_quality: DataQuality,
    pub confidentiality: Confidentiality,
    pub methodology: Vec<MethodNote>,
    /// Every source the review may cite, by id; the bibliography lists those actually cited.
    pub sources: BTreeMap<String, SourceEntry>,
    /// The reviewers' own text per section and language (Markdown with helpers); the JSON output carries it
    /// resolved, per language, beside the review.
    #[serde(skip)]
    pub narrative: crate::narrative::Narrative,
}

impl Review {
    /// An empty review for `cover`, to be filled field by field.
    pub fn new(cover: Cover, confidentiality: Confidentiality) -> Self {
        Review {
            format_version: FORMAT_VERSION,
            synthetic: SyntheticData::default(),
            cover,
            summary: ExecutiveSummary::default(),
            indicators: Vec::new(),
            data_gaps: Vec::new(),
            provincial_comparisons: Vec::new(),
            evidence: crate::model_evidence::Evidence::default(),
            disaggregations: Vec::new(),
            plugins: PluginSection::default(),
            activities: Vec::new(),
            data_quality: DataQuality::default(),
            confidentiality,
            methodology: Vec::new(),
            sources: BTreeMap::new(),
            narrative: crate::narrative::Narrative::default(),
        }
    }

    /// How many indicators have each status, in [`Status::ALL`] order, zeros included.
    pub fn status_counts(&self) -> Vec<(Status, usize)> {
        Status::ALL
            .iter()
            .map(|status| (*status, self.indicators.iter().filter(|i| i.status == *status).count()))
            .collect()
    }

    /// The ids of the sources that figures cite, in order of first citation in the document (cover and summary,
    /// indicators, provinces, disaggregations, activities, cautions). This order numbers the bibliography.
    pub fn cited_sources(&self) -> Vec<String> {
        let mut cited: Vec<String> = Vec::new();
        let mut cite = |id: &str| {
            if !cited.iter().any(|c| c == id) {
                cited.push(id.to_owned());
            }
        };
        for headline in &self.summary.headlines {
            cite(&headline.source);
            headline.previous_source.iter().for_each(|s| cite(s));
        }
        for indicator in &self.indicators {
            cite(&indicator.source);
            if let Some(baseline) = &indicator.baseline {
                cite(&baseline.source);
            }
            if let Some(target) = &indicator.target {
                cite(&target.source);
            }
            if let Some(latest) = &indicator.latest {
                cite(&latest.source);
            }
            for point in &indicator.series {
                cite(&point.source);
            }
            indicator.comment_sources.iter().for_each(|s| cite(s));
        }
        for comparison in &self.provincial_comparisons {
            comparison.sources.iter().for_each(|s| cite(s));
        }
        for disaggregation in &self.disaggregations {
            for row in &disaggregation.rows {
                std::iter::once(&row.source).chain(&row.more_sources).for_each(|s| cite(s));
            }
        }
        for activity in &self.activities {
            cite(&activity.source);
        }
        for caution in &self.data_quality.cautions {
            caution.sources.iter().for_each(|s| cite(s));
        }
        self.evidence.cited_sources().for_each(&mut cite);
        cited
    }
}
