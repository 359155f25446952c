//! What the host checks about a plugin before and after running it: the file, the manifest's host version, the
//! interface and imports, what `info()` says, and the size of what a call returns.

use tiendo_core::plugin::{MetricValue, PluginDescription};

use crate::error::PluginErrorKind;
use crate::limits::{self, Limits};
use crate::sandbox::bindings::exports::tiendo::plugin::metric as wit;
use crate::{HOST_INTERFACE, HOST_VERSION, METRIC_INTERFACE, SUPPORTED_INTERFACE};

pub(crate) fn supported_range() -> String {
    format!("{METRIC_INTERFACE}@0.1.x")
}

/// Refuses what is not a WebAssembly file, or one larger than the plugin may be, before anything parses it.
pub(crate) fn check_file(wasm: &[u8], limits: &Limits) -> Result<(), PluginErrorKind> {
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

pub(crate) fn check_host_version(required: &str) -> Result<(), PluginErrorKind> {
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
pub(crate) fn check_interface(exports: &[String], imports: &[String]) -> Result<String, PluginErrorKind> {
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

pub(crate) fn check_description(description: &PluginDescription) -> Result<(), PluginErrorKind> {
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

pub(crate) fn reported(error: wit::MetricError) -> PluginErrorKind {
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
pub(crate) fn check_output(values: Vec<wit::MetricValue>) -> Result<Vec<MetricValue>, PluginErrorKind> {
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

pub(crate) fn error_chain(error: &wasmtime::Error) -> String {
    error.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ")
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
}
