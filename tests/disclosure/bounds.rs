//! A published count that is not sensitive bounds a hidden sensitive one through a validation rule or a share's
//! natural limit (`victims <= received`: A's published 2 received make its hidden victims 0-2): the audit holds it as
//! a figure it may hide too (round 48, found by a review helper).

use std::collections::BTreeSet;

use serde_json::Value;

use super::support::*;

/// An indicator publishing the `received` count (not sensitive) of the `disclosure-counts` catalogue.
const RECEIVED_COUNT: &str = "\n[[indicator]]\nid = \"received-count\"\ncode = \"C3\"\n\
    name = { vi = \"Tiếp nhận\", en = \"Received\" }\ngroup = \"wa\"\nmeasure = \"count\"\nnumerator = \"received\"\n\
    direction = \"increase\"\nsource = \"src\"\n";

/// How a province's victims and its received count are related, as a reader knows from the catalogue.
#[derive(Debug, Clone, Copy)]
enum Bound {
    /// k x victims + c <= received (`victims < received` is c = 1 for whole numbers).
    AtMost(i64, i64),
    /// victims >= received.
    AtLeast,
    /// victims = received.
    Equal,
}

/// A validation rule `victims OPERATOR received` as catalogue TOML.
fn rule(operator: &str) -> String {
    rule_of("victims", operator)
}

/// A validation rule `LEFT OPERATOR received` as catalogue TOML.
fn rule_of(left: &str, operator: &str) -> String {
    format!(
        "{RECEIVED_COUNT}\n[[validation_rule]]\nid = \"vic-rec\"\nname = {{ vi = \"Quy tắc\", en = \"Rule\" }}\n\
         left = \"{left}\"\noperator = \"{operator}\"\nright = \"received\"\n"
    )
}

/// A share of the victims in the received, at most 100 % by its limit: victims <= received without a rule.
fn limited_share() -> String {
    format!(
        "{RECEIVED_COUNT}\n[[indicator]]\nid = \"identified-share\"\ncode = \"S1\"\n\
         name = {{ vi = \"Tỷ lệ\", en = \"Share\" }}\ngroup = \"wa\"\nmeasure = \"percent\"\nnumerator = \"victims\"\n\
         denominator = \"received\"\ndirection = \"increase\"\nsource = \"src\"\nlimit = 100\n"
    )
}

/// Victims and received at provinces A, B and C in 2024.
fn data(rows: [(u32, u32); 3]) -> String {
    let mut out = String::from("data_element,org_unit,period,value,source\n");
    for (unit, (victims, received)) in ["prov-a", "prov-b", "prov-c"].iter().zip(rows) {
        out += &format!("victims,{unit},2024,{victims},src\nreceived,{unit},2024,{received},src\n");
    }
    out
}

/// The 2024 value `indicator` publishes at `unit`, if any.
fn shown(json: &Value, indicator: &str, unit: &str) -> Option<i64> {
    field(json, (indicator, unit, "2024"), "value").map(|v| v as i64)
}

/// A field (`value`, `denominator`) of the point of `indicator` at a unit and period, where it is published.
fn field(json: &Value, (indicator, unit, period): (&str, &str, &str), name: &str) -> Option<f64> {
    let result =
        json["indicators"].as_array()?.iter().find(|r| r["org_unit"] == unit && r["indicator"] == indicator)?;
    result["series"].as_array()?.iter().find(|p| p["period"] == period)?[name].as_f64()
}

/// The values of A's victims (a small count) that a reader can work out from what `json` publishes, knowing
/// `bound` at each province, that A's is the small count, that any other hidden count of victims is 0 or at least
/// the threshold, and that the received are whole numbers from 0 up. Exact: for each choice of the victims, the
/// received that fit exist when their hidden ones can add up to what the country's total leaves for them.
fn readings_of_a(json: &Value, bound: Bound) -> BTreeSet<i64> {
    let units = ["prov-a", "prov-b", "prov-c"];
    let domain = |unit: &str| -> Vec<i64> {
        match shown(json, "victims-count", unit) {
            Some(value) => vec![value],
            None if unit == "prov-a" => (1..=10).collect(),
            None => std::iter::once(0).chain(11..=120).collect(),
        }
    };
    let received: Vec<Option<i64>> = units.iter().map(|u| shown(json, "received-count", u)).collect();
    let received_rest = shown(json, "received-count", "vn").map(|total| total - received.iter().flatten().sum::<i64>());
    let mut possible = BTreeSet::new();
    for a in domain("prov-a") {
        for b in domain("prov-b") {
            for c in domain("prov-c") {
                let victims = [a, b, c];
                if shown(json, "victims-count", "vn").is_some_and(|total| total != a + b + c) {
                    continue;
                }
                let fits = |v: i64, r: i64| match bound {
                    Bound::AtMost(k, c) => k * v + c <= r,
                    Bound::AtLeast => v >= r,
                    Bound::Equal => v == r,
                };
                if victims.iter().zip(&received).any(|(&v, r)| r.is_some_and(|r| !fits(v, r))) {
                    continue;
                }
                // The hidden received: each from its bound, all of them adding up to `received_rest`.
                let hidden: Vec<i64> =
                    victims.iter().zip(&received).filter(|(_, r)| r.is_none()).map(|(v, _)| *v).collect();
                let (low, high): (i64, Option<i64>) = match bound {
                    Bound::AtMost(k, c) => (hidden.iter().map(|v| k * v + c).sum(), None),
                    Bound::AtLeast => (0, Some(hidden.iter().sum())),
                    Bound::Equal => (hidden.iter().sum(), Some(hidden.iter().sum())),
                };
                let feasible = match received_rest {
                    Some(rest) => rest >= low && high.is_none_or(|h| rest <= h),
                    None => true,
                };
                if feasible {
                    possible.insert(a);
                }
            }
        }
    }
    possible
}

