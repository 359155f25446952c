//! Disaggregations: which rows of a reported period make the value of an element reference. An explicit total wins;
//! else one complete breakdown (by sex, by age group...); two breakdowns of the same total are never added.
//!
//! Rows of one element, unit and period in different breakdowns are views of the same total (PEPFAR's dashboard QA
//! found results double counted when several disaggregation sets were all added, USAID-ICPI/OHA-Tableau-Dashboard-
//! QA-QC#53; DHIS2 keeps one category combination per data element for the same reason). A row's **shape** is the
//! set of categories it is broken down by beyond the reference's own filter: `{sex}`, `{age_group}`,
//! `{sex, age_group}`. A shape is **complete** when every combination of its categories' options is reported.

use crate::diagnostic::{Diagnostic, Span};
use crate::eval::aggregate::{Aggregate, SourceMask};
use crate::eval::grouping::Tag;
use crate::eval::store::Observation;
use crate::eval::store::ObservationStore;
use crate::expr::ElementRef;
use crate::model::Catalogue;

/// How many shapes a reference can tell apart; rows of further shapes are not counted (an element with five or
/// more categories, all reported in separate breakdowns, is not a realistic input).
const MAX_SHAPES: usize = 14;

/// How the rows of one reference are read: per store combination, `0` no match, `1` the reference's own total
/// (combination equal to the filter), `2 + k` part of shape `k`; and per shape, how many combinations make it
/// complete.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shapes {
    pub codes: Vec<u8>,
    pub complete_at: Vec<u32>,
    /// The categories of each shape, for messages.
    pub names: Vec<Vec<String>>,
    /// How many options each category any shape breaks down by has (the categories in shape order), for reading rows
    /// of different shapes together ([`crate::eval::mixed_depth`]); empty when a category has more than 254.
    pub options: Vec<u8>,
    /// Per store combination of a shape, its option of each category of `options` (1-based; 0 where the row is not
    /// broken down by it); `None` for other combinations.
    pub regions: Vec<Option<Region>>,
}

/// A combination's option of each category of [`Shapes::options`] (1-based; 0: not broken down by it).
pub(crate) type Region = Box<[u8]>;

/// Classifies every combination of `store` for `element_ref`: shapes are ordered by their number of categories,
/// then by the position of their categories in the data element's declaration, so that the choice between two
/// complete breakdowns is the same in every run. Only a value that `adds` (one that adds up over org units: a
/// count, a population) is made of its options; the options of any other (a percentage, a rate, a level, an
/// element with `org_unit_aggregation = "none"`) add up to nothing, and its value is only its own total's rows, as
/// DHIS2 applies a data element's aggregation type across its disaggregations (round 70, found by an adversarial
/// tester: women's 45 % and men's 50 % supported made a total of 95 %, "achieved" against `>= 90`).
pub(crate) fn shapes(catalogue: &Catalogue, store: &ObservationStore, element_ref: &ElementRef, adds: bool) -> Shapes {
    let declared: Vec<String> =
        catalogue.data_elements.get(&element_ref.element).map(|de| de.categories.clone()).unwrap_or_default();
    let position = |category: &str| declared.iter().position(|c| c == category).unwrap_or(usize::MAX);
    let mut extra_of: Vec<Option<Vec<String>>> = Vec::with_capacity(store.combos.len());
    let mut distinct: Vec<Vec<String>> = Vec::new();
    for combo in &store.combos {
        let contains =
            element_ref.filter.iter().all(|(category, option)| combo.iter().any(|(c, o)| c == category && o == option));
        if !contains {
            extra_of.push(None);
            continue;
        }
        let mut extra: Vec<String> =
            combo.iter().filter(|(c, _)| !element_ref.filter.contains_key(c)).map(|(c, _)| c.clone()).collect();
        extra.sort_by_key(|c| (position(c), c.clone()));
        if !extra.is_empty() && !distinct.contains(&extra) {
            distinct.push(extra.clone());
        }
        extra_of.push(Some(extra));
    }
    distinct.sort_by_key(|shape| (shape.len(), shape.iter().map(|c| position(c)).collect::<Vec<_>>(), shape.clone()));
    distinct.truncate(if adds { MAX_SHAPES } else { 0 });
    let codes = extra_of
        .iter()
        .map(|extra| match extra {
            None => 0,
            Some(extra) if extra.is_empty() => 1,
            Some(extra) => distinct.iter().position(|s| s == extra).map_or(0, |k| k as u8 + 2),
        })
        .collect();
    let complete_at = distinct
        .iter()
        .map(|shape| {
            shape
                .iter()
                .map(|c| catalogue.categories.get(c).map_or(0, |category| category.options.len() as u32))
                .product()
        })
        .collect();
    let (options, regions) = grid(catalogue, store, &extra_of, &distinct, &position);
    Shapes { codes, complete_at, names: distinct, options, regions }
}

