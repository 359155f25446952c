//! The `tiendo` command line. Minimal wiring of `tiendo eval` only: the CLI skeleton (`src/cli.rs`) and the
//! project loader come from other branches; the integrator replaces `load_project` below with
//! `tiendo_load::load_project` (see docs/performance.md and the eval branch report).

mod cmd;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cmd::eval::{EvalFormat, EvalSettings, ProjectInputs};

/// Monitor Vietnam's anti-trafficking programme and plans and produce its mid-term review.
#[derive(Debug, Parser)]
#[command(name = "tiendo", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compute indicator values, changes on the same period last year, progress against targets and status.
    Eval {
        /// The project folder (with tiendo.toml).
        #[arg(default_value = ".")]
        project: PathBuf,
        /// Only periods within this one, e.g. 2023, 2023S1, 2021..2025.
        #[arg(long)]
        period: Option<String>,
        /// Only this org unit (repeatable), e.g. vn, quang-nam, da-nang-2025.
        #[arg(long = "org-unit")]
        org_unit: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
        format: EvalFormat,
        /// Evaluate as of this date (YYYY-MM-DD) instead of today.
        #[arg(long = "as-of")]
        as_of: Option<chrono::NaiveDate>,
        /// Show suppressed small counts, still marked (internal use only).
        #[arg(long = "show-suppressed")]
        show_suppressed: bool,
        /// Progress method for the status, instead of the project's: eurostat, escap, open-sdg or unsd.
        #[arg(long, value_parser = parse_method)]
        method: Option<tiendo_core::eval::Method>,
    },
}

/// Loads a project. Placeholder until the tiendo-load project loader is merged: it fails with a clear
/// message instead of guessing the catalogue.
fn load_project(dir: &Path) -> anyhow::Result<ProjectInputs> {
    anyhow::bail!(
        "cannot load the project in {}: the TOML project loader is not wired into this build yet",
        dir.display()
    )
}

fn parse_method(text: &str) -> Result<tiendo_core::eval::Method, String> {
    tiendo_core::eval::Method::parse(text)
        .ok_or_else(|| format!("`{text}`: expected eurostat, escap, open-sdg or unsd"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Eval { project, period, org_unit, format, as_of, show_suppressed, method } => {
            let settings = EvalSettings {
                project,
                period,
                org_units: org_unit,
                format,
                as_of: as_of.unwrap_or_else(cmd::eval::today),
                show_suppressed,
                method,
            };
            let mut out = std::io::stdout().lock();
            let mut err = std::io::stderr().lock();
            match cmd::eval::run(&settings, load_project, None, &mut out, &mut err) {
                Ok(code) => code,
                Err(error) => {
                    use std::io::Write;
                    let _ = writeln!(err, "error: {error:#}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
