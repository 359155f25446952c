//! Loads a review project for the commands that evaluate it (`eval`, `report`): the TOML project through
//! tiendo-load, with its diagnostics rendered to standard error when it has errors.

use std::path::Path;

use anyhow::bail;
use tiendo_load::files::SourceMap;
use tiendo_load::render::render_human;
use tiendo_load::{Project, RealFileSystem, load_project};

use crate::output;

/// A project loaded for a command that evaluates it: the project, its TOML texts, and the loader's warnings about
/// them (already printed).
pub struct LoadedProject {
    pub project: Project,
    pub files: SourceMap,
    pub warnings: Vec<tiendo_core::Diagnostic>,
}

/// Loads the project in `dir`, with the TOML texts read (to locate plugin wiring faults in them and to give their
/// digests). A project with errors is a tool failure for the commands that need it: they print the same diagnostics
/// as `tiendo check` and stop. Its warnings are printed as `check` prints them, since they concern the values
/// computed (a percentage target of 0.9 read as 0.9 %, W005; a breakdown that cannot be computed, W007), and `eval`
/// and `report` said none of them (round 72).
pub fn load_with_sources(dir: &Path, colour: bool) -> anyhow::Result<LoadedProject> {
    let loaded = load_project(&crate::builtin::file_system(&RealFileSystem), dir);
    if !loaded.diagnostics.is_empty() {
        output::stderr(&render_human(&loaded.diagnostics, &loaded.files, colour));
    }
    if loaded.has_errors() {
        bail!(
            "the project in {} has {} error(s); fix them (`tiendo check {}` lists them) and run again",
            dir.display(),
            loaded.error_count(),
            dir.display()
        );
    }
    match loaded.project {
        Some(project) => Ok(LoadedProject { project, files: loaded.files, warnings: loaded.diagnostics }),
        None => bail!("{} is not a project folder: it has no tiendo.toml", dir.display()),
    }
}

/// The sandboxed host with the project's plugins loaded, or `None` when the project declares none, and the
/// diagnostics of its wiring (printed here to standard error, as `file:line:col` lines).
///
/// A plugin that cannot be used (an invalid sidecar, a sidecar that disagrees with the pin, a missing file, a
/// sha256 mismatch, a wrong interface version…) is refused by the host and fails only its own metrics during
/// evaluation, which the outputs then show; only a host that cannot start at all is an error here.
pub fn plugin_host(
    project: &Project,
    files: &mut SourceMap,
) -> anyhow::Result<(Option<tiendo_plugin_host::PluginHost>, Vec<tiendo_core::Diagnostic>)> {
    let Some(wiring) = crate::wiring::load(&project.plugins, files)? else { return Ok((None, Vec::new())) };
    let text: String =
        wiring.diagnostics.iter().map(|d| crate::cmd::eval::render_diagnostic(d) + "\n").collect::<Vec<_>>().concat();
    output::stderr(&text);
    Ok((Some(wiring.host), wiring.diagnostics))
}

/// The project folder: `explicit` when given, else the working folder or the nearest folder above it that holds
/// `tiendo.toml`, else an error that says how to start one.
pub fn find_project(explicit: Option<std::path::PathBuf>) -> anyhow::Result<std::path::PathBuf> {
    if let Some(path) = explicit {
        return Ok(physical(path));
    }
    match search_upward() {
        Some(dir) => Ok(dir),
        None => bail!(
            "no tiendo.toml in the working folder or any folder above it\n  = hint: create a project with `tiendo init` \
             (or `tiendo init DIR --province ID`), or name the project folder"
        ),
    }
}

/// `path` as the file system reads it, where reading it by its letters would not: through a symbolic link, or with
/// a `..` after a folder name. The loader joins and shortens paths by their letters (`link/../proj` is `proj`), so
/// `tiendo eval link/../proj` read `tiendo.toml` from the link's target's sibling and the catalogue and data from
/// `./proj`, another project, and `report proj/../proj` looked for `proj/../proj/../../catalogue.toml` (round 71,
/// found by a verifier). Such a path is made absolute, with its links followed; any other is kept as typed, so
/// that messages name it as the user wrote it.
fn physical(path: std::path::PathBuf) -> std::path::PathBuf {
    use std::path::Component;
    let mut prefix = std::path::PathBuf::new();
    let mut after_name = false;
    let mut by_letters_is_wrong = false;
    for component in path.components() {
        prefix.push(component);
        match component {
            Component::Normal(_) => {
                after_name = true;
                by_letters_is_wrong |= std::fs::symlink_metadata(&prefix).is_ok_and(|m| m.file_type().is_symlink());
            }
            Component::ParentDir => by_letters_is_wrong |= after_name,
            _ => {}
        }
    }
    if by_letters_is_wrong { std::fs::canonicalize(&path).unwrap_or(path) } else { path }
}

/// The working folder or the nearest folder above it with a `tiendo.toml`, given relative to the working folder
/// (`.`, `..`, `../..`) so that messages and digests name it as the user sees it.
pub fn search_upward() -> Option<std::path::PathBuf> {
    let current = std::env::current_dir().ok()?;
    let mut relative = std::path::PathBuf::from(".");
    for dir in current.ancestors() {
        if dir.join(tiendo_load::PROJECT_FILE).is_file() {
            return Some(relative);
        }
        relative = if relative == Path::new(".") { "..".into() } else { relative.join("..") };
    }
    None
}

