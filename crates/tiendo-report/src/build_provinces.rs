//! The review's province sections: every quantitative indicator ranked across the old 63 and the new 34 provinces,
//! and the disaggregation tables, each value flagged where it is synthetic or partial.

use super::*;
use crate::figures::{PartialUse, coverage_note, is_partial, life_note, partial_note};

/// Ranked province values for every quantitative indicator with provincial results, on the map of 63 provinces and,
/// in a review made on or after 1 July 2025, on the map of 34 (old data rolled up into the successors): a review
/// made before the merger cannot know the 34 units (issue 13, item 4). Each map in the latest year of the window in
/// which one of its provinces has a value: the 34 provinces' 2025 beside the 63's 2024 in an end-of-term review
/// (round 58, found by a review helper: both maps took the 63's year, so the 34 were never shown for 2025 and not at
/// all in a review of 2025 alone); a year a province with a value lived through whole where there is one.
pub(super) fn provincial_comparisons(
    catalogue: &Catalogue,
    indicator_ids: &[String],
    results: &Results<'_>,
    window: Period,
    as_of: NaiveDate,
) -> Vec<ProvincialComparison> {
    let day_before = merger_day().pred_opt().expect("30 June 2025 is a valid date");
    let old_units: Vec<&tiendo_core::OrgUnit> = catalogue.org_units_on(day_before, OrgUnitLevel::Province).collect();
    let new_units: Vec<&tiendo_core::OrgUnit> = catalogue.org_units_on(merger_day(), OrgUnitLevel::Province).collect();
    let old_map_end = old_map_end(catalogue);
    let mut out = Vec::new();
    for id in indicator_ids {
        let Some(indicator) = catalogue.indicators.get(id) else { continue };
        // Levels (a scale, yes or no) are not ranked: "rank 1, Yes" beside "rank 2, Yes" orders nothing.
        if !indicator.measure.is_quantitative() || matches!(indicator.measure, Measure::Ordinal | Measure::YesNo) {
            continue;
        }
        for (map, units) in maps(&old_units, &new_units, as_of) {
            // The latest year of the window for which one of the map's provinces has a value, one that a province
            // with a value lived through whole where there is one: one old province's late report of 2025 made the
            // 63's table and regional panels its 2025, where the other 62 showed "no data" and the complete 2024 was
            // gone (round 60, found by a review helper). The map of 63 ends with them: a province the merger left
            // as it was lived through 2025, the map did not (round 72, found by an adversarial tester).
            let map_end = if map == ProvinceMap::Before2025 { old_map_end } else { None };
            let years: Vec<(Period, bool)> = units
                .iter()
                .filter_map(|u| Some((results.get(id, &u.id)?, u.valid_to)))
                .flat_map(|(r, end)| r.series.iter().map(move |p| (p, end)))
                .filter(|(p, _)| p.period.period_type() == PeriodType::Year && window.contains(&p.period))
                .filter(|(p, _)| point_value(p) != Value::Missing)
                .map(|(p, end)| (p.period, lived_through(p.period, end, map_end)))
                .collect();
            let Some(period) = latest_year(&years) else { continue };
            let values = province_values(catalogue, results, id, units, period);
            if values.values.iter().all(|v| v.value == Value::Missing) {
                continue;
            }
            out.push(comparison(indicator, (map, units.len()), period, values));
        }
    }
    out
}

/// The maps a review made on `as_of` ranks provinces on: the old provinces (`old`, those of 30 June 2025), and from
/// 1 July 2025 the new (`new`) beside them; one map where the catalogue's provinces are the same on both days (a
/// catalogue without the merger had two tables alike, labelled "63 provinces" and "34 provinces", round 63).
fn maps<'a, 'u>(
    old: &'a [&'u tiendo_core::OrgUnit],
    new: &'a [&'u tiendo_core::OrgUnit],
    as_of: NaiveDate,
) -> Vec<(ProvinceMap, &'a [&'u tiendo_core::OrgUnit])> {
    if as_of < merger_day() {
        return vec![(ProvinceMap::Before2025, old)];
    }
    let ids = |units: &[&tiendo_core::OrgUnit]| units.iter().map(|u| u.id.clone()).collect::<BTreeSet<String>>();
    if ids(old) == ids(new) {
        return vec![(ProvinceMap::Unchanged, new)];
    }
    vec![(ProvinceMap::Before2025, old), (ProvinceMap::From2025, new)]
}

