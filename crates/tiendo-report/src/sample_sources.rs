//! The bibliography of the sample review: the documents its figures cite, each with a public note in both
//! languages where one helps a reader.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use tiendo_core::{SourceKind, Text};

use super::{SYNTHETIC_EXAMPLE, date, text};
use crate::model::SourceEntry;

fn source(
    id: &str,
    number: Option<&str>,
    title: Text,
    issuer: Text,
    date: Option<NaiveDate>,
    note: impl Into<Option<Text>>,
) -> SourceEntry {
    SourceEntry {
        id: id.to_owned(),
        kind: if id == SYNTHETIC_EXAMPLE { SourceKind::Synthetic } else { SourceKind::Official },
        number: number.map(str::to_owned),
        title,
        issuer: Some(issuer),
        date,
        url: None,
        note: note.into(),
        uncertain: false,
    }
}

/// The sample's bibliography, keyed by source id: [`official_documents`] and [`reports`].
pub(super) fn sources() -> BTreeMap<String, SourceEntry> {
    official_documents().into_iter().chain(reports()).map(|s| (s.id.clone(), s)).collect()
}

/// The decisions, plans and resolutions the targets and the merger come from.
fn official_documents() -> Vec<SourceEntry> {
    vec![
        source(
            "qd-193-2021",
            Some("193/QĐ-TTg"),
            text(
                "Quyết định phê duyệt Chương trình phòng, chống mua bán người giai đoạn 2021-2025 và định hướng đến năm 2030",
                "Decision approving the Programme on preventing and combating human trafficking 2021-2025, orientation to 2030",
            ),
            text("Thủ tướng Chính phủ", "Prime Minister"),
            Some(date(2021, 2, 9)),
            None,
        ),
        source(
            "kh-19-2024",
            Some("19/KH-BCĐ138/CP"),
            text(
                "Kế hoạch phòng, chống mua bán người năm 2024",
                "Plan on preventing and combating human trafficking in 2024",
            ),
            text("Ban Chỉ đạo 138/CP", "Steering Committee 138/CP"),
            Some(date(2024, 1, 15)),
            text(
                "nhắc lại các mục tiêu của Quyết định 193/QĐ-TTg và nêu T3-T5",
                "repeats the targets of 193/QĐ-TTg and states T3-T5",
            ),
        ),
        source(
            "kh-1522-2024",
            Some("1522/KH-UBND"),
            text(
                "Kế hoạch hỗ trợ nạn nhân bị mua bán năm 2024 của tỉnh Quảng Nam",
                "Quang Nam plan for supporting victims of trafficking in 2024",
            ),
            text("UBND tỉnh Quảng Nam", "People's Committee of Quang Nam"),
            Some(date(2024, 3, 17)),
            None,
        ),
        source(
            "nq-202-2025",
            Some("202/2025/QH15"),
            text(
                "Nghị quyết về sắp xếp đơn vị hành chính cấp tỉnh",
                "Resolution on the arrangement of provincial units",
            ),
            text("Quốc hội", "National Assembly"),
            Some(date(2025, 6, 12)),
            None,
        ),
    ]
}

/// The published figures (press articles quoting the authorities, the U.S. TIP reports) and the sample's synthetic
/// source.
fn reports() -> Vec<SourceEntry> {
    let mut reports = vec![
        source(
            "baoquocte-2023-08-24",
            None,
            text(
                "Phòng, chống mua bán người ở Việt Nam: Những chuyển biến đáng ghi nhận",
                "Preventing and combating human trafficking in Vietnam: remarkable changes",
            ),
            text("Báo Quốc tế", "The World & Vietnam Report"),
            Some(date(2023, 8, 24)),
            None,
        ),
        source(
            "lsvn-2023-h1",
            None,
            text("Kết quả phòng, chống mua bán người 6 tháng đầu năm 2023", "Anti-trafficking results in H1 2023"),
            text("Tạp chí Luật sư Việt Nam", "Vietnam Lawyers' Review"),
            Some(date(2023, 7, 29)),
            None,
        ),
        source(
            "nhandan-2024",
            None,
            text("Kết quả phòng, chống mua bán người năm 2024", "Anti-trafficking results in 2024"),
            text("Báo Nhân Dân", "Nhan Dan"),
            None,
            text(
                "163 vụ được điều tra, xử lý, trong đó 91 vụ khởi tố mới",
                "163 cases investigated and handled, of which 91 newly initiated",
            ),
        ),
        source(
            "vnexpress-2018-2022",
            None,
            text("Số liệu mua bán người giai đoạn 2018-2022", "Trafficking figures 2018-2022"),
            text("VnExpress", "VnExpress International"),
            None,
            None,
        ),
        source(
            "synthetic-example",
            None,
            text(
                "Dữ liệu minh họa tổng hợp – không phải số liệu thật",
                "Synthetic illustrative data – not real figures",
            ),
            text("tiendo", "tiendo"),
            None,
            text("chưa công bố số liệu cấp tỉnh", "no provincial counts have been published"),
        ),
    ];
    reports.extend(tip_reports());
    reports
}

/// The U.S. Trafficking in Persons reports, by report year: Viet Nam's tier and the victim figures they quote.
fn tip_reports() -> Vec<SourceEntry> {
    vec![
        source(
            "tip-2022",
            None,
            text("Báo cáo về tình hình buôn bán người 2022: Việt Nam", "2022 Trafficking in Persons Report: Vietnam"),
            text("Bộ Ngoại giao Hoa Kỳ", "U.S. Department of State"),
            None,
            text("số liệu năm 2021", "covers 2021"),
        ),
        source(
            "tip-2021",
            None,
            text("Báo cáo về tình hình buôn bán người 2021: Việt Nam", "2021 Trafficking in Persons Report: Vietnam"),
            text("Bộ Ngoại giao Hoa Kỳ", "U.S. Department of State"),
            None,
            text("Nhóm 2 - danh sách theo dõi", "Tier 2 Watch List"),
        ),
        source(
            "tip-2024",
            None,
            text("Báo cáo về tình hình buôn bán người 2024: Việt Nam", "2024 Trafficking in Persons Report: Vietnam"),
            text("Bộ Ngoại giao Hoa Kỳ", "U.S. Department of State"),
            None,
            text("Nhóm 2", "Tier 2"),
        ),
        source(
            "tip-2023",
            None,
            text("Báo cáo về tình hình buôn bán người 2023: Việt Nam", "2023 Trafficking in Persons Report: Vietnam"),
            text("Bộ Ngoại giao Hoa Kỳ", "U.S. Department of State"),
            None,
            text("số liệu năm 2022", "covers 2022"),
        ),
    ]
}
