//! The helpers that insert computed figures into the narrative, so that the text can never disagree with the
//! numbers (issue 13, item 1). Syntax, inside any narrative Markdown: `{{NAME ARG…}}` on one line, arguments
//! separated by spaces:
//!
//! | helper | arguments | gives |
//! |---|---|---|
//! | `value` | indicator, period, optional org unit | the value as the tables show it |
//! | `change` | indicator, period | the change on the same period a year earlier |
//! | `status` | indicator | the status word of the indicator table |
//! | `target` | indicator | the assessed target in words, with its year |
//! | `coverage` | indicator, period | what a partial value lacks, or that every expected unit reported |
//!
//! An indicator is named by its code (`T1`) or id; a period as everywhere in tiendo (`2024`, `2024Q1`, `2024S1`,
//! `2021..2023`); an org unit by its id (a province of the review's provincial comparisons). Every figure is taken
//! from the evaluated [`Review`] with the tables' formatting, decimals and marks: nothing is recomputed, a
//! suppressed value shows the suppression word, a partial value carries its coverage note, a synthetic value the
//! synthetic mark, and a change with a suppressed term is suppressed. Every fault is a located error (file, line,
//! column, code, hint), never dropped text; codes are in [`crate::narrative::codes`].

use tiendo_core::{Diagnostic, Lang, Period, Span, Text};

use crate::format;
use crate::i18n::{self, label};
use crate::model::{ChangeView, IndicatorReview, Review, SeriesPoint, Value};
use crate::narrative::{NarrativeText, codes};
use crate::render::{escape_markdown, shown_value};

/// The helpers and the arguments each takes (after the name): the least and the most.
const HELPERS: [(&str, usize, usize, &str); 5] = [
    ("value", 2, 3, "{{value INDICATOR PERIOD [ORG-UNIT]}}"),
    ("change", 2, 2, "{{change INDICATOR PERIOD}}"),
    ("status", 1, 1, "{{status INDICATOR}}"),
    ("target", 1, 1, "{{target INDICATOR}}"),
    ("coverage", 2, 2, "{{coverage INDICATOR PERIOD}}"),
];

/// A helper found in a text: its name, arguments and byte range (the braces included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperCall<'a> {
    pub name: &'a str,
    pub args: Vec<&'a str>,
    pub start: usize,
    pub end: usize,
}

/// A piece of a narrative text: Markdown as written, or a helper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Helper(HelperCall<'a>),
}

/// A fault found in a text, before it is located: code, message, hint and byte range.
struct Fault {
    code: (&'static str, &'static str),
    message: String,
    hint: String,
    range: (usize, usize),
}

/// Cuts `text` into Markdown and helper calls. An opening `{{` without `}}` on its line, or `{{}}`, is a fault;
/// the text around it is kept so that every other helper is still checked.
fn parse(text: &str) -> (Vec<Piece<'_>>, Vec<Fault>) {
    let mut pieces = Vec::new();
    let mut faults = Vec::new();
    let mut position = 0;
    while let Some(found) = text[position..].find("{{") {
        let start = position + found;
        let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        let Some(close) = text[start + 2..line_end].find("}}") else {
            faults.push(Fault {
                code: codes::HELPER_SYNTAX,
                message: "`{{` opens a helper that is not closed with `}}` on the same line".to_owned(),
                hint: "write a helper on one line, e.g. `{{value T1 2024}}`".to_owned(),
                range: (start, start + 2),
            });
            pieces.push(Piece::Text(&text[position..start + 2]));
            position = start + 2;
            continue;
        };
        let end = start + 2 + close + 2;
        pieces.push(Piece::Text(&text[position..start]));
        let mut words = text[start + 2..end - 2].split_whitespace();
        match words.next() {
            Some(name) => pieces.push(Piece::Helper(HelperCall { name, args: words.collect(), start, end })),
            None => faults.push(Fault {
                code: codes::HELPER_SYNTAX,
                message: "empty helper `{{}}`".to_owned(),
                hint: format!("name a helper: {}", helper_names()),
                range: (start, end),
            }),
        }
        position = end;
    }
    pieces.push(Piece::Text(&text[position..]));
    (pieces, faults)
}

