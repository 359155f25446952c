//! What a chart says in words, and the rules that keep a chart legible (issue 13, items 4, 6 and 7).
//!
//! * **Text alternative** (WCAG 2.1 SC 1.1.1): every SVG gets `role="img"`, a `<title>` (the chart's title) and a
//!   `<desc>` that states what it shows: the series with each period's value, the target and the baseline for an
//!   indicator; the highest and lowest units and what is hidden for a ranking; each period's parts for a breakdown.
//!   The same SVG stands alone beside the Markdown review, so the text lives in the SVG, not in the page around it.
//! * **Contrast** (WCAG 2.1 SC 1.4.3 and 1.4.11): [`contrast_ratio`] is the WCAG ratio of relative luminances;
//!   tests check that every line and bar colour is at least 3:1 against the chart background and every text colour
//!   at least 4.5:1, and [`text_on`] picks black or white text for a label drawn on a bar.
//! * **Distinct ticks**: [`tick_decimals`] gives the fewest decimals that write every tick of an axis differently
//!   (0.05 steps written with one decimal gave "0,3 0,3 0,2 0,2" on the R1 chart).

use plotters::style::RGBColor;
use tiendo_core::Lang;

use crate::charts::ranked_values;
use crate::format;
use crate::i18n::{self, label};
use crate::model::{Disaggregation, IndicatorReview, ProvincialComparison, Value};

/// WCAG 2.1 relative luminance of an sRGB colour (definition "relative luminance", with the 0.04045 threshold of
/// IEC 61966-2-1).
pub fn relative_luminance(colour: RGBColor) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(colour.0) + 0.7152 * channel(colour.1) + 0.0722 * channel(colour.2)
}

/// WCAG 2.1 contrast ratio `(L1 + 0.05) / (L2 + 0.05)`, L1 the lighter: from 1 (same) to 21 (black on white).
pub fn contrast_ratio(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    let (light, dark) = if la >= lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// Black or white, whichever contrasts more with `fill`: the colour of a value written on a bar.
pub fn text_on(fill: RGBColor) -> RGBColor {
    let (black, white) = (RGBColor(0, 0, 0), RGBColor(0xFF, 0xFF, 0xFF));
    if contrast_ratio(black, fill) >= contrast_ratio(white, fill) { black } else { white }
}

/// The fewest decimals (at most 6) that write every tick in `ticks` exactly, so that no two ticks read the same and
/// none reads as a value it is not (0.25 is never written 0.3); 0 for whole numbers. Axis ticks are round numbers
/// (plotters picks steps of 1, 2 or 5 times a power of ten), so a few decimals always suffice.
pub fn tick_decimals(ticks: &[f64]) -> u8 {
    exact_decimals(ticks.iter().copied(), 6)
}

/// The fewest decimals (at most `max`) that write every value in `values` exactly, `max` when none does: the
/// numbers written on bars and in descriptions, so that 0.124 is never written 0.
pub fn exact_decimals(values: impl IntoIterator<Item = f64>, max: u8) -> u8 {
    let values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
    (0..=max)
        .find(|&decimals| {
            let scale = 10_f64.powi(i32::from(decimals));
            values.iter().all(|v| ((v * scale).round() - v * scale).abs() < 1e-6)
        })
        .unwrap_or(max)
}

/// Escapes text for SVG (XML) character data and attribute values.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `svg` (as plotters writes it, one `<svg …>` root) with `role="img"`, an accessible name from `<title>` and a
/// description from `<desc>`. `id` makes the element ids unique within a page (`chart-{id}-title`); characters
/// other than ASCII letters, digits, `-` and `_` are replaced by `-`.
pub fn accessible(svg: &str, id: &str, title: &str, description: &str) -> String {
    let id: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
    let Some(start) = svg.find("<svg") else { return svg.to_owned() };
    let Some(end) = svg[start..].find('>').map(|e| start + e) else { return svg.to_owned() };
    let (head, rest) = svg.split_at(end);
    format!(
        "{head} role=\"img\" aria-labelledby=\"chart-{id}-title\" aria-describedby=\"chart-{id}-desc\">\n\
         <title id=\"chart-{id}-title\">{}</title>\n<desc id=\"chart-{id}-desc\">{}</desc>{}",
        xml_escape(title),
        xml_escape(description),
        &rest[1..]
    )
}

fn join(parts: &[String]) -> String {
    parts.join("; ")
}

/// Every mark evaluation gives a value, as a table writes it after the value.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Marks {
    pub(crate) synthetic: bool,
    pub(crate) estimate: bool,
    pub(crate) derived: bool,
    pub(crate) partial: bool,
    pub(crate) provisional: bool,
    /// A sum over the units below beside the unit's own reports (`SeriesPoint::other_basis`).
    pub(crate) other_basis: bool,
    /// The unit's own reports for part of the period, the units below for the rest (`SeriesPoint::combined`).
    pub(crate) combined: bool,
    /// A report for days after the unit's last day (`ProvinceValue::after_end`).
    pub(crate) after_end: bool,
    /// Holds a report of days before its unit existed (`SeriesPoint::restated`).
    pub(crate) restated: bool,
    /// The first value after a break in its series (`SeriesPoint::series_break`).
    pub(crate) series_break: bool,
    /// Reads reports that others contradict (`SeriesPoint::contested`).
    pub(crate) contested: bool,
    /// The indicator's limit the value lies beyond (`SeriesPoint::beyond_limit`).
    pub(crate) beyond_limit: Option<f64>,
}

