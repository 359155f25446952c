//! W1, the full review of the frozen example as a timed example (issue 10 item 6, issue 15 item 4): runs the release
//! binary's `tiendo report` on `tests/fixtures/frozen-example/` (both languages, all formats) once to warm up and
//! then `RUNS` times (default 5), and prints each run's user and system CPU time, their medians and the load
//! average. `cargo build --release --bin tiendo && cargo run --release --example review_cpu [-- RUNS [replace]]`;
//! see docs/performance.md.
//!
//! Each run writes a new review folder, and the folders are removed only after the last run: on a file system that
//! holds back inodes freed in the last 60 s (ext4 without a journal, as on the machine of docs/performance.md: 360 s
//! while the freed inode's table block is unwritten), replacing the previous run's review a fraction of a second after
//! it was written makes creating the next one's 58 files cost 6-8 % of a run, which a single review does not pay. Any
//! large deletion on the same file system in the minutes before a measurement has the same effect: see
//! docs/performance-log.md, "W1 after the fifth pass", for a review written to tmpfs. With `replace`, every run writes into the same folder with
//! `--force`, replacing the previous run's review, to measure that case too.
//!
//! The CPU time of each run is read from the kernel's count of the children this process waited for
//! (`cutime`/`cstime` in /proc/self/stat, in clock ticks of 1/100 s, Linux's `USER_HZ`), so it is the whole `tiendo`
//! process: start-up, loading, evaluation with the disclosure audit, the plugins, rendering and writing the files.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The children's user and system CPU time so far, in seconds.
fn children_cpu() -> (f64, f64) {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return (0.0, 0.0) };
    let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else { return (0.0, 0.0) };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17 of the line, 13 and 14 after the command name.
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(13) / 100.0, ticks(14) / 100.0)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5).max(1);
    let exe = std::env::current_exe().expect("the example's own path");
    // target/release/examples/review_cpu -> target/release/tiendo
    let binary: PathBuf = exe.parent().and_then(Path::parent).expect("inside the target folder").join("tiendo");
    assert!(binary.exists(), "build the binary first: cargo build --release --bin tiendo ({})", binary.display());
    let project =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/frozen-example/examples/vietnam-2021-2025");
    let replace = std::env::args().nth(2).is_some_and(|a| a == "replace");
    let scratch = std::env::temp_dir().join(format!("tiendo-review-cpu-{}", std::process::id()));
    let mut count = 0;
    let mut run = || {
        count += 1;
        let out = if replace { scratch.join("review") } else { scratch.join(format!("review-{count}")) };
        let before = children_cpu();
        let status = Command::new(&binary)
            .arg("report")
            .arg(&project)
            .args(["--window", "2021..2023", "--as-of", "2024-01-15", "--lang", "vi,en", "--format", "html,md,json"])
            .arg("--out")
            .arg(&out)
            .args(["--force", "-q"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("run tiendo");
        assert!(status.success(), "tiendo report failed: {status}");
        let after = children_cpu();
        (after.0 - before.0, after.1 - before.1)
    };
    run();
    let times: Vec<(f64, f64)> = (0..runs).map(|_| run()).collect();
    let _ = std::fs::remove_dir_all(&scratch);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut report = String::new();
    for (i, (user, sys)) in times.iter().enumerate() {
        report += &format!("run {}: {user:.2} s user, {sys:.2} s sys\n", i + 1);
    }
    report += if replace {
        "each run replaced the previous run's review (--force)\n"
    } else {
        "each run wrote a new folder\n"
    };
    report += &format!(
        "median of {runs}: {:.2} s user, {:.2} s sys, {:.2} s user + sys\nload average: {}",
        median(times.iter().map(|t| t.0).collect()),
        median(times.iter().map(|t| t.1).collect()),
        median(times.iter().map(|t| t.0 + t.1).collect()),
        load
    );
    // An example program: its output is the point.
    #[allow(clippy::print_stdout)]
    {
        println!("{report}");
    }
}
