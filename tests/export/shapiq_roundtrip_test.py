"""The shapiq export round-trips: scripts/spexlens-explain --shapiq on a shipped model and its
catalog sample writes InteractionValues JSON that the strict reader (shapiq_reader.py, written
from docs/result-schema.md "shapiq export") accepts, holding the same sets and values (1e-9) as
the CLI's own result JSON for the chosen index, its baseline, n_players = the number of features
and shapiq's name for the index. The reader must refuse broken variants of the same file, and
the comparison must notice a changed value, so the test can fail.

Run by CTest (explain_cli_shapiq_export, wasm-release build: SPEXLENS_CORE names the core).

    SPEXLENS_CORE=build/wasm-release/bin/spexlens_core.mjs python3 tests/export/shapiq_roundtrip_test.py
"""
import copy
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapiq_reader import ShapiqFormatError, read_shapiq_file, read_shapiq_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "scripts" / "spexlens-explain"
MODEL = ROOT / "models" / "spam-transformer"
TOLERANCE = 1e-9
# spexlens' index names (the result's index.name) and shapiq's (docs/result-schema.md).
SHAPIQ_NAME = {"mobius": "Moebius", "SII": "SII", "BII": "BII", "STII": "STII", "FSII": "FSII", "FBII": "FBII",
               "k-SII": "k-SII", "SV": "SV", "BV": "BV"}
# Written at max_order 1, these come back from shapiq.InteractionValues.load as SV / BV.
AT_ORDER_ONE = {"SII": "SV", "STII": "SV", "FSII": "SV", "k-SII": "SV", "BII": "BV", "FBII": "BV"}

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def sample_text():
    catalog = json.loads((ROOT / "web" / "catalog.json").read_text(encoding="utf-8"))
    entry = next(m for m in catalog["models"] if m["key"] == MODEL.name)
    return entry["samples"][0]["text"]


def run_cli(args):
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, timeout=600)


def explain(tmp, index, order, budget=800):
    """Runs the CLI with --shapiq; returns (result JSON, path of the shapiq file)."""
    out = Path(tmp) / f"{index}-{order}.result.json"
    shapiq = Path(tmp) / f"{index}-{order}.shapiq.json"
    r = run_cli(["--model", str(MODEL), "--text", sample_text(), "--budget", str(budget), "--holdout", "200",
                 "--seed", "5", "--index", index, "--max-order", str(order), "--out", str(out),
                 "--shapiq", str(shapiq)])
    if r.returncode != 0:
        raise SystemExit(f"spexlens-explain --index {index} --max-order {order} failed ({r.returncode}): {r.stderr}")
    return json.loads(out.read_text(encoding="utf-8")), shapiq


def differences(result, iv):
    """What differs between the CLI's result and the shapiq file as read; [] when they agree."""
    out = []
    index = result["index"]
    expected = {tuple(v["set"]): v["value"] for v in index["values"]}
    has_empty = () in expected
    if not has_empty:  # SII, BII, SV, BV: shapiq's baseline is the fully masked output
        if iv["baseline_value"] != result["baseline_value"]:
            out.append(f"baseline_value {iv['baseline_value']} != the result's {result['baseline_value']}")
    elif abs(iv["baseline_value"] - expected[()]) > TOLERANCE:
        out.append(f"baseline_value {iv['baseline_value']} != the empty set's value {expected[()]}")
    if (iv["min_order"] == 0) != has_empty:
        out.append(f"min_order {iv['min_order']} but the index {'has' if has_empty else 'has no'} empty set")
    if set(iv["values"]) != set(expected):
        extra = sorted(set(iv["values"]) - set(expected))[:5]
        missing = sorted(set(expected) - set(iv["values"]))[:5]
        out.append(f"sets differ: in the file only {extra}, in the result only {missing}")
    for players, value in expected.items():
        got = iv["values"].get(players)
        if got is not None and abs(got - value) > TOLERANCE:
            out.append(f"{players}: {got} in the file, {value} in the result")
    if iv["n_players"] != result["n"] or iv["n_players"] != len(result["features"]):
        out.append(f"n_players {iv['n_players']} != n {result['n']} ({len(result['features'])} features)")
    name = SHAPIQ_NAME.get(index["name"])
    if iv["index"] != name:
        out.append(f"index {iv['index']!r}, expected {name!r} for {index['name']}")
    loaded = AT_ORDER_ONE.get(name, name) if index["order"] == 1 else name
    if iv["shapiq_index"] != loaded:
        out.append(f"shapiq would load the index as {iv['shapiq_index']!r}, expected {loaded!r}")
    order = 1 if index["name"] in ("SV", "BV") else index["order"]
    if iv["max_order"] != order:
        out.append(f"max_order {iv['max_order']} != the index order {order}")
    if iv["estimation_budget"] != result["queries"] or iv["estimated"] is not True:
        out.append(f"estimation_budget {iv['estimation_budget']} / estimated {iv['estimated']}: expected "
                   f"{result['queries']} / true")
    params = iv["header"]["parameters"]
    if params.get("spexlens", {}).get("seed") != result["seed"] or len(params.get("feature_names", [])) != result["n"]:
        out.append("parameters: the provenance seed or the feature names do not match the result")
    return out


