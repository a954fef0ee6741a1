#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ (cargo-fuzz, libFuzzer with coverage and
# AddressSanitizer, debug assertions on, so an integer overflow is a crash)
# for SECONDS each, then prints executions, coverage and crashes per target.
#
#   ./scripts/fuzz.sh [SECONDS] [TARGET...]      # default 60 s, every target
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Seeds come from fuzz/corpus/<target> (committed, small; regenerate with
# `cargo run -p komek-core --example fuzz_seeds`); what the fuzzers find goes
# to fuzz/work/<target> (ignored by git), crashing inputs to
# fuzz/artifacts/<target>. Not part of the test command: it is a soak
# (docs/reliability.md). Exits 1 when a target crashed.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

secs=${1:-60}
shift || true
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build >/dev/null
printf '%-16s %14s %8s %8s %8s\n' target executions exec/s coverage crashes
failed=0
for t in "${targets[@]}"; do
  mkdir -p "work/$t" "artifacts/$t"
  log="work/$t.log"
  before=$(find "artifacts/$t" -type f | wc -l)
  # A crash stops libFuzzer early; the loop goes on with the next target.
  cargo +nightly fuzz run "$t" "work/$t" "corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 >"$log" 2>&1 || true
  after=$(find "artifacts/$t" -type f | wc -l)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo '?')
  crashes=$((after - before))
  [ "$crashes" -gt 0 ] && failed=1
  printf '%-16s %14s %8s %8s %8s\n' "$t" "$execs" "$rate" "$cov" "$crashes"
done
exit "$failed"
