//! The mid-term review report of tiendo: a view model ([`Review`]), charts drawn with plotters' SVG backend,
//! handlebars templates, and HTML, Markdown and JSON output, in Vietnamese and English.
//!
//! Architecture invariant: this crate does no file I/O and reads no clock or environment. It turns a [`Review`] into
//! a [`RenderedReport`], an in-memory map from relative paths to bytes; the binary writes them. Templates that
//! override the built-in ones are passed in as strings.

pub mod charts;
pub mod format;
pub mod i18n;
pub mod model;
pub mod render;
pub mod sample;

pub use model::*;
pub use render::{OutputFormat, RenderOptions, RenderStep, RenderedReport, ReportError, render, render_with_progress};
pub use tiendo_core::Lang;
