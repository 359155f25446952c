//! Runs at different levels of units (communes asked for, the default run at country and province level) publish
//! figures that together give no hidden count back.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::support::*;
/// A commune asked for with its province (`--org-unit c2 --org-unit prov-c`): the audit covers its sibling c1 as
/// well, whatever the filters, so the province's 33 less c2's 30 does not give c1's 3 away, nor, with c1's partial
/// year, its Q1 (the province's 53 less c2's 30 less c1's third quarter, 20, which is also the province's: that
/// quarter or one of the two totals must be hidden).
#[test]
fn a_commune_asked_for_is_audited_with_its_siblings() {
    let communes = "\n[[org_unit]]\nid = \"c1\"\nname = { vi = \"Xã 1\", en = \"Commune 1\" }\nlevel = \"commune\"\n\
                    parent = \"prov-c\"\n\n[[org_unit]]\nid = \"c2\"\nname = { vi = \"Xã 2\", en = \"Commune 2\" }\n\
                    level = \"commune\"\nparent = \"prov-c\"\n";
    let rest = "victims,c2,2023,,,30,src\nvictims,prov-a,2023,,,30,src\nvictims,prov-b,2023,,,40,src\n";
    for c1 in ["victims,c1,2023,,,3,src\n", "victims,c1,2023Q1,,,3,src\nvictims,c1,2023Q3,,,20,src\n"] {
        let data = format!("{HEADER}{c1}{rest}");
        let (stdout, stderr) = eval_with_args(communes, &data, "json", &["--org-unit", "c2", "--org-unit", "prov-c"]);
        let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}\n{stderr}"));
        let c2 = published(&json, "c2", "2023", None);
        let province = published(&json, "prov-c", "2023", None);
        // c1's third quarter, where it has one, in the same publication (the audit is the same whatever the units
        // asked for): read with c1 asked for too, and as the province's own third quarter, which only c1 reports.
        let with_c1 = ["--org-unit", "c1", "--org-unit", "c2", "--org-unit", "prov-c"];
        let (stdout, stderr) = eval_with_args(communes, &data, "json", &with_c1);
        let whole: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}\n{stderr}"));
        assert_eq!((published(&whole, "c2", "2023", None), published(&whole, "prov-c", "2023", None)), (c2, province));
        let q3 = if c1.contains("Q3") {
            published(&whole, "c1", "2023Q3", None).or(published(&whole, "prov-c", "2023Q3", None))
        } else {
            Some(0.0)
        };
        if let (Some(c2), Some(province), Some(q3)) = (c2, province, q3) {
            panic!("{c1}: prov-c {province} less c2 {c2} less Q3 {q3} gives c1 away");
        }
        assert_eq!(json["disclosure"]["verdict"], "protected", "{c1}");
    }
}

/// A run with a commune (`--org-unit c1 --org-unit p`) and the default run at country and province level publish the
/// same figures of the same project (`tests/fixtures/disclosure-levels`): each audited on its own, the commune run hid
/// p's second quarter (which the default run shows) and showed its first half (which the default run hides), so that
/// the two outputs together gave the first quarter, c1's January of 10, by subtraction (found by a review helper,
/// round 41). The commune run now gives every province-level figure the state the default run gives it: the two show
/// the same province-level figures, so together they show no more than the commune run, which its own audit covers.
#[test]
fn a_commune_run_shows_every_figure_the_province_level_run_shows() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure-levels/catalogue.toml");
    std::fs::copy(fixture, folder.path().join("catalogue.toml")).expect("catalogue copied");
    let data = "data_element,org_unit,period,value,source\nvictims,c1,2024-01,10,src\nvictims,c1,2024-06,13,src\n\
                victims,c1,2024-08,15,src\nvictims,q,2024-02,11,src\nvictims,q,2024-03,12,src\n";
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\n\
                    catalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n\n[confidentiality]\nthreshold = 11\n";
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    let run = |args: &[&str]| -> Value {
        let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .arg("eval")
            .arg(folder.path())
            .args(["--as-of", "2026-01-15", "--format", "json"])
            .args(args)
            .output()
            .expect("the tiendo binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}\n{stderr}"))
    };
    let every_unit = ["--org-unit", "c1", "--org-unit", "p", "--org-unit", "q", "--org-unit", "vn"];
    let (default, with_commune) = (run(&[]), run(&every_unit));
    let figures = |json: &Value, unit: &str| -> Vec<(String, f64)> {
        json["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["org_unit"] == unit)
            .flat_map(|r| r["series"].as_array().unwrap().iter())
            .filter_map(|p| Some((p["period"].as_str()?.to_owned(), p["value"].as_f64()?)))
            .collect()
    };
    let shown = figures(&default, "p");
    assert!(shown.contains(&("2024Q2".to_owned(), 13.0)), "{shown:?}");
    for unit in ["p", "q", "vn"] {
        assert_eq!(figures(&default, unit), figures(&with_commune, unit), "{unit}: the same figures in both runs");
    }
    for json in [&default, &with_commune] {
        assert_eq!(json["disclosure"]["verdict"], "protected", "{}", json["disclosure"]);
    }
}
