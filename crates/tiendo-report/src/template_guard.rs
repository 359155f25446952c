//! Limits on user templates (`--templates DIR`), which handlebars-rust does not have (issue 11, part 6).
//!
//! * **Recursion.** handlebars-rust has no depth option: a partial that includes itself, directly
//!   (`{{#*inline "x"}}{{> x}}{{/inline}}`) or through others (`a -> b -> a`), recurses until memory runs out.
//!   Before rendering, [`partial_cycle`] builds the graph of partial inclusions from the parsed template and refuses
//!   any cycle, naming it. A partial whose name is computed (`{{> (lookup …)}}`) cannot be checked and is refused.
//!   The body of a partial block (`{{#> y}}BODY{{/y}}`) counts as included by `y` too, because `y` renders it with
//!   `{{> @partial-block}}`. Without cycles, the nesting depth is at most the number of partials.
//! * **Size.** Templates render into a [`LimitedWriter`] that stops at [`MAX_OUTPUT_BYTES`], so that loops over
//!   large data cannot fill memory.
//! * **Loops.** Nested `{{#each}}` blocks that write nothing escape the size limit and can run for days (ten levels
//!   over the 16 glossary entries are 16^10 passes). Every `{{#each}}` body of a user's template starts with a call
//!   of a helper that counts the passes of the whole rendering ([`count_passes`]) and stops it past
//!   [`MAX_LOOP_PASSES`].
//!
//! [`render_template`] applies them, and compiles each template once per process (in pieces: see
//! [`crate::template_pieces`]).

use std::collections::{BTreeMap, BTreeSet};

use handlebars::template::{Parameter, Template, TemplateElement};

/// The most bytes one rendered template may produce (the built-in HTML review of all 98 org units with inline
/// charts is about 3 MiB).
pub const MAX_OUTPUT_BYTES: usize = 64 * 1024 * 1024;

/// The most passes the `{{#each}}` blocks of one rendering of a user's template may make, all together: the built-in
/// review of the national example makes a few thousand, and an empty pass takes about 0.25 µs, so the cap is reached
/// in seconds.
pub const MAX_LOOP_PASSES: u64 = 20_000_000;

/// The helper that counts the passes ([`count_passes`]); it writes nothing.
const PASS_HELPER: &str = "tiendo_loop_pass";

/// The name the root template has in the inclusion graph and in messages.
const ROOT: &str = "";

/// A template refused before rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuardError {
    /// The partials of the cycle, in inclusion order, the first repeated at the end.
    Cycle(Vec<String>),
    /// A partial included by a computed name.
    ComputedName,
}

impl std::fmt::Display for GuardError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GuardError::Cycle(cycle) if cycle.len() == 2 => {
                write!(formatter, "partial `{}` includes itself, which would recurse without end", cycle[0])
            }
            GuardError::Cycle(cycle) => write!(
                formatter,
                "partials include each other in a cycle ({}), which would recurse without end",
                cycle.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(" -> ")
            ),
            GuardError::ComputedName => formatter.write_str(
                "a partial is included by a computed name, which cannot be checked for recursion; name it literally \
                 (`{{> name}}`)",
            ),
        }
    }
}

/// Refuses a template whose partials could recurse without end.
pub fn partial_cycle(template: &Template) -> Result<(), GuardError> {
    partial_cycle_with(template, &[])
}

/// Like [`partial_cycle`], with partials registered by name beside the template (the built-in `evidence`): their
/// bodies are part of the inclusion graph, so that a partial including itself or the root's other partials in a
/// cycle is refused too.
pub fn partial_cycle_with(template: &Template, partials: &[(&str, &Template)]) -> Result<(), GuardError> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    collect(template, ROOT, &mut graph)?;
    for (name, body) in partials {
        collect(body, name, &mut graph)?;
    }
    let mut done = BTreeSet::new();
    let mut path = Vec::new();
    visit(ROOT, &graph, &mut path, &mut done)
}

