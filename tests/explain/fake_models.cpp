#include "fake_models.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace spexlens_test {

std::string fake_manifest_json(const std::string & masking, int max_length) {
    return R"({
  "format": "spexlens.model", "format_version": 1, "name": "fake-planted",
  "onnx_sha256": "0000000000000000000000000000000000000000000000000000000000000000",
  "labels": ["other", "planted"],
  "inputs": [
    {"name": "input_ids", "role": "token_ids", "type": "int64", "shape": ["batch", "sequence"]},
    {"name": "attention_mask", "role": "attention_mask", "type": "int64", "shape": ["batch", "sequence"]}
  ],
  "output": {"name": "logits", "type": "float32", "shape": ["batch", 2]},
  "tokenizer": {"kind": "spexlens-words-v1", "max_length": )" +
           std::to_string(max_length) + R"(,
                "special_ids": {"pad": 0, "unk": 1, "cls": 2, "mask": 3}},
  "masking": ")" +
           masking + R"(",
  "target": {"class": "planted", "measure": "log-odds"}
})";
}

spexlens::text::vocabulary fake_vocabulary(const std::vector<std::string> & words) {
    std::string text = "[PAD]\n[UNK]\n[CLS]\n[MASK]\n";
    for (const std::string & w : words) {
        text += w + "\n";
    }
    return spexlens::text::vocabulary::from_text(text);
}

std::vector<float> planted_model::run(const spexlens::text::model_batch & batch) const {
    std::vector<float> logits(batch.rows * 2, 0.0f);
    for (size_t r = 0; r < batch.rows; ++r) {
        std::set<int32_t> present;
        for (size_t j = 0; j < batch.seq_length; ++j) {
            const size_t k = r * batch.seq_length + j;
            if (batch.attention_mask[k] != 0) {
                present.insert(batch.input_ids[k]);
            }
        }
        double value = bias;
        for (const auto & [id, coef] : main) {
            value += present.count(id) ? coef : 0.0;
        }
        for (const auto & [ids, coef] : and_terms) {
            const bool all = std::all_of(ids.begin(), ids.end(), [&](int32_t id) { return present.count(id) > 0; });
            value += all ? coef : 0.0;
        }
        logits[r * 2 + 1] = float(value);
    }
    return logits;
}

std::string fake_component_manifest_json(bool batched, bool with_means) {
    nlohmann::json j   = nlohmann::json::parse(fake_manifest_json());
    const auto     dim = [&](std::vector<nlohmann::json> rest) {
        if (batched) {
            rest.insert(rest.begin(), "batch");
        }
        return rest;
    };
    j["inputs"].push_back({{"name", "head_mask"}, {"role", "head_mask"}, {"type", "float32"}, {"shape", dim({2, 2})}});
    j["inputs"].push_back({{"name", "mlp_mask"}, {"role", "mlp_mask"}, {"type", "float32"}, {"shape", dim({2, 8})}});
    if (batched) {
        j["inputs"].push_back(
            {{"name", "head_offset"}, {"role", "head_offset"}, {"type", "float32"}, {"shape", dim({2, 2, 2})}});
        j["inputs"].push_back(
            {{"name", "mlp_offset"}, {"role", "mlp_offset"}, {"type", "float32"}, {"shape", dim({2, 8})}});
    }
    if (batched && with_means) {
        // Quarters, so every sum the model makes is exact in float.
        j["component_means"] = {{"head", {{{0.5, 9.0}, {0.25, 9.0}}, {{0.75, 9.0}, {-0.5, 9.0}}}},
                                {"mlp", {{0.5, 0.25, 0, 0, 0, 0, 0, 1.5}, {0, 0, 0, 0, 0.5, 0, 0, -0.25}}},
                                {"description", "test means"}};
    }
    return j.dump();
}

std::vector<float> component_model::run(const spexlens::text::model_batch & batch) const {
    const int          heads = fake_layers * fake_heads_per_layer;
    const int          slots = heads + fake_layers * fake_ff;
    std::vector<float> logits(batch.rows * 2, 0.0f);
    for (size_t r = 0; r < batch.rows; ++r) {
        std::vector<double> e(size_t(slots), 1.0);
        for (int s = 0; s < slots; ++s) {
            const bool   head = s < heads;
            const size_t at   = size_t(head ? s : s - heads);
            const auto & mask = head ? batch.head_mask : batch.mlp_mask;
            const auto & off  = head ? batch.head_offset : batch.mlp_offset;
            const size_t per  = size_t(head ? heads : fake_layers * fake_ff);
            const double m    = mask.empty() ? 1.0 : mask[r * per + at];
            const double o    = off.empty() ? 0.0 : off[(r * per + at) * (head ? fake_head_dim : 1)];
            e[size_t(s)]      = m + o;
        }
        double value = bias;
        for (const auto & [ids, coef] : terms) {
            double product = coef;
            for (int id : ids) {
                product *= e[size_t(id)];
            }
            value += product;
        }
        logits[r * 2 + 1] = float(value);
    }
    return logits;
}

}  // namespace spexlens_test
