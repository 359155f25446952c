//! The sandboxed host for tiendo's metric plugins.
//!
//! Provinces write metrics as WebAssembly components against the WIT interface `tiendo:plugin@0.1.x` (shipped in
//! the `tiendo-plugin` SDK crate; 0.1.1 adds the cheaper `columns.compute-columns` and 0.1.2 the cheaper still
//! `packed.compute-packed`: the host calls the cheapest one a plugin exports, see [`ComputeExport`]). This crate
//! loads them with wasmtime and runs every call in a fresh sandbox:
//!
//! * one [`wasmtime::Engine`] per host, with fuel, epoch interruption (a ticker thread) and the pooling allocator;
//! * before compiling: the size and the sha256 from the reviewed `plugin.toml` ([`PluginManifest`]) are checked;
//! * compilation happens once per plugin and engine configuration, cached on disk in a directory the caller owns;
//! * before instantiating: the exported interface version must be `0.1.x` and the only import `tiendo:plugin/host`
//!   (no WASI, no clock, no randomness);
//! * each call: a new `Store` from an `InstancePre`, with fuel, a wall-clock deadline and a memory limit, dropped
//!   afterwards, so that a trap can never poison the next call;
//! * every trap or limit becomes a [`PluginError`] naming the plugin and the cause, including the plugin's panic
//!   message, and fails only that plugin's metrics.
//!
//! [`PluginHost`] implements [`tiendo_core::plugin::MetricProvider`], which is all evaluation sees.
//!
//! ```no_run
//! use tiendo_core::plugin::{MetricProvider, PluginManifest};
//! use tiendo_plugin_host::{HostConfig, PluginHost};
//!
//! let mut host = PluginHost::new(HostConfig::with_cache_dir("/home/me/.cache/tiendo/plugins".into())).unwrap();
//! let manifest = PluginManifest { id: "qn-justice-funnel".into(), sha256: "…".into(), ..Default::default() };
//! // A failure is also remembered, so `compute` for this plugin returns it later.
//! let _ = host.load_file(&manifest, "plugins/qn-justice-funnel.wasm".as_ref());
//! let description = host.describe("qn-justice-funnel");
//! ```

mod builder;
mod builder_python;
mod cache;
mod checks;
mod engine;
mod error;
mod language;
mod limits;
mod load;
mod request;
mod sandbox;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tiendo_core::plugin::{
    MetricProvider, MetricRequest, MetricValue, PluginDescription, PluginFailure, PluginManifest,
};
use wasmtime::component::{HasSelf, Instance, InstancePre, Linker};
use wasmtime::{Engine, Store};

pub use builder::{BuildError, BuildRequest, BuiltPlugin, build_plugins, componentize, ensure_wasm_target};
pub use builder_python::{PythonBuildRequest, build_python_plugin, is_python_plugin};
pub use cache::{KEY_FILE as CACHE_KEY_FILE, hex_sha256};
pub use error::{PluginError, PluginErrorKind};
pub use limits::Limits;
pub use sandbox::LogLine;

use checks::{check_output, reported};
use engine::{EpochTicker, engine_config};
use sandbox::SandboxState;
use sandbox::bindings::PackedMetricPlugin;
use sandbox::bindings::exports::tiendo::plugin::columns as wit_columns;
use sandbox::bindings::exports::tiendo::plugin::metric as wit;
use sandbox::bindings::exports::tiendo::plugin::packed as wit_packed;

/// Version of this host, compared with a manifest's `min_host_version`.
pub const HOST_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The WIT interfaces this host implements and the versions it accepts.
pub const METRIC_INTERFACE: &str = "tiendo:plugin/metric";
pub const HOST_INTERFACE: &str = "tiendo:plugin/host";
/// Semver requirement on a plugin's interface version: any 0.1.x links with this host.
pub const SUPPORTED_INTERFACE: &str = "^0.1.0";

/// How a [`PluginHost`] is set up.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// Where compiled plugins are cached; `None` compiles every plugin on each load.
    pub cache_dir: Option<PathBuf>,
    /// How often the epoch advances; the wall-clock limit is enforced at this resolution.
    pub epoch_tick: Duration,
    /// How many calls may run at the same time (sizes the pooling allocator).
    pub max_concurrent_calls: u32,
}

impl HostConfig {
    /// The default configuration with a compiled-plugin cache in `cache_dir`.
    pub fn with_cache_dir(cache_dir: PathBuf) -> HostConfig {
        HostConfig { cache_dir: Some(cache_dir), ..HostConfig::default() }
    }
}

