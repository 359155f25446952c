//! Disclosure control of everything a run publishes: primary suppression of small sensitive counts, an audit of
//! what the published figures still reveal about each hidden one, and secondary suppression until the audit passes.
//!
//! [`protect`] is the one entry point. It is fed the cells that will be published (each a value and whether it
//! counts individual victims) and the linear relations among them ("total = sum of parts": org units and their
//! children or predecessors, a period and its sub-periods, a count and its breakdown options). It knows nothing of
//! indicators, org units or periods: `eval::disclosure` builds the [`Publication`] and maps the states back.
//!
//! The rules (docs/methodology.md section 7; *Handbook on Statistical Disclosure
//! Control*, ch. 4-5, and the τ-Argus audit of suppressed tables):
//!
//! - **Primary**: a sensitive cell with 0 < n < threshold (0 <= n < threshold where zeros are suppressed too).
//! - **What a reader knows**: every published value; every relation whose published members add up (one whose
//!   parts fall short of the total tells the reader only that the parts do not exceed it); that counts are never
//!   negative; and, assuming the worst, which hidden cells are primary, so that a primary cell lies in
//!   [1, threshold - 1] ([0, threshold - 1] where zeros are suppressed).
//! - **Audit**: for each suppressed cell the smallest and largest value consistent with all of that, solved as two
//!   linear programs ([`audit`]). A cell is protected when its range is not a single value and is at least the
//!   protection range wide (or as wide as what the reader knows a priori, when that is narrower).
//! - **Secondary**: while a cell is not protected, published cells that share a relation with it are hidden, as few
//!   as the search can find (fewest cells, then least total value), then every secondary cell that the audit does
//!   not need is published again ([`secondary`]).
//!
//! The cost is bounded by splitting: the audit's linear programs only couple hidden cells that share a relation,
//! so each connected set of hidden cells is its own table; a hidden cell alone in a relation is settled without a
//! solver (pinned), and a hidden cell in no relation has the range the reader knows a priori. In a large table a
//! cell is first shown wide enough from a small neighbourhood of it, the cells outside held at their true values
//! ([`local`]), and feasible points once found keep showing cells wide enough while they hold ([`witness`]). Every
//! step (table walks, propagation, linear programs) counts in a work budget ([`Rules::work_budget`]).

pub mod audit;
mod local;
mod movement;
mod optima;
mod secondary;
#[cfg(test)]
mod tests;
mod witness;

use serde::Serialize;

pub use audit::Range;

/// One value that will be published unless suppressed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// The true value (a count for sensitive cells).
    pub value: f64,
    /// The cell counts individual victims: small values are primarily suppressed.
    pub sensitive: bool,
}

/// A linear relation among published cells: `total + more_totals = sum of parts` (indices into
/// [`Publication::cells`]). Read as "the parts are at most the totals" when the published parts fall short (the
/// parts lie inside the totals and counts are not negative), and as an equation when the values add up.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub total: usize,
    pub parts: Vec<usize>,
    /// Further cells on the total's side, usually none. Two tilings of one span that no published period covers
    /// ("1 Oct 2024 - 30 Sep 2025 + Q4 2025 = Q4 2024 + 2025"), or the periods a gap between two dates is
    /// reached through (`eval::period_relations`).
    pub more_totals: Vec<usize>,
    /// The weight of each part, in the order of `parts` (empty: every part weighs 1): `total = sum(weight x part)`.
    /// An average over time is its parts weighted by their share of the days (a year's average of quarters of 20,
    /// 20, 20 and 4 is 16 = 20/4 + 20/4 + 20/4 + 4/4); every weight is positive.
    pub weights: Vec<f64>,
    /// The weight of each of `more_totals`, in their order (empty: each weighs 1, as `total` always does):
    /// `total + sum(more_weight x more_total) = sum(weight x part)`. A rule's larger side of several terms with
    /// their coefficients (`0.1 x received + 0.2 x referred`, by the first's); every weight is positive.
    pub more_weights: Vec<f64>,
}

