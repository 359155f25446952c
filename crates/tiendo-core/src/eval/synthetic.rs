//! The deterministic generator of synthetic observations, used by the example project (63 provinces,
//! quarterly, 2021-2025) and by the benchmark (any number of observations).
//!
//! Every value is a pure function of (seed, org unit, data element, period): a SplitMix64 hash of those four
//! gives the random numbers, so the output does not depend on generation order and the same seed always
//! gives byte-identical files. The numbers are NOT real: every row carries the source id
//! [`SYNTHETIC_SOURCE`] and the note [`SYNTHETIC_NOTE`].
//!
//! Per org unit u, the generator draws a level λ_u between 0.2 and 3.2 cases a quarter, and per quarter:
//!
//! - `cases_detected` c = round(λ_u · (0.5 + r1)), r1 uniform in [0, 1)
//! - `subjects_detected` = c + round(c · 1.5 · r2)
//! - `victims_in_cases` = c + round(c · 2 · r3)                      (sensitive)
//! - `cases_tried` = round(c · (0.4 + 0.4 · r4))
//! - `defendants_tried` = tried + round(tried · r5)
//! - `denunciations_received` d = c + round(2 · λ_u · r6)
//! - `denunciations_resolved` = round(d · (0.85 + 0.15 · r7)), except in about 2 % of cells where it is
//!   d + 1: a deliberate inconsistency so that the validation rule "resolved <= received" has something to find.

use chrono::NaiveDate;

use crate::model::{OrgUnit, OrgUnitLevel, Text};
use crate::period::{Period, PeriodType};

/// The seed of the example project's synthetic data.
pub const EXAMPLE_SEED: u64 = 2021;

/// Source id that labels every synthetic row.
pub const SYNTHETIC_SOURCE: &str = "synthetic-generator";

/// Note carried by every synthetic row.
pub const SYNTHETIC_NOTE: &str = "synthetic: generated, not real data";

/// The data elements the generator produces, in output order.
pub const ELEMENTS: [&str; 7] = [
    "cases_detected",
    "subjects_detected",
    "victims_in_cases",
    "cases_tried",
    "defendants_tried",
    "denunciations_received",
    "denunciations_resolved",
];

/// SplitMix64: a tiny, well-mixed, deterministic generator (Steele, Lea and Flood 2014).
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn hash_text(seed: u64, text: &str) -> u64 {
    text.bytes().fold(splitmix(seed), |h, b| splitmix(h ^ u64::from(b)))
}

/// A uniform number in [0, 1) from a hash.
fn unit_interval(hash: u64) -> f64 {
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

/// The seven values of one org unit and period, in [`ELEMENTS`] order.
pub fn values_for(seed: u64, org_unit: &str, period: Period) -> [f64; 7] {
    let unit_hash = hash_text(seed, org_unit);
    let level = 0.2 + 3.0 * unit_interval(unit_hash);
    let period_hash = hash_text(unit_hash, &period.to_string());
    let r = |i: u64| unit_interval(splitmix(period_hash ^ i.wrapping_mul(0x2545_f491_4f6c_dd1d)));
    let cases = (level * (0.5 + r(1))).round();
    let subjects = cases + (cases * 1.5 * r(2)).round();
    let victims = cases + (cases * 2.0 * r(3)).round();
    let tried = (cases * (0.4 + 0.4 * r(4))).round();
    let defendants = tried + (tried * r(5)).round();
    let received = cases + (2.0 * level * r(6)).round();
    let resolved = if r(8) < 0.02 { received + 1.0 } else { (received * (0.85 + 0.15 * r(7))).round() };
    [cases, subjects, victims, tried, defendants, received, resolved]
}

/// The day a synthetic org unit submitted its report for `period`: 0 to 40 days after the period's end, most of them
/// early in that range (the delay is 40 x r^2 days for a uniform r), so that with 15 days allowed about 60 % of the
/// quarterly reports are on time.
pub fn submission_date(seed: u64, org_unit: &str, period: Period) -> chrono::NaiveDate {
    let hash = hash_text(hash_text(seed ^ 0x5eed_da7e, org_unit), &period.to_string());
    let delay = (40.0 * unit_interval(splitmix(hash)).powi(2)).round() as u64;
    period.end().checked_add_days(chrono::Days::new(delay)).unwrap_or(period.end())
}

/// One synthetic observation.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticRow<'a> {
    pub element: &'static str,
    pub org_unit: &'a str,
    pub period: Period,
    pub value: f64,
}

