//! The figures of a review as the evaluation gave them: each point's value, its marks (synthetic, estimate), its
//! notes (synthetic, partial, several sources) and the source shown, and which points of an indicator's series the
//! review shows.

use std::collections::{BTreeMap, BTreeSet};

use tiendo_core::eval::{CoveragePolicy, Evaluation, IndicatorResult, Point, ValueState};
use tiendo_core::{Catalogue, Lang, Period, PeriodType, SourceKind, Text};

use crate::format;
use crate::model::{SeriesPoint, Value};

/// The evaluation's results by (indicator, org unit), and which sources are synthetic.
pub(crate) struct Results<'a> {
    /// The catalogue, for the names of the units a partial value lacks.
    pub(crate) catalogue: &'a Catalogue,
    pub(crate) by_key: BTreeMap<(&'a str, &'a str), &'a IndicatorResult>,
    /// Ids of the catalogue's synthetic sources.
    pub(crate) synthetic_sources: BTreeSet<&'a str>,
    /// Ids of the catalogue's estimate sources.
    pub(crate) estimate_sources: BTreeSet<&'a str>,
    /// Ids of the catalogue's derived sources (figures computed by the editors).
    pub(crate) derived_sources: BTreeSet<&'a str>,
    /// Every observation is synthetic: then, and only then, statuses and headlines may rest on synthetic values.
    pub(crate) wholly_synthetic: bool,
    /// Partial values decide statuses, targets and changes like complete ones (`[assessment] coverage = "flag"`),
    /// so that a partial value may be the latest value a status was decided on.
    pub(crate) partial_decides: bool,
}

