//! Conversions from the catalogue (`tiendo_core`) to the view model, for whoever builds a [`Review`].
//!
//! They fill everything the catalogue knows (names, units, agencies, sources, targets, activities); the evaluation
//! adds values, statuses and the data-quality findings.
//!
//! [`Review`]: crate::Review

use std::collections::BTreeMap;

use chrono::NaiveDate;
use tiendo_core::{Activity, Baseline, Catalogue, OrdinalLevel, Plan, Source, Target, Text};

use crate::model::{
    ActivityProgress, BaselineView, IndicatorReview, PlanRef, ScaleLevel, SourceEntry, Status, TargetView, Value,
};

/// The display name of an agency id, or the id itself as free text (issuers of non-government sources are free text).
pub fn agency_name(catalogue: &Catalogue, agency: &str) -> Text {
    catalogue.agencies.get(agency).map(|a| a.name.clone()).unwrap_or_else(|| Text::new(agency, agency))
}

/// The name of `agency`, followed by the agency `function` passed to by `day` where it passed to another
/// ([`Catalogue::responsible_agency`]): "Bộ LĐTBXH (nay chuyển giao cho Bộ Y tế)".
pub fn agency_then_and_now(catalogue: &Catalogue, agency: &str, function: Option<&str>, day: NaiveDate) -> Text {
    let named = agency_name(catalogue, agency);
    let now = catalogue.responsible_agency(agency, function, day);
    if now == agency {
        return named;
    }
    let now = agency_name(catalogue, now);
    Text::new(
        format!("{} (nay chuyển giao cho {})", named.vi, now.vi),
        format!("{} (since passed to the {})", named.en, now.en),
    )
}

impl SourceEntry {
    pub fn from_source(source: &Source, catalogue: &Catalogue) -> Self {
        SourceEntry {
            id: source.id.clone(),
            kind: source.kind,
            number: source.number.clone(),
            title: source.title.clone(),
            issuer: source.issuer.as_deref().map(|issuer| agency_name(catalogue, issuer)),
            date: source.date,
            url: source.url.clone(),
            // The catalogue's `note` and the reasons in `uncertain` are the editors' working notes: never
            // published. The review shows the public note, in both languages, and that a fact is unconfirmed.
            note: source.public_note.clone(),
            uncertain: source.uncertain.is_some(),
        }
    }
}

/// Every source of the catalogue, for [`crate::Review::sources`]; the bibliography shows only those cited.
pub fn sources(catalogue: &Catalogue) -> BTreeMap<String, SourceEntry> {
    catalogue.sources.values().map(|s| (s.id.clone(), SourceEntry::from_source(s, catalogue))).collect()
}

/// The sources a review made on `as_of` may list: those dated on or before it (and those without a date). A source
/// dated later did not exist on that day (issue 12, item 1); evaluation has left its figures out
/// ([`tiendo_core::eval::known::sources_after`]).
pub fn sources_known_on(catalogue: &Catalogue, as_of: chrono::NaiveDate) -> BTreeMap<String, SourceEntry> {
    let later = tiendo_core::eval::known::sources_after(catalogue, as_of);
    catalogue
        .sources
        .values()
        .filter(|s| !later.contains(s.id.as_str()))
        .map(|s| (s.id.clone(), SourceEntry::from_source(s, catalogue)))
        .collect()
}

impl PlanRef {
    pub fn from_plan(plan: &Plan) -> Self {
        PlanRef { id: plan.id.clone(), number: plan.number.clone(), title: plan.title.clone() }
    }
}

impl TargetView {
    /// A plan's target of an indicator shown with `indicator_decimals`.
    pub fn of_plan(catalogue: &Catalogue, target: &Target, indicator_decimals: u8) -> Self {
        TargetView::new(target.period, target.comparator, target.value, target.source.clone(), indicator_decimals)
            .kind_in(catalogue)
    }
}

impl BaselineView {
    /// A plan's baseline of an indicator shown with `indicator_decimals`, written as a target is
    /// ([`TargetView::decimals`]).
    /// `catalogue` tells whether its source is an estimate.
    pub fn of_plan(catalogue: &Catalogue, baseline: &Baseline, indicator_decimals: u8) -> Self {
        let source = catalogue.sources.get(&baseline.source);
        let kind = source.map(|s| s.kind);
        BaselineView {
            period: baseline.period,
            value: Value::Number(baseline.value),
            decimals: tiendo_core::eval::exact::target_decimals(baseline.value, indicator_decimals),
            source: baseline.source.clone(),
            estimate: kind == Some(tiendo_core::SourceKind::Estimate),
            derived: kind == Some(tiendo_core::SourceKind::Derived),
            synthetic: kind == Some(tiendo_core::SourceKind::Synthetic),
            uncertain: source.is_some_and(|s| s.uncertain.is_some()),
            yearly_average: baseline.yearly_average && baseline.spans_years(),
            note: baseline.public_note.clone(),
        }
    }
}

