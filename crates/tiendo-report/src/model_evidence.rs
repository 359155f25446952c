//! The view model of the review's evidence sections (issue 13, items 2-3): results grouped by work area and by
//! agency, the justice chain and the victim pathway read as funnels, and province values grouped by the catalogue's
//! org-unit groups. Part of the JSON output (`Review::evidence`).

use std::collections::BTreeMap;

use serde::Serialize;
use tiendo_core::{Period, Text};

use crate::model::{BasisMarks, Status, Value};

/// How many of a group's indicators have each status, and how its activities stand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultGroup {
    /// The work area's or the agency's name (never an id).
    pub name: Text,
    /// Indicators of the review in this group.
    pub indicators: usize,
    /// Counts by status, every status present (zeros included), in [`Status::ALL`] order.
    pub statuses: BTreeMap<Status, usize>,
    /// Of those, by status, the indicators whose status the method decided against its target's line (Open SDG's
    /// "achieved" for a target as set not met, `IndicatorReview::status_note`); only statuses with any, and left out
    /// of the JSON when none.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_rule: BTreeMap<Status, usize>,
    /// Activities of the review in this group.
    pub activities: usize,
    /// Of those, done.
    pub activities_done: usize,
    /// Of those, neither done nor cancelled and past their deadline on the as-of date.
    pub activities_overdue: usize,
    /// Of those, past their deadline with no status recorded: not counted overdue, nor done (round 64, found by a
    /// review helper: ten yearly events read "done 0, overdue 0").
    pub activities_unknown: usize,
}

/// One stage of a funnel: a data element of the justice chain or of the victim pathway.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelStage {
    /// The data element's id.
    pub element: String,
    /// The data element's name.
    pub name: Text,
    /// The code of the indicator whose evaluated value the stage shows, if any (`None`: no indicator counts the stage,
    /// so every year shows "no data").
    pub indicator_code: Option<String>,
}

/// A stage's count in one year, and its share of the first stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelCell {
    /// The count as evaluation published it: a number, suppressed, or no data.
    pub value: Value,
    /// The count as a percentage of the first stage's count in the same year: suppressed when either count is,
    /// no data when either is missing, partial or the first stage is zero.
    pub share: Value,
    /// The count is built from part of the expected units or periods; no share is computed from it.
    pub partial: bool,
    /// The count rests on synthetic data (generated, not real).
    pub synthetic: bool,
    /// The count is wholly or partly an estimate: marked "(estimate)" like every estimate the review shows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    /// The count is wholly or partly derived by the editors: marked "(derived)".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// The count may still change: marked "(provisional)".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    /// Of another basis, or reported after the unit ended: marked so; no share is computed between counts of two
    /// bases.
    #[serde(flatten)]
    pub basis_marks: BasisMarks,
    /// The source cited for the count (a key of `Review::sources`), when there is a count.
    pub source: Option<String>,
}

impl FunnelCell {
    /// A stage's cell without a count: no data, no share, no marks, no source.
    pub fn missing() -> Self {
        FunnelCell {
            value: Value::Missing,
            share: Value::Missing,
            partial: false,
            synthetic: false,
            estimate: false,
            derived: false,
            provisional: false,
            basis_marks: BasisMarks::default(),
            source: None,
        }
    }
}

/// One year of a funnel, a cell per stage in stage order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelYear {
    pub period: Period,
    pub cells: Vec<FunnelCell>,
}

/// A chain of stages read as a funnel: each year's counts along the chain and their share of the first stage.
/// These are flows counted in the same year, not a cohort followed through the chain, and not the sectors' own
/// rates (T4 and T5 divide by the cases the procuracy and the courts accepted, not by the cases initiated).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funnel {
    /// `cases`, `suspects` or `victims`.
    pub id: String,
    pub title: Text,
    pub stages: Vec<FunnelStage>,
    /// The yearly periods of the window in which at least one stage has a count, in time order.
    pub years: Vec<FunnelYear>,
}

/// One indicator of the next programme and its value in the last year of the programme under review: the
/// baseline an end-of-term review hands over.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandoverRow {
    pub indicator_code: String,
    pub name: Text,
    /// The evaluated value of the last year (suppression, synthetic and partial marks included); `None` for no data.
    pub value: Option<crate::model::SeriesPoint>,
    /// Where the last year has no value: the latest part of it that has one (defendants tried, H1 2025: 237), said in
    /// the row's note; it is not the year's baseline (round 64, found by a reader: seven rows of "no data" beside
    /// figures of 2025 the review showed elsewhere).
    pub latest_part: Option<crate::model::SeriesPoint>,
    pub decimals: u8,
    pub unit: Option<Text>,
}

/// The baselines an end-of-term review hands to the next programme (Decision 33/QĐ-TTg after 193/QĐ-TTg): the
/// indicators the next programme monitors, with their values in the last year of the programme under review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Handover {
    pub programme: crate::model::PlanRef,
    /// The year whose values are the baselines.
    pub year: Period,
    pub rows: Vec<HandoverRow>,
}

/// One province in a regional panel: its rate, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionalValue {
    pub org_unit: String,
    pub name: Text,
    /// The province's rate as evaluation published it: a number, suppressed, or no data (also when the denominator
    /// was not reported: a rate is never computed without it).
    pub value: Value,
    /// The rate rests on synthetic data (generated, not real).
    pub synthetic: bool,
    /// The rate is built from part of what was expected (its numerator or denominator incomplete).
    pub partial: bool,
    /// The rate is wholly or partly an estimate: marked "(estimate)" like every estimate the review shows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    /// The rate rests wholly or partly on a derived figure: marked "(derived)".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// The rate may still change: marked "(provisional)".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    /// Of another basis, or reported after the province ended: marked so.
    #[serde(flatten)]
    pub basis_marks: BasisMarks,
    /// The indicator's limit the value lies beyond (`Indicator::beyond_limit`), marked as in the tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beyond_limit: Option<f64>,
}

