//! Where each observation of a store came from, its note, source and status, kept as runs beside the store
//! ([`super::Place`]): rows of one file, a note, a source and status repeat from row to row, so ten million rows
//! cost a few hundred runs instead of 20 bytes each.

use super::{NO_NOTE, ObservationStatus, Place};

/// The places of a store's observations as runs: (first observation, file, row of the first) for rows that follow
/// one another in one file, (first observation, note) for observations with the same note and (first observation,
/// source, status) for observations with the same source and status. A lookup is a binary search of the runs; W2's
/// ten million rows are one run of each per piece read, not 20 bytes a row. (Data whose status or source changes
/// on every row costs 12 bytes a row for them, where inline they cost 8.)
#[derive(Debug, Clone, Default)]
pub(super) struct Places {
    pub(super) rows: Vec<(u32, u16, u32)>,
    pub(super) notes: Vec<(u32, u32)>,
    pub(super) sources: Vec<(u32, u32, ObservationStatus)>,
}

impl Places {
    /// Adds the place of observation `index`, the one after the last added.
    #[inline]
    pub(super) fn push(&mut self, index: u32, place: Place) {
        self.push_row(index, place.file, place.row);
        self.push_note(index, place.note);
        self.push_source(index, place.source, place.status);
    }

    /// Observation `index` (and those after it, until the next run) cites `source` with `status`.
    #[inline]
    pub(super) fn push_source(&mut self, index: u32, source: u32, status: ObservationStatus) {
        if self.sources.last().is_none_or(|&(_, last, last_status)| (last, last_status) != (source, status)) {
            self.sources.push((index, source, status));
        }
    }

    /// Observation `index` (and those after it, until the next run) comes from `row` of `file`.
    #[inline]
    pub(super) fn push_row(&mut self, index: u32, file: u16, row: u32) {
        let continues = self.rows.last().is_some_and(|&(first, last_file, first_row)| {
            last_file == file && u64::from(first_row) + u64::from(index - first) == u64::from(row)
        });
        if !continues {
            self.rows.push((index, file, row));
        }
    }

    /// Observation `index` (and those after it, until the next run) has `note`.
    #[inline]
    pub(super) fn push_note(&mut self, index: u32, note: u32) {
        if self.notes.last().is_none_or(|&(_, last)| last != note) {
            self.notes.push((index, note));
        }
    }

    pub(super) fn get(&self, index: u32) -> Place {
        let at = self.rows.partition_point(|run| run.0 <= index).saturating_sub(1);
        let (first, file, row) = self.rows.get(at).copied().unwrap_or((index, 0, 0));
        let at = self.notes.partition_point(|run| run.0 <= index).saturating_sub(1);
        let note = self.notes.get(at).map_or(NO_NOTE, |run| run.1);
        let at = self.sources.partition_point(|run| run.0 <= index).saturating_sub(1);
        let (_, source, status) = self.sources.get(at).copied().unwrap_or((index, 0, ObservationStatus::Final));
        Place { file, row: row.saturating_add(index - first), note, source, status }
    }

    /// The note of observation `index` (input order).
    pub(super) fn note(&self, index: u32) -> u32 {
        let at = self.notes.partition_point(|run| run.0 <= index).saturating_sub(1);
        self.notes.get(at).map_or(NO_NOTE, |run| run.1)
    }

    /// The source and status of observation `index` (input order).
    pub(super) fn source(&self, index: u32) -> (u32, ObservationStatus) {
        let at = self.sources.partition_point(|run| run.0 <= index).saturating_sub(1);
        self.sources.get(at).map_or((0, ObservationStatus::Final), |run| (run.1, run.2))
    }

    pub(super) fn clear(&mut self) {
        self.rows.clear();
        self.notes.clear();
        self.sources.clear();
    }
}

/// The values of runs `(first index, value)` for each of `len` indices in order.
pub(super) fn expand_runs<T: Copy>(runs: &[(u32, T)], len: u32) -> impl Iterator<Item = T> + '_ {
    runs.iter().enumerate().flat_map(move |(at, &(first, value))| {
        let end = runs.get(at + 1).map_or(len, |run| run.0);
        (first..end).map(move |_| value)
    })
}
