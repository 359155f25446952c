//! `tiendo report`: render a review with `tiendo-report` and write it safely into the output folder.
//!
//! Writing is all-or-nothing (see [`super::report_write`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};
use tiendo_core::Period;
use tiendo_report::{InputDigest, Lang, OutputFormat, RenderOptions, RenderedReport, Review, ReviewInput};

#[cfg(test)]
use super::report_write::{MARKER_CONTENT, MARKER_FILE, STAGING_PREFIX, exchange, is_safe_relative_path, recover};
use super::report_write::{check_not_an_input, check_target, write_report};

/// Everything `tiendo report` needs once the arguments are parsed and the review is built.
#[derive(Debug)]
pub struct ReportSettings {
    /// The review to render, built by the caller from the catalogue and the evaluation results.
    pub review: Review,
    /// One language writes its files at the top of `out`; several write each into a subfolder named by its code
    /// (`vi/`, `en/`), so that the two reports never overwrite each other's charts.
    pub langs: Vec<Lang>,
    pub formats: BTreeSet<OutputFormat>,
    /// The folder to write; replaced as a whole.
    pub out: PathBuf,
    /// A folder of templates overriding the built-in ones: `review.html.hbs`, `review.md.hbs`, the partials
    /// `evidence.html.hbs`, `evidence.md.hbs`, `evidence_annex.html.hbs`, `evidence_annex.md.hbs`, and `style.css`.
    pub templates: Option<PathBuf>,
    /// Replace `out` even if it is not an earlier tiendo report.
    pub force: bool,
    /// Never show a progress bar, even on a terminal.
    pub quiet: bool,
}

/// Renders the review and writes it into `settings.out`.
pub fn run(settings: ReportSettings) -> anyhow::Result<ExitCode> {
    // Check the target before the work, so that a refusal comes at once; it is checked again before the swap.
    check_target(&settings.out, settings.force)?;
    let template_overrides = match &settings.templates {
        Some(folder) => read_templates(folder)?,
        None => BTreeMap::new(),
    };
    let progress = progress_bar(settings.quiet);
    let mut report = RenderedReport::default();
    let several = settings.langs.len() > 1;
    for (index, lang) in settings.langs.iter().enumerate() {
        let options = RenderOptions {
            lang: *lang,
            formats: settings.formats.clone(),
            template_overrides: template_overrides.clone(),
        };
        let rendered = tiendo_report::render_with_progress(&settings.review, &options, &mut |step| {
            progress.set_length((step.total * settings.langs.len()) as u64);
            progress.set_position((step.total * index + step.done) as u64);
            progress.set_message(step.what);
        })
        .context("could not render the review")?;
        for (path, bytes) in rendered.files {
            let path = if several { format!("{}/{path}", lang_code(*lang)) } else { path };
            report.files.insert(path, bytes);
        }
    }
    progress.set_message("writing");
    write_report(&report, &settings.out, settings.force)?;
    progress.finish_and_clear();
    Ok(ExitCode::SUCCESS)
}

/// The folder name of a language: its ISO 639-1 code.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

/// The sha256 of each input file, for the review's cover. `files` are given relative to `root`; they are listed in
/// path order with `/` separators whatever the platform, so that the cover is the same everywhere.
pub fn input_digests(root: &Path, files: &[PathBuf]) -> anyhow::Result<Vec<InputDigest>> {
    let mut digests = Vec::with_capacity(files.len());
    for file in files {
        let bytes = fs::read(root.join(file))
            .with_context(|| format!("could not read input `{}`", root.join(file).display()))?;
        let path = slash_path(file);
        digests.push(InputDigest { path, sha256: Some(format!("{:x}", Sha256::digest(&bytes))), data: false });
    }
    digests.sort();
    Ok(digests)
}

/// A relative path with `/` separators whatever the platform.
fn slash_path(file: &Path) -> String {
    file.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar
}

/// Reads the override templates of `folder`: `NAME.hbs` overrides the template `NAME`, `style.css` the stylesheet.
/// Other files are ignored so that a folder may hold notes; a misspelt template name is refused by the renderer.
fn read_templates(folder: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let entries =
        fs::read_dir(folder).with_context(|| format!("could not read templates folder `{}`", folder.display()))?;
    let mut templates = BTreeMap::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("could not read templates folder `{}`", folder.display()))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let name = match file_name.strip_suffix(".hbs") {
            Some(name) => name.to_owned(),
            None if file_name.ends_with(".css") => file_name.clone(),
            None => continue,
        };
        let source = fs::read_to_string(entry.path())
            .with_context(|| format!("could not read template `{}`", entry.path().display()))?;
        templates.insert(name, source);
    }
    Ok(templates)
}

