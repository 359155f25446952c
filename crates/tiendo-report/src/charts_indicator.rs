//! The line chart of one indicator (split out of `charts.rs`): its series in its status colour, one line per period
//! type, the target and baseline, the mid-term marker and the legend below the plot. The rules of `charts.rs` hold:
//! a gap in the data breaks the line, synthetic and partial values are drawn apart, the SVG carries a title and a
//! text description ([`crate::chart_text`]).

use chrono::Datelike;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use tiendo_core::{Lang, Measure, Period, PeriodType};

use crate::chart_text;
use crate::charts::{
    CHART_WIDTH, ChartError, FONT, LegendMark, SYNTHETIC, SYNTHETIC_DASH, TEXT_SIZE, draw_legend, error, legend_height,
    palette, period_middle, status_colour, unit_text, year_fraction,
};
use crate::format;
use crate::i18n::{self, label};
use crate::model::{Cover, IndicatorReview, SeriesPoint, Value};

/// The colours of the lines of other period types than the main one, in turn; none is a status colour.
pub(crate) const OTHER_LINE_COLOURS: [RGBColor; 3] = [palette::BLUE, palette::REDDISH_PURPLE, palette::BLACK];

/// The series split into lines that each hold one period type, so that a half-year is never drawn on a yearly line
/// as if it were a year: the main line first (calendar years wherever the series has one, so that every chart of a
/// review draws years alike; else the type with the most points), then the others in type order, each in time
/// order. With the most points first, one year beside two half-years made the half-years the solid line and the
/// year the dotted one, the other way round from the charts around it (round 63, found by a review helper).
pub fn series_lines(series: &[SeriesPoint]) -> Vec<(PeriodType, Vec<&SeriesPoint>)> {
    let mut lines: Vec<(PeriodType, Vec<&SeriesPoint>)> = Vec::new();
    for point in series {
        let period_type = point.period.period_type();
        match lines.iter_mut().find(|(t, _)| *t == period_type) {
            Some((_, points)) => points.push(point),
            None => lines.push((period_type, vec![point])),
        }
    }
    lines.sort_by_key(|(period_type, _)| *period_type);
    let main = lines.iter().enumerate().max_by_key(|(index, (period_type, points))| {
        (*period_type == PeriodType::Year, points.len(), std::cmp::Reverse(*index))
    });
    if let Some((index, _)) = main {
        let main = lines.remove(index);
        lines.insert(0, main);
    }
    for (_, points) in &mut lines {
        points.sort_by_key(|p| (p.period.end(), p.period.start()));
    }
    lines
}

