//! The on-disk cache of compiled plugins, which only ever hands wasmtime code this tiendo compiled.
//!
//! Compiling a plugin takes 20-250 ms; loading a compiled one takes well under a millisecond. But loading compiled
//! code is `unsafe` in wasmtime: a crafted file is machine code that runs outside the sandbox. So each entry (one per
//! plugin sha256 and engine) is stored with a tag, BLAKE3 in keyed mode (a MAC, like HMAC-SHA256 before it, at
//! several times its speed: issue 15) under a per-user secret key, and an entry is deserialised only after its tag
//! checks (issue 11, part 4):
//!
//! * the key is 32 random bytes in `KEY_FILE` in the cache folder, created on first use with owner-only
//!   permissions (0600); on Unix a key file that others may read or write (or, on Linux, that another user owns) is
//!   refused and the cache is not used;
//! * the tag covers a fixed label, this tiendo's version, the engine key (wasmtime's version and configuration),
//!   the sha256 of the reviewed `.wasm`, what the plugin's `info()` answered (kept beside the tag, so that a cached
//!   load makes no call) and the compiled bytes: an entry made for other bytes, another engine or by anyone without
//!   the key does not check;
//! * an entry that does not check is removed and reported ([`Lookup::Refused`]); the plugin is compiled from its
//!   reviewed `.wasm` instead, so the results are those of the reviewed plugin;
//! * on Linux, a checked entry that only this user may write is mapped from the file it was read from (the same
//!   open file, through `/proc/self/fd`) instead of being copied into fresh memory: the copy and its page faults were
//!   the largest cost of a cached load (issue 15). Between the check and the mapping, only a process that may write
//!   that file could change its bytes, and only this user (or root) may; this user can read the key and make a valid
//!   tag anyway, so the mapping lets no one run code the check would have refused. Any other entry is copied.

use std::fs::File;
use std::hash::Hasher;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

use crate::ComputeExport;

/// The name of the key file inside the cache folder.
pub const KEY_FILE: &str = "cache-key";

/// Compiled entries larger than this are refused without being read whole (a compiled plugin of the largest
/// accepted `.wasm`, 8 MiB, is well below it).
const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;

/// What the tag covers before the code, so that a tag made for anything else never checks.
const TAG_LABEL: &[u8] = b"tiendo compiled-plugin cache v3 (blake3-keyed)\n";

/// The entries' format, in their file names: entries of an older format are not looked at (they would only be
/// refused and reported).
const FORMAT: &str = "v3";

/// The tag file holds the tag and the remembered `info()`; it is refused above this size (10,000 inputs and metrics
/// of 256 characters fit well below).
const MAX_TAG_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What a cache entry remembers of its plugin besides the code: the answer of `info()` and which export the host
/// calls (checked against its WIT's types when compiled). Covered by the entry's tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CachedInfo {
    pub(crate) id: String,
    pub(crate) version: String,
    pub(crate) description: String,
    pub(crate) inputs: Vec<String>,
    pub(crate) metrics: Vec<String>,
    pub(crate) export: ComputeExport,
}

impl CachedInfo {
    fn to_json(&self) -> String {
        serde_json::json!({
            "id": self.id,
            "version": self.version,
            "description": self.description,
            "inputs": self.inputs,
            "metrics": self.metrics,
            "export": match self.export {
                ComputeExport::Compute => "compute",
                ComputeExport::Columns => "columns",
                ComputeExport::Packed => "packed",
            },
        })
        .to_string()
    }

    fn from_json(text: &str) -> Option<CachedInfo> {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        let text = |key: &str| value.get(key)?.as_str().map(str::to_owned);
        let list = |key: &str| -> Option<Vec<String>> {
            value.get(key)?.as_array()?.iter().map(|item| item.as_str().map(str::to_owned)).collect()
        };
        Some(CachedInfo {
            id: text("id")?,
            version: text("version")?,
            description: text("description")?,
            inputs: list("inputs")?,
            metrics: list("metrics")?,
            export: match value.get("export")?.as_str()? {
                "compute" => ComputeExport::Compute,
                "columns" => ComputeExport::Columns,
                "packed" => ComputeExport::Packed,
                _ => return None,
            },
        })
    }
}

/// A directory of compiled components for one engine configuration.
#[derive(Debug, Clone)]
pub(crate) struct CompiledCache {
    directory: PathBuf,
    engine_key: String,
}

