//! What could be known on the as-of date (issue 12 item 1, issue 13 item 4, adversarial review round 6 L8): a figure
//! whose source is dated after the evaluation's `as_of`, or whose own row says it was submitted after it, did not
//! exist on that day, so a review made then cannot cite it. Such observations are left out of the evaluation and
//! of completeness (their sources out of the review's bibliography), and one warning for each reason says how many.
//! A figure whose row says it was submitted before its period ended (a yearly figure sent in March of that year)
//! cannot be the period's final figure: it is kept, as provisional, and W306 names it (issue 10, P2). So is a figure
//! that adds up over its period (a count, an average, a rate) citing a source dated before the period ended (a
//! year's cases in a report of June): W307 names it. A stock or a rank (time aggregation `last`, such as a TIP tier
//! labelled by its report's year) is read on a day, so its source may be dated inside its period.
//!
//! A pure function of the catalogue, the store and the as-of date given: no clock is read.

use super::*;
use crate::diagnostic::Span;
use crate::eval::store::Place;

/// The ids of the catalogue's sources dated after `as_of`, in id order. A source without a date is kept: the
/// catalogue's check asks for a date on every source. A synthetic source is kept too: its date is the day its
/// figures were generated, not a day on which anything became known, and its figures stand in for what the
/// periods would have reported (they are labelled synthetic wherever they appear).
pub fn sources_after(catalogue: &Catalogue, as_of: NaiveDate) -> BTreeSet<&str> {
    catalogue
        .sources
        .values()
        .filter(|s| s.kind != crate::model::SourceKind::Synthetic && s.date.is_some_and(|d| d > as_of))
        .map(|s| s.id.as_str())
        .collect()
}

/// What was known on the as-of date, when something was not ([`known_on`]).
pub(super) struct KnownOn {
    /// The observations known.
    pub store: ObservationStore,
    /// W303, W305, W306 and W307, those that apply.
    pub diagnostics: Vec<Diagnostic>,
    /// The (data element, period) of each row left out as submitted after the as-of date, for periods ended by
    /// then: a report was due and had not arrived, so completeness counts it as expected and not received.
    pub late: BTreeSet<(String, Period)>,
}

/// The observations known on `as_of`: `None` when every observation is and none was submitted before its period
/// ended (the store is used as it is), else a copy without those citing a later source (W303) or submitted after
/// `as_of` by their own `submitted` date (W305), with those submitted before their period's last day (W306) or
/// adding up over a period that ended after their source's date (W307) marked provisional, and the warnings that
/// say so. Completeness reads the same copy, so a report that arrived
/// later is not received.
pub(super) fn known_on(catalogue: &Catalogue, store: &ObservationStore, as_of: NaiveDate) -> Option<KnownOn> {
    let later_ids = later_source_ids(catalogue, store, as_of);
    let synthetic = synthetic_source_ids(catalogue, store);
    let is_late = |source: u32, submitted: Option<NaiveDate>| {
        submitted.is_some_and(|day| day > as_of) && !synthetic.contains(&source) && !later_ids.contains(&source)
    };
    let dropped = |place: &Place, submitted| later_ids.contains(&place.source) || is_late(place.source, submitted);
    let is_early = |observation: &Observation, place: &Place, submitted: Option<NaiveDate>| {
        place.status == ObservationStatus::Final
            && submitted.is_some_and(|day| day < store.periods[observation.period as usize].end())
            && !dropped(place, submitted)
    };
    let source_dates = accumulating_source_dates(catalogue, store);
    // Most stores have no source dated before the end of any of their periods: then no row is read for W307 (a pass
    // over every row of a 10-million-row store for nothing).
    let last_end = store.periods.iter().map(Period::end).max();
    let any_early_source = source_dates.dates.iter().flatten().any(|&day| last_end.is_some_and(|end| day < end));
    let is_early_source = |observation: &Observation, place: &Place, submitted: Option<NaiveDate>| {
        any_early_source
            && place.status == ObservationStatus::Final
            && source_dates.dated_before_end(store, observation, place)
            && !is_early(observation, place, submitted)
            && !dropped(place, submitted)
    };
    let (late_warning, late) = late_submissions(store, &is_late, as_of);
    let early_warning = early_submissions(store, &is_early);
    let early_source_warning = any_early_source.then(|| early_sources(store, &is_early_source)).flatten();
    let diagnostics: Vec<Diagnostic> =
        [later_sources_warning(store, &later_ids, as_of), late_warning, early_warning, early_source_warning]
            .into_iter()
            .flatten()
            .collect();
    if diagnostics.is_empty() {
        return None;
    }
    let store = store.rebuilt(|observation, place, submitted| {
        if dropped(place, submitted) {
            return None;
        }
        let early = is_early(observation, place, submitted) || is_early_source(observation, place, submitted);
        Some(Place { status: if early { ObservationStatus::Provisional } else { place.status }, ..*place })
    });
    Some(KnownOn { store, diagnostics, late })
}

