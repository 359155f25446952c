//! Raw schema -> validated model: checks every id and reference across all files and builds
//! `tiendo_core::Catalogue`. Every problem becomes a diagnostic; nothing stops at the first one.

pub mod agencies;

use std::collections::{BTreeMap, BTreeSet};

use crate::tree::suggest as did_you_mean;
use tiendo_core::expr::Expr;
use tiendo_core::{
    Activity, Baseline, Catalogue, Category, CategoryOption, DataElement, DataSet, Diagnostic, Formula, Indicator,
    Measure, MissingValueStrategy, Objective, OrdinalLevel, OrgUnit, OrgUnitAggregation, PeriodType, Plan, PluginDecl,
    PluginMetricRef, Severity, Source, SourceKind, Target, Text, TimeAggregation, ValidationRule, ValueType, WorkArea,
};

use crate::codes::{self, Code};
use crate::files::SourceMap;
use crate::raw::*;
use crate::tree::{Location, Spanned};

/// Everything read from all files, before validation.
#[derive(Debug, Clone, Default)]
pub struct RawCatalogue {
    pub sources: Vec<RawSource>,
    pub agencies: Vec<RawAgency>,
    pub org_units: Vec<RawOrgUnit>,
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

    fn noun(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Agency => "agency",
            Kind::OrgUnit => "org unit",
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

    fn unknown_code(self) -> Code {
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
            // Nothing refers to validation rules or data sets.
            Kind::ValidationRule | Kind::DataSet => codes::INVALID_ID,
        }
    }

    pub const ALL: [Kind; 11] = [
        Kind::Source,
        Kind::Agency,
        Kind::OrgUnit,
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

/// Whether `text` is a well-formed id: lowercase ASCII letters, digits, `-`, `_` and `.`, starting with a
/// letter or digit.
pub fn is_valid_id(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

struct Validator<'a> {
    files: &'a SourceMap,
    diagnostics: Vec<Diagnostic>,
    ids: BTreeMap<Kind, BTreeMap<String, Location>>,
    ids_in_broken_files: &'a BTreeMap<Kind, BTreeSet<String>>,
}

impl Validator<'_> {
    fn span(&self, location: &Location) -> tiendo_core::Span {
        self.files.span(location.file, location.range.clone())
    }

    fn diagnostic(&self, code: Code, severity: Severity, location: &Location, message: String) -> Diagnostic {
        Diagnostic::new(code.code, code.name, severity, message).with_span(Some(self.span(location)))
    }

    fn error(&mut self, code: Code, location: &Location, message: String, hint: Option<String>) {
        let mut diagnostic = self.diagnostic(code, Severity::Error, location, message);
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diagnostics.push(diagnostic);
    }

    fn warning(&mut self, code: Code, location: &Location, message: String, hint: String) {
        let diagnostic = self.diagnostic(code, Severity::Warning, location, message).with_hint(hint);
        self.diagnostics.push(diagnostic);
    }

    /// Registers the id of a declaration: checks its form and that it is unique for its kind.
    fn declare(&mut self, kind: Kind, id: &Spanned<String>) {
        if !is_valid_id(&id.value) {
            let suggestion = suggested_id(&id.value);
            self.error(
                codes::INVALID_ID,
                &id.location,
                format!("`{}` is not a valid {} id", id.value, kind.noun()),
                Some(format!(
                    "ids use lowercase ASCII letters, digits, `-`, `_` and `.`, such as `{suggestion}`; put names with diacritics in `name`"
                )),
            );
        }
        let first = self.ids.entry(kind).or_default().get(&id.value).cloned();
        match first {
            Some(first) => {
                let diagnostic = self
                    .diagnostic(
                        codes::DUPLICATE_ID,
                        Severity::Error,
                        &id.location,
                        format!("{} id `{}` is defined twice", kind.noun(), id.value),
                    )
                    .with_related(self.span(&first), "first defined here")
                    .with_hint(format!(
                        "ids must be unique across all catalogue files; rename or remove one (first defined at {})",
                        format_position(&self.span(&first))
                    ));
                self.diagnostics.push(diagnostic);
            }
            None => {
                self.ids.entry(kind).or_default().insert(id.value.clone(), id.location.clone());
            }
        }
    }

    fn exists(&self, kind: Kind, id: &str) -> bool {
        self.ids.get(&kind).is_some_and(|ids| ids.contains_key(id))
            || self.ids_in_broken_files.get(&kind).is_some_and(|ids| ids.contains(id))
    }

    /// Checks that `reference` names a declared `kind`; reports it with "did you mean" otherwise.
    fn reference(&mut self, kind: Kind, reference: &Spanned<String>) -> bool {
        if self.exists(kind, &reference.value) {
            return true;
        }
        let known = self.ids.get(&kind);
        let suggestion = known.and_then(|ids| did_you_mean(&reference.value, ids.keys().map(String::as_str)));
        let hint = match suggestion {
            Some(id) => format!("did you mean `{id}`?"),
            None => format!("declare it in a `[[{}]]` table with `id = \"{}\"`", kind.table(), reference.value),
        };
        self.error(
            kind.unknown_code(),
            &reference.location,
            format!("unknown {} `{}`", kind.noun(), reference.value),
            Some(hint),
        );
        false
    }

    fn references(&mut self, kind: Kind, references: &[Spanned<String>]) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for reference in references {
            if !seen.insert(reference.value.clone()) {
                self.warning(
                    codes::DUPLICATE_REFERENCE,
                    &reference.location,
                    format!("{} `{}` is listed twice", kind.noun(), reference.value),
                    "remove the second mention".to_owned(),
                );
                continue;
            }
            self.reference(kind, reference);
            out.push(reference.value.clone());
        }
        out
    }