/// Calls `emit` for every element of every quarter in `years` during which each org unit is valid
/// (a unit valid for only part of a quarter does not report it). Output order: unit, quarter, element.
pub fn generate<'a>(
    seed: u64,
    org_units: &'a [OrgUnit],
    years: std::ops::RangeInclusive<i32>,
    period_type: PeriodType,
    mut emit: impl FnMut(SyntheticRow<'a>),
) {
    let periods: Vec<Period> = years.flat_map(|y| Period::Year(y).subdivide(period_type)).collect();
    for unit in org_units {
        for period in &periods {
            if !valid_throughout(unit, *period) {
                continue;
            }
            let values = values_for(seed, &unit.id, *period);
            for (element, value) in ELEMENTS.iter().zip(values) {
                emit(SyntheticRow { element, org_unit: &unit.id, period: *period, value });
            }
        }
    }
}

/// Whether `unit` exists for the whole of `period`: a unit valid for only part of a period does not report it.
fn valid_throughout(unit: &OrgUnit, period: Period) -> bool {
    unit.valid_from.is_none_or(|from| from <= period.start()) && unit.valid_to.is_none_or(|to| period.end() <= to)
}

/// (id, Vietnamese name, English name, successor id) for the 63 provinces and cities valid until 30 June 2025,
/// from NA Resolution 202/2025/QH15 (cited in `indicators/sources.toml`). Ids are ASCII slugs of the names, as in the
/// catalogue's `indicators/org-units/`; every one of the 34 units from 1 July 2025 has the suffix `-2025`, the
/// 11 unchanged ones included (Thừa Thiên Huế became Huế), so old and new records never share an id.
pub const PROVINCES_BEFORE_2025_07: [(&str, &str, &str, &str); 63] = [
    ("ha-noi", "Hà Nội", "Ha Noi", "ha-noi-2025"),
    ("thua-thien-hue", "Thừa Thiên Huế", "Thua Thien Hue", "hue-2025"),
    ("lai-chau", "Lai Châu", "Lai Chau", "lai-chau-2025"),
    ("dien-bien", "Điện Biên", "Dien Bien", "dien-bien-2025"),
    ("son-la", "Sơn La", "Son La", "son-la-2025"),
    ("lang-son", "Lạng Sơn", "Lang Son", "lang-son-2025"),
    ("quang-ninh", "Quảng Ninh", "Quang Ninh", "quang-ninh-2025"),
    ("thanh-hoa", "Thanh Hóa", "Thanh Hoa", "thanh-hoa-2025"),
    ("nghe-an", "Nghệ An", "Nghe An", "nghe-an-2025"),
    ("ha-tinh", "Hà Tĩnh", "Ha Tinh", "ha-tinh-2025"),
    ("cao-bang", "Cao Bằng", "Cao Bang", "cao-bang-2025"),
    ("tuyen-quang", "Tuyên Quang", "Tuyen Quang", "tuyen-quang-2025"),
    ("ha-giang", "Hà Giang", "Ha Giang", "tuyen-quang-2025"),
    ("lao-cai", "Lào Cai", "Lao Cai", "lao-cai-2025"),
    ("yen-bai", "Yên Bái", "Yen Bai", "lao-cai-2025"),
    ("thai-nguyen", "Thái Nguyên", "Thai Nguyen", "thai-nguyen-2025"),
    ("bac-kan", "Bắc Kạn", "Bac Kan", "thai-nguyen-2025"),
    ("phu-tho", "Phú Thọ", "Phu Tho", "phu-tho-2025"),
    ("vinh-phuc", "Vĩnh Phúc", "Vinh Phuc", "phu-tho-2025"),
    ("hoa-binh", "Hòa Bình", "Hoa Binh", "phu-tho-2025"),
    ("bac-ninh", "Bắc Ninh", "Bac Ninh", "bac-ninh-2025"),
    ("bac-giang", "Bắc Giang", "Bac Giang", "bac-ninh-2025"),
    ("hung-yen", "Hưng Yên", "Hung Yen", "hung-yen-2025"),
    ("thai-binh", "Thái Bình", "Thai Binh", "hung-yen-2025"),
    ("hai-phong", "Hải Phòng", "Hai Phong", "hai-phong-2025"),
    ("hai-duong", "Hải Dương", "Hai Duong", "hai-phong-2025"),
    ("ninh-binh", "Ninh Bình", "Ninh Binh", "ninh-binh-2025"),
    ("ha-nam", "Hà Nam", "Ha Nam", "ninh-binh-2025"),
    ("nam-dinh", "Nam Định", "Nam Dinh", "ninh-binh-2025"),
    ("quang-tri", "Quảng Trị", "Quang Tri", "quang-tri-2025"),
    ("quang-binh", "Quảng Bình", "Quang Binh", "quang-tri-2025"),
    ("da-nang", "Đà Nẵng", "Da Nang", "da-nang-2025"),
    ("quang-nam", "Quảng Nam", "Quang Nam", "da-nang-2025"),
    ("quang-ngai", "Quảng Ngãi", "Quang Ngai", "quang-ngai-2025"),
    ("kon-tum", "Kon Tum", "Kon Tum", "quang-ngai-2025"),
    ("gia-lai", "Gia Lai", "Gia Lai", "gia-lai-2025"),
    ("binh-dinh", "Bình Định", "Binh Dinh", "gia-lai-2025"),
    ("khanh-hoa", "Khánh Hòa", "Khanh Hoa", "khanh-hoa-2025"),
    ("ninh-thuan", "Ninh Thuận", "Ninh Thuan", "khanh-hoa-2025"),
    ("lam-dong", "Lâm Đồng", "Lam Dong", "lam-dong-2025"),
    ("dak-nong", "Đắk Nông", "Dak Nong", "lam-dong-2025"),
    ("binh-thuan", "Bình Thuận", "Binh Thuan", "lam-dong-2025"),
    ("dak-lak", "Đắk Lắk", "Dak Lak", "dak-lak-2025"),
    ("phu-yen", "Phú Yên", "Phu Yen", "dak-lak-2025"),
    ("ho-chi-minh", "TP Hồ Chí Minh", "Ho Chi Minh City", "ho-chi-minh-2025"),
    ("binh-duong", "Bình Dương", "Binh Duong", "ho-chi-minh-2025"),
    ("ba-ria-vung-tau", "Bà Rịa - Vũng Tàu", "Ba Ria - Vung Tau", "ho-chi-minh-2025"),
    ("dong-nai", "Đồng Nai", "Dong Nai", "dong-nai-2025"),
    ("binh-phuoc", "Bình Phước", "Binh Phuoc", "dong-nai-2025"),
    ("tay-ninh", "Tây Ninh", "Tay Ninh", "tay-ninh-2025"),
    ("long-an", "Long An", "Long An", "tay-ninh-2025"),
    ("can-tho", "Cần Thơ", "Can Tho", "can-tho-2025"),
    ("soc-trang", "Sóc Trăng", "Soc Trang", "can-tho-2025"),
    ("hau-giang", "Hậu Giang", "Hau Giang", "can-tho-2025"),
    ("vinh-long", "Vĩnh Long", "Vinh Long", "vinh-long-2025"),
    ("ben-tre", "Bến Tre", "Ben Tre", "vinh-long-2025"),
    ("tra-vinh", "Trà Vinh", "Tra Vinh", "vinh-long-2025"),
    ("dong-thap", "Đồng Tháp", "Dong Thap", "dong-thap-2025"),
    ("tien-giang", "Tiền Giang", "Tien Giang", "dong-thap-2025"),
    ("ca-mau", "Cà Mau", "Ca Mau", "ca-mau-2025"),
    ("bac-lieu", "Bạc Liêu", "Bac Lieu", "ca-mau-2025"),
    ("an-giang", "An Giang", "An Giang", "an-giang-2025"),
    ("kien-giang", "Kiên Giang", "Kien Giang", "an-giang-2025"),
];

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid calendar date")
}

