//! W339 and W340: one unit's own reports of an element over time that a reader would add up to two different numbers
//! (adversarial review round 5, K9 and K5). Evaluation uses a period's own report for that period and its parts for
//! shorter ones, so a year of 100 beside quarters of 30 each prints 100 for the year and 60 + 60 for its halves;
//! and two reports whose periods overlap without one lying within the other (`2023-01-01..2023-06-30` and
//! `2023-04-01..2023-12-31`) count their common days in both.

use crate::diagnostic::{Diagnostic, Span};
use crate::eval::breakdown::{Shapes, period_cell};
use crate::eval::grouping::Tag;
use crate::eval::store::{Observation, ObservationStore};
use crate::period::{Period, PeriodType};

/// A unit's own report of an element for a period that the reports of its parts contradict (W339): (store element,
/// store org unit, the period). Every value that reads those days of that unit's element rests on figures that
/// cannot both be right, and is marked so ([`crate::eval::Point::contested`]).
pub(crate) type Contested = (u32, u32, Period);

/// [`Cell::combo`] of a unit's totals read across breakdowns ([`totals_disagree`]).
const TOTAL: u32 = u32::MAX;

/// An element summed over time, the shapes of its unfiltered reference, and whether it counts (never negative).
pub(crate) type Total<'a> = (u32, &'a Shapes, bool);

/// One report of a unit: its period, its value and its position in the store.
#[derive(Debug, Clone, Copy)]
struct Report {
    period: Period,
    value: f64,
    position: usize,
    /// The value is an incomplete breakdown's sum, a lower bound of the period's total (a count).
    at_least: bool,
}

/// W339 and W340 for the groups (element, org unit, start, end) of `entries` whose element is in `summed` (the
/// elements read as sums over time, sorted: only there do parts add up to the whole), W341 for those whose element is
/// in `stocks` (read as the value on a period's last day, sorted). Each disaggregation of a group is read apart. One
/// warning per period whose parts disagree with it, at its row; one per overlapping pair, at the later row; one per
/// stock that another report of the same day contradicts, at its row. Pairs of standard periods that overlap (a
/// calendar year and the courts' year from 1 October) are two reporting conventions, not an overlap, and are not
/// reported.
pub(crate) fn disagreements_over_time(
    store: &ObservationStore,
    entries: &[Observation],
    groups: &[(u32, u32, usize, usize)],
    (summed, stocks, withheld): (&[u32], &[u32], &[u32]),
    contested: &mut Vec<Contested>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &(element, unit, start, end) in groups {
        let stock = stocks.binary_search(&element).is_ok();
        if (summed.binary_search(&element).is_err() && !stock) || !mixes_periods(store, &entries[start..end]) {
            continue;
        }
        let mut by_combo: Vec<(u32, Vec<Report>)> = Vec::new();
        for (offset, entry) in entries[start..end].iter().enumerate() {
            let period = store.periods[entry.period as usize];
            let report = Report { period, value: entry.value, position: start + offset, at_least: false };
            match by_combo.iter_mut().find(|(combo, _)| *combo == entry.combo) {
                Some((_, reports)) => reports.push(report),
                None => by_combo.push((entry.combo, vec![report])),
            }
        }
        for (combo, reports) in &by_combo {
            let withheld = withheld.contains(&element);
            let what = Cell { store, element, unit, combo: *combo, withheld };
            if stock {
                out.extend(same_day_stocks_disagree(&what, reports));
                continue;
            }
            out.extend(parts_disagree(&what, reports, contested));
            out.extend(overlaps(&what, reports));
        }
    }
    out
}

