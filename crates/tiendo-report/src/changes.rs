//! A value's change on the same period a year earlier as the review shows it: the evaluation's own change, or why
//! the evaluation gives none (a suppressed term, two values it does not compare and why, no earlier value). The
//! report never recomputes a change: the narrative's `{{change}}` and the headline table both read this.

use serde::Serialize;
use tiendo_core::eval::{IndicatorResult, Point, ValueState};
use tiendo_core::{ChangeKind, Lang, Period};

use crate::figures::{Results, is_partial};
use crate::format;
use crate::i18n::label;

/// The change of a published value on the same period a year earlier ("so với cùng kỳ"), as decided by evaluation
/// (`tiendo_core::eval::Point::change`, docs/methodology.md section 3).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ChangeView {
    /// The evaluation's change: the difference, in percentage points for a percentage and in levels for a scale or a
    /// yes/no (`unit`), and for the rest, when the earlier value is not zero, the relative change in %.
    Change { previous_period: Period, absolute: f64, unit: ChangeKind, percent: Option<f64> },
    /// One of the two values is suppressed: a change would reveal it.
    Suppressed { previous_period: Period },
    /// Both values exist but evaluation does not compare them, for each of `reasons` (never empty).
    NotComparable { previous_period: Period, reasons: Vec<NotComparable> },
    /// There is no value for the same period a year earlier.
    NoPrevious { previous_period: Period },
}

/// Why evaluation gives no change between two values of an indicator at one unit (methodology section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotComparable {
    /// A unit's own report against a sum of the units below it (a national report against a sum of provinces).
    Basis,
    /// A synthetic value against a real one.
    Kind,
    /// Values of two areas: the unit's area changed between the two periods (a district moved in or out, the unit
    /// began inside the earlier period; `tiendo_core::eval::Point::area_changed`).
    Area,
    /// A partial value (or one withheld as partial), compared only under `[assessment] coverage = "flag"`.
    Partial,
    /// A break in the series between the two periods: the count's definition changed
    /// (`tiendo_core::eval::Point::series_break`).
    Break,
    /// One of the two values reads reports that others contradict (`tiendo_core::eval::Point::contested`).
    Contested,
    /// Evaluation gave no change and none of the reasons above holds; the review says only "not comparable".
    Other,
}

impl ChangeView {
    /// The period the value is compared with.
    pub fn previous_period(&self) -> Period {
        match *self {
            ChangeView::Change { previous_period, .. }
            | ChangeView::Suppressed { previous_period }
            | ChangeView::NotComparable { previous_period, .. }
            | ChangeView::NoPrevious { previous_period } => previous_period,
        }
    }

    /// The change in words when there is no number: "suppressed", "not comparable (…)" or "no data"; `None` for a
    /// change.
    pub fn words(&self, lang: Lang) -> Option<String> {
        match *self {
            ChangeView::Change { .. } => None,
            ChangeView::Suppressed { .. } => Some(label("value_suppressed", lang).to_owned()),
            ChangeView::NotComparable { ref reasons, .. } => Some(not_comparable(reasons, lang)),
            ChangeView::NoPrevious { .. } => Some(label("value_missing", lang).to_owned()),
        }
    }

    /// The difference with `decimals` and its sign, labelled in percentage points for a percentage (`+7,0 điểm
    /// phần trăm`); `None` without a change. A difference that is not 0 is kept off 0 with more decimals, with its
    /// own sign: a ratio from 1.06 to 1.04 changed by -0.02, never "+0.0" (round 70, found by an adversarial
    /// tester); levels are whole.
    pub fn absolute_text(&self, decimals: u8, lang: Lang) -> Option<String> {
        let ChangeView::Change { absolute, unit, .. } = *self else { return None };
        Some(match unit {
            ChangeKind::PercentagePoints => {
                format!("{} {}", format::signed_share(absolute, decimals, lang), label("percentage_points", lang))
            }
            ChangeKind::Relative => format::signed_share(absolute, decimals, lang),
            ChangeKind::Levels => format::signed(absolute, decimals, lang),
        })
    }

    /// Whether the difference is in percentage points (and so carries its unit already).
    pub fn in_points(&self) -> bool {
        matches!(self, ChangeView::Change { unit: ChangeKind::PercentagePoints, .. })
    }

