//! The validated domain model. The loader builds it from TOML; everything downstream reads only this.
//!
//! Ids are plain strings (`qd-193-2021`, `t1-denunciations-classified`, `quang-nam`): they are what planners
//! write and what reports show, and a catalogue holds thousands of them at most. Every collection is a
//! `BTreeMap` keyed by id so that iteration, and so every output, is ordered deterministically.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::expr::Expr;
use crate::period::{Period, PeriodType};

mod plan;
pub use plan::*;

/// A text in Vietnamese and English. Vietnamese is the authoritative language of every source document.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Text {
    pub vi: String,
    pub en: String,
}

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Vi,
    En,
}

impl Text {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Text { vi: vi.into(), en: en.into() }
    }

    /// The text in `lang`, falling back to the other language when it is empty.
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Vi => (&self.vi, &self.en),
            Lang::En => (&self.en, &self.vi),
        };
        if first.is_empty() { second } else { first }
    }
}

/// What kind of figures a source gives: SDMX's observation status (`OBS_STATUS`), declared once for the whole
/// source. Synthetic figures never blend with the others: a value, a status or a check rests on synthetic figures
/// only, or on none of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Figures as published by the body that counted them, or reported from such a publication (SDMX `A`,
    /// normal value). The default.
    #[default]
    Official,
    /// Figures that the source itself gives as estimates or approximations, such as "about 260 a year" (SDMX `E`,
    /// estimated value). Real, but not counts.
    Estimate,
    /// Figures that no document prints, computed exactly by the project's editors from published ones: a year's
    /// count less the published change on the year before (222 victims in 2022 "up 72" gives 150 for 2021).
    /// Real and exact, but not a published figure, so every output marks it ("(derived)"); the source's title and
    /// the row's note say what it was computed from. SDMX has no code for it (its comment attribute `OBS_COM`
    /// would carry the computation); tiendo's own, like `synthetic`.
    Derived,
    /// Figures made up by a generator to exercise the tool; not real data.
    Synthetic,
}

impl SourceKind {
    /// Every kind, in documentation order.
    pub const ALL: [SourceKind; 4] =
        [SourceKind::Official, SourceKind::Estimate, SourceKind::Derived, SourceKind::Synthetic];

    /// The word used in TOML and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Official => "official",
            SourceKind::Estimate => "estimate",
            SourceKind::Derived => "derived",
            SourceKind::Synthetic => "synthetic",
        }
    }

    /// Whether this is the default kind, official figures (a value's `kind` is written only when it is not).
    pub fn is_official(&self) -> bool {
        *self == SourceKind::Official
    }
}

/// A document that figures come from: a decision, a plan, a report, a news article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub id: String,
    /// What kind of figures it gives; `official` unless declared.
    pub kind: SourceKind,
    /// The document's own number, such as `193/QĐ-TTg` or `1522/KH-UBND`.
    pub number: Option<String>,
    pub title: Text,
    /// Agency id of the issuer, or a free-text publisher for non-government sources.
    pub issuer: Option<String>,
    pub date: Option<NaiveDate>,
    pub url: Option<String>,
    /// Caveats about the source or about what was taken from it: the editors' working note, never published.
    pub note: Option<String>,
    /// A note for readers of the review, in both languages (shown in its bibliography).
    pub public_note: Option<Text>,
    /// What in this record, or in the facts taken from it, is not confirmed and why (e.g. "the full text was not
    /// read; the targets come from a press summary"). `None` when everything cited was read in the source. The
    /// review's bibliography shows it, so that a reader sees which facts rest on uncertain ground.
    pub uncertain: Option<String>,
}

/// A government body or partner responsible for an indicator, a plan or an activity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agency {
    pub id: String,
    pub name: Text,
    pub abbreviation: Option<String>,
    pub valid_from: Option<NaiveDate>,
    /// Last day of existence (inclusive), e.g. MOLISA on 28 Feb 2025 before its merger.
    pub valid_to: Option<NaiveDate>,
    /// The agency that took over its functions, where one agency took them all.
    pub successor: Option<String>,
    /// Its functions that went to different successors, e.g. MOLISA's victim support to the Ministry of Health and
    /// its labour functions to Home Affairs. A function without an entry here follows `successor`.
    pub functions: Vec<AgencyFunction>,
    pub note: Option<String>,
}

