//! `tiendo eval [PROJECT]`: evaluates a project's indicators on its data and prints the values, changes on the
//! same period last year, progress against targets and status, validation findings and completeness.
//!
//! Exit codes: 0 evaluated; 1 findings: the data files have errors (bad rows are reported as `file:row:column` and
//! left out, the rest is still evaluated and printed) or a plugin failed (its failed points are shown with its
//! message, the rest is evaluated and printed); 2 the tool failed (a file could not be read, the output could not
//! be written).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use tiendo_core::eval::{self, CoveragePolicy, Evaluation, EvaluationSettings, Method, ObservationStore};
use tiendo_core::plugin::MetricProvider;
use tiendo_core::{Catalogue, Diagnostic, Period};
use tiendo_load::observations::{ReadOptions, read_observations_from};

pub use super::eval_text::{render_csv, render_table};

/// Output formats of `tiendo eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum EvalFormat {
    /// A table for people.
    #[default]
    Table,
    /// Everything, as JSON.
    Json,
    /// One row per indicator, org unit and period.
    Csv,
}

/// The plain settings of `tiendo eval`, built from the command line before any library call.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalSettings {
    pub project: PathBuf,
    /// Only this plan's indicators, and by default its org unit and its own period.
    pub plan: Option<String>,
    /// Only periods within this one (a period id).
    pub period: Option<String>,
    /// Only these org units.
    pub org_units: Vec<String>,
    pub format: EvalFormat,
    /// The evaluation date; the binary passes today's date unless `--as-of` is given.
    pub as_of: NaiveDate,
    pub show_suppressed: bool,
    /// Overrides the project's assessment method.
    pub method: Option<Method>,
}

/// What `run` needs from a loaded project. The integrator fills it from `tiendo_load::load_project`.
#[derive(Debug, Clone)]
pub struct ProjectInputs {
    pub catalogue: Catalogue,
    /// Data files: absolute, starting with `root`, or relative to `root`.
    pub data_files: Vec<PathBuf>,
    /// The sheet to read in some workbooks of `data_files` (`[project] sheets`), keyed as in `data_files`.
    pub data_sheets: BTreeMap<PathBuf, String>,
    pub root: PathBuf,
    pub threshold: f64,
    /// The narrowest range a reader may work out for a hidden count (`[confidentiality] protection`).
    pub protection: f64,
    /// Zero counts are suppressed too (`[confidentiality] suppress_zeros`).
    pub suppress_zeros: bool,
    pub method: Option<Method>,
    pub coverage: CoveragePolicy,
}

impl ProjectInputs {
    /// A loaded project's inputs to evaluation: its catalogue, data files and `[confidentiality]` and
    /// `[assessment]` settings (shared by `eval`, `check`, `report` and `narrative`).
    pub fn of(project: &tiendo_load::Project) -> Self {
        Self {
            catalogue: project.catalogue.clone(),
            data_files: project.data_files.clone(),
            data_sheets: project.data_sheets.clone(),
            root: project.root.clone(),
            threshold: f64::from(project.settings.confidentiality_threshold),
            protection: f64::from(project.settings.confidentiality_protection),
            suppress_zeros: project.settings.suppress_zeros,
            method: project.settings.assessment_method,
            coverage: project.settings.coverage,
        }
    }

    /// The evaluation settings of these inputs on `period` as of `as_of` with `method`: every unit, suppressed
    /// values hidden, the audit's default work budget. Callers change the fields they set themselves.
    pub fn evaluation_settings(&self, as_of: NaiveDate, method: Method, period: Option<Period>) -> EvaluationSettings {
        EvaluationSettings {
            as_of,
            method,
            threshold: self.threshold,
            protection: self.protection,
            suppress_zeros: self.suppress_zeros,
            audit_work_budget: tiendo_core::disclosure::DEFAULT_WORK_BUDGET,
            show_suppressed: false,
            org_units: Vec::new(),
            period,
            threads: crate::project::evaluation_threads(),
            coverage: self.coverage,
            plan: None,
        }
    }
}

