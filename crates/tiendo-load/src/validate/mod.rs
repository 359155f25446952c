//! Raw schema -> validated model: checks every id and reference across all files and builds
//! `tiendo_core::Catalogue`. Every problem becomes a diagnostic; nothing stops at the first one.
//!
//! Split by concern: [`validator`] holds the checks every table shares (ids, references, expressions), then one
//! module per kind of table that needs more than that: [`org_units`], [`indicators`] and [`plans`].

pub mod agencies;
mod indicators;
mod org_units;
mod plans;
mod validator;

use std::collections::{BTreeMap, BTreeSet};

use tiendo_core::{
    Catalogue, Category, CategoryOption, DataElement, DataSet, Diagnostic, Measure, MissingValueStrategy,
    OrgUnitAggregation, PeriodType, PluginDecl, Severity, Source, SourceKind, TimeAggregation, ValidationRule,
    ValueType, WorkArea,
};

use crate::codes::{self, Code};
use crate::files::SourceMap;
use crate::raw::*;
use crate::tree::Spanned;

pub use validator::{MAX_ID_LENGTH, format_position, is_valid_id};
use validator::{Validator, suggested_id, text};

/// Everything read from all files, before validation.
#[derive(Debug, Clone, Default)]
pub struct RawCatalogue {
    pub sources: Vec<RawSource>,
    pub agencies: Vec<RawAgency>,
    pub org_units: Vec<RawOrgUnit>,
    pub org_unit_groups: Vec<RawOrgUnitGroup>,
    pub categories: Vec<RawCategory>,
    pub data_elements: Vec<RawDataElement>,
    pub work_areas: Vec<RawWorkArea>,
    pub indicators: Vec<RawIndicator>,
    pub plans: Vec<RawPlan>,
    pub validation_rules: Vec<RawValidationRule>,
    pub data_sets: Vec<RawDataSet>,
    /// The project's plugins; `None` when checking a catalogue without a project, where plugin ids cannot be
    /// checked.
    pub plugins: Option<Vec<RawPlugin>>,
    /// Ids declared in the TOML tree, by kind, including tables that could not be read: references to them are
    /// not reported, so that one syntax error or missing key does not cascade into dozens of "unknown id" errors.
    pub ids_in_broken_files: BTreeMap<Kind, BTreeSet<String>>,
}

impl RawCatalogue {
    pub fn extend(&mut self, file: RawCatalogueFile) {
        self.sources.extend(file.source);
        self.agencies.extend(file.agency);
        self.org_units.extend(file.org_unit);
        self.org_unit_groups.extend(file.org_unit_group);
        self.categories.extend(file.category);
        self.data_elements.extend(file.data_element);
        self.work_areas.extend(file.work_area);
        self.indicators.extend(file.indicator);
        self.plans.extend(file.plan);
        self.validation_rules.extend(file.validation_rule);
        self.data_sets.extend(file.data_set);
    }
}

/// The kinds of things that have ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Source,
    Agency,
    OrgUnit,
    OrgUnitGroup,
    Category,
    DataElement,
    WorkArea,
    Indicator,
    Plan,
    ValidationRule,
    DataSet,
    Plugin,
}

impl Kind {
    /// The top-level TOML key of the kind's tables.
    pub fn table(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Agency => "agency",
            Kind::OrgUnit => "org_unit",
            Kind::OrgUnitGroup => "org_unit_group",
            Kind::Category => "category",
            Kind::DataElement => "data_element",
            Kind::WorkArea => "work_area",
            Kind::Indicator => "indicator",
            Kind::Plan => "plan",
            Kind::ValidationRule => "validation_rule",
            Kind::DataSet => "data_set",
            Kind::Plugin => "plugin",
        }
    }

    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Agency => "agency",
            Kind::OrgUnit => "org unit",
            Kind::OrgUnitGroup => "org-unit group",
            Kind::Category => "category",
            Kind::DataElement => "data element",
            Kind::WorkArea => "work area",
            Kind::Indicator => "indicator",
            Kind::Plan => "plan",
            Kind::ValidationRule => "validation rule",
            Kind::DataSet => "data set",
            Kind::Plugin => "plugin",
        }
    }

    pub(crate) fn unknown_code(self) -> Code {
        match self {
            Kind::Source => codes::UNKNOWN_SOURCE,
            Kind::Agency => codes::UNKNOWN_AGENCY,
            Kind::OrgUnit => codes::UNKNOWN_ORG_UNIT,
            Kind::Category => codes::UNKNOWN_CATEGORY,
            Kind::DataElement => codes::UNKNOWN_DATA_ELEMENT,
            Kind::WorkArea => codes::UNKNOWN_WORK_AREA,
            Kind::Indicator => codes::UNKNOWN_INDICATOR,
            Kind::Plan => codes::UNKNOWN_PLAN,
            Kind::Plugin => codes::UNKNOWN_PLUGIN,
            // Nothing refers to validation rules, data sets or org-unit groups.
            Kind::ValidationRule | Kind::DataSet | Kind::OrgUnitGroup => codes::INVALID_ID,
        }
    }

    pub const ALL: [Kind; 12] = [
        Kind::Source,
        Kind::Agency,
        Kind::OrgUnit,
        Kind::OrgUnitGroup,
        Kind::Category,
        Kind::DataElement,
        Kind::WorkArea,
        Kind::Indicator,
        Kind::Plan,
        Kind::ValidationRule,
        Kind::DataSet,
        Kind::Plugin,
    ];
}