/// W339 across breakdowns: a unit's period and the periods that make it up whose totals, each read as evaluation
/// reads it (its total row, else a complete breakdown or rows at two depths that cover every combination), add up to
/// different numbers where the rows are of different breakdowns (a year by sex, its quarters as totals), which the
/// pass by breakdown ([`disagreements_over_time`]) never compares (review of 6 December, helper 3, F3). A period
/// read only from an incomplete breakdown gives a lower bound of its total, which contradicts the others when it is
/// above them: a year of 50 beside quarters of 15 women each (60 women at least), or a year of at least 60 children
/// beside quarters whose totals add up to 50 (review of 6 December, helper 5); only for counts, never negative.
/// `totals` gives, for each element summed over time, the shapes of its unfiltered reference and whether it counts;
/// `already` are the warnings of that pass, not repeated.
pub(crate) fn totals_disagree(
    store: &ObservationStore,
    (entries, tags): (&[Observation], &[Tag]),
    groups: &[(u32, u32, usize, usize)],
    (totals, withheld, already): (&[Total<'_>], &[u32], &[Diagnostic]),
    contested: &mut Vec<Contested>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &(element, unit, start, end) in groups {
        let Some(&(_, shapes, count)) = totals.iter().find(|(e, ..)| *e == element) else { continue };
        let slice = &entries[start..end];
        if !mixes_periods(store, slice) || slice.iter().all(|e| e.combo == slice[0].combo) {
            continue;
        }
        let mut reports = Vec::new();
        let mut position = 0;
        while position < slice.len() {
            let (value, next) = period_cell(slice, &tags[start..end], position, shapes);
            // An incomplete breakdown bounds its total from below only where values are never negative.
            if let Some(value) = value.filter(|v| count || !v.partial_breakdown) {
                let period = store.periods[slice[position].period as usize];
                let at_least = value.partial_breakdown;
                reports.push(Report { period, value: value.value, position: start + position, at_least });
            }
            position = next.max(position + 1);
        }
        let cell = Cell { store, element, unit, combo: TOTAL, withheld: withheld.contains(&element) };
        // Exact totals first, as before; then with the lower bounds, which may tile a period the exact ones do not
        // (and stand between a year and its exact quarters, so they are not read in the first pass).
        let exact: Vec<Report> = reports.iter().copied().filter(|r| !r.at_least).collect();
        let mut found = parts_disagree(&cell, &exact, contested);
        if exact.len() < reports.len() {
            for diagnostic in parts_disagree(&cell, &reports, contested) {
                if !found.iter().any(|f| f.message == diagnostic.message) {
                    found.push(diagnostic);
                }
            }
        }
        out.extend(found.into_iter().filter(|d| !already.iter().any(|a| a.message == d.message)));
    }
    out
}

/// Whether a group's periods can nest or overlap at all: not when all are of one standard type (a store of months
/// only, as most large stores are, is passed over in one look at each row).
fn mixes_periods(store: &ObservationStore, group: &[Observation]) -> bool {
    let Some(first) = group.first() else { return false };
    let kind = store.periods[first.period as usize].period_type();
    kind == PeriodType::Range || group.iter().any(|e| store.periods[e.period as usize].period_type() != kind)
}

/// Whether `inner` lies within `outer` and is shorter.
fn strictly_within(inner: &Period, outer: &Period) -> bool {
    outer.contains(inner) && (inner.start(), inner.end()) != (outer.start(), outer.end())
}

/// The (element, unit, disaggregation) a group of reports is of, for messages.
struct Cell<'a> {
    store: &'a ObservationStore,
    element: u32,
    unit: u32,
    combo: u32,
    /// The element is sensitive and its values are not quoted ([`crate::diagnostic::WITHHELD_VALUES`]).
    withheld: bool,
}

impl Cell<'_> {
    /// `victims` or `victims[sex=female]`, at the unit.
    fn name(&self) -> String {
        let element = self.store.elements.name(self.element);
        let pairs: &[(String, String)] =
            if self.combo == TOTAL { &[] } else { &self.store.combos[self.combo as usize] };
        let filter = if pairs.is_empty() {
            String::new()
        } else {
            let shown: Vec<String> = pairs.iter().map(|(c, o)| format!("{c}={o}")).collect();
            format!("[{}]", shown.join(","))
        };
        format!("{element}{filter} at {}", self.store.org_units.name(self.unit))
    }

    fn span(&self, position: usize) -> Span {
        let (file, row) = self.store.origin(position);
        Span { file, start: 0, end: 0, line: row as usize, column: 1 }
    }
}

/// W339: each reported period whose longest reported parts (those within no other reported part) tile it and add up
/// to another number. Shorter parts are compared with the part they lie in, so every level is checked once. A value
/// that is only a lower bound ([`Report::at_least`]) contradicts the others only by being above them.
fn parts_disagree(cell: &Cell<'_>, reports: &[Report], contested: &mut Vec<Contested>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for whole in reports {
        let within: Vec<&Report> = reports.iter().filter(|r| strictly_within(&r.period, &whole.period)).collect();
        let mut parts: Vec<&Report> =
            within.iter().copied().filter(|r| !within.iter().any(|o| strictly_within(&r.period, &o.period))).collect();
        parts.sort_by_key(|r| (r.period.start(), r.period.end()));
        let tiles = parts.first().is_some_and(|p| p.period.start() == whole.period.start())
            && parts.last().is_some_and(|p| p.period.end() == whole.period.end())
            && parts.windows(2).all(|w| w[0].period.end().succ_opt() == Some(w[1].period.start()));
        if !tiles {
            continue;
        }
        let sum: f64 = parts.iter().map(|p| p.value).sum();
        let parts_at_least = parts.iter().any(|p| p.at_least);
        let tolerance = crate::eval::exact::rounding_tolerance(whole.value);
        let disagree = match (whole.at_least, parts_at_least) {
            (false, false) => (sum - whole.value).abs() > tolerance,
            (false, true) => sum > whole.value + tolerance,
            (true, false) => whole.value > sum + tolerance,
            (true, true) => false,
        };
        if disagree {
            out.push(periods_disagree(cell, whole, &parts, sum));
            contested.push((cell.element, cell.unit, whole.period));
        }
    }
    out
}

