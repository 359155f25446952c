//! Reporting periods: years, halves, quarters, months, years that start on another day, and custom date ranges.
//!
//! Period ids follow the DHIS2 conventions that Vietnamese reports map onto naturally:
//! `2023` (year), `2023S1` (first half, "6 tháng đầu năm"), `2023Q1` (quarter), `2023-03` (month) and
//! `2021-01-01..2025-12-31` (a custom inclusive range, e.g. a programme's lifetime). `2021..2025` is accepted as
//! a shorthand for whole years.
//!
//! A year that starts on another day than 1 January (the courts' judicial year from 1 October, many government
//! reporting years from 15 December) is named by the year in which it *starts* and its first day, as DHIS2 names
//! its financial years: `2022Oct` is 1 October 2022 - 30 September 2023 (DHIS2 `FinancialOct`), and likewise
//! `2022April`, `2022July` and `2022Nov` (DHIS2 `FinancialApril`, `FinancialJuly`, `FinancialNov`; DHIS2 period
//! types, "Date and period format" in the DHIS2 Web API documentation). The other months use three letters (`Feb`,
//! `Mar`, `May`, `Jun`, `Aug`, `Sep`, `Dec`; `2022Sep` and `2022Feb` are also DHIS2's spellings in its newer
//! versions). A first day other than the 1st is tiendo's extension: the day follows the month, `2022Dec15` is
//! 15 December 2022 - 14 December 2023. The day is 1 to 28 so that every year has it.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The spelling of each month in a period id of a year that starts on it: DHIS2's (`April`, `July`, `Oct`, `Nov`)
/// where it has one, else the English three-letter abbreviation. No spelling is a prefix of another.
const MONTH_IDS: [&str; 12] = ["Jan", "Feb", "Mar", "April", "May", "Jun", "July", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The first day of a year that does not start on 1 January: a month (1-12) and a day (1-28, a day every month of
/// every year has). 1 January is not a `YearStart`: a year from 1 January is the calendar year [`Period::Year`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearStart {
    month: u8,
    day: u8,
}

impl YearStart {
    /// 1 April (DHIS2 `FinancialApril`).
    pub const APRIL: YearStart = YearStart { month: 4, day: 1 };
    /// 1 July (DHIS2 `FinancialJuly`).
    pub const JULY: YearStart = YearStart { month: 7, day: 1 };
    /// 1 October (DHIS2 `FinancialOct`): the Vietnamese courts' judicial year.
    pub const OCTOBER: YearStart = YearStart { month: 10, day: 1 };
    /// 1 November (DHIS2 `FinancialNov`).
    pub const NOVEMBER: YearStart = YearStart { month: 11, day: 1 };
    /// 15 December: the reporting year of many yearly government reports.
    pub const DECEMBER_15: YearStart = YearStart { month: 12, day: 15 };

    /// The start `day` (1-28) of `month` (1-12); `None` outside those ranges and for 1 January.
    pub const fn new(month: u8, day: u8) -> Option<YearStart> {
        if month == 0 || month > 12 || day == 0 || day > 28 || (month == 1 && day == 1) {
            None
        } else {
            Some(YearStart { month, day })
        }
    }

    /// The month the year starts in, 1-12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month the year starts on, 1-28.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The first day of the year that starts in calendar year `year`.
    fn first_day(self, year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, u32::from(self.month), u32::from(self.day))
            .expect("a start day of 1-28 exists in every month of every supported year")
    }
}

/// The id suffix of a start day: `Oct`, `April`, `Dec15`.
impl fmt::Display for YearStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MONTH_IDS[usize::from(self.month - 1)])?;
        if self.day != 1 {
            write!(f, "{}", self.day)?;
        }
        Ok(())
    }
}

/// The kind of a period, used to declare how often data is reported and to keep series of one kind apart.
///
/// A year from another day is a type of its own for each start day: `2022Oct` and `2022Dec15` are different
/// series, and neither is a calendar year. Named in TOML and JSON `year`, `half`, `quarter`, `month`, `range`,
/// and `year-from-` with the id suffix in lower case for the others (`year-from-oct`, `year-from-dec15`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodType {
    Year,
    /// A year starting on the given day (not 1 January).
    YearFrom(YearStart),
    Half,
    Quarter,
    Month,
    Range,
}

