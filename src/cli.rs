//! The command line: clap derive types whose doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Monitor Vietnam's anti-trafficking programme 2021-2025 (Decision 193/QĐ-TTg) and its provincial plans, and
/// produce its mid-term or end-of-term review.
///
/// Start a project with `tiendo init`; `tiendo check` then checks it. Commands that take a project find
/// `tiendo.toml` in the working folder or the nearest folder above it.
#[derive(Debug, Parser)]
#[command(
    name = "tiendo",
    version,
    propagate_version = true,
    after_help = "Examples:\n  tiendo init demo && cd demo && tiendo check\n  tiendo report --window 2021..2025 --out \
                  review\n  tiendo list indicators builtin:vn\n  tiendo completions bash > ~/.local/share/bash-completion/completions/tiendo"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalOptions,
}

/// Options every command accepts.
#[derive(Debug, Args)]
pub struct GlobalOptions {
    /// When to colour the output: `auto` colours only when writing to a terminal.
    #[arg(long, global = true, value_enum, default_value_t = ColourChoice::Auto)]
    pub color: ColourChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColourChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a review project that uses the built-in national catalogue: tiendo.toml, a plan, a data file.
    Init(crate::cmd::init::InitArgs),
    /// Check catalogue and project files and report every problem with its place and a hint.
    ///
    /// Exit status: 0 when no error was found (warnings allowed), 1 when errors were found, 2 when the tool
    /// itself failed.
    #[command(after_help = "Examples:\n  tiendo check                  # the project here or above\n  tiendo check \
                            examples/vietnam-2021-2025\n  tiendo check catalogue/plan.toml --format json")]
    Check(CheckArgs),
    /// Print the JSON Schema of the TOML files, for editors such as VS Code with Even Better TOML (Taplo).
    #[command(after_help = "Examples:\n  tiendo schema > tiendo-catalogue.schema.json\n  tiendo schema project > \
                            tiendo-project.schema.json")]
    Schema(SchemaArgs),
    /// List the indicators, data elements, plans, org units, sources or agencies of a catalogue.
    #[command(after_help = "Examples:\n  tiendo list data-elements           # the project here or above, else \
                            builtin:vn\n  tiendo list org-units builtin:vn --lang en\n  tiendo list plans --format json")]
    List(ListArgs),
    /// Compute indicator values, changes on the same period last year, progress against targets and status.
    ///
    /// Exit status: 0 evaluated, 1 the data files have errors (bad rows are reported and left out), 2 the tool
    /// failed.
    #[command(after_help = "Examples:\n  tiendo eval --period 2025 --as-of 2026-01-15\n  tiendo eval --plan \
                            kh-an-giang-2025 --format csv > results.csv\n  tiendo eval examples/vietnam-2021-2025 \
                            --org-unit vn --format json")]
    Eval(EvalArgs),
    /// Write, build and try WebAssembly metric plugins.
    #[command(after_help = "Examples:\n  tiendo plugin new my-metric\n  tiendo plugin build my-metric\n  tiendo \
                            plugin test my-metric --input my-metric/input.json\n  tiendo plugin inspect my-metric")]
    Plugin(crate::cmd::plugin::PluginArgs),
    /// Write the review's narrative: the reviewers' judgement in Markdown per section and language, with helpers
    /// that insert computed figures (docs/narrative.md).
    #[command(after_help = "Examples:\n  tiendo narrative init\n  tiendo narrative init examples/synthetic-provinces \
                            --as-of 2026-01-15")]
    Narrative(crate::cmd::narrative::NarrativeArgs),
    /// Write the review of a project, mid-term or end-of-term (HTML, Markdown with SVG charts, JSON), into a folder.
    ///
    /// With one language the files are `review.html`, `review.md`, `review.json` and `charts/`; with `--lang vi,en`
    /// each language gets its own subfolder `vi/` and `en/` with the same files. The folder is replaced as a whole;
    /// a folder that is not an earlier tiendo report is refused unless `--force` is given.
    ///
    /// Exit status: 0 written, 1 written but the data files have errors (bad rows are reported and left out), 2 the
    /// tool failed (nothing is written).
    #[command(after_help = "Examples:\n  tiendo report --window 2021..2025 --out review\n  tiendo report \
                            examples/vietnam-2021-2025 --window 2021..2023 --as-of 2024-01-15 --lang vi,en --out \
                            review\n  tiendo report --plan kh-an-giang-2025 --window 2025 --format html --out review")]
    Report(ReportArgs),
    /// Write Excel data-entry workbooks: one `.xlsx` per data set, with a row to fill for each data element, org
    /// unit, period and category option, that `eval` reads back unchanged.
    ///
    /// The id columns are filled in and locked; `value`, `source`, `status`, `note` and `submitted` are to fill,
    /// with drop-down lists for sources and statuses; a second sheet has instructions in Vietnamese and English and
    /// the names behind every id. Units are those of the data set's level that existed in each period (2025's
    /// quarters list the 63 provinces until June and the 34 after).
    ///
    /// Example: `tiendo template . --period 2025 --data-set provincial-quarterly --out forms`
    ///
    /// Exit status: 0 written, 1 the catalogue has errors or a data set or period does not fit, 2 the tool failed.
    Template(TemplateArgs),
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish).
    #[command(
        after_help = "Examples:\n  tiendo completions bash > ~/.local/share/bash-completion/completions/tiendo\n  \
                            tiendo completions zsh > ~/.zfunc/_tiendo\n  tiendo completions fish > \
                            ~/.config/fish/completions/tiendo.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `tiendo man > tiendo.1 && man ./tiendo.1`.
    #[command(after_help = "Examples:\n  tiendo man > tiendo.1 && man ./tiendo.1")]
    Man,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// A project folder (with tiendo.toml), a catalogue folder, or one .toml file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The period to fill, e.g. 2025 (a quarterly data set gets 2025Q1..2025Q4).
    #[arg(long)]
    pub period: String,
    /// Only this data set (repeatable); every data set of the catalogue when none is given.
    #[arg(long = "data-set")]
    pub data_set: Vec<String>,
    /// The folder to write `<data-set>-<period>.xlsx` into (created when missing).
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// Replace workbooks that already exist (a filled-in workbook is never overwritten otherwise).
    #[arg(long)]
    pub force: bool,
    /// Only the rows of this org unit and the units inside it, and of the units it continues (a new province's
    /// predecessors, for the periods before it existed); repeatable. Every unit when none is given.
    #[arg(long = "org-unit")]
    pub org_unit: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// How `check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For people: each problem with the file, line and column, the line itself and a hint.
    Human,
    /// For programs: a JSON object with `errors`, `warnings` and `diagnostics`.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A project folder (with tiendo.toml), a catalogue folder, one .toml file or `builtin:vn` (default: the project
    /// here or in the nearest folder above).
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