/// The line chart of an indicator: its series in its status colour, one line per period type (the others in their
/// own colours, each named in the legend), the target and baseline as horizontal lines, and the end of the review
/// window as the mid-term marker. Synthetic values are their own dashed grey runs with hollow markers and a legend
/// entry, never joined to a real value. `None` when there is no value to draw (a qualitative indicator, or no published value yet).
pub fn indicator_chart(indicator: &IndicatorReview, cover: &Cover, lang: Lang) -> Result<Option<String>, ChartError> {
    let chart_id = indicator.id.as_str();
    // Without a value there is nothing to compare with the target: the target is in the indicator table, and an
    // empty frame would take half a printed page (issue 13, item 5).
    if indicator.measure == Measure::Qualitative || indicator.series.iter().all(|p| p.value.number().is_none()) {
        return Ok(None);
    }
    // A scale's levels sit evenly on the axis, whatever their codes (`on_level_positions`); the description reads
    // the indicator as it is.
    let positional = on_level_positions(indicator);
    let description = chart_text::describe_indicator(indicator, lang);
    let indicator = positional.as_ref().unwrap_or(indicator);
    let frame = Frame::of(indicator, cover)?;
    let lines = series_lines(&indicator.series);
    let (legend, mid_term) = legend(indicator, cover, &frame, &lines, lang);

    const WIDTH: u32 = CHART_WIDTH;
    const PLOT_HEIGHT: u32 = 380;
    let fail = |e: String| error(chart_id)(e);
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (WIDTH, PLOT_HEIGHT + legend_height(&legend, WIDTH))).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        let (plot_area, legend_area) = root.split_vertically(PLOT_HEIGHT);
        let mut chart = ChartBuilder::on(&plot_area)
            // No caption: the heading above the chart says the same, and a long name would be cut at the SVG's
            // edge. The title is the SVG's <title>.
            .margin(12)
            .margin_top(20)
            // Room for half the last year's label, which is centred on the plot's right edge ("2026" was cut).
            .margin_right(24)
            .x_label_area_size(44)
            .y_label_area_size(if frame.ordinal { level_label_width(&indicator.scale, lang) } else { 80 })
            .build_cartesian_2d(frame.x_start..frame.x_end, frame.y_min..frame.y_max)
            .map_err(|e| fail(e.to_string()))?;
        draw_mesh(&mut chart, indicator, &frame, lang).map_err(fail)?;
        draw_references(&mut chart, &frame, mid_term).map_err(fail)?;
        draw_series(&mut chart, indicator, &frame, &lines, lang).map_err(fail)?;
        draw_legend(&legend_area, &legend, WIDTH).map_err(error(chart_id))?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    let title = format!("{} – {}", indicator.code, indicator.name.get(lang));
    Ok(Some(chart_text::accessible(&svg, &format!("indicator-{chart_id}"), &title, &description)))
}

/// An ordinal indicator with each level of its scale at its position 1..N: its values, levels, baseline and target
/// moved with them (a target between two levels at the level bound it means, `render::level_bound`), so that the
/// chart spaces the levels evenly (round 67, found by a verifier: coded 10, 20, 50, 70, High sat three times as far
/// above Medium as Medium above Low). `None` for any other indicator, or a value off the scale.
fn on_level_positions(indicator: &IndicatorReview) -> Option<IndicatorReview> {
    if !indicator.has_levels() || indicator.scale.is_empty() {
        return None;
    }
    // A level's rank among the codes, as evaluation reads it (`Indicator::scale_position`), whatever the order the
    // scale was written in.
    let position = |value: f64| {
        indicator
            .scale
            .iter()
            .any(|level| (level.value - value).abs() < 1e-9)
            .then(|| indicator.scale.iter().filter(|level| level.value < value - 1e-9).count() as f64 + 1.0)
    };
    let moved = |value: Value| match value {
        Value::Number(v) => position(v).map(Value::Number),
        other => Some(other),
    };
    let mut out = indicator.clone();
    for level in &mut out.scale {
        level.value = position(level.value)?;
    }
    for point in &mut out.series {
        point.value = moved(point.value)?;
    }
    if let Some(baseline) = out.baseline.as_mut() {
        baseline.value = moved(baseline.value)?;
    }
    if let Some(target) = out.target.as_mut() {
        let (comparator, value) = crate::render::level_bound(indicator, target.comparator, target.value);
        (target.comparator, target.value) = (comparator, position(value)?);
    }
    Some(out)
}

/// The chart area of an indicator's line chart.
type LineChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// What an indicator's chart spans: whole years on x (the programme's period and every point's), y from zero (or
/// below, for negative values; the scale's ends for an ordinal indicator) to above the highest value, target and
/// baseline.
struct Frame {
    x_start: f64,
    x_end: f64,
    year_count: usize,
    y_min: f64,
    y_max: f64,
    ordinal: bool,
    baseline: Option<f64>,
    target: Option<f64>,
    /// Where on the year axis the target's line runs: over the target's own period (a 2025 target from 2025 to
    /// 2026), never across earlier years, whose values it does not judge (round 68, found by a reader of the review:
    /// the T5 target of 2025 drawn from 2021 made the H1 2023 value look like a miss).
    target_span: (f64, f64),
}

