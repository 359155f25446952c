//! Compiling a long template in pieces, because handlebars-rust's parser asks pest for the line and column of every
//! token, and pest counts them from the start of the source each time: the cost grows with the square of the
//! template's length (about 5 % of a whole review run for the 18 KiB built-in HTML template, W1 in
//! docs/performance.md).
//!
//! [`compile`] cuts the source only at the start of a line that lies outside every block (`{{#…}}…{{/…}}`), compiles
//! each piece on its own, and joins the pieces' elements, with the line numbers of each piece moved to where it
//! stands in the whole source. A cut is made only where nothing on either side can reach across it: not before a
//! line that starts with whitespace or `{{~`, and never in a template with comments, raw blocks, escaped tags or
//! inverse sections (`{{!`, `{{{{`, `\{{`, `{{^`), which are compiled whole. When any piece fails to compile, the
//! whole source is compiled instead, so that errors name the same line and column as before. The result renders
//! the same as the template compiled whole; the tests compare the two element by element on the built-in templates
//! and on cases of each kind of tag.

use handlebars::template::{Template, TemplateElement};

/// Pieces are cut at the first possible line start after at least this many bytes: long enough that each parse
/// has some work, short enough that counting lines within a piece is cheap.
const PIECE_BYTES: usize = 512;

/// `source` compiled as handlebars would compile it whole, in pieces where it can be cut safely; an error names the
/// template `name`.
pub fn compile(source: &str, name: &str) -> Result<Template, handlebars::TemplateError> {
    // A template that does not compile is compiled again under its name, which its error then gives (not
    // "Unnamed"); one that compiles keeps no name, as before.
    let whole =
        |source: &str| Template::compile(source).or_else(|_| Template::compile_with_name(source, name.to_owned()));
    let cuts = cuts(source);
    if cuts.is_empty() {
        return whole(source);
    }
    let mut joined: Option<Template> = None;
    let mut start = 0;
    for end in cuts.iter().copied().chain([source.len()]) {
        let piece = &source[start..end];
        let Ok(mut compiled) = Template::compile(piece) else {
            return whole(source);
        };
        let lines_before = source[..start].bytes().filter(|&byte| byte == b'\n').count();
        shift_lines(&mut compiled, lines_before);
        match &mut joined {
            None => joined = Some(compiled),
            Some(whole) => {
                whole.elements.append(&mut compiled.elements);
                whole.mapping.append(&mut compiled.mapping);
            }
        }
        start = end;
    }
    joined.map_or_else(|| whole(source), Ok)
}

/// The byte offsets at which `source` may be cut: line starts outside every block, at least [`PIECE_BYTES`] apart.
/// Empty when the template has a tag this scan does not follow.
fn cuts(source: &str) -> Vec<usize> {
    if ["{{!", "{{{{", "\\{{", "{{^", "{{~^"].iter().any(|tag| source.contains(tag)) {
        return Vec::new();
    }
    let bytes = source.as_bytes();
    let mut cuts = Vec::new();
    let (mut depth, mut last_cut, mut at) = (0usize, 0usize, 0usize);
    while at < bytes.len() {
        if bytes[at..].starts_with(b"{{") {
            let close: &[u8] = if bytes[at..].starts_with(b"{{{") { b"}}}" } else { b"}}" };
            let mut kind = at + 2;
            if bytes.get(kind) == Some(&b'~') {
                kind += 1;
            }
            match bytes.get(kind) {
                Some(b'#') => depth += 1,
                Some(b'/') => match depth.checked_sub(1) {
                    Some(outer) => depth = outer,
                    None => return Vec::new(),
                },
                _ => {}
            }
            let Some(length) = bytes[at..].windows(close.len()).position(|window| window == close) else {
                return Vec::new();
            };
            at += length + close.len();
            continue;
        }
        if bytes[at] == b'\n' {
            let next = at + 1;
            let rest = &bytes[next..];
            let safe = depth == 0
                && next - last_cut >= PIECE_BYTES
                && rest.first().is_some_and(|byte| !byte.is_ascii_whitespace())
                && !rest.starts_with(b"{{~");
            if safe {
                cuts.push(next);
                last_cut = next;
            }
        }
        at += 1;
    }
    if depth != 0 { Vec::new() } else { cuts }
}

