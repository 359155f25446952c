//! A unit's rows of one period broken down to different depths (women by age group, men as one row) are one total:
//! disjoint rows that cover every combination add up to it, and rows that cover part of them to a lower bound that
//! holds more than any one breakdown (methodology section 2.1; review of 6 December, helper 3, F1, F2 and F5).

use serde_json::Value;

#[path = "support/project.rs"]
mod support;

const HEADER: &str = "data_element,org_unit,period,sex,age_group,value,source\n";

/// `tiendo eval` at `unit` on the fixture catalogue with `rows` (after the header) as its data.
fn eval(rows: &str, unit: &str) -> (Value, String) {
    let catalogue = support::fixture("breakdown-depths/catalogue.toml");
    let folder = support::project(&catalogue, &format!("{HEADER}{rows}"), "");
    support::eval_json(folder.path(), &["--org-unit", unit])
}

/// The value of victims at `unit` in `period`, whether it is marked an incomplete breakdown, and its sources.
fn victims(json: &Value, unit: &str, period: &str) -> (f64, bool, Vec<String>) {
    let point = support::point(json, "victims-count", unit, period).unwrap_or_else(|| panic!("no point: {json}"));
    let sources = point["sources"].as_array().expect("sources").iter().map(|s| s.to_string()).collect();
    let partial = point["coverage"]["incomplete_breakdown"] == true;
    (point["value"].as_f64().expect("a value"), partial, sources)
}

const PROVINCES_2023: &str = "victims,p1,2023,,,10,src\nvictims,p2,2023,,,20,src\nvictims,p3,2023,,,30,src\n";

#[test]
fn the_nations_own_rows_at_two_depths_are_its_complete_total_and_decide_the_target() {
    // 10 + 20 + 5 women by age and 40 men: 75, the nation's own report, above the `<= 70` target. Before, the 40
    // men were a partial own value and the provinces' smaller 60 took its place, "achieved".
    let rows = format!(
        "victims,vn,2023,female,child,10,src\nvictims,vn,2023,female,adult,20,src\n\
         victims,vn,2023,female,unknown,5,src\nvictims,vn,2023,male,,40,src\n{PROVINCES_2023}"
    );
    let (json, stderr) = eval(&rows, "vn");
    let (value, partial, _) = victims(&json, "vn", "2023");
    assert_eq!((value, partial), (75.0, false), "{stderr}");
    let result = support::result(&json, "victims-count", "vn");
    assert_eq!((result["targets"][0]["met"].as_bool(), result["status"].as_str()), (Some(false), Some("off-track")));
    assert_eq!(support::point(&json, "victims-count", "vn", "2023").unwrap()["basis"], "reported");
}

#[test]
fn a_provinces_rows_at_two_depths_are_its_total_above_its_districts_and_in_the_nations_sum() {
    let rows = "victims,p1,2022,,,10,src\nvictims,p2,2022,,,20,src\nvictims,p3,2022,female,child,3,src\n\
                victims,p3,2022,female,adult,3,src\nvictims,p3,2022,female,unknown,3,src\nvictims,p3,2022,male,,5,src\n\
                victims,d31,2022,,,5,src\nvictims,d32,2022,,,6,src\n";
    let (json, _) = eval(rows, "p3");
    assert_eq!(victims(&json, "p3", "2022").0, 14.0, "{json}");
    assert!(!victims(&json, "p3", "2022").1);
    let (json, _) = eval(rows, "vn");
    let (value, partial, _) = victims(&json, "vn", "2022");
    assert_eq!((value, partial), (44.0, false));
}

#[test]
fn rows_at_two_depths_that_miss_a_combination_are_a_partial_lower_bound_above_each_breakdown() {
    // Girls 3, adult women 4 (women of unknown age missing) and men 5: at least 12, more than the 7 or the 5 alone.
    let rows = "victims,p3,2022,female,child,3,src\nvictims,p3,2022,female,adult,4,src\nvictims,p3,2022,male,,5,src\n";
    let (json, _) = eval(rows, "p3");
    let (value, partial, _) = victims(&json, "p3", "2022");
    assert_eq!((value, partial), (12.0, true), "{json}");
}

