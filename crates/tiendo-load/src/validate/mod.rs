//! Raw schema -> validated model: checks every id and reference across all files and builds
//! `tiendo_core::Catalogue`. Every problem becomes a diagnostic; nothing stops at the first one.
//!
//! Split by concern: [`validator`] holds the checks every table shares (ids, references, expressions), then one
//! module per kind of table that needs more than that: [`org_units`], [`indicators`] and [`plans`]; the
//! simpler kinds (sources, categories, data elements, work areas, validation rules, data sets, plugins) are in
//! [`entries`].

pub mod agencies;
mod entries;
mod indicators;
mod org_units;
mod plans;
mod validator;
mod value_bounds;

use std::collections::{BTreeMap, BTreeSet};

use tiendo_core::{Catalogue, Diagnostic, Measure};

use crate::codes::{self, Code};
use crate::files::SourceMap;
use crate::raw::*;
use crate::tree::Spanned;

use validator::Validator;
pub use validator::{MAX_ID_LENGTH, format_position, is_valid_id};

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
///
/// Every id is declared first, so that references can point forwards and across files; then each kind of table is
/// checked and built in the order the model depends on (categories before the data elements that use them, data
/// elements before indicators, indicators before plans). A table whose id repeats an earlier one is checked but not
/// built: the first declaration wins.
pub fn validate(raw: &RawCatalogue, files: &SourceMap) -> (Catalogue, Vec<Diagnostic>) {
    let mut v = Validator {
        files,
        diagnostics: Vec::new(),
        ids: BTreeMap::new(),
        ids_in_broken_files: &raw.ids_in_broken_files,
        suggested: BTreeMap::new(),
    };
    declare_all(&mut v, raw);

    let mut catalogue = Catalogue::default();
    entries::sources(&mut v, raw, &mut catalogue);
    for a in &raw.agencies {
        let agency = agencies::agency(&mut v, a);
        if v.is_first(Kind::Agency, &a.id) {
            catalogue.agencies.insert(a.id.value.clone(), agency);
        }
    }
    org_units::validate_org_units(&mut v, raw, &mut catalogue);
    org_units::validate_groups(&mut v, raw, &mut catalogue);
    entries::categories(&mut v, raw, &mut catalogue);
    entries::data_elements(&mut v, raw, &mut catalogue);
    entries::work_areas(&mut v, raw, &mut catalogue);

    let elements: BTreeMap<String, &RawDataElement> =
        raw.data_elements.iter().map(|e| (e.id.value.clone(), e)).collect();
    let categories: BTreeMap<String, &RawCategory> = raw.categories.iter().map(|c| (c.id.value.clone(), c)).collect();
    for i in &raw.indicators {
        if let Some(indicator) = indicators::validate_indicator(&mut v, raw, i, &elements, &categories)
            && v.is_first(Kind::Indicator, &i.id)
        {
            catalogue.indicators.insert(indicator.id.clone(), indicator);
        }
    }

    let measures: BTreeMap<String, Measure> =
        raw.indicators.iter().map(|i| (i.id.value.clone(), i.measure.value.0)).collect();
    let bounds: BTreeMap<String, value_bounds::ValueBounds> = catalogue
        .indicators
        .values()
        .filter_map(|i| Some((i.id.clone(), value_bounds::value_bounds(i, &catalogue.data_elements)?)))
        .collect();
    for p in &raw.plans {
        let plan = plans::validate_plan(&mut v, p, (&measures, &bounds));
        if v.is_first(Kind::Plan, &p.id) {
            catalogue.plans.insert(plan.id.clone(), plan);
        }
    }
    plans::check_adoptions(&mut v, raw);
    plans::check_target_units(&mut v, raw, &catalogue);
    plans::check_implements_cycles(&mut v, raw);

    entries::validation_rules(&mut v, raw, (&elements, &categories), &mut catalogue);
    entries::data_sets(&mut v, raw, &mut catalogue);
    entries::plugins(&mut v, raw, &mut catalogue);
    (catalogue, v.diagnostics)
}

/// Declares every id of every kind (form and uniqueness), before any reference is checked.
fn declare_all(v: &mut Validator<'_>, raw: &RawCatalogue) {
    let declare = |v: &mut Validator<'_>, kind: Kind, ids: &mut dyn Iterator<Item = &Spanned<String>>| {
        for id in ids {
            v.declare(kind, id);
        }
    };
    declare(v, Kind::Source, &mut raw.sources.iter().map(|s| &s.id));
    declare(v, Kind::Agency, &mut raw.agencies.iter().map(|a| &a.id));
    declare(v, Kind::OrgUnit, &mut raw.org_units.iter().map(|u| &u.id));
    declare(v, Kind::OrgUnitGroup, &mut raw.org_unit_groups.iter().map(|g| &g.id));
    declare(v, Kind::Category, &mut raw.categories.iter().map(|c| &c.id));
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
    declare(v, Kind::WorkArea, &mut raw.work_areas.iter().map(|w| &w.id));
    declare(v, Kind::Indicator, &mut raw.indicators.iter().map(|i| &i.id));
    declare(v, Kind::Plan, &mut raw.plans.iter().map(|p| &p.id));
    declare(v, Kind::ValidationRule, &mut raw.validation_rules.iter().map(|r| &r.id));
    declare(v, Kind::DataSet, &mut raw.data_sets.iter().map(|d| &d.id));
    declare(v, Kind::Plugin, &mut raw.plugins.iter().flatten().map(|p| &p.id));
}