impl From<&OrdinalLevel> for ScaleLevel {
    fn from(level: &OrdinalLevel) -> Self {
        ScaleLevel { value: level.value, label: level.label.clone() }
    }
}

/// The levels an indicator's values are shown by: its ordinal scale, or for a yes/no indicator without one "Có"/"Yes"
/// at 1 and "Không"/"No" at 0 (a yes/no value of 1 shown as "1.0", with a change of "+1.0", means nothing to a
/// reader); empty for a number.
fn levels(indicator: &tiendo_core::Indicator) -> Vec<ScaleLevel> {
    if indicator.measure == tiendo_core::Measure::YesNo && indicator.scale.is_empty() {
        return vec![
            ScaleLevel { value: 0.0, label: Text::new("Không", "No") },
            ScaleLevel { value: 1.0, label: Text::new("Có", "Yes") },
        ];
    }
    indicator.scale.iter().map(ScaleLevel::from).collect()
}

impl ActivityProgress {
    /// An activity as the review lists it; its agency as the plan names it, and the agency its function passed to
    /// by `day` (the review's last day) where one did, as the table by agency counts it (round 68, found by a reader
    /// of the review: the labour ministry in the activity table, the Ministry of Health in the table by agency).
    pub fn from_activity(plan: &Plan, activity: &Activity, catalogue: &Catalogue, day: NaiveDate) -> Self {
        ActivityProgress {
            plan: PlanRef::from_plan(plan),
            id: activity.id.clone(),
            title: activity.title.clone(),
            agency: activity
                .agency
                .as_deref()
                .map(|a| agency_then_and_now(catalogue, a, activity.group.as_deref(), day)),
            deadline: activity.deadline,
            status: activity.status,
            source: activity.source.clone(),
        }
    }
}

