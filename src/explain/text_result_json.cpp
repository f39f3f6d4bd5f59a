#include "explain/text_result_json.h"

#include "text/model_batch.h"

#include <string>

namespace spexlens {

namespace {

ordered_json json_features(const text::prepared_text & prepared) {
    ordered_json out = ordered_json::array();
    for (const text::text_feature & f : prepared.features) {
        ordered_json item;
        item["text"]       = f.text;
        item["start"]      = f.start;
        item["end"]        = f.end;
        item["byte_start"] = f.byte_start;
        item["byte_end"]   = f.byte_end;
        out.push_back(item);
    }
    return out;
}

ordered_json json_window(const text::window_report & w) {
    ordered_json out;
    out["policy"]           = text::long_text_policy_name(w.policy);
    out["max_length"]       = w.max_length;
    out["tokens_total"]     = w.tokens_total;
    out["tokens_used"]      = w.tokens_used;
    out["features_total"]   = w.features_total;
    out["features_used"]    = w.features_used;
    out["truncated"]        = w.truncated;
    out["unexplained_from"] = w.truncated ? ordered_json(w.unexplained_from) : ordered_json(nullptr);
    return out;
}

std::string target_label(const text::model_manifest & manifest, const text::target_spec & target) {
    return manifest.labels.at(size_t(target.class_index));
}

}  // namespace

void add_text_fields(ordered_json & result, const text_result_context & c) {
    const std::string label   = target_label(c.manifest, c.target);
    const std::string measure = text::target_measure_name(c.target.measure);

    result["players"]     = "text";
    result["granularity"] = text::granularity_name(c.prepared.granularity);
    result["text"]        = c.prepared.text;
    result["features"]    = json_features(c.prepared);
    result["window"]      = json_window(c.prepared.window);

    ordered_json model;
    model["name"]    = c.manifest.name;
    model["sha256"]  = c.manifest.onnx_sha256;
    model["labels"]  = c.manifest.labels;
    model["masking"] = text::masking_method_name(c.manifest.masking);
    // Masked tokens left out of the model's input (positions kept) rather than given attention 0.
    model["dropped_masked_tokens"] = text::drops_masked_tokens(c.manifest);
    result["model"]                = model;

    ordered_json target;
    target["class"]       = label;
    target["class_index"] = c.target.class_index;
    target["measure"]     = measure;
    result["target"]      = target;

    result["full_value"]     = json_number(c.full_value);
    result["baseline_value"] = json_number(c.baseline_value);
    result["interpretation"] =
        "How this model's " + measure + " for \"" + label + "\" responds when these " +
        text::granularity_name(c.prepared.granularity) +
        "s are masked: sensitivity of this model's output, measured by masking, with the faithfulness R^2 "
        "above. It is correlational evidence about this model on this text, not the model's mechanism or "
        "reasoning.";

    for (const std::string & note : c.prepared.notes) {
        result["notes"].push_back(note);
    }
}

}  // namespace spexlens