/// Validates `raw` and builds the catalogue. The catalogue is complete only when no error was reported.
pub fn validate(raw: &RawCatalogue, files: &SourceMap) -> (Catalogue, Vec<Diagnostic>) {
    let mut v = Validator {
        files,
        diagnostics: Vec::new(),
        ids: BTreeMap::new(),
        ids_in_broken_files: &raw.ids_in_broken_files,
    };

    // First every declaration, so that references can point forwards and across files.
    for s in &raw.sources {
        v.declare(Kind::Source, &s.id);
    }
    for a in &raw.agencies {
        v.declare(Kind::Agency, &a.id);
    }
    for u in &raw.org_units {
        v.declare(Kind::OrgUnit, &u.id);
    }
    for g in &raw.org_unit_groups {
        v.declare(Kind::OrgUnitGroup, &g.id);
    }
    for c in &raw.categories {
        v.declare(Kind::Category, &c.id);
    }
    for e in &raw.data_elements {
        v.declare(Kind::DataElement, &e.id);
        if !e.id.value.starts_with(|c: char| c.is_ascii_lowercase()) && is_valid_id(&e.id.value) {
            v.error(
                codes::INVALID_ID,
                &e.id.location,
                format!("data element id `{}` must start with a letter", e.id.value),
                Some("expressions read ids that start with a letter, such as `cases_2023`".to_owned()),
            );
        }
    }
    for w in &raw.work_areas {
        v.declare(Kind::WorkArea, &w.id);
    }
    for i in &raw.indicators {
        v.declare(Kind::Indicator, &i.id);
    }
    for p in &raw.plans {
        v.declare(Kind::Plan, &p.id);
    }
    for r in &raw.validation_rules {
        v.declare(Kind::ValidationRule, &r.id);
    }
    for d in &raw.data_sets {
        v.declare(Kind::DataSet, &d.id);
    }
    for p in raw.plugins.iter().flatten() {
        v.declare(Kind::Plugin, &p.id);
    }

    let mut catalogue = Catalogue::default();
    let first_only = |v: &Validator<'_>, kind: Kind, id: &Spanned<String>| {
        v.ids.get(&kind).and_then(|ids| ids.get(&id.value)).is_some_and(|location| location == &id.location)
    };

    for s in &raw.sources {
        let issuer = v.issuer(&s.issuer);
        if first_only(&v, Kind::Source, &s.id) {
            catalogue.sources.insert(
                s.id.value.clone(),
                Source {
                    id: s.id.value.clone(),
                    kind: s.kind.map_or(SourceKind::default(), |k| k.0),
                    number: s.number.clone(),
                    title: text(&s.title),
                    issuer,
                    date: s.date.map(|d| d.0),
                    url: s.url.clone(),
                    note: s.note.clone(),
                    uncertain: s.uncertain.clone(),
                    public_note: s.public_note.as_ref().map(text),
                },
            );
        }
    }

    for a in &raw.agencies {
        let agency = agencies::agency(&mut v, a);
        if first_only(&v, Kind::Agency, &a.id) {
            catalogue.agencies.insert(a.id.value.clone(), agency);
        }
    }

    org_units::validate_org_units(&mut v, raw, &mut catalogue);
    org_units::validate_groups(&mut v, raw, &mut catalogue);

    for c in &raw.categories {
        let mut seen = BTreeSet::new();
        for option in &c.options {
            if !seen.insert(option.id.value.clone()) {
                v.error(
                    codes::DUPLICATE_ID,
                    &option.id.location,
                    format!("category `{}` has the option `{}` twice", c.id.value, option.id.value),
                    Some("option ids must be unique within their category".to_owned()),
                );
            } else if !is_valid_id(&option.id.value) {
                v.error(
                    codes::INVALID_ID,
                    &option.id.location,
                    format!("`{}` is not a valid option id", option.id.value),
                    Some(format!("use lowercase ASCII, such as `{}`", suggested_id(&option.id.value))),
                );
            }
        }
        if first_only(&v, Kind::Category, &c.id) {
            catalogue.categories.insert(
                c.id.value.clone(),
                Category {
                    id: c.id.value.clone(),
                    name: text(&c.name),
                    options: c
                        .options
                        .iter()
                        .map(|o| CategoryOption { id: o.id.value.clone(), name: text(&o.name) })
                        .collect(),
                },
            );
        }
    }

    for e in &raw.data_elements {
        let categories = v.references(Kind::Category, &e.categories);
        if first_only(&v, Kind::DataElement, &e.id) {
            catalogue.data_elements.insert(
                e.id.value.clone(),
                DataElement {
                    id: e.id.value.clone(),
                    name: text(&e.name),
                    value_type: e.value_type.map_or(ValueType::Count, |k| k.0),
                    time_aggregation: e.time_aggregation.map_or(TimeAggregation::Sum, |k| k.0),
                    org_unit_aggregation: e.org_unit_aggregation.map_or(OrgUnitAggregation::Sum, |k| k.0),
                    sensitive: e.sensitive.unwrap_or(false),
                    categories,
                    description: e.description.as_ref().map(text),
                },
            );
        }
    }

    for w in &raw.work_areas {
        if first_only(&v, Kind::WorkArea, &w.id) {
            catalogue.work_areas.insert(
                w.id.value.clone(),
                WorkArea { id: w.id.value.clone(), name: text(&w.name), order: w.order.unwrap_or(0) },
            );
        }
    }

    let elements: BTreeMap<String, &RawDataElement> =
        raw.data_elements.iter().map(|e| (e.id.value.clone(), e)).collect();
    let categories: BTreeMap<String, &RawCategory> = raw.categories.iter().map(|c| (c.id.value.clone(), c)).collect();

    for i in &raw.indicators {
        if let Some(indicator) = indicators::validate_indicator(&mut v, raw, i, &elements, &categories)
            && first_only(&v, Kind::Indicator, &i.id)
        {
            catalogue.indicators.insert(indicator.id.clone(), indicator);
        }
    }

    let measures: BTreeMap<String, Measure> =
        raw.indicators.iter().map(|i| (i.id.value.clone(), i.measure.value.0)).collect();
    for p in &raw.plans {
        let plan = plans::validate_plan(&mut v, p, &measures);
        if first_only(&v, Kind::Plan, &p.id) {
            catalogue.plans.insert(plan.id.clone(), plan);
        }
    }
    plans::check_adoptions(&mut v, raw);
    plans::check_implements_cycles(&mut v, raw);

    for r in &raw.validation_rules {
        let left = v.expression(&r.left, &elements, &categories);
        let right = v.expression(&r.right, &elements, &categories);
        if first_only(&v, Kind::ValidationRule, &r.id) {
            catalogue.validation_rules.insert(
                r.id.value.clone(),
                ValidationRule {
                    id: r.id.value.clone(),
                    name: text(&r.name),
                    left,
                    operator: r.operator.0,
                    right,
                    missing_value_strategy: r
                        .missing_value_strategy
                        .map_or(MissingValueStrategy::SkipIfAnyValueMissing, |k| k.0),
                    severity: r.severity.map_or(Severity::Warning, |k| k.0),
                    period_type: r.period_type.map_or(PeriodType::Year, |k| k.0),
                },
            );
        }
    }

    for d in &raw.data_sets {
        let elements_listed = v.references(Kind::DataElement, &d.elements);
        let timely_days = match &d.timely_days {
            Some(days) if !(0..=366).contains(&days.value) => {
                v.error(
                    codes::NUMBER_OUT_OF_RANGE,
                    &days.location,
                    format!("`timely_days` is {}, expected 0 to 366", days.value),
                    Some("the number of days after the period's end within which a report is on time".to_owned()),
                );
                30
            }
            Some(days) => u32::try_from(days.value).unwrap_or(30),
            None => 30,
        };
        if first_only(&v, Kind::DataSet, &d.id) {
            catalogue.data_sets.insert(
                d.id.value.clone(),
                DataSet {
                    id: d.id.value.clone(),
                    name: text(&d.name),
                    elements: elements_listed,
                    period_type: d.period_type.0,
                    org_unit_level: d.org_unit_level.0,
                    timely_days,
                },
            );
        }
    }

    for p in raw.plugins.iter().flatten() {
        if let Some(sha) = &p.sha256
            && !(sha.value.len() == 64 && sha.value.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
        {
            v.error(
                codes::INVALID_CHECKSUM,
                &sha.location,
                format!("`{}` is not a sha256 checksum", sha.value),
                Some("write the 64 lowercase hex digits that `sha256sum plugin.wasm` prints".to_owned()),
            );
        }
        if first_only(&v, Kind::Plugin, &p.id) {
            catalogue.plugins.insert(
                p.id.value.clone(),
                PluginDecl {
                    id: p.id.value.clone(),
                    path: p.path.value.clone(),
                    sha256: p.sha256.as_ref().map(|s| s.value.clone()),
                },
            );
        }
    }

    (catalogue, v.diagnostics)
}
