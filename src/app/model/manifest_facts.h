// manifest_facts: what the page's JavaScript needs to know about a model.json the user chose —
// its name, labels, default target, masking, window, checksum and the files it names — read by
// the core's manifest parser (src/text/model_manifest.h), so the glue never parses a manifest
// itself and a manifest the core would refuse is refused at once, with the core's message.
#pragma once

#include <string>

namespace spexlens::app {

// manifest_text: the bytes of a model.json. Returns JSON
//   {"name", "description", "labels": [...], "target": {"class", "measure"}, "onnx_sha256",
//    "masking", "tokenizer": {"kind", "max_length"}, "files": {"onnx", "vocab"}, "sample_text"}
// (the subset of model.json's own fields the page's model picker reads, in model.json's shape),
// or {"error": message} when the parser refuses the manifest. Never throws.
std::string manifest_facts_json(const std::string & manifest_text);

}  // namespace spexlens::app