impl Default for HostConfig {
    fn default() -> HostConfig {
        HostConfig { cache_dir: None, epoch_tick: Duration::from_millis(10), max_concurrent_calls: 16 }
    }
}

/// The host could not be set up (not a plugin's fault).
#[derive(Debug, thiserror::Error)]
#[error("cannot start the plugin host: {reason}")]
pub struct HostError {
    pub reason: String,
}

/// What the host knows about a loaded plugin.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginDetails {
    /// What the plugin said about itself in `info()`.
    pub description: PluginDescription,
    /// The version of `tiendo:plugin/metric` it exports, e.g. `0.1.0`.
    pub interface_version: String,
    /// The export the host calls for a computation: the cheapest the plugin has.
    pub export: ComputeExport,
    pub sha256: String,
    pub size_bytes: u64,
    /// Everything the component imports (only `tiendo:plugin/host@0.1.x` is ever accepted).
    pub imports: Vec<String>,
    /// The language it was written in, as far as the bytes tell: `rust`, `python` or `unknown` (for people only).
    pub language: &'static str,
    pub limits: Limits,
    /// Whether the compiled code came from the on-disk cache.
    pub from_cache: bool,
    /// A cache entry for this plugin that was refused (its tag did not check: not compiled by this tiendo for these
    /// bytes and this engine), removed, and replaced by compiling the reviewed `.wasm`; for the caller to report.
    pub cache_refused: Option<String>,
}

/// Which export the host calls for a computation. Each newer one passes the same request more cheaply; a plugin
/// built with the current SDK exports all three, and the host calls the newest one a plugin has (docs/plugins.md,
/// "Interface versions").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ComputeExport {
    /// `metric.compute` (WIT 0.1.0): a record of three strings per input value.
    Compute,
    /// `columns.compute-columns` (WIT 0.1.1): each distinct id once, three indices and a number per input value.
    Columns,
    /// `packed.compute-packed` (WIT 0.1.2): the same columns with each list of ids as one string.
    Packed,
}

impl ComputeExport {
    /// The export and the WIT version that added it, e.g. `packed.compute-packed (WIT 0.1.2)`, for people.
    pub fn describe(self) -> &'static str {
        match self {
            ComputeExport::Compute => "metric.compute (WIT 0.1.0)",
            ComputeExport::Columns => "columns.compute-columns (WIT 0.1.1)",
            ComputeExport::Packed => "packed.compute-packed (WIT 0.1.2)",
        }
    }
}

/// The result of one successful call.
#[derive(Debug, Clone, PartialEq)]
pub struct Computation {
    pub values: Vec<MetricValue>,
    /// What the plugin logged during the call.
    pub logs: Vec<LogLine>,
    /// Fuel the call consumed (a deterministic measure of work).
    pub fuel_consumed: u64,
    /// Whether the plugin grew its linear memory during the call (beyond its initial size). Growing costs the host
    /// page-protection changes on this call and the next; a small call of a plugin built with the current Rust SDK,
    /// whose allocator starts in an arena inside the initial memory, does not grow it.
    pub memory_grew: bool,
}

struct LoadedPlugin {
    details: PluginDetails,
    pre: InstancePre<SandboxState>,
    /// Where `info` and `compute` are in the component (every plugin has them).
    metric: wit::GuestIndices,
    /// Where `compute-columns` is, when the plugin exports it (WIT 0.1.1).
    columns: Option<wit_columns::GuestIndices>,
    /// Where `compute-packed` is, when the plugin exports it (WIT 0.1.2).
    packed: Option<wit_packed::GuestIndices>,
}

/// Loads plugins and runs them in the sandbox. See the crate documentation.
pub struct PluginHost {
    engine: Engine,
    linker: Linker<SandboxState>,
    cache: Option<cache::CompiledCache>,
    epoch_tick: Duration,
    plugins: BTreeMap<String, Result<LoadedPlugin, PluginError>>,
    _ticker: EpochTicker,
}

impl std::fmt::Debug for PluginHost {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("PluginHost").field("plugins", &self.plugins.keys().collect::<Vec<_>>()).finish()
    }
}

