//! The checks every table shares: an id's form and uniqueness, a reference to another table with "did you mean",
//! a validity range, and the data elements an expression reads.

use std::collections::{BTreeMap, BTreeSet};

use tiendo_core::expr::Expr;
use tiendo_core::{Diagnostic, Severity, Text};

use super::Kind;
use crate::codes::{self, Code};
use crate::files::SourceMap;
use crate::raw::*;
use crate::tree::suggest as did_you_mean;
use crate::tree::{Location, Spanned};

/// The longest id: ids name files of the review (charts, tables), and a file name has at most 255 bytes on the
/// common file systems; 100 leaves room for the prefixes and suffixes a name gets.
pub const MAX_ID_LENGTH: usize = 100;

/// Whether `text` is a well-formed id: lowercase ASCII letters, digits, `-`, `_` and `.`, starting with a
/// letter or digit.
pub fn is_valid_id(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// The data elements and categories by id, that the expressions of formulas and validation rules may name.
pub(super) type ExpressionScope<'a, 'r> =
    (&'a BTreeMap<String, &'r RawDataElement>, &'a BTreeMap<String, &'r RawCategory>);

pub(super) struct Validator<'a> {
    pub files: &'a SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub ids: BTreeMap<Kind, BTreeMap<String, Location>>,
    pub ids_in_broken_files: &'a BTreeMap<Kind, BTreeSet<String>>,
    /// How many unknown references of each kind were given a "did you mean" so far ([`SUGGESTIONS_PER_KIND`]).
    pub suggested: BTreeMap<Kind, usize>,
}

/// Unknown references of one kind that are given a "did you mean", in the order they are checked; later ones get the
/// hint to declare the id. Each suggestion compares with every declared id of the kind, so a catalogue whose 24,000
/// communes all name a parent declared in another folder would cost 24,000 x 24,000 comparisons (it ran for more
/// than ten minutes); the first ones show what is wrong, and `tiendo check` condenses the rest.
pub(super) const SUGGESTIONS_PER_KIND: usize = 100;

