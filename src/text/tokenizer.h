// tokenizer: the spexlens-words-v1 tokenizer (docs/tokenizer.md), a byte-for-byte port of the
// Python reference scripts/model/spexlens_tokenizer.py that trains the shipped models.
// Table-driven, no locale or Unicode database, so native and WebAssembly builds agree.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::text {

constexpr const char * tokenizer_words_v1 = "spexlens-words-v1";

struct token {
    std::string text;            // case-folded token string, the vocabulary key
    size_t      start      = 0;  // code point offsets [start, end) into the sanitized text
    size_t      end        = 0;
    size_t      byte_start = 0;  // UTF-8 byte offsets [byte_start, byte_end) into the same text
    size_t      byte_end   = 0;
    size_t      word       = 0;  // index of the whitespace-delimited word holding the token
};

// Tokenizes well-formed UTF-8 (call sanitize_utf8 first).
std::vector<token> tokenize_words_v1(std::string_view sanitized);

// The number of words tokenize_words_v1 finds in `sanitized` (1 + the largest token.word, 0
// without tokens), counted without building tokens: a cheap size check before tokenizing.
size_t count_words_v1(std::string_view sanitized);

}  // namespace spexlens::text