impl IndicatorReview {
    /// The indicator `id` of the catalogue with everything the catalogue knows, its first target in `plan` (if
    /// given) and its baseline; no values yet (`series` empty, `latest` none, status [`Status::NoData`]). `None`
    /// when the catalogue has no such indicator.
    pub fn from_catalogue(catalogue: &Catalogue, id: &str, plan: Option<&Plan>) -> Option<Self> {
        let indicator = catalogue.indicators.get(id)?;
        let decimals = indicator.decimals;
        // Only a target of the plan's own unit: one the plan sets for a province is no target of the nation (round 71).
        let own = |p: &Plan, t: &Target| t.org_unit.as_deref().is_none_or(|u| u == p.org_unit);
        let target = plan
            .and_then(|p| p.targets_for(id).find(|t| own(p, t)))
            .map(|t| TargetView::of_plan(catalogue, t, decimals));
        let baseline = plan
            .and_then(|p| p.baselines.iter().find(|b| b.indicator == id))
            .map(|b| BaselineView::of_plan(catalogue, b, decimals));
        let work_area = catalogue
            .work_areas
            .get(&indicator.group)
            .map(|w| w.name.clone())
            .unwrap_or_else(|| Text::new(indicator.group.as_str(), indicator.group.as_str()));
        Some(IndicatorReview {
            id: indicator.id.clone(),
            code: indicator.code.clone(),
            name: indicator.name.clone(),
            work_area,
            definition: indicator.definition.clone(),
            measure: indicator.measure,
            direction: indicator.direction,
            unit: indicator.unit.clone(),
            decimals: indicator.decimals,
            scale: levels(indicator),
            baseline,
            target,
            latest: None,
            latest_elsewhere: None,
            latest_part: None,
            milestones: Vec::new(),
            percent_of_target: None,
            latest_decimals: indicator.decimals,
            percent_decimals: 1,
            progress_from_baseline: None,
            progress_decimals: 1,
            gap: None,
            status: Status::NoData,
            status_note: None,
            status_caution: None,
            source: indicator.source.clone(),
            agency: indicator.agency.as_deref().map(|a| agency_name(catalogue, a)),
            series: Vec::new(),
            comment_sources: Vec::new(),
            comment: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use tiendo_core::{
        Agency, Comparator, Direction, Formula, Indicator, Measure, Period, PlanKind, Source, SourceKind, Target, Text,
        WorkArea,
    };

    use super::*;

    fn catalogue() -> (Catalogue, Plan) {
        let mut catalogue = Catalogue::default();
        catalogue.agencies.insert(
            "mps".to_owned(),
            Agency {
                id: "mps".to_owned(),
                name: Text::new("Bộ Công an", "Ministry of Public Security"),
                abbreviation: Some("MPS".to_owned()),
                valid_from: None,
                valid_to: None,
                successor: None,
                functions: Vec::new(),
                note: None,
            },
        );
        catalogue.sources.insert(
            "qd-193-2021".to_owned(),
            Source {
                id: "qd-193-2021".to_owned(),
                kind: SourceKind::Official,
                number: Some("193/QĐ-TTg".to_owned()),
                title: Text::new("Quyết định 193", "Decision 193"),
                issuer: Some("Prime Minister".to_owned()),
                date: None,
                url: None,
                note: None,
                uncertain: None,
                public_note: None,
            },
        );
        catalogue.work_areas.insert(
            "detection".to_owned(),
            WorkArea { id: "detection".to_owned(), name: Text::new("Phát hiện", "Detection"), order: 2 },
        );
        catalogue.indicators.insert(
            "t2".to_owned(),
            Indicator {
                id: "t2".to_owned(),
                code: "T2".to_owned(),
                name: Text::new("Tỷ lệ giải quyết", "Resolution rate"),
                definition: None,
                group: "detection".to_owned(),
                measure: Measure::Percent,
                formula: Formula::Reported,
                direction: Direction::Increase,
                unit: Some(Text::new("%", "%")),
                decimals: 1,
                disaggregations: Vec::new(),
                agency: Some("mps".to_owned()),
                source: "qd-193-2021".to_owned(),
                scale: Vec::new(),
                limit: Some(100.0),
                sensitive: false,
                note: None,
            },
        );
        let plan = Plan {
            id: "programme-193".to_owned(),
            kind: PlanKind::Programme,
            number: Some("193/QĐ-TTg".to_owned()),
            title: Text::new("Chương trình", "Programme"),
            issuer: None,
            org_unit: "vn".to_owned(),
            period: "2021..2025".parse::<Period>().expect("valid"),
            adopted_on: None,
            source: "qd-193-2021".to_owned(),
            implements: None,
            indicators: vec!["t2".to_owned()],
            targets: vec![Target {
                indicator: "t2".to_owned(),
                period: "2021..2025".parse::<Period>().expect("valid"),
                comparator: Comparator::Greater,
                value: 90.0,
                source: "qd-193-2021".to_owned(),
                org_unit: None,
                note: None,
            }],
            baselines: Vec::new(),
            objectives: Vec::new(),
            activities: Vec::new(),
            note: None,
        };
        (catalogue, plan)
    }

    #[test]
    fn an_indicator_takes_names_agency_and_target_from_the_catalogue() {
        let (catalogue, plan) = catalogue();
        let review = IndicatorReview::from_catalogue(&catalogue, "t2", Some(&plan)).expect("known indicator");
        assert_eq!(review.code, "T2");
        assert_eq!(review.work_area.en, "Detection");
        assert_eq!(review.agency.expect("has an agency").en, "Ministry of Public Security");
        let target = review.target.expect("has a target");
        assert_eq!((target.comparator, target.value), (Comparator::Greater, 90.0));
        assert_eq!(review.status, Status::NoData);
        assert!(IndicatorReview::from_catalogue(&catalogue, "t9", Some(&plan)).is_none());
    }

    #[test]
    fn a_free_text_issuer_is_kept() {
        let (catalogue, _) = catalogue();
        let entries = sources(&catalogue);
        assert_eq!(entries["qd-193-2021"].issuer.as_ref().expect("issuer").en, "Prime Minister");
    }

    /// An activity's agency is named as its plan names it, with the agency its function passed to by the review's
    /// last day (round 68); before the day it passed, or without a successor, the name alone.
    #[test]
    fn an_agency_is_named_with_the_one_its_function_passed_to() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        let agency = |id: &str, en: &str, valid_to, successor: Option<&str>| Agency {
            id: id.to_owned(),
            name: Text::new(format!("Bộ {en}"), en),
            abbreviation: None,
            valid_from: None,
            valid_to,
            successor: successor.map(str::to_owned),
            functions: Vec::new(),
            note: None,
        };
        let mut catalogue = Catalogue::default();
        catalogue.agencies.insert("old".into(), agency("old", "Labour", Some(day(2025, 2, 28)), Some("new")));
        catalogue.agencies.insert("new".into(), agency("new", "Health", None, None));
        let named = agency_then_and_now(&catalogue, "old", None, day(2025, 12, 31));
        assert_eq!(named.en, "Labour (since passed to the Health)");
        assert_eq!(named.vi, "Bộ Labour (nay chuyển giao cho Bộ Health)");
        assert_eq!(agency_then_and_now(&catalogue, "old", None, day(2024, 12, 31)).en, "Labour");
        assert_eq!(agency_then_and_now(&catalogue, "new", None, day(2025, 12, 31)).en, "Health");
    }
}
