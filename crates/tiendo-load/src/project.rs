//! Review projects: a folder with a `tiendo.toml` that names its catalogue, its data files and its plugins.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tiendo_core::{Catalogue, Diagnostic, PluginDecl, Text};

use crate::codes;
use crate::files::{self, FileSystem};
use tiendo_core::eval::{CoveragePolicy, Method};

use crate::raw::{AssessmentMethod, RawConfidentiality, RawProjectFile, RawProjectSection};
use crate::tree::{Location, Spanned};
use crate::validate::RawCatalogue;
use crate::{Loaded, Loader, PROJECT_FILE};

/// The default confidentiality threshold: sensitive counts 0 < n < 11 are suppressed.
pub const DEFAULT_THRESHOLD: u32 = 11;

/// The default protection range (`tiendo_core::disclosure::DEFAULT_PROTECTION`): a reader cannot narrow a
/// suppressed count to fewer than four possible values.
pub const DEFAULT_PROTECTION: u32 = 3;

/// The settings of `tiendo.toml`, validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectSettings {
    pub name: Text,
    /// Plan id of the programme under review (checked to exist).
    pub programme: String,
    /// Sensitive counts with 0 < n < threshold are suppressed in published output.
    pub confidentiality_threshold: u32,
    /// The narrowest range a reader may work out for a suppressed count (`[confidentiality] protection`).
    pub confidentiality_protection: u32,
    /// Zero counts are suppressed too (`[confidentiality] suppress_zeros`).
    pub suppress_zeros: bool,
    /// The default progress method; `None` lets the evaluation choose its own default.
    pub assessment_method: Option<Method>,
    /// What partial values may decide (`[assessment] coverage`).
    pub coverage: CoveragePolicy,
    pub note: Option<String>,
    /// The review as a document (`[review]`): its cover's issuer, number, date and status.
    pub document: ReviewDocument,
    /// The folder of the narrative files, relative to the project folder (`[narrative] folder`, default
    /// `narrative`).
    pub narrative_folder: String,
}

/// The review as a document, from `[review]` in `tiendo.toml`; every field optional, the status draft by default.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReviewDocument {
    pub issuer: Option<Text>,
    pub number: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    /// Circulated as final; a draft otherwise (every page says so).
    pub is_final: bool,
    /// The narrative is illustrative text, not an assessment.
    pub illustrative: bool,
}

/// A loaded review project. Paths are the project folder joined with what `tiendo.toml` says, normalised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    /// The folder that holds `tiendo.toml`.
    pub root: PathBuf,
    pub settings: ProjectSettings,
    pub catalogue: Catalogue,
    /// Observation files (`.csv`, `.xlsx`), in the order given; each exists.
    pub data_files: Vec<PathBuf>,
    /// The sheet to read in some of the workbooks of `data_files` (`[project] sheets`), by the same path.
    pub data_sheets: BTreeMap<PathBuf, String>,
    /// The plugins, with `path` resolved against the project folder.
    pub plugins: Vec<PluginDecl>,
    /// The narrative files read from `[narrative] folder` (default `narrative/`), in path order.
    pub narrative: Vec<crate::narrative::NarrativeFile>,
}

/// A path of `tiendo.toml` against the project folder; a built-in catalogue (`builtin:vn`) is not in any folder.
fn resolve(root: &Path, relative: &str) -> PathBuf {
    if relative.starts_with(crate::builtin::BUILTIN_PREFIX) {
        return files::normalize_path(Path::new(relative));
    }
    files::normalize_path(&root.join(relative))
}

/// Reads `tiendo.toml` in `dir`, the catalogue files it names, its data files' paths, its settings and its
/// narrative, and validates the whole; the project is `Some` only when the catalogue validated.
pub(crate) fn load(fs: &dyn FileSystem, dir: &Path) -> Loaded {
    let mut loader = Loader::new(fs);
    let project_path = dir.join(PROJECT_FILE);
    let Some(file) = loader.read_project_file(&project_path) else {
        return loader.finish(RawCatalogue::default(), None);
    };
    // The project file may hold catalogue tables of its own.
    let mut raw = RawCatalogue::default();
    raw.extend(file.catalogue_part());
    read_catalogues(&mut loader, fs, dir, (&project_path, &file), &mut raw);

    let data_files = data_files(&mut loader, fs, dir, &file.project.data);
    let data_sheets = data_sheets(&mut loader, dir, &file.project);
    let settings = settings(&mut loader, &file);
    check_programme(&mut loader, &file.project.programme, &raw);
    let narrative = crate::narrative::read(&mut loader, fs, dir, &settings.narrative_folder);
    let mut loaded = loader.finish(raw, Some(file.plugin.clone()));

    if let Some(catalogue) = &loaded.catalogue {
        let plugins = catalogue
            .plugins
            .values()
            .map(|p| PluginDecl {
                id: p.id.clone(),
                path: files::display_name(&resolve(dir, &p.path)),
                sha256: p.sha256.clone(),
            })
            .collect();
        loaded.project = Some(Project {
            root: dir.to_path_buf(),
            settings,
            catalogue: catalogue.clone(),
            data_files,
            data_sheets,
            plugins,
            narrative,
        });
    }
    loaded
}

