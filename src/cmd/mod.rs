//! One module per subcommand.

pub mod check;
pub mod eval;
pub mod list;
pub mod plugin;
#[allow(dead_code, reason = "wired into the `report` subcommand once evaluation lands")]
pub mod report;
pub mod schema;
