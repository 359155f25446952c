//! Diagnostics are data: a stable code, a severity, a message, where it happened and how to fix it.
//!
//! Rendering (with the source line and a caret) belongs to the crates that own the source text.

use serde::Serialize;

/// How serious a diagnostic is. `Error` makes `tiendo check` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A place in an input file: the file's name as the user gave it, a byte range, and the 1-based line and
/// column (in characters) of the range's start.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub file: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

/// One finding about the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code such as `E012`; never reused for another meaning.
    pub code: &'static str,
    /// Stable kebab-case name such as `unknown-source`.
    pub name: &'static str,
    pub severity: Severity,
    /// Lowercase, no trailing full stop.
    pub message: String,
    pub span: Option<Span>,
    /// How to fix it, e.g. "did you mean `qd-193-2021`?".
    pub hints: Vec<String>,
    /// Other places that explain the finding, e.g. where a duplicated id was first defined.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedSpan>,
    /// The indicator the finding is about, where it is about one (W330, W333): `eval --plan` shows only those of
    /// the plan's indicators (round 68, found by a newcomer: a provincial plan's evaluation opened with warnings
    /// about indicators it does not have, whose hint asked to delete its victims' figures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
}

/// A secondary place shown with a diagnostic, with a short label such as "first defined here".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedSpan {
    pub span: Span,
    pub label: String,
}

impl Diagnostic {
    pub fn new(code: &'static str, name: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        let (span, hints, related, indicator) = (None, Vec::new(), Vec::new(), None);
        Diagnostic { code, name, severity, message: message.into(), span, hints, related, indicator }
    }

    pub fn error(code: &'static str, name: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, name, Severity::Error, message)
    }

    pub fn warning(code: &'static str, name: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, name, Severity::Warning, message)
    }

    pub fn with_span(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Adds a secondary place, e.g. where a duplicated id was first defined.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(RelatedSpan { span, label: label.into() });
        self
    }

    /// The diagnostic, marked as about `indicator` ([`Diagnostic::indicator`]).
    pub fn about_indicator(mut self, indicator: impl Into<String>) -> Self {
        self.indicator = Some(indicator.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, position, then code, so that output is deterministic.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| d.span.as_ref().map(|s| (s.file.clone(), s.start, s.end)).unwrap_or_default();
        key(a).cmp(&key(b)).then(a.code.cmp(b.code)).then(a.message.cmp(&b.message))
    });
}

/// How many warnings (or infos) of one code people are shown one by one before [`condense_repeats`] folds them.
pub const SHOWN_PER_CODE: usize = 10;

/// How many of the folded diagnostics a condensed one names as examples (the first included).
pub const CONDENSED_EXAMPLES: usize = 3;

/// Folds floods of one kind for people to read: when more than `limit` warnings or infos share a code, they become
/// one diagnostic in the place of the first, with the count in its message, the first's message and hints, the next
/// examples' messages (each different from the others) as a hint and their places as related spans
/// ([`CONDENSED_EXAMPLES`] in all). Errors are never
/// folded (each has to be fixed where it is), nor are codes with `limit` or fewer diagnostics; the order is kept.
/// Machine output (JSON) keeps every diagnostic: this is for terminals, where 23,810 lines of one warning hide
/// everything else (issue 15).
pub fn condense_repeats(diagnostics: Vec<Diagnostic>, limit: usize) -> Vec<Diagnostic> {
    let mut counts: std::collections::HashMap<&'static str, usize> = std::collections::HashMap::new();
    for diagnostic in diagnostics.iter().filter(|d| !d.is_error()) {
        *counts.entry(diagnostic.code).or_default() += 1;
    }
    let folded = |d: &Diagnostic| !d.is_error() && counts.get(d.code).is_some_and(|&n| n > limit);
    let mut examples: std::collections::HashMap<&'static str, Vec<usize>> = std::collections::HashMap::new();
    for (index, diagnostic) in diagnostics.iter().enumerate().filter(|(_, d)| folded(d)) {
        let list = examples.entry(diagnostic.code).or_default();
        // Examples that say something new: the same message at another row adds nothing to read.
        if list.len() < CONDENSED_EXAMPLES && list.iter().all(|&i| diagnostics[i].message != diagnostic.message) {
            list.push(index);
        }
    }
    let mut out = Vec::with_capacity(diagnostics.len());
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        if !folded(diagnostic) {
            out.push(diagnostic.clone());
            continue;
        }
        let chosen = &examples[diagnostic.code];
        if chosen[0] != index {
            continue;
        }
        let count = counts[diagnostic.code];
        let mut condensed = diagnostic.clone();
        condensed.message =
            format!("{count} {}s of this kind, the first: {}", diagnostic.severity.as_str(), diagnostic.message);
        let others: Vec<&Diagnostic> = chosen[1..].iter().map(|&i| &diagnostics[i]).collect();
        if !others.is_empty() {
            let messages: Vec<&str> = others.iter().map(|d| d.message.as_str()).collect();
            condensed.hints.push(format!("{} more of them, for example: {}", count - 1, messages.join("; ")));
        }
        for other in others {
            if let Some(span) = &other.span {
                condensed.related.push(RelatedSpan { span: span.clone(), label: format!("another {}", other.code) });
            }
        }
        out.push(condensed);
    }
    out
}

