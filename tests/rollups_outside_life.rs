//! Reports of a unit for days it did not exist, end to end through `tiendo eval --format json`: a new district's
//! months before it existed and a dissolved district's quarter after it ended are no unit's figures and are left out
//! (W346), while a successor's restatement of its predecessors' days still stands for them. The fixture is
//! `tests/fixtures/rollups/districts-catalogue.toml` with `MORE_DISTRICTS` and a district of C dissolved at the end
//! of 2024 (A and B merge into AB on 1 July 2025; AB's district exists from then). Found by a review helper's
//! fuzzer (round 53, /tmp/hunt-ae F4).

#[path = "support/rollups.rs"]
mod rollups_support;

use rollups_support::*;

/// A district of C that was dissolved without a successor at the end of 2024.
const DISSOLVED: &str = r#"
[[org_unit]]
id = "dist-c3"
name = { vi = "Huyện C3", en = "District C3" }
level = "district"
parent = "prov-c"
valid_to = 2024-12-31
"#;

/// A unit's expected value for February 2025.
type Month = (&'static str, Option<f64>);

fn eval_life(data: &str) -> (serde_json::Value, String) {
    let catalogue = fixture_catalogue("districts-catalogue.toml") + MORE_DISTRICTS + DISSOLVED;
    eval_catalogue(&catalogue, &rows(data), "", &[])
}

/// A new district's report of a month before it existed counts nowhere: AB's district's February stood for A's and
/// B's whole month (AB's and the nation's February "1 of 1, complete" at its 15, and with C's districts the nation's
/// "3 of 3" at 75, A and B not named). Now February has no value at AB, and the nation's is partial, naming the
/// provinces that were expected; AB's own quarter after it began still counts, and W346 names the row left out.
#[test]
fn a_new_units_report_before_it_existed_is_left_out() {
    let cases: [(&str, &[Month]); 2] = [
        ("cases,prov-ab-2025,2025Q3,49,src\ncases,dist-ab1,2025-02,15,src\n", &[("prov-ab-2025", None), ("vn", None)]),
        (
            "cases,prov-ab-2025,2025Q3,49,src\ncases,dist-ab1,2025-02,15,src\n\
             cases,dist-c1,2025-02,30,src\ncases,dist-c2,2025-02,30,src\n",
            &[("prov-ab-2025", None), ("vn", Some(60.0))],
        ),
    ];
    for (data, february) in cases {
        let (json, stderr) = eval_life(data);
        for &(unit, expected) in february {
            assert_eq!(value(&json, "cases-count", unit, "2025-02"), expected, "{unit}\n{data}\n{stderr}");
            if expected.is_some() {
                let (_, reported, of, complete) = counted(&json, "cases-count", unit, "2025-02");
                assert!(!complete && reported < of, "{unit}: {reported} of {of}\n{data}");
            }
        }
        assert_eq!(value(&json, "cases-count", "prov-ab-2025", "2025Q3"), Some(49.0), "{data}");
        assert!(stderr.contains("W346 reported-outside-life]: 1 observation reports a unit"), "{stderr}");
        assert!(stderr.contains("data.csv:3 `dist-ab1` 2025-02"), "{stderr}");
    }
}

/// A dissolved district's quarter after it ended counts nowhere (it has no successor whose figures it could be),
/// while its quarter before is C's as ever; a successor's restatement of its predecessors' half still stands for
/// them (AB's 2025S1, A and B silent).
#[test]
fn a_dissolved_units_late_report_is_left_out_and_a_restatement_kept() {
    let data = "cases,dist-c3,2024Q4,20,src\ncases,dist-c3,2025Q1,25,src\ncases,dist-c1,2025S1,30,src\n\
                cases,dist-c2,2025S1,40,src\ncases,dist-c1,2024Q4,11,src\ncases,dist-c2,2024Q4,12,src\n\
                cases,prov-ab-2025,2025S1,900,src\n";
    let (json, stderr) = eval_life(data);
    assert_eq!(counted(&json, "cases-count", "prov-c", "2025S1"), (Some(70.0), 2, 2, true), "{stderr}");
    assert_eq!(value(&json, "cases-count", "prov-c", "2024Q4"), Some(43.0), "{stderr}");
    let (national, reported, expected, complete) = counted(&json, "cases-count", "vn", "2025S1");
    assert_eq!((national, complete, reported), (Some(970.0), true, expected), "{stderr}");
    assert!(stderr.contains("`dist-c3` 2025Q1"), "{stderr}");
    assert!(!stderr.contains("`prov-ab-2025` 2025S1"), "{stderr}");
}
