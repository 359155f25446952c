//! `[[agency.function]]` (issue 12): each function of an agency passes to its own successor from a date, with a
//! source. Data-driven cases on in-memory files over a valid base catalogue, each with the codes it must produce.

use std::path::PathBuf;

use tiendo_load::{MemoryFileSystem, load_catalogue};

const BASE: &str = include_str!("../../../tests/fixtures/check/e010-unknown-source/base.toml");

fn load(extra: &str) -> tiendo_load::Loaded {
    let mut fs = MemoryFileSystem::new();
    fs.insert("cat/base.toml", BASE).insert("cat/extra.toml", extra);
    load_catalogue(&fs, &[PathBuf::from("cat")])
}

fn agency(functions: &str) -> String {
    format!(
        "[[agency]]\nid = \"old\"\nname = {{ vi = \"a\", en = \"a\" }}\nvalid_to = 2025-02-28\n{functions}\n\
         [[agency]]\nid = \"new-a\"\nname = {{ vi = \"b\", en = \"b\" }}\n\
         [[agency]]\nid = \"new-b\"\nname = {{ vi = \"c\", en = \"c\" }}\n"
    )
}

fn function(id: &str, successor: &str, from: &str, source: &str) -> String {
    format!(
        "[[agency.function]]\nid = \"{id}\"\nname = {{ vi = \"f\", en = \"f\" }}\nsuccessor = \"{successor}\"\nfrom = {from}\nsource = \"{source}\"\n"
    )
}

#[test]
fn functions_are_checked() {
    let good_a = function("victim-support", "new-a", "2025-03-01", "qd-193-2021");
    let good_b = function("labour", "new-b", "2025-03-01", "qd-193-2021");
    let cases: Vec<(String, Vec<&str>)> = vec![
        (agency(""), vec![]),
        (agency(&format!("{good_a}{good_b}")), vec![]),
        (agency(&function("victim-support", "nobody", "2025-03-01", "qd-193-2021")), vec!["E011"]),
        (agency(&function("victim-support", "new-a", "2025-03-01", "no-such-source")), vec!["E010"]),
        // The successor's first day must come after the agency's last.
        (agency(&function("victim-support", "new-a", "2025-02-28", "qd-193-2021")), vec!["E028"]),
        (agency(&format!("{good_a}{good_a}")), vec!["E008"]),
        (
            agency("[[agency.function]]\nid = \"x\"\nname = { vi = \"f\", en = \"f\" }\nsucessor = \"new-a\"\n"),
            vec!["E004"],
        ),
        (agency("[[agency.function]]\nid = \"x\"\n"), vec!["E006"]),
    ];
    for (extra, expected) in cases {
        let loaded = load(&extra);
        let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, expected, "{extra}");
    }
}

#[test]
fn the_model_holds_each_function_and_resolves_the_agency_on_a_date() {
    let good = format!(
        "{}{}",
        function("victim-support", "new-a", "2025-03-01", "qd-193-2021"),
        function("labour", "new-b", "2025-03-01", "qd-193-2021")
    );
    let loaded = load(&agency(&good));
    let catalogue = loaded.catalogue.expect("valid catalogue");
    let old = &catalogue.agencies["old"];
    assert_eq!(old.functions.len(), 2);
    assert_eq!(old.functions[0].source.as_deref(), Some("qd-193-2021"));
    let day = |d: &str| d.parse::<chrono::NaiveDate>().expect("date");
    assert_eq!(catalogue.responsible_agency("old", Some("victim-support"), day("2025-02-28")), "old");
    assert_eq!(catalogue.responsible_agency("old", Some("victim-support"), day("2025-03-01")), "new-a");
    assert_eq!(catalogue.responsible_agency("old", Some("labour"), day("2026-01-01")), "new-b");
}