/// A function of an agency and who took it over when the agency ended (see
/// [`Catalogue::responsible_agency`]). Function ids are free kebab-case words; an indicator's work area (such as
/// `victim-support` or `communication`) is the function its agency is looked up by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgencyFunction {
    /// Kebab-case id, e.g. `victim-support`, `labour`, `communication`.
    pub id: String,
    pub name: Text,
    /// The agency that took the function over; `None` when not known.
    pub successor: Option<String>,
    /// The first day the successor held the function, e.g. 1 Mar 2025.
    pub from: Option<NaiveDate>,
    /// The source of the transfer.
    pub source: Option<String>,
    pub note: Option<String>,
}

/// The level of an org unit in the administrative hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgUnitLevel {
    Country,
    Province,
    District,
    Commune,
}

impl OrgUnitLevel {
    pub fn depth(self) -> u8 {
        match self {
            OrgUnitLevel::Country => 1,
            OrgUnitLevel::Province => 2,
            OrgUnitLevel::District => 3,
            OrgUnitLevel::Commune => 4,
        }
    }
}

/// A country, province, district or commune, valid for a span of dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgUnit {
    pub id: String,
    pub name: Text,
    pub level: OrgUnitLevel,
    pub parent: Option<String>,
    /// `None` means "since before any data we hold".
    pub valid_from: Option<NaiveDate>,
    /// Last day of validity (inclusive); `None` means still valid.
    pub valid_to: Option<NaiveDate>,
    /// The units that took over its territory, e.g. `quang-nam` -> `da-nang-2025`.
    pub successors: Vec<String>,
    /// Free classification such as `city` or `province`.
    pub kind: Option<String>,
    pub note: Option<String>,
}

impl OrgUnit {
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date) && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// A named set of org units that reviews compare together: a socio-economic region, the provinces bordering a
/// country. Members are org unit ids of one administrative map (the 63 provinces, or the 34 after 1 July 2025);
/// the loader checks that each exists (`docs/toml-reference.md`, `[[org_unit_group]]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgUnitGroup {
    pub id: String,
    pub name: Text,
    /// Org unit ids, in the order the catalogue lists them.
    pub members: Vec<String>,
    /// The source that defines the group (a resolution, a decree).
    pub source: String,
    /// Free classification such as `region` or `border`; reviews show groups of one kind side by side.
    pub kind: Option<String>,
    pub note: Option<String>,
}

/// A disaggregation category (sex, age group, form of exploitation, domestic or cross-border).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    pub id: String,
    pub name: Text,
    /// Options in display order.
    pub options: Vec<CategoryOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryOption {
    pub id: String,
    pub name: Text,
}

/// How values of a data element combine over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeAggregation {
    /// Add the sub-periods (cases per quarter -> cases per year).
    Sum,
    /// Take the latest sub-period (a stock such as population).
    Last,
    /// Average the sub-periods.
    Average,
    /// Do not combine: a value only for the periods reported (a percentage or rate reported without its numerator
    /// and denominator, whose year is none of its quarters' sum, last or mean).
    None,
}

/// How values of a data element combine over org units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrgUnitAggregation {
    /// Add the children (provinces -> country).
    Sum,
    /// Do not aggregate: the value exists only where it was reported.
    None,
}

/// The value type of a data element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueType {
    /// A non-negative whole number.
    Count,
    /// Any number.
    Number,
    /// 0 or 1.
    Boolean,
}

