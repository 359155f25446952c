//! From a [`Review`] to files in memory: charts, the template context, handlebars, and the JSON document.
//!
//! Templates receive a context in which every number, date and label is already written in the report's language,
//! so that a template (built in or overridden) only arranges text and never formats it. In the HTML template every
//! `{{value}}` is HTML-escaped; in the Markdown template a Markdown escape takes its place, so that `|`, newlines
//! and inline HTML in user strings cannot break a table or inject markup. The only raw (`{{{ }}}`) values are the
//! SVG charts, whose text plotters escapes itself, and the stylesheet.
//!
//! The context an overriding template sees (strict mode: a misspelt field is an error, not an empty string):
//! `lang`, `labels.*` (every fixed label, see [`crate::i18n`]), `css`, `synthetic` (`wholly`, `any`, `figures[]`: what
//! is synthetic data, shown first), `cover` (`title`, `programme`,
//! `programme_number`, `programme_period`, `plan`, `org_unit`, `window`, `as_of`, `generator`, `inputs[]`),
//! `status_counts[]` (`class`, `label`, `symbol`, `colour`, `count`), `headlines[]`, `findings[]`, `indicators[]`
//! (`anchor`, `code`, `name`, `work_area`, `definition`, `unit`, `baseline`, `target` (`text`, `words`, `period`,
//! `citation`), `latest`, `percent_of_target`, `progress_from_baseline`, `status` (`class`, `label`, `symbol`), `citation`, `agency`,
//! `comment`, `chart` (`file`, `svg`), `series[]`), `provinces[]`, `disaggregations[]`, `plugins` (`any`,
//! `metrics[]`, `failures[]`), `activities[]`, `data_quality` (`completeness[]`, `violations[]`, `cautions[]`),
//! `confidentiality`, `evidence` (results by work area and agency, the funnels, their labels: see `render_evidence.rs`;
//! rendered by the partials `evidence` and `evidence_annex`, overridable as `evidence.html`, `evidence_annex.md`…),
//! `methodology` (`fixed[]`, `notes[]`), `bibliography[]` (`number`, `document_number`, `title`,
//! `issuer`, `date`, `url`, `note`, `kind`: a label for estimates and synthetic data, else null; `title_lang`: the
//! language code of a title shown in the other language, else null). Citations are
//! bibliography numbers. Every synthetic figure has `synthetic: true` (series points, `latest`, headlines, provinces,
//! disaggregation rows, plugin metrics), and a template marks it with `labels.synthetic_marker` and a footnote
//! (`labels.synthetic_footnote`) under each table that has one: `headlines_synthetic`, `indicators[].any_synthetic`,
//! `provinces[].synthetic`, `disaggregations[].any_synthetic` and `plugins.any_synthetic` say which. The built-in
//! templates in `templates/` show every field in use.

use std::collections::{BTreeMap, BTreeSet};

use handlebars::Handlebars;
use serde::Serialize;
use tiendo_core::{Comparator, Lang, Measure};

use crate::charts::ChartError;
use crate::format;
use crate::model::{IndicatorReview, Review, Status, Value};
use crate::print_css;
use crate::render_charts::Charts;
use crate::render_context::{ChartPlacement, context, place_charts_in_files};
use crate::template_guard::render_template;

/// The built-in templates, embedded in the binary. Names are what `--templates DIR` files override (file name
/// without `.hbs`).
pub const BUILTIN_TEMPLATES: [(&str, &str); 7] = [
    ("review.html", include_str!("../templates/review.html.hbs")),
    ("review.md", include_str!("../templates/review.md.hbs")),
    ("evidence.html", include_str!("../templates/evidence.html.hbs")),
    ("evidence.md", include_str!("../templates/evidence.md.hbs")),
    ("evidence_annex.html", include_str!("../templates/evidence_annex.html.hbs")),
    ("evidence_annex.md", include_str!("../templates/evidence_annex.md.hbs")),
    ("style.css", include_str!("../templates/style.css")),
];

