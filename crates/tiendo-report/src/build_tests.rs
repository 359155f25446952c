//! Tests of [`build_review`] on a small catalogue: a country with old provinces `a` and `b` merged on 1 Jul 2025
//! into `ab`, and `c` unchanged; a programme `p` with a percentage target, a plan `q` implementing it with its own
//! target and an activity.

use chrono::NaiveDate;
use tiendo_core::eval::synthetic::SYNTHETIC_SOURCE;
use tiendo_core::eval::{EvaluationSettings, NewObservation, ObservationStatus, ObservationStore, evaluate};
use tiendo_core::{
    Activity, Catalogue, Category, CategoryOption, Comparator, DataElement, Direction, Expr, Formula, Indicator,
    Measure, OrgUnit, OrgUnitAggregation, OrgUnitLevel, Period, Plan, PlanKind, Source, SourceKind, Target, Text,
    TimeAggregation, ValueType,
};

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn period(text: &str) -> Period {
    Period::parse(text).expect("valid test period")
}

fn unit(id: &str, level: OrgUnitLevel, successor: Option<&str>, from_merger: bool) -> OrgUnit {
    OrgUnit {
        id: id.to_owned(),
        name: Text::new(format!("tỉnh {id}"), format!("province {id}")),
        level,
        parent: (level != OrgUnitLevel::Country).then(|| "vn".to_owned()),
        valid_from: from_merger.then(|| date(2025, 7, 1)),
        valid_to: successor.map(|_| date(2025, 6, 30)),
        successors: successor.into_iter().map(str::to_owned).collect(),
        kind: None,
        note: None,
    }
}

fn indicator(id: &str, measure: Measure, numerator: &str, denominator: Option<&str>) -> Indicator {
    Indicator {
        id: id.to_owned(),
        code: id.to_uppercase(),
        name: Text::new(format!("chỉ tiêu {id}"), format!("indicator {id}")),
        definition: None,
        group: "g".to_owned(),
        measure,
        formula: Formula::Expression {
            numerator: Expr::parse(numerator).expect("test expression"),
            denominator: denominator.map(|d| Expr::parse(d).expect("test expression")),
        },
        direction: Direction::Increase,
        unit: None,
        decimals: 0,
        disaggregations: Vec::new(),
        agency: None,
        source: "decision".to_owned(),
        scale: Vec::new(),
        limit: None,
        sensitive: false,
        note: None,
    }
}

fn target(indicator: &str, period_id: &str, comparator: Comparator, value: f64) -> Target {
    Target {
        indicator: indicator.to_owned(),
        period: period(period_id),
        comparator,
        value,
        source: "decision".to_owned(),
        org_unit: None,
        note: None,
    }
}

fn plan(id: &str, implements: Option<&str>) -> Plan {
    Plan {
        id: id.to_owned(),
        kind: PlanKind::Programme,
        number: Some(format!("{id}/QĐ")),
        title: Text::new(format!("Chương trình {id}"), format!("Programme {id}")),
        issuer: None,
        org_unit: "vn".to_owned(),
        period: period("2021..2025"),
        adopted_on: None,
        source: "decision".to_owned(),
        implements: implements.map(str::to_owned),
        indicators: Vec::new(),
        targets: Vec::new(),
        baselines: Vec::new(),
        objectives: Vec::new(),
        activities: Vec::new(),
        note: None,
    }
}

