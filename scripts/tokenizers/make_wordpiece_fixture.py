"""Builds a small WordPiece tokenizer.json (BERT-style) from the SpamAssassin training split, for
the tokenizer parity test while models/spam-bert does not exist. Python 3 standard library only.

    /usr/bin/python3 scripts/tokenizers/make_wordpiece_fixture.py
    # writes tests/text/data/hf/wordpiece-mini.tokenizer.json

The vocabulary (deterministic: fixed corpus split, sorted ties, no randomness):
  1. Text: every message of the training split (scripts/model/spam_data.py), normalized as the
     BertNormalizer below will (NFD, combining marks dropped, lowercased), cut into words at
     whitespace, punctuation and CJK ideographs as BertPreTokenizer does.
  2. [PAD] [UNK] [CLS] [SEP] [MASK] (ids 0-4); then every character seen at least 3 times (and
     printable ASCII), each also as "##c"; then the WORDS most frequent words; then the PIECES
     most frequent word-initial pieces (2..6 code points) and as many "##" word-final pieces of
     the words not already in the vocabulary (count ties broken by the piece).
The pipeline: BertNormalizer (clean_text, handle_chinese_chars, lowercase, strip_accents as
lowercase), BertPreTokenizer, WordPiece ("##", [UNK], 100 chars per word), TemplateProcessing
"[CLS] $A [SEP]", decoder WordPiece.
"""

import collections
import json
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "model"))
import spam_data  # noqa: E402

OUT = REPO / "tests" / "text" / "data" / "hf" / "wordpiece-mini.tokenizer.json"
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = 2500
PIECES = 500
MIN_CHAR_COUNT = 3


def is_punct(c):
    o = ord(c)
    if 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def is_cjk(c):
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2A6DF or 0x2A700 <= o <= 0x2B73F
            or 0x2B740 <= o <= 0x2B81F or 0x2B820 <= o <= 0x2CEAF or 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F)


def words_of(text):
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    word = []
    for c in text:
        if c.isspace() or is_punct(c) or is_cjk(c):
            if word:
                yield "".join(word)
                word = []
            if not c.isspace():
                yield c
        else:
            word.append(c)
    if word:
        yield "".join(word)


def build_vocab():
    splits, _ = spam_data.load_splits()
    counts = collections.Counter()
    for record in splits["train"]:
        counts.update(words_of(record["text"]))
    chars = collections.Counter()
    for w, n in counts.items():
        for c in w:
            chars[c] += n
    vocab = list(SPECIALS)
    seen = set(vocab)

    def add(token):
        if token not in seen:
            seen.add(token)
            vocab.append(token)

    char_list = sorted({c for c, n in chars.items() if n >= MIN_CHAR_COUNT} | set(map(chr, range(0x21, 0x7F))))
    for c in char_list:
        add(c)
    for c in char_list:
        add("##" + c)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    top = [w for w, _ in ranked if len(w) > 1][:WORDS]
    for w in top:
        add(w)
    top_set = set(top)
    starts = collections.Counter()
    ends = collections.Counter()
    for w, n in counts.items():
        if w in top_set or len(w) < 4:
            continue
        for k in range(2, min(6, len(w) - 1) + 1):
            starts[w[:k]] += n
            ends["##" + w[-k:]] += n
    for piece_counts in (starts, ends):
        for p, _ in sorted(piece_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:PIECES]:
            add(p)
    return vocab


def tokenizer_json(vocab):
    ids = {t: i for i, t in enumerate(vocab)}

    def added(t):
        return {"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True}

    def special(t):
        return {"id": t, "ids": [ids[t]], "tokens": [t]}

    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(t) for t in SPECIALS],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {"[CLS]": special("[CLS]"), "[SEP]": special("[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


def main():
    vocab = build_vocab()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(tokenizer_json(vocab), ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: {len(vocab)} tokens, {len(text.encode('utf-8'))} bytes")


if __name__ == "__main__":
    main()
