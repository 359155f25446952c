//! A realistic review built from published figures, for tests, benchmarks and `tiendo report` demonstrations.
//!
//! National figures are the published ones (their sources are in `indicators/sources.toml`): cases/subjects/victims 2021 77/149/150,
//! 2022 90/247/222, Q1 2023 56/150/118, 2024 163/455/500, the T1-T5 targets of Decision 193/QĐ-TTg and the 138/CP
//! plan of 2024, the TIP tiers and the TIP victim breakdowns. No provincial counts have been published, so the
//! provincial comparison and the completeness table use values that are clearly marked as synthetic, through a
//! source whose title says so. Activity statuses are illustrative as well.

use chrono::NaiveDate;
use tiendo_core::{ActivityStatus, Period, Severity, Text};

use crate::model::*;

#[path = "sample_evidence.rs"]
mod evidence;
#[path = "sample_indicators.rs"]
mod indicators;
#[path = "sample_sources.rs"]
mod sources;
use indicators::{indicators, mps};
use sources::sources;

/// The sample's source of synthetic illustrative values.
const SYNTHETIC_EXAMPLE: &str = "synthetic-example";

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("sample dates are valid")
}

fn period(id: &str) -> Period {
    id.parse().expect("sample period ids are valid")
}

fn text(vi: &str, en: &str) -> Text {
    Text::new(vi, en)
}

fn point(id: &str, value: Value, source: &str) -> SeriesPoint {
    SeriesPoint { synthetic: source == SYNTHETIC_EXAMPLE, ..SeriesPoint::plain(period(id), value, source) }
}

/// The 34 provinces from 1 Jul 2025 and the old units merged into each (Resolution 202/2025/QH15).
/// (id, Vietnamese name, English name, old units merged into it as (Vietnamese, English) names)
type ProvinceRow = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const PROVINCES_2025: [ProvinceRow; 34] = [
    ("ha-noi", "Hà Nội", "Ha Noi", &[]),
    ("hue", "Huế", "Hue", &[]),
    ("lai-chau", "Lai Châu", "Lai Chau", &[]),
    ("dien-bien", "Điện Biên", "Dien Bien", &[]),
    ("son-la", "Sơn La", "Son La", &[]),
    ("lang-son", "Lạng Sơn", "Lang Son", &[]),
    ("quang-ninh", "Quảng Ninh", "Quang Ninh", &[]),
    ("thanh-hoa", "Thanh Hóa", "Thanh Hoa", &[]),
    ("nghe-an", "Nghệ An", "Nghe An", &[]),
    ("ha-tinh", "Hà Tĩnh", "Ha Tinh", &[]),
    ("cao-bang", "Cao Bằng", "Cao Bang", &[]),
    ("tuyen-quang", "Tuyên Quang", "Tuyen Quang", &[("Hà Giang", "Ha Giang")]),
    ("lao-cai", "Lào Cai", "Lao Cai", &[("Yên Bái", "Yen Bai")]),
    ("thai-nguyen", "Thái Nguyên", "Thai Nguyen", &[("Bắc Kạn", "Bac Kan")]),
    ("phu-tho", "Phú Thọ", "Phu Tho", &[("Vĩnh Phúc", "Vinh Phuc"), ("Hòa Bình", "Hoa Binh")]),
    ("bac-ninh", "Bắc Ninh", "Bac Ninh", &[("Bắc Giang", "Bac Giang")]),
    ("hung-yen", "Hưng Yên", "Hung Yen", &[("Thái Bình", "Thai Binh")]),
    ("hai-phong", "Hải Phòng", "Hai Phong", &[("Hải Dương", "Hai Duong")]),
    ("ninh-binh", "Ninh Bình", "Ninh Binh", &[("Hà Nam", "Ha Nam"), ("Nam Định", "Nam Dinh")]),
    ("quang-tri", "Quảng Trị", "Quang Tri", &[("Quảng Bình", "Quang Binh")]),
    ("da-nang", "Đà Nẵng", "Da Nang", &[("Quảng Nam", "Quang Nam")]),
    ("quang-ngai", "Quảng Ngãi", "Quang Ngai", &[("Kon Tum", "Kon Tum")]),
    ("gia-lai", "Gia Lai", "Gia Lai", &[("Bình Định", "Binh Dinh")]),
    ("khanh-hoa", "Khánh Hòa", "Khanh Hoa", &[("Ninh Thuận", "Ninh Thuan")]),
    ("lam-dong", "Lâm Đồng", "Lam Dong", &[("Đắk Nông", "Dak Nong"), ("Bình Thuận", "Binh Thuan")]),
    ("dak-lak", "Đắk Lắk", "Dak Lak", &[("Phú Yên", "Phu Yen")]),
    (
        "ho-chi-minh",
        "TP Hồ Chí Minh",
        "Ho Chi Minh City",
        &[("Bình Dương", "Binh Duong"), ("Bà Rịa-Vũng Tàu", "Ba Ria-Vung Tau")],
    ),
    ("dong-nai", "Đồng Nai", "Dong Nai", &[("Bình Phước", "Binh Phuoc")]),
    ("tay-ninh", "Tây Ninh", "Tay Ninh", &[("Long An", "Long An")]),
    ("can-tho", "Cần Thơ", "Can Tho", &[("Sóc Trăng", "Soc Trang"), ("Hậu Giang", "Hau Giang")]),
    ("vinh-long", "Vĩnh Long", "Vinh Long", &[("Bến Tre", "Ben Tre"), ("Trà Vinh", "Tra Vinh")]),
    ("dong-thap", "Đồng Tháp", "Dong Thap", &[("Tiền Giang", "Tien Giang")]),
    ("ca-mau", "Cà Mau", "Ca Mau", &[("Bạc Liêu", "Bac Lieu")]),
    ("an-giang", "An Giang", "An Giang", &[("Kiên Giang", "Kien Giang")]),
];