    /// The relative change ("+16.9%"), only for a count, ratio or rate (a percentage's change is in points, a
    /// scale's in levels) and never on an earlier zero.
    pub fn percent_text(&self, lang: Lang) -> Option<String> {
        match *self {
            ChangeView::Change { percent: Some(percent), unit: ChangeKind::Relative, .. } => {
                Some(format!("{}%", format::signed_share(percent, 1, lang)))
            }
            _ => None,
        }
    }
}

/// "not comparable (synthetic against real data)" and the like, every reason given, in `lang`.
pub fn not_comparable(reasons: &[NotComparable], lang: Lang) -> String {
    let why: Vec<&str> = reasons
        .iter()
        .filter_map(|reason| match reason {
            NotComparable::Basis => Some(label("change_basis", lang)),
            NotComparable::Kind => Some(label("change_kind", lang)),
            NotComparable::Area => Some(label("change_area", lang)),
            NotComparable::Partial => Some(label("narrative_partial", lang)),
            NotComparable::Break => Some(label("change_break", lang)),
            NotComparable::Contested => Some(label("change_contested", lang)),
            NotComparable::Other => None,
        })
        .collect();
    if why.is_empty() {
        return label("not_comparable", lang).to_owned();
    }
    format!("{} ({})", label("not_comparable", lang), why.join("; "))
}

/// The change of `point` of `result` as the review shows it; `None` when the point itself has no published value
/// (missing, or withheld as partial). A suppressed term makes the change suppressed; otherwise the evaluation's
/// change is taken as it is, and without one the reason is read from the two points in the order evaluation checks
/// them (basis, coverage, kind, area), every one that holds.
pub(crate) fn change_of(results: &Results<'_>, result: &IndicatorResult, point: &Point) -> Option<ChangeView> {
    let previous_period = point.period.same_period_last_year();
    match (point.state, point.value) {
        (ValueState::Suppressed, _) => return Some(ChangeView::Suppressed { previous_period }),
        (ValueState::Value, Some(_)) => {}
        _ => return None,
    }
    let Some(previous) = result.point(previous_period) else {
        return Some(ChangeView::NoPrevious { previous_period });
    };
    match (previous.state, previous.value) {
        (ValueState::Suppressed, _) => return Some(ChangeView::Suppressed { previous_period }),
        (ValueState::Value, None) => return Some(ChangeView::NoPrevious { previous_period }),
        _ => {}
    }
    if let Some(change) = &point.change {
        return Some(ChangeView::Change {
            previous_period,
            absolute: change.absolute,
            unit: change.kind,
            percent: change.percent,
        });
    }
    let reasons: Vec<NotComparable> = [
        (previous.basis != point.basis, NotComparable::Basis),
        (is_partial(point) || is_partial(previous), NotComparable::Partial),
        (results.is_synthetic(point) != results.is_synthetic(previous), NotComparable::Kind),
        (point.area_changed.is_some(), NotComparable::Area),
        (point.series_break.is_some(), NotComparable::Break),
        (point.contested || previous.contested, NotComparable::Contested),
    ]
    .into_iter()
    .filter_map(|(holds, reason)| holds.then_some(reason))
    .collect();
    let reasons = if reasons.is_empty() { vec![NotComparable::Other] } else { reasons };
    Some(ChangeView::NotComparable { previous_period, reasons })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A change that is not 0 keeps its sign and stays off 0, in every unit (round 70: -0.02 was "+0.0").
    #[test]
    fn a_change_is_shown_off_zero_with_its_own_sign() {
        let cases = [
            (-0.02, ChangeKind::Relative, 1, Lang::En, "-0.02"),
            (0.004, ChangeKind::Relative, 1, Lang::En, "+0.004"),
            (-0.25, ChangeKind::Relative, 0, Lang::Vi, "-0,3"),
            (13.0, ChangeKind::Relative, 0, Lang::En, "+13"),
            (-0.02, ChangeKind::PercentagePoints, 1, Lang::En, "-0.02 percentage points"),
            (1.0, ChangeKind::Levels, 0, Lang::En, "+1"),
        ];
        for (absolute, unit, decimals, lang, shown) in cases {
            let change = ChangeView::Change { previous_period: Period::Year(2022), absolute, unit, percent: None };
            assert_eq!(change.absolute_text(decimals, lang).as_deref(), Some(shown), "{absolute} {unit:?}");
        }
    }
}
