//! How the search fixes a failing table: the candidates (published cells that share a relation with a failing
//! cell, or one relation further for a figure whose width is kept), singles then pairs, each with its published
//! twins, cell by cell in large tables, and the cheapest movement of a narrow cell.

use std::collections::BTreeSet;

use super::super::audit::{EPSILON, Kind};
use super::super::{CellState, Fixed, movement};
use super::{EACH_CANDIDATES, EACH_PAIR_CANDIDATES, PAIR_CANDIDATES, Search};

impl Search<'_, '_> {
    /// The published cells that share a relation with one of `cells` and may be hidden, in index order; a relation
    /// that cannot bind ([`super::System::binds`]) offers none.
    fn candidates(&mut self, cells: &[usize], states: &[CellState]) -> Vec<usize> {
        let hidden = |c: usize| states[c] != CellState::Published;
        let candidates: Vec<usize> = self
            .system
            .links_of(cells)
            .into_iter()
            .filter(|&l| self.system.binds(l as usize, &hidden))
            .flat_map(|l| self.system.links[l as usize].members.iter().map(|m| m.0))
            .filter(|&c| self.may_hide(c, states))
            .collect::<BTreeSet<usize>>()
            .into_iter()
            .collect();
        self.work += candidates.len() as u64;
        candidates
    }

    /// Hides one or two more cells for a failing table (or gives up on cells no published cell can help); returns
    /// whether it hid any.
    pub(super) fn fix(&mut self, table: &[usize], states: &mut [CellState]) -> bool {
        let Some(failing) = self.failing(table, states, &[], true) else { return false };
        let mut candidates = self.candidates(&failing, states);
        let keeps_width = |c: &usize| self.kept_widths.get(*c).is_some_and(|&width| width > 0.0);
        let partial = |c: &usize| self.fixed.get(*c) == Some(&Fixed::Unshown) && self.system.cell_links[*c].len() == 1;
        if candidates.is_empty() && failing.iter().any(|c| keeps_width(c) || partial(c)) {
            // A figure another publication hides, whose width this one keeps, and whose relations are hidden or
            // kept as the other shows them, or a count no output shows whose one relation is its own hidden parts
            // (what a unit reported in part of a period): the cells one relation further, through the hidden cells
            // of the table, can still move (a commune's quarter, whose months are its district's hidden months;
            // methodology section 7). Only for those: elsewhere it hid cells by the dozen for cells no hiding helps.
            candidates = self.candidates(table, states);
        }
        let value = |c: usize| self.system.cells[c].value;
        candidates.sort_by(|&a, &b| value(a).total_cmp(&value(b)).then(a.cmp(&b)));
        if candidates.is_empty() {
            self.hopeless.extend(failing);
            self.passes.clear();
            return false;
        }
        if failing.len() > 1 && table.len() > self.each_from && self.fix_each(&failing, states) {
            return true;
        }
        let singles: Vec<Vec<usize>> = candidates.iter().map(|&c| vec![c]).collect();
        if self.try_each(&singles, &failing, states) {
            return true;
        }
        let cheapest = &candidates[..candidates.len().min(PAIR_CANDIDATES)];
        let mut pairs: Vec<(usize, usize)> = (0..cheapest.len())
            .flat_map(|i| (i + 1..cheapest.len()).map(move |j| (cheapest[i], cheapest[j])))
            .collect();
        pairs.sort_by(|a, b| (value(a.0) + value(a.1)).total_cmp(&(value(b.0) + value(b.1))).then(a.cmp(b)));
        let pairs: Vec<Vec<usize>> = pairs.into_iter().map(|(a, b)| vec![a, b]).collect();
        if self.try_each(&pairs, &failing, states) {
            return true;
        }
        // No pair is enough: the cells the cheapest movements of the failing cells need. A rectangle of two units
        // and two periods hid three cells where taking one cell at a time hid seven; on the national example 239
        // secondary cells against 241, with less work.
        let mut moved = false;
        for &cell in &failing {
            if self.exhausted() {
                break;
            }
            let required = self.required(cell, states);
            moved |= self.move_apart(cell, required, states);
        }
        if moved {
            return true;
        }
        // No movement either: take the cell that leaves the fewest failing cells, then the cheapest.
        let mut best: Option<(usize, usize)> = None;
        for &candidate in &candidates {
            states[candidate] = CellState::Secondary;
            let merged = self.table_of(&[candidate], states);
            let left = self.still_failing(&merged, states, &failing);
            self.publish_again(candidate, states);
            if best.is_none_or(|(fewest, _)| left < fewest) {
                best = Some((left, candidate));
            }
        }
        match best {
            Some((_, candidate)) => {
                states[candidate] = CellState::Secondary;
                true
            }
            None => false,
        }
    }