impl Relation {
    /// The relation `total = sum of parts`.
    pub fn new(total: usize, parts: Vec<usize>) -> Self {
        Relation { total, parts, more_totals: Vec::new(), weights: Vec::new(), more_weights: Vec::new() }
    }

    /// The relation `total = sum(weight x part)`, for `(part, weight)` pairs.
    pub fn weighted(total: usize, parts: Vec<(usize, f64)>) -> Self {
        let (parts, weights) = parts.into_iter().unzip();
        Relation { total, parts, more_totals: Vec::new(), weights, more_weights: Vec::new() }
    }
}

/// Everything one run publishes of the sensitive figures: the cells and the relations a reader can use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Publication {
    pub cells: Vec<Cell>,
    pub relations: Vec<Relation>,
    /// How many cells at the end of `cells` are latent: unknowns a reader can reason with that are not figures
    /// (the count from a key's first date to a date no published period links to it, `eval::period_relations`),
    /// never published and needing no protection ([`CellState::Latent`]). Their values are one feasible choice.
    pub latent: usize,
}

/// The project's disclosure rules (`[confidentiality]` in `tiendo.toml`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// Sensitive counts below this are primarily suppressed; 0 or 1 disables suppression.
    pub threshold: f64,
    /// The narrowest range (largest minus smallest possible value, in counts) a reader may work out for a hidden
    /// cell; capped by what the reader knows a priori. Never less than "not a single value".
    pub protection: f64,
    /// Zero counts are primarily suppressed too (ONS practice); by default zero is published ("no victim" reveals
    /// nobody).
    pub suppress_zeros: bool,
    /// The work the search may do whatever the publication's size, in steps: every cell and relation member
    /// visited by a table walk or a neighbourhood, every term visited by bound propagation, every cell of a
    /// feasible point recorded, and per linear program of n variables and m rows `64 + (n + 1)(m + 1)` (the size of
    /// its tableau); [`DEFAULT_WORK_BUDGET`] unless a test asks for less. The search may take
    /// [`Rules::budget_for`] steps in all; past them, every value of the tables not yet settled is withheld
    /// ([`CellState::Withheld`]).
    pub work_budget: usize,
    /// The further steps the search may take per primary cell ([`DEFAULT_WORK_PER_PRIMARY`] unless a test asks for
    /// less), so that the budget grows with the publication: each hidden cell of a large table needs its own proof
    /// from a neighbourhood of it.
    pub work_per_primary: usize,
}

/// The default protection range: a reader must not narrow a hidden count to fewer than four possible values.
pub const DEFAULT_PROTECTION: f64 = 3.0;

/// The default fixed work budget of the search, in steps ([`Rules::work_budget`]): a step costs from a few
/// nanoseconds (a table walk) to about 60 (the small linear programs of neighbourhoods) on the development machine
/// of docs/performance.md. The frozen example and the whole-country test (97 units, 2021-2025, every year, half and
/// quarter, with the sex breakdown) use far less; see docs/performance.md for the cost at 10 million observations.
pub const DEFAULT_WORK_BUDGET: usize = 400_000_000;

/// The default further work per primary cell, in steps ([`Rules::work_per_primary`]). The commune-level run of
/// docs/performance.md (71,734 primary cells in 15 tables of about 5,000 hidden cells, joined by the provinces'
/// monthly totals) settles in about 530,000,000 steps, 7,400 per primary cell; this allows 10,000 besides the
/// fixed budget.
pub const DEFAULT_WORK_PER_PRIMARY: usize = 10_000;

impl Rules {
    /// The rules with the default protection range and zeros published.
    pub fn new(threshold: f64) -> Self {
        Rules {
            threshold,
            protection: DEFAULT_PROTECTION,
            suppress_zeros: false,
            work_budget: DEFAULT_WORK_BUDGET,
            work_per_primary: DEFAULT_WORK_PER_PRIMARY,
        }
    }

