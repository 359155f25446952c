//! Small multiples of horizontal bars (issue 13, items 2-3): a grid of panels drawn on one scale, each panel a list
//! of labelled bars. Two charts use it: the provincial comparison of a rate, one panel per socio-economic region
//! with the target as a line on every panel, and the justice-chain and victim funnels, one panel per year with a
//! bar per stage.
//!
//! The rules the other charts keep hold here too: a suppressed value or one without data is named in grey where
//! its bar would start and never drawn as a bar (not even a zero-length one); a synthetic value is a dark-grey bar
//! with the synthetic mark; a partial value is an outlined bar; every panel shares the same scale, so bars compare
//! across panels; ticks are written with the decimals that keep them apart; the SVG carries a title and a text
//! description ([`crate::chart_text`]).

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use tiendo_core::Lang;

use crate::chart_text;
use crate::charts::{
    CHART_WIDTH, ChartError, FONT, LegendMark, SYNTHETIC, draw_legend, error, legend_height, palette, unit_text,
};
use crate::format;
use crate::i18n::label;
use crate::model::Value;
use crate::model_evidence::{Funnel, RegionalComparison};

/// One bar of a panel.
struct Bar {
    label: String,
    value: Value,
    /// The value's marks, written after it as the tables write them; a synthetic bar is drawn in the synthetic
    /// colour and a partial one hollow.
    marks: chart_text::Marks,
    /// Written after the value, e.g. a funnel stage's share of the first stage: "(80,0%)".
    suffix: Option<String>,
}

/// One panel: a title, an optional second line (the coverage), and its bars from the top down.
struct Panel {
    title: String,
    subtitle: Option<String>,
    bars: Vec<Bar>,
}

/// What a grid of panels shows and how it is laid out.
struct Grid {
    panels: Vec<Panel>,
    columns: usize,
    /// Bar labels on their own line above the bar (long stage names) instead of left of it (province names).
    labels_above: bool,
    decimals: u8,
    /// The values are percentages, written off 0 and 100 when they are not there.
    percent: bool,
    /// The value axis' name, written under the grid.
    axis: String,
    /// A reference value drawn as a dashed line on every panel (the target), with its legend text.
    reference: Option<(f64, String)>,
    /// The legend text of a plain bar.
    bar_legend: String,
}

/// Plotters writes a font of size `s` as `s / 1.24` px: 14 is about 11.3 px, 16 about 12.9 px.
const LABEL_SIZE: u32 = 14;
const TITLE_SIZE: u32 = 16;
/// An estimate of the average width of a character at [`LABEL_SIZE`], as plotters estimates text for SVG.
const CHAR_WIDTH: i32 = 6;
const PAD: i32 = 8;
const TITLE_LINE: i32 = 18;
const AXIS_HEIGHT: i32 = 26;

impl Grid {
    fn row_height(&self) -> i32 {
        if self.labels_above { 34 } else { 16 }
    }

    fn title_height(panel: &Panel) -> i32 {
        TITLE_LINE * (1 + i32::from(panel.subtitle.is_some())) + 6
    }

    fn panel_height(&self, panel: &Panel) -> i32 {
        Self::title_height(panel) + self.row_height() * panel.bars.len().max(1) as i32 + AXIS_HEIGHT + PAD
    }

    /// The text written at the end of a bar (or where it would start).
    fn value_text(&self, bar: &Bar, lang: Lang) -> String {
        let mut text = format::value_in(bar.value, self.decimals, self.percent, lang);
        text.push_str(&chart_text::all_marks(bar.value, bar.marks, lang));
        if let Some(suffix) = &bar.suffix {
            text.push(' ');
            text.push_str(suffix);
        }
        text
    }
}

/// The right end of the shared scale: the largest value or reference, with room for the last bar's end.
fn scale_end(grid: &Grid) -> f64 {
    let largest = grid
        .panels
        .iter()
        .flat_map(|p| p.bars.iter())
        .filter_map(|b| b.value.number())
        .chain(grid.reference.as_ref().map(|(v, _)| *v))
        .fold(0.0_f64, f64::max);
    if largest > 0.0 { largest * 1.08 } else { 1.0 }
}

