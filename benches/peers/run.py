#!/usr/bin/env python3
"""W2 side by side: tiendo eval against polars, DuckDB and pandas on the same ten million observations.

Writes the W2 project with the project's own generator (`generate_synthetic w2`, release build), then runs each
tool `--runs` times as a child process and prints, per tool, the median CPU time (user + sys of the whole process,
from wait4's rusage), wall time and peak resident memory (ru_maxrss), per million rows, with the load average.
The peers read the file and sum the value by province and year (a join of commune -> province, then group by);
tiendo evaluates the project (parse, validate every cell, intern, roll up, status, suppression). See README.md.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

POLARS = """
import sys, polars as pl
obs = pl.read_csv(sys.argv[1])
units = pl.read_csv(sys.argv[2])
out = (obs.join(units, left_on="org_unit", right_on="commune")
          .with_columns(pl.col("period").str.slice(0, 4).alias("year"))
          .group_by(["province", "year"]).agg(pl.col("value").sum()))
print(out.height, float(out["value"].sum()))
"""

DUCKDB = """
import sys, duckdb
con = duckdb.connect()
out = con.execute(
    "SELECT u.province, substr(o.period, 1, 4) AS year, sum(o.value) AS value "
    "FROM read_csv(?) o JOIN read_csv(?) u ON o.org_unit = u.commune GROUP BY ALL",
    [sys.argv[1], sys.argv[2]]).fetchall()
print(len(out), float(sum(r[2] for r in out)))
"""

PANDAS = """
import sys, pandas as pd
obs = pd.read_csv(sys.argv[1])
units = pd.read_csv(sys.argv[2])
obs = obs.merge(units, left_on="org_unit", right_on="commune")
obs["year"] = obs["period"].str.slice(0, 4)
out = obs.groupby(["province", "year"])["value"].sum()
print(len(out), float(out.sum()))
"""


def run_once(argv, env=None):
    """Runs argv to its end; returns (cpu seconds, wall seconds, peak RSS in bytes)."""
    start = time.monotonic()
    # Diagnostics go to stderr: at ten million rows of communes the catalogue's ratio indicators warn per commune.
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    # tiendo eval exits 1 when it reports findings (the synthetic data holds deliberate inconsistencies); 2 and
    # above are failures.
    if child.returncode not in (0, 1):
        sys.exit(f"{argv[0]} failed with exit code {child.returncode}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss * 1024


def measure(name, argv, runs, rows, env=None):
    samples = [run_once(argv, env) for _ in range(runs)]
    cpu = statistics.median(s[0] for s in samples)
    wall = statistics.median(s[1] for s in samples)
    peak = statistics.median(s[2] for s in samples)
    millions = rows / 1e6
    print(
        f"{name:<14} cpu {cpu:6.2f} s ({cpu / millions:5.3f} s per M rows, {millions / cpu:5.2f} M rows per cpu-s)  "
        f"wall {wall:6.2f} s ({wall / millions:5.3f} s per M)  peak {peak / 2**20:7.0f} MiB "
        f"({peak / rows:5.1f} B per row, {peak / millions / 2**20:5.1f} MiB per M)  "
        f"cpu range {min(s[0] for s in samples):.2f}-{max(s[0] for s in samples):.2f} s",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, help="where the W2 project goes (default: TARGET/peers-w2)")
    parser.add_argument("--keep", action="store_true", help="keep the W2 project afterwards")
    parser.add_argument("--only", default="tiendo,tiendo-check,polars,duckdb,pandas")
    args = parser.parse_args()
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    project = args.dir or target / "peers-w2"
    only = set(args.only.split(","))

    # --workspace: the same features as every other build of the workspace (a build of one package picks other
    # wasmtime features and compiles it again).
    subprocess.run(["cargo", "build", "--release", "--workspace", "--bin", "tiendo", "--example", "generate_synthetic"],
                   cwd=REPO, check=True)
    tiendo = target / "release" / "tiendo"
    if project.exists():
        shutil.rmtree(project)
    start = time.monotonic()
    subprocess.run([target / "release" / "examples" / "generate_synthetic", "w2", project, str(args.rows)], check=True)
    data = project / "data" / "w2.csv"
    units = project / "units.csv"
    print(f"W2: {args.rows:,} rows, {data.stat().st_size:,} bytes ({data.stat().st_size / args.rows:.1f} per row), "
          f"written in {time.monotonic() - start:.1f} s")
    print(f"machine: {os.cpu_count()} cpus; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    versions = subprocess.run([sys.executable, "-c", "import polars, duckdb, pandas; "
                               "print('polars', polars.__version__, 'duckdb', duckdb.__version__, "
                               "'pandas', pandas.__version__)"], capture_output=True, text=True)
    print(versions.stdout.strip() or versions.stderr.strip(), f"python {sys.version.split()[0]}")
    print(f"median of {args.runs} runs each; cpu = user + sys of the whole process (wait4 rusage), peak = ru_maxrss")
    # The file is read once before timing so that every tool reads it from the page cache.
    with open(data, "rb") as f:
        while f.read(1 << 24):
            pass
    # The cache of compiled plugins, if any, stays out of the home folder.
    env = dict(os.environ, TIENDO_CACHE_DIR=str(target / "peers-cache"))
    eval_argv = [tiendo, "eval", project, "--as-of", "2026-01-01", "--format", "json"]
    if "tiendo" in only:
        measure("tiendo eval", eval_argv, args.runs, args.rows, env)
    if "tiendo-check" in only:
        measure("tiendo check", [tiendo, "check", project, "--format", "json"], args.runs, args.rows, env)
    for name, script in (("polars", POLARS), ("duckdb", DUCKDB), ("pandas", PANDAS)):
        if name in only:
            measure(name, [sys.executable, "-c", script, data, units], args.runs, args.rows)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.keep:
        shutil.rmtree(project)


if __name__ == "__main__":
    main()
