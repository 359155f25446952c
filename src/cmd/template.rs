//! `tiendo template`: Excel data-entry workbooks, one per data set, written whole or not at all.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use tiendo_core::Period;
use tiendo_load::render::render_human;
use tiendo_load::template::data_entry_workbook_for;
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
    let units = match units_of(catalogue, &args.org_unit) {
        Ok(units) => units,
        Err(message) => return refuse(&message),
    };
    let mut workbooks: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for id in wanted {
        let Some(data_set) = catalogue.data_sets.get(id) else {
            let known: Vec<&str> = catalogue.data_sets.keys().map(String::as_str).collect();
            problems.push(if known.is_empty() {
                format!("unknown data set `{id}`; the catalogue has no data set: declare one (`[[data_set]]`)")
            } else {
                format!("unknown data set `{id}`; the catalogue has {}", known.join(", "))
            });
            continue;
        };
        // With --org-unit and no --data-set, only the data sets that units of its area report.
        let reported_here = |units: &BTreeSet<String>| {
            units.iter().filter_map(|u| catalogue.org_units.get(u)).any(|u| u.level == data_set.org_unit_level)
        };
        if args.data_set.is_empty() && units.as_ref().is_some_and(|units| !reported_here(units)) {
            continue;
        }
        let scope: String = args.org_unit.iter().map(|unit| format!("{unit}-")).collect();
        let path = args.out.join(format!("{id}-{scope}{period}.xlsx"));
        if path.exists() && !args.force {
            problems.push(format!("{} exists; give --force to replace it", path.display()));
            continue;
        }
        match data_entry_workbook_for(catalogue, data_set, period, units.as_ref()) {
            Ok(bytes) => workbooks.push((path, bytes)),
            Err(error) => problems.push(error.to_string()),
        }
    }
    if workbooks.is_empty() && problems.is_empty() {
        problems.push(format!("no data set is reported at the level of {}", args.org_unit.join(", ")));
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

/// The org units whose rows `--org-unit` asks for: each given unit, the units inside it, and the units it continues
/// (those it succeeds, for the periods before it existed), with the units inside those; `None` without the option.
/// An unknown id is refused with the closest known one.
fn units_of(catalogue: &tiendo_core::Catalogue, wanted: &[String]) -> Result<Option<BTreeSet<String>>, String> {
    if wanted.is_empty() {
        return Ok(None);
    }
    let mut roots: Vec<String> = Vec::new();
    for id in wanted {
        if !catalogue.org_units.contains_key(id) {
            let hint = crate::project::unknown_org_unit_hint(catalogue, id);
            return Err(format!("--org-unit `{id}`: unknown org unit; {hint}"));
        }
        roots.push(id.clone());
        roots.extend(catalogue.org_units.values().filter(|u| u.successors.contains(id)).map(|u| u.id.clone()));
    }
    let inside = |unit: &tiendo_core::OrgUnit| {
        let mut at = Some(unit.id.as_str());
        for _ in 0..=catalogue.org_units.len() {
            let Some(id) = at else { return false };
            if roots.iter().any(|root| root == id) {
                return true;
            }
            at = catalogue.org_units.get(id).and_then(|u| u.parent.as_deref());
        }
        false
    };
    Ok(Some(catalogue.org_units.values().filter(|u| inside(u)).map(|u| u.id.clone()).collect()))
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
