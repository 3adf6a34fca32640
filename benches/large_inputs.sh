#!/usr/bin/env bash
# Time and peak memory of one very large answer or transcript (issue 13):
# a 50 MB and a 5 MB written answer, an SRT with 300,000 cues, a WebVTT
# file with 60,000 distinct voices and an Otter transcript with one header
# and 100,000 lines. Inputs are generated under ${TMPDIR:-/tmp}; each is
# scored once against `idempotency` (release build, JSON to /dev/null) and
# GNU time reports the wall time and peak RSS.
#
# Run: bash benches/large_inputs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin rubric
dir="${TMPDIR:-/tmp}/rubric-large"
mkdir -p "$dir"
sample=samples/idempotency-strong.md
if [ ! -f "$dir/answer-50mb.md" ]; then
  : >"$dir/answer-50mb.md"
  while [ "$(stat -c %s "$dir/answer-50mb.md")" -lt 50000000 ]; do
    cat "$sample" "$sample" "$sample" "$sample" "$sample" "$sample" "$sample" "$sample" >>"$dir/answer-50mb.md"
  done
  head -c 5000000 "$dir/answer-50mb.md" >"$dir/answer-5mb.md"
  awk 'BEGIN {
    for (i = 0; i < 300000; i++) {
      s = i * 2; printf "%d\n%02d:%02d:%02d,000 --> %02d:%02d:%02d,500\nwe retry the request with the same idempotency key number %d\n\n",
        i + 1, s / 3600, (s / 60) % 60, s % 60, s / 3600, (s / 60) % 60, s % 60, i
    } }' >"$dir/cues-300k.srt"
  awk 'BEGIN {
    print "WEBVTT\n"
    for (i = 0; i < 60000; i++) {
      s = i * 2; printf "%02d:%02d:%02d.000 --> %02d:%02d:%02d.500\n<v Speaker %d>the key is stored with the response\n\n",
        s / 3600, (s / 60) % 60, s % 60, s / 3600, (s / 60) % 60, s % 60, i
    } }' >"$dir/voices-60k.vtt"
  awk 'BEGIN {
    print "Speaker 1  0:00"
    for (i = 0; i < 100000; i++) printf "so the client sends the same key again and the server returns the stored response %d\n", i
  }' >"$dir/otter-100k.txt"
fi
printf '%-18s %10s %10s %10s %8s\n' input "size (MB)" "wall (s)" "RSS (MB)" "RSS/size"
for f in answer-50mb.md answer-5mb.md cues-300k.srt voices-60k.vtt otter-100k.txt; do
  path="$dir/$f"
  out=$( { /usr/bin/time -f "%e %M" ./target/release/rubric score -r idempotency --format json \
    --max-answer-bytes 60000000 "$path" >/dev/null || true; } 2>&1 | tail -n 1 )
  read -r secs kb <<<"$out"
  bytes=$(stat -c %s "$path")
  awk -v f="$f" -v b="$bytes" -v s="$secs" -v kb="$kb" \
    'BEGIN { printf "%-18s %10.1f %10.2f %10.1f %8.1f\n", f, b / 1e6, s, kb / 1024, kb * 1024 / b }'
done
