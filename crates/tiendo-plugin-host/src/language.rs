//! Which toolchain made a component, for `tiendo plugin inspect`: read from marks the toolchains leave in the bytes,
//! so it is a description for people, never a basis for trust (the sha256 in the reviewed `plugin.toml` is that).

/// The language of a component: `python` (componentize-py bundles its runtime library, named in the component),
/// `rust` (rustc's name in the `producers` section or its standard library's paths), or `unknown`.
pub fn language_of(wasm: &[u8]) -> &'static str {
    if contains(wasm, b"libcomponentize_py_runtime") {
        "python"
    } else if contains(wasm, b"rustc") {
        "rust"
    } else {
        "unknown"
    }
}

/// Whether `needle` occurs in `haystack`. memchr's SIMD search: the byte-by-byte loop this replaced was a tenth of
/// a cached plugin load (docs/performance.md, "Plugin host").
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_told_by_their_marks() {
        assert_eq!(language_of(b"\0asm...libcomponentize_py_runtime.so..."), "python");
        assert_eq!(language_of(b"\0asm...processed-by rustc 1.95..."), "rust");
        assert_eq!(language_of(b"\0asm..."), "unknown");
        assert_eq!(language_of(b"rust"), "unknown");
        assert_eq!(language_of(b"rustrustc"), "rust");
        assert_eq!(language_of(b""), "unknown");
    }
}