    /// An issuer is an agency id when it looks like one; otherwise it is a free-text publisher.
    fn issuer(&mut self, issuer: &Option<Spanned<String>>) -> Option<String> {
        let issuer = issuer.as_ref()?;
        if is_valid_id(&issuer.value) {
            self.reference(Kind::Agency, issuer);
        }
        Some(issuer.value.clone())
    }

    fn validity(
        &mut self,
        what: &str,
        from: &Option<Spanned<crate::tree::Date>>,
        to: &Option<Spanned<crate::tree::Date>>,
    ) {
        if let (Some(from), Some(to)) = (from, to)
            && to.value < from.value
        {
            self.error(
                codes::INVALID_DATE_RANGE,
                &to.location,
                format!("{what} ends on {} before it starts on {}", to.value.0, from.value.0),
                Some("`valid_to` is the last day of validity and must not be before `valid_from`".to_owned()),
            );
        }
    }

    /// Checks the data elements an expression reads, with spans inside the expression when it can map them.
    fn expression(
        &mut self,
        raw: &Spanned<RawExpr>,
        elements: &BTreeMap<String, &RawDataElement>,
        categories: &BTreeMap<String, &RawCategory>,
    ) -> Expr {
        for element in raw.value.expr.elements() {
            let location = match raw.value.content_start {
                Some(start) => Location {
                    file: raw.location.file,
                    range: start + element.offset..start + element.offset + element.element.len(),
                },
                None => raw.location.clone(),
            };
            let reference = Spanned { value: element.element.clone(), location: location.clone() };
            if !self.reference(Kind::DataElement, &reference) {
                continue;
            }
            let Some(data_element) = elements.get(&element.element) else { continue };
            for (category, option) in &element.filter {
                let allowed: Vec<&str> = data_element.categories.iter().map(|c| c.value.as_str()).collect();
                if !allowed.contains(&category.as_str()) {
                    let hint = match did_you_mean(category, allowed.iter().copied()) {
                        Some(known) => format!("did you mean `{known}`?"),
                        None if allowed.is_empty() => format!("`{}` has no categories", element.element),
                        None => format!("`{}` is disaggregated by: {}", element.element, allowed.join(", ")),
                    };
                    self.error(
                        codes::UNKNOWN_CATEGORY,
                        &location,
                        format!("data element `{}` is not disaggregated by `{category}`", element.element),
                        Some(hint),
                    );
                    continue;
                }
                let Some(category_table) = categories.get(category) else { continue };
                let options: Vec<&str> = category_table.options.iter().map(|o| o.id.value.as_str()).collect();
                if !options.contains(&option.as_str()) {
                    let hint = match did_you_mean(option, options.iter().copied()) {
                        Some(known) => format!("did you mean `{known}`?"),
                        None => format!("`{category}` has the options: {}", options.join(", ")),
                    };
                    self.error(
                        codes::UNKNOWN_CATEGORY_OPTION,
                        &location,
                        format!("category `{category}` has no option `{option}`"),
                        Some(hint),
                    );
                }
            }
        }
        raw.value.expr.clone()
    }
}

