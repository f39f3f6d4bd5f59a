// wordpiece: the WordPiece model of tokenizer.json (BERT and friends): greedy longest-match-first
// over the vocabulary, pieces after the first carrying continuing_subword_prefix ("##"), and a
// word that cannot be covered, or is longer than max_input_chars_per_word characters, becomes
// the single unknown token. Matches @huggingface/tokenizers 0.2.0 and the Rust crate.
#pragma once

#include "text/hf/hf_types.h"
#include "text/hf/model_vocab.h"

#include <string>

namespace spexlens::text::hf {

// The fields of a WordPiece model, already validated (models.cpp).
struct wordpiece_config {
    vocab_table vocab;
    int32_t     unk_id                    = -1;  // id of unk_token; must be in the vocabulary
    std::string continuing_subword_prefix = "##";
    size_t      max_input_chars_per_word  = 100;
};

// The WordPiece model. Stateless after construction: tokenize is safe to call concurrently.
class wordpiece_model final : public model {
  public:
    // Takes the validated configuration.
    explicit wordpiece_model(wordpiece_config config);

    // Greedy longest-match-first; the whole word becomes unk_token when it cannot be covered.
    void tokenize(std::string_view piece, std::vector<model_token> & out) const override;
    // The id of a vocabulary string.
    bool token_to_id(std::string_view token, int32_t & id) const override;
    // The string of an id.
    bool id_to_token(int32_t id, std::string & token) const override;
    // 1 + the largest id.
    size_t vocab_size() const override { return config_.vocab.vocab_size(); }

  private:
    void push(std::vector<model_token> & out, int32_t id, size_t start, size_t end) const;

    wordpiece_config config_;
};

}  // namespace spexlens::text::hf
