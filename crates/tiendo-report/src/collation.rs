//! Names sorted as Vietnamese readers sort them (issue 13, item 4): the CLDR collation for `vi` (ICU4X
//! `icu_collator` with its compiled data), where "Đ" comes after every "D" word, a letter with a diacritic after the
//! plain letter (a < ă < â, e < ê, o < ô < ơ, u < ư) and tones decide only between otherwise equal names
//! (Ha < Hà < Hả < Hã < Há < Hạ). Byte order puts "Đắk Lắk" after "Yên Bái"; this puts it after "Điện Biên"'s
//! neighbours in D. Source: CLDR `collation/vi.xml` (the tailoring ICU and ICU4X ship) and Unicode TR10 (UCA).
//!
//! The review sorts by the Vietnamese name in both languages, so a table lists places in the same order in `vi`
//! and `en`.

use std::cmp::Ordering;
use std::sync::OnceLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use icu_locale_core::locale;

/// The `vi` collator, built once from the compiled data.
fn collator() -> &'static CollatorBorrowed<'static> {
    static COLLATOR: OnceLock<CollatorBorrowed<'static>> = OnceLock::new();
    COLLATOR.get_or_init(|| {
        let preferences = CollatorPreferences::from(&locale!("vi"));
        // The compiled data contains `vi`: this cannot fail unless the crate is built without its data.
        Collator::try_new(preferences, CollatorOptions::default()).expect("icu_collator ships compiled data for vi")
    })
}

/// Compares two names in Vietnamese collation order; names equal for the collator are ordered by their text, so
/// that the order is total and the same on every run.
pub fn compare(a: &str, b: &str) -> Ordering {
    collator().compare(a, b).then_with(|| a.cmp(b))
}

/// Sorts `items` by the Vietnamese name `name` gives for each.
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| compare(name(a), name(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        sort_by_name(&mut names, |n| n);
        names
    }

    #[test]
    fn d_with_stroke_comes_after_every_d() {
        assert_eq!(
            sorted(&["Đồng Nai", "Yên Bái", "Điện Biên", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Đồng Tháp", "Cà Mau"]),
            ["Cà Mau", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Yên Bái"]
        );
        assert_eq!(sorted(&["Đà Nẵng", "Du", "Dz"]), ["Du", "Dz", "Đà Nẵng"]);
    }

    #[test]
    fn letters_with_diacritics_follow_the_plain_letter() {
        // a < ă < â, o < ô < ơ, u < ư: the Vietnamese alphabet, whatever the tone.
        assert_eq!(sorted(&["Âu", "Ăn", "Ao"]), ["Ao", "Ăn", "Âu"]);
        assert_eq!(sorted(&["Ơn", "Ôn", "On"]), ["On", "Ôn", "Ơn"]);
        assert_eq!(sorted(&["Ưu", "Uy"]), ["Uy", "Ưu"]);
        assert_eq!(
            sorted(&["Hà Nội", "Hải Phòng", "Hà Giang", "Hòa Bình", "Hậu Giang"]),
            ["Hà Giang", "Hà Nội", "Hải Phòng", "Hậu Giang", "Hòa Bình"]
        );
    }

    #[test]
    fn tones_decide_only_between_otherwise_equal_names() {
        // The tone order of Vietnamese dictionaries: level, grave, hook, tilde, acute, dot below.
        assert_eq!(sorted(&["Hạ", "Há", "Hã", "Hả", "Hà", "Ha"]), ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"]);
        // A tone does not outrank the next letter: "Hà Tĩnh" before "Hb".
        assert_eq!(sorted(&["Hb", "Hà Tĩnh"]), ["Hà Tĩnh", "Hb"]);
    }

    #[test]
    fn the_order_is_total_and_stable() {
        // Composed and decomposed forms are equal for the collator; the text breaks the tie.
        let composed = "Huế";
        let decomposed = "Hue\u{302}\u{301}";
        assert_eq!(compare(composed, decomposed), composed.cmp(decomposed));
        assert_eq!(compare("Huế", "Huế"), Ordering::Equal);
    }
}