    /// The steps the search may take for a publication with `primary` primary cells: [`Rules::work_budget`] plus
    /// [`Rules::work_per_primary`] for each.
    pub fn budget_for(&self, primary: usize) -> u64 {
        (self.work_per_primary as u64).saturating_mul(primary as u64).saturating_add(self.work_budget as u64)
    }

    /// Whether a cell is primarily suppressed.
    pub fn is_primary(&self, cell: &Cell) -> bool {
        cell.sensitive
            && self.threshold > 1.0
            && cell.value < self.threshold
            && (cell.value > 0.0 || (self.suppress_zeros && cell.value == 0.0))
    }

    /// What a reader knows of a primary cell before reading any table: at least 1 (0 where zeros are suppressed)
    /// and below the threshold.
    pub fn primary_prior(&self) -> Range {
        let low = if self.suppress_zeros { 0.0 } else { 1.0 };
        Range { low, high: (self.threshold.ceil() - 1.0).max(low) }
    }

    /// What the audit assumes a reader knows of a hidden cell in `state` before reading any table. A primary cell
    /// lies in [`Rules::primary_prior`]. A reader who knows which cells are primary also knows that a hidden
    /// sensitive count that is not is no small count: 0 (where zeros are not suppressed) or at least the
    /// threshold. That is a union of two ranges, which a linear program cannot hold; the audit takes the one the
    /// true value lies in, a subset of what the reader knows, so any range it finds wide enough is at least as
    /// wide for the reader ("p1 + p2 = 12 with one of them primary" gave {1, 11}; round 47, found by a review
    /// helper). Every other cell: at least 0.
    pub fn prior(&self, cell: &Cell, state: CellState) -> Range {
        if state == CellState::Primary {
            return self.primary_prior();
        }
        if !cell.sensitive || self.threshold <= 1.0 {
            return Range::non_negative();
        }
        let first_not_small = self.threshold.ceil();
        if cell.value >= self.threshold {
            // A count is whole; a value between the threshold and the next whole number keeps its own bound.
            Range {
                low: if cell.value >= first_not_small { first_not_small } else { self.threshold },
                high: f64::INFINITY,
            }
        } else if cell.value == 0.0 && !self.suppress_zeros {
            Range { low: 0.0, high: 0.0 }
        } else {
            Range::non_negative()
        }
    }
}

/// Whether a cell may be published. Kept internal to evaluation: published outputs say "suppressed" for both
/// hidden kinds, since telling them apart would tell a reader which range a hidden count is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CellState {
    Published,
    /// A sensitive count below the threshold.
    Primary,
    /// Hidden so that the published figures do not reveal a primary cell.
    Secondary,
    /// Hidden because the search ran out of its work budget before it could settle a table near this cell: every
    /// cell connected to that table by a relation is hidden, so that no published figure bears on it (see
    /// [`protect`]).
    Withheld,
    /// Not a figure: an unknown of the relations ([`Publication::latent`]), never published, never audited.
    Latent,
}

/// The audit's conclusion on the final publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Nothing needed hiding: no cell and no matched ratio ([`Audit::matched_ratios`]).
    NothingSuppressed,
    /// Every hidden cell's feasible range is at least the protection range wide; also the verdict when no cell
    /// needed hiding but matched ratios did ([`Audit::matched_ratios`]), which hiding them protects.
    Protected,
    /// Some hidden cells cannot be protected by hiding more (the threshold leaves a reader a single possible
    /// value, or no relation offers a cell to hide); they are counted in [`Audit::unprotected`].
    Unprotected,
    /// The search ran out of its work budget: every table it settled is protected, and the tables it could not
    /// settle are withheld with every cell related to them ([`Audit::withheld`]).
    Withheld,
}

