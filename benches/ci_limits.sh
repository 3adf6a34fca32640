#!/usr/bin/env bash
# GitHub's limits at scale: on a synthetic bank of N answers (default 20000;
# 80 rubrics × 12 concepts, ~250 words each, from examples/gen_bank.rs), the
# SARIF result count and its notification, the annotation count, the step
# summary's size, and wall time and peak RSS of `--format json` against the
# streamed `--format jsonl` (GNU time).
#
# Run: bash benches/ci_limits.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin rubric --example gen_bank
n="${1:-20000}"
dir="${TMPDIR:-/tmp}/rubric-scaling/$n"
[ -f "$dir/.rubric-bank.toml" ] || ./target/release/examples/gen_bank "$dir" "$n" >/dev/null
bin="$PWD/target/release/rubric"
out="$(mktemp -d)"
cd "$dir"
summary="$out/summary.md"
GITHUB_STEP_SUMMARY="$summary" "$bin" check --quiet --format github \
  --output "sarif=$out/r.sarif" >"$out/annotations.txt" || true
python3 - "$out/r.sarif" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
notes = run["invocations"][0].get("toolExecutionNotifications", [])
print(f"sarif results: {len(run['results'])}")
for n in notes:
    print(f"sarif notification: {n['message']['text']}")
PY
echo "annotation lines: $(wc -l <"$out/annotations.txt")"
tail -n 1 "$out/annotations.txt"
echo "step summary bytes: $(wc -c <"$summary") (limit 1048576)"
tail -n 1 "$summary"
for format in json jsonl; do
  t=$( { /usr/bin/time -f "%e %M" "$bin" check --quiet --format "$format" >/dev/null || true; } 2>&1 | tail -n 1 )
  read -r secs kb <<<"$t"
  echo "check --format $format: ${secs} s, peak RSS $((kb / 1024)) MB"
done
rm -rf "$out"
