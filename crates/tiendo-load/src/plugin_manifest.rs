//! `plugin.toml`: the reviewed sidecar of a WebAssembly plugin.
//!
//! ```toml
//! id = "qn-justice-funnel"          # must equal the id the plugin reports
//! province = "quang-nam"            # optional: org unit that owns the plugin
//! version = "0.1.0"                 # optional: must equal the version the plugin reports
//! sha256 = "0db7d7c2…"              # required: the reviewed build, 64 hex digits
//! min_host_version = "0.1.0"        # optional
//!
//! [limits]                          # optional: above the defaults, up to the host's caps
//! fuel = 2_000_000_000
//! timeout_ms = 5_000
//! memory_mib = 128
//! wasm_size_kib = 4_096
//! ```
//!
//! Parsed here because only this crate knows TOML; the plugin host receives the plain
//! [`tiendo_core::plugin::PluginManifest`] and checks the component and limits against it.

use serde::Deserialize;
use tiendo_core::plugin::{PluginLimitOverrides, PluginManifest};

/// Why a `plugin.toml` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PluginManifestError {
    #[error("plugin.toml is not valid: {0}")]
    Syntax(String),
    #[error("plugin.toml: `id` must be kebab-case (lowercase letters, digits, hyphens), got `{0}`")]
    InvalidId(String),
    #[error("plugin.toml: `sha256` must be 64 hexadecimal digits, got `{0}`")]
    InvalidSha256(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPluginManifest {
    id: String,
    province: Option<String>,
    version: Option<String>,
    sha256: String,
    min_host_version: Option<String>,
    #[serde(default)]
    limits: RawLimits,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    fuel: Option<u64>,
    timeout_ms: Option<u64>,
    memory_mib: Option<u64>,
    wasm_size_kib: Option<u64>,
}

/// Parses the text of a `plugin.toml`. Limits are checked against the caps by the host, which owns them.
pub fn parse_plugin_manifest(text: &str) -> Result<PluginManifest, PluginManifestError> {
    let raw: RawPluginManifest =
        toml::from_str(text).map_err(|error| PluginManifestError::Syntax(error.message().to_owned()))?;
    let valid_id = raw.id.starts_with(|first: char| first.is_ascii_lowercase())
        && raw
            .id
            .chars()
            .all(|character| character.is_ascii_lowercase() || character.is_ascii_digit() || character == '-');
    if !valid_id {
        return Err(PluginManifestError::InvalidId(raw.id));
    }
    let sha256 = raw.sha256.trim().to_ascii_lowercase();
    if sha256.len() != 64 || !sha256.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(PluginManifestError::InvalidSha256(raw.sha256));
    }
    Ok(PluginManifest {
        id: raw.id,
        province: raw.province,
        version: raw.version,
        sha256,
        min_host_version: raw.min_host_version,
        limits: PluginLimitOverrides {
            fuel: raw.limits.fuel,
            timeout_ms: raw.limits.timeout_ms,
            memory_mib: raw.limits.memory_mib,
            wasm_size_kib: raw.limits.wasm_size_kib,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0db7d7c27997d781a99a4a68ba42db7802ed5a96aa7c304a2e6225731614b33b";

    #[test]
    fn full_manifest() {
        let text = format!(
            "id = \"qn-justice-funnel\"\nprovince = \"quang-nam\"\nversion = \"0.1.0\"\nsha256 = \"{}\"\n\
             min_host_version = \"0.1.0\"\n\n[limits]\nfuel = 2_000_000_000\ntimeout_ms = 5_000\nmemory_mib = 128\n\
             wasm_size_kib = 4_096\n",
            SHA.to_uppercase()
        );
        let manifest = parse_plugin_manifest(&text).unwrap();
        assert_eq!(manifest.id, "qn-justice-funnel");
        assert_eq!(manifest.province.as_deref(), Some("quang-nam"));
        assert_eq!(manifest.sha256, SHA);
        assert_eq!(manifest.limits.fuel, Some(2_000_000_000));
        assert_eq!(manifest.limits.memory_mib, Some(128));
    }

    #[test]
    fn minimal_manifest_has_no_overrides() {
        let manifest = parse_plugin_manifest(&format!("id = \"demo\"\nsha256 = \"{SHA}\"\n")).unwrap();
        assert_eq!(manifest.limits, PluginLimitOverrides::default());
        assert_eq!(manifest.version, None);
    }

    #[test]
    fn invalid_manifests_are_refused() {
        let cases = [
            (format!("sha256 = \"{SHA}\""), "not valid"),
            (format!("id = \"Demo\"\nsha256 = \"{SHA}\""), "kebab-case"),
            ("id = \"demo\"\nsha256 = \"abc\"".to_owned(), "64 hexadecimal"),
            (format!("id = \"demo\"\nsha256 = \"{SHA}\"\n[limits]\ncpu = 1"), "not valid"),
            (format!("id = \"demo\"\nsha256 = \"{SHA}\"\n[limits]\nfuel = -1"), "not valid"),
        ];
        for (text, expected) in cases {
            let error = parse_plugin_manifest(&text).unwrap_err();
            assert!(error.to_string().contains(expected), "{text}: {error}");
        }
    }
}