/// Synthetic victim counts per province: a fixed arithmetic pattern, so that the sample has large values, values
/// below the confidentiality threshold (suppressed) and one province without a report.
fn synthetic_victims(index: usize, threshold: u32) -> Value {
    if index == 2 {
        return Value::Missing;
    }
    let value = ((index * 37 + 11) % 41) as u32;
    if value > 0 && value < threshold { Value::Suppressed } else { Value::Number(f64::from(value)) }
}

fn provincial_comparison(threshold: u32) -> ProvincialComparison {
    ProvincialComparison {
        id: "victims-identified-by-province".to_owned(),
        indicator_code: "C3".to_owned(),
        title: text("Nạn nhân được xác định theo tỉnh (minh họa)", "Victims identified by province (illustrative)"),
        unit: Some(text("người", "persons")),
        decimals: 0,
        period: period("2021..2023"),
        map: ProvinceMap::From2025,
        provinces: PROVINCES_2025.len(),
        values: PROVINCES_2025
            .iter()
            .enumerate()
            .map(|(index, (id, vi, en, merged))| ProvinceValue {
                org_unit: (*id).to_owned(),
                name: text(vi, en),
                value: synthetic_victims(index, threshold),
                merged_from: merged.iter().map(|(vi, en)| text(vi, en)).collect(),
                synthetic: true,
                partial: false,
                estimate: false,
                derived: false,
                provisional: false,
                basis_marks: BasisMarks::default(),
                beyond_limit: None,
                note: None,
            })
            .collect(),
        sources: vec![SYNTHETIC_EXAMPLE.to_owned(), "nq-202-2025".to_owned()],
        synthetic: true,
        note: Some(text(
            "Số liệu minh họa tổng hợp: chưa có số liệu cấp tỉnh được công bố. Số liệu của tỉnh cũ được cộng vào tỉnh mới.",
            "Synthetic illustrative values: no provincial counts have been published. Old provinces' data is rolled up \
             into their successors.",
        )),
    }
}

fn option(id: &str, vi: &str, en: &str) -> DisaggregationOption {
    DisaggregationOption { id: id.to_owned(), name: text(vi, en) }
}

fn row(id: &str, values: &[f64], total: f64, source: &str) -> DisaggregationRow {
    let values = values.iter().map(|v| Value::Number(*v)).collect();
    let row = DisaggregationRow::unmarked(period(id), values, Value::Number(total), source);
    DisaggregationRow { synthetic: source == SYNTHETIC_EXAMPLE, ..row }
}

