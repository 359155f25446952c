//! Property and case tests of the roll-ups a reviewer signs: a parent's year is never less than a part of it, shares
//! from matched parts stay within 0-100 %, a unit that reports nothing changes coverage only, and splits.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::test_support::{data_element, indicator, unit};
use super::*;
use crate::model::{DataSet, Text};

/// vn with old provinces a and b (merged into ab on 1 July 2025) and c; "cases", "received" and "resolved" sum over
/// time and org units; "cases" (count) and "resolution" (resolved / received, percent).
fn catalogue() -> Catalogue {
    let mut catalogue = Catalogue::default();
    for u in [
        unit("vn", OrgUnitLevel::Country, None, None),
        unit("a", OrgUnitLevel::Province, Some("vn"), Some("ab")),
        unit("b", OrgUnitLevel::Province, Some("vn"), Some("ab")),
        unit("ab", OrgUnitLevel::Province, Some("vn"), None),
        unit("c", OrgUnitLevel::Province, Some("vn"), None),
    ] {
        catalogue.org_units.insert(u.id.clone(), u);
    }
    for id in ["cases", "received", "resolved"] {
        catalogue.data_elements.insert(id.to_owned(), data_element(id, false, &[]));
    }
    for (id, measure, numerator, denominator) in
        [("cases", Measure::Count, "cases", None), ("resolution", Measure::Percent, "resolved", Some("received"))]
    {
        catalogue.indicators.insert(id.to_owned(), indicator(id, measure, numerator, denominator));
    }
    catalogue
}

/// (element, org unit, period, value)
type Row = (&'static str, String, String, f64);

fn store(rows: &[Row]) -> ObservationStore {
    let rows: Vec<Obs> = rows.iter().map(|(e, u, p, v)| (*e, u.as_str(), p.as_str(), &[][..], *v, "s")).collect();
    store_of(&rows)
}

/// (element, org unit, period, disaggregation, value, source)
type Obs<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str)], f64, &'a str);

fn store_of(rows: &[Obs]) -> ObservationStore {
    let mut store = ObservationStore::new();
    let file = store.add_file("t.csv");
    for (row, &(element, org_unit, period, disaggregation, value, source)) in rows.iter().enumerate() {
        store.push(&NewObservation {
            element,
            org_unit,
            period: Period::parse(period).expect("test period"),
            disaggregation,
            value,
            source,
            status: ObservationStatus::Final,
            note: None,
            submitted: None,
            file,
            row: row as u32 + 2,
        });
    }
    store
}

fn settings() -> EvaluationSettings {
    EvaluationSettings::new(NaiveDate::from_ymd_opt(2026, 1, 15).expect("valid date"))
}

fn point<'e>(evaluation: &'e Evaluation, indicator: &str, unit: &str, period: &str) -> Option<&'e Point> {
    let result = evaluation.indicators.iter().find(|r| r.indicator == indicator && r.org_unit == unit)?;
    result.series.iter().find(|p| p.period.to_string() == period)
}

