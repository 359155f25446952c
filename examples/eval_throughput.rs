//! One timed load + evaluate run with peak memory, for sizes criterion cannot sample cheaply:
//! `cargo run --release --example eval_throughput -- 10000000`. Prints the phases, observations per second
//! and peak resident memory (Linux `VmHWM`) per observation. See docs/performance.md.
//!
//! The synthetic CSV is written to a file in the temporary folder first (removed at the end) and read back as
//! `tiendo eval` reads a data file, streamed in pieces; the time and memory measured start when the file is opened.

use std::time::Instant;

use tiendo_core::eval::{EvaluationSettings, ObservationStore, evaluate};
use tiendo_load::observations::{ReadOptions, read_observations_from};

/// A line of /proc/self/status in kB, e.g. `VmHWM` (peak resident set) or `VmRSS` (current).
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU time of the whole process (all threads, user + system) in seconds, from /proc/self/stat; clock ticks
/// are taken as 1/100 s, Linux's `USER_HZ` on every common architecture. On a shared machine the wall-clock time
/// depends on what else runs; the CPU time shows the work done and, against the wall clock, how much of it ran
/// in parallel.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name, which is in parentheses and may hold spaces.
    let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else { return 0.0 };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// The units to evaluate: none (every country- and province-level unit, the default) when `provinces` is 0; else
/// those and every commune of the first `provinces` provinces that have communes.
fn units_with_communes(catalogue: &tiendo_core::model::Catalogue, provinces: usize) -> Vec<String> {
    use tiendo_core::model::OrgUnitLevel;
    if provinces == 0 {
        return Vec::new();
    }
    let communes = tiendo_core::eval::synthetic::benchmark_communes(catalogue);
    let mut parents: Vec<&str> = communes.iter().filter_map(|c| c.parent.as_deref()).collect();
    parents.sort_unstable();
    parents.dedup();
    parents.truncate(provinces);
    let mut units: Vec<String> = catalogue
        .org_units
        .values()
        .filter(|u| matches!(u.level, OrgUnitLevel::Country | OrgUnitLevel::Province))
        .map(|u| u.id.clone())
        .collect();
    units.extend(
        communes.iter().filter(|c| c.parent.as_deref().is_some_and(|p| parents.contains(&p))).map(|c| c.id.clone()),
    );
    units
}

/// What one run measured: sizes, wall times, CPU seconds and peak memory.
struct Measured {
    n: usize,
    commune_provinces: usize,
    csv_bytes: usize,
    diagnostics: usize,
    /// Results with and without disclosure control.
    results: (usize, usize),
    /// Generating the file, loading, loading + evaluating, evaluating without disclosure control.
    wall: (std::time::Duration, std::time::Duration, std::time::Duration, std::time::Duration),
    /// CPU seconds: loading, evaluating, evaluating without disclosure control.
    cpu: (f64, f64, f64),
    /// Peak resident memory and the resident memory before loading, in KiB.
    peak_kb: (u64, u64),
}

