//! Building plugins: `cargo build --target wasm32-unknown-unknown`, then turning the core module into a component
//! with the `wit-component` crate, so that plugin authors need nothing but Rust and rustup.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cache::hex_sha256;

/// The target plugins are compiled for. It has no WASI, so a plugin cannot even ask for files or a clock.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// A plugin crate, or a workspace whose `cdylib` members are all plugins.
    pub dir: PathBuf,
    /// Cargo's target directory; `None` uses the crate's own (usually `DIR/target`).
    pub target_dir: Option<PathBuf>,
    /// Passes `--quiet` to cargo.
    pub quiet: bool,
    /// Cargo's home folder, where the sources of registry crates live: its path is replaced by `/cargo` in the paths
    /// the component embeds, so that a rebuild on another machine gives the same sha256. The caller knows it (the
    /// CLI: `$CARGO_HOME`, else `~/.cargo`); `None` leaves those paths as they are.
    pub cargo_home: Option<PathBuf>,
}

/// One built plugin component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltPlugin {
    /// The Cargo package name.
    pub package: String,
    /// The component, at `TARGET/tiendo-plugins/PACKAGE.wasm`.
    pub component: PathBuf,
    pub sha256: String,
    pub size_bytes: u64,
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("cannot run `{command}`: {reason}")]
    Spawn { command: String, reason: String },
    #[error("`{command}` failed ({status})")]
    CommandFailed { command: String, status: String },
    #[error("cannot read cargo metadata: {reason}")]
    Metadata { reason: String },
    #[error("no plugin crate (a package with crate-type \"cdylib\") in {dir}")]
    NoPluginCrate { dir: PathBuf },
    #[error("cannot make a component of `{package}`: {reason}")]
    Componentize { package: String, reason: String },
    #[error("{path}: {reason}")]
    Io { path: PathBuf, reason: String },
    /// The wasm target is missing and rustup could not add it (no rustup, no network, a toolchain rustup does not
    /// manage).
    #[error(
        "the Rust toolchain cannot compile for {WASM_TARGET} and adding the target failed ({reason}); run `rustup \
         target add {WASM_TARGET}` (or install that target for your toolchain) and build again"
    )]
    WasmTarget { reason: String },
    /// A Python plugin folder lacks a file every Python plugin has.
    #[error("{dir} is not a Python plugin: {missing} is missing (`tiendo plugin new NAME --lang python` writes one)")]
    NotAPythonPlugin { dir: PathBuf, missing: String },
    /// Python syntax errors, each as `file:line:col: message`.
    #[error("Python syntax errors:\n{}", errors.join("\n"))]
    PythonSyntax { errors: Vec<String> },
    /// No Python to run, or the pinned componentize-py could not be installed.
    #[error("cannot prepare the Python build environment: {reason}; {hint}")]
    PythonEnvironment { reason: String, hint: String },
}

/// Makes sure the Rust toolchain used in `dir` can compile for `wasm32-unknown-unknown`, installing the target with
/// `rustup target add` when it is missing (a fresh machine, or a toolchain that ignores `rust-toolchain.toml`).
/// Returns whether it installed the target. Two builds started together on a fresh machine would both install it
/// (rustup's proxy does so for a target `rust-toolchain.toml` lists as soon as rustc runs), and rustup fails when
/// another rustup renames the same download: the look and the installation are made under an exclusive lock on a
/// file in the temporary folder, so the second build finds the target the first installed.
pub fn ensure_wasm_target(dir: &Path) -> Result<bool, BuildError> {
    let lock_path = std::env::temp_dir().join("tiendo-rustup-wasm-target.lock");
    // Without a lock (a read-only temporary folder) the look and installation go ahead unguarded.
    let lock = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path).ok();
    let _held = lock.as_ref().and_then(|file| file.lock().ok());
    if has_wasm_std(dir) {
        return Ok(false);
    }
    let mut rustup = Command::new("rustup");
    rustup.args(["target", "add", WASM_TARGET]).current_dir(dir);
    run(&mut rustup).map_err(|error| BuildError::WasmTarget { reason: error.to_string() })?;
    Ok(true)
}