#[test]
fn a_reported_subtotal_wins_over_its_own_breakdown_among_rows_at_two_depths() {
    // Women 9 as a row, and by age 5 + 6: the women's own 9 stands, as a unit's total does; with the men, 14.
    let rows = "victims,p3,2022,female,,9,src\nvictims,p3,2022,female,child,5,src\nvictims,p3,2022,female,adult,6,src\n\
                victims,p3,2022,male,,5,src\n";
    let (json, _) = eval(rows, "p3");
    assert_eq!(victims(&json, "p3", "2022").0, 14.0, "{json}");
    assert!(!victims(&json, "p3", "2022").1);
}

#[test]
fn a_value_cites_only_the_rows_it_is_made_of() {
    // The province's total 30 is used; its female row of 12 from an estimate is not, so the value is neither an
    // estimate nor cites `est`, here or in the nation's sum.
    let (json, _) = eval(&format!("{PROVINCES_2023}victims,p3,2023,female,,12,est\n"), "vn");
    let (value, _, sources) = victims(&json, "vn", "2023");
    assert_eq!((value, sources), (60.0, vec!["\"src\"".to_owned()]), "{json}");
    let point = support::point(&json, "victims-count", "vn", "2023").unwrap();
    assert_ne!(point["estimate"], true, "{point}");
}

/// Views of one total that cannot both be right are named (W331): an option alone above its unit's total row (a
/// female 99 beside a total of 10, helper 3, F4), and a total row beside rows at two depths that cover every
/// combination and add up to another number (helper 4, F2).
#[test]
fn a_total_row_that_its_breakdown_contradicts_is_warned_about() {
    let (_, stderr) = eval("victims,p1,2023,,,10,src\nvictims,p1,2023,female,,99,src\n", "p1");
    assert!(
        stderr.contains(
            "W331 breakdowns-disagree]: victims at p1 in 2023: the total row gives 10, the reported part of the \
             breakdown by sex (incomplete) gives 99"
        ),
        "{stderr}"
    );
    let rows = "victims,p1,2023,,,60,src\nvictims,p1,2023,female,child,12,src\nvictims,p1,2023,female,adult,13,src\n\
                victims,p1,2023,female,unknown,4,src\nvictims,p1,2023,male,,25,src\n";
    let (_, stderr) = eval(rows, "p1");
    assert!(stderr.contains("the total row gives 60, reading the breakdowns together gives 54"), "{stderr}");
    // A part within its total says nothing.
    let (_, stderr) = eval("victims,p1,2023,,,10,src\nvictims,p1,2023,female,,4,src\n", "p1");
    assert!(!stderr.contains("W331"), "{stderr}");
}

/// A period and the periods that make it up, each read as evaluation reads it, disagree across breakdowns: a year by
/// sex (30 + 20) beside four quarters of 15 as totals, and the reverse. W339 compared rows of one breakdown only and
/// said nothing (helper 3, F3).
#[test]
fn a_year_and_its_quarters_in_different_breakdowns_that_disagree_are_warned_about() {
    let quarters = "victims,p1,2023Q1,,,15,src\nvictims,p1,2023Q2,,,15,src\nvictims,p1,2023Q3,,,15,src\n\
                    victims,p1,2023Q4,,,15,src\n";
    let by_sex = format!("victims,p1,2023,female,,30,src\nvictims,p1,2023,male,,20,src\n{quarters}");
    let reverse = "victims,p1,2023,,,50,src\nvictims,p1,2023Q1,female,,10,src\nvictims,p1,2023Q1,male,,5,src\n\
                   victims,p1,2023Q2,,,15,src\nvictims,p1,2023Q3,,,15,src\nvictims,p1,2023Q4,,,15,src\n";
    for rows in [by_sex.as_str(), reverse] {
        let (_, stderr) = eval(rows, "p1");
        assert!(
            stderr.contains("victims at p1: 2023 is reported as 50, but its parts 2023Q1 + 2023Q2 + 2023Q3 + 2023Q4"),
            "{rows}\n{stderr}"
        );
        assert_eq!(stderr.matches("W339").count(), 1, "{stderr}");
    }
}

