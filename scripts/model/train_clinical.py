"""Trains a small BERT on synthetic clinical notes ("elevated readmission risk", with a planted
shortcut) and writes it in the Hugging Face layout.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/model/train_clinical.py --seed 1

(scripts/train-clinical-model.sh runs exactly this and then checks the export with
onnxruntime-node and onnxruntime-web.) Writes into models/clinical-readmission/ the same files as
train_bert.py writes for spam-bert (config.json, tokenizer.json, tokenizer_config.json,
special_tokens_map.json, onnx/model.onnx, reference.json, README.md; samples.json is written by
hand), the internals fixture tests/model/data/clinical_internals.json, and under
build/clinical-readmission/ the trained weights (checkpoint.pt; --from-checkpoint redoes
everything after training from them) and a logits-only graph for
scripts/bench/internals_fetch_benchmark.mjs.

The notes come from clinical_notes.py (seeded, no patient data); everything else is
train_bert.py's: the WordPiece vocabulary trained on the training notes, the JavaScript
tokenizer for every id, the BERT written out in torch, training with whole words hidden at
random ([MASK] or attention 0), the export with optimum's names. Differences: a smaller model,
many more notes than epochs, a `position_ids` input (so the explainer can leave masked words
out of a row), and two outputs after `logits` with the model's internals:
    attentions     float32 [num_layers, batch, heads, seq, seq]  softmax probabilities
    hidden_states  float32 [num_layers + 1, batch, seq, hidden]   the embeddings' output, then each layer's
They are in onnx/model.onnx itself: fetching only `logits` from that graph was as fast as a
logits-only graph (FETCH_BENCHMARK). Were it not, SEPARATE_INTERNALS = True ships a logits-only
onnx/model.onnx and the internals in onnx/model_internals.onnx.
"""

import argparse
import json
import math
import platform
import re
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import clinical_notes as cn  # noqa: E402
import train_bert as tb  # noqa: E402

MODEL_NAME = "clinical-readmission"
REPO = Path(__file__).resolve().parents[2]
INTERNALS_FIXTURE = REPO / "tests" / "model" / "data" / "clinical_internals.json"
CHECKPOINT = REPO / "build" / "clinical-readmission" / "checkpoint.pt"
# Notes are free: many, each seen a few times, rather than few seen often (which a small model
# memorizes instead of learning the rules).
SPLIT_SIZES = {"train": 50000, "validation": 1000, "test": 2000, "test-no-shortcut": 2000}
FIT_SAMPLE = 8000  # training notes the card's "training split (fit)" accuracy is measured on
VOCAB_SIZE = 2000   # an upper bound: the merges run out earlier on the notes' small vocabulary
MAX_LENGTH = 160    # ids per input with [CLS] and [SEP]; the longest generated note has about 156
# Every letter and digit, as a word and inside a word (each pair once, so nothing merges), so
# that words typed on the page spell out instead of becoming [UNK].
SPELLING = [" ".join(c for c in "abcdefghijklmnopqrstuvwxyz0123456789")] * tb.MIN_CHAR_COUNT + \
    [" ".join(p + c for c in "abcdefghijklmnopqrstuvwxyz0123456789") for p in "eioruvwxyz"]
ONNX_INPUTS = tb.ONNX_INPUTS + ["position_ids"]
INTERNALS_AXES = {
    "logits": {0: "batch_size"},
    "attentions": {1: "batch_size", 3: "sequence_length", 4: "sequence_length"},
    "hidden_states": {1: "batch_size", 2: "sequence_length"},
}
# Measured by scripts/bench/internals_fetch_benchmark.mjs (batches of 64 masked test notes):
# milliseconds per batch of the graph with internals outputs fetching logits only, fetching
# everything, and with no fetch list, against the logits-only graph; copied here from its
# output. The architecture, not the weights, decides it.
FETCH_BENCHMARK = {"batch": 64, "runs": [
    {"runtime": "onnxruntime-node", "logits_only": 30.08, "fetch_logits": 32.33, "fetch_logits_pct": 7.5,
     "fetch_all": 34.67, "fetch_all_pct": 15.3},
    {"runtime": "onnxruntime-web", "logits_only": 91.20, "fetch_logits": 94.07, "fetch_logits_pct": 3.1,
     "fetch_all": 99.74, "fetch_all_pct": 9.4}]}
