//! The raw schema: one struct per TOML table, exactly as planners write it, with where each value was written.
//! These are not the domain model: [`crate::validate`] turns them into `tiendo_core::Catalogue` after checking
//! every reference. The JSON Schema (`tiendo schema`) is generated from these types, so the doc comments here
//! are what editors show when completing a key.

pub(crate) mod values;

pub use values::*;

use std::collections::BTreeMap;

use tiendo_core::eval::CoveragePolicy;
use tiendo_core::{
    ActivityStatus, Comparator, Direction, Measure, MissingValueStrategy, OrgUnitAggregation, OrgUnitLevel, PeriodType,
    PlanKind, RuleOperator, Severity, SourceKind, TimeAggregation, ValueType,
};

use crate::tree::{Date, Spanned, raw_table};

raw_table! {
    /// A text in Vietnamese and English. Vietnamese is authoritative.
    #[schemars(rename = "Text")]
    pub struct RawText as "a text" {
        /// Vietnamese, with diacritics.
        pub vi: String,
        /// English.
        pub en: String,
    }
}

raw_table! {
    /// A document that figures come from: a decision, a plan, a report, an article.
    #[schemars(rename = "Source")]
    pub struct RawSource as "`[[source]]`" {
        /// Unique id, lowercase with `-`, such as `qd-193-2021`.
        pub id: Spanned<String>,
        /// What kind of figures it gives: `official` (default: figures as published by the body that counted
        /// them), `estimate` (the source gives them as estimates or approximations) or `synthetic` (made up by a
        /// generator, not real data). Synthetic figures are never blended with the others.
        pub kind: Option<Keyword<SourceKind>>,
        /// The document's own number, such as `193/QĐ-TTg`.
        pub number: Option<String>,
        pub title: RawText,
        /// An agency id, or free text (with a space or a capital) for publishers that are not agencies.
        pub issuer: Option<Spanned<String>>,
        pub date: Option<Date>,
        pub url: Option<String>,
        /// Caveats about the source or about what was taken from it: the editors' working note, never shown in a
        /// review.
        pub note: Option<String>,
        /// A note for the review's readers, in both languages; the only note the bibliography shows.
        pub public_note: Option<RawText>,
        /// What in this record, or in the facts taken from it, is not confirmed and why. The review's bibliography
        /// says that the record is not fully confirmed; the reasons stay here. Leave it out when everything cited
        /// was read in the source.
        pub uncertain: Option<String>,
    }
}

raw_table! {
    /// A government body or partner.
    #[schemars(rename = "Agency")]
    pub struct RawAgency as "`[[agency]]`" {
        pub id: Spanned<String>,
        pub name: RawText,
        pub abbreviation: Option<String>,
        pub valid_from: Option<Spanned<Date>>,
        /// Last day of existence (inclusive).
        pub valid_to: Option<Spanned<Date>>,
        /// Agency id that took over its functions, where one agency took them all.
        pub successor: Option<Spanned<String>>,
        /// Functions that went to different successors (`[[agency.function]]`).
        #[serde(default, skip_serializing)]
        pub function: Vec<crate::validate::agencies::RawAgencyFunction>,
        pub note: Option<String>,
    }
}

raw_table! {
    /// A country, province, district or commune, valid for a span of dates.
    #[schemars(rename = "OrgUnit")]
    pub struct RawOrgUnit as "`[[org_unit]]`" {
        pub id: Spanned<String>,
        pub name: RawText,
        pub level: Spanned<Keyword<OrgUnitLevel>>,
        /// Org unit id of the unit above.
        pub parent: Option<Spanned<String>>,
        /// First day of validity; absent means "since before any data we hold".
        pub valid_from: Option<Spanned<Date>>,
        /// Last day of validity (inclusive); absent means still valid.
        pub valid_to: Option<Spanned<Date>>,
        /// Org unit ids that took over its territory.
        #[serde(default, skip_serializing)]
        pub successors: Vec<Spanned<String>>,
        /// Free classification such as `province` or `city`.
        pub kind: Option<String>,
        pub note: Option<String>,
    }
}

raw_table! {
    /// A named set of org units compared together: a socio-economic region, the provinces bordering a country.
    #[schemars(rename = "OrgUnitGroup")]
    pub struct RawOrgUnitGroup as "`[[org_unit_group]]`" {
        pub id: Spanned<String>,
        pub name: RawText,
        /// Org unit ids of the members, each declared in an `[[org_unit]]` table.
        #[serde(default, skip_serializing)]
        pub members: Vec<Spanned<String>>,
        /// Source id of the document that defines the group.
        pub source: Spanned<String>,
        /// Free classification such as `region` or `border`.
        pub kind: Option<String>,
        pub note: Option<String>,
    }
}