/// The country `vn`, the 63 units valid until 30 June 2025 and the 34 valid from 1 July 2025, as org units.
pub fn vietnam_org_units() -> Vec<OrgUnit> {
    let mut units = vec![OrgUnit {
        id: "vn".to_owned(),
        name: Text::new("Việt Nam", "Viet Nam"),
        level: OrgUnitLevel::Country,
        parent: None,
        valid_from: None,
        valid_to: None,
        successors: Vec::new(),
        kind: Some("country".to_owned()),
        note: None,
    }];
    let mut merged: Vec<(&str, &str, &str)> = Vec::new();
    // Thừa Thiên Huế is listed first among Huế's predecessors but the new unit is named Huế.
    merged.push(("hue-2025", "Huế", "Hue"));
    for (id, vi, en, successor) in PROVINCES_BEFORE_2025_07 {
        units.push(OrgUnit {
            id: id.to_owned(),
            name: Text::new(vi, en),
            level: OrgUnitLevel::Province,
            parent: Some("vn".to_owned()),
            valid_from: None,
            valid_to: Some(date(2025, 6, 30)),
            successors: vec![successor.to_owned()],
            kind: None,
            note: None,
        });
        if !merged.iter().any(|(s, _, _)| *s == successor) {
            merged.push((successor, vi, en));
        }
    }
    for (id, vi, en) in merged {
        units.push(OrgUnit {
            id: id.to_owned(),
            name: Text::new(vi, en),
            level: OrgUnitLevel::Province,
            parent: Some("vn".to_owned()),
            valid_from: Some(date(2025, 7, 1)),
            valid_to: None,
            successors: Vec::new(),
            kind: None,
            note: None,
        });
    }
    units
}

