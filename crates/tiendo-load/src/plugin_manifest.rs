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

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use tiendo_core::diagnostic::{Diagnostic, Span};
use tiendo_core::plugin::{PluginLimitOverrides, PluginManifest, ValueRange};
use toml::Spanned;

use crate::files::SourceFile;

/// The codes of the diagnostics about a project's plugin wiring (the sidecar here; the binary's `check` adds those it
/// finds by loading the plugin). Listed in `docs/toml-reference.md`.
pub mod codes {
    use crate::codes::Code;

    /// The sidecar is not valid TOML, has a value of the wrong type (e.g. `fuel = -1`), or an unknown key.
    pub const SIDECAR_SYNTAX: Code = Code { code: "E401", name: "plugin-sidecar-syntax" };
    /// A value of the sidecar is refused: an id that is not kebab-case or differs from `[[plugin]] id`, a sha256
    /// that is not 64 hex digits, a limit of zero or above the host's cap, an empty metric range.
    pub const SIDECAR_INVALID: Code = Code { code: "E402", name: "plugin-sidecar-invalid" };
    /// The sidecar's sha256 differs from the one pinned in `tiendo.toml`, which is the authority.
    pub const PIN_MISMATCH: Code = Code { code: "E403", name: "plugin-pin-mismatch" };
    /// The plugin cannot be used: no pinned sha256, a missing or unreadable file, a checksum mismatch, a foreign
    /// interface version, a forbidden import, an invalid component (the message names the host's error).
    pub const PLUGIN_UNUSABLE: Code = Code { code: "E404", name: "plugin-unusable" };
    /// An indicator names a metric its plugin does not declare in `info()`.
    pub const UNKNOWN_METRIC: Code = Code { code: "E405", name: "unknown-plugin-metric" };
    /// A compiled-plugin cache entry was refused and the plugin compiled again from its reviewed `.wasm`.
    pub const CACHE_ENTRY_REFUSED: Code = Code { code: "W401", name: "plugin-cache-entry-refused" };

    /// Every plugin code, in code order.
    pub const ALL: &[Code] =
        &[SIDECAR_SYNTAX, SIDECAR_INVALID, PIN_MISMATCH, PLUGIN_UNUSABLE, UNKNOWN_METRIC, CACHE_ENTRY_REFUSED];
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPluginManifest {
    id: Spanned<String>,
    province: Option<String>,
    version: Option<String>,
    sha256: Spanned<String>,
    min_host_version: Option<String>,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    metrics: BTreeMap<String, Spanned<RawRange>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    fuel: Option<Spanned<u64>>,
    timeout_ms: Option<Spanned<u64>>,
    memory_mib: Option<Spanned<u64>>,
    wasm_size_kib: Option<Spanned<u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    min: Option<f64>,
    max: Option<f64>,
}

/// A sidecar read with where each of its values stands, so that the binary can locate what the plugin host
/// refuses later (a limit above its cap) at `file:line:col`.
#[derive(Debug, Clone)]
pub struct LocatedManifest {
    pub manifest: PluginManifest,
    /// The span of each value by dotted key: `id`, `sha256`, `limits.fuel`, `metrics.rate`…
    pub spans: BTreeMap<String, Span>,
}

/// Parses a sidecar file, giving every problem as a located diagnostic (E401, E402) rather than stopping at the
/// first. The caller reads the file (a regular file of bounded size).
pub fn parse_sidecar(file: &SourceFile) -> Result<LocatedManifest, Vec<Diagnostic>> {
    let raw: RawPluginManifest = toml::from_str(&file.text).map_err(|error| {
        let span = error.span().map(|range| file.span(range));
        let first_line = error.message().lines().next().unwrap_or("invalid TOML").to_owned();
        vec![
            Diagnostic::error(
                codes::SIDECAR_SYNTAX.code,
                codes::SIDECAR_SYNTAX.name,
                format!("{first_line} in the plugin sidecar"),
            )
            .with_span(span)
            .with_hint(SIDECAR_HINT),
        ]
    })?;
    let mut checks = SidecarChecks { file, diagnostics: Vec::new(), spans: BTreeMap::new() };
    if !is_kebab_id(raw.id.get_ref()) {
        checks.invalid(
            raw.id.span(),
            format!("`id` must be kebab-case (lowercase letters, digits, hyphens), got `{}`", raw.id.get_ref()),
            "write the id the plugin gives in info(), e.g. `qn-justice-funnel`",
        );
    }
    checks.locate("id", raw.id.span());
    let sha256 = raw.sha256.get_ref().trim().to_ascii_lowercase();
    if sha256.len() != 64 || !sha256.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        checks.invalid(
            raw.sha256.span(),
            format!("`sha256` must be 64 hexadecimal digits, got `{}`", raw.sha256.get_ref()),
            "write the 64 lowercase hex digits that `sha256sum plugin.wasm` prints",
        );
    }
    checks.locate("sha256", raw.sha256.span());
    checks.limits(&raw.limits);
    let metric_ranges = checks.metric_ranges(&raw.metrics);
    if !checks.diagnostics.is_empty() {
        return Err(checks.diagnostics);
    }
    let number = |value: &Option<Spanned<u64>>| value.as_ref().map(|value| *value.get_ref());
    Ok(LocatedManifest {
        manifest: PluginManifest {
            id: raw.id.into_inner(),
            province: raw.province,
            version: raw.version,
            sha256,
            min_host_version: raw.min_host_version,
            limits: PluginLimitOverrides {
                fuel: number(&raw.limits.fuel),
                timeout_ms: number(&raw.limits.timeout_ms),
                memory_mib: number(&raw.limits.memory_mib),
                wasm_size_kib: number(&raw.limits.wasm_size_kib),
            },
            metric_ranges,
        },
        spans: checks.spans,
    })
}