/// The candidate closest to `wanted` by edit distance, if it is close enough to be a plausible typo: at most a third
/// of the longer key's characters (at least 1), compared on [`crate::text::fold`]'s key; the closest, then the first
/// in byte order, wins.
///
/// Cost: one pass over the candidates. Two lower bounds of the distance (the difference of the lengths, and the
/// number of distinct characters one key has and the other lacks, each of which needs an edit of its own) skip most
/// candidates of a large set before the edit distance is computed, and an ASCII candidate's key is its lowercase,
/// made in a reused buffer: a check that suggests among 24,000 commune ids calls this once per unknown reference.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // The edit distance costs the product of the lengths: a 10,000-character cell against every id would cost more
    // than the whole file. Ids are short; a long text is no typo of one.
    if wanted.len() > MAX_SUGGESTED_LENGTH {
        return None;
    }
    // Compared on the shared key (crate::text::fold): Unicode form, case, tones and Đ make no difference.
    let wanted_key = crate::text::fold(wanted);
    let (wanted_chars, wanted_set) = (wanted_key.chars().count(), char_classes(&wanted_key));
    let mut best: Option<(usize, &str)> = None;
    let mut candidate_key = String::new();
    for candidate in candidates {
        if candidate.len() > MAX_SUGGESTED_LENGTH {
            continue;
        }
        candidate_key.clear();
        if candidate.is_ascii() {
            // NFD leaves ASCII as it is and it has no marks: the key is the lowercase.
            candidate_key.extend(candidate.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            candidate_key.push_str(&crate::text::fold(candidate));
        }
        let candidate_chars = candidate_key.chars().count();
        let limit = (wanted_chars.max(candidate_chars) / 3).max(1);
        if wanted_chars.abs_diff(candidate_chars) > limit {
            continue;
        }
        let candidate_set = char_classes(&candidate_key);
        let missing = (wanted_set & !candidate_set).count_ones().max((candidate_set & !wanted_set).count_ones());
        if missing as usize > limit {
            continue;
        }
        let distance = strsim::levenshtein(&wanted_key, &candidate_key);
        if distance <= limit && best.is_none_or(|(d, c)| (distance, candidate) < (d, c)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The characters of `key` as a set of 64 classes (a character's class is its code point modulo 64). A class in one
/// key's set and not in the other's stands for characters the other lacks; an edit removes or adds one character,
/// so the edit distance is at least the number of such classes on either side.
fn char_classes(key: &str) -> u64 {
    key.chars().fold(0, |set, c| set | 1u64 << (u32::from(c) % 64))
}

/// The longest text "did you mean" compares, in bytes.
pub const MAX_SUGGESTED_LENGTH: usize = 64;

/// What a data warning says in place of the values it would quote where small counts are suppressed (values of a
/// sensitive element, such as victim counts, or of any element of a project that suppresses them, which may bound
/// one): a reader of a terminal or a CI log would otherwise learn a count the review suppresses. Evaluation quotes
/// them only under `--show-suppressed`.
pub const WITHHELD_VALUES: &str =
    "the values are withheld: they are, or bound, counts of a sensitive element (`--show-suppressed` shows them)";

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(code: &'static str, n: usize) -> Diagnostic {
        Diagnostic::warning(code, "name", format!("case {n}")).with_hint(format!("fix {n}"))
    }

    /// `did_you_mean` as it was before its bounds: every candidate folded and compared.
    fn reference_did_you_mean<'a>(wanted: &str, candidates: &[&'a str]) -> Option<&'a str> {
        if wanted.len() > MAX_SUGGESTED_LENGTH {
            return None;
        }
        let wanted_key = crate::text::fold(wanted);
        let mut best: Option<(usize, &str)> = None;
        for &candidate in candidates {
            if candidate.len() > MAX_SUGGESTED_LENGTH {
                continue;
            }
            let candidate_key = crate::text::fold(candidate);
            let distance = strsim::levenshtein(&wanted_key, &candidate_key);
            let limit = (wanted_key.chars().count().max(candidate_key.chars().count()) / 3).max(1);
            if distance <= limit && best.is_none_or(|(d, c)| (distance, candidate) < (d, c)) {
                best = Some((distance, candidate));
            }
        }
        best.map(|(_, candidate)| candidate)
    }

    #[test]
    fn the_bounds_never_change_the_suggestion() {
        // Short words over a small alphabet (so that many are close), with case, tones, Đ, NFD and characters
        // whose code points are 64 apart (the same class).
        let alphabet = ["a", "b", "c", "-", "0", "A", "à", "ạ", "Đ", "đ", "a\u{300}", "\u{41}", "\u{81}", "ê", "x"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        let word = |next: &mut dyn FnMut(usize) -> usize| -> String {
            (0..next(9)).map(|_| alphabet[next(alphabet.len())]).collect()
        };
        let mut found = 0;
        for _ in 0..3000 {
            let wanted = word(&mut next);
            let candidates: Vec<String> = (0..next(12)).map(|_| word(&mut next)).collect();
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            let expected = reference_did_you_mean(&wanted, &candidates);
            assert_eq!(did_you_mean(&wanted, candidates.iter().copied()), expected, "{wanted:?} among {candidates:?}");
            found += usize::from(expected.is_some());
        }
        // The cases include many where a suggestion is found, not only misses.
        assert!(found > 300, "{found}");
    }

    #[test]
    fn suggestions_among_many_ids() {
        // 24,000 commune ids, as in W2's catalogue: the near one is found, and a name far from all of them is not.
        let ids: Vec<String> = (0..24_000).map(|n| format!("cx{n:06}")).collect();
        assert_eq!(did_you_mean("cx00001", ids.iter().map(String::as_str)), Some("cx000001"));
        assert_eq!(did_you_mean("ha-noi", ids.iter().map(String::as_str)), None);
    }

    #[test]
    fn repeated_warnings_fold_into_one_with_a_count_and_examples() {
        let mut input: Vec<Diagnostic> = (0..25).map(|n| warning("W330", n)).collect();
        input.insert(3, warning("W001", 100));
        input.insert(5, Diagnostic::error("E301", "dup", "an error"));
        let out = condense_repeats(input, 10);
        let codes: Vec<&str> = out.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["W330", "W001", "E301"]);
        assert_eq!(out[0].message, "25 warnings of this kind, the first: case 0");
        assert_eq!(out[0].hints, ["fix 0", "24 more of them, for example: case 1; case 2"]);
        assert_eq!(out[1].message, "case 100");
        // Examples with the message of an earlier one are passed over.
        let repeated: Vec<Diagnostic> =
            [0, 0, 0, 1, 1, 2, 3].iter().cycle().take(14).map(|&n| warning("W205", n)).collect();
        let out = condense_repeats(repeated, 10);
        assert_eq!(out[0].hints, ["fix 0", "13 more of them, for example: case 1; case 2"]);
    }

    #[test]
    fn what_is_not_a_flood_is_kept_one_by_one() {
        // At the limit: nothing folded. Errors: never folded, however many.
        let cases: [(Vec<Diagnostic>, usize); 3] = [
            ((0..10).map(|n| warning("W330", n)).collect(), 10),
            ((0..50).map(|n| Diagnostic::error("E101", "bad-cell", format!("row {n}"))).collect(), 50),
            ((0..4).flat_map(|n| [warning("W1", n), warning("W2", n), warning("W3", n)]).collect(), 12),
        ];
        for (input, expected) in cases {
            let out = condense_repeats(input.clone(), 10);
            assert_eq!(out.len(), expected);
            assert_eq!(out, input);
        }
    }

    #[test]
    fn folded_examples_keep_their_places_as_related_spans() {
        let span = |line| Span { file: "d.csv".into(), start: line, end: line + 1, line, column: 1 };
        let input: Vec<Diagnostic> =
            (0..12).map(|n| Diagnostic::warning("W205", "w", format!("row {n}")).with_span(Some(span(n)))).collect();
        let out = condense_repeats(input, 3);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span, Some(span(0)));
        let related: Vec<usize> = out[0].related.iter().map(|r| r.span.line).collect();
        assert_eq!(related, [1, 2]);
    }

    #[test]
    fn suggests_close_names_only() {
        let candidates = ["qd-193-2021", "kh-1522-2024", "comparator", "period"];
        let cases = [
            ("qd-193-2012", Some("qd-193-2021")),
            ("comparater", Some("comparator")),
            ("perod", Some("period")),
            ("PERIOD", Some("period")),
            ("x", None),
            ("totally-different", None),
        ];
        for (wanted, expected) in cases {
            assert_eq!(did_you_mean(wanted, candidates), expected, "{wanted}");
        }
        // Vietnamese names in any Unicode form, case, with or without tones and Đ (tiendo_core::text::fold).
        let candidates = ["ha-noi", "da-nang-2025", "kien-giang", "quang-nam"];
        let cases = [
            ("Hà Nội", Some("ha-noi")),
            ("Ha\u{300} No\u{302}\u{323}i", Some("ha-noi")),
            ("HÀ NỘI", Some("ha-noi")),
            ("Đà Nẵng 2025", Some("da-nang-2025")),
            ("D\u{300}a\u{300} Na\u{306}\u{303}ng 2025", Some("da-nang-2025")),
            ("Kiên Giang", Some("kien-giang")),
            ("KIÊN GIANG", Some("kien-giang")),
            ("Quảng Nam", Some("quang-nam")),
        ];
        for (wanted, expected) in cases {
            assert_eq!(did_you_mean(wanted, candidates), expected, "{wanted}");
        }
    }
}
