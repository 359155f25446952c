//! The template context of a review in one language: every number, date and label written out, one function per
//! part of the review (see the list of fields in [`crate::render`]). Split out of `render.rs`, whose `context` had
//! grown past 300 lines.

use serde_json::{Value as Json, json};
use tiendo_core::{Comparator, Lang, SourceKind};

use crate::charts;
use crate::format;
use crate::i18n::{self, label};
use crate::model::{IndicatorReview, Review, Value};
use crate::render::{baseline_value, rule_side, shown_value, slug, target_text};
use crate::render_charts::Charts;
use crate::sentences::{audit_text, fixed_method_notes, other_language};

mod summary;
use summary::{headlines, status_counts};

/// Where a page puts its charts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChartPlacement {
    /// The SVG goes into the page (HTML).
    Inline,
    /// The page links to the SVG file (Markdown).
    Files,
}

/// What every part of the context reads: the review, its language, the sources it cites (numbered in that order) and
/// the charts with where they go.
struct Scope<'a> {
    review: &'a Review,
    lang: Lang,
    cited: Vec<String>,
    charts: &'a Charts,
    placement: ChartPlacement,
}

impl Scope<'_> {
    /// The bibliography number of source `id` (1-based), or 0 when the review does not cite it.
    fn citation(&self, id: &str) -> usize {
        self.cited.iter().position(|c| c == id).map(|p| p + 1).unwrap_or(0)
    }

    /// A chart's file and, for a page with the charts inline, its SVG; `null` without a chart.
    fn chart(&self, path: Option<&String>) -> Json {
        match (path, self.placement) {
            (None, _) => Json::Null,
            (Some(path), ChartPlacement::Files) => json!({ "file": path, "svg": Json::Null }),
            (Some(path), ChartPlacement::Inline) => json!({ "file": path, "svg": self.charts.svg(Some(path)) }),
        }
    }
}

/// Turns a context that [`context`] built with [`ChartPlacement::Inline`] into the one it builds with
/// [`ChartPlacement::Files`] and no stylesheet, in place: `css` becomes empty and every chart object (`{ "file",
/// "svg" }`, made only by `Scope::chart`) loses its SVG. The two placements differ in nothing else, so a review in
/// one language builds its context once for HTML and Markdown (building it was about 3 % of a full review's CPU,
/// docs/performance-log.md "W1"); the narrative, which differs, is added to each by `narrative::add_to_context`.
pub(crate) fn place_charts_in_files(context: &mut Json) {
    fn strip_svgs(value: &mut Json) {
        match value {
            Json::Object(map) => {
                if map.len() == 2 && map.contains_key("file") && map.contains_key("svg") {
                    map.insert("svg".to_owned(), Json::Null);
                    return;
                }
                map.values_mut().for_each(strip_svgs);
            }
            Json::Array(items) => items.iter_mut().for_each(strip_svgs),
            _ => {}
        }
    }
    strip_svgs(context);
    if let Json::Object(map) = context {
        map.insert("css".to_owned(), Json::String(String::new()));
    }
}

