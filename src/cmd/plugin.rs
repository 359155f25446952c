//! `tiendo plugin new|build|test|inspect`: write, build and try metric plugins.
//!
//! The clap types below become a plain [`PluginSettings`] before anything runs; [`run`] does the work with the
//! `tiendo-plugin-host` library (which builds, componentizes and sandboxes plugins).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::plugin_new::SdkDependency;
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde::Deserialize;
use tiendo_core::period::Period;
use tiendo_core::plugin::{MetricInput, MetricRequest};
use tiendo_plugin_host::{
    BuildRequest, Computation, HostConfig, Limits, PluginDetails, PluginHost, PythonBuildRequest, build_plugins,
    build_python_plugin, is_python_plugin,
};

/// Exit code when the plugin under test failed (a finding about the plugin, not a failure of the tool).
const EXIT_PLUGIN_FAILED: u8 = 1;

/// Write, build and try WebAssembly metric plugins (see docs/plugins.md).
#[derive(Debug, Args)]
pub struct PluginArgs {
    #[command(subcommand)]
    pub command: PluginCommand,
}

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Create a new plugin (a Rust crate, or a Python module) that builds as generated, anywhere: the SDK is
    /// written into it.
    #[command(after_help = "Examples:\n  tiendo plugin new qn-resolution\n  cd qn-resolution && cargo test\n  \
                            tiendo plugin new qn-resolution-py --lang python\n  cd qn-resolution-py && python3 -m \
                            unittest")]
    New {
        /// Folder to create; its last component is the plugin id (kebab-case, e.g. `qn-justice-funnel`).
        name: PathBuf,
        /// The language of the plugin: Rust (a crate built with cargo) or Python (built with componentize-py).
        #[arg(long, value_enum, default_value_t = PluginLanguage::Rust)]
        lang: PluginLanguage,
        /// Depend on the SDK at this path (written as given) instead of the copy of the SDK this binary carries,
        /// which is written into the new crate as `vendor/tiendo-plugin`. Rust only.
        #[arg(long, conflicts_with = "lang")]
        sdk_path: Option<PathBuf>,
    },
    /// Build a plugin crate (or a workspace of them) for wasm32-unknown-unknown and make components of them, or
    /// build a Python plugin with componentize-py.
    ///
    /// Rust: installs the wasm32-unknown-unknown target with rustup when it is missing; nothing else is needed.
    /// Python (a folder with `plugin.py`): checks the syntax, installs the pinned componentize-py by hash into a
    /// virtual environment under tiendo's cache folder (once), and builds with WASI stubbed out.
    #[command(after_help = "Examples:\n  tiendo plugin build qn-resolution\n  tiendo plugin build plugins \
                            --target-dir target/plugin-wasm")]
    Build {
        /// The plugin crate or workspace.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Cargo target directory (default: the crate's own).
        #[arg(long)]
        target_dir: Option<PathBuf>,
    },
    /// Run a plugin in the real sandbox on an input file and print its metrics and logs.
    ///
    /// Exit status: 0 when the plugin computed its metrics, 1 when it failed, 2 when the tool failed.
    #[command(after_help = "Examples:\n  tiendo plugin test qn-resolution --input qn-resolution/input.json\n  \
                            tiendo plugin test plugin.wasm --input input.json --format json")]
    Test {
        /// A plugin crate (built first) or a built `.wasm` component.
        dir: PathBuf,
        /// JSON input: `{"org_unit": …, "periods": [...], "inputs": [{"name", "value", …}], "params": {…}}`.
        #[arg(long)]
        input: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PluginFormat::Human)]
        format: PluginFormat,
        /// Cargo target directory when building (default: the crate's own).
        #[arg(long)]
        target_dir: Option<PathBuf>,
    },
    /// Show what a built plugin declares: id, version, inputs, metrics, interface version, sha256 and limits.
    #[command(after_help = "Examples:\n  tiendo plugin inspect qn-resolution\n  tiendo plugin inspect \
                            plugins/qn-resolution.wasm --format json")]
    Inspect {
        /// A built `.wasm` component, or a plugin crate (built first, as `plugin test` does).
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PluginFormat::Human)]
        format: PluginFormat,
        /// Cargo target directory when building (default: the crate's own).
        #[arg(long)]
        target_dir: Option<PathBuf>,
    },
}

