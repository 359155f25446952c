//! The template context of the evidence sections (`evidence` in the context; the partial `evidence` renders it):
//! results by work area and agency, the justice-chain funnel and the victim pathway, the regional comparisons of
//! rates, every number written in the report's language and every label in [`LABELS`].
//!
//! Context: `evidence.labels.*`, `evidence.by_work_area[]` and `evidence.by_agency[]` (`name`, `indicators`,
//! `counts[]` in [`Status::ALL`] order, `activities`, `activities_done`, `activities_overdue`, `activities_unknown`),
//! `evidence.status_headers[]` (`label`, `class`, `symbol`), `evidence.funnels[]` and `evidence.victims` (`id`,
//! `anchor`, `title`, `chart` (`file`, `svg`), `periods[]`, `rows[]` a row per stage (`name`, `code`, `cells[]` a
//! cell per period (`value`, `share`, `show_share`, `synthetic`, `citation`)), `any_synthetic`),
//! `evidence.regional[]` (`id`, `anchor`, `title`, `chart`, `citations[]`, `synthetic`, `rows[]` a row per region
//! (`name`, `coverage`, `highest`, `lowest`, `suppressed`, `citation`)), `evidence.handover` (end-of-term only:
//! `programme`, `title`, `year`, `rows[]` (`code`, `name`, `value`, `synthetic`, `note`, `citation`)),
//! `evidence.any` (any table to show).

use serde_json::{Value as Json, json};
use tiendo_core::Lang;

use crate::format;
use crate::i18n;
use crate::model::{Review, Status, Value};
use crate::model_evidence::{Funnel, RegionalComparison, ResultGroup};
use tiendo_core::Period;

