//! Tests of `tiendo eval` on the example project, with the catalogue built in Rust.
//!
//! The fixture mirrors the ids of the real catalogue in `indicators/` (data elements, indicators, plans, org
//! units) so that the figures and snapshots stay valid once the TOML loader is wired in.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tiendo_core::eval::synthetic;
use tiendo_core::expr::Expr;
use tiendo_core::model::*;
use tiendo_core::plugin::{MetricProvider, MetricRequest, MetricValue, PluginDescription, PluginFailure};
use tiendo_core::{PeriodType, Severity};

use super::*;

fn text(en: &str) -> Text {
    Text::new(en, en)
}

fn element(
    id: &str,
    time: TimeAggregation,
    org: OrgUnitAggregation,
    sensitive: bool,
    categories: &[&str],
) -> DataElement {
    DataElement {
        id: id.to_owned(),
        name: text(id),
        value_type: if id == "tip_tier" { ValueType::Number } else { ValueType::Count },
        time_aggregation: time,
        org_unit_aggregation: org,
        sensitive,
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        description: None,
        breaks: Vec::new(),
    }
}

fn indicator(id: &str, code: &str, measure: Measure, numerator: &str, denominator: Option<&str>) -> Indicator {
    Indicator {
        id: id.to_owned(),
        code: code.to_owned(),
        name: text(id),
        definition: None,
        group: "detection".to_owned(),
        measure,
        formula: Formula::Expression {
            numerator: Expr::parse(numerator).expect("fixture expression"),
            denominator: denominator.map(|d| Expr::parse(d).expect("fixture expression")),
        },
        direction: Direction::Increase,
        unit: None,
        decimals: 0,
        disaggregations: Vec::new(),
        agency: None,
        source: "qd-193-2021".to_owned(),
        scale: Vec::new(),
        limit: None,
        sensitive: false,
        note: None,
    }
}

fn target(indicator: &str, period: &str, comparator: Comparator, value: f64, org_unit: Option<&str>) -> Target {
    Target {
        indicator: indicator.to_owned(),
        period: Period::parse(period).expect("fixture period"),
        comparator,
        value,
        source: "qd-193-2021".to_owned(),
        org_unit: org_unit.map(str::to_owned),
        note: None,
    }
}

fn plan(id: &str, org_unit: &str, period: &str, targets: Vec<Target>) -> Plan {
    Plan {
        id: id.to_owned(),
        kind: PlanKind::Programme,
        number: None,
        title: text(id),
        issuer: None,
        org_unit: org_unit.to_owned(),
        period: Period::parse(period).expect("fixture period"),
        adopted_on: None,
        source: id.to_owned(),
        implements: None,
        indicators: targets.iter().map(|t| t.indicator.clone()).collect(),
        targets,
        baselines: Vec::new(),
        objectives: Vec::new(),
        activities: Vec::new(),
        note: None,
    }
}