/// A raw quantity that is reported: cases investigated, victims identified, denunciations received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataElement {
    pub id: String,
    pub name: Text,
    pub value_type: ValueType,
    pub time_aggregation: TimeAggregation,
    pub org_unit_aggregation: OrgUnitAggregation,
    /// Counts of individual victims: suppressed below the confidentiality threshold in published output.
    pub sensitive: bool,
    /// Category ids it may be disaggregated by.
    pub categories: Vec<String>,
    pub description: Option<Text>,
    /// Breaks in the element's series (SDMX `OBS_STATUS` B, Eurostat's flag "b"), in the order written: no value is
    /// compared across one (methodology §3, "Breaks in series").
    pub breaks: Vec<SeriesBreak>,
}

/// A break in a data element's series: from the first day of `from` on, the element is counted on another
/// definition than before (the courts' "resolved and tried" of H1 2025 after "brought to trial"). A value whose
/// period holds that day, or whose same period a year earlier began before it, is not compared with that year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesBreak {
    /// The first period counted on the new definition.
    pub from: Period,
    /// What changed, in both languages.
    pub note: Text,
}

/// What an indicator measures (IATI's indicator measure, extended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    Count,
    Percent,
    Ratio,
    RatePer100k,
    /// A rank on an ordered scale, such as a TIP report tier.
    Ordinal,
    YesNo,
    Qualitative,
}

impl Measure {
    /// The factor applied to numerator / denominator (DHIS2's indicator type).
    pub fn factor(self) -> f64 {
        match self {
            Measure::Percent => 100.0,
            Measure::RatePer100k => 100_000.0,
            _ => 1.0,
        }
    }

    /// Whether the indicator's value is a number that can be compared with a target.
    pub fn is_quantitative(self) -> bool {
        !matches!(self, Measure::Qualitative)
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Increase,
    Decrease,
    Maintain,
}

/// A level of an ordinal scale, e.g. `{ value = 3, label = "Tier 3" }`. Higher values are better when the
/// indicator's direction is `increase`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrdinalLevel {
    pub value: f64,
    pub label: Text,
}

/// A metric computed by a WebAssembly plugin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PluginMetricRef {
    /// Plugin id as declared in the project.
    pub plugin: String,
    /// Metric name among those the plugin produces.
    pub metric: String,
    /// Parameters passed to the plugin, as strings.
    pub params: BTreeMap<String, String>,
}

/// How an indicator's value is computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Formula {
    /// numerator / denominator x the measure's factor; without a denominator, the numerator alone.
    Expression { numerator: Expr, denominator: Option<Expr> },
    /// A plugin metric.
    Plugin(PluginMetricRef),
    /// No formula: values are reported directly for the indicator (e.g. a TIP tier) or it is qualitative.
    Reported,
}

/// A work area (indicator group), e.g. "communication and prevention".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkArea {
    pub id: String,
    pub name: Text,
    /// Display order.
    pub order: i64,
}

/// A quantity that plans set targets for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub id: String,
    /// Short code used in the source documents and tables, e.g. `T1`.
    pub code: String,
    pub name: Text,
    pub definition: Option<Text>,
    /// Work area id.
    pub group: String,
    pub measure: Measure,
    pub formula: Formula,
    pub direction: Direction,
    /// Unit shown beside values, e.g. "%" or "vụ / cases".
    pub unit: Option<Text>,
    pub decimals: u8,
    /// Category ids the indicator is broken down by in reports.
    pub disaggregations: Vec<String>,
    /// The responsible agency.
    pub agency: Option<String>,
    /// The source that defines the indicator.
    pub source: String,
    /// Levels of an ordinal scale.
    pub scale: Vec<OrdinalLevel>,
    /// A natural limit such as 100 for percentages (Open SDG's progress method uses it).
    pub limit: Option<f64>,
    /// A count reported directly (no formula) whose values are counts of people to protect, such as victims:
    /// suppressed below the confidentiality threshold and audited like a sensitive data element's (an indicator
    /// with a formula reads its elements' own flag). Round 66, found by a review helper: a directly reported victim
    /// count of 3 was published beside a note promising counts of 1 to 10 are suppressed.
    pub sensitive: bool,
    pub note: Option<String>,
}

