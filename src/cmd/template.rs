//! `tiendo template`: Excel data-entry workbooks, one per data set, written whole or not at all.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use tiendo_core::Period;
use tiendo_load::render::render_human;
use tiendo_load::template::data_entry_workbook;
use tiendo_load::{RealFileSystem, load_path};

use crate::cli::{GlobalOptions, TemplateArgs};
use crate::output;

/// Builds every workbook in memory first, and refuses before writing anything when a data set is unknown, a
/// period does not fit or a workbook exists (without `--force`); each file is then written beside its place and
/// renamed into it, so a reader never sees half a workbook.
pub fn run(args: TemplateArgs, global: &GlobalOptions) -> anyhow::Result<ExitCode> {
    let loaded = load_path(&crate::builtin::file_system(&RealFileSystem), &args.path);
    let Some(catalogue) = &loaded.catalogue else {
        let mut text = render_human(&loaded.diagnostics, &loaded.files, output::colour_stderr(global.color));
        text.push_str("cannot write templates: the catalogue has errors; run `tiendo check` for details\n");
        output::stderr(&text);
        return Ok(ExitCode::from(1));
    };
    let period = match Period::parse(args.period.trim()) {
        Ok(period) => period,
        Err(error) => return refuse(&format!("--period `{}`: {error}; write e.g. 2025 or 2025S1", args.period)),
    };
    let wanted: Vec<&str> = if args.data_set.is_empty() {
        catalogue.data_sets.keys().map(String::as_str).collect()
    } else {
        args.data_set.iter().map(String::as_str).collect()
    };
    if wanted.is_empty() {
        return refuse("the catalogue declares no data set ([[data_set]]); add one to write its template");
    }
    let mut problems = Vec::new();
    let mut workbooks: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for id in wanted {
        let Some(data_set) = catalogue.data_sets.get(id) else {
            let known: Vec<&str> = catalogue.data_sets.keys().map(String::as_str).collect();
            problems.push(format!("unknown data set `{id}`; the catalogue has {}", known.join(", ")));
            continue;
        };
        let path = args.out.join(format!("{id}-{period}.xlsx"));
        if path.exists() && !args.force {
            problems.push(format!("{} exists; give --force to replace it", path.display()));
            continue;
        }
        match data_entry_workbook(catalogue, data_set, period) {
            Ok(bytes) => workbooks.push((path, bytes)),
            Err(error) => problems.push(error.to_string()),
        }
    }
    if !problems.is_empty() {
        return refuse(&problems.join("\n"));
    }
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut written = String::new();
    for (path, bytes) in &workbooks {
        write_whole(path, bytes)?;
        written.push_str(&format!("wrote {}\n", path.display()));
    }
    output::stderr(&written);
    Ok(ExitCode::SUCCESS)
}

fn refuse(message: &str) -> anyhow::Result<ExitCode> {
    output::stderr(&format!("error: {message}\nnothing was written\n"));
    Ok(ExitCode::from(1))
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("template.xlsx");
    let staging = path.with_file_name(format!(".{name}.tiendo-{}", std::process::id()));
    let result = std::fs::write(&staging, bytes)
        .and_then(|()| std::fs::rename(&staging, path))
        .with_context(|| format!("cannot write {}", path.display()));
    if result.is_err() {
        let _ = std::fs::remove_file(&staging);
    }
    result
}