/// The names of the templates `--templates DIR` can override, as a list for messages.
fn overridable() -> String {
    BUILTIN_TEMPLATES.map(|(name, _)| name).join(", ")
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// `review.html`, one self-contained page with the charts inline.
    Html,
    /// `review.md` with the charts as `charts/*.svg` beside it.
    Markdown,
    /// `review.json`, the serialised [`Review`].
    Json,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 3] = [OutputFormat::Html, OutputFormat::Markdown, OutputFormat::Json];

    /// The name used on the command line: `html`, `md`, `json`.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Html => "html",
            OutputFormat::Markdown => "md",
            OutputFormat::Json => "json",
        }
    }

    pub fn file_name(self) -> &'static str {
        match self {
            OutputFormat::Html => "review.html",
            OutputFormat::Markdown => "review.md",
            OutputFormat::Json => "review.json",
        }
    }
}

impl std::str::FromStr for OutputFormat {
    type Err = String;

    /// Parses `html`, `md` (or `markdown`) and `json`, ignoring case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "html" => Ok(OutputFormat::Html),
            "md" | "markdown" => Ok(OutputFormat::Markdown),
            "json" => Ok(OutputFormat::Json),
            other => Err(format!("unknown report format `{other}`; expected html, md or json")),
        }
    }
}

/// How to render a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    pub lang: Lang,
    pub formats: BTreeSet<OutputFormat>,
    /// Template sources that replace built-in ones, by name (`review.html`, `review.md`, `style.css`).
    pub template_overrides: BTreeMap<String, String>,
}

impl RenderOptions {
    /// All formats in `lang` with the built-in templates.
    pub fn new(lang: Lang) -> Self {
        RenderOptions { lang, formats: OutputFormat::ALL.into_iter().collect(), template_overrides: BTreeMap::new() }
    }
}

/// The rendered files, by path relative to the output folder (`review.html`, `charts/indicator-t2.svg`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderedReport {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// A step of rendering done, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderStep {
    pub done: usize,
    pub total: usize,
    pub what: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("the catalogue has no plan `{0}` to review")]
    UnknownPlan(String),
    #[error("plan `{plan}` did not exist on the as-of date {as_of} (adopted {adopted}); give a later --as-of")]
    PlanAfterAsOf { plan: String, adopted: String, as_of: chrono::NaiveDate },
    #[error("the review cites sources that it does not list: {}", .0.join(", "))]
    UnknownSources(Vec<String>),
    #[error("unknown template `{0}`; templates that can be overridden: {list}", list = overridable())]
    UnknownTemplate(String),
    #[error("template `{name}` is invalid: {message}")]
    Template { name: String, message: String },
    #[error("template `{name}` failed to render: {message}")]
    TemplateRender { name: String, message: String },
    #[error("template `{name}` produced more than {} MiB, the output-size limit; it stopped there", limit / (1024 * 1024))]
    TemplateTooLarge { name: String, limit: usize },
    #[error("the narrative has {} error(s), the first: {}", .0.len(), .0.first().map(narrative_location).unwrap_or_default())]
    Narrative(Vec<tiendo_core::Diagnostic>),
    #[error(transparent)]
    Chart(#[from] ChartError),
    #[error("the review could not be serialised to JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Renders `review` in the formats and language of `options`.
pub fn render(review: &Review, options: &RenderOptions) -> Result<RenderedReport, ReportError> {
    render_with_progress(review, options, &mut |_| {})
}

/// Like [`render`], reporting each chart and each output file as it is done.
pub fn render_with_progress(
    review: &Review,
    options: &RenderOptions,
    progress: &mut dyn FnMut(RenderStep),
) -> Result<RenderedReport, ReportError> {
    check_inputs(review, options)?;
    let lang = options.lang;
    let needs_charts =
        options.formats.contains(&OutputFormat::Html) || options.formats.contains(&OutputFormat::Markdown);
    let total = if needs_charts { Charts::count(review) } else { 0 } + options.formats.len();
    let mut done = 0;
    let mut step = |what: String, progress: &mut dyn FnMut(RenderStep)| {
        done += 1;
        progress(RenderStep { done, total, what });
    };
    let charts =
        if needs_charts { Charts::draw(review, lang, &mut |what| step(what, progress))? } else { Charts::default() };

    let mut report = RenderedReport::default();
    let renderer = Renderer { review, lang, charts: &charts, options };
    // The template context, built once for HTML and Markdown (see `place_charts_in_files`), and handed to
    // handlebars as its own `Context` so that rendering does not copy it.
    let mut shared: Option<handlebars::Context> = None;
    for format in &options.formats {
        let text = match format {
            OutputFormat::Json => json_document(review)?,
            OutputFormat::Html => renderer.html(&mut shared)?,
            OutputFormat::Markdown => {
                for (path, svg) in &charts.files {
                    report.files.insert(path.clone(), svg.clone().into_bytes());
                }
                renderer.markdown(&mut shared)?
            }
        };
        report.files.insert(format.file_name().to_owned(), text);
        step(format.file_name().to_owned(), progress);
    }
    Ok(report)
}

/// What the HTML and Markdown renders of one review share: the review, its language, its charts, and the templates
/// (the built-in ones, or the project's overrides of them).
struct Renderer<'r> {
    review: &'r Review,
    lang: Lang,
    charts: &'r Charts,
    options: &'r RenderOptions,
}