/// Adds the inclusions made by `template`, rendered as part of `node`, to `graph`.
fn collect(template: &Template, node: &str, graph: &mut BTreeMap<String, BTreeSet<String>>) -> Result<(), GuardError> {
    graph.entry(node.to_owned()).or_default();
    for element in &template.elements {
        match element {
            TemplateElement::DecoratorBlock(decorator) | TemplateElement::DecoratorExpression(decorator) => {
                let inline = decorator.name.as_name() == Some("inline");
                let defined = decorator.params.first().and_then(literal_name);
                match (inline, defined, &decorator.template) {
                    (true, Some(name), Some(body)) => collect(body, &name, graph)?,
                    (_, _, Some(body)) => collect(body, node, graph)?,
                    _ => {}
                }
            }
            TemplateElement::PartialExpression(partial) | TemplateElement::PartialBlock(partial) => {
                let name = match &partial.name {
                    Parameter::Name(name) => name.clone(),
                    Parameter::Path(handlebars::Path::Relative((_, raw)) | handlebars::Path::Local((_, _, raw))) => {
                        raw.clone()
                    }
                    Parameter::Literal(serde_json::Value::String(name)) => name.clone(),
                    _ => return Err(GuardError::ComputedName),
                };
                if name == "@partial-block" {
                    continue;
                }
                graph.entry(node.to_owned()).or_default().insert(name.clone());
                if let Some(body) = &partial.template {
                    // The block is rendered where it is written and, through `@partial-block`, inside the partial.
                    collect(body, node, graph)?;
                    collect(body, &name, graph)?;
                }
            }
            TemplateElement::HelperBlock(helper) => {
                for body in [&helper.template, &helper.inverse].into_iter().flatten() {
                    collect(body, node, graph)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn literal_name(parameter: &Parameter) -> Option<String> {
    match parameter {
        Parameter::Literal(serde_json::Value::String(name)) => Some(name.clone()),
        Parameter::Name(name) => Some(name.clone()),
        _ => None,
    }
}

/// Depth-first search for a cycle reachable from `node`.
fn visit(
    node: &str,
    graph: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Result<(), GuardError> {
    if let Some(start) = path.iter().position(|seen| seen == node) {
        let mut cycle: Vec<String> = path[start..].to_vec();
        cycle.push(node.to_owned());
        return Err(GuardError::Cycle(cycle));
    }
    if done.contains(node) {
        return Ok(());
    }
    path.push(node.to_owned());
    for next in graph.get(node).into_iter().flatten() {
        visit(next, graph, path, done)?;
    }
    path.pop();
    done.insert(node.to_owned());
    Ok(())
}

/// A writer that keeps at most `limit` bytes and fails the write that would pass it.
#[derive(Debug)]
pub struct LimitedWriter {
    pub bytes: Vec<u8>,
    limit: usize,
    /// Set when a write was refused for passing the limit.
    pub exceeded: bool,
}

impl LimitedWriter {
    pub fn new(limit: usize) -> LimitedWriter {
        LimitedWriter { bytes: Vec::new(), limit, exceeded: false }
    }
}

impl std::io::Write for LimitedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            self.exceeded = true;
            return Err(std::io::Error::other("the output-size limit was reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Templates compiled so far in this process, with their name and source: a review in two languages renders each
/// template once per language, and parsing is a few percent of a whole run, so each is parsed once per run.
static COMPILED: std::sync::Mutex<Vec<(String, String, handlebars::Template)>> = std::sync::Mutex::new(Vec::new());

/// At most this many compiled templates are kept (the built-in ones and a few overrides); the oldest goes first.
const COMPILED_KEPT: usize = 8;

/// `source` compiled and checked for partials that could recurse without end, from [`COMPILED`] when the same name
/// and source were compiled before (a failure is not kept: it is reported again, the same way, on the next call).
fn compiled(name: &str, source: &str) -> Result<handlebars::Template, crate::render::ReportError> {
    let mut cache = COMPILED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, _, template)) = cache.iter().find(|(n, s, _)| n == name && s == source) {
        return Ok(template.clone());
    }
    let invalid = |message: String| crate::render::ReportError::Template { name: name.to_owned(), message };
    let parsed = crate::template_pieces::compile(source, name).map_err(|e| match unclosed_block(source) {
        Some((block, line)) => invalid(format!("`{{{{#{block}}}}}` opened on line {line} is never closed: {e}")),
        None => invalid(e.to_string()),
    })?;
    partial_cycle(&parsed).map_err(|e| invalid(e.to_string()))?;
    if cache.len() >= COMPILED_KEPT {
        cache.remove(0);
    }
    cache.push((name.to_owned(), source.to_owned(), parsed.clone()));
    Ok(parsed)
}

/// The first block (`{{#if …}}`, `{{~#each …}}`) of `source` that no `{{/…}}` of its name closes, with its line:
/// handlebars reports such a template at its end, with the grammar's rule names (review of 6 December, helper 2,
/// F8). `None` when every block is closed.
fn unclosed_block(source: &str) -> Option<(String, usize)> {
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("{{") {
        let tag = rest[at + 2..].trim_start_matches('~');
        let line = 1 + source[..source.len() - rest.len() + at].matches('\n').count();
        let word = |text: &str| {
            text.split(|c: char| c.is_whitespace() || c == '}' || c == '~').next().unwrap_or("").to_owned()
        };
        if let Some(block) = tag.strip_prefix('#').filter(|t| !t.starts_with('>') && !t.starts_with('*')) {
            open.push((word(block), line));
        } else if let Some(block) = tag.strip_prefix('/') {
            let name = word(block);
            if let Some(position) = open.iter().rposition(|(n, _)| *n == name) {
                open.truncate(position);
            }
        }
        rest = &rest[at + 2..];
    }
    open.into_iter().next()
}

/// `template` with each top-level `{{> name}}` of a partial in `partials` (no context parameter, no hash, no block, not
/// indented) replaced by the partial's elements. The output is the same: such a partial renders in the context it
/// is included in, which at the top level is the root; but handlebars-rust gives an included partial a deep copy of
/// that context, and then copies every value the partial reads and every list it loops over, which for the
/// built-in `evidence` partials was about 4 % of a full review's CPU (docs/performance-log.md, "W1"). Inlined, the
/// partial reads the context in place. Only for the built-in partials, whose lines an error message never names.
fn inline_partials(mut template: Template, partials: &[(&str, &Template)]) -> Template {
    let elements = std::mem::take(&mut template.elements);
    let mapping = std::mem::take(&mut template.mapping);
    for (element, place) in elements.into_iter().zip(mapping) {
        let partial = match &element {
            TemplateElement::PartialExpression(include)
                if include.params.is_empty()
                    && include.hash.is_empty()
                    && include.template.is_none()
                    && include.indent.as_deref().is_none_or(str::is_empty) =>
            {
                let name = match &include.name {
                    Parameter::Name(name) => Some(name.as_str()),
                    Parameter::Path(handlebars::Path::Relative((_, raw))) => Some(raw.as_str()),
                    _ => None,
                };
                name.and_then(|name| partials.iter().find(|(n, _)| *n == name)).map(|(_, partial)| *partial)
            }
            _ => None,
        };
        match partial {
            Some(partial) => {
                template.elements.extend(partial.elements.iter().cloned());
                template.mapping.extend(partial.mapping.iter().cloned());
            }
            None => {
                template.elements.push(element);
                template.mapping.push(place);
            }
        }
    }
    template
}

/// `template` with a call of [`PASS_HELPER`] at the start of every `{{#each}}` body, in blocks, partial blocks and
/// inline partials alike.
fn count_passes(template: &mut Template, pass: &(TemplateElement, handlebars::template::TemplateMapping)) {
    for element in &mut template.elements {
        match element {
            TemplateElement::HelperBlock(helper) => {
                let each = helper.name.as_name() == Some("each");
                if let Some(body) = &mut helper.template {
                    count_passes(body, pass);
                    if each {
                        body.elements.insert(0, pass.0.clone());
                        body.mapping.insert(0, pass.1.clone());
                    }
                }
                if let Some(inverse) = &mut helper.inverse {
                    count_passes(inverse, pass);
                }
            }
            TemplateElement::DecoratorBlock(block) | TemplateElement::PartialBlock(block) => {
                if let Some(body) = &mut block.template {
                    count_passes(body, pass);
                }
            }
            _ => {}
        }
    }
}

/// Renders one template with its named partials (the built-in `evidence`), refusing before rendering a template
/// whose partials could recurse without end, and stopping a rendering that passes [`MAX_OUTPUT_BYTES`] or, with
/// `loop_cap` (a user's templates, [`MAX_LOOP_PASSES`]), whose loops pass more often; each error names the template. With `inline` (the partials are the built-in ones), their
/// top-level inclusions are inlined (see [`inline_partials`]). The context is taken as handlebars' own
/// [`handlebars::Context`], which is rendered in place: `render_to_write` would first serialise the whole
/// `serde_json::Value` (inline SVGs included) into a deep copy of itself, about 3-5 % of a full review's CPU
/// (docs/performance-log.md, "W1").
pub(crate) fn render_template(
    registry: &mut handlebars::Handlebars<'_>,
    name: &str,
    source: &str,
    (partials, inline): (&[(&str, String)], bool),
    context: &handlebars::Context,
    loop_cap: Option<u64>,
) -> Result<String, crate::render::ReportError> {
    let invalid = |message: String| crate::render::ReportError::Template { name: name.to_owned(), message };
    let mut parsed = compiled(name, source)?;
    let mut named = Vec::new();
    for (partial, text) in partials {
        named.push((*partial, compiled(partial, text)?));
    }
    let borrowed: Vec<(&str, &handlebars::Template)> = named.iter().map(|(n, t)| (*n, t)).collect();
    partial_cycle_with(&parsed, &borrowed).map_err(|e| invalid(e.to_string()))?;
    if inline {
        parsed = inline_partials(parsed, &borrowed);
    }
    let passes = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    if let Some(cap) = loop_cap {
        let pass = compiled(PASS_HELPER, &format!("{{{{{PASS_HELPER}}}}}"))?;
        let pass = (pass.elements[0].clone(), pass.mapping[0].clone());
        count_passes(&mut parsed, &pass);
        for (_, partial) in &mut named {
            count_passes(partial, &pass);
        }
        let seen = std::sync::Arc::clone(&passes);
        registry.register_helper(
            PASS_HELPER,
            Box::new(
                move |_: &handlebars::Helper<'_>,
                      _: &handlebars::Handlebars<'_>,
                      _: &handlebars::Context,
                      _: &mut handlebars::RenderContext<'_, '_>,
                      _: &mut dyn handlebars::Output| {
                    if seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= cap {
                        return Err(handlebars::RenderErrorReason::Other("too many loop passes".to_owned()).into());
                    }
                    Ok(())
                },
            ),
        );
    }
    for (partial, compiled) in named {
        registry.register_template(partial, compiled);
    }
    registry.set_strict_mode(true);
    registry.register_template(name, parsed);
    let mut writer = LimitedWriter::new(MAX_OUTPUT_BYTES);
    let rendered = registry.render_with_context_to_write(name, context, &mut writer);
    if writer.exceeded {
        return Err(crate::render::ReportError::TemplateTooLarge { name: name.to_owned(), limit: MAX_OUTPUT_BYTES });
    }
    if let Some(cap) = loop_cap.filter(|&cap| passes.load(std::sync::atomic::Ordering::Relaxed) > cap) {
        return Err(crate::render::ReportError::TemplateRender {
            name: name.to_owned(),
            message: format!(
                "its `{{{{#each}}}}` loops made more than {cap} passes (nested loops multiply: ten levels \
                 over 16 items are 16^10); it stopped there. Nest fewer loops, or loop over shorter lists"
            ),
        });
    }
    rendered
        .map_err(|e| crate::render::ReportError::TemplateRender { name: name.to_owned(), message: e.to_string() })?;
    String::from_utf8(writer.bytes)
        .map_err(|e| crate::render::ReportError::TemplateRender { name: name.to_owned(), message: e.to_string() })
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unclosed_block_is_named_with_its_line() {
        assert_eq!(super::unclosed_block("a\n{{#if x}}\nb\n"), Some(("if".to_owned(), 2)));
        assert_eq!(super::unclosed_block("{{#each l}}{{#if x}}{{/if}}{{/each}}"), None);
        assert_eq!(super::unclosed_block("{{~#each l~}}\n{{#if x}}{{/if}}"), Some(("each".to_owned(), 1)));
        assert_eq!(super::unclosed_block("{{> partial}}{{x}}"), None);
    }

    use super::*;

    fn check(source: &str) -> Result<(), GuardError> {
        partial_cycle(&Template::compile(source).expect("the template parses"))
    }

    #[test]
    fn templates_without_cycles_pass() {
        let cases = [
            "plain {{value}}",
            "{{#*inline \"row\"}}<td>{{this}}</td>{{/inline}}{{#each items}}{{> row}}{{/each}}",
            "{{#*inline \"a\"}}{{> b}}{{/inline}}{{#*inline \"b\"}}b{{/inline}}{{> a}}{{> b}}",
            "{{#*inline \"frame\"}}[{{> @partial-block}}]{{/inline}}{{#> frame}}inside{{/frame}}",
            "{{> missing}}",
        ];
        for source in cases {
            assert_eq!(check(source), Ok(()), "{source}");
        }
    }

    #[test]
    fn every_cycle_is_refused_and_named() {
        let cases: [(&str, &[&str]); 6] = [
            ("{{#*inline \"x\"}}a{{> x}}{{/inline}}{{> x}}", &["x", "x"]),
            ("{{#*inline \"a\"}}{{> b}}{{/inline}}{{#*inline \"b\"}}{{> a}}{{/inline}}{{> a}}", &["a", "b", "a"]),
            (
                "{{#*inline \"a\"}}{{> b}}{{/inline}}{{#*inline \"b\"}}{{> c}}{{/inline}}{{#*inline \"c\"}}{{#if x}}{{> \
                 a}}{{/if}}{{/inline}}{{> a}}",
                &["a", "b", "c", "a"],
            ),
            ("{{#*inline \"y\"}}{{> @partial-block}}{{/inline}}{{#> y}}{{> y}}{{/y}}", &["y", "y"]),
            ("{{#*inline \"x\"}}{{#each list}}{{> x}}{{/each}}{{/inline}}{{#each l}}{{> x}}{{/each}}", &["x", "x"]),
            ("{{#*inline \"x\"}}{{#unless a}}{{else}}{{> x}}{{/unless}}{{/inline}}{{> x}}", &["x", "x"]),
        ];
        for (source, expected) in cases {
            let expected: Vec<String> = expected.iter().map(|name| (*name).to_owned()).collect();
            assert_eq!(check(source), Err(GuardError::Cycle(expected)), "{source}");
        }
        assert_eq!(
            check("{{#*inline \"x\"}}x{{/inline}}{{> x}}{{#*inline \"x\"}}{{> x}}{{/inline}}").unwrap_err().to_string(),
            "partial `x` includes itself, which would recurse without end"
        );
    }

    #[test]
    fn computed_partial_names_are_refused() {
        assert_eq!(check("{{> (lookup this \"name\")}}"), Err(GuardError::ComputedName));
    }

    /// Inlining the built-in partials changes nothing in the output: both review templates, both sample reviews,
    /// both languages, rendered with the partials included and inlined.
    #[test]
    fn inlined_partials_render_as_included_ones() {
        use crate::render::BUILTIN_TEMPLATES;
        use crate::render_context::{ChartPlacement, context};
        let source = |name: &str| BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == name).unwrap().1.to_owned();
        let mut evidence_shown = false;
        for review in [crate::sample::mid_term_review(), crate::model::Review::sample()] {
            for lang in [tiendo_core::Lang::Vi, tiendo_core::Lang::En] {
                let charts = crate::render_charts::Charts::draw(&review, lang, &mut |_| {}).unwrap();
                for (format, placement, html) in
                    [("html", ChartPlacement::Inline, true), ("md", ChartPlacement::Files, false)]
                {
                    let mut data = context(&review, lang, &charts, placement, "");
                    crate::narrative::add_to_context(&mut data, &review, lang, html).unwrap();
                    let data = handlebars::Context::from(data);
                    let partials = [
                        ("evidence", source(&format!("evidence.{format}"))),
                        ("evidence_annex", source(&format!("evidence_annex.{format}"))),
                    ];
                    let name = format!("review.{format}");
                    let render = |inline: bool| {
                        let mut registry = crate::render::registry(html);
                        render_template(&mut registry, &name, &source(&name), (&partials, inline), &data, None).unwrap()
                    };
                    let (included, inlined) = (render(false), render(true));
                    let evidence_heading = match lang {
                        tiendo_core::Lang::Vi => "Kết quả theo lĩnh vực công tác",
                        tiendo_core::Lang::En => "Results by work area",
                    };
                    evidence_shown |= included.contains(evidence_heading);
                    assert_eq!(included, inlined, "{name} {lang:?}");
                }
            }
        }
        assert!(evidence_shown, "the cases render the evidence partials");
    }

    #[test]
    fn only_plain_top_level_inclusions_are_inlined() {
        let partial = Template::compile("[{{x}}]").unwrap();
        let cases = [
            ("a{{> p}}b", "a[1]b", 5),
            ("{{#if x}}{{> p}}{{/if}}", "[1]", 1),
            ("{{> p y}}", "[2]", 1),
            ("{{> p x=3}}", "[3]", 1),
            ("{{> other}}", "", 1),
        ];
        for (source, rendered, elements) in cases {
            let inlined = inline_partials(Template::compile(source).unwrap(), &[("p", &partial)]);
            assert_eq!(inlined.elements.len(), elements, "{source}");
            assert_eq!(inlined.mapping.len(), elements, "{source}");
            let mut registry = handlebars::Handlebars::new();
            registry.register_template("p", partial.clone());
            registry.register_template("other", Template::compile("").unwrap());
            registry.register_template("t", inlined);
            let data = serde_json::json!({ "x": 1, "y": { "x": 2 } });
            assert_eq!(registry.render("t", &data).unwrap(), rendered, "{source}");
        }
    }

    /// Renders `source` (no partials) over `data` with a loop cap.
    fn with_cap(source: &str, data: serde_json::Value, cap: u64) -> Result<String, crate::render::ReportError> {
        let mut registry = crate::render::registry(false);
        let data = handlebars::Context::from(data);
        let name = format!("loops-{cap}-{}", source.len());
        render_template(&mut registry, &name, source, (&[], false), &data, Some(cap))
    }

    /// Every pass of every `{{#each}}` counts (3 + 3 x 4 here), whatever it writes, in blocks, inverses and inline
    /// partials; within the cap the output is the template's own, past it the rendering stops with the error named.
    #[test]
    fn loop_passes_are_counted_and_capped() {
        let data = serde_json::json!({ "a": [1, 2, 3], "b": ["w", "x", "y", "z"], "none": [] });
        let nested = "{{#each a}}{{#each @root.b}}{{this}}{{/each}}{{/each}}";
        assert_eq!(with_cap(nested, data.clone(), 15).unwrap(), "wxyzwxyzwxyz");
        let error = with_cap(nested, data.clone(), 14).unwrap_err().to_string();
        assert!(error.contains("more than 14 passes"), "{error}");
        // Silent loops count too (they escape the size limit), and so do loops in inline partials and inverses.
        let silent = "{{#*inline \"p\"}}{{#each @root.b}}{{/each}}{{/inline}}{{#each a}}{{> p}}{{/each}}";
        assert_eq!(with_cap(silent, data.clone(), 15).unwrap(), "");
        assert!(with_cap(silent, data.clone(), 14).is_err());
        let inverse = "{{#each none}}x{{else}}{{#each a}}{{#each @root.b}}{{/each}}{{/each}}{{/each}}";
        assert!(with_cap(inverse, data.clone(), 15).is_ok());
        assert!(with_cap(inverse, data, 14).is_err());
    }

    #[test]
    fn the_writer_stops_at_its_limit() {
        use std::io::Write;
        let mut writer = LimitedWriter::new(4);
        assert!(writer.write_all(b"abcd").is_ok());
        assert!(writer.write_all(b"e").is_err());
        assert!(writer.exceeded);
        assert_eq!(writer.bytes, b"abcd");
    }
}