impl Indicator {
    /// Whether `value` of this percentage lies beyond its natural limit, on the side no share can reach: above a
    /// positive limit (`limit = 100`: 12 resolved of 10 received), below a limit of 0 or less (a falling share's
    /// floor). The parts contradict the definition, so the value decides no status or target and every output marks
    /// it. False without a limit, and for any other measure (a funnel reading such as cases tried per case initiated
    /// may exceed 100 % and has no limit). Round 64 (a floor of 0 read as a ceiling flagged every value of a falling
    /// share: found by a review helper).
    pub fn beyond_limit(&self, value: f64) -> bool {
        self.measure == Measure::Percent
            && self.limit.is_some_and(|limit| if limit > 0.0 { value > limit } else { value < limit })
    }

    /// Whether the indicator's values are percentages: its measure is `percent`, or its unit is written `%`. Such a
    /// value is kept off 0 and 100 when it is not exactly there, and its change is in percentage points.
    pub fn is_percentage(&self) -> bool {
        self.measure == Measure::Percent || self.unit.as_ref().is_some_and(|u| u.vi.trim() == "%" || u.en.trim() == "%")
    }

    /// How the change of a value on the same period a year earlier is given (docs/methodology.md 3): in
    /// percentage points for a percentage, in levels for a scale or a yes/no, and relatively as well for the rest.
    pub fn change_kind(&self) -> ChangeKind {
        if self.is_percentage() {
            ChangeKind::PercentagePoints
        } else if matches!(self.measure, Measure::Ordinal | Measure::YesNo) {
            ChangeKind::Levels
        } else {
            ChangeKind::Relative
        }
    }

    /// Whether the indicator's values are codes (a scale's levels or yes/no): labels in order, of which no ratio
    /// means anything. Such an indicator has no percent of target or progress from the baseline (Tier 2 is not
    /// "66.7 % of" Tier 1 because it is coded 2 of 3), and its changes and gaps are in levels.
    pub fn is_coded(&self) -> bool {
        matches!(self.measure, Measure::Ordinal | Measure::YesNo)
    }

    /// How many levels `to` lies above `from` (negative below), counted on the scale's levels, not its codes: coded
    /// 1, 2, 5 the move from 2 to 5 is one level. `None` when either value is not a level of the scale. A yes/no, or
    /// a scale with no levels listed, is counted in its codes. Used for a coded indicator's change on a year
    /// earlier and its gap to a target (docs/methodology.md 3 and 4; round 66, found by a verifier: a target's
    /// gap in codes coded 11-14 read as "1", coded 10-40 as "10").
    pub fn levels_between(&self, from: f64, to: f64) -> Option<f64> {
        if self.scale.is_empty() {
            return Some(to - from);
        }
        let on_scale = |value: f64| self.scale.iter().any(|level| level.value == value);
        (on_scale(from) && on_scale(to)).then(|| self.scale_position(to) - self.scale_position(from))
    }

    /// Where `value` stands on the indicator's scale, its levels numbered from 1 (the lowest) up: a level's own
    /// number, or halfway between the two levels around a value that is none (a target `> 2.5` on a scale coded 1
    /// to 4 stands at 2.5, a target `> 25` on one coded 10, 20, 50 at 2.5). The value itself without a scale. The
    /// order of values, and their order against a target, is the codes' own, so a target is met by positions
    /// exactly when it is by codes; the progress methods read a scale's values as positions, whatever its coding
    /// (docs/methodology.md 4; round 66).
    pub fn scale_position(&self, value: f64) -> f64 {
        if self.scale.is_empty() {
            return value;
        }
        let below = self.scale.iter().filter(|level| level.value < value).count() as f64;
        if self.scale.iter().any(|level| level.value == value) { below + 1.0 } else { below + 0.5 }
    }
}

/// What the change of an indicator's value on the same period a year earlier is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A count, ratio or rate: the difference in the indicator's unit, and the relative change in % of the earlier
    /// value.
    Relative,
    /// A percentage: the difference in percentage points (90 % to 97 % is +7 points), never a percent of a percent.
    PercentagePoints,
    /// A scale or a yes/no: the difference in levels (0 or 1 for yes/no), never relative.
    Levels,
}