/// Which file's schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFile {
    /// Catalogue files (indicators, plans, org units, sources…).
    Catalogue,
    /// A project's tiendo.toml.
    Project,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file the schema describes.
    #[arg(value_enum, default_value_t = SchemaFile::Catalogue)]
    pub file: SchemaFile,
}

/// What `list` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    /// Indicators with their code, measure and work area.
    Indicators,
    /// Data elements (the `data_element` column of data files) with their value type, sensitivity and categories.
    DataElements,
    /// Programmes and plans with their kind, org unit and period.
    Plans,
    /// Countries, provinces and communes with their validity and successors.
    OrgUnits,
    /// Source documents with their number and date.
    Sources,
    /// Agencies with their end date and, for each function, the successor that took it over and from when.
    Agencies,
}

/// How `list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns.
    Table,
    /// A JSON array of the full records.
    Json,
}

/// The language of names in tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Language {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list.
    #[arg(value_enum)]
    pub what: ListWhat,
    /// A project folder (with tiendo.toml), a catalogue folder, one .toml file or `builtin:vn` (default: the project
    /// here or in the nearest folder above, else the built-in national catalogue).
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Language of names in the table.
    #[arg(long, value_enum, default_value_t = Language::Vi)]
    pub lang: Language,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The project folder (with tiendo.toml; default: here or the nearest folder above).
    pub project: Option<PathBuf>,
    /// Evaluate this plan's indicators at its org unit over its own period (unless --period / --org-unit say
    /// otherwise).
    #[arg(long)]
    pub plan: Option<String>,
    /// Only periods within this one, e.g. 2023, 2023S1, 2021..2025.
    #[arg(long)]
    pub period: Option<String>,
    /// Only this org unit (repeatable), e.g. vn, quang-nam, da-nang-2025.
    #[arg(long = "org-unit")]
    pub org_unit: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::cmd::eval::EvalFormat::Table)]
    pub format: crate::cmd::eval::EvalFormat,
    /// Evaluate as of this date (YYYY-MM-DD) instead of today.
    #[arg(long = "as-of", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Show suppressed small counts, still marked (internal use only: never publish this output).
    #[arg(long = "show-suppressed")]
    pub show_suppressed: bool,
    /// Progress method for the status, instead of the project's: eurostat, escap, open-sdg or unsd.
    #[arg(long, value_parser = parse_method)]
    pub method: Option<tiendo_core::eval::Method>,
}