/// The categories `shapes` break down by with their options' counts, and each combination's place among them
/// ([`Shapes::options`], [`Shapes::regions`]).
fn grid(
    catalogue: &Catalogue,
    store: &ObservationStore,
    extra_of: &[Option<Vec<String>>],
    shapes: &[Vec<String>],
    position: &impl Fn(&str) -> usize,
) -> (Vec<u8>, Vec<Option<Region>>) {
    let mut categories: Vec<&String> = shapes.iter().flatten().collect();
    categories.sort_by_key(|c| (position(c), c.to_string()));
    categories.dedup();
    let options: Option<Vec<&[crate::model::CategoryOption]>> = categories
        .iter()
        .map(|c| catalogue.categories.get(*c).map(|category| category.options.as_slice()))
        .filter(|options| options.is_none_or(|o| o.len() < usize::from(u8::MAX)))
        .collect();
    let Some(options) = options.filter(|o| o.len() == categories.len() && shapes.len() > 1) else {
        return (Vec::new(), Vec::new());
    };
    let regions = (store.combos.iter().zip(extra_of))
        .map(|(combo, extra)| {
            let extra = extra.as_ref().filter(|e| shapes.contains(e))?;
            let place = |(category, listed): (&&String, &&[crate::model::CategoryOption])| -> Option<u8> {
                if !extra.contains(category) {
                    return Some(0);
                }
                let (_, option) = combo.iter().find(|(c, _)| c == *category)?;
                let at = listed.iter().position(|o| o.id == *option)?;
                u8::try_from(at + 1).ok()
            };
            categories.iter().zip(&options).map(place).collect::<Option<Region>>()
        })
        .collect();
    let counts = options.iter().map(|o| o.len() as u8).collect();
    (counts, regions)
}

/// The rows of one reported period for one reference: its own total and the sum and row count of each shape, each
/// with the sources and provisional mark of its rows (a value cites only the rows it is made of).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cell {
    exact: f64,
    exact_set: bool,
    exact_sources: SourceMask,
    exact_provisional: bool,
    parts: [f64; MAX_SHAPES],
    rows: [u32; MAX_SHAPES],
    part_sources: [SourceMask; MAX_SHAPES],
    /// Bit `k`: a row of shape `k` is provisional.
    part_provisional: u16,
}

impl Cell {
    /// Adds one entry of the cell's period (entries of one period have distinct combinations).
    pub(crate) fn add(&mut self, entry: &Observation, tag: Tag, codes: &[u8]) {
        match codes[entry.combo as usize] {
            0 => {}
            1 => {
                self.exact += entry.value;
                self.exact_set = true;
                self.exact_sources |= 1u64 << tag.source_bit();
                self.exact_provisional |= tag.provisional();
            }
            code => {
                let shape = usize::from(code - 2);
                self.parts[shape] += entry.value;
                self.rows[shape] += 1;
                self.part_sources[shape] |= 1u64 << tag.source_bit();
                self.part_provisional |= u16::from(tag.provisional()) << shape;
            }
        }
    }

    /// The explicit total; else the first complete shape; else the largest incomplete one, marked
    /// `partial_breakdown` (an incomplete breakdown of a count is a lower bound of its total). Rows of several
    /// incomplete shapes are read together by [`period_cell`] ([`crate::eval::mixed_depth`]).
    pub(crate) fn value(&self, complete_at: &[u32]) -> Option<Aggregate> {
        let (value, partial, sources, provisional) = if self.exact_set {
            (self.exact, false, self.exact_sources, self.exact_provisional)
        } else {
            let complete = (0..complete_at.len()).find(|&k| self.rows[k] > 0 && self.rows[k] == complete_at[k]);
            let k = complete.or_else(|| {
                (0..complete_at.len())
                    .filter(|&k| self.rows[k] > 0)
                    .max_by(|&a, &b| self.parts[a].total_cmp(&self.parts[b]).then(b.cmp(&a)))
            })?;
            (self.parts[k], complete.is_none(), self.part_sources[k], self.part_provisional & (1 << k) != 0)
        };
        Some(Aggregate { value, sources, provisional, partial_breakdown: partial, ..Aggregate::ZERO })
    }

    /// Whether rows of more than one shape were added (then they may be read together).
    fn mixes_shapes(&self) -> bool {
        self.rows.iter().filter(|&&rows| rows > 0).count() > 1
    }
}

