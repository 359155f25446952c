//! Data-entry workbooks (`tiendo template`): one `.xlsx` per data set, with a row to fill for each data element,
//! org unit, period and category option combination, that `eval` reads back unchanged.
//!
//! The workbook has three sheets:
//! - [`DATA_SHEET`], first and visible: the header the reader expects, the id columns filled in and locked (the sheet
//!   is protected without a password, so a slip cannot change an id, and anyone can lift it), the cells to fill
//!   unlocked, with drop-down lists for `source` and `status` and a number rule on `value`;
//! - [`INSTRUCTIONS_SHEET`]: what to do, in Vietnamese and English, and the names behind every id;
//! - [`LISTS_SHEET`], hidden: the drop-down lists.
//!
//! The reader knows the two extra sheets by name and does not warn that they were not read (W338 is for sheets that
//! may hold data). Output is deterministic: the document's creation date is fixed, so the same catalogue gives the
//! same bytes.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatBorder,
    Formula, Workbook, Worksheet, XlsxError,
};
use tiendo_core::{Catalogue, DataSet, OrgUnit, Period, ValueType};

/// The sheet the data is typed into (and the one `eval` reads).
pub const DATA_SHEET: &str = "Số liệu - Data";
/// The sheet of instructions and id names.
pub const INSTRUCTIONS_SHEET: &str = "Hướng dẫn - Instructions";
/// The hidden sheet that holds the drop-down lists.
pub const LISTS_SHEET: &str = "Danh mục - Lists";

/// Why a template could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The period holds no period of the data set's type (a quarter asked of a yearly data set).
    #[error("{period} holds no {period_type} period of data set `{data_set}`")]
    NoPeriods { data_set: String, period: String, period_type: String },
    /// No org unit of the data set's level existed during the period.
    #[error("no {level} org unit existed during {period} to report data set `{data_set}`")]
    NoOrgUnits { data_set: String, period: String, level: String },
    /// More rows than a sheet holds (Excel's limit is 1,048,576 rows).
    #[error("data set `{data_set}` needs {rows} rows for {period}, more than a sheet holds (1,048,575)")]
    TooManyRows { data_set: String, period: String, rows: usize },
    /// The workbook writer failed.
    #[error("the workbook cannot be written: {0}")]
    Xlsx(#[from] XlsxError),
}

/// One row to fill: ids of the element, unit and period, and the category options, in [`Layout::categories`] order
/// (`None` where the element has no such category).
struct Row<'c> {
    element: &'c str,
    unit: &'c str,
    period: Period,
    options: Vec<Option<&'c str>>,
}

/// The columns of the data sheet: the reader's own names.
struct Layout<'c> {
    /// The categories any element of the set is broken down by, one column each after the fixed columns.
    categories: Vec<&'c str>,
}

const FIXED: [&str; 8] = ["data_element", "org_unit", "period", "value", "source", "status", "note", "submitted"];
const VALUE: u16 = 3;
const SOURCE: u16 = 4;
const STATUS: u16 = 5;
const NOTE: u16 = 6;
const SUBMITTED: u16 = 7;
/// Rows a sheet holds below its header.
const MAX_ROWS: usize = 1_048_575;

/// The data-entry workbook of `data_set` for the periods of its type within `period`, as `.xlsx` bytes. Units are
/// those of the data set's level that existed during each period (so 2025's quarters list the 63 provinces until
/// June and the 34 after); an element with categories gets a row per combination of their options.
pub fn data_entry_workbook(
    catalogue: &Catalogue,
    data_set: &DataSet,
    period: Period,
) -> Result<Vec<u8>, TemplateError> {
    data_entry_workbook_for(catalogue, data_set, period, None)
}

