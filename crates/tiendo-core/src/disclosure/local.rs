//! Local proofs of protection: a hidden cell of a large table shown wide enough from a small neighbourhood of it,
//! every cell outside the neighbourhood held at its true value.
//!
//! The points consistent with the publication that differ from the true values only inside a neighbourhood are a
//! part of all the consistent points, so the range a linear program finds over them lies inside the cell's true
//! range: when it is wide enough, so is the true one, and the cell passes without a program over its whole table
//! (thousands of cells at commune level). When it is not, nothing is concluded and the search goes on to a larger
//! neighbourhood, then to the whole table. Cutting a table into parts and leaving the cells outside free instead
//! would be unsound (it can only widen ranges), which is why the cells outside are held, not freed.
//!
//! A neighbourhood is grown breadth-first from the cell over the relations: from each relation reached, its total
//! and its first few hidden parts (in cell order, so that neighbouring relations of the same shape pick the same
//! units or periods and close the cycles along which a count can move: a rectangle of two units and two periods).

use super::audit::System;

/// How far a neighbourhood grows: hidden parts taken per relation, and the most cells.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Level {
    pub(crate) fan_out: usize,
    pub(crate) cap: usize,
}

/// The neighbourhoods tried, smallest first, before the whole table. The third settles, at commune level, the cells
/// whose moves close only through other communes' quarters: without it each went to its table's own program over
/// about 5,000 cells (15,700,000 steps each), and 26 of those used up the whole budget (docs/performance.md).
pub(crate) const LEVELS: [Level; 3] =
    [Level { fan_out: 2, cap: 24 }, Level { fan_out: 4, cap: 96 }, Level { fan_out: 8, cap: 400 }];

/// Tables with more cells than this try neighbourhoods before their own linear programs.
pub(crate) const LOCAL_FROM: usize = 16;

/// Generation marks over cells and relations, reused between neighbourhoods so that none allocates per cell.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    generation: u32,
    pub(super) cells: Vec<u32>,
    pub(super) links: Vec<u32>,
}

impl Marks {
    pub(super) fn next(&mut self, cells: usize, links: usize) -> u32 {
        if self.cells.len() != cells || self.links.len() != links {
            self.cells = vec![0; cells];
            self.links = vec![0; links];
            self.generation = 0;
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.cells.iter_mut().for_each(|m| *m = 0);
            self.links.iter_mut().for_each(|m| *m = 0);
            self.generation = 1;
        }
        self.generation
    }
}

/// A neighbourhood of hidden cells around `start`.
#[derive(Debug)]
pub(crate) struct Neighbourhood {
    /// The cells, sorted.
    pub(crate) cells: Vec<usize>,
    /// Relation members read while growing it (the search's work).
    pub(crate) work: u64,
    /// Nothing was left out: the neighbourhood is the whole table of `start`.
    pub(crate) whole: bool,
}

/// Grows the neighbourhood of `start` at `level` over the hidden cells.
pub(crate) fn neighbourhood(
    system: &System<'_>,
    start: usize,
    hidden: &dyn Fn(usize) -> bool,
    level: Level,
    marks: &mut Marks,
) -> Neighbourhood {
    let generation = marks.next(system.cells.len(), system.links.len());
    let mut cells = vec![start];
    marks.cells[start] = generation;
    let (mut work, mut whole, mut next) = (0u64, true, 0);
    // Adds a cell unless the neighbourhood is full; false when it had to leave it out.
    let add = |member: usize, cells: &mut Vec<usize>, marks: &mut Marks| {
        if marks.cells[member] == generation {
            return true;
        }
        if cells.len() == level.cap {
            return false;
        }
        marks.cells[member] = generation;
        cells.push(member);
        true
    };
    while next < cells.len() {
        let cell = cells[next];
        next += 1;
        for &link in &system.cell_links[cell] {
            if std::mem::replace(&mut marks.links[link as usize], generation) == generation {
                continue;
            }
            let link = &system.links[link as usize];
            // The parts (all members but the totals at the end): the first `fan_out` hidden ones, reading no further.
            let (parts, totals) = link.members.split_at(link.members.len() - link.totals);
            let mut parts_taken = 0;
            for &(member, _) in parts {
                if parts_taken == level.fan_out {
                    // Parts left unread: the neighbourhood may not be the whole table.
                    whole = false;
                    break;
                }
                work += 1;
                if hidden(member) {
                    parts_taken += 1;
                    whole &= add(member, &mut cells, marks);
                }
            }
            for &(total, _) in totals {
                if hidden(total) {
                    whole &= add(total, &mut cells, marks);
                }
            }
        }
    }
    cells.sort_unstable();
    Neighbourhood { cells, work, whole }
}
