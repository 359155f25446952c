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
mod error;
mod language;
mod limits;
mod request;
mod sandbox;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use tiendo_core::plugin::{
    MetricProvider, MetricRequest, MetricValue, PluginDescription, PluginFailure, PluginManifest,
};
use wasmtime::component::{Component, HasSelf, Instance, InstancePre, Linker};
use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store};

pub use builder::{BuildError, BuildRequest, BuiltPlugin, build_plugins, componentize, ensure_wasm_target};
pub use builder_python::{PythonBuildRequest, build_python_plugin, is_python_plugin};
pub use cache::{KEY_FILE as CACHE_KEY_FILE, hex_sha256};
pub use error::{PluginError, PluginErrorKind};
pub use limits::Limits;
pub use sandbox::LogLine;

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
        let (result, logs, fuel_consumed) = match (&plugin.packed, &plugin.columns) {
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
        Ok(Computation { values, logs, fuel_consumed })
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
        let (result, _logs, _fuel) = self.call(&plugin.pre, &plugin.details.limits, |_store, _instance| Ok(()));
        result.map_err(|kind| PluginError::new(id, kind))
    }

    fn load_reviewed(&self, manifest: &PluginManifest, wasm: &[u8]) -> Result<LoadedPlugin, PluginErrorKind> {
        let limits = Limits::with_overrides(&manifest.limits)?;
        check_file(wasm, &limits)?;
        let expected = manifest.sha256.trim().to_ascii_lowercase();
        if expected.len() != 64 || !expected.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(PluginErrorKind::InvalidManifest {
                reason: format!("sha256 must be 64 hexadecimal digits, got `{}`", manifest.sha256),
            });
        }
        let actual = hex_sha256(wasm);
        if actual != expected {
            return Err(PluginErrorKind::ChecksumMismatch { expected, actual });
        }
        if let Some(required) = &manifest.min_host_version {
            check_host_version(required)?;
        }
        let mut loaded = self.compile_and_check(wasm, &limits, &actual)?;
        let info = &loaded.details.description;
        if info.id != manifest.id {
            return Err(PluginErrorKind::ManifestMismatch {
                reason: format!("plugin.toml says id `{}`, the plugin says `{}`", manifest.id, info.id),
            });
        }
        if let Some(version) = manifest.version.as_ref().filter(|version| **version != info.version) {
            return Err(PluginErrorKind::ManifestMismatch {
                reason: format!("plugin.toml says version `{version}`, the plugin says `{}`", info.version),
            });
        }
        if let Some(unknown) = manifest.metric_ranges.keys().find(|metric| !info.metrics.contains(metric)) {
            return Err(PluginErrorKind::ManifestMismatch {
                reason: format!(
                    "plugin.toml declares a range for metric `{unknown}`, which the plugin does not declare (it \
                     declares {})",
                    info.metrics.join(", ")
                ),
            });
        }
        loaded.details.description.ranges.clone_from(&manifest.metric_ranges);
        Ok(loaded)
    }

    /// Compiles (or loads from the cache), checks the interface and imports, pre-instantiates, and asks the plugin
    /// who it is (or takes the answer its cache entry remembers).
    fn compile_and_check(&self, wasm: &[u8], limits: &Limits, sha256: &str) -> Result<LoadedPlugin, PluginErrorKind> {
        check_file(wasm, limits)?;
        let lookup = self.cache.as_ref().map_or(cache::Lookup::Miss, |cache| cache.load(&self.engine, sha256));
        let (cached, cache_refused) = match lookup {
            cache::Lookup::Hit(component, info) => (Some((component, info)), None),
            cache::Lookup::Miss => (None, None),
            cache::Lookup::Refused(reason) => (None, Some(reason)),
        };
        let from_cache = cached.is_some();
        let (component, cached_info) = match cached {
            Some((component, info)) => (component, Some(info)),
            None => (
                Component::new(&self.engine, wasm)
                    .map_err(|error| PluginErrorKind::InvalidComponent { reason: error_chain(&error) })?,
                None,
            ),
        };
        let component_type = component.component_type();
        let exports: Vec<String> = component_type.exports(&self.engine).map(|(name, _)| name.to_owned()).collect();
        let imports: Vec<String> = component_type.imports(&self.engine).map(|(name, _)| name.to_owned()).collect();
        let interface_version = check_interface(&exports, &imports)?;
        let incompatible = |error: wasmtime::Error| PluginErrorKind::IncompatibleInterface {
            found: error_chain(&error),
            supported: supported_range(),
        };
        let instance_pre = self.linker.instantiate_pre(&component).map_err(incompatible)?;
        let metric = wit::GuestIndices::new(&instance_pre).map_err(incompatible)?;
        // Absent from older plugins, which are then called through `compute-columns` (0.1.1) or `compute` (0.1.0).
        let columns = wit_columns::GuestIndices::new(&instance_pre).ok();
        let packed = wit_packed::GuestIndices::new(&instance_pre).ok();
        let export = match (&packed, &columns) {
            (Some(_), _) => ComputeExport::Packed,
            (None, Some(_)) => ComputeExport::Columns,
            (None, None) => ComputeExport::Compute,
        };
        let info = match cached_info.filter(|info| info.export == export) {
            Some(info) => info,
            None => self.ask_info(&instance_pre, limits, &metric, columns.as_ref(), packed.as_ref())?,
        };
        let description = PluginDescription {
            id: info.id.clone(),
            version: info.version.clone(),
            description: info.description.clone(),
            inputs: info.inputs.clone(),
            metrics: info.metrics.clone(),
            ranges: BTreeMap::new(),
        };
        check_description(&description)?;
        if let Some(cache) = self.cache.as_ref().filter(|_| !from_cache) {
            cache.store(sha256, &component, &info);
        }
        Ok(LoadedPlugin {
            details: PluginDetails {
                description,
                interface_version,
                export,
                sha256: sha256.to_owned(),
                size_bytes: wasm.len() as u64,
                imports,
                language: language::language_of(wasm),
                limits: *limits,
                from_cache,
                cache_refused,
            },
            pre: instance_pre,
            metric,
            columns,
            packed,
        })
    }

    /// Calls `info()` in a fresh sandbox. Loading the exports also checks their types, those of `compute-columns`
    /// and `compute-packed` included, so that a plugin whose `columns` or `packed` export does not match its WIT is
    /// refused here rather than failing on its first call.
    fn ask_info(
        &self,
        pre: &InstancePre<SandboxState>,
        limits: &Limits,
        metric: &wit::GuestIndices,
        columns: Option<&wit_columns::GuestIndices>,
        packed: Option<&wit_packed::GuestIndices>,
    ) -> Result<cache::CachedInfo, PluginErrorKind> {
        let (info, _logs, _fuel) = self.call(pre, limits, |store, instance| {
            let columns_typed = columns.is_none_or(|columns| columns.load(&mut *store, instance).is_ok());
            let packed_typed = packed.is_none_or(|packed| packed.load(&mut *store, instance).is_ok());
            let mistyped = match (columns_typed, packed_typed) {
                (false, _) => Some("tiendo:plugin/columns export does not have the types of WIT 0.1.1"),
                (true, false) => Some("tiendo:plugin/packed export does not have the types of WIT 0.1.2"),
                (true, true) => None,
            };
            Ok((metric.load(&mut *store, instance)?.call_info(store)?, mistyped))
        });
        let (info, mistyped) = info?;
        if let Some(mistyped) = mistyped {
            return Err(PluginErrorKind::IncompatibleInterface {
                found: format!("its {mistyped}"),
                supported: supported_range(),
            });
        }
        Ok(cache::CachedInfo {
            id: info.id,
            version: info.version,
            description: info.description,
            inputs: info.inputs,
            metrics: info.metrics,
            export: if packed.is_some() {
                ComputeExport::Packed
            } else if columns.is_some() {
                ComputeExport::Columns
            } else {
                ComputeExport::Compute
            },
        })
    }

    /// One call in a fresh store: returns the result (or the named cause of failure), the logs and the fuel used.
    /// The store is dropped afterwards whatever happened, so a trapped instance is never entered again.
    fn call<R>(
        &self,
        pre: &InstancePre<SandboxState>,
        limits: &Limits,
        body: impl FnOnce(&mut Store<SandboxState>, &Instance) -> wasmtime::Result<R>,
    ) -> (Result<R, PluginErrorKind>, Vec<LogLine>, u64) {
        let mut store = Store::new(&self.engine, SandboxState::new(limits));
        store.limiter(|state| &mut state.limiter);
        if let Err(error) = store.set_fuel(limits.fuel) {
            return (Err(PluginErrorKind::Crashed { trap: error.to_string(), last_logs: Vec::new() }), Vec::new(), 0);
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
        (result, logs, fuel_consumed)
    }
}

