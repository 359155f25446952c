//! Writes the example project's synthetic province data:
//! `cargo run --example generate_synthetic` -> `examples/vietnam-2021-2025/data/provinces-synthetic.csv`.
//!
//! The generator itself is `tiendo_core::eval::synthetic` (documented there and in docs/methodology.md); this
//! program only writes its output. Same seed, same bytes: a test checks the committed file against it.

fn main() -> std::io::Result<()> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/vietnam-2021-2025/data/provinces-synthetic.csv");
    std::fs::write(&path, tiendo_load::observations::example_synthetic_csv())
}