impl Marks {
    /// These marks with a value's basis marks.
    fn with(self, basis: crate::model::BasisMarks) -> Marks {
        let (other_basis, combined, after_end, restated) =
            (basis.other_basis, basis.combined, basis.after_end, basis.restated);
        let (series_break, contested) = (basis.series_break, basis.contested);
        Marks { other_basis, combined, after_end, restated, series_break, contested, ..self }
    }

    /// The marks of a funnel stage's count.
    pub(crate) fn of_cell(cell: &crate::model_evidence::FunnelCell) -> Marks {
        Marks {
            synthetic: cell.synthetic,
            estimate: cell.estimate,
            derived: cell.derived,
            partial: cell.partial,
            provisional: cell.provisional,
            ..Marks::default().with(cell.basis_marks)
        }
    }

    /// The marks of a province's rate in a regional panel.
    pub(crate) fn of_regional(value: &crate::model_evidence::RegionalValue) -> Marks {
        Marks {
            synthetic: value.synthetic,
            estimate: value.estimate,
            derived: value.derived,
            partial: value.partial,
            provisional: value.provisional,
            beyond_limit: value.beyond_limit,
            ..Marks::default().with(value.basis_marks)
        }
    }

    /// The marks of a series point.
    pub(crate) fn of(point: &crate::model::SeriesPoint) -> Marks {
        Marks {
            synthetic: point.synthetic,
            estimate: point.estimate,
            derived: point.derived,
            partial: point.partial,
            provisional: point.provisional,
            beyond_limit: point.beyond_limit,
            ..Marks::default().with(point.basis_marks())
        }
    }
}

/// The marks written after a value on a chart and in its description, as the tables write them, so that a chart
/// copied without its table keeps them: the synthetic mark † (a value, even a suppressed one, that rests on synthetic
/// data), " (estimate)", " (derived)", " (partial)" for a number built from part of what was expected, " (sum of units below)"
/// (or " (own reports and units below)") and " (provisional)".
pub(crate) fn all_marks(value: Value, marks: Marks, lang: Lang) -> String {
    let mut text = String::new();
    if marks.synthetic && value != Value::Missing {
        text.push_str(label("synthetic_marker", lang));
    }
    if marks.estimate && value != Value::Missing {
        text.push_str(&format!(" {}", label("estimate_marker", lang)));
    }
    if marks.derived && value != Value::Missing {
        text.push_str(&format!(" {}", label("derived_marker", lang)));
    }
    if marks.partial && value.number().is_some() {
        text.push_str(&format!(" ({})", crate::render_evidence::label("partial", lang)));
    }
    if marks.other_basis && value.number().is_some() {
        text.push_str(&format!(" ({})", crate::render_evidence::other_basis_label(marks.combined, lang)));
    }
    if marks.provisional && value != Value::Missing {
        text.push_str(&format!(" ({})", label("provisional", lang)));
    }
    let timing = crate::render_evidence::timing_label(
        marks.after_end,
        marks.restated,
        (marks.series_break, marks.contested),
        lang,
    );
    if let Some(words) = timing.filter(|_| value.number().is_some()) {
        text.push_str(&format!(" ({words})"));
    }
    if let Some(limit) = marks.beyond_limit.filter(|_| value.number().is_some()) {
        text.push_str(&format!(
            " ({})",
            label("beyond_limit", lang).replace("{limit}", &format::number(limit, 0, lang))
        ));
    }
    text
}