impl MetricProvider for PluginHost {
    fn describe(&self, plugin: &str) -> Result<PluginDescription, PluginFailure> {
        Ok(self.details(plugin)?.description.clone())
    }

    fn compute(&self, request: &MetricRequest) -> Result<Vec<MetricValue>, PluginFailure> {
        Ok(self.run(request)?.values)
    }
}

/// The engine's configuration; `resident` keeps the pages a call wrote mapped and resets them by copying (asks for
/// PAGEMAP_SCAN, so an engine with it fails to start on a kernel without it).
fn engine_config(config: &HostConfig, resident: bool) -> Config {
    let mut engine_config = Config::new();
    engine_config.consume_fuel(true);
    engine_config.epoch_interruption(true);
    // Same inputs, same outputs: canonical NaNs and no relaxed SIMD, whose results differ between CPUs.
    engine_config.cranelift_nan_canonicalization(true);
    engine_config.wasm_relaxed_simd(false);
    let calls = config.max_concurrent_calls.max(1);
    let mut pool = PoolingAllocationConfig::default();
    pool.total_component_instances(calls)
        .total_core_instances(calls * limits::MAX_INSTANCES as u32)
        .total_memories(calls * limits::MAX_MEMORIES as u32)
        .total_tables(calls * limits::MAX_TABLES as u32)
        .table_elements(limits::MAX_TABLE_ELEMENTS)
        .max_memory_size(usize::try_from(Limits::CAP.memory_bytes).expect("512 MiB fits in usize"))
        // Every call gets a fresh instance, whose memory is handed back to the kernel (`madvise`) when the call ends,
        // so that no call sees another's data. One `madvise` per call, each flushing the TLB of every thread, was
        // about a tenth of a full review's CPU (docs/performance.md): the slots are reset in batches instead. A
        // slot is never reused before it has been reset.
        .decommit_batch_size(calls as usize);
    if resident {
        // Most of a small call was the kernel: faulting in the pages the call touches, then unmapping them
        // (docs/performance.md). With PAGEMAP_SCAN the engine finds the pages a call wrote and copies the original
        // contents back into them (up to this many bytes), so the next call finds them mapped, and no call sees
        // another's data.
        pool.pagemap_scan(Enabled::Yes).linear_memory_keep_resident(RESIDENT_BYTES).table_keep_resident(RESIDENT_BYTES);
    }
    engine_config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    engine_config
}