/// Runs `tiendo eval`: `load` turns the project folder into [`ProjectInputs`] (the TOML loader lives in
/// tiendo-load); output goes to `out`, diagnostics to `err`.
pub fn run(
    settings: &EvalSettings,
    load: impl FnOnce(&Path) -> anyhow::Result<ProjectInputs>,
    provider: Option<&dyn MetricProvider>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut inputs = load(&settings.project)?;
    let (mut store, mut diagnostics) = read_observations(&inputs)?;
    diagnostics.extend(tiendo_core::eval::known::plan_figures_known_on(&mut inputs.catalogue, settings.as_of));
    let plan = match &settings.plan {
        Some(id) => {
            Some(inputs.catalogue.plans.get(id).ok_or_else(|| crate::project::unknown_plan(&inputs.catalogue, id))?)
        }
        None => None,
    };
    let period = match &settings.period {
        Some(text) => Some(crate::project::parse_period_argument("--period", text)?),
        None => plan.map(|plan| plan.period),
    };
    if let (Some(plan), Some(text), Some(period)) = (plan, &settings.period, period) {
        crate::project::check_window_within_plan(("--period", text), period, plan, &inputs.catalogue)?;
    }
    let org_units = match plan {
        Some(plan) if settings.org_units.is_empty() => vec![plan.org_unit.clone()],
        _ => settings.org_units.clone(),
    };
    for unit in &org_units {
        if !inputs.catalogue.org_units.contains_key(unit) {
            let hint = crate::project::unknown_org_unit_hint(&inputs.catalogue, unit);
            anyhow::bail!("--org-unit {unit}: unknown org unit\n  = hint: {hint}");
        }
    }
    let evaluation_settings = EvaluationSettings {
        show_suppressed: settings.show_suppressed,
        org_units,
        plan: plan.map(|plan| plan.id.clone()),
        ..inputs.evaluation_settings(settings.as_of, settings.method.or(inputs.method).unwrap_or_default(), period)
    };
    // Grouped in place, so that evaluation reads the store rather than a grouped copy of it (docs/performance-log.md, W2).
    store.group(evaluation_settings.threads);
    let mut evaluation = eval::evaluate(&inputs.catalogue, &store, &evaluation_settings, provider);
    // The evaluation owns everything the outputs read: the store (290 MB at ten million rows) goes before the
    // output text is built, so that the two are never held at once (the peak of W2, docs/performance-log.md).
    drop(store);
    if let Some(plan) = plan {
        evaluation.indicators.retain(|result| plan.indicators.contains(&result.indicator));
    }
    diagnostics.extend(evaluation.diagnostics.iter().cloned());
    if let Some(plan) = plan {
        diagnostics = of_the_plan(diagnostics, plan);
    }
    sort_diagnostics(&mut diagnostics);
    err.write_all(render_for_people(&diagnostics).as_bytes())?;
    match settings.format {
        EvalFormat::Json => write_json(out, &evaluation)?,
        EvalFormat::Csv => {
            crate::output::write_to(out, &render_csv(&evaluation, &inputs.catalogue), "standard output")?
        }
        // Text for people: control characters in names cannot drive the reader's terminal.
        EvalFormat::Table => {
            let text = render_table(&evaluation, &inputs.catalogue);
            crate::output::write_to(out, &crate::output::escape_controls(&text, false), "standard output")?;
        }
    }
    let findings = diagnostics.iter().any(Diagnostic::is_error)
        || !evaluation.plugin_failures.is_empty()
        || evaluation.plugin_failures_withheld;
    Ok(if findings { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The diagnostics less those about an indicator `plan` does not list (W330, W333 of indicators outside it), with one
/// line saying how many were left out and how to see them (round 68, found by a newcomer: a provincial plan's
/// evaluation opened with warnings about other plans' indicators, whose hint asked to delete its victims' figures).
fn of_the_plan(diagnostics: Vec<Diagnostic>, plan: &tiendo_core::Plan) -> Vec<Diagnostic> {
    let outside = |d: &Diagnostic| d.indicator.as_ref().is_some_and(|indicator| !plan.indicators.contains(indicator));
    let left_out = diagnostics.iter().filter(|d| outside(d)).count();
    let mut kept: Vec<Diagnostic> = diagnostics.into_iter().filter(|d| !outside(d)).collect();
    if left_out > 0 {
        kept.push(
            Diagnostic::new(
                "I301",
                "outside-the-plan",
                tiendo_core::Severity::Info,
                format!("{left_out} warning(s) about indicators that plan `{}` does not list are not shown", plan.id),
            )
            .with_hint("`tiendo eval` without `--plan` shows them"),
        );
    }
    kept
}

/// Writes `evaluation` as pretty JSON and a line end to `out`, through a 64 KiB buffer rather than a whole text
/// first: on W2 the text is 46 MB, whose pages and copies were a tenth of the page faults of `eval`
/// (docs/performance-log.md, round 4). The bytes are those of `serde_json::to_string_pretty`. A closed pipe is success,
/// as in [`crate::output::write_to`]; any other failure is an error naming standard output and the cause.
fn write_json(out: &mut dyn Write, evaluation: &Evaluation) -> anyhow::Result<()> {
    let mut buffered = std::io::BufWriter::with_capacity(64 << 10, out);
    let written = serde_json::to_writer_pretty(&mut buffered, evaluation)
        .map_err(std::io::Error::from)
        .and_then(|()| buffered.write_all(b"\n"))
        .and_then(|()| buffered.flush());
    match written {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.context("could not write to standard output"),
    }
}

/// The codes of a data file refused as a whole: not a regular file (E003), a header without a required column, with
/// an unknown or a duplicated one (E316, E317, E327), a file that is no readable table (E319, E328, E337).
const FILE_REFUSED: [&str; 7] = ["E003", "E316", "E317", "E319", "E327", "E328", "E337"];

/// Reads every data file of a project into an observation store, with the row-level diagnostics of all files.
///
/// # Errors
///
/// A data file refused as a whole, of which no row was read ([`FILE_REFUSED`]), stops the run with its diagnostics:
/// every figure would be made without it, and a sum over the units that did report would read as complete where no
/// data set names the units expected (round 74, found by an adversarial tester: a duplicated `source` column left a
/// province's 500 victims out of a national total published as "2 of 2 units"). Rows refused one by one are left
/// out and listed (their units stay expected, so the values lacking them are partial); `check` lists every error.
pub fn read_observations(inputs: &ProjectInputs) -> anyhow::Result<(ObservationStore, Vec<Diagnostic>)> {
    let mut store = ObservationStore::new();
    let mut unread: Vec<Diagnostic> = Vec::new();
    let diagnostics = for_each_data_file(inputs, &mut |shown, file, options| {
        let before = store.len();
        let found = read_observations_from(shown, file, &inputs.catalogue, &mut store, options)?;
        if store.len() == before && found.iter().any(|d| FILE_REFUSED.contains(&d.code)) {
            unread.extend(found.iter().filter(|d| d.severity == tiendo_core::Severity::Error).cloned());
        }
        Ok(found)
    })?;
    unread.extend(diagnostics.iter().filter(|d| d.code == "E003").cloned());
    if !unread.is_empty() {
        sort_diagnostics(&mut unread);
        let mut files: Vec<String> = unread.iter().filter_map(|d| d.span.as_ref().map(|s| s.file.clone())).collect();
        files.dedup();
        anyhow::bail!(
            "no row of {} could be read: nothing is evaluated without it\n{}  = hint: fix the errors above and run \
             again, or remove the file from `data` in tiendo.toml",
            files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "),
            render_for_people(&unread),
        );
    }
    Ok((store, diagnostics))
}

/// A reader of one data file: its name as shown in diagnostics, the open file and how to read it.
pub type ReadFile<'a> = dyn FnMut(&str, std::fs::File, ReadOptions) -> std::io::Result<Vec<Diagnostic>> + 'a;

/// Opens every data file of a project in turn and hands it to `read`, with the diagnostics of all files: what
/// `eval` reads into its store and `check` streams through ([`crate::cmd::check`]).
pub fn for_each_data_file(inputs: &ProjectInputs, read: &mut ReadFile<'_>) -> anyhow::Result<Vec<Diagnostic>> {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for file in &inputs.data_files {
        let path = data_file_path(inputs, file);
        let cannot_read = || format!("cannot read data file {}", path.display());
        let shown = display_name(&inputs.root, &path);
        // Only a regular file is opened: opening a FIFO would wait for a writer for ever.
        if !std::fs::metadata(&path).with_context(cannot_read)?.is_file() {
            diagnostics.push(
                Diagnostic::error("E003", "unreadable-path", format!("`{shown}` is not a regular file"))
                    .with_span(Some(tiendo_core::Span { file: shown.clone(), start: 0, end: 0, line: 1, column: 1 }))
                    .with_hint("a data file is a `.csv` or `.xlsx` file, not a FIFO, device or socket"),
            );
            continue;
        }
        let sheet = inputs.data_sheets.get(file).cloned();
        let file = std::fs::File::open(&path).with_context(cannot_read)?;
        // Streamed: a large file is never held whole in memory. Its length only sizes the store up front.
        let size_hint = file.metadata().ok().map(|metadata| metadata.len());
        let threads = crate::project::evaluation_threads();
        let options = ReadOptions { threads, sheet, size_hint, ..ReadOptions::default() };
        diagnostics.extend(read(&shown, file, options).with_context(cannot_read)?);
    }
    Ok(diagnostics)
}

/// The path of a data file: the project loader gives paths that already start with the project folder; tests give
/// them relative to it. The root is compared in its normal form, as the loader writes the paths it resolves: `./proj` named
/// `proj/data.csv`, which was joined to the root again (`./proj/proj/data.csv`, round 71).
pub fn data_file_path(inputs: &ProjectInputs, file: &Path) -> PathBuf {
    let root = tiendo_load::files::normalize_path(&inputs.root);
    if file.is_absolute() || file.starts_with(&root) { file.to_path_buf() } else { inputs.root.join(file) }
}

/// Sorts diagnostics by file, row and column: the order a person fixes them in.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| d.span.as_ref().map(|s| (s.file.clone(), s.line, s.column)).unwrap_or_default();
        key(a).cmp(&key(b)).then(a.code.cmp(b.code))
    });
}

