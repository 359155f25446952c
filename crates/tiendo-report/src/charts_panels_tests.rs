//! Tests of the small multiples: no bar for what has no publishable value, one scale for every panel, the target on
//! every panel, the synthetic mark, and a text alternative that says what the panels show.

use tiendo_core::{Comparator, Text};

use super::*;
use crate::model::{BasisMarks, TargetView};
use crate::model_evidence::{FunnelCell, FunnelStage, FunnelYear, RegionalPanel, RegionalValue};

fn province(name: &str, value: Value, synthetic: bool) -> RegionalValue {
    RegionalValue {
        org_unit: name.to_lowercase().replace(' ', "-"),
        name: Text::new(name, name),
        value,
        synthetic,
        partial: false,
        estimate: false,
        derived: false,
        provisional: false,
        basis_marks: BasisMarks::default(),
        beyond_limit: None,
    }
}

fn panel(name: &str, values: Vec<RegionalValue>) -> RegionalPanel {
    RegionalPanel {
        group: name.to_lowercase(),
        name: Text::new(name, name),
        source: Some("nq-81-2023-qh15".to_owned()),
        reported: values.iter().filter(|v| v.value != Value::Missing).count(),
        expected: values.len(),
        values,
    }
}

fn comparison(panels: Vec<RegionalPanel>) -> RegionalComparison {
    RegionalComparison {
        id: "t2-regions".to_owned(),
        indicator_code: "T2".to_owned(),
        name: Text::new("Tỷ lệ giải quyết tố giác", "Denunciations resolved"),
        unit: Some(Text::new("%", "%")),
        decimals: 1,
        period: "2022".parse().expect("period"),
        target: Some(TargetView::new(
            "2022".parse().expect("period"),
            Comparator::Greater,
            90.0,
            "qd-193-2021".to_owned(),
            1,
        )),
        panels,
        sources: vec!["s".to_owned()],
        synthetic: false,
    }
}

/// The widths of the bars of `colour` (legend swatches are 14 px tall, bars 12 or 14 px: told apart by `height`).
fn bar_widths(svg: &str, colour: RGBColor, height: u32) -> Vec<f64> {
    let fill = format!("fill=\"{}\"", crate::charts::hex(colour));
    svg.split("<rect")
        .skip(1)
        .filter(|r| r.contains(&fill) || r.contains(&fill.to_lowercase()))
        .filter(|r| attribute(r, "height") == Some(f64::from(height)))
        .filter_map(|r| attribute(r, "width"))
        .collect()
}

fn attribute(element: &str, name: &str) -> Option<f64> {
    let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
    element[start..].split('"').next()?.parse().ok()
}

#[test]
fn suppressed_and_missing_provinces_get_no_bar_but_their_word() {
    let chart = comparison(vec![panel(
        "Delta",
        vec![
            province("Alpha", Value::Number(95.0), false),
            province("Beta", Value::Suppressed, false),
            province("Gamma", Value::Missing, false),
        ],
    )]);
    for lang in [Lang::Vi, Lang::En] {
        let svg = regional_chart(&chart, lang).expect("draws");
        assert_eq!(bar_widths(&svg, palette::BLUE, 12).len(), 1, "one bar, for the one number");
        assert!(svg.contains(label("value_suppressed", lang)), "{svg}");
        assert!(svg.contains(label("value_missing", lang)), "{svg}");
        assert!(svg.contains(&crate::render_evidence::coverage(2, 3, lang)), "coverage k of n on the panel");
    }
}

#[test]
fn every_panel_shares_one_scale() {
    let chart = comparison(vec![
        panel("North", vec![province("Alpha", Value::Number(20.0), false)]),
        panel("South", vec![province("Beta", Value::Number(40.0), false)]),
        panel(
            "West",
            vec![province("Gamma", Value::Number(10.0), false), province("Delta", Value::Number(5.0), false)],
        ),
    ]);
    let svg = regional_chart(&chart, Lang::En).expect("draws");
    let widths = bar_widths(&svg, palette::BLUE, 12);
    assert_eq!(widths.len(), 4, "{widths:?}");
    // 20 : 40 : 10 : 5, within a pixel of rounding.
    let unit = widths[1] / 40.0;
    for (width, value) in widths.iter().zip([20.0, 40.0, 10.0, 5.0]) {
        assert!((width - value * unit).abs() <= 1.5, "{widths:?}");
    }
}

