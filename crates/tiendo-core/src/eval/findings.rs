//! Warnings about the data that evaluation finds on the way: units left out of a ratio and what they lack (W330), blends of synthetic
//! and real values (W333), a period without data (W302), periods not ended by the as-of date (W304), a disclosure
//! audit that could not protect every hidden count or withheld cells (W351, W352); and the successions a unit's
//! series is not comparable across.

use super::*;

/// Per unit whose series a succession breaks: the old units it split or moved from and the day after the last of
/// them ended, and the days its area changed.
pub(super) fn unit_boundaries(catalogue: &Catalogue) -> BTreeMap<String, Boundaries> {
    let units = succession::Units::build(catalogue);
    let mut out = BTreeMap::new();
    for ((index, from), area_changes) in units.split_from.iter().enumerate().zip(units.area_changes()) {
        if from.is_empty() && area_changes.is_empty() {
            continue;
        }
        let comparable_from = from.iter().filter_map(|&u| units.valid[u as usize].1).max().and_then(|d| d.succ_opt());
        let split_from = from.iter().map(|&u| units.ids[u as usize].clone()).collect();
        out.insert(units.ids[index].clone(), Boundaries { split_from, comparable_from, area_changes });
    }
    out
}

/// Drops the points whose sources blend synthetic with real values (a national sum of real and synthetic provinces, a
/// rate with a real numerator and a synthetic denominator), with one W333 warning per indicator, unit and variant;
/// returns the points kept and the periods refused, in order.
pub(super) fn refuse_blends(
    mut points: Vec<RawPoint>,
    kinds: &sources::SourceKinds,
    (indicator, unit, variant): (&str, &str, &str),
    out: &mut Vec<Diagnostic>,
) -> (Vec<RawPoint>, Vec<Period>) {
    let periods: Vec<Period> = points.iter().filter(|p| kinds.mixes_synthetic(p.sources)).map(|p| p.period).collect();
    if periods.is_empty() {
        return (points, periods);
    }
    let refused: Vec<String> = periods.iter().map(Period::to_string).collect();
    points.retain(|p| !kinds.mixes_synthetic(p.sources));
    let what = if variant.is_empty() { indicator.to_owned() } else { format!("{indicator} [{variant}]") };
    out.push(
        Diagnostic::warning(
            "W333",
            "synthetic-blend",
            format!("{what} at {unit}: {} would blend synthetic and real values; not computed", refused.join(", ")),
        )
        .about_indicator(indicator)
        .with_hint("synthetic data never enters a value together with real data; report the real figure for every part, or evaluate the synthetic data on its own"),
    );
    (points, periods)
}

/// W356 for each result whose value computed at a unit is no finite number within ±10^15 in some periods (a ratio over
/// a denominator of 1e-300), each a failed point of kind `out-of-range` (`points::beyond_bound`), so that `eval` and
/// `report` say it needs attention (round 70).
pub(super) fn beyond_bound(catalogue: &Catalogue, indicators: &[IndicatorResult]) -> Vec<Diagnostic> {
    indicators
        .iter()
        .filter_map(|result| {
            let periods: Vec<Period> =
                result.failed_points.iter().filter(|f| f.kind == "out-of-range").map(|f| f.period).collect();
            let indicator = catalogue.indicators.get(&result.indicator)?;
            (!periods.is_empty()).then(|| out_of_range(indicator, &result.org_unit, &periods))
        })
        .collect()
}

/// W356: `indicator`'s value computed `at` a unit (or a unit's breakdown option) is no finite number within ±10^15
/// in `periods`; not computed.
pub(super) fn out_of_range(indicator: &Indicator, at: &str, periods: &[Period]) -> Diagnostic {
    let periods: Vec<String> = periods.iter().map(Period::to_string).collect();
    Diagnostic::warning(
        "W356",
        "value-out-of-range",
        format!(
            "{} at {at}: the value computed for {} is not a finite number within ±10^15; not computed",
            indicator.code,
            periods.join(", ")
        ),
    )
    .about_indicator(&indicator.id)
    .with_hint(
        "a denominator too close to 0 (such as 1e-15) or values too large: check the data rows the indicator reads",
    )
}

