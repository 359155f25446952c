//! Reporting periods: years, halves, quarters, months and custom date ranges.
//!
//! Period ids follow the DHIS2 conventions that Vietnamese reports map onto naturally:
//! `2023` (year), `2023S1` (first half, "6 tháng đầu năm"), `2023Q1` (quarter), `2023-03` (month) and
//! `2021-01-01..2025-12-31` (a custom inclusive range, e.g. a programme's lifetime). `2021..2025` is accepted as
//! a shorthand for whole years.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The kind of a period, used to declare how often data is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodType {
    Year,
    Half,
    Quarter,
    Month,
    Range,
}

impl PeriodType {
    /// The lowercase name used in TOML and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodType::Year => "year",
            PeriodType::Half => "half",
            PeriodType::Quarter => "quarter",
            PeriodType::Month => "month",
            PeriodType::Range => "range",
        }
    }
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
    /// Inclusive date range.
    Range(NaiveDate, NaiveDate),
}

/// Why a period id could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("`{0}` is not a period id; expected `2023`, `2023S1`, `2023Q1`, `2023-03` or `2023-01-01..2023-06-30`")]
    Syntax(String),
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
    let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)
        .and_then(|d| d.pred_opt())
        .expect("month arithmetic stays within chrono's range for supported years")
}

fn first_day(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("month is 1-12 and the year is supported")
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
            Period::Range(_, end) => end,
        }
    }

    /// The calendar year the period starts in.
    pub fn year(&self) -> i32 {
        self.start().year()
    }

    /// Whether `other` lies entirely within this period.
    pub fn contains(&self, other: &Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }

    /// Whether `date` lies within this period.
    pub fn contains_date(&self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
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
            Period::Range(start, end) => {
                let shift = |d: NaiveDate| {
                    d.with_year(d.year() + years)
                        // 29 February has no counterpart in a common year: use 28 February.
                        .or_else(|| NaiveDate::from_ymd_opt(d.year() + years, d.month(), 28))
                        .expect("shifted date is valid")
                };
                Period::Range(shift(start), shift(end))
            }
        }
    }

    /// The year, half, quarter or month of `period_type` that contains `date`.
    pub fn containing(date: NaiveDate, period_type: PeriodType) -> Period {
        let y = date.year();
        let m = date.month() as u8;
        match period_type {
            PeriodType::Year => Period::Year(y),
            PeriodType::Half => Period::Half(y, if m <= 6 { 1 } else { 2 }),
            PeriodType::Quarter => Period::Quarter(y, (m - 1) / 3 + 1),
            PeriodType::Month | PeriodType::Range => Period::Month(y, m),
        }
    }

    /// The periods of `period_type` that lie within this period, in order. Empty for [`PeriodType::Range`].
    pub fn subdivide(&self, period_type: PeriodType) -> Vec<Period> {
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
            Period::Range(start, end) => write!(f, "{}..{}", start.format("%Y-%m-%d"), end.format("%Y-%m-%d")),
        }
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
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
mod tests {
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
}