/// What the audit found and what it cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audit {
    pub verdict: Verdict,
    /// Cells hidden because they are small sensitive counts.
    pub primary: usize,
    /// Cells hidden so that no total reveals a primary cell.
    pub secondary: usize,
    /// Small counts no output of the run shows ([`Fixed::Unshown`]): of the units below those it publishes (the
    /// communes below its provinces), of a period a unit reported only in parts (its July and September, or two
    /// half months), the rest of a breakdown short of its total (victims of unrecorded sex) and of a unit's own
    /// total beyond its units' sum (victims no province recorded). The audit protects them as it protects the
    /// hidden cells: a province's quarter less its
    /// published months must not give away the quarter of the communes that report only quarters. Not counted in
    /// `primary`: they are not hidden from an output, they are in none.
    pub unshown_small: usize,
    /// Hidden cells whose range stays narrower than required.
    pub unprotected: usize,
    /// Cells that would have been published but are withheld because the work budget ran out before the tables
    /// around them were settled (0 when the search finished).
    pub withheld: usize,
    /// The protection range applied (in counts).
    pub protection: f64,
    /// What a reader knows of a cell suppressed as small before reading any table ([`Rules::primary_prior`]: 1 to
    /// threshold - 1). Where it is narrower than `protection`, the audit asks of such a cell only this whole range.
    pub primary_prior: Range,
    /// Independent tables (connected sets of hidden cells) in the final publication.
    pub tables: usize,
    /// Linear programs solved, over the whole search. Never published: how many the search needs depends on the
    /// hidden values (a second program runs where a cell's true value lies within the protection range of its
    /// bound), so the count narrows them (round 54, found by a review helper: it pinned a hidden 8 to {8, 9}).
    #[serde(skip)]
    pub linear_programs: usize,
    /// Steps of work the search did ([`Rules::work_budget`]); never published, as `linear_programs`.
    #[serde(skip)]
    pub work: u64,
    /// Values of matched ratios hidden besides the cells above (each with its numerator, denominator, change and
    /// percentage of target), because a unit the ratio leaves out has a hidden value or, where no output shows the
    /// unit, a small count: the parent's published total less the ratio's denominator would give it away
    /// (`eval::disclosure`, docs/methodology.md section 7). Counted per indicator, breakdown option, unit and period;
    /// 0 from [`protect`], which sees cells only.
    pub matched_ratios: usize,
}

impl Audit {
    /// Whether a cell suppressed as small is known a priori to lie in a range narrower than the protection range
    /// ([`Audit::primary_prior`]), so that the audit asks of it only that range: a published guarantee then says so
    /// rather than promise `protection + 1` values.
    pub fn prior_caps_protection(&self) -> bool {
        self.primary_prior.width() < self.protection
    }
}

/// The outcome of [`protect`]: one state per cell and the audit.
#[derive(Debug, Clone, PartialEq)]
pub struct Protection {
    pub states: Vec<CellState>,
    pub audit: Audit,
}

/// The feasible range a reader can work out for each hidden cell of `states` (`None` for published cells): the
/// audit's linear programs, two per hidden cell. For inspection and tests; [`protect`] decides with cheaper checks.
pub fn ranges(publication: &Publication, rules: &Rules, states: &[CellState]) -> Vec<Option<Range>> {
    let system = audit::System::new(publication);
    secondary::Search::new(&system, rules, u64::MAX).ranges(states)
}

/// Decides which cells are published: primary suppression, then secondary suppression until the audit of the
/// whole publication passes (or nothing more can help). Deterministic: the same publication gives the same states.
pub fn protect(publication: &Publication, rules: &Rules) -> Protection {
    protect_with(publication, rules, &[], |_| {})
}

/// What another publication of the same figures decided about a cell, which this one follows
/// ([`protect_keeping`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fixed {
    /// Decided here.
    #[default]
    Free,
    /// Shown by the other publication: never hidden as a secondary cell here (a primary cell is hidden anyway).
    Published,
    /// Hidden by the other publication: hidden here too, and never published again by the pruning.
    Hidden,
    /// A figure of a unit no output of this publication shows (a commune below the provinces a run publishes):
    /// never published; protected as a hidden cell is when it is small ([`Audit::unshown_small`]), else an unknown a
    /// reader reasons with, as a latent cell is. Its value is true, so its relations are equations.
    Unshown,
}

