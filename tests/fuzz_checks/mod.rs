//! The properties each fuzz target checks, shared by the fuzz targets (`fuzz/`, run with cargo-fuzz) and by
//! `tests/fuzz_regressions.rs`, which replays every input a fuzzer once failed on (`fuzz/regressions/<target>/`).
//! Each function panics when its property fails, which is how libFuzzer and the test harness both see a failure.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use std::cell::Cell;

use tiendo_core::eval::{EvaluationSettings, ObservationStore, evaluate, measure_range};
use tiendo_core::plugin::{MetricProvider, MetricRequest, MetricValue, PluginDescription, PluginFailure, ValueRange};
use tiendo_core::{Catalogue, Expr, Lang, Period, Text};
use tiendo_load::observations::{ReadOptions, read_csv, read_observations};
use tiendo_load::{MemoryFileSystem, load_catalogue, load_project};
use tiendo_report::render::{OutputFormat, RenderOptions, render};
use tiendo_report::sample::mid_term_review;

/// A property: takes the raw input bytes, panics when it fails.
pub type Property = fn(&[u8]);

/// The fuzz targets, by name; each takes the raw input bytes.
pub const TARGETS: &[(&str, Property)] = &[
    ("period", period),
    ("expr", expr),
    ("catalogue", catalogue),
    ("csv", csv),
    ("xlsx", xlsx),
    ("template", template),
    ("plugin_output", plugin_output),
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

/// What a plugin returns, decoded from the fuzzer's bytes: any metric ids (declared or not, repeated or missing),
/// any numbers (NaN, infinities, negatives, huge), hostile notes, reported errors, and declared ranges. Evaluation
/// never panics; every published plugin value is finite and within its range (the measure's, or the one the plugin
/// declares); every failure names a kind and has a message; the evaluation serialises to JSON.
pub fn plugin_output(data: &[u8]) {
    let provider = FuzzedPlugin { data, cursor: Cell::new(0) };
    let (catalogue, store) = plugin_fixture();
    let mut settings = EvaluationSettings::new(chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date"));
    settings.threads = 1;
    let evaluation = evaluate(catalogue, &store, &settings, Some(&provider));
    let ranges = provider.ranges();
    for result in evaluation.indicators.iter().filter(|r| r.indicator.starts_with("plugin-")) {
        let metric = if result.indicator == "plugin-rate" { "rate" } else { "count" };
        let range = ranges
            .iter()
            .find(|(name, _)| *name == metric)
            .map(|(_, range)| *range)
            .unwrap_or_else(|| measure_range(&catalogue.indicators[&result.indicator]));
        for point in &result.series {
            if let Some(value) = point.value {
                assert!(value.is_finite(), "{} published {value}", result.indicator);
                assert!(range.contains(value), "{} published {value} outside {range}", result.indicator);
            }
        }
        for failed in &result.failed_points {
            assert!(!failed.kind.is_empty() && !failed.message.is_empty(), "an unnamed failure: {failed:?}");
        }
    }
    // serde_json writes a non-finite number as `null`: the finiteness checks above are what keep a NaN from
    // becoming a silent gap; here the evaluation must serialise at all.
    serde_json::to_string(&evaluation).expect("the evaluation serialises");
}

/// A plugin whose description and outputs come from the fuzzer's bytes, read in order.
struct FuzzedPlugin<'a> {
    data: &'a [u8],
    cursor: Cell<usize>,
}

impl FuzzedPlugin<'_> {
    fn byte(&self) -> u8 {
        let at = self.cursor.get();
        self.cursor.set(at + 1);
        self.data.get(at).copied().unwrap_or(0)
    }

    fn bytes(&self, n: usize) -> &[u8] {
        let at = self.cursor.get().min(self.data.len());
        let end = (at + n).min(self.data.len());
        self.cursor.set(at + n);
        &self.data[at..end]
    }

    fn text(&self) -> String {
        let n = usize::from(self.byte() % 24);
        String::from_utf8_lossy(self.bytes(n)).into_owned()
    }

    fn number(&self) -> Option<f64> {
        match self.byte() % 10 {
            0 => None,
            1 => Some(f64::NAN),
            2 => Some(f64::INFINITY),
            3 => Some(f64::NEG_INFINITY),
            4 => Some(-f64::from(self.byte())),
            5 => Some(f64::MAX),
            6 => {
                let mut raw = [0u8; 8];
                raw[..].copy_from_slice(&{
                    let mut padded = self.bytes(8).to_vec();
                    padded.resize(8, 0);
                    padded
                });
                Some(f64::from_le_bytes(raw))
            }
            _ => Some(f64::from(self.byte()) / 2.0),
        }
    }

    /// The ranges the plugin's sidecar declares, decided by the first byte (read again, never advanced).
    fn ranges(&self) -> Vec<(&'static str, ValueRange)> {
        match self.data.first().copied().unwrap_or(0) % 4 {
            0 => Vec::new(),
            1 => vec![("rate", ValueRange { min: Some(0.0), max: Some(1000.0) })],
            2 => vec![("count", ValueRange { min: Some(-10.0), max: None })],
            _ => vec![("rate", ValueRange { min: None, max: None })],
        }
    }
}

