// server_text: explaining a model that runs behind an inference server which takes text, not
// token ids (an LLM behind an OpenAI-compatible API, a classifier behind Text Embeddings
// Inference or the Open Inference Protocol; docs/remote-inference.md). The players are the
// text's words (or sentences) as the spexlens-words-v1 splitter finds them; each model call is
// one masked text, the text with the masked features' characters removed; the server tokenizes.
//
//   model_manifest m = parse_server_model(R"({"name": "llama", "labels": [" yes", " no"]})");
//   model_tokenizer t = server_text_tokenizer(m);
//   text_explainer x(text, m, t, options);  // its batches carry `texts` instead of tensors
#pragma once

#include "spex/mask_matrix.h"
#include "text/model_manifest.h"
#include "text/model_tokenizer.h"
#include "text/prepared_text.h"

#include <string>
#include <string_view>
#include <vector>

namespace spexlens::text {

// model_manifest::tokenizer of a server-text model. Never read from a model.json: only
// parse_server_model makes such a manifest.
constexpr const char * tokenizer_server_text = "server-text";

// At most this many labels (outputs per call) for a server-text model.
constexpr size_t max_server_labels = 1000;

// True for a manifest made by parse_server_model.
bool is_server_text(const model_manifest & manifest);

// The manifest of a model behind a server, from {"name": "...", "labels": ["A", "B", ...],
// "description": "...", "default_target": "LABEL:MEASURE"} (name and description optional;
// the measure defaults to log-odds of the first label). Throws text_error naming the field:
// no labels, a label that is not a non-empty string, duplicate labels, more than
// max_server_labels, malformed JSON.
model_manifest parse_server_model(std::string_view json_text);

// The splitter of a server-text model: spexlens-words-v1's word rules with no vocabulary, so
// every word is one feature and no window cuts the text (the server's own limits apply).
model_tokenizer server_text_tokenizer(const model_manifest & manifest);

// Row `row` of `masks` applied to the text: the kept features in order, each preceded by the
// text between it and the feature before it (kept or not), with the text before the first
// feature and after the last one always kept. A masked feature's characters are removed.
std::string masked_text(const prepared_text & prepared, const spex::mask_matrix & masks, size_t row);

// masked_text for every row (clears and fills `out`). Throws text_error if masks.n differs
// from the number of features.
void masked_texts(const prepared_text & prepared, const spex::mask_matrix & masks, std::vector<std::string> & out);

}  // namespace spexlens::text
