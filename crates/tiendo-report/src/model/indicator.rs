//! One indicator in the review's view model: its targets, baseline and series of published points, as evaluation
//! decided them (split out of `model.rs`).

use serde::Serialize;
use tiendo_core::{Comparator, Direction, Measure, Period, Text};

use super::{ChangeView, Status, Value};

/// A target as the table shows it: "> 90 % by 2025".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetView {
    pub period: Period,
    pub comparator: Comparator,
    pub value: f64,
    /// The decimals `value` is shown with in every output: none for a whole number, else the indicator's or more,
    /// as many as the target was written with (`tiendo_core::eval::exact::target_decimals`), so that a target is
    /// never shown rounded (`< 9.95`, never `< 10.0`).
    pub decimals: u8,
    pub source: String,
    /// The other targets of the same period the status was decided against too, the other bound of a band such as
    /// "at least 85 and at most 95" (evaluation assesses every target of the final period); empty for one target.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub and: Vec<TargetView>,
    /// The target cites a synthetic source: written "(synthetic)" everywhere, and it decided no status of real values
    /// (W333; round 68, found by a verifier).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
    /// The target cites a source whose facts are not all confirmed (`Source::uncertain`: a period inferred, a
    /// date guessed): written "(not confirmed)" everywhere (round 68, found by a reader of the review: a target
    /// "for 2025" from a press statement that named no year).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub uncertain: bool,
}

impl TargetView {
    /// A target of an indicator shown with `indicator_decimals`, with the decimals it is written with everywhere.
    pub fn new(period: Period, comparator: Comparator, value: f64, source: String, indicator_decimals: u8) -> Self {
        let decimals = tiendo_core::eval::exact::target_decimals(value, indicator_decimals);
        TargetView { period, comparator, value, decimals, source, and: Vec::new(), synthetic: false, uncertain: false }
    }

    /// This target, marked [`TargetView::synthetic`] where `catalogue` gives its source the kind `synthetic`, and
    /// [`TargetView::uncertain`] where the source's facts are not all confirmed.
    pub fn kind_in(mut self, catalogue: &tiendo_core::Catalogue) -> Self {
        let source = catalogue.sources.get(&self.source);
        self.synthetic = source.is_some_and(|s| s.kind == tiendo_core::SourceKind::Synthetic);
        self.uncertain = source.is_some_and(|s| s.uncertain.is_some());
        self
    }

    /// This target and the others of its period it is assessed with, in order.
    pub fn bounds(&self) -> impl Iterator<Item = &TargetView> {
        std::iter::once(self).chain(&self.and)
    }
}

