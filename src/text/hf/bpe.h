// bpe: the BPE model of tokenizer.json (GPT-2 style byte-level BPE as in llama3, qwen3 and
// gpt4o; SentencePiece-style BPE with byte_fallback as in gemma3).
//
// A pre-token is split into characters, then the ranked merges are applied lowest rank first
// (ties: leftmost first) with a priority queue over a linked list of symbols, O(n log n) in the
// length of the word. A long pre-token (gemma3's are whole sections: its normalizer turns
// spaces into "▁" before the pre-tokenizer splits on spaces) is first cut between any two
// characters (x, y) no merge can join, i.e. no merge (a, b) with a ending in x and b starting
// with y: BPE never merges across such a cut, so the segments give the same tokens and each
// goes through the word cache. The parity target is @huggingface/tokenizers 0.2.0 (the JS port); where
// it differs from the Rust crate this model follows the JS port:
//  - continuing_subword_prefix is ignored (the JS port never reads it; the crate prefixes every
//    character but the first). It is still used to validate merges as the crate does.
//  - unknown characters are resolved after merging (byte fallback over the symbol's bytes,
//    including end_of_word_suffix bytes on the last one); the crate resolves them before.
//  - fuse_unk fuses any run of tokens with the unknown id, within the pre-token. The JS port
//    also fuses across the pre-tokens of one section; that is the pipeline's business.
//
// Index
//   [SECTION] bpe_config
//   [SECTION] bpe_model
#pragma once

#include "text/hf/hf_types.h"
#include "text/hf/model_vocab.h"

#include <array>
#include <deque>
#include <string>
#include <unordered_map>

namespace spexlens::text::hf {

// [SECTION] bpe_config

// One merge rule: the ids of its two parts and of their concatenation (-1 when the plain
// concatenation is not in the vocabulary, possible only with continuing_subword_prefix).
struct bpe_merge {
    int32_t left   = 0;
    int32_t right  = 0;
    int32_t result = -1;
};

// The fields of a BPE model, already validated (models.cpp). A merge's rank is its index.
struct bpe_config {
    vocab_table            vocab;
    std::vector<bpe_merge> merges;
    int32_t                unk_id        = -1;  // -1: no unk_token
    bool                   fuse_unk      = false;
    bool                   byte_fallback = false;
    bool                   ignore_merges = false;
    std::string            end_of_word_suffix;         // empty: none
    std::string            continuing_subword_prefix;  // empty: none (unused, see above)
};

// [SECTION] bpe_model

// The BPE model. tokenize keeps a per-model cache of recent words (up to cache_capacity
// entries of words shorter than cache_max_bytes, emptied when full), so it is NOT safe to call
// tokenize concurrently on one model; the other members are.
class bpe_model final : public model {
  public:
    // Cache bounds.
    static constexpr size_t cache_capacity  = 10000;
    static constexpr size_t cache_max_bytes = 256;

    // Takes the validated configuration and builds the merge index.
    explicit bpe_model(bpe_config config);

    // Splits into characters and applies the merges (see the file comment).
    void tokenize(std::string_view piece, std::vector<model_token> & out) const override;
    // The id of a vocabulary string.
    bool token_to_id(std::string_view token, int32_t & id) const override;
    // The string of an id.
    bool id_to_token(int32_t id, std::string & token) const override;
    // 1 + the largest id.
    size_t vocab_size() const override { return config_.vocab.vocab_size(); }

  private:
    // A token as cached: id and byte range in the piece.
    struct word_token {
        int32_t  id;
        uint32_t start;
        uint32_t end;
    };
    // One slot of the merge index: key (left << 32 | right), rank and result.
    struct merge_slot {
        uint64_t key    = empty_key;
        int32_t  rank   = 0;
        int32_t  result = -1;
    };
    static constexpr uint64_t empty_key = ~uint64_t{0};

    const merge_slot * find_merge(int32_t left, int32_t right) const noexcept;
    bool               joinable(char32_t left, char32_t right) const noexcept;
    // BPE of one word (no ignore_merges check), through the cache when short.
    void cached_word(std::string_view word, std::vector<word_token> & out) const;
    void encode_word(std::string_view piece, std::vector<word_token> & out) const;
    void emit(std::string_view word, size_t piece_size, int32_t id, size_t start, size_t end,
              std::vector<word_token> & out) const;
    // Appends `tokens` shifted by `offset`, fusing an unknown run across the seam (fuse_unk).
    void append(const word_token * tokens, size_t count, uint32_t offset, std::vector<word_token> & out) const;

    bpe_config               config_;
    std::vector<merge_slot>  merge_slots_;  // size a power of two
    std::array<int32_t, 256> byte_ids_{};   // id of "<0xXX>" per byte, -1 if absent
    std::array<int32_t, 128> ascii_ids_{};  // id of each ASCII character, -1 if absent
    // (last char of a, first char of b) over all merges (a, b), packed as x << 21 | y, in open
    // addressing (0 = empty); used only when segmentable_ (no end_of_word_suffix, no empty
    // merge part).
    std::vector<uint64_t>                                                   join_pairs_;
    bool                                                                    segmentable_ = false;
    mutable std::deque<std::string>                                         cache_keys_;
    mutable std::unordered_map<std::string_view, std::pair<size_t, size_t>> cache_;  // offset, count
    mutable std::vector<word_token>                                         cache_tokens_;
};

}  // namespace spexlens::text::hf
