// probe_set: the layer probe set format (docs/probing.md) — labelled words in texts, for probing
// classifiers on a model's hidden states. A target is a character span [start, end) in code
// points of the text (Python's string indices) with a label; the word holding it is one of the
// explainer's features (the text layer's segmentation).
//
//   probe_set set = parse_probe_set(file_text);   // strict: every mistake is a message
//
// No model and no tokens here: layer_probe_run.h turns a set and a model's hidden states into
// word vectors and probes them.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::layer_probe {

// [SECTION] Limits and errors

constexpr size_t max_set_bytes         = size_t(16) << 20;  // the file
constexpr size_t max_texts             = 5000;
constexpr size_t max_targets           = 20000;  // over all texts
constexpr size_t max_text_bytes        = 20000;  // one text
constexpr size_t max_labels            = 16;
constexpr size_t max_name_bytes        = 200;   // name, labels, ids
constexpr size_t max_description_bytes = 5000;  // description, question

// The format's name and version, the value of "format".
constexpr const char * probe_set_format = "spexlens-layer-probe-set/1";

// A probe set (or a run of one) that cannot be used: what() says where and what to write instead.
struct layer_probe_error : std::runtime_error {
    explicit layer_probe_error(const std::string & what) : std::runtime_error(what) {}
};

// [SECTION] The set

// One labelled word: code point offsets [start, end) into its text, and the index of its label.
struct probe_target {
    size_t start = 0;
    size_t end   = 0;
    size_t label = 0;  // into probe_set::labels
};

// One text and its targets.
struct probe_text {
    std::string               id;
    std::string               text;
    std::vector<probe_target> targets;
};

// A whole probe set as read from its file.
struct probe_set {
    std::string              name;
    std::string              description;
    std::string              question;  // what the probe asks of each target, e.g. "is this medication current?"
    std::vector<std::string> labels;    // 2 .. max_labels distinct names
    std::vector<probe_text>  texts;
    size_t                   targets = 0;  // over all texts
};

// Parses and checks a probe set file. Throws layer_probe_error naming the text and field:
// unknown keys, missing fields, labels not listed, spans outside the text or empty, limits.
probe_set parse_probe_set(std::string_view json_text);

// The word type of a target for the control task: the span's text with ASCII letters lowered.
std::string target_type(const probe_text & text, const probe_target & target);

}  // namespace spexlens::layer_probe