impl<'a> Results<'a> {
    pub(crate) fn new(catalogue: &'a Catalogue, evaluation: &'a Evaluation) -> Self {
        let of_kind = |kind: SourceKind| -> BTreeSet<&'a str> {
            catalogue.sources.values().filter(|s| s.kind == kind).map(|s| s.id.as_str()).collect()
        };
        Results {
            catalogue,
            by_key: evaluation.indicators.iter().map(|r| ((r.indicator.as_str(), r.org_unit.as_str()), r)).collect(),
            synthetic_sources: of_kind(SourceKind::Synthetic),
            estimate_sources: of_kind(SourceKind::Estimate),
            derived_sources: of_kind(SourceKind::Derived),
            wholly_synthetic: evaluation.wholly_synthetic,
            partial_decides: evaluation.coverage == CoveragePolicy::Flag,
        }
    }

    /// Whether any of these sources is synthetic.
    pub(crate) fn cites_synthetic(&self, sources: &[String]) -> bool {
        sources.iter().any(|s| self.synthetic_sources.contains(s.as_str()))
    }

    /// Whether a value rests on synthetic data: the evaluation says so, or one of its sources is synthetic (read
    /// here too, so that a value is labelled even if the evaluation's flag were missed).
    pub(crate) fn is_synthetic(&self, point: &Point) -> bool {
        point.synthetic || self.cites_synthetic(&point.sources)
    }

    /// Whether a value is wholly or partly an estimate and not synthetic (which is marked as such): evaluation's
    /// kind of the value, or one of its sources is an estimate.
    pub(crate) fn is_estimate(&self, point: &Point) -> bool {
        !self.is_synthetic(point)
            && (point.kind == SourceKind::Estimate
                || point.sources.iter().any(|s| self.estimate_sources.contains(s.as_str())))
    }

    /// Whether a value rests wholly or in part on a figure derived by the editors and is neither synthetic nor an
    /// estimate (each marked as such, the weaker kind first): evaluation's kind of the value, or one of its sources.
    pub(crate) fn is_derived(&self, point: &Point) -> bool {
        !self.is_synthetic(point)
            && !self.is_estimate(point)
            && (point.kind == SourceKind::Derived
                || point.sources.iter().any(|s| self.derived_sources.contains(s.as_str())))
    }

    /// The one source a figure shows: a synthetic source if any part is synthetic, else an estimate if any part is
    /// one (so that neither is hidden behind an official source), else the first source in id order.
    pub(crate) fn shown_source(&self, sources: &[String], fallback: &str) -> String {
        sources
            .iter()
            .find(|s| self.synthetic_sources.contains(s.as_str()))
            .or_else(|| sources.iter().find(|s| self.estimate_sources.contains(s.as_str())))
            .or_else(|| sources.first())
            .cloned()
            .unwrap_or_else(|| fallback.to_owned())
    }

    /// What a partial point of `result` was to the status: withheld, left out (the default policy), the lower bound
    /// that settled its target (any policy but `require-complete`), the value the status was decided on, or counted
    /// like a complete value (`coverage = "flag"`).
    fn partial_use(&self, result: &IndicatorResult, point: &Point) -> PartialUse {
        let decided = result.targets.iter().any(|t| t.decides_status && t.compared_period == Some(point.period));
        if point.state == ValueState::Incomplete {
            PartialUse::Withheld
        } else if decided && !self.partial_decides {
            PartialUse::SettledStatus
        } else if !self.partial_decides {
            PartialUse::NotUsed
        } else if decided {
            PartialUse::DecidedStatus
        } else {
            PartialUse::CountedAsComplete
        }
    }

    /// What a partial point of `result` lacks and what it was to the status ([`partial_note`]); `None` for a value
    /// built from all that was expected.
    pub(crate) fn partial_text(&self, result: &IndicatorResult, point: &Point) -> Option<Text> {
        let coverage = point.coverage.as_ref().filter(|c| !c.complete)?;
        Some(partial_note(coverage, self.partial_use(result, point), self.catalogue))
    }

    /// A point of `result` as the review shows it: its value, marks, notes and the source it cites.
    pub(crate) fn series_point(&self, result: &IndicatorResult, point: &Point, fallback_source: &str) -> SeriesPoint {
        let synthetic = self.is_synthetic(point);
        let mut notes: Vec<Text> = Vec::new();
        if synthetic {
            notes.push(synthetic_note());
        }
        if point.period.period_type() == PeriodType::Range {
            notes.push(not_whole_note());
        }
        let partial = is_partial(point);
        if let Some(coverage) = point.coverage.as_ref().filter(|c| !c.complete) {
            notes.push(partial_note(coverage, self.partial_use(result, point), self.catalogue));
        }
        let combined = point.basis == tiendo_core::eval::Basis::Combined;
        if point.other_basis {
            notes.push(other_basis_note(combined));
        }
        if let Some(last) = point.after_end.filter(|_| point.value.is_some()) {
            notes.push(after_end_note(last));
        }
        if let Some(note) = restated_note(point, self.catalogue) {
            notes.push(note);
        }
        notes.extend(break_note(point, &result.indicator, self.catalogue));
        if let Some(note) = life_note(self.catalogue, &result.org_unit, point.period, Some(point)) {
            notes.push(note);
        }
        let beyond_limit = beyond_limit(self.catalogue, &result.indicator, point);
        notes.extend(beyond_limit.map(limit_note));
        if point.sources.len() > 1 {
            let list = point.sources.join(", ");
            notes.push(Text::new(format!("Nguồn: {list}"), format!("Sources: {list}")));
        }
        // The notes that travel with the value (a plugin's note, the data rows' notes), in the words they were
        // written in (a row's `note_vi` or `note_en` where it gives one): the report never translates nor drops them.
        notes.extend(point.notes.iter().cloned());
        let note = (!notes.is_empty()).then(|| {
            Text::new(
                notes.iter().map(|n| n.vi.as_str()).collect::<Vec<_>>().join("; "),
                notes.iter().map(|n| n.en.as_str()).collect::<Vec<_>>().join("; "),
            )
        });
        SeriesPoint {
            period: point.period,
            value: point_value(point),
            source: self.shown_source(&point.sources, fallback_source),
            provisional: point.provisional,
            synthetic,
            estimate: self.is_estimate(point),
            derived: self.is_derived(point),
            partial,
            other_basis: point.other_basis,
            combined,
            after_end: point.after_end.is_some() && point.value.is_some(),
            restated: is_restated(point),
            series_break: point.series_break.is_some() && point.value.is_some(),
            contested: point.contested,
            beyond_limit,
            note,
            decimals: point.decimals,
            change: crate::changes::change_of(self, result, point),
        }
    }

    pub(crate) fn get(&self, indicator: &str, unit: &str) -> Option<&'a IndicatorResult> {
        self.by_key.get(&(indicator, unit)).copied()
    }
}

/// The note of a value whose period runs past the unit's last day (`Point::after_end`): a report of a unit that had
/// ended, for days that are another unit's (its successor's) or no unit's since.
pub(crate) fn after_end_note(last: chrono::NaiveDate) -> Text {
    Text::new(
        format!("Báo cáo cả những ngày sau khi đơn vị đã kết thúc ({})", format::date(last, Lang::Vi)),
        format!("Reported for days after the unit ended ({})", format::date(last, Lang::En)),
    )
}