impl fmt::Display for PeriodType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodType::Year => f.write_str("year"),
            PeriodType::YearFrom(start) => write!(f, "year-from-{}", start.to_string().to_lowercase()),
            PeriodType::Half => f.write_str("half"),
            PeriodType::Quarter => f.write_str("quarter"),
            PeriodType::Month => f.write_str("month"),
            PeriodType::Range => f.write_str("range"),
        }
    }
}

impl FromStr for PeriodType {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let unknown = || format!("unknown period type `{text}`");
        Ok(match text {
            "year" => PeriodType::Year,
            "half" => PeriodType::Half,
            "quarter" => PeriodType::Quarter,
            "month" => PeriodType::Month,
            "range" => PeriodType::Range,
            _ => {
                let suffix = text.strip_prefix("year-from-").ok_or_else(unknown)?;
                let (month, day) = parse_year_start(suffix, true).ok_or_else(unknown)?;
                PeriodType::YearFrom(YearStart::new(month, day).ok_or_else(unknown)?)
            }
        })
    }
}

impl Serialize for PeriodType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PeriodType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// (month, day) of an id suffix such as `Oct`, `April` or `Dec15` (`ignore_case` for period type names); `None`
/// when it names no month or the day is not a number of one or two digits. The day is not range-checked here.
fn parse_year_start(suffix: &str, ignore_case: bool) -> Option<(u8, u8)> {
    let (index, name) = MONTH_IDS.iter().enumerate().find(|(_, name)| {
        suffix
            .get(..name.len())
            .is_some_and(|head| if ignore_case { head.eq_ignore_ascii_case(name) } else { head == **name })
    })?;
    let day = &suffix[name.len()..];
    let day = if day.is_empty() {
        1
    } else if day.len() <= 2 && day.bytes().all(|b| b.is_ascii_digit()) && !day.starts_with('0') {
        day.parse().ok()?
    } else {
        return None;
    };
    Some((index as u8 + 1, day))
}

/// A reporting period. Ordered by start date, then by end date: a shorter period sorts before a longer one
/// that starts on the same day (`2023Q1` < `2023S1` < `2023`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Year(i32),
    /// Half year, 1 or 2.
    Half(i32, u8),
    /// Quarter, 1 to 4.
    Quarter(i32, u8),
    /// Month, 1 to 12.
    Month(i32, u8),
    /// The year that starts on the given day of the calendar year `i32` (`2022Oct`: 1 Oct 2022 - 30 Sep 2023).
    YearFrom(i32, YearStart),
    /// Inclusive date range.
    Range(NaiveDate, NaiveDate),
}

/// Why a period id could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error(
        "`{0}` is not a period id; expected `2023`, `2023S1`, `2023Q1`, `2023-03`, a year from another day such as \
         `2022Oct` (1 Oct 2022 - 30 Sep 2023) or `2022Dec15` (15 Dec 2022 - 14 Dec 2023) with the month spelled \
         Jan, Feb, Mar, April, May, Jun, July, Aug, Sep, Oct, Nov or Dec, or `2023-01-01..2023-06-30`"
    )]
    Syntax(String),
    #[error("`{0}`: a year can start only on day 1 to 28 of a month, a day that every year has")]
    StartDay(String),
    #[error("`{id}`: a year from 1 January is the calendar year; write `{year}`")]
    CalendarYear { id: String, year: i32 },
    #[error("`{id}`: a year from the 1st of a month is written without the day; write `{canonical}`")]
    FirstOfMonth { id: String, canonical: String },
    #[error("`{id}`: {what} must be between 1 and {max}")]
    OutOfRange { id: String, what: &'static str, max: u8 },
    #[error("`{0}`: the range ends before it starts")]
    Reversed(String),
    #[error("`{0}`: year out of the supported range 1900-2200")]
    Year(String),
}

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2200;