/// How much of a call's written memory (and of its tables) is reset by copying rather than unmapped: the shipped
/// Rust plugins write well under this in a call.
const RESIDENT_BYTES: usize = 1 << 20;

fn supported_range() -> String {
    format!("{METRIC_INTERFACE}@0.1.x")
}

/// Refuses what is not a WebAssembly file, or one larger than the plugin may be, before anything parses it.
fn check_file(wasm: &[u8], limits: &Limits) -> Result<(), PluginErrorKind> {
    // Every WebAssembly file starts with `\0asm`: anything else gets a one-line answer instead of the parser's dump.
    if !wasm.starts_with(b"\0asm") {
        return Err(PluginErrorKind::InvalidComponent {
            reason: "not a WebAssembly file: it does not start with the `\\0asm` header".to_owned(),
        });
    }
    if wasm.len() as u64 > limits.wasm_size_bytes {
        return Err(PluginErrorKind::InvalidComponent {
            reason: format!(
                "the file is {} KiB, above the limit of {} KiB",
                wasm.len() / 1024,
                limits.wasm_size_bytes / 1024
            ),
        });
    }
    Ok(())
}

fn check_host_version(required: &str) -> Result<(), PluginErrorKind> {
    let required_version = semver::Version::parse(required.trim()).map_err(|error| {
        PluginErrorKind::InvalidManifest { reason: format!("min_host_version `{required}` is not a version: {error}") }
    })?;
    let current = semver::Version::parse(HOST_VERSION).expect("the crate version is semver");
    if current < required_version {
        return Err(PluginErrorKind::HostTooOld { required: required.to_owned(), current: HOST_VERSION.to_owned() });
    }
    Ok(())
}

