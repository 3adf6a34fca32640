#!/usr/bin/env bash
# Renders the coach report of the sample cohort in headless Chromium and
# saves a PNG, to look at the report as a person sees it.
# Needs Debian's `chromium` (.ci/run installs it). Prints the PNG's path.
#
# Run: bash scripts/screenshot-report.sh [OUT_DIR]   (default: target/report-shot)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/report-shot}"
mkdir -p "$out"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "chromium is not installed: apt-get install chromium" >&2
  exit 3
fi
cargo build --quiet --bin rubric
./target/debug/rubric report --cohort samples/cohort --out "$out" >/dev/null
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1100,2400 \
  --screenshot="$out/report.png" "file://$PWD/$out/report.html" >/dev/null 2>&1
size=$(stat -c %s "$out/report.png")
# A blank page compresses to a few KB; a rendered report is far larger.
if [ "$size" -lt 20000 ]; then
  echo "the screenshot is suspiciously small ($size bytes): did the page render?" >&2
  exit 1
fi
echo "$out/report.png ($size bytes)"
