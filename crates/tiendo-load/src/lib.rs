//! Reads tiendo's TOML catalogues and projects into the validated model of `tiendo-core`.
//!
//! The pipeline is: bytes (through [`FileSystem`]) -> UTF-8 text kept in a [`SourceMap`] -> spanned TOML tree
//! -> raw structs ([`raw`]) -> validated `Catalogue` ([`validate`]). Every problem on the way becomes a
//! [`Diagnostic`] with a stable code and a span; loading never stops at the first one and never panics.
//!
//! Entry points: [`load_path`] (whatever `tiendo check PATH` is given), [`load_catalogue`] (catalogue files and
//! folders) and [`load_project`] (a folder with `tiendo.toml`). Each returns a [`Loaded`]: the validated
//! `Catalogue` (and [`Project`]) when there was no error, every diagnostic, and the [`SourceMap`] that
//! [`render::render_human`] needs; [`render::render_json`] needs only the diagnostics. [`schema::json_schema`]
//! generates the JSON Schema.
//!
//! Architecture invariant: this crate is the only one that knows TOML. It reads files only through the
//! [`FileSystem`] trait, so tests run on in-memory files.

pub mod benchmark_project;
pub mod builtin;
pub mod chunks;
pub mod codes;
pub mod files;
mod line_split;
pub mod narrative;
pub mod observations;
pub mod plugin_manifest;
pub mod project;
pub mod raw;
pub mod records;
pub mod render;
pub mod schema;
pub mod template;
pub mod tree;
pub mod validate;

#[cfg(test)]
mod chunked_reading_tests;
#[cfg(test)]
mod test_rng;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tiendo_core::diagnostic::sort_diagnostics;
use tiendo_core::{Catalogue, Diagnostic};
use toml::de::{DeTable, DeValue};

pub use builtin::{Builtin, WithBuiltins};
pub use files::{FileId, FileSystem, MemoryFileSystem, RealFileSystem, SourceFile, SourceMap};
pub use project::{Project, ProjectSettings, ReviewDocument};

use crate::raw::{PROJECT_ONLY_KEYS, RawCatalogueFile, RawProjectFile};
use crate::tree::{FromToml, Reader};
use crate::validate::{Kind, RawCatalogue};

/// Folders and well-known tool files that a folder walk never reads as catalogue files.
const SKIPPED_NAMES: &[&str] = &[
    "target",
    "node_modules",
    "Cargo.toml",
    "rust-toolchain.toml",
    "rustfmt.toml",
    "clippy.toml",
    "deny.toml",
    "taplo.toml",
    "pyproject.toml",
];

/// The most folder entries a walk looks at: a catalogue has dozens; `/` or `/proc` named as a catalogue does not
/// make a walk go on for ever.
const MAX_WALK_ENTRIES: usize = 100_000;

/// Syntax errors reported per file; the rest are usually consequences of the first ones.
const MAX_SYNTAX_ERRORS_PER_FILE: usize = 5;

/// The name of a project file.
pub const PROJECT_FILE: &str = "tiendo.toml";

/// The result of loading: the model when there was no error, every diagnostic (sorted by file and position),
/// and the texts that were read, which rendering needs.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The validated catalogue; `None` when any error was found.
    pub catalogue: Option<Catalogue>,
    /// The project, when a project was loaded without errors.
    pub project: Option<Project>,
    pub diagnostics: Vec<Diagnostic>,
    pub files: SourceMap,
}

impl Loaded {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }
}

/// Loads a catalogue from files and folders (folders are searched recursively for `*.toml`, skipping
/// `tiendo.toml`, hidden folders and `target`).
pub fn load_catalogue(fs: &dyn FileSystem, paths: &[PathBuf]) -> Loaded {
    let mut loader = Loader::new(fs);
    let mut raw = RawCatalogue::default();
    let files = loader.discover(paths, None);
    for path in files {
        loader.read_catalogue_file(&path, &mut raw);
    }
    loader.finish(raw, None)
}