/// A plan's baseline: the value progress toward the target is measured from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselineView {
    pub period: Period,
    pub value: Value,
    /// The decimals a number `value` is shown with, by the rule of [`TargetView::decimals`]: a baseline is read
    /// from the plan as a target is, and is never shown rounded either.
    pub decimals: u8,
    pub source: String,
    /// The baseline's source is of kind `estimate` ("about 260 a year"): marked as a series value is (round 63,
    /// found by a review helper: rounded yearly averages read as exact counts).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    /// The baseline's source is of kind `derived` (computed by the editors from published figures): marked so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// The baseline's source is of kind `synthetic`: marked so, and it decided no status of real values (W333).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
    /// The baseline's source has facts not all confirmed ([`TargetView::uncertain`]): marked "not confirmed".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub uncertain: bool,
    /// The value is a yearly average over `period`, several years (`Baseline::yearly_average`): written "260 a year
    /// (average 2016–2020)" everywhere ([`crate::render::baseline_value`], [`crate::render::baseline_period`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub yearly_average: bool,
    /// What a reader must know to compare the baseline with the values (the plan's `public_note`), written after
    /// its marks in every table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// One value of an indicator's series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    pub period: Period,
    pub value: Value,
    pub source: String,
    /// The figure may still change.
    pub provisional: bool,
    /// The figure rests on synthetic data (generated, not real): tables mark it and charts draw it apart from
    /// real figures, never on the same line.
    pub synthetic: bool,
    /// The figure is wholly or partly an estimate (a source of kind `estimate` enters it, alone or beside official
    /// figures: evaluation's `Point::kind`): tables mark it "(estimate)" with a footnote, so that the value says
    /// so and not only its citation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    /// The figure is wholly or partly derived (a source of kind `derived` enters it: computed by the project's
    /// editors from published figures, printed by no document): tables mark it "(derived)" with a footnote.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// The figure is built from part of the expected units or periods (its note says what is missing): tables mark
    /// it and charts draw it as a lone hollow point, never joined to complete figures.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// The figure is a sum over the units below shown beside the unit's own reports (evaluation's
    /// `Point::other_basis`): another basis than the status's, marked "(sum of units below)" in tables and drawn
    /// apart in charts, never joined to the unit's own figures.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub other_basis: bool,
    /// The figure is the unit's own reports for part of the period and the units below's for the rest (evaluation's
    /// `Basis::Combined`): marked "(own reports and units below)" where it is of another basis, never "sum of units
    /// below", which a reader would check against the units below alone.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub combined: bool,
    /// The unit reported for days after its last day (evaluation's `Point::after_end`): marked "(reported past the
    /// unit's end)" wherever the value is written, its note giving the date.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub after_end: bool,
    /// The figure holds a report of days before its unit existed (evaluation's `Coverage::restated`): marked
    /// "(includes a restatement by a later unit)" wherever it is written, its note naming the restatements.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restated: bool,
    /// The figure is the first after a break in its series (evaluation's `Point::series_break`: the count's
    /// definition changed): marked "(a break in the series)" wherever the value is written, its note giving the
    /// change, so that it is never read against earlier values (round 68, found by a reader of the review: 237
    /// defendants "resolved and tried" in six months beside 128 "brought to trial" in a year).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub series_break: bool,
    /// The figure reads reports that others contradict (evaluation's `Point::contested`: a period and its parts
    /// reported as different numbers): marked "reports disagree" wherever it is written, and it decides nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contested: bool,
    /// The indicator's limit the figure lies beyond (a share of 120.0 % beside `limit = 100`;
    /// `Indicator::beyond_limit`): marked "beyond the limit of 100" wherever the value is shown, its note saying to
    /// check the data ([`crate::figures`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beyond_limit: Option<f64>,
    pub note: Option<Text>,
    /// The decimals this value is shown with where the indicator's would round it onto or across its target
    /// (evaluation's `Point::decimals`: 99.98 beside `= 100`); `None` for the indicator's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u8>,
    /// The change on the same period a year earlier as evaluation decided it, or why there is none; `None` for a
    /// value not published (missing or withheld).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeView>,
}

impl IndicatorReview {
    /// What the tables say beside the status, in `lang`: the method's rule ([`IndicatorReview::status_note`]), then
    /// the caution about the values ([`IndicatorReview::status_caution`]), joined by "; "; `None` without either.
    pub fn status_remarks(&self, lang: tiendo_core::Lang) -> Option<String> {
        let caution = self.status_caution.as_ref().map(|c| &c.words);
        let remarks: Vec<&str> = self.status_note.iter().chain(caution).map(|t| t.get(lang)).collect();
        (!remarks.is_empty()).then(|| remarks.join("; "))
    }

    /// Whether the indicator's values are levels shown by their labels (an ordinal scale, a yes/no answer), not
    /// numbers: no unit, no change in numbers, no ranking of provinces.
    pub fn has_levels(&self) -> bool {
        matches!(self.measure, Measure::Ordinal | Measure::YesNo)
    }

    /// The values the indicator table shows as latest: the latest value and the latest part of a year, if any.
    pub fn latest_points(&self) -> impl Iterator<Item = &SeriesPoint> {
        self.latest.iter().chain(self.latest_part.iter())
    }
}

impl SeriesPoint {
    /// A value of `period` from `source` with no mark, no note, no change and the indicator's own decimals.
    pub fn plain(period: Period, value: Value, source: &str) -> Self {
        SeriesPoint {
            period,
            value,
            source: source.to_owned(),
            provisional: false,
            synthetic: false,
            estimate: false,
            derived: false,
            partial: false,
            other_basis: false,
            combined: false,
            after_end: false,
            restated: false,
            series_break: false,
            contested: false,
            beyond_limit: None,
            note: None,
            decimals: None,
            change: None,
        }
    }

    /// The point's basis marks ([`crate::model::BasisMarks`]), none where it shows no number.
    pub fn basis_marks(&self) -> crate::model::BasisMarks {
        let shown = self.value.number().is_some();
        crate::model::BasisMarks {
            other_basis: shown && self.other_basis,
            combined: self.combined,
            after_end: shown && self.after_end,
            restated: shown && self.restated,
            series_break: shown && self.series_break,
            contested: shown && self.contested,
        }
    }

    /// The decimals to show this value with: evaluation's when it asked for more, else `indicator_decimals`.
    pub fn shown_decimals(&self, indicator_decimals: u8) -> u8 {
        self.decimals.unwrap_or(0).max(indicator_decimals)
    }
}