/// The note of a value of `unit` for `period` that covers only the part of the period the unit existed in: a unit
/// begun inside it that no unit merged wholly into (a province begun from no unit, a split's successor: none of the
/// days before are in its value), or one that ended inside it. "Province E | 2024 | 5" ranked beside whole years
/// was six months of a unit begun on 1 July (round 63); a split successor's year showed "no data" without a word.
/// `None` for a period inside the unit's life, for a value that marks its days after the end already
/// (`Point::after_end`), and for the days before a restatement stands for (`Coverage::restated`).
pub(crate) fn life_note(catalogue: &Catalogue, unit: &str, period: Period, point: Option<&Point>) -> Option<Text> {
    let unit = catalogue.org_units.get(unit)?;
    let inherits =
        || catalogue.org_units.values().any(|old| matches!(old.successors.as_slice(), [only] if *only == unit.id));
    let restated = point.is_some_and(is_restated);
    let began = unit.valid_from.filter(|&first| first > period.start() && !restated && !inherits());
    let ended = unit.valid_to.filter(|&last| last < period.end() && point.is_none_or(|p| p.after_end.is_none()));
    // Beside "no data" the unit's first or last day says why there is no figure of the whole period.
    let shown = point.is_some_and(|p| p.value.is_some());
    let part = |lang: Lang| -> Vec<String> {
        let (began_words, ended_words, from_then, until_then) = match lang {
            Lang::Vi => (
                "Đơn vị bắt đầu từ",
                "Đơn vị kết thúc ngày",
                ", số liệu chỉ gồm những ngày từ đó",
                ", số liệu chỉ gồm những ngày đến đó",
            ),
            Lang::En => (
                "The unit began on",
                "The unit ended on",
                ": the figure covers its days from then only",
                ": the figure covers its days until then only",
            ),
        };
        let tail = |words: &'static str| if shown { words } else { "" };
        [
            began.map(|day| format!("{began_words} {}{}", format::date(day, lang), tail(from_then))),
            ended.map(|day| format!("{ended_words} {}{}", format::date(day, lang), tail(until_then))),
        ]
        .into_iter()
        .flatten()
        .collect()
    };
    let (vi, en) = (part(Lang::Vi), part(Lang::En));
    (!vi.is_empty()).then(|| Text::new(vi.join("; "), en.join("; ")))
}

/// The note of a share above its indicator's natural limit (`limit = 100` of a percentage: 3 resolved of 0
/// received beside 9 of 10, a province's 120.0 %): the parts contradict the definition, and the value says so where
/// it is shown (round 63, found by review helpers), and that it decides no status (`Indicator::beyond_limit`, round
/// 64). `None` for any other value.
pub(crate) fn beyond_limit_note(catalogue: &Catalogue, indicator: &str, point: &Point) -> Option<Text> {
    beyond_limit(catalogue, indicator, point).map(limit_note)
}

/// Why a ratio has no value for `period` where its parts were reported: its denominator is 0 (3 resolved of 0
/// received), which every output says rather than "no data" (`IndicatorResult::zero_denominators`, round 64).
pub(crate) fn zero_denominator_note(period: Period) -> Text {
    Text::new(
        format!("Không có giá trị cho {}: mẫu số bằng 0", format::period(period, Lang::Vi)),
        format!("No value for {}: the denominator is 0", format::period(period, Lang::En)),
    )
}

/// Why a value was not computed for `period` where it has reports: it would blend synthetic with real figures
/// (`IndicatorResult::not_computed_blends`, W333; round 66).
pub(crate) fn blend_note(period: Period) -> Text {
    Text::new(
        format!(
            "Không tính giá trị cho {}: sẽ trộn dữ liệu giả lập với số liệu thật",
            format::period(period, Lang::Vi)
        ),
        format!("Not computed for {}: it would blend synthetic and real figures", format::period(period, Lang::En)),
    )
}

/// The row of a period with reports and no value (a ratio over a denominator of 0, a blend of synthetic and real
/// figures): "—" with why (`note`), cited to the indicator's own source.
pub(crate) fn undefined_point(period: Period, source: &str, note: Text) -> SeriesPoint {
    SeriesPoint { note: Some(note), ..SeriesPoint::plain(period, Value::Undefined, source) }
}