fn catalogue() -> Catalogue {
    let mut catalogue = Catalogue::default();
    for u in [
        unit("vn", OrgUnitLevel::Country, None, false),
        unit("a", OrgUnitLevel::Province, Some("ab"), false),
        unit("b", OrgUnitLevel::Province, Some("ab"), false),
        unit("ab", OrgUnitLevel::Province, None, true),
        unit("c", OrgUnitLevel::Province, None, false),
    ] {
        catalogue.org_units.insert(u.id.clone(), u);
    }
    catalogue.categories.insert(
        "sex".to_owned(),
        Category {
            id: "sex".to_owned(),
            name: Text::new("giới tính", "sex"),
            options: ["female", "male"]
                .iter()
                .map(|o| CategoryOption { id: (*o).to_owned(), name: Text::new(*o, *o) })
                .collect(),
        },
    );
    for (id, sensitive) in [("cases", false), ("victims", true), ("received", false), ("resolved", false)] {
        catalogue.data_elements.insert(
            id.to_owned(),
            DataElement {
                id: id.to_owned(),
                name: Text::new(id, id),
                value_type: ValueType::Count,
                time_aggregation: TimeAggregation::Sum,
                org_unit_aggregation: OrgUnitAggregation::Sum,
                sensitive,
                categories: vec!["sex".to_owned()],
                description: None,
                breaks: Vec::new(),
            },
        );
    }
    let mut victims = indicator("victims", Measure::Count, "victims", None);
    victims.disaggregations = vec!["sex".to_owned()];
    for i in [
        indicator("cases", Measure::Count, "cases", None),
        victims,
        indicator("resolution", Measure::Percent, "resolved", Some("received")),
    ] {
        catalogue.indicators.insert(i.id.clone(), i);
    }
    for id in ["decision", "national", "provincial", SYNTHETIC_SOURCE] {
        catalogue.sources.insert(
            id.to_owned(),
            Source {
                id: id.to_owned(),
                kind: if id == SYNTHETIC_SOURCE { SourceKind::Synthetic } else { SourceKind::Official },
                number: None,
                title: Text::new(id, id),
                issuer: None,
                date: None,
                url: None,
                note: None,
                uncertain: None,
                public_note: None,
            },
        );
    }
    let mut programme = plan("p", None);
    programme.indicators = vec!["cases".to_owned(), "victims".to_owned(), "resolution".to_owned()];
    programme.targets = vec![
        target("resolution", "2023", Comparator::Greater, 90.0),
        target("resolution", "2025", Comparator::Greater, 90.0),
    ];
    let mut implementing = plan("q", Some("p"));
    implementing.kind = PlanKind::National;
    implementing.indicators = vec!["resolution".to_owned()];
    implementing.targets = vec![target("resolution", "2023", Comparator::GreaterOrEqual, 95.0)];
    implementing.activities = vec![Activity {
        id: "a1".to_owned(),
        title: Text::new("hoạt động", "activity"),
        agency: None,
        deadline: Some(date(2022, 6, 30)),
        group: None,
        status: None,
        source: "decision".to_owned(),
    }];
    catalogue.plans.insert(programme.id.clone(), programme);
    catalogue.plans.insert(implementing.id.clone(), implementing);
    catalogue
}

/// (element, org unit, period, disaggregation, value, source)
type Row = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)], f64, &'static str);

const ROWS: &[Row] = &[
    ("cases", "vn", "2021", &[], 77.0, "national"),
    ("cases", "vn", "2022", &[], 90.0, "national"),
    ("cases", "vn", "2022Q1", &[], 24.0, "national"),
    ("cases", "vn", "2023Q1", &[], 56.0, "national"),
    ("victims", "vn", "2021", &[], 150.0, "national"),
    ("victims", "vn", "2022", &[], 222.0, "national"),
    ("victims", "vn", "2023Q1", &[], 118.0, "national"),
    ("victims", "vn", "2022", &[("sex", "female")], 102.0, "national"),
    ("victims", "vn", "2022", &[("sex", "male")], 120.0, "national"),
    ("received", "vn", "2022", &[], 100.0, "national"),
    ("resolved", "vn", "2022", &[], 97.0, "national"),
    ("received", "vn", "2023", &[], 100.0, "national"),
    ("resolved", "vn", "2023", &[], 96.0, "national"),
    ("cases", "a", "2023", &[], 5.0, "provincial"),
    ("cases", "b", "2023", &[], 7.0, "provincial"),
    ("cases", "c", "2023", &[], 12.0, SYNTHETIC_SOURCE),
    ("victims", "a", "2023", &[], 3.0, "provincial"),
    ("victims", "b", "2023", &[], 40.0, "provincial"),
    ("victims", "c", "2023", &[], 50.0, "provincial"),
];

fn evaluation(catalogue: &Catalogue) -> Evaluation {
    let mut store = ObservationStore::new();
    let file = store.add_file("t.csv");
    for (row, (element, org_unit, period_id, disaggregation, value, source)) in ROWS.iter().enumerate() {
        store.push(&NewObservation {
            element,
            org_unit,
            period: period(period_id),
            disaggregation,
            value: *value,
            source,
            status: ObservationStatus::Final,
            note: None,
            submitted: None,
            file,
            row: u32::try_from(row).expect("few rows") + 2,
        });
    }
    let mut settings = EvaluationSettings::new(date(2024, 1, 15));
    settings.period = Some(period("2021..2023"));
    evaluate(catalogue, &store, &settings, None)
}

fn input() -> ReviewInput {
    ReviewInput {
        plan: "p".to_owned(),
        window: period("2021..2023"),
        as_of: date(2024, 1, 15),
        inputs: Vec::new(),
        generator: "tiendo test".to_owned(),
        threshold: 11,
        method: Method::Eurostat,
        kind: None,
        document: DocumentInfo::default(),
        plugin_names: Default::default(),
    }
}