    /// Hides the first of `trials` that makes every table holding `failing` pass, trying each on its own first and
    /// then, where that is not enough, each with its published twins ([`Search::with_twins`]): hidden beside a twin,
    /// a cell is read off it (a province's month and the country's, where the province is the only one reporting),
    /// so without them every trial can fail and the search hide cells one by one until a whole year is hidden.
    /// Returns whether it hid any.
    fn try_each(&mut self, trials: &[Vec<usize>], failing: &[usize], states: &mut [CellState]) -> bool {
        for extra in trials {
            if self.try_hide(extra, failing, states) {
                return true;
            }
        }
        for extra in trials {
            let with_twins = self.with_twins(extra, states);
            if with_twins.len() > extra.len() && self.try_hide(&with_twins, failing, states) {
                return true;
            }
        }
        false
    }

    /// Several cells of a large table fail: each is fixed on its own, since no one cell can fix them all (a table of
    /// thousands of commune cells has hundreds of cells pinned by a quarter and its half, each in a different place),
    /// and weighing a candidate against the whole table costs a walk and a program of thousands of cells.
    /// For each failing cell not yet shown wide, its relations are taken with the fewest hidden members first (a
    /// cell alone hidden in a relation is found by subtraction, and only hiding another member of that relation can
    /// help: the singleton rule of Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, ch. 4 on secondary cell suppression,
    /// and of the τ-Argus manual), and in each the published members, cheapest first, are hidden one at a time
    /// until a neighbourhood shows the cell wide enough ([`Search::near_wide`], a proof); then pairs among the first
    /// [`EACH_PAIR_CANDIDATES`]. Each candidate is tried with its published twins ([`Search::with_twins`]). At most
    /// [`EACH_CANDIDATES`] candidates are tried per cell. Returns whether it hid any (when none, the caller weighs
    /// candidates against the whole table); the sweep then audits the table again, and [`Search::prune`]
    /// publishes again whatever the final audit does not need.
    fn fix_each(&mut self, failing: &[usize], states: &mut [CellState]) -> bool {
        let mut hid = false;
        for &cell in failing {
            if self.exhausted() {
                break;
            }
            let required = self.required(cell, states);
            if self.near_wide(cell, required, states, false) {
                continue;
            }
            let hidden = |c: usize| states[c] != CellState::Published;
            let mut links: Vec<(usize, usize, u32)> = self.system.cell_links[cell]
                .iter()
                .filter(|&&l| self.system.binds(l as usize, &hidden))
                .map(|&l| {
                    let members = &self.system.links[l as usize].members;
                    let hidden = members.iter().filter(|m| states[m.0] != CellState::Published).count();
                    (hidden, members.len(), l)
                })
                .collect();
            links.sort_unstable();
            let mut candidates: Vec<usize> = Vec::new();
            for &(_, _, link) in &links {
                let members = &self.system.links[link as usize].members;
                self.work += members.len() as u64;
                let mut published: Vec<usize> = members
                    .iter()
                    .map(|m| m.0)
                    .filter(|&c| self.may_hide(c, states) && !candidates.contains(&c))
                    .collect();
                let value = |c: usize| self.system.cells[c].value;
                published.sort_by(|&a, &b| value(a).total_cmp(&value(b)).then(a.cmp(&b)));
                candidates.extend(published);
                if candidates.len() >= EACH_CANDIDATES {
                    break;
                }
            }
            candidates.truncate(EACH_CANDIDATES);
            let singles = candidates.iter().map(|&c| vec![c]);
            let few = &candidates[..candidates.len().min(EACH_PAIR_CANDIDATES)];
            let pairs = (0..few.len()).flat_map(|i| (i + 1..few.len()).map(move |j| vec![few[i], few[j]]));
            let trials: Vec<Vec<usize>> = singles.chain(pairs).map(|extra| self.with_twins(&extra, states)).collect();
            let mut fixed = false;
            for extra in trials {
                if self.exhausted() {
                    break;
                }
                for &c in &extra {
                    states[c] = CellState::Secondary;
                }
                if self.near_wide(cell, required, states, true) {
                    fixed = true;
                    break;
                }
                for &c in &extra {
                    self.publish_again(c, states);
                }
            }
            // No few cells of its own relations show it wide from a neighbourhood: the cells its cheapest movement
            // needs (a chain through other relations, such as the rectangle of two units and two periods).
            fixed = fixed || (!self.exhausted() && self.move_apart(cell, required, states));
            hid |= fixed;
        }
        hid
    }