/// Every helper call in `text`, for tools and tests; syntax faults are left out.
pub fn calls(text: &str) -> Vec<HelperCall<'_>> {
    parse(text)
        .0
        .into_iter()
        .filter_map(|p| match p {
            Piece::Helper(call) => Some(call),
            Piece::Text(_) => None,
        })
        .collect()
}

fn helper_names() -> String {
    HELPERS.iter().map(|(name, ..)| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}

/// `text` with every helper replaced by its figure in `lang`, Markdown-escaped; or every fault, located.
pub fn expand(text: &NarrativeText, lang: Lang, review: &Review) -> Result<String, Vec<Diagnostic>> {
    let (pieces, mut faults) = parse(&text.markdown);
    let mut out = String::with_capacity(text.markdown.len());
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Helper(call) => match resolve(&call, lang, review) {
                Ok(figure) => out.push_str(&escape_markdown(&figure)),
                Err(mut fault) => {
                    fault.range = (call.start, call.end);
                    faults.push(fault);
                }
            },
        }
    }
    if faults.is_empty() {
        return Ok(out);
    }
    faults.sort_by_key(|f| f.range);
    Err(faults.into_iter().map(|f| locate(f, text)).collect())
}

fn locate(fault: Fault, text: &NarrativeText) -> Diagnostic {
    let before = &text.markdown[..fault.range.0];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let span = Span { file: text.file.clone(), start: fault.range.0, end: fault.range.1, line, column };
    Diagnostic::error(fault.code.0, fault.code.1, fault.message).with_span(Some(span)).with_hint(fault.hint)
}

fn arguments_fault(message: String, usage: &str) -> Fault {
    Fault { code: codes::HELPER_ARGUMENTS, message, hint: format!("write it as `{usage}`"), range: (0, 0) }
}

fn no_value(message: String, hint: String) -> Fault {
    Fault { code: codes::NO_VALUE, message, hint, range: (0, 0) }
}

/// The figure one helper gives, or why it has none.
fn resolve(call: &HelperCall<'_>, lang: Lang, review: &Review) -> Result<String, Fault> {
    let Some(&(name, least, most, usage)) = HELPERS.iter().find(|(name, ..)| *name == call.name) else {
        return Err(Fault {
            code: codes::UNKNOWN_HELPER,
            message: format!("unknown helper `{}`", call.name),
            hint: format!("the helpers are {}", helper_names()),
            range: (0, 0),
        });
    };
    if call.args.len() < least || call.args.len() > most {
        return Err(arguments_fault(
            format!("`{name}` takes {} argument(s), not {}", arity(least, most), call.args.len()),
            usage,
        ));
    }
    let indicator = find_indicator(review, call.args[0])?;
    let period = match call.args.get(1) {
        Some(text) => Some(
            Period::parse(text)
                .map_err(|error| arguments_fault(format!("`{text}` is not a period: {error}"), usage))?,
        ),
        None => None,
    };
    match (name, period) {
        ("value", Some(period)) => match call.args.get(2) {
            Some(unit) => unit_value(review, indicator, period, unit, lang),
            None => Ok(point_text(indicator, point(indicator, period)?, lang)),
        },
        ("change", Some(period)) => change(indicator, period, lang),
        ("coverage", Some(period)) => {
            let point = point(indicator, period)?;
            // Only a value shown has a coverage to tell: a hidden value carries none (methodology section 7), and
            // "every expected unit reported" of a hidden national count that lacked a province was untrue (round
            // 72, found by an adversarial tester); a value missing or undefined is said as the tables say it.
            if !matches!(point.value, Value::Number(_)) {
                return Ok(point_text(indicator, point, lang));
            }
            Ok(match (&point.note, point.partial) {
                (Some(note), true) => note.get(lang).to_owned(),
                (None, true) => label("narrative_partial", lang).to_owned(),
                (_, false) => label("narrative_complete", lang).to_owned(),
            })
        }
        // With what the tables say beside it (the method's rule, values that look like fractions; round 72).
        ("status", _) => Ok(match indicator.status_remarks(lang) {
            Some(remarks) => format!("{} ({remarks})", i18n::indicator_status(indicator, lang)),
            None => i18n::indicator_status(indicator, lang).to_owned(),
        }),
        ("target", _) => match &indicator.target {
            Some(target) => Ok(format!(
                "{} ({})",
                crate::render::target_text(indicator, target, lang, false),
                format::period(target.period, lang)
            )),
            None => Err(no_value(
                format!("indicator `{}` has no target in this review", indicator.code),
                "name an indicator with a target, or write the words without the helper".to_owned(),
            )),
        },
        _ => Err(arguments_fault(format!("`{name}` needs a period"), usage)),
    }
}

