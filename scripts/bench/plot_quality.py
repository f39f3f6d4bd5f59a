#!/usr/bin/env python3
"""Draws the quality benchmark's faithfulness figure (mean held-out R² per method against the
number of model queries, one panel for all e-mails and one for 40-80 words) from the JSON that
scripts/bench/quality_benchmark.mjs writes.

    /usr/bin/python3 scripts/bench/plot_quality.py [build/bench/quality.json] [docs/images/quality_r2.png]

Needs python3-matplotlib (Debian)."""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
METHODS = ["spex-soft", "spex-hard", "spex-soft-bins", "lime", "kernelshap", "faith-banzhaf-2"]
STYLE = {"spex-soft": ("C0", "o", "-"), "spex-hard": ("C0", "s", "--"), "spex-soft-bins": ("C4", "o", ":"),
         "lime": ("C1", "^", "-"),
         "kernelshap": ("C2", "v", "-"), "faith-banzhaf-2": ("C3", "D", "-")}


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


def panel(ax, rows, title, keep):
    for method in METHODS:
        bs = sorted({r["b"] for r in rows})
        xs, ys = [], []
        for b in bs:
            sel = [r for r in rows if r["method"] == method and r["b"] == b and keep(r) and not r.get("infeasible")]
            if sel:
                xs.append(mean([r["queries"] for r in sel]))
                ys.append(max(mean([r["r2"] if r["r2"] is not None else 0.0 for r in sel]), -0.5))
        color, marker, line = STYLE[method]
        ax.plot(xs, ys, color=color, marker=marker, linestyle=line, label=method)
    ax.set_xscale("log")
    ax.set_xlabel("model queries per explanation (b = 4, 6, 8)")
    ax.set_ylabel("mean faithfulness R² (1,000 held-out masks)")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "bench", "quality.json")
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "images", "quality_r2.png")
    with open(src, encoding="utf-8") as f:
        data = json.load(f)
    rows = data["rows"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
    n = len({r["email"] for r in rows})
    panel(axes[0], rows, f"all {n} test e-mails ({data['summary']['words'][0]}–{data['summary']['words'][1]} words)",
          lambda r: True)
    panel(axes[1], rows, "e-mails of 40–80 words", lambda r: 40 <= r["words"] <= 80)
    axes[0].legend(loc="lower right")
    fig.suptitle("spam-transformer: SPEX vs. baselines at equal query counts\n"
                 "(means below −0.5 drawn at −0.5; infeasible Faith-Banzhaf-2 runs left out)")
    fig.tight_layout()
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    fig.savefig(dst, dpi=110)
    print(f"wrote {dst}")


if __name__ == "__main__":
    main()
