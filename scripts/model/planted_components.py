"""models/planted-components: the known-answer model for component explanations
(docs/components.md), written by make_known_answer_models.py with its shared helpers.

Not a transformer: a hand-built ONNX graph with the six inputs of a component model. Every
component has a fixed clean output at [CLS] (it ignores the words: the output is the same for
every text whose position 0 is an attended [CLS]); the graph applies the contract's ablation to it
and returns a planted polynomial of the components' effective outputs:

    head h of layer l:  e = head_mask[b,l,h] * HEAD_VALUE + head_offset[b,l,h,:]  (a D-vector)
                        z = HEAD_READOUT . e        (clean: z = 1; mean ablation: z = its mean)
    neuron i, layer l:  z = mlp_mask[b,l,i] * MLP_VALUE + mlp_offset[b,l,i]         (clean 1)
    log-odds = BIAS + sum_T coef_T * prod_{c in T} z_c

The readout (1, -1) makes a head's mean a vector whose two coordinates matter differently, so an
explainer that feeds them swapped or averaged gets a different answer. Every number is a multiple
of 1/4, so float32 evaluates the polynomial exactly, under both ablations.

With x_p in {0, 1} the mask of player p, zero ablation gives z = x and mean ablation z = mu + (1 -
mu) x; truth() expands the polynomial in the x (x^2 = x: players are on or off) for each player
set, which is the exact answer SPEX should recover. With neurons in groups all members of a group
share one x, so products of neurons from the same group collapse."""
from fractions import Fraction
from itertools import product

import numpy as np
from onnx import TensorProto, helper, numpy_helper

NAME = "planted-components"
LAYERS, HEADS, HEAD_DIM, FF = 2, 2, 2, 8
HEAD_VALUE = (1.5, 0.5)    # every head's clean context vector
HEAD_READOUT = (1.0, -1.0)  # z = 1.5 - 0.5 = 1 for a kept head
MLP_VALUE = 1.0
# Declared means (there is no training set). Head means are vectors; readout gives 0.5, 0.25,
# 0.75 and 0: mean-ablating L1.H1 is the same as zeroing it.
HEAD_MEANS = [[[0.75, 0.25], [0.5, 0.25]], [[1.0, 0.25], [0.25, 0.25]]]
MLP_MEANS = [[0.5, 0.25, 0.75, 0.5, 0.25, 0.5, -0.5, 0.25],
             [0.25, 0.5, 0.5, 0.75, 0.25, 0.5, 0.25, 0.5]]
BIAS = 0.5
TERMS = [  # (components, coef): the polynomial in the effective outputs z
    (("L0.H0",), 1.0),
    (("L1.H1",), -0.75),
    (("L0.mlp[1]",), 0.25),
    (("L0.mlp[2]",), 0.5),
    (("L1.mlp[5]",), -1.25),
    (("L0.H1", "L1.H0"), 2.0),                    # AND: these two heads matter only together
    (("L1.H1", "L0.mlp[6]"), -1.5),               # head x neuron
    (("L0.H0", "L0.mlp[1]", "L1.mlp[6]"), 1.5),   # 3-way across layers (stays 3-way at group=4)
    (("L0.mlp[1]", "L0.mlp[3]"), 1.0),            # same group of 4: a main effect of L0.mlp[0:4]
    (("L1.H0", "L1.mlp[5]", "L1.mlp[6]"), -1.0),  # two of one group: a pair at group=4
]
# Player sets the truth is written for (docs/components.md options), both ablations each.
PLAYER_SETS = ["components:group=1", "components:group=4", "components", "heads", "neurons:group=4"]
SAMPLE_TEXT = "Any text gives the same output: only the heads and neurons matter here."
FILLER = ["any", "text", "gives", "the", "same", "output", "only", "and", "matter", "here", ":", "."]
REFERENCE_SEED = 7


# ---------------------------------------------------------------------------------------------
# Components, players and the definition
# ---------------------------------------------------------------------------------------------
def components():
    """Component names in the z order of the graph: heads layer by layer, then neurons."""
    heads = [f"L{l}.H{h}" for l in range(LAYERS) for h in range(HEADS)]
    return heads + [f"L{l}.mlp[{i}]" for l in range(LAYERS) for i in range(FF)]


def clean_and_mean():
    """{component: (clean z, mean z)} as Fractions."""
    out = {}
    for l, h in product(range(LAYERS), range(HEADS)):
        dot = lambda v: sum(Fraction(r) * Fraction(x) for r, x in zip(HEAD_READOUT, v))  # noqa: E731
        out[f"L{l}.H{h}"] = (dot(HEAD_VALUE), dot(HEAD_MEANS[l][h]))
    for l, i in product(range(LAYERS), range(FF)):
        out[f"L{l}.mlp[{i}]"] = (Fraction(MLP_VALUE), Fraction(MLP_MEANS[l][i]))
    return out