/// The gap to a missed target and the decimals evaluation shows it with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GapView {
    pub value: f64,
    pub decimals: u8,
}

/// One indicator: its row in the indicator table and its own section with a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorReview {
    pub id: String,
    pub code: String,
    pub name: Text,
    pub work_area: Text,
    /// Numerator and denominator in words.
    pub definition: Option<Text>,
    pub measure: Measure,
    pub direction: Direction,
    /// E.g. "%" or "vụ / cases"; percentages use "%".
    pub unit: Option<Text>,
    pub decimals: u8,
    /// For ordinal indicators: the label of each level, used for the axis and the table.
    pub scale: Vec<ScaleLevel>,
    pub baseline: Option<BaselineView>,
    /// The target the status is assessed against.
    pub target: Option<TargetView>,
    /// The latest value in the window.
    pub latest: Option<SeriesPoint>,
    /// Where the target's own period has no value (`latest` is `None`): the latest value of another period (the
    /// latest yearly value in the window, else the latest of any period), shown after "no data for {the target's
    /// period}" with its own period, so that the table never says "no data" beside a series the review shows (round
    /// 63, found by two review helpers: T5 "no data" above its 72.9 % of the first half of 2023). It decides nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_elsewhere: Option<SeriesPoint>,
    /// Without a target, where `latest` is a calendar year's value and the window holds a value of part of a later
    /// year: the latest such part (cases tried: "58 (2022); latest part: 72 (H1 2025, provisional)"), so that the
    /// table does not stop at 2022 beside figures of 2025 (round 64, found by a reader of the review).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_part: Option<SeriesPoint>,
    /// The status target's plan's other targets of periods inside the window that ended before it, each settled on
    /// its own period's value (met or missed): a missed milestone is shown beside the final target's "on track"
    /// (round 63, found by a review helper: "at least 80 in 2023", missed with 70, was in no part of the review).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    /// The decimals evaluation decided for the latest value; it is shown with these or the indicator's, whichever is
    /// more, so that the value shown cannot cross its target (99.96, not 100.0, beside `= 100` not met).
    pub latest_decimals: u8,
    /// The evaluation's percent of target on the value it compared (positive targets met from below or exactly).
    pub percent_of_target: Option<f64>,
    /// The decimals evaluation decided for `percent_of_target` (at least 1).
    pub percent_decimals: u8,
    /// For zero and "less is better" targets: the evaluation's progress from the baseline toward the target, in %
    /// (0 at the baseline, 100 at the target).
    pub progress_from_baseline: Option<f64>,
    /// The decimals evaluation decided for `progress_from_baseline` (at least 1).
    pub progress_decimals: u8,
    /// How far the compared value is from meeting the target, in the indicator's unit (evaluation's
    /// `TargetResult::gap`, never 0): only for a single target that is missed, none beside a band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<GapView>,
    pub status: Status,
    /// Said beside the status where the method decided it against its target's line: Open SDG counts a value at or
    /// beyond the target as achieved whatever the comparator (40 against `= 50` from a base of 60), which tiendo's
    /// own methods never do (round 69, found by an adversarial tester: "✔ Achieved" beside "not met").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_note: Option<Text>,
    /// Said beside the status where the values it reads are almost surely fractions written for percentages (0.8
    /// beside a target of 90: evaluation's `IndicatorResult::values_as_fractions`, W357): the status, the percent of
    /// target and the gap read them as written (round 72).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_caution: Option<StatusCaution>,
    /// The source that defines the indicator.
    pub source: String,
    /// The responsible agency, resolved to a display name.
    pub agency: Option<Text>,
    /// All values, in period order, including those after the window up to the as-of date.
    pub series: Vec<SeriesPoint>,
    pub comment: Option<Text>,
    /// The sources of the implementing plans' targets `comment` lists, cited beside it (round 67, found by a reader
    /// of the review: "28/KH-BCĐ: 2023 > 90" named two plans that the bibliography did not list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comment_sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleLevel {
    pub value: f64,
    pub label: Text,
}

/// A target settled before the status's target ([`IndicatorReview::milestones`]): the target, the value of its
/// period it was decided on (hidden as the series hides it), and whether that value met it (`None` beside a hidden
/// value, whose verdict would say on which side of the target it lies).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    pub target: TargetView,
    pub value: SeriesPoint,
    pub met: Option<bool>,
}

/// A caution about the values a status reads ([`IndicatorReview::status_caution`]): in full for the tables, and in a
/// few words for a chart's legend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusCaution {
    pub words: Text,
    pub short: Text,
}
