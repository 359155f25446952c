//! Writes a new folder of generated files (`tiendo init`, `tiendo plugin new`) all or nothing: into a staging folder
//! beside the target, renamed into place when every file is written.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Writes `files` (path relative to `dir`, text) as the new folder `dir`, which must not exist or be empty. A failure
/// leaves no staging folder and no half-written `dir`.
pub fn write_new_folder(dir: &Path, files: &[(String, String)]) -> anyhow::Result<()> {
    if dir.exists() && dir.read_dir().map(|mut entries| entries.next().is_some()).unwrap_or(true) {
        bail!("{} already exists and is not empty", dir.display());
    }
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = dir.file_name().map_or_else(|| "new".into(), |name| name.to_string_lossy().into_owned());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.tiendo-new-"))
        .tempdir_in(&parent)
        .with_context(|| format!("cannot create a folder in {}", parent.display()))?;
    for (relative, content) in files {
        let path = staging.path().join(relative);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))?;
        }
        std::fs::write(&path, content).with_context(|| format!("cannot write {}", dir.join(relative).display()))?;
    }
    if dir.exists() {
        std::fs::remove_dir(dir).with_context(|| format!("cannot replace the empty folder {}", dir.display()))?;
    }
    let staged = staging.keep();
    if let Err(error) = std::fs::rename(&staged, dir) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(error).with_context(|| format!("cannot create {}", dir.display()));
    }
    Ok(())
}

/// Every file under `root` that `keep` accepts, by its path relative to `root` with `/` separators, sorted (for
/// tests that compare a folder with what the binary embeds).
#[cfg(test)]
pub(crate) fn relative_files(root: &Path, keep: impl Fn(&Path) -> bool) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).expect("a readable folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if keep(&path) {
                let relative = path.strip_prefix(root).expect("under the root");
                let name = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                found.push((name, path));
            }
        }
    }
    found.sort();
    found
}