/// Whether the toolchain used in `dir` has the standard library for [`WASM_TARGET`]. A rustc that cannot be run
/// leaves the question to rustup, whose failure then names the command to run.
fn has_wasm_std(dir: &Path) -> bool {
    let mut rustc = Command::new(rustc_program());
    rustc.args(["--print", "target-libdir", "--target", WASM_TARGET]).current_dir(dir);
    let Ok(output) = rustc.output() else { return false };
    if !output.status.success() {
        return false;
    }
    let libdir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    std::fs::read_dir(&libdir)
        .map(|entries| {
            entries.filter_map(Result::ok).any(|entry| entry.file_name().to_string_lossy().starts_with("libstd-"))
        })
        .unwrap_or(false)
}

/// Turns a core WebAssembly module built with the SDK into a component. The module already carries its WIT world
/// in a custom section written by `wit-bindgen`, so no WIT files are needed here.
pub fn componentize(core_module: &[u8]) -> Result<Vec<u8>, String> {
    wit_component::ComponentEncoder::default()
        .validate(true)
        .module(core_module)
        .and_then(|encoder| encoder.encode())
        .map_err(|error| format!("{error:#}"))
}

/// Builds the plugin crate or workspace in `request.dir` in release mode for `wasm32-unknown-unknown` and writes a
/// component for each plugin crate.
pub fn build_plugins(request: &BuildRequest) -> Result<Vec<BuiltPlugin>, BuildError> {
    let manifest = request.dir.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(BuildError::NoPluginCrate { dir: request.dir.clone() });
    }
    ensure_wasm_target(&request.dir)?;
    let metadata = cargo_metadata(&manifest, request.target_dir.as_deref())?;

    let mut build = cargo_command();
    build.args(["build", "--release", "--target", WASM_TARGET, "--manifest-path"]).arg(&manifest);
    if request.quiet {
        build.arg("--quiet");
    }
    for package in &metadata.packages {
        build.args(["--package", &package.name]);
    }
    if let Some(target_dir) = &request.target_dir {
        build.env("CARGO_TARGET_DIR", target_dir);
    }
    build.env(
        "CARGO_ENCODED_RUSTFLAGS",
        reproducible_rustflags(request.cargo_home.as_deref(), &metadata.path_dependencies),
    );
    run(&mut build)?;

    let release_dir = metadata.target_directory.join(WASM_TARGET).join("release");
    let out_dir = metadata.target_directory.join("tiendo-plugins");
    std::fs::create_dir_all(&out_dir).map_err(|error| io_error(&out_dir, &error))?;
    metadata
        .packages
        .iter()
        .map(|package| {
            let core_path = release_dir.join(format!("{}.wasm", package.lib_name.replace('-', "_")));
            let core = std::fs::read(&core_path).map_err(|error| io_error(&core_path, &error))?;
            let component = componentize(&core)
                .map_err(|reason| BuildError::Componentize { package: package.name.clone(), reason })?;
            let component_path = out_dir.join(format!("{}.wasm", package.name));
            std::fs::write(&component_path, &component).map_err(|error| io_error(&component_path, &error))?;
            Ok(BuiltPlugin {
                package: package.name.clone(),
                component: component_path,
                sha256: hex_sha256(&component),
                size_bytes: component.len() as u64,
            })
        })
        .collect()
}

struct Metadata {
    target_directory: PathBuf,
    packages: Vec<PluginPackage>,
    /// Folders of path dependencies outside the workspace (such as the SDK in a tiendo checkout), by package name.
    path_dependencies: Vec<(String, PathBuf)>,
}

struct PluginPackage {
    name: String,
    lib_name: String,
}

