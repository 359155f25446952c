//! The domain model of tiendo: programmes, plans, indicators, targets, sources, org units, periods, and the
//! evaluation of reported data against them.
//!
//! Architecture invariant: this crate does no I/O and never reads the clock. Files, "today" and plugin
//! computations come in as arguments or through traits ([`plugin::MetricProvider`]) that callers implement.

pub mod agencies;
pub mod diagnostic;
pub mod disclosure;
pub mod eval;
pub mod expr;
pub mod model;
pub mod period;
pub mod plugin;
pub mod text;

pub use diagnostic::{Diagnostic, RelatedSpan, Severity, Span};
pub use expr::Expr;
pub use model::*;
pub use period::{Period, PeriodError, PeriodType, YearStart};
