//! W345: rows of units below a merged unit (a province's districts) for days after that unit ended, where a unit that
//! existed then reported the same days for the successor's territory (round 10, Q1), and rows of the merged unit
//! itself for a period past its end that a unit existing throughout its own report overlaps (round 40). Those rows are not added to the
//! successor's value or the totals above it (the unit that existed wins, as for a restatement, W332), so that no day
//! is counted twice; without such a report they count for the successor ([`crate::eval::territory`]). This module
//! names the rows left out, by file and line, so that none is dropped without a word.

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, Span};
use crate::eval::group_index::GroupIndex;
use crate::eval::store::{Observation, ObservationStore};
use crate::eval::succession::Units;
use crate::period::Period;

/// The rows of the store as the W345 checks walk them: by unit and element.
pub(crate) struct Rows<'a> {
    pub(crate) units: &'a Units,
    pub(crate) store: &'a ObservationStore,
    pub(crate) entries: &'a [Observation],
    pub(crate) groups: &'a GroupIndex,
}

impl Rows<'_> {
    /// The positions in `entries` of the rows of `element` by the unit at `unit` in `units`.
    fn range(&self, element: u32, unit: u32) -> Option<(usize, usize)> {
        self.store.org_units.get(&self.units.ids[unit as usize]).and_then(|s| self.groups.get(element, s))
    }

    /// The rows of `element` by `unit`: each one's position in `entries` and its period.
    fn of(&self, element: u32, unit: u32) -> impl Iterator<Item = (usize, Period)> + '_ {
        let (start, stop) = self.range(element, unit).unwrap_or((0, 0));
        (start..stop).map(|position| (position, self.store.periods[self.entries[position].period as usize]))
    }
}

/// W345 for every row of `elements` by a unit below a merged unit, for a period with days after that unit ended that
/// a member of its successor's territory, existing throughout its own report, reported.
pub(crate) fn rows_after_end(rows: &Rows<'_>, elements: &[u32]) -> Vec<Diagnostic> {
    let Rows { units, store, entries, .. } = *rows;
    let mut out = Vec::new();
    // The days after each end date of every period of the store, worked out once per date (the units of a merger
    // share one) rather than once per row: a period's dates are calendar arithmetic.
    let mut days_after_end: Vec<(NaiveDate, Vec<Option<Period>>)> = Vec::new();
    for (ended, successor) in units.merged_into.iter().enumerate() {
        let (Some(successor), (_, Some(end))) = (*successor, units.valid[ended]) else { continue };
        let territory = &units.territory[successor as usize];
        let after_end = match days_after_end.iter().position(|(date, _)| *date == end) {
            Some(found) => &days_after_end[found].1,
            None => {
                days_after_end.push((end, store.periods.iter().map(|&period| days_after(period, end)).collect()));
                &days_after_end[days_after_end.len() - 1].1
            }
        };
        let ended = ended as u32;
        // The units below the successor and below the territory's other members, not below the ended unit: their
        // parts may hold some of its area after it ended (AB's new district), so its own late row is left out beside
        // them and the values that leave it out are partial (round 54 F2).
        let mut beside = below(units, successor, territory);
        for &member in territory.iter().filter(|&&member| member != ended && member != successor) {
            beside.extend(below(units, member, territory));
        }
        for below in std::iter::once(ended).chain(below(units, ended, territory)) {
            for &element in elements {
                for (position, period) in rows.of(element, below) {
                    let Some(after) = after_end[entries[position].period as usize] else { continue };
                    // A report by a unit of the successor's territory that existed throughout it, over those days;
                    // for the ended unit's own row, over any of its days, as `Cube::members_reports` leaves it out.
                    // For the ended unit's own row, a report of the days after its end is named first (its
                    // successor's half), else any that overlaps the row.
                    // The successor's report of a period from before its first day into its life holds its whole area
                    // too, where its own reports leave its days out (`territory_rule::whole_area_reports`; round 61).
                    let straddles = |member: u32, q: &Period| {
                        member == successor
                            && units.valid[member as usize].0.is_some_and(|f| q.start() < f && f <= q.end())
                    };
                    let holding = |over: Period| {
                        territory.iter().filter(|&&member| member != ended || below != ended).find_map(|&member| {
                            rows.of(element, member)
                                .map(|(_, q)| q)
                                .find(|q| {
                                    q.overlaps(&over)
                                        && (units.existed_throughout(member, q.start(), q.end())
                                            || straddles(member, q))
                                })
                                .map(|q| (member, q))
                        })
                    };
                    let holder = holding(after).or_else(|| if below == ended { holding(period) } else { None });
                    if let Some((member, report)) = holder {
                        out.push(warning(
                            units,
                            store,
                            (position, element, period),
                            (ended, end, below),
                            (member, report),
                        ));
                    } else if below == ended
                        && let Some(part) = beside.iter().find_map(|&unit| {
                            rows.of(element, unit)
                                .map(|(_, q)| q)
                                .find(|q| q.overlaps(&period) && units.existed_throughout(unit, q.start(), q.end()))
                                .map(|q| (unit, q))
                        })
                    {
                        out.push(overlap_warning(units, store, (position, element, period), (ended, end), part));
                    }
                }
            }
        }
    }
    out
}

