//! Tests of period ids, their days, shifts by years and subdivisions (`period.rs`).

use super::*;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[test]
fn parses_and_formats_round_trip() {
    let cases = [
        ("2023", "2023", "2023-01-01", "2023-12-31"),
        ("2023S1", "2023S1", "2023-01-01", "2023-06-30"),
        ("2023S2", "2023S2", "2023-07-01", "2023-12-31"),
        ("2023Q1", "2023Q1", "2023-01-01", "2023-03-31"),
        ("2024Q4", "2024Q4", "2024-10-01", "2024-12-31"),
        ("2024-02", "2024-02", "2024-02-01", "2024-02-29"),
        ("2023-02", "2023-02", "2023-02-01", "2023-02-28"),
        ("2021..2025", "2021-01-01..2025-12-31", "2021-01-01", "2025-12-31"),
        ("2024-03-17..2024-12-31", "2024-03-17..2024-12-31", "2024-03-17", "2024-12-31"),
        (" 2022 ", "2022", "2022-01-01", "2022-12-31"),
    ];
    for (input, shown, start, end) in cases {
        let period = Period::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(period.to_string(), shown, "{input}");
        assert_eq!(period.start(), date(start), "{input}");
        assert_eq!(period.end(), date(end), "{input}");
        assert_eq!(Period::parse(&period.to_string()).unwrap(), period, "{input}");
    }
}

#[test]
fn rejects_bad_ids() {
    let cases = [
        ("", "not a period id"),
        ("23", "not a period id"),
        ("2023Q5", "the quarter must be between 1 and 4"),
        ("2023Q0", "the quarter must be between 1 and 4"),
        ("2023S3", "the half must be between 1 and 2"),
        ("2023-13", "the month must be between 1 and 12"),
        ("2023-1", "not a period id"),
        ("2023H1", "not a period id"),
        ("abcd", "not a period id"),
        ("2025..2021", "ends before it starts"),
        ("2023-02-30..2023-03-01", "not a period id"),
        ("1066", "year out of the supported range"),
        ("năm2", "not a period id"),
        ("2023Q", "not a period id"),
    ];
    for (input, expected) in cases {
        let error = Period::parse(input).expect_err(input).to_string();
        assert!(error.contains(expected), "{input}: {error}");
    }
}

#[test]
fn containment_overlap_and_order() {
    let p = |s: &str| Period::parse(s).unwrap();
    assert!(p("2023").contains(&p("2023Q2")));
    assert!(p("2023S1").contains(&p("2023Q2")));
    assert!(!p("2023S1").contains(&p("2023Q3")));
    assert!(p("2021..2025").contains(&p("2024-07")));
    assert!(!p("2024Q1").contains(&p("2024")));
    assert!(p("2024Q1").overlaps(&p("2024")));
    assert!(!p("2024Q1").overlaps(&p("2024Q2")));
    let mut periods = [p("2023Q2"), p("2023"), p("2022"), p("2023Q1"), p("2023S1")];
    periods.sort();
    let shown: Vec<String> = periods.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["2022", "2023Q1", "2023S1", "2023", "2023Q2"]);
}

#[test]
fn same_period_last_year_and_subdivision() {
    let p = |s: &str| Period::parse(s).unwrap();
    assert_eq!(p("2023Q1").same_period_last_year(), p("2022Q1"));
    assert_eq!(p("2023S1").same_period_last_year(), p("2022S1"));
    assert_eq!(p("2024-02-29..2024-12-31").same_period_last_year(), p("2023-02-28..2023-12-31"));
    let quarters: Vec<String> = p("2023").subdivide(PeriodType::Quarter).iter().map(ToString::to_string).collect();
    assert_eq!(quarters, ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]);
    let years: Vec<String> = p("2021..2023").subdivide(PeriodType::Year).iter().map(ToString::to_string).collect();
    assert_eq!(years, ["2021", "2022", "2023"]);
    assert_eq!(p("2024-03-17..2024-12-31").subdivide(PeriodType::Quarter).len(), 3);
    assert_eq!(Period::containing(date("2025-07-01"), PeriodType::Half), p("2025S2"));
}