/// [`data_entry_workbook`] with the rows of the org units in `units` only (ids), where given: a province's own
/// workbook (round 68, found by a newcomer: a province got 23,528 rows for all 34 provinces, its own scattered among
/// them). The instructions' list of unit ids is narrowed the same way.
pub fn data_entry_workbook_for(
    catalogue: &Catalogue,
    data_set: &DataSet,
    period: Period,
    units: Option<&std::collections::BTreeSet<String>>,
) -> Result<Vec<u8>, TemplateError> {
    let periods = period.subdivide(data_set.period_type);
    if periods.is_empty() {
        return Err(TemplateError::NoPeriods {
            data_set: data_set.id.clone(),
            period: period.to_string(),
            period_type: format!("{:?}", data_set.period_type).to_lowercase(),
        });
    }
    let (layout, rows) = rows(catalogue, data_set, &periods, units);
    if rows.is_empty() {
        return Err(TemplateError::NoOrgUnits {
            data_set: data_set.id.clone(),
            period: period.to_string(),
            level: format!("{:?}", data_set.org_unit_level).to_lowercase(),
        });
    }
    if rows.len() > MAX_ROWS {
        return Err(TemplateError::TooManyRows {
            data_set: data_set.id.clone(),
            period: period.to_string(),
            rows: rows.len(),
        });
    }
    let mut workbook = Workbook::new();
    // A fixed creation date: the same catalogue gives the same bytes.
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&fixed).set_title(data_set.name.en.as_str()));
    let sources: Vec<&str> = catalogue.sources.keys().map(String::as_str).collect();
    data_sheet(workbook.add_worksheet(), catalogue, &layout, &rows, sources.len())?;
    instructions_sheet(workbook.add_worksheet(), catalogue, (data_set, units), period)?;
    lists_sheet(workbook.add_worksheet(), &sources)?;
    Ok(workbook.save_to_buffer()?)
}

/// The rows to fill, in element, period, unit, option order.
fn rows<'c>(
    catalogue: &'c Catalogue,
    data_set: &'c DataSet,
    periods: &[Period],
    only: Option<&std::collections::BTreeSet<String>>,
) -> (Layout<'c>, Vec<Row<'c>>) {
    let mut categories: Vec<&str> = Vec::new();
    for element in data_set.elements.iter().filter_map(|id| catalogue.data_elements.get(id)) {
        for category in &element.categories {
            if !categories.contains(&category.as_str()) {
                categories.push(category);
            }
        }
    }
    let mut rows = Vec::new();
    for element in data_set.elements.iter().filter_map(|id| catalogue.data_elements.get(id)) {
        let combinations = combinations(catalogue, &categories, &element.categories);
        for &period in periods {
            let listed = |u: &&OrgUnit| only.is_none_or(|only| only.contains(&u.id));
            for unit in catalogue.org_units.values().filter(|u| reports(u, data_set, period)).filter(listed) {
                for options in &combinations {
                    rows.push(Row { element: &element.id, unit: &unit.id, period, options: options.clone() });
                }
            }
        }
    }
    (Layout { categories }, rows)
}

/// Whether `unit` is of the data set's level and existed during `period`: the rule the reader's E320 applies.
fn reports(unit: &OrgUnit, data_set: &DataSet, period: Period) -> bool {
    unit.level == data_set.org_unit_level
        && unit.valid_from.is_none_or(|from| from <= period.end())
        && unit.valid_to.is_none_or(|to| period.start() <= to)
}

