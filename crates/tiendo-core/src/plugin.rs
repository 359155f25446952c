//! The contract between evaluation and plugin metrics. The plugin host implements [`MetricProvider`] with
//! wasmtime; tests implement it with plain Rust. This crate never sees WebAssembly.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::period::Period;

/// One input value handed to a plugin: a data element or indicator value for an org unit and period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricInput {
    /// Data element or indicator id, as the plugin declared it in its `inputs`.
    pub name: String,
    pub org_unit: String,
    pub period: Period,
    /// `None` when there is no data.
    pub value: Option<f64>,
}

/// A request to compute a plugin's metrics for one org unit and period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRequest {
    pub plugin: String,
    pub org_unit: String,
    /// The period being evaluated, followed by any earlier periods provided for context.
    pub periods: Vec<Period>,
    pub inputs: Vec<MetricInput>,
    pub params: BTreeMap<String, String>,
}

/// One metric value computed by a plugin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricValue {
    pub name: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub note: Option<String>,
}

/// Why a plugin produced no metrics. `kind` is a stable kebab-case name such as `fuel-exhausted`, `timeout`,
/// `memory-limit`, `crashed`, `plugin-reported`, `checksum-mismatch`, `incompatible-interface`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("plugin `{plugin}` failed ({kind}): {message}")]
pub struct PluginFailure {
    pub plugin: String,
    pub kind: String,
    pub message: String,
}

/// The inputs a plugin declares it needs and the metrics it produces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PluginDescription {
    pub id: String,
    pub version: String,
    pub description: String,
    pub inputs: Vec<String>,
    /// The metric ids it may return; a value under any other id is refused (see [`crate::eval`]).
    pub metrics: Vec<String>,
    /// Ranges its reviewed `plugin.toml` declares for some metrics (`[metrics.ID] min/max`), replacing the range of
    /// the indicator's measure for those metrics. Empty when the sidecar declares none.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub ranges: BTreeMap<String, ValueRange>,
}

/// The values a metric may take, both ends included; `None` is unbounded on that side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ValueRange {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl ValueRange {
    /// Whether `value` lies within the range (a NaN never does).
    pub fn contains(&self, value: f64) -> bool {
        self.min.is_none_or(|min| value >= min) && self.max.is_none_or(|max| value <= max) && !value.is_nan()
    }
}

impl std::fmt::Display for ValueRange {
    /// `0 to 100`, `at least 0`, `at most 1`, or `any number`.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.min, self.max) {
            (Some(min), Some(max)) => write!(formatter, "{min} to {max}"),
            (Some(min), None) => write!(formatter, "at least {min}"),
            (None, Some(max)) => write!(formatter, "at most {max}"),
            (None, None) => formatter.write_str("any number"),
        }
    }
}

/// Computes plugin metrics. A failure fails only the metrics of that plugin: evaluation goes on.
pub trait MetricProvider {
    /// What `plugin` needs and produces, or why it cannot be used.
    fn describe(&self, plugin: &str) -> Result<PluginDescription, PluginFailure>;

    /// Runs `request.plugin` on the request.
    fn compute(&self, request: &MetricRequest) -> Result<Vec<MetricValue>, PluginFailure>;
}

/// The reviewed sidecar of a plugin (`plugin.toml` beside the `.wasm`): who it is, the checksum a reviewer
/// approved, and any limits it needs above the host's defaults. `tiendo-load` parses it from TOML; the plugin
/// host checks the component against it before running anything.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PluginManifest {
    /// Must equal the id the plugin reports from `info()`.
    pub id: String,
    /// Org unit id of the province that owns the plugin, if any.
    pub province: Option<String>,
    /// When given, must equal the version the plugin reports from `info()`.
    pub version: Option<String>,
    /// sha256 of the `.wasm` component in lowercase hex, checked before the component is compiled.
    pub sha256: String,
    /// Oldest tiendo plugin host version that may run the plugin (semver, e.g. `0.1.0`).
    pub min_host_version: Option<String>,
    pub limits: PluginLimitOverrides,
    /// Ranges declared for some metrics (`[metrics.ID] min = …, max = …`), overriding the measure's range.
    pub metric_ranges: BTreeMap<String, ValueRange>,
}

/// Limits a plugin asks for above the host's defaults. The host refuses values above its hard caps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PluginLimitOverrides {
    /// Fuel (roughly, WebAssembly instructions) per call.
    pub fuel: Option<u64>,
    /// Wall-clock limit per call, in milliseconds.
    pub timeout_ms: Option<u64>,
    /// Linear memory per call, in MiB.
    pub memory_mib: Option<u64>,
    /// Size of the `.wasm` file, in KiB.
    pub wasm_size_kib: Option<u64>,
}

impl PluginManifest {
    /// The manifest implied by a project's `[[plugin]]` entry when no `plugin.toml` sidecar exists: its id and
    /// reviewed sha256. Without a sha256 the host refuses the plugin, because a review only runs reviewed builds.
    pub fn from_declaration(declaration: &crate::model::PluginDecl) -> PluginManifest {
        PluginManifest {
            id: declaration.id.clone(),
            sha256: declaration.sha256.clone().unwrap_or_default(),
            ..PluginManifest::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PluginDecl;

    #[test]
    fn manifest_from_a_project_declaration() {
        let declaration = PluginDecl {
            id: "qn-justice-funnel".to_owned(),
            path: "plugins/qn-justice-funnel.wasm".to_owned(),
            sha256: Some("ab".repeat(32)),
        };
        let manifest = PluginManifest::from_declaration(&declaration);
        assert_eq!(manifest.id, "qn-justice-funnel");
        assert_eq!(manifest.sha256, "ab".repeat(32));
        assert_eq!(manifest.limits, PluginLimitOverrides::default());
        let unreviewed = PluginDecl { sha256: None, ..declaration };
        assert_eq!(PluginManifest::from_declaration(&unreviewed).sha256, "");
    }
}