/// W357: a percentage given as it is (reported directly, or a numerator without a denominator) whose every value shown
/// at a unit lies between 0 and 1 beside a target above 1: 0.8 and 0.95 read as 0.8 % and 0.95 % against `>= 90`
/// ("at risk", "1.1 % of target"), almost surely fractions of 80 % and 95 %, as W005 says of such a target (round 70,
/// found by an adversarial tester). Only values shown are read, never a hidden one, and none is quoted. Each such
/// result is marked (`IndicatorResult::values_as_fractions`), so that every output says it beside the status.
pub(super) fn shares_as_fractions(catalogue: &Catalogue, indicators: &mut [IndicatorResult]) -> Vec<Diagnostic> {
    let given = |id: &str| {
        catalogue.indicators.get(id).is_some_and(|i| {
            i.is_percentage()
                && !matches!(i.formula, Formula::Expression { denominator: Some(_), .. } | Formula::Plugin(_))
        })
    };
    let mut found = Vec::new();
    for result in indicators.iter_mut().filter(|result| given(&result.indicator)) {
        let values: Vec<f64> = result.series.iter().filter_map(|p| p.value).collect();
        let fractions =
            !values.is_empty() && values.iter().all(|v| (0.0..=1.0).contains(v)) && values.iter().any(|v| *v > 0.0);
        // Only a target the values fall short of: below `<= 5`, 0.9 and 0.7 meet it whichever way they are read, and
        // W005 spares an upper bound alike (round 72, found by a verifier: "achieved (... almost surely fractions)").
        let short_of = |t: &&crate::eval::TargetResult| {
            t.value > 1.0 && !matches!(t.comparator, Comparator::LessOrEqual | Comparator::Less)
        };
        let Some(target) = result.targets.iter().find(short_of).map(|t| t.value) else { continue };
        if !fractions {
            continue;
        }
        result.values_as_fractions = true;
        // No value is quoted: the review lists this warning for its reader, where a value may be hidden.
        found.push(
            Diagnostic::warning(
                "W357",
                "percentage-as-fraction",
                format!(
                    "{} at {}: every value is at most 1 beside a target of {target}: read as percentages they fall \
                     far short of it; almost surely fractions (0.8 written for 80 %)",
                    result.code, result.org_unit,
                ),
            )
            .about_indicator(&result.indicator)
            .with_hint(
                "a percentage is written as the percentage (80 for 80 %), not as a fraction (0.8): multiply the data by 100",
            ),
        );
    }
    found
}

/// W333 for validation checks left out because one side is synthetic and the other real, W354 for those left out
/// because a value lacks part of its period, breakdown or units; one warning per rule and reason.
pub(super) fn unchecked_rules(unchecked: Vec<Unchecked>) -> Vec<Diagnostic> {
    let mut by_rule: BTreeMap<(bool, String), Vec<String>> = BTreeMap::new();
    for ((rule, unit, period), why) in unchecked {
        let (partial, cell) = match why {
            Unread::Synthetic => (false, format!("{unit} {period}")),
            Unread::Partial(parts) => (true, format!("{unit} {period} ({} partial)", parts.join(", "))),
        };
        by_rule.entry((partial, rule)).or_default().push(cell);
    }
    by_rule
        .into_iter()
        .map(|((partial, rule), cells)| if partial {
            Diagnostic::warning(
                "W354",
                "validation-on-partial-value",
                format!(
                    "validation rule {rule} not checked where a value lacks part of its period, breakdown or units: {}",
                    cells.join(", ")
                ),
            )
            .with_hint("a part is no value of the whole period: report the missing parts (see the coverage in `tiendo eval`), and the rule is checked")
        } else {
            Diagnostic::warning(
                "W333",
                "synthetic-blend",
                format!(
                    "validation rule {rule} not checked where it would compare synthetic with real values: {}",
                    cells.join(", ")
                ),
            )
            .with_hint("a rule compares values of one kind; the synthetic and real figures are checked separately")
        })
        .collect()
}