fn arity(least: usize, most: usize) -> String {
    if least == most { least.to_string() } else { format!("{least} or {most}") }
}

fn find_indicator<'r>(review: &'r Review, name: &str) -> Result<&'r IndicatorReview, Fault> {
    review.indicators.iter().find(|i| i.code == name || i.id == name).ok_or_else(|| {
        let known: Vec<&str> = review.indicators.iter().map(|i| i.code.as_str()).take(30).collect();
        no_value(
            format!("no indicator `{name}` in this review"),
            format!("the review's indicators are {}", known.join(", ")),
        )
    })
}

/// The indicator's point of `period`; a period without a value (missing, or no point at all) is a fault.
fn point(indicator: &IndicatorReview, period: Period) -> Result<&SeriesPoint, Fault> {
    // A period whose reports give no value (a denominator of 0, a blend of synthetic and real figures) has none to
    // quote: "—" in a sentence says nothing of why (round 66, found by a verifier).
    let quotable = |p: &SeriesPoint| !matches!(p.value, Value::Missing | Value::Undefined);
    let periods = || {
        let with: Vec<String> = indicator.series.iter().filter(|p| quotable(p)).map(|p| p.period.to_string()).collect();
        if with.is_empty() {
            format!("`{}` has no value in this review; remove the helper", indicator.code)
        } else {
            format!("`{}` has values for {}", indicator.code, with.join(", "))
        }
    };
    match indicator.series.iter().find(|p| p.period == period) {
        Some(point) if quotable(point) => Ok(point),
        Some(point) if point.value == Value::Undefined => {
            let why = point.note.as_ref().map(|n| format!(" ({})", n.en)).unwrap_or_default();
            Err(no_value(format!("indicator `{}` has no value for {period}{why}", indicator.code), periods()))
        }
        _ => Err(no_value(format!("indicator `{}` has no value for {period}", indicator.code), periods())),
    }
}

/// A point as the tables show it, with its own marks: synthetic, partial (with its coverage note), provisional.
fn point_text(indicator: &IndicatorReview, point: &SeriesPoint, lang: Lang) -> String {
    let latest = indicator.latest.as_ref().is_some_and(|l| l.period == point.period);
    let own = point.shown_decimals(indicator.decimals);
    let decimals = if latest { indicator.latest_decimals.max(own) } else { own };
    let marks = Marks { marks: crate::chart_text::Marks::of(point), note: point.note.as_ref() };
    marked(indicator, point.value, decimals, marks, lang)
}

/// The marks a value carries where it is quoted, each its own: never another value's, nor a table's.
#[derive(Clone, Copy)]
struct Marks<'a> {
    /// The marks a table writes after the value.
    marks: crate::chart_text::Marks,
    /// What a partial value lacks, or why a value is of another basis (the tables' note).
    note: Option<&'a Text>,
}