impl Frame {
    /// The frame of `indicator`; an error when a value is too large to chart (plotters loops for ever looking for
    /// key points on an infinite range).
    fn of(indicator: &IndicatorReview, cover: &Cover) -> Result<Frame, ChartError> {
        let values = || indicator.series.iter().filter_map(|p| p.value.number());
        let ordinal = indicator.has_levels() && !indicator.scale.is_empty();
        let first_year =
            indicator.series.iter().map(|p| p.period.start().year()).chain([cover.programme_period.start().year()]);
        let last_year =
            indicator.series.iter().map(|p| p.period.end().year()).chain([cover.programme_period.end().year()]);
        let x_start = f64::from(first_year.min().unwrap_or(2021));
        let x_end = f64::from(last_year.max().unwrap_or(2025)) + 1.0;
        let baseline = indicator.baseline.as_ref().and_then(|b| b.value.number());
        let target = indicator.target.as_ref().map(|t| t.value);
        let target_span = indicator.target.as_ref().map_or((0.0, 0.0), |t| {
            (crate::charts::year_fraction(t.period.start()), crate::charts::year_fraction(t.period.end()) + 1.0 / 365.0)
        });
        let mut y_max = values().chain(baseline).chain(target).fold(0.0_f64, f64::max);
        if ordinal {
            y_max = indicator.scale.iter().map(|l| l.value).fold(y_max, f64::max) + 0.5;
        } else if indicator.measure == Measure::Percent {
            y_max = y_max.max(100.0) * 1.1;
        } else {
            y_max = if y_max > 0.0 { y_max * 1.2 } else { 1.0 };
        }
        let lowest = values().chain(baseline).chain(target).fold(0.0_f64, f64::min);
        let y_min = if ordinal {
            indicator.scale.iter().map(|l| l.value).fold(f64::INFINITY, f64::min) - 0.5
        } else {
            // Counts and rates start at zero; a quantity that can be negative (a change) gets room below zero.
            lowest * 1.2
        };
        if !(y_min.is_finite() && y_max.is_finite()) {
            return Err(error(&indicator.id)("the values are too large to chart".to_owned()));
        }
        let year_count = (x_end - x_start) as usize + 1;
        Ok(Frame { x_start, x_end, year_count, y_min, y_max, ordinal, baseline, target, target_span })
    }
}

/// The colour of line `index` of a series: the status colour for the main line, the others in turn.
fn line_colour(indicator: &IndicatorReview, index: usize) -> RGBColor {
    if index == 0 { status_colour(indicator.status) } else { OTHER_LINE_COLOURS[(index - 1) % 3] }
}