#[test]
fn the_target_is_a_line_on_every_panel_and_named_in_the_legend_and_the_description() {
    let chart = comparison(vec![
        panel("North", vec![province("Alpha", Value::Number(95.0), false)]),
        panel("South", vec![province("Beta", Value::Number(85.0), false)]),
    ]);
    let svg = regional_chart(&chart, Lang::Vi).expect("draws");
    let target = crate::charts::hex(palette::VERMILLION);
    // Dashes of the target line: at least one per panel, plus the legend's.
    let dashes = svg.matches(&format!("stroke=\"{target}\"")).count();
    assert!(dashes >= 3, "{dashes} target strokes");
    let desc = svg.split("<desc").nth(1).expect("a description");
    assert!(desc.contains("Chỉ tiêu (mục tiêu) (năm 2022):") && desc.contains(" 90%."), "{desc}");
    assert!(svg.contains("<title id=\"chart-regions-t2-regions-title\">T2 – Tỷ lệ giải quyết tố giác – năm 2022"));
}

#[test]
fn a_synthetic_province_is_a_grey_bar_with_the_mark_and_a_legend_entry() {
    let mut chart = comparison(vec![panel(
        "Centre",
        vec![province("Real", Value::Number(80.0), false), province("Made up", Value::Number(95.0), true)],
    )]);
    chart.synthetic = true;
    let svg = regional_chart(&chart, Lang::En).expect("draws");
    assert_eq!(bar_widths(&svg, SYNTHETIC, 12).len(), 1);
    assert_eq!(bar_widths(&svg, palette::BLUE, 12).len(), 1);
    assert!(svg.contains("95.0%†") || svg.contains("95.0†"), "the value carries the mark");
    assert!(svg.contains(label("synthetic_legend", Lang::En)));
    assert!(svg.contains("(synthetic data)"), "the title says so, for a chart copied alone");
}

fn cell(value: Value, share: Value) -> FunnelCell {
    FunnelCell {
        value,
        share,
        partial: false,
        synthetic: false,
        estimate: false,
        provisional: false,
        source: Some("s".to_owned()),
        ..FunnelCell::missing()
    }
}

#[test]
fn a_funnel_stage_without_data_or_suppressed_has_no_bar() {
    let stage = |id: &str| FunnelStage { element: id.to_owned(), name: Text::new(id, id), indicator_code: None };
    let funnel = Funnel {
        id: "cases".to_owned(),
        title: Text::new("Vụ án", "Cases"),
        stages: vec![stage("detected"), stage("initiated"), stage("indicted"), stage("tried")],
        years: vec![FunnelYear {
            period: "2023".parse().expect("period"),
            cells: vec![
                cell(Value::Number(150.0), Value::Missing),
                cell(Value::Missing, Value::Missing),
                cell(Value::Suppressed, Value::Suppressed),
                cell(Value::Number(90.0), Value::Number(60.0)),
            ],
        }],
    };
    let svg = funnel_chart(&funnel, Lang::En).expect("draws");
    assert_eq!(bar_widths(&svg, palette::BLUE, 13).len(), 2, "bars for 150 and 90 only");
    // Written where the bar would start (outside the description too).
    let drawn = svg.split("</desc>").nth(1).expect("the drawing");
    assert!(drawn.contains("no data") && drawn.contains("suppressed"), "{svg}");
    assert!(svg.contains("90 (60.0%)"), "the share beside the count");
    let desc = svg.split("<desc").nth(1).expect("a description");
    assert!(desc.contains("initiated no data") && desc.contains("tried 90 (60.0%)"), "{desc}");
}

/// The x of the panel title `title` in `svg` (its `<text x="…"` attribute).
fn title_x(svg: &str, title: &str) -> Option<i32> {
    let element = svg.split("<text").find(|t| t.contains(&format!(">\n{title}\n<")))?;
    element.split("x=\"").nth(1)?.split('"').next()?.parse().ok()
}