#[test]
fn years_from_another_day() {
    let p = |s: &str| Period::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
    let cases = [
        ("2022Oct", "2022-10-01", "2023-09-30"),
        ("2022April", "2022-04-01", "2023-03-31"),
        ("2022July", "2022-07-01", "2023-06-30"),
        ("2022Nov", "2022-11-01", "2023-10-31"),
        ("2022Sep", "2022-09-01", "2023-08-31"),
        ("2022Dec15", "2022-12-15", "2023-12-14"),
        ("2023Feb28", "2023-02-28", "2024-02-27"),
        ("2023Jan15", "2023-01-15", "2024-01-14"),
    ];
    for (input, start, end) in cases {
        let period = p(input);
        assert_eq!(period.to_string(), input);
        assert_eq!((period.start(), period.end()), (date(start), date(end)), "{input}");
        assert_eq!(period.year(), date(start).year(), "{input}");
    }
    assert_eq!(p("2022Oct"), Period::YearFrom(2022, YearStart::OCTOBER));
    assert_eq!(p("2022Dec15"), Period::YearFrom(2022, YearStart::DECEMBER_15));
    assert_eq!(p("2022Oct").period_type(), PeriodType::YearFrom(YearStart::OCTOBER));
    assert_ne!(p("2022Oct").period_type(), PeriodType::Year);
    assert_ne!(p("2022Oct").period_type(), p("2022Dec15").period_type());
    assert_eq!(p("2022Oct").same_period_last_year(), p("2021Oct"));
    assert_eq!(p("2022Dec15").shift_years(2), p("2024Dec15"));
    assert!(p("2022Oct").contains(&p("2023-09")));
    assert!(p("2022Oct").contains(&p("2022Q4")));
    assert!(!p("2022Oct").contains(&p("2023")));
    assert!(!p("2022Oct").contains(&p("2023-10")));
    assert_eq!(Period::containing(date("2023-09-30"), p("2022Oct").period_type()), p("2022Oct"));
    assert_eq!(Period::containing(date("2023-12-14"), p("2022Dec15").period_type()), p("2022Dec15"));
    assert_eq!(Period::containing(date("2023-12-15"), p("2022Dec15").period_type()), p("2023Dec15"));
    // Ordered by start, then end: the judicial year after the quarter that starts with it.
    let mut periods = [p("2023"), p("2022Oct"), p("2022Q4"), p("2022Dec15"), p("2022")];
    periods.sort();
    let shown: Vec<String> = periods.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["2022", "2022Q4", "2022Oct", "2022Dec15", "2023"]);
}

#[test]
fn rejects_bad_years_from_another_day() {
    let cases = [
        ("2022Dec29", "day 1 to 28"),
        ("2022Feb31", "day 1 to 28"),
        ("2022Jan", "the calendar year; write `2022`"),
        ("2022Jan1", "the calendar year; write `2022`"),
        ("2022Oct1", "write `2022Oct`"),
        ("2022October", "not a period id"),
        ("2022Apr", "not a period id"),
        ("2022oct", "not a period id"),
        ("2022Oct01", "not a period id"),
        ("2022Dec0", "not a period id"),
        ("2022Dec150", "not a period id"),
        ("2022Oct-1", "not a period id"),
    ];
    for (input, expected) in cases {
        let error = Period::parse(input).expect_err(input).to_string();
        assert!(error.contains(expected), "{input}: {error}");
    }
    assert!(Period::parse("x").unwrap_err().to_string().contains("`2022Dec15`"));
}

#[test]
fn a_year_from_another_day_divides_only_into_periods_that_tile_it() {
    let p = |s: &str| Period::parse(s).unwrap();
    let ids = |periods: Vec<Period>| periods.iter().map(ToString::to_string).collect::<Vec<_>>();
    let months = p("2022Oct").subdivide(PeriodType::Month);
    assert_eq!(months.len(), 12);
    assert_eq!((months[0], months[11]), (p("2022-10"), p("2023-09")));
    assert_eq!(ids(p("2022Oct").subdivide(PeriodType::Quarter)), ["2022Q4", "2023Q1", "2023Q2", "2023Q3"]);
    assert!(p("2022Oct").subdivide(PeriodType::Half).is_empty());
    assert!(p("2022Oct").subdivide(PeriodType::Year).is_empty());
    assert_eq!(ids(p("2022July").subdivide(PeriodType::Half)), ["2022S2", "2023S1"]);
    assert_eq!(p("2022Nov").subdivide(PeriodType::Month).len(), 12);
    assert!(p("2022Nov").subdivide(PeriodType::Quarter).is_empty());
    for period_type in [PeriodType::Year, PeriodType::Half, PeriodType::Quarter, PeriodType::Month] {
        assert!(p("2022Dec15").subdivide(period_type).is_empty(), "{period_type}");
    }
    // A range lists the shifted years within it, as it lists other types.
    assert_eq!(ids(p("2021..2024").subdivide(p("2022Oct").period_type())), ["2021Oct", "2022Oct", "2023Oct"]);
}

