#!/usr/bin/env python3
"""Draws held-out R² against model calls for every method of the faithfulness benchmark
(scripts/bench/faithfulness_benchmark.mjs), and, when given, the planted n = 1,000 functions of
scripts/bench/planted_solve_benchmark.mjs as a second panel.

    /usr/bin/python3 scripts/bench/plot_faithfulness.py build/bench/faithfulness.json \
        [build/bench/planted_solve.json] [docs/images/faithfulness.png]

Needs python3-matplotlib (Debian; scripts/setup.sh --train installs it)."""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STYLE = {"auto": ("C3", "o", "-"), "proxyspex": ("C0", "s", "--"), "spex-soft": ("C2", "^", "-"),
         "spex": ("C2", "^", "-"), "ridge-2": ("C4", "D", ":"), "ridge-1": ("C4", "d", ":"),
         "lime": ("C1", "v", "-"), "kernelshap": ("C5", "<", "-"), "faith-banzhaf-2": ("C7", ">", "-")}


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


def panel(ax, rows, title):
    methods = []
    for r in rows:
        if r["method"] not in methods:
            methods.append(r["method"])
    for method in methods:
        calls = sorted({r["calls"] for r in rows if r["method"] == method})
        xs, ys = [], []
        for c in calls:
            sel = [r["r2"] for r in rows if r["method"] == method and r["calls"] == c and r.get("r2") is not None]
            if sel:
                xs.append(c)
                ys.append(max(mean(sel), -0.1))
        color, marker, line = STYLE.get(method, ("k", "x", "-"))
        ax.plot(xs, ys, color=color, marker=marker, linestyle=line, label=method)
    ax.set_xscale("log")
    ax.set_xlabel("model calls (design; hold-out not counted)")
    ax.set_ylabel("mean held-out R²")
    ax.set_ylim(-0.1, 1.0)
    ax.grid(True, alpha=0.3)
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)


def main():
    args = sys.argv[1:]
    text = json.load(open(args[0] if args else os.path.join(ROOT, "build/bench/faithfulness.json")))
    planted = json.load(open(args[1])) if len(args) > 2 else None
    out = args[-1] if len(args) > 1 and args[-1].endswith(".png") else os.path.join(ROOT, "docs/images/faithfulness.png")
    fig, axes = plt.subplots(1, 2 if planted else 1, figsize=(12 if planted else 6.5, 4.5))
    axes = axes if planted else [axes]
    meta = text.get("meta", {})
    words = meta.get("words", ["?", "?"])
    panel(axes[0], text["rows"], f"spam model, {meta.get('emails', '?')} held-out e-mails of {words[0]}–{words[1]} words")
    if planted:
        panel(axes[1], planted["rows"], f"planted functions, n = {planted['n']} ({planted['functions']} functions)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {os.path.relpath(out)}")


if __name__ == "__main__":
    main()