/// A catalogue for benchmarks: Viet Nam's org units plus `communes` communes (`cx000001`…) spread over the 63
/// old provinces, the seven generated data elements, count indicators over each and the resolution rate, a
/// validation rule and a quarterly data set. Monthly data for one commune over 2021-2025 is 60 x 7 = 420
/// observations, so 10 million observations need 23,810 communes.
pub fn benchmark_catalogue(communes: usize) -> crate::model::Catalogue {
    use crate::model::*;
    let mut catalogue = Catalogue::default();
    for unit in vietnam_org_units() {
        catalogue.org_units.insert(unit.id.clone(), unit);
    }
    for unit in benchmark_commune_units(communes) {
        catalogue.org_units.insert(unit.id.clone(), unit);
    }
    catalogue.sources.insert(
        SYNTHETIC_SOURCE.to_owned(),
        Source {
            id: SYNTHETIC_SOURCE.to_owned(),
            kind: SourceKind::Synthetic,
            number: None,
            title: Text::new("Dữ liệu tổng hợp", "Synthetic data"),
            issuer: None,
            date: None,
            url: None,
            note: Some(SYNTHETIC_NOTE.to_owned()),
            uncertain: None,
            public_note: None,
        },
    );
    for id in ELEMENTS {
        catalogue.data_elements.insert(
            id.to_owned(),
            DataElement {
                id: id.to_owned(),
                name: Text::new(id, id),
                value_type: ValueType::Count,
                time_aggregation: TimeAggregation::Sum,
                org_unit_aggregation: OrgUnitAggregation::Sum,
                sensitive: id == "victims_in_cases",
                categories: Vec::new(),
                description: None,
                breaks: Vec::new(),
            },
        );
    }
    for indicator in benchmark_indicators() {
        catalogue.indicators.insert(indicator.id.clone(), indicator);
    }
    catalogue.validation_rules.insert(
        "resolved-le-received".to_owned(),
        ValidationRule {
            id: "resolved-le-received".to_owned(),
            name: Text::new("resolved <= received", "resolved <= received"),
            left: benchmark_expr("denunciations_resolved"),
            operator: RuleOperator::LessThanOrEqualTo,
            right: benchmark_expr("denunciations_received"),
            missing_value_strategy: MissingValueStrategy::SkipIfAnyValueMissing,
            severity: crate::diagnostic::Severity::Warning,
            period_type: PeriodType::Year,
        },
    );
    catalogue.data_sets.insert(
        "provincial-quarterly".to_owned(),
        DataSet {
            id: "provincial-quarterly".to_owned(),
            name: Text::new("quarterly", "quarterly"),
            elements: ELEMENTS.iter().map(|e| (*e).to_owned()).collect(),
            period_type: PeriodType::Quarter,
            org_unit_level: OrgUnitLevel::Province,
            timely_days: 15,
            valid_from: None,
            valid_to: None,
            reported_by: Vec::new(),
        },
    );
    catalogue
}

/// `communes` communes (`cx000001`…), spread in turn over the 63 provinces before the merger.
fn benchmark_commune_units(communes: usize) -> impl Iterator<Item = OrgUnit> {
    (0..communes).map(|index| {
        let (parent, ..) = PROVINCES_BEFORE_2025_07[index % PROVINCES_BEFORE_2025_07.len()];
        let id = format!("cx{index:06}");
        OrgUnit {
            id: id.clone(),
            name: Text::new(&id, &id),
            level: OrgUnitLevel::Commune,
            parent: Some(parent.to_owned()),
            valid_from: None,
            valid_to: None,
            successors: Vec::new(),
            kind: None,
            note: None,
        }
    })
}

