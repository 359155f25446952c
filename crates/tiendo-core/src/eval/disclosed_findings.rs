//! Validation findings as a publication may show them: a finding states both sides' values and that a rule fails,
//! so one that reads a suppressed count would publish it ("victims <= received does not hold: 3 vs 2" beside a
//! victims cell marked suppressed), or narrow it ("victims > 8"). Such findings are not listed; `tiendo eval
//! --show-suppressed` keeps them for internal use.
//!
//! Whether a rule holds is as telling as whether it fails (`victims = received` holding pins victims to received),
//! so a finding is dropped by where it is, never counted: the review says, once, that findings at suppressed values
//! are not listed, whether or not the rule holds there (docs/methodology.md section 7).

use super::Evaluation;
use super::aggregate::Cube;
use super::disclosure::CellStates;
use super::refs::is_sensitive;
use super::validation::Violation;
use crate::disclosure::CellState;
use crate::model::Catalogue;

/// `findings` without those that read a hidden count: a cell of the publication in any state but published, or,
/// where the publication has no cell (a commune, a period the run does not show), any sensitive count. A commune's
/// 40 victims quoted in a finding ("40 vs 30") beside its province's published 45 gave its sibling's 5, which the
/// audit had taken as unknown (round 46, found by a review helper). All of them when `show_suppressed` (internal
/// use). Returns the findings kept and whether any was left out.
pub(super) fn withhold_hidden(
    catalogue: &Catalogue,
    cube: &mut Cube,
    cells: &CellStates,
    findings: Vec<Violation>,
    show_suppressed: bool,
) -> (Vec<Violation>, bool) {
    if show_suppressed {
        return (findings, false);
    }
    let before = findings.len();
    let kept: Vec<Violation> =
        findings.into_iter().filter(|finding| !reads_hidden(catalogue, cube, cells, finding)).collect();
    let withheld = kept.len() < before;
    (kept, withheld)
}

/// Whether a sensitive element the finding's rule reads is hidden at the finding's unit and period, or has a value
/// there that the publication has no cell for.
fn reads_hidden(catalogue: &Catalogue, cube: &mut Cube, cells: &CellStates, finding: &Violation) -> bool {
    let Some(rule) = catalogue.validation_rules.get(&finding.rule) else { return false };
    let references: Vec<usize> = rule
        .left
        .elements()
        .into_iter()
        .chain(rule.right.elements())
        .filter(|r| is_sensitive(catalogue, &r.element))
        .filter_map(|r| cube.ref_index(r))
        .collect();
    references.into_iter().any(|reference| match cells.state(reference, &finding.org_unit, finding.period) {
        Some(state) => state != CellState::Published,
        None => cells.active() && cube.value(reference, &finding.org_unit, finding.period).is_some(),
    })
}

impl Evaluation {
    /// Whether findings may have been left out of [`Evaluation::validation`] because they read a suppressed count:
    /// the catalogue has validation rules, the audit hid something (or a finding read a count no output shows), and
    /// values are not shown anyway. Outputs then
    /// say, once, that findings at suppressed values are not listed (which tells a reader nothing about any cell).
    pub fn findings_at_suppressed_not_listed(&self, catalogue: &Catalogue) -> bool {
        let audit = &self.disclosure;
        let hid = audit.primary + audit.secondary + audit.withheld + audit.matched_ratios > 0;
        !catalogue.validation_rules.is_empty() && (hid || self.findings_withheld) && !self.show_suppressed
    }
}
