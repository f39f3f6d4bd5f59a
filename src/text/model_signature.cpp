// model_signature: check_model_signature (model_manifest.h). A manifest written by hand can
// name inputs that the exported graph calls differently; the runtime would then fail with its
// own terse error. Here every mismatch is collected into one message, so one edit fixes all.
#include "text/model_manifest.h"

namespace spexlens::text {

std::string normalized_type(const std::string & type) {
    std::string t = type;
    if (t.rfind("tensor(", 0) == 0 && !t.empty() && t.back() == ')') {
        t = t.substr(7, t.size() - 8);
    }
    if (t == "float") {
        return "float32";
    }
    if (t == "double") {
        return "float64";
    }
    return t;
}

namespace {

const runtime_tensor * find_tensor(const std::vector<runtime_tensor> & tensors, const std::string & name) {
    for (const runtime_tensor & t : tensors) {
        if (t.name == name) {
            return &t;
        }
    }
    return nullptr;
}

std::string list_tensors(const std::vector<runtime_tensor> & tensors) {
    if (tensors.empty()) {
        return "(none)";
    }
    std::string s;
    for (const runtime_tensor & t : tensors) {
        s += (s.empty() ? "" : ", ") + t.name + " (" + normalized_type(t.type) + ")";
    }
    return s;
}

}  // namespace

std::string check_model_signature(const model_manifest & manifest, const std::vector<runtime_tensor> & inputs,
                                  const std::vector<runtime_tensor> & outputs) {
    std::vector<std::string> problems;
    for (size_t i = 0; i < manifest.inputs.size(); ++i) {
        const tensor_spec & spec = manifest.inputs[i];
        const std::string   where =
            "input \"" + spec.name + "\" (inputs[" + std::to_string(i) + "], role " + input_role_name(spec.role) + ")";
        const runtime_tensor * real = find_tensor(inputs, spec.name);
        if (real == nullptr) {
            problems.push_back(where + ": the model has no input of that name; its inputs are " + list_tensors(inputs));
        } else if (normalized_type(real->type) != tensor_type_name(spec.type)) {
            problems.push_back(where + ": the manifest says " + tensor_type_name(spec.type) + ", the model takes " +
                               normalized_type(real->type));
        }
    }
    for (const runtime_tensor & real : inputs) {
        bool listed = false;
        for (const tensor_spec & spec : manifest.inputs) {
            listed = listed || spec.name == real.name;
        }
        if (!listed) {
            problems.push_back("the model takes input \"" + real.name + "\" (" + normalized_type(real.type) +
                               "), which the manifest does not list; spexlens can feed only the roles token_ids, "
                               "attention_mask, token_type_ids, position_ids, head_mask, mlp_mask, head_offset and "
                               "mlp_offset, so list it with its role or re-export the model without it");
        }
    }
    const runtime_tensor * out = find_tensor(outputs, manifest.output.name);
    if (out == nullptr) {
        problems.push_back("output \"" + manifest.output.name +
                           "\": the model has no output of that name; its outputs are " + list_tensors(outputs));
    } else if (normalized_type(out->type) != tensor_type_name(manifest.output.type)) {
        problems.push_back("output \"" + manifest.output.name + "\": the manifest says " +
                           tensor_type_name(manifest.output.type) + ", the model gives " + normalized_type(out->type));
    }
    if (problems.empty()) {
        return "";
    }
    std::string message = "model.json does not match the ONNX model (" + std::to_string(problems.size()) +
                          (problems.size() == 1 ? " problem" : " problems") + "):";
    for (const std::string & p : problems) {
        message += "\n  - " + p;
    }
    message += "\nEdit the manifest's inputs and output to the model's real names and types listed above "
               "(docs/model-manifest.md).";
    return message;
}

}  // namespace spexlens::text