/// A date range is divided for its value only into periods that tile it, as a year from another day is: the
/// range `2022-07-01..2023-06-30` exactly as `2022July`; a range that does not start on the 1st of a month or end
/// on the last day of one has no such periods (`2024-03-17..2024-12-31`), though periods lie within it.
#[test]
fn a_range_of_whole_months_is_tiled_as_the_year_with_its_days() {
    let p = |s: &str| Period::parse(s).unwrap();
    let ids = |periods: Vec<Period>| periods.iter().map(ToString::to_string).collect::<Vec<_>>();
    let types = [PeriodType::Year, PeriodType::Half, PeriodType::Quarter, PeriodType::Month];
    for (range, standard) in [("2022-07-01..2023-06-30", "2022July"), ("2022-10-01..2023-09-30", "2022Oct")] {
        for period_type in types {
            assert_eq!(p(range).tiling(period_type), p(standard).subdivide(period_type), "{range} {period_type}");
        }
        assert_eq!(p(range).standard_with_same_days(), Some(p(standard)));
    }
    assert_eq!(ids(p("2022-07-01..2023-06-30").tiling(PeriodType::Half)), ["2022S2", "2023S1"]);
    assert_eq!(ids(p("2022-08-01..2022-12-31").tiling(PeriodType::Month)).len(), 5);
    assert!(p("2022-08-01..2022-12-31").tiling(PeriodType::Quarter).is_empty());
    assert_eq!(ids(p("2021..2023").tiling(PeriodType::Year)), ["2021", "2022", "2023"]);
    for period_type in types {
        assert!(p("2024-03-17..2024-12-31").tiling(period_type).is_empty(), "{period_type}");
    }
    assert_eq!(p("2024-03-17..2024-12-31").subdivide(PeriodType::Quarter).len(), 3);
    assert!(p("2024-03-17..2024-12-31").standard_with_same_days().is_none());
    assert_eq!(p("2023-04-01..2023-06-30").standard_with_same_days(), Some(p("2023Q2")));
    assert_eq!(p("2023-01-01..2023-12-31").standard_with_same_days(), Some(p("2023")));
    assert_eq!(p("2023Q2").standard_with_same_days(), None);
    for (period, whole) in [
        ("2022-07-01..2023-06-30", true),
        ("2024-02-01..2024-02-29", true),
        ("2023-02-01..2023-02-28", true),
        ("2024-02-01..2024-02-28", false),
        ("2024-03-17..2024-12-31", false),
        ("2024-03-01..2024-12-30", false),
        ("2022Oct", true),
        ("2022Dec15", false),
        ("2023Q3", true),
    ] {
        assert_eq!(p(period).is_whole_months(), whole, "{period}");
    }
    // A range of whole months stays one a year earlier or later: 28 February of a common year is the end of its
    // month, and so is 29 February of a leap year.
    assert_eq!(p("2023-03-01..2024-02-29").same_period_last_year(), p("2022-03-01..2023-02-28"));
    assert_eq!(p("2022-03-01..2023-02-28").shift_years(1), p("2023-03-01..2024-02-29"));
    assert_eq!(p("2024-02-01..2024-02-29").shift_years(-1), p("2023-02-01..2023-02-28"));
    // Other ranges keep their days (29 February becomes 28 February).
    assert_eq!(p("2023-02-10..2023-02-28").shift_years(1), p("2024-02-10..2024-02-28"));
}

/// Every start day over three decades: ids round trip, consecutive years touch, and each day of a year lies in it.
#[test]
fn every_start_day_round_trips_and_tiles_time() {
    for month in 1..=12u8 {
        for day in 1..=28u8 {
            let Some(start) = YearStart::new(month, day) else {
                assert_eq!((month, day), (1, 1));
                continue;
            };
            let period_type = PeriodType::YearFrom(start);
            assert_eq!(period_type.to_string().parse::<PeriodType>(), Ok(period_type));
            for year in 2000..2030 {
                let period = Period::YearFrom(year, start);
                assert_eq!(Period::parse(&period.to_string()), Ok(period));
                assert_eq!(period.end().succ_opt(), Some(period.shift_years(1).start()), "{period}");
                assert_eq!(Period::containing(period.start(), period_type), period);
                assert_eq!(Period::containing(period.end(), period_type), period);
                let days = (period.end() - period.start()).num_days() + 1;
                assert!(days == 365 || days == 366, "{period}: {days}");
            }
        }
    }
    for invalid in [(0, 1), (13, 1), (2, 0), (2, 29), (1, 1)] {
        assert_eq!(YearStart::new(invalid.0, invalid.1), None);
    }
}

