//! `tiendo plugin new NAME --lang python`: the files of a Python plugin, which componentize-py builds into a
//! component against the same WIT interface as a Rust plugin.
//!
//! The Python SDK (`tiendo_plugin.py`), the component's entry module (`app.py`), the pinned build requirement and the
//! WIT are compiled into the binary from `crates/tiendo-plugin`, so the new folder needs nothing else from tiendo.

/// The Python SDK files embedded in the binary: path inside the SDK crate, path in a new plugin, text. A test
/// compares them with the files of `crates/tiendo-plugin/python`, and another with the copies in
/// `plugins/prevention-coverage-py` and `tests/hostile-plugins-py`.
pub const PYTHON_SDK_FILES: &[(&str, &str, &str)] = &[
    ("python/tiendo_plugin.py", "tiendo_plugin.py", include_str!("../../crates/tiendo-plugin/python/tiendo_plugin.py")),
    ("python/app.py", "app.py", include_str!("../../crates/tiendo-plugin/python/app.py")),
    (
        "python/requirements-build.txt",
        "requirements-build.txt",
        include_str!("../../crates/tiendo-plugin/python/requirements-build.txt"),
    ),
    // WIT 0.1.1: Python plugins build the world `metric-plugin`, which 0.1.2 left unchanged, so the Python SDK keeps
    // the 0.1.1 file (and its plugins `compute`): the committed Python components were built from it, and a newer
    // copy would only change their interface version, not what they export.
    (
        "python/wit/v0.1/plugin.wit",
        "wit/v0.1/plugin.wit",
        include_str!("../../crates/tiendo-plugin/python/wit/v0.1/plugin.wit"),
    ),
];

/// The files of a new Python plugin `id`, by path relative to its folder.
pub fn python_plugin_files(id: &str) -> Vec<(String, String)> {
    let mut files = vec![
        ("plugin.py".to_owned(), TEMPLATE_PLUGIN_PY.replace("{id}", id)),
        ("test_plugin.py".to_owned(), TEMPLATE_TEST_PY.to_owned()),
        ("input.json".to_owned(), super::plugin_new::TEMPLATE_INPUT.to_owned()),
        (".gitignore".to_owned(), "/target\n__pycache__/\n".to_owned()),
    ];
    for (_, path, text) in PYTHON_SDK_FILES {
        files.push(((*path).to_owned(), (*text).to_owned()));
    }
    files.sort();
    files
}

const TEMPLATE_PLUGIN_PY: &str = r#""""A tiendo metric plugin: the share of denunciations that were resolved, optionally scaled.

Replace the inputs, metrics and computation with your own; keep INFO in step with what `compute` reads and returns.
The plugin runs inside a sandbox: the Python standard library's pure parts work (math, statistics, decimal,
fractions, json, re, dataclasses, datetime arithmetic); files, network, environment variables, the clock and
sleeping do not (see docs/plugins.md, "Python plugins"). `print` goes to tiendo's plugin log.
"""

from tiendo_plugin import ComputeInput, MetricValue, PluginInfo, format_number, info

INFO = PluginInfo(
    id="{id}",
    version="0.1.0",
    description="Share of denunciations resolved",
    inputs=["denunciations_received", "denunciations_resolved"],
    metrics=["resolution-rate"],
)


def compute(input: ComputeInput):
    received = input.require_sum("denunciations_received")
    resolved = input.require_sum("denunciations_resolved")
    # Parameters come from the indicator's `plugin = { …, params = { scale = "1" } }` in the catalogue.
    scale = input.param_f64("scale", 1.0)
    info(f"{format_number(resolved)} of {format_number(received)} denunciations resolved")
    rate = MetricValue.ratio_percent("resolution-rate", resolved, received)
    if rate.value is not None:
        rate.value *= scale
    return [rate]
"#;

const TEMPLATE_TEST_PY: &str = r#""""Native tests of the metric logic: run `python3 -m unittest` in this folder (no WebAssembly involved)."""

import unittest

import plugin
from tiendo_plugin import ComputeInput, MissingInput


def request(received, resolved):
    return (
        ComputeInput("quang-nam", ["2023"])
        .with_value("denunciations_received", "quang-nam", "2023", received)
        .with_value("denunciations_resolved", "quang-nam", "2023", resolved)
    )


class ResolutionRate(unittest.TestCase):
    def test_resolution_rate_in_percent(self):
        metrics = plugin.compute(request(200.0, 150.0))
        self.assertEqual(metrics[0].value, 75.0)
        self.assertEqual(metrics[0].unit, "%")

    def test_no_denunciations_gives_no_value(self):
        self.assertIsNone(plugin.compute(request(0.0, 0.0))[0].value)

    def test_missing_input_is_an_error(self):
        with self.assertRaises(MissingInput):
            plugin.compute(ComputeInput("quang-nam", ["2023"]))


if __name__ == "__main__":
    unittest.main()
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Every file of the Python SDK travels in the binary.
    #[test]
    fn every_python_sdk_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/tiendo-plugin");
        let on_disk: Vec<String> = crate::scaffold::relative_files(&root.join("python"), |_| true)
            .into_iter()
            .map(|(name, _)| format!("python/{name}"))
            .collect();
        let mut embedded: Vec<&str> =
            PYTHON_SDK_FILES.iter().map(|(path, _, _)| *path).filter(|path| path.starts_with("python/")).collect();
        embedded.sort_unstable();
        assert_eq!(on_disk, embedded);
    }

    /// The repository's Python plugins (the example and the hostile test plugin) carry the SDK files this binary
    /// writes, unchanged: their copies cannot drift from the SDK.
    #[test]
    fn the_repository_python_plugins_have_this_sdk() {
        for folder in ["plugins/prevention-coverage-py", "tests/hostile-plugins-py"] {
            let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
            for (_, path, text) in PYTHON_SDK_FILES {
                let copy = std::fs::read_to_string(plugin.join(path)).unwrap();
                assert_eq!(&copy, text, "{folder}/{path} differs from the SDK");
            }
        }
    }

    #[test]
    fn the_python_files_name_the_plugin_and_nothing_outside_it() {
        let files = python_plugin_files("demo-py");
        let plugin = &files.iter().find(|(name, _)| name == "plugin.py").unwrap().1;
        assert!(plugin.contains("id=\"demo-py\""), "{plugin}");
        for (name, text) in &files {
            assert!(!text.contains(env!("CARGO_MANIFEST_DIR")), "{name} names the checkout");
        }
    }
}