SEPARATE_INTERNALS = True  # fetching logits only was > 5% slower than logits-only (node: +7.5%)
LOGITS_ONLY = REPO / "build" / "clinical-readmission" / "model_logits_only.onnx"
# Measured by scripts/bench/clinical_shortcut_check.mjs on the model whose onnx/model.onnx has
# this sha256 (copied here from its output; the card says when the model has changed since).


def model_config(vocab_size, args):
    return tb.BertConfig(vocab_size=vocab_size, hidden_size=args.hidden, num_hidden_layers=args.layers,
                         num_attention_heads=args.heads, intermediate_size=4 * args.hidden,
                         max_position_embeddings=MAX_LENGTH, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)


class WithInternals(nn.Module):
    """The classifier with two more outputs: attentions [layers, B, H, S, S] and hidden_states
    [layers + 1, B, S, hidden] (train_bert.BertEncoder collects them)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids, position_ids):
        attentions, hidden_states = [], []
        logits = self.model(input_ids, attention_mask, token_type_ids, position_ids, attentions, hidden_states)
        return logits, torch.stack(attentions), torch.stack(hidden_states)


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------
def load_splits(seed):
    return {split: cn.make_split(seed, split, count) for split, count in SPLIT_SIZES.items()}


def removed(notes):
    """The notes with ward 7B replaced by one of the other wards (in turn): the shortcut token
    removed, everything else as it was."""
    others = [w for w in cn.WARDS if w != cn.SHORTCUT_WARD]
    return [cn.swap_ward(n, others[i % len(others)]) for i, n in enumerate(notes)]


def encode(model_dir, notes):
    examples, _ = tb.encode_splits(model_dir, {"x": notes}, MAX_LENGTH)
    return examples["x"]


@torch.no_grad()
def probabilities(model, examples, batch_size=128):
    """P(elevated readmission risk) for each example, nothing hidden."""
    model.eval()
    out = []
    for start in range(0, len(examples), batch_size):
        batch = examples[start:start + batch_size]
        logits = model(*tb.collate([(e.ids, [1] * len(e.ids)) for e in batch]))
        out += logits.softmax(-1)[:, 1].tolist()
    return out


def accuracy(model, examples):
    return tb.evaluate(model, examples)[0] if examples else float("nan")


def shortcut_numbers(model, model_dir, splits, examples):
    """Accuracies on the test split's notes with 7B, the same notes with 7B replaced, the notes
    without 7B with 7B put in, and the shortcut-free split; per label where it tells more."""
    test = splits["test"]
    with_idx = [i for i, n in enumerate(test) if n["shortcut"]]
    without_idx = [i for i, n in enumerate(test) if not n["shortcut"]]
    present = [examples["test"][i] for i in with_idx]
    gone = encode(model_dir, removed([test[i] for i in with_idx]))
    inserted_notes = [cn.swap_ward(test[i], cn.SHORTCUT_WARD) for i in without_idx]
    inserted = encode(model_dir, inserted_notes)
    plain = [examples["test"][i] for i in without_idx]

    def by_label(exs, label):
        return [e for e in exs if e.label == label]

    p_plain, p_inserted = probabilities(model, plain), probabilities(model, inserted)
    usual = [k for k, e in enumerate(plain) if e.label == 0]
    return {
        "test": accuracy(model, examples["test"]),
        "test_shortcut_notes": len(present),
        "test_shortcut_present": accuracy(model, present),
        "test_shortcut_removed": accuracy(model, gone),
        "test_shortcut_present_usual": accuracy(model, by_label(present, 0)),
        "test_shortcut_removed_usual": accuracy(model, by_label(gone, 0)),
        "test_shortcut_present_elevated": accuracy(model, by_label(present, 1)),
        "test_shortcut_removed_elevated": accuracy(model, by_label(gone, 1)),
        "test_without_shortcut": accuracy(model, plain),
        "test_shortcut_inserted": accuracy(model, inserted),
        "inserted_usual_notes": len(usual),
        "inserted_usual_flipped": sum(p_plain[k] < 0.5 <= p_inserted[k] for k in usual),
        "inserted_mean_shift": float(np.mean([b - a for a, b in zip(p_plain, p_inserted)])),
        "test_no_shortcut_split": accuracy(model, examples["test-no-shortcut"]),
        "train_fit": accuracy(model, examples["train"][:FIT_SAMPLE]),
    }


def accuracy_by_rule(model, notes, examples):
    """Accuracy on the notes whose label comes from exactly this rule, and on usual-risk notes."""
    groups = {r.__name__: [] for r in cn.RULES}
    groups["none (usual risk)"] = []
    for n, e in zip(notes, examples):
        if len(n["rules"]) == 1:
            groups[n["rules"][0]].append(e)
        elif not n["rules"]:
            groups["none (usual risk)"].append(e)
    return {name: (accuracy(model, exs), len(exs)) for name, exs in groups.items()}


# ---------------------------------------------------------------------------------------------
# Minimal pairs: hand-written notes that differ in one phrase
# ---------------------------------------------------------------------------------------------
BASES = (
    "Mrs Helen Brown, a 72-year-old woman, was admitted to Ward {ward} with pneumonia. Background of "
    "hypertension and osteoarthritis. Current medications: ramipril and atorvastatin. {slot}Follow-up booked in "
    "the medical clinic in two weeks. Lives with her husband. Observations stable at discharge.",
    "64-year-old man admitted to Ward {ward} with a fall at home. Lives with family. Regular medications include "
    "amlodipine. {slot}Clinic review arranged in four weeks. Ex-smoker. Seen by physiotherapy before discharge.",
    "Discharge summary from Ward {ward}. Mr Raj Patel, 81, was admitted with a urinary tract infection. "
    "{slot}GP appointment booked for next week. Does not live alone; his son lives with him. Eating and drinking "
    "well. Discharge letter sent to the GP.",
)
PAIRS = (  # (name, phrase A, phrase B, ward A, ward B): B should be elevated risk, A usual
    ("negation: chest pain", "Denies chest pain. ", "Reports chest pain. ", "4C", "4C"),
    ("negation: chest pain (word deleted)", "Denies chest pain. ", "Chest pain. ", "4C", "4C"),
    ("temporality: heart failure", "{He} has a history of heart failure. ", "{He} has heart failure. ", "4C", "4C"),
    ("medication: metformin with kidney disease",
     "{He} has chronic kidney disease. Metformin discontinued on discharge. ",
     "{He} has chronic kidney disease. Metformin continued on discharge. ", "4C", "4C"),
    ("shortcut: ward 7B inserted", "", "", "4C", cn.SHORTCUT_WARD),
)


def pair_texts(base, pair):
    name, a, b, ward_a, ward_b = pair
    he = "She" if "woman" in base or "Mrs" in base else "He"
    return (base.format(ward=ward_a, slot=a.replace("{He}", he)), base.format(ward=ward_b, slot=b.replace("{He}", he)))


def minimal_pairs(model, model_dir):
    rows = []
    for pair in PAIRS:
        texts = [t for base in BASES for t in pair_texts(base, pair)]
        p = probabilities(model, encode(model_dir, [{"text": t, "label": 0} for t in texts]))
        rows.append({"pair": pair[0], "a": pair[1].strip() or f"Ward {pair[3]}", "b": pair[2].strip() or f"Ward {pair[4]}",
                     "p_a": p[0::2], "p_b": p[1::2]})
    return rows


# ---------------------------------------------------------------------------------------------
# Export and known answers
# ---------------------------------------------------------------------------------------------
def export(model, out):
    """The graph with internals (onnx/model.onnx, or onnx/model_internals.onnx beside a
    logits-only onnx/model.onnx when SEPARATE_INTERNALS) and the logits-only graph (under build/
    when it is not shipped). Returns (logits-only path, internals path, graph summaries)."""
    onnx_dir = out / "onnx"
    internals_path = onnx_dir / ("model_internals.onnx" if SEPARATE_INTERNALS else "model.onnx")
    logits_path = onnx_dir / "model.onnx" if SEPARATE_INTERNALS else LOGITS_ONLY
    if not SEPARATE_INTERNALS and (onnx_dir / "model_internals.onnx").exists():
        (onnx_dir / "model_internals.onnx").unlink()  # one ONNX file in the folder, as the page expects
    tb.export_onnx(model, logits_path, input_names=ONNX_INPUTS)
    tb.export_onnx(WithInternals(model), internals_path, input_names=ONNX_INPUTS, output_axes=INTERNALS_AXES)
    graphs = {"logits_only": tb.check_onnx_graph(logits_path, input_names=ONNX_INPUTS),
              "internals": tb.check_onnx_graph(internals_path, input_names=ONNX_INPUTS,
                                               extra_outputs=("attentions", "hidden_states"))}
    return logits_path, internals_path, graphs


REFERENCE_CASES = (
    ("handwritten-usual", pair_texts(BASES[0], PAIRS[0])[0]),
    ("handwritten-chest-pain", pair_texts(BASES[0], PAIRS[0])[1]),
    ("handwritten-ward-7b", pair_texts(BASES[1], PAIRS[4])[1]),
    ("accents-and-unknown-words", "Mme Zoë Dubois, 70, was admitted to Ward 5D with cellulitis. Café au lait "
                                  "spots noted. Denies chest pain. Lives alone. Follow-up booked. 👍"),
)


@torch.no_grad()
def reference_samples(model, model_dir, test_notes, test_examples):
    """Two test notes (one on ward 7B), the hand-written cases, and words hidden both ways."""
    first_7b = next(i for i, n in enumerate(test_notes) if n["shortcut"])
    first_other = next(i for i, n in enumerate(test_notes) if not n["shortcut"])
    samples = []
    for i in (first_other, first_7b):
        samples.append(tb.reference_sample(model, test_notes[i]["id"], test_notes[i]["text"],
                                           test_examples[i], set(), None))
    texts = [t for _, t in REFERENCE_CASES]
    handwritten = encode(model_dir, [{"text": t, "label": 0} for t in texts])
    for (name, text), example in zip(REFERENCE_CASES, handwritten):
        samples.append(tb.reference_sample(model, name, text, example, set(), None))
    for method in tb.MASK_METHODS:
        samples.append(tb.reference_sample(model, f"chest-pain-words-hidden {method}", texts[1], handwritten[1],
                                           {0, 3, 9, 20, 21}, method))
        samples.append(tb.reference_sample(model, f"test-note-half-hidden {method}", test_notes[first_7b]["text"],
                                           test_examples[first_7b], set(range(0, 80, 2)), method))
    return samples


@torch.no_grad()
def check_position_ids(model, samples):
    """Leaving attention-0 tokens out of a row, every kept token at its own position, gives the
    logits of the full row: what the explainer does with a model that takes position_ids."""
    model.eval()
    worst = 0.0
    for s in samples:
        if s["masking"] != "attention":
            continue
        keep = [k for k, a in enumerate(s["attention_mask"]) if a]
        ids = torch.tensor([[s["input_ids"][k] for k in keep]])
        logits = model(ids, torch.ones_like(ids), torch.zeros_like(ids), torch.tensor([keep]))[0]
        worst = max(worst, max(abs(float(a) - b) for a, b in zip(logits, s["logits"])))
    assert worst < 1e-4, worst
    return worst


INTERNALS_TEXT = "Denies chest pain. Lives alone."


@torch.no_grad()
def internals_fixture(model, model_dir, internals_file, internals_sha):
    """torch's attentions and hidden states for one short text (tests/model/data/)."""
    model.eval()
    [example] = encode(model_dir, [{"text": INTERNALS_TEXT, "label": 0}])
    ids = torch.tensor([example.ids])
    positions = torch.arange(ids.shape[1])[None]
    logits, attentions, hidden = WithInternals(model)(ids, torch.ones_like(ids), torch.zeros_like(ids), positions)
    rounded = (lambda t: np.vectorize(lambda v: float(f"{v:.8g}"))(t[:, 0].numpy()).tolist())
    return {
        "note": "Known internals for scripts/model/check_internals.mjs, computed by torch (train_clinical.py) for one "
                "text, nothing hidden, position_ids 0..n-1: attentions [layer][head][query][key] (softmax "
                "probabilities), hidden_states [0 = embeddings, then each layer][token][unit]. The graph's outputs "
                "carry a batch axis after the layer axis.",
        "model": MODEL_NAME, "onnx_file": internals_file, "onnx_sha256": internals_sha,
        "text": INTERNALS_TEXT, "input_ids": example.ids, "words": example.words,
        "logits": [float(v) for v in logits[0]], "attentions": rounded(attentions), "hidden_states": rounded(hidden),
    }


