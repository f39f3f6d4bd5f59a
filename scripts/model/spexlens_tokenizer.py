"""The spexlens-words-v1 tokenizer: the reference the C++ text layer (src/text/) must match byte for byte.

The rules are written out in docs/tokenizer.md. They are deliberately table-driven and free of
locale or Unicode-database lookups (no str.lower(), no unicodedata), so the C++ port can reproduce
them exactly on every platform and in WebAssembly.

    tokens = tokenize(sanitize(raw_bytes))   # list of Token(text, start, end, word)
    ids    = [vocab.get(t.text, UNK_ID) for t in tokens]

Offsets are in Unicode code points of the sanitized text (Python str indices).
"""

from dataclasses import dataclass

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[MASK]"]
PAD_ID, UNK_ID, CLS_ID, MASK_ID = 0, 1, 2, 3

# ---------------------------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------------------------
SPACE, WORD, SINGLE, EXTEND, JOINER, DROP = "space", "word", "single", "extend", "joiner", "drop"

# Ranges are inclusive. Anything not listed (and not ASCII) is WORD.
# C0 and C1 controls separate words like spaces: "free\0money" is two words, never one.
_SPACE_RANGES = [
    (0x00, 0x08), (0x09, 0x0D), (0x0E, 0x1F), (0x20, 0x20), (0x7F, 0x84), (0x85, 0x85), (0x86, 0x9F),
    (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200B), (0x2028, 0x2029), (0x202F, 0x202F),
    (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF),
]
_DROP_RANGES = [(0xAD, 0xAD)]
# Each code point is a token of its own: punctuation, symbols, currency, arrows, math,
# box drawing, dingbats, CJK ideographs and kana, fullwidth punctuation, emoji, U+FFFD.
_SINGLE_RANGES = [
    (0xA1, 0xAC), (0xAE, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7),
    (0x2010, 0x2027), (0x2030, 0x205E), (0x2060, 0x206F), (0x20A0, 0x20CF),
    (0x2100, 0x214F), (0x2190, 0x2BFF), (0x2E00, 0x2E7F),
    (0x3001, 0x303F), (0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F),
    (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65),
    (0xFFF0, 0xFFFF), (0x1F000, 0x1FAFF), (0x20000, 0x2FFFF),
]
# Attach to the token before them (combining marks, variation selectors, skin tones, tags).
_EXTEND_RANGES = [
    (0x0300, 0x036F), (0x200C, 0x200C), (0x20D0, 0x20FF), (0xFE00, 0xFE0F),
    (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F), (0xE0100, 0xE01EF),
]
_JOINER = 0x200D  # zero-width joiner: attaches to the token before and glues the next code point on


def _in(ranges, cp):
    for lo, hi in ranges:
        if lo <= cp <= hi:
            return True
    return False


def char_class(cp):
    if cp < 0x80:
        c = chr(cp)
        if c.isascii() and (c.isalnum()):
            return WORD
        if _in(_SPACE_RANGES, cp):
            return SPACE
        if _in(_DROP_RANGES, cp):
            return DROP
        return SINGLE  # printable ASCII punctuation
    if cp == _JOINER:
        return JOINER
    for ranges, cls in ((_SPACE_RANGES, SPACE), (_DROP_RANGES, DROP), (_EXTEND_RANGES, EXTEND),
                        (_SINGLE_RANGES, SINGLE)):
        if _in(ranges, cp):
            return cls
    return WORD


def fold_case(cp):
    """ASCII A-Z and Latin-1 capitals (U+00C0-U+00DE but U+00D7) map to lower case; nothing else."""
    if 0x41 <= cp <= 0x5A or (0xC0 <= cp <= 0xDE and cp != 0xD7):
        return cp + 0x20
    return cp


# ---------------------------------------------------------------------------------------------
# Sanitizing and tokenizing
# ---------------------------------------------------------------------------------------------
def sanitize(raw):
    """Bytes -> str. Ill-formed UTF-8 becomes U+FFFD per maximal subpart (Unicode's recommended
    practice; the same as Python's errors='replace' and the WHATWG TextDecoder)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


@dataclass
class Token:
    text: str   # normalized (case-folded) token string, looked up in the vocabulary
    start: int  # code point offsets [start, end) into the sanitized text
    end: int
    word: int   # index of the whitespace-delimited word the token belongs to


def tokenize(text):
    """str (already sanitized) -> list of Token. Words are maximal runs of non-space code points;
    tokens split words at class boundaries; dropped code points are skipped (docs/tokenizer.md)."""
    tokens = []
    word = -1          # index of the current word
    in_word = False
    chars, start, kind = None, 0, None  # the token being built (None: none open)
    glue_next = False  # the previous code point was a zero-width joiner

    for i, ch in enumerate(text):
        cp = ord(ch)
        cls = char_class(cp)
        if cls == DROP:  # soft hyphens: skipped, they split nothing
            continue
        if cls == SPACE:
            if chars is not None:
                tokens.append(Token("".join(chars), start, i, word))
                chars = None
            in_word = glue_next = False
            continue
        if not in_word:
            word += 1
            in_word = True
        extends = chars is not None and (glue_next or cls in (EXTEND, JOINER) or
                                         (cls == WORD and kind == WORD))
        glue_next = cls == JOINER
        if extends:
            chars.append(chr(fold_case(cp)))
            continue
        if chars is not None:
            tokens.append(Token("".join(chars), start, i, word))
        # WORD starts a word token; anything else (SINGLE, or a stray EXTEND/JOINER) a single one.
        chars, start, kind = [chr(fold_case(cp))], i, (WORD if cls == WORD else SINGLE)
    if chars is not None:
        tokens.append(Token("".join(chars), start, len(text), word))
    return tokens


def load_vocab(path):
    with open(path, encoding="utf-8") as f:
        words = f.read().split("\n")
    if words and words[-1] == "":
        words.pop()
    return {w: i for i, w in enumerate(words)}


def encode(text, vocab, max_length):
    """Token ids with [CLS] first, cut to max_length (the caller reports any cut)."""
    toks = tokenize(text)
    ids = [CLS_ID] + [vocab.get(t.text, UNK_ID) for t in toks]
    return ids[:max_length], toks