fn suggested_id(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        let c = fold_vietnamese(c).to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-').to_owned();
    if trimmed.is_empty() { "my-id".to_owned() } else { trimmed }
}

/// Drops Vietnamese diacritics so that a suggested id is plain ASCII.
fn fold_vietnamese(c: char) -> char {
    const GROUPS: &[(&str, char)] = &[
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ÈÉẺẼẸÊỀẾỂỄỆ", 'E'),
        ("ìíỉĩị", 'i'),
        ("ÌÍỈĨỊ", 'I'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'O'),
        ("ùúủũụưừứửữự", 'u'),
        ("ÙÚỦŨỤƯỪỨỬỮỰ", 'U'),
        ("ỳýỷỹỵ", 'y'),
        ("ỲÝỶỸỴ", 'Y'),
        ("đ", 'd'),
        ("Đ", 'D'),
    ];
    GROUPS.iter().find(|(group, _)| group.contains(c)).map_or(c, |(_, plain)| *plain)
}

/// `file:line:col` of a span.
pub fn format_position(span: &tiendo_core::Span) -> String {
    format!("{}:{}:{}", span.file, span.line, span.column)
}

fn text(raw: &RawText) -> Text {
    Text::new(raw.vi.clone(), raw.en.clone())
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

    validate_org_units(&mut v, raw, &mut catalogue);

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
        if let Some(indicator) = validate_indicator(&mut v, raw, i, &elements, &categories)
            && first_only(&v, Kind::Indicator, &i.id)
        {
            catalogue.indicators.insert(indicator.id.clone(), indicator);
        }
    }

    let measures: BTreeMap<String, Measure> =
        raw.indicators.iter().map(|i| (i.id.value.clone(), i.measure.value.0)).collect();
    for p in &raw.plans {
        let plan = validate_plan(&mut v, p, &measures);
        if first_only(&v, Kind::Plan, &p.id) {
            catalogue.plans.insert(plan.id.clone(), plan);
        }
    }
    check_adoptions(&mut v, raw);

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

fn validate_org_units(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    let units: BTreeMap<&str, &RawOrgUnit> = raw.org_units.iter().map(|u| (u.id.value.as_str(), u)).collect();
    for u in &raw.org_units {
        v.validity(&format!("org unit `{}`", u.id.value), &u.valid_from, &u.valid_to);
        if let Some(parent) = &u.parent
            && v.reference(Kind::OrgUnit, parent)
            && let Some(parent_unit) = units.get(parent.value.as_str())
            && parent_unit.level.value.0.depth() >= u.level.value.0.depth()
        {
            v.error(
                codes::LEVEL_MISMATCH,
                &parent.location,
                format!(
                    "parent `{}` is a {}, which cannot contain the {} `{}`",
                    parent.value,
                    level_name(parent_unit.level.value.0),
                    level_name(u.level.value.0),
                    u.id.value
                ),
                Some("the hierarchy goes country -> province -> district -> commune".to_owned()),
            );
        }
        for successor in &u.successors {
            if !v.reference(Kind::OrgUnit, successor) {
                continue;
            }
            let Some(next) = units.get(successor.value.as_str()) else { continue };
            let overlap = match (&u.valid_to, &next.valid_from) {
                (None, _) => Some(format!(
                    "org unit `{}` has the successor `{}` but no `valid_to`, so both are valid at the same time",
                    u.id.value, successor.value
                )),
                (Some(_), None) => Some(format!(
                    "successor `{}` has no `valid_from`, so it overlaps `{}`",
                    successor.value, u.id.value
                )),
                (Some(to), Some(from)) if from.value <= to.value => Some(format!(
                    "successor `{}` starts on {}, before `{}` ends on {}",
                    successor.value, from.value.0, u.id.value, to.value.0
                )),
                _ => None,
            };
            if let Some(message) = overlap {
                v.error(
                    codes::SUCCESSOR_OVERLAP,
                    &successor.location,
                    message,
                    Some("a successor must start the day after its predecessor's `valid_to`".to_owned()),
                );
            }
        }
    }

    // Cycles in the parent hierarchy: report each cycle once, at the unit with the smallest id in it.
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for u in &raw.org_units {
        let mut path: Vec<&str> = vec![u.id.value.as_str()];
        let mut current = u.parent.as_ref().map(|p| p.value.as_str());
        while let Some(id) = current {
            if let Some(position) = path.iter().position(|seen| *seen == id) {
                let cycle: Vec<&str> = path[position..].to_vec();
                let smallest = cycle.iter().min().copied().unwrap_or(id);
                if smallest == u.id.value && reported.insert(smallest) {
                    let mut shown = cycle.clone();
                    shown.push(id);
                    let parent_location = u.parent.as_ref().map_or(u.id.location.clone(), |p| p.location.clone());
                    v.error(
                        codes::ORG_UNIT_CYCLE,
                        &parent_location,
                        format!("the org-unit hierarchy has a cycle: {}", shown.join(" -> ")),
                        Some("each unit's `parent` must lead up to the country".to_owned()),
                    );
                }
                break;
            }
            path.push(id);
            current = units.get(id).and_then(|next| next.parent.as_ref()).map(|p| p.value.as_str());
        }
    }

    for u in &raw.org_units {
        let is_first = v.ids.get(&Kind::OrgUnit).and_then(|ids| ids.get(&u.id.value)) == Some(&u.id.location);
        if is_first {
            catalogue.org_units.insert(
                u.id.value.clone(),
                OrgUnit {
                    id: u.id.value.clone(),
                    name: text(&u.name),
                    level: u.level.value.0,
                    parent: u.parent.as_ref().map(|p| p.value.clone()),
                    valid_from: u.valid_from.as_ref().map(|d| d.value.0),
                    valid_to: u.valid_to.as_ref().map(|d| d.value.0),
                    successors: u.successors.iter().map(|s| s.value.clone()).collect(),
                    kind: u.kind.clone(),
                    note: u.note.clone(),
                },
            );
        }
    }
}