/// The catalogue parts the example needs, with the real catalogue's ids.
pub(super) fn fixture_catalogue() -> Catalogue {
    let mut catalogue = Catalogue::default();
    for unit in synthetic::vietnam_org_units() {
        catalogue.org_units.insert(unit.id.clone(), unit);
    }
    for (id, options) in [("sex", ["female", "male"]), ("penal_code_article", ["art-150", "art-151"])] {
        catalogue.categories.insert(
            id.to_owned(),
            Category {
                id: id.to_owned(),
                name: text(id),
                options: options.iter().map(|o| CategoryOption { id: (*o).to_owned(), name: text(o) }).collect(),
            },
        );
    }
    let source_ids = [
        "qd-193-2021",
        "kh-1522-ubnd-quang-nam-2024",
        "press-baoquocte-2023-08-24",
        "press-lsvn-2023-07-27",
        "press-nhandan-907044",
        "synthetic-generator",
    ];
    let tip = (2018..=2025).map(|year| format!("tip-{year}"));
    for id in source_ids.iter().map(|s| (*s).to_owned()).chain(tip) {
        let kind = if id == "synthetic-generator" { SourceKind::Synthetic } else { SourceKind::Official };
        let source = Source {
            id: id.clone(),
            kind,
            number: None,
            title: text(&id),
            issuer: None,
            date: None,
            url: None,
            note: None,
            uncertain: None,
            public_note: None,
        };
        catalogue.sources.insert(id, source);
    }
    use OrgUnitAggregation as O;
    use TimeAggregation as T;
    let elements = [
        element("cases_detected", T::Sum, O::Sum, false, &["penal_code_article"]),
        element("subjects_detected", T::Sum, O::Sum, false, &["penal_code_article"]),
        element("victims_in_cases", T::Sum, O::Sum, true, &["sex"]),
        element("victims_identified", T::Sum, O::Sum, true, &["sex"]),
        element("persons_verified", T::Sum, O::Sum, true, &["sex"]),
        element("victims_supported", T::Sum, O::Sum, true, &["sex"]),
        element("cases_tried", T::Sum, O::Sum, false, &[]),
        element("defendants_tried", T::Sum, O::Sum, false, &[]),
        element("cases_initiated", T::Sum, O::Sum, false, &[]),
        element("accused_initiated", T::Sum, O::Sum, false, &[]),
        element("cases_indicted", T::Sum, O::Sum, false, &[]),
        element("defendants_indicted", T::Sum, O::Sum, false, &[]),
        element("denunciations_received", T::Sum, O::Sum, false, &[]),
        element("denunciations_resolved", T::Sum, O::Sum, false, &[]),
        element("tip_tier", T::Last, O::None, false, &[]),
    ];
    for e in elements {
        catalogue.data_elements.insert(e.id.clone(), e);
    }
    let mut identified = indicator("c5-victims-identified", "C5", Measure::Count, "victims_identified", None);
    identified.disaggregations = vec!["sex".to_owned()];
    let mut tip = indicator("tip-tier", "TIP", Measure::Ordinal, "tip_tier", None);
    tip.decimals = 0;
    // One decimal, as the real catalogue shows the resolution rate (every output shows a series with it).
    let mut resolved = indicator(
        "t2-denunciations-resolved",
        "T2",
        Measure::Percent,
        "denunciations_resolved",
        Some("denunciations_received"),
    );
    resolved.decimals = 1;
    let indicators = [
        indicator("c1-cases-detected", "C1", Measure::Count, "cases_detected", None),
        indicator("c2-subjects-detected", "C2", Measure::Count, "subjects_detected", None),
        indicator("c3-victims-in-cases", "C3", Measure::Count, "victims_in_cases", None),
        indicator("c4-defendants-tried", "C4", Measure::Count, "defendants_tried", None),
        identified,
        indicator("c6-cases-tried", "C6", Measure::Count, "cases_tried", None),
        resolved,
        tip,
    ];
    for i in indicators {
        catalogue.indicators.insert(i.id.clone(), i);
    }
    let programme_targets = (2021..=2025)
        .map(|year| target("t2-denunciations-resolved", &year.to_string(), Comparator::Greater, 90.0, None))
        .collect();
    let plans = [
        plan("qd-193-2021", "vn", "2021..2025", programme_targets),
        plan(
            "kh-1522-ubnd-quang-nam-2024",
            "quang-nam",
            "2024",
            vec![target("t2-denunciations-resolved", "2024", Comparator::Greater, 90.0, None)],
        ),
    ];
    for p in plans {
        catalogue.plans.insert(p.id.clone(), p);
    }
    let rule = ValidationRule {
        id: "denunciations-resolved-le-received".to_owned(),
        name: text("resolved <= received"),
        left: Expr::parse("denunciations_resolved").expect("fixture expression"),
        operator: RuleOperator::LessThanOrEqualTo,
        right: Expr::parse("denunciations_received").expect("fixture expression"),
        missing_value_strategy: MissingValueStrategy::SkipIfAnyValueMissing,
        severity: Severity::Warning,
        period_type: PeriodType::Year,
    };
    catalogue.validation_rules.insert(rule.id.clone(), rule);
    let data_set = DataSet {
        id: "provincial-quarterly".to_owned(),
        name: text("provincial quarterly"),
        elements: synthetic::ELEMENTS.iter().map(|e| (*e).to_owned()).collect(),
        period_type: PeriodType::Quarter,
        org_unit_level: OrgUnitLevel::Province,
        timely_days: 15,
        valid_from: None,
        valid_to: None,
        reported_by: Vec::new(),
    };
    catalogue.data_sets.insert(data_set.id.clone(), data_set);
    catalogue
}

/// The example as it was before issue 12, frozen: real national figures beside synthetic provincial data.
fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/frozen-example/examples/vietnam-2021-2025")
}

/// The synthetic example that `cargo run --example generate_synthetic` writes into.
fn synthetic_example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/synthetic-provinces")
}

