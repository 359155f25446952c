//! `tiendo check`: loads a project, a catalogue folder or a file and reports every problem.

use std::path::PathBuf;
use std::process::ExitCode;

use tiendo_load::render::{render_human, render_json};
use tiendo_load::{RealFileSystem, load_path};

use crate::cli::{CheckArgs, CheckFormat, GlobalOptions};
use crate::output;

/// Plain settings for a check, independent of clap.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    pub path: PathBuf,
    pub format: CheckFormat,
    pub colour: bool,
}

pub fn run(args: CheckArgs, global: &GlobalOptions) -> anyhow::Result<ExitCode> {
    let settings = CheckSettings { path: args.path, format: args.format, colour: output::colour_stdout(global.color) };
    let loaded = load_path(&RealFileSystem, &settings.path);
    match settings.format {
        CheckFormat::Json => output::stdout(&render_json(&loaded.diagnostics)),
        CheckFormat::Human => {
            let mut text = render_human(&loaded.diagnostics, &loaded.files, settings.colour);
            text.push_str(&summary(loaded.error_count(), loaded.warning_count(), loaded.files.files().count()));
            output::stdout(&text);
        }
    }
    Ok(if loaded.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 { format!("1 {word}") } else { format!("{count} {word}s") }
}

/// The closing line: what was checked and what was found.
fn summary(errors: usize, warnings: usize, files: usize) -> String {
    let checked = plural(files, "file");
    if errors == 0 && warnings == 0 {
        format!("checked {checked}: no problems found\n")
    } else {
        format!("checked {checked}: {}, {}\n", plural(errors, "error"), plural(warnings, "warning"))
    }
}