/// The last day of the map of the provinces before the merger, 30 June 2025, where the catalogue's provinces of
/// that day are not those of 1 July 2025; `None` where the merger left them as they were (one map).
pub(super) fn old_map_end(catalogue: &Catalogue) -> Option<NaiveDate> {
    let day_before = merger_day().pred_opt().expect("30 June 2025 is a valid date");
    let ids = |day| catalogue.org_units_on(day, OrgUnitLevel::Province).map(|u| u.id.as_str()).collect::<BTreeSet<_>>();
    (ids(day_before) != ids(merger_day())).then_some(day_before)
}

/// Whether a province that ends on `end` (`None`: still exists), on a map that ends on `map_end`, lived through the
/// whole of `year`.
pub(super) fn lived_through(year: Period, end: Option<NaiveDate>, map_end: Option<NaiveDate>) -> bool {
    let last = year.end();
    end.is_none_or(|end| end >= last) && map_end.is_none_or(|map_end| map_end >= last)
}

/// The latest of `years` that a province with a value lived through whole (`true`), else the latest of all.
pub(super) fn latest_year(years: &[(Period, bool)]) -> Option<Period> {
    let latest = |lived: bool| years.iter().filter(|y| y.1 || !lived).map(|y| y.0).max_by_key(|p| p.end());
    latest(true).or_else(|| latest(false))
}

/// One indicator's values on one map, ranked, with the sources they cite and whether any is synthetic.
struct MapValues {
    values: Vec<ProvinceValue>,
    sources: BTreeSet<String>,
    synthetic: bool,
    /// The decimals that keep every value on its side of the indicator's targets (evaluation's `Point::decimals`).
    decimals: u8,
}

/// The value of indicator `id` for `period` in each of `units` (missing where it has none), each with the units
/// merged into it, in rank order ([`crate::charts::rank_order`]).
fn province_values(
    catalogue: &Catalogue,
    results: &Results<'_>,
    id: &str,
    units: &[&tiendo_core::OrgUnit],
    period: Period,
) -> MapValues {
    let mut sources: BTreeSet<String> = BTreeSet::new();
    let mut synthetic = false;
    let mut decimals = 0;
    let mut values: Vec<ProvinceValue> = units
        .iter()
        .map(|unit| {
            let point = results.get(id, &unit.id).and_then(|r| r.series.iter().find(|p| p.period == period));
            if let Some(point) = point {
                sources.extend(point.sources.iter().cloned());
                synthetic |= results.is_synthetic(point);
                decimals = decimals.max(point.decimals.unwrap_or(0));
            }
            let merged_from = merged_from(catalogue, unit, point, period);
            ProvinceValue {
                org_unit: unit.id.clone(),
                name: unit.name.clone(),
                value: match point {
                    Some(point) => point_value(point),
                    None if results.get(id, &unit.id).is_some_and(|r| {
                        r.zero_denominators.contains(&period) || r.not_computed_blends.contains(&period)
                    }) =>
                    {
                        Value::Undefined
                    }
                    None => Value::Missing,
                },
                merged_from,
                synthetic: point.is_some_and(|p| results.is_synthetic(p)),
                partial: point.is_some_and(is_partial),
                estimate: point.is_some_and(|p| point_value(p) != Value::Missing && results.is_estimate(p)),
                derived: point.is_some_and(|p| point_value(p) != Value::Missing && results.is_derived(p)),
                provisional: point.is_some_and(|p| point_value(p) != Value::Missing && p.provisional),
                basis_marks: crate::model::BasisMarks::of(point),
                beyond_limit: point.and_then(|p| crate::figures::beyond_limit(catalogue, id, p)),
                note: [
                    point.and_then(|p| crate::figures::beyond_limit_note(catalogue, id, p)),
                    results
                        .get(id, &unit.id)
                        .filter(|r| point.is_none() && r.zero_denominators.contains(&period))
                        .map(|_| crate::figures::zero_denominator_note(period)),
                    results
                        .get(id, &unit.id)
                        .filter(|r| point.is_none() && r.not_computed_blends.contains(&period))
                        .map(|_| crate::figures::blend_note(period)),
                    life_note(catalogue, &unit.id, period, point),
                ]
                .into_iter()
                .fold(point.and_then(|p| province_note(p, catalogue)), join_notes),
            }
        })
        .collect();
    values.sort_by(crate::charts::rank_order);
    MapValues { values, sources, synthetic, decimals }
}

