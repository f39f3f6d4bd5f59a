// exported_folder: a model folder as Hugging Face transformers / optimum / transformers.js
// export it — `config.json`, `tokenizer.json` (+ `tokenizer_config.json`,
// `special_tokens_map.json`), `model.onnx` or `onnx/model.onnx` — turned into the model.json
// spexlens reads, so a team can explain its model without writing one (docs/hf-tokenizers.md).
// Front ends read the files and ask ONNX Runtime for the graph's inputs and outputs; every
// decision (which ONNX file, which input plays which role, labels, window, masking, target)
// is made here. What cannot be derived is refused with a message saying what to add.
#pragma once

#include "text/model_manifest.h"

#include <string>
#include <vector>

namespace spexlens::text {

// Which of a folder's files (paths relative to the folder, "/" separated) is the model: the one
// ONNX file, else model.onnx, else onnx/model.onnx, else onnx/model_quantized.onnx. Throws
// text_error when there is none, or several with no rule to choose ("the folder has
// onnx/model_fp16.onnx and onnx/model_int8.onnx and spexlens cannot tell which is the model").
std::string choose_onnx_file(const std::vector<std::string> & paths);

// What a front end found in the folder.
struct exported_folder {
    std::string                 name;                     // the folder's name, for people
    std::string                 config_json;              // config.json (required)
    std::string                 tokenizer_json;           // tokenizer.json (required)
    std::string                 tokenizer_config_json;    // "" when absent
    std::string                 special_tokens_map_json;  // "" when absent
    std::string                 onnx_file;                // from choose_onnx_file
    std::string                 onnx_sha256;              // lowercase hex of the ONNX file
    std::vector<runtime_tensor> inputs;                   // the graph's, as ONNX Runtime reports them
    std::vector<runtime_tensor> outputs;
    // The folder's file list ("/" separated); when it holds internals_onnx_file, the manifest
    // gets an internals section naming its standard outputs (checked when a view opens it).
    std::vector<std::string> files;
};

// The internals graph spexlens' teaching models ship beside onnx/model.onnx: the same logits
// plus "attentions" and "hidden_states" (docs/attention.md).
constexpr const char * internals_onnx_file = "onnx/model_internals.onnx";

struct derived_manifest {
    std::string              manifest_json;         // a complete model.json (pretty-printed), parse_manifest accepts it
    std::vector<std::string> notes;                 // what was chosen and why, for people
    bool                     target_asked = false;  // more than two labels: the front end should ask which
};

// Derives model.json. Throws text_error naming the file and field for what is missing or
// inconsistent: no config.json labels, an input no role fits, labels that do not match the
// logits, a tokenizer whose ids exceed the model's embedding.
derived_manifest derive_manifest(const exported_folder & folder);

}  // namespace spexlens::text
