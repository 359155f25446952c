#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) each, on the stable toolchain, with the seeds; stops at the first
# target that fails and names the input libFuzzer kept. See docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2; exit 2; }
for target in $(cargo fuzz list); do
  mkdir -p "corpus/$target"
  seeds=()
  [ -d "seeds/$target" ] && seeds=("seeds/$target")
  echo "== $target (${seconds} s)"
  if ! cargo fuzz run --sanitizer none -O "$target" "corpus/$target" "${seeds[@]}" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 2>"run-$target.log"; then
    echo "$target failed: see fuzz/run-$target.log and fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^Done' "run-$target.log" || true
done
