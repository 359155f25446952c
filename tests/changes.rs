//! Changes on the same period last year, end to end through `tiendo eval --format json`: the percent change is
//! given only on a positive earlier value (methodology section 3), so that its sign never contradicts the absolute
//! change beside it, whatever the sign of the values (a balance, a difference of two counts).

#[path = "support/project.rs"]
mod support;

use serde_json::Value;

/// The change of `indicator` at Viet Nam in `period`: (absolute, percent).
fn change(json: &Value, indicator: &str, period: &str) -> (Option<f64>, Option<f64>) {
    let point = support::point(json, indicator, "vn", period).unwrap_or_else(|| panic!("{indicator} {period}"));
    (point["change"]["absolute"].as_f64(), point["change"]["percent"].as_f64())
}

#[test]
fn a_percent_change_is_given_on_a_positive_base_only() {
    let catalogue = support::fixture("changes/catalogue.toml");
    // bal: -10, -5, 0, 5, 10; received - resolved: -10, -15, -5, 0, 10.
    let data = "data_element,org_unit,period,value,source\n\
        bal,vn,2021,-10,src\nbal,vn,2022,-5,src\nbal,vn,2023,0,src\nbal,vn,2024,5,src\nbal,vn,2025,10,src\n\
        received,vn,2021,0,src\nreceived,vn,2022,5,src\nreceived,vn,2023,0,src\nreceived,vn,2024,10,src\n\
        received,vn,2025,20,src\nresolved,vn,2021,10,src\nresolved,vn,2022,20,src\nresolved,vn,2023,5,src\n\
        resolved,vn,2024,10,src\nresolved,vn,2025,10,src\n";
    let folder = support::project(&catalogue, data, "");
    let (json, stderr) = support::eval_json(folder.path(), &[]);
    // A rise from a negative value is a rise: no "-50 %" beside "+5".
    assert_eq!(change(&json, "bal", "2022"), (Some(5.0), None), "{stderr}");
    assert_eq!(change(&json, "bal", "2023"), (Some(5.0), None));
    // From 0: no percent either; from a positive value, the usual one.
    assert_eq!(change(&json, "bal", "2024"), (Some(5.0), None));
    assert_eq!(change(&json, "bal", "2025"), (Some(5.0), Some(100.0)));
    // A fall below a negative value, a rise to 0 and a rise from 0.
    assert_eq!(change(&json, "diff", "2022"), (Some(-5.0), None));
    assert_eq!(change(&json, "diff", "2023"), (Some(10.0), None));
    assert_eq!(change(&json, "diff", "2024"), (Some(5.0), None));
    assert_eq!(change(&json, "diff", "2025"), (Some(10.0), None));
}
