//! The audit: the smallest and largest value of each hidden cell that is consistent with everything published,
//! solved as linear programs with `microlp` (a pure-Rust simplex).
//!
//! Published cells are constants, so a relation only constrains the hidden cells in it: the linear program of a
//! set of hidden cells has one variable per hidden cell, bounds from what a reader knows a priori, and one row per
//! relation that holds one of them. Hidden cells that share no relation are independent tables and are audited
//! apart. The linear relaxation of the integer problem is what τ-Argus audits too; on sums over one hierarchy or
//! two-way tables (totally unimodular) its bounds are the integer bounds, which the brute-force tests check. A
//! relation whose coefficients differ (an average over time weighted by days, a rule's coefficients) is no such
//! table: `10 x + 11 y = 117` leaves x anywhere in [1, 10] over real numbers and only x = 4 over whole ones (round 73,
//! found by an adversarial tester). A program with such a row is solved over whole numbers for the cells whose values
//! are whole ([`Program::lattice_wide`]).

use std::cell::{Cell as Counter, OnceCell, RefCell};

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use serde::Serialize;

use super::optima::{self, Answer, Optima};
use super::{Cell, Publication};
use bounds::{scaled, tighten};
use lattice::{uneven, whole};

mod bounds;
mod lattice;

/// Values below this apart are one value.
pub(crate) const EPSILON: f64 = 1e-6;

/// A solver's optimum within [`EPSILON`] of a whole number is that number (the simplex works in floating point).
fn snap(value: f64) -> f64 {
    if (value - value.round()).abs() < EPSILON { value.round() } else { value }
}

/// The width of `range` over whole numbers: from its smallest whole number to its largest (a count takes whole
/// values only). A range of 37/3 to 46/3 is 3 wide over real numbers but holds only 13, 14 and 15: a reader who
/// knows the counts are whole narrows it to a width of 2 (round 45, found by a review helper after the pruning in
/// groups published such a pattern with the verdict "protected").
fn whole_width(range: Range) -> f64 {
    snap(range.high).floor() - snap(range.low).ceil()
}

/// A closed range of values; `high` is infinite when nothing bounds the cell from above.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Range {
    pub low: f64,
    pub high: f64,
}

impl Range {
    /// Largest minus smallest value (infinite when unbounded above).
    pub fn width(&self) -> f64 {
        self.high - self.low
    }

    /// The range of a cell that a reader cannot bound from above: a count is never negative.
    pub fn non_negative() -> Self {
        Range { low: 0.0, high: f64::INFINITY }
    }
}

/// One row of a linear program: the hidden members as (position in the table, coefficient), the kind and the
/// right-hand side made of the published members.
pub(crate) type Row = (Vec<(usize, f64)>, Kind, f64);

/// How the published members of a relation bind the hidden ones: `sum(parts) - total` is 0, or at most 0 when the
/// published parts fall short of the published total (the reader learns only that the parts do not exceed it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Equal,
    AtMost,
}

/// One usable relation as `sum(coefficient x cell) (= | <=) 0`: the parts (+1, or their weights) first, then the
/// totals (minus their weights, -1 but for [`super::Relation::more_weights`]), the relation's `total` last.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub(crate) members: Vec<(usize, f64)>,
    pub(crate) kind: Kind,
    /// How many members at the end are totals (1 unless the relation has [`super::Relation::more_totals`]).
    pub(crate) totals: usize,
    /// Whether a part or a total weighs other than 1 ([`super::Relation::weighted`], [`super::Relation::more_weights`]),
    /// or the relation is read reversed (see `bound`): the coefficients are then those of `members`.
    pub(crate) weighted: bool,
    /// The right-hand side: `sum(coefficient x cell) (= | <=) bound`. 0, but for a relation whose parts exceed its
    /// totals, read reversed as "the totals less the parts are at most minus the excess a reader can be sure of"
    /// ([`System::new`]).
    pub(crate) bound: f64,
}

impl Link {
    /// Whether the relation is read reversed, its parts beyond its totals: then, and only then, `bound` is below 0
    /// ([`System::binds`]).
    pub(crate) fn reversed(&self) -> bool {
        self.bound < 0.0
    }

    /// The coefficient of `cell`, a member of this relation: minus its weight for a total (-1 unless
    /// [`super::Relation::more_weights`]), the part's weight for a part. The totals are read first and the parts
    /// only when weighted: a province's relation holds hundreds of communes, and neighbourhood programs ask for
    /// every member's coefficient.
    pub(crate) fn coefficient(&self, cell: usize) -> f64 {
        let (parts, totals) = self.members.split_at(self.members.len() - self.totals);
        if let Some(&(_, k)) = totals.iter().find(|&&(c, _)| c == cell) {
            return k;
        }
        if !self.weighted {
            return 1.0;
        }
        parts.iter().find(|&&(c, _)| c == cell).map_or(0.0, |&(_, k)| k)
    }
}

