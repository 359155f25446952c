//! Tests of the period relations: worked cases (a quarter and its months, a judicial year tiled by a quarter, a half
//! and a quarter, two tilings of a span no period covers) and a property test that audits random sets of periods of
//! mixed types against a reader who knows every month is a count of at least 0.

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use proptest::prelude::*;

use super::*;
use crate::disclosure::{self, CellState, Publication, Rules};

/// A span of whole months `from..to` (months counted from 0), as days of 30.
fn months(from: i64, to: i64, cell: usize) -> Span {
    Span { start: from * 30, end: to * 30, cell }
}

fn cells(values: &[f64]) -> Vec<Cell> {
    values.iter().map(|&value| Cell { value, sensitive: true }).collect()
}

/// The relations of `spans`, for keys whose dates are all linked (no latent cell).
fn relations_of(spans: &[Span], cells: &[Cell]) -> Vec<Relation> {
    let (relations, latent) = period_relations(spans, cells, cells.len());
    assert!(latent.is_empty(), "{latent:?}");
    relations
}

/// The relations as (total, parts, more totals), each sorted, in a sorted list.
fn shown(relations: &[Relation]) -> Vec<(usize, Vec<usize>, Vec<usize>)> {
    let mut out: Vec<_> = relations
        .iter()
        .map(|r| {
            let (mut parts, mut more) = (r.parts.clone(), r.more_totals.clone());
            parts.sort_unstable();
            more.sort_unstable();
            (r.total, parts, more)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_quarter_is_the_sum_of_its_months() {
    // K1: 2023Q1 (cell 0) = January (1) + February (2) + March (3).
    let spans = [months(0, 3, 0), months(0, 1, 1), months(1, 2, 2), months(2, 3, 3)];
    let relations = relations_of(&spans, &cells(&[43.0, 3.0, 20.0, 20.0]));
    assert_eq!(shown(&relations), vec![(0, vec![1, 2, 3], vec![])]);
}

#[test]
fn a_judicial_year_is_the_sum_of_a_quarter_a_half_and_a_quarter() {
    // K2: 2024Oct (0) = 2024Q4 (1) + 2025S1 (2) + 2025Q3 (3); months from October 2024.
    let spans = [months(0, 12, 0), months(0, 3, 1), months(3, 9, 2), months(9, 12, 3)];
    let relations = relations_of(&spans, &cells(&[60.0, 20.0, 35.0, 5.0]));
    assert_eq!(shown(&relations), vec![(0, vec![1, 2, 3], vec![])]);
}

#[test]
fn two_tilings_of_a_span_no_period_covers_are_one_equation() {
    // 2024Oct (0) + 2025Q4 (1) = 2024Q4 (2) + 2025 (3): 15 months from October 2024.
    let spans = [months(0, 12, 0), months(12, 15, 1), months(0, 3, 2), months(3, 15, 3)];
    let relations = relations_of(&spans, &cells(&[60.0, 7.0, 20.0, 47.0]));
    let equation: Vec<_> = shown(&relations).into_iter().filter(|(_, _, more)| !more.is_empty()).collect();
    assert_eq!(equation.len(), 1, "{relations:?}");
    let (total, parts, more) = &equation[0];
    let mut totals: Vec<usize> = more.iter().copied().chain([*total]).collect();
    totals.sort_unstable();
    let mut sides = [totals, parts.clone()];
    sides.sort();
    assert_eq!(sides, [vec![0, 1], vec![2, 3]]);
    // With values that do not add up (inconsistent data) the equation says nothing and is left out.
    let relations = relations_of(&spans, &cells(&[60.0, 7.0, 20.0, 50.0]));
    assert!(relations.iter().all(|r| r.more_totals.is_empty() || r.parts.len() > 2), "{relations:?}");
}

#[test]
fn a_year_with_a_quarter_missing_bounds_the_other_quarters() {
    // The year (0), Q1 (1), Q3 (2), Q4 (3); Q2 not in the run: Q1 + Q3 + Q4 at most the year.
    let spans = [months(0, 12, 0), months(0, 3, 1), months(6, 9, 2), months(9, 12, 3)];
    let relations = relations_of(&spans, &cells(&[50.0, 10.0, 12.0, 13.0]));
    assert!(shown(&relations).contains(&(0, vec![1, 2, 3], vec![])), "{relations:?}");
}

#[test]
fn a_month_inside_a_year_is_bounded_by_it_with_the_other_periods_inside() {
    // The year (0), Q1 (1) and August (2): Q1 + August at most the year, though nothing links August's dates.
    let spans = [months(0, 12, 0), months(0, 3, 1), months(7, 8, 2)];
    let (relations, latent) = period_relations(&spans, &cells(&[12.0, 9.0, 2.0]), 3);
    assert_eq!(latent.len(), 1, "August's dates are a component of their own");
    assert!(shown(&relations).contains(&(0, vec![1, 2], vec![])), "{relations:?}");
}

#[test]
fn a_full_year_of_halves_and_quarters_gives_the_usual_relations() {
    // Year (0), halves (1, 2), quarters (3-6): halves = their quarters, year = the quarters, year = the halves.
    let spans = [
        months(0, 12, 0),
        months(0, 6, 1),
        months(6, 12, 2),
        months(0, 3, 3),
        months(3, 6, 4),
        months(6, 9, 5),
        months(9, 12, 6),
    ];
    let relations = relations_of(&spans, &cells(&[40.0, 20.0, 20.0, 10.0, 10.0, 10.0, 10.0]));
    assert_eq!(
        shown(&relations),
        vec![(0, vec![1, 2], vec![]), (0, vec![3, 4, 5, 6], vec![]), (1, vec![3, 4], vec![]), (2, vec![5, 6], vec![])]
    );
}

#[test]
fn one_period_or_none_has_no_relation() {
    assert!(relations_of(&[], &[]).is_empty());
    assert!(relations_of(&[months(0, 12, 0)], &cells(&[5.0])).is_empty());
    // Two periods that overlap without one holding the other: only the order of their dates, through the latent
    // cell of the second one's dates (F at month 3), which says nothing of the two.
    let (relations, latent) = period_relations(&[months(0, 6, 0), months(3, 9, 1)], &cells(&[5.0, 6.0]), 2);
    assert_eq!(latent.len(), 1);
    assert!(
        relations.iter().all(|r| r.total == 2 || r.parts.contains(&2) || r.more_totals.contains(&2)),
        "{relations:?}"
    );
}

/// The audit's publication of `spans` with their `values`, latent cells included.
fn publication_of(spans: &[Span], values: &[f64]) -> Publication {
    let (relations, latent) = period_relations(spans, &cells(values), values.len());
    let mut all = cells(values);
    all.extend(latent.iter().map(|&value| Cell { value, sensitive: false }));
    Publication { cells: all, relations, latent: latent.len() }
}

#[test]
fn a_month_no_period_shares_a_date_with_is_bounded_through_the_order_of_dates() {
    // January-June (0), February (1), April-August (2), July-August (3): February's dates link to nothing, yet
    // January-June + July-August - April-August is January-March, at least February. With February 1 (hidden)
    // and January-March 1, publishing the other three would tell the reader February exactly (proptest seed
    // cc 8003dca6...): one of them must be hidden.
    let spans = [months(0, 6, 0), months(1, 2, 1), months(3, 8, 2), months(6, 8, 3)];
    // Months: Jan 0, Feb 1, Mar 0, Apr-Jun 12 each, Jul-Aug 15 each.
    let values = [1.0 + 36.0, 1.0, 36.0 + 30.0, 30.0];
    let publication = publication_of(&spans, &values);
    assert_eq!(publication.latent, 1);
    let rules = Rules::new(11.0);
    let protection = disclosure::protect(&publication, &rules);
    assert_eq!(protection.states[1], CellState::Primary);
    assert_eq!(protection.audit.secondary, 1, "{:?}", protection.states);
    let (low, high) = months_range(&spans, &values, &protection.states, &rules, 1);
    assert!(high - low >= rules.protection - 1e-6, "February narrowed to [{low}, {high}]: {:?}", protection.states);
}

/// The smallest and largest value of `span` over every assignment of counts of at least 0 to the months that gives
/// every published span its value and every hidden one a value in its prior: the reader who knows the most.
fn months_range(spans: &[Span], values: &[f64], states: &[CellState], rules: &Rules, span: usize) -> (f64, f64) {
    let months = spans.iter().map(|s| s.end / 30).max().unwrap_or(0) as usize;
    let solve = |direction| {
        let mut problem = Problem::new(direction);
        let vars: Vec<_> = (0..months)
            .map(|m| {
                let inside = spans[span].start <= m as i64 * 30 && (m as i64 + 1) * 30 <= spans[span].end;
                problem.add_var(if inside { 1.0 } else { 0.0 }, (0.0, f64::INFINITY))
            })
            .collect();
        for (i, s) in spans.iter().enumerate() {
            let terms: Vec<_> = ((s.start / 30)..(s.end / 30)).map(|m| (vars[m as usize], 1.0)).collect();
            match states[s.cell] {
                CellState::Published => problem.add_constraint(terms, ComparisonOp::Eq, values[i]),
                CellState::Primary => {
                    let prior = rules.primary_prior();
                    problem.add_constraint(terms.clone(), ComparisonOp::Ge, prior.low);
                    problem.add_constraint(terms, ComparisonOp::Le, prior.high);
                }
                _ => {}
            }
        }
        problem.solve().ok().and_then(|o| o.into_solution().ok()).map_or(f64::INFINITY, |s| s.objective())
    };
    (solve(OptimizationDirection::Minimize), solve(OptimizationDirection::Maximize))
}

/// Periods of mixed types: a tiling of months from 0 by pieces of 1, 2, 3 or 6 months (months, quarters, halves,
/// date ranges), spans from one cut of the tiling to a later one (quarters, years, a courts' year from any month),
/// and a few spans of any months, which overlap the others without tiling anything.
fn periods_strategy() -> impl Strategy<Value = Vec<(i64, i64)>> {
    (
        proptest::collection::vec(prop_oneof![Just(1i64), Just(2), Just(3), Just(6)], 2..7),
        proptest::collection::vec((0usize..8, 1usize..8), 1..5),
        proptest::collection::vec((0i64..20, 1i64..6), 0..3),
    )
        .prop_map(|(pieces, joins, free)| {
            let mut cuts = vec![0i64];
            for piece in pieces {
                cuts.push(cuts[cuts.len() - 1] + piece);
            }
            let mut spans: Vec<(i64, i64)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
            for (from, width) in joins {
                let (a, b) = (from % cuts.len(), (from + width) % cuts.len());
                if a < b {
                    spans.push((cuts[a], cuts[b]));
                }
            }
            let end = cuts[cuts.len() - 1];
            spans.extend(free.into_iter().map(|(a, w)| (a % end, (a % end + w).min(end))).filter(|(a, b)| a < b));
            spans.sort_unstable();
            spans.dedup();
            spans
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Random sets of periods of mixed types with counts made of random months: when the audit, given only the
    /// period relations, says every hidden cell is protected, no hidden cell can be narrowed below the protection
    /// range (or its prior) by a reader who knows every month's count is at least 0, published spans' values and
    /// the primary cells' prior: the relations hold everything arithmetic on the periods can recover.
    #[test]
    fn no_hidden_period_is_narrower_than_required_for_the_best_reader(
        picked in periods_strategy(),
        month_values in proptest::collection::vec(prop_oneof![1 => Just(0u8), 2 => 1u8..5, 5 => 11u8..30], 40),
    ) {
        let spans: Vec<Span> = picked.iter().enumerate().map(|(cell, &(a, b))| months(a, b, cell)).collect();
        let values: Vec<f64> =
            picked.iter().map(|&(a, b)| (a..b).map(|m| f64::from(month_values[m as usize])).sum()).collect();
        let publication = publication_of(&spans, &values);
        let rules = Rules::new(11.0);
        let protection = disclosure::protect(&publication, &rules);
        if protection.audit.verdict != disclosure::Verdict::Protected {
            // Nothing hidden, or the threshold alone pins a cell (said so by the verdict).
            return Ok(());
        }
        for (i, span) in spans.iter().enumerate() {
            let state = protection.states[span.cell];
            if state == CellState::Published {
                continue;
            }
            let prior = if state == CellState::Primary { rules.primary_prior() } else { disclosure::Range::non_negative() };
            let required = rules.protection.min(prior.width());
            let (low, high) = months_range(&spans, &values, &protection.states, &rules, i);
            prop_assert!(
                high - low >= required - 1e-6,
                "span {:?} ({}) narrowed to [{}, {}]; spans {:?}, values {:?}, states {:?}",
                (span.start / 30, span.end / 30), values[i], low, high, picked, values, protection.states
            );
        }
    }
}