/// The store's ids of the catalogue's sources dated after `as_of` ([`sources_after`]).
fn later_source_ids(catalogue: &Catalogue, store: &ObservationStore, as_of: NaiveDate) -> BTreeSet<u32> {
    sources_after(catalogue, as_of).iter().filter_map(|id| store.sources.get(id)).collect()
}

/// The store's ids of the catalogue's synthetic sources: their rows' submission dates are generated with their
/// figures (to show timeliness), not days on which anything was reported, as their sources' dates are.
fn synthetic_source_ids(catalogue: &Catalogue, store: &ObservationStore) -> BTreeSet<u32> {
    catalogue
        .sources
        .values()
        .filter(|s| s.kind == crate::model::SourceKind::Synthetic)
        .filter_map(|s| store.sources.get(&s.id))
        .collect()
}

/// W303: the observations citing a source in `later_ids`, counted, their sources named; `None` when none does.
fn later_sources_warning(store: &ObservationStore, later_ids: &BTreeSet<u32>, as_of: NaiveDate) -> Option<Diagnostic> {
    let counts = store.source_counts();
    let left_out: Vec<u32> =
        later_ids.iter().copied().filter(|&source| counts.get(source as usize).is_some_and(|&c| c > 0)).collect();
    if left_out.is_empty() {
        return None;
    }
    let cited: BTreeSet<&str> = left_out.iter().map(|&source| store.sources.name(source)).collect();
    let count: usize = left_out.iter().map(|&source| counts[source as usize]).sum();
    let list = cited.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ");
    let diagnostic = Diagnostic::warning(
        "W303",
        "source-after-as-of",
        format!(
            "{count} observation{} cite{} {} dated after the as-of date {as_of} ({list}): left out of the evaluation",
            if count == 1 { "" } else { "s" },
            if count == 1 { "s" } else { "" },
            if cited.len() == 1 { "a source" } else { "sources" },
        ),
    )
    .with_hint(format!("a review as of {as_of} cannot know what was published after it; a later --as-of includes it"));
    Some(diagnostic)
}

/// How many rows W305 names by file and line; the count covers them all.
const LATE_ROWS_NAMED: usize = 5;

/// W305: the observations whose own `submitted` date is after `as_of` (`is_late`, given the source and the date;
/// rows left out for their source, W303, are counted there only), counted and named by file and line in file and
/// line order, at the first of them; `None` when there is none. With it, the (element, period) of those rows whose
/// period had ended by `as_of` ([`KnownOn::late`]).
fn late_submissions(
    store: &ObservationStore,
    is_late: &impl Fn(u32, Option<NaiveDate>) -> bool,
    as_of: NaiveDate,
) -> (Option<Diagnostic>, BTreeSet<(String, Period)>) {
    if !store.has_submission_dates() {
        return (None, BTreeSet::new());
    }
    let mut rows: Vec<(u16, u32, NaiveDate, usize)> = (0..store.len())
        .filter_map(|position| {
            let submitted = store.submitted(position).filter(|&day| day > as_of)?;
            let place = store.place(position);
            is_late(place.source, Some(submitted)).then_some((place.file, place.row, submitted, position))
        })
        .collect();
    rows.sort_unstable();
    let late = rows
        .iter()
        .map(|&(.., position)| &store.observations[position])
        .map(|o| (store.elements.name(o.element).to_owned(), store.periods[o.period as usize]))
        .filter(|(_, period)| period.end() <= as_of)
        .collect();
    (late_warning(store, &rows, as_of), late)
}

/// The first [`LATE_ROWS_NAMED`] of `rows` (sorted) as "file:line" and what `place` adds to each (it gives the
/// row's file, line and that text), then "and N more"; and the span of the first row. `None` when there is none.
pub(super) fn named_rows<T>(
    store: &ObservationStore,
    rows: &[T],
    place: impl Fn(&T) -> (u16, u32, String),
) -> Option<(Vec<String>, Span)> {
    let file_name = |file: u16| store.files.get(file as usize).cloned().unwrap_or_default();
    let (first_file, first_row, _) = place(rows.first()?);
    let mut named: Vec<String> = rows
        .iter()
        .take(LATE_ROWS_NAMED)
        .map(|r| {
            let (file, row, text) = place(r);
            format!("{}:{row}{text}", file_name(file))
        })
        .collect();
    if rows.len() > LATE_ROWS_NAMED {
        named.push(format!("and {} more", rows.len() - LATE_ROWS_NAMED));
    }
    Some((named, Span { file: file_name(first_file), start: 0, end: 0, line: first_row as usize, column: 1 }))
}

