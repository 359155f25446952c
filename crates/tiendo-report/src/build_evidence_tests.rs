//! Tests of the evidence builders on a small catalogue: the justice chain (cases detected, initiated, indicted,
//! tried) and the victim pathway at the country, with counts that are missing, suppressed (victims below the
//! threshold of 11) or only a ratio's part; and results grouped by work area and by agency, one agency having passed
//! its function to a successor.

use chrono::NaiveDate;
use tiendo_core::eval::{EvaluationSettings, NewObservation, ObservationStatus, ObservationStore, evaluate};
use tiendo_core::{
    Agency, Catalogue, DataElement, Direction, Expr, Formula, Indicator, Measure, OrgUnit, OrgUnitAggregation,
    OrgUnitLevel, Period, Plan, PlanKind, Source, SourceKind, Text, TimeAggregation, ValueType, WorkArea,
};

use super::*;
use crate::model_evidence::{Funnel, FunnelCell};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn period(text: &str) -> Period {
    Period::parse(text).expect("valid test period")
}

fn indicator(id: &str, group: &str, agency: Option<&str>, numerator: &str, denominator: Option<&str>) -> Indicator {
    Indicator {
        id: id.to_owned(),
        code: id.to_uppercase(),
        name: Text::new(format!("chỉ tiêu {id}"), format!("indicator {id}")),
        definition: None,
        group: group.to_owned(),
        measure: if denominator.is_some() { Measure::Percent } else { Measure::Count },
        formula: Formula::Expression {
            numerator: Expr::parse(numerator).expect("test expression"),
            denominator: denominator.map(|d| Expr::parse(d).expect("test expression")),
        },
        direction: Direction::Increase,
        unit: None,
        decimals: 0,
        disaggregations: Vec::new(),
        agency: agency.map(str::to_owned),
        source: "decision".to_owned(),
        scale: Vec::new(),
        limit: None,
        sensitive: false,
        note: None,
    }
}

fn agency(id: &str, name_vi: &str, valid_to: Option<NaiveDate>, successor: Option<&str>) -> Agency {
    Agency {
        id: id.to_owned(),
        name: Text::new(name_vi, id),
        abbreviation: None,
        valid_from: None,
        valid_to,
        successor: successor.map(str::to_owned),
        functions: Vec::new(),
        note: None,
    }
}

