//! Org units: parents one level up, successors that start the day after, and a hierarchy without cycles; and the
//! groups of org units (regions, border provinces): members that exist, on one map.

use std::collections::{BTreeMap, BTreeSet};

use tiendo_core::{Catalogue, OrgUnit, OrgUnitGroup};

use super::validator::{Validator, text};
use super::{Kind, RawCatalogue};
use crate::codes;
use crate::raw::*;
use crate::tree::Spanned;

/// Checks every `[[org_unit]]` (validity dates, a parent one level up, successors that start the day after, no cycle
/// in the hierarchy) and adds the units whose id is declared once to `catalogue.org_units`.
pub(super) fn validate_org_units(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    let units: BTreeMap<&str, &RawOrgUnit> = raw.org_units.iter().map(|u| (u.id.value.as_str(), u)).collect();
    for u in &raw.org_units {
        v.validity(&format!("org unit `{}`", u.id.value), &u.valid_from, &u.valid_to);
        check_parent(v, &units, u);
        check_successors(v, &units, u);
    }
    report_cycles(v, raw, &units);
    add_org_units(v, raw, catalogue);
}

/// The parent, when declared, is one level up (a province cannot sit under a district), and exists from the unit's
/// first day: before it, the unit's area belonged to other units, whose figures its rows would take (a district of
/// the province created on 1 July 2025, valid from the start, put its first half of 2025 into the new province
/// beside its predecessors' own reports; round 50, found by a review helper).
fn check_parent(v: &mut Validator<'_>, units: &BTreeMap<&str, &RawOrgUnit>, u: &RawOrgUnit) {
    let Some(parent) = &u.parent else { return };
    if !v.reference(Kind::OrgUnit, parent) {
        return;
    }
    let Some(parent_unit) = units.get(parent.value.as_str()) else { return };
    if let Some(parent_from) = &parent_unit.valid_from
        && u.valid_from.as_ref().is_none_or(|from| from.value < parent_from.value)
    {
        let starts = u
            .valid_from
            .as_ref()
            .map_or("has no `valid_from`, so it exists".to_owned(), |from| format!("starts on {}", from.value.0));
        v.error(
            codes::BEFORE_PARENT,
            &parent.location,
            format!(
                "org unit `{}` {starts} before its parent `{}` starts on {}",
                u.id.value, parent.value, parent_from.value.0
            ),
            Some(format!(
                "give `{}` a `valid_from` on or after {}; report the days before under the units that existed then",
                u.id.value, parent_from.value.0
            )),
        );
    }
    if parent_unit.level.value.0.depth() >= u.level.value.0.depth() {
        v.error(
            codes::LEVEL_MISMATCH,
            &parent.location,
            format!(
                "parent `{}` is a {}, which cannot contain the {} `{}`",
                parent.value,
                level_name(parent_unit.level.value.0),
                level_name(u.level.value.0),
                u.id.value
            ),
            Some("the hierarchy goes country -> province -> district -> commune".to_owned()),
        );
    }
}

/// Each successor is declared and starts after `u` ends (`u` has a `valid_to`, the successor a later `valid_from`).
fn check_successors(v: &mut Validator<'_>, units: &BTreeMap<&str, &RawOrgUnit>, u: &RawOrgUnit) {
    for successor in &u.successors {
        if !v.reference(Kind::OrgUnit, successor) {
            continue;
        }
        let Some(next) = units.get(successor.value.as_str()) else { continue };
        let overlap = match (&u.valid_to, &next.valid_from) {
            (None, _) => Some(format!(
                "org unit `{}` has the successor `{}` but no `valid_to`, so both are valid at the same time",
                u.id.value, successor.value
            )),
            (Some(_), None) => {
                Some(format!("successor `{}` has no `valid_from`, so it overlaps `{}`", successor.value, u.id.value))
            }
            (Some(to), Some(from)) if from.value <= to.value => Some(format!(
                "successor `{}` starts on {}, before `{}` ends on {}",
                successor.value, from.value.0, u.id.value, to.value.0
            )),
            _ => None,
        };
        if let Some(message) = overlap {
            v.error(
                codes::SUCCESSOR_OVERLAP,
                &successor.location,
                message,
                Some("a successor must start the day after its predecessor's `valid_to`".to_owned()),
            );
        }
    }
}

