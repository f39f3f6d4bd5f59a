#!/usr/bin/env bash
# Sets up the machine, builds the release CLI, and runs the main job: SPEX explaining a
# function with planted interactions (models/synthetic/planted_demo.json). Prints a short
# summary; the full result (docs/result-schema.md) is in build/demo/result.json.
#
#   scripts/run.sh [extra `spexlens solve` flags, e.g. --b 4 --method lime]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset native-release >/dev/null
cmake --build --preset native-release -j "$(nproc 2>/dev/null || echo 2)" --target spexlens

mkdir -p build/demo
build/native-release/bin/spexlens solve --function models/synthetic/planted_demo.json \
  --seed 1 --index mobius --max-order 3 --out build/demo/result.json "$@"

python3 - build/demo/result.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"\nSPEX ({r['method']}, {r['decoder']} decoder) on n = {r['n']} features: "
      f"{r['queries']:,} queries (t = {r['t']}, b = {r['b']}), seed {r['seed']}")
r2 = r['faithfulness']['r2']
print(f"faithfulness R^2 on {r['faithfulness']['holdout']} held-out masks: "
      + ("undefined" if r2 is None else f"{r2:.4f}"))
print("largest Mobius interactions (effect of keeping all of these features together):")
for t in [t for t in r["mobius"] if t["set"]][:6]:
    print(f"  {str(t['set']):>14}  {t['coef']:+.3f}")
gt = r.get('ground_truth')
if gt:
    print(f"planted Fourier terms recovered: {gt['recovered']}/{gt['planted']}, "
          f"R^2 against the clean function: {gt['r2_clean']:.5f}")
for note in r.get('notes', []):
    print("note:", note)
print("\nfull result: build/demo/result.json")
PY
