//! Disclosure control end to end through `tiendo eval --format json` and `--format table`: the "two provinces with
//! one victim each" case, a suppressed quarter beside its year, a sex x age breakdown, a merged province and its
//! predecessors. Each test checks what a reader can work out from the published figures alone: no hidden count is
//! recoverable by subtraction, the audit says "protected", and no output tells primary from secondary cells.
//!
//! The projects use `tests/fixtures/disclosure/catalogue.toml`: Viet Nam, provinces A and B that merge into AB on 1
//! July 2025, province C; victims (C5, sensitive, by sex and by age group), threshold 11.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Runs `tiendo eval` on a project of the fixture catalogue and `data`; returns standard output and error.
fn eval(data: &str, format: &str) -> (String, String) {
    eval_with("", data, format)
}

/// [`eval`] with `extra` TOML added to the fixture catalogue.
fn eval_with(extra: &str, data: &str, format: &str) -> (String, String) {
    eval_with_args(extra, data, format, &[])
}

/// [`eval_with`] with more arguments to `tiendo eval` (`--org-unit c2`).
fn eval_with_args(extra: &str, data: &str, format: &str, args: &[&str]) -> (String, String) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure/catalogue.toml");
    let catalogue = std::fs::read_to_string(catalogue).expect("the fixture catalogue");
    std::fs::write(folder.path().join("catalogue.toml"), catalogue + extra).expect("catalogue written");
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\n\
                    catalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n\n[confidentiality]\nthreshold = 11\n";
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(folder.path())
        .args(["--as-of", "2026-01-15", "--format", format])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
}

fn eval_json(data: &str) -> Value {
    eval_json_with("", data)
}

fn eval_json_with(extra: &str, data: &str) -> Value {
    let (stdout, stderr) = eval_with(extra, data, "json");
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON output: {e}\n{stderr}"));
    // Nothing published tells a primary cell from a secondary one: every hidden point says "suppressed" and
    // carries no value; only the audit's counts name the two kinds.
    let mut states = Vec::new();
    collect_states(&json, &mut states);
    assert!(states.iter().any(|s| s == "suppressed"), "something is hidden in every case here");
    for state in &states {
        assert!(!state.contains("secondary") && !state.contains("primary"), "a state names the kind: {state}");
    }
    assert!(!stdout.contains("suppressed-secondary"), "{stdout}");
    json
}

/// Every `state` field anywhere in the evaluation JSON.
fn collect_states(json: &Value, out: &mut Vec<String>) {
    match json {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("state", Value::String(state)) => out.push(state.clone()),
                    _ => collect_states(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_states(item, out)),
        _ => {}
    }
}

/// The published value of the total (`option` None) or of a breakdown option; `None` when hidden or absent.
fn published(json: &Value, unit: &str, period: &str, option: Option<&str>) -> Option<f64> {
    let result =
        json["indicators"].as_array()?.iter().find(|r| r["indicator"] == "victims-count" && r["org_unit"] == unit)?;
    let series = match option {
        None => &result["series"],
        Some(option) => &result["breakdowns"].as_array()?.iter().find(|b| b["option"] == option)?["series"],
    };
    let point = series.as_array()?.iter().find(|p| p["period"] == period)?;
    point["value"].as_f64()
}

/// The victims count's result at `unit` in the eval JSON.
fn victims_result<'j>(json: &'j Value, unit: &str) -> &'j Value {
    json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "victims-count" && r["org_unit"] == unit)
        .unwrap_or_else(|| panic!("no victims count at {unit}"))
}

fn state(json: &Value, unit: &str, period: &str, option: Option<&str>) -> String {
    let result = victims_result(json, unit);
    let series = match option {
        None => &result["series"],
        Some(option) => {
            &result["breakdowns"].as_array().unwrap().iter().find(|b| b["option"] == option).unwrap()["series"]
        }
    };
    let point = series.as_array().unwrap().iter().find(|p| p["period"] == period).unwrap();
    point["state"].as_str().unwrap().to_owned()
}

fn assert_protected(json: &Value, primary: u64) {
    let audit = &json["disclosure"];
    assert_eq!(audit["verdict"], "protected", "{audit}");
    assert_eq!(audit["primary"], primary, "{audit}");
    assert!(audit["secondary"].as_u64().unwrap() >= 1, "{audit}");
    assert_eq!(audit["unprotected"], 0, "{audit}");
}

const HEADER: &str = "data_element,org_unit,period,sex,age_group,value,source\n";

/// Two provinces with one victim each, the third with 28: the country total and C were both published, so A + B
/// = 30 - 28 = 2 with each at least 1 pinned both to 1. Now one more cell is hidden, and the sum of the hidden
/// provinces cannot be worked out from what is left.
#[test]
fn two_provinces_with_one_victim_each() {
    let data =
        format!("{HEADER}victims,prov-a,2023,,,1,src\nvictims,prov-b,2023,,,1,src\nvictims,prov-c,2023,,,28,src\n");
    let json = eval_json(&data);
    assert_eq!(state(&json, "prov-a", "2023", None), "suppressed");
    assert_eq!(state(&json, "prov-b", "2023", None), "suppressed");
    assert!(
        published(&json, "vn", "2023", None).is_none() || published(&json, "prov-c", "2023", None).is_none(),
        "country and C both published: A + B = 2 is known"
    );
    // A and B are both predecessors of AB, which the succession hierarchy publishes for 2023 as their sum (2): a
    // small count as well, so three primary cells.
    assert_eq!(state(&json, "prov-ab-2025", "2023", None), "suppressed");
    assert_protected(&json, 3);
    // The table output says the same and nothing more.
    let (table, _) = eval(&data, "table");
    assert!(table.contains("Disclosure audit: every hidden count protected"), "{table}");
    assert!(!table.contains("secondary\n") && !table.contains("suppressed-secondary"), "{table}");
}