/// The legend of an indicator's chart (each line, synthetic values, the target, the baseline, the mid-term
/// marker), and where the mid-term marker goes when it falls inside the frame.
fn legend(
    indicator: &IndicatorReview,
    cover: &Cover,
    frame: &Frame,
    lines: &[(PeriodType, Vec<&SeriesPoint>)],
    lang: Lang,
) -> (Vec<(LegendMark, String)>, Option<f64>) {
    let unit = unit_text(indicator.unit.as_ref(), lang);
    let (scale, ordinal) = (&indicator.scale, frame.ordinal);
    // Targets and baselines with the decimals they are written with everywhere (`TargetView::decimals`): whole
    // numbers as the source writes them ("over 90%", not "90,0%"), any other number exactly, never rounded.
    let reference_text = |value: f64, decimals: u8| -> String {
        if ordinal {
            return scale_label(scale, value, lang).unwrap_or_else(|| format::number(value, decimals, lang));
        }
        format::with_unit(value, decimals, unit.as_deref(), lang)
    };
    let mut legend: Vec<(LegendMark, String)> = Vec::new();
    // The main line is named by its period type beside other lines, and alone when it is not of years (T5's only
    // values are half-years, drawn as "Result" with no word of it; round 69, a reader of the review).
    let main = match lines.first() {
        Some((period_type, _)) if lines.len() > 1 || *period_type != PeriodType::Year => {
            format!("{} ({})", label("series_legend", lang), format::period_type(*period_type, lang))
        }
        _ => label("series_legend", lang).to_owned(),
    };
    legend.push((
        LegendMark::Line { colour: status_colour(indicator.status), width: 3, dash: None },
        match &indicator.status_caution {
            // The legend has room for a few words of the caution the tables give in full (round 72).
            Some(caution) => {
                format!("{main} – {} ({})", i18n::indicator_status(indicator, lang), caution.short.get(lang))
            }
            None => format!("{main} – {}", i18n::indicator_status(indicator, lang)),
        },
    ));
    // Each other period type is its own line, compared with its own kind (a half with the same half of the year
    // before), and named in the legend.
    for (index, (period_type, points)) in lines.iter().enumerate().skip(1) {
        if points.iter().all(|p| p.value.number().is_none()) {
            continue;
        }
        legend.push((
            LegendMark::Line { colour: line_colour(indicator, index), width: 2, dash: Some((4, 3)) },
            format!("{} ({})", label("series_legend", lang), format::period_type(*period_type, lang)),
        ));
    }
    if indicator.series.iter().any(|p| p.synthetic && p.value.number().is_some()) {
        legend.push((
            LegendMark::Line { colour: SYNTHETIC, width: 2, dash: SYNTHETIC_DASH },
            label("synthetic_legend", lang).to_owned(),
        ));
    }
    // The hollow points drawn apart from the line (`draw_series`), named for what they are.
    let apart = |mark: fn(&SeriesPoint) -> bool| indicator.series.iter().any(|p| mark(p) && p.value.number().is_some());
    let hollow = match (apart(|p| p.partial && !p.synthetic), apart(|p| p.other_basis && !p.synthetic && !p.partial)) {
        (true, true) => Some("partial_or_other_basis_legend"),
        (true, false) => Some("partial_legend"),
        (false, true) => Some("other_basis_legend"),
        (false, false) => None,
    };
    if let Some(key) = hollow {
        legend.push((LegendMark::Hollow { colour: line_colour(indicator, 0) }, label(key, lang).to_owned()));
    }
    if let (Some(target_view), Some(target)) = (indicator.target.as_ref(), frame.target) {
        legend.push((
            LegendMark::Line { colour: palette::VERMILLION, width: 2, dash: Some((8, 5)) },
            format!(
                "{} ({}): {} {}{}",
                label("target", lang),
                format::period(target_view.period, lang),
                format::comparator(target_view.comparator, lang),
                reference_text(target, target_view.decimals),
                crate::render::target_words(target_view, lang)
            ),
        ));
    }
    if let (Some(baseline_view), Some(baseline)) = (indicator.baseline.as_ref(), frame.baseline) {
        legend.push((
            LegendMark::Line { colour: palette::GREY, width: 2, dash: Some((2, 4)) },
            format!(
                "{} ({}): {}",
                label("baseline", lang),
                crate::render::baseline_period(baseline_view, lang),
                reference_text(baseline, baseline_view.decimals)
                    + if baseline_view.yearly_average { crate::render::per_year(lang) } else { "" }
                    + &crate::render::baseline_words(baseline_view, lang)
            ),
        ));
    }
    let mid_term = year_fraction(cover.window.end()) + 1.0 / 365.0;
    let show_mid_term = mid_term > frame.x_start && mid_term < frame.x_end;
    if show_mid_term {
        legend.push((
            LegendMark::Tick { colour: BLACK },
            format!("{} ({})", label("mid_term", lang), format::date(cover.window.end(), lang)),
        ));
    }
    (legend, show_mid_term.then_some(mid_term))
}

