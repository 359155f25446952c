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

use super::audit::{Link, System};

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

/// A set of cells grown breadth-first over the relations from one cell, each relation read once, at most `cap`
/// cells: the walk both neighbourhoods share ([`neighbourhood`], and `movement`'s of published and hidden cells);
/// what each takes of a relation it reaches is its own.
pub(crate) struct Growth<'m> {
    generation: u32,
    marks: &'m mut Marks,
    cap: usize,
    /// The cells, in the order they were added (`start` first).
    pub(crate) cells: Vec<usize>,
}

impl<'m> Growth<'m> {
    /// The set of `start` alone, with fresh marks.
    pub(crate) fn new(system: &System<'_>, start: usize, marks: &'m mut Marks, cap: usize) -> Self {
        let generation = marks.next(system.cells.len(), system.links.len());
        marks.cells[start] = generation;
        Growth { generation, marks, cap, cells: vec![start] }
    }

    /// Adds `cell` unless it is in already; false when the set is full and it had to be left out.
    pub(crate) fn add(&mut self, cell: usize) -> bool {
        if self.marks.cells[cell] == self.generation {
            return true;
        }
        if self.cells.len() == self.cap {
            return false;
        }
        self.marks.cells[cell] = self.generation;
        self.cells.push(cell);
        true
    }

    /// Gives `take` each relation of each cell of the set that can bind the cells `hidden` says are hidden
    /// ([`System::binds`]), in the order the cells were added and each relation once, until every cell's relations
    /// were given or `take` returns false (the set is full).
    pub(crate) fn grow(
        &mut self,
        system: &System<'_>,
        hidden: &dyn Fn(usize) -> bool,
        mut take: impl FnMut(&mut Self, &Link) -> bool,
    ) {
        let mut next = 0;
        while next < self.cells.len() {
            let cell = self.cells[next];
            next += 1;
            for &link in &system.cell_links[cell] {
                if std::mem::replace(&mut self.marks.links[link as usize], self.generation) == self.generation
                    || !system.binds(link as usize, hidden)
                {
                    continue;
                }
                if !take(self, &system.links[link as usize]) {
                    return;
                }
            }
        }
    }
}

/// Grows the neighbourhood of `start` at `level` over the hidden cells.
pub(crate) fn neighbourhood(
    system: &System<'_>,
    start: usize,
    hidden: &dyn Fn(usize) -> bool,
    level: Level,
    marks: &mut Marks,
) -> Neighbourhood {
    let (mut work, mut whole) = (0u64, true);
    let mut growth = Growth::new(system, start, marks, level.cap);
    growth.grow(system, hidden, |growth, link| {
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
                whole &= growth.add(member);
            }
        }
        for &(total, _) in totals {
            if hidden(total) {
                whole &= growth.add(total);
            }
        }
        true
    });
    let mut cells = growth.cells;
    cells.sort_unstable();
    Neighbourhood { cells, work, whole }
}