/// The context the review templates render, in `lang`, with the charts placed as `placement` says and `css` as the
/// stylesheet (empty for Markdown).
pub(crate) fn context(review: &Review, lang: Lang, charts: &Charts, placement: ChartPlacement, css: &str) -> Json {
    let scope = Scope { review, lang, cited: review.cited_sources(), charts, placement };
    let cover = &review.cover;
    let status_counts = status_counts(&scope);
    let headlines = headlines(&scope);
    let indicators = indicators(&scope);
    let provinces = provinces(&scope);
    let disaggregations = disaggregations(&scope);
    let plugins = plugins(&scope);
    let activities = activities(&scope);
    let data_quality = data_quality(&scope);
    let confidentiality = confidentiality(&scope);
    let bibliography = bibliography(&scope);

    json!({
        "lang": label("lang_code", lang),
        "labels": i18n::labels(lang),
        "css": css,
        "synthetic": {
            "wholly": review.synthetic.wholly,
            "any": review.synthetic.any(),
            "figures": review.synthetic.figures.iter().map(|f| f.get(lang)).collect::<Vec<_>>(),
        },
        "headlines_synthetic": review.summary.headlines.iter().any(|h| h.synthetic || h.previous_synthetic),
        "headlines_estimate": review.summary.headlines.iter().any(|h| h.estimate || h.previous_estimate),
        "headlines_derived": review.summary.headlines.iter().any(|h| h.derived || h.previous_derived),
        "headline_partial_notes": review.summary.headlines.iter().flat_map(|h| &h.partial_notes).map(|n| n.get(lang)).collect::<Vec<_>>(),
        "indicators_estimate": review.indicators.iter().any(|i| i.latest_points().any(|p| p.estimate)),
        "indicators_derived": review.indicators.iter().any(|i| i.latest_points().any(|p| p.derived)),
        "cover": {
            "title": cover.title.get(lang),
            "kind": cover.kind,
            "issuer": cover.document.issuer.as_ref().map(|i| i.get(lang)),
            "document_number": cover.document.number,
            "document_date": cover.document.date.map(|d| format::date(d, lang)),
            "status": if cover.document.is_final { label("document_final", lang) } else { label("document_draft", lang) },
            "draft": !cover.document.is_final,
            "illustrative": cover.document.illustrative,
            "programme": cover.programme.get(lang),
            "programme_number": cover.programme_number,
            "programme_period": format::period(cover.programme_period, lang),
            "plan": cover.plan.as_ref().map(|p| json!({ "number": p.number, "title": p.title.get(lang) })),
            "org_unit": cover.org_unit.get(lang),
            "window": format::period(cover.window, lang),
            "as_of": format::date(cover.as_of, lang),
            "generator": cover.generator,
            "inputs": cover.inputs,
            "digests_withheld": cover.inputs.iter().any(|input| input.sha256.is_none()),
        },
        "status_counts": status_counts,
        "headlines": headlines,
        "findings": review.summary.findings.iter().map(|f| f.get(lang)).collect::<Vec<_>>(),
        "indicators": indicators,
        "evidence": crate::render_evidence::context(review, lang, &|id: &str| scope.citation(id), &|key| scope.chart(scope.charts.evidence.get(key))),
        "data_gaps": review.data_gaps.iter().map(|g| json!({
            "code": g.indicator_code,
            "indicator": g.indicator.get(lang),
            "missing": missing_text(g, lang),
            "agency": g.agency.as_ref().map(|a| a.get(lang)),
            "forms": if g.forms.is_empty() {
                label("no_form", lang).to_owned()
            } else {
                g.forms.iter().map(|f| f.get(lang)).collect::<Vec<_>>().join("; ")
            },
        })).collect::<Vec<_>>(),
        "provinces": provinces,
        "disaggregations": disaggregations,
        "plugins": plugins,
        "activities": activities,
        "data_quality": data_quality,
        "confidentiality": confidentiality,
        "methodology": {
            "fixed": fixed_method_notes(review, lang),
            "notes": review.methodology.iter().map(|m| json!({ "title": m.title.get(lang), "body": m.body.get(lang) })).collect::<Vec<_>>(),
        },
        "bibliography": bibliography,
        "glossary": i18n::GLOSSARY.iter().map(|(vi, en, vi_text, en_text)| match lang {
            Lang::Vi => json!({ "term": vi, "other": en, "other_lang": "en", "meaning": vi_text }),
            Lang::En => json!({ "term": en, "other": vi, "other_lang": "vi", "meaning": en_text }),
        }).collect::<Vec<_>>(),
    })
}

/// Why the last period with reports after the latest value (or, without one, at all) has no value: a refused blend,
/// a ratio over 0 (round 67, found by a verifier: "85 (2024)" with 2025 not computed unsaid, and "no data" beside a
/// value refused as a blend).
fn latest_not_computed(indicator: &crate::model::IndicatorReview, lang: Lang) -> Option<&str> {
    let after = indicator.latest.as_ref().map(|latest| latest.period.end());
    let later =
        |p: &&crate::model::SeriesPoint| p.value == Value::Undefined && after.is_none_or(|end| p.period.end() > end);
    let last = indicator.series.iter().filter(later).max_by_key(|p| p.period.end())?;
    last.note.as_ref().map(|note| note.get(lang))
}

/// The bibliography numbers of `sources`, in order, each once.
fn sorted_citations(scope: &Scope<'_>, sources: &[String]) -> Vec<usize> {
    let mut cited: Vec<usize> = sources.iter().map(|s| scope.citation(s)).collect();
    cited.sort_unstable();
    cited.dedup();
    cited
}

