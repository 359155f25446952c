//! `tiendo init [DIR] [--province ID]`: creates a review project that works with nothing but this binary: the
//! national catalogue comes from `builtin:vn`, a provincial plan adopts the national programme's indicators, and a
//! data file waits to be filled in.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use tiendo_core::model::OrgUnitLevel;
use tiendo_core::{Catalogue, Formula};
use tiendo_load::{RealFileSystem, load_catalogue};

/// The national programme a new project's plan implements.
const PROGRAMME: &str = "qd-193-2021";

/// Create a review project: tiendo.toml, a plan adopting the national indicators, a data file to fill in.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  tiendo init demo\n  tiendo init an-giang --province an-giang-2025\n  \
                        cd demo && tiendo check && tiendo report --window 2021..2025 --out review")]
pub struct InitArgs {
    /// The folder to create (it may exist if empty).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The province whose plan is reviewed (an org unit id of `tiendo list org-units builtin:vn`, e.g. `quang-nam`
    /// or `an-giang-2025`); without it the plan is national (`vn`).
    #[arg(long)]
    pub province: Option<String>,
}

/// Runs `tiendo init`.
pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let catalogue = builtin_catalogue()?;
    let unit = match &args.province {
        Some(province) => province_unit(&catalogue, province)?,
        None => "vn".to_owned(),
    };
    let files = project_files(&catalogue, &unit)?;
    crate::scaffold::write_new_folder(&args.dir, &files)?;
    let dir = args.dir.display();
    crate::output::stdout_human(
        &format!(
            "created a review project for `{unit}` in {dir}\n\nnext:\n  cd {dir}\n  tiendo check                 # \
             checks it (no problems as created)\n  # fill in data/observations.csv (data/README.md lists the \
             columns and ids)\n  tiendo report --window 2021..2025 --out review\n"
        ),
        false,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The built-in national catalogue, loaded.
fn builtin_catalogue() -> anyhow::Result<Catalogue> {
    let fs = crate::builtin::file_system(&RealFileSystem);
    let loaded = load_catalogue(&fs, &[PathBuf::from("builtin:vn")]);
    loaded.catalogue.context("the built-in catalogue has errors (`tiendo check builtin:vn` shows them)")
}

/// `wanted` as a province id of the catalogue, or an error with the closest id (names typed with diacritics, in
/// any Unicode form or case, are matched through the shared normalisation).
fn province_unit(catalogue: &Catalogue, wanted: &str) -> anyhow::Result<String> {
    match catalogue.org_units.get(wanted) {
        Some(unit) if unit.level == OrgUnitLevel::Province => return Ok(unit.id.clone()),
        Some(_) => bail!("`{wanted}` is not a province; `tiendo list org-units builtin:vn` lists the org units"),
        None => {}
    }
    let hint = crate::project::org_unit_meant(catalogue, wanted, |unit| unit.level == OrgUnitLevel::Province)
        .map_or_else(|| "`tiendo list org-units builtin:vn` lists them".to_owned(), |(hint, _)| hint);
    bail!("`{wanted}` is not a province id of the built-in catalogue; {hint}")
}

/// The files of the new project, by path inside it.
fn project_files(catalogue: &Catalogue, unit: &str) -> anyhow::Result<Vec<(String, String)>> {
    let programme = catalogue.plans.get(PROGRAMME).context("the built-in catalogue has no national programme")?;
    let org_unit = &catalogue.org_units[unit];
    let plan_id = format!("kh-{unit}");
    let national = unit == "vn";
    let indicators: Vec<&str> = programme.indicators.iter().map(String::as_str).collect();
    let name = &org_unit.name;
    let example = ExamplePeriod::of(catalogue, unit);
    let tiendo_toml = format!(
        r#"#:schema ./tiendo-project.schema.json
# A review project made by `tiendo init`: `tiendo check` checks it, `tiendo report --window 2021..2025 --out review`
# writes the review. The keys are described in tiendo's docs/toml-reference.md.

[project]
name = {{ vi = "Đánh giá kế hoạch phòng, chống mua bán người - {vi}", en = "Review of the anti-trafficking plan - {en}" }}
# The plan under review: catalogue/plan.toml.
programme = "{plan_id}"
# builtin:vn is the national catalogue carried by this tiendo (its sha256 is in every review's input digests);
# catalogue/ holds this project's own sources, plans and indicators.
catalogue = ["builtin:vn", "catalogue"]
data = ["data/observations.csv"]

[confidentiality]
# Sensitive counts 0 < n < 11 are suppressed in published output.
threshold = 11
"#,
        vi = name.vi,
        en = name.en,
    );
    let plan_toml = format!(
        r#"#:schema ../tiendo-catalogue.schema.json
# The plan under review, adopting the indicators of the national programme {PROGRAMME} (Decision 193/QĐ-TTg).
# Replace the source's title, number and date with the plan's own, remove the indicators it does not adopt and add
# its targets (an example is below). `tiendo list indicators builtin:vn` lists every national indicator.

[[source]]
id = "{plan_id}"
title = {{ vi = "Kế hoạch phòng, chống mua bán người - {vi} (điền số, ngày)", en = "Anti-trafficking plan - {en} (fill in its number and date)" }}
date = {date}
uncertain = "Written by tiendo init: replace the title and date with the plan's own and remove this line."

# The reports the data come from, one [[source]] each, dated the day it was issued: data/observations.csv cites them
# in its `source` column. A year's counts cited from a document dated before the year ended are read as provisional
# (warning W307), so a plan or a mid-year report is not the source of a year's figures.
[[source]]
id = "{report_id}"
title = {{ vi = "Báo cáo kết quả công tác phòng, chống mua bán người {example_vi} - {vi} (điền số, ngày)", en = "Report on anti-trafficking work in {example_en} - {en} (fill in its number and date)" }}
date = {example_issued}
uncertain = "Written by tiendo init: replace the title and date with the report's own and remove this line."

[[plan]]
id = "{plan_id}"
kind = "{kind}"
title = {{ vi = "Kế hoạch phòng, chống mua bán người - {vi}", en = "Anti-trafficking plan - {en}" }}
org_unit = "{unit}"
period = "{period}"
source = "{plan_id}"
implements = "{PROGRAMME}"
indicators = [
{indicator_lines}]

# A target: the indicator, the period, a comparator (>, >=, =, <=, <) and a value, and the source that sets it.
# [[plan.target]]
# indicator = "t2-denunciations-resolved"
# period = "2025"
# comparator = ">"
# value = 90
# source = "{plan_id}"
"#,
        vi = name.vi,
        en = name.en,
        report_id = example.report_id(unit),
        example_vi = example.vi,
        example_en = example.en,
        example_issued = example.issued,
        kind = if national { "national" } else { "provincial" },
        period = programme.period,
        date = programme.adopted_on.map_or_else(|| "2021-01-01".to_owned(), |date| date.to_string()),
        indicator_lines = indicators.iter().map(|id| format!("  \"{id}\",\n")).collect::<String>(),
    );
    let files = vec![
        ("tiendo.toml".to_owned(), tiendo_toml),
        ("catalogue/plan.toml".to_owned(), plan_toml),
        ("data/observations.csv".to_owned(), "data_element,org_unit,period,value,source,status,note\n".to_owned()),
        ("data/README.md".to_owned(), data_readme(catalogue, &indicators, unit, &example)),
        (".gitignore".to_owned(), "# Reviews written by `tiendo report`\n/review/\n/review-*/\n".to_owned()),
        ("tiendo-project.schema.json".to_owned(), schema(tiendo_load::schema::SchemaKind::Project)?),
        ("tiendo-catalogue.schema.json".to_owned(), schema(tiendo_load::schema::SchemaKind::Catalogue)?),
    ];
    Ok(files)
}

fn schema(kind: tiendo_load::schema::SchemaKind) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(&tiendo_load::schema::json_schema(kind))?;
    text.push('\n');
    Ok(text)
}

