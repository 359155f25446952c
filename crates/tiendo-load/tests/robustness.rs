//! No input makes the loader panic: truncated files, flipped bytes, arbitrary bytes and TOML-like noise all end in
//! diagnostics, and rendering those diagnostics does not panic either.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use tiendo_load::render::{render_human, render_json};
use tiendo_load::{MemoryFileSystem, load_catalogue, load_path};

fn load_bytes(files: &[(&str, &[u8])]) {
    let mut fs = MemoryFileSystem::new();
    for (name, bytes) in files {
        fs.insert(Path::new("cat").join(name), bytes.to_vec());
    }
    let loaded = load_catalogue(&fs, &[PathBuf::from("cat")]);
    let _ = render_human(&loaded.diagnostics, &loaded.files, false);
    let _ = render_human(&loaded.diagnostics, &loaded.files, true);
    let _ = render_json(&loaded.diagnostics);
    if loaded.has_errors() {
        assert!(loaded.catalogue.is_none());
    }
}

fn good_files() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/good/catalogue");
    let mut out = Vec::new();
    for name in ["sources.toml", "org-units.toml", "indicators.toml", "plans/programme.toml", "plans/quang-nam.toml"] {
        out.push((name.to_owned(), std::fs::read(root.join(name)).expect("good fixture exists")));
    }
    out
}

#[test]
fn truncated_and_flipped_files_never_panic() {
    let files = good_files();
    for (index, (name, bytes)) in files.iter().enumerate() {
        let others: Vec<(&str, &[u8])> = files
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, (n, b))| (n.as_str(), b.as_slice()))
            .collect();
        // Truncate at many places, including inside multi-byte characters.
        for cut in (0..bytes.len()).step_by(7) {
            let mut set = others.clone();
            set.push((name.as_str(), &bytes[..cut]));
            load_bytes(&set);
        }
        // Replace single bytes with characters that matter to TOML.
        for (position, replacement) in
            (0..bytes.len()).step_by(13).zip([b'"', b'[', b'=', 0xff, b'\n', b']', b'{', b'.'].iter().cycle())
        {
            let mut mutated = bytes.clone();
            mutated[position] = *replacement;
            let mut set = others.clone();
            set.push((name.as_str(), &mutated));
            load_bytes(&set);
        }
    }
}

#[test]
fn project_with_missing_file_and_folder_never_panics() {
    let mut fs = MemoryFileSystem::new();
    fs.insert("p/tiendo.toml", "[project]\nname = { vi = \"a\", en = \"b\" }\nprogramme = \"x\"\ncatalogue = [\"../nowhere\", \"tiendo.toml\"]\n");
    let loaded = load_path(&fs, Path::new("p"));
    assert!(loaded.has_errors());
    let loaded = load_path(&fs, Path::new("no-such-folder"));
    assert_eq!(loaded.diagnostics[0].code, "E003");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        load_bytes(&[("a.toml", &bytes)]);
    }

    #[test]
    fn toml_like_noise_never_panics(text in "(\\[\\[(indicator|plan|plan\\.target|source|org_unit)\\]\\]\n|[a-z_]{1,10} = (\"[^\"\n]{0,12}\"|[0-9]{1,4}|\\[\"[a-z0-9-]{0,8}\"\\]|\\{ vi = \"x\", en = \"y\" \\}|2021-02-0[1-9])\n){0,30}") {
        load_bytes(&[("a.toml", text.as_bytes())]);
    }
}