/// `indicators[]`: each indicator's baseline, target, latest value, percent of target or progress from the
/// baseline, status, chart and series, as decided by the evaluation and written in the language.
fn indicators(scope: &Scope<'_>) -> Vec<Json> {
    let review = scope.review;
    let lang = scope.lang;
    review
        .indicators
        .iter()
        .map(|indicator| {
            let status = indicator.status;
            // A headline value with its period and marks, in `decimals`, the indicator's or the decimals evaluation
            // decided for it, whichever is more.
            let latest_json = |p: &crate::model::SeriesPoint, decimals: u8| {
                json!({
                    "value": shown_value(indicator, p.value, p.shown_decimals(decimals.max(indicator.decimals)), lang),
                    "period": format::period(p.period, lang),
                    "citation": scope.citation(&p.source),
                    "synthetic": p.synthetic,
                    "estimate": p.estimate,
                    "derived": p.derived,
                    "partial": p.partial,
                    "provisional": p.provisional && p.value != Value::Missing,
                    "other_basis": p.basis_marks().labels(lang).0,
                    "after_end": p.basis_marks().labels(lang).1,
                    "beyond_limit": p.beyond_limit.map(|limit| {
                        i18n::label("beyond_limit", lang).replace("{limit}", &format::number(limit, 0, lang))
                    }),
                })
            };
            json!({
                "anchor": format!("indicator-{}", slug(&indicator.id)),
                "code": indicator.code,
                "name": indicator.name.get(lang),
                "work_area": indicator.work_area.get(lang),
                "definition": indicator.definition.as_ref().map(|d| d.get(lang)),
                "unit": indicator.unit.as_ref().map(|u| u.get(lang)).unwrap_or(""),
                "baseline": indicator.baseline.as_ref().map(|b| json!({
                    "value": baseline_value(indicator, b, lang),
                    "period": crate::render::baseline_period(b, lang),
                    "citation": scope.citation(&b.source),
                    "estimate": b.estimate,
                    "derived": b.derived,
                    "synthetic": b.synthetic,
                    "uncertain": b.uncertain,
                    "note": b.note.as_ref().map(|n| n.get(lang)),
                })),
                "target": indicator.target.as_ref().map(|t| json!({
                    "text": target_text(indicator, t, lang, true),
                    "words": target_text(indicator, t, lang, false),
                    "period": format::period(t.period, lang),
                    "citation": scope.citation(&t.source),
                })),
                "latest": indicator.latest.as_ref().map(|p| latest_json(p, indicator.latest_decimals)),
                "latest_elsewhere": indicator.latest_elsewhere.as_ref().map(|p| latest_json(p, indicator.decimals)),
                "latest_part": indicator.latest_part.as_ref().map(|p| latest_json(p, indicator.decimals)),
                "latest_not_computed": latest_not_computed(indicator, lang),
                "percent_of_target": indicator.percent_of_target
                    .map(|p| figure_of_target(indicator, p, indicator.percent_decimals, lang)),
                "progress_from_baseline": indicator.progress_from_baseline
                    .map(|p| figure_of_target(indicator, p, indicator.progress_decimals, lang)),
                "gap": indicator.gap.map(|gap| gap_text(indicator, gap, lang)),
                "milestones": indicator.milestones.iter().map(|m| json!({
                    "words": target_text(indicator, &m.target, lang, false),
                    "period": format::period(m.target.period, lang),
                    "citation": scope.citation(&m.target.source),
                    "value": latest_json(&m.value, m.value.decimals.unwrap_or(indicator.decimals)),
                    // A value of another period than the target's (a part of it, an earlier value) is named by its
                    // period (round 74, found by a reader of the review: "at least 80 (2023): 90, met" for H1 2023).
                    "value_period": (m.value.period != m.target.period).then(|| format::period(m.value.period, lang)),
                    "verdict": m.met.map(|met| i18n::label(if met { "milestone_met" } else { "milestone_missed" }, lang)),
                })).collect::<Vec<_>>(),
                "status": {
                    "class": status.as_str(),
                    "label": i18n::indicator_status(indicator, lang),
                    "symbol": i18n::status_symbol(status),
                    "note": indicator.status_remarks(lang),
                },
                "citation": scope.citation(&indicator.source),
                "agency": indicator.agency.as_ref().map(|a| a.get(lang)),
                "comment": indicator.comment.as_ref().map(|c| c.get(lang)),
                "comment_citations": sorted_citations(scope, &indicator.comment_sources),
                "chart": scope.chart(scope.charts.indicators.get(&indicator.id)),
                "series": indicator.series.iter().map(|p| json!({
                    "period": format::period(p.period, lang),
                    "value": shown_value(indicator, p.value, p.shown_decimals(indicator.decimals), lang),
                    "provisional": p.provisional,
                    "synthetic": p.synthetic,
                    "estimate": p.estimate,
                    "derived": p.derived,
                    // A value over reports that disagree is marked here as in every other table (round 72,
                    // found by an adversarial tester: the indicator's own table showed it plain).
                    "note": series_note(p, lang),
                    "citation": scope.citation(&p.source),
                })).collect::<Vec<_>>(),
                "any_synthetic": indicator.series.iter().any(|p| p.synthetic)
                    || indicator.latest.as_ref().is_some_and(|p| p.synthetic),
                "any_estimate": indicator.series.iter().any(|p| p.estimate),
                "any_derived": indicator.series.iter().any(|p| p.derived),
            })
        })
        .collect()
}

