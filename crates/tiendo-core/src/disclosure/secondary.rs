//! Secondary suppression: hide published cells until every hidden cell passes the audit, as few as the search can
//! find (fewest cells, then least total value), then publish again every secondary cell the audit does not need.
//!
//! The search works table by table (a table is a connected set of hidden cells: hidden cells that share no relation
//! do not constrain each other). For a table that fails, the candidates are the published cells in the relations of
//! its failing cells, cheapest first: the first single cell that makes the table pass is taken; else the cheapest
//! pair among the twelve cheapest candidates that does; else the candidate that leaves the fewest failing cells
//! (then the cheapest), and the search goes on. Hiding a cell only widens what a reader can work out of the other
//! hidden cells (a constant becomes a variable whose range holds it), so the cells that failed are checked first.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use super::audit::{EPSILON, Range, System};
use super::{CellState, Rules};

/// Pairs are tried among this many of the cheapest candidates.
const PAIR_CANDIDATES: usize = 12;

/// The final audit of a publication.
#[derive(Debug)]
pub(crate) struct FinalAudit {
    /// Hidden cells whose range is narrower than required (tables the search settled as failing).
    pub(crate) unprotected: usize,
    /// The cells of the tables the search could not settle before its work budget ran out.
    pub(crate) unsettled: Vec<usize>,
    pub(crate) tables: usize,
}

/// The state of the search: the audited tables (by their cells) and the cells nothing can protect.
#[derive(Debug)]
pub(crate) struct Search<'s, 'a> {
    system: &'s System<'a>,
    rules: &'s Rules,
    passes: HashMap<Vec<usize>, bool>,
    /// Cells whose a-priori range is already a single value: hiding more cannot widen it.
    hopeless: BTreeSet<usize>,
    solved: usize,
    /// Variables of the linear programs solved so far (see [`super::Rules::work_budget`]).
    work: usize,
    /// Scratch marks of [`Search::table_of`]: the current generation and each cell's last one.
    marks: RefCell<(u32, Vec<u32>)>,
}

impl<'s, 'a> Search<'s, 'a> {
    pub(crate) fn new(system: &'s System<'a>, rules: &'s Rules) -> Self {
        Search {
            system,
            rules,
            passes: HashMap::new(),
            hopeless: BTreeSet::new(),
            solved: 0,
            work: 0,
            marks: RefCell::new((0, Vec::new())),
        }
    }

    /// Whether the search has used up its budget.
    pub(crate) fn exhausted(&self) -> bool {
        self.work > self.rules.work_budget
    }

    /// Linear programs solved so far.
    pub(crate) fn linear_programs(&self) -> usize {
        self.solved
    }

    fn prior(&self, cell: usize, states: &[CellState]) -> Range {
        match states[cell] {
            CellState::Primary => self.rules.primary_prior(),
            _ => Range::non_negative(),
        }
    }

    /// The table (connected set of hidden cells, sorted) that holds each of `starts`, merged. A walk over the
    /// relations, marking cells with a generation number so that no set is built per call.
    fn table_of(&self, starts: &[usize], states: &[CellState]) -> Vec<usize> {
        let mut marks = self.marks.borrow_mut();
        let (generation, seen) = &mut *marks;
        if seen.len() != states.len() {
            *seen = vec![0; states.len()];
        }
        *generation = generation.wrapping_add(1);
        if *generation == 0 {
            seen.iter_mut().for_each(|m| *m = 0);
            *generation = 1;
        }
        let mut table: Vec<usize> = Vec::new();
        for &cell in starts.iter().filter(|&&c| states[c] != CellState::Published) {
            if seen[cell] != *generation {
                seen[cell] = *generation;
                table.push(cell);
            }
        }
        let mut next = 0;
        while next < table.len() {
            let cell = table[next];
            next += 1;
            for &link in &self.system.cell_links[cell] {
                for &(member, _) in &self.system.links[link as usize].members {
                    if states[member] != CellState::Published && seen[member] != *generation {
                        seen[member] = *generation;
                        table.push(member);
                    }
                }
            }
        }
        table.sort_unstable();
        table
    }

    /// Every table of the publication, in order of its first cell.
    fn tables(&self, states: &[CellState]) -> Vec<Vec<usize>> {
        let mut placed = vec![false; states.len()];
        let mut tables = Vec::new();
        for cell in 0..states.len() {
            if states[cell] == CellState::Published || placed[cell] {
                continue;
            }
            let table = self.table_of(&[cell], states);
            for &c in &table {
                placed[c] = true;
            }
            tables.push(table);
        }
        tables
    }