fn example_inputs() -> ProjectInputs {
    ProjectInputs {
        catalogue: fixture_catalogue(),
        data_files: vec![PathBuf::from("data/national.csv"), PathBuf::from("data/provinces-synthetic.csv")],
        data_sheets: Default::default(),
        root: example_dir(),
        threshold: 11.0,
        protection: tiendo_core::disclosure::DEFAULT_PROTECTION,
        suppress_zeros: false,
        method: None,
        coverage: tiendo_core::eval::CoveragePolicy::default(),
    }
}

fn settings(format: EvalFormat, org_units: &[&str], period: Option<&str>) -> EvalSettings {
    EvalSettings {
        project: example_dir(),
        plan: None,
        period: period.map(str::to_owned),
        org_units: org_units.iter().map(|u| (*u).to_owned()).collect(),
        format,
        as_of: NaiveDate::from_ymd_opt(2026, 1, 15).expect("valid date"),
        show_suppressed: false,
        method: None,
    }
}

/// Runs the command and returns (stdout, stderr, exit code).
fn run_example(settings: &EvalSettings, inputs: ProjectInputs) -> (String, String, ExitCode) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = run(settings, |_| Ok(inputs), None, &mut out, &mut err).expect("eval runs");
    (String::from_utf8(out).expect("utf-8"), String::from_utf8(err).expect("utf-8"), code)
}

fn evaluation_json(org_units: &[&str]) -> serde_json::Value {
    let (out, err, code) = run_example(&settings(EvalFormat::Json, org_units, None), example_inputs());
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    serde_json::from_str(&out).expect("valid JSON")
}

/// The value and change of `indicator` at `org_unit` in `period`.
fn point(json: &serde_json::Value, indicator: &str, org_unit: &str, period: &str) -> Option<serde_json::Value> {
    json["indicators"].as_array()?.iter().find(|r| r["indicator"] == indicator && r["org_unit"] == org_unit)?["series"]
        .as_array()?
        .iter()
        .find(|p| p["period"] == period)
        .cloned()
}

fn value(json: &serde_json::Value, indicator: &str, org_unit: &str, period: &str) -> Option<f64> {
    point(json, indicator, org_unit, period)?["value"].as_f64()
}

fn change(json: &serde_json::Value, indicator: &str, org_unit: &str, period: &str) -> Option<f64> {
    point(json, indicator, org_unit, period)?["change"]["absolute"].as_f64()
}

#[test]
fn reproduces_the_national_figures_and_year_on_year_changes() {
    let json = evaluation_json(&["vn"]);
    let (c1, c2, c3) = ("c1-cases-detected", "c2-subjects-detected", "c3-victims-in-cases");
    // (indicator, period, value, change on the same period last year)
    let cases: [(&str, &str, f64, Option<f64>); 19] = [
        (c1, "2021", 77.0, None),
        (c2, "2021", 149.0, None),
        (c3, "2021", 150.0, None),
        (c1, "2022", 90.0, Some(13.0)),
        (c2, "2022", 247.0, Some(98.0)),
        (c3, "2022", 222.0, Some(72.0)),
        ("c6-cases-tried", "2022", 58.0, None),
        ("c4-defendants-tried", "2022", 128.0, None),
        (c1, "2022Q1", 24.0, None),
        (c2, "2022Q1", 46.0, None),
        (c1, "2023Q1", 56.0, Some(32.0)),
        (c2, "2023Q1", 150.0, Some(104.0)),
        (c3, "2023Q1", 118.0, None),
        ("c6-cases-tried", "2023Q1", 15.0, None),
        ("c4-defendants-tried", "2023Q1", 31.0, None),
        (c1, "2023S1", 88.0, Some(55.0)),
        (c2, "2023S1", 229.0, Some(154.0)),
        (c1, "2024", 163.0, None),
        (c3, "2024", 500.0, None),
    ];
    for (indicator, period, expected, expected_change) in cases {
        assert_eq!(value(&json, indicator, "vn", period), Some(expected), "{indicator} {period}");
        assert_eq!(change(&json, indicator, "vn", period), expected_change, "{indicator} {period} change");
    }
    assert_eq!(value(&json, c1, "vn", "2022S1"), Some(33.0));
    assert_eq!(value(&json, c2, "vn", "2022S1"), Some(75.0));
    assert_eq!(value(&json, c2, "vn", "2024"), Some(455.0));
    assert_eq!(value(&json, c3, "vn", "2023S1"), Some(224.0));
    // Q1 2023: 93 denunciations received and resolved, so T2 = 100 %, over the 90 % target.
    assert_eq!(value(&json, "t2-denunciations-resolved", "vn", "2023Q1"), Some(100.0));
    // The TIP tier by report year: Tier 3 (1) in 2022, Tier 2 (3) in 2024.
    assert_eq!(value(&json, "tip-tier", "vn", "2022"), Some(1.0));
    assert_eq!(value(&json, "tip-tier", "vn", "2024"), Some(3.0));
    // Victims identified by sex (TIP): 114 women and 12 men in 2021, 102 and 153 in 2022.
    let identified =
        json["indicators"].as_array().unwrap().iter().find(|r| r["indicator"] == "c5-victims-identified").unwrap();
    let by_sex = |option: &str, period: &str| {
        identified["breakdowns"].as_array().unwrap().iter().find(|b| b["option"] == option).unwrap()["series"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["period"] == period)
            .map(|p| p["value"].as_f64())
    };
    assert_eq!(by_sex("female", "2021"), Some(Some(114.0)));
    assert_eq!(by_sex("male", "2021"), Some(Some(12.0)));
    assert_eq!(by_sex("male", "2022"), Some(Some(153.0)));
    // Victims identified: the explicit total wins over the sex breakdown (TIP: 126 = 114 + 12).
    assert_eq!(value(&json, "c5-victims-identified", "vn", "2021"), Some(126.0));
    // No full-year 2023 national figure was published: the year stays missing instead of being patched with
    // synthetic province sums or a half-year.
    assert_eq!(point(&json, c1, "vn", "2023"), None);
    assert_eq!(point(&json, c1, "vn", "2022Q2"), None);
    // 2025 has no national report, so the country figure is the sum of the (synthetic) provinces, labelled.
    let national_2025 = point(&json, c1, "vn", "2025").expect("2025 from provinces");
    assert_eq!(national_2025["sources"], serde_json::json!(["synthetic-generator"]));
}