/// Adds `lines` to the line number of every element of `template` and of the templates nested in it.
fn shift_lines(template: &mut Template, lines: usize) {
    if lines == 0 {
        return;
    }
    for place in &mut template.mapping {
        place.0 += lines;
    }
    for element in &mut template.elements {
        match element {
            TemplateElement::HtmlExpression(helper)
            | TemplateElement::Expression(helper)
            | TemplateElement::HelperBlock(helper) => {
                for nested in [&mut helper.template, &mut helper.inverse].into_iter().flatten() {
                    shift_lines(nested, lines);
                }
            }
            TemplateElement::DecoratorExpression(decorator)
            | TemplateElement::DecoratorBlock(decorator)
            | TemplateElement::PartialExpression(decorator)
            | TemplateElement::PartialBlock(decorator) => {
                if let Some(nested) = &mut decorator.template {
                    shift_lines(nested, lines);
                }
            }
            // Raw strings and comments have no nested template; a kind added by a later handlebars would be caught
            // by the comparison with the whole compile in the tests.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use handlebars::template::TemplateMapping;

    use super::*;

    /// `template` with adjacent raw strings joined and empty ones left out (each with its mapping), the only ways in
    /// which a template compiled in pieces may differ from the same compiled whole; neither changes what renders.
    fn normalised(template: &Template) -> (Vec<TemplateElement>, Vec<TemplateMapping>) {
        let mut elements: Vec<TemplateElement> = Vec::new();
        let mut mapping: Vec<TemplateMapping> = Vec::new();
        for (element, place) in template.elements.iter().zip(&template.mapping) {
            match (element, elements.last_mut()) {
                (TemplateElement::RawString(text), _) if text.is_empty() => {}
                (TemplateElement::RawString(text), Some(TemplateElement::RawString(before))) => before.push_str(text),
                _ => {
                    elements.push(element.clone());
                    mapping.push(place.clone());
                }
            }
        }
        (elements, mapping)
    }

    fn assert_same(source: &str) {
        let whole = Template::compile(source).expect("the template compiles whole");
        let pieces = compile(source, "t").expect("the template compiles in pieces");
        assert_eq!(normalised(&pieces), normalised(&whole), "{source}");
    }

    /// A template made of `parts`, each padded to a piece's length so that every line start between them may be cut.
    fn padded(parts: &[&str]) -> String {
        let filler = format!("{}\n", "x".repeat(PIECE_BYTES));
        parts.iter().map(|part| format!("{filler}{part}")).collect::<String>() + &filler
    }

    #[test]
    fn the_built_in_templates_compile_in_pieces_to_the_same_template() {
        for (name, source) in crate::render::BUILTIN_TEMPLATES {
            if name == "style.css" {
                continue;
            }
            assert_same(source);
            // The two reviews are long and mostly outside blocks; the evidence templates are one `with` block each.
            if name.starts_with("review.") {
                assert!(cuts(source).len() >= 8, "{name} is long and should be cut");
            }
        }
    }

    #[test]
    fn every_kind_of_tag_beside_a_cut_compiles_the_same() {
        let cases: [&[&str]; 12] = [
            &["{{#if a}}\nyes\n{{else}}\nno\n{{/if}}\n"],
            &["  {{#if a}}\n  indented standalone\n  {{/if}}\n"],
            &["{{#each list}}{{this}}\n{{/each}}\n", "after {{x}}\n"],
            &["line ending in a trim {{x~}}\n", "next {{y}}\n"],
            &["{{~x}} trims before\n"],
            &["{{#*inline \"row\"}}\n<td>{{this}}</td>\n{{/inline}}\n", "{{> row}}\n"],
            &["{{#> frame}}\ninside\n{{/frame}}\n"],
            &["{{{raw}}} and {{&amp}}\n", "{{x}}\n"],
            &["{{#if a}}{{#each b}}\n{{c}}\n{{/each}}{{/if}}\n"],
            &["\t{{> partial}}\n", "{{#unless a}}\nb\n{{/unless}}\n"],
            &["{{#each list as |item index|}}\n{{item}} {{index}}\n{{/each}}\n"],
            &["{{#if a}}a{{else if b}}b\n{{else}}c{{/if}}\n"],
        ];
        for parts in cases {
            let source = padded(parts);
            assert!(!cuts(&source).is_empty(), "{source}");
            assert_same(&source);
        }
    }

    #[test]
    fn nested_lines_are_numbered_as_in_the_whole_source() {
        let source = padded(&["{{#if a}}\n{{#each b}}\n{{c}}\n{{/each}}\n{{/if}}\n"]);
        let pieces = compile(&source, "t").expect("compiles");
        let TemplateElement::HelperBlock(block) =
            &pieces.elements.iter().find(|e| matches!(e, TemplateElement::HelperBlock(_))).expect("the if block")
        else {
            unreachable!()
        };
        let inner = block.template.as_ref().expect("the if body");
        assert!(inner.mapping.iter().all(|place| place.0 >= 3), "{:?}", inner.mapping);
        assert_same(&source);
    }

    #[test]
    fn tags_the_scan_does_not_follow_leave_the_template_whole() {
        for tag in [
            "{{! a comment }}",
            "{{!-- a {{#if}} --}}",
            "{{{{raw}}}}{{#x}}{{{{/raw}}}}",
            "\\{{#if}}",
            "{{#if a}}b{{^}}c{{/if}}",
        ] {
            let source = padded(&[tag, "{{y}}\n"]);
            assert!(cuts(&source).is_empty(), "{tag}");
            assert_same(&source);
        }
    }

    #[test]
    fn no_cut_inside_a_block_or_before_whitespace() {
        let inside = padded(&["{{#if a}}\n", "{{b}}\n", "{{/if}}\n"]);
        let first_block = inside.find("{{#if").expect("the block");
        let end_block = inside.find("{{/if}}").expect("the block's end");
        assert!(cuts(&inside).iter().all(|&cut| cut <= first_block || cut > end_block), "{:?}", cuts(&inside));
        let indented = format!("{}\n  {{{{x}}}}\n", "x".repeat(PIECE_BYTES));
        assert!(cuts(&indented).is_empty());
        let trimmed = format!("{}\n{{{{~x}}}}\n", "x".repeat(PIECE_BYTES));
        assert!(cuts(&trimmed).is_empty());
    }

    #[test]
    fn errors_name_the_template_and_the_line_of_the_whole_source() {
        let named = |source: &str| Template::compile_with_name(source, "t.hbs".to_owned());
        let broken = padded(&["{{x}}\n", "{{#if a}}\nno end\n", "{{y}}\n"]);
        let whole = named(&broken).expect_err("an unclosed block");
        let pieces = compile(&broken, "t.hbs").expect_err("an unclosed block");
        assert_eq!(pieces.to_string(), whole.to_string());
        assert!(pieces.to_string().contains("\"t.hbs\""), "{pieces}");
        let bad_tag = padded(&["{{x}}\n", "{{#if}}\n{{/if}}\n", "{{ y z ( }}\n"]);
        assert_eq!(
            compile(&bad_tag, "t.hbs").expect_err("a bad tag").to_string(),
            named(&bad_tag).expect_err("a bad tag").to_string()
        );
    }
}
