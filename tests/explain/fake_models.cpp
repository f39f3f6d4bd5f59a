#include "fake_models.h"

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

}  // namespace spexlens_test