fn display_name(root: &Path, path: &Path) -> String {
    let root = tiendo_load::files::normalize_path(root);
    let path = tiendo_load::files::normalize_path(path);
    path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().replace('\\', "/")
}

/// The diagnostics as people read them on a terminal, one [`render_diagnostic`] a line, with floods of one warning
/// folded into one with a count and examples ([`tiendo_core::diagnostic::condense_repeats`]).
pub fn render_for_people(diagnostics: &[Diagnostic]) -> String {
    use tiendo_core::diagnostic::{SHOWN_PER_CODE, condense_repeats};
    condense_repeats(diagnostics.to_vec(), SHOWN_PER_CODE).iter().map(|d| render_diagnostic(d) + "\n").collect()
}

/// `file:line:column: severity[code name]: message`, then the hints.
pub fn render_diagnostic(diagnostic: &Diagnostic) -> String {
    let mut text = String::new();
    if let Some(span) = &diagnostic.span {
        let _ = write!(text, "{}:{}:{}: ", span.file, span.line, span.column);
    }
    let _ = write!(
        text,
        "{}[{} {}]: {}",
        diagnostic.severity.as_str(),
        diagnostic.code,
        diagnostic.name,
        diagnostic.message
    );
    for hint in &diagnostic.hints {
        let _ = write!(text, "\n  = hint: {hint}");
    }
    text
}