/// Every combination of the options of the element's categories, as one entry per column of `columns`.
fn combinations<'c>(catalogue: &'c Catalogue, columns: &[&'c str], own: &[String]) -> Vec<Vec<Option<&'c str>>> {
    let mut combinations = vec![vec![None; columns.len()]];
    for (column, category) in columns.iter().enumerate() {
        if !own.iter().any(|c| c == category) {
            continue;
        }
        let Some(category) = catalogue.categories.get(*category) else { continue };
        combinations = combinations
            .into_iter()
            .flat_map(|combination| {
                category.options.iter().map(move |option| {
                    let mut next = combination.clone();
                    next[column] = Some(option.id.as_str());
                    next
                })
            })
            .collect();
    }
    combinations
}

fn data_sheet(
    sheet: &mut Worksheet,
    catalogue: &Catalogue,
    layout: &Layout<'_>,
    rows: &[Row<'_>],
    sources: usize,
) -> Result<(), TemplateError> {
    sheet.set_name(DATA_SHEET)?;
    let header = Format::new().set_bold().set_background_color("D9E1F2").set_border_bottom(FormatBorder::Thin);
    let id = Format::new().set_background_color("EDEDED").set_num_format("@");
    let fill = Format::new().set_unlocked();
    let fill_text = Format::new().set_unlocked().set_num_format("@");
    let fill_date = Format::new().set_unlocked().set_num_format("yyyy-mm-dd");
    let columns: Vec<&str> = FIXED.iter().copied().chain(layout.categories.iter().copied()).collect();
    for (column, name) in (0u16..).zip(&columns) {
        sheet.write_string_with_format(0, column, *name, &header)?;
    }
    for (row, entry) in (1u32..).zip(rows) {
        sheet.write_string_with_format(row, 0, entry.element, &id)?;
        sheet.write_string_with_format(row, 1, entry.unit, &id)?;
        sheet.write_string_with_format(row, 2, entry.period.to_string(), &id)?;
        for (column, option) in (FIXED.len() as u16..).zip(&entry.options) {
            sheet.write_string_with_format(row, column, option.unwrap_or(""), &id)?;
        }
        sheet.write_blank(row, VALUE, &fill)?;
        sheet.write_blank(row, SOURCE, &fill_text)?;
        sheet.write_blank(row, STATUS, &fill_text)?;
        sheet.write_blank(row, NOTE, &fill_text)?;
        sheet.write_blank(row, SUBMITTED, &fill_date)?;
    }
    let last = rows.len() as u32;
    value_rule(sheet, catalogue, rows, last)?;
    let source_list = DataValidation::new()
        .allow_list_formula(Formula::new(format!("='{LISTS_SHEET}'!$A$2:$A${}", sources + 1)))
        .set_error_title("Nguồn / Source")?
        .set_error_message("Chọn mã nguồn trong danh sách. / Choose a source id from the list.")?;
    sheet.add_data_validation(1, SOURCE, last, SOURCE, &source_list)?;
    let status_list = DataValidation::new()
        .allow_list_formula(Formula::new(format!("='{LISTS_SHEET}'!$B$2:$B$3")))
        .set_error_title("Trạng thái / Status")?
        .set_error_message("final (chính thức) hoặc/or provisional (sơ bộ).")?;
    sheet.add_data_validation(1, STATUS, last, STATUS, &status_list)?;
    for (column, width) in [(0, 30.0), (1, 22.0), (2, 12.0), (VALUE, 12.0), (SOURCE, 28.0), (NOTE, 40.0)] {
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(1, 3)?;
    sheet.protect();
    sheet.set_active(true);
    Ok(())
}

/// Whole numbers of at least 0 where every element of the set counts, any number otherwise (the reader checks each
/// value against its element; this only catches a slip as it is typed).
fn value_rule(sheet: &mut Worksheet, catalogue: &Catalogue, rows: &[Row<'_>], last: u32) -> Result<(), TemplateError> {
    let counts_only = rows
        .iter()
        .all(|row| catalogue.data_elements.get(row.element).is_some_and(|e| e.value_type == ValueType::Count));
    let rule = if counts_only {
        DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_message("Nhập số nguyên không âm, không có dấu phân cách. / A whole number of 0 or more.")?
    } else {
        DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
            .set_error_message("Nhập một số. / Type a number.")?
    };
    sheet.add_data_validation(1, VALUE, last, VALUE, &rule.set_error_style(DataValidationErrorStyle::Stop))?;
    Ok(())
}

fn instructions_sheet(
    sheet: &mut Worksheet,
    catalogue: &Catalogue,
    (data_set, units): (&DataSet, Option<&std::collections::BTreeSet<String>>),
    period: Period,
) -> Result<(), TemplateError> {
    sheet.set_name(INSTRUCTIONS_SHEET)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    sheet.set_column_width(0, 34.0)?;
    sheet.set_column_width(1, 60.0)?;
    sheet.set_column_width(2, 60.0)?;
    sheet.write_string_with_format(0, 0, format!("{} ({period})", data_set.name.vi), &bold)?;
    sheet.write_string_with_format(1, 0, format!("{} ({period})", data_set.name.en), &bold)?;
    let steps: [(&str, &str); 6] = [
        (
            "Nhập số liệu vào trang \"Số liệu - Data\", cột value; các cột màu xám là mã, đã khóa, không sửa.",
            "Type the figures in sheet \"Số liệu - Data\", column value; the grey columns are ids, locked: do not change them.",
        ),
        (
            "Số đếm nhập là số nguyên, không có dấu phân cách hàng nghìn (1000, không phải 1.000).",
            "Counts are whole numbers without a thousands separator (1000, not 1.000 or 1,000).",
        ),
        (
            "Mỗi số liệu phải có nguồn (cột source, chọn trong danh sách); để trống dòng không có số liệu.",
            "Every figure needs its source (column source, from the list); leave a row empty when there is no figure.",
        ),
        (
            "Cột status: final (chính thức) hoặc provisional (sơ bộ); để trống là chính thức.",
            "Column status: final or provisional; empty means final.",
        ),
        (
            "Cột submitted: ngày gửi báo cáo (để tính tính kịp thời); cột note: ghi chú công khai.",
            "Column submitted: the date the report was sent (for timeliness); column note: a public note.",
        ),
        (
            "Lưu lại dưới dạng .xlsx, giữ nguyên tên trang; không thêm trang số liệu khác.",
            "Save as .xlsx, keeping the sheet names; do not add other data sheets.",
        ),
    ];
    for (row, (vi, en)) in (3u32..).zip(steps) {
        sheet.write_string_with_format(row, 1, vi, &wrap)?;
        sheet.write_string_with_format(row, 2, en, &wrap)?;
    }
    let mut row = 3 + steps.len() as u32 + 1;
    for (title, names) in id_names(catalogue, data_set, units) {
        sheet.write_string_with_format(row, 0, title, &bold)?;
        row += 1;
        for (id, vi, en) in names {
            sheet.write_string(row, 0, id)?;
            sheet.write_string(row, 1, vi)?;
            sheet.write_string(row, 2, en)?;
            row += 1;
        }
        row += 1;
    }
    Ok(())
}

type Names<'c> = Vec<(&'c str, &'c str, &'c str)>;

/// The ids the data sheet uses, with their names: elements, org units of the data set's level, sources.
fn id_names<'c>(
    catalogue: &'c Catalogue,
    data_set: &'c DataSet,
    only: Option<&std::collections::BTreeSet<String>>,
) -> Vec<(&'static str, Names<'c>)> {
    let elements = data_set
        .elements
        .iter()
        .filter_map(|id| catalogue.data_elements.get(id))
        .map(|e| (e.id.as_str(), e.name.vi.as_str(), e.name.en.as_str()))
        .collect();
    let units = catalogue
        .org_units
        .values()
        .filter(|u| u.level == data_set.org_unit_level && only.is_none_or(|only| only.contains(&u.id)))
        .map(|u| (u.id.as_str(), u.name.vi.as_str(), u.name.en.as_str()))
        .collect();
    let sources =
        catalogue.sources.values().map(|s| (s.id.as_str(), s.title.vi.as_str(), s.title.en.as_str())).collect();
    vec![("data_element / Chỉ số dữ liệu", elements), ("org_unit / Đơn vị", units), ("source / Nguồn", sources)]
}

fn lists_sheet(sheet: &mut Worksheet, sources: &[&str]) -> Result<(), TemplateError> {
    sheet.set_name(LISTS_SHEET)?;
    sheet.write_string(0, 0, "source")?;
    sheet.write_string(0, 1, "status")?;
    for (row, source) in (1u32..).zip(sources) {
        sheet.write_string(row, 0, *source)?;
    }
    sheet.write_string(1, 1, "final")?;
    sheet.write_string(2, 1, "provisional")?;
    sheet.set_hidden(true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};
    use std::path::PathBuf;

    use calamine::{Reader, Xlsx};

    use super::*;
    use crate::{MemoryFileSystem, load_catalogue};

    /// The template test fixture: provinces A and B until June 2025, AB after, C throughout; `victims` broken down
    /// by sex (2 options) and age group (2 options); a quarterly data set of three elements.
    fn catalogue() -> Catalogue {
        let mut fs = MemoryFileSystem::new();
        fs.insert("catalogue.toml", include_str!("../../../tests/fixtures/template/catalogue.toml"));
        let loaded = load_catalogue(&fs, &[PathBuf::from("catalogue.toml")]);
        loaded.catalogue.expect("the fixture loads")
    }

    fn data_rows(bytes: &[u8]) -> Vec<Vec<String>> {
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a workbook");
        let range = workbook.worksheet_range(DATA_SHEET).expect("the data sheet");
        range.rows().map(|row| row.iter().map(|cell| cell.to_string()).collect()).collect()
    }

    #[test]
    fn each_unit_gets_the_periods_it_existed_in_and_each_breakdown_its_combinations() {
        let catalogue = catalogue();
        let bytes = data_entry_workbook(&catalogue, &catalogue.data_sets["quarterly"], Period::parse("2025").unwrap())
            .expect("written");
        let rows = data_rows(&bytes);
        assert_eq!(
            rows[0],
            [
                "data_element",
                "org_unit",
                "period",
                "value",
                "source",
                "status",
                "note",
                "submitted",
                "sex",
                "age_group"
            ]
        );
        let units_in = |period: &str| -> Vec<String> {
            let mut units: Vec<String> =
                rows.iter().filter(|r| r[0] == "received" && r[2] == period).map(|r| r[1].clone()).collect();
            units.dedup();
            units
        };
        assert_eq!(units_in("2025Q2"), ["prov-a", "prov-b", "prov-c"]);
        assert_eq!(units_in("2025Q3"), ["prov-ab-2025", "prov-c"]);
        // received and resolved: (3 + 3 + 2 + 2) unit-quarters each; victims: 4 combinations of each.
        assert_eq!(rows.len() - 1, 10 + 10 + 40);
        let victims: Vec<(&str, &str)> = rows
            .iter()
            .filter(|r| r[0] == "victims" && r[1] == "prov-c" && r[2] == "2025Q1")
            .map(|r| (r[8].as_str(), r[9].as_str()))
            .collect();
        assert_eq!(victims, [("female", "child"), ("female", "adult"), ("male", "child"), ("male", "adult")]);
        assert!(rows[1..].iter().all(|r| r[3].is_empty() && r[4].is_empty()), "nothing is filled in for the user");
    }

    #[test]
    fn ids_are_locked_lists_drop_down_and_the_lists_sheet_is_hidden() {
        let catalogue = catalogue();
        let bytes = data_entry_workbook(&catalogue, &catalogue.data_sets["quarterly"], Period::parse("2025").unwrap())
            .expect("written");
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).expect("a zip");
        let mut part = |name: &str| {
            let mut text = String::new();
            zip.by_name(name).expect(name).read_to_string(&mut text).expect("UTF-8");
            text
        };
        let data = part("xl/worksheets/sheet1.xml");
        assert!(data.contains("<sheetProtection"), "the data sheet is protected");
        assert!(data.contains("<dataValidations count=\"3\""), "value, source and status have rules");
        assert!(data.contains("'Danh mục - Lists'!$A$2:$A$2"), "sources come from the lists sheet");
        let workbook = part("xl/workbook.xml");
        assert!(workbook.contains("name=\"Danh mục - Lists\" sheetId=\"3\" state=\"hidden\""), "{workbook}");
    }

    #[test]
    fn the_same_catalogue_gives_the_same_bytes() {
        let catalogue = catalogue();
        let write = || {
            data_entry_workbook(&catalogue, &catalogue.data_sets["quarterly"], Period::parse("2025S2").unwrap())
                .expect("written")
        };
        assert_eq!(write(), write());
    }

    #[test]
    fn a_period_shorter_than_the_data_sets_is_refused() {
        let catalogue = catalogue();
        let error =
            data_entry_workbook(&catalogue, &catalogue.data_sets["quarterly"], Period::parse("2025-03").unwrap())
                .expect_err("a month holds no quarter");
        assert!(error.to_string().contains("holds no quarter period"), "{error}");
    }
}