impl Measured {
    /// The lines the example prints, with the audit's figures.
    fn report(&self, audit: &tiendo_core::disclosure::Audit) -> String {
        let n = self.n;
        let (generated, loaded, total, plain_wall) = self.wall;
        let (cpu_load, cpu_evaluate, cpu_plain) = self.cpu;
        let cpu_total = cpu_load + cpu_evaluate;
        let (peak, rss_before) = self.peak_kb;
        format!(
            "observations {n}\nunits evaluated {}\ncsv bytes {} ({:.1} per observation)\ndiagnostics {}\nresults {}\n\
             generate {:.2?}\nload {:.2?}\nevaluate {:.2?}\nload+evaluate {:.2?} ({:.2} million observations/s)\n\
             cpu time: load {:.2}s, evaluate {:.2}s, load+evaluate {:.2}s ({:.2} million observations per cpu-second)\n\
             peak RSS {} MiB ({:.1} bytes per observation)\n\
             peak RSS above the resident size before loading {} MiB ({:.1} bytes per observation)\n\
             evaluate without disclosure control (threshold 1): {:.2?} wall, {:.2}s cpu ({} results)\n\
             disclosure: verdict {:?}, {} primary, {} secondary, {} small counts no output shows, {} unprotected, {} withheld, {} tables, {} linear programs\n",
            if self.commune_provinces == 0 {
                "country and provinces".to_owned()
            } else {
                format!("country, provinces and the communes of {} provinces", self.commune_provinces)
            },
            self.csv_bytes,
            self.csv_bytes as f64 / n as f64,
            self.diagnostics,
            self.results.0,
            generated,
            loaded,
            total - loaded,
            total,
            n as f64 / total.as_secs_f64() / 1e6,
            cpu_load,
            cpu_evaluate,
            cpu_total,
            n as f64 / cpu_total.max(0.01) / 1e6,
            peak / 1024,
            peak as f64 * 1024.0 / n as f64,
            peak.saturating_sub(rss_before) / 1024,
            peak.saturating_sub(rss_before) as f64 * 1024.0 / n as f64,
            plain_wall,
            cpu_plain,
            self.results.1,
            audit.verdict,
            audit.primary,
            audit.secondary,
            audit.unshown_small,
            audit.unprotected,
            audit.withheld,
            audit.tables,
            audit.linear_programs,
        )
    }
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    // Optional: also evaluate (and publish) every commune of the first P provinces, where counts are small, so that
    // disclosure control has something to suppress (at the provinces the counts of 10 million rows are large).
    let commune_provinces: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(0);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");
    let start = Instant::now();
    let (catalogue, bytes) = tiendo_load::observations::benchmark_csv(n);
    let path = std::env::temp_dir().join(format!("tiendo-eval-throughput-{}.csv", std::process::id()));
    std::fs::write(&path, &bytes).expect("write the synthetic CSV to the temporary folder");
    let csv_bytes = bytes.len();
    drop(bytes);
    let generated = start.elapsed();
    // Reset the peak so that it measures loading and evaluation, not the generator (Linux 4.0+).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let rss_before = status_kb("VmRSS:").unwrap_or(0);
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let mut store = ObservationStore::new();
    let file = std::fs::File::open(&path).expect("open the synthetic CSV");
    let options = ReadOptions { threads: 2, ..ReadOptions::default() };
    let diagnostics =
        read_observations_from("bench.csv", file, &catalogue, &mut store, options).expect("read the synthetic CSV");
    let loaded = start.elapsed();
    let cpu_loaded = cpu_seconds();
    let org_units = units_with_communes(&catalogue, commune_provinces);
    let evaluation = evaluate(
        &catalogue,
        &store,
        &EvaluationSettings { threads: 2, org_units: org_units.clone(), ..EvaluationSettings::new(as_of) },
        None,
    );
    let total = start.elapsed();
    let cpu_total = cpu_seconds();
    let peak = status_kb("VmHWM:").unwrap_or(0);
    let _ = std::fs::remove_file(&path);
    // The disclosure audit's own cost: the same evaluation again with suppression off (threshold 1), whose
    // difference from the first is the audit (primary, search, final audit, mapping to indicators).
    let cpu_plain_start = cpu_seconds();
    let plain_start = Instant::now();
    let plain = evaluate(
        &catalogue,
        &store,
        &EvaluationSettings { threads: 2, threshold: 1.0, org_units, ..EvaluationSettings::new(as_of) },
        None,
    );
    let plain_wall = plain_start.elapsed();
    let cpu_plain = cpu_seconds() - cpu_plain_start;
    let measured = Measured {
        n,
        commune_provinces,
        csv_bytes,
        diagnostics: diagnostics.len(),
        results: (evaluation.indicators.len(), plain.indicators.len()),
        wall: (generated, loaded, total, plain_wall),
        cpu: (cpu_loaded - cpu_start, cpu_total - cpu_loaded, cpu_plain),
        peak_kb: (peak, rss_before),
    };
    let report = measured.report(&evaluation.disclosure);
    // An example program: its output is the point.
    #[allow(clippy::print_stdout)]
    {
        print!("{report}");
    }
}