/// Three provinces with small counts whose sum is small too: 2 + 3 + 4 = 9 at the country is itself primary, and
/// the audit still passes (each ranges over at least 4 values).
#[test]
fn small_provinces_with_a_small_total() {
    let data =
        format!("{HEADER}victims,prov-a,2023,,,2,src\nvictims,prov-b,2023,,,3,src\nvictims,prov-c,2023,,,4,src\n");
    let json = eval_json(&data);
    // AB (the successor of A and B, published for 2023 as their sum 5) is small too: five primary cells.
    for unit in ["vn", "prov-a", "prov-b", "prov-c", "prov-ab-2025"] {
        assert_eq!(state(&json, unit, "2023", None), "suppressed", "{unit}");
    }
    assert_eq!(json["disclosure"]["verdict"], "protected");
    assert_eq!(json["disclosure"]["primary"], 5);
}

/// A quarter with one victim beside a zero quarter and the year: the zero alone would leave Q1 + Q2 = 1, so a
/// larger quarter goes too; the year stays published.
#[test]
fn a_small_quarter_beside_its_year() {
    let data = format!(
        "{HEADER}victims,prov-c,2023Q1,,,1,src\nvictims,prov-c,2023Q2,,,0,src\nvictims,prov-c,2023Q3,,,20,src\n\
         victims,prov-c,2023Q4,,,15,src\nvictims,prov-a,2023Q1,,,12,src\nvictims,prov-a,2023Q2,,,14,src\n\
         victims,prov-a,2023Q3,,,13,src\nvictims,prov-a,2023Q4,,,18,src\n"
    );
    let json = eval_json(&data);
    assert_eq!(state(&json, "prov-c", "2023Q1", None), "suppressed");
    let quarters: Vec<Option<f64>> =
        ["2023Q1", "2023Q2", "2023Q3", "2023Q4"].iter().map(|q| published(&json, "prov-c", q, None)).collect();
    let year = published(&json, "prov-c", "2023", None);
    // Whatever is published, Q1 is not the year minus the published quarters.
    if let Some(year) = year {
        let hidden = quarters.iter().filter(|q| q.is_none()).count();
        assert!(hidden >= 2, "year {year} and quarters {quarters:?}");
        let known: f64 = quarters.iter().flatten().sum();
        assert!(year - known >= 4.0, "the hidden quarters add up to {} only", year - known);
    }
    // The first half (Q1 + Q2 = 1) is a small count too: two primary cells.
    assert_eq!(state(&json, "prov-c", "2023S1", None), "suppressed");
    assert_protected(&json, 2);
}

/// Victims by sex and by age group at one province: female 2 of 32. Male (30) or the total must go as well, and the
/// age breakdown of the same total must not give the total back with the male count.
#[test]
fn a_small_option_in_a_sex_by_age_breakdown() {
    let data = format!(
        "{HEADER}victims,prov-c,2023,,,32,src\nvictims,prov-c,2023,female,,2,src\nvictims,prov-c,2023,male,,30,src\n\
         victims,prov-c,2023,,child,12,src\nvictims,prov-c,2023,,adult,20,src\nvictims,prov-a,2023,,,40,src\n\
         victims,prov-a,2023,female,,15,src\nvictims,prov-a,2023,male,,25,src\n"
    );
    let json = eval_json(&data);
    assert_eq!(state(&json, "prov-c", "2023", Some("female")), "suppressed");
    let total = published(&json, "prov-c", "2023", None);
    let male = published(&json, "prov-c", "2023", Some("male"));
    let ages = [Some("child"), Some("adult")].map(|o| published(&json, "prov-c", "2023", o));
    // The total is known from itself or from both age groups; with male published it gives female away.
    let total_known = total.or(match ages {
        [Some(child), Some(adult)] => Some(child + adult),
        _ => None,
    });
    assert!(total_known.is_none() || male.is_none(), "total {total_known:?} and male {male:?} both known");
    // Nor from the country's female count minus A's.
    let vn_female = published(&json, "vn", "2023", Some("female"));
    let a_female = published(&json, "prov-a", "2023", Some("female"));
    assert!(vn_female.is_none() || a_female.is_none(), "{vn_female:?} - {a_female:?}");
    assert_protected(&json, 1);
}

/// A merged province and its predecessors: A reported 2 victims in the first half of 2025 and B 30; the new unit AB
/// is their sum (32) for that half, so AB and B both published would give A away.
#[test]
fn a_merged_province_does_not_reveal_a_predecessor() {
    let data = format!(
        "{HEADER}victims,prov-a,2025S1,,,2,src\nvictims,prov-b,2025S1,,,30,src\nvictims,prov-ab-2025,2025S2,,,40,src\n\
         victims,prov-c,2025S1,,,25,src\nvictims,prov-c,2025S2,,,27,src\n"
    );
    let json = eval_json(&data);
    assert_eq!(state(&json, "prov-a", "2025S1", None), "suppressed");
    let ab = published(&json, "prov-ab-2025", "2025S1", None);
    let b = published(&json, "prov-b", "2025S1", None);
    assert!(ab.is_none() || b.is_none(), "AB {ab:?} and B {b:?} both published");
    let vn = published(&json, "vn", "2025S1", None);
    let c = published(&json, "prov-c", "2025S1", None);
    assert!(vn.is_none() || c.is_none() || b.is_none(), "vn {vn:?} - C {c:?} - B {b:?} gives A");
    assert_protected(&json, 1);
}