/// The words of [`beyond_limit_note`] for `limit`.
fn limit_note(limit: f64) -> Text {
    Text::new(
        format!(
            "vượt giới hạn của chỉ số ({}): cần kiểm tra số liệu; không dùng để đánh giá",
            format::number(limit, 0, Lang::Vi)
        ),
        format!(
            "beyond the indicator's limit of {}: check the data; not used for any status",
            format::number(limit, 0, Lang::En)
        ),
    )
}

/// The limit of a percentage indicator that `point`'s shown value lies beyond (`Indicator::limit`), if any.
pub(crate) fn beyond_limit(catalogue: &Catalogue, indicator: &str, point: &Point) -> Option<f64> {
    // Evaluation decided it (`Point::beyond_limit`, never of a hidden value); the limit is the indicator's.
    point.beyond_limit.then(|| catalogue.indicators.get(indicator)?.limit).flatten()
}

/// Whether `point` shows a number that holds a report of days before its unit existed (`Coverage::restated`).
pub(crate) fn is_restated(point: &Point) -> bool {
    point.value.is_some() && point.coverage.as_ref().is_some_and(|c| !c.restated.is_empty())
}

/// The note of a value that a break in the series of an element it reads separates from the same period a year
/// earlier (`Point::series_break`): "Break in series from H1 2025: <the catalogue's note>" (round 67, found by a
/// reader of the review); `None` for any other value.
pub(crate) fn break_note(point: &Point, indicator: &str, catalogue: &Catalogue) -> Option<Text> {
    let day = point.series_break?;
    let indicator = catalogue.indicators.get(indicator)?;
    let refs = tiendo_core::eval::indicator_refs(indicator, &Default::default());
    let found = (refs.iter())
        .filter_map(|r| catalogue.data_elements.get(&r.element))
        .flat_map(|e| e.breaks.iter())
        .find(|b| b.from.start() == day)?;
    let period = |lang| format::period(found.from, lang);
    Some(Text::new(
        format!("Chuỗi số liệu gián đoạn từ {}: {}", period(Lang::Vi), found.note.vi),
        format!("Break in series from {}: {}", period(Lang::En), found.note.en),
    ))
}

/// The note of a value that holds reports of days before their unit existed (`Coverage::restated`): which units
/// restated which periods, so that the figure is not read as the old units' own reports; `None` for any other value.
pub(crate) fn restated_note(point: &Point, catalogue: &Catalogue) -> Option<Text> {
    let restated = &point.coverage.as_ref().filter(|_| is_restated(point))?.restated;
    // Each unit with its first day: the new province often keeps an old one's name ("Da Nang (from 1 Jul 2025)").
    let list = |lang: Lang| -> String {
        let (from, of) = if lang == Lang::Vi { ("từ", "cho") } else { ("from", "for") };
        let entries = restated.iter().filter_map(|entry| {
            let (id, period) = entry.rsplit_once(' ')?;
            let period = format::period(Period::parse(period).ok()?, lang);
            let first = catalogue.org_units.get(id).and_then(|u| u.valid_from);
            let since = first.map(|day| format!(" ({from} {})", format::date(day, lang))).unwrap_or_default();
            Some(format!("{}{since} {of} {period}", unit_name(id, catalogue, lang)))
        });
        entries.collect::<Vec<_>>().join(", ")
    };
    Some(Text::new(
        format!(
            "Gồm số liệu báo cáo lại cho thời gian trước khi đơn vị được thành lập, thay cho các đơn vị trước đó: {}",
            list(Lang::Vi)
        ),
        format!(
            "Includes figures restated for days before their unit existed, standing for the units it succeeded: {}",
            list(Lang::En)
        ),
    ))
}

pub(crate) fn synthetic_note() -> Text {
    Text::new("Dữ liệu giả lập (tổng hợp), không phải số liệu thật", "Synthetic data: generated, not real figures")
}

/// The note of a value of another basis than the unit's own reports (`Point::other_basis`): a sum over the units
/// below, or, `combined`, the unit's own reports for part of the period and the units below's for the rest
/// (`Basis::Combined`). The status, the trend and the latest value use the unit's own reports only (one basis,
/// `docs/methodology.md` section 4).
pub(crate) fn other_basis_note(combined: bool) -> Text {
    if combined {
        return Text::new(
            "Số liệu đơn vị tự báo cáo cho một phần của kỳ và của các đơn vị cấp dưới cho phần còn lại: không dùng \
             để đánh giá",
            "The unit's own reports for part of the period and the units below for the rest: not used for the status",
        );
    }
    Text::new(
        "Tổng số liệu của các đơn vị cấp dưới, không phải số liệu đơn vị tự báo cáo: không dùng để đánh giá",
        "Sum of the units below, not the unit's own report: not used for the status",
    )
}