/// The old units whose data `point`, a new unit's value for `period`, holds ("Includes data of"), by name: each old
/// unit merged wholly into it (a unit that split holds none of its data in any successor: it rolls up to the nation
/// only) whose data is in the value. None beside a value not shown as a number, nor beside the unit's own report
/// (no coverage: no old unit's data); none that the coverage names as reporting nothing, left out of a ratio, or
/// missing or left out over every day of the period it existed (round 58, found by a review helper: "Province A,
/// Province B" beside a value that held none of A's data, beside "no data", and "Province D" beside the split
/// successors' own restatements).
fn merged_from(
    catalogue: &Catalogue,
    unit: &tiendo_core::OrgUnit,
    point: Option<&tiendo_core::eval::Point>,
    period: Period,
) -> Vec<Text> {
    let Some(coverage) = point.filter(|p| point_value(p).number().is_some()).and_then(|p| p.coverage.as_ref()) else {
        return Vec::new();
    };
    let mut names: Vec<Text> = catalogue
        .org_units
        .values()
        .filter(|old| old.id != unit.id && matches!(old.successors.as_slice(), [only] if *only == unit.id))
        .filter(|old| !reported_none(old, coverage, period))
        .map(|old| old.name.clone())
        .collect();
    crate::collation::sort_by_name(&mut names, |t| &t.vi);
    names
}

/// Whether `coverage` shows that `old` gave nothing to the value of `period`: it reported nothing, was left out of a
/// ratio, did not exist in the period, or its missing and left-out periods cover every day of it that it existed.
fn reported_none(old: &tiendo_core::OrgUnit, coverage: &tiendo_core::eval::Coverage, period: Period) -> bool {
    if coverage.missing.contains(&old.id) || coverage.unmatched.contains(&old.id) {
        return true;
    }
    let start = old.valid_from.map_or(period.start(), |from| from.max(period.start()));
    let end = old.valid_to.map_or(period.end(), |to| to.min(period.end()));
    let mut gaps: Vec<(NaiveDate, NaiveDate)> = coverage
        .missing_periods
        .iter()
        .chain(&coverage.left_out)
        .filter_map(|entry| entry.rsplit_once(' ').filter(|(id, _)| *id == old.id))
        .filter_map(|(_, gap)| gap.parse::<Period>().ok())
        .map(|gap| (gap.start(), gap.end()))
        .collect();
    gaps.sort_unstable();
    // Sweep the gaps in order: the days from `start` that they cover without a break.
    let mut covered = start.pred_opt();
    for (from, to) in gaps {
        if covered.and_then(|c| c.succ_opt()).is_some_and(|next| from > next) {
            break;
        }
        covered = covered.max(Some(to));
    }
    start > end || covered.is_some_and(|c| c >= end)
}

/// What a province's partial value lacks (the annex shows no status, so only a withheld value says more), that a
/// sum of its districts beside its own reports is another basis (`Point::other_basis`), and that an old province's
/// report runs past its last day (`Point::after_end`).
pub(crate) fn province_note(point: &tiendo_core::eval::Point, catalogue: &Catalogue) -> Option<Text> {
    let partial = point.coverage.as_ref().filter(|c| !c.complete).map(|coverage| {
        if point.state == ValueState::Incomplete {
            partial_note(coverage, PartialUse::Withheld, catalogue)
        } else {
            coverage_note(coverage, catalogue)
        }
    });
    let combined = point.basis == tiendo_core::eval::Basis::Combined;
    let shown = point_value(point) != Value::Missing;
    let other_basis = (point.other_basis && shown).then(|| crate::figures::other_basis_note(combined));
    let after_end = point.after_end.filter(|_| shown).map(crate::figures::after_end_note);
    let restated = crate::figures::restated_note(point, catalogue);
    let notes: Vec<Text> = [partial, other_basis, after_end, restated].into_iter().flatten().collect();
    (!notes.is_empty()).then(|| {
        let join = |lang: Lang| notes.iter().map(|n| n.get(lang)).collect::<Vec<_>>().join("; ");
        Text::new(join(Lang::Vi), join(Lang::En))
    })
}