/// Runs `tiendo eval` from the command line: the real project loader, standard output and standard error.
pub fn run_cli(args: crate::cli::EvalArgs, global: &crate::cli::GlobalOptions) -> anyhow::Result<ExitCode> {
    let settings = EvalSettings {
        project: crate::project::find_project(args.project)?,
        plan: args.plan,
        period: args.period,
        org_units: args.org_unit,
        format: args.format,
        as_of: args.as_of.unwrap_or_else(today),
        show_suppressed: args.show_suppressed,
        method: args.method,
    };
    let colour = crate::output::colour_stderr(global.color);
    // The project is loaded before `run` so that its plugin host can be handed to the evaluation.
    let crate::project::LoadedProject { project, mut files, .. } =
        crate::project::load_with_sources(&settings.project, colour)?;
    let (host, wiring) = crate::project::plugin_host(&project, &mut files)?;
    let inputs = ProjectInputs::of(&project);
    let provider = host.as_ref().map(|host| host as &dyn MetricProvider);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = crate::output::StderrEscaping;
    let code = run(&settings, move |_| Ok(inputs), provider, &mut out, &mut err)?;
    // A plugin wiring fault is a finding even when no indicator uses that plugin.
    Ok(if wiring.iter().any(Diagnostic::is_error) && code == ExitCode::SUCCESS { ExitCode::from(1) } else { code })
}

/// Today's date in the machine's time zone (a review run at 6 a.m. in Hà Nội is dated that day, not the day before
/// as in UTC); only the binary reads the clock.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