/// Runs `tiendo report` from the command line: loads the project, reads its data, evaluates it over the window,
/// builds the review and writes it.
pub fn run_cli(args: crate::cli::ReportArgs, global: &crate::cli::GlobalOptions) -> anyhow::Result<ExitCode> {
    let window = crate::project::parse_period_argument("--window", &args.window)?;
    let project_dir = crate::project::find_project(args.project.clone())?;
    let as_of = args.as_of.unwrap_or_else(crate::cmd::eval::today);
    check_window(window, as_of, &args.window)?;
    let (langs, formats) = (languages(&args.lang), output_formats(&args.format));
    // Refuse a wrong target before the work, so that the refusal comes at once.
    check_target(&args.out, args.force)?;
    let current = std::env::current_dir().ok();
    check_not_an_input(
        &args.out,
        [Some(project_dir.as_path()), args.templates.as_deref(), current.as_deref()].into_iter().flatten(),
    )?;

    let colour = crate::output::colour_stderr(global.color);
    let crate::project::LoadedProject { project, files: mut sources, warnings: load_warnings } =
        crate::project::load_with_sources(&project_dir, colour)?;
    // Files of a built-in catalogue are not on disk: the digest names the catalogue once, with its sha256.
    let (builtin_files, toml_files): (Vec<PathBuf>, Vec<PathBuf>) = sources
        .files()
        .map(|(_, file)| PathBuf::from(&file.name))
        .partition(|path| tiendo_load::builtin::is_builtin(path));
    let (host, wiring) = crate::project::plugin_host(&project, &mut sources)?;
    let narrative = crate::cmd::narrative::narrative_of(&project);
    let plugin_files: Vec<PathBuf> = project.plugins.iter().map(|p| PathBuf::from(&p.path)).collect();
    let mut inputs = crate::cmd::eval::ProjectInputs::of(&project);
    let later_plan_figures = tiendo_core::eval::known::plan_figures_known_on(&mut inputs.catalogue, as_of);
    let reviewed = args.plan.clone().unwrap_or_else(|| project.settings.programme.clone());
    if let Some(id) = &args.plan
        && !inputs.catalogue.plans.contains_key(id)
    {
        return Err(crate::project::unknown_plan(&inputs.catalogue, id));
    }
    if let Some(plan) = inputs.catalogue.plans.get(&reviewed) {
        crate::project::check_window_within_plan(("--window", &args.window), window, plan, &inputs.catalogue)?;
    }
    let method = args.method.or(inputs.method).unwrap_or_default();
    let provider = host.as_ref().map(|host| host as &dyn tiendo_core::plugin::MetricProvider);
    // A plan reviewed with `--plan` is decided on its own targets; the programme's review reads every plan started.
    let settings = tiendo_core::eval::EvaluationSettings {
        plan: args.plan.clone(),
        ..inputs.evaluation_settings(as_of, method, Some(window))
    };
    let (evaluation, diagnostics, unread) = evaluate(&inputs, settings, provider, later_plan_figures)?;

    let digests = review_digests(&args.out, &inputs, (toml_files, plugin_files), &builtin_files)?;
    let plugin_names = plugin_names(&project, host.as_ref());
    let review_input = ReviewInput {
        plan: reviewed,
        window,
        as_of,
        inputs: digests,
        generator: format!("tiendo {}", env!("CARGO_PKG_VERSION")),
        threshold: project.settings.confidentiality_threshold,
        method,
        kind: args.kind.map(review_kind),
        document: document_info(&project.settings.document),
        plugin_names,
    };
    let evaluation_failures = evaluation.plugin_failures.clone();
    let failures_withheld = evaluation.plugin_failures_withheld;
    let mut review = tiendo_report::build_review(&inputs.catalogue, &evaluation, &review_input)
        .context("could not build the review")?;
    // The narrative is checked against this review before anything is written: a helper without a value stops the
    // run with its place.
    review.narrative = narrative;
    review.data_quality.rows_left_out = rows_left_out(&diagnostics);
    review.data_quality.unread = unread_figures(&inputs.catalogue, unread);
    let faults = tiendo_report::narrative::check(&review);
    if !faults.is_empty() {
        crate::cmd::narrative::print(&faults, &sources, colour);
        bail!(
            "the narrative has {} error(s); nothing was written (fix them, `tiendo check` lists them too)",
            faults.len()
        );
    }
    let written = written_files(&args.out, &langs, &formats);
    let code = run(ReportSettings {
        review,
        langs,
        formats,
        out: args.out,
        templates: args.templates,
        force: args.force,
        quiet: args.quiet,
    })?;
    // Findings (bad data rows, plugin wiring faults, failed plugin points) exit 1 after the report is written with
    // them shown; a clean run exits 0.
    let findings = diagnostics.iter().chain(&wiring).any(tiendo_core::Diagnostic::is_error)
        || !evaluation_failures.is_empty()
        || failures_withheld;
    let all: Vec<&tiendo_core::Diagnostic> = load_warnings.iter().chain(&diagnostics).chain(&wiring).collect();
    crate::output::stderr(&summary(&written, &all, evaluation_failures.len()));
    Ok(if findings { ExitCode::from(1) } else { code })
}