/// The axes: whole years on x, few large ticks on y, each written with the decimals that keep them apart (scale
/// labels for an ordinal indicator).
fn draw_mesh(
    chart: &mut LineChart<'_, '_>,
    indicator: &IndicatorReview,
    frame: &Frame,
    lang: Lang,
) -> Result<(), String> {
    let (ordinal, scale) = (frame.ordinal, &indicator.scale);
    let y_desc = if ordinal {
        label("value", lang).to_owned()
    } else {
        unit_text(indicator.unit.as_ref(), lang).unwrap_or_else(|| label("value", lang).to_owned())
    };
    let y_ticks = if ordinal { indicator.scale.len() * 2 + 2 } else { 6 };
    let tick_decimals = chart_text::tick_decimals(&RangedCoordf64::from(frame.y_min..frame.y_max).key_points(y_ticks));
    let y_label = |y: &f64| {
        if ordinal { scale_label(scale, *y, lang).unwrap_or_default() } else { format::number(*y, tick_decimals, lang) }
    };
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(label("year", lang))
        .y_desc(&y_desc)
        .x_labels(frame.year_count)
        // Ticks fall on whole years; any other tick plotters might choose stays unlabelled.
        .x_label_formatter(&|x| if (x - x.round()).abs() < 1e-6 { format!("{x:.0}") } else { String::new() })
        .y_label_formatter(&y_label)
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xE5, 0xE5, 0xE5))
        .axis_desc_style((FONT, TEXT_SIZE))
        .label_style((FONT, TEXT_SIZE))
        .y_labels(y_ticks);
    mesh.draw().map_err(|e| e.to_string())
}