/// Whether a reader can pin a hidden cell with the true equation `total = sum of parts`: exactly one of its
/// members hidden (the others published) gives that one by subtraction.
fn pinned_by(json: &Value, members: &[(&str, &str)]) -> bool {
    members.iter().filter(|(unit, period)| published(json, unit, period, None).is_none()).count() == 1
}

/// A province that reported only some sub-periods of a year has no year of its own (methodology section 2.4), but
/// its parent's year sums them, marked partial: the reader has "AB 2023 = A's reports in 2023 + B 2023" and "vn 2023
/// = A's reports + B 2023 + C 2023", so a hidden report must not be a year less the published parts. Each case is
/// A's reports: quarters, a quarter and a month, a half and a quarter, months only, the small one last.
#[test]
fn a_partial_year_does_not_reveal_a_hidden_report() {
    let cases: [&[(&str, u32)]; 5] = [
        &[("2023Q1", 3), ("2023Q3", 20)],
        &[("2023Q1", 3), ("2023-08", 20)],
        &[("2023S1", 25), ("2023Q4", 2)],
        &[("2023-01", 15), ("2023-02", 4)],
        &[("2023Q2", 18), ("2023Q3", 1), ("2023-12", 30)],
    ];
    for reports in cases {
        let mut data = format!("{HEADER}victims,prov-b,2023,,,30,src\nvictims,prov-c,2023,,,40,src\n");
        for (period, value) in reports {
            data.push_str(&format!("victims,prov-a,{period},,,{value},src\n"));
        }
        let json = eval_json(&data);
        let small = reports.iter().find(|(_, value)| *value < 11).expect("a small report").0;
        assert_eq!(state(&json, "prov-a", small, None), "suppressed", "{reports:?}");
        let a: Vec<(&str, &str)> = reports.iter().map(|(period, _)| ("prov-a", *period)).collect();
        for (total, others) in [("prov-ab-2025", vec!["prov-b"]), ("vn", vec!["prov-b", "prov-c"])] {
            let mut members = a.clone();
            members.push((total, "2023"));
            members.extend(others.iter().map(|unit| (*unit, "2023")));
            assert!(!pinned_by(&json, &members), "{reports:?}: {members:?} leaves one hidden cell");
        }
        assert_eq!(json["disclosure"]["verdict"], "protected", "{reports:?}");
    }
}

/// The published value, numerator and denominator of the share supported (`supported / victims`, both sensitive)
/// at `unit` in 2023; all `None` when hidden.
fn share(json: &Value, unit: &str) -> [Option<f64>; 3] {
    share_in(json, unit, "2023")
}

/// A ratio's parts are summed at a parent over the units that report both (methodology section 2): a unit with
/// victims and no "supported" is left out, so the parent's denominator is its published victims less that unit's.
/// Wherever the unit left out is hidden (A, 3 victims; or B, hidden so that AB does not give A), the parent's share
/// is hidden with its numerator and denominator; where it is published, nothing is given away and the share stays.
#[test]
fn a_matched_ratio_does_not_reveal_the_unit_it_leaves_out() {
    let data = format!(
        "{HEADER}victims,prov-a,2023,,,3,src\nvictims,prov-b,2023,,,40,src\nsupported,prov-b,2023,,,30,src\n\
         victims,prov-c,2023,,,50,src\nsupported,prov-c,2023,,,45,src\n"
    );
    let json = eval_json(&data);
    assert_eq!(state(&json, "prov-a", "2023", None), "suppressed");
    for unit in ["prov-ab-2025", "vn"] {
        let [value, numerator, denominator] = share(&json, unit);
        if let (Some(victims), Some(denominator)) = (published(&json, unit, "2023", None), denominator) {
            panic!("{unit}: victims {victims} less the matched denominator {denominator} is A's count ({value:?})");
        }
        assert!(numerator.is_none() && denominator.is_none(), "{unit}: {numerator:?} / {denominator:?}");
    }
    assert_eq!(share(&json, "prov-c"), [Some(90.0), Some(45.0), Some(50.0)]);
    // The unit left out is published (A has 30 victims; the only small count is C's in 2022): the shares stay, and
    // their denominators give back only A's published count.
    let data =
        data.replace("victims,prov-a,2023,,,3,src", "victims,prov-a,2023,,,30,src") + "victims,prov-c,2022,,,3,src\n";
    let json = eval_json(&data);
    assert_eq!(published(&json, "prov-a", "2023", None), Some(30.0));
    for (unit, victims, denominator) in [("prov-ab-2025", 70.0, 40.0), ("vn", 120.0, 90.0)] {
        assert_eq!(published(&json, unit, "2023", None), Some(victims), "{unit}");
        assert_eq!(
            share(&json, unit)[2],
            Some(denominator),
            "{unit}: the share is not hidden when nothing is given away"
        );
    }
}