/// Where `spanned` is written, for a diagnostic.
fn span_of(loader: &Loader<'_>, spanned: &Spanned<String>) -> tiendo_core::Span {
    loader.files.span(spanned.location.file, spanned.location.range.clone())
}

/// Reads every catalogue file `[project] catalogue` names (folders are searched, built-in catalogues such as
/// `builtin:vn` resolved) into `raw`; an unknown built-in catalogue is a located error.
fn read_catalogues(
    loader: &mut Loader<'_>,
    fs: &dyn FileSystem,
    dir: &Path,
    (project_path, file): (&Path, &RawProjectFile),
    raw: &mut RawCatalogue,
) {
    let mut catalogue_paths = Vec::new();
    let mut catalogue_spans = Vec::new();
    for entry in &file.project.catalogue {
        let path = resolve(dir, &entry.value);
        if crate::builtin::is_builtin(&path) && !fs.exists(&path) {
            loader.diagnostics.push(unknown_builtin(fs, &entry.value).with_span(Some(span_of(loader, entry))));
            continue;
        }
        catalogue_paths.push(path);
        catalogue_spans.push(span_of(loader, entry));
    }
    loader.seen_paths_insert(files::normalize_path(project_path));
    for path in loader.discover(&catalogue_paths, Some(&catalogue_spans)) {
        loader.read_catalogue_file(&path, raw);
    }
}

/// The settings of `tiendo.toml`, with the documented defaults where a section or key is absent
/// (docs/toml-reference.md, `[project]`, `[review]`, `[confidentiality]`, `[assessment]`, `[narrative]`).
fn settings(loader: &mut Loader<'_>, file: &RawProjectFile) -> ProjectSettings {
    let (threshold, protection) = confidentiality(loader, file.confidentiality.as_ref());
    ProjectSettings {
        name: Text::new(file.project.name.vi.clone(), file.project.name.en.clone()),
        programme: file.project.programme.value.clone(),
        confidentiality_threshold: threshold,
        confidentiality_protection: protection,
        suppress_zeros: file.confidentiality.as_ref().and_then(|c| c.suppress_zeros).unwrap_or(false),
        assessment_method: file.assessment.as_ref().and_then(|a| a.method.as_ref()).map(|m| method(m.0)),
        coverage: file.assessment.as_ref().and_then(|a| a.coverage.as_ref()).map(|c| c.0).unwrap_or_default(),
        note: file.project.note.clone(),
        document: file.review.as_ref().map_or_else(ReviewDocument::default, |r| ReviewDocument {
            issuer: r.issuer.as_ref().map(|t| Text::new(t.vi.clone(), t.en.clone())),
            number: r.number.clone(),
            date: r.date.map(|d| d.0),
            is_final: r.status.as_ref().is_some_and(|s| s.0 == crate::raw::DocumentStatus::Final),
            illustrative: r.illustrative.unwrap_or(false),
        }),
        narrative_folder: narrative_folder(loader, file.narrative.as_ref().and_then(|n| n.folder.as_ref())),
    }
}

/// `[narrative] folder`, which lies inside the project folder: an absolute path or one that climbs out of it (`/etc`,
/// `../other`) is a located error, and the default folder is read in its place (review of 6 December, helper 2,
/// F9: every file of `/etc` was read as a narrative file and refused, 73 errors without a place).
fn narrative_folder(loader: &mut Loader<'_>, folder: Option<&crate::tree::Spanned<String>>) -> String {
    let Some(folder) = folder else { return crate::narrative::DEFAULT_FOLDER.to_owned() };
    let path = std::path::Path::new(&folder.value);
    let inside = path.components().all(|c| matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir));
    if inside && !folder.value.trim().is_empty() {
        return folder.value.clone();
    }
    loader.diagnostics.push(
        Diagnostic::error(
            codes::INVALID_VALUE.code,
            codes::INVALID_VALUE.name,
            format!("the narrative folder `{}` is not a folder inside the project", folder.value),
        )
        .with_span(Some(loader.files.span(folder.location.file, folder.location.range.clone())))
        .with_hint("give a folder relative to tiendo.toml, inside the project, such as `narrative`"),
    );
    crate::narrative::DEFAULT_FOLDER.to_owned()
}