/// Every kind of period, including years from another day and ranges that match calendar periods exactly.
fn some_period() -> impl proptest::strategy::Strategy<Value = Period> {
    use proptest::prelude::*;
    let year = 2019i32..2024;
    prop_oneof![
        year.clone().prop_map(Period::Year),
        (year.clone(), 1u8..=2).prop_map(|(y, h)| Period::Half(y, h)),
        (year.clone(), 1u8..=4).prop_map(|(y, q)| Period::Quarter(y, q)),
        (year.clone(), 1u8..=12).prop_map(|(y, m)| Period::Month(y, m)),
        (year.clone(), prop::sample::select(vec![YearStart::OCTOBER, YearStart::APRIL, YearStart::DECEMBER_15]))
            .prop_map(|(y, start)| Period::YearFrom(y, start)),
        (year.clone(), 1u8..=12, 0u8..14, 0i64..400).prop_map(|(y, m, kind, days)| {
            // Ranges that coincide with a month, a quarter or a year, and others.
            let month = Period::Month(y, m);
            match kind {
                0 => Period::Range(month.start(), month.end()),
                1 => Period::Range(Period::Year(y).start(), Period::Year(y).end()),
                _ => Period::Range(month.start(), month.start() + chrono::Days::new(days.unsigned_abs())),
            }
        }),
    ]
}

proptest::proptest! {
    /// The calendar shortcut orders periods exactly as their first day, last day and kind do.
    #[test]
    fn periods_order_by_their_days(a in some_period(), b in some_period()) {
        let by_days = (a.start(), a.end(), a.period_type()).cmp(&(b.start(), b.end(), b.period_type()));
        proptest::prop_assert_eq!(a.cmp(&b), by_days);
        proptest::prop_assert_eq!(a == b, by_days == Ordering::Equal);
    }

    /// The calendar shortcuts of containment, overlap and year agree with the days.
    #[test]
    fn containment_overlap_and_year_follow_the_days(a in some_period(), b in some_period()) {
        proptest::prop_assert_eq!(a.contains(&b), a.start() <= b.start() && b.end() <= a.end());
        proptest::prop_assert_eq!(a.overlaps(&b), a.start() <= b.end() && b.start() <= a.end());
        proptest::prop_assert_eq!(a.year(), a.start().year());
    }
}

#[test]
fn period_types_serialise_by_name_and_periods_stay_small() {
    let types = [
        PeriodType::Year,
        PeriodType::YearFrom(YearStart::OCTOBER),
        PeriodType::YearFrom(YearStart::APRIL),
        PeriodType::YearFrom(YearStart::DECEMBER_15),
        PeriodType::Quarter,
    ];
    let json = serde_json::to_string(&types).unwrap();
    assert_eq!(json, r#"["year","year-from-oct","year-from-april","year-from-dec15","quarter"]"#);
    assert_eq!(serde_json::from_str::<Vec<PeriodType>>(&json).unwrap(), types);
    assert!(serde_json::from_str::<PeriodType>(r#""year-from-jan""#).is_err());
    let period: Period = serde_json::from_str(r#""2022Oct""#).unwrap();
    assert_eq!(serde_json::to_string(&period).unwrap(), r#""2022Oct""#);
    assert!(std::mem::size_of::<Period>() <= 12);
}

/// (first day, last day, the coarsest calendar periods that tile them)
#[test]
fn calendar_pieces_are_the_coarsest_periods_that_tile_the_days() {
    let cases = [
        ("2024-05-01", "2024-12-31", "2024-05 2024-06 2024S2"),
        ("2024-01-01", "2025-06-30", "2024 2025S1"),
        ("2024-03-15", "2024-07-31", "2024-03-15..2024-03-31 2024Q2 2024-07"),
        ("2024-10-01", "2024-10-20", "2024-10-01..2024-10-20"),
        ("2024-02-01", "2024-02-29", "2024-02"),
    ];
    for (first, last, want) in cases {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        let pieces: Vec<String> =
            Period::calendar_pieces(day(first), day(last)).iter().map(|p| p.to_string()).collect();
        assert_eq!(pieces.join(" "), want, "{first}..{last}");
    }
}

/// The table of month days gives what chrono gives, for every month of every supported year and beyond them.
#[test]
fn the_month_table_agrees_with_chrono() {
    for year in MIN_YEAR - 2..=MAX_YEAR + 2 {
        for month in 1..=12u32 {
            let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap();
            let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
            let last = NaiveDate::from_ymd_opt(next_year, next_month, 1).unwrap().pred_opt().unwrap();
            assert_eq!(first_day(year, month), first, "{year}-{month}");
            assert_eq!(last_day_of_month(year, month), last, "{year}-{month}");
        }
    }
    assert_eq!(month_days(2024, 0), None);
    assert_eq!(month_days(2024, 13), None);
}