/// Quarterly rows of 2023 for provinces a, b and c: `present[i]` says whether unit i / 3 reported quarter i % 3 + 1
/// (the fourth quarter of each unit is decided by `q4`), with counts from `values`.
fn quarterly(present: &[bool], values: &[u16], received_extra: &[u16]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (u, unit) in ["a", "b", "c"].into_iter().enumerate() {
        for q in 0..4 {
            let i = u * 4 + q;
            if !present[i] {
                continue;
            }
            let period = format!("2023Q{}", q + 1);
            let resolved = f64::from(values[i]);
            rows.push(("cases", unit.to_owned(), period.clone(), resolved));
            // A unit-quarter reports resolved, received or both, with resolved <= received when both.
            match values[i] % 5 {
                0 => rows.push(("resolved", unit.to_owned(), period, resolved)),
                1 => rows.push(("received", unit.to_owned(), period, resolved + f64::from(received_extra[i]))),
                _ => {
                    rows.push(("resolved", unit.to_owned(), period.clone(), resolved));
                    rows.push(("received", unit.to_owned(), period, resolved + f64::from(received_extra[i])));
                }
            }
        }
    }
    rows
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A parent's year of a sum element is never less than a part of it, whatever quarters are missing.
    #[test]
    fn a_parents_year_is_never_less_than_a_part_of_it(
        present in proptest::collection::vec(any::<bool>(), 12),
        values in proptest::collection::vec(0u16..500, 12),
    ) {
        let rows = quarterly(&present, &values, &[0; 12]);
        let evaluation = evaluate(&catalogue(), &store(&rows), &settings(), None);
        let year = point(&evaluation, "cases", "vn", "2023").and_then(|p| p.value);
        for part in ["2023S1", "2023S2", "2023Q1", "2023Q2", "2023Q3", "2023Q4"] {
            if let Some(part_value) = point(&evaluation, "cases", "vn", part).and_then(|p| p.value) {
                prop_assert!(year.is_some_and(|y| y >= part_value), "{part}: {part_value} > {year:?}");
            }
        }
    }

    /// Shares from matched parts stay within 0-100 % at every unit and period, even when units report one part only.
    #[test]
    fn shares_from_matched_parts_stay_within_0_and_100(
        present in proptest::collection::vec(any::<bool>(), 12),
        values in proptest::collection::vec(0u16..500, 12),
        extra in proptest::collection::vec(0u16..50, 12),
    ) {
        let rows = quarterly(&present, &values, &extra);
        let evaluation = evaluate(&catalogue(), &store(&rows), &settings(), None);
        for result in evaluation.indicators.iter().filter(|r| r.indicator == "resolution") {
            for p in &result.series {
                if let Some(v) = p.value {
                    prop_assert!((0.0..=100.0).contains(&v), "{} {}: {v}", result.org_unit, p.period);
                }
            }
        }
    }

    /// Adding a unit that reports nothing (but that a data set expects) never changes a value, only coverage.
    #[test]
    fn a_unit_that_reports_nothing_changes_coverage_only(
        present in proptest::collection::vec(any::<bool>(), 12),
        values in proptest::collection::vec(1u16..500, 12),
    ) {
        let rows = quarterly(&present, &values, &[3; 12]);
        let before = evaluate(&catalogue(), &store(&rows), &settings(), None);
        let mut bigger = catalogue();
        let silent = unit("d", OrgUnitLevel::Province, Some("vn"), None);
        bigger.org_units.insert(silent.id.clone(), silent);
        bigger.data_sets.insert("ds".to_owned(), DataSet {
            id: "ds".to_owned(),
            name: Text::new("ds", "ds"),
            elements: vec!["cases".to_owned(), "received".to_owned(), "resolved".to_owned()],
            period_type: crate::period::PeriodType::Quarter,
            org_unit_level: OrgUnitLevel::Province,
            timely_days: 15,
            valid_from: None,
            valid_to: None,
            reported_by: Vec::new(),
        });
        let after = evaluate(&bigger, &store(&rows), &settings(), None);
        for result in &before.indicators {
            let other = after.indicators.iter().find(|r| r.indicator == result.indicator && r.org_unit == result.org_unit);
            let other = other.expect("the same results");
            let values = |r: &IndicatorResult| r.series.iter().map(|p| (p.period, p.value)).collect::<Vec<_>>();
            prop_assert_eq!(values(result), values(other));
            if result.org_unit == "vn" {
                for p in other.series.iter().filter(|p| p.value.is_some()) {
                    let coverage = p.coverage.as_ref().expect("a sum of provinces has coverage");
                    prop_assert!(coverage.missing.contains(&"d".to_owned()) && !coverage.complete);
                }
            }
        }
    }
}

#[test]
fn a_split_unit_rolls_up_once_and_its_successors_are_not_comparable_before() {
    let mut catalogue = catalogue();
    let mut x = unit("x", OrgUnitLevel::Province, Some("vn"), Some("y"));
    x.successors = vec!["y".to_owned(), "z".to_owned()];
    for u in
        [x, unit("y", OrgUnitLevel::Province, Some("vn"), None), unit("z", OrgUnitLevel::Province, Some("vn"), None)]
    {
        catalogue.org_units.insert(u.id.clone(), u);
    }
    let rows: Vec<Row> = vec![
        ("cases", "x".to_owned(), "2024".to_owned(), 10.0),
        ("cases", "y".to_owned(), "2025S2".to_owned(), 4.0),
        ("cases", "z".to_owned(), "2025S2".to_owned(), 5.0),
    ];
    let evaluation = evaluate(&catalogue, &store(&rows), &settings(), None);
    // The split unit's 2024 counts once for the country, and for neither successor.
    assert_eq!(point(&evaluation, "cases", "vn", "2024").and_then(|p| p.value), Some(10.0));
    assert_eq!(point(&evaluation, "cases", "y", "2024"), None);
    assert_eq!(point(&evaluation, "cases", "z", "2024"), None);
    assert_eq!(point(&evaluation, "cases", "vn", "2025S2").and_then(|p| p.value), Some(9.0));
    let y = evaluation.indicators.iter().find(|r| r.indicator == "cases" && r.org_unit == "y").expect("y's result");
    assert_eq!(y.split_from, ["x"]);
    assert_eq!(y.comparable_from, NaiveDate::from_ymd_opt(2025, 7, 1));
}