fn parse_year(text: &str, id: &str) -> Result<i32, PeriodError> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PeriodError::Syntax(id.to_owned()));
    }
    let year: i32 = text.parse().map_err(|_| PeriodError::Syntax(id.to_owned()))?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(PeriodError::Year(id.to_owned()));
    }
    Ok(year)
}

fn parse_small(text: &str, id: &str, what: &'static str, max: u8) -> Result<u8, PeriodError> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PeriodError::Syntax(id.to_owned()));
    }
    let n: u8 = text.parse().map_err(|_| PeriodError::Syntax(id.to_owned()))?;
    if n == 0 || n > max {
        return Err(PeriodError::OutOfRange { id: id.to_owned(), what, max });
    }
    Ok(n)
}

fn parse_date(text: &str, id: &str) -> Result<NaiveDate, PeriodError> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| PeriodError::Syntax(id.to_owned()))?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return Err(PeriodError::Year(id.to_owned()));
    }
    Ok(date)
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        let text = id.trim();
        if let Some((start, end)) = text.split_once("..") {
            let (start, end) = if start.len() == 4 && end.len() == 4 {
                let first = parse_year(start, id)?;
                let last = parse_year(end, id)?;
                (Period::Year(first).start(), Period::Year(last).end())
            } else {
                (parse_date(start, id)?, parse_date(end, id)?)
            };
            if end < start {
                return Err(PeriodError::Reversed(id.to_owned()));
            }
            return Ok(Period::Range(start, end));
        }
        if text.len() < 4 || !text.is_char_boundary(4) {
            return Err(PeriodError::Syntax(id.to_owned()));
        }
        let (year, rest) = text.split_at(4);
        let year = parse_year(year, id)?;
        if rest.is_empty() {
            return Ok(Period::Year(year));
        }
        // Before the halves: `Sep` starts with `S`.
        if let Some((month, day)) = parse_year_start(rest, false) {
            if (month, day) == (1, 1) {
                return Err(PeriodError::CalendarYear { id: id.to_owned(), year });
            }
            if rest.len() > MONTH_IDS[usize::from(month - 1)].len() && day == 1 {
                let canonical = format!("{year}{}", MONTH_IDS[usize::from(month - 1)]);
                return Err(PeriodError::FirstOfMonth { id: id.to_owned(), canonical });
            }
            if day == 0 || day > 28 {
                return Err(PeriodError::StartDay(id.to_owned()));
            }
            return match YearStart::new(month, day) {
                Some(start) => Ok(Period::YearFrom(year, start)),
                None => Err(PeriodError::CalendarYear { id: id.to_owned(), year }),
            };
        }
        if let Some(half) = rest.strip_prefix('S') {
            return Ok(Period::Half(year, parse_small(half, id, "the half", 2)?));
        }
        if let Some(quarter) = rest.strip_prefix('Q') {
            return Ok(Period::Quarter(year, parse_small(quarter, id, "the quarter", 4)?));
        }
        if let Some(month) = rest.strip_prefix('-') {
            if month.len() != 2 {
                return Err(PeriodError::Syntax(id.to_owned()));
            }
            return Ok(Period::Month(year, parse_small(month, id, "the month", 12)?));
        }
        Err(PeriodError::Syntax(id.to_owned()))
    }
}

fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    if let Some(days) = month_days(year, month) {
        return days.1;
    }
    let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)
        .and_then(|d| d.pred_opt())
        .expect("month arithmetic stays within chrono's range for supported years")
}

fn first_day(year: i32, month: u32) -> NaiveDate {
    if let Some(days) = month_days(year, month) {
        return days.0;
    }
    NaiveDate::from_ymd_opt(year, month, 1).expect("month is 1-12 and the year is supported")
}