def round_trips(tmp):
    shown = {}
    for index, order in (("fsii", 2), ("sii", 2), ("mobius", 3), ("shapley", 1), ("fsii", 1)):
        result, path = explain(tmp, index, order)
        iv = read_shapiq_file(path)
        problems = differences(result, iv)
        check(not problems, f"--index {index} --max-order {order}: " + "; ".join(problems))
        check(len(iv["values"]) > result["n"] // 2, f"--index {index}: only {len(iv['values'])} values in the file")
        shown[(index, order)] = (result, path, iv)
        print(f"ok: --index {index} --max-order {order}: {iv['index']} (loads as {iv['shapiq_index']}), "
              f"{len(iv['values'])} values, n_players {iv['n_players']}")
    # The comparison notices a changed value, a missing set and a wrong baseline.
    result, _, iv = shown[("fsii", 2)]
    for what, change in (("a value off by 1e-6", lambda v: v["values"].update({k: x + 1e-6 for k, x in
                                                                                 list(v["values"].items())[1:2]})),
                         ("a set dropped", lambda v: v["values"].pop(next(k for k in v["values"] if len(k) == 2))),
                         ("another baseline", lambda v: v.update(baseline_value=v["baseline_value"] + 1.0))):
        changed = copy.deepcopy(iv)
        change(changed)
        check(differences(result, changed), f"the comparison did not notice {what}")
    return shown[("fsii", 2)][1]


def broken_variants(path):
    """The reader refuses each broken copy of a good file, naming what is wrong."""
    good = json.loads(Path(path).read_text(encoding="utf-8"))
    n = good["metadata"]["n_players"]
    read_shapiq_text(json.dumps(good))  # the unchanged file passes

    def variant(change):
        doc = copy.deepcopy(good)
        change(doc)
        return json.dumps(doc)

    def set_data(doc, key, value):
        doc["data"][key] = value

    cases = [
        ("missing field", variant(lambda d: d["metadata"].pop("n_players")), "'n_players' is missing"),
        ("missing data", variant(lambda d: d.pop("data")), "'data' is missing"),
        ("player out of range", variant(lambda d: set_data(d, f"0,{n}", 0.5)), "out of range"),
        ("order above max_order", variant(lambda d: set_data(d, "0,1,2", 0.5)), "outside min_order..max_order"),
        ("Empty below min_order", variant(lambda d: d["metadata"].update(min_order=1)), "outside min_order"),
        ("unsorted key", variant(lambda d: set_data(d, "1,0", 0.5)), "increasing order"),
        ("key syntax", variant(lambda d: set_data(d, "0, 1", 0.5)), "expected 'Empty' or player indices"),
        ("max_order as a string", variant(lambda d: d["metadata"].update(max_order="2")), "non-negative integer"),
        ("value as a string", variant(lambda d: set_data(d, "0", "0.5")), "expected a number"),
        ("estimated as a number", variant(lambda d: d["metadata"].update(estimated=1)), "true or false"),
        ("baseline null", variant(lambda d: d["metadata"].update(baseline_value=None)), "baseline_value"),
        ("unknown index", variant(lambda d: d["metadata"].update(index="Fourier")), "not one of shapiq's indices"),
        ("Empty vs baseline", variant(lambda d: set_data(d, "Empty", d["data"]["Empty"] + 1)), "disagrees"),
        ("not InteractionValues", variant(lambda d: d.update(object_name="Game")), "object_name"),
        ("NaN", json.dumps(good).replace('"0": ', '"0": NaN, "x": ', 1), "no NaN"),
        ("repeated key", json.dumps(good).replace('"Empty": ', '"0": 1.0, "Empty": ', 1), "appears twice"),
    ]
    for what, text, phrase in cases:
        try:
            read_shapiq_text(text)
            check(False, f"the reader accepted a file with a {what}")
        except ShapiqFormatError as e:
            check(phrase in str(e), f"{what}: the message should mention {phrase!r}: {e}")
    try:
        read_shapiq_file(Path(path).with_suffix(".txt"))
        check(False, "the reader accepted a file name that does not end in .json")
    except ShapiqFormatError as e:
        check(".json" in str(e), f"file name: {e}")
    print(f"ok: the reader refuses {len(cases) + 1} broken variants")


def refusals(tmp):
    """The Fourier index has no shapiq name: exit 1 after writing the result; usage errors exit 2."""
    shapiq = Path(tmp) / "fourier.shapiq.json"
    r = run_cli(["--model", str(MODEL), "--text", "free lunch on friday", "--budget", "300", "--holdout", "50",
                 "--index", "fourier", "--shapiq", str(shapiq)])
    check(r.returncode == 1 and "no Fourier index" in r.stderr, f"fourier: exit {r.returncode}: {r.stderr.strip()}")
    check(r.stdout.startswith("{") and json.loads(r.stdout)["index"]["name"] == "fourier",
          "fourier: the result JSON should still be written")
    check(not shapiq.exists(), "fourier: no shapiq file should be written")
    jsonl = Path(tmp) / "texts.jsonl"
    jsonl.write_text('"free lunch"\n', encoding="utf-8")
    for args, phrase in ((["--input", str(jsonl), "--shapiq", str(shapiq)], "use it with --text"),
                         (["--text", "free lunch", "--shapiq", str(Path(tmp) / "x.txt")], "must end in .json")):
        r = run_cli(["--model", str(MODEL), *args])
        check(r.returncode == 2 and phrase in r.stderr, f"{args[0]} --shapiq: exit {r.returncode}: {r.stderr.strip()}")
    print("ok: --shapiq refusals (fourier, --input, a name without .json)")


def main():
    with tempfile.TemporaryDirectory(prefix="spexlens-shapiq-") as tmp:
        good = round_trips(tmp)
        broken_variants(good)
        refusals(tmp)
    for f in failures:
        print(f"FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