/// A rule or a limit that bounds A's small count of victims by a published count that is not sensitive: A's 2
/// victims beside 2 received (at most), 10 beside 9 or 10 (at least), 2 beside 2 (equal), 2 beside 4 under `<`
/// (1-3), 2 beside 7 under `victims <= received - 5`; where the two are equal the rule, not the values, says which
/// side is larger; a rule's coefficients and numbers count. Each gave A's count to 2 values
/// or fewer, verdict "protected" (round 48, found by a review helper). Now the reader who knows the catalogue's
/// bounds still has at least 4 values for it, or the run says it is unprotected.
#[test]
fn a_count_that_is_not_sensitive_bounds_no_hidden_count_narrowly() {
    let at_most = data([(2, 2), (40, 60), (50, 75)]);
    let cases: [(&str, String, &str, Bound); 9] = [
        ("rule victims <= received", rule("less_than_or_equal_to"), &at_most, Bound::AtMost(1, 0)),
        ("share limited to 100 %", limited_share(), &at_most, Bound::AtMost(1, 0)),
        (
            "rule victims >= received",
            rule("greater_than_or_equal_to"),
            &data([(10, 9), (40, 20), (50, 25)]),
            Bound::AtLeast,
        ),
        (
            "rule victims >= received, both 10",
            rule("greater_than_or_equal_to"),
            &data([(10, 10), (40, 20), (50, 25)]),
            Bound::AtLeast,
        ),
        (
            "rule 2 * victims <= received",
            rule_of("2 * victims", "less_than_or_equal_to"),
            &data([(2, 4), (40, 90), (50, 120)]),
            Bound::AtMost(2, 0),
        ),
        (
            "rule victims <= received / 2",
            rule_of("victims", "less_than_or_equal_to").replace("right = \"received\"", "right = \"received / 2\""),
            &data([(2, 4), (40, 90), (50, 120)]),
            Bound::AtMost(2, 0),
        ),
        ("rule victims < received", rule("less_than"), &data([(2, 4), (40, 60), (50, 75)]), Bound::AtMost(1, 1)),
        (
            "rule victims <= received - 5",
            rule("less_than_or_equal_to").replace("right = \"received\"", "right = \"received - 5\""),
            &data([(2, 7), (40, 60), (50, 75)]),
            Bound::AtMost(1, 5),
        ),
        ("rule victims == received", rule("equal_to"), &data([(2, 2), (40, 40), (50, 50)]), Bound::Equal),
    ];
    let mut narrowed = Vec::new();
    for (case, extra, data, bound) in cases {
        let folder = project("disclosure-counts", &extra, data);
        let (json, stderr) = support_eval(folder.path());
        assert_eq!(json["disclosure"]["verdict"], "protected", "{case}: {stderr}{}", json["disclosure"]);
        assert_eq!(shown(&json, "victims-count", "prov-a"), None, "{case}: A's small count is hidden");
        let readings = readings_of_a(&json, bound);
        if readings.len() < 4 {
            narrowed.push(format!("{case}: A's victims narrowed to {readings:?}"));
        }
    }
    assert!(narrowed.is_empty(), "{narrowed:#?}");
}

/// Without a rule or a limit the received are not related to the victims: A's received stays published beside its
/// hidden small count of victims (the audit hides no count it has no reason to).
#[test]
fn a_count_no_rule_relates_to_a_sensitive_one_stays_published() {
    let folder = project("disclosure-counts", RECEIVED_COUNT, &data([(2, 2), (40, 60), (50, 75)]));
    let (json, stderr) = support_eval(folder.path());
    assert_eq!(json["disclosure"]["verdict"], "protected", "{stderr}{}", json["disclosure"]);
    assert_eq!(shown(&json, "victims-count", "prov-a"), None);
    assert_eq!(shown(&json, "received-count", "prov-a"), Some(2));
}

