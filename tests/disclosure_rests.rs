//! The rest of a unit's own count beyond the sum of its units is a count a reader works out by subtraction, and is
//! audited as one: the country's own 150 victims beside provinces of 40, 50, 30 and 25 published 5 victims that no
//! province recorded, verdict "nothing suppressed" (round 74, found by an adversarial tester). Fixture:
//! `tests/fixtures/disclosure-unit-rest`.

use std::path::Path;

use serde_json::Value;

#[path = "support/project.rs"]
mod support;

/// A copy of the fixture with the country's own 2024 count set to `national`.
fn project(national: u32) -> tempfile::TempDir {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure-unit-rest");
    let folder = tempfile::tempdir().expect("a temporary folder");
    for file in ["catalogue.toml", "tiendo.toml"] {
        std::fs::copy(fixture.join(file), folder.path().join(file)).expect("fixture copied");
    }
    let data = std::fs::read_to_string(fixture.join("data.csv")).expect("data");
    assert!(data.contains("victims,vn,2024,150,"), "the fixture changed");
    let data = data.replace("victims,vn,2024,150,", &format!("victims,vn,2024,{national},"));
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    folder
}

/// The 2024 values of the four provinces and the country, `None` where hidden, and the audit.
fn shown(national: u32) -> (Vec<Option<f64>>, Value) {
    let folder = project(national);
    let (json, stderr) = support::eval_json(folder.path(), &[]);
    let value = |unit: &str| support::point(&json, "v1", unit, "2024").and_then(|p| p["value"].as_f64());
    let units = ["prov-a", "prov-b", "prov-c", "prov-d", "vn"];
    assert!(support::point(&json, "v1", "vn", "2024").is_some(), "{stderr}");
    (units.iter().map(|u| value(u)).collect(), json["disclosure"].clone())
}

/// With a rest of 5 (150 less 145) one province is hidden beside it, so that the rest and that province's count
/// are known only together (30 = 25 + 5), and the verdict says the hidden counts are protected; a rest of 15 or 0
/// is no small count, and nothing is hidden.
#[test]
fn the_rest_of_a_units_own_count_beyond_its_units_is_protected_when_small() {
    let (values, audit) = shown(150);
    assert_eq!(values.iter().filter(|v| v.is_none()).count(), 1, "{values:?} {audit}");
    assert_eq!(values[4], Some(150.0), "{values:?}");
    assert_eq!((audit["verdict"].as_str(), audit["unshown_small"].as_u64()), (Some("protected"), Some(1)), "{audit}");
    // What a reader has: 150 = the shown provinces + the hidden one + the rest (at least 1): the hidden one is one of
    // at least four values.
    let hidden_max = 150.0 - values.iter().take(4).flatten().sum::<f64>() - 1.0;
    assert!(hidden_max >= 3.0, "{values:?}");
    for (national, why) in [(160, "a rest of 15"), (145, "no rest")] {
        let (values, audit) = shown(national);
        assert!(values.iter().all(Option::is_some), "{why}: {values:?} {audit}");
        assert_eq!(audit["verdict"], "nothing-suppressed", "{why}: {audit}");
    }
}