/// The confidentiality threshold (at least 1) and protection range (at least 0) of `[confidentiality]`; a value out
/// of range is a located error and the default is used in its place.
fn confidentiality(loader: &mut Loader<'_>, section: Option<&RawConfidentiality>) -> (u32, u32) {
    let mut out_of_range = |location: &Location, message: String, hint: &str| {
        loader.diagnostics.push(
            Diagnostic::error(codes::NUMBER_OUT_OF_RANGE.code, codes::NUMBER_OUT_OF_RANGE.name, message)
                .with_span(Some(loader.files.span(location.file, location.range.clone())))
                .with_hint(hint),
        );
    };
    let threshold = match section.map(|c| &c.threshold) {
        Some(threshold) => match u32::try_from(threshold.value) {
            Ok(value) if value >= 1 => value,
            _ => {
                out_of_range(
                    &threshold.location,
                    format!(
                        "confidentiality threshold {} must be a whole number from 1 to {}",
                        threshold.value,
                        u32::MAX
                    ),
                    "11 is the usual threshold; 1 disables suppression",
                );
                DEFAULT_THRESHOLD
            }
        },
        None => DEFAULT_THRESHOLD,
    };
    let protection = match section.and_then(|c| c.protection.as_ref()) {
        Some(protection) => u32::try_from(protection.value).unwrap_or_else(|_| {
            out_of_range(
                &protection.location,
                format!("confidentiality protection {} must be a whole number of at least 0", protection.value),
                "3 is the default: a reader cannot narrow a suppressed count to fewer than 4 values",
            );
            DEFAULT_PROTECTION
        }),
        None => DEFAULT_PROTECTION,
    };
    (threshold, protection)
}

/// The programme must be a plan of the catalogue; checked against every plan read, even if a plan has other
/// errors, so that this finding does not wait for them to be fixed.
fn check_programme(loader: &mut Loader<'_>, programme: &Spanned<String>, raw: &RawCatalogue) {
    let plan_ids: Vec<&str> = raw.plans.iter().map(|p| p.id.value.as_str()).collect();
    if plan_ids.contains(&programme.value.as_str()) || loader.declares(crate::validate::Kind::Plan, &programme.value) {
        return;
    }
    let hint = match crate::tree::suggest(&programme.value, plan_ids.iter().copied()) {
        Some(id) => format!("did you mean `{id}`?"),
        None => "name the plan id of the programme under review".to_owned(),
    };
    loader.diagnostics.push(
        Diagnostic::error(
            codes::UNKNOWN_PLAN.code,
            codes::UNKNOWN_PLAN.name,
            format!("unknown plan `{}`", programme.value),
        )
        .with_span(Some(span_of(loader, programme)))
        .with_hint(hint),
    );
}

/// What tells two names of one file apart from two files: its device and inode where known, and its path with every
/// link resolved.
type FileIdentity = (Option<(u64, u64)>, PathBuf);