/// The evidence sections' fixed words: (key, Vietnamese, English).
pub const LABELS: &[(&str, &str, &str)] = &[
    ("by_work_area", "Kết quả theo lĩnh vực công tác", "Results by work area"),
    (
        "by_rule_note",
        "* Trong đó: số chỉ số mà phương pháp đánh giá theo quy tắc riêng, ngược với mục tiêu như đã đặt (xem bảng chỉ số).",
        "* Of these: indicators whose status the method decided by its own rule, against the target as set (see the indicator table).",
    ),
    ("by_agency", "Kết quả theo cơ quan chủ trì", "Results by responsible agency"),
    (
        "by_agency_intro",
        "Cơ quan chủ trì tại ngày cuối của kỳ đánh giá (khi nhiệm vụ đã chuyển sang cơ quan khác, ghi cơ quan tiếp nhận).",
        "The responsible agency on the review's last day (where a function passed to another agency, its successor).",
    ),
    ("work_area", "Lĩnh vực", "Work area"),
    ("agency", "Cơ quan", "Agency"),
    ("indicators", "Số chỉ số", "Indicators"),
    ("activities", "Nhiệm vụ", "Activities"),
    ("activities_done", "Đã hoàn thành", "Done"),
    ("activities_overdue", "Quá hạn", "Overdue"),
    ("activities_unknown", "Đã qua thời hạn, chưa rõ tình trạng", "Past deadline, status unknown"),
    ("justice_chain", "Chuỗi tố tụng: từ phát hiện đến xét xử", "The justice chain: from detection to trial"),
    (
        "funnel_intro",
        "Số liệu của từng khâu trong cùng một năm và tỷ lệ so với khâu đầu tiên. Đây là cách đọc theo chuỗi: các vụ \
         xét xử trong năm không nhất thiết là các vụ được phát hiện trong năm đó, và tỷ lệ này không phải là tỷ lệ \
         của ngành (T4, T5 do Viện kiểm sát và Tòa án tính trên số vụ đã thụ lý).",
        "Each stage's count in the same year and its share of the first stage. This is a funnel reading: the cases \
         tried in a year are not necessarily those detected that year, and the shares are not the sectors' own rates \
         (T4 and T5, as the procuracy and the courts compute them, divide by the cases they accepted).",
    ),
    ("victim_pathway", "Nạn nhân: từ xác định đến tái hòa nhập", "Victims: from identification to reintegration"),
    (
        "victim_intro",
        "Số nạn nhân ở từng bước trong cùng một năm và tỷ lệ so với số nạn nhân được xác định. Số nhỏ được ẩn để bảo \
         vệ nạn nhân; tỷ lệ tính từ số bị ẩn cũng được ẩn.",
        "Victims at each step in the same year and their share of the victims identified. Small counts are hidden to \
         protect victims; a share computed from a hidden count is hidden too.",
    ),
    ("stage", "Khâu", "Stage"),
    ("year", "Năm", "Year"),
    ("count", "Số lượng", "Count"),
    ("share_of_first", "Tỷ lệ so với khâu đầu", "Share of the first stage"),
    ("indicator_code", "Chỉ số", "Indicator"),
    ("partial", "chưa đầy đủ", "partial"),
    ("other_basis", "tổng đơn vị cấp dưới", "sum of units below"),
    ("other_basis_combined", "tự báo cáo và đơn vị cấp dưới", "own reports and units below"),
    ("after_end", "báo cáo sau khi đơn vị kết thúc", "reported after the unit ended"),
    ("series_break", "chuỗi số liệu gián đoạn", "a break in the series"),
    (
        "contested",
        "các báo cáo mâu thuẫn nhau: một kỳ và các kỳ con được báo cáo khác nhau; không dùng để đánh giá",
        "reports disagree: a period and its parts were reported as different numbers; not used for any status",
    ),
    ("restated", "gồm số liệu đơn vị kế thừa báo cáo lại", "includes a restatement by a later unit"),
    (
        "after_end_restated",
        "báo cáo sau khi đơn vị kết thúc; gồm số liệu đơn vị kế thừa báo cáo lại",
        "reported after the unit ended; includes a restatement by a later unit",
    ),
    ("no_stage_data", "Không chỉ số nào đếm khâu này.", "No indicator counts this stage."),
    (
        "no_funnel",
        "Chưa có số liệu của chuỗi tố tụng trong kỳ đánh giá.",
        "No justice-chain data in the review window.",
    ),
    ("annex_provinces", "Phụ lục: Số liệu theo tỉnh, thành phố", "Annex: Figures by province"),
    (
        "annex_intro",
        "Bảng đầy đủ của mỗi chỉ số theo tỉnh, thành phố, xếp từ cao xuống thấp; mở từng mục để xem biểu đồ và bảng.",
        "Each indicator's full table by province, ranked from highest to lowest; open an entry for its chart and table.",
    ),
    (
        "annex_none",
        "Bản đánh giá này không xếp hạng số liệu nào theo tỉnh, thành phố: không có số đếm, tỷ lệ hay tỷ số nào có giá \
         trị ở cấp tỉnh trong kỳ đánh giá (thang xếp hạng và câu trả lời có/không không được xếp hạng).",
        "This review ranks no figures by province: no count, share, ratio or rate has a value for a province in the \
         review window (scales and yes/no answers are not ranked).",
    ),
    ("annex_plugins", "Phụ lục: Chỉ số tính bằng phần mở rộng (plugin)", "Annex: Metrics computed by plugins"),
    ("handover", "Số liệu cơ sở chuyển sang chương trình tiếp theo", "Baselines handed to the next programme"),
    (
        "handover_intro",
        "Giá trị năm cuối của chương trình đối với các chỉ số mà chương trình tiếp theo theo dõi; đây là số liệu cơ sở \
         của chương trình đó.",
        "The last year's values of the indicators the next programme monitors: its baselines.",
    ),
    ("no_victims", "Chưa có số liệu về nạn nhân trong kỳ đánh giá.", "No victim data in the review window."),
    ("regional", "So sánh giữa các tỉnh, thành phố theo vùng", "Provinces compared within their regions"),
    (
        "regional_intro",
        "Chỉ so sánh các chỉ số là tỷ lệ (tử số và mẫu số của cùng tỉnh, cùng năm), không so sánh số tuyệt đối giữa \
         các tỉnh có quy mô dân số khác nhau. Mỗi ô là một vùng kinh tế - xã hội, cùng một thang đo; đường đứt nét \
         là chỉ tiêu của chương trình. Tỉnh có số liệu bị ẩn hoặc không có số liệu (kể cả khi thiếu mẫu số) không có \
         cột. Số liệu từng tỉnh ở phụ lục.",
        "Only rates are compared (numerator and denominator of the same province and year), never counts across \
         provinces of different size. Each panel is a socio-economic region, all on one scale; the dashed line is the \
         programme's target. A province whose value is suppressed or missing (a missing denominator included) has \
         no bar. Each province's figures are in the annex.",
    ),
    ("region", "Vùng", "Region"),
    ("whole_period", "Kết quả cả giai đoạn theo từng chỉ tiêu", "Each target over the whole programme period"),
    (
        "whole_period_intro",
        "Giá trị cơ sở, chỉ tiêu, giá trị từng năm của chương trình và đánh giá cuối kỳ của mỗi chỉ số có chỉ tiêu.",
        "For each indicator with a target: its baseline, its target, its value in each year of the programme and its \
         final status.",
    ),
    ("final_status", "Đánh giá cuối kỳ", "Final status"),
    ("coverage", "Số tỉnh có số liệu", "Provinces reported"),
    ("highest", "Cao nhất", "Highest"),
    ("lowest", "Thấp nhất", "Lowest"),
    ("hidden", "Bị ẩn", "Suppressed"),
    ("group_source", "Nguồn phân vùng", "Source of the regions"),
    (
        "no_regional",
        "Không có chỉ số tỷ lệ nào có số liệu của các tỉnh, thành phố được phân vùng (63 tỉnh, thành phố trước ngày \
         01/7/2025) trong kỳ đánh giá.",
        "No rate indicator has figures in the review window for the provinces grouped into regions (the 63 provinces \
         before 1 July 2025).",
    ),
    (
        "no_regions",
        "Danh mục không phân các tỉnh, thành phố theo vùng (nhóm đơn vị loại region), nên các tỉnh, thành phố không \
         được so sánh theo vùng.",
        "The catalogue groups no provinces into regions (org-unit groups of kind region), so provinces are not \
         compared region by region.",
    ),
];