/// Whether a point is built from part of what was expected (its coverage is incomplete) or withheld as such.
pub(crate) fn is_partial(point: &Point) -> bool {
    point.coverage.as_ref().is_some_and(|c| !c.complete) || point.state == ValueState::Incomplete
}

pub(crate) fn point_value(point: &Point) -> Value {
    match (point.state, point.value) {
        (ValueState::Value, Some(v)) => Value::Number(v),
        (ValueState::Value | ValueState::Incomplete, _) => Value::Missing,
        _ => Value::Suppressed,
    }
}

/// What a partial value was to the status ([`partial_note`]), by the coverage policy (`docs/methodology.md`,
/// section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartialUse {
    /// `require-complete`: the figure is not published.
    Withheld,
    /// `exclude` (the default): it decides nothing.
    NotUsed,
    /// `flag`: it is the value the status was decided on.
    DecidedStatus,
    /// `exclude`: a lower bound of the whole that already settles the target (130 from two of three provinces over
    /// `<= 100`), the one partial value such a status is decided on.
    SettledStatus,
    /// `flag`: it counts like a complete value (trends and changes), though no status was decided on it alone.
    CountedAsComplete,
}

/// What a partial figure lacks and what it was to the status, in both languages: [`coverage_note`], then
/// "(not used for the status)", "(used for the status)", "(counted as complete: coverage = flag)" or
/// "(figure withheld)".
pub(crate) fn partial_note(coverage: &tiendo_core::eval::Coverage, status: PartialUse, catalogue: &Catalogue) -> Text {
    let Text { mut vi, mut en } = coverage_note(coverage, catalogue);
    let (vi_use, en_use) = match status {
        PartialUse::Withheld => ("không công bố số liệu", "figure withheld"),
        PartialUse::NotUsed => ("không dùng để đánh giá", "not used for the status"),
        PartialUse::DecidedStatus => ("đã dùng để đánh giá: coverage = flag", "used for the status: coverage = flag"),
        PartialUse::SettledStatus => (
            "đã dùng để đánh giá: phần còn thiếu chỉ có thể làm tăng số này",
            "used for the status: what is missing can only add to it",
        ),
        PartialUse::CountedAsComplete => {
            ("được tính như số liệu đầy đủ: coverage = flag", "counted as complete: coverage = flag")
        }
    };
    vi.push_str(&format!(" ({vi_use})"));
    en.push_str(&format!(" ({en_use})"));
    Text::new(vi, en)
}