/// The same at a province over its communes, which no output shows: C's communes c1 (4 victims, none supported
/// reported) and c2 (40 victims, 30 supported). C's victims (44) less its matched denominator (40) would be c1's 4,
/// a small count no table publishes, so C's share is hidden; with c1 at 25 it is not small, and the share stays.
#[test]
fn a_matched_ratio_does_not_reveal_a_small_commune_it_leaves_out() {
    let communes = "\n[[org_unit]]\nid = \"c1\"\nname = { vi = \"Xã 1\", en = \"Commune 1\" }\nlevel = \"commune\"\n\
                    parent = \"prov-c\"\n\n[[org_unit]]\nid = \"c2\"\nname = { vi = \"Xã 2\", en = \"Commune 2\" }\n\
                    level = \"commune\"\nparent = \"prov-c\"\n";
    let rows = |c1: u32| {
        format!(
            "{HEADER}victims,c1,2023,,,{c1},src\nvictims,c2,2023,,,40,src\nsupported,c2,2023,,,30,src\n\
             victims,prov-a,2023,,,3,src\nvictims,prov-b,2023,,,60,src\nsupported,prov-b,2023,,,50,src\n"
        )
    };
    let json = eval_json_with(communes, &rows(4));
    assert_eq!(published(&json, "prov-c", "2023", None), Some(44.0));
    assert_eq!(share(&json, "prov-c"), [None, None, None]);
    // The audit says what was hidden besides its cells: the shares at C and at the country, which leave c1 out,
    // and at AB, which leaves out A's hidden 3. "Nothing suppressed" beside shares marked suppressed would
    // contradict what the reader sees.
    let audit = &json["disclosure"];
    assert_eq!((audit["verdict"].as_str(), audit["matched_ratios"].as_u64()), (Some("protected"), Some(3)), "{audit}");
    let (stdout, _) = eval_with(communes, &rows(4), "table");
    assert!(stdout.contains("3 ratio values hidden so that a unit they leave out is not revealed"), "{stdout}");
    let json = eval_json_with(communes, &rows(25));
    assert_eq!(published(&json, "prov-c", "2023", None), Some(65.0));
    assert_eq!(share(&json, "prov-c"), [Some(75.0), Some(30.0), Some(40.0)]);
    // Only AB's and the country's shares are hidden now, for A's 3.
    assert_eq!(json["disclosure"]["matched_ratios"], 2);
}

/// A unit left out of a ratio for part of the period only: A reports victims every quarter but "supported" from Q2
/// (the ratio is matched quarter by quarter, so only A's Q1 is left out), or A has a partial year and no
/// "supported" at all. The country's victims less the matched denominator are A's hidden Q1 (153 - 150, or with B
/// hidden, AB's 63 - 20 - 40), so the shares at AB and the country are hidden.
#[test]
fn a_ratio_does_not_reveal_a_hidden_sub_period_it_leaves_out() {
    let a_rows = [
        "victims,prov-a,2023Q1,,,3,src\nvictims,prov-a,2023Q2,,,20,src\nvictims,prov-a,2023Q3,,,20,src\n\
         victims,prov-a,2023Q4,,,20,src\nsupported,prov-a,2023Q2,,,10,src\nsupported,prov-a,2023Q3,,,10,src\n\
         supported,prov-a,2023Q4,,,10,src\n",
        "victims,prov-a,2023Q1,,,3,src\nvictims,prov-a,2023Q3,,,20,src\n",
    ];
    for a in a_rows {
        let data = format!(
            "{HEADER}{a}victims,prov-b,2023,,,40,src\nsupported,prov-b,2023,,,30,src\nvictims,prov-c,2023,,,50,src\n\
             supported,prov-c,2023,,,45,src\n"
        );
        let json = eval_json(&data);
        assert_eq!(state(&json, "prov-a", "2023Q1", None), "suppressed");
        for unit in ["prov-ab-2025", "vn"] {
            let [_, _, denominator] = share(&json, unit);
            if let (Some(victims), Some(denominator)) = (published(&json, unit, "2023", None), denominator) {
                panic!("{a}: {unit}'s victims {victims} less the matched denominator {denominator}");
            }
        }
    }
}

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

