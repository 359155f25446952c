//! Secondary suppression: hide published cells until every hidden cell passes the audit, as few as the search can
//! find (fewest cells, then least total value), then publish again every secondary cell the audit does not need.
//!
//! The search works table by table (a table is a connected set of hidden cells: hidden cells that share no relation
//! do not constrain each other). For a table that fails, the candidates are the published cells in the relations of
//! its failing cells, cheapest first: the first single cell that makes the table pass is taken; else the cheapest
//! pair among the twelve cheapest candidates that does; else the published cells of the failing cells' cheapest
//! movements (a rectangle of two units and two periods); else the candidate that leaves the fewest failing cells
//! (then the cheapest), and the search goes on. Hiding a cell only widens what a reader can work out of the other
//! hidden cells (a constant becomes a variable whose range holds it), so the cells that failed are checked first.

use std::cell::{Cell as Counter, RefCell};
mod final_audit;
mod fix;
mod prune;

use std::collections::{BTreeSet, HashMap};

use super::audit::{EPSILON, Program, Range, System};
use super::local::{self, Marks};
use super::witness::Witnesses;
use super::{CellState, Fixed, Rules};

/// Pairs are tried among this many of the cheapest candidates.
const PAIR_CANDIDATES: usize = 12;

/// Failing tables with more hidden cells than this, and more than one failing cell, are fixed cell by cell first
/// ([`Search::fix_each`]); smaller ones, and a single failing cell, weigh each candidate against the whole table.
const EACH_FROM: usize = 64;

/// Candidates tried per failing cell when several cells of a table fail ([`Search::fix_each`]).
const EACH_CANDIDATES: usize = 16;

/// Pairs are tried among this many of a failing cell's first candidates when no single one shows it wide enough
/// ([`Search::fix_each`]).
const EACH_PAIR_CANDIDATES: usize = 6;

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
    /// Steps of work so far, besides table walks (see [`super::Rules::work_budget`]).
    work: u64,
    /// The most steps the search may take ([`super::Rules::budget_for`]).
    budget: u64,
    /// Steps of the table walks so far (cells and relation members visited).
    walked: Counter<u64>,
    /// Scratch marks of [`Search::table_of`]: the current generation, each cell's last one and each relation's.
    marks: RefCell<(u32, Vec<u32>, Vec<u32>)>,
    /// Scratch marks of the neighbourhoods ([`local::neighbourhood`]).
    local_marks: Marks,
    /// The feasible points found so far, which keep showing cells wide enough while they hold.
    witnesses: Witnesses,
    /// Whether large tables try neighbourhoods before their own programs (off only in tests).
    pub(crate) neighbourhoods: bool,
    /// Failing tables with more hidden cells than this (and several failing cells) are fixed cell by cell first
    /// ([`EACH_FROM`] unless a test asks for less).
    pub(crate) each_from: usize,
    /// What another publication decided about each cell ([`super::protect_keeping`]); empty when nothing.
    pub(crate) fixed: Vec<Fixed>,
    /// Per cell hidden by that other publication, the width of the range it leaves a reader (with what this one
    /// tells of its small counts, [`super::protect_keeping`]): this one may not narrow it. Empty when nothing.
    pub(crate) kept_widths: Vec<f64>,
}

impl<'s, 'a> Search<'s, 'a> {
    /// The search over `system` under `rules`, which may take `budget` steps ([`super::Rules::budget_for`]).
    pub(crate) fn new(system: &'s System<'a>, rules: &'s Rules, budget: u64) -> Self {
        Search {
            system,
            rules,
            budget,
            passes: HashMap::new(),
            hopeless: BTreeSet::new(),
            solved: 0,
            work: 0,
            walked: Counter::new(0),
            marks: RefCell::new((0, Vec::new(), Vec::new())),
            local_marks: Marks::default(),
            witnesses: Witnesses::new(system.cells, &system.on_lattice),
            neighbourhoods: true,
            each_from: EACH_FROM,
            fixed: Vec::new(),
            kept_widths: Vec::new(),
        }
    }

    /// Whether `cell` is published and may be hidden as a secondary cell (another publication does not show it).
    fn may_hide(&self, cell: usize, states: &[CellState]) -> bool {
        states[cell] == CellState::Published && self.fixed.get(cell) != Some(&Fixed::Published)
    }

    /// All the work so far, in steps.
    fn spent(&self) -> u64 {
        self.work + self.walked.get()
    }

    /// Whether the search has used up its budget.
    pub(crate) fn exhausted(&self) -> bool {
        self.spent() > self.budget
    }

    /// Linear programs solved so far.
    pub(crate) fn linear_programs(&self) -> usize {
        self.solved
    }

    /// Steps of work done so far (see [`super::Rules::work_budget`]).
    pub(crate) fn work(&self) -> u64 {
        self.spent()
    }

    /// What a reader knows of hidden `cell` a priori ([`super::Rules::prior`]).
    fn prior(&self, cell: usize, states: &[CellState]) -> Range {
        self.rules.prior(&self.system.cells[cell], states[cell])
    }

