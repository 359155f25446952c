//! A project's plugins as they were reviewed (issue 11, parts 3 and 4): the sha256 pinned in `tiendo.toml` is the
//! authority, a sidecar (`x.plugin.toml` beside `x.wasm`) may only add limits, a version and metric ranges, and
//! every fault in the wiring is a located diagnostic. `check`, `eval` and `report` share this, so that a clean
//! `check` means the plugins `report` runs are the reviewed ones and load.

use std::path::{Path, PathBuf};

use tiendo_core::diagnostic::{Diagnostic, Span};
use tiendo_core::model::{Catalogue, Formula, PluginDecl};
use tiendo_core::plugin::PluginManifest;
use tiendo_load::files::{SourceFile, SourceMap};
use tiendo_load::plugin_manifest::{LocatedManifest, codes, parse_sidecar};
use tiendo_plugin_host::{HostConfig, PluginErrorKind, PluginHost};

/// A sidecar larger than this is refused unread (a real one is a few hundred bytes).
const MAX_SIDECAR_BYTES: u64 = 64 * 1024;

/// The plugin host with every declared plugin loaded or refused, and what was found on the way.
pub struct Wiring {
    pub host: PluginHost,
    /// Located problems: sidecar faults, pin mismatches, plugins that cannot be used, refused cache entries.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads every plugin the project declares. A plugin that cannot be used is refused in the host (its metrics then
/// fail alone) and reported in the diagnostics; only a host that cannot start is an error. `files` holds the
/// project's TOML files, to locate a `[[plugin]]` entry; the sidecars read are added to it.
pub fn load(plugins: &[PluginDecl], files: &mut SourceMap) -> anyhow::Result<Option<Wiring>> {
    use anyhow::Context;
    if plugins.is_empty() {
        return Ok(None);
    }
    let config = HostConfig { cache_dir: crate::cmd::plugin::default_cache_dir(), ..HostConfig::default() };
    let mut host = PluginHost::new(config).context("cannot start the plugin host")?;
    let mut diagnostics = Vec::new();
    for declaration in plugins {
        let declared_at = locate(files, &format!("id = \"{}\"", declaration.id), "path");
        let manifest = match reviewed_manifest(declaration, files, declared_at.clone()) {
            Ok(manifest) => manifest,
            Err(found) => {
                let reason = found.first().map(one_line).unwrap_or_default();
                host.refuse(&declaration.id, PluginErrorKind::InvalidManifest { reason });
                diagnostics.extend(found);
                continue;
            }
        };
        let wasm = PathBuf::from(&declaration.path);
        match host.load_file(&manifest, &wasm) {
            Ok(details) => {
                if let Some(reason) = details.cache_refused {
                    diagnostics.push(
                        Diagnostic::warning(codes::CACHE_ENTRY_REFUSED.code, codes::CACHE_ENTRY_REFUSED.name, format!("plugin `{}`: {reason}", declaration.id))
                            .with_span(declared_at.clone())
                            .with_hint("the plugin was compiled again from its reviewed .wasm; an entry this tiendo did not write is never run"),
                    );
                }
            }
            Err(error) => diagnostics.push(
                Diagnostic::error(
                    codes::PLUGIN_UNUSABLE.code,
                    codes::PLUGIN_UNUSABLE.name,
                    format!("{error} [{}]", error.kind.name()),
                )
                .with_span(declared_at.clone())
                .with_hint(unusable_hint(&error.kind)),
            ),
        }
    }
    Ok(Some(Wiring { host, diagnostics }))
}

/// E405 for every indicator that names a metric its plugin does not declare in `info()` (the plugin is asked who
/// it is, nothing is computed). Plugins that failed to load are reported by [`load`].
pub fn metric_diagnostics(catalogue: &Catalogue, host: &PluginHost, files: &SourceMap) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for indicator in catalogue.indicators.values() {
        let Formula::Plugin(reference) = &indicator.formula else { continue };
        let Ok(details) = host.details(&reference.plugin) else { continue };
        let declared = &details.description.metrics;
        if !declared.contains(&reference.metric) {
            let at = locate(files, &format!("id = \"{}\"", indicator.id), &format!("\"{}\"", reference.metric));
            diagnostics.push(
                Diagnostic::error(
                    codes::UNKNOWN_METRIC.code,
                    codes::UNKNOWN_METRIC.name,
                    format!(
                        "indicator `{}` names metric `{}` of plugin `{}`, which the plugin does not declare",
                        indicator.id, reference.metric, reference.plugin
                    ),
                )
                .with_span(at)
                .with_hint(format!("the plugin declares: {}", declared.join(", "))),
            );
        }
    }
    diagnostics
}

