//! Completeness expects every period of a data set's type that is due by the as-of date, from the data set's first
//! (its `valid_from`, else the first period a unit at its level reported, else the whole window): a monthly form
//! that both provinces sent for January to March 2024 only read "3 of 3, 100 %" on 1 March 2025, where 12 months were
//! due (methodology §6; round 60, found by a review helper); months nobody sent between two reported ones, a
//! national figure before the first provincial report, figures before the form existed and a period not yet due
//! each moved the count (round 64, found by a review helper). Fixture: `tests/fixtures/completeness-trailing`.

#[path = "support/project.rs"]
mod support;

#[test]
fn the_months_nobody_reported_after_the_last_report_are_expected() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/completeness-trailing");
    let (json, stderr) = support::eval_json(&folder, &["--as-of", "2025-03-01", "--period", "2024"]);
    let completeness = &json["completeness"][0];
    assert_eq!((&completeness["expected"], &completeness["received"]), (&24.into(), &6.into()), "{stderr}");
    for unit in completeness["org_units"].as_array().expect("per unit") {
        assert_eq!((&unit["expected"], &unit["received"], &unit["rate"]), (&12.into(), &3.into(), &25.0.into()));
    }
    // Without a window, the months due by the as-of date are expected too: January 2024 to January 2025 (February's
    // deadline is 15 March).
    let (json, _) = support::eval_json(&folder, &["--as-of", "2025-03-01"]);
    assert_eq!(json["completeness"][0]["expected"], 26);
}

/// The fixture's catalogue with the monthly data set's `extra` lines, and `data` rows of `cases`
/// (`unit,period`).
fn project(extra: &str, rows: &[(&str, &str)]) -> tempfile::TempDir {
    let catalogue = support::fixture("completeness-trailing/catalogue.toml") + extra;
    let data: String = std::iter::once("data_element,org_unit,period,value,source\n".to_owned())
        .chain(rows.iter().map(|(unit, period)| format!("cases,{unit},{period},5,src\n")))
        .collect();
    support::project(&catalogue, &data, "")
}

/// A completeness row: (period, expected, received).
type Row = (String, u64, u64);

