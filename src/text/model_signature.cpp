// model_signature: check_model_signature (model_manifest.h). A manifest written by hand can
// name inputs that the exported graph calls differently; the runtime would then fail with its
// own terse error. Here every mismatch is collected into one message, so one edit fixes all.
#include "text/model_manifest.h"

#include <string>
#include <string_view>
#include <utility>

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

std::string check_internals_signature(const model_manifest & manifest, const std::vector<runtime_tensor> & inputs,
                                      const std::vector<runtime_tensor> & outputs) {
    const internals_spec &                       in = manifest.internals;
    std::vector<std::string>                     problems;
    const std::pair<const std::string *, size_t> declared[] = {{&in.attentions, 5}, {&in.hidden_states, 4}};
    for (const auto & [name, rank] : declared) {
        if (name->empty()) {
            continue;
        }
        const std::string where =
            "output \"" + *name + "\" (internals." + (rank == 5 ? "attentions" : "hidden_states") + ")";
        const runtime_tensor * real = find_tensor(outputs, *name);
        if (real == nullptr) {
            problems.push_back(where + ": the graph has no output of that name; its outputs are " +
                               list_tensors(outputs));
        } else if (!real->type.empty() && normalized_type(real->type) != "float32") {
            problems.push_back(where + ": the graph gives " + normalized_type(real->type) + ", spexlens reads float32");
        } else if (!real->shape.empty() && real->shape.size() != rank) {
            problems.push_back(where + ": the graph gives " + std::to_string(real->shape.size()) + " axes, expected " +
                               std::to_string(rank) +
                               (rank == 5 ? " [layers, batch, heads, seq, seq]" : " [layers + 1, batch, seq, hidden]"));
        }
    }
    for (const tensor_spec & spec : manifest.inputs) {
        if (find_tensor(inputs, spec.name) == nullptr) {
            problems.push_back("input \"" + spec.name +
                               "\": the model takes it but the internals graph does not; its " + "inputs are " +
                               list_tensors(inputs));
        }
    }
    if (problems.empty()) {
        return "";
    }
    std::string message = in.onnx_file + " does not match model.json's internals section:";
    for (const std::string & p : problems) {
        message += "\n  - " + p;
    }
    message += "\nExport the internals graph with the model's inputs and these outputs, or correct the names in "
               "internals (docs/model-manifest.md).";
    return message;
}

namespace {

// The non-negative integer written right after `key` in `text`, or -1.
long long integer_after(std::string_view text, std::string_view key, size_t from = 0) {
    const size_t at = text.find(key, from);
    if (at == std::string_view::npos) {
        return -1;
    }
    long long value  = 0;
    size_t    digits = 0;
    for (size_t k = at + key.size(); k < text.size() && text[k] >= '0' && text[k] <= '9' && digits < 18; ++k) {
        value = value * 10 + (text[k] - '0');
        ++digits;
    }
    return digits == 0 ? -1 : value;
}

}  // namespace

std::string describe_runtime_error(std::string_view message, size_t vocab_size) {
    constexpr size_t  shown_max = 1200;
    const std::string shown =
        message.size() > shown_max ? std::string(message.substr(0, shown_max)) + "\xE2\x80\xA6" : std::string(message);
    // Gather on the token embedding with an id past its rows: ORT states the id and the range.
    if (message.find("Gather") != std::string_view::npos &&
        message.find("out of data bounds") != std::string_view::npos) {
        const long long id    = integer_after(message, "idx=");
        const size_t    range = message.find("inclusive range [");
        const long long last  = range == std::string_view::npos ? -1 : integer_after(message, ",", range);
        if (id >= 0 && last >= 0 && id > last) {
            return "the model's embedding table has " + std::to_string(last + 1) +
                   " rows, but the vocabulary gave it token id " + std::to_string(id) + " (the vocabulary has " +
                   std::to_string(vocab_size) +
                   " entries): the vocabulary or tokenizer.json is not the one this ONNX file was exported with. "
                   "Use the files exported together with the model. (ONNX Runtime: " +
                   shown + ")";
        }
    }
    return "ONNX Runtime could not run the model: " + shown +
           ". Check that the model runs on the same input outside spexlens (e.g. with onnxruntime in Python).";
}

}  // namespace spexlens::text
