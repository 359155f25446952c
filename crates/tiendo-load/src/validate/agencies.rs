//! `[[agency]]` and its `[[agency.function]]` tables -> `tiendo_core::Agency`: each function an agency handed to
//! its own successor (MOLISA's victim support to the Ministry of Health, its labour functions to Home Affairs),
//! with the date and the source of the transfer. A separate file so that agency succession does not grow the
//! general validator.

use tiendo_core::{Agency, AgencyFunction};

use super::Kind;
use super::validator::{Validator, text};
use crate::codes;
use crate::raw::{RawAgency, RawText};
use crate::tree::{Date, Spanned, raw_table};

raw_table! {
    /// A function of an agency and who took it over when the agency ended, e.g. MOLISA's victim support,
    /// which went to the Ministry of Health on 1 Mar 2025 while its labour functions went to Home Affairs.
    #[schemars(rename = "AgencyFunction")]
    pub struct RawAgencyFunction as "`[[agency.function]]`" {
        /// Kebab-case id such as `victim-support`, `labour` or `communication`. An indicator's agency is followed
        /// by the function named like the indicator's work area (`group`).
        pub id: Spanned<String>,
        pub name: RawText,
        /// Agency id that took the function over.
        pub successor: Option<Spanned<String>>,
        /// First day the successor held the function (normally the day after the agency's `valid_to`).
        pub from: Option<Spanned<Date>>,
        /// Source id of the transfer (a decree, a resolution, an article).
        pub source: Option<Spanned<String>>,
        pub note: Option<String>,
    }
}

/// Checks an agency's successor, dates and functions and builds the model's agency.
pub(super) fn agency(v: &mut Validator<'_>, a: &RawAgency) -> Agency {
    if let Some(successor) = &a.successor {
        v.reference(Kind::Agency, successor);
    }
    v.validity(&format!("agency `{}`", a.id.value), &a.valid_from, &a.valid_to);
    let mut functions: Vec<AgencyFunction> = Vec::new();
    for f in &a.function {
        if functions.iter().any(|known| known.id == f.id.value) {
            v.error(
                codes::DUPLICATE_ID,
                &f.id.location,
                format!("agency `{}` lists the function `{}` twice", a.id.value, f.id.value),
                Some("give each function one `[[agency.function]]` table".to_owned()),
            );
            continue;
        }
        if let Some(successor) = &f.successor {
            v.reference(Kind::Agency, successor);
        }
        if let Some(source) = &f.source {
            v.reference(Kind::Source, source);
        }
        if let (Some(from), Some(to)) = (&f.from, &a.valid_to)
            && from.value.0 <= to.value.0
        {
            v.error(
                codes::INVALID_DATE_RANGE,
                &from.location,
                format!(
                    "function `{}` of agency `{}` passes to its successor on {}, while the agency still exists until {}",
                    f.id.value, a.id.value, from.value.0, to.value.0
                ),
                Some("`from` is the successor's first day: the day after the agency's `valid_to`".to_owned()),
            );
        }
        functions.push(AgencyFunction {
            id: f.id.value.clone(),
            name: text(&f.name),
            successor: f.successor.as_ref().map(|s| s.value.clone()),
            from: f.from.as_ref().map(|d| d.value.0),
            source: f.source.as_ref().map(|s| s.value.clone()),
            note: f.note.clone(),
        });
    }
    Agency {
        id: a.id.value.clone(),
        name: text(&a.name),
        abbreviation: a.abbreviation.clone(),
        valid_from: a.valid_from.as_ref().map(|d| d.value.0),
        valid_to: a.valid_to.as_ref().map(|d| d.value.0),
        successor: a.successor.as_ref().map(|s| s.value.clone()),
        functions,
        note: a.note.clone(),
    }
}