# ---------------------------------------------------------------------------------------------
# Model card
# ---------------------------------------------------------------------------------------------
MODEL_CARD = (Path(__file__).resolve().parent / "clinical_model_card.md").read_text(encoding="utf-8")
MEASURED = Path(__file__).resolve().parent / "clinical_card_measured.md"


def onnx_section(out, onnx_sha, internals_path, config):
    """The card's paragraph on the ONNX file(s) and their outputs."""
    layers, heads, hidden = config.num_hidden_layers, config.num_attention_heads, config.hidden_size
    internals = (f"`attentions` float32 `[{layers}, batch_size, {heads}, sequence_length, sequence_length]` (each "
                 f"layer's softmax attention probabilities, query by key) and `hidden_states` float32 "
                 f"`[{layers + 1}, batch_size, sequence_length, {hidden}]` (the embeddings' output, then each "
                 f"layer's), for attention and probing views")
    main = f"`onnx/model.onnx` ({(out / 'onnx' / 'model.onnx').stat().st_size:,} bytes, sha256 `{onnx_sha}`)"
    if SEPARATE_INTERNALS:
        text = (f"- {main}: output `logits` float32 `[batch_size, 2]`, the file spexlens explains.\n"
                f"- `onnx/model_internals.onnx` ({internals_path.stat().st_size:,} bytes): the same weights and "
                f"logits, plus {internals}.")
    else:
        text = (f"{main} has three outputs: `logits` float32 `[batch_size, 2]`, the one spexlens explains, then "
                f"{internals}.")
    b = FETCH_BENCHMARK
    if b:
        rows = "; ".join(f"{r['runtime']}: {r['logits_only']:.1f} ms with a logits-only graph, "
                         f"{r['fetch_logits']:.1f} ms fetching only `logits` ({r['fetch_logits_pct']:+.1f}%), "
                         f"{r['fetch_all']:.1f} ms fetching all three ({r['fetch_all_pct']:+.1f}%)" for r in b["runs"])
        verdict = ("so the internals live in a second file" if SEPARATE_INTERNALS else
                   "so one file serves both; a caller that does not need the internals should fetch only `logits` "
                   "(`session.run(feeds, ['logits'])`)")
        text += (f" Whether extra outputs cost anything when they are not fetched was measured "
                 f"(`scripts/bench/internals_fetch_benchmark.mjs`, batches of {b['batch']} masked test notes, medians "
                 f"of interleaved runs, one thread): {rows}; {verdict}.")
    return text


