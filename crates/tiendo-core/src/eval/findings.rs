//! Warnings about the data that evaluation finds on the way: units left out of a ratio (W330), blends of synthetic
//! and real values (W333), a period without data (W302), periods not ended by the as-of date (W304); and the splits
//! a successor's series starts after.

use super::*;

/// Per unit that an old unit split into: the old units and the day after the last of them ended.
pub(super) fn split_units(catalogue: &Catalogue) -> BTreeMap<String, Split> {
    let units = succession::Units::build(catalogue);
    let mut out = BTreeMap::new();
    for (index, from) in units.split_from.iter().enumerate() {
        if from.is_empty() {
            continue;
        }
        let ended = from.iter().filter_map(|&u| units.valid[u as usize].1).max().and_then(|d| d.succ_opt());
        let names = from.iter().map(|&u| units.ids[u as usize].clone()).collect();
        out.insert(units.ids[index].clone(), (names, ended));
    }
    out
}

/// Drops the points whose sources blend synthetic with real values (a national sum of real and synthetic provinces, a
/// rate with a real numerator and a synthetic denominator), with one W333 warning per indicator, unit and variant.
pub(super) fn refuse_blends(
    mut points: Vec<RawPoint>,
    kinds: &sources::SourceKinds,
    (indicator, unit, variant): (&str, &str, &str),
    out: &mut Vec<Diagnostic>,
) -> Vec<RawPoint> {
    let refused: Vec<String> =
        points.iter().filter(|p| kinds.mixes_synthetic(p.sources)).map(|p| p.period.to_string()).collect();
    if refused.is_empty() {
        return points;
    }
    points.retain(|p| !kinds.mixes_synthetic(p.sources));
    let what = if variant.is_empty() { indicator.to_owned() } else { format!("{indicator} [{variant}]") };
    out.push(
        Diagnostic::warning(
            "W333",
            "synthetic-blend",
            format!("{what} at {unit}: {} would blend synthetic and real values; not computed", refused.join(", ")),
        )
        .with_hint("synthetic data never enters a value together with real data; report the real figure for every part, or evaluate the synthetic data on its own"),
    );
    points
}

/// A validation check left out: (rule, org unit, period).
pub(super) type Unchecked = (String, String, Period);

/// W333 for validation checks left out because one side is synthetic and the other real.
pub(super) fn unchecked_blends(unchecked: Vec<Unchecked>) -> Vec<Diagnostic> {
    let mut by_rule: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (rule, unit, period) in unchecked {
        by_rule.entry(rule).or_default().push(format!("{unit} {period}"));
    }
    by_rule
        .into_iter()
        .map(|(rule, cells)| {
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

/// W330: units left out of a ratio because they reported one of its parts without the other, one warning per
/// indicator, unit and missing part.
pub(super) fn unmatched_diagnostics(catalogue: &Catalogue, unmatched: Unmatched) -> Vec<Diagnostic> {
    unmatched
        .into_iter()
        .map(|((indicator, unit, side), (periods, parents))| {
            let (has, lacks) = match (&catalogue.indicators.get(&indicator).map(|i| &i.formula), side) {
                (Some(Formula::Expression { numerator, denominator: Some(denominator) }), Side::Numerator) => {
                    (denominator.to_string(), numerator.to_string())
                }
                (Some(Formula::Expression { numerator, denominator: Some(denominator) }), Side::Denominator) => {
                    (numerator.to_string(), denominator.to_string())
                }
                _ => ("one part".to_owned(), "the other".to_owned()),
            };
            // Years, then halves, quarters and months, each in time order: how tables read.
            let mut periods: Vec<Period> = periods.into_iter().collect();
            periods.sort_by_key(|p| (p.period_type(), p.start(), p.end()));
            let periods: Vec<String> = periods.iter().map(Period::to_string).collect();
            let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
            let left_out = if parents.is_empty() { String::new() } else { format!(" (at {})", parents.join(", ")) };
            Diagnostic::warning(
                "W330",
                "unmatched-ratio-part",
                format!(
                    "{indicator}: {unit} reports {has} without {lacks} in {}; for those periods it is left out of the ratio{left_out}",
                    periods.join(", ")
                ),
            )
            .with_hint(format!(
                "report both {has} and {lacks} for {unit}, or neither; the other units' parts are matched"
            ))
        })
        .collect()
}

/// W302: the period asked for holds no reported period (up to the as-of date), so every result is empty.
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
        format!("no observation falls in {filter} (up to {as_of}): every result is empty"),
    )
    .with_hint(hint)
}

/// W304: observations of periods that had not ended by the as-of date (a year still running, the month of the
/// as-of date), within the `--period` filter if any: they are not evaluated, and the warning counts them and names
/// the periods (at most five, then how many more), so that no row is left out without a word. `counts` is the number
/// of observations of each such period.
pub(super) fn periods_not_ended(as_of: NaiveDate, counts: &BTreeMap<Period, usize>) -> Option<Diagnostic> {
    let total: usize = counts.values().sum();
    if total == 0 {
        return None;
    }
    let mut named: Vec<String> = counts.keys().take(5).map(Period::to_string).collect();
    if counts.len() > 5 {
        named.push(format!("{} more", counts.len() - 5));
    }
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
