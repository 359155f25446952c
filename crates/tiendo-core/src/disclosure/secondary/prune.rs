//! How the search publishes again the secondary cells the audit does not need: one at a time, the largest first;
//! then two that share a relation, and each group of secondary cells linked by relations, together. A cell hidden
//! early can be one whose value published cells fixed (a province's first half, given by its year less its second
//! half), which then needed cells hidden for its own sake; none of those can be published alone, each pinning the
//! next, so one at a time left a whole quarterly table of two provinces hidden (12 cells where 4 suffice; round 45,
//! found by a review helper).

use std::collections::BTreeSet;

use super::super::audit::Kind;
use super::super::{CellState, Fixed};
use super::Search;

/// The largest group of linked secondary cells tried together: larger ones are left to the single and pair trials.
const GROUP_LIMIT: usize = 64;

/// The pair and group trials stop once the search has spent this share of its budget (in quarters), so that they
/// never leave the final audit without the work to settle a table (a table it cannot settle is withheld).
const TRIALS_UP_TO_QUARTERS: u64 = 3;

impl Search<'_, '_> {
    /// Publishes again every secondary cell the audit does not need: singles, pairs, then linked groups. A cell that
    /// had to stay hidden while cells of its table were hidden may not need to once they are published, so single
    /// cells are tried again, those of the tables where anything was published, until nothing more is (round 72: a
    /// total of 12, and of 10 under cell-by-cell fixing, stayed hidden after cells beside them were published, found
    /// by the property tests that every secondary cell is needed).
    pub(super) fn prune(&mut self, states: &mut [CellState]) {
        let mut published = self.prune_singles(self.secondary(states), states);
        let hidden = self.secondary(states);
        self.prune_together(states);
        published.extend(hidden.into_iter().filter(|&c| states[c] == CellState::Published));
        while !published.is_empty() && !self.exhausted() {
            let again = self.tables_around(&published, states);
            published = self.prune_singles(again, states);
        }
    }

    /// Tries to publish again each of `cells` still secondary, one at a time; returns those it published.
    fn prune_singles(&mut self, cells: Vec<usize>, states: &mut [CellState]) -> Vec<usize> {
        let mut published = Vec::new();
        for cell in cells {
            if self.exhausted() {
                break;
            }
            if states[cell] == CellState::Secondary {
                self.publish_if_safe(&[cell], states);
                if states[cell] == CellState::Published {
                    published.push(cell);
                }
            }
        }
        published
    }

    /// The secondary cells (as [`Search::secondary`] orders them) of the tables that hold a hidden neighbour of one
    /// of `published`.
    fn tables_around(&mut self, published: &[usize], states: &[CellState]) -> Vec<usize> {
        let neighbours: Vec<usize> = (self.system.links_of(published).into_iter())
            .flat_map(|l| self.system.links[l as usize].members.iter().map(|m| m.0))
            .filter(|&c| states[c] != CellState::Published)
            .collect();
        self.work += neighbours.len() as u64;
        let around: BTreeSet<usize> = neighbours.iter().flat_map(|&c| self.table_of(&[c], states)).collect();
        self.secondary(states).into_iter().filter(|c| around.contains(c)).collect()
    }

    /// Publishes again pairs of linked secondary cells, then linked groups, that the audit does not need together.
    fn prune_together(&mut self, states: &mut [CellState]) {
        for cell in self.secondary(states) {
            for other in self.linked_secondary(cell, states) {
                if !self.may_try() {
                    return;
                }
                if states[cell] == CellState::Secondary && states[other] == CellState::Secondary {
                    self.publish_if_safe(&[cell, other], states);
                }
            }
        }
        for group in self.groups(states) {
            if !self.may_try() {
                return;
            }
            if group.len() > 2 && group.len() <= GROUP_LIMIT {
                self.publish_if_safe(&group, states);
            }
        }
    }

    /// Whether the pair and group trials may go on ([`TRIALS_UP_TO_QUARTERS`]).
    fn may_try(&self) -> bool {
        self.spent() <= self.budget / 4 * TRIALS_UP_TO_QUARTERS
    }