/// A validation finding states both sides' values, so one at a hidden cell would publish it: "supported <= victims
/// does not hold: 30 vs 3" beside A's victims marked suppressed. Findings that read a hidden cell (A's, or B's, the
/// cell hidden so that AB does not give A away) are not listed, whether the rule fails or holds there, and the
/// table says so once; a finding at a published cell (C: 50 victims, 40 received) is listed with its values, and
/// `--show-suppressed` lists them all.
#[test]
fn a_validation_finding_does_not_reveal_a_hidden_count() {
    let rules = "\n[[validation_rule]]\nid = \"sup-le-vic\"\nname = { vi = \"Hỗ trợ\", en = \"Supported\" }\n\
                 left = \"supported\"\noperator = \"less_than_or_equal_to\"\nright = \"victims\"\nseverity = \
                 \"warning\"\nperiod_type = \"year\"\n\n[[validation_rule]]\nid = \"vic-eq-rec\"\nname = { vi = \
                 \"Tiếp nhận\", en = \"Received\" }\nleft = \"victims\"\noperator = \"equal_to\"\nright = \
                 \"received\"\nseverity = \"warning\"\nperiod_type = \"year\"\n";
    let data = format!(
        "{HEADER}victims,prov-a,2023,,,3,src\nsupported,prov-a,2023,,,30,src\nreceived,prov-a,2023,,,12,src\n\
         victims,prov-b,2023,,,40,src\nsupported,prov-b,2023,,,30,src\nreceived,prov-b,2023,,,40,src\n\
         victims,prov-c,2023,,,50,src\nsupported,prov-c,2023,,,45,src\nreceived,prov-c,2023,,,40,src\n"
    );
    let json = eval_json_with(rules, &data);
    assert_eq!(state(&json, "prov-a", "2023", None), "suppressed");
    let findings: Vec<(String, String)> = json["validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["org_unit"].as_str().unwrap().to_owned(), f["rule"].as_str().unwrap().to_owned()))
        .collect();
    let hidden: Vec<&str> = ["prov-a", "prov-b", "prov-ab-2025", "vn"]
        .into_iter()
        .filter(|unit| state(&json, unit, "2023", None) == "suppressed")
        .collect();
    assert!(hidden.contains(&"prov-b"), "B is hidden so that AB does not give A away: {hidden:?}");
    for (unit, rule) in &findings {
        assert!(!hidden.contains(&unit.as_str()), "{rule} at {unit}, whose victims are suppressed, is listed");
    }
    assert!(findings.contains(&("prov-c".to_owned(), "vic-eq-rec".to_owned())), "{findings:?}");
    let (table, _) = eval_with(rules, &data, "table");
    assert!(!table.contains("30 vs 3") && !table.contains("3 vs 12"), "{table}");
    assert!(table.contains("findings at suppressed values are not listed"), "{table}");
    let (internal, _) = eval_with_args(rules, &data, "table", &["--show-suppressed"]);
    assert!(internal.contains("30 vs 3") && internal.contains("3 vs 12"), "{internal}");
    assert!(!internal.contains("findings at suppressed values are not listed"), "{internal}");
}

/// The notes of one unit's data rows travel to the total computed from them, but never from a row whose cell is
/// hidden: "three women returned from abroad" on A's 3 female victims (suppressed) beside A's published 40 would
/// describe the hidden count. With 30 women (published), the note travels as before (C's 3 in 2022 is the small
/// count of that run).
#[test]
fn a_hidden_breakdown_row_lends_no_note_to_its_total() {
    let notes_of = |json: &Value, unit: &str| -> Vec<String> {
        let point =
            victims_result(json, unit)["series"].as_array().unwrap().iter().find(|p| p["period"] == "2023").unwrap();
        point["notes"].as_array().map_or_else(Vec::new, |n| n.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
    };
    let rows = |women: u32| {
        format!(
            "data_element,org_unit,period,sex,age_group,value,source,note\n\
             victims,prov-a,2023,female,,{women},src,women returned from abroad\nvictims,prov-a,2023,male,,37,src,\n\
             victims,prov-b,2023,female,,20,src,\nvictims,prov-b,2023,male,,20,src,\n\
             victims,prov-c,2023,female,,25,src,\nvictims,prov-c,2023,male,,25,src,\nvictims,prov-c,2022,,,3,src,\n"
        )
    };
    let json = eval_json(&rows(3));
    assert_eq!(state(&json, "prov-a", "2023", Some("female")), "suppressed");
    assert_eq!(published(&json, "prov-a", "2023", None), Some(40.0));
    assert!(notes_of(&json, "prov-a").is_empty(), "{:?}", notes_of(&json, "prov-a"));
    let json = eval_json(&rows(30));
    assert_eq!(notes_of(&json, "prov-a"), ["women returned from abroad"]);
}

/// The hidden-or-published values of the victims count at the country for `periods`.
fn country(json: &Value, periods: &[&str]) -> Vec<Option<f64>> {
    periods.iter().map(|p| published(json, "vn", p, None)).collect()
}

/// A small month beside the two other months of its quarter (adversarial review round 5, K1): 43 - 20 - 20 = 3 was
/// published by subtraction, since months were related to no quarter, half or year. Now "quarter = its months" is a
/// relation of the audit, and a second cell goes.
#[test]
fn a_small_month_is_not_its_quarter_less_the_other_months() {
    let data =
        format!("{HEADER}victims,vn,2023-01,,,3,src\nvictims,vn,2023-02,,,20,src\nvictims,vn,2023-03,,,20,src\n");
    let json = eval_json(&data);
    assert_eq!(state(&json, "vn", "2023-01", None), "suppressed");
    let [quarter, february, march] = country(&json, &["2023Q1", "2023-02", "2023-03"])[..] else { unreachable!() };
    assert!(
        quarter.is_none() || february.is_none() || march.is_none(),
        "2023Q1 {quarter:?} - February {february:?} - March {march:?} gives January"
    );
    assert_protected(&json, 1);
}

/// A small quarter inside the courts' year (1 Oct 2024 - 30 Sep 2025), tiled by the quarter before, the first half
/// and itself (K2): 60 - 20 - 35 = 5 was published, since a period was related to its tiling by one type at a time.
#[test]
fn a_small_quarter_is_not_the_judicial_year_less_a_quarter_and_a_half() {
    let data = format!(
        "{HEADER}victims,vn,2024Oct,,,60,src\nvictims,vn,2024Q4,,,20,src\nvictims,vn,2025S1,,,35,src\n\
         victims,vn,2025Q3,,,5,src\n"
    );
    let json = eval_json(&data);
    assert_eq!(state(&json, "vn", "2025Q3", None), "suppressed");
    let shown = country(&json, &["2024Oct", "2024Q4", "2025S1"]);
    assert!(shown.iter().any(Option::is_none), "2024Oct, 2024Q4 and 2025S1 all published: {shown:?}");
    assert_protected(&json, 1);
}

/// Two tilings of a span that no period covers (1 Oct 2024 - 31 Dec 2025): the courts' year and Q4 2025 against
/// Q4 2024 and the year 2025, so Q4 2025 = 20 + 45 - 60 = 5 unless one more of them is hidden.
#[test]
fn a_small_quarter_is_not_given_by_two_tilings_of_one_span() {
    let data = format!(
        "{HEADER}victims,vn,2024Oct,,,60,src\nvictims,vn,2024Q4,,,20,src\nvictims,vn,2025,,,45,src\n\
         victims,vn,2025Q4,,,5,src\n"
    );
    let json = eval_json(&data);
    assert_eq!(state(&json, "vn", "2025Q4", None), "suppressed");
    let shown = country(&json, &["2024Oct", "2024Q4", "2025"]);
    assert!(shown.iter().any(Option::is_none), "2024Oct, 2024Q4 and 2025 all published: {shown:?}");
    assert_protected(&json, 1);
}

/// A small month whose dates no other period shares (a proptest of the period relations found it): the first half,
/// April-August and July-August give January-March = 37 + 30 - 66 = 1, and February is at least 1, so February is
/// 1 unless one more of them is hidden. Only the order of the dates links them ("latent" cells in the audit).
#[test]
fn a_small_month_is_not_given_by_the_order_of_dates_no_period_shares() {
    let data = format!(
        "{HEADER}victims,vn,2023S1,,,37,src\nvictims,vn,2023-02,,,1,src\n\
         victims,vn,2023-04-01..2023-08-31,,,66,src\nvictims,vn,2023-07-01..2023-08-31,,,30,src\n"
    );
    let json = eval_json(&data);
    assert_eq!(state(&json, "vn", "2023-02", None), "suppressed");
    let shown = country(&json, &["2023S1", "2023-04-01..2023-08-31", "2023-07-01..2023-08-31"]);
    assert!(shown.iter().any(Option::is_none), "the half and both ranges published: {shown:?}");
    assert_protected(&json, 1);
}

/// `tiendo eval` (table) and `tiendo report` (Markdown, vi and en) of a project of the fixture catalogue with its own
/// `[confidentiality]` lines: the eval table, then the Vietnamese and English reviews.
fn audited_with(confidentiality: &str, data: &str) -> (String, String, String) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure/catalogue.toml");
    std::fs::copy(catalogue, folder.path().join("catalogue.toml")).expect("catalogue copied");
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = format!(
        "[project]\nname = {{ vi = \"Thử\", en = \"Test\" }}\nprogramme = \"plan-test\"\n\
         catalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n\n[confidentiality]\n{confidentiality}\n"
    );
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(args)
            .arg(folder.path())
            .args(["--as-of", "2024-01-15"])
            .env("NO_COLOR", "1")
            .env("TIENDO_CACHE_DIR", folder.path().join("cache"))
            .output()
            .expect("the tiendo binary runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let table = run(&["eval"]);
    let out = folder.path().join("review");
    let out_arg = out.display().to_string();
    run(&["report", "--window", "2021..2023", "--lang", "vi,en", "--format", "md", "--quiet", "--out", &out_arg]);
    let review = |lang: &str| std::fs::read_to_string(out.join(lang).join("review.md")).expect("a review");
    (table, review("vi"), review("en"))
}

/// Round 6, L7: where the threshold already tells a reader that a hidden count is 1 or 2 (threshold 3), the audit
/// asks no more of it than that range, and the published guarantee says so, in eval and in the review, never "fewer
/// than 4 values"; the same with the default threshold and `protection = 10` (1 to 10). With the default rules the
/// guarantee is the protection range plus one.
#[test]
fn the_audits_guarantee_is_the_range_it_used_capped_by_what_the_threshold_tells() {
    let data = "data_element,org_unit,period,value,source\nvictims,vn,2022,40,src\nvictims,vn,2023,2,src\n";
    for (rules, eval_line, vi, en) in [
        (
            "threshold = 3",
            "no reader can narrow one suppressed as small beyond the 1 to 2 the threshold tells, nor any other below 4 \
             values",
            "không thể thu hẹp một số bị ẩn vì là số nhỏ hơn những gì ngưỡng đã cho biết (từ 1 đến 2), và không thể \
             thu hẹp bất kỳ số bị ẩn nào khác xuống dưới 4 giá trị khả dĩ.",
            "no count suppressed as small can be narrowed beyond what the threshold already tells (1 to 2), and no \
             other suppressed count to fewer than 4 possible values.",
        ),
        (
            "threshold = 11\nprotection = 10",
            "no reader can narrow one suppressed as small beyond the 1 to 10 the threshold tells, nor any other below \
             11 values",
            "(từ 1 đến 10), và không thể thu hẹp bất kỳ số bị ẩn nào khác xuống dưới 11 giá trị khả dĩ.",
            "(1 to 10), and no other suppressed count to fewer than 11 possible values.",
        ),
        (
            "threshold = 11",
            "no reader can narrow one below 4 values",
            "không thể thu hẹp bất kỳ số bị ẩn nào xuống dưới 4 giá trị khả dĩ.",
            "found that no suppressed count can be narrowed to fewer than 4 possible values.",
        ),
    ] {
        let (table, review_vi, review_en) = audited_with(rules, data);
        assert!(table.contains(eval_line), "{rules}: {table}");
        assert!(review_vi.contains(vi), "{rules}: {review_vi}");
        assert!(review_en.contains(en), "{rules}: {review_en}");
    }
}

/// Province D splits into D1 and D2 on 1 July 2025. Before the split the country is the sum of the 2024 map (A, B,
/// C, D), although its current children are AB, C, D1 and D2 and D1 and D2 have no 2024 value: a small count of C
/// (5 victims supported), with A, B and D at 30 and the country at 95, was recovered as 95 - 90 (round 11, F1: the
/// audit knew only the current map and said "protected" with nothing more hidden). Now the country's total is also
/// the sum of the map of 2024, and a second province is hidden; nothing published pins C, in counts or in shares.
#[test]
fn a_split_does_not_hide_the_map_a_total_was_the_sum_of() {
    let json = eval_json_with(SPLIT_D, &before_the_split());
    assert_protected(&json, 1);
    assert_no_small_count_pinned(&json, "2023", &["prov-a", "prov-b", "prov-d"]);
}

/// Province D (40 victims, 30 supported a year) splits into D1 and D2 on 1 July 2025.
const SPLIT_D: &str = "\n[[org_unit]]\nid = \"prov-d\"\nname = { vi = \"Tỉnh D\", en = \"Province D\" }\n\
                       level = \"province\"\nparent = \"vn\"\nvalid_to = 2025-06-30\n\
                       successors = [\"prov-d1-2025\", \"prov-d2-2025\"]\n\n[[org_unit]]\nid = \"prov-d1-2025\"\n\
                       name = { vi = \"Tỉnh D1\", en = \"Province D1\" }\nlevel = \"province\"\nparent = \"vn\"\n\
                       valid_from = 2025-07-01\n\n[[org_unit]]\nid = \"prov-d2-2025\"\n\
                       name = { vi = \"Tỉnh D2\", en = \"Province D2\" }\nlevel = \"province\"\nparent = \"vn\"\n\
                       valid_from = 2025-07-01\n";

/// 2023, before the split: A, B and D 30 supported of 40 victims, C 5 of 40.
fn before_the_split() -> String {
    let mut data = String::from(HEADER);
    for (unit, supported) in [("prov-a", 30), ("prov-b", 30), ("prov-c", 5), ("prov-d", 30)] {
        data.push_str(&format!("victims,{unit},2023,,,40,src\nsupported,{unit},2023,,,{supported},src\n"));
    }
    data
}

/// C's `supported` in `period` is hidden, and so is one more of what would give it back: `others` (the other
/// units of the country's sum) or the country itself; a hidden numerator is a hidden share too.
fn assert_no_small_count_pinned(json: &Value, period: &str, others: &[&str]) {
    let numerator = |unit: &str| share_in(json, unit, period)[1];
    assert_eq!(numerator("prov-c"), None, "C's 5 is hidden");
    let hidden: Vec<&str> = others.iter().copied().filter(|unit| numerator(unit).is_none()).collect();
    assert!(!hidden.is_empty() || numerator("vn").is_none(), "all published: C = {:?} - the rest", numerator("vn"));
    for unit in hidden {
        assert_eq!(share_in(json, unit, period)[0], None, "{unit}'s share would give its numerator back");
    }
}

/// The year of the split: A, B and D report the first half, AB, D1 and D2 the second, C only the year (5 of 40).
/// The country's halves are sums without C, so its year less its halves was C's 5 (round 11); now that is a
/// relation of the audit too, and the country's year or a half is hidden.
#[test]
fn a_year_less_its_partial_halves_does_not_give_back_a_unit_that_reported_only_the_year() {
    let mut data = String::from(HEADER);
    for (unit, period, victims, supported) in [
        ("prov-a", "2025S1", 40, 30),
        ("prov-b", "2025S1", 40, 30),
        ("prov-d", "2025S1", 40, 30),
        ("prov-ab-2025", "2025S2", 40, 30),
        ("prov-d1-2025", "2025S2", 20, 15),
        ("prov-d2-2025", "2025S2", 20, 15),
        ("prov-c", "2025", 40, 5),
    ] {
        data.push_str(&format!(
            "victims,{unit},{period},,,{victims},src\nsupported,{unit},{period},,,{supported},src\n"
        ));
    }
    let json = eval_json_with(SPLIT_D, &data);
    assert_protected(&json, 1);
    assert_eq!(share_in(&json, "prov-c", "2025")[1], None, "C's 5 is hidden");
    let country = ["2025", "2025S1", "2025S2"].map(|period| share_in(&json, "vn", period)[1]);
    assert!(country.iter().any(Option::is_none), "the country's year and both halves published: {country:?}");
}

/// The share of `unit` in `period`: value, numerator, denominator.
fn share_in(json: &Value, unit: &str, period: &str) -> [Option<f64>; 3] {
    let point = json["indicators"].as_array().and_then(|results| {
        let result = results.iter().find(|r| r["indicator"] == "supported-share" && r["org_unit"] == unit)?;
        result["series"].as_array()?.iter().find(|p| p["period"] == period).cloned()
    });
    let field = |name: &str| point.as_ref().and_then(|p| p[name].as_f64());
    [field("value"), field("numerator"), field("denominator")]
}

/// Victims published as a total and as the female option only (a count and a share), never broken down by sex
/// (`tests/fixtures/disclosure-options`): the male count is the total less the female one, so a small one is
/// protected though no output shows it. It used to be no cell at all: 45 and 40 were published and the audit said
/// "nothing suppressed" (round 40).
#[test]
fn an_option_no_output_shows_is_protected_from_the_total_less_the_others() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure-options/catalogue.toml");
    std::fs::copy(fixture, folder.path().join("catalogue.toml")).expect("catalogue copied");
    let data = "data_element,org_unit,period,sex,value,source\nvictims,vn,2022,female,30,src\n\
                victims,vn,2022,male,20,src\nvictims,vn,2023,female,40,src\nvictims,vn,2023,male,5,src\n";
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\n\
                    catalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n\n[confidentiality]\nthreshold = 11\n";
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    let (json, stderr) = support_eval(folder.path());
    let value = |indicator: &str, period: &str| {
        let result = json["indicators"].as_array().unwrap().iter().find(|r| r["indicator"] == indicator).unwrap();
        result["series"].as_array().unwrap().iter().find(|p| p["period"] == period).unwrap()["value"].as_f64()
    };
    // 2022: the male 20 is not small, nothing is hidden.
    assert_eq!((value("victims-count", "2022"), value("female-victims", "2022")), (Some(50.0), Some(30.0)));
    // 2023: the male 5 can be worked out from no pair of published figures.
    let (total, female, share) =
        (value("victims-count", "2023"), value("female-victims", "2023"), value("female-share", "2023"));
    assert!(total.is_none() || (female.is_none() && share.is_none()), "{total:?} {female:?} {share:?}\n{stderr}");
    let audit = &json["disclosure"];
    assert_eq!((audit["verdict"].as_str(), audit["primary"].as_u64()), (Some("protected"), Some(1)), "{audit}");
}

/// `tiendo eval FOLDER --as-of 2026-01-15 --format json`: the JSON and standard error.
fn support_eval(folder: &Path) -> (Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(folder)
        .args(["--as-of", "2026-01-15", "--format", "json"])
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{stderr}")), stderr)
}

/// Sensitive counts that are not summed over time (`tests/fixtures/disclosure-over-time`): the audit relates a period
/// to its parts as the element combines them. An average's year is its quarters weighed by their length (C's
/// quarters of 20, 20, 20 and 4 average 16, and its second half 12; B's months average into its quarters); a stock's year is its latest report (A has no
/// fourth quarter, so its third, 5, stands for it in AB's and the country's year). Both were treated as sums, whose
/// relations did not add up and were dropped: the 4 was 2 x 12 - 20 and the 5 was 60 - 30 - 25, while the audit
/// said "protected" (round 40).
#[test]
fn averages_and_stocks_over_time_do_not_reveal_a_small_part() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure-over-time/catalogue.toml");
    std::fs::copy(fixture, folder.path().join("catalogue.toml")).expect("catalogue copied");
    let mut data = String::from("data_element,org_unit,period,value,source\n");
    for (quarter, value) in [(1, 20), (2, 20), (3, 20), (4, 4)] {
        data.push_str(&format!("in_shelter,prov-c,2023Q{quarter},{value},src\n"));
    }
    // B's months: January 4, the others 22 (its first quarter averages 16).
    for month in 1..=12 {
        data.push_str(&format!("in_shelter,prov-b,2023-{month:02},{},src\n", if month == 1 { 4 } else { 22 }));
    }
    for (unit, values) in [("prov-a", &[20, 20, 5][..]), ("prov-b", &[30, 30, 30, 30]), ("prov-c", &[25, 25, 25, 25])] {
        for (quarter, value) in values.iter().enumerate() {
            data.push_str(&format!("in_care,{unit},2023Q{},{value},src\n", quarter + 1));
        }
    }
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\n\
                    catalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n\n[confidentiality]\nthreshold = 11\n";
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    let (json, stderr) = support_eval(folder.path());
    let value = |indicator: &str, unit: &str, period: &str| {
        let result = json["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["indicator"] == indicator && r["org_unit"] == unit);
        let point = result.and_then(|r| r["series"].as_array().unwrap().iter().find(|p| p["period"] == period));
        point.and_then(|p| p["value"].as_f64())
    };
    let shown = |indicator: &str, cells: &[(&str, &str)]| cells.iter().all(|(u, p)| value(indicator, u, p).is_some());
    // The average: C's fourth quarter is hidden, and neither its half with the third quarter, nor its year with the
    // other three, gives it.
    assert_eq!(value("shelter", "prov-c", "2023Q4"), None, "{stderr}");
    assert!(!shown("shelter", &[("prov-c", "2023S2"), ("prov-c", "2023Q3")]), "{json}");
    assert!(!shown("shelter", &[("prov-c", "2023"), ("prov-c", "2023Q1"), ("prov-c", "2023Q2"), ("prov-c", "2023Q3")]));
    // Months average into their quarter too: January is not 3 x 16 - 22 - 22 (round 40, a second look).
    assert_eq!(value("shelter", "prov-b", "2023-01"), None, "{stderr}");
    assert!(!shown("shelter", &[("prov-b", "2023Q1"), ("prov-b", "2023-02"), ("prov-b", "2023-03")]), "{json}");
    // The stock: A's third quarter is hidden, and no year less the other members' gives it.
    assert_eq!(value("care", "prov-a", "2023Q3"), None, "{stderr}");
    assert!(!shown("care", &[("vn", "2023"), ("prov-b", "2023"), ("prov-c", "2023")]), "{json}");
    assert!(!shown("care", &[("prov-ab-2025", "2023"), ("prov-b", "2023")]), "{json}");
    assert!(!shown("care", &[("vn", "2023"), ("vn", "2023Q4")]), "{json}");
    assert_eq!(json["disclosure"]["verdict"], "protected", "{}", json["disclosure"]);
}

/// A monthly average with one small month, in the only province that reports (so the former province above it and
/// the country show the same figures, twins of its own): hiding the month beside one other month of each unit lets
/// the two move against each other while every quarter, half and year stays published. The search tried each
/// candidate on its own, which its published twins gave away, then hid the cells one by one until the whole year
/// of all three units was hidden (54 secondary cells where 3 suffice); a candidate is now tried with its twins.
#[test]
fn a_small_month_of_an_average_is_hidden_with_one_other_month_not_the_whole_year() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure-over-time/catalogue.toml");
    std::fs::copy(fixture, folder.path().join("catalogue.toml")).expect("catalogue copied");
    let mut data = String::from("data_element,org_unit,period,value,source\n");
    for month in 1..=12 {
        data.push_str(&format!("in_shelter,prov-b,2023-{month:02},{},src\n", if month == 1 { 4 } else { 22 }));
    }
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\n\
                    catalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n\n[confidentiality]\nthreshold = 11\n";
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    let (json, stderr) = support_eval(folder.path());
    let audit = &json["disclosure"];
    assert_eq!((audit["verdict"].as_str(), audit["primary"].as_u64()), (Some("protected"), Some(3)), "{audit}");
    assert_eq!(audit["secondary"], 3, "one other month per unit: {audit}\n{stderr}");
    for unit in ["prov-b", "prov-ab-2025", "vn"] {
        let result = json["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["indicator"] == "shelter" && r["org_unit"] == unit)
            .unwrap_or_else(|| panic!("{unit} in {json}"));
        let hidden: Vec<&str> = result["series"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["value"].is_null())
            .map(|p| p["period"].as_str().unwrap())
            .collect();
        assert_eq!(hidden.len(), 2, "{unit}: {hidden:?}");
        assert!(hidden.contains(&"2023-01"), "{unit}: {hidden:?}");
        assert!(hidden.iter().all(|p| p.starts_with("2023-")), "only months: {unit}: {hidden:?}");
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
