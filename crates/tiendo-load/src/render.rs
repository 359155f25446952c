//! Rendering diagnostics for people (the source line with an underline, via codespan-reporting) and for
//! programs (JSON). Both are deterministic: same diagnostics and texts, same bytes.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config};
use serde::Serialize;
use tiendo_core::{Diagnostic, Severity};

use crate::files::{SourceFile, SourceMap};

impl<'a> Files<'a> for SourceMap {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        self.files().nth(id).map(|(_, f)| f.name.as_str()).ok_or(FilesError::FileMissing)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        self.files().nth(id).map(|(_, f)| f.text.as_str()).ok_or(FilesError::FileMissing)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        self.files().nth(id).map(|(_, f)| f.line_index(byte_index)).ok_or(FilesError::FileMissing)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let (_, file) = self.files().nth(id).ok_or(FilesError::FileMissing)?;
        // codespan asks for the line after the last one when a span ends at the end of the file.
        let last = file.line_index(file.text.len());
        let line = line_index.min(last);
        let range = file.line_range(line).ok_or(FilesError::LineTooLarge { given: line_index, max: last })?;
        // codespan expects the range to include the line break.
        let end = if line < last { file.line_range(line + 1).map_or(range.end, |next| next.start) } else { range.end };
        Ok(range.start..end)
    }
}

/// Source lines longer than this (bytes) are not quoted whole under a diagnostic: a catalogue written on one line
/// (a minified array of inline tables) repeated its whole line, and an underline as wide, for every diagnostic on it
/// (2,000 errors in a 137 KB line wrote 410 MB; a 1 MB line never finished: round 70, found by an adversarial tester).
const QUOTED_LINE: usize = 240;

/// Characters quoted on each side of a span on a line too long to quote whole.
const EXCERPT_SIDE: usize = 30;

/// Whether every line that `range` of `file` touches is short enough to quote whole ([`QUOTED_LINE`]).
fn quotable(file: &SourceFile, range: &Range<usize>) -> bool {
    (file.line_index(range.start)..=file.line_index(range.end))
        .all(|line| file.line_range(line).is_none_or(|r| r.len() <= QUOTED_LINE))
}

/// The text around `range` of `file` on its first line: up to [`EXCERPT_SIDE`] characters each side and the span's
/// first [`EXCERPT_SIDE`], with "…" where the line goes on.
fn excerpt(file: &SourceFile, range: &Range<usize>) -> String {
    let line = file.line_range(file.line_index(range.start)).unwrap_or(range.clone());
    let text = &file.text;
    let before: Vec<char> = text[line.start..range.start.max(line.start)].chars().rev().take(EXCERPT_SIDE).collect();
    let from = range.start.max(line.start);
    let spanned: String = text[from..range.end.clamp(from, line.end)].chars().take(EXCERPT_SIDE).collect();
    let after_start = (from + spanned.len()).min(line.end);
    let after: String = text[after_start..line.end].chars().take(EXCERPT_SIDE).collect();
    let mut out = String::new();
    if from - before.iter().map(|c| c.len_utf8()).sum::<usize>() > line.start {
        out.push('…');
    }
    out.extend(before.iter().rev());
    out.push_str(&spanned);
    out.push_str(&after);
    if after_start + after.len() < line.end {
        out.push('…');
    }
    out
}

fn report_for(diagnostic: &Diagnostic, files: &SourceMap) -> Report<usize> {
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info => ReportSeverity::Note,
    };
    let report = Report::new(severity)
        .with_code(format!("{} {}", diagnostic.code, diagnostic.name))
        .with_message(&diagnostic.message);
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    // Whether the primary span is shown: quoted under the message, or located with an excerpt of its long line.
    let mut placed = false;
    if let Some(span) = &diagnostic.span
        && let Some((id, file)) = files.by_name(&span.file)
    {
        let range = file.clamp(span.start..span.end);
        placed = true;
        if quotable(file, &range) {
            labels.push(Label::primary(id.0, range));
        } else {
            notes.push(format!("at {}:{}:{}: `{}`", span.file, span.line, span.column, excerpt(file, &range)));
        }
    }
    for related in &diagnostic.related {
        if let Some((id, file)) = files.by_name(&related.span.file) {
            let range = file.clamp(related.span.start..related.span.end);
            if quotable(file, &range) {
                labels.push(Label::secondary(id.0, range).with_message(&related.label));
            } else {
                let at = (&related.span.file, related.span.line, related.span.column);
                notes.push(format!("{} at {}:{}:{}: `{}`", related.label, at.0, at.1, at.2, excerpt(file, &range)));
            }
        }
    }
    if !placed && let Some(span) = &diagnostic.span {
        // The text is not at hand (e.g. a file that vanished): still say where.
        notes.push(format!("at {}:{}:{}", span.file, span.line, span.column));
    }
    notes.extend(diagnostic.hints.iter().map(|hint| format!("hint: {hint}")));
    report.with_labels(labels).with_notes(notes)
}

/// Renders diagnostics for a terminal or a file: the header with code and name, `file:line:col`, the source line
/// with the span underlined, related places, and hints. `colour` adds ANSI colours (only for terminals).
pub fn render_human(diagnostics: &[Diagnostic], files: &SourceMap, colour: bool) -> String {
    let config = Config::default();
    let mut out = String::new();
    for diagnostic in diagnostics {
        let report = report_for(diagnostic, files);
        let rendered = if colour {
            let styles = term::Styles::default();
            let mut buffer = term::termcolor::Ansi::new(Vec::new());
            let mut writer = term::StylesWriter::new(&mut buffer, &styles);
            term::emit_to_write_style(&mut writer, &config, files, &report)
                .map(|()| String::from_utf8_lossy(&buffer.into_inner()).into_owned())
        } else {
            term::emit_into_string(&config, files, &report)
        };
        match rendered {
            Ok(text) => out.push_str(&text),
            // Rendering only fails when a span names a file that is not in the map; fall back to one line.
            Err(_) => out.push_str(&format!(
                "{}[{}]: {}\n",
                diagnostic.severity.as_str(),
                diagnostic.code,
                diagnostic.message
            )),
        }
    }
    out
}

/// The JSON form of a check: every diagnostic plus counts.
#[derive(Debug, Clone, Serialize)]
pub struct JsonReport<'a> {
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: &'a [Diagnostic],
}

/// Renders diagnostics as pretty JSON (stable field order, one trailing newline).
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let report = JsonReport { errors, warnings: diagnostics.len() - errors, diagnostics };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}
