// model_manifest: parsing and validating model.json (docs/model-manifest.md). Every check
// names the field it is about, in the file's own path syntax ("inputs[1].type"), and says what
// was expected, because the person reading the error is editing that file by hand.
//
// Index
//   [SECTION] errors and field readers
//   [SECTION] inputs: roles, types and shapes
//   [SECTION] component means, internals
//   [SECTION] output, tokenizer and target
//   [SECTION] names and lookups: types, roles, masking methods
//   [SECTION] parsing model.json
#include "text/model_manifest.h"

#include "json/json_text.h"
#include "text/text_error.h"
#include "text/tokenizer.h"

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>

namespace spexlens::text {

using nlohmann::json;

// [SECTION] errors and field readers

namespace {

[[noreturn]] void fail(const std::string & field, const std::string & what) {
    throw text_error("model.json: " + field + ": " + what);
}

// A value as the user wrote it, shortened: "got \"int8\"", "got 128.5", "got [1,2]".
std::string shown(const json & v) { return json_shown(v); }

const json & required(const json & object, const char * key, const std::string & field) {
    const auto it = object.find(key);
    if (it == object.end()) {
        fail(field, "missing (required; see docs/model-manifest.md)");
    }
    return *it;
}

const json & required_object(const json & object, const char * key, const std::string & field) {
    const json & v = required(object, key, field);
    if (!v.is_object()) {
        fail(field, "expected an object, got " + shown(v));
    }
    return v;
}

std::string as_string(const json & v, const std::string & field) {
    if (!v.is_string()) {
        fail(field, "expected a string, got " + shown(v));
    }
    return v.get<std::string>();
}

std::string as_nonempty_string(const json & v, const std::string & field) {
    std::string s = as_string(v, field);
    if (s.empty()) {
        fail(field, "must not be empty");
    }
    return s;
}

int64_t as_integer(const json & v, const std::string & field, int64_t lo, int64_t hi) {
    if (!v.is_number_integer()) {
        fail(field, "expected an integer, got " + shown(v));
    }
    const bool    too_big = v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi);
    const int64_t x       = too_big ? hi : v.get<int64_t>();
    if (too_big || x < lo || x > hi) {
        fail(field,
             "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " + shown(v));
    }
    return x;
}

// A file named relative to the manifest's folder; front ends join it to that folder, so it
// must not climb out of it.
std::string as_file_name(const json & v, const std::string & field) {
    const std::string s        = as_nonempty_string(v, field);
    const bool        absolute = s[0] == '/' || s[0] == '\\' || (s.size() > 1 && s[1] == ':');
    if (absolute || s == ".." || s.rfind("../", 0) == 0 || s.rfind("..\\", 0) == 0 ||
        s.find("/../") != std::string::npos || s.find("\\..\\") != std::string::npos) {
        fail(field, "expected a file name relative to the manifest's folder, got " + shown(v));
    }
    return s;
}

bool is_lower_hex_sha256(const std::string & s) {
    if (s.size() != 64) {
        return false;
    }
    for (const char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

// [SECTION] inputs: roles, types and shapes

bool parse_input_role(std::string_view name, input_role & out) {
    for (input_role r : {INPUT_TOKEN_IDS, INPUT_ATTENTION_MASK, INPUT_HEAD_MASK, INPUT_MLP_MASK, INPUT_HEAD_OFFSET,
                         INPUT_MLP_OFFSET, INPUT_TOKEN_TYPE_IDS, INPUT_POSITION_IDS}) {
        if (name == input_role_name(r)) {
            out = r;
            return true;
        }
    }
    return false;
}

tensor_type parse_type_field(const json & v, const std::string & field) {
    const std::string s = as_string(v, field);
    tensor_type       t = TENSOR_INT64;
    if (!parse_tensor_type(s, t)) {
        fail(field, "expected int32, int64 or float32, got " + shown(v));
    }
    return t;
}

// One shape entry: a positive integer, or a name for a dynamic axis (stored as -1).
int64_t parse_dim(const json & v, const std::string & field) {
    if (v.is_string() && !v.get<std::string>().empty()) {
        return -1;
    }
    if (v.is_number_integer()) {
        return as_integer(v, field, 1, std::numeric_limits<int32_t>::max());
    }
    fail(field, "expected a positive integer or an axis name such as \"batch\", got " + shown(v));
}

std::vector<int64_t> parse_shape(const json & v, const std::string & field, size_t rank, const char * meaning) {
    if (!v.is_array()) {
        fail(field, "expected an array such as " + std::string(meaning) + ", got " + shown(v));
    }
    if (v.size() != rank) {
        fail(field, "expected " + std::to_string(rank) + " axes, " + meaning + ", got " + shown(v));
    }
    std::vector<int64_t> shape;
    for (size_t i = 0; i < v.size(); ++i) {
        shape.push_back(parse_dim(v[i], field + "[" + std::to_string(i) + "]"));
    }
    return shape;
}

// Component inputs: every axis but a leading batch axis has a fixed size, since spexlens builds
// their blocks itself. Masks may leave the batch axis out (one ablation per call, enough for
// word explanations); offsets exist only for per-row ablation, so they must have it.
std::vector<int64_t> parse_component_shape(const json & shape, const std::string & field, input_role role) {
    const char * meaning       = role == INPUT_HEAD_MASK     ? "[\"batch\", layers, heads]"
                                 : role == INPUT_MLP_MASK    ? "[\"batch\", layers, ff]"
                                 : role == INPUT_HEAD_OFFSET ? "[\"batch\", layers, heads, head_dim]"
                                                             : "[\"batch\", layers, ff]";
    const size_t batched_rank  = role == INPUT_HEAD_OFFSET ? 4 : 3;
    const bool   may_omit_rows = role == INPUT_HEAD_MASK || role == INPUT_MLP_MASK;
    if (!shape.is_array() || (shape.size() != batched_rank && !(may_omit_rows && shape.size() == batched_rank - 1))) {
        fail(field, "expected " + std::to_string(batched_rank) + " axes, " + meaning + ", got " + shown(shape));
    }
    std::vector<int64_t> out;
    for (size_t i = 0; i < shape.size(); ++i) {
        out.push_back(parse_dim(shape[i], field + "[" + std::to_string(i) + "]"));
        const bool batch_axis = shape.size() == batched_rank && i == 0;
        if (batch_axis && out.back() != -1) {
            fail(field + "[0]", std::string("the batch axis must be dynamic (a name such as \"batch\"), ") + meaning);
        }
        if (!batch_axis && out.back() == -1) {
            fail(field + "[" + std::to_string(i) + "]",
                 std::string("expected a positive integer (the input is ") + meaning + "), got " + shown(shape[i]));
        }
    }
    return out;
}

tensor_spec parse_input(const json & v, const std::string & field) {
    if (!v.is_object()) {
        fail(field, "expected an object with name, role, type and shape, got " + shown(v));
    }
    tensor_spec t;
    t.name                       = as_nonempty_string(required(v, "name", field + ".name"), field + ".name");
    const std::string role_field = field + ".role";
    const json &      role       = required(v, "role", role_field);
    if (!parse_input_role(as_string(role, role_field), t.role)) {
        fail(role_field,
             "expected token_ids, attention_mask, token_type_ids, position_ids, head_mask, mlp_mask, head_offset or "
             "mlp_offset, got " +
                 shown(role));
    }
    const std::string type_field  = field + ".type";
    t.type                        = parse_type_field(required(v, "type", type_field), type_field);
    const std::string shape_field = field + ".shape";
    const json &      shape       = required(v, "shape", shape_field);

    if (t.role == INPUT_TOKEN_IDS || t.role == INPUT_ATTENTION_MASK || t.role == INPUT_TOKEN_TYPE_IDS ||
        t.role == INPUT_POSITION_IDS) {
        if (t.type == TENSOR_FLOAT32) {
            fail(type_field,
                 std::string("a ") + input_role_name(t.role) + " input must be int32 or int64, got \"float32\"");
        }
        // spexlens feeds [CLS] + the text's tokens, unpadded, in batches of any size: both
        // axes vary from call to call.
        t.shape = parse_shape(shape, shape_field, 2, "[\"batch\", \"sequence\"]");
        for (size_t i = 0; i < 2; ++i) {
            if (t.shape[i] != -1) {
                fail(shape_field + "[" + std::to_string(i) + "]",
                     std::string("the ") + (i == 0 ? "batch" : "sequence") +
                         " axis must be dynamic (a name such as \"" + (i == 0 ? "batch" : "sequence") +
                         "\"): spexlens feeds unpadded inputs in batches of varying size; export the model with "
                         "dynamic axes");
            }
        }
    } else {
        if (t.type != TENSOR_FLOAT32) {
            fail(type_field, std::string("a ") + input_role_name(t.role) + " input must be float32, got \"" +
                                 tensor_type_name(t.type) + "\"");
        }
        t.shape = parse_component_shape(shape, shape_field, t.role);
    }
    return t;
}

void check_offset_matches_mask(const model_manifest & m, input_role offset_role, input_role mask_role);

void parse_inputs(const json & root, model_manifest & m) {
    const json & inputs = required(root, "inputs", "inputs");
    if (!inputs.is_array() || inputs.empty()) {
        fail("inputs", "expected a non-empty array of inputs, got " + shown(inputs));
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
        const std::string field = "inputs[" + std::to_string(i) + "]";
        tensor_spec       t     = parse_input(inputs[i], field);
        for (size_t j = 0; j < m.inputs.size(); ++j) {
            const std::string other = "inputs[" + std::to_string(j) + "]";
            if (m.inputs[j].name == t.name) {
                fail(field + ".name", "\"" + t.name + "\" is also the name of " + other + "; names must differ");
            }
            if (m.inputs[j].role == t.role) {
                fail(field + ".role", std::string("a second \"") + input_role_name(t.role) + "\" input (" + other +
                                          " has that role); each role appears once");
            }
        }
        m.inputs.push_back(std::move(t));
    }
    for (input_role r : {INPUT_TOKEN_IDS, INPUT_ATTENTION_MASK}) {
        if (m.input_with_role(r) == nullptr) {
            fail("inputs", std::string("no input has the role \"") + input_role_name(r) + "\" (required)");
        }
    }
    check_offset_matches_mask(m, INPUT_HEAD_OFFSET, INPUT_HEAD_MASK);
    check_offset_matches_mask(m, INPUT_MLP_OFFSET, INPUT_MLP_MASK);
}

// An offset is added to what its mask scales, so it needs that mask, batched, with the same
// layers and heads (or neurons).
void check_offset_matches_mask(const model_manifest & m, input_role offset_role, input_role mask_role) {
    const tensor_spec * offset = m.input_with_role(offset_role);
    if (offset == nullptr) {
        return;
    }
    const std::string   field = std::string("inputs (") + input_role_name(offset_role) + ")";
    const tensor_spec * mask  = m.input_with_role(mask_role);
    if (mask == nullptr || !mask->batched()) {
        fail(field, std::string("an offset input needs a ") + input_role_name(mask_role) +
                        " input with a batch axis as its first dimension");
    }
    if (offset->shape[1] != mask->shape[1] || offset->shape[2] != mask->shape[2]) {
        fail(field, std::string("its layers and width (") + std::to_string(offset->shape[1]) + ", " +
                        std::to_string(offset->shape[2]) + ") differ from " + input_role_name(mask_role) + "'s (" +
                        std::to_string(mask->shape[1]) + ", " + std::to_string(mask->shape[2]) + ")");
    }
}

// [SECTION] component means, internals

// One block of means, e.g. "head": [layers][heads][head_dim], flattened; its shape must be the
// offset input's without the batch axis.
std::vector<float> parse_means_block(const json & v, const std::string & field, const std::vector<int64_t> & dims) {
    std::vector<float>                                             out;
    std::function<void(const json &, size_t, const std::string &)> walk = [&](const json & x, size_t axis,
                                                                              const std::string & path) {
        if (axis == dims.size()) {
            if (!x.is_number()) {
                fail(path, "expected a number, got " + shown(x));
            }
            const double d = x.get<double>();
            if (!std::isfinite(d)) {
                fail(path, "expected a finite number");
            }
            out.push_back(static_cast<float>(d));
            return;
        }
        if (!x.is_array() || x.size() != static_cast<size_t>(dims[axis])) {
            fail(path,
                 "expected an array of " + std::to_string(dims[axis]) + " (the offset input's shape), got " + shown(x));
        }
        for (size_t i = 0; i < x.size(); ++i) {
            walk(x[i], axis + 1, path + "[" + std::to_string(i) + "]");
        }
    };
    walk(v, 0, field);
    return out;
}

void parse_component_means(const json & root, model_manifest & m) {
    if (!root.contains("component_means")) {
        return;
    }
    const json & means = required_object(root, "component_means", "component_means");
    if (means.contains("description")) {
        m.means.description = as_string(means["description"], "component_means.description");
    }
    const std::pair<const char *, input_role> blocks[] = {{"head", INPUT_HEAD_OFFSET}, {"mlp", INPUT_MLP_OFFSET}};
    for (const auto & [key, role] : blocks) {
        if (!means.contains(key)) {
            continue;
        }
        const std::string   field  = std::string("component_means.") + key;
        const tensor_spec * offset = m.input_with_role(role);
        if (offset == nullptr) {
            fail(field, std::string("means need a \"") + input_role_name(role) +
                            "\" input to feed them through; add it to the model or drop the means");
        }
        const std::vector<int64_t> dims(offset->shape.begin() + 1, offset->shape.end());
        (role == INPUT_HEAD_OFFSET ? m.means.head : m.means.mlp) = parse_means_block(means[key], field, dims);
    }
}

// The optional "internals" section: {"onnx", "attentions"?, "hidden_states"?}, at least one output.
void parse_internals(const json & root, model_manifest & m) {
    if (!root.contains("internals")) {
        return;
    }
    const json & section = required_object(root, "internals", "internals");
    for (auto it = section.begin(); it != section.end(); ++it) {
        if (it.key() != "onnx" && it.key() != "attentions" && it.key() != "hidden_states") {
            fail("internals." + it.key(), "unknown field; internals takes onnx, attentions and hidden_states");
        }
    }
    m.internals.onnx_file = as_file_name(required(section, "onnx", "internals.onnx"), "internals.onnx");
    if (section.contains("attentions")) {
        m.internals.attentions = as_nonempty_string(section["attentions"], "internals.attentions");
    }
    if (section.contains("hidden_states")) {
        m.internals.hidden_states = as_nonempty_string(section["hidden_states"], "internals.hidden_states");
    }
    if (m.internals.attentions.empty() && m.internals.hidden_states.empty()) {
        fail("internals", "names no output; give attentions, hidden_states or both (docs/model-manifest.md)");
    }
    if (m.internals.attentions == m.internals.hidden_states) {
        fail("internals.hidden_states", "is the same output as internals.attentions; they must differ");
    }
}

// [SECTION] output, tokenizer and target

void parse_output(const json & root, model_manifest & m) {
    const json & output = required_object(root, "output", "output");
    m.output.name       = as_nonempty_string(required(output, "name", "output.name"), "output.name");
    const json & type   = required(output, "type", "output.type");
    m.output.type       = parse_type_field(type, "output.type");
    if (m.output.type != TENSOR_FLOAT32) {
        fail("output.type", "the logits must be float32, got " + shown(type));
    }
    m.output.shape = parse_shape(required(output, "shape", "output.shape"), "output.shape", 2, "[\"batch\", labels]");
    if (m.output.shape[0] != -1) {
        fail("output.shape[0]", "the batch axis must be dynamic (a name such as \"batch\")");
    }
    if (m.output.shape[1] != -1 && m.output.shape[1] != static_cast<int64_t>(m.labels.size())) {
        fail("output.shape[1]", std::to_string(m.output.shape[1]) + " columns, but labels names " +
                                    std::to_string(m.labels.size()) + "; give one label per column");
    }
}

void parse_tokenizer(const json & root, model_manifest & m) {
    const json & tok  = required_object(root, "tokenizer", "tokenizer");
    const json & kind = required(tok, "kind", "tokenizer.kind");
    m.tokenizer       = as_string(kind, "tokenizer.kind");
    if (m.tokenizer != tokenizer_words_v1 && m.tokenizer != tokenizer_hf_json) {
        fail("tokenizer.kind", std::string("expected \"") + tokenizer_words_v1 + "\" (docs/tokenizer.md) or \"" +
                                   tokenizer_hf_json + "\" (a Hugging Face tokenizer.json), got " + shown(kind));
    }
    m.max_length = static_cast<int>(
        as_integer(required(tok, "max_length", "tokenizer.max_length"), "tokenizer.max_length", 2, 4096));
    const bool   hf       = m.hf_tokenizer();
    const char * names[4] = {"pad", "unk", "cls", "mask"};
    int32_t *    slots[4] = {&m.pad_id, &m.unk_id, &m.cls_id, &m.mask_id};
    if (hf) {
        // The tokenizer knows its own specials; pad and mask may be pinned here.
        for (int32_t * slot : slots) {
            *slot = -1;
        }
        if (!tok.contains("special_ids")) {
            return;
        }
    }
    const json & ids = required_object(tok, "special_ids", "tokenizer.special_ids");
    for (int i = 0; i < 4; ++i) {
        const std::string field = std::string("tokenizer.special_ids.") + names[i];
        if (hf && !ids.contains(names[i])) {
            continue;
        }
        *slots[i] = static_cast<int32_t>(
            as_integer(required(ids, names[i], field), field, 0, std::numeric_limits<int32_t>::max()));
        for (int j = 0; j < i; ++j) {
            if (*slots[j] == *slots[i]) {
                fail(field, std::string("is ") + std::to_string(*slots[i]) + ", the same as " + names[j] +
                                "; the special ids must differ");
            }
        }
    }
}

void parse_target_field(const json & root, model_manifest & m) {
    const json & target = required_object(root, "target", "target");
    const json & cls    = required(target, "class", "target.class");
    if (cls.is_string()) {
        const std::string label = cls.get<std::string>();
        bool              found = false;
        for (size_t i = 0; i < m.labels.size() && !found; ++i) {
            if (m.labels[i] == label) {
                m.default_target.class_index = static_cast<int>(i);
                found                        = true;
            }
        }
        if (!found) {
            std::string list;
            for (const std::string & l : m.labels) {
                list += (list.empty() ? "" : ", ") + l;
            }
            fail("target.class", shown(cls) + " is not one of the labels (" + list + ")");
        }
    } else if (cls.is_number_integer()) {
        m.default_target.class_index =
            static_cast<int>(as_integer(cls, "target.class", 0, static_cast<int64_t>(m.labels.size()) - 1));
    } else {
        fail("target.class", "expected a label or a class index, got " + shown(cls));
    }
    const json & measure = required(target, "measure", "target.measure");
    if (!parse_target_measure(as_string(measure, "target.measure"), m.default_target.measure)) {
        fail("target.measure", "expected logit, log-odds or prob, got " + shown(measure));
    }
}

}  // namespace

// [SECTION] names and lookups: types, roles, masking methods

const char * tensor_type_name(tensor_type t) {
    switch (t) {
    case TENSOR_INT32:
        return "int32";
    case TENSOR_INT64:
        return "int64";
    case TENSOR_FLOAT32:
        return "float32";
    }
    return "?";
}

bool parse_tensor_type(std::string_view name, tensor_type & out) {
    for (tensor_type t : {TENSOR_INT32, TENSOR_INT64, TENSOR_FLOAT32}) {
        if (name == tensor_type_name(t)) {
            out = t;
            return true;
        }
    }
    return false;
}

const char * input_role_name(input_role r) {
    switch (r) {
    case INPUT_TOKEN_IDS:
        return "token_ids";
    case INPUT_ATTENTION_MASK:
        return "attention_mask";
    case INPUT_HEAD_MASK:
        return "head_mask";
    case INPUT_MLP_MASK:
        return "mlp_mask";
    case INPUT_HEAD_OFFSET:
        return "head_offset";
    case INPUT_MLP_OFFSET:
        return "mlp_offset";
    case INPUT_TOKEN_TYPE_IDS:
        return "token_type_ids";
    case INPUT_POSITION_IDS:
        return "position_ids";
    }
    return "?";
}

const char * masking_method_name(masking_method m) {
    switch (m) {
    case MASKING_ATTENTION:
        return "attention";
    case MASKING_MASK_TOKEN:
        return "mask_token";
    case MASKING_REMOVE:
        return "remove";
    }
    return "?";
}

bool parse_masking_method(std::string_view name, masking_method & out) {
    for (masking_method m : {MASKING_ATTENTION, MASKING_MASK_TOKEN, MASKING_REMOVE}) {
        if (name == masking_method_name(m)) {
            out = m;
            return true;
        }
    }
    return false;
}

const tensor_spec * model_manifest::input_with_role(input_role r) const {
    for (const tensor_spec & t : inputs) {
        if (t.role == r) {
            return &t;
        }
    }
    return nullptr;
}

// [SECTION] parsing model.json

namespace {

// model.json's top-level object; a syntax error or anything but an object is a text_error.
json parse_root(std::string_view json_text) {
    json root;
    try {
        root = parse_bounded_json<json>(json_text);
    } catch (const json_input_error & e) {  // syntax, 1e999, nesting too deep
        throw text_error(std::string("model.json: not valid JSON: ") + e.what());
    }
    if (!root.is_object()) {
        throw text_error("model.json: expected a JSON object at the top level, got " + shown(root));
    }
    return root;
}

// Fails unless format and format_version are the ones this spexlens reads.
void check_format(const json & root) {
    const json & format = required(root, "format", "format");
    if (!format.is_string() || format.get<std::string>() != manifest_format) {
        fail("format", std::string("expected \"") + manifest_format + "\", got " + shown(format));
    }
    const json & version = required(root, "format_version", "format_version");
    if (version.is_number_unsigned() && version.get<uint64_t>() > static_cast<uint64_t>(manifest_format_version)) {
        fail("format_version", "version " + shown(version) + " is newer than this spexlens reads (" +
                                   std::to_string(manifest_format_version) + "); update spexlens");
    }
    if (!version.is_number_integer() || version.get<int64_t>() != manifest_format_version) {
        fail("format_version", "expected " + std::to_string(manifest_format_version) + ", got " + shown(version));
    }
}

// name, description, files and onnx_sha256.
void parse_identity(const json & root, model_manifest & m) {
    m.name = as_nonempty_string(required(root, "name", "name"), "name");
    if (root.contains("description")) {
        m.description = as_string(root["description"], "description");
    }
    if (root.contains("files")) {
        const json & files = root["files"];
        if (!files.is_object()) {
            fail("files", "expected an object with onnx and vocab, got " + shown(files));
        }
        if (files.contains("onnx")) {
            m.onnx_file = as_file_name(files["onnx"], "files.onnx");
        }
        if (files.contains("vocab")) {
            m.vocab_file = as_file_name(files["vocab"], "files.vocab");
        }
    }
    const json & sha = required(root, "onnx_sha256", "onnx_sha256");
    m.onnx_sha256    = as_string(sha, "onnx_sha256");
    if (!is_lower_hex_sha256(m.onnx_sha256)) {
        fail("onnx_sha256", "expected 64 lowercase hex digits (the output of sha256sum model.onnx), got " + shown(sha));
    }
}

// The class names, non-empty and distinct.
void parse_labels(const json & root, model_manifest & m) {
    const json & labels = required(root, "labels", "labels");
    if (!labels.is_array() || labels.empty()) {
        fail("labels", "expected a non-empty array of class names, got " + shown(labels));
    }
    for (size_t i = 0; i < labels.size(); ++i) {
        const std::string field = "labels[" + std::to_string(i) + "]";
        const std::string label = as_nonempty_string(labels[i], field);
        for (size_t j = 0; j < m.labels.size(); ++j) {
            if (m.labels[j] == label) {
                fail(field, "\"" + label + "\" repeats labels[" + std::to_string(j) + "]; labels must differ");
            }
        }
        m.labels.push_back(label);
    }
}

// Provenance (metrics, data, training, licence, ...) passes through untouched into m.info.
void pass_through_info(const json & root, model_manifest & m) {
    static const char * const known[] = {
        "format", "format_version", "name",      "description", "files",  "onnx_sha256",     "labels",
        "inputs", "output",         "tokenizer", "masking",     "target", "component_means", "internals"};
    m.info = json::object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        bool is_known = false;
        for (const char * k : known) {
            is_known = is_known || it.key() == k;
        }
        if (!is_known) {
            m.info[it.key()] = it.value();
        }
    }
}

}  // namespace

model_manifest parse_manifest(std::string_view json_text) {
    const json     root = parse_root(json_text);
    model_manifest m;
    check_format(root);
    parse_identity(root, m);
    const bool vocab_named = root.contains("files") && root["files"].contains("vocab");
    parse_labels(root, m);
    parse_inputs(root, m);
    parse_output(root, m);
    parse_tokenizer(root, m);
    if (m.hf_tokenizer() && !vocab_named) {
        m.vocab_file = "tokenizer.json";
    }

    const json &      masking      = required(root, "masking", "masking");
    const std::string masking_name = as_string(masking, "masking");
    if (!parse_masking_method(masking_name, m.masking)) {
        fail("masking", "expected attention, mask_token or remove, got " + shown(masking));
    }

    parse_target_field(root, m);
    parse_component_means(root, m);
    parse_internals(root, m);

    pass_through_info(root, m);
    return m;
}

}  // namespace spexlens::text
