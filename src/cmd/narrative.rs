//! The review's narrative at the command line: `tiendo narrative init` writes the Markdown skeleton of a project
//! (both languages, each section with its key figures already inserted as helpers), and `check` and `report` check
//! the narrative against the evaluated review ([`check_project`], [`narrative_of`]). See docs/narrative.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use tiendo_core::{Diagnostic, Lang};
use tiendo_load::Project;
use tiendo_load::files::SourceMap;
use tiendo_report::{IndicatorReview, Narrative, NarrativeSection, NarrativeText, Review, Status, Value};

/// Write the narrative of a review: the reviewers' judgement in Markdown, per section and language.
#[derive(Debug, Args)]
pub struct NarrativeArgs {
    #[command(subcommand)]
    pub command: NarrativeCommand,
}

#[derive(Debug, Subcommand)]
pub enum NarrativeCommand {
    /// Write the narrative skeleton of a project: `narrative/vi/*.md` and `narrative/en/*.md`, each section with
    /// its key figures already inserted as helpers (`{{value T2 2024}}`) and a line saying what to write.
    ///
    /// Existing files are kept unless `--force` is given; when one would be replaced, nothing is written.
    #[command(after_help = "Examples:\n  tiendo narrative init\n  tiendo narrative init examples/vietnam-2021-2025 \
                            --as-of 2026-01-15")]
    Init {
        /// The project folder; by default the working folder or the nearest folder above it with `tiendo.toml`.
        path: Option<PathBuf>,
        /// Replace existing narrative files.
        #[arg(long)]
        force: bool,
        /// The date the figures are known on (default: today).
        #[arg(long)]
        as_of: Option<NaiveDate>,
    },
}