fn disaggregations() -> Vec<Disaggregation> {
    let persons = Some(text("người", "persons"));
    vec![
        Disaggregation {
            indicator_code: String::new(),
            category_id: String::new(),
            id: "victims-by-sex".to_owned(),
            title: text("Nạn nhân được xác định theo giới tính", "Identified victims by sex"),
            category: text("Giới tính", "Sex"),
            unit: persons.clone(),
            options: vec![option("female", "Nữ", "Female"), option("male", "Nam", "Male")],
            rows: vec![row("2021", &[114.0, 12.0], 126.0, "tip-2022"), row("2022", &[102.0, 153.0], 255.0, "tip-2023")],
            note: None,
            decimals: 0,
            additive: true,
        },
        Disaggregation {
            indicator_code: String::new(),
            category_id: String::new(),
            id: "victims-by-age".to_owned(),
            title: text("Nạn nhân được xác định: trẻ em và người lớn", "Identified victims: children and adults"),
            category: text("Nhóm tuổi", "Age group"),
            unit: persons.clone(),
            options: vec![option("child", "Trẻ em", "Children"), option("adult", "Người lớn", "Adults")],
            rows: vec![row("2021", &[45.0, 81.0], 126.0, "tip-2022"), row("2022", &[74.0, 181.0], 255.0, "tip-2023")],
            note: Some(text("Người lớn = tổng số − trẻ em.", "Adults = total − children.")),
            decimals: 0,
            additive: true,
        },
        Disaggregation {
            indicator_code: String::new(),
            category_id: String::new(),
            id: "victims-by-exploitation".to_owned(),
            title: text("Nạn nhân được xác định theo hình thức bóc lột", "Identified victims by form of exploitation"),
            category: text("Hình thức bóc lột", "Form of exploitation"),
            unit: persons,
            options: vec![
                option("labour", "Lao động", "Labour"),
                option("sexual", "Tình dục", "Sexual"),
                option("unspecified", "Không rõ", "Unspecified"),
            ],
            rows: vec![row("2022", &[195.0, 14.0, 46.0], 255.0, "tip-2023")],
            note: None,
            decimals: 0,
            additive: true,
        },
    ]
}

fn plan_1522() -> PlanRef {
    PlanRef {
        id: "quang-nam-2024".to_owned(),
        number: Some("1522/KH-UBND".to_owned()),
        title: text("Kế hoạch hỗ trợ nạn nhân năm 2024", "Victim support plan 2024"),
    }
}

fn plan_193() -> PlanRef {
    PlanRef {
        id: "programme-193".to_owned(),
        number: Some("193/QĐ-TTg".to_owned()),
        title: text("Chương trình phòng, chống mua bán người 2021-2025", "Anti-trafficking programme 2021-2025"),
    }
}

fn activities() -> Vec<ActivityProgress> {
    let police = Some(text("Công an tỉnh Quảng Nam", "Quang Nam Provincial Police"));
    vec![
        ActivityProgress {
            plan: plan_193(),
            id: "peak-campaign-2023".to_owned(),
            title: text(
                "Đợt cao điểm tấn công, trấn áp tội phạm mua bán người (01/7–30/9/2023)",
                "Peak campaign against trafficking crimes (1 Jul–30 Sep 2023)",
            ),
            agency: Some(mps()),
            deadline: Some(date(2023, 9, 30)),
            status: Some(ActivityStatus::Done),
            source: "baoquocte-2023-08-24".to_owned(),
        },
        ActivityProgress {
            plan: plan_1522(),
            id: "review-absent-residents".to_owned(),
            title: text(
                "Rà soát người vắng mặt dài ngày tại địa phương",
                "Review residents long absent from their locality",
            ),
            agency: police.clone(),
            deadline: Some(date(2024, 12, 31)),
            status: Some(ActivityStatus::InProgress),
            source: "kh-1522-2024".to_owned(),
        },
        ActivityProgress {
            plan: plan_1522(),
            id: "screen-returnees".to_owned(),
            title: text("Sàng lọc công dân từ nước ngoài trở về", "Screen citizens returned from abroad"),
            agency: police,
            deadline: Some(date(2024, 12, 31)),
            status: None,
            source: "kh-1522-2024".to_owned(),
        },
    ]
}

