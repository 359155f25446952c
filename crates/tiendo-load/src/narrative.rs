//! Reads a project's narrative files: the reviewers' Markdown, one file per section and language
//! (`narrative/vi/summary.md`, `narrative/en/limitations.md`; docs/narrative.md). Like every input they are bounded
//! (at most [`MAX_NARRATIVE_BYTES`] each), UTF-8 and regular files; a file with another name, a folder for another
//! language or an unreadable file is a located error. What the text says (its helpers, whether both languages are
//! there) is checked after evaluation by `tiendo_report::narrative::check`, which needs the evaluated review.

use std::path::Path;

use serde::Serialize;
use tiendo_core::{Diagnostic, Lang};

use crate::Loader;
use crate::codes;
use crate::files::{self, FileSystem, SourceFile};

/// The folder of the narrative, relative to `tiendo.toml`, unless `[narrative] folder` names another.
pub const DEFAULT_FOLDER: &str = "narrative";

/// The largest narrative file read: 1 MiB, hundreds of pages of prose.
pub const MAX_NARRATIVE_BYTES: usize = 1 << 20;

/// The sections a narrative file may be written for, by file stem, in the review's order (the same list as
/// `tiendo_report::NarrativeSection`; a test of the binary keeps the two equal).
pub const SECTIONS: [&str; 7] = ["summary", "results", "limitations", "causes", "lessons", "tasks", "recommendations"];

/// The language folders, by ISO 639-1 code.
pub const LANGUAGES: [(&str, Lang); 2] = [("vi", Lang::Vi), ("en", Lang::En)];

/// One narrative file as read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NarrativeFile {
    /// The section, one of [`SECTIONS`].
    pub section: String,
    pub lang: Lang,
    /// The file's name as diagnostics show it (the project folder joined with the relative path).
    pub file: String,
    /// The Markdown.
    pub text: String,
}

/// Reads `<dir>/<folder>/{vi,en}/*.md`, in path order. A missing folder is no narrative (every section then shows
/// its placeholder). Each text is added to the loader's source map so that diagnostics can show its lines.
pub(crate) fn read(loader: &mut Loader<'_>, fs: &dyn FileSystem, dir: &Path, folder: &str) -> Vec<NarrativeFile> {
    let root = files::normalize_path(&dir.join(folder));
    if !fs.exists(&root) {
        return Vec::new();
    }
    let mut entries = match fs.read_dir(&root) {
        Ok(entries) => entries,
        Err(error) => {
            loader.diagnostics.push(unreadable(&root, &error.to_string()));
            return Vec::new();
        }
    };
    entries.sort();
    let mut found = Vec::new();
    for entry in entries {
        let name = entry.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Some(&(_, lang)) = LANGUAGES.iter().find(|(code, _)| *code == name) else {
            if fs.is_dir(&entry) {
                loader.diagnostics.push(
                    Diagnostic::error(
                        codes::NARRATIVE_UNKNOWN_FILE.code,
                        codes::NARRATIVE_UNKNOWN_FILE.name,
                        format!("`{}` is not a language folder of the narrative", files::display_name(&entry)),
                    )
                    .with_hint("the narrative is written in `vi/` and `en/`; move or remove this folder"),
                );
            }
            continue;
        };
        if !fs.is_dir(&entry) {
            continue;
        }
        let mut texts = match fs.read_dir(&entry) {
            Ok(texts) => texts,
            Err(error) => {
                loader.diagnostics.push(unreadable(&entry, &error.to_string()));
                continue;
            }
        };
        texts.sort();
        for path in texts {
            if let Some(file) = read_one(loader, fs, &path, lang) {
                found.push(file);
            }
        }
    }
    found
}