impl Renderer<'_> {
    /// The source of template `name`: the override if there is one, else the built-in template ("" for neither).
    fn source(&self, name: &str) -> String {
        self.options.template_overrides.get(name).cloned().unwrap_or_else(|| {
            BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, s)| (*s).to_owned()).unwrap_or_default()
        })
    }

    /// Whether the built-in evidence partials are used, so that they can be inlined where the review includes them
    /// (see `template_guard::inline_partials`).
    fn builtin_partials(&self) -> bool {
        !self.options.template_overrides.keys().any(|name| name.starts_with("evidence"))
    }

    /// Adds the narrative to `context`, then renders `main` (`review.html` or `review.md`) with the evidence
    /// partials of extension `ext`.
    fn render(
        &self,
        main: &str,
        ext: &str,
        html: bool,
        context: &mut handlebars::Context,
    ) -> Result<Vec<u8>, ReportError> {
        crate::narrative::add_to_context(context.data_mut(), self.review, self.lang, html)
            .map_err(ReportError::Narrative)?;
        let mut registry = registry(html);
        let partials = [
            ("evidence", self.source(&format!("evidence.{ext}"))),
            ("evidence_annex", self.source(&format!("evidence_annex.{ext}"))),
        ];
        // A user's templates count their loops' passes (`template_guard::MAX_LOOP_PASSES`).
        let cap = (!self.options.template_overrides.is_empty()).then_some(crate::template_guard::MAX_LOOP_PASSES);
        let shape = (&partials[..], self.builtin_partials());
        let text = render_template(&mut registry, main, &self.source(main), shape, context, cap)?;
        Ok(text.into_bytes())
    }

    /// `review.html`: the context is built here (charts inline, the stylesheet embedded) and kept in `shared` for
    /// the Markdown that may follow.
    fn html(&self, shared: &mut Option<handlebars::Context>) -> Result<Vec<u8>, ReportError> {
        let style = self.source("style.css");
        let context = context(self.review, self.lang, self.charts, ChartPlacement::Inline, &style);
        self.render("review.html", "html", true, shared.insert(handlebars::Context::from(context)))
    }

    /// `review.md`: HTML comes first when both are asked for (formats are ordered), and its context serves here with
    /// the charts moved to files; otherwise the context is built here. The chart files are added by the caller.
    fn markdown(&self, shared: &mut Option<handlebars::Context>) -> Result<Vec<u8>, ReportError> {
        let context = match shared.as_mut() {
            Some(context) => {
                place_charts_in_files(context.data_mut());
                context
            }
            None => shared.insert(handlebars::Context::from(context(
                self.review,
                self.lang,
                self.charts,
                ChartPlacement::Files,
                "",
            ))),
        };
        self.render("review.md", "md", false, context)
    }
}

/// Refuses a review that cites a source it does not list, a template override of no built-in template, or a
/// narrative that does not resolve: errors [`ReportError::UnknownSources`], [`ReportError::UnknownTemplate`],
/// [`ReportError::Narrative`].
fn check_inputs(review: &Review, options: &RenderOptions) -> Result<(), ReportError> {
    let unknown: Vec<String> =
        review.cited_sources().into_iter().filter(|id| !review.sources.contains_key(id)).collect();
    if !unknown.is_empty() {
        return Err(ReportError::UnknownSources(unknown));
    }
    if let Some(name) = options.template_overrides.keys().find(|n| !BUILTIN_TEMPLATES.iter().any(|(b, _)| b == n)) {
        return Err(ReportError::UnknownTemplate(name.clone()));
    }
    let narrative_faults = crate::narrative::check(review);
    if !narrative_faults.is_empty() {
        return Err(ReportError::Narrative(narrative_faults));
    }
    Ok(())
}

