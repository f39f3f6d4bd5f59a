// exported_folder: see exported_folder.h. The rules are written down in docs/hf-tokenizers.md
// ("A folder as exported"); each choice also becomes a note the page shows beside the derived
// model.json.
//
// Index
//   [SECTION] JSON and file-name helpers
//   [SECTION] graph input roles
//   [SECTION] labels and sizes from config.json
//   [SECTION] choosing the ONNX file
//   [SECTION] deriving model.json
#include "text/exported_folder.h"

#include "json/json_text.h"
#include "spex/spex_error.h"
#include "text/hf/hf_tokenizer.h"
#include "text/text_error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace spexlens::text {

// [SECTION] JSON and file-name helpers

namespace {

using json = nlohmann::json;

json parse_object(const std::string & text, const char * file) {
    json j;
    try {
        j = parse_bounded_json<json>(text);
    } catch (const json_input_error & e) {
        throw text_error(std::string(file) + ": not valid JSON: " + e.what());
    }
    if (!j.is_object()) {
        throw text_error(std::string(file) + ": expected a JSON object");
    }
    return j;
}

bool ends_with(const std::string & s, const std::string & tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// [SECTION] graph input roles

// The role of a graph input by its standard name (transformers / optimum export names).
bool role_of(const std::string & name, input_role & role) {
    static const std::pair<const char *, input_role> names[] = {{"input_ids", INPUT_TOKEN_IDS},
                                                                {"attention_mask", INPUT_ATTENTION_MASK},
                                                                {"token_type_ids", INPUT_TOKEN_TYPE_IDS},
                                                                {"position_ids", INPUT_POSITION_IDS}};
    for (const auto & [n, r] : names) {
        if (name == n) {
            role = r;
            return true;
        }
    }
    return false;
}

// [SECTION] labels and sizes from config.json

// config.json's labels: id2label ordered by id, every id from 0 present.
std::vector<std::string> labels_of(const json & config) {
    std::vector<std::string> labels;
    if (config.contains("id2label") && config["id2label"].is_object() && !config["id2label"].empty()) {
        std::map<long long, std::string> by_id;
        for (auto it = config["id2label"].begin(); it != config["id2label"].end(); ++it) {
            long long id = -1;
            try {
                size_t used = 0;
                id          = std::stoll(it.key(), &used);
                if (used != it.key().size()) {
                    id = -1;
                }
            } catch (const std::exception &) {
                id = -1;
            }
            if (id < 0 || id > 100000 || !it.value().is_string()) {
                throw text_error("config.json: id2label: expected {\"0\": \"label\", ...}, got key \"" + it.key() +
                                 "\"");
            }
            by_id[id] = it.value().get<std::string>();
        }
        long long expect = 0;
        for (const auto & [id, label] : by_id) {
            if (id != expect++) {
                throw text_error("config.json: id2label: label ids must be 0, 1, 2, ... without gaps; " +
                                 std::to_string(expect - 1) + " is missing");
            }
            labels.push_back(label);
        }
    } else if (config.contains("num_labels") && config["num_labels"].is_number_integer()) {
        const long long n = config["num_labels"].get<long long>();
        if (n < 1 || n > 100000) {
            throw text_error("config.json: num_labels: expected a positive number of classes");
        }
        for (long long i = 0; i < n; ++i) {
            labels.push_back("LABEL_" + std::to_string(i));
        }
    } else {
        throw text_error("config.json: no id2label (or num_labels): spexlens needs the classifier's labels; add "
                         "\"id2label\": {\"0\": \"...\", \"1\": \"...\"} as transformers writes it");
    }
    // Labels must differ for a target to name one.
    for (size_t i = 0; i < labels.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
            if (labels[i] == labels[j]) {
                labels[i] += " (" + std::to_string(i) + ")";
            }
        }
    }
    return labels;
}

int64_t positive_integer(const json & j, const char * key) {
    if (j.contains(key) && j[key].is_number_integer()) {
        const long long v = j[key].get<long long>();
        if (v > 0 && v < (1LL << 40)) {
            return v;
        }
    }
    return 0;
}

}  // namespace

// [SECTION] choosing the ONNX file

