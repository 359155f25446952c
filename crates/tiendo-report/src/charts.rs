//! Charts drawn with plotters' SVG backend.
//!
//! plotters is built without its `ttf` feature, so it needs no system fonts: text becomes SVG `<text>` elements
//! that the browser renders with its own fonts (Vietnamese diacritics included), and plotters only estimates text
//! widths for layout. Output depends on nothing but the inputs, so the same review gives the same bytes.
//!
//! Colours are the Okabe-Ito palette, distinguishable with the common forms of colour blindness, with its three
//! lightest colours darkened so that every line and bar has at least 3:1 contrast on white (WCAG 2.1 SC 1.4.11;
//! tested in `chart_text`); status is also written in the legend, never shown by colour alone. Text is sized for a
//! phone: the stylesheet shows a chart at least 34rem wide, so its 13.7 px text stays above 11 px on screen. Each SVG
//! carries its title and a text description of its data ([`crate::chart_text`]).

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use tiendo_core::{Lang, Period};

use crate::chart_text;
use crate::format;
use crate::i18n::label;
use crate::model::{Disaggregation, ProvinceValue, ProvincialComparison, Status, Value};

pub use crate::charts_indicator::{indicator_chart, series_lines};

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("chart `{chart}` could not be drawn: {message}")]
pub struct ChartError {
    pub chart: String,
    pub message: String,
}

/// The Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"); orange, sky blue and yellow darkened to reach
/// 3:1 on white (original #E69F00 2.2:1, #56B4E9 2.3:1, #F0E442 1.2:1), grey to 4.5:1 so it can also write text.
pub mod palette {
    use plotters::style::RGBColor;

    pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);
    pub const ORANGE: RGBColor = RGBColor(0xB8, 0x78, 0x00);
    pub const SKY_BLUE: RGBColor = RGBColor(0x3B, 0x8A, 0xC4);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const YELLOW: RGBColor = RGBColor(0x8F, 0x7F, 0x00);
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    /// Neutral grey for "no data" and reference lines, dark enough for text (4.5:1 on white).
    pub const GREY: RGBColor = RGBColor(0x76, 0x76, 0x76);

    /// Colours for categories, in order; black is left out because it is used for text.
    pub const CATEGORICAL: [RGBColor; 7] = [ORANGE, SKY_BLUE, BLUISH_GREEN, BLUE, VERMILLION, REDDISH_PURPLE, YELLOW];
}

/// The colour of a status, also used in the HTML stylesheet.
pub fn status_colour(status: Status) -> RGBColor {
    match status {
        Status::Achieved => palette::BLUISH_GREEN,
        Status::OnTrack => palette::BLUE,
        Status::AtRisk => palette::ORANGE,
        Status::OffTrack | Status::NotAchieved => palette::VERMILLION,
        Status::NoData | Status::NoValue => palette::GREY,
        Status::NotAssessed => palette::BLACK,
    }
}

/// `#RRGGBB` for a colour.
pub fn hex(colour: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

pub(crate) const FONT: &str = "sans-serif";
/// Tick labels, legend and values: 17 (plotters writes `font-size` as 17 / 1.24, about 13.7 px) in a 640 px chart.
pub(crate) const TEXT_SIZE: u32 = 17;
/// The width of the line and breakdown charts, in SVG px.
pub(crate) const CHART_WIDTH: u32 = 640;

/// Synthetic values: dark grey (darker than "no data" so that it stays legible), dashed, hollow markers.
pub(crate) const SYNTHETIC: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(crate) const SYNTHETIC_DASH: Option<(i32, i32)> = Some((6, 4));

pub(crate) fn error(chart: &str) -> impl Fn(String) -> ChartError + '_ {
    move |message| ChartError { chart: chart.to_owned(), message }
}

/// The position of a date on a year axis: 2023-07-02 is about 2023.5.
pub(crate) fn year_fraction(date: NaiveDate) -> f64 {
    let days_in_year = if NaiveDate::from_ymd_opt(date.year(), 2, 29).is_some() { 366.0 } else { 365.0 };
    f64::from(date.year()) + f64::from(date.ordinal0()) / days_in_year
}

/// A period's middle on a year axis, where its value is plotted.
pub(crate) fn period_middle(period: Period) -> f64 {
    let start = year_fraction(period.start());
    let end = year_fraction(period.end()) + 1.0 / 365.0;
    (start + end) / 2.0
}