/// The first and last day of each month of the supported years ([`MIN_YEAR`]-[`MAX_YEAR`]), worked out once: the
/// days of a period are asked for on nearly every comparison of evaluation, and chrono's checked constructor was
/// about 3 % of a full review's CPU (docs/performance.md, round 71). `None` outside those years or for a month
/// outside 1-12.
fn month_days(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    static DAYS: std::sync::OnceLock<Vec<(NaiveDate, NaiveDate)>> = std::sync::OnceLock::new();
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let days = DAYS.get_or_init(|| {
        (MIN_YEAR..=MAX_YEAR)
            .flat_map(|y| (1..=12).map(move |m| (y, m)))
            .map(|(y, m)| {
                let first = NaiveDate::from_ymd_opt(y, m, 1).expect("a supported month");
                let (next_year, next_month) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                let next = NaiveDate::from_ymd_opt(next_year, next_month, 1).expect("a supported month");
                (first, next.pred_opt().expect("the day before a supported date"))
            })
            .collect()
    });
    days.get((year - MIN_YEAR) as usize * 12 + (month - 1) as usize).copied()
}

impl Period {
    /// Parses a period id; see the module documentation for the accepted forms.
    pub fn parse(id: &str) -> Result<Period, PeriodError> {
        id.parse()
    }

    pub fn period_type(&self) -> PeriodType {
        match self {
            Period::Year(_) => PeriodType::Year,
            Period::Half(..) => PeriodType::Half,
            Period::Quarter(..) => PeriodType::Quarter,
            Period::Month(..) => PeriodType::Month,
            Period::YearFrom(_, start) => PeriodType::YearFrom(*start),
            Period::Range(..) => PeriodType::Range,
        }
    }

    /// First day of the period.
    pub fn start(&self) -> NaiveDate {
        match *self {
            Period::Year(y) => first_day(y, 1),
            Period::Half(y, h) => first_day(y, u32::from(h - 1) * 6 + 1),
            Period::Quarter(y, q) => first_day(y, u32::from(q - 1) * 3 + 1),
            Period::Month(y, m) => first_day(y, u32::from(m)),
            Period::YearFrom(y, start) => start.first_day(y),
            Period::Range(start, _) => start,
        }
    }

    /// Last day of the period (inclusive).
    pub fn end(&self) -> NaiveDate {
        match *self {
            Period::Year(y) => last_day_of_month(y, 12),
            Period::Half(y, h) => last_day_of_month(y, u32::from(h) * 6),
            Period::Quarter(y, q) => last_day_of_month(y, u32::from(q) * 3),
            Period::Month(y, m) => last_day_of_month(y, u32::from(m)),
            Period::YearFrom(y, start) => {
                start.first_day(y + 1).pred_opt().expect("the day before a supported date is a date")
            }
            Period::Range(_, end) => end,
        }
    }

    /// The calendar year the period starts in: for a year from another day, the year in its id (`2022Oct` -> 2022;
    /// Vietnamese labels name it by the year in which it ends, `end().year()`).
    pub fn year(&self) -> i32 {
        match *self {
            Period::Year(y)
            | Period::Half(y, _)
            | Period::Quarter(y, _)
            | Period::Month(y, _)
            | Period::YearFrom(y, _) => y,
            Period::Range(start, _) => start.year(),
        }
    }

    /// Whether `other` lies entirely within this period.
    pub fn contains(&self, other: &Period) -> bool {
        if let (Some((y, first, last)), Some((other_y, other_first, other_last))) =
            (self.calendar_months(), other.calendar_months())
        {
            return (y, first) <= (other_y, other_first) && (other_y, other_last) <= (y, last);
        }
        self.start() <= other.start() && other.end() <= self.end()
    }

    /// Whether `date` lies within this period.
    pub fn contains_date(&self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        if let (Some((y, first, last)), Some((other_y, other_first, other_last))) =
            (self.calendar_months(), other.calendar_months())
        {
            return (y, first) <= (other_y, other_last) && (other_y, other_first) <= (y, last);
        }
        self.start() <= other.end() && other.start() <= self.end()
    }

    /// The same period one year earlier ("cùng kỳ năm trước"), which Vietnamese reports compare against.
    pub fn same_period_last_year(&self) -> Period {
        self.shift_years(-1)
    }