/// The publication as the audit reads it: the usable relations and, for each cell, the relations it is in.
#[derive(Debug)]
pub(crate) struct System<'a> {
    pub(crate) cells: &'a [Cell],
    pub(crate) links: Vec<Link>,
    pub(crate) cell_links: Vec<Vec<u32>>,
    /// Per relation, `sum(coefficient x true value)` over all its members.
    link_sums: Vec<f64>,
    /// The optima found so far, shared by every program of this system.
    pub(crate) optima: Optima,
    /// Per cell: whether it is a member of a relation whose coefficients differ in size ([`uneven`]), where whole
    /// values can lie far apart.
    pub(crate) on_lattice: Vec<bool>,
}

impl<'a> System<'a> {
    /// Keeps the relations a reader can use: those whose values add up (as equalities), those whose parts fall
    /// short of the total (as "parts at most total"; always so for one that holds a latent cell, whose value is one
    /// feasible choice, [`super::Publication::latent`]), and those whose parts exceed the total, as "parts more than
    /// the total": a data warning says so to every reader (W350 "units below exceed", W339, W331), and "Tỉnh A's
    /// hidden victims are more than Viet Nam's 85 less B's 40 and C's 36" with A below the threshold of 11 gave A =
    /// 10 while the audit said "protected" (round 71, found by an adversarial tester). For whole counts added with
    /// weight 1 the excess a reader can be sure of is 1; otherwise the audit takes the true excess, which assumes the
    /// reader knows more than "more than" and so can only hide more.
    pub(crate) fn new(publication: &'a Publication) -> Self {
        let cells = &publication.cells[..];
        let first_latent = cells.len().saturating_sub(publication.latent);
        let mut links = Vec::new();
        let mut cell_links = vec![Vec::new(); cells.len()];
        for relation in &publication.relations {
            let more_weight = |i: usize| relation.more_weights.get(i).copied().unwrap_or(1.0);
            let mut more: Vec<(usize, f64)> = (relation.more_totals.iter().enumerate())
                .map(|(i, &c)| (c, more_weight(i)))
                .filter(|&(c, w)| c != relation.total && c < cells.len() && !relation.parts.contains(&c) && w > 0.0)
                .collect();
            more.sort_unstable_by_key(|&(c, _)| c);
            more.dedup_by_key(|&mut (c, _)| c);
            let weight = |i: usize| relation.weights.get(i).copied().unwrap_or(1.0);
            let mut parts: Vec<(usize, f64)> = relation
                .parts
                .iter()
                .enumerate()
                .map(|(i, &p)| (p, weight(i)))
                .filter(|&(p, w)| {
                    p != relation.total && p < cells.len() && !relation.more_totals.contains(&p) && w > 0.0
                })
                .collect();
            parts.sort_unstable_by_key(|&(p, _)| p);
            parts.dedup_by_key(|&mut (p, _)| p);
            if parts.is_empty() || relation.total >= cells.len() {
                continue;
            }
            let total = cells[relation.total].value + more.iter().map(|&(c, w)| w * cells[c].value).sum::<f64>();
            let sum: f64 = parts.iter().map(|&(p, w)| w * cells[p].value).sum();
            let latent = parts
                .iter()
                .map(|&(p, _)| p)
                .chain(more.iter().map(|&(c, _)| c))
                .chain([relation.total])
                .any(|c| c >= first_latent);
            let tolerance = EPSILON * total.abs().max(1.0);
            let exceeds = sum >= total + tolerance;
            let kind = if !latent && (sum - total).abs() <= tolerance {
                Kind::Equal
            } else if !exceeds || !latent {
                // Short of the total, or (reversed below) beyond it.
                Kind::AtMost
            } else {
                continue;
            };
            let index = u32::try_from(links.len()).unwrap_or(u32::MAX);
            let totals = more.len() + 1;
            let weighed = parts.iter().chain(&more).any(|&(_, w)| w != 1.0);
            let whole = |c: usize| cells[c].value.fract() == 0.0;
            let counts = !weighed && parts.iter().chain(&more).all(|&(c, _)| whole(c)) && whole(relation.total);
            let mut members: Vec<(usize, f64)> = parts;
            members.extend(more.into_iter().map(|(c, w)| (c, -w)));
            members.push((relation.total, -1.0));
            // Beyond the total: `totals - parts <= -excess`, the excess a reader can be sure of.
            let bound = match (exceeds, counts) {
                (false, _) => 0.0,
                (true, true) => -1.0,
                (true, false) => -(sum - total),
            };
            if exceeds {
                members.iter_mut().for_each(|member| member.1 = -member.1);
            }
            for (cell, _) in &members {
                cell_links[*cell].push(index);
            }
            links.push(Link { members, kind, totals, weighted: weighed || exceeds, bound });
        }
        let link_sums = links.iter().map(|link| link.members.iter().map(|&(c, k)| k * cells[c].value).sum()).collect();
        let mut on_lattice = vec![false; cells.len()];
        for link in links.iter().filter(|link| uneven(&link.members)) {
            link.members.iter().for_each(|&(c, _)| on_lattice[c] = true);
        }
        System { cells, links, cell_links, link_sums, optima: Optima::default(), on_lattice }
    }

