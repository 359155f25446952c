//! The JSON Schema printed by `tiendo schema` must accept every shipped TOML file (`indicators/`, `examples/`)
//! and the good test fixtures, and must require exactly the keys the loader requires.

use std::path::{Path, PathBuf};

use tiendo_load::schema::{SchemaKind, json_schema};

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.map(|e| e.expect("readable entry").path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            toml_files(&path, out);
        } else if name.ends_with(".toml") {
            out.push(path);
        }
    }
}

/// TOML -> JSON as editors see it: dates become strings.
fn to_json(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => serde_json::Value::String(s),
        toml::Value::Integer(i) => serde_json::Value::from(i),
        toml::Value::Float(f) => serde_json::Value::from(f),
        toml::Value::Boolean(b) => serde_json::Value::Bool(b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(items) => serde_json::Value::Array(items.into_iter().map(to_json).collect()),
        toml::Value::Table(table) => {
            serde_json::Value::Object(table.into_iter().map(|(k, v)| (k, to_json(v))).collect())
        }
    }
}

fn validate_files(files: &[PathBuf]) -> Vec<String> {
    let catalogue = jsonschema::validator_for(&json_schema(SchemaKind::Catalogue)).expect("catalogue schema compiles");
    let project = jsonschema::validator_for(&json_schema(SchemaKind::Project)).expect("project schema compiles");
    let mut failures = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let json = to_json(value);
        let validator = if path.ends_with("tiendo.toml") { &project } else { &catalogue };
        for error in validator.iter_errors(&json) {
            failures.push(format!("{}: {} at {}", path.display(), error, error.instance_path()));
        }
    }
    failures
}

#[test]
fn schema_accepts_shipped_files_and_good_fixtures() {
    let root = repository_root();
    let mut files = Vec::new();
    for dir in ["indicators", "examples", "tests/fixtures/good", "tests/fixtures/judicial-year"] {
        toml_files(&root.join(dir), &mut files);
    }
    assert!(files.len() >= 6, "too few files to validate: {files:?}");
    let failures = validate_files(&files);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn schema_rejects_what_the_loader_rejects() {
    let root = repository_root();
    let bad = [
        "tests/fixtures/check/e004-unknown-key/bad.toml",
        "tests/fixtures/check/e004-unknown-table/bad.toml",
        "tests/fixtures/check/e006-missing-key/bad.toml",
        "tests/fixtures/check/e007-invalid-value/bad.toml",
        "tests/fixtures/check/e020-bad-period/bad.toml",
        "tests/fixtures/check/e021-bad-comparator/bad.toml",
        "tests/fixtures/check/e034-misplaced-table/bad.toml",
    ];
    for file in bad {
        let failures = validate_files(&[root.join(file)]);
        assert!(!failures.is_empty(), "{file} passed the schema");
    }
}

#[test]
fn schema_requires_the_keys_the_loader_requires() {
    use tiendo_load::raw::*;
    let schema = json_schema(SchemaKind::Project);
    let definitions = &schema["$defs"];
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("Source", RawSource::required_keys()),
        ("Agency", RawAgency::required_keys()),
        ("OrgUnit", RawOrgUnit::required_keys()),
        ("Category", RawCategory::required_keys()),
        ("CategoryOption", RawCategoryOption::required_keys()),
        ("DataElement", RawDataElement::required_keys()),
        ("WorkArea", RawWorkArea::required_keys()),
        ("Indicator", RawIndicator::required_keys()),
        ("PluginMetric", RawPluginRef::required_keys()),
        ("ScaleLevel", RawScaleLevel::required_keys()),
        ("Target", RawTarget::required_keys()),
        ("Baseline", RawBaseline::required_keys()),
        ("Objective", RawObjective::required_keys()),
        ("Activity", RawActivity::required_keys()),
        ("Plan", RawPlan::required_keys()),
        ("ValidationRule", RawValidationRule::required_keys()),
        ("DataSet", RawDataSet::required_keys()),
        ("Text", RawText::required_keys()),
        ("ProjectSection", RawProjectSection::required_keys()),
        ("Confidentiality", RawConfidentiality::required_keys()),
        ("Assessment", RawAssessment::required_keys()),
        ("Plugin", RawPlugin::required_keys()),
    ];
    for (name, mut loader_required) in cases {
        let definition = &definitions[name];
        assert!(definition.is_object(), "no schema definition {name}");
        let mut schema_required: Vec<&str> = definition["required"]
            .as_array()
            .map(|keys| keys.iter().filter_map(|k| k.as_str()).collect())
            .unwrap_or_default();
        schema_required.sort_unstable();
        loader_required.sort_unstable();
        assert_eq!(schema_required, loader_required, "{name}");
    }
    let mut top: Vec<&str> =
        schema["required"].as_array().expect("required").iter().filter_map(|k| k.as_str()).collect();
    top.sort_unstable();
    assert_eq!(top, RawProjectFile::required_keys());
}

#[test]
fn catalogue_schema_snapshot() {
    insta::assert_json_snapshot!("catalogue_schema", json_schema(SchemaKind::Catalogue));
}
