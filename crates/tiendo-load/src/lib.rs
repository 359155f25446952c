//! placeholder
pub mod observations;
