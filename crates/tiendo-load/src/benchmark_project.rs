//! The W2 benchmark project (issue 15) as text: what `generate_synthetic w2` writes and the peers script
//! (`benches/peers/`) measures, kept here, beside the TOML it must match, so that tests can check it loads clean.
//! No I/O: the caller writes the files and streams the data rows with [`crate::observations::write_benchmark_csv`].

use std::fmt::Write as _;

use tiendo_core::PeriodType;
use tiendo_core::eval::synthetic::{self, SYNTHETIC_SOURCE};
use tiendo_core::model::{Catalogue, Formula, Measure, RuleOperator};

/// The files of the national catalogue (`indicators/` of the repository) a W2 project reads: its reference tables.
/// Its own indicators, plans, validation rules and data sets are left out: they read data elements the W2 file
/// has no rows of (every commune would report one part of a ratio without the other, W330).
pub const SHARED_CATALOGUE_PARTS: [&str; 6] =
    ["org-units", "sources.toml", "agencies.toml", "categories.toml", "data-elements.toml", "work-areas.toml"];

/// The small files of a W2 project of `rows` observations, as (path relative to the project folder, text):
/// `tiendo.toml`, `catalogue/communes.toml` (the communes the rows need), `catalogue/w2.toml` (what it monitors) and
/// `units.csv` (commune -> province, for the peers' join; tiendo does not read it). `indicators` is the folder of
/// the national catalogue, written into `tiendo.toml` as given. The data file, `data/w2.csv`, is streamed
/// separately: see the module documentation.
pub fn w2_project_files(rows: usize, indicators: &str) -> Vec<(&'static str, String)> {
    let catalogue = w2_catalogue(rows);
    let shared: Vec<String> =
        SHARED_CATALOGUE_PARTS.iter().map(|part| toml_string(&format!("{indicators}/{part}"))).collect();
    let project = format!(
        "# W2: synthetic benchmark data written by `generate_synthetic w2` (not real figures).\n\n\
         [project]\n\
         name = {{ vi = \"W2 (DỮ LIỆU GIẢ LẬP)\", en = \"W2 (SYNTHETIC DATA)\" }}\n\
         programme = \"w2-monitoring\"\n\
         catalogue = [{}, \"catalogue\"]\n\
         data = [\"data/w2.csv\"]\n\n\
         [[source]]\n\
         id = \"{SYNTHETIC_SOURCE}\"\n\
         kind = \"synthetic\"\n\
         title = {{ vi = \"Dữ liệu giả lập\", en = \"Synthetic data\" }}\n\
         date = 2026-11-30\n",
        shared.join(", "),
    );
    let communes = synthetic::benchmark_communes(&catalogue);
    let mut units_toml =
        "# The benchmark's communes, spread over the 63 provinces valid until 30 June 2025.\n".to_owned();
    let mut units_csv = "commune,province\n".to_owned();
    for unit in &communes {
        let parent = unit.parent.as_deref().unwrap_or("vn");
        let _ = write!(
            units_toml,
            "\n[[org_unit]]\nid = \"{0}\"\nname = {{ vi = \"{0}\", en = \"{0}\" }}\nlevel = \"commune\"\nparent = \"{parent}\"\n",
            unit.id
        );
        let _ = writeln!(units_csv, "{},{parent}", unit.id);
    }
    vec![
        ("tiendo.toml", project),
        ("catalogue/communes.toml", units_toml),
        ("catalogue/w2.toml", monitoring_toml(&catalogue)),
        ("units.csv", units_csv),
    ]
}

/// The benchmark catalogue of a W2 file of `rows` observations ([`synthetic::benchmark_catalogue`]): what
/// [`crate::observations::write_benchmark_csv`] needs to write the rows.
pub fn w2_catalogue(rows: usize) -> Catalogue {
    synthetic::benchmark_catalogue(crate::observations::benchmark_communes_for(rows))
}

/// A TOML basic string (ids and paths: quotes, backslashes and control characters escaped).
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `catalogue/w2.toml`: what the W2 project monitors, as a province project names it: a programme plan with the
/// benchmark catalogue's indicators, and its validation rules and data sets, in the catalogue's TOML
/// (docs/toml-reference.md).
fn monitoring_toml(catalogue: &Catalogue) -> String {
    let ids: Vec<String> = catalogue.indicators.keys().map(|id| toml_string(id)).collect();
    let mut text = format!(
        "# What the W2 benchmark project monitors (written by `generate_synthetic w2`; synthetic, not real figures).\n\n\
         [[plan]]\nid = \"w2-monitoring\"\nkind = \"programme\"\n\
         title = {{ vi = \"W2 (giả lập)\", en = \"W2 (synthetic)\" }}\norg_unit = \"vn\"\n\
         period = \"2021..2025\"\nsource = \"{SYNTHETIC_SOURCE}\"\nindicators = [{}]\n",
        ids.join(", ")
    );
    for indicator in catalogue.indicators.values() {
        let Formula::Expression { numerator, denominator } = &indicator.formula else { continue };
        let measure = if indicator.measure == Measure::Percent { "percent" } else { "count" };
        let id = toml_string(&indicator.id);
        let _ = write!(
            text,
            "\n[[indicator]]\nid = {id}\ncode = {id}\nname = {{ vi = {id}, en = {id} }}\ngroup = \"detection\"\n\
             measure = \"{measure}\"\nnumerator = {}\n",
            toml_string(&numerator.to_string())
        );
        if let Some(denominator) = denominator {
            let _ = writeln!(text, "denominator = {}", toml_string(&denominator.to_string()));
        }
        let _ = writeln!(
            text,
            "direction = \"increase\"\ndecimals = {}\nsource = \"{SYNTHETIC_SOURCE}\"",
            indicator.decimals
        );
    }
    for rule in catalogue.validation_rules.values() {
        // The benchmark's one rule; another operator or period type would need its word here.
        debug_assert!(rule.operator == RuleOperator::LessThanOrEqualTo && rule.period_type == PeriodType::Year);
        let _ = write!(
            text,
            "\n[[validation_rule]]\nid = {}\nname = {{ vi = {}, en = {} }}\nleft = {}\n\
             operator = \"less_than_or_equal_to\"\nright = {}\nperiod_type = \"year\"\n",
            toml_string(&rule.id),
            toml_string(&rule.name.vi),
            toml_string(&rule.name.en),
            toml_string(&rule.left.to_string()),
            toml_string(&rule.right.to_string()),
        );
    }
    for set in catalogue.data_sets.values() {
        debug_assert!(set.period_type == PeriodType::Quarter);
        let elements: Vec<String> = set.elements.iter().map(|e| toml_string(e)).collect();
        let _ = write!(
            text,
            "\n[[data_set]]\nid = {}\nname = {{ vi = {}, en = {} }}\nelements = [{}]\n\
             period_type = \"quarter\"\norg_unit_level = \"province\"\ntimely_days = {}\n",
            toml_string(&set.id),
            toml_string(&set.name.vi),
            toml_string(&set.name.en),
            elements.join(", "),
            set.timely_days
        );
    }
    text
}
