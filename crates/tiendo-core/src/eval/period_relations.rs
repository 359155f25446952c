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
//! - **Inequalities.** `F` does not decrease from one date to the next. Within a component (dates linked by
//!   periods), `F` at a date is `F` at the component's first date plus the forest's path to it, so two consecutive
//!   dates of one component give "the periods walked backwards are at most those walked forwards" (a year, its Q1
//!   and Q3 published, Q4 hidden, Q2 not in the run: "Q1 + Q3 + Q4 at most the year"). Dates of different
//!   components are linked by nothing a reader sees but this order: for each component after the first, `F` at its
//!   first date is an unknown of its own, a *latent* cell (the count from the key's first date to there, never
//!   published and needing no protection), and two consecutive dates of different components give an inequality
//!   through the latent cells ("January-June + July-August - March-August + ... at least February": a month no
//!   other period shares a date with, inside a half that overlaps a later range). Together the equations and these
//!   inequalities are everything the reader knows: there is a non-decreasing `F` exactly when they hold. Besides,
//!   each period's largest periods strictly inside it that do not overlap (the longest first) are "at most the
//!   period" (implied by the above; it lets the audit settle cells without a solver).
//!
//! The audit (`disclosure`) reads a relation whose values add up as an equation and one whose parts fall short as
//! "parts at most totals" (one that holds a latent cell always as the latter: a latent value is one feasible
//! choice, not a figure); an equation between two tilings whose values do not add up (inconsistent data) is left
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

/// The relations among the cells of one key (`spans`, in any order; `cells` gives their values), and the values
/// of the latent cells they use (one per component of the dates after the first, numbered from `first_latent` in
/// the order of their first dates; see the module doc). Deterministic: the same spans give the same relations in
/// the same order.
pub(super) fn period_relations(spans: &[Span], cells: &[Cell], first_latent: usize) -> (Vec<Relation>, Vec<f64>) {
    let mut out = Vec::new();
    if spans.len() < 2 {
        return (out, Vec::new());
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
            weights: Vec::new(),
            more_weights: Vec::new(),
        };
        keep(relation, &mut out);
    }
    // F does not decrease from one date to the next: across components through the latent cells, ...
    let levels = Levels::new(&forest, spans, cells, first_latent);
    for pair in (0..forest.dates.len()).collect::<Vec<_>>().windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if forest.component[from] != forest.component[to] {
            let (mut totals, parts) = levels.at_most(&forest, spans, from, to);
            if let Some(total) = totals.pop() {
                keep(Relation { total, parts, more_totals: totals, ..Relation::new(total, Vec::new()) }, &mut out);
            }
            continue;
        }
        // ... and within a component along the forest's path.
        let (forwards, backwards): (Vec<Step>, Vec<Step>) = forest.path(from, to).into_iter().partition(|&(_, f)| f);
        if backwards.is_empty() {
            continue;
        }
        let Some((&(first, _), rest)) = forwards.split_first() else { continue };
        let relation = Relation {
            total: spans[first].cell,
            parts: backwards.iter().map(|&(j, _)| spans[j].cell).collect(),
            more_totals: rest.iter().map(|&(j, _)| spans[j].cell).collect(),
            weights: Vec::new(),
            more_weights: Vec::new(),
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
    (out, levels.latent_values)
}

/// `F` at each date as a reader can write it: the latent cell of the date's component (none for the component of
/// the first date, where `F` is 0) plus the forest's path from the component's first date.
struct Levels {
    /// Per component root (a date position), its latent cell, if any.
    latent: Vec<Option<usize>>,
    /// Per date, the first date of its component.
    first: Vec<usize>,
    /// One feasible value per latent cell: the smallest offsets that keep `F` non-decreasing with the true values.
    latent_values: Vec<f64>,
}

impl Levels {
    fn new(forest: &Forest, spans: &[Span], cells: &[Cell], first_latent: usize) -> Levels {
        let n = forest.dates.len();
        let mut first = vec![usize::MAX; n];
        let mut latent = vec![None; n];
        let mut roots = Vec::new();
        for date in 0..n {
            let root = forest.component[date];
            if first[root] == usize::MAX {
                first[root] = date;
                if date > 0 {
                    // The first date's component (pushed first) has none.
                    latent[root] = Some(first_latent + roots.len() - 1);
                }
                roots.push(root);
            }
        }
        let first: Vec<usize> = (0..n).map(|d| first[forest.component[d]]).collect();
        // `F` relative to each component's first date (a walk of the forest from it), then the smallest offsets:
        // relaxed along the dates until no offset moves (one pass per component at most; more only with data that
        // do not add up, where any is sound).
        let mut relative = vec![f64::NAN; n];
        for &root in &roots {
            relative[first[root]] = 0.0;
            let mut queue = vec![first[root]];
            while let Some(v) = queue.pop() {
                for &(w, i, forwards) in &forest.adjacent[v] {
                    if relative[w].is_nan() {
                        let step = cells[spans[i].cell].value;
                        relative[w] = relative[v] + if forwards { step } else { -step };
                        queue.push(w);
                    }
                }
            }
        }
        let mut offset = vec![0.0f64; n];
        for _ in 0..=roots.len() {
            let mut moved = false;
            for d in 1..n {
                let (a, b) = (forest.component[d - 1], forest.component[d]);
                let needed = offset[a] + relative[d - 1] - relative[d];
                if a != b && latent[b].is_some() && needed > offset[b] + 1e-9 {
                    offset[b] = needed;
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        let latent_values = roots.iter().filter(|&&r| latent[r].is_some()).map(|&r| offset[r]).collect();
        Levels { latent, first, latent_values }
    }

    /// `F(from) <= F(to)` for dates of different components, as (totals, parts): the latent cell and the path's
    /// periods walked backwards of `to`'s side are totals, those of `from`'s side parts, and the reverse.
    fn at_most(&self, forest: &Forest, spans: &[Span], from: usize, to: usize) -> (Vec<usize>, Vec<usize>) {
        let (mut totals, mut parts) = (Vec::new(), Vec::new());
        for (date, larger) in [(to, true), (from, false)] {
            let root = forest.component[date];
            if let Some(cell) = self.latent[root] {
                if larger { totals.push(cell) } else { parts.push(cell) }
            }
            for (i, forwards) in forest.path(self.first[date], date) {
                if forwards == larger { totals.push(spans[i].cell) } else { parts.push(spans[i].cell) }
            }
        }
        (totals, parts)
    }
}

#[cfg(test)]
#[path = "period_relations_tests.rs"]
mod tests;