def players(option):
    """[(name, [components])] in the contract's order and names (docs/components.md)."""
    kind, _, group = option.partition(":group=")
    group = int(group) if group else 8
    heads = [(f"L{l}.H{h}", [f"L{l}.H{h}"]) for l in range(LAYERS) for h in range(HEADS)]
    mlp = []
    for l in range(LAYERS):
        for first in range(0, FF, group):
            end = min(first + group, FF)
            name = f"L{l}.mlp[{first}]" if end - first == 1 else f"L{l}.mlp[{first}:{end}]"
            mlp.append((name, [f"L{l}.mlp[{i}]" for i in range(first, end)]))
    return {"components": heads + mlp, "heads": heads, "neurons": mlp}[kind]


def evaluate(z):
    """The definition: BIAS + sum_T coef_T prod z_c, z a {component: Fraction} dict."""
    total = Fraction(BIAS)
    for members, coef in TERMS:
        term = Fraction(coef)
        for c in members:
            term *= z[c]
        total += term
    return total


def truth(option, ablation):
    """Exact Moebius (AND-basis) coefficients over the players of `option`: substitute z_c = a +
    b x_p (zero: a = 0, b = clean; mean: a = mean, b = clean - mean; components outside the player
    set stay clean) and multiply out with x_p^2 = x_p. The empty set is the all-ablated output."""
    values = clean_and_mean()
    owner = {c: p for p, members in players(option) for c in members}
    poly = {frozenset(): Fraction(BIAS)}
    for members, coef in TERMS:
        term = {frozenset(): Fraction(coef)}
        for c in members:
            clean, mean = values[c]
            if c not in owner:
                factor = {frozenset(): clean}
            else:
                a = Fraction(0) if ablation == "zero" else mean
                factor = {frozenset(): a, frozenset([owner[c]]): clean - a}
            term = multiply(term, factor)
        poly = add(poly, term)
    order = {p: i for i, (p, _) in enumerate(players(option))}
    terms = sorted(((sorted(s, key=order.get), v) for s, v in poly.items() if v != 0),
                   key=lambda t: (len(t[0]), [order[p] for p in t[0]]))
    return [{"players": s, "coef": exact_float(v)} for s, v in terms]


def multiply(p, q):
    out = {}
    for (s, u), (t, v) in product(p.items(), q.items()):
        out[s | t] = out.get(s | t, 0) + u * v
    return {s: v for s, v in out.items() if v != 0}


def add(p, q):
    out = dict(p)
    for s, v in q.items():
        out[s] = out.get(s, 0) + v
    return {s: v for s, v in out.items() if v != 0}


def exact_float(v):
    """A Fraction that float32 holds exactly (power-of-two denominator, few bits)."""
    assert v.denominator & (v.denominator - 1) == 0 and abs(v) < 2 ** 10, v
    assert float(np.float32(float(v))) == v, v
    return float(v)


# ---------------------------------------------------------------------------------------------
# The graph
# ---------------------------------------------------------------------------------------------
def component_inputs():
    f = TensorProto.FLOAT
    return [helper.make_tensor_value_info("head_mask", f, ["batch", LAYERS, HEADS]),
            helper.make_tensor_value_info("mlp_mask", f, ["batch", LAYERS, FF]),
            helper.make_tensor_value_info("head_offset", f, ["batch", LAYERS, HEADS, HEAD_DIM]),
            helper.make_tensor_value_info("mlp_offset", f, ["batch", LAYERS, FF])]