/// The words a table writes after a value reported outside its unit's life or across a change of definition, in
/// `lang`: "reported after the unit ended" (`Point::after_end`), "includes a restatement by a later unit"
/// (`Coverage::restated`), "a break in the series" (`Point::series_break`), each that holds; `None` for none.
/// `(series_break, contested)`: the value follows a break in its series, and it reads reports that others contradict
/// (`Point::contested`, "reports disagree").
pub(crate) fn timing_label(
    after_end: bool,
    restated: bool,
    (series_break, contested): (bool, bool),
    lang: Lang,
) -> Option<String> {
    let life = match (after_end, restated) {
        (false, false) => None,
        (true, false) => Some(label("after_end", lang)),
        (false, true) => Some(label("restated", lang)),
        (true, true) => Some(label("after_end_restated", lang)),
    };
    let words: Vec<&str> = (life.into_iter())
        .chain(series_break.then(|| label("series_break", lang)))
        .chain(contested.then(|| label("contested", lang)))
        .collect();
    (!words.is_empty()).then(|| words.join("; "))
}

/// The mark of a value of another basis than the unit's own reports: "sum of units below", or, `combined`, "own
/// reports and units below" (`SeriesPoint::combined`).
pub(crate) fn other_basis_label(combined: bool, lang: Lang) -> &'static str {
    label(if combined { "other_basis_combined" } else { "other_basis" }, lang)
}

