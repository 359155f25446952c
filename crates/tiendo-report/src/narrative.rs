//! The review's narrative (issue 13, item 1): the reviewers' judgement, written by people in Markdown, one text per
//! section and language, rendered into the review with its computed figures inserted by helpers
//! ([`crate::narrative_helpers`]).
//!
//! The Markdown is untrusted input in a signed document. It is parsed by pulldown-cmark (CommonMark), and before
//! anything is written: raw HTML (blocks and inline) becomes escaped text, a link is kept only when its address is
//! safe ([`is_safe_url`]: `http`, `https`, `mailto` or a relative address), an image is never loaded (its
//! description stays as text), and headings are moved two levels down so that they sit under the section's own
//! heading. A section without text shows a placeholder naming who should write it: tiendo never writes a judgement.
//!
//! Where each check lives (ARCHITECTURE.md): reading the files (size, UTF-8, regular files, the folder layout) is the
//! loader's; parsing helpers, resolving them against the evaluated [`Review`] and the pairing of the two languages
//! is here, pure, after evaluation; the binary runs [`check`] at `tiendo check` and `tiendo report`.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::{Value as Json, json};
use tiendo_core::{Diagnostic, Lang, Span};

use crate::i18n::label;
use crate::model::Review;
use crate::narrative_helpers;
use crate::render::escape_markdown;

/// The diagnostics of the narrative: stable code and name. `tiendo_load::codes` lists the same codes in the
/// catalogue of every diagnostic (a test of the binary keeps the two equal).
pub mod codes {
    /// A narrative text exists in one language and not in the other.
    pub const MISSING_LANGUAGE: (&str, &str) = ("E501", "narrative-missing-language");
    /// `{{` without its `}}` on the same line, or an empty helper.
    pub const HELPER_SYNTAX: (&str, &str) = ("E502", "narrative-helper-syntax");
    /// A helper name that does not exist.
    pub const UNKNOWN_HELPER: (&str, &str) = ("E503", "narrative-unknown-helper");
    /// A helper with the wrong number or kind of arguments.
    pub const HELPER_ARGUMENTS: (&str, &str) = ("E504", "narrative-helper-arguments");
    /// A helper naming an indicator, org unit or period that has no value in the review.
    pub const NO_VALUE: (&str, &str) = ("E505", "narrative-no-value");
    /// Every narrative code, in code order.
    pub const ALL: [(&str, &str); 5] = [MISSING_LANGUAGE, HELPER_SYNTAX, UNKNOWN_HELPER, HELPER_ARGUMENTS, NO_VALUE];
}

/// A section of the review that people write. The file of a section is `<folder>/<lang>/<name>.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NarrativeSection {
    /// The executive summary's judgement ("Tóm tắt"), before the status overview and the headlines.
    Summary,
    /// A short text opening the results against each target ("Kết quả đạt được"); optional, no placeholder.
    Results,
    /// "Tồn tại, hạn chế": shortcomings and limitations.
    Limitations,
    /// "Nguyên nhân": causes (of results and of shortcomings).
    Causes,
    /// "Bài học kinh nghiệm": lessons learned.
    Lessons,
    /// "Nhiệm vụ, giải pháp": tasks and solutions for the period ahead.
    Tasks,
    /// "Kiến nghị, đề xuất": recommendations and proposals.
    Recommendations,
}

impl NarrativeSection {
    pub const ALL: [NarrativeSection; 7] = [
        NarrativeSection::Summary,
        NarrativeSection::Results,
        NarrativeSection::Limitations,
        NarrativeSection::Causes,
        NarrativeSection::Lessons,
        NarrativeSection::Tasks,
        NarrativeSection::Recommendations,
    ];

    /// The file stem, also the key of the template context (`narrative.summary`) and the section's HTML id.
    pub fn name(self) -> &'static str {
        match self {
            NarrativeSection::Summary => "summary",
            NarrativeSection::Results => "results",
            NarrativeSection::Limitations => "limitations",
            NarrativeSection::Causes => "causes",
            NarrativeSection::Lessons => "lessons",
            NarrativeSection::Tasks => "tasks",
            NarrativeSection::Recommendations => "recommendations",
        }
    }

    /// The section named `name` (a file stem), if any.
    pub fn from_name(name: &str) -> Option<NarrativeSection> {
        NarrativeSection::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Whether an empty section shows a placeholder (every section but the optional results text).
    pub fn needs_text(self) -> bool {
        self != NarrativeSection::Results
    }
}

