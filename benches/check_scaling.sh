#!/usr/bin/env bash
# End-to-end speed of `rubric check`: process start, config, bank load,
# reading files, scoring on every core, rendering JSON to /dev/null.
# Generates synthetic banks of 1k, 10k and 100k answers (80 rubrics × 12
# concepts, ~250 words each) under ${TMPDIR:-/tmp} and prints, per size,
# the wall time, answers per second and peak RSS (GNU time).
#
# BANK=shipped writes the answers against the shipped bank instead (its 80
# rubrics in turn, no synthetic rubrics added; gen_bank --shipped).
#
# Run: bash benches/check_scaling.sh [SIZES...]   (default: 1000 10000 100000)
#      BANK=shipped bash benches/check_scaling.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin rubric --example gen_bank
sizes=("${@:-1000 10000 100000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
root="${TMPDIR:-/tmp}/rubric-scaling"
printf '%8s %10s %12s %10s\n' answers "wall (s)" "answers/s" "RSS (MB)"
for n in "${sizes[@]}"; do
  dir="$root/$n"
  kind=()
  if [ "${BANK:-}" = shipped ]; then
    dir="$root/shipped-$n"
    kind=(--shipped)
  fi
  [ -f "$dir/.rubric-bank.toml" ] || ./target/release/examples/gen_bank "$dir" "$n" "${kind[@]}" >/dev/null
  # One warm-up run so the files are in the page cache, then the measured run.
  ./target/release/rubric check --config "$dir/.rubric-bank.toml" --format json >/dev/null || true
  # check exits 1 when answers fail (synthetic answers do); only the time matters.
  out=$( { /usr/bin/time -f "%e %M" ./target/release/rubric check --config "$dir/.rubric-bank.toml" --format json >/dev/null || true; } 2>&1 | tail -n 1 )
  read -r secs kb <<<"$out"
  awk -v n="$n" -v s="$secs" -v kb="$kb" 'BEGIN { printf "%8d %10.2f %12.0f %10.1f\n", n, s, n / s, kb / 1024 }'
done
