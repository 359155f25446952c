//! Plans: targets and baselines within range and period, local ids, adopted indicators, and the chain of plans a
//! plan implements, which must not come back to it.

use std::collections::{BTreeMap, BTreeSet};

use tiendo_core::{Activity, Baseline, Comparator, Measure, Objective, Plan, Target};

use super::validator::{Validator, text};
use super::value_bounds::{ValueBounds, attainable, meant};
use super::{Kind, RawCatalogue};
use crate::codes;
use crate::raw::*;
use crate::tree::Spanned;

/// The measure of each indicator, and the bounds of its values where they are known
/// ([`super::value_bounds::value_bounds`]).
pub(super) type IndicatorRanges<'a> = (&'a BTreeMap<String, Measure>, &'a BTreeMap<String, ValueBounds>);

/// Checks one plan (its references, targets, baselines, objectives and activities, every problem reported) and
/// builds it.
pub(super) fn validate_plan(v: &mut Validator<'_>, p: &RawPlan, (measures, bounds): IndicatorRanges<'_>) -> Plan {
    v.reference(Kind::OrgUnit, &p.org_unit);
    let issuer = v.issuer(&p.issuer);
    v.reference(Kind::Source, &p.source);
    // A plan that implements itself, or any longer chain back to it, is reported by `check_implements_cycles`.
    if let Some(implements) = &p.implements
        && implements.value != p.id.value
    {
        v.reference(Kind::Plan, implements);
    }
    let indicators = v.references(Kind::Indicator, &p.indicators);
    let targets = targets(v, p, &indicators, (measures, bounds));
    let baselines = baselines(v, p, (measures, bounds));
    let (objectives, activities) = objectives_and_activities(v, p);
    Plan {
        id: p.id.value.clone(),
        kind: p.kind.value.0,
        number: p.number.clone(),
        title: text(&p.title),
        issuer,
        org_unit: p.org_unit.value.clone(),
        period: p.period.value.0,
        adopted_on: p.adopted_on.map(|d| d.0),
        source: p.source.value.clone(),
        implements: p.implements.as_ref().map(|i| i.value.clone()),
        indicators,
        targets,
        baselines,
        objectives,
        activities,
        note: p.note.clone(),
    }
}

/// A plan's targets: each for a known indicator the plan lists (a warning if it does not), within the plan's period,
/// with a value in the indicator's range that some value of the indicator can meet.
fn targets(
    v: &mut Validator<'_>,
    p: &RawPlan,
    listed: &[String],
    (measures, bounds): IndicatorRanges<'_>,
) -> Vec<Target> {
    let plan_period = p.period.value.0;
    let mut targets = Vec::new();
    for t in &p.target {
        let known = v.reference(Kind::Indicator, &t.indicator);
        if known && !listed.contains(&t.indicator.value) {
            v.warning(
                codes::TARGET_FOR_UNLISTED_INDICATOR,
                &t.indicator.location,
                format!(
                    "plan `{}` sets a target for `{}`, which it does not list in `indicators`",
                    p.id.value, t.indicator.value
                ),
                format!("add \"{}\" to the plan's `indicators`", t.indicator.value),
            );
        }
        let period = t.period.value.0;
        if !plan_period.contains(&period) {
            v.error(
                codes::TARGET_OUTSIDE_PLAN_PERIOD,
                &t.period.location,
                format!("target period {period} is outside the period {plan_period} of plan `{}`", p.id.value),
                Some(format!("targets of this plan must fall within {plan_period}")),
            );
        }
        let measure = measures.get(&t.indicator.value).copied();
        if check_value(v, measure, &t.value, "target") {
            if measure == Some(Measure::Percent) {
                as_fraction(v, t);
            }
            if let Some(bounds) = bounds.get(&t.indicator.value) {
                unattainable(v, t, bounds);
            }
        }
        v.reference(Kind::Source, &t.source);
        if let Some(org_unit) = &t.org_unit {
            v.reference(Kind::OrgUnit, org_unit);
        }
        contradiction(v, p, &targets, t);
        targets.push(Target {
            indicator: t.indicator.value.clone(),
            period,
            comparator: t.comparator.0,
            value: t.value.value,
            source: t.source.value.clone(),
            org_unit: t.org_unit.as_ref().map(|o| o.value.clone()),
            note: t.note.clone(),
        });
    }
    targets
}

