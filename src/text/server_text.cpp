// server_text: see server_text.h.
#include "text/server_text.h"

#include "json/json_text.h"
#include "text/text_error.h"
#include "text/tokenizer.h"

#include <set>

namespace spexlens::text {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string & field, const std::string & what) {
    throw text_error("the server model: " + field + ": " + what);
}

std::vector<std::string> parse_labels(const json & root) {
    if (!root.contains("labels")) {
        fail("labels", "missing; name the outputs of one call, e.g. [\" yes\", \" no\"]");
    }
    const json & labels = root.at("labels");
    if (!labels.is_array() || labels.empty()) {
        fail("labels", "expected a non-empty array of strings, got " + json_shown(labels));
    }
    if (labels.size() > max_server_labels) {
        fail("labels", std::to_string(labels.size()) + " labels; at most " + std::to_string(max_server_labels));
    }
    std::vector<std::string> out;
    std::set<std::string>    seen;
    for (size_t i = 0; i < labels.size(); ++i) {
        const json & l = labels[i];
        if (!l.is_string() || l.get_ref<const std::string &>().empty()) {
            fail("labels[" + std::to_string(i) + "]", "expected a non-empty string, got " + json_shown(l));
        }
        if (!seen.insert(l.get<std::string>()).second) {
            fail("labels[" + std::to_string(i) + "]", "the label " + json_shown(l) + " appears twice");
        }
        out.push_back(l.get<std::string>());
    }
    return out;
}

std::string optional_string(const json & root, const char * key) {
    if (!root.contains(key)) {
        return "";
    }
    const json & v = root.at(key);
    if (!v.is_string()) {
        fail(key, "expected a string, got " + json_shown(v));
    }
    return v.get<std::string>();
}

}  // namespace

bool is_server_text(const model_manifest & manifest) { return manifest.tokenizer == tokenizer_server_text; }

model_manifest parse_server_model(std::string_view json_text) {
    json root;
    try {
        root = parse_bounded_json<json>(json_text);
    } catch (const json_input_error & e) {
        throw text_error(std::string("the server model: not valid JSON: ") + e.what());
    }
    if (!root.is_object()) {
        fail("(top level)", "expected an object, got " + json_shown(root));
    }
    for (const auto & [key, value] : root.items()) {
        if (key != "name" && key != "labels" && key != "description") {
            fail(key, "unknown key; expected name, labels, description");
        }
    }
    model_manifest m;
    m.name        = optional_string(root, "name");
    m.description = optional_string(root, "description");
    m.labels      = parse_labels(root);
    m.tokenizer   = tokenizer_server_text;
    m.onnx_file.clear();
    m.vocab_file.clear();
    // No window of ours: the text limits (prepare_text's max_words) bound a call, the server
    // its own. Words are one token each under the vocabulary-free splitter, plus the [CLS].
    m.max_length = static_cast<int>(text_limits().max_words) * 4 + 2;
    m.pad_id     = 0;
    m.unk_id     = 1;
    m.cls_id     = 2;
    m.mask_id    = 3;
    m.masking    = MASKING_REMOVE;
    return m;
}

model_tokenizer server_text_tokenizer(const model_manifest & manifest) {
    return model_tokenizer::words_v1(manifest, vocabulary::from_text("[PAD]\n[UNK]\n[CLS]\n[MASK]\n"));
}

std::string masked_text(const prepared_text & prepared, const spex::mask_matrix & masks, size_t row) {
    const std::vector<text_feature> & f = prepared.features;
    if (f.empty()) {
        return prepared.text;
    }
    std::string  out(prepared.text, 0, f.front().byte_start);
    const size_t lead    = out.size();
    size_t       gap_end = 0;  // where the text before feature i starts: the end of feature i - 1
    for (size_t i = 0; i < f.size(); ++i) {
        if (masks.keeps(row, int(i))) {
            if (out.size() > lead) {
                out.append(prepared.text, gap_end, f[i].byte_start - gap_end);
            }
            out.append(prepared.text, f[i].byte_start, f[i].byte_end - f[i].byte_start);
        }
        gap_end = f[i].byte_end;
    }
    out.append(prepared.text, f.back().byte_end, std::string::npos);
    return out;
}

void masked_texts(const prepared_text & prepared, const spex::mask_matrix & masks, std::vector<std::string> & out) {
    if (size_t(masks.n) != prepared.features.size()) {
        throw text_error("masks over " + std::to_string(masks.n) + " players for a text of " +
                         std::to_string(prepared.features.size()) + " features");
    }
    out.resize(masks.count);
    for (size_t r = 0; r < masks.count; ++r) {
        out[r] = masked_text(prepared, masks, r);
    }
}

}  // namespace spexlens::text
