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

/// The disclosure audit's verdict and counts, as a sentence after the confidentiality note (empty without an audit),
/// and the matched ratios hidden besides when there are any.
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
    let (guarantee, limit) = if audit.prior_caps_protection() {
        ("audit_guarantee_capped", "audit_limit_capped")
    } else {
        ("audit_guarantee", "audit_limit")
    };
    // The numbers the audit used: the protection range, and what the threshold tells of a small count.
    let numbers = |text: &str| {
        text.replace("{values}", &format::number(audit.protection + 1.0, 0, lang))
            .replace("{low}", &format::number(audit.primary_prior.low, 0, lang))
            .replace("{high}", &format::number(audit.primary_prior.high, 0, lang))
    };
    let text = label(key, lang)
        .replace("{guarantee}", &numbers(label(guarantee, lang)))
        .replace("{limit}", &numbers(label(limit, lang)))
        .replace("{primary}", &count(audit.primary))
        .replace("{secondary}", &count(audit.secondary))
        .replace("{unprotected}", &count(audit.unprotected))
        .replace("{withheld}", &count(audit.withheld));
    let mut note = format!(" {text}");
    if audit.unshown_small > 0 {
        note += " ";
        note += &label("audit_unshown", lang).replace("{unshown}", &count(audit.unshown_small));
    }
    if audit.matched_ratios > 0 {
        note += " ";
        note += &label("audit_matched_ratios", lang).replace("{matched_ratios}", &count(audit.matched_ratios));
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiendo_core::disclosure::{Publication, Rules, Verdict, protect};

    fn audit(matched_ratios: usize) -> tiendo_core::disclosure::Audit {
        let rules = Rules { threshold: 11.0, protection: 3.0, suppress_zeros: false, ..Rules::new(11.0) };
        let mut audit = protect(&Publication::default(), &rules).audit;
        if matched_ratios > 0 {
            (audit.verdict, audit.matched_ratios) = (Verdict::Protected, matched_ratios);
        }
        audit
    }

    /// Matched ratios hidden with no cell hidden: the note says they were hidden (never "no count needed
    /// suppressing"), in both languages; without them it says nothing of ratios.
    #[test]
    fn the_note_counts_the_matched_ratios_it_hid() {
        for (lang, nothing, ratios) in [
            (Lang::En, "No count needed suppressing", "would reveal: 1,234."),
            (Lang::Vi, "Không có số nào cần ẩn", "Ngoài ra, 1.234 giá trị tỷ lệ"),
        ] {
            let with = audit_text(Some(&audit(1234)), lang);
            assert!(with.contains(ratios) && !with.contains(nothing), "{lang:?}: {with}");
            let without = audit_text(Some(&audit(0)), lang);
            assert!(without.contains(nothing) && !without.contains(ratios), "{lang:?}: {without}");
        }
    }

    /// The small counts of units no output shows (communes below the provinces) are named apart from the hidden
    /// cells, in both languages, and only where there are some.
    #[test]
    fn the_note_names_the_small_counts_of_units_the_review_does_not_show() {
        for (lang, expected) in [(Lang::En, "do not reveal them either: 7."), (Lang::Vi, "cũng xét 7 số nhỏ")] {
            let mut with = audit(0);
            with.unshown_small = 7;
            let text = audit_text(Some(&with), lang);
            assert!(text.contains(expected), "{lang:?}: {text}");
            let without = audit_text(Some(&audit(0)), lang);
            assert!(!without.contains(expected), "{lang:?}: {without}");
        }
    }

    /// Round 6, L7: the guarantee is the range the audit used. Threshold 3 tells a reader that a small count is 1 or
    /// 2: the note says so rather than promise 4 values; threshold 11 leaves the protection range whole.
    #[test]
    fn the_guarantee_is_the_protection_range_capped_by_what_the_threshold_tells() {
        let audit_of = |threshold: f64, protection: f64| {
            let rules = Rules { threshold, protection, suppress_zeros: false, ..Rules::new(11.0) };
            let mut audit = protect(&Publication::default(), &rules).audit;
            audit.verdict = Verdict::Protected;
            audit
        };
        for (threshold, protection, lang, expected) in [
            (
                3.0,
                3.0,
                Lang::En,
                "beyond what the threshold already tells (1 to 2), and no other suppressed count to fewer than 4",
            ),
            (3.0, 3.0, Lang::Vi, "(từ 1 đến 2), và không thể thu hẹp bất kỳ số bị ẩn nào khác xuống dưới 4 giá trị"),
            (11.0, 10.0, Lang::En, "already tells (1 to 10), and no other suppressed count to fewer than 11"),
            (11.0, 3.0, Lang::En, "found that no suppressed count can be narrowed to fewer than 4 possible values."),
        ] {
            let text = audit_text(Some(&audit_of(threshold, protection)), lang);
            assert!(text.contains(expected), "{threshold} {protection} {lang:?}: {text}");
        }
        let mut unprotected = audit_of(3.0, 3.0);
        (unprotected.verdict, unprotected.unprotected) = (Verdict::Unprotected, 1);
        let text = audit_text(Some(&unprotected), Lang::En);
        assert!(text.contains("to less than the 1 to 2 the threshold already tells"), "{text}");
    }
}