/// What checking one sidecar found: its problems (E402) and where each value stands.
struct SidecarChecks<'f> {
    file: &'f SourceFile,
    diagnostics: Vec<Diagnostic>,
    spans: BTreeMap<String, Span>,
}

impl SidecarChecks<'_> {
    fn invalid(&mut self, range: Range<usize>, message: String, hint: &str) {
        self.diagnostics.push(
            Diagnostic::error(codes::SIDECAR_INVALID.code, codes::SIDECAR_INVALID.name, message)
                .with_span(Some(self.file.span(range)))
                .with_hint(hint),
        );
    }

    /// Remembers where the value of the dotted `key` stands.
    fn locate(&mut self, key: &str, range: Range<usize>) {
        self.spans.insert(key.to_owned(), self.file.span(range));
    }

    /// Each limit given must be above zero (leaving it out keeps the host's default).
    fn limits(&mut self, limits: &RawLimits) {
        let limits = [
            ("limits.fuel", &limits.fuel),
            ("limits.timeout_ms", &limits.timeout_ms),
            ("limits.memory_mib", &limits.memory_mib),
            ("limits.wasm_size_kib", &limits.wasm_size_kib),
        ];
        for (key, value) in limits {
            if let Some(value) = value {
                if *value.get_ref() == 0 {
                    self.invalid(
                        value.span(),
                        format!("`{key}` must be above zero"),
                        "leave the limit out to keep the default",
                    );
                }
                self.locate(key, value.span());
            }
        }
    }

    /// The declared range of each metric: finite bounds with min <= max.
    fn metric_ranges(&mut self, metrics: &BTreeMap<String, Spanned<RawRange>>) -> BTreeMap<String, ValueRange> {
        let mut ranges = BTreeMap::new();
        for (metric, range) in metrics {
            let RawRange { min, max } = *range.get_ref();
            let finite = min.is_none_or(f64::is_finite) && max.is_none_or(f64::is_finite);
            if !finite || matches!((min, max), (Some(min), Some(max)) if min > max) {
                self.invalid(
                    range.span(),
                    format!("the range of metric `{metric}` is empty or not finite"),
                    "give finite numbers with min <= max, e.g. `{ min = -100, max = 100 }`",
                );
            }
            self.locate(&format!("metrics.{metric}"), range.span());
            ranges.insert(metric.clone(), ValueRange { min, max });
        }
        ranges
    }
}

const SIDECAR_HINT: &str = "a sidecar holds `id`, `sha256`, optional `province`, `version`, `min_host_version`, a \
     `[limits]` table of positive integers (`fuel`, `timeout_ms`, `memory_mib`, `wasm_size_kib`) and `[metrics.ID]` \
     tables with `min` and `max` (see docs/plugins.md)";

