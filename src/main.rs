//! `tiendo`: monitors Vietnam's anti-trafficking programme and plans and produces its mid-term and end-of-term reviews.
//!
//! The binary is the only place that knows clap, paths, terminals and exit codes: each subcommand turns its
//! arguments into plain settings, calls the libraries, and prints through [`output`].

mod builtin;
mod cli;
mod cmd;
mod output;
mod project;
mod scaffold;
mod wiring;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

/// The process allocator: mimalloc rather than the system's. A full review spent about 15 % of its CPU in glibc's
/// `malloc`, `free` and their consolidation (many small vectors in evaluation and the disclosure audit's linear
/// programs); docs/performance.md, round 71.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code when the tool itself failed (as opposed to finding problems in the inputs, which is 1).
const EXIT_TOOL_FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return clap_exit(&error),
    };
    output::set_colour_stderr(output::colour_stderr(cli.global.color));
    let result = match cli.command {
        Command::Init(args) => cmd::init::run(&args),
        Command::Check(args) => cmd::check::run(args, &cli.global),
        Command::Schema(args) => cmd::schema::run(args),
        Command::List(args) => cmd::list::run(args, &cli.global),
        Command::Eval(args) => cmd::eval::run_cli(args, &cli.global),
        Command::Plugin(args) => cmd::plugin::run(args.into_settings()),
        Command::Narrative(args) => cmd::narrative::run(args, &cli.global),
        Command::Report(args) => cmd::report::run_cli(args, &cli.global),
        Command::Template(args) => cmd::template::run(args, &cli.global),
        Command::Completions(args) => cmd::manual::completions(args.shell),
        Command::Man => cmd::manual::man(),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            output::error_chain(&error);
            ExitCode::from(EXIT_TOOL_FAILURE)
        }
    }
}

/// What clap's own `exit` does (help and version on standard output, exit 0; a usage error on standard error, exit
/// 2), except that a help or version text that cannot be written is a failure, not a silent 0 (`--help > /dev/full`).
fn clap_exit(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Styled as clap styles it: colours on a terminal only.
            let styled = error.render();
            let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
            let text = if terminal { styled.ansi().to_string() } else { styled.to_string() };
            match output::write_to(&mut std::io::stdout().lock(), &text, "standard output") {
                Ok(()) => ExitCode::SUCCESS,
                Err(failure) => {
                    output::error_chain(&failure);
                    ExitCode::from(EXIT_TOOL_FAILURE)
                }
            }
        }
        _ => {
            // Usage errors go to standard error as clap writes them; clap's own exit code for them is 2.
            let _ = error.print();
            ExitCode::from(EXIT_TOOL_FAILURE)
        }
    }
}