raw_table! {
    /// One option of a disaggregation category.
    #[schemars(rename = "CategoryOption")]
    pub struct RawCategoryOption as "a category option" {
        pub id: Spanned<String>,
        pub name: RawText,
    }
}

raw_table! {
    /// A disaggregation category such as sex or age group.
    #[schemars(rename = "Category")]
    pub struct RawCategory as "`[[category]]`" {
        pub id: Spanned<String>,
        pub name: RawText,
        /// The options, in display order.
        #[serde(default, skip_serializing)]
        pub options: Vec<RawCategoryOption>,
    }
}

raw_table! {
    /// A raw quantity that is reported, such as cases investigated.
    #[schemars(rename = "DataElement")]
    pub struct RawDataElement as "`[[data_element]]`" {
        /// Unique id, usable in expressions: lowercase letters, digits and `_`, such as `cases_investigated`.
        pub id: Spanned<String>,
        pub name: RawText,
        /// `count` (default), `number` or `boolean`.
        pub value_type: Option<Keyword<ValueType>>,
        /// How values combine over time: `sum` (default; `last` for a `boolean`), `last`, `average` or `none`
        /// (only the periods reported).
        pub time_aggregation: Option<Keyword<TimeAggregation>>,
        /// How values combine over org units: `sum` (default; `none` for a `boolean`) or `none`.
        pub org_unit_aggregation: Option<Keyword<OrgUnitAggregation>>,
        /// `true` for counts of victims: suppressed below the confidentiality threshold.
        pub sensitive: Option<bool>,
        /// Category ids the element may be disaggregated by.
        #[serde(default, skip_serializing)]
        pub categories: Vec<Spanned<String>>,
        pub description: Option<RawText>,
        /// Breaks in the series: the days its definition changed on.
        #[serde(default, skip_serializing)]
        pub breaks: Vec<RawSeriesBreak>,
    }
}

raw_table! {
    /// A break in a data element's series (SDMX `OBS_STATUS` B): from `from` on, it is counted on another definition.
    #[schemars(rename = "SeriesBreak")]
    pub struct RawSeriesBreak as "a break in series" {
        /// The first period counted on the new definition, such as `2025S1`.
        pub from: Spanned<PeriodId>,
        /// What changed, in both languages.
        pub note: RawText,
    }
}

raw_table! {
    /// A work area (indicator group).
    #[schemars(rename = "WorkArea")]
    pub struct RawWorkArea as "`[[work_area]]`" {
        pub id: Spanned<String>,
        pub name: RawText,
        /// Display order (default 0).
        pub order: Option<i64>,
    }
}

raw_table! {
    /// A metric computed by a WebAssembly plugin declared in the project.
    #[schemars(rename = "PluginMetric")]
    pub struct RawPluginRef as "a plugin metric" {
        /// Plugin id from the project's `[[plugin]]`.
        pub id: Spanned<String>,
        pub metric: String,
        /// Parameters passed to the plugin, as strings.
        #[serde(default, skip_serializing)]
        pub params: BTreeMap<String, Spanned<String>>,
    }
}

raw_table! {
    /// A level of an ordinal scale, such as a TIP report tier.
    #[schemars(rename = "ScaleLevel")]
    pub struct RawScaleLevel as "a scale level" {
        pub value: Spanned<f64>,
        pub label: RawText,
    }
}

raw_table! {
    /// A quantity that plans set targets for.
    #[schemars(rename = "Indicator")]
    pub struct RawIndicator as "`[[indicator]]`" {
        pub id: Spanned<String>,
        /// Short code used in the source documents, such as `T1`.
        pub code: String,
        pub name: RawText,
        pub definition: Option<RawText>,
        /// Work area id.
        pub group: Spanned<String>,
        pub measure: Spanned<Keyword<Measure>>,
        /// Expression over data elements; with `denominator`, the value is numerator / denominator x 100 for
        /// percentages, x 100000 for rates per 100k.
        pub numerator: Option<Spanned<RawExpr>>,
        pub denominator: Option<Spanned<RawExpr>>,
        /// Instead of an expression: a plugin metric.
        pub plugin: Option<RawPluginRef>,
        pub direction: Keyword<Direction>,
        pub unit: Option<RawText>,
        /// Decimals shown (default 0 for counts, 1 otherwise).
        pub decimals: Option<Spanned<i64>>,
        /// Category ids the indicator is broken down by.
        #[serde(default, skip_serializing)]
        pub disaggregations: Vec<Spanned<String>>,
        /// Responsible agency id.
        pub agency: Option<Spanned<String>>,
        /// Source id of the document that defines the indicator.
        pub source: Spanned<String>,
        /// Natural limit, such as 100 for percentages.
        pub limit: Option<Spanned<f64>>,
        /// Levels of an ordinal scale.
        #[serde(default, skip_serializing)]
        pub scale: Vec<RawScaleLevel>,
        /// `true` for a count of victims reported directly: suppressed below the confidentiality threshold.
        pub sensitive: Option<Spanned<bool>>,
        pub note: Option<String>,
    }
}