impl Validator<'_> {
    pub fn span(&self, location: &Location) -> tiendo_core::Span {
        self.files.span(location.file, location.range.clone())
    }

    pub fn diagnostic(&self, code: Code, severity: Severity, location: &Location, message: String) -> Diagnostic {
        Diagnostic::new(code.code, code.name, severity, message).with_span(Some(self.span(location)))
    }

    pub fn error(&mut self, code: Code, location: &Location, message: String, hint: Option<String>) {
        let mut diagnostic = self.diagnostic(code, Severity::Error, location, message);
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diagnostics.push(diagnostic);
    }

    pub fn warning(&mut self, code: Code, location: &Location, message: String, hint: String) {
        let diagnostic = self.diagnostic(code, Severity::Warning, location, message).with_hint(hint);
        self.diagnostics.push(diagnostic);
    }

    /// Registers the id of a declaration: checks its form and that it is unique for its kind.
    pub fn declare(&mut self, kind: Kind, id: &Spanned<String>) {
        if id.value.len() > MAX_ID_LENGTH {
            self.error(
                codes::INVALID_ID,
                &id.location,
                format!("{} id `{}…` is {} characters long, more than {MAX_ID_LENGTH}", kind.noun(), id.value.chars().take(40).collect::<String>(), id.value.chars().count()),
                Some("ids name the review's files: keep them short, such as `c1-cases-detected`; put the full name in `name`".to_owned()),
            );
        } else if !is_valid_id(&id.value) {
            let suggestion = suggested_id(&id.value);
            self.error(
                codes::INVALID_ID,
                &id.location,
                format!("`{}` is not a valid {} id", id.value, kind.noun()),
                Some(format!(
                    "ids use lowercase ASCII letters, digits, `-`, `_` and `.`, such as `{suggestion}`; put names with diacritics in `name`"
                )),
            );
        }
        let first = self.ids.entry(kind).or_default().get(&id.value).cloned();
        match first {
            Some(first) => {
                let diagnostic = self
                    .diagnostic(
                        codes::DUPLICATE_ID,
                        Severity::Error,
                        &id.location,
                        format!("{} id `{}` is defined twice", kind.noun(), id.value),
                    )
                    .with_related(self.span(&first), "first defined here")
                    .with_hint(format!(
                        "ids must be unique across all catalogue files; rename or remove one (first defined at {})",
                        format_position(&self.span(&first))
                    ));
                self.diagnostics.push(diagnostic);
            }
            None => {
                self.ids.entry(kind).or_default().insert(id.value.clone(), id.location.clone());
            }
        }
    }

    /// Whether `id` is the first declaration of its id among the tables of `kind` (a repeated id is reported by
    /// [`Validator::declare`] and its table is checked but not built).
    pub fn is_first(&self, kind: Kind, id: &Spanned<String>) -> bool {
        self.ids.get(&kind).and_then(|ids| ids.get(&id.value)).is_some_and(|location| location == &id.location)
    }

    pub fn exists(&self, kind: Kind, id: &str) -> bool {
        self.ids.get(&kind).is_some_and(|ids| ids.contains_key(id))
            || self.ids_in_broken_files.get(&kind).is_some_and(|ids| ids.contains(id))
    }

    /// Checks that `reference` names a declared `kind`; reports it with "did you mean" otherwise.
    pub fn reference(&mut self, kind: Kind, reference: &Spanned<String>) -> bool {
        if self.exists(kind, &reference.value) {
            return true;
        }
        let suggested = self.suggested.entry(kind).or_default();
        *suggested += 1;
        let known = self.ids.get(&kind).filter(|_| *suggested <= SUGGESTIONS_PER_KIND);
        let suggestion = known.and_then(|ids| did_you_mean(&reference.value, ids.keys().map(String::as_str)));
        let hint = match suggestion {
            Some(id) => format!("did you mean `{id}`?"),
            None => format!("declare it in a `[[{}]]` table with `id = \"{}\"`", kind.table(), reference.value),
        };
        self.error(
            kind.unknown_code(),
            &reference.location,
            format!("unknown {} `{}`", kind.noun(), reference.value),
            Some(hint),
        );
        false
    }

    pub fn references(&mut self, kind: Kind, references: &[Spanned<String>]) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for reference in references {
            if !seen.insert(reference.value.clone()) {
                self.warning(
                    codes::DUPLICATE_REFERENCE,
                    &reference.location,
                    format!("{} `{}` is listed twice", kind.noun(), reference.value),
                    "remove the second mention".to_owned(),
                );
                continue;
            }
            self.reference(kind, reference);
            out.push(reference.value.clone());
        }
        out
    }

    /// An issuer is an agency id when it looks like one; otherwise it is a free-text publisher.
    pub fn issuer(&mut self, issuer: &Option<Spanned<String>>) -> Option<String> {
        let issuer = issuer.as_ref()?;
        if is_valid_id(&issuer.value) {
            self.reference(Kind::Agency, issuer);
        }
        Some(issuer.value.clone())
    }

    pub fn validity(
        &mut self,
        what: &str,
        from: &Option<Spanned<crate::tree::Date>>,
        to: &Option<Spanned<crate::tree::Date>>,
    ) {
        if let (Some(from), Some(to)) = (from, to)
            && to.value < from.value
        {
            self.error(
                codes::INVALID_DATE_RANGE,
                &to.location,
                format!("{what} ends on {} before it starts on {}", to.value.0, from.value.0),
                Some("`valid_to` is the last day of validity and must not be before `valid_from`".to_owned()),
            );
        }
    }

    /// Checks the data elements an expression reads, with spans inside the expression when it can map them.
    pub fn expression(
        &mut self,
        raw: &Spanned<RawExpr>,
        elements: &BTreeMap<String, &RawDataElement>,
        categories: &BTreeMap<String, &RawCategory>,
    ) -> Expr {
        for element in raw.value.expr.elements() {
            let location = match raw.value.content_start {
                Some(start) => Location {
                    file: raw.location.file,
                    range: start + element.offset..start + element.offset + element.element.len(),
                },
                None => raw.location.clone(),
            };
            let reference = Spanned { value: element.element.clone(), location: location.clone() };
            if !self.reference(Kind::DataElement, &reference) {
                continue;
            }
            let Some(data_element) = elements.get(&element.element) else { continue };
            for (category, option) in &element.filter {
                let allowed: Vec<&str> = data_element.categories.iter().map(|c| c.value.as_str()).collect();
                if !allowed.contains(&category.as_str()) {
                    let hint = match did_you_mean(category, allowed.iter().copied()) {
                        Some(known) => format!("did you mean `{known}`?"),
                        None if allowed.is_empty() => format!("`{}` has no categories", element.element),
                        None => format!("`{}` is disaggregated by: {}", element.element, allowed.join(", ")),
                    };
                    self.error(
                        codes::UNKNOWN_CATEGORY,
                        &location,
                        format!("data element `{}` is not disaggregated by `{category}`", element.element),
                        Some(hint),
                    );
                    continue;
                }
                let Some(category_table) = categories.get(category) else { continue };
                let options: Vec<&str> = category_table.options.iter().map(|o| o.id.value.as_str()).collect();
                if !options.contains(&option.as_str()) {
                    let hint = match did_you_mean(option, options.iter().copied()) {
                        Some(known) => format!("did you mean `{known}`?"),
                        None => format!("`{category}` has the options: {}", options.join(", ")),
                    };
                    self.error(
                        codes::UNKNOWN_CATEGORY_OPTION,
                        &location,
                        format!("category `{category}` has no option `{option}`"),
                        Some(hint),
                    );
                }
            }
        }
        raw.value.expr.clone()
    }
}

/// The id suggested for a name: the shared normalisation of tiendo-core, so that NFC and NFD text, case and Đ give
/// one id (case b2-11: an NFD `Hà Nội` was suggested as `ha-no-i`).
pub(super) fn suggested_id(text: &str) -> String {
    tiendo_core::text::suggested_id(text)
}

/// `file:line:col` of a span.
pub fn format_position(span: &tiendo_core::Span) -> String {
    format!("{}:{}:{}", span.file, span.line, span.column)
}

pub(super) fn text(raw: &RawText) -> Text {
    Text::new(raw.vi.clone(), raw.en.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_suggestions() {
        for (id, valid) in [("qd-193-2021", true), ("cases_2023", true), ("Hà-Nội", false), ("", false), ("-x", false)]
        {
            assert_eq!(is_valid_id(id), valid, "{id}");
        }
        assert_eq!(suggested_id("Hà Nội"), "ha-noi");
        assert_eq!(suggested_id("Quảng Nam 2025"), "quang-nam-2025");
        assert_eq!(suggested_id("!!"), "my-id");
    }
}
