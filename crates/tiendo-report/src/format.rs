//! Numbers, dates and periods written the way each language writes them.
//!
//! Vietnamese groups thousands with `.` and uses `,` as the decimal mark (`1.234,5`) and writes dates `dd/mm/yyyy`;
//! English uses `1,234.5` and `22 Nov 2026`. No locale database is needed for two languages, and writing it here
//! keeps the output independent of the machine's locale.

use chrono::{Datelike, NaiveDate};
use tiendo_core::{Comparator, Lang, Period, PeriodType};

use tiendo_core::eval::share::ShownShare;

use crate::model::Value;

/// A number with `decimals` digits (at most 12) after the decimal mark, rounded half away from zero, with thousands
/// grouped.
pub fn number(value: f64, decimals: u8, lang: Lang) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    // Rounded half away from zero on the decimal value rather than on its binary approximation (0.125 with two
    // decimals gives 0.13 as a reader expects), by the one rounding evaluation checked its decimals with.
    let text = tiendo_core::eval::exact::fixed(value.abs(), decimals);
    let rounded: f64 = text.parse().unwrap_or(0.0);
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let (group_mark, decimal_mark) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    if value < 0.0 && rounded != 0.0 {
        out.push('-');
    }
    let digits: Vec<char> = integer.chars().collect();
    for (index, digit) in digits.iter().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(group_mark);
        }
        out.push(*digit);
    }
    if !fraction.is_empty() {
        out.push(decimal_mark);
        out.push_str(fraction);
    }
    out
}

/// A number followed by its unit: `95 %` is written `95%` for a percent unit, other units after a space. A
/// percentage is written by [`share`]: never on 0 or 100 when it is not there.
pub fn with_unit(value: f64, decimals: u8, unit: Option<&str>, lang: Lang) -> String {
    match unit {
        Some("%") => format!("{}%", share(value, decimals, lang)),
        Some(unit) if !unit.is_empty() => format!("{} {unit}", number(value, decimals, lang)),
        _ => number(value, decimals, lang),
    }
}

/// A percentage, share or rate in percent without its sign: `decimals` digits, or more when fewer would show it
/// on or across 0, 100 or -100 when it is not there (99.96 is `99,96`, never `100,0`), and beyond four decimals a
/// bound: `> 99,99`, `< 0,01` (`tiendo_core::eval::share`, docs/methodology.md 4).
pub fn share(value: f64, decimals: u8, lang: Lang) -> String {
    if !value.is_finite() {
        return number(value, decimals, lang);
    }
    match tiendo_core::eval::share::shown_share(value, decimals) {
        ShownShare::Fixed(digits) => number(value, digits, lang),
        ShownShare::Above { bound, decimals } => format!("> {}", number(bound, decimals, lang)),
        ShownShare::Below { bound, decimals } => format!("< {}", number(bound, decimals, lang)),
    }
}

/// A signed change, e.g. `+13` or `-2,5`.
pub fn signed(value: f64, decimals: u8, lang: Lang) -> String {
    let text = number(value, decimals, lang);
    if value > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { format!("+{text}") } else { text }
}

/// A signed change of a percentage or a relative change in %, by the rule of [`share`]: `+0,04`, never `0,0`.
pub fn signed_share(value: f64, decimals: u8, lang: Lang) -> String {
    let text = share(value, decimals, lang);
    if value > 0.0 && !text.starts_with(['<', '>']) { format!("+{text}") } else { text }
}

/// The text shown for a value: the number, or the label for suppressed or missing values.
pub fn value(value: Value, decimals: u8, lang: Lang) -> String {
    match value {
        Value::Number(n) if n.is_finite() => number(n, decimals, lang),
        Value::Suppressed => crate::i18n::label("value_suppressed", lang).to_owned(),
        Value::Number(_) | Value::Missing => crate::i18n::label("value_missing", lang).to_owned(),
        Value::Undefined => "—".to_owned(),
    }
}

/// Whether values in `unit` are percentages (the unit is written `%`).
pub fn is_percent(unit: Option<&tiendo_core::Text>) -> bool {
    unit.is_some_and(|u| u.vi.trim() == "%" || u.en.trim() == "%")
}

