//! One module per subcommand.

pub mod check;
pub mod eval;
pub mod list;
pub mod plugin;
pub mod report;
pub mod schema;
pub mod template;