/// The target as a horizontal dashed line over its own period ([`Frame::target_span`]), the baseline across the
/// frame, and the mid-term marker.
fn draw_references(chart: &mut LineChart<'_, '_>, frame: &Frame, mid_term: Option<f64>) -> Result<(), String> {
    let (x_start, x_end) = (frame.x_start, frame.x_end);
    if let Some(target) = frame.target {
        let (from, to) = (frame.target_span.0.max(x_start), frame.target_span.1.min(x_end));
        chart
            .draw_series(DashedLineSeries::new(
                [(from, target), (to, target)],
                8,
                5,
                palette::VERMILLION.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
    }
    if let Some(baseline) = frame.baseline {
        chart
            .draw_series(DashedLineSeries::new(
                [(x_start, baseline), (x_end, baseline)],
                2,
                4,
                palette::GREY.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
    }
    if let Some(mid_term) = mid_term {
        chart
            .draw_series(DashedLineSeries::new(
                [(mid_term, frame.y_min), (mid_term, frame.y_max)],
                6,
                4,
                BLACK.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// One line per period type, and within it synthetic and real values in separate runs, with a marker and the
/// value at every point; then the periods without a publishable value, named at the bottom. A gap in the data
/// (missing or suppressed) breaks the line instead of being bridged, so that the chart does not suggest values that
/// were never published.
///
/// Every line is drawn first, then every label's light box, then every marker, then every label: a box never
/// covers another line's marker or label (round 68, found by a reader of the review: the half-years' boxes, drawn
/// after the years' line, hid digits of its 2022 labels, "90" read "9").
fn draw_series(
    chart: &mut LineChart<'_, '_>,
    indicator: &IndicatorReview,
    frame: &Frame,
    lines: &[(PeriodType, Vec<&SeriesPoint>)],
    lang: Lang,
) -> Result<(), String> {
    let value_style = (FONT, TEXT_SIZE - 1).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Bottom));
    let mut marks: Vec<PointMark> = Vec::new();
    for (index, (_, points)) in lines.iter().enumerate() {
        let line_colour = line_colour(indicator, index);
        for (synthetic, run) in line_runs(points) {
            if synthetic {
                chart.draw_series(DashedLineSeries::new(run, 6, 4, SYNTHETIC.stroke_width(2)))
            } else if index == 0 {
                chart.draw_series(LineSeries::new(run, line_colour.stroke_width(3)))
            } else {
                chart.draw_series(DashedLineSeries::new(run, 4, 3, line_colour.stroke_width(2)))
            }
            .map_err(|e| e.to_string())?;
        }
        marks.extend(points.iter().filter_map(|point| point_mark(indicator, frame, (index, line_colour), point, lang)));
    }
    place_labels(chart, &mut marks);
    chart
        .draw_series(marks.iter().filter(|mark| !mark.text.is_empty()).map(|mark| {
            // A light box behind the label, so that a line running through it does not cross out its words ("33
            // (derived) (provisional)" read through the half-year's line; round 67, found by a reader of the review).
            let half = label_half_width(&mark.text);
            EmptyElement::at(mark.at)
                + Rectangle::new(
                    [(mark.dx - half, mark.dy - 10 - TEXT_SIZE as i32), (mark.dx + half, mark.dy - 9)],
                    WHITE.mix(0.8).filled(),
                )
        }))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(marks.iter().map(|mark| EmptyElement::at(mark.at) + Circle::new((0, 0), mark.radius, mark.style)))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(marks.iter().map(|mark| {
            EmptyElement::at(mark.at) + Text::new(mark.text.clone(), (mark.dx, mark.dy - 10), value_style.clone())
        }))
        .map_err(|e| e.to_string())?;
    let gap_style = (FONT, TEXT_SIZE - 1).into_font().color(&palette::GREY).pos(Pos::new(HPos::Center, VPos::Bottom));
    chart
        .draw_series(indicator.series.iter().filter(|p| p.value.number().is_none()).map(|p| {
            EmptyElement::at((period_middle(p.period), frame.y_min))
                + Text::new(format::value(p.value, indicator.decimals, lang), (0, -4), gap_style.clone())
        }))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// A point's marker and label on the chart: where, the marker's radius and style, the label, and how far the label
/// is moved down from its place above the point (pixels; negative is up) so as not to cover another.
struct PointMark {
    at: (f64, f64),
    radius: i32,
    style: ShapeStyle,
    text: String,
    dy: i32,
    /// How far the label is moved right from its place centred on the point (pixels; negative is left), so that it
    /// stays inside the plotting area.
    dx: i32,
}

/// Half the width a label takes, in pixels (an estimate from its length: the SVG is measured by no font here; 0.43
/// of the font's size a character, the average of digits, lower-case letters and spaces in a sans-serif font, as
/// measured on the rendered charts), with 3 pixels each side.
fn label_half_width(text: &str) -> i32 {
    (text.chars().count() as i32 * (TEXT_SIZE as i32 - 1) * 43 / 100 + 6) / 2
}

/// Moves each label that would cover one placed before it: below its point, then up or further down a line at a
/// time, whichever first covers none (round 68, found by a verifier: two long labels, "330 (a break in the series)" and "328 (…)",
/// printed over each other and 328 could not be read). Labels are placed in the order they are drawn.
fn place_labels(chart: &LineChart<'_, '_>, marks: &mut [PointMark]) {
    let line = TEXT_SIZE as i32 + 3;
    let (x_range, _) = chart.plotting_area().get_pixel_range();
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    for mark in marks.iter_mut().filter(|mark| !mark.text.is_empty()) {
        let (x, y) = chart.backend_coord(&mark.at);
        let half = label_half_width(&mark.text);
        // A label near the right or left edge moves inward, so that it is never cut (round 68, found by a reader
        // of the review: "237 (provisional) (a break in the serie…").
        mark.dx = (x_range.end - (x + half)).min(0).max(x_range.start - (x - half));
        let x = x + mark.dx;
        let rect = |dy: i32| (x - half, y + dy - 10 - TEXT_SIZE as i32, x + half, y + dy - 9);
        let clear = |dy: i32| {
            let (l, t, r, b) = rect(dy);
            placed.iter().all(|&(pl, pt, pr, pb)| r <= pl || pr <= l || b <= pt || pb <= t)
        };
        let below = TEXT_SIZE as i32 + 2 * mark.radius + 14;
        let tries = [0, below, -line, below + line, -2 * line];
        mark.dy = tries.into_iter().find(|&dy| clear(dy)).unwrap_or(0);
        placed.push(rect(mark.dy));
    }
}

/// The marker and label of `point` on line `index` (drawn in `line_colour`); `None` without a number. The label
/// carries every mark the tables write ("88 (provisional)", "12†", "(partial)"), as methodology section 2 asks of a
/// chart's labels: only the synthetic one was written (round 65, found by a review helper).
fn point_mark(
    indicator: &IndicatorReview,
    frame: &Frame,
    (index, line_colour): (usize, RGBColor),
    point: &SeriesPoint,
    lang: Lang,
) -> Option<PointMark> {
    let y = point.value.number()?;
    let shown = point.shown_decimals(indicator.decimals);
    let percent = format::is_percent(indicator.unit.as_ref()) || indicator.measure == Measure::Percent;
    let mut text = if frame.ordinal {
        String::new()
    } else {
        format::value_in(crate::model::Value::Number(y), shown, percent, lang)
    };
    text.push_str(&chart_text::all_marks(point.value, chart_text::Marks::of(point), lang));
    let style = if point.synthetic {
        SYNTHETIC.stroke_width(2)
    } else if point.partial || point.other_basis {
        line_colour.stroke_width(2)
    } else {
        line_colour.filled()
    };
    let radius = if index == 0 { 5 } else { 4 };
    Some(PointMark { at: (period_middle(point.period), y), radius, style, text, dy: 0, dx: 0 })
}

/// The lines of a series: runs of consecutive numeric points, each marked synthetic or real, with at least two
/// points (partial figures and figures for date ranges stand alone). A gap in the data (missing or suppressed, or a
/// period the series does not hold, a year or more after the one before) breaks the line instead of being bridged,
/// so that the chart does
/// not suggest values that were never published; so does a change between real and synthetic values, which are
/// never drawn on one line.
pub(crate) fn line_runs(series: &[&SeriesPoint]) -> Vec<(bool, Vec<(f64, f64)>)> {
    let mut runs: Vec<(bool, Vec<(f64, f64)>)> = Vec::new();
    let mut current: Option<(bool, Vec<(f64, f64)>)> = None;
    let mut previous: Option<Period> = None;
    for point in series {
        // A period more than a year after the one before leaves out one the series lacks: the line breaks (the
        // first halves of 2023 and 2025 were joined across the missing 2024; round 63, found by a review helper).
        if previous.is_some_and(|p| point.period.start() > p.shift_years(1).start()) {
            runs.extend(current.take());
        }
        previous = Some(point.period);
        // A partial figure is never joined to its neighbours: a line through it would read as a real change. Nor is
        // a figure for a date range (not a whole period): two spans of different lengths are not a trend.
        // Nor a sum over the units below beside the unit's own reports: another basis is not a trend either.
        let lone = point.partial || point.other_basis || point.period.period_type() == PeriodType::Range;
        let Some(value) = point.value.number().filter(|_| !lone) else {
            runs.extend(current.take());
            continue;
        };
        if current.as_ref().is_some_and(|(synthetic, _)| *synthetic != point.synthetic) {
            runs.extend(current.take());
        }
        current.get_or_insert_with(|| (point.synthetic, Vec::new())).1.push((period_middle(point.period), value));
    }
    runs.extend(current);
    runs.retain(|(_, run)| run.len() > 1);
    runs
}

/// The label of the scale level at `value`, if there is one.
/// The width of the y labels of an ordinal scale: room for its longest level's label in `lang` at the chart's text
/// size ("Nhóm 2 - Danh sách theo dõi" was cut to "m 2 - Danh sách theo dõi" in 150 px; round 63, found by a review
/// helper), at least 150 px and at most 320.
fn level_label_width(scale: &[crate::model::ScaleLevel], lang: Lang) -> u32 {
    let longest = scale.iter().map(|level| level.label.get(lang).chars().count()).max().unwrap_or(0);
    (longest as u32 * 8 + 20).clamp(150, 320)
}

fn scale_label(scale: &[crate::model::ScaleLevel], value: f64, lang: Lang) -> Option<String> {
    scale.iter().find(|level| (level.value - value).abs() < 1e-9).map(|level| level.label.get(lang).to_owned())
}
