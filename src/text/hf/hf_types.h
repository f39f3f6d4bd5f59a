// hf_types: the pieces a Hugging Face `tokenizer.json` pipeline passes between its stages
// (docs/hf-tokenizers.md). The stages are those of the Rust `tokenizers` crate:
//
//   input --added tokens--> splits --normalizer--> --pre-tokenizer--> --model--> tokens
//         --post-processor--> ids with special tokens
//
// Every stage keeps, for each byte of the text it produced, the byte range of the original
// input it came from, so every token can be mapped back to the characters the user typed.
// Errors a user can fix (an unsupported component, a malformed field) are text_error with a
// message that starts "tokenizer.json: " and names the component.
//
// Index
//   [SECTION] byte_range, model_token
//   [SECTION] normalized_string
//   [SECTION] split
//   [SECTION] stage interfaces: normalizer, pre_tokenizer, model
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spexlens::text::hf {

// [SECTION] byte_range, model_token

// A half-open byte range [start, end).
struct byte_range {
    size_t start = 0;
    size_t end   = 0;

    size_t size() const { return end - start; }
    bool   operator==(const byte_range & o) const { return start == o.start && end == o.end; }
};

// One token a model produced: its id, its string in the vocabulary, and the bytes of the
// piece it was given that it covers (byte-fallback tokens of one character share its range).
struct model_token {
    int32_t     id = 0;
    std::string value;
    byte_range  bytes;
};

// [SECTION] normalized_string

// A piece of the input as normalizers and pre-tokenizers change it (the Rust crate's
// NormalizedString): the current text, and for every one of its bytes the bytes of the whole
// original input it came from. Always valid UTF-8.
class normalized_string {
  public:
    normalized_string() = default;
    // The piece `text` of the whole input, which starts at byte `original_start` of that input;
    // each byte is aligned with itself.
    explicit normalized_string(std::string_view text, size_t original_start = 0);

    // The current (normalized) text.
    const std::string & str() const { return normalized_; }
    bool                empty() const { return normalized_.empty(); }

    // The original input bytes behind normalized bytes [r.start, r.end) (on code point
    // boundaries). An empty range maps to an empty range at its place in the original.
    byte_range original(byte_range r) const;
    // The original input bytes the whole piece covers (also for a piece normalized to nothing).
    byte_range original_span() const { return original_span_; }

    // Rewrites the whole text, as the Rust crate's transform_range does over the full range.
    // `changes` lists the new text's code points, each with how it relates to the old text:
    //   0  replaces the next old code point,
    //   1  is inserted (aligned with the old code point before it, or after it at the start),
    //  -k  replaces the next old code point and removes the k following ones.
    // `initial_removed` old code points are removed before the first change.
    void transform(const std::vector<std::pair<char32_t, int>> & changes, size_t initial_removed);

    // The sub-piece at normalized bytes [r.start, r.end) (code point boundaries), keeping its
    // alignments into the original input.
    normalized_string slice(byte_range r) const;

    // Direct access for stages that rewrite text and alignments together; `alignments` must
    // end up with one entry per byte of `text`.
    std::vector<byte_range> &       alignments() { return alignments_; }
    const std::vector<byte_range> & alignments() const { return alignments_; }
    std::string &                   text() { return normalized_; }

  private:
    std::string             normalized_;
    std::vector<byte_range> alignments_;  // one per byte of normalized_, into the whole input
    byte_range              original_span_;
};

// [SECTION] split

// One piece of the input between pipeline stages (the Rust crate's Split). A split that
// already has tokens (an added token, or after the model ran) is left alone by the
// pre-tokenizer and the model.
struct split {
    normalized_string        text;
    std::vector<model_token> tokens;  // bytes relative to text.str()
    bool                     tokenized = false;
    // The number of the section (the text between added tokens found in the original input)
    // the split came from; Metaspace's prepend_scheme "first" prepends in section 0 only, as
    // the JavaScript port does.
    size_t section_index = 0;
};

// [SECTION] stage interfaces: normalizer, pre_tokenizer, model

// Rewrites one piece in place (BertNormalizer, NFC, Lowercase, Replace, Sequence, ...).
class normalizer {
  public:
    virtual ~normalizer()                               = default;
    virtual void normalize(normalized_string & s) const = 0;
};

// Cuts splits further (BertPreTokenizer, ByteLevel, Split, Metaspace, Sequence, ...). Splits
// with tokenized == true pass through unchanged and in place.
class pre_tokenizer {
  public:
    virtual ~pre_tokenizer()                                     = default;
    virtual void pre_tokenize(std::vector<split> & splits) const = 0;
};

// Turns one pre-token into vocabulary tokens (WordPiece, BPE, Unigram).
class model {
  public:
    virtual ~model() = default;
    // Appends the tokens of `piece` (a pre-token, already normalized) to `out`. Never throws
    // for any UTF-8 input: what the vocabulary lacks becomes the unknown token, byte-fallback
    // tokens, or (a model without either) is dropped, as the Rust crate does.
    virtual void tokenize(std::string_view piece, std::vector<model_token> & out) const = 0;
    // The id of a vocabulary string; false if the vocabulary lacks it.
    virtual bool token_to_id(std::string_view token, int32_t & id) const = 0;
    // The string of an id; false if no token has it.
    virtual bool id_to_token(int32_t id, std::string & token) const = 0;
    // 1 + the largest id in the vocabulary.
    virtual size_t vocab_size() const = 0;
};

// Builders from the JSON objects of tokenizer.json. A null value gives nullptr (no stage).
// They throw text_error naming the component and field, e.g.
// "tokenizer.json: normalizer Precompiled is not supported" or
// "tokenizer.json: model.merges[12]: \"a\" is not two tokens".
std::unique_ptr<normalizer>    parse_normalizer(const nlohmann::json & j);
std::unique_ptr<pre_tokenizer> parse_pre_tokenizer(const nlohmann::json & j);
std::unique_ptr<model>         parse_model(const nlohmann::json & j);

}  // namespace spexlens::text::hf