/// The answer of [`CompiledCache::load`].
pub(crate) enum Lookup {
    /// A checked entry: the compiled component and what its plugin's `info()` answered.
    Hit(Component, CachedInfo),
    /// No entry (or no usable key): compile.
    Miss,
    /// An entry exists but was not made by this tiendo for these bytes and this engine; it was removed. The text
    /// says what was wrong and where.
    Refused(String),
}

impl CompiledCache {
    pub(crate) fn new(directory: PathBuf, engine: &Engine) -> CompiledCache {
        CompiledCache { directory, engine_key: engine_key(engine) }
    }

    fn paths(&self, sha256: &str) -> (PathBuf, PathBuf) {
        let stem = format!("{sha256}-{}.{FORMAT}", self.engine_key);
        (self.directory.join(format!("{stem}.cwasm")), self.directory.join(format!("{stem}.cwasm.mac")))
    }

    /// The compiled component for the reviewed `.wasm` of sha256 `sha256`, when an entry exists whose tag checks.
    pub(crate) fn load(&self, engine: &Engine, sha256: &str) -> Lookup {
        let (code_path, tag_path) = self.paths(sha256);
        if std::fs::symlink_metadata(&code_path).is_err() && std::fs::symlink_metadata(&tag_path).is_err() {
            return Lookup::Miss;
        }
        let Ok(key) = read_key(&self.directory) else { return Lookup::Miss };
        match self.checked_bytes(&key, sha256, &code_path, &tag_path) {
            Ok((file, bytes, info)) => {
                // SAFETY: the bytes carry a valid keyed-BLAKE3 tag under this user's secret key, over this tiendo's
                // version, this engine's key and the reviewed sha256: they are exactly what `store` below wrote
                // from `Component::serialize` for that plugin with an engine of this configuration. wasmtime also
                // checks the version and configuration in the header. A mapped entry is the open file these bytes
                // were read from, which only this user may write (see the module documentation).
                #[allow(unsafe_code)]
                let component = match mappable(&file) {
                    // A mapping the system refuses (e.g. no /proc) falls back to the checked copy.
                    Some(same_file) => unsafe { Component::deserialize_file(engine, same_file) }
                        .or_else(|_| unsafe { Component::deserialize(engine, &bytes) }),
                    None => unsafe { Component::deserialize(engine, &bytes) },
                };
                drop(file);
                match component {
                    Ok(component) => Lookup::Hit(component, info),
                    Err(error) => self.refuse(&code_path, &tag_path, &format!("wasmtime refused it: {error}")),
                }
            }
            Err(reason) => self.refuse(&code_path, &tag_path, &reason),
        }
    }

    /// The entry's open code file, its bytes and the remembered `info()`, read only after their sizes, and returned
    /// only when the tag checks. The tag file is the tag in hex on the first line, then the `info()` as one line of
    /// JSON.
    fn checked_bytes(
        &self,
        key: &[u8; 32],
        sha256: &str,
        code_path: &Path,
        tag_path: &Path,
    ) -> Result<(File, Vec<u8>, CachedInfo), String> {
        let tag_file =
            read_regular(tag_path, MAX_TAG_FILE_BYTES).map_err(|error| format!("its tag cannot be read: {error}"))?;
        let tag_file = String::from_utf8(tag_file).map_err(|_| "its tag file is not text")?;
        let (tag, info) = tag_file.split_once('\n').ok_or("its tag file has no info line")?;
        let tag = blake3::Hash::from_hex(tag.trim()).map_err(|_| "its tag is not 64 hexadecimal digits")?;
        let info = info.trim_end_matches('\n');
        let (file, bytes) =
            open_regular(code_path, MAX_ENTRY_BYTES).map_err(|error| format!("it cannot be read: {error}"))?;
        // `blake3::Hash` compares in constant time.
        if self.mac(key, sha256, info.as_bytes(), &bytes) != tag {
            return Err("its tag does not check: it was not compiled by this tiendo for this plugin".to_owned());
        }
        let info = CachedInfo::from_json(info).ok_or("its info line is not what this tiendo writes")?;
        Ok((file, bytes, info))
    }

    fn refuse(&self, code_path: &Path, tag_path: &Path, reason: &str) -> Lookup {
        let _ = std::fs::remove_file(code_path);
        let _ = std::fs::remove_file(tag_path);
        Lookup::Refused(format!("the compiled-plugin cache entry {} was refused: {reason}", code_path.display()))
    }