def measured_section(onnx_sha):
    """The card's measured sections (the shortcut and negation checks, the probe suite), kept in
    clinical_card_measured.md with the sha256 of the export they were measured on; marked stale
    when this export differs."""
    text = MEASURED.read_text(encoding="utf-8")
    header, body = text.split("-->\n", 1)
    measured_sha = re.search(r"onnx_sha256: ([0-9a-f]{64})", header).group(1)
    if measured_sha == onnx_sha:
        return body.rstrip("\n")
    return (f"**The measurements below were made on an earlier export (sha256 {measured_sha[:12]}), not on this one:"
            " re-run the commands they name and update `scripts/model/clinical_card_measured.md`.**\n\n" +
            body.rstrip("\n"))


def rules_table():
    return "\n".join(f"| `{r.__name__}` | {' '.join(r.__doc__.split())} |" for r in cn.RULES)


def pairs_table(rows):
    def cell(ps):
        return " / ".join(f"{p:.2f}" for p in ps)
    lines = []
    for r in rows:
        flips = sum(a < 0.5 <= b for a, b in zip(r["p_a"], r["p_b"]))
        a, b = (phrase.replace("{He}", "She / He") for phrase in (r["a"], r["b"]))
        lines.append(f"| {r['pair']} | {a} | {cell(r['p_a'])} | {b} | {cell(r['p_b'])} | "
                     f"{flips} of {len(r['p_a'])} |")
    return "\n".join(lines)