/// Where [`period_cell`] finds an entry's [`Tag`], by the entry's position in the slice it is given.
pub(crate) trait TagAt: Copy {
    fn at(self, position: usize) -> Tag;
}

impl TagAt for &[Tag] {
    #[inline(always)]
    fn at(self, position: usize) -> Tag {
        self[position]
    }
}

/// One tag for every entry: [`crate::eval::grouping::Grouping::uniform_tag`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct SameTag(pub(crate) Tag);

impl TagAt for SameTag {
    #[inline(always)]
    fn at(self, _: usize) -> Tag {
        self.0
    }
}

/// The value of the reported period of `entries[start]` for a reference (with `shapes`), as [`Cell::value`] gives
/// it for every row of that period (entries of a group are in time order, so they follow `start`), and where the
/// next period's rows start. A reference without shapes (no breakdown of its element is reported) sums its own
/// total's rows without a [`Cell`] (190 bytes to clear per period); one loop finds the period's end and sums, as
/// this runs for every period of every leaf.
///
/// `tags` gives each entry's tag: the group's column of tags, or [`SameTag`] when every grouped observation has one
/// tag (then no tag is read from memory: on W2 the tag's load was the most-waited-for of the leaf's loop).
#[inline(always)]
pub(crate) fn period_cell(
    entries: &[Observation],
    tags: impl TagAt,
    start: usize,
    shapes: &Shapes,
) -> (Option<Aggregate>, usize) {
    let period = entries[start].period;
    let mut position = start;
    if shapes.complete_at.is_empty() {
        // Without shapes every code is 0 (not the reference's) or 1 (its own total): the cell's value is the sum of
        // the total's rows, if it has any, as `Cell::value` gives it.
        let mut value = Aggregate::ZERO;
        let mut exact_set = false;
        let mut exact = 0.0;
        while position < entries.len() && entries[position].period == period {
            let (entry, tag) = (&entries[position], tags.at(position));
            position += 1;
            if shapes.codes[entry.combo as usize] != 1 {
                continue;
            }
            exact += entry.value;
            exact_set = true;
            value.sources |= 1u64 << tag.source_bit();
            value.provisional |= tag.provisional();
        }
        value.value = exact;
        return (exact_set.then_some(value), position);
    }
    let mut cell = Cell::default();
    while position < entries.len() && entries[position].period == period {
        cell.add(&entries[position], tags.at(position), &shapes.codes);
        position += 1;
    }
    let value = cell.value(&shapes.complete_at);
    if value.is_some_and(|v| v.partial_breakdown) && cell.mixes_shapes() {
        let mixed = crate::eval::mixed_depth::value(&entries[start..position], tags, start, shapes);
        return (mixed.or(value), position);
    }
    (value, position)
}

/// A reference read by [`disagreements`]: the reference, its store element, its shapes, and whether its element
/// counts (never negative, so a part of a breakdown can be no more than the total).
pub(crate) type ReadRef<'a> = (&'a ElementRef, u32, &'a Shapes, bool);