#[test]
fn old_province_data_rolls_up_into_its_successor() {
    let json = evaluation_json(&["quang-nam", "da-nang", "da-nang-2025", "ha-noi", "ha-noi-2025", "vn"]);
    let c1 = "c1-cases-detected";
    let quang_nam = value(&json, c1, "quang-nam", "2024").expect("Quảng Nam 2024");
    let da_nang = value(&json, c1, "da-nang", "2024").expect("old Đà Nẵng 2024");
    assert_eq!(value(&json, c1, "da-nang-2025", "2024"), Some(quang_nam + da_nang));
    assert_eq!(value(&json, c1, "ha-noi-2025", "2023"), value(&json, c1, "ha-noi", "2023"));
    // 2025: the old units' first half plus the new unit's second half.
    let first_half =
        value(&json, c1, "quang-nam", "2025S1").expect("QN S1") + value(&json, c1, "da-nang", "2025S1").expect("DN S1");
    let second_half = value(&json, c1, "da-nang-2025", "2025S2").expect("new Đà Nẵng S2");
    assert_eq!(value(&json, c1, "da-nang-2025", "2025"), Some(first_half + second_half));
    assert_eq!(point(&json, c1, "quang-nam", "2025"), None, "Quảng Nam did not exist for all of 2025");
    // Percentages of a merged province are ratios of summed parts, never averages of percentages.
    let t2 = "t2-denunciations-resolved";
    let merged = point(&json, t2, "da-nang-2025", "2024").expect("T2 of the new Đà Nẵng");
    let parts = [point(&json, t2, "quang-nam", "2024").unwrap(), point(&json, t2, "da-nang", "2024").unwrap()];
    let numerator: f64 = parts.iter().map(|p| p["numerator"].as_f64().unwrap()).sum();
    let denominator: f64 = parts.iter().map(|p| p["denominator"].as_f64().unwrap()).sum();
    assert_eq!(merged["numerator"].as_f64(), Some(numerator));
    assert_eq!(merged["denominator"].as_f64(), Some(denominator));
    let merged_value = merged["value"].as_f64().unwrap();
    assert!((merged_value - numerator / denominator * 100.0).abs() < 1e-9, "{merged_value}");
    let average = parts.iter().map(|p| p["value"].as_f64().unwrap()).sum::<f64>() / 2.0;
    assert_ne!(merged_value, average, "the synthetic parts differ, so averaging would give another figure");
}