impl PluginHost {
    /// Creates the engine, the linker (which offers only `tiendo:plugin/host`) and the epoch ticker thread.
    pub fn new(config: HostConfig) -> Result<PluginHost, HostError> {
        // Keeping pages resident needs the kernel to say which pages a call wrote (PAGEMAP_SCAN, Linux 6.7+);
        // without it, the engine resets memory as before.
        let engine = Engine::new(&engine_config(&config, true))
            .or_else(|_| Engine::new(&engine_config(&config, false)))
            .map_err(|error| HostError { reason: error.to_string() })?;
        let mut linker = Linker::new(&engine);
        PackedMetricPlugin::add_to_linker::<SandboxState, HasSelf<SandboxState>>(&mut linker, |state| state)
            .map_err(|error| HostError { reason: error.to_string() })?;
        let cache = config.cache_dir.map(|directory| cache::CompiledCache::new(directory, &engine));
        let ticker = EpochTicker::start(engine.clone(), config.epoch_tick);
        Ok(PluginHost {
            engine,
            linker,
            cache,
            epoch_tick: config.epoch_tick,
            plugins: BTreeMap::new(),
            _ticker: ticker,
        })
    }

    /// Reads `path` and loads it as [`PluginHost::load`] does.
    pub fn load_file(&mut self, manifest: &PluginManifest, path: &Path) -> Result<PluginDetails, PluginError> {
        match std::fs::read(path) {
            Ok(bytes) => self.load(manifest, &bytes),
            Err(error) => {
                let error = PluginError::new(
                    &manifest.id,
                    PluginErrorKind::Io { reason: format!("{}: {error}", path.display()) },
                );
                self.plugins.insert(manifest.id.clone(), Err(error.clone()));
                Err(error)
            }
        }
    }

    /// Checks `wasm` against its reviewed manifest and loads it under `manifest.id`. A failure is remembered too,
    /// so that [`MetricProvider::describe`] and [`MetricProvider::compute`] return it for this plugin only.
    pub fn load(&mut self, manifest: &PluginManifest, wasm: &[u8]) -> Result<PluginDetails, PluginError> {
        let loaded = self.load_reviewed(manifest, wasm).map_err(|kind| PluginError::new(&manifest.id, kind));
        let details = loaded.as_ref().map(|plugin| plugin.details.clone()).map_err(Clone::clone);
        self.plugins.insert(manifest.id.clone(), loaded);
        details
    }

    /// Remembers that plugin `id` cannot be used, for a reason found before loading it (e.g. its sidecar is
    /// invalid): [`MetricProvider::describe`] and [`MetricProvider::compute`] then return this error for it.
    pub fn refuse(&mut self, id: &str, kind: PluginErrorKind) -> PluginError {
        let error = PluginError::new(id, kind);
        self.plugins.insert(id.to_owned(), Err(error.clone()));
        error
    }

    /// Loads a plugin that has no reviewed manifest, trusting the file as it is: the id comes from `info()` and
    /// the limits are the defaults. For plugin authors (`tiendo plugin test`, `tiendo plugin inspect`), not for
    /// reviews.
    pub fn load_unreviewed(&mut self, wasm: &[u8]) -> Result<PluginDetails, PluginError> {
        let label = "unreviewed plugin";
        let limits = Limits::DEFAULT;
        let loaded =
            self.compile_and_check(wasm, &limits, &hex_sha256(wasm)).map_err(|kind| PluginError::new(label, kind))?;
        let id = loaded.details.description.id.clone();
        let details = loaded.details.clone();
        self.plugins.insert(id, Ok(loaded));
        Ok(details)
    }

    /// What the host knows about plugin `id`, or why it failed to load.
    pub fn details(&self, id: &str) -> Result<&PluginDetails, PluginError> {
        match self.plugins.get(id) {
            Some(Ok(plugin)) => Ok(&plugin.details),
            Some(Err(error)) => Err(error.clone()),
            None => Err(PluginError::new(id, PluginErrorKind::UnknownPlugin)),
        }
    }

    /// The ids of all plugins given to the host, loaded or failed, in order.
    pub fn plugin_ids(&self) -> impl Iterator<Item = &str> {
        self.plugins.keys().map(String::as_str)
    }

