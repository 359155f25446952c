//! One module per subcommand.

pub mod report;
