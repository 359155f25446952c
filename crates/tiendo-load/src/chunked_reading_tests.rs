//! A large catalogue file read piece by piece ([`crate::chunks`]) gives the same catalogue and the same
//! diagnostics, at the same file:line:col, as the same file read whole.

use std::path::PathBuf;

use crate::validate::RawCatalogue;
use crate::{Loaded, Loader, MemoryFileSystem, chunks};

/// A catalogue file of `count` communes under one province; `edit(i, element)` may change element `i`.
fn communes(count: usize, edit: impl Fn(usize, String) -> String) -> String {
    let mut text = String::from(
        "# Communes.\n\n[[org_unit]]\nid = \"vn\"\nname = { vi = \"Việt Nam\", en = \"Viet Nam\" }\nlevel = \"country\"\n\n",
    );
    for i in 0..count {
        let element = format!(
            "[[org_unit]]\nid = \"cx{i:06}\"\nname = {{ vi = \"Xã {i}\", en = \"Commune {i}\" }}\nlevel = \"commune\"\nparent = \"vn\"\n\n"
        );
        text.push_str(&edit(i, element));
    }
    text
}

fn load(text: &str, cut: bool) -> Loaded {
    let mut fs = MemoryFileSystem::new();
    fs.insert("cat/communes.toml", text.as_bytes().to_vec());
    let mut loader = Loader::new(&fs);
    loader.cut_large_files = cut;
    let mut raw = RawCatalogue::default();
    for path in loader.discover(&[PathBuf::from("cat")], None) {
        loader.read_catalogue_file(&path, &mut raw);
    }
    loader.finish(raw, None)
}

/// Every diagnostic with its place, as the CLI shows it.
fn shown(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(|d| format!("{d:?}")).collect()
}

fn tables() -> Vec<&'static str> {
    vec!["org_unit"]
}

fn assert_same_both_ways(text: &str) -> Loaded {
    assert!(chunks::cut_points(text, &tables()).len() >= 3, "the test file must be cut");
    let cut = load(text, true);
    let whole = load(text, false);
    assert_eq!(shown(&cut), shown(&whole));
    assert_eq!(cut.catalogue, whole.catalogue);
    cut
}

#[test]
fn a_clean_file_gives_the_same_catalogue() {
    let loaded = assert_same_both_ways(&communes(12_000, |_, e| e));
    assert!(loaded.diagnostics.is_empty(), "{:?}", shown(&loaded));
    assert_eq!(loaded.catalogue.expect("no errors").org_units.len(), 12_001);
}

#[test]
fn errors_in_every_piece_are_reported_at_the_same_places() {
    let text = communes(12_000, |i, element| match i {
        5 => element.replace("level = \"commune\"", "level = \"hamlet\""),
        3_000 => element.replace("parent = \"vn\"", "parent = \"nowhere\""),
        6_000 => element.replace("id = \"cx006000\"", "id = \"cx000006\""), // a duplicate of a unit far before
        9_000 => element.replace("level = \"commune\"", "level = \"commune\"\ncolour = \"red\""),
        11_000 => element.replace("level = \"commune\"", "level = 3"),
        11_999 => element.replace("id = \"cx011999\"\n", ""),
        _ => element,
    });
    let loaded = assert_same_both_ways(&text);
    assert!(loaded.diagnostics.len() >= 6, "{:?}", shown(&loaded));
    // The places are in the whole file: the last element's error is on one of its own lines.
    let last_line = text.lines().count();
    assert!(loaded.diagnostics.iter().any(|d| d.span.as_ref().is_some_and(|s| s.line + 10 > last_line)));
}

#[test]
fn a_syntax_error_in_a_late_piece_is_reported_as_for_a_whole_file() {
    let text = communes(12_000, |i, element| if i == 10_000 { element.replace("id = ", "id == ") } else { element });
    let loaded = assert_same_both_ways(&text);
    assert!(loaded.catalogue.is_none());
    assert!(shown(&loaded).iter().any(|d| d.contains("invalid TOML")), "{:?}", shown(&loaded));
}

#[test]
fn a_header_that_stops_cutting_reads_the_file_whole() {
    let text = communes(12_000, |i, element| if i == 7_000 { format!("[org_unit.extra]\n{element}") } else { element });
    assert!(chunks::cut_points(&text, &tables()).is_empty());
    assert_eq!(shown(&load(&text, true)), shown(&load(&text, false)));
}

#[test]
fn windows_line_ends_a_byte_order_mark_and_comments_between_elements_read_the_same() {
    let text = communes(12_000, |i, element| match i {
        4_000 => element.replace("level = \"commune\"", "level = \"hamlet\" # a comment [[org_unit]]"),
        8_000 => format!("# [[org_unit]] commented out\n\n{}", element.replace("parent = \"vn\"", "parent = \"x\"")),
        _ => element,
    });
    let text = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let loaded = assert_same_both_ways(&text);
    assert_eq!(loaded.diagnostics.len(), 2, "{:?}", shown(&loaded));
}
