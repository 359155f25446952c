//! Diagnostics within bounds: a file of ten million bad rows gives the first hundred diagnostics of each code and
//! one "… and 9,999,900 more like this", never ten million diagnostics held in memory or printed.
//!
//! Pieces of a file parsed on other threads each keep their own first diagnostics per code; appending them in order
//! keeps the first of the whole file, so the result is that of one pass.

use std::collections::BTreeMap;

use tiendo_core::diagnostic::did_you_mean;
use tiendo_core::model::{Catalogue, Formula};
use tiendo_core::{Diagnostic, Severity, Span};

/// A "did you mean" hint left for the end of the file ([`Findings::finish`]), so that it is looked for only for the
/// diagnostics the file keeps: each compares the name with every id of its kind, and a file of ten million rows that
/// each name another unknown commune among 24,000 would otherwise look for one in every piece (200,000 such rows took
/// 34 s of CPU).
#[derive(Debug, Clone)]
pub(crate) struct Suggestion {
    among: Among,
    name: String,
}

/// The ids a [`Suggestion`] is looked for among.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Among {
    /// Data elements and the indicators reported directly (E310).
    DataElements,
    /// Org units (E311).
    OrgUnits,
    /// Sources (E323): without a near one, the hint says where to declare it.
    Sources,
}

impl Suggestion {
    /// The hint, if any: "did you mean" the nearest id of the catalogue.
    fn hint(&self, catalogue: &Catalogue) -> Option<String> {
        let name = self.name.as_str();
        let near = match self.among {
            Among::DataElements => {
                let reported = catalogue.indicators.values().filter(|i| matches!(i.formula, Formula::Reported));
                did_you_mean(
                    name,
                    catalogue.data_elements.keys().map(String::as_str).chain(reported.map(|i| i.id.as_str())),
                )
            }
            Among::OrgUnits => did_you_mean(name, catalogue.org_units.keys().map(String::as_str)),
            Among::Sources => did_you_mean(name, catalogue.sources.keys().map(String::as_str)),
        };
        match (near, self.among) {
            (Some(id), _) => Some(format!("did you mean `{id}`?")),
            (None, Among::Sources) => Some("declare it as a [[source]] in the catalogue or in tiendo.toml".to_owned()),
            (None, _) => None,
        }
    }
}

/// What was left out of one code's diagnostics.
#[derive(Debug, Clone, Default)]
struct Omitted {
    count: usize,
    /// The first diagnostic left out, where the summary points.
    first: Option<(Span, Severity, &'static str)>,
}

/// The diagnostics of one file (or piece), with at most `per_code` of each code kept.
#[derive(Debug, Clone)]
pub(crate) struct Findings {
    pub diagnostics: Vec<Diagnostic>,
    per_code: usize,
    kept: BTreeMap<&'static str, usize>,
    omitted: BTreeMap<&'static str, Omitted>,
    /// The hints to look for at the end, by the index of their diagnostic.
    suggestions: Vec<(usize, Suggestion)>,
}

impl Findings {
    pub fn new(per_code: usize) -> Self {
        Findings {
            diagnostics: Vec::new(),
            per_code,
            kept: BTreeMap::new(),
            omitted: BTreeMap::new(),
            suggestions: Vec::new(),
        }
    }

    /// Keeps `diagnostic` if its code has room: `Some(index)` to add hints to, or `None` when it was only counted.
    pub fn push(&mut self, diagnostic: Diagnostic) -> Option<usize> {
        let kept = self.kept.entry(diagnostic.code).or_default();
        if *kept < self.per_code {
            *kept += 1;
            self.diagnostics.push(diagnostic);
            return Some(self.diagnostics.len() - 1);
        }
        let omitted = self.omitted.entry(diagnostic.code).or_default();
        omitted.count += 1;
        if omitted.first.is_none()
            && let Some(span) = diagnostic.span
        {
            omitted.first = Some((span, diagnostic.severity, diagnostic.name));
        }
        None
    }