/// W345 for every row of `elements` by a unit that split or moved to another parent (it belongs to no successor's
/// territory) for a period that runs past its end: such a unit counts only over the days it existed
/// ([`crate::eval::split`]), which no part of that row gives, so the row is left out of its parent's sums (round 45,
/// found by a review helper: it was dropped without a word, and the parent said "no report from" the unit).
pub(crate) fn split_rows_past_end(rows: &Rows<'_>, elements: &[u32]) -> Vec<Diagnostic> {
    let Rows { units, store, .. } = *rows;
    let mut out = Vec::new();
    for (unit, &split) in units.split_into.iter().enumerate() {
        let (true, (_, Some(end))) = (split, units.valid[unit]) else { continue };
        for &element in elements {
            for (position, period) in rows.of(element, unit as u32) {
                if period.start() > end || period.end() <= end {
                    continue;
                }
                let (file, row) = store.origin(position);
                let id = &units.ids[unit];
                out.push(
                    Diagnostic::warning(
                        "W345",
                        "reported-after-parent-ended",
                        format!(
                            "{id} reports {} for {period}, past its own end on {end}; it split or moved to another \
                             parent, so it counts in its parent's sums only over the days it existed, which this row \
                             does not give apart: the row is not added to the totals above it, which count {id} as \
                             not reporting those days; the row stays in {id}'s own series",
                            store.elements.name(element),
                        ),
                    )
                    .with_span(Some(Span { file, start: 0, end: 0, line: row as usize, column: 1 }))
                    .with_hint(format!(
                        "report {id}'s figures for periods that end by {end} (a date range, months or quarters)"
                    )),
                );
            }
        }
    }
    out
}

/// The units whose values sum into `unit` (its children, theirs, and so on), other than the members of `territory`.
fn below(units: &Units, unit: u32, territory: &[u32]) -> Vec<u32> {
    let mut found = Vec::new();
    let mut pending: Vec<u32> = units.contributors[unit as usize].clone();
    while let Some(next) = pending.pop() {
        if territory.contains(&next) || found.contains(&next) {
            continue;
        }
        found.push(next);
        pending.extend_from_slice(&units.contributors[next as usize]);
    }
    found.sort_unstable();
    found
}

/// The days of `period` after `end`, if any.
fn days_after(period: Period, end: NaiveDate) -> Option<Period> {
    let first = end.succ_opt()?.max(period.start());
    (first <= period.end()).then(|| {
        let range = Period::Range(first, period.end());
        range.standard_with_same_days().unwrap_or(range)
    })
}