/// The comparison of one indicator on one map; its title says "synthetic data" when any value is, because a chart
/// may be copied without the text around it.
fn comparison(
    indicator: &tiendo_core::Indicator,
    (map, provinces): (ProvinceMap, usize),
    period: Period,
    values: MapValues,
) -> ProvincialComparison {
    let MapValues { values, sources, synthetic, decimals } = values;
    let note = synthetic.then(synthetic_note);
    // Identifiers of the chart files, kept as they were for the two maps of the merger.
    let suffix = match map {
        ProvinceMap::Before2025 => "63",
        ProvinceMap::From2025 => "34",
        ProvinceMap::Unchanged => "all",
    };
    let title = if note.is_some() {
        Text::new(format!("{} (dữ liệu giả lập)", indicator.name.vi), format!("{} (synthetic data)", indicator.name.en))
    } else {
        indicator.name.clone()
    };
    ProvincialComparison {
        id: format!("{}-{suffix}", indicator.code.to_lowercase()),
        indicator_code: indicator.code.clone(),
        title,
        unit: indicator.unit.clone(),
        decimals: decimals.max(indicator.decimals),
        period,
        map,
        provinces,
        values,
        sources: sources.into_iter().collect(),
        synthetic,
        note,
    }
}

/// Breakdowns at the plan's org unit: per indicator and category, a row per period of the window with a value
/// for at least one option.
pub(super) fn disaggregations(
    catalogue: &Catalogue,
    indicator_ids: &[String],
    results: &Results<'_>,
    unit: &str,
    window: Period,
) -> Vec<Disaggregation> {
    let mut out = Vec::new();
    for id in indicator_ids {
        let (Some(indicator), Some(result)) = (catalogue.indicators.get(id), results.get(id, unit)) else { continue };
        for category_id in &indicator.disaggregations {
            let Some(category) = catalogue.categories.get(category_id) else { continue };
            let breakdowns: Vec<_> = result.breakdowns.iter().filter(|b| &b.category == category_id).collect();
            let mut periods: BTreeSet<(NaiveDate, NaiveDate, Period)> = BTreeSet::new();
            for breakdown in &breakdowns {
                let unshown = breakdown.not_computed_blends.iter().chain(&breakdown.zero_denominators);
                for period in breakdown.series.iter().map(|p| &p.period).chain(unshown) {
                    if window.contains(period) {
                        periods.insert((period.end(), period.start(), *period));
                    }
                }
            }
            // The options' decimals: the indicator's, or more where evaluation kept a percentage off 0 or 100.
            let mut option_decimals = indicator.decimals;
            let rows: Vec<DisaggregationRow> = periods
                .into_iter()
                .map(|(_, _, period)| {
                    let row = breakdown_row(results, indicator, category, (&breakdowns, result), period);
                    option_decimals = option_decimals.max(row.1);
                    row.0
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            out.push(Disaggregation {
                id: format!("{}-{}", indicator.code.to_lowercase(), category_id.replace('_', "-")),
                indicator_code: indicator.code.clone(),
                category_id: category_id.clone(),
                title: indicator.name.clone(),
                category: category.name.clone(),
                unit: indicator.unit.clone(),
                options: category
                    .options
                    .iter()
                    .map(|o| DisaggregationOption { id: o.id.clone(), name: o.name.clone() })
                    .collect(),
                rows,
                note: None,
                decimals: option_decimals,
                additive: indicator.measure == tiendo_core::model::Measure::Count,
            });
        }
    }
    out
}

/// One period's row of a breakdown and the decimals its options need: each option's value and the total, with the
/// marks of every value in it (synthetic, estimate, provisional, partial) and, for a partial row, what each partial
/// value lacks, so that a national breakdown that part of the provinces reported never reads as the nation's.
fn breakdown_row(
    results: &Results<'_>,
    indicator: &tiendo_core::Indicator,
    category: &tiendo_core::Category,
    (breakdowns, result): (&[&tiendo_core::eval::Breakdown], &tiendo_core::eval::IndicatorResult),
    period: Period,
) -> (DisaggregationRow, u8) {
    let mut decimals = 0;
    let mut sources: Vec<String> = Vec::new();
    // The points of the row with what they are, the options' then the total's: ("Female", point).
    let mut points: Vec<(Text, &tiendo_core::eval::Point)> = Vec::new();
    let options: Vec<Option<&tiendo_core::eval::Point>> = (category.options.iter())
        .map(|option| {
            let breakdown = breakdowns.iter().find(|b| b.option == option.id);
            breakdown.and_then(|b| b.series.iter().find(|p| p.period == period))
        })
        .collect();
    // The options with no value for a reason: "—", with why in the note (a blend of synthetic with real figures, a
    // denominator of 0).
    let why_none: Vec<Option<Text>> = (category.options.iter())
        .map(|option| {
            let breakdown = breakdowns.iter().find(|b| b.option == option.id)?;
            if breakdown.not_computed_blends.contains(&period) {
                Some(crate::figures::blend_note(period))
            } else if breakdown.zero_denominators.contains(&period) {
                Some(crate::figures::zero_denominator_note(period))
            } else {
                None
            }
        })
        .collect();
    let values: Vec<Value> = category
        .options
        .iter()
        .zip(&options)
        .zip(&why_none)
        .map(|((option, &point), why)| {
            if let Some(point) = point {
                decimals = decimals.max(point.decimals.unwrap_or(0));
                points.push((option.name.clone(), point));
            }
            if why.is_some() { Value::Undefined } else { point.map_or(Value::Missing, point_value) }
        })
        .collect();
    let total = result.series.iter().find(|p| p.period == period);
    if let Some(total) = total {
        points.push((Text::new("Tổng số", "Total"), total));
    }
    let total_blended = total.is_none() && result.not_computed_blends.contains(&period);
    for (_, point) in &points {
        sources.extend(point.sources.iter().cloned());
    }
    sources.sort();
    sources.dedup();
    let cited = results.shown_source(&sources, &indicator.source);
    let shown = |p: &tiendo_core::eval::Point| point_value(p) != Value::Missing;
    let mut row = DisaggregationRow {
        period,
        values,
        total: if total_blended { Value::Undefined } else { total.map_or(Value::Missing, point_value) },
        source: cited.clone(),
        more_sources: sources.iter().filter(|s| **s != cited).cloned().collect(),
        synthetic: points.iter().any(|(_, p)| results.is_synthetic(p)),
        synthetic_cells: mixed_cells(&options, total, results),
        partial: points.iter().any(|(_, p)| shown(p) && is_partial(p)),
        estimate: points.iter().any(|(_, p)| shown(p) && results.is_estimate(p)),
        derived: points.iter().any(|(_, p)| shown(p) && results.is_derived(p)),
        provisional: points.iter().any(|(_, p)| shown(p) && p.provisional),
        series_break: points.iter().any(|(_, p)| shown(p) && p.series_break.is_some()),
        contested: points.iter().any(|(_, p)| shown(p) && p.contested),
        note: row_note(&points, (results.catalogue, indicator)),
        total_decimals: total.and_then(|t| t.decimals).unwrap_or(0).max(indicator.decimals),
    };
    if indicator.measure == Measure::Count {
        row.note = join_notes(row.note.take(), groups_exceed_note(&row));
    }
    // The notes of each option's own data rows, named by the option: the total's note is its own rows' only (round
    // 66, a reader of the review: "TIP 2022 report: "sexual exploitation"" beside the 126 victims of 2021).
    for (option, point) in category.options.iter().zip(&options) {
        for note in point.filter(|p| point_value(p) != Value::Missing).map_or(&[][..], |p| &p.notes[..]) {
            let named =
                Text::new(format!("{}: {}", option.name.vi, note.vi), format!("{}: {}", option.name.en, note.en));
            row.note = join_notes(row.note.take(), Some(named));
        }
    }
    let total_name = Text::new("Tổng số", "Total");
    let reasons = category.options.iter().zip(why_none).filter_map(|(option, why)| Some((&option.name, why?)));
    let total_why = total_blended.then(|| (&total_name, crate::figures::blend_note(period)));
    for (name, why) in reasons.chain(total_why) {
        let named = Text::new(format!("{}: {}", name.vi, why.vi), format!("{}: {}", name.en, why.en));
        row.note = join_notes(row.note.take(), Some(named));
    }
    if !row.synthetic_cells.is_empty() {
        let mixed = Text::new(
            "Các giá trị có dấu † là dữ liệu giả lập, các giá trị khác là số liệu thật: không cộng chúng với nhau",
            "The values marked † are synthetic, the others real: they are not added together",
        );
        row.note = join_notes(row.note.take(), Some(mixed));
    }
    (row, decimals)
}

/// Per option, whether its shown value is synthetic, where the row's shown values (options and total) mix synthetic
/// with real ones; empty when they are of one kind ([`DisaggregationRow::synthetic_cells`]).
fn mixed_cells(
    options: &[Option<&tiendo_core::eval::Point>],
    total: Option<&tiendo_core::eval::Point>,
    results: &Results<'_>,
) -> Vec<bool> {
    let shown = |p: &tiendo_core::eval::Point| point_value(p) != Value::Missing;
    let points = options.iter().flatten().chain(total.iter());
    let kinds: Vec<bool> = points.filter(|p| shown(p)).map(|p| results.is_synthetic(p)).collect();
    if kinds.iter().all(|s| *s) || kinds.iter().all(|s| !s) {
        return Vec::new();
    }
    options.iter().map(|p| p.filter(|p| shown(p)).is_some_and(|p| results.is_synthetic(p))).collect()
}

/// For a count, whose options are disjoint parts of its total: a note where the groups shown add up to more than
/// the total shown, which no complete and consistent reports can give, or, every group having a complete value, to
/// less (part of the total is in no group). The note says that the two disagree and never guesses why: they may come from other
/// reports (a restatement by sex beside the old provinces' totals) or from one report whose breakdown and total
/// differ (W331). Round 58, found by a review helper: "60 | 45 | sum 105 | total 70" without a word; round 66, found
/// by a review helper: the note blamed other reports for one report's disagreement, and "12 | 12 | sum 24 | total 30"
/// read as the split of the 30.
fn groups_exceed_note(row: &DisaggregationRow) -> Option<Text> {
    let (Value::Number(sum), Value::Number(total)) = (row.options_sum(), row.total) else { return None };
    let tolerance = 1e-9 * total.abs().max(1.0);
    if sum > total + tolerance {
        return Some(Text::new(
            "Tổng các nhóm lớn hơn tổng số được báo cáo: số liệu theo nhóm và tổng số không khớp nhau (có thể lấy từ \
             những báo cáo khác nhau, hoặc một trong hai chưa đầy đủ hay đã được báo cáo lại)",
            "The groups add up to more than the reported total: the breakdown and the total disagree (they may come \
             from different reports, or one of them is incomplete or restated)",
        ));
    }
    // A partial group (from part of the units) says what it lacks in its own note.
    let every_group = row.values.iter().all(|value| value.number().is_some()) && !row.partial;
    (every_group && sum < total - tolerance).then(|| {
        Text::new(
            "Tổng các nhóm nhỏ hơn tổng số được báo cáo: một phần của tổng số không thuộc nhóm nào (không được phân \
             loại, hoặc số liệu theo nhóm chưa đầy đủ)",
            "The groups add up to less than the reported total: part of the total is in no group (not classified, or \
             the breakdown is incomplete)",
        )
    })
}

/// Two optional notes as one, joined by ". ".
fn join_notes(first: Option<Text>, second: Option<Text>) -> Option<Text> {
    match (first, second) {
        (Some(a), Some(b)) => Some(Text::new(format!("{}. {}", a.vi, b.vi), format!("{}. {}", a.en, b.en))),
        (a, b) => a.or(b),
    }
}

/// What the partial values of a breakdown row lack, and which are sums of the units below beside the unit's own
/// reports (another basis, `Point::other_basis`), each note once with the values it belongs to ("Female, Male:
/// Partial: 1 of 3 units reported; no report from Province B, Province C"); `None` when every value is complete and
/// of the unit's basis.
fn row_note(
    points: &[(Text, &tiendo_core::eval::Point)],
    (catalogue, indicator): (&Catalogue, &tiendo_core::Indicator),
) -> Option<Text> {
    let mut notes: Vec<(Vec<&Text>, Text)> = Vec::new();
    for (name, point) in points.iter().filter(|(_, p)| point_value(p) != Value::Missing) {
        let partial = point.coverage.as_ref().filter(|c| !c.complete).map(|c| coverage_note(c, catalogue));
        let combined = point.basis == tiendo_core::eval::Basis::Combined;
        let other_basis = point.other_basis.then(|| crate::figures::other_basis_note(combined));
        let after_end = point.after_end.map(crate::figures::after_end_note);
        let restated = crate::figures::restated_note(point, catalogue);
        // An option's share beyond the indicator's limit (7 of 5 women: 140.0 %) says so, as the total's does.
        let beyond = crate::figures::beyond_limit_note(catalogue, &indicator.id, point);
        for note in [partial, other_basis, after_end, restated, beyond].into_iter().flatten() {
            match notes.iter_mut().find(|(_, n)| *n == note) {
                Some((names, _)) => names.push(name),
                None => notes.push((vec![name], note)),
            }
        }
    }
    let write = |lang: Lang| -> String {
        let each = notes.iter().map(|(names, note)| {
            let names: Vec<&str> = names.iter().map(|n| n.get(lang)).collect();
            format!("{}: {}", names.join(", "), note.get(lang))
        });
        each.collect::<Vec<_>>().join(". ")
    };
    (!notes.is_empty()).then(|| Text::new(write(Lang::Vi), write(Lang::En)))
}