fn data_quality() -> DataQuality {
    let national = text("Việt Nam", "Viet Nam");
    let report = text("Báo cáo thống kê 138/CP", "138/CP statistics form");
    let completeness = PROVINCES_2025
        .iter()
        .enumerate()
        .take(6)
        .map(|(index, (_, vi, en, _))| {
            let received = if index == 2 { 0 } else { 12 - (index as u32 % 4) };
            CompletenessRow {
                org_unit: text(vi, en),
                data_set: report.clone(),
                expected: 12,
                received,
                on_time: Some(received.saturating_sub(index as u32 % 3)),
            }
        })
        .collect::<Vec<CompletenessRow>>();
    let (none, completeness): (Vec<CompletenessRow>, Vec<CompletenessRow>) =
        completeness.into_iter().partition(|row| row.received == 0);
    let silent = vec![SilentUnits {
        data_set: report.clone(),
        expected: none.iter().map(|row| row.expected).sum(),
        org_units: none.into_iter().map(|row| row.org_unit).collect(),
    }];
    // A year whose only figures are quoted in another agency's publication is no report received.
    let (org_unit, data_set, periods) =
        (text(PROVINCES_2025[1].1, PROVINCES_2025[1].2), report.clone(), vec![period("2022Q3")]);
    DataQuality {
        completeness,
        silent,
        not_received: vec![NotReceived { org_unit, data_set, periods }],
        violations: vec![ViolationRow {
            rule: "victims-sex-sums-to-total".to_owned(),
            name: text("Nữ + nam = tổng số nạn nhân", "Female + male = all victims"),
            org_unit: national,
            period: period("2018..2022"),
            left: Value::Number(744.0 + 275.0),
            operator: "=".to_owned(),
            right: Value::Number(1240.0),
            severity: Severity::Warning,
            decimals: 2,
        }],
        // The sample suppresses cells, so its findings at them are not listed and the review says so.
        findings_at_suppressed_not_listed: true,
        unchecked_checks: 0,
        rows_left_out: Vec::new(),
        unread: Vec::new(),
        disagreements: vec![Disagreement {
            code: "W339".to_owned(),
            name: "periods-disagree".to_owned(),
            message: "victims_identified at vn: 2022 and its parts 2022S1 + 2022S2 add up to different numbers"
                .to_owned(),
            location: Some("data/national.csv:12".to_owned()),
        }],
        cautions: vec![
            Caution {
                title: text(
                    "Nạn nhân trong vụ án khác nạn nhân được xác định",
                    "Victims in cases are not victims identified",
                ),
                text: text(
                    "Năm 2022 có 222 nạn nhân trong các vụ án, trong khi Báo cáo TIP ghi 255 nạn nhân được xác định.",
                    "In 2022 the cases counted 222 victims, while the TIP report counts 255 victims identified.",
                ),
                sources: vec!["baoquocte-2023-08-24".to_owned(), "tip-2023".to_owned()],
            },
            Caution {
                title: text("Vụ án được xử lý khác vụ án khởi tố mới", "Cases handled are not newly initiated cases"),
                text: text(
                    "Năm 2024: 163 vụ được điều tra, xử lý (kể cả vụ chuyển từ năm trước), trong đó 91 vụ khởi tố mới.",
                    "2024: 163 cases investigated and handled (carried-over cases included), of which 91 newly initiated.",
                ),
                sources: vec!["nhandan-2024".to_owned()],
            },
            Caution {
                title: text("Phân tổ theo giới tính không cộng đủ tổng", "Sex breakdowns do not add up"),
                text: text(
                    "Giai đoạn 2018-2022: 744 nữ + 275 nam = 1.019, ít hơn tổng số 1.240 nạn nhân.",
                    "2018-2022: 744 female + 275 male = 1,019, short of the 1,240 victims in total.",
                ),
                sources: vec!["vnexpress-2018-2022".to_owned()],
            },
            Caution {
                title: text("Đối tượng, bị can, bị cáo", "Subjects, accused and defendants"),
                text: text(
                    "Đối tượng (phát hiện), bị can (khởi tố) và bị cáo (xét xử) là ba số đếm khác nhau.",
                    "Subjects (discovered), accused (prosecuted) and defendants (tried) are three different counts.",
                ),
                sources: vec!["baoquocte-2023-08-24".to_owned()],
            },
        ],
    }
}