/// W331: the explicit total and the complete breakdowns of one element reference (a total, or a filtered reference
/// such as `victims[sex=female]`), org unit and period that do not add up to the same number, or, for a count, an
/// incomplete breakdown whose reported part alone is more than the total (a female row of 99 beside a total of 10:
/// review of 6 December, helper 3, F4); one warning per cell, at the cell's first row. The value used is the one
/// [`Cell::value`] picks. `refs` are the references read ([`ReadRef`]).
pub(crate) fn disagreements(
    store: &ObservationStore,
    entries: &[Observation],
    tags: &[Tag],
    groups: &[(u32, u32, usize, usize)],
    (refs, withheld): (&[ReadRef<'_>], &[u32]),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Only rows broken down can disagree with a total: a store of totals alone (W2) has nothing to read here.
    if store.combos.iter().all(Vec::is_empty) {
        return out;
    }
    for &(element, unit, start, end) in groups {
        let slice = &entries[start..end];
        if slice.iter().all(|e| store.combos[e.combo as usize].is_empty()) {
            continue;
        }
        for &(element_ref, _, shapes, count) in refs.iter().filter(|(_, e, ..)| *e == element) {
            let withheld = withheld.contains(&element);
            out.extend(cell_disagreements(
                store,
                (slice, &tags[start..end], start),
                unit,
                element_ref,
                (shapes, withheld, count),
            ));
        }
    }
    out
}

/// [`disagreements`] of one reference within one (element, org unit) group.
fn cell_disagreements(
    store: &ObservationStore,
    (slice, tags, start): (&[Observation], &[Tag], usize),
    unit: u32,
    element_ref: &ElementRef,
    (shapes, withheld, count): (&Shapes, bool, bool),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let what = if element_ref.filter.is_empty() {
        element_ref.element.clone()
    } else {
        let filter: Vec<String> = element_ref.filter.iter().map(|(c, o)| format!("{c}={o}")).collect();
        format!("{}[{}]", element_ref.element, filter.join(","))
    };
    let mut position = 0;
    // Periods reported by options only, of a value whose options add up to nothing (W355).
    let mut options_only: Vec<(usize, u32)> = Vec::new();
    {
        while position < slice.len() {
            let period = slice[position].period;
            let first = position;
            let mut cell = Cell::default();
            let mut option_rows = false;
            while position < slice.len() && slice[position].period == period {
                cell.add(&slice[position], tags[position], &shapes.codes);
                option_rows |= !store.combos[slice[position].combo as usize].is_empty();
                position += 1;
            }
            if option_rows && !cell.exact_set && element_ref.filter.is_empty() && shapes.complete_at.is_empty() {
                options_only.push((first, period));
            }
            let mut views: Vec<(String, f64)> = Vec::new();
            if cell.exact_set {
                let row =
                    if element_ref.filter.is_empty() { "the total row".to_owned() } else { format!("the {what} row") };
                views.push((row, cell.exact));
            }
            for (k, &needed) in shapes.complete_at.iter().enumerate() {
                if cell.rows[k] > 0 && cell.rows[k] == needed {
                    views.push((format!("the breakdown by {}", shapes.names[k].join(" x ")), cell.parts[k]));
                } else if count && cell.exact_set && cell.rows[k] > 0 && cell.parts[k] > cell.exact {
                    // Part of a count's breakdown is already more than its total: one of them is wrong.
                    let by = shapes.names[k].join(" x ");
                    views.push((format!("the reported part of the breakdown by {by} (incomplete)"), cell.parts[k]));
                }
            }
            let single = views.len() - usize::from(cell.exact_set);
            if single == 0 && cell.mixes_shapes() {
                // Rows at two depths that cover every combination are a view of the total too (helper 4, F2).
                let mixed = crate::eval::mixed_depth::value(&slice[first..position], tags, first, shapes);
                if let Some(mixed) = mixed.filter(|m| !m.partial_breakdown) {
                    views.push(("reading the breakdowns together".to_owned(), mixed.value));
                }
            }
            if views.iter().all(|(_, v)| *v == views[0].1) {
                continue;
            }
            let (file, row) = store.origin(start + first);
            // The values of a sensitive element are not quoted: the views that disagree are named.
            let listed: Vec<String> = if withheld {
                vec![format!(
                    "{} disagree; {}",
                    views.iter().map(|(view, _)| view.as_str()).collect::<Vec<_>>().join(", "),
                    crate::diagnostic::WITHHELD_VALUES
                )]
            } else {
                views.iter().map(|(view, v)| format!("{view} gives {v}")).collect()
            };
            out.push(
                Diagnostic::warning(
                    "W331",
                    "breakdowns-disagree",
                    format!(
                        "{what} at {} in {}: {}",
                        store.org_units.name(unit),
                        store.periods[period as usize],
                        listed.join(", ")
                    ),
                )
                .with_span(Some(Span { file, start: 0, end: 0, line: row as usize, column: 1 }))
                .with_hint(format!("views of one total must add up to the same number; {} is used", views[0].0)),
            );
        }
    }
    if let Some(&(first, _)) = options_only.first() {
        out.push(options_not_added(store, (start + first, unit), &what, &options_only));
    }
    out
}

/// W355: a value whose options add up to nothing (a percentage, a rate, a level: [`shapes`]' `adds`) reported at
/// `unit` by its options only, in the `periods` listed (with their first row's position in the store): it has no
/// value of its own there, which the outputs show as no data beside the options (round 70).
fn options_not_added(
    store: &ObservationStore,
    (row, unit): (usize, u32),
    what: &str,
    periods: &[(usize, u32)],
) -> Diagnostic {
    let (file, line) = store.origin(row);
    let listed: Vec<String> = periods.iter().map(|&(_, p)| store.periods[p as usize].to_string()).collect();
    Diagnostic::warning(
        "W355",
        "options-not-added",
        format!(
            "{what} at {} is reported by its disaggregation options only in {}: its options do not add up to a total \
             (it is not summed over org units either), so it has no value of its own there",
            store.org_units.name(unit),
            listed.join(", ")
        ),
    )
    .with_span(Some(Span { file, start: 0, end: 0, line: line as usize, column: 1 }))
    .with_hint("report the total itself (a row without the breakdown's columns), or compute the indicator from counts (a numerator over a denominator), whose options add up")
}