/// One narrative file as read: its name as diagnostics show it (relative to the project) and its Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct NarrativeText {
    pub file: String,
    pub markdown: String,
}

/// The narrative of a review: at most one text per section and language. Empty by default (every section shows its
/// placeholder).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Narrative {
    pub texts: BTreeMap<(NarrativeSection, Lang), NarrativeText>,
}

impl Narrative {
    /// The text of `section` in `lang`, if written.
    pub fn get(&self, section: NarrativeSection, lang: Lang) -> Option<&NarrativeText> {
        self.texts.get(&(section, lang))
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}

/// The ISO 639-1 code of a language, as the narrative folders are named.
pub fn lang_folder(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    }
}

/// Every problem of the review's narrative, located: a text without its other language, and every helper that
/// does not parse or has no value ([`narrative_helpers::expand`]). Empty when the narrative can be rendered.
pub fn check(review: &Review) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for ((section, lang), text) in &review.narrative.texts {
        if review.narrative.get(*section, other(*lang)).is_none() {
            let (code, name) = codes::MISSING_LANGUAGE;
            let missing = text.file.replacen(
                &format!("/{}/", lang_folder(*lang)),
                &format!("/{}/", lang_folder(other(*lang))),
                1,
            );
            diagnostics.push(
                Diagnostic::error(
                    code,
                    name,
                    format!(
                        "the {} text `{}` has no {} counterpart",
                        lang_name(*lang),
                        section.name(),
                        lang_name(other(*lang))
                    ),
                )
                .with_span(Some(Span { file: text.file.clone(), start: 0, end: 0, line: 1, column: 1 }))
                .with_hint(format!(
                    "write `{missing}` too (`tiendo narrative init` writes a skeleton): a review says the same in \
                     both languages"
                )),
            );
        }
        if let Err(errors) = narrative_helpers::expand(text, *lang, review) {
            diagnostics.extend(errors);
        }
    }
    diagnostics
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Vietnamese",
        Lang::En => "English",
    }
}