/// W330: units left out of a ratio because their parts do not match, one warning per indicator and unit. It says
/// precisely what is unmatched in each period, the periods of one shape together: a part not reported at all
/// ("resolved without received"), a part that covers only some days ("received covers the period but resolved only
/// part of it (2023Q4 missing)"), a part reported only for a longer period ("received is reported only for 2023 as a
/// whole"), or a unit's own part beside its children's other part. The parts are named as evaluated, so that a
/// breakdown's warning names its option (`supported[sex=male]`; round 49: it named the totals, which were matched).
pub(super) fn unmatched_diagnostics(unmatched: Unmatched) -> Vec<Diagnostic> {
    unmatched
        .into_iter()
        .map(|((indicator, unit, (numerator, denominator)), (by_period, parents))| {
            let names = (numerator.as_str(), denominator.as_str());
            // The periods of each shape, years, then halves, quarters and months, each in time order: how tables
            // read. Shapes in the order of their first period.
            let mut periods: Vec<(&Period, &Mismatch)> = by_period.iter().collect();
            periods.sort_by_key(|(p, _)| (p.period_type(), p.start(), p.end()));
            let mut shapes: Vec<(String, Vec<String>)> = Vec::new();
            for (period, mismatch) in periods {
                let text = mismatch_text(mismatch, names);
                match shapes.iter_mut().find(|(t, _)| *t == text) {
                    Some((_, list)) => list.push(period.to_string()),
                    None => shapes.push((text, vec![period.to_string()])),
                }
            }
            let clauses: Vec<String> =
                shapes.iter().map(|(text, periods)| format!("in {}, {text}", periods.join(", "))).collect();
            let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
            let left_out = if parents.is_empty() { String::new() } else { format!(" (at {})", parents.join(", ")) };
            Diagnostic::warning(
                "W330",
                "unmatched-ratio-part",
                format!("{indicator}: {unit} is left out of the ratio{left_out}: {}", clauses.join("; ")),
            )
            .about_indicator(indicator.as_str())
            .with_hint(if by_period.values().all(|m| *m == Mismatch::BelowExceeds) {
                format!(
                    "nothing to report unless those rows are wrong: the days count where {unit}'s value counts them; \
                     the ratio is marked partial because {unit} is left out"
                )
            } else {
                format!(
                    "report {numerator} and {denominator} for {unit} over the same periods, or neither; the other \
                     units' parts are matched"
                )
            })
        })
        .collect()
}

/// What is unmatched in one period, in words: "it reports resolved without received", "received covers the period
/// but resolved only part of it (2023Q4 missing)", "resolved covers the period but received is reported only for
/// 2023 as a whole", "it reports received itself and resolved only through the units below it".
fn mismatch_text(mismatch: &Mismatch, (numerator, denominator): (&str, &str)) -> String {
    match mismatch {
        Mismatch::BelowExceeds => {
            "its parts from the units below it hold days its value here leaves out (days after it ended, or days \
             another unit's own report holds), which matched parts would add"
                .to_owned()
        }
        Mismatch::BesideChildren(lacks) => {
            let (own, other) =
                if *lacks == Side::Numerator { (denominator, numerator) } else { (numerator, denominator) };
            format!(
                "it reports {own} itself and {other} only through the units below it (their matched parts are used)"
            )
        }
        Mismatch::Covers { numerator: top, denominator: bottom } => {
            let mut sides = [(numerator, top), (denominator, bottom)];
            // The better covered part first: the other is what is unmatched.
            sides.sort_by_key(|(_, cover)| rank(cover));
            match sides {
                [(has, _), (lacks, Cover::Nothing)] => format!("it reports {has} without {lacks}"),
                [(first, a), (second, b)] => {
                    format!("{} but {}", cover_text(first, a, false), cover_text(second, b, true))
                }
            }
        }
    }
}