/// The W305 warning for `rows` (file, line, submission date, position), sorted; `None` when there is none.
fn late_warning(
    store: &ObservationStore,
    rows: &[(u16, u32, NaiveDate, usize)],
    as_of: NaiveDate,
) -> Option<Diagnostic> {
    let (named, span) = named_rows(store, rows, |&(file, row, day, _)| (file, row, format!(" on {day}")))?;
    let count = rows.len();
    let diagnostic = Diagnostic::warning(
        "W305",
        "submitted-after-as-of",
        format!(
            "{count} observation{} submitted after the as-of date {as_of} ({}): left out of the evaluation and of \
             completeness",
            if count == 1 { " was" } else { "s were" },
            named.join(", "),
        ),
    )
    .with_span(Some(span))
    .with_hint(format!("a review as of {as_of} cannot know a figure reported after it; a later --as-of includes it"));
    Some(diagnostic)
}

/// W306: the final-status observations submitted before the last day of their period (`is_early`, given the
/// observation, its place and its date), counted and named by file and line (with the period and the date) in file
/// and line order, at the first of them; `None` when there is none. They are kept, marked provisional.
fn early_submissions(
    store: &ObservationStore,
    is_early: &impl Fn(&Observation, &Place, Option<NaiveDate>) -> bool,
) -> Option<Diagnostic> {
    if !store.has_submission_dates() {
        return None;
    }
    let mut rows: Vec<(u16, u32, NaiveDate, Period)> = (0..store.len())
        .filter_map(|position| {
            let (observation, place, submitted) =
                (&store.observations[position], store.place(position), store.submitted(position));
            let period = store.periods[observation.period as usize];
            is_early(observation, &place, submitted).then_some((place.file, place.row, submitted?, period))
        })
        .collect();
    rows.sort_unstable();
    let (named, span) =
        named_rows(store, &rows, |&(file, row, day, period)| (file, row, format!(", {period} on {day}")))?;
    let count = rows.len();
    let diagnostic = Diagnostic::warning(
        "W306",
        "submitted-before-period-end",
        format!(
            "{count} observation{} submitted before the end of {} period ({}): treated as provisional, not as final",
            if count == 1 { " was" } else { "s were" },
            if count == 1 { "its" } else { "their" },
            named.join("; "),
        ),
    )
    .with_span(Some(span))
    .with_hint(
        "a figure reported before its period ends cannot be the period's final figure: send the final figure after \
         the period ends, or mark the row `provisional`; check the `submitted` date if it is a typing error",
    );
    Some(diagnostic)
}

/// The dates of the sources a figure that adds up over its period may not predate the period's end in, by the
/// store's source and element ids ([`Self::dated_before_end`]).
struct SourceDates {
    /// Each store source's date; `None` for a source without one, unknown to the catalogue, or synthetic (its date
    /// is the day its figures were generated).
    dates: Vec<Option<NaiveDate>>,
    /// Whether each store element adds up over its period: every time aggregation but `last` (a stock or a rank,
    /// read on a day), by the element's own rule or an indicator's measure ([`refs::rule_for`]).
    accumulates: Vec<bool>,
}

impl SourceDates {
    /// Whether `observation` adds up over its period and cites a source dated before that period's last day.
    fn dated_before_end(&self, store: &ObservationStore, observation: &Observation, place: &Place) -> bool {
        self.accumulates.get(observation.element as usize).copied().unwrap_or(false)
            && self
                .dates
                .get(place.source as usize)
                .copied()
                .flatten()
                .is_some_and(|day| day < store.periods[observation.period as usize].end())
    }
}

/// The store's sources' dates and its elements' time aggregation, for W307 ([`SourceDates`]).
fn accumulating_source_dates(catalogue: &Catalogue, store: &ObservationStore) -> SourceDates {
    let dates = (store.sources.names().iter())
        .map(|id| catalogue.sources.get(id).filter(|s| s.kind != crate::model::SourceKind::Synthetic)?.date)
        .collect();
    let accumulates =
        (store.elements.names().iter()).map(|id| refs::rule_for(catalogue, id).time != TimeAggregation::Last).collect();
    SourceDates { dates, accumulates }
}

