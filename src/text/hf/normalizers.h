// normalizers: the normalizer stage of tokenizer.json (parse_normalizer in hf_types.h), and the
// text-editing helpers the normalizers and pre-tokenizers share. Each normalizer behaves as the
// JS port @huggingface/tokenizers 0.2.0 does (the parity oracle); where that differs from the
// Rust crate, normalizers.cpp says so next to the code.
//
// Supported: BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Strip, Replace,
// Prepend, ByteLevel, Sequence. Anything else throws text_error
// "tokenizer.json: normalizer <type> is not supported".
//
// Index
//   [SECTION] running a normalizer
//   [SECTION] editing helpers
#pragma once

#include "text/hf/hf_types.h"
#include "text/hf/onig_regex.h"

#include <functional>
#include <string>
#include <string_view>

namespace spexlens::text::hf {

// [SECTION] running a normalizer

// `text` as normalizer `n` rewrites it (e.g. to normalize an added token's content, as the JS
// port does for tokens with "normalized": true).
std::string normalize_text(const normalizer & n, std::string_view text);

// [SECTION] editing helpers

// Rewrites `s` one code point at a time: `rewrite(cps, i, out)` appends what code point
// cps[i] becomes (nothing removes it; `cps` is the whole current text, for context). Every new
// code point is aligned with the original bytes of the code point it came from.
void rewrite_code_points(normalized_string &                                                                  s,
                         const std::function<void(std::u32string_view cps, size_t i, std::u32string & out)> & rewrite);

// Replaces every match of `pattern` in `s` with `content`, as JavaScript's replaceAll does
// ("$$", "$&", "$`", "$'" and "$1".."$99" in `content` are expanded). The new text of a match
// is aligned with the original bytes of the whole match; a match of nothing inserts text aligned
// with an empty range at its place.
void replace_matches(normalized_string & s, const text_pattern & pattern, std::string_view content);

// Puts `prefix` in front of `s` (also when `s` is empty), aligned with its first code point.
void prepend_text(normalized_string & s, std::string_view prefix);

}  // namespace spexlens::text::hf
