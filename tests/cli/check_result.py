#!/usr/bin/env python3
"""check_result: validates one spexlens result JSON against docs/result-schema.md.

Used by solve_cli_test.sh. Checks every field's presence, order and type (no extra keys, so
the schema page and the code cannot drift apart silently), plus optional expectations:

  check_result.py RESULT.json [--method M] [--recovered-all] [--min-r2-clean X]
                              [--removal-null] [--note-contains TEXT] [--n N]

Exits 0 when valid, 1 with one message per problem on stderr otherwise.
"""
import argparse
import json
import math
import re
import sys

problems = []


def fail(path, message):
    problems.append(f"{path}: {message}")


def is_int(v):
    return type(v) is int


def is_num(v):
    return type(v) in (int, float) and math.isfinite(v)


def expect(path, value, kind, nullable=False):
    """kind: 'int', 'num', 'str', 'bool', 'list', 'obj'."""
    if value is None:
        if not nullable:
            fail(path, "is null")
        return False
    ok = {
        "int": is_int(value),
        "num": is_num(value),
        "str": isinstance(value, str),
        "bool": type(value) is bool,
        "list": isinstance(value, list),
        "obj": isinstance(value, dict),
    }[kind]
    if not ok:
        fail(path, f"expected {kind}, got {type(value).__name__} {value!r:.60}")
    return ok


def expect_keys(path, obj, keys):
    if not isinstance(obj, dict):
        fail(path, "is not an object")
        return False
    if list(obj.keys()) != keys:
        fail(path, f"keys {list(obj.keys())} != documented {keys}")
    return all(k in obj for k in keys)


def check_set(path, s, n):
    if expect(path, s, "list"):
        if not all(is_int(i) and 0 <= i < n for i in s):
            fail(path, f"indices must be integers in [0, {n}): {s}")
        elif any(a >= b for a, b in zip(s, s[1:])):
            fail(path, f"set is not strictly increasing: {s}")


def check_terms(path, terms, n, value_key="coef", sorted_desc=True):
    if not expect(path, terms, "list"):
        return
    for i, t in enumerate(terms):
        if expect_keys(f"{path}[{i}]", t, ["set", value_key]):
            check_set(f"{path}[{i}].set", t["set"], n)
            expect(f"{path}[{i}].{value_key}", t[value_key], "num")
    mags = [abs(t[value_key]) for t in terms if isinstance(t, dict) and is_num(t.get(value_key))]
    if sorted_desc and any(a < b for a, b in zip(mags, mags[1:])):
        fail(path, "not sorted by decreasing |value|")


def check_removal_steps(path, steps, n):
    if expect(path, steps, "list"):
        for i, s in enumerate(steps):
            if expect_keys(f"{path}[{i}]", s, ["removed", "predicted"]):
                check_set(f"{path}[{i}].removed", s["removed"], n)
                expect(f"{path}[{i}].predicted", s["predicted"], "num")


TOP = ["schema", "schema_version", "spexlens_version", "method", "chosen_method", "design", "n", "t", "t_requested",
       "b", "p", "decoder", "refine", "noise", "seed", "budget", "queries", "holdout_queries", "partial", "fourier",
       "mobius", "shapley", "banzhaf", "index", "faithfulness", "selection", "proxy", "removal", "diagnostics",
       "timing_ms", "notes", "ground_truth"]
METHODS = ["spex", "lime", "kernelshap", "faith-banzhaf-1", "faith-banzhaf-2", "faith-banzhaf-3", "auto", "proxyspex",
           "ridge-1", "ridge-2", "ridge-3"]
UNIFORM = ["auto", "proxyspex", "ridge-1", "ridge-2", "ridge-3"]