/// Two years of a funnel stand side by side, unless a count's text with its marks would not fit beside its bar in
/// half a panel: then one above the other, so that "234† (sum of units below)" never runs into the next year's panel
/// (round 58, seen in the printed frozen example).
#[test]
fn funnel_years_stack_when_a_marked_value_would_not_fit_beside_its_bar() {
    let stage = |id: &str| FunnelStage { element: id.to_owned(), name: Text::new(id, id), indicator_code: None };
    let year = |period: &str, tried: FunnelCell| FunnelYear {
        period: period.parse().expect("period"),
        cells: vec![cell(Value::Number(77.0), Value::Missing), tried],
    };
    let funnel = |tried: FunnelCell| Funnel {
        id: "cases".to_owned(),
        title: Text::new("Vụ án", "Cases"),
        stages: vec![stage("detected"), stage("tried")],
        years: vec![year("2021", tried), year("2022", cell(Value::Number(58.0), Value::Number(75.3)))],
    };
    let plain = funnel_chart(&funnel(cell(Value::Number(234.0), Value::Missing)), Lang::En).expect("draws");
    assert_ne!(title_x(&plain, "2021"), title_x(&plain, "2022"), "side by side");
    let basis_marks = BasisMarks { other_basis: true, ..BasisMarks::default() };
    let marked = FunnelCell { synthetic: true, basis_marks, ..cell(Value::Number(234.0), Value::Missing) };
    let stacked = funnel_chart(&funnel(marked), Lang::En).expect("draws");
    assert!(stacked.contains("234† (sum of units below) (no data)"), "{stacked}");
    assert!(title_x(&stacked, "2021").is_some() && title_x(&stacked, "2021") == title_x(&stacked, "2022"), "{stacked}");
}

/// Every mark a table writes after a value is on the bar and in the description too (a chart copied without its
/// table keeps them): an estimate, a provisional figure and a partial one, in the regional panels and the funnel.
#[test]
fn bars_and_descriptions_carry_every_mark_the_tables_write() {
    let marked = |name: &str, value: f64, estimate: bool, provisional: bool, partial: bool| RegionalValue {
        estimate,
        provisional,
        partial,
        ..province(name, Value::Number(value), false)
    };
    let chart = comparison(vec![panel(
        "Centre",
        vec![marked("Estimated", 95.0, true, false, false), marked("Early", 80.0, false, true, true)],
    )]);
    let svg = regional_chart(&chart, Lang::En).expect("draws");
    let desc = svg.split("<desc").nth(1).expect("a description");
    assert!(desc.contains("Estimated 95.0% (estimate)"), "{desc}");
    assert!(desc.contains("Early 80.0% (partial) (provisional)"), "{desc}");
    let drawn = svg.split("</desc>").nth(1).expect("the drawing");
    assert!(drawn.contains("95.0 (estimate)") && drawn.contains("80.0 (partial) (provisional)"), "{drawn}");

    // Round 58: a rate of another basis and one an old province reported past its end were drawn plain.
    let basis_marks = BasisMarks { other_basis: true, combined: true, ..BasisMarks::default() };
    let combined = RegionalValue { basis_marks, ..province("Mixed", Value::Number(90.0), false) };
    let basis_marks = BasisMarks { after_end: true, ..BasisMarks::default() };
    let late = RegionalValue { basis_marks, ..province("Ended", Value::Number(85.0), false) };
    let svg = regional_chart(&comparison(vec![panel("North", vec![combined, late])]), Lang::En).expect("draws");
    let desc = svg.split("<desc").nth(1).expect("a description");
    assert!(desc.contains("Highest: Mixed 90.0% (own reports and units below)"), "{desc}");
    assert!(desc.contains("Lowest: Ended 85.0% (reported after the unit ended)"), "{desc}");
    let drawn = svg.split("</desc>").nth(1).expect("the drawing");
    assert!(drawn.contains("90.0 (own reports and units below)"), "{drawn}");
    assert!(drawn.contains("85.0 (reported after the unit ended)"), "{drawn}");

    // Round 64: a share beyond the indicator's limit (120.0 %) was "Highest" with no mark, beside the annex's note.
    let over = RegionalValue { beyond_limit: Some(100.0), ..province("Over", Value::Number(120.0), false) };
    let svg = regional_chart(&comparison(vec![panel("South", vec![over])]), Lang::En).expect("draws");
    let desc = svg.split("<desc").nth(1).expect("a description");
    assert!(desc.contains("Over 120.0% (beyond the limit of 100)"), "{desc}");

    let stage = |id: &str| FunnelStage { element: id.to_owned(), name: Text::new(id, id), indicator_code: None };
    let funnel = Funnel {
        id: "cases".to_owned(),
        title: Text::new("Vụ án", "Cases"),
        stages: vec![stage("detected"), stage("tried")],
        years: vec![FunnelYear {
            period: "2023".parse().expect("period"),
            cells: vec![
                FunnelCell { estimate: true, ..cell(Value::Number(150.0), Value::Missing) },
                FunnelCell { provisional: true, ..cell(Value::Number(90.0), Value::Number(60.0)) },
            ],
        }],
    };
    let svg = funnel_chart(&funnel, Lang::En).expect("draws");
    let desc = svg.split("<desc").nth(1).expect("a description");
    assert!(desc.contains("detected 150 (estimate)") && desc.contains("tried 90 (provisional) (60.0%)"), "{desc}");
}
