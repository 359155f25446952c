#!/usr/bin/env bash
# Why this exists: the browser check of issue 13 (items 5-8) in one command, for people and for .ci/run.
# Installs what it needs from Debian when missing (Chromium, the Noto fonts that make page counts reproducible,
# poppler-utils for counting PDF pages), the pinned npm packages (npm ci), renders the README's main review and
# runs check.mjs on both languages. Screenshots and PDFs go to $TIENDO_BROWSER_OUT (default
# ${TMPDIR:-/tmp}/tiendo-browser-check), outside the repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${TIENDO_BROWSER_OUT:-${TMPDIR:-/tmp}/tiendo-browser-check}"

# Debian packages: chromium (no browser download by puppeteer), fonts-noto-core (Noto Sans, the first face of the
# review's stylesheet, covers Vietnamese; the same font everywhere gives the same page count), poppler-utils.
packages=(chromium fonts-noto-core poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "browser check: missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
    exit 2
  fi
  echo "browser check: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

# The README's main command (Quick start), into a fresh folder outside the repository.
rm -rf "$out"
mkdir -p "$out"
(cd "$root" && cargo run --quiet -- report examples/vietnam-2021-2025 --window 2021..2025 --as-of 2026-01-15 \
  --lang vi,en --out "$out/review" 2>"$out/report.log") || {
  echo "browser check: tiendo report failed; see $out/report.log" >&2
  exit 2
}

node "$here/check.mjs" "$out/shots" "$out/review/vi/review.html" "$out/review/en/review.html"