/// The period of the example rows and report for `unit`: 2024, or for a unit that began later its first whole half
/// or year, so that the example passes `tiendo check` (round 68, found by a newcomer: 2024 rows for a province of the
/// 34-unit map, which exists from 1 July 2025, drew E320). (period id, in Vietnamese, in English, the report's date).
struct ExamplePeriod {
    id: String,
    vi: String,
    en: String,
    issued: String,
}

impl ExamplePeriod {
    fn of(catalogue: &Catalogue, unit: &str) -> ExamplePeriod {
        use chrono::Datelike;
        let from = catalogue.org_units.get(unit).and_then(|u| u.valid_from);
        let year = |y: i32| ExamplePeriod {
            id: y.to_string(),
            vi: format!("năm {y}"),
            en: y.to_string(),
            issued: format!("{}-01-15", y + 1),
        };
        match from {
            Some(day) if day.year() >= 2024 && (day.month(), day.day()) == (7, 1) => {
                let y = day.year();
                ExamplePeriod {
                    id: format!("{y}S2"),
                    vi: format!("6 tháng cuối năm {y}"),
                    en: format!("the second half of {y}"),
                    issued: format!("{}-01-15", y + 1),
                }
            }
            Some(day) if day.year() >= 2024 && day.ordinal() == 1 => year(day.year()),
            Some(day) if day.year() >= 2024 => year(day.year() + 1),
            _ => year(2024),
        }
    }

