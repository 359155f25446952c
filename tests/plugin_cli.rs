//! `tiendo plugin new|build|test|inspect`, run as a user would: the real binary in a temporary folder.

#[path = "../crates/tiendo-plugin-host/tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `tiendo ARGS` in `dir` with a private compiled-plugin cache.
fn tiendo(dir: &Path, cache: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(args)
        .current_dir(dir)
        .env("TIENDO_CACHE_DIR", cache)
        .output()
        .expect("tiendo runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The shared target directory of the plugin builds, so that the SDK and wit-bindgen are compiled once per run.
fn wasm_target_dir() -> PathBuf {
    support::repository_root().join("target").join("plugin-wasm")
}

/// Replaces what changes between machines and compiler versions (paths, checksums, sizes, fuel) with
/// placeholders.
fn redact(text: &str, replacements: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in replacements {
        text = text.replace(from, to);
    }
    let mut out = String::new();
    for line in text.lines() {
        let mut words: Vec<String> = line.split(' ').map(str::to_owned).collect();
        for word in &mut words {
            let trimmed = word.trim_matches(|character: char| !character.is_ascii_alphanumeric());
            if trimmed.len() == 64 && trimmed.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                *word = word.replace(trimmed, "[sha256]");
            }
        }
        let mut line = words.join(" ");
        for marker in ["fuel used: ", "\"fuel_consumed\": ", "size:              ", "\"size_bytes\": "] {
            if let Some(start) = line.find(marker) {
                let rest = &line[start + marker.len()..];
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                line = format!("{}{marker}[n]{}", &line[..start], &rest[digits..]);
            }
        }
        if let Some(start) = line.find(" KiB, sha256") {
            let open = line[..start].rfind('(').map_or(start, |open| open + 1);
            line = format!("{}[n]{}", &line[..open], &line[start..]);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn new_build_test_and_inspect_a_generated_plugin() {
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let target = wasm_target_dir();
    let target_arg = target.to_str().unwrap();
    let replacements = [(target_arg, "[target]")];

    let created = tiendo(work.path(), cache.path(), &["plugin", "new", "demo"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    insta::assert_snapshot!("plugin_new", created.stdout);
    let manifest = std::fs::read_to_string(work.path().join("demo/Cargo.toml")).unwrap();
    assert!(manifest.contains("tiendo-plugin = { path = "), "{manifest}");

    let built = tiendo(work.path(), cache.path(), &["plugin", "build", "demo", "--target-dir", target_arg]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    insta::assert_snapshot!("plugin_build", redact(&built.stdout, &replacements));

    let args = ["plugin", "test", "demo", "--input", "demo/input.json", "--target-dir", target_arg];
    let tested = tiendo(work.path(), cache.path(), &args);
    assert_eq!(tested.code, 0, "{}", tested.stderr);
    insta::assert_snapshot!("plugin_test_human", redact(&tested.stdout, &replacements));

    let tested = tiendo(work.path(), cache.path(), &[&args[..], &["--format", "json"]].concat());
    assert_eq!(tested.code, 0, "{}", tested.stderr);
    insta::assert_snapshot!("plugin_test_json", redact(&tested.stdout, &replacements));

    let component = target.join("tiendo-plugins/demo.wasm");
    let inspected = tiendo(work.path(), cache.path(), &["plugin", "inspect", component.to_str().unwrap()]);
    assert_eq!(inspected.code, 0, "{}", inspected.stderr);
    insta::assert_snapshot!("plugin_inspect_human", redact(&inspected.stdout, &replacements));
    let inspected =
        tiendo(work.path(), cache.path(), &["plugin", "inspect", component.to_str().unwrap(), "--format", "json"]);
    assert_eq!(inspected.code, 0, "{}", inspected.stderr);
    insta::assert_snapshot!("plugin_inspect_json", redact(&inspected.stdout, &replacements));
}

#[test]
fn the_three_province_plugins_run_on_their_sample_inputs() {
    let cache = tempfile::tempdir().unwrap();
    let root = support::repository_root();
    for plugin in ["qn-justice-funnel", "victim-reintegration", "prevention-coverage"] {
        let component = support::built_plugins()[plugin].clone();
        let input = root.join("plugins").join(plugin).join("input.json");
        let run = tiendo(
            &root,
            cache.path(),
            &["plugin", "test", component.to_str().unwrap(), "--input", input.to_str().unwrap()],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(format!("plugin_test_{plugin}"), redact(&run.stdout, &[]));
    }
}

#[test]
fn a_failing_plugin_exits_with_1_and_names_the_cause() {
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let input = work.path().join("input.json");
    std::fs::write(
        &input,
        r#"{"org_unit": "quang-nam", "periods": ["2023"], "inputs": [{"name": "cases_tried", "value": 1}]}"#,
    )
    .unwrap();
    let cases = [
        ("hostile-panic", "crashed: wasm `unreachable` instruction executed (last log: info: about to divide"),
        ("hostile-memory-bomb", "tried to use more than 64 MiB of memory"),
        ("hostile-wasi-import", "imports `wasi:random/random@0.2.0`, but plugins may import only `tiendo:plugin/host`"),
    ];
    for (plugin, expected) in cases {
        let component = support::built_plugins()[plugin].clone();
        let args = ["plugin", "test", component.to_str().unwrap(), "--input", input.to_str().unwrap()];
        let run = tiendo(work.path(), cache.path(), &args);
        assert_eq!(run.code, 1, "{plugin}: {}", run.stderr);
        assert!(run.stdout.contains(expected), "{plugin}: {}", run.stdout);
    }
    let run = tiendo(work.path(), cache.path(), &["plugin", "test", "missing.wasm", "--input", "input.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: cannot read missing.wasm"), "{}", run.stderr);
}
