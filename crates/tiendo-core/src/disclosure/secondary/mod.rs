//! Secondary suppression: hide published cells until every hidden cell passes the audit, as few as the search can
//! find (fewest cells, then least total value), then publish again every secondary cell the audit does not need.
//!
//! The search works table by table (a table is a connected set of hidden cells: hidden cells that share no relation
//! do not constrain each other). For a table that fails, the candidates are the published cells in the relations of
//! its failing cells, cheapest first: the first single cell that makes the table pass is taken; else the cheapest
//! pair among the twelve cheapest candidates that does; else the candidate that leaves the fewest failing cells
//! (then the cheapest), and the search goes on. Hiding a cell only widens what a reader can work out of the other
//! hidden cells (a constant becomes a variable whose range holds it), so the cells that failed are checked first.

use std::cell::{Cell as Counter, RefCell};
use std::collections::{BTreeSet, HashMap};

use super::audit::{EPSILON, Kind, Program, Range, System};
use super::local::{self, Marks};
use super::movement;
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
            witnesses: Witnesses::new(system.cells),
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

    fn prior(&self, cell: usize, states: &[CellState]) -> Range {
        match states[cell] {
            CellState::Primary => self.rules.primary_prior(),
            _ => Range::non_negative(),
        }
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
                if std::mem::replace(&mut walked_links[link as usize], *generation) == *generation {
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

    /// The published cells that share a relation with one of `cells` and may be hidden, in index order.
    fn candidates(&mut self, cells: &[usize], states: &[CellState]) -> Vec<usize> {
        let candidates: Vec<usize> = self
            .system
            .links_of(cells)
            .into_iter()
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
    fn fix(&mut self, table: &[usize], states: &mut [CellState]) -> bool {
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
        // No pair is enough: take the cell that leaves the fewest failing cells, then the cheapest.
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
            let mut links: Vec<(usize, usize, u32)> = self.system.cell_links[cell]
                .iter()
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
            let (rules, mut marks) = (self.rules, std::mem::take(&mut self.local_marks));
            let rules_prior = |c: usize| match states[c] {
                CellState::Primary => rules.primary_prior(),
                _ => Range::non_negative(),
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

    /// Publishes again every secondary cell the audit does not need, the largest first.
    fn prune(&mut self, states: &mut [CellState]) {
        // A cell another publication hides stays hidden.
        let mut secondary: Vec<usize> = (0..states.len())
            .filter(|&c| states[c] == CellState::Secondary && self.fixed.get(c) != Some(&Fixed::Hidden))
            .collect();
        let value = |c: usize| self.system.cells[c].value;
        secondary.sort_by(|&a, &b| value(b).total_cmp(&value(a)).then(b.cmp(&a)));
        for cell in secondary {
            if self.exhausted() {
                return;
            }
            self.publish_again(cell, states);
            let neighbours: Vec<usize> = self
                .system
                .links_of(&[cell])
                .into_iter()
                .flat_map(|l| self.system.links[l as usize].members.iter().map(|m| m.0))
                .filter(|&c| states[c] != CellState::Published)
                .collect();
            self.work += neighbours.len() as u64;
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
    /// solved again), and the number of tables. A table the budget did not let the search settle is unsettled.
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
                match self.failing(table, states, &[], true) {
                    Some(failing) => unprotected += failing.len(),
                    None => unsettled.extend_from_slice(table),
                }
                self.hopeless = hopeless;
            }
        }
        // A table of latent cells alone (every period around them published) hides nothing.
        let tables = tables.iter().filter(|t| t.iter().any(|&c| states[c] != CellState::Latent)).count();
        FinalAudit { unprotected, unsettled, tables }
    }

    /// How many of `cells` (hidden, after the blocks around them were withheld) are shown narrower than required
    /// without a solver ([`Program::settled_cheaply`]: the prior, the closed form of one relation, or propagated
    /// outer bounds, each a proof): used when the budget ran out, to count what withholding cannot protect. Costs a
    /// walk and one propagation per block, beyond the budget.
    pub(crate) fn certainly_narrow(&mut self, cells: &[usize], states: &[CellState]) -> usize {
        let mut done: BTreeSet<usize> = BTreeSet::new();
        let mut narrow = 0;
        for &start in cells {
            if done.contains(&start) || states[start] == CellState::Published {
                continue;
            }
            let table = self.table_of(&[start], states);
            done.extend(table.iter().copied());
            let program = self.program(&table, states);
            for (position, &cell) in table.iter().enumerate().filter(|(_, c)| states[**c] != CellState::Latent) {
                let required = self.required(cell, states);
                narrow += usize::from(program.settled_cheaply(position, required) == Some(false));
            }
            self.absorb(&program, &table);
        }
        narrow
    }

    /// The feasible range of every hidden cell (`None` for published cells), two linear programs each.
    pub(crate) fn ranges(&mut self, states: &[CellState]) -> Vec<Option<Range>> {
        let hidden: Vec<usize> = (0..states.len()).filter(|&c| states[c] != CellState::Published).collect();
        self.ranges_of(states, &hidden)
    }

    /// The feasible range of each of the hidden `cells` (`None` for the others, and for those not reached within
    /// the search's budget): two linear programs each, over the tables that hold them only.
    pub(crate) fn ranges_of(&mut self, states: &[CellState], cells: &[usize]) -> Vec<Option<Range>> {
        let mut ranges = vec![None; states.len()];
        let mut done = vec![false; states.len()];
        for &start in cells.iter().filter(|&&c| states[c] != CellState::Published && states[c] != CellState::Latent) {
            if done[start] || self.exhausted() {
                continue;
            }
            let table = self.table_of(&[start], states);
            let program = self.program(&table, states);
            for (position, &cell) in table.iter().enumerate() {
                done[cell] = true;
                if cells.binary_search(&cell).is_ok() && !self.exhausted() {
                    ranges[cell] = Some(program.range(position, &mut self.solved));
                    self.work += program.take_work();
                }
            }
        }
        ranges
    }
}