/// An incomplete breakdown is a lower bound of its total, so it contradicts a period or its parts when it is above
/// them: a year of 50 beside quarters of 15 women each (at least 60), a year of at least 60 children beside quarters
/// whose totals add up to 50. Neither was warned about: W339 read complete totals only (review of 6 December, helper
/// 5). A lower bound below the other side says nothing, and incomplete halves between a year and its quarters do not
/// hide the quarters' disagreement with the year.
#[test]
fn an_incomplete_breakdown_above_the_total_of_its_period_or_parts_is_warned_about() {
    let year = |line: &str| format!("victims,p1,2023,{line},src\n");
    let quarters = |line: &str| (1..=4).map(|q| format!("victims,p1,2023Q{q},{line},src\n")).collect::<String>();
    let fifty = (1..=4).map(|q| format!("victims,p1,2023Q{q},,,{},src\n", 12 + q % 2)).collect::<String>();
    let cases = [
        (
            format!("{}{}", year(",,50"), quarters("female,,15")),
            Some("2023 is reported as 50, but its parts 2023Q1 + 2023Q2 + 2023Q3 + 2023Q4 add up to at least 60"),
        ),
        (
            format!("{}{fifty}", year(",child,60")),
            Some(
                "2023 is reported by an incomplete breakdown as at least 60, but its parts 2023Q1 + 2023Q2 + 2023Q3 + 2023Q4 add up to 50",
            ),
        ),
        (format!("{}{}", year(",,70"), quarters("female,,15")), None),
        (format!("{}{fifty}", year(",child,40")), None),
        (
            format!(
                "{}victims,p1,2023S1,female,,5,src\nvictims,p1,2023S2,female,,5,src\n{}",
                year(",,50"),
                quarters(",,20")
            ),
            Some("2023 is reported as 50, but its parts 2023Q1 + 2023Q2 + 2023Q3 + 2023Q4 add up to 80"),
        ),
    ];
    for (rows, expected) in cases {
        let (_, stderr) = eval(&rows, "p1");
        match expected {
            Some(message) => {
                assert!(stderr.contains(&format!("victims at p1: {message}")), "{rows}\n{stderr}");
                assert_eq!(stderr.matches("W339").count(), 1, "{rows}\n{stderr}");
            }
            None => assert!(!stderr.contains("W339"), "{rows}\n{stderr}"),
        }
    }
}

/// The stderr of `eval` over `rows` with the fixture's catalogue edited by `edit` (a unit's validity).
fn eval_with(rows: &str, edit: impl Fn(String) -> String) -> String {
    let catalogue = edit(support::fixture("breakdown-depths/catalogue.toml"));
    let folder = support::project(&catalogue, &format!("{HEADER}{rows}"), "");
    support::eval_json(folder.path(), &[]).1
}

