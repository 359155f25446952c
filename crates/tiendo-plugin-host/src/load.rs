//! Loading a plugin: the reviewed manifest's checks (sha256, host version, id, version, ranges), then compiling it or
//! taking it from the compiled-plugin cache, the interface and import checks, the `InstancePre`, the exports the host
//! will call, and `info()`.

use std::collections::BTreeMap;

use tiendo_core::plugin::{PluginDescription, PluginManifest};
use wasmtime::component::{Component, InstancePre};

use crate::checks::{check_description, check_file, check_host_version, check_interface, error_chain, supported_range};
use crate::error::PluginErrorKind;
use crate::limits::Limits;
use crate::sandbox::SandboxState;
use crate::{
    ComputeExport, LoadedPlugin, PluginDetails, PluginHost, cache, hex_sha256, language, wit, wit_columns, wit_packed,
};

impl PluginHost {
    pub(crate) fn load_reviewed(
        &self,
        manifest: &PluginManifest,
        wasm: &[u8],
    ) -> Result<LoadedPlugin, PluginErrorKind> {
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
                reason: format!("the declaration says id `{}`, the plugin's info() says `{}`", manifest.id, info.id),
            });
        }
        if let Some(version) = manifest.version.as_ref().filter(|version| **version != info.version) {
            return Err(PluginErrorKind::ManifestMismatch {
                reason: format!(
                    "the declaration says version `{version}`, the plugin's info() says `{}`",
                    info.version
                ),
            });
        }
        if let Some(unknown) = manifest.metric_ranges.keys().find(|metric| !info.metrics.contains(metric)) {
            return Err(PluginErrorKind::ManifestMismatch {
                reason: format!(
                    "the declaration gives a range for metric `{unknown}`, which the plugin does not declare (it \
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
    pub(crate) fn compile_and_check(
        &self,
        wasm: &[u8],
        limits: &Limits,
        sha256: &str,
    ) -> Result<LoadedPlugin, PluginErrorKind> {
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
        let (info, _record) = self.call(pre, limits, |store, instance| {
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
}