fn level_name(level: tiendo_core::OrgUnitLevel) -> &'static str {
    match level {
        tiendo_core::OrgUnitLevel::Country => "country",
        tiendo_core::OrgUnitLevel::Province => "province",
        tiendo_core::OrgUnitLevel::District => "district",
        tiendo_core::OrgUnitLevel::Commune => "commune",
    }
}

fn validate_indicator(
    v: &mut Validator<'_>,
    raw: &RawCatalogue,
    i: &RawIndicator,
    elements: &BTreeMap<String, &RawDataElement>,
    categories: &BTreeMap<String, &RawCategory>,
) -> Option<Indicator> {
    v.reference(Kind::WorkArea, &i.group);
    if let Some(agency) = &i.agency {
        v.reference(Kind::Agency, agency);
    }
    v.reference(Kind::Source, &i.source);
    let disaggregations = v.references(Kind::Category, &i.disaggregations);
    let measure = i.measure.value.0;

    let formula = match (&i.plugin, &i.numerator, &i.denominator) {
        (Some(plugin), None, None) => {
            if raw.plugins.is_some() {
                v.reference(Kind::Plugin, &plugin.id);
            }
            Formula::Plugin(PluginMetricRef {
                plugin: plugin.id.value.clone(),
                metric: plugin.metric.clone(),
                params: plugin.params.iter().map(|(k, value)| (k.clone(), value.value.clone())).collect(),
            })
        }
        (Some(plugin), _, _) => {
            v.error(
                codes::CONFLICTING_FORMULA,
                &plugin.location,
                format!("indicator `{}` has both a plugin metric and an expression", i.id.value),
                Some("keep either `plugin` or `numerator`/`denominator`".to_owned()),
            );
            Formula::Reported
        }
        (None, None, Some(denominator)) => {
            v.error(
                codes::CONFLICTING_FORMULA,
                &denominator.location,
                format!("indicator `{}` has a denominator but no numerator", i.id.value),
                Some("add `numerator = …`".to_owned()),
            );
            Formula::Reported
        }
        (None, Some(numerator), denominator) => Formula::Expression {
            numerator: v.expression(numerator, elements, categories),
            denominator: denominator.as_ref().map(|d| v.expression(d, elements, categories)),
        },
        (None, None, None) => Formula::Reported,
    };

    let decimals = match &i.decimals {
        Some(d) if !(0..=10).contains(&d.value) => {
            v.error(
                codes::NUMBER_OUT_OF_RANGE,
                &d.location,
                format!("`decimals` is {}, expected 0 to 10", d.value),
                Some("decimals is how many digits are shown after the decimal point".to_owned()),
            );
            0
        }
        Some(d) => u8::try_from(d.value).unwrap_or(0),
        None if measure == Measure::Count => 0,
        None => 1,
    };

    if !i.scale.is_empty() && measure != Measure::Ordinal {
        v.warning(
            codes::SCALE_WITHOUT_ORDINAL,
            &i.measure.location,
            format!("indicator `{}` has a `scale` but its measure is not `ordinal`", i.id.value),
            "set `measure = \"ordinal\"` or remove the scale".to_owned(),
        );
    }

    Some(Indicator {
        id: i.id.value.clone(),
        code: i.code.clone(),
        name: text(&i.name),
        definition: i.definition.as_ref().map(text),
        group: i.group.value.clone(),
        measure,
        formula,
        direction: i.direction.0,
        unit: i.unit.as_ref().map(text),
        decimals,
        disaggregations,
        agency: i.agency.as_ref().map(|a| a.value.clone()),
        source: i.source.value.clone(),
        scale: i.scale.iter().map(|l| OrdinalLevel { value: l.value, label: text(&l.label) }).collect(),
        limit: i.limit,
        note: i.note.clone(),
    })
}