    /// The cells of `table` (sorted) that fail the audit, checking `first` before the others and stopping at the
    /// first failure when `all` is false.
    fn failing(&mut self, table: &[usize], states: &[CellState], first: &[usize], all: bool) -> Vec<usize> {
        let before = self.solved;
        let failing = self.failing_unbudgeted(table, states, first, all);
        self.work += (self.solved - before) * table.len();
        failing
    }

    fn failing_unbudgeted(&mut self, table: &[usize], states: &[CellState], first: &[usize], all: bool) -> Vec<usize> {
        let hidden = |c: usize| states[c] != CellState::Published;
        if let Some(position) = self.system.pinned_by_subtraction(table, &hidden)
            && !self.hopeless.contains(&table[position])
            && !all
        {
            return vec![table[position]];
        }
        let priors = table.iter().map(|&c| self.prior(c, states)).collect();
        let program = self.system.program(table, priors, &hidden);
        let order = first.iter().filter_map(|c| table.binary_search(c).ok()).chain(0..table.len());
        let mut checked = vec![false; table.len()];
        let mut failing = Vec::new();
        for position in order {
            if std::mem::replace(&mut checked[position], true) {
                continue;
            }
            let cell = table[position];
            let required = self.rules.protection.min(self.prior(cell, states).width());
            let wide = self.hopeless.contains(&cell)
                || program.wide_enough(position, self.system.cells[cell].value, required, &mut self.solved);
            if !wide {
                failing.push(table[position]);
                if !all {
                    break;
                }
            }
        }
        failing.sort_unstable();
        failing
    }

    /// How many of `cells` (all in `table`) still fail: only they are solved, so that weighing a candidate costs
    /// two linear programs per failing cell, not per cell of the table.
    fn still_failing(&mut self, table: &[usize], states: &[CellState], cells: &[usize]) -> usize {
        let hidden = |c: usize| states[c] != CellState::Published;
        let priors = table.iter().map(|&c| self.prior(c, states)).collect();
        let program = self.system.program(table, priors, &hidden);
        let before = self.solved;
        let left = cells
            .iter()
            .filter_map(|c| table.binary_search(c).ok())
            .filter(|&position| {
                let cell = table[position];
                let required = self.rules.protection.min(self.prior(cell, states).width());
                !program.wide_enough(position, self.system.cells[cell].value, required, &mut self.solved)
            })
            .count();
        self.work += (self.solved - before) * table.len();
        left
    }

    /// Whether every cell of `table` passes (remembered per table).
    fn passes(&mut self, table: &[usize], states: &[CellState], first: &[usize]) -> bool {
        if let Some(&known) = self.passes.get(table) {
            return known;
        }
        if self.exhausted() {
            return false;
        }
        let pass = self.failing(table, states, first, false).is_empty();
        self.passes.insert(table.to_vec(), pass);
        pass
    }

    /// Whether hiding `extra` makes every table that holds `failing` or `extra` pass (the states are restored).
    fn would_pass(&mut self, extra: &[usize], failing: &[usize], states: &mut [CellState]) -> bool {
        for &c in extra {
            states[c] = CellState::Secondary;
        }
        let mut pass = true;
        let mut done: BTreeSet<usize> = BTreeSet::new();
        for &start in failing.iter().chain(extra) {
            if done.contains(&start) {
                continue;
            }
            let table = self.table_of(&[start], states);
            done.extend(table.iter().copied());
            let first: Vec<usize> = failing.iter().chain(extra).copied().collect();
            if !self.passes(&table, states, &first) {
                pass = false;
                break;
            }
        }
        for &c in extra {
            states[c] = CellState::Published;
        }
        pass
    }

    /// Runs the search: hides cells until every table passes or nothing more can help.
    pub(crate) fn run(&mut self, states: &mut [CellState]) {
        let prior = self.rules.primary_prior();
        if prior.width() <= EPSILON {
            self.hopeless.extend((0..states.len()).filter(|&c| states[c] == CellState::Primary));
        }
        // Sweeps over the tables: each failing table is fixed until it passes (a fix can merge it with others, so
        // the table is walked again from its first cell), and sweeps repeat while anything changed.
        while !self.exhausted() {
            let mut changed = false;
            for table in self.tables(states) {
                let mut table = self.table_of(&table[..1], states);
                while !self.exhausted() && !self.passes(&table, states, &[]) {
                    let before = states.iter().filter(|s| **s == CellState::Secondary).count();
                    self.fix(&table, states);
                    changed = true;
                    if states.iter().filter(|s| **s == CellState::Secondary).count() == before {
                        break;
                    }
                    table = self.table_of(&table[..1], states);
                }
            }
            if !changed {
                break;
            }
        }
        if !self.exhausted() {
            self.prune(states);
        }
    }