    /// The range a hidden cell must have: the protection range, or its whole prior where that is narrower; and no
    /// narrower than another publication of the same figures leaves it ([`Search::kept_widths`]).
    fn required(&self, cell: usize, states: &[CellState]) -> f64 {
        let own = self.rules.protection.min(self.prior(cell, states).width());
        self.kept_widths.get(cell).map_or(own, |&kept| own.max(kept))
    }

    /// The table (connected set of hidden cells, sorted) that holds each of `starts`, merged. A walk over the
    /// relations, marking cells with a generation number so that no set is built per call; its steps count in the
    /// budget.
    fn table_of(&self, starts: &[usize], states: &[CellState]) -> Vec<usize> {
        let mut marks = self.marks.borrow_mut();
        let (generation, seen, walked_links) = &mut *marks;
        if seen.len() != states.len() || walked_links.len() != self.system.links.len() {
            *seen = vec![0; states.len()];
            *walked_links = vec![0; self.system.links.len()];
        }
        *generation = generation.wrapping_add(1);
        if *generation == 0 {
            seen.iter_mut().for_each(|m| *m = 0);
            walked_links.iter_mut().for_each(|m| *m = 0);
            *generation = 1;
        }
        let mut table: Vec<usize> = Vec::new();
        for &cell in starts.iter().filter(|&&c| states[c] != CellState::Published) {
            if seen[cell] != *generation {
                seen[cell] = *generation;
                table.push(cell);
            }
        }
        let mut steps = starts.len() as u64;
        let mut next = 0;
        while next < table.len() {
            let cell = table[next];
            next += 1;
            for &link in &self.system.cell_links[cell] {
                // Each relation is read once per walk (a province's relation holds hundreds of communes).
                steps += 1;
                if std::mem::replace(&mut walked_links[link as usize], *generation) == *generation
                    || !self.system.binds(link as usize, &|c| states[c] != CellState::Published)
                {
                    continue;
                }
                let members = &self.system.links[link as usize].members;
                steps += members.len() as u64;
                for &(member, _) in members {
                    if states[member] != CellState::Published && seen[member] != *generation {
                        seen[member] = *generation;
                        table.push(member);
                    }
                }
            }
        }
        table.sort_unstable();
        self.walked.set(self.walked.get() + steps + table.len() as u64);
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
        self.walked.set(self.walked.get() + states.len() as u64);
        tables
    }

    /// The linear program of a whole table.
    fn program(&self, table: &[usize], states: &[CellState]) -> Program {
        let hidden = |c: usize| states[c] != CellState::Published;
        let priors = table.iter().map(|&c| self.prior(c, states)).collect();
        self.system.program(table, priors, &hidden)
    }

    /// Counts a program's work and keeps the feasible points it found (`cells`: its cells by position).
    fn absorb(&mut self, program: &Program, cells: &[usize]) {
        self.work += program.take_work();
        for point in program.take_points() {
            self.work += self.witnesses.record(cells, &point);
        }
    }

    /// The cells of `table` (sorted) that fail the audit, checking `first` before the others and stopping at the
    /// first failure when `all` is false; `None` when the work budget ran out before the table was settled.
    fn failing(&mut self, table: &[usize], states: &[CellState], first: &[usize], all: bool) -> Option<Vec<usize>> {
        let program = self.program(table, states);
        self.absorb(&program, table);
        if let Some(position) = program.pinned_by_subtraction()
            && !self.hopeless.contains(&table[position])
            && states[table[position]] != CellState::Latent
            && !all
        {
            return Some(vec![table[position]]);
        }
        let order = first.iter().filter_map(|c| table.binary_search(c).ok()).chain(0..table.len());
        if !all && let Some(cell) = self.failing_cheaply(&program, table, states, order.clone()) {
            return Some(vec![cell]);
        }
        let mut checked = vec![false; table.len()];
        let mut failing = Vec::new();
        for position in order {
            if std::mem::replace(&mut checked[position], true) {
                continue;
            }
            let cell = table[position];
            if self.hopeless.contains(&cell) || states[cell] == CellState::Latent {
                continue;
            }
            let required = self.required(cell, states);
            if self.witnesses.wide(cell, required) {
                continue;
            }
            if !self.settle(&program, table, position, required, states)? {
                failing.push(cell);
                if !all {
                    break;
                }
            }
        }
        failing.sort_unstable();
        Some(failing)
    }

    /// The first cell of `table` (positions in `order`) that the steps without a solver show too narrow
    /// ([`Program::settled_cheaply`]), if any. Run before any linear program when one failing cell is enough: the
    /// programs that show the other cells wide would be wasted on a table that fails anyway (a candidate that does not
    /// fix the table is published again, and the points its programs found no longer hold).
    fn failing_cheaply(
        &mut self,
        program: &Program,
        table: &[usize],
        states: &[CellState],
        order: impl Iterator<Item = usize>,
    ) -> Option<usize> {
        let mut found = None;
        for position in order {
            let cell = table[position];
            let required = self.required(cell, states);
            // Cells the kept points show wide are skipped, as the full check skips them: a table they all cover
            // costs no propagation here either (a commune table holds thousands of cells).
            if self.hopeless.contains(&cell) || states[cell] == CellState::Latent || self.witnesses.wide(cell, required)
            {
                continue;
            }
            if program.settled_cheaply(position, required) == Some(false) {
                found = Some(cell);
                break;
            }
        }
        self.absorb(program, table);
        found
    }

