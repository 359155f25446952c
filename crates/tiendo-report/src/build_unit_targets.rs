//! The targets a plan sets for units other than its own ("Tỉnh C: at most 30 cases in 2025" in the programme), as
//! the review lists them beside the plan's own result: such a target is no target of the plan's unit, and the
//! national row showed a province's "≤ 30 (2025)" beside Viet Nam's 83 in four places, while the province's 28, which
//! met it, was said nowhere (round 71, found by an adversarial tester).

use tiendo_core::eval::{TargetResult, ValueState};
use tiendo_core::{Catalogue, Lang, Plan, Target, Text};

use crate::ReviewInput;
use crate::figures::Results;

/// "Targets of this plan for other units: Tỉnh C: 2025 ≤ 30, met; ...", in both languages, with what evaluation
/// decided of each at its unit (met, not met, not met yet, its value suppressed, or no value to compare); `None`
/// when the plan sets `indicator` no target at another unit within the window.
pub(super) fn other_units_comment(
    catalogue: &Catalogue,
    plan: &Plan,
    results: &Results<'_>,
    indicator: &str,
    input: &ReviewInput,
) -> Option<Text> {
    let elsewhere: Vec<_> = plan
        .targets_for(indicator)
        .filter_map(|t| Some((t, t.org_unit.as_deref().filter(|&u| u != plan.org_unit)?)))
        .filter(|(t, _)| input.window.overlaps(&t.period))
        .collect();
    if elsewhere.is_empty() {
        return None;
    }
    let decimals = catalogue.indicators.get(indicator).map_or(0, |i| i.decimals);
    let list = |lang: Lang| {
        let items: Vec<String> = elsewhere
            .iter()
            .map(|&(target, unit)| {
                let name = catalogue.org_units.get(unit).map_or(unit, |u| u.name.get(lang));
                let value = crate::format::number(
                    target.value,
                    tiendo_core::eval::exact::target_decimals(target.value, decimals),
                    lang,
                );
                let mut outcome = outcome(results, (indicator, unit), plan, target, (lang, decimals));
                // Decided on values that look like fractions written for percentages (W357, round 72).
                if let Some(caution) = results.get(indicator, unit).and_then(super::fractions_caution) {
                    outcome.push_str(&format!(" ({})", caution.short.get(lang)));
                }
                format!(
                    "{name}: {} {} {value}, {outcome}",
                    crate::format::period(target.period, lang),
                    crate::render::comparator_symbol(target.comparator)
                )
            })
            .collect();
        items.join("; ")
    };
    Some(Text::new(
        format!("Mục tiêu của kế hoạch này cho các đơn vị khác: {}", list(Lang::Vi)),
        format!("Targets of this plan for other units: {}", list(Lang::En)),
    ))
}

/// What evaluation decided of the plan's `target` at `unit`, in words: of that target, never of another the plan
/// sets for the same period (a band of `<= 30` and `>= 29` read "not met" beside 28 for both; round 71, found by a
/// verifier). A target not settled (no verdict: a value of an earlier period, a unit that ended) names the value and
/// its period: "met" beside a province's 2024 value of 29, for its 2025 target, gave a verdict evaluation did not
/// (round 74, found by a verifier).
fn outcome(
    results: &Results<'_>,
    (indicator, unit): (&str, &str),
    plan: &Plan,
    target: &Target,
    (lang, decimals): (Lang, u8),
) -> String {
    let words = |vi: &str, en: &str| if lang == Lang::Vi { vi.to_owned() } else { en.to_owned() };
    let result = results.get(indicator, unit);
    let same = |t: &&TargetResult| {
        t.plan == plan.id && t.period == target.period && t.comparator == target.comparator && t.value == target.value
    };
    let Some(target) = result.and_then(|r| r.targets.iter().find(same)) else {
        return words("không có số liệu để so sánh", "no value to compare");
    };
    let hidden = result.is_some_and(|r| {
        r.series.iter().any(|p| Some(p.period) == target.compared_period && p.state == ValueState::Suppressed)
    });
    // The value compared and its period, for a target it does not settle.
    let compared = match (target.compared_value, target.compared_period) {
        (Some(value), Some(period)) => {
            let decimals = target.decimals.unwrap_or(decimals).max(decimals);
            let shown = crate::format::number(value, decimals, lang);
            format!("{shown} ({})", crate::format::period(period, lang))
        }
        _ => String::new(),
    };
    match target.met {
        _ if hidden => words("số liệu bị ẩn", "its value suppressed"),
        Some(true) if target.verdict => words("đạt", "met"),
        Some(true) => words(&format!("{compared} đạt, chưa có kết luận"), &format!("{compared} meets it, no verdict")),
        Some(false) if target.verdict => words("không đạt", "not met"),
        Some(false) => words(&format!("{compared} chưa đạt"), &format!("{compared} does not meet it, no verdict")),
        None => words("không có số liệu để so sánh", "no value to compare"),
    }
}
