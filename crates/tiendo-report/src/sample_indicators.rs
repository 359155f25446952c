//! The indicators of the sample review: the five percent targets of Decision 193/QĐ-TTg (T1-T5), the national
//! counts of cases, suspects and victims as published (C1-C3) and the TIP tier, with their sources.

use chrono::Datelike;
use tiendo_core::{ChangeKind, Comparator, Direction, Measure, Text};

use super::{period, point, text};
use crate::model::*;

struct PercentTarget<'a> {
    id: &'a str,
    code: &'a str,
    name: Text,
    definition: Text,
    work_area: Text,
    comparator: Comparator,
    value: f64,
    source: &'a str,
    agency: Text,
}

/// `series` with each value's change on the same period a year earlier as evaluation gives it: suppressed with a
/// suppressed term, none between a synthetic and a real value, none without an earlier value.
fn with_changes(mut series: Vec<SeriesPoint>, kind: ChangeKind) -> Vec<SeriesPoint> {
    let earlier = series.clone();
    for point in series.iter_mut().filter(|p| p.value != Value::Missing) {
        let previous_period = point.period.same_period_last_year();
        let before = earlier.iter().find(|p| p.period == previous_period && p.value != Value::Missing);
        point.change = Some(match (before, point.value) {
            (None, _) => ChangeView::NoPrevious { previous_period },
            (Some(before), now) if now == Value::Suppressed || before.value == Value::Suppressed => {
                ChangeView::Suppressed { previous_period }
            }
            (Some(before), _) if before.synthetic != point.synthetic => {
                ChangeView::NotComparable { previous_period, reasons: vec![NotComparable::Kind] }
            }
            (Some(before), now) => {
                let (now, before) = (now.number().unwrap_or(0.0), before.value.number().unwrap_or(0.0));
                let percent = (kind == ChangeKind::Relative && before != 0.0).then(|| (now - before) / before * 100.0);
                ChangeView::Change { previous_period, absolute: now - before, unit: kind, percent }
            }
        });
    }
    series
}

fn percent_indicator(spec: PercentTarget<'_>, series: Vec<SeriesPoint>, status: Status) -> IndicatorReview {
    let series = with_changes(series, ChangeKind::PercentagePoints);
    let latest = series.iter().rev().find(|p| p.value.number().is_some()).cloned();
    let percent_of_target = latest.as_ref().and_then(|p| p.value.number()).map(|v| v / spec.value * 100.0);
    IndicatorReview {
        id: spec.id.to_owned(),
        code: spec.code.to_owned(),
        name: spec.name,
        work_area: spec.work_area,
        definition: Some(spec.definition),
        measure: Measure::Percent,
        direction: Direction::Increase,
        unit: Some(text("%", "%")),
        decimals: 1,
        scale: Vec::new(),
        baseline: None,
        target: Some(TargetView::new(period("2021..2025"), spec.comparator, spec.value, spec.source.to_owned(), 1)),
        latest,
        latest_elsewhere: None,
        latest_part: None,
        milestones: Vec::new(),
        percent_of_target,
        latest_decimals: 0,
        percent_decimals: 1,
        progress_from_baseline: None,
        progress_decimals: 1,
        gap: None,
        status,
        status_note: None,
        status_caution: None,
        source: spec.source.to_owned(),
        agency: Some(spec.agency),
        series,
        comment_sources: Vec::new(),
        comment: None,
    }
}

fn count_indicator(id: &str, code: &str, name: Text, unit: Text, series: Vec<SeriesPoint>) -> IndicatorReview {
    let series = with_changes(series, ChangeKind::Relative);
    // The latest value inside the review window: 2024 is shown on the chart but is not the mid-term result.
    let latest = series.iter().rev().find(|p| p.value.number().is_some() && p.period.end().year() <= 2023).cloned();
    IndicatorReview {
        id: id.to_owned(),
        code: code.to_owned(),
        name,
        work_area: detection(),
        definition: Some(text(
            "Số vụ, đối tượng, nạn nhân theo Điều 150 và 151 Bộ luật Hình sự được phát hiện, điều tra",
            "Cases, suspects and victims under Articles 150 and 151 of the Penal Code discovered and investigated",
        )),
        measure: Measure::Count,
        direction: Direction::Maintain,
        unit: Some(unit),
        decimals: 0,
        scale: Vec::new(),
        baseline: Some(BaselineView {
            period: period("2021"),
            value: series[0].value,
            decimals: 0,
            source: series[0].source.clone(),
            estimate: false,
            derived: false,
            synthetic: false,
            uncertain: false,
            yearly_average: false,
            note: None,
        }),
        target: None,
        latest,
        latest_elsewhere: None,
        latest_part: None,
        milestones: Vec::new(),
        percent_of_target: None,
        latest_decimals: 0,
        percent_decimals: 1,
        progress_from_baseline: None,
        progress_decimals: 1,
        gap: None,
        status: Status::NotAssessed,
        status_note: None,
        status_caution: None,
        source: "baoquocte-2023-08-24".to_owned(),
        agency: Some(mps()),
        series,
        comment_sources: Vec::new(),
        comment: Some(text(
            "Không có số liệu cả năm 2023; 6 tháng đầu năm 2023: 88 vụ/229 đối tượng/224 nạn nhân.",
            "No full-year 2023 figure was found; H1 2023: 88 cases/229 suspects/224 victims.",
        )),
    }
}