/// The text shown for a value without its unit: a percentage by [`share`] (never on 0 or 100 when it is not
/// there), any other number by [`number`], and the label for suppressed or missing values.
pub fn value_in(value: Value, decimals: u8, percent: bool, lang: Lang) -> String {
    match value {
        Value::Number(n) if percent && n.is_finite() => share(n, decimals, lang),
        other => self::value(other, decimals, lang),
    }
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A date: `09/08/2023` in Vietnamese, `9 Aug 2023` in English.
pub fn date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{:02}/{:02}/{}", date.day(), date.month(), date.year()),
        Lang::En => format!("{} {} {}", date.day(), MONTHS_EN[date.month0() as usize], date.year()),
    }
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

/// A period as a reader writes it: `Quý I/2023` or `Q1 2023`, `6 tháng đầu năm 2023` or `H1 2023`. A year from
/// another day is named, as Vietnamese reports name it, by the year in which it ends, with its dates: the judicial
/// year `2022Oct` is `năm 2023 (01/10/2022 – 30/09/2023)` or `year to 30 Sep 2023 (1 Oct 2022 – 30 Sep 2023)`.
pub fn period(period: Period, lang: Lang) -> String {
    match (period, lang) {
        (Period::YearFrom(..), Lang::Vi) => {
            format!("năm {} ({} – {})", period.end().year(), date(period.start(), lang), date(period.end(), lang))
        }
        (Period::YearFrom(..), Lang::En) => {
            let (start, end) = (date(period.start(), lang), date(period.end(), lang));
            format!("year to {end} ({start} – {end})")
        }
        (Period::Year(year), Lang::Vi) => format!("năm {year}"),
        (Period::Year(year), Lang::En) => year.to_string(),
        (Period::Half(year, 1), Lang::Vi) => format!("6 tháng đầu năm {year}"),
        (Period::Half(year, _), Lang::Vi) => format!("6 tháng cuối năm {year}"),
        (Period::Half(year, half), Lang::En) => format!("H{half} {year}"),
        (Period::Quarter(year, quarter), Lang::Vi) => {
            format!("quý {}/{year}", ROMAN[usize::from(quarter.clamp(1, 4)) - 1])
        }
        (Period::Quarter(year, quarter), Lang::En) => format!("Q{quarter} {year}"),
        (Period::Month(year, month), Lang::Vi) => format!("tháng {month}/{year}"),
        (Period::Month(year, month), Lang::En) => {
            format!("{} {year}", MONTHS_EN[usize::from(month.clamp(1, 12)) - 1])
        }
        (Period::Range(start, end), _) => {
            let whole_years = start.month() == 1 && start.day() == 1 && end.month() == 12 && end.day() == 31;
            if whole_years {
                format!("{}–{}", start.year(), end.year())
            } else {
                format!("{} – {}", date(start, lang), date(end, lang))
            }
        }
    }
}

/// A short period label for chart axes and stacked bars: `2023`, `Q1/2023` or `Q1 2023`; a year from another day
/// by its dates, `01/10/2022–30/09/2023` or `1 Oct 2022–30 Sep 2023`.
pub fn period_short(period: Period, lang: Lang) -> String {
    match (period, lang) {
        (Period::Year(year), _) => year.to_string(),
        (Period::YearFrom(..), _) => format!("{}–{}", date(period.start(), lang), date(period.end(), lang)),
        (Period::Half(year, half), Lang::Vi) => format!("{}/{year}", if half == 1 { "6T đầu" } else { "6T cuối" }),
        (Period::Quarter(year, quarter), Lang::Vi) => format!("Q{quarter}/{year}"),
        (Period::Month(year, month), Lang::Vi) => format!("{month:02}/{year}"),
        _ => self::period(period, lang),
    }
}