/// The order in which a mismatch names its parts: the one that covers more first.
fn rank(cover: &Cover) -> u8 {
    match cover {
        Cover::Whole => 0,
        Cover::Part(_) => 1,
        Cover::Within(_) => 2,
        Cover::Nothing => 3,
    }
}

/// One part's cover in words; `second` for the part after "but" ("resolved only part of it").
fn cover_text(name: &str, cover: &Cover, second: bool) -> String {
    let missing = |list: &[String]| if list.is_empty() { String::new() } else { format!(" ({})", list.join("; ")) };
    match (cover, second) {
        (Cover::Whole, _) => format!("{name} covers the period"),
        (Cover::Part(list), false) => format!("{name} covers part of the period{}", missing(list)),
        (Cover::Part(list), true) => format!("{name} only part of it{}", missing(list)),
        (Cover::Within(longer), _) => format!("{name} is reported only for {longer} as a whole"),
        (Cover::Nothing, _) => format!("{name} is not reported"),
    }
}

/// W302: the period asked for holds no reported period (up to the as-of date), so no value of the window is shown.
pub(super) fn no_data_in_period(filter: Period, as_of: NaiveDate, reported: &[Period]) -> Diagnostic {
    let first = reported.iter().map(Period::start).min();
    let last = reported.iter().map(Period::end).max();
    let hint = match (first, last) {
        _ if filter.start() > as_of => format!("{filter} starts after the as-of date {as_of}"),
        (Some(first), Some(last)) => format!("the data covers {first} to {last}"),
        _ => "no data file has an observation of the catalogue's indicators".to_owned(),
    };
    Diagnostic::warning(
        "W302",
        "no-data-in-period",
        format!(
            "no observation falls in {filter} (up to {as_of}): no value of the window is shown (a target may still be \
             read on earlier values, named with their periods)"
        ),
    )
    .with_hint(hint)
}

/// W304: observations of periods that had not ended by the as-of date (a year still running, the month of the
/// as-of date), within the `--period` filter if any: they are not evaluated, and the warning counts them and names
/// the periods (at most five, then how many more), so that no row is left out without a word. `counts` is the number
/// of observations of each such period.
pub(super) fn periods_not_ended(as_of: NaiveDate, counts: &BTreeMap<Period, usize>) -> Option<Diagnostic> {
    let (total, named) = named_periods(counts)?;
    Some(
        Diagnostic::warning(
            "W304",
            "period-not-ended",
            format!(
                "{total} observation{} {} for periods that had not ended by the as-of date {as_of} ({}): not evaluated",
                if total == 1 { "" } else { "s" },
                if total == 1 { "is" } else { "are" },
                named.join(", ")
            ),
        )
        .with_hint(
            "a period is evaluated once it has ended; an --as-of on or after its last day includes it (a year to date is \
             reported as its quarters or months, which are evaluated as they end)",
        ),
    )
}

/// W344: the observations of ended periods that overlap the review window (`--period`, `--window`) without lying
/// inside it (`counts`, by period): not shown in this window, since their value holds days outside it (a target line
/// may still read them). One warning counts them and names the periods; `None` when there is none.
pub(super) fn periods_across_window(window: Period, counts: &BTreeMap<Period, usize>) -> Option<Diagnostic> {
    let (total, named) = named_periods(counts)?;
    Some(
        Diagnostic::warning(
            "W344",
            "period-across-window",
            format!(
                "{total} observation{} {} for periods that run past the start or end of the window {window} ({}): not \
                 shown in this window (a target line or a status may still read them, named with their periods)",
                if total == 1 { "" } else { "s" },
                if total == 1 { "is" } else { "are" },
                named.join(", ")
            ),
        )
        .with_hint(
            "a value that holds days outside the window cannot be one of its figures; a window that holds the whole \
             period includes it, or report the period's months or quarters",
        ),
    )
}