/// The sample's cover: the mid-term review 2021-2023 as of 30 June 2025, a draft of Steering Committee 138/CP.
fn cover() -> Cover {
    Cover {
        kind: ReviewKind::MidTerm,
        document: DocumentInfo {
            issuer: Some(text("Ban Chỉ đạo 138/CP", "Steering Committee 138/CP")),
            number: None,
            date: None,
            is_final: false,
            illustrative: false,
        },
        title: text(
            "Báo cáo đánh giá giữa kỳ Chương trình phòng, chống mua bán người giai đoạn 2021-2025",
            "Mid-term review of the Programme on preventing and combating human trafficking 2021-2025",
        ),
        programme: text(
            "Chương trình phòng, chống mua bán người giai đoạn 2021-2025 và định hướng đến năm 2030",
            "Programme on preventing and combating human trafficking 2021-2025, orientation to 2030",
        ),
        programme_number: Some("193/QĐ-TTg".to_owned()),
        programme_period: period("2021..2025"),
        plan: None,
        org_unit: text("Việt Nam", "Viet Nam"),
        window: period("2021..2023"),
        as_of: date(2025, 6, 30),
        inputs: vec![
            InputDigest {
                path: "data/national.csv".to_owned(),
                sha256: Some("6f1ed002ab5595859014ebf0951522d9a7d3c2f2b1c6c1a1d7e1f0a9b8c7d6e5".to_owned()),
                data: true,
            },
            InputDigest {
                path: "indicators/programme-193.toml".to_owned(),
                sha256: Some("0c9a4c3d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809".to_owned()),
                data: false,
            },
        ],
        generator: "tiendo 0.1.0".to_owned(),
    }
}

/// A sample headline count: `(period, value)` against the same period a year earlier (`None`: no earlier value),
/// both citing the sample's news source, with the change evaluation would give.
fn headline(label: Text, unit: Option<Text>, (period_id, value): (&str, f64), previous: Option<f64>) -> Headline {
    let now = period(period_id);
    let previous_period = now.same_period_last_year();
    let change = match previous {
        Some(before) => ChangeView::Change {
            previous_period,
            absolute: value - before,
            unit: tiendo_core::ChangeKind::Relative,
            percent: Some((value - before) / before * 100.0),
        },
        None => ChangeView::NoPrevious { previous_period },
    };
    let source = "baoquocte-2023-08-24".to_owned();
    Headline {
        code: label.en.clone(),
        label,
        unit,
        period: now,
        value: Value::Number(value),
        previous_period,
        previous_value: previous.into(),
        decimals: 0,
        previous_source: previous.map(|_| source.clone()),
        source,
        synthetic: false,
        previous_synthetic: false,
        previous_partial: false,
        estimate: false,
        previous_estimate: false,
        derived: false,
        previous_derived: false,
        partial: false,
        provisional: false,
        previous_provisional: false,
        after_end: false,
        previous_after_end: false,
        restated: false,
        previous_restated: false,
        series_break: false,
        contested: false,
        previous_contested: false,
        previous_other_basis: false,
        previous_combined: false,
        partial_notes: Vec::new(),
        change,
    }
}

/// The sample's executive summary: four headline counts against the same period of the year before, two findings.
fn summary() -> ExecutiveSummary {
    ExecutiveSummary {
        headlines: vec![
            headline(
                text("Vụ mua bán người được phát hiện, điều tra", "Trafficking cases investigated"),
                Some(text("vụ", "cases")),
                ("2022", 90.0),
                Some(77.0),
            ),
            headline(text("Đối tượng mua bán người", "Trafficking suspects"), None, ("2022", 247.0), Some(149.0)),
            headline(
                text("Vụ mua bán người được phát hiện, điều tra", "Trafficking cases investigated"),
                Some(text("vụ", "cases")),
                ("2023Q1", 56.0),
                Some(24.0),
            ),
            headline(
                text("Nạn nhân trong các vụ án", "Victims in the cases"),
                Some(text("người", "persons")),
                ("2023Q1", 118.0),
                None,
            ),
        ],
        findings: vec![
            text(
                "Số vụ và số đối tượng bị phát hiện tăng mạnh: năm 2022 tăng 13 vụ và 98 đối tượng so với năm 2021.",
                "Cases and suspects discovered rose sharply: in 2022, 13 more cases and 98 more suspects than in 2021.",
            ),
            text(
                "Bốn trong năm chỉ tiêu định lượng của Quyết định 193/QĐ-TTg chưa có số liệu để đánh giá.",
                "Four of the five quantitative targets of Decision 193/QĐ-TTg have no data to assess them.",
            ),
        ],
    }
}