/// A rule that equates sensitive counts (`victims == domestic + abroad`) gives any of them from the others where the
/// data keep it: A's 20 victims beside its 18 domestic, both published, gave its 2 abroad (round 48; such rules were
/// not in the audit). Now one of the three is hidden beside it, and no province's hidden cell is the only one of its
/// element under the country's published total.
#[test]
fn counts_a_rule_equates_give_no_hidden_one_away() {
    let extra = "\n[[data_element]]\nid = \"domestic\"\nname = { vi = \"Trong nước\", en = \"Domestic\" }\n\
        sensitive = true\n\n[[data_element]]\nid = \"abroad\"\nname = { vi = \"Nước ngoài\", en = \"Abroad\" }\n\
        sensitive = true\n\n[[indicator]]\nid = \"domestic-count\"\ncode = \"C4\"\n\
        name = { vi = \"Trong nước\", en = \"Domestic\" }\ngroup = \"wa\"\nmeasure = \"count\"\n\
        numerator = \"domestic\"\ndirection = \"decrease\"\nsource = \"src\"\n\n[[indicator]]\nid = \"abroad-count\"\n\
        code = \"C5\"\nname = { vi = \"Nước ngoài\", en = \"Abroad\" }\ngroup = \"wa\"\nmeasure = \"count\"\n\
        numerator = \"abroad\"\ndirection = \"decrease\"\nsource = \"src\"\n\n[[validation_rule]]\nid = \"split\"\n\
        name = { vi = \"Tổng\", en = \"Total\" }\nleft = \"victims\"\noperator = \"equal_to\"\n\
        right = \"domestic + abroad\"\n";
    let mut data = String::from("data_element,org_unit,period,value,source\n");
    for (unit, (domestic, abroad)) in ["prov-a", "prov-b", "prov-c"].iter().zip([(18, 2), (25, 15), (30, 20)]) {
        data += &format!(
            "victims,{unit},2024,{},src\ndomestic,{unit},2024,{domestic},src\nabroad,{unit},2024,{abroad},src\n",
            domestic + abroad
        );
    }
    let folder = project("disclosure-counts", extra, &data);
    let (json, stderr) = support_eval(folder.path());
    assert_eq!(json["disclosure"]["verdict"], "protected", "{stderr}{}", json["disclosure"]);
    assert_eq!(shown(&json, "abroad-count", "prov-a"), None, "A's 2 abroad is hidden");
    assert!(
        shown(&json, "victims-count", "prov-a").is_none() || shown(&json, "domestic-count", "prov-a").is_none(),
        "A's victims and domestic both published give its abroad"
    );
    for indicator in ["victims-count", "domestic-count", "abroad-count"] {
        let hidden = ["prov-a", "prov-b", "prov-c"].iter().filter(|u| shown(&json, indicator, u).is_none()).count();
        assert!(
            hidden != 1 || shown(&json, indicator, "vn").is_none(),
            "{indicator}: one hidden province under a published country total"
        );
    }
}

/// A bound through a chain of rules (`victims <= received <= screened`, the last two not sensitive): A's published
/// 2 screened bound its received, and so its victims, to 0-2 (round 48). Every count of the chain is in the audit,
/// and A's screened is hidden beside its victims.
#[test]
fn a_bound_through_a_chain_of_rules_is_seen() {
    let extra = format!(
        "{}\n[[data_element]]\nid = \"screened\"\nname = {{ vi = \"Sàng lọc\", en = \"Screened\" }}\n\n\
         [[indicator]]\nid = \"screened-count\"\ncode = \"C6\"\nname = {{ vi = \"Sàng lọc\", en = \"Screened\" }}\n\
         group = \"wa\"\nmeasure = \"count\"\nnumerator = \"screened\"\ndirection = \"increase\"\nsource = \"src\"\n\n\
         [[validation_rule]]\nid = \"rec-scr\"\nname = {{ vi = \"Quy tắc\", en = \"Rule\" }}\nleft = \"received\"\n\
         operator = \"less_than_or_equal_to\"\nright = \"screened\"\n",
        rule("less_than_or_equal_to")
    );
    let mut data = data([(2, 2), (40, 60), (50, 75)]);
    data += "screened,prov-a,2024,2,src\nscreened,prov-b,2024,70,src\nscreened,prov-c,2024,90,src\n";
    let folder = project("disclosure-counts", &extra, &data);
    let (json, stderr) = support_eval(folder.path());
    assert_eq!(json["disclosure"]["verdict"], "protected", "{stderr}{}", json["disclosure"]);
    assert_eq!(shown(&json, "victims-count", "prov-a"), None);
    assert_eq!(shown(&json, "received-count", "prov-a"), None, "A's 2 received bound its victims");
    assert_eq!(shown(&json, "screened-count", "prov-a"), None, "A's 2 screened bound its received");
}