#[test]
fn no_total_reveals_a_suppressed_count() {
    let mut units: Vec<&str> = synthetic::PROVINCES_BEFORE_2025_07
        .iter()
        .map(|p| p.3)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    units.push("vn");
    let json = evaluation_json(&units);
    let c3 = "c3-victims-in-cases";
    let state =
        |unit: &str, period: &str| point(&json, c3, unit, period).map(|p| p["state"].as_str().unwrap().to_owned());
    let mut primary = 0;
    for year in 2021..=2025 {
        let year_id = year.to_string();
        let mut periods = vec![year_id.clone()];
        periods.extend((1..=4).map(|q| format!("{year}Q{q}")));
        periods.extend((1..=2).map(|h| format!("{year}S{h}")));
        for period in &periods {
            // Across provinces: the country total (from the provinces in 2025) and its 34 parts.
            let group: Vec<String> = units.iter().filter_map(|u| state(u, period)).collect();
            let suppressed = group.iter().filter(|s| *s != "value").count();
            primary += group.iter().filter(|s| *s == "suppressed").count();
            if year == 2025 {
                assert_ne!(suppressed, 1, "{period}: one suppressed cell among the country and its provinces");
            }
        }
        // Within a province: the year and its quarters.
        for unit in &units {
            let group: Vec<String> = periods[..5].iter().filter_map(|p| state(unit, p)).collect();
            if group.len() == 5 {
                assert_ne!(group.iter().filter(|s| *s != "value").count(), 1, "{unit} {year}: {}", json["disclosure"]);
            }
        }
    }
    assert!(primary > 0, "the synthetic data has small victim counts to suppress");
    // Suppressed points carry no value; zero stays a value; missing periods are absent.
    for result in json["indicators"].as_array().unwrap() {
        for p in result["series"].as_array().unwrap() {
            if p["state"] != "value" {
                assert!(p["value"].is_null() && p.get("change").is_none(), "{p}");
            }
        }
    }
    // The explicit flag shows them, still marked.
    let mut shown = settings(EvalFormat::Json, &["quang-nam"], None);
    shown.show_suppressed = true;
    let (out, _, _) = run_example(&shown, example_inputs());
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let any_shown = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["series"].as_array().unwrap().iter())
        .any(|p| p["state"] != "value" && p["value"].is_number());
    assert!(any_shown);
}

#[test]
fn snapshot_of_national_json() {
    let (out, err, code) = run_example(&settings(EvalFormat::Json, &["vn"], None), example_inputs());
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    insta::assert_snapshot!("eval_national_json", out);
}

#[test]
fn snapshot_of_merged_province_table() {
    let (out, err, code) = run_example(
        &settings(EvalFormat::Table, &["quang-nam", "da-nang", "da-nang-2025"], Some("2024..2025")),
        example_inputs(),
    );
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    insta::assert_snapshot!("eval_da_nang_table", out);
}

#[test]
fn snapshot_of_national_csv() {
    let (out, err, code) = run_example(&settings(EvalFormat::Csv, &["vn"], Some("2021..2024")), example_inputs());
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    insta::assert_snapshot!("eval_national_csv", out);
}

#[test]
fn a_bad_row_is_reported_with_file_row_and_column() {
    let dir = std::env::temp_dir().join(format!("tiendo-eval-bad-row-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let csv = "\u{feff}data_element,org_unit,period,value,source,status,note\r\n\
               cases_detected,vn,2022,90,press-baoquocte-2023-08-24,final,Việt Nam\r\n\
               cases_detected,vn,2023,nhiều,press-baoquocte-2023-08-24,final,\r\n\
               cases_detectd,quang-nm,2023Q5,-1,press-baoquocte-2023-08-24,final,\r\n\
               cases_detected,vn,2022,91,press-baoquocte-2023-08-24,final,duplicate\r\n";
    std::fs::write(dir.join("data/bad.csv"), csv).unwrap();
    let mut inputs = example_inputs();
    inputs.root = dir.clone();
    inputs.data_files = vec![PathBuf::from("data/bad.csv")];
    let (out, err, code) = run_example(&settings(EvalFormat::Json, &["vn"], None), inputs);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, ExitCode::from(1));
    insta::assert_snapshot!("eval_bad_rows_stderr", err);
    // The good row is still evaluated, and the duplicate does not replace it.
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value(&json, "c1-cases-detected", "vn", "2022"), Some(90.0));
}

#[test]
fn an_unreadable_data_file_is_a_tool_failure() {
    let mut inputs = example_inputs();
    inputs.data_files = vec![PathBuf::from("data/does-not-exist.csv")];
    let mut out = Vec::new();
    let mut err = Vec::new();
    let result = run(&settings(EvalFormat::Json, &["vn"], None), |_| Ok(inputs), None, &mut out, &mut err);
    assert!(result.is_err());
}