    /// The keyed BLAKE3 of everything the entry stands for; the info's length comes first so that no byte can move
    /// between the info and the code.
    fn mac(&self, key: &[u8; 32], sha256: &str, info: &[u8], bytes: &[u8]) -> blake3::Hash {
        let mut mac = blake3::Hasher::new_keyed(key);
        mac.update(TAG_LABEL);
        for part in [env!("CARGO_PKG_VERSION"), &self.engine_key, sha256] {
            mac.update(part.as_bytes());
            mac.update(b"\n");
        }
        mac.update(&(info.len() as u64).to_le_bytes());
        mac.update(info);
        mac.update(bytes);
        mac.finalize()
    }

    /// Stores a compiled component and its plugin's `info()` with their tag. Failures only cost a recompilation next
    /// time, so they are ignored.
    pub(crate) fn store(&self, sha256: &str, component: &Component, info: &CachedInfo) {
        let Ok(bytes) = component.serialize() else { return };
        if std::fs::create_dir_all(&self.directory).is_err() {
            return;
        }
        let Ok(key) = read_or_create_key(&self.directory) else { return };
        let info = info.to_json();
        let tag = format!("{}\n{info}\n", self.mac(&key, sha256, info.as_bytes(), &bytes).to_hex());
        let (code_path, tag_path) = self.paths(sha256);
        // Write to temporary files and rename, so that a concurrent reader never sees a half-written file; the tag
        // comes last, so a reader that finds it finds the code it covers.
        let unique = format!("{}-{:?}", std::process::id(), std::thread::current().id());
        let code_temp = temp_path(&code_path, &unique);
        let tag_temp = temp_path(&tag_path, &unique);
        let written = write_owner_only(&code_temp, &bytes)
            .and_then(|()| std::fs::rename(&code_temp, &code_path))
            .and_then(|()| std::fs::write(&tag_temp, tag))
            .and_then(|()| std::fs::rename(&tag_temp, &tag_path));
        if written.is_err() {
            let _ = std::fs::remove_file(&code_temp);
            let _ = std::fs::remove_file(&tag_temp);
        }
    }
}

/// Reads at most `limit` bytes of a regular file (never a FIFO or a device, which could block or never end).
fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    open_regular(path, limit).map(|(_file, bytes)| bytes)
}

/// Opens a regular file that is not a symbolic link, and reads at most `limit` bytes of it; the file stays open, so
/// that what is done with it afterwards is done to these bytes' file (even if the path is replaced meanwhile).
fn open_regular(path: &Path, limit: u64) -> std::io::Result<(File, Vec<u8>)> {
    let metadata = std::fs::symlink_metadata(path)?;
    if !metadata.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if metadata.len() > limit {
        return Err(std::io::Error::other(format!("larger than {limit} bytes")));
    }
    let file = File::open(path)?;
    if !same_file(&metadata, &file.metadata()?) {
        return Err(std::io::Error::other("replaced while it was opened"));
    }
    // Sized from the metadata, so that reading does not grow (copy and fault in) the buffer again and again.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0).saturating_add(1));
    (&file).take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!("larger than {limit} bytes")));
    }
    Ok((file, bytes))
}

/// Whether the path's metadata (not following links) and the opened file's are one file.
#[cfg(unix)]
fn same_file(path: &std::fs::Metadata, opened: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    opened.is_file() && (path.dev(), path.ino()) == (opened.dev(), opened.ino())
}

#[cfg(not(unix))]
fn same_file(_path: &std::fs::Metadata, opened: &std::fs::Metadata) -> bool {
    opened.is_file()
}

/// The path through which wasmtime may map `file` itself, when only this user may write it: `/proc/self/fd/N` opens
/// the same file, not whatever its name points to now. `None` (copy the checked bytes) elsewhere than on Linux, or
/// when another user owns the file or may write it.
#[cfg(target_os = "linux")]
fn mappable(file: &File) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::AsRawFd;
    let metadata = file.metadata().ok()?;
    let me = std::fs::metadata("/proc/self").ok()?;
    (metadata.uid() == me.uid() && metadata.mode() & 0o022 == 0)
        .then(|| PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd())))
}

#[cfg(not(target_os = "linux"))]
fn mappable(_file: &File) -> Option<PathBuf> {
    None
}