fn review() -> Review {
    let catalogue = catalogue();
    build_review(&catalogue, &evaluation(&catalogue), &input()).expect("builds")
}

#[test]
fn headlines_compare_the_latest_year_and_quarter_with_the_same_period_last_year() {
    let review = review();
    let rows: Vec<(String, String, Value, String, Value)> = review
        .summary
        .headlines
        .iter()
        .map(|h| (h.label.en.clone(), h.period.to_string(), h.value, h.previous_period.to_string(), h.previous_value))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "indicator cases".to_owned(),
                "2022".to_owned(),
                Value::Number(90.0),
                "2021".to_owned(),
                Value::Number(77.0)
            ),
            (
                "indicator victims".to_owned(),
                "2022".to_owned(),
                Value::Number(222.0),
                "2021".to_owned(),
                Value::Number(150.0)
            ),
            (
                "indicator cases".to_owned(),
                "2023Q1".to_owned(),
                Value::Number(56.0),
                "2022Q1".to_owned(),
                Value::Number(24.0)
            ),
            (
                "indicator victims".to_owned(),
                "2023Q1".to_owned(),
                Value::Number(118.0),
                "2022Q1".to_owned(),
                Value::Missing
            ),
        ]
    );
    assert!(review.summary.headlines.iter().all(|h| h.source == "national"));
}

/// A headline value built from part of what was expected (here the 2022 cases, made partial) carries what it lacks,
/// named by its period, in both languages; the complete headlines carry nothing.
#[test]
fn a_partial_headline_carries_what_it_lacks() {
    let catalogue = catalogue();
    let mut evaluation = evaluation(&catalogue);
    let cases = evaluation.indicators.iter_mut().find(|r| r.indicator == "cases" && r.org_unit == "vn").expect("cases");
    let point = cases.series.iter_mut().find(|p| p.period == period("2022")).expect("2022");
    point.coverage = Some(tiendo_core::eval::Coverage {
        reported: 3,
        expected: 4,
        complete: false,
        missing_periods: vec!["2022Q4".to_owned()],
        ..Default::default()
    });
    let review = build_review(&catalogue, &evaluation, &input()).expect("builds");
    let notes: Vec<(String, Vec<String>)> = review
        .summary
        .headlines
        .iter()
        .map(|h| (h.period.to_string(), h.partial_notes.iter().map(|n| format!("{} | {}", n.en, n.vi)).collect()))
        .collect();
    let (first, rest) = notes.split_first().expect("headlines");
    assert_eq!(first.0, "2022");
    assert_eq!(first.1.len(), 1, "{notes:?}");
    assert!(first.1[0].starts_with("indicator cases (2022): Partial: 3 of 4 units reported"), "{}", first.1[0]);
    assert!(
        first.1[0].contains("missing 2022Q4 (not used for the status) | chỉ tiêu cases (năm 2022): Chưa đầy đủ: 3/4")
    );
    assert!(review.summary.headlines[0].partial, "the value itself is marked");
    assert!(rest.iter().all(|(_, notes)| notes.is_empty()), "{notes:?}");
}

#[test]
fn an_indicator_shows_the_target_its_status_was_decided_against_and_names_the_implementing_plan() {
    let review = review();
    let resolution = review.indicators.iter().find(|i| i.id == "resolution").expect("listed");
    let target = resolution.target.as_ref().expect("has a target");
    // The status is decided against the programme's final target (2025), so that is the target shown beside it,
    // with the value evaluation compared with it (2023, the latest year by then), not the window's 2023 target.
    assert_eq!((target.period, target.comparator, target.value), (period("2025"), Comparator::Greater, 90.0));
    let latest = resolution.latest.as_ref().expect("has a latest value");
    assert_eq!((latest.period, latest.value), (period("2023"), Value::Number(96.0)));
    let percent = resolution.percent_of_target.expect("computed");
    assert!((percent - 96.0 / 90.0 * 100.0).abs() < 1e-9, "{percent}");
    assert_eq!(resolution.status, Status::Achieved);
    let comment = resolution.comment.as_ref().expect("names the other plan's target");
    assert!(comment.en.contains("q/QĐ: 2023 ≥ 95"), "{}", comment.en);
    // A count without a target is a context figure, not assessed.
    let cases = review.indicators.iter().find(|i| i.id == "cases").expect("listed");
    assert_eq!(cases.status, Status::NotAssessed);
    assert_eq!(cases.latest.as_ref().map(|p| p.value), Some(Value::Number(90.0)));
}

