//! Text from the review inside CSS, for the printed page's running header and page numbers (issue 13, item 5).
//!
//! Chromium (131 and later) prints CSS page-margin boxes (`@page { @top-left { content: … } }`), also when a reader
//! prints from the browser, where puppeteer's header templates do not exist. Their `content` can only be CSS, so the
//! HTML template sets the review's title, its synthetic-data mark and the word for "page" as CSS custom properties
//! on `<html style="--running-title: …">`, and `style.css` reads them with `var()`. The helper here writes a text
//! as a CSS string (CSS Syntax Level 3, §4.3.5 "consume a string token" read backwards): quotes, backslashes and
//! control characters are escaped, so no text can end the string or the declaration. The handlebars HTML escape
//! then applies on top for the attribute, and the browser undoes it before the CSS parser sees the value.

use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason};

/// The name templates call the helper by: `{{css_string labels.page}}`.
pub const CSS_STRING_HELPER: &str = "css_string";

/// `text` as a double-quoted CSS string: `"` and `\` escaped with a backslash, every control character (and `<`
/// and `>`, so that the value is also inert in a `<style>` element) as a hexadecimal escape followed by a space.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || c == '<' || c == '>' => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The handlebars helper: one string parameter, written with [`css_string`] (then escaped by the registry's
/// escape function like any `{{value}}`). A missing or non-string parameter is a render error.
pub fn css_string_helper(
    helper: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let text = helper
        .param(0)
        .and_then(|p| p.value().as_str())
        .ok_or_else(|| RenderErrorReason::ParamTypeMismatchForName(CSS_STRING_HELPER, "0".into(), "string".into()))?;
    out.write(&handlebars::html_escape(&css_string(text)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_quoted() {
        assert_eq!(css_string("Báo cáo 2021 - 2025"), "\"Báo cáo 2021 - 2025\"");
        assert_eq!(css_string(""), "\"\"");
    }

    #[test]
    fn quotes_backslashes_and_controls_cannot_end_the_string() {
        assert_eq!(css_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(css_string("a\nb\u{7}"), "\"a\\a b\\7 \"");
        assert_eq!(css_string("</style>"), "\"\\3c /style\\3e \"");
    }

    #[test]
    fn the_helper_escapes_for_the_attribute_too() {
        let mut registry = Handlebars::new();
        registry.register_helper(CSS_STRING_HELPER, Box::new(css_string_helper));
        let out = registry
            .render_template(r#"<html style="--t: {{css_string t}}">"#, &serde_json::json!({ "t": "x \"y\" & z" }))
            .expect("renders");
        assert_eq!(out, r#"<html style="--t: &quot;x \&quot;y\&quot; &amp; z&quot;">"#);
        let missing = registry.render_template("{{css_string 3}}", &serde_json::json!({}));
        assert!(missing.is_err(), "a number is not a text");
    }
}