/// W307: the final-status observations of a figure that adds up over its period citing a source dated before that
/// period's last day (`is_early_source`; rows W306 names are left to it), counted and named by file and line (with
/// the period and the source's id) in file and line order, at the first of them; `None` when there is none. They are
/// kept, marked provisional.
fn early_sources(
    store: &ObservationStore,
    is_early_source: &impl Fn(&Observation, &Place, Option<NaiveDate>) -> bool,
) -> Option<Diagnostic> {
    let mut rows: Vec<(u16, u32, Period, u32)> = (0..store.len())
        .filter_map(|position| {
            let (observation, place) = (&store.observations[position], store.place(position));
            let early = is_early_source(observation, &place, store.submitted(position));
            early.then_some((place.file, place.row, store.periods[observation.period as usize], place.source))
        })
        .collect();
    rows.sort_unstable();
    let (named, span) = named_rows(store, &rows, |&(file, row, period, source)| {
        (file, row, format!(", {period} in `{}`", store.sources.name(source)))
    })?;
    let count = rows.len();
    let diagnostic = Diagnostic::warning(
        "W307",
        "source-before-period-end",
        format!(
            "{count} observation{} cite{} a source dated before the end of {} period ({}): treated as provisional, \
             not as final",
            if count == 1 { "" } else { "s" },
            if count == 1 { "s" } else { "" },
            if count == 1 { "its" } else { "their" },
            named.join("; "),
        ),
    )
    .with_span(Some(span))
    .with_hint(
        "a document dated before a period ends cannot hold the period's total: cite the source that published the \
         final figure, mark the row `provisional`, or check the source's `date` and the row's period",
    );
    Some(diagnostic)
}

/// Drops from `catalogue`'s plans every baseline and target citing a source dated after `as_of`: a plan's starting
/// value or target published later could not be known that day (round 65, found by review helpers: a 2020 baseline
/// from a report of 2026 decided "off track" on 1 June 2025, and `report` stopped on a citation its bibliography left
/// out). A plan not known that day as a whole ([`plan_known_on`]) is left as it is: it is left out wherever its
/// figures are read. Returns W308 naming the baselines dropped and W309 the targets (plan, indicator, unit, period,
/// source).
pub fn plan_figures_known_on(catalogue: &mut Catalogue, as_of: NaiveDate) -> Vec<Diagnostic> {
    let later: BTreeSet<String> = sources_after(catalogue, as_of).into_iter().map(str::to_owned).collect();
    let later_ref: BTreeSet<&str> = later.iter().map(String::as_str).collect();
    let unknown: BTreeSet<String> =
        catalogue.plans.values().filter(|p| !plan_known_on(p, &later_ref, as_of)).map(|p| p.id.clone()).collect();
    let (mut baselines, mut targets) = (Vec::new(), Vec::new());
    for plan in catalogue.plans.values_mut().filter(|p| !unknown.contains(&p.id)) {
        let id = plan.id.clone();
        retain_known(&mut plan.baselines, baseline_figure, (&id, &later), &mut baselines);
        retain_known(&mut plan.targets, target_figure, (&id, &later), &mut targets);
    }
    let baselines = later_figures(("W308", "baseline-after-as-of", "baseline(s)"), as_of, &baselines);
    baselines.into_iter().chain(later_figures(("W309", "target-after-as-of", "target(s)"), as_of, &targets)).collect()
}

/// The indicator, unit, period and source of a plan's baseline or target.
type Figure<'a> = (&'a String, Option<&'a str>, Period, &'a String);

fn baseline_figure(b: &crate::model::Baseline) -> Figure<'_> {
    (&b.indicator, b.org_unit.as_deref(), b.period, &b.source)
}

fn target_figure(t: &crate::model::Target) -> Figure<'_> {
    (&t.indicator, t.org_unit.as_deref(), t.period, &t.source)
}

/// Keeps the `items` of plan `plan` whose source is not in `later`, naming each one dropped in `dropped`.
fn retain_known<T>(
    items: &mut Vec<T>,
    figure: fn(&T) -> Figure<'_>,
    (plan, later): (&str, &BTreeSet<String>),
    dropped: &mut Vec<String>,
) {
    items.retain(|item| {
        let (indicator, unit, period, source) = figure(item);
        let known = !later.contains(source);
        if !known {
            let at = unit.map(|unit| format!(" at {unit}")).unwrap_or_default();
            dropped.push(format!("{plan} {indicator}{at} {period} ({source})"));
        }
        known
    });
}

/// The warning naming the plan figures (`what`) dropped as published after `as_of`, if any.
fn later_figures(
    (code, name, what): (&'static str, &'static str, &str),
    as_of: NaiveDate,
    dropped: &[String],
) -> Option<Diagnostic> {
    (!dropped.is_empty()).then(|| {
        let list = dropped.join(", ");
        let message = format!(
            "{} {what} cite a source dated after the as-of date {as_of}: not used, as if the plan had none: {list}",
            dropped.len()
        );
        Diagnostic::warning(code, name, message)
            .with_hint("a review as of that day could not know them; a later --as-of uses them")
    })
}

/// Whether `plan` existed on `as_of`: adopted on or before it (when the catalogue knows the day) and not resting
/// on a source dated after it (`later`, from [`sources_after`]).
pub fn plan_known_on(plan: &crate::model::Plan, later: &BTreeSet<&str>, as_of: NaiveDate) -> bool {
    plan.adopted_on.is_none_or(|day| day <= as_of) && !later.contains(plan.source.as_str())
}
