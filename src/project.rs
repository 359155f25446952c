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

/// The sandboxed host with the project's plugins loaded, or `None` when the project declares none.
///
/// A plugin that fails to load (missing file, sha256 mismatch, wrong interface version…) is remembered by the
/// host and fails only its own metrics during evaluation, which the outputs then show; only a host that cannot
/// start at all is an error here.
pub fn plugin_host(project: &Project) -> anyhow::Result<Option<tiendo_plugin_host::PluginHost>> {
    use anyhow::Context;
    use tiendo_core::plugin::PluginManifest;
    use tiendo_plugin_host::{HostConfig, PluginHost};

    if project.plugins.is_empty() {
        return Ok(None);
    }
    let config = HostConfig { cache_dir: crate::cmd::plugin::default_cache_dir(), ..HostConfig::default() };
    let mut host = PluginHost::new(config).context("cannot start the plugin host")?;
    for declaration in &project.plugins {
        // The loader has already resolved the path against the project folder.
        let wasm = std::path::PathBuf::from(&declaration.path);
        // A reviewed sidecar (`x.plugin.toml` beside `x.wasm`) may raise limits; otherwise the declaration in
        // tiendo.toml is the manifest.
        let sidecar = wasm.with_extension("plugin.toml");
        let manifest = match std::fs::read_to_string(&sidecar) {
            Ok(text) => tiendo_load::plugin_manifest::parse_plugin_manifest(&text)
                .with_context(|| format!("invalid plugin manifest {}", sidecar.display()))?,
            Err(_) => PluginManifest::from_declaration(declaration),
        };
        // The error is kept by the host and reported with the plugin's metrics.
        let _ = host.load_file(&manifest, &wasm);
    }
    Ok(Some(host))
}

/// How many threads the evaluation may use: both cores of a typical machine at most; the binary asks the machine so
/// that the pure evaluation crate does not have to.
pub fn evaluation_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from).min(2)
}