/// The note column of an indicator's table of values: the point's notes, then "reports disagree" where it reads
/// reports that others contradict (`SeriesPoint::contested`, whose words no note carries).
fn series_note(p: &crate::model::SeriesPoint, lang: Lang) -> Option<String> {
    let contested = p.contested.then(|| crate::render_evidence::timing_label(false, false, (false, true), lang));
    let notes: Vec<String> = p.note.iter().map(|n| n.get(lang).to_owned()).chain(contested.flatten()).collect();
    (!notes.is_empty()).then(|| notes.join("; "))
}

/// A percent of target or a progress from the baseline, "97.5%"; exactly 100 % beside a strict target (`> 90`,
/// `< 5`), which the value equals and so does not meet, says so: "100.0% (equal to the target, not over it)", so
/// that 100 % never reads as met beside "not achieved" (issue 10, item 2).
fn figure_of_target(indicator: &IndicatorReview, figure: f64, decimals: u8, lang: Lang) -> String {
    let shown = format!("{}%", format::share(figure, decimals, lang));
    let strict = indicator.target.as_ref().map(|t| t.comparator).filter(|_| figure == 100.0);
    let key = match strict {
        Some(Comparator::Greater) => "equal_not_over",
        Some(Comparator::Less) => "equal_not_under",
        _ => return shown,
    };
    format!("{shown} ({})", label(key, lang))
}

/// The gap to a missed target in the indicator's unit: "2.1 percentage points" for a percentage (a gap between two
/// percentages is in points), "50 cases" for a count.
fn gap_text(indicator: &IndicatorReview, gap: crate::model::GapView, lang: Lang) -> String {
    let unit = indicator.unit.as_ref().map(|u| u.get(lang)).filter(|u| !u.is_empty());
    if indicator.measure == tiendo_core::Measure::Ordinal {
        return format!("{} {}", format::number(gap.value, 0, lang), label("scale_levels", lang));
    }
    if unit == Some("%") || indicator.measure == tiendo_core::Measure::Percent {
        return format!("{} {}", format::number(gap.value, gap.decimals, lang), label("percentage_points", lang));
    }
    format::with_unit(gap.value, gap.decimals, unit, lang)
}

/// `provinces[]`: the provincial comparisons, their ranked rows and small-multiple charts.
fn provinces(scope: &Scope<'_>) -> Vec<Json> {
    let review = scope.review;
    let lang = scope.lang;
    review
        .provincial_comparisons
        .iter()
        .map(|comparison| {
            let ranked = charts::ranked_values(comparison);
            let mut rank = 0;
            let rows: Vec<Json> = ranked
                .iter()
                .map(|p| {
                    let shown_rank = if p.value.number().is_some() {
                        rank += 1;
                        rank.to_string()
                    } else {
                        label("none", lang).to_owned()
                    };
                    json!({
                        "rank": shown_rank,
                        "name": p.name.get(lang),
                        "value": format::value_in(p.value, comparison.decimals, format::is_percent(comparison.unit.as_ref()), lang),
                        "synthetic": p.synthetic && p.value != Value::Missing,
                        "partial": p.partial && p.value.number().is_some(),
                        "estimate": p.estimate,
                        "derived": p.derived,
                        "provisional": p.provisional,
                        // Reported past the unit's end, a restatement, a break in the series, reports that disagree
                        // (round 68, found by a verifier: a province's break was in its chart, not its table).
                        "timing": p.basis_marks.labels(lang).1,
                        "note": p.note.as_ref().map(|n| n.get(lang)),
                        "merged_from": p.merged_from.iter().map(|m| m.get(lang)).collect::<Vec<_>>().join(", "),
                    })
                })
                .collect();
            // The note column only where a value has a note, so that a ranking of complete values keeps its width.
            let any_note = comparison.values.iter().any(|p| p.note.is_some());
            json!({
                "anchor": format!("provinces-{}", slug(&comparison.id)),
                "title": comparison.title.get(lang),
                "indicator_code": comparison.indicator_code,
                "period": format::period(comparison.period, lang),
                "map": i18n::province_map(comparison.map, comparison.provinces, lang),
                "unit": comparison.unit.as_ref().map(|u| u.get(lang)).unwrap_or(""),
                "rows": rows,
                "any_note": any_note,
                "note": comparison.note.as_ref().map(|n| n.get(lang)),
                "synthetic": comparison.synthetic,
                "citations": comparison.sources.iter().map(|s| scope.citation(s)).collect::<Vec<_>>(),
                "chart": scope.chart(scope.charts.provinces.get(&comparison.id)),
            })
        })
        .collect()
}