/// The mark drawn beside a legend entry.
#[derive(Clone, Copy)]
pub(crate) enum LegendMark {
    /// A line, dashed when `dash` is `(dash length, gap)`.
    Line { colour: RGBColor, width: u32, dash: Option<(i32, i32)> },
    /// A short vertical line, for the mid-term marker.
    Tick { colour: RGBColor },
    /// A filled square, for bars.
    Swatch { colour: RGBColor },
    /// A hollow circle, for the points drawn apart from the line (partial figures, sums of the units below).
    Hollow { colour: RGBColor },
}

const LEGEND_ROW_HEIGHT: u32 = 24;

/// How tall the legend strip for `items` is when laid out in rows across `width` pixels.
pub(crate) fn legend_height(items: &[(LegendMark, String)], width: u32) -> u32 {
    legend_layout(items, width).last().map_or(0, |(_, y)| *y as u32 + LEGEND_ROW_HEIGHT + 8)
}

/// The top-left corner of each legend entry. Text width is estimated from the character count, as plotters does
/// for SVG, because the real width depends on the reader's font.
fn legend_layout(items: &[(LegendMark, String)], width: u32) -> Vec<(i32, i32)> {
    let mut positions = Vec::with_capacity(items.len());
    let (mut x, mut y) = (16_i32, 4_i32);
    for (_, text) in items {
        let entry_width = 34 + 9 * text.chars().count() as i32 * TEXT_SIZE as i32 / 15;
        if x > 16 && x + entry_width > width as i32 - 8 {
            x = 16;
            y += LEGEND_ROW_HEIGHT as i32;
        }
        positions.push((x, y));
        x += entry_width + 18;
    }
    positions
}

/// Draws the legend below the plot rather than over it, so that it never hides data.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(LegendMark, String)],
    width: u32,
) -> Result<(), String> {
    let text_style = (FONT, TEXT_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
    for ((mark, text), (x, y)) in items.iter().zip(legend_layout(items, width)) {
        let middle = y + LEGEND_ROW_HEIGHT as i32 / 2;
        match *mark {
            LegendMark::Line { colour, width, dash: None } => area
                .draw(&PathElement::new([(x, middle), (x + 24, middle)], colour.stroke_width(width)))
                .map_err(|e| e.to_string())?,
            LegendMark::Line { colour, width, dash: Some((dash, gap)) } => {
                let mut start = x;
                while start < x + 24 {
                    let end = (start + dash).min(x + 24);
                    area.draw(&PathElement::new([(start, middle), (end, middle)], colour.stroke_width(width)))
                        .map_err(|e| e.to_string())?;
                    start = end + gap;
                }
            }
            LegendMark::Tick { colour } => area
                .draw(&PathElement::new([(x + 12, middle - 7), (x + 12, middle + 7)], colour.stroke_width(1)))
                .map_err(|e| e.to_string())?,
            LegendMark::Swatch { colour } => area
                .draw(&Rectangle::new([(x + 5, middle - 7), (x + 19, middle + 7)], colour.filled()))
                .map_err(|e| e.to_string())?,
            LegendMark::Hollow { colour } => {
                area.draw(&Circle::new((x + 12, middle), 5, colour.stroke_width(2))).map_err(|e| e.to_string())?
            }
        }
        area.draw(&Text::new(text.clone(), (x + 30, middle), text_style.clone())).map_err(|e| e.to_string())?;
    }
    Ok(())
}

pub(crate) fn unit_text(unit: Option<&tiendo_core::Text>, lang: Lang) -> Option<String> {
    unit.map(|u| u.get(lang).to_owned()).filter(|u| !u.is_empty())
}

/// What tells the two horizontal bar charts (ranked and stacked) apart; the rest of their frame is shared.
struct HorizontalBars<'a> {
    /// Width of the area left of the plot that holds the row labels.
    label_width: u32,
    /// The right end of the value axis, which starts at 0.
    x_max: f64,
    /// Rows on the value axis: at least two, because plotters' segmented integer axis needs two segments.
    count: usize,
    /// Row labels from the top row down; rows beyond them stay unnamed.
    row_labels: &'a [String],
    x_desc: &'a str,
    y_desc: &'a str,
    tick_label_size: u32,
}