    /// The same period shifted by `years` (negative for earlier).
    pub fn shift_years(&self, years: i32) -> Period {
        match *self {
            Period::Year(y) => Period::Year(y + years),
            Period::Half(y, h) => Period::Half(y + years, h),
            Period::Quarter(y, q) => Period::Quarter(y + years, q),
            Period::Month(y, m) => Period::Month(y + years, m),
            Period::YearFrom(y, start) => Period::YearFrom(y + years, start),
            Period::Range(start, end) => {
                let shift = |d: NaiveDate| {
                    d.with_year(d.year() + years)
                        // 29 February has no counterpart in a common year: use 28 February.
                        .or_else(|| NaiveDate::from_ymd_opt(d.year() + years, d.month(), 28))
                        .expect("shifted date is valid")
                };
                // A range of whole months stays one: a range that ends on 28 February of a common year ends on
                // 29 February in a leap year, so that the same months tile it every year.
                let end = if self.is_whole_months() {
                    last_day_of_month(end.year() + years, end.month())
                } else {
                    shift(end)
                };
                Period::Range(shift(start), end)
            }
        }
    }

    /// Whether the period lasts a year or more (a year, a year from another day, a range of a year or longer): a
    /// level a yearly trend can start from. A half, a quarter, a month or a shorter range does not.
    pub fn spans_a_year(&self) -> bool {
        self.start()
            .checked_add_months(chrono::Months::new(12))
            .and_then(|d| d.pred_opt())
            .is_some_and(|d| d <= self.end())
    }

    /// Whether the period is made of whole calendar months: it starts on the 1st of a month and ends on the last
    /// day of a month. True for a year, half, quarter or month and for a year from the 1st of a month; for a date
    /// range, when its ends fall so (`2022-07-01..2023-06-30`, not `2024-03-17..2024-12-31`).
    pub fn is_whole_months(&self) -> bool {
        match *self {
            Period::Year(_) | Period::Half(..) | Period::Quarter(..) | Period::Month(..) => true,
            Period::YearFrom(_, start) => start.day == 1,
            Period::Range(start, end) => start.day() == 1 && end == last_day_of_month(end.year(), end.month()),
        }
    }

    /// The year, year from another day, half, quarter or month of `period_type` that contains `date` (the month
    /// for [`PeriodType::Range`]).
    pub fn containing(date: NaiveDate, period_type: PeriodType) -> Period {
        let y = date.year();
        let m = date.month() as u8;
        match period_type {
            PeriodType::Year => Period::Year(y),
            PeriodType::YearFrom(start) => {
                let started = (m, date.day() as u8) >= (start.month, start.day);
                Period::YearFrom(if started { y } else { y - 1 }, start)
            }
            PeriodType::Half => Period::Half(y, if m <= 6 { 1 } else { 2 }),
            PeriodType::Quarter => Period::Quarter(y, (m - 1) / 3 + 1),
            PeriodType::Month | PeriodType::Range => Period::Month(y, m),
        }
    }

    /// The periods of `period_type` that lie within this period, in order. Empty for [`PeriodType::Range`]. A year
    /// from another day is divided only into periods that tile it ([`Period::tiling`]), so that a sum over them is
    /// its value: the 12 months of a year from the 1st of a month, quarters when it starts on 1 April, July or
    /// October, halves when it starts on 1 July; otherwise nothing (`2022Dec15` has no whole months that make it
    /// up). A date range lists every period within it, whether or not they tile it (`2024-03-17..2024-12-31` has
    /// three quarters): use [`Period::tiling`] for the periods whose sum is its value.
    pub fn subdivide(&self, period_type: PeriodType) -> Vec<Period> {
        match self {
            Period::YearFrom(..) => self.tiling(period_type),
            _ => self.periods_within(period_type),
        }
    }

    /// The year, half, quarter, month or year from the 1st of a month that has this date range's first and last
    /// days (`2022-07-01..2023-06-30` is `2022July`, `2023-04-01..2023-06-30` is `2023Q2`); `None` for any other
    /// range and for a period that is not a range.
    pub fn standard_with_same_days(&self) -> Option<Period> {
        let Period::Range(start, end) = *self else { return None };
        let calendar = [PeriodType::Year, PeriodType::Half, PeriodType::Quarter, PeriodType::Month]
            .map(|period_type| Period::containing(start, period_type));
        let year_from = YearStart::new(start.month() as u8, 1).map(|from| Period::YearFrom(start.year(), from));
        calendar.into_iter().chain(year_from).find(|p| (p.start(), p.end()) == (start, end))
    }

