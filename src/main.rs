//! `tiendo`: monitors Vietnam's anti-trafficking programme and plans and produces its mid-term review.
//!
//! Minimal wiring for the `plugin` subcommand; the full CLI skeleton (`cli.rs`, `output.rs`) is merged in
//! from the foundation branch.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code when the tool itself failed (as opposed to findings, which are 1).
const EXIT_TOOL_FAILURE: u8 = 2;

/// Monitor Vietnam's anti-trafficking programme and its provincial plans.
#[derive(Debug, Parser)]
#[command(name = "tiendo", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write, build and try WebAssembly metric plugins.
    Plugin(cmd::plugin::PluginArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plugin(args) => cmd::plugin::run(args.into_settings()),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            print_error_chain(&error);
            ExitCode::from(EXIT_TOOL_FAILURE)
        }
    }
}

#[allow(clippy::print_stderr, reason = "the binary reports its own failure on standard error")]
fn print_error_chain(error: &anyhow::Error) {
    eprintln!("error: {error}");
    for cause in error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}
