//! Loads a review project for the commands that evaluate it (`eval`, `report`): the TOML project through
//! tiendo-load, with its diagnostics rendered to standard error when it has errors.

use std::path::Path;

use anyhow::bail;
use tiendo_load::files::SourceMap;
use tiendo_load::render::render_human;
use tiendo_load::{Project, RealFileSystem, load_project};

use crate::output;

/// Loads the project in `dir`, with the TOML texts read (to locate plugin wiring faults in them and to give their
/// digests). A project with errors is a tool failure for the commands that need it: they print the same diagnostics
/// as `tiendo check` and stop.
pub fn load_with_sources(dir: &Path, colour: bool) -> anyhow::Result<(Project, SourceMap)> {
    let loaded = load_project(&crate::builtin::file_system(&RealFileSystem), dir);
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
        Some(project) => Ok((project, loaded.files)),
        None => bail!("{} is not a project folder: it has no tiendo.toml", dir.display()),
    }
}

/// The sandboxed host with the project's plugins loaded, or `None` when the project declares none, and the
/// diagnostics of its wiring (printed here to standard error, as `file:line:col` lines).
///
/// A plugin that cannot be used (an invalid sidecar, a sidecar that disagrees with the pin, a missing file, a
/// sha256 mismatch, a wrong interface version…) is refused by the host and fails only its own metrics during
/// evaluation, which the outputs then show; only a host that cannot start at all is an error here.
pub fn plugin_host(
    project: &Project,
    files: &mut SourceMap,
) -> anyhow::Result<(Option<tiendo_plugin_host::PluginHost>, Vec<tiendo_core::Diagnostic>)> {
    let Some(wiring) = crate::wiring::load(&project.plugins, files)? else { return Ok((None, Vec::new())) };
    let text: String =
        wiring.diagnostics.iter().map(|d| crate::cmd::eval::render_diagnostic(d) + "\n").collect::<Vec<_>>().concat();
    output::stderr(&text);
    Ok((Some(wiring.host), wiring.diagnostics))
}

/// How many threads the evaluation may use: both cores of a typical machine at most; the binary asks the machine so
/// that the pure evaluation crate does not have to.
pub fn evaluation_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from).min(2)
}