/// What a partial figure lacks, in both languages: "k of n units" and the missing units, sub-periods and units left
/// out of a ratio (`docs/methodology.md`, section 2), each unit by its name in the catalogue (its id if unknown) and
/// each period as the review writes it ("Q4 2023", "Quý 4/2023").
pub(crate) fn coverage_note(coverage: &tiendo_core::eval::Coverage, catalogue: &Catalogue) -> Text {
    let names = |ids: &[String], lang: Lang| -> String { told_apart(ids, catalogue, lang).join(", ") };
    let unit_periods = |entries: &[String], lang: Lang| unit_periods(entries, catalogue, lang);
    let mut vi = vec![format!("Chưa đầy đủ: {}/{} đơn vị báo cáo", coverage.reported, coverage.expected)];
    let mut en = vec![format!("Partial: {} of {} units reported", coverage.reported, coverage.expected)];
    if !coverage.missing.is_empty() {
        vi.push(format!("không có báo cáo của {}", names(&coverage.missing, Lang::Vi)));
        en.push(format!("no report from {}", names(&coverage.missing, Lang::En)));
    }
    if !coverage.missing_periods.is_empty() {
        vi.push(format!("thiếu {}", unit_periods(&coverage.missing_periods, Lang::Vi)));
        en.push(format!("missing {}", unit_periods(&coverage.missing_periods, Lang::En)));
    }
    if !coverage.left_out.is_empty() {
        vi.push(format!(
            "không tính {} (báo cáo sau khi đơn vị đã sáp nhập, có thể trùng địa bàn với số liệu đã tính)",
            unit_periods(&coverage.left_out, Lang::Vi)
        ));
        en.push(format!(
            "left out {} (reported after the unit ended, beside figures that may cover the same area)",
            unit_periods(&coverage.left_out, Lang::En)
        ));
    }
    if !coverage.unmatched.is_empty() {
        vi.push(format!("{} chỉ báo cáo một vế của tỷ lệ", names(&coverage.unmatched, Lang::Vi)));
        en.push(format!("{} reported one part of the ratio only", names(&coverage.unmatched, Lang::En)));
    }
    if !coverage.inputs_unmatched.is_empty() {
        vi.push(format!(
            "{} chỉ báo cáo một phần đầu vào của plugin, vẫn được cộng vào: đầu vào là tổng của các đơn vị khác nhau",
            names(&coverage.inputs_unmatched, Lang::Vi)
        ));
        en.push(format!(
            "{} reported only some of the plugin's inputs, which are still added: its inputs are sums over different \
             units",
            names(&coverage.inputs_unmatched, Lang::En)
        ));
    }
    if !coverage.inputs_missing.is_empty() {
        let elements = |lang: Lang| -> String {
            let name =
                |id: &String| catalogue.data_elements.get(id).map_or(id.clone(), |e| e.name.get(lang).to_owned());
            coverage.inputs_missing.iter().map(name).collect::<Vec<_>>().join(", ")
        };
        vi.push(format!(
            "không có báo cáo đầu vào {} của plugin (plugin tính khi thiếu số liệu này)",
            elements(Lang::Vi)
        ));
        en.push(format!("no report of the plugin's input {} (the plugin ran without it)", elements(Lang::En)));
    }
    if coverage.incomplete_breakdown {
        vi.push("phân tổ chưa đầy đủ".to_owned());
        en.push("an incomplete breakdown".to_owned());
    }
    Text::new(vi.join("; "), en.join("; "))
}

