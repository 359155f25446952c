//! Disclosure control end to end through `tiendo eval --format json` and `--format table`: the "two provinces with
//! one victim each" case, a suppressed quarter beside its year, a sex x age breakdown, a merged province and its
//! predecessors. Each test checks what a reader can work out from the published figures alone: no hidden count is
//! recoverable by subtraction, the audit says "protected", and no output tells primary from secondary cells.
//!
//! The projects use `tests/fixtures/disclosure/catalogue.toml`: Viet Nam, provinces A and B that merge into AB on 1
//! July 2025, province C; victims (C5, sensitive, by sex and by age group), threshold 11.

mod bounds;
mod derived;
mod levels;
mod periods;
mod support;
mod tables;
