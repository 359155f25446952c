//! The per-call sandbox: store state, the resource limiter, the `log` import, and turning traps into named
//! errors.

use wasmtime::{ResourceLimiter, Trap};

use crate::error::PluginErrorKind;
use crate::limits::{self, Limits};

/// Code generated from the SDK's WIT. Only this crate sees these types; they are converted to
/// `tiendo_core::plugin` types at the edge.
pub(crate) mod bindings {
    wasmtime::component::bindgen!({
        path: "../tiendo-plugin/wit/v0.1",
        world: "packed-metric-plugin",
    });
}

use bindings::tiendo::plugin::host::Level;

/// One log message from a plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// `debug`, `info`, `warn` or `error`.
    pub level: &'static str,
    pub message: String,
}

impl std::fmt::Display for LogLine {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}: {}", self.level, self.message)
    }
}

/// What a store holds during one call.
pub(crate) struct SandboxState {
    pub(crate) limiter: MemoryLimiter,
    pub(crate) logs: Vec<LogLine>,
    pub(crate) logs_dropped: usize,
}

impl SandboxState {
    pub(crate) fn new(limits: &Limits) -> SandboxState {
        SandboxState {
            limiter: MemoryLimiter {
                memory_bytes: usize::try_from(limits.memory_bytes).unwrap_or(usize::MAX),
                memory_limit_hit: false,
                memory_grew: false,
            },
            logs: Vec::new(),
            logs_dropped: 0,
        }
    }
}

impl bindings::tiendo::plugin::host::Host for SandboxState {
    fn log(&mut self, level: Level, message: String) {
        if self.logs.len() >= limits::MAX_LOGS_PER_CALL {
            self.logs_dropped += 1;
            return;
        }
        let level = match level {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        };
        self.logs.push(LogLine { level, message: truncate(message, limits::MAX_LOG_BYTES) });
    }
}