/// The chart area of a horizontal bar chart: values along x, one segment a row along y with the first row at the
/// top (row index `count - 1 - position`), and the mesh and label styles both bar charts share. No caption: the
/// heading above the chart gives its title, and the SVG's <title> carries it.
fn horizontal_bar_chart<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, Shift>,
    layout: &HorizontalBars<'_>,
    lang: Lang,
    chart_id: &str,
) -> Result<BarChart<'a, 'b>, ChartError> {
    let count = layout.count;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_top(20)
        .x_label_area_size(44)
        .y_label_area_size(layout.label_width)
        .build_cartesian_2d(0.0..layout.x_max, (0..count - 1).into_segmented())
        .map_err(|e| error(chart_id)(e.to_string()))?;
    let y_label = |y: &SegmentValue<usize>| match y {
        SegmentValue::CenterOf(row) if *row < count => {
            layout.row_labels.get(count - 1 - row).cloned().unwrap_or_default()
        }
        _ => String::new(),
    };
    let x_decimals = chart_text::tick_decimals(&RangedCoordf64::from(0.0..layout.x_max).key_points(6));
    chart
        .configure_mesh()
        .x_labels(6)
        .x_desc(layout.x_desc)
        .y_desc(layout.y_desc)
        .x_label_formatter(&|x| format::number(*x, x_decimals, lang))
        .y_label_formatter(&y_label)
        .y_labels(count)
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xE5, 0xE5, 0xE5))
        .axis_desc_style((FONT, TEXT_SIZE))
        .label_style((FONT, layout.tick_label_size))
        .draw()
        .map_err(|e| error(chart_id)(e.to_string()))?;
    Ok(chart)
}

/// Ranked horizontal bars, largest first; suppressed and missing values are listed last and named, never drawn
/// as zero-length bars. As in the regional panels, a synthetic value is a dark-grey bar and a partial one an outlined
/// bar, each with its mark after the value.
pub fn ranked_bars(comparison: &ProvincialComparison, lang: Lang) -> Result<String, ChartError> {
    let chart_id = comparison.id.as_str();
    let values = ranked_values(comparison);
    let ranked: Vec<(String, Value)> = values.iter().map(|p| (p.name.get(lang).to_owned(), p.value)).collect();
    let decimals = comparison.decimals;
    // The text after a bar (or where it would start): the value, the synthetic mark, "(partial)".
    let written: Vec<String> = values
        .iter()
        .map(|p| {
            let marks = chart_text::all_marks(p.value, chart_text::province_marks(p), lang);
            format!(
                "{}{marks}",
                format::value_in(p.value, decimals, format::is_percent(comparison.unit.as_ref()), lang)
            )
        })
        .collect();
    // plotters' segmented integer axis needs at least two segments; a single row gets an empty one below it.
    let count = ranked.len().max(2);
    let unit = unit_text(comparison.unit.as_ref(), lang);
    let max = ranked.iter().filter_map(|(_, v)| v.number()).fold(0.0_f64, f64::max);
    let x_max = if max > 0.0 { max * 1.15 } else { 1.0 };
    if !x_max.is_finite() {
        return Err(error(chart_id)("the values are too large to chart".to_owned()));
    }
    let longest_name = ranked.iter().map(|(name, _)| name.chars().count()).max().unwrap_or(8);
    let label_width = (longest_name as u32 * 8 + 16).clamp(80, 260);
    let height = 120 + 24 * count as u32;
    // The map is in the title, so that a chart copied without its heading says which provinces it ranks (round 58).
    let title = format!(
        "{} – {}, {}",
        comparison.title.get(lang),
        format::period(comparison.period, lang),
        crate::i18n::province_map(comparison.map, comparison.provinces, lang)
    );
    let x_desc = unit.clone().unwrap_or_else(|| label("value", lang).to_owned());

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (CHART_WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| error(chart_id)(e.to_string()))?;
        // Rank 1 is drawn at the top: row index `count - 1 - rank`.
        let names: Vec<String> = ranked.iter().map(|(name, _)| name.clone()).collect();
        let layout = HorizontalBars {
            label_width,
            x_max,
            count,
            row_labels: &names,
            x_desc: &x_desc,
            y_desc: label("province", lang),
            tick_label_size: 13,
        };
        let mut chart = horizontal_bar_chart(&root, &layout, lang, chart_id)?;
        // Values that cannot be drawn as a bar are named where the bar would start.
        let gap_style = (FONT, 13).into_font().color(&palette::GREY).pos(Pos::new(HPos::Left, VPos::Center));
        chart
            .draw_series(ranked.iter().enumerate().filter(|(_, (_, value))| value.number().is_none()).map(
                |(rank, _)| {
                    let row = count - 1 - rank;
                    EmptyElement::at((0.0, SegmentValue::CenterOf(row)))
                        + Text::new(written[rank].clone(), (4, 0), gap_style.clone())
                },
            ))
            .map_err(|e| error(chart_id)(e.to_string()))?;
        chart
            .draw_series(ranked.iter().enumerate().filter_map(|(rank, (_, value))| {
                let row = count - 1 - rank;
                let colour = if values[rank].synthetic { SYNTHETIC } else { palette::BLUE };
                let style = if values[rank].partial { colour.stroke_width(2) } else { colour.filled() };
                value.number().map(|v| {
                    let mut bar =
                        Rectangle::new([(0.0, SegmentValue::Exact(row)), (v, SegmentValue::Exact(row + 1))], style);
                    bar.set_margin(3, 3, 0, 0);
                    bar
                })
            }))
            .map_err(|e| error(chart_id)(e.to_string()))?;
        chart
            .draw_series(ranked.iter().enumerate().filter_map(|(rank, (_, value))| {
                let row = count - 1 - rank;
                value.number().map(|v| {
                    EmptyElement::at((v, SegmentValue::CenterOf(row)))
                        + Text::new(
                            written[rank].clone(),
                            (4, 0),
                            (FONT, 13).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center)),
                        )
                })
            }))
            .map_err(|e| error(chart_id)(e.to_string()))?;
        root.present().map_err(|e| error(chart_id)(e.to_string()))?;
    }
    let description = chart_text::describe_ranking(comparison, lang);
    Ok(chart_text::accessible(&svg, &format!("provinces-{chart_id}"), &title, &description))
}