/// DHIS2-style comparison operators for validation rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleOperator {
    EqualTo,
    NotEqualTo,
    GreaterThan,
    GreaterThanOrEqualTo,
    LessThan,
    LessThanOrEqualTo,
    /// Both sides present or neither.
    CompulsoryPair,
    /// At most one side present.
    ExclusivePair,
}

/// When a side of a validation rule with missing values is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingValueStrategy {
    SkipIfAnyValueMissing,
    SkipIfAllValuesMissing,
    NeverSkip,
}

/// A consistency check between reported values, e.g. tried <= indicted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationRule {
    pub id: String,
    pub name: Text,
    pub left: Expr,
    pub operator: RuleOperator,
    pub right: Expr,
    pub missing_value_strategy: MissingValueStrategy,
    pub severity: crate::diagnostic::Severity,
    /// The period type the rule is checked at.
    pub period_type: PeriodType,
}

/// A set of data elements reported together by org units at a fixed frequency; completeness is measured
/// against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataSet {
    pub id: String,
    pub name: Text,
    pub elements: Vec<String>,
    pub period_type: PeriodType,
    /// Level of the org units expected to report.
    pub org_unit_level: OrgUnitLevel,
    /// Days after the period's end within which a report is on time. A period whose deadline (its last day plus
    /// these days) falls after the as-of date is not yet due: only the units that reported it are expected.
    pub timely_days: u32,
    /// The first day the data set was in use (a form introduced on 1 January 2023), if known: periods that begin
    /// before it are not expected, and figures of them are not reports of this data set.
    pub valid_from: Option<NaiveDate>,
    /// The last day the data set was in use (inclusive), if it was withdrawn: periods that end after it are not
    /// expected.
    pub valid_to: Option<NaiveDate>,
    /// The agencies (ids) whose reports the data set is, if it says: a figure from a source that another agency
    /// issued (the US State Department's TIP report quoting the government's count) is that agency's publication,
    /// not a report received (methodology §6). Empty: any source's figures are reports.
    pub reported_by: Vec<String>,
}

impl DataSet {
    /// Whether the data set was in use on every day of `period` (methodology §6).
    pub fn in_use_over(&self, period: &Period) -> bool {
        self.valid_from.is_none_or(|from| from <= period.start()) && self.valid_to.is_none_or(|to| period.end() <= to)
    }
}

/// A WebAssembly plugin that the project uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PluginDecl {
    pub id: String,
    /// Path of the `.wasm` component relative to the project root.
    pub path: String,
    /// Expected sha256 of the component, in lowercase hex.
    pub sha256: Option<String>,
}

/// Everything a project defines, validated and cross-referenced.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Catalogue {
    pub sources: BTreeMap<String, Source>,
    pub agencies: BTreeMap<String, Agency>,
    pub org_units: BTreeMap<String, OrgUnit>,
    /// Named sets of org units (regions, border provinces), by id.
    pub org_unit_groups: BTreeMap<String, OrgUnitGroup>,
    pub categories: BTreeMap<String, Category>,
    pub data_elements: BTreeMap<String, DataElement>,
    pub work_areas: BTreeMap<String, WorkArea>,
    pub indicators: BTreeMap<String, Indicator>,
    pub plans: BTreeMap<String, Plan>,
    pub validation_rules: BTreeMap<String, ValidationRule>,
    pub data_sets: BTreeMap<String, DataSet>,
    pub plugins: BTreeMap<String, PluginDecl>,
}

impl Catalogue {
    /// Whether the catalogue marks any count sensitive ([`Catalogue::is_sensitive`]): without one, disclosure
    /// control protects nothing, and the review says so.
    pub fn any_sensitive(&self) -> bool {
        self.data_elements.values().any(|e| e.sensitive) || self.indicators.keys().any(|id| self.is_sensitive(id))
    }

