//! The additive relations among the periods of one cell key (a sensitive reference at one unit) that a reader can
//! use, whatever the periods' types: months, quarters, halves, years, years from another day and date ranges.
//!
//! A count over a span of days is the sum of the counts of its days. Write `F(d)` for the count from some fixed day
//! up to day `d`: a period from `s` to `e` (exclusive) has the value `F(e) - F(s)`, and `F` never decreases. So the
//! periods of a key are the edges of a graph whose vertices are the dates where a period starts or ends, and what a
//! reader knows of their values is exactly: there is a non-decreasing `F` on those dates with every period's value
//! the difference across its edge. That gives:
//!
//! - **Equations.** The linear relations among the periods' values are the cycles of the graph. A spanning forest
//!   built from the shortest periods up makes each other period's cycle its tiling by shorter ones ("quarter = its
//!   months", "judicial year = Q4 + H1 + Q3"), or, when no period spans the cycle, an equation between two tilings
//!   of one span ("1 Oct 2024 - 30 Sep 2025 + Q4 2025 = Q4 2024 + 2025"). Every equation among the periods is a sum
//!   of these (the cycle space), so any tiling of any period by any mix of periods is implied, and the number of
//!   relations is the number of periods less the number of dates plus the number of components: no enumeration of
//!   tilings.
//! - **Inequalities.** `F` does not decrease between two consecutive dates of one component: the forest's path
//!   between them gives "the periods walked backwards are at most those walked forwards" (a year, its Q1 and Q3
//!   published, Q4 hidden, Q2 not in the run: "Q1 + Q3 + Q4 at most the year"). Across components (a month inside a
//!   year that no other period links to it), each period's largest periods strictly inside it that do not overlap
//!   (the longest first) are "at most the period".
//!
//! The audit (`disclosure`) reads a relation whose values add up as an equation and one whose parts fall short as
//! "parts at most totals"; an equation between two tilings whose values do not add up (inconsistent data) is left
//! out, since it says nothing sound.

use std::collections::HashSet;

use crate::disclosure::{Cell, Relation};

/// One cell of a key as the span of days it counts: from `start` up to `end` (exclusive), in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) start: i64,
    pub(super) end: i64,
    pub(super) cell: usize,
}

impl Span {
    fn len(&self) -> i64 {
        self.end - self.start
    }

    fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// One step of a path in the forest: the span's position and whether it is walked from its start to its end.
type Step = (usize, bool);

/// The forest over the dates: for each date, its neighbours as (date, span position, walked forwards).
struct Forest {
    dates: Vec<i64>,
    adjacent: Vec<Vec<(usize, usize, bool)>>,
    component: Vec<usize>,
}

impl Forest {
    /// The forest of `spans` (shortest first, then by start and cell), and the spans left out of it.
    fn new(spans: &[Span]) -> (Forest, Vec<usize>) {
        let mut dates: Vec<i64> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
        dates.sort_unstable();
        dates.dedup();
        let at = |d: i64| dates.binary_search(&d).unwrap_or(0);
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| (spans[i].len(), spans[i].start, spans[i].cell));
        let mut root: Vec<usize> = (0..dates.len()).collect();
        fn find(root: &mut [usize], mut v: usize) -> usize {
            while root[v] != v {
                root[v] = root[root[v]];
                v = root[v];
            }
            v
        }
        let mut adjacent = vec![Vec::new(); dates.len()];
        let mut left_out = Vec::new();
        for i in order {
            let (s, e) = (at(spans[i].start), at(spans[i].end));
            let (rs, re) = (find(&mut root, s), find(&mut root, e));
            if rs == re {
                left_out.push(i);
            } else {
                root[rs] = re;
                adjacent[s].push((e, i, true));
                adjacent[e].push((s, i, false));
            }
        }
        let component = (0..dates.len()).map(|v| find(&mut root, v)).collect();
        (Forest { dates, adjacent, component }, left_out)
    }

    fn at(&self, date: i64) -> usize {
        self.dates.binary_search(&date).unwrap_or(0)
    }