/// The W339 warning for `whole` and its `parts` (adding up to `sum`), at the whole's row.
fn periods_disagree(cell: &Cell<'_>, whole: &Report, parts: &[&Report], sum: f64) -> Diagnostic {
    let listed: Vec<String> = parts.iter().map(|p| p.period.to_string()).collect();
    let message = if cell.withheld {
        format!(
            "{}: {} and its parts {} add up to different numbers; {}",
            cell.name(),
            whole.period,
            listed.join(" + "),
            crate::diagnostic::WITHHELD_VALUES
        )
    } else {
        let at_least = |lower: bool| if lower { "at least " } else { "" };
        let reported = if whole.at_least { "reported by an incomplete breakdown as" } else { "reported as" };
        format!(
            "{}: {} is {reported} {}{}, but its parts {} add up to {}{sum}",
            cell.name(),
            whole.period,
            at_least(whole.at_least),
            whole.value,
            listed.join(" + "),
            at_least(parts.iter().any(|p| p.at_least)),
        )
    };
    let hint = if whole.at_least || parts.iter().any(|p| p.at_least) {
        format!(
            "an incomplete breakdown gives only a lower bound of its total, and here that bound is already above \
             the total on the other side: {} and the periods that make it up cannot both be right; correct one of them",
            whole.period
        )
    } else {
        format!(
            "a period and the periods that make it up must add up to the same number: {}'s own report is used for {} \
             and the parts for shorter periods, so the two disagree in print; correct one of them",
            whole.period, whole.period
        )
    };
    Diagnostic::warning("W339", "periods-disagree", message).with_span(Some(cell.span(whole.position))).with_hint(hint)
}

/// W341: a stock (the value on a period's last day) reported for periods that end on the same day with different
/// values (AB's 2025 as 25 and its 2025S2 as 20, both the stock on 31 December 2025): each period's own report is used
/// for it and the shortest one's for other periods ending that day ([`crate::eval::combine`]), so each longer one
/// that differs is named at its row.
fn same_day_stocks_disagree(cell: &Cell<'_>, reports: &[Report]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for report in reports {
        let same_day = reports.iter().filter(|r| r.period.end() == report.period.end());
        let Some(shortest) = same_day.max_by_key(|r| (r.period.start(), std::cmp::Reverse(r.position))) else {
            continue;
        };
        let agrees = (shortest.value - report.value).abs() <= crate::eval::exact::rounding_tolerance(report.value);
        if shortest.position == report.position || agrees {
            continue;
        }
        let day = report.period.end();
        let message = if cell.withheld {
            format!(
                "{}: {} and {} are both the stock on {day} and differ; {}",
                cell.name(),
                report.period,
                shortest.period,
                crate::diagnostic::WITHHELD_VALUES
            )
        } else {
            format!(
                "{}: {} is reported as {} and {} as {}, both the stock on {day}",
                cell.name(),
                report.period,
                report.value,
                shortest.period,
                shortest.value,
            )
        };
        out.push(
            Diagnostic::warning("W341", "stocks-disagree", message)
                .with_span(Some(cell.span(report.position)))
                .with_hint(format!(
                    "a stock is the value on a period's last day: each period's own report is used for it and the \
                     shortest one's ({}) for the other periods ending on {day}, so the two disagree in print; correct \
                     the one that is wrong",
                    shortest.period
                )),
        );
    }
    out
}

/// W340: pairs of reports whose periods share days without one lying within the other, at least one of them a date
/// range (standard periods that overlap are two conventions, such as the calendar year and the courts' year).
fn overlaps(cell: &Cell<'_>, reports: &[Report]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, a) in reports.iter().enumerate() {
        for b in &reports[i + 1..] {
            let share_days = a.period.overlaps(&b.period);
            let nested = a.period.contains(&b.period) || b.period.contains(&a.period);
            let ranges = a.period.period_type() == PeriodType::Range || b.period.period_type() == PeriodType::Range;
            if !share_days || nested || !ranges {
                continue;
            }
            let (first, later) = if a.position < b.position { (a, b) } else { (b, a) };
            let quote = |report: &Report| {
                if cell.withheld { report.period.to_string() } else { format!("{} ({})", report.period, report.value) }
            };
            let withheld =
                if cell.withheld { format!("; {}", crate::diagnostic::WITHHELD_VALUES) } else { String::new() };
            out.push(
                Diagnostic::warning(
                    "W340",
                    "periods-overlap",
                    format!(
                        "{}: the reports for {} and {} share days, and neither period lies within the other{withheld}",
                        cell.name(),
                        quote(first),
                        quote(later),
                    ),
                )
                .with_span(Some(cell.span(later.position)))
                .with_hint(
                    "the days they share are counted in both, so the two cannot be added up; report periods that \
                     do not overlap, or one that lies within the other",
                ),
            );
        }
    }
    out
}

#[cfg(test)]
#[path = "over_time_tests.rs"]
mod tests;
