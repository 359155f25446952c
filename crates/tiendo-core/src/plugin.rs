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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluginDescription {
    pub id: String,
    pub version: String,
    pub description: String,
    pub inputs: Vec<String>,
    pub metrics: Vec<String>,
}

/// Computes plugin metrics. A failure fails only the metrics of that plugin: evaluation goes on.
pub trait MetricProvider {
    /// What `plugin` needs and produces, or why it cannot be used.
    fn describe(&self, plugin: &str) -> Result<PluginDescription, PluginFailure>;

    /// Runs `request.plugin` on the request.
    fn compute(&self, request: &MetricRequest) -> Result<Vec<MetricValue>, PluginFailure>;
}