#[test]
fn the_series_keeps_years_and_the_sub_year_values_of_years_without_one() {
    let review = review();
    let cases = review.indicators.iter().find(|i| i.id == "cases").expect("listed");
    let periods: Vec<String> = cases.series.iter().map(|p| p.period.to_string()).collect();
    assert!(periods.contains(&"2021".to_owned()) && periods.contains(&"2022".to_owned()), "{periods:?}");
    assert!(!periods.contains(&"2022Q2".to_owned()), "a quarter of a year with a yearly value is left out");
    // The latest quarter, of a year without a yearly value, is compared with the same quarter of the year before
    // (shown even though that year has a yearly value), never with the year.
    let at = |id: &str| periods.iter().position(|p| p == id);
    assert!(at("2023Q1").is_some() && at("2022Q1").is_some(), "{periods:?}");
    let lines = crate::charts::series_lines(&cases.series);
    let types: Vec<PeriodType> = lines.iter().map(|(t, _)| *t).collect();
    assert_eq!(types, [PeriodType::Year, PeriodType::Quarter]);
    assert!(lines.iter().all(|(t, points)| points.iter().all(|p| p.period.period_type() == *t)));
}

#[test]
fn provinces_are_ranked_on_both_maps_with_successors_and_suppression() {
    let review = review();
    let old = review.provincial_comparisons.iter().find(|c| c.id == "cases-63").expect("old map");
    let ranked: Vec<(&str, Value)> = old.values.iter().map(|v| (v.org_unit.as_str(), v.value)).collect();
    assert_eq!(ranked, [("c", Value::Number(12.0)), ("b", Value::Number(7.0)), ("a", Value::Number(5.0))]);
    assert_eq!(old.period, period("2023"));
    assert!(old.sources.contains(&SYNTHETIC_SOURCE.to_owned()));
    assert!(old.note.as_ref().is_some_and(|n| n.en.contains("Synthetic")), "synthetic data is labelled");
    assert_eq!(old.title.en, "indicator cases (synthetic data)", "on the chart too");
    // A review made before 1 July 2025 cannot know the 34 provinces; one made on that day shows them.
    assert!(review.provincial_comparisons.iter().all(|c| c.map == ProvinceMap::Before2025));
    let catalogue = catalogue();
    let after = ReviewInput { as_of: date(2025, 7, 1), ..input() };
    let review = build_review(&catalogue, &evaluation(&catalogue), &after).expect("builds");

    let new = review.provincial_comparisons.iter().find(|c| c.id == "cases-34").expect("new map");
    let ab = new.values.iter().find(|v| v.org_unit == "ab").expect("successor listed");
    assert_eq!(ab.value, Value::Number(12.0), "old provinces roll up into their successor");
    let merged: Vec<&str> = ab.merged_from.iter().map(|t| t.en.as_str()).collect();
    assert_eq!(merged, ["province a", "province b"]);
    assert!(new.values.iter().all(|v| v.org_unit != "a"), "old provinces are not on the new map");

    let victims = review.provincial_comparisons.iter().find(|c| c.id == "victims-63").expect("victims compared");
    let a = victims.values.iter().find(|v| v.org_unit == "a").expect("listed");
    assert_eq!(a.value, Value::Suppressed, "3 victims is below the threshold");
    assert_eq!(victims.values.last().map(|v| v.value), Some(Value::Suppressed), "suppressed rank after numbers");
}

#[test]
fn disaggregations_activities_and_data_quality_come_from_the_evaluation_and_catalogue() {
    let review = review();
    let by_sex = review.disaggregations.iter().find(|d| d.id == "victims-sex").expect("victims by sex");
    let row = by_sex.rows.iter().find(|r| r.period == period("2022")).expect("2022 row");
    assert_eq!(row.values, [Value::Number(102.0), Value::Number(120.0)]);
    assert_eq!(row.total, Value::Number(222.0));
    assert_eq!(review.activities.len(), 1);
    assert_eq!(review.activities[0].plan.id, "q");
    assert!(review.data_quality.completeness.iter().all(|c| c.on_time.is_none()), "timeliness is unknown");
    assert_eq!(review.confidentiality.threshold, 11);
    assert!(review.confidentiality.suppressed_cells > 0);
    assert!(review.plugins.metrics.is_empty() && review.plugins.failures.is_empty());
    assert!(!review.methodology.is_empty());
    let unknown: Vec<String> = review.cited_sources().into_iter().filter(|s| !review.sources.contains_key(s)).collect();
    assert!(unknown.is_empty(), "every cited source is listed: {unknown:?}");
}

#[test]
fn the_review_renders_in_both_languages() {
    let review = review();
    for lang in [crate::Lang::Vi, crate::Lang::En] {
        let rendered = crate::render(&review, &crate::RenderOptions::new(lang)).expect("renders");
        assert!(rendered.files.contains_key("review.md"));
    }
}