/// Loads the project in folder `dir` (its `tiendo.toml`, the catalogue it names, and the paths of its data
/// files and plugins).
pub fn load_project(fs: &dyn FileSystem, dir: &Path) -> Loaded {
    project::load(fs, dir)
}

/// Loads whatever `path` is: a project folder (with `tiendo.toml`), a `tiendo.toml` file, a catalogue folder or
/// a single catalogue file.
pub fn load_path(fs: &dyn FileSystem, path: &Path) -> Loaded {
    if fs.is_dir(path) && fs.exists(&path.join(PROJECT_FILE)) && !fs.is_dir(&path.join(PROJECT_FILE)) {
        return load_project(fs, path);
    }
    if path.file_name().is_some_and(|name| name == PROJECT_FILE) && !fs.is_dir(path) {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        return load_project(fs, &dir);
    }
    load_catalogue(fs, &[path.to_path_buf()])
}

/// Shared machinery of catalogue and project loading.
pub(crate) struct Loader<'a> {
    pub fs: &'a dyn FileSystem,
    pub files: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    ids_in_tree: std::collections::BTreeMap<Kind, BTreeSet<String>>,
    seen_paths: BTreeSet<PathBuf>,
    /// Folders walked, by their path with links resolved: a folder reached again is not read again.
    walked: BTreeSet<PathBuf>,
    /// Folder entries looked at, against [`MAX_WALK_ENTRIES`].
    entries_seen: usize,
    /// Whether large catalogue files of `[[…]]` elements are read piece by piece ([`chunks`]); tests turn it off
    /// to compare with reading them whole.
    cut_large_files: bool,
}

impl<'a> Loader<'a> {
    pub fn new(fs: &'a dyn FileSystem) -> Self {
        Loader {
            fs,
            files: SourceMap::new(),
            diagnostics: Vec::new(),
            ids_in_tree: Default::default(),
            seen_paths: BTreeSet::new(),
            walked: BTreeSet::new(),
            entries_seen: 0,
            cut_large_files: true,
        }
    }

