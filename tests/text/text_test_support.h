// Helpers shared by the text layer's tests: reading data files from the source tree (natively
// and under Node with NODERAWFS), hex decoding, and a small valid manifest to derive cases from.
#pragma once

#include "text/exported_folder.h"
#include "text/model_manifest.h"
#include "text/vocabulary.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace text_test {

inline std::string source_path(const std::string & relative) {
    return std::string(SPEXLENS_SOURCE_DIR) + "/" + relative;
}

inline std::string read_file(const std::string & path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string from_hex(const std::string & hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

// What an optimum-style BERT classifier folder has beside its tokenizer files: onnx/model.onnx
// (with a made-up sha256), the three int64 inputs and [batch, 2] logits.
inline void set_bert_classifier_graph(spexlens::text::exported_folder & f) {
    f.onnx_file   = "onnx/model.onnx";
    f.onnx_sha256 = std::string(64, 'a');
    f.inputs      = {{"input_ids", "int64", {}}, {"attention_mask", "int64", {}}, {"token_type_ids", "int64", {}}};
    f.outputs     = {{"logits", "float32", {-1, 2}}};
}

// The valid fixture tests/text/data/model_valid.json, as JSON to mutate.
inline nlohmann::json valid_manifest_json() {
    return nlohmann::json::parse(read_file(source_path("tests/text/data/model_valid.json")));
}

// A manifest for text tests: the fixture with another window and masking method.
inline spexlens::text::model_manifest test_manifest(int max_length = 128, const char * masking = "attention") {
    nlohmann::json j             = valid_manifest_json();
    j["tokenizer"]["max_length"] = max_length;
    j["masking"]                 = masking;
    return spexlens::text::parse_manifest(j.dump());
}

// Specials at 0-3, then a few words.
inline spexlens::text::vocabulary test_vocabulary() {
    return spexlens::text::vocabulary::from_text("[PAD]\n[UNK]\n[CLS]\n[MASK]\nfree\nmoney\n!\nclick\nhere\n.\n");
}

}  // namespace text_test