    /// Runs `request.plugin` in a fresh sandbox and returns its metrics and logs.
    pub fn run(&self, request: &MetricRequest) -> Result<Computation, PluginError> {
        let plugin = match self.plugins.get(&request.plugin) {
            Some(Ok(plugin)) => plugin,
            Some(Err(error)) => return Err(error.clone()),
            None => return Err(PluginError::new(&request.plugin, PluginErrorKind::UnknownPlugin)),
        };
        let fail = |kind| PluginError::new(&request.plugin, kind);
        let limits = &plugin.details.limits;
        let (result, record) = match (&plugin.packed, &plugin.columns) {
            (Some(packed), _) => {
                let input = request::to_packed(request);
                self.call(&plugin.pre, limits, |store, instance| {
                    packed.load(&mut *store, instance)?.call_compute_packed(store, &input)
                })
            }
            (None, Some(columns)) => {
                let input = request::to_columns(request);
                self.call(&plugin.pre, limits, |store, instance| {
                    columns.load(&mut *store, instance)?.call_compute_columns(store, &input)
                })
            }
            (None, None) => {
                let input = request::to_wit_input(request);
                self.call(&plugin.pre, limits, |store, instance| {
                    plugin.metric.load(&mut *store, instance)?.call_compute(store, &input)
                })
            }
        };
        let values = match result.map_err(fail)? {
            Ok(values) => values,
            Err(error) => return Err(fail(reported(error))),
        };
        let values = check_output(values).map_err(fail)?;
        Ok(Computation {
            values,
            logs: record.logs,
            fuel_consumed: record.fuel_consumed,
            memory_grew: record.memory_grew,
        })
    }

    /// Creates a fresh store and instantiates plugin `id` without calling it: the fixed cost of every call, exposed
    /// for the benchmarks.
    #[doc(hidden)]
    pub fn instantiate_for_benchmark(&self, id: &str) -> Result<(), PluginError> {
        let plugin = match self.plugins.get(id) {
            Some(Ok(plugin)) => plugin,
            Some(Err(error)) => return Err(error.clone()),
            None => return Err(PluginError::new(id, PluginErrorKind::UnknownPlugin)),
        };
        let (result, _record) = self.call(&plugin.pre, &plugin.details.limits, |_store, _instance| Ok(()));
        result.map_err(|kind| PluginError::new(id, kind))
    }

    /// One call in a fresh store: returns the result (or the named cause of failure) and what the call did (logs,
    /// fuel, memory growth). The store is dropped afterwards whatever happened, so a trapped instance is never
    /// entered again.
    fn call<R>(
        &self,
        pre: &InstancePre<SandboxState>,
        limits: &Limits,
        body: impl FnOnce(&mut Store<SandboxState>, &Instance) -> wasmtime::Result<R>,
    ) -> (Result<R, PluginErrorKind>, CallRecord) {
        let mut store = Store::new(&self.engine, SandboxState::new(limits));
        store.limiter(|state| &mut state.limiter);
        if let Err(error) = store.set_fuel(limits.fuel) {
            let crashed = PluginErrorKind::Crashed { trap: error.to_string(), last_logs: Vec::new() };
            return (Err(crashed), CallRecord::default());
        }
        let tick_nanos = self.epoch_tick.as_nanos().max(1);
        let ticks = u64::try_from(limits.timeout.as_nanos().div_ceil(tick_nanos)).unwrap_or(u64::MAX).max(1);
        store.set_epoch_deadline(ticks);
        store.epoch_deadline_trap();
        let outcome = pre.instantiate(&mut store).and_then(|instance| body(&mut store, &instance));
        let fuel_consumed = limits.fuel.saturating_sub(store.get_fuel().unwrap_or(0));
        let result = outcome.map_err(|error| sandbox::classify_failure(&error, store.data(), limits));
        let mut logs = std::mem::take(&mut store.data_mut().logs);
        let dropped = store.data().logs_dropped;
        if dropped > 0 {
            logs.push(LogLine { level: "warn", message: format!("{dropped} more log messages were dropped") });
        }
        (result, CallRecord { logs, fuel_consumed, memory_grew: store.data().limiter.memory_grew })
    }
}

/// What one call did besides its result.
#[derive(Default)]
struct CallRecord {
    logs: Vec<LogLine>,
    fuel_consumed: u64,
    memory_grew: bool,
}

impl MetricProvider for PluginHost {
    fn describe(&self, plugin: &str) -> Result<PluginDescription, PluginFailure> {
        Ok(self.details(plugin)?.description.clone())
    }

    fn compute(&self, request: &MetricRequest) -> Result<Vec<MetricValue>, PluginFailure> {
        Ok(self.run(request)?.values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_invalid_component_and_unknown_plugins_are_named() {
        let mut host = PluginHost::new(HostConfig::default()).unwrap();
        let error = host.load_unreviewed(b"definitely not wasm").unwrap_err();
        assert_eq!(error.kind.name(), "invalid-component");
        let error = host.details("nobody").unwrap_err();
        assert_eq!(error.to_string(), "plugin `nobody`: no such plugin is loaded");
    }
}
