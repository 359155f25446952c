//! The only place that writes to the terminal, so that library crates never print.
//!
//! Two rules hold for everything written here (issue 11, part 6):
//!
//! * a failed write is an error naming the OS cause (`No space left on device`), which makes the command exit 2;
//!   a closed pipe (`tiendo list … | head`) is not a failure: the rest of the output is dropped quietly;
//! * text meant for people shows control characters escaped (`\u{1b}`), so that a name, a note, a plugin's log or
//!   an echoed source line cannot move the cursor, clear the screen, set the window title, hide text or plant a
//!   link in the reader's terminal. Line feeds and tabs stay, and so do colour (SGR) sequences when tiendo colours
//!   the output itself. Data formats (JSON, CSV) keep their text exact unless they go to a terminal.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "the binary's output module is where printing belongs")]

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;

use crate::cli::ColourChoice;

/// Whether standard error is coloured by tiendo (its SGR sequences are then kept).
static COLOUR_STDERR: AtomicBool = AtomicBool::new(false);

/// Remembers whether standard error is coloured; called once by `main`.
pub fn set_colour_stderr(colour: bool) {
    COLOUR_STDERR.store(colour, Ordering::Relaxed);
}

/// Writes human text to standard output, control characters escaped (colour sequences kept when `colour`).
pub fn stdout_human(text: &str, colour: bool) -> anyhow::Result<()> {
    write_to(&mut std::io::stdout().lock(), &escape_controls(text, colour), "standard output")
}

/// Writes data (JSON, CSV) to standard output exactly, or with control characters escaped on a terminal.
pub fn stdout_data(text: &str) -> anyhow::Result<()> {
    let shown = if std::io::stdout().is_terminal() { escape_controls(text, false) } else { Cow::Borrowed(text) };
    write_to(&mut std::io::stdout().lock(), &shown, "standard output")
}

/// Writes `text` to standard error, control characters escaped. A failure to write there cannot be reported
/// anywhere, so it is ignored.
pub fn stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(escape_controls(text, COLOUR_STDERR.load(Ordering::Relaxed)).as_bytes());
    let _ = err.flush();
}

/// Standard error as a writer, with [`stderr`]'s escaping (each write is expected to be whole lines).
pub struct StderrEscaping;

impl Write for StderrEscaping {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        stderr(&String::from_utf8_lossy(buf));
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes and flushes `text`; a closed pipe is success, any other failure an error naming `what` and the OS cause.
pub fn write_to(out: &mut dyn Write, text: &str, what: &str) -> anyhow::Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.with_context(|| format!("could not write to {what}")),
    }
}

/// Prints a tool failure with its cause chain.
pub fn error_chain(error: &anyhow::Error) {
    let mut text = format!("error: {error}\n");
    for cause in error.chain().skip(1) {
        text.push_str(&format!("  caused by: {cause}\n"));
    }
    stderr(&text);
}

/// `text` with every control character but line feed and tab shown as `\u{…}`, and the Unicode controls that
/// reorder or hide text (bidirectional overrides and isolates) too. With `keep_colour`, SGR colour sequences
/// (`ESC [ digits ; … m`) stay: they can colour text but not move the cursor, erase, retitle or link.
pub fn escape_controls(text: &str, keep_colour: bool) -> Cow<'_, str> {
    let dangerous = |c: char| {
        (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(dangerous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' && keep_colour {
            let sgr_length = rest[1..]
                .strip_prefix('[')
                .and_then(|tail| tail.find(|d: char| !(d.is_ascii_digit() || d == ';')).map(|end| (tail, end)))
                .filter(|(tail, end)| tail[*end..].starts_with('m'))
                .map(|(_, end)| end + 3);
            if let Some(length) = sgr_length {
                out.push_str(&rest[..length]);
                rest = &rest[length..];
                continue;
            }
        }
        if dangerous(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_colour_kept_only_when_asked() {
        let cases: [(&str, bool, &str); 8] = [
            ("plain\ttext\n", false, "plain\ttext\n"),
            ("a\u{1b}]0;title\u{7}b", false, "a\\u{1b}]0;title\\u{7}b"),
            ("clear\u{1b}[2J", true, "clear\\u{1b}[2J"),
            ("\u{1b}[1;31mred\u{1b}[0m", true, "\u{1b}[1;31mred\u{1b}[0m"),
            ("\u{1b}[1;31mred\u{1b}[0m", false, "\\u{1b}[1;31mred\\u{1b}[0m"),
            ("cr\rover", false, "cr\\u{d}over"),
            ("bidi \u{202e}gnp.exe", false, "bidi \\u{202e}gnp.exe"),
            ("c1 \u{9b}31m", true, "c1 \\u{9b}31m"),
        ];
        for (text, colour, expected) in cases {
            assert_eq!(escape_controls(text, colour), expected, "{text:?}");
        }
    }

    #[test]
    fn a_closed_pipe_is_quiet_and_a_full_disk_is_an_error() {
        struct Failing(std::io::ErrorKind);
        impl Write for Failing {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::from(self.0))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        assert!(write_to(&mut Failing(std::io::ErrorKind::BrokenPipe), "x", "standard output").is_ok());
        let error = write_to(&mut Failing(std::io::ErrorKind::StorageFull), "x", "standard output").unwrap_err();
        assert!(format!("{error:#}").starts_with("could not write to standard output: "), "{error:#}");
    }
}