def graph(finish_model, const, logits_from_score, cls_id):
    """live[b] = 1 if position 0 is an attended [CLS] (always, for the explainer's inputs): the
    only use of the text, so the batch axis comes from the ids like in a real model. Products over
    each term's members come from one Gather of z (padded with a column of ones) and ReduceProd."""
    names = components()
    index = {c: k for k, c in enumerate(names)}
    width = max(len(m) for m, _ in TERMS)
    term_index = [[index[c] for c in m] + [len(names)] * (width - len(m)) for m, _ in TERMS]
    inits = [
        # scalars: numpy_helper directly (const() goes through ascontiguousarray, which makes 1-d)
        numpy_helper.from_array(np.array(0, np.int64), "zero_index"),
        numpy_helper.from_array(np.array(cls_id, np.int64), "cls_id"),
        const("shape_b111", np.array([-1, 1, 1, 1], np.int64)),
        const("shape_b11", np.array([-1, 1, 1], np.int64)),
        const("shape_heads", np.array([-1, LAYERS * HEADS], np.int64)),
        const("shape_mlp", np.array([-1, LAYERS * FF], np.int64)),
        const("one_col", np.array([1], np.int64)),
        const("axis_3", np.array([3], np.int64)),
        const("head_value", np.tile(np.array(HEAD_VALUE, np.float32), (LAYERS, HEADS, 1))),
        const("head_readout", np.array(HEAD_READOUT, np.float32).reshape(HEAD_DIM, 1)),
        const("mlp_value", np.full((LAYERS, FF), MLP_VALUE, np.float32)),
        const("term_index", np.array(term_index, np.int64)),
        const("term_coef", np.array([[c] for _, c in TERMS], np.float32)),
        const("bias", np.array([BIAS], np.float32)),
    ]
    node = helper.make_node
    nodes = [
        node("Gather", ["input_ids", "zero_index"], ["first_id"], axis=1),            # [B]
        node("Equal", ["first_id", "cls_id"], ["is_cls"]),
        node("Cast", ["is_cls"], ["is_cls_f"], to=TensorProto.FLOAT),
        node("Gather", ["attention_mask", "zero_index"], ["first_att"], axis=1),
        node("Cast", ["first_att"], ["first_att_f"], to=TensorProto.FLOAT),
        node("Mul", ["is_cls_f", "first_att_f"], ["live"]),                          # [B]
        # heads: e = mask * value + offset, z = readout . e
        node("Reshape", ["live", "shape_b111"], ["live_4d"]),
        node("Mul", ["live_4d", "head_value"], ["head_clean"]),                       # [B,L,H,D]
        node("Unsqueeze", ["head_mask", "axis_3"], ["head_mask_4d"]),
        node("Mul", ["head_clean", "head_mask_4d"], ["head_kept"]),
        node("Add", ["head_kept", "head_offset"], ["head_eff"]),
        node("MatMul", ["head_eff", "head_readout"], ["head_z_4d"]),                  # [B,L,H,1]
        node("Reshape", ["head_z_4d", "shape_heads"], ["head_z"]),                    # [B,L*H]
        # neurons: z = mask * value + offset
        node("Reshape", ["live", "shape_b11"], ["live_3d"]),
        node("Mul", ["live_3d", "mlp_value"], ["mlp_clean"]),                         # [B,L,F]
        node("Mul", ["mlp_clean", "mlp_mask"], ["mlp_kept"]),
        node("Add", ["mlp_kept", "mlp_offset"], ["mlp_eff"]),
        node("Reshape", ["mlp_eff", "shape_mlp"], ["mlp_z"]),                         # [B,L*F]
        # z plus a column of ones (the padding of short terms), then the polynomial
        node("Shape", ["live"], ["batch_dim"]),
        node("Concat", ["batch_dim", "one_col"], ["ones_shape"], axis=0),
        node("ConstantOfShape", ["ones_shape"], ["ones"],
             value=helper.make_tensor("one", TensorProto.FLOAT, [1], [1.0])),
        node("Concat", ["head_z", "mlp_z", "ones"], ["z"], axis=1),                   # [B,21]
        node("Gather", ["z", "term_index"], ["term_factors"], axis=1),                # [B,T,3]
        node("ReduceProd", ["term_factors"], ["term_values"], axes=[2], keepdims=0),  # [B,T]
        node("MatMul", ["term_values", "term_coef"], ["poly"]),                       # [B,1]
        node("Add", ["poly", "bias"], ["score"]),
    ] + logits_from_score("score")
    doc = ("Planted components: logits = [0, bias + sum_T coef_T prod_{c in T} z_c], z_c the "
           "effective output of head / neuron c after its mask and offset (docs/components.md). "
           "Hand-built, not trained; truth in reference.json.")
    return finish_model("planted_components", doc, nodes, inits, component_inputs())


# ---------------------------------------------------------------------------------------------
# Reference samples and the model folder's extra content
# ---------------------------------------------------------------------------------------------
def definition_logits(head_mask, mlp_mask, ablation):
    """Logits from the definition (Fractions, not the graph) for 0/1 masks [L][H], [L][F]."""
    values = clean_and_mean()
    z = {}
    for l, h in product(range(LAYERS), range(HEADS)):
        clean, mean = values[f"L{l}.H{h}"]
        z[f"L{l}.H{h}"] = clean * head_mask[l][h] + (mean if ablation == "mean" else 0) * (1 - head_mask[l][h])
    for l, i in product(range(LAYERS), range(FF)):
        clean, mean = values[f"L{l}.mlp[{i}]"]
        z[f"L{l}.mlp[{i}]"] = clean * mlp_mask[l][i] + (mean if ablation == "mean" else 0) * (1 - mlp_mask[l][i])
    return [0.0, exact_float(evaluate(z))]