/// The manifest the host checks the component against: the pin of `tiendo.toml`, with what a sidecar adds. A
/// sidecar whose sha256 differs from the pin is an error (E403), never an override; a project without a pin cannot
/// run the plugin.
fn reviewed_manifest(
    declaration: &PluginDecl,
    files: &mut SourceMap,
    declared_at: Option<Span>,
) -> Result<PluginManifest, Vec<Diagnostic>> {
    let Some(pin) = declaration.sha256.as_ref().map(|pin| pin.trim().to_ascii_lowercase()) else {
        return Err(vec![
            Diagnostic::error(
                codes::PLUGIN_UNUSABLE.code,
                codes::PLUGIN_UNUSABLE.name,
                format!("plugin `{}` has no sha256 pinned in tiendo.toml, so no reviewed build to run", declaration.id),
            )
            .with_span(declared_at)
            .with_hint("add `sha256 = \"…\"` with the 64 hex digits of the reviewed build (`sha256sum plugin.wasm`)"),
        ]);
    };
    let sidecar = Path::new(&declaration.path).with_extension("plugin.toml");
    let Some(located) = read_sidecar(&sidecar, files)? else {
        return Ok(PluginManifest { sha256: pin, ..PluginManifest::from_declaration(declaration) });
    };
    let LocatedManifest { manifest, spans } = located;
    let mut problems = Vec::new();
    if manifest.id != declaration.id {
        problems.push(
            Diagnostic::error(
                codes::SIDECAR_INVALID.code,
                codes::SIDECAR_INVALID.name,
                format!("the sidecar says id `{}`, tiendo.toml declares `{}`", manifest.id, declaration.id),
            )
            .with_span(spans.get("id").cloned())
            .with_hint("a sidecar belongs to the [[plugin]] whose .wasm it sits beside: give it the same id"),
        );
    }
    if manifest.sha256 != pin {
        problems.push(
            Diagnostic::error(
                codes::PIN_MISMATCH.code,
                codes::PIN_MISMATCH.name,
                format!(
                    "plugin `{}`: the sidecar's sha256 {} differs from {pin}, the one pinned in tiendo.toml, which is \
                     the reviewed build",
                    declaration.id, manifest.sha256
                ),
            )
            .with_span(spans.get("sha256").cloned())
            .with_hint(
                "a sidecar never overrides the pin: restore the reviewed .wasm, or have the new build reviewed and \
                 pin its sha256 in tiendo.toml",
            ),
        );
    }
    if let Err(PluginErrorKind::InvalidManifest { reason }) =
        tiendo_plugin_host::Limits::with_overrides(&manifest.limits)
    {
        // The host's reason starts with the key: `limits.fuel = … is above the cap of …`.
        let key = reason.split_whitespace().next().unwrap_or_default();
        problems.push(
            Diagnostic::error(codes::SIDECAR_INVALID.code, codes::SIDECAR_INVALID.name, reason.clone())
                .with_span(spans.get(key).cloned())
                .with_hint("docs/plugins.md §7 lists each limit's default and cap"),
        );
    }
    if problems.is_empty() { Ok(manifest) } else { Err(problems) }
}

/// The sidecar beside a plugin, parsed with located diagnostics; `None` when there is none.
fn read_sidecar(path: &Path, files: &mut SourceMap) -> Result<Option<LocatedManifest>, Vec<Diagnostic>> {
    let shown = path.display().to_string().replace('\\', "/");
    let unreadable = |why: String| {
        vec![
            Diagnostic::error(codes::SIDECAR_SYNTAX.code, codes::SIDECAR_SYNTAX.name, format!("cannot read the plugin sidecar {shown}: {why}"))
                .with_hint("a sidecar is a small TOML file beside the .wasm; remove it to use the declaration in tiendo.toml alone"),
        ]
    };
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(unreadable(error.to_string())),
    };
    if !metadata.is_file() {
        return Err(unreadable("not a regular file".to_owned()));
    }
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|file| std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_SIDECAR_BYTES + 1), &mut bytes));
    if let Err(error) = read {
        return Err(unreadable(error.to_string()));
    }
    if bytes.len() as u64 > MAX_SIDECAR_BYTES {
        return Err(unreadable(format!("larger than {} KiB", MAX_SIDECAR_BYTES / 1024)));
    }
    let Ok(text) = String::from_utf8(bytes) else { return Err(unreadable("not UTF-8 text".to_owned())) };
    let file = SourceFile::new(shown, text);
    let parsed = parse_sidecar(&file);
    files.add(file);
    parsed.map(Some)
}

/// What to do about a plugin the host refused.
fn unusable_hint(kind: &PluginErrorKind) -> String {
    match kind {
        PluginErrorKind::ChecksumMismatch { .. } => "the .wasm is not the reviewed build: restore it, or have the new \
            build reviewed and pin its sha256 in tiendo.toml"
            .to_owned(),
        PluginErrorKind::Io { .. } => "check `path` in the [[plugin]] entry: it is relative to tiendo.toml".to_owned(),
        PluginErrorKind::IncompatibleInterface { .. } => {
            "rebuild the plugin against a tiendo-plugin SDK of a supported interface version".to_owned()
        }
        // The declaration is the [[plugin]] entry of tiendo.toml with its optional plugin.toml sidecar (round 68,
        // found by a newcomer: "plugin.toml says" in a project that has none).
        PluginErrorKind::ManifestMismatch { .. } => {
            "make the [[plugin]] entry in tiendo.toml (and its plugin.toml, if \
            there is one) say what the plugin's info() says, or change the plugin's source and rebuild it; \
            docs/plugins.md §7 explains each plugin error"
                .to_owned()
        }
        _ => "docs/plugins.md §7 explains each plugin error".to_owned(),
    }
}

/// `file:line:col: message`, for a failure the host keeps as text.
fn one_line(diagnostic: &Diagnostic) -> String {
    match &diagnostic.span {
        Some(span) => format!("{}:{}:{}: {}", span.file, span.line, span.column, diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

/// The span of the first `needle` after the first `anchor` in any of `files` (e.g. the `metric` of the indicator
/// whose `id = "…"` line is the anchor), so that a fault found in the model is shown where it is written; the anchor
/// itself when the needle does not follow it.
pub fn locate(files: &SourceMap, anchor: &str, needle: &str) -> Option<Span> {
    files.files().find_map(|(_, file)| {
        let at = file.text.find(anchor)?;
        // The needle must belong to the same table: before the next table header.
        let table_end = file.text[at..].find("\n[").map_or(file.text.len(), |end| at + end);
        let found = file.text[at..table_end].find(needle).map_or(at, |offset| at + offset);
        let length = if found == at { anchor.len() } else { needle.len() };
        Some(file.span(found..found + length))
    })
}