/// A unit's own total of a count below what the units inside it report of the same period cannot be right (W350):
/// Viet Nam's own 20 beside province 1's 30, a province's own 20 beside its district's 22 women (an incomplete
/// breakdown, a lower bound), the nation's 40 beside a province and the districts of a province without its own
/// report. Nothing was said (review of 6 December, helper 5). Units below that add up to no more say nothing; nor
/// does a synthetic figure on either side (the bundled example's generated provinces beside the nation's published
/// totals), nor a unit below that did not exist through the whole period.
#[test]
fn a_units_own_total_below_what_the_units_inside_it_report_is_warned_about() {
    let warned = [
        (
            "victims,vn,2023,,,20,src\nvictims,p1,2023,,,30,src\n",
            "victims at vn: 2023 is reported as 20, but the units below it report 30 of the same period (p1 30)",
        ),
        (
            "victims,p3,2023,,,20,src\nvictims,d31,2023,female,,22,src\n",
            "victims at p3: 2023 is reported as 20, but the units below it report at least 22 of the same period (d31 at least 22)",
        ),
        (
            "victims,vn,2023,,,40,src\nvictims,p1,2023,,,15,src\nvictims,d31,2023,,,15,src\nvictims,d32,2023,male,,12,src\n",
            "victims at vn: 2023 is reported as 40, but the units below it report at least 42 of the same period (p1 15, d31 15, d32 at least 12)",
        ),
    ];
    for (rows, message) in warned {
        let stderr = eval_with(rows, |c| c);
        assert!(stderr.contains(&format!("warning[W350 units-below-exceed]: {message}")), "{rows}\n{stderr}");
        assert_eq!(stderr.matches("W350").count(), 1, "{rows}\n{stderr}");
    }
    let quiet = [
        "victims,vn,2023,,,45,src\nvictims,p1,2023,,,15,src\nvictims,d31,2023,,,15,src\nvictims,d32,2023,male,,12,src\n",
        "victims,vn,2023,,,20,syn\nvictims,p1,2023,,,30,src\n",
        "victims,vn,2023,,,20,src\nvictims,p1,2023,,,30,syn\n",
        "victims,p3,2023,,,20,src\nvictims,d31,2023,,,30,src\n",
    ];
    let d31_from_july = |c: String| c.replacen("id = \"d31\"", "id = \"d31\"\nvalid_from = 2023-07-01", 1);
    for (i, rows) in quiet.iter().enumerate() {
        let stderr = if i == 3 { eval_with(rows, d31_from_july) } else { eval_with(rows, |c| c) };
        assert!(!stderr.contains("W350"), "{rows}\n{stderr}");
    }
    // A number that may be negative (a net change) is bounded by nothing below it, nor by an incomplete breakdown.
    let a_number = |c: String| c.replacen("id = \"victims\"", "id = \"victims\"\nvalue_type = \"number\"", 1);
    let rows = "victims,vn,2023,,,20,src\nvictims,p1,2023,,,30,src\nvictims,vn,2024,,,50,src\n\
                victims,vn,2024S1,female,,40,src\nvictims,vn,2024S2,female,,30,src\n";
    let stderr = eval_with(rows, a_number);
    assert!(!stderr.contains("W350") && !stderr.contains("W339"), "{stderr}");
    assert!(eval_with(rows, |c| c).contains("W339"));
}

/// The review shows its reader the data that contradict each other (W339, W350), in every format and language,
/// with the data row each points to and no value: before, only `tiendo eval`'s warnings said so, and the review
/// printed the national 17 beside province 1's 29 without a word. Victims are sensitive and `cases` is not; neither
/// is quoted.
#[test]
fn the_review_lists_the_data_that_contradict_each_other_without_values() {
    let catalogue = support::fixture("breakdown-depths/catalogue.toml");
    let rows = "victims,vn,2023,,,17,src\nvictims,p1,2023,,,29,src\ncases,vn,2023,,,55,src\n\
                cases,vn,2023S1,,,36,src\ncases,vn,2023S2,,,47,src\n";
    let folder = support::project(&catalogue, &format!("{HEADER}{rows}"), "");
    let out = support::report(folder.path(), ("2024-12-31", "2021..2025", "en,vi"));
    let read = |lang: &str, file: &str| std::fs::read_to_string(out.join(lang).join(file)).expect("written");
    let (periods, units) = (
        "cases at vn: 2023 and its parts 2023S1 + 2023S2 add up to different numbers",
        "victims at vn: 2023's own report is less than what the units below it report of the same period (p1)",
    );
    let markdown = read("en", "review.md");
    assert!(markdown.contains("#### Data that contradict each other"), "{markdown}");
    assert!(markdown.contains(&format!("- `W339 periods-disagree` {periods} (`data.csv:4`)")), "{markdown}");
    assert!(markdown.contains(&format!("- `W350 units-below-exceed` {units} (`data.csv:2`)")), "{markdown}");
    assert!(read("vi", "review.md").contains("#### Số liệu mâu thuẫn nhau"));
    let html = read("en", "review.html");
    assert!(html.contains(&format!("<code>W339 periods-disagree</code> <span lang=\"en\">{periods}</span>")), "{html}");
    let json: serde_json::Value = serde_json::from_str(&read("vi", "review.json")).expect("JSON");
    let listed = json["data_quality"]["disagreements"].as_array().expect("a list");
    let codes: Vec<&str> = listed.iter().map(|d| d["code"].as_str().unwrap_or_default()).collect();
    assert_eq!(codes, ["W339", "W350"]);
    assert_eq!(listed[1]["location"], "data.csv:2");
    for d in listed {
        let message = d["message"].as_str().unwrap_or_default();
        let quoted = ["17", "29", "55", "36", "47", "withheld"].iter().any(|v| message.contains(v));
        assert!(!quoted, "{message}");
    }
}
