//! `tiendo check`: loads a project, a catalogue folder or a file and reports every problem; a project's data rows
//! stream through the reader's checks without the evaluation store.

use std::path::PathBuf;
use std::process::ExitCode;

use tiendo_load::render::{render_human, render_json};
use tiendo_load::{RealFileSystem, load_path};

use crate::cli::{CheckArgs, CheckFormat, GlobalOptions};
use crate::output;

/// Plain settings for a check, independent of clap.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    pub path: PathBuf,
    pub format: CheckFormat,
    pub colour: bool,
}

pub fn run(args: CheckArgs, global: &GlobalOptions) -> anyhow::Result<ExitCode> {
    if let Some(data) = args.path.as_deref().filter(|p| is_data_file(p)) {
        // A data file read as TOML gave one "invalid TOML" per line (round 70, found by an adversarial tester).
        anyhow::bail!(
            "`{}` is a data file: `tiendo check` reads a project (whose tiendo.toml lists its data files, each checked \
             row by row) or a catalogue\n  = hint: run `tiendo check` in the project's folder, or `tiendo check \
             PROJECT_FOLDER`; list the file under `data` in its tiendo.toml if it is not there",
            data.display()
        );
    }
    let path = crate::project::find_project(args.path)?;
    let settings = CheckSettings { path, format: args.format, colour: output::colour_stdout(global.color) };
    let mut loaded = load_path(&crate::builtin::file_system(&RealFileSystem), &settings.path);
    // A project holds its own copy of the catalogue, which is all `check` reads from here on: the loader's copy is
    // dropped before the rows are scanned (W2: 13 MB of `check`'s peak, with 24,000 communes).
    if loaded.project.is_some() {
        loaded.catalogue = None;
    }
    // A project's data files are checked too, row by row, as `eval` and `report` would read them.
    let data_diagnostics = match &mut loaded.project {
        Some(project) => {
            // The catalogue is lent to the scan, not copied: with 24,000 communes a copy is 5 MB of `check`'s peak.
            let catalogue = std::mem::take(&mut project.catalogue);
            let mut inputs = crate::cmd::eval::ProjectInputs::of(project);
            inputs.catalogue = catalogue;
            let scanned = scan_data(&inputs);
            project.catalogue = inputs.catalogue;
            let mut diagnostics = scanned?;
            crate::cmd::eval::sort_diagnostics(&mut diagnostics);
            diagnostics
        }
        None => Vec::new(),
    };
    // The plugins are loaded as `report` would load them, and asked what they declare (nothing is computed).
    let mut files = loaded.files.clone();
    let (plugin_diagnostics, host) = match &loaded.project {
        Some(project) => plugin_wiring(project, &mut files)?,
        None => (Vec::new(), None),
    };
    // The narrative's helpers are resolved against the evaluated review (only when there is a narrative).
    let narrative_diagnostics = match &loaded.project {
        Some(project) => crate::cmd::narrative::check_project(project, host.as_ref(), crate::cmd::eval::today())?,
        None => Vec::new(),
    };
    let data_files = loaded.project.as_ref().map_or(0, |p| p.data_files.len());
    let found = || data_diagnostics.iter().chain(&plugin_diagnostics).chain(&narrative_diagnostics);
    let errors = loaded.error_count() + found().filter(|d| d.is_error()).count();
    let warnings = loaded.warning_count() + found().filter(|d| !d.is_error()).count();
    let sidecars = files.files().count() - loaded.files.files().count();
    match settings.format {
        CheckFormat::Json => {
            let all: Vec<_> = loaded.diagnostics.iter().chain(found()).cloned().collect();
            output::stdout_data(&render_json(&all))?;
        }
        CheckFormat::Human => {
            let mut text = render_human(&loaded.diagnostics, &loaded.files, settings.colour);
            text.push_str(&render_human(&plugin_diagnostics, &files, settings.colour));
            text.push_str(&render_human(&narrative_diagnostics, &files, settings.colour));
            text.push_str(&crate::cmd::eval::render_for_people(&data_diagnostics));
            text.push_str(&summary(errors, warnings, loaded.files.files().count() + data_files + sidecars));
            output::stdout_human(&text, settings.colour)?;
        }
    }
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The size of the pieces `check` reads a data file in (`eval` uses 4 MiB). `check` keeps no row, so the pieces in
/// flight (up to `2 x threads` queued, one per parsing thread, one being read, and parsed ones waiting to be merged
/// in order) are most of its memory beside the key fingerprints and the catalogue: on W2, 512 KiB pieces held
/// 10.5 MB at the peak, 4 MiB ones 38 MB. Smaller pieces cost CPU (each is handed between threads): 128 KiB ones
/// took about a tenth more of `check`'s CPU (issue 15).
const SCAN_CHUNK_BYTES: usize = 256 << 10;

/// The diagnostics of a project's data rows, every one `eval` gives on them, without the evaluation store: the
/// files stream through the reader's checks, keeping a hash of each row's key taken from what its cells were looked
/// up as (nothing is interned); rows repeating a key, across files (E301), are then found on those hashes, and only
/// if some hash repeats are the files read a second time for the exact keys and places of those rows
/// ([`tiendo_core::eval::duplicates`]).
fn scan_data(inputs: &crate::cmd::eval::ProjectInputs) -> anyhow::Result<Vec<tiendo_core::Diagnostic>> {
    use tiendo_core::eval::duplicates::{DuplicateResolve, DuplicateScan};
    use tiendo_load::observations::{ReadOptions, scan_observation_keys_from, scan_observations_from};
    let catalogue = &inputs.catalogue;
    let mut scan = DuplicateScan::new();
    let mut diagnostics = crate::cmd::eval::for_each_data_file(inputs, &mut |shown, file, options| {
        let options = ReadOptions { chunk_bytes: SCAN_CHUNK_BYTES, ..options };
        scan_observation_keys_from(shown, file, catalogue, options, &mut |keys| scan.absorb_keys(keys))
    })?;
    let candidates = scan.candidates();
    if !candidates.is_empty() {
        let mut resolve = DuplicateResolve::new(candidates);
        // The second reading's row diagnostics are those of the first.
        crate::cmd::eval::for_each_data_file(inputs, &mut |shown, file, options| {
            let options = ReadOptions { chunk_bytes: SCAN_CHUNK_BYTES, ..options };
            scan_observations_from(shown, file, catalogue, options, &mut |piece| resolve.absorb(piece))
        })?;
        diagnostics.extend(resolve.diagnostics());
    }
    Ok(diagnostics)
}

/// The diagnostics of the project's plugin wiring: sidecars, pins, files, checksums, interface versions, and every
/// plugin metric an indicator names (E401-E405, W401); and the host, to evaluate the narrative's figures with.
fn plugin_wiring(
    project: &tiendo_load::Project,
    files: &mut tiendo_load::files::SourceMap,
) -> anyhow::Result<(Vec<tiendo_core::Diagnostic>, Option<tiendo_plugin_host::PluginHost>)> {
    let Some(wiring) = crate::wiring::load(&project.plugins, files)? else { return Ok((Vec::new(), None)) };
    let mut diagnostics = wiring.diagnostics;
    diagnostics.extend(crate::wiring::metric_diagnostics(&project.catalogue, &wiring.host, files));
    Ok((diagnostics, Some(wiring.host)))
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 { format!("1 {word}") } else { format!("{count} {word}s") }
}

/// The closing line: what was checked and what was found.
fn summary(errors: usize, warnings: usize, files: usize) -> String {
    let checked = plural(files, "file");
    if errors == 0 && warnings == 0 {
        format!("checked {checked}: no problems found\n")
    } else {
        format!("checked {checked}: {}, {}\n", plural(errors, "error"), plural(warnings, "warning"))
    }
}

/// Whether `path` names a data file (`.csv`, `.xlsx`, `.xlsm`, `.xls`), which `check` reads only through its project.
fn is_data_file(path: &std::path::Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(extension.as_deref(), Some("csv" | "xlsx" | "xlsm" | "xls"))
}
