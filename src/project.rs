//! Loads a review project for the commands that evaluate it (`eval`, `report`): the TOML project through
//! tiendo-load, with its diagnostics rendered to standard error when it has errors.

use std::path::{Path, PathBuf};

use anyhow::bail;
use tiendo_load::render::render_human;
use tiendo_load::{Project, RealFileSystem, load_project};

use crate::output;

/// Loads the project in `dir`. A project with errors is a tool failure for the commands that need it: they
/// print the same diagnostics as `tiendo check` and stop.
pub fn load(dir: &Path, colour: bool) -> anyhow::Result<Project> {
    load_with_files(dir, colour).map(|(project, _)| project)
}

/// Like [`load`], also giving the path of every TOML file the loader read (the project file and the catalogue), in
/// the order read, so that a report can give their digests.
pub fn load_with_files(dir: &Path, colour: bool) -> anyhow::Result<(Project, Vec<PathBuf>)> {
    let loaded = load_project(&RealFileSystem, dir);
    if loaded.has_errors() {
        output::stderr(&render_human(&loaded.diagnostics, &loaded.files, colour));
        bail!(
            "the project in {} has {} error(s); fix them (`tiendo check {}` lists them) and run again",
            dir.display(),
            loaded.error_count(),
            dir.display()
        );
    }
    match loaded.project {
        Some(project) => Ok((project, loaded.files.files().map(|(_, file)| PathBuf::from(&file.name)).collect())),
        None => bail!("{} is not a project folder: it has no tiendo.toml", dir.display()),
    }
}