/// A value of `indicator` with its unit: a percentage (its measure, or a unit written `%`) by [`format::share`], never
/// on 0 or 100 when it is not there ("> 99,9999"), as the tables write it.
pub(crate) fn indicator_number(indicator: &IndicatorReview, value: f64, decimals: u8, lang: Lang) -> String {
    if indicator.has_levels()
        && let Some(level) = indicator.scale.iter().find(|level| (level.value - value).abs() < 1e-9)
    {
        return level.label.get(lang).to_owned();
    }
    let unit = indicator.unit.as_ref().map(|u| u.get(lang)).filter(|u| !u.is_empty());
    match unit {
        Some(unit) if indicator.measure == tiendo_core::Measure::Percent && unit != "%" => {
            format!("{} {unit}", format::share(value, decimals, lang))
        }
        None if indicator.measure == tiendo_core::Measure::Percent => format::share(value, decimals, lang),
        _ => format::with_unit(value, decimals, unit, lang),
    }
}

/// What an indicator's line chart shows: each period's value (with the gaps named, synthetic and partial values
/// marked as the chart draws them apart), then target, baseline and status, in the report's language and number
/// format.
pub fn describe_indicator(indicator: &IndicatorReview, lang: Lang) -> String {
    let unit = indicator.unit.as_ref().map(|u| u.get(lang)).filter(|u| !u.is_empty());
    let mut points: Vec<_> = indicator.series.iter().collect();
    points.sort_by_key(|p| (p.period.end(), p.period.start()));
    let values: Vec<String> = points
        .iter()
        .map(|p| {
            let shown = match p.value {
                Value::Number(n) => indicator_number(indicator, n, p.shown_decimals(indicator.decimals), lang),
                other => format::value(other, indicator.decimals, lang),
            };
            let marks = all_marks(p.value, Marks::of(p), lang);
            format!("{}: {shown}{marks}", format::period(p.period, lang))
        })
        .collect();
    // A coded value (a TIP tier) is read by its label, as the series' values are: "Baseline (2020): 2" read as Tier 2
    // where the code 2 is the Tier 2 Watch List (round 65, found by a review helper).
    let level_or = |value: f64, decimals: u8| {
        if indicator.has_levels() {
            indicator_number(indicator, value, decimals, lang)
        } else {
            format::with_unit(value, decimals, unit, lang)
        }
    };
    let mut text = if values.is_empty() {
        label("chart_desc_no_values", lang).to_owned()
    } else {
        format!("{}: {}.", label("chart_desc_values", lang), join(&values))
    };
    if let Some(target) = &indicator.target {
        let bounds: Vec<String> = target
            .bounds()
            .map(|t| {
                let (comparator, value) = crate::render::level_bound(indicator, t.comparator, t.value);
                format!("{} {}", format::comparator(comparator, lang), level_or(value, t.decimals))
            })
            .collect();
        let and = if lang == Lang::Vi { " và " } else { " and " };
        text.push_str(&format!(
            " {} ({}): {}{}.",
            label("target", lang),
            format::period(target.period, lang),
            bounds.join(and),
            crate::render::target_words(target, lang)
        ));
    }
    if let Some(baseline) = &indicator.baseline {
        let value = match baseline.value {
            Value::Number(n) if baseline.yearly_average => {
                format::with_unit(n, baseline.decimals, unit, lang) + crate::render::per_year(lang)
            }
            Value::Number(n) => level_or(n, baseline.decimals),
            other => format::value(other, baseline.decimals, lang),
        };
        // The baseline's kind, as its table writes it (round 66, found by a verifier).
        let kind = match (baseline.estimate, baseline.derived, baseline.synthetic) {
            (true, _, _) => format!(" {}", label("estimate_marker", lang)),
            (false, true, _) => format!(" {}", label("derived_marker", lang)),
            (false, false, true) => format!(" ({})", label("synthetic_word", lang)),
            _ => String::new(),
        };
        let confirmed =
            if baseline.uncertain { format!(" ({})", label("not_confirmed_word", lang)) } else { String::new() };
        let period = crate::render::baseline_period(baseline, lang);
        text.push_str(&format!(" {} ({period}): {value}{kind}{confirmed}.", label("baseline", lang)));
    }
    // With what the tables say beside a status the method decided against its target's line (a screen reader reads
    // this text; round 69, a verifier).
    let note = indicator.status_remarks(lang).map(|n| format!(" ({n})")).unwrap_or_default();
    text.push_str(&format!(" {}: {}{note}.", label("status", lang), i18n::indicator_status(indicator, lang)));
    text
}