/// Entries "{unit id} {period}" as the review writes them, joined by commas ("Province B Q4 2023").
fn unit_periods(entries: &[String], catalogue: &Catalogue, lang: Lang) -> String {
    entries
        .iter()
        .map(|entry| match entry.rsplit_once(' ').and_then(|(id, p)| Some((id, Period::parse(p).ok()?))) {
            Some((id, period)) => format!("{} {}", unit_name(id, catalogue, lang), format::period(period, lang)),
            None => entry.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An org unit's name in `lang`, or its id when the catalogue does not know it.
fn unit_name(id: &str, catalogue: &Catalogue, lang: Lang) -> String {
    catalogue.org_units.get(id).map_or_else(|| id.to_owned(), |unit| unit.name.get(lang).to_owned())
}

/// The names of units `ids` in `lang`, two of one name told apart by the day one began or ended, else by their ids
/// (round 67, found by a verifier: "no report from Province M, Province M").
pub(crate) fn told_apart(ids: &[String], catalogue: &Catalogue, lang: Lang) -> Vec<String> {
    let named: Vec<(&str, String, bool)> =
        ids.iter().map(|id| (id.as_str(), unit_name(id, catalogue, lang), true)).collect();
    told_apart_named(&named, catalogue, lang)
}

/// [`told_apart`] for units already named: `(id, name, whether its dates may tell it apart)` (not for one area under
/// two records, whose dates are not the area's).
pub(crate) fn told_apart_named(named: &[(&str, String, bool)], catalogue: &Catalogue, lang: Lang) -> Vec<String> {
    let clash = |names: &[String], at: usize| (0..names.len()).any(|other| other != at && names[other] == names[at]);
    let names: Vec<String> = named.iter().map(|(_, name, _)| name.clone()).collect();
    let (from, until) = if lang == Lang::Vi { ("từ", "đến") } else { ("from", "until") };
    let dated: Vec<String> = (0..named.len())
        .map(|at| {
            let (id, ref name, datable) = named[at];
            let unit = catalogue.org_units.get(id).filter(|_| datable && clash(&names, at));
            let base = || unit_name(id, catalogue, lang);
            match unit.map(|u| (u.valid_from, u.valid_to)) {
                Some((Some(day), _)) => format!("{} ({from} {})", base(), format::date(day, lang)),
                Some((None, Some(day))) => format!("{} ({until} {})", base(), format::date(day, lang)),
                _ => name.clone(),
            }
        })
        .collect();
    (0..named.len())
        .map(|at| if clash(&dated, at) { format!("{} ({})", dated[at], named[at].0) } else { dated[at].clone() })
        .collect()
}

/// The points shown in an indicator's series: every year in the window; the halves and quarters of a year in the
/// window that has no yearly value, or only a partial one (so the latest reported half-year still appears), each with the same half or
/// quarter of the year before if it has the same basis, so that it is compared with its own kind and never with a
/// year; the years from another day (a judicial year) in the window; and the months and date ranges no other point
/// holds ([`uncovered_spans`]). The chart draws each period type as its own line. A quarter is shown beside the
/// half that holds it: the headline's first quarter of 2023 (56 cases against 24) was in no table or chart of the
/// indicator, which showed the half-year only (round 69, a checker of the review's numbers).
pub(crate) fn window_series<'r>(
    result: &'r IndicatorResult,
    window: Period,
    target_ranges: &BTreeSet<Period>,
) -> Vec<&'r Point> {
    // A year whose value is partial does not stand for its halves and quarters: those that are complete are what is
    // known of it (round 74, found by an adversarial tester: complete second halves of 2024 and 2025 were in no
    // table beside their partial years, and the indicator table said "no data").
    let years: BTreeSet<i32> = result
        .series
        .iter()
        .filter(|p| p.period.period_type() == PeriodType::Year && window.contains(&p.period) && !is_partial(p))
        .map(|p| p.period.year())
        .collect();
    let mut kept: Vec<&Point> = result
        .series
        .iter()
        .filter(|p| window.contains(&p.period))
        .filter(|p| p.period.period_type() == PeriodType::Year || !years.contains(&p.period.year()))
        .filter(|p| matches!(p.period.period_type(), PeriodType::Year | PeriodType::Half | PeriodType::Quarter))
        .collect();
    let before: Vec<&Point> = kept
        .iter()
        .filter(|p| matches!(p.period.period_type(), PeriodType::Half | PeriodType::Quarter))
        .filter_map(|p| {
            // Only a figure of the same basis compares (a reported national figure, not a sum of provinces).
            let previous = p.period.same_period_last_year();
            result.series.iter().find(|q| q.period == previous && q.basis == p.basis && window.contains(&q.period))
        })
        .collect();
    kept.extend(before);
    let uncovered = uncovered_spans(result, window, &kept, target_ranges);
    kept.extend(uncovered);
    kept.extend(
        result
            .series
            .iter()
            .filter(|p| matches!(p.period.period_type(), PeriodType::YearFrom(_)) && window.contains(&p.period)),
    );
    kept.sort_by_key(|p| (p.period.end(), p.period.start(), p.period.period_type()));
    kept.dedup_by_key(|p| p.period);
    kept
}

/// The points of `result` for a month or a date range in the window that no point of `shown` holds: a plan's
/// 17 March to 31 December, a year's months without a quarter's value. They are figures reported (or summed from
/// reports) for their own span, and the review shows them as rows of their own, marked ([`not_whole_note`]), so
/// that no reported figure leaves the review without a word (adversarial review round 6, L9). A range a plan sets a
/// target or baseline for, or that range moved by whole years, is evaluated for that target and shown on its line.
fn uncovered_spans<'r>(
    result: &'r IndicatorResult,
    window: Period,
    shown: &[&Point],
    target_ranges: &BTreeSet<Period>,
) -> Vec<&'r Point> {
    let for_a_target = |period: &Period| {
        use chrono::Datelike;
        target_ranges.iter().any(|t| period.shift_years(t.start().year() - period.start().year()) == *t)
    };
    result
        .series
        .iter()
        .filter(|p| matches!(p.period.period_type(), PeriodType::Month | PeriodType::Range))
        // A partial point holds no month: its complete months are what is known of it (round 74, a verifier).
        .filter(|p| window.contains(&p.period) && !shown.iter().any(|k| k.period.contains(&p.period) && !is_partial(k)))
        .filter(|p| p.period.period_type() != PeriodType::Range || !for_a_target(&p.period))
        .collect()
}

/// The periods of the catalogue's targets and baselines that are date ranges ([`uncovered_spans`]).
pub(crate) fn target_ranges(catalogue: &Catalogue) -> BTreeSet<Period> {
    let plans = catalogue.plans.values();
    plans
        .flat_map(|plan| plan.targets.iter().map(|t| t.period).chain(plan.baselines.iter().map(|b| b.period)))
        .filter(|p| p.period_type() == PeriodType::Range)
        .collect()
}