/// The data rows that errors left out of every figure, by code, name and `file:line` (never their values), in the
/// order of the diagnostics: the review says so at its top and lists them (round 65).
fn rows_left_out(diagnostics: &[tiendo_core::Diagnostic]) -> Vec<tiendo_report::model::RowLeftOut> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| {
            let span = d.span.as_ref()?;
            Some(tiendo_report::model::RowLeftOut {
                code: d.code.to_owned(),
                name: d.name.to_owned(),
                location: format!("{}:{}", span.file, span.line),
            })
        })
        .collect()
}

/// The review's list of figures nothing in it reads, by the catalogue's names and descriptions.
fn unread_figures(
    catalogue: &tiendo_core::Catalogue,
    unread: Vec<tiendo_core::eval::unread::UnreadElement>,
) -> Vec<tiendo_report::model::UnreadFigures> {
    unread
        .into_iter()
        .filter_map(|figures| {
            let element = catalogue.data_elements.get(&figures.element)?;
            Some(tiendo_report::model::UnreadFigures {
                element: figures.element,
                name: element.name.clone(),
                description: element.description.clone(),
                periods: figures.periods,
                read_by: figures.read_by,
                org_units: (figures.org_units.iter())
                    .map(|id| {
                        catalogue.org_units.get(id).map_or_else(|| tiendo_core::Text::new(id, id), |u| u.name.clone())
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The evaluation, the data's and the evaluation's diagnostics (sorted, with `more`: what was dropped from the
/// catalogue as unknown on the as-of date), printed, and the figures of the data nothing of the review reads.
type Evaluated =
    (tiendo_core::eval::Evaluation, Vec<tiendo_core::Diagnostic>, Vec<tiendo_core::eval::unread::UnreadElement>);

/// Reads the project's data and evaluates it as `eval` does ([`Evaluated`]).
fn evaluate(
    inputs: &crate::cmd::eval::ProjectInputs,
    settings: tiendo_core::eval::EvaluationSettings,
    provider: Option<&dyn tiendo_core::plugin::MetricProvider>,
    more: Vec<tiendo_core::Diagnostic>,
) -> anyhow::Result<Evaluated> {
    let (mut store, mut diagnostics) = crate::cmd::eval::read_observations(inputs)?;
    diagnostics.extend(more);
    // Grouped in place, as `eval` does, so that evaluation does not make a grouped copy of the store.
    store.group(settings.threads);
    let evaluation = tiendo_core::eval::evaluate(&inputs.catalogue, &store, &settings, provider);
    let unread = settings.period.map_or_else(Vec::new, |window| {
        let (results, window) = (&evaluation.indicators, (window, settings.as_of));
        tiendo_core::eval::unread::unread_elements(&inputs.catalogue, &store, provider, results, window)
    });
    diagnostics.extend(evaluation.diagnostics.iter().cloned());
    crate::cmd::eval::sort_diagnostics(&mut diagnostics);
    crate::output::stderr(&crate::cmd::eval::render_for_people(&diagnostics));
    Ok((evaluation, diagnostics, unread))
}

/// The sha256 of every input of the review, in order: the catalogue's TOML files, the data files and the plugins'
/// components (paths relative to the project), and each built-in catalogue used, named once. Refuses an `out` that
/// holds one of them: the catalogue may live outside the project folder (`../../indicators`).
fn review_digests(
    out: &Path,
    inputs: &crate::cmd::eval::ProjectInputs,
    (toml_files, plugin_files): (Vec<PathBuf>, Vec<PathBuf>),
    builtin_files: &[PathBuf],
) -> anyhow::Result<Vec<InputDigest>> {
    let mut files: Vec<PathBuf> = toml_files;
    files.extend(inputs.data_files.iter().map(|f| crate::cmd::eval::data_file_path(inputs, f)));
    // The components are inputs too: the digest shows which reviewed plugin produced the plugin metrics.
    files.extend(plugin_files.into_iter().filter(|path| path.is_file()));
    check_not_an_input(out, files.iter().map(PathBuf::as_path))?;
    let relative: BTreeSet<PathBuf> = files.iter().map(|f| relative_to(&inputs.root, f)).collect();
    let mut digests = input_digests(&inputs.root, &relative.into_iter().collect::<Vec<_>>())?;
    let data: BTreeSet<String> = inputs
        .data_files
        .iter()
        .map(|f| slash_path(&relative_to(&inputs.root, &crate::cmd::eval::data_file_path(inputs, f))))
        .collect();
    for digest in &mut digests {
        digest.data = data.contains(&digest.path);
    }
    digests.extend(crate::builtin::digests_of_used(builtin_files));
    digests.sort();
    Ok(digests)
}

/// Refuses a review window that starts after the review's date: nothing in it can have been reported yet.
fn check_window(window: Period, as_of: NaiveDate, written: &str) -> anyhow::Result<()> {
    if window.start() > as_of {
        anyhow::bail!(
            "--window {written} starts after --as-of {as_of}: nothing in it can have been reported yet\n  = hint: review \
             a window that starts on or before {as_of}, or give the date of the review with --as-of"
        );
    }
    Ok(())
}

/// The languages asked for, in the order given, a repeated one once.
fn languages(asked: &[crate::cli::Language]) -> Vec<Lang> {
    let mut langs: Vec<Lang> = asked
        .iter()
        .map(|l| match l {
            crate::cli::Language::Vi => Lang::Vi,
            crate::cli::Language::En => Lang::En,
        })
        .collect();
    langs.dedup();
    langs
}

fn output_formats(asked: &[crate::cli::ReportFormat]) -> BTreeSet<OutputFormat> {
    asked
        .iter()
        .map(|f| match f {
            crate::cli::ReportFormat::Html => OutputFormat::Html,
            crate::cli::ReportFormat::Md => OutputFormat::Markdown,
            crate::cli::ReportFormat::Json => OutputFormat::Json,
        })
        .collect()
}

fn review_kind(kind: crate::cli::ReviewKindArg) -> tiendo_report::ReviewKind {
    match kind {
        crate::cli::ReviewKindArg::MidTerm => tiendo_report::ReviewKind::MidTerm,
        crate::cli::ReviewKindArg::EndOfTerm => tiendo_report::ReviewKind::EndOfTerm,
    }
}

/// The review's document details (`[review]` of `tiendo.toml`).
fn document_info(document: &tiendo_load::ReviewDocument) -> tiendo_report::DocumentInfo {
    tiendo_report::DocumentInfo {
        issuer: document.issuer.clone(),
        number: document.number.clone(),
        date: document.date,
        is_final: document.is_final,
        illustrative: document.illustrative,
    }
}

/// The main files a report writes (charts aside), as the user will open them.
fn written_files(out: &Path, langs: &[Lang], formats: &BTreeSet<OutputFormat>) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = if langs.len() > 1 {
        langs.iter().map(|lang| out.join(lang_code(*lang))).collect()
    } else {
        vec![out.to_path_buf()]
    };
    let names = formats.iter().map(|format| match format {
        OutputFormat::Html => "review.html",
        OutputFormat::Markdown => "review.md",
        OutputFormat::Json => "review.json",
    });
    let names: Vec<&str> = names.collect();
    folders.iter().flat_map(|folder| names.iter().map(move |name| folder.join(name))).collect()
}

/// The closing summary of `report` on standard error: what it wrote and what needs attention.
fn summary(written: &[PathBuf], diagnostics: &[&tiendo_core::Diagnostic], failed_points: usize) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut text = String::from("wrote:\n");
    for path in written {
        text.push_str(&format!("  {}\n", path.display()));
    }
    let mut attention = Vec::new();
    if errors > 0 {
        attention.push(format!("{errors} error(s) in the inputs (bad rows are left out)"));
    }
    if failed_points > 0 {
        attention.push(format!("{failed_points} failed plugin point(s)"));
    }
    if warnings > 0 {
        attention.push(format!("{warnings} warning(s)"));
    }
    if attention.is_empty() {
        text.push_str("nothing needs attention\n");
    } else {
        text.push_str(&format!(
            "needs attention: {} (listed above; `tiendo eval` lists them again)\n",
            attention.join(", ")
        ));
    }
    text
}

/// `path` relative to `base` (both normalised, both absolute or both relative), with `..` where it leaves `base`,
/// so that digests name files the same way wherever the project lies.
fn relative_to(base: &Path, path: &Path) -> PathBuf {
    let base: Vec<Component<'_>> = base.components().filter(|c| !matches!(c, Component::CurDir)).collect();
    let target: Vec<Component<'_>> = path.components().filter(|c| !matches!(c, Component::CurDir)).collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut relative = PathBuf::new();
    for _ in common..base.len() {
        relative.push("..");
    }
    for component in &target[common..] {
        relative.push(component.as_os_str());
    }
    relative
}

/// Each plugin's own description (`plugin-info`), by id, as the running host read it; a plugin the host could not
/// describe keeps no name and the review shows its id.
fn plugin_names(
    project: &tiendo_load::Project,
    host: Option<&tiendo_plugin_host::PluginHost>,
) -> BTreeMap<String, String> {
    use tiendo_core::plugin::MetricProvider as _;
    let Some(host) = host else { return BTreeMap::new() };
    project.plugins.iter().filter_map(|p| host.describe(&p.id).ok().map(|d| (p.id.clone(), d.description))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(out: &Path) -> ReportSettings {
        ReportSettings {
            review: tiendo_report::sample::mid_term_review(),
            langs: vec![Lang::Vi],
            formats: OutputFormat::ALL.into_iter().collect(),
            out: out.to_path_buf(),
            templates: None,
            force: false,
            quiet: true,
        }
    }

    /// Every file below `folder` with its bytes, by relative path.
    fn tree(folder: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![folder.to_path_buf()];
        while let Some(current) = stack.pop() {
            for entry in fs::read_dir(&current).expect("readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path.strip_prefix(folder).expect("below").to_string_lossy().replace('\\', "/");
                    files.insert(relative, fs::read(&path).expect("readable"));
                }
            }
        }
        files
    }

    fn siblings(parent: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(parent)
            .expect("readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A process id no process can have (above Linux's largest `pid_max`), for folders left by killed runs.
    const DEAD_PID: u32 = 4_999_999;

    fn old_report(folder: &Path) {
        fs::create_dir_all(folder).unwrap();
        fs::write(folder.join(MARKER_FILE), MARKER_CONTENT).unwrap();
        fs::write(folder.join("review.md"), "the previous report").unwrap();
    }

    /// What a killed run left in the output's parent folder.
    type LeftOver<'a> = dyn Fn(&Path) + 'a;

    /// The case `report-interrupted-swap`: whatever state a killed run left beside `--out`, the next run starts from
    /// the old report (restoring it if it was moved aside), writes the new one, and leaves no staging or old folder.
    #[test]
    fn a_run_killed_at_any_step_is_repaired_by_the_next() {
        let staging = format!("{STAGING_PREFIX}{DEAD_PID}-abc");
        let states: [(&str, &LeftOver<'_>); 5] = [
            ("killed while writing the staging folder", &|parent: &Path| {
                old_report(&parent.join("review"));
                fs::create_dir(parent.join(&staging)).unwrap();
                fs::write(parent.join(&staging).join("half"), "x").unwrap();
            }),
            ("killed between the two renames", &|parent: &Path| {
                old_report(&parent.join(format!(".review.tiendo-old-{DEAD_PID}-0")));
                old_report(&parent.join(&staging));
            }),
            ("killed before removing the old report", &|parent: &Path| {
                old_report(&parent.join("review"));
                old_report(&parent.join(format!(".review.tiendo-old-{DEAD_PID}-0")));
            }),
            ("several runs killed", &|parent: &Path| {
                old_report(&parent.join(format!(".review.tiendo-old-{DEAD_PID}-0")));
                old_report(&parent.join(format!(".review.tiendo-old-{DEAD_PID}-1")));
                fs::create_dir(parent.join(format!("{STAGING_PREFIX}{DEAD_PID}-x"))).unwrap();
                fs::create_dir(parent.join(format!("{STAGING_PREFIX}{DEAD_PID}-y"))).unwrap();
            }),
            ("a staging file rather than a folder", &|parent: &Path| {
                fs::write(parent.join(&staging), "x").unwrap();
            }),
        ];
        for (name, state) in states {
            let parent = tempfile::tempdir().unwrap();
            let out = parent.path().join("review");
            state(parent.path());
            // Before anything else, the old report is back at `out` and the leftovers are gone.
            recover(parent.path(), &out).unwrap();
            let restored = out.join("review.md");
            assert!(!out.exists() || fs::read_to_string(&restored).unwrap() == "the previous report", "{name}");
            assert!(siblings(parent.path()).iter().all(|n| n == "review"), "{name}: {:?}", siblings(parent.path()));
            assert_eq!(run(settings(&out)).expect("runs"), ExitCode::SUCCESS, "{name}");
            assert_eq!(siblings(parent.path()), ["review"], "{name}");
            assert!(fs::read_to_string(&restored).unwrap() != "the previous report", "{name}");
        }
    }

    /// Folders of a run that is still going are never touched.
    #[test]
    fn a_running_run_keeps_its_folders() {
        let parent = tempfile::tempdir().unwrap();
        let mine = parent.path().join(format!("{STAGING_PREFIX}{}-abc", std::process::id()));
        fs::create_dir(&mine).unwrap();
        recover(parent.path(), &parent.path().join("review")).unwrap();
        assert!(mine.is_dir());
    }

    /// On Linux the old and new reports are exchanged in one step: there is no moment without a report at `out`.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_swap_is_one_exchange_on_linux() {
        let parent = tempfile::tempdir().unwrap();
        let (a, b) = (parent.path().join("a"), parent.path().join("b"));
        old_report(&a);
        fs::create_dir(&b).unwrap();
        fs::write(b.join("new"), "n").unwrap();
        exchange(&b, &a).expect("renameat2(RENAME_EXCHANGE) is supported here");
        assert!(a.join("new").is_file() && b.join("review.md").is_file());
    }

    #[test]
    fn writes_a_new_report_with_its_marker() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("reports").join("mid-term");
        assert_eq!(run(settings(&out)).expect("runs"), ExitCode::SUCCESS);
        let files = tree(&out);
        for expected in [MARKER_FILE, "review.html", "review.md", "review.json", "charts/indicator-c1-cases.svg"] {
            assert!(files.contains_key(expected), "{expected} is written");
        }
        assert_eq!(siblings(&root.path().join("reports")), ["mid-term"], "no temporary folder is left behind");
    }

    #[test]
    fn running_twice_gives_identical_folders_and_replaces_old_files() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("review");
        run(settings(&out)).expect("first run");
        let first = tree(&out);
        fs::write(out.join("stale.txt"), "from an older run").expect("writable");
        run(settings(&out)).expect("second run over an earlier report");
        assert_eq!(tree(&out), first, "the second run replaces the folder as a whole");
        assert_eq!(siblings(root.path()), ["review"]);
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_report_unless_forced() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("documents");
        fs::create_dir(&out).expect("writable");
        fs::write(out.join("thesis.docx"), "precious").expect("writable");
        let error = run(settings(&out)).expect_err("refuses");
        assert!(error.to_string().contains("not a tiendo report"), "{error}");
        assert_eq!(fs::read(out.join("thesis.docx")).expect("untouched"), b"precious");
        assert_eq!(siblings(root.path()), ["documents"]);

        let mut forced = settings(&out);
        forced.force = true;
        run(forced).expect("--force replaces it");
        assert!(out.join(MARKER_FILE).is_file());
        assert!(!out.join("thesis.docx").exists());
    }

    #[test]
    fn an_empty_folder_is_used_and_a_file_is_refused() {
        let root = tempfile::tempdir().expect("temp dir");
        let empty = root.path().join("empty");
        fs::create_dir(&empty).expect("writable");
        run(settings(&empty)).expect("an empty folder may be used");
        let file = root.path().join("report.txt");
        fs::write(&file, "text").expect("writable");
        assert!(run(settings(&file)).is_err());
        assert_eq!(fs::read(&file).expect("untouched"), b"text");
    }

    #[test]
    fn a_failed_render_leaves_no_trace_and_keeps_the_old_report() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("review");
        run(settings(&out)).expect("first run");
        let before = tree(&out);

        let templates = root.path().join("templates");
        fs::create_dir(&templates).expect("writable");
        fs::write(templates.join("review.md.hbs"), "{{#each indicators}}").expect("writable");
        let mut broken = settings(&out);
        broken.templates = Some(templates.clone());
        let error = run(broken).expect_err("an unclosed block fails");
        assert!(format!("{error:#}").contains("review.md"), "{error:#}");
        assert_eq!(tree(&out), before, "the previous report is untouched");
        assert_eq!(siblings(root.path()), ["review", "templates"], "no temporary folder is left behind");
    }

    #[test]
    fn templates_from_a_folder_override_the_built_in_ones() {
        let root = tempfile::tempdir().expect("temp dir");
        let templates = root.path().join("templates");
        fs::create_dir(&templates).expect("writable");
        fs::write(templates.join("review.md.hbs"), "# {{cover.title}}\n").expect("writable");
        fs::write(templates.join("README.txt"), "notes are ignored").expect("writable");
        let out = root.path().join("review");
        let mut custom = settings(&out);
        custom.templates = Some(templates);
        run(custom).expect("runs");
        let markdown = fs::read_to_string(out.join("review.md")).expect("written");
        assert_eq!(
            markdown,
            "# Báo cáo đánh giá giữa kỳ Chương trình phòng, chống mua bán người giai đoạn 2021-2025\n"
        );
    }

    #[test]
    fn digests_are_sha256_in_path_order() {
        let root = tempfile::tempdir().expect("temp dir");
        fs::create_dir(root.path().join("data")).expect("writable");
        fs::write(root.path().join("data").join("a.csv"), "abc").expect("writable");
        fs::write(root.path().join("b.toml"), "").expect("writable");
        let digests =
            input_digests(root.path(), &[PathBuf::from("b.toml"), Path::new("data").join("a.csv")]).expect("readable");
        assert_eq!(
            digests,
            [
                InputDigest {
                    path: "b.toml".to_owned(),
                    sha256: Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".to_owned()),
                    data: false,
                },
                InputDigest {
                    path: "data/a.csv".to_owned(),
                    sha256: Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".to_owned()),
                    data: false,
                },
            ]
        );
        assert!(input_digests(root.path(), &[PathBuf::from("missing.csv")]).is_err());
    }

    #[test]
    fn relative_paths_climb_out_of_the_project_folder() {
        for (base, path, expected) in [
            ("examples/p", "examples/p/tiendo.toml", "tiendo.toml"),
            ("examples/p", "indicators/plans/a.toml", "../../indicators/plans/a.toml"),
            ("/work/x/examples/p", "/work/x/examples/p/data/a.csv", "data/a.csv"),
            ("./examples/p", "examples/p/data/a.csv", "data/a.csv"),
        ] {
            assert_eq!(relative_to(Path::new(base), Path::new(path)), PathBuf::from(expected), "{base} {path}");
        }
    }

    #[test]
    fn two_languages_go_into_their_own_subfolders() {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("review");
        let mut both = settings(&out);
        both.langs = vec![Lang::Vi, Lang::En];
        run(both).expect("runs");
        let files = tree(&out);
        for expected in ["vi/review.html", "en/review.md", "en/review.json", "vi/charts/indicator-c1-cases.svg"] {
            assert!(files.contains_key(expected), "{expected} is written");
        }
        assert!(!files.contains_key("review.html"));
        let english = String::from_utf8(files["en/review.md"].clone()).expect("utf-8");
        assert!(english.contains("Mid-term review"), "the English report is in English");
    }

    #[test]
    fn rendered_paths_must_stay_inside_the_folder() {
        for (path, safe) in [
            ("review.html", true),
            ("charts/a.svg", true),
            ("../escape.html", false),
            ("/etc/passwd", false),
            ("charts/../../x", false),
            ("", false),
        ] {
            assert_eq!(is_safe_relative_path(path), safe, "{path}");
        }
    }
}