/// `value` with `decimals`, its unit in words, then its marks in brackets: "† synthetic data", "estimate", for a
/// partial value, one of another basis or one reported after the unit ended its note (or "partial data", "sum of
/// units below", "reported after the unit ended" without one), "provisional".
fn marked(
    indicator: &IndicatorReview,
    value: Value,
    decimals: u8,
    Marks { marks, note }: Marks<'_>,
    lang: Lang,
) -> String {
    let mut text = shown_value(indicator, value, decimals, lang);
    if let (Some(unit), Some(_)) = (unit_words(indicator, lang), value.number()) {
        text = format!("{text} {unit}");
    }
    let mut notes = Vec::new();
    if marks.synthetic {
        notes.push(synthetic_words(lang));
    }
    if marks.estimate {
        notes.push(label("narrative_estimate", lang).to_owned());
    }
    if marks.derived {
        notes.push(label("narrative_derived", lang).to_owned());
    }
    let timing = crate::render_evidence::timing_label(
        marks.after_end,
        marks.restated,
        (marks.series_break, marks.contested),
        lang,
    );
    if marks.partial || marks.other_basis || timing.is_some() {
        let word = if marks.partial {
            label("narrative_partial", lang).to_owned()
        } else if marks.other_basis {
            crate::render_evidence::other_basis_label(marks.combined, lang).to_owned()
        } else {
            timing.unwrap_or_default()
        };
        notes.push(note.map_or(word, |n| n.get(lang).to_owned()));
    }
    if marks.provisional {
        notes.push(label("provisional", lang).to_owned());
    }
    notes.extend(marks.beyond_limit.filter(|_| value.number().is_some()).map(|limit| beyond_limit_words(limit, lang)));
    if notes.is_empty() { text } else { format!("{text} ({})", notes.join("; ")) }
}

/// "beyond the limit of 100", as the tables write it: a share whose parts contradict its definition (12 resolved of
/// 10 received) is quoted with its mark, and a change from or to it says so (round 65, found by a review helper).
fn beyond_limit_words(limit: f64, lang: Lang) -> String {
    label("beyond_limit", lang).replace("{limit}", &format::number(limit, 0, lang))
}

fn synthetic_words(lang: Lang) -> String {
    format!("{} {}", label("synthetic_marker", lang), label("narrative_synthetic", lang))
}

/// A unit written after a number in prose; "%" is already part of the number.
fn unit_words(indicator: &IndicatorReview, lang: Lang) -> Option<String> {
    if indicator.has_levels() {
        return None;
    }
    indicator.unit.as_ref().map(|u| u.get(lang).to_owned()).filter(|u| !u.is_empty() && u != "%")
}