#[test]
fn synthetic_values_never_blend_with_real_ones_nor_decide_a_status() {
    let mut catalogue = catalogue();
    for (id, kind) in [("s", crate::model::SourceKind::Official), ("gen", crate::model::SourceKind::Synthetic)] {
        let source = crate::model::Source {
            id: id.to_owned(),
            kind,
            number: None,
            title: Text::new(id, id),
            issuer: None,
            date: None,
            url: None,
            note: None,
            uncertain: None,
            public_note: None,
        };
        catalogue.sources.insert(id.to_owned(), source);
    }
    catalogue.plans.insert(
        "p".to_owned(),
        crate::model::Plan {
            id: "p".to_owned(),
            kind: crate::model::PlanKind::Programme,
            number: None,
            title: Text::new("p", "p"),
            issuer: None,
            org_unit: "c".to_owned(),
            period: Period::parse("2021..2025").expect("valid period"),
            adopted_on: None,
            source: "s".to_owned(),
            implements: None,
            indicators: vec!["cases".to_owned()],
            targets: vec![crate::model::Target {
                indicator: "cases".to_owned(),
                period: Period::parse("2024").expect("valid period"),
                comparator: Comparator::GreaterOrEqual,
                value: 1.0,
                source: "s".to_owned(),
                org_unit: None,
                note: None,
            }],
            baselines: Vec::new(),
            objectives: Vec::new(),
            activities: Vec::new(),
            note: None,
        },
    );
    let store = store_of(&[
        ("cases", "a", "2023", &[], 5.0, "s"),
        ("cases", "c", "2023", &[], 7.0, "gen"),
        ("cases", "c", "2024", &[], 9.0, "gen"),
    ]);
    let evaluation = evaluate(&catalogue, &store, &settings(), None);
    // The national 2023 would add a real 5 to a synthetic 7: refused, and said so.
    assert_eq!(point(&evaluation, "cases", "vn", "2023"), None);
    assert!(evaluation.diagnostics.iter().any(|d| d.code == "W333" && d.message.contains("cases at vn: 2023")));
    // Each province keeps its own value, the synthetic one marked; the national 2024 is wholly synthetic.
    assert_eq!(point(&evaluation, "cases", "a", "2023").map(|p| (p.value, p.synthetic)), Some((Some(5.0), false)));
    assert_eq!(point(&evaluation, "cases", "c", "2023").map(|p| (p.value, p.synthetic)), Some((Some(7.0), true)));
    assert_eq!(point(&evaluation, "cases", "vn", "2024").map(|p| p.synthetic), Some(true));
    // Province c's target would be met by a synthetic 9: no status rests on it.
    let c = evaluation.indicators.iter().find(|r| r.indicator == "cases" && r.org_unit == "c").expect("c's result");
    assert_eq!(c.status, Status::InsufficientData);
    assert!(c.targets[0].met.is_none(), "{:?}", c.targets[0]);
    assert!(evaluation.any_synthetic && !evaluation.wholly_synthetic);
}

#[test]
fn a_filtered_reference_whose_row_and_breakdown_disagree_is_warned_about() {
    let mut catalogue = catalogue();
    for (id, options) in [("sex", ["female", "male"]), ("age", ["child", "adult"])] {
        let category = crate::model::Category {
            id: id.to_owned(),
            name: Text::new(id, id),
            options: options
                .iter()
                .map(|o| crate::model::CategoryOption { id: (*o).to_owned(), name: Text::new(*o, *o) })
                .collect(),
        };
        catalogue.categories.insert(id.to_owned(), category);
    }
    catalogue.data_elements.insert("victims".to_owned(), data_element("victims", false, &["sex", "age"]));
    catalogue.indicators.insert("women".to_owned(), indicator("women", Measure::Count, "victims[sex=female]", None));
    let store = store_of(&[
        ("victims", "a", "2023", &[("sex", "female")], 40.0, "s"),
        ("victims", "a", "2023", &[("sex", "female"), ("age", "child")], 15.0, "s"),
        ("victims", "a", "2023", &[("sex", "female"), ("age", "adult")], 20.0, "s"),
    ]);
    let evaluation = evaluate(&catalogue, &store, &settings(), None);
    // The explicit row for women wins (40), and its disagreement with the age breakdown (35) is named.
    assert_eq!(point(&evaluation, "women", "a", "2023").and_then(|p| p.value), Some(40.0));
    let warning = evaluation.diagnostics.iter().find(|d| d.code == "W331").expect("W331");
    assert!(
        warning.message.contains(
            "victims[sex=female] at a in 2023: the victims[sex=female] row gives 40, the breakdown by age gives 35"
        ),
        "{}",
        warning.message
    );
}
