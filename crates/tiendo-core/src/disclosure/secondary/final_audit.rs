//! The audit of the final publication, and the ranges of hidden cells for inspection, tests and the widths another
//! publication keeps.

use std::collections::BTreeSet;

use super::super::CellState;
use super::super::audit::Range;
use super::{FinalAudit, Search};

impl Search<'_, '_> {
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
