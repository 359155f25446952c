//! `tiendo plugin new`: writes a plugin crate that builds anywhere, with nothing but this binary, a Rust toolchain
//! and crates.io.
//!
//! The SDK (`crates/tiendo-plugin`: its source and its WIT) is compiled into the binary and written into the new
//! crate as `vendor/tiendo-plugin`, a path dependency pinned to the interface version this binary speaks. Nothing
//! written names a path outside the new crate, so the crate can be moved, committed and built on another machine.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

/// Where the SDK is written inside a new plugin crate, relative to it.
pub const VENDORED_SDK_DIR: &str = "vendor/tiendo-plugin";

/// How a generated plugin depends on the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkDependency {
    /// The SDK embedded in this binary, written into the crate at [`VENDORED_SDK_DIR`] (the default).
    Vendored,
    /// A path chosen by the user (`--sdk-path`), written as given.
    Path(PathBuf),
}

/// The SDK files embedded in the binary: path inside the SDK crate, text. `Cargo.toml` is not here: the SDK's own
/// manifest inherits from the tiendo workspace, so [`sdk_manifest`] writes a standalone one. A test compares this
/// list with the files of `crates/tiendo-plugin`, so that a file added there cannot be forgotten here.
pub const SDK_FILES: &[(&str, &str)] = &[
    ("src/lib.rs", include_str!("../../crates/tiendo-plugin/src/lib.rs")),
    ("src/arena.rs", include_str!("../../crates/tiendo-plugin/src/arena.rs")),
    ("src/columns.rs", include_str!("../../crates/tiendo-plugin/src/columns.rs")),
    ("wit/v0.1/plugin.wit", include_str!("../../crates/tiendo-plugin/wit/v0.1/plugin.wit")),
];

/// The SDK's manifest as the tiendo workspace has it.
const SDK_WORKSPACE_MANIFEST: &str = include_str!("../../crates/tiendo-plugin/Cargo.toml");

