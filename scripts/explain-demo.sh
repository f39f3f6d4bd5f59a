#!/usr/bin/env bash
# Sets up the machine, builds the explainer, and runs the main job: auto (ProxySPEX or ridge
# regression, chosen by cross-validation) explaining which words,
# and which groups of words acting together, move the shipped spam classifier's output on a
# sample e-mail (models/spam-transformer). Prints a short summary; the full result
# (docs/result-schema.md) is in build/demo/email.json.
#
#   scripts/explain-demo.sh [--text "your own text"] [extra spexlens-explain flags, e.g. --budget 2000 --method spex-soft]
#   scripts/explain-demo.sh --players components     # the model's heads and neuron groups instead
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset wasm-release >/dev/null
cmake --build --preset wasm-release -j "$(nproc 2>/dev/null || echo 2)" --target spexlens_core

# A short work e-mail that mentions a free lunch: the model calls it ham, and the explanation
# shows which words pull it towards spam and which groups of words act together.
SAMPLE="Subject: Re: meeting on friday

Hi all, the meeting is moved to Friday at 10. Please bring the budget numbers. If you cannot \
make it, reply and I will send the slides. Free lunch will be provided. Thanks, Bob"
args=("$@")
case " ${args[*]-} " in *" --text "*) ;; *) args=(--text "$SAMPLE" "${args[@]}") ;; esac

mkdir -p build/demo
scripts/spexlens-explain --model models/spam-transformer --seed 1 --index fsii --max-order 2 \
  --out build/demo/email.json "${args[@]}"

/usr/bin/python3 - build/demo/email.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
words = [f["text"] for f in r["features"]]
parts = r.get("players") == "components"
kind, gone = ("components", "every component ablated") if parts else ("words", "every word masked")
name = lambda s: " + ".join(repr(words[i]) for i in s)
r2 = r["faithfulness"]["r2"]
print(f"\n{r['model']['name']} ({r['model']['sha256'][:12]}): {r['target']['measure']} of "
      f"\"{r['target']['class']}\" = {r['full_value']:+.2f} for the text, {r['baseline_value']:+.2f} with {gone}")
if r["design"] == "spex":
    method = f"SPEX ({r['decoder']} decoder), b = {r['b']}"
else:
    method = r["method"] if r["method"] == r["chosen_method"] else f"{r['method']} -> {r['chosen_method']}"
    scores = ", ".join(f"{c['name']} {c['cv_r2']:.3f}" for c in (r.get("selection") or {}).get("candidates", [])
                       if c["cv_r2"] is not None)
    if scores:
        method += f" (cross-validated R^2: {scores})"
print(f"{method}; n = {r['n']} {kind}, {r['queries']:,} masked queries, "
      f"seed {r['seed']}; faithfulness R^2 on {r['faithfulness']['holdout']} held-out masks: "
      + ("undefined" if r2 is None else f"{r2:.3f}"))
order = sorted(range(r["n"]), key=lambda i: -abs(r["shapley"][i]))
print(f"{kind} that move the output most (Shapley value):")
for i in order[:8]:
    print(f"  {r['shapley'][i]:+7.3f}  {words[i]!r}")
pairs = [v for v in r["index"]["values"] if len(v["set"]) >= 2][:6]
print(f"strongest interactions ({r['index']['name']}, order {r['index']['order']}):")
for v in pairs:
    print(f"  {v['value']:+7.3f}  {name(v['set'])}")
for note in r.get("notes", []):
    print("note:", note)
print("\n" + r["interpretation"])
print("full result: build/demo/email.json")
PY
