//! The diagnostics of a sensitive element's row quote none of its cells that hold a digit: a victim count typed one
//! cell off (under `sex`, `source`, `status`, a period, or beyond the header) was quoted by that cell's diagnostic,
//! "`3` is not an option of category `sex`", beside the value's own refusal that quotes nothing (round 69, found by
//! a verifier). The value cell's own refusals are withheld by `cells::value`.

/// What a diagnostic says instead of a cell it may not quote.
const NOT_QUOTED: &str = "a cell (not quoted: the row is of a sensitive element)";

/// `text` with every back-quoted span that holds a digit replaced by [`NOT_QUOTED`]; spans without one (a category
/// id, an option, a file name) stay.
pub(super) fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(length) = rest[open + 1..].find('`') else { break };
        let span = &rest[open + 1..open + 1 + length];
        out.push_str(&rest[..open]);
        if span.chars().any(|c| c.is_numeric()) {
            out.push_str(NOT_QUOTED);
        } else {
            out.push_str(&rest[open..open + length + 2]);
        }
        rest = &rest[open + length + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_with_a_digit_are_not_quoted_and_the_others_are() {
        let cases = [
            ("`3` is not an option of category `sex`", format!("{NOT_QUOTED} is not an option of category `sex`")),
            ("unknown source `４`", format!("unknown source {NOT_QUOTED}")),
            ("unknown org unit `prov-a`", "unknown org unit `prov-a`".to_owned()),
            ("a stray ` quote", "a stray ` quote".to_owned()),
            ("`1`,`x`,`2`", format!("{NOT_QUOTED},`x`,{NOT_QUOTED}")),
        ];
        for (text, want) in cases {
            assert_eq!(scrub(text), want, "{text}");
        }
    }
}