/// A ratio of counts that are not sensitive, matched unit by unit, leaves out a unit that reports its denominator
/// alone: the country's published received less the ratio's matched denominator is that unit's received, hidden
/// because it bounds the unit's small count of victims (`victims <= received`). The ratio is hidden at the country
/// as it is for a sensitive part (round 48).
#[test]
fn a_matched_ratio_gives_no_hidden_bound_away() {
    let extra = format!(
        "{}\n[[data_element]]\nid = \"resolved\"\nname = {{ vi = \"Giải quyết\", en = \"Resolved\" }}\n\n\
         [[indicator]]\nid = \"resolution-rate\"\ncode = \"T2\"\nname = {{ vi = \"Tỷ lệ\", en = \"Rate\" }}\n\
         group = \"wa\"\nmeasure = \"percent\"\nnumerator = \"resolved\"\ndenominator = \"received\"\n\
         direction = \"increase\"\nsource = \"src\"\n",
        rule("less_than_or_equal_to")
    );
    let data = data([(2, 2), (40, 60), (50, 75)]) + "resolved,prov-b,2024,50,src\nresolved,prov-c,2024,70,src\n";
    let folder = project("disclosure-counts", &extra, &data);
    let (json, stderr) = support_eval(folder.path());
    assert_eq!(json["disclosure"]["verdict"], "protected", "{stderr}{}", json["disclosure"]);
    assert_eq!(shown(&json, "received-count", "prov-a"), None, "A's 2 received bound its victims");
    let denominator = field(&json, ("resolution-rate", "vn", "2024"), "denominator");
    if let (Some(total), Some(matched)) = (shown(&json, "received-count", "vn"), denominator) {
        panic!("the country's {total} received less the rate's matched {matched} is A's hidden received");
    }
}

/// The same where the unit left out is a commune no output shows: prov-c's published 62 received less its rate's
/// matched 60 is commune c1's 2, which bounds c1's small count of victims (`victims <= received`) to 1-2. The rate is
/// hidden at the province (round 48).
#[test]
fn a_matched_ratio_gives_no_commune_s_bound_away() {
    let extra = format!(
        "{RECEIVED_COUNT}\n[[org_unit]]\nid = \"c1\"\nname = {{ vi = \"Xã 1\", en = \"Commune 1\" }}\n\
         level = \"commune\"\nparent = \"prov-c\"\n\n[[org_unit]]\nid = \"c2\"\n\
         name = {{ vi = \"Xã 2\", en = \"Commune 2\" }}\nlevel = \"commune\"\nparent = \"prov-c\"\n\n\
         [[validation_rule]]\nid = \"vic-rec\"\nname = {{ vi = \"Quy tắc\", en = \"Rule\" }}\nleft = \"victims\"\n\
         operator = \"less_than_or_equal_to\"\nright = \"received\"\n"
    );
    let data = format!(
        "{HEADER}victims,c1,2023,,,2,src\nreceived,c1,2023,,,2,src\nvictims,c2,2023,,,40,src\n\
         received,c2,2023,,,60,src\nresolved,c2,2023,,,50,src\nvictims,prov-a,2023,,,30,src\n\
         received,prov-a,2023,,,40,src\nresolved,prov-a,2023,,,30,src\nvictims,prov-b,2023,,,60,src\n\
         received,prov-b,2023,,,70,src\nresolved,prov-b,2023,,,60,src\n"
    );
    let (stdout, stderr) = eval_with(&extra, &data, "json");
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}\n{stderr}"));
    assert_eq!(json["disclosure"]["verdict"], "protected", "{stderr}{}", json["disclosure"]);
    let rate = |unit: &str| field(&json, ("resolution-rate", unit, "2023"), "denominator");
    let received = |unit: &str| field(&json, ("received-count", unit, "2023"), "value");
    if let (Some(total), Some(matched)) = (received("prov-c"), rate("prov-c")) {
        panic!("prov-c's {total} received less its rate's matched {matched} is c1's received");
    }
}

/// Data that break a strict rule at equality (2 victims beside 2 received under `victims < received`) give no bound
/// from it: the audit runs, and A's small count is hidden as usual.
#[test]
fn a_strict_rule_the_data_break_bounds_nothing() {
    let folder = project("disclosure-counts", &rule("less_than"), &data([(2, 2), (40, 60), (50, 75)]));
    let (json, stderr) = support_eval(folder.path());
    assert_eq!(json["disclosure"]["verdict"], "protected", "{stderr}{}", json["disclosure"]);
    assert_eq!(shown(&json, "victims-count", "prov-a"), None);
    assert!(readings_of_a(&json, Bound::AtMost(1, 0)).len() >= 4, "{}", json["disclosure"]);
}
