//! `[[org_unit_group]]` (issue 13, item 3): named sets of org units (regions, border provinces). Data-driven cases on
//! in-memory files over a valid base catalogue, each with the codes it must produce and where.

use std::path::PathBuf;

use tiendo_load::{MemoryFileSystem, load_catalogue};

const BASE: &str = include_str!("../../../tests/fixtures/check/e010-unknown-source/base.toml");

/// Two old provinces (to 30 Jun 2025) and one new unit (from 1 Jul 2025) beside the base's `quang-nam`.
const UNITS: &str = r#"
[[org_unit]]
id = "da-nang"
name = { vi = "Đà Nẵng", en = "Da Nang" }
level = "province"
parent = "vn"
valid_to = 2025-06-30
successors = ["da-nang-2025"]

[[org_unit]]
id = "kon-tum"
name = { vi = "Kon Tum", en = "Kon Tum" }
level = "province"
parent = "vn"
valid_to = 2025-06-30
successors = ["da-nang-2025"]

[[org_unit]]
id = "da-nang-2025"
name = { vi = "Đà Nẵng", en = "Da Nang" }
level = "province"
parent = "vn"
valid_from = 2025-07-01
"#;

fn load(groups: &str) -> tiendo_load::Loaded {
    let mut fs = MemoryFileSystem::new();
    fs.insert("cat/base.toml", BASE).insert("cat/units.toml", UNITS).insert("cat/groups.toml", groups);
    load_catalogue(&fs, &[PathBuf::from("cat")])
}

fn group(id: &str, members: &str, source: &str) -> String {
    format!(
        "[[org_unit_group]]\nid = \"{id}\"\nname = {{ vi = \"Vùng\", en = \"Region\" }}\nkind = \"region\"\n\
         source = \"{source}\"\nmembers = [{members}]\n"
    )
}

/// A diagnostic as (code, line, column).
type Found = (&'static str, usize, usize);

/// Each case: the groups file, and the (code, line, column) of every diagnostic in `cat/groups.toml`.
#[test]
fn groups_are_checked_with_located_diagnostics() {
    let cases: Vec<(String, Vec<Found>)> = vec![
        (group("central", r#""da-nang", "kon-tum""#, "qd-193-2021"), vec![]),
        (group("central", r#""da-nang-2025""#, "qd-193-2021"), vec![]),
        // An unknown member is reported where it is written (line 6, after `members = ["da-nang", `).
        (group("central", r#""da-nang", "kon-tun""#, "qd-193-2021"), vec![("E012", 6, 23)]),
        (group("central", r#""da-nang""#, "no-such-source"), vec![("E010", 5, 10)]),
        (group("central", "", "qd-193-2021"), vec![("E007", 2, 6)]),
        (group("central", r#""da-nang", "da-nang""#, "qd-193-2021"), vec![("W002", 6, 23)]),
        // A unit of the 63-province map with one of the 34: reported at the member that starts too late.
        (group("central", r#""da-nang", "da-nang-2025""#, "qd-193-2021"), vec![("E036", 6, 23)]),
        (
            format!("{}{}", group("a", r#""da-nang""#, "qd-193-2021"), group("a", r#""kon-tum""#, "qd-193-2021")),
            vec![("E008", 8, 6)],
        ),
        (group("central", "\"da-nang\"]\nmembres = [\"kon-tum\"", "qd-193-2021"), vec![("E004", 7, 1)]),
    ];
    for (groups, expected) in cases {
        let loaded = load(&groups);
        let found: Vec<Found> = loaded
            .diagnostics
            .iter()
            .map(|d| {
                let span = d.span.as_ref().expect("located diagnostic");
                assert!(span.file.ends_with("groups.toml"), "{groups}: {d:?}");
                (d.code, span.line, span.column)
            })
            .collect();
        assert_eq!(found, expected, "{groups}");
    }
}

#[test]
fn the_model_holds_each_group_with_its_members_in_order() {
    let loaded = load(&group("central", r#""kon-tum", "da-nang""#, "qd-193-2021"));
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let catalogue = loaded.catalogue.expect("valid catalogue");
    let central = &catalogue.org_unit_groups["central"];
    assert_eq!(central.members, ["kon-tum", "da-nang"]);
    assert_eq!(central.source, "qd-193-2021");
    assert_eq!(central.kind.as_deref(), Some("region"));
    assert_eq!(central.name.en, "Region");
}

/// The bundled catalogue (`indicators/`): it loads without a diagnostic, its six regions put each of the 63 provinces
/// in exactly one region, and every border group lists provinces of the 63-province map.
#[test]
fn the_bundled_regions_partition_the_63_provinces() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../indicators");
    let loaded = load_catalogue(&tiendo_load::RealFileSystem, &[root]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let catalogue = loaded.catalogue.expect("the bundled catalogue is valid");
    let day = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("date");
    let provinces: Vec<&str> =
        catalogue.org_units_on(day, tiendo_core::OrgUnitLevel::Province).map(|u| u.id.as_str()).collect();
    assert_eq!(provinces.len(), 63);
    let regions: Vec<&tiendo_core::OrgUnitGroup> =
        catalogue.org_unit_groups.values().filter(|g| g.kind.as_deref() == Some("region")).collect();
    assert_eq!(regions.len(), 6);
    for province in &provinces {
        let count = regions.iter().filter(|g| g.members.iter().any(|m| m == province)).count();
        assert_eq!(count, 1, "{province} is in {count} regions");
    }
    let borders: Vec<(&str, usize)> = catalogue
        .org_unit_groups
        .values()
        .filter(|g| g.kind.as_deref() == Some("border"))
        .map(|g| (g.id.as_str(), g.members.len()))
        .collect();
    assert_eq!(borders, [("border-cambodia", 10), ("border-china", 7), ("border-laos", 10)]);
    for group in catalogue.org_unit_groups.values() {
        assert!(group.members.iter().all(|m| provinces.contains(&m.as_str())), "{}", group.id);
        assert!(catalogue.sources.contains_key(&group.source), "{}", group.id);
    }
}