fn is_kebab_id(id: &str) -> bool {
    id.starts_with(|first: char| first.is_ascii_lowercase())
        && id.chars().all(|character| character.is_ascii_lowercase() || character.is_ascii_digit() || character == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0db7d7c27997d781a99a4a68ba42db7802ed5a96aa7c304a2e6225731614b33b";

    fn parse(text: &str) -> Result<LocatedManifest, Vec<Diagnostic>> {
        parse_sidecar(&SourceFile::new("p.plugin.toml", text))
    }

    #[test]
    fn full_manifest() {
        let text = format!(
            "id = \"qn-justice-funnel\"\nprovince = \"quang-nam\"\nversion = \"0.1.0\"\nsha256 = \"{}\"\n\
             min_host_version = \"0.1.0\"\n\n[limits]\nfuel = 2_000_000_000\ntimeout_ms = 5_000\nmemory_mib = 128\n\
             wasm_size_kib = 4_096\n\n[metrics.rate]\nmin = -100\nmax = 100\n",
            SHA.to_uppercase()
        );
        let located = parse(&text).unwrap();
        let manifest = located.manifest;
        assert_eq!(manifest.id, "qn-justice-funnel");
        assert_eq!(manifest.province.as_deref(), Some("quang-nam"));
        assert_eq!(manifest.sha256, SHA);
        assert_eq!(manifest.limits.fuel, Some(2_000_000_000));
        assert_eq!(manifest.limits.memory_mib, Some(128));
        assert_eq!(manifest.metric_ranges["rate"], ValueRange { min: Some(-100.0), max: Some(100.0) });
        let fuel = &located.spans["limits.fuel"];
        assert_eq!((fuel.line, fuel.column), (8, 8));
    }

    #[test]
    fn minimal_manifest_has_no_overrides() {
        let manifest = parse(&format!("id = \"demo\"\nsha256 = \"{SHA}\"\n")).unwrap().manifest;
        assert_eq!(manifest.limits, PluginLimitOverrides::default());
        assert_eq!(manifest.version, None);
        assert!(manifest.metric_ranges.is_empty());
    }

    /// Each refused sidecar gives its code and the line and column of the fault.
    #[test]
    fn invalid_manifests_are_refused_with_a_location() {
        let cases = [
            (format!("sha256 = \"{SHA}\""), "E401", (1, 1)),
            (format!("id = \"Demo\"\nsha256 = \"{SHA}\""), "E402", (1, 6)),
            ("id = \"demo\"\nsha256 = \"abc\"".to_owned(), "E402", (2, 10)),
            (format!("id = \"demo\"\nsha256 = \"{SHA}\"\n[limits]\ncpu = 1"), "E401", (4, 1)),
            (format!("id = \"demo\"\nsha256 = \"{SHA}\"\n\n[limits]\nfuel = -1"), "E401", (5, 8)),
            (format!("id = \"demo\"\nsha256 = \"{SHA}\"\n[limits]\nfuel = 99999999999999999999"), "E401", (4, 8)),
            (format!("id = \"demo\"\nsha256 = \"{SHA}\"\n[limits]\nmemory_mib = 0"), "E402", (4, 14)),
            (format!("id = \"demo\"\nsha256 = \"{SHA}\"\n[metrics.x]\nmin = 5\nmax = 1"), "E402", (3, 1)),
            (format!("id = \"demo\"\nsha256 = \"{SHA}\"\n[metrics.x]\nlow = 5"), "E401", (4, 1)),
            (format!("id = \"demo\"\nsha256 = \"{SHA}\"\nid = \"again\""), "E401", (3, 1)),
        ];
        for (text, code, (line, column)) in cases {
            let diagnostics = parse(&text).unwrap_err();
            let span = diagnostics[0].span.as_ref().unwrap_or_else(|| panic!("{text}: no span"));
            assert_eq!((diagnostics[0].code, span.line, span.column), (code, line, column), "{text}: {diagnostics:?}");
        }
    }

    #[test]
    fn every_value_problem_is_reported_in_one_run() {
        let diagnostics = parse("id = \"Bad\"\nsha256 = \"x\"\n[limits]\nfuel = 0\n").unwrap_err();
        assert_eq!(diagnostics.len(), 3, "{diagnostics:?}");
    }
}