    /// Whether relation `link` can bind the cells `hidden` says are hidden. Only a relation read reversed may not:
    /// with no total hidden, and its published parts already beyond its published totals by what it asks, it holds
    /// whatever the hidden parts are (they are never negative). The bundled example's synthetic provinces add up to
    /// ten times the nation's real totals: such relations joined tables that nothing relates, and cost a seventh of
    /// a full review's CPU (round 71).
    pub(crate) fn binds(&self, link: usize, hidden: &dyn Fn(usize) -> bool) -> bool {
        let link = &self.links[link];
        if !link.reversed() {
            return true;
        }
        let mut published = 0.0;
        let mut scale = 0.0f64;
        for &(cell, coefficient) in &link.members {
            if hidden(cell) {
                // A hidden total (positive once reversed) can take up any slack.
                if coefficient > 0.0 {
                    return true;
                }
            } else {
                published += coefficient * self.cells[cell].value;
                scale += (coefficient * self.cells[cell].value).abs();
            }
        }
        // Within the tolerance of binding counts as binding: a relation is left out only where it surely holds.
        published > link.bound - EPSILON * scale.max(1.0)
    }

    /// The relations that hold at least one cell of `set`, in index order.
    pub(crate) fn links_of(&self, set: &[usize]) -> Vec<u32> {
        let mut found: Vec<u32> = set.iter().flat_map(|&c| self.cell_links[c].iter().copied()).collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The rows of the linear program of `set` (sorted): per relation, the hidden members as (position in `set`,
    /// coefficient), the relation's kind and the right-hand side made of the published members; and the work of
    /// building them (relation members read, see [`Program::take_work`]).
    fn rows(&self, set: &[usize], hidden: &dyn Fn(usize) -> bool) -> (Vec<Row>, u64) {
        let mut work = set.len() as u64;
        let unknown = |c: usize| set.binary_search(&c).is_ok() || hidden(c);
        let rows = self
            .links_of(set)
            .into_iter()
            .filter(|&l| self.binds(l as usize, &unknown))
            .map(|l| {
                let link = &self.links[l as usize];
                work += link.members.len() as u64;
                let mut terms = Vec::new();
                let mut rhs = link.bound;
                for &(cell, coefficient) in &link.members {
                    match set.binary_search(&cell) {
                        Ok(position) => terms.push((position, coefficient)),
                        // A hidden member outside `set` would make `set` not a whole table; treat it as free, which
                        // can only widen ranges, and never happens for the connected sets the search audits.
                        Err(_) if hidden(cell) => {}
                        Err(_) => rhs -= coefficient * self.cells[cell].value,
                    }
                }
                (terms, link.kind, rhs)
            })
            .collect();
        (rows, work)
    }

    /// The linear program of a neighbourhood `set` (sorted), every cell outside it held at its true value: the
    /// same program as [`System::program`] with nothing else hidden, built from the relations of the cells of
    /// `set` without reading the other members of a relation (a province's relation holds hundreds of communes):
    /// the right-hand side is the relation's sum at the true values less that of the members in `set`.
    pub(crate) fn local_program(&self, set: &[usize], priors: Vec<Range>) -> Program {
        let mut terms_of: Vec<(u32, usize, f64)> = Vec::new();
        let inside = |c: usize| set.binary_search(&c).is_ok();
        for (position, &cell) in set.iter().enumerate() {
            for &link in self.cell_links[cell].iter().filter(|&&link| self.binds(link as usize, &inside)) {
                terms_of.push((link, position, self.links[link as usize].coefficient(cell)));
            }
        }
        terms_of.sort_unstable_by_key(|&(link, position, _)| (link, position));
        let work = (set.len() + terms_of.len()) as u64;
        let mut rows: Vec<Row> = Vec::new();
        for group in terms_of.chunk_by(|a, b| a.0 == b.0) {
            let link = group[0].0 as usize;
            let inside: f64 = group.iter().map(|&(_, p, k)| k * self.cells[set[p]].value).sum();
            let terms = group.iter().map(|&(_, p, k)| (p, k)).collect();
            rows.push((terms, self.links[link].kind, self.links[link].bound - (self.link_sums[link] - inside)));
        }
        self.program_of(set, rows, priors, work)
    }

    /// The linear program of `set` (sorted), with what a reader knows of each cell a priori as its bounds. A
    /// member of a relation outside `set` is a constant at its true value when `hidden` says it is published, and
    /// left out (free) when `hidden` says it is hidden: with `set` a whole table (every hidden member of its
    /// relations in it) that never happens; a neighbourhood ([`super::local`]) passes `|_| false`, holding every
    /// cell outside it at its true value.
    pub(crate) fn program(&self, set: &[usize], priors: Vec<Range>, hidden: &dyn Fn(usize) -> bool) -> Program {
        let (rows, work) = self.rows(set, hidden);
        self.program_of(set, rows, priors, work)
    }

    /// The program of `set` over `rows`, whose building cost `work` steps of the budget; the true values of `set`
    /// are its fallback point.
    fn program_of(&self, set: &[usize], rows: Vec<Row>, priors: Vec<Range>, work: u64) -> Program {
        let lattice = rows.iter().any(|(terms, ..)| uneven(terms));
        let mut integral: Vec<bool> = match lattice {
            true => set.iter().map(|&c| whole(self.cells[c].value)).collect(),
            false => Vec::new(),
        };
        if !integral.contains(&true) {
            integral.clear();
        }
        Program {
            integral,
            rows,
            priors,
            fallback: set.iter().map(|&c| self.cells[c].value).collect(),
            outer: OnceCell::new(),
            inner: RefCell::new((0, Vec::new())),
            work: Counter::new(work),
            found: RefCell::new(Vec::new()),
            optima: self.optima.clone(),
        }
    }
}

/// The linear program of one table of hidden cells, with what cheaper reasoning settles before a solver is asked.
#[derive(Debug)]
pub(crate) struct Program {
    /// Per position, whether the cell takes whole values only (its value is whole), when a row's coefficients differ
    /// ([`uneven`]); empty otherwise. A program with such cells is on a lattice: their extremes and how many values
    /// they can take come from integer programs, and no point over real numbers widens them ([`Program::lattice_wide`]).
    integral: Vec<bool>,
    rows: Vec<Row>,
    priors: Vec<Range>,
    /// The true values: the range given when the solver finds nothing (the true values always satisfy the
    /// publication, so a solver failure is not trusted to protect anything).
    fallback: Vec<f64>,
    /// Outer bounds by propagation (computed on first use): every consistent value lies inside them.
    outer: OnceCell<Vec<Range>>,
    /// Inner bounds (grown on demand, with the number of shared points found so far): the smallest and largest
    /// value of each cell over the true values and a few feasible points found by the solver; every value between
    /// them is consistent (the feasible set is convex).
    inner: RefCell<(usize, Vec<Range>)>,
    /// The work done since the last [`Program::take_work`].
    work: Counter<u64>,
    /// The checked feasible points found since the last [`Program::take_points`], by position in the table.
    found: RefCell<Vec<Vec<f64>>>,
    /// The optima of the system's programs found so far ([`super::optima`]).
    optima: Optima,
}

/// Tables with more cells than this get the shared feasible points of [`Program::inner_until`] before any per-cell
/// linear program; smaller ones go straight to the per-cell programs, which are then as cheap (6 until the points
/// were carried along their lines, [`Program::keep`]: since then the per-cell programs settle those tables with
/// fewer programs, 749 -> 599 on the frozen example, docs/performance-log.md "W1, fifth pass"). The same size as
/// `local::LOCAL_FROM`: larger tables try neighbourhoods first.
const SHARED_POINTS_FROM: usize = 16;

/// How far [`Program::line_ends`] carries a point along an unbounded line: no cell moves more than this from its
/// true value (far beyond any protection range; the point stays finite).
const LINE_REACH: f64 = 1e6;

/// Sweeps of bound propagation; each sweep can only narrow, so stopping early keeps the bounds sound.
const PROPAGATION_SWEEPS: usize = 20;

/// The work of one linear program of `variables` variables and `rows` rows, in the search's steps: a fixed part for
/// building and presolving it, and the size of its tableau (the simplex touches about that many entries per pivot).
fn program_work(variables: usize, rows: usize) -> u64 {
    64 + (variables as u64 + 1) * (rows as u64 + 1)
}

impl Program {
    /// The work done by this program since the last call, in the steps of the search's budget
    /// ([`super::Rules::work_budget`]): relation members read to build it, terms visited by propagation, and
    /// [`program_work`] per linear program.
    pub(crate) fn take_work(&self) -> u64 {
        self.work.replace(0)
    }

    /// The work one linear program of this table costs ([`program_work`]), to check the budget before solving.
    pub(crate) fn one_program_work(&self) -> u64 {
        program_work(self.priors.len(), self.rows.len())
    }

    /// The checked feasible points found since the last call (each by position in the table), for the search's
    /// record of points ([`super::witness`]).
    pub(crate) fn take_points(&self) -> Vec<Vec<f64>> {
        std::mem::take(&mut *self.found.borrow_mut())
    }

    /// The position of a hidden cell alone in an equality (pinned to its value by subtraction), if any.
    pub(crate) fn pinned_by_subtraction(&self) -> Option<usize> {
        self.rows.iter().find_map(|(terms, kind, _)| match (kind, terms.as_slice()) {
            (Kind::Equal, [(position, _)]) => Some(*position),
            _ => None,
        })
    }

    /// The steps of [`Program::wide_enough`] that need no solver (1-3, and the inner bounds of the points found so
    /// far): `Some` when they settle the cell.
    pub(crate) fn settled_cheaply(&self, position: usize, required: f64) -> Option<bool> {
        let required = required.max(EPSILON * 2.0);
        let wide = |range: Range| whole_width(range) >= required - EPSILON;
        if self.rows.is_empty() {
            return Some(wide(self.priors[position]));
        }
        if self.lattice() {
            // Real bounds show a lattice's cells narrow (the outer bounds hold its whole points too), never wide.
            return (!wide(self.outer()[position])).then_some(false);
        }
        if self.rows.len() == 1 {
            return Some(wide(self.single_row(position)));
        }
        if !wide(self.outer()[position]) {
            return Some(false);
        }
        wide(self.inner_known(position)).then_some(true)
    }

    /// Whether the cell at `position` (true value `value`) can range over at least `required` (and more than a
    /// single value). Settled, in order of cost:
    ///
    /// 1. a table with no relation: the prior range;
    /// 2. a table with one relation (a total and its parts): the exact range in closed form, `[max(lo_j, T - sum
    ///    hi_others), min(hi_j, T - sum lo_others)]` ([`Program::single_row`]);
    /// 3. propagated outer bounds narrower than required: fails (the true range lies inside them);
    /// 4. in a table of more than [`SHARED_POINTS_FROM`] cells, inner bounds from shared feasible points at least
    ///    as wide as required: passes;
    /// 5. otherwise the cell's own linear programs ([`Program::extremes_wide`]).
    pub(crate) fn wide_enough(&self, position: usize, value: f64, required: f64, solved: &mut usize) -> bool {
        if let Some(settled) = self.settled_cheaply(position, required) {
            return settled;
        }
        let required = required.max(EPSILON * 2.0);
        let wide = |range: Range| whole_width(range) >= required - EPSILON;
        if self.lattice() {
            return self.lattice_wide(position, required, solved);
        }
        if self.priors.len() > SHARED_POINTS_FROM && wide(self.inner_until(position, required, solved)) {
            return true;
        }
        self.extremes_wide(position, value, required, solved)
    }

    /// Step 5 of [`Program::wide_enough`]: the cell's own linear programs, one direction first and the other only
    /// when needed (after the cheap steps, which it does not repeat). The largest value comes first unless the
    /// outer bounds leave less room above the true value than required and more below it: then the smallest.
    /// Between the two, the inner bounds of the points kept so far (the first optimum carried along its line,
    /// [`Program::keep`]) may already show the cell wide enough.
    pub(crate) fn extremes_wide(&self, position: usize, value: f64, required: f64, solved: &mut usize) -> bool {
        let required = required.max(EPSILON * 2.0);
        if self.lattice() {
            return self.lattice_wide(position, required, solved);
        }
        let wide = |range: Range| whole_width(range) >= required - EPSILON;
        let outer = self.outer()[position];
        let (above, below) = (outer.high - value, value - outer.low);
        let (first, second) = if above < required - EPSILON && below > above {
            (OptimizationDirection::Minimize, OptimizationDirection::Maximize)
        } else {
            (OptimizationDirection::Maximize, OptimizationDirection::Minimize)
        };
        // Room is measured in the direction asked for: a largest value below the true value (or a smallest above
        // it), which a correct solver never returns, counts as no room rather than as room the other way.
        let room = |direction: OptimizationDirection, optimum: f64| match direction {
            OptimizationDirection::Maximize => snap(optimum).floor() - value,
            OptimizationDirection::Minimize => value - snap(optimum).ceil(),
        };
        let Some(one) = self.optimum(position, first, solved) else { return false };
        if room(first, one) >= required - EPSILON || wide(self.inner_known(position)) {
            return true;
        }
        let Some(other) = self.optimum(position, second, solved) else { return false };
        room(first, one).max(0.0) + room(second, other).max(0.0) >= required - EPSILON
    }

    /// The exact range of the cell at `position` in a table of one relation `sum(c_i x_i) (= | <=) rhs`, each
    /// `x_i` within its prior: `c_j x_j` is `rhs` minus the sum of the others, which ranges over the sum of their
    /// intervals (for "at most", only the upper side binds).
    pub(crate) fn single_row(&self, position: usize) -> Range {
        let (terms, kind, rhs) = &self.rows[0];
        let Some(&(_, coefficient)) = terms.iter().find(|(p, _)| *p == position) else {
            return self.priors[position];
        };
        let (mut low_sum, mut high_sum) = (0.0, 0.0);
        for &(p, c) in terms.iter().filter(|(p, _)| *p != position) {
            let (low, high) = scaled(self.priors[p], c);
            low_sum += low;
            high_sum += high;
        }
        // c x in [rhs - high_sum, rhs - low_sum] (equal) or (-inf, rhs - low_sum] (at most).
        let upper = rhs - low_sum;
        let lower = if *kind == Kind::Equal { rhs - high_sum } else { f64::NEG_INFINITY };
        let (low, high) = if coefficient > 0.0 {
            (lower / coefficient, upper / coefficient)
        } else {
            (upper / coefficient, lower / coefficient)
        };
        let prior = self.priors[position];
        Range { low: snap(low.max(prior.low)), high: snap(high.min(prior.high)) }
    }

    /// Outer bounds by interval propagation over the rows: every value consistent with the publication lies inside
    /// them, so a cell whose outer bounds are too narrow fails without a solver.
    pub(crate) fn outer(&self) -> &[Range] {
        self.outer.get_or_init(|| {
            let mut bounds = self.priors.clone();
            let terms_per_sweep: usize = self.rows.iter().map(|(terms, ..)| terms.len() + 1).sum();
            for _ in 0..PROPAGATION_SWEEPS {
                let mut changed = false;
                self.work.set(self.work.get() + terms_per_sweep as u64);
                for (terms, kind, rhs) in &self.rows {
                    changed |= tighten(&mut bounds, terms, *kind, *rhs);
                }
                if !changed {
                    break;
                }
            }
            bounds
        })
    }

    /// Inner bounds: the smallest and largest value of each cell over the true values and the feasible points
    /// that maximise a few fixed mixes of the cells (two alternating patterns each way, then all up and all down).
    /// Points are found one at a time, only while the cell at `position` is not yet `required` wide, and kept for
    /// the other cells. Points the solver returns are checked against every row and bound before they are trusted.
    pub(crate) fn inner_until(&self, position: usize, required: f64, solved: &mut usize) -> Range {
        {
            let ranges = &mut self.inner.borrow_mut().1;
            if ranges.is_empty() {
                *ranges = self.fallback.iter().map(|&v| Range { low: v, high: v }).collect();
            }
        }
        let patterns: [fn(usize) -> f64; 6] = [
            |i| if i % 2 == 0 { 1.0 } else { -1.0 },
            |i| if i % 2 == 0 { -1.0 } else { 1.0 },
            |i| if (i.wrapping_mul(2_654_435_761) >> 7) & 1 == 0 { 1.0 } else { -1.0 },
            |i| if (i.wrapping_mul(2_654_435_761) >> 7) & 1 == 0 { -1.0 } else { 1.0 },
            |_| 1.0,
            |_| -1.0,
        ];
        loop {
            let next = {
                let mut inner = self.inner.borrow_mut();
                let (next, ranges) = &mut *inner;
                if ranges[position].width() >= required - EPSILON || *next >= patterns.len() {
                    return ranges[position];
                }
                *next += 1;
                *next - 1
            };
            let weights: Vec<f64> = (0..self.priors.len()).map(patterns[next]).collect();
            self.point(&weights, solved);
        }
    }

    /// Every inner bound after all the shared points (for tests).
    #[cfg(test)]
    pub(crate) fn inner(&self, solved: &mut usize) -> Vec<Range> {
        (0..self.priors.len()).map(|p| self.inner_until(p, f64::INFINITY, solved)).collect()
    }

    /// Looks for a feasible point maximising `weights` and keeps it ([`Program::keep`]); nothing is kept when the
    /// solver finds none, the objective is unbounded, or the point fails the check.
    fn point(&self, weights: &[f64], solved: &mut usize) {
        *solved += 1;
        self.work.set(self.work.get() + program_work(self.priors.len(), self.rows.len()));
        if let Answer::Optimum { point, .. } = self.answer(weights, OptimizationDirection::Maximize) {
            self.keep(point);
        }
    }

    /// Keeps a point the solver returned, if it satisfies every row and bound: as inner bounds of this program and
    /// for the search's record of points. The point is first carried along the line from the true values through
    /// it, both ways, as far as the bounds and rows allow ([`Program::line_ends`]): every point of that segment is
    /// consistent, and its two ends show the cells it moves wider than the point alone (an optimum that stops at
    /// one cell's bound leaves the others room in both directions).
    fn keep(&self, point: Vec<f64>) {
        // The segment through a whole point holds real points only; on a lattice nothing is kept.
        if self.lattice() || !self.feasible(&point) {
            return;
        }
        let ends: Vec<Vec<f64>> = self.line_ends(&point).into_iter().filter(|end| self.feasible(end)).collect();
        let kept = if ends.is_empty() { vec![point] } else { ends };
        for point in kept {
            self.widen_inner(&point);
            self.found.borrow_mut().push(point);
        }
    }

    /// The two ends of the segment `x + t (point - x)` (x the true values) inside the bounds and rows: `t` from the
    /// least value at most 0 to the greatest at least 1 that keep every moved cell within its prior and every "at
    /// most" row; equality rows hold along the whole line, both ends satisfying them. An end that would be at
    /// infinity (a cell without an upper bound) stops where no cell has moved more than [`LINE_REACH`]. Empty when
    /// the point does not move any cell, or when rounding leaves an equality row off along the line.
    fn line_ends(&self, point: &[f64]) -> Vec<Vec<f64>> {
        let moves: Vec<f64> = point.iter().zip(&self.fallback).map(|(p, x)| p - x).collect();
        let largest = moves.iter().fold(0.0f64, |m, d| m.max(d.abs()));
        if largest <= EPSILON {
            return Vec::new();
        }
        let (mut low, mut high) = (-LINE_REACH / largest, LINE_REACH / largest);
        // t d stays within [below, above]: t <= above / d and t >= below / d for d > 0, the other way for d < 0.
        let mut limit = |d: f64, below: f64, above: f64| {
            if d > 0.0 {
                high = high.min(above / d);
                low = low.max(below / d);
            } else if d < 0.0 {
                high = high.min(below / d);
                low = low.max(above / d);
            }
        };
        for ((&d, &x), prior) in moves.iter().zip(&self.fallback).zip(&self.priors) {
            limit(d, prior.low - x, prior.high - x);
        }
        for (terms, kind, rhs) in &self.rows {
            let change: f64 = terms.iter().map(|&(p, c)| c * moves[p]).sum();
            match kind {
                Kind::Equal if change.abs() > EPSILON => return Vec::new(),
                Kind::Equal => {}
                Kind::AtMost => {
                    let slack = rhs - terms.iter().map(|&(p, c)| c * self.fallback[p]).sum::<f64>();
                    limit(change, f64::NEG_INFINITY, slack);
                }
            }
        }
        let at = |t: f64| -> Vec<f64> { self.fallback.iter().zip(&moves).map(|(x, d)| snap(x + t * d)).collect() };
        let mut ends = vec![at(high.max(1.0))];
        if low < -EPSILON {
            ends.push(at(low));
        }
        ends
    }

    /// Whether `point` satisfies every row and bound (within the solver's tolerance): only such points widen the
    /// inner bounds.
    fn feasible(&self, point: &[f64]) -> bool {
        let tolerance = |scale: f64| EPSILON * scale.abs().max(1.0);
        let in_bounds = point
            .iter()
            .zip(&self.priors)
            .all(|(&x, prior)| x >= prior.low - tolerance(x) && x <= prior.high + tolerance(x));
        in_bounds
            && self.rows.iter().all(|(terms, kind, rhs)| {
                let sum: f64 = terms.iter().map(|&(p, c)| c * point[p]).sum();
                match kind {
                    Kind::Equal => (sum - rhs).abs() <= tolerance(*rhs),
                    Kind::AtMost => sum <= rhs + tolerance(*rhs),
                }
            })
    }

    /// Widens the inner bounds with a checked feasible point (every value between the true values and the points
    /// found is consistent, the feasible set being convex).
    fn widen_inner(&self, point: &[f64]) {
        let mut inner = self.inner.borrow_mut();
        let ranges = &mut inner.1;
        if ranges.is_empty() {
            *ranges = self.fallback.iter().map(|&v| Range { low: v, high: v }).collect();
        }
        for (range, &value) in ranges.iter_mut().zip(point) {
            range.low = range.low.min(value);
            range.high = range.high.max(value);
        }
    }

    /// The inner bounds of the cell at `position` from the points found so far (its true value alone before any).
    pub(crate) fn inner_known(&self, position: usize) -> Range {
        let inner = self.inner.borrow();
        inner.1.get(position).copied().unwrap_or(Range { low: self.fallback[position], high: self.fallback[position] })
    }

    fn add_rows(&self, problem: &mut Problem, variables: &[microlp::Variable]) {
        for (terms, kind, rhs) in &self.rows {
            let op = match kind {
                Kind::Equal => ComparisonOp::Eq,
                Kind::AtMost => ComparisonOp::Le,
            };
            problem.add_constraint(terms.iter().map(|&(p, c)| (variables[p], c)).collect::<Vec<_>>(), op, *rhs);
        }
    }

    /// The feasible range of the cell at `position`; `solved` counts the linear programs.
    pub(crate) fn range(&self, position: usize, solved: &mut usize) -> Range {
        if self.rows.is_empty() {
            return self.priors[position];
        }
        let low = self.optimum(position, OptimizationDirection::Minimize, solved);
        let high = self.optimum(position, OptimizationDirection::Maximize, solved);
        match (low, high) {
            (Some(low), Some(high)) => Range { low: snap(low), high: snap(high) },
            _ => Range { low: self.fallback[position], high: self.fallback[position] },
        }
    }

    /// The smallest or largest value of cell `position`; infinite when unbounded; `None` when the solver fails.
    /// A program posed before is answered as the solver answered it then ([`super::optima`]); it still counts as
    /// one of the linear programs and in the work.
    pub(crate) fn optimum(&self, position: usize, direction: OptimizationDirection, solved: &mut usize) -> Option<f64> {
        *solved += 1;
        self.work.set(self.work.get() + program_work(self.priors.len(), self.rows.len()));
        let objective: Vec<f64> = (0..self.priors.len()).map(|i| if i == position { 1.0 } else { 0.0 }).collect();
        let answer = self.answer(&objective, direction);
        match answer {
            Answer::Optimum { objective, point } => {
                // The optimum is a feasible point of the whole table: kept as inner bounds of the other cells.
                self.keep(point);
                Some(objective)
            }
            Answer::Unbounded => Some(match direction {
                OptimizationDirection::Maximize => f64::INFINITY,
                OptimizationDirection::Minimize => f64::NEG_INFINITY,
            }),
            Answer::Failed => None,
        }
    }

    /// The answer to "the largest or smallest `sum(objective_i x_i)`" over this program: the solver's, or the one it
    /// gave before to the same program ([`super::optima`], programs of at most [`optima::MOST_VARIABLES`] variables).
    fn answer(&self, objective: &[f64], direction: OptimizationDirection) -> Answer {
        if self.priors.len() > optima::MOST_VARIABLES || self.lattice() {
            return self.solve(objective, direction);
        }
        let key = optima::key(objective, direction == OptimizationDirection::Maximize, &self.rows, &self.priors);
        self.optima.get(&key).unwrap_or_else(|| {
            let answer = self.solve(objective, direction);
            self.optima.insert(key, answer.clone());
            answer
        })
    }

    /// The solver's answer to "the largest or smallest `sum(objective_i x_i)`".
    fn solve(&self, objective: &[f64], direction: OptimizationDirection) -> Answer {
        self.solve_from(objective, direction, None)
    }
}

/// How the audit's linear programs are solved: without microlp's presolve. The programs are small (one table's hidden
/// cells, a few relations) and built afresh for each solve, so presolving them cost more than it saved (about 2 %
/// of a full review's CPU, docs/performance-log.md "W1"). The optimum does not depend on it; the point returned may,
/// where several points are optimal, and every point is checked against the table before it widens anything.
fn no_presolve() -> microlp::SolveOptions {
    let mut options = microlp::SolveOptions::default();
    options.presolve = false;
    options
}

#[cfg(test)]
mod whole_tests {
    use super::*;

    /// A count takes whole values: 37/3 to 46/3 holds 13, 14 and 15 only, 2 wide, though 3 wide over real numbers
    /// (round 45: such a cell passed a protection of 3); a solver's 14.9999999 is 15.
    #[test]
    fn a_range_is_as_wide_as_the_whole_numbers_in_it() {
        let cases = [(37.0 / 3.0, 46.0 / 3.0, 2.0), (1.0, 10.0, 9.0), (2.0 - 1e-12, 5.0 + 1e-12, 3.0), (0.5, 3.5, 2.0)];
        for (low, high, width) in cases {
            assert_eq!(whole_width(Range { low, high }), width, "{low}..{high}");
        }
        assert_eq!(whole_width(Range::non_negative()), f64::INFINITY);
    }
}
