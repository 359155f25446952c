//! Writing a rendered report safely into its output folder (`tiendo report`), split out of `report.rs`.
//!
//! Writing is all-or-nothing: the files go into a temporary folder beside the target, which is renamed into place
//! only when everything is written, so an interrupted or failed run leaves no half-written report. A folder that
//! holds something other than an earlier tiendo report (it lacks the marker file [`MARKER_FILE`]) is not replaced
//! unless the user passes `--force`.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};
use tiendo_report::RenderedReport;

/// The file that marks a folder as written by `tiendo report`, so that it may be replaced by the next run.
pub(super) const MARKER_FILE: &str = ".tiendo-report";

/// The marker's content: fixed text, so that two runs give identical folders.
pub(super) const MARKER_CONTENT: &str = "This folder was written by `tiendo report` and is replaced by the next run.\n";

/// Refuses, even with `--force`, an output folder that holds one of `inputs` (the project, the templates, the
/// working folder, the catalogue and data files): replacing it would delete the inputs of the review.
pub(super) fn check_not_an_input<'a>(out: &Path, inputs: impl IntoIterator<Item = &'a Path>) -> anyhow::Result<()> {
    // A folder that does not exist yet cannot hold anything.
    let Ok(out_full) = fs::canonicalize(out) else { return Ok(()) };
    for input in inputs {
        let Ok(input_full) = fs::canonicalize(input) else { continue };
        if input_full.starts_with(&out_full) {
            bail!(
                "--out `{}` holds `{}`, an input of this review; replacing it would delete it. Choose another --out",
                out.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// Refuses a target that is a file, or a non-empty folder without the marker, unless `force` is set.
pub(super) fn check_target(out: &Path, force: bool) -> anyhow::Result<()> {
    let metadata = match fs::symlink_metadata(out) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error).with_context(|| format!("could not inspect `{}`", out.display())),
    };
    if force {
        return Ok(());
    }
    if !metadata.is_dir() {
        bail!("`{}` exists and is not a folder; choose another --out or pass --force to replace it", out.display());
    }
    let is_report = out.join(MARKER_FILE).is_file();
    let is_empty = fs::read_dir(out).with_context(|| format!("could not read `{}`", out.display()))?.next().is_none();
    if !is_report && !is_empty {
        bail!(
            "`{}` is not empty and is not a tiendo report (it has no `{MARKER_FILE}` file); choose another --out or \
             pass --force to replace it",
            out.display()
        );
    }
    Ok(())
}

/// Whether a rendered path stays inside the output folder.
pub(super) fn is_safe_relative_path(path: &str) -> bool {
    let path = Path::new(path);
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// The prefix of the staging folder a run writes beside `out`, followed by the run's process id.
pub(super) const STAGING_PREFIX: &str = ".tiendo-report-";

/// Writes `report` into a staging folder beside `out` and swaps it into place, so that a kill at any moment leaves at
/// `out` either the old or the new complete report (issue 11, part 6):
///
/// * on Linux the two folders are exchanged in one step (`renameat2(RENAME_EXCHANGE)`), then the old one, now at
///   the staging name, is removed;
/// * where the OS has no exchange (or `out` does not exist yet), the old report is renamed aside to
///   `.NAME.tiendo-old-PID-N` and the new one renamed into place; a run killed between the two renames leaves no
///   `out`, and the next run puts the old report back before anything else ([`recover`]).
///
/// Staging and old folders left by runs that were killed are removed by the next run.
pub(super) fn write_report(report: &RenderedReport, out: &Path, force: bool) -> anyhow::Result<()> {
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("could not create `{}`", parent.display()))?;
    recover(&parent, out)?;
    // Dropping `staging` on any early return removes the half-written folder.
    let staging = tempfile::Builder::new()
        .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
        .tempdir_in(&parent)
        .with_context(|| format!("could not create a temporary folder in `{}`", parent.display()))?;
    for (relative, bytes) in &report.files {
        if !is_safe_relative_path(relative) {
            bail!("the renderer produced the unsafe path `{relative}`");
        }
        let target = staging.path().join(relative);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).with_context(|| format!("could not create `{}`", folder.display()))?;
        }
        fs::write(&target, bytes).with_context(|| format!("could not write `{}`", target.display()))?;
    }
    fs::write(staging.path().join(MARKER_FILE), MARKER_CONTENT).context("could not write the report marker")?;

    check_target(out, force)?;
    if fs::symlink_metadata(out).is_ok() && exchange(staging.path(), out).is_ok() {
        // The staging name now holds what `out` held: the old report, or a file `--force` replaces (a folder's
        // removal would fail on it, review of 6 December, helper 2, F6).
        let old = staging.keep();
        return remove_any(&old)
            .with_context(|| format!("wrote the report but could not remove the old one at `{}`", old.display()));
    }
    let backup = if fs::symlink_metadata(out).is_ok() {
        let backup = unused_sibling(&parent, out)?;
        fs::rename(out, &backup).with_context(|| format!("could not move the old `{}` aside", out.display()))?;
        Some(backup)
    } else {
        None
    };
    if let Err(error) = fs::rename(staging.path(), out) {
        if let Some(backup) = &backup {
            // Put the previous report back so that a failed run changes nothing.
            let _ = fs::rename(backup, out);
        }
        return Err(error).with_context(|| format!("could not move the new report into `{}`", out.display()));
    }
    if let Some(backup) = backup {
        remove_any(&backup)
            .with_context(|| format!("wrote the report but could not remove the old one at `{}`", backup.display()))?;
    }
    Ok(())
}