/// Reads the workspace with `cargo metadata` and selects the plugin crates: the crate in `manifest` if it is a
/// package, otherwise every workspace member with a `cdylib` target.
fn cargo_metadata(manifest: &Path, target_dir: Option<&Path>) -> Result<Metadata, BuildError> {
    let mut command = cargo_command();
    command
        .args(["metadata", "--format-version", "1", "--filter-platform", WASM_TARGET, "--manifest-path"])
        .arg(manifest);
    if let Some(target_dir) = target_dir {
        command.env("CARGO_TARGET_DIR", target_dir);
    }
    let output = command.output().map_err(|error| spawn_error(&command, &error))?;
    if !output.status.success() {
        return Err(BuildError::Metadata { reason: String::from_utf8_lossy(&output.stderr).trim().to_owned() });
    }
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|error| BuildError::Metadata { reason: error.to_string() })?;
    let target_directory = json["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| BuildError::Metadata { reason: "no target_directory".to_owned() })?;
    let wanted = manifest.canonicalize().map_err(|error| io_error(manifest, &error))?;
    let mut all = Vec::new();
    let mut selected = Vec::new();
    let members: Vec<&str> =
        json["workspace_members"].as_array().into_iter().flatten().filter_map(serde_json::Value::as_str).collect();
    let mut path_dependencies = Vec::new();
    for package in json["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or_default().to_owned();
        let is_member = package["id"].as_str().is_some_and(|id| members.contains(&id));
        if !is_member {
            let manifest_dir = package["manifest_path"].as_str().map(Path::new).and_then(Path::parent);
            if let (true, Some(dir)) = (package["source"].is_null(), manifest_dir) {
                path_dependencies.push((name, dir.to_path_buf()));
            }
            continue;
        }
        let cdylib =
            package["targets"].as_array().into_iter().flatten().find(|target| {
                target["kind"].as_array().into_iter().flatten().any(|kind| kind.as_str() == Some("cdylib"))
            });
        let Some(cdylib) = cdylib else { continue };
        let plugin = PluginPackage { name, lib_name: cdylib["name"].as_str().unwrap_or_default().to_owned() };
        let manifest_path = package["manifest_path"].as_str().map(PathBuf::from);
        if manifest_path.and_then(|path| path.canonicalize().ok()).as_ref() == Some(&wanted) {
            selected.push(plugin);
        } else {
            all.push(plugin);
        }
    }
    let packages = if selected.is_empty() { all } else { selected };
    if packages.is_empty() {
        return Err(BuildError::NoPluginCrate { dir: manifest.parent().unwrap_or(manifest).to_path_buf() });
    }
    Ok(Metadata { target_directory, packages, path_dependencies })
}

/// Flags that keep machine-specific paths out of the component (panic locations embed source paths), so that a
/// reviewer who rebuilds a plugin from the same source, lock file and toolchain gets the same sha256.
fn reproducible_rustflags(cargo_home: Option<&Path>, path_dependencies: &[(String, PathBuf)]) -> String {
    let mut flags = Vec::new();
    if let Some(cargo_home) = cargo_home {
        flags.push(format!("--remap-path-prefix={}=/cargo", cargo_home.display()));
    }
    for (name, dir) in path_dependencies {
        flags.push(format!("--remap-path-prefix={}=/{name}", dir.display()));
    }
    flags.join("\u{1f}")
}

/// `cargo` as the caller runs it (`$CARGO` inside cargo's own processes), without settings meant for the host build
/// that would break a WebAssembly build (target-specific flags, a forced target or target directory).
fn cargo_command() -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(program);
    for variable in
        ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_TARGET", "CARGO_TARGET_DIR", "CARGO_BUILD_RUSTFLAGS"]
    {
        command.env_remove(variable);
    }
    command
}

fn rustc_program() -> std::ffi::OsString {
    std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into())
}

fn run(command: &mut Command) -> Result<(), BuildError> {
    let status = command.status().map_err(|error| spawn_error(command, &error))?;
    if status.success() {
        Ok(())
    } else {
        Err(BuildError::CommandFailed { command: describe(command), status: status.to_string() })
    }
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ")
}

fn spawn_error(command: &Command, error: &std::io::Error) -> BuildError {
    BuildError::Spawn { command: describe(command), reason: error.to_string() }
}

fn io_error(path: &Path, error: &std::io::Error) -> BuildError {
    BuildError::Io { path: path.to_path_buf(), reason: error.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_without_cargo_toml_is_not_a_plugin() {
        let dir = tempfile::tempdir().unwrap();
        let error = build_plugins(&BuildRequest {
            dir: dir.path().to_path_buf(),
            target_dir: None,
            quiet: true,
            cargo_home: None,
        })
        .unwrap_err();
        assert!(matches!(error, BuildError::NoPluginCrate { .. }));
    }

    #[test]
    fn bytes_that_are_not_a_core_module_cannot_be_componentized() {
        assert!(componentize(b"not wasm").is_err());
    }
}