/// `disaggregations[]`: each breakdown's options by period, their sum beside the total, and its chart.
fn disaggregations(scope: &Scope<'_>) -> Vec<Json> {
    let review = scope.review;
    let lang = scope.lang;
    review
        .disaggregations
        .iter()
        .map(|d| {
            let percent = format::is_percent(d.unit.as_ref());
            json!({
                "anchor": format!("disaggregation-{}", slug(&d.id)),
                "title": d.title.get(lang),
                "category": d.category.get(lang),
                "unit": d.unit.as_ref().map(|u| u.get(lang)).unwrap_or(""),
                "options": d.options.iter().map(|o| o.name.get(lang)).collect::<Vec<_>>(),
                "additive": d.additive,
                "rows": d.rows.iter().map(|row| {
                    let sources: Vec<String> = std::iter::once(&row.source).chain(&row.more_sources).cloned().collect();
                    let cited = sorted_citations(scope, &sources);
                    json!({
                        "period": format::period(row.period, lang),
                        // Where the row mixes synthetic and real values, each synthetic one carries its mark.
                        "values": row.values.iter().enumerate().map(|(i, v)| {
                            let text = format::value_in(*v, d.decimals, percent, lang);
                            if row.synthetic_cells.get(i).copied().unwrap_or(false) {
                                format!("{text} {}", label("synthetic_marker", lang))
                            } else {
                                text
                            }
                        }).collect::<Vec<_>>(),
                        "sum": format::value(row.options_sum(), d.decimals, lang),
                        "total": format::value_in(row.total, row.total_decimals, percent, lang),
                        // Every source of the row, in the bibliography's order.
                        "citation": cited[0],
                        "more_citations": &cited[1..],
                        // A row that mixes synthetic and real values marks its synthetic values, not its period.
                        "synthetic": row.synthetic && row.synthetic_cells.is_empty(),
                        "estimate": row.estimate,
                        "derived": row.derived,
                        "partial": row.partial,
                        "provisional": row.provisional,
                        "timing": crate::render_evidence::timing_label(false, false, (row.series_break, row.contested), lang),
                    })
                }).collect::<Vec<_>>(),
                // What each partial row lacks, below the table: "2023: Female, Male: Partial: 1 of 3 units …".
                "row_notes": d.rows.iter().filter_map(|row| {
                    row.note.as_ref().map(|n| format!("{}: {}", format::period(row.period, lang), n.get(lang)))
                }).collect::<Vec<_>>(),
                "any_synthetic": d.rows.iter().any(|r| r.synthetic),
                "any_estimate": d.rows.iter().any(|r| r.estimate),
                "any_derived": d.rows.iter().any(|r| r.derived),
                "note": d.note.as_ref().map(|n| n.get(lang)),
                "chart": scope.chart(scope.charts.disaggregations.get(&d.id)),
            })
        })
        .collect()
}