/// The name of a kind of period, for a chart's legend: `năm`/`year`, `6 tháng`/`half-year`, `quý`/`quarter`,
/// `tháng`/`month`, and a year from another day by its first day, `năm từ 01/10`/`year from 1 Oct`.
pub fn period_type(period_type: PeriodType, lang: Lang) -> String {
    match (period_type, lang) {
        (PeriodType::Year, Lang::Vi) => "năm".to_owned(),
        (PeriodType::Year, Lang::En) => "year".to_owned(),
        (PeriodType::YearFrom(start), Lang::Vi) => format!("năm từ {:02}/{:02}", start.day(), start.month()),
        (PeriodType::YearFrom(start), Lang::En) => {
            format!("year from {} {}", start.day(), MONTHS_EN[usize::from(start.month().clamp(1, 12)) - 1])
        }
        (PeriodType::Half, Lang::Vi) => "6 tháng".to_owned(),
        (PeriodType::Half, Lang::En) => "half-year".to_owned(),
        (PeriodType::Quarter, Lang::Vi) => "quý".to_owned(),
        (PeriodType::Quarter, Lang::En) => "quarter".to_owned(),
        (PeriodType::Month, Lang::Vi) => "tháng".to_owned(),
        (PeriodType::Month, Lang::En) => "month".to_owned(),
        (PeriodType::Range, Lang::Vi) => "giai đoạn".to_owned(),
        (PeriodType::Range, Lang::En) => "period".to_owned(),
    }
}