/// The elements, and the indicators that count them: `c1` cases detected, `c6` cases tried, `t4f` indicted over
/// initiated (a ratio: its parts give the two middle stages), `c5` victims identified, `vr` victims received,
/// `p1` victims accessing services over victims identified (sensitive parts, never shown as a stage). `extra`
/// indicators are added (or replace one of the same id).
fn catalogue(extra: Vec<Indicator>) -> Catalogue {
    let mut catalogue = Catalogue::default();
    catalogue.org_units.insert(
        "vn".to_owned(),
        OrgUnit {
            id: "vn".to_owned(),
            name: Text::new("Việt Nam", "Viet Nam"),
            level: OrgUnitLevel::Country,
            parent: None,
            valid_from: None,
            valid_to: None,
            successors: Vec::new(),
            kind: None,
            note: None,
        },
    );
    let elements = [
        ("cases_detected", false),
        ("cases_initiated", false),
        ("cases_indicted", false),
        ("cases_tried", false),
        ("victims_identified", true),
        ("victims_received", true),
        ("victims_accessing_services", true),
    ];
    for (id, sensitive) in elements {
        catalogue.data_elements.insert(
            id.to_owned(),
            DataElement {
                id: id.to_owned(),
                name: Text::new(format!("{id} vi"), format!("{id} en")),
                value_type: ValueType::Count,
                time_aggregation: TimeAggregation::Sum,
                org_unit_aggregation: OrgUnitAggregation::Sum,
                sensitive,
                categories: Vec::new(),
                description: None,
                breaks: Vec::new(),
            },
        );
    }
    for (id, name, order) in [("detection", "Phát hiện", 2), ("victim-support", "Hỗ trợ", 3), ("law", "Luật", 4)]
    {
        catalogue.work_areas.insert(id.to_owned(), WorkArea { id: id.to_owned(), name: Text::new(name, id), order });
    }
    catalogue.agencies.insert("mps".to_owned(), agency("mps", "Bộ Công an", None, None));
    catalogue.agencies.insert("court".to_owned(), agency("court", "Tòa án nhân dân tối cao", None, None));
    catalogue.agencies.insert("health".to_owned(), agency("health", "Bộ Y tế", None, None));
    catalogue
        .agencies
        .insert("molisa".to_owned(), agency("molisa", "Bộ Lao động", Some(date(2025, 2, 28)), Some("health")));
    let mut indicators = vec![
        indicator("c1", "detection", Some("mps"), "cases_detected", None),
        indicator("c6", "detection", Some("court"), "cases_tried", None),
        indicator("t4f", "detection", Some("court"), "cases_indicted", Some("cases_initiated")),
        indicator("c5", "victim-support", Some("mps"), "victims_identified", None),
        indicator("vr", "victim-support", Some("molisa"), "victims_received", None),
        indicator("p1", "victim-support", Some("molisa"), "victims_accessing_services", Some("victims_identified")),
    ];
    for i in extra {
        indicators.retain(|j| j.id != i.id);
        indicators.push(i);
    }
    let ids: Vec<String> = indicators.iter().map(|i| i.id.clone()).collect();
    for i in indicators {
        catalogue.indicators.insert(i.id.clone(), i);
    }
    for id in ["decision", "national"] {
        catalogue.sources.insert(
            id.to_owned(),
            Source {
                id: id.to_owned(),
                kind: SourceKind::Official,
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
    catalogue.plans.insert(
        "p".to_owned(),
        Plan {
            id: "p".to_owned(),
            kind: PlanKind::Programme,
            number: Some("p/QĐ".to_owned()),
            title: Text::new("Chương trình", "Programme"),
            issuer: None,
            org_unit: "vn".to_owned(),
            period: period("2021..2025"),
            adopted_on: None,
            source: "decision".to_owned(),
            implements: None,
            indicators: ids,
            targets: Vec::new(),
            baselines: Vec::new(),
            objectives: Vec::new(),
            activities: Vec::new(),
            note: None,
        },
    );
    catalogue
}

/// (element, period, value) at the country, all from the source `national`.
fn evaluation(catalogue: &Catalogue, rows: &[(&str, &str, f64)]) -> Evaluation {
    let mut store = ObservationStore::new();
    let file = store.add_file("t.csv");
    for (row, (element, period_id, value)) in rows.iter().enumerate() {
        store.push(&NewObservation {
            element,
            org_unit: "vn",
            period: period(period_id),
            disaggregation: &[],
            value: *value,
            source: "national",
            status: ObservationStatus::Final,
            note: None,
            submitted: None,
            file,
            row: u32::try_from(row).expect("few rows") + 2,
        });
    }
    let mut settings = EvaluationSettings::new(date(2026, 1, 15));
    settings.period = Some(period("2021..2025"));
    evaluate(catalogue, &store, &settings, None)
}

fn review(catalogue: &Catalogue, rows: &[(&str, &str, f64)]) -> Review {
    let input = ReviewInput {
        plan: "p".to_owned(),
        window: period("2021..2025"),
        as_of: date(2026, 1, 15),
        inputs: Vec::new(),
        generator: "tiendo test".to_owned(),
        threshold: 11,
        method: Method::Eurostat,
        kind: None,
        document: DocumentInfo::default(),
        plugin_names: Default::default(),
    };
    build_review(catalogue, &evaluation(catalogue, rows), &input).expect("builds")
}

fn year<'a>(funnel: &'a Funnel, year: &str) -> &'a [FunnelCell] {
    &funnel.years.iter().find(|y| y.period == period(year)).expect("year in the funnel").cells
}

fn values(cells: &[FunnelCell]) -> Vec<Value> {
    cells.iter().map(|c| c.value).collect()
}

fn shares(cells: &[FunnelCell]) -> Vec<Value> {
    cells.iter().map(|c| c.share).collect()
}

const CHAIN: &[(&str, &str, f64)] = &[
    ("cases_detected", "2022", 200.0),
    ("cases_initiated", "2022", 160.0),
    ("cases_indicted", "2022", 120.0),
    ("cases_tried", "2022", 100.0),
    // 2023: nothing tried is reported, and the ratio has no denominator, so neither middle stage is known.
    ("cases_detected", "2023", 150.0),
    ("cases_indicted", "2023", 90.0),
];

#[test]
fn the_justice_chain_shows_each_stage_and_its_share_of_the_first() {
    let review = review(&catalogue(Vec::new()), CHAIN);
    let cases = &review.evidence.justice_chain[0];
    assert_eq!(cases.id, "cases");
    let codes: Vec<Option<&str>> = cases.stages.iter().map(|s| s.indicator_code.as_deref()).collect();
    assert_eq!(codes, [Some("C1"), Some("T4F"), Some("T4F"), Some("C6")]);
    assert_eq!(cases.stages[1].name.en, "cases_initiated en");
    let y2022 = year(cases, "2022");
    assert_eq!(values(y2022), [200.0, 160.0, 120.0, 100.0].map(Value::Number));
    assert_eq!(shares(y2022), [100.0, 80.0, 60.0, 50.0].map(Value::Number));
    assert_eq!(y2022[0].source.as_deref(), Some("national"));
    // No suspects data: no suspects funnel.
    assert_eq!(review.evidence.justice_chain.len(), 1);
}

#[test]
fn a_stage_without_data_shows_no_data_never_zero() {
    let review = review(&catalogue(Vec::new()), CHAIN);
    let y2023 = year(&review.evidence.justice_chain[0], "2023");
    // Initiated and indicted come from a ratio without its denominator in 2023: no published part, so no data.
    assert_eq!(values(y2023), [Value::Number(150.0), Value::Missing, Value::Missing, Value::Missing]);
    assert_eq!(shares(y2023)[3], Value::Missing);
    assert!(y2023[3].source.is_none());
}

#[test]
fn a_stage_no_indicator_counts_has_no_code_and_no_data() {
    // Without T4F nothing counts the initiated and indicted cases.
    let mut catalogue = catalogue(Vec::new());
    catalogue.indicators.remove("t4f");
    let review = review(&catalogue, CHAIN);
    let cases = &review.evidence.justice_chain[0];
    assert_eq!(cases.stages[1].indicator_code, None);
    assert_eq!(
        values(year(cases, "2022")),
        [Value::Number(200.0), Value::Missing, Value::Missing, Value::Number(100.0)]
    );
}

#[test]
fn a_suppressed_victim_count_and_every_share_derived_from_it_stay_suppressed() {
    let rows = [
        ("victims_identified", "2022", 40.0),
        ("victims_received", "2022", 5.0),
        ("victims_accessing_services", "2022", 30.0),
        ("victims_identified", "2023", 4.0),
        ("victims_received", "2023", 30.0),
    ];
    let review = review(&catalogue(Vec::new()), &rows);
    let victims = review.evidence.victim_pathway.as_ref().expect("a victim pathway");
    assert_eq!(victims.stages[1].indicator_code.as_deref(), Some("VR"));
    // Accessing services is only the numerator of P1, a sensitive part: never a stage of its own.
    assert_eq!(victims.stages[3].indicator_code, None);
    let y2022 = year(victims, "2022");
    assert_eq!(values(&y2022[..4]), [Value::Number(40.0), Value::Suppressed, Value::Missing, Value::Missing]);
    assert_eq!(shares(&y2022[..2]), [Value::Number(100.0), Value::Suppressed]);
    // A suppressed first stage suppresses every share of the year.
    let y2023 = year(victims, "2023");
    assert_eq!(values(&y2023[..2]), [Value::Suppressed, Value::Number(30.0)]);
    assert_eq!(shares(&y2023[..2]), [Value::Suppressed, Value::Suppressed]);
}

#[test]
fn shares_need_two_complete_counts_and_a_first_stage_above_zero() {
    let cell = |value: Value, partial: bool| FunnelCell {
        value,
        share: Value::Missing,
        partial,
        synthetic: false,
        estimate: false,
        provisional: false,
        ..FunnelCell::missing()
    };
    let cases = [
        (cell(Value::Number(50.0), false), cell(Value::Number(20.0), false), Value::Number(40.0)),
        (cell(Value::Number(0.0), false), cell(Value::Number(0.0), false), Value::Missing),
        (cell(Value::Missing, false), cell(Value::Number(3.0), false), Value::Missing),
        (cell(Value::Number(50.0), false), cell(Value::Missing, false), Value::Missing),
        (cell(Value::Number(50.0), true), cell(Value::Number(20.0), false), Value::Missing),
        (cell(Value::Number(50.0), false), cell(Value::Number(20.0), true), Value::Missing),
        // A stage without a count has no share, even beside a suppressed first stage: nothing is hidden there.
        (cell(Value::Suppressed, false), cell(Value::Missing, false), Value::Missing),
        (cell(Value::Number(50.0), false), cell(Value::Suppressed, true), Value::Suppressed),
    ];
    for (first, stage, expected) in cases {
        assert_eq!(evidence::share(&first, &stage), expected, "{first:?} {stage:?}");
    }
    // A real first stage and a synthetic later one (or the reverse) give no share: synthetic never blends.
    let synthetic = |value: Value| FunnelCell { synthetic: true, ..cell(value, false) };
    let mixed = [
        (cell(Value::Number(77.0), false), synthetic(Value::Number(234.0)), Value::Missing),
        (synthetic(Value::Number(77.0)), cell(Value::Number(20.0), false), Value::Missing),
        (synthetic(Value::Number(50.0)), synthetic(Value::Number(20.0)), Value::Number(40.0)),
        (cell(Value::Number(50.0), false), synthetic(Value::Suppressed), Value::Suppressed),
    ];
    for (first, stage, expected) in mixed {
        assert_eq!(evidence::share(&first, &stage), expected, "{first:?} {stage:?}");
    }
}

#[test]
fn results_are_grouped_by_work_area_and_by_the_agency_responsible_on_the_last_day() {
    let review = review(&catalogue(Vec::new()), CHAIN);
    let areas: Vec<(&str, usize)> =
        review.evidence.by_work_area.iter().map(|r| (r.name.vi.as_str(), r.indicators)).collect();
    // Work-area order; the law area has nothing in the review and is left out.
    assert_eq!(areas, [("Phát hiện", 3), ("Hỗ trợ", 3)]);
    for row in &review.evidence.by_work_area {
        assert_eq!(row.statuses.values().sum::<usize>(), row.indicators);
    }
    // MOLISA ended on 28 Feb 2025: its indicators are the Ministry of Health's on the review's last day. Names in
    // Vietnamese order: Bộ Công an, Bộ Y tế, Tòa án.
    let agencies: Vec<(&str, usize)> =
        review.evidence.by_agency.iter().map(|r| (r.name.vi.as_str(), r.indicators)).collect();
    assert_eq!(agencies, [("Bộ Công an", 2), ("Bộ Y tế", 2), ("Tòa án nhân dân tối cao", 2)]);
}

#[test]
fn an_indicator_without_agency_or_work_area_is_counted_apart() {
    let review = review(&catalogue(vec![indicator("x", "nowhere", None, "cases_detected", None)]), CHAIN);
    let last = review.evidence.by_agency.last().expect("rows");
    assert_eq!((last.name.en.as_str(), last.indicators), ("Not assigned", 1));
    let last = review.evidence.by_work_area.last().expect("rows");
    assert_eq!((last.name.en.as_str(), last.indicators), ("Not assigned", 1));
}

/// The programme `n` that follows `p` (2026-2030), adopted on `adopted`, monitoring C1 and C6.
fn with_next_programme(adopted: NaiveDate) -> Catalogue {
    let mut catalogue = catalogue(Vec::new());
    let mut next = catalogue.plans["p"].clone();
    next.id = "n".to_owned();
    next.period = period("2026..2030");
    next.adopted_on = Some(adopted);
    next.indicators = vec!["c6".to_owned(), "c1".to_owned()];
    catalogue.plans.insert("n".to_owned(), next);
    catalogue
}

#[test]
fn an_end_of_term_review_hands_the_last_years_values_to_the_next_programme() {
    let mut rows = CHAIN.to_vec();
    rows.push(("cases_detected", "2025", 120.0));
    let review = review(&with_next_programme(date(2026, 1, 7)), &rows);
    let handover = review.evidence.handover.as_ref().expect("a handover");
    assert_eq!(handover.programme.id, "n");
    assert_eq!(handover.year, period("2025"));
    let shown: Vec<(&str, Option<Value>)> =
        handover.rows.iter().map(|r| (r.indicator_code.as_str(), r.value.as_ref().map(|p| p.value))).collect();
    // In code order; C6 has no 2025 value: no data, never 0.
    assert_eq!(shown, [("C1", Some(Value::Number(120.0))), ("C6", None)]);
}

#[test]
fn no_handover_to_a_programme_adopted_after_the_as_of_date() {
    let review = review(&with_next_programme(date(2026, 3, 1)), CHAIN);
    assert_eq!(review.evidence.handover, None);
}