    /// The path in the forest from date `from` to date `to` (positions in `dates`, same component).
    fn path(&self, from: usize, to: usize) -> Vec<Step> {
        let mut came: Vec<Option<(usize, Step)>> = vec![None; self.dates.len()];
        let mut queue = vec![from];
        let mut next = 0;
        let mut seen = vec![false; self.dates.len()];
        seen[from] = true;
        while next < queue.len() && !seen[to] {
            let v = queue[next];
            next += 1;
            for &(w, span, forwards) in &self.adjacent[v] {
                if !std::mem::replace(&mut seen[w], true) {
                    came[w] = Some((v, (span, forwards)));
                    queue.push(w);
                }
            }
        }
        let mut steps = Vec::new();
        let mut v = to;
        while let Some((previous, step)) = came[v] {
            steps.push(step);
            v = previous;
        }
        steps.reverse();
        steps
    }
}

/// The relations among the cells of one key (`spans`, in any order; `cells` gives their values). Deterministic:
/// the same spans give the same relations in the same order.
pub(super) fn period_relations(spans: &[Span], cells: &[Cell]) -> Vec<Relation> {
    let mut out = Vec::new();
    if spans.len() < 2 {
        return out;
    }
    let mut seen: HashSet<(usize, Vec<usize>, Vec<usize>)> = HashSet::new();
    let mut keep = |relation: Relation, out: &mut Vec<Relation>| {
        let mut parts = relation.parts.clone();
        parts.sort_unstable();
        let mut more = relation.more_totals.clone();
        more.sort_unstable();
        if !relation.parts.is_empty() && seen.insert((relation.total, parts, more)) {
            out.push(relation);
        }
    };
    let value = |steps: &[Step]| steps.iter().map(|&(i, _)| cells[spans[i].cell].value).sum::<f64>();
    let (forest, left_out) = Forest::new(spans);
    // Equations: each span left out of the forest equals the forest's path from its start to its end.
    for i in left_out {
        let path = forest.path(forest.at(spans[i].start), forest.at(spans[i].end));
        let (forwards, backwards): (Vec<Step>, Vec<Step>) = path.into_iter().partition(|&(_, f)| f);
        let total = cells[spans[i].cell].value + value(&backwards);
        if !backwards.is_empty() && (total - value(&forwards)).abs() > 1e-6 * total.abs().max(1.0) {
            continue;
        }
        let relation = Relation {
            total: spans[i].cell,
            parts: forwards.iter().map(|&(j, _)| spans[j].cell).collect(),
            more_totals: backwards.iter().map(|&(j, _)| spans[j].cell).collect(),
        };
        keep(relation, &mut out);
    }
    // Inequalities within a component: F does not decrease from one date to the next.
    for pair in (0..forest.dates.len()).collect::<Vec<_>>().windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if forest.component[from] != forest.component[to] {
            continue;
        }
        let (forwards, backwards): (Vec<Step>, Vec<Step>) = forest.path(from, to).into_iter().partition(|&(_, f)| f);
        if backwards.is_empty() {
            continue;
        }
        let Some((&(first, _), rest)) = forwards.split_first() else { continue };
        let relation = Relation {
            total: spans[first].cell,
            parts: backwards.iter().map(|&(j, _)| spans[j].cell).collect(),
            more_totals: rest.iter().map(|&(j, _)| spans[j].cell).collect(),
        };
        keep(relation, &mut out);
    }
    // Inequalities across components: a span's largest spans strictly inside it, not overlapping, at most it.
    let mut longest_first: Vec<usize> = (0..spans.len()).collect();
    longest_first.sort_by_key(|&i| (std::cmp::Reverse(spans[i].len()), spans[i].start, spans[i].cell));
    for outer in spans {
        let mut chosen: Vec<usize> = Vec::new();
        for &i in &longest_first {
            let inner = &spans[i];
            if outer.contains(inner) && inner.len() < outer.len() && chosen.iter().all(|&c| !spans[c].overlaps(inner)) {
                chosen.push(i);
            }
        }
        keep(Relation::new(outer.cell, chosen.iter().map(|&i| spans[i].cell).collect()), &mut out);
    }
    out
}

#[cfg(test)]
#[path = "period_relations_tests.rs"]
mod tests;