/// Writes a new file that only its owner may read or write (0600 on Unix).
fn write_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// The user's cache key, created on first use.
fn read_or_create_key(directory: &Path) -> Result<[u8; 32], String> {
    match read_key(directory) {
        Ok(key) => Ok(key),
        Err(KeyError::Missing) => create_key(directory),
        Err(KeyError::Unusable(reason)) => Err(reason),
    }
}

enum KeyError {
    Missing,
    Unusable(String),
}

/// The key, if it exists and only its owner, this user, may read or write it.
fn read_key(directory: &Path) -> Result<[u8; 32], KeyError> {
    let path = directory.join(KEY_FILE);
    let metadata = match std::fs::symlink_metadata(&path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Err(KeyError::Missing),
        Err(error) => return Err(KeyError::Unusable(error.to_string())),
    };
    owner_only(&metadata).map_err(KeyError::Unusable)?;
    let text = read_regular(&path, 1024).map_err(|error| KeyError::Unusable(error.to_string()))?;
    from_hex(String::from_utf8_lossy(&text).trim())
        .and_then(|key| <[u8; 32]>::try_from(key).ok())
        .ok_or_else(|| KeyError::Unusable(format!("{} is not a key written by tiendo", path.display())))
}

#[cfg(unix)]
fn owner_only(metadata: &std::fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if !metadata.is_file() {
        return Err("the cache key is not a regular file".to_owned());
    }
    // This process's user owns `/proc/self` on Linux; elsewhere only the permissions are checked.
    #[cfg(target_os = "linux")]
    if std::fs::metadata("/proc/self").is_ok_and(|me| me.uid() != metadata.uid()) {
        return Err("the cache key belongs to another user".to_owned());
    }
    if metadata.permissions().mode() & 0o077 != 0 {
        return Err("the cache key may be read or written by other users".to_owned());
    }
    Ok(())
}

#[cfg(not(unix))]
fn owner_only(metadata: &std::fs::Metadata) -> Result<(), String> {
    if metadata.is_file() { Ok(()) } else { Err("the cache key is not a regular file".to_owned()) }
}