/// The marks of a province's value.
pub(crate) fn province_marks(p: &crate::model::ProvinceValue) -> Marks {
    Marks {
        synthetic: p.synthetic,
        estimate: p.estimate,
        derived: p.derived,
        partial: p.partial,
        provisional: p.provisional,
        beyond_limit: p.beyond_limit,
        ..Marks::default().with(p.basis_marks)
    }
}

/// The labels of the highest and lowest values: of the values shown, where some are suppressed.
fn extremes_labels(some_suppressed: bool) -> (&'static str, &'static str) {
    if some_suppressed {
        ("chart_desc_highest_shown", "chart_desc_lowest_shown")
    } else {
        ("chart_desc_highest", "chart_desc_lowest")
    }
}

/// What a ranking shows: how many units, the highest and the lowest (with their synthetic and partial marks), and
/// how many are hidden or without data.
pub fn describe_ranking(comparison: &ProvincialComparison, lang: Lang) -> String {
    let ranked = ranked_values(comparison);
    let numbers: Vec<_> = ranked.iter().filter(|p| p.value.number().is_some()).collect();
    let write = |p: &&&crate::model::ProvinceValue| {
        let marks = all_marks(p.value, province_marks(p), lang);
        let percent = format::is_percent(comparison.unit.as_ref());
        format!("{} {}{marks}", p.name.get(lang), format::value_in(p.value, comparison.decimals, percent, lang))
    };
    let mut parts = vec![format!("{}: {}", label("chart_desc_units", lang), ranked.len())];
    let suppressed = ranked.iter().filter(|p| p.value == Value::Suppressed).count();
    let (highest, lowest) = extremes_labels(suppressed > 0);
    if let (Some(first), Some(last)) = (numbers.first(), numbers.last()) {
        parts.push(format!("{}: {}", label(highest, lang), write(first)));
        parts.push(format!("{}: {}", label(lowest, lang), write(last)));
    }
    let undefined = ranked.iter().filter(|p| p.value == Value::Undefined).count();
    let missing = ranked.len() - numbers.len() - suppressed - undefined;
    if suppressed > 0 {
        parts.push(format!("{}: {suppressed}", label("value_suppressed", lang)));
    }
    if undefined > 0 {
        parts.push(format!("{}: {undefined}", label("value_undefined", lang)));
    }
    if missing > 0 {
        parts.push(format!("{}: {missing}", label("value_missing", lang)));
    }
    format!("{}. {}", join(&parts), label("chart_desc_table_below", lang))
}

/// The marks of a breakdown row after its period, as its table row writes them: " †", " (estimate)",
/// " (derived)", " (partial)", " (provisional)".
pub(crate) fn breakdown_row_marks(row: &crate::model::DisaggregationRow, lang: Lang) -> String {
    let mut marks = String::new();
    if row.synthetic {
        marks.push_str(&format!(" {}", label("synthetic_marker", lang)));
    }
    if row.estimate {
        marks.push_str(&format!(" {}", label("estimate_marker", lang)));
    }
    if row.derived {
        marks.push_str(&format!(" {}", label("derived_marker", lang)));
    }
    if row.partial {
        marks.push_str(&format!(" ({})", crate::render_evidence::label("partial", lang)));
    }
    if row.provisional {
        marks.push_str(&format!(" ({})", label("provisional", lang)));
    }
    if let Some(words) = crate::render_evidence::timing_label(false, false, (row.series_break, row.contested), lang) {
        marks.push_str(&format!(" ({words})"));
    }
    marks
}