impl MetricProvider for FuzzedPlugin<'_> {
    fn describe(&self, plugin: &str) -> Result<PluginDescription, PluginFailure> {
        Ok(PluginDescription {
            id: plugin.to_owned(),
            version: "1".to_owned(),
            description: String::new(),
            inputs: vec!["received".to_owned()],
            metrics: vec!["rate".to_owned(), "count".to_owned()],
            ranges: self.ranges().into_iter().map(|(name, range)| (name.to_owned(), range)).collect(),
        })
    }

    fn compute(&self, request: &MetricRequest) -> Result<Vec<MetricValue>, PluginFailure> {
        if self.byte().is_multiple_of(8) {
            let kind = ["plugin-reported", "fuel-exhausted", "timeout", "crashed"][usize::from(self.byte() % 4)];
            return Err(PluginFailure { plugin: request.plugin.clone(), kind: kind.to_owned(), message: self.text() });
        }
        let count = usize::from(self.byte() % 4);
        Ok((0..count)
            .map(|_| {
                let name = match self.byte() % 4 {
                    0 => "rate".to_owned(),
                    1 => "count".to_owned(),
                    2 => self.text(),
                    _ => "rate".to_owned(),
                };
                let value = self.number();
                let note = self.byte().is_multiple_of(2).then(|| self.text());
                MetricValue { name, value, unit: None, note }
            })
            .collect())
    }
}

/// The roll-up fixture with two indicators of one plugin (a percent metric `rate` and a count metric `count`, both
/// on the input `received`) and a year of that input in three provinces.
fn plugin_fixture() -> (&'static Catalogue, ObservationStore) {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    let catalogue = CATALOGUE.get_or_init(|| {
        let text = format!(
            "{}\n{}",
            include_str!("../fixtures/rollups/catalogue.toml"),
            r#"
[[indicator]]
id = "plugin-rate"
code = "P1"
name = { vi = "Tỷ lệ", en = "Rate" }
group = "wa"
measure = "percent"
direction = "increase"
source = "src"
plugin = { id = "fz", metric = "rate" }

[[indicator]]
id = "plugin-count"
code = "P2"
name = { vi = "Số", en = "Count" }
group = "wa"
measure = "count"
direction = "increase"
source = "src"
plugin = { id = "fz", metric = "count" }
"#
        );
        let mut fs = MemoryFileSystem::new();
        fs.insert("catalogue.toml", text);
        let loaded = load_catalogue(&fs, &[PathBuf::from("catalogue.toml")]);
        loaded.catalogue.unwrap_or_else(|| panic!("the plugin fixture loads: {:?}", loaded.diagnostics))
    });
    let mut store = ObservationStore::new();
    let csv = "data_element,org_unit,period,value,source\nreceived,prov-a,2024,10,src\nreceived,prov-b,2024,4,src\n\
               received,prov-c,2024,7,src\nreceived,prov-c,2023,5,src\n";
    let diagnostics = read_observations("data.csv", csv.as_bytes(), catalogue, &mut store);
    assert!(diagnostics.is_empty(), "the plugin fixture's data reads: {diagnostics:?}");
    (catalogue, store)
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