/// Province values in rank order ([`rank_order`]).
pub fn ranked_values(comparison: &ProvincialComparison) -> Vec<&ProvinceValue> {
    let mut ranked: Vec<&ProvinceValue> = comparison.values.iter().collect();
    ranked.sort_by(|a, b| rank_order(a, b));
    ranked
}

/// The order of province values in a ranking: numbers from largest to smallest, then suppressed, then missing; ties
/// in Vietnamese alphabetical order of the name ([`crate::collation`]), the same in every language, then by id.
pub fn rank_order(a: &ProvinceValue, b: &ProvinceValue) -> std::cmp::Ordering {
    let key = |value: &ProvinceValue| match value.value.number() {
        Some(v) => (0, -v),
        None if value.value == Value::Suppressed => (1, 0.0),
        None => (2, 0.0),
    };
    let (ka, kb) = (key(a), key(b));
    ka.0.cmp(&kb.0)
        .then(ka.1.total_cmp(&kb.1))
        .then_with(|| crate::collation::compare(&a.name.vi, &b.name.vi))
        .then_with(|| a.org_unit.cmp(&b.org_unit))
}

/// Horizontal stacked bars, one per period, one segment per option; the reported total is marked with a tick so
/// that a breakdown that does not add up shows.
pub fn stacked_bars(disaggregation: &Disaggregation, lang: Lang) -> Result<String, ChartError> {
    let chart_id = disaggregation.id.as_str();
    let rows = &disaggregation.rows;
    // plotters' segmented integer axis needs at least two segments; a single row gets an empty one below it.
    let count = rows.len().max(2);
    let unit = unit_text(disaggregation.unit.as_ref(), lang);
    let row_sum = |row: &crate::model::DisaggregationRow| row.values.iter().filter_map(|v| v.number()).sum::<f64>();
    let max = rows.iter().map(|r| row_sum(r).max(r.total.number().unwrap_or(0.0))).fold(0.0_f64, f64::max);
    // Room on the right for the "reported total" label.
    let x_max = if max > 0.0 { max * 1.35 } else { 1.0 };
    let plot_height = 130 + 44 * count as u32;
    let legend = breakdown_legend(disaggregation, lang);
    const WIDTH: u32 = CHART_WIDTH;
    let legend_height = legend_height(&legend, WIDTH);
    let title = disaggregation.title.get(lang).to_owned();
    let x_desc = unit.unwrap_or_else(|| label("value", lang).to_owned());
    // Each period with its row's marks, as the table writes them: a partial national breakdown reads as such even
    // when the chart is copied without the table.
    let periods: Vec<String> = rows
        .iter()
        .map(|r| format!("{}{}", format::period_short(r.period, lang), chart_text::breakdown_row_marks(r, lang)))
        .collect();
    let marked = rows.iter().any(|r| r.partial || r.estimate || r.provisional || r.synthetic);
    // A rate of 0.124 is written 0,124, never 0.
    let value_decimals = chart_text::exact_decimals(
        rows.iter().flat_map(|r| r.values.iter().chain([&r.total])).filter_map(|v| v.number()),
        3,
    );

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, plot_height + legend_height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| error(chart_id)(e.to_string()))?;
        let (plot_area, legend_area) = root.split_vertically(plot_height);
        let layout = HorizontalBars {
            label_width: if marked { 190 } else { 90 },
            x_max,
            count,
            row_labels: &periods,
            x_desc: &x_desc,
            y_desc: label("period", lang),
            tick_label_size: TEXT_SIZE,
        };
        let mut chart = horizontal_bar_chart(&plot_area, &layout, lang, chart_id)?;

        let numbers = (value_decimals, lang);
        for option_index in 0..disaggregation.options.len() {
            draw_option_segments(&mut chart, rows, option_index, x_max, numbers, chart_id)?;
        }
        draw_total_ticks(&mut chart, rows, numbers, chart_id)?;
        draw_legend(&legend_area, &legend, WIDTH).map_err(error(chart_id))?;
        root.present().map_err(|e| error(chart_id)(e.to_string()))?;
    }
    let description = chart_text::describe_breakdown(disaggregation, lang);
    Ok(chart_text::accessible(&svg, &format!("disaggregation-{chart_id}"), &title, &description))
}

