//! What could be known on the as-of date (issue 12 item 1, issue 13 item 4): a figure whose source is dated after
//! the evaluation's `as_of` did not exist on that day, so a review made then cannot cite it. Such observations are
//! left out of the evaluation (their sources out of the review's bibliography), and one warning says how many.
//!
//! A pure function of the catalogue, the store and the as-of date given: no clock is read.

use super::*;

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

/// The observations known on `as_of`: `None` when every observation is (the store is used as it is), else a copy
/// without those citing a later source and the warning (W303) that counts them.
pub(super) fn known_on(
    catalogue: &Catalogue,
    store: &ObservationStore,
    as_of: NaiveDate,
) -> Option<(ObservationStore, Diagnostic)> {
    let later = sources_after(catalogue, as_of);
    let later_ids: BTreeSet<u32> = later.iter().filter_map(|id| store.sources.get(id)).collect();
    if later_ids.is_empty() {
        return None;
    }
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
    Some((store.without(|_, place| later_ids.contains(&place.source)), diagnostic))
}

/// Whether `plan` existed on `as_of`: adopted on or before it (when the catalogue knows the day) and not resting
/// on a source dated after it (`later`, from [`sources_after`]).
pub fn plan_known_on(plan: &crate::model::Plan, later: &BTreeSet<&str>, as_of: NaiveDate) -> bool {
    plan.adopted_on.is_none_or(|day| day <= as_of) && !later.contains(plan.source.as_str())
}