    /// Hides one or two more cells for a failing table (or gives up on cells no published cell can help).
    fn fix(&mut self, table: &[usize], states: &mut [CellState]) {
        let failing = self.failing(table, states, &[], true);
        let mut candidates: Vec<usize> = self
            .system
            .links_of(&failing)
            .into_iter()
            .flat_map(|l| self.system.links[l as usize].members.iter().map(|m| m.0))
            .filter(|&c| states[c] == CellState::Published)
            .collect::<BTreeSet<usize>>()
            .into_iter()
            .collect();
        let value = |c: usize| self.system.cells[c].value;
        candidates.sort_by(|&a, &b| value(a).total_cmp(&value(b)).then(a.cmp(&b)));
        if candidates.is_empty() {
            self.hopeless.extend(failing);
            self.passes.clear();
            return;
        }
        for &candidate in &candidates {
            if self.would_pass(&[candidate], &failing, states) {
                states[candidate] = CellState::Secondary;
                return;
            }
        }
        let cheapest = &candidates[..candidates.len().min(PAIR_CANDIDATES)];
        let mut pairs: Vec<(usize, usize)> = (0..cheapest.len())
            .flat_map(|i| (i + 1..cheapest.len()).map(move |j| (cheapest[i], cheapest[j])))
            .collect();
        pairs.sort_by(|a, b| (value(a.0) + value(a.1)).total_cmp(&(value(b.0) + value(b.1))).then(a.cmp(b)));
        for (a, b) in pairs {
            if self.would_pass(&[a, b], &failing, states) {
                states[a] = CellState::Secondary;
                states[b] = CellState::Secondary;
                return;
            }
        }
        // No pair is enough: take the cell that leaves the fewest failing cells, then the cheapest.
        let mut best: Option<(usize, usize)> = None;
        for &candidate in &candidates {
            states[candidate] = CellState::Secondary;
            let merged = self.table_of(&[candidate], states);
            let left = self.still_failing(&merged, states, &failing);
            states[candidate] = CellState::Published;
            if best.is_none_or(|(fewest, _)| left < fewest) {
                best = Some((left, candidate));
            }
        }
        if let Some((_, candidate)) = best {
            states[candidate] = CellState::Secondary;
        }
    }

    /// Publishes again every secondary cell the audit does not need, the largest first.
    fn prune(&mut self, states: &mut [CellState]) {
        let mut secondary: Vec<usize> = (0..states.len()).filter(|&c| states[c] == CellState::Secondary).collect();
        let value = |c: usize| self.system.cells[c].value;
        secondary.sort_by(|&a, &b| value(b).total_cmp(&value(a)).then(b.cmp(&a)));
        for cell in secondary {
            states[cell] = CellState::Published;
            let neighbours: Vec<usize> = self
                .system
                .links_of(&[cell])
                .into_iter()
                .flat_map(|l| self.system.links[l as usize].members.iter().map(|m| m.0))
                .filter(|&c| states[c] != CellState::Published)
                .collect();
            let mut done: BTreeSet<usize> = BTreeSet::new();
            let mut pass = true;
            for &start in &neighbours {
                if done.contains(&start) {
                    continue;
                }
                let table = self.table_of(&[start], states);
                done.extend(table.iter().copied());
                if !self.passes(&table, states, &neighbours) {
                    pass = false;
                    break;
                }
            }
            if !pass {
                states[cell] = CellState::Secondary;
            }
        }
    }

    /// The audit of the final publication: how many hidden cells are not protected (only tables that failed are
    /// solved again), and the number of tables.
    pub(crate) fn audit_all(&mut self, states: &[CellState]) -> FinalAudit {
        let tables = self.tables(states);
        let mut unprotected = 0;
        let mut unsettled = Vec::new();
        for table in &tables {
            if self.exhausted() && !self.passes.get(table).copied().unwrap_or(false) {
                unsettled.extend_from_slice(table);
                continue;
            }
            if !self.passes(table, states, &[]) || table.iter().any(|c| self.hopeless.contains(c)) {
                let hopeless = std::mem::take(&mut self.hopeless);
                unprotected += self.failing(table, states, &[], true).len();
                self.hopeless = hopeless;
            }
        }
        FinalAudit { unprotected, unsettled, tables: tables.len() }
    }

    /// The feasible range of every hidden cell (`None` for published cells), two linear programs each.
    pub(crate) fn ranges(&mut self, states: &[CellState]) -> Vec<Option<Range>> {
        let mut ranges = vec![None; states.len()];
        for table in self.tables(states) {
            let hidden = |c: usize| states[c] != CellState::Published;
            let priors = table.iter().map(|&c| self.prior(c, states)).collect();
            let program = self.system.program(&table, priors, &hidden);
            for (position, &cell) in table.iter().enumerate() {
                ranges[cell] = Some(program.range(position, &mut self.solved));
            }
        }
        ranges
    }
}
