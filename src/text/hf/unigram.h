// unigram: the Unigram model of tokenizer.json (SentencePiece unigram: T5, XLM-R, ...). The
// best segmentation of a pre-token is found by Viterbi over every vocabulary piece that
// matches at every character (a byte trie of the pieces). A character no piece of exactly one
// character covers gets an unknown node scored (smallest score - 10); consecutive unknown
// tokens are fused into one.
//
// Parity target @huggingface/tokenizers 0.2.0 (JS port); where it differs from the Rust crate
// this follows the JS port:
//  - byte_fallback is ignored: unknown characters become the unknown token, never <0xXX>
//    tokens (the crate emits byte tokens).
//  - the unknown piece's own score is replaced by the unknown score when it matches literally.
//  - fusing of unknowns across pre-tokens (the JS port fuses over a whole section) is the
//    pipeline's business; here it is within the pre-token.
//
// Index
//   [SECTION] unigram_config
//   [SECTION] unigram_model
#pragma once

#include "text/hf/hf_types.h"
#include "text/hf/model_vocab.h"

namespace spexlens::text::hf {

// [SECTION] unigram_config

// The fields of a Unigram model, already validated (models.cpp). Ids are vocabulary indices.
struct unigram_config {
    vocab_table         vocab;
    std::vector<double> scores;                 // per id
    int32_t             unk_id        = -1;     // -1: none (unknown characters are dropped)
    bool                byte_fallback = false;  // accepted, ignored (see above)
};

// [SECTION] unigram_model

// The Unigram model. Stateless after construction: tokenize is safe to call concurrently.
class unigram_model final : public model {
  public:
    // Takes the validated configuration and builds the trie.
    explicit unigram_model(unigram_config config);

    // The Viterbi-best segmentation of `piece`.
    void tokenize(std::string_view piece, std::vector<model_token> & out) const override;
    // The id of a vocabulary string (for a repeated piece, its last id).
    bool token_to_id(std::string_view token, int32_t & id) const override;
    // The string of an id.
    bool id_to_token(int32_t id, std::string & token) const override;
    // The number of pieces.
    size_t vocab_size() const override { return config_.vocab.vocab_size(); }

  private:
    // Child of trie node `node` by byte `b`, or -1. Slots pack (node << 8 | b) << 24 | child.
    int32_t child(int32_t node, unsigned char b) const noexcept;
    int32_t add_child(int32_t node, unsigned char b);

    unigram_config        config_;
    double                unk_score_ = 0;
    std::vector<int32_t>  node_piece_;  // per trie node: the piece ending there, or -1
    std::vector<uint64_t> slots_;       // open addressing, 0 = empty; size a power of two
    size_t                used_ = 0;
};

}  // namespace spexlens::text::hf