    /// Hides the published cells that the cheapest movements of `cell` ([`movement::cheapest`]) move, up and down
    /// by `required` in all, within what a reader knows of it a priori; the moved points are kept as witnesses, so
    /// the cell is then shown wide enough. Returns whether it hid any; nothing is hidden when either movement is
    /// impossible in the neighbourhood.
    fn move_apart(&mut self, cell: usize, required: f64, states: &mut [CellState]) -> bool {
        let value = self.system.cells[cell].value;
        let prior = self.prior(cell, states);
        let up = required.min(prior.high - value).max(0.0);
        let down = required - up;
        if down > value - prior.low + EPSILON {
            return false;
        }
        let mut found = Vec::new();
        for delta in [up, -down] {
            if delta.abs() <= EPSILON {
                continue;
            }
            let (rules, cells, mut marks) = (self.rules, self.system.cells, std::mem::take(&mut self.local_marks));
            // A published cell the movement hides is then a secondary cell, with that prior.
            let rules_prior = |c: usize| match states[c] {
                CellState::Published => rules.prior(&cells[c], CellState::Secondary),
                state => rules.prior(&cells[c], state),
            };
            let mut work = 0;
            let movement = movement::cheapest(
                self.system,
                (cell, delta),
                (states, &self.fixed),
                &rules_prior,
                &mut marks,
                (&mut self.solved, &mut work),
            );
            self.local_marks = marks;
            self.work += work;
            match movement {
                Some(movement) => found.push(movement),
                None => return false,
            }
        }
        let mut hid = false;
        for movement in &found {
            for &c in &movement.hide {
                if states[c] == CellState::Published {
                    states[c] = CellState::Secondary;
                    hid = true;
                }
            }
        }
        for movement in found {
            if movement::holds(self.system, &movement, &|c| self.prior(c, states), states) {
                self.work += self.witnesses.record(&movement.cells, &movement.values);
            }
        }
        hid
    }

    /// `cells` with their published twins: the cells equal to one of them by a relation of two members ("a unit =
    /// its only predecessor", "a period = its only sub-period in the run"), followed transitively. A cell hidden
    /// without its published twin is read off the twin, so a candidate is tried with its twins.
    fn with_twins(&mut self, cells: &[usize], states: &[CellState]) -> Vec<usize> {
        let mut out: Vec<usize> = cells.to_vec();
        let mut next = 0;
        while next < out.len() {
            let cell = out[next];
            next += 1;
            for &link in &self.system.cell_links[cell] {
                let link = &self.system.links[link as usize];
                self.work += 1;
                if link.members.len() != 2 || link.kind != Kind::Equal {
                    continue;
                }
                for &(twin, _) in &link.members {
                    if self.may_hide(twin, states) && !out.contains(&twin) {
                        out.push(twin);
                    }
                }
            }
        }
        out
    }
}
