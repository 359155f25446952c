//! The disclosure audit reads a published total as the aggregator made it, end to end through `tiendo eval --format
//! json` (published output, without `--show-suppressed`): a province's own quarter beside its district's February to
//! May is what the province adds to the half year, and the audit must see that reading too. The fixture is
//! `tests/fixtures/rollups/districts-catalogue.toml` with `MORE_DISTRICTS`, `cases` sensitive, threshold 11. Found by a
//! review helper (round 54, hunt-af F8): the nation's half year (48) less C's own quarter (44) gave A's hidden 4.

#[path = "support/rollups.rs"]
mod rollups_support;

use rollups_support::*;
use serde_json::Value;

/// The published evaluation of `data` with cases sensitive.
fn published(data: &str) -> Value {
    let catalogue = fixture_catalogue("districts-catalogue.toml");
    let catalogue = catalogue.split("[[data_set]]").next().expect("the catalogue").to_owned() + MORE_DISTRICTS;
    let catalogue =
        catalogue.replacen("time_aggregation = \"sum\"\n", "time_aggregation = \"sum\"\nsensitive = true\n", 1);
    let folder = project(&catalogue, &rows(data), "[confidentiality]\nthreshold = 11\n");
    eval_json(folder.path(), &[]).0
}

/// The published value of cases at `unit` in `period`, if shown.
fn shown(json: &Value, unit: &str, period: &str) -> Option<f64> {
    point(json, "cases-count", unit, period).and_then(|p| p["value"].as_f64())
}

#[test]
fn a_total_less_the_parts_it_adds_never_gives_a_hidden_count() {
    // (rows, the hidden small cell, then (total, part) pairs a reader would subtract).
    type Case = (
        &'static [(&'static str, &'static str, u32)],
        (&'static str, &'static str),
        &'static [[(&'static str, &'static str); 2]],
    );
    let cases: &[Case] = &[
        (
            &[("prov-a", "2024S1", 4), ("prov-c", "2024Q1", 44), ("dist-c2", "2024-02-01..2024-05-31", 34)],
            ("prov-a", "2024S1"),
            &[[("vn", "2024S1"), ("prov-c", "2024Q1")], [("vn", "2024"), ("prov-c", "2024Q1")]],
        ),
        (
            &[
                ("prov-a", "2025-02-01..2025-05-31", 4),
                ("prov-b", "2025Q1", 44),
                ("dist-b2", "2025-02-01..2025-05-31", 34),
                ("prov-c", "2025S1", 40),
            ],
            ("prov-a", "2025-02-01..2025-05-31"),
            &[
                [("prov-ab-2025", "2025S1"), ("prov-b", "2025Q1")],
                [("prov-ab-2025", "2025S1"), ("prov-ab-2025", "2025Q1")],
            ],
        ),
    ];
    for (data, (unit, period), pairs) in cases {
        let json = published(&reports("cases", data));
        assert_eq!(shown(&json, unit, period), None, "{unit} {period} is a small count");
        for [(total_unit, total_period), (part_unit, part_period)] in pairs.iter() {
            let total = shown(&json, total_unit, total_period);
            let part = shown(&json, part_unit, part_period);
            assert!(
                total.is_none() || part.is_none(),
                "{total_unit} {total_period} ({total:?}) less {part_unit} {part_period} ({part:?}) gives {unit} {period}"
            );
        }
    }
}