/// The review's JSON document (pretty-printed, UTF-8, ending in a newline): the review, its status counts, its
/// bibliography and its resolved narrative.
fn json_document(review: &Review) -> Result<Vec<u8>, ReportError> {
    let document = JsonDocument {
        review,
        status_counts: review
            .status_counts()
            .into_iter()
            .map(|(status, count)| StatusCount {
                status,
                count,
                against_target_line: review
                    .indicators
                    .iter()
                    .filter(|i| i.status == status && i.status_note.is_some())
                    .count(),
            })
            .collect(),
        bibliography: review.cited_sources(),
        narrative: crate::narrative::resolved(review).map_err(ReportError::Narrative)?,
    };
    let mut bytes = serde_json::to_vec_pretty(&document)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A handlebars registry for the HTML review (HTML escapes and the `css_string` helper) or the Markdown one
/// (Markdown escapes).
pub(crate) fn registry(html: bool) -> Handlebars<'static> {
    let mut registry = Handlebars::new();
    if html {
        registry.register_escape_fn(handlebars::html_escape);
        registry.register_helper(print_css::CSS_STRING_HELPER, Box::new(print_css::css_string_helper));
    } else {
        registry.register_escape_fn(escape_markdown);
    }
    registry
}

/// How many indicators have one status; `against_target_line` of them the method decided against their target's
/// line (`IndicatorReview::status_note`: Open SDG's "achieved" for a target as set not met), omitted when none.
#[derive(Serialize)]
struct StatusCount {
    status: Status,
    count: usize,
    #[serde(skip_serializing_if = "is_zero")]
    against_target_line: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

/// The JSON output: the review itself plus what is derived from it, so that a reader need not recompute.
#[derive(Serialize)]
struct JsonDocument<'a> {
    #[serde(flatten)]
    review: &'a Review,
    status_counts: Vec<StatusCount>,
    /// Source ids in citation order; the bibliography's numbers are positions in this list, from 1.
    bibliography: Vec<String>,
    /// The narrative with its figures inserted: section -> language -> Markdown (absent when none is written).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    narrative: BTreeMap<&'static str, BTreeMap<&'static str, String>>,
}

