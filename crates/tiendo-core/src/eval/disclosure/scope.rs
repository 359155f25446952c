//! The units a disclosure audit holds cells of: the units the run shows, and every unit below them that it does not
//! show (the districts and communes under the provinces of the default run), so that no run's published totals less
//! its published parts give a unit's small count away, whether or not any output shows that unit (methodology
//! section 7). Leaves that a reader cannot tell apart are one unit, their sum.

use std::collections::{HashMap, HashSet};

use super::super::*;
use crate::model::OrgUnit;

/// A unit's first and last days (`None`: open).
pub(super) type Validity = (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>);

/// The units of one audit, in the order of its cells: the units the run shows first (positions `0..shown`), then the
/// units below them that it does not show. Those are never published; a small count among them is protected like a
/// hidden one ([`crate::disclosure::Fixed::Unshown`]).
///
/// Sibling leaves the run does not show, that existed throughout, take part in no succession and have cells in the
/// same periods of every audited reference, are one **class**: every relation a reader has holds them with the same
/// coefficient (their parent's periods, each one's own periods alike), so a reader of published figures can learn
/// their sum and nothing that tells them apart. The class is a unit whose values are the sum, small when the sum is
/// (the sum of a class below the threshold bounds each member below it too). Without classes the default run over
/// 10,000 communes would audit every commune's every month; with them, communes that report alike cost one unit.
pub(super) struct Scope {
    /// Per unit, the org unit's id; for a class, its parent's id and its first member's.
    pub(super) ids: Vec<String>,
    /// How many of the units (the first ones) the run shows.
    pub(super) shown: usize,
    /// Per audited reference ([`super::differences::audited_refs`]), whether its element is sensitive.
    pub(super) sensitive: Vec<bool>,
    /// Per unit, per audited reference, per period of the run: its value where it is a cell (a unit's own value for
    /// part of a period it did not exist throughout is none, [`Cube::is_own_partial_period`]).
    pub(super) values: Vec<Vec<Vec<Option<f64>>>>,
    pub(super) tree: Tree,
    /// Per unit, the ids of the leaves of its class (empty for a unit that is not a class).
    pub(super) class_members: Vec<Vec<String>>,
}

/// How the units of a [`Scope`] relate, by position.
#[derive(Default)]
pub(super) struct Tree {
    /// Per unit, its current children (no successors), in position order.
    pub(super) children: Vec<Vec<usize>>,
    /// Per unit, every child, ended or not, with its days: the map of a period the children did not change in.
    pub(super) all_children: Vec<Vec<(usize, Validity)>>,
    /// Per unit, the other units of its territory (its predecessors), in position order.
    pub(super) predecessors: Vec<Vec<usize>>,
    /// Per unit split into two or more successors, all of them in the scope: their positions (empty otherwise).
    pub(super) split_into: Vec<Vec<usize>>,
}

impl Scope {
    /// The scope of a run that shows `shown` (the run's units), over `periods` and the `audited_refs` of `cube`
    /// (the sensitive references and those a rule relates to them).
    pub(super) fn new(
        catalogue: &Catalogue,
        cube: &mut Cube,
        shown: &[String],
        periods: &[Period],
        audited_refs: &[usize],
    ) -> Scope {
        let set = PeriodSet::new(periods);
        let mut children_of: HashMap<&str, Vec<&OrgUnit>> = HashMap::new();
        for unit in catalogue.org_units.values() {
            if let Some(parent) = unit.parent.as_deref() {
                children_of.entry(parent).or_default().push(unit);
            }
        }
        let is_shown: HashSet<&str> = shown.iter().map(String::as_str).collect();
        let sensitive = audited_refs.iter().map(|&r| is_sensitive(catalogue, &cube.refs()[r].element)).collect();
        let mut scope = Scope {
            ids: Vec::new(),
            shown: shown.len(),
            sensitive,
            values: Vec::new(),
            tree: Tree::default(),
            class_members: Vec::new(),
        };
        // Per unit, the unit it was found under (none for a shown unit). A class (its members listed) is never walked.
        let mut parents: Vec<Option<usize>> = Vec::new();
        for id in shown {
            scope.ids.push(id.clone());
            scope.values.push(values_of(cube, audited_refs, id, &set));
            scope.class_members.push(Vec::new());
            parents.push(None);
        }
        let mut at = 0;
        while at < scope.ids.len() {
            let Some(children) = children_of.get(scope.ids[at].as_str()).filter(|_| scope.class_members[at].is_empty())
            else {
                at += 1;
                continue;
            };
            let mut classes = Classes::default();
            for child in children.iter().filter(|c| !is_shown.contains(c.id.as_str())) {
                let values = values_of(cube, audited_refs, &child.id, &set);
                if is_alike_leaf(child, &children_of, cube) {
                    classes.add(&child.id, values);
                } else {
                    scope.ids.push(child.id.clone());
                    scope.values.push(values);
                    scope.class_members.push(Vec::new());
                    parents.push(Some(at));
                }
            }
            for class in classes.classes {
                scope.ids.push(format!("{} [{} and {} alike]", scope.ids[at], class.first, class.members - 1));
                scope.values.push(class.sum);
                scope.class_members.push(class.ids);
                parents.push(Some(at));
            }
            at += 1;
        }
        scope.tree = tree(catalogue, cube, &scope, &parents);
        scope
    }