fn benchmark_expr(text: &str) -> crate::expr::Expr {
    crate::expr::Expr::parse(text).expect("benchmark expressions are valid")
}

/// A count indicator over each generated element, and the resolution rate (resolved / received, a percent).
fn benchmark_indicators() -> Vec<crate::model::Indicator> {
    use crate::model::*;
    let mut formulas: Vec<(String, Measure, crate::expr::Expr, Option<crate::expr::Expr>)> =
        ELEMENTS.iter().map(|e| (format!("count-{e}"), Measure::Count, benchmark_expr(e), None)).collect();
    formulas.push((
        "t2-denunciations-resolved".to_owned(),
        Measure::Percent,
        benchmark_expr("denunciations_resolved"),
        Some(benchmark_expr("denunciations_received")),
    ));
    formulas
        .into_iter()
        .map(|(id, measure, numerator, denominator)| Indicator {
            id: id.clone(),
            code: id.clone(),
            name: Text::new(&id, &id),
            definition: None,
            group: "benchmark".to_owned(),
            measure,
            formula: Formula::Expression { numerator, denominator },
            direction: Direction::Increase,
            unit: None,
            decimals: 0,
            disaggregations: Vec::new(),
            agency: None,
            source: SYNTHETIC_SOURCE.to_owned(),
            scale: Vec::new(),
            limit: None,
            sensitive: false,
            note: None,
        })
        .collect()
}

/// The commune org units of a benchmark catalogue, in id order.
pub fn benchmark_communes(catalogue: &crate::model::Catalogue) -> Vec<OrgUnit> {
    catalogue.org_units.values().filter(|u| u.level == OrgUnitLevel::Commune).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_merger_table_gives_63_then_34_units() {
        let units = vietnam_org_units();
        let on = |d: NaiveDate| units.iter().filter(|u| u.level == OrgUnitLevel::Province && u.is_valid_on(d)).count();
        assert_eq!(on(date(2025, 6, 30)), 63);
        assert_eq!(on(date(2025, 7, 1)), 34);
    }

    #[test]
    fn values_are_deterministic_and_consistent() {
        let q = Period::parse("2023Q2").unwrap();
        assert_eq!(values_for(7, "quang-nam", q), values_for(7, "quang-nam", q));
        assert_ne!(values_for(7, "quang-nam", q), values_for(8, "quang-nam", q));
        let mut count = 0;
        let units: Vec<OrgUnit> =
            vietnam_org_units().into_iter().filter(|u| u.level == OrgUnitLevel::Province).collect();
        generate(7, &units, 2021..=2025, PeriodType::Quarter, |row| {
            count += 1;
            assert!(row.value >= 0.0 && row.value.fract() == 0.0, "{row:?}");
        });
        // 63 old units x 18 quarters (2021Q1-2025Q2) + 34 new units x 2 quarters, 7 elements each.
        assert_eq!(count, (63 * 18 + 34 * 2) * 7);
        for (id, ..) in PROVINCES_BEFORE_2025_07.iter().take(5) {
            for year in 2021..=2025 {
                let v = values_for(1, id, Period::Quarter(year, 1));
                assert!(v[1] >= v[0] && v[2] >= v[0] && v[3] <= v[0] && v[4] >= v[3], "{id} {v:?}");
            }
        }
    }
}

/// The data elements that the province plugins read (justice-chain funnel, victim reintegration, prevention
/// coverage) and that [`values_for`] does not produce, in output order.
pub const PLUGIN_INPUT_ELEMENTS: [&str; 9] = [
    "cases_indicted",
    "victims_identified",
    "victims_received",
    "victims_supported",
    "victims_reintegrated",
    "population",
    "high_risk_communes",
    "high_risk_communes_communicated",
    "high_risk_communes_with_model",
];

