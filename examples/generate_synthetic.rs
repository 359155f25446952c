//! Writes the example project's synthetic province data:
//! `cargo run --example generate_synthetic` -> `examples/synthetic-provinces/data/provinces-synthetic.csv` (quarterly
//! counts) and `examples/synthetic-provinces/data/plugin-inputs-synthetic.csv` (the yearly inputs of the province
//! plugins).
//!
//! The generator itself is `tiendo_core::eval::synthetic` (documented there and in docs/methodology.md); this
//! program only writes its output. Same seed, same bytes: tests check the committed files against it.

fn main() -> std::io::Result<()> {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/synthetic-provinces/data");
    std::fs::write(data.join("provinces-synthetic.csv"), tiendo_load::observations::example_synthetic_csv())?;
    std::fs::write(data.join("plugin-inputs-synthetic.csv"), tiendo_load::observations::example_plugin_inputs_csv())
}