/// Finds the `tiendo:plugin/metric@X.Y.Z` export and checks its version, then refuses any import other than
/// `tiendo:plugin/host`. The version comes first so that a plugin for another major version is reported as
/// incompatible rather than as importing a foreign `host` interface.
fn check_interface(exports: &[String], imports: &[String]) -> Result<String, PluginErrorKind> {
    let requirement = semver::VersionReq::parse(SUPPORTED_INTERFACE).expect("a valid requirement");
    let Some(version) = exports.iter().find_map(|name| versioned(name, METRIC_INTERFACE)) else {
        let found = if exports.is_empty() {
            "the component exports nothing".to_owned()
        } else {
            format!("the component exports {} but no {METRIC_INTERFACE}", exports.join(", "))
        };
        return Err(PluginErrorKind::IncompatibleInterface { found, supported: supported_range() });
    };
    match semver::Version::parse(version) {
        Ok(parsed) if requirement.matches(&parsed) => {}
        _ => {
            return Err(PluginErrorKind::IncompatibleInterface {
                found: format!("the plugin was built for {METRIC_INTERFACE}@{version}"),
                supported: supported_range(),
            });
        }
    }
    for import in imports {
        let allowed = versioned(import, HOST_INTERFACE)
            .and_then(|version| semver::Version::parse(version).ok())
            .is_some_and(|version| requirement.matches(&version));
        if !allowed {
            return Err(PluginErrorKind::ForbiddenImport { import: import.clone() });
        }
    }
    Ok(version.to_owned())
}

/// `Some("0.1.0")` for `tiendo:plugin/metric@0.1.0` when `interface` is `tiendo:plugin/metric`.
fn versioned<'a>(name: &'a str, interface: &str) -> Option<&'a str> {
    name.strip_prefix(interface)?.strip_prefix('@')
}

fn check_description(description: &PluginDescription) -> Result<(), PluginErrorKind> {
    let valid_id = !description.id.is_empty()
        && description.id.len() <= 64
        && description.id.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if !valid_id {
        return Err(PluginErrorKind::InvalidComponent {
            reason: format!("info() returned the id `{}`, which is not kebab-case ASCII", description.id),
        });
    }
    let too_long = description.metrics.len() > limits::MAX_METRICS
        || description.inputs.len() > limits::MAX_METRICS
        || description.description.len() > limits::MAX_TEXT_BYTES;
    if too_long {
        return Err(PluginErrorKind::OutputTooLarge {
            reason: "info() returned too many inputs or metrics".to_owned(),
        });
    }
    Ok(())
}

fn reported(error: wit::MetricError) -> PluginErrorKind {
    let (reason, message) = match error {
        wit::MetricError::InvalidInput(message) => ("invalid-input", message),
        wit::MetricError::MissingInput(message) => ("missing-input", message),
        wit::MetricError::Internal(message) => ("internal", message),
    };
    let message = if message.len() > limits::MAX_TEXT_BYTES {
        format!("{}…", &message[..message.floor_char_boundary(limits::MAX_TEXT_BYTES)])
    } else {
        message
    };
    PluginErrorKind::PluginReported { reason: reason.to_owned(), message: format!("{reason}: {message}") }
}

/// Refuses results that are too big to be a sensible metric list. Each value is passed on as returned: evaluation
/// judges it per point (declared id, finite, within range; see `tiendo_core::eval`), so that one bad value fails
/// only its own point.
fn check_output(values: Vec<wit::MetricValue>) -> Result<Vec<MetricValue>, PluginErrorKind> {
    if values.len() > limits::MAX_METRICS {
        return Err(PluginErrorKind::OutputTooLarge {
            reason: format!("{} metrics, more than the limit of {}", values.len(), limits::MAX_METRICS),
        });
    }
    values
        .into_iter()
        .map(|value| {
            if value.name.chars().count() > limits::MAX_METRIC_NAME_CHARS {
                return Err(PluginErrorKind::OutputTooLarge {
                    reason: format!(
                        "a metric name of {} characters, more than the limit of {}",
                        value.name.chars().count(),
                        limits::MAX_METRIC_NAME_CHARS
                    ),
                });
            }
            let text_bytes = value.unit.as_ref().map_or(0, String::len) + value.note.as_ref().map_or(0, String::len);
            if text_bytes > limits::MAX_TEXT_BYTES {
                return Err(PluginErrorKind::OutputTooLarge {
                    reason: format!("metric `{}` has {text_bytes} bytes of unit and note", value.name),
                });
            }
            Ok(MetricValue { name: value.name, value: value.value, unit: value.unit, note: value.note })
        })
        .collect()
}

