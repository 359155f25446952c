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
}

/// A secondary place shown with a diagnostic, with a short label such as "first defined here".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedSpan {
    pub span: Span,
    pub label: String,
}

impl Diagnostic {
    pub fn new(code: &'static str, name: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic { code, name, severity, message: message.into(), span: None, hints: Vec::new(), related: Vec::new() }
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

/// The candidate closest to `wanted` by edit distance, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // The edit distance costs the product of the lengths: a 10,000-character cell against every id would cost more
    // than the whole file. Ids are short; a long text is no typo of one.
    if wanted.len() > MAX_SUGGESTED_LENGTH {
        return None;
    }
    // Compared on the shared key (crate::text::fold): Unicode form, case, tones and Đ make no difference.
    let key = crate::text::fold;
    let wanted_key = key(wanted);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate.len() > MAX_SUGGESTED_LENGTH {
            continue;
        }
        let candidate_key = key(candidate);
        let distance = strsim::levenshtein(&wanted_key, &candidate_key);
        let limit = (wanted_key.chars().count().max(candidate_key.chars().count()) / 3).max(1);
        if distance <= limit && best.is_none_or(|(d, c)| (distance, candidate) < (d, c)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The longest text "did you mean" compares, in bytes.
pub const MAX_SUGGESTED_LENGTH: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

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