    /// The secondary cells no other publication hides, the largest first.
    fn secondary(&self, states: &[CellState]) -> Vec<usize> {
        let mut secondary: Vec<usize> = (0..states.len())
            .filter(|&c| states[c] == CellState::Secondary && self.fixed.get(c) != Some(&Fixed::Hidden))
            .collect();
        let value = |c: usize| self.system.cells[c].value;
        secondary.sort_by(|&a, &b| value(b).total_cmp(&value(a)).then(b.cmp(&a)));
        secondary
    }

    /// The secondary cells (as [`Search::secondary`] gives them) that share a relation with `cell`, in index order.
    fn linked_secondary(&mut self, cell: usize, states: &[CellState]) -> Vec<usize> {
        let linked: BTreeSet<usize> = self
            .system
            .links_of(&[cell])
            .into_iter()
            .flat_map(|l| self.system.links[l as usize].members.iter().map(|m| m.0))
            .filter(|&c| c != cell && states[c] == CellState::Secondary && self.fixed.get(c) != Some(&Fixed::Hidden))
            .collect();
        self.work += linked.len() as u64;
        linked.into_iter().collect()
    }

    /// The secondary cells in groups linked by relations through secondary cells only (a primary cell does not
    /// link), each in index order.
    fn groups(&mut self, states: &[CellState]) -> Vec<Vec<usize>> {
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        let mut groups = Vec::new();
        for start in self.secondary(states) {
            if !seen.insert(start) {
                continue;
            }
            let (mut group, mut pending) = (vec![start], vec![start]);
            while let Some(next) = pending.pop() {
                for other in self.linked_secondary(next, states) {
                    if seen.insert(other) {
                        group.push(other);
                        pending.push(other);
                    }
                }
                if group.len() > GROUP_LIMIT {
                    break;
                }
            }
            group.sort_unstable();
            groups.push(group);
        }
        groups
    }

    /// Whether a relation of `cells` (an equation) has one hidden member left that must be protected: a reader finds
    /// it by subtraction, so its table cannot pass (the singleton rule), which is known without a linear program.
    /// Most trials of pairs failed so, at a cost of two programs per cell of their tables (a third of a full review's
    /// CPU on the national example).
    fn leaves_a_singleton(&mut self, cells: &[usize], states: &[CellState]) -> bool {
        for link in self.system.links_of(cells) {
            let link = &self.system.links[link as usize];
            if link.kind != Kind::Equal {
                continue;
            }
            self.work += link.members.len() as u64;
            let mut hidden = link.members.iter().map(|m| m.0).filter(|&c| states[c] != CellState::Published);
            if let (Some(only), None) = (hidden.next(), hidden.next())
                && matches!(states[only], CellState::Primary | CellState::Secondary)
                && !self.hopeless.contains(&only)
            {
                return true;
            }
        }
        false
    }

    /// Publishes `cells` again when every table around them still passes; otherwise hides them as before.
    fn publish_if_safe(&mut self, cells: &[usize], states: &mut [CellState]) {
        for &cell in cells {
            self.publish_again(cell, states);
        }
        if self.leaves_a_singleton(cells, states) {
            for &cell in cells {
                states[cell] = CellState::Secondary;
            }
            return;
        }
        // A relation that cannot bind once `cells` are published ([`super::System::binds`]) constrains no neighbour.
        let hidden = |c: usize| states[c] != CellState::Published;
        let neighbours: Vec<usize> = self
            .system
            .links_of(cells)
            .into_iter()
            .filter(|&l| self.system.binds(l as usize, &hidden))
            .flat_map(|l| self.system.links[l as usize].members.iter().map(|m| m.0))
            .filter(|&c| states[c] != CellState::Published)
            .collect();
        self.work += neighbours.len() as u64;
        let mut done: BTreeSet<usize> = BTreeSet::new();
        for &start in &neighbours {
            if done.contains(&start) {
                continue;
            }
            let table = self.table_of(&[start], states);
            done.extend(table.iter().copied());
            if !self.passes(&table, states, &neighbours) {
                for &cell in cells {
                    states[cell] = CellState::Secondary;
                }
                return;
            }
        }
    }
}