/// Runs `tiendo narrative …`.
pub fn run(args: NarrativeArgs, global: &crate::cli::GlobalOptions) -> anyhow::Result<ExitCode> {
    match args.command {
        NarrativeCommand::Init { path, force, as_of } => {
            let dir = crate::project::find_project(path)?;
            let colour = crate::output::colour_stderr(global.color);
            let crate::project::LoadedProject { project, mut files, .. } =
                crate::project::load_with_sources(&dir, colour)?;
            let as_of = as_of.unwrap_or_else(crate::cmd::eval::today);
            let host = crate::wiring::load(&project.plugins, &mut files)?.map(|w| w.host);
            let review = evaluated_review(&project, host.as_ref(), as_of)?;
            let folder = dir.join(project.settings.narrative_folder.as_str());
            let written = write_skeleton(&folder, &skeleton(&review), force)?;
            let mut text = String::from("wrote:\n");
            for path in written {
                let _ = writeln!(text, "  {}", path.display());
            }
            text.push_str("each section shows its key figures as helpers; write the judgement, then `tiendo check`\n");
            crate::output::stderr(&text);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The project's narrative files as the report crate takes them; a file of an unknown section is left out (the
/// loader has reported it).
pub fn narrative_of(project: &Project) -> Narrative {
    let mut narrative = Narrative::default();
    for file in &project.narrative {
        if let Some(section) = NarrativeSection::from_name(&file.section) {
            narrative
                .texts
                .insert((section, file.lang), NarrativeText { file: file.file.clone(), markdown: file.text.clone() });
        }
    }
    narrative
}

/// The narrative's diagnostics for `tiendo check`: the project is evaluated over the programme's whole period as of
/// `as_of` (only when it has narrative files), and every helper resolved against the review.
pub fn check_project(
    project: &Project,
    host: Option<&tiendo_plugin_host::PluginHost>,
    as_of: NaiveDate,
) -> anyhow::Result<Vec<Diagnostic>> {
    if project.narrative.is_empty() {
        return Ok(Vec::new());
    }
    let mut review = evaluated_review(project, host, as_of)?;
    review.narrative = narrative_of(project);
    Ok(tiendo_report::narrative::check(&review))
}

/// The review of the project's programme over its whole period, as of `as_of`, evaluated as `report` evaluates it
/// (data rows' diagnostics are left to the caller, which reports them).
fn evaluated_review(
    project: &Project,
    host: Option<&tiendo_plugin_host::PluginHost>,
    as_of: NaiveDate,
) -> anyhow::Result<Review> {
    let programme = project.settings.programme.clone();
    let window = project.catalogue.plans.get(&programme).map(|p| p.period).context("the programme has no plan")?;
    let inputs = crate::cmd::eval::ProjectInputs::of(project);
    let (mut store, _) = crate::cmd::eval::read_observations(&inputs)?;
    let method = inputs.method.unwrap_or_default();
    let settings = inputs.evaluation_settings(as_of, method, Some(window));
    // Grouped in place, as `eval` does, so that evaluation does not make a grouped copy of the store.
    store.group(settings.threads);
    let provider = host.map(|host| host as &dyn tiendo_core::plugin::MetricProvider);
    let evaluation = tiendo_core::eval::evaluate(&inputs.catalogue, &store, &settings, provider);
    let input = tiendo_report::ReviewInput {
        plan: programme,
        window,
        as_of,
        inputs: Vec::new(),
        generator: String::new(),
        threshold: project.settings.confidentiality_threshold,
        method,
        kind: None,
        document: tiendo_report::DocumentInfo::default(),
        plugin_names: Default::default(),
    };
    tiendo_report::build_review(&inputs.catalogue, &evaluation, &input).context("could not build the review")
}

/// Prints narrative diagnostics like `check` prints the loader's (with the source line), to standard error.
pub fn print(diagnostics: &[Diagnostic], files: &SourceMap, colour: bool) {
    crate::output::stderr(&tiendo_load::render::render_human(diagnostics, files, colour));
}

/// The skeleton: (section, language) -> Markdown. Only figures the review holds are inserted, so that every
/// helper resolves; the sentences say what to write and never judge.
pub fn skeleton(review: &Review) -> Vec<(NarrativeSection, Lang, String)> {
    let mut files = Vec::new();
    for lang in [Lang::Vi, Lang::En] {
        for section in NarrativeSection::ALL.into_iter().filter(|s| s.needs_text()) {
            let mut text = String::new();
            let figures: Vec<String> = match section {
                NarrativeSection::Summary => review.indicators.iter().filter_map(|i| key_figures(i, lang)).collect(),
                NarrativeSection::Limitations => review
                    .indicators
                    .iter()
                    .filter(|i| {
                        matches!(
                            i.status,
                            Status::NotAchieved | Status::OffTrack | Status::AtRisk | Status::NoData | Status::NoValue
                        )
                    })
                    .map(|i| format!("- {} – {}: {{{{status {}}}}}", i.code, i.name.get(lang), i.code))
                    .collect(),
                _ => Vec::new(),
            };
            if !figures.is_empty() {
                let _ = writeln!(text, "{}\n", intro(section, lang));
                for line in figures {
                    let _ = writeln!(text, "{line}");
                }
                text.push('\n');
            }
            let _ = writeln!(text, "{}", prompt(section, lang));
            files.push((section, lang, text));
        }
    }
    files
}

/// One indicator's line in the summary: its latest value, the change on the same period a year earlier when
/// there is an earlier value, and its status.
fn key_figures(indicator: &IndicatorReview, lang: Lang) -> Option<String> {
    let latest = indicator.latest.as_ref().filter(|p| p.value != Value::Missing)?;
    let code = &indicator.code;
    let period = latest.period;
    let mut line = format!("- {code} – {}: {{{{value {code} {period}}}}}", indicator.name.get(lang));
    // The helper gives evaluation's change, or says why there is none; without an earlier value it has nothing.
    let has_before = latest.change.as_ref().is_some_and(|c| !matches!(c, tiendo_report::ChangeView::NoPrevious { .. }));
    // A coded value's change is in levels, which `{{change}}` refuses (E504): never written for a scale or a yes/no.
    if has_before && !indicator.has_levels() {
        let words = match lang {
            Lang::Vi => "so với cùng kỳ năm trước",
            Lang::En => "on the same period a year earlier",
        };
        let _ = write!(line, " ({{{{change {code} {period}}}}} {words})");
    }
    if indicator.status != Status::NotAssessed {
        let _ = write!(line, "; {{{{status {code}}}}}");
    }
    Some(line)
}

fn intro(section: NarrativeSection, lang: Lang) -> &'static str {
    match (section, lang) {
        (NarrativeSection::Summary, Lang::Vi) => "Số liệu chính (chèn từ kết quả tính toán; giữ, bớt hoặc chuyển đi):",
        (NarrativeSection::Summary, Lang::En) => "Key figures (inserted from the evaluation; keep, cut or move them):",
        (_, Lang::Vi) => "Chỉ số chưa đạt, có nguy cơ không đạt hoặc chưa có số liệu:",
        (_, Lang::En) => "Indicators not achieved, at risk or without data:",
    }
}

fn prompt(section: NarrativeSection, lang: Lang) -> &'static str {
    match (section, lang) {
        (NarrativeSection::Summary, Lang::Vi) => "[Viết đánh giá chung: kết quả nổi bật, tồn tại chính, xu hướng.]",
        (NarrativeSection::Summary, Lang::En) => {
            "[Write the overall assessment: main achievements, main shortcomings, trends.]"
        }
        (NarrativeSection::Limitations, Lang::Vi) => "[Viết những tồn tại, hạn chế.]",
        (NarrativeSection::Limitations, Lang::En) => "[Write the shortcomings and limitations.]",
        (NarrativeSection::Causes, Lang::Vi) => "[Viết nguyên nhân (khách quan, chủ quan) của kết quả và hạn chế.]",
        (NarrativeSection::Causes, Lang::En) => {
            "[Write the causes (objective, subjective) of the results and shortcomings.]"
        }
        (NarrativeSection::Lessons, Lang::Vi) => "[Viết bài học kinh nghiệm.]",
        (NarrativeSection::Lessons, Lang::En) => "[Write the lessons learned.]",
        (NarrativeSection::Tasks, Lang::Vi) => "[Viết nhiệm vụ, giải pháp thời gian tới.]",
        (NarrativeSection::Tasks, Lang::En) => "[Write the tasks and solutions for the period ahead.]",
        (_, Lang::Vi) => "[Viết kiến nghị, đề xuất.]",
        (_, Lang::En) => "[Write the recommendations and proposals.]",
    }
}

/// Writes the skeleton into `folder` (`vi/NAME.md`, `en/NAME.md`). Refuses, before writing anything, when a file
/// exists and `force` is not set.
fn write_skeleton(
    folder: &Path,
    files: &[(NarrativeSection, Lang, String)],
    force: bool,
) -> anyhow::Result<Vec<PathBuf>> {
    let paths: Vec<(PathBuf, &String)> = files
        .iter()
        .map(|(section, lang, text)| {
            (folder.join(tiendo_report::narrative::lang_folder(*lang)).join(format!("{}.md", section.name())), text)
        })
        .collect();
    let existing: Vec<String> =
        paths.iter().filter(|(p, _)| p.exists()).map(|(p, _)| format!("  {}", p.display())).collect();
    if !existing.is_empty() && !force {
        bail!(
            "these narrative files exist and were kept (nothing was written):\n{}\n  = hint: pass --force to replace \
             them with the skeleton",
            existing.join("\n")
        );
    }
    let mut written = Vec::new();
    for (path, text) in paths {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    /// The loader's section list and its codes are the report crate's.
    #[test]
    fn the_loader_and_the_report_agree_on_sections_and_codes() {
        let sections: Vec<&str> = tiendo_report::NarrativeSection::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(sections, tiendo_load::narrative::SECTIONS);
        for (code, name) in tiendo_report::narrative::codes::ALL {
            assert!(
                tiendo_load::codes::ALL.iter().any(|c| c.code == code && c.name == name),
                "{code} {name} is in the loader's catalogue"
            );
        }
    }

    #[test]
    fn the_skeleton_inserts_only_figures_the_review_holds() {
        let review = tiendo_report::sample::mid_term_review();
        let files = super::skeleton(&review);
        assert_eq!(files.len(), 12, "six sections in two languages");
        let mut with_narrative = review.clone();
        for (section, lang, text) in &files {
            let file = format!("narrative/{}/{}.md", tiendo_report::narrative::lang_folder(*lang), section.name());
            with_narrative
                .narrative
                .texts
                .insert((*section, *lang), tiendo_report::NarrativeText { file, markdown: text.clone() });
        }
        assert_eq!(tiendo_report::narrative::check(&with_narrative), []);
        let summary = &files.iter().find(|(s, l, _)| s.name() == "summary" && *l == tiendo_core::Lang::En).unwrap().2;
        assert!(summary.contains("{{value T2 ") && summary.contains("{{status T2}}"), "{summary}");
    }
}
