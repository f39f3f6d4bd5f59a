// fake_models: tiny models written in C++ that read the same tensors ONNX Runtime would get,
// so the explainer's whole loop (masks -> batches -> logits -> result) is tested natively and
// in wasm without a runtime. Their exact answers are known.
#pragma once

#include "text/model_batch.h"
#include "text/model_manifest.h"
#include "text/vocabulary.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace spexlens_test {

// A manifest for a two-class model over input_ids/attention_mask (int64), labels
// ["other", "planted"], target planted:log-odds, the given masking and window.
std::string fake_manifest_json(const std::string & masking = "attention", int max_length = 128);

// [PAD] [UNK] [CLS] [MASK] then `words`.
spexlens::text::vocabulary fake_vocabulary(const std::vector<std::string> & words);

// logit("planted") = bias + sum main[w] * present(w) + sum coef * prod present(w in and_term);
// logit("other") = 0. present(w): some token with w's id is visible (attention 1, not [MASK]).
struct planted_model {
    double                                               bias = 0.0;
    std::map<int32_t, double>                            main;
    std::vector<std::pair<std::vector<int32_t>, double>> and_terms;

    // logits [rows, 2] for one batch.
    std::vector<float> run(const spexlens::text::model_batch & batch) const;
};

}  // namespace spexlens_test