/// `file:line:col: message` of a narrative diagnostic, for the error's one line.
fn narrative_location(diagnostic: &tiendo_core::Diagnostic) -> String {
    match &diagnostic.span {
        Some(span) => format!("{}:{}:{}: {}", span.file, span.line, span.column, diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

/// Escapes a user string for Markdown: backslash-escapes Markdown punctuation and turns line breaks into spaces so
/// that a table cell stays on its row. `<`, `>` and `&` stay readable ("> 90%", "Huế & Đà Nẵng") where CommonMark
/// gives them no meaning, and are backslash-escaped where it would: `<` before a letter, `/`, `!` or `?` (a tag,
/// comment or autolink: no inline HTML gets through), `&` before a letter or `#` (an entity). The text may begin a
/// line, so what would open a block there is escaped too: a leading `>` (a quote), a text of `=` alone (a heading's
/// underline; not "= 100%"), a leading `-` or `+` before a space, the end or itself (a list item, a thematic break;
/// not `-5`) and the `.` or `)` after leading digits before a space or the end (an ordered list item; not `1.5`),
/// and leading whitespace (an indented code block) is dropped.
pub fn escape_markdown(text: &str) -> String {
    let text = text.trim_start();
    // Only a line of `=` alone underlines a heading ("= 100%" does not).
    let underline = text.trim_end().chars().all(|c| c == '=');
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    // Whether every character so far was a digit (the start of an ordered list's marker).
    let (mut first, mut digits) = (true, true);
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let escaped = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => true,
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            '>' => first,
            '=' => first && underline,
            '-' | '+' => first && next.is_none_or(|n| n.is_whitespace() || n == c),
            '.' | ')' => digits && !first && next.is_none_or(char::is_whitespace),
            _ => false,
        };
        match c {
            '\r' => continue,
            '\n' => out.push(' '),
            _ if escaped => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
        digits &= c.is_ascii_digit();
        first = false;
    }
    out
}

pub(crate) fn comparator_symbol(comparator: Comparator) -> &'static str {
    match comparator {
        Comparator::Greater => ">",
        Comparator::GreaterOrEqual => "≥",
        Comparator::Equal => "=",
        Comparator::LessOrEqual => "≤",
        Comparator::Less => "<",
    }
}

/// An indicator's value with `decimals` (those evaluation decided for a value compared with a target).
pub(crate) fn shown_value(indicator: &IndicatorReview, value: Value, decimals: u8, lang: Lang) -> String {
    match value.number() {
        Some(n) if indicator.has_levels() => indicator
            .scale
            .iter()
            .find(|level| (level.value - n).abs() < 1e-9)
            .map(|level| level.label.get(lang).to_owned())
            .unwrap_or_else(|| format::number(n, decimals, lang)),
        Some(n) if indicator.measure == Measure::Percent && percent_unit(indicator, lang).is_none() => {
            format::share(n, decimals, lang)
        }
        Some(n) => format::with_unit(n, decimals, percent_unit(indicator, lang).as_deref(), lang),
        None => format::value(value, decimals, lang),
    }
}

/// A target or a baseline of the plan, with the decimals it is written with everywhere ([`TargetView::decimals`],
/// [`BaselineView::decimals`]: whole numbers without decimals, "over 90%", and any other number exactly as
/// configured, never rounded); an ordinal level by its label.
///
/// [`TargetView::decimals`]: crate::model::TargetView::decimals
/// [`BaselineView::decimals`]: crate::model::BaselineView::decimals
pub(crate) fn reference_value(indicator: &IndicatorReview, value: f64, decimals: u8, lang: Lang) -> String {
    shown_value(indicator, Value::Number(value), decimals, lang)
}

/// A target as words ("at least 85 and at most 95"; `symbols`: "≥ 85, ≤ 95"), every bound it is assessed with, without
/// its period.
pub(crate) fn target_text(
    indicator: &IndicatorReview,
    target: &crate::model::TargetView,
    lang: Lang,
    symbols: bool,
) -> String {
    let bounds: Vec<String> = target
        .bounds()
        .map(|t| {
            let (comparator, value) = level_bound(indicator, t.comparator, t.value);
            let comparator =
                if symbols { comparator_symbol(comparator) } else { crate::format::comparator(comparator, lang) };
            format!("{comparator} {}", reference_value(indicator, value, t.decimals, lang))
        })
        .collect();
    let and = match (symbols, lang) {
        (true, _) => ", ",
        (false, Lang::Vi) => " và ",
        (false, _) => " and ",
    };
    bounds.join(and) + &target_words(target, lang)
}

/// What a baseline's figure is, after it in a chart's legend: " (estimate; not confirmed)", each that holds (its
/// kind and whether its source is confirmed); empty for neither.
pub(crate) fn baseline_words(baseline: &crate::model::BaselineView, lang: Lang) -> String {
    let marks: Vec<&str> = [
        (baseline.estimate, "estimate_word"),
        (baseline.derived, "derived_word"),
        (baseline.synthetic, "synthetic_word"),
        (baseline.uncertain, "not_confirmed_word"),
    ]
    .into_iter()
    .filter(|(holds, _)| *holds)
    .map(|(_, key)| crate::i18n::label(key, lang))
    .collect();
    if marks.is_empty() { String::new() } else { format!(" ({})", marks.join("; ")) }
}

/// What a target's figure is, after it wherever it is written (tables, charts' legends and descriptions): " (synthetic;
/// not confirmed)", each that holds; empty for neither.
pub(crate) fn target_words(target: &crate::model::TargetView, lang: Lang) -> String {
    let marks: Vec<&str> = [(target.synthetic, "synthetic_word"), (target.uncertain, "not_confirmed_word")]
        .into_iter()
        .filter(|(holds, _)| *holds)
        .map(|(_, key)| crate::i18n::label(key, lang))
        .collect();
    if marks.is_empty() { String::new() } else { format!(" ({})", marks.join("; ")) }
}

/// A scale's target between two of its levels as the level bound it means: `> 25` on Low 10, Medium 20, High 50 is
/// "at least High", `< 25` "at most Medium" (round 66, found by a verifier: "over 25" read in codes, "over 2.5" when
/// the same scale was coded 1 to 4). Any other target as it is.
pub(crate) fn level_bound(indicator: &IndicatorReview, comparator: Comparator, value: f64) -> (Comparator, f64) {
    let levels = || indicator.scale.iter().map(|level| level.value);
    if indicator.measure != Measure::Ordinal || levels().any(|level| (level - value).abs() < 1e-9) {
        return (comparator, value);
    }
    let bound = match comparator {
        Comparator::Greater | Comparator::GreaterOrEqual => {
            levels().filter(|level| *level > value).reduce(f64::min).map(|level| (Comparator::GreaterOrEqual, level))
        }
        Comparator::Less | Comparator::LessOrEqual => {
            levels().filter(|level| *level < value).reduce(f64::max).map(|level| (Comparator::LessOrEqual, level))
        }
        Comparator::Equal => None,
    };
    bound.unwrap_or((comparator, value))
}

/// A plan's baseline as [`reference_value`] writes it (a suppressed or missing one by its label), "a year" after a
/// yearly average's number.
pub(crate) fn baseline_value(indicator: &IndicatorReview, baseline: &crate::model::BaselineView, lang: Lang) -> String {
    let value = shown_value(indicator, baseline.value, baseline.decimals, lang);
    if baseline.yearly_average && baseline.value.number().is_some() { value + per_year(lang) } else { value }
}

/// What follows a yearly average's number: " a year".
pub(crate) fn per_year(lang: Lang) -> &'static str {
    if lang == Lang::Vi { " mỗi năm" } else { " a year" }
}