/// W005 for a percentage target of 1 or less that is not an upper bound (`>= 0.9`, `= 1`): almost surely a fraction
/// written for a percentage ("over 90%" as `0.9`, "100%" as `1`), which every value would then meet (round 68, found
/// by a newcomer: 48.3 % published "achieved, 5,370.4 % of target"). An upper bound that small (`<= 0.5`, a rate
/// of re-trafficking) is a real target and passes.
fn as_fraction(v: &mut Validator<'_>, t: &RawTarget) {
    let upper = matches!(t.comparator.0, Comparator::Less | Comparator::LessOrEqual);
    if !upper && t.value.value > 0.0 && t.value.value <= 1.0 {
        let percent = t.value.value * 100.0;
        v.warning(
            codes::PERCENT_TARGET_AS_FRACTION,
            &t.value.location,
            format!("target {} of a percentage indicator reads as {}%, not {percent}%", t.value.value, t.value.value),
            format!("write percentages as numbers from 0 to 100: {percent}% is `{percent}`, not `{}`", t.value.value),
        );
    }
}

/// E042 for a target set for an org unit (its own `org_unit`, else its plan's) that existed on no day of the
/// target's period: no value of that unit can ever settle it, and the review dropped it from its counts without a
/// word (round 68, found by a newcomer: a 2026 target for a province that ended on 30 June 2025, beside its
/// successor's). The hint names the unit's successors.
pub(super) fn check_target_units(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &tiendo_core::Catalogue) {
    for p in &raw.plans {
        for t in &p.target {
            let unit_id = t.org_unit.as_ref().unwrap_or(&p.org_unit);
            let Some(unit) = catalogue.org_units.get(&unit_id.value) else { continue };
            let period = t.period.value.0;
            let ended = unit.valid_to.filter(|last| *last < period.start());
            let later = unit.valid_from.filter(|first| *first > period.end());
            if ended.is_none() && later.is_none() {
                continue;
            }
            let when = match (ended, later) {
                (Some(last), _) => format!("ended on {last}"),
                (_, Some(first)) => format!("begins on {first}"),
                _ => unreachable!("one of the two is set"),
            };
            let hint = if unit.successors.is_empty() || later.is_some() {
                "set the target for a unit that exists in the target's period (`org_unit = \"...\"` on the target)"
                    .to_owned()
            } else {
                format!("set it for its successor: `org_unit = \"{}\"` on the target", unit.successors.join("\" or \""))
            };
            let location = t.org_unit.as_ref().map_or(&t.period.location, |o| &o.location);
            v.error(
                codes::TARGET_UNIT_NOT_VALID,
                location,
                format!(
                    "the target of `{}` for {period} is set for `{}`, which {when}: no value of it exists in {period}",
                    t.indicator.value, unit_id.value
                ),
                Some(hint),
            );
        }
    }
}

/// E037 when `t` and the plan's earlier targets for the same indicator, org unit and period cannot all be met by
/// one value (`>= 85` beside `<= 80`, `= 100` beside `<= 95`, two different `=`): every target of a period decides
/// its status together (methodology 4.2), so such a plan could never be achieved and its review would say so of
/// no value.
fn contradiction(v: &mut Validator<'_>, p: &RawPlan, earlier: &[Target], t: &RawTarget) {
    let same = |o: &&Target| {
        o.indicator == t.indicator.value
            && o.period == t.period.value.0
            && o.org_unit.as_deref() == t.org_unit.as_ref().map(|u| u.value.as_str())
    };
    let bounds: Vec<(Comparator, f64)> =
        earlier.iter().filter(same).map(|o| (o.comparator, o.value)).chain([(t.comparator.0, t.value.value)]).collect();
    if bounds.len() < 2 || satisfiable(&bounds) {
        return;
    }
    let written: Vec<String> = bounds.iter().map(|(c, value)| format!("{} {value}", c.symbol())).collect();
    v.error(
        codes::TARGETS_CONTRADICT,
        &t.value.location,
        format!(
            "plan `{}` sets targets {} for `{}` in {}, which no value can meet together",
            p.id.value,
            written.join(", "),
            t.indicator.value,
            t.period.value.0
        ),
        Some(
            "keep the targets of one period that the plan means (a band is `>=` a low bound and `<=` a high one)"
                .to_owned(),
        ),
    );
}

