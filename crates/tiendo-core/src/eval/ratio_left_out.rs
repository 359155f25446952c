//! Why a unit is left out of a ratio (W330): the part it did not report, and what each of its own parts covers of
//! the period, as the warning names it (split from `ratio.rs` by concern).

use crate::eval::aggregate::Cube;
use crate::period::{Period, PeriodType};

/// The part of a ratio a unit did not report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Side {
    Numerator,
    Denominator,
}

/// Why a unit is left out of a ratio in one period (W330).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum LeftOut {
    /// It did not report this part, of its own or over the whole period.
    Lacks(Side),
    /// Its parts from the units below it hold days its value in the territory leaves out: days after it ended (a
    /// district's year past its province's end), or days another unit's own report holds (a successor's restatement):
    /// matched, they would add those days (round 57; named as such since round 58, W330 having described its
    /// coverage instead).
    BelowExceeds,
}

/// What one part of a ratio (its numerator or its denominator) covers of a period at a unit left out of the ratio:
/// what W330 says, so that it names exactly what is unmatched.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cover {
    /// The unit's reports of the part cover every day of the period.
    Whole,
    /// They cover part of it only: what is missing, as coverage names it (`2023Q4 missing`, `nothing from prov-a`
    /// for a member of a merged unit).
    Part(Vec<String>),
    /// The part is reported only for a longer period around this one (a year beside the other part's quarters),
    /// which is never divided.
    Within(Period),
    /// The part is not reported at all.
    Nothing,
}

/// Why a unit is left out of a ratio in one period.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Mismatch {
    /// What its own numerator and denominator each cover of the period.
    Covers { numerator: Cover, denominator: Cover },
    /// The unit reports one part itself and the other comes only from the units below it: its own part is left
    /// out and the units' matched parts are used. `Side` is the part it lacks of its own.
    BesideChildren(Side),
    /// Its parts from the units below hold days its value leaves out ([`LeftOut::BelowExceeds`]).
    BelowExceeds,
}

impl Mismatch {
    /// What `unit`'s own parts cover of `period`; `refs` are the cube references of the numerator's and the
    /// denominator's elements.
    pub(crate) fn read(
        cube: &mut Cube,
        (numerator, denominator): (&[usize], &[usize]),
        unit: u32,
        period: Period,
    ) -> Self {
        Mismatch::Covers {
            numerator: cover(cube, numerator, unit, period),
            denominator: cover(cube, denominator, unit, period),
        }
    }
}

/// What a unit's own reports of a ratio part (the references `refs`) cover of `period`.
fn cover(cube: &mut Cube, refs: &[usize], unit: u32, period: Period) -> Cover {
    let values: Vec<_> = refs.iter().map(|&r| cube.value_of(r, unit, period)).collect();
    if values.iter().all(Option::is_none) {
        let longer = [PeriodType::Quarter, PeriodType::Half, PeriodType::Year]
            .map(|period_type| Period::containing(period.start(), period_type))
            .into_iter()
            .filter(|p| *p != period && p.contains(&period))
            .find(|&p| refs.iter().any(|&r| cube.value_of(r, unit, p).is_some_and(|v| !v.is_partial())));
        return longer.map_or(Cover::Nothing, Cover::Within);
    }
    if values.iter().all(|v| v.is_some_and(|v| !v.is_partial())) {
        return Cover::Whole;
    }
    let id = cube.units.ids[unit as usize].clone();
    let (mut periods, mut units): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for &r in refs {
        let Some(coverage) = cube.coverage(r, &id, period) else { continue };
        // The unit is named once in the warning: its own missing periods are written without its id.
        let own = coverage.missing_periods.iter().map(|e| e.strip_prefix(&format!("{id} ")).unwrap_or(e).to_owned());
        periods.extend(own.filter(|e| !periods.contains(e)).collect::<Vec<_>>());
        units.extend(coverage.missing.into_iter().filter(|u| !units.contains(u)).collect::<Vec<_>>());
    }
    let mut missing = Vec::new();
    if !periods.is_empty() {
        missing.push(format!("{} missing", periods.join(", ")));
    }
    if !units.is_empty() {
        missing.push(format!("nothing from {}", units.join(", ")));
    }
    Cover::Part(missing)
}