    /// Whether the unit at `position` is one the run shows.
    pub(super) fn is_shown(&self, position: usize) -> bool {
        position < self.shown
    }
}

/// A leaf that existed throughout and takes part in no succession: one of a class of siblings a reader cannot tell
/// apart when their cells are in the same periods.
fn is_alike_leaf(unit: &OrgUnit, children_of: &HashMap<&str, Vec<&OrgUnit>>, cube: &Cube) -> bool {
    !children_of.contains_key(unit.id.as_str())
        && unit.successors.is_empty()
        && unit.valid_from.is_none()
        && unit.valid_to.is_none()
        && cube.territory_of(&unit.id).len() == 1
}

/// A unit's value for each audited reference and period, where it is a cell.
fn values_of(cube: &mut Cube, audited_refs: &[usize], id: &str, set: &PeriodSet) -> Vec<Vec<Option<f64>>> {
    audited_refs
        .iter()
        .map(|&r| match cube.values_over(r, id, set) {
            Some(values) => values
                .into_iter()
                .map(|value| value.filter(|v| !cube.is_own_partial_period(id, v)).map(|v| v.value))
                .collect(),
            None => vec![None; set.periods().len()],
        })
        .collect()
}

/// The sibling leaves of one parent, by the periods they have cells in.
#[derive(Default)]
struct Classes {
    by_shape: HashMap<Vec<bool>, usize>,
    /// In the order of their first members.
    classes: Vec<Class>,
}

/// Sibling leaves with cells in the same periods: the first member's id, how many, their ids, and their sum.
struct Class {
    first: String,
    members: usize,
    ids: Vec<String>,
    sum: Vec<Vec<Option<f64>>>,
}

impl Classes {
    /// Adds a leaf to the class of its shape; a leaf with no cell at all is in no relation and is left out.
    fn add(&mut self, id: &str, values: Vec<Vec<Option<f64>>>) {
        let shape: Vec<bool> = values.iter().flatten().map(Option::is_some).collect();
        if !shape.contains(&true) {
            return;
        }
        match self.by_shape.get(&shape) {
            Some(&class) => {
                let class = &mut self.classes[class];
                class.members += 1;
                class.ids.push(id.to_owned());
                for (sums, values) in class.sum.iter_mut().zip(values) {
                    for (sum, value) in sums.iter_mut().zip(values) {
                        if let (Some(sum), Some(value)) = (sum.as_mut(), value) {
                            *sum += value;
                        }
                    }
                }
            }
            None => {
                self.by_shape.insert(shape, self.classes.len());
                self.classes.push(Class { first: id.to_owned(), members: 1, ids: vec![id.to_owned()], sum: values });
            }
        }
    }
}

/// The tree of `scope`'s units: each unit's children among them (the catalogue's parents; a class's, the unit it was
/// formed under) and its predecessors among them (`Cube::territory_of`).
fn tree(catalogue: &Catalogue, cube: &Cube, scope: &Scope, parents: &[Option<usize>]) -> Tree {
    let n = scope.ids.len();
    let position: HashMap<&str, usize> = scope.ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let mut tree = Tree {
        children: vec![Vec::new(); n],
        all_children: vec![Vec::new(); n],
        predecessors: vec![Vec::new(); n],
        split_into: vec![Vec::new(); n],
    };
    for (child, id) in scope.ids.iter().enumerate() {
        let unit = catalogue.org_units.get(id);
        let parent = match parents[child] {
            Some(parent) => Some(parent),
            None => unit.and_then(|u| u.parent.as_deref()).and_then(|p| position.get(p).copied()),
        };
        let Some(parent) = parent else { continue };
        let validity = unit.map_or((None, None), |u| (u.valid_from, u.valid_to));
        tree.all_children[parent].push((child, validity));
        if unit.is_none_or(|u| u.successors.is_empty()) {
            tree.children[parent].push(child);
        }
    }
    for (at, id) in scope.ids.iter().enumerate() {
        let mut predecessors: Vec<usize> = cube
            .territory_of(id)
            .iter()
            .filter(|p| *p != id)
            .filter_map(|p| position.get(p.as_str()).copied())
            .collect();
        predecessors.sort_unstable();
        tree.predecessors[at] = predecessors;
        let successors = catalogue.org_units.get(id).map_or(&[][..], |u| &u.successors[..]);
        let split: Vec<usize> = successors.iter().filter_map(|s| position.get(s.as_str()).copied()).collect();
        if split.len() >= 2 && split.len() == successors.len() {
            tree.split_into[at] = split;
        }
    }
    for children in &mut tree.children {
        children.sort_unstable();
    }
    for children in &mut tree.all_children {
        children.sort_unstable_by_key(|&(child, _)| child);
    }
    tree
}