    /// Whether the values of `element` are counts of people to protect: a data element marked `sensitive`, or an
    /// indicator reported directly and marked so ([`Indicator::sensitive`]), whose rows carry its own id.
    pub fn is_sensitive(&self, element: &str) -> bool {
        self.data_elements.get(element).map_or_else(
            || self.indicators.get(element).is_some_and(|i| i.sensitive && i.formula == Formula::Reported),
            |e| e.sensitive,
        )
    }

    /// The baseline a target for `period`, set by plan `plan` for `indicator` at `unit`, is measured from: the one
    /// that plan sets for the indicator at the unit (a baseline without `org_unit` is the plan's own unit's), else
    /// the one set by the plan it implements, up the `implements` chain; only one whose period ends before the
    /// target's, the earliest if a plan sets several. Another programme's baseline never stands in (the 2026-2030
    /// programme's 2025 baseline is not the base of the 2021-2025 assessment). `None` when no plan of the chain has
    /// one.
    pub fn baseline_of_target(&self, plan: &str, indicator: &str, unit: &str, period: Period) -> Option<&Baseline> {
        let mut plan = self.plans.get(plan)?;
        // A chain never has more links than the catalogue has plans (validation refuses cycles; this bounds it).
        for _ in 0..self.plans.len() {
            let own = plan
                .baselines
                .iter()
                .filter(|b| b.indicator == indicator && b.org_unit.as_deref().unwrap_or(&plan.org_unit) == unit)
                .filter(|b| b.period.end() < period.end())
                // Trends are read year by year: a baseline of part of a year (100 in the first half of 2020) is no
                // yearly level, and the loader warns of it (W004; round 60, found by a review helper).
                .filter(|b| b.period.spans_a_year())
                .min_by_key(|b| (b.period.end(), b.period));
            if own.is_some() {
                return own;
            }
            plan = self.plans.get(plan.implements.as_deref()?)?;
        }
        None
    }

    /// The org units valid on `date` at `level`, in id order.
    pub fn org_units_on(&self, date: NaiveDate, level: OrgUnitLevel) -> impl Iterator<Item = &OrgUnit> {
        self.org_units.values().filter(move |u| u.level == level && u.is_valid_on(date))
    }

