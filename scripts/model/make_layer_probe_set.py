"""Writes the layer probe set of the clinical teaching model (docs/probing.md):
models/clinical-readmission/layer-probe-medication.json, token-level "is this medication current
or discontinued?" for medication-name words in synthetic notes.

    /usr/bin/python3 scripts/model/make_layer_probe_set.py [--seed 4242] [--notes 300] [--out FILE]

Standard library only, deterministic. The notes come from clinical_notes.py's generator with a
seed of our own and the "test" split, so none of them is a training note of the shipped model
(trained on seed 1, split "train"). Each note's structured facts say which drugs are current
(listed, continued, started) and which discontinued (stopped, no longer taken); a drug the
patient never took ("Not on insulin") is left out. The labels are balanced per drug: for each
drug name every mention of its rarer label is a target, and as many of the other, drawn with the
seed, so the word itself says nothing of the label; notes with no target left are dropped. Notes whose text may be longer than the model's window (160 tokens) are skipped.
"""

import argparse
import json
import os
import random
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts", "model"))
import clinical_notes as cn  # noqa: E402

FORMAT = "spexlens-layer-probe-set/1"
LABELS = ("current", "discontinued")
SPLIT = "test"
DEFAULT_SEED = 4242
DEFAULT_NOTES = 400
# The model reads 160 tokens with [CLS] and [SEP]; a word piece is never shorter than one
# letter run, digit or punctuation mark, so this bound on the count is safe.
MAX_TOKENS = 150
DEFAULT_OUT = os.path.join(ROOT, "models", "clinical-readmission", "layer-probe-medication.json")


def token_bound(text):
    """An upper bound on the WordPiece tokens of `text`, [CLS] and [SEP] excluded, for a
    vocabulary that holds every word of the notes: letter runs, single digits, punctuation."""
    return len(re.findall(r"[A-Za-z]+|\d|[^\sA-Za-z\d]", text))


def drug_statuses(facts):
    """{drug: "current" | "discontinued"} for the drugs a note mentions as taken now or before."""
    out = {}
    for drug, status in facts["medications"].items():
        if status in LABELS:
            out[drug] = status
    for drug in facts["other_medications"]:
        out[drug] = "current"
    stopped = facts["stopped_other_medication"]
    if stopped and stopped not in facts["other_medications"]:
        out[stopped] = "discontinued"
    return out


def mentions(text, drug):
    """Code point spans [start, end) of `drug` as a whole word, any case."""
    return [(m.start(), m.end()) for m in re.finditer(r"\b%s\b" % re.escape(drug), text, re.I)]


def candidates(seed, notes):
    """(note, [(start, end, label)]) for the first `notes` notes that fit the window."""
    out = []
    for i in range(notes):
        note = cn.make_note(seed, SPLIT, i)
        if token_bound(note["text"]) > MAX_TOKENS:
            continue
        targets = []
        for drug, status in sorted(drug_statuses(note["facts"]).items()):
            spans = mentions(note["text"], drug)
            assert len(spans) == 1, (note["id"], drug, spans)  # the generator names a drug once
            targets.append((spans[0][0], spans[0][1], status))
        out.append((note, sorted(targets)))
    return out


def balance(found, seed):
    """Per drug, keeps every mention of its rarer label and as many of the other, drawn with the
    seed: each drug is then as often current as discontinued, so the word alone says nothing of
    the label (a probe must read the context)."""
    by_drug = {}
    for n, (note, targets) in enumerate(found):
        for t in targets:
            by_drug.setdefault(note["text"][t[0]:t[1]].lower(), {}).setdefault(t[2], []).append((n, t))
    rng = random.Random(f"{seed}:balance")
    kept = set()
    for drug in sorted(by_drug):
        groups = [by_drug[drug].get(label, []) for label in LABELS]
        size = min(len(g) for g in groups)
        for g in groups:
            kept.update(rng.sample(g, size))
    texts = []
    for n, (note, targets) in enumerate(found):
        chosen = [t for t in targets if (n, t) in kept]
        if chosen:
            texts.append({"id": note["id"], "text": note["text"],
                          "targets": [{"start": s, "end": e, "label": label, "word": note["text"][s:e]}
                                      for s, e, label in chosen]})
    return texts


def make_set(seed=DEFAULT_SEED, notes=DEFAULT_NOTES):
    texts = balance(candidates(seed, notes), seed)
    return {
        "format": FORMAT,
        "name": "clinical-medication-status",
        "description": ("Medication names in synthetic admission / discharge notes (scripts/model/clinical_notes.py, "
                        f"seed {seed}, split {SPLIT}: none is a training note of the model), each labelled by "
                        "the note's structured facts: current (listed, continued, started) or discontinued "
                        "(stopped, no longer taken). Drugs never taken are left out; each drug name is as often "
                        "current as discontinued, so only the context tells them apart. "
                        "Synthetic notes, no patient data."),
        "question": "Is this medication current or discontinued?",
        "labels": list(LABELS),
        "source": {"generator": "scripts/model/make_layer_probe_set.py", "seed": seed, "notes": notes,
                   "split": SPLIT},
        "texts": texts,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--notes", type=int, default=DEFAULT_NOTES, help="notes generated before balancing")
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    probe_set = make_set(args.seed, args.notes)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(probe_set, f, indent=1, ensure_ascii=False)
        f.write("\n")
    targets = [t for text in probe_set["texts"] for t in text["targets"]]
    counts = {label: sum(t["label"] == label for t in targets) for label in LABELS}
    print(f"{args.out}: {len(probe_set['texts'])} texts, {len(targets)} targets {counts}")


if __name__ == "__main__":
    main()