/// How many observations `counts` holds in all, and its first five periods then "N more"; `None` when none.
fn named_periods(counts: &BTreeMap<Period, usize>) -> Option<(usize, Vec<String>)> {
    let total: usize = counts.values().sum();
    if total == 0 {
        return None;
    }
    let mut named: Vec<String> = counts.keys().take(5).map(Period::to_string).collect();
    if counts.len() > 5 {
        named.push(format!("{} more", counts.len() - 5));
    }
    Some((total, named))
}

/// W351 when the disclosure audit left hidden counts a reader can still narrow below the protection range, W352
/// when it withheld cells because its work budget ran out: the outputs say so in their confidentiality note, and
/// the run says so too, so that `report` never closes with "nothing needs attention" over such a publication.
pub(super) fn disclosure_findings(audit: &crate::disclosure::Audit) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if audit.unprotected > 0 {
        out.push(
            Diagnostic::warning(
                "W351",
                "counts-not-protected",
                format!(
                    "the disclosure audit found {} suppressed count(s) that a reader can still narrow to fewer than {} \
                     possible values from what is published; the outputs say so in their note on confidentiality",
                    audit.unprotected,
                    audit.protection + 1.0
                ),
            )
            .with_hint(
                "hiding more cells could not protect them (the threshold or the tables leave too few values): \
                 publish such counts at a coarser period or unit, or leave the breakdown out of the catalogue's \
                 disaggregations, before the review is signed",
            ),
        );
    }
    if audit.withheld > 0 {
        out.push(
            Diagnostic::warning(
                "W352",
                "cells-withheld",
                format!(
                    "the disclosure audit ran out of its work budget and withheld {} cell(s) that would have been \
                     published, with every figure related to them; the outputs show them as suppressed",
                    audit.withheld
                ),
            )
            .with_hint(
                "publish fewer breakdowns or periods of the sensitive counts, so that the audit can settle them",
            ),
        );
    }
    out
}

/// W333 for every plan baseline and target that cites a synthetic source where its indicator has a real value at the
/// figure's unit (its own `org_unit`, else its plan's): there it decides no status, progress or trend
/// (`ResultContext::plan_figure_decides`), as a synthetic value decides nothing beside real ones (round 68, found by
/// a verifier: a synthetic baseline made real values "on track", a synthetic target "at risk"). Beside synthetic
/// values only it changes nothing, and is not said.
pub(super) fn synthetic_plan_figures(
    catalogue: &Catalogue,
    kinds: &sources::SourceKinds,
    indicators: &[IndicatorResult],
) -> Vec<Diagnostic> {
    if kinds.all_synthetic() {
        return Vec::new();
    }
    let synthetic = |source: &str| results::synthetic_plan_source(catalogue, source);
    let real_values = |indicator: &str, unit: &str| {
        indicators.iter().any(|r| {
            r.indicator == indicator && r.org_unit == unit && r.series.iter().any(|p| p.value.is_some() && !p.synthetic)
        })
    };
    let mut out = Vec::new();
    for plan in catalogue.plans.values() {
        let baselines = (plan.baselines.iter().filter(|b| synthetic(&b.source)))
            .map(|b| ("baseline", &b.indicator, b.period, &b.source, &b.org_unit));
        let targets = (plan.targets.iter().filter(|t| synthetic(&t.source)))
            .map(|t| ("target", &t.indicator, t.period, &t.source, &t.org_unit));
        for (what, indicator, period, source, unit) in baselines.chain(targets) {
            let unit = unit.as_deref().unwrap_or(&plan.org_unit);
            if !real_values(indicator, unit) {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    "W333",
                    "synthetic-blend",
                    format!(
                        "plan {}: the {what} of {indicator} for {period} cites the synthetic source `{source}`; it decides no status, progress or trend of the real values of {unit}",
                        plan.id
                    ),
                )
                .with_hint("a plan's baseline or target cites the document that sets it; give it that source, or evaluate the synthetic data on its own")
                .about_indicator(indicator.as_str()),
            );
        }
    }
    out
}