    /// The periods of `period_type` that tile this period exactly, in order: the first starts on its first day,
    /// the last ends on its last day and each starts the day after the one before; empty when they do not (and for
    /// [`PeriodType::Range`]). These are the periods whose values combine into this period's value
    /// (`docs/methodology.md`, sections 2 and 3.1): a year's halves, `2022July`'s quarters, and the quarters of the
    /// range `2022-07-01..2023-06-30`, but no quarters of `2024-03-17..2024-12-31` (17-31 March is in none).
    pub fn tiling(&self, period_type: PeriodType) -> Vec<Period> {
        let periods = self.periods_within(period_type);
        let tiles = periods.first().is_some_and(|first| first.start() == self.start())
            && periods.last().is_some_and(|last| last.end() == self.end())
            && periods.windows(2).all(|pair| pair[0].end().succ_opt() == Some(pair[1].start()));
        if tiles { periods } else { Vec::new() }
    }

    /// The coarsest calendar periods (years, halves, quarters, months) that tile the days from `first` to `last`, in
    /// order, each starting where the one before ends; days before the first month start or after the last month end
    /// are a range of their own. `2024-05-01..2024-12-31` is `2024-05`, `2024-06`, `2024S2`: what units that report
    /// by calendar periods can hold of those days.
    pub fn calendar_pieces(first: NaiveDate, last: NaiveDate) -> Vec<Period> {
        let mut pieces = Vec::new();
        let mut day = first;
        while day <= last {
            let fits = [PeriodType::Year, PeriodType::Half, PeriodType::Quarter, PeriodType::Month]
                .map(|period_type| Period::containing(day, period_type))
                .into_iter()
                .find(|period| period.start() == day && period.end() <= last);
            let piece = fits.unwrap_or_else(|| {
                let month_end = Period::containing(day, PeriodType::Month).end().min(last);
                Period::Range(day, month_end)
            });
            pieces.push(piece);
            match piece.end().succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        pieces
    }

    /// The periods of `period_type` that lie entirely within this period, in order.
    fn periods_within(&self, period_type: PeriodType) -> Vec<Period> {
        let mut periods = Vec::new();
        if period_type == PeriodType::Range {
            return periods;
        }
        let mut date = self.start();
        while date <= self.end() {
            let period = Period::containing(date, period_type);
            if self.contains(&period) {
                periods.push(period);
            }
            match period.end().succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        periods
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}S{h}"),
            Period::Quarter(y, q) => write!(f, "{y}Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::YearFrom(y, start) => write!(f, "{y}{start}"),
            Period::Range(start, end) => write!(f, "{}..{}", start.format("%Y-%m-%d"), end.format("%Y-%m-%d")),
        }
    }
}

impl Period {
    /// For a year, half, quarter or month: its calendar year and first and last month. Two such periods compare by
    /// their first and last days exactly as by these, without building dates (the evaluation's maps compare
    /// periods millions of times, and chrono's date checks were several percent of a review run).
    fn calendar_months(&self) -> Option<(i32, u8, u8)> {
        match *self {
            Period::Year(y) => Some((y, 1, 12)),
            Period::Half(y, h) => Some((y, (h - 1) * 6 + 1, h * 6)),
            Period::Quarter(y, q) => Some((y, (q - 1) * 3 + 1, q * 3)),
            Period::Month(y, m) => Some((y, m, m)),
            Period::YearFrom(..) | Period::Range(..) => None,
        }
    }
}

/// Periods are ordered by first day, then last day, then kind.
impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        if let (Some((y, first, last)), Some((other_y, other_first, other_last))) =
            (self.calendar_months(), other.calendar_months())
        {
            // Same first and last month means the same kind: no two kinds of calendar period span the same months.
            return (y, first).cmp(&(other_y, other_first)).then((y, last).cmp(&(other_y, other_last)));
        }
        (self.start(), self.end(), self.period_type()).cmp(&(other.start(), other.end(), other.period_type()))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[path = "period_tests.rs"]
mod tests;
