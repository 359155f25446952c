//! Where a large catalogue file may be parsed in pieces, so that its TOML tree is never held whole.
//!
//! Parsing a TOML file with the `toml` crate keeps the file's tokens, its parser events and its whole document tree
//! at once: about 37 bytes for each byte of text, so 100 MB for the 2.7 MB catalogue of 24,000 communes (issue 15).
//! A file made only of array-of-tables elements (`[[org_unit]]`, `[[source]]`, … with the catalogue's own table
//! names) means exactly the same read element by element: each element is a table of its own, and the array is the
//! elements in order. Such a file is cut before an element header every [`CHUNK_BYTES`] or so, and each piece is
//! parsed, read into the typed structs and dropped before the next.
//!
//! A file with anything else at its top level (a key before the first header, a `[table]`, a dotted or quoted
//! header, a table name the catalogue does not know) is not cut: it is parsed whole, as before.

use toml_parser::Source;
use toml_parser::lexer::TokenKind;

/// The text in one piece, at least: smaller files are parsed whole.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// The most pieces a file is cut into. Each piece is parsed with the text before it blanked to spaces (one
/// whitespace token), so that every span stays a byte offset in the whole file; capping the pieces keeps that work
/// linear in the file's size (at most this many times its length).
pub const MAX_CHUNKS: usize = 32;

/// Byte offsets at which `text` may be cut: each is the `[` of a top-level `[[name]]` header with `name` one of
/// `tables`. Returns an empty list when the file must be parsed whole: it is small, or its top level holds anything
/// but such elements, or its brackets do not balance.
pub fn cut_points(text: &str, tables: &[&str]) -> Vec<usize> {
    if text.len() < 2 * CHUNK_BYTES {
        return Vec::new();
    }
    let Some(headers) = element_headers(text, tables) else { return Vec::new() };
    let piece = CHUNK_BYTES.max(text.len() / MAX_CHUNKS);
    let mut cuts = Vec::new();
    let mut last = 0;
    for start in headers {
        if start >= last + piece {
            cuts.push(start);
            last = start;
        }
    }
    cuts
}

/// The start of every top-level header, or `None` if the file is not made only of `[[name]]` elements of `tables`.
fn element_headers(text: &str, tables: &[&str]) -> Option<Vec<usize>> {
    let mut headers = Vec::new();
    // Brackets and braces opened inside values (arrays, inline tables); a header is only at depth 0.
    let mut depth = 0usize;
    let mut line_start = true;
    let mut header: Option<Vec<(TokenKind, usize, usize)>> = None;
    for token in Source::new(text).lex() {
        let (kind, span) = (token.kind(), token.span());
        if let Some(tokens) = header.as_mut() {
            if matches!(kind, TokenKind::Newline | TokenKind::Eof) {
                let tokens = header.take().unwrap_or_default();
                if !is_element_header(text, &tokens, tables) {
                    return None;
                }
                headers.push(tokens.first().map_or(0, |t| t.1));
                line_start = true;
            } else {
                tokens.push((kind, span.start(), span.end()));
            }
            continue;
        }
        match kind {
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::Newline => line_start = true,
            TokenKind::Eof => {}
            TokenKind::LeftSquareBracket if depth == 0 && line_start => {
                header = Some(vec![(kind, span.start(), span.end())]);
            }
            _ if depth == 0 && line_start && headers.is_empty() => return None, // a key before the first header
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                line_start = false;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.checked_sub(1)?;
                line_start = false;
            }
            _ => line_start = false,
        }
    }
    (depth == 0 && header.is_none()).then_some(headers)
}

/// Whether a header line's tokens are `[[name]]` (optionally followed by spaces and a comment), `name` bare and in
/// `tables`, the brackets adjacent.
fn is_element_header(text: &str, tokens: &[(TokenKind, usize, usize)], tables: &[&str]) -> bool {
    let mut meaningful = tokens.iter().filter(|t| t.0 != TokenKind::Whitespace);
    let (Some(open1), Some(open2), Some(name), Some(close1), Some(close2)) =
        (meaningful.next(), meaningful.next(), meaningful.next(), meaningful.next(), meaningful.next())
    else {
        return false;
    };
    let rest_is_comment = meaningful.all(|t| t.0 == TokenKind::Comment);
    open1.0 == TokenKind::LeftSquareBracket
        && open2.0 == TokenKind::LeftSquareBracket
        && open1.2 == open2.1
        && name.0 == TokenKind::Atom
        && tables.contains(&&text[name.1..name.2])
        && close1.0 == TokenKind::RightSquareBracket
        && close2.0 == TokenKind::RightSquareBracket
        && close1.2 == close2.1
        && rest_is_comment
}

