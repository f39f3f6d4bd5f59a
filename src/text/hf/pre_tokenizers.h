// pre_tokenizers: the pre-tokenizer stage of tokenizer.json (parse_pre_tokenizer in
// hf_types.h) and GPT-2's byte-to-character mapping that ByteLevel, the byte-level BPE model and
// the ByteLevel decoder share. Each pre-tokenizer behaves as the JS port @huggingface/tokenizers
// 0.2.0 does (the parity oracle); where that differs from the Rust crate, pre_tokenizers.cpp says
// so next to the code.
//
// Supported: BertPreTokenizer, ByteLevel, Whitespace, WhitespaceSplit, Metaspace, Split,
// Punctuation, Digits, Replace, Sequence. Anything else throws text_error
// "tokenizer.json: pre_tokenizer <type> is not supported".
//
// A pre-tokenizer replaces every split whose `tokenized` is false by its pieces (empty pieces
// are dropped, and so is a split that is already empty) and leaves tokenized splits where they
// are. Every piece keeps its alignments into the original input.
//
// Index
//   [SECTION] running a pre-tokenizer
//   [SECTION] GPT-2 byte-level characters
#pragma once

#include "text/hf/hf_types.h"

#include <cstdint>
#include <vector>

namespace spexlens::text::hf {

// [SECTION] running a pre-tokenizer

// The pieces pre-tokenizer `p` cuts `text` into.
std::vector<split> pre_tokenize_text(const pre_tokenizer & p, const normalized_string & text);

// [SECTION] GPT-2 byte-level characters

// The printable character GPT-2's bytes_to_unicode gives byte `b` ("!".."~", U+00A1..U+00AC and
// U+00AE..U+00FF stand for themselves; the other 68 bytes become U+0100..U+0143 in order; the
// space byte becomes U+0120 "Ġ").
char32_t byte_to_char(uint8_t b);

// The byte that byte_to_char maps to `c`; false if `c` is not one of the 256 characters.
bool char_to_byte(char32_t c, uint8_t & b);

}  // namespace spexlens::text::hf