/// The pixel layout every panel of a grid shares, so that all scales line up.
struct Layout {
    x_max: f64,
    /// Panels side by side: the grid's, or one where a value's text with its marks would not fit beside its bar in
    /// half a narrower panel ("234† (sum of units below)" ran into the next year's panel; round 58).
    columns: usize,
    panel_width: i32,
    /// The column of bar labels left of the bars (0 when labels sit above them).
    label_width: i32,
    /// Room right of the longest bar for its value.
    value_width: i32,
    ticks: Vec<f64>,
    tick_decimals: u8,
}

impl Layout {
    fn of(grid: &Grid, lang: Lang) -> Layout {
        let x_max = scale_end(grid);
        let bars = || grid.panels.iter().flat_map(|p| p.bars.iter());
        // Only numbers are written right of a bar; the word for a value without one starts where its bar would.
        let longest_value =
            bars().filter(|b| b.value.number().is_some()).map(|b| grid.value_text(b, lang).chars().count()).max();
        let value_needed = longest_value.unwrap_or(4) as i32 * CHAR_WIDTH + 6;
        let mut columns = grid.columns.max(1);
        while columns > 1 && value_needed > CHART_WIDTH as i32 / columns as i32 / 2 {
            columns -= 1;
        }
        let panel_width = CHART_WIDTH as i32 / columns as i32;
        let label_width = if grid.labels_above {
            0
        } else {
            let longest = bars().map(|b| b.label.chars().count()).max().unwrap_or(8) as i32;
            (longest * CHAR_WIDTH + 6).clamp(60, panel_width * 9 / 20)
        };
        let value_width = value_needed.clamp(36, panel_width / 2);
        let ticks = RangedCoordf64::from(0.0..x_max).key_points(4);
        let tick_decimals = chart_text::tick_decimals(&ticks);
        Layout { x_max, columns, panel_width, label_width, value_width, ticks, tick_decimals }
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Text of `size` in `colour`, anchored at its vertical middle.
fn text_style(size: u32, colour: RGBColor, h: HPos) -> TextStyle<'static> {
    (FONT, size).into_font().color(&colour).pos(Pos::new(h, VPos::Center))
}

/// Draws the grid as one SVG (so that print keeps it on one page), with the axis name and the legend under it.
fn draw(grid: &Grid, chart_id: &str, lang: Lang) -> Result<String, ChartError> {
    let fail = error(chart_id);
    let layout = Layout::of(grid, lang);
    if !layout.x_max.is_finite() {
        return Err(fail("the values are too large to chart".to_owned()));
    }
    let rows: Vec<&[Panel]> = grid.panels.chunks(layout.columns).collect();
    let heights: Vec<i32> =
        rows.iter().map(|row| row.iter().map(|p| grid.panel_height(p)).max().unwrap_or(0)).collect();
    let grid_height: i32 = heights.iter().sum();

    // A legend entry only for what is drawn: real bars, synthetic bars, the reference line.
    let drawn = |synthetic: bool| {
        grid.panels
            .iter()
            .flat_map(|p| p.bars.iter())
            .any(|b| b.marks.synthetic == synthetic && b.value.number().is_some())
    };
    let mut legend = Vec::new();
    if drawn(false) {
        legend.push((LegendMark::Swatch { colour: palette::BLUE }, grid.bar_legend.clone()));
    }
    if drawn(true) {
        legend.push((LegendMark::Swatch { colour: SYNTHETIC }, label("synthetic_legend", lang).to_owned()));
    }
    if let Some((_, text)) = &grid.reference {
        legend.push((LegendMark::Line { colour: palette::VERMILLION, width: 2, dash: Some((6, 4)) }, text.clone()));
    }
    let height = grid_height + AXIS_HEIGHT + legend_height(&legend, CHART_WIDTH) as i32;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (CHART_WIDTH, height as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        let mut top = 0;
        for (row, row_height) in rows.iter().zip(&heights) {
            for (column, panel) in row.iter().enumerate() {
                draw_panel(&root, grid, &layout, panel, (column as i32 * layout.panel_width, top), lang)
                    .map_err(&fail)?;
            }
            top += row_height;
        }
        let axis_at = (CHART_WIDTH as i32 / 2, grid_height + AXIS_HEIGHT / 2);
        root.draw(&Text::new(grid.axis.clone(), axis_at, text_style(LABEL_SIZE, BLACK, HPos::Center)))
            .map_err(|e| fail(e.to_string()))?;
        let (_, legend_area) = root.split_vertically((grid_height + AXIS_HEIGHT) as u32);
        draw_legend(&legend_area, &legend, CHART_WIDTH).map_err(&fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    Ok(svg)
}

/// One panel with its top-left corner at `(left, top)`: title, bars (or the word for a value without one), the value
/// axis with the shared ticks, and the reference line.
fn draw_panel(
    root: &Area<'_>,
    grid: &Grid,
    layout: &Layout,
    panel: &Panel,
    (left, top): (i32, i32),
    lang: Lang,
) -> Result<(), String> {
    let x0 = left + PAD + layout.label_width;
    let x1 = left + layout.panel_width - PAD - layout.value_width;
    let x_of = |v: f64| x0 + ((v.max(0.0) / layout.x_max) * f64::from(x1 - x0)).round() as i32;
    let put = |text: String, at: (i32, i32), style: TextStyle<'static>| {
        root.draw(&Text::new(text, at, style)).map_err(|e| e.to_string())
    };
    put(panel.title.clone(), (left + PAD, top + TITLE_LINE / 2 + 2), text_style(TITLE_SIZE, BLACK, HPos::Left))?;
    if let Some(subtitle) = &panel.subtitle {
        let at = (left + PAD, top + TITLE_LINE + TITLE_LINE / 2 + 2);
        put(subtitle.clone(), at, text_style(LABEL_SIZE, BLACK, HPos::Left))?;
    }
    let rows_top = top + Grid::title_height(panel);
    let rows_bottom = rows_top + grid.row_height() * panel.bars.len().max(1) as i32;
    let line = |points: [(i32, i32); 2], colour: RGBColor, width: u32| {
        root.draw(&PathElement::new(points, colour.stroke_width(width))).map_err(|e| e.to_string())
    };
    // The reference line first, so that bars and words are drawn over it.
    if let Some((reference, _)) = grid.reference {
        let x = x_of(reference);
        let mut y = rows_top - 2;
        while y < rows_bottom {
            let end = (y + 6).min(rows_bottom);
            line([(x, y), (x, end)], palette::VERMILLION, 2)?;
            y = end + 4;
        }
    }
    for (index, bar) in panel.bars.iter().enumerate() {
        let row_top = rows_top + grid.row_height() * index as i32;
        let (bar_top, bar_bottom) = if grid.labels_above {
            put(bar.label.clone(), (x0, row_top + 8), text_style(LABEL_SIZE, BLACK, HPos::Left))?;
            (row_top + 17, row_top + 30)
        } else {
            put(bar.label.clone(), (x0 - 6, row_top + 8), text_style(LABEL_SIZE, BLACK, HPos::Right))?;
            (row_top + 2, row_top + 14)
        };
        let middle = (bar_top + bar_bottom) / 2;
        let written = grid.value_text(bar, lang);
        match bar.value.number() {
            Some(v) => {
                let colour = if bar.marks.synthetic { SYNTHETIC } else { palette::BLUE };
                let style = if bar.marks.partial { colour.stroke_width(2) } else { colour.filled() };
                let end = x_of(v).max(x0 + 1);
                root.draw(&Rectangle::new([(x0, bar_top), (end, bar_bottom)], style)).map_err(|e| e.to_string())?;
                put(written, (end + 4, middle), text_style(LABEL_SIZE, BLACK, HPos::Left))?;
            }
            // Suppressed or no data: the word where the bar would start, never a bar.
            None => put(written, (x0 + 4, middle), text_style(LABEL_SIZE, palette::GREY, HPos::Left))?,
        }
    }
    line([(x0, rows_top), (x0, rows_bottom)], BLACK, 1)?;
    line([(x0, rows_bottom), (x1, rows_bottom)], BLACK, 1)?;
    for tick in &layout.ticks {
        let x = x_of(*tick);
        line([(x, rows_bottom), (x, rows_bottom + 4)], BLACK, 1)?;
        let written = format::number(*tick, layout.tick_decimals, lang);
        put(written, (x, rows_bottom + 14), text_style(LABEL_SIZE - 1, BLACK, HPos::Center))?;
    }
    Ok(())
}

/// The small multiples of a rate across provinces: a panel per region (its coverage under its name), the same
/// scale on every panel and the target as a dashed line on each.
pub fn regional_chart(comparison: &RegionalComparison, lang: Lang) -> Result<String, ChartError> {
    let unit = unit_text(comparison.unit.as_ref(), lang);
    let panels = comparison
        .panels
        .iter()
        .map(|panel| Panel {
            title: panel.name.get(lang).to_owned(),
            subtitle: Some(crate::render_evidence::coverage(panel.reported, panel.expected, lang)),
            bars: panel
                .values
                .iter()
                .map(|v| Bar {
                    label: v.name.get(lang).to_owned(),
                    value: v.value,
                    marks: chart_text::Marks::of_regional(v),
                    suffix: None,
                })
                .collect(),
        })
        .collect();
    let reference = comparison.target.as_ref().map(|t| {
        let decimals = t.decimals;
        let words = format!(
            "{} ({}): {} {}",
            label("target", lang),
            format::period(t.period, lang),
            format::comparator(t.comparator, lang),
            format::with_unit(t.value, decimals, unit.as_deref(), lang)
        );
        (t.value, words)
    });
    let grid = Grid {
        panels,
        columns: 2,
        labels_above: false,
        decimals: comparison.decimals,
        percent: format::is_percent(comparison.unit.as_ref()),
        axis: unit.clone().unwrap_or_else(|| label("value", lang).to_owned()),
        reference,
        bar_legend: format!("{} ({})", label("value", lang), format::period(comparison.period, lang)),
    };
    let svg = draw(&grid, &comparison.id, lang)?;
    let title = crate::render_evidence::regional_title(comparison, lang);
    let description = chart_text::describe_regional(comparison, lang);
    Ok(chart_text::accessible(&svg, &format!("regions-{}", comparison.id), &title, &description))
}

/// A funnel as bars: a panel per year, a bar per stage with its share of the first stage, one scale for every
/// year. A stage without data, or suppressed, has no bar; a share is written only where the table shows one.
pub fn funnel_chart(funnel: &Funnel, lang: Lang) -> Result<String, ChartError> {
    let panels = funnel
        .years
        .iter()
        .map(|year| Panel {
            title: format::period(year.period, lang),
            subtitle: None,
            bars: funnel
                .stages
                .iter()
                .zip(&year.cells)
                .enumerate()
                .map(|(index, (stage, cell))| Bar {
                    label: stage.name.get(lang).to_owned(),
                    value: cell.value,
                    marks: chart_text::Marks::of_cell(cell),
                    suffix: (index > 0 && cell.value.number().is_some() && !cell.partial)
                        .then(|| crate::render_evidence::share(cell.share, lang))
                        .map(|s| format!("({s})")),
                })
                .collect(),
        })
        .collect();
    let grid = Grid {
        panels,
        columns: if funnel.years.len() > 1 { 2 } else { 1 },
        labels_above: true,
        decimals: 0,
        percent: false,
        axis: crate::render_evidence::label("count", lang).to_owned(),
        reference: None,
        bar_legend: crate::render_evidence::label("count", lang).to_owned(),
    };
    let svg = draw(&grid, &funnel.id, lang)?;
    let title = funnel.title.get(lang).to_owned();
    let description = chart_text::describe_funnel(funnel, lang);
    Ok(chart_text::accessible(&svg, &format!("funnel-{}", funnel.id), &title, &description))
}

#[cfg(test)]
#[path = "charts_panels_tests.rs"]
mod tests;