def reference_masks():
    """(name, head_mask, mlp_mask): 1 = kept."""
    def masks(dropped):
        hm = [[1] * HEADS for _ in range(LAYERS)]
        mm = [[1] * FF for _ in range(LAYERS)]
        for c in dropped:
            l, rest = int(c[1]), c.split(".", 1)[1]
            if rest.startswith("H"):
                hm[l][int(rest[1:])] = 0
            else:
                first, _, end = rest[4:-1].partition(":")
                for i in range(int(first), int(end or int(first) + 1)):
                    mm[l][i] = 0
        return hm, mm
    rng = np.random.default_rng(REFERENCE_SEED)
    cases = [("none", []), ("all", components()), ("L0.H1", ["L0.H1"]), ("L1.H0", ["L1.H0"]),
             ("L0.H1+L1.H0", ["L0.H1", "L1.H0"]), ("L0.mlp[0:4]", ["L0.mlp[0:4]"]),
             ("L1.H1+L0.mlp[6]", ["L1.H1", "L0.mlp[6]"])]
    out = [(name, *masks(dropped)) for name, dropped in cases]
    for k in range(3):
        dropped = [c for c in components() if rng.random() < 0.5]
        out.append((f"random-{k}", *masks(dropped)))
    return out


def build(finish_model, const, logits_from_score, encode, special_ids):
    vocab_list = ["[PAD]", "[UNK]", "[CLS]", "[MASK]"] + sorted(FILLER)
    vocab = {w: i for i, w in enumerate(vocab_list)}
    texts = [("demo", SAMPLE_TEXT), ("other-text", "The same output, any text.")]
    samples = []
    for text_name, text in texts:
        ids, _ = encode(text, vocab)
        for mask_name, hm, mm in reference_masks():
            for ablation in ("zero", "mean"):
                if mask_name == "none" and ablation == "mean":
                    continue  # nothing ablated: the offsets are all zero either way
                samples.append({"name": f"{text_name} {ablation}-ablated {mask_name}", "text": text,
                                "input_ids": ids, "attention_mask": [1] * len(ids),
                                "head_mask": hm, "mlp_mask": mm, "ablation": ablation,
                                "logits": definition_logits(hm, mm, ablation)})
    all_ablated = {a: {"logits": definition_logits([[0] * HEADS] * LAYERS, [[0] * FF] * LAYERS, a),
                       "samples": [f"{t} {a}-ablated all" for t, _ in texts],
                       "max_difference_across_texts": 0.0} for a in ("zero", "mean")}
    return {"name": NAME, "onnx": graph(finish_model, const, logits_from_score, special_ids["cls"]),
            "vocab": vocab_list, "samples": samples,
            "reference_extra": {"note": REFERENCE_NOTE, "definition": definition(),
                                "truth": [{"players": o, "ablation": a,
                                           "player_names": [p for p, _ in players(o)],
                                           "terms": truth(o, a)}
                                          for o in PLAYER_SETS for a in ("zero", "mean")],
                                "all_ablated": all_ablated}}


def definition():
    return {
        "components": components(),
        "head_value": list(HEAD_VALUE), "head_readout": list(HEAD_READOUT), "mlp_value": MLP_VALUE,
        "bias": BIAS,
        "terms": [{"components": list(m), "coef": c} for m, c in TERMS],
        "formula": ("log-odds = bias + sum_T coef_T prod_{c in T} z_c; head: z = head_readout . "
                    "(head_mask * head_value + head_offset); neuron: z = mlp_mask * mlp_value + "
                    "mlp_offset"),
    }


REFERENCE_NOTE = (
    "Hand-built known-answer model (scripts/model/planted_components.py). definition: the planted "
    "polynomial in the components' effective outputs z. truth: for each player set and ablation, "
    "the exact Moebius (AND-basis) coefficients over the players' 0/1 masks, i.e. what SPEX should "
    "recover; the term with players [] is the all-ablated output (baseline_value), the sum of all "
    "terms the unablated output (full_value). Grouped neurons share one mask, so products of "
    "neurons in one group collapse (x^2 = x). samples: logits from the definition (not the graph); "
    "offsets as in spam-transformer's reference: 0, or for 'mean' (1 - mask) * component_means. "
    "The graph ignores the words, so every text gives the same output.")


