//! Builds the real and hostile plugins once per test binary and hands out their components.
//!
//! The build runs `cargo build --release --target wasm32-unknown-unknown` on the two plugin workspaces with their
//! own target directory (`target/plugin-wasm`), installing the wasm target with rustup if it is missing, and then
//! componentizes them. After the first run it is incremental (about a second).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tiendo_core::plugin::{PluginLimitOverrides, PluginManifest};
use tiendo_plugin_host::{BuildRequest, build_plugins, hex_sha256};

/// The repository root: the nearest ancestor of the crate under test that holds `plugins/Cargo.toml` (this module
/// is shared by the host crate's tests and the root package's tests).
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("plugins").join("Cargo.toml").is_file())
        .expect("the tests run inside the tiendo repository")
        .to_path_buf()
}

/// Package name -> component path, for every plugin of `plugins/` and `tests/hostile-plugins/`.
pub fn built_plugins() -> &'static BTreeMap<String, PathBuf> {
    static BUILT: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = repository_root();
        let target_dir = root.join("target").join("plugin-wasm");
        let mut built = BTreeMap::new();
        for workspace in ["plugins", "tests/hostile-plugins"] {
            let request = BuildRequest {
                dir: root.join(workspace),
                target_dir: Some(target_dir.clone()),
                quiet: true,
                cargo_home: cargo_home(),
            };
            for plugin in build_plugins(&request).unwrap_or_else(|error| panic!("building {workspace}: {error}")) {
                built.insert(plugin.package, plugin.component);
            }
        }
        built
    })
}

/// The component bytes of package `name`.
pub fn component(name: &str) -> Vec<u8> {
    let path = built_plugins().get(name).unwrap_or_else(|| panic!("no plugin package `{name}` was built"));
    std::fs::read(path).expect("the built component is readable")
}

/// A reviewed manifest that matches `bytes`.
///
/// Its wall-clock limit is the host's cap (30 s), so that a hostile plugin's endless work ends on fuel, which is the
/// same on every machine, and not on the default 2 s, which a loaded machine can reach first. A test of the deadline
/// sets its own.
pub fn manifest_for(id: &str, bytes: &[u8]) -> PluginManifest {
    let limits = PluginLimitOverrides { timeout_ms: Some(30_000), ..PluginLimitOverrides::default() };
    PluginManifest { id: id.to_owned(), sha256: hex_sha256(bytes), limits, ..PluginManifest::default() }
}

/// Cargo's home folder, as the CLI finds it.
pub fn cargo_home() -> Option<std::path::PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| std::path::PathBuf::from(home).join(".cargo")))
}