/// `plugins`: the plugin metrics and the plugin failures.
fn plugins(scope: &Scope<'_>) -> Json {
    let review = scope.review;
    let lang = scope.lang;
    json!({
        "any": !review.plugins.metrics.is_empty() || !review.plugins.failures.is_empty(),
        "metrics": review.plugins.metrics.iter().map(|m| json!({
            "plugin": m.plugin_name,
            "plugin_id": m.plugin,
            "metric": m.name.get(lang),
            "metric_id": m.metric,
            "org_unit": m.org_unit.get(lang),
            "period": format::period(m.period, lang),
            "value": match m.value.number() {
                Some(n) if m.partial => format!(
                    "{} ({})",
                    format::with_unit(n, m.decimals, m.unit.as_ref().map(|u| u.get(lang)), lang),
                    crate::render_evidence::label("partial", lang)
                ),
                Some(n) => format::with_unit(n, m.decimals, m.unit.as_ref().map(|u| u.get(lang)), lang),
                None => format::value(m.value, 0, lang),
            },
            // What the value lacks first, then the plugin's own note in its words.
            "note": match (m.caveat.as_ref().map(|c| c.get(lang)), m.note.as_ref().map(|n| n.get(lang))) {
                (Some(caveat), Some(note)) => Some(format!("{caveat}; {note}")),
                (caveat, note) => caveat.or(note).map(str::to_owned),
            },
            "synthetic": m.synthetic,
            "estimate": m.estimate,
            "derived": m.derived,
        })).collect::<Vec<_>>(),
        "any_synthetic": review.plugins.metrics.iter().any(|m| m.synthetic),
        "any_estimate": review.plugins.metrics.iter().any(|m| m.estimate),
        "any_derived": review.plugins.metrics.iter().any(|m| m.derived),
        "failures": review.plugins.failures.iter().map(|f| json!({
            "plugin": f.plugin_name,
            "plugin_id": f.plugin,
            "error": f.error,
            "message": f.message,
            "metrics": f.metrics.join(", "),
        })).collect::<Vec<_>>(),
    })
}

/// `activities[]`: the plans' activities, with their status and whether they are overdue on the as-of date.
fn activities(scope: &Scope<'_>) -> Vec<Json> {
    let review = scope.review;
    let lang = scope.lang;
    review
        .activities
        .iter()
        .map(|a| {
            let overdue = a.is_overdue(review.cover.as_of);
            json!({
                "plan": a.plan.number.clone().unwrap_or_else(|| a.plan.title.get(lang).to_owned()),
                "title": a.title.get(lang),
                "agency": a.agency.as_ref().map(|x| x.get(lang)),
                "deadline": a.deadline.map(|d| format::date(d, lang)),
                "status": i18n::activity_status(a.status, lang),
                "overdue": overdue,
                "citation": scope.citation(&a.source),
            })
        })
        .collect()
}

/// One line for the units of which the review's data hold none of a data set's reports: "Provincial quarterly report:
/// no report in the review's data from 97 areas (1,330 reports expected): An Giang, …". Said of the data, not of
/// the units: a reader took "no report received" as the provinces' failure to report, where the reports exist but
/// were not published (round 68, found by a reader of the review).
fn silent_units(silent: &crate::model::SilentUnits, lang: Lang) -> String {
    let count = format::number(silent.org_units.len() as f64, 0, lang);
    let expected = format::number(f64::from(silent.expected), 0, lang);
    let names: Vec<&str> = silent.org_units.iter().map(|unit| unit.get(lang)).collect();
    let (data_set, names) = (silent.data_set.get(lang), names.join(", "));
    match lang {
        Lang::Vi => {
            format!(
                "{data_set}: không có báo cáo nào của {count} địa bàn trong số liệu của báo cáo đánh giá ({expected} báo cáo dự kiến): {names}."
            )
        }
        Lang::En => {
            let areas = if silent.org_units.len() == 1 { "area" } else { "areas" };
            let reports = if silent.expected == 1 { "report" } else { "reports" };
            format!(
                "{data_set}: no report in the review's data from {count} {areas} ({expected} {reports} expected): {names}."
            )
        }
    }
}

/// The data rows left out that the review lists one by one; the rest are counted.
const ROWS_LEFT_OUT_LISTED: usize = 20;

/// One line for a unit's periods counted as not received although the data hold figures of them: "Viet Nam,
/// National yearly report: the report of 2021 is not counted as received: …".
fn not_received(not: &crate::model::NotReceived, lang: Lang) -> String {
    let periods: Vec<String> = not.periods.iter().map(|p| format::period(*p, lang)).collect();
    let (unit, data_set, periods) = (not.org_unit.get(lang), not.data_set.get(lang), periods.join(", "));
    match lang {
        Lang::Vi => format!(
            "{unit}, {data_set}: báo cáo {periods} không được tính là đã nhận: số liệu của kỳ đó trong dữ liệu được \
             trích từ ấn phẩm của cơ quan khác hoặc do nhóm biên soạn suy ra, không phải số liệu được báo cáo."
        ),
        Lang::En => {
            let (reports, verb, them) =
                if not.periods.len() == 1 { ("report", "is", "it") } else { ("reports", "are", "them") };
            format!(
                "{unit}, {data_set}: the {reports} of {periods} {verb} not counted as received: figures of {them} in the \
                 data are quoted in another agency's publication or derived by the editors, not reported."
            )
        }
    }
}

