//! The properties each fuzz target checks, shared by the fuzz targets (`fuzz/`, run with cargo-fuzz) and by
//! `tests/fuzz_regressions.rs`, which replays every input a fuzzer once failed on (`fuzz/regressions/<target>/`).
//! Each function panics when its property fails, which is how libFuzzer and the test harness both see a failure.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tiendo_core::eval::ObservationStore;
use tiendo_core::{Catalogue, Expr, Lang, Period, Text};
use tiendo_load::observations::{ReadOptions, read_csv, read_observations};
use tiendo_load::{MemoryFileSystem, load_catalogue, load_project};
use tiendo_report::render::{OutputFormat, RenderOptions, render};
use tiendo_report::sample::mid_term_review;

/// The fuzz targets, by name; each takes the raw input bytes.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("period", period),
    ("expr", expr),
    ("catalogue", catalogue),
    ("csv", csv),
    ("xlsx", xlsx),
    ("template", template),
];

/// Period identifiers (`2024`, `2024Q3`, `2022Oct`, `2024-03-17..2024-12-31`): parsing never panics, and every
/// period that parses prints as an identifier that parses back to the same period.
pub fn period(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(period) = Period::parse(text) {
        let printed = period.to_string();
        let again =
            Period::parse(&printed).unwrap_or_else(|e| panic!("{printed:?} (from {text:?}) does not parse: {e}"));
        assert_eq!(again, period, "{text:?} -> {printed:?}");
        let _ = period.same_period_last_year();
        let _ = (period.start(), period.end());
    }
}

/// Indicator formulas: parsing never panics; an error's offset and every element reference's offset lie inside
/// the text.
pub fn expr(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Expr::parse(text) {
        Ok(expr) => {
            for element in expr.elements() {
                assert!(element.offset <= text.len(), "{text:?}: reference offset {} past the end", element.offset);
            }
        }
        Err(error) => assert!(error.offset <= text.len(), "{text:?}: error offset {} past the end", error.offset),
    }
}

/// Projects and catalogues: any bytes as `tiendo.toml` and a catalogue file never make the loader panic, every
/// diagnostic is located at line and column 1 or later, and rendering the diagnostics never panics. The input
/// is cut at its first NUL into the project file and the catalogue; without one it is the catalogue alone.
pub fn catalogue(data: &[u8]) {
    const PROJECT: &[u8] =
        b"[project]\nname = { vi = \"a\", en = \"a\" }\ncatalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n";
    let (project, catalogue) = match data.iter().position(|&b| b == 0) {
        Some(cut) => (&data[..cut], &data[cut + 1..]),
        None => (PROJECT, data),
    };
    let mut fs = MemoryFileSystem::new();
    fs.insert("p/tiendo.toml", project.to_vec());
    fs.insert("p/catalogue.toml", catalogue.to_vec());
    fs.insert("p/data.csv", b"data_element,org_unit,period,value\n".to_vec());
    let loaded = load_project(&fs, Path::new("p"));
    for diagnostic in &loaded.diagnostics {
        if let Some(span) = &diagnostic.span {
            assert!(span.line >= 1 && span.column >= 1, "{diagnostic:?}");
        }
    }
    let _ = tiendo_load::render::render_human(&loaded.diagnostics, &loaded.files, false);
}

/// Data files read as CSV: never a panic, and the result never depends on where the reader cuts the stream into
/// pieces or how many threads parse them (the same number of observations and the same diagnostics).
pub fn csv(data: &[u8]) {
    let read = |options: ReadOptions| {
        let mut store = ObservationStore::new();
        let diagnostics =
            read_csv("data.csv", data, fixture_catalogue(), &mut store, options).expect("reading from memory");
        (store.len(), diagnostics)
    };
    let whole = read(ReadOptions { threads: 1, chunk_bytes: usize::MAX / 2, ..ReadOptions::default() });
    let cut = read(ReadOptions { threads: 2, chunk_bytes: 7, ..ReadOptions::default() });
    assert_eq!(whole, cut, "cutting the input changed the result");
}

/// Data files read as workbooks: any bytes named `.xlsx` give observations or diagnostics, never a panic or an
/// abort (run with libFuzzer's `-rss_limit_mb` to catch memory out of proportion to the input).
pub fn xlsx(data: &[u8]) {
    let mut store = ObservationStore::new();
    let _ = read_observations("data.xlsx", data, fixture_catalogue(), &mut store);
}

/// Rendering with hostile data and hostile templates: text from a catalogue never reaches the HTML unescaped,
/// and a Markdown template override (possibly recursive or huge in output) ends in an error or a report, never a
/// panic, a stack overflow or a hang. The first line of the input is the hostile text; the rest, if any, the
/// template.
pub fn template(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (hostile, template) = match text.split_once('\n') {
        Some((first, rest)) => (first, Some(rest)),
        None => (text, None),
    };
    // A small review (two indicators, no province or plugin tables) so that a run is quick.
    let mut review = mid_term_review();
    review.indicators.truncate(2);
    review.provincial_comparisons.clear();
    review.disaggregations.clear();
    review.plugins = Default::default();
    review.cover.title = Text::new(hostile, hostile);
    if let Some(indicator) = review.indicators.first_mut() {
        indicator.name = Text::new(hostile, hostile);
    }
    let mut options = RenderOptions::new(Lang::En);
    options.formats = BTreeSet::from([OutputFormat::Html, OutputFormat::Markdown]);
    if let Some(template) = template {
        options.template_overrides.insert("review.md".to_owned(), template.to_owned());
    }
    let Ok(report) = render(&review, &options) else { return };
    let html = String::from_utf8_lossy(&report.files["review.html"]);
    if hostile.contains('<') && hostile.len() > 3 {
        assert!(!html.contains(hostile), "hostile text reached the HTML unescaped: {hostile:?}");
    }
}

/// The roll-up test fixture (provinces that merge, a sensitive element with two categories, a ratio), which the
/// data-file targets read against.
fn fixture_catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let mut fs = MemoryFileSystem::new();
        fs.insert("catalogue.toml", include_str!("../fixtures/rollups/catalogue.toml"));
        let loaded = load_catalogue(&fs, &[PathBuf::from("catalogue.toml")]);
        loaded.catalogue.expect("the fixture catalogue loads")
    })
}