    /// The id of the example report `catalogue/plan.toml` declares for the data of `unit` (`bc-vn-2024`).
    fn report_id(&self, unit: &str) -> String {
        format!("bc-{unit}-{}", self.id.to_lowercase())
    }
}

/// How to fill in the data file: the columns, and the data elements the adopted indicators read.
fn data_readme(catalogue: &Catalogue, indicators: &[&str], unit: &str, example: &ExamplePeriod) -> String {
    let (source, period) = (example.report_id(unit), &example.id);
    let mut elements = BTreeSet::new();
    for id in indicators {
        if let Some(Formula::Expression { numerator, denominator }) = catalogue.indicators.get(*id).map(|i| &i.formula)
        {
            for expr in std::iter::once(numerator).chain(denominator) {
                elements.extend(expr.elements().into_iter().map(|reference| reference.element.clone()));
            }
        }
    }
    let mut text = format!(
        "# Data to fill in\n\n`observations.csv` holds one value per row: `data_element,org_unit,period,value,source`, \
         optionally `status` (`final`, `provisional`) and `note`. Rows look like this:\n\n```csv\n\
         data_element,org_unit,period,value,source,status,note\n\
         denunciations_received,{unit},{period},120,{source},final,\n\
         denunciations_resolved,{unit},{period},110,{source},final,\n```\n\n\
         `source` is the id of the document the figure comes from, issued after its period ended (declare each \
         report as a `[[source]]` in `../catalogue/plan.toml`, as `{source}` is there). Periods are `2024`, `2024S1`, `2024Q1`, `2024-03`. `tiendo list data-elements \
         builtin:vn` lists every data element with its name, and `tiendo check` checks each row.\n\n\
         The indicators of the plan read these data elements:\n\n"
    );
    for element in elements {
        let name = catalogue.data_elements.get(&element).map(|e| e.name.vi.clone()).unwrap_or_default();
        let _ = writeln!(text, "- `{element}`: {name}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_province_is_found_by_id_or_by_name_in_any_form() {
        let catalogue = builtin_catalogue().unwrap();
        assert_eq!(province_unit(&catalogue, "quang-nam").unwrap(), "quang-nam");
        for typed in ["Quảng Nam", "Qua\u{309}ng Nam", "QUẢNG NAM"] {
            let error = province_unit(&catalogue, typed).unwrap_err().to_string();
            assert!(error.contains("did you mean `quang-nam`"), "{typed}: {error}");
        }
        let error = province_unit(&catalogue, "quang-nan").unwrap_err().to_string();
        assert!(error.contains("did you mean `quang-nam`"), "{error}");
        assert!(province_unit(&catalogue, "vn").unwrap_err().to_string().contains("not a province"));
    }

    #[test]
    fn the_project_names_no_path_outside_itself() {
        let catalogue = builtin_catalogue().unwrap();
        for (path, text) in project_files(&catalogue, "an-giang-2025").unwrap() {
            assert!(!text.contains(env!("CARGO_MANIFEST_DIR")), "{path}");
            assert!(!std::path::Path::new(&path).is_absolute() && !path.contains(".."), "{path}");
        }
    }
}
