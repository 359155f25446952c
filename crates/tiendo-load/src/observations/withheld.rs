//! The diagnostics of a sensitive element's row quote none of its cells that hold a digit: a victim count typed one
//! cell off (under `sex`, `source`, `status`, a period, or beyond the header) was quoted by that cell's diagnostic,
//! "`3` is not an option of category `sex`", beside the value's own refusal that quotes nothing (round 69, found by
//! a verifier). The value cell's own refusals are withheld by `cells::value`.
//!
//! tiendo's own examples stay (`2023Q1`, `2021..2025`, `12.5`: [`EXAMPLES`]), whatever the row holds, so that the
//! hint still says how to fix it: every span with a digit was taken for a cell, and E312 on a victims row read
//! "expected a cell (not quoted ...), a cell (not quoted ...), ..." eight times over (round 71, found by an
//! adversarial tester). Which spans stay depends on the message only, never on the cells: a first fix that kept an
//! example unless the row held its digits showed "one thousand is `1000`" for every count but 1 000, which told it
//! (round 71, found by a verifier).

/// What a diagnostic says instead of a cell it may not quote.
const NOT_QUOTED: &str = "a cell (not quoted: the row is of a sensitive element)";

/// The examples tiendo's messages give of how to write a period or a number, shown on a sensitive row too. No whole
/// number but the example year and period range: a count typed in the wrong cell is never one of them by chance.
const EXAMPLES: [&str; 15] = [
    "2023",
    "2023S1",
    "2023S2",
    "2023Q1",
    "2023-03",
    "2021..2025",
    "2023-01-01..2023-06-30",
    "2024-03-17..2024-12-31",
    "2022Oct",
    "2022Dec15",
    "1.000",
    "1,000",
    "12.5",
    "12,5",
    "1e2",
];

/// `text` with every back-quoted span that holds a digit, but tiendo's own [`EXAMPLES`], replaced by
/// [`NOT_QUOTED`]; spans without one (a category id, an option, a file name) stay.
pub(super) fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(length) = rest[open + 1..].find('`') else { break };
        let span = &rest[open + 1..open + 1 + length];
        out.push_str(&rest[..open]);
        if span.chars().any(|c| c.is_numeric()) && !EXAMPLES.contains(&span) {
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

    /// tiendo's own examples stay whatever the row holds, and nothing else with a digit: which spans stay never
    /// depends on the cells (round 71).
    #[test]
    fn tiendo_s_examples_stay_and_no_other_span_with_a_digit() {
        let text = "`2022-Q1` is not a period id; expected `2023`, `2023Q1`, `2021..2025`; write `12.5`, not `12,5`";
        let want = format!(
            "{NOT_QUOTED} is not a period id; expected `2023`, `2023Q1`, `2021..2025`; write `12.5`, not `12,5`"
        );
        assert_eq!(scrub(text), want);
        for count in ["1000", "1 000", "2000", "3", "100", "0001"] {
            assert_eq!(
                scrub(&format!("`{count}` is not an option")),
                format!("{NOT_QUOTED} is not an option"),
                "{count}"
            );
        }
    }
}
