//! The mid-term review report of tiendo: a view model ([`Review`]), charts drawn with plotters' SVG backend,
//! handlebars templates, and HTML, Markdown and JSON output, in Vietnamese and English.
//!
//! Architecture invariant: this crate does no file I/O and reads no clock or environment. It turns a [`Review`] into
//! a [`RenderedReport`], an in-memory map from relative paths to bytes; the binary writes them. Templates that
//! override the built-in ones are passed in as strings.
//!
//! # Building a review
//!
//! A [`Review`] is plain data, built with [`Review::new`] and then field by field (or as a struct literal). The
//! [`from_core`] conversions fill what the catalogue knows. What the caller supplies:
//!
//! - [`Cover`]: title, programme (name, number, whole period), optional plan under review, org unit, review window,
//!   as-of date, the sha256 of every input file, and the generator's name and version.
//! - [`ExecutiveSummary`]: headline results, each a value and the value of the same period a year earlier
//!   ([`tiendo_core::Period::same_period_last_year`]), and narrative findings.
//! - [`IndicatorReview`] per indicator, in display order: the catalogue's fields plus the assessed target, the
//!   baseline, the series of values (with source per value), the latest value in the window, percent of target and
//!   the status from the evaluation.
//! - [`ProvincialComparison`]s (values per province, the map generation, the old units rolled up into each),
//!   [`Disaggregation`]s (values per option and period, with the reported total), plugin metrics and failures,
//!   [`ActivityProgress`] rows, [`DataQuality`] (completeness, validation violations, cautions),
//!   [`Confidentiality`] (threshold and number of suppressed cells) and project [`MethodNote`]s.
//! - [`Review::sources`]: every source that a figure may cite ([`from_core::sources`]); rendering refuses a review
//!   that cites a source it does not list.
//!
//! Values are [`Value::Number`], [`Value::Suppressed`] or [`Value::Missing`]; suppression itself is the caller's
//! job (the evaluation applies the threshold), the report only shows it.

pub mod build;
mod changes;
pub mod chart_text;
pub mod charts;
pub mod charts_indicator;
pub mod charts_panels;
pub mod collation;
mod figures;
pub mod format;
pub mod from_core;
pub mod i18n;
pub mod model;
pub mod model_evidence;
pub mod narrative;
pub mod narrative_helpers;
pub mod print_css;
pub mod render;
mod render_charts;
mod render_context;
mod render_evidence;
pub mod sample;
mod sentences;
pub mod template_guard;
mod template_pieces;

pub use build::{ReviewInput, build_review};
pub use model::*;
pub use model_evidence::*;
pub use narrative::{Narrative, NarrativeSection, NarrativeText};
pub use render::{OutputFormat, RenderOptions, RenderStep, RenderedReport, ReportError, render, render_with_progress};
pub use tiendo_core::Lang;