def manifest_extra():
    f32 = "float32"
    return {
        "description": ("Known-answer test model for component explanations: hand-built graph "
                        "whose log-odds is a planted polynomial in 4 heads' and 16 neurons' outputs."),
        "labels": ["other", "planted"],
        "extra_inputs": [
            {"name": "head_mask", "role": "head_mask", "type": f32, "shape": ["batch", LAYERS, HEADS]},
            {"name": "mlp_mask", "role": "mlp_mask", "type": f32, "shape": ["batch", LAYERS, FF]},
            {"name": "head_offset", "role": "head_offset", "type": f32,
             "shape": ["batch", LAYERS, HEADS, HEAD_DIM]},
            {"name": "mlp_offset", "role": "mlp_offset", "type": f32, "shape": ["batch", LAYERS, FF]},
        ],
        "masking": "attention",
        "target": {"class": "planted", "measure": "log-odds"},
        "component_means": {"head": HEAD_MEANS, "mlp": MLP_MEANS,
                            "description": "declared, not measured (hand-built model, no data)"},
        "known_answer": {"kind": "planted-components",
                         "note": "truth per player set and ablation in reference.json (truth)"},
        "architecture": {"layers": LAYERS, "heads": HEADS, "head_dim": HEAD_DIM, "ff": FF,
                         "note": "hand-built graph, not a transformer"},
        "sample_text": SAMPLE_TEXT,
        "data": {"source": "none: hand-written planted coefficients (no training data)",
                 "license": "MIT (as the spexlens project)"},
    }


CARD = """# planted-components — known-answer model for component explanations

**A hand-built ONNX graph, not a trained transformer.** It has the inputs of a component model
([docs/components.md](../../docs/components.md)): `input_ids`, `attention_mask`, `head_mask`
`[batch, 2, 2]`, `mlp_mask` `[batch, 2, 8]`, `head_offset` `[batch, 2, 2, 2]`, `mlp_offset`
`[batch, 2, 8]`: 2 layers × 2 heads (head dimension 2) and 8 neurons per layer. Every component
has a fixed clean output; the words are ignored (any text gives the same output). The graph
applies the contract's ablation and returns a planted polynomial of the effective outputs:

    head  z = (1, -1) · (head_mask · (1.5, 0.5) + head_offset)      clean z = 1
    neuron z = mlp_mask · 1 + mlp_offset                             clean z = 1
    log-odds(planted) = {bias:+g} + Σ_T coef_T · Π_{{c∈T}} z_c

| term | coef |
|---|---|
{rows}

Declared means (`component_means`; head means are vectors, their z is given): heads
{head_means}; neurons L0 {mlp0}, L1 {mlp1}.

So with zero ablation the Möbius coefficients over the 0/1 masks are the table itself; with mean
ablation z = μ + (1 − μ)·x and the polynomial expands into other coefficients. With neurons in
groups of 4 a group's neurons share one mask: `L0.mlp[1]·L0.mlp[3]` becomes a main effect of
`L0.mlp[0:4]` (x² = x), `L1.H0·L1.mlp[5]·L1.mlp[6]` a pair `L1.H0·L1.mlp[4:8]`, while
`L0.H0·L0.mlp[1]·L1.mlp[6]` stays 3-way. `reference.json` (`truth`) has the exact coefficients
for each of these player sets, under zero and mean ablation:
{player_sets}.
It also has reference logits computed from the definition. All numbers are multiples of 1/4, so
float32 is exact.

- Regenerate: `{command}`
- Check: `node scripts/model/check_known_answer.mjs` (graph against the definition and the truth
  on random masks, both ablations) and `node scripts/model/check_reference.mjs models/{name}`.
- Files: `model.onnx` (opset {opset}), `vocab.txt`, `model.json`, `reference.json`.
"""


def card(opset, command):
    values = clean_and_mean()
    rows = [f"| bias | {BIAS:+g} |"] + [f"| {' · '.join(m)} | {c:+g} |" for m, c in TERMS]
    head_means = ", ".join(f"{c} {float(values[c][1]):g}" for c in components()[:LAYERS * HEADS])
    return CARD.format(bias=BIAS, rows="\n".join(rows), head_means=head_means,
                       mlp0=MLP_MEANS[0], mlp1=MLP_MEANS[1],
                       player_sets=", ".join(f"`{o}`" for o in PLAYER_SETS),
                       command=command, name=NAME, opset=opset)