#[test]
fn an_unknown_plan_is_an_error() {
    let catalogue = catalogue();
    let mut input = input();
    input.plan = "nope".to_owned();
    let error = build_review(&catalogue, &evaluation(&catalogue), &input).expect_err("unknown plan");
    assert!(matches!(error, ReportError::UnknownPlan(ref id) if id == "nope"), "{error}");
}

#[test]
fn a_plugin_is_named_by_its_description_up_to_the_first_colon() {
    let names: BTreeMap<String, String> = [
        ("funnel", "Quảng Nam justice-chain funnel: conversion rates: and more"),
        ("plain", "Victim reintegration (IOM model)"),
        ("blank", "  : nothing before the colon"),
    ]
    .into_iter()
    .map(|(id, d)| (id.to_owned(), d.to_owned()))
    .collect();
    let cases = [
        ("funnel", "Quảng Nam justice-chain funnel"),
        ("plain", "Victim reintegration (IOM model)"),
        ("blank", "blank"),
        ("undescribed", "undescribed"),
    ];
    for (id, expected) in cases {
        assert_eq!(plugin_tables::plugin_name(&names, id), expected, "{id}");
    }
}

/// A baseline of a period whose value the series hides is hidden too, with the progress measured from it, which would
/// give it back; a baseline of a shown period stays (round 54, found by a review helper: "Baseline: 4 (2021)" beside
/// the suppressed 2021).
#[test]
fn a_baseline_of_a_hidden_period_is_hidden() {
    for hide in [false, true] {
        let mut catalogue = catalogue();
        let programme = catalogue.plans.get_mut("p").expect("the programme");
        programme.targets.push(target("victims", "2022", Comparator::GreaterOrEqual, 300.0));
        programme.baselines.push(tiendo_core::model::Baseline {
            indicator: "victims".to_owned(),
            period: period("2021"),
            value: 150.0,
            source: "decision".to_owned(),
            org_unit: None,
            note: None,
            public_note: None,
            yearly_average: false,
        });
        let mut evaluation = evaluation(&catalogue);
        let victims = evaluation.indicators.iter_mut().find(|r| r.indicator == "victims" && r.org_unit == "vn");
        let point = victims.expect("victims").series.iter_mut().find(|p| p.period == period("2021")).expect("2021");
        if hide {
            (point.state, point.value) = (ValueState::Suppressed, None);
        }
        let review = build_review(&catalogue, &evaluation, &input()).expect("builds");
        let shown = review.indicators.iter().find(|i| i.id == "victims").expect("victims");
        let baseline = shown.baseline.as_ref().expect("a baseline");
        let expected = if hide { crate::model::Value::Suppressed } else { crate::model::Value::Number(150.0) };
        assert_eq!(baseline.value, expected, "hidden: {hide}");
        if hide {
            assert_eq!(shown.progress_from_baseline, None);
        }
    }
}

/// A data file's digest is withheld where the review hides a count: the file holds it, and where its layout is known
/// a reader hashes each candidate file and keeps the one that matches (round 54, found by a review helper, hunt-af
/// F1). A catalogue's digest, and every digest of a review that hides nothing, is shown.
#[test]
fn a_data_file_digest_is_withheld_where_the_review_hides_a_count() {
    let catalogue = catalogue();
    let digest = |path: &str, data: bool| InputDigest { path: path.to_owned(), sha256: Some("ab".repeat(32)), data };
    let mut input = input();
    input.inputs = vec![digest("catalogue.toml", false), digest("data/provinces.csv", true)];
    let mut evaluation = evaluation(&catalogue);
    assert!(evaluation.disclosure.primary > 0, "3 victims is a small count");
    let review = build_review(&catalogue, &evaluation, &input).expect("builds");
    let shown: Vec<Option<&str>> = review.cover.inputs.iter().map(|d| d.sha256.as_deref()).collect();
    assert_eq!(shown, [Some("ab".repeat(32).as_str()), None]);
    let json = serde_json::to_value(&review.cover.inputs).expect("serialises");
    assert_eq!(json[1], serde_json::json!({ "path": "data/provinces.csv" }), "no digest, no flag of the kind");
    let audit = &mut evaluation.disclosure;
    (audit.primary, audit.secondary, audit.unshown_small, audit.withheld) = (0, 0, 0, 0);
    let review = build_review(&catalogue, &evaluation, &input).expect("builds");
    assert!(review.cover.inputs.iter().all(|d| d.sha256.is_some()), "nothing hidden: every digest shown");
}