/// The language of a new plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PluginLanguage {
    Rust,
    Python,
}

/// How `plugin test` and `plugin inspect` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PluginFormat {
    /// For people: aligned text.
    Human,
    /// For programs: one JSON object.
    Json,
}

/// What `tiendo plugin …` should do, with every default resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginSettings {
    New {
        dir: PathBuf,
        sdk: SdkDependency,
        lang: PluginLanguage,
    },
    Build {
        dir: PathBuf,
        target_dir: Option<PathBuf>,
        cache_dir: Option<PathBuf>,
    },
    Test {
        plugin: PathBuf,
        input: PathBuf,
        format: PluginFormat,
        target_dir: Option<PathBuf>,
        cache_dir: Option<PathBuf>,
    },
    Inspect {
        file: PathBuf,
        format: PluginFormat,
        target_dir: Option<PathBuf>,
        cache_dir: Option<PathBuf>,
    },
}

impl PluginArgs {
    /// Resolves defaults: the SDK location and the compiled-plugin cache directory.
    pub fn into_settings(self) -> PluginSettings {
        match self.command {
            PluginCommand::New { name, lang, sdk_path } => PluginSettings::New {
                dir: name,
                sdk: sdk_path.map_or(SdkDependency::Vendored, SdkDependency::Path),
                lang,
            },
            PluginCommand::Build { dir, target_dir } => {
                PluginSettings::Build { dir, target_dir, cache_dir: default_cache_dir() }
            }
            PluginCommand::Test { dir, input, format, target_dir } => {
                PluginSettings::Test { plugin: dir, input, format, target_dir, cache_dir: default_cache_dir() }
            }
            PluginCommand::Inspect { file, format, target_dir } => {
                PluginSettings::Inspect { file, format, target_dir, cache_dir: default_cache_dir() }
            }
        }
    }
}

/// Cargo's home folder: `$CARGO_HOME`, else `~/.cargo`, as cargo itself finds it.
fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
}

/// `$TIENDO_CACHE_DIR`, else `$XDG_CACHE_HOME/tiendo/plugins`, else `~/.cache/tiendo/plugins`.
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TIENDO_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("tiendo").join("plugins"))
}