/// The change on the same period a year earlier as evaluation decided it (`SeriesPoint::change`), never
/// recomputed: the difference (in percentage points for a percentage, known by the indicator's measure) and the
/// relative change; "suppressed" with a suppressed term; "not comparable (why)" where evaluation compares nothing.
fn change(indicator: &IndicatorReview, period: Period, lang: Lang) -> Result<String, Fault> {
    if indicator.has_levels() {
        return Err(arguments_fault(
            format!(
                "`{}` is measured in levels (a scale, yes or no); a change of levels has no number",
                indicator.code
            ),
            "{{value INDICATOR PERIOD}} for each year",
        ));
    }
    let now = point(indicator, period)?;
    let Some(change) = now.change.as_ref().filter(|c| !matches!(c, ChangeView::NoPrevious { .. })) else {
        let previous = now.change.as_ref().map_or_else(|| period.same_period_last_year(), |c| c.previous_period());
        // The usual fault for a period without a value, naming the periods that have one.
        point(indicator, previous)?;
        return Err(no_value(
            format!("indicator `{}` has no change for {period} in this review", indicator.code),
            format!("write the values of {previous} and {period} with `{{{{value}}}}` instead"),
        ));
    };
    let before = indicator.series.iter().find(|p| p.period == change.previous_period());
    // With the decimals of the two values (95.04 against 94.96 is +0.08 points, as eval writes it; round 11, F4).
    let decimals =
        before.map_or(0, |p| p.shown_decimals(indicator.decimals)).max(now.shown_decimals(indicator.decimals));
    let Some(mut text) = change.absolute_text(decimals, lang) else {
        return Ok(change.words(lang).unwrap_or_default());
    };
    if let (false, Some(unit)) = (change.in_points(), unit_words(indicator, lang)) {
        text = format!("{text} {unit}");
    }
    if let Some(percent) = change.percent_text(lang) {
        text = format!("{text} ({percent})");
    }
    // Evaluation compares values of one kind, and partial ones only under `coverage = "flag"`: say so.
    let mut marks = Vec::new();
    if now.synthetic || before.is_some_and(|p| p.synthetic) {
        marks.push(synthetic_words(lang));
    }
    if now.estimate || before.is_some_and(|p| p.estimate) {
        marks.push(label("narrative_estimate", lang).to_owned());
    }
    if now.derived || before.is_some_and(|p| p.derived) {
        marks.push(label("narrative_derived", lang).to_owned());
    }
    if now.partial || before.is_some_and(|p| p.partial) {
        marks.push(label("narrative_partial", lang).to_owned());
    }
    if let Some(limit) = now.beyond_limit.or(before.and_then(|p| p.beyond_limit)) {
        marks.push(label("change_beyond_limit", lang).replace("{limit}", &format::number(limit, 0, lang)));
    }
    // A change is between values of one basis; a provisional value, or one reported after its unit ended, is said so
    // (round 58, found by a review helper: "change +20 (+6.5%)" from a provisional 330).
    let either = |mark: fn(&SeriesPoint) -> bool| mark(now) || before.is_some_and(mark);
    if let Some(other) = std::iter::once(now).chain(before).find(|p| p.other_basis) {
        marks.push(crate::render_evidence::other_basis_label(other.combined, lang).to_owned());
    }
    let timing = crate::render_evidence::timing_label(
        either(|p| p.after_end),
        either(|p| p.restated),
        (either(|p| p.series_break), either(|p| p.contested)),
        lang,
    );
    if let Some(words) = timing {
        marks.push(words);
    }
    if either(|p| p.provisional) {
        marks.push(label("provisional", lang).to_owned());
    }
    Ok(if marks.is_empty() { text } else { format!("{text} ({})", marks.join("; ")) })
}

/// The value of one org unit, from the review's provincial comparisons (the only per-unit values a review holds),
/// with the row's own marks as the province annex shows them.
fn unit_value(
    review: &Review,
    indicator: &IndicatorReview,
    period: Period,
    unit: &str,
    lang: Lang,
) -> Result<String, Fault> {
    let comparisons = || review.provincial_comparisons.iter().filter(|c| c.indicator_code == indicator.code);
    for comparison in comparisons().filter(|c| c.period == period) {
        if let Some(row) = comparison.values.iter().find(|v| v.org_unit == unit && v.value != Value::Missing) {
            // Every mark the province annex and its chart give the value.
            let marks = Marks { marks: crate::chart_text::province_marks(row), note: row.note.as_ref() };
            return Ok(marked(indicator, row.value, comparison.decimals, marks, lang));
        }
    }
    let periods: Vec<String> = comparisons().map(|c| c.period.to_string()).collect();
    let hint = if periods.is_empty() {
        format!("the review compares no org units on `{}`; use the helper without an org unit", indicator.code)
    } else {
        format!("the review compares org units on `{}` for {}", indicator.code, periods.join(", "))
    };
    Err(no_value(format!("indicator `{}` has no value for org unit `{unit}` in {period}", indicator.code), hint))
}
