// Synthetic results for the component-explanation tests (tests/app and tests/app_ui), written
// to docs/components.md: features with kind / layer / head or first / count in the documented
// order (heads layer by layer, then neuron groups layer by layer), the "components" object,
// and a Fourier surrogate with first-order terms, one strong pair and one triple. A word
// result for the same text and model goes with it, for the side-by-side view.
#pragma once

#include "report/result_json.h"

#include <algorithm>
#include <string>

namespace component_fixture {

struct options {
    int         layers   = 2;
    int         heads    = 4;
    int         ff       = 128;
    int         group    = 8;
    std::string set      = "heads+mlp";  // "heads", "mlp"
    std::string ablation = "zero";
    std::string text     = "Win a free prize now, click here";
    std::string sha256   = std::string(64, 'b');
};

inline spexlens::ordered_json base_result(int n, const options & o) {
    spexlens::ordered_json r;
    r["schema"]         = "spexlens.result";
    r["schema_version"] = 1;
    r["method"]         = "spex";
    r["n"]              = n;
    r["t"]              = 5;
    r["b"]              = 5;
    r["decoder"]        = "soft";
    r["seed"]           = 7;
    r["budget"]         = nullptr;
    r["queries"]        = 1920;
    r["faithfulness"]   = {{"r2", 0.87}, {"holdout", 500}};
    r["timing_ms"]      = {{"total", 2100.0}, {"sampling", 2000.0}};
    r["text"]           = o.text;
    r["model"]          = {{"name", "spam-transformer"}, {"sha256", o.sha256}, {"labels", {"ham", "spam"}}};
    r["target"]         = {{"class", "spam"}, {"class_index", 1}, {"measure", "log-odds"}};
    r["full_value"]     = 2.5;
    r["baseline_value"] = -1.0;
    return r;
}

// Player i's first-order coefficient; player 6 is the strongest single player.
inline double first_order(int i) { return i == 6 ? -1.5 : 0.05 * ((i * 7) % 11 - 5); }

inline spexlens::ordered_json component_result(const options & o = {}) {
    spexlens::ordered_json features = spexlens::ordered_json::array();
    if (o.set != "mlp") {
        for (int l = 0; l < o.layers; ++l) {
            for (int h = 0; h < o.heads; ++h) {
                features.push_back({{"text", "L" + std::to_string(l) + ".H" + std::to_string(h)},
                                    {"kind", "head"},
                                    {"layer", l},
                                    {"head", h}});
            }
        }
    }
    if (o.set != "heads") {
        for (int l = 0; l < o.layers; ++l) {
            for (int first = 0; first < o.ff; first += o.group) {
                const int   count = std::min(o.group, o.ff - first);
                std::string name  = "L" + std::to_string(l) + ".mlp[" + std::to_string(first);
                name += count == 1 ? "]" : ":" + std::to_string(first + count) + "]";
                features.push_back({{"text", name}, {"kind", "mlp"}, {"layer", l}, {"first", first}, {"count", count}});
            }
        }
    }
    const int              n       = int(features.size());
    spexlens::ordered_json r       = base_result(n, o);
    r["granularity"]               = "component";
    r["players"]                   = "components";
    r["features"]                  = features;
    r["components"]                = {{"layers", o.layers}, {"heads", o.heads}, {"ff", o.ff},
                                      {"group", o.group},   {"set", o.set},     {"ablation", o.ablation}};
    spexlens::ordered_json fourier = spexlens::ordered_json::array();
    fourier.push_back({{"set", spexlens::ordered_json::array()}, {"coef", 0.5}});
    for (int i = 0; i < n; ++i) {
        fourier.push_back({{"set", {i}}, {"coef", first_order(i)}});
    }
    // With heads and neurons, player 12 is L0.mlp[32:40]: the pair reads "L1.H2 ∧ L0.mlp[32:40]".
    fourier.push_back({{"set", {6, std::min(12, n - 1)}}, {"coef", -3.1}});
    fourier.push_back({{"set", {0, 1, 5}}, {"coef", 0.8}});
    r["fourier"] = fourier;
    return r;
}

// A word result on the same text and model: one feature per space-separated word.
inline spexlens::ordered_json word_result(const options & o = {}) {
    spexlens::ordered_json features = spexlens::ordered_json::array();
    int                    start    = 0;
    for (size_t i = 0; i <= o.text.size(); ++i) {
        if (i == o.text.size() || o.text[i] == ' ') {
            features.push_back(
                {{"text", o.text.substr(size_t(start), i - size_t(start))}, {"start", start}, {"end", int(i)}});
            start = int(i) + 1;
        }
    }
    const int              n       = int(features.size());
    spexlens::ordered_json r       = base_result(n, o);
    r["granularity"]               = "word";
    r["players"]                   = "text";
    r["features"]                  = features;
    spexlens::ordered_json fourier = spexlens::ordered_json::array();
    fourier.push_back({{"set", spexlens::ordered_json::array()}, {"coef", 0.2}});
    for (int i = 0; i < n; ++i) {
        fourier.push_back({{"set", {i}}, {"coef", 0.3 * (i % 3 - 1)}});
    }
    fourier.push_back({{"set", {1, 3}}, {"coef", 0.6}});
    r["fourier"] = fourier;
    return r;
}

// A valid manifest (docs/model-manifest.md) with component inputs (docs/components.md): masks
// batched or not, offsets, and means sized like the offsets. Means need offsets to be fed
// through, so `means` without `offsets` is a manifest the core refuses.
inline std::string manifest(bool batched, bool offsets, bool means, int layers = 2, int heads = 4, int ff = 128) {
    using spexlens::ordered_json;
    const auto shape = [&](ordered_json dims) {
        if (batched) {
            dims.insert(dims.begin(), "batch");
        }
        return dims;
    };
    const auto input = [](const char * name, const char * type, ordered_json dims) {
        return ordered_json{{"name", name}, {"role", name}, {"type", type}, {"shape", dims}};
    };
    ordered_json inputs = ordered_json::array();
    inputs.push_back(
        {{"name", "input_ids"}, {"role", "token_ids"}, {"type", "int64"}, {"shape", {"batch", "sequence"}}});
    inputs.push_back(input("attention_mask", "int64", {"batch", "sequence"}));
    inputs.push_back(input("head_mask", "float32", shape({layers, heads})));
    inputs.push_back(input("mlp_mask", "float32", shape({layers, ff})));
    if (offsets) {
        inputs.push_back(input("head_offset", "float32", {"batch", layers, heads, 16}));
        inputs.push_back(input("mlp_offset", "float32", {"batch", layers, ff}));
    }
    ordered_json m = {{"format", "spexlens.model"},
                      {"format_version", 1},
                      {"name", "spam-transformer"},
                      {"onnx_sha256", std::string(64, 'b')},
                      {"labels", {"ham", "spam"}},
                      {"inputs", inputs},
                      {"output", {{"name", "logits"}, {"type", "float32"}, {"shape", {"batch", 2}}}},
                      {"tokenizer",
                       {{"kind", "spexlens-words-v1"},
                        {"max_length", 128},
                        {"special_ids", {{"pad", 0}, {"unk", 1}, {"cls", 2}, {"mask", 3}}}}},
                      {"masking", "attention"},
                      {"target", {{"class", "spam"}, {"measure", "log-odds"}}}};
    if (means) {
        const ordered_json head_dim(std::vector<double>(16, 0.25));
        m["component_means"] = {
            {"head", ordered_json(std::vector<ordered_json>(
                         size_t(layers), ordered_json(std::vector<ordered_json>(size_t(heads), head_dim))))},
            {"mlp", ordered_json(
                        std::vector<ordered_json>(size_t(layers), ordered_json(std::vector<double>(size_t(ff), 0.5))))},
            {"description", "test"}};
    }
    return m.dump();
}

}  // namespace component_fixture
