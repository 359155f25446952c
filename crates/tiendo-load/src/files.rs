//! Input files: the [`FileSystem`] trait the loader reads through, and the [`SourceMap`] that keeps every text
//! it read so that diagnostics can show the offending line.

use std::collections::BTreeMap;
use std::io;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use tiendo_core::Span;

/// What the loader needs from a file system. The binary uses [`RealFileSystem`]; tests use
/// [`MemoryFileSystem`] so that they never touch the disk.
pub trait FileSystem {
    /// The bytes of the file at `path`.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Whether `path` is a folder.
    fn is_dir(&self, path: &Path) -> bool;
    /// Whether anything exists at `path`.
    fn exists(&self, path: &Path) -> bool;
    /// The entries of the folder at `path` (full paths), in any order.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    /// Whether `path` is a regular file (not a folder, FIFO, device or socket), following links.
    fn is_file(&self, path: &Path) -> bool {
        self.exists(path) && !self.is_dir(path)
    }
    /// The path with every link resolved, which identifies a folder however it was reached; `None` where the file
    /// system has no links.
    fn canonical(&self, _path: &Path) -> Option<PathBuf> {
        None
    }
    /// The file's identity on its device (device and inode), which two hard links to one file share; `None` where
    /// the file system cannot tell.
    fn file_id(&self, _path: &Path) -> Option<(u64, u64)> {
        None
    }
    /// The built-in catalogues this file system serves (`builtin:vn`), for the hint when a project names another.
    fn builtin_labels(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The largest catalogue or project file read: 16 MiB, hundreds of times the whole real catalogue. The cap counts the
/// bytes actually read, since some files (`/proc`) report a size of 0.
pub const MAX_TOML_BYTES: u64 = 16 << 20;

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealFileSystem;

impl FileSystem for RealFileSystem {
    /// Reads a regular file of at most [`MAX_TOML_BYTES`]; a FIFO, device or socket is refused before it is
    /// opened, so that it cannot block.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        use std::io::Read;
        let metadata = std::fs::metadata(path)?;
        if !metadata.is_file() {
            return Err(io::Error::other("it is not a regular file (a FIFO, device or socket)"));
        }
        // Room for the whole file as its size says, so the text is held without the spare half that growing by
        // doubling leaves (the text stays in memory for diagnostics: 1.3 MB of W2's 2.7 MB catalogue file).
        let mut bytes = Vec::with_capacity(metadata.len().min(MAX_TOML_BYTES + 1) as usize);
        std::fs::File::open(path)?.take(MAX_TOML_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_TOML_BYTES {
            return Err(io::Error::other("it is larger than 16 MiB, the cap on a catalogue file"));
        }
        Ok(bytes)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(path).ok()
    }

    #[cfg(unix)]
    fn file_id(&self, path: &Path) -> Option<(u64, u64)> {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::read_dir(path)?.map(|entry| entry.map(|e| e.path())).collect()
    }
}

/// Files held in memory, keyed by path; folders are implied by the files' paths.
#[derive(Debug, Default, Clone)]
pub struct MemoryFileSystem {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryFileSystem {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl Into<PathBuf>, contents: impl Into<Vec<u8>>) -> &mut Self {
        self.files.insert(normalize_path(&path.into()), contents.into());
        self
    }
}

impl FileSystem for MemoryFileSystem {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let path = normalize_path(path);
        if self.is_dir(&path) {
            return Err(io::Error::other("is a directory"));
        }
        self.files.get(&path).cloned().ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }

    fn is_dir(&self, path: &Path) -> bool {
        let path = normalize_path(path);
        self.files.keys().any(|file| file != &path && (path.as_os_str().is_empty() || file.starts_with(&path)))
    }

    fn exists(&self, path: &Path) -> bool {
        let path = normalize_path(path);
        self.files.contains_key(&path) || self.is_dir(&path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let path = normalize_path(path);
        if !self.is_dir(&path) {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no such folder"));
        }
        let mut entries: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|file| {
                let rest = file.strip_prefix(&path).ok()?;
                let first = rest.components().next()?;
                Some(path.join(first))
            })
            .collect();
        entries.dedup();
        Ok(entries)
    }
}

/// Removes `.` components and resolves `..` against earlier components without touching the disk, so that
/// `examples/national/../../indicators/a.toml` is shown as `indicators/a.toml`.
pub fn normalize_path(path: &Path) -> PathBuf {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => parts.push(component),
            },
            other => parts.push(other),
        }
    }
    parts.iter().collect()
}