/// Writes a new random key, readable and writable by its owner only; a key another process created at the same
/// moment wins.
fn create_key(directory: &Path) -> Result<[u8; 32], String> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|error| error.to_string())?;
    let path = directory.join(KEY_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            use std::io::Write;
            file.write_all(to_hex(&key).as_bytes()).map_err(|error| error.to_string())?;
            Ok(key)
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => match read_key(directory) {
            Ok(key) => Ok(key),
            Err(KeyError::Missing) => Err("the cache key vanished".to_owned()),
            Err(KeyError::Unusable(reason)) => Err(reason),
        },
        Err(error) => Err(error.to_string()),
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

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|at| u8::from_str_radix(&text[at..at + 2], 16).ok()).collect()
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
    fn hex_round_trips_and_refuses_what_is_not_hex() {
        assert_eq!(from_hex(&to_hex(&[0, 1, 254, 255])), Some(vec![0, 1, 254, 255]));
        for bad in ["a", "zz", "0g", "é0"] {
            assert_eq!(from_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn engine_key_is_stable_for_one_configuration() {
        let engine = Engine::default();
        assert_eq!(engine_key(&engine), engine_key(&engine.clone()));
        assert_eq!(engine_key(&engine).len(), 16);
    }

    #[test]
    fn the_key_is_created_owner_only_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = read_or_create_key(dir.path()).unwrap();
        assert_eq!(read_or_create_key(dir.path()).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.path().join(KEY_FILE);
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let Err(KeyError::Unusable(reason)) = read_key(dir.path()) else { panic!("a shared key is refused") };
            assert!(reason.contains("other users"), "{reason}");
        }
    }

    #[test]
    fn a_tag_is_bound_to_the_key_the_plugin_the_info_and_the_bytes() {
        let cache = CompiledCache { directory: PathBuf::from("unused"), engine_key: "e".repeat(16) };
        let tag = |key: &[u8; 32], sha: &str, info: &[u8], bytes: &[u8]| cache.mac(key, sha, info, bytes);
        let reference = tag(&[1; 32], "aa", b"{}", b"code");
        assert_eq!(tag(&[1; 32], "aa", b"{}", b"code"), reference);
        assert_ne!(tag(&[2; 32], "aa", b"{}", b"code"), reference);
        assert_ne!(tag(&[1; 32], "ab", b"{}", b"code"), reference);
        assert_ne!(tag(&[1; 32], "aa", b"{ }", b"code"), reference);
        assert_ne!(tag(&[1; 32], "aa", b"{}", b"cod3"), reference);
        // A byte moved from the info to the code changes the tag.
        assert_ne!(tag(&[1; 32], "aa", b"{}c", b"ode"), reference);
        let other = CompiledCache { engine_key: "f".repeat(16), ..cache.clone() };
        assert_ne!(other.mac(&[1; 32], "aa", b"{}", b"code"), reference);
    }

    #[test]
    fn the_remembered_info_round_trips_and_refuses_other_shapes() {
        let info = CachedInfo {
            id: "qn-justice-funnel".to_owned(),
            version: "0.2.0".to_owned(),
            description: "Quảng Nam \"funnel\"\nsecond line".to_owned(),
            inputs: vec!["a".to_owned(), "b".to_owned()],
            metrics: Vec::new(),
            export: ComputeExport::Packed,
        };
        let json = info.to_json();
        assert!(!json.contains('\n'), "one line: {json}");
        assert_eq!(CachedInfo::from_json(&json), Some(info));
        for bad in [
            "",
            "{}",
            "[]",
            r#"{"id":"x","version":"1","description":"","inputs":[1],"metrics":[],"export":"packed"}"#,
            r#"{"id":"x","version":"1","description":"","inputs":[],"metrics":[],"export":"rows"}"#,
            r#"{"id":"x","version":"1","description":"","inputs":[],"metrics":[],"columnar":true}"#,
        ] {
            assert_eq!(CachedInfo::from_json(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_entry_round_trips_and_a_changed_byte_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::default();
        let cache = CompiledCache::new(dir.path().to_path_buf(), &engine);
        let component = Component::new(&engine, b"\0asm\x0d\x00\x01\x00").unwrap();
        let info = CachedInfo {
            id: "x".to_owned(),
            version: "1".to_owned(),
            description: String::new(),
            inputs: Vec::new(),
            metrics: vec!["m".to_owned()],
            export: ComputeExport::Compute,
        };
        assert!(matches!(cache.load(&engine, "aa"), Lookup::Miss));
        cache.store("aa", &component, &info);
        let Lookup::Hit(_, remembered) = cache.load(&engine, "aa") else { panic!("a hit") };
        assert_eq!(remembered, info);
        assert!(matches!(cache.load(&engine, "ab"), Lookup::Miss));
        // The info is covered by the tag: another id is refused, and the entry removed.
        let (code_path, tag_path) = cache.paths("aa");
        let tag_file = std::fs::read_to_string(&tag_path).unwrap();
        std::fs::write(&tag_path, tag_file.replace("\"x\"", "\"y\"")).unwrap();
        let Lookup::Refused(reason) = cache.load(&engine, "aa") else { panic!("refused") };
        assert!(reason.contains("does not check"), "{reason}");
        assert!(!code_path.exists() && !tag_path.exists());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn only_files_no_other_user_may_write_are_mapped_and_through_the_open_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entry.cwasm");
        write_owner_only(&path, b"checked bytes").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let (file, bytes) = open_regular(&path, 1024).unwrap();
        // The path now names another file: the mapping still reads the one that was checked.
        std::fs::rename(&path, dir.path().join("moved")).unwrap();
        std::fs::write(&path, b"other bytes").unwrap();
        let same = mappable(&file).expect("an owner-only file is mapped");
        assert_eq!(std::fs::read(same).unwrap(), bytes);
        for (mode, mapped) in [(0o600, true), (0o644, true), (0o664, false), (0o646, false)] {
            std::fs::set_permissions(dir.path().join("moved"), std::fs::Permissions::from_mode(mode)).unwrap();
            assert_eq!(mappable(&file).is_some(), mapped, "{mode:o}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_and_other_kinds_of_file_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, b"bytes").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(open_regular(&link, 1024).unwrap_err().to_string(), "not a regular file");
        assert_eq!(open_regular(dir.path(), 1024).unwrap_err().to_string(), "not a regular file");
        assert_eq!(open_regular(&target, 4).unwrap_err().to_string(), "larger than 4 bytes");
        assert_eq!(open_regular(&target, 5).unwrap().1, b"bytes");
    }
}