/// (period, expected, received) of each row of the first data set's completeness, and (expected, received).
fn rows(folder: &std::path::Path, as_of: &str) -> (Vec<Row>, (u64, u64)) {
    let (json, stderr) = support::eval_json(folder, &["--as-of", as_of]);
    let completeness = &json["completeness"][0];
    let number = |v: &serde_json::Value| v.as_u64().unwrap_or_else(|| panic!("{v}: {stderr}"));
    let rows = completeness["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| (p["period"].as_str().expect("id").to_owned(), number(&p["expected"]), number(&p["received"])))
        .collect();
    (rows, (number(&completeness["expected"]), number(&completeness["received"])))
}

fn row(period: &str, expected: u64, received: u64) -> Row {
    (period.to_owned(), expected, received)
}

/// A month nobody reported between two reported ones is expected of both provinces, and so are the months before a
/// report sent ahead of its deadline.
#[test]
fn the_months_nobody_reported_between_reports_are_expected() {
    let folder = project("", &[("prov-a", "2024-01"), ("prov-b", "2024-03"), ("prov-b", "2024-04")]);
    let (rows, totals) = rows(folder.path(), "2024-05-20");
    assert_eq!(rows, [row("2024-01", 2, 1), row("2024-02", 2, 0), row("2024-03", 2, 1), row("2024-04", 2, 1)]);
    assert_eq!(totals, (8, 3));
    // December sent on 2 January, before its 15 January deadline: counted for B alone; February to November due.
    let folder = project("", &[("prov-a", "2024-01"), ("prov-b", "2024-06"), ("prov-b", "2024-12")]);
    let (rows, totals) = self::rows(folder.path(), "2025-01-10");
    assert_eq!(rows.len(), 12);
    assert_eq!(rows.last(), Some(&row("2024-12", 1, 1)));
    assert_eq!(totals, (23, 3));
}

/// Only reports of units at the data set's level say when it began: a national figure of 2023 does not make the
/// provinces' monthly form missing from then.
#[test]
fn a_figure_of_another_level_does_not_start_the_data_set() {
    let folder = project("", &[("vn", "2023-06"), ("prov-a", "2024-01")]);
    let (rows, _) = rows(folder.path(), "2024-02-20");
    assert_eq!(rows, [row("2024-01", 2, 1)]);
}

/// A form in use from 1 March 2024: expected from March whether or not anyone reported before it (those figures are
/// not its reports), and expected even where nobody ever sent it.
#[test]
fn a_form_is_expected_from_its_first_day_of_use() {
    let extra = "valid_from = 2024-03-01\n";
    let with_earlier = project(extra, &[("prov-a", "2023-11"), ("prov-a", "2024-01"), ("prov-a", "2024-04")]);
    let without = project(extra, &[("prov-a", "2024-04")]);
    let expected = vec![row("2024-03", 2, 0), row("2024-04", 2, 1)];
    assert_eq!(rows(with_earlier.path(), "2024-05-20").0, expected);
    assert_eq!(rows(without.path(), "2024-05-20").0, expected);
    let never = project(extra, &[("prov-a", "2023-11")]);
    assert_eq!(rows(never.path(), "2024-05-20"), (vec![row("2024-03", 2, 0), row("2024-04", 2, 0)], (4, 0)));
}

/// The review's table lists the units that sent some report; those that sent none are one line per data set, named
/// (97 rows of 0 % hid the national ones; round 64, found by a reader of the review).
#[test]
fn units_that_sent_nothing_are_one_line_of_the_review() {
    let folder = project("", &[("prov-a", "2024-01"), ("prov-a", "2024-02")]);
    let review = support::report(folder.path(), ("2024-03-20", "2024", "en,vi"));
    let en = std::fs::read_to_string(review.join("en/review.md")).expect("the English review");
    assert!(en.contains("| Province A | Monthly | 2 | 2 | — | 100.0% |"), "{en}");
    assert!(!en.contains("| Province B |"), "{en}");
    assert!(
        en.contains("\nMonthly: no report in the review's data from 1 area (2 reports expected): Province B.\n"),
        "{en}"
    );
    let vi = std::fs::read_to_string(review.join("vi/review.md")).expect("the Vietnamese review");
    assert!(
        vi.contains(
            "\nBC tháng: không có báo cáo nào của 1 địa bàn trong số liệu của báo cáo đánh giá (2 báo cáo dự kiến): Tỉnh B.\n"
        ),
        "{vi}"
    );
}

/// A figure another agency published (the US State Department's TIP report quoting the government's count), or
/// that the editors derived, is no report of a data set that names its reporters: the month is missing, and the
/// review says why under its table (round 67, found by a reader of the review: the national yearly report read 75 %
/// with 2021 "received" on the TIP report's counts). An unknown reporter is an error at its place.
#[test]
fn figures_another_agency_published_or_derived_are_no_report_received() {
    let extra = "reported_by = [\"committee\"]\n\n\
        [[agency]]\nid = \"committee\"\nname = { vi = \"Ban\", en = \"Committee\" }\n\n\
        [[agency]]\nid = \"usdos\"\nname = { vi = \"Bộ Ngoại giao Hoa Kỳ\", en = \"US State Department\" }\n\n\
        [[source]]\nid = \"tip\"\ntitle = { vi = \"TIP\", en = \"TIP\" }\nissuer = \"usdos\"\n\n\
        [[source]]\nid = \"calc\"\ntitle = { vi = \"Tính\", en = \"Computed\" }\nkind = \"derived\"\n";
    let catalogue = support::fixture("completeness-trailing/catalogue.toml") + extra;
    let data = "data_element,org_unit,period,value,source\n\
        cases,prov-a,2024-01,5,src\ncases,prov-b,2024-01,5,tip\ncases,prov-a,2024-02,5,calc\ncases,prov-b,2024-02,5,src\n";
    let folder = support::project(&catalogue, data, "");
    assert_eq!(rows(folder.path(), "2024-03-20"), (vec![row("2024-01", 2, 1), row("2024-02", 2, 1)], (4, 2)));
    let review = support::report(folder.path(), ("2024-03-20", "2024", "en,vi"));
    let en = std::fs::read_to_string(review.join("en/review.md")).expect("the English review");
    assert!(en.contains("| Province A | Monthly | 2 | 1 | — | 50.0% |"), "{en}");
    let why = "the report of Feb 2024 is not counted as received: figures of it in the data are quoted in another \
        agency's publication or derived by the editors, not reported.";
    assert!(en.contains(&format!("\nProvince A, Monthly: {why}\n")), "{en}");
    assert!(en.contains("\nProvince B, Monthly: the report of Jan 2024 is not counted"), "{en}");
    let vi = std::fs::read_to_string(review.join("vi/review.md")).expect("the Vietnamese review");
    assert!(vi.contains("\nTỉnh A, BC tháng: báo cáo tháng 2/2024 không được tính là đã nhận"), "{vi}");

    let wrong = support::fixture("completeness-trailing/catalogue.toml") + "reported_by = [\"nobody\"]\n";
    let folder = support::project(&wrong, "data_element,org_unit,period,value,source\n", "");
    let (code, stdout, _) = support::run_in(folder.path(), &["check"]);
    assert_ne!(code, Some(0), "{stdout}");
    assert!(stdout.contains("unknown agency `nobody`") && stdout.contains("catalogue.toml:82:16"), "{stdout}");
}

/// A unit and its continuation (one unit's only successor, from the next day, under the same name) that both sent
/// nothing are one area of the review's line, under the plain name (round 67, found by a reader of the review: the
/// provinces the 2025 merger left unchanged were listed twice, dated, and counted as two areas each).
#[test]
fn a_silent_unit_and_its_silent_continuation_are_one_area() {
    let units = "\n[[org_unit]]\nid = \"prov-c\"\nname = { vi = \"Tỉnh C\", en = \"Province C\" }\nlevel = \"province\"\n\
        parent = \"vn\"\nvalid_to = 2024-01-31\nsuccessors = [\"prov-c-2\"]\n\n\
        [[org_unit]]\nid = \"prov-c-2\"\nname = { vi = \"Tỉnh C\", en = \"Province C\" }\nlevel = \"province\"\n\
        parent = \"vn\"\nvalid_from = 2024-02-01\n";
    let catalogue = support::fixture("completeness-trailing/catalogue.toml") + units;
    let folder =
        support::project(&catalogue, "data_element,org_unit,period,value,source\ncases,prov-a,2024-01,5,src\n", "");
    let review = support::report(folder.path(), ("2024-03-20", "2024", "en,vi"));
    let en = std::fs::read_to_string(review.join("en/review.md")).expect("the English review");
    let line = "\nMonthly: no report in the review's data from 2 areas (4 reports expected): Province B, Province C.\n";
    assert!(en.contains(line), "{en}");
}

/// Areas the line would name alike in either language are told apart: by their dates (a province renamed in
/// Vietnamese only), else by their ids (two districts of one name) (round 67, found by a verifier: "Province M,
/// Province M").
#[test]
fn silent_areas_of_one_name_are_told_apart() {
    let unit = |id: &str, vi: &str, en: &str, extra: &str| {
        format!(
            "\n[[org_unit]]\nid = \"{id}\"\nname = {{ vi = \"{vi}\", en = \"{en}\" }}\nlevel = \"province\"\nparent = \"vn\"\n{extra}"
        )
    };
    let units = [
        unit("prov-m1", "Tỉnh M", "Province M", ""),
        unit("prov-m2", "Tỉnh M", "Province M", ""),
        unit("prov-g", "Tỉnh G cũ", "Province G", "valid_to = 2024-01-31\nsuccessors = [\"prov-g2\"]\n"),
        unit("prov-g2", "Tỉnh G mới", "Province G", "valid_from = 2024-02-01\n"),
    ]
    .concat();
    let catalogue = support::fixture("completeness-trailing/catalogue.toml") + &units;
    let data = "data_element,org_unit,period,value,source\ncases,prov-a,2024-01,5,src\ncases,prov-b,2024-01,5,src\n";
    let folder = support::project(&catalogue, data, "");
    let review = support::report(folder.path(), ("2024-03-20", "2024", "en,vi"));
    let en = std::fs::read_to_string(review.join("en/review.md")).expect("the English review");
    let line = "no report in the review's data from 4 areas (6 reports expected): Province G (until 31 Jan 2024), Province G (from \
        1 Feb 2024), Province M (prov-m1), Province M (prov-m2).";
    assert!(en.contains(line), "{en}");
}

/// A continuation that sent nothing beside its predecessor that reported keeps its date, and one area of two records
/// beside another area of its name is told apart by id, never by a date that is not its own (round 67, found by a
/// verifier: "Province D" listed silent under a table where Province D had sent all its reports).
#[test]
fn a_silent_continuation_of_a_reporting_unit_keeps_its_date() {
    let unit = |id: &str, extra: &str| {
        let name = if id.starts_with("prov-d") { "D" } else { "P" };
        format!(
            "\n[[org_unit]]\nid = \"{id}\"\nname = {{ vi = \"Tỉnh {name}\", en = \"Province {name}\" }}\n\
             level = \"province\"\nparent = \"vn\"\n{extra}"
        )
    };
    let units = [
        unit("prov-d", "valid_to = 2024-01-31\nsuccessors = [\"prov-d2\"]\n"),
        unit("prov-d2", "valid_from = 2024-02-01\n"),
        unit("prov-p", "valid_to = 2024-01-31\nsuccessors = [\"prov-p2\"]\n"),
        unit("prov-p2", "valid_from = 2024-02-01\n"),
        unit("prov-p-other", ""),
    ]
    .concat();
    let catalogue = support::fixture("completeness-trailing/catalogue.toml") + &units;
    let data = "data_element,org_unit,period,value,source\ncases,prov-a,2024-01,5,src\ncases,prov-b,2024-01,5,src\n\
        cases,prov-d,2024-01,5,src\n";
    let folder = support::project(&catalogue, data, "");
    let review = support::report(folder.path(), ("2024-03-20", "2024", "en"));
    let en = std::fs::read_to_string(review.join("review.md")).expect("the English review");
    let line = "no report in the review's data from 3 areas (5 reports expected): Province D (from 1 Feb 2024), Province P \
        (prov-p-other), Province P (prov-p2).";
    assert!(en.contains(line), "{en}");
}

/// A run of one unit (`--plan` of a provincial plan, `--org-unit`) counts that unit's reports and those of the units
/// inside it, not every province's: Hà Tĩnh's plan run said "2 of 136 reports (1.5%)" for a province that sent two
/// of its four quarters (round 68, found by a newcomer). Fixture: `tests/fixtures/newcomer/plan-warnings`.
#[test]
fn a_run_of_one_unit_counts_the_reports_of_that_unit() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/newcomer/plan-warnings");
    for args in [&["--plan", "kh-ca-ht-2026"][..], &["--org-unit", "ha-tinh-2025", "--period", "2026"]] {
        let (code, stdout, stderr) =
            support::run_in(&fixture, &[&["eval", "--as-of", "2027-01-20"][..], args].concat());
        assert!(code.is_some_and(|c| c <= 1), "{stderr}");
        assert!(stdout.contains("Completeness of provincial-quarterly: 2 of 4 reports (50.0%)"), "{args:?}: {stdout}");
    }
    let (_, whole, _) = support::run_in(&fixture, &["eval", "--as-of", "2027-01-20", "--period", "2026"]);
    assert!(whole.contains("Completeness of provincial-quarterly: 2 of 136 reports"), "{whole}");
}
