//! Where each column of a data file is, once its header is read: the observation fields (required and optional),
//! the category columns, and which columns a row's own checks read.

pub(super) const REQUIRED: [&str; 5] = ["data_element", "org_unit", "period", "value", "source"];
pub(super) const OPTIONAL: [&str; 5] = ["status", "note", "note_vi", "note_en", "submitted"];

/// Where each column is, once the header is read.
#[derive(Debug, Default, Clone)]
pub(crate) struct Columns {
    pub(super) data_element: usize,
    pub(super) org_unit: usize,
    pub(super) period: usize,
    pub(super) value: usize,
    pub(super) source: usize,
    pub(super) status: Option<usize>,
    pub(super) note: Option<usize>,
    /// The note in Vietnamese and in English ([`tiendo_core::eval::row_note`]).
    pub(super) note_vi: Option<usize>,
    pub(super) note_en: Option<usize>,
    pub(super) submitted: Option<usize>,
    /// (column, category id)
    pub(super) categories: Vec<(usize, String)>,
    /// How many cells the header has (columns without a name included): every row has as many.
    pub width: usize,
    /// Columns whose header cell is blank: a value under one would be lost, so it is an error.
    pub(super) unnamed: Vec<usize>,
    /// The first and last of the columns whose checks read nothing but their own cell (source, status, note,
    /// submitted), when those present are side by side and not first: rows often repeat them all (W2: every row),
    /// which one comparison of their bytes tells ([`super::rows::RowLoader::row_in_place`]).
    pub repeated: Option<(usize, usize)>,
}

impl Columns {
    /// The first column other than the ids (element, unit, period, categories) whose cell is filled in, if any.
    pub(super) fn filled<'f>(&self, cell: &impl Fn(usize) -> &'f str) -> Option<usize> {
        [Some(self.value), Some(self.source), self.status, self.note, self.note_vi, self.note_en, self.submitted]
            .into_iter()
            .flatten()
            .find(|&column| !cell(column).is_empty())
    }

    /// The first and last of the source, status, note and submitted columns, when they are side by side (no other
    /// column between them) and not the first column.
    pub(super) fn own_cells(&self) -> Option<(usize, usize)> {
        let columns: Vec<usize> =
            [Some(self.source), self.status, self.note, self.note_vi, self.note_en, self.submitted]
                .into_iter()
                .flatten()
                .collect();
        let (first, last) = (*columns.iter().min()?, *columns.iter().max()?);
        (first >= 1 && last - first + 1 == columns.len()).then_some((first, last))
    }

    /// The column of the data element's id.
    pub fn data_element(&self) -> usize {
        self.data_element
    }

    /// The columns the value and period are in, whose workbook number formats matter.
    pub fn value_and_period(&self) -> (usize, usize) {
        (self.value, self.period)
    }
}