/// Cycles in the parent hierarchy: each cycle is reported once, at the unit with the smallest id in it.
fn report_cycles(v: &mut Validator<'_>, raw: &RawCatalogue, units: &BTreeMap<&str, &RawOrgUnit>) {
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for u in &raw.org_units {
        let mut path: Vec<&str> = vec![u.id.value.as_str()];
        let mut current = u.parent.as_ref().map(|p| p.value.as_str());
        while let Some(id) = current {
            if let Some(position) = path.iter().position(|seen| *seen == id) {
                let cycle: Vec<&str> = path[position..].to_vec();
                let smallest = cycle.iter().min().copied().unwrap_or(id);
                if smallest == u.id.value && reported.insert(smallest) {
                    let mut shown = cycle.clone();
                    shown.push(id);
                    let parent_location = u.parent.as_ref().map_or(u.id.location.clone(), |p| p.location.clone());
                    v.error(
                        codes::ORG_UNIT_CYCLE,
                        &parent_location,
                        format!("the org-unit hierarchy has a cycle: {}", shown.join(" -> ")),
                        Some("each unit's `parent` must lead up to the country".to_owned()),
                    );
                }
                break;
            }
            path.push(id);
            current = units.get(id).and_then(|next| next.parent.as_ref()).map(|p| p.value.as_str());
        }
    }
}

/// Adds to the catalogue every org unit whose id was declared once (where the validator recorded that id).
fn add_org_units(v: &Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    // Built at once from all units (sorted, then bulk-built), so that the map's nodes are full: inserted one by one
    // they were half empty, 10.7 MB for W2's 24,000 communes, where built at once they take about half.
    let units = raw
        .org_units
        .iter()
        .filter(|u| v.ids.get(&Kind::OrgUnit).and_then(|ids| ids.get(&u.id.value)) == Some(&u.id.location));
    let units = units.map(|u| {
        let unit = OrgUnit {
            id: u.id.value.clone(),
            name: text(&u.name),
            level: u.level.value.0,
            parent: u.parent.as_ref().map(|p| p.value.clone()),
            valid_from: u.valid_from.as_ref().map(|d| d.value.0),
            valid_to: u.valid_to.as_ref().map(|d| d.value.0),
            successors: u.successors.iter().map(|s| s.value.clone()).collect(),
            kind: u.kind.clone(),
            note: u.note.clone(),
        };
        (u.id.value.clone(), unit)
    });
    if catalogue.org_units.is_empty() {
        catalogue.org_units = units.collect();
    } else {
        catalogue.org_units.extend(units);
    }
}

/// Checks every `[[org_unit_group]]`: its source exists, it has members, each member is a declared org unit (an
/// unknown one is reported where it is written, with "did you mean"; one listed twice is a warning), and the
/// members exist together on at least one day, so that a group never mixes the 63-province map with the 34-unit one.
pub(super) fn validate_groups(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    let units: BTreeMap<&str, &RawOrgUnit> = raw.org_units.iter().map(|u| (u.id.value.as_str(), u)).collect();
    for g in &raw.org_unit_groups {
        v.reference(Kind::Source, &g.source);
        if g.members.is_empty() {
            v.error(
                codes::INVALID_VALUE,
                &g.id.location,
                format!("org-unit group `{}` has no members", g.id.value),
                Some("list the org unit ids of the group in `members = [\"...\"]`".to_owned()),
            );
        }
        let members = v.references(Kind::OrgUnit, &g.members);
        // The latest first day and the earliest last day of the members: if the first comes after the second, no
        // day has them all.
        let known: Vec<(&Spanned<String>, &RawOrgUnit)> =
            g.members.iter().filter_map(|m| units.get(m.value.as_str()).map(|u| (m, *u))).collect();
        let latest_start =
            known.iter().filter_map(|(m, u)| u.valid_from.as_ref().map(|d| (d.value.0, *m))).max_by_key(|(d, _)| *d);
        let earliest_end =
            known.iter().filter_map(|(m, u)| u.valid_to.as_ref().map(|d| (d.value.0, *m))).min_by_key(|(d, _)| *d);
        if let (Some((start, late)), Some((end, early))) = (latest_start, earliest_end)
            && start > end
        {
            v.error(
                codes::GROUP_ACROSS_MAPS,
                &late.location,
                format!(
                    "org-unit group `{}` has members that never exist on the same day: `{}` starts on {start}, after \
                     `{}` ends on {end}",
                    g.id.value, late.value, early.value
                ),
                Some(
                    "a group lists the units of one map: make one group for the 63 provinces and another for the 34"
                        .to_owned(),
                ),
            );
        }
        let is_first = v.ids.get(&Kind::OrgUnitGroup).and_then(|ids| ids.get(&g.id.value)) == Some(&g.id.location);
        if is_first {
            catalogue.org_unit_groups.insert(
                g.id.value.clone(),
                OrgUnitGroup {
                    id: g.id.value.clone(),
                    name: text(&g.name),
                    members,
                    source: g.source.value.clone(),
                    kind: g.kind.clone(),
                    note: g.note.clone(),
                },
            );
        }
    }
}

fn level_name(level: tiendo_core::OrgUnitLevel) -> &'static str {
    match level {
        tiendo_core::OrgUnitLevel::Country => "country",
        tiendo_core::OrgUnitLevel::Province => "province",
        tiendo_core::OrgUnitLevel::District => "district",
        tiendo_core::OrgUnitLevel::Commune => "commune",
    }
}
