//! One module per subcommand.

pub mod check;
pub mod eval;
mod eval_text;
pub mod init;
pub mod list;
pub mod manual;
pub mod narrative;
pub mod plugin;
pub mod plugin_new;
pub mod plugin_new_python;
pub mod report;
mod report_write;
pub mod schema;
pub mod template;
