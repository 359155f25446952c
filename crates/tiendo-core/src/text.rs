//! One normalisation of people's text for matching and for ids suggested from names, so that Vietnamese typed in
//! any Unicode form (NFC from a Windows keyboard, NFD from macOS file names or a PDF), in any case and with Đ/đ
//! gives the same key everywhere tiendo compares names or suggests an id.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The matching key of `text`: canonically decomposed (NFD), combining marks dropped (the tones and the hats of
/// â, ê, ô, ơ, ư), `Đ`/`đ` read as `d` (a letter of its own, not a `d` with a mark, so NFD keeps it), lowercased.
/// `"Hà Nội"` in NFC or NFD, `"HÀ NỘI"` and `"ha noi"` all give `"ha noi"`.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|character| !is_combining_mark(*character))
        .map(|character| match character {
            'Đ' | 'đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// An id suggested for a name: [`fold`], then every run of characters other than ASCII letters, digits, `_` and
/// `.` becomes one `-`, without a leading or trailing one; `my-id` when nothing is left.
/// `"Hà Nội"` (NFC or NFD) gives `ha-noi`, `"Quảng Nam 2025"` gives `quang-nam-2025`.
pub fn suggested_id(text: &str) -> String {
    let mut out = String::new();
    for character in fold(text.trim()).chars() {
        if character.is_ascii_alphanumeric() || matches!(character, '_' | '.') {
            out.push(character);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() { "my-id".to_owned() } else { trimmed.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every vowel of Vietnamese with every tone, and Đ.
    const VIETNAMESE: &str = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ\
                              ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";

    #[test]
    fn every_vietnamese_letter_folds_to_its_ascii_base_in_nfc_and_nfd() {
        for letter in VIETNAMESE.chars() {
            let nfc: String = letter.to_string().nfc().collect();
            let nfd: String = letter.to_string().nfd().collect();
            let folded = fold(&nfc);
            assert_eq!(folded, fold(&nfd), "{letter}");
            assert!(folded.len() == 1 && "aeiouyd".contains(folded.as_str()), "{letter} -> {folded}");
        }
    }

    #[test]
    fn ids_suggested_from_names() {
        let cases = [
            ("Hà Nội", "ha-noi"),
            ("Ha\u{300} No\u{302}\u{323}i", "ha-noi"),
            ("HÀ NỘI", "ha-noi"),
            ("Đà Nẵng", "da-nang"),
            ("D\u{300}a\u{300} Na\u{306}\u{303}ng", "da-nang"),
            ("Quảng Nam 2025", "quang-nam-2025"),
            ("  Thừa Thiên Huế ", "thua-thien-hue"),
            ("victims_identified", "victims_identified"),
            ("!!", "my-id"),
        ];
        for (name, id) in cases {
            assert_eq!(suggested_id(name), id, "{name:?}");
        }
    }

    proptest! {
        /// The Unicode form never changes a key, and folding is idempotent.
        #[test]
        fn nfc_and_nfd_give_one_key(text in "[a-zA-Z àáảãạăâđêôơưệộụĐÀẤỆỘ0-9-]{0,20}") {
            let nfc: String = text.nfc().collect();
            let nfd: String = text.nfd().collect();
            prop_assert_eq!(fold(&nfc), fold(&nfd));
            prop_assert_eq!(suggested_id(&nfc), suggested_id(&nfd));
            prop_assert_eq!(fold(&fold(&text)), fold(&text));
            let id = suggested_id(&text);
            prop_assert!(id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c)));
        }
    }
}
