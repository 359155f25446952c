//! Named errors for everything that can go wrong with a plugin, each carrying the plugin id.

use tiendo_core::plugin::PluginFailure;

/// Why a plugin could not be loaded or run. Every variant names its cause precisely enough for a reviewer to act
/// on it without reading wasmtime's messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("plugin `{plugin}`: {kind}")]
pub struct PluginError {
    /// The plugin id from the manifest, or the file name when the id is not known yet.
    pub plugin: String,
    pub kind: PluginErrorKind,
}

/// The cause of a [`PluginError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PluginErrorKind {
    #[error("ran out of fuel after {fuel} units (raise `limits.fuel` in plugin.toml if the work is legitimate)")]
    FuelExhausted { fuel: u64 },
    #[error("did not finish within {timeout_ms} ms")]
    Timeout { timeout_ms: u64 },
    #[error("tried to use more than {limit_mib} MiB of memory")]
    MemoryLimit { limit_mib: u64 },
    #[error("exhausted its call stack (deep or unbounded recursion?)")]
    StackOverflow,
    #[error("crashed: {trap}{}", format_logs(last_logs))]
    Crashed {
        /// wasmtime's description of the trap, e.g. "wasm `unreachable` instruction executed".
        trap: String,
        /// The plugin's last log messages, including the panic message when it panicked.
        last_logs: Vec<String>,
    },
    /// A component whose WASI was stubbed out at build time (componentize-py `--stub-wasi`, as tiendo builds Python
    /// plugins) called one of the stubs, which stop it: the plugin tried to reach files, the network, the clock,
    /// the environment or to sleep. `call` is the stubbed WASI function, e.g.
    /// `wasi:filesystem/types@0.2.0#[method]descriptor.open-at`.
    #[error(
        "tried to use the system through `{call}`, which plugins cannot do (no files, network, clock, environment \
         variables or sleeping; see docs/plugins.md)"
    )]
    SystemCall { call: String },
    #[error("reported an error: {message}")]
    PluginReported {
        /// `invalid-input`, `missing-input` or `internal`.
        reason: String,
        message: String,
    },
    #[error("sha256 mismatch: its declaration pins {expected}, the file has {actual}")]
    ChecksumMismatch { expected: String, actual: String },
    #[error("incompatible interface: {found}; this host supports {supported}")]
    IncompatibleInterface { found: String, supported: String },
    #[error("requires plugin host {required} or newer; this is {current}")]
    HostTooOld { required: String, current: String },
    #[error("not a valid plugin component: {reason}")]
    InvalidComponent { reason: String },
    #[error("output too large: {reason}")]
    OutputTooLarge { reason: String },
    #[error("imports `{import}`, but plugins may import only `tiendo:plugin/host`")]
    ForbiddenImport { import: String },
    #[error("invalid plugin.toml: {reason}")]
    InvalidManifest { reason: String },
    #[error("its declaration does not match the plugin: {reason}")]
    ManifestMismatch { reason: String },
    #[error("invalid request: {reason}")]
    InvalidRequest { reason: String },
    #[error("no such plugin is loaded")]
    UnknownPlugin,
    #[error("cannot read the plugin: {reason}")]
    Io { reason: String },
}

fn format_logs(logs: &[String]) -> String {
    if logs.is_empty() { String::new() } else { format!(" (last log: {})", logs.join(" | ")) }
}

impl PluginErrorKind {
    /// A stable kebab-case name for reports and JSON output.
    pub fn name(&self) -> &'static str {
        match self {
            PluginErrorKind::FuelExhausted { .. } => "fuel-exhausted",
            PluginErrorKind::Timeout { .. } => "timeout",
            PluginErrorKind::MemoryLimit { .. } => "memory-limit",
            PluginErrorKind::StackOverflow => "stack-overflow",
            PluginErrorKind::Crashed { .. } => "crashed",
            PluginErrorKind::SystemCall { .. } => "system-call",
            PluginErrorKind::PluginReported { .. } => "plugin-reported",
            PluginErrorKind::ChecksumMismatch { .. } => "checksum-mismatch",
            PluginErrorKind::IncompatibleInterface { .. } => "incompatible-interface",
            PluginErrorKind::HostTooOld { .. } => "host-too-old",
            PluginErrorKind::InvalidComponent { .. } => "invalid-component",
            PluginErrorKind::OutputTooLarge { .. } => "output-too-large",
            PluginErrorKind::ForbiddenImport { .. } => "forbidden-import",
            PluginErrorKind::InvalidManifest { .. } => "invalid-manifest",
            PluginErrorKind::ManifestMismatch { .. } => "manifest-mismatch",
            PluginErrorKind::InvalidRequest { .. } => "invalid-request",
            PluginErrorKind::UnknownPlugin => "unknown-plugin",
            PluginErrorKind::Io { .. } => "io",
        }
    }
}

impl PluginError {
    pub(crate) fn new(plugin: &str, kind: PluginErrorKind) -> PluginError {
        PluginError { plugin: plugin.to_owned(), kind }
    }
}

impl From<PluginError> for PluginFailure {
    fn from(error: PluginError) -> PluginFailure {
        PluginFailure {
            plugin: error.plugin.clone(),
            kind: error.kind.name().to_owned(),
            message: error.kind.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crashed_message_includes_the_last_logs() {
        let error = PluginError::new(
            "demo",
            PluginErrorKind::Crashed {
                trap: "wasm `unreachable` instruction executed".to_owned(),
                last_logs: vec!["error: plugin panicked: attempt to divide by zero".to_owned()],
            },
        );
        assert_eq!(
            error.to_string(),
            "plugin `demo`: crashed: wasm `unreachable` instruction executed (last log: error: plugin panicked: \
             attempt to divide by zero)"
        );
        let failure = PluginFailure::from(error);
        assert_eq!(failure.kind, "crashed");
        assert_eq!(failure.plugin, "demo");
    }

    #[test]
    fn every_kind_has_a_distinct_name() {
        let kinds = [
            PluginErrorKind::FuelExhausted { fuel: 1 },
            PluginErrorKind::Timeout { timeout_ms: 1 },
            PluginErrorKind::MemoryLimit { limit_mib: 1 },
            PluginErrorKind::StackOverflow,
            PluginErrorKind::Crashed { trap: String::new(), last_logs: Vec::new() },
            PluginErrorKind::SystemCall { call: String::new() },
            PluginErrorKind::PluginReported { reason: String::new(), message: String::new() },
            PluginErrorKind::ChecksumMismatch { expected: String::new(), actual: String::new() },
            PluginErrorKind::IncompatibleInterface { found: String::new(), supported: String::new() },
            PluginErrorKind::HostTooOld { required: String::new(), current: String::new() },
            PluginErrorKind::InvalidComponent { reason: String::new() },
            PluginErrorKind::OutputTooLarge { reason: String::new() },
            PluginErrorKind::ForbiddenImport { import: String::new() },
            PluginErrorKind::InvalidManifest { reason: String::new() },
            PluginErrorKind::ManifestMismatch { reason: String::new() },
            PluginErrorKind::InvalidRequest { reason: String::new() },
            PluginErrorKind::UnknownPlugin,
            PluginErrorKind::Io { reason: String::new() },
        ];
        let names: std::collections::BTreeSet<_> = kinds.iter().map(PluginErrorKind::name).collect();
        assert_eq!(names.len(), kinds.len());
    }
}
