// hf_tokenizer: a Hugging Face `tokenizer.json` (with its `tokenizer_config.json` when there is
// one) read and run in C++, natively and in WebAssembly (docs/hf-tokenizers.md). It gives the
// ids a model was trained on, the special tokens its post-processor adds, and the bytes of the
// input behind every token, so spexlens can mask whole words of sub-word models.
//
// Token ids match the JavaScript port `@huggingface/tokenizers` (tests/tokenizers/), which the
// Rust crate's files are written for. Components it does not support are refused by name,
// never approximated: "tokenizer.json: normalizer Precompiled is not supported".
//
// Index
//   [SECTION] added tokens
//   [SECTION] post-processor template
//   [SECTION] encoding
//   [SECTION] tokenizer
#pragma once

#include "text/hf/hf_types.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace spexlens::text::hf {

// [SECTION] added tokens

// One entry of tokenizer.json's "added_tokens" (the Rust crate's AddedToken).
struct added_token {
    int32_t     id = 0;
    std::string content;
    bool        single_word = false;  // read, not used: the JavaScript port ignores it
    bool        lstrip      = false;  // whitespace before the token is removed
    bool        rstrip      = false;  // whitespace after the token is removed
    bool        normalized  = false;  // matched in the normalized text, not the original
    bool        special     = false;
};

// Finds added tokens in a text: at each position the longest token that starts there, leftmost
// first (as the JavaScript port's DictionarySplitter does).
class added_token_splitter {
  public:
    // `contents[i]` is the text of the token numbered i.
    explicit added_token_splitter(const std::vector<std::string> & contents = {});

    // One piece of a split text: bytes [start, end), and the token number when it is an added
    // token (-1 otherwise).
    struct piece {
        size_t start = 0;
        size_t end   = 0;
        int    token = -1;
    };
    // The pieces of `text` in order; they cover it without gaps.
    std::vector<piece> split(std::string_view text) const;
    bool               empty() const { return nodes_.size() <= 1; }

  private:
    struct node {
        std::unordered_map<unsigned char, uint32_t> next;
        int                                         token = -1;
    };
    std::vector<node> nodes_;
};

// [SECTION] post-processor template

// One special token a post-processor adds.
struct special_piece {
    int32_t     id = 0;
    std::string token;
    int32_t     type_id = 0;
};

// What the post-processor does to a single sequence: specials before and after it, and the
// token type id of its tokens. BertProcessing, RobertaProcessing, TemplateProcessing,
// ByteLevel and Sequence of them all reduce to this for one sequence.
struct single_template {
    std::vector<special_piece> prefix;
    std::vector<special_piece> suffix;
    int32_t                    sequence_type_id = 0;
    std::string                description;  // e.g. "TemplateProcessing: [CLS] $A [SEP]"
};

// Reads tokenizer.json's "post_processor" (null: no specials). Special token strings are
// looked up with `lookup` (added tokens, then the vocabulary). Throws text_error naming it.
single_template parse_post_processor(const nlohmann::json & j, const class tokenizer & owner);

// [SECTION] encoding

// One token of an encoded text.
struct encoded_token {
    int32_t     id = 0;
    std::string value;  // its vocabulary string (byte-level tokens in their mapped form)
    byte_range  bytes;  // the input bytes behind it; empty at 0 for post-processor specials
    int32_t     type_id = 0;
    bool        special = false;  // added by the post-processor, or an added token marked special
    bool        added   = false;  // an added token found in the text
};

// [SECTION] tokenizer

class tokenizer {
  public:
    // Parses tokenizer.json (and tokenizer_config.json's text when not empty). Throws
    // text_error: broken JSON, an unsupported component or field, a vocabulary/merges mismatch.
    static std::shared_ptr<const tokenizer> parse(std::string_view tokenizer_json, std::string_view config_json = {});

    // The tokens of `text` (valid UTF-8) without the post-processor's specials; bytes index
    // `text`. Never throws on valid UTF-8.
    std::vector<encoded_token> tokenize(std::string_view text) const;
    // tokenize() wrapped by the post-processor's single-sequence template when
    // `add_special_tokens` (the ids a model is fed).
    std::vector<encoded_token> encode(std::string_view text, bool add_special_tokens = true) const;

    // The post-processor's template for one sequence.
    const single_template & post_processor() const { return template_; }

    // The id of a token string: added tokens first, then the model's vocabulary.
    bool token_to_id(std::string_view token, int32_t & id) const;
    // The string of an id (added tokens first); false if none.
    bool id_to_token(int32_t id, std::string & token) const;
    // 1 + the largest id of the vocabulary and the added tokens.
    size_t vocab_size() const;

    // Special tokens named by tokenizer_config.json / special_tokens_map.json ("mask_token",
    // "unk_token", "pad_token", "cls_token", "sep_token", "bos_token", "eos_token"): their id,
    // or false when the files name none or the vocabulary lacks it.
    bool special_token_id(std::string_view role, int32_t & id) const;
    // tokenizer_config.json's model_max_length when it is given and sane (else 0).
    int64_t model_max_length() const { return model_max_length_; }

    const std::vector<added_token> & added_tokens() const { return added_; }
    // One line for people: "WordPiece, 6,000 tokens; normalizer BertNormalizer; ...".
    const std::string & description() const { return description_; }

  private:
    tokenizer() = default;
    void add_tokens_of_section(std::string_view text, size_t offset, size_t section_index,
                               std::vector<encoded_token> & out) const;
    void resolve_id(encoded_token & t) const;

    std::unique_ptr<normalizer>    normalizer_;
    std::unique_ptr<pre_tokenizer> pre_tokenizer_;
    std::unique_ptr<model>         model_;
    single_template                template_;

    std::vector<added_token>                     added_;
    std::unordered_map<std::string, size_t>      added_by_text_;  // content and normalized content -> index
    std::unordered_map<int32_t, size_t>          added_by_id_;
    added_token_splitter                         raw_splitter_;         // tokens matched in the original
    std::vector<size_t>                          raw_tokens_;           // splitter number -> added_ index
    added_token_splitter                         normalized_splitter_;  // tokens matched after normalizing
    std::vector<size_t>                          normalized_tokens_;
    std::unordered_map<std::string, std::string> special_roles_;  // "mask_token" -> "[MASK]"
    int64_t                                      model_max_length_ = 0;
    std::string                                  description_;

    friend single_template parse_post_processor(const nlohmann::json & j, const tokenizer & owner);
};

// The line spexlens-tokenize prints for `text` (valid UTF-8): {"ids": [...], "offsets":
// [[start, end], ...]} with offsets in code points of `text` ([0, 0] for the post-processor's
// specials), plus "tokens" when `with_tokens`. The WebAssembly binding returns the same.
std::string encode_to_json(const tokenizer & t, std::string_view text, bool add_special_tokens, bool with_tokens);

}  // namespace spexlens::text::hf