fn error_chain(error: &wasmtime::Error) -> String {
    error.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ")
}

/// Advances the engine's epoch at a fixed interval so that calls can be interrupted by wall-clock time. Stopped and
/// joined when the host is dropped.
struct EpochTicker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl EpochTicker {
    fn start(engine: Engine, tick: Duration) -> EpochTicker {
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("tiendo-plugin-epoch".to_owned())
            .spawn(move || {
                while !thread_stop.load(Ordering::Relaxed) {
                    std::thread::sleep(tick);
                    engine.increment_epoch();
                }
            })
            .ok();
        EpochTicker { stop, thread }
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn files_that_are_not_webassembly_get_a_one_line_reason() {
        let cases: [(&[u8], bool); 4] =
            [(b"", false), (b"MZ\x90\x00 not wasm", false), (b"\0asm\x0d\x00\x01\x00", true), (b"\0as", false)];
        for (bytes, passes) in cases {
            match check_file(bytes, &Limits::DEFAULT) {
                Ok(()) => assert!(passes, "{bytes:?}"),
                Err(PluginErrorKind::InvalidComponent { reason }) => {
                    assert!(!passes, "{bytes:?}");
                    assert_eq!(reason, "not a WebAssembly file: it does not start with the `\\0asm` header");
                }
                Err(other) => panic!("{bytes:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn interface_checks() {
        let host = names(&["tiendo:plugin/host@0.1.0"]);
        assert_eq!(check_interface(&names(&["tiendo:plugin/metric@0.1.0"]), &host), Ok("0.1.0".to_owned()));
        assert_eq!(check_interface(&names(&["tiendo:plugin/metric@0.1.7"]), &[]), Ok("0.1.7".to_owned()));
        let cases: [(&[&str], &[&str], &str); 5] = [
            (&["tiendo:plugin/metric@1.0.0"], &["tiendo:plugin/host@1.0.0"], "incompatible-interface"),
            (&["tiendo:plugin/metric@0.2.0"], &[], "incompatible-interface"),
            (&["other:thing/metric@0.1.0"], &[], "incompatible-interface"),
            (&["tiendo:plugin/metric@0.1.0"], &["wasi:random/random@0.2.0"], "forbidden-import"),
            (&["tiendo:plugin/metric@0.1.0"], &["tiendo:plugin/host@0.2.0"], "forbidden-import"),
        ];
        for (exports, imports, expected) in cases {
            let error = check_interface(&names(exports), &names(imports)).unwrap_err();
            assert_eq!(error.name(), expected, "{exports:?} {imports:?}");
        }
        let error = check_interface(&names(&["tiendo:plugin/metric@1.0.0"]), &[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "incompatible interface: the plugin was built for tiendo:plugin/metric@1.0.0; this host supports \
             tiendo:plugin/metric@0.1.x"
        );
    }

    #[test]
    fn host_version_requirement() {
        assert!(check_host_version("0.1.0").is_ok());
        assert_eq!(check_host_version("9.0.0").unwrap_err().name(), "host-too-old");
        assert_eq!(check_host_version("soon").unwrap_err().name(), "invalid-manifest");
    }

    #[test]
    fn output_limits() {
        let metric = |name: &str| wit::MetricValue { name: name.to_owned(), value: Some(1.0), unit: None, note: None };
        assert!(check_output(vec![metric("ok")]).is_ok());
        let too_many: Vec<_> = (0..10_001).map(|_| metric("x")).collect();
        assert_eq!(check_output(too_many).unwrap_err().name(), "output-too-large");
        assert_eq!(check_output(vec![metric(&"n".repeat(257))]).unwrap_err().name(), "output-too-large");
        // Judged per point by evaluation, not here: a NaN is passed on as returned.
        let not_finite = wit::MetricValue { value: Some(f64::NAN), ..metric("nan") };
        let checked = check_output(vec![not_finite]).unwrap();
        assert!(checked[0].value.is_some_and(f64::is_nan));
    }

    #[test]
    fn garbage_is_an_invalid_component_and_unknown_plugins_are_named() {
        let mut host = PluginHost::new(HostConfig::default()).unwrap();
        let error = host.load_unreviewed(b"definitely not wasm").unwrap_err();
        assert_eq!(error.kind.name(), "invalid-component");
        let error = host.details("nobody").unwrap_err();
        assert_eq!(error.to_string(), "plugin `nobody`: no such plugin is loaded");
    }
}
