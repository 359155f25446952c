//! Observation files written rather than read: the synthetic data of the example project and of the benchmarks, in
//! exactly the layout the reader reads.

use tiendo_core::eval::synthetic::{SYNTHETIC_NOTE, SYNTHETIC_SOURCE, SyntheticRow};
use tiendo_core::model::Catalogue;

/// Writes synthetic rows as an observation CSV, every row labelled with the synthetic source and note.
pub fn write_synthetic_csv<'a>(rows: impl IntoIterator<Item = SyntheticRow<'a>>) -> Vec<u8> {
    write_rows(rows, None)
}

/// Writes synthetic rows as [`write_synthetic_csv`] does, with a `submitted` column from
/// [`tiendo_core::eval::synthetic::submission_date`] for `seed`.
pub fn write_synthetic_csv_submitted<'a>(rows: impl IntoIterator<Item = SyntheticRow<'a>>, seed: u64) -> Vec<u8> {
    write_rows(rows, Some(seed))
}

fn write_rows<'a>(rows: impl IntoIterator<Item = SyntheticRow<'a>>, submitted: Option<u64>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let header = ["data_element", "org_unit", "period", "value", "source", "status", "note", "submitted"];
    let columns = if submitted.is_some() { header.len() } else { header.len() - 1 };
    // Writing to a Vec cannot fail: the only errors csv reports come from the underlying writer.
    writer.write_record(&header[..columns]).expect("writing to memory cannot fail");
    let mut value = String::new();
    for row in rows {
        value.clear();
        use std::fmt::Write;
        let _ = write!(value, "{}", row.value);
        let period = row.period.to_string();
        let date = submitted
            .map(|seed| tiendo_core::eval::synthetic::submission_date(seed, row.org_unit, row.period).to_string())
            .unwrap_or_default();
        let record = [row.element, row.org_unit, &period, &value, SYNTHETIC_SOURCE, "final", SYNTHETIC_NOTE, &date];
        writer.write_record(&record[..columns]).expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("flushing to memory cannot fail")
}

/// The example project's synthetic file `examples/vietnam-2021-2025/data/provinces-synthetic.csv`: every
/// province-level unit of [`tiendo_core::eval::synthetic::vietnam_org_units`], quarterly 2021-2025, seed
/// [`tiendo_core::eval::synthetic::EXAMPLE_SEED`], with synthetic submission dates.
pub fn example_synthetic_csv() -> Vec<u8> {
    use tiendo_core::eval::synthetic;
    use tiendo_core::model::OrgUnitLevel;
    let units: Vec<_> =
        synthetic::vietnam_org_units().into_iter().filter(|u| u.level == OrgUnitLevel::Province).collect();
    let mut rows = Vec::new();
    synthetic::generate(synthetic::EXAMPLE_SEED, &units, 2021..=2025, tiendo_core::PeriodType::Quarter, |row| {
        rows.push(row)
    });
    write_synthetic_csv_submitted(rows, synthetic::EXAMPLE_SEED)
}

/// The example project's synthetic file `examples/vietnam-2021-2025/data/plugin-inputs-synthetic.csv`: the
/// yearly inputs of the province plugins for the 63 provinces valid until 30 June 2025, 2021-2024, seed
/// [`tiendo_core::eval::synthetic::EXAMPLE_SEED`].
pub fn example_plugin_inputs_csv() -> Vec<u8> {
    use tiendo_core::eval::synthetic;
    use tiendo_core::model::OrgUnitLevel;
    let units: Vec<_> = synthetic::vietnam_org_units()
        .into_iter()
        .filter(|u| u.level == OrgUnitLevel::Province && u.valid_to.is_some())
        .collect();
    let mut rows = Vec::new();
    synthetic::generate_plugin_inputs(synthetic::EXAMPLE_SEED, &units, 2021..=2024, |row| rows.push(row));
    write_synthetic_csv(rows)
}

/// `n` synthetic observations as CSV for benchmarks: monthly data 2021-2025 of the communes of
/// [`tiendo_core::eval::synthetic::benchmark_catalogue`], cut at `n` rows. Returns the catalogue and the bytes.
pub fn benchmark_csv(n: usize) -> (Catalogue, Vec<u8>) {
    let catalogue = tiendo_core::eval::synthetic::benchmark_catalogue(benchmark_communes_for(n));
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    write_benchmark_csv(&catalogue, n, &mut bytes).expect("writing to memory cannot fail");
    (catalogue, bytes)
}

/// How many communes of [`tiendo_core::eval::synthetic::benchmark_catalogue`] `n` benchmark observations need:
/// one commune reports 60 months x 7 elements = 420 of them.
pub fn benchmark_communes_for(n: usize) -> usize {
    n.div_ceil(60 * tiendo_core::eval::synthetic::ELEMENTS.len()).max(1)
}

/// Writes the first `n` benchmark observations of `catalogue`'s communes (monthly 2021-2025, seed 7) to `out` as
/// [`benchmark_csv`] does, row by row, so that a file of any size is written without holding it: the peers script
/// (`benches/peers/`) writes its ten-million-row file this way. Errors are those of `out`.
pub fn write_benchmark_csv(catalogue: &Catalogue, n: usize, out: impl std::io::Write) -> std::io::Result<()> {
    use tiendo_core::eval::synthetic;
    let communes = synthetic::benchmark_communes(catalogue);
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    writer.write_record(["data_element", "org_unit", "period", "value", "source", "status", "note"])?;
    let (mut written, mut failed) = (0usize, None);
    let mut value = String::new();
    synthetic::generate(7, &communes, 2021..=2025, tiendo_core::PeriodType::Month, |row| {
        if written >= n || failed.is_some() {
            return;
        }
        value.clear();
        use std::fmt::Write;
        let _ = write!(value, "{}", row.value);
        let period = row.period.to_string();
        let record = [row.element, row.org_unit, &period, &value, SYNTHETIC_SOURCE, "final", SYNTHETIC_NOTE];
        if let Err(error) = writer.write_record(record) {
            failed = Some(error);
        }
        written += 1;
    });
    if let Some(error) = failed {
        return Err(error.into());
    }
    writer.flush()
}