/// An output format of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum ReportFormat {
    /// A self-contained web page with the charts inline and a print stylesheet.
    Html,
    /// Markdown with the charts as SVG files in `charts/`.
    #[value(alias = "markdown")]
    Md,
    /// The review's data as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The project folder (with tiendo.toml; default: here or the nearest folder above).
    pub project: Option<PathBuf>,
    /// The review window, e.g. 2021..2023 (the mid-term of a 2021-2025 programme).
    #[arg(long)]
    pub window: String,
    /// Data as of this date (YYYY-MM-DD) instead of today; activities past their deadline on it are overdue.
    #[arg(long = "as-of", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// The plan under review, instead of the project's programme.
    #[arg(long)]
    pub plan: Option<String>,
    /// mid-term or end-of-term; by default end-of-term when the window reaches the programme's last year.
    #[arg(long, value_enum)]
    pub kind: Option<ReviewKindArg>,
    /// Language(s): vi, en, or vi,en for both (each in its own subfolder).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "vi")]
    pub lang: Vec<Language>,
    /// Output formats, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "html,md,json")]
    pub format: Vec<ReportFormat>,
    /// The folder to write (created, or replaced if it holds an earlier report).
    #[arg(long)]
    pub out: PathBuf,
    /// A folder of templates overriding the built-in ones: review.html.hbs, review.md.hbs, the evidence partials
    /// (evidence.html.hbs, evidence.md.hbs, evidence_annex.html.hbs, evidence_annex.md.hbs) and style.css.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Replace the output folder even if it is not an earlier tiendo report.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Progress method for the status, instead of the project's: eurostat, escap, open-sdg or unsd.
    #[arg(long, value_parser = parse_method)]
    pub method: Option<tiendo_core::eval::Method>,
}

/// Which review `tiendo report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewKindArg {
    MidTerm,
    EndOfTerm,
}

/// A date as `YYYY-MM-DD` with a four-digit year: chrono alone reads `24-01-01` as the year 24, which left every
/// row out as published after it with only a warning (review of 6 December, helper 2, F9).
fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    let date = shaped.then(|| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten();
    date.ok_or_else(|| format!("`{text}`: write the date as YYYY-MM-DD with a four-digit year, e.g. 2024-01-15"))
}

fn parse_method(text: &str) -> Result<tiendo_core::eval::Method, String> {
    tiendo_core::eval::Method::parse(text)
        .ok_or_else(|| format!("`{text}`: expected eurostat, escap, open-sdg or unsd"))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn a_date_has_a_four_digit_year_and_exists() {
        assert_eq!(super::parse_date("2024-02-29").map(|d| d.to_string()), Ok("2024-02-29".to_owned()));
        for text in ["24-01-01", "0024-1-01", "2023-02-29", "2024/01/15", "15-01-2024", "2024-01-15 ", ""] {
            assert!(super::parse_date(text).is_err(), "{text:?}");
        }
    }
}
