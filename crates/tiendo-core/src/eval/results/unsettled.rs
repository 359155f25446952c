//! Why no value settles a target: the unit ended before the target's period did, the target's period is over with no
//! value of its own, or the value is from before the plan began (methodology 4.2). Every method then says
//! "insufficient data" with the reason, in place of a projection or an earlier value (`ResultContext::assessments`).

use super::*;

impl ResultContext<'_> {
    /// Why no value settles `target` when the value decided (`latest`) is of a period before the target's: the
    /// target's period had ended by the as-of date (an end-of-term review of 2025 targets with 2024's values only:
    /// the year the plan set is over and its value decides, not a projection to it or an earlier value "met so
    /// far"), or `latest` ends before `plan`'s own period begins (a yearly plan of 2024 read on 2023). `None` when
    /// neither holds (a mid-term reading of a target still to come) or there is no value at all (then the methods
    /// say so themselves).
    pub(super) fn unsettled(
        &self,
        target: &crate::model::Target,
        plan: Option<&crate::model::Plan>,
        latest: Option<&RawPoint>,
    ) -> Option<String> {
        let latest = latest?;
        if target.period.end() <= self.settings.as_of {
            return Some(format!(
                "the target's period {} had ended by {} and has no value of its own; the latest value is of {}: \
                 neither an earlier value nor a trend settles it",
                target.period, self.settings.as_of, latest.period
            ));
        }
        let begins = plan?.period.start();
        (latest.period.end() < begins).then(|| {
            format!(
                "the latest value ({}) is from before the plan's period began on {begins}: it does not assess the plan",
                latest.period
            )
        })
    }

    /// Why the unit's own data cannot settle `target`, when the unit ended before the target's period did (a province
    /// merged away in the middle of the target's year): "prov-a ended on 2025-06-30, before the end of the target's
    /// period 2025: no trend is projected to a period it did not finish; its territory is reported by prov-ab-2025
    /// from then on". `None` for a unit that lasts.
    pub(super) fn ended_before(&self, catalogue: &Catalogue, target: &crate::model::Target) -> Option<String> {
        let unit = catalogue.org_units.get(self.unit)?;
        let end = unit.valid_to.filter(|end| *end < target.period.end())?;
        let successors = match unit.successors.as_slice() {
            [] => String::new(),
            successors => format!("; its territory is reported by {} from then on", successors.join(", ")),
        };
        Some(format!(
            "{} ended on {end}, before the end of the target's period {}: no trend is projected to a period it did \
             not finish{successors}",
            self.unit, target.period
        ))
    }
}
