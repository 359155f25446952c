//! The JSON Schema of the TOML files, generated from the raw types so that it can never drift from the loader.
//! Editors (Taplo / Even Better TOML) use it to complete keys and flag mistakes while planners type.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use crate::raw::{RawCatalogueFile, RawProjectFile};

/// Which file the schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    /// Any catalogue `.toml` file.
    Catalogue,
    /// A project's `tiendo.toml`.
    Project,
}

fn generate<T: JsonSchema>(title: &str, description: &str) -> Schema {
    let mut schema = SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<T>();
    schema.insert("title".to_owned(), title.into());
    schema.insert("description".to_owned(), description.into());
    schema
}

/// The schema as JSON.
pub fn json_schema(kind: SchemaKind) -> serde_json::Value {
    let schema = match kind {
        SchemaKind::Catalogue => generate::<RawCatalogueFile>(
            "tiendo catalogue file",
            "Sources, agencies, org units, categories, data elements, work areas, indicators, plans, validation rules and data sets. See docs/toml-reference.md.",
        ),
        SchemaKind::Project => generate::<RawProjectFile>(
            "tiendo project file (tiendo.toml)",
            "A review project: its catalogue, data files, plugins and settings. See docs/toml-reference.md.",
        ),
    };
    schema.to_value()
}