/// What a breakdown chart shows: for each period with its row's marks ([`breakdown_row_marks`]), each part and the
/// reported total.
pub fn describe_breakdown(disaggregation: &Disaggregation, lang: Lang) -> String {
    let all = disaggregation.rows.iter().flat_map(|r| r.values.iter().chain([&r.total]).filter_map(|v| v.number()));
    let decimals = exact_decimals(all, 3);
    let percent = format::is_percent(disaggregation.unit.as_ref());
    let rows: Vec<String> = disaggregation
        .rows
        .iter()
        .map(|row| {
            let parts: Vec<String> = disaggregation
                .options
                .iter()
                .zip(&row.values)
                .map(|(option, value)| {
                    format!("{} {}", option.name.get(lang), format::value_in(*value, decimals, percent, lang))
                })
                .collect();
            format!(
                "{}{}: {}, {} {}",
                format::period(row.period, lang),
                breakdown_row_marks(row, lang),
                parts.join(", "),
                label("total", lang),
                format::value_in(row.total, decimals, percent, lang)
            )
        })
        .collect();
    format!("{}.", join(&rows))
}

/// What a regional comparison shows: the year and the target, then per region its coverage, highest and lowest
/// rate, and how many provinces are suppressed or without data.
pub fn describe_regional(comparison: &crate::model_evidence::RegionalComparison, lang: Lang) -> String {
    let unit = comparison.unit.as_ref().map(|u| u.get(lang)).filter(|u| !u.is_empty());
    let write = |v: &crate::model_evidence::RegionalValue| {
        let number = match v.value {
            Value::Number(n) => format::with_unit(n, comparison.decimals, unit, lang),
            other => format::value(other, comparison.decimals, lang),
        };
        let marks = all_marks(v.value, Marks::of_regional(v), lang);
        format!("{} {number}{marks}", v.name.get(lang))
    };
    let mut text = format!("{}.", format::period(comparison.period, lang));
    if let Some(target) = &comparison.target {
        text.push_str(&format!(
            " {} ({}): {} {}.",
            label("target", lang),
            format::period(target.period, lang),
            format::comparator(target.comparator, lang),
            // A target is written as its source writes it: "over 90%", not "90,0%", and never rounded.
            format::with_unit(target.value, target.decimals, unit, lang)
        ));
    }
    for panel in &comparison.panels {
        let numbers: Vec<_> = panel.values.iter().filter(|v| v.value.number().is_some()).collect();
        let mut parts = vec![crate::render_evidence::coverage(panel.reported, panel.expected, lang)];
        let suppressed = panel.values.iter().filter(|v| v.value == Value::Suppressed).count();
        let (highest, lowest) = extremes_labels(suppressed > 0);
        if let Some(first) = numbers.first() {
            parts.push(format!("{}: {}", label(highest, lang), write(first)));
        }
        if let Some(last) = numbers.last().filter(|_| numbers.len() > 1) {
            parts.push(format!("{}: {}", label(lowest, lang), write(last)));
        }
        if suppressed > 0 {
            parts.push(format!("{}: {suppressed}", label("value_suppressed", lang)));
        }
        text.push_str(&format!(" {}: {}.", panel.name.get(lang), join(&parts)));
    }
    text
}

/// What a funnel chart shows: for each year, each stage's count and its share of the first stage, "no data" and
/// the suppression mark where the table has them.
pub fn describe_funnel(funnel: &crate::model_evidence::Funnel, lang: Lang) -> String {
    let years: Vec<String> = funnel
        .years
        .iter()
        .map(|year| {
            let stages: Vec<String> = funnel
                .stages
                .iter()
                .zip(&year.cells)
                .enumerate()
                .map(|(index, (stage, cell))| {
                    let marks = all_marks(cell.value, Marks::of_cell(cell), lang);
                    let mut text = format!("{} {}{marks}", stage.name.get(lang), format::value(cell.value, 0, lang));
                    if index > 0 && cell.value.number().is_some() && !cell.partial {
                        text.push_str(&format!(" ({})", crate::render_evidence::share(cell.share, lang)));
                    }
                    text
                })
                .collect();
            format!("{}: {}", format::period(year.period, lang), stages.join(", "))
        })
        .collect();
    format!("{}.", join(&years))
}

#[cfg(test)]
#[path = "chart_text_tests.rs"]
mod tests;
