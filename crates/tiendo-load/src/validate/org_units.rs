//! Org units: parents one level up, successors that start the day after, and a hierarchy without cycles.

use std::collections::{BTreeMap, BTreeSet};

use tiendo_core::{Catalogue, OrgUnit};

use super::validator::{Validator, text};
use super::{Kind, RawCatalogue};
use crate::codes;
use crate::raw::*;

pub(super) fn validate_org_units(v: &mut Validator<'_>, raw: &RawCatalogue, catalogue: &mut Catalogue) {
    let units: BTreeMap<&str, &RawOrgUnit> = raw.org_units.iter().map(|u| (u.id.value.as_str(), u)).collect();
    for u in &raw.org_units {
        v.validity(&format!("org unit `{}`", u.id.value), &u.valid_from, &u.valid_to);
        if let Some(parent) = &u.parent
            && v.reference(Kind::OrgUnit, parent)
            && let Some(parent_unit) = units.get(parent.value.as_str())
            && parent_unit.level.value.0.depth() >= u.level.value.0.depth()
        {
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
                (Some(_), None) => Some(format!(
                    "successor `{}` has no `valid_from`, so it overlaps `{}`",
                    successor.value, u.id.value
                )),
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

    // Cycles in the parent hierarchy: report each cycle once, at the unit with the smallest id in it.
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

    for u in &raw.org_units {
        let is_first = v.ids.get(&Kind::OrgUnit).and_then(|ids| ids.get(&u.id.value)) == Some(&u.id.location);
        if is_first {
            catalogue.org_units.insert(
                u.id.value.clone(),
                OrgUnit {
                    id: u.id.value.clone(),
                    name: text(&u.name),
                    level: u.level.value.0,
                    parent: u.parent.as_ref().map(|p| p.value.clone()),
                    valid_from: u.valid_from.as_ref().map(|d| d.value.0),
                    valid_to: u.valid_to.as_ref().map(|d| d.value.0),
                    successors: u.successors.iter().map(|s| s.value.clone()).collect(),
                    kind: u.kind.clone(),
                    note: u.note.clone(),
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