/// [`protect`], following `fixed` (indexed as the cells; shorter: the rest are [`Fixed::Free`]): the decisions of
/// another publication of the same figures (the run at country and province level, inside one with communes). Each
/// of its figures then has the same state here, and a reader of both knows this publication's figures and no more,
/// which the audit covers; hiding here a figure the other shows, while showing one it hides, let the two together
/// reveal a small count (a province's half year from one and its second quarter from the other: the first quarter by
/// subtraction). A withheld block withholds figures the other shows too.
///
/// A figure the other hides keeps here the width of the range it has there (with what this publication tells of
/// its own small counts, which it hides in any case: [`kept_widths`]), so that what this one shows besides (a
/// province's communes) tells a reader nothing new of it. Two such publications of different provinces then cannot
/// together pin a figure that each leaves open: the first left p in 28..31 and the second q in 39..42, and s = 68 - p
/// - q was 1 (methodology section 7).
pub fn protect_keeping(publication: &Publication, rules: &Rules, fixed: &[Fixed]) -> Protection {
    protect_with(publication, rules, fixed, |_| {})
}

/// The share of the work budget the kept widths may take ([`kept_widths`]): a quarter.
const KEPT_WIDTHS_SHARE: u64 = 4;

/// Per cell that `fixed` hides, the width of its feasible range (largest less smallest possible value, infinite
/// when unbounded) when every cell this publication decides is hidden too: what the other publication leaves a
/// reader, and what this one tells of its small counts, which it hides in any case. 0 for the other cells, and for
/// those not reached within a quarter of the work budget (two linear programs each over its table: 43 s for 235
/// cells of a table of 700 in a generated project of 144 rows; those keep the protection range only); empty when
/// `fixed` hides nothing. Returns the widths and the linear programs and steps it took.
fn kept_widths(publication: &Publication, rules: &Rules, fixed: &[Fixed]) -> (Vec<f64>, usize, u64) {
    let kept: Vec<usize> = (0..fixed.len()).filter(|&c| fixed[c] == Fixed::Hidden).collect();
    if kept.is_empty() {
        return (Vec::new(), 0, 0);
    }
    let states: Vec<CellState> = initial_states(publication, rules, fixed)
        .into_iter()
        .map(|state| if state == CellState::Published { CellState::Secondary } else { state })
        .enumerate()
        .map(|(c, state)| if fixed.get(c) == Some(&Fixed::Published) { CellState::Published } else { state })
        .collect();
    let system = audit::System::new(publication);
    let small = states.iter().filter(|s| **s == CellState::Primary).count();
    let mut search = secondary::Search::new(&system, rules, rules.budget_for(small) / KEPT_WIDTHS_SHARE);
    let ranges = search.ranges_of(&states, &kept);
    let widths = ranges.iter().map(|range| range.map_or(0.0, |r| r.width())).collect();
    (widths, search.linear_programs(), search.work())
}

/// The states before any secondary suppression: latent cells, small counts (primary), cells of units no output
/// shows that are not small (latent), cells `fixed` hides (secondary), the rest published.
fn initial_states(publication: &Publication, rules: &Rules, fixed: &[Fixed]) -> Vec<CellState> {
    let first_latent = publication.cells.len().saturating_sub(publication.latent);
    publication
        .cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let unshown = fixed.get(i) == Some(&Fixed::Unshown);
            if i >= first_latent || (unshown && !rules.is_primary(cell)) {
                CellState::Latent
            } else if rules.is_primary(cell) {
                CellState::Primary
            } else if fixed.get(i) == Some(&Fixed::Hidden) {
                CellState::Secondary
            } else {
                CellState::Published
            }
        })
        .collect()
}