    /// The `.toml` files under `paths`, each once, in path order per argument. `origin` is where the paths
    /// were named (a span in `tiendo.toml`), for the diagnostic when one does not exist.
    pub fn discover(&mut self, paths: &[PathBuf], origin: Option<&[tiendo_core::Span]>) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for (index, path) in paths.iter().enumerate() {
            let path = files::normalize_path(path);
            let span = origin.and_then(|spans| spans.get(index)).cloned();
            if !self.fs.exists(&path) {
                let (message, hint) = match files::written_otherwise(self.fs, &path) {
                    Some(on_disk) => (
                        format!(
                            "`{}` does not exist as written, but `{}` does: the two names look the same and are \
                             written with other Unicode code points",
                            files::display_name(&path),
                            files::display_name(&on_disk)
                        ),
                        files::OTHER_FORM_HINT,
                    ),
                    None => (
                        format!("`{}` does not exist", files::display_name(&path)),
                        "check the path; relative paths start from the current folder or from `tiendo.toml`",
                    ),
                };
                self.diagnostics.push(
                    Diagnostic::error(codes::UNREADABLE_PATH.code, codes::UNREADABLE_PATH.name, message)
                        .with_span(span)
                        .with_hint(hint),
                );
                continue;
            }
            if self.fs.is_dir(&path) {
                let before = out.len();
                self.walk(&path, &mut out, &mut Vec::new());
                if out.len() == before {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::NO_INPUT_FILES.code,
                            codes::NO_INPUT_FILES.name,
                            format!("no `.toml` files in `{}`", files::display_name(&path)),
                        )
                        .with_span(span)
                        .with_hint("a catalogue folder holds `.toml` files, in any sub-folders"),
                    );
                }
            } else {
                out.push(path);
            }
        }
        out.retain(|path| self.seen_paths.insert(path.clone()));
        // The same file reached through a link is read once.
        let mut canonical = BTreeSet::new();
        out.retain(|path| self.fs.canonical(path).is_none_or(|resolved| canonical.insert(resolved)));
        out
    }

    /// Whether the TOML read so far declares `id` for `kind`.
    pub fn declares(&self, kind: Kind, id: &str) -> bool {
        self.ids_in_tree.get(&kind).is_some_and(|ids| ids.contains(id))
    }

    /// Marks `path` as read, so that folder walks do not read it again.
    pub fn seen_paths_insert(&mut self, path: PathBuf) {
        self.seen_paths.insert(path);
    }

    /// Adds the `.toml` files under `dir` to `out`. `stack` holds the folders being walked, with links resolved:
    /// a link back to one of them is a loop, reported once, and a folder reached again another way is not read
    /// again.
    fn walk(&mut self, dir: &Path, out: &mut Vec<PathBuf>, stack: &mut Vec<PathBuf>) {
        let resolved = self.fs.canonical(dir);
        if let Some(resolved) = resolved.clone() {
            if stack.contains(&resolved) {
                let message = format!(
                    "symbolic link loop: `{}` leads back to `{}`, which is being read",
                    files::display_name(dir),
                    resolved.display()
                );
                self.diagnostics.push(
                    Diagnostic::error(codes::UNREADABLE_PATH.code, codes::UNREADABLE_PATH.name, message)
                        .with_hint("remove the link; the folder it points to is read once"),
                );
                return;
            }
            if !self.walked.insert(resolved.clone()) {
                return;
            }
            stack.push(resolved);
        } else if dir.components().count() > 64 {
            // Without links resolved, a depth limit guards against loops.
            return;
        }
        self.walk_entries(dir, out, stack);
        if resolved.is_some() {
            stack.pop();
        }
    }

    fn walk_entries(&mut self, dir: &Path, out: &mut Vec<PathBuf>, stack: &mut Vec<PathBuf>) {
        let mut entries = match self.fs.read_dir(dir) {
            Ok(entries) => entries,
            Err(error) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::UNREADABLE_PATH.code,
                        codes::UNREADABLE_PATH.name,
                        format!("cannot list `{}`: {error}", files::display_name(dir)),
                    )
                    .with_hint("check that you may read the folder"),
                );
                return;
            }
        };
        entries.sort();
        for entry in entries {
            self.entries_seen += 1;
            if self.entries_seen > MAX_WALK_ENTRIES {
                if self.entries_seen == MAX_WALK_ENTRIES + 1 {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::UNREADABLE_PATH.code,
                            codes::UNREADABLE_PATH.name,
                            format!("more than {MAX_WALK_ENTRIES} files and folders under the catalogue paths; stopped at `{}`", files::display_name(&entry)),
                        )
                        .with_hint("name the catalogue's own folder in `tiendo.toml`, not a folder above it"),
                    );
                }
                return;
            }
            let name = entry.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.starts_with('.') || SKIPPED_NAMES.contains(&name.as_str()) {
                continue;
            }
            if self.fs.is_dir(&entry) {
                self.walk(&entry, out, stack);
            } else if name.ends_with(".toml") && name != PROJECT_FILE {
                out.push(files::normalize_path(&entry));
            }
        }
    }

    /// Reads `path` as UTF-8 into the source map. Reports unreadable and non-UTF-8 files.
    pub fn read_text(&mut self, path: &Path) -> Option<FileId> {
        let name = files::display_name(path);
        let bytes = match self.fs.read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::UNREADABLE_PATH.code,
                        codes::UNREADABLE_PATH.name,
                        format!("cannot read `{name}`: {error}"),
                    )
                    .with_hint("check that the file exists and that you may read it"),
                );
                return None;
            }
        };
        match String::from_utf8(bytes) {
            Ok(text) => Some(self.files.add(SourceFile::new(name, text))),
            Err(error) => {
                let valid_up_to = error.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
                let id = self.files.add(SourceFile::new(name.clone(), text));
                let width = char::REPLACEMENT_CHARACTER.len_utf8();
                let span = self.files.span(id, valid_up_to..valid_up_to + width);
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::INVALID_UTF8.code,
                        codes::INVALID_UTF8.name,
                        format!("`{name}` is not UTF-8 text (invalid byte at offset {valid_up_to})"),
                    )
                    .with_span(Some(span))
                    .with_hint("save the file as UTF-8; files saved as Windows-1258 or TCVN3 lose their diacritics"),
                );
                None
            }
        }
    }

    /// Parses file `id` as TOML. On syntax errors it reports them all, remembers the ids the file declares (so
    /// that other files' references to them are not reported as unknown) and returns `None`.
    pub fn parse<'t>(&mut self, id: FileId, text: &'t str) -> Option<toml::Spanned<DeTable<'t>>> {
        let (table, mut errors) = DeTable::parse_recoverable(text);
        if errors.is_empty() {
            return Some(table);
        }
        errors.sort_by_key(|error| error.span().map(|range| (range.start, range.end)));
        // Error recovery cascades: after the first error on a line the rest of that line is noise, and after a few
        // lines the file is better fixed from the top. Report one error per line, at most a few per file.
        let mut lines_seen = BTreeSet::new();
        let mut reported: Vec<Diagnostic> = Vec::new();
        let mut not_shown = 0usize;
        for error in errors {
            let range = error.span().unwrap_or(0..0);
            let span = self.files.span(id, range);
            if !lines_seen.insert(span.line) {
                continue;
            }
            if reported.len() == MAX_SYNTAX_ERRORS_PER_FILE {
                not_shown += 1;
                continue;
            }
            let message = error.message().trim().trim_end_matches('.').to_owned();
            reported.push(
                Diagnostic::error(codes::TOML_SYNTAX.code, codes::TOML_SYNTAX.name, format!("invalid TOML: {message}"))
                    .with_span(Some(span))
                    .with_hint("see docs/toml-reference.md; strings need quotes, dates look like `2021-02-09`"),
            );
        }
        if not_shown > 0
            && let Some(last) = reported.last_mut()
        {
            last.hints.push(format!(
                "{not_shown} more lines of this file have syntax errors; fix these first and check again"
            ));
        }
        self.diagnostics.extend(reported);
        self.harvest_ids(table.get_ref());
        None
    }

    /// Remembers the ids a file declares straight from the TOML tree, so that a table that cannot be read (a
    /// syntax error, a missing key) does not also make every reference to it "unknown".
    fn harvest_ids(&mut self, table: &DeTable<'_>) {
        for kind in Kind::ALL {
            let Some(node) = table.iter().find(|(k, _)| k.get_ref() == kind.table()).map(|(_, v)| v) else {
                continue;
            };
            let DeValue::Array(items) = node.get_ref() else { continue };
            for item in items.iter() {
                if let DeValue::Table(entry) = item.get_ref()
                    && let Some((_, id)) = entry.iter().find(|(k, _)| k.get_ref() == "id")
                    && let Some(id) = id.get_ref().as_str()
                {
                    self.ids_in_tree.entry(kind).or_default().insert(id.to_owned());
                }
            }
        }
    }

    /// Reads one catalogue file into `raw`.
    pub fn read_catalogue_file(&mut self, path: &Path, raw: &mut RawCatalogue) {
        let Some(id) = self.read_text(path) else { return };
        let source = self.files.get(id).clone();
        let cuts = if self.cut_large_files {
            let tables: Vec<&str> =
                Kind::ALL.iter().filter(|kind| **kind != Kind::Plugin).map(|kind| kind.table()).collect();
            chunks::cut_points(&source.text, &tables)
        } else {
            Vec::new()
        };
        if !cuts.is_empty() && self.read_catalogue_pieces(id, &source, &cuts, raw) {
            return;
        }
        let Some(table) = self.parse(id, &source.text) else { return };
        self.harvest_ids(table.get_ref());
        // The parsed tables are moved, not copied: a catalogue of every commune is tens of megabytes of them.
        let span = table.span();
        let mut filtered = DeTable::new();
        let mut reader = Reader { file: id, source: &source, diagnostics: &mut self.diagnostics };
        for (key, value) in table.into_inner() {
            if PROJECT_ONLY_KEYS.contains(&key.get_ref().as_ref()) {
                reader.report(
                    codes::MISPLACED_TABLE,
                    key.span(),
                    format!("`{}` belongs in `tiendo.toml`, not in a catalogue file", key.get_ref()),
                    Some("move it to the project's `tiendo.toml`".to_owned()),
                );
            } else {
                filtered.insert(key, value);
            }
        }
        let node = toml::Spanned::new(span, DeValue::Table(filtered));
        if let Some(file) = RawCatalogueFile::from_toml(&node, &mut reader) {
            raw.extend(file);
        }
    }

    /// Reads a large catalogue file of `[[…]]` elements piece by piece (cut at `cuts`, see [`chunks`]), so that
    /// only one piece's TOML tree is held at a time. Returns `false`, having changed nothing but the ids remembered,
    /// if a piece has a TOML syntax error: the caller then parses the file whole, so that syntax errors are reported
    /// exactly as for any file.
    fn read_catalogue_pieces(
        &mut self,
        id: FileId,
        source: &SourceFile,
        cuts: &[usize],
        raw: &mut RawCatalogue,
    ) -> bool {
        let starts = std::iter::once(0).chain(cuts.iter().copied());
        let ends = cuts.iter().copied().chain(std::iter::once(source.text.len()));
        let mut buffer = String::new();
        let mut files = Vec::new();
        let mut diagnostics = Vec::new();
        for (start, end) in starts.zip(ends) {
            let text = chunks::padded(&mut buffer, &source.text, start..end);
            let (table, errors) = DeTable::parse_recoverable(text);
            if !errors.is_empty() {
                return false;
            }
            self.harvest_ids(table.get_ref());
            let node = toml::Spanned::new(table.span(), DeValue::Table(table.into_inner()));
            let mut reader = Reader { file: id, source, diagnostics: &mut diagnostics };
            files.extend(RawCatalogueFile::from_toml(&node, &mut reader));
        }
        self.diagnostics.extend(diagnostics);
        for file in files {
            raw.extend(file);
        }
        true
    }

    /// Reads a project file.
    pub fn read_project_file(&mut self, path: &Path) -> Option<RawProjectFile> {
        let id = self.read_text(path)?;
        let source = self.files.get(id).clone();
        let table = self.parse(id, &source.text)?;
        self.harvest_ids(table.get_ref());
        let node = toml::Spanned::new(table.span(), DeValue::Table(table.into_inner()));
        let mut reader = Reader { file: id, source: &source, diagnostics: &mut self.diagnostics };
        RawProjectFile::from_toml(&node, &mut reader)
    }

    /// Validates everything read and sorts the diagnostics.
    pub fn finish(mut self, mut raw: RawCatalogue, plugins: Option<Vec<raw::RawPlugin>>) -> Loaded {
        raw.plugins = plugins;
        raw.ids_in_broken_files = std::mem::take(&mut self.ids_in_tree);
        let (catalogue, diagnostics) = validate::validate(&raw, &self.files);
        self.diagnostics.extend(diagnostics);
        sort_diagnostics(&mut self.diagnostics);
        let has_errors = self.diagnostics.iter().any(Diagnostic::is_error);
        Loaded {
            catalogue: (!has_errors).then_some(catalogue),
            project: None,
            diagnostics: self.diagnostics,
            files: self.files,
        }
    }
}