/// One entry of a language folder: a section's `.md` file, or a located error. Files that are not `.md` (notes,
/// drafts in other formats) are left alone.
fn read_one(loader: &mut Loader<'_>, fs: &dyn FileSystem, path: &Path, lang: Lang) -> Option<NarrativeFile> {
    let name = files::display_name(path);
    let stem = path.file_name()?.to_string_lossy().strip_suffix(".md")?.to_owned();
    if !SECTIONS.contains(&stem.as_str()) {
        loader.diagnostics.push(
            Diagnostic::error(
                codes::NARRATIVE_UNKNOWN_FILE.code,
                codes::NARRATIVE_UNKNOWN_FILE.name,
                format!("`{name}` is not a section of the narrative"),
            )
            .with_hint(match crate::tree::suggest(&stem, SECTIONS.iter().copied()) {
                Some(section) => format!("did you mean `{section}.md`?"),
                None => format!("the sections are {}", SECTIONS.map(|s| format!("`{s}.md`")).join(", ")),
            }),
        );
        return None;
    }
    if !fs.is_file(path) {
        loader.diagnostics.push(unreadable(path, "it is not a regular file"));
        return None;
    }
    let bytes = match fs.read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            loader.diagnostics.push(unreadable(path, &error.to_string()));
            return None;
        }
    };
    if bytes.len() > MAX_NARRATIVE_BYTES {
        loader.diagnostics.push(unreadable(path, "it is larger than 1 MiB, the cap on a narrative file"));
        return None;
    }
    let Ok(text) = String::from_utf8(bytes) else {
        loader.diagnostics.push(
            Diagnostic::error(codes::INVALID_UTF8.code, codes::INVALID_UTF8.name, format!("`{name}` is not UTF-8"))
                .with_hint("save the file as UTF-8 (most editors: \"Save with encoding\")"),
        );
        return None;
    };
    loader.files.add(SourceFile::new(name.clone(), text.clone()));
    Some(NarrativeFile { section: stem, lang, file: name, text })
}

fn unreadable(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        codes::UNREADABLE_PATH.code,
        codes::UNREADABLE_PATH.name,
        format!("cannot read `{}`: {why}", files::display_name(path)),
    )
    .with_hint("a narrative file is a regular UTF-8 Markdown file of at most 1 MiB")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::files::MemoryFileSystem;

    const PROJECT: &str = "[project]\nname = { vi = \"a\", en = \"a\" }\nprogramme = \"p\"\n";

    fn load(files: &[(&str, &[u8])]) -> crate::Loaded {
        let mut fs = MemoryFileSystem::new();
        fs.insert("p/tiendo.toml", PROJECT);
        for (path, bytes) in files {
            fs.insert(PathBuf::from("p").join(path), bytes.to_vec());
        }
        crate::load_project(&fs, std::path::Path::new("p"))
    }

    fn codes(loaded: &crate::Loaded) -> Vec<&'static str> {
        loaded.diagnostics.iter().filter(|d| d.code != "E018").map(|d| d.code).collect()
    }

    #[test]
    fn narrative_files_are_read_in_order_and_bad_ones_located() {
        let loaded = load(&[
            ("narrative/vi/summary.md", "Tóm tắt".as_bytes()),
            ("narrative/en/summary.md", b"Summary"),
            ("narrative/en/notes.txt", b"ignored"),
            ("narrative/en/sumary.md", b"typo"),
            ("narrative/fr/summary.md", b"autre"),
            ("narrative/vi/causes.md", b"\xff\xfe"),
        ]);
        assert_eq!(codes(&loaded), ["E002", "E506", "E506"], "{:#?}", loaded.diagnostics);
        let typo = loaded.diagnostics.iter().find(|d| d.message.contains("sumary")).expect("the typo");
        assert_eq!(typo.hints, ["did you mean `summary.md`?"]);
        assert!(loaded.files.by_name("p/narrative/vi/summary.md").is_some(), "texts are in the source map");
    }

    #[test]
    fn a_project_without_a_narrative_folder_has_none() {
        let loaded = load(&[]);
        assert!(codes(&loaded).is_empty(), "{:#?}", loaded.diagnostics);
    }

    #[test]
    fn a_file_over_the_cap_is_refused() {
        let big = vec![b'a'; super::MAX_NARRATIVE_BYTES + 1];
        let loaded = load(&[("narrative/vi/lessons.md", &big)]);
        assert_eq!(codes(&loaded), ["E003"]);
    }
}