raw_table! {
    /// A target: "over 90% in 2025" is `period = "2025"`, `comparator = ">"`, `value = 90`.
    #[schemars(rename = "Target")]
    pub struct RawTarget as "`[[plan.target]]`" {
        pub indicator: Spanned<String>,
        pub period: Spanned<PeriodId>,
        /// `>`, `>=`, `=`, `<=` or `<`. "Over 90%" is `>`, "at least 90%" is `>=`.
        pub comparator: Keyword<Comparator>,
        pub value: Spanned<f64>,
        pub source: Spanned<String>,
        /// Org unit id; default: the plan's org unit.
        pub org_unit: Option<Spanned<String>>,
        pub note: Option<String>,
    }
}

raw_table! {
    /// A reference value that progress is measured from.
    #[schemars(rename = "Baseline")]
    pub struct RawBaseline as "`[[plan.baseline]]`" {
        pub indicator: Spanned<String>,
        pub period: Spanned<PeriodId>,
        pub value: Spanned<f64>,
        pub source: Spanned<String>,
        pub org_unit: Option<Spanned<String>>,
        /// The editors' working note: never published.
        pub note: Option<String>,
        /// What a reader must know to compare the figure with the indicator's values (published beside it).
        pub public_note: Option<RawText>,
        /// `value` is a yearly average over `period`, a range of several years ("about 260 a year in 2016-2020").
        pub yearly_average: Option<bool>,
    }
}

raw_table! {
    /// A qualitative objective of a plan.
    #[schemars(rename = "Objective")]
    pub struct RawObjective as "`[[plan.objective]]`" {
        pub id: Spanned<String>,
        pub text: RawText,
        pub source: Spanned<String>,
    }
}

raw_table! {
    /// A task of an activity plan.
    #[schemars(rename = "Activity")]
    pub struct RawActivity as "`[[plan.activity]]`" {
        pub id: Spanned<String>,
        pub title: RawText,
        /// Responsible agency id.
        pub agency: Option<Spanned<String>>,
        pub deadline: Option<Date>,
        /// Work area id.
        pub group: Option<Spanned<String>>,
        pub status: Option<Keyword<ActivityStatus>>,
        pub source: Spanned<String>,
    }
}

raw_table! {
    /// A programme or plan.
    #[schemars(rename = "Plan")]
    pub struct RawPlan as "`[[plan]]`" {
        pub id: Spanned<String>,
        pub kind: Spanned<Keyword<PlanKind>>,
        /// The document number, such as `1522/KH-UBND`.
        pub number: Option<String>,
        pub title: RawText,
        /// Issuing agency id.
        pub issuer: Option<Spanned<String>>,
        /// Org unit id the plan is for.
        pub org_unit: Spanned<String>,
        pub period: Spanned<PeriodId>,
        pub adopted_on: Option<Date>,
        pub source: Spanned<String>,
        /// Plan id this plan implements; the indicators it lists that are not its own must be listed there.
        pub implements: Option<Spanned<String>>,
        /// Indicator ids this plan monitors: its own plus those adopted from the plan it implements.
        #[serde(default, skip_serializing)]
        pub indicators: Vec<Spanned<String>>,
        #[serde(default, skip_serializing)]
        pub target: Vec<RawTarget>,
        #[serde(default, skip_serializing)]
        pub baseline: Vec<RawBaseline>,
        #[serde(default, skip_serializing)]
        pub objective: Vec<RawObjective>,
        #[serde(default, skip_serializing)]
        pub activity: Vec<RawActivity>,
        pub note: Option<String>,
    }
}

raw_table! {
    /// A consistency check between reported values.
    #[schemars(rename = "ValidationRule")]
    pub struct RawValidationRule as "`[[validation_rule]]`" {
        pub id: Spanned<String>,
        pub name: RawText,
        pub left: Spanned<RawExpr>,
        pub operator: Keyword<RuleOperator>,
        pub right: Spanned<RawExpr>,
        /// Default `skip_if_any_value_missing`.
        pub missing_value_strategy: Option<Keyword<MissingValueStrategy>>,
        /// Default `warning`.
        pub severity: Option<Keyword<Severity>>,
        /// Default `year`.
        pub period_type: Option<Keyword<PeriodType>>,
    }
}