fn validate_plan(v: &mut Validator<'_>, p: &RawPlan, measures: &BTreeMap<String, Measure>) -> Plan {
    v.reference(Kind::OrgUnit, &p.org_unit);
    let issuer = v.issuer(&p.issuer);
    v.reference(Kind::Source, &p.source);
    if let Some(implements) = &p.implements {
        if implements.value == p.id.value {
            v.error(
                codes::UNKNOWN_PLAN,
                &implements.location,
                format!("plan `{}` implements itself", p.id.value),
                Some("name the plan this one implements, such as the national programme".to_owned()),
            );
        } else {
            v.reference(Kind::Plan, implements);
        }
    }
    let indicators = v.references(Kind::Indicator, &p.indicators);
    let plan_period = p.period.value.0;

    let mut targets = Vec::new();
    for t in &p.target {
        let known = v.reference(Kind::Indicator, &t.indicator);
        if known && !indicators.contains(&t.indicator.value) {
            v.warning(
                codes::TARGET_FOR_UNLISTED_INDICATOR,
                &t.indicator.location,
                format!(
                    "plan `{}` sets a target for `{}`, which it does not list in `indicators`",
                    p.id.value, t.indicator.value
                ),
                format!("add \"{}\" to the plan's `indicators`", t.indicator.value),
            );
        }
        let period = t.period.value.0;
        if !plan_period.contains(&period) {
            v.error(
                codes::TARGET_OUTSIDE_PLAN_PERIOD,
                &t.period.location,
                format!("target period {period} is outside the period {plan_period} of plan `{}`", p.id.value),
                Some(format!("targets of this plan must fall within {plan_period}")),
            );
        }
        check_value(v, measures.get(&t.indicator.value).copied(), &t.value, "target");
        v.reference(Kind::Source, &t.source);
        if let Some(org_unit) = &t.org_unit {
            v.reference(Kind::OrgUnit, org_unit);
        }
        targets.push(Target {
            indicator: t.indicator.value.clone(),
            period,
            comparator: t.comparator.0,
            value: t.value.value,
            source: t.source.value.clone(),
            org_unit: t.org_unit.as_ref().map(|o| o.value.clone()),
            note: t.note.clone(),
        });
    }

    let mut baselines = Vec::new();
    for b in &p.baseline {
        v.reference(Kind::Indicator, &b.indicator);
        check_value(v, measures.get(&b.indicator.value).copied(), &b.value, "baseline");
        v.reference(Kind::Source, &b.source);
        if let Some(org_unit) = &b.org_unit {
            v.reference(Kind::OrgUnit, org_unit);
        }
        baselines.push(Baseline {
            indicator: b.indicator.value.clone(),
            period: b.period.value.0,
            value: b.value.value,
            source: b.source.value.clone(),
            org_unit: b.org_unit.as_ref().map(|o| o.value.clone()),
            note: b.note.clone(),
        });
    }

    let mut local_ids = BTreeSet::new();
    let mut objectives = Vec::new();
    for o in &p.objective {
        if !local_ids.insert(o.id.value.clone()) {
            v.error(
                codes::DUPLICATE_ID,
                &o.id.location,
                format!("plan `{}` has two objectives or activities with the id `{}`", p.id.value, o.id.value),
                Some("ids of objectives and activities must be unique within their plan".to_owned()),
            );
        }
        v.reference(Kind::Source, &o.source);
        objectives.push(Objective { id: o.id.value.clone(), text: text(&o.text), source: o.source.value.clone() });
    }
    let mut activities = Vec::new();
    for a in &p.activity {
        if !local_ids.insert(a.id.value.clone()) {
            v.error(
                codes::DUPLICATE_ID,
                &a.id.location,
                format!("plan `{}` has two objectives or activities with the id `{}`", p.id.value, a.id.value),
                Some("ids of objectives and activities must be unique within their plan".to_owned()),
            );
        }
        if let Some(agency) = &a.agency {
            v.reference(Kind::Agency, agency);
        }
        if let Some(group) = &a.group {
            v.reference(Kind::WorkArea, group);
        }
        v.reference(Kind::Source, &a.source);
        activities.push(Activity {
            id: a.id.value.clone(),
            title: text(&a.title),
            agency: a.agency.as_ref().map(|x| x.value.clone()),
            deadline: a.deadline.map(|d| d.0),
            group: a.group.as_ref().map(|g| g.value.clone()),
            status: a.status.map(|s| s.0),
            source: a.source.value.clone(),
        });
    }

    Plan {
        id: p.id.value.clone(),
        kind: p.kind.value.0,
        number: p.number.clone(),
        title: text(&p.title),
        issuer,
        org_unit: p.org_unit.value.clone(),
        period: plan_period,
        adopted_on: p.adopted_on.map(|d| d.0),
        source: p.source.value.clone(),
        implements: p.implements.as_ref().map(|i| i.value.clone()),
        indicators,
        targets,
        baselines,
        objectives,
        activities,
        note: p.note.clone(),
    }
}