std::string choose_onnx_file(const std::vector<std::string> & paths) {
    std::vector<std::string> onnx;
    for (const std::string & p : paths) {
        if (ends_with(p, ".onnx")) {
            onnx.push_back(p);
        }
    }
    if (onnx.empty()) {
        throw text_error("the folder has no .onnx file: export the model to ONNX (e.g. optimum-cli export onnx) and "
                         "add model.onnx");
    }
    if (onnx.size() == 1) {
        return onnx[0];
    }
    for (const char * preferred : {"model.onnx", "onnx/model.onnx", "onnx/model_quantized.onnx"}) {
        if (std::find(onnx.begin(), onnx.end(), preferred) != onnx.end()) {
            return preferred;
        }
    }
    std::sort(onnx.begin(), onnx.end());
    std::string list;
    for (size_t i = 0; i < onnx.size(); ++i) {
        list += (i == 0 ? "" : i + 1 == onnx.size() ? " and " : ", ") + onnx[i];
    }
    throw text_error("the folder has " + list +
                     " and spexlens cannot tell which is the model: keep one, or write a model.json whose "
                     "files.onnx names it");
}

// [SECTION] deriving model.json

namespace {

// tokenizer_config.json, with the roles it leaves out filled from special_tokens_map.json.
json merged_tokenizer_config(const exported_folder & folder) {
    json tokenizer_config = folder.tokenizer_config_json.empty()
                                ? json::object()
                                : parse_object(folder.tokenizer_config_json, "tokenizer_config.json");
    if (!folder.special_tokens_map_json.empty()) {
        const json map = parse_object(folder.special_tokens_map_json, "special_tokens_map.json");
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (!tokenizer_config.contains(it.key())) {
                tokenizer_config[it.key()] = it.value();
            }
        }
    }
    return tokenizer_config;
}

// config.json's first architecture, or "".
// config.json's "model_type" ("bert", ...), "" when absent; refused by name when it is not a
// string (a number or an object there is a broken file, not a model type).
std::string model_type_of(const json & config) {
    const auto it = config.find("model_type");
    if (it == config.end() || it->is_null()) {
        return {};
    }
    if (!it->is_string()) {
        throw text_error(std::string("config.json: \"model_type\" must be a string such as \"bert\", not ") +
                         (it->is_object()  ? "an object"
                          : it->is_array() ? "an array"
                                           : "a " + std::string(it->type_name())));
    }
    return it->get<std::string>();
}

std::string architecture_of(const json & config) {
    if (config.contains("architectures") && config["architectures"].is_array() && !config["architectures"].empty() &&
        config["architectures"][0].is_string()) {
        return config["architectures"][0].get<std::string>();
    }
    return std::string();
}

// Sets the manifest's format, name, description and files.
void describe_model(json & m, const exported_folder & folder, const json & config, const std::string & type,
                    const std::string & arch) {
    m["format"]         = manifest_format;
    m["format_version"] = manifest_format_version;
    std::string name    = folder.name;
    if (name.empty() && config.contains("_name_or_path") && config["_name_or_path"].is_string()) {
        name = config["_name_or_path"].get<std::string>();
    }
    m["name"]        = name.empty() ? "model" : name;
    m["description"] = (arch.empty() ? (type.empty() ? std::string("a classifier") : type) : arch) +
                       " exported for ONNX Runtime; model.json derived by spexlens from config.json and "
                       "tokenizer.json";
    m["files"]       = {{"onnx", folder.onnx_file}, {"vocab", "tokenizer.json"}};
    m["onnx_sha256"] = folder.onnx_sha256;
}