/// E038 when no value `t`'s indicator can take meets it (`> 100` for a percentage, `< 0` for a count): such a target
/// would be read as on or off track toward a number that cannot happen.
fn unattainable(v: &mut Validator<'_>, t: &RawTarget, bounds: &ValueBounds) {
    let (comparator, value) = (t.comparator.0, t.value.value);
    if attainable(bounds, comparator, value) {
        return;
    }
    v.error(
        codes::TARGET_UNATTAINABLE,
        &t.value.location,
        format!(
            "target `{} {value}` for `{}` in {} can never be met: {}",
            comparator.symbol(),
            t.indicator.value,
            t.period.value.0,
            bounds.why
        ),
        Some(meant(bounds, comparator, value)),
    );
}

/// Whether one number meets every (comparator, value) bound.
fn satisfiable(bounds: &[(Comparator, f64)]) -> bool {
    // The highest lower bound and the lowest upper bound, each with whether it is strict.
    let mut low: Option<(f64, bool)> = None;
    let mut high: Option<(f64, bool)> = None;
    let tighter_low = |a: (f64, bool), b: Option<(f64, bool)>| b.is_none_or(|b| a.0 > b.0 || a.0 == b.0 && a.1);
    let tighter_high = |a: (f64, bool), b: Option<(f64, bool)>| b.is_none_or(|b| a.0 < b.0 || a.0 == b.0 && a.1);
    for &(comparator, value) in bounds {
        let (lower, upper) = match comparator {
            Comparator::Greater => (Some((value, true)), None),
            Comparator::GreaterOrEqual => (Some((value, false)), None),
            Comparator::Equal => (Some((value, false)), Some((value, false))),
            Comparator::LessOrEqual => (None, Some((value, false))),
            Comparator::Less => (None, Some((value, true))),
        };
        if let Some(lower) = lower.filter(|l| tighter_low(*l, low)) {
            low = Some(lower);
        }
        if let Some(upper) = upper.filter(|u| tighter_high(*u, high)) {
            high = Some(upper);
        }
    }
    match (low, high) {
        (Some((l, l_strict)), Some((h, h_strict))) => l < h || l == h && !l_strict && !h_strict,
        _ => true,
    }
}

/// A plan's baselines: each for a known indicator, with a value the indicator can take.
fn baselines(v: &mut Validator<'_>, p: &RawPlan, (measures, bounds): IndicatorRanges<'_>) -> Vec<Baseline> {
    let mut baselines = Vec::new();
    for b in &p.baseline {
        v.reference(Kind::Indicator, &b.indicator);
        if check_value(v, measures.get(&b.indicator.value).copied(), &b.value, "baseline")
            && let Some(bounds) = bounds.get(&b.indicator.value)
            && !bounds.contains(b.value.value)
        {
            v.error(
                codes::NUMBER_OUT_OF_RANGE,
                &b.value.location,
                format!(
                    "baseline {} for `{}` is a value it never takes: {}",
                    b.value.value, b.indicator.value, bounds.why
                ),
                Some("a baseline is a value the indicator had: check the number for a typing error".to_owned()),
            );
        }
        v.reference(Kind::Source, &b.source);
        if let Some(org_unit) = &b.org_unit {
            v.reference(Kind::OrgUnit, org_unit);
        }
        if !b.period.value.0.spans_a_year() {
            v.warning(
                codes::BASELINE_PART_OF_A_YEAR,
                &b.period.location,
                format!(
                    "baseline of `{}` for {} covers part of a year: trends and targets are read year by year, so \
                     evaluation and the review leave it out and measure from the series' first year",
                    b.indicator.value, b.period.value.0
                ),
                "give the baseline of a whole year (its yearly total or level), or leave it out".to_owned(),
            );
        }
        baselines.push(Baseline {
            indicator: b.indicator.value.clone(),
            period: b.period.value.0,
            value: b.value.value,
            source: b.source.value.clone(),
            org_unit: b.org_unit.as_ref().map(|o| o.value.clone()),
            note: b.note.clone(),
            public_note: b.public_note.as_ref().map(text),
            yearly_average: b.yearly_average.unwrap_or(false),
        });
    }
    baselines
}