/// [`protect`], with the search's strategies set by `configure` (changed only in tests: the neighbourhood proofs of
/// [`local`] off, which must change nothing but the cost, or the cell-by-cell fixing of large tables on small ones,
/// to check it against brute force).
fn protect_with(
    publication: &Publication,
    rules: &Rules,
    fixed: &[Fixed],
    configure: impl FnOnce(&mut secondary::Search),
) -> Protection {
    let mut states = initial_states(publication, rules, fixed);
    let unshown = |i: usize| fixed.get(i) == Some(&Fixed::Unshown);
    let small: Vec<usize> = (0..states.len()).filter(|&i| states[i] == CellState::Primary).collect();
    let unshown_small = small.iter().filter(|&&i| unshown(i)).count();
    let mut audit = Audit {
        verdict: Verdict::NothingSuppressed,
        primary: small.len() - unshown_small,
        unshown_small,
        secondary: 0,
        unprotected: 0,
        withheld: 0,
        protection: rules.protection,
        primary_prior: rules.primary_prior(),
        tables: 0,
        linear_programs: 0,
        work: 0,
        matched_ratios: 0,
    };
    if small.is_empty() && !fixed.contains(&Fixed::Hidden) {
        return Protection { states, audit };
    }
    let system = audit::System::new(publication);
    let mut search = secondary::Search::new(&system, rules, rules.budget_for(small.len()));
    let (widths, kept_programs, kept_work) = kept_widths(publication, rules, fixed);
    search.fixed = fixed.to_vec();
    search.kept_widths = widths;
    configure(&mut search);
    search.run(&mut states);
    let final_audit = search.audit_all(&states);
    audit.secondary = states.iter().filter(|s| **s == CellState::Secondary).count();
    audit.withheld = withhold(&system, &final_audit.unsettled, &mut states);
    // A withheld block publishes nothing, but what a reader knows of its primary cells a priori (below the
    // threshold) can still pin them; the cheap proofs of narrowness count those cells as unprotected.
    audit.unprotected = final_audit.unprotected + search.certainly_narrow(&final_audit.unsettled, &states);
    audit.tables = final_audit.tables;
    audit.linear_programs = search.linear_programs() + kept_programs;
    audit.work = search.work() + kept_work;
    audit.verdict = if audit.unprotected > 0 {
        Verdict::Unprotected
    } else if !final_audit.unsettled.is_empty() {
        Verdict::Withheld
    } else if audit.primary + audit.secondary == 0 {
        // Only figures no output shows were small, and the published figures do not give them away.
        Verdict::NothingSuppressed
    } else {
        Verdict::Protected
    };
    Protection { states, audit }
}

/// Withholds every published cell connected by relations to the `unsettled` hidden cells (whatever the states in
/// between) and returns how many. Nothing in such a connected block is then published, so no relation holds a
/// published number: the reader knows only that the block's counts are non-negative and satisfy its relations (a
/// cone that holds the true values scaled by any factor) and that its primary cells lie below the threshold. Those
/// bounds alone can pin a cell (a total of two primary cells of 1 each, with a threshold of 3); such cells are
/// counted unprotected afterwards ([`secondary::Search::certainly_narrow`]). This is the safe choice when the audit
/// could not finish, rather than publishing figures that might reveal a small count.
fn withhold(system: &audit::System<'_>, unsettled: &[usize], states: &mut [CellState]) -> usize {
    let mut seen = vec![false; states.len()];
    let mut queue: Vec<usize> = unsettled.to_vec();
    for &cell in unsettled {
        seen[cell] = true;
    }
    let mut withheld = 0;
    while let Some(cell) = queue.pop() {
        if states[cell] == CellState::Published {
            states[cell] = CellState::Withheld;
            withheld += 1;
        }
        for &link in &system.cell_links[cell] {
            for &(member, _) in &system.links[link as usize].members {
                if !std::mem::replace(&mut seen[member], true) {
                    queue.push(member);
                }
            }
        }
    }
    withheld
}