    /// The final successors of `org_unit`: follows successor links until units that have none. A unit
    /// without successors is its own final successor.
    pub fn final_successors(&self, org_unit: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![org_unit.to_owned()];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            match self.org_units.get(&id) {
                Some(unit) if !unit.successors.is_empty() => stack.extend(unit.successors.iter().cloned()),
                _ => out.push(id),
            }
        }
        out.sort();
        out
    }

    /// The org units whose successor chain leads to `org_unit`, including itself, in id order.
    pub fn predecessors_and_self(&self, org_unit: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .org_units
            .keys()
            .filter(|id| id.as_str() == org_unit || self.final_successors(id).iter().any(|s| s == org_unit))
            .cloned()
            .collect();
        out.sort();
        out
    }

    /// The unit that `org_unit` continues, if it is a continuation: the one unit that lists it as successor, with
    /// it as its only successor, ended the day before `org_unit` began, under the same name (Cao Bằng of 1 July
    /// 2025, whose territory the merger left unchanged). The two are one area under two records.
    pub fn continues(&self, org_unit: &str) -> Option<&str> {
        let unit = self.org_units.get(org_unit)?;
        let mut before = self.org_units.values().filter(|u| u.successors.iter().any(|s| s == org_unit));
        let old = before.next().filter(|_| before.next().is_none())?;
        let adjacent = old.valid_to.and_then(|day| day.succ_opt()) == unit.valid_from && unit.valid_from.is_some();
        (old.successors.len() == 1 && adjacent && old.name == unit.name).then_some(old.id.as_str())
    }

    /// The ancestors of `org_unit` from its parent up to the root.
    pub fn ancestors(&self, org_unit: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = self.org_units.get(org_unit).and_then(|u| u.parent.clone());
        while let Some(id) = current {
            if out.contains(&id) {
                break;
            }
            current = self.org_units.get(&id).and_then(|u| u.parent.clone());
            out.push(id);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparators_honour_strictness() {
        let cases = [
            (Comparator::Greater, 90.0, 90.0, false),
            (Comparator::Greater, 90.1, 90.0, true),
            (Comparator::GreaterOrEqual, 90.0, 90.0, true),
            (Comparator::Equal, 100.0, 100.0, true),
            (Comparator::Equal, 99.9, 100.0, false),
            (Comparator::LessOrEqual, 5.0, 5.0, true),
            (Comparator::Less, 5.0, 5.0, false),
            (Comparator::Less, 4.0, 5.0, true),
        ];
        for (comparator, value, target, expected) in cases {
            assert_eq!(comparator.holds(value, target), expected, "{value} {} {target}", comparator.symbol());
        }
        assert_eq!(Comparator::parse(">="), Some(Comparator::GreaterOrEqual));
        assert_eq!(Comparator::parse("=>"), None);
    }

    fn unit(id: &str, successors: &[&str]) -> OrgUnit {
        OrgUnit {
            id: id.to_owned(),
            name: Text::new(id, id),
            level: OrgUnitLevel::Province,
            parent: Some("vn".to_owned()),
            valid_from: None,
            valid_to: None,
            successors: successors.iter().map(|s| (*s).to_owned()).collect(),
            kind: None,
            note: None,
        }
    }

    #[test]
    fn follows_successor_chains() {
        let mut catalogue = Catalogue::default();
        for u in [unit("quang-nam", &["da-nang-2025"]), unit("da-nang", &["da-nang-2025"]), unit("da-nang-2025", &[])] {
            catalogue.org_units.insert(u.id.clone(), u);
        }
        assert_eq!(catalogue.final_successors("quang-nam"), ["da-nang-2025"]);
        assert_eq!(catalogue.final_successors("da-nang-2025"), ["da-nang-2025"]);
        assert_eq!(catalogue.predecessors_and_self("da-nang-2025"), ["da-nang", "da-nang-2025", "quang-nam"]);
        assert_eq!(Text::new("", "English").get(Lang::Vi), "English");
    }

    #[test]
    fn a_continuation_is_one_units_sole_successor_from_the_next_day_under_its_name() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2025, 6, d).or_else(|| NaiveDate::from_ymd_opt(2025, 7, d - 30));
        let dated = |mut u: OrgUnit, name: &str, from: Option<u32>, to: Option<u32>| {
            (u.name, u.valid_from, u.valid_to) = (Text::new(name, name), from.and_then(day), to.and_then(day));
            u
        };
        let mut catalogue = Catalogue::default();
        for u in [
            dated(unit("cao-bang", &["cao-bang-2025"]), "Cao Bằng", None, Some(30)),
            dated(unit("cao-bang-2025", &[]), "Cao Bằng", Some(31), None),
            dated(unit("hue-old", &["hue"]), "Thừa Thiên Huế", None, Some(30)),
            dated(unit("hue", &[]), "Huế", Some(31), None),
            dated(unit("quang-nam", &["da-nang-2025"]), "Đà Nẵng", None, Some(30)),
            dated(unit("da-nang", &["da-nang-2025"]), "Đà Nẵng", None, Some(30)),
            dated(unit("da-nang-2025", &[]), "Đà Nẵng", Some(31), None),
            dated(unit("late", &["late-2025"]), "Late", None, Some(29)),
            dated(unit("late-2025", &[]), "Late", Some(31), None),
        ] {
            catalogue.org_units.insert(u.id.clone(), u);
        }
        assert_eq!(catalogue.continues("cao-bang-2025"), Some("cao-bang"));
        // Renamed, merged, or begun a day after the gap: not a continuation.
        for id in ["hue", "da-nang-2025", "late-2025", "cao-bang"] {
            assert_eq!(catalogue.continues(id), None, "{id}");
        }
    }
}