raw_table! {
    /// Data elements reported together at a fixed frequency.
    #[schemars(rename = "DataSet")]
    pub struct RawDataSet as "`[[data_set]]`" {
        pub id: Spanned<String>,
        pub name: RawText,
        /// Data element ids.
        #[serde(default, skip_serializing)]
        pub elements: Vec<Spanned<String>>,
        pub period_type: Keyword<PeriodType>,
        pub org_unit_level: Keyword<OrgUnitLevel>,
        /// Days after the period's end within which a report is on time (default 30).
        pub timely_days: Option<Spanned<i64>>,
        /// First day the data set was in use: periods that begin before it are not expected.
        pub valid_from: Option<Spanned<Date>>,
        /// Last day the data set was in use (inclusive): periods that end after it are not expected.
        pub valid_to: Option<Spanned<Date>>,
        /// Agency ids whose reports the data set is: figures from sources other agencies issued are not reports
        /// received.
        #[serde(default, skip_serializing)]
        pub reported_by: Vec<Spanned<String>>,
    }
}

raw_table! {
    /// One catalogue file. A catalogue may be split over any number of files and folders; ids are unique per
    /// kind across all of them.
    #[schemars(rename = "CatalogueFile")]
    pub struct RawCatalogueFile as "a catalogue file" {
        #[serde(default, skip_serializing)]
        pub source: Vec<RawSource>,
        #[serde(default, skip_serializing)]
        pub agency: Vec<RawAgency>,
        #[serde(default, skip_serializing)]
        pub org_unit: Vec<RawOrgUnit>,
        #[serde(default, skip_serializing)]
        pub org_unit_group: Vec<RawOrgUnitGroup>,
        #[serde(default, skip_serializing)]
        pub category: Vec<RawCategory>,
        #[serde(default, skip_serializing)]
        pub data_element: Vec<RawDataElement>,
        #[serde(default, skip_serializing)]
        pub work_area: Vec<RawWorkArea>,
        #[serde(default, skip_serializing)]
        pub indicator: Vec<RawIndicator>,
        #[serde(default, skip_serializing)]
        pub plan: Vec<RawPlan>,
        #[serde(default, skip_serializing)]
        pub validation_rule: Vec<RawValidationRule>,
        #[serde(default, skip_serializing)]
        pub data_set: Vec<RawDataSet>,
    }
}

raw_table! {
    /// The `[project]` table of `tiendo.toml`.
    #[schemars(rename = "ProjectSection")]
    pub struct RawProjectSection as "`[project]`" {
        pub name: RawText,
        /// Plan id of the programme under review, such as `qd-193-2021`.
        pub programme: Spanned<String>,
        /// Catalogue folders or files, relative to `tiendo.toml`.
        #[serde(default, skip_serializing)]
        pub catalogue: Vec<Spanned<String>>,
        /// Observation files (`.csv` or `.xlsx`), relative to `tiendo.toml`.
        #[serde(default, skip_serializing)]
        pub data: Vec<Spanned<String>>,
        /// The sheet to read in a workbook of `data`, keyed by the path as written there:
        /// `sheets = { "data/form.xlsx" = "Số liệu" }`. A workbook not named here is read from its first visible
        /// sheet.
        #[serde(default, skip_serializing)]
        pub sheets: BTreeMap<String, Spanned<String>>,
        pub note: Option<String>,
    }
}

raw_table! {
    /// The review as a document (its cover): who issues it, its number and date, draft or final.
    #[schemars(rename = "ReviewDocument")]
    pub struct RawReviewDocument as "`[review]`" {
        /// The issuing body, e.g. `{ vi = "Ban Chỉ đạo 138/CP", en = "Steering Committee 138/CP" }`.
        pub issuer: Option<RawText>,
        /// The document's number, e.g. `12/BC-BCĐ138`.
        pub number: Option<String>,
        /// The document's date.
        pub date: Option<Date>,
        /// `draft` (the default) or `final`.
        pub status: Option<Keyword<DocumentStatus>>,
        /// The narrative is illustrative text, not an assessment (the synthetic demo): every page says so.
        pub illustrative: Option<bool>,
    }
}