/// Cuts `text` to at most `max_bytes` bytes on a character boundary, marking the cut.
fn truncate(mut text: String, max_bytes: usize) -> String {
    if text.len() > max_bytes {
        let mut end = max_bytes;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// Limits memory, tables and instances, and remembers that it refused memory so that the resulting trap can be
/// reported as [`PluginErrorKind::MemoryLimit`] rather than as a generic crash (wasmtime has no trap code for it).
pub(crate) struct MemoryLimiter {
    memory_bytes: usize,
    pub(crate) memory_limit_hit: bool,
    /// Whether a memory grew after instantiation (`memory.grow`; instantiating a memory asks from a size of 0).
    pub(crate) memory_grew: bool,
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(&mut self, current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        self.memory_grew |= current > 0 && desired > current;
        if desired > self.memory_bytes {
            self.memory_limit_hit = true;
            // An error (rather than `Ok(false)`) traps at once. With `Ok(false)` `memory.grow` would return -1 and
            // the guest's allocator would abort with an unhelpful "unreachable" trap.
            return Err(wasmtime::format_err!("plugin memory limit of {} bytes reached", self.memory_bytes));
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= limits::MAX_TABLE_ELEMENTS)
    }

    fn instances(&self) -> usize {
        limits::MAX_INSTANCES
    }

    fn tables(&self) -> usize {
        limits::MAX_TABLES
    }

    fn memories(&self) -> usize {
        limits::MAX_MEMORIES
    }
}

/// Names the cause of a failed call. The limiter flag comes first because a refused `memory.grow` surfaces as an
/// ordinary error; then the trap codes that mean a limit; anything else is a crash, reported with the plugin's
/// last log messages (where the SDK's panic hook put the panic message).
pub(crate) fn classify_failure(error: &wasmtime::Error, state: &SandboxState, limits: &Limits) -> PluginErrorKind {
    if state.limiter.memory_limit_hit {
        return PluginErrorKind::MemoryLimit { limit_mib: limits.memory_mib() };
    }
    if let Some(call) = stubbed_system_call(error) {
        return PluginErrorKind::SystemCall { call };
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => PluginErrorKind::FuelExhausted { fuel: limits.fuel },
        Some(Trap::Interrupt) => PluginErrorKind::Timeout { timeout_ms: limits.timeout_ms() },
        Some(Trap::StackOverflow) => PluginErrorKind::StackOverflow,
        Some(trap) => PluginErrorKind::Crashed {
            trap: trap.to_string().trim_start_matches("wasm trap: ").to_owned(),
            last_logs: last_logs(state),
        },
        None => PluginErrorKind::Crashed { trap: root_cause(error), last_logs: last_logs(state) },
    }
}

/// The system call a stubbed-out WASI import was asked for, as `wall_clock_now (wasi:clocks)`.
///
/// componentize-py's `--stub-wasi` replaces each WASI import with an unnamed function that executes `unreachable`;
/// wasi-libc (`libc.so` in the component) calls it from a wrapper named after the WASI function
/// (`filesystem_preopens_get_directories`, `wall_clock_now`, `tcp_create_socket`…). So: an `unreachable` trap whose
/// innermost frame has no name and whose first named frame is in `libc.so`. Rust plugins have no `libc.so`.
fn stubbed_system_call(error: &wasmtime::Error) -> Option<String> {
    if !matches!(error.downcast_ref::<Trap>(), Some(Trap::UnreachableCodeReached)) {
        return None;
    }
    let frames = error.downcast_ref::<wasmtime::WasmBacktrace>()?.frames();
    if frames.first()?.func_name().is_some() {
        return None;
    }
    let wrapper = frames.iter().find(|frame| frame.func_name().is_some())?;
    if wrapper.module().name() != Some("libc.so") {
        return None;
    }
    let name = wrapper.func_name()?;
    Some(match wasi_interface(name) {
        Some(interface) => format!("{name} ({interface})"),
        None => name.to_owned(),
    })
}

/// The WASI package of a wasi-libc wrapper, by its name's prefix.
fn wasi_interface(wrapper: &str) -> Option<&'static str> {
    const PREFIXES: [(&str, &str); 14] = [
        ("filesystem_", "wasi:filesystem"),
        ("wall_clock_", "wasi:clocks"),
        ("monotonic_clock_", "wasi:clocks"),
        ("tcp_", "wasi:sockets"),
        ("udp_", "wasi:sockets"),
        ("ip_name_lookup_", "wasi:sockets"),
        ("instance_network_", "wasi:sockets"),
        ("network_", "wasi:sockets"),
        ("environment_", "wasi:cli/environment"),
        ("random_", "wasi:random"),
        ("insecure_", "wasi:random"),
        ("poll_", "wasi:io/poll"),
        ("streams_", "wasi:io/streams"),
        ("exit_", "wasi:cli/exit"),
    ];
    PREFIXES.iter().find(|(prefix, _)| wrapper.starts_with(prefix)).map(|(_, interface)| *interface)
}

fn root_cause(error: &wasmtime::Error) -> String {
    error.chain().last().map(ToString::to_string).unwrap_or_else(|| error.to_string())
}

/// The last few messages, enough to hold a panic message and what led to it.
fn last_logs(state: &SandboxState) -> Vec<String> {
    let skip = state.logs.len().saturating_sub(5);
    state.logs[skip..].iter().map(ToString::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bindings::tiendo::plugin::host::Host;

    #[test]
    fn logs_are_cut_and_counted() {
        let mut state = SandboxState::new(&Limits::DEFAULT);
        state.log(Level::Warn, "é".repeat(600));
        assert_eq!(state.logs[0].message.len(), 1024 + '…'.len_utf8());
        assert_eq!(state.logs[0].level, "warn");
        for _ in 0..200 {
            state.log(Level::Info, "x".to_owned());
        }
        assert_eq!(state.logs.len(), limits::MAX_LOGS_PER_CALL);
        assert_eq!(state.logs_dropped, 101);
    }

    #[test]
    fn memory_above_the_limit_is_refused_and_remembered() {
        let mut state = SandboxState::new(&Limits::DEFAULT);
        assert!(state.limiter.memory_growing(0, 1 << 20, None).unwrap());
        assert!(!state.limiter.memory_grew, "instantiating a memory is not growing it");
        assert!(state.limiter.memory_growing(1 << 20, 2 << 20, None).unwrap());
        assert!(state.limiter.memory_grew);
        assert!(state.limiter.memory_growing(0, (64 << 20) + 1, None).is_err());
        assert!(state.limiter.memory_limit_hit);
        let error = wasmtime::format_err!("anything");
        assert_eq!(classify_failure(&error, &state, &Limits::DEFAULT), PluginErrorKind::MemoryLimit { limit_mib: 64 });
    }

    #[test]
    fn wasi_wrappers_name_their_package() {
        let cases = [
            ("filesystem_preopens_get_directories", Some("wasi:filesystem")),
            ("wall_clock_now", Some("wasi:clocks")),
            ("monotonic_clock_subscribe_duration", Some("wasi:clocks")),
            ("tcp_create_socket_create_tcp_socket", Some("wasi:sockets")),
            ("environment_get_environment", Some("wasi:cli/environment")),
            ("PyTime_Time", None),
        ];
        for (wrapper, expected) in cases {
            assert_eq!(wasi_interface(wrapper), expected, "{wrapper}");
        }
    }

    #[test]
    fn traps_map_to_named_errors() {
        let state = SandboxState::new(&Limits::DEFAULT);
        let cases = [
            (Trap::OutOfFuel, "fuel-exhausted"),
            (Trap::Interrupt, "timeout"),
            (Trap::StackOverflow, "stack-overflow"),
            (Trap::UnreachableCodeReached, "crashed"),
        ];
        for (trap, expected) in cases {
            let error = wasmtime::Error::from(trap);
            assert_eq!(classify_failure(&error, &state, &Limits::DEFAULT).name(), expected);
        }
    }
}