/// One org-unit group's panel of a regional comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionalPanel {
    /// The group's id in the catalogue (`region-red-river-delta`); empty for the panel of provinces in no group.
    pub group: String,
    pub name: Text,
    /// The source that defines the group (a key of `Review::sources`); `None` for the panel of provinces in no group.
    pub source: Option<String>,
    /// The group's provinces, ranked: rates from highest to lowest, then suppressed, then no data; ties in
    /// Vietnamese name order.
    pub values: Vec<RegionalValue>,
    /// Provinces of the group with a reported rate (a number or a suppressed one): the "k" of "k of n reported".
    pub reported: usize,
    /// Provinces in the group: the "n".
    pub expected: usize,
}

/// A rate indicator compared across provinces within each socio-economic region (issue 13, item 3): small
/// multiples, one panel per region, one scale for every panel, the target on each. Only rates are compared: a count
/// across provinces of different size says more about their size than about their work.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionalComparison {
    /// `{code}-regions`, lowercase.
    pub id: String,
    pub indicator_code: String,
    pub name: Text,
    pub unit: Option<Text>,
    pub decimals: u8,
    /// The year compared: the latest of the window with a provincial value.
    pub period: Period,
    /// The indicator's headline target in the review, drawn as a line on every panel.
    pub target: Option<crate::model::TargetView>,
    /// One panel per region, in Vietnamese order of the region's name; provinces in no region last.
    pub panels: Vec<RegionalPanel>,
    /// The sources of the provincial values (keys of `Review::sources`), in id order.
    pub sources: Vec<String>,
    /// Any value rests on synthetic data.
    pub synthetic: bool,
}

/// One target's row of the whole-period view: its value in each year of the programme, and its final status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WholePeriodRow {
    /// The indicator's id (its baseline, target, unit and decimals are those of `Review::indicators`).
    pub indicator: String,
    pub indicator_code: String,
    /// A value per year of [`WholePeriod::years`], in order; `None` where the series has no value for that year. A
    /// year without a value of its own whose part decided the status (the indicator's latest value, H1 2025) has
    /// that part, of its own period.
    pub values: Vec<Option<crate::model::SeriesPoint>>,
    /// The status at the end of the review window.
    pub status: Status,
}

/// End-of-term reviews only: each target over the whole programme period, year by year, in one table (issue 13,
/// item 2: "end-of-term adds the whole programme period").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WholePeriod {
    /// The calendar years of the programme period that overlap the review window, in order: the review's evaluation
    /// has no values outside it, so a year before the window is left out rather than shown as "no data".
    pub years: Vec<Period>,
    /// The programme's years before the window, left out of the table (the review says so beside it); `None` when
    /// the window starts with the programme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_out: Option<Period>,
    /// One row per indicator of the review with a target, in the review's indicator order.
    pub rows: Vec<WholePeriodRow>,
}

/// The evidence sections of a review.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Evidence {
    /// Indicators and activities by the catalogue's work areas, in work-area order.
    pub by_work_area: Vec<ResultGroup>,
    /// Indicators and activities by the agency responsible on the review's last day, in Vietnamese name order;
    /// those without an agency last.
    pub by_agency: Vec<ResultGroup>,
    /// The justice chain: cases, then suspects and defendants.
    pub justice_chain: Vec<Funnel>,
    /// Victims from identification to reintegration.
    pub victim_pathway: Option<Funnel>,
    /// Rate indicators compared across provinces, region by region (small multiples).
    pub regional: Vec<RegionalComparison>,
    /// Whether the catalogue groups the provinces of the 63-province map into regions (`[[org_unit_group]]` of kind
    /// `region`). With no comparison, the review says which of the two reasons holds: no regions, or no rate of their
    /// provinces in the window.
    pub regions: bool,
    /// End-of-term reviews only: every target year by year over the programme period.
    pub whole_period: Option<WholePeriod>,
    /// End-of-term reviews only: the baselines handed to the next programme, when the catalogue has one known on
    /// the as-of date.
    pub handover: Option<Handover>,
}

impl Evidence {
    /// The justice-chain funnels, then the victim pathway.
    pub fn funnels(&self) -> impl Iterator<Item = &Funnel> {
        self.justice_chain.iter().chain(self.victim_pathway.iter())
    }

    /// The sources the evidence cites, in order of appearance.
    pub fn cited_sources(&self) -> impl Iterator<Item = &str> {
        self.justice_chain
            .iter()
            .chain(self.victim_pathway.iter())
            .flat_map(|f| f.years.iter())
            .flat_map(|y| y.cells.iter())
            .filter_map(|c| c.source.as_deref())
            .chain(
                self.whole_period
                    .iter()
                    .flat_map(|w| w.rows.iter())
                    .flat_map(|r| r.values.iter().flatten())
                    .filter(|v| v.value != Value::Missing)
                    .map(|v| v.source.as_str()),
            )
            .chain(self.regional.iter().flat_map(|r| {
                r.sources.iter().map(String::as_str).chain(r.panels.iter().filter_map(|p| p.source.as_deref()))
            }))
            .chain(
                self.handover
                    .iter()
                    .flat_map(|h| h.rows.iter())
                    .filter_map(|r| r.value.as_ref().filter(|v| v.value != Value::Missing))
                    .map(|v| v.source.as_str()),
            )
    }
}