/// Runs one `tiendo plugin` subcommand.
pub fn run(settings: PluginSettings) -> anyhow::Result<ExitCode> {
    match settings {
        PluginSettings::New { dir, sdk, lang: PluginLanguage::Rust } => super::plugin_new::new_plugin(&dir, &sdk),
        PluginSettings::New { dir, lang: PluginLanguage::Python, .. } => super::plugin_new::new_python_plugin(&dir),
        PluginSettings::Build { dir, target_dir, cache_dir } => {
            let built = build(&dir, target_dir, cache_dir.as_deref())?;
            let mut text = String::new();
            for plugin in built {
                let _ = writeln!(
                    text,
                    "built {} -> {} ({} KiB, sha256 {})",
                    plugin.package,
                    plugin.component.display(),
                    plugin.size_bytes.div_ceil(1024),
                    plugin.sha256
                );
            }
            print(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        PluginSettings::Test { plugin, input, format, target_dir, cache_dir } => {
            test_plugin(&plugin, &input, format, target_dir, cache_dir)
        }
        PluginSettings::Inspect { file, format, target_dir, cache_dir } => {
            inspect(&file, format, target_dir, cache_dir)
        }
    }
}

/// Prints human text (control characters escaped, so that a plugin's logs or names cannot drive the terminal) or
/// JSON (exact); a failed write is an error.
fn print(text: &str) -> anyhow::Result<()> {
    crate::output::stdout_human(text, false)
}

fn print_as(format: PluginFormat, text: &str) -> anyhow::Result<()> {
    match format {
        PluginFormat::Human => print(text),
        PluginFormat::Json => crate::output::stdout_data(text),
    }
}

/// Builds the Rust crate or workspace, or the Python plugin, in `dir`. Python build environments live in
/// `python-build/` beside the compiled-plugin cache (`cache_dir`), or in the system's temporary folder without one.
fn build(
    dir: &Path,
    target_dir: Option<PathBuf>,
    cache_dir: Option<&Path>,
) -> anyhow::Result<Vec<tiendo_plugin_host::BuiltPlugin>> {
    let context = || format!("cannot build the plugin in {}", dir.display());
    if is_python_plugin(dir) {
        let env_root = cache_dir
            .and_then(Path::parent)
            .map_or_else(|| std::env::temp_dir().join("tiendo-python-build"), |parent| parent.join("python-build"));
        let request = PythonBuildRequest {
            dir: dir.to_path_buf(),
            out_dir: target_dir.unwrap_or_else(|| dir.join("target")).join("tiendo-plugins"),
            env_root,
            python: std::env::var_os("TIENDO_PYTHON").map(PathBuf::from),
            quiet: false,
        };
        return Ok(vec![build_python_plugin(&request).with_context(context)?]);
    }
    let request = BuildRequest { dir: dir.to_path_buf(), target_dir, quiet: false, cargo_home: cargo_home() };
    build_plugins(&request).with_context(context)
}

/// The JSON input of `plugin test`. `org_unit` and `period` of an input default to the request's org unit and
/// first period.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestInput {
    org_unit: String,
    periods: Vec<String>,
    #[serde(default)]
    inputs: Vec<TestValue>,
    #[serde(default)]
    params: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestValue {
    name: String,
    org_unit: Option<String>,
    period: Option<String>,
    value: Option<f64>,
}

fn read_request(path: &Path, plugin: &str) -> anyhow::Result<MetricRequest> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let input: TestInput =
        serde_json::from_str(&text).with_context(|| format!("{} is not a valid plugin input", path.display()))?;
    let parse =
        |id: &str| id.parse::<Period>().with_context(|| format!("`{id}` in {} is not a period", path.display()));
    let periods = input.periods.iter().map(|id| parse(id)).collect::<anyhow::Result<Vec<_>>>()?;
    let first_period = *periods.first().context("`periods` must name at least one period")?;
    let inputs = input
        .inputs
        .into_iter()
        .map(|value| {
            Ok(MetricInput {
                name: value.name,
                org_unit: value.org_unit.unwrap_or_else(|| input.org_unit.clone()),
                period: match value.period {
                    Some(id) => parse(&id)?,
                    None => first_period,
                },
                value: value.value,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let params = input
        .params
        .into_iter()
        .map(|(key, value)| {
            let text = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            (key, text)
        })
        .collect();
    Ok(MetricRequest { plugin: plugin.to_owned(), org_unit: input.org_unit, periods, inputs, params })
}

/// The component of `path`: the file itself, or the one built from the crate in it.
fn component_bytes(path: &Path, target_dir: Option<PathBuf>) -> anyhow::Result<Vec<u8>> {
    let file = if path.is_dir() {
        let built = build(path, target_dir, default_cache_dir().as_deref())?;
        let [plugin] = built.as_slice() else {
            bail!("{} holds {} plugins; give one crate or a .wasm file", path.display(), built.len());
        };
        plugin.component.clone()
    } else {
        path.to_path_buf()
    };
    std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))
}

fn host(cache_dir: Option<PathBuf>) -> anyhow::Result<PluginHost> {
    Ok(PluginHost::new(HostConfig { cache_dir, ..HostConfig::default() })?)
}

fn test_plugin(
    plugin: &Path,
    input: &Path,
    format: PluginFormat,
    target_dir: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let bytes = component_bytes(plugin, target_dir)?;
    let mut host = host(cache_dir)?;
    let details = match host.load_unreviewed(&bytes) {
        Ok(details) => details,
        Err(error) => {
            print(&format!("{error}\n"))?;
            return Ok(ExitCode::from(EXIT_PLUGIN_FAILED));
        }
    };
    let request = read_request(input, &details.description.id)?;
    match host.run(&request) {
        Ok(computation) => {
            print_as(
                format,
                &match format {
                    PluginFormat::Human => human_computation(&details, &computation),
                    PluginFormat::Json => json_computation(&details, &computation)?,
                },
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            print_as(
                format,
                &match format {
                    PluginFormat::Human => format!("{error}\n"),
                    PluginFormat::Json => {
                        let failure = tiendo_core::plugin::PluginFailure::from(error);
                        format!("{}\n", serde_json::to_string_pretty(&serde_json::json!({ "failure": failure }))?)
                    }
                },
            )?;
            Ok(ExitCode::from(EXIT_PLUGIN_FAILED))
        }
    }
}

fn human_computation(details: &PluginDetails, computation: &Computation) -> String {
    let description = &details.description;
    let mut text =
        format!("{} {} (tiendo:plugin/metric@{})\n\n", description.id, description.version, details.interface_version);
    let rows: Vec<[String; 4]> = computation
        .values
        .iter()
        .map(|value| {
            [
                value.name.clone(),
                value.value.map_or_else(|| "-".to_owned(), format_number),
                value.unit.clone().unwrap_or_default(),
                value.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let headers = ["metric", "value", "unit", "note"].map(str::to_owned);
    let widths: Vec<usize> = (0..4)
        .map(|column| rows.iter().chain([&headers]).map(|row| row[column].chars().count()).max().unwrap_or(0))
        .collect();
    for row in std::iter::once(&headers).chain(&rows) {
        let line = format!(
            "{:<w0$}  {:>w1$}  {:<w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        let _ = writeln!(text, "{}", line.trim_end());
    }
    if !computation.logs.is_empty() {
        text.push_str("\nlogs:\n");
        for line in &computation.logs {
            let _ = writeln!(text, "  {line}");
        }
    }
    let _ = writeln!(text, "\nfuel used: {} of {}", computation.fuel_consumed, details.limits.fuel);
    text
}

/// Numbers as people write them: no trailing zeros, at most six decimals.
fn format_number(value: f64) -> String {
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// The export the host calls for a computation: the newest of `compute-packed` (WIT 0.1.2), `compute-columns`
/// (0.1.1) and `compute` (0.1.0) that the plugin has.
fn entry_point(details: &PluginDetails) -> &'static str {
    details.export.describe()
}

fn json_computation(details: &PluginDetails, computation: &Computation) -> anyhow::Result<String> {
    let logs: Vec<_> = computation
        .logs
        .iter()
        .map(|line| serde_json::json!({ "level": line.level, "message": line.message }))
        .collect();
    let json = serde_json::json!({
        "plugin": details.description.id,
        "version": details.description.version,
        "interface_version": details.interface_version,
        "metrics": computation.values,
        "logs": logs,
        "fuel_consumed": computation.fuel_consumed,
    });
    Ok(format!("{}\n", serde_json::to_string_pretty(&json)?))
}

fn inspect(
    file: &Path,
    format: PluginFormat,
    target_dir: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let bytes = component_bytes(file, target_dir)?;
    let mut host = host(cache_dir)?;
    let details = match host.load_unreviewed(&bytes) {
        Ok(details) => details,
        Err(error) => {
            print(&format!("{error}\n"))?;
            return Ok(ExitCode::from(EXIT_PLUGIN_FAILED));
        }
    };
    print_as(
        format,
        &match format {
            PluginFormat::Human => human_details(&details),
            PluginFormat::Json => json_details(&details)?,
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

fn human_details(details: &PluginDetails) -> String {
    let description = &details.description;
    let limits = &details.limits;
    let mut text = String::new();
    let _ = writeln!(text, "id:                {}", description.id);
    let _ = writeln!(text, "version:           {}", description.version);
    let _ = writeln!(text, "description:       {}", description.description);
    let _ = writeln!(text, "language:          {}", details.language);
    let _ = writeln!(text, "interface:         tiendo:plugin/metric@{}", details.interface_version);
    let _ = writeln!(text, "called through:    {}", entry_point(details));
    let _ = writeln!(text, "imports:           {}", details.imports.join(", "));
    let _ = writeln!(text, "inputs:            {}", description.inputs.join(", "));
    let _ = writeln!(text, "metrics:           {}", description.metrics.join(", "));
    let _ = writeln!(text, "sha256:            {}", details.sha256);
    let _ = writeln!(text, "size:              {} KiB", details.size_bytes.div_ceil(1024));
    let _ = writeln!(text, "limits (defaults): {}", describe_limits(limits));
    let _ = writeln!(text, "limits (caps):     {}", describe_limits(&Limits::CAP));
    let _ = writeln!(text, "\nplugin.toml for a review:\n");
    let _ = writeln!(text, "id = \"{}\"", description.id);
    let _ = writeln!(text, "version = \"{}\"", description.version);
    let _ = writeln!(text, "sha256 = \"{}\"", details.sha256);
    let _ = writeln!(text, "# province = \"quang-nam\"");
    let _ = writeln!(text, "# min_host_version = \"{}\"", tiendo_plugin_host::HOST_VERSION);
    text
}

fn describe_limits(limits: &Limits) -> String {
    format!(
        "fuel {}, timeout {} ms, memory {} MiB, file {} KiB",
        limits.fuel,
        limits.timeout_ms(),
        limits.memory_mib(),
        limits.wasm_size_bytes / 1024
    )
}

fn json_details(details: &PluginDetails) -> anyhow::Result<String> {
    let limits = |limits: &Limits| {
        serde_json::json!({
            "fuel": limits.fuel,
            "timeout_ms": limits.timeout_ms(),
            "memory_mib": limits.memory_mib(),
            "wasm_size_kib": limits.wasm_size_bytes / 1024,
        })
    };
    let json = serde_json::json!({
        "plugin": details.description,
        "interface_version": details.interface_version,
        "called_through": entry_point(details),
        "language": details.language,
        "imports": details.imports,
        "sha256": details.sha256,
        "size_bytes": details.size_bytes,
        "limits": limits(&details.limits),
        "caps": limits(&Limits::CAP),
    });
    Ok(format!("{}\n", serde_json::to_string_pretty(&json)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_printed_without_trailing_zeros() {
        assert_eq!(format_number(75.0), "75");
        assert_eq!(format_number(83.333_333_333), "83.333333");
        assert_eq!(format_number(1.8), "1.8");
        assert_eq!(format_number(-0.0), "0");
    }

    #[test]
    fn test_input_defaults_org_unit_and_period() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("input.json");
        std::fs::write(
            &path,
            r#"{"org_unit": "quang-nam", "periods": ["2023", "2022"],
                "inputs": [{"name": "a", "value": 1}, {"name": "a", "period": "2022", "org_unit": "hoi-an", "value": null}],
                "params": {"weight": 0.5, "mode": "strict"}}"#,
        )
        .unwrap();
        let request = read_request(&path, "demo").unwrap();
        assert_eq!(request.plugin, "demo");
        assert_eq!(request.inputs[0].org_unit, "quang-nam");
        assert_eq!(request.inputs[0].period.to_string(), "2023");
        assert_eq!(request.inputs[1].org_unit, "hoi-an");
        assert_eq!(request.inputs[1].value, None);
        assert_eq!(request.params["weight"], "0.5");
        assert_eq!(request.params["mode"], "strict");
        std::fs::write(&path, r#"{"org_unit": "x", "periods": ["someday"]}"#).unwrap();
        assert!(read_request(&path, "demo").unwrap_err().to_string().contains("not a period"));
    }
}