/// Percentages must lie within 0-100 and yes/no values must be 0 or 1.
fn check_value(v: &mut Validator<'_>, measure: Option<Measure>, value: &Spanned<f64>, what: &str) {
    match measure {
        Some(Measure::Percent) if !(0.0..=100.0).contains(&value.value) => v.error(
            codes::PERCENT_OUT_OF_RANGE,
            &value.location,
            format!("{what} {} is outside 0-100 for a percentage indicator", value.value),
            Some("write percentages as numbers from 0 to 100: 90% is `90`, not `0.9` or `900`".to_owned()),
        ),
        Some(Measure::YesNo) if value.value != 0.0 && value.value != 1.0 => v.error(
            codes::NUMBER_OUT_OF_RANGE,
            &value.location,
            format!("{what} {} is not 0 or 1 for a yes/no indicator", value.value),
            Some("write 1 for yes and 0 for no".to_owned()),
        ),
        _ => {}
    }
}

/// A plan that implements another may monitor the other's indicators (adopted) and its own, defined by its own
/// source document. Anything else is an indicator the implemented plan does not know.
fn check_adoptions(v: &mut Validator<'_>, raw: &RawCatalogue) {
    let plans: BTreeMap<&str, &RawPlan> = raw.plans.iter().map(|p| (p.id.value.as_str(), p)).collect();
    let indicator_sources: BTreeMap<&str, &str> =
        raw.indicators.iter().map(|i| (i.id.value.as_str(), i.source.value.as_str())).collect();
    for p in &raw.plans {
        let Some(implements) = &p.implements else { continue };
        let Some(parent) = plans.get(implements.value.as_str()) else { continue };
        if parent.id.value == p.id.value {
            continue;
        }
        let parent_indicators: BTreeSet<&str> = parent.indicators.iter().map(|i| i.value.as_str()).collect();
        for indicator in &p.indicators {
            let Some(source) = indicator_sources.get(indicator.value.as_str()) else { continue };
            if parent_indicators.contains(indicator.value.as_str()) || *source == p.source.value {
                continue;
            }
            v.error(
                codes::NOT_IN_IMPLEMENTED_PLAN,
                &indicator.location,
                format!(
                    "plan `{}` adopts indicator `{}`, which plan `{}` that it implements does not monitor",
                    p.id.value, indicator.value, parent.id.value
                ),
                Some(format!(
                    "add it to `{}`'s indicators, or make it this plan's own with `source = \"{}\"` on the indicator",
                    parent.id.value, p.source.value
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_suggestions() {
        for (id, valid) in [("qd-193-2021", true), ("cases_2023", true), ("Hà-Nội", false), ("", false), ("-x", false)]
        {
            assert_eq!(is_valid_id(id), valid, "{id}");
        }
        assert_eq!(suggested_id("Hà Nội"), "ha-noi");
        assert_eq!(suggested_id("Quảng Nam 2025"), "quang-nam-2025");
        assert_eq!(suggested_id("!!"), "my-id");
    }
}