/// W345 at the ended unit's own row in `position` for a period past its end that only the rows of units below the
/// territory's other members overlap (`part`: AB's new district's third quarter): they may hold part of its area, so
/// the row is left out and the values that leave it out are partial, naming it (`Coverage::left_out`).
fn overlap_warning(
    units: &Units,
    store: &ObservationStore,
    (position, element, period): (usize, u32, Period),
    (ended, end): (u32, NaiveDate),
    (unit, report): (u32, Period),
) -> Diagnostic {
    let (file, row) = store.origin(position);
    let id = |unit: u32| units.ids[unit as usize].as_str();
    let successor = units.merged_into[ended as usize].map_or("its successor", id);
    Diagnostic::warning(
        "W345",
        "reported-after-parent-ended",
        format!(
            "{} reports {} for {period}, past its own end on {end}; {} reported {report}, which may cover part of the \
             same area, so this row is not added to {successor}'s value or the totals above it, which are marked \
             partial and name it; the row stays in {}'s own series",
            id(ended),
            store.elements.name(element),
            id(unit),
            id(ended),
        ),
    )
    .with_span(Some(Span { file, start: 0, end: 0, line: row as usize, column: 1 }))
    .with_hint(format!(
        "report {}'s figures for periods that end by {end}, and the days after under {successor} or the units below it",
        id(ended)
    ))
}

/// W345 at the row in `position`: "{below} reports {element} for {period}, after {ended} ended on {end}; …".
fn warning(
    units: &Units,
    store: &ObservationStore,
    (position, element, period): (usize, u32, Period),
    (ended, end, below): (u32, NaiveDate, u32),
    (member, report): (u32, Period),
) -> Diagnostic {
    let (file, row) = store.origin(position);
    let id = |unit: u32| units.ids[unit as usize].as_str();
    let successor = id(units.merged_into[ended as usize].unwrap_or(member));
    if below == ended {
        // The ended unit's own row for a period past its end (Quảng Nam's 2025, round 40): another unit's report
        // overlaps it, so it is left out of its successor; its own series keeps it.
        return Diagnostic::warning(
            "W345",
            "reported-after-parent-ended",
            format!(
                "{} reports {} for {period}, past its own end on {end}; {} reported {report}, which overlaps it, so \
                 this row is not added to {successor}'s value or the totals above it, and they count {} as not \
                 reporting its days; the row stays in {}'s own series",
                id(ended),
                store.elements.name(element),
                id(member),
                id(ended),
                id(ended),
            ),
        )
        .with_span(Some(Span { file, start: 0, end: 0, line: row as usize, column: 1 }))
        .with_hint(format!(
            "report {}'s figures for periods that end by {end} (half years, quarters or months), so that they can \
             be added beside {}'s",
            id(ended),
            id(member)
        ));
    }
    // A row inside the holder's longer report still counts for its own period and those inside it, which that report
    // does not give apart (dist-b1's third quarter beside AB's own second half; round 52, found by a review helper:
    // the warning said "not added" beside AB's and the nation's published third quarter made of it).
    let inside = if report.contains(&period) && report != period {
        format!(
            " for {report} or any period that holds it; it counts for {period}, which {}'s report does not give apart",
            id(member)
        )
    } else {
        String::new()
    };
    Diagnostic::warning(
        "W345",
        "reported-after-parent-ended",
        format!(
            "{} reports {} for {period}, after {} (which it sums into) ended on {end}; {} reported {report} for \
             those days itself, so this row is not added to {}'s value or the totals above it{inside}",
            id(below),
            store.elements.name(element),
            id(ended),
            id(member),
            successor,
        ),
    )
    .with_span(Some(Span { file, start: 0, end: 0, line: row as usize, column: 1 }))
    .with_hint(format!(
        "the unit that existed in the period wins, so no day is counted twice; give {} a parent that exists after \
         {end}, or leave these days to {}'s own report",
        id(below),
        id(member)
    ))
}