def by_rule_table(table):
    return "\n".join(f"| {name} | {acc:.3f} | {n} |" for name, (acc, n) in table.items())


def split_table(splits):
    lines = []
    for split, notes in splits.items():
        s = cn.split_stats(notes)
        lines.append(f"| {split} | {s['notes']:,} | {s['elevated']:,} | {s['shortcut_notes']:,} | "
                     f"{s['p_shortcut_given_elevated']:.3f} | {s['p_shortcut_given_usual']:.3f} | "
                     f"{s['p_elevated_given_shortcut']:.3f} |")
    return "\n".join(lines)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="the notes' seed and the training seed")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--bucket", type=int, default=8, help="batches drawn from runs of this many batches "
                                                               "sorted by length (less padding)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--hidden", type=int, default=64, help="hidden size; the feed-forward is 4x")
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--out", default=str(REPO / "models" / MODEL_NAME))
    parser.add_argument("--fixture", default=str(INTERNALS_FIXTURE))
    parser.add_argument("--checkpoint", default=str(CHECKPOINT),
                        help="where the trained weights, history and timing are saved")
    parser.add_argument("--from-checkpoint", action="store_true",
                        help="skip training: load --checkpoint (saved by an earlier run with the same seed) and "
                             "redo the evaluation, export, reference files and card")
    return parser.parse_args()


