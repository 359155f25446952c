//! The only place that writes to the terminal, so that library crates never print.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "the binary's output module is where printing belongs")]

use std::io::{IsTerminal, Write};

use crate::cli::ColourChoice;

/// Writes `text` to standard output as is. A closed pipe (`tiendo list … | head`) is not an error worth a panic.
pub fn stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Writes `text` to standard error as is.
pub fn stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// Prints a tool failure with its cause chain.
pub fn error_chain(error: &anyhow::Error) {
    eprintln!("error: {error}");
    for cause in error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}

/// Whether to colour what goes to standard output.
pub fn colour_stdout(choice: ColourChoice) -> bool {
    match choice {
        ColourChoice::Always => true,
        ColourChoice::Never => false,
        ColourChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Whether to colour what goes to standard error.
pub fn colour_stderr(choice: ColourChoice) -> bool {
    match choice {
        ColourChoice::Always => true,
        ColourChoice::Never => false,
        ColourChoice::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}