/// The note of a figure for a date range that is not a whole year, half-year, quarter or month.
pub(crate) fn not_whole_note() -> Text {
    Text::new(
        "không phải cả một kỳ báo cáo (năm, 6 tháng, quý, tháng): số liệu cho đúng các ngày này",
        "not a whole period (year, half-year, quarter or month): the figure for these dates only",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_of_one_name_are_told_apart_by_dates_then_ids() {
        let mut catalogue = Catalogue::default();
        let day = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2025, m, d);
        for (id, name, from, to) in [
            ("m1", "M", None, None),
            ("m2", "M", None, None),
            ("p-old", "P", None, day(6, 30)),
            ("p-new", "P", day(7, 1), None),
            ("k", "K", None, None),
        ] {
            let unit = tiendo_core::OrgUnit {
                id: id.to_owned(),
                name: Text::new(name, name),
                level: tiendo_core::OrgUnitLevel::Province,
                parent: None,
                valid_from: from,
                valid_to: to,
                successors: Vec::new(),
                kind: None,
                note: None,
            };
            catalogue.org_units.insert(id.to_owned(), unit);
        }
        let ids: Vec<String> = ["m1", "m2", "p-old", "p-new", "k"].iter().map(|s| (*s).to_owned()).collect();
        let names = told_apart(&ids, &catalogue, Lang::En);
        assert_eq!(names, ["M (m1)", "M (m2)", "P (until 30 Jun 2025)", "P (from 1 Jul 2025)", "K"]);
    }

    #[test]
    fn a_partial_note_says_what_is_missing_and_what_the_value_was_to_the_status() {
        let coverage = tiendo_core::eval::Coverage {
            reported: 3,
            expected: 3,
            complete: false,
            missing_periods: vec!["prov-c 2023Q4".to_owned()],
            ..Default::default()
        };
        // (what the value was to the status, the end of the English note, the end of the Vietnamese note)
        let cases = [
            (PartialUse::Withheld, "(figure withheld)", "(không công bố số liệu)"),
            (PartialUse::NotUsed, "(not used for the status)", "(không dùng để đánh giá)"),
            (
                PartialUse::DecidedStatus,
                "(used for the status: coverage = flag)",
                "(đã dùng để đánh giá: coverage = flag)",
            ),
            (
                PartialUse::SettledStatus,
                "(used for the status: what is missing can only add to it)",
                "(đã dùng để đánh giá: phần còn thiếu chỉ có thể làm tăng số này)",
            ),
            (
                PartialUse::CountedAsComplete,
                "(counted as complete: coverage = flag)",
                "(được tính như số liệu đầy đủ: coverage = flag)",
            ),
        ];
        let mut catalogue = Catalogue::default();
        catalogue.org_units.insert(
            "prov-c".to_owned(),
            tiendo_core::OrgUnit {
                id: "prov-c".to_owned(),
                name: Text::new("Tỉnh C", "Province C"),
                level: tiendo_core::OrgUnitLevel::Province,
                parent: None,
                valid_from: None,
                valid_to: None,
                successors: Vec::new(),
                kind: None,
                note: None,
            },
        );
        for (status, en, vi) in cases {
            let note = partial_note(&coverage, status, &catalogue);
            assert_eq!(
                note.en,
                format!("Partial: 3 of 3 units reported; missing Province C Q4 2023 {en}"),
                "{status:?}"
            );
            assert_eq!(
                note.vi,
                format!("Chưa đầy đủ: 3/3 đơn vị báo cáo; thiếu Tỉnh C quý IV/2023 {vi}"),
                "{status:?}"
            );
        }
        // A unit the catalogue does not know keeps its id.
        let unknown = tiendo_core::eval::Coverage { missing: vec!["prov-x".to_owned()], ..coverage.clone() };
        assert!(coverage_note(&unknown, &catalogue).en.contains("no report from prov-x"));
        // A report left out beside figures that may cover the same area is named with its period, in both languages.
        let left_out = tiendo_core::eval::Coverage {
            missing_periods: Vec::new(),
            left_out: vec!["prov-c 2025Q3".to_owned()],
            ..coverage.clone()
        };
        let note = coverage_note(&left_out, &catalogue);
        assert_eq!(
            note.en,
            "Partial: 3 of 3 units reported; left out Province C Q3 2025 (reported after the unit ended, beside \
             figures that may cover the same area)"
        );
        assert!(note.vi.ends_with("không tính Tỉnh C quý III/2025 (báo cáo sau khi đơn vị đã sáp nhập, có thể trùng địa bàn với số liệu đã tính)"), "{}", note.vi);
    }
}
