// model_tokenizer: the tokenizer a model's manifest names, built from the manifest's vocabulary
// file — `vocab.txt` for spexlens-words-v1 (docs/tokenizer.md), `tokenizer.json` for a Hugging
// Face tokenizer (hf-tokenizer-json, docs/hf-tokenizers.md) — with the special tokens that frame
// every model input.
#pragma once

#include "text/hf/hf_tokenizer.h"
#include "text/model_manifest.h"
#include "text/vocabulary.h"

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace spexlens::text {

// The ids around a text's tokens in every model input, and the ids masking writes.
struct sequence_frame {
    std::vector<int32_t> before;  // e.g. [CLS]
    std::vector<int32_t> after;   // e.g. [SEP]
    std::vector<int32_t> before_types;
    std::vector<int32_t> after_types;
    int32_t              type_id = 0;   // token_type_ids of the text's own tokens
    int32_t              pad_id  = 0;   // fills rows shortened by removal
    int32_t              mask_id = -1;  // replaces masked tokens under mask_token masking; -1: none
};

class model_tokenizer {
  public:
    model_tokenizer() = default;
    // Builds the tokenizer `manifest` names from the contents of its vocabulary file. Throws
    // text_error naming the file: a broken vocabulary or tokenizer.json, special ids outside
    // the vocabulary, mask_token masking without a mask token.
    static model_tokenizer from_file(const model_manifest & manifest, std::string_view vocab_file_contents);
    // spexlens-words-v1 with an already parsed vocabulary.
    static model_tokenizer words_v1(const model_manifest & manifest, vocabulary vocab);

    bool                   hf() const { return hf_ != nullptr; }
    const vocabulary &     vocab() const { return vocab_; }       // spexlens-words-v1 only
    const hf::tokenizer &  hf_tokenizer() const { return *hf_; }  // hf() only
    const sequence_frame & frame() const { return frame_; }
    // The number of ids the model reads: the vocabulary's size (for checks against the graph).
    size_t vocab_size() const;

  private:
    vocabulary                           vocab_;
    std::shared_ptr<const hf::tokenizer> hf_;
    sequence_frame                       frame_;
};

}  // namespace spexlens::text
