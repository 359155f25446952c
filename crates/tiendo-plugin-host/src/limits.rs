//! Sandbox limits: defaults, hard caps, and the overrides a reviewed `plugin.toml` may ask for.

use std::time::Duration;

use tiendo_core::plugin::PluginLimitOverrides;

use crate::error::PluginErrorKind;

const MIB: u64 = 1024 * 1024;

/// The limits one plugin runs under. Every call gets a fresh store with these limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Fuel per call (about one unit per WebAssembly instruction).
    pub fuel: u64,
    /// Wall-clock limit per call, enforced by epoch interruption at the ticker's resolution.
    pub timeout: Duration,
    /// Linear memory per call, in bytes; growing past it traps.
    pub memory_bytes: u64,
    /// Largest accepted `.wasm` file, in bytes.
    pub wasm_size_bytes: u64,
}

impl Limits {
    /// The limits a plugin gets when its manifest asks for nothing (see docs/plugins.md for how they were
    /// chosen: about 0.1 s of CPU, 2 s wall clock, 64 MiB; a 48 MiB file, because a Python plugin carries its
    /// interpreter and standard library and is 18-20 MiB, a Rust plugin about 100 KiB).
    pub const DEFAULT: Limits = Limits {
        fuel: 1_000_000_000,
        timeout: Duration::from_secs(2),
        memory_bytes: 64 * MIB,
        wasm_size_bytes: 48 * MIB,
    };

    /// The most a manifest may ask for.
    pub const CAP: Limits = Limits {
        fuel: 10_000_000_000,
        timeout: Duration::from_secs(30),
        memory_bytes: 512 * MIB,
        wasm_size_bytes: 64 * MIB,
    };

    /// The defaults raised (or lowered) by a manifest's overrides; an override above the cap or equal to zero is
    /// refused rather than silently clamped, so the reviewer sees it.
    pub fn with_overrides(overrides: &PluginLimitOverrides) -> Result<Limits, PluginErrorKind> {
        let mut limits = Limits::DEFAULT;
        if let Some(fuel) = overrides.fuel {
            limits.fuel = checked("fuel", fuel, Limits::CAP.fuel)?;
        }
        if let Some(timeout_ms) = overrides.timeout_ms {
            let cap = u64::try_from(Limits::CAP.timeout.as_millis()).expect("the cap fits in u64");
            limits.timeout = Duration::from_millis(checked("timeout_ms", timeout_ms, cap)?);
        }
        if let Some(memory_mib) = overrides.memory_mib {
            limits.memory_bytes = checked("memory_mib", memory_mib, Limits::CAP.memory_bytes / MIB)? * MIB;
        }
        if let Some(size_kib) = overrides.wasm_size_kib {
            limits.wasm_size_bytes = checked("wasm_size_kib", size_kib, Limits::CAP.wasm_size_bytes / 1024)? * 1024;
        }
        Ok(limits)
    }

    /// Memory limit in MiB, for messages.
    pub fn memory_mib(&self) -> u64 {
        self.memory_bytes / MIB
    }

    /// Timeout in milliseconds, for messages.
    pub fn timeout_ms(&self) -> u64 {
        u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX)
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

fn checked(name: &str, value: u64, cap: u64) -> Result<u64, PluginErrorKind> {
    if value == 0 {
        Err(PluginErrorKind::InvalidManifest { reason: format!("limits.{name} must be above zero") })
    } else if value > cap {
        Err(PluginErrorKind::InvalidManifest { reason: format!("limits.{name} = {value} is above the cap of {cap}") })
    } else {
        Ok(value)
    }
}

/// At most this many metrics in one result.
pub const MAX_METRICS: usize = 10_000;
/// At most this many characters in a metric name.
pub const MAX_METRIC_NAME_CHARS: usize = 256;
/// At most this many bytes in a unit or note.
pub const MAX_TEXT_BYTES: usize = 4096;
/// At most this many log messages kept per call.
pub const MAX_LOGS_PER_CALL: usize = 100;
/// Log messages are cut to this many bytes.
pub const MAX_LOG_BYTES: usize = 1024;
/// Core instances, memories and tables one store may create. A Python component (componentize-py) links about a
/// dozen core modules (libc, libpython, the runtime, the stubs and shims); a Rust plugin needs 1-3.
pub const MAX_INSTANCES: usize = 128;
pub const MAX_MEMORIES: usize = 4;
pub const MAX_TABLES: usize = 8;
/// Elements per table: CPython's indirect-call table is tens of thousands of functions.
pub const MAX_TABLE_ELEMENTS: usize = 100_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_overrides_gives_the_defaults() {
        assert_eq!(Limits::with_overrides(&PluginLimitOverrides::default()), Ok(Limits::DEFAULT));
    }

    #[test]
    fn overrides_up_to_the_cap_are_accepted() {
        let overrides = PluginLimitOverrides {
            fuel: Some(10_000_000_000),
            timeout_ms: Some(30_000),
            memory_mib: Some(512),
            wasm_size_kib: Some(65_536),
        };
        assert_eq!(Limits::with_overrides(&overrides), Ok(Limits::CAP));
    }

    #[test]
    fn overrides_above_the_cap_or_zero_are_refused() {
        let cases = [
            (PluginLimitOverrides { fuel: Some(10_000_000_001), ..Default::default() }, "limits.fuel"),
            (PluginLimitOverrides { timeout_ms: Some(30_001), ..Default::default() }, "limits.timeout_ms"),
            (PluginLimitOverrides { memory_mib: Some(513), ..Default::default() }, "limits.memory_mib"),
            (PluginLimitOverrides { wasm_size_kib: Some(0), ..Default::default() }, "limits.wasm_size_kib"),
        ];
        for (overrides, expected) in cases {
            let error = Limits::with_overrides(&overrides).unwrap_err();
            assert!(error.to_string().contains(expected), "{error} should mention {expected}");
        }
    }
}