#[test]
fn the_synthetic_file_is_what_the_generator_makes() {
    let committed =
        std::fs::read(synthetic_example_dir().join("data/provinces-synthetic.csv")).expect("generated file exists");
    assert!(
        committed == tiendo_load::observations::example_synthetic_csv(),
        "run `cargo run --example generate_synthetic`"
    );
}

struct FakeProvider;

impl MetricProvider for FakeProvider {
    fn describe(&self, plugin: &str) -> Result<PluginDescription, PluginFailure> {
        Ok(PluginDescription {
            id: plugin.to_owned(),
            version: "1.0.0".to_owned(),
            description: String::new(),
            inputs: vec!["cases_tried".to_owned(), "cases_detected".to_owned()],
            metrics: vec!["trial-rate".to_owned()],
            // Cases tried in a year include cases detected in earlier years: the rate may pass 100 (2021: 304 %),
            // which the plugin's reviewed sidecar declares.
            ranges: [("trial-rate".to_owned(), tiendo_core::plugin::ValueRange { min: Some(0.0), max: None })].into(),
        })
    }

    fn compute(&self, request: &MetricRequest) -> Result<Vec<MetricValue>, PluginFailure> {
        if request.plugin == "broken" {
            return Err(PluginFailure {
                plugin: "broken".to_owned(),
                kind: "fuel-exhausted".to_owned(),
                message: "ran out of fuel".to_owned(),
            });
        }
        let get = |name: &str| request.inputs.iter().find(|i| i.name == name).and_then(|i| i.value);
        let value = match (get("cases_tried"), get("cases_detected")) {
            (Some(tried), Some(detected)) if detected > 0.0 => Some(tried / detected * 100.0),
            _ => None,
        };
        Ok(vec![MetricValue { name: "trial-rate".to_owned(), value, unit: None, note: None }])
    }
}

#[test]
fn a_failing_plugin_fails_only_its_indicators() {
    let mut inputs = example_inputs();
    for (id, plugin) in [("x-trial-rate", "good"), ("x-broken", "broken")] {
        let mut i = indicator(id, id, Measure::Percent, "cases_tried", None);
        i.formula = Formula::Plugin(PluginMetricRef {
            plugin: plugin.to_owned(),
            metric: "trial-rate".to_owned(),
            params: BTreeMap::new(),
        });
        inputs.catalogue.indicators.insert(id.to_owned(), i);
    }
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = run(&settings(EvalFormat::Json, &["vn"], None), |_| Ok(inputs), Some(&FakeProvider), &mut out, &mut err)
        .expect("eval runs");
    // A plugin failure is a finding: the output is written whole, with the failures shown, and the exit is 1.
    assert_eq!(code, ExitCode::from(1));
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    // 2022: 58 tried of 90 detected.
    let rate = value(&json, "x-trial-rate", "vn", "2022").expect("plugin value");
    assert!((rate - 58.0 / 90.0 * 100.0).abs() < 1e-9);
    let broken = json["indicators"].as_array().unwrap().iter().find(|r| r["indicator"] == "x-broken").unwrap();
    // Each point fails with the sandbox's cause until the plugin is given up for the run, then as `not-run`.
    let kinds: Vec<&str> =
        broken["failed_points"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "fuel-exhausted").count(), tiendo_core::eval::SANDBOX_FAILURE_LIMIT);
    assert!(kinds.iter().all(|k| *k == "fuel-exhausted" || *k == "not-run"), "{kinds:?}");
    assert_eq!(json["plugin_failures"][0]["kind"], "fuel-exhausted");
    let others: Vec<String> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("failed_points").is_some() && r["indicator"] != "x-broken")
        .map(|r| format!("{} {}", r["indicator"], r["failed_points"]))
        .collect();
    assert!(others.is_empty(), "{others:?}");
    assert_eq!(value(&json, "c1-cases-detected", "vn", "2022"), Some(90.0));
}

#[test]
fn the_synthetic_plugin_inputs_are_what_the_generator_makes() {
    let committed =
        std::fs::read(synthetic_example_dir().join("data/plugin-inputs-synthetic.csv")).expect("generated file exists");
    assert!(
        committed == tiendo_load::observations::example_plugin_inputs_csv(),
        "run `cargo run --example generate_synthetic`"
    );
}