/// Adds to a template context `narrative`: for each section (by [`NarrativeSection::name`]) its rendered `text`
/// (HTML when `html`, else Markdown; `null` when none is written) and its `placeholder` (`null` for the optional
/// results text); and `running_mark`, the running header's mark (synthetic data, illustrative text), or `null`.
/// Fails with the located diagnostics of `lang`'s texts.
pub(crate) fn add_to_context(
    context: &mut Json,
    review: &Review,
    lang: Lang,
    html: bool,
) -> Result<(), Vec<Diagnostic>> {
    let mut sections = serde_json::Map::new();
    let mut errors = Vec::new();
    let writer = match &review.cover.document.issuer {
        Some(issuer) => format!("{} ({})", label("narrative_writer", lang), issuer.get(lang)),
        None => label("narrative_writer", lang).to_owned(),
    };
    for section in NarrativeSection::ALL {
        let text = match review.narrative.get(section, lang) {
            Some(text) => match narrative_helpers::expand(text, lang, review) {
                Ok(markdown) => Some(if html { markdown_to_html(&markdown) } else { markdown_to_markdown(&markdown) }),
                Err(found) => {
                    errors.extend(found);
                    None
                }
            },
            None => None,
        };
        let placeholder =
            section.needs_text().then(|| label("narrative_placeholder", lang).replace("{writer}", &writer));
        sections.insert(section.name().to_owned(), json!({ "text": text, "placeholder": placeholder }));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let synthetic = if review.synthetic.wholly {
        Some(label("running_synthetic_wholly", lang))
    } else if review.synthetic.any() {
        Some(label("running_synthetic_partly", lang))
    } else {
        None
    };
    let illustrative = review.cover.document.illustrative.then(|| label("running_illustrative", lang));
    let marks: Vec<&str> = synthetic.into_iter().chain(illustrative).collect();
    if let Json::Object(map) = context {
        map.insert("narrative".to_owned(), Json::Object(sections));
        map.insert("running_mark".to_owned(), if marks.is_empty() { Json::Null } else { json!(marks.join(" · ")) });
    }
    Ok(())
}

/// The narrative with its figures inserted, for the JSON output: section name -> language code -> Markdown (the
/// text as written, helpers replaced). Fails with every located diagnostic.
pub(crate) fn resolved(
    review: &Review,
) -> Result<BTreeMap<&'static str, BTreeMap<&'static str, String>>, Vec<Diagnostic>> {
    let mut out: BTreeMap<&'static str, BTreeMap<&'static str, String>> = BTreeMap::new();
    let mut errors = Vec::new();
    for ((section, lang), text) in &review.narrative.texts {
        match narrative_helpers::expand(text, *lang, review) {
            Ok(markdown) => {
                out.entry(section.name()).or_default().insert(lang_folder(*lang), markdown);
            }
            Err(found) => errors.extend(found),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Whether a link address is safe to keep in a signed document: `http:`, `https:`, `mailto:`, or an address
/// without a scheme (relative, or a `#fragment`). Letters are compared without case and with the whitespace and
/// control characters removed that browsers ignore inside a scheme (`java\tscript:`).
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            let scheme = &lower[..colon];
            // A colon after a `/`, `?` or `#` is part of a relative address, not a scheme.
            if scheme.contains(['/', '?', '#']) {
                return true;
            }
            matches!(scheme, "http" | "https" | "mailto")
        }
    }
}

/// A heading two levels below its level in the text, so that a narrative's `#` sits under the section's `<h2>`.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The CommonMark extension a narrative may use: strikethrough. Tables are not enabled (docs/narrative.md), and the
/// Markdown review escapes a text's `|` so that a pipe table stays text there too (it was a table in review.md and
/// text in review.html; round 64, found by a review helper).
const OPTIONS: Options = Options::ENABLE_STRIKETHROUGH;

/// Markdown to HTML: raw HTML as escaped text, unsafe links as their text, images as their description, headings
/// demoted (see the module documentation).
pub fn markdown_to_html(markdown: &str) -> String {
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, OPTIONS).filter_map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Heading { level, .. }) => {
            Some(Event::Start(Tag::Heading { level: demote(level), id: None, classes: Vec::new(), attrs: Vec::new() }))
        }
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let safe = is_safe_url(&dest_url);
            links.push(safe);
            safe.then_some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
        }
        Event::End(TagEnd::Link) => links.pop().unwrap_or(false).then_some(Event::End(TagEnd::Link)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// Markdown for the Markdown review: the text as written, except that raw HTML is escaped (`&lt;script&gt;`), an
/// unsafe link or an image is replaced by its escaped text, headings are demoted by two levels (at most to level 6,
/// a setext heading written as an ATX one), a `|` of the text escaped (tables are not enabled), and the text stays
/// self-contained inside the review it is pasted into: its link reference definitions are dropped and its reference
/// links written inline (a definition applies to the whole document, so `[1]: javascript:…` made every citation
/// `[1]` of the review a link; round 64, found by a review helper), and a code block left open is closed (it
/// swallowed every section after it).
pub fn markdown_to_markdown(markdown: &str) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let parser = Parser::new_ext(markdown, OPTIONS).into_offset_iter();
    for (_, definition) in parser.reference_definitions().iter() {
        edits.push((definition.span.clone(), String::new()));
    }
    let mut inside: Option<Replacing> = None;
    let mut depth = 0usize;
    for (event, range) in parser {
        if let Some(replacing) = inside.as_mut() {
            if matches!(event, Event::End(_)) && depth == 0 {
                if let Some(replacing) = inside.take() {
                    edits.push(replacing.edit(markdown));
                }
                continue;
            }
            replacing.read(&event, range);
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            // A text written as it stands in the source: its `|` escaped, so that no pipe table forms.
            Event::Text(text) if text.contains('|') && markdown.get(range.clone()) == Some(&*text) => {
                edits.push((range, text.replace('|', "\\|")));
            }
            Event::Html(text) | Event::InlineHtml(text) => {
                let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
                edits.push((range.start..range.start + text.len().min(range.len()), escaped));
            }
            Event::Start(Tag::Link { dest_url, .. }) if !is_safe_url(&dest_url) => {
                inside = Some(Replacing::new(range, Replace::Text))
            }
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) if is_reference(link_type) => {
                // `[text][]`: the empty label is part of the link.
                let mut range = range;
                if link_type == pulldown_cmark::LinkType::Collapsed && markdown[range.end..].starts_with("[]") {
                    range.end += 2;
                }
                inside = Some(Replacing::new(range, Replace::Inline(dest_url.to_string(), title.to_string())))
            }
            Event::Start(Tag::Image { .. }) => inside = Some(Replacing::new(range, Replace::Text)),
            Event::Start(Tag::Heading { level, .. }) => edits.extend(demoted_heading(markdown, range, level)),
            Event::End(TagEnd::CodeBlock) => edits.extend(closing_fence(markdown, range)),
            _ => {}
        }
    }
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(markdown.len());
    let mut position = 0;
    for (range, replacement) in edits {
        if range.start < position {
            continue;
        }
        out.push_str(&markdown[position..range.start]);
        out.push_str(&replacement);
        position = range.end;
    }
    out.push_str(&markdown[position..]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A link or an image being written anew as a whole: its range, what it becomes, its plain text so far, and the
/// source range of its text with whether that holds raw HTML.
struct Replacing {
    range: Range<usize>,
    replace: Replace,
    text: String,
    inner: Option<Range<usize>>,
    html: bool,
}

impl Replacing {
    fn new(range: Range<usize>, replace: Replace) -> Self {
        Replacing { range, replace, text: String::new(), inner: None, html: false }
    }

    /// Takes in an event of the link's text.
    fn read(&mut self, event: &Event<'_>, range: Range<usize>) {
        match event {
            Event::Text(t) | Event::Code(t) => self.text.push_str(t),
            Event::Html(_) | Event::InlineHtml(_) => self.html = true,
            _ => {}
        }
        self.inner = Some(match self.inner.take() {
            Some(inner) => inner.start.min(range.start)..inner.end.max(range.end),
            None => range,
        });
    }

    /// The edit that writes it: a reference link keeps its text's own Markdown (code, emphasis) unless that holds
    /// raw HTML; anything else becomes its escaped plain text.
    fn edit(self, markdown: &str) -> (Range<usize>, String) {
        let source = self.inner.as_ref().and_then(|inner| markdown.get(inner.clone()));
        let text = match (&self.replace, source) {
            (Replace::Inline(..), Some(source)) if !self.html && !source.contains('\n') => source.to_owned(),
            _ => escape_markdown(&self.text),
        };
        (self.range, self.replace.write(&text))
    }
}

/// What a link or an image written anew becomes: its escaped text alone (an unsafe link, an image), or an inline link
/// to the address its reference gave.
enum Replace {
    Text,
    Inline(String, String),
}

impl Replace {
    fn write(&self, text: &str) -> String {
        match self {
            Replace::Text => text.to_owned(),
            Replace::Inline(url, title) => {
                let url = url.replace('<', "%3C").replace('>', "%3E");
                if title.is_empty() {
                    format!("[{text}](<{url}>)")
                } else {
                    format!("[{text}](<{url}> \"{}\")", title.replace('\\', "\\\\").replace('"', "\\\""))
                }
            }
        }
    }
}

/// Whether a link was written by reference (`[text][id]`, `[id][]`, `[id]`), its address in a definition.
fn is_reference(link_type: pulldown_cmark::LinkType) -> bool {
    use pulldown_cmark::LinkType;
    matches!(link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut)
}

/// The edits that move the heading at `range` two levels down, at most to level 6: `#` added to an ATX heading; a
/// setext heading (`Title` over `===`) written as an ATX one, its lines joined and its underline dropped (the text
/// itself is left to the other edits, which escape any HTML in it).
fn demoted_heading(markdown: &str, range: Range<usize>, level: HeadingLevel) -> Vec<(Range<usize>, String)> {
    let source = &markdown[range.clone()];
    let offset = source.len() - source.trim_start().len();
    let at = range.start + offset;
    let hashes = "#".repeat(demote(level) as usize);
    if source[offset..].starts_with('#') {
        let own = source[offset..].chars().take_while(|&c| c == '#').count();
        return vec![(at..at + own, hashes)];
    }
    // Setext: the text's lines, then the underline.
    let body = source.trim_end();
    let Some(underline) = body.rfind('\n') else { return Vec::new() };
    let mut edits =
        vec![(at..at, format!("{hashes} ")), (range.start + underline..range.start + body.len(), String::new())];
    for (position, _) in body[..underline].match_indices('\n') {
        edits.push((range.start + position..range.start + position + 1, " ".to_owned()));
    }
    edits
}

/// The fence that closes the fenced code block at `range` where the text ended inside it, if it did.
fn closing_fence(markdown: &str, range: Range<usize>) -> Option<(Range<usize>, String)> {
    let block = &markdown[range.clone()];
    let opening = block.trim_start();
    let fence_char = opening.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let fence: String = opening.chars().take_while(|&c| c == fence_char).collect();
    if fence.len() < 3 {
        return None;
    }
    let last = block.trim_end().lines().last().unwrap_or("").trim();
    let closed =
        block.trim_end().lines().count() > 1 && last.len() >= fence.len() && last.chars().all(|c| c == fence_char);
    let newline = if block.ends_with('\n') { "" } else { "\n" };
    (!closed).then(|| (range.end..range.end, format!("{newline}{fence}\n")))
}

#[cfg(test)]
#[path = "narrative_tests.rs"]
mod tests;