/// The label `key` in `lang` (the key itself if unknown, so that a typo shows).
pub fn label(key: &str, lang: Lang) -> &str {
    LABELS.iter().find(|(k, _, _)| *k == key).map_or(key, |(_, vi, en)| if lang == Lang::Vi { vi } else { en })
}

fn group(row: &ResultGroup, lang: Lang) -> Json {
    json!({
        "name": row.name.get(lang),
        "indicators": row.indicators,
        // "3 (2*)": two of the three decided by the method's own rule, explained under the table.
        "counts": Status::ALL
            .iter()
            .map(|s| {
                let count = row.statuses.get(s).copied().unwrap_or(0);
                row.by_rule.get(s).map_or(count.to_string(), |n| format!("{count} ({n}*)"))
            })
            .collect::<Vec<_>>(),
        "activities": row.activities,
        "activities_done": row.activities_done,
        "activities_overdue": row.activities_overdue,
        "activities_unknown": row.activities_unknown,
    })
}

/// "9/11 tỉnh, thành phố có số liệu" / "9 of 11 provinces reported": a panel's coverage.
pub(crate) fn coverage(reported: usize, expected: usize, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{reported}/{expected} tỉnh, thành phố có số liệu"),
        Lang::En => format!("{reported} of {expected} provinces reported"),
    }
}

/// A regional comparison's title: code, name and year, and the synthetic label when any value is synthetic (a chart
/// may be copied without the text around it).
pub(crate) fn regional_title(comparison: &RegionalComparison, lang: Lang) -> String {
    let synthetic = if !comparison.synthetic {
        ""
    } else if lang == Lang::Vi {
        " (dữ liệu giả lập)"
    } else {
        " (synthetic data)"
    };
    format!(
        "{} – {}{synthetic} – {}",
        comparison.indicator_code,
        comparison.name.get(lang),
        format::period(comparison.period, lang)
    )
}

/// A share of the first stage: `64.5%`, or the suppressed / no-data label.
pub(crate) fn share(value: Value, lang: Lang) -> String {
    match value {
        Value::Number(n) if n.is_finite() => format!("{}%", format::share(n, 1, lang)),
        other => format::value(other, 1, lang),
    }
}