/// The work area of T1-T5 and C1-C3.
fn detection() -> Text {
    text("Phát hiện, điều tra, truy tố, xét xử", "Detection, investigation, prosecution and trial")
}

/// The agency responsible for most of the targets.
pub(super) fn mps() -> Text {
    text("Bộ Công an", "Ministry of Public Security")
}

/// The sample's indicators: the five targets of Decision 193/QĐ-TTg, the three published counts and the TIP tier.
pub(super) fn indicators() -> Vec<IndicatorReview> {
    let mut all = target_indicators();
    all.extend(count_indicators());
    all.push(tip_tier());
    all
}

/// T1-T5, the percent targets of Decision 193/QĐ-TTg and the 138/CP plan of 2024 (19/KH-BCĐ138/CP): only T2 has a
/// value.
fn target_indicators() -> Vec<IndicatorReview> {
    let procuracy = text("Viện Kiểm sát nhân dân tối cao", "Supreme People's Procuracy");
    let courts = text("Tòa án nhân dân tối cao", "Supreme People's Court");
    vec![
        percent_indicator(
            PercentTarget {
                id: "t1-denunciations-classified",
                code: "T1",
                name: text(
                    "Tỷ lệ tin báo, tố giác, kiến nghị khởi tố về mua bán người được tiếp nhận, phân loại",
                    "Denunciations, crime reports and prosecution petitions on trafficking received and classified",
                ),
                definition: text("Số được tiếp nhận, phân loại / tổng số", "Received and classified / all received"),
                work_area: detection(),
                comparator: Comparator::Equal,
                value: 100.0,
                source: "qd-193-2021",
                agency: mps(),
            },
            Vec::new(),
            Status::NoData,
        ),
        t2_denunciations_resolved(),
        percent_indicator(
            PercentTarget {
                id: "t3-cases-investigated",
                code: "T3",
                name: text(
                    "Tỷ lệ điều tra, khám phá các vụ mua bán người",
                    "Investigation and discovery rate of trafficking cases",
                ),
                definition: text("Số vụ điều tra, khám phá / số vụ khởi tố", "Cases investigated / cases initiated"),
                work_area: detection(),
                comparator: Comparator::Greater,
                value: 90.0,
                source: "kh-19-2024",
                agency: mps(),
            },
            Vec::new(),
            Status::NoData,
        ),
        percent_indicator(
            PercentTarget {
                id: "t4-cases-indicted",
                code: "T4",
                name: text(
                    "Tỷ lệ giải quyết, truy tố các vụ án mua bán người",
                    "Trafficking cases resolved and indicted",
                ),
                definition: text("Mẫu số chưa được văn bản xác định", "The denominator is not defined in the texts"),
                work_area: detection(),
                comparator: Comparator::GreaterOrEqual,
                value: 95.0,
                source: "kh-19-2024",
                agency: procuracy,
            },
            Vec::new(),
            Status::NoData,
        ),
        percent_indicator(
            PercentTarget {
                id: "t5-cases-tried",
                code: "T5",
                name: text("Tỷ lệ giải quyết, xét xử các vụ án mua bán người", "Trafficking cases resolved and tried"),
                definition: text("Mẫu số chưa được văn bản xác định", "The denominator is not defined in the texts"),
                work_area: detection(),
                comparator: Comparator::GreaterOrEqual,
                value: 90.0,
                source: "kh-19-2024",
                agency: courts,
            },
            Vec::new(),
            Status::NoData,
        ),
    ]
}

/// T2, the only target with a value: a provisional reading of a press article for Q1 2023.
fn t2_denunciations_resolved() -> IndicatorReview {
    let mut t2_point = point("2023Q1", Value::Number(100.0), "baoquocte-2023-08-24");
    t2_point.provisional = true;
    t2_point.note = Some(text(
        "93 tin báo, tố giác được tiếp nhận và giải quyết; bài báo không nêu số chưa giải quyết",
        "93 denunciations received and resolved; the article gives no number left unresolved",
    ));
    let mut t2 = percent_indicator(
        PercentTarget {
            id: "t2-denunciations-resolved",
            code: "T2",
            name: text(
                "Tỷ lệ giải quyết tin báo, tố giác về tội phạm mua bán người",
                "Resolution rate of denunciations and crime reports on trafficking",
            ),
            definition: text("Số tin báo đã giải quyết / số tin báo tiếp nhận", "Reports resolved / reports received"),
            work_area: detection(),
            comparator: Comparator::Greater,
            value: 90.0,
            source: "qd-193-2021",
            agency: mps(),
        },
        vec![t2_point],
        Status::Achieved,
    );
    t2.comment = Some(text(
        "Chỉ có số liệu quý I/2023; tỷ lệ 100% là cách đọc bài báo, cần số liệu thống kê chính thức.",
        "Only Q1 2023 is available; 100% is a reading of the article and needs confirming with official statistics.",
    ));
    t2
}

