// unicode: the Unicode facts the Hugging Face tokenizer stages need (src/text/hf), as thin
// wrappers on utf8proc (Unicode 15) so no stage carries tables of its own: UTF-8 decoding and
// encoding, the four normalization forms with the input code points each output code point came
// from, general categories, the character classes the Rust `tokenizers` crate and its JS port
// (@huggingface/tokenizers) test, and full lowercasing as JavaScript's toLowerCase does it.
//
// Every function takes valid UTF-8 / valid scalar values (the input is sanitized before it gets
// here) and never throws.
//
// Index
//   [SECTION] UTF-8
//   [SECTION] normalization forms
//   [SECTION] general category and character classes
//   [SECTION] case
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::text::hf::unicode {

// [SECTION] UTF-8

// The byte count of the UTF-8 sequence `lead` starts (1 for ASCII and for a stray
// continuation byte, so a scan always advances).
size_t sequence_length(unsigned char lead);

// The code point whose UTF-8 sequence starts at byte `pos` of `s`; `length` receives its byte
// count. A truncated sequence decodes as U+FFFD over the remaining bytes.
char32_t decode(std::string_view s, size_t pos, size_t & length);

// The byte count of `cp` in UTF-8 (1..4).
size_t encoded_length(char32_t cp);

// Appends the UTF-8 encoding of `cp` to `out`.
void append_utf8(std::string & out, char32_t cp);

// The code points of `s`.
std::u32string to_code_points(std::string_view s);

// The UTF-8 encoding of `cps`.
std::string to_utf8(std::u32string_view cps);

// [SECTION] normalization forms

// The Unicode normalization forms of String.prototype.normalize and the NFC/NFD/NFKC/NFKD
// normalizers.
enum class normalization_form { nfc, nfd, nfkc, nfkd };

// One code point of a normalized text and the input code points [first, last] it came from:
// a decomposed character's pieces all name that character, a composed character names every
// code point it was composed from.
struct normalized_code_point {
    char32_t cp    = 0;
    size_t   first = 0;
    size_t   last  = 0;
};

// `input` in normalization form `form`, each output code point with its input code points.
// The output sources are non-decreasing in `first` except inside one run of combining marks
// that canonical ordering reordered.
std::vector<normalized_code_point> normalize(std::u32string_view input, normalization_form form);

// The UTF-8 text `s` in normalization form `form`.
std::string normalize_utf8(std::string_view s, normalization_form form);

// [SECTION] general category and character classes

// The Unicode general categories, in utf8proc's order (cn = unassigned).
enum class general_category {
    cn,
    lu,
    ll,
    lt,
    lm,
    lo,
    mn,
    mc,
    me,
    nd,
    nl,
    no,
    pc,
    pd,
    ps,
    pe,
    pi,
    pf,
    po,
    sm,
    sc,
    sk,
    so,
    zs,
    zl,
    zp,
    cc,
    cf,
    cs,
    co
};

// The general category of `cp`.
general_category category(char32_t cp);

// \p{L}: Lu, Ll, Lt, Lm, Lo.
bool is_letter(char32_t cp);
// \p{M}: Mn, Mc, Me.
bool is_mark(char32_t cp);
// \p{Mn}: a nonspacing mark (what accent stripping removes after NFD).
bool is_mark_nonspacing(char32_t cp);
// \p{N}: Nd, Nl, No (Rust's char::is_numeric).
bool is_numeric(char32_t cp);
// \p{P}: Pc, Pd, Ps, Pe, Pi, Pf, Po (Rust's char::is_ascii_punctuation aside).
bool is_punctuation(char32_t cp);
// Letters and numbers (\p{L} or \p{N}); Rust's char::is_alphanumeric also counts the few
// Other_Alphabetic marks and symbols, which no stage here depends on.
bool is_alphanumeric(char32_t cp);

// Rust's char::is_whitespace (the White_Space property): U+0009..U+000D, U+0085 and the
// separators Zs, Zl, Zp.
bool is_whitespace(char32_t cp);

// JavaScript's \s and String.prototype.trim: U+0009..U+000D, U+FEFF, Zs, U+2028, U+2029 (not
// U+0085). The JS port's BertPreTokenizer, Whitespace, WhitespaceSplit, Strip and ByteLevel use it.
bool is_js_whitespace(char32_t cp);

// The BERT "control" test of the JS port: Cc, Cf, Co or Cs, but not tab, newline or carriage
// return. (The Rust crate also counts unassigned code points, Cn; the JS port does not.)
bool is_bert_control(char32_t cp);

// The BERT punctuation test: \p{P} or ASCII U+0021..U+002F, U+003A..U+0040, U+005B..U+0060,
// U+007B..U+007E (so "$", "+", "<", "^", "`", "|", "~" count too).
bool is_bert_punctuation(char32_t cp);

// The CJK ideograph blocks BERT pads with spaces (the Rust crate's is_chinese_char).
bool is_chinese_char(char32_t cp);

// [SECTION] case

// Appends the lowercase of `text[i]` to `out`, as JavaScript's toLowerCase does: the full
// (SpecialCasing) mapping, U+0130 -> "i\u0307", and Greek capital sigma -> final sigma at the end
// of a word (the Final_Sigma context). Rust's char::to_lowercase, which the crate applies per
// character, never produces a final sigma.
void append_lowercase(std::u32string_view text, size_t i, std::u32string & out);

// `s` lowercased as by append_lowercase.
std::string to_lowercase(std::string_view s);

}  // namespace spexlens::text::hf::unicode