/// The SDK's manifest made standalone: the keys it inherits from the tiendo workspace get this binary's values, the
/// `[lints]` table (the tiendo workspace's lints) goes, and the package is marked unpublishable. Its dependencies are
/// the SDK's own, unchanged (wit-bindgen at the version the host was tested with).
pub fn sdk_manifest() -> String {
    let mut out = String::new();
    let mut in_lints = false;
    for line in SDK_WORKSPACE_MANIFEST.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_lints = trimmed == "[lints]";
        }
        if in_lints {
            continue;
        }
        let replaced = match trimmed {
            "version.workspace = true" => format!("version = \"{}\"", env!("CARGO_PKG_VERSION")),
            "edition.workspace = true" => "edition = \"2024\"".to_owned(),
            "rust-version.workspace = true" => format!("rust-version = \"{}\"", env!("CARGO_PKG_RUST_VERSION")),
            "license.workspace = true" => format!("license = \"{}\"", env!("CARGO_PKG_LICENSE")),
            _ => line.to_owned(),
        };
        out.push_str(&replaced);
        out.push('\n');
        if trimmed == "[package]" {
            out.push_str("# Written by `tiendo plugin new` from the SDK embedded in tiendo; do not edit: a newer tiendo writes a newer one.\n");
            out.push_str("publish = false\n");
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Checks that the last component of `dir` is a plugin id: kebab-case ASCII, starting with a letter.
fn plugin_id(dir: &Path) -> anyhow::Result<String> {
    let id =
        dir.file_name().and_then(|name| name.to_str()).context("the plugin name must be a folder name")?.to_owned();
    let valid = id.starts_with(|first: char| first.is_ascii_lowercase())
        && id.chars().all(|character| character.is_ascii_lowercase() || character.is_ascii_digit() || character == '-')
        && !id.ends_with('-');
    if !valid {
        bail!("`{id}` is not a valid plugin id: use lowercase letters, digits and hyphens, starting with a letter");
    }
    Ok(id)
}

/// The files of a new plugin crate `id`, by path relative to the crate.
pub fn plugin_files(id: &str, sdk: &SdkDependency) -> Vec<(String, String)> {
    let version = env!("CARGO_PKG_VERSION");
    let dependency = match sdk {
        SdkDependency::Vendored => {
            format!("tiendo-plugin = {{ path = \"{VENDORED_SDK_DIR}\", version = \"={version}\" }}")
        }
        SdkDependency::Path(path) => format!("tiendo-plugin = {{ path = {} }}", toml_string(&path.to_string_lossy())),
    };
    let mut files = vec![
        ("Cargo.toml".to_owned(), template_cargo_toml(id, &dependency)),
        ("src/lib.rs".to_owned(), template_lib_rs(id)),
        ("input.json".to_owned(), TEMPLATE_INPUT.to_owned()),
        ("rust-toolchain.toml".to_owned(), TEMPLATE_TOOLCHAIN.to_owned()),
        (".gitignore".to_owned(), "/target\n".to_owned()),
    ];
    if *sdk == SdkDependency::Vendored {
        files.push((format!("{VENDORED_SDK_DIR}/Cargo.toml"), sdk_manifest()));
        for (path, text) in SDK_FILES {
            files.push((format!("{VENDORED_SDK_DIR}/{path}"), (*text).to_owned()));
        }
    }
    files
}

/// Writes the Python plugin `dir` (whose last component is the plugin id), as [`new_plugin`] does for Rust.
pub fn new_python_plugin(dir: &Path) -> anyhow::Result<ExitCode> {
    let id = plugin_id(dir)?;
    crate::scaffold::write_new_folder(dir, &super::plugin_new_python::python_plugin_files(&id))?;
    crate::output::stdout_human(
        &format!(
            "created Python plugin `{id}` in {dir} (SDK tiendo_plugin.py {version}, interface tiendo:plugin@0.1.1, `compute` only)\n\n\
             next:\n  cd {dir} && python3 -m unittest        # unit tests, natively\n  tiendo plugin build {dir}     \
             # installs the pinned componentize-py once, then builds\n  tiendo plugin test {dir} --input \
             {dir}/input.json\n",
            dir = dir.display(),
            version = env!("CARGO_PKG_VERSION"),
        ),
        false,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the plugin crate `dir` (whose last component is the plugin id). The files are written into a staging
/// folder beside `dir` and renamed into place, so that a failure leaves nothing half-written.
pub fn new_plugin(dir: &Path, sdk: &SdkDependency) -> anyhow::Result<ExitCode> {
    let id = plugin_id(dir)?;
    crate::scaffold::write_new_folder(dir, &plugin_files(&id, sdk))?;
    crate::output::stdout_human(
        &format!(
            "created plugin `{id}` in {dir} (SDK tiendo-plugin {version} in {dir}/{VENDORED_SDK_DIR})\n\nnext:\n  cd {dir} \
             && cargo test        # unit tests, natively\n  tiendo plugin build {dir}\n  tiendo plugin test {dir} \
             --input {dir}/input.json\n",
            dir = dir.display(),
            version = env!("CARGO_PKG_VERSION"),
        ),
        false,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// A TOML basic string (paths may hold backslashes on Windows).
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn template_cargo_toml(id: &str, dependency: &str) -> String {
    format!(
        r#"[package]
name = "{id}"
version = "0.1.0"
edition = "2024"
publish = false

# A plugin is its own workspace, so that it builds even inside another project's folder. The SDK in
# vendor/tiendo-plugin (written by `tiendo plugin new`, the version this tiendo speaks) is a member of it.
[workspace]

[lib]
# cdylib: the WebAssembly module; rlib: so that `cargo test` can test the logic natively.
crate-type = ["cdylib", "rlib"]

[dependencies]
{dependency}

# Small, fast plugins: optimise for size, abort on panic (the SDK sends the panic message to tiendo first),
# and keep function names so that crashes name the function.
[profile.release]
opt-level = "s"
lto = true
codegen-units = 1
panic = "abort"
strip = "debuginfo"
"#
    )
}

fn template_lib_rs(id: &str) -> String {
    TEMPLATE_LIB_RS.replace("{id}", id)
}

const TEMPLATE_LIB_RS: &str = r#"//! A tiendo metric plugin: the share of denunciations that were resolved, optionally scaled.
//!
//! Replace the inputs, metrics and computation with your own; keep `info()` in step with what `compute` reads
//! and returns. The SDK's documentation is in vendor/tiendo-plugin/src/lib.rs (`cargo doc --open` renders it).

use tiendo_plugin::{ComputeInput, Metric, MetricError, MetricValue, PluginInfo, export_metric};

pub struct Plugin;

impl Metric for Plugin {
    fn info() -> PluginInfo {
        PluginInfo::new("{id}", env!("CARGO_PKG_VERSION"), "Share of denunciations resolved")
            .inputs(["denunciations_received", "denunciations_resolved"])
            .metrics(["resolution-rate"])
    }

    fn compute(input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        let received = input.require_sum("denunciations_received")?;
        let resolved = input.require_sum("denunciations_resolved")?;
        // Parameters come from the indicator's `plugin = { …, params = { scale = "1" } }` in the catalogue.
        let scale = input.param_f64("scale", 1.0)?;
        tiendo_plugin::info!("{resolved} of {received} denunciations resolved");
        let mut rate = MetricValue::ratio_percent("resolution-rate", resolved, received);
        rate.value = rate.value.map(|value| value * scale);
        Ok(vec![rate])
    }
}

export_metric!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;

    fn input(received: f64, resolved: f64) -> ComputeInput {
        ComputeInput::new("quang-nam", ["2023"])
            .with_value("denunciations_received", "quang-nam", "2023", Some(received))
            .with_value("denunciations_resolved", "quang-nam", "2023", Some(resolved))
    }

    #[test]
    fn resolution_rate_in_percent() {
        let metrics = Plugin::compute(input(200.0, 150.0)).unwrap();
        assert_eq!(metrics[0].value, Some(75.0));
        assert_eq!(metrics[0].unit.as_deref(), Some("%"));
    }

    #[test]
    fn no_denunciations_gives_no_value() {
        let metrics = Plugin::compute(input(0.0, 0.0)).unwrap();
        assert_eq!(metrics[0].value, None);
    }

    #[test]
    fn missing_input_is_an_error() {
        let result = Plugin::compute(ComputeInput::new("quang-nam", ["2023"]));
        assert!(matches!(result, Err(MetricError::MissingInput(_))));
    }
}
"#;

pub(crate) const TEMPLATE_INPUT: &str = r#"{
  "org_unit": "quang-nam",
  "periods": ["2023"],
  "inputs": [
    { "name": "denunciations_received", "value": 200 },
    { "name": "denunciations_resolved", "value": 150 }
  ],
  "params": { "scale": "1" }
}
"#;

const TEMPLATE_TOOLCHAIN: &str = r#"# rustup installs the WebAssembly target by itself because it is listed here.
[toolchain]
channel = "stable"
targets = ["wasm32-unknown-unknown"]
profile = "minimal"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_refuses_invalid_ids_and_existing_folders() {
        let temp = tempfile::tempdir().unwrap();
        for name in ["Demo", "1demo", "demo_plugin", "demo-"] {
            let error = new_plugin(&temp.path().join(name), &SdkDependency::Vendored).unwrap_err();
            assert!(error.to_string().contains("not a valid plugin id"), "{name}: {error}");
        }
        std::fs::create_dir(temp.path().join("taken")).unwrap();
        std::fs::write(temp.path().join("taken/file"), "x").unwrap();
        let error = new_plugin(&temp.path().join("taken"), &SdkDependency::Vendored).unwrap_err();
        assert!(error.to_string().contains("already exists"));
        // Nothing was left behind: no staging folder, no half-written crate.
        let names: Vec<_> = std::fs::read_dir(temp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["taken"]);
    }

    #[test]
    fn an_empty_folder_becomes_the_crate() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("empty");
        std::fs::create_dir(&dir).unwrap();
        new_plugin(&dir, &SdkDependency::Vendored).unwrap();
        assert!(dir.join("vendor/tiendo-plugin/wit/v0.1/plugin.wit").is_file());
        let names: Vec<_> = std::fs::read_dir(temp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["empty"]);
    }

    /// Every file of the SDK crate travels in the binary (its manifest as [`sdk_manifest`]).
    #[test]
    fn every_sdk_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/tiendo-plugin");
        // The Python SDK (`python/`) is embedded by `plugin_new_python`, and checked there.
        let on_disk: Vec<String> =
            crate::scaffold::relative_files(&root, |path| !path.starts_with(root.join("python")))
                .into_iter()
                .map(|(name, _)| name)
                .collect();
        let mut embedded: Vec<String> = SDK_FILES.iter().map(|(path, _)| (*path).to_owned()).collect();
        embedded.push("Cargo.toml".to_owned());
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn the_sdk_manifest_stands_alone_and_keeps_the_sdk_dependencies() {
        let manifest = sdk_manifest();
        assert!(!manifest.contains("workspace"), "{manifest}");
        assert!(!manifest.contains("[lints]"), "{manifest}");
        assert!(manifest.contains(&format!("version = \"{}\"", env!("CARGO_PKG_VERSION"))), "{manifest}");
        let dependencies = |text: &str| {
            text.split("[dependencies]").nth(1).map(|rest| rest.split("\n[").next().unwrap_or("").trim().to_owned())
        };
        assert_eq!(dependencies(&manifest), dependencies(SDK_WORKSPACE_MANIFEST));
        assert!(dependencies(&manifest).unwrap().contains("wit-bindgen"));
    }

    #[test]
    fn the_vendored_dependency_is_relative_and_pinned() {
        let files = plugin_files("demo", &SdkDependency::Vendored);
        let manifest = &files.iter().find(|(name, _)| name == "Cargo.toml").unwrap().1;
        let pin = format!(
            "tiendo-plugin = {{ path = \"vendor/tiendo-plugin\", version = \"={}\" }}",
            env!("CARGO_PKG_VERSION")
        );
        assert!(manifest.contains(&pin), "{manifest}");
        for (name, text) in &files {
            assert!(!text.contains(env!("CARGO_MANIFEST_DIR")), "{name} names the checkout");
        }
    }
}
