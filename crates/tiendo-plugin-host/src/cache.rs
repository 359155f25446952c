//! The on-disk cache of compiled plugins.
//!
//! Compiling a plugin takes 20-250 ms; loading a compiled one takes well under a millisecond. The cache keeps one
//! file per (plugin sha256, engine configuration and wasmtime version) in a directory that the caller owns (the
//! CLI uses the user's cache directory). Loading compiled code is `unsafe` in wasmtime because a crafted file could
//! run arbitrary machine code, so this module only reads files it wrote itself: each file has a sidecar with the
//! sha256 of its contents, written after the file and checked before the bytes are handed to wasmtime, which
//! rejects truncated or half-written files and files copied in from another cache.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// A directory of compiled components for one engine configuration.
#[derive(Debug, Clone)]
pub(crate) struct CompiledCache {
    directory: PathBuf,
    engine_key: String,
}

impl CompiledCache {
    pub(crate) fn new(directory: PathBuf, engine: &Engine) -> CompiledCache {
        CompiledCache { directory, engine_key: engine_key(engine) }
    }

    fn paths(&self, sha256: &str) -> (PathBuf, PathBuf) {
        let stem = format!("{sha256}-{}", self.engine_key);
        (self.directory.join(format!("{stem}.cwasm")), self.directory.join(format!("{stem}.cwasm.sha256")))
    }

    /// The compiled component for `sha256`, when a valid cache entry exists.
    pub(crate) fn load(&self, engine: &Engine, sha256: &str) -> Option<Component> {
        let (code_path, digest_path) = self.paths(sha256);
        let expected_digest = std::fs::read_to_string(&digest_path).ok()?;
        let bytes = std::fs::read(&code_path).ok()?;
        if hex_sha256(&bytes) != expected_digest.trim() {
            return None;
        }
        // SAFETY: the bytes are exactly those that `store` below wrote from `Component::serialize` with an engine
        // of the same configuration and wasmtime version (both are in the file name, and the digest written after
        // the file matches). wasmtime additionally checks the version and configuration in the header.
        #[allow(unsafe_code)]
        let component = unsafe { Component::deserialize(engine, &bytes) };
        component.ok()
    }

    /// Stores a compiled component. Failures only cost a recompilation next time, so they are ignored.
    pub(crate) fn store(&self, sha256: &str, component: &Component) {
        let Ok(bytes) = component.serialize() else { return };
        if std::fs::create_dir_all(&self.directory).is_err() {
            return;
        }
        let (code_path, digest_path) = self.paths(sha256);
        // Write to temporary files and rename, so that a concurrent reader never sees a half-written file.
        let unique = format!("{}-{:?}", std::process::id(), std::thread::current().id());
        let code_temp = temp_path(&code_path, &unique);
        let digest_temp = temp_path(&digest_path, &unique);
        let written = std::fs::write(&code_temp, &bytes)
            .and_then(|()| std::fs::rename(&code_temp, &code_path))
            .and_then(|()| std::fs::write(&digest_temp, hex_sha256(&bytes)))
            .and_then(|()| std::fs::rename(&digest_temp, &digest_path));
        if written.is_err() {
            let _ = std::fs::remove_file(&code_temp);
            let _ = std::fs::remove_file(&digest_temp);
        }
    }
}

fn temp_path(path: &Path, unique: &str) -> PathBuf {
    let mut name = path.file_name().map(|name| name.to_os_string()).unwrap_or_default();
    name.push(format!(".tmp-{unique}").replace(['(', ')'], ""));
    path.with_file_name(name)
}

/// sha256 of `bytes` in lowercase hex.
pub fn hex_sha256(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

/// A short stable digest of everything that makes compiled code incompatible: wasmtime's own compatibility hash
/// (its version and the engine configuration), fed through sha256 so that it does not depend on std's hasher.
fn engine_key(engine: &Engine) -> String {
    struct Sha256Hasher(Sha256);
    impl Hasher for Sha256Hasher {
        fn finish(&self) -> u64 {
            // Only the digest is used; `Hash` implementations never call `finish` on the hasher they are given.
            0
        }
        fn write(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }
    }
    let mut hasher = Sha256Hasher(Sha256::new());
    std::hash::Hash::hash(&engine.precompile_compatibility_hash(), &mut hasher);
    to_hex(&hasher.0.finalize()[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(hex_sha256(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn engine_key_is_stable_for_one_configuration() {
        let engine = Engine::default();
        assert_eq!(engine_key(&engine), engine_key(&engine.clone()));
        assert_eq!(engine_key(&engine).len(), 16);
    }
}