// The graph's inputs by their standard names; throws on an unknown input or a missing one.
json inputs_json(const exported_folder & folder) {
    json                     inputs = json::array();
    std::vector<std::string> unknown;
    bool                     has_ids = false, has_attention = false;
    for (const runtime_tensor & in : folder.inputs) {
        input_role role = INPUT_TOKEN_IDS;
        if (!role_of(in.name, role)) {
            unknown.push_back(in.name);
            continue;
        }
        const std::string t = normalized_type(in.type);
        if (t != "int64" && t != "int32") {
            throw text_error("model.onnx: input \"" + in.name + "\" is " + t + "; spexlens feeds int64 or int32 ids");
        }
        has_ids       = has_ids || role == INPUT_TOKEN_IDS;
        has_attention = has_attention || role == INPUT_ATTENTION_MASK;
        inputs.push_back(
            {{"name", in.name}, {"role", input_role_name(role)}, {"type", t}, {"shape", {"batch", "sequence"}}});
    }
    if (!unknown.empty()) {
        std::string list;
        for (const std::string & u : unknown) {
            list += (list.empty() ? "\"" : ", \"") + u + "\"";
        }
        throw text_error("model.onnx: input " + list +
                         " is not one spexlens knows (input_ids, attention_mask, token_type_ids, position_ids); "
                         "write a model.json that gives each input a role (docs/model-manifest.md), or re-export "
                         "the model without it");
    }
    if (!has_ids || !has_attention) {
        throw text_error(std::string("model.onnx: the graph has no \"") + (has_ids ? "attention_mask" : "input_ids") +
                         "\" input; spexlens feeds input_ids and attention_mask (export with both)");
    }
    return inputs;
}

// The logits: "logits", else the only output; checked against the labels.
json output_json(const exported_folder & folder, const std::vector<std::string> & labels) {
    const runtime_tensor * logits = nullptr;
    for (const runtime_tensor & o : folder.outputs) {
        if (o.name == "logits") {
            logits = &o;
        }
    }
    if (logits == nullptr && folder.outputs.size() == 1) {
        logits = &folder.outputs[0];
    }
    if (logits == nullptr) {
        throw text_error("model.onnx: no output is called \"logits\" and there are " +
                         std::to_string(folder.outputs.size()) +
                         " outputs; export a sequence classifier (logits [batch, labels]) or write a model.json");
    }
    if (normalized_type(logits->type) != "float32") {
        throw text_error("model.onnx: output \"" + logits->name + "\" is " + normalized_type(logits->type) +
                         "; spexlens reads float32 logits");
    }
    if (logits->shape.size() == 2 && logits->shape[1] > 0 && static_cast<size_t>(logits->shape[1]) != labels.size()) {
        throw text_error("config.json: id2label names " + std::to_string(labels.size()) + " labels but the model's \"" +
                         logits->name + "\" has " + std::to_string(logits->shape[1]) +
                         " columns; fix id2label to one label per column");
    }
    if (logits->shape.size() > 2) {
        throw text_error("model.onnx: output \"" + logits->name + "\" has " + std::to_string(logits->shape.size()) +
                         " axes; spexlens explains a classifier's [batch, labels] logits");
    }
    return {{"name", logits->name}, {"type", "float32"}, {"shape", {"batch", static_cast<int64_t>(labels.size())}}};
}

// The window: the position table (RoBERTa-style models keep 2 rows for padding), the
// tokenizer's model_max_length, at most 4096.
int64_t window_of(const json & config, const std::string & type, const hf::tokenizer & tokenizer,
                  std::vector<std::string> & notes) {
    int64_t    window       = positive_integer(config, "max_position_embeddings");
    const bool roberta_like = type == "roberta" || type == "xlm-roberta" || type == "camembert" || type == "longformer";
    if (window > 0 && roberta_like) {
        window -= 2;
    }
    const int64_t tokenizer_max = tokenizer.model_max_length();
    if (tokenizer_max > 0 && (window == 0 || tokenizer_max < window)) {
        window = tokenizer_max;
    }
    if (window == 0) {
        window = 512;
        notes.push_back("neither config.json (max_position_embeddings) nor tokenizer_config.json "
                        "(model_max_length) gives the window; 512 tokens assumed");
    }
    return std::min<int64_t>(std::max<int64_t>(window, 2), 4096);
}

