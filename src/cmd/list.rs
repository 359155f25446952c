//! `tiendo list`: the indicators, data elements, plans, org units, sources or agencies of a catalogue, as a table or JSON.

use std::process::ExitCode;

use anyhow::Context;
use tiendo_core::{Catalogue, Lang, Text};
use tiendo_load::render::render_human;
use tiendo_load::{RealFileSystem, load_path};

use crate::cli::{GlobalOptions, Language, ListArgs, ListFormat, ListWhat};
use crate::output;

pub fn run(args: ListArgs, global: &GlobalOptions) -> anyhow::Result<ExitCode> {
    // Without a path: the project here or above, else the built-in national catalogue.
    let path = args.path.or_else(crate::project::search_upward).unwrap_or_else(|| "builtin:vn".into());
    let loaded = load_path(&crate::builtin::file_system(&RealFileSystem), &path);
    let Some(catalogue) = &loaded.catalogue else {
        // Listing a catalogue with errors would show a partial picture: show the errors instead.
        let mut text = render_human(&loaded.diagnostics, &loaded.files, output::colour_stderr(global.color));
        text.push_str(&format!(
            "cannot list: {} found; run `tiendo check` for details\n",
            if loaded.error_count() == 1 { "1 error".to_owned() } else { format!("{} errors", loaded.error_count()) }
        ));
        output::stderr(&text);
        return Ok(ExitCode::from(1));
    };
    let lang = match args.lang {
        Language::Vi => Lang::Vi,
        Language::En => Lang::En,
    };
    let text = match args.format {
        ListFormat::Json => json(catalogue, args.what)?,
        ListFormat::Table => table(&rows(catalogue, args.what, lang)),
    };
    match args.format {
        ListFormat::Json => output::stdout_data(&text)?,
        ListFormat::Table => output::stdout_human(&text, false)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn json(catalogue: &Catalogue, what: ListWhat) -> anyhow::Result<String> {
    let value = match what {
        ListWhat::Indicators => serde_json::to_value(catalogue.indicators.values().collect::<Vec<_>>()),
        ListWhat::Plans => serde_json::to_value(catalogue.plans.values().collect::<Vec<_>>()),
        ListWhat::OrgUnits => serde_json::to_value(catalogue.org_units.values().collect::<Vec<_>>()),
        ListWhat::Sources => serde_json::to_value(catalogue.sources.values().collect::<Vec<_>>()),
        ListWhat::Agencies => serde_json::to_value(catalogue.agencies.values().collect::<Vec<_>>()),
        ListWhat::DataElements => serde_json::to_value(catalogue.data_elements.values().collect::<Vec<_>>()),
    }
    .context("cannot serialise the list")?;
    let mut text = serde_json::to_string_pretty(&value).context("cannot serialise the list")?;
    text.push('\n');
    Ok(text)
}

fn or_dash(value: Option<String>) -> String {
    value.filter(|v| !v.is_empty()).unwrap_or_else(|| "-".to_owned())
}

fn name(text: &Text, lang: Lang) -> String {
    text.get(lang).to_owned()
}

/// The header and rows of the table, in id order.
fn rows(catalogue: &Catalogue, what: ListWhat, lang: Lang) -> Vec<Vec<String>> {
    let header = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
    let mut rows = Vec::new();
    match what {
        ListWhat::Indicators => {
            rows.push(header(&["ID", "CODE", "MEASURE", "GROUP", "NAME"]));
            for i in catalogue.indicators.values() {
                let measure = serde_json::to_value(i.measure).ok().and_then(|v| v.as_str().map(str::to_owned));
                rows.push(vec![i.id.clone(), i.code.clone(), or_dash(measure), i.group.clone(), name(&i.name, lang)]);
            }
        }
        ListWhat::DataElements => {
            rows.push(header(&["ID", "TYPE", "SENSITIVE", "CATEGORIES", "NAME"]));
            for element in catalogue.data_elements.values() {
                let value_type =
                    serde_json::to_value(element.value_type).ok().and_then(|v| v.as_str().map(str::to_owned));
                rows.push(vec![
                    element.id.clone(),
                    or_dash(value_type),
                    if element.sensitive { "yes" } else { "no" }.to_owned(),
                    or_dash(Some(element.categories.join(","))),
                    name(&element.name, lang),
                ]);
            }
        }
        ListWhat::Plans => {
            rows.push(header(&["ID", "KIND", "NUMBER", "ORG UNIT", "PERIOD", "INDICATORS", "TITLE"]));
            for p in catalogue.plans.values() {
                let kind = serde_json::to_value(p.kind).ok().and_then(|v| v.as_str().map(str::to_owned));
                rows.push(vec![
                    p.id.clone(),
                    or_dash(kind),
                    or_dash(p.number.clone()),
                    p.org_unit.clone(),
                    p.period.to_string(),
                    p.indicators.len().to_string(),
                    name(&p.title, lang),
                ]);
            }
        }
        ListWhat::OrgUnits => {
            rows.push(header(&["ID", "LEVEL", "PARENT", "VALID FROM", "VALID TO", "SUCCESSORS", "NAME"]));
            for u in catalogue.org_units.values() {
                let level = serde_json::to_value(u.level).ok().and_then(|v| v.as_str().map(str::to_owned));
                rows.push(vec![
                    u.id.clone(),
                    or_dash(level),
                    or_dash(u.parent.clone()),
                    or_dash(u.valid_from.map(|d| d.to_string())),
                    or_dash(u.valid_to.map(|d| d.to_string())),
                    or_dash(Some(u.successors.join(", "))),
                    name(&u.name, lang),
                ]);
            }
        }
        ListWhat::Sources => {
            rows.push(header(&["ID", "NUMBER", "DATE", "TITLE"]));
            for s in catalogue.sources.values() {
                rows.push(vec![
                    s.id.clone(),
                    or_dash(s.number.clone()),
                    or_dash(s.date.map(|d| d.to_string())),
                    name(&s.title, lang),
                ]);
            }
        }
        ListWhat::Agencies => agency_rows(catalogue, lang, &mut rows),
    }
    rows
}

/// One row per agency, then one per function that went to its own successor (`FUNCTION` names it), so that the
/// 2025 successors by function can be read at a glance.
fn agency_rows(catalogue: &Catalogue, lang: Lang, rows: &mut Vec<Vec<String>>) {
    rows.push(["ID", "FUNCTION", "VALID TO", "SUCCESSOR", "FROM", "NAME"].map(str::to_owned).to_vec());
    let day_after = |date: Option<chrono::NaiveDate>| date.and_then(|d| d.succ_opt()).map(|d| d.to_string());
    for a in catalogue.agencies.values() {
        rows.push(vec![
            a.id.clone(),
            "-".to_owned(),
            or_dash(a.valid_to.map(|d| d.to_string())),
            or_dash(a.successor.clone()),
            or_dash(a.successor.as_ref().and(day_after(a.valid_to))),
            name(&a.name, lang),
        ]);
        for f in &a.functions {
            rows.push(vec![
                a.id.clone(),
                f.id.clone(),
                or_dash(a.valid_to.map(|d| d.to_string())),
                or_dash(f.successor.clone()),
                or_dash(f.from.map(|d| d.to_string())),
                name(&f.name, lang),
            ]);
        }
    }
}

/// Aligns columns by character count; the last column is not padded.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r.get(c).map_or(0, |s| s.chars().count())).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(widths[c] - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
