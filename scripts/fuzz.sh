#!/usr/bin/env bash
# fuzz.sh: builds the libFuzzer targets (tests/fuzz, the `fuzz` preset: clang with ASan and
# UBSan) and runs each for SECONDS over a copy of its committed seed corpus, with the JSON/zip
# dictionary. A crash, sanitizer report, leak, timeout (> 10 s for one input) or out-of-memory
# (> 2 GB) is a finding: the input is saved as build/fuzz/findings/<target>-<kind>-<hash> and
# the script exits 1. Prints runs per target and writes build/fuzz/report.txt.
#
#   scripts/fuzz.sh                 # every target, 60 s each
#   scripts/fuzz.sh ci              # CI's short pass (scripts/test.sh): a fixed number of runs per
#                                   # target (about 30 s each here) from seed 1 over a fresh copy of
#                                   # the seeds, so it explores the same inputs on every machine
#   scripts/fuzz.sh 3600 zip text   # an hour each for two targets
#
# Replaying one input: build/fuzz/bin/fuzz_<target> FILE
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

seconds="${1:-60}"
shift || true
ci=0
if [ "$seconds" = ci ]; then
  ci=1
  seconds=600  # a ceiling only: the runs below end each target first
fi
# Runs per target in the CI pass: about 30 s each on this project's 2-core machine (docs/reliability.md).
declare -A ci_runs=([zip]=600000 [manifest]=20000 [hf_tokenizer]=8000 [hf_encode]=2500 [text]=15000
  [explain_options]=300000 [function_json]=150000 [result]=90000 [run_request]=100000 [probe_suite]=30000 [remote]=400000)
all=(zip manifest hf_tokenizer hf_encode text explain_options function_json result run_request probe_suite remote)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)"

out="$ROOT/build/fuzz"
mkdir -p "$out/corpus" "$out/findings" "$out/logs"
report="$out/report.txt"
{
  echo "fuzz run $(date -u +%Y-%m-%dT%H:%M:%SZ), $([ "$ci" = 1 ] && echo "CI pass (fixed runs, seed 1)" || echo "${seconds} s per target"), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "target | runs | runs/s | corpus | result"
} >"$report"
status=0
for t in "${targets[@]}"; do
  bin="$out/bin/fuzz_$t"
  [ -x "$bin" ] || { echo "fuzz.sh: no target $t (have: ${all[*]})" >&2; exit 2; }
  corpus="$out/corpus/$t"
  extra=()
  if [ "$ci" = 1 ]; then
    corpus="$out/ci-corpus/$t"
    rm -rf "$corpus"
    extra=(-seed=1 -runs="${ci_runs[$t]}")
  fi
  mkdir -p "$corpus"
  cp -n "$ROOT/tests/fuzz/corpus/$t/"* "$corpus/" 2>/dev/null || true
  log="$out/logs/$t.log"
  result="no finding"
  if ! "$bin" "$corpus" -dict="$ROOT/tests/fuzz/json.dict" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$out/findings/$t-" -print_final_stats=1 "${extra[@]}" >"$log" 2>&1; then
    result="FINDING (see $log and $out/findings/)"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  files=$(find "$corpus" -type f | wc -l)
  line="fuzz_$t | $runs | $rate | $files | $result"
  echo "$line"
  echo "$line" >>"$report"
done
echo "fuzz.sh: report in $report"
exit $status