/// The text parsed for the piece `range` of `text`: everything before it blanked to spaces, so that the parser's
/// spans are offsets in the whole file. `buffer` is reused between pieces.
/// The blanks are copied a run of [`SPACES`] at a time: `String::extend` of single spaces encoded each one as a
/// `char` (W2's catalogue, 24,000 communes in 11 pieces: about 14 MB of blanks, 8 % of `tiendo check`'s CPU on a
/// project with no data rows).
pub fn padded<'b>(buffer: &'b mut String, text: &str, range: std::ops::Range<usize>) -> &'b str {
    buffer.clear();
    buffer.reserve(range.end);
    let mut left = range.start;
    while left > 0 {
        let run = left.min(SPACES.len());
        buffer.push_str(&SPACES[..run]);
        left -= run;
    }
    buffer.push_str(&text[range]);
    buffer
}

/// A run of blanks for [`padded`] (ASCII, so any prefix of it is a `str`).
const SPACES: &str = match std::str::from_utf8(&[b' '; 4096]) {
    Ok(spaces) => spaces,
    Err(_) => panic!("spaces are ASCII"),
};

#[cfg(test)]
mod tests {
    use super::*;

    const TABLES: &[&str] = &["org_unit", "source"];

    fn unit(i: usize) -> String {
        format!("[[org_unit]]\nid = \"u{i:06}\"\nname = {{ vi = \"x\", en = \"x\" }}\nlevel = \"commune\"\n\n")
    }

    fn big(prefix: &str, body: impl Fn(usize) -> String) -> String {
        let mut text = prefix.to_owned();
        let mut i = 0;
        while text.len() < 3 * CHUNK_BYTES {
            text.push_str(&body(i));
            i += 1;
        }
        text
    }

    #[test]
    fn small_files_are_parsed_whole() {
        assert!(cut_points(&unit(1), TABLES).is_empty());
    }

    #[test]
    fn a_file_of_elements_is_cut_before_element_headers() {
        let text = big("# communes\n\n", unit);
        let cuts = cut_points(&text, TABLES);
        assert!(cuts.len() >= 2, "{cuts:?}");
        for cut in &cuts {
            assert!(text[*cut..].starts_with("[[org_unit]]"), "{cut}");
            assert!(text[..*cut].ends_with('\n'));
        }
        assert!(cuts.windows(2).all(|w| w[1] - w[0] >= CHUNK_BYTES));
    }

    #[test]
    fn files_with_other_top_level_content_are_parsed_whole() {
        let cases: Vec<String> = vec![
            big("key = 1\n", unit),    // a key before the first header
            big("[settings]\n", unit), // a plain table
            big("", |i| if i == 50 { "[org_unit.extra]\n".into() } else { unit(i) }), // a dotted header
            big("", |i| if i == 50 { "[[\"org_unit\"]]\n".into() } else { unit(i) }), // a quoted name
            big("", |i| if i == 50 { "[[plugin]]\n".into() } else { unit(i) }), // a table not in the list
            big("", |i| if i == 50 { "[[ org_unit ]]\nid = \"a\"\n[[org_unit]]x\n".into() } else { unit(i) }),
            big("", |i| if i == 50 { "a = [1, [2]\n".into() } else { unit(i) }), // an unclosed array
            big("", |i| if i == 50 { "a = ]\n".into() } else { unit(i) }),       // an unopened bracket
        ];
        for (n, text) in cases.iter().enumerate() {
            assert!(cut_points(text, TABLES).is_empty(), "case {n}");
        }
    }

    #[test]
    fn brackets_inside_values_and_strings_are_not_headers() {
        let body = |i: usize| {
            format!(
                "[[source]]\nid = \"s{i}\"\nnotes = [\n[1, 2],\n]\ntext = \"\"\"\n[[org_unit]]\n\"\"\"\n# [[org_unit]]\n\n"
            )
        };
        let text = big("", body);
        let cuts = cut_points(&text, TABLES);
        assert!(!cuts.is_empty());
        for cut in cuts {
            assert!(text[cut..].starts_with("[[source]]"), "{cut}");
        }
    }

    #[test]
    fn padding_blanks_exactly_what_comes_before_the_piece() {
        let mut buffer = String::from("left over from the last piece");
        for before in [0, 1, SPACES.len() - 1, SPACES.len(), SPACES.len() + 1, 3 * SPACES.len() + 7] {
            for after in ["", "[[x]]", "é"] {
                let text = format!("{}{after}", "ă".repeat(before / 2) + &"z".repeat(before % 2));
                // `ă` is two bytes: the piece starts `before` bytes in.
                let start = text.len() - after.len();
                assert_eq!(start, before);
                let padded = padded(&mut buffer, &text, start..text.len());
                assert_eq!(padded.len(), text.len());
                assert!(padded[..start].bytes().all(|b| b == b' '));
                assert_eq!(&padded[start..], after);
            }
        }
    }

    #[test]
    fn padding_keeps_offsets() {
        let mut buffer = String::new();
        let text = "ab\ncd[[x]]";
        let padded = padded(&mut buffer, text, 5..text.len());
        assert_eq!(padded.len(), text.len());
        assert_eq!(&padded[5..], "[[x]]");
        assert!(padded[..5].bytes().all(|b| b == b' '));
    }
}
