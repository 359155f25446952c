//! Who is responsible for a function on a given date: agencies end and hand their functions to different
//! successors (in 2025 MOLISA's victim support went to the Ministry of Health, its labour functions to Home
//! Affairs), so an indicator's responsible agency depends on the function and on the period shown.

use chrono::NaiveDate;

use crate::model::{Agency, Catalogue};

/// The most successor links followed before giving up (a cycle is a catalogue error the loader reports).
const MAX_SUCCESSION_DEPTH: usize = 32;

impl Agency {
    /// The agency that took over `function` after this one ended: the function's own successor where the
    /// catalogue records one for `function`, else the agency's general `successor`. `None` when neither is known.
    pub fn successor_for(&self, function: Option<&str>) -> Option<&str> {
        function
            .and_then(|f| self.functions.iter().find(|x| x.id == f))
            .and_then(|f| f.successor.as_deref())
            .or(self.successor.as_deref())
    }

    /// Whether the agency existed on `date` (both ends inclusive; an open end means "still" or "since before").
    pub fn exists_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date) && self.valid_to.is_none_or(|to| date <= to)
    }
}

impl Catalogue {
    /// The agency responsible for `function` on `date`, starting from `agency` (an indicator's or activity's
    /// agency): follows the successor of that function while the agency had already ended on `date`. Returns
    /// `agency` itself when it still existed, when it is unknown, or when no successor is recorded (the last known
    /// holder is the best answer the catalogue can give). Dates before an agency began do not walk backwards.
    pub fn responsible_agency<'a>(&'a self, agency: &'a str, function: Option<&str>, date: NaiveDate) -> &'a str {
        let mut current = agency;
        for _ in 0..MAX_SUCCESSION_DEPTH {
            let Some(record) = self.agencies.get(current) else { return current };
            if record.valid_to.is_none_or(|to| date <= to) {
                return current;
            }
            match record.successor_for(function) {
                Some(next) if self.agencies.contains_key(next) => current = next,
                _ => return current,
            }
        }
        current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AgencyFunction, Text};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn agency(id: &str, valid_to: Option<NaiveDate>, successor: Option<&str>, functions: &[(&str, &str)]) -> Agency {
        Agency {
            id: id.to_owned(),
            name: Text::new(id, id),
            abbreviation: None,
            valid_from: None,
            valid_to,
            successor: successor.map(str::to_owned),
            functions: functions
                .iter()
                .map(|(function, to)| AgencyFunction {
                    id: (*function).to_owned(),
                    name: Text::new(*function, *function),
                    successor: Some((*to).to_owned()),
                    from: valid_to.and_then(|d| d.succ_opt()),
                    source: None,
                    note: None,
                })
                .collect(),
            note: None,
        }
    }

    /// The 2025 restructuring as domain-corrections.md (D2, D3, 3.1) finds it.
    fn catalogue() -> Catalogue {
        let end = Some(date(2025, 2, 28));
        let mut catalogue = Catalogue::default();
        for a in [
            agency("molisa", end, None, &[("victim-support", "moh"), ("labour", "moha")]),
            agency("mic", end, None, &[("communication", "mcst"), ("network-security", "mps")]),
            agency("quang-nam-dolisa", end, None, &[("victim-support", "quang-nam-doh")]),
            agency("quang-nam-doh", Some(date(2025, 6, 30)), Some("da-nang-doh"), &[]),
            agency("da-nang-doh", None, None, &[]),
            agency("moh", None, None, &[]),
            agency("moha", None, None, &[]),
            agency("mcst", None, None, &[]),
            agency("mps", None, None, &[]),
            agency("loop-a", end, Some("loop-b"), &[]),
            agency("loop-b", end, Some("loop-a"), &[]),
        ] {
            catalogue.agencies.insert(a.id.clone(), a);
        }
        catalogue
    }

    #[test]
    fn each_function_goes_to_its_own_successor_from_the_day_after_the_end() {
        let catalogue = catalogue();
        let cases = [
            ("molisa", Some("victim-support"), date(2025, 2, 28), "molisa"),
            ("molisa", Some("victim-support"), date(2025, 3, 1), "moh"),
            ("molisa", Some("labour"), date(2025, 3, 1), "moha"),
            ("mic", Some("communication"), date(2025, 12, 31), "mcst"),
            ("mic", Some("network-security"), date(2025, 3, 1), "mps"),
            ("mic", Some("communication"), date(2024, 6, 30), "mic"),
            // A chain: DOLISA -> the provincial Department of Health -> Đà Nẵng's after the provincial merger.
            ("quang-nam-dolisa", Some("victim-support"), date(2025, 5, 1), "quang-nam-doh"),
            ("quang-nam-dolisa", Some("victim-support"), date(2025, 7, 1), "da-nang-doh"),
            // Without a function and without a general successor, the last holder is kept.
            ("molisa", None, date(2025, 3, 1), "molisa"),
            ("molisa", Some("unknown-function"), date(2025, 3, 1), "molisa"),
            ("nobody", Some("labour"), date(2025, 3, 1), "nobody"),
        ];
        for (start, function, on, expected) in cases {
            assert_eq!(catalogue.responsible_agency(start, function, on), expected, "{start} {function:?} {on}");
        }
    }

    #[test]
    fn a_successor_cycle_ends() {
        let catalogue = catalogue();
        let found = catalogue.responsible_agency("loop-a", None, date(2026, 1, 1));
        assert!(found == "loop-a" || found == "loop-b");
    }

    #[test]
    fn existence_is_inclusive_at_both_ends() {
        let catalogue = catalogue();
        assert!(catalogue.agencies["molisa"].exists_on(date(2025, 2, 28)));
        assert!(!catalogue.agencies["molisa"].exists_on(date(2025, 3, 1)));
    }
}