/// A plan's baseline's period as every output names it: "average 2016–2020" for a yearly average.
pub(crate) fn baseline_period(baseline: &crate::model::BaselineView, lang: Lang) -> String {
    let period = crate::format::period(baseline.period, lang);
    match (baseline.yearly_average, lang) {
        (false, _) => period,
        (true, Lang::Vi) => format!("bình quân {period}"),
        (true, _) => format!("average {period}"),
    }
}

/// Only "%" is written after numbers inside tables; other units have their own column.
fn percent_unit(indicator: &IndicatorReview, lang: Lang) -> Option<String> {
    indicator.unit.as_ref().map(|u| u.get(lang).to_owned()).filter(|u| u == "%")
}

/// A side of a validation rule: a whole number without decimals, any other with `decimals` (those that keep the
/// shown sides breaking the rule, [`crate::model::ViolationRow::decimals`]).
pub(crate) fn rule_side(value: f64, decimals: u8, lang: Lang) -> String {
    format::number(value, if value.fract().abs() < 1e-9 { 0 } else { decimals }, lang)
}

pub(crate) fn slug(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_from_their_names() {
        for format in OutputFormat::ALL {
            assert_eq!(format.name().parse::<OutputFormat>(), Ok(format));
        }
        assert_eq!("Markdown".parse::<OutputFormat>(), Ok(OutputFormat::Markdown));
        assert!("pdf".parse::<OutputFormat>().is_err());
    }

    #[test]
    fn markdown_escape_keeps_tables_and_markup_intact() {
        let cases = [
            ("plain text", "plain text"),
            ("a | b", "a \\| b"),
            ("line one\nline two", "line one line two"),
            ("crlf\r\nend", "crlf end"),
            ("<script>alert(1)</script>", "\\<script>alert(1)\\</script>"),
            ("<!-- x --> <?php <http://x>", "\\<!-- x --> \\<?php \\<http://x>"),
            ("> 90% (2025)", "\\> 90% (2025)"),
            ("  >= 95", "\\>= 95"),
            ("- D1", "\\- D1"),
            ("+ D3", "\\+ D3"),
            ("1. D2", "1\\. D2"),
            ("2) D9", "2\\) D9"),
            ("===", "\\==="),
            ("= 100%", "= 100%"),
            ("---", "\\---"),
            ("-5 and +3", "-5 and +3"),
            ("86.7%", "86.7%"),
            ("2024.", "2024\\."),
            ("    code", "code"),
            ("\tcode", "code"),
            ("Decision 193/QĐ-TTg, art. 2) and 1.5 - 2 + 3 = 6", "Decision 193/QĐ-TTg, art. 2) and 1.5 - 2 + 3 = 6"),
            ("over > 90, under < 5 and 3<4", "over > 90, under < 5 and 3<4"),
            ("&amp; &#38; &x", "\\&amp; \\&\\#38; \\&x"),
            ("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"),
            ("[link](x)", "\\[link\\](x)"),
            ("Thừa Thiên Huế & Đà Nẵng", "Thừa Thiên Huế & Đà Nẵng"),
            ("# heading", "\\# heading"),
            ("back\\slash", "back\\\\slash"),
        ];
        for (input, expected) in cases {
            assert_eq!(escape_markdown(input), expected, "{input:?}");
        }
    }
}
