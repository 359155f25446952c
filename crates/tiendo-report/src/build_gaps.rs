//! The data-gap table (issue 13, item 3): for every target without data, what is missing, which agency should
//! supply it (the responsible agency for the period shown, [`Catalogue::responsible_agency`]) and on which form
//! (the catalogue's data sets that collect the missing elements). A gap is a fact about the data, never filled in.

use super::*;
use crate::model::DataGap;

/// One row per indicator of the review with a target and no value in the window (status "no data"), or none of the
/// target's period when that period had ended by `as_of` (its latest value is earlier: nothing settles the target),
/// in the review's order; not where the target's period has a value beyond the indicator's limit, over a denominator
/// of 0 or hidden (the data are there, and contradict, leave the value undefined or are suppressed). `on` is the day whose
/// responsible agency is shown: the window's end, or the as-of date if earlier.
pub(super) fn data_gaps(catalogue: &Catalogue, review: &Review, (on, as_of): (NaiveDate, NaiveDate)) -> Vec<DataGap> {
    // An earlier target whose period ended without a value of it, beside a status decided on other values (round 72,
    // found by an adversarial tester: "No target lacks reported data" below a 2023 milestone with no 2023 value).
    let earlier =
        review.indicators.iter().filter(|i| !matches!(i.status, Status::NoData | Status::NoValue)).flat_map(|shown| {
            (shown.milestones.iter())
                // Without a value of its own period: missing, or only a part of it shown (no verdict).
                .filter(|m| m.value.value == Value::Missing || m.met.is_none() && m.value.period != m.target.period)
                .map(move |m| (shown, Some(m.target.period)))
        });
    review
        .indicators
        .iter()
        .filter(|i| matches!(i.status, Status::NoData | Status::NoValue))
        .filter_map(|shown| {
            let target = shown.target.as_ref()?;
            let lapsed = target.period.end() <= as_of;
            // A value of the target's period beyond the indicator's limit, or over a denominator of 0, is there: not
            // missing (its row says why it decides nothing); so is a hidden one that is the value the status reads,
            // which the tables show "suppressed" (round 72, found by an adversarial tester: listed as data to
            // collect, "no form collects it yet"). A hidden value the status does not read lacks reports (a partial
            // one) and stays listed, as it was before it was hidden (round 72, found by a verifier).
            let decided = |p: &crate::model::SeriesPoint| shown.latest.as_ref().is_some_and(|l| l.period == p.period);
            let there = |p: &crate::model::SeriesPoint| {
                p.beyond_limit.is_some() || p.value == Value::Undefined || p.value == Value::Suppressed && decided(p)
            };
            if shown.series.iter().any(|p| p.period == target.period && there(p)) {
                return None;
            }
            let period = match &shown.latest {
                None => None,
                Some(latest) if lapsed && latest.period.end() < target.period.end() => Some(target.period),
                Some(_) => return None,
            };
            Some((shown, period))
        })
        .chain(earlier)
        .filter_map(|(shown, period)| {
            let indicator = catalogue.indicators.get(&shown.id)?;
            let elements = indicator_elements(indicator);
            let mut missing: Vec<Text> = elements
                .iter()
                .map(|e| {
                    catalogue
                        .data_elements
                        .get(e)
                        .map(|d| d.name.clone())
                        .unwrap_or_else(|| Text::new(e.as_str(), e.as_str()))
                })
                .collect();
            missing.extend(not_of_elements(indicator));
            let forms: Vec<Text> =
                catalogue.data_sets.values().filter_map(|set| form(catalogue, set, &elements)).collect();
            let agency = indicator.agency.as_deref().map(|agency| {
                let responsible = catalogue.responsible_agency(agency, Some(indicator.group.as_str()), on);
                crate::from_core::agency_name(catalogue, responsible)
            });
            Some(DataGap {
                indicator_code: shown.code.clone(),
                indicator: shown.name.clone(),
                missing,
                agency,
                forms,
                period,
            })
        })
        .collect()
}

/// `set`'s name where it collects some of `elements`; where not all, with those it collects: the 138/CP form beside
/// T1 ("denunciations classified" over "received") collects only what is received, and listed bare it read as the
/// form that supplies the missing figure (round 65, found by a review helper).
fn form(catalogue: &Catalogue, set: &tiendo_core::model::DataSet, elements: &[String]) -> Option<Text> {
    let collected: Vec<&String> = elements.iter().filter(|e| set.elements.contains(*e)).collect();
    if collected.is_empty() {
        return None;
    }
    if collected.len() == elements.len() {
        return Some(set.name.clone());
    }
    let names = |lang: Lang| -> String {
        let name = |e: &String| catalogue.data_elements.get(e).map_or(e.as_str(), |d| d.name.get(lang)).to_owned();
        collected.iter().map(|e| name(e)).collect::<Vec<_>>().join(", ")
    };
    Some(Text::new(
        format!("{} (chỉ: {})", set.name.vi, names(Lang::Vi)),
        format!("{} (only: {})", set.name.en, names(Lang::En)),
    ))
}

/// What an indicator with no data elements is missing, which its row names rather than leave the cell empty (round
/// 72): the indicator's own values, where they are reported directly (a TIP tier, a percentage given as it is), or
/// the inputs its plugin declares.
fn not_of_elements(indicator: &tiendo_core::Indicator) -> Option<Text> {
    match &indicator.formula {
        Formula::Expression { .. } => None,
        Formula::Reported => Some(Text::new(
            format!("{} (giá trị báo cáo trực tiếp)", indicator.name.vi),
            format!("{} (values reported directly)", indicator.name.en),
        )),
        Formula::Plugin(metric) => Some(Text::new(
            format!("dữ liệu đầu vào của plugin `{}`", metric.plugin),
            format!("the inputs of plugin `{}`", metric.plugin),
        )),
    }
}

/// The data elements an indicator is computed from, in formula order, each once (a plugin's inputs are the
/// plugin's to declare, so a plugin indicator lists none).
fn indicator_elements(indicator: &tiendo_core::Indicator) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Formula::Expression { numerator, denominator } = &indicator.formula {
        for element in numerator.elements().into_iter().chain(denominator.iter().flat_map(|d| d.elements())) {
            if !out.contains(&element.element) {
                out.push(element.element.clone());
            }
        }
    }
    out
}