/// The legend of a breakdown chart: a swatch per option in the categorical palette, then the reported total's tick.
fn breakdown_legend(disaggregation: &Disaggregation, lang: Lang) -> Vec<(LegendMark, String)> {
    disaggregation
        .options
        .iter()
        .enumerate()
        .map(|(index, option)| {
            (
                LegendMark::Swatch { colour: palette::CATEGORICAL[index % palette::CATEGORICAL.len()] },
                option.name.get(lang).to_owned(),
            )
        })
        .chain([(LegendMark::Tick { colour: BLACK }, label("total", lang).to_owned())])
        .collect()
}

/// The chart of [`stacked_bars`]: values on x, one segment per row (period) on y, the first row at the top.
type BarChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordusize>>>;

/// One option's segments of every row, stacked after the options before it, each labelled with its value (black or
/// white, whichever reads better on the colour) where it is wide enough (over 4 % of the axis). `decimals` is the
/// number of decimals every value is written with, and the language.
fn draw_option_segments(
    chart: &mut BarChart<'_, '_>,
    rows: &[crate::model::DisaggregationRow],
    option_index: usize,
    x_max: f64,
    (decimals, lang): (u8, Lang),
    chart_id: &str,
) -> Result<(), ChartError> {
    let count = rows.len().max(2);
    let colour = palette::CATEGORICAL[option_index % palette::CATEGORICAL.len()];
    let segments: Vec<(usize, f64, f64)> = rows
        .iter()
        .enumerate()
        .filter_map(|(index, row)| {
            let value = row.values.get(option_index).and_then(|v| v.number())?;
            let start: f64 = row.values.iter().take(option_index).filter_map(|v| v.number()).sum();
            Some((count - 1 - index, start, start + value))
        })
        .collect();
    chart
        .draw_series(segments.iter().map(|&(row, start, end)| {
            let mut bar = Rectangle::new(
                [(start, SegmentValue::Exact(row)), (end, SegmentValue::Exact(row + 1))],
                colour.filled(),
            );
            bar.set_margin(6, 6, 0, 0);
            bar
        }))
        .map_err(|e| error(chart_id)(e.to_string()))?;
    let text_style =
        (FONT, 13).into_font().color(&chart_text::text_on(colour)).pos(Pos::new(HPos::Center, VPos::Center));
    chart
        .draw_series(segments.iter().filter(|(_, start, end)| (end - start) / x_max > 0.04).map(
            |&(row, start, end)| {
                Text::new(
                    format::number(end - start, decimals, lang),
                    ((start + end) / 2.0, SegmentValue::CenterOf(row)),
                    text_style.clone(),
                )
            },
        ))
        .map_err(|e| error(chart_id)(e.to_string()))?;
    Ok(())
}

/// The reported total of each row as a black tick with its value, right of the bar.
fn draw_total_ticks(
    chart: &mut BarChart<'_, '_>,
    rows: &[crate::model::DisaggregationRow],
    (decimals, lang): (u8, Lang),
    chart_id: &str,
) -> Result<(), ChartError> {
    let count = rows.len().max(2);
    let total_label = label("total", lang);
    chart
        .draw_series(rows.iter().enumerate().filter_map(|(index, row)| {
            let total = row.total.number()?;
            Some(
                EmptyElement::at((total, SegmentValue::CenterOf(count - 1 - index)))
                    + PathElement::new([(0, -14), (0, 14)], BLACK.stroke_width(2))
                    + Text::new(
                        format!("{}: {}", total_label, format::number(total, decimals, lang)),
                        (6, 0),
                        (FONT, 13).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center)),
                    ),
            )
        }))
        .map_err(|e| error(chart_id)(e.to_string()))?;
    Ok(())
}

#[cfg(test)]
#[path = "charts_tests.rs"]
mod tests;