/// Parses a period given on the command line (`--window`, `--period`), with a hint for the forms people type for a
/// range of years (`2021-2023`, `2021 - 2023`, `2021–2023`).
pub fn parse_period_argument(option: &str, text: &str) -> anyhow::Result<tiendo_core::Period> {
    tiendo_core::Period::parse(text).map_err(|error| {
        let years: Vec<&str> = text.split(['-', '\u{2013}', '\u{2014}']).map(str::trim).collect();
        match years.as_slice() {
            [from, to] if [from, to].iter().all(|year| year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())) => {
                anyhow::anyhow!("{option} {text}: {error}\n  = hint: write a range of years as `{from}..{to}`")
            }
            _ => anyhow::anyhow!("{option} {text}: {error}"),
        }
    })
}

/// Refuses a window (`--window`, or `--period` with `--plan`) that ends after the period of the plan under review: a
/// review is decided against that plan's targets (methodology, section 4, one period rule), and a later year would let
/// the next plan's target decide a status shown beside this plan's target. The hint names the plan that follows, if
/// the catalogue has one for the same org unit.
pub fn check_window_within_plan(
    (option, written): (&str, &str),
    window: tiendo_core::Period,
    plan: &tiendo_core::Plan,
    catalogue: &tiendo_core::Catalogue,
) -> anyhow::Result<()> {
    let end = plan.period.end();
    if window.end() <= end {
        return Ok(());
    }
    let next = catalogue
        .plans
        .values()
        .filter(|p| p.org_unit == plan.org_unit && p.kind == plan.kind && p.period.start() > end)
        .min_by_key(|p| (p.period.start(), p.id.clone()));
    let other = next.map_or_else(String::new, |next| format!(", or review {} with --plan {}", next.period, next.id));
    bail!(
        "{option} {written} runs past {} ({}), the plan under review: its statuses are decided against that plan's \
         targets, and the days after {end} belong to no review of it\n  = hint: end the window by {end}{other}",
        plan.id,
        plan.period
    )
}

/// How many threads the evaluation may use: both cores of a typical machine at most; the binary asks the machine so
/// that the pure evaluation crate does not have to.
pub fn evaluation_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from).min(2)
}

/// The hint for an id given to `--org-unit` that the catalogue does not hold ([`org_unit_meant`] among every unit),
/// else where the ids are listed.
pub fn unknown_org_unit_hint(catalogue: &tiendo_core::Catalogue, wanted: &str) -> String {
    match org_unit_meant(catalogue, wanted, |_| true) {
        Some((hint, true)) => format!("{hint} (`--org-unit` takes the id, not the name)"),
        Some((hint, false)) => hint,
        None => "`tiendo list org-units` lists them".to_owned(),
    }
}

/// "did you mean …?" for `wanted`, not an id of the catalogue, among the org units `among` accepts: the units whose
/// Vietnamese or English name it is (case, accents and Unicode form aside: `Tỉnh A` names `prov-a`), with `true`;
/// else the nearest id, with `false`; `None` when neither.
pub fn org_unit_meant(
    catalogue: &tiendo_core::Catalogue,
    wanted: &str,
    among: impl Fn(&tiendo_core::OrgUnit) -> bool,
) -> Option<(String, bool)> {
    let folded = tiendo_core::text::fold(wanted);
    let units = || catalogue.org_units.values().filter(|unit| among(unit));
    let by_name: Vec<String> = units()
        .filter(|unit| [&unit.name.vi, &unit.name.en].iter().any(|name| tiendo_core::text::fold(name) == folded))
        .map(|unit| format!("`{}`", unit.id))
        .collect();
    if !by_name.is_empty() {
        return Some((format!("did you mean {}?", by_name.join(" or ")), true));
    }
    tiendo_core::diagnostic::did_you_mean(wanted, units().map(|unit| unit.id.as_str()))
        .map(|near| (format!("did you mean `{near}`?"), false))
}

/// The error for a `--plan` the catalogue does not hold, with the plan whose number or title it is (`1522/KH-UBND`,
/// "Kế hoạch …": `--plan` takes the id), else the nearest plan id, else where the ids are listed.
pub fn unknown_plan(catalogue: &tiendo_core::Catalogue, id: &str) -> anyhow::Error {
    let folded = tiendo_core::text::fold(id);
    let named: Vec<String> = catalogue
        .plans
        .values()
        .filter(|plan| {
            [plan.number.as_deref().unwrap_or_default(), &plan.title.vi, &plan.title.en]
                .iter()
                .any(|name| !name.is_empty() && tiendo_core::text::fold(name) == folded)
        })
        .map(|plan| format!("`{}`", plan.id))
        .collect();
    let hint = if named.is_empty() {
        tiendo_core::diagnostic::did_you_mean(id, catalogue.plans.keys().map(String::as_str))
            .map_or_else(|| "`tiendo list plans` lists them".to_owned(), |known| format!("did you mean `{known}`?"))
    } else {
        format!("did you mean {}? (`--plan` takes the id, not the number or title)", named.join(" or "))
    };
    anyhow::anyhow!("--plan {id}: unknown plan\n  = hint: {hint}")
}