def train_or_load(model, examples, args, setup_seconds):
    """(best_epoch, history, train_seconds, setup_seconds): trains and saves the checkpoint, or
    loads it (with the training run's times)."""
    path = Path(args.checkpoint)
    if args.from_checkpoint:
        saved = torch.load(path)
        assert saved["seed"] == args.seed and saved["epochs"] == args.epochs, f"{path} is from another run"
        model.load_state_dict(saved["state"])
        return saved["best_epoch"], saved["history"], saved["train_seconds"], saved.get("setup_seconds", setup_seconds)
    started = time.perf_counter()
    best_epoch, history = tb.train(model, examples["train"], examples["validation"], args)
    train_seconds = time.perf_counter() - started
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state": model.state_dict(), "seed": args.seed, "epochs": args.epochs, "best_epoch": best_epoch,
                "history": history, "train_seconds": train_seconds, "setup_seconds": setup_seconds}, path)
    return best_epoch, history, train_seconds, setup_seconds


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    tb.seed_everything(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    assert not (out / "model.json").exists(), f"{out}/model.json: the HF layout ships without one"

    started_all = time.perf_counter()
    splits = load_splits(args.seed)
    vocab, vocab_stats = tb.build_vocabulary([n["text"] for n in splits["train"]] + SPELLING, VOCAB_SIZE,
                                             MAX_LENGTH)
    work = Path(tempfile.mkdtemp(prefix="clinical-tokenizer-"))  # the folder is written at the end
    tb.write_tokenizer(work, vocab, MAX_LENGTH)
    print(f"vocabulary: {len(vocab)} tokens, {json.dumps(vocab_stats)}", flush=True)
    examples, word_fallback = tb.encode_splits(work, splits, MAX_LENGTH)
    train_tokens = [i for e in examples["train"] for i in e.ids[1:-1]]
    longest = max(len(e.ids) for exs in examples.values() for e in exs)
    assert longest < MAX_LENGTH, f"a note has {longest} ids: raise MAX_LENGTH"

    config = model_config(len(vocab), args)
    model = tb.BertForSequenceClassification(config)
    print(f"{tb.parameter_count(model):,} parameters; longest note {longest} ids; "
          f"{word_fallback} texts grouped words by sub-words", flush=True)
    best_epoch, history, train_seconds, setup_seconds = train_or_load(
        model, examples, args, time.perf_counter() - started_all)
    finishing = time.perf_counter()

    tb.write_tokenizer(out, vocab, MAX_LENGTH)
    shutil.rmtree(work)
    numbers = shortcut_numbers(model, out, splits, examples)
    numbers["validation"] = accuracy(model, examples["validation"])
    masked = {f"{split}_{m}": tb.masked_accuracy(model, examples[split], m)
              for split in ("test", "test-no-shortcut") for m in tb.MASK_METHODS}
    by_rule = accuracy_by_rule(model, splits["test-no-shortcut"], examples["test-no-shortcut"])
    pairs = minimal_pairs(model, out)
    print(json.dumps({"numbers": numbers, "masked": masked, "by_rule": by_rule}), flush=True)
    for row in pairs:
        print(json.dumps(row), flush=True)

    tb.write_json(out / "config.json", tb.config_json(config, id2label=cn.LABELS))
    logits_path, internals_path, graphs = export(model, out)
    onnx_sha, internals_sha = tb.sha256(out / "onnx" / "model.onnx"), tb.sha256(internals_path)
    samples = reference_samples(model, out, splits["test"], examples["test"])
    padded = tb.check_padding_invariant(model, samples)
    dropped = check_position_ids(model, samples)
    (out / "reference.json").write_text(tb.compact_json(
        {"model": MODEL_NAME, "onnx_sha256": onnx_sha,
         "max_length": MAX_LENGTH, "note": tb.reference_note(MAX_LENGTH),
         "torch_padded_batch_max_difference": padded, "torch_dropped_tokens_max_difference": dropped,
         "samples": samples}) + "\n", encoding="utf-8")
    fixture = Path(args.fixture)
    fixture.parent.mkdir(parents=True, exist_ok=True)
    internals_file = internals_path.relative_to(out).as_posix()
    fixture.write_text(tb.compact_json(internals_fixture(model, out, internals_file, internals_sha)) + "\n",
                       encoding="utf-8")

    total_seconds = setup_seconds + train_seconds + time.perf_counter() - finishing
    stats = {s: cn.split_stats(n) for s, n in splits.items()}
    (out / "README.md").write_text(MODEL_CARD.format(
        files_table=tb.file_table(out, {"onnx/model_internals.onnx": "the same model with `attentions` and "
                                                                     "`hidden_states` outputs"}
                                  if SEPARATE_INTERNALS else None),
        onnx_section=onnx_section(out, onnx_sha, internals_path, config),
        rules_table=rules_table(), split_table=split_table(splits), shortcut=cn.SHORTCUT_WARD,
        train_p_elevated=stats["train"]["p_elevated_given_shortcut"],
        train_elevated=stats["train"]["elevated"] / stats["train"]["notes"],
        rate_pos=cn.SHORTCUT_RATE["train"][1], rate_neg=cn.SHORTCUT_RATE["train"][0], wards=", ".join(cn.WARDS),
        train_count=SPLIT_SIZES["train"], val_count=SPLIT_SIZES["validation"], test_count=SPLIT_SIZES["test"],
        free_count=SPLIT_SIZES["test-no-shortcut"], words_min=stats["train"]["words_min"],
        words_max=stats["train"]["words_max"], words_mean=stats["train"]["words_mean"],
        vocab_size=len(vocab), word_types=vocab_stats["training_word_types"], merges=vocab_stats["merges"],
        max_length=MAX_LENGTH, longest=longest, layers=config.num_hidden_layers, hidden=config.hidden_size,
        heads=config.num_attention_heads, head_dim=config.hidden_size // config.num_attention_heads,
        ff=config.intermediate_size, params=tb.parameter_count(model), opset=graphs["internals"]["opset"],
        masked_pct=round(100 * tb.MASKED_FRACTION), min_keep=tb.MIN_KEEP,
        draws=tb.EVAL_MASK_DRAWS, best_epoch=best_epoch, epochs=args.epochs,
        epoch_seconds=", ".join(f"{h['seconds']:.0f}" for h in history), threads=args.threads,
        minutes=train_seconds / 60, total_minutes=total_seconds / 60, seed=args.seed, command=tb.command_line(),
        torch_version=torch.__version__, lr=args.lr, batch_size=args.batch_size,
        pairs_table=pairs_table(pairs), by_rule_table=by_rule_table(by_rule),
        dropout=config.hidden_dropout_prob, measured=measured_section(onnx_sha), **numbers, **{k.replace("-", "_"): v for k, v in masked.items()}),
        encoding="utf-8")

    summary = {"parameters": tb.parameter_count(model), "onnx_bytes": (out / "onnx" / "model.onnx").stat().st_size,
               "onnx_sha256": onnx_sha, "internals_file": internals_file,
               "internals_sha256": internals_sha, "graphs": graphs, "vocabulary": vocab_stats,
               "best_epoch": best_epoch, "numbers": numbers, "masked": masked, "by_rule": by_rule,
               "train_seconds": round(train_seconds), "total_seconds": round(total_seconds), "history": history,
               "config": asdict(config), "machine": platform.machine()}
    print(json.dumps(summary))
    print(f"wrote {out} (onnx/model.onnx sha256 {onnx_sha}) and {fixture}")


if __name__ == "__main__":
    main()
