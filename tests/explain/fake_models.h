// fake_models: tiny models written in C++ that read the same tensors ONNX Runtime would get,
// so the explainer's whole loop (masks -> batches -> logits -> result) is tested natively and
// in wasm without a runtime. Their exact answers are known.
#pragma once

#include "text/model_batch.h"
#include "text/model_manifest.h"
#include "text/vocabulary.h"

#include <cstdint>
#include <map>
#include <set>
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

// The fake model above with component inputs (docs/components.md): head_mask [batch, 2, 2],
// mlp_mask [batch, 2, 8], head_offset [batch, 2, 2, 2], mlp_offset [batch, 2, 8], and means
// when `with_means`. `batched` false gives the masks no batch axis (and no offsets).
std::string fake_component_manifest_json(bool batched = true, bool with_means = true);

// Component slots of that model: head (l, h) is slot l*2 + h; neuron i of layer l is 4 + l*8 + i.
constexpr int fake_heads_per_layer = 2, fake_ff = 8, fake_layers = 2, fake_head_dim = 2;
inline int    head_slot(int layer, int head) { return layer * fake_heads_per_layer + head; }
inline int    neuron_slot(int layer, int i) { return fake_layers * fake_heads_per_layer + layer * fake_ff + i; }

// logit("planted") = bias + sum coef * prod e(slot), where a component's effective output is
// e = mask + offset (a head: offset[..., 0]); absent tensors read as mask 1, offset 0. So
// zero ablation makes e the mask bit and mean ablation e = 1 kept, mean dropped. The text is
// ignored: only its shape is checked.
struct component_model {
    double                                           bias = 0.0;
    std::vector<std::pair<std::vector<int>, double>> terms;

    std::vector<float> run(const spexlens::text::model_batch & batch) const;
};

// The Möbius coefficient of `set` (feature indices) in a result JSON; 0 when the result has no
// such term.
template <typename Json> double mobius_coef(const Json & result, const std::set<int> & set) {
    for (const auto & term : result["mobius"]) {
        std::set<int> s;
        for (const auto & i : term["set"]) {
            s.insert(i.template get<int>());
        }
        if (s == set) {
            return term["coef"].template get<double>();
        }
    }
    return 0.0;
}

}  // namespace spexlens_test