    /// Whether the cell at `position` of `table` is at least `required` wide, by the cheapest means that decides:
    /// the rules of [`Program::settled_cheaply`], then (in a large table) neighbourhoods of it with every other cell
    /// held at its true value ([`local`]), then the table's own linear programs. `None` when the work budget ran out
    /// first.
    fn settle(
        &mut self,
        program: &Program,
        table: &[usize],
        position: usize,
        required: f64,
        states: &[CellState],
    ) -> Option<bool> {
        let cell = table[position];
        let value = self.system.cells[cell].value;
        let cheap = program.settled_cheaply(position, required);
        self.absorb(program, table);
        if let Some(settled) = cheap {
            return Some(settled);
        }
        if self.neighbourhoods && table.len() > local::LOCAL_FROM && self.near_wide(cell, required, states, false) {
            return Some(true);
        }
        // The table's own programs: at most a handful, each costing about `one_program_work`.
        if self.spent().saturating_add(program.one_program_work()) > self.budget {
            self.work = self.work.max(self.budget.saturating_add(1));
            return None;
        }
        let wide = program.wide_enough(position, value, required, &mut self.solved);
        self.absorb(program, table);
        Some(wide)
    }

    /// Whether neighbourhoods of `cell` ([`local`]), every hidden cell outside them held at its true value, show it
    /// at least `required` wide: `true` is a proof (their feasible points are feasible points of the whole
    /// publication), `false` concludes nothing. A neighbourhood that is the whole table is solved only when `whole`
    /// is set (the caller has no cheaper way to the table's own programs).
    fn near_wide(&mut self, cell: usize, required: f64, states: &[CellState], whole: bool) -> bool {
        let value = self.system.cells[cell].value;
        let hidden = |c: usize| states[c] != CellState::Published;
        for level in local::LEVELS {
            let around = local::neighbourhood(self.system, cell, &hidden, level, &mut self.local_marks);
            self.work += around.work;
            if (around.whole && !whole) || self.exhausted() {
                return false;
            }
            let Ok(at) = around.cells.binary_search(&cell) else { return false };
            let priors = around.cells.iter().map(|&c| self.prior(c, states)).collect();
            let near = self.system.local_program(&around.cells, priors);
            let wide = near
                .settled_cheaply(at, required)
                .unwrap_or_else(|| near.extremes_wide(at, value, required, &mut self.solved));
            self.absorb(&near, &around.cells);
            if wide {
                return true;
            }
            if around.whole {
                return false;
            }
        }
        false
    }

    /// How many of `cells` (all in `table`) still fail: only they are solved, so that weighing a candidate costs
    /// two linear programs per failing cell, not per cell of the table (all of them when the budget runs out).
    fn still_failing(&mut self, table: &[usize], states: &[CellState], cells: &[usize]) -> usize {
        let program = self.program(table, states);
        self.absorb(&program, table);
        let mut left = 0;
        for position in cells.iter().filter_map(|c| table.binary_search(c).ok()) {
            let cell = table[position];
            let required = self.required(cell, states);
            if states[cell] == CellState::Latent || self.witnesses.wide(cell, required) {
                continue;
            }
            match self.settle(&program, table, position, required, states) {
                Some(true) => {}
                Some(false) => left += 1,
                None => return cells.len(),
            }
        }
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
        let Some(failing) = self.failing(table, states, first, false) else { return false };
        let pass = failing.is_empty();
        self.passes.insert(table.to_vec(), pass);
        pass
    }

    /// Publishes `cell` again after a trial or in pruning: the feasible points that moved it no longer hold.
    fn publish_again(&mut self, cell: usize, states: &mut [CellState]) {
        states[cell] = CellState::Published;
        self.work += self.witnesses.published_again(cell);
    }

    /// Hides `extra` when that makes every table that holds `failing` or `extra` pass, and says whether it did (the
    /// states are restored otherwise).
    fn try_hide(&mut self, extra: &[usize], failing: &[usize], states: &mut [CellState]) -> bool {
        for &c in extra {
            states[c] = CellState::Secondary;
        }
        let mut pass = true;
        let mut done: BTreeSet<usize> = BTreeSet::new();
        let first: Vec<usize> = failing.iter().chain(extra).copied().collect();
        for &start in &first {
            if done.contains(&start) {
                continue;
            }
            let table = self.table_of(&[start], states);
            done.extend(table.iter().copied());
            if !self.passes(&table, states, &first) {
                pass = false;
                break;
            }
        }
        if !pass {
            for &c in extra {
                self.publish_again(c, states);
            }
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
                    changed = true;
                    if !self.fix(&table, states) {
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
}