/// A plan's objectives and activities, whose ids share one namespace within the plan.
fn objectives_and_activities(v: &mut Validator<'_>, p: &RawPlan) -> (Vec<Objective>, Vec<Activity>) {
    let mut local_ids = BTreeSet::new();
    let mut check_local_id = |v: &mut Validator<'_>, id: &Spanned<String>| {
        if !local_ids.insert(id.value.clone()) {
            v.error(
                codes::DUPLICATE_ID,
                &id.location,
                format!("plan `{}` has two objectives or activities with the id `{}`", p.id.value, id.value),
                Some("ids of objectives and activities must be unique within their plan".to_owned()),
            );
        }
    };
    let mut objectives = Vec::new();
    for o in &p.objective {
        check_local_id(v, &o.id);
        v.reference(Kind::Source, &o.source);
        objectives.push(Objective { id: o.id.value.clone(), text: text(&o.text), source: o.source.value.clone() });
    }
    let mut activities = Vec::new();
    for a in &p.activity {
        check_local_id(v, &a.id);
        if let Some(agency) = &a.agency {
            v.reference(Kind::Agency, agency);
        }
        if let Some(group) = &a.group {
            v.reference(Kind::WorkArea, group);
        }
        v.reference(Kind::Source, &a.source);
        activities.push(Activity {
            id: a.id.value.clone(),
            title: text(&a.title),
            agency: a.agency.as_ref().map(|x| x.value.clone()),
            deadline: a.deadline.map(|d| d.0),
            group: a.group.as_ref().map(|g| g.value.clone()),
            status: a.status.map(|s| s.0),
            source: a.source.value.clone(),
        });
    }
    (objectives, activities)
}

/// The largest magnitude of a target, baseline or limit: the cap on observed values (10^15), within which every
/// whole number is exact in an `f64`, so that sums, percentages of target and chart scales stay finite and exact. A
/// number beyond it (1e308) passes the TOML reader but makes the review's charts impossible to draw.
pub(super) const MAX_NUMBER: f64 = 1e15;

/// Numbers must be finite and within [`MAX_NUMBER`]; percentages must lie within 0-100 and yes/no values must be 0
/// or 1. Whether the value passed.
pub(super) fn check_value(v: &mut Validator<'_>, measure: Option<Measure>, value: &Spanned<f64>, what: &str) -> bool {
    if !value.value.is_finite() || value.value.abs() > MAX_NUMBER {
        v.error(
            codes::NUMBER_OUT_OF_RANGE,
            &value.location,
            format!("{what} {:e} is outside the range tiendo can compute and chart (-10^15 to 10^15)", value.value),
            Some(
                "check the number for a typing error: targets and baselines are counts, rates or percentages"
                    .to_owned(),
            ),
        );
        return false;
    }
    match measure {
        Some(Measure::Percent) if !(0.0..=100.0).contains(&value.value) => v.error(
            codes::PERCENT_OUT_OF_RANGE,
            &value.location,
            format!("{what} {} is outside 0-100 for a percentage indicator", value.value),
            Some("write percentages as numbers from 0 to 100: 90% is `90`, not `0.9` or `900`".to_owned()),
        ),
        Some(Measure::YesNo) if value.value != 0.0 && value.value != 1.0 => v.error(
            codes::NUMBER_OUT_OF_RANGE,
            &value.location,
            format!("{what} {} is not 0 or 1 for a yes/no indicator", value.value),
            Some("write 1 for yes and 0 for no".to_owned()),
        ),
        _ => return true,
    }
    false
}