/// The sample's plugin section: one metric computed and one plugin that failed in the sandbox.
fn plugins() -> PluginSection {
    PluginSection {
        metrics: vec![PluginMetricRow {
            plugin: "victim-support-share".to_owned(),
            plugin_name: "Victim support share".to_owned(),
            metric: "supported-share".to_owned(),
            name: text("P1 – Tỷ lệ nạn nhân được hỗ trợ", "P1 – Share of victims supported"),
            org_unit: text("Việt Nam", "Viet Nam"),
            period: period("2023S1"),
            value: Value::Number(65.0 / 82.0 * 100.0),
            unit: Some(text("%", "%")),
            decimals: 1,
            synthetic: false,
            estimate: false,
            derived: false,
            note: Some(Text::new("65 hỗ trợ / 82 xác định", "65 supported / 82 identified")),
            caveat: None,
            partial: false,
        }],
        failures: vec![PluginFailureRow {
            plugin: "hostile-loop".to_owned(),
            plugin_name: "hostile-loop".to_owned(),
            error: "fuel-exhausted".to_owned(),
            message: "the plugin ran out of fuel before returning".to_owned(),
            metrics: vec!["loop-forever".to_owned()],
        }],
    }
}

/// The mid-term review 2021-2023 of Decision 193/QĐ-TTg with the published national figures.
pub fn mid_term_review() -> Review {
    let threshold = 11;
    let mut review = Review::new(
        cover(),
        Confidentiality { threshold, suppressed_cells: 0, audit: None, note: None, protects: true },
    );
    review.summary = summary();
    review.indicators = indicators();
    review.provincial_comparisons = vec![provincial_comparison(threshold)];
    review.synthetic.figures = review
        .provincial_comparisons
        .iter()
        .filter(|c| c.synthetic)
        .map(|c| {
            text(&format!("So sánh giữa các tỉnh: {}", c.title.vi), &format!("Provincial comparison: {}", c.title.en))
        })
        .collect();
    review.disaggregations = disaggregations();
    review.plugins = plugins();
    review.activities = activities();
    // The targets the sample has no figure for, as `build` would list them.
    review.data_gaps = ["T1", "T3", "T4", "T5"]
        .iter()
        .filter_map(|code| review.indicators.iter().find(|i| i.code == *code))
        .map(|i| DataGap {
            indicator_code: i.code.clone(),
            indicator: i.name.clone(),
            missing: vec![text("Số liệu của biểu mẫu thống kê 138/CP", "Figures of the 138/CP statistics form")],
            agency: i.agency.clone(),
            forms: vec![text(
                "Biểu mẫu thống kê 138/CP (từ tháng 1/2023)",
                "138/CP statistics form (from January 2023)",
            )],
            period: None,
        })
        .collect();
    review.data_quality = data_quality();
    review.methodology = vec![MethodNote {
        title: text("Năm thống kê", "Statistical year"),
        body: text(
            "Số liệu được ghi theo năm như đã công bố; thống kê tội phạm có thể dùng năm từ 15/12 đến 14/12 (chưa kiểm chứng).",
            "Figures are recorded by year as published; crime statistics may use a 15 Dec to 14 Dec year (unverified).",
        ),
    }];
    review.sources = sources();
    review.evidence = evidence::evidence(&review);
    review.confidentiality.suppressed_cells = review
        .provincial_comparisons
        .iter()
        .flat_map(|c| c.values.iter())
        .filter(|v| v.value == Value::Suppressed)
        .count() as u32;
    review
}

impl Review {
    /// The sample review of [`mid_term_review`], for tests, benchmarks and demonstrations.
    pub fn sample() -> Review {
        mid_term_review()
    }
}
