//! `tiendo schema`: prints the JSON Schema generated from the loader's raw types.

use std::process::ExitCode;

use anyhow::Context;
use tiendo_load::schema::{SchemaKind, json_schema};

use crate::cli::{SchemaArgs, SchemaFile};
use crate::output;

pub fn run(args: SchemaArgs) -> anyhow::Result<ExitCode> {
    let kind = match args.file {
        SchemaFile::Catalogue => SchemaKind::Catalogue,
        SchemaFile::Project => SchemaKind::Project,
    };
    let mut text = serde_json::to_string_pretty(&json_schema(kind)).context("cannot serialise the schema")?;
    text.push('\n');
    output::stdout_data(&text)?;
    Ok(ExitCode::SUCCESS)
}
