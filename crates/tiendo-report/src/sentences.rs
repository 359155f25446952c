//! Sentences and language marks the review's templates receive ready-made: the audit's verdict after the
//! confidentiality note, the built-in paragraphs of the methodology annex, and which language a fallback text is in.

use tiendo_core::Lang;

use crate::format;
use crate::i18n::{self, label};
use crate::model::Review;

/// The other language's code when `text` falls back to it in `lang` (empty in `lang`, present in the other).
pub(crate) fn other_language(text: &tiendo_core::Text, lang: Lang) -> Option<&'static str> {
    let (own, other, code) = match lang {
        Lang::Vi => (&text.vi, &text.en, "en"),
        Lang::En => (&text.en, &text.vi, "vi"),
    };
    (own.is_empty() && !other.is_empty()).then_some(code)
}

/// The built-in paragraphs of the methodology annex; the 2025 merger only in a review made on or after 1 July 2025,
/// the first day of the 34 provinces (a review made before it cannot know them).
pub(crate) fn fixed_method_notes(review: &Review, lang: Lang) -> Vec<&'static str> {
    let mut notes = vec![i18n::label("method_status", lang), i18n::label("method_percent", lang)];
    if review.cover.as_of >= chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("1 July 2025 is a valid date") {
        notes.push(i18n::label("method_succession", lang));
    }
    notes
}

/// The disclosure audit's verdict and counts, as a sentence after the confidentiality note (empty without an audit).
pub(crate) fn audit_text(audit: Option<&tiendo_core::disclosure::Audit>, lang: Lang) -> String {
    use tiendo_core::disclosure::Verdict;
    let Some(audit) = audit else { return String::new() };
    let key = match audit.verdict {
        Verdict::NothingSuppressed => "audit_nothing",
        Verdict::Protected => "audit_protected",
        Verdict::Unprotected => "audit_unprotected",
        Verdict::Withheld => "audit_withheld",
    };
    let count = |n: usize| format::number(n as f64, 0, lang);
    let text = label(key, lang)
        .replace("{values}", &format::number(audit.protection + 1.0, 0, lang))
        .replace("{primary}", &count(audit.primary))
        .replace("{secondary}", &count(audit.secondary))
        .replace("{unprotected}", &count(audit.unprotected))
        .replace("{withheld}", &count(audit.withheld));
    format!(" {text}")
}