/// Why figures that indicators read are in none of their values: "read by T1, T2, which have no value of Viet Nam
/// for these periods"; the units named up to three, else counted.
fn unread_by(unread: &crate::model::UnreadFigures, lang: Lang) -> String {
    let codes = unread.read_by.join(", ");
    let units = match unread.org_units.len() {
        0..=3 => unread.org_units.iter().map(|u| u.get(lang)).collect::<Vec<_>>().join(", "),
        n => match lang {
            Lang::Vi => format!("{} địa bàn", format::number(n as f64, 0, lang)),
            Lang::En => format!("{} areas", format::number(n as f64, 0, lang)),
        },
    };
    match lang {
        Lang::Vi => format!("chỉ số {codes} có đọc nhưng không có giá trị của {units} cho các kỳ này"),
        Lang::En => format!("read by {codes}, which have no value of {units} for these periods"),
    }
}

/// `data_quality`: completeness by org unit and data set, the validation rules violated, whether findings at
/// suppressed values were left out, and the cautions.
fn data_quality(scope: &Scope<'_>) -> Json {
    let lang = scope.lang;
    let quality = &scope.review.data_quality;
    json!({
        "completeness": quality.completeness.iter().map(|c| json!({
            "org_unit": c.org_unit.get(lang),
            "data_set": c.data_set.get(lang),
            "expected": format::number(f64::from(c.expected), 0, lang),
            "received": format::number(f64::from(c.received), 0, lang),
            "on_time": c.on_time.map_or_else(|| label("none", lang).to_owned(), |n| format::number(f64::from(n), 0, lang)),
            "rate": if c.expected == 0 {
                label("none", lang).to_owned()
            } else {
                format!("{}%", format::share(f64::from(c.received) / f64::from(c.expected) * 100.0, 1, lang))
            },
        })).collect::<Vec<_>>(),
        "silent": quality.silent.iter().map(|s| silent_units(s, lang)).collect::<Vec<_>>(),
        "not_received": quality.not_received.iter().map(|n| not_received(n, lang)).collect::<Vec<_>>(),
        "any_completeness": !quality.completeness.is_empty() || !quality.silent.is_empty(),
        "violations": quality.violations.iter().map(|v| json!({
            "rule": v.rule,
            "name": v.name.get(lang),
            "org_unit": v.org_unit.get(lang),
            "period": format::period(v.period, lang),
            "left": v.left.number().map_or_else(|| format::value(v.left, 0, lang), |n| rule_side(n, v.decimals, lang)),
            "operator": v.operator,
            "right": v.right.number().map_or_else(|| format::value(v.right, 0, lang), |n| rule_side(n, v.decimals, lang)),
            "severity": i18n::severity(v.severity, lang),
        })).collect::<Vec<_>>(),
        "cautions": quality.cautions.iter().map(|c| json!({
            "title": c.title.get(lang),
            "text": c.text.get(lang),
            "citations": c.sources.iter().map(|s| scope.citation(s)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "disagreements": quality.disagreements,
        "unread": quality.unread.iter().map(|u| json!({
            "name": u.name.get(lang),
            "element": u.element,
            "periods": u.periods.iter().map(|p| format::period(*p, lang)).collect::<Vec<_>>().join(", "),
            "read_by": (!u.read_by.is_empty()).then(|| unread_by(u, lang)),
            "description": u.description.as_ref().map(|d| d.get(lang)),
        })).collect::<Vec<_>>(),
        "rows_left_out": quality.rows_left_out.iter().take(ROWS_LEFT_OUT_LISTED).collect::<Vec<_>>(),
        "rows_left_out_more": (quality.rows_left_out.len() > ROWS_LEFT_OUT_LISTED).then(|| {
            let more = quality.rows_left_out.len() - ROWS_LEFT_OUT_LISTED;
            label("rows_left_out_more", lang).replace("{count}", &format::number(more as f64, 0, lang))
        }),
        "rows_left_out_banner": (!quality.rows_left_out.is_empty()).then(|| {
            let count = format::number(quality.rows_left_out.len() as f64, 0, lang);
            label("rows_left_out_banner", lang).replace("{count}", &count)
        }),
        "findings_at_suppressed_not_listed": quality.findings_at_suppressed_not_listed,
        "unchecked_checks": match quality.unchecked_checks {
            0 => None,
            1 => Some(label("unchecked_check", lang).to_owned()),
            n => Some(label("unchecked_checks", lang).replace("{count}", &format::number(n as f64, 0, lang))),
        },
    })
}

/// `confidentiality`: the note on suppressed small counts (those from 1 to the threshold less 1), with the disclosure
/// audit's verdict. A threshold of 1 or less suppresses nothing, and the note says so rather than name an empty range
/// ("from 1 to 0", round 49).
fn confidentiality(scope: &Scope<'_>) -> String {
    let review = scope.review;
    let lang = scope.lang;
    let threshold = review.confidentiality.threshold;
    if threshold <= 1 {
        return label("confidentiality_none", lang).replace("{threshold}", &threshold.to_string());
    }
    if !review.confidentiality.protects {
        return label("confidentiality_unmarked", lang).to_owned();
    }
    let small = match threshold {
        2 => label("small_counts_one", lang).to_owned(),
        _ => label("small_counts_range", lang).replace("{high}", &(threshold - 1).to_string()),
    };
    label("confidentiality_text", lang)
        .replace("{small}", &small)
        .replace("{suppressed}", &format::number(f64::from(review.confidentiality.suppressed_cells), 0, lang))
        + &audit_text(review.confidentiality.audit.as_ref(), lang)
}

/// `bibliography[]`: the cited sources, numbered in citation order.
fn bibliography(scope: &Scope<'_>) -> Vec<Json> {
    let review = scope.review;
    let lang = scope.lang;
    scope
        .cited
        .iter()
        .enumerate()
        .filter_map(|(index, id)| review.sources.get(id).map(|s| (index, s)))
        .map(|(index, source)| {
            json!({
                "number": index + 1,
                "id": source.id,
                "document_number": source.number,
                "title": source.title.get(lang),
                // The language of a title that exists only in the other language, for `lang` (WCAG 3.1.2).
                "title_lang": other_language(&source.title, lang),
                "issuer": source.issuer.as_ref().map(|i| i.get(lang)),
                "date": source.date.map(|d| format::date(d, lang)),
                "url": source.url,
                "note": source.note.as_ref().map(|n| n.get(lang)),
                "uncertain": source.uncertain.then(|| i18n::label("uncertain_detail", lang)),
                "kind": (source.kind != SourceKind::Official).then(|| i18n::source_kind(source.kind, lang)),
            })
        })
        .collect()
}

/// What a data gap's "missing data" cell says: the elements' names, and the target's period where it has ended with
/// no value of its own beside earlier values ("… (for 2025)").
fn missing_text(gap: &crate::model::DataGap, lang: Lang) -> String {
    let names = gap.missing.iter().map(|m| m.get(lang)).collect::<Vec<_>>().join("; ");
    match gap.period {
        Some(period) => {
            let period = crate::format::period(period, lang);
            match lang {
                Lang::Vi => format!("{names} (cho {period})"),
                Lang::En => format!("{names} (for {period})"),
            }
        }
        None => names,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    /// The shared context, turned to charts-as-files, is exactly the one built for Markdown, for reviews with and
    /// without charts and evidence, in both languages; and it left no SVG behind.
    #[test]
    fn the_html_context_turned_to_files_is_the_markdown_context() {
        for review in [sample::mid_term_review(), Review::sample()] {
            for lang in [Lang::Vi, Lang::En] {
                let charts = Charts::draw(&review, lang, &mut |_| {}).unwrap();
                let mut shared = context(&review, lang, &charts, ChartPlacement::Inline, "body { color: red }");
                let inline = shared.to_string();
                place_charts_in_files(&mut shared);
                let files = context(&review, lang, &charts, ChartPlacement::Files, "");
                assert_eq!(shared, files, "{lang:?}");
                assert!(inline.contains("<svg") && inline.contains("color: red"), "the case has charts and a css");
                assert!(!shared.to_string().contains("<svg"), "{lang:?}");
            }
        }
    }

    #[test]
    fn only_chart_objects_lose_their_svg() {
        let mut value = json!({
            "css": "x",
            "chart": { "file": "charts/a.svg", "svg": "<svg/>" },
            "list": [{ "file": "charts/b.svg", "svg": "<svg/>" }, null],
            "other": { "file": "f", "svg": "kept", "title": "not a chart" },
        });
        place_charts_in_files(&mut value);
        let expected = json!({
            "css": "",
            "chart": { "file": "charts/a.svg", "svg": null },
            "list": [{ "file": "charts/b.svg", "svg": null }, null],
            "other": { "file": "f", "svg": "kept", "title": "not a chart" },
        });
        assert_eq!(value, expected);
    }
}