    /// Adds a hint to the diagnostic at `index`, if it was kept.
    pub fn hint(&mut self, index: Option<usize>, hint: String) {
        if let Some(diagnostic) = index.and_then(|index| self.diagnostics.get_mut(index)) {
            diagnostic.hints.push(hint);
        }
    }

    /// Leaves a "did you mean" for the diagnostic at `index`, if it was kept, to be looked for at the end.
    pub fn suggest(&mut self, index: Option<usize>, among: Among, name: &str) {
        if let Some(index) = index {
            self.suggestions.push((index, Suggestion { among, name: name.to_owned() }));
        }
    }

    /// Appends the findings of the next piece of the same file, in row order.
    pub fn append(&mut self, other: Findings) {
        let moved: Vec<Option<usize>> = other.diagnostics.into_iter().map(|diagnostic| self.push(diagnostic)).collect();
        for (index, suggestion) in other.suggestions {
            if let Some(&Some(moved)) = moved.get(index) {
                self.suggestions.push((moved, suggestion));
            }
        }
        for (code, omitted) in other.omitted {
            let mine = self.omitted.entry(code).or_default();
            mine.count += omitted.count;
            if mine.first.is_none() {
                mine.first = omitted.first;
            }
        }
    }

    /// The diagnostics kept, with the hints left for the end looked for in `catalogue`, then one summary per code that
    /// had more, at the first one left out.
    pub fn finish(mut self, file: &str, catalogue: &Catalogue) -> Vec<Diagnostic> {
        for (index, suggestion) in std::mem::take(&mut self.suggestions) {
            if let (Some(hint), Some(diagnostic)) = (suggestion.hint(catalogue), self.diagnostics.get_mut(index)) {
                diagnostic.hints.push(hint);
            }
        }
        for (code, omitted) in std::mem::take(&mut self.omitted) {
            let Some((span, severity, name)) = omitted.first else { continue };
            let message = format!(
                "… and {} more like this in `{file}` ({code} {name}), from here on; the first {} are shown",
                thousands(omitted.count),
                self.per_code
            );
            self.diagnostics.push(
                Diagnostic::new(code, name, severity, message)
                    .with_span(Some(span))
                    .with_hint("fix the ones shown and check again: they usually share one cause".to_owned()),
            );
        }
        self.diagnostics
    }
}

/// `99,990`: a count as the summary shows it.
fn thousands(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(line: usize, code: &'static str) -> Diagnostic {
        Diagnostic::error(code, "x", format!("row {line}")).with_span(Some(super::super::span("f.csv", line, 1)))
    }

    #[test]
    fn keeps_the_first_of_each_code_and_counts_the_rest_as_one_pass_would() {
        let rows: Vec<Diagnostic> =
            (1..=50).map(|line| error(line, if line % 3 == 0 { "E313" } else { "E310" })).collect();
        let mut whole = Findings::new(5);
        for diagnostic in rows.clone() {
            whole.push(diagnostic);
        }
        let whole = whole.finish("f.csv", &Catalogue::default());
        for cut in [1, 7, 20, 49] {
            let (mut first, mut second) = (Findings::new(5), Findings::new(5));
            for diagnostic in rows[..cut].iter().cloned() {
                first.push(diagnostic);
            }
            for diagnostic in rows[cut..].iter().cloned() {
                second.push(diagnostic);
            }
            first.append(second);
            assert_eq!(first.finish("f.csv", &Catalogue::default()), whole, "cut at {cut}");
        }
        assert_eq!(whole.len(), 12);
        assert_eq!(
            whole[10].message,
            "… and 29 more like this in `f.csv` (E310 x), from here on; the first 5 are shown"
        );
        assert_eq!(whole[10].span.as_ref().map(|s| s.line), Some(8));
        assert_eq!(thousands(99_990), "99,990");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(12), "12");
    }
}