/// Identifies a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// One text that was read, with the name diagnostics show for it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user gave it (joined and normalised), with `/` separators.
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts =
            std::iter::once(0).chain(text.match_indices('\n').map(|(index, _)| index + 1)).collect::<Vec<_>>();
        // Kept as long as the text: without the spare room of its growth.
        line_starts.shrink_to_fit();
        SourceFile { name: name.into(), text, line_starts }
    }

    /// The 0-based line index that contains byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// The byte range of 0-based line `line`, without its line break.
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let end = self.line_starts.get(line + 1).map_or(self.text.len(), |next| next - 1);
        let end = if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') { end - 1 } else { end };
        Some(start..end.max(start))
    }

    /// Clamps `range` to the text and to character boundaries, so that any range a parser reports is safe.
    pub fn clamp(&self, range: Range<usize>) -> Range<usize> {
        let mut start = range.start.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = range.end.clamp(start, self.text.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }

    /// The core [`Span`] of `range`: file name, bytes, 1-based line and column (in characters).
    pub fn span(&self, range: Range<usize>) -> Span {
        let range = self.clamp(range);
        let line = self.line_index(range.start);
        let line_start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = self.text[line_start..range.start].chars().count() + 1;
        Span { file: self.name.clone(), start: range.start, end: range.end, line: line + 1, column }
    }
}

/// Every text the loader read, in the order it read them.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    /// The file that diagnostics call `name`.
    pub fn by_name(&self, name: &str) -> Option<(FileId, &SourceFile)> {
        self.files.iter().enumerate().find(|(_, f)| f.name == name).map(|(i, f)| (FileId(i), f))
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i), f))
    }

    /// The core [`Span`] of `range` in file `id`.
    pub fn span(&self, id: FileId, range: Range<usize>) -> Span {
        self.get(id).span(range)
    }
}

/// The hint for a path written in another Unicode form than the name on disk ([`written_otherwise`]).
pub const OTHER_FORM_HINT: &str = "retype the name in `tiendo.toml` (a name copied from a Mac or a zip may be \
                                    decomposed: letters and their accents as separate code points), or rename the file";

/// The path on disk that `missing` names in another Unicode form: each component that does not exist as written is
/// looked up among its folder's entries by its NFC form (a name typed decomposed, as macOS writes it, beside the
/// composed name on disk, or the reverse, look the same and are different bytes: round 70, found by an adversarial
/// tester). `None` when no such path exists.
pub fn written_otherwise(fs: &dyn FileSystem, missing: &Path) -> Option<PathBuf> {
    use unicode_normalization::UnicodeNormalization;
    let nfc = |text: &str| text.nfc().collect::<String>();
    let mut found = PathBuf::new();
    let mut changed = false;
    for component in missing.components() {
        let next = found.join(component);
        if fs.exists(&next) {
            found = next;
            continue;
        }
        let Component::Normal(name) = component else { return None };
        let wanted = nfc(&name.to_string_lossy());
        let folder = if found.as_os_str().is_empty() { Path::new(".") } else { found.as_path() };
        let entries = fs.read_dir(folder).ok()?;
        let entry = entries.iter().find(|e| e.file_name().is_some_and(|n| nfc(&n.to_string_lossy()) == wanted))?;
        found = found.join(entry.file_name()?);
        changed = true;
    }
    changed.then_some(found)
}

/// The name diagnostics show for `path`: normalised, with `/` separators on every platform.
pub fn display_name(path: &Path) -> String {
    let normalized = normalize_path(path);
    let parts: Vec<String> = normalized.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let joined = parts.join("/");
    if joined.starts_with("//") { joined[1..].to_owned() } else { joined }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_characters_not_bytes() {
        let file = SourceFile::new("a.toml", "id = \"x\"\nname = \"Hà Nội\" # ý\r\nlast");
        let start = file.text.find('#').unwrap();
        let span = file.span(start..start + 1);
        assert_eq!((span.line, span.column), (2, 17));
        assert_eq!(file.line_range(1).map(|r| &file.text[r]), Some("name = \"Hà Nội\" # ý"));
        assert_eq!(file.span(999..1000).line, 3);
    }

    #[test]
    fn memory_file_system_lists_folders() {
        let mut fs = MemoryFileSystem::new();
        fs.insert("cat/a.toml", "").insert("cat/sub/b.toml", "").insert("other.toml", "");
        assert!(fs.is_dir(Path::new("cat")));
        assert!(!fs.is_dir(Path::new("cat/a.toml")));
        let mut entries = fs.read_dir(Path::new("cat")).unwrap();
        entries.sort();
        assert_eq!(entries, [PathBuf::from("cat/a.toml"), PathBuf::from("cat/sub")]);
        assert_eq!(display_name(Path::new("examples/national/../../indicators/./a.toml")), "indicators/a.toml");
    }
}
