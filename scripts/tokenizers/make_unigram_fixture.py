"""Builds a small but real Unigram tokenizer.json from the SpamAssassin training split, for the
tokenizer parity test (tests/tokenizers/parity_test.mjs). Python 3 standard library only.

    /usr/bin/python3 scripts/tokenizers/make_unigram_fixture.py
    # writes tests/text/data/hf/unigram-spam.tokenizer.json

The pieces and their scores (deterministic: fixed corpus split, sorted ties, no randomness):
  1. Text: every message of the training split (scripts/model/spam_data.py), NFKC-normalized,
     cut at whitespace into words; each word gets the Metaspace "▁" in front, as the
     pre-tokenizer will give it ("▁hello"). Words longer than 24 code points are skipped for
     counting (they are mostly URLs and base64).
  2. Characters: every code point seen at least 3 times, and all printable ASCII, is a piece.
  3. Longer pieces: every substring of 2..10 code points of every word is counted (weighted by
     the word's count); the PIECES substrings with the highest count * (length - 1), i.e. the
     most characters saved, are kept (ties: the substring, in code point order).
  4. Score of a piece = ln(count / total), total = the sum of the counts of all kept pieces: a
     unigram log-probability from raw counts (no EM re-estimation; enough for a real lattice).
  5. Vocabulary: <unk> (id 0, the unk_id), </s> (1), <s> (2) with score 0.0 as SentencePiece
     conversions write them, then the pieces by score (highest first), ties by piece.
The pipeline: normalizer Sequence[NFKC, Replace(" {2,}" -> " ")], pre-tokenizer Metaspace ("▁",
prepend_scheme "always", split true), Unigram (byte_fallback false), post-processor
TemplateProcessing "$A </s>", decoder Metaspace.
"""

import collections
import json
import math
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "model"))
import spam_data  # noqa: E402

OUT = REPO / "tests" / "text" / "data" / "hf" / "unigram-spam.tokenizer.json"
PIECES = 3500
MIN_CHAR_COUNT = 3
MAX_WORD = 24
MAX_PIECE = 10


def word_counts():
    splits, _ = spam_data.load_splits()
    counts = collections.Counter()
    for record in splits["train"]:
        for word in unicodedata.normalize("NFKC", record["text"]).split():
            counts["\u2581" + word] += 1
    return counts


def build_vocab(counts):
    chars = collections.Counter()
    subs = collections.Counter()
    for word, n in counts.items():
        for c in word:
            chars[c] += n
        if len(word) > MAX_WORD:
            continue
        for i in range(len(word)):
            for j in range(i + 2, min(len(word), i + MAX_PIECE) + 1):
                subs[word[i:j]] += n
    kept_chars = {c: n for c, n in chars.items() if n >= MIN_CHAR_COUNT}
    for c in map(chr, range(0x21, 0x7F)):
        kept_chars.setdefault(c, 1)
    best = sorted(subs.items(), key=lambda kv: (-kv[1] * (len(kv[0]) - 1), kv[0]))[:PIECES]
    pieces = dict(kept_chars)
    pieces.update(best)
    total = sum(pieces.values())
    scored = sorted(((p, math.log(n / total)) for p, n in pieces.items()), key=lambda ps: (-ps[1], ps[0]))
    specials = [["<unk>", 0.0], ["</s>", 0.0], ["<s>", 0.0]]
    return specials + [[p, round(s, 6)] for p, s in scored if p not in ("<unk>", "</s>", "<s>")]


def tokenizer_json(vocab):
    def added(i, content):
        return {"id": i, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True}

    metaspace = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(0, "<unk>"), added(1, "</s>"), added(2, "<s>")],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFKC"},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        ]},
        "pre_tokenizer": metaspace,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "</s>", "type_id": 1}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}},
        },
        "decoder": metaspace,
        "model": {"type": "Unigram", "unk_id": 0, "vocab": vocab, "byte_fallback": False},
    }


def main():
    vocab = build_vocab(word_counts())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(tokenizer_json(vocab), ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: {len(vocab)} pieces, {len(text.encode('utf-8'))} bytes")


if __name__ == "__main__":
    main()
