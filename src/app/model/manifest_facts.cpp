// manifest_facts: see manifest_facts.h.
#include "app/model/manifest_facts.h"

#include "text/model_manifest.h"

#include <nlohmann/json.hpp>

#include <exception>

namespace spexlens::app {

std::string manifest_facts_json(const std::string & manifest_text) {
    using nlohmann::ordered_json;
    try {
        const text::model_manifest m = text::parse_manifest(manifest_text);
        const int                  c = m.default_target.class_index;
        ordered_json               facts;
        facts["name"]        = m.name;
        facts["description"] = m.description;
        facts["labels"]      = m.labels;
        facts["target"]      = {{"class", c >= 0 && c < int(m.labels.size()) ? m.labels[size_t(c)] : std::string()},
                                {"measure", text::target_measure_name(m.default_target.measure)}};
        facts["onnx_sha256"] = m.onnx_sha256;
        facts["masking"]     = text::masking_method_name(m.masking);
        facts["tokenizer"]   = {{"kind", m.tokenizer}, {"max_length", m.max_length}};
        facts["files"]       = {{"onnx", m.onnx_file}, {"vocab", m.vocab_file}};
        // A sample the model's author wrote for it (passed through from model.json), if any.
        const auto sample    = m.info.find("sample_text");
        facts["sample_text"] = sample != m.info.end() && sample->is_string() ? sample->get<std::string>() : "";
        return facts.dump();
    } catch (const std::exception & e) {
        return ordered_json{{"error", e.what()}}.dump();
    }
}

}  // namespace spexlens::app
