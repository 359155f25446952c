//! What every output reads of one indicator result besides its fields: a point of any evaluated period, the
//! cautions said beside its status, and whether a breakdown option has anything to show.

use crate::model::Text;
use crate::period::Period;

use super::{Breakdown, IndicatorResult, Point, Status};

impl IndicatorResult {
    /// The point of `period`: in the series, else among the points outside the window ([`Self::earlier`]).
    pub fn point(&self, period: Period) -> Option<&Point> {
        self.series.iter().chain(&self.earlier).find(|p| p.period == period)
    }

    /// What every output says beside the status of values that look like fractions written for percentages
    /// ([`IndicatorResult::values_as_fractions`], W357); `None` without them.
    pub fn fractions_caution(&self) -> Option<Text> {
        self.values_as_fractions.then(|| {
            Text::new(
                "mọi giá trị đều không quá 1 bên mục tiêu trên 1: gần như chắc chắn là phân số viết thay cho phần trăm, W357",
                "every value is at most 1 beside a target above 1: almost surely fractions written for percentages, W357",
            )
        })
    }

    /// Whether the target that decides the status is met, where the status says otherwise: `Some(false)` for an
    /// "achieved" whose target line is not met, `Some(true)` for a status short of it whose target line is met. Only
    /// the `open-sdg` method decides so (Open SDG counts a value at or beyond the target as achieved whatever the
    /// comparator: 40 against `= 50` from 60); every output says it beside the status (round 69). A band's two
    /// targets both decide: it is met when both are, missed when either is (round 72, found by an adversarial tester:
    /// 95.3 against `>= 85` and `<= 95` was "not achieved (... the target as set is met)", read from its first bound).
    pub fn against_target_line(&self) -> Option<bool> {
        let deciding: Vec<Option<bool>> = self.targets.iter().filter(|t| t.decides_status).map(|t| t.met).collect();
        let met = if deciding.contains(&Some(false)) {
            false
        } else if !deciding.is_empty() && deciding.iter().all(|m| *m == Some(true)) {
            true
        } else {
            return None;
        };
        match self.status {
            Status::Achieved => (!met).then_some(false),
            Status::OnTrack | Status::NeedsAcceleration | Status::OffTrack => met.then_some(true),
            Status::InsufficientData | Status::NotAssessed => None,
        }
    }
}

impl Breakdown {
    /// Whether the option has nothing to show: no point, no period whose value blends synthetic with real figures,
    /// no period over a denominator of 0.
    pub(super) fn shows_nothing(&self) -> bool {
        self.series.is_empty() && self.not_computed_blends.is_empty() && self.zero_denominators.is_empty()
    }
}
