//! `tiendo completions SHELL` and `tiendo man`: shell completions (clap_complete) and a roff manual page
//! (clap_mangen), both generated from the clap definitions so that they never disagree with `--help`.

use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::Cli;

/// Prints the completion script of `shell` on standard output.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut command, "tiendo", &mut bytes);
    crate::output::stdout_data(&String::from_utf8(bytes).context("the completion script is not UTF-8")?)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the manual page of `tiendo` (roff) on standard output.
pub fn man() -> anyhow::Result<ExitCode> {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut bytes).context("cannot render the manual page")?;
    crate::output::stdout_data(&String::from_utf8(bytes).context("the manual page is not UTF-8")?)?;
    Ok(ExitCode::SUCCESS)
}