/// C1-C3, the national counts of cases, suspects and victims as published (2023's are missing).
fn count_indicators() -> Vec<IndicatorReview> {
    let mut victims_2021 = point("2021", Value::Number(150.0), "baoquocte-2023-08-24");
    victims_2021.note = Some(text("suy ra: 222 − 72", "derived: 222 − 72"));
    vec![
        count_indicator(
            "c1-cases",
            "C1",
            text("Số vụ mua bán người được phát hiện, điều tra", "Trafficking cases discovered and investigated"),
            text("vụ", "cases"),
            vec![
                point("2021", Value::Number(77.0), "tip-2023"),
                point("2022", Value::Number(90.0), "baoquocte-2023-08-24"),
                point("2023", Value::Missing, "lsvn-2023-h1"),
                point("2024", Value::Number(163.0), "nhandan-2024"),
            ],
        ),
        count_indicator(
            "c2-subjects",
            "C2",
            text("Số đối tượng mua bán người", "Trafficking suspects"),
            text("đối tượng", "suspects"),
            vec![
                point("2021", Value::Number(149.0), "tip-2023"),
                point("2022", Value::Number(247.0), "baoquocte-2023-08-24"),
                point("2023", Value::Missing, "lsvn-2023-h1"),
                point("2024", Value::Number(455.0), "nhandan-2024"),
            ],
        ),
        count_indicator(
            "c3-victims-in-cases",
            "C3",
            text("Số nạn nhân trong các vụ án", "Victims in the cases"),
            text("người", "persons"),
            vec![
                victims_2021,
                point("2022", Value::Number(222.0), "baoquocte-2023-08-24"),
                point("2023", Value::Missing, "lsvn-2023-h1"),
                point("2024", Value::Number(500.0), "nhandan-2024"),
            ],
        ),
    ]
}

/// Viet Nam's tier in the U.S. TIP Report by report year, an ordinal scale without a target.
fn tip_tier() -> IndicatorReview {
    let tip_scale = vec![
        ScaleLevel { value: 1.0, label: text("Nhóm 3", "Tier 3") },
        ScaleLevel { value: 2.0, label: text("Nhóm 2 cần theo dõi", "Tier 2 Watch List") },
        ScaleLevel { value: 3.0, label: text("Nhóm 2", "Tier 2") },
        ScaleLevel { value: 4.0, label: text("Nhóm 1", "Tier 1") },
    ];
    let tip_series = vec![
        point("2021", Value::Number(2.0), "tip-2021"),
        point("2022", Value::Number(1.0), "tip-2022"),
        point("2023", Value::Number(2.0), "tip-2023"),
        point("2024", Value::Number(3.0), "tip-2024"),
    ];
    IndicatorReview {
        id: "tip-tier".to_owned(),
        code: "TIP".to_owned(),
        name: text("Xếp hạng trong Báo cáo TIP của Hoa Kỳ", "Tier in the U.S. TIP Report"),
        work_area: text("Hợp tác quốc tế", "International cooperation"),
        definition: Some(text("Theo năm phát hành báo cáo", "By report year")),
        measure: Measure::Ordinal,
        direction: Direction::Increase,
        unit: None,
        decimals: 0,
        scale: tip_scale,
        baseline: Some(BaselineView {
            period: period("2021"),
            value: Value::Number(2.0),
            decimals: 0,
            source: "tip-2021".to_owned(),
            estimate: false,
            derived: false,
            synthetic: false,
            uncertain: false,
            yearly_average: false,
            note: None,
        }),
        target: None,
        latest: Some(point("2023", Value::Number(2.0), "tip-2023")),
        latest_elsewhere: None,
        latest_part: None,
        milestones: Vec::new(),
        percent_of_target: None,
        latest_decimals: 0,
        percent_decimals: 1,
        progress_from_baseline: None,
        progress_decimals: 1,
        gap: None,
        status: Status::NotAssessed,
        status_note: None,
        status_caution: None,
        source: "tip-2023".to_owned(),
        agency: None,
        series: tip_series,
        comment_sources: Vec::new(),
        comment: None,
    }
}