/// The data files `tiendo.toml` names that exist as regular `.csv` or `.xlsx` files, each once; each other one is a
/// located error. A file named again (`data/./national.csv`, a symbolic or hard link to it) is read once, with
/// W002: read twice, every row was a duplicate of itself and the review said they were in no figure (round 70,
/// found by an adversarial tester; hard links, round 71).
fn data_files(loader: &mut Loader<'_>, fs: &dyn FileSystem, dir: &Path, data: &[Spanned<String>]) -> Vec<PathBuf> {
    let mut data_files = Vec::new();
    let mut seen: Vec<(FileIdentity, &str)> = Vec::new();
    for data in data {
        let path = resolve(dir, &data.value);
        let lower = data.value.to_lowercase();
        if !(lower.ends_with(".csv") || lower.ends_with(".xlsx")) {
            loader.diagnostics.push(
                Diagnostic::error(
                    codes::INVALID_VALUE.code,
                    codes::INVALID_VALUE.name,
                    format!("`{}` is neither a `.csv` nor a `.xlsx` file", data.value),
                )
                .with_span(Some(span_of(loader, data)))
                .with_hint("observations are read from `.csv` or `.xlsx` files"),
            );
        } else if !fs.is_file(&path) {
            loader.diagnostics.push(
                Diagnostic::error(
                    codes::UNREADABLE_PATH.code,
                    codes::UNREADABLE_PATH.name,
                    if fs.is_dir(&path) {
                        format!("data file `{}` is a folder, not a file", files::display_name(&path))
                    } else if fs.exists(&path) {
                        format!(
                            "data file `{}` is not a regular file (a FIFO, device or socket cannot be read as data)",
                            files::display_name(&path)
                        )
                    } else if let Some(on_disk) = files::written_otherwise(fs, &path) {
                        format!(
                            "data file `{}` does not exist as written, but `{}` does: the two names look the same and \
                             are written with other Unicode code points",
                            files::display_name(&path),
                            files::display_name(&on_disk)
                        )
                    } else {
                        format!("data file `{}` does not exist", files::display_name(&path))
                    },
                )
                .with_span(Some(span_of(loader, data)))
                .with_hint(match files::written_otherwise(fs, &path) {
                    Some(_) => files::OTHER_FORM_HINT.to_owned(),
                    None => "paths in `tiendo.toml` are relative to the folder that holds it".to_owned(),
                }),
            );
        } else {
            let identity = (fs.file_id(&path), fs.canonical(&path).unwrap_or_else(|| path.clone()));
            let same = |seen: &FileIdentity| match (seen.0, identity.0) {
                (Some(a), Some(b)) => a == b,
                _ => seen.1 == identity.1,
            };
            match seen.iter().find(|(seen, _)| same(seen)) {
                Some((_, first)) => loader.diagnostics.push(
                    Diagnostic::warning(
                        codes::DUPLICATE_REFERENCE.code,
                        codes::DUPLICATE_REFERENCE.name,
                        format!("`{}` is `{first}` again (the same file): it is read once", data.value),
                    )
                    .with_span(Some(span_of(loader, data)))
                    .with_hint("list each data file once in `data`"),
                ),
                None => {
                    seen.push((identity, data.value.as_str()));
                    data_files.push(path);
                }
            }
        }
    }
    data_files
}

/// The sheets `[project] sheets` names, by resolved path. A key that is not a workbook of `data` is a located
/// error: the sheet would silently apply to nothing.
fn data_sheets(loader: &mut Loader<'_>, dir: &Path, project: &RawProjectSection) -> BTreeMap<PathBuf, String> {
    let mut sheets = BTreeMap::new();
    for (path, sheet) in &project.sheets {
        let named = project.data.iter().any(|data| data.value == *path);
        let problem = if !path.to_lowercase().ends_with(".xlsx") {
            Some(format!("`sheets` names `{path}`, which is not an `.xlsx` workbook: only a workbook has sheets"))
        } else if !named {
            Some(format!("`sheets` names `{path}`, which is not one of the `data` files"))
        } else if sheet.value.trim().is_empty() {
            Some(format!("the sheet named for `{path}` is empty"))
        } else {
            None
        };
        match problem {
            Some(message) => {
                let hint = match crate::tree::suggest(path, project.data.iter().map(|d| d.value.as_str())) {
                    Some(data) if !named => format!("did you mean `{data}`? write the path exactly as in `data`"),
                    _ => {
                        "key `sheets` by a workbook path exactly as written in `data`, and give a sheet name".to_owned()
                    }
                };
                loader.diagnostics.push(
                    Diagnostic::error(codes::INVALID_VALUE.code, codes::INVALID_VALUE.name, message)
                        .with_span(Some(loader.files.span(sheet.location.file, sheet.location.range.clone())))
                        .with_hint(hint),
                );
            }
            None => {
                sheets.insert(resolve(dir, path), sheet.value.clone());
            }
        }
    }
    sheets
}

/// A `builtin:NAME` this binary does not carry, with the ones it does.
fn unknown_builtin(fs: &dyn FileSystem, named: &str) -> Diagnostic {
    let labels = fs.builtin_labels();
    let hint = match crate::tree::suggest(named, labels.iter().map(String::as_str)) {
        Some(label) => format!("did you mean `{label}`?"),
        None if labels.is_empty() => "this program carries no built-in catalogue; name a catalogue folder".to_owned(),
        None => format!(
            "the built-in catalogues are {}",
            labels.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
        ),
    };
    Diagnostic::error(
        codes::UNREADABLE_PATH.code,
        codes::UNREADABLE_PATH.name,
        format!("`{named}` is not a catalogue built into this tiendo"),
    )
    .with_hint(hint)
}

/// The raw keyword becomes the evaluation's own type, so that nothing downstream sees raw structs.
fn method(raw: AssessmentMethod) -> Method {
    match raw {
        AssessmentMethod::Eurostat => Method::Eurostat,
        AssessmentMethod::Escap => Method::Escap,
        AssessmentMethod::OpenSdg => Method::OpenSdg,
        AssessmentMethod::Unsd => Method::Unsd,
    }
}