// The manifest's tokenizer entry: kind, window and special ids ([PAD] and [MASK] as the
// tokenizer's config names them); checks the embedding holds every id the tokenizer makes.
json tokenizer_entry(const json & config, const hf::tokenizer & tokenizer, int64_t window, bool & has_mask) {
    json          tok       = {{"kind", tokenizer_hf_json}, {"max_length", window}};
    const int64_t embedding = positive_integer(config, "vocab_size");
    if (embedding > 0 && static_cast<int64_t>(tokenizer.vocab_size()) > embedding) {
        throw text_error(
            "tokenizer.json makes ids up to " + spex::with_commas(static_cast<long long>(tokenizer.vocab_size()) - 1) +
            " but config.json's vocab_size is " + spex::with_commas(embedding) + ": this tokenizer is not the model's");
    }
    json    special = json::object();
    int32_t id      = 0;
    if (tokenizer.special_token_id("pad_token", id)) {
        special["pad"] = id;
    } else if (config.contains("pad_token_id") && config["pad_token_id"].is_number_integer() &&
               config["pad_token_id"].get<long long>() >= 0 && config["pad_token_id"].get<long long>() < INT32_MAX) {
        special["pad"] = config["pad_token_id"];
    }
    has_mask = tokenizer.special_token_id("mask_token", id);
    if (has_mask) {
        special["mask"] = id;
    }
    if (!special.empty()) {
        tok["special_ids"] = special;
    }
    return tok;
}

// Masking: a model pre-trained with a mask token (BERT-style) has seen [MASK] where words
// were missing, so that is the default; a model without one gets its words removed, which
// keeps the input ordinary text. Neither saw attention-masked inputs unless trained so.
void choose_masking(json & m, bool has_mask, std::vector<std::string> & notes) {
    if (has_mask) {
        m["masking"] = "mask_token";
        notes.push_back("masking: mask_token (the tokenizer has a mask token, so the model was most likely "
                        "pre-trained to read it where words are missing); switch to remove or attention if "
                        "it was trained otherwise");
    } else {
        m["masking"] = "remove";
        notes.push_back("masking: remove (the tokenizer has no mask token; hidden words are deleted, so every "
                        "masked input is ordinary text); switch to attention if the model was trained with "
                        "attention masking");
    }
}

// Target: for two labels the second (the "positive" class by convention), else the first,
// and the front end asks.
void choose_target(json & m, const std::vector<std::string> & labels, derived_manifest & out) {
    const bool two = labels.size() == 2;
    m["target"]    = {{"class", two ? labels[1] : labels[0]}, {"measure", labels.size() == 1 ? "logit" : "log-odds"}};
    if (labels.size() > 2) {
        out.target_asked = true;
        out.notes.push_back("target: " + std::to_string(labels.size()) +
                            " labels; which one to explain is asked "
                            "(the first, \"" +
                            labels[0] + "\", until you choose)");
    } else if (two) {
        out.notes.push_back("target: " + labels[1] + " (log-odds against " + labels[0] + ")");
    }
}

}  // namespace

derived_manifest derive_manifest(const exported_folder & folder) {
    derived_manifest out;
    const json       config    = parse_object(folder.config_json, "config.json");
    const auto       tokenizer = hf::tokenizer::parse(folder.tokenizer_json, merged_tokenizer_config(folder).dump());

    json              m;
    const std::string type = model_type_of(config);
    const std::string arch = architecture_of(config);
    describe_model(m, folder, config, type, arch);
    const std::vector<std::string> labels = labels_of(config);  // against the logits
    m["labels"]                           = labels;
    m["inputs"]                           = inputs_json(folder);
    m["output"]                           = output_json(folder, labels);
    bool has_mask                         = false;
    m["tokenizer"] = tokenizer_entry(config, *tokenizer, window_of(config, type, *tokenizer, out.notes), has_mask);
    choose_masking(m, has_mask, out.notes);
    choose_target(m, labels, out);

    // Internals: the teaching models' second graph, opened only when a view asks for it.
    if (std::find(folder.files.begin(), folder.files.end(), internals_onnx_file) != folder.files.end() &&
        folder.onnx_file != internals_onnx_file) {
        m["internals"] = {
            {"onnx", internals_onnx_file}, {"attentions", "attentions"}, {"hidden_states", "hidden_states"}};
        out.notes.push_back(std::string("internals: ") + internals_onnx_file +
                            " (outputs attentions and hidden_states, checked when the attention view opens it)");
    }

    m["derived"]      = {{"from", {"config.json", "tokenizer.json"}},
                         {"tokenizer", tokenizer->description()},
                         {"model_type", type},
                         {"architecture", arch},
                         {"notes", out.notes}};
    out.manifest_json = m.dump(2);
    parse_manifest(out.manifest_json);  // what was derived must be a manifest spexlens reads
    return out;
}

}  // namespace spexlens::text