raw_table! {
    /// The reviewers' narrative: Markdown files per section and language (docs/narrative.md).
    #[schemars(rename = "Narrative")]
    pub struct RawNarrative as "`[narrative]`" {
        /// The folder of the narrative, relative to `tiendo.toml` (default `narrative`): it holds `vi/` and `en/`,
        /// each with `summary.md`, `results.md`, `limitations.md`, `causes.md`, `lessons.md`, `tasks.md` and
        /// `recommendations.md`, any of them optional. It lies inside the project folder (E007 otherwise).
        pub folder: Option<Spanned<String>>,
    }
}

raw_table! {
    /// How sensitive counts are protected in published output.
    #[schemars(rename = "Confidentiality")]
    pub struct RawConfidentiality as "`[confidentiality]`" {
        /// Sensitive counts with 0 < n < threshold are suppressed (default 11).
        pub threshold: Spanned<i64>,
        /// The narrowest range (largest minus smallest possible value) a reader may work out for a suppressed
        /// count from everything published (default 3; capped by threshold - 2, what the reader knows anyway).
        pub protection: Option<Spanned<i64>>,
        /// Suppress zero counts too (default false: zero is published, "no victim" reveals nobody).
        pub suppress_zeros: Option<bool>,
    }
}

raw_table! {
    /// How progress is assessed.
    #[schemars(rename = "Assessment")]
    pub struct RawAssessment as "`[assessment]`" {
        /// Default progress method: `eurostat` (the default), `escap`, `open-sdg` or `unsd`.
        pub method: Option<Keyword<AssessmentMethod>>,
        /// What a value built from part of the expected units or periods may decide: `flag` (published, marked, and
        /// used like any value), `exclude` (the default: published, marked, never deciding a status, target, trend
        /// or change) or `require-complete` (withheld, shown as incomplete).
        pub coverage: Option<Keyword<CoveragePolicy>>,
    }
}

raw_table! {
    /// A WebAssembly plugin the project uses.
    #[schemars(rename = "Plugin")]
    pub struct RawPlugin as "`[[plugin]]`" {
        pub id: Spanned<String>,
        /// Path of the `.wasm` component, relative to `tiendo.toml`.
        pub path: Spanned<String>,
        /// Expected sha256 of the component, 64 lowercase hex digits.
        pub sha256: Option<Spanned<String>>,
    }
}

raw_table! {
    /// A project file `tiendo.toml`. It may also hold catalogue tables.
    #[schemars(rename = "ProjectFile")]
    pub struct RawProjectFile as "`tiendo.toml`" {
        pub project: RawProjectSection,
        pub review: Option<RawReviewDocument>,
        pub narrative: Option<RawNarrative>,
        pub confidentiality: Option<RawConfidentiality>,
        pub assessment: Option<RawAssessment>,
        #[serde(default, skip_serializing)]
        pub plugin: Vec<RawPlugin>,
        #[serde(default, skip_serializing)]
        pub source: Vec<RawSource>,
        #[serde(default, skip_serializing)]
        pub agency: Vec<RawAgency>,
        #[serde(default, skip_serializing)]
        pub org_unit: Vec<RawOrgUnit>,
        #[serde(default, skip_serializing)]
        pub org_unit_group: Vec<RawOrgUnitGroup>,
        #[serde(default, skip_serializing)]
        pub category: Vec<RawCategory>,
        #[serde(default, skip_serializing)]
        pub data_element: Vec<RawDataElement>,
        #[serde(default, skip_serializing)]
        pub work_area: Vec<RawWorkArea>,
        #[serde(default, skip_serializing)]
        pub indicator: Vec<RawIndicator>,
        #[serde(default, skip_serializing)]
        pub plan: Vec<RawPlan>,
        #[serde(default, skip_serializing)]
        pub validation_rule: Vec<RawValidationRule>,
        #[serde(default, skip_serializing)]
        pub data_set: Vec<RawDataSet>,
    }
}

impl RawProjectFile {
    /// The catalogue tables of the project file.
    pub fn catalogue_part(&self) -> RawCatalogueFile {
        RawCatalogueFile {
            source: self.source.clone(),
            agency: self.agency.clone(),
            org_unit: self.org_unit.clone(),
            org_unit_group: self.org_unit_group.clone(),
            category: self.category.clone(),
            data_element: self.data_element.clone(),
            work_area: self.work_area.clone(),
            indicator: self.indicator.clone(),
            plan: self.plan.clone(),
            validation_rule: self.validation_rule.clone(),
            data_set: self.data_set.clone(),
            location: self.location.clone(),
        }
    }
}

/// The top-level keys that only `tiendo.toml` may hold.
pub const PROJECT_ONLY_KEYS: &[&str] = &["project", "narrative", "confidentiality", "assessment", "plugin"];
