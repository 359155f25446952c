//! Runs the native unit tests of the province plugins in `plugins/` (a separate workspace, so the root
//! `cargo test` would not see them otherwise).

use std::process::Command;

#[test]
fn province_plugins_pass_their_native_unit_tests() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["test", "--quiet", "--manifest-path"])
        .arg(root.join("plugins").join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target").join("plugin-native"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    // Each plugin's unit tests ran: 6 + 5 + 6 tests, in three "test result" lines.
    let passed: Vec<&str> = stdout.lines().filter(|line| line.starts_with("test result: ok.")).collect();
    let total: usize = passed
        .iter()
        .filter_map(|line| line.trim_start_matches("test result: ok. ").split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(total >= 17, "expected at least 17 plugin unit tests, got {total}:\n{stdout}");
}