/// A comparator in words a reader understands: `>` is "over", `>=` "at least".
pub fn comparator(comparator: Comparator, lang: Lang) -> &'static str {
    match (comparator, lang) {
        (Comparator::Greater, Lang::Vi) => "trên",
        (Comparator::Greater, Lang::En) => "over",
        (Comparator::GreaterOrEqual, Lang::Vi) => "ít nhất",
        (Comparator::GreaterOrEqual, Lang::En) => "at least",
        (Comparator::Equal, Lang::Vi) => "đúng bằng",
        (Comparator::Equal, Lang::En) => "exactly",
        (Comparator::LessOrEqual, Lang::Vi) => "tối đa",
        (Comparator::LessOrEqual, Lang::En) => "at most",
        (Comparator::Less, Lang::Vi) => "dưới",
        (Comparator::Less, Lang::En) => "under",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        let cases: &[(f64, u8, &str, &str)] = &[
            (0.0, 0, "0", "0"),
            (7.0, 0, "7", "7"),
            (999.0, 0, "999", "999"),
            (1000.0, 0, "1.000", "1,000"),
            (1234.5, 1, "1.234,5", "1,234.5"),
            (1234.56, 1, "1.234,6", "1,234.6"),
            (1_240_000.0, 0, "1.240.000", "1,240,000"),
            (-1234.5, 1, "-1.234,5", "-1,234.5"),
            (-0.04, 1, "0,0", "0.0"),
            (0.125, 2, "0,13", "0.13"),
            (2.5, 0, "3", "3"),
            (-2.5, 0, "-3", "-3"),
            (93.33333, 1, "93,3", "93.3"),
            (100.0, 2, "100,00", "100.00"),
            (123456.789, 3, "123.456,789", "123,456.789"),
            (f64::NAN, 1, "—", "—"),
            (f64::INFINITY, 0, "—", "—"),
        ];
        for (value, decimals, vi, en) in cases {
            assert_eq!(number(*value, *decimals, Lang::Vi), *vi, "vi {value} with {decimals}");
            assert_eq!(number(*value, *decimals, Lang::En), *en, "en {value} with {decimals}");
        }
    }

    #[test]
    fn units_and_signs() {
        assert_eq!(with_unit(95.0, 0, Some("%"), Lang::Vi), "95%");
        assert_eq!(with_unit(1234.0, 0, Some("vụ"), Lang::Vi), "1.234 vụ");
        assert_eq!(with_unit(12.0, 0, None, Lang::En), "12");
        assert_eq!(signed(13.0, 0, Lang::En), "+13");
        assert_eq!(signed(-2.5, 1, Lang::Vi), "-2,5");
        assert_eq!(signed(0.0, 0, Lang::En), "0");
        assert_eq!(signed(0.01, 0, Lang::En), "0");
        assert_eq!(signed_share(0.04, 1, Lang::Vi), "+0,04");
        assert_eq!(signed_share(7.0, 1, Lang::En), "+7.0");
        assert_eq!(signed_share(-0.00001, 1, Lang::En), "> -0.01");
    }

    #[test]
    fn percentages_are_never_written_on_0_or_100_when_they_are_not_there() {
        let cases: &[(f64, u8, &str, &str)] = &[
            (99.96, 1, "99,96", "99.96"),
            (0.04, 1, "0,04", "0.04"),
            (100.0, 1, "100,0", "100.0"),
            (0.0, 1, "0,0", "0.0"),
            (64.25, 1, "64,3", "64.3"),
            (99.99996, 1, "> 99,99", "> 99.99"),
            (0.00004, 1, "< 0,01", "< 0.01"),
            (1234.5, 1, "1.234,5", "1,234.5"),
        ];
        for (value, decimals, vi, en) in cases {
            assert_eq!(share(*value, *decimals, Lang::Vi), *vi, "vi {value}");
            assert_eq!(share(*value, *decimals, Lang::En), *en, "en {value}");
        }
        assert_eq!(with_unit(99.96, 1, Some("%"), Lang::Vi), "99,96%");
        assert_eq!(with_unit(0.00004, 1, Some("%"), Lang::En), "< 0.01%");
    }

    proptest::proptest! {
        /// A share strictly between 0 % and 100 % never reads as 0 or 100, in either language.
        #[test]
        fn a_share_inside_never_reads_as_a_bound(denominator in 2u64..10_000_000, seed in 1u64..u64::MAX) {
            let numerator = 1 + seed % (denominator - 1);
            let value = numerator as f64 / denominator as f64 * 100.0;
            for lang in [Lang::Vi, Lang::En] {
                let text = share(value, 1, lang);
                for digits in 0..=12 {
                    proptest::prop_assert_ne!(&text, &number(0.0, digits, lang));
                    proptest::prop_assert_ne!(&text, &number(100.0, digits, lang));
                }
            }
        }
    }

    #[test]
    fn dates_and_periods_follow_the_language() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).expect("valid date");
        assert_eq!(date(day, Lang::Vi), "22/11/2026");
        assert_eq!(date(day, Lang::En), "22 Nov 2026");
        let early = NaiveDate::from_ymd_opt(2023, 8, 9).expect("valid date");
        assert_eq!(date(early, Lang::Vi), "09/08/2023");
        let cases: &[(&str, &str, &str)] = &[
            ("2023", "năm 2023", "2023"),
            ("2023S1", "6 tháng đầu năm 2023", "H1 2023"),
            ("2023S2", "6 tháng cuối năm 2023", "H2 2023"),
            ("2023Q1", "quý I/2023", "Q1 2023"),
            ("2023Q4", "quý IV/2023", "Q4 2023"),
            ("2023-03", "tháng 3/2023", "Mar 2023"),
            ("2021..2023", "2021–2023", "2021–2023"),
            ("2025-07-01..2025-12-31", "01/07/2025 – 31/12/2025", "1 Jul 2025 – 31 Dec 2025"),
            ("2022Oct", "năm 2023 (01/10/2022 – 30/09/2023)", "year to 30 Sep 2023 (1 Oct 2022 – 30 Sep 2023)"),
            ("2022Dec15", "năm 2023 (15/12/2022 – 14/12/2023)", "year to 14 Dec 2023 (15 Dec 2022 – 14 Dec 2023)"),
            ("2022April", "năm 2023 (01/04/2022 – 31/03/2023)", "year to 31 Mar 2023 (1 Apr 2022 – 31 Mar 2023)"),
        ];
        for (id, vi, en) in cases {
            let parsed: Period = id.parse().expect("test period ids are valid");
            assert_eq!(period(parsed, Lang::Vi), *vi, "{id}");
            assert_eq!(period(parsed, Lang::En), *en, "{id}");
        }
    }

    #[test]
    fn years_from_another_day_have_short_labels_and_type_names() {
        let judicial: Period = "2022Oct".parse().expect("valid id");
        assert_eq!(period_short(judicial, Lang::Vi), "01/10/2022–30/09/2023");
        assert_eq!(period_short(judicial, Lang::En), "1 Oct 2022–30 Sep 2023");
        assert_eq!(period_type(judicial.period_type(), Lang::Vi), "năm từ 01/10");
        assert_eq!(period_type(judicial.period_type(), Lang::En), "year from 1 Oct");
        assert_eq!(period_type(PeriodType::Half, Lang::En), "half-year");
    }
}