def check(d, args):
    if not expect_keys("$", d, TOP):
        return
    if d["schema"] != "spexlens.result":
        fail("schema", repr(d["schema"]))
    if d["schema_version"] != 1 or not is_int(d["schema_version"]):
        fail("schema_version", repr(d["schema_version"]))
    if not isinstance(d["spexlens_version"], str) or not re.fullmatch(r"\d+\.\d+\.\d+", d["spexlens_version"]):
        fail("spexlens_version", repr(d["spexlens_version"]))
    if d["method"] not in METHODS:
        fail("method", repr(d["method"]))
    if args.method and d["method"] != args.method:
        fail("method", f"{d['method']!r} != expected {args.method!r}")
    for k in ["n", "t", "t_requested", "b", "p", "seed", "queries", "holdout_queries"]:
        expect(k, d[k], "int")
    n = d["n"] if is_int(d["n"]) else 0
    if args.n is not None and n != args.n:
        fail("n", f"{n} != {args.n}")
    uniform = d["design"] == "uniform"
    spex = d["design"] == "spex"
    if d["design"] not in ("uniform", "spex", "baseline"):
        fail("design", repr(d["design"]))
    if (d["method"] in UNIFORM) != uniform and d["method"] != "auto":
        fail("design", f"{d['design']!r} for method {d['method']!r}")
    expect("partial", d["partial"], "bool")
    if uniform:
        if expect_keys("selection", d["selection"], ["chosen", "folds", "candidates", "ridge_lambda", "ridge_selection"]):
            if d["selection"]["chosen"] != d["chosen_method"]:
                fail("selection.chosen", "differs from chosen_method")
            for i, c in enumerate(d["selection"]["candidates"]):
                if expect_keys(f"selection.candidates[{i}]", c, ["name", "cv_r2", "terms"]):
                    expect(f"selection.candidates[{i}].cv_r2", c["cv_r2"], "num", nullable=True)
        if d["proxy"] is not None:
            expect_keys("proxy", d["proxy"], ["trees", "max_depth", "learning_rate", "min_leaf", "validation_r2",
                                              "holdout_r2", "proxy_terms", "support", "energy_kept", "ridge_lambda"])
    else:
        if d["selection"] is not None and d["chosen_method"] != "spex":
            fail("selection", "must be null for SPEX and the baselines")
        if d["proxy"] is not None:
            fail("proxy", "must be null for SPEX and the baselines")
    expect("budget", d["budget"], "int", nullable=True)
    if is_int(d["t"]) and is_int(d["t_requested"]) and d["t"] > d["t_requested"]:
        fail("t", "above t_requested")
    if spex:
        if d["decoder"] not in ("soft", "hard"):
            fail("decoder", repr(d["decoder"]))
        expect("refine", d["refine"], "bool")
        if expect_keys("noise", d["noise"], ["mode", "sd_estimate", "zeroton_tau"]):
            if d["noise"]["mode"] not in ("auto", "known", "reference"):
                fail("noise.mode", repr(d["noise"]["mode"]))
            expect("noise.sd_estimate", d["noise"]["sd_estimate"], "num", nullable=d["noise"]["mode"] == "reference")
            expect("noise.zeroton_tau", d["noise"]["zeroton_tau"], "num")
    elif uniform:
        for k in ["decoder", "refine", "noise"]:
            if d[k] is not None:
                fail(k, "must be null for a uniform-design method")
        if expect_keys("diagnostics", d["diagnostics"], ["fit"]):
            expect_keys("diagnostics.fit", d["diagnostics"]["fit"], ["solver", "lambda", "selection"])
    else:
        for k in ["decoder", "refine", "noise"]:
            if d[k] is not None:
                fail(k, "must be null for a baseline method")
        if expect_keys("diagnostics", d["diagnostics"], ["fit"]) and expect_keys(
                "diagnostics.fit", d["diagnostics"]["fit"], ["solver", "iterations", "converged", "normal_residual"]):
            fit = d["diagnostics"]["fit"]
            expect("diagnostics.fit.iterations", fit["iterations"], "int")
            expect("diagnostics.fit.converged", fit["converged"], "bool")
            expect("diagnostics.fit.normal_residual", fit["normal_residual"], "num", nullable=True)

    check_terms("fourier", d["fourier"], n)
    if d["mobius"] is not None:
        check_terms("mobius", d["mobius"], n)
    elif not any("Mobius" in s for s in d["notes"] if isinstance(s, str)):
        fail("mobius", "null without a note saying why")
    for k in ["shapley", "banzhaf"]:
        if expect(k, d[k], "list"):
            if len(d[k]) != n or not all(is_num(v) for v in d[k]):
                fail(k, f"must be {n} finite numbers")

    if expect_keys("index", d["index"], ["name", "order", "values"]):
        expect("index.name", d["index"]["name"], "str")
        expect("index.order", d["index"]["order"], "int")
        check_terms("index.values", d["index"]["values"], n, value_key="value")

    if expect_keys("faithfulness", d["faithfulness"], ["r2", "holdout"]):
        expect("faithfulness.r2", d["faithfulness"]["r2"], "num", nullable=True)
        expect("faithfulness.holdout", d["faithfulness"]["holdout"], "int")
        if d["faithfulness"]["holdout"] != d["holdout_queries"]:
            fail("faithfulness.holdout", "differs from holdout_queries")

    if d["removal"] is None:
        pass
    elif expect_keys("removal", d["removal"], ["full_value", "decrease", "increase"]):
        expect("removal.full_value", d["removal"]["full_value"], "num")
        check_removal_steps("removal.decrease", d["removal"]["decrease"], n)
        check_removal_steps("removal.increase", d["removal"]["increase"], n)
    if args.removal_null and d["removal"] is not None:
        fail("removal", "expected null")
    if not args.removal_null and d["removal"] is None:
        fail("removal", "unexpectedly null")

    if spex and expect_keys("diagnostics", d["diagnostics"], ["peeling", "peeled_terms", "refit"]):
        diag = d["diagnostics"]
        if expect_keys("diagnostics.peeling", diag["peeling"],
                       ["passes", "bin_decodes", "bch_decodes", "peels", "repeated_terms"]):
            for k, v in diag["peeling"].items():
                expect(f"diagnostics.peeling.{k}", v, "int")
        expect("diagnostics.peeled_terms", diag["peeled_terms"], "int")
        if diag["refit"] is None:
            if d["refine"]:
                fail("diagnostics.refit", "null although refine is on")
        elif expect_keys("diagnostics.refit", diag["refit"], ["terms", "all_linear", "iterations", "residual"]):
            expect("diagnostics.refit.terms", diag["refit"]["terms"], "int")
            expect("diagnostics.refit.all_linear", diag["refit"]["all_linear"], "bool")
            expect("diagnostics.refit.iterations", diag["refit"]["iterations"], "int")
            expect("diagnostics.refit.residual", diag["refit"]["residual"], "num")

    if expect_keys("timing_ms", d["timing_ms"], ["sampling", "transform", "decode", "refine", "total", "explain",
                                                  "surrogates"]):
        for k, v in d["timing_ms"].items():
            if k == "surrogates":
                if not isinstance(v, dict) or not all(is_num(x) and x >= 0 for x in v.values()):
                    fail("timing_ms.surrogates", "must map candidate names to times >= 0")
                continue
            if expect(f"timing_ms.{k}", v, "num") and v < 0:
                fail(f"timing_ms.{k}", "negative")

    if expect("notes", d["notes"], "list"):
        for i, s in enumerate(d["notes"]):
            expect(f"notes[{i}]", s, "str")
    if args.note_contains and not any(args.note_contains in s for s in d["notes"] if isinstance(s, str)):
        fail("notes", f"no note contains {args.note_contains!r}: {d['notes']}")

    g = d["ground_truth"]
    gt_keys = ["planted_terms", "planted_constant", "planted", "recovered", "missed", "spurious", "spurious_terms",
               "threshold", "max_abs_error", "r2_clean", "r2_clean_masks", "basis", "basis_terms", "close"]
    if expect_keys("ground_truth", g, gt_keys):
        check_terms("ground_truth.planted_terms", g["planted_terms"], n)
        expect("ground_truth.planted_constant", g["planted_constant"], "num")
        for k in ["planted", "recovered", "spurious", "r2_clean_masks"]:
            expect(f"ground_truth.{k}", g[k], "int")
        if expect("ground_truth.missed", g["missed"], "list"):
            for i, s in enumerate(g["missed"]):
                check_set(f"ground_truth.missed[{i}]", s, n)
        check_terms("ground_truth.spurious_terms", g["spurious_terms"], n)
        for k in ["threshold", "max_abs_error"]:
            expect(f"ground_truth.{k}", g[k], "num")
        expect("ground_truth.r2_clean", g["r2_clean"], "num", nullable=True)
        if g["basis"] not in ("fourier", "mobius"):
            fail("ground_truth.basis", f"{g['basis']!r} is not fourier or mobius")
        if expect("ground_truth.basis_terms", g["basis_terms"], "list"):
            close = 0
            for i, t in enumerate(g["basis_terms"]):
                where = f"ground_truth.basis_terms[{i}]"
                if expect_keys(where, t, ["set", "planted", "estimate", "close"]):
                    check_set(f"{where}.set", t["set"], n)
                    expect(f"{where}.planted", t["planted"], "num")
                    expect(f"{where}.estimate", t["estimate"], "num")
                    within = abs(t["estimate"] - t["planted"]) <= 0.1 * abs(t["planted"]) + g["threshold"]
                    if t["close"] is not within:
                        fail(f"{where}.close", f"{t['close']} but estimate {t['estimate']}, planted {t['planted']}")
                    close += t["close"] is True
            if g["close"] != close:
                fail("ground_truth.close", f"{g['close']} != {close} close basis_terms")
        if g["planted"] != len(g["planted_terms"]) or g["recovered"] + len(g["missed"]) != g["planted"]:
            fail("ground_truth", "planted/recovered/missed counts disagree")
        if g["spurious"] != len(g["spurious_terms"]):
            fail("ground_truth", "spurious count disagrees with spurious_terms")
        if args.recovered_all and (g["recovered"] != g["planted"] or g["planted"] == 0):
            fail("ground_truth.recovered", f"{g['recovered']} of {g['planted']} planted terms (missed {g['missed']})")
        if args.recovered_all and g["spurious"] != 0:
            fail("ground_truth.spurious", f"{g['spurious']} spurious terms: {g['spurious_terms'][:5]}")
        if args.min_r2_clean is not None and not (is_num(g["r2_clean"]) and g["r2_clean"] >= args.min_r2_clean):
            fail("ground_truth.r2_clean", f"{g['r2_clean']} < {args.min_r2_clean}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("result")
    ap.add_argument("--method")
    ap.add_argument("--n", type=int)
    ap.add_argument("--recovered-all", action="store_true")
    ap.add_argument("--min-r2-clean", type=float)
    ap.add_argument("--removal-null", action="store_true")
    ap.add_argument("--note-contains")
    args = ap.parse_args()

    def no_constants(token):
        raise ValueError(f"non-standard JSON number {token}")

    try:
        with open(args.result, encoding="utf-8") as f:
            d = json.load(f, parse_constant=no_constants)
    except (OSError, ValueError) as e:
        print(f"{args.result}: not valid JSON: {e}", file=sys.stderr)
        return 1
    check(d, args)
    for p in problems:
        print(f"{args.result}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