/// Plans whose `implements` chain comes back to them: each cycle, of any length, is reported once, at the
/// `implements` of the plan with the smallest id in it (a chain that would never end when the review walks up to
/// the programme).
pub(super) fn check_implements_cycles(v: &mut Validator<'_>, raw: &RawCatalogue) {
    let plans: BTreeMap<&str, &RawPlan> = raw.plans.iter().map(|p| (p.id.value.as_str(), p)).collect();
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for p in &raw.plans {
        let mut path: Vec<&str> = vec![p.id.value.as_str()];
        let mut current = p.implements.as_ref().map(|i| i.value.as_str());
        while let Some(id) = current {
            if let Some(position) = path.iter().position(|seen| *seen == id) {
                let cycle = &path[position..];
                let smallest = cycle.iter().min().copied().unwrap_or(id);
                if smallest == p.id.value && reported.insert(smallest) {
                    let mut shown: Vec<&str> = cycle.to_vec();
                    shown.push(id);
                    let location = p.implements.as_ref().map_or(&p.id.location, |i| &i.location);
                    let message = if cycle.len() == 1 {
                        format!("plan `{}` implements itself", p.id.value)
                    } else {
                        format!("plans implement each other in a cycle: {}", shown.join(" -> "))
                    };
                    v.error(
                        codes::IMPLEMENTS_CYCLE,
                        location,
                        message,
                        Some("a plan implements the plan above it, such as the national programme, which implements none".to_owned()),
                    );
                }
                break;
            }
            path.push(id);
            current = plans.get(id).and_then(|next| next.implements.as_ref()).map(|i| i.value.as_str());
        }
    }
}

/// A plan that implements another may monitor the other's indicators (adopted) and its own, defined by its own
/// source document. Anything else is an indicator the implemented plan does not know.
pub(super) fn check_adoptions(v: &mut Validator<'_>, raw: &RawCatalogue) {
    let plans: BTreeMap<&str, &RawPlan> = raw.plans.iter().map(|p| (p.id.value.as_str(), p)).collect();
    let indicator_sources: BTreeMap<&str, &str> =
        raw.indicators.iter().map(|i| (i.id.value.as_str(), i.source.value.as_str())).collect();
    // A plan or indicator of a built-in catalogue (`builtin:vn`) cannot be edited: the hint says to copy the
    // indicator under a new id instead (round 68, found by a newcomer: the hint asked to edit `qd-33-2026`).
    let files = v.files;
    let built_in = |location: &crate::tree::Location| {
        files.span(location.file, location.range.clone()).file.starts_with(crate::builtin::BUILTIN_PREFIX)
    };
    let indicator_built_in: BTreeMap<&str, bool> =
        raw.indicators.iter().map(|i| (i.id.value.as_str(), built_in(&i.id.location))).collect();
    for p in &raw.plans {
        let Some(implements) = &p.implements else { continue };
        let Some(parent) = plans.get(implements.value.as_str()) else { continue };
        if parent.id.value == p.id.value {
            continue;
        }
        let parent_indicators: BTreeSet<&str> = parent.indicators.iter().map(|i| i.value.as_str()).collect();
        for indicator in &p.indicators {
            let Some(source) = indicator_sources.get(indicator.value.as_str()) else { continue };
            if parent_indicators.contains(indicator.value.as_str()) || *source == p.source.value {
                continue;
            }
            let hint = if built_in(&parent.id.location)
                || indicator_built_in.get(indicator.value.as_str()) == Some(&true)
            {
                format!(
                    "`{}` and `{}` are in the built-in catalogue, which a project does not edit: copy the indicator \
                     into your catalogue under a new id (such as `{}-{}`) with `source = \"{}\"`, and list that id",
                    parent.id.value, indicator.value, p.id.value, indicator.value, p.source.value
                )
            } else {
                format!(
                    "add it to `{}`'s indicators, or make it this plan's own with `source = \"{}\"` on the indicator",
                    parent.id.value, p.source.value
                )
            };
            v.error(
                codes::NOT_IN_IMPLEMENTED_PLAN,
                &indicator.location,
                format!(
                    "plan `{}` adopts indicator `{}`, which plan `{}` that it implements does not monitor",
                    p.id.value, indicator.value, parent.id.value
                ),
                Some(hint),
            );
        }
    }
}