/// Exchanges two paths atomically where the OS can (Linux 3.15+ on most file systems).
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Undoes what a killed run left beside `out`: when `out` is missing and an old report was moved aside
/// (`.NAME.tiendo-old-*`), it is put back; then the old reports and staging folders of runs that are no longer
/// running are removed. A folder of a run that is still going (its process id is alive) is left alone.
pub(super) fn recover(parent: &Path, out: &Path) -> anyhow::Result<()> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report".to_owned());
    let old_prefix = format!(".{name}.tiendo-old-");
    let Ok(entries) = fs::read_dir(parent) else { return Ok(()) };
    let mut old: Vec<PathBuf> = Vec::new();
    let mut stale: Vec<PathBuf> = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = if let Some(rest) = file_name.strip_prefix(&old_prefix) {
            old.push(entry.path());
            rest.split('-').next()
        } else if let Some(rest) = file_name.strip_prefix(STAGING_PREFIX) {
            stale.push(entry.path());
            rest.split('-').next()
        } else {
            continue;
        };
        if pid.and_then(|pid| pid.parse::<u32>().ok()).is_some_and(process_is_running) {
            old.retain(|path| *path != entry.path());
            stale.retain(|path| *path != entry.path());
        }
    }
    // The most recently moved aside is the report `out` held last.
    old.sort_by_key(|path| fs::symlink_metadata(path).and_then(|m| m.modified()).ok());
    if fs::symlink_metadata(out).is_err()
        && let Some(latest) = old.pop()
    {
        fs::rename(&latest, out).with_context(|| {
            format!("could not restore the previous report from `{}` to `{}`", latest.display(), out.display())
        })?;
    }
    for path in old.into_iter().chain(stale) {
        let _ = remove_any(&path);
    }
    Ok(())
}

/// Whether process `pid` is running (this one always is); where that cannot be known, it is taken as not running
/// only for folders this run can tell are left over.
fn process_is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") { Path::new("/proc").join(pid.to_string()).exists() } else { false }
}

fn remove_any(path: &Path) -> std::io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() { fs::remove_dir_all(path) } else { fs::remove_file(path) }
}

/// A path beside `out` that does not exist yet, to hold the previous report during the swap.
fn unused_sibling(parent: &Path, out: &Path) -> anyhow::Result<PathBuf> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report".to_owned());
    for attempt in 0..1000 {
        let candidate = parent.join(format!(".{name}.tiendo-old-{}-{attempt}", std::process::id()));
        if fs::symlink_metadata(&candidate).is_err() {
            return Ok(candidate);
        }
    }
    bail!("could not find a free name beside `{}` to move the old report aside", out.display())
}
