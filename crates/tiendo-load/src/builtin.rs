//! Catalogues built into the binary: a project may name `builtin:vn` in `catalogue = […]` instead of a folder, and
//! the loader reads those files from texts the caller hands over (the binary embeds them), never from the disk.
//!
//! The loader does not know which catalogues exist or where their texts come from: the caller wraps its file system
//! in [`WithBuiltins`] with the catalogues it ships. Diagnostics in those files name them `builtin:NAME/PATH`.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::files::{FileSystem, MemoryFileSystem};

/// What a built-in catalogue's path starts with, in `tiendo.toml` and in diagnostics.
pub const BUILTIN_PREFIX: &str = "builtin:";

/// One built-in catalogue: its name (`vn` for `builtin:vn`) and its files, each a path inside it with `/`
/// separators and its text.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

impl Builtin {
    /// `builtin:NAME`, as a project names it.
    pub fn label(&self) -> String {
        format!("{BUILTIN_PREFIX}{}", self.name)
    }
}

/// Whether `path` names a built-in catalogue or a file in one (its first component starts with `builtin:`).
pub fn is_builtin(path: &Path) -> bool {
    match path.components().next() {
        Some(Component::Normal(first)) => first.to_string_lossy().starts_with(BUILTIN_PREFIX),
        _ => false,
    }
}

/// A file system that serves `builtin:NAME/…` from the built-in catalogues and every other path from `inner`.
pub struct WithBuiltins<'a> {
    inner: &'a dyn FileSystem,
    memory: MemoryFileSystem,
    labels: Vec<String>,
}

impl std::fmt::Debug for WithBuiltins<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("WithBuiltins").field("labels", &self.labels).finish_non_exhaustive()
    }
}

impl<'a> WithBuiltins<'a> {
    /// `inner` with `builtins` mounted at `builtin:NAME`.
    pub fn new(inner: &'a dyn FileSystem, builtins: &[Builtin]) -> Self {
        let mut memory = MemoryFileSystem::new();
        for builtin in builtins {
            for (path, text) in builtin.files {
                memory.insert(Path::new(&builtin.label()).join(path), text.as_bytes());
            }
        }
        WithBuiltins { inner, memory, labels: builtins.iter().map(Builtin::label).collect() }
    }
}

impl FileSystem for WithBuiltins<'_> {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if is_builtin(path) { self.memory.read(path) } else { self.inner.read(path) }
    }

    fn is_dir(&self, path: &Path) -> bool {
        if is_builtin(path) { self.memory.is_dir(path) } else { self.inner.is_dir(path) }
    }

    fn exists(&self, path: &Path) -> bool {
        if is_builtin(path) { self.memory.exists(path) } else { self.inner.exists(path) }
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        if is_builtin(path) { self.memory.read_dir(path) } else { self.inner.read_dir(path) }
    }

    fn is_file(&self, path: &Path) -> bool {
        if is_builtin(path) { self.memory.is_file(path) } else { self.inner.is_file(path) }
    }

    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        if is_builtin(path) { None } else { self.inner.canonical(path) }
    }

    fn file_id(&self, path: &Path) -> Option<(u64, u64)> {
        if is_builtin(path) { None } else { self.inner.file_id(path) }
    }

    fn builtin_labels(&self) -> Vec<String> {
        self.labels.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[(&str, &str)] = &[("a.toml", "x"), ("plans/b.toml", "y")];

    #[test]
    fn builtin_paths_come_from_memory_and_others_from_the_inner_file_system() {
        let mut disk = MemoryFileSystem::new();
        disk.insert("project/tiendo.toml", "p");
        let fs = WithBuiltins::new(&disk, &[Builtin { name: "vn", files: FILES }]);
        assert!(fs.is_dir(Path::new("builtin:vn")));
        assert_eq!(fs.read(Path::new("builtin:vn/plans/b.toml")).unwrap(), b"y");
        assert!(!fs.exists(Path::new("builtin:xx")));
        assert_eq!(fs.read(Path::new("project/tiendo.toml")).unwrap(), b"p");
        assert!(!fs.exists(Path::new("a.toml")));
        assert_eq!(fs.builtin_labels(), ["builtin:vn"]);
        assert!(is_builtin(Path::new("builtin:vn/a.toml")) && !is_builtin(Path::new("./builtin:vn")));
    }
}