/// A funnel as one table: a row per stage, a column per year, each cell the count and its share of the first stage.
fn funnel(funnel: &Funnel, lang: Lang, citation: &dyn Fn(&str) -> usize, chart: &dyn Fn(&str) -> Json) -> Json {
    let rows: Vec<Json> = funnel
        .stages
        .iter()
        .enumerate()
        .map(|(index, stage)| {
            json!({
                "name": stage.name.get(lang),
                "code": stage.indicator_code,
                "cells": funnel.years.iter().map(|y| {
                    let c = &y.cells[index];
                    json!({
                        "value": format::value(c.value, 0, lang),
                        "share": if c.partial { label("partial", lang).to_owned() } else { share(c.share, lang) },
                        // The first stage is 100% of itself, and a stage without a count has no share to show.
                        "show_share": index > 0 && c.value != Value::Missing,
                        "synthetic": c.synthetic,
                        "estimate": c.estimate,
                        "derived": c.derived,
                        "partial": c.partial && c.value.number().is_some(),
                        "provisional": c.provisional,
                        "other_basis": c.basis_marks.labels(lang).0,
                        "after_end": c.basis_marks.labels(lang).1,
                        "citation": c.source.as_deref().map(citation),
                    })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "id": funnel.id,
        "anchor": format!("funnel-{}", funnel.id),
        "title": funnel.title.get(lang),
        "periods": funnel.years.iter().map(|y| format::period(y.period, lang)).collect::<Vec<_>>(),
        "rows": rows,
        "any_synthetic": funnel.years.iter().flat_map(|y| y.cells.iter()).any(|c| c.synthetic),
        "chart": chart(&format!("funnel-{}", funnel.id)),
    })
}

/// A regional comparison: its chart and a row per region (coverage, highest, lowest, suppressed), the text
/// counterpart of the panels.
fn regional(
    comparison: &RegionalComparison,
    lang: Lang,
    citation: &dyn Fn(&str) -> usize,
    chart: &dyn Fn(&str) -> Json,
) -> Json {
    let unit = comparison.unit.as_ref().map(|u| u.get(lang)).filter(|u| !u.is_empty());
    let written = |v: &crate::model_evidence::RegionalValue| {
        let number = v.value.number().map_or_else(
            || format::value(v.value, comparison.decimals, lang),
            |n| format::with_unit(n, comparison.decimals, unit, lang),
        );
        let marks = crate::chart_text::all_marks(v.value, crate::chart_text::Marks::of_regional(v), lang);
        format!("{} {number}{marks}", v.name.get(lang))
    };
    let rows: Vec<Json> = comparison
        .panels
        .iter()
        .map(|panel| {
            let numbers: Vec<_> = panel.values.iter().filter(|v| v.value.number().is_some()).collect();
            json!({
                "name": panel.name.get(lang),
                "coverage": format!("{}/{}", panel.reported, panel.expected),
                "highest": numbers.first().map(|v| written(v)),
                "lowest": numbers.last().filter(|_| numbers.len() > 1).map(|v| written(v)),
                "suppressed": panel.values.iter().filter(|v| v.value == Value::Suppressed).count(),
                "citation": panel.source.as_deref().map(citation),
            })
        })
        .collect();
    json!({
        "id": comparison.id,
        "anchor": format!("regions-{}", comparison.id),
        "title": regional_title(comparison, lang),
        "chart": chart(&format!("regions-{}", comparison.id)),
        "rows": rows,
        "citations": comparison.sources.iter().map(|s| citation(s)).collect::<Vec<_>>(),
        "synthetic": comparison.synthetic,
    })
}

/// The whole-period table: a row per target with baseline, target, each year's value (marks and citation) and the
/// final status, written as the indicator table writes them.
fn whole_period(
    review: &Review,
    whole: &crate::model_evidence::WholePeriod,
    lang: Lang,
    citation: &dyn Fn(&str) -> usize,
) -> Json {
    let rows: Vec<Json> = whole
        .rows
        .iter()
        .filter_map(|row| {
            let indicator = review.indicators.iter().find(|i| i.id == row.indicator)?;
            Some(json!({
                "code": row.indicator_code,
                "name": indicator.name.get(lang),
                "baseline": indicator.baseline.as_ref().map(|b| format!(
                    "{} ({}{})",
                    crate::render::baseline_value(indicator, b, lang),
                    crate::render::baseline_period(b, lang),
                    match (b.estimate, b.derived, b.synthetic) {
                        (true, _, _) => format!(", {}", i18n::label("estimate_word", lang)),
                        (false, true, _) => format!(", {}", i18n::label("derived_word", lang)),
                        (false, false, true) => format!(", {}", i18n::label("synthetic_word", lang)),
                        _ => String::new(),
                    } + if b.uncertain { format!(", {}", i18n::label("not_confirmed_word", lang)) } else { String::new() }.as_str()
                        + b.note.as_ref().map(|n| format!("; {}", n.get(lang))).unwrap_or_default().as_str()
                )),
                "target": indicator.target.as_ref().map(|t| format!(
                    "{} ({})",
                    crate::render::target_text(indicator, t, lang, false),
                    format::period(t.period, lang)
                )),
                "values": row.values.iter().zip(&whole.years).map(|(point, year)| match point {
                    Some(p) => json!({
                        "value": part_of_year(
                            crate::render::shown_value(indicator, p.value, p.shown_decimals(indicator.decimals), lang),
                            (p.period, *year),
                            lang,
                        ),
                        "synthetic": p.synthetic && p.value != Value::Missing,
                        "estimate": p.estimate && p.value != Value::Missing,
                        "derived": p.derived && p.value != Value::Missing,
                        "partial": p.partial && p.value.number().is_some(),
                        "other_basis": p.basis_marks().labels(lang).0,
                        "after_end": p.basis_marks().labels(lang).1,
                        "provisional": p.provisional && p.value != Value::Missing,
                        "beyond_limit": p.beyond_limit.map(|limit| {
                            crate::i18n::label("beyond_limit", lang).replace("{limit}", &format::number(limit, 0, lang))
                        }),
                        "citation": (p.value != Value::Missing).then(|| citation(&p.source)),
                        // Why a year with reports has no value (a blend of synthetic and real figures, a ratio
                        // over 0): "—" alone read as a gap (round 67, found by a verifier).
                        "why": (p.value == Value::Undefined).then(|| p.note.as_ref().map(|n| n.get(lang))).flatten(),
                    }),
                    None => json!({ "value": format::value(Value::Missing, 0, lang) }),
                }).collect::<Vec<_>>(),
                "status": {
                    // The indicator table's words ("no data" where the series has no value at all).
                    "label": i18n::indicator_status(indicator, lang),
                    "class": row.status.as_str(),
                    "symbol": i18n::status_symbol(row.status),
                    "note": indicator.status_remarks(lang).filter(|_| row.status == indicator.status),
                },
            }))
        })
        .collect();
    // A window that starts after the programme: the years before it are not in this review, and the table says so.
    let left_out = whole.left_out.map(|years| {
        let years = format::period(years, lang);
        match lang {
            Lang::Vi => format!("Các năm {years} nằm ngoài kỳ đánh giá của báo cáo này nên không có trong bảng."),
            _ => format!("The years {years} lie before this review's window and are not in the table."),
        }
    });
    json!({
        "years": whole.years.iter().map(|y| format::period_short(*y, lang)).collect::<Vec<_>>(),
        "rows": rows,
        "left_out": left_out,
    })
}

/// The note of a handover row whose last year has no value: its latest part, which is not the year's baseline
/// ("no figure for the whole year; latest part: 237 (H1 2025, provisional) [7]").
fn handover_part(
    part: &crate::model::SeriesPoint,
    row: &crate::model_evidence::HandoverRow,
    lang: Lang,
    citation: &dyn Fn(&str) -> usize,
) -> String {
    let value = match part.value.number() {
        Some(n) => {
            format::with_unit(n, part.shown_decimals(row.decimals), row.unit.as_ref().map(|u| u.get(lang)), lang)
        }
        None => format::value(part.value, 0, lang),
    };
    let mut marks = vec![format::period(part.period, lang)];
    if part.partial && part.value.number().is_some() {
        marks.push(label("partial", lang).to_owned());
    }
    if part.provisional {
        marks.push(crate::i18n::label("provisional", lang).to_owned());
    }
    // Reported past its unit's end, a break in the series, reports that disagree (round 68, found by a reader).
    marks.extend(part.basis_marks().labels(lang).1);
    let (marks, source) = (marks.join(", "), citation(&part.source));
    match lang {
        Lang::Vi => format!("không có số liệu cả năm; số liệu gần nhất: {value} ({marks}) [{source}]"),
        _ => format!("no figure for the whole year; latest part: {value} ({marks}) [{source}]"),
    }
}

/// A value of the whole-period table: of its year as it is; of a part of the year (the part that decided the status)
/// with the part named, `120 (H1 2025)`.
fn part_of_year(value: String, (period, year): (Period, Period), lang: Lang) -> String {
    if period == year { value } else { format!("{value} ({})", format::period_short(period, lang)) }
}

/// The `evidence` object of the template context.
pub fn context(review: &Review, lang: Lang, citation: &dyn Fn(&str) -> usize, chart: &dyn Fn(&str) -> Json) -> Json {
    let evidence = &review.evidence;
    let labels: serde_json::Map<String, Json> =
        LABELS.iter().map(|(key, _, _)| ((*key).to_owned(), Json::from(label(key, lang)))).collect();
    json!({
        "labels": labels,
        "any": !evidence.by_work_area.is_empty() || !evidence.by_agency.is_empty(),
        "status_headers": Status::ALL.iter().map(|s| json!({
            "label": i18n::status(*s, lang),
            "class": s.as_str(),
            "symbol": i18n::status_symbol(*s),
        })).collect::<Vec<_>>(),
        "by_work_area": evidence.by_work_area.iter().map(|r| group(r, lang)).collect::<Vec<_>>(),
        "by_rule": evidence.by_work_area.iter().chain(&evidence.by_agency).any(|r| !r.by_rule.is_empty()),
        "by_agency": evidence.by_agency.iter().map(|r| group(r, lang)).collect::<Vec<_>>(),
        "funnels": evidence.justice_chain.iter().map(|f| funnel(f, lang, citation, chart)).collect::<Vec<_>>(),
        "victims": evidence.victim_pathway.as_ref().map(|f| funnel(f, lang, citation, chart)),
        "whole_period": evidence.whole_period.as_ref().map(|w| whole_period(review, w, lang, citation)),
        "regional": evidence.regional.iter().map(|c| regional(c, lang, citation, chart)).collect::<Vec<_>>(),
        "no_regional": label(if evidence.regions { "no_regional" } else { "no_regions" }, lang),
        "handover": evidence.handover.as_ref().map(|h| json!({
            "programme": h.programme.number.clone().unwrap_or_else(|| h.programme.title.get(lang).to_owned()),
            "title": h.programme.title.get(lang),
            "year": format::period(h.year, lang),
            "rows": h.rows.iter().map(|r| json!({
                "code": r.indicator_code,
                "name": r.name.get(lang),
                "value": r.value.as_ref().map_or_else(
                    || format::value(Value::Missing, 0, lang),
                    |p| match p.value.number() {
                        Some(n) => {
                            format::with_unit(n, p.shown_decimals(r.decimals), r.unit.as_ref().map(|u| u.get(lang)), lang)
                        }
                        None => format::value(p.value, 0, lang),
                    },
                ),
                "synthetic": r.value.as_ref().is_some_and(|p| p.synthetic),
                "estimate": r.value.as_ref().is_some_and(|p| p.estimate && p.value != Value::Missing),
                "derived": r.value.as_ref().is_some_and(|p| p.derived && p.value != Value::Missing),
                "partial": r.value.as_ref().is_some_and(|p| p.partial && p.value.number().is_some()),
                "provisional": r.value.as_ref().is_some_and(|p| p.provisional && p.value != Value::Missing),
                "note": r.value.as_ref().and_then(|p| p.note.as_ref()).map(|n| n.get(lang).to_owned())
                    .or_else(|| r.latest_part.as_ref().map(|p| handover_part(p, r, lang, citation))),
                "citation": r.value.as_ref().filter(|p| p.value != Value::Missing).map(|p| citation(&p.source)),
            })).collect::<Vec<_>>(),
        })),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_label_has_both_languages_and_a_unique_key() {
        let keys: BTreeSet<&str> = LABELS.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(keys.len(), LABELS.len());
        for (key, vi, en) in LABELS {
            assert!(!vi.trim().is_empty() && !en.trim().is_empty(), "{key}");
            assert_ne!(vi, en, "{key} is not translated");
        }
    }

    #[test]
    fn a_share_is_a_percentage_or_the_word_for_suppressed_or_missing() {
        assert_eq!(share(Value::Number(64.25), Lang::En), "64.3%");
        assert_eq!(share(Value::Number(64.25), Lang::Vi), "64,3%");
        assert_eq!(share(Value::Suppressed, Lang::En), "suppressed");
        assert_eq!(share(Value::Missing, Lang::Vi), "không có số liệu");
    }
}
