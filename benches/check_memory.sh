#!/usr/bin/env bash
# Peak memory of `rubric check` in every output format, which streams: each
# answer is rendered as soon as it is judged, so memory should not grow with
# the bank (JSON Lines), or only by a small record per answer (the table).
# Generates synthetic banks (80 rubrics × 12 concepts, ~250 words an answer,
# 1,000 answers a folder; examples/gen_bank.rs) under
# ${TMPDIR:-/tmp}/rubric-scaling and prints, per size and format, the wall
# time and peak RSS (GNU time) of one run with output to /dev/null. The
# answers' folders are named on the command line, the same at every size (the
# config's `answers` glob would walk more than 200,000 entries at a million).
# Format `all` is `--format json` with every other format but the table as an
# `--output` file at once; `github` also writes the step summary
# ($GITHUB_STEP_SUMMARY).
#
# Run: bash benches/check_memory.sh [SIZES...]        (default: 10000 100000)
#      FORMATS="jsonl" bash benches/check_memory.sh 1000000
# CLEAN=1 removes the banks this run generated when it is done (a million
# answers take about 4 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin rubric --example gen_bank
sizes=("${@:-10000 100000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
# shellcheck disable=SC2206
formats=(${FORMATS:-json jsonl sarif junit markdown github table brief all})
root="${TMPDIR:-/tmp}/rubric-scaling"
bin="$PWD/target/release/rubric"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '%-9s %9s %9s %9s\n' format answers "wall (s)" "RSS (MB)"
for n in "${sizes[@]}"; do
  dir="$root/$n"
  made=0
  if [ ! -f "$dir/.rubric-bank.toml" ]; then
    ./target/release/examples/gen_bank "$dir" "$n" >/dev/null
    made=1
  fi
  answers=("$dir"/answers/*/)
  check=("$bin" check --quiet --config "$dir/.rubric-bank.toml")
  # One warm-up run so the files are in the page cache.
  "${check[@]}" --format jsonl "${answers[@]}" >/dev/null || true
  for format in "${formats[@]}"; do
    args=(--format "$format")
    if [ "$format" = all ]; then
      args=(--format json)
      for f in jsonl sarif junit markdown github brief; do
        args+=(--output "$f=$out/report.$f")
      done
    fi
    # check exits 1 when answers fail (synthetic answers do); 2 is an error.
    t=$( { GITHUB_STEP_SUMMARY="$out/summary.md" /usr/bin/time -f "%e %M %x" \
      "${check[@]}" "${args[@]}" "${answers[@]}" >/dev/null || true; } 2>&1 | tail -n 1 )
    read -r secs kb code <<<"$t"
    if [ "$code" != 0 ] && [ "$code" != 1 ]; then
      echo "check --format $format on $n answers failed (exit $code)" >&2
      exit 1
    fi
    awk -v f="$format" -v n="$n" -v s="$secs" -v kb="$kb" \
      'BEGIN { printf "%-9s %9d %9.1f %9.1f\n", f, n, s, kb / 1024 }'
    rm -f "$out"/*
  done
  if [ "$made" = 1 ] && [ "${CLEAN:-0}" = 1 ]; then
    rm -rf "$dir"
  fi
done