/// The yearly plugin inputs of one org unit, in [`PLUGIN_INPUT_ELEMENTS`] order, plus `people_reached` last.
///
/// Each count stays consistent with the chain it belongs to, so that the validation rules hold: cases indicted
/// lie between the year's cases tried and cases detected (from [`values_for`] summed over the quarters);
/// reintegrated <= supported <= received <= identified; communes with a model <= communicated <= high-risk.
/// Population is a stock between 0.3 and 4.2 million, skewed towards small provinces, so that the 63 add up
/// to roughly Viet Nam's 100 million.
pub fn plugin_input_values_for(seed: u64, org_unit: &str, year: i32) -> [f64; 10] {
    let quarters = Period::Year(year).subdivide(PeriodType::Quarter);
    let (detected, tried) = quarters.iter().fold((0.0, 0.0), |(detected, tried), quarter| {
        let values = values_for(seed, org_unit, *quarter);
        (detected + values[0], tried + values[3])
    });
    let unit_hash = hash_text(seed ^ 0x5eed, org_unit);
    let year_hash = hash_text(unit_hash, &year.to_string());
    let r = |i: u64| unit_interval(splitmix(year_hash ^ i.wrapping_mul(0x2545_f491_4f6c_dd1d)));
    let indicted = tried + ((detected - tried).max(0.0) * (0.6 + 0.4 * r(1))).round();
    let identified = (8.0 + 60.0 * unit_interval(unit_hash) * (0.6 + 0.8 * r(2))).round();
    let received = (identified * (0.7 + 0.3 * r(3))).round();
    let supported = (received * (0.6 + 0.4 * r(4))).round();
    let reintegrated = (supported * (0.3 + 0.5 * r(5))).round();
    // Squared so that most provinces are small and a few large, as in Viet Nam (about 100 million in all).
    let population = (300_000.0 + 3_900_000.0 * unit_interval(splitmix(unit_hash)).powi(2)).round();
    let communes = (5.0 + 35.0 * unit_interval(splitmix(unit_hash ^ 1))).round();
    let communicated = (communes * (0.5 + 0.5 * r(6))).round();
    let with_model = (communicated * (0.1 + 0.5 * r(7))).round();
    let people_reached = (population * (0.005 + 0.03 * r(8))).round();
    [
        indicted,
        identified,
        received,
        supported,
        reintegrated,
        population,
        communes,
        communicated,
        with_model,
        people_reached,
    ]
}

/// Calls `emit` for every plugin input of every whole year in `years` during which each org unit is valid.
/// Output order: unit, year, element.
pub fn generate_plugin_inputs<'a>(
    seed: u64,
    org_units: &'a [OrgUnit],
    years: std::ops::RangeInclusive<i32>,
    mut emit: impl FnMut(SyntheticRow<'a>),
) {
    let elements = PLUGIN_INPUT_ELEMENTS.iter().copied().chain(["people_reached"]);
    for unit in org_units {
        for year in years.clone() {
            let period = Period::Year(year);
            if !valid_throughout(unit, period) {
                continue;
            }
            let values = plugin_input_values_for(seed, &unit.id, year);
            for (element, value) in elements.clone().zip(values) {
                emit(SyntheticRow { element, org_unit: &unit.id, period, value });
            }
        }
    }
}

#[cfg(test)]
mod plugin_input_tests {
    use super::*;

    #[test]
    fn plugin_inputs_keep_every_chain_consistent() {
        let units = vietnam_org_units();
        let mut count = 0;
        for unit in units.iter().filter(|u| u.level == OrgUnitLevel::Province && u.valid_to.is_some()) {
            for year in 2021..=2024 {
                let [
                    indicted,
                    identified,
                    received,
                    supported,
                    reintegrated,
                    population,
                    communes,
                    communicated,
                    with_model,
                    reached,
                ] = plugin_input_values_for(EXAMPLE_SEED, &unit.id, year);
                let quarters = Period::Year(year).subdivide(PeriodType::Quarter);
                let detected: f64 = quarters.iter().map(|q| values_for(EXAMPLE_SEED, &unit.id, *q)[0]).sum();
                let tried: f64 = quarters.iter().map(|q| values_for(EXAMPLE_SEED, &unit.id, *q)[3]).sum();
                assert!(tried <= indicted && indicted <= detected, "{} {year}", unit.id);
                assert!(reintegrated <= supported && supported <= received && received <= identified);
                assert!(with_model <= communicated && communicated <= communes && communes >= 5.0);
                assert!((300_000.0..=4_200_000.0).contains(&population) && reached < population);
                count += 1;
            }
        }
        assert_eq!(count, 63 * 4);
        // Same seed, same values.
        assert_eq!(plugin_input_values_for(1, "quang-nam", 2024), plugin_input_values_for(1, "quang-nam", 2024));
    }
}
